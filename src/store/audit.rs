//! The audit trail: one row per change, in the change's own transaction. Rows are
//! hash-chained (each row's hash covers its content and the previous hash), and
//! triggers refuse UPDATE and DELETE, so any later alteration is found by `check`.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::Result;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub struct Entry<'a> {
    pub at: i64,
    pub operator: Option<i64>,
    pub terminal: &'a str,
    pub action: &'a str,
    pub register: Option<&'a str>,
    pub record_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[allow(clippy::too_many_arguments)]
fn digest(
    id: i64,
    at: i64,
    operator: Option<i64>,
    terminal: &str,
    action: &str,
    register: Option<&str>,
    record_id: Option<i64>,
    before: Option<&str>,
    after: Option<&str>,
    prev: &str,
) -> String {
    let mut h = Sha256::new();
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    for part in [
        id.to_string().as_str(),
        at.to_string().as_str(),
        opt(operator).as_str(),
        terminal,
        action,
        register.unwrap_or(""),
        opt(record_id).as_str(),
        before.unwrap_or("\u{0}"),
        after.unwrap_or("\u{0}"),
        prev,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends one row; call inside the change's write transaction.
pub fn append(conn: &Connection, e: &Entry) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (id, prev) = match last {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_string()),
    };
    let before = e.before.as_ref().map(|v| v.to_string());
    let after = e.after.as_ref().map(|v| v.to_string());
    let hash = digest(
        id,
        e.at,
        e.operator,
        e.terminal,
        e.action,
        e.register,
        e.record_id,
        before.as_deref(),
        after.as_deref(),
        &prev,
    );
    conn.prepare_cached(
        "INSERT INTO audit(id, at, operator_id, terminal, action, register, record_id, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        e.at,
        e.operator,
        e.terminal,
        e.action,
        e.register,
        e.record_id,
        before,
        after,
        prev,
        hash
    ])?;
    Ok(())
}

#[derive(Debug, Default, Clone)]
pub struct CheckReport {
    /// What `PRAGMA integrity_check` found; empty when the file is sound.
    pub integrity: Vec<String>,
    pub audit_rows: i64,
    /// The first audit row that does not verify, and why.
    pub first_bad: Option<(i64, String)>,
    /// The triggers that keep the trail append-only are missing.
    pub triggers_missing: bool,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.integrity.is_empty() && self.first_bad.is_none() && !self.triggers_missing
    }
}

/// Walks the whole chain, recomputing every hash.
pub fn verify_chain(conn: &Connection) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    let triggers: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('audit_no_update', 'audit_no_delete')",
        [],
        |r| r.get(0),
    )?;
    report.triggers_missing = triggers != 2;
    let mut stmt = conn.prepare(
        "SELECT id, at, operator_id, terminal, action, register, record_id, before, after, prev_hash, hash
         FROM audit ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut expect_id = 1;
    let mut prev = GENESIS.to_string();
    while let Some(r) = rows.next()? {
        report.audit_rows += 1;
        if report.first_bad.is_some() {
            continue;
        }
        let id: i64 = r.get(0)?;
        let stored_prev: String = r.get(9)?;
        let stored_hash: String = r.get(10)?;
        let terminal: String = r.get(3)?;
        let action: String = r.get(4)?;
        let register: Option<String> = r.get(5)?;
        let before: Option<String> = r.get(7)?;
        let after: Option<String> = r.get(8)?;
        let computed = digest(
            id,
            r.get(1)?,
            r.get(2)?,
            &terminal,
            &action,
            register.as_deref(),
            r.get(6)?,
            before.as_deref(),
            after.as_deref(),
            &stored_prev,
        );
        if id != expect_id {
            report.first_bad = Some((expect_id, "missing".into()));
        } else if stored_prev != prev {
            report.first_bad = Some((id, "chain broken".into()));
        } else if computed != stored_hash {
            report.first_bad = Some((id, "content altered".into()));
        }
        expect_id = id + 1;
        prev = stored_hash;
    }
    Ok(report)
}
