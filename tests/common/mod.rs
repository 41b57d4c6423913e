//! A small harness for end-to-end tests: the real binary in a pseudo-terminal, its
//! output parsed by a terminal emulator, keys typed as a terminal would send them.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_frontdesk");
/// How long a screen may take to show what a test waits for.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Keys other than plain text, as a terminal sends them. Not every test file uses
/// every key.
#[allow(dead_code)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Enter,
    Tab,
    ShiftTab,
    Esc,
    CtrlS,
    CtrlL,
    CtrlQ,
    CtrlU,
    F1,
    F2,
    F3,
    F4,
    F7,
    F8,
    Backspace,
    Down,
}

impl Key {
    pub fn bytes(self) -> &'static str {
        match self {
            Key::Enter => "\r",
            Key::Tab => "\t",
            Key::ShiftTab => "\x1b[Z",
            Key::Esc => "\x1b",
            Key::CtrlS => "\x13",
            Key::CtrlL => "\x0c",
            Key::CtrlQ => "\x11",
            Key::CtrlU => "\x15",
            Key::F1 => "\x1bOP",
            Key::F2 => "\x1bOQ",
            Key::F3 => "\x1bOR",
            Key::F4 => "\x1bOS",
            Key::F7 => "\x1b[18~",
            Key::F8 => "\x1b[19~",
            Key::Backspace => "\x7f",
            Key::Down => "\x1b[B",
        }
    }
}

/// A temporary directory holding the database, and serving as HOME and the XDG
/// directories so nothing of the user running the tests (keymap, data) is read.
pub struct Db {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Db {
    pub fn new() -> Db {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("x.sqlite");
        Db { dir, path }
    }

    /// `frontdesk --db PATH args…` with `stdin`, extra environment; returns its output.
    pub fn cli(&self, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.arg("--db").arg(&self.path).args(args);
        hermetic(self.dir.path(), |k, v| {
            cmd.env(k, v);
        });
        cmd.env_remove("LC_ALL").env_remove("NO_COLOR").env_remove("FRONTDESK_PASSWORD");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run frontdesk");
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
        child.wait_with_output().expect("frontdesk output")
    }

    /// Like `cli`, and the command must succeed.
    pub fn cli_ok(&self, args: &[&str], env: &[(&str, &str)], stdin: &str) -> String {
        let out = self.cli(args, env, stdin);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "frontdesk {args:?} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    /// Creates the database and its administrator.
    pub fn init(&self, code: &str, name: &str, password: &str) {
        self.cli_ok(&["init", "--code", code, "--name", name], &[], &format!("{password}\n"));
    }

    /// Adds an operator, acting as the administrator `admin` (password `admin_pw`).
    pub fn add_user(&self, (admin, admin_pw): (&str, &str), code: &str, name: &str, roles: &str, password: &str) {
        self.cli_ok(
            &["user", "add", code, "--name", name, "--roles", roles, "--as", admin],
            &[("FRONTDESK_PASSWORD", admin_pw)],
            &format!("{password}\n"),
        );
    }
}

/// The environment every run gets: English, a colour terminal, the temp dir as home.
fn hermetic(home: &Path, mut set: impl FnMut(&str, &str)) {
    let home = home.to_str().expect("utf-8 temp path");
    set("LANG", "en_US.UTF-8");
    set("TERM", "xterm-256color");
    set("HOME", home);
    set("XDG_DATA_HOME", &format!("{home}/data"));
    set("XDG_CONFIG_HOME", &format!("{home}/config"));
}

/// The program running in a pseudo-terminal. Dropping it kills the program.
pub struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Session {
    /// Starts `frontdesk --db PATH args…` in a terminal of `cols`×`rows`.
    pub fn start(db: &Db, args: &[&str], (cols, rows): (u16, u16)) -> Session {
        let mut all = vec!["--db", db.path.to_str().expect("utf-8 temp path")];
        all.extend_from_slice(args);
        Session::start_raw(db, &all, (cols, rows))
    }

    /// Starts `frontdesk args…` (no `--db` added).
    pub fn start_raw(db: &Db, args: &[&str], (cols, rows): (u16, u16)) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(db.dir.path());
        hermetic(db.dir.path(), |k, v| cmd.env(k, v));
        for k in ["LC_ALL", "NO_COLOR", "FRONTDESK_ASCII", "FRONTDESK_PASSWORD"] {
            cmd.env_remove(k);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn frontdesk");
        // Only the child holds the terminal's slave side: its end is the reader's EOF.
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let feed = Arc::clone(&parser);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => lock(&feed).process(&buf[..n]),
                }
            }
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Session { parser, writer, master: pair.master, child }
    }

    /// Types text.
    pub fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).expect("write to the terminal");
        self.writer.flush().expect("flush the terminal");
    }

    /// Presses a special key.
    pub fn key(&mut self, k: Key) {
        self.send(k.bytes());
        if k == Key::Esc {
            // Otherwise ESC and the next key arrive together and read as Alt+key.
            thread::sleep(Duration::from_millis(150));
        }
    }

    pub fn keys(&mut self, ks: &[Key]) {
        for &k in ks {
            self.key(k);
        }
    }

    /// The screen's text, rows separated by newlines.
    pub fn screen(&self) -> String {
        lock(&self.parser).screen().contents()
    }

    /// Runs `f` on the parsed screen.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(lock(&self.parser).screen())
    }

    /// Polls the screen until `cond` holds; panics with the screen after `timeout`.
    pub fn wait_until(&self, what: &str, timeout: Duration, cond: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if cond(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what}; the screen:\n{}\n{}", s, "-".repeat(40));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        self.wait_until(what, TIMEOUT, cond)
    }

    /// Waits until the screen contains `text`.
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits until the screen, with line breaks and runs of spaces as single spaces
    /// (wrapped text), contains `text`.
    pub fn wait_flat(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| flat(s).contains(text))
    }

    /// Waits until the screen stops changing: the same text twice, 200 ms apart. For
    /// asserting what is not shown once a key has been handled.
    pub fn settled(&self) -> String {
        let start = Instant::now();
        let mut last = self.screen();
        loop {
            thread::sleep(Duration::from_millis(200));
            let now = self.screen();
            if now == last {
                return now;
            }
            if start.elapsed() > TIMEOUT {
                panic!("the screen never settled; the last:\n{now}\n{}", "-".repeat(40));
            }
            last = now;
        }
    }

    /// Waits for the login screen, then logs in.
    pub fn login(&mut self, code: &str, password: &str) {
        self.wait_text("frontdesk: log in");
        self.login_keys(code, password);
    }

    /// Types a code and password on the login screen, in any language.
    pub fn login_keys(&mut self, code: &str, password: &str) {
        self.send(code);
        self.key(Key::Enter);
        self.send(password);
        self.key(Key::Enter);
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let mut p = lock(&self.parser);
        p.screen_mut().set_size(rows, cols);
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("resize the terminal");
    }

    /// Whether the program is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Kills the program with SIGKILL, as a power cut or `kill -9` would, and reaps it.
    pub fn kill_hard(&mut self) {
        if let Some(pid) = self.child.process_id() {
            let _ = Command::new("kill").arg("-KILL").arg(pid.to_string()).stderr(Stdio::null()).status();
        }
        if self.running() {
            // No `kill` program: portable-pty's kill sends SIGHUP, which ends it too.
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.running() {
            self.kill_hard();
        }
    }
}

fn lock(p: &Mutex<vt100::Parser>) -> std::sync::MutexGuard<'_, vt100::Parser> {
    // A test that panicked elsewhere leaves the parser usable.
    p.lock().unwrap_or_else(|e| e.into_inner())
}

/// Text with every run of whitespace (line breaks included) made one space.
pub fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The current year, as the program numbers records (V-<year>-000001).
pub fn this_year() -> String {
    chrono::Local::now().format("%Y").to_string()
}
