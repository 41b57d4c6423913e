//! Complaints from receipt to closed, and their callbacks, through the model as the
//! people the handbook names would drive them. Each test is named after its rule.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::register::Cond;
use frontdesk::domain::{Role, Value, callback, complaint, customer};
use frontdesk::i18n::Lang;
use frontdesk::model::Model;
use frontdesk::store::{PageDir, Store};
use support::*;

const STAFF: &[(&str, &str, &[Role])] = &[
    ("desk1", "王芳", &[Role::Receptionist]),
    ("super", "张强", &[Role::Supervisor]),
    ("boss", "陈总", &[Role::Manager, Role::Supervisor]),
    ("fix1", "刘工", &[Role::Dispatcher]),
    ("fix2", "赵师傅", &[Role::Dispatcher]),
    ("gm", "周总", &[Role::GeneralManager]),
];

/// The office's database, with one department.
fn office() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, path) = temp_db();
    let mut s = store_with(Some(&path), STAFF);
    let dept = s.add_department(1, NOW, "售后服务部").unwrap();
    // the after-sales leads approve its cases (rules C8, C14)
    for code in ["super", "boss"] {
        let mut op = s.operator_by_code(code).unwrap().unwrap();
        op.department_id = Some(dept);
        s.update_operator(1, NOW, &op).unwrap();
    }
    (d, path)
}

fn as_op(path: &std::path::Path, code: &str) -> Model {
    let mut m = model(Store::open(path).unwrap(), Lang::En);
    login(&mut m, code, "pass123");
    assert!(m.desk().is_some(), "{code} logged in");
    m.on_key(key(KeyCode::F(4)));
    m
}

fn status(m: &Model) -> String {
    m.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

/// Focuses a field, clears it and types.
fn fill(m: &mut Model, field: &str, text: &str) {
    focus(m, field);
    m.on_key(ctrl('u'));
    type_text(m, text);
    // pick the first match from any type-ahead: Down into the list, Enter
    if m.desk().and_then(|d| d.form()).is_some_and(|f| f.suggest.is_some()) {
        m.on_key(key(KeyCode::Down));
        m.on_key(key(KeyCode::Enter));
    }
}

/// Focuses a choice, yes/no or flags field and types its first letter(s).
fn choose(m: &mut Model, field: &str, letters: &str) {
    focus(m, field);
    type_text(m, letters);
}

fn error_at(m: &Model, field: &str) -> Option<&'static str> {
    let f = m.desk()?.form()?;
    f.values[f.index(field)?].error.as_ref().map(|e| e.key)
}

/// What the open form says of its current step when it is not this operator's to do.
fn step_note(m: &Model) -> Option<&'static str> {
    m.desk()?.form()?.step_note.as_ref().map(|(_, n)| n.key)
}

fn rec(m: &Model, id: i64) -> frontdesk::domain::register::Record {
    m.store.get(&complaint::REGISTER, id).unwrap()
}

fn val(m: &Model, id: i64, k: &str) -> Value {
    complaint::REGISTER.value(&rec(m, id).values, k).clone()
}

fn step(m: &Model, id: i64) -> String {
    val(m, id, "step").as_text().unwrap_or("").to_string()
}

/// The desk takes a complaint by phone: the card of rule C3.
fn take(m: &mut Model, who: &str, subject: &str) -> i64 {
    type_text(m, "n");
    fill(m, "complainant", who);
    fill(m, "contact", "13812345678");
    fill(m, "subject", subject);
    choose(m, "category", "r");
    fill(m, "content", "保养后发动机异响，返修两次仍未解决");
    choose(m, "request", "c");
    m.on_key(ctrl('s'));
    assert!(m.desk().unwrap().form().is_none(), "saved: {}", status(m));
    m.store.count(&complaint::REGISTER).unwrap()
}

fn open(m: &mut Model, id: i64) {
    let def = &complaint::REGISTER;
    let _ = def;
    m.on_key(key(KeyCode::Home));
    for _ in 0..50 {
        let d = m.desk().unwrap();
        if d.view().unwrap().list.current().is_some_and(|r| r.id == id) {
            m.on_key(key(KeyCode::Enter));
            return;
        }
        m.on_key(key(KeyCode::Down));
    }
    panic!("complaint {id} not in the list");
}

fn decide(m: &mut Model, id: i64) {
    open(m, id);
    choose(m, "decision", "s");
    fill(m, "decision_reason", "属实：维修质量问题");
    m.on_key(ctrl('s'));
    assert_eq!(step(m, id), "assign", "{}", status(m));
}

fn assign(m: &mut Model, id: i64, handler: &str) {
    open(m, id);
    fill(m, "department_id", "售后");
    fill(m, "handler_id", handler);
    m.on_key(ctrl('s'));
}

fn investigate(m: &mut Model, id: i64) {
    open(m, id);
    fill(m, "cause", "火花塞型号装错");
    fill(m, "course", "11月20日保养，技师误装");
    fill(m, "responsible", "技师李某");
    fill(m, "conclusion", "维修质量问题成立");
    fill(m, "measures", "返工并培训");
    m.on_key(ctrl('s'));
}

fn propose(m: &mut Model, id: i64, amount: &str) {
    open(m, id);
    fill(m, "solution", "免费返工，赠送一次保养");
    fill(m, "amount", amount);
    m.on_key(ctrl('s'));
}

fn approve(m: &mut Model, id: i64) {
    open(m, id);
    choose(m, "approval", "a");
    m.on_key(ctrl('s'));
}

fn inform(m: &mut Model, id: i64) {
    open(m, id);
    choose(m, "inform_method", "w");
    fill(m, "told_at", "now");
    fill(m, "reaction", "客户接受方案");
    fill(m, "written_reply", "书面答复：免费返工并赠送保养一次");
    m.on_key(ctrl('s'));
}

fn close(m: &mut Model, id: i64) {
    open(m, id);
    choose(m, "satisfaction", "s");
    fill(m, "summary", "返工后异响消除");
    fill(m, "improvement", "保养前核对配件型号");
    m.on_key(ctrl('s'));
}

#[test]
fn rule_c1_c2_c3_the_card_records_what_the_handbook_asks() {
    assert_eq!(complaint::CATEGORIES, ["product", "contract", "repair", "service", "suggestion"]);
    assert_eq!(complaint::CHANNELS, ["phone", "walk_in", "callback", "call_centre", "online"]);
    assert_eq!(complaint::REQUESTS, ["price_cut", "return", "exchange", "compensation", "answer", "other"]);
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let id = take(&mut m, "王小明", "宝马X5 粤B12345");
    let r = rec(&m, id);
    assert_eq!(r.number, "C-2026-000001");
    assert_eq!(val(&m, id, "complainant"), text("王小明"));
    assert_eq!(val(&m, id, "category"), text("repair"));
    assert_eq!(val(&m, id, "request"), text("compensation"));
    assert_eq!(val(&m, id, "received_by"), Value::Ref(2));
    assert_eq!(step(&m, id), "decide");
}

#[test]
fn rule_c3_the_complainant_is_named_unless_anonymous() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    type_text(&mut m, "n");
    fill(&mut m, "subject", "物业费");
    choose(&mut m, "category", "s");
    fill(&mut m, "content", "收费不透明");
    choose(&mut m, "request", "a");
    m.on_key(ctrl('s'));
    assert_eq!(error_at(&m, "complainant"), Some("err.complaint.complainant"));
    choose(&mut m, "anonymous", "y");
    m.on_key(ctrl('s'));
    assert_eq!(m.store.count(&complaint::REGISTER).unwrap(), 1);
}

#[test]
fn rule_c4_a_complaint_that_does_not_stand_is_closed_with_its_reply() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let id = take(&mut m, "王小明", "宝马X5");
    open(&mut m, id);
    choose(&mut m, "decision", "r");
    m.on_key(ctrl('s'));
    assert_eq!(error_at(&m, "decision_reason"), Some("err.step.required"));
    fill(&mut m, "decision_reason", "客户自行改装导致");
    m.on_key(ctrl('s'));
    assert_eq!(error_at(&m, "reply"), Some("err.complaint.reply"), "the reason is not the reply");
    fill(&mut m, "reply", "已电话向客户说明原因，客户表示理解");
    m.on_key(ctrl('s'));
    assert_eq!(step(&m, id), "rejected");
    assert_eq!(val(&m, id, "decided_by"), Value::Ref(2));
    assert_eq!(val(&m, id, "decided_at"), Value::Time(NOW));
}

#[test]
fn rule_c5_assignment_is_for_a_supervisor_and_needs_department_and_handler() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    // the desk may not assign: the step's fields are read-only, and the form says who does
    open(&mut desk, id);
    let f = desk.desk().unwrap().form().unwrap();
    assert!(!f.editable(f.index("department_id").unwrap()) && !f.editable(f.index("handler_id").unwrap()));
    assert_eq!(f.step_note.as_ref().map(|n| n.1.key), Some("form.step_by"));
    desk.on_key(key(KeyCode::Esc));
    assert_eq!(step(&desk, id), "assign", "the desk may not assign");
    let mut sup = as_op(&path, "super");
    open(&mut sup, id);
    fill(&mut sup, "handler_id", "刘工");
    sup.on_key(ctrl('s'));
    assert_eq!(error_at(&sup, "department_id"), Some("err.step.required"));
    fill(&mut sup, "department_id", "售后");
    sup.on_key(ctrl('s'));
    assert_eq!(step(&sup, id), "investigate");
    assert_eq!(val(&sup, id, "handler_id"), Value::Ref(5));
}

#[test]
fn rule_c12_the_staff_member_complained_of_never_handles_nor_approves() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    type_text(&mut desk, "n");
    fill(&mut desk, "complainant", "王小明");
    fill(&mut desk, "subject", "维修态度");
    choose(&mut desk, "category", "s");
    fill(&mut desk, "content", "刘工态度恶劣");
    choose(&mut desk, "request", "a");
    fill(&mut desk, "staff_complained", "刘工");
    desk.on_key(ctrl('s'));
    decide(&mut desk, 1);
    let mut sup = as_op(&path, "super");
    // he is not offered as its handler, and typed in by hand he is refused
    open(&mut sup, 1);
    focus(&mut sup, "handler_id");
    type_text(&mut sup, "刘");
    assert!(sup.desk().unwrap().form().unwrap().suggest.is_none(), "the person complained about is not offered");
    sup.on_key(key(KeyCode::Esc));
    sup.on_key(key(KeyCode::Esc));
    type_text(&mut sup, "y");
    assign(&mut sup, 1, "刘工");
    assert!(error_at(&sup, "handler_id").is_some());
    assert_eq!(step(&sup, 1), "assign");
    // the complained-of staff member cannot act on the case at all: the form is read-only
    let mut fix1 = as_op(&path, "fix1");
    open(&mut fix1, 1);
    let f = fix1.desk().unwrap().form().unwrap();
    assert!((0..f.fields.len()).all(|i| !f.editable(i)), "nothing of the case is theirs to type");
    fix1.on_key(ctrl('s'));
    assert_eq!(step(&fix1, 1), "assign");
}

#[test]
fn rule_c6_the_report_needs_all_five_parts_from_the_handler() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    let mut sup = as_op(&path, "super");
    assign(&mut sup, id, "刘工");
    // another technician is not the handler: the report is not his to type, and he is
    // told so as the case opens
    let mut fix2 = as_op(&path, "fix2");
    open(&mut fix2, id);
    let f = fix2.desk().unwrap().form().unwrap();
    assert!(!f.editable(f.index("cause").unwrap()), "not his report");
    assert_eq!(step_note(&fix2), Some("err.complaint.not_handler"));
    fix2.on_key(key(KeyCode::Esc));
    assert_eq!(step(&fix2, id), "investigate");
    let mut fix1 = as_op(&path, "fix1");
    open(&mut fix1, id);
    fill(&mut fix1, "cause", "火花塞型号装错");
    fix1.on_key(ctrl('s'));
    for k in ["course", "responsible", "conclusion", "measures"] {
        assert_eq!(error_at(&fix1, k), Some("err.step.required"), "{k}");
    }
    fix1.on_key(key(KeyCode::Esc));
    type_text(&mut fix1, "y");
    investigate(&mut fix1, id);
    assert_eq!(step(&fix1, id), "propose");
    assert_eq!(val(&fix1, id, "responsible"), text("技师李某"));
}

#[test]
fn rule_c7_the_solution_is_due_one_working_day_after_assignment() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    let mut sup = as_op(&path, "super");
    assign(&mut sup, id, "刘工");
    // assigned on Friday 2026-11-27 10:15 (UTC+8): due Monday 10:15
    let due = val(&sup, id, "step_due_at").as_i64().unwrap();
    assert_eq!(due, NOW + 3 * 86_400);
    assert!(due < val(&sup, id, "case_due_at").as_i64().unwrap());
}

#[test]
fn rule_c10_a_complaint_is_due_seven_days_after_receipt() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let id = take(&mut m, "王小明", "宝马X5");
    let received = val(&m, id, "received_at").as_i64().unwrap();
    assert_eq!(val(&m, id, "case_due_at"), Value::Time(received + 7 * 86_400));
    let clock = complaint::clock(&rec(&m, id).values).unwrap();
    assert_eq!(clock, received + 7 * 86_400);
}

/// A case walked to the approval step, with this compensation.
fn to_approval(path: &std::path::Path, amount: &str) -> i64 {
    let mut desk = as_op(path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    let mut sup = as_op(path, "super");
    assign(&mut sup, id, "刘工");
    let mut fix1 = as_op(path, "fix1");
    investigate(&mut fix1, id);
    propose(&mut fix1, id, amount);
    assert_eq!(step(&fix1, id), "approve", "{}", status(&fix1));
    id
}

#[test]
fn rule_c8_c14_approval_within_the_approvers_authority() {
    let (_d, path) = office();
    let id = to_approval(&path, "800");
    let mut desk = as_op(&path, "desk1");
    // the desk does not approve: the approval cannot be typed in
    open(&mut desk, id);
    let f = desk.desk().unwrap().form().unwrap();
    assert!(!f.editable(f.index("approval").unwrap()));
    desk.on_key(key(KeyCode::Esc));
    assert_eq!(step(&desk, id), "approve", "the desk does not approve");
    let mut sup = as_op(&path, "super");
    approve(&mut sup, id);
    assert_eq!(error_at(&sup, "approval"), Some("err.approval.above_limit"), "a supervisor's limit is 0");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    assert_eq!(step(&boss, id), "inform");
    assert_eq!(val(&boss, id, "approved_by"), Value::Ref(4));
}

#[test]
fn rule_c14_above_the_managers_limit_needs_a_higher_approver() {
    let (_d, path) = office();
    let id = to_approval(&path, "8000");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    assert_eq!(error_at(&boss, "approval"), Some("err.approval.above_limit"));
    // the message names who can approve it
    let f = boss.desk().unwrap().form().unwrap();
    let shown = boss.i18n.msg(f.values[f.index("approval").unwrap()].error.as_ref().unwrap());
    assert!(shown.contains("General manager"), "{shown}");
    assert_eq!(step(&boss, id), "approve");
    boss.on_key(key(KeyCode::Esc));
    // rule C8: the general manager approves it
    let mut gm = as_op(&path, "gm");
    approve(&mut gm, id);
    assert_eq!(step(&gm, id), "inform", "{}", status(&gm));
    assert_eq!(val(&gm, id, "approved_by"), Value::Ref(7));
}

#[test]
fn rule_c8_whoever_proposed_the_solution_does_not_approve_it() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    let mut sup = as_op(&path, "super");
    assign(&mut sup, id, "刘工");
    // the supervisor files the report and proposes for the handler, then cannot approve
    investigate(&mut sup, id);
    propose(&mut sup, id, "0");
    assert_eq!(step(&sup, id), "approve", "{}", status(&sup));
    // the approval step is not his: read-only, saying why; he neither approves nor sends
    // it back, at the form or through the write path
    open(&mut sup, id);
    assert_eq!(step_note(&sup), Some("err.approval.own"));
    let f = sup.desk().unwrap().form().unwrap();
    assert!(!f.editable(f.index("approval").unwrap()), "the proposer's approval choice is locked");
    sup.on_key(key(KeyCode::Esc));
    for decision in ["approved", "returned"] {
        let r = rec(&sup, id);
        let mut v = r.values.clone();
        complaint::REGISTER.set(&mut v, "approval", Value::Text(decision.into()));
        complaint::REGISTER.set(&mut v, "approval_note", Value::Text("重议".into()));
        let me = sup.desk().unwrap().op.clone();
        let who = frontdesk::domain::plan::Actor {
            id: me.id,
            name: &me.name,
            roles: &me.roles,
            department: me.department_id,
        };
        let facts = frontdesk::domain::plan::Facts { linked: None, phone_owner: None, people: &[], repeats: None };
        let change = frontdesk::domain::plan::Change::Update { base: &r, values: v };
        let refused =
            frontdesk::domain::plan::plan(&complaint::REGISTER, change, who, &sup.settings, &sup.ctx(), facts)
                .err()
                .unwrap_or_default();
        assert!(
            refused.iter().any(|(k, m)| *k == "approval" && m.key == "err.approval.own"),
            "{decision}: {refused:?}"
        );
    }
    assert_eq!(step(&sup, id), "approve");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    assert_eq!(step(&boss, id), "inform");
}

#[test]
fn rule_c14_an_approver_of_another_department_cannot_approve() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    // the supervisor moves to another department
    let mut s = Store::open(&path).unwrap();
    let other = s.add_department(1, NOW, "销售部").unwrap();
    let mut op = s.operator_by_code("super").unwrap().unwrap();
    op.department_id = Some(other);
    s.update_operator(1, NOW, &op).unwrap();
    let mut sup = as_op(&path, "super");
    approve(&mut sup, id);
    assert_eq!(error_at(&sup, "approval"), Some("err.approval.scope"));
    assert_eq!(step(&sup, id), "approve");
}

#[test]
fn rule_c8_an_approver_may_send_the_solution_back() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    open(&mut boss, id);
    choose(&mut boss, "approval", "r");
    fill(&mut boss, "approval_note", "赔偿方案需重新核算");
    boss.on_key(ctrl('s'));
    assert_eq!(step(&boss, id), "propose");
    // the next round starts empty; the earlier one is kept in the case's history
    for k in ["solution", "proposed_by", "approval", "approval_note", "approved_by"] {
        assert!(val(&boss, id, k).is_null(), "{k} starts empty");
    }
    let log = val(&boss, id, "rounds_log").as_text().unwrap_or("").to_string();
    assert!(log.contains("免费返工") && log.contains("赔偿方案需重新核算") && log.contains("{op:4}"), "{log}");
    open(&mut boss, id);
    let shown = boss.desk().unwrap().form().unwrap().raw("rounds_log").to_string();
    assert!(shown.contains("陈总") && shown.contains("Approval") && shown.contains("Sent back"), "{shown}");
    boss.on_key(key(KeyCode::Esc));
    // the handler proposes again, and the next approver finds no earlier choice made
    let mut fix1 = as_op(&path, "fix1");
    propose(&mut fix1, id, "500");
    assert_eq!(step(&fix1, id), "approve", "{}", status(&fix1));
    assert!(val(&fix1, id, "approval").is_null());
}

#[test]
fn rule_c9_f1_closing_schedules_a_callback_in_three_days() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    let mut desk = as_op(&path, "desk1");
    inform(&mut desk, id);
    assert_eq!(step(&desk, id), "close");
    close(&mut desk, id);
    assert_eq!(step(&desk, id), "closed");
    assert_eq!(val(&desk, id, "satisfaction"), text("satisfied"));
    let cbs = desk.store.page(&callback::REGISTER, Cond::All, PageDir::First, 10, &ctx()).unwrap();
    assert_eq!(cbs.len(), 1);
    let cb = &cbs[0].values;
    let c = &callback::REGISTER;
    assert_eq!(c.value(cb, "due_at"), &Value::Time(NOW + 3 * 86_400));
    assert_eq!(c.value(cb, "source"), &text("C-2026-000001"));
    assert_eq!(c.value(cb, "by_role"), &text("receptionist"), "a general complaint: the desk calls back");
    assert!(complaint::clock(&rec(&desk, id).values).is_none(), "a closed case has no clock");
}

#[test]
fn rule_c11_a_major_case_is_pinned_until_reported_within_24_hours() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let first = take(&mut m, "王小明", "宝马X5");
    let second = take(&mut m, "李四", "奥迪A6");
    let _third = take(&mut m, "赵六", "奔驰C200");
    open(&mut m, first);
    choose(&mut m, "major", "m");
    m.on_key(ctrl('s'));
    assert_eq!(val(&m, first, "major"), text("media"));
    assert_eq!(val(&m, first, "major_due_at"), Value::Time(NOW + 24 * 3600));
    assert_eq!(step(&m, first), "decide", "raising the flag completes no step");
    m.on_key(key(KeyCode::Home));
    let top = m.desk().unwrap().view().unwrap().list.rows[0].id;
    assert_eq!(top, first, "the oldest case sits on top while unreported");
    assert_eq!(complaint::clock(&rec(&m, first).values), Some(NOW + 24 * 3600));
    open(&mut m, first);
    fill(&mut m, "reported_at", "now");
    m.on_key(ctrl('s'));
    assert_eq!(error_at(&m, "reported_to"), Some("err.required"));
    fill(&mut m, "reported_to", "品牌厂家区域经理");
    m.on_key(ctrl('s'));
    m.on_key(key(KeyCode::Home));
    assert_ne!(m.desk().unwrap().view().unwrap().list.rows[0].id, first, "reported: back in order");
    let _ = second;
}

#[test]
fn rule_c16_an_anonymous_complaint_gets_no_callback() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    type_text(&mut m, "n");
    choose(&mut m, "anonymous", "y");
    fill(&mut m, "subject", "前台服务");
    choose(&mut m, "category", "s");
    fill(&mut m, "content", "态度冷淡");
    choose(&mut m, "request", "a");
    m.on_key(ctrl('s'));
    let values = rec(&m, 1).values;
    assert!(!complaint::needs_callback(&values));
    // walked to the customer being told: the reply itself must be attached
    decide(&mut m, 1);
    let mut sup = as_op(&path, "super");
    assign(&mut sup, 1, "刘工");
    let mut fix1 = as_op(&path, "fix1");
    investigate(&mut fix1, 1);
    propose(&mut fix1, 1, "0");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, 1);
    open(&mut boss, 1);
    choose(&mut boss, "inform_method", "w");
    fill(&mut boss, "told_at", "now");
    fill(&mut boss, "reaction", "客户接受方案");
    boss.on_key(ctrl('s'));
    assert_eq!(error_at(&boss, "written_reply"), Some("err.complaint.written_reply"));
    fill(&mut boss, "written_reply", "已书面答复：前台人员已受批评教育");
    boss.on_key(ctrl('s'));
    close(&mut boss, 1);
    assert_eq!(step(&boss, 1), "closed");
    assert_eq!(boss.store.count(&callback::REGISTER).unwrap(), 0, "no callback is scheduled");
}

#[test]
fn rule_c17_a_key_customers_open_complaint_comes_first() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let mut key_card = card("大客户张总", "13900009999");
    key_card[customer::REGISTER.index("category").unwrap()] = text("key");
    m.store.insert(1, &ctx(), &customer::REGISTER, &key_card).unwrap();
    type_text(&mut m, "n");
    fill(&mut m, "complainant", "大客户张");
    fill(&mut m, "subject", "车队保养");
    choose(&mut m, "category", "r");
    fill(&mut m, "content", "延误交车");
    choose(&mut m, "request", "a");
    m.on_key(ctrl('s'));
    take(&mut m, "王小明", "宝马X5");
    assert_eq!(val(&m, 1, "key_customer"), Value::Bool(true));
    m.on_key(key(KeyCode::Home));
    assert_eq!(m.desk().unwrap().view().unwrap().list.rows[0].id, 1);
}

/// Rule C17 through a failed read: a case whose key customer's card cannot be read just
/// now is not saved as an ordinary customer's; the save says why, and lands once the card
/// can be read.
#[test]
fn rule_c17_a_card_that_cannot_be_read_stops_the_save_rather_than_drop_the_key_flag() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let mut key_card = card("大客户张总", "13900009999");
    key_card[customer::REGISTER.index("category").unwrap()] = text("key");
    m.store.insert(1, &ctx(), &customer::REGISTER, &key_card).unwrap();
    type_text(&mut m, "n");
    fill(&mut m, "complainant", "大客户张");
    fill(&mut m, "subject", "车队保养");
    choose(&mut m, "category", "r");
    fill(&mut m, "content", "延误交车");
    choose(&mut m, "request", "a");
    // another program takes the cards away for a moment
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("ALTER TABLE customer RENAME TO customer_away").unwrap();
    m.on_key(ctrl('s'));
    assert_eq!(m.store.count(&complaint::REGISTER).unwrap(), 0, "nothing saved without the card");
    assert!(m.desk().unwrap().form().is_some(), "the form stays open");
    other.execute_batch("ALTER TABLE customer_away RENAME TO customer").unwrap();
    m.on_key(ctrl('s'));
    assert_eq!(val(&m, 1, "key_customer"), Value::Bool(true));
}

#[test]
fn rule_c18_a_late_step_asks_why_and_by_when_and_names_who() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    let mut sup = as_op(&path, "super");
    assign(&mut sup, id, "刘工");
    let mut fix1 = as_op(&path, "fix1");
    fix1.tick(NOW + 4 * 86_400); // the solution was due Monday
    type_text(&mut fix1, "pass123"); // the terminal locked meanwhile
    fix1.on_key(key(KeyCode::Enter));
    investigate(&mut fix1, id);
    assert_eq!(error_at(&fix1, "late_reason"), Some("err.late.reason"));
    assert_eq!(error_at(&fix1, "late_target"), Some("err.late.target"));
    assert_eq!(step(&fix1, id), "investigate");
    fill(&mut fix1, "late_reason", "等待配件检测结果");
    fill(&mut fix1, "late_target", "+1d");
    fix1.on_key(ctrl('s'));
    assert_eq!(step(&fix1, id), "propose");
    assert_eq!(val(&fix1, id, "late_by"), Value::Ref(5), "the handler let it run late");
    let log = val(&fix1, id, "late_log");
    assert!(log.as_text().unwrap().contains("等待配件检测结果"));
    assert_eq!(val(&fix1, id, "step_due_at"), Value::Time(NOW + 5 * 86_400), "the new target carries the clock");
    // the log names the handler and the step in words
    open(&mut fix1, id);
    let f = fix1.desk().unwrap().form().unwrap();
    let shown = f.raw("late_log");
    assert!(shown.contains("刘工") && !shown.contains("{op:"), "{shown}");
}

/// A complaint typed in ten days after it was received: the desk decides it late.
fn late_case(path: &std::path::Path) -> i64 {
    let mut desk = as_op(path, "desk1");
    type_text(&mut desk, "n");
    fill(&mut desk, "received_at", "2026-11-17 09:00");
    fill(&mut desk, "complainant", "王小明");
    fill(&mut desk, "subject", "宝马X5");
    choose(&mut desk, "category", "r");
    fill(&mut desk, "content", "异响");
    choose(&mut desk, "request", "a");
    desk.on_key(ctrl('s'));
    let id = desk.store.count(&complaint::REGISTER).unwrap();
    open(&mut desk, id);
    choose(&mut desk, "decision", "s");
    fill(&mut desk, "decision_reason", "属实");
    fill(&mut desk, "late_reason", "纸质登记补录");
    fill(&mut desk, "late_target", "+2d");
    desk.on_key(ctrl('s'));
    assert_eq!(step(&desk, id), "assign", "{}", status(&desk));
    id
}

#[test]
fn rule_c18_a_handler_is_not_late_for_time_before_the_assignment() {
    let (_d, path) = office();
    let id = late_case(&path);
    assert_eq!(val(&as_op(&path, "desk1"), id, "late_by"), Value::Ref(2), "the desk let it run late");
    let mut sup = as_op(&path, "super");
    assign(&mut sup, id, "刘工");
    assert_eq!(step(&sup, id), "investigate");
    // the handler's own working day starts at the assignment
    let due = val(&sup, id, "step_due_at").as_i64().unwrap();
    assert!(due > NOW, "the handler's clock is not already past");
    let mut fix1 = as_op(&path, "fix1");
    investigate(&mut fix1, id);
    assert_eq!(step(&fix1, id), "propose", "no lateness asked of the handler: {}", status(&fix1));
    assert_eq!(val(&fix1, id, "late_by"), Value::Ref(2), "the desk stays named, not the handler");
    // the case's own 7 days stay on the clock: it is still overdue
    assert!(complaint::clock(&rec(&fix1, id).values).unwrap() < NOW);
}

#[test]
fn rule_c18_lateness_is_asked_once_and_everyone_who_let_it_run_late_stays_named() {
    let (_d, path) = office();
    let id = late_case(&path);
    // the supervisor assigns it in time for the target the desk gave
    let mut sup = as_op(&path, "super");
    assign(&mut sup, id, "刘工");
    assert_eq!(step(&sup, id), "investigate", "not asked again: {}", status(&sup));
    // the handler runs past his working day
    let mut fix1 = as_op(&path, "fix1");
    fix1.tick(NOW + 5 * 86_400);
    type_text(&mut fix1, "pass123");
    fix1.on_key(key(KeyCode::Enter));
    investigate(&mut fix1, id);
    fill(&mut fix1, "late_reason", "等配件");
    fill(&mut fix1, "late_target", "+1d");
    fix1.on_key(ctrl('s'));
    assert_eq!(step(&fix1, id), "propose");
    let log = val(&fix1, id, "late_log").as_text().unwrap().to_string();
    assert!(log.contains("{op:2}") && log.contains("{op:5}"), "both stay in the log: {log}");
}

#[test]
fn rule_c18_the_step_that_closes_a_late_case_asks_why_but_no_new_target() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    inform(&mut boss, id);
    let mut desk = as_op(&path, "desk1");
    desk.tick(NOW + 9 * 86_400);
    type_text(&mut desk, "pass123");
    desk.on_key(key(KeyCode::Enter));
    close(&mut desk, id);
    assert_eq!(error_at(&desk, "late_reason"), Some("err.late.reason"));
    assert_eq!(error_at(&desk, "late_target"), None, "nothing is left to do by a new time");
    fill(&mut desk, "late_reason", "客户出差");
    desk.on_key(ctrl('s'));
    assert_eq!(step(&desk, id), "closed", "{}", status(&desk));
}

#[test]
fn rule_f1_a_major_case_is_called_back_by_a_manager() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    open(&mut boss, id);
    choose(&mut boss, "major", "w");
    // rule C11: reported upward, or it cannot close
    fill(&mut boss, "reported_at", "now");
    fill(&mut boss, "reported_to", "品牌厂家");
    boss.on_key(ctrl('s'));
    approve(&mut boss, id);
    inform(&mut boss, id);
    close(&mut boss, id);
    let cb = boss.store.get(&callback::REGISTER, 1).unwrap();
    assert_eq!(callback::REGISTER.value(&cb.values, "by_role"), &text("manager"));
    // the desk cannot make a manager's callback: it is not theirs to type, and says why
    let mut desk = as_op(&path, "desk1");
    desk.on_key(key(KeyCode::Tab));
    desk.on_key(key(KeyCode::Enter));
    let f = desk.desk().unwrap().form().unwrap();
    assert!(!f.editable(f.index("called_at").unwrap()));
    assert_eq!(step_note(&desk), Some("err.callback.role"));
}

/// A closed general complaint and its callback, opened by the desk.
fn callback_open(path: &std::path::Path) -> Model {
    let id = to_approval(path, "0");
    let mut boss = as_op(path, "boss");
    approve(&mut boss, id);
    inform(&mut boss, id);
    close(&mut boss, id);
    let mut desk = as_op(path, "desk1");
    desk.on_key(key(KeyCode::Tab));
    desk.on_key(key(KeyCode::Enter));
    desk
}

#[test]
fn rule_f3_in_person_the_customer_signs_by_phone_it_says_so() {
    let (_d, path) = office();
    let mut desk = callback_open(&path);
    fill(&mut desk, "called_at", "now");
    choose(&mut desk, "method", "i");
    fill(&mut desk, "satisfaction", "5");
    desk.on_key(ctrl('s'));
    assert_eq!(error_at(&desk, "signed"), Some("err.callback.signed"));
    choose(&mut desk, "signed", "y");
    desk.on_key(ctrl('s'));
    let cb = desk.store.get(&callback::REGISTER, 1).unwrap();
    assert_eq!(callback::REGISTER.value(&cb.values, "step"), &text("review"));
    assert_eq!(callback::REGISTER.value(&cb.values, "satisfaction"), &Value::Int(5));
}

#[test]
fn rule_f4_f6_a_new_issue_gets_a_promised_time_and_another_callback() {
    let (_d, path) = office();
    let mut desk = callback_open(&path);
    fill(&mut desk, "called_at", "now");
    choose(&mut desk, "method", "p");
    fill(&mut desk, "satisfaction", "3");
    fill(&mut desk, "new_issue", "空调也有异响");
    desk.on_key(ctrl('s'));
    assert_eq!(error_at(&desk, "promised_at"), Some("err.callback.promise"));
    fill(&mut desk, "promised_at", "+2d");
    desk.on_key(ctrl('s'));
    assert_eq!(desk.store.count(&callback::REGISTER).unwrap(), 2);
    let next = desk.store.get(&callback::REGISTER, 2).unwrap();
    let c = &callback::REGISTER;
    assert_eq!(c.value(&next.values, "due_at"), &Value::Time(NOW + 2 * 86_400));
    assert_eq!(c.value(&next.values, "about"), &text("空调也有异响"));
    assert_eq!(c.value(&next.values, "source"), &text("C-2026-000001"));
}

#[test]
fn rule_f5_a_supervisor_reviews_the_callback() {
    let (_d, path) = office();
    let mut desk = callback_open(&path);
    fill(&mut desk, "called_at", "now");
    choose(&mut desk, "method", "p");
    fill(&mut desk, "satisfaction", "4");
    desk.on_key(ctrl('s'));
    let mut sup = as_op(&path, "super");
    sup.on_key(key(KeyCode::Tab));
    type_text(&mut sup, "f"); // filter: to review
    type_text(&mut sup, "f");
    sup.on_key(key(KeyCode::Enter));
    choose(&mut sup, "review", "o");
    sup.on_key(ctrl('s'));
    let cb = sup.store.get(&callback::REGISTER, 1).unwrap();
    assert_eq!(callback::REGISTER.value(&cb.values, "step"), &text("done"), "{}", status(&sup));
    assert_eq!(callback::REGISTER.value(&cb.values, "reviewed_by"), &Value::Ref(3));
}

#[test]
fn two_operators_advancing_one_complaint_one_wins_the_other_keeps_their_text() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    let mut sup = as_op(&path, "super");
    open(&mut desk, id);
    open(&mut sup, id);
    choose(&mut desk, "decision", "s");
    fill(&mut desk, "decision_reason", "属实");
    desk.on_key(ctrl('s'));
    choose(&mut sup, "decision", "s");
    fill(&mut sup, "decision_reason", "部分属实");
    sup.on_key(ctrl('s'));
    let f = sup.desk().unwrap().form().expect("the loser's form stays");
    assert!(f.conflict.is_some());
    assert_eq!(f.raw("decision_reason"), "部分属实", "their text is kept");
    assert_eq!(step(&sup, id), "assign", "the first decision stands");
    // the step moved on: what cannot be saved any more is said, with the text
    let notice = sup.i18n.msg(f.notice.as_ref().expect("a notice says what cannot be saved"));
    assert!(notice.contains("部分属实"), "{notice}");
}

#[test]
fn rule_c15_a_repeat_reaches_its_case_and_the_operator_chooses_which_case() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let first = take(&mut m, "王小明", "宝马X5 粤B12345");
    let second = take(&mut m, "李四", "奥迪A6 粤B12345");
    type_text(&mut m, "n");
    fill(&mut m, "complainant", "王先生");
    // the plate alone, typed without spaces, finds both cases
    fill(&mut m, "subject", "宝马X5粤B12345");
    let similar: Vec<i64> = m.desk().unwrap().form().unwrap().similar.iter().map(|s| s.id).collect();
    assert!(similar.contains(&first) && similar.contains(&second), "{similar:?}");
    choose(&mut m, "category", "r");
    fill(&mut m, "content", "第二次来电：异响仍在");
    choose(&mut m, "request", "a");
    // Ctrl-D links the newest; pressed again, the next one
    m.on_key(ctrl('d'));
    assert_eq!(m.desk().unwrap().form().unwrap().merge_into, Some((second, false)));
    m.on_key(ctrl('d'));
    assert_eq!(m.desk().unwrap().form().unwrap().merge_into, Some((first, false)));
    m.on_key(ctrl('s'));
    assert!(status(&m).contains("C-2026-000001"), "{}", status(&m));
    // the case lists the complaint merged into it, with what was said
    m.on_key(key(KeyCode::Home));
    open(&mut m, first);
    let f = m.desk().unwrap().form().unwrap();
    assert!(f.related.iter().any(|r| r.number == "C-2026-000003" && r.summary.contains("异响仍在")), "{:?}", f.related);
}

#[test]
fn saving_an_unchanged_case_writes_no_new_version() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let id = take(&mut m, "王小明", "宝马X5");
    // a receipt time with seconds, as paper imports and the demo have
    let mut s = Store::open(&path).unwrap();
    let r = s.get(&complaint::REGISTER, id).unwrap();
    let mut v = r.values.clone();
    complaint::REGISTER.set(&mut v, "received_at", Value::Time(NOW - 3600 + 25));
    s.update(1, &ctx(), &complaint::REGISTER, &r, &v).unwrap();
    let version = s.get(&complaint::REGISTER, id).unwrap().version;
    open(&mut m, id);
    m.on_key(ctrl('s'));
    assert_eq!(m.store.get(&complaint::REGISTER, id).unwrap().version, version);
}

#[test]
fn rule_c15_the_same_problem_again_is_linked_as_one_case() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let first = take(&mut m, "王小明", "宝马X5 粤B12345");
    type_text(&mut m, "n");
    fill(&mut m, "complainant", "王先生");
    fill(&mut m, "contact", "138 1234 5678");
    let similar = m.desk().unwrap().form().unwrap().similar.clone();
    assert_eq!(similar.len(), 1, "same phone, within the window");
    assert_eq!(similar[0].id, first);
    fill(&mut m, "subject", "宝马X5");
    choose(&mut m, "category", "r");
    fill(&mut m, "content", "又打电话来问进度");
    choose(&mut m, "request", "a");
    m.on_key(ctrl('d'));
    m.on_key(ctrl('s'));
    assert!(status(&m).contains("same case as C-2026-000001"), "{}", status(&m));
    let second = m.store.count(&complaint::REGISTER).unwrap();
    assert_eq!(val(&m, second, "duplicate_of"), Value::Ref(first));
    assert_eq!(step(&m, second), "merged", "it is that case, not another open one");
    // and it counts once in the statistics
    let def = &frontdesk::domain::complaint_report::MONTHLY;
    let rows = m.store.report_rows(def, 0, i64::MAX).unwrap();
    let r = frontdesk::domain::stats::report(def, "2026-11", i64::MAX, &rows, NOW, &m.settings);
    assert_eq!(r.total.ids("received"), [first]);
    assert_eq!(r.total.ids("duplicates"), [second]);
}

#[test]
fn rule_c11_a_complaint_about_a_recently_closed_case_reopens_it_as_a_major_repeat() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    inform(&mut boss, id);
    close(&mut boss, id);
    let mut desk = as_op(&path, "desk1");
    desk.tick(NOW + 10 * 86_400);
    type_text(&mut desk, "pass123");
    desk.on_key(key(KeyCode::Enter));
    type_text(&mut desk, "n");
    fill(&mut desk, "contact", "13812345678");
    fill(&mut desk, "complainant", "王小明");
    assert!(desk.desk().unwrap().form().unwrap().similar.iter().any(|s| s.reopenable));
    fill(&mut desk, "subject", "宝马X5");
    choose(&mut desk, "category", "r");
    fill(&mut desk, "content", "异响又出现了");
    choose(&mut desk, "request", "c");
    desk.on_key(ctrl('r'));
    desk.on_key(ctrl('s'));
    assert!(status(&desk).contains("reopened"), "{}", status(&desk));
    assert_eq!(step(&desk, id), "investigate", "the case is handled again");
    assert_eq!(val(&desk, id, "major"), text("repeat"), "a repeat complaint is major");
    assert_eq!(val(&desk, id, "major_due_at"), Value::Time(NOW + 10 * 86_400 + 24 * 3600));
    assert_eq!(val(&desk, 2, "duplicate_of"), Value::Ref(id));
    // the investigation starts empty; the first round is in the case's history
    for k in ["cause", "solution", "approval", "closed_at"] {
        assert!(val(&desk, id, k).is_null(), "{k} starts empty");
    }
    let log = val(&desk, id, "rounds_log").as_text().unwrap_or("").to_string();
    assert!(log.contains("{step:complaint.investigate}") && log.contains("{step:complaint.close}"), "{log}");
}

#[test]
fn a_stale_draft_never_erases_the_steps_others_completed() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    // 张强 starts assigning, his draft is kept, and his session ends unsaved
    let mut sup = as_op(&path, "super");
    open(&mut sup, id);
    fill(&mut sup, "department_id", "售后");
    sup.tick(NOW + 4);
    assert_eq!(sup.store.drafts(3).unwrap().len(), 1);
    drop(sup);
    // meanwhile the manager assigns and the handler reports
    let mut boss = as_op(&path, "boss");
    assign(&mut boss, id, "刘工");
    let mut fix1 = as_op(&path, "fix1");
    investigate(&mut fix1, id);
    assert_eq!(step(&fix1, id), "propose");
    // 张强 comes back: his draft reopens; saving it keeps what the others did
    let mut sup = model(Store::open(&path).unwrap(), Lang::En);
    login(&mut sup, "super", "pass123");
    sup.on_key(ctrl('s'));
    sup.on_key(ctrl('s'));
    assert_eq!(step(&sup, id), "propose", "the case does not go back");
    assert_eq!(val(&sup, id, "cause"), text("火花塞型号装错"), "the report stands");
    assert_eq!(val(&sup, id, "handler_id"), Value::Ref(5));
}

#[test]
fn saving_or_abandoning_a_complaint_form_clears_its_draft() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    type_text(&mut m, "n");
    fill(&mut m, "complainant", "王小明");
    m.tick(NOW + 4);
    assert_eq!(m.store.drafts(2).unwrap().len(), 1);
    fill(&mut m, "subject", "宝马X5");
    choose(&mut m, "category", "r");
    fill(&mut m, "content", "异响");
    choose(&mut m, "request", "c");
    m.on_key(ctrl('s'));
    assert!(m.store.drafts(2).unwrap().is_empty(), "saved: no draft left");
    type_text(&mut m, "n");
    fill(&mut m, "complainant", "李四");
    m.tick(NOW + 8);
    m.on_key(key(KeyCode::Esc));
    type_text(&mut m, "y");
    assert!(m.store.drafts(2).unwrap().is_empty(), "abandoned: no draft left");
}

#[test]
fn rule_c4_a_losing_decision_never_overwrites_the_one_that_stands() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    let mut sup = as_op(&path, "super");
    open(&mut desk, id);
    open(&mut sup, id);
    choose(&mut desk, "decision", "s");
    fill(&mut desk, "decision_reason", "属实");
    desk.on_key(ctrl('s'));
    choose(&mut sup, "decision", "r");
    fill(&mut sup, "decision_reason", "不属实");
    fill(&mut sup, "reply", "已解释");
    sup.on_key(ctrl('s'));
    sup.on_key(ctrl('s'));
    assert_eq!(val(&sup, id, "decision"), text("stands"), "the step completed first stands");
    assert_eq!(val(&sup, id, "decided_by"), Value::Ref(2));
}

#[test]
fn rule_c5_a_handler_completes_the_report_but_does_not_rewrite_the_card() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    open(&mut desk, id);
    choose(&mut desk, "major", "m");
    desk.on_key(ctrl('s'));
    decide(&mut desk, id);
    let mut sup = as_op(&path, "super");
    assign(&mut sup, id, "刘工");
    let mut fix1 = as_op(&path, "fix1");
    open(&mut fix1, id);
    let f = fix1.desk().unwrap().form().unwrap();
    for k in ["subject", "major", "content"] {
        assert!(!f.editable(f.index(k).unwrap()), "{k} is not the handler's to type");
    }
    investigate(&mut fix1, id);
    assert_eq!(step(&fix1, id), "propose", "the report is filed");
    assert_eq!(val(&fix1, id, "subject"), text("宝马X5"), "the card is not the handler's to change");
    assert_eq!(val(&fix1, id, "major"), text("media"), "nor the major flag");
}

#[test]
fn rule_c12_the_person_complained_about_is_fixed_at_receipt() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    type_text(&mut desk, "n");
    fill(&mut desk, "complainant", "王小明");
    fill(&mut desk, "subject", "服务态度");
    choose(&mut desk, "category", "s");
    fill(&mut desk, "content", "张强态度差");
    choose(&mut desk, "request", "a");
    fill(&mut desk, "staff_complained", "张强");
    desk.on_key(ctrl('s'));
    decide(&mut desk, 1);
    let mut sup = as_op(&path, "super");
    open(&mut sup, 1);
    let f = sup.desk().unwrap().form().unwrap();
    assert!(!f.editable(f.index("staff_complained").unwrap()), "nobody can take the name off the case");
    assert!((0..f.fields.len()).all(|i| !f.editable(i)), "张强 cannot type in a complaint about himself");
    // and F1 offers him nothing that would change it
    let (here, _) = sup.help_lines();
    let offered: Vec<&str> = here.iter().map(|l| l.text.as_str()).collect();
    for refused in ["Save", "Clear field", "Same case: link", "Reopen as a repeat"] {
        assert!(!offered.iter().any(|t| t.starts_with(refused)), "{refused} offered: {offered:?}");
    }
    sup.on_key(ctrl('s'));
    assert_eq!(step(&sup, 1), "assign", "张强 cannot act on a complaint about himself");
    // nor strike it through, though he may void others' records
    sup.on_key(key(KeyCode::Esc));
    open(&mut sup, 1);
    sup.on_key(key(KeyCode::Esc));
    type_text(&mut sup, "x");
    assert!(sup.overlay.is_none(), "no void dialog for the person complained about");
    assert!(status(&sup).contains("names you"), "{}", status(&sup));
    assert!(rec(&sup, 1).voided.is_none());
}

#[test]
fn rule_c15_a_merged_complaint_is_never_pinned() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    let first = take(&mut m, "王小明", "宝马X5 粤B12345");
    type_text(&mut m, "n");
    fill(&mut m, "complainant", "王先生");
    fill(&mut m, "contact", "13812345678");
    fill(&mut m, "subject", "宝马X5");
    choose(&mut m, "category", "r");
    fill(&mut m, "content", "媒体要来");
    choose(&mut m, "request", "a");
    choose(&mut m, "major", "m");
    m.on_key(ctrl('d'));
    m.on_key(ctrl('s'));
    let merged = m.store.count(&complaint::REGISTER).unwrap();
    assert_eq!(step(&m, merged), "merged");
    assert_eq!(val(&m, merged, "rank"), Value::Int(0));
    assert!(complaint::clock(&rec(&m, merged).values).is_none());
    let _ = first;
}

#[test]
fn rule_c13_last_months_report_is_due_until_marked_submitted() {
    let (_d, path) = office();
    let mut boss = as_op(&path, "boss");
    assert!(boss.desk().unwrap().notice.as_deref().unwrap_or("").contains("2026-10"), "the reminder shows on F4");
    boss.on_key(key(KeyCode::F(7)));
    assert_eq!(boss.desk().unwrap().reports.month.map(|m| m.to_string()), Some("2026-10-01".into()));
    boss.on_key(key(KeyCode::PageDown));
    type_text(&mut boss, "s");
    assert_eq!(status(&boss), "Only a month that has ended can be submitted.");
    boss.on_key(key(KeyCode::PageUp));
    type_text(&mut boss, "s");
    assert!(boss.store.report_submitted("complaints", "2026-10").unwrap().is_none(), "asked first");
    type_text(&mut boss, "y");
    assert!(boss.store.report_submitted("complaints", "2026-10").unwrap().is_some());
    boss.on_key(key(KeyCode::F(4)));
    assert!(boss.desk().unwrap().notice.is_none(), "submitted: no more reminder");
    let mut desk = as_op(&path, "desk1");
    desk.on_key(key(KeyCode::F(7)));
    type_text(&mut desk, "s");
    assert_eq!(status(&desk), "Your roles do not allow this.");
}

#[test]
fn rule_c15_a_link_goes_when_the_details_it_came_from_change() {
    let (_d, path) = office();
    let mut m = as_op(&path, "desk1");
    take(&mut m, "王小明", "宝马X5 粤B12345");
    type_text(&mut m, "n");
    fill(&mut m, "contact", "13812345678");
    m.on_key(ctrl('d'));
    assert!(m.desk().unwrap().form().unwrap().merge_into.is_some());
    fill(&mut m, "contact", "13900000000");
    let f = m.desk().unwrap().form().unwrap();
    assert!(f.merge_into.is_none(), "another phone: no longer the same case");
    assert_eq!(f.raw("duplicate_of"), "");
}

#[test]
fn rule_c11_only_a_supervisor_clears_a_major_flag_and_says_why() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    open(&mut desk, id);
    choose(&mut desk, "major", "m");
    desk.on_key(ctrl('s'));
    assert_eq!(val(&desk, id, "major"), text("media"));
    // the desk cannot take the flag off
    open(&mut desk, id);
    choose(&mut desk, "major", "m");
    desk.on_key(ctrl('s'));
    assert_eq!(error_at(&desk, "major"), Some("err.extra.major_clear_role"));
    assert_eq!(val(&desk, id, "major"), text("media"));
    // a supervisor can, with a reason kept in the record
    let mut sup = as_op(&path, "super");
    open(&mut sup, id);
    choose(&mut sup, "major", "m");
    sup.on_key(ctrl('s'));
    assert_eq!(error_at(&sup, "correction"), Some("err.extra.correction_reason"));
    fill(&mut sup, "correction", "记者未到场，非媒体曝光");
    sup.on_key(ctrl('s'));
    assert!(val(&sup, id, "major").is_null(), "{}", status(&sup));
    assert_eq!(val(&sup, id, "correction"), text("记者未到场，非媒体曝光"));
}

#[test]
fn rule_c11_a_major_case_closes_only_once_reported_upward_or_a_supervisor_says_why_not() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    open(&mut boss, id);
    choose(&mut boss, "major", "w");
    boss.on_key(ctrl('s'));
    approve(&mut boss, id);
    inform(&mut boss, id);
    let mut desk = as_op(&path, "desk1");
    close(&mut desk, id);
    assert_eq!(error_at(&desk, "reported_at"), Some("err.extra.major_unreported"));
    assert_eq!(step(&desk, id), "close");
    // the desk may not give the reason either
    fill(&mut desk, "not_reported_reason", "厂家要求书面报送");
    desk.on_key(ctrl('s'));
    assert_eq!(step(&desk, id), "close");
    let mut sup = as_op(&path, "super");
    open(&mut sup, id);
    fill(&mut sup, "not_reported_reason", "厂家要求书面报送");
    sup.on_key(ctrl('s'));
    close(&mut sup, id);
    assert_eq!(step(&sup, id), "closed", "{}", status(&sup));
}

#[test]
fn rule_c11_a_missed_24_hours_is_recorded() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    open(&mut desk, id);
    choose(&mut desk, "major", "m");
    desk.on_key(ctrl('s'));
    assert!(!val(&desk, id, "major_late").as_bool());
    // two days later the report goes up
    let mut late = model(Store::open(&path).unwrap(), Lang::En);
    late.now = NOW + 2 * 86_400;
    login(&mut late, "desk1", "pass123");
    late.on_key(key(KeyCode::F(4)));
    open(&mut late, id);
    fill(&mut late, "reported_at", "now");
    fill(&mut late, "reported_to", "品牌厂家");
    late.on_key(ctrl('s'));
    assert_eq!(val(&late, id, "major_late"), Value::Bool(true), "{}", status(&late));
}

#[test]
fn rule_c11_a_demand_to_return_or_exchange_suggests_the_major_flag() {
    let mut v = vec![Value::Null; complaint::FIELDS.len()];
    complaint::REGISTER.set(&mut v, "request", text("exchange"));
    let s = frontdesk::domain::Settings::default();
    let derived = (complaint::REGISTER.derived)(&v, &s);
    assert!(derived.iter().any(|m| m.key == "complaint.derived.suggest_major"));
    complaint::REGISTER.set(&mut v, "major", text("return_exchange"));
    assert!(!(complaint::REGISTER.derived)(&v, &s).iter().any(|m| m.key == "complaint.derived.suggest_major"));
}

#[test]
fn a_decided_cases_card_is_corrected_only_by_a_supervisor_with_a_reason() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    open(&mut desk, id);
    let f = desk.desk().unwrap().form().unwrap();
    for k in ["received_at", "category", "content", "subject"] {
        assert!(!f.editable(f.index(k).unwrap()), "{k} is fixed once decided");
    }
    desk.on_key(key(KeyCode::Esc));
    let mut sup = as_op(&path, "super");
    open(&mut sup, id);
    fill(&mut sup, "subject", "宝马X5 粤B12345");
    sup.on_key(ctrl('s'));
    assert_eq!(error_at(&sup, "correction"), Some("err.extra.correction_reason"));
    fill(&mut sup, "correction", "车牌补录");
    sup.on_key(ctrl('s'));
    assert_eq!(val(&sup, id, "subject"), text("宝马X5 粤B12345"), "{}", status(&sup));
}

#[test]
fn rule_f1_callbacks_arise_only_from_a_case() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    desk.on_key(key(KeyCode::Tab));
    type_text(&mut desk, "n");
    assert!(desk.desk().unwrap().form().is_none(), "no blank callback");
    assert_eq!(desk.store.count(&callback::REGISTER).unwrap(), 0);
}

#[test]
fn rule_f5_a_supervisor_does_not_review_their_own_callback() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    inform(&mut boss, id);
    close(&mut boss, id);
    let mut sup = as_op(&path, "super");
    sup.on_key(key(KeyCode::Tab));
    sup.on_key(key(KeyCode::Enter));
    fill(&mut sup, "called_at", "now");
    choose(&mut sup, "method", "p");
    fill(&mut sup, "satisfaction", "4");
    sup.on_key(ctrl('s'));
    let cb = sup.store.get(&callback::REGISTER, 1).unwrap();
    assert_eq!(callback::REGISTER.value(&cb.values, "step"), &text("review"), "{}", status(&sup));
    type_text(&mut sup, "ff"); // filter: to review
    sup.on_key(key(KeyCode::Enter));
    // his own call is not his to review: the review is closed to him, and he is told why
    let f = sup.desk().unwrap().form().unwrap();
    assert!(!f.editable(f.index("review").unwrap()));
    assert_eq!(step_note(&sup), Some("err.extra.callback_own_review"));
    let mut boss = as_op(&path, "boss");
    boss.on_key(key(KeyCode::Tab));
    type_text(&mut boss, "ff");
    boss.on_key(key(KeyCode::Enter));
    choose(&mut boss, "review", "o");
    boss.on_key(ctrl('s'));
    let cb = boss.store.get(&callback::REGISTER, 1).unwrap();
    assert_eq!(callback::REGISTER.value(&cb.values, "step"), &text("done"), "{}", status(&boss));
}

#[test]
fn rule_f1_a_callback_is_not_dated_before_its_case_closed() {
    let (_d, path) = office();
    let mut desk = callback_open(&path);
    fill(&mut desk, "called_at", "2026-10-01 10:00");
    choose(&mut desk, "method", "p");
    fill(&mut desk, "satisfaction", "4");
    desk.on_key(ctrl('s'));
    assert_eq!(error_at(&desk, "called_at"), Some("err.extra.callback_before_case"));
}

#[test]
fn rule_c11_the_department_head_and_the_general_manager_see_a_major_case_at_once() {
    let (_d, path) = office();
    let id = to_approval(&path, "0"); // assigned to 售后服务部
    let mut desk = as_op(&path, "desk1");
    open(&mut desk, id);
    choose(&mut desk, "major", "m");
    desk.on_key(ctrl('s'));
    assert_eq!(val(&desk, id, "rank"), Value::Int(2), "{}", status(&desk));
    let urgent = |code: &str| {
        let mut m = as_op(&path, code);
        m.on_key(key(KeyCode::F(2)));
        m.desk().unwrap().today.urgent.iter().flat_map(|(_, rows)| rows.iter().map(|r| r.id)).collect::<Vec<_>>()
    };
    assert_eq!(urgent("gm"), vec![id], "the general manager sees every major case");
    assert_eq!(urgent("boss"), vec![id], "the handling department's manager sees it");
    assert!(urgent("desk1").is_empty(), "the desk is not the department head");
    // a supervisor of another department does not
    let mut s = Store::open(&path).unwrap();
    let other = s.add_department(1, NOW, "销售部").unwrap();
    let mut op = s.operator_by_code("super").unwrap().unwrap();
    op.department_id = Some(other);
    s.update_operator(1, NOW, &op).unwrap();
    assert!(urgent("super").is_empty());
    // reported upward: no longer urgent
    open(&mut desk, id);
    fill(&mut desk, "reported_at", "now");
    fill(&mut desk, "reported_to", "品牌厂家");
    desk.on_key(ctrl('s'));
    assert!(urgent("gm").is_empty());
}

#[test]
fn rule_f5_a_call_that_did_not_reach_the_customer_is_recorded_not_voided() {
    let (_d, path) = office();
    let mut desk = callback_open(&path);
    fill(&mut desk, "attempt", "无人接听");
    desk.on_key(ctrl('s'));
    let cb = desk.store.get(&callback::REGISTER, 1).unwrap();
    assert_eq!(callback::REGISTER.value(&cb.values, "step"), &text("call"), "still to call: {}", status(&desk));
    let log = callback::REGISTER.value(&cb.values, "attempts").as_text().unwrap_or("").to_string();
    assert!(log.contains("无人接听") && log.contains("{op:2}"), "{log}");
    assert!(cb.voided.is_none());
    // shown with the caller's name
    desk.on_key(key(KeyCode::Enter));
    let f = desk.desk().unwrap().form().unwrap();
    assert!(f.raw("attempts").contains("王芳"), "{}", f.raw("attempts"));
}

/// Types a new service complaint about the front desk ("n", the card's fields, then
/// `extra` by field), without saving it.
fn type_desk_complaint(m: &mut Model, content: &str, extra: &[(&str, &str)]) {
    type_text(m, "n");
    fill(m, "complainant", "王小明");
    fill(m, "subject", "前台接待");
    choose(m, "category", "s");
    fill(m, "content", content);
    choose(m, "request", "a");
    for (k, v) in extra {
        fill(m, k, v);
    }
}

/// A closed complaint about 王芳 (desk1), with its callback for the desk.
fn closed_case_about_desk1(path: &std::path::Path) -> i64 {
    let mut sup = as_op(path, "super");
    type_desk_complaint(&mut sup, "前台王芳态度冷淡", &[("staff_complained", "王芳")]);
    sup.on_key(ctrl('s'));
    let id = sup.store.count(&complaint::REGISTER).unwrap();
    decide(&mut sup, id);
    assign(&mut sup, id, "刘工");
    investigate(&mut sup, id);
    propose(&mut sup, id, "0");
    let mut boss = as_op(path, "boss");
    approve(&mut boss, id);
    inform(&mut boss, id);
    close(&mut boss, id);
    assert_eq!(step(&boss, id), "closed", "{}", status(&boss));
    id
}

#[test]
fn rule_c12_the_person_complained_about_does_not_make_the_cases_callback() {
    let (_d, path) = office();
    closed_case_about_desk1(&path);
    let mut desk = as_op(&path, "desk1");
    desk.on_key(key(KeyCode::Tab));
    desk.on_key(key(KeyCode::Enter));
    let f = desk.desk().unwrap().form().expect("she may see it");
    assert!((0..f.fields.len()).all(|i| !f.editable(i)), "but not type in it");
    assert_eq!(f.notice.as_ref().map(|n| n.key), Some("err.access.barred"), "and is told why at once");
    desk.on_key(ctrl('s'));
    let cb = desk.store.get(&callback::REGISTER, 1).unwrap();
    assert_eq!(callback::REGISTER.value(&cb.values, "step"), &text("call"));
}

#[test]
fn rule_c12_nobody_takes_down_a_complaint_about_themselves_or_adds_to_one() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    type_desk_complaint(&mut desk, "态度冷淡", &[("staff_complained", "王芳")]);
    desk.on_key(ctrl('s'));
    assert_eq!(desk.store.count(&complaint::REGISTER).unwrap(), 0, "{}", status(&desk));
    assert_eq!(error_at(&desk, "staff_complained"), Some("err.access.barred"));
    assert!(status(&desk).contains("names you"), "said plainly: {}", status(&desk));
    desk.on_key(key(KeyCode::Esc));
    type_text(&mut desk, "y");
    // a case about her, taken by the supervisor: she cannot merge a new complaint into it
    let mut sup = as_op(&path, "super");
    type_desk_complaint(&mut sup, "态度冷淡", &[("contact", "13812345678"), ("staff_complained", "王芳")]);
    sup.on_key(ctrl('s'));
    assert_eq!(sup.store.count(&complaint::REGISTER).unwrap(), 1, "{}", status(&sup));
    let mut desk = as_op(&path, "desk1");
    type_desk_complaint(&mut desk, "又来投诉", &[("contact", "13812345678")]);
    // the case about her is found by the phone, and Ctrl-D offers it
    assert!(desk.desk().unwrap().form().unwrap().similar.iter().any(|s| s.open), "the case is offered");
    desk.on_key(ctrl('d'));
    desk.on_key(ctrl('s'));
    assert_eq!(desk.store.count(&complaint::REGISTER).unwrap(), 1, "nothing merged: {}", status(&desk));
}

#[test]
fn rule_c11_a_cleared_major_flag_no_longer_counts_as_major() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    open(&mut desk, id);
    choose(&mut desk, "major", "m");
    desk.on_key(ctrl('s'));
    assert!(!val(&desk, id, "major_at").is_null());
    let mut sup = as_op(&path, "super");
    open(&mut sup, id);
    choose(&mut sup, "major", "m");
    fill(&mut sup, "correction", "误标");
    sup.on_key(ctrl('s'));
    assert!(val(&sup, id, "major").is_null(), "{}", status(&sup));
    assert!(val(&sup, id, "major_at").is_null(), "the report counts major_at: it goes with the flag");
    let def = &frontdesk::domain::complaint_report::MONTHLY;
    let rows = sup.store.report_rows(def, 0, i64::MAX).unwrap();
    let r = frontdesk::domain::stats::report(def, "2026-11", i64::MAX, &rows, NOW, &sup.settings);
    assert!(r.total.ids("major").is_empty(), "{:?}", r.total.ids("major"));
}

#[test]
fn rule_c12_staff_named_without_picking_a_login_are_barred_by_name() {
    let (_d, path) = office();
    // 王芳 writes herself down by name instead of picking her login: refused all the same
    let mut desk = as_op(&path, "desk1");
    type_desk_complaint(&mut desk, "态度冷淡", &[("staff_named", "王 芳")]);
    desk.on_key(ctrl('s'));
    assert_eq!(desk.store.count(&complaint::REGISTER).unwrap(), 0, "{}", status(&desk));
    assert_eq!(error_at(&desk, "staff_named"), Some("err.access.barred"));
    desk.on_key(key(KeyCode::Esc));
    type_text(&mut desk, "y");
    // a complaint naming 刘工 by name, and one about staff with no login at all
    type_desk_complaint(&mut desk, "维修态度差", &[("subject", "维修接待"), ("staff_named", "刘工")]);
    desk.on_key(ctrl('s'));
    type_desk_complaint(&mut desk, "保安态度差", &[("subject", "门岗"), ("staff_named", "门岗老李")]);
    desk.on_key(ctrl('s'));
    assert_eq!(desk.store.count(&complaint::REGISTER).unwrap(), 2, "{}", status(&desk));
    decide(&mut desk, 1);
    desk.on_key(key(KeyCode::Esc));
    decide(&mut desk, 2);
    // 刘工 is not made the handler of the case that names him, by login or by name
    let mut sup = as_op(&path, "super");
    open(&mut sup, 1);
    focus(&mut sup, "handler_id");
    type_text(&mut sup, "刘");
    assert!(sup.desk().unwrap().form().unwrap().suggest.is_none(), "the person named is not offered");
    sup.on_key(key(KeyCode::Esc));
    sup.on_key(key(KeyCode::Esc));
    type_text(&mut sup, "y");
    assign(&mut sup, 1, "刘工");
    assert!(error_at(&sup, "handler_id").is_some());
    assert_eq!(step(&sup, 1), "assign");
    sup.on_key(key(KeyCode::Esc));
    type_text(&mut sup, "y");
    // nor can he touch it
    let mut fix1 = as_op(&path, "fix1");
    open(&mut fix1, 1);
    let f = fix1.desk().unwrap().form().unwrap();
    assert!((0..f.fields.len()).all(|i| !f.editable(i)), "nothing of the case is his to type");
    // the name is as fixed as a picked login once the case is decided
    open(&mut sup, 1);
    let f = sup.desk().unwrap().form().unwrap();
    assert!(!f.editable(f.index("staff_named").unwrap()));
    sup.on_key(key(KeyCode::Esc));
    sup.on_key(key(KeyCode::Esc));
    // a name that is nobody's login bars nobody
    assign(&mut sup, 2, "刘工");
    assert_eq!(step(&sup, 2), "investigate", "{}", status(&sup));
}

#[test]
fn rule_c13_reopening_a_case_of_a_submitted_month_says_its_frozen_figures_stay() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    inform(&mut boss, id);
    close(&mut boss, id);
    // November is submitted with this case closed in it
    boss.store.submit_report(1, NOW + 86_400, "complaints", "2026-11").unwrap();
    let mut desk = as_op(&path, "desk1");
    desk.tick(NOW + 10 * 86_400);
    type_text(&mut desk, "pass123");
    desk.on_key(key(KeyCode::Enter));
    type_desk_complaint(&mut desk, "异响又出现了", &[("contact", "13812345678"), ("subject", "宝马X5")]);
    desk.on_key(ctrl('r'));
    desk.on_key(ctrl('s'));
    assert_eq!(step(&desk, id), "investigate", "{}", status(&desk));
    let s = status(&desk);
    assert!(s.contains("reopened") && s.contains("2026-11") && s.contains("already submitted"), "{s}");
}

#[test]
fn rule_c8_told_in_writing_the_written_reply_is_marked_required_as_soon_as_that_is_chosen() {
    let (_d, path) = office();
    let id = to_approval(&path, "0");
    let mut boss = as_op(&path, "boss");
    approve(&mut boss, id);
    open(&mut boss, id);
    assert_eq!(step(&boss, id), "inform");
    let marked = |m: &Model| {
        let f = m.desk().unwrap().form().unwrap();
        f.required(f.index("written_reply").unwrap())
    };
    assert!(!marked(&boss), "told by word, no written reply is needed");
    choose(&mut boss, "inform_method", "w");
    assert_eq!(boss.desk().unwrap().form().unwrap().raw("inform_method"), "writing");
    assert!(marked(&boss), "in writing: the reply is marked * before the save says so");
    fill(&mut boss, "told_at", "now");
    fill(&mut boss, "reaction", "客户接受方案");
    boss.on_key(ctrl('s'));
    assert_eq!(error_at(&boss, "written_reply"), Some("err.required"));
    assert_eq!(step(&boss, id), "inform");
}

#[test]
fn rule_c8_with_separation_of_duties_off_the_proposer_may_approve_within_their_authority() {
    let (_d, path) = office();
    // the office's setting: one person may propose and approve (1 on, 0 off)
    Store::open(&path).unwrap().set_setting(1, NOW, frontdesk::domain::settings::SEPARATE_DUTIES, "0").unwrap();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    let mut sup = as_op(&path, "super");
    assign(&mut sup, id, "刘工");
    investigate(&mut sup, id);
    propose(&mut sup, id, "0");
    assert_eq!(step(&sup, id), "approve", "{}", status(&sup));
    approve(&mut sup, id);
    assert_eq!(step(&sup, id), "inform", "{}", status(&sup));
}

#[test]
fn rule_c18_why_a_step_is_late_is_said_by_whoever_completes_it_not_at_someone_elses_step() {
    let (_d, path) = office();
    let mut desk = as_op(&path, "desk1");
    let id = take(&mut desk, "王小明", "宝马X5");
    decide(&mut desk, id);
    // at the assignment, a supervisor's step, the desk's form locks the step and its lateness
    open(&mut desk, id);
    assert!(step_note(&desk).is_some());
    let f = desk.desk().unwrap().form().unwrap();
    for k in ["department_id", "handler_id", "late_reason", "late_target"] {
        assert!(!f.editable(f.index(k).unwrap()), "{k} is the supervisor's to fill");
    }
    let mut sup = as_op(&path, "super");
    open(&mut sup, id);
    let f = sup.desk().unwrap().form().unwrap();
    assert!(f.editable(f.index("late_reason").unwrap()), "the one who assigns says why it is late");
}
