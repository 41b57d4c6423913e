//! A shared host: a terminal that keeps taking keys while another process holds the
//! database, saves and imports that wait their turn instead of failing "busy", and drafts
//! that a `kill -9` does not take. The built binary, in a pseudo-terminal or as a command.
//!
//! The counts here are small enough for every test run; `FRONTDESK_SOAK=1` runs the full
//! counts (see the README's Reliability section).

mod common;
mod support;

use std::time::{Duration, Instant};

use common::{Db, Key, Session};
use crossterm::event::KeyCode;

const ADMIN: (&str, &str) = ("boss", "secret12");

fn soak() -> bool {
    std::env::var("FRONTDESK_SOAK").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// A database with the administrator 老板 (general manager too) and the receptionist
/// 王芳 (desk1).
fn office() -> Db {
    let db = Db::new();
    db.init("boss", "老板", "secret12");
    db.add_user(ADMIN, "desk1", "王芳", "receptionist", "desk1pass");
    db
}

/// 王芳 at a new visitor form, at its Name field.
fn new_visitor_form(db: &Db) -> Session {
    let mut s = Session::start(db, &[], (120, 32));
    s.login("desk1", "desk1pass");
    s.wait_text("(Receptionist)");
    s.key(Key::F3);
    s.wait_text("Visitors & callers");
    s.send("n");
    s.wait_text("New: Visitors & callers");
    s.keys(&[Key::Tab, Key::Tab]);
    s
}

/// `rows` visitor rows of paper history, names tagged with `tag`.
fn visitors_csv(rows: usize, tag: &str) -> String {
    let mut s = String::from("occurred_at,channel,name,visitor_class,party_size,purpose\n");
    for i in 0..rows {
        s.push_str(&format!("2026-11-{:02} 09:{:02},walk_in,{tag}{i},C,1,咨询\n", 1 + i % 28, i % 60));
    }
    s
}

fn import(db: &Db, file: &std::path::Path) -> std::process::Output {
    db.cli(&["import", "visitor", file.to_str().unwrap(), "--as", "boss"], &[("FRONTDESK_PASSWORD", ADMIN.1)], "")
}

fn visitor_numbers(db: &Db) -> Vec<i64> {
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let mut st = c.prepare("SELECT number FROM visitor ORDER BY id").unwrap();
    st.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|n| n.unwrap().rsplit('-').next().unwrap().parse().unwrap())
        .collect()
}

/// Another terminal's write in progress: the write lock, held until dropped.
struct Held(rusqlite::Connection);

impl Held {
    fn take(db: &Db) -> Held {
        let c = rusqlite::Connection::open(&db.path).unwrap();
        c.execute_batch("BEGIN IMMEDIATE").unwrap();
        Held(c)
    }

    fn release(self) {
        self.0.execute_batch("ROLLBACK").unwrap();
    }
}

#[test]
fn f14_with_the_write_lock_held_keys_echo_the_screen_says_why_and_the_save_lands_when_it_goes() {
    let db = office();
    let mut s = new_visitor_form(&db);
    let held = Held::take(&db);
    // Each key shows at once, lock or no lock (drafts are kept every second meanwhile).
    let mut typed = String::new();
    for (i, ch) in "锁住时输入".chars().enumerate() {
        typed.push(ch);
        let t = Instant::now();
        s.send(&ch.to_string());
        s.wait_until(&format!("key {i} echoed"), Duration::from_secs(2), |sc| sc.contains(&typed));
        assert!(t.elapsed() < Duration::from_secs(2));
        std::thread::sleep(Duration::from_millis(400));
    }
    // Purpose: Tab past Phone, Company, Class, Party size.
    s.keys(&[Key::Tab, Key::Tab, Key::Tab, Key::Tab, Key::Tab]);
    s.send("来访");
    s.key(Key::CtrlS);
    s.wait_until("the waiting notice", Duration::from_secs(3), |sc| sc.contains("Waiting for another terminal"));
    // still typing while the save waits
    s.send("，带合同");
    s.wait_until("typing while queued", Duration::from_secs(2), |sc| sc.contains("来访，带合同"));
    assert!(visitor_numbers(&db).is_empty(), "nothing lands while the lock is held");
    held.release();
    s.wait_until("the queued save", Duration::from_secs(5), |sc| sc.contains("Saved V-"));
    assert_eq!(visitor_numbers(&db), vec![1]);
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let (name, purpose): (String, String) =
        c.query_row("SELECT name, purpose FROM visitor", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!((name.as_str(), purpose.as_str()), ("锁住时输入", "来访，带合同"));
}

#[test]
fn f19_a_kill_a_second_after_typing_into_a_form_opened_just_before_loses_nothing() {
    let db = office();
    let mut s = new_visitor_form(&db);
    s.send("刚打开就断电");
    s.wait_text("刚打开就断电");
    std::thread::sleep(Duration::from_millis(1_300));
    s.kill_hard();
    let mut s = Session::start(&db, &[], (120, 32));
    s.login("desk1", "desk1pass");
    s.wait_text("Restored 1 unfinished form");
    s.wait_text("刚打开就断电");
}

#[test]
fn f15_an_import_waits_its_turn_while_another_terminal_writes_and_says_so() {
    let db = office();
    let file = db.dir.path().join("v.csv");
    std::fs::write(&file, visitors_csv(50, "等")).unwrap();
    let held = Held::take(&db);
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(2_500));
        held.release();
    });
    let o = import(&db, &file);
    release.join().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("waiting for it to finish"), "{err}");
    assert_eq!(visitor_numbers(&db), (1..=50).collect::<Vec<_>>());
}

#[test]
fn f15_concurrent_bulk_imports_all_land_gap_free() {
    let (n, rows) = if soak() { (8, 20_000) } else { (4, 1_000) };
    let db = office();
    let files: Vec<_> = (0..n)
        .map(|i| {
            let f = db.dir.path().join(format!("v{i}.csv"));
            std::fs::write(&f, visitors_csv(rows, &format!("批{i}-"))).unwrap();
            f
        })
        .collect();
    let outs: Vec<_> = std::thread::scope(|sc| {
        let runs: Vec<_> = files.iter().map(|f| sc.spawn(|| import(&db, f))).collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    for o in &outs {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("busy"));
    }
    assert_eq!(visitor_numbers(&db), (1..=(n * rows) as i64).collect::<Vec<_>>(), "every row, numbered without gaps");
}

/// One desk of `concurrent_desks_…`, in a process of its own: the test binary runs that
/// test again with the database in `FRONTDESK_DESK_DB`, and it plays this part. It logs
/// in as 王芳 and saves `FRONTDESK_DESK_SAVES` visitors by keys, each save tried until it
/// lands as the terminal does, and prints how many it saved and how many errors it was
/// shown.
fn desk_process(path: &str) {
    let saves: usize = std::env::var("FRONTDESK_DESK_SAVES").unwrap().parse().unwrap();
    let tag = std::env::var("FRONTDESK_DESK_TAG").unwrap();
    let store = frontdesk::store::Store::open(std::path::Path::new(path)).unwrap();
    let mut m = support::model(store, frontdesk::i18n::Lang::En);
    let mut clock = support::NOW * 1000;
    support::login(&mut m, "desk1", "desk1pass");
    assert!(m.desk().is_some(), "{:?}", m.status.as_ref().map(|s| &s.text));
    // from here the desk's writes wait as a terminal's do
    m.store.set_busy_timeout(frontdesk::model::UI_WAIT).unwrap();
    m.on_key(support::key(KeyCode::F(3)));
    let (mut saved, mut errors) = (0, 0);
    for k in 0..saves {
        support::type_text(&mut m, "n");
        support::focus(&mut m, "name");
        support::type_text(&mut m, &format!("{tag}-{k}"));
        support::focus(&mut m, "purpose");
        support::type_text(&mut m, "并发保存");
        m.on_key(support::ctrl('s'));
        while m.pending_save.is_some() {
            std::thread::sleep(Duration::from_millis(5));
            clock += 300;
            m.tick_ms(clock);
        }
        match &m.status {
            Some(s) if s.text.starts_with("Saved V-") => saved += 1,
            s => {
                errors += 1;
                eprintln!("{tag}-{k}: {:?}", s.as_ref().map(|s| &s.text));
            }
        }
    }
    println!("DESK {tag} saved {saved} errors {errors}");
}

#[test]
fn concurrent_desks_saving_through_the_model_lose_nothing_and_leave_no_gap() {
    // the same test, run by itself as one of the desks
    if let Ok(path) = std::env::var("FRONTDESK_DESK_DB") {
        return desk_process(&path);
    }
    let (desks, saves) = if soak() { (16, 500) } else { (4, 30) };
    let db = office();
    let me = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..desks)
        .map(|i| {
            std::process::Command::new(&me)
                .args([
                    "concurrent_desks_saving_through_the_model_lose_nothing_and_leave_no_gap",
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env("FRONTDESK_DESK_DB", &db.path)
                .env("FRONTDESK_DESK_SAVES", saves.to_string())
                .env("FRONTDESK_DESK_TAG", format!("台{i}"))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{out}{}", String::from_utf8_lossy(&o.stderr));
        let line =
            out.split("DESK ").nth(1).and_then(|l| l.lines().next()).unwrap_or_else(|| panic!("no summary: {out}"));
        assert!(line.ends_with(&format!("saved {saves} errors 0")), "{line}\n{}", String::from_utf8_lossy(&o.stderr));
    }
    let total = (desks * saves) as i64;
    assert_eq!(visitor_numbers(&db), (1..=total).collect::<Vec<_>>(), "every save, numbered without gaps");
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let names: i64 = c.query_row("SELECT count(DISTINCT name) FROM visitor", [], |r| r.get(0)).unwrap();
    assert_eq!(names, total, "no save lost or made twice");
    let o = db.cli(&["check"], &[], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn imports_killed_at_random_moments_leave_all_or_nothing_and_a_sound_file() {
    let (kills, rows) = if soak() { (50, 20_000) } else { (6, 3_000) };
    let db = office();
    let file = db.dir.path().join("big.csv");
    std::fs::write(&file, visitors_csv(rows, "断")).unwrap();
    // how long one import takes here, to kill within it
    let t = Instant::now();
    assert!(import(&db, &file).status.success());
    let full = t.elapsed().as_millis() as u64;
    let mut expected = rows;
    let mut seed = 0x9e37_79b9_u64;
    let mut landed = 0;
    for k in 0..kills {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let at = Duration::from_millis(20 + (seed >> 33) % (full * 11 / 10).max(1));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .args(["--db", db.path.to_str().unwrap(), "import", "visitor", file.to_str().unwrap(), "--as", "boss"])
            .env("FRONTDESK_PASSWORD", ADMIN.1)
            .env("HOME", db.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let n = visitor_numbers(&db);
        assert!(n.len() == expected || n.len() == expected + rows, "kill {k} at {at:?}: {} rows", n.len());
        if n.len() > expected {
            landed += 1;
        }
        expected = n.len();
        assert_eq!(n, (1..=expected as i64).collect::<Vec<_>>(), "gap-free after kill {k}");
        let o = db.cli(&["check"], &[], "");
        assert!(o.status.success(), "check after kill {k}: {}", String::from_utf8_lossy(&o.stdout));
    }
    println!("{kills} kills, {landed} imports had committed before theirs");
}

/// F17's reproduction: a terminal saves, its journal is removed, an import is tried from
/// the command line. The import refuses (it would have been lost when the terminal
/// closed), and the terminal's status line says what happened.
#[test]
fn f17_with_the_journal_removed_under_a_terminal_an_import_refuses_and_the_terminal_says_so() {
    let db = office();
    let mut s = new_visitor_form(&db);
    s.send("WAL甲");
    s.keys(&[Key::Tab, Key::Tab, Key::Tab, Key::Tab, Key::Tab]);
    s.send("来访");
    s.key(Key::CtrlS);
    s.wait_until("the save", Duration::from_secs(5), |sc| sc.contains("Saved V-"));
    for suffix in ["-wal", "-shm"] {
        let mut p = db.path.clone().into_os_string();
        p.push(suffix);
        std::fs::remove_file(&p).unwrap();
    }
    let csv = db.dir.path().join("one.csv");
    std::fs::write(&csv, visitors_csv(1, "导入")).unwrap();
    let o = import(&db, &csv);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(err.contains("journal") && err.contains("was removed") && err.contains("frontdesk check"), "{err}");
    s.wait_flat("Close every frontdesk terminal, then run frontdesk check");
    // once the terminal is closed, the next command proceeds
    s.key(Key::CtrlQ);
    let t = Instant::now();
    while s.running() && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!s.running(), "Ctrl-Q ends the terminal");
    let o = db.cli(&["check"], &[], "");
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
}
