//! The visitor & caller register (客户信息登记表): rules I1, I2, I3, I5.

use super::access::Access;
use super::customer;
use super::register::{
    Cond, Context, Derived, FieldDef, FilterDef, LinkDef, Lookup, PickDef, Problems, Record, RegisterDef,
};
use super::roles::Role::{GeneralManager, Manager, Receptionist, Supervisor};
use super::settings::{self, Settings};
use super::{FieldKind as K, Msg, Value};

pub const CHANNELS: &[&str] = &["walk_in", "phone", "hotline", "web", "call_centre"];
pub const CLASSES: &[&str] = &["A", "B", "C", "D"];

pub const FIELDS: &[FieldDef] = &[
    FieldDef::new("occurred_at", K::DateTime).required().list(11).default("@now"),
    FieldDef::new("channel", K::Choice { list: "channel", codes: CHANNELS }).required().list(8).default("walk_in"),
    FieldDef::new("name", K::Text { max: 60 })
        .required()
        .list(14)
        .search()
        .suggest(Lookup::Record(&customer::REGISTER)),
    FieldDef::new("phone", K::Phone).list(13).search(),
    FieldDef::new("organisation", K::Text { max: 100 }).list(16).search(),
    FieldDef::new("visitor_class", K::Choice { list: "class", codes: CLASSES }).required().list(3).default("D"),
    FieldDef::new("party_size", K::Int { min: 1, max: 999 }).required().default("1"),
    FieldDef::new("purpose", K::Multi { max: 500 }).required().list(24).search(),
    FieldDef::new("intent", K::YesNo).list(4),
    FieldDef::new("intermediary", K::YesNo),
    FieldDef::new("intermediary_name", K::Text { max: 60 }).search(),
    FieldDef::new("staff_id", K::Lookup(Lookup::Operator)),
    FieldDef::new("customer_id", K::Lookup(Lookup::Record(&customer::REGISTER))),
    FieldDef::new("received_by", K::Lookup(Lookup::Operator)).readonly().default("@me"),
    // rule I3: entered after the day's register was due complete
    FieldDef::new("late_entry", K::YesNo).readonly(),
];

pub const FILTERS: &[FilterDef] = &[
    FilterDef { key: "filter.all", cond: Cond::All },
    FilterDef { key: "filter.today", cond: Cond::Today("occurred_at") },
    FilterDef { key: "filter.intent", cond: Cond::IsTrue("intent") },
    FilterDef { key: "filter.current", cond: Cond::NotVoided },
    FilterDef { key: "filter.voided", cond: Cond::Voided },
];

/// Rule I6: the register is confidential; copying it needs the general manager.
pub const ACCESS: Access = Access {
    view: &[Receptionist, Supervisor, Manager, GeneralManager],
    create: &[Receptionist, Supervisor, Manager],
    edit: &[Receptionist, Supervisor, Manager],
    void: &[Supervisor, Manager, GeneralManager],
    export: &[GeneralManager],
    import: &[Manager, GeneralManager],
    barred: &[],
    confidential: None,
};

pub const REGISTER: RegisterDef = RegisterDef {
    filters: FILTERS,
    check,
    derived,
    narrow_drop: &["organisation", "channel", "intent", "visitor_class"],
    pick: Some(PickDef {
        from: Lookup::Record(&customer::REGISTER),
        fills: &[
            ("name", "name"),
            ("phone", "phones"),
            ("organisation", "organisation"),
            ("staff_id", "staff_id"),
            ("customer_id", "@record"),
        ],
    }),
    prepare: Some(prepare_entry),
    link: Some(LinkDef { field: "customer_id", target: &customer::REGISTER, phone: "phone", build: card_from_entry }),
    ..RegisterDef::new("visitor", "V", "name", FIELDS, ACCESS)
};

/// A customer card built from a visitor entry (name, phone, organisation, staff), for a
/// visitor who left contact details; a courier who left none gets no card, nor does a
/// delegation (rule I2's large party, more than 10: its name is the delegation's, not a
/// customer's). An intent customer (rule I3) starts as a potential customer. The
/// card's staff member is the one the visitor named, else the operator on duty who took
/// them in (rule I4).
pub fn card_from_entry(values: &[Value], s: &Settings, actor: i64) -> Option<Vec<Value>> {
    let v = |k| REGISTER.value(values, k).clone();
    if v("name").is_null() || v("phone").is_null() {
        return None;
    }
    if v("party_size").as_i64().unwrap_or(1) > s.int(settings::ESCORT_TWO_UP_TO) {
        return None;
    }
    let category = if v("intent").as_bool() { "potential" } else { "ordinary" };
    let staff = v("staff_id");
    Some(customer::new_card(vec![
        ("name", v("name")),
        ("organisation", v("organisation")),
        ("phones", v("phone")),
        ("category", Value::Text(category.into())),
        ("staff_id", if staff.is_null() && actor != 0 { Value::Ref(actor) } else { staff }),
    ]))
}

/// Rule I1: who hosts a visitor of each class.
pub fn host_key(class: &str) -> Option<&'static str> {
    Some(match class {
        "A" => "host.top_management",
        "B" => "host.director",
        "C" => "host.manager",
        "D" => "host.supervisor",
        _ => return None,
    })
}

/// Rule I1: the hospitality budget per head, in currency units.
pub fn budget_per_head(class: &str, s: &Settings) -> Option<i64> {
    let key = match class {
        "A" => settings::BUDGET_A,
        "B" => settings::BUDGET_B,
        "C" => settings::BUDGET_C,
        "D" => settings::BUDGET_D,
        _ => return None,
    };
    Some(s.int(key))
}

/// Rule I2: escorts for a party: fewer than 5 guests, 1; 5 to 10, 2; more than 10, "3 or
/// more". The handbook gives only a minimum for large parties; the office's reading is
/// one further escort for each further `visitor.escort_guests_per_extra` guests (0: no
/// more than the minimum). Returns the number and whether it is a minimum.
pub fn escorts(party: i64, s: &Settings) -> (i64, bool) {
    let up_to = s.int(settings::ESCORT_TWO_UP_TO);
    if party < s.int(settings::ESCORT_ONE_BELOW) {
        (1, false)
    } else if party <= up_to {
        (2, false)
    } else {
        let per = s.int(settings::ESCORT_GUESTS_PER_EXTRA);
        let extra = if per > 0 { (party - up_to - 1) / per } else { 0 };
        (3 + extra, true)
    }
}

/// Rule I1: hosting, budget and escorts are for guests who come in; a caller on the phone,
/// the hotline or the web is not hosted.
fn is_walk_in(values: &[Value]) -> bool {
    REGISTER.value(values, "channel").as_text() == Some("walk_in")
}

fn derived(values: &[Value], s: &Settings) -> Derived {
    let class = REGISTER.value(values, "visitor_class").as_text().unwrap_or("").to_string();
    // No figures from a party size that is not one (0, -3, abc): never a stale guess.
    let party = REGISTER.value(values, "party_size").as_i64().filter(|p| *p >= 1);
    let mut out = Vec::new();
    if is_walk_in(values)
        && let Some(party) = party
    {
        if let (Some(host), Some(per_head)) = (host_key(&class), budget_per_head(&class, s)) {
            out.push(Msg::new("visitor.derived.host").with("host", host));
            out.push(
                Msg::new("visitor.derived.budget")
                    .with("per_head", per_head)
                    .with("party", party)
                    .with("total", per_head * party),
            );
        }
        let (n, minimum) = escorts(party, s);
        let key = if minimum { "visitor.derived.escorts_at_least" } else { "visitor.derived.escorts" };
        out.push(Msg::new(key).with("n", n));
    }
    if REGISTER.value(values, "late_entry").as_bool() {
        out.push(Msg::new("visitor.derived.late_entry"));
    }
    out
}

fn check(rec: &Record, _s: &Settings, ctx: &Context) -> Problems {
    let v = |k| REGISTER.value(&rec.values, k);
    let mut out = Vec::new();
    // rule I3: an intent customer is one who left contact details
    if v("intent").as_bool() && v("phone").is_null() {
        out.push(("phone", Msg::new("err.visitor.intent_needs_phone")));
    }
    // rule I5: naming the intermediary only makes sense when there was one
    if !v("intermediary").as_bool() && !v("intermediary_name").is_null() {
        out.push(("intermediary", Msg::new("err.visitor.intermediary_flag")));
    }
    // An entry is for something that happened: not in the future beyond a few minutes.
    if let Value::Time(t) = v("occurred_at")
        && let Some(m) = super::register::in_future(*t, ctx.now)
    {
        out.push(("occurred_at", m));
    }
    out
}

/// Rule I3: a new entry for a day whose register was due complete (by the close hour
/// the next morning) is marked as entered late; it is still taken, never refused.
/// What an entry says of itself: an intermediary named was an intermediary (rule I5),
/// and a new entry typed after its day's register closed is late (rule I3).
fn prepare_entry(values: &mut [Value], ctx: &Context, s: &Settings) {
    if !REGISTER.value(values, "intermediary_name").is_null() {
        REGISTER.set(values, "intermediary", Value::Bool(true));
    }
    if !ctx.new {
        return;
    }
    let late = match REGISTER.value(values, "occurred_at") {
        Value::Time(t) => entered_late(super::register::to_local(*t, ctx.offset), ctx.local_now(), s),
        _ => false,
    };
    REGISTER.set(values, "late_entry", Value::Bool(late));
}

/// Rule I3: the day's register is complete by end of day, exceptions until the close hour
/// the next morning. Returns true when an entry for `occurred` (local) typed at `now`
/// (local) is late.
pub fn entered_late(occurred: chrono::NaiveDateTime, now: chrono::NaiveDateTime, s: &Settings) -> bool {
    let close_hour = s.int(settings::REGISTER_CLOSE_HOUR) as u32;
    let deadline = occurred.date().succ_opt().and_then(|d| d.and_hms_opt(close_hour, 0, 0)).unwrap_or(occurred);
    now > deadline
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::register::check_record;
    use std::collections::BTreeMap;

    fn settings() -> Settings {
        Settings::default()
    }

    fn record(pairs: &[(&str, Value)]) -> Record {
        let mut values = vec![Value::Null; FIELDS.len()];
        for (k, v) in pairs {
            values[REGISTER.index(k).unwrap()] = v.clone();
        }
        Record {
            id: 0,
            number: String::new(),
            version: 0,
            values,
            created_at: 0,
            created_by: 1,
            updated_at: None,
            updated_by: None,
            voided: None,
        }
    }

    fn ctx() -> Context {
        Context::new(1_795_745_700, 8 * 3600)
    }

    #[test]
    fn rule_i1_class_sets_host_and_budget() {
        let s = settings();
        assert_eq!(host_key("A"), Some("host.top_management"));
        assert_eq!(host_key("B"), Some("host.director"));
        assert_eq!(host_key("C"), Some("host.manager"));
        assert_eq!(host_key("D"), Some("host.supervisor"));
        assert_eq!(budget_per_head("A", &s), Some(500));
        assert_eq!(budget_per_head("B", &s), Some(300));
        assert_eq!(budget_per_head("C", &s), Some(200));
        assert_eq!(budget_per_head("D", &s), Some(150));
    }

    #[test]
    fn rule_i1_budget_is_a_setting() {
        let mut m = BTreeMap::new();
        m.insert(settings::BUDGET_A.to_string(), "800".to_string());
        assert_eq!(budget_per_head("A", &Settings::from_stored(m)), Some(800));
    }

    #[test]
    fn rule_i1_derived_budget_multiplies_by_party() {
        let r = record(&[
            ("channel", Value::Text("walk_in".into())),
            ("visitor_class", Value::Text("B".into())),
            ("party_size", Value::Int(4)),
        ]);
        let d = derived(&r.values, &settings());
        let budget = d.iter().find(|m| m.key == "visitor.derived.budget").unwrap();
        assert!(budget.args.contains(&("total", "1200".to_string())));
    }

    #[test]
    fn rule_i2_escorts_by_party_size() {
        let s = settings();
        assert_eq!(escorts(1, &s), (1, false));
        assert_eq!(escorts(4, &s), (1, false));
        assert_eq!(escorts(5, &s), (2, false));
        assert_eq!(escorts(10, &s), (2, false));
        assert_eq!(escorts(11, &s), (3, true));
        assert_eq!(escorts(20, &s), (3, true));
        assert_eq!(escorts(21, &s), (4, true));
        assert_eq!(escorts(50, &s), (6, true));
        assert_eq!(escorts(500, &s), (51, true));
    }

    #[test]
    fn rule_i2_more_than_ten_is_a_minimum_of_three() {
        let mut m = BTreeMap::new();
        m.insert(settings::ESCORT_GUESTS_PER_EXTRA.to_string(), "0".to_string());
        let s = Settings::from_stored(m);
        assert_eq!(escorts(11, &s), (3, true));
        assert_eq!(escorts(500, &s), (3, true));
        assert_eq!(escorts(10, &s), (2, false));
    }

    #[test]
    fn rule_i2_escorts_per_extra_guests_is_a_setting() {
        let mut m = BTreeMap::new();
        m.insert(settings::ESCORT_GUESTS_PER_EXTRA.to_string(), "5".to_string());
        let s = Settings::from_stored(m);
        assert_eq!(escorts(15, &s), (3, true));
        assert_eq!(escorts(16, &s), (4, true));
    }

    fn derived_keys(pairs: &[(&str, Value)]) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
        derived(&record(pairs).values, &settings()).into_iter().map(|m| (m.key, m.args)).collect()
    }

    fn walk_in(party: Value) -> Vec<(&'static str, Value)> {
        vec![
            ("channel", Value::Text("walk_in".into())),
            ("visitor_class", Value::Text("D".into())),
            ("party_size", party),
        ]
    }

    #[test]
    fn rule_i2_derived_text_at_4_5_10_11_50_500() {
        for (party, key, n) in [
            (4, "visitor.derived.escorts", "1"),
            (5, "visitor.derived.escorts", "2"),
            (10, "visitor.derived.escorts", "2"),
            (11, "visitor.derived.escorts_at_least", "3"),
            (50, "visitor.derived.escorts_at_least", "6"),
            (500, "visitor.derived.escorts_at_least", "51"),
        ] {
            let d = derived_keys(&walk_in(Value::Int(party)));
            let (_, args) = d.iter().find(|(k, _)| k.starts_with("visitor.derived.escorts")).unwrap();
            assert!(d.iter().any(|(k, _)| *k == key), "{party}: {d:?}");
            assert_eq!(args, &vec![("n", n.to_string())], "{party}");
        }
    }

    #[test]
    fn rule_i1_callers_are_not_hosted() {
        for channel in ["phone", "hotline", "web", "call_centre"] {
            let d = derived_keys(&[
                ("channel", Value::Text(channel.into())),
                ("visitor_class", Value::Text("A".into())),
                ("party_size", Value::Int(6)),
            ]);
            assert!(d.is_empty(), "{channel}: {d:?}");
        }
        let d = derived_keys(&walk_in(Value::Int(6)));
        let keys: Vec<&str> = d.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec!["visitor.derived.host", "visitor.derived.budget", "visitor.derived.escorts"]);
    }

    #[test]
    fn rule_i1_no_figures_without_a_valid_party_size() {
        // a field that did not parse (abc, 1000) reaches the rules as Null
        for party in [Value::Null, Value::Int(0), Value::Int(-3)] {
            let d = derived_keys(&walk_in(party.clone()));
            assert!(d.is_empty(), "{party:?}: {d:?}");
        }
    }

    #[test]
    fn rule_i3_intent_customer_left_contact_details() {
        let r = record(&[("intent", Value::Bool(true))]);
        let p = check(&r, &settings(), &ctx());
        assert!(p.iter().any(|(f, m)| *f == "phone" && m.key == "err.visitor.intent_needs_phone"));
        let r = record(&[("intent", Value::Bool(true)), ("phone", Value::Text("13812345678".into()))]);
        assert!(check(&r, &settings(), &ctx()).is_empty());
    }

    #[test]
    fn rule_i3_register_complete_by_ten_next_morning() {
        let s = settings();
        let at = |d: &str| chrono::NaiveDateTime::parse_from_str(d, "%Y-%m-%d %H:%M").unwrap();
        assert!(!entered_late(at("2026-11-26 17:00"), at("2026-11-26 23:00"), &s));
        assert!(!entered_late(at("2026-11-26 17:00"), at("2026-11-27 09:59"), &s));
        assert!(entered_late(at("2026-11-26 17:00"), at("2026-11-27 10:01"), &s));
    }

    #[test]
    fn rule_i5_naming_an_intermediary_ticks_the_flag() {
        let mut r = record(&[("intermediary_name", Value::Text("链家".into()))]);
        assert!(check(&r, &settings(), &ctx()).iter().any(|(f, _)| *f == "intermediary"));
        prepare_entry(&mut r.values, &ctx(), &settings());
        assert_eq!(REGISTER.value(&r.values, "intermediary"), &Value::Bool(true));
        assert!(check(&r, &settings(), &ctx()).is_empty());
        let r = record(&[("intermediary", Value::Bool(true)), ("intermediary_name", Value::Text("链家".into()))]);
        assert!(check(&r, &settings(), &ctx()).is_empty());
    }

    #[test]
    fn required_fields_are_named() {
        let r = record(&[]);
        let p = check_record(&REGISTER, &r, &settings(), &ctx());
        for k in ["occurred_at", "channel", "name", "visitor_class", "party_size", "purpose"] {
            assert!(p.iter().any(|(f, m)| *f == k && m.key == "err.required"), "{k}");
        }
    }

    #[test]
    fn rule_i3_intent_visitor_becomes_a_potential_customer_card() {
        let r = record(&[
            ("name", Value::Text("王小明".into())),
            ("phone", Value::Text("13812345678".into())),
            ("intent", Value::Bool(true)),
        ]);
        let card = card_from_entry(&r.values, &settings(), 7).unwrap();
        let c = &customer::REGISTER;
        assert_eq!(c.value(&card, "name"), &Value::Text("王小明".into()));
        assert_eq!(c.value(&card, "phones"), &Value::Text("13812345678".into()));
        assert_eq!(c.value(&card, "category"), &Value::Text("potential".into()));
        assert!(card_from_entry(&record(&[]).values, &settings(), 7).is_none());
        // rule I4: the visitor named nobody, so the card is the operator's on duty
        assert_eq!(c.value(&card, "staff_id"), &Value::Ref(7));
    }

    #[test]
    fn rule_i2_i4_a_delegation_gets_no_customer_card_but_the_contact_of_a_party_does() {
        let party = |n: i64| {
            record(&[
                ("name", Value::Text("德国宝马考察团".into())),
                ("phone", Value::Text("13812345678".into())),
                ("party_size", Value::Int(n)),
                ("staff_id", Value::Ref(3)),
            ])
        };
        assert!(card_from_entry(&party(12).values, &settings(), 7).is_none(), "a group is not a customer");
        assert!(card_from_entry(&party(11).values, &settings(), 7).is_none());
        let card = card_from_entry(&party(10).values, &settings(), 7).expect("a party's contact is carded");
        assert_eq!(customer::REGISTER.value(&card, "staff_id"), &Value::Ref(3), "the staff member named");
    }

    #[test]
    fn entries_in_the_future_are_refused() {
        let c = ctx();
        let r = record(&[("occurred_at", Value::Time(c.now + 3600))]);
        assert!(check(&r, &settings(), &c).iter().any(|(f, _)| *f == "occurred_at"));
    }
}
