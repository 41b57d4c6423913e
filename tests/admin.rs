//! The first-run setup and the Admin screen (F8), by keys as an administrator types them.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::Role;
use frontdesk::i18n::Lang;
use frontdesk::model::{Confirm, Model, Overlay, Phase};
use frontdesk::store::Store;
use support::*;

const DESK: &[(&str, &str, &[Role])] = &[("desk1", "王芳", &[Role::Receptionist])];

fn admin_model(store: Store) -> Model {
    let mut m = model(store, Lang::En);
    login(&mut m, "admin", "admin123");
    assert!(m.desk().is_some());
    m.on_key(key(KeyCode::F(8)));
    m
}

fn errors(m: &Model) -> Vec<(&'static str, &'static str)> {
    let f = match &m.phase {
        Phase::Setup(f) => f,
        _ => m.desk().and_then(|d| d.form()).expect("a form is open"),
    };
    f.fields.iter().zip(&f.values).filter_map(|(d, v)| v.error.as_ref().map(|e| (d.key, e.key))).collect()
}

fn status(m: &Model) -> String {
    m.status.as_ref().map(|s| s.text.clone()).unwrap_or_default()
}

#[test]
fn the_setup_shows_every_problem_at_once() {
    let mut m = model(Store::open_in_memory().unwrap(), Lang::En);
    type_text(&mut m, "王芳");
    m.on_key(key(KeyCode::Enter));
    m.on_key(key(KeyCode::Enter));
    type_text(&mut m, "123456");
    m.on_key(key(KeyCode::Enter));
    type_text(&mut m, "654321");
    m.on_key(key(KeyCode::Enter));
    assert!(matches!(m.phase, Phase::Setup(_)));
    assert_eq!(
        errors(&m),
        vec![
            ("code", "err.operator.code"),
            ("name", "err.required"),
            ("password", "err.password.short"),
            ("password2", "err.password.mismatch"),
        ]
    );
    let Phase::Setup(f) = &mut m.phase else { unreachable!() };
    f.set("code", "wangfang", None);
    f.set("name", "王芳", None);
    f.set("password", "longpass1", None);
    f.set("password2", "longpass1", None);
    m.on_key(ctrl('s'));
    let d = m.desk().expect("at the desk");
    assert!(d.op.roles.contains(&Role::Admin), "the first operator administers");
}

#[test]
fn the_operator_form_shows_every_problem_at_once() {
    let mut m = admin_model(store_with(None, DESK));
    type_text(&mut m, "n");
    type_text(&mut m, "desk1");
    focus(&mut m, "password");
    type_text(&mut m, "short");
    m.on_key(key(KeyCode::Tab));
    type_text(&mut m, "other");
    m.on_key(ctrl('s'));
    assert_eq!(
        errors(&m),
        vec![
            ("code", "err.operator.exists"),
            ("name", "err.required"),
            ("roles", "err.operator.no_role"),
            ("password", "err.password.short"),
            ("password2", "err.password.mismatch"),
        ]
    );
    assert!(status(&m).contains("5 field(s)"), "{}", status(&m));
    assert_eq!(m.desk().unwrap().form().unwrap().def().key, "code", "the focus is on the first");
    assert_eq!(m.store.operator_count().unwrap(), 2, "nobody was added");
}

#[test]
fn esc_on_a_changed_operator_form_asks_first_and_leaves_no_stale_error() {
    let mut m = admin_model(store_with(None, DESK));
    type_text(&mut m, "n");
    type_text(&mut m, "desk1");
    m.on_key(ctrl('s'));
    assert!(!status(&m).is_empty(), "the refusal is said");
    m.on_key(key(KeyCode::Esc));
    assert!(matches!(m.overlay, Some(Overlay::Confirm(Confirm::Discard))), "a changed form asks");
    assert!(m.status.is_none(), "the old error is gone");
    m.on_key(key(KeyCode::Char('n')));
    assert!(m.desk().unwrap().form().is_some(), "any other key keeps editing");
    assert_eq!(m.desk().unwrap().form().unwrap().raw("code"), "desk1");
    m.on_key(key(KeyCode::Esc));
    m.on_key(key(KeyCode::Char('y')));
    assert!(m.desk().unwrap().form().is_none(), "y discards");
    // an untouched form closes at once
    m.on_key(key(KeyCode::Enter));
    assert!(m.desk().unwrap().form().is_some());
    m.on_key(key(KeyCode::Esc));
    assert!(m.overlay.is_none() && m.desk().unwrap().form().is_none());
}

#[test]
fn an_operator_gets_a_department_by_type_ahead_but_not_a_retired_one() {
    let mut s = store_with(None, DESK);
    let after_sales = s.add_department(1, NOW, "售后服务部").unwrap();
    let old = s.add_department(1, NOW, "售前部").unwrap();
    s.set_department_retired(1, NOW, old, true).unwrap();
    let mut m = admin_model(s);
    type_text(&mut m, "n");
    type_text(&mut m, "lina");
    m.on_key(key(KeyCode::Tab));
    type_text(&mut m, "李娜");
    m.on_key(key(KeyCode::Tab));
    type_text(&mut m, "r");
    focus(&mut m, "department");
    type_text(&mut m, "售");
    let hits: Vec<String> =
        m.desk().unwrap().form().unwrap().suggest.as_ref().unwrap().hits.iter().map(|h| h.label.clone()).collect();
    assert_eq!(hits, ["售后服务部"], "a retired department is not offered");
    m.on_key(key(KeyCode::Down));
    m.on_key(key(KeyCode::Enter));
    assert_eq!(m.desk().unwrap().form().unwrap().raw("department"), "售后服务部");
    focus(&mut m, "password");
    type_text(&mut m, "longpass1");
    m.on_key(key(KeyCode::Tab));
    type_text(&mut m, "longpass1");
    m.on_key(ctrl('s'));
    let op = m.store.operator_by_code("lina").unwrap().expect("created");
    assert_eq!(op.department_id, Some(after_sales));
    // opened again, the form shows it; a name typed that is no department is refused
    m.on_key(key(KeyCode::End));
    m.on_key(key(KeyCode::Enter));
    let f = m.desk().unwrap().form().unwrap();
    assert_eq!(f.raw("code"), "lina");
    assert_eq!(f.raw("department"), "售后服务部");
    focus(&mut m, "department");
    m.on_key(ctrl('u'));
    type_text(&mut m, "市场部");
    m.on_key(ctrl('s'));
    assert_eq!(errors(&m), vec![("department", "err.lookup.pick")]);
}

#[test]
fn departments_open_to_be_renamed_and_x_retires_them() {
    let mut s = store_with(None, DESK);
    let id = s.add_department(1, NOW, "售后服杨部").unwrap();
    let mut m = admin_model(s);
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Enter));
    let f = m.desk().unwrap().form().expect("Enter opens the department");
    assert_eq!(f.raw("name"), "售后服杨部");
    for _ in 0..2 {
        m.on_key(key(KeyCode::Backspace));
    }
    type_text(&mut m, "务部");
    m.on_key(ctrl('s'));
    assert!(m.desk().unwrap().form().is_none(), "{}", status(&m));
    assert_eq!(m.store.departments().unwrap(), vec![(id, "售后服务部".to_string())]);
    m.on_key(key(KeyCode::Char('x')));
    assert!(m.store.department_list().unwrap()[0].retired, "{}", status(&m));
    assert!(status(&m).contains("retired"), "{}", status(&m));
    assert!(m.desk().unwrap().admin.departments[0].retired, "the list shows it");
    m.on_key(key(KeyCode::Char('x')));
    assert!(!m.store.department_list().unwrap()[0].retired, "x again offers it again");
}

fn screen(m: &mut Model, w: u16, h: u16) -> String {
    m.resize(w, h);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| frontdesk::ui::draw(f, m)).unwrap();
    t.backend().to_string()
}

fn office_in_chinese() -> Model {
    let mut s = store_with(
        None,
        &[("desk1", "王芳芳", &[Role::Receptionist]), ("chenzong", "陈总", &[Role::Manager, Role::Supervisor])],
    );
    let dep = s.add_department(1, NOW, "售后服务部").unwrap();
    let old = s.add_department(1, NOW, "前台接待组").unwrap();
    let mut op = s.operator_by_code("desk1").unwrap().unwrap();
    op.department_id = Some(dep);
    s.update_operator(1, NOW, &op).unwrap();
    s.set_department_retired(1, NOW, old, true).unwrap();
    let mut m = model(s, Lang::Zh);
    login(&mut m, "admin", "admin123");
    m.on_key(key(KeyCode::F(8)));
    m
}

#[test]
fn admin_operators_with_departments_in_chinese_at_80x24() {
    let mut m = office_in_chinese();
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn admin_departments_in_chinese_at_80x24() {
    let mut m = office_in_chinese();
    m.on_key(key(KeyCode::Tab));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn a_refused_operator_form_in_chinese_at_80x24() {
    let mut m = office_in_chinese();
    type_text(&mut m, "n");
    type_text(&mut m, "王芳");
    focus(&mut m, "password");
    type_text(&mut m, "123");
    m.on_key(ctrl('s'));
    insta::assert_snapshot!(screen(&mut m, 80, 24));
}

#[test]
fn of_two_terminals_on_the_first_run_screen_the_second_is_sent_to_log_in() {
    let (_d, path) = temp_db();
    let mut a = model(Store::open(&path).unwrap(), Lang::En);
    let mut b = model(Store::open(&path).unwrap(), Lang::En);
    for (m, code) in [(&mut a, "first"), (&mut b, "second")] {
        let Phase::Setup(f) = &mut m.phase else { panic!("both start on the first-run screen") };
        f.set("code", code, None);
        f.set("name", code, None);
        f.set("password", "longpass1", None);
        f.set("password2", "longpass1", None);
    }
    a.on_key(ctrl('s'));
    b.on_key(ctrl('s'));
    assert!(a.desk().is_some_and(|d| d.op.roles.contains(&Role::Admin)));
    assert!(matches!(b.phase, Phase::Login(_)), "the second creates nobody");
    assert!(status(&b).contains("exists already"), "{}", status(&b));
    assert_eq!(b.store.operator_count().unwrap(), 1);
}

#[test]
fn d19_a_new_office_speaks_its_first_operators_language_and_weekdays_read_in_it() {
    use frontdesk::domain::settings::{LANGUAGE, WEEKEND};
    let mut m = model(Store::open_in_memory().unwrap(), Lang::Zh);
    let Phase::Setup(f) = &mut m.phase else { panic!("a new database starts with the setup") };
    f.set("code", "lina", None);
    f.set("name", "李娜", None);
    f.set("password", "longpass1", None);
    f.set("password2", "longpass1", None);
    m.on_key(ctrl('s'));
    assert!(m.desk().is_some(), "{}", status(&m));
    // terminals whose environment names no language (C, POSIX over SSH) follow the office
    assert_eq!(m.store.settings().unwrap().get(LANGUAGE), "zh-CN");
    m.on_key(key(KeyCode::F(8)));
    m.on_key(key(KeyCode::Tab));
    m.on_key(key(KeyCode::Tab));
    let a = &m.desk().unwrap().admin;
    let at = a.settings.iter().position(|(k, _, _)| *k == WEEKEND).expect("the weekend is a setting");
    assert_eq!(a.settings[at].1, "周六、周日", "read in the operator's language");
    m.desk_mut().unwrap().admin.selected = at;
    m.on_key(key(KeyCode::Enter));
    let f = m.desk().unwrap().form().expect("Enter opens the setting");
    assert_eq!(f.raw("value"), "周六、周日");
    for _ in 0.."周六、周日".chars().count() {
        m.on_key(key(KeyCode::Backspace));
    }
    type_text(&mut m, "周五、周六");
    m.on_key(ctrl('s'));
    assert_eq!(m.store.settings().unwrap().get(WEEKEND), "fri,sat", "{}", status(&m));
    assert_eq!(m.desk().unwrap().admin.settings[at].1, "周五、周六");
}
