//! What the monthly reports read: the rows a register's report declares for a month, and
//! whether a month's report was submitted, with the figures frozen then (rule C13).

use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, Entry};
use super::{Result, Store, StoreError};
use crate::domain::Msg;
use crate::domain::stats::{self, Cell, Report, ReportDef, Row};

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
    /// The rows of a month's report: its declared query over [from, to), each row with
    /// the columns the report declares.
    pub fn report_rows(&self, def: &ReportDef, from: i64, to: i64) -> Result<Vec<Row>> {
        rows_in(&self.conn, def, from, to)
    }

    /// When the report's first record was (rule C13: the reminder looks back to it).
    pub fn report_first_at(&self, def: &ReportDef) -> Result<Option<i64>> {
        let Some(reg) = crate::domain::register(def.register) else { return Ok(None) };
        let sql = format!("SELECT min({}) FROM {}", def.time, reg.table);
        Ok(self.conn.query_row(&sql, [], |r| r.get(0))?)
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

    /// Marks the month starting `first` submitted, with the figures read and frozen in the
    /// same transaction, so no save between reading and freezing them is lost (rule
    /// C13); audited, and only once.
    pub fn submit_month(
        &mut self,
        actor: i64,
        now: i64,
        def: &ReportDef,
        first: chrono::NaiveDate,
        offset: i32,
        settings: &crate::domain::Settings,
    ) -> Result<()> {
        let month = stats::format_month(first);
        let (from, to) = stats::month_bounds(first, offset);
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let figures = stats::report(def, &month, to, &rows_in(tx, def, from, to)?, now, settings);
            submit_tx(tx, &terminal, actor, now, def.key, &month, Some(&figures))
        })
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
        self.write(|tx| submit_tx(tx, &terminal, actor, now, report, month, figures))
    }
}

/// The submission row and its audit entry, inside the caller's transaction.
fn submit_tx(
    tx: &rusqlite::Transaction,
    terminal: &str,
    actor: i64,
    now: i64,
    report: &str,
    month: &str,
    figures: Option<&Report>,
) -> Result<()> {
    let json = figures
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("report {report} {month}: {e}")))?;
    let n = tx.execute(
        "INSERT OR IGNORE INTO report_submission(report, month, at, by, figures) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![report, month, now, actor, json],
    )?;
    if n == 0 {
        return Err(StoreError::Invalid(Msg::new("err.report.submitted")));
    }
    audit::append(
        tx,
        &Entry::new(now, Some(actor), terminal, "submit_report")
            .on(Some("report_submission"), None)
            .change(None, Some(serde_json::json!({ "report": report, "month": month, "frozen": json.is_some() }))),
    )?;
    Ok(())
}

/// The rows of a month's report, read on `conn` (the store's connection, or inside a
/// transaction that freezes them).
fn rows_in(conn: &rusqlite::Connection, def: &ReportDef, from: i64, to: i64) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(def.rows)?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let expected = ["id", "number"].into_iter().chain(def.columns.iter().copied());
    if !names.iter().map(String::as_str).eq(expected) {
        return Err(StoreError::Other(format!("report {}: the query returns {names:?}", def.key)));
    }
    let rows = stmt
        .query_map(params![from, to], |r| {
            let mut row = Row::new(r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default());
            for (i, c) in def.columns.iter().enumerate() {
                let cell = match r.get_ref(i + 2)? {
                    ValueRef::Integer(n) => Cell::Int(n),
                    ValueRef::Real(x) => Cell::Real(x),
                    ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Null | ValueRef::Blob(_) => Cell::Null,
                };
                row.cells.push((c, cell));
            }
            Ok(row)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
