-- frontdesk schema: failed log-ins with a code no operator has are counted as an
-- operator's are (operator.failed_logins, operator.locked_until), so such a code is
-- locked out after the same number of wrong passwords and cannot be told from a real
-- one by its answers.
CREATE TABLE login_attempt (
    code TEXT PRIMARY KEY COLLATE NOCASE,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER
) WITHOUT ROWID;
