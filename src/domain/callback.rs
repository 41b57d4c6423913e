//! The callback register (回访记录表): rules F1, F3-F6. Shared by every register that
//! calls customers back: complaints now, repairs later.

use super::access::Access;
use super::deadline::Deadline;
use super::register::{
    Cond, Context, FieldDef, FieldKind as K, FilterDef, Lookup, Problems, Record, RegisterDef, SourceRef,
};
use super::roles::{Role, seniority};
use super::settings::Settings;
use super::workflow::{Spawn, StepDef, Workflow};
use super::{Msg, Value};

pub const METHODS: &[&str] = &["phone", "in_person"];
pub const ROLES: &[&str] = &["receptionist", "supervisor", "manager"];
pub const STEPS: &[&str] = &["call", "review", "done"];
pub const REVIEW: &[&str] = &["ok"];

use Role::{GeneralManager, Manager, Receptionist, Supervisor};

pub const FIELDS: &[FieldDef] = &[
    FieldDef::new("step", K::Choice { list: "callback_step", codes: STEPS }).readonly().list(6),
    FieldDef::new("due_at", K::DateTime).readonly().list(11),
    FieldDef::new("source", K::Text { max: 20 }).readonly().list(14).search(),
    FieldDef::new("source_register", K::Text { max: 20 }).hidden(),
    FieldDef::new("source_id", K::Int { min: 0, max: i64::MAX }).hidden(),
    // who the case it comes from bars (rule C12's staff member complained about)
    FieldDef::new("barred_id", K::Lookup(Lookup::Operator)).hidden(),
    FieldDef::new("barred_name", K::Text { max: 50 }).hidden(),
    FieldDef::new("about", K::Text { max: 200 }).readonly().list(24).search(),
    FieldDef::new("contact", K::Phone).readonly().list(13).search(),
    FieldDef::new("by_role", K::Choice { list: "callback_role", codes: ROLES }).readonly().list(8),
    // the call (rules F3, F4)
    FieldDef::new("called_at", K::DateTime).section("call"),
    FieldDef::new("method", K::Choice { list: "callback_method", codes: METHODS }).list(8),
    FieldDef::new("signed", K::YesNo),
    FieldDef::new("satisfaction", K::Int { min: 1, max: 5 }).list(4),
    FieldDef::new("comment", K::Multi { max: 1000 }).search(),
    FieldDef::new("new_issue", K::Multi { max: 1000 }).search(),
    FieldDef::new("promised_at", K::DateTime),
    FieldDef::new("call_done_at", K::DateTime).readonly(),
    FieldDef::new("call_by", K::Lookup(Lookup::Operator)).readonly().list(8),
    // a call that did not reach the customer is written down, never voided (rule F5)
    FieldDef::new("attempt", K::Text { max: 200 }).section("attempts"),
    FieldDef::new("attempts", K::Multi { max: 4000 }).readonly(),
    // the supervisor's review (rule F5)
    FieldDef::new("review", K::Choice { list: "review", codes: REVIEW }).section("review"),
    FieldDef::new("review_note", K::Text { max: 300 }),
    FieldDef::new("reviewed_at", K::DateTime).readonly(),
    FieldDef::new("reviewed_by", K::Lookup(Lookup::Operator)).readonly(),
];

pub const STEP_DEFS: &[StepDef] = &[
    StepDef::new(
        "call",
        &["called_at", "method", "signed", "satisfaction", "comment", "new_issue", "promised_at"],
        &[Receptionist, Supervisor, Manager, GeneralManager],
        "call_done_at",
        "call_by",
    )
    .requires(&["called_at", "method", "satisfaction"]),
    // rule F5: the supervisor reviews the callbacks, never their own
    StepDef::new(
        "review",
        &["review", "review_note"],
        &[Supervisor, Manager, GeneralManager],
        "reviewed_at",
        "reviewed_by",
    )
    .requires(&["review"]),
];

pub const WORKFLOW: Workflow = Workflow {
    field: "step",
    // a callback follows its case's closing, when it was created
    start: "",
    steps: STEP_DEFS,
    done: &["done"],
    anytime: &["attempt"],
    lateness: None,
    rounds: "",
    fixed: &[],
    next: |step, _| match step {
        "call" => "review",
        "review" => "done",
        _ => "call",
    },
    advanced: |_, values, ctx, _| {
        if ctx.new && REGISTER.value(values, "step").is_null() {
            set(values, "step", Value::Text("call".into()));
        }
        // a failed attempt goes into the log, with when and who; the field is free again
        if let Some(note) = REGISTER.value(values, "attempt").as_text().map(str::to_string) {
            let when = super::when::format_datetime(super::register::to_local(ctx.now, ctx.offset));
            REGISTER.append_line(values, "attempts", &format!("{when} {{op:{}}}: {note}", ctx.actor));
            set(values, "attempt", Value::Null);
        }
    },
    may,
    spawn,
};

pub const FILTERS: &[FilterDef] = &[
    FilterDef { key: "filter.due", cond: Cond::Is("step", "call") },
    FilterDef { key: "filter.callback_overdue", cond: Cond::OverdueAt("due_at", "call") },
    FilterDef { key: "filter.to_review", cond: Cond::Is("step", "review") },
    FilterDef { key: "filter.done", cond: Cond::Is("step", "done") },
    FilterDef { key: "filter.all", cond: Cond::All },
];

/// Callbacks arise only from a case (rule F1) or an earlier callback (F4), never blank.
pub const ACCESS: Access = Access {
    view: &[Receptionist, Supervisor, Manager, GeneralManager],
    create: &[],
    edit: &[Receptionist, Supervisor, Manager, GeneralManager],
    void: &[Supervisor, Manager, GeneralManager],
    export: &[Supervisor, Manager, GeneralManager],
    import: &[Manager, GeneralManager],
    barred: &["barred_id", "barred_name"],
    confidential: None,
};

pub const REGISTER: RegisterDef = RegisterDef {
    filters: FILTERS,
    check,
    narrow_drop: &["by_role", "contact", "satisfaction", "method", "call_by", "step"],
    workflow: Some(&WORKFLOW),
    source: Some(SourceRef { number: "source", register: "source_register", id: "source_id" }),
    // rule F1: the call is made by the day it is due (three days after the case closed)
    deadlines: &[
        Deadline::new("call", "due_at").runs(|values| REGISTER.value(values, "step").as_text() == Some("call"))
    ],
    ..RegisterDef::new("callback", "F", "about", FIELDS, ACCESS)
};

fn v<'a>(values: &'a [Value], k: &str) -> &'a Value {
    REGISTER.value(values, k)
}

fn set(values: &mut [Value], k: &str, val: Value) {
    REGISTER.set(values, k, val);
}

/// Where a callback comes from.
pub struct Source<'a> {
    pub register: &'a str,
    pub number: &'a str,
    pub id: i64,
    /// Whom the case bars from its callbacks (rule C12): by login, and by name.
    pub barred: [&'a Value; 2],
}

/// A callback to make, due at `due`, by someone of `role` or above.
pub fn scheduled(src: Source, about: &str, contact: &Value, role: Role, due: i64) -> Vec<Value> {
    let mut values = vec![Value::Null; FIELDS.len()];
    set(&mut values, "due_at", Value::Time(due));
    set(&mut values, "source", Value::Text(src.number.to_string()));
    set(&mut values, "source_register", Value::Text(src.register.to_string()));
    set(&mut values, "source_id", Value::Int(src.id));
    set(&mut values, "about", Value::Text(about.to_string()));
    set(&mut values, "contact", contact.clone());
    set(&mut values, "by_role", Value::Text(role.code().to_string()));
    set(&mut values, "signed", Value::Bool(false));
    set(&mut values, "step", Value::Text("call".into()));
    set(&mut values, "barred_id", src.barred[0].clone());
    set(&mut values, "barred_name", src.barred[1].clone());
    values
}

/// Rule F1: a callback falls to the role its case's severity requires, or one above.
fn may(step: &str, values: &[Value], ctx: &Context, roles: &[Role], _s: &Settings) -> Option<(&'static str, Msg)> {
    // rule F5: a supervisor reviews other people's callbacks, not their own
    if step == "review" && v(values, "call_by").as_i64() == Some(ctx.actor) {
        return Some(("review", Msg::new("err.extra.callback_own_review")));
    }
    if step != "call" {
        return None;
    }
    let needed = v(values, "by_role").as_text().and_then(Role::parse).unwrap_or(Receptionist);
    let have = roles.iter().map(|r| seniority(*r)).max().unwrap_or(0);
    if have < seniority(needed) {
        return Some(("by_role", Msg::new("err.callback.role").with("role", needed.label_key())));
    }
    None
}

/// Rule F4: a new issue raised on a callback gets its own callback at the promised time.
fn spawn(step: &str, _number: &str, _id: i64, values: &[Value], _ctx: &Context, _s: &Settings) -> Vec<Spawn> {
    if step != "call" || v(values, "new_issue").is_null() {
        return Vec::new();
    }
    let Some(promised) = v(values, "promised_at").as_i64() else { return Vec::new() };
    let role = v(values, "by_role").as_text().and_then(Role::parse).unwrap_or(Receptionist);
    let src = Source {
        register: v(values, "source_register").as_text().unwrap_or(""),
        number: v(values, "source").as_text().unwrap_or(""),
        id: v(values, "source_id").as_i64().unwrap_or(0),
        // rule C12: whom the first callback barred, the next one bars too
        barred: [v(values, "barred_id"), v(values, "barred_name")],
    };
    let about = v(values, "new_issue").as_text().unwrap_or("").replace('\n', " ");
    vec![(&REGISTER, scheduled(src, &about, v(values, "contact"), role, promised))]
}

fn check(rec: &Record, _s: &Settings, ctx: &Context) -> Problems {
    let values = &rec.values;
    let mut out = Vec::new();
    if ctx.step == Some("call") {
        // rule F3: in person the customer signs; by phone the record says so
        if v(values, "method").as_text() == Some("in_person") && !v(values, "signed").as_bool() {
            out.push(("signed", Msg::new("err.callback.signed")));
        }
        if v(values, "method").as_text() == Some("phone") && v(values, "signed").as_bool() {
            out.push(("signed", Msg::new("err.callback.phone_signed")));
        }
        // rule F4: a new issue gets a promised reply time
        if !v(values, "new_issue").is_null() {
            match v(values, "promised_at").as_i64() {
                None => out.push(("promised_at", Msg::new("err.callback.promise"))),
                Some(t) if t <= ctx.now => out.push(("promised_at", Msg::new("err.complaint.target_past"))),
                _ => {}
            }
        }
        match v(values, "called_at") {
            Value::Time(t) if let Some(m) = super::register::in_future(*t, ctx.now) => out.push(("called_at", m)),
            // rule F1: a callback follows the closing of its case, when it was scheduled
            Value::Time(t) if *t < rec.created_at => {
                out.push(("called_at", Msg::new("err.extra.callback_before_case")))
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_c12_f4_a_new_issues_callback_bars_whom_the_first_barred() {
        let mut v = vec![Value::Null; REGISTER.fields.len()];
        for (k, val) in [
            ("source", Value::Text("C-2026-000007".into())),
            ("source_register", Value::Text("complaint".into())),
            ("source_id", Value::Int(7)),
            ("by_role", Value::Text("receptionist".into())),
            ("new_issue", Value::Text("空调又漏水".into())),
            ("promised_at", Value::Time(1_800_000_000)),
            ("barred_id", Value::Ref(3)),
            ("barred_name", Value::Text("门岗老李".into())),
        ] {
            set(&mut v, k, val);
        }
        let ctx = Context::new(1_795_745_700, 8 * 3600);
        let spawned = spawn("call", "F-2026-000001", 1, &v, &ctx, &Settings::default());
        let (def, next) = spawned.first().expect("rule F4: the new issue gets its own callback");
        assert_eq!(def.name, "callback");
        assert_eq!(REGISTER.value(next, "barred_id"), &Value::Ref(3));
        assert_eq!(REGISTER.value(next, "barred_name"), &Value::Text("门岗老李".into()));
        assert_eq!(REGISTER.value(next, "due_at"), &Value::Time(1_800_000_000));
    }
}
