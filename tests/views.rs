//! What the desk shows comes from what it loaded and from the register declarations: a
//! list's record lookups are labelled once per page (drawing never reads the store), and
//! a register's screen is titled by its register.

mod support;

use crossterm::event::KeyCode;
use frontdesk::domain::{Role, Value, customer, visitor};
use frontdesk::i18n::Lang;
use frontdesk::model::desk::display;
use frontdesk::store::Store;
use support::*;

#[test]
fn a_record_lookup_is_labelled_from_the_page_until_the_page_reloads() {
    let (_d, path) = temp_db();
    let mut s = store_with(Some(&path), &[("desk1", "王芳", &[Role::Receptionist])]);
    let (card, _) = s.insert(1, &ctx(), &customer::REGISTER, &card("王先生", "13812345678")).unwrap();
    let mut v = visitor("王先生", "13812345678", "看车");
    v[visitor::REGISTER.index("customer_id").unwrap()] = Value::Ref(card);
    s.insert(1, &ctx(), &visitor::REGISTER, &v).unwrap();
    let before = customer::REGISTER.record_label(&s.get(&customer::REGISTER, card).unwrap());
    drop(s);

    let mut m = model(Store::open(&path).unwrap(), Lang::Zh);
    login(&mut m, "desk1", "pass123");
    m.on_key(key(KeyCode::F(3)));
    let view = m.desk().unwrap().view().unwrap();
    assert_eq!(view.def.name, "visitor");
    assert_eq!(view.list.labels.get(&("customer", card)), Some(&before), "the page carries the card's label");
    let field = &visitor::REGISTER.fields[visitor::REGISTER.index("customer_id").unwrap()];
    assert_eq!(display(&m, field, &Value::Ref(card)), before);
    assert!(before.contains("王先生"), "{before}");

    // another desk renames the card: what is drawn is the page's, until the page reloads
    let mut other = Store::open(&path).unwrap();
    let rec = other.get(&customer::REGISTER, card).unwrap();
    let mut renamed = rec.values.clone();
    renamed[customer::REGISTER.index("name").unwrap()] = text("王小明");
    other.update(1, &ctx(), &customer::REGISTER, &rec, &renamed).unwrap();
    assert_eq!(display(&m, field, &Value::Ref(card)), before, "drawing does not read the store");
    // a record the page never loaded is drawn by its id, not read
    assert_eq!(display(&m, field, &Value::Ref(card + 99)), format!("#{}", card + 99));

    m.tick(NOW + 1);
    let after = display(&m, field, &Value::Ref(card));
    assert!(after.contains("王小明") && after != before, "reloaded: {after}");
}

/// The help's heading names the register shown, as its declaration names it.
#[test]
fn every_register_screen_is_titled_by_its_register() {
    let (_d, path) = temp_db();
    store_with(Some(&path), &[("boss", "陈总", &[Role::Manager, Role::Supervisor])]);
    let mut m = model(Store::open(&path).unwrap(), Lang::En);
    login(&mut m, "boss", "pass123");
    let mut seen = Vec::new();
    for screen in [KeyCode::F(3), KeyCode::F(4)] {
        m.on_key(key(screen));
        let tabs = m.desk().unwrap().board().unwrap().views.len();
        for _ in 0..tabs {
            let name = m.desk().unwrap().view().unwrap().def.name;
            assert_eq!(m.commands().title, format!("register.{name}"));
            seen.push(name);
            m.on_key(key(KeyCode::Tab));
        }
    }
    seen.sort();
    assert_eq!(seen, ["callback", "complaint", "customer", "visitor"]);
}
