//! Paper history through the one write path: an import carries past stamps and dates,
//! but each line must be a history that could have happened, stamped by people who
//! could have done each step, imported by someone the register lets import.

mod support;

use std::process::Output;

use frontdesk::domain::plan::{Actor, Change, Facts, Person, plan};
use frontdesk::domain::{REGISTERS, Role};
use frontdesk::store::{PageDir, Store};
use support::*;

fn office() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, path) = temp_db();
    let mut s = store_with(
        Some(&path),
        &[
            ("gm", "周总", &[Role::GeneralManager]),
            ("mgr", "陈总", &[Role::Manager]),
            ("desk1", "王芳", &[Role::Receptionist]),
            ("lead", "张强", &[Role::Supervisor]),
            ("fix1", "刘工", &[Role::Dispatcher]),
            ("sys", "系统管理员", &[Role::Admin]),
        ],
    );
    let dept = s.add_department(1, NOW, "售后服务部").unwrap();
    for code in ["mgr", "lead", "fix1"] {
        let mut op = s.operator_by_code(code).unwrap().unwrap();
        op.department_id = Some(dept);
        s.update_operator(1, NOW, &op).unwrap();
    }
    (d, path)
}

fn cli(path: &std::path::Path, args: &[&str]) -> Output {
    run_cli(path, args)
}

fn out(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

const HEAD: &str = "received_at,channel,complainant,contact,subject,category,content,request,step,decision,decision_reason,decided_at,decided_by,department_id,handler_id,assigned_at,assigned_by,solution,amount,proposed_at,proposed_by,approval,approved_at,approved_by,closed_at,closed_by,satisfaction,summary,improvement,staff_complained";

/// Every line of this month is an impossible history, each in its own way.
const IMPOSSIBLE: &[(&str, &str)] = &[
    // line 2: closed before it was received
    (
        "closed_at",
        "2026-10-05 09:00,phone,王一,13800000001,宝马X5,repair,异响,answer,closed,stands,属实,2026-10-05 10:00,desk1,,,,,,,,,,,,2026-10-01 09:00,desk1,satisfied,已修复,核对配件,",
    ),
    // line 3: closed without its closing date
    (
        "closed_at",
        "2026-10-06 09:00,phone,王二,13800000002,奥迪A6,service,态度差,answer,closed,stands,属实,2026-10-06 10:00,desk1,,,,,,,,,,,,,,satisfied,已道歉,培训,",
    ),
    // line 4: decided in the future
    (
        "decided_at",
        "2026-10-07 09:00,phone,王三,13800000003,物业费,contract,收费,answer,assign,stands,属实,2027-03-01 10:00,desk1,,,,,,,,,,,,,,,,,",
    ),
    // line 5: at assignment, yet already closed
    (
        "closed_at",
        "2026-10-08 09:00,phone,王四,13800000004,电梯,product,故障,answer,assign,stands,属实,2026-10-08 10:00,desk1,,,,,,,,,,,,2026-10-09 09:00,desk1,,,,",
    ),
    // line 6: assigned by a receptionist (rule C5)
    (
        "assigned_by",
        "2026-10-09 09:00,phone,王五,13800000005,漏水,product,漏水,answer,investigate,stands,属实,2026-10-09 10:00,desk1,售后服务部,fix1,2026-10-09 11:00,desk1,,,,,,,,,,,,,",
    ),
    // line 7: 8000 approved by a manager whose limit is 5000 (rule C14)
    (
        "approved_by",
        "2026-10-10 09:00,phone,王六,13800000006,交付,contract,延误,compensation,inform,stands,属实,2026-10-10 10:00,desk1,售后服务部,fix1,2026-10-10 11:00,lead,赔偿,8000,2026-10-10 12:00,fix1,approved,2026-10-10 13:00,mgr,,,,,,",
    ),
    // line 8: the person complained about decided the case (rule C12)
    (
        "decided_by",
        "2026-10-11 09:00,phone,王七,13800000007,前台,service,态度,answer,assign,stands,属实,2026-10-11 10:00,desk1,,,,,,,,,,,,,,,,,desk1",
    ),
    // line 9: a step dated before the one it follows
    (
        "assigned_at",
        "2026-10-12 09:00,phone,王八,13800000008,GPS,product,掉线,answer,investigate,stands,属实,2026-10-12 10:00,desk1,售后服务部,fix1,2026-10-12 09:30,lead,,,,,,,,,,,,,",
    ),
];

#[test]
fn an_impossible_history_is_refused_line_by_line_and_nothing_is_imported() {
    let (d, path) = office();
    let csv = d.path().join("october.csv");
    let body: Vec<&str> = IMPOSSIBLE.iter().map(|(_, l)| *l).collect();
    std::fs::write(&csv, format!("{HEAD}\n{}\n", body.join("\n"))).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    let text = out(&o);
    assert!(!o.status.success(), "{text}");
    for (i, (field, _)) in IMPOSSIBLE.iter().enumerate() {
        let line = i + 2;
        assert!(text.contains(&format!("Line {line}, {field}:")), "line {line} ({field}) not named:\n{text}");
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.count(&frontdesk::domain::complaint::REGISTER).unwrap(), 0, "one bad line imports nothing");
}

#[test]
fn a_possible_history_imports_with_its_stamps() {
    let (d, path) = office();
    let csv = d.path().join("ok.csv");
    let line = "2026-10-10 09:00,phone,王六,13800000006,交付,contract,延误,compensation,inform,stands,属实,2026-10-10 10:00,desk1,售后服务部,fix1,2026-10-10 11:00,lead,赔偿,8000,2026-10-10 12:00,fix1,approved,2026-10-10 13:00,gm,,,,,,";
    std::fs::write(&csv, format!("{HEAD}\n{line}\n")).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    let s = Store::open(&path).unwrap();
    let r = s.get(&frontdesk::domain::complaint::REGISTER, 1).unwrap();
    assert_eq!(r.created_at, frontdesk::domain::complaint::REGISTER.value(&r.values, "received_at").as_i64().unwrap());
}

#[test]
fn importing_needs_the_registers_import_right() {
    let (d, path) = office();
    let csv = d.path().join("v.csv");
    std::fs::write(
        &csv,
        "occurred_at,channel,name,visitor_class,party_size,purpose\n2026-11-02 09:30,walk_in,王芳,C,1,来访\n",
    )
    .unwrap();
    // the administrator sees no register by right (rule A14), the desk brings no history in
    for code in ["sys", "desk1", "lead"] {
        let o = cli(&path, &["import", "visitor", csv.to_str().unwrap(), "--as", code]);
        assert!(!o.status.success() && out(&o).contains("do not allow"), "{code}: {}", out(&o));
    }
    let o = cli(&path, &["import", "visitor", csv.to_str().unwrap(), "--as", "mgr"]);
    assert!(o.status.success(), "{}", out(&o));
}

/// The demo's data obeys the same rules as any import: every record of every register,
/// judged as paper history brought in by the general manager.
#[test]
fn demo_data_passes_the_checks_every_import_passes() {
    let (_d, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    frontdesk::demo::seed(&mut s, NOW, OFFSET).unwrap();
    let settings = s.settings().unwrap();
    let people: Vec<Person> = s
        .operators()
        .unwrap()
        .into_iter()
        .map(|o| Person { id: o.id, name: o.name, roles: o.roles, department: o.department_id })
        .collect();
    let gm = s.operator_by_code("zhouzong").unwrap().unwrap();
    let who = Actor { id: gm.id, name: &gm.name, roles: &gm.roles, department: gm.department_id };
    let mut checked = 0;
    for def in REGISTERS {
        let mut dir = PageDir::First;
        loop {
            let page = s.page(def, frontdesk::domain::register::Cond::All, dir, 500, &ctx()).unwrap();
            let Some(last) = page.last().map(|r| r.id) else { break };
            for r in &page {
                let linked = def
                    .inherit
                    .and_then(|inh| def.value(&r.values, inh.field).as_i64().and_then(|id| s.get(inh.target, id).ok()));
                let facts = Facts { linked: linked.as_ref(), phone_owner: None, people: &people, repeats: None };
                let change = Change::Import { created: Some(r.created_at), values: r.values.clone() };
                if let Err(p) = plan(def, change, who, &settings, &ctx(), facts) {
                    panic!("{} {} breaks the rules: {p:?}", def.name, r.number);
                }
                checked += 1;
            }
            dir = PageDir::Before(last);
        }
    }
    assert!(checked > 500, "{checked}");
}

/// A month of paper cards and their callbacks, imported through the write path, gives
/// the report a hand count gives (rules C13, F1, C10).
#[test]
fn an_imported_month_with_its_callbacks_gives_the_hand_count() {
    let (d, path) = office();
    let head = "received_at,channel,complainant,contact,subject,category,content,request,step,decision,decision_reason,decided_at,decided_by,closed_at,closed_by,satisfaction,summary,improvement,reply";
    let cases = [
        // 1: closed on the 3rd, called back on the 5th (within 3 days)
        "2026-09-01 09:00,phone,客户甲,13800000001,异响,service,保养后异响,answer,closed,stands,属实,2026-09-01 10:00,desk1,2026-09-03 10:00,desk1,satisfied,已修复,核对配件,",
        // 2: closed on the 4th, called back on the 12th (late)
        "2026-09-02 09:00,phone,客户乙,13800000002,漏水,product,漏水,answer,closed,stands,属实,2026-09-02 10:00,desk1,2026-09-04 10:00,desk1,satisfied,已修,巡检,",
        // 3: closed, never called back
        "2026-09-05 09:00,walk_in,客户丙,13800000003,态度,service,态度差,answer,closed,stands,属实,2026-09-05 10:00,desk1,2026-09-06 10:00,desk1,satisfied,已道歉,培训,",
        // 4: rejected on the 20th: answered after its 7 days (C10)
        "2026-09-10 09:00,phone,客户丁,13800000004,改装,repair,亏电,answer,rejected,rejected,自行改装,2026-09-20 10:00,desk1,,,,,,已解释",
    ];
    let csv = d.path().join("september.csv");
    std::fs::write(&csv, format!("{head}\n{}\n", cases.join("\n"))).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    // the callbacks name their case by its number only, as the paper does
    let cb_head =
        "created_at,step,due_at,source,about,by_role,called_at,method,signed,satisfaction,call_done_at,call_by";
    let calls = [
        "2026-09-03 10:00,review,2026-09-06 10:00,C-2026-000001,客户甲,receptionist,2026-09-05 10:00,phone,no,5,2026-09-05 10:00,desk1",
        "2026-09-04 10:00,review,2026-09-07 10:00,C-2026-000002,客户乙,receptionist,2026-09-12 10:00,phone,no,3,2026-09-12 10:00,desk1",
    ];
    let cb = d.path().join("callbacks.csv");
    std::fs::write(&cb, format!("{cb_head}\n{}\n", calls.join("\n"))).unwrap();
    let o = cli(&path, &["import", "callback", cb.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    // a callback naming no case that exists is refused
    let bad = d.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("{cb_head}\n2026-09-03 10:00,call,2026-09-06 10:00,C-2026-999999,某人,receptionist,,,no,,,\n"),
    )
    .unwrap();
    let o = cli(&path, &["import", "callback", bad.to_str().unwrap(), "--as", "gm"]);
    assert!(!o.status.success() && out(&o).contains("Line 2, source:"), "{}", out(&o));
    let o = cli(&path, &["report", "complaints", "--month", "2026-09", "--format", "json", "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let total = &j["total"];
    let n = |k: &str| total[k].as_array().map(|a| a.len()).unwrap_or(usize::MAX);
    // by hand: 4 received, 1 rejected (answered late), 3 resolved, 2 called back, 1 within 3 days
    assert_eq!((n("received"), n("rejected"), n("closed")), (4, 1, 3), "{total}");
    assert_eq!((n("called_back"), n("callback_in_time"), n("rejected_late")), (2, 1, 1), "{total}");
}

#[test]
fn rule_c15_an_imported_repeat_names_an_earlier_case_that_was_open_when_it_came_in() {
    let (d, path) = office();
    let head = "received_at,channel,complainant,contact,subject,category,content,request,step,decision,decision_reason,decided_at,decided_by,closed_at,closed_by,satisfaction,summary,improvement,reply,duplicate_of";
    // C-2026-000001: received on the 1st, closed on the 3rd
    let first = "2026-09-01 09:00,phone,客户甲,13800000001,异响,service,保养后异响,answer,closed,stands,属实,2026-09-01 10:00,desk1,2026-09-03 10:00,desk1,satisfied,已修复,核对配件,,";
    let csv = d.path().join("first.csv");
    std::fs::write(&csv, format!("{head}\n{first}\n")).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    let merged = |day: &str| {
        format!("2026-{day} 10:00,phone,客户甲,13800000001,异响,service,又来电,answer,merged,,,,,,,,,,,C-2026-000001")
    };
    let wrong = [
        // line 2: "repeats" a case received after it
        merged("08-25"),
        // line 3: merged into the case a week after it closed (it should have reopened it)
        merged("09-10"),
    ];
    let csv = d.path().join("repeats.csv");
    std::fs::write(&csv, format!("{head}\n{}\n", wrong.join("\n"))).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    let text = out(&o);
    assert!(!o.status.success(), "{text}");
    assert!(text.contains("Line 2, duplicate_of:") && text.contains("received after it"), "{text}");
    assert!(text.contains("Line 3, duplicate_of:") && text.contains("already finished"), "{text}");
    // a repeat that came in while the case was still open merges
    std::fs::write(&csv, format!("{head}\n{}\n", merged("09-02"))).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(Store::open(&path).unwrap().count(&frontdesk::domain::complaint::REGISTER).unwrap(), 2);
}

#[test]
fn rule_c13_an_import_into_a_submitted_month_says_so() {
    let (d, path) = office();
    let head = "received_at,channel,complainant,contact,subject,category,content,request,step,decision,decision_reason,decided_at,decided_by,closed_at,closed_by,satisfaction,summary,improvement,reply";
    let case = |day: &str, who: &str| {
        format!(
            "2026-09-{day} 09:00,phone,{who},13800000001,异响,service,保养后异响,answer,closed,stands,属实,2026-09-{day} 10:00,desk1,2026-09-{day} 11:00,desk1,satisfied,已修复,核对配件,"
        )
    };
    let csv = d.path().join("september.csv");
    std::fs::write(&csv, format!("{head}\n{}\n", case("01", "客户甲"))).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success() && !out(&o).contains("already submitted"), "{}", out(&o));
    Store::open(&path).unwrap().submit_report(1, 1_790_000_000, "complaints", "2026-09").unwrap();
    // a card found later, typed up into the submitted September
    std::fs::write(&csv, format!("{head}\n{}\n", case("15", "客户乙"))).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    let text = out(&o);
    assert!(o.status.success(), "{text}");
    assert!(text.contains("2026-09 already submitted"), "{text}");
}

#[test]
fn rule_c5_a_handler_is_someone_who_can_handle_a_case_at_every_door() {
    let (d, path) = office();
    // the administrator manages the program, and handles no complaint
    let line = "2026-10-09 09:00,phone,王五,13800000005,漏水,product,漏水,answer,investigate,stands,属实,2026-10-09 10:00,desk1,售后服务部,sys,2026-10-09 11:00,lead,,,,,,,,,,,,,";
    let csv = d.path().join("h.csv");
    std::fs::write(&csv, format!("{HEAD}\n{line}\n")).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    let text = out(&o);
    assert!(!o.status.success() && text.contains("Line 2, handler_id:") && text.contains("系统管理员"), "{text}");
    // the same line with a handler who may handle it imports
    std::fs::write(&csv, format!("{HEAD}\n{}\n", line.replace(",sys,", ",fix1,"))).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    // and at the form, type-ahead offers only those who may handle it
    let assign = "2026-10-12 09:00,phone,王六,13800000006,电梯,product,故障,answer,assign,stands,属实,2026-10-12 10:00,desk1,,,,,,,,,,,,,,,,,";
    std::fs::write(&csv, format!("{HEAD}\n{assign}\n")).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    let mut m = model(Store::open(&path).unwrap(), frontdesk::i18n::Lang::Zh);
    login(&mut m, "lead", "pass123");
    m.on_key(key(crossterm::event::KeyCode::F(4)));
    m.on_key(key(crossterm::event::KeyCode::Home));
    m.on_key(key(crossterm::event::KeyCode::Enter));
    assert_eq!(m.desk().unwrap().form().unwrap().raw("complainant"), "王六");
    focus(&mut m, "handler_id");
    type_text(&mut m, "系统");
    assert!(m.desk().unwrap().form().unwrap().suggest.is_none(), "the administrator is not offered");
    m.on_key(ctrl('u'));
    type_text(&mut m, "刘");
    assert!(m.desk().unwrap().form().unwrap().suggest.is_some(), "a handler is");
}

#[test]
fn rule_c12_an_imported_callback_bars_whom_its_case_bars_whatever_the_file_says() {
    let (d, path) = office();
    // a closed case about 张强 (lead)
    let head = "received_at,channel,complainant,contact,subject,category,content,request,step,decision,decision_reason,decided_at,decided_by,closed_at,closed_by,satisfaction,summary,improvement,staff_complained";
    let case = "2026-09-01 09:00,phone,客户甲,13800000001,态度,service,态度差,answer,closed,stands,属实,2026-09-01 10:00,desk1,2026-09-03 10:00,desk1,satisfied,已道歉,培训,lead";
    let csv = d.path().join("case.csv");
    std::fs::write(&csv, format!("{head}\n{case}\n")).unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    // its callback, reviewed by 张强, with the bar left out of the file (or naming someone else)
    let cb_head = "created_at,step,due_at,source,about,by_role,called_at,method,signed,satisfaction,call_done_at,call_by,review,reviewed_at,reviewed_by,barred_id";
    for barred in ["", "desk1"] {
        let row = format!(
            "2026-09-03 10:00,done,2026-09-06 10:00,C-2026-000001,客户甲,receptionist,2026-09-05 10:00,phone,no,5,2026-09-05 10:00,desk1,ok,2026-09-06 10:00,lead,{barred}"
        );
        let cb = d.path().join("cb.csv");
        std::fs::write(&cb, format!("{cb_head}\n{row}\n")).unwrap();
        let o = cli(&path, &["import", "callback", cb.to_str().unwrap(), "--as", "gm"]);
        assert!(!o.status.success(), "barred {barred:?}: {}", out(&o));
        assert!(out(&o).contains("Line 2, reviewed_by") && out(&o).contains("rule C12"), "{}", out(&o));
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.count(&frontdesk::domain::callback::REGISTER).unwrap(), 0);
}

#[test]
fn rule_c12_the_person_complained_about_does_not_import_the_case_about_themselves() {
    let (d, path) = office();
    let head = "received_at,channel,complainant,contact,subject,category,content,request,staff_complained";
    let csv = d.path().join("case.csv");
    std::fs::write(&csv, format!("{head}\n2026-09-01 09:00,phone,客户甲,13800000001,态度,service,态度差,answer,gm\n"))
        .unwrap();
    let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(!o.status.success() && out(&o).contains("rule C12"), "{}", out(&o));
    assert_eq!(Store::open(&path).unwrap().count(&frontdesk::domain::complaint::REGISTER).unwrap(), 0);
}

#[test]
fn rules_c8_c14_an_imports_refusal_names_the_person_stamped_not_the_importer() {
    let (d, path) = office();
    let row = |proposer: &str, amount: &str| {
        format!(
            "2026-10-10 09:00,phone,王六,13800000006,交付,contract,延误,compensation,inform,stands,属实,2026-10-10 10:00,desk1,售后服务部,mgr,2026-10-10 11:00,lead,赔偿,{amount},2026-10-10 12:00,{proposer},approved,2026-10-10 13:00,mgr,,,,,,"
        )
    };
    for (proposer, amount, said) in
        [("mgr", "100", "陈总 proposed the solution"), ("fix1", "8000", "above 陈总's approval limit")]
    {
        let csv = d.path().join("c.csv");
        std::fs::write(&csv, format!("{HEAD}\n{}\n", row(proposer, amount))).unwrap();
        let o = cli(&path, &["import", "complaint", csv.to_str().unwrap(), "--as", "gm"]);
        assert!(!o.status.success(), "{}", out(&o));
        assert!(out(&o).contains(said) && !out(&o).contains("your"), "{}", out(&o));
    }
}

#[test]
fn a_visitor_import_says_how_many_rows_give_a_phone_no_card_holds() {
    let (d, path) = office();
    let csv = d.path().join("v.csv");
    std::fs::write(
        &csv,
        "occurred_at,channel,name,phone,visitor_class,party_size,purpose\n2026-11-02 09:30,walk_in,新客,13912345098,C,1,咨询\n2026-11-02 10:30,walk_in,无电话,,C,1,送货\n",
    )
    .unwrap();
    let o = cli(&path, &["import", "visitor", csv.to_str().unwrap(), "--as", "gm"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("1 of them give a phone that no record of Customer cards holds"), "{}", out(&o));
}
