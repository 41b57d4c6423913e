//! The Today screen: the day's entries, newest first, and what must be seen at once.

use crate::domain::access::{self, Act};
use crate::domain::register::{Cond, Record, RegisterDef};
use crate::domain::{REGISTERS, Value};
use crate::keymap::Cmd;
use crate::store::{Operator, PageDir};

use super::desk::{DraftInfo, Queue, TodayView, URGENT_SHOWN};
use super::form::DraftData;
use super::{Model, Overlay};

impl Model {
    pub(super) fn load_today(&mut self) {
        self.today_page(None);
    }

    /// What each register declares urgent, for this operator: all of it for those who
    /// see the whole office, their own department's for its heads (rule C11).
    pub(super) fn urgent_for(&self, op: &Operator) -> Vec<(&'static RegisterDef, Vec<Record>)> {
        use crate::domain::register::{Narrow, NarrowOp};
        let ctx = self.ctx();
        let mut out = Vec::new();
        for def in REGISTERS {
            let Some(u) = def.urgent else { continue };
            if op.disabled || !access::may(def, Act::View, &op.roles) {
                continue;
            }
            let mut narrow = vec![Narrow { field: u.field, op: NarrowOp::Eq, value: Value::Int(u.value) }];
            if !u.all.iter().any(|r| op.roles.contains(r)) {
                match op.department_id {
                    Some(dept) if u.own.iter().any(|r| op.roles.contains(r)) => {
                        narrow.push(Narrow { field: u.department, op: NarrowOp::Eq, value: Value::Ref(dept) })
                    }
                    _ => continue,
                }
            }
            let rows = self
                .store
                .page_narrowed(def, Cond::NotVoided, &narrow, PageDir::First, URGENT_SHOWN + 1, &ctx)
                .unwrap_or_default();
            if !rows.is_empty() {
                out.push((*def, rows));
            }
        }
        out
    }

    /// What waits for this operator's roles (rules C5, C6-C8, F5): for a supervisor or
    /// manager, the cases to assign, their department's solutions to approve and the
    /// callbacks to review; for a handler, the cases at their investigation or solution.
    /// Each queue shows a few rows, fewer on a small terminal, and says when there are more.
    pub(super) fn queues_for(&self, op: &Operator) -> Vec<Queue> {
        use crate::domain::Role;
        use crate::domain::register::{Narrow, NarrowOp};
        use crate::domain::{callback, complaint};
        let ctx = self.ctx();
        let shown = if self.size.1 < 32 { 2 } else { URGENT_SHOWN };
        let gm = op.roles.contains(&Role::GeneralManager);
        let lead = gm || op.roles.iter().any(|r| matches!(r, Role::Supervisor | Role::Manager));
        let fetch = |def: &'static RegisterDef, cond: Cond, narrow: &[Narrow]| {
            if op.disabled || !access::may(def, Act::View, &op.roles) {
                return Vec::new();
            }
            // only what this operator can act on: not a case that names them (rule C12),
            // not their own proposal to approve (C8) or their own callback to review (F5)
            let mut rows =
                self.store.page_narrowed(def, cond, narrow, PageDir::First, 4 * shown + 1, &ctx).unwrap_or_default();
            rows.retain(|r| {
                access::barred(def, &r.values, op.id, &op.name).is_none() && self.step_refusal(def, r).is_none()
            });
            rows
        };
        let eq = |field: &'static str, value: Value| Narrow { field, op: NarrowOp::Eq, value };
        let mut out = Vec::new();
        let mut push = |def: &'static RegisterDef, title: &'static str, mut rows: Vec<Record>| {
            if rows.is_empty() {
                return;
            }
            let more = rows.len() > shown;
            rows.truncate(shown);
            out.push(Queue { def, title, rows, more });
        };
        let cases = &complaint::REGISTER;
        if lead {
            push(cases, "today.queue_assign", fetch(cases, Cond::Is("step", "assign"), &[]));
            // the department's own solutions; the general manager approves any (rule C8)
            let approve = match (gm, op.department_id) {
                (true, _) => fetch(cases, Cond::Is("step", "approve"), &[]),
                (false, Some(dept)) => {
                    fetch(cases, Cond::Is("step", "approve"), &[eq("department_id", Value::Ref(dept))])
                }
                (false, None) => Vec::new(),
            };
            push(cases, "today.queue_approve", approve);
            push(
                &callback::REGISTER,
                "today.queue_review",
                fetch(&callback::REGISTER, Cond::Is("step", "review"), &[]),
            );
        }
        // the handler's own steps (rules C6, C7), the longest waiting first as listed
        let mine = [eq("handler_id", Value::Ref(op.id))];
        let mut handling = fetch(cases, Cond::Is("step", "investigate"), &mine);
        handling.extend(fetch(cases, Cond::Is("step", "propose"), &mine));
        push(cases, "today.queue_mine", handling);
        out
    }

    /// Loads the drafts and a page of today's visitors: the page shown (`None`) or
    /// another. The day's visitors go newest first by keyset, like a register's list; the
    /// count is the whole day's.
    pub(super) fn today_page(&mut self, mv: Option<Cmd>) {
        let ctx = self.ctx();
        let Some(op) = self.desk().map(|d| d.op.clone()) else { return };
        let drafts = self
            .store
            .drafts(op.id)
            .unwrap_or_default()
            .into_iter()
            .map(|draft| {
                // named by the register's title field (a visitor's name, a complaint's subject)
                let def = crate::domain::register(&draft.register);
                let summary = serde_json::from_str::<DraftData>(&draft.data)
                    .ok()
                    .and_then(|d| def.and_then(|def| d.field(def.fields, def.title).map(|v| v.raw.clone())))
                    .unwrap_or_default();
                DraftInfo { summary, draft }
            })
            .collect();
        let urgent = self.urgent_for(&op);
        let queues = self.queues_for(&op);
        let def = &crate::domain::visitor::REGISTER;
        let cond = Cond::Today("occurred_at");
        let Some(t) = self.desk().map(|d| &d.today) else { return };
        let drafts_now = TodayView { drafts, urgent, queues, ..Default::default() };
        let urgent = drafts_now.urgent.clone();
        let queues = drafts_now.queues.clone();
        let size = drafts_now.page_rows(self.size.1);
        let drafts = drafts_now.drafts;
        let (anchor, more) = (t.anchor, t.more);
        let (first, last) = (t.visitors.first().map(|r| r.id), t.visitors.last().map(|r| r.id));
        let dir = match mv {
            None => anchor.map(PageDir::From).unwrap_or(PageDir::First),
            Some(Cmd::First) => PageDir::First,
            Some(Cmd::PageDown) if more => last.map(PageDir::Before).unwrap_or(PageDir::First),
            Some(Cmd::PageUp) if anchor.is_some() => first.map(PageDir::After).unwrap_or(PageDir::First),
            Some(Cmd::Last) => PageDir::Last,
            // nothing beyond this page: it stays
            _ => return,
        };
        let page = |dir| self.store.page(def, cond, dir, size + 1, &ctx);
        let (visitors, total, anchor, more) = if !op.disabled && access::may(def, Act::View, &op.roles) {
            let total = self.store.count_where(def, cond, &ctx).unwrap_or(0);
            let mut rows = page(dir).unwrap_or_default();
            let (anchor, more) = match dir {
                // fetched oldest first and turned round: the extra row is the newer one
                PageDir::After(_) | PageDir::Last if rows.len() > size => {
                    rows.remove(0);
                    (rows.first().map(|r| r.id), true)
                }
                // the page reaches the newest row: it is the first page
                PageDir::After(_) | PageDir::Last => {
                    rows = page(PageDir::First).unwrap_or_default();
                    let more = rows.len() > size;
                    rows.truncate(size);
                    (None, more)
                }
                PageDir::First => {
                    let more = rows.len() > size;
                    rows.truncate(size);
                    (None, more)
                }
                _ => {
                    let more = rows.len() > size;
                    rows.truncate(size);
                    (rows.first().map(|r| r.id), more)
                }
            };
            (rows, total, anchor, more)
        } else {
            (Vec::new(), 0, None, false)
        };
        if let Some(d) = self.desk_mut() {
            let t = &mut d.today;
            t.drafts = drafts;
            t.urgent = urgent;
            t.queues = queues;
            t.visitors = visitors;
            t.total = total;
            t.anchor = anchor;
            t.more = more;
            // a new page starts at its first visitor (its last, coming from below)
            let first_visitor = t.drafts.len() + t.panel_rows().len();
            match mv {
                Some(Cmd::PageUp) | Some(Cmd::Last) => t.selected = first_visitor + t.visitors.len().saturating_sub(1),
                Some(_) => t.selected = first_visitor,
                None => {}
            }
            let n = first_visitor + t.visitors.len();
            t.selected = t.selected.min(n.saturating_sub(1));
        }
    }

    pub(super) fn today_cmd(&mut self, cmd: Cmd) {
        let Some(d) = self.desk_mut() else { return };
        // the drafts, then what is urgent and queued, then today's visitors
        let panel: Vec<(&'static str, i64)> = d.today.panel_rows().iter().map(|(def, r)| (def.name, r.id)).collect();
        let first_visitor = d.today.drafts.len() + panel.len();
        let n = first_visitor + d.today.visitors.len();
        match cmd {
            Cmd::Down if d.today.selected + 1 < n => d.today.selected += 1,
            // past the last row: the next page
            Cmd::Down if d.today.more => self.today_page(Some(Cmd::PageDown)),
            Cmd::Up if d.today.selected == first_visitor && d.today.anchor.is_some() => {
                self.today_page(Some(Cmd::PageUp))
            }
            Cmd::Up if d.today.selected > 0 => d.today.selected -= 1,
            Cmd::PageDown | Cmd::PageUp | Cmd::Last => self.today_page(Some(cmd)),
            Cmd::First => {
                self.today_page(Some(Cmd::First));
                if let Some(d) = self.desk_mut() {
                    d.today.selected = 0;
                }
            }
            Cmd::Open => {
                let i = d.today.selected;
                if let Some(info) = d.today.drafts.get(i) {
                    let draft = info.draft.clone();
                    if d.show(&draft.register) {
                        self.park_form();
                        self.open_draft(&draft);
                        self.refresh_lists();
                    }
                } else if let Some((name, id)) = panel.get(i - d.today.drafts.len()).copied() {
                    if d.show(name) {
                        self.refresh_lists();
                        self.open_record(id);
                    }
                } else if let Some(id) = d.today.visitors.get(i - first_visitor).map(|r| r.id)
                    && d.show("visitor")
                {
                    self.refresh_lists();
                    self.open_record(id);
                }
            }
            Cmd::New if d.show("visitor") => {
                self.refresh_lists();
                self.open_new();
            }
            Cmd::Help => self.overlay = Some(Overlay::Help),
            _ => {}
        }
    }
}
