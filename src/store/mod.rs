//! SQLite: open, migrate, transactions, records, paging, search, audit, drafts.
//! No terminal here; the model calls in, the UI never does.

mod audit;
pub mod auth;
mod journal;
pub mod output;
mod records;
mod reports;
mod search;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};

use crate::domain::Msg;

pub use audit::{AnchorState, CheckReport, Found, Head, RowProblem, RowProblemKind, verify_chain};
pub use auth::{LoginError, Operator, hash_password};
pub use records::{Applied, Conflict, PageDir, values_json};
pub use search::fts_query;

const MIGRATIONS: &[&str] = &[
    include_str!("../../assets/migrations/0001_init.sql"),
    include_str!("../../assets/migrations/0002_complaints.sql"),
    include_str!("../../assets/migrations/0003_report_snapshots.sql"),
    include_str!("../../assets/migrations/0004_departments.sql"),
    include_str!("../../assets/migrations/0005_complaint_controls.sql"),
    include_str!("../../assets/migrations/0006_staff_named.sql"),
    include_str!("../../assets/migrations/0007_login_attempts.sql"),
    include_str!("../../assets/migrations/0008_search_fold.sql"),
    include_str!("../../assets/migrations/0009_repairs.sql"),
];

/// The migration that makes the search indexes anew (0008): applying it refills them.
const SEARCH_FOLD: usize = 8;

/// The schema version this build understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// `PRAGMA application_id` of a frontdesk database ("FDSK"), stamped when it is made, so
/// another program's SQLite file is told apart before anything is written to it.
pub const APPLICATION_ID: i32 = 0x4644_534B;

/// The tables every frontdesk database has had since its first schema: how one made
/// before the application id was stamped is recognised.
const FIRST_TABLES: [&str; 4] = ["meta", "operator", "setting", "audit"];

#[derive(Debug)]
pub enum StoreError {
    /// The file cannot be written (permissions, read-only medium).
    ReadOnly,
    /// Another terminal held the database for longer than the busy timeout.
    Busy,
    Corrupt(String),
    NewerSchema {
        found: i64,
        supported: i64,
    },
    DiskFull,
    /// A SQLite file of another program (F11): refused before anything is written.
    NotOurs,
    /// The file or its folder cannot be opened; why, as an i18n key (`io_reason`).
    CannotOpen(&'static str),
    /// Someone else saved the record since it was opened.
    Conflict(Box<Conflict>),
    NotFound,
    /// Something the change was planned on (a card's grade, a case's state, no card
    /// with this phone) changed meanwhile; nothing was written.
    Stale,
    /// The data breaks a rule; nothing was written.
    Invalid(Msg),
    /// The journal beside the database (`-wal`/`-shm`) was removed while a terminal had
    /// it open (F17): nothing more is written until every terminal is closed.
    JournalRemoved,
    Other(String),
}

impl StoreError {
    /// The message for the operator.
    pub fn msg(&self) -> Msg {
        match self {
            StoreError::ReadOnly => Msg::new("err.store.read_only"),
            StoreError::Busy => Msg::new("err.store.busy"),
            StoreError::Corrupt(d) => Msg::new("err.store.corrupt").with("detail", d),
            StoreError::NewerSchema { found, supported } => {
                Msg::new("err.store.newer_schema").with("found", found).with("supported", supported)
            }
            StoreError::DiskFull => Msg::new("err.store.disk_full"),
            StoreError::NotOurs => Msg::new("err.store.not_ours"),
            StoreError::CannotOpen(d) => Msg::new("err.store.cannot_open").with("detail", d),
            StoreError::Conflict(_) => Msg::new("err.store.conflict"),
            StoreError::NotFound => Msg::new("err.store.not_found"),
            StoreError::Stale => Msg::new("err.extra.stale"),
            StoreError::Invalid(m) => m.clone(),
            StoreError::JournalRemoved => Msg::new("err.store.journal_removed"),
            StoreError::Other(d) => Msg::new("err.store.other").with("detail", d),
        }
    }

    /// The message where no form is open (a command, the login screen): the same facts,
    /// without the promise that a form and its draft are kept.
    pub fn msg_no_form(&self) -> Msg {
        match self {
            StoreError::Busy => Msg::new("err.store.busy_no_form"),
            StoreError::DiskFull => Msg::new("err.store.disk_full_no_form"),
            StoreError::JournalRemoved => Msg::new("err.store.journal_removed_no_form"),
            other => other.msg(),
        }
    }
}

/// For logs only, never for an operator (they get `msg()` in their language): the message
/// key and its arguments, language-free.
impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = self.msg();
        f.write_str(m.key)?;
        for (k, v) in &m.args {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for StoreError {}

/// Why the system refused a file, as an i18n key; None for a reason without words of
/// its own (the caller names the system's error code or says it could not).
pub fn io_reason(e: &std::io::Error) -> Option<&'static str> {
    use std::io::ErrorKind as K;
    Some(match e.kind() {
        K::NotFound => "cli.io.not_found",
        K::PermissionDenied => "cli.io.denied",
        K::AlreadyExists => "cli.io.exists",
        K::IsADirectory => "cli.io.is_dir",
        K::NotADirectory => "cli.io.not_dir",
        K::StorageFull => "cli.io.full",
        K::ReadOnlyFilesystem => "cli.io.read_only",
        K::InvalidData => "cli.io.not_text",
        K::UnexpectedEof => "cli.io.eof",
        _ => return None,
    })
}

fn cannot_open(e: &std::io::Error) -> StoreError {
    StoreError::CannotOpen(io_reason(e).unwrap_or("cli.io.other"))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => StoreError::Corrupt(e.to_string()),
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            // The shared memory beside the database could not grow: a full disk, met at
            // opening a file no other terminal has open (F14).
            Some(ErrorCode::SystemIoFailure)
                if e.sqlite_error().is_some_and(|f| f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE) =>
            {
                StoreError::DiskFull
            }
            Some(ErrorCode::PermissionDenied) => StoreError::CannotOpen("cli.io.denied"),
            Some(ErrorCode::CannotOpen) => StoreError::CannotOpen("cli.io.other"),
            _ if e == rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            // SQLite's reason, without the statement (a migration's is a hundred lines)
            _ => match e {
                rusqlite::Error::SqlInputError { msg, .. } => StoreError::Other(msg),
                e => StoreError::Other(e.to_string()),
            },
        }
    }
}

/// A department; a retired one is kept for what names it but offered no more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub retired: bool,
}

fn department_name(name: &str) -> Result<String> {
    let name = crate::domain::text::sanitize(name, false).trim().to_string();
    if name.is_empty() {
        return Err(StoreError::Invalid(Msg::new("err.required")));
    }
    if name.chars().count() > 60 {
        return Err(StoreError::Invalid(
            Msg::new("err.text.too_long").with("len", name.chars().count()).with("max", 60),
        ));
    }
    Ok(name)
}

/// Unsaved form contents kept for an operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub slot: String,
    pub register: String,
    pub record_id: Option<i64>,
    pub data: String,
    pub saved_at: i64,
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Names this terminal in the audit trail.
    terminal: String,
    /// How a write waits for another terminal's: see `wait_for_writers`.
    patience: Patience,
    /// The journal files this store opened, looked at before every write (F17).
    journal: Option<journal::Journal>,
}

/// How long a write waits its turn while another terminal writes, beyond one busy
/// timeout, and what it says once when it starts waiting (the command line's "waiting for
/// another terminal…").
#[derive(Default)]
struct Patience {
    total: Duration,
    notice: Option<Box<dyn FnMut() + Send>>,
}

/// The default database: the user's data directory.
pub fn default_path(demo: bool) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "frontdesk")?;
    let name = if demo { "demo.sqlite" } else { "frontdesk.sqlite" };
    Some(dirs.data_dir().join(name))
}

fn terminal_name() -> String {
    let tty = std::env::var("SSH_TTY")
        .ok()
        .or_else(|| std::fs::read_link("/proc/self/fd/0").ok().map(|p| p.display().to_string()))
        .unwrap_or_else(|| "?".into());
    let host = std::env::var("SSH_CLIENT")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "local".into());
    format!("{host} {tty} pid {}", std::process::id())
}

/// Creates the file with owner-only permissions before SQLite does, so the register
/// (rule I6: confidential) is never readable by other accounts on the host.
fn create_private(path: &Path) -> Result<()> {
    // A SQLite URI (file:...?mode=ro) names its file itself; SQLite opens it as asked.
    if path.exists() || path.to_string_lossy().starts_with("file:") {
        return Ok(());
    }
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| cannot_open(&e))?;
    }
    match output::private_new(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(StoreError::ReadOnly),
        Err(e) => Err(cannot_open(&e)),
    }
}

/// Whether the file is a frontdesk database, or a new one to make so (F11): read only.
/// Stamped with the application id; or made before the id was stamped (its first
/// tables and a schema version); or empty (a new or 0-byte file: no table, no version,
/// no id). Anything else is another program's.
fn is_ours(conn: &Connection) -> Result<bool> {
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if id == APPLICATION_ID {
        return Ok(true);
    }
    if id != 0 {
        return Ok(false);
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut stmt = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")?;
    let tables: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    if tables.is_empty() {
        return Ok(version == 0);
    }
    Ok(version > 0 && FIRST_TABLES.iter().all(|t| tables.iter().any(|n| n == t)))
}

/// SQLite says only "unable to open database file" when it cannot make the -wal or
/// -shm file beside a database on a read-only mount (F13); asked directly, the system
/// says why. Opening the file for writing writes nothing to it.
fn read_only_why(path: &Path) -> Option<StoreError> {
    if path.to_string_lossy().starts_with("file:") || !path.exists() {
        return None;
    }
    match std::fs::OpenOptions::new().write(true).open(path) {
        Err(e) => read_only_kind(e.kind()).then_some(StoreError::ReadOnly),
        Ok(_) => None,
    }
}

/// The system's reasons that mean "this cannot be written".
fn read_only_kind(kind: std::io::ErrorKind) -> bool {
    matches!(kind, std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied)
}

impl Store {
    /// Opens (creating if needed) and migrates. Refuses a newer schema, a read-only or
    /// corrupt file, or another program's database, without writing anything to it.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_as(path, true)
    }

    /// `open`, for a file that must exist already: a missing one is not created
    /// (every command but `init` and `demo`).
    pub fn open_existing(path: &Path) -> Result<Store> {
        Store::open_as(path, false)
    }

    fn open_as(path: &Path, create: bool) -> Result<Store> {
        // Terminals starting together race for the locks that switching a new file to
        // WAL and migrating it need; SQLite may answer "busy" at once rather than wait,
        // so the loser tries again a little later (for up to about ten seconds).
        let mut tries = 0;
        loop {
            match Store::open_once(path, create) {
                Err(StoreError::Busy) if tries < 100 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(StoreError::CannotOpen(why)) => {
                    return Err(read_only_why(path).unwrap_or(StoreError::CannotOpen(why)));
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path, create: bool) -> Result<Store> {
        if create {
            create_private(path)?;
        }
        // F17: a terminal still writing into a journal that was removed would overwrite
        // what is written from here on when it closes; nothing is written until it has.
        if journal::removed_but_held(path) {
            return Err(StoreError::JournalRemoved);
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // Reading the header and schema first makes a non-database file, or another
        // program's, fail here, before any write (the WAL switch is one).
        if !is_ours(&conn)? {
            return Err(StoreError::NotOurs);
        }
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { found, supported: SCHEMA_VERSION });
        }
        if conn.is_readonly(rusqlite::MAIN_DB)? {
            return Err(StoreError::ReadOnly);
        }
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Other(format!("journal mode {mode}")));
        }
        // A saved record survives power loss. A 32 MiB page cache keeps the search indexes'
        // hot pages in memory at a million rows (about 15% faster bulk loads).
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -32768;")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            terminal: terminal_name(),
            patience: Patience::default(),
            journal: journal::Journal::of(path),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens a private in-memory database (tests).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            terminal: "test".into(),
            patience: Patience::default(),
            journal: None,
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How long a write waits for another terminal's transaction before giving up.
    pub fn set_busy_timeout(&self, t: Duration) -> Result<()> {
        Ok(self.conn.busy_timeout(t)?)
    }

    pub fn set_terminal(&mut self, name: &str) {
        self.terminal = name.to_string();
    }

    /// Applies pending migrations under an immediate lock, so two terminals starting at
    /// once apply each migration exactly once; stamps the application id on a database
    /// made before it was.
    fn migrate(&mut self) -> Result<()> {
        // Up to date: no lock needed, so a terminal starts even while another writes.
        let current: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let id: i32 = self.conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if current == SCHEMA_VERSION && id == APPLICATION_ID {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { found, supported: SCHEMA_VERSION });
        }
        let mut reindex = false;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql)?;
            // the indexes are empty: every record is indexed again, with the new fold,
            // once every register's table is there
            reindex |= i + 1 == SEARCH_FOLD;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        }
        if reindex {
            search::reindex_all(&tx)?;
        }
        tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is written, or none.
    /// While another terminal writes, it waits one busy timeout, and then, if this store
    /// was told to be patient (`wait_for_writers`), its turn, saying so once.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        self.write_within(self.patience.total, f)
    }

    /// `write`, waiting no more than one busy timeout for another terminal's write: for
    /// what may as well not be written now (a log-in's record while reading).
    pub(crate) fn write_or_skip<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        self.write_within(Duration::ZERO, f)
    }

    fn write_within<T>(
        &mut self,
        patience: Duration,
        f: impl FnOnce(&rusqlite::Transaction) -> Result<T>,
    ) -> Result<T> {
        self.journal_intact()?;
        let started = std::time::Instant::now();
        let mut told = false;
        loop {
            match self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from) {
                Ok(tx) => {
                    let out = f(&tx)?;
                    tx.commit()?;
                    return Ok(out);
                }
                Err(StoreError::Busy) if started.elapsed() < patience => {
                    if !told && let Some(notice) = self.patience.notice.as_mut() {
                        notice();
                    }
                    told = true;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Lets writes wait up to `total` for other terminals' writes to finish (a bulk
    /// import waits its turn rather than fail "busy"); `notice` runs once when one starts
    /// waiting.
    pub fn wait_for_writers(&mut self, total: Duration, notice: Box<dyn FnMut() + Send>) {
        self.patience = Patience { total, notice: Some(notice) };
    }

    /// Whether the journal files beside the database are still the ones this store
    /// opened (F17). Once they were removed or replaced, every write is refused with
    /// `JournalRemoved`: what this terminal wrote since is in a file no other terminal
    /// reads, and its next write could only add to what is lost.
    pub fn journal_intact(&mut self) -> Result<()> {
        match self.journal.as_mut().map(|j| j.intact()) {
            Some(false) => Err(StoreError::JournalRemoved),
            _ => Ok(()),
        }
    }

    /// Changes when any other connection commits; polled to refresh screens.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    // ---- settings ----

    pub fn settings(&self) -> Result<crate::domain::Settings> {
        let mut stmt = self.conn.prepare_cached("SELECT key, value FROM setting")?;
        let map = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(crate::domain::Settings::from_stored(map))
    }

    /// Stores a setting after checking it; audited.
    pub fn set_setting(&mut self, actor: i64, now: i64, key: &str, raw: &str) -> Result<String> {
        let value = crate::domain::settings::validate(key, raw).map_err(StoreError::Invalid)?;
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let before: Option<String> =
                tx.query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0)).optional()?;
            tx.execute(
                "INSERT INTO setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            audit::append(
                tx,
                &audit::Entry::new(now, Some(actor), &terminal, "setting")
                    .on(Some("setting"), None)
                    .change(before.map(|b| serde_json::json!({ key: b })), Some(serde_json::json!({ key: value }))),
            )?;
            Ok(())
        })?;
        Ok(value)
    }

    // ---- departments ----

    /// Every department (id, name), retired ones too: for the names of what names them.
    pub fn departments(&self) -> Result<Vec<(i64, String)>> {
        Ok(self.department_list()?.into_iter().map(|d| (d.id, d.name)).collect())
    }

    /// The departments offered for new records and operators: not retired.
    pub fn offered_departments(&self) -> Result<Vec<(i64, String)>> {
        Ok(self.department_list()?.into_iter().filter(|d| !d.retired).map(|d| (d.id, d.name)).collect())
    }

    /// Every department with its state, by name.
    pub fn department_list(&self) -> Result<Vec<Department>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name, retired_at FROM department ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Department { id: r.get(0)?, name: r.get(1)?, retired: r.get::<_, Option<i64>>(2)?.is_some() })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn department_by_name(&self, name: &str) -> Result<Option<Department>> {
        Ok(self
            .conn
            .query_row("SELECT id, name, retired_at FROM department WHERE name = ?1", [name.trim()], |r| {
                Ok(Department { id: r.get(0)?, name: r.get(1)?, retired: r.get::<_, Option<i64>>(2)?.is_some() })
            })
            .optional()?)
    }

    pub fn add_department(&mut self, actor: i64, now: i64, name: &str) -> Result<i64> {
        let name = department_name(name)?;
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let exists: Option<i64> =
                tx.query_row("SELECT id FROM department WHERE name = ?1", [&name], |r| r.get(0)).optional()?;
            if exists.is_some() {
                return Err(StoreError::Invalid(Msg::new("err.department.exists")));
            }
            tx.execute("INSERT INTO department(name) VALUES (?1)", [&name])?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                &audit::Entry::new(now, Some(actor), &terminal, "create")
                    .on(Some("department"), Some(id))
                    .change(None, Some(serde_json::json!({ "name": name }))),
            )?;
            Ok(id)
        })
    }

    /// Renames a department (a typo, a reorganisation); what names it follows.
    pub fn rename_department(&mut self, actor: i64, now: i64, id: i64, name: &str) -> Result<()> {
        let name = department_name(name)?;
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let before: String = tx
                .query_row("SELECT name FROM department WHERE id = ?1", [id], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::Invalid(Msg::new("err.department.unknown")))?;
            if before == name {
                return Ok(());
            }
            let taken: Option<i64> = tx
                .query_row("SELECT id FROM department WHERE name = ?1 AND id != ?2", params![name, id], |r| r.get(0))
                .optional()?;
            if taken.is_some() {
                return Err(StoreError::Invalid(Msg::new("err.department.exists")));
            }
            tx.execute("UPDATE department SET name = ?2, version = version + 1 WHERE id = ?1", params![id, name])?;
            audit::append(
                tx,
                &audit::Entry::new(now, Some(actor), &terminal, "update")
                    .on(Some("department"), Some(id))
                    .change(Some(serde_json::json!({ "name": before })), Some(serde_json::json!({ "name": name }))),
            )?;
            Ok(())
        })
    }

    /// Retires a department (`retired`), or brings a retired one back. Nothing is
    /// deleted: records and operators keep naming it.
    pub fn set_department_retired(&mut self, actor: i64, now: i64, id: i64, retired: bool) -> Result<()> {
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let state: Option<i64> = tx
                .query_row("SELECT retired_at FROM department WHERE id = ?1", [id], |r| r.get::<_, Option<i64>>(0))
                .optional()?
                .ok_or(StoreError::Invalid(Msg::new("err.department.unknown")))?;
            if state.is_some() == retired {
                return Ok(());
            }
            tx.execute(
                "UPDATE department SET retired_at = ?2, version = version + 1 WHERE id = ?1",
                params![id, if retired { Some(now) } else { None }],
            )?;
            audit::append(
                tx,
                &audit::Entry::new(now, Some(actor), &terminal, if retired { "retire" } else { "restore" })
                    .on(Some("department"), Some(id)),
            )?;
            Ok(())
        })
    }

    // ---- drafts ----

    /// Keeps unsaved form contents; not audited (nothing is saved until the operator saves).
    pub fn save_draft(
        &mut self,
        operator: i64,
        slot: &str,
        register: &str,
        record_id: Option<i64>,
        data: &str,
        now: i64,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO draft(operator_id, slot, register, record_id, data, saved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(operator_id, slot) DO UPDATE SET register = excluded.register, record_id = excluded.record_id,
                 data = excluded.data, saved_at = excluded.saved_at",
                params![operator, slot, register, record_id, data, now],
            )?;
            Ok(())
        })
    }

    pub fn delete_draft(&mut self, operator: i64, slot: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM draft WHERE operator_id = ?1 AND slot = ?2", params![operator, slot])?;
            Ok(())
        })
    }

    /// This operator's drafts, newest first.
    pub fn drafts(&self, operator: i64) -> Result<Vec<Draft>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT slot, register, record_id, data, saved_at FROM draft WHERE operator_id = ?1 ORDER BY saved_at DESC",
        )?;
        let rows = stmt
            .query_map([operator], |r| {
                Ok(Draft {
                    slot: r.get(0)?,
                    register: r.get(1)?,
                    record_id: r.get(2)?,
                    data: r.get(3)?,
                    saved_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    // ---- maintenance ----

    /// `PRAGMA integrity_check`, the audit chain against its last anchor, and every
    /// register row against its audit entries (F18). One read transaction, so what other
    /// terminals commit meanwhile does not show as a mismatch.
    pub fn check(&self) -> Result<CheckReport> {
        let tx = self.conn.unchecked_transaction()?;
        let mut stmt = tx.prepare("PRAGMA integrity_check")?;
        let problems: Vec<String> = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        let integrity = if problems.len() == 1 && problems[0] == "ok" { Vec::new() } else { problems };
        let mut report = verify_chain(&tx)?;
        report.integrity = integrity;
        for def in crate::domain::REGISTERS {
            records::verify_rows(&tx, def, &mut report)?;
        }
        tx.finish()?;
        Ok(report)
    }

    /// The audit chain's head, recorded as the anchor `check` verifies the chain against
    /// (F18): call wherever the head is printed. While another terminal writes, the head
    /// is read without being recorded.
    pub fn note_head(&mut self) -> Result<Option<Head>> {
        match self.write_or_skip(|tx| audit::anchor_head(tx)) {
            Err(StoreError::Busy) => audit::head(&self.conn),
            other => other,
        }
    }

    /// The audit chain's last entry, read only.
    pub fn audit_head(&self) -> Result<Option<Head>> {
        audit::head(&self.conn)
    }

    /// Where the chain holds `hash` (full, or its first 16 or more hex digits): the
    /// proof, with a hash kept outside the file, that the chain was not cut or rewritten
    /// before it (`check --anchor`).
    pub fn find_anchor(&self, hash: &str) -> Result<Found> {
        audit::find_hash(&self.conn, hash)
    }

    /// A consistent copy, even while other terminals write, into a file only its owner
    /// can read from its first byte (F5). An existing file is replaced only with
    /// `force`, and never the live database (F4).
    /// The copy holds the anchor of the head it returns (F18).
    pub fn backup(&mut self, out: &Path, force: bool) -> Result<Option<Head>> {
        let file = output::Output::create(out, force, &self.path).map_err(|e| e.store_error(out))?;
        let head = self.note_head()?;
        // SQLite writes into the empty private file made for it
        self.conn.execute("VACUUM INTO ?1", [file.writing_path().to_string_lossy()])?;
        file.finish().map_err(|e| output::OutputError::Io(e).store_error(out))?;
        Ok(head)
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

impl Store {
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{I18n, Lang};

    /// A database whose folder cannot be made: the operator reads why in their own
    /// language; the error's Display is for logs, in no language.
    #[test]
    fn a_file_that_cannot_be_opened_is_said_in_the_operators_language() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain");
        std::fs::write(&file, "x").unwrap();
        let e = match Store::open(&file.join("sub").join("frontdesk.sqlite")) {
            Err(e) => e,
            Ok(_) => panic!("a folder under a file cannot be made"),
        };
        assert!(matches!(e, StoreError::CannotOpen("cli.io.not_dir")), "{e:?}");
        let zh = I18n::new(Lang::Zh).msg(&e.msg());
        assert!(zh.starts_with("无法打开数据库") && !zh.is_ascii(), "{zh}");
        assert!(!zh.contains("directory") && !zh.contains("cli.io"), "{zh}");
        let en = I18n::new(Lang::En).msg(&e.msg());
        assert!(en.contains("a part of the path is not a directory"), "{en}");
        assert_eq!(e.to_string(), "err.store.cannot_open detail=cli.io.not_dir");
    }
}
