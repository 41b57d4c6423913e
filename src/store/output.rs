//! Files the program writes for an operator (a backup, an export): only their owner can
//! read them, from the first byte (rule I6); an existing file is replaced only when
//! asked (`--force`), and the live database, its WAL and its shared memory never.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{StoreError, io_reason};
use crate::domain::Msg;

/// Why an output file was not made.
#[derive(Debug)]
pub enum OutputError {
    /// The file exists and replacing it was not asked for.
    Exists,
    /// The file is the database itself, or its WAL, shared memory or journal.
    Database,
    Io(std::io::Error),
}

impl OutputError {
    /// As the store says it, naming the file.
    pub fn store_error(&self, path: &Path) -> StoreError {
        // a path as typed may hold control characters: shown, they would reach the terminal
        let shown = crate::domain::text::sanitize(&path.display().to_string(), false);
        StoreError::Invalid(match self {
            OutputError::Exists => Msg::new("err.output.exists").with("path", shown),
            OutputError::Database => Msg::new("err.output.database").with("path", shown),
            OutputError::Io(e) => {
                Msg::new("err.output.io").with("path", shown).with("reason", io_reason(e).unwrap_or("cli.io.other"))
            }
        })
    }
}

impl From<std::io::Error> for OutputError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::AlreadyExists => OutputError::Exists,
            _ => OutputError::Io(e),
        }
    }
}

/// An output file being written. A new file is written where it is named; one that
/// replaces an existing file is written beside it and renamed over it by `finish`, so
/// the old one stays whole until the new one is. Dropped unfinished, what was written
/// is removed.
pub struct Output {
    path: PathBuf,
    /// Where the bytes go until `finish`: the file itself, or a private file beside it.
    writing: PathBuf,
    file: Option<File>,
    done: bool,
}

impl Output {
    /// Makes the (empty) file `path`, readable by its owner only. With `force` an
    /// existing file is replaced at `finish`; never `database` or its companions.
    pub fn create(path: &Path, force: bool, database: &Path) -> Result<Output, OutputError> {
        if is_database(path, database) {
            return Err(OutputError::Database);
        }
        let found = path.symlink_metadata();
        if found.as_ref().is_ok_and(|m| m.is_dir()) {
            return Err(OutputError::Io(std::io::ErrorKind::IsADirectory.into()));
        }
        let exists = found.is_ok();
        if exists && !force {
            return Err(OutputError::Exists);
        }
        if !exists {
            let file = private_new(path)?;
            return Ok(Output { path: path.to_path_buf(), writing: path.to_path_buf(), file: Some(file), done: false });
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for n in 0..100 {
            let writing = dir.join(format!(".{name}.{}.{n}.part", std::process::id()));
            match private_new(&writing) {
                Ok(file) => return Ok(Output { path: path.to_path_buf(), writing, file: Some(file), done: false }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(OutputError::Io(e)),
            }
        }
        Err(OutputError::Exists)
    }

    /// Where the bytes are written until `finish` (for a writer that opens the file
    /// itself, such as SQLite's `VACUUM INTO`).
    pub fn writing_path(&self) -> &Path {
        &self.writing
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.write_all(bytes),
            None => Ok(()),
        }
    }

    /// Makes the written file durable and puts it in place.
    pub fn finish(mut self) -> std::io::Result<()> {
        let file = match self.file.take() {
            Some(f) => f,
            None => File::open(&self.writing)?,
        };
        file.sync_all()?;
        drop(file);
        if self.writing != self.path {
            std::fs::rename(&self.writing, &self.path)?;
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.done {
            self.file = None;
            let _ = std::fs::remove_file(&self.writing);
        }
    }
}

/// A new file only its owner may read or write; an existing one is an error.
pub(super) fn private_new(path: &Path) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Whether `path` names the database or one of the files SQLite keeps beside it, by
/// any way of writing the path (relative, through links) or a hard link to it.
fn is_database(path: &Path, database: &Path) -> bool {
    let db = database.to_string_lossy();
    // a SQLite URI names its file after `file:` and before any `?`
    let db = match db.strip_prefix("file:") {
        Some(rest) => PathBuf::from(rest.split('?').next().unwrap_or(rest)),
        None => database.to_path_buf(),
    };
    let Some(target) = canonical(path) else { return false };
    let Some(db) = canonical(&db) else { return false };
    let companions = ["", "-wal", "-shm", "-journal"].map(|s| {
        let mut p = db.clone().into_os_string();
        p.push(s);
        PathBuf::from(p)
    });
    companions.iter().any(|c| *c == target || same_file(c, &target))
}

/// The path with its folder resolved (the file itself need not exist).
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f4_the_database_is_named_however_its_path_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("office.sqlite");
        std::fs::write(&db, b"").unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        assert!(is_database(&sub.join("..").join("office.sqlite"), &db));
        assert!(is_database(&dir.path().join("office.sqlite-wal"), &db), "the WAL, even before it exists");
        assert!(is_database(&dir.path().join("office.sqlite-shm"), &db));
        let link = dir.path().join("hard.sqlite");
        std::fs::hard_link(&db, &link).unwrap();
        assert!(is_database(&link, &db), "a hard link is the same file");
        let uri = PathBuf::from(format!("file:{}?mode=ro", db.display()));
        assert!(is_database(&db, &uri));
        assert!(!is_database(&dir.path().join("copy.sqlite"), &db));
        for p in [&db, &link] {
            assert!(matches!(Output::create(p, true, &db), Err(OutputError::Database)), "{}", p.display());
        }
    }

    #[cfg(unix)]
    #[test]
    fn f3_an_output_file_is_private_from_its_first_byte_and_replaces_only_when_asked() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("office.sqlite");
        let out = dir.path().join("out.csv");
        let mut o = Output::create(&out, false, &db).unwrap();
        let mode = std::fs::metadata(o.writing_path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "private before anything is written");
        o.write_all(b"new").unwrap();
        o.finish().unwrap();
        assert!(matches!(Output::create(&out, false, &db), Err(OutputError::Exists)));
        // replaced: the old file stays whole until the new one is written
        let mut o = Output::create(&out, true, &db).unwrap();
        o.write_all(b"newer").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        o.finish().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"newer");
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
        // given up half way: nothing is left behind, the old file is untouched
        let mut o = Output::create(&out, true, &db).unwrap();
        o.write_all(b"half").unwrap();
        drop(o);
        assert_eq!(std::fs::read(&out).unwrap(), b"newer");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no part file left");
    }
}
