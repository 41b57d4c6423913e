//! Safe on a shared host: log-ins that hold under parallel guessing and do not tell real
//! codes from unknown ones, commands that each need an operator allowed to run them,
//! output files that only their owner reads and that never replace the database, and a
//! database file that is never made by mistake nor taken from another program.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Barrier};

use crossterm::event::KeyCode;
use frontdesk::domain::Role;
use frontdesk::i18n::{I18n, Lang};
use frontdesk::model::Phase;
use frontdesk::store::auth::{DUMMY_HASH, hash_password};
use frontdesk::store::{APPLICATION_ID, LoginError, Store, StoreError};
use support::*;

const DESK: &[(&str, &str, &[Role])] = &[("desk1", "王芳", &[Role::Receptionist])];

/// The built binary on `db`, in English, with `password` in FRONTDESK_PASSWORD (or none).
fn frontdesk(db: &Path, args: &[&str], password: Option<&str>) -> Output {
    run_cli_as(db, args, password)
}

/// `frontdesk`, with `stdin` typed in (a new password asked for).
fn typed(db: &Path, args: &[&str], stdin: &str, password: Option<&str>) -> Output {
    run_cli_typed(db, args, stdin, password)
}

fn said(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// An office made through the command line: `boss` (administrator and general manager,
/// `secret12`), `desk1` (receptionist, `desk1pass`), `mgr` (manager, `mgrpass12`).
fn office() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("office.sqlite");
    let o = typed(&db, &["init", "--code", "boss", "--name", "陈总"], "secret12\n", None);
    assert!(o.status.success(), "{}", said(&o));
    let mut s = Store::open(&db).unwrap();
    for (code, roles, pw) in [("desk1", Role::Receptionist, "desk1pass"), ("mgr", Role::Manager, "mgrpass12")] {
        let new = frontdesk::store::auth::NewOperator { code, name: code, roles: &[roles], password: pw };
        s.create_operator(Some(1), NOW, &new).unwrap();
    }
    (d, db)
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn audit_actions(path: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut stmt = c.prepare("SELECT action FROM audit ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

// ---- log-ins ----

/// Threads, each with its own connection, all guessing at once.
fn guess_in_parallel(path: &Path, code: &str, n: usize) -> Vec<Result<(), LoginError>> {
    let start = Arc::new(Barrier::new(n));
    let threads: Vec<_> = (0..n)
        .map(|i| {
            let (path, code, start) = (path.to_path_buf(), code.to_string(), Arc::clone(&start));
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                start.wait();
                s.login(&code, &format!("guess{i}"), NOW).map(|_| ())
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

#[test]
fn f1_parallel_wrong_guesses_lock_the_code_after_five() {
    let (_d, path) = temp_db();
    drop(store_with(Some(&path), DESK));
    let answers = guess_in_parallel(&path, "desk1", 32);
    let wrong = answers.iter().filter(|a| matches!(a, Err(LoginError::Wrong))).count();
    let locked = answers.iter().filter(|a| matches!(a, Err(LoginError::Locked { .. }))).count();
    assert_eq!((wrong, locked), (4, 28), "{answers:?}");
    let actions = audit_actions(&path);
    assert_eq!(actions.iter().filter(|a| *a == "login_failed").count(), 4);
    assert_eq!(actions.iter().filter(|a| *a == "lockout").count(), 1);
    // the right password, while the code is locked, is refused as locked
    let mut s = Store::open(&path).unwrap();
    assert!(matches!(s.login("desk1", "pass123", NOW + 30), Err(LoginError::Locked { until }) if until == NOW + 60));
    assert!(s.login("desk1", "pass123", NOW + 61).is_ok(), "the lock ends");
}

#[test]
fn f1_parallel_guesses_through_the_command_line_lock_the_code_after_five() {
    let (_d, db) = office();
    let runs: Vec<_> = (0..16)
        .map(|i| {
            let db = db.clone();
            std::thread::spawn(move || said(&frontdesk(&db, &["search", "x", "--as", "desk1"], Some(&format!("g{i}")))))
        })
        .collect();
    let answers: Vec<String> = runs.into_iter().map(|t| t.join().unwrap()).collect();
    let wrong = answers.iter().filter(|a| a.contains("Wrong code or password")).count();
    let locked = answers.iter().filter(|a| a.contains("locked until")).count();
    assert_eq!((wrong, locked), (4, 12), "{answers:#?}");
    let o = frontdesk(&db, &["search", "x", "--as", "desk1"], Some("desk1pass"));
    assert!(!o.status.success() && said(&o).contains("locked until"), "{}", said(&o));
}

#[test]
fn f20_an_unknown_code_answers_as_a_real_one_wrong_then_locked() {
    let mut s = store_with(None, DESK);
    let answers = |s: &mut Store, code: &str| -> Vec<Result<(), LoginError>> {
        (0..7).map(|i| s.login(code, &format!("guess{i}"), NOW + i).map(|_| ())).collect()
    };
    let real = answers(&mut s, "desk1");
    let unknown = answers(&mut s, "nosuch");
    assert_eq!(real, unknown);
    assert_eq!(real[3], Err(LoginError::Wrong));
    assert_eq!(real[4], Err(LoginError::Locked { until: NOW + 4 + 60 }));
    assert_eq!(real[6], Err(LoginError::Locked { until: NOW + 4 + 60 }));
    // the code is counted however it is typed, as a real one is
    assert!(matches!(s.login("NoSuch ", "x", NOW + 10), Err(LoginError::Locked { .. })));
    assert!(matches!(s.login("DESK1", "x", NOW + 10), Err(LoginError::Locked { .. })));
    // the trail shows the guesses at the unknown code, by its bucket, never as typed
    let c = s.conn();
    let bucket = frontdesk::store::auth::code_bucket("nosuch");
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM audit WHERE operator_id IS NULL AND action IN ('login_failed', 'lockout')
             AND after LIKE '%' || ?1 || '%'",
            [&bucket],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 5);
}

#[test]
fn f20_a_password_typed_into_the_code_field_is_kept_nowhere_in_the_file() {
    let (_d, path) = temp_db();
    drop(store_with(Some(&path), DESK));
    let mut s = Store::open(&path).unwrap();
    assert_eq!(s.login("MySecretPw2026", "x", NOW).err(), Some(LoginError::Wrong));
    drop(s);
    // checkpointed into the file, then its bytes and the journal's read whole
    rusqlite::Connection::open(&path).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    for file in [path.clone(), path.with_extension("sqlite-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(!text.contains("mysecretpw2026"), "{} keeps the typed text", file.display());
    }
    let o = frontdesk(&path, &["search", "x", "--as", "Other.Secret-99"], Some("x"));
    assert!(!o.status.success());
    let bytes = std::fs::read(&path).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).to_lowercase().contains("other.secret-99"));
}

#[test]
fn f20_an_unknown_code_is_checked_against_a_hash_made_as_every_operators_is() {
    // one verification, of a hash made beforehand with the parameters of a real one
    let params = |h: &str| h.split('$').take(4).collect::<Vec<_>>().join("$");
    assert_eq!(params(DUMMY_HASH), params(&hash_password("any password")));
    assert!(DUMMY_HASH.split('$').count() == 6 && DUMMY_HASH.len() > 80, "{DUMMY_HASH}");
    let mut s = store_with(None, DESK);
    assert_eq!(s.login("nosuch", "not a password", NOW).err(), Some(LoginError::Wrong));
}

#[test]
fn f20_the_command_line_says_the_same_to_a_real_and_an_unknown_code() {
    let (_d, db) = office();
    let tries = |code: &str| -> Vec<String> {
        (0..6)
            .map(|_| {
                let o = frontdesk(&db, &["report", "complaints", "--as", code], Some("x"));
                // the lock's end is a time of day: the same words, a moment apart
                said(&o).split(" until ").next().unwrap_or_default().to_string()
            })
            .collect()
    };
    let real = tries("desk1");
    assert!(real[0].contains("Wrong code or password") && real[5].contains("locked"), "{real:?}");
    assert_eq!(tries("nosuch"), real);
}

#[test]
fn f14_a_right_password_logs_in_while_another_terminal_holds_the_write_lock() {
    let (_d, path) = temp_db();
    drop(store_with(Some(&path), DESK));
    let before = audit_actions(&path).len();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta VALUES ('held', '1');").unwrap();
    let mut s = Store::open(&path).unwrap();
    let op = s.login("desk1", "pass123", NOW).expect("in, to read");
    assert_eq!(op.code, "desk1");
    // the command line's read-only commands too
    let o = run_cli(&path, &["search", "x", "--as", "desk1"]);
    assert!(o.status.success(), "{}", said(&o));
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(audit_actions(&path).len(), before, "nothing could be recorded meanwhile");
    s.login("desk1", "pass123", NOW).unwrap();
    assert_eq!(audit_actions(&path).last().map(String::as_str), Some("login"), "recorded once it can be");
}

#[test]
fn f14_a_wrong_password_while_the_database_is_busy_says_busy_and_is_never_let_in() {
    let (_d, path) = temp_db();
    drop(store_with(Some(&path), DESK));
    let mut s = Store::open(&path).unwrap();
    s.set_busy_timeout(std::time::Duration::from_millis(50)).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let e = s.login("desk1", "wrong", NOW).unwrap_err();
    let m = e.msg(OFFSET);
    assert_eq!(m.key, "err.store.busy_no_form");
    let en = I18n::new(Lang::En).msg(&m);
    assert!(!en.contains("form") && !en.contains("Database error"), "{en}");
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(s.login("desk1", "wrong", NOW).err(), Some(LoginError::Wrong));
}

/// Makes every write that needs a new page of the database fail as on a full disk, then
/// fails log-ins of `code` (the lockout set out of reach) until the audit row of one
/// cannot be written: the audit trail has no room left.
fn fill_the_disk(s: &mut Store, code: &str) {
    s.set_setting(1, NOW, "login.max_failures", "100").unwrap();
    let pages: i64 = s.conn().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    s.conn().query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get::<_, i64>(0)).unwrap();
    for _ in 0..99 {
        match s.login(code, "x", NOW) {
            Err(LoginError::Wrong) => continue,
            Err(LoginError::Store(m)) if m.key == "err.store.disk_full_no_form" => return,
            other => panic!("{other:?}"),
        }
    }
    panic!("the database never filled up");
}

#[test]
fn f14_f16_the_login_screen_on_a_full_disk_lets_the_operator_in_and_says_what_is_true() {
    let (_d, path) = temp_db();
    let mut m = model(store_with(Some(&path), DESK), Lang::En);
    fill_the_disk(&mut m.store, "desk1");
    // a wrong password cannot be counted: it says so, not that a form is kept
    login(&mut m, "desk1", "wrong");
    let Phase::Login(f) = &m.phase else { panic!("still at the login screen") };
    let error = f.index("password").and_then(|i| f.values[i].error.clone());
    let said = error.map(|e| I18n::new(Lang::En).msg(&e)).unwrap_or_default();
    assert!(said.starts_with("The disk is full") && !said.contains("form"), "{said}");
    // the right password (the field was emptied for it) lets the operator in to read
    type_text(&mut m, "pass123");
    m.on_key(key(KeyCode::Enter));
    assert!(m.desk().is_some_and(|d| d.op.code == "desk1"), "in, to read");
}

// ---- every door needs an operator ----

#[test]
fn f2_a_backup_needs_an_operator_who_may_copy_every_register() {
    let (d, db) = office();
    let copy = d.path().join("copy.sqlite");
    let c = copy.to_str().unwrap();
    let o = frontdesk(&db, &["backup", c], None);
    assert!(!o.status.success() && said(&o).contains("needs an operator"), "{}", said(&o));
    let o = frontdesk(&db, &["backup", c, "--as", "boss"], Some("wrong"));
    assert!(!o.status.success() && said(&o).contains("Wrong code or password"), "{}", said(&o));
    for who in [("desk1", "desk1pass"), ("mgr", "mgrpass12")] {
        let o = frontdesk(&db, &["backup", c, "--as", who.0], Some(who.1));
        assert!(!o.status.success() && said(&o).contains("do not allow"), "{who:?}: {}", said(&o));
    }
    assert!(!copy.exists(), "nothing was copied");
    let o = frontdesk(&db, &["backup", c, "--as", "boss"], Some("secret12"));
    assert!(o.status.success(), "{}", said(&o));
    assert!(frontdesk(&copy, &["check"], None).status.success());
}

#[test]
fn f2_demo_data_goes_into_an_office_only_by_an_operator_who_may_import_everywhere() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("demo.sqlite");
    // a new demo database has nobody to ask
    let o = frontdesk(&db, &["demo", "--scale", "5"], None);
    assert!(o.status.success(), "{}", said(&o));
    let visitors = || Store::open(&db).unwrap().count(&frontdesk::domain::visitor::REGISTER).unwrap();
    let before = visitors();
    let o = frontdesk(&db, &["demo", "--scale", "5"], None);
    assert!(!o.status.success() && said(&o).contains("needs an operator"), "{}", said(&o));
    let o = frontdesk(&db, &["demo", "--scale", "5", "--as", "admin"], Some("admin123"));
    assert!(!o.status.success() && said(&o).contains("do not allow"), "{}", said(&o));
    assert_eq!(visitors(), before);
    let o = frontdesk(&db, &["demo", "--scale", "5", "--as", "chenzong"], Some("boss123"));
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(visitors(), before + 5);
}

#[test]
fn f2_every_door_to_the_registers_and_accounts_refuses_without_an_operator() {
    let (d, db) = office();
    let csv = d.path().join("in.csv");
    std::fs::write(&csv, "name,category\n王芳,ordinary\n").unwrap();
    let (out, copy) = (d.path().join("out.csv"), d.path().join("b.sqlite"));
    let doors: &[&[&str]] = &[
        &["backup", copy.to_str().unwrap()],
        &["user", "list"],
        &["user", "add", "x1", "--name", "X", "--roles", "receptionist"],
        &["user", "passwd", "desk1"],
        &["user", "disable", "desk1"],
        &["dept", "list"],
        &["export", "customer"],
        &["export", "visitor", "--out", out.to_str().unwrap()],
        &["import", "customer", csv.to_str().unwrap()],
        &["search", "王"],
        &["report", "complaints"],
        &["demo", "--scale", "1"],
    ];
    for args in doors {
        let o = frontdesk(&db, args, None);
        assert!(!o.status.success(), "{args:?} ran without an operator: {}", said(&o));
        let s = said(&o);
        // the one refusal that is not about --as: demo data never goes into a real office
        assert!(s.contains("needs an operator") || s.contains("real data"), "{args:?}: {s}");
    }
    assert!(!out.exists() && !copy.exists());
    assert!(frontdesk(&db, &["check"], None).status.success(), "check shows no register contents");
}

// ---- files the program writes ----

#[test]
fn f3_f4_an_export_file_is_private_and_never_replaces_a_file_unasked_nor_the_database() {
    let (d, db) = office();
    let out = d.path().join("customers.csv");
    let o_ = out.to_str().unwrap();
    let export =
        |args: &[&str]| frontdesk(&db, &[&["export", "customer", "--as", "boss"], args].concat(), Some("secret12"));
    let o = export(&["--out", o_]);
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(mode(&out), 0o600);
    let first = std::fs::read(&out).unwrap();
    // a .csv file starts with the byte order mark spreadsheets need to read it as UTF-8
    assert!(first.starts_with(b"\xEF\xBB\xBFnumber,created_at"));
    // an existing file: refused, unless --force
    std::fs::write(&out, "mine").unwrap();
    let o = export(&["--out", o_]);
    assert!(!o.status.success() && said(&o).contains("--force"), "{}", said(&o));
    assert_eq!(std::fs::read(&out).unwrap(), b"mine");
    let o = export(&["--out", o_, "--force"]);
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(std::fs::read(&out).unwrap(), first);
    assert_eq!(mode(&out), 0o600);
    // the database, its WAL and shared memory: never, however the path is written
    let sub = d.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    let roundabout = sub.join("..").join("office.sqlite");
    for target in [db.clone(), roundabout, d.path().join("office.sqlite-wal"), d.path().join("office.sqlite-shm")] {
        let o = export(&["--out", target.to_str().unwrap(), "--force"]);
        assert!(!o.status.success() && said(&o).contains("the database itself"), "{}", said(&o));
    }
    // (each run logged in, so the file changed by its audit rows, and only by them)
    assert!(std::fs::read(&db).unwrap().starts_with(b"SQLite format 3\0"));
    assert!(frontdesk(&db, &["check"], None).status.success());
    assert_eq!(Store::open(&db).unwrap().operator_count().unwrap(), 3);
}

#[test]
fn f4_f5_a_backup_is_private_and_never_replaces_a_file_unasked_nor_the_database() {
    let (d, db) = office();
    let copy = d.path().join("copy.sqlite");
    let backup = |target: &Path, force: bool| {
        let mut args = vec!["backup", target.to_str().unwrap(), "--as", "boss"];
        if force {
            args.push("--force");
        }
        frontdesk(&db, &args, Some("secret12"))
    };
    assert!(backup(&copy, false).status.success());
    assert_eq!(mode(&copy), 0o600);
    let o = backup(&copy, false);
    assert!(!o.status.success() && said(&o).contains("exists already"), "{}", said(&o));
    std::fs::write(&copy, "old").unwrap();
    let o = backup(&copy, true);
    assert!(o.status.success(), "{}", said(&o));
    assert_eq!(mode(&copy), 0o600);
    assert!(frontdesk(&copy, &["check"], None).status.success(), "replaced by a whole copy");
    for target in [db.clone(), d.path().join("office.sqlite-wal")] {
        let o = backup(&target, true);
        assert!(!o.status.success() && said(&o).contains("the database itself"), "{}", said(&o));
    }
    assert!(frontdesk(&db, &["check"], None).status.success());
    assert_eq!(Store::open(&db).unwrap().operator_count().unwrap(), 3);
    // no part file is left beside it
    let left: Vec<_> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().ends_with(".part")), "{left:?}");
}

// ---- the database file ----

#[test]
fn f11_another_programs_sqlite_file_is_refused_and_left_as_it_was() {
    let d = tempfile::tempdir().unwrap();
    let files = [
        (
            "invoices.sqlite",
            "CREATE TABLE invoices(id INTEGER PRIMARY KEY, amount INT); INSERT INTO invoices VALUES (1, 100);",
        ),
        ("clash.sqlite", "CREATE TABLE operator(x);"),
        ("versioned.sqlite", "CREATE TABLE t(x); PRAGMA user_version = 1;"),
        ("stamped.sqlite", "PRAGMA application_id = 1234;"),
    ];
    for (name, sql) in files {
        let path = d.path().join(name);
        rusqlite::Connection::open(&path).unwrap().execute_batch(sql).unwrap();
        let before = std::fs::read(&path).unwrap();
        for args in [&["check"][..], &["search", "x", "--as", "boss"], &["init"]] {
            let o = frontdesk(&path, args, Some("secret12"));
            assert_eq!(o.status.code(), Some(2), "{name} {args:?}: {}", said(&o));
            let s = said(&o);
            assert!(s.contains("another program's database"), "{name}: {s}");
            assert!(s.lines().count() == 1 && !s.contains("CREATE"), "no SQL: {s}");
        }
        assert!(std::fs::read(&path).unwrap() == before, "{name} changed");
        assert!(!d.path().join(format!("{name}-wal")).exists(), "{name}: switched to WAL");
        assert!(matches!(Store::open(&path), Err(StoreError::NotOurs)), "{name}");
    }
    // an empty (0-byte) file is no database to `check`, which leaves it empty; the
    // doors that make a database (the application, `init`, `demo`) make it one, stamped
    // as frontdesk's
    let empty = d.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let o = frontdesk(&empty, &["check"], None);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
    drop(Store::open(&empty).unwrap());
    let id: i32 =
        rusqlite::Connection::open(&empty).unwrap().query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(id, APPLICATION_ID);
}

#[test]
fn f11_a_frontdesk_database_made_before_the_stamp_is_recognised_and_stamped() {
    let (_d, path) = temp_db();
    drop(store_with(Some(&path), DESK));
    rusqlite::Connection::open(&path).unwrap().execute_batch("PRAGMA application_id = 0").unwrap();
    let s = Store::open(&path).unwrap();
    assert_eq!(s.operator_count().unwrap(), 2);
    let id: i32 = s.conn().query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(id, APPLICATION_ID);
}

#[test]
fn f11_a_failed_statement_is_reported_without_its_sql() {
    let c = rusqlite::Connection::open_in_memory().unwrap();
    for (sql, reason) in [
        ("CREATE TABLE a(x); CREATE TABLE a(x);", "already exists"),
        ("SELECT nosuch FROM sqlite_schema", "no such column"),
    ] {
        let e = c.execute_batch(sql).unwrap_err();
        assert!(e.to_string().contains(sql.split(' ').next().unwrap()) || reason == "already exists", "{e}");
        let shown = I18n::new(Lang::En).msg(&StoreError::from(e).msg());
        assert!(shown.contains(reason) && !shown.contains("CREATE") && !shown.contains("SELECT"), "{shown}");
    }
}

/// Runs `script` (sh) in a private mount namespace, where it may mount what it needs
/// seen by nobody else; None where that cannot be done here (the script exits 97 when a
/// mount fails).
fn with_private_mounts(script: &str) -> Option<Output> {
    let o = Command::new("unshare").args(["-m", "sh", "-c", script]).env("LANG", "en_US.UTF-8").output();
    match o {
        Ok(o) if o.status.code() != Some(97) && !said(&o).contains("unshare:") => Some(o),
        _ => {
            eprintln!("no private mounts here (needs unshare and mount); not tried");
            None
        }
    }
}

#[test]
fn f14_a_database_on_a_full_disk_that_no_terminal_has_open_says_the_disk_is_full() {
    let (d, _db) = office();
    let full = d.path().join("full");
    std::fs::create_dir(&full).unwrap();
    let script = format!(
        "mount -t tmpfs -o size=1M tmpfs '{full}' || exit 97; cp '{dir}/office.sqlite' '{full}/' && \
         dd if=/dev/zero of='{full}/pad' bs=4k 2>/dev/null; \
         FRONTDESK_PASSWORD=secret12 exec '{bin}' --db '{full}/office.sqlite' search x --as boss",
        dir = d.path().display(),
        full = full.display(),
        bin = env!("CARGO_BIN_EXE_frontdesk"),
    );
    let Some(o) = with_private_mounts(&script) else { return };
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(said(&o).contains("The disk is full") && !said(&o).contains("I/O"), "{}", said(&o));
}

#[test]
fn f13_a_read_only_mount_says_the_database_cannot_be_written() {
    let (d, _db) = office();
    let ro = d.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    // a private mount namespace: the bind mount is seen by this one command only
    let script = format!(
        "mount --bind '{dir}' '{ro}' && mount -o remount,bind,ro '{ro}' || exit 97; exec '{bin}' --db '{ro}/office.sqlite' check",
        dir = d.path().display(),
        ro = ro.display(),
        bin = env!("CARGO_BIN_EXE_frontdesk"),
    );
    let Some(o) = with_private_mounts(&script) else { return };
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
    assert!(said(&o).contains("cannot be written (read-only"), "{}", said(&o));
}

// ---- messages ----

#[test]
fn f16_command_line_errors_speak_of_no_form_and_no_database_error() {
    let (d, db) = office();
    let csv = d.path().join("in.csv");
    std::fs::write(&csv, "name,category\n王芳,ordinary\n").unwrap();
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; INSERT INTO meta VALUES ('held', '1');").unwrap();
    // logged in (nothing to record could be), then the import waits its 2 s for the lock
    // in vain
    let o =
        frontdesk(&db, &["import", "customer", csv.to_str().unwrap(), "--wait", "2", "--as", "boss"], Some("secret12"));
    other.execute_batch("ROLLBACK").unwrap();
    let s = said(&o);
    assert!(!o.status.success() && s.contains("busy at another terminal") && s.contains("Nothing was changed"), "{s}");
    assert!(!s.contains("form") && !s.contains("draft") && !s.contains("Database error"), "{s}");
    for lang in [Lang::En, Lang::Zh] {
        let i = I18n::new(lang);
        for e in [StoreError::Busy, StoreError::DiskFull] {
            let said = i.msg(&e.msg_no_form());
            for word in ["form", "draft", "表单", "草稿"] {
                assert!(!said.contains(word), "{said}");
            }
        }
    }
}

// ---- passwords ----

/// The field errors of the setup form, or of the open form.
fn form_errors(m: &frontdesk::model::Model) -> Vec<(&'static str, String)> {
    let f = match &m.phase {
        Phase::Setup(f) => f,
        _ => m.desk().and_then(|d| d.form()).expect("a form is open"),
    };
    let en = I18n::new(Lang::En);
    f.fields.iter().zip(&f.values).filter_map(|(d, v)| v.error.as_ref().map(|e| (d.key, en.msg(e)))).collect()
}

#[test]
fn a14_the_shortest_password_is_the_setting_at_every_door() {
    let eleven = "elevenchars";
    let short =
        |errors: Vec<(&str, String)>| errors.iter().any(|(k, e)| *k == "password" && e == "At least 12 characters.");
    // the first-run screen, before anyone exists
    let mut s = Store::open_in_memory().unwrap();
    s.set_setting(1, NOW, "login.min_password", "12").unwrap();
    let mut m = model(s, Lang::En);
    let Phase::Setup(f) = &mut m.phase else { panic!("a new database starts with the setup") };
    for (k, v) in [("code", "admin"), ("name", "A"), ("password", eleven), ("password2", eleven)] {
        f.set(k, v, None);
    }
    m.on_key(ctrl('s'));
    assert!(short(form_errors(&m)), "{:?}", form_errors(&m));
    // the Admin screen's operator form
    let mut s = store_with(None, DESK);
    s.set_setting(1, NOW, "login.min_password", "12").unwrap();
    let mut m = model(s, Lang::En);
    login(&mut m, "admin", "admin123");
    m.on_key(key(KeyCode::F(8)));
    type_text(&mut m, "n");
    type_text(&mut m, "desk2");
    focus(&mut m, "password");
    type_text(&mut m, eleven);
    m.on_key(ctrl('s'));
    assert!(short(form_errors(&m)), "{:?}", form_errors(&m));
    // init, user add, user passwd
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("office.sqlite");
    Store::open(&db).unwrap().set_setting(1, NOW, "login.min_password", "12").unwrap();
    let with_stdin = |args: &[&str], stdin: &str, password: Option<&str>| typed(&db, args, stdin, password);
    let o = with_stdin(&["init", "--code", "boss", "--name", "B"], &format!("{eleven}\n"), None);
    assert!(!o.status.success() && said(&o).contains("At least 12"), "{}", said(&o));
    assert!(with_stdin(&["init", "--code", "boss", "--name", "B"], "twelve chars\n", None).status.success());
    let add = ["user", "add", "desk1", "--name", "D", "--roles", "receptionist", "--as", "boss"];
    let o = with_stdin(&add, &format!("{eleven}\n"), Some("twelve chars"));
    assert!(!o.status.success() && said(&o).contains("At least 12"), "{}", said(&o));
    assert!(with_stdin(&add, "twelve chars\n", Some("twelve chars")).status.success());
    let o = with_stdin(&["user", "passwd", "desk1", "--as", "boss"], &format!("{eleven}\n"), Some("twelve chars"));
    assert!(!o.status.success() && said(&o).contains("At least 12"), "{}", said(&o));
}
