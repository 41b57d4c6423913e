//! The audit trail as evidence (F18): every register row matches its trail, the chain's
//! head is printed and kept as an anchor, and a head kept outside the file proves the
//! chain was not cut or rewritten before it. The journal beside the database (F17): a
//! terminal whose `-wal`/`-shm` was removed stops saving and says so, and a command
//! started meanwhile refuses to write.

mod common;
mod support;

use std::io::{BufRead, Read, Write};
use std::path::Path;

use common::Db;
use crossterm::event::KeyCode;
use frontdesk::domain::{settings, visitor};
use frontdesk::i18n::{I18n, Lang};
use frontdesk::store::{AnchorState, Head, RowProblem, RowProblemKind, Store, StoreError};
use sha2::{Digest, Sha256};
use support::{NOW, ctx, run_cli, store_with, temp_db};

fn sql(path: &Path, batch: &str) {
    rusqlite::Connection::open(path).unwrap().execute_batch(batch).unwrap();
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file store with the administrator and two visitors saved through the program.
fn two_visitors() -> (tempfile::TempDir, std::path::PathBuf, Store, Vec<String>) {
    let (dir, path) = temp_db();
    let mut s = store_with(Some(&path), &[]);
    let mut numbers = Vec::new();
    for name in ["王芳", "李雷"] {
        numbers
            .push(s.insert(1, &ctx(), &visitor::REGISTER, &support::visitor(name, "13800138000", "咨询")).unwrap().1);
    }
    (dir, path, s, numbers)
}

/// Three audit entries that touch no register row (settings), so only the anchor can
/// tell they are gone.
fn three_settings(s: &mut Store) {
    for lang in ["en", "zh-CN", "en"] {
        s.set_setting(1, NOW, settings::LANGUAGE, lang).unwrap();
    }
}

const NO_DELETE: &str = "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
     BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";
const NO_UPDATE: &str = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
     BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";

/// What someone with write access to the file does: recompute every hash from entry
/// `from` on, as the program computes them, and put the new head in the anchor.
fn recompute_chain(path: &Path, from: i64) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("DROP TRIGGER audit_no_update;").unwrap();
    let mut prev: String = c
        .query_row("SELECT hash FROM audit WHERE id = ?1", [from - 1], |r| r.get(0))
        .unwrap_or_else(|_| "0".repeat(64));
    type Row = (i64, i64, Option<i64>, String, String, Option<String>, Option<i64>, Option<String>, Option<String>);
    let rows: Vec<Row> = c
        .prepare(
            "SELECT id, at, operator_id, terminal, action, register, record_id, before, after FROM audit
             WHERE id >= ?1 ORDER BY id",
        )
        .unwrap()
        .query_map([from], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (id, at, op, terminal, action, register, record, before, after) in rows {
        let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        let mut h = Sha256::new();
        for part in [
            id.to_string(),
            at.to_string(),
            opt(op),
            terminal,
            action,
            register.unwrap_or_default(),
            opt(record),
            before.unwrap_or_else(|| "\u{0}".into()),
            after.unwrap_or_else(|| "\u{0}".into()),
            prev.clone(),
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        let hash: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        c.execute("UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE id = ?3", rusqlite::params![prev, hash, id])
            .unwrap();
        prev = hash;
    }
    let last: i64 = c.query_row("SELECT max(id) FROM audit", [], |r| r.get(0)).unwrap();
    c.execute("UPDATE meta SET value = ?1 WHERE key = 'audit_anchor'", [format!("{last} {prev}")]).unwrap();
    c.execute_batch(NO_UPDATE).unwrap();
}

#[test]
fn f18_a_clean_database_passes_check_with_every_row_matched_and_its_head_printed() {
    let (_dir, path, s, _) = two_visitors();
    let r = s.check().unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.rows_checked, 2);
    let o = run_cli(&path, &["check"]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}{}", stderr(&o));
    let head = s.audit_head().unwrap().unwrap();
    assert!(out.contains(&format!("Audit trail head: entry {}, {}", head.id, head.hash)), "{out}");
    assert!(out.contains("2 register rows match their audit trail."), "{out}");
}

#[test]
fn f18_a_register_row_edited_behind_the_programs_back_is_named_by_check() {
    let (_dir, path, s, numbers) = two_visitors();
    sql(&path, "UPDATE visitor SET name = '篡改者' WHERE id = 1");
    let r = s.check().unwrap();
    assert!(!r.ok());
    assert_eq!(
        r.row_problems,
        vec![RowProblem {
            register: "visitor",
            number: numbers[0].clone(),
            kind: RowProblemKind::Altered(vec!["name"])
        }]
    );
    let o = run_cli(&path, &["check"]);
    let out = stdout(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains(&format!("Visitors & callers {}", numbers[0])), "{out}");
    assert!(out.contains("Name (name)"), "the field is named: {out}");
    assert!(!out.contains(&numbers[1]), "the untouched row is not named: {out}");
    // voiding behind the program's back is named too
    sql(
        &path,
        "UPDATE visitor SET name = '王芳' WHERE id = 1; UPDATE visitor SET voided_at = 1, void_reason = 'x' WHERE id = 2",
    );
    let r = s.check().unwrap();
    assert_eq!(r.row_problems.len(), 1, "{r:?}");
    assert_eq!(r.row_problems[0].kind, RowProblemKind::Altered(vec!["void_reason"]));
}

#[test]
fn f18_a_row_written_or_deleted_behind_the_programs_back_is_named_by_check() {
    let (_dir, path, s, _) = two_visitors();
    sql(
        &path,
        "CREATE TEMP TABLE t AS SELECT * FROM visitor WHERE id = 1;
         UPDATE t SET id = 99, number = 'V-2026-000099';
         INSERT INTO visitor SELECT * FROM t;
         DELETE FROM visitor WHERE id = 2;",
    );
    let r = s.check().unwrap();
    assert!(!r.ok());
    let kinds: Vec<(String, RowProblemKind)> =
        r.row_problems.iter().map(|p| (p.number.clone(), p.kind.clone())).collect();
    assert_eq!(
        kinds,
        vec![("#2".to_string(), RowProblemKind::Missing), ("V-2026-000099".to_string(), RowProblemKind::NoEntry)]
    );
    let out = stdout(&run_cli(&path, &["check"]));
    assert!(out.contains("V-2026-000099: the row has no audit entry"), "{out}");
    assert!(out.contains("record #2: named in the audit trail, but the row is gone"), "{out}");
}

#[test]
fn f18_deleting_the_last_three_audit_rows_is_caught_by_the_anchor() {
    let (_dir, path, mut s, _) = two_visitors();
    three_settings(&mut s);
    let head = s.note_head().unwrap().unwrap();
    assert!(s.check().unwrap().ok());
    // the reproduction: drop the trigger, delete, put the trigger back
    sql(&path, &format!("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id > {}; {NO_DELETE}", head.id - 3));
    let r = s.check().unwrap();
    // the chain that is left verifies, and no register row lost its entry: only the
    // anchor knows
    assert!(r.first_bad.is_none() && r.row_problem_count == 0 && !r.triggers_missing, "{r:?}");
    assert_eq!(r.anchor, Some((head.clone(), AnchorState::Cut)));
    assert!(!r.ok());
    let o = run_cli(&path, &["check"]);
    let out = stdout(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains(&format!(
            "The audit trail ends at entry {}, before the anchor recorded at entry {} ({}): its last entries were removed.",
            head.id - 3,
            head.id,
            head.short()
        )),
        "{out}"
    );
    // printing the head again (a report, a backup) does not move the anchor past the cut
    s.note_head().unwrap();
    assert_eq!(s.check().unwrap().anchor, Some((head.clone(), AnchorState::Cut)));
    // nor past entries written since in the cut entries' place
    three_settings(&mut s);
    s.note_head().unwrap();
    assert_eq!(s.check().unwrap().anchor, Some((head.clone(), AnchorState::Differs)), "new entries at the cut ids");
    assert!(!run_cli(&path, &["check"]).status.success());
}

#[test]
fn f18_a_chain_recomputed_after_an_edit_is_caught_by_check_anchor_with_an_earlier_head() {
    let (_dir, path, mut s, _) = two_visitors();
    three_settings(&mut s);
    // the head printed on a report, kept outside the file
    let kept: Head = s.note_head().unwrap().unwrap();
    s.set_setting(1, NOW, settings::LANGUAGE, "zh-CN").unwrap();
    let o = run_cli(&path, &["check", "--anchor", kept.short()]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains(&format!("The audit trail contains {} at entry {}.", kept.short(), kept.id)), "{out}");

    // rewrite an entry before the kept head, recompute the chain and the file's anchor
    let first_setting: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT min(id) FROM audit WHERE register = 'setting'", [], |r| r.get(0))
        .unwrap();
    assert!(first_setting < kept.id);
    sql(
        &path,
        &format!(
            "DROP TRIGGER audit_no_update; UPDATE audit SET after = '{{\"ui.language\":\"xx\"}}' WHERE id = {first_setting}; {NO_UPDATE}"
        ),
    );
    assert!(!s.check().unwrap().ok(), "the edit alone breaks the chain");
    recompute_chain(&path, first_setting);
    // everything inside the file agrees again: this is what the kept head is for
    assert!(s.check().unwrap().ok(), "{:?}", s.check().unwrap());
    let o = run_cli(&path, &["check", "--anchor", kept.short()]);
    let out = stdout(&o);
    assert!(!o.status.success(), "{out}");
    assert!(out.contains(&format!("The audit trail does not contain {}", kept.short())), "{out}");
    // the full hash, too
    assert!(!run_cli(&path, &["check", "--anchor", &kept.hash]).status.success());
    // the chain's present head is in it; a word that is no hash is refused
    let now = s.audit_head().unwrap().unwrap();
    assert!(run_cli(&path, &["check", "--anchor", &now.hash]).status.success());
    let o = run_cli(&path, &["check", "--anchor", "hello"]);
    assert!(!o.status.success() && stdout(&o).contains("Not an audit hash: hello"), "{}", stdout(&o));
}

const BOSS: (&str, &str) = ("boss", "secret12");

#[test]
fn f18_reports_and_backups_print_the_head_and_keep_it_as_the_anchor() {
    let db = Db::new();
    db.init(BOSS.0, "老板", BOSS.1);
    let pw = [("FRONTDESK_PASSWORD", BOSS.1)];
    let anchor = |p: &Path| -> String {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("SELECT value FROM meta WHERE key = 'audit_anchor'", [], |r| r.get(0))
            .unwrap()
    };
    let out = db.cli_ok(&["report", "complaints", "--month", "2026-11", "--as", "boss"], &pw, "");
    let line = out.lines().find(|l| l.starts_with("Audit trail head: entry ")).unwrap_or_else(|| panic!("{out}"));
    let (id, short) = line["Audit trail head: entry ".len()..].split_once(", ").unwrap();
    let short = &short[..16];
    assert!(anchor(&db.path).starts_with(&format!("{id} {short}")), "{line} / {}", anchor(&db.path));
    let json = db.cli_ok(&["report", "complaints", "--month", "2026-11", "--format", "json", "--as", "boss"], &pw, "");
    let j: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hash = j["audit_head"]["hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);
    assert_eq!(anchor(&db.path), format!("{} {hash}", j["audit_head"]["entry"]));
    // CSV stays a table; the head goes to standard error
    let o = db.cli(&["report", "complaints", "--month", "2026-11", "--format", "csv", "--as", "boss"], &pw, "");
    assert!(!stdout(&o).contains("Audit trail head") && stderr(&o).contains("Audit trail head: entry"));

    let copy = db.dir.path().join("copy.sqlite");
    let out = db.cli_ok(&["backup", copy.to_str().unwrap(), "--as", "boss"], &pw, "");
    let line = out.lines().find(|l| l.starts_with("Audit trail head: entry ")).unwrap_or_else(|| panic!("{out}"));
    let (id, short) = line["Audit trail head: entry ".len()..].split_once(", ").unwrap();
    let short = short[..16].to_string();
    assert!(anchor(&copy).starts_with(&format!("{id} {short}")), "the copy keeps the anchor");
    let o = run_cli(&copy, &["check", "--anchor", &short]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains(&format!("at entry {id}.")), "{}", stdout(&o));
}

#[test]
fn f18_the_reports_screen_shows_the_head_and_keeps_it_as_the_anchor() {
    let (_dir, path) = temp_db();
    let store = store_with(Some(&path), &[("gm", "总经理", &[frontdesk::domain::Role::GeneralManager])]);
    let mut m = support::model(store, Lang::En);
    support::login(&mut m, "gm", "pass123");
    m.on_key(support::key(KeyCode::F(7)));
    let head = m.desk().unwrap().reports.head.clone().expect("the head is read with the figures");
    assert_eq!(m.store.meta("audit_anchor").unwrap(), Some(format!("{} {}", head.id, head.hash)));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 32)).unwrap();
    term.draw(|f| frontdesk::ui::draw(f, &m)).unwrap();
    let screen: String = term.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(screen.contains(&format!("Audit trail head: entry {}, {}", head.id, head.short())), "{screen}");
}

#[test]
fn f18_demo_rows_each_have_their_own_audit_entry_and_pass_check() {
    let db = Db::new();
    db.cli_ok(&["demo"], &[], "");
    let c = rusqlite::Connection::open(&db.path).unwrap();
    for table in ["visitor", "customer", "complaint", "callback"] {
        let rows: i64 = c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        let entries: i64 = c
            .query_row(
                "SELECT count(DISTINCT record_id) FROM audit WHERE register = ?1 AND record_id IS NOT NULL",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert!(rows > 0 && entries == rows, "{table}: {rows} rows, {entries} with entries");
    }
    let out = db.cli_ok(&["check"], &[], "");
    assert!(out.contains("register rows match their audit trail") && out.contains("OK:"), "{out}");
}

#[test]
fn f17_a_store_that_sees_its_journal_removed_refuses_to_write_and_says_why() {
    let (_dir, path, mut s, _) = two_visitors();
    for suffix in ["-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        std::fs::remove_file(&p).unwrap();
    }
    let e = s.insert(1, &ctx(), &visitor::REGISTER, &support::visitor("赵六", "", "咨询")).unwrap_err();
    assert!(matches!(e, StoreError::JournalRemoved), "{e:?}");
    assert!(matches!(s.journal_intact(), Err(StoreError::JournalRemoved)));
    let en = I18n::new(Lang::En).msg(&e.msg());
    assert!(en.contains("journal") && en.contains("removed") && en.contains("frontdesk check"), "{en}");
    let zh = I18n::new(Lang::Zh).msg(&e.msg());
    assert!(zh.contains("日志") && zh.contains("frontdesk check"), "{zh}");
    // drafts are not written either
    assert!(matches!(s.save_draft(1, "x", "visitor", None, "{}", NOW), Err(StoreError::JournalRemoved)));
}

#[test]
fn f17_the_status_line_says_the_journal_was_removed_and_the_form_stays_open() {
    let (_dir, path) = temp_db();
    let store = store_with(Some(&path), &[("desk1", "王芳", &[frontdesk::domain::Role::Receptionist])]);
    let mut m = support::model(store, Lang::Zh);
    support::login(&mut m, "desk1", "pass123");
    m.on_key(support::key(KeyCode::F(3)));
    support::type_text(&mut m, "n");
    support::focus(&mut m, "name");
    support::type_text(&mut m, "日志甲");
    for suffix in ["-wal", "-shm"] {
        let mut p = path.clone().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(&p);
    }
    m.tick_ms((NOW + 1) * 1000);
    let status = m.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("日志") && status.contains("frontdesk check"), "{status}");
    m.on_key(support::ctrl('s'));
    assert!(m.desk().and_then(|d| d.form()).is_some(), "the form stays open");
    m.tick_ms((NOW + 30) * 1000);
    let status = m.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("日志"), "the status line keeps saying it: {status}");
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 0, "nothing was saved into the removed journal");
}

/// Holds a store open on `FRONTDESK_HOLD_DB` after one write, as a terminal does, until
/// its standard input closes: the part the test below plays when it runs itself as a
/// child process.
fn journal_holder_process(path: &str) {
    let mut s = Store::open(Path::new(path)).unwrap();
    s.set_meta("held", "yes").unwrap();
    println!("HOLDING");
    std::io::stdout().flush().unwrap();
    let mut rest = String::new();
    let _ = std::io::stdin().read_to_string(&mut rest);
}

#[test]
fn f17_a_command_started_while_a_terminal_holds_a_removed_journal_refuses() {
    // the same test, run by itself as the terminal that holds the journal
    if let Ok(path) = std::env::var("FRONTDESK_HOLD_DB") {
        return journal_holder_process(&path);
    }
    let db = Db::new();
    db.init(BOSS.0, "老板", BOSS.1);
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "f17_a_command_started_while_a_terminal_holds_a_removed_journal_refuses",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("FRONTDESK_HOLD_DB", &db.path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.any(|l| l.is_ok_and(|l| l.contains("HOLDING"))), "the holder never opened the store");
    let wal = {
        let mut p = db.path.clone().into_os_string();
        p.push("-wal");
        std::path::PathBuf::from(p)
    };
    for suffix in ["-wal", "-shm"] {
        let mut p = db.path.clone().into_os_string();
        p.push(suffix);
        std::fs::remove_file(&p).unwrap();
    }
    let csv = db.dir.path().join("one.csv");
    std::fs::write(
        &csv,
        "occurred_at,channel,name,visitor_class,party_size,purpose\n2026-11-02 09:00,walk_in,导入甲,C,1,咨询\n",
    )
    .unwrap();
    let pw = [("FRONTDESK_PASSWORD", BOSS.1)];
    for args in [vec!["check"], vec!["import", "visitor", csv.to_str().unwrap(), "--as", "boss"]] {
        let o = db.cli(&args, &pw, "");
        assert!(!o.status.success(), "{args:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains("journal") && err.contains("was removed") && err.contains("frontdesk check"), "{err}");
        assert!(!stdout(&o).contains("Imported"), "{}", stdout(&o));
    }
    assert!(!wal.exists(), "no new journal was started beside the old one");
    // the old terminal closes: the next command proceeds
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
    let out = db.cli_ok(&["check"], &[], "");
    assert!(out.contains("OK:"), "{out}");
}

#[test]
fn f18_demo_rows_loaded_under_one_counting_entry_are_covered_by_its_count_only() {
    let (_dir, path, s, _) = two_visitors();
    // a database filled before each demo row had its own entry: one `bulk_create`
    // entry counted the batch
    let c = rusqlite::Connection::open(&path).unwrap();
    let last: i64 = c.query_row("SELECT max(id) FROM audit", [], |r| r.get(0)).unwrap();
    c.execute_batch(&format!(
        "CREATE TEMP TABLE t AS SELECT * FROM visitor WHERE id = 1;
         UPDATE t SET id = 50, number = 'V-2026-000050';
         INSERT INTO visitor SELECT * FROM t;
         INSERT INTO audit(id, at, operator_id, terminal, action, register, record_id, before, after, prev_hash, hash)
         VALUES ({}, {NOW}, 1, 'test', 'bulk_create', 'visitor', NULL, NULL, '{{\"count\":1}}', '', '');",
        last + 1
    ))
    .unwrap();
    drop(c);
    recompute_chain(&path, last + 1);
    let r = s.check().unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.bulk_rows, 1);
    // one row more than the entry counted is named
    sql(
        &path,
        "CREATE TEMP TABLE t AS SELECT * FROM visitor WHERE id = 1;
         UPDATE t SET id = 51, number = 'V-2026-000051';
         INSERT INTO visitor SELECT * FROM t;",
    );
    let r = s.check().unwrap();
    assert_eq!(r.row_problem_count, 1, "{r:?}");
}

#[test]
fn f18_what_a_tampered_file_holds_is_shown_cleaned() {
    let (_dir, path, _s, _) = two_visitors();
    sql(&path, "UPDATE visitor SET name = 'x', number = 'V-' || char(27) || '[2J' || char(7) WHERE id = 1");
    let o = run_cli(&path, &["check"]);
    let out = stdout(&o);
    assert!(!o.status.success());
    assert!(out.contains("Visitors & callers V-"), "{out}");
    assert!(out.contains("number, Name (name)"), "the renumbering is named too: {out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "no control character reaches the terminal: {out:?}");
}

#[test]
fn f18_a_row_renumbered_or_redated_behind_the_programs_back_is_named_by_check() {
    let (_dir, path, s, numbers) = two_visitors();
    sql(
        &path,
        "UPDATE visitor SET number = 'V-2026-000777' WHERE id = 1; UPDATE visitor SET created_at = 5 WHERE id = 2",
    );
    let r = s.check().unwrap();
    let kinds: Vec<(String, RowProblemKind)> =
        r.row_problems.iter().map(|p| (p.number.clone(), p.kind.clone())).collect();
    assert_eq!(
        kinds,
        vec![
            ("V-2026-000777".to_string(), RowProblemKind::Altered(vec!["number"])),
            (numbers[1].clone(), RowProblemKind::Altered(vec!["created_at"])),
        ]
    );
}
