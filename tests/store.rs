//! The store on temporary databases: durability settings, numbering, audit chain,
//! conflicts, voiding, paging, search, drafts, logins.

mod support;

use frontdesk::domain::register::Cond;
use frontdesk::domain::{Role, Value, customer, visitor};
use frontdesk::store::{LoginError, PageDir, Store, StoreError};
use support::*;

#[test]
fn a_new_database_is_private_wal_and_fully_synchronous() {
    let (_d, path) = temp_db();
    let s = Store::open(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "rule I6: the register file is not readable by others");
    }
    let mode: String = s.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = s.conn().query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
    assert_eq!(sync, 2, "FULL: a saved record survives power loss");
    let fk: i64 = s.conn().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
}

#[test]
fn numbers_run_per_register_and_year_without_gaps() {
    let mut s = store_with(None, &[]);
    let (_, a) = s.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    let (_, b) = s.insert(1, &ctx(), &visitor::REGISTER, &visitor("李四", "", "来访")).unwrap();
    let (_, c) = s.insert(1, &ctx(), &customer::REGISTER, &card("王芳", "13812345678")).unwrap();
    assert_eq!(a, "V-2026-000001");
    assert_eq!(b, "V-2026-000002");
    assert_eq!(c, "CU-2026-000001");
    // A refused save uses no number.
    let bad = visitor("", "", "");
    assert!(s.insert(1, &ctx(), &visitor::REGISTER, &bad).is_err());
    let (_, d) = s.insert(1, &ctx(), &visitor::REGISTER, &visitor("赵六", "", "来访")).unwrap();
    assert_eq!(d, "V-2026-000003");
    let next_year = support::Context { now: NOW + 40 * 86_400, ..ctx() };
    let (_, e) = s.insert(1, &next_year, &visitor::REGISTER, &visitor("钱七", "", "来访")).unwrap();
    assert_eq!(e, "V-2027-000001");
}

#[test]
fn terminals_saving_at_the_same_moment_get_unique_gapless_numbers() {
    let (_d, path) = temp_db();
    drop(store_with(Some(&path), &[]));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                (0..25)
                    .map(|i| {
                        s.insert(1, &ctx(), &visitor::REGISTER, &visitor(&format!("客{t}-{i}"), "", "来访")).unwrap().1
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers: Vec<String> = threads.into_iter().flat_map(|h| h.join().unwrap()).collect();
    numbers.sort();
    let expected: Vec<String> = (1..=100).map(|n| format!("V-2026-{n:06}")).collect();
    assert_eq!(numbers, expected);
}

#[test]
fn two_terminals_starting_at_once_migrate_once() {
    let (_d, path) = temp_db();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let p = path.clone();
            std::thread::spawn(move || Store::open(&p).map(|s| s.schema_version().unwrap()))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), frontdesk::store::SCHEMA_VERSION);
    }
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let (_d, path) = temp_db();
    drop(Store::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA user_version = 99").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    match Store::open(&path) {
        Err(StoreError::NewerSchema { found: 99, .. }) => {}
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_unchanged() {
    let (_d, path) = temp_db();
    std::fs::write(&path, b"this is a letter, not a database; ".repeat(200)).unwrap();
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(Store::open(&path), Err(StoreError::Corrupt(_))));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn every_change_is_audited_and_the_chain_verifies() {
    let mut s = store_with(None, &[]);
    let (id, _) = s.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    let rec = s.get(&visitor::REGISTER, id).unwrap();
    let mut v = rec.values.clone();
    v[visitor::REGISTER.index("purpose").unwrap()] = text("改为看房");
    s.update(1, &ctx(), &visitor::REGISTER, &rec, &v).unwrap();
    s.void(1, &ctx(), &visitor::REGISTER, id, rec.version + 1, "登记重复").unwrap();
    let actions: Vec<String> = s
        .conn()
        .prepare("SELECT action FROM audit WHERE register = 'visitor' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["create", "update", "void"]);
    let (before, after): (String, String) = s
        .conn()
        .query_row("SELECT before, after FROM audit WHERE action = 'update'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert!(before.contains("来访") && after.contains("改为看房"), "before and after are kept");
    assert!(s.check().unwrap().ok());
}

#[test]
fn the_audit_trail_refuses_update_and_delete() {
    let mut s = store_with(None, &[]);
    s.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    assert!(s.conn().execute("UPDATE audit SET action = 'x'", []).is_err());
    assert!(s.conn().execute("DELETE FROM audit", []).is_err());
}

#[test]
fn check_names_the_first_altered_audit_row() {
    let (_d, path) = temp_db();
    let mut s = store_with(Some(&path), &[]);
    for n in ["甲", "乙", "丙"] {
        s.insert(1, &ctx(), &visitor::REGISTER, &visitor(n, "", "来访")).unwrap();
    }
    assert!(s.check().unwrap().ok());
    s.conn()
        .execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET after = '{\"name\":\"假\"}' WHERE id = 3;")
        .unwrap();
    let r = s.check().unwrap();
    assert!(!r.ok());
    assert_eq!(r.first_bad.as_ref().map(|b| b.0), Some(3));
    assert!(r.triggers_missing);
}

#[test]
fn check_notices_a_deleted_audit_row() {
    let mut s = store_with(None, &[]);
    for n in ["甲", "乙", "丙"] {
        s.insert(1, &ctx(), &visitor::REGISTER, &visitor(n, "", "来访")).unwrap();
    }
    s.conn().execute_batch("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2;").unwrap();
    assert_eq!(s.check().unwrap().first_bad.map(|b| b.0), Some(2));
}

#[test]
fn saving_over_a_changed_record_is_a_conflict_not_a_lost_edit() {
    let (_d, path) = temp_db();
    let mut a = store_with(Some(&path), &[("desk2", "李娜", &[Role::Receptionist])]);
    let mut b = Store::open(&path).unwrap();
    let (id, _) = a.insert(1, &ctx(), &customer::REGISTER, &card("王芳", "13812345678")).unwrap();
    let opened_by_a = a.get(&customer::REGISTER, id).unwrap();
    let opened_by_b = b.get(&customer::REGISTER, id).unwrap();
    let def = &customer::REGISTER;
    let mut va = opened_by_a.values.clone();
    va[def.index("address").unwrap()] = text("深南大道1号");
    a.update(1, &ctx(), def, &opened_by_a, &va).unwrap();
    let mut vb = opened_by_b.values.clone();
    vb[def.index("position").unwrap()] = text("经理");
    match b.update(2, &ctx(), def, &opened_by_b, &vb) {
        Err(StoreError::Conflict(c)) => {
            assert_eq!(c.changed, vec![def.index("address").unwrap()]);
            assert_eq!(c.theirs.updated_by, Some(1));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let now = b.get(def, id).unwrap();
    assert_eq!(def.value(&now.values, "address"), &text("深南大道1号"), "A's edit stands");
    assert_eq!(def.value(&now.values, "position"), &Value::Null, "B's edit was not written over it");
}

#[test]
fn voiding_needs_a_reason_and_keeps_the_record() {
    let mut s = store_with(None, &[]);
    let (id, _) = s.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    assert!(matches!(s.void(1, &ctx(), &visitor::REGISTER, id, 1, "  "), Err(StoreError::Invalid(_))));
    s.void(1, &ctx(), &visitor::REGISTER, id, 1, "重复登记").unwrap();
    let r = s.get(&visitor::REGISTER, id).unwrap();
    assert_eq!(r.voided.as_ref().map(|v| v.reason.as_str()), Some("重复登记"));
    assert_eq!(s.count(&visitor::REGISTER).unwrap(), 1, "records are never deleted");
    let all = s.page(&visitor::REGISTER, Cond::All, PageDir::First, 10, &ctx()).unwrap();
    assert_eq!(all.len(), 1);
    let current = s.page(&visitor::REGISTER, Cond::NotVoided, PageDir::First, 10, &ctx()).unwrap();
    assert!(current.is_empty());
    assert!(s.update(1, &ctx(), &visitor::REGISTER, &r, &r.values).is_err(), "a voided record cannot change");
}

#[test]
fn keyset_pages_cover_the_register_without_overlap() {
    let mut s = store_with(None, &[]);
    for i in 0..53 {
        s.insert(1, &ctx(), &visitor::REGISTER, &visitor(&format!("客人{i}"), "", "来访")).unwrap();
    }
    let def = &visitor::REGISTER;
    let mut seen = Vec::new();
    let mut dir = PageDir::First;
    loop {
        let page = s.page(def, Cond::All, dir, 10, &ctx()).unwrap();
        let Some(last) = page.last() else { break };
        dir = PageDir::Before(last.id);
        seen.extend(page.iter().map(|r| r.id));
    }
    let expected: Vec<i64> = (1..=53).rev().collect();
    assert_eq!(seen, expected, "newest first, every row once");
    let oldest = s.page(def, Cond::All, PageDir::Last, 10, &ctx()).unwrap();
    assert_eq!(oldest.iter().map(|r| r.id).collect::<Vec<_>>(), (1..=10).rev().collect::<Vec<_>>());
    let newer = s.page(def, Cond::All, PageDir::After(10), 5, &ctx()).unwrap();
    assert_eq!(newer.iter().map(|r| r.id).collect::<Vec<_>>(), vec![15, 14, 13, 12, 11]);
}

#[test]
fn search_finds_one_chinese_character_a_two_character_name_phone_digits_and_numbers() {
    let mut s = store_with(None, &[]);
    let def = &visitor::REGISTER;
    s.insert(1, &ctx(), def, &visitor("王芳", "138 1234 5678", "咨询租赁")).unwrap();
    s.insert(1, &ctx(), def, &visitor("李四", "13900001111", "送文件")).unwrap();
    s.insert(1, &ctx(), def, &visitor("Li Wei", "", "Lease enquiry")).unwrap();
    s.insert(1, &ctx(), def, &visitor("王小芳", "", "看房")).unwrap();
    let names = |q: &str| -> Vec<String> {
        s.search(def, q, Cond::All, None, 10, &ctx())
            .unwrap()
            .iter()
            .map(|r| def.value(&r.values, "name").as_text().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("王"), ["王小芳", "王芳"], "one character, newest first");
    assert_eq!(names("芳"), ["王小芳", "王芳"]);
    assert_eq!(names("王芳"), ["王芳"], "a two-character name");
    assert_eq!(names("5678"), ["王芳"], "four digits of the phone");
    assert_eq!(names("138-1234"), ["王芳"], "a phone typed with separators");
    assert_eq!(names("V-2026-000002"), ["李四"], "a number");
    assert_eq!(names("li"), ["Li Wei"], "the start of an English name");
    assert_eq!(names("lease"), ["Li Wei"], "case does not matter");
    assert_eq!(names("租赁"), ["王芳"]);
    assert_eq!(names("王 看房"), ["王小芳"], "terms combine");
    assert!(names("不存在的人").is_empty());
    assert!(names("\"*)(").is_empty(), "query syntax characters are harmless");
}

#[test]
fn search_sees_changes_and_respects_the_filter() {
    let mut s = store_with(None, &[]);
    let def = &visitor::REGISTER;
    let (id, _) = s.insert(1, &ctx(), def, &visitor("王芳", "", "咨询")).unwrap();
    let rec = s.get(def, id).unwrap();
    let mut v = rec.values.clone();
    v[def.index("name").unwrap()] = text("张伟");
    s.update(1, &ctx(), def, &rec, &v).unwrap();
    assert!(s.search(def, "王芳", Cond::All, None, 10, &ctx()).unwrap().is_empty(), "the old name is gone");
    assert_eq!(s.search(def, "张伟", Cond::All, None, 10, &ctx()).unwrap().len(), 1);
    s.void(1, &ctx(), def, id, 2, "错误").unwrap();
    assert!(s.search(def, "张伟", Cond::NotVoided, None, 10, &ctx()).unwrap().is_empty());
}

#[test]
fn a_customer_is_found_by_any_of_its_phones() {
    let mut s = store_with(None, &[]);
    let (id, _) = s.insert(1, &ctx(), &customer::REGISTER, &card("王芳", "13812345678,01065521234")).unwrap();
    assert_eq!(s.by_phone(&customer::REGISTER, "138 1234 5678").unwrap(), vec![id]);
    assert_eq!(s.by_phone(&customer::REGISTER, "(010) 6552-1234").unwrap(), vec![id]);
    assert!(s.by_phone(&customer::REGISTER, "13900000000").unwrap().is_empty());
}

#[test]
fn a_linked_save_writes_both_records_or_neither() {
    let mut s = store_with(None, &[]);
    let v = visitor("王芳", "13812345678", "来访");
    let card_values =
        frontdesk::domain::visitor::card_from_entry(&v, &frontdesk::domain::Settings::default(), 1).unwrap();
    let ((cid, _), (vid, _)) = s
        .insert_linked(1, &ctx(), (&customer::REGISTER, &card_values), (&visitor::REGISTER, &v), "customer_id")
        .unwrap();
    let rec = s.get(&visitor::REGISTER, vid).unwrap();
    assert_eq!(visitor::REGISTER.value(&rec.values, "customer_id"), &Value::Ref(cid));
    // A child that cannot be saved takes its parent with it.
    let bad_child = visitor("", "", "");
    assert!(
        s.insert_linked(
            1,
            &ctx(),
            (&customer::REGISTER, &card_values),
            (&visitor::REGISTER, &bad_child),
            "customer_id"
        )
        .is_err()
    );
    assert_eq!(s.count(&customer::REGISTER).unwrap(), 1);
}

#[test]
fn five_wrong_passwords_lock_the_code_for_a_minute() {
    let mut s = store_with(None, &[("desk1", "王芳", &[Role::Receptionist])]);
    for _ in 0..4 {
        assert_eq!(s.login("desk1", "nope", NOW), Err(LoginError::Wrong));
    }
    assert!(matches!(s.login("desk1", "nope", NOW), Err(LoginError::Locked { .. })));
    assert!(
        matches!(s.login("desk1", "pass123", NOW + 30), Err(LoginError::Locked { .. })),
        "even the right password waits"
    );
    assert!(s.login("desk1", "pass123", NOW + 61).is_ok());
    assert_eq!(s.login("nobody", "pass123", NOW), Err(LoginError::Wrong), "an unknown code looks the same");
}

#[test]
fn passwords_are_stored_as_argon2id_hashes() {
    let s = store_with(None, &[("desk1", "王芳", &[Role::Receptionist])]);
    let hash: String =
        s.conn().query_row("SELECT password_hash FROM operator WHERE code = 'desk1'", [], |r| r.get(0)).unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(!hash.contains("pass123"));
}

#[test]
fn the_last_administrator_cannot_be_removed() {
    let mut s = store_with(None, &[]);
    let mut admin = s.operator(1).unwrap();
    admin.roles = vec![Role::Manager];
    assert!(matches!(s.update_operator(1, NOW, &admin), Err(StoreError::Invalid(_))));
}

#[test]
fn drafts_are_kept_per_operator_and_slot() {
    let mut s = store_with(None, &[("desk1", "王芳", &[Role::Receptionist])]);
    s.save_draft(2, "visitor:new", "visitor", None, "{\"a\":1}", NOW).unwrap();
    s.save_draft(2, "visitor:new", "visitor", None, "{\"a\":2}", NOW + 3).unwrap();
    s.save_draft(1, "visitor:new", "visitor", None, "{\"b\":1}", NOW).unwrap();
    let d = s.drafts(2).unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].data, "{\"a\":2}");
    s.delete_draft(2, "visitor:new").unwrap();
    assert!(s.drafts(2).unwrap().is_empty());
    assert_eq!(s.drafts(1).unwrap().len(), 1, "another operator's draft is not touched");
}

#[test]
fn settings_are_checked_shared_and_audited() {
    let mut s = store_with(None, &[]);
    assert!(s.set_setting(1, NOW, "lock.idle_minutes", "0").is_err());
    s.set_setting(1, NOW, "lock.idle_minutes", "10").unwrap();
    assert_eq!(s.settings().unwrap().int("lock.idle_minutes"), 10);
    let n: i64 = s.conn().query_row("SELECT count(*) FROM audit WHERE action = 'setting'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn another_terminals_commit_changes_the_data_version() {
    let (_d, path) = temp_db();
    let a = store_with(Some(&path), &[]);
    let mut b = Store::open(&path).unwrap();
    let v0 = a.data_version().unwrap();
    b.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    assert_ne!(a.data_version().unwrap(), v0);
}

#[test]
fn an_import_with_a_bad_row_imports_nothing() {
    use frontdesk::domain::plan::{Actor, Change, Facts, plan};
    let mut s = store_with(None, &[]);
    let who = Actor { id: 1, name: "admin", roles: &[Role::Manager], department: None };
    let settings = s.settings().unwrap();
    let good = plan(
        &visitor::REGISTER,
        Change::Import { created: Some(NOW - 86_400), values: visitor("王芳", "", "来访") },
        who,
        &settings,
        &ctx(),
        Facts::default(),
    )
    .unwrap();
    // the same rules as the form: a row without its name and purpose is refused
    let bad = plan(
        &visitor::REGISTER,
        Change::Import { created: None, values: visitor("", "", "") },
        who,
        &settings,
        &ctx(),
        Facts::default(),
    );
    assert!(bad.is_err());
    // a row that breaks the table (planned for another register) writes nothing either
    let wrong = frontdesk::domain::plan::Plan { values: vec![Value::Null; 2], ..good_copy(&good) };
    assert!(s.import(1, &ctx(), &visitor::REGISTER, &[good_copy(&good), wrong]).is_err());
    assert_eq!(s.count(&visitor::REGISTER).unwrap(), 0);
    assert_eq!(s.import(1, &ctx(), &visitor::REGISTER, &[good]).unwrap(), 1);
    let r = s.get(&visitor::REGISTER, 1).unwrap();
    assert_eq!(r.created_at, NOW - 86_400, "the paper record keeps its date");
}

fn good_copy(p: &frontdesk::domain::plan::Plan) -> frontdesk::domain::plan::Plan {
    frontdesk::domain::plan::Plan {
        values: p.values.clone(),
        created: p.created,
        completed: p.completed,
        spawn: Vec::new(),
        linked_new: None,
        expect: p.expect.clone(),
        unchanged: false,
    }
}

#[test]
fn a_backup_is_a_complete_copy() {
    let (d, path) = temp_db();
    let mut s = store_with(Some(&path), &[]);
    s.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    let out = d.path().join("copy.sqlite");
    s.backup(&out, false).unwrap();
    let copy = Store::open(&out).unwrap();
    assert_eq!(copy.count(&visitor::REGISTER).unwrap(), 1);
    assert!(copy.check().unwrap().ok());
    assert!(s.backup(&out, false).is_err(), "an existing file is never overwritten unasked");
}

#[test]
fn a_terminal_starts_while_another_holds_the_write_lock() {
    let (_d, path) = temp_db();
    drop(store_with(Some(&path), &[]));
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let s = Store::open(&path).expect("opening needs no write lock once migrated");
    assert_eq!(s.count(&visitor::REGISTER).unwrap(), 0, "and it can read");
    other.execute_batch("COMMIT").unwrap();
}

#[test]
fn ranked_pages_keep_their_order_at_any_depth() {
    use frontdesk::domain::complaint;
    let mut s = store_with(None, &[]);
    let def = &complaint::REGISTER;
    for i in 0..25 {
        let v =
            values(def, &[("step", text("decide")), ("subject", text(&format!("案{i}"))), ("rank", Value::Int(i % 3))]);
        s.insert(1, &ctx(), def, &v).unwrap();
    }
    // the expected order: rank high to low, then newest first
    let mut expected: Vec<(i64, i64)> = (1..=25).map(|id| ((id - 1) % 3, id)).collect();
    expected.sort_by(|a, b| b.cmp(a));
    let expected: Vec<i64> = expected.into_iter().map(|(_, id)| id).collect();
    let mut seen = Vec::new();
    let mut dir = PageDir::First;
    loop {
        let page = s.page(def, Cond::All, dir, 7, &ctx()).unwrap();
        let Some(last) = page.last() else { break };
        dir = PageDir::Before(last.id);
        seen.extend(page.iter().map(|r| r.id));
    }
    assert_eq!(seen, expected);
    let from = s.page(def, Cond::All, PageDir::From(expected[9]), 3, &ctx()).unwrap();
    assert_eq!(from.iter().map(|r| r.id).collect::<Vec<_>>(), expected[9..12]);
    let back = s.page(def, Cond::All, PageDir::After(expected[9]), 3, &ctx()).unwrap();
    assert_eq!(back.iter().map(|r| r.id).collect::<Vec<_>>(), expected[6..9]);
}

#[test]
fn a_bulk_load_is_searchable_across_its_batches() {
    let mut s = store_with(None, &[]);
    let mut rows =
        (0..4_500).map(|i| (NOW - 10_000 + i, visitor(&format!("客{i:04}号"), &format!("1380000{i:04}"), "来访")));
    assert_eq!(s.bulk_insert(1, &ctx(), &visitor::REGISTER, &mut rows).unwrap(), 4_500);
    for (term, id) in [("客0000号", 1), ("客3999号", 4_000), ("客4000号", 4_001), ("13800004499", 4_500)] {
        let hits = s.search(&visitor::REGISTER, term, Cond::All, None, 5, &ctx()).unwrap();
        assert_eq!(hits.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id], "{term}");
    }
    assert!(s.check().unwrap().ok());
    let (_, next) = s.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    assert_eq!(next, "V-2026-004501", "numbering goes on after a bulk load");
}

fn new_op<'a>(code: &'a str, roles: &'a [Role]) -> frontdesk::store::auth::NewOperator<'a> {
    frontdesk::store::auth::NewOperator { code, name: "某人", roles, password: "longpass1" }
}

#[test]
fn rule_a14_the_first_operator_is_always_an_administrator() {
    let mut s = Store::open_in_memory().unwrap();
    let id = s.create_operator(None, NOW, &new_op("r1", &[Role::Receptionist])).unwrap();
    let op = s.operator(id).unwrap();
    assert!(op.roles.contains(&Role::Admin) && op.roles.contains(&Role::Receptionist), "{:?}", op.roles);
    // nobody else comes without an administrator vouching
    match s.create_operator(None, NOW, &new_op("r2", &[Role::Admin])) {
        Err(StoreError::Invalid(m)) => assert_eq!(m.key, "err.operator.setup_done"),
        other => panic!("{other:?}"),
    }
    let desk = s.create_operator(Some(id), NOW, &new_op("desk", &[Role::Receptionist])).unwrap();
    assert_eq!(s.operator(desk).unwrap().roles, vec![Role::Receptionist], "only the first gets admin");
    match s.create_operator(Some(desk), NOW, &new_op("r3", &[Role::Admin])) {
        Err(StoreError::Invalid(m)) => assert_eq!(m.key, "err.permission"),
        other => panic!("a receptionist creates nobody: {other:?}"),
    }
    assert_eq!(s.operator_count().unwrap(), 2);
}

#[test]
fn two_terminals_creating_the_first_operator_at_once_make_exactly_one() {
    let (_d, path) = temp_db();
    drop(Store::open(&path).unwrap());
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let (p, b) = (path.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut s = Store::open(&p).unwrap();
                let code = format!("first{i}");
                b.wait();
                s.create_operator(None, NOW, &new_op(&code, &[Role::Receptionist])).map_err(|e| e.msg().key)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().filter(|r| r.is_err()).all(|r| *r == Err("err.operator.setup_done")), "{results:?}");
    let s = Store::open(&path).unwrap();
    let ops = s.operators().unwrap();
    assert_eq!(ops.len(), 1);
    assert!(ops[0].roles.contains(&Role::Admin));
}

#[test]
fn rule_a14_operator_codes_are_ascii_letters_digits_and_dot_dash_underscore() {
    let mut s = store_with(None, &[]);
    for bad in ["王芳", "wang fang", "a/b", "ｗａｎｇ"] {
        match s.create_operator(Some(1), NOW, &new_op(bad, &[Role::Receptionist])) {
            Err(StoreError::Invalid(m)) => assert_eq!(m.key, "err.operator.code", "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    for good in ["wang.fang", "w_f-2"] {
        assert!(s.create_operator(Some(1), NOW, &new_op(good, &[Role::Receptionist])).is_ok(), "{good}");
    }
}

#[test]
fn the_minimum_password_is_a_setting() {
    use frontdesk::store::auth::check_password;
    let mut s = store_with(None, &[]);
    assert_eq!(s.min_password(), 8);
    assert!(check_password("1234567", s.min_password()).is_err());
    assert!(check_password("12345678", s.min_password()).is_ok());
    s.set_setting(1, NOW, "login.min_password", "12").unwrap();
    assert_eq!(check_password("12345678", s.min_password()).unwrap_err().args, vec![("min", "12".to_string())]);
}

#[test]
fn departments_are_renamed_and_retired_but_kept_for_what_names_them() {
    let mut s = store_with(None, &[("desk1", "王芳", &[Role::Receptionist])]);
    let after_sales = s.add_department(1, NOW, "售后服务部").unwrap();
    let front = s.add_department(1, NOW, "前台").unwrap();
    let mut op = s.operator_by_code("desk1").unwrap().unwrap();
    op.department_id = Some(after_sales);
    s.update_operator(1, NOW, &op).unwrap();
    s.rename_department(1, NOW, after_sales, "售后部").unwrap();
    assert!(
        matches!(s.rename_department(1, NOW, after_sales, "前台"), Err(StoreError::Invalid(m)) if m.key == "err.department.exists")
    );
    s.set_department_retired(1, NOW, after_sales, true).unwrap();
    // named still, offered no more
    assert!(s.departments().unwrap().contains(&(after_sales, "售后部".to_string())));
    assert_eq!(s.offered_departments().unwrap(), vec![(front, "前台".to_string())]);
    assert!(s.department_list().unwrap().iter().any(|d| d.id == after_sales && d.retired));
    // one already in it stays; nobody new goes in
    let mut op = s.operator_by_code("desk1").unwrap().unwrap();
    assert_eq!(op.department_id, Some(after_sales));
    op.name = "王芳芳".into();
    s.update_operator(1, NOW, &op).unwrap();
    let new = new_op("desk2", &[Role::Receptionist]);
    assert!(
        matches!(s.create_operator_in(Some(1), NOW, &new, Some(after_sales)), Err(StoreError::Invalid(m)) if m.key == "err.department.retired")
    );
    s.set_department_retired(1, NOW, after_sales, false).unwrap();
    assert!(s.create_operator_in(Some(1), NOW, &new, Some(after_sales)).is_ok());
    let actions: Vec<String> = s
        .conn()
        .prepare("SELECT action FROM audit WHERE register = 'department' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(actions, ["create", "create", "update", "retire", "restore"]);
    assert!(s.check().unwrap().ok());
}

#[test]
fn a_busy_database_at_login_says_busy_without_a_database_error_prefix() {
    let (_d, path) = temp_db();
    let mut s = store_with(Some(&path), &[]);
    s.set_busy_timeout(std::time::Duration::from_millis(50)).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    // a wrong password must be counted, and cannot be while another terminal writes
    match s.login("admin", "wrong", NOW) {
        Err(e @ LoginError::Store(_)) => assert_eq!(e.msg(0).key, "err.store.busy_no_form"),
        other => panic!("{other:?}"),
    }
}

/// A phone field's value as the form parses what was typed.
fn phones(typed: &str) -> Value {
    frontdesk::domain::register::parse(frontdesk::domain::FieldKind::Phones, typed, None, &ctx()).unwrap()
}

#[test]
fn phones_typed_any_way_are_stored_with_plus_and_extension_and_found_as_typed() {
    let mut s = store_with(None, &[]);
    let typed = "139 1234 5678，021-62881234转801；0086 186 1111 2222";
    assert_eq!(phones(typed), text("13912345678,02162881234x801,18611112222"));
    let mut c = card("欧阳建国", "");
    c[customer::REGISTER.index("phones").unwrap()] = phones(typed);
    let (id, _) = s.insert(1, &ctx(), &customer::REGISTER, &c).unwrap();
    let mut abroad = card("Hans Maier", "");
    abroad[customer::REGISTER.index("phones").unwrap()] = phones("+49 89 38200");
    let (hans, _) = s.insert(1, &ctx(), &customer::REGISTER, &abroad).unwrap();
    let stored = s.get(&customer::REGISTER, hans).unwrap();
    assert_eq!(customer::REGISTER.value(&stored.values, "phones"), &text("+498938200"), "the + is kept");
    // an older value, stored as digits only before, is still read and found
    let (old, _) = s.insert(1, &ctx(), &customer::REGISTER, &card("老客户", "498938201")).unwrap();

    let found = |s: &Store, q: &str| -> Vec<i64> {
        s.search(&customer::REGISTER, q, Cond::All, None, 10, &ctx()).unwrap().iter().map(|r| r.id).collect()
    };
    for q in [
        "+8618611112222",
        "+86 186 1111 2222",
        "0086 186-1111-2222",
        "18611112222",
        "2222",
        "62881234",
        "021-62881234转801",
    ] {
        assert_eq!(found(&s, q), vec![id], "{q}");
    }
    for q in ["+49 89 38200", "+498938200", "0049 89 38200"] {
        assert_eq!(found(&s, q), vec![hans], "{q}");
    }
    assert_eq!(found(&s, "498938201"), vec![old]);
    // the card is matched by any of its phones as a visitor's phone is typed
    assert_eq!(s.by_phone(&customer::REGISTER, "+86 186 1111 2222").unwrap(), vec![id]);
    assert_eq!(s.by_phone(&customer::REGISTER, "021-6288 1234 x801").unwrap(), vec![id]);
    assert_eq!(s.by_phone(&customer::REGISTER, "0049 89 38200").unwrap(), vec![hans]);
}

#[test]
fn the_count_is_the_whole_filter_not_a_page() {
    let mut s = store_with(None, &[]);
    for i in 0..30 {
        s.insert(1, &ctx(), &visitor::REGISTER, &visitor(&format!("来宾{i}"), "", "来访")).unwrap();
    }
    let mut yesterday = visitor("昨天", "", "来访");
    yesterday[0] = Value::Time(NOW - 86_400);
    s.insert(1, &ctx(), &visitor::REGISTER, &yesterday).unwrap();
    s.void(1, &ctx(), &visitor::REGISTER, 1, 1, "重复").unwrap();
    assert_eq!(s.count_where(&visitor::REGISTER, Cond::Today("occurred_at"), &ctx()).unwrap(), 29);
    assert_eq!(s.count_where(&visitor::REGISTER, Cond::All, &ctx()).unwrap(), 31);
}

/// Every register's table holds exactly its declared fields (and the engine's own
/// columns): a migration that forgets a field, or leaves one behind, fails here.
#[test]
fn every_registers_table_matches_its_declared_fields() {
    let s = store_with(None, &[]);
    let meta = [
        "id",
        "number",
        "version",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "voided_at",
        "voided_by",
        "void_reason",
    ];
    for def in frontdesk::domain::REGISTERS {
        let mut stmt = s.conn().prepare(&format!("PRAGMA table_info({})", def.table)).unwrap();
        let mut cols: Vec<String> =
            stmt.query_map([], |r| r.get::<_, String>(1)).unwrap().map(|c| c.unwrap()).collect();
        cols.sort();
        let mut want: Vec<String> =
            meta.iter().map(|c| c.to_string()).chain(def.fields.iter().map(|f| f.key.to_string())).collect();
        want.sort();
        assert_eq!(cols, want, "{}", def.name);
    }
}

/// Rule A14 and I6: an administrator cannot grant themselves a register's roles; another
/// administrator changes them.
#[test]
fn rule_a14_nobody_changes_their_own_roles() {
    let mut s = store_with(None, &[("admin2", "第二管理员", &[Role::Admin])]);
    let mut me = s.operator(1).unwrap();
    me.roles.push(Role::Receptionist);
    match s.update_operator(1, NOW, &me) {
        Err(StoreError::Invalid(m)) => assert_eq!(m.key, "err.extra.own_roles"),
        other => panic!("{other:?}"),
    }
    let other = s.operator_by_code("admin2").unwrap().unwrap().id;
    s.update_operator(other, NOW, &me).unwrap();
    assert!(s.operator(1).unwrap().roles.contains(&Role::Receptionist));
    // every role the program knows can be given in the Admin form
    for r in Role::ALL {
        assert!(frontdesk::model::admin::ROLE_CODES.contains(&r.code()), "{r:?}");
    }
}

/// A register whose records carry a secrecy mark (rule A7), over the visitor table: class
/// A entries seen only by the general manager, class B also by managers, and every entry
/// by the operator named to look after it.
static SECRET: frontdesk::domain::RegisterDef = frontdesk::domain::RegisterDef {
    access: frontdesk::domain::Access {
        confidential: Some(frontdesk::domain::access::Confidential {
            field: "visitor_class",
            levels: &[("A", &[Role::GeneralManager]), ("B", &[Role::GeneralManager, Role::Manager])],
            keeper: Some("staff_id"),
        }),
        ..visitor::ACCESS
    },
    ..frontdesk::domain::RegisterDef::new("visitor", "V", "name", visitor::FIELDS, visitor::ACCESS)
};

#[test]
fn rule_a7_a_confidential_record_is_seen_only_by_those_its_level_names_and_its_keeper() {
    use frontdesk::domain::access::may_see;
    use frontdesk::domain::roles::Roles;
    let mut s = store_with(
        None,
        &[
            ("desk", "王芳", &[Role::Receptionist]),
            ("mgr", "陈总", &[Role::Manager]),
            ("gm", "周总", &[Role::GeneralManager]),
            ("keeper", "赵敏", &[Role::Receptionist]),
        ],
    );
    for (name, class, keeper) in [("甲", "A", 5), ("乙", "B", 0), ("丙", "C", 0), ("丁", "A", 0)] {
        let mut v = visitor(name, "", "机要");
        visitor::REGISTER.set(&mut v, "visitor_class", text(class));
        if keeper != 0 {
            visitor::REGISTER.set(&mut v, "staff_id", Value::Ref(keeper));
        }
        s.insert(1, &ctx(), &visitor::REGISTER, &v).unwrap();
    }
    let seen = |actor: i64, roles: &[Role]| {
        let c = frontdesk::domain::register::Context { actor, roles: Roles::of(roles), ..ctx() };
        let mut page: Vec<String> = s
            .page(&SECRET, Cond::All, PageDir::First, 30, &c)
            .unwrap()
            .iter()
            .map(|r| visitor::REGISTER.value(&r.values, "name").as_text().unwrap().to_string())
            .collect();
        page.sort();
        // search and counts leave out the same records as the list
        let found = s.search(&SECRET, "机要", Cond::All, None, 30, &c).unwrap();
        assert_eq!(found.len(), page.len(), "search sees what the list sees");
        assert_eq!(s.count_where(&SECRET, Cond::All, &c).unwrap() as usize, page.len());
        for r in &found {
            assert!(may_see(&SECRET, &r.values, actor, c.roles), "the rule and the query agree");
        }
        page.join("")
    };
    assert_eq!(seen(2, &[Role::Receptionist]), "丙");
    assert_eq!(seen(3, &[Role::Manager]), "丙乙");
    assert_eq!(seen(4, &[Role::GeneralManager]), "丁丙乙甲");
    // the one who looks after a secret record sees it, whatever their roles
    assert_eq!(seen(5, &[Role::Receptionist]), "丙甲");
    // a register with no secrecy levels hides nothing
    let c = frontdesk::domain::register::Context { actor: 2, roles: Roles::of(&[Role::Receptionist]), ..ctx() };
    assert_eq!(s.page(&visitor::REGISTER, Cond::All, PageDir::First, 30, &c).unwrap().len(), 4);
}

#[test]
fn an_import_is_found_by_every_one_two_and_three_character_term_and_audits_every_row() {
    use frontdesk::domain::plan::{Actor, Change, Facts, plan};
    let mut s = store_with(None, &[]);
    let who = Actor { id: 1, name: "admin", roles: &[Role::Manager], department: None };
    let settings = s.settings().unwrap();
    let (a, b, c) = (['赵', '钱', '孙', '李', '周', '吴', '郑'], ['一', '二', '三', '四', '五'], ['明', '芳', '强']);
    // more rows than one index batch, so the terms are found across batches
    let rows: Vec<(String, String, &str)> = (0..4_500)
        .map(|i| {
            let name: String = [a[i % 7], b[(i / 7) % 5], c[(i / 35) % 3]].iter().collect();
            (name, format!("1380000{i:04}"), if i % 5 == 0 { "咨询GPS定位" } else { "来访" })
        })
        .collect();
    let plans: Vec<_> = rows
        .iter()
        .map(|(name, phone, purpose)| {
            let values = visitor(name, phone, purpose);
            plan(&visitor::REGISTER, Change::Import { created: None, values }, who, &settings, &ctx(), Facts::default())
                .unwrap()
        })
        .collect();
    assert_eq!(s.import(1, &ctx(), &visitor::REGISTER, &plans).unwrap(), 4_500);
    for term in ["赵", "芳", "钱二", "五强", "孙三明", "gp", "GPS", "38000012", "80000449"] {
        let want: Vec<i64> = rows
            .iter()
            .enumerate()
            .filter(|(_, (name, phone, purpose))| {
                let t = term.to_lowercase();
                name.contains(&t) || phone.contains(&t) || purpose.to_lowercase().contains(&t)
            })
            .map(|(i, _)| i as i64 + 1)
            .rev()
            .collect();
        assert!(!want.is_empty(), "{term}");
        let got: Vec<i64> =
            s.search(&visitor::REGISTER, term, Cond::All, None, 5_000, &ctx()).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(got, want, "{term}");
    }
    // one audit entry per row, each naming its record, all in one verified chain
    let (entries, records): (i64, i64) = s
        .conn()
        .query_row(
            "SELECT count(*), count(DISTINCT record_id) FROM audit WHERE action = 'import' AND register = 'visitor'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((entries, records), (4_500, 4_500));
    let after: String = s
        .conn()
        .query_row("SELECT after FROM audit WHERE action = 'import' AND record_id = 4500", [], |r| r.get(0))
        .unwrap();
    let last = s.get(&visitor::REGISTER, 4_500).unwrap();
    // the whole row: its fields, number and creation time (F18)
    let mut row = frontdesk::store::values_json(&visitor::REGISTER, &last.values);
    row["_number"] = serde_json::json!(last.number);
    row["_created_at"] = serde_json::json!(last.created_at);
    assert_eq!(after, row.to_string());
    assert!(s.check().unwrap().ok());
}
