//! What the monthly reports read: the month's complaints with their callbacks, and
//! whether a month's report was submitted, with the figures frozen then (rule C13).

use rusqlite::{OptionalExtension, params};

use super::audit::{self, Entry};
use super::{Result, Store, StoreError};
use crate::domain::Msg;
use crate::domain::stats::{CaseRow, Report};

/// A month's report as it was submitted.
#[derive(Clone, Debug, PartialEq)]
pub struct Submission {
    pub at: i64,
    pub by: i64,
    /// The figures as they stood when submitted; None for a month submitted before the
    /// figures were kept.
    pub figures: Option<Report>,
}

impl Store {
    /// The complaints received in [from, to), voided ones included (they are a figure of
    /// their own), with what their callbacks recorded.
    pub fn complaint_rows(&self, from: i64, to: i64) -> Result<Vec<CaseRow>> {
        // A callback "made" has its call recorded (step review or done); a new issue
        // raised on it is followed up when the callback promised for it (same case, due
        // at the promised time, later) was made too (rules F1, F4-F6).
        let mut stmt = self.conn.prepare_cached(
            "WITH made AS (
                 SELECT b.id, b.source_id, b.step, b.reviewed_at, b.satisfaction, b.new_issue, b.promised_at, b.due_at,
                        coalesce(b.called_at, b.call_done_at) AS at
                 FROM callback b
                 WHERE b.source_register = 'complaint' AND b.voided_at IS NULL AND b.step IN ('review', 'done'))
             SELECT c.id, c.number, c.received_at, c.category, c.channel, c.department_id, c.handler_id, c.step,
                    CASE c.step WHEN 'closed' THEN c.closed_at WHEN 'rejected' THEN c.decided_at END,
                    c.case_due_at, c.major_at, c.reported_at, c.duplicate_of,
                    coalesce(c.anonymous, 0) OR coalesce(c.written_reply_only, 0),
                    EXISTS (SELECT 1 FROM made b WHERE b.source_id = c.id),
                    (SELECT min(b.at) FROM made b WHERE b.source_id = c.id),
                    NOT EXISTS (SELECT 1 FROM made b WHERE b.source_id = c.id AND b.step = 'review'
                                AND b.reviewed_at IS NULL),
                    (SELECT count(*) FROM made b WHERE b.source_id = c.id AND trim(coalesce(b.new_issue, '')) <> ''),
                    (SELECT count(*) FROM made b WHERE b.source_id = c.id AND trim(coalesce(b.new_issue, '')) <> ''
                            AND EXISTS (SELECT 1 FROM made f WHERE f.source_id = c.id AND f.id > b.id
                                        AND f.due_at = b.promised_at)),
                    (SELECT b.satisfaction FROM made b WHERE b.source_id = c.id AND b.satisfaction IS NOT NULL
                            ORDER BY b.id LIMIT 1),
                    c.voided_at IS NOT NULL
             FROM complaint c
             WHERE c.received_at >= ?1 AND c.received_at < ?2
             ORDER BY c.id",
        )?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok(CaseRow {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    received_at: r.get(2)?,
                    category: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    channel: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    department: r.get(5)?,
                    handler: r.get(6)?,
                    step: r.get(7)?,
                    finished_at: r.get(8)?,
                    case_due_at: r.get(9)?,
                    major_at: r.get(10)?,
                    reported_at: r.get(11)?,
                    duplicate_of: r.get(12)?,
                    no_callback: r.get(13)?,
                    called_back: r.get(14)?,
                    called_at: r.get(15)?,
                    reviewed: r.get(16)?,
                    issues: r.get(17)?,
                    issues_followed: r.get(18)?,
                    satisfaction: r.get(19)?,
                    voided: r.get(20)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// When the first complaint was received (rule C13: the reminder looks back to it).
    pub fn first_complaint_at(&self) -> Result<Option<i64>> {
        Ok(self.conn.query_row("SELECT min(received_at) FROM complaint", [], |r| r.get(0))?)
    }

    /// The months (`YYYY-MM`) whose report is marked submitted.
    pub fn submitted_months(&self, report: &str) -> Result<Vec<String>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT month FROM report_submission WHERE report = ?1 ORDER BY month")?;
        let months = stmt.query_map(params![report], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(months)
    }

    /// When a month's report was marked submitted, and by whom.
    pub fn report_submitted(&self, report: &str, month: &str) -> Result<Option<(i64, i64)>> {
        Ok(self.submission(report, month)?.map(|s| (s.at, s.by)))
    }

    /// A month's submission with the figures frozen then.
    pub fn submission(&self, report: &str, month: &str) -> Result<Option<Submission>> {
        let row: Option<(i64, i64, Option<String>)> = self
            .conn
            .prepare_cached("SELECT at, by, figures FROM report_submission WHERE report = ?1 AND month = ?2")?
            .query_row(params![report, month], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((at, by, json)) = row else { return Ok(None) };
        let figures = match json {
            Some(j) => Some(
                serde_json::from_str(&j)
                    .map_err(|e| StoreError::Corrupt(format!("report_submission {report} {month}: {e}")))?,
            ),
            None => None,
        };
        Ok(Some(Submission { at, by, figures }))
    }

    /// Marks a month's report submitted, without figures; audited, and only once.
    pub fn submit_report(&mut self, actor: i64, now: i64, report: &str, month: &str) -> Result<()> {
        self.submit_report_with(actor, now, report, month, None)
    }

    /// Marks a month's report submitted and keeps the figures as they stand (rule C13);
    /// audited, and only once.
    pub fn submit_report_with(
        &mut self,
        actor: i64,
        now: i64,
        report: &str,
        month: &str,
        figures: Option<&Report>,
    ) -> Result<()> {
        let terminal = self.terminal.clone();
        let json = figures
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("report {report} {month}: {e}")))?;
        self.write(|tx| {
            let n = tx.execute(
                "INSERT OR IGNORE INTO report_submission(report, month, at, by, figures) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![report, month, now, actor, json],
            )?;
            if n == 0 {
                return Err(StoreError::Invalid(Msg::new("err.report.submitted")));
            }
            audit::append(
                tx,
                &Entry {
                    at: now,
                    operator: Some(actor),
                    terminal: &terminal,
                    action: "submit_report",
                    register: Some("report_submission"),
                    record_id: None,
                    before: None,
                    after: Some(serde_json::json!({ "report": report, "month": month, "frozen": json.is_some() })),
                },
            )?;
            Ok(())
        })
    }
}
