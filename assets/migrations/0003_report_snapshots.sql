-- frontdesk schema, version 3: a submitted month's report keeps the figures it was
-- submitted with (rule C13), as JSON; months submitted before this version have none.
ALTER TABLE report_submission ADD COLUMN figures TEXT;
