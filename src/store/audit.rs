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

/// The chain's last entry: its id and hash. Printed on reports, backups and `check`, and
/// kept as an anchor, so a chain whose tail was cut or recomputed is told apart from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub id: i64,
    pub hash: String,
}

impl Head {
    /// The first 16 hex digits: enough to tell chains apart, short enough to copy out.
    pub fn short(&self) -> &str {
        self.hash.get(..16).unwrap_or(&self.hash)
    }
}

/// The `meta` key of the last head printed (`ID HASH`).
pub const ANCHOR_KEY: &str = "audit_anchor";

/// The chain's last entry, or None while it is empty.
pub fn head(conn: &Connection) -> Result<Option<Head>> {
    Ok(conn
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok(Head { id: r.get(0)?, hash: r.get(1)? }))
        .optional()?)
}

/// The anchor kept in `meta`, if any (a value that does not read as one counts as one
/// that no chain holds).
pub fn stored_anchor(conn: &Connection) -> Result<Option<Head>> {
    let v: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [ANCHOR_KEY], |r| r.get(0)).optional()?;
    Ok(v.map(|v| {
        let (id, hash) = v.split_once(' ').unwrap_or(("0", &v));
        Head { id: id.parse().unwrap_or(0), hash: hash.trim().to_string() }
    }))
}

/// The hash the chain holds at entry `id`.
fn hash_at(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT hash FROM audit WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?)
}

/// Records the chain's head as the anchor; call inside a write transaction. An anchor
/// the chain no longer holds is left as it is, for `check` to report: printing the head
/// of a cut or rewritten chain must not hide that it was.
pub fn anchor_head(conn: &Connection) -> Result<Option<Head>> {
    let Some(head) = head(conn)? else { return Ok(None) };
    if let Some(a) = stored_anchor(conn)? {
        if a == head {
            return Ok(Some(head));
        }
        if a.id > head.id || hash_at(conn, a.id)?.as_deref() != Some(a.hash.as_str()) {
            return Ok(Some(head));
        }
    }
    conn.execute(
        "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![ANCHOR_KEY, format!("{} {}", head.id, head.hash)],
    )?;
    Ok(Some(head))
}

/// How the chain stands against the last anchor recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorState {
    /// The chain holds the anchor's hash at its entry.
    Held,
    /// The chain ends before the anchor's entry: its tail was removed.
    Cut,
    /// The entry is there with another hash: the chain was recomputed from there back.
    Differs,
}

/// Where a hash kept outside the file (`check --anchor`) is in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// At this entry.
    At(i64),
    /// Nowhere.
    No,
    /// Too short or not hex: it cannot name an entry.
    NotAHash,
}

/// The chain's entry whose hash is `hash` or starts with it (the 16-digit short form
/// printed on reports is enough).
pub fn find_hash(conn: &Connection, hash: &str) -> Result<Found> {
    let hash = hash.trim().to_ascii_lowercase();
    if hash.len() < 16 || hash.len() > 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Found::NotAHash);
    }
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM audit WHERE substr(hash, 1, ?2) = ?1 ORDER BY id LIMIT 1",
            params![hash, hash.len() as i64],
            |r| r.get(0),
        )
        .optional()?;
    Ok(id.map(Found::At).unwrap_or(Found::No))
}

/// A register row that does not read as its audit trail says it should.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub register: &'static str,
    /// The record's number (or `#id` of a row the trail names and the register lacks).
    pub number: String,
    pub kind: RowProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblemKind {
    /// These fields differ from what the trail's entries, replayed, give.
    Altered(Vec<&'static str>),
    /// The row has no audit entry at all.
    NoEntry,
    /// The trail names the record; the register has no such row.
    Missing,
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
    /// The chain's last entry.
    pub head: Option<Head>,
    /// The last anchor recorded, and how the chain stands against it.
    pub anchor: Option<(Head, AnchorState)>,
    /// Register rows compared with their trail.
    pub rows_checked: i64,
    /// The first rows that do not match their trail (at most `ROW_PROBLEMS_LISTED`).
    pub row_problems: Vec<RowProblem>,
    /// How many rows do not match, listed or not.
    pub row_problem_count: usize,
    /// Rows of demo data loaded before each row had its own entry, covered by the one
    /// entry that counted them (`bulk_create`).
    pub bulk_rows: i64,
}

/// How many mismatching rows `check` names; the rest are counted.
pub const ROW_PROBLEMS_LISTED: usize = 50;

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.integrity.is_empty()
            && self.first_bad.is_none()
            && !self.triggers_missing
            && self.row_problem_count == 0
            && self.anchor.as_ref().is_none_or(|(_, s)| *s == AnchorState::Held)
    }
}

/// Walks the whole chain, recomputing every hash, and checks it against the last anchor.
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
        let id: i64 = r.get(0)?;
        let stored_hash: String = r.get(10)?;
        if report.first_bad.is_some() {
            prev = stored_hash;
            expect_id = id + 1;
            continue;
        }
        let stored_prev: String = r.get(9)?;
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
    if expect_id > 1 {
        report.head = Some(Head { id: expect_id - 1, hash: prev });
    }
    if let Some(a) = stored_anchor(conn)? {
        let state = match hash_at(conn, a.id)? {
            None => AnchorState::Cut,
            Some(h) if h == a.hash => AnchorState::Held,
            Some(_) => AnchorState::Differs,
        };
        report.anchor = Some((a, state));
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
