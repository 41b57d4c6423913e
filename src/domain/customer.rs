//! Customer cards (客户关系卡片): rule I8 (fields, categories, grades and their review);
//! a card is made from a visitor entry (I3, I4); I7's five-working-day checks are not here.

use chrono::Months;

use super::access::Access;
use super::register::{Cond, Context, Derived, FieldDef, FilterDef, Lookup, Problems, Record, RegisterDef, to_local};
use super::roles::Role::{Archivist, Dispatcher, GeneralManager, Manager, Receptionist, Supervisor, Technician};
use super::settings::{self, Settings};
use super::{FieldKind as K, Msg, Permission, Value};

pub const CATEGORIES: &[&str] = &["target", "ordinary", "key", "potential"];
pub const GRADES: &[&str] = &["A", "B", "C"];

pub const FIELDS: &[FieldDef] = &[
    FieldDef::new("name", K::Text { max: 60 }).required().list(14).search(),
    FieldDef::new("organisation", K::Text { max: 100 }).list(18).search(),
    FieldDef::new("position", K::Text { max: 40 }).search(),
    FieldDef::new("phones", K::Phones).list(26).search(),
    FieldDef::new("address", K::Text { max: 200 }).search(),
    FieldDef::new("category", K::Choice { list: "category", codes: CATEGORIES }).required().list(8).default("ordinary"),
    // rule I8: grades are reviewed (yearly; a new one after 6 months) by a supervisor or manager
    FieldDef::new("grade", K::Choice { list: "grade", codes: GRADES }).list(3).guarded(Permission::ReviewGrades),
    FieldDef::new("grade_provisional", K::YesNo).list(4).guarded(Permission::ReviewGrades),
    FieldDef::new("staff_id", K::Lookup(Lookup::Operator)).default("@me"),
    FieldDef::new("notes", K::Multi { max: 1000 }).search(),
];

pub const FILTERS: &[FilterDef] = &[
    FilterDef { key: "filter.all", cond: Cond::All },
    FilterDef { key: "filter.key_customers", cond: Cond::Is("category", "key") },
    FilterDef { key: "filter.potential", cond: Cond::Is("category", "potential") },
    FilterDef { key: "filter.provisional", cond: Cond::IsTrue("grade_provisional") },
    FilterDef { key: "filter.voided", cond: Cond::Voided },
];

pub const ACCESS: Access = Access {
    view: &[Receptionist, Technician, Dispatcher, Archivist, Supervisor, Manager, GeneralManager],
    create: &[Receptionist, Supervisor, Manager],
    edit: &[Receptionist, Supervisor, Manager],
    void: &[Supervisor, Manager, GeneralManager],
    export: &[Supervisor, Manager, GeneralManager],
    import: &[Manager, GeneralManager],
    barred: &[],
    confidential: None,
};

pub const REGISTER: RegisterDef = RegisterDef {
    filters: FILTERS,
    check,
    derived,
    narrow_drop: &["grade_provisional", "grade", "category", "organisation"],
    prepare: Some(provisional_when_new),
    ..RegisterDef::new("customer", "CU", "name", FIELDS, ACCESS)
};

/// Rule I8: a new customer's grade stays provisional until reviewed after N months.
/// Returns the local date from which the review may confirm it.
pub fn grade_review_from(created_at: i64, offset: i32, s: &Settings) -> chrono::NaiveDate {
    let months = s.int(settings::GRADE_REVIEW_MONTHS).max(0) as u32;
    let created = to_local(created_at, offset).date();
    created.checked_add_months(Months::new(months)).unwrap_or(created)
}

/// Rule I8: a grade given to a new customer is provisional until its review.
fn provisional_when_new(values: &mut [Value], ctx: &Context, _: &Settings) {
    let graded = !REGISTER.value(values, "grade").is_null();
    if ctx.new
        && graded
        && let Some(i) = REGISTER.index("grade_provisional")
    {
        values[i] = Value::Bool(true);
    }
}

fn check(rec: &Record, s: &Settings, ctx: &Context) -> Problems {
    let v = |k| REGISTER.value(&rec.values, k);
    let mut out = Vec::new();
    let graded = !v("grade").is_null();
    let provisional = v("grade_provisional").as_bool();
    if !graded && provisional {
        out.push(("grade_provisional", Msg::new("err.customer.provisional_without_grade")));
    }
    if graded && !provisional {
        // rule I8: a new grade is provisional; it may be confirmed only after the review period
        let created = if ctx.new { ctx.now } else { rec.created_at };
        let from = grade_review_from(created, ctx.offset, s);
        if ctx.local_now().date() < from {
            out.push((
                "grade_provisional",
                Msg::new("err.customer.grade_review_early").with("date", from.format("%Y-%m-%d")),
            ));
        }
    }
    out
}

fn derived(values: &[Value], _s: &Settings) -> Derived {
    let mut out = Vec::new();
    // rule I8: key customers get priority
    if REGISTER.value(values, "category").as_text() == Some("key") {
        out.push(Msg::new("customer.derived.key"));
    }
    if REGISTER.value(values, "grade_provisional").as_bool() {
        out.push(Msg::new("customer.derived.provisional"));
    }
    out
}

/// A card made for an entry that names no card (rules I3, I4): the fields the entry
/// gives, the rest empty, its grade not provisional.
pub fn new_card(given: Vec<(&str, Value)>) -> Vec<Value> {
    let mut out = vec![Value::Null; REGISTER.fields.len()];
    REGISTER.set(&mut out, "grade_provisional", Value::Bool(false));
    for (k, v) in given {
        REGISTER.set(&mut out, k, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(created_at: i64, pairs: &[(&str, Value)]) -> Record {
        let mut values = vec![Value::Null; FIELDS.len()];
        for (k, v) in pairs {
            values[REGISTER.index(k).unwrap()] = v.clone();
        }
        Record {
            id: 1,
            number: "K-2026-000001".into(),
            version: 1,
            values,
            created_at,
            created_by: 1,
            updated_at: None,
            updated_by: None,
            voided: None,
        }
    }

    const NOW: i64 = 1_795_745_700; // 2026-11-27 10:15 at UTC+8

    fn ctx(new: bool) -> Context {
        Context { new, ..Context::new(NOW, 8 * 3600) }
    }

    #[test]
    fn rule_i8_new_grade_is_provisional() {
        let r = record(NOW, &[("grade", Value::Text("A".into())), ("grade_provisional", Value::Bool(false))]);
        let p = check(&r, &Settings::default(), &ctx(true));
        assert!(p.iter().any(|(_, m)| m.key == "err.customer.grade_review_early"));
        let r = record(NOW, &[("grade", Value::Text("A".into())), ("grade_provisional", Value::Bool(true))]);
        assert!(check(&r, &Settings::default(), &ctx(true)).is_empty());
    }

    #[test]
    fn rule_i8_grade_confirmed_after_six_months() {
        let seven_months_ago = NOW - 7 * 31 * 86_400;
        let r =
            record(seven_months_ago, &[("grade", Value::Text("B".into())), ("grade_provisional", Value::Bool(false))]);
        assert!(check(&r, &Settings::default(), &ctx(false)).is_empty());
        let from = grade_review_from(seven_months_ago, 8 * 3600, &Settings::default());
        assert!(from < to_local(NOW, 8 * 3600).date());
    }

    #[test]
    fn rule_i8_provisional_needs_a_grade() {
        let r = record(NOW, &[("grade_provisional", Value::Bool(true))]);
        assert!(!check(&r, &Settings::default(), &ctx(true)).is_empty());
    }

    #[test]
    fn rule_i8_categories_are_the_handbooks() {
        assert_eq!(CATEGORIES, &["target", "ordinary", "key", "potential"]);
        assert_eq!(GRADES, &["A", "B", "C"]);
        assert!(
            derived(&record(NOW, &[("category", Value::Text("key".into()))]).values, &Settings::default())
                .iter()
                .any(|m| m.key == "customer.derived.key")
        );
    }
}
