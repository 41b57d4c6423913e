//! The journal beside the database (`-wal`, `-shm`) while terminals have it open (F17).
//! Removing it under a running terminal splits the office in two: that terminal keeps
//! writing into a file nobody else sees, the next one starts a new journal, and whichever
//! closes last overwrites the other's saves. SQLite cannot tell; these checks can.

use std::path::{Path, PathBuf};

/// A file's identity: device and inode.
type Identity = (u64, u64);

fn identity(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// The `-wal` or `-shm` path of a database.
fn beside(db: &Path, suffix: &str) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// What a running store knows of its journal files: which files they were when it
/// opened them, and whether they have been seen removed or replaced since.
#[derive(Debug)]
pub(crate) struct Journal {
    files: [(PathBuf, Option<Identity>); 2],
    lost: bool,
}

impl Journal {
    /// The journal of the database at `db` (a plain path; None for a URI or memory).
    pub(crate) fn of(db: &Path) -> Option<Journal> {
        if db.to_string_lossy().starts_with("file:") || db.as_os_str() == ":memory:" {
            return None;
        }
        let files = ["-wal", "-shm"].map(|s| {
            let p = beside(db, s);
            let id = identity(&p);
            (p, id)
        });
        Some(Journal { files, lost: false })
    }

    /// Whether the journal files are still the ones this store opened. A file not there
    /// yet when the store opened is taken as it is at its first look; once one was seen
    /// removed or replaced, the answer stays no.
    pub(crate) fn intact(&mut self) -> bool {
        if self.lost {
            return false;
        }
        for (path, known) in &mut self.files {
            match (*known, identity(path)) {
                (Some(k), Some(now)) if k == now => {}
                (Some(_), _) => self.lost = true,
                (None, now) => *known = now,
            }
        }
        !self.lost
    }
}

/// Whether another process (or this one) still holds the journal of `db` open after it
/// was removed: its `-wal` or `-shm` shows as "(deleted)" among a process's open files.
/// Only processes whose open files this user may read are looked at (on Linux, their
/// own); where there is no /proc, nothing is found.
pub(crate) fn removed_but_held(db: &Path) -> bool {
    if db.to_string_lossy().starts_with("file:") {
        return false;
    }
    let Ok(db) = std::fs::canonicalize(db) else { return false };
    let targets: Vec<String> =
        ["-wal", "-shm"].iter().map(|s| format!("{} (deleted)", beside(&db, s).display())).collect();
    let Ok(procs) = std::fs::read_dir("/proc") else { return false };
    for p in procs.flatten() {
        if !p.file_name().to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(fds) = std::fs::read_dir(p.path().join("fd")) else { continue };
        for fd in fds.flatten() {
            if let Ok(link) = std::fs::read_link(fd.path()) {
                let link = link.to_string_lossy();
                if targets.iter().any(|t| *t == link) {
                    return true;
                }
            }
        }
    }
    false
}
