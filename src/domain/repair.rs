//! Repair slips (维修单 / 维修服务单): rules R1, R2 (the appointment's fields), R8, R9's
//! warranty. A slip comes in at the desk and gets its work order number (R1); the
//! dispatch, the visit, the fees and the signed copy are later steps of the same slip.

use chrono::{Datelike, Months, NaiveDate};

use super::access::Access;
use super::customer;
use super::register::{
    Cond, Context, Dedupe, Derived, FieldDef, FieldKind as K, FilterDef, LinkDef, Lookup, Mark, PickDef, Problems,
    Record, RegisterDef, to_local,
};
use super::roles::Role::{Dispatcher, GeneralManager, Manager, Receptionist, Supervisor, Technician};
use super::settings::{self, Settings};
use super::{Msg, Value};

pub const CHANNELS: &[&str] = &["phone", "walk_in", "hotline", "web", "call_centre", "slip"];
/// What is to be repaired; each kind has its warranty months (a setting, rule R9).
pub const ITEMS: &[&str] = &["aircon", "plumbing", "electrical", "lift", "appliance", "vehicle", "device", "other"];
pub const SKILLS: &[&str] = &["hvac", "plumbing", "electrical", "lift", "electronics", "vehicle", "general"];
pub const URGENCY: &[&str] = &["normal", "urgent"];
/// Overriding the warranty the purchase date gives: in or out, with a reason.
pub const WARRANTY: &[&str] = &["in", "out"];
/// A slip's states, in the order it goes through them (R1-R5). This version takes a slip
/// in (received) and books it (booked, once the appointment is agreed); dispatch, the
/// visit, completion, the signed copy and closing come with the dispatch board.
pub const STEPS: &[&str] = &["received", "booked", "dispatched", "on_site", "done", "signed", "closed", "not_done"];

/// The setting holding each item kind's warranty months (rule R9).
pub const WARRANTY_MONTHS: &[(&str, &str)] = &[
    ("aircon", settings::REPAIR_WARRANTY_AIRCON),
    ("plumbing", settings::REPAIR_WARRANTY_PLUMBING),
    ("electrical", settings::REPAIR_WARRANTY_ELECTRICAL),
    ("lift", settings::REPAIR_WARRANTY_LIFT),
    ("appliance", settings::REPAIR_WARRANTY_APPLIANCE),
    ("vehicle", settings::REPAIR_WARRANTY_VEHICLE),
    ("device", settings::REPAIR_WARRANTY_DEVICE),
    ("other", settings::REPAIR_WARRANTY_OTHER),
];

pub static FIELDS: &[FieldDef] = &[
    FieldDef::new("step", K::Choice { list: "repair_step", codes: STEPS }).readonly().list(8).default("received"),
    // the slip (rule R1)
    FieldDef::new("received_at", K::DateTime).required().list(11).default("@now").section("slip"),
    FieldDef::new("channel", K::Choice { list: "repair_channel", codes: CHANNELS }).required().default("phone"),
    FieldDef::new("urgency", K::Choice { list: "urgency", codes: URGENCY }).required().list(6).default("normal"),
    FieldDef::new("reporter", K::Text { max: 60 })
        .required()
        .list(11)
        .search()
        .suggest(Lookup::Record(&customer::REGISTER)),
    FieldDef::new("contact", K::Phone).required().list(12).search(),
    FieldDef::new("unit", K::Text { max: 200 }).required().list(14).search(),
    FieldDef::new("customer_id", K::Lookup(Lookup::Record(&customer::REGISTER))),
    // what is to be repaired (rule R8)
    FieldDef::new("item_kind", K::Choice { list: "repair_item", codes: ITEMS }).required().list(6).section("item"),
    FieldDef::new("brand_model", K::Text { max: 100 }).search(),
    FieldDef::new("serial", K::Text { max: 60 }).search(),
    FieldDef::new("sim", K::Text { max: 30 }).search(),
    FieldDef::new("purchase_date", K::Date),
    // rule R9: derived from the purchase date and the kind's months, at every save
    FieldDef::new("warranty", K::YesNo).readonly().list(3),
    FieldDef::new("warranty_override", K::Choice { list: "repair_warranty", codes: WARRANTY }),
    FieldDef::new("warranty_reason", K::Text { max: 200 }).required_when("warranty_override", "in"),
    FieldDef::new("fault", K::Multi { max: 1000 }).required().list(20).search(),
    FieldDef::new("skill", K::Choice { list: "repair_skill", codes: SKILLS }).required().default("general"),
    // rule R2: the window agreed with the customer
    FieldDef::new("appointment_from", K::DateTime).section("appointment"),
    FieldDef::new("appointment_to", K::DateTime),
    FieldDef::new("received_by", K::Lookup(Lookup::Operator)).readonly().default("@me"),
    // the same unit or serial repaired within the set days: the job it repeats
    FieldDef::new("repeat_of", K::Lookup(Lookup::Record(&REGISTER))).readonly(),
    // an urgent job not yet finished is listed first
    FieldDef::new("rank", K::Int { min: 0, max: 9 }).hidden(),
];

pub const FILTERS: &[FilterDef] = &[
    FilterDef { key: "filter.all", cond: Cond::All },
    FilterDef { key: "filter.repair_received", cond: Cond::Is("step", "received") },
    FilterDef { key: "filter.repair_booked", cond: Cond::Is("step", "booked") },
    FilterDef { key: "filter.repair_urgent", cond: Cond::Is("urgency", "urgent") },
    FilterDef { key: "filter.repair_repeat", cond: Cond::IsSet("repeat_of") },
    FilterDef { key: "filter.today", cond: Cond::Today("received_at") },
    FilterDef { key: "filter.current", cond: Cond::NotVoided },
    FilterDef { key: "filter.voided", cond: Cond::Voided },
];

/// The desk takes repairs in; the dispatcher and the supervisors keep the slip right;
/// technicians read the jobs; voiding is a supervisor's act.
pub const ACCESS: Access = Access {
    view: &[Receptionist, Technician, Dispatcher, Supervisor, Manager, GeneralManager],
    create: &[Receptionist, Supervisor, Manager],
    edit: &[Dispatcher, Supervisor, Manager],
    void: &[Supervisor, Manager, GeneralManager],
    export: &[Supervisor, Manager, GeneralManager],
    import: &[Manager, GeneralManager],
    barred: &[],
    confidential: None,
};

pub static REGISTER: RegisterDef = RegisterDef {
    filters: FILTERS,
    check,
    derived_at: Some(derived),
    // the marks say urgent and repeat; the unit is what a desk looks for
    narrow_drop: &["warranty", "item_kind", "urgency", "contact", "fault", "step"],
    pick: Some(PickDef {
        from: Lookup::Record(&customer::REGISTER),
        fills: &[("reporter", "name"), ("contact", "phones"), ("unit", "address"), ("customer_id", "@record")],
    }),
    link: Some(LinkDef { field: "customer_id", target: &customer::REGISTER, phone: "contact", build: card_from_slip }),
    prepare: Some(prepare),
    // a repeat (the same unit or serial within the set days) names the earlier job
    dedupe: Some(Dedupe {
        matches: &["unit", "serial"],
        terms: "",
        who: "reporter",
        link: "repeat_of",
        at: "received_at",
        days: settings::REPAIR_REPEAT_DAYS,
        reopen_days: settings::REPAIR_REPEAT_DAYS,
        reopen: None,
        merged: None,
    }),
    marks: &[Mark { symbol: "!", on: is_urgent }, Mark { symbol: "+", on: |values| !v(values, "repeat_of").is_null() }],
    rank: Some("rank"),
    ..RegisterDef::new("repair", "R", "unit", FIELDS, ACCESS)
};

fn v<'a>(values: &'a [Value], k: &str) -> &'a Value {
    REGISTER.value(values, k)
}

fn set(values: &mut [Value], k: &str, val: Value) {
    REGISTER.set(values, k, val);
}

pub fn is_urgent(values: &[Value]) -> bool {
    v(values, "urgency").as_text() == Some("urgent")
}

/// Rule R9: an item kind's warranty months, from its setting.
pub fn warranty_months(kind: &str, s: &Settings) -> Option<i64> {
    WARRANTY_MONTHS.iter().find(|(k, _)| *k == kind).map(|(_, key)| s.int(key))
}

/// Rule R9: the last day of the warranty a purchase date gives an item of this kind.
pub fn warranty_until(kind: &str, purchased: NaiveDate, s: &Settings) -> Option<NaiveDate> {
    let months = u32::try_from(warranty_months(kind, s)?).ok()?;
    purchased.checked_add_months(Months::new(months))?.pred_opt()
}

/// Rule R9: whether a slip is under warranty on the day it was received: the override
/// when one is given, else the purchase date and the item kind's months. No purchase
/// date, no warranty from it.
pub fn under_warranty(values: &[Value], s: &Settings, offset: i32) -> bool {
    match v(values, "warranty_override").as_text() {
        Some("in") => return true,
        Some("out") => return false,
        _ => {}
    }
    let (Some(kind), Value::Date(d)) = (v(values, "item_kind").as_text(), v(values, "purchase_date")) else {
        return false;
    };
    let Some(purchased) = NaiveDate::from_num_days_from_ce_opt(*d) else { return false };
    let received = v(values, "received_at").as_i64().map(|t| to_local(t, offset).date());
    match (warranty_until(kind, purchased, s), received) {
        (Some(until), Some(day)) => day <= until,
        _ => false,
    }
}

/// What a slip says of itself at every door (form, import, demo): its warranty (R9),
/// and whether it is booked yet (R2: an agreed appointment books it).
fn prepare(values: &mut [Value], ctx: &Context, s: &Settings) {
    let warranty = under_warranty(values, s, ctx.offset);
    set(values, "warranty", Value::Bool(warranty));
    let step = v(values, "step").as_text().unwrap_or("received");
    if matches!(step, "received" | "booked") {
        let booked = !v(values, "appointment_from").is_null();
        set(values, "step", Value::Text(if booked { "booked" } else { "received" }.into()));
    }
    // urgent and not yet finished: first in the list
    let open = !matches!(v(values, "step").as_text(), Some("closed" | "not_done"));
    set(values, "rank", Value::Int(i64::from(open && is_urgent(values))));
}

fn check(rec: &Record, _s: &Settings, ctx: &Context) -> Problems {
    let values = &rec.values;
    let mut out = Vec::new();
    if let Value::Time(t) = v(values, "received_at")
        && let Some(m) = super::register::in_future(*t, ctx.now)
    {
        out.push(("received_at", m));
    }
    // rule R8: bought before the repair was asked for
    if let (Value::Date(d), Some(t)) = (v(values, "purchase_date"), v(values, "received_at").as_i64()) {
        let day = to_local(t.min(ctx.now + super::register::CLOCK_DRIFT), ctx.offset).date().num_days_from_ce();
        if *d > day {
            out.push(("purchase_date", Msg::new("err.repair.purchase_after")));
        }
    }
    // rule R9: overriding the warranty the purchase date gives says why
    let overridden = !v(values, "warranty_override").is_null();
    if overridden && v(values, "warranty_reason").is_null() {
        out.push(("warranty_reason", Msg::new("err.repair.warranty_reason")));
    }
    if !overridden && !v(values, "warranty_reason").is_null() {
        out.push(("warranty_override", Msg::new("err.repair.warranty_no_override")));
    }
    // rule R2: a window is a start and an end after it, not before the slip came in
    match (v(values, "appointment_from").as_i64(), v(values, "appointment_to").as_i64()) {
        (None, Some(_)) => out.push(("appointment_from", Msg::new("err.repair.window_start"))),
        (Some(a), Some(b)) if b <= a => out.push(("appointment_to", Msg::new("err.repair.window_order"))),
        _ => {}
    }
    if let (Some(a), Some(r)) = (v(values, "appointment_from").as_i64(), v(values, "received_at").as_i64())
        && a < r
    {
        out.push(("appointment_from", Msg::new("err.repair.window_before")));
    }
    out
}

fn derived(values: &[Value], s: &Settings, ctx: &Context) -> Derived {
    let mut out = Vec::new();
    // rule R9, said while the slip is typed: in or out, and what the purchase date gives
    match v(values, "warranty_override").as_text() {
        Some(code) => out
            .push(Msg::new("repair.derived.warranty_override").with("state", format!("choice.repair_warranty.{code}"))),
        None => {
            let kind = v(values, "item_kind").as_text();
            let bought = match v(values, "purchase_date") {
                Value::Date(d) => NaiveDate::from_num_days_from_ce_opt(*d),
                _ => None,
            };
            match (kind, bought) {
                (Some(kind), Some(purchased)) => {
                    let until = warranty_until(kind, purchased, s).map(|d| d.format("%Y-%m-%d").to_string());
                    let key = if under_warranty(values, s, ctx.offset) {
                        "repair.derived.warranty_in"
                    } else {
                        "repair.derived.warranty_out"
                    };
                    out.push(
                        Msg::new(key)
                            .with("until", until.unwrap_or_default())
                            .with("months", warranty_months(kind, s).unwrap_or(0))
                            .with("kind", format!("choice.repair_item.{kind}")),
                    );
                }
                _ => out.push(Msg::new("repair.derived.warranty_unknown")),
            }
        }
    }
    if is_urgent(values) {
        out.push(Msg::new("repair.derived.urgent"));
    }
    out
}

/// A customer card for a reporter not yet carded: name, phone and the unit as address.
pub fn card_from_slip(values: &[Value], _s: &Settings, actor: i64) -> Option<Vec<Value>> {
    if v(values, "reporter").is_null() || v(values, "contact").is_null() {
        return None;
    }
    Some(customer::new_card(vec![
        ("name", v(values, "reporter").clone()),
        ("phones", v(values, "contact").clone()),
        ("address", v(values, "unit").clone()),
        ("category", Value::Text("ordinary".into())),
        ("staff_id", if actor != 0 { Value::Ref(actor) } else { Value::Null }),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Value {
        Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap().num_days_from_ce())
    }

    fn slip(pairs: &[(&str, Value)]) -> Vec<Value> {
        let mut values = vec![Value::Null; FIELDS.len()];
        for (k, val) in pairs {
            set(&mut values, k, val.clone());
        }
        values
    }

    // 2026-11-27 10:15 at UTC+8
    const NOW: i64 = 1_795_745_700;

    #[test]
    fn rule_r9_warranty_runs_the_item_kinds_months_from_the_purchase_date() {
        let s = Settings::default();
        let kind = |k: &str, bought: &str| {
            slip(&[
                ("item_kind", Value::Text(k.into())),
                ("purchase_date", day(bought)),
                ("received_at", Value::Time(NOW)),
            ])
        };
        // an air conditioner's 24 months: bought 2024-11-28 is still covered on 2026-11-27
        assert!(under_warranty(&kind("aircon", "2024-11-28"), &s, 8 * 3600));
        assert!(!under_warranty(&kind("aircon", "2024-11-27"), &s, 8 * 3600));
        // a device's 12 months
        assert!(!under_warranty(&kind("device", "2025-06-01"), &s, 8 * 3600));
        assert!(under_warranty(&kind("device", "2026-06-01"), &s, 8 * 3600));
        // no purchase date, no warranty from it
        assert!(!under_warranty(&slip(&[("item_kind", Value::Text("aircon".into()))]), &s, 8 * 3600));
        // the override wins, either way
        let mut v = kind("device", "2025-06-01");
        set(&mut v, "warranty_override", Value::Text("in".into()));
        assert!(under_warranty(&v, &s, 8 * 3600));
    }

    #[test]
    fn rule_r9_the_months_are_a_setting() {
        let mut m = std::collections::BTreeMap::new();
        m.insert(settings::REPAIR_WARRANTY_DEVICE.to_string(), "36".to_string());
        let s = Settings::from_stored(m);
        let v = slip(&[
            ("item_kind", Value::Text("device".into())),
            ("purchase_date", day("2025-06-01")),
            ("received_at", Value::Time(NOW)),
        ]);
        assert!(under_warranty(&v, &s, 8 * 3600));
        assert!(!under_warranty(&v, &Settings::default(), 8 * 3600));
    }

    #[test]
    fn rule_r2_an_agreed_window_books_the_slip() {
        let ctx = Context::new(NOW, 8 * 3600);
        let mut v = slip(&[("step", Value::Text("received".into()))]);
        prepare(&mut v, &ctx, &Settings::default());
        assert_eq!(v_text(&v, "step"), "received");
        set(&mut v, "appointment_from", Value::Time(NOW + 86_400));
        prepare(&mut v, &ctx, &Settings::default());
        assert_eq!(v_text(&v, "step"), "booked");
        // a later state is the later steps' to set
        set(&mut v, "step", Value::Text("dispatched".into()));
        prepare(&mut v, &ctx, &Settings::default());
        assert_eq!(v_text(&v, "step"), "dispatched");
    }

    fn v_text(values: &[Value], k: &str) -> String {
        v(values, k).as_text().unwrap_or("").to_string()
    }

    #[test]
    fn every_item_kind_has_its_warranty_setting() {
        for kind in ITEMS {
            assert!(warranty_months(kind, &Settings::default()).is_some(), "{kind}");
        }
    }
}
