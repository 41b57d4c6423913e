//! The monthly complaint report (rule C13) through the model and the command line: a
//! submitted month keeps its figures, later changes are noted beside them, and every
//! ended month not submitted is reminded of.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::complaint_report::MONTHLY;
use frontdesk::domain::{Role, Value, callback, complaint};
use frontdesk::i18n::{I18n, Lang};
use frontdesk::keymap::Keymap;
use frontdesk::model::{Confirm, Model, Overlay};
use frontdesk::store::Store;
use support::*;

const DAY: i64 = 86_400;
/// 2026-12-05 10:15 at UTC+8: November has ended, its report is due on the 10th.
const DEC5: i64 = NOW + 8 * DAY;

const STAFF: &[(&str, &str, &[Role])] =
    &[("desk1", "王芳", &[Role::Receptionist]), ("boss", "陈总", &[Role::Manager, Role::Supervisor])];

fn office() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, path) = temp_db();
    let mut s = store_with(Some(&path), STAFF);
    s.add_department(1, NOW, "售后服务部").unwrap();
    (d, path)
}

/// A complaint received `days_ago` days before NOW (2026-11-27), closed after `closed_after`
/// days or still being investigated.
fn complaint(s: &mut Store, days_ago: i64, closed_after: Option<i64>) -> i64 {
    let received = NOW - days_ago * DAY;
    let mut pairs = vec![
        ("received_at", Value::Time(received)),
        ("channel", text("phone")),
        ("complainant", text("王先生")),
        ("contact", text("13812345678")),
        ("subject", text("宝马X5 粤B12345")),
        ("category", text("repair")),
        ("content", text("保养后发动机异响")),
        ("request", text("answer")),
        ("decision", text("stands")),
        ("department_id", Value::Ref(1)),
        ("case_due_at", Value::Time(received + 7 * DAY)),
        ("step", text("investigate")),
    ];
    if let Some(after) = closed_after {
        pairs.push(("step", text("closed")));
        pairs.push(("closed_at", Value::Time(received + after * DAY)));
    }
    let mut v = values(&complaint::REGISTER, &[]);
    for (k, val) in pairs {
        v[complaint::REGISTER.index(k).unwrap()] = val;
    }
    s.insert(1, &Context::new(received, OFFSET), &complaint::REGISTER, &v).unwrap().0
}

fn close(s: &mut Store, id: i64, at: i64) {
    let rec = s.get(&complaint::REGISTER, id).unwrap();
    let mut v = rec.values.clone();
    v[complaint::REGISTER.index("step").unwrap()] = text("closed");
    v[complaint::REGISTER.index("closed_at").unwrap()] = Value::Time(at);
    s.update(1, &Context::new(at, OFFSET), &complaint::REGISTER, &rec, &v).unwrap();
}

fn as_boss(path: &std::path::Path, now: i64) -> Model {
    let mut m = Model::new(Store::open(path).unwrap(), I18n::new(Lang::En), Keymap::default_map(), now, OFFSET);
    m.size = (120, 32);
    login(&mut m, "boss", "pass123");
    assert!(m.desk().is_some());
    m
}

fn status(m: &Model) -> String {
    m.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

#[test]
fn rule_c13_submitting_freezes_the_figures_and_later_changes_are_noted_beside_them() {
    let (_d, path) = office();
    let mut s = Store::open(&path).unwrap();
    let a = complaint(&mut s, 20, Some(3));
    let b = complaint(&mut s, 10, None);
    drop(s);
    let mut boss = as_boss(&path, DEC5);
    boss.on_key(key(KeyCode::F(7)));
    assert_eq!(boss.desk().unwrap().reports.month.map(|m| m.to_string()), Some("2026-11-01".into()));
    // asked first; Esc keeps it open
    type_text(&mut boss, "s");
    assert!(matches!(boss.overlay, Some(Overlay::Confirm(Confirm::SubmitReport))));
    boss.on_key(key(KeyCode::Esc));
    assert!(boss.overlay.is_none());
    assert_eq!(status(&boss), "Not submitted: 2026-11 stays open.");
    assert!(boss.store.submission("complaints", "2026-11").unwrap().is_none());
    // Alt-y (what a terminal may make of a fast "Esc y") does not submit
    type_text(&mut boss, "s");
    boss.on_key(crossterm::event::KeyEvent::new(KeyCode::Char('y'), crossterm::event::KeyModifiers::ALT));
    assert!(boss.overlay.is_none());
    assert!(boss.store.submission("complaints", "2026-11").unwrap().is_none());
    // Enter confirms
    type_text(&mut boss, "s");
    boss.on_key(key(KeyCode::Enter));
    let sub = boss.store.submission("complaints", "2026-11").unwrap().expect("submitted");
    assert_eq!(sub.at, DEC5);
    let frozen = sub.figures.expect("figures kept");
    assert_eq!(frozen.total.ids("received"), [a, b]);
    assert_eq!(frozen.total.ids("closed"), [a]);
    let v = &boss.desk().unwrap().reports;
    assert_eq!(v.submitted_by.as_deref(), Some("陈总"));
    assert!(v.frozen() && v.changed.is_empty());
    // a second time: refused, nothing asked
    type_text(&mut boss, "s");
    assert!(boss.overlay.is_none());
    assert_eq!(status(&boss), "This month's report is already marked submitted.");

    // later: a November card typed up (an import) and the open case closed
    let mut s = Store::open(&path).unwrap();
    let c = complaint(&mut s, 5, Some(1));
    close(&mut s, b, DEC5 + DAY);
    drop(s);
    let mut boss = as_boss(&path, DEC5 + 2 * DAY);
    boss.on_key(key(KeyCode::F(7)));
    // November is submitted, so the screen opens on December
    boss.on_key(key(KeyCode::PageUp));
    let v = &boss.desk().unwrap().reports;
    let shown = v.report.as_ref().unwrap();
    assert_eq!(shown.total.ids("received"), [a, b], "the frozen figures stay");
    assert_eq!(v.live.as_ref().unwrap().total.ids("received"), [a, b, c]);
    assert!(v.changed.contains(&"received") && v.changed.contains(&"closed"), "{:?}", v.changed);
    let note = frontdesk::report::changes(&MONTHLY, &boss.i18n, shown, v.live.as_ref().unwrap()).unwrap();
    assert!(note.starts_with("Since submission: Received 2 → 3, Resolved 1 → 3"), "{note}");
    // the cases behind a frozen figure are those counted then
    boss.on_key(key(KeyCode::Enter));
    let list = &boss.desk().unwrap().view().unwrap().list;
    assert_eq!(list.only.as_ref().map(|o| o.1.clone()), Some(vec![a, b]));
}

#[test]
fn rule_c13_the_reminder_lists_every_ended_month_not_submitted() {
    let (_d, path) = office();
    let mut s = Store::open(&path).unwrap();
    complaint(&mut s, 50, Some(2)); // 2026-10-08
    complaint(&mut s, 10, None);
    drop(s);
    let mut boss = as_boss(&path, DEC5);
    boss.on_key(key(KeyCode::F(4)));
    let notice = boss.desk().unwrap().notice.clone().unwrap_or_default();
    assert_eq!(notice, "Complaint statistics 2026-10, 2026-11: not yet submitted (due 11-10, 12-10; F7).");
    // October submitted: November alone is left
    boss.on_key(key(KeyCode::F(7)));
    boss.on_key(key(KeyCode::PageUp));
    type_text(&mut boss, "sy");
    assert!(boss.store.report_submitted("complaints", "2026-10").unwrap().is_some(), "{}", status(&boss));
    boss.on_key(key(KeyCode::F(4)));
    let notice = boss.desk().unwrap().notice.clone().unwrap_or_default();
    assert_eq!(notice, "Complaint statistics 2026-11: due 2026-12-10, not yet submitted (F7).");
}

#[test]
fn rule_c13_a_receptionist_is_not_asked_to_submit() {
    let (_d, path) = office();
    let mut m = Model::new(Store::open(&path).unwrap(), I18n::new(Lang::En), Keymap::default_map(), DEC5, OFFSET);
    m.size = (120, 32);
    login(&mut m, "desk1", "pass123");
    m.on_key(key(KeyCode::F(7)));
    // the line under the table does not name `s` to her either
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 32)).unwrap();
    t.draw(|f| frontdesk::ui::draw(f, &m)).unwrap();
    let shown = t.backend().to_string();
    assert!(shown.contains("Enter the cases behind a figure") && !shown.contains("s mark submitted"), "{shown}");
    type_text(&mut m, "s");
    assert!(m.overlay.is_none());
    assert_eq!(status(&m), "Your roles do not allow this.");
}

fn frontdesk(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"))
        .arg("--db")
        .arg(db)
        .args(["--lang", "en"])
        .args(args)
        .env("FRONTDESK_PASSWORD", "pass123")
        .env("TZ", "Asia/Shanghai")
        .output()
        .unwrap()
}

#[test]
fn rule_c13_the_command_line_gives_the_frozen_figures_by_number_and_name() {
    let (_d, path) = office();
    let mut s = Store::open(&path).unwrap();
    let a = complaint(&mut s, 20, Some(3));
    let b = complaint(&mut s, 10, None);
    // a callback made 5 days after closing: called back, but not within 3 days (rule F1)
    let closed = NOW - 17 * DAY;
    let cb = values(
        &callback::REGISTER,
        &[
            ("step", text("review")),
            ("source", text("C-2026-000001")),
            ("source_register", text("complaint")),
            ("source_id", Value::Int(a)),
            ("by_role", text("receptionist")),
            ("called_at", Value::Time(closed + 5 * DAY)),
            ("call_done_at", Value::Time(closed + 5 * DAY)),
            ("method", text("phone")),
            ("satisfaction", Value::Int(4)),
        ],
    );
    s.insert(1, &ctx(), &callback::REGISTER, &cb).unwrap();
    let (from, to) =
        frontdesk::domain::stats::month_bounds(frontdesk::domain::stats::parse_month("2026-11").unwrap(), OFFSET);
    let rows = s.report_rows(&MONTHLY, from, to).unwrap();
    let r = frontdesk::domain::stats::report(&MONTHLY, "2026-11", to, &rows, DEC5, &s.settings().unwrap());
    // rule C13: the figures are read and frozen in the one transaction that submits them
    let settings = s.settings().unwrap();
    let nov = frontdesk::domain::stats::parse_month("2026-11").unwrap();
    s.submit_month(3, DEC5, &MONTHLY, nov, OFFSET, &settings).unwrap();
    assert_eq!(s.submission("complaints", "2026-11").unwrap().and_then(|x| x.figures), Some(r));
    close(&mut s, b, DEC5 + DAY);
    drop(s);

    let o = frontdesk(&path, &["report", "complaints", "--month", "2026-11", "--format", "json", "--as", "boss"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["total"]["received"], serde_json::json!(["C-2026-000001", "C-2026-000002"]));
    assert_eq!(j["total"]["closed"], serde_json::json!(["C-2026-000001"]), "frozen");
    assert_eq!(j["now"]["closed"], serde_json::json!(["C-2026-000001", "C-2026-000002"]));
    assert_eq!(j["total"]["called_back"], serde_json::json!(["C-2026-000001"]));
    assert_eq!(j["total"]["callback_in_time"], serde_json::json!([]), "5 days after closing is late");
    assert_eq!(j["submitted"]["by"], "陈总");
    assert_eq!(j["by_department"][0]["name"], "售后服务部");
    assert_eq!(j["since_submission"][0]["figure"], "closed");

    let o = frontdesk(&path, &["report", "complaints", "--month", "2026-11", "--as", "boss"]);
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(text.contains("submitted by 陈总 2026-12-05 10:15"), "{text}");
    assert!(text.contains("Since submission: Resolved 1 → 2"), "{text}");
    assert!(text.contains("What the figures count") && text.contains("Called back ≤3 days"), "{text}");
    assert!(text.contains("Called back within 3 days of closing (rule F1)"), "{text}");
}

fn made_callback(s: &mut Store, source: i64, at: i64, extra: &[(&str, Value)]) -> i64 {
    let mut pairs = vec![
        ("step", text("review")),
        ("source", text("C-2026-000001")),
        ("source_register", text("complaint")),
        ("source_id", Value::Int(source)),
        ("by_role", text("receptionist")),
        ("due_at", Value::Time(at)),
        ("called_at", Value::Time(at)),
        ("call_done_at", Value::Time(at)),
        ("method", text("phone")),
        ("satisfaction", Value::Int(3)),
    ];
    pairs.extend(extra.iter().cloned());
    let mut v = values(&callback::REGISTER, &[]);
    for (k, val) in pairs {
        v[callback::REGISTER.index(k).unwrap()] = val;
    }
    s.insert(1, &Context::new(at, OFFSET), &callback::REGISTER, &v).unwrap().0
}

#[test]
fn rule_f5_and_f6_the_store_reads_reviews_and_follow_ups_from_the_callbacks() {
    let (_d, path) = office();
    let mut s = Store::open(&path).unwrap();
    let a = complaint(&mut s, 20, Some(3));
    let closed = NOW - 17 * DAY;
    let promised = closed + 5 * DAY;
    // the first callback, reviewed, raised a new issue with a promised reply (rule F4)
    made_callback(
        &mut s,
        a,
        closed + DAY,
        &[
            ("step", text("done")),
            ("reviewed_at", Value::Time(closed + 2 * DAY)),
            ("new_issue", text("备胎也要检查")),
            ("promised_at", Value::Time(promised)),
        ],
    );
    let rows = s.report_rows(&MONTHLY, 0, i64::MAX).unwrap();
    assert_eq!((rows[0].int("issues"), rows[0].int("issues_followed")), (Some(1), Some(0)), "nothing followed up yet");
    assert!(rows[0].flag("reviewed"));
    assert_eq!(rows[0].int("called_at"), Some(closed + DAY));
    // the promised callback is made, not yet reviewed
    made_callback(&mut s, a, promised, &[]);
    let rows = s.report_rows(&MONTHLY, 0, i64::MAX).unwrap();
    assert_eq!((rows[0].int("issues"), rows[0].int("issues_followed")), (Some(1), Some(1)), "followed up (rule F6)");
    assert!(!rows[0].flag("reviewed"), "one callback waits for its review (rule F5)");
    assert_eq!(rows[0].int("called_at"), Some(closed + DAY), "the first callback counts for F1");
    // a voided complaint is read, as voided
    s.void(1, &ctx(), &complaint::REGISTER, a, s.get(&complaint::REGISTER, a).unwrap().version, "重复登记").unwrap();
    let rows = s.report_rows(&MONTHLY, 0, i64::MAX).unwrap();
    assert!(rows[0].flag("voided"));
    let r = frontdesk::domain::stats::report(&MONTHLY, "2026-11", i64::MAX, &rows, DEC5, &s.settings().unwrap());
    assert_eq!(r.total.ids("voided"), [a]);
    assert!(r.total.ids("received").is_empty() && r.total.ids("issues").is_empty());
}

#[test]
fn the_reports_key_bar_says_what_its_keys_do_there() {
    let (_d, path) = office();
    let mut m = Model::new(Store::open(&path).unwrap(), I18n::new(Lang::Zh), Keymap::default_map(), DEC5, OFFSET);
    m.size = (120, 32);
    login(&mut m, "boss", "pass123");
    m.on_key(key(KeyCode::F(7)));
    let bar = frontdesk::ui::bar_commands(&m);
    let has = |k: &str, d: &str| bar.iter().any(|(key, desc)| key == k && desc == d);
    assert!(has("Tab", "切换分组") && has("PgUp", "上月") && has("PgDn", "下月"), "{bar:?}");
    assert!(!bar.iter().any(|(_, d)| d == "切换登记簿" || d == "上一页"), "{bar:?}");
    // elsewhere Tab still changes the register
    m.on_key(key(KeyCode::F(4)));
    assert!(frontdesk::ui::bar_commands(&m).iter().any(|(k, d)| k == "Tab" && d == "切换登记簿"));
}

#[test]
fn rule_c13_the_demos_submitted_month_has_its_figures_frozen() {
    let mut s = Store::open_in_memory().unwrap();
    // 2026-12-15: November went in on the 8th
    frontdesk::demo::seed(&mut s, DEC5 + 10 * DAY, OFFSET).unwrap();
    let sub = s.submission("complaints", "2026-11").unwrap().expect("submitted");
    let frozen = sub.figures.expect("with its figures");
    assert!(!frozen.total.ids("received").is_empty());
}

/// A month submitted by the previous version keeps its figures in that version's shape
/// (migration 0003's column): the command line still reads them as frozen, by number and
/// name, and names what reads differently now.
#[test]
fn rule_c13_figures_frozen_by_the_previous_version_still_read() {
    let (_d, path) = office();
    let mut s = Store::open(&path).unwrap();
    let a = complaint(&mut s, 20, Some(3));
    let old = format!(
        r#"{{"month":"2026-11","total":{{"received":[{a}],"rejected":[],"closed":[],"median_days":null,"callback_rate":null,"callback_target":50,"callback_days":3}},"by_category":[["repair",{{"received":[{a}]}}]],"by_channel":[],"by_department":[[1,{{"received":[{a}]}}]],"by_handler":[[null,{{"received":[{a}]}}]],"numbers":{{"{a}":"C-2026-000001"}}}}"#
    );
    s.conn()
        .execute(
            "INSERT INTO report_submission(report, month, at, by, figures) VALUES ('complaints', '2026-11', ?1, 3, ?2)",
            rusqlite::params![DEC5, old],
        )
        .unwrap();
    let frozen = s.submission("complaints", "2026-11").unwrap().unwrap().figures.expect("figures read");
    assert_eq!(frozen.total.ids("received"), [a]);
    assert_eq!(frozen.group("department").len(), 1);
    drop(s);

    let o = frontdesk(&path, &["report", "complaints", "--month", "2026-11", "--format", "json", "--as", "boss"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["submitted"]["frozen"], true);
    assert_eq!(j["total"]["received"], serde_json::json!(["C-2026-000001"]));
    assert_eq!(j["total"]["closed"], serde_json::json!([]), "as frozen");
    assert_eq!(j["now"]["closed"], serde_json::json!(["C-2026-000001"]));
    assert_eq!(j["by_department"][0]["name"], "售后服务部");
    assert_eq!(j["by_category"][0]["key"], "repair");
    assert_eq!(j["total"]["callback_target"], 50);
    assert_eq!(j["since_submission"][0]["figure"], "closed");
}
