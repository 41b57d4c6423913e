//! Cases that move through steps (a complaint from receipt to closed): which fields each
//! step records, who may complete it, and what completing it stamps. The engine reads
//! these declarations; a register adds its own rules through the hooks.

use super::register::{Context, FieldDef, Problems, RegisterDef};
use super::roles::Role;
use super::{Msg, Settings, Value};

#[derive(Clone, Copy, Debug)]
pub struct StepDef {
    pub key: &'static str,
    /// The fields recorded at this step; editable while the case is at it.
    pub fields: &'static [&'static str],
    /// Of those, the ones the step cannot complete without.
    pub required: &'static [&'static str],
    /// Who may complete it (a register's own rule may narrow this further).
    pub roles: &'static [Role],
    /// Stamped with the time and the operator when the step completes.
    pub at: &'static str,
    pub by: &'static str,
    /// The step approves something: who may, within what (rules C8, C14; A8, A11).
    pub approval: Option<&'static Approval>,
    /// The operator field naming who answers for this step running late (a handler for
    /// their report); empty: whoever completes it (rule C18).
    pub answers: &'static str,
    /// Yes/no fields that must be yes before the step completes: a sign-off (the customer
    /// agreed to the fee, R4; the signed copy came back, R5; both sides signed, A2, A6).
    pub gates: &'static [&'static str],
}

impl StepDef {
    /// A step recording `fields`, done by `roles`, stamped in `at`/`by`.
    pub const fn new(
        key: &'static str,
        fields: &'static [&'static str],
        roles: &'static [Role],
        at: &'static str,
        by: &'static str,
    ) -> StepDef {
        StepDef { key, fields, required: fields, roles, at, by, approval: None, answers: "", gates: &[] }
    }
    pub const fn gated_by(mut self, gates: &'static [&'static str]) -> StepDef {
        self.gates = gates;
        self
    }
    pub const fn answered_by(mut self, field: &'static str) -> StepDef {
        self.answers = field;
        self
    }
    pub const fn requires(mut self, required: &'static [&'static str]) -> StepDef {
        self.required = required;
        self
    }
    pub const fn approves(mut self, a: &'static Approval) -> StepDef {
        self.approval = Some(a);
        self
    }
}

/// Whose department an approver must belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Anyone holding the role.
    Any,
    /// The department the record names in this field (a complaint's handling department).
    RecordDepartment(&'static str),
}

/// One kind of approver: a role, where they may approve, and up to how much (a
/// setting in whole currency units; None: no limit).
#[derive(Clone, Copy, Debug)]
pub struct Approver {
    pub role: Role,
    pub scope: Scope,
    pub limit: Option<&'static str>,
}

/// An approval step's declaration: which choice approves, of what amount, by whom.
#[derive(Clone, Copy, Debug)]
pub struct Approval {
    /// The choice field and its code that means "approved" (other codes send it back).
    pub field: &'static str,
    pub approved: &'static str,
    /// The money field the limits apply to, if any.
    pub amount: Option<&'static str>,
    pub approvers: &'static [Approver],
    /// The field naming who proposed what is approved: separation of duties (a setting,
    /// on by default) keeps them from approving it themselves.
    pub proposer: Option<&'static str>,
}

/// Rule C18 as a declaration: a step completed past the case's step deadline says why, and
/// by when the rest will be done; whoever let it run late is named in the log, each of
/// them, for the time that was theirs (every step's deadline starts when the step does).
#[derive(Clone, Copy, Debug)]
pub struct Lateness {
    /// The field holding the current step's deadline.
    pub due: &'static str,
    /// Why it ran late, and the new target for what is still to do (asked only when the
    /// step is done late, and once: they are cleared when the step completes).
    pub reason: &'static str,
    pub target: &'static str,
    /// The last person who let a step run late, and the log of all of them.
    pub by: &'static str,
    pub log: &'static str,
}

/// Another record to create in the same transaction (a callback when a case closes).
pub type Spawn = (&'static RegisterDef, Vec<Value>);

/// Why the operator may not complete a step: the field to point at, and the reason.
pub type MayFn =
    fn(step: &str, values: &[Value], ctx: &Context, roles: &[Role], s: &Settings) -> Option<(&'static str, Msg)>;

/// Records to create when a step completes, from the case's number, id and values.
pub type SpawnFn = fn(step: &str, number: &str, id: i64, values: &[Value], ctx: &Context, s: &Settings) -> Vec<Spawn>;

#[derive(Clone, Copy)]
pub struct Workflow {
    /// The field holding the current step's key.
    pub field: &'static str,
    /// The time the case began (received), which every step's time follows.
    pub start: &'static str,
    pub steps: &'static [StepDef],
    /// Steps at which the case is finished.
    pub done: &'static [&'static str],
    /// Fields that may change at any step before the case is finished.
    pub anytime: &'static [&'static str],
    /// Lateness (rule C18): its fields for explaining a late step are open once the case
    /// exists.
    pub lateness: Option<Lateness>,
    /// Card fields fixed once the case is received (who is complained about, rule C12).
    pub fixed: &'static [&'static str],
    /// A log field keeping each earlier round of steps done again (a solution sent back,
    /// a case reopened): what was recorded, by whom, when. Empty: none kept.
    pub rounds: &'static str,
    /// The step after `step`, given what was recorded.
    pub next: fn(step: &str, values: &[Value]) -> &'static str,
    /// Runs after a step completes (step "" = the case was created): deadlines, flags.
    pub advanced: fn(step: &str, values: &mut [Value], ctx: &Context, s: &Settings),
    /// A register's own limit on who may complete a step: the field and the reason.
    pub may: MayFn,
    /// Records to create when a step completes.
    pub spawn: SpawnFn,
}

impl Workflow {
    pub fn step(&self, key: &str) -> Option<&'static StepDef> {
        self.steps.iter().find(|s| s.key == key)
    }

    pub fn current<'a>(&self, def: &RegisterDef, values: &'a [Value]) -> &'a str {
        def.value(values, self.field).as_text().unwrap_or("")
    }

    pub fn is_done(&self, step: &str) -> bool {
        self.done.contains(&step)
    }

    /// The fields that explain a late step.
    pub fn late(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.lateness.into_iter().flat_map(|l| [l.reason, l.target])
    }

    /// Rule C18: completing `done` past the step's deadline needs a reason, and a new
    /// target unless the step finishes the case.
    pub fn late_problems(&self, def: &RegisterDef, done: &StepDef, values: &[Value], now: i64) -> Problems {
        let Some(l) = self.lateness else { return Vec::new() };
        if def.value(values, l.due).as_i64().is_none_or(|due| now <= due) {
            return Vec::new();
        }
        let mut out = Vec::new();
        if def.value(values, l.reason).is_null() {
            out.push((l.reason, Msg::new("err.late.reason")));
        }
        let finishing = self.is_done((self.next)(done.key, values));
        match def.value(values, l.target).as_i64() {
            None if !finishing => out.push((l.target, Msg::new("err.late.target"))),
            Some(t) if t <= now => out.push((l.target, Msg::new("err.late.target_past"))),
            _ => {}
        }
        out
    }

    /// Rule C18: `done` was completed late: who answers for it is named, and a line goes
    /// into the log with the step, the person, the deadline, when it was done, why, and
    /// the new target. Tokens (`{step:..}`, `{op:..}`) are shown by name on screen.
    pub fn record_lateness(&self, def: &RegisterDef, done: &StepDef, values: &mut [Value], ctx: &Context) {
        let Some(l) = self.lateness else { return };
        let Some(due) = def.value(values, l.due).as_i64().filter(|due| ctx.now > *due) else { return };
        let answers = if done.answers.is_empty() { None } else { def.value(values, done.answers).as_i64() };
        let who = answers.unwrap_or(ctx.actor);
        def.set(values, l.by, Value::Ref(who));
        let local = |t: i64| super::when::format_datetime(super::register::to_local(t, ctx.offset));
        let target = def.value(values, l.target).as_i64().map(|t| format!(" → {}", local(t))).unwrap_or_default();
        let line = format!(
            "{} {{step:{}.{}}} {{op:{who}}} {} > {}: {}{target}",
            local(ctx.now),
            def.name,
            done.key,
            local(due),
            local(ctx.now),
            def.value(values, l.reason).as_text().unwrap_or(""),
        );
        def.append_line(values, l.log, &line);
    }

    /// After a step completes, its lateness was said: the next step asks afresh.
    pub fn clear_late(&self, def: &RegisterDef, values: &mut [Value]) {
        for k in self.late() {
            def.set(values, k, Value::Null);
        }
    }

    /// The position of a step in the order the case goes through them.
    pub fn position(&self, step: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.key == step)
    }

    /// The case goes back to `from` (a solution sent back, a case reopened): the steps
    /// from there on start empty, and what they held goes into the rounds log, with tokens
    /// the screen shows in words (`{step:..}`, `{field:..}`, `{op:..}`).
    pub fn restart_from(&self, def: &RegisterDef, values: &mut [Value], from: &str, when: &str) {
        let Some(start) = self.position(from) else { return };
        let mut lines = Vec::new();
        for sd in &self.steps[start..] {
            let done_by = def.value(values, sd.by).as_i64();
            let recorded: Vec<String> = sd
                .fields
                .iter()
                .filter(|k| !def.value(values, k).is_null() && !matches!(def.value(values, k), Value::Bool(false)))
                .map(|k| {
                    let shown = match def.value(values, k) {
                        Value::Text(t) => match def.field(k).map(|f| f.kind) {
                            Some(super::FieldKind::Choice { list, .. }) => format!("{{choice:{list}.{t}}}"),
                            _ => t.replace('\n', " "),
                        },
                        Value::Money(c) => super::register::format_money(*c),
                        other => super::register::format(
                            def.field(k).map(|f| f.kind).unwrap_or(super::FieldKind::Text { max: 0 }),
                            other,
                            0,
                        ),
                    };
                    format!("{{field:{}.{k}}} {shown}", def.name)
                })
                .collect();
            if !recorded.is_empty() || done_by.is_some() {
                let by = done_by.map(|id| format!(" {{op:{id}}}")).unwrap_or_default();
                lines.push(format!("{when} {{step:{}.{}}}{by}: {}", def.name, sd.key, recorded.join("; ")));
            }
            for k in sd.fields.iter().chain([&sd.at, &sd.by]) {
                let empty = match def.field(k).map(|f| f.kind) {
                    Some(super::FieldKind::YesNo) => Value::Bool(false),
                    _ => Value::Null,
                };
                def.set(values, k, empty);
            }
        }
        if self.rounds.is_empty() || lines.is_empty() {
            return;
        }
        def.append_line(values, self.rounds, &lines.join("\n"));
    }

    /// The step whose completion leads to `step`, given what was recorded (the step that
    /// closed or rejected a case).
    pub fn reached_by(&self, step: &str, values: &[Value]) -> Option<&'static StepDef> {
        self.steps.iter().rev().find(|s| (self.next)(s.key, values) == step)
    }

    /// Fields some step records or stamps (the rest are the card, typed on receipt).
    fn in_steps(&self, key: &str) -> bool {
        self.steps.iter().any(|s| s.fields.contains(&key) || s.at == key || s.by == key)
    }

    /// Which fields the operator may type in, for a new case or one at `step`. The card
    /// (fields no step records) is typed at receipt and fixed once the first step is
    /// done; `correct`: the operator may still correct it (with a reason).
    pub fn editable(&self, def: &RegisterDef, step: Option<&str>, correct: bool) -> Vec<bool> {
        let first = self.steps.first().map(|s| s.key);
        def.fields
            .iter()
            .map(|f: &FieldDef| {
                if f.readonly || f.key == self.field {
                    return false;
                }
                let card = self.is_card(f.key);
                match step {
                    None => card || self.anytime.contains(&f.key),
                    Some(s) if self.is_done(s) => false,
                    Some(_) if self.fixed.contains(&f.key) => false,
                    Some(s) => {
                        (card && (Some(s) == first || correct))
                            || self.anytime.contains(&f.key)
                            || self.late().any(|k| k == f.key)
                            || self.step(s).is_some_and(|d| d.fields.contains(&f.key))
                    }
                }
            })
            .collect()
    }

    /// Whether a field is part of the card (typed at receipt, recorded by no step).
    pub fn is_card(&self, key: &str) -> bool {
        !self.in_steps(key) && !self.anytime.contains(&key) && !self.late().any(|k| k == key) && key != self.field
    }
}

/// What a save of a case at `step` does, judged from which of the step's fields are
/// filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Advance {
    /// Nothing of the step was recorded: save the other changes, stay at the step.
    Stay,
    /// Everything the step needs is there: complete it.
    Complete,
    /// Some of it is there: these required fields are missing.
    Missing(Vec<&'static str>),
}

/// A sign-off the step is completed without: each gate that is not yes.
pub fn gate_problems(def: &RegisterDef, step: &StepDef, values: &[Value]) -> Problems {
    step.gates.iter().filter(|k| !def.value(values, k).as_bool()).map(|k| (*k, Msg::new("err.step.gate"))).collect()
}

pub fn advance(def: &RegisterDef, step: &StepDef, values: &[Value], before: &[Value]) -> Advance {
    // A field counts as recorded when it holds something it did not hold before.
    let touched = step.fields.iter().any(|k| {
        let v = def.value(values, k);
        !v.is_null() && v != def.value(before, k) && !matches!(v, Value::Bool(false))
    });
    let missing: Vec<&'static str> = step.required.iter().copied().filter(|k| def.value(values, k).is_null()).collect();
    match (touched, missing.is_empty()) {
        (false, _) => Advance::Stay,
        (true, true) => Advance::Complete,
        (true, false) => Advance::Missing(missing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::complaint::{REGISTER, WORKFLOW};

    fn at(step: &str) -> Vec<Value> {
        let mut v = vec![Value::Null; REGISTER.fields.len()];
        REGISTER.set(&mut v, "step", Value::Text(step.into()));
        v
    }

    #[test]
    fn a_step_completes_only_when_something_of_it_was_recorded_and_all_it_needs_is_there() {
        let sd = WORKFLOW.step("decide").unwrap();
        let before = at("decide");
        assert_eq!(advance(&REGISTER, sd, &before, &before), Advance::Stay, "nothing recorded");
        let mut v = before.clone();
        REGISTER.set(&mut v, "decision", Value::Text("stands".into()));
        assert_eq!(advance(&REGISTER, sd, &v, &before), Advance::Missing(vec!["decision_reason"]));
        REGISTER.set(&mut v, "decision_reason", Value::Text("属实".into()));
        assert_eq!(advance(&REGISTER, sd, &v, &before), Advance::Complete);
        // what was there already does not count as recorded now
        assert_eq!(advance(&REGISTER, sd, &v, &v), Advance::Stay);
    }

    #[test]
    fn the_card_is_open_until_decided_then_only_to_those_who_correct_it() {
        let i = REGISTER.index("subject").unwrap();
        let j = REGISTER.index("cause").unwrap();
        assert!(WORKFLOW.editable(&REGISTER, None, false)[i], "a new case");
        assert!(WORKFLOW.editable(&REGISTER, Some("decide"), false)[i], "at its first step");
        assert!(!WORKFLOW.editable(&REGISTER, Some("assign"), false)[i], "once decided");
        assert!(WORKFLOW.editable(&REGISTER, Some("assign"), true)[i], "a correction");
        assert!(!WORKFLOW.editable(&REGISTER, Some("assign"), false)[j], "another step's field");
        assert!(WORKFLOW.editable(&REGISTER, Some("investigate"), false)[j], "its own step's field");
        assert!(WORKFLOW.editable(&REGISTER, Some("closed"), true).iter().all(|e| !e), "a finished case");
    }

    #[test]
    fn the_step_that_finished_a_case_is_found_from_what_was_recorded() {
        let mut v = at("rejected");
        REGISTER.set(&mut v, "decision", Value::Text("rejected".into()));
        assert_eq!(WORKFLOW.reached_by("rejected", &v).map(|s| s.key), Some("decide"));
        assert_eq!(WORKFLOW.reached_by("closed", &v).map(|s| s.key), Some("close"));
        assert_eq!(WORKFLOW.reached_by("merged", &v).map(|s| s.key), None);
    }

    #[test]
    fn rule_c18_a_late_step_says_why_and_names_who_answers_for_it() {
        let ctx = Context { actor: 9, ..Context::new(10_000, 0) };
        let mut v = at("investigate");
        REGISTER.set(&mut v, "step_due_at", Value::Time(5_000));
        REGISTER.set(&mut v, "handler_id", Value::Ref(5));
        let investigate = WORKFLOW.step("investigate").unwrap();
        let keys = |p: Problems| p.into_iter().map(|(k, m)| (k, m.key)).collect::<Vec<_>>();
        assert_eq!(
            keys(WORKFLOW.late_problems(&REGISTER, investigate, &v, ctx.now)),
            [("late_reason", "err.late.reason"), ("late_target", "err.late.target")]
        );
        // on time: nothing to say
        assert!(WORKFLOW.late_problems(&REGISTER, investigate, &v, 4_000).is_empty());
        REGISTER.set(&mut v, "late_reason", Value::Text("等配件".into()));
        REGISTER.set(&mut v, "late_target", Value::Time(9_000));
        assert_eq!(
            keys(WORKFLOW.late_problems(&REGISTER, investigate, &v, ctx.now)),
            [("late_target", "err.late.target_past")]
        );
        // the handler answers for the report, whoever typed it in
        WORKFLOW.record_lateness(&REGISTER, investigate, &mut v, &ctx);
        assert_eq!(REGISTER.value(&v, "late_by"), &Value::Ref(5));
        // whoever assigns late answers for the assignment
        WORKFLOW.record_lateness(&REGISTER, WORKFLOW.step("assign").unwrap(), &mut v, &ctx);
        assert_eq!(REGISTER.value(&v, "late_by"), &Value::Ref(9));
        let log = REGISTER.value(&v, "late_log").as_text().unwrap();
        assert!(
            log.contains("{step:complaint.investigate} {op:5}") && log.contains("{step:complaint.assign} {op:9}"),
            "{log}"
        );
        // the step that finishes the case needs no new target
        let mut v = at("close");
        REGISTER.set(&mut v, "step_due_at", Value::Time(5_000));
        let close = WORKFLOW.step("close").unwrap();
        assert_eq!(keys(WORKFLOW.late_problems(&REGISTER, close, &v, ctx.now)), [("late_reason", "err.late.reason")]);
        WORKFLOW.clear_late(&REGISTER, &mut v);
        assert!(REGISTER.value(&v, "late_reason").is_null());
    }

    #[test]
    fn rule_r4_r5_a_gated_step_completes_only_once_its_sign_off_is_yes() {
        const GATED: StepDef =
            StepDef::new("inform", &["inform_method", "written_reply_only"], &[], "informed_at", "informed_by")
                .requires(&["inform_method"])
                .gated_by(&["written_reply_only"]);
        let before = at("inform");
        let mut v = before.clone();
        REGISTER.set(&mut v, "inform_method", Value::Text("phone".into()));
        assert_eq!(advance(&REGISTER, &GATED, &v, &before), Advance::Complete);
        let keys =
            |v: &[Value]| gate_problems(&REGISTER, &GATED, v).into_iter().map(|(k, m)| (k, m.key)).collect::<Vec<_>>();
        assert_eq!(keys(&v), [("written_reply_only", "err.step.gate")], "not signed off");
        REGISTER.set(&mut v, "written_reply_only", Value::Bool(false));
        assert_eq!(keys(&v), [("written_reply_only", "err.step.gate")], "a no is no sign-off");
        REGISTER.set(&mut v, "written_reply_only", Value::Bool(true));
        assert!(keys(&v).is_empty());
    }

    #[test]
    fn going_back_empties_the_steps_from_there_and_keeps_their_round() {
        let mut v = at("approve");
        REGISTER.set(&mut v, "cause", Value::Text("配件".into()));
        REGISTER.set(&mut v, "solution", Value::Text("返工".into()));
        REGISTER.set(&mut v, "proposed_by", Value::Ref(5));
        REGISTER.set(&mut v, "approval", Value::Text("returned".into()));
        WORKFLOW.restart_from(&REGISTER, &mut v, "propose", "2026-11-27 10:15");
        assert_eq!(REGISTER.value(&v, "cause"), &Value::Text("配件".into()), "a step before is kept");
        assert!(REGISTER.value(&v, "solution").is_null() && REGISTER.value(&v, "approval").is_null());
        let log = REGISTER.value(&v, "rounds_log").as_text().unwrap();
        assert!(log.contains("{step:complaint.propose} {op:5}") && log.contains("{choice:approval.returned}"), "{log}");
    }
}
