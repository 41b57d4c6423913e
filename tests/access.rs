//! Every role against every act of every register, as the registers declare it: the
//! model (what a screen offers and lets through), the write path (each step) and the
//! command line (export, import, search) give the same answers as the declarations.

mod support;

use std::process::Output;

use crossterm::event::KeyCode;
use frontdesk::domain::access::{self, Act};
use frontdesk::domain::plan::{Actor, Change, Facts, plan};
use frontdesk::domain::{REGISTERS, RegisterDef, Role, Value, callback, complaint, customer, repair, visitor};
use frontdesk::i18n::Lang;
use frontdesk::model::{FormKind, Overlay};
use frontdesk::store::Store;
use support::*;

/// One operator per role, codes r0..r7 in `Role::ALL` order, all in department 1.
fn office() -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, path) = temp_db();
    let ops: Vec<(String, String, Vec<Role>)> =
        Role::ALL.iter().enumerate().map(|(i, r)| (format!("r{i}"), format!("{r:?}"), vec![*r])).collect();
    let refs: Vec<(&str, &str, &[Role])> = ops.iter().map(|(c, n, r)| (c.as_str(), n.as_str(), r.as_slice())).collect();
    let mut s = store_with(Some(&path), &refs);
    let dept = s.add_department(1, NOW, "售后服务部").unwrap();
    for (code, _, _) in &ops {
        let mut op = s.operator_by_code(code).unwrap().unwrap();
        op.department_id = Some(dept);
        s.update_operator(1, NOW, &op).unwrap();
    }
    // one record in every register, for opening and voiding
    s.insert(1, &ctx(), &visitor::REGISTER, &visitor("王芳", "13812345678", "来访")).unwrap();
    s.insert(1, &ctx(), &customer::REGISTER, &card("李娜", "13900001111")).unwrap();
    s.insert(1, &ctx(), &complaint::REGISTER, &complaint_at("decide")).unwrap();
    let cb = callback::scheduled(
        callback::Source {
            register: "complaint",
            number: "C-2026-000001",
            id: 1,
            barred: [&Value::Null, &Value::Null],
        },
        "王小明 · 宝马X5",
        &text("13812345678"),
        Role::Receptionist,
        NOW + 86_400,
    );
    s.insert(1, &ctx(), &callback::REGISTER, &cb).unwrap();
    s.insert(1, &ctx(), &repair::REGISTER, &repair_slip()).unwrap();
    (d, path)
}

fn complaint_at(step: &str) -> Vec<Value> {
    values(
        &complaint::REGISTER,
        &[
            ("step", text(step)),
            ("received_at", Value::Time(NOW - 3600)),
            ("channel", text("phone")),
            ("complainant", text("王小明")),
            ("contact", text("13812345678")),
            ("subject", text("宝马X5")),
            ("category", text("repair")),
            ("content", text("异响")),
            ("request", text("answer")),
            ("anonymous", Value::Bool(false)),
            ("written_reply_only", Value::Bool(false)),
            ("case_due_at", Value::Time(NOW + 6 * 86_400)),
            ("step_due_at", Value::Time(NOW + 6 * 86_400)),
        ],
    )
}

fn repair_slip() -> Vec<Value> {
    values(
        &repair::REGISTER,
        &[
            ("step", text("received")),
            ("received_at", Value::Time(NOW - 3600)),
            ("channel", text("phone")),
            ("urgency", text("normal")),
            ("reporter", text("王小明")),
            ("contact", text("13812345678")),
            ("unit", text("3号楼1201室")),
            ("item_kind", text("aircon")),
            ("fault", text("空调漏水")),
            ("skill", text("hvac")),
            ("warranty", Value::Bool(false)),
        ],
    )
}

fn role_of(code: &str) -> Role {
    Role::ALL[code[1..].parse::<usize>().unwrap()]
}

/// What the model lets an operator of `code` do to a register: see it, open a new form,
/// type into a saved record, open the void dialog.
fn model_answers(path: &std::path::Path, code: &str, def: &'static RegisterDef) -> Vec<(Act, bool)> {
    let mut m = model(Store::open(path).unwrap(), Lang::En);
    login(&mut m, code, "pass123");
    assert!(m.desk().is_some(), "{code} logged in");
    let view = m.desk().unwrap().find(def.name).is_some();
    let mut out = vec![(Act::View, view)];
    if !view {
        return [Act::Create, Act::Edit, Act::Void].into_iter().fold(out, |mut o, a| {
            o.push((a, false));
            o
        });
    }
    assert!(m.desk_mut().unwrap().show(def.name));
    m.on_key(key(KeyCode::F(2)));
    let screen = m.desk().unwrap().find(def.name).unwrap().0;
    let fkey = match screen {
        frontdesk::model::Screen::Intake => 3,
        frontdesk::model::Screen::Repairs => 5,
        _ => 4,
    };
    m.on_key(key(KeyCode::F(fkey)));
    assert!(m.desk_mut().unwrap().show(def.name));
    m.on_key(key(KeyCode::Home));
    // create: a new form opens
    type_text(&mut m, "n");
    let created = m.desk().unwrap().form().is_some_and(|f| f.is_new());
    out.push((Act::Create, created));
    if created {
        m.on_key(key(KeyCode::Esc));
    }
    // edit: a saved record's own fields (not a step's) can be typed in
    m.on_key(key(KeyCode::Enter));
    let f = m.desk().unwrap().form().expect("the record opens for anyone who sees it");
    let own = def
        .fields
        .iter()
        .position(|fd| !fd.readonly && def.workflow.is_none_or(|wf| wf.is_card(fd.key)))
        .or_else(|| {
            def.fields.iter().position(|fd| !fd.readonly && def.workflow.is_some_and(|wf| wf.anytime.contains(&fd.key)))
        });
    let edit = own.is_some_and(|i| f.editable(i));
    out.push((Act::Edit, edit));
    m.on_key(key(KeyCode::Esc));
    // void: the dialog opens
    type_text(&mut m, "x");
    let void = matches!(m.overlay, Some(Overlay::Form(FormKind::VoidReason, _)));
    out.push((Act::Void, void));
    out
}

#[test]
fn every_role_gets_from_the_model_what_each_register_declares() {
    let (_d, path) = office();
    for (i, r) in Role::ALL.iter().enumerate() {
        let code = format!("r{i}");
        for def in REGISTERS {
            for (act, got) in model_answers(&path, &code, def) {
                // callbacks have no own card field open to edit; their edit is their steps
                if act == Act::Edit && def.name == "callback" {
                    continue;
                }
                assert_eq!(got, access::may(def, act, &[*r]), "{:?} {} {}", r, def.name, act.code());
            }
        }
    }
}

/// Values of a case at `step`, arranged so that only the role decides (the actor is the
/// handler, in the case's department, and proposed nothing).
fn at_step(def: &'static RegisterDef, step: &str, actor: i64) -> Vec<Value> {
    let mut v = if def.name == "complaint" {
        complaint_at(step)
    } else {
        let mut v = callback::scheduled(
            callback::Source {
                register: "complaint",
                number: "C-2026-000001",
                id: 1,
                barred: [&Value::Null, &Value::Null],
            },
            "王小明",
            &text("13812345678"),
            Role::Receptionist,
            NOW + 86_400,
        );
        def.set(&mut v, "step", text(step));
        v
    };
    def.set(&mut v, "handler_id", Value::Ref(actor));
    def.set(&mut v, "department_id", Value::Ref(1));
    def.set(&mut v, "solution", text("免费返工"));
    def.set(&mut v, "proposed_by", Value::Ref(999));
    def.set(&mut v, "call_by", Value::Ref(999));
    v
}

/// What completes each step.
fn fill_step(def: &RegisterDef, step: &str, v: &mut [Value]) {
    let t = |s: &str| text(s);
    let pairs: Vec<(&str, Value)> = match step {
        "decide" => vec![("decision", t("stands")), ("decision_reason", t("属实"))],
        "assign" => vec![("department_id", Value::Ref(1)), ("handler_id", Value::Ref(2))],
        "investigate" => {
            ["cause", "course", "responsible", "conclusion", "measures"].iter().map(|k| (*k, t("x"))).collect()
        }
        "propose" => vec![("solution", t("免费返工并赠送保养"))],
        "approve" => vec![("approval", t("approved"))],
        "inform" => vec![("inform_method", t("word")), ("told_at", Value::Time(NOW)), ("reaction", t("接受"))],
        "close" => vec![("satisfaction", t("satisfied")), ("summary", t("好")), ("improvement", t("核对"))],
        "call" => vec![("called_at", Value::Time(NOW)), ("method", t("phone")), ("satisfaction", Value::Int(4))],
        "review" => vec![("review", t("ok"))],
        _ => vec![],
    };
    for (k, val) in pairs {
        def.set(v, k, val);
    }
}

#[test]
fn every_role_may_complete_exactly_the_steps_declared_for_it() {
    let settings = frontdesk::domain::Settings::default();
    for def in REGISTERS {
        let Some(wf) = def.workflow else { continue };
        for sd in wf.steps {
            for r in Role::ALL {
                let actor = 7;
                let base = frontdesk::domain::register::Record {
                    id: 1,
                    number: "X-2026-000001".into(),
                    version: 1,
                    values: at_step(def, sd.key, actor),
                    created_at: NOW - 7200,
                    created_by: 1,
                    updated_at: None,
                    updated_by: None,
                    voided: None,
                };
                let mut after = base.values.clone();
                fill_step(def, sd.key, &mut after);
                let who = Actor { id: actor, name: "", roles: &[r], department: Some(1) };
                let got =
                    plan(def, Change::Update { base: &base, values: after }, who, &settings, &ctx(), Facts::default());
                let completed = got.as_ref().is_ok_and(|p| p.completed.is_some_and(|s| s.key == sd.key));
                let declared = access::may(def, Act::Step(sd.key), &[r]);
                assert_eq!(completed, declared, "{:?} {} {}: {:?}", r, def.name, sd.key, got.err());
            }
        }
    }
}

fn cli(path: &std::path::Path, args: &[&str]) -> Output {
    run_cli(path, args)
}

#[test]
fn every_role_gets_from_the_command_line_what_each_register_declares() {
    let (d, path) = office();
    for (i, r) in Role::ALL.iter().enumerate() {
        let code = format!("r{i}");
        assert_eq!(role_of(&code), *r);
        for def in REGISTERS {
            // export
            let o = cli(&path, &["export", def.name, "--as", &code]);
            assert_eq!(o.status.success(), access::may(def, Act::Export, &[*r]), "{r:?} export {}", def.name);
            // import: a file with the header only imports nothing, when it is allowed at all
            let csv = d.path().join(format!("{}-{i}.csv", def.name));
            std::fs::write(&csv, "number\n").unwrap();
            let o = cli(&path, &["import", def.name, csv.to_str().unwrap(), "--as", &code]);
            let refused = String::from_utf8_lossy(&o.stderr).contains("do not allow");
            assert_eq!(!refused, access::may(def, Act::Import, &[*r]), "{r:?} import {}", def.name);
        }
        // search: only the registers this role may see (rule I6)
        let o = cli(&path, &["search", "13812345678", "--as", &code]);
        let s = String::from_utf8_lossy(&o.stdout);
        assert_eq!(s.contains("V-2026-000001"), access::may(&visitor::REGISTER, Act::View, &[*r]), "{r:?}: {s}");
        assert_eq!(s.contains("C-2026-000001"), access::may(&complaint::REGISTER, Act::View, &[*r]), "{r:?}: {s}");
    }
}

#[test]
fn rule_i6_a_card_shows_visits_only_to_those_who_may_see_the_register() {
    let (_d, path) = office();
    // the visit is linked to the card
    let mut s = Store::open(&path).unwrap();
    let mut v = visitor("李娜", "13900001111", "看房");
    visitor::REGISTER.set(&mut v, "customer_id", Value::Ref(1));
    s.insert(1, &ctx(), &visitor::REGISTER, &v).unwrap();
    for (code, sees) in [("r0", true), ("r2", false), ("r3", false)] {
        let mut m = model(Store::open(&path).unwrap(), Lang::En);
        login(&mut m, code, "pass123");
        m.on_key(key(KeyCode::F(3)));
        assert!(m.desk_mut().unwrap().show("customer"));
        m.on_key(key(KeyCode::F(3)));
        assert!(m.desk_mut().unwrap().show("customer"));
        m.on_key(key(KeyCode::Home));
        m.on_key(key(KeyCode::Enter));
        let f = m.desk().unwrap().form().expect("the card opens");
        assert_eq!(!f.related.is_empty(), sees, "{code} ({:?})", role_of(code));
    }
}
