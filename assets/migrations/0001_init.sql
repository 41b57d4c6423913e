-- frontdesk schema, version 1.
-- Times are INTEGER seconds since the Unix epoch, UTC. Records are never deleted:
-- they carry voided_at/voided_by/void_reason instead.

CREATE TABLE department (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL DEFAULT 1,
    voided_at INTEGER
);

CREATE TABLE operator (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    department_id INTEGER REFERENCES department(id),
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Per-register, per-year numbering. Incremented inside the saving transaction, so a
-- number is used exactly when its record commits: no gaps, no duplicates.
CREATE TABLE counter (
    register TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (register, year)
) WITHOUT ROWID;

CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES operator(id),
    updated_at INTEGER,
    updated_by INTEGER REFERENCES operator(id),
    voided_at INTEGER,
    voided_by INTEGER REFERENCES operator(id),
    void_reason TEXT,
    name TEXT NOT NULL,
    organisation TEXT,
    position TEXT,
    phones TEXT,
    address TEXT,
    category TEXT NOT NULL,
    grade TEXT,
    grade_provisional INTEGER NOT NULL DEFAULT 0,
    staff_id INTEGER REFERENCES operator(id),
    notes TEXT
);

-- Every number of a multi-phone field (a customer card's phones), normalised, so the
-- record is found by any of them.
CREATE TABLE phone_index (
    phone TEXT NOT NULL,
    register TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    PRIMARY KEY (phone, register, record_id)
) WITHOUT ROWID;

CREATE TABLE visitor (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES operator(id),
    updated_at INTEGER,
    updated_by INTEGER REFERENCES operator(id),
    voided_at INTEGER,
    voided_by INTEGER REFERENCES operator(id),
    void_reason TEXT,
    occurred_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT,
    organisation TEXT,
    visitor_class TEXT NOT NULL,
    party_size INTEGER NOT NULL,
    purpose TEXT NOT NULL,
    intent INTEGER NOT NULL DEFAULT 0,
    intermediary INTEGER NOT NULL DEFAULT 0,
    intermediary_name TEXT,
    staff_id INTEGER REFERENCES operator(id),
    customer_id INTEGER REFERENCES customer(id),
    received_by INTEGER REFERENCES operator(id),
    late_entry INTEGER
);
CREATE INDEX visitor_occurred ON visitor(occurred_at);
CREATE INDEX visitor_customer ON visitor(customer_id);

-- Search: a trigram index for terms of 3+ characters, and a gram index (single CJK
-- characters, CJK pairs, whole ASCII words) for 1-2 character terms, which trigrams
-- cannot match. Both contentless: the text lives in the register tables.
CREATE VIRTUAL TABLE visitor_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE visitor_gram USING fts5(body, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none');
CREATE VIRTUAL TABLE customer_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE customer_gram USING fts5(body, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none');

-- Unsaved form contents, per operator, restored after a lock, crash or kill.
CREATE TABLE draft (
    operator_id INTEGER NOT NULL REFERENCES operator(id),
    slot TEXT NOT NULL,
    register TEXT NOT NULL,
    record_id INTEGER,
    data TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (operator_id, slot)
);

-- The audit trail: append-only and hash-chained.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    operator_id INTEGER,
    terminal TEXT NOT NULL,
    action TEXT NOT NULL,
    register TEXT,
    record_id INTEGER,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_record ON audit(register, record_id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- Facts about this database itself (e.g. that it holds demo data).
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
