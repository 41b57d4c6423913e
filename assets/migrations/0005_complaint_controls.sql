-- frontdesk schema: the controls around a complaint's steps (rules C11, C12).
-- Why a major case closed without its upward report (a supervisor's note), whether its
-- 24 hours were missed, and why a decided case's card was corrected or a major flag
-- cleared (the audit trail keeps each reason with its change).
ALTER TABLE complaint ADD COLUMN not_reported_reason TEXT;
ALTER TABLE complaint ADD COLUMN major_late INTEGER;
ALTER TABLE complaint ADD COLUMN correction TEXT;
-- A callback's failed attempts (the customer not reached), each with when and who.
ALTER TABLE callback ADD COLUMN attempt TEXT;
ALTER TABLE callback ADD COLUMN attempts TEXT;
-- Who a callback's case bars from it (rule C12).
ALTER TABLE callback ADD COLUMN barred_id INTEGER;
-- Each earlier round of a case's steps (a solution sent back, a case reopened).
ALTER TABLE complaint ADD COLUMN rounds_log TEXT;
