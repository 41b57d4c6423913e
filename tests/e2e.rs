//! End to end: the real program in a pseudo-terminal, driven by keys, read off the
//! screen as an operator would. Each test has its own database in a temporary directory.

mod common;

use std::time::{Duration, Instant};

use common::{Db, Key, Session, flat, this_year};

const WIDE: (u16, u16) = (120, 32);
const ADMIN: (&str, &str) = ("boss", "secret12");

/// A database with the administrator 老板 and the receptionists 王芳 (desk1) and
/// 李娜 (desk2), made with the command line.
fn office() -> Db {
    let db = Db::new();
    db.init("boss", "老板", "secret12");
    db.add_user(ADMIN, "desk1", "王芳", "receptionist", "desk1pass");
    db.add_user(ADMIN, "desk2", "李娜", "receptionist", "desk2pass");
    db
}

/// Logs in as a receptionist and opens Intake (F3) on the visitor register.
fn at_intake(db: &Db, code: &str, password: &str) -> Session {
    let mut s = Session::start(db, &[], WIDE);
    s.login(code, password);
    s.wait_text("(Receptionist)");
    s.key(Key::F3);
    s.wait_text("Visitors & callers");
    s
}

/// From a register list: a new visitor form, the Name field focused (Date/time and
/// Channel come first).
fn new_visitor_form(s: &mut Session) {
    s.send("n");
    s.wait_text("New: Visitors & callers");
    s.keys(&[Key::Tab, Key::Tab]);
}

/// From a register list: enters a visitor and saves it (Ctrl-S).
fn add_visitor(s: &mut Session, name: &str, phone: &str, purpose: &str) {
    new_visitor_form(s);
    s.send(name);
    s.key(Key::Tab);
    s.send(phone);
    // Company, Class, Party size, then Purpose.
    s.keys(&[Key::Tab, Key::Tab, Key::Tab, Key::Tab]);
    s.send(purpose);
    s.key(Key::CtrlS);
}

/// The search box above the list holds `query`.
fn searched(s: &str, query: &str) -> bool {
    s.lines().any(|l| l.contains("Filter:") && l.contains(&format!("/ {query}")))
}

#[test]
fn first_run_creates_the_admin_then_logs_in() {
    let db = Db::new();
    let mut s = Session::start(&db, &[], WIDE);
    s.wait_text("First run: create the administrator");
    s.send("zhoumin");
    s.key(Key::Enter);
    s.send("Zhou Min");
    s.key(Key::Enter);
    s.send("secret12");
    s.key(Key::Enter);
    s.send("secret12");
    s.key(Key::Enter);
    s.wait_for("the administrator in the top bar", |t| {
        t.lines().next().is_some_and(|top| top.contains("Zhou Min (General manager/Admin)"))
    });
}

#[test]
fn add_a_chinese_visitor_and_find_it_by_one_character_and_by_phone_digits() {
    let db = Db::new();
    db.cli_ok(&["init", "--code", "boss", "--name", "老板"], &[], "secret12\n");
    db.cli_ok(
        &["user", "add", "desk1", "--name", "王芳", "--roles", "receptionist", "--as", "boss"],
        &[("FRONTDESK_PASSWORD", "secret12")],
        "desk1pass\n",
    );
    let mut s = at_intake(&db, "desk1", "desk1pass");
    s.wait_text("Nothing here yet");

    add_visitor(&mut s, "张三丰", "13912345678", "咨询租赁");
    s.wait_text(&format!("Saved V-{}-000001", this_year()));
    s.wait_text("张三丰");
    // A second visitor, which the searches below must leave out.
    add_visitor(&mut s, "李四", "13800001111", "参观");
    s.wait_text(&format!("Saved V-{}-000002", this_year()));
    s.wait_text("李四");

    s.send("/");
    s.send("丰");
    let screen = s.wait_for("the search for 丰", |t| searched(t, "丰") && t.contains("张三丰") && !t.contains("李四"));
    assert!(screen.contains("咨询租赁"), "the row shows its purpose:\n{screen}");

    s.key(Key::Esc);
    s.wait_for("the search cleared", |t| t.contains("张三丰") && t.contains("李四"));
    s.send("/");
    s.send("5678");
    s.wait_for("the search for 5678", |t| searched(t, "5678") && t.contains("张三丰") && !t.contains("李四"));

    s.key(Key::Esc);
    s.wait_for("the search cleared", |t| t.contains("张三丰") && t.contains("李四"));
    s.send("/");
    s.send("9999");
    s.wait_for("no match for 9999", |t| searched(t, "9999") && t.contains("No entry matches."));
}

#[test]
fn lock_and_unlock_keeps_the_half_typed_form() {
    let db = office();
    let mut s = at_intake(&db, "desk1", "desk1pass");
    new_visitor_form(&mut s);
    s.send("Ouyang Xiu");
    s.wait_text("Ouyang Xiu");

    s.key(Key::CtrlL);
    let locked = s.wait_text("Terminal locked");
    assert!(!locked.contains("Ouyang Xiu"), "a locked terminal shows no register data:\n{locked}");

    s.send("wrong-password");
    s.key(Key::Enter);
    let refused = s.wait_text("Wrong code or password.");
    assert!(refused.contains("Terminal locked") && !refused.contains("Ouyang Xiu"), "still locked:\n{refused}");

    s.send("desk1pass");
    s.key(Key::Enter);
    s.wait_for("the form back with the name", |t| {
        !t.contains("Terminal locked") && t.contains("New: Visitors & callers") && t.contains("Ouyang Xiu")
    });
}

#[test]
fn killed_while_typing_then_next_login_restores_the_draft() {
    let db = office();
    let mut s = at_intake(&db, "desk1", "desk1pass");
    new_visitor_form(&mut s);
    s.send("赵六");
    s.wait_text("赵六");

    // The form is saved as a draft every few seconds; wait until it has been.
    let conn = rusqlite::Connection::open(&db.path).expect("open the database");
    let start = Instant::now();
    let drafted =
        || conn.query_row("SELECT count(*) FROM draft WHERE data LIKE '%赵六%'", [], |r| r.get::<_, i64>(0));
    while !matches!(drafted(), Ok(n) if n > 0) {
        assert!(start.elapsed() < Duration::from_secs(10), "no draft within 10 s ({:?}):\n{}", drafted(), s.screen());
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(conn);

    s.kill_hard();
    drop(s);

    let mut s = Session::start(&db, &[], WIDE);
    s.login("desk1", "desk1pass");
    let screen = s.wait_text("Restored 1 unfinished form(s).");
    assert!(screen.contains("New: Visitors & callers"), "the form is open again:\n{screen}");
    s.wait_text("赵六");
}

#[test]
fn two_terminals_see_each_others_entries() {
    let db = office();
    let mut a = at_intake(&db, "desk1", "desk1pass");
    let b = at_intake(&db, "desk2", "desk2pass");
    a.wait_text("Nothing here yet");
    b.wait_text("Nothing here yet");

    add_visitor(&mut a, "李四", "13800001111", "参观");
    a.wait_text("Saved V-");
    // No key pressed at B.
    b.wait_text("李四");
}

#[test]
fn two_operators_editing_the_same_record_get_a_conflict() {
    let db = office();
    let mut a = at_intake(&db, "desk1", "desk1pass");
    let mut b = at_intake(&db, "desk2", "desk2pass");
    add_visitor(&mut a, "李四", "13800001111", "参观");
    a.wait_text("Saved V-");
    b.wait_text("李四");

    let title = format!("Visitors & callers V-{}-000001", this_year());
    a.key(Key::Enter);
    a.wait_text(&title);
    b.key(Key::Enter);
    b.wait_text(&title);

    // A: Purpose is the eighth field; clear it, type anew, save.
    a.keys(&[Key::Tab; 7]);
    a.key(Key::CtrlU);
    a.send("看样板间");
    a.key(Key::CtrlS);
    a.wait_text("Saved V-");

    // B: Name is the third field.
    b.keys(&[Key::Tab, Key::Tab]);
    b.key(Key::CtrlU);
    b.send("王五");
    b.wait_text("王五");
    b.key(Key::CtrlS);
    // They changed different fields: A's purpose is taken into B's form, B's name kept.
    let screen = b.wait_text("changed other fields meanwhile");
    assert!(screen.contains("王五"), "B's typed name is kept:\n{screen}");
    assert!(screen.contains("看样板间"), "A's change is in B's form:\n{screen}");
    b.key(Key::CtrlS);
    let screen = b.wait_text("Saved V-");
    assert!(screen.contains("王五") && screen.contains("看样板间"), "both edits stand:\n{screen}");
}

#[test]
fn check_passes_then_fails_after_an_audit_row_is_altered() {
    let db = office();
    let out = db.cli(&["check"], &[], "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "check of an intact database:\n{stdout}");
    assert!(stdout.contains("OK"), "{stdout}");

    let conn = rusqlite::Connection::open(&db.path).expect("open the database");
    conn.execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET after = '{\"x\":1}' WHERE id = 2;")
        .expect("alter the audit trail");
    assert_eq!(conn.changes(), 1, "audit row 2 exists");
    drop(conn);

    let out = db.cli(&["check"], &[], "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "check must fail:\n{stdout}");
    assert!(stdout.contains("row 2"), "check names the altered row:\n{stdout}");
}

#[test]
fn small_terminal_says_so_and_survives_resize() {
    let db = office();
    let mut s = Session::start(&db, &[], (60, 20));
    s.wait_flat("needs at least 80×24");
    s.resize(100, 30);
    s.wait_text("frontdesk: log in");
    assert!(s.running(), "the program still runs");
    s.login("desk1", "desk1pass");
    s.wait_text("王芳 (Receptionist)");
}

#[test]
fn chinese_interface() {
    let db = office();
    // The smallest terminal frontdesk supports, with double-width characters.
    let mut s = Session::start(&db, &["--lang", "zh-CN"], (80, 24));
    s.wait_text("前台登记：登录");
    s.login_keys("desk1", "desk1pass");
    s.wait_text("F3 接待");
}

#[test]
fn demo_login_screen_lists_operators() {
    let db = Db::new();
    let s = Session::start_raw(&db, &["--demo"], WIDE);
    // The demo database is filled first: allow it time.
    s.wait_until("the demo operators", Duration::from_secs(120), |t| {
        t.contains("Demo operators") && t.contains("wangfang") && t.contains("desk123")
    });
    let made = db.dir.path().join("data/frontdesk/demo.sqlite");
    assert!(made.exists(), "the demo database is in the (temporary) data directory");
}

#[test]
fn paste_with_escape_sequences_is_cleaned() {
    let db = office();
    let mut s = at_intake(&db, "desk1", "desk1pass");
    new_visitor_form(&mut s);
    s.wait_for("bracketed paste on", |_| s.with_screen(|sc| sc.bracketed_paste()));
    s.send("\x1b[200~Zhang\x1b[31mSan\x1b[201~");
    let screen = s.wait_text("ZhangSan");
    assert!(!screen.contains("[31m"), "no escape sequence text:\n{screen}");
    // "San" looks like "Zhang": no colour leaked from the pasted sequence.
    let colours = s.with_screen(|sc| {
        let (rows, cols) = sc.size();
        for row in 0..rows {
            let cells: Vec<_> = (0..cols).filter_map(|c| sc.cell(row, c)).collect();
            let text: Vec<&str> = cells.iter().map(|c| c.contents()).collect();
            if let Some(i) = (0..text.len().saturating_sub(8)).find(|&i| text[i..i + 8].concat() == "ZhangSan") {
                return cells[i..i + 8].iter().map(|c| (c.fgcolor(), c.bgcolor())).collect::<Vec<_>>();
            }
        }
        panic!("ZhangSan not found in cells");
    });
    assert!(colours.iter().all(|c| *c == colours[0]), "one colour for the whole name: {colours:?}");
    assert!(colours.iter().all(|c| c.0 != vt100::Color::Idx(1)), "not red: {colours:?}");
    assert_eq!(flat(&screen).matches("ZhangSan").count(), 1, "{screen}");
}

/// A receptionist takes a complaint on F4 and finds it in the list by its number; the
/// general manager takes over the locked terminal and sees the month on F7; Admin (F8)
/// is refused to whoever does not administer.
#[test]
fn a_complaint_taken_on_f4_then_the_general_manager_reads_f7_and_is_refused_f8() {
    let db = office();
    db.add_user(ADMIN, "gm", "周总", "general_manager", "gm-pass1");
    let mut s = Session::start(&db, &[], WIDE);
    s.login("desk1", "desk1pass");
    s.wait_text("(Receptionist)");
    s.key(Key::F4);
    s.wait_text("Complaints  Callbacks");
    s.send("n");
    s.wait_text("New: Complaints");
    // Received at, Channel, Anonymous, then the complainant
    s.keys(&[Key::Tab, Key::Tab, Key::Tab]);
    s.send("欧阳建国");
    s.wait_text("欧阳建国");
    // Contact, Customer card, then what the complaint is about
    s.keys(&[Key::Tab, Key::Tab, Key::Tab]);
    s.send("宝马X5 粤B12345");
    s.key(Key::Tab);
    s.send("r");
    s.wait_text("‹ Repair");
    s.key(Key::Tab);
    s.send("保养后发动机异响");
    s.key(Key::Tab);
    s.send("a");
    s.wait_text("‹ Apology or answer");
    s.key(Key::CtrlS);
    let number = format!("C-{}-000001", this_year());
    s.wait_text(&format!("Saved {number}"));
    let list = s.wait_for("the complaint in the list", |t| {
        t.lines().any(|l| l.contains(&number) && l.contains("欧阳建国") && l.contains("宝马X5"))
    });
    assert!(!list.contains("New: Complaints"), "the form is closed:\n{list}");

    // the general manager takes over the terminal
    s.key(Key::CtrlL);
    s.wait_text("Terminal locked");
    s.key(Key::ShiftTab);
    s.key(Key::CtrlU);
    s.send("gm");
    s.key(Key::Tab);
    s.send("gm-pass1");
    s.key(Key::Enter);
    s.wait_for("the general manager logged in", |t| {
        !t.contains("Terminal locked") && t.lines().next().is_some_and(|top| top.contains("周总 (General manager)"))
    });
    s.key(Key::F7);
    // the month just ended, whose report is due
    let today = chrono::Local::now().date_naive();
    let month = (today - chrono::Days::new(u64::from(chrono::Datelike::day(&today)))).format("%Y-%m").to_string();
    s.wait_text(&format!("Complaint statistics {month}"));

    s.key(Key::F8);
    let refused = s.wait_text("Your roles do not allow this.");
    let refused_later = s.settled();
    assert!(refused.contains(&format!("Complaint statistics {month}")), "still on Reports:\n{refused}");
    assert!(
        !refused_later.contains("Operators") && refused_later.contains("Your roles do not allow this."),
        "Admin stays closed:\n{refused_later}"
    );
}
