//! Drafts outlive the schema they were typed under: kept by field name, a draft written
//! before a migration added, removed or moved a field still restores, and saving it
//! merges against the record as it was, never crashes.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::{Role, Value, complaint, visitor};
use frontdesk::i18n::Lang;
use frontdesk::store::Store;
use support::*;

const DESK: &[(&str, &str, &[Role])] = &[("desk1", "王芳", &[Role::Receptionist])];

/// A draft as an older version wrote it: the fields it knew by name (one the register
/// no longer has, none of the ones added since), and its base record likewise.
fn old_named_draft(base_id: i64, version: i64, base: &[(&str, Value)]) -> String {
    let field = |raw: &str| serde_json::json!({ "raw": raw, "caret": raw.chars().count(), "pick": null });
    let named = serde_json::json!([
        ["name", field("王芳")],
        ["purpose", field("咨询租赁（补充：下午再来）")],
        ["a_field_since_removed", field("旧内容")],
    ]);
    let base: Vec<serde_json::Value> =
        base.iter().map(|(k, v)| serde_json::json!([k, serde_json::to_value(v).unwrap()])).collect();
    serde_json::json!({
        "named": named,
        "focus": 3,
        "base_id": base_id,
        "base_version": version,
        "base_named": base,
    })
    .to_string()
}

#[test]
fn a_draft_from_before_a_field_was_added_restores_and_saves() {
    let (_d, path) = temp_db();
    let mut s = store_with(Some(&path), DESK);
    let (id, _) = s.insert(2, &ctx(), &visitor::REGISTER, &visitor("王芳", "13812345678", "咨询租赁")).unwrap();
    let r = s.get(&visitor::REGISTER, id).unwrap();
    // the base as the old version saw it: only some of today's fields
    let base = [("name", Value::Text("王芳".into())), ("purpose", Value::Text("咨询租赁".into()))];
    s.save_draft(2, &format!("visitor:{id}"), "visitor", Some(id), &old_named_draft(id, r.version, &base), NOW)
        .unwrap();
    let mut m = model(Store::open(&path).unwrap(), Lang::En);
    login(&mut m, "desk1", "pass123");
    let f = m.desk().unwrap().form().expect("the draft came back");
    assert_eq!(f.raw("purpose"), "咨询租赁（补充：下午再来）");
    assert_eq!(f.raw("phone"), "138 1234 5678", "a field the draft did not know keeps the record's value");
    m.on_key(ctrl('s'));
    let saved = m.store.get(&visitor::REGISTER, id).unwrap();
    assert_eq!(visitor::REGISTER.value(&saved.values, "purpose"), &Value::Text("咨询租赁（补充：下午再来）".into()));
    assert_eq!(visitor::REGISTER.value(&saved.values, "phone"), &Value::Text("13812345678".into()));
}

#[test]
fn a_positional_draft_of_another_shape_never_crashes_the_desk() {
    let (_d, path) = temp_db();
    let mut s = store_with(Some(&path), DESK);
    let (id, _) = s
        .insert(2, &ctx(), &complaint::REGISTER, &{
            let mut v = vec![Value::Null; complaint::FIELDS.len()];
            complaint::REGISTER.set(&mut v, "step", Value::Text("decide".into()));
            complaint::REGISTER.set(&mut v, "subject", Value::Text("宝马X5".into()));
            v
        })
        .unwrap();
    // written by positions for a register with fewer fields, its base likewise
    let old = serde_json::json!({
        "values": [{ "raw": "x", "caret": 1, "pick": null }],
        "focus": 40,
        "base_id": id,
        "base_version": 1,
        "base_values": [{ "t": "Text", "v": "宝马X5" }],
    })
    .to_string();
    s.save_draft(2, &format!("complaint:{id}"), "complaint", Some(id), &old, NOW).unwrap();
    let mut m = model(Store::open(&path).unwrap(), Lang::En);
    login(&mut m, "desk1", "pass123");
    m.on_key(key(KeyCode::F(2)));
    m.on_key(key(KeyCode::Enter));
    m.on_key(ctrl('s'));
    assert!(m.desk().is_some(), "still at the desk");
}
