//! The command line, run as a shell user would: the built binary on temporary databases.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn frontdesk(db: &Path, args: &[&str], stdin: &str, password: Option<&str>) -> Output {
    support::run_cli_typed(db, args, stdin, password)
}

fn out(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A database with `boss` (admin, manager) and `desk1` (receptionist).
fn office() -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("office.sqlite");
    let o = frontdesk(&db, &["init", "--code", "boss", "--name", "陈总"], "secret12\n", None);
    assert!(o.status.success(), "{}", out(&o));
    let o = frontdesk(
        &db,
        &["user", "add", "desk1", "--name", "王芳", "--roles", "receptionist", "--as", "boss"],
        "desk1pass\n",
        Some("secret12"),
    );
    assert!(o.status.success(), "{}", out(&o));
    (d, db)
}

const VISITORS: &str = "occurred_at,channel,name,phone,visitor_class,party_size,purpose,intent,staff_id,received_by
2026-11-02 09:30,walk_in,王芳,138 1234 5678,B,3,咨询三楼办公室租赁,yes,desk1,desk1
2026-11-03 14:00,phone,James Smith,,D,1,Lease enquiry,no,,desk1
";

#[test]
fn help_is_everywhere() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("x.sqlite");
    for args in
        [&["--help"][..], &["user", "--help"], &["export", "--help"], &["demo", "--help"], &["import", "--help"]]
    {
        let o = frontdesk(&db, args, "", None);
        assert!(o.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stdout).contains("Usage"), "{args:?}");
    }
}

#[test]
fn users_are_added_listed_and_disabled() {
    let (_d, db) = office();
    let o = frontdesk(&db, &["user", "list", "--as", "boss"], "", Some("secret12"));
    let s = out(&o);
    assert!(s.contains("boss") && s.contains("desk1") && s.contains("王芳"), "{s}");
    let o = frontdesk(&db, &["user", "add", "x1", "--name", "X", "--roles", "receptionist"], "pw12345\n", None);
    assert!(!o.status.success(), "adding needs an administrator once one exists");
    assert!(out(&o).contains("--as"));
    let o = frontdesk(&db, &["user", "disable", "desk1", "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&frontdesk(&db, &["user", "list", "--as", "boss"], "", Some("secret12"))).contains("disabled"));
}

#[test]
fn import_then_export_round_trips_and_search_finds_it() {
    let (d, db) = office();
    let csv = d.path().join("visitors.csv");
    std::fs::write(&csv, VISITORS).unwrap();
    let o = frontdesk(&db, &["import", "visitor", csv.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("Imported 2"));
    let o = frontdesk(&db, &["export", "visitor", "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("number,created_at,occurred_at,channel,name"));
    assert_eq!(lines.len(), 3, "{text}");
    // without a created_at column the entry is dated when it was typed in
    assert!(lines[1].starts_with("V-2026-000001,"), "{}", lines[1]);
    assert!(
        lines[1]
            .contains(",2026-11-02 09:30,walk_in,王芳,13812345678,,B,3,咨询三楼办公室租赁,yes,no,,desk1,,desk1,no,,"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains("James Smith"));
    let o = frontdesk(&db, &["search", "王", "--as", "desk1"], "", Some("desk1pass"));
    let s = out(&o);
    assert!(s.contains("V-2026-000001") && s.contains("王芳"), "{s}");
    let o = frontdesk(&db, &["search", "5678", "--as", "desk1"], "", Some("desk1pass"));
    assert!(out(&o).contains("V-2026-000001"));
}

#[test]
fn a_search_that_finds_more_than_it_shows_says_so_beside_what_is_piped_on() {
    let (d, db) = office();
    let csv = d.path().join("visitors.csv");
    std::fs::write(&csv, "occurred_at,channel,name,visitor_class,party_size,purpose\n2026-11-02 09:30,walk_in,王一,C,1,看房\n2026-11-02 09:40,walk_in,王二,C,1,看房\n").unwrap();
    let o = frontdesk(&db, &["import", "visitor", csv.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let o = frontdesk(&db, &["search", "看房", "--limit", "1", "--as", "boss"], "", Some("secret12"));
    let (shown, said) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(shown.lines().filter(|l| l.starts_with("V-")).count(), 1, "{shown}");
    assert!(said.contains("--limit 5"), "{said}");
    let o = frontdesk(&db, &["search", "看房", "--limit", "2", "--as", "boss"], "", Some("secret12"));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("--limit"), "all are shown");
}

#[test]
fn rule_i6_copying_the_register_needs_the_general_manager() {
    let (_d, db) = office();
    let o = frontdesk(&db, &["export", "visitor", "--as", "desk1"], "", Some("desk1pass"));
    assert!(!o.status.success());
    assert!(out(&o).contains("do not allow"), "{}", out(&o));
    // a department's manager sees the register but does not copy it out
    let o = frontdesk(
        &db,
        &["user", "add", "mgr", "--name", "陈经理", "--roles", "manager", "--as", "boss"],
        "mgrpass12\n",
        Some("secret12"),
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = frontdesk(&db, &["export", "visitor", "--as", "mgr"], "", Some("mgrpass12"));
    assert!(!o.status.success() && out(&o).contains("do not allow"), "{}", out(&o));
    // the general manager does
    let o = frontdesk(&db, &["export", "visitor", "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let o = frontdesk(&db, &["export", "visitor"], "", None);
    assert!(!o.status.success(), "no operator, no copy");
}

#[test]
fn an_import_with_a_bad_row_names_the_line_and_imports_nothing() {
    let (d, db) = office();
    let csv = d.path().join("bad.csv");
    let bad = format!("{VISITORS}2026-11-04 10:00,walk_in,李四,12ab,C,1,送文件,no,,desk1\n");
    std::fs::write(&csv, bad).unwrap();
    let o = frontdesk(&db, &["import", "visitor", csv.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(!o.status.success());
    let s = out(&o);
    assert!(s.contains("Nothing imported") && s.contains("Line 4") && s.contains("phone"), "{s}");
    let o = frontdesk(&db, &["export", "visitor", "--as", "boss"], "", Some("secret12"));
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 1, "only the header: nothing was imported");
    std::fs::write(&csv, "name,shoe_size\n王芳,42\n").unwrap();
    let o = frontdesk(&db, &["import", "customer", csv.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(out(&o).contains("unknown column “shoe_size”"), "{}", out(&o));
}

#[test]
fn check_backup_and_a_wrong_password() {
    let (d, db) = office();
    let o = frontdesk(&db, &["check"], "", None);
    assert!(o.status.success());
    assert!(out(&o).contains("OK"));
    let copy = d.path().join("copy.sqlite");
    let o = frontdesk(&db, &["backup", copy.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    assert!(frontdesk(&copy, &["check"], "", None).status.success());
    let o = frontdesk(&db, &["export", "customer", "--as", "boss"], "", Some("nope"));
    assert!(!o.status.success());
    assert!(out(&o).contains("Wrong code or password"));
}

#[test]
fn demo_scale_fills_an_empty_database_but_never_a_real_one() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("demo.sqlite");
    let o = frontdesk(&db, &["demo", "--scale", "2000"], "", None);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains(" rows in "), "{}", out(&o));
    let c = rusqlite::Connection::open(&db).unwrap();
    for t in ["visitor", "customer", "complaint"] {
        let n: i64 = c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap();
        assert_eq!(n, 2000, "{t}");
    }
    assert!(frontdesk(&db, &["check"], "", None).status.success());
    let (_d2, real) = office();
    let o = frontdesk(&real, &["demo", "--scale", "10"], "", None);
    assert!(!o.status.success());
    assert!(out(&o).contains("real data"));
}

#[test]
fn a_database_of_a_newer_version_is_refused_at_start_and_left_alone() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("new.sqlite");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        // as a newer frontdesk makes it: stamped as frontdesk's
        c.execute_batch(&format!(
            "CREATE TABLE t(x); PRAGMA user_version = 42; PRAGMA application_id = {};",
            frontdesk::store::APPLICATION_ID
        ))
        .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let o = frontdesk(&db, &["check"], "", None);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("newer frontdesk"), "{}", out(&o));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_corrupt_database_is_refused_with_a_message() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("bad.sqlite");
    std::fs::write(&db, vec![0x42u8; 8192]).unwrap();
    let o = frontdesk(&db, &["check"], "", None);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("damaged or is not a frontdesk database"), "{}", out(&o));
}

#[test]
fn a_read_only_database_is_refused_with_a_message() {
    let (_d, db) = office();
    let uri = format!("file:{}?mode=ro", db.display());
    let o = frontdesk(Path::new(&uri), &["check"], "", None);
    assert_eq!(o.status.code(), Some(2));
    assert!(out(&o).contains("cannot be written"), "{}", out(&o));
}

#[test]
fn chinese_messages_on_the_command_line() {
    let (_d, db) = office();
    let mut c = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    let o = c.arg("--db").arg(&db).args(["--lang", "zh-CN", "check"]).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("正常"));
}

/// A month of past paper complaint cards, as an office would type them up.
const OCTOBER: &str = "created_at,received_at,channel,complainant,contact,subject,category,content,request,step,decision,decision_reason,reply,decided_at,handler_id,closed_at,satisfaction,summary,improvement,major,major_at,reported_at,reported_to
2026-10-01 09:00,2026-10-01 09:00,phone,王一,13800000001,宝马X5,repair,异响,compensation,closed,stands,属实,,2026-10-01 10:00,boss,2026-10-04 09:00,satisfied,已修复,核对配件,,,,
2026-10-02 09:00,2026-10-02 09:00,walk_in,王二,13800000002,奥迪A6,service,态度差,answer,closed,stands,属实,,2026-10-02 10:00,boss,2026-10-11 09:00,satisfied,已道歉,培训,,,,
2026-10-03 09:00,2026-10-03 09:00,phone,王三,13800000003,物业费,contract,收费,price_cut,rejected,rejected,不属实,已电话解释,2026-10-04 09:00,,,,,,,,,
2026-10-05 09:00,2026-10-05 09:00,online,王四,13800000004,电梯,product,故障,other,investigate,stands,属实,,2026-10-05 10:00,boss,,,,,,,,
2026-10-10 09:00,2026-10-10 09:00,phone,王五,13800000005,商铺漏水,product,漏水,compensation,closed,stands,属实,,2026-10-10 09:30,boss,2026-10-12 09:00,satisfied,已修,巡检,media,2026-10-10 10:00,2026-10-10 20:00,品牌厂家
2026-10-12 09:00,2026-10-12 09:00,phone,王六,13800000006,车辆交付,contract,延误,compensation,closed,stands,属实,,2026-10-12 10:00,boss,2026-10-18 09:00,unsatisfied,已补偿,流程,escalated,2026-10-12 10:00,2026-10-14 10:00,消协
2026-10-20 09:00,2026-10-20 09:00,walk_in,王八,13800000008,GPS,product,掉线,exchange,closed,stands,属实,,2026-10-20 10:00,boss,2026-10-25 09:00,satisfied,已换,检测,,,,
";

#[test]
fn an_imported_month_yields_the_report_a_hand_count_gives() {
    let (d, db) = office();
    let csv = d.path().join("october.csv");
    std::fs::write(&csv, OCTOBER).unwrap();
    let o = frontdesk(&db, &["import", "complaint", csv.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    // the same problem again while the case was open, typed up from the same month: one
    // case with C-2026-000001
    let dup = d.path().join("dup.csv");
    std::fs::write(&dup, "created_at,received_at,channel,complainant,subject,category,content,request,step,duplicate_of\n2026-10-03 09:00,2026-10-03 09:00,phone,王一,宝马X5,repair,又来电,answer,merged,C-2026-000001\n").unwrap();
    let o = frontdesk(&db, &["import", "complaint", dup.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let o = frontdesk(
        &db,
        &["report", "complaints", "--month", "2026-10", "--format", "json", "--as", "boss"],
        "",
        Some("secret12"),
    );
    assert!(o.status.success(), "{}", out(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = &r["total"];
    let n = |k: &str| t[k].as_array().map(|a| a.len()).unwrap_or(usize::MAX);
    // By hand: 7 cards and 1 duplicate; 1 rejected; 5 resolved; resolved on time (within 7
    // days): cards 1 (3 days), 5 (2), 6 (6) and 7 (5) but not 2 (9 days); still open: 4,
    // overdue; resolved after 3, 9, 2, 6, 5 days: median 5; major: 5 (reported in 10
    // hours) and 6 (in 48: late); no callbacks imported.
    assert_eq!(n("received"), 7);
    assert_eq!(n("duplicates"), 1);
    assert_eq!(n("rejected"), 1);
    assert_eq!(n("closed"), 5);
    assert_eq!(n("on_time"), 4);
    assert_eq!(t["on_time_rate"].as_f64(), Some(80.0), "4 of the 5 resolved (rule C10)");
    assert_eq!(t["median_days"].as_f64(), Some(5.0));
    assert_eq!(n("overdue"), 1);
    assert_eq!(n("open_at_end"), 1, "card 4 was still open on 31 October");
    assert_eq!(n("major"), 2);
    assert_eq!(n("major_in_time"), 1);
    assert_eq!(n("called_back"), 0);
    assert_eq!(t["callback_rate"].as_f64(), Some(0.0));
    let o = frontdesk(&db, &["report", "complaints", "--month", "2026-10", "--as", "boss"], "", Some("secret12"));
    let text = out(&o);
    assert!(text.contains("Complaint statistics 2026-10") && text.contains("Received"), "{text}");
    let o = frontdesk(
        &db,
        &["report", "complaints", "--month", "2026-10", "--format", "csv", "--as", "boss"],
        "",
        Some("secret12"),
    );
    let csv_out = String::from_utf8(o.stdout).unwrap();
    assert!(csv_out.starts_with("group,key,received,rejected"), "{csv_out}");
    assert!(csv_out.lines().nth(1).unwrap().starts_with("total,Total,7,1,5,4,80.0,5.0,1,1,2,1,0,0.0"), "{csv_out}");
}

#[test]
fn a_complaint_export_writes_lookups_as_an_import_reads_them() {
    let (d, db) = office();
    frontdesk::store::Store::open(&db).unwrap().add_department(1, 0, "售后服务部").unwrap();
    let head = "created_at,received_at,channel,complainant,subject,category,content,request,step,duplicate_of,department_id,handler_id\n";
    // the second names the first by the number the first import gave it
    for (name, row) in [
        (
            "one.csv",
            "2026-10-01 09:00,2026-10-01 09:00,phone,王一,宝马X5,repair,异响,answer,investigate,,售后服务部,boss",
        ),
        ("two.csv", "2026-10-02 09:00,2026-10-02 09:00,phone,王一,宝马X5,repair,又来电,answer,merged,C-2026-000001,,"),
    ] {
        let csv = d.path().join(name);
        std::fs::write(&csv, format!("{head}{row}\n")).unwrap();
        let o = frontdesk(&db, &["import", "complaint", csv.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
        assert!(o.status.success(), "{}", out(&o));
    }
    let o = frontdesk(&db, &["export", "complaint", "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let head = rows.headers().unwrap().clone();
    let col = |r: &csv::StringRecord, k: &str| r[head.iter().position(|h| h == k).unwrap()].to_string();
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!(col(&rows[0], "department_id"), "售后服务部");
    assert_eq!(col(&rows[0], "handler_id"), "boss");
    assert_eq!(col(&rows[1], "duplicate_of"), "C-2026-000001");
    assert_eq!(col(&rows[1], "department_id"), "");
}

/// Like `frontdesk`, in a language given by LANG.
fn frontdesk_in(lang: &str, db: &Path, args: &[&str], stdin: &str, password: Option<&str>) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    c.arg("--db").arg(db).args(args).env("LANG", lang).env_remove("LC_ALL");
    match password {
        Some(p) => c.env("FRONTDESK_PASSWORD", p),
        None => c.env_remove("FRONTDESK_PASSWORD"),
    };
    let mut child = c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn operators_in(db: &Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c.prepare("SELECT code, roles FROM operator ORDER BY id").unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect()
}

#[test]
fn rule_a14_the_first_operator_comes_from_init_and_is_an_administrator() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("new.sqlite");
    // a database without operators: `init` says how to make the first one
    let o = frontdesk(&db, &["init"], "", None);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("Database ready") && out(&o).contains("init --code"), "{}", out(&o));
    // `user add` does not create the first operator: it points to init, and creates nobody
    let o = frontdesk(&db, &["user", "add", "r1", "--name", "李娜", "--roles", "receptionist"], "secret12\n", None);
    assert!(!o.status.success());
    assert!(out(&o).contains("frontdesk init --code"), "{}", out(&o));
    assert!(operators_in(&db).is_empty(), "nobody was created");
    let o = frontdesk(&db, &["init", "--code", "admin", "--name", "管理员"], "secret12\n", None);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("first administrator"), "{}", out(&o));
    assert_eq!(operators_in(&db), vec![("admin".to_string(), "general_manager,admin".to_string())]);
    // a second init creates nobody and says why
    let o = frontdesk(&db, &["init", "--code", "boss2", "--name", "B"], "secret12\n", None);
    assert!(!o.status.success());
    assert!(out(&o).contains("has operators already"), "{}", out(&o));
    assert_eq!(operators_in(&db).len(), 1);
    // from now on only an administrator adds operators
    let o = frontdesk(&db, &["user", "add", "r1", "--name", "李娜", "--roles", "receptionist"], "secret12\n", None);
    assert!(!o.status.success());
    assert!(out(&o).contains("--as"), "{}", out(&o));
    let o = frontdesk(
        &db,
        &["user", "add", "r1", "--name", "李娜", "--roles", "receptionist", "--as", "admin"],
        "secret12\n",
        Some("secret12"),
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = frontdesk(
        &db,
        &["user", "add", "r2", "--name", "X", "--roles", "admin", "--as", "r1"],
        "secret12\n",
        Some("secret12"),
    );
    assert!(!o.status.success(), "a receptionist adds nobody");
    assert_eq!(operators_in(&db).len(), 2);
}

#[test]
fn init_with_a_code_needs_a_name() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("new.sqlite");
    let o = frontdesk(&db, &["init", "--code", "admin"], "secret12\n", None);
    assert!(!o.status.success());
    assert!(!db.exists() || operators_in(&db).is_empty());
}

#[test]
fn commands_other_than_init_do_not_create_a_database() {
    let d = tempfile::tempdir().unwrap();
    let csv = d.path().join("in.csv");
    std::fs::write(&csv, "name,category\nx,ordinary\n").unwrap();
    let (csv, copy) = (csv.to_str().unwrap(), d.path().join("copy.sqlite"));
    // every command (F12), with an operator, so none stops before the database is opened
    let commands: &[&[&str]] = &[
        &["check"],
        &["backup", copy.to_str().unwrap()],
        &["export", "customer"],
        &["import", "customer", csv],
        &["search", "x"],
        &["report", "complaints"],
        &["user", "list"],
        &["user", "add", "x", "--name", "X", "--roles", "admin"],
        &["user", "passwd", "x"],
        &["user", "disable", "x"],
        &["user", "enable", "x"],
        &["user", "dept", "x", "--department", ""],
        &["dept", "add", "前台"],
        &["dept", "rename", "a", "b"],
        &["dept", "retire", "a"],
        &["dept", "restore", "a"],
        &["dept", "list"],
    ];
    // a mistyped file, and a mistyped folder
    for db in [d.path().join("none.sqlite"), d.path().join("typo").join("frontdsk.sqlite")] {
        for args in commands {
            let o = frontdesk(&db, &[args, &["--as", "boss"][..]].concat(), "secret12\n", Some("secret12"));
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", out(&o));
            assert!(out(&o).contains("There is no database") && out(&o).contains("init"), "{}", out(&o));
            assert!(!db.exists() && !d.path().join("typo").exists(), "{args:?} left a file behind");
        }
    }
    assert!(!copy.exists());
    // an empty file (a database truncated to nothing, or one someone else made) is no
    // database either, and stays empty
    let empty = d.path().join("empty.sqlite");
    std::fs::write(&empty, "").unwrap();
    for args in [&["check"][..], &["search", "x"]] {
        let o = frontdesk(&empty, &[args, &["--as", "boss"][..]].concat(), "", Some("secret12"));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", out(&o));
        assert!(out(&o).contains("There is no database"), "{}", out(&o));
        assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0, "{args:?} wrote into it");
    }
    let db = d.path().join("none.sqlite");
    let o = frontdesk_in("zh_CN.UTF-8", &db, &["user", "list"], "", None);
    assert!(out(&o).contains("没有数据库"), "{}", out(&o));
}

#[test]
fn user_list_needs_an_administrator_and_lines_up_chinese_names() {
    let (_d, db) = office();
    let o = frontdesk(&db, &["user", "list"], "", None);
    assert!(!o.status.success() && out(&o).contains("--as"), "{}", out(&o));
    let o = frontdesk(&db, &["user", "list", "--as", "desk1"], "", Some("desk1pass"));
    assert!(!o.status.success(), "a receptionist does not list the accounts");
    let add = |code: &str, name: &str, roles: &str| {
        let o = frontdesk(
            &db,
            &["user", "add", code, "--name", name, "--roles", roles, "--as", "boss"],
            "longpass1\n",
            Some("secret12"),
        );
        assert!(o.status.success(), "{}", out(&o));
    };
    add("liugong", "刘工", "dispatcher");
    add("x.long_code", "Alexandra Smith", "receptionist,supervisor");
    let o = frontdesk_in("zh_CN.UTF-8", &db, &["user", "list", "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5, "a header and four operators: {text}");
    // the status column starts at the same terminal column on every line
    use unicode_width::UnicodeWidthStr;
    let col = |l: &str, word: &str| l.find(word).map(|i| l[..i].width());
    let status: Vec<Option<usize>> = lines.iter().map(|l| col(l, "在用").or_else(|| col(l, "状态"))).collect();
    assert!(status.iter().all(|c| c.is_some() && *c == status[0]), "{text}");
    let roles: Vec<Option<usize>> = lines
        .iter()
        .map(|l| {
            col(l, "前台")
                .or_else(|| col(l, "总经理"))
                .or_else(|| col(l, "经理"))
                .or_else(|| col(l, "派工员"))
                .or_else(|| col(l, "角色"))
        })
        .collect();
    assert!(roles.iter().all(|c| *c == roles[0]), "{text}");
    // roles are joined as the Admin screen joins them
    assert!(text.contains("总经理/系统管理员") && text.contains("前台/主管"), "{text}");
}

#[test]
fn operators_are_enabled_again_and_put_in_departments() {
    let (_d, db) = office();
    let boss = |args: &[&str]| frontdesk(&db, &[args, &["--as", "boss"][..]].concat(), "longpass1\n", Some("secret12"));
    let o = boss(&["dept", "add", "售后服务部"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(boss(&["dept", "add", "前台"]).status.success());
    let o = boss(&["user", "add", "lina", "--name", "李娜", "--roles", "receptionist", "--department", "售后服务部"]);
    assert!(o.status.success(), "{}", out(&o));
    let o = boss(&["user", "dept", "desk1", "--department", "前台"]);
    assert!(o.status.success(), "{}", out(&o));
    let list = out(&boss(&["user", "list"]));
    assert!(list.lines().any(|l| l.contains("lina") && l.contains("售后服务部")), "{list}");
    assert!(list.lines().any(|l| l.contains("desk1") && l.contains("前台")), "{list}");
    // a typo fixed: everyone in it follows the new name
    let o = boss(&["dept", "rename", "售后服务部", "售后部"]);
    assert!(o.status.success(), "{}", out(&o));
    let list = out(&boss(&["user", "list"]));
    assert!(list.lines().any(|l| l.contains("lina") && l.contains("售后部")), "{list}");
    assert!(!boss(&["dept", "rename", "售后部", "前台"]).status.success(), "two departments, one name");
    // retired: kept where it is named, offered no more
    assert!(boss(&["dept", "retire", "售后部"]).status.success());
    let o = boss(&["user", "dept", "desk1", "--department", "售后部"]);
    assert!(!o.status.success());
    assert!(out(&o).contains("retired"), "{}", out(&o));
    assert!(out(&boss(&["user", "list"])).lines().any(|l| l.contains("lina") && l.contains("售后部")));
    let depts = out(&boss(&["dept", "list"]));
    assert!(depts.lines().any(|l| l.contains("售后部") && l.contains("retired")), "{depts}");
    assert!(boss(&["dept", "restore", "售后部"]).status.success());
    assert!(boss(&["user", "dept", "desk1", "--department", "售后部"]).status.success());
    assert!(boss(&["user", "dept", "desk1", "--department", ""]).status.success());
    assert!(!out(&boss(&["user", "list"])).lines().any(|l| l.contains("desk1") && l.contains("售后部")));
    let o = boss(&["user", "add", "x9", "--name", "X", "--roles", "receptionist", "--department", "市场部"]);
    assert!(!o.status.success() && out(&o).contains("no department 市场部"), "{}", out(&o));
    // departments are for administrators
    let o = frontdesk(&db, &["dept", "list", "--as", "desk1"], "", Some("desk1pass"));
    assert!(!o.status.success() && out(&o).contains("do not allow"), "{}", out(&o));
    // disabled, then enabled again: the operator logs in again
    assert!(boss(&["user", "disable", "desk1"]).status.success());
    let o = frontdesk(&db, &["search", "x", "--as", "desk1"], "", Some("desk1pass"));
    assert!(!o.status.success() && out(&o).contains("disabled"), "{}", out(&o));
    let o = boss(&["user", "enable", "desk1"]);
    assert!(o.status.success() && out(&o).contains("enabled"), "{}", out(&o));
    assert!(frontdesk(&db, &["search", "x", "--as", "desk1"], "", Some("desk1pass")).status.success());
}

#[test]
fn rule_a14_codes_are_plain_and_passwords_long_enough_at_every_door() {
    let (_d, db) = office();
    let add = |code: &str, pw: &str| {
        frontdesk(
            &db,
            &["user", "add", code, "--name", "王芳", "--roles", "receptionist", "--as", "boss"],
            &format!("{pw}\n"),
            Some("secret12"),
        )
    };
    let o = add("王芳", "longpass1");
    assert!(!o.status.success());
    assert!(out(&o).contains("Letters, digits, . _ - only"), "{}", out(&o));
    let o = add("wf", "short12");
    assert!(!o.status.success() && out(&o).contains("At least 8 characters"), "{}", out(&o));
    // every problem at once, each with its field
    let o = frontdesk(
        &db,
        &["user", "add", "desk1", "--name", " ", "--roles", "cook", "--as", "boss"],
        "longpass1\n",
        Some("secret12"),
    );
    let s = out(&o);
    assert!(
        s.contains("Roles: Unknown role: cook")
            && s.contains("Code: Code desk1 is taken")
            && s.contains("Name: Required"),
        "{s}"
    );
    assert_eq!(operators_in(&db).len(), 2);
    let o = frontdesk(&db, &["user", "passwd", "desk1", "--as", "boss"], "short12\n", Some("secret12"));
    assert!(!o.status.success() && out(&o).contains("At least 8"), "{}", out(&o));
    // the setting applies at once, to every door
    frontdesk::store::Store::open(&db).unwrap().set_setting(1, 0, "login.min_password", "10").unwrap();
    let o = frontdesk(&db, &["user", "passwd", "desk1", "--as", "boss"], "ninechars\n", Some("secret12"));
    assert!(!o.status.success() && out(&o).contains("At least 10"), "{}", out(&o));
    let o = frontdesk(&db, &["user", "passwd", "desk1", "--as", "boss"], "tenchars10\n", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let d = tempfile::tempdir().unwrap();
    let fresh = d.path().join("f.sqlite");
    let o = frontdesk(&fresh, &["init", "--code", "admin", "--name", "A"], "123456\n", None);
    assert!(!o.status.success() && out(&o).contains("At least 8"), "{}", out(&o));
    assert!(operators_in(&fresh).is_empty());
}

/// Every line of a help text that names an argument or a command also says what it is.
fn undescribed(help: &str) -> Vec<String> {
    help.lines()
        .filter(|l| l.starts_with("  "))
        .filter(|l| {
            let t = l.trim_start();
            t.split_once("  ").is_none_or(|(_, rest)| rest.trim().is_empty())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn help_is_in_the_operators_language_and_describes_every_argument() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("x.sqlite");
    let commands: &[&[&str]] = &[
        &[],
        &["init"],
        &["user"],
        &["user", "add"],
        &["user", "list"],
        &["user", "passwd"],
        &["user", "disable"],
        &["user", "enable"],
        &["user", "dept"],
        &["dept"],
        &["dept", "add"],
        &["dept", "rename"],
        &["dept", "retire"],
        &["dept", "restore"],
        &["dept", "list"],
        &["check"],
        &["backup"],
        &["export"],
        &["import"],
        &["search"],
        &["report"],
        &["demo"],
    ];
    for args in commands {
        for lang in ["en_US.UTF-8", "zh_CN.UTF-8"] {
            let o = frontdesk_in(lang, &db, &[args, &["--help"][..]].concat(), "", None);
            assert!(o.status.success(), "{args:?}");
            let help = String::from_utf8(o.stdout).unwrap();
            assert!(undescribed(&help).is_empty(), "{lang} {args:?}: {:?}\n{help}", undescribed(&help));
            if lang.starts_with("zh") {
                assert!(help.contains("用法") && help.contains("选项"), "{args:?}\n{help}");
                assert!(!help.contains("Print help") && !help.contains("Usage"), "{args:?}\n{help}");
            } else {
                assert!(help.contains("Usage:"), "{args:?}\n{help}");
            }
        }
    }
    let o = frontdesk_in("zh_CN.UTF-8", &db, &["user", "add", "--help"], "", None);
    let help = String::from_utf8(o.stdout).unwrap();
    assert!(help.contains("新操作员的工号") && help.contains("操作员的姓名"), "{help}");
    // --lang before anything else decides too
    let o = frontdesk(&db, &["--lang", "zh-CN", "--help"], "", None);
    assert!(String::from_utf8_lossy(&o.stdout).contains("管理操作员"));
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("demo.sqlite");
    let o = frontdesk(&db, &["demo", "--scale", "1500"], "", None);
    assert!(o.status.success(), "{}", out(&o));
    // far more than a pipe holds, so the program is still writing when the reader goes
    for args in
        [&["search", "王", "--limit", "5000", "--as", "chenzong"][..], &["export", "customer", "--as", "chenzong"]]
    {
        let mut child = Command::new(env!("CARGO_BIN_EXE_frontdesk"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("LANG", "en_US.UTF-8")
            .env("FRONTDESK_PASSWORD", "boss123")
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Read;
            let mut stdout = child.stdout.take().unwrap();
            let mut first = [0u8; 512];
            stdout.read_exact(&mut first).unwrap();
            // dropping it closes the pipe, as `head` does
        }
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: nothing on stderr, got {err}");
    }
}

#[test]
fn file_errors_are_in_the_operators_language() {
    let (d, db) = office();
    let missing = d.path().join("nope.csv");
    let o = frontdesk_in(
        "zh_CN.UTF-8",
        &db,
        &["import", "visitor", missing.to_str().unwrap(), "--as", "boss"],
        "",
        Some("secret12"),
    );
    assert!(!o.status.success());
    let s = out(&o);
    assert!(s.contains("nope.csv") && s.contains("文件或目录不存在") && !s.contains("os error"), "{s}");
    let o = frontdesk(
        &db,
        &["export", "visitor", "--out", d.path().to_str().unwrap(), "--as", "boss"],
        "",
        Some("secret12"),
    );
    let s = out(&o);
    assert!(!o.status.success() && s.contains("this is a directory") && !s.contains("os error"), "{s}");
    // not UTF-8 (a spreadsheet's ANSI save): said so, with the line
    let gbk = d.path().join("gbk.csv");
    std::fs::write(&gbk, b"name,phones\n\xcd\xf5\xb7\xbc,13812345678\n").unwrap();
    let o = frontdesk(&db, &["import", "customer", gbk.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(out(&o).contains("Line 2 is not UTF-8"), "{}", out(&o));
    let o = frontdesk(&db, &["export", "customer", "--as", "boss"], "", Some("wrong-one"));
    assert!(!out(&o).contains("Database error"), "{}", out(&o));
}

const COMPLAINT_HEAD: &str = "created_at,received_at,channel,complainant,subject,category,content,request,step,duplicate_of,department_id,handler_id\n";
const GOOD_COMPLAINT: &str =
    "2026-10-01 09:00,2026-10-01 09:00,phone,王一,宝马X5,repair,异响,answer,investigate,,,boss";

fn import_complaint_row(row: &str, crlf: bool) -> String {
    let (_d, db) = office();
    let mut text = format!("{COMPLAINT_HEAD}{GOOD_COMPLAINT}\n{row}\n");
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    let csv = _d.path().join("c.csv");
    std::fs::write(&csv, text).unwrap();
    let o = frontdesk(&db, &["import", "complaint", csv.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(!o.status.success());
    out(&o)
}

#[test]
fn import_messages_say_what_a_file_needs() {
    let s = import_complaint_row("2026-10-02 09:00,2026-10-02 09:00,fax,王二,x,repair,y,answer,investigate,,,", false);
    assert!(s.contains("Line 3, channel: Not one of: phone, walk_in, callback, call_centre, online"), "{s}");
    let s = import_complaint_row(
        "2026-10-02 09:00,2026-10-02 09:00,phone,王二,x,repair,y,answer,investigate,,市场部,",
        false,
    );
    assert!(s.contains("Line 3, department_id: There is no department 市场部"), "{s}");
    let s = import_complaint_row(
        "2026-10-02 09:00,2026-10-02 09:00,phone,王二,x,repair,y,answer,investigate,,,nobody",
        false,
    );
    assert!(s.contains("Line 3, handler_id: There is no operator with the code nobody"), "{s}");
    let s = import_complaint_row(
        "2026-10-02 09:00,2026-10-02 09:00,phone,王二,x,repair,y,answer,merged,C-2026-999999,,",
        false,
    );
    assert!(s.contains("Line 3, duplicate_of: There is no C-2026-999999 in Complaints"), "{s}");
    let s =
        import_complaint_row("2026-10-32 09:00,2026-10-32 09:00,phone,王二,x,repair,y,answer,investigate,,,", false);
    assert!(s.contains("Line 3, created_at: Not a date/time") && !s.contains("tomorrow") && !s.contains("+3d"), "{s}");
    assert!(!s.contains("Choose one from the list"), "{s}");
}

#[test]
fn import_line_numbers_are_right_for_crlf_files() {
    let bad = "2026-10-02 09:00,2026-10-02 09:00,fax,王二,x,repair,y,answer,investigate,,,";
    let lf = import_complaint_row(bad, false);
    let crlf = import_complaint_row(bad, true);
    assert!(lf.contains("Line 3,"), "{lf}");
    assert!(crlf.contains("Line 3,"), "spreadsheets save CRLF: {crlf}");
}

#[test]
fn a_command_line_not_understood_is_said_in_the_operators_language() {
    let (_d, db) = office();
    for (args, want) in [
        (&["user", "add"][..], "缺少：--name <NAME>, --roles <ROLES>, <CODE>"),
        (&["usr"], "没有命令 usr"),
        (&["search", "x", "--limit", "many"], "不接受这个值：many"),
        (&["init", "--code", "x"], "缺少：--name"),
    ] {
        let o = frontdesk_in("zh_CN.UTF-8", &db, args, "", None);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let s = out(&o);
        assert!(s.contains(want) && !s.contains("error:"), "{args:?}: {s}");
    }
}

#[test]
fn d19_a_demo_office_speaks_the_language_of_the_terminal_that_made_it() {
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("demo.sqlite");
    let o = frontdesk_in("zh_CN.UTF-8", &db, &["demo"], "", None);
    assert!(o.status.success(), "{}", out(&o));
    let s = frontdesk::store::Store::open(&db).unwrap();
    assert_eq!(s.settings().unwrap().get(frontdesk::domain::settings::LANGUAGE), "zh-CN");
}

#[test]
fn an_export_names_each_linked_card_by_its_number() {
    let (d, db) = office();
    let cards = d.path().join("cards.csv");
    std::fs::write(&cards, "name,phones,category\n欧阳娜娜,13700001111,ordinary\n黄刚,13600002222,key\n").unwrap();
    let o = frontdesk(&db, &["import", "customer", cards.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let visits = d.path().join("visits.csv");
    let head = "occurred_at,channel,name,visitor_class,party_size,purpose,customer_id";
    let rows = [
        "2026-11-02 09:30,walk_in,黄刚,C,1,看房,CU-2026-000002",
        "2026-11-02 10:30,walk_in,欧阳娜娜,C,1,咨询,CU-2026-000001",
    ];
    std::fs::write(&visits, format!("{head}\n{}\n", rows.join("\n"))).unwrap();
    let o = frontdesk(&db, &["import", "visitor", visits.to_str().unwrap(), "--as", "boss"], "", Some("secret12"));
    assert!(o.status.success(), "{}", out(&o));
    let o = frontdesk(&db, &["export", "visitor", "--as", "boss"], "", Some("secret12"));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].contains("黄刚") && lines[1].contains(",CU-2026-000002,"), "{}", lines[1]);
    assert!(lines[2].contains("欧阳娜娜") && lines[2].contains(",CU-2026-000001,"), "{}", lines[2]);
}
