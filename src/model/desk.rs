//! The logged-in desk: its screens, the register views (list + form) and their state.
//! What the desk does lives beside it: `list`, `editing`, `save`, `lookups`, `drafts`, `today`.

use crate::domain::access::{self, Act};
use crate::domain::register::{Cond, FieldDef, FieldKind, Lookup, Record, RegisterDef, format};
use crate::domain::{REGISTERS, Value};
use crate::store::{Operator, Store};

use super::Model;
use super::admin::AdminView;
use super::form::FormState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Today,
    Intake,
    Complaints,
    Repairs,
    Reports,
    Admin,
}

/// Which registers each register screen shows, as tabs.
pub const BOARDS: &[(Screen, &[&str])] = &[
    (Screen::Intake, &["visitor", "customer"]),
    (Screen::Complaints, &["complaint", "callback"]),
    (Screen::Repairs, &["repair"]),
];

/// A screen of registers: its tabs, each a list with its form.
pub struct Board {
    pub screen: Screen,
    pub views: Vec<RegisterView>,
    pub tab: usize,
}

pub const SEARCH_FIELDS: &[FieldDef] = &[FieldDef::new("query", FieldKind::Text { max: 100 })];

#[derive(Clone, Debug)]
pub struct ListState {
    pub rows: Vec<Record>,
    pub selected: usize,
    pub filter: usize,
    pub search: FormState,
    /// The search box has the keyboard.
    pub searching: bool,
    /// The top row of this page (None: the newest page).
    pub anchor: Option<i64>,
    /// Search results: this page's rows are older than this id.
    pub cursor: Option<i64>,
    /// Search results: the cursors of the pages before this one, for PageUp.
    pub stack: Vec<Option<i64>>,
    /// The record to put the cursor on at the next load (the one just saved).
    pub show_id: Option<i64>,
    /// The operator's narrowing (department, handler, dates...), and its form.
    pub narrow: Vec<crate::domain::register::Narrow>,
    pub narrow_form: Option<FormState>,
    /// Only these records (a report figure's cases), with its title; and where in them.
    pub only: Option<(String, Vec<i64>)>,
    pub only_at: usize,
    /// More rows beyond this page.
    pub more: bool,
    /// The labels of the records this page's lookups name, loaded with the page: a list
    /// is drawn from them and never reads the store.
    pub labels: Labels,
}

/// Labels of records, by (register, id).
pub type Labels = std::collections::BTreeMap<(&'static str, i64), String>;

impl ListState {
    pub(super) fn new() -> ListState {
        ListState {
            rows: Vec::new(),
            selected: 0,
            filter: 0,
            search: FormState::new("search", SEARCH_FIELDS),
            searching: false,
            anchor: None,
            cursor: None,
            stack: Vec::new(),
            show_id: None,
            narrow: Vec::new(),
            narrow_form: None,
            only: None,
            only_at: 0,
            more: false,
            labels: Labels::new(),
        }
    }

    pub fn query(&self) -> &str {
        self.search.raw("query").trim()
    }

    pub fn current(&self) -> Option<&Record> {
        self.rows.get(self.selected)
    }

    /// This is the first page: nothing newer to go back to.
    pub fn at_top(&self) -> bool {
        match (&self.only, self.query().is_empty()) {
            (Some(_), _) => self.only_at == 0,
            (None, true) => self.anchor.is_none(),
            (None, false) => self.stack.is_empty(),
        }
    }
}

pub struct RegisterView {
    pub def: &'static RegisterDef,
    pub list: ListState,
    pub form: Option<FormState>,
    /// The draft text last written, so an unchanged form is not written again.
    pub draft_saved: Option<String>,
    /// The open form's draft slot.
    pub slot: Option<String>,
}

impl RegisterView {
    pub(super) fn new(def: &'static RegisterDef) -> RegisterView {
        RegisterView { def, list: ListState::new(), form: None, draft_saved: None, slot: None }
    }

    /// Where the open form's draft is kept: per record, or per new form (so two new
    /// forms, even at two terminals of one operator, never share a draft).
    pub fn slot(&self) -> String {
        if let Some(s) = &self.slot {
            return s.clone();
        }
        match self.form.as_ref().and_then(|f| f.base.as_ref()) {
            Some(b) => format!("{}:{}", self.def.name, b.id),
            None => format!("{}:new", self.def.name),
        }
    }

    /// Shows a form, with its draft slot.
    pub(super) fn put_form(&mut self, f: FormState, slot: Option<String>) {
        self.slot = slot.or_else(|| match &f.base {
            Some(b) => Some(format!("{}:{}", self.def.name, b.id)),
            None => {
                static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
                let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Some(format!("{}:new:{}-{n}", self.def.name, std::process::id()))
            }
        });
        self.form = Some(f);
        self.draft_saved = None;
    }

    /// Takes the form away, with its draft slot (saved, discarded or closed).
    pub(super) fn drop_form(&mut self) {
        self.form = None;
        self.draft_saved = None;
        self.slot = None;
    }
}

#[derive(Clone, Debug)]
pub struct DraftInfo {
    pub draft: crate::store::Draft,
    pub summary: String,
}

#[derive(Default)]
pub struct TodayView {
    pub drafts: Vec<DraftInfo>,
    /// One page of today's visitors, newest first.
    pub visitors: Vec<Record>,
    pub selected: usize,
    /// All of today's visitors, not only this page.
    pub total: i64,
    /// The top row of this page (None: the newest page).
    pub anchor: Option<i64>,
    /// More rows beyond this page.
    pub more: bool,
    /// Records this operator must see at once (rule C11's major complaints), by register.
    pub urgent: Vec<(&'static RegisterDef, Vec<Record>)>,
    /// This operator's work, by what is to be done: the rows shown, and more beyond them.
    pub queues: Vec<Queue>,
}

/// A work queue on Today: records of one register waiting for this operator's role.
#[derive(Clone)]
pub struct Queue {
    pub def: &'static RegisterDef,
    /// The i18n key of its title.
    pub title: &'static str,
    pub rows: Vec<Record>,
    /// More wait than the rows shown.
    pub more: bool,
}

/// At most this many urgent records are listed on Today; the panel says how many more.
pub const URGENT_SHOWN: usize = 4;

impl TodayView {
    /// Rows of the urgent panel (0: nothing urgent).
    pub fn urgent_height(&self) -> u16 {
        let queues: u16 = self.queues.iter().map(|q| q.rows.len() as u16 + 3).sum();
        self.urgent.iter().map(|(_, rows)| rows.len().min(URGENT_SHOWN) as u16 + 3).sum::<u16>() + queues
    }

    /// The urgent and queued records in the order Today lists them, each selectable.
    pub fn panel_rows(&self) -> Vec<(&'static RegisterDef, &Record)> {
        let urgent = self.urgent.iter().flat_map(|(def, rows)| rows.iter().take(URGENT_SHOWN).map(move |r| (*def, r)));
        urgent.chain(self.queues.iter().flat_map(|q| q.rows.iter().map(move |r| (q.def, r)))).collect()
    }

    /// Back to the newest entry, as Today shows when it is opened.
    pub fn to_top(&mut self) {
        self.selected = 0;
        self.anchor = None;
    }

    /// Rows of the drafts box on a Today screen whose body is `body` rows high.
    pub fn drafts_height(&self, body: u16) -> u16 {
        // no drafts: an empty box only where there is room to spare for it
        match self.drafts.len() {
            0 if body < 24 => 0,
            0 => 3,
            n => (n as u16 + 3).min(body / 3),
        }
    }

    /// Visitor rows Today shows below the drafts on a terminal `height` rows high: a page
    /// is what is seen, so no row of it is ever out of sight.
    pub fn page_rows(&self, height: u16) -> usize {
        // the top bar, the screen keys, the status and key lines; the box and its heading
        let body = height.saturating_sub(4);
        (body.saturating_sub(self.drafts_height(body) + self.urgent_height() + 3) as usize).max(1)
    }
}

pub struct Desk {
    pub op: Operator,
    /// Every operator, for names and type-ahead.
    pub operators: Vec<Operator>,
    /// Every department (id, name), for names and type-ahead.
    pub departments: Vec<(i64, String)>,
    pub screen: Screen,
    pub boards: Vec<Board>,
    pub admin: AdminView,
    pub today: TodayView,
    pub reports: super::reports::ReportView,
    /// A standing reminder for the screen (a report due, rule C13).
    pub notice: Option<String>,
    /// The unlock form while the terminal is locked.
    pub lock: Option<FormState>,
}

impl Desk {
    pub fn new(op: Operator, store: &Store) -> Desk {
        // Only the registers this operator may see (rule I6).
        let boards = BOARDS
            .iter()
            .map(|(screen, names)| Board {
                screen: *screen,
                views: names
                    .iter()
                    .filter_map(|n| REGISTERS.iter().find(|r| r.name == *n))
                    .filter(|r| !op.disabled && access::may(r, Act::View, &op.roles))
                    .map(|r| RegisterView::new(r))
                    .collect(),
                tab: 0,
            })
            .collect();
        Desk {
            operators: store.operators().unwrap_or_default(),
            departments: store.departments().unwrap_or_default(),
            op,
            screen: Screen::Today,
            boards,
            admin: AdminView::default(),
            today: TodayView::default(),
            reports: Default::default(),
            notice: None,
            lock: None,
        }
    }

    pub fn board(&self) -> Option<&Board> {
        self.boards.iter().find(|b| b.screen == self.screen)
    }

    pub fn board_mut(&mut self) -> Option<&mut Board> {
        let s = self.screen;
        self.boards.iter_mut().find(|b| b.screen == s)
    }

    /// The board screen and tab showing a register.
    pub fn find(&self, register: &str) -> Option<(Screen, usize)> {
        self.boards.iter().find_map(|b| b.views.iter().position(|v| v.def.name == register).map(|t| (b.screen, t)))
    }

    /// Every register view on every board.
    pub fn views_mut(&mut self) -> impl Iterator<Item = &mut RegisterView> {
        self.boards.iter_mut().flat_map(|b| b.views.iter_mut())
    }

    /// Shows a register's tab.
    pub fn show(&mut self, register: &str) -> bool {
        let Some((screen, tab)) = self.find(register) else { return false };
        self.screen = screen;
        if let Some(b) = self.board_mut() {
            b.tab = tab;
        }
        true
    }

    pub fn view(&self) -> Option<&RegisterView> {
        self.board().and_then(|b| b.views.get(b.tab))
    }

    pub fn view_mut(&mut self) -> Option<&mut RegisterView> {
        self.board_mut().and_then(|b| b.views.get_mut(b.tab))
    }

    pub fn form(&self) -> Option<&FormState> {
        match self.screen {
            Screen::Intake | Screen::Complaints | Screen::Repairs => self.view().and_then(|v| v.form.as_ref()),
            Screen::Admin => self.admin.form.as_ref(),
            Screen::Today | Screen::Reports => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut FormState> {
        match self.screen {
            Screen::Intake | Screen::Complaints | Screen::Repairs => self.view_mut().and_then(|v| v.form.as_mut()),
            Screen::Admin => self.admin.form.as_mut(),
            Screen::Today | Screen::Reports => None,
        }
    }

    pub(super) fn text_target(&mut self) -> Option<&mut FormState> {
        if self.lock.is_some() {
            return self.lock.as_mut();
        }
        match self.screen {
            Screen::Intake | Screen::Complaints | Screen::Repairs => {
                let v = self.view_mut()?;
                match &mut v.form {
                    Some(f) => Some(f),
                    None if v.list.searching => Some(&mut v.list.search),
                    None => None,
                }
            }
            Screen::Admin => self.admin.form.as_mut(),
            Screen::Today | Screen::Reports => None,
        }
    }

    pub fn operator_name(&self, id: i64) -> String {
        self.operators.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap_or_else(|| format!("#{id}"))
    }

    pub fn department_name(&self, id: i64) -> String {
        self.departments.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("#{id}"))
    }
}

/// Text for a value as it is drawn (a list cell): a record a lookup names is labelled from
/// what the page loaded (`#id` if it did not), never from the store.
pub fn display(model: &Model, def: &FieldDef, v: &Value) -> String {
    match (def.kind, v) {
        (FieldKind::Choice { list, .. }, Value::Text(code)) => model.t(&format!("choice.{list}.{code}")),
        (FieldKind::YesNo, v) => {
            if v.as_bool() {
                model.t("yes")
            } else {
                String::new()
            }
        }
        (FieldKind::Lookup(Lookup::Record(r)), Value::Ref(id)) => {
            model.loaded_label(r, *id).unwrap_or_else(|| format!("#{id}"))
        }
        (FieldKind::Lookup(l), Value::Ref(id)) => model.lookup_label(l, *id),
        (FieldKind::DateTime, Value::Time(t)) => {
            crate::domain::register::to_local(*t, model.offset).format("%m-%d %H:%M").to_string()
        }
        (FieldKind::Multi { .. }, Value::Text(s)) => s.replace('\n', " "),
        (kind, v) => format(kind, v, model.offset),
    }
}

/// Text for a value outside drawing (a conflict line, a suggestion): as `display`, with
/// a record the page did not load read from the store.
pub fn describe(model: &Model, def: &FieldDef, v: &Value) -> String {
    match (def.kind, v) {
        (FieldKind::Lookup(l @ Lookup::Record(r)), Value::Ref(id)) => {
            model.loaded_label(r, *id).unwrap_or_else(|| model.lookup_label(l, *id))
        }
        _ => display(model, def, v),
    }
}

impl Model {
    /// A record's label as a loaded page has it.
    pub fn loaded_label(&self, def: &RegisterDef, id: i64) -> Option<String> {
        let d = self.desk()?;
        d.boards.iter().flat_map(|b| &b.views).find_map(|v| v.list.labels.get(&(def.name, id)).cloned())
    }

    /// The labels of the records `rows` name through lookups, one read per register.
    pub(super) fn page_labels(&self, def: &RegisterDef, rows: &[Record]) -> Labels {
        let ctx = self.ctx();
        let mut out = Labels::new();
        for (i, f) in def.fields.iter().enumerate() {
            let FieldKind::Lookup(Lookup::Record(target)) = f.kind else { continue };
            let mut ids: Vec<i64> = rows
                .iter()
                .filter_map(|r| match r.values.get(i) {
                    Some(Value::Ref(id)) => Some(*id),
                    _ => None,
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids.retain(|id| !out.contains_key(&(target.name, *id)));
            if ids.is_empty() {
                continue;
            }
            let found = self.store.by_ids(target, &ids, Cond::All, &[], &ctx).unwrap_or_default();
            out.extend(found.iter().map(|r| ((target.name, r.id), target.record_label(r))));
        }
        out
    }

    /// Whether the operator may see this record (rule A7: its secrecy level, or they look
    /// after it). Lists and search ask the store the same; this is for a record read by id.
    pub fn sees(&self, def: &RegisterDef, r: &Record) -> bool {
        let ctx = self.ctx();
        access::may_see(def, &r.values, ctx.actor, ctx.roles)
    }

    /// A lookup's label, reading a record from the store: for commands, never for drawing.
    pub fn lookup_label(&self, l: Lookup, id: i64) -> String {
        match l {
            Lookup::Operator => self.desk().map(|d| d.operator_name(id)).unwrap_or_default(),
            Lookup::Record(def) => match self.store.get(def, id) {
                // a secret record's name does not show through another record's field
                Ok(r) if !self.sees(def, &r) => self.t("access.hidden_label"),
                Ok(r) => def.record_label(&r),
                Err(_) => format!("#{id}"),
            },
            Lookup::Department => self.desk().map(|d| d.department_name(id)).unwrap_or_default(),
        }
    }
}

/// When a record's matter happened (a visit's time, a complaint's receipt), else when it
/// was written down.
pub fn record_time(def: &RegisterDef, r: &Record) -> i64 {
    def.fields
        .iter()
        .zip(&r.values)
        .find_map(|(d, v)| (d.kind == FieldKind::DateTime).then(|| v.as_i64()).flatten())
        .unwrap_or(r.created_at)
}
