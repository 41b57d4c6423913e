-- frontdesk schema, version 2: complaints (rules C1-C18) and callbacks (F1, F3-F6).

-- Re-indexing a card's phones looks them up by record; without this every customer
-- save scanned the whole phone index.
CREATE INDEX phone_index_record ON phone_index(register, record_id);

CREATE TABLE complaint (
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
    step TEXT NOT NULL,
    received_at INTEGER,
    channel TEXT,
    anonymous INTEGER,
    complainant TEXT,
    contact TEXT,
    customer_id INTEGER,
    subject TEXT,
    category TEXT,
    content TEXT,
    request TEXT,
    written_reply_only INTEGER,
    staff_complained INTEGER,
    received_by INTEGER,
    duplicate_of INTEGER,
    key_customer INTEGER,
    major TEXT,
    major_at INTEGER,
    head_told_at INTEGER,
    gm_told_at INTEGER,
    reported_at INTEGER,
    reported_to TEXT,
    decision TEXT,
    decision_reason TEXT,
    reply TEXT,
    decided_at INTEGER,
    decided_by INTEGER,
    department_id INTEGER,
    handler_id INTEGER,
    assigned_at INTEGER,
    assigned_by INTEGER,
    cause TEXT,
    course TEXT,
    responsible TEXT,
    conclusion TEXT,
    measures TEXT,
    investigated_at INTEGER,
    investigated_by INTEGER,
    solution TEXT,
    amount INTEGER,
    proposed_at INTEGER,
    proposed_by INTEGER,
    approval TEXT,
    approval_note TEXT,
    approved_at INTEGER,
    approved_by INTEGER,
    inform_method TEXT,
    told_at INTEGER,
    reaction TEXT,
    written_reply TEXT,
    informed_at INTEGER,
    informed_by INTEGER,
    satisfaction TEXT,
    summary TEXT,
    improvement TEXT,
    closed_at INTEGER,
    closed_by INTEGER,
    case_due_at INTEGER,
    step_due_at INTEGER,
    major_due_at INTEGER,
    late_reason TEXT,
    late_target INTEGER,
    late_by INTEGER,
    late_log TEXT,
    rank INTEGER
);
CREATE INDEX complaint_rank ON complaint(rank, id);
CREATE INDEX complaint_step ON complaint(step, id);
CREATE INDEX complaint_due ON complaint(step_due_at);
CREATE INDEX complaint_received ON complaint(received_at);
CREATE INDEX complaint_customer ON complaint(customer_id);
CREATE INDEX complaint_contact ON complaint(contact);
CREATE INDEX complaint_handler ON complaint(handler_id, id);
CREATE INDEX complaint_duplicate ON complaint(duplicate_of);
CREATE VIRTUAL TABLE complaint_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE complaint_gram USING fts5(body, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none');

CREATE TABLE callback (
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
    step TEXT NOT NULL,
    due_at INTEGER,
    source TEXT,
    source_register TEXT,
    source_id INTEGER,
    about TEXT,
    contact TEXT,
    by_role TEXT,
    called_at INTEGER,
    method TEXT,
    signed INTEGER,
    satisfaction INTEGER,
    comment TEXT,
    new_issue TEXT,
    promised_at INTEGER,
    call_done_at INTEGER,
    call_by INTEGER,
    review TEXT,
    review_note TEXT,
    reviewed_at INTEGER,
    reviewed_by INTEGER
);
CREATE INDEX callback_step ON callback(step, due_at);
CREATE INDEX callback_source ON callback(source_register, source_id);
CREATE VIRTUAL TABLE callback_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE callback_gram USING fts5(body, tokenize = 'unicode61', content = '', contentless_delete = 1, detail = 'none');

-- Rule C13: when each month's statistics were submitted, and by whom.
CREATE TABLE report_submission (
    report TEXT NOT NULL,
    month TEXT NOT NULL,
    at INTEGER NOT NULL,
    by INTEGER NOT NULL REFERENCES operator(id),
    PRIMARY KEY (report, month)
);
