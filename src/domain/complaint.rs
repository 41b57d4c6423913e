//! Complaint cards (投诉记录卡) and their investigation (投诉调查报告): rules C1-C18.
//! A complaint is a case: it moves through the steps below, each with the people the
//! handbook names, each with its clock.

use super::access::Access;
use super::deadline::{Deadline, Span};
use super::register::{
    Cond, Context, Dedupe, Derived, FieldDef, FieldKind as K, FilterDef, Inherit, Lookup, Mark, Narrow, NarrowDef,
    NarrowOp, PickDef, Problems, Record, RegisterDef, Urgent,
};
use super::roles::{Permission, Role, allows};
use super::settings::{self, Settings};
use super::workflow::{Approval, Approver, Lateness, Scope, Spawn, StepDef, Workflow};
use super::{Msg, Value, callback};

pub const CHANNELS: &[&str] = &["phone", "walk_in", "callback", "call_centre", "online"];
pub const CATEGORIES: &[&str] = &["product", "contract", "repair", "service", "suggestion"];
pub const REQUESTS: &[&str] = &["price_cut", "return", "exchange", "compensation", "answer", "other"];
pub const DECISIONS: &[&str] = &["stands", "rejected"];
pub const APPROVALS: &[&str] = &["approved", "returned"];
pub const INFORM: &[&str] = &["writing", "word"];
pub const SATISFIED: &[&str] = &["satisfied", "unsatisfied"];
pub const MAJOR: &[&str] = &["repeat", "escalated", "blocked", "return_exchange", "media", "wide_impact"];
pub const STEPS: &[&str] =
    &["decide", "assign", "investigate", "propose", "approve", "inform", "close", "closed", "rejected", "merged"];

use Role::{Archivist, Dispatcher, GeneralManager, Manager, Receptionist, Supervisor, Technician};

pub static FIELDS: &[FieldDef] = &[
    // the card (rule C3)
    FieldDef::new("step", K::Choice { list: "step", codes: STEPS }).readonly().list(8),
    FieldDef::new("received_at", K::DateTime).required().list(11).default("@now").section("card"),
    FieldDef::new("channel", K::Choice { list: "complaint_channel", codes: CHANNELS }).required().default("phone"),
    FieldDef::new("anonymous", K::YesNo),
    FieldDef::new("complainant", K::Text { max: 60 })
        .list(10)
        .search()
        .suggest(Lookup::Record(&super::customer::REGISTER)),
    FieldDef::new("contact", K::Phone).search(),
    FieldDef::new("customer_id", K::Lookup(Lookup::Record(&super::customer::REGISTER))),
    FieldDef::new("subject", K::Text { max: 100 }).required().list(16).search(),
    FieldDef::new("category", K::Choice { list: "complaint_category", codes: CATEGORIES }).required().list(8),
    FieldDef::new("content", K::Multi { max: 2000 }).required().search(),
    FieldDef::new("request", K::Choice { list: "complaint_request", codes: REQUESTS }).required(),
    FieldDef::new("written_reply_only", K::YesNo),
    FieldDef::new("staff_complained", K::Lookup(Lookup::Operator)),
    // rule C12: staff without a login (or not found) are named as written
    FieldDef::new("staff_named", K::Text { max: 50 }),
    FieldDef::new("received_by", K::Lookup(Lookup::Operator)).readonly().default("@me"),
    // rule C15: the same problem complained of again is one case
    FieldDef::new("duplicate_of", K::Lookup(Lookup::Record(&REGISTER))).readonly(),
    FieldDef::new("key_customer", K::YesNo).readonly(),
    // major complaints (rule C11), at any step
    FieldDef::new("major", K::Flags { list: "major", codes: MAJOR }).section("major"),
    FieldDef::new("major_at", K::DateTime).readonly(),
    FieldDef::new("head_told_at", K::DateTime),
    FieldDef::new("gm_told_at", K::DateTime),
    FieldDef::new("reported_at", K::DateTime),
    FieldDef::new("reported_to", K::Text { max: 100 }),
    // rule C11: why a major case closes without its upward report (a supervisor's note)
    FieldDef::new("not_reported_reason", K::Text { max: 300 }),
    // a major 24 hours missed is recorded
    FieldDef::new("major_late", K::YesNo).readonly(),
    // step 1: receipt and decision (rule C4)
    FieldDef::new("decision", K::Choice { list: "decision", codes: DECISIONS }).section("decide"),
    FieldDef::new("decision_reason", K::Multi { max: 500 }).search(),
    FieldDef::new("reply", K::Multi { max: 1000 }).search(),
    FieldDef::new("decided_at", K::DateTime).readonly(),
    FieldDef::new("decided_by", K::Lookup(Lookup::Operator)).readonly(),
    // step 2: assignment (rule C5)
    FieldDef::new("department_id", K::Lookup(Lookup::Department)).section("assign"),
    FieldDef::new("handler_id", K::Lookup(Lookup::Operator)).list(8).among(HANDLERS),
    FieldDef::new("assigned_at", K::DateTime).readonly(),
    FieldDef::new("assigned_by", K::Lookup(Lookup::Operator)).readonly(),
    // step 3: the investigation report (rule C6)
    FieldDef::new("cause", K::Multi { max: 1000 }).search().section("investigate"),
    FieldDef::new("course", K::Multi { max: 2000 }).search(),
    FieldDef::new("responsible", K::Text { max: 100 }).search(),
    FieldDef::new("conclusion", K::Multi { max: 1000 }).search(),
    FieldDef::new("measures", K::Multi { max: 1000 }).search(),
    FieldDef::new("investigated_at", K::DateTime).readonly(),
    FieldDef::new("investigated_by", K::Lookup(Lookup::Operator)).readonly(),
    // step 4: the proposed solution (rule C7)
    FieldDef::new("solution", K::Multi { max: 1000 }).search().section("propose"),
    FieldDef::new("amount", K::Money),
    FieldDef::new("proposed_at", K::DateTime).readonly(),
    FieldDef::new("proposed_by", K::Lookup(Lookup::Operator)).readonly(),
    // step 5: approval (rules C8, C14)
    FieldDef::new("approval", K::Choice { list: "approval", codes: APPROVALS }).section("approve"),
    FieldDef::new("approval_note", K::Text { max: 300 }),
    FieldDef::new("approved_at", K::DateTime).readonly(),
    FieldDef::new("approved_by", K::Lookup(Lookup::Operator)).readonly(),
    // step 6: the customer told (rule C8)
    FieldDef::new("inform_method", K::Choice { list: "inform_method", codes: INFORM }).section("inform"),
    FieldDef::new("told_at", K::DateTime),
    FieldDef::new("reaction", K::Multi { max: 1000 }).search(),
    // rule C16: the written reply itself, kept where no callback will follow
    // rule C8: told in writing, the writing is kept
    FieldDef::new("written_reply", K::Multi { max: 2000 }).search().required_when("inform_method", "writing"),
    FieldDef::new("informed_at", K::DateTime).readonly(),
    FieldDef::new("informed_by", K::Lookup(Lookup::Operator)).readonly(),
    // step 7: closing (rule C9)
    FieldDef::new("satisfaction", K::Choice { list: "satisfied", codes: SATISFIED }).section("close"),
    FieldDef::new("summary", K::Multi { max: 1000 }).search(),
    FieldDef::new("improvement", K::Multi { max: 1000 }).search(),
    FieldDef::new("closed_at", K::DateTime).readonly(),
    FieldDef::new("closed_by", K::Lookup(Lookup::Operator)).readonly(),
    // clocks (rules C7, C10, C11) and lateness (rule C18)
    FieldDef::new("case_due_at", K::DateTime).readonly().section("clocks"),
    FieldDef::new("step_due_at", K::DateTime).readonly(),
    FieldDef::new("major_due_at", K::DateTime).readonly(),
    FieldDef::new("late_reason", K::Text { max: 300 }),
    FieldDef::new("late_target", K::DateTime),
    FieldDef::new("late_by", K::Lookup(Lookup::Operator)).readonly(),
    FieldDef::new("late_log", K::Multi { max: 4000 }).readonly(),
    // each earlier round of steps done again: a solution sent back, a case reopened
    FieldDef::new("rounds_log", K::Multi { max: 8000 }).readonly(),
    // why a decided case's card was corrected, or a major flag cleared (kept in the audit trail)
    FieldDef::new("correction", K::Text { max: 300 }),
    FieldDef::new("rank", K::Int { min: 0, max: 9 }).hidden(),
];

/// The list narrowed by category, channel, department, handler and dates of receipt.
pub const NARROW: &[FieldDef] = &[
    FieldDef::new("category", K::Choice { list: "complaint_category", codes: CATEGORIES }),
    FieldDef::new("channel", K::Choice { list: "complaint_channel", codes: CHANNELS }),
    FieldDef::new("department_id", K::Lookup(Lookup::Department)),
    FieldDef::new("handler_id", K::Lookup(Lookup::Operator)),
    FieldDef::new("from", K::Date),
    FieldDef::new("to", K::Date),
];

fn narrowed(values: &[Value], offset: i32) -> Vec<Narrow> {
    let mut out = Vec::new();
    for (f, val) in NARROW.iter().zip(values) {
        if val.is_null() {
            continue;
        }
        let day_start = |d: i32, extra: i64| {
            chrono::NaiveDate::from_num_days_from_ce_opt(d)
                .map(|d| super::register::from_local(d.and_hms_opt(0, 0, 0).unwrap_or_default(), offset) + extra)
                .unwrap_or(0)
        };
        out.push(match (f.key, val) {
            ("from", Value::Date(d)) => {
                Narrow { field: "received_at", op: NarrowOp::AtLeast, value: Value::Time(day_start(*d, 0)) }
            }
            ("to", Value::Date(d)) => {
                Narrow { field: "received_at", op: NarrowOp::Below, value: Value::Time(day_start(*d, 86_400)) }
            }
            (k, v) => Narrow { field: k, op: NarrowOp::Eq, value: v.clone() },
        });
    }
    out
}

/// Whoever may be a case's handler: staff of any department who can see complaints.
const HANDLERS: &[Role] = &[Receptionist, Technician, Dispatcher, Archivist, Supervisor, Manager, GeneralManager];
const DESK: &[Role] = &[Receptionist, Supervisor, Manager, GeneralManager];
const LEADS: &[Role] = &[Supervisor, Manager, GeneralManager];

/// Rules C8 and C14: the handling department's supervisor approves a solution that
/// grants nothing, its manager up to a limit, the general manager anything; nobody
/// approves what they proposed themselves.
pub const APPROVAL: Approval = Approval {
    field: "approval",
    approved: "approved",
    amount: Some("amount"),
    approvers: &[
        Approver {
            role: Supervisor,
            scope: Scope::RecordDepartment("department_id"),
            limit: Some(settings::APPROVE_LIMIT_SUPERVISOR),
        },
        Approver {
            role: Manager,
            scope: Scope::RecordDepartment("department_id"),
            limit: Some(settings::APPROVE_LIMIT_MANAGER),
        },
        Approver { role: GeneralManager, scope: Scope::Any, limit: None },
    ],
    proposer: Some("proposed_by"),
};

pub const STEP_DEFS: &[StepDef] = &[
    StepDef::new("decide", &["decision", "decision_reason", "reply"], DESK, "decided_at", "decided_by")
        .requires(&["decision", "decision_reason"]),
    StepDef::new("assign", &["department_id", "handler_id"], LEADS, "assigned_at", "assigned_by"),
    StepDef::new(
        "investigate",
        &["cause", "course", "responsible", "conclusion", "measures"],
        HANDLERS,
        "investigated_at",
        "investigated_by",
    )
    // rule C18: the handler answers for the report and the solution running late
    .answered_by("handler_id"),
    StepDef::new("propose", &["solution", "amount"], HANDLERS, "proposed_at", "proposed_by")
        .requires(&["solution"])
        .answered_by("handler_id"),
    StepDef::new("approve", &["approval", "approval_note"], LEADS, "approved_at", "approved_by")
        .requires(&["approval"])
        .approves(&APPROVAL),
    StepDef::new(
        "inform",
        &["inform_method", "told_at", "reaction", "written_reply"],
        DESK,
        "informed_at",
        "informed_by",
    )
    // the customer's reaction, unless nobody can be asked (see `check`, rule C16)
    .requires(&["inform_method", "told_at"]),
    // whether the customer is satisfied, likewise (rule C9)
    StepDef::new("close", &["satisfaction", "summary", "improvement"], DESK, "closed_at", "closed_by")
        .requires(&["summary", "improvement"]),
];

pub const WORKFLOW: Workflow = Workflow {
    field: "step",
    start: "received_at",
    steps: STEP_DEFS,
    // rule C15: a complaint merged into an earlier one is that case, not another
    done: &["closed", "rejected", "merged"],
    anytime: &[
        "major",
        "head_told_at",
        "gm_told_at",
        "reported_at",
        "reported_to",
        "not_reported_reason",
        "correction",
    ],
    lateness: Some(Lateness {
        due: "step_due_at",
        reason: "late_reason",
        target: "late_target",
        by: "late_by",
        log: "late_log",
    }),
    rounds: "rounds_log",
    // rule C12: the person complained about cannot be changed (by them or anyone) later
    fixed: &["staff_complained", "staff_named"],
    next,
    advanced,
    may,
    spawn,
};

pub const FILTERS: &[FilterDef] = &[
    FilterDef { key: "filter.open", cond: Cond::Open },
    // rule C10: past the case's 7 days; and a step past its own clock (C7, C18)
    FilterDef { key: "filter.overdue", cond: Cond::Overdue("case_due_at") },
    FilterDef { key: "filter.step_overdue", cond: Cond::Overdue("step_due_at") },
    FilterDef { key: "filter.major", cond: Cond::IsSet("major") },
    FilterDef { key: "filter.mine_open", cond: Cond::MineOpen("handler_id") },
    FilterDef { key: "filter.mine", cond: Cond::Mine("handler_id") },
    FilterDef { key: "filter.step_decide", cond: Cond::Is("step", "decide") },
    FilterDef { key: "filter.step_assign", cond: Cond::Is("step", "assign") },
    FilterDef { key: "filter.step_investigate", cond: Cond::Is("step", "investigate") },
    FilterDef { key: "filter.step_propose", cond: Cond::Is("step", "propose") },
    FilterDef { key: "filter.step_approve", cond: Cond::Is("step", "approve") },
    FilterDef { key: "filter.step_inform", cond: Cond::Is("step", "inform") },
    FilterDef { key: "filter.step_close", cond: Cond::Is("step", "close") },
    FilterDef { key: "filter.closed", cond: Cond::Is("step", "closed") },
    FilterDef { key: "filter.rejected", cond: Cond::Is("step", "rejected") },
    FilterDef { key: "filter.all", cond: Cond::All },
];

/// Handlers of any department see complaints; the desk and its leads take them; only a
/// supervisor voids one; the person complained about never touches it (rule C12).
pub const ACCESS: Access = Access {
    view: &[Receptionist, Technician, Dispatcher, Archivist, Supervisor, Manager, GeneralManager],
    create: &[Receptionist, Supervisor, Manager, GeneralManager],
    edit: &[Receptionist, Supervisor, Manager, GeneralManager],
    void: &[Supervisor, Manager, GeneralManager],
    export: &[Supervisor, Manager, GeneralManager],
    import: &[Manager, GeneralManager],
    barred: &["staff_complained", "staff_named"],
    confidential: None,
};

pub static REGISTER: RegisterDef = RegisterDef {
    filters: FILTERS,
    check,
    derived,
    narrow_drop: &["category", "handler_id", "received_at"],
    pick: Some(PickDef {
        from: Lookup::Record(&super::customer::REGISTER),
        fills: &[("complainant", "name"), ("contact", "phones"), ("customer_id", "@record")],
    }),
    inherit: Some(Inherit { field: "customer_id", target: &super::customer::REGISTER, copy: key_customer }),
    narrow: Some(NarrowDef { fields: NARROW, build: narrowed }),
    dedupe: Some(Dedupe {
        matches: &["customer_id", "contact", "subject"],
        terms: "subject",
        who: "complainant",
        link: "duplicate_of",
        at: "received_at",
        days: settings::DUPLICATE_DAYS,
        reopen_days: settings::REOPEN_DAYS,
        reopen: Some(reopen),
        merged: Some(|values| set(values, "step", Value::Text("merged".into()))),
    }),
    workflow: Some(&WORKFLOW),
    rank: Some("rank"),
    deadlines: DEADLINES,
    // rules C11 and C17: a major case (reported upward or not), a key customer's
    marks: &[
        Mark { symbol: "!", on: is_major },
        Mark { symbol: "*", on: |values| v(values, "key_customer").as_bool() },
    ],
    guard,
    report: Some(&super::complaint_report::MONTHLY),
    // rule C11: the department head and the general manager are told at once
    urgent: Some(Urgent {
        title: "today.urgent_complaints",
        field: "rank",
        value: 2,
        department: "department_id",
        all: &[GeneralManager],
        own: &[Manager, Supervisor],
    }),
    ..RegisterDef::new("complaint", "C", "subject", FIELDS, ACCESS)
};

/// Rule C17: complaints from key customers (category key, or grade A) come first.
pub fn key_customer(card: Option<&[Value]>) -> Vec<(&'static str, Value)> {
    let c = &super::customer::REGISTER;
    let key = card
        .is_some_and(|v| c.value(v, "category").as_text() == Some("key") || c.value(v, "grade").as_text() == Some("A"));
    vec![("key_customer", Value::Bool(key))]
}

fn v<'a>(values: &'a [Value], k: &str) -> &'a Value {
    REGISTER.value(values, k)
}

fn set(values: &mut [Value], k: &str, val: Value) {
    REGISTER.set(values, k, val);
}

fn text_is(values: &[Value], k: &str, code: &str) -> bool {
    v(values, k).as_text() == Some(code)
}

pub fn is_major(values: &[Value]) -> bool {
    !v(values, "major").is_null()
}

/// Rule C11: a major case must be reported upward within its hours; until then it is
/// pinned to the top of every complaint list.
pub fn major_unreported(values: &[Value]) -> bool {
    is_major(values) && v(values, "reported_at").is_null()
}

fn next(step: &str, values: &[Value]) -> &'static str {
    match step {
        // rule C4: a complaint that does not stand is closed with its reply
        "decide" if text_is(values, "decision", "rejected") => "rejected",
        "decide" => "assign",
        "assign" => "investigate",
        "investigate" => "propose",
        "propose" => "approve",
        // an approver may send the solution back
        "approve" if text_is(values, "approval", "returned") => "propose",
        "approve" => "inform",
        "inform" => "close",
        "close" => "closed",
        _ => "decide",
    }
}

/// Rule C10: a case is answered within 7 days of receipt.
const CASE_DAYS: Span = Span::Days(settings::COMPLAINT_CLOSE_DAYS);
/// Rule C7: the handler proposes a solution within 1 working day.
const PROPOSE_DAYS: Span = Span::WorkingDays(settings::COMPLAINT_PROPOSE_DAYS);
/// Rule C11: a major case is reported upward within 24 hours.
const MAJOR_HOURS: Span = Span::Hours(settings::COMPLAINT_MAJOR_HOURS);
/// Rule F1: a resolved complaint is called back within 3 days.
const CALLBACK_DAYS: Span = Span::Days(settings::CALLBACK_COMPLAINT_DAYS);

/// Deadlines, ranks and the lateness record, after every step (and on creation).
fn advanced(step: &str, values: &mut [Value], ctx: &Context, s: &Settings) {
    let received = v(values, "received_at").as_i64().unwrap_or(ctx.now);
    if ctx.new {
        // rule C10: closed within 7 days of receipt
        let due = CASE_DAYS.after(received, s, ctx.offset);
        if v(values, "case_due_at").is_null() {
            set(values, "case_due_at", Value::Time(due));
        }
        if v(values, "step_due_at").is_null() {
            set(values, "step_due_at", Value::Time(due));
        }
        // a paper card imported with its steps keeps them
        if v(values, "step").is_null() {
            set(values, "step", Value::Text("decide".into()));
        }
    }
    // rule C18: whoever let the step run late is already in the log (the workflow's
    // lateness); every step's clock starts when the step does
    let now_step = v(values, "step").as_text().unwrap_or("").to_string();
    let case_due = v(values, "case_due_at").as_i64().unwrap_or(received);
    let current_due = v(values, "step_due_at").as_i64().unwrap_or(case_due);
    // a working day (rule C7's) from now, for a step that begins with no time left
    let working_day = || PROPOSE_DAYS.after(ctx.now, s, ctx.offset);
    let target = v(values, "late_target").as_i64().filter(|t| *t > ctx.now);
    let step_due = match (step, now_step.as_str()) {
        // no step done: the clocks stand (a new case's first step has the case's 7 days)
        ("", _) => current_due,
        // rule C7: the handler proposes a solution within 1 working day of assignment,
        // however late the case already is: the time before was not theirs
        ("assign", _) => working_day(),
        (_, "investigate" | "propose") => target.unwrap_or(current_due),
        // rule C10: the case's 7 days, while they last; then the target given when it
        // ran late, or a working day for whoever takes the step next
        _ if case_due > ctx.now => case_due,
        _ => target.or((current_due > ctx.now).then_some(current_due)).unwrap_or_else(working_day),
    };
    set(values, "step_due_at", Value::Time(step_due));
    mark_major(values, ctx, s);
    // rule C11: the upward report's 24 hours missed is recorded, once
    if let Some(due) = v(values, "major_due_at").as_i64()
        && is_major(values)
        && !v(values, "major_late").as_bool()
        && v(values, "reported_at").as_i64().unwrap_or(ctx.now) > due
    {
        set(values, "major_late", Value::Bool(true));
    }
    // rule C15: merged, the case's clocks are the other case's; this record keeps none
    if text_is(values, "step", "merged") {
        for k in ["case_due_at", "step_due_at"] {
            set(values, k, Value::Null);
        }
    }
    rank(values);
}

/// Rules C11 and C15: the same customer complains again about a case closed recently:
/// the case reopens for a new investigation, marked a repeat, which makes it major.
pub fn reopen(values: &mut [Value], ctx: &Context, s: &Settings) {
    let mut flags: Vec<String> =
        v(values, "major").as_text().unwrap_or("").split(',').filter(|f| !f.is_empty()).map(str::to_string).collect();
    if !flags.iter().any(|f| f == "repeat") {
        flags.push("repeat".into());
    }
    flags.sort_by_key(|f| MAJOR.iter().position(|m| m == f));
    set(values, "major", Value::Text(flags.join(",")));
    // a new clock: the case is handled again from its investigation
    set(values, "major_at", Value::Null);
    set(values, "reported_at", Value::Null);
    set(values, "major_late", Value::Bool(false));
    // handled again from its investigation: that round and what followed go to the
    // case's history, and the steps start empty
    let from = if v(values, "handler_id").is_null() { "assign" } else { "investigate" };
    let when = super::when::format_datetime(super::register::to_local(ctx.now, ctx.offset));
    WORKFLOW.restart_from(&REGISTER, values, from, &when);
    set(values, "step", Value::Text(from.into()));
    let due = CASE_DAYS.after(ctx.now, s, ctx.offset);
    set(values, "case_due_at", Value::Time(due));
    set(values, "step_due_at", Value::Time(due));
    mark_major(values, ctx, s);
    rank(values);
}

/// Rule C11: raising the flag starts the clock (once); clearing it (a supervisor's
/// correction) takes the clock with it, so the case no longer counts as major.
pub fn mark_major(values: &mut [Value], ctx: &Context, s: &Settings) {
    if !is_major(values) {
        for k in ["major_at", "major_due_at"] {
            set(values, k, Value::Null);
        }
        set(values, "major_late", Value::Bool(false));
        return;
    }
    if v(values, "major_at").is_null() {
        set(values, "major_at", Value::Time(ctx.now));
        set(values, "major_due_at", Value::Time(MAJOR_HOURS.after(ctx.now, s, ctx.offset)));
    }
}

/// Rules C11 and C17: unreported major cases first, then key customers' open cases.
pub fn rank(values: &mut [Value]) {
    let open = !WORKFLOW.is_done(v(values, "step").as_text().unwrap_or(""));
    let r = if open && major_unreported(values) {
        2
    } else if open && v(values, "key_customer").as_bool() {
        1
    } else {
        0
    };
    set(values, "rank", Value::Int(r));
}

/// Who may complete a step beyond its roles: the handler investigates and proposes,
/// unless a lead does it for them. Rule C12 (the person complained about) and C14
/// (approvals) are the engine's, from the access and approval declarations.
fn may(step: &str, values: &[Value], ctx: &Context, roles: &[Role], _s: &Settings) -> Option<(&'static str, Msg)> {
    if let "investigate" | "propose" = step {
        let handler = v(values, "handler_id").as_i64();
        let lead = LEADS.iter().any(|r| roles.contains(r));
        if handler != Some(ctx.actor) && !lead {
            return Some(("handler_id", Msg::new("err.complaint.not_handler")));
        }
    }
    None
}

/// Rule C11: the major flags, in their list's order.
fn flags(values: &[Value]) -> Vec<&str> {
    v(values, "major").as_text().unwrap_or("").split(',').filter(|f| !f.is_empty()).collect()
}

/// Changes that need a supervisor and a reason: a major flag cleared (rule C11), a
/// decided case's card corrected, a major case closed unreported.
fn guard(before: &Record, after: &Record, roles: &[Role], _s: &Settings, _ctx: &Context) -> Problems {
    let (b, a) = (&before.values, &after.values);
    let mut out = Vec::new();
    let reason = !v(a, "correction").is_null() && v(a, "correction") != v(b, "correction");
    let lead = allows(roles, Permission::ClearMajor);
    let after_flags = flags(a);
    if flags(b).iter().any(|f| !after_flags.contains(f)) {
        if !lead {
            out.push(("major", Msg::new("err.extra.major_clear_role")));
        } else if !reason {
            out.push(("correction", Msg::new("err.extra.correction_reason")));
        }
    }
    // past the first step, the card is the decided case's (the workflow's own locks)
    let decided = WORKFLOW.steps.first().is_some_and(|first| WORKFLOW.current(&REGISTER, b) != first.key);
    let card_changed =
        FIELDS.iter().enumerate().any(|(i, f)| WORKFLOW.is_card(f.key) && !f.readonly && a.get(i) != b.get(i));
    if decided && card_changed && !reason && !out.iter().any(|(k, _)| *k == "correction") {
        out.push(("correction", Msg::new("err.extra.correction_reason")));
    }
    // a reason is for a correction: none given where nothing was corrected
    if reason && !card_changed && flags(b).iter().all(|f| after_flags.contains(f)) && out.is_empty() {
        out.push(("correction", Msg::new("err.extra.nothing_corrected")));
    }
    if !v(a, "not_reported_reason").is_null() && v(a, "not_reported_reason") != v(b, "not_reported_reason") && !lead {
        out.push(("not_reported_reason", Msg::new("err.extra.major_clear_role")));
    }
    out
}

/// Rule F1 and C16: closing schedules a callback, unless the complainant is anonymous or
/// asked only for a written reply.
pub fn needs_callback(values: &[Value]) -> bool {
    !v(values, "anonymous").as_bool() && !v(values, "written_reply_only").as_bool()
}

/// Rule C9: the case closed with the customer not satisfied.
pub fn unsatisfied(values: &[Value]) -> bool {
    text_is(values, "satisfaction", "unsatisfied")
}

/// Rule F1: general complaints are called back by the desk, important ones by the
/// supervisor, major ones by the manager.
pub fn callback_role(values: &[Value]) -> Role {
    // a customer left unsatisfied is called back as an important case is: by the supervisor
    let important = v(values, "key_customer").as_bool()
        || matches!(v(values, "amount"), Value::Money(c) if *c > 0)
        || unsatisfied(values);
    if is_major(values) {
        Manager
    } else if important {
        Supervisor
    } else {
        Receptionist
    }
}

fn spawn(step: &str, number: &str, id: i64, values: &[Value], ctx: &Context, s: &Settings) -> Vec<Spawn> {
    if step != "close" || !needs_callback(values) {
        return Vec::new();
    }
    let due = CALLBACK_DAYS.after(ctx.now, s, ctx.offset);
    let about = format!(
        "{} · {}",
        v(values, "complainant").as_text().unwrap_or(""),
        v(values, "subject").as_text().unwrap_or("")
    );
    // rule C12: the person complained about does not make the case's callback either
    let barred = [v(values, "staff_complained"), v(values, "staff_named")];
    let cb = callback::scheduled(
        callback::Source { register: "complaint", number, id, barred },
        &about,
        v(values, "contact"),
        callback_role(values),
        due,
    );
    vec![(&callback::REGISTER, cb)]
}

fn check(rec: &Record, _s: &Settings, ctx: &Context) -> Problems {
    let values = &rec.values;
    let mut out = Vec::new();
    // rule C3: the complainant, unless anonymous
    if !v(values, "anonymous").as_bool() && v(values, "complainant").is_null() {
        out.push(("complainant", Msg::new("err.complaint.complainant")));
    }
    if let Value::Time(t) = v(values, "received_at")
        && let Some(m) = super::register::in_future(*t, ctx.now)
    {
        out.push(("received_at", m));
    }
    let received = v(values, "received_at").as_i64().unwrap_or(i64::MIN);
    for k in ["head_told_at", "gm_told_at", "reported_at", "told_at"] {
        match v(values, k) {
            Value::Time(t) if *t < received => out.push((k, Msg::new("err.complaint.before_receipt"))),
            // a record of what happened, not of what is planned
            Value::Time(t) if let Some(m) = super::register::in_future(*t, ctx.now) => out.push((k, m)),
            _ => {}
        }
    }
    // rule C11: reported upward means to someone
    if !v(values, "reported_at").is_null() && v(values, "reported_to").is_null() {
        out.push(("reported_to", Msg::new("err.required")));
    }
    // rule C11: a major case closes only once reported upward, or with a supervisor's reason why not
    if ctx.step == Some("close") && major_unreported(values) && v(values, "not_reported_reason").is_null() {
        out.push(("reported_at", Msg::new("err.extra.major_unreported")));
    }
    // rule C12: the staff member complained about never handles the case: the write
    // path refuses anyone the record bars in any of its operator fields (`plan`)
    if let Value::Money(c) = v(values, "amount")
        && *c < 0
    {
        out.push(("amount", Msg::new("err.money.invalid")));
    }
    match ctx.step {
        // rule C4: a complaint that does not stand is answered
        Some("decide") if text_is(values, "decision", "rejected") && v(values, "reply").is_null() => {
            out.push(("reply", Msg::new("err.complaint.reply")));
        }
        // rule C16: no callback will follow, so the reply itself is attached
        Some("inform") if !needs_callback(values) && v(values, "written_reply").is_null() => {
            out.push(("written_reply", Msg::new("err.complaint.written_reply")));
        }
        _ => {}
    }
    // rules C8, C9: the customer's reaction and whether satisfied are asked of a named
    // complainant; an anonymous one cannot be asked (rule C16)
    let anonymous = v(values, "anonymous").as_bool();
    match ctx.step {
        Some("inform") if !anonymous && v(values, "reaction").is_null() => {
            out.push(("reaction", Msg::new("err.step.required")));
        }
        Some("close") if !anonymous && v(values, "satisfaction").is_null() => {
            out.push(("satisfaction", Msg::new("err.step.required")));
        }
        _ => {}
    }
    out
}

/// What a case owes, first due first on a tie: an unreported major case's upward report
/// (rule C11, 24 hours), the case's answer (C10, 7 days), the current step's target (C7's
/// working day, or the target set when it ran late, C18).
pub const DEADLINES: &[Deadline] = &[
    Deadline::new("major", "major_due_at").runs(major_unreported),
    Deadline::new("case", "case_due_at"),
    Deadline::new("step", "step_due_at"),
];

/// The deadline the clock shows: the earliest a case owes (rule C10: the case's own 7
/// days stay in view beside a step's later target).
pub fn clock(values: &[Value]) -> Option<i64> {
    super::deadline::first(&REGISTER, values).map(|(_, t)| t)
}

fn derived(values: &[Value], s: &Settings) -> Derived {
    let mut out = Vec::new();
    if major_unreported(values) {
        out.push(Msg::new("complaint.derived.major").with("hours", s.int(settings::COMPLAINT_MAJOR_HOURS)));
    } else if is_major(values) {
        // reported upward, still a major case
        out.push(Msg::new("complaint.derived.reported"));
    }
    if v(values, "key_customer").as_bool() {
        out.push(Msg::new("complaint.derived.key_customer"));
    }
    if !needs_callback(values) {
        out.push(Msg::new("complaint.derived.no_callback"));
    }
    // rule C9: closed unsatisfied is said on the case, and its callback is the supervisor's
    if unsatisfied(values) {
        out.push(Msg::new("complaint.derived.unsatisfied"));
    }
    if let Value::Money(c) = v(values, "amount")
        && *c > 0
        && v(values, "approved_at").is_null()
    {
        // rule C14: the first approver in the declaration whose limit covers the amount
        let need = APPROVAL
            .approvers
            .iter()
            .find(|ap| ap.limit.is_none_or(|k| *c <= s.int(k) * 100))
            .map(|ap| ap.role.label_key())
            .unwrap_or("role.general_manager");
        out.push(Msg::new("complaint.derived.approver").with("role", need));
    }
    // rule C11: a demand to return or exchange makes the complaint major
    if matches!(v(values, "request").as_text(), Some("return" | "exchange"))
        && !flags(values).contains(&"return_exchange")
    {
        out.push(Msg::new("complaint.derived.suggest_major"));
    }
    out
}

/// Rule C15 and C11: what makes two complaints the same case.
pub fn same_case(
    a_customer: Option<i64>,
    a_phone: Option<&str>,
    b_customer: Option<i64>,
    b_phone: Option<&str>,
) -> bool {
    (a_customer.is_some() && a_customer == b_customer) || (a_phone.is_some_and(|p| !p.is_empty()) && a_phone == b_phone)
}
