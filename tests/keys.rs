//! Key sequences through the model, as an operator types them; no terminal.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::register::Cond;
use frontdesk::domain::{Role, Value, customer, visitor};
use frontdesk::i18n::Lang;
use frontdesk::model::{Level, Overlay, Phase, Screen};
use frontdesk::store::{PageDir, Store};
use support::*;

fn desk_model(ops: &[(&str, &str, &[Role])], who: &str) -> frontdesk::model::Model {
    let s = store_with(None, ops);
    let mut m = model(s, Lang::En);
    login(&mut m, who, if who == "admin" { "admin123" } else { "pass123" });
    assert!(m.desk().is_some(), "logged in as {who}: {:?}", m.status.as_ref().map(|s| &s.text));
    m
}

const DESK: &[(&str, &str, &[Role])] = &[("desk1", "王芳", &[Role::Receptionist])];
/// A supervisor: voiding is a supervisor's act.
const LEAD: &[(&str, &str, &[Role])] = &[("desk1", "张强", &[Role::Supervisor])];

fn status(m: &frontdesk::model::Model) -> String {
    m.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

fn form_raw(m: &frontdesk::model::Model, key: &str) -> String {
    m.desk().and_then(|d| d.form()).map(|f| f.raw(key).to_string()).unwrap_or_default()
}

fn field_error(m: &frontdesk::model::Model, key: &str) -> Option<&'static str> {
    let f = m.desk()?.form()?;
    f.values[f.index(key)?].error.as_ref().map(|e| e.key)
}

/// F3, n, and the visitor's name, phone and purpose.
fn new_visitor(m: &mut frontdesk::model::Model, name: &str, phone: &str, purpose: &str) {
    m.on_key(key(KeyCode::F(3)));
    type_text(m, "n");
    focus(m, "name");
    type_text(m, name);
    focus(m, "phone");
    type_text(m, phone);
    focus(m, "purpose");
    type_text(m, purpose);
}

#[test]
fn first_run_creates_the_administrator_and_logs_in() {
    let mut m = model(Store::open_in_memory().unwrap(), Lang::En);
    assert!(matches!(m.phase, Phase::Setup(_)));
    type_text(&mut m, "boss");
    m.on_key(key(KeyCode::Enter));
    type_text(&mut m, "陈总");
    m.on_key(key(KeyCode::Enter));
    type_text(&mut m, "secret12");
    m.on_key(key(KeyCode::Enter));
    type_text(&mut m, "secret22");
    m.on_key(key(KeyCode::Enter));
    assert!(matches!(m.phase, Phase::Setup(_)), "mismatched passwords are refused");
    focus_entry(&mut m, 3);
    for _ in 0..8 {
        m.on_key(key(KeyCode::Backspace));
    }
    type_text(&mut m, "secret12");
    m.on_key(key(KeyCode::Enter));
    let d = m.desk().expect("at the desk");
    assert_eq!(d.op.name, "陈总");
    assert!(d.op.roles.contains(&Role::Admin) && d.op.roles.contains(&Role::GeneralManager));
}

fn focus_entry(m: &mut frontdesk::model::Model, i: usize) {
    if let Phase::Setup(f) | Phase::Login(f) = &mut m.phase {
        f.focus = i;
    }
}

#[test]
fn a_wrong_password_says_so_and_keeps_the_login_screen() {
    let mut m = model(store_with(None, DESK), Lang::En);
    login(&mut m, "desk1", "wrong!!");
    assert!(matches!(m.phase, Phase::Login(_)));
    let Phase::Login(f) = &m.phase else { unreachable!() };
    assert_eq!(f.values[1].error.as_ref().map(|e| e.key), Some("login.wrong"));
    assert_eq!(f.raw("password"), "", "the wrong password is cleared");
}

#[test]
fn rule_i1_i2_a_visitor_entry_is_saved_numbered_and_carded() {
    let mut m = desk_model(DESK, "desk1");
    new_visitor(&mut m, "张三丰", "139 1234 5678", "咨询租赁");
    focus(&mut m, "visitor_class");
    type_text(&mut m, "b");
    focus(&mut m, "party_size");
    m.on_key(ctrl('u'));
    type_text(&mut m, "6");
    m.on_key(ctrl('s'));
    assert_eq!(status(&m), "Saved V-2026-000001; new customer card CU-2026-000001.");
    assert!(m.desk().unwrap().form().is_none(), "the form closes");
    let rec = m.store.get(&visitor::REGISTER, 1).unwrap();
    let v = |k| visitor::REGISTER.value(&rec.values, k).clone();
    assert_eq!(v("name"), text("张三丰"));
    assert_eq!(v("phone"), text("13912345678"), "phones are stored normalised");
    assert_eq!(v("visitor_class"), text("B"));
    assert_eq!(v("party_size"), Value::Int(6));
    assert_eq!(v("received_by"), Value::Ref(2), "received by the operator at the desk");
    // created from the entry: a new customer card, linked
    let Value::Ref(cid) = v("customer_id") else { panic!("no card linked") };
    let card = m.store.get(&customer::REGISTER, cid).unwrap();
    assert_eq!(customer::REGISTER.value(&card.values, "phones"), &text("13912345678"));
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows[0].id, 1, "the new entry heads the list");
}

#[test]
fn a_returning_visitor_is_linked_to_the_card_holding_the_phone() {
    let mut m = desk_model(DESK, "desk1");
    let (cid, _) = m.store.insert(1, &ctx(), &customer::REGISTER, &card("王芳", "13812345678,01065521234")).unwrap();
    new_visitor(&mut m, "王女士", "010-6552-1234", "取文件");
    m.on_key(ctrl('s'));
    let rec = m.store.get(&visitor::REGISTER, 1).unwrap();
    assert_eq!(visitor::REGISTER.value(&rec.values, "customer_id"), &Value::Ref(cid));
    assert_eq!(m.store.count(&customer::REGISTER).unwrap(), 1, "no second card");
}

fn link_note(m: &frontdesk::model::Model) -> Option<String> {
    let f = m.desk()?.form()?;
    f.link_note.as_ref().map(|n| m.i18n.msg(n))
}

#[test]
fn d27_rules_i3_i4_what_saving_does_to_the_card_is_said_before_saving() {
    let mut m = desk_model(DESK, "desk1");
    let (cid, _) = m.store.insert(1, &ctx(), &customer::REGISTER, &card("王芳", "13812345678")).unwrap();
    let number = m.store.get(&customer::REGISTER, cid).unwrap().number;
    // a phone no card holds: a new card, kept by the operator on duty (no staff named)
    new_visitor(&mut m, "张三丰", "139 1234 5678", "咨询租赁");
    assert_eq!(
        link_note(&m).as_deref(),
        Some("Saving makes a new customer card for 张三丰 (13912345678), kept by 王芳 (rules I3, I4).")
    );
    // a delegation of more than ten gets none, and is not told it will
    focus(&mut m, "party_size");
    m.on_key(ctrl('u'));
    type_text(&mut m, "12");
    assert_eq!(link_note(&m), None);
    m.on_key(ctrl('u'));
    type_text(&mut m, "2");
    assert!(link_note(&m).is_some());
    // a phone a card holds: the entry joins that card
    focus(&mut m, "phone");
    m.on_key(ctrl('u'));
    type_text(&mut m, "138-1234-5678");
    assert_eq!(
        link_note(&m).as_deref(),
        Some(format!("This phone is on card {number} (王芳): saving links the entry to it.").as_str())
    );
    // no phone yet (or not a phone): nothing is said
    m.on_key(ctrl('u'));
    assert_eq!(link_note(&m), None);
    type_text(&mut m, "138-1234-5678");
    m.on_key(ctrl('s'));
    let rec = m.store.get(&visitor::REGISTER, 1).unwrap();
    assert_eq!(visitor::REGISTER.value(&rec.values, "customer_id"), &Value::Ref(cid), "as it said");
    assert_eq!(m.store.count(&customer::REGISTER).unwrap(), 1);
}

#[test]
fn typing_a_name_offers_matching_cards_and_picking_one_fills_the_entry() {
    let mut m = desk_model(DESK, "desk1");
    m.store.insert(1, &ctx(), &customer::REGISTER, &card("欧阳娜娜", "13700001111")).unwrap();
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "name");
    type_text(&mut m, "欧阳");
    let hits = m.desk().unwrap().form().unwrap().suggest.as_ref().map(|s| s.hits.len());
    assert_eq!(hits, Some(1));
    m.on_key(key(KeyCode::Enter));
    assert_eq!(form_raw(&m, "phone"), "", "Enter alone does not pick someone else's card");
    m.on_key(key(KeyCode::BackTab));
    type_text(&mut m, "娜");
    m.on_key(key(KeyCode::Down));
    m.on_key(key(KeyCode::Enter));
    assert_eq!(form_raw(&m, "name"), "欧阳娜娜");
    assert_eq!(form_raw(&m, "phone"), "137 0000 1111");
    assert!(form_raw(&m, "customer_id").starts_with("欧阳娜娜 CU-2026-000001"));
}

#[test]
fn a_form_with_missing_fields_says_why_at_each_and_saves_nothing() {
    let mut m = desk_model(DESK, "desk1");
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "phone");
    type_text(&mut m, "12ab");
    m.on_key(ctrl('s'));
    assert_eq!(field_error(&m, "name"), Some("err.required"));
    assert_eq!(field_error(&m, "phone"), Some("err.phone.invalid"));
    assert_eq!(field_error(&m, "purpose"), Some("err.required"));
    assert_eq!(m.status.as_ref().map(|s| s.level), Some(Level::Error));
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 0);
    assert_eq!(m.desk().unwrap().form().unwrap().def().key, "name", "the focus goes to the first problem");
}

#[test]
fn rule_i3_an_intent_customer_needs_a_phone() {
    let mut m = desk_model(DESK, "desk1");
    new_visitor(&mut m, "赵六", "", "看房");
    focus(&mut m, "intent");
    type_text(&mut m, "y");
    m.on_key(ctrl('s'));
    assert_eq!(field_error(&m, "phone"), Some("err.visitor.intent_needs_phone"));
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 0);
}

#[test]
fn a_wrong_date_is_refused_at_the_field() {
    let mut m = desk_model(DESK, "desk1");
    new_visitor(&mut m, "赵六", "", "看房");
    focus(&mut m, "occurred_at");
    m.on_key(ctrl('u'));
    type_text(&mut m, "2026-02-30 10:00");
    m.on_key(ctrl('s'));
    assert_eq!(field_error(&m, "occurred_at"), Some("err.date.invalid"));
    m.on_key(ctrl('u'));
    type_text(&mut m, "today 9:30");
    m.on_key(ctrl('s'));
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 1);
}

#[test]
fn escape_on_a_changed_form_asks_before_discarding() {
    let mut m = desk_model(DESK, "desk1");
    new_visitor(&mut m, "赵六", "", "看房");
    m.on_key(key(KeyCode::Esc));
    assert!(matches!(m.overlay, Some(Overlay::Confirm(_))));
    type_text(&mut m, "n");
    assert!(m.desk().unwrap().form().is_some(), "anything but y keeps the form");
    assert_eq!(form_raw(&m, "name"), "赵六");
    m.on_key(key(KeyCode::Esc));
    type_text(&mut m, "y");
    assert!(m.desk().unwrap().form().is_none());
    assert!(m.store.drafts(2).unwrap().is_empty(), "a discarded form leaves no draft");
    // nor what was said about it: a refused save's message goes with the form
    type_text(&mut m, "n");
    m.on_key(ctrl('s'));
    assert!(m.status.is_some(), "the refusal is said");
    m.on_key(key(KeyCode::Esc));
    assert!(m.desk().unwrap().form().is_none());
    assert!(m.status.is_none(), "{:?}", m.status);
}

#[test]
fn the_terminal_locks_after_idle_minutes_and_keeps_the_draft() {
    let mut m = desk_model(DESK, "desk1");
    new_visitor(&mut m, "钱七", "", "送货");
    m.tick(NOW + 4 * 60);
    assert!(m.desk().unwrap().lock.is_none());
    m.tick(NOW + 5 * 60);
    assert!(m.desk().unwrap().lock.is_some(), "locked after 5 idle minutes");
    assert_eq!(m.store.drafts(2).unwrap().len(), 1, "the form went to a draft on lock");
    // Keys other than the password do nothing to the registers while locked.
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "wrong!!");
    m.on_key(key(KeyCode::Enter));
    assert!(m.desk().unwrap().lock.is_some());
    type_text(&mut m, "pass123");
    m.on_key(key(KeyCode::Enter));
    assert!(m.desk().unwrap().lock.is_none());
    assert_eq!(form_raw(&m, "name"), "钱七", "the half-typed entry waits");
}

#[test]
fn ctrl_l_locks_and_another_operator_can_take_over() {
    let ops: &[(&str, &str, &[Role])] =
        &[("desk1", "王芳", &[Role::Receptionist]), ("desk2", "李娜", &[Role::Receptionist])];
    let mut m = desk_model(ops, "desk1");
    new_visitor(&mut m, "钱七", "", "送货");
    m.on_key(ctrl('l'));
    let lock = m.desk().unwrap().lock.as_ref().unwrap();
    assert_eq!(lock.raw("code"), "desk1");
    if let Some(d) = m.desk_mut() {
        d.lock.as_mut().unwrap().focus = 0;
    }
    m.on_key(ctrl('u'));
    for _ in 0..5 {
        m.on_key(key(KeyCode::Backspace));
    }
    type_text(&mut m, "desk2");
    m.on_key(key(KeyCode::Enter));
    type_text(&mut m, "pass123");
    m.on_key(key(KeyCode::Enter));
    let d = m.desk().unwrap();
    assert_eq!(d.op.code, "desk2");
    assert!(d.form().is_none(), "the first operator's form is not shown to the second");
    assert_eq!(m.store.drafts(2).unwrap().len(), 1, "it waits in desk1's drafts");
}

#[test]
fn a_draft_is_restored_to_the_same_operator_after_a_crash() {
    let (_d, path) = temp_db();
    let s = store_with(Some(&path), DESK);
    let mut m = model(s, Lang::En);
    login(&mut m, "desk1", "pass123");
    new_visitor(&mut m, "孙八", "13512345678", "面试");
    m.tick(NOW + 3);
    assert_eq!(m.store.drafts(2).unwrap().len(), 1, "autosaved within the interval");
    drop(m); // the process dies without saving
    let mut again = model(Store::open(&path).unwrap(), Lang::En);
    login(&mut again, "desk1", "pass123");
    assert_eq!(form_raw(&again, "name"), "孙八");
    assert_eq!(form_raw(&again, "phone"), "13512345678");
    assert!(status(&again).contains("Restored 1"));
    again.on_key(ctrl('s'));
    assert_eq!(again.store.count(&visitor::REGISTER).unwrap(), 1);
    assert!(again.store.drafts(2).unwrap().is_empty(), "saving clears the draft");
}

#[test]
fn rule_i6_the_register_is_hidden_from_roles_without_permission() {
    let ops: &[(&str, &str, &[Role])] = &[("arch", "赵敏", &[Role::Archivist])];
    let mut m = desk_model(ops, "arch");
    m.on_key(key(KeyCode::F(3)));
    let d = m.desk().unwrap();
    assert!(d.find("visitor").is_none(), "no visitor register for an archivist");
    assert!(d.find("customer").is_some());
    m.on_key(key(KeyCode::F(8)));
    assert_ne!(m.desk().unwrap().screen, Screen::Admin);
    assert_eq!(status(&m), "Your roles do not allow this.");
}

#[test]
fn reserved_screens_say_they_are_not_in_this_version() {
    let mut m = desk_model(DESK, "desk1");
    m.on_key(key(KeyCode::F(6)));
    assert_eq!(status(&m), "Archive is not in this version of frontdesk.");
}

#[test]
fn slash_searches_as_you_type_and_escape_clears() {
    let mut m = desk_model(DESK, "desk1");
    for (n, p) in [("王芳", "13812345678"), ("李四", "13900001111"), ("王小明", "")] {
        m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor(n, p, "来访")).unwrap();
    }
    m.on_key(key(KeyCode::F(3)));
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows.len(), 3);
    type_text(&mut m, "/王");
    search_settles(&mut m);
    let names: Vec<String> = m
        .desk()
        .unwrap()
        .view()
        .unwrap()
        .list
        .rows
        .iter()
        .map(|r| r.values[2].as_text().unwrap().to_string())
        .collect();
    assert_eq!(names, ["王小明", "王芳"]);
    m.on_key(key(KeyCode::Backspace));
    type_text(&mut m, "1111");
    search_settles(&mut m);
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows.len(), 1);
    m.on_key(key(KeyCode::Esc));
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows.len(), 3);
    assert_eq!(m.desk().unwrap().view().unwrap().list.query(), "");
}

#[test]
fn x_voids_the_selected_entry_with_a_reason() {
    // the desk cannot strike an entry through: a supervisor does, with a reason
    let mut m = desk_model(DESK, "desk1");
    m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "x");
    assert!(m.overlay.is_none(), "no void dialog for the desk");
    assert_eq!(status(&m), "Your roles do not allow this.");
    let mut m = desk_model(&[("lead", "张强", &[Role::Supervisor])], "lead");
    m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "x");
    assert!(matches!(m.overlay, Some(Overlay::Form(frontdesk::model::FormKind::VoidReason, _))));
    m.on_key(key(KeyCode::Enter));
    assert!(m.store.get(&visitor::REGISTER, 1).unwrap().voided.is_none(), "no reason, no void");
    type_text(&mut m, "重复登记");
    m.on_key(key(KeyCode::Enter));
    let r = m.store.get(&visitor::REGISTER, 1).unwrap();
    assert_eq!(r.voided.map(|v| v.reason), Some("重复登记".into()));
    assert_eq!(status(&m), "V-2026-000001 voided.");
}

#[test]
fn paging_walks_the_whole_register() {
    let mut m = desk_model(DESK, "desk1");
    for i in 0..50 {
        m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor(&format!("客{i}"), "", "来访")).unwrap();
    }
    m.size = (100, 24); // 15 rows a page
    m.on_key(key(KeyCode::F(3)));
    let page = m.page_size();
    let mut seen = Vec::new();
    for _ in 0..10 {
        let rows = &m.desk().unwrap().view().unwrap().list.rows;
        seen.extend(rows.iter().map(|r| r.id));
        if !m.desk().unwrap().view().unwrap().list.more {
            break;
        }
        m.on_key(key(KeyCode::PageDown));
    }
    assert_eq!(seen, (1..=50).rev().collect::<Vec<i64>>());
    m.on_key(key(KeyCode::PageUp));
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows[0].id, 50 - page as i64 * 2);
    m.on_key(key(KeyCode::Home));
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows[0].id, 50);
    m.on_key(key(KeyCode::End));
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows.last().unwrap().id, 1);
}

#[test]
fn another_terminals_entry_appears_without_a_key() {
    let (_d, path) = temp_db();
    let mut m = model(store_with(Some(&path), DESK), Lang::En);
    login(&mut m, "desk1", "pass123");
    m.on_key(key(KeyCode::F(3)));
    assert!(m.desk().unwrap().view().unwrap().list.rows.is_empty());
    let mut other = Store::open(&path).unwrap();
    other.insert(1, &ctx(), &visitor::REGISTER, &visitor("李四", "", "来访")).unwrap();
    m.tick(NOW + 1);
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows.len(), 1);
    assert_eq!(m.remote_at, Some(NOW + 1), "the top bar marks the arrival");
}

/// Two receptionists with the same card open: A at one terminal, B at another.
fn two_on_one_card() -> (tempfile::TempDir, frontdesk::model::Model, frontdesk::model::Model) {
    let (d, path) = temp_db();
    let ops: &[(&str, &str, &[Role])] =
        &[("desk1", "王芳", &[Role::Receptionist]), ("desk2", "李娜", &[Role::Receptionist])];
    let mut a = model(store_with(Some(&path), ops), Lang::En);
    let mut b = model(Store::open(&path).unwrap(), Lang::En);
    a.store.insert(1, &ctx(), &customer::REGISTER, &card("王芳", "13812345678")).unwrap();
    login(&mut a, "desk1", "pass123");
    login(&mut b, "desk2", "pass123");
    for m in [&mut a, &mut b] {
        m.on_key(key(KeyCode::F(3)));
        m.on_key(key(KeyCode::Tab)); // customer cards
        m.on_key(key(KeyCode::Enter));
    }
    (d, a, b)
}

#[test]
fn edits_to_different_fields_of_one_card_are_merged_not_lost() {
    let (_d, mut a, mut b) = two_on_one_card();
    focus(&mut a, "address");
    type_text(&mut a, "深南大道1号");
    a.on_key(ctrl('s'));
    assert!(a.desk().unwrap().form().is_none());
    focus(&mut b, "position");
    type_text(&mut b, "经理");
    b.on_key(ctrl('s'));
    let f = b.desk().unwrap().form().expect("B's form stays open");
    let c = f.conflict.as_ref().expect("B is told");
    assert_eq!(c.by, "王芳");
    assert!(c.fields.is_empty(), "no field was changed by both");
    assert_eq!(f.raw("address"), "深南大道1号", "A's change is taken into B's form");
    assert_eq!(f.raw("position"), "经理", "B's text is kept");
    let stored = b.store.get(&customer::REGISTER, 1).unwrap();
    assert_eq!(customer::REGISTER.value(&stored.values, "position"), &Value::Null, "nothing written yet");
    b.on_key(ctrl('s'));
    let stored = b.store.get(&customer::REGISTER, 1).unwrap();
    assert_eq!(customer::REGISTER.value(&stored.values, "position"), &text("经理"));
    assert_eq!(customer::REGISTER.value(&stored.values, "address"), &text("深南大道1号"), "A's edit survives");
}

#[test]
fn edits_to_the_same_field_are_shown_side_by_side_and_mine_kept() {
    let (_d, mut a, mut b) = two_on_one_card();
    focus(&mut a, "address");
    type_text(&mut a, "深南大道1号");
    a.on_key(ctrl('s'));
    focus(&mut b, "address");
    type_text(&mut b, "人民路8号");
    b.on_key(ctrl('s'));
    let f = b.desk().unwrap().form().unwrap();
    let c = f.conflict.as_ref().unwrap();
    assert_eq!(
        c.fields,
        vec![(customer::REGISTER.index("address").unwrap(), "深南大道1号".to_string(), "人民路8号".to_string())]
    );
    assert_eq!(f.raw("address"), "人民路8号");
    let stored = b.store.get(&customer::REGISTER, 1).unwrap();
    assert_eq!(customer::REGISTER.value(&stored.values, "address"), &text("深南大道1号"), "not overwritten unseen");
    b.on_key(ctrl('s'));
    let stored = b.store.get(&customer::REGISTER, 1).unwrap();
    assert_eq!(customer::REGISTER.value(&stored.values, "address"), &text("人民路8号"), "saved knowingly");
}

#[test]
fn pasted_control_characters_never_reach_a_field() {
    let mut m = desk_model(DESK, "desk1");
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    focus(&mut m, "name");
    m.on_paste("Zhang\x1b[31mSan\x07\u{202e}");
    assert_eq!(form_raw(&m, "name"), "ZhangSan");
}

#[test]
fn rule_a14_only_an_admin_adds_operators() {
    let mut m = desk_model(&[], "admin");
    m.on_key(key(KeyCode::F(8)));
    assert_eq!(m.desk().unwrap().screen, Screen::Admin);
    type_text(&mut m, "n");
    type_text(&mut m, "desk9");
    m.on_key(key(KeyCode::Tab));
    type_text(&mut m, "周杰");
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Tab));
    type_text(&mut m, "pw123456");
    m.on_key(key(KeyCode::Tab));
    type_text(&mut m, "pw123456");
    m.on_key(ctrl('s'));
    assert!(m.store.operator_by_code("desk9").unwrap().is_none(), "an operator needs a role");
    assert_eq!(m.desk().unwrap().form().unwrap().def().key, "roles", "the focus is on the refused field");
    type_text(&mut m, "r"); // ticks receptionist
    m.on_key(ctrl('s'));
    let op = m.store.operator_by_code("desk9").unwrap().expect("created");
    assert_eq!(op.roles, vec![Role::Receptionist]);
    assert_eq!(m.store.login("desk9", "pw123456", NOW).map(|o| o.name), Ok("周杰".to_string()));
}

#[test]
fn the_idle_lock_follows_the_shared_setting() {
    let (_d, path) = temp_db();
    let mut m = model(store_with(Some(&path), DESK), Lang::En);
    login(&mut m, "desk1", "pass123");
    // an administrator at another terminal
    Store::open(&path).unwrap().set_setting(1, NOW, "lock.idle_minutes", "10").unwrap();
    m.poll_remote();
    m.tick(NOW + 6 * 60);
    assert!(m.desk().unwrap().lock.is_none());
    m.tick(NOW + 10 * 60);
    assert!(m.desk().unwrap().lock.is_some());
}

#[test]
fn the_today_screen_lists_todays_visitors() {
    let mut m = desk_model(DESK, "desk1");
    m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    let mut yesterday = visitor("李四", "", "来访");
    yesterday[0] = Value::Time(NOW - 86_400);
    m.store.insert(1, &ctx(), &visitor::REGISTER, &yesterday).unwrap();
    m.on_key(key(KeyCode::F(2)));
    let t = &m.desk().unwrap().today;
    assert_eq!(t.visitors.len(), 1);
    assert_eq!(m.store.page(&visitor::REGISTER, Cond::All, PageDir::First, 10, &ctx()).unwrap().len(), 2);
}

#[test]
fn a_full_disk_refuses_the_save_keeps_the_form_and_says_so() {
    let mut m = desk_model(DESK, "desk1");
    // A long purpose: its index entries need pages the full disk does not have.
    let purpose: String = (0..480).filter_map(|i| char::from_u32(0x4e00 + i * 7)).collect();
    new_visitor(&mut m, "周九", "13512345678", &purpose);
    // Fill the database up to a ceiling, as a full disk would.
    let c = m.store.conn();
    let pages: i64 = c.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    c.execute_batch(&format!("CREATE TABLE filler(x); PRAGMA max_page_count = {}", pages + 20)).unwrap();
    for size in [2000, 500, 100, 20, 1] {
        while c.execute("INSERT INTO filler VALUES (randomblob(?1))", [size]).is_ok() {}
    }
    m.on_key(ctrl('s'));
    assert!(status(&m).contains("disk is full"), "{}", status(&m));
    assert_eq!(form_raw(&m, "name"), "周九", "the form is kept");
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 0);
    m.store.conn().execute_batch("DROP TABLE filler").unwrap();
    m.on_key(ctrl('s'));
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 1, "saved once there is room");
}

#[test]
fn rule_i8_a_customer_card_shows_its_history() {
    let mut m = desk_model(DESK, "desk1");
    new_visitor(&mut m, "王芳", "13812345678", "第一次来访");
    m.on_key(ctrl('s'));
    new_visitor(&mut m, "王芳", "13812345678", "第二次来访");
    m.on_key(ctrl('s'));
    assert_eq!(m.store.count(&customer::REGISTER).unwrap(), 1, "the second visit found the card by phone");
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Enter));
    let f = m.desk().unwrap().form().unwrap();
    assert_eq!(f.related.len(), 2);
    assert_eq!(f.related[0].number, "V-2026-000002");
    assert!(f.related[0].summary.contains("第二次来访"));
}

/// A receptionist at the desk of a database on file, whose writes wait as the terminal's
/// do (`UI_WAIT`), and another terminal's connection to the same file.
fn desk_beside_another() -> (tempfile::TempDir, frontdesk::model::Model, rusqlite::Connection) {
    let (d, path) = temp_db();
    let mut m = model(store_with(Some(&path), DESK), Lang::En);
    m.store.set_busy_timeout(frontdesk::model::UI_WAIT).unwrap();
    login(&mut m, "desk1", "pass123");
    let other = rusqlite::Connection::open(&path).unwrap();
    (d, m, other)
}

#[test]
fn f14_a_save_while_another_terminal_writes_waits_its_turn_and_keys_keep_going_into_the_form() {
    let (_d, mut m, other) = desk_beside_another();
    new_visitor(&mut m, "吴十", "", "来访");
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let t = std::time::Instant::now();
    m.on_key(ctrl('s'));
    assert!(t.elapsed() < std::time::Duration::from_millis(500), "the key returned at once: {:?}", t.elapsed());
    assert!(status(&m).starts_with("Waiting for another terminal"), "{}", status(&m));
    assert_eq!(m.pending_save, Some("visitor"));
    // the form keeps taking keys while the save waits
    focus(&mut m, "purpose");
    type_text(&mut m, "，带合同");
    assert_eq!(form_raw(&m, "purpose"), "来访，带合同");
    // still held: trying again changes nothing and says it still waits
    m.tick_ms(NOW * 1000 + 1_000);
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 0);
    assert!(status(&m).starts_with("Waiting for another terminal"), "{}", status(&m));
    other.execute_batch("COMMIT").unwrap();
    m.tick_ms(NOW * 1000 + 2_000);
    assert_eq!(m.pending_save, None);
    assert_eq!(status(&m), "Saved V-2026-000001.");
    let rec = m.store.get(&visitor::REGISTER, 1).unwrap();
    assert_eq!(
        visitor::REGISTER.value(&rec.values, "purpose"),
        &text("来访，带合同"),
        "what was typed while it waited"
    );
    assert!(m.desk().unwrap().form().is_none());
}

#[test]
fn f14_a_queued_save_goes_with_its_form_when_the_form_is_discarded() {
    let (_d, mut m, other) = desk_beside_another();
    new_visitor(&mut m, "吴十", "", "来访");
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    m.on_key(ctrl('s'));
    assert_eq!(m.pending_save, Some("visitor"));
    m.on_key(key(KeyCode::Esc));
    type_text(&mut m, "y");
    other.execute_batch("COMMIT").unwrap();
    m.tick_ms(NOW * 1000 + 1_000);
    assert_eq!(m.pending_save, None);
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 0, "a discarded form is not saved later");
}

#[test]
fn f19_what_is_typed_is_in_its_draft_within_a_second_even_in_a_form_just_opened() {
    let (_d, path) = temp_db();
    let mut m = model(store_with(Some(&path), DESK), Lang::En);
    login(&mut m, "desk1", "pass123");
    let t0 = NOW * 1000 + 10_000;
    m.tick_ms(t0);
    assert!(m.due_in_ms(t0) <= 1_000, "the loop wakes for the next draft within a second");
    new_visitor(&mut m, "郑一", "", "送文件");
    m.tick_ms(t0 + 1_000);
    let drafts = m.store.drafts(2).unwrap();
    assert_eq!(drafts.len(), 1, "the form opened a moment ago is in its draft");
    assert!(drafts[0].data.contains("郑一"));
    // each key after that is kept within a second too
    type_text(&mut m, "甲");
    m.tick_ms(t0 + 1_500);
    m.tick_ms(t0 + 2_000);
    assert!(m.store.drafts(2).unwrap()[0].data.contains("送文件甲"));
}

#[test]
fn f14_quitting_while_another_terminal_writes_waits_for_it_and_keeps_the_draft() {
    let (_d, mut m, other) = desk_beside_another();
    new_visitor(&mut m, "郑二", "", "送文件");
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(600));
        other.execute_batch("ROLLBACK").unwrap();
    });
    m.on_key(ctrl('q'));
    release.join().unwrap();
    assert!(m.quit);
    let drafts = m.store.drafts(2).unwrap();
    assert_eq!(drafts.len(), 1, "the last keys are in the draft");
    assert!(drafts[0].data.contains("郑二"));
}

#[test]
fn f14_a_draft_while_another_terminal_writes_waits_without_an_error() {
    let (_d, mut m, other) = desk_beside_another();
    let t0 = NOW * 1000 + 10_000;
    m.tick_ms(t0);
    new_visitor(&mut m, "郑一", "", "送文件");
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let t = std::time::Instant::now();
    m.tick_ms(t0 + 1_000);
    assert!(t.elapsed() < std::time::Duration::from_millis(500), "{:?}", t.elapsed());
    assert!(m.status.as_ref().is_none_or(|s| s.level != Level::Error), "{:?}", m.status.as_ref().map(|s| &s.text));
    other.execute_batch("COMMIT").unwrap();
    m.tick_ms(t0 + 2_000);
    assert_eq!(m.store.drafts(2).unwrap().len(), 1, "kept at the next turn");
}

#[test]
fn rule_i8_only_a_supervisor_or_manager_reviews_a_grade() {
    let ops: &[(&str, &str, &[Role])] =
        &[("desk1", "王芳", &[Role::Receptionist]), ("super", "张强", &[Role::Supervisor])];
    let (_d, path) = temp_db();
    let mut s = store_with(Some(&path), ops);
    let old = support::Context { now: NOW - 200 * 86_400, ..ctx() };
    let mut c = card("王芳", "13812345678");
    c[customer::REGISTER.index("grade").unwrap()] = text("B");
    c[customer::REGISTER.index("grade_provisional").unwrap()] = Value::Bool(true);
    s.insert(1, &old, &customer::REGISTER, &c).unwrap();
    drop(s);
    let review = |code: &str| {
        let mut m = model(Store::open(&path).unwrap(), Lang::En);
        login(&mut m, code, "pass123");
        m.on_key(key(KeyCode::F(3)));
        if m.desk().unwrap().view().unwrap().def.name != "customer" {
            m.on_key(key(KeyCode::Tab));
        }
        m.on_key(key(KeyCode::Enter));
        focus(&mut m, "grade_provisional");
        type_text(&mut m, "n");
        m.on_key(ctrl('s'));
        let r = m.store.get(&customer::REGISTER, 1).unwrap();
        customer::REGISTER.value(&r.values, "grade_provisional").clone()
    };
    assert_eq!(review("desk1"), Value::Bool(true), "the desk cannot confirm a grade");
    assert_eq!(review("super"), Value::Bool(false), "a supervisor confirms it after the review period");
}

#[test]
fn rule_i3_an_entry_typed_after_the_register_closed_is_marked_late() {
    let mut m = desk_model(DESK, "desk1");
    // yesterday 17:00, typed today at 10:15: past the 10:00 close
    new_visitor(&mut m, "晚登记", "", "送货");
    focus(&mut m, "occurred_at");
    m.on_key(ctrl('u'));
    type_text(&mut m, "yesterday 17:00");
    m.on_key(ctrl('s'));
    // and one for this morning, in time
    new_visitor(&mut m, "准时", "", "送货");
    m.on_key(ctrl('s'));
    let late = |id| visitor::REGISTER.value(&m.store.get(&visitor::REGISTER, id).unwrap().values, "late_entry").clone();
    assert_eq!(late(1), Value::Bool(true));
    assert_eq!(late(2), Value::Bool(false));
    assert_eq!(m.store.count(&visitor::REGISTER).unwrap(), 2, "a late entry is taken, never refused");
}

// ---- keys that always work (D2, D3, D21, D22) and one command list per screen (D13, D14) ----

fn void_reason(m: &frontdesk::model::Model) -> Option<String> {
    match &m.overlay {
        Some(Overlay::Form(frontdesk::model::FormKind::VoidReason, f)) => Some(f.raw("reason").to_string()),
        _ => None,
    }
}

fn bar(m: &frontdesk::model::Model) -> Vec<String> {
    frontdesk::ui::bar_commands(m).into_iter().map(|(k, d)| format!("{k} {d}")).collect()
}

/// Every text of the help of where the operator is.
fn help_text(m: &frontdesk::model::Model) -> String {
    let (l, r) = m.help_lines();
    l.iter().chain(&r).map(|h| format!("{} {}\n", h.keys, h.text)).collect()
}

fn alt(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::ALT)
}

fn unlock(m: &mut frontdesk::model::Model, password: &str) {
    type_text(m, password);
    m.on_key(key(KeyCode::Enter));
}

#[test]
fn d3_ctrl_l_in_the_void_dialog_locks_and_the_password_never_becomes_the_reason() {
    let mut m = desk_model(LEAD, "desk1");
    m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "x");
    type_text(&mut m, "锁屏前输入的作废原因");
    m.on_key(ctrl('l'));
    assert!(m.desk().unwrap().lock.is_some(), "Ctrl-L locks from the void dialog");
    assert!(m.overlay.is_none(), "the lock screen has the keyboard, not the dialog");
    unlock(&mut m, "pass123");
    assert!(m.desk().unwrap().lock.is_none(), "the password unlocked");
    assert!(m.store.get(&visitor::REGISTER, 1).unwrap().voided.is_none(), "the password voided nothing");
    assert_eq!(void_reason(&m).as_deref(), Some("锁屏前输入的作废原因"), "the dialog is back with its text");
    m.on_key(key(KeyCode::Enter));
    let r = m.store.get(&visitor::REGISTER, 1).unwrap();
    assert_eq!(r.voided.map(|v| v.reason), Some("锁屏前输入的作废原因".into()));
}

#[test]
fn d22_the_idle_lock_keeps_the_void_dialog_and_its_text() {
    let mut m = desk_model(LEAD, "desk1");
    m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "x重复");
    m.tick(NOW + 5 * 60);
    assert!(m.desk().unwrap().lock.is_some(), "idle lock");
    assert!(m.overlay.is_none());
    unlock(&mut m, "pass123");
    assert_eq!(void_reason(&m).as_deref(), Some("重复"));
    assert!(m.store.get(&visitor::REGISTER, 1).unwrap().voided.is_none());
}

#[test]
fn d3_ctrl_l_locks_from_the_narrowing_form_and_the_discard_confirmation() {
    let ops: &[(&str, &str, &[Role])] = &[("super", "张强", &[Role::Supervisor])];
    let mut m = desk_model(ops, "super");
    m.on_key(key(KeyCode::F(4)));
    type_text(&mut m, "F");
    assert!(matches!(m.overlay, Some(Overlay::Form(frontdesk::model::FormKind::Narrow, _))));
    m.on_key(ctrl('l'));
    assert!(m.desk().unwrap().lock.is_some(), "Ctrl-L locks from the narrowing form");
    unlock(&mut m, "pass123");
    assert!(matches!(m.overlay, Some(Overlay::Form(frontdesk::model::FormKind::Narrow, _))), "and it is back");
    m.on_key(key(KeyCode::Esc));
    assert!(m.overlay.is_none());

    new_visitor(&mut m, "赵六", "", "看房");
    m.on_key(key(KeyCode::Esc));
    assert!(matches!(m.overlay, Some(Overlay::Confirm(_))));
    m.on_key(ctrl('l'));
    assert!(m.desk().unwrap().lock.is_some(), "Ctrl-L locks from the discard confirmation");
    type_text(&mut m, "y");
    m.on_key(key(KeyCode::Enter));
    assert!(m.desk().unwrap().lock.is_some(), "a wrong password: still locked");
    assert!(m.desk().unwrap().form().is_some(), "the y typed on the lock screen discarded nothing");
    if let Some(f) = m.desk_mut().and_then(|d| d.lock.as_mut()) {
        f.set("password", "", None);
    }
    unlock(&mut m, "pass123");
    assert!(matches!(m.overlay, Some(Overlay::Confirm(_))), "the confirmation is back");
    assert_eq!(form_raw(&m, "name"), "赵六");
}

#[test]
fn d3_screen_keys_and_quit_work_from_every_overlay() {
    let mut m = desk_model(LEAD, "desk1");
    m.store.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "", "来访")).unwrap();
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "x作废");
    m.on_key(key(KeyCode::F(2)));
    assert_eq!(m.desk().unwrap().screen, Screen::Today, "F2 from the void dialog");
    assert!(m.overlay.is_none(), "the dialog is closed as Esc would");
    assert!(m.store.get(&visitor::REGISTER, 1).unwrap().voided.is_none());
    m.on_key(key(KeyCode::F(1)));
    assert!(matches!(m.overlay, Some(Overlay::Help)));
    m.on_key(alt('3'));
    assert_eq!(m.desk().unwrap().screen, Screen::Intake, "Alt-3 from the help");
    assert!(m.overlay.is_none());
    // help over the dialog: F1 again brings the dialog back
    type_text(&mut m, "x原因");
    m.on_key(key(KeyCode::F(1)));
    assert!(matches!(m.overlay, Some(Overlay::Help)));
    assert!(help_text(&m).contains("Void it"), "the dialog's own help");
    m.on_key(key(KeyCode::F(1)));
    assert_eq!(void_reason(&m).as_deref(), Some("原因"));
    m.on_key(ctrl('q'));
    assert!(m.quit, "Ctrl-Q from the void dialog");
}

#[test]
fn d21_ctrl_q_on_a_locked_terminal_needs_a_password() {
    let mut m = desk_model(DESK, "desk1");
    new_visitor(&mut m, "钱七", "", "送货");
    m.on_key(ctrl('l'));
    m.on_key(ctrl('q'));
    assert!(!m.quit, "a passer-by cannot end the locked session");
    assert_eq!(status(&m), "Locked: type a password here first, then Ctrl-Q to quit.");
    type_text(&mut m, "wrong!!");
    m.on_key(ctrl('q'));
    assert!(!m.quit);
    let lock = m.desk().unwrap().lock.as_ref().unwrap();
    assert_eq!(lock.values[1].error.as_ref().map(|e| e.key), Some("login.wrong"));
    type_text(&mut m, "pass123");
    m.on_key(ctrl('q'));
    assert!(m.quit, "with the password it quits");
    assert_eq!(m.store.drafts(2).unwrap().len(), 1, "the open form is in the drafts");
}

#[test]
fn keys_of_the_login_form_and_overlays_follow_the_keymap() {
    let src = "[[form]]\non = [\"C-k\"]\nrun = \"clear\"\n\
               [[login]]\non = [\"C-j\"]\nrun = \"enter\"\n\
               [[overlay]]\non = [\"d\"]\nrun = \"confirm\"\n";
    let (map, problems) = frontdesk::keymap::Keymap::load(Some(src));
    assert!(problems.is_empty(), "{problems:?}");
    let mut m =
        frontdesk::model::Model::new(store_with(None, DESK), frontdesk::i18n::I18n::new(Lang::En), map, NOW, OFFSET);
    m.size = (120, 32);
    type_text(&mut m, "desk1");
    m.on_key(ctrl('j'));
    type_text(&mut m, "pass123");
    m.on_key(ctrl('j'));
    assert!(m.desk().is_some(), "the remapped Enter logs in");
    new_visitor(&mut m, "赵六", "", "看房");
    focus(&mut m, "name");
    m.on_key(ctrl('u'));
    assert_eq!(form_raw(&m, "name"), "赵六", "Ctrl-U is no hidden key: it was remapped away");
    m.on_key(ctrl('k'));
    assert_eq!(form_raw(&m, "name"), "");
    m.on_key(key(KeyCode::Esc));
    type_text(&mut m, "y");
    assert!(m.desk().unwrap().form().is_some(), "y is no longer the confirmation");
    m.on_key(key(KeyCode::Esc));
    type_text(&mut m, "d");
    assert!(m.desk().unwrap().form().is_none(), "d is");
}

#[test]
fn d13_each_screen_offers_and_dispatches_only_its_own_commands() {
    let mut m = desk_model(DESK, "desk1");
    m.on_key(key(KeyCode::F(3)));
    let help = help_text(&m);
    for absent in ["Mark submitted", "Same case", "Reopen as a repeat", "Narrow by", "Ctrl-D", "Ctrl-R"] {
        assert!(!help.contains(absent), "the Intake help does not offer {absent}:\n{help}");
    }
    assert!(help.contains("Search"), "{help}");
    assert!(!help.contains("Void"), "the desk does not void: {help}");
    type_text(&mut m, "F");
    assert!(m.overlay.is_none(), "no narrowing on Intake");
    // the form's help tells how its fields are worked
    type_text(&mut m, "n");
    let help = help_text(&m);
    for present in ["Change a choice", "Tick / untick", "Look-up list: move, choose", "New line (multi-line field)"] {
        assert!(help.contains(present), "the form help tells {present}:\n{help}");
    }
    assert!(!help.contains("Mark submitted") && !help.contains("Same case"), "{help}");
    focus(&mut m, "purpose");
    assert!(bar(&m).contains(&"Enter New line".to_string()), "{:?}", bar(&m));
    m.on_key(key(KeyCode::Enter));
    assert!(m.desk().unwrap().form().unwrap().def().key == "purpose", "Enter made a new line");
    focus(&mut m, "name");
    assert!(!bar(&m).iter().any(|b| b.contains("New line")), "{:?}", bar(&m));
}

#[test]
fn d14_admin_and_reports_say_what_tab_does_and_departments_offer_what_they_do() {
    let ops: &[(&str, &str, &[Role])] = &[("super", "张强", &[Role::Supervisor])];
    let mut m = desk_model(ops, "admin");
    m.on_key(key(KeyCode::F(8)));
    assert!(bar(&m).contains(&"Tab Next tab".to_string()), "{:?}", bar(&m));
    assert!(!help_text(&m).contains("Next register"));
    m.on_key(key(KeyCode::Tab));
    assert_eq!(m.desk().unwrap().admin.tab, frontdesk::model::admin::AdminTab::Departments);
    // Departments open to be renamed, and x retires one
    assert!(bar(&m).iter().any(|b| b.starts_with("Enter")), "{:?}", bar(&m));
    assert!(bar(&m).iter().any(|b| b.starts_with("x ")), "{:?}", bar(&m));

    let mut m = desk_model(ops, "super");
    m.on_key(key(KeyCode::F(7)));
    assert_eq!(m.desk().unwrap().screen, Screen::Reports);
    assert!(bar(&m).contains(&"Tab Grouping".to_string()), "{:?}", bar(&m));
    assert!(!help_text(&m).contains("Next register"));
}

#[test]
fn d14_not_in_this_version_is_cleared_on_the_next_screen() {
    let mut m = desk_model(DESK, "desk1");
    m.on_key(key(KeyCode::F(6)));
    assert_eq!(status(&m), "Archive is not in this version of frontdesk.");
    m.on_key(key(KeyCode::F(4)));
    assert_eq!(status(&m), "");
    // not offered: the top bar shows it dim, and F1 leaves it out as it leaves out every
    // key that does nothing here
    let (_, r) = m.help_lines();
    assert!(!r.iter().any(|l| l.text == "Archive"), "{:?}", r.iter().map(|l| &l.text).collect::<Vec<_>>());
    assert!(r.iter().any(|l| l.text == "Complaints"));
}

#[test]
fn a_command_the_role_refuses_is_not_offered_and_says_so() {
    let ops: &[(&str, &str, &[Role])] = &[("fix", "刘工", &[Role::Dispatcher])];
    let mut m = desk_model(ops, "fix");
    m.on_key(key(KeyCode::F(3)));
    assert_eq!(m.desk().unwrap().view().unwrap().def.name, "customer");
    assert!(!bar(&m).iter().any(|b| b.ends_with(" New")), "{:?}", bar(&m));
    assert!(!help_text(&m).contains("New"), "{}", help_text(&m));
    type_text(&mut m, "n");
    assert!(m.desk().unwrap().form().is_none());
    assert_eq!(status(&m), "Your roles do not allow this.");
}

#[test]
fn the_help_keeps_to_its_length_and_esc_closes_it() {
    let mut m = desk_model(DESK, "desk1");
    m.resize(80, 24);
    m.on_key(key(KeyCode::F(3)));
    type_text(&mut m, "n");
    m.on_key(key(KeyCode::F(1)));
    assert!(m.help_rows() <= 22, "the form's help fits 80x24");
    assert!(!bar(&m).iter().any(|b| b.contains("Scroll")), "nothing to scroll: {:?}", bar(&m));
    m.on_key(key(KeyCode::Down));
    m.on_key(key(KeyCode::PageDown));
    assert!(matches!(m.overlay, Some(Overlay::Help)), "the scroll keys do not close it");
    assert_eq!(m.help_scroll, 0, "it fits, so it does not scroll");
    m.on_key(key(KeyCode::Esc));
    assert!(m.overlay.is_none());
    assert!(m.desk().unwrap().form().is_some(), "Esc closed the help only");
}

/// Today's visitors, entered one after another (the last is the newest).
fn visitors_today(m: &mut frontdesk::model::Model, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let mut v = visitor(&format!("来宾{i:02}"), "", "来访");
            v[0] = Value::Time(NOW - 3600 + i as i64 * 60);
            m.store.insert(1, &ctx(), &visitor::REGISTER, &v).unwrap().1
        })
        .collect()
}

fn today_numbers(m: &frontdesk::model::Model) -> Vec<String> {
    m.desk().unwrap().today.visitors.iter().map(|r| r.number.clone()).collect()
}

#[test]
fn today_counts_the_whole_day_and_pages_through_it_newest_first() {
    let mut m = desk_model(DESK, "desk1");
    m.resize(80, 24);
    // what the Today box shows at 80x24, where an empty drafts box gives its room: the
    // page, all in sight
    let page = 17;
    let numbers = visitors_today(&mut m, 27);
    m.on_key(key(KeyCode::F(2)));
    let t = &m.desk().unwrap().today;
    assert_eq!(t.total, 27, "the day's total, not the rows loaded");
    assert_eq!(t.visitors.len(), page);
    assert!(t.more);
    let newest_first: Vec<String> = numbers.iter().rev().cloned().collect();
    assert_eq!(today_numbers(&m), newest_first[..page], "the newest on top");
    assert_eq!(m.desk().unwrap().today.selected, 0);

    m.on_key(key(KeyCode::PageDown));
    assert_eq!(today_numbers(&m), newest_first[page..], "PgDn shows the rest");
    assert_eq!(m.desk().unwrap().today.total, 27);
    m.on_key(key(KeyCode::PageUp));
    assert_eq!(today_numbers(&m), newest_first[..page]);
    m.on_key(key(KeyCode::Home));
    assert_eq!(m.desk().unwrap().today.selected, 0);

    // ↓ past the last row loads the next page, on its first row
    for _ in 0..page {
        m.on_key(key(KeyCode::Down));
    }
    assert_eq!(today_numbers(&m), newest_first[page..]);
    assert_eq!(m.desk().unwrap().today.selected, 0);
    // ↑ from there goes back to the previous page's last row
    m.on_key(key(KeyCode::Up));
    assert_eq!(today_numbers(&m), newest_first[..page]);
    assert_eq!(m.desk().unwrap().today.selected, page - 1);

    // Away and back: Today starts at the top, the newest entry first.
    m.on_key(key(KeyCode::PageDown));
    m.on_key(key(KeyCode::F(3)));
    m.on_key(key(KeyCode::F(2)));
    assert_eq!(today_numbers(&m)[0], newest_first[0]);
    assert_eq!(m.desk().unwrap().today.selected, 0);
}

#[test]
fn a_visitor_saved_elsewhere_heads_today_and_counts() {
    let mut m = desk_model(DESK, "desk1");
    m.resize(80, 24);
    visitors_today(&mut m, 20);
    m.on_key(key(KeyCode::F(2)));
    let mut v = visitor("最新来宾", "", "来访");
    // it came earlier than the others, but was entered last
    v[0] = Value::Time(NOW - 7200);
    let (_, number) = m.store.insert(1, &ctx(), &visitor::REGISTER, &v).unwrap();
    m.on_key(key(KeyCode::F(2)));
    assert_eq!(m.desk().unwrap().today.total, 21);
    assert_eq!(today_numbers(&m)[0], number);
}

#[test]
fn an_edit_of_a_visitor_voided_meanwhile_names_who_voided_it_and_keeps_the_text() {
    let (_d, path) = temp_db();
    let ops: &[(&str, &str, &[Role])] =
        &[("desk1", "王芳", &[Role::Supervisor]), ("desk2", "李娜", &[Role::Receptionist])];
    let mut a = model(store_with(Some(&path), ops), Lang::En);
    let mut b = model(Store::open(&path).unwrap(), Lang::En);
    a.store.insert(1, &ctx(), &visitor::REGISTER, &visitor("黄刚", "", "看房")).unwrap();
    login(&mut a, "desk1", "pass123");
    login(&mut b, "desk2", "pass123");
    b.on_key(key(KeyCode::F(3)));
    b.on_key(key(KeyCode::Enter));
    focus(&mut b, "purpose");
    m_end(&mut b);
    type_text(&mut b, "（补充说明）");
    // A voids it while B types
    a.on_key(key(KeyCode::F(3)));
    type_text(&mut a, "x");
    type_text(&mut a, "重复登记");
    a.on_key(key(KeyCode::Enter));
    assert!(a.store.get(&visitor::REGISTER, 1).unwrap().voided.is_some(), "{:?}", a.status);

    b.on_key(ctrl('s'));
    let said = status(&b);
    assert!(said.contains("王芳") && said.contains("voided") && said.contains("重复登记"), "{said}");
    let f = b.desk().unwrap().form().expect("the form stays open");
    assert!(f.conflict.is_none(), "no edit conflict with an empty name and no fields");
    assert_eq!(f.raw("purpose"), "看房（补充说明）", "what B typed is kept");
    let me = b.desk().unwrap().op.id;
    let drafts = b.store.drafts(me).unwrap();
    assert_eq!(drafts.len(), 1);
    assert!(drafts[0].data.contains("（补充说明）"), "and kept in the draft");
    let bar: Vec<String> = frontdesk::ui::bar_commands(&b).into_iter().map(|(k, _)| k).collect();
    assert!(!bar.contains(&"Ctrl-S".to_string()), "no save offered: {bar:?}");

    // Ctrl-S again: said again, nothing closed, nothing dropped
    b.on_key(ctrl('s'));
    assert!(b.desk().unwrap().form().is_some());
    assert!(status(&b).contains("王芳"));
    assert_eq!(b.store.drafts(me).unwrap().len(), 1);

    // Later, at another log-in, the draft opens as voided, with no Ctrl-S
    let mut c = model(Store::open(&path).unwrap(), Lang::En);
    login(&mut c, "desk2", "pass123");
    let f = c.desk().unwrap().form().expect("the draft is restored");
    assert_eq!(f.raw("purpose"), "看房（补充说明）");
    assert!(f.base.as_ref().unwrap().voided.is_some());
    assert_eq!(f.notice.as_ref().map(|n| n.key), Some("record.voided_notice"));
    let bar: Vec<String> = frontdesk::ui::bar_commands(&c).into_iter().map(|(k, _)| k).collect();
    assert!(!bar.contains(&"Ctrl-S".to_string()), "{bar:?}");
    c.on_key(ctrl('s'));
    assert!(c.desk().unwrap().form().is_some(), "Ctrl-S does not silently close it");
    assert!(status(&c).contains("王芳"), "{}", status(&c));
}

fn m_end(m: &mut frontdesk::model::Model) {
    m.on_key(key(KeyCode::End));
}
