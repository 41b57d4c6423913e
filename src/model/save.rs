//! Saving a form through the checked write path, merging a conflict, voiding.

use crate::domain::access;
use crate::domain::plan::{Change, Facts, Person, plan, plan_void};
use crate::domain::register::{Context, FieldKind, Lookup, Record, RegisterDef};
use crate::domain::{Msg, Value};
use crate::store::{Operator, StoreError};

use super::desk::describe;
use super::form::{ConflictView, FormState, Similar};
use super::{FormKind, Level, Model, Overlay, REASON_FIELDS};

impl Model {
    /// The operator at the keyboard, as the write path knows them.
    pub(super) fn actor(&self) -> Option<Person> {
        self.desk().map(|d| person(&d.op))
    }

    /// Everyone a record's operator fields may name, as the rules know them.
    pub(super) fn people(&self) -> Vec<Person> {
        self.desk().map(|d| d.operators.iter().map(person).collect()).unwrap_or_default()
    }

    /// What a plan of `def` may read, read now: the card a record inherits from, the
    /// card that already holds a new entry's phone. A read that fails is an error, never
    /// "no card": a key customer's flag (rule C17) must not fall away on a busy database.
    pub(super) fn facts_for(
        &self,
        def: &RegisterDef,
        values: &[Value],
    ) -> crate::store::Result<(Option<Record>, Option<i64>)> {
        let linked = match def.inherit.and_then(|inh| def.value(values, inh.field).as_i64().map(|id| (inh, id))) {
            Some((inh, id)) => match self.store.get(inh.target, id) {
                Ok(card) => Some(card),
                // a card that is not there is the plan's to refuse
                Err(StoreError::NotFound) => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let owner = match def.link {
            Some(link) => match def.value(values, link.phone) {
                Value::Text(p) if def.value(values, link.field).is_null() => {
                    self.store.by_phone(link.target, p)?.first().copied()
                }
                _ => None,
            },
            None => None,
        };
        Ok((linked, owner))
    }

    /// Tries a queued save again (F14), when its form is the one on screen and nothing is
    /// open over it; a form closed meanwhile takes its save with it.
    pub(super) fn retry_save(&mut self) {
        let Some(register) = self.pending_save else { return };
        let Some(d) = self.desk() else {
            self.pending_save = None;
            return;
        };
        let open = d.boards.iter().flat_map(|b| &b.views).any(|v| v.def.name == register && v.form.is_some());
        if !open {
            self.pending_save = None;
            return;
        }
        let here = d.view().is_some_and(|v| v.def.name == register) && d.form().is_some();
        if here && d.lock.is_none() && self.overlay.is_none() {
            self.save_form();
        } else {
            // still waiting: the line keeps saying so
            self.say(Msg::new("status.save_waiting"), Level::Warn);
        }
    }

    /// Saves the open register form through the one write path: every field parsed, the
    /// change planned (permission, locks, the step, the rules), then one transaction.
    pub(super) fn save_form(&mut self) {
        self.pending_save = None;
        let settings = self.settings.clone();
        let ctx = self.ctx();
        let Some(me) = self.actor() else { return };
        let actor = me.id;
        let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) else { return };
        let def = v.def;
        let Some(f) = v.form.as_mut() else { return };
        f.clear_errors();
        f.suggest = None;
        let parse_ctx = Context { new: f.is_new(), ..ctx };
        let (values, parsed) = f.parse_all(&parse_ctx);
        let base = f.base.clone();
        let merge = f.merge_into;
        let mine = values.clone();
        let who = me.actor();
        let people = self.people();
        let mut attempt = 0;
        let outcome = loop {
            attempt += 1;
            let (linked, owner) = match self.facts_for(def, &values) {
                Ok(facts) => facts,
                Err(e) => return self.save_failed(def, base.as_ref(), &mine, e),
            };
            let facts = Facts { linked: linked.as_ref(), phone_owner: owner, people: &people, repeats: None };
            let change = match &base {
                Some(b) => Change::Update { base: b, values: values.clone() },
                None => Change::Create(values.clone()),
            };
            let planned = plan(def, change, who, &settings, &ctx, facts);
            let p = match planned {
                Ok(p) if parsed => p,
                Ok(_) => break Err(Vec::new()),
                Err(problems) => break Err(problems),
            };
            if let (None, Some((into, reopen)), Some(dd)) = (&base, merge, def.dedupe)
                && (reopen || dd.merged.is_some())
            {
                return self.save_merged(actor, &ctx, def, &dd, p.values, into, reopen);
            }
            // Nothing changed and no step completed: nothing to write, no new version.
            if p.unchanged {
                self.close_form();
                return;
            }
            match self.store.apply(actor, &ctx, def, base.as_ref(), &p) {
                // what the plan read changed meanwhile: plan again, once
                Err(StoreError::Stale) if attempt < 2 => continue,
                r => break Ok((p, r)),
            }
        };
        let (p, result) = match outcome {
            Ok(x) => x,
            Err(problems) => {
                let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) else { return };
                // Every problem at once, each at its field; a field that did not parse keeps
                // its own message; a problem of the whole record goes to the form's notice.
                let mut general = None;
                for (k, m) in problems {
                    // a record not the operator's to touch says so plainly, not "fix a field"
                    if m.key == "err.access.barred" {
                        general = Some(m.clone());
                    }
                    if k == crate::domain::plan::RECORD {
                        general = Some(m);
                    } else if f.index(k).is_none_or(|i| f.values[i].error.is_none()) {
                        f.set_error(k, m);
                    }
                }
                f.focus_first_error();
                let n = f.error_count();
                match general {
                    Some(m) if n == 0 || m.key == "err.access.barred" => self.say(m, Level::Error),
                    _ => self.say(Msg::new("err.form.invalid").with("n", n.max(1)), Level::Error),
                }
                return;
            }
        };
        let completing = p.completed;
        let values = p.values;
        match result {
            Ok(applied) => {
                self.delete_current_draft();
                let new = base.is_none();
                if let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) {
                    v.drop_form();
                    v.list.show_id = Some(applied.id);
                    if new {
                        // a new record heads the list
                        v.list.anchor = None;
                    }
                }
                self.after_write();
                let number = applied.number;
                let m = match (completing, def.workflow) {
                    (Some(sd), Some(wf)) => {
                        let now_at = def.value(&values, wf.field).as_text().unwrap_or("").to_string();
                        let step = self.t(&format!("step.{}.{}", def.name, sd.key));
                        let next = self.t(&format!("step.{}.{now_at}", def.name));
                        // a step that finishes the case says so, not "next: closed"
                        let key = if wf.is_done(&now_at) { "status.step_finished" } else { "status.step_done" };
                        Msg::new(key).with("number", number).with("step", step).with("next", next)
                    }
                    _ => match applied.linked {
                        Some(c) => Msg::new("status.saved_with_card").with("number", number).with("card", c),
                        None => Msg::new("status.saved").with("number", number),
                    },
                };
                self.say(m, Level::Info);
            }
            Err(e) => self.save_failed(def, base.as_ref(), &mine, e),
        }
    }

    /// A save that wrote nothing: the form stays, and says why.
    fn save_failed(&mut self, def: &'static RegisterDef, base: Option<&Record>, mine: &[Value], e: StoreError) {
        match e {
            StoreError::Conflict(c) => self.merge_conflict(def, base, mine, *c),
            // F14: another terminal holds the database: the save waits its turn and lands
            // by itself, while the form keeps taking keys
            StoreError::Busy => {
                self.pending_save = Some(def.name);
                self.say(Msg::new("status.save_waiting"), Level::Warn);
            }
            e => {
                // The form stays, and its draft is kept at the next turn; nothing was written.
                let m = e.msg();
                if let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) {
                    f.notice = Some(m.clone());
                }
                self.say(m, Level::Error);
            }
        }
    }

    /// Rule C15: a new record saved as the same case as an earlier one; with `reopen`,
    /// the earlier one reopens as a repeat (rule C11) in the same transaction.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn save_merged(
        &mut self,
        actor: i64,
        ctx: &Context,
        def: &'static RegisterDef,
        dd: &crate::domain::register::Dedupe,
        mut values: Vec<Value>,
        into: i64,
        reopen: bool,
    ) {
        if let Some(merged) = dd.merged {
            merged(&mut values);
        }
        let settings = self.settings.clone();
        // a merged record is finished: its rank, clocks and pin follow from that
        if let Some(wf) = def.workflow {
            (wf.advanced)("", &mut values, ctx, &settings);
        }
        // The case may have moved on since Ctrl-D/Ctrl-R: link only to an open case, reopen
        // only a closed one.
        let state_ok = |old: &Record| {
            let step = def.workflow.map(|wf| wf.current(def, &old.values).to_string()).unwrap_or_default();
            let done = def.workflow.is_some_and(|wf| wf.is_done(&step));
            if reopen { step == "closed" } else { !done }
        };
        let result = match self.store.get(def, into) {
            // rule C12: nobody adds to, or reopens, a case about themselves
            Ok(old)
                if access::barred(def, &old.values, actor, &self.actor().map(|p| p.name).unwrap_or_default())
                    .is_some() =>
            {
                Err(StoreError::Invalid(Msg::new("err.access.barred")))
            }
            Ok(old) if !state_ok(&old) => {
                Err(StoreError::Invalid(Msg::new("err.merge.moved").with("number", old.number)))
            }
            Ok(old) if reopen => {
                let mut again = old.values.clone();
                if let Some(reopen) = dd.reopen {
                    reopen(&mut again, ctx, &settings);
                }
                self.store
                    .update_with(actor, ctx, def, &old, &again, &[(def, values)])
                    .map(|(r, created)| (r.number, created.into_iter().next().map(|c| c.1).unwrap_or_default()))
            }
            Ok(old) => self.store.insert(actor, ctx, def, &values).map(|(_, number)| (old.number, number)),
            Err(e) => Err(e),
        };
        match result {
            Ok((into_number, number)) => {
                self.delete_current_draft();
                if let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) {
                    v.drop_form();
                }
                self.after_write();
                // rule C13: reopening a case of a month already submitted changes what that
                // month counts now; its frozen figures stay, and F7 names the change
                let submitted = match (reopen, def.report) {
                    (true, Some(rep)) => self.store.get(def, into).ok().and_then(|old| {
                        let months = crate::domain::stats::months_of(rep, def, [old.values.as_slice()], ctx.offset);
                        let done = self.store.submitted_months(rep.key).unwrap_or_default();
                        months.into_iter().find(|mo| done.contains(mo))
                    }),
                    _ => None,
                };
                let m = match (reopen, submitted) {
                    (true, Some(month)) => Msg::new("status.reopened_submitted").with("month", month),
                    (true, None) => Msg::new("status.reopened"),
                    (false, _) => Msg::new("status.merged"),
                };
                self.say(m.with("number", number).with("into", into_number), Level::Info);
            }
            Err(e) => self.say(e.msg(), Level::Error),
        }
    }

    /// Someone saved the record after this operator opened it. A field only they changed
    /// is taken into the form; a field both changed keeps this operator's text and is
    /// listed with theirs. Nothing is lost either way; the next save is a knowing one.
    pub(super) fn merge_conflict(
        &mut self,
        def: &'static RegisterDef,
        base: Option<&Record>,
        mine: &[Value],
        c: crate::store::Conflict,
    ) {
        let Some(base) = base else { return };
        // Voided meanwhile: nothing can be saved into it. Who did it and when is said; what
        // was typed stays in the form and in its draft, for the operator to use elsewhere.
        if let Some(vd) = c.theirs.voided.clone() {
            let msg = self.voided_msg(&vd);
            let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) else { return };
            f.conflict = None;
            f.notice = Some(msg.clone());
            let locked = vec![true; def.fields.len()];
            f.lock(locked);
            f.base = Some(c.theirs);
            f.dirty = true;
            self.save_drafts();
            self.say(msg, Level::Warn);
            return;
        }
        // the last to write it, or (never written since) who wrote it down
        let who = c.theirs.updated_by.unwrap_or(c.theirs.created_by);
        let by = self.lookup_label(Lookup::Operator, who);
        let at = c.theirs.updated_at.unwrap_or(c.theirs.created_at);
        let (merged, both): (Vec<usize>, Vec<usize>) = c.changed.iter().partition(|&&i| mine[i] == base.values[i]);
        let theirs_text: Vec<(usize, String)> =
            both.iter().map(|&i| (i, describe(self, &def.fields[i], &c.theirs.values[i]))).collect();
        let labels: Vec<String> = merged
            .iter()
            .map(|&i| match (def.fields[i].kind, &c.theirs.values[i]) {
                (FieldKind::Lookup(l), Value::Ref(id)) => self.lookup_label(l, *id),
                _ => String::new(),
            })
            .collect();
        let offset = self.offset;
        let locked = self.locks(def, Some(&c.theirs));
        // What this operator typed that can no longer be saved (the step moved on
        // meanwhile): said plainly, with the text, never dropped without a word.
        let lost: Vec<String> = (0..def.fields.len())
            .filter(|&i| locked[i] && mine[i] != base.values[i] && mine[i] != c.theirs.values[i] && !mine[i].is_null())
            .map(|i| {
                format!("{}: {}", self.t(&def.label_key(def.fields[i].key)), describe(self, &def.fields[i], &mine[i]))
            })
            .collect();
        let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) else { return };
        if !lost.is_empty() {
            f.notice = Some(Msg::new("conflict.lost").with("fields", lost.join("; ")));
        }
        for (&i, l) in merged.iter().zip(&labels) {
            f.set_value(i, &c.theirs.values[i], offset, &|_, _| l.clone());
        }
        let fields: Vec<_> = theirs_text.into_iter().map(|(i, t)| (i, t, f.values[i].raw.clone())).collect();
        let key = if fields.is_empty() { "status.conflict_merged" } else { "status.conflict" };
        f.conflict = Some(ConflictView { by: by.clone(), at, fields, merged });
        // A case may have moved on meanwhile: the fields open to this operator follow it.
        f.lock(locked);
        f.base = Some(c.theirs);
        self.say(Msg::new(key).with("name", by), Level::Warn);
    }

    /// A record voided by someone, named, with when and why.
    pub(super) fn voided_msg(&self, vd: &crate::domain::register::Voided) -> Msg {
        let at = crate::domain::register::to_local(vd.at, self.offset).format("%m-%d %H:%M").to_string();
        Msg::new("conflict.voided")
            .with("name", self.lookup_label(Lookup::Operator, vd.by))
            .with("time", at)
            .with("reason", &vd.reason)
    }

    /// Ctrl-D: this complaint is the same case as an open similar one; Ctrl-R: it reopens
    /// a recently closed one as a repeat. Pressed again, each moves to the next candidate
    /// in the list, so the operator chooses which case.
    pub(super) fn merge_with(&mut self, reopen: bool) {
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let (def, Some(f)) = (v.def, v.form.as_ref()) else { return };
        let Some(dd) = def.dedupe else { return };
        if reopen && dd.reopen.is_none() {
            return;
        }
        // a repeat names any earlier job, finished or not; a case merges only into an open one
        let fits = |s: &Similar| if reopen { s.reopenable } else { s.open || dd.merged.is_none() };
        let candidates: Vec<Similar> = f.similar.iter().filter(|s| fits(s)).cloned().collect();
        let after = match f.merge_into {
            Some((id, r)) if r == reopen => candidates.iter().position(|s| s.id == id).map(|i| i + 1),
            _ => None,
        };
        let target = candidates.get(after.unwrap_or(0) % candidates.len().max(1)).cloned();
        let Some(t) = target else {
            self.say(Msg::new("status.no_similar"), Level::Warn);
            return;
        };
        let label = match self.store.get(def, t.id) {
            Ok(r) => def.record_label(&r),
            Err(_) => t.number.clone(),
        };
        if let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) {
            f.set(dd.link, &label, Some(t.id));
            f.merge_into = Some((t.id, reopen));
            f.dirty = true;
        }
    }

    pub(super) fn ask_void(&mut self) {
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let def = v.def;
        let Some(rec) = v.list.current().cloned() else { return };
        let Some(me) = self.actor() else { return };
        if rec.voided.is_some() {
            self.say(Msg::new("err.record.voided"), Level::Warn);
            return;
        }
        // the same judgement as the save: refused before the reason is typed
        let who = me.actor();
        if let Err(p) = plan_void(def, &rec, who, "-") {
            if let Some((_, m)) = p.into_iter().next() {
                self.say(m, Level::Error);
            }
            return;
        }
        let mut f = FormState::new("void", REASON_FIELDS);
        f.notice = Some(Msg::new("void.which").with("number", rec.number.clone()));
        self.overlay = Some(Overlay::Form(FormKind::VoidReason, Box::new(f)));
    }

    pub(super) fn void_selected(&mut self, reason: &str) {
        let ctx = self.ctx();
        let Some(me) = self.actor() else { return };
        let actor = me.id;
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let def = v.def;
        let Some(rec) = v.list.current().cloned() else { return };
        let who = me.actor();
        let reason = match plan_void(def, &rec, who, reason) {
            Ok(r) => r,
            Err(p) => {
                let (k, m) = p.into_iter().next().unwrap_or(("", Msg::new("err.permission")));
                if k == "reason" {
                    let mut f = FormState::new("void", REASON_FIELDS);
                    f.set_error("reason", m);
                    self.overlay = Some(Overlay::Form(FormKind::VoidReason, Box::new(f)));
                } else {
                    self.say(m, Level::Error);
                }
                return;
            }
        };
        match self.store.void(actor, &ctx, def, rec.id, rec.version, &reason) {
            Ok(_) => {
                self.after_write();
                self.say(Msg::new("status.voided").with("number", rec.number), Level::Info);
            }
            Err(e) => self.say(e.msg(), Level::Error),
        }
    }
}

/// An operator as the rules know them.
fn person(o: &Operator) -> Person {
    Person { id: o.id, name: o.name.clone(), roles: o.roles.clone(), department: o.department_id }
}
