//! Shared helpers for the store, model and snapshot tests.
#![allow(dead_code)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub use frontdesk::domain::register::Context;
use frontdesk::domain::{Role, Value, customer, visitor};
use frontdesk::i18n::{I18n, Lang};
use frontdesk::keymap::Keymap;
use frontdesk::model::Model;
use frontdesk::store::{Store, auth::NewOperator};

/// 2026-11-27 10:15 at UTC+8 (a Friday).
pub const NOW: i64 = 1_795_745_700;
pub const OFFSET: i32 = 8 * 3600;

pub fn ctx() -> Context {
    Context::new(NOW, OFFSET)
}

pub fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("frontdesk.sqlite");
    (dir, path)
}

/// A store with an administrator (id 1) and the given extra operators.
pub fn store_with(path: Option<&std::path::Path>, ops: &[(&str, &str, &[Role])]) -> Store {
    let mut s = match path {
        Some(p) => Store::open(p).expect("open"),
        None => Store::open_in_memory().expect("open"),
    };
    if s.operator_count().unwrap() == 0 {
        s.create_operator(
            None,
            NOW,
            &NewOperator {
                code: "admin", name: "管理员", roles: &[Role::Admin, Role::Manager], password: "admin123"
            },
        )
        .unwrap();
    }
    for (code, name, roles) in ops {
        if s.operator_by_code(code).unwrap().is_none() {
            s.create_operator(Some(1), NOW, &NewOperator { code, name, roles, password: "pass123" }).unwrap();
        }
    }
    s
}

pub fn values(def: &frontdesk::domain::RegisterDef, pairs: &[(&str, Value)]) -> Vec<Value> {
    let mut out = vec![Value::Null; def.fields.len()];
    for (k, v) in pairs {
        out[def.index(k).unwrap_or_else(|| panic!("no field {k}"))] = v.clone();
    }
    out
}

pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

pub fn visitor(name: &str, phone: &str, purpose: &str) -> Vec<Value> {
    values(
        &visitor::REGISTER,
        &[
            ("occurred_at", Value::Time(NOW - 600)),
            ("channel", text("walk_in")),
            ("name", text(name)),
            ("phone", if phone.is_empty() { Value::Null } else { text(phone) }),
            ("visitor_class", text("C")),
            ("party_size", Value::Int(2)),
            ("purpose", text(purpose)),
            ("intent", Value::Bool(false)),
            ("intermediary", Value::Bool(false)),
            ("received_by", Value::Ref(1)),
        ],
    )
}

pub fn card(name: &str, phones: &str) -> Vec<Value> {
    values(
        &customer::REGISTER,
        &[
            ("name", text(name)),
            ("phones", text(phones)),
            ("category", text("ordinary")),
            ("grade_provisional", Value::Bool(false)),
        ],
    )
}

pub fn model(store: Store, lang: Lang) -> Model {
    let mut m = Model::new(store, I18n::new(lang), Keymap::default_map(), NOW, OFFSET);
    m.size = (120, 32);
    m
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types text one character at a time, as a keyboard (or an input method) does.
pub fn type_text(m: &mut Model, s: &str) {
    for c in s.chars() {
        m.on_key(key(KeyCode::Char(c)));
    }
}

/// Lets the search box's wait after the last key pass, so what was typed is searched.
pub fn search_settles(m: &mut Model) {
    m.tick_ms(m.now_ms() + frontdesk::model::SEARCH_WAIT_MS);
}

pub fn press(m: &mut Model, codes: &[KeyCode]) {
    for c in codes {
        m.on_key(key(*c));
    }
}

pub fn login(m: &mut Model, code: &str, password: &str) {
    type_text(m, code);
    m.on_key(key(KeyCode::Enter));
    type_text(m, password);
    m.on_key(key(KeyCode::Enter));
}

/// Focuses a field of the open form by pressing Tab until it has the focus.
pub fn focus(m: &mut Model, field: &str) {
    for _ in 0..40 {
        let f = m.desk().and_then(|d| d.form()).expect("a form is open");
        if f.def().key == field {
            return;
        }
        m.on_key(key(KeyCode::Tab));
    }
    panic!("field {field} never got the focus");
}

/// The built binary on `path` with `args`, as an operator whose password is `pass123`
/// (the one `store_with` gives), in English, with nothing on standard input.
pub fn run_cli(path: &std::path::Path, args: &[&str]) -> std::process::Output {
    run_cli_as(path, args, Some("pass123"))
}

/// `run_cli` with `password` in FRONTDESK_PASSWORD, or none.
pub fn run_cli_as(path: &std::path::Path, args: &[&str], password: Option<&str>) -> std::process::Output {
    run_cli_typed(path, args, "", password)
}

/// `run_cli_as`, with `stdin` typed in (a new password asked for).
pub fn run_cli_typed(
    path: &std::path::Path,
    args: &[&str],
    stdin: &str,
    password: Option<&str>,
) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    c.arg("--db").arg(path).args(args).env("LANG", "en_US.UTF-8").env_remove("LC_ALL");
    match password {
        Some(p) => c.env("FRONTDESK_PASSWORD", p),
        None => c.env_remove("FRONTDESK_PASSWORD"),
    };
    let mut child =
        c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run frontdesk");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("frontdesk output")
}
