//! The one write path, planned without I/O: every change to a register's records (typed
//! at a form, imported from paper, spawned by a step, made by the demo) is judged here:
//! permission, the people a record bars, locked fields, guards, the step it completes
//! and who may complete it, approvals, the register's rules, stamps and spawned records.
//! The store then applies the plan in one transaction and re-checks there what the plan
//! read before (`Expect`).

use super::access::{self, Act};
use super::register::{Context, FieldKind, Lookup, Problems, Record, RegisterDef, check_record};
use super::roles::{Role, allows};
use super::workflow::{Advance, Approval, Scope, Spawn, StepDef, advance, gate_problems};
use super::{Msg, Settings, Value, settings};

/// Who makes the change.
#[derive(Clone, Copy, Debug)]
pub struct Actor<'a> {
    pub id: i64,
    /// Their name, for a record that names someone in free text (rule C12).
    pub name: &'a str,
    pub roles: &'a [Role],
    pub department: Option<i64>,
}

/// An operator as the rules know them: for the people an import stamps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub roles: Vec<Role>,
    pub department: Option<i64>,
}

impl Person {
    /// This person making a change.
    pub fn actor(&self) -> Actor<'_> {
        Actor { id: self.id, name: &self.name, roles: &self.roles, department: self.department }
    }
}

/// What the plan may read of the world, read by the caller beforehand.
#[derive(Clone, Copy, Default)]
pub struct Facts<'a> {
    /// The record the register's `inherit` field points at (a complaint's customer card).
    pub linked: Option<&'a Record>,
    /// For a register that links a new entry to a record by phone (a visitor's card): the
    /// record already holding the entry's phone, if any.
    pub phone_owner: Option<i64>,
    /// Everyone who could be named in a record's operator fields (a handler picked, an
    /// import's past stamps).
    pub people: &'a [Person],
    /// For an imported repeat: the earlier record its dedupe link names (rule C15).
    pub repeats: Option<&'a Record>,
}

pub enum Change<'a> {
    /// A new record typed at a form.
    Create(Vec<Value>),
    /// Changes over the version the operator opened.
    Update { base: &'a Record, values: Vec<Value> },
    /// A record of paper history, with its past stamps, created at `created` (None: now).
    Import { created: Option<i64>, values: Vec<Value> },
}

/// What was read before planning and must still hold when the change is applied.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// The record is still at this version (the card a complaint inherits from, a case
    /// a new complaint is merged into).
    Version { register: &'static RegisterDef, id: i64, version: i64 },
    /// No record of the register holds this phone yet (before creating a card for it).
    NoPhone { register: &'static RegisterDef, phone: String },
}

/// A change judged sound, ready for one transaction.
#[derive(Debug)]
pub struct Plan {
    pub values: Vec<Value>,
    /// When the record was made (a past date for paper records).
    pub created: i64,
    pub completed: Option<&'static StepDef>,
    /// Records created in the same transaction (a callback when a case closes).
    pub spawn: Vec<Spawn>,
    /// A linked record created first, whose id goes into `link_field` (a visitor's card).
    pub linked_new: Option<(&'static RegisterDef, Vec<Value>, &'static str)>,
    pub expect: Vec<Expect>,
    /// Nothing would change: no new version is written.
    pub unchanged: bool,
}

/// A problem not tied to one field: shown as the form's message.
pub const RECORD: &str = "";

fn problem(field: &'static str, key: &'static str) -> (&'static str, Msg) {
    (field, Msg::new(key))
}

/// Plans a change to a record. `Err` lists every problem, each at its field (or at
/// `RECORD`); nothing is to be written.
pub fn plan(
    def: &'static RegisterDef,
    change: Change,
    who: Actor,
    s: &Settings,
    ctx: &Context,
    facts: Facts,
) -> Result<Plan, Problems> {
    let (base, mut values, created, import) = match change {
        Change::Create(v) => (None, v, None, false),
        Change::Update { base, values } => (Some(base), values, None, false),
        Change::Import { created, values } => (None, values, created, true),
    };
    if values.len() != def.fields.len() {
        return Err(vec![problem(RECORD, "err.plan.shape")]);
    }
    // a paper case without its own creation date was made when it was received
    let start = def.workflow.filter(|wf| !wf.start.is_empty()).and_then(|wf| def.value(&values, wf.start).as_i64());
    let given = created;
    let created = created.or(if import { start } else { None }).unwrap_or(ctx.now);
    // paper history is judged by the day it was written: its date, else its own time
    let own_time = def
        .fields
        .iter()
        .zip(&values)
        .find_map(|(f, v)| (f.kind == super::FieldKind::DateTime).then(|| v.as_i64()).flatten());
    let paper_day = given.or(start).or(own_time).unwrap_or(ctx.now).min(ctx.now);
    let mut ctx = Context { new: base.is_none(), actor: who.id, step: None, ..*ctx };
    let mut problems: Problems = Vec::new();
    let editor = access::may(def, Act::Edit, who.roles);

    // The act itself.
    match base {
        None if import && !access::may(def, Act::Import, who.roles) => {
            return Err(vec![problem(RECORD, "err.permission")]);
        }
        None if !import && !access::may(def, Act::Create, who.roles) => {
            return Err(vec![problem(RECORD, "err.permission")]);
        }
        // rule C12: nobody takes down a complaint about themselves either, nor brings one in
        // from paper
        None if access::barred(def, &values, who.id, who.name).is_some() => {
            return Err(access::barred(def, &values, who.id, who.name).into_iter().collect());
        }
        Some(b) if b.voided.is_some() => return Err(vec![problem(RECORD, "err.record.voided")]),
        Some(b) => {
            if let Some(p) = access::barred(def, &b.values, who.id, who.name) {
                return Err(vec![p]);
            }
        }
        None => {}
    }

    // An entry made now is judged by now; paper history by the day it was written.
    let at_paper = Context { now: if import { paper_day } else { ctx.now }, ..ctx };
    if let Some(prepare) = def.prepare {
        prepare(&mut values, &at_paper, s);
    }

    // What an update may change: never a read-only or locked field (a stale draft, a
    // conflict's leftovers), and, for someone who may complete a step but not edit the
    // register, only that step's fields.
    if let Some(b) = base {
        let locked = locks(def, Some(b), who.roles);
        let own: Vec<&str> = def
            .workflow
            .map(|wf| {
                let step = wf.step(wf.current(def, &b.values)).map(|s| s.fields).unwrap_or(&[]);
                step.iter().copied().chain(wf.late()).collect()
            })
            .unwrap_or_default();
        for (i, fd) in def.fields.iter().enumerate() {
            if fd.readonly || locked[i] || (!editor && !own.contains(&fd.key)) {
                values[i] = b.values[i].clone();
            }
            // a time shown to the minute and saved back unchanged keeps its seconds
            if let (Value::Time(new), Value::Time(old)) = (&values[i], &b.values[i])
                && *new == old - old.rem_euclid(60)
            {
                values[i] = b.values[i].clone();
            }
        }
        // Fields whose change needs a permission of its own (a grade's review, rule I8).
        for (i, fd) in def.fields.iter().enumerate() {
            if let Some(p) = fd.guard
                && values[i] != b.values[i]
                && !allows(who.roles, p)
            {
                problems.push((fd.key, Msg::new("err.permission")));
            }
        }
    }

    // A case: does this save complete its current step?
    let mut completing: Option<&'static StepDef> = None;
    if let (Some(wf), Some(b)) = (def.workflow, base)
        && let Some(sd) = wf.step(wf.current(def, &b.values))
    {
        match advance(def, sd, &values, &b.values) {
            Advance::Stay => {}
            Advance::Complete => {
                completing = Some(sd);
                ctx.step = Some(sd.key);
            }
            Advance::Missing(keys) => {
                problems.extend(keys.into_iter().map(|k| (k, Msg::new("err.step.required"))));
            }
        }
    }

    let rec = Record {
        id: base.map(|b| b.id).unwrap_or(0),
        number: base.map(|b| b.number.clone()).unwrap_or_default(),
        version: base.map(|b| b.version).unwrap_or(0),
        values: values.clone(),
        created_at: base.map(|b| b.created_at).unwrap_or(created),
        created_by: base.map(|b| b.created_by).unwrap_or(who.id),
        updated_at: None,
        updated_by: None,
        voided: None,
    };
    problems.extend(check_record(def, &rec, s, &ctx));
    if let Some(base) = base {
        problems.extend((def.guard)(base, &rec, who.roles, s, &ctx));
    }

    if let (Some(sd), Some(wf)) = (completing, def.workflow) {
        if !sd.roles.iter().any(|r| who.roles.contains(r)) {
            problems.push((
                sd.fields.first().copied().unwrap_or(RECORD),
                Msg::new("err.step.role").with("roles", role_list(sd.roles)),
            ));
        } else if let Some(p) = (wf.may)(sd.key, &values, &ctx, who.roles, s) {
            problems.push(p);
        } else if let Some(a) = sd.approval
            && let Some(p) = approval_problem(def, a, &values, who, s)
        {
            problems.push(p);
        }
    }
    // rule C18: a step done late says why, and by when the rest will be done; a step
    // with a sign-off completes only once it is given
    if let (Some(sd), Some(wf)) = (completing, def.workflow) {
        problems.extend(wf.late_problems(def, sd, &values, ctx.now));
        problems.extend(gate_problems(def, sd, &values));
    }
    // Changing a case without completing a step needs the register's edit right.
    if base.is_some() && completing.is_none() && !editor && problems.is_empty() {
        problems.push(problem(RECORD, "err.permission"));
    }
    if import {
        problems.extend(import_history(def, &values, created, ctx.now, facts.people, s));
        problems.extend(import_link(def, &values, facts.repeats));
    }
    problems.extend(barred_named(def, &values, base, facts.people, &problems));
    if !problems.is_empty() {
        return Err(problems);
    }

    // What the record takes from the record it links to (rule C17's key customer).
    let mut expect = Vec::new();
    if let Some(inh) = def.inherit {
        let linked = facts.linked.filter(|r| def.value(&values, inh.field).as_i64() == Some(r.id));
        for (k, v) in (inh.copy)(linked.map(|r| r.values.as_slice())) {
            def.set(&mut values, k, v);
        }
        if let Some(r) = linked {
            expect.push(Expect::Version { register: inh.target, id: r.id, version: r.version });
        }
    }

    // Stamps, the next step, clocks, spawned records.
    let mut spawn = Vec::new();
    if let Some(wf) = def.workflow {
        if let Some(sd) = completing {
            def.set(&mut values, sd.at, Value::Time(ctx.now));
            def.set(&mut values, sd.by, Value::Ref(who.id));
            let next = (wf.next)(sd.key, &values);
            // sent back (a solution returned): the steps from there start empty, and the
            // round they held is kept in the case's history
            if let (Some(to), Some(at)) = (wf.position(next), wf.position(sd.key))
                && to <= at
            {
                let when = super::when::format_datetime(super::register::to_local(ctx.now, ctx.offset));
                wf.restart_from(def, &mut values, next, &when);
            }
            def.set(&mut values, wf.field, Value::Text(next.to_string()));
        }
        if let Some(sd) = completing {
            wf.record_lateness(def, sd, &mut values, &ctx);
        }
        let clocks = if import { Context { now: created, new: true, ..ctx } } else { ctx };
        (wf.advanced)(completing.map(|s| s.key).unwrap_or(""), &mut values, &clocks, s);
        if completing.is_some() {
            wf.clear_late(def, &mut values);
        }
        if let (Some(sd), Some(b)) = (completing, base) {
            spawn = (wf.spawn)(sd.key, &b.number, b.id, &values, &ctx, s);
        }
    }

    // A new entry linked to a record by phone: the one holding the phone, or a new one.
    let mut linked_new = None;
    if base.is_none()
        && let Some(link) = def.link
        && def.value(&values, link.field).is_null()
    {
        match (facts.phone_owner, def.value(&values, link.phone).as_text()) {
            (Some(id), _) => def.set(&mut values, link.field, Value::Ref(id)),
            (None, Some(phone)) => {
                if let Some(card) = (link.build)(&values, s, who.id) {
                    expect.push(Expect::NoPhone { register: link.target, phone: phone.to_string() });
                    linked_new = Some((link.target, card, link.field));
                }
            }
            (None, None) => {}
        }
    }

    let unchanged = base.is_some_and(|b| completing.is_none() && b.values == values);
    Ok(Plan { values, created, completed: completing, spawn, linked_new, expect, unchanged })
}

/// Rule C12: the person a record bars is not named in another of its operator fields (the
/// handler, an approver), whether the record names them by login or by name; and a field
/// that names only some roles (a handler, a technician) names one of them. A field
/// already refused for another reason is not refused twice.
fn barred_named(
    def: &RegisterDef,
    values: &[Value],
    base: Option<&Record>,
    people: &[Person],
    seen: &Problems,
) -> Problems {
    let mut out = Vec::new();
    for (i, fd) in def.fields.iter().enumerate() {
        if !matches!(fd.kind, FieldKind::Lookup(Lookup::Operator))
            || def.access.barred.contains(&fd.key)
            || base.is_some_and(|b| b.values[i] == values[i])
            || seen.iter().any(|(k, _)| *k == fd.key)
        {
            continue;
        }
        let Some(p) = values[i].as_i64().and_then(|id| people.iter().find(|p| p.id == id)) else { continue };
        if access::barred(def, values, p.id, &p.name).is_some() {
            out.push((fd.key, Msg::new("err.access.barred_named").with("name", &p.name)));
        } else if !fd.among.is_empty() && !fd.among.iter().any(|r| p.roles.contains(r)) {
            // the field names only someone who can do what it stands for
            out.push((fd.key, Msg::new("err.lookup.role").with("name", &p.name).with("roles", role_list(fd.among))));
        }
    }
    out
}

/// Plans striking a record through: a supervisor's act with a reason, never by the
/// people the record bars.
pub fn plan_void(def: &RegisterDef, base: &Record, who: Actor, reason: &str) -> Result<String, Problems> {
    if !access::may(def, Act::Void, who.roles) {
        return Err(vec![problem(RECORD, "err.extra.void_role")]);
    }
    if base.voided.is_some() {
        return Err(vec![problem(RECORD, "err.record.voided")]);
    }
    if let Some(p) = access::barred(def, &base.values, who.id, who.name) {
        return Err(vec![p]);
    }
    let reason = super::text::sanitize(reason, false).trim().to_string();
    if reason.is_empty() {
        return Err(vec![problem("reason", "err.void.reason")]);
    }
    Ok(reason)
}

/// Which fields of a form are locked for this operator: a voided record's all; a case's
/// those of other steps, and its card once decided unless they may correct it.
pub fn locks(def: &RegisterDef, rec: Option<&Record>, roles: &[Role]) -> Vec<bool> {
    if rec.is_some_and(|r| r.voided.is_some()) {
        return vec![true; def.fields.len()];
    }
    match def.workflow {
        Some(wf) => {
            let step = rec.map(|r| wf.current(def, &r.values));
            let correct = allows(roles, super::Permission::CorrectRecords);
            wf.editable(def, step, correct).into_iter().map(|e| !e).collect()
        }
        None => vec![false; def.fields.len()],
    }
}

/// The roles as keys the message shows in words, joined by `/`.
fn role_list(roles: &[Role]) -> String {
    roles.iter().map(|r| r.label_key()).collect::<Vec<_>>().join("|")
}

/// An approval outside the approver's scope or authority, or of their own proposal.
pub fn approval_problem(
    def: &RegisterDef,
    a: &Approval,
    values: &[Value],
    who: Actor,
    s: &Settings,
) -> Option<(&'static str, Msg)> {
    // rule C8: the proposer does not decide on their own solution: neither approves it nor
    // sends it back
    if s.int(settings::SEPARATE_DUTIES) != 0
        && let Some(p) = a.proposer
        && def.value(values, p).as_i64() == Some(who.id)
    {
        return Some((a.field, Msg::new("err.approval.own")));
    }
    if def.value(values, a.field).as_text() != Some(a.approved) {
        return None;
    }
    let amount = a.amount.and_then(|k| def.value(values, k).as_i64()).unwrap_or(0);
    let in_scope = |sc: Scope| match sc {
        Scope::Any => true,
        Scope::RecordDepartment(k) => who.department.is_some() && def.value(values, k).as_i64() == who.department,
    };
    let limit_of = |l: Option<&str>| l.map(|k| s.int(k) * 100);
    let mine: Vec<_> = a.approvers.iter().filter(|ap| who.roles.contains(&ap.role) && in_scope(ap.scope)).collect();
    // rule C14: the approvers who could grant this amount, named in the message
    let able: Vec<&str> = a
        .approvers
        .iter()
        .filter(|ap| limit_of(ap.limit).is_none_or(|l| amount <= l))
        .map(|ap| ap.role.label_key())
        .collect();
    let able = able.join("|");
    if mine.is_empty() {
        return Some((a.field, Msg::new("err.approval.scope").with("roles", able)));
    }
    // the widest authority the approver holds; None: no limit at all
    let limits: Option<Vec<i64>> = mine.iter().map(|ap| limit_of(ap.limit)).collect();
    let limit = limits.map(|l| l.into_iter().max().unwrap_or(-1));
    match limit {
        Some(l) if amount > l => Some((
            a.field,
            Msg::new("err.approval.above_limit")
                .with("amount", super::register::format_money(amount))
                .with("limit", super::register::format_money(l.max(0)))
                .with("roles", able),
        )),
        _ => None,
    }
}

/// Rules for paper history: every step's time follows the one before and none lies in
/// the future; a finished case has the stamp of the step that finished it and none of
/// the steps it never reached; each person stamped could have done that step.
/// Rule C15 in paper history: a repeat names an earlier case received no later than
/// itself; and one merged into a case that was already finished when it came in should
/// have reopened that case instead.
fn import_link(def: &RegisterDef, values: &[Value], earlier: Option<&Record>) -> Problems {
    let (Some(dd), Some(old)) = (def.dedupe, earlier) else { return Vec::new() };
    if def.value(values, dd.link).as_i64() != Some(old.id) {
        return Vec::new();
    }
    let (at, then) = (def.value(values, dd.at).as_i64(), def.value(&old.values, dd.at).as_i64());
    if let (Some(at), Some(then)) = (at, then)
        && then > at
    {
        return vec![(dd.link, Msg::new("err.history.repeat_order").with("number", &old.number))];
    }
    let merged = dd.merged.is_some_and(|m| {
        let mut probe = values.to_vec();
        m(&mut probe);
        probe == values
    });
    if let (Some(wf), Some(at), true) = (def.workflow, at, merged) {
        let step = wf.current(def, &old.values);
        let finished = wf.reached_by(step, &old.values).and_then(|sd| def.value(&old.values, sd.at).as_i64());
        if wf.is_done(step) && finished.is_some_and(|f| f <= at) {
            return vec![(dd.link, Msg::new("err.history.repeat_finished").with("number", &old.number))];
        }
    }
    Vec::new()
}

fn import_history(
    def: &RegisterDef,
    values: &[Value],
    created: i64,
    now: i64,
    people: &[Person],
    s: &Settings,
) -> Problems {
    let mut out = Vec::new();
    if let Some(m) = super::register::in_future(created, now) {
        out.push(("created_at", m));
    }
    let Some(wf) = def.workflow else { return out };
    let current = wf.current(def, values).to_string();
    let start = if wf.start.is_empty() { None } else { def.value(values, wf.start).as_i64() };
    // how far the case got: the steps before `reached` are behind it
    let reached = match wf.position(&current) {
        Some(i) => i,
        None if wf.is_done(&current) => match wf.reached_by(&current, values) {
            Some(sd) => {
                if def.value(values, sd.at).is_null() {
                    out.push((sd.at, Msg::new("err.history.missing_stamp")));
                }
                wf.position(sd.key).map(|i| i + 1).unwrap_or(0)
            }
            None => 0,
        },
        None => 0,
    };
    let mut last: Option<(&'static str, i64)> = start.map(|t| (wf.start, t));
    for (i, sd) in wf.steps.iter().enumerate() {
        let at = def.value(values, sd.at).as_i64();
        if i >= reached && (at.is_some() || !def.value(values, sd.by).is_null()) {
            // a stamp of a step the case never reached
            out.push((sd.at, Msg::new("err.history.not_reached")));
            continue;
        }
        if let Some(t) = at {
            if let Some(m) = super::register::in_future(t, now) {
                out.push((sd.at, m));
            }
            if let Some((_, before)) = last
                && t < before
            {
                out.push((sd.at, Msg::new("err.history.order")));
            }
            last = Some((sd.at, t));
            // a step done on paper was signed off there too
            out.extend(gate_problems(def, sd, values));
        }
        // the person stamped could have done the step (its roles, rule C12, C14)
        if let Some(id) = def.value(values, sd.by).as_i64() {
            let Some(p) = people.iter().find(|p| p.id == id) else {
                out.push((sd.by, Msg::new("err.history.unknown_person")));
                continue;
            };
            let who = p.actor();
            let ctx = Context { actor: p.id, step: Some(sd.key), ..Context::new(now, 0) };
            if !sd.roles.iter().any(|r| p.roles.contains(r)) {
                out.push((sd.by, Msg::new("err.step.role").with("roles", role_list(sd.roles))));
            } else if access::barred(def, values, p.id, &p.name).is_some() {
                out.push((sd.by, Msg::new("err.access.barred_named").with("name", &p.name)));
            } else if let Some((_, m)) = (wf.may)(sd.key, values, &ctx, &p.roles, s) {
                out.push((sd.by, m));
            } else if let Some(a) = sd.approval
                && let Some((_, m)) = approval_problem(def, a, values, who, s)
            {
                // said of the person stamped, not of whoever imports the file
                let m = match m.key {
                    "err.approval.own" => Msg::new("err.approval.own_named").with("name", &p.name),
                    "err.approval.above_limit" => {
                        Msg { key: "err.approval.above_limit_named", ..m }.with("name", &p.name)
                    }
                    _ => m,
                };
                out.push((sd.by, m));
            }
        }
    }
    // nothing of the case's own record (told, reported) before it began
    if let Some(t0) = start {
        for (fd, v) in def.fields.iter().zip(values) {
            if let Value::Time(t) = v
                && fd.kind == super::FieldKind::DateTime
                && *t < t0
                && wf.steps.iter().any(|s| s.at == fd.key)
                && !out.iter().any(|(k, _)| *k == fd.key)
            {
                out.push((fd.key, Msg::new("err.history.order")));
            }
        }
    }
    out
}
