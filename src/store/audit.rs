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

impl<'a> Entry<'a> {
    /// An act by `operator` (None: the program itself) at `terminal`.
    pub fn new(at: i64, operator: Option<i64>, terminal: &'a str, action: &'a str) -> Entry<'a> {
        Entry { at, operator, terminal, action, register: None, record_id: None, before: None, after: None }
    }

    /// What it was done to: a register (or the program's own table) and its record.
    pub fn on(mut self, register: Option<&'a str>, record_id: Option<i64>) -> Entry<'a> {
        (self.register, self.record_id) = (register, record_id);
        self
    }

    /// What it held before and after.
    pub fn change(mut self, before: Option<serde_json::Value>, after: Option<serde_json::Value>) -> Entry<'a> {
        (self.before, self.after) = (before, after);
        self
    }
}

/// An entry whose before and after are JSON text already (serialised once, by the caller).
pub struct RawEntry<'a> {
    pub at: i64,
    pub operator: Option<i64>,
    pub terminal: &'a str,
    pub action: &'a str,
    pub register: Option<&'a str>,
    pub record_id: Option<i64>,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// An integer's decimal digits, without allocating.
struct Digits {
    buf: [u8; 20],
    start: usize,
}

impl Digits {
    fn new(v: i64) -> Digits {
        let mut buf = [0u8; 20];
        let mut i = buf.len();
        let mut n = v.unsigned_abs();
        loop {
            i -= 1;
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if v < 0 {
            i -= 1;
            buf[i] = b'-';
        }
        Digits { buf, start: i }
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[self.start..]
    }
}

/// A row's hash: SHA-256 over its fields, each followed by 0x1f, in lower-case hex.
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
) -> [u8; 64] {
    let mut h = Sha256::new();
    let mut part = |b: &[u8]| {
        h.update(b);
        h.update([0x1f]);
    };
    part(Digits::new(id).bytes());
    part(Digits::new(at).bytes());
    match operator {
        Some(v) => part(Digits::new(v).bytes()),
        None => part(b""),
    }
    part(terminal.as_bytes());
    part(action.as_bytes());
    part(register.unwrap_or("").as_bytes());
    match record_id {
        Some(v) => part(Digits::new(v).bytes()),
        None => part(b""),
    }
    part(before.unwrap_or("\u{0}").as_bytes());
    part(after.unwrap_or("\u{0}").as_bytes());
    part(prev.as_bytes());
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (i, b) in h.finalize().iter().enumerate() {
        out[2 * i] = HEX[(b >> 4) as usize];
        out[2 * i + 1] = HEX[(b & 0xf) as usize];
    }
    out
}

fn hex_str(h: &[u8; 64]) -> &str {
    // only ASCII hex digits were written
    std::str::from_utf8(h).unwrap_or(GENESIS)
}

/// The end of the chain while one transaction appends to it: its last row is read once,
/// and each appended row becomes the new end. Keep it only within the transaction that
/// read it (the write lock keeps anyone else from appending meanwhile).
pub struct Chain<'c> {
    insert: rusqlite::CachedStatement<'c>,
    next_id: i64,
    prev: String,
}

impl<'c> Chain<'c> {
    /// The chain's current end; call inside the change's write transaction.
    pub fn head(conn: &'c Connection) -> Result<Chain<'c>> {
        let last: Option<(i64, String)> = conn
            .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (next_id, prev) = match last {
            Some((id, hash)) => (id + 1, hash),
            None => (1, GENESIS.to_string()),
        };
        let insert = conn.prepare_cached(
            "INSERT INTO audit(id, at, operator_id, terminal, action, register, record_id, before, after, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        Ok(Chain { insert, next_id, prev })
    }

    /// Appends one row, linked to the one before it.
    pub fn append(&mut self, e: &RawEntry) -> Result<()> {
        let id = self.next_id;
        let hash =
            digest(id, e.at, e.operator, e.terminal, e.action, e.register, e.record_id, e.before, e.after, &self.prev);
        let hash = hex_str(&hash);
        self.insert.execute(params![
            id,
            e.at,
            e.operator,
            e.terminal,
            e.action,
            e.register,
            e.record_id,
            e.before,
            e.after,
            self.prev,
            hash
        ])?;
        self.next_id = id + 1;
        self.prev.clear();
        self.prev.push_str(hash);
        Ok(())
    }
}

/// Appends one row; call inside the change's write transaction.
pub fn append(conn: &Connection, e: &Entry) -> Result<()> {
    let before = e.before.as_ref().map(|v| v.to_string());
    let after = e.after.as_ref().map(|v| v.to_string());
    Chain::head(conn)?.append(&RawEntry {
        at: e.at,
        operator: e.operator,
        terminal: e.terminal,
        action: e.action,
        register: e.register,
        record_id: e.record_id,
        before: before.as_deref(),
        after: after.as_deref(),
    })
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
        let computed = hex_str(&computed);
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

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::{GENESIS, digest, hex_str};

    /// The hash as every earlier version computed it: the chains already written must
    /// still verify.
    #[allow(clippy::too_many_arguments)]
    fn written_before(
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

    #[test]
    fn the_hash_is_the_one_chains_were_written_with() {
        type Case<'a> = (i64, i64, Option<i64>, Option<&'a str>, Option<i64>, Option<&'a str>, Option<&'a str>);
        let cases: [Case; 5] = [
            (1, 0, None, None, None, None, None),
            (2, 1_795_745_700, Some(3), Some("visitor"), Some(12), None, Some("{\"name\":\"王芳\"}")),
            (i64::MAX, i64::MIN, Some(-1), Some(""), Some(0), Some("{}"), Some("")),
            (10, -86_400, Some(1_000_000), Some("customer"), Some(999_999), Some("{\"a\":1}"), None),
            (123_456_789, 9, Some(i64::MIN), None, Some(i64::MAX), None, None),
        ];
        for (id, at, op, reg, rec, before, after) in cases {
            let new = digest(id, at, op, "local /dev/pts/1 pid 7", "import", reg, rec, before, after, GENESIS);
            let old = written_before(id, at, op, "local /dev/pts/1 pid 7", "import", reg, rec, before, after, GENESIS);
            assert_eq!(hex_str(&new), old, "row {id}");
        }
    }
}
