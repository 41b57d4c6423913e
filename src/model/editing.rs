//! Opening, moving through and closing a register's form, and what the operator may type in it.

use crate::domain::access::{self, Act};
use crate::domain::register::{Context, FieldDef, FieldKind, Record, RegisterDef, format};
use crate::domain::{Msg, Value};
use crate::keymap::Cmd;

use super::desk::Screen;
use super::form::FormState;
use super::{Level, Model, Overlay};

impl Model {
    /// Whether the operator may do `act` to the register, as it declares; says why not.
    pub fn may(&mut self, def: &RegisterDef, act: Act) -> bool {
        let ok = self.desk().is_some_and(|d| !d.op.disabled && access::may(def, act, &d.op.roles));
        if !ok {
            self.say(Msg::new("err.permission"), Level::Error);
        }
        ok
    }

    pub(super) fn open_new(&mut self) {
        let Some(def) = self.desk().and_then(|d| d.view()).map(|v| v.def) else { return };
        if !self.may(def, Act::Create) {
            return;
        }
        self.park_form();
        let f = self.new_form(def);
        if let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) {
            v.put_form(f, None);
        }
        self.status = None;
    }

    /// Before another form takes the screen: a changed form goes to its draft (Today
    /// lists it), so nothing typed is lost.
    pub(super) fn park_form(&mut self) {
        if self.desk().and_then(|d| d.view()).and_then(|v| v.form.as_ref()).is_some_and(|f| f.dirty) {
            self.save_drafts();
            self.say(Msg::new("status.draft_parked"), Level::Info);
        }
    }

    pub(super) fn new_form(&self, def: &'static RegisterDef) -> FormState {
        let mut f = FormState::new(def.name, def.fields);
        let me = self.desk().map(|d| (d.op.id, d.op.name.clone()));
        for fd in def.fields {
            match (fd.default, me.as_ref()) {
                (Some("@now"), _) => {
                    let now = format(FieldKind::DateTime, &Value::Time(self.now), self.offset);
                    f.set(fd.key, &now, None);
                }
                (Some("@me"), Some((id, name))) => f.set(fd.key, name, Some(*id)),
                (Some(v), _) if !v.starts_with('@') => f.set(fd.key, v, None),
                _ => {}
            }
        }
        f.dirty = false;
        f.lock(self.locks(def, None));
        f
    }

    pub(super) fn record_form(&self, def: &'static RegisterDef, rec: &Record) -> FormState {
        let label = |fd: &FieldDef, id: i64| match fd.kind {
            FieldKind::Lookup(l) => self.lookup_label(l, id),
            _ => id.to_string(),
        };
        let mut f = FormState::from_record(def.name, def.fields, rec, self.offset, &label);
        // a log written with tokens reads by names and in the operator's language
        for (i, fd) in def.fields.iter().enumerate() {
            if fd.readonly && fd.kind.is_multiline() && f.values[i].raw.contains('{') {
                f.values[i].raw = self.render_tokens(&f.values[i].raw);
            }
        }
        if rec.voided.is_some() {
            f.notice = Some(Msg::new("record.voided_notice"));
        } else if let Some(d) = self.desk()
            && let Some((_, m)) = access::barred(def, &rec.values, d.op.id, &d.op.name)
        {
            // rule C12: said as the record opens, not only when a save is refused
            f.notice = Some(m);
        }
        (f.related, f.related_more) = self.related(def, rec.id);
        f.lock(self.locks(def, Some(rec)));
        // the current step's required fields, marked; who completes it, when not this operator
        if let Some(wf) = def.workflow
            && let Some(sd) = wf.step(wf.current(def, &rec.values))
            && rec.voided.is_none()
        {
            for (i, fd) in def.fields.iter().enumerate() {
                f.step_required[i] = sd.required.contains(&fd.key);
            }
            if let Some((m, _)) = self.step_refusal(def, rec) {
                let at = def.fields.iter().position(|fd| sd.fields.contains(&fd.key)).unwrap_or(0);
                f.step_note = Some((at, m));
            }
        }
        // A case opens at what is to be done now: its current step's first field.
        if let Some(wf) = def.workflow
            && let Some(sd) = wf.step(wf.current(def, &rec.values))
            && let Some(i) = sd.fields.iter().filter_map(|k| f.index(k)).find(|&i| f.editable(i))
        {
            f.focus = i;
        }
        f
    }

    pub(super) fn open_record(&mut self, id: i64) {
        let Some(def) = self.desk().and_then(|d| d.view()).map(|v| v.def) else { return };
        match self.store.get(def, id) {
            Ok(rec) if !self.sees(def, &rec) => self.say(Msg::new("err.access.hidden"), Level::Warn),
            Ok(rec) => {
                let f = self.record_form(def, &rec);
                let parked = self.desk().and_then(|d| d.view()).and_then(|v| v.form.as_ref()).is_some_and(|f| f.dirty);
                self.park_form();
                if let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) {
                    v.put_form(f, None);
                }
                if !parked {
                    self.status = None;
                }
            }
            Err(e) => self.say(e.msg(), Level::Error),
        }
    }

    pub(super) fn form_cmd(&mut self, cmd: Cmd) {
        if self.desk().is_some_and(|d| d.screen == Screen::Admin) {
            self.admin_form_cmd(cmd);
            return;
        }
        let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) else { return };
        match cmd {
            Cmd::NextField => f.next_field(),
            Cmd::PrevField => f.prev_field(),
            Cmd::Down => f.down(),
            Cmd::Up => f.up(),
            Cmd::Clear => {
                f.clear_field();
                // what follows from the field (suggestions, similar cases, the card) follows its clearing
                self.after_edit();
            }
            Cmd::Link | Cmd::Reopen => self.merge_with(cmd == Cmd::Reopen),
            // The view follows the focus; a page key lets the whole form be read,
            // read-only parts included.
            Cmd::PageDown => f.page(10),
            Cmd::PageUp => f.page(-10),
            // in the card's history: Enter opens the line, Esc goes back to the fields
            Cmd::Enter if f.related_at.is_some() => self.open_related(),
            Cmd::Cancel if f.related_at.is_some() => f.related_at = None,
            Cmd::Enter => {
                if let Some(s) = &f.suggest {
                    match s.chosen().cloned() {
                        Some(hit) => {
                            f.pick(&hit);
                            self.refresh_similar();
                            self.refresh_link_note();
                        }
                        // not chosen: the operator moves on with what was typed
                        None => f.next_field(),
                    }
                } else if f.def().kind.is_multiline() && f.editable(f.focus) {
                    f.newline();
                } else {
                    f.next_field();
                }
            }
            // a voided record takes no save; say so rather than close the form
            Cmd::Save if f.base.as_ref().is_some_and(|b| b.voided.is_some()) => {
                let msg = f.base.as_ref().and_then(|b| b.voided.clone()).map(|vd| self.voided_msg(&vd));
                self.say(msg.unwrap_or_else(|| Msg::new("record.voided_notice")), Level::Error);
            }
            Cmd::Save => self.save_form(),
            Cmd::Cancel => {
                if f.suggest.is_some() {
                    f.suggest = None;
                } else if f.dirty {
                    self.overlay = Some(Overlay::Confirm(super::Confirm::Discard));
                } else {
                    self.close_form();
                    // what was said about the form goes with it
                    self.status = None;
                }
            }
            _ => {}
        }
    }

    pub(super) fn close_form(&mut self) {
        if let Some(d) = self.desk_mut() {
            match d.screen {
                Screen::Admin => d.admin.form = None,
                _ => {
                    if let Some(v) = d.view_mut() {
                        v.drop_form();
                    }
                }
            }
        }
        self.refresh_lists();
    }

    pub(super) fn discard_form(&mut self) {
        self.delete_current_draft();
        self.close_form();
        // what was said about the form goes with it
        self.status = None;
    }

    pub(super) fn delete_current_draft(&mut self) {
        let Some((op, slot)) = self.desk().and_then(|d| d.view().map(|v| (d.op.id, v.slot()))) else { return };
        if self.desk().is_some_and(|d| d.screen.is_board())
            && let Err(e) = self.store.delete_draft(op, &slot)
        {
            self.say(e.msg(), Level::Error);
        }
    }

    /// The form the keyboard is in: an overlay's, else the screen's.
    pub(super) fn active_form(&self) -> Option<&FormState> {
        match &self.overlay {
            Some(Overlay::Form(_, f)) => Some(f),
            _ => self.desk().and_then(|d| d.form()),
        }
    }

    pub(super) fn active_form_mut(&mut self) -> Option<&mut FormState> {
        if matches!(self.overlay, Some(Overlay::Form(..))) {
            return match &mut self.overlay {
                Some(Overlay::Form(_, f)) => Some(f),
                _ => None,
            };
        }
        self.desk_mut().and_then(|d| d.form_mut())
    }

    /// Why this operator may not complete the record's current step, judged as the write
    /// path judges it from what the record holds: the step's roles and the register's own
    /// rule (only the case's handler investigates, rule C6; nobody reviews their own
    /// callback, F5) lock the step's fields (`true`); an approval they could not give
    /// (their own proposal, C8; above their limit or outside their department, C14) is
    /// said before anything is typed, and they may still send it back (`false`).
    pub(super) fn step_refusal(&self, def: &RegisterDef, rec: &Record) -> Option<(Msg, bool)> {
        let wf = def.workflow?;
        let sd = wf.step(wf.current(def, &rec.values))?;
        let me = self.actor()?;
        if !sd.roles.iter().any(|x| me.roles.contains(x)) {
            let who: Vec<&str> = sd.roles.iter().map(|r| r.label_key()).collect();
            return Some((Msg::new("form.step_by").with("roles", who.join("|")), true));
        }
        let ctx = Context { step: Some(sd.key), new: false, ..self.ctx() };
        if let Some((_, m)) = (wf.may)(sd.key, &rec.values, &ctx, &me.roles, &self.settings) {
            return Some((m, true));
        }
        let a = sd.approval?;
        let mut approving = rec.values.clone();
        def.set(&mut approving, a.field, Value::Text(a.approved.into()));
        // the proposer decides nothing on their own solution (rule C8): the step is not theirs
        crate::domain::plan::approval_problem(def, a, &approving, me.actor(), &self.settings).map(|(_, m)| {
            let locks = m.key == "err.approval.own";
            (m, locks)
        })
    }

    /// Which fields of a form this operator may not type in: the write path's locks, and
    /// for someone who may not edit the register (or whom the record bars) everything but
    /// the step they may complete. A form never offers what the save would refuse.
    pub(super) fn locks(&self, def: &RegisterDef, rec: Option<&Record>) -> Vec<bool> {
        let Some(d) = self.desk() else { return vec![true; def.fields.len()] };
        let roles = &d.op.roles;
        let mut locked = crate::domain::plan::locks(def, rec, roles);
        let barred = rec.is_some_and(|r| access::barred(def, &r.values, d.op.id, &d.op.name).is_some());
        let act = if rec.is_some() { Act::Edit } else { Act::Create };
        if barred || !access::may(def, act, roles) {
            let own: Vec<&str> = match (def.workflow, rec) {
                (Some(wf), Some(r)) if !barred => wf
                    .step(wf.current(def, &r.values))
                    .filter(|sd| sd.roles.iter().any(|x| roles.contains(x)))
                    .map(|sd| sd.fields.iter().copied().chain(wf.late()).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            for (i, fd) in def.fields.iter().enumerate() {
                if !own.contains(&fd.key) {
                    locked[i] = true;
                }
            }
        }
        // a step's fields are for those who may complete it, as the save path says
        if let (Some(wf), Some(r)) = (def.workflow, rec)
            && let Some(sd) = wf.step(wf.current(def, &r.values))
            && self.step_refusal(def, r).is_some_and(|(_, locks)| locks)
        {
            // and so is saying why it is late (rule C18): that is theirs too
            let late: Vec<&str> = wf.late().collect();
            for (i, fd) in def.fields.iter().enumerate() {
                locked[i] |= sd.fields.contains(&fd.key) || late.contains(&fd.key);
            }
        }
        locked
    }
}
