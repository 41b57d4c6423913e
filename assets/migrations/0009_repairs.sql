-- frontdesk schema: repair slips (维修单, rules R1, R2, R8, R9). The dispatch, the visit,
-- the fees and the signed copy add their columns with their steps.
CREATE TABLE repair (
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
    urgency TEXT,
    reporter TEXT,
    contact TEXT,
    unit TEXT,
    customer_id INTEGER,
    item_kind TEXT,
    brand_model TEXT,
    serial TEXT,
    sim TEXT,
    purchase_date INTEGER,
    warranty INTEGER,
    warranty_override TEXT,
    warranty_reason TEXT,
    fault TEXT,
    skill TEXT,
    appointment_from INTEGER,
    appointment_to INTEGER,
    received_by INTEGER,
    repeat_of INTEGER,
    rank INTEGER
);
CREATE INDEX repair_step ON repair(step, id);
-- urgent jobs not yet finished are listed first
CREATE INDEX repair_rank ON repair(rank, id);
-- a repeat (the same unit or serial within the set days) is looked for while a slip is typed
CREATE INDEX repair_unit ON repair(unit, received_at);
CREATE INDEX repair_serial ON repair(serial, received_at) WHERE serial IS NOT NULL;
CREATE INDEX repair_appointment ON repair(appointment_from) WHERE appointment_from IS NOT NULL;
CREATE VIRTUAL TABLE repair_tri USING fts5(body, tokenize = 'trigram', content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE repair_gram USING fts5(body, tokenize = 'ascii', content = '', contentless_delete = 1, detail = 'none');
