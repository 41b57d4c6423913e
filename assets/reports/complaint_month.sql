-- The month's complaints for the monthly report (rule C13), voided ones included (they
-- are a figure of their own), with what their callbacks recorded. A callback "made" has
-- its call recorded (step review or done); a new issue raised on it is followed up when
-- the callback promised for it (same case, due at the promised time, later) was made too
-- (rules F1, F4-F6). ?1 and ?2 bound the month.
WITH made AS (
    SELECT b.id, b.source_id, b.step, b.reviewed_at, b.satisfaction, b.new_issue, b.promised_at, b.due_at,
           coalesce(b.called_at, b.call_done_at) AS at
    FROM callback b
    WHERE b.source_register = 'complaint' AND b.voided_at IS NULL AND b.step IN ('review', 'done'))
SELECT c.id, c.number,
       c.received_at AS received_at,
       c.category AS category,
       c.channel AS channel,
       c.department_id AS department_id,
       c.handler_id AS handler_id,
       c.step AS step,
       CASE c.step WHEN 'closed' THEN c.closed_at WHEN 'rejected' THEN c.decided_at END AS finished_at,
       c.case_due_at AS case_due_at,
       c.major_at AS major_at,
       c.reported_at AS reported_at,
       c.duplicate_of AS duplicate_of,
       coalesce(c.anonymous, 0) OR coalesce(c.written_reply_only, 0) AS no_callback,
       EXISTS (SELECT 1 FROM made b WHERE b.source_id = c.id) AS called_back,
       (SELECT min(b.at) FROM made b WHERE b.source_id = c.id) AS called_at,
       NOT EXISTS (SELECT 1 FROM made b WHERE b.source_id = c.id AND b.step = 'review'
                   AND b.reviewed_at IS NULL) AS reviewed,
       (SELECT count(*) FROM made b WHERE b.source_id = c.id AND trim(coalesce(b.new_issue, '')) <> '') AS issues,
       (SELECT count(*) FROM made b WHERE b.source_id = c.id AND trim(coalesce(b.new_issue, '')) <> ''
               AND EXISTS (SELECT 1 FROM made f WHERE f.source_id = c.id AND f.id > b.id
                           AND f.due_at = b.promised_at)) AS issues_followed,
       (SELECT b.satisfaction FROM made b WHERE b.source_id = c.id AND b.satisfaction IS NOT NULL
               ORDER BY b.id LIMIT 1) AS satisfaction,
       c.voided_at IS NOT NULL AS voided
FROM complaint c
WHERE c.received_at >= ?1 AND c.received_at < ?2
ORDER BY c.id
