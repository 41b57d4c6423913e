-- frontdesk schema, version 4: departments are renamed and retired, never deleted.

-- A retired department stays for the records and operators that name it, but is no
-- longer offered for new ones. The old voided_at was never set by any version; a row
-- that has it counts as retired.
ALTER TABLE department ADD COLUMN retired_at INTEGER;
UPDATE department SET retired_at = voided_at WHERE voided_at IS NOT NULL;
