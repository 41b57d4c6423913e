//! What the monthly reports read: the month's complaints with their callbacks, and
//! whether a month's report was submitted (rule C13).

use rusqlite::{OptionalExtension, params};

use super::audit::{self, Entry};
use super::{Result, Store, StoreError};
use crate::domain::Msg;
use crate::domain::stats::CaseRow;

impl Store {
    /// The complaints received in [from, to), with what their first callback recorded.
    pub fn complaint_rows(&self, from: i64, to: i64) -> Result<Vec<CaseRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.received_at, c.category, c.channel, c.department_id, c.handler_id, c.step,
                    CASE c.step WHEN 'closed' THEN c.closed_at WHEN 'rejected' THEN c.decided_at END,
                    c.case_due_at, c.major_at, c.reported_at, c.duplicate_of,
                    coalesce(c.anonymous, 0) OR coalesce(c.written_reply_only, 0),
                    EXISTS (SELECT 1 FROM callback b WHERE b.source_register = 'complaint' AND b.source_id = c.id
                            AND b.step IN ('review', 'done') AND b.voided_at IS NULL),
                    (SELECT b.satisfaction FROM callback b WHERE b.source_register = 'complaint' AND b.source_id = c.id
                            AND b.satisfaction IS NOT NULL AND b.voided_at IS NULL ORDER BY b.id LIMIT 1)
             FROM complaint c
             WHERE c.received_at >= ?1 AND c.received_at < ?2 AND c.voided_at IS NULL
             ORDER BY c.id",
        )?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok(CaseRow {
                    id: r.get(0)?,
                    received_at: r.get(1)?,
                    category: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    channel: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    department: r.get(4)?,
                    handler: r.get(5)?,
                    step: r.get(6)?,
                    finished_at: r.get(7)?,
                    case_due_at: r.get(8)?,
                    major_at: r.get(9)?,
                    reported_at: r.get(10)?,
                    duplicate_of: r.get(11)?,
                    no_callback: r.get(12)?,
                    called_back: r.get(13)?,
                    satisfaction: r.get(14)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// When a month's report was marked submitted, and by whom.
    pub fn report_submitted(&self, report: &str, month: &str) -> Result<Option<(i64, i64)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT at, by FROM report_submission WHERE report = ?1 AND month = ?2")?
            .query_row(params![report, month], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Marks a month's report submitted; audited, and only once.
    pub fn submit_report(&mut self, actor: i64, now: i64, report: &str, month: &str) -> Result<()> {
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let n = tx.execute(
                "INSERT OR IGNORE INTO report_submission(report, month, at, by) VALUES (?1, ?2, ?3, ?4)",
                params![report, month, now, actor],
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
                    after: Some(serde_json::json!({ "report": report, "month": month })),
                },
            )?;
            Ok(())
        })
    }
}
