//! The logged-in desk: screens, register views (list + form), saving, voiding,
//! type-ahead, search, drafts.

use crate::domain::access::{self, Act};
use crate::domain::plan::{Actor, Change, Facts, plan, plan_void};
use crate::domain::register::{Cond, Context, FieldDef, FieldKind, Lookup, Record, RegisterDef, format};
use crate::domain::{Msg, REGISTERS, Value};
use crate::keymap::Cmd;
use crate::store::{Operator, PageDir, Store, StoreError};

use super::admin::AdminView;
use super::form::{ConflictView, DraftData, FormState, Hit, Related, Similar, Suggest};
use super::{FormKind, Level, Model, Overlay, REASON_FIELDS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Today,
    Intake,
    Complaints,
    Reports,
    Admin,
}

/// Which registers each register screen shows, as tabs.
pub const BOARDS: &[(Screen, &[&str])] =
    &[(Screen::Intake, &["visitor", "customer"]), (Screen::Complaints, &["complaint", "callback"])];

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
}

impl ListState {
    fn new() -> ListState {
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
    fn new(def: &'static RegisterDef) -> RegisterView {
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
    fn put_form(&mut self, f: FormState, slot: Option<String>) {
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
}

/// At most this many urgent records are listed on Today; the panel says how many more.
pub const URGENT_SHOWN: usize = 4;

impl TodayView {
    /// Rows of the urgent panel (0: nothing urgent).
    pub fn urgent_height(&self) -> u16 {
        self.urgent.iter().map(|(_, rows)| rows.len().min(URGENT_SHOWN) as u16 + 3).sum()
    }

    /// Back to the newest entry, as Today shows when it is opened.
    pub fn to_top(&mut self) {
        self.selected = 0;
        self.anchor = None;
    }

    /// Rows of the drafts box on a Today screen whose body is `body` rows high.
    pub fn drafts_height(&self, body: u16) -> u16 {
        if self.drafts.is_empty() { 3 } else { (self.drafts.len() as u16 + 3).min(body / 3) }
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
            Screen::Intake | Screen::Complaints => self.view().and_then(|v| v.form.as_ref()),
            Screen::Admin => self.admin.form.as_ref(),
            Screen::Today | Screen::Reports => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut FormState> {
        match self.screen {
            Screen::Intake | Screen::Complaints => self.view_mut().and_then(|v| v.form.as_mut()),
            Screen::Admin => self.admin.form.as_mut(),
            Screen::Today | Screen::Reports => None,
        }
    }

    pub(super) fn text_target(&mut self) -> Option<&mut FormState> {
        if self.lock.is_some() {
            return self.lock.as_mut();
        }
        match self.screen {
            Screen::Intake | Screen::Complaints => {
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

/// Text for a value in a list cell or a conflict line.
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
        (FieldKind::Lookup(l), Value::Ref(id)) => model.lookup_label(l, *id),
        (FieldKind::DateTime, Value::Time(t)) => {
            crate::domain::register::to_local(*t, model.offset).format("%m-%d %H:%M").to_string()
        }
        (FieldKind::Multi { .. }, Value::Text(s)) => s.replace('\n', " "),
        (kind, v) => format(kind, v, model.offset),
    }
}

impl Model {
    pub fn lookup_label(&self, l: Lookup, id: i64) -> String {
        match l {
            Lookup::Operator => self.desk().map(|d| d.operator_name(id)).unwrap_or_default(),
            Lookup::Record(def) => match self.store.get(def, id) {
                Ok(r) => def.record_label(&r),
                Err(_) => format!("#{id}"),
            },
            Lookup::Department => self.desk().map(|d| d.department_name(id)).unwrap_or_default(),
        }
    }

    // ---- lists ----

    pub(super) fn refresh_lists(&mut self) {
        let Some(screen) = self.desk().map(|d| d.screen) else { return };
        let mut disabled = false;
        if let Ok(ops) = self.store.operators()
            && let Some(d) = self.desk_mut()
        {
            // roles changed by an administrator apply at once; a disabled operator is locked out
            if let Some(me) = ops.iter().find(|o| o.id == d.op.id) {
                disabled = me.disabled;
                d.op = me.clone();
            }
            d.operators = ops;
        }
        if let Ok(deps) = self.store.departments()
            && let Some(d) = self.desk_mut()
        {
            d.departments = deps;
        }
        if disabled && self.desk().is_some_and(|d| d.lock.is_none()) {
            self.lock();
        }
        let notice = if screen == Screen::Complaints { self.report_notice() } else { None };
        if let Some(d) = self.desk_mut() {
            d.notice = notice;
        }
        match screen {
            Screen::Intake | Screen::Complaints => self.load_page(None),
            Screen::Reports => self.load_report(),
            Screen::Today => self.load_today(),
            Screen::Admin => self.load_admin(),
        }
    }

    /// Reloads the current register page (`None`) or moves to another. Lists go by
    /// keyset from the page's top row; search results by an id cursor; a figure's cases
    /// by position in its list of ids.
    fn load_page(&mut self, mv: Option<Cmd>) {
        let ctx = self.ctx();
        let size = self.page_size();
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let def = v.def;
        let l = &v.list;
        let cond = def.filters.get(l.filter).map(|f| f.cond).unwrap_or(Cond::All);
        let query = l.query().to_string();
        let keep = l.show_id.or(l.current().map(|r| r.id));
        let (first, last) = (l.rows.first().map(|r| r.id), l.rows.last().map(|r| r.id));
        let (mut anchor, mut cursor, mut stack, more_before) = (l.anchor, l.cursor, l.stack.clone(), l.more);
        let narrow = l.narrow.clone();
        let result = if let Some(only) = &l.only {
            // the cases behind a report's figure
            let mut at = l.only_at;
            match mv {
                Some(Cmd::First) => at = 0,
                Some(Cmd::PageDown) if more_before => at += size,
                Some(Cmd::PageUp) => at = at.saturating_sub(size),
                Some(Cmd::Last) => at = only.1.len().saturating_sub(size),
                _ => {}
            }
            let ids: Vec<i64> = only.1.iter().rev().skip(at).take(size + 1).copied().collect();
            let more = ids.len() > size;
            let ids = &ids[..ids.len().min(size)];
            if let Some(l) = self.desk_mut().and_then(|d| d.view_mut()).map(|v| &mut v.list) {
                l.only_at = at;
            }
            self.store.by_ids(def, ids, Cond::All, &[], &ctx).map(|r| (r, more))
        } else if query.is_empty() {
            let dir = match mv {
                None => anchor.map(PageDir::From).unwrap_or(PageDir::First),
                Some(Cmd::First) => PageDir::First,
                Some(Cmd::PageDown) if more_before => last.map(PageDir::Before).unwrap_or(PageDir::First),
                Some(Cmd::PageDown) => return,
                Some(Cmd::PageUp) => match (anchor, first) {
                    (Some(_), Some(f)) => PageDir::After(f),
                    _ => PageDir::First,
                },
                Some(Cmd::Last) => PageDir::Last,
                _ => return,
            };
            self.store.page_narrowed(def, cond, &narrow, dir, size + 1, &ctx).and_then(|mut rows| match dir {
                // fetched oldest-first and turned round: the extra row is the newest
                PageDir::After(_) | PageDir::Last if rows.len() > size => {
                    rows.remove(0);
                    anchor = rows.first().map(|r| r.id);
                    Ok((rows, matches!(dir, PageDir::After(_))))
                }
                // the page reaches the newest row: it is the first page
                PageDir::After(_) | PageDir::Last => {
                    anchor = None;
                    let rows = self.store.page_narrowed(def, cond, &narrow, PageDir::First, size + 1, &ctx)?;
                    let more = rows.len() > size;
                    Ok((rows.into_iter().take(size).collect(), more))
                }
                _ => {
                    anchor = match dir {
                        PageDir::First => None,
                        _ => rows.first().map(|r| r.id),
                    };
                    let more = rows.len() > size;
                    rows.truncate(size);
                    Ok((rows, more))
                }
            })
        } else {
            match mv {
                Some(Cmd::First) => {
                    cursor = None;
                    stack.clear();
                }
                Some(Cmd::PageDown) if more_before => {
                    stack.push(cursor);
                    cursor = last;
                }
                Some(Cmd::PageDown) => return,
                Some(Cmd::PageUp) => cursor = stack.pop().flatten(),
                _ => {}
            }
            self.store.search_narrowed(def, &query, cond, &narrow, cursor, size + 1, &ctx).map(|mut rows| {
                let more = rows.len() > size;
                rows.truncate(size);
                (rows, more)
            })
        };
        let (rows, more) = match result {
            Ok(r) => r,
            Err(e) => {
                self.say(e.msg(), Level::Error);
                return;
            }
        };
        let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) else { return };
        let l = &mut v.list;
        l.show_id = None;
        l.selected = match mv {
            None => keep.and_then(|id| rows.iter().position(|r| r.id == id)).unwrap_or(l.selected),
            Some(Cmd::PageUp) | Some(Cmd::Last) => rows.len().saturating_sub(1),
            _ => 0,
        };
        l.selected = l.selected.min(rows.len().saturating_sub(1));
        l.rows = rows;
        l.anchor = anchor;
        l.cursor = cursor;
        l.stack = stack;
        l.more = more;
    }

    pub(super) fn list_cmd(&mut self, cmd: Cmd) {
        let Some(screen) = self.desk().map(|d| d.screen) else { return };
        match screen {
            Screen::Intake | Screen::Complaints => self.board_cmd(cmd),
            Screen::Reports => self.reports_cmd(cmd),
            Screen::Today => self.today_cmd(cmd),
            Screen::Admin => self.admin_cmd(cmd),
        }
    }

    fn board_cmd(&mut self, cmd: Cmd) {
        let Some(d) = self.desk_mut() else { return };
        let Some(v) = d.view_mut() else { return };
        let n = v.list.rows.len();
        if v.list.searching {
            // In the search box: Enter or arrows go back to the list, Esc clears.
            match cmd {
                Cmd::Back => {
                    v.list.search = FormState::new("search", SEARCH_FIELDS);
                    v.list.searching = false;
                    v.list.cursor = None;
                    v.list.stack.clear();
                    self.load_page(Some(Cmd::First));
                }
                Cmd::Open | Cmd::Down | Cmd::Up | Cmd::NextTab => v.list.searching = false,
                _ => {}
            }
            return;
        }
        match cmd {
            Cmd::Down if v.list.selected + 1 < n => v.list.selected += 1,
            Cmd::Down if v.list.more => self.load_page(Some(Cmd::PageDown)),
            Cmd::Up if v.list.selected > 0 => v.list.selected -= 1,
            Cmd::Up if !v.list.at_top() => self.load_page(Some(Cmd::PageUp)),
            Cmd::PageDown | Cmd::PageUp | Cmd::First | Cmd::Last => self.load_page(Some(cmd)),
            Cmd::NextTab => {
                if let Some(b) = d.board_mut() {
                    b.tab = (b.tab + 1) % b.views.len().max(1);
                }
                self.load_page(None);
            }
            Cmd::Filter => {
                v.list.filter = (v.list.filter + 1) % v.def.filters.len().max(1);
                self.load_page(Some(Cmd::First));
                let key = self.desk().and_then(|d| d.view()).map(|v| v.def.filters[v.list.filter].key).unwrap_or("");
                let name = self.t(key);
                self.say(Msg::new("status.filter").with("filter", name), Level::Info);
            }
            Cmd::Search => v.list.searching = true,
            // The cases behind a report's figure: Esc goes back to the report.
            Cmd::Back if v.list.only.is_some() => {
                v.list.only = None;
                d.screen = Screen::Reports;
                self.refresh_lists();
            }
            Cmd::Back
                if !v.list.query().is_empty()
                    || v.list.filter != 0
                    || v.list.only.is_some()
                    || !v.list.narrow.is_empty() =>
            {
                v.list.search = FormState::new("search", SEARCH_FIELDS);
                v.list.filter = 0;
                v.list.only = None;
                v.list.narrow.clear();
                self.load_page(Some(Cmd::First));
            }
            Cmd::New => self.open_new(),
            Cmd::Open => {
                if let Some(id) = v.list.current().map(|r| r.id) {
                    self.open_record(id);
                }
            }
            Cmd::Void => self.ask_void(),
            Cmd::Narrow => self.ask_narrow(),
            Cmd::Help => self.overlay = Some(Overlay::Help),
            _ => {}
        }
    }

    /// Typing in the search box searches at once.
    pub(super) fn search_as_typed(&mut self) {
        let searching = self.desk().and_then(|d| d.view()).is_some_and(|v| v.list.searching);
        if searching {
            self.load_page(Some(Cmd::First));
        }
    }

    // ---- forms ----

    /// Whether the operator may do `act` to the register, as it declares; says why not.
    pub fn may(&mut self, def: &RegisterDef, act: Act) -> bool {
        let ok = self.desk().is_some_and(|d| !d.op.disabled && access::may(def, act, &d.op.roles));
        if !ok {
            self.say(Msg::new("err.permission"), Level::Error);
        }
        ok
    }

    fn open_new(&mut self) {
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
    fn park_form(&mut self) {
        if self.desk().and_then(|d| d.view()).and_then(|v| v.form.as_ref()).is_some_and(|f| f.dirty) {
            self.save_drafts();
            self.say(Msg::new("status.draft_parked"), Level::Info);
        }
    }

    fn new_form(&self, def: &'static RegisterDef) -> FormState {
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

    fn record_form(&self, def: &'static RegisterDef, rec: &Record) -> FormState {
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
            && let Some((_, m)) = access::barred(def, &rec.values, d.op.id)
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
            let roles = self.desk().map(|d| d.op.roles.clone()).unwrap_or_default();
            if !sd.roles.iter().any(|x| roles.contains(x)) {
                let who: Vec<&str> = sd.roles.iter().map(|r| r.label_key()).collect();
                let at = def.fields.iter().position(|fd| sd.fields.contains(&fd.key)).unwrap_or(0);
                f.step_note = Some((at, Msg::new("form.step_by").with("roles", who.join("|"))));
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

    /// Replaces `{op:ID}` by the operator's name and `{step:REGISTER.KEY}` by the step's
    /// label, as the domain writes its logs.
    pub fn render_tokens(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(end) = rest[start..].find('}') else {
                out.push_str(&rest[start..]);
                return out;
            };
            let token = &rest[start + 1..start + end];
            match token.split_once(':') {
                Some(("op", id)) if id.parse::<i64>().is_ok() => {
                    out.push_str(&self.lookup_label(Lookup::Operator, id.parse().unwrap_or(0)))
                }
                Some(("step", key)) => match key.split_once('.') {
                    Some((reg, step)) => out.push_str(&self.t(&format!("step.{reg}.{step}"))),
                    None => out.push_str(token),
                },
                Some(("field", key)) => match key.split_once('.') {
                    Some((reg, field)) => out.push_str(&self.t(&format!("field.{reg}.{field}"))),
                    None => out.push_str(token),
                },
                Some(("choice", key)) => out.push_str(&self.t(&format!("choice.{key}"))),
                _ => out.push_str(&rest[start..=start + end]),
            }
            rest = &rest[start + end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The latest records that name this one in a lookup field: a card's visits and
    /// complaints (rules I8, C17), a case's repeat and duplicate complaints (rule C15).
    /// Only registers the operator may see (rule I6).
    fn related(&self, def: &RegisterDef, id: i64) -> (Vec<Related>, bool) {
        const SHOWN: usize = 100;
        let ctx = self.ctx();
        let mut out = Vec::new();
        let mut more = false;
        let roles = self.desk().map(|d| d.op.roles.clone()).unwrap_or_default();
        for other in REGISTERS {
            if !access::may(other, Act::View, &roles) {
                continue;
            }
            let links =
                other.fields.iter().filter(|fd| matches!(fd.kind, FieldKind::Lookup(Lookup::Record(t)) if t == def));
            for fd in links {
                let recs =
                    self.store.page(other, Cond::Ref(fd.key, id), PageDir::First, SHOWN + 1, &ctx).unwrap_or_default();
                more |= recs.len() > SHOWN;
                for r in recs.iter().take(SHOWN).filter(|r| r.id != id || other.name != def.name) {
                    out.push(Related {
                        register: other.name,
                        id: r.id,
                        number: r.number.clone(),
                        at: record_time(other, r),
                        summary: self.related_summary(other, r),
                    });
                }
            }
        }
        out.sort_by_key(|r| std::cmp::Reverse(r.at));
        (out, more)
    }

    pub(super) fn open_record(&mut self, id: i64) {
        let Some(def) = self.desk().and_then(|d| d.view()).map(|v| v.def) else { return };
        match self.store.get(def, id) {
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
            Cmd::NextField | Cmd::Down => f.next_field(),
            Cmd::PrevField | Cmd::Up => f.prev_field(),
            Cmd::Clear => {
                f.clear_field();
                self.refresh_suggest();
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
                        }
                        // not chosen: the operator moves on with what was typed
                        None => f.next_field(),
                    }
                } else if f.def().kind.is_multiline() {
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
                }
            }
            _ => {}
        }
    }

    fn close_form(&mut self) {
        if let Some(d) = self.desk_mut() {
            match d.screen {
                Screen::Admin => d.admin.form = None,
                _ => {
                    if let Some(v) = d.view_mut() {
                        v.form = None;
                        v.draft_saved = None;
                        v.slot = None;
                    }
                }
            }
        }
        self.refresh_lists();
    }

    pub(super) fn discard_form(&mut self) {
        self.delete_current_draft();
        self.close_form();
    }

    fn delete_current_draft(&mut self) {
        let Some((op, slot)) = self.desk().and_then(|d| d.view().map(|v| (d.op.id, v.slot()))) else { return };
        if self.desk().is_some_and(|d| d.screen.is_board())
            && let Err(e) = self.store.delete_draft(op, &slot)
        {
            self.say(e.msg(), Level::Error);
        }
    }

    /// The operator at the keyboard, as the write path knows them.
    pub(super) fn actor(&self) -> Option<(i64, Vec<crate::domain::Role>, Option<i64>)> {
        self.desk().map(|d| (d.op.id, d.op.roles.clone(), d.op.department_id))
    }

    /// What a plan of `def` may read, read now: the card a record inherits from, the
    /// card that already holds a new entry's phone.
    fn facts_for(&self, def: &RegisterDef, values: &[Value]) -> (Option<Record>, Option<i64>) {
        let linked = def
            .inherit
            .and_then(|inh| def.value(values, inh.field).as_i64().and_then(|id| self.store.get(inh.target, id).ok()));
        let owner = def.link.and_then(|link| match def.value(values, link.phone) {
            Value::Text(p) if def.value(values, link.field).is_null() => {
                self.store.by_phone(link.target, p).ok().and_then(|ids| ids.first().copied())
            }
            _ => None,
        });
        (linked, owner)
    }

    /// Saves the open register form through the one write path: every field parsed, the
    /// change planned (permission, locks, the step, the rules), then one transaction.
    fn save_form(&mut self) {
        let settings = self.settings.clone();
        let ctx = self.ctx();
        let Some((actor, roles, department)) = self.actor() else { return };
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
        let who = Actor { id: actor, roles: &roles, department };
        let mut attempt = 0;
        let outcome = loop {
            attempt += 1;
            let (linked, owner) = self.facts_for(def, &values);
            let facts = Facts { linked: linked.as_ref(), phone_owner: owner, people: &[] };
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
            if let (None, Some((into, reopen)), Some(dd)) = (&base, merge, def.dedupe) {
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
                    v.form = None;
                    v.draft_saved = None;
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
            Err(StoreError::Conflict(c)) => self.merge_conflict(def, base.as_ref(), &mine, *c),
            Err(e) => {
                // The form and its draft stay; nothing was written.
                let m = e.msg();
                if let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) {
                    f.notice = Some(m.clone());
                }
                self.save_drafts();
                self.say(m, Level::Error);
            }
        }
    }

    /// Rule C15: a new record saved as the same case as an earlier one; with `reopen`,
    /// the earlier one reopens as a repeat (rule C11) in the same transaction.
    #[allow(clippy::too_many_arguments)]
    fn save_merged(
        &mut self,
        actor: i64,
        ctx: &Context,
        def: &'static RegisterDef,
        dd: &crate::domain::register::Dedupe,
        mut values: Vec<Value>,
        into: i64,
        reopen: bool,
    ) {
        (dd.merged)(&mut values);
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
            Ok(old) if access::barred(def, &old.values, actor).is_some() => {
                Err(StoreError::Invalid(Msg::new("err.access.barred")))
            }
            Ok(old) if !state_ok(&old) => {
                Err(StoreError::Invalid(Msg::new("err.merge.moved").with("number", old.number)))
            }
            Ok(old) if reopen => {
                let mut again = old.values.clone();
                (dd.reopen)(&mut again, ctx, &settings);
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
                    v.form = None;
                    v.draft_saved = None;
                }
                self.after_write();
                let key = if reopen { "status.reopened" } else { "status.merged" };
                self.say(Msg::new(key).with("number", number).with("into", into_number), Level::Info);
            }
            Err(e) => self.say(e.msg(), Level::Error),
        }
    }

    /// Someone saved the record after this operator opened it. A field only they changed
    /// is taken into the form; a field both changed keeps this operator's text and is
    /// listed with theirs. Nothing is lost either way; the next save is a knowing one.
    fn merge_conflict(
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
            both.iter().map(|&i| (i, display(self, &def.fields[i], &c.theirs.values[i]))).collect();
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
                format!("{}: {}", self.t(&def.label_key(def.fields[i].key)), display(self, &def.fields[i], &mine[i]))
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

    /// A line of a card's history: who came, who served them, and what for (rule I8).
    fn related_summary(&self, def: &RegisterDef, r: &Record) -> String {
        let mut parts: Vec<String> = Vec::new();
        let shown = |d: &FieldDef, v: &Value| display(self, d, v).replace('\n', " ");
        for (d, v) in def.fields.iter().zip(&r.values) {
            if d.key == def.title && !v.is_null() {
                parts.push(shown(d, v));
            }
        }
        // who served: the staff in charge and who received them
        for (d, v) in def
            .fields
            .iter()
            .zip(&r.values)
            .filter(|(d, v)| matches!(d.kind, FieldKind::Lookup(Lookup::Operator)) && !v.is_null())
            .take(2)
        {
            parts.push(format!("{} {}", self.t(&def.label_key(d.key)), shown(d, v)));
        }
        // what it was about: the first text of several lines (a visit's purpose)
        if let Some((d, v)) = def.fields.iter().zip(&r.values).find(|(d, v)| d.kind.is_multiline() && !v.is_null()) {
            parts.push(shown(d, v));
        }
        parts.join(" · ")
    }

    /// Opens the card history's chosen line in its own register, if this operator may see
    /// that register; the card's form stays open in its tab.
    fn open_related(&mut self) {
        let Some(r) =
            self.desk().and_then(|d| d.form()).and_then(|f| f.related_at.and_then(|i| f.related.get(i))).cloned()
        else {
            return;
        };
        let may = self.desk().is_some_and(|d| {
            crate::domain::register(r.register).is_some_and(|def| access::may(def, Act::View, &d.op.roles))
                && d.find(r.register).is_some()
        });
        if !may {
            self.say(Msg::new("err.permission"), Level::Error);
            return;
        }
        self.save_drafts();
        if let Some(d) = self.desk_mut() {
            d.show(r.register);
        }
        self.refresh_lists();
        self.open_record(r.id);
    }

    /// A record voided by someone, named, with when and why.
    fn voided_msg(&self, vd: &crate::domain::register::Voided) -> Msg {
        let at = crate::domain::register::to_local(vd.at, self.offset).format("%m-%d %H:%M").to_string();
        Msg::new("conflict.voided")
            .with("name", self.lookup_label(Lookup::Operator, vd.by))
            .with("time", at)
            .with("reason", &vd.reason)
    }

    /// Rule C15: while a new record is typed, the earlier records of the same matter.
    pub(super) fn refresh_similar(&mut self) {
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let (def, Some(f)) = (v.def, v.form.as_ref()) else { return };
        let Some(dd) = def.dedupe else { return };
        if !f.is_new() {
            return;
        }
        let ctx = self.ctx();
        // what is typed so far, leniently: a field that does not parse yet counts as empty
        let values: Vec<Value> = f
            .fields
            .iter()
            .zip(&f.values)
            .map(|(d, fv)| crate::domain::register::parse(d.kind, &fv.raw, fv.pick, &ctx).unwrap_or_default())
            .collect();
        let since = ctx.now - self.settings.int(dd.days) * 86_400;
        let reopen_since = ctx.now - self.settings.int(dd.reopen_days) * 86_400;
        let mut recs = self.store.similar(def, &dd, &values, since.min(reopen_since), 8).unwrap_or_default();
        // rule C15: a plate, a serial or a unit typed inside a longer subject finds the case too
        let subject = def.value(&values, dd.subject).as_text().unwrap_or("").to_string();
        for term in crate::domain::text::distinctive_terms(&subject) {
            let hits = self.store.search(def, &term, Cond::NotVoided, None, 8, &ctx).unwrap_or_default();
            // found by the subject itself, not by a word in another field
            let in_subject = |r: &Record| def.value(&r.values, dd.subject).as_text().is_some_and(|t| t.contains(&term));
            for r in hits.into_iter().filter(in_subject) {
                let at = def.value(&r.values, dd.at).as_i64().unwrap_or(0);
                // a merged complaint stands for its case
                let case = match def.value(&r.values, dd.link).as_i64() {
                    Some(into) => self.store.get(def, into).ok(),
                    None => Some(r),
                };
                if let Some(c) = case
                    && at >= since.min(reopen_since)
                    && c.voided.is_none()
                    && !recs.iter().any(|x| x.id == c.id)
                {
                    recs.push(c);
                }
            }
        }
        recs.sort_by_key(|r| std::cmp::Reverse(r.id));
        recs.truncate(8);
        let wf = def.workflow;
        let similar: Vec<Similar> = recs
            .iter()
            .map(|r| {
                let step = wf.map(|w| w.current(def, &r.values).to_string()).unwrap_or_default();
                let finished = wf.is_some_and(|w| w.is_done(&step));
                let last = r.updated_at.unwrap_or(r.created_at);
                Similar {
                    id: r.id,
                    number: r.number.clone(),
                    // who, when and where it stands, so the operator can tell cases apart
                    summary: format!(
                        "{} · {} · {} · {}",
                        def.value(&r.values, def.title).as_text().unwrap_or(""),
                        def.value(&r.values, "complainant").as_text().unwrap_or("-"),
                        crate::domain::register::to_local(record_time(def, r), self.offset).format("%m-%d"),
                        self.t(&format!("step.{}.{step}", def.name))
                    ),
                    open: !finished,
                    reopenable: step == "closed" && last >= reopen_since,
                }
            })
            .collect();
        if let Some(f) = self.desk_mut().and_then(|d| d.form_mut()) {
            // a link chosen before the contact or subject changed no longer holds
            if let Some((into, _)) = f.merge_into
                && !similar.iter().any(|s| s.id == into)
            {
                f.merge_into = None;
                f.set(dd.link, "", None);
            }
            f.similar = similar;
        }
    }

    /// Ctrl-D: this complaint is the same case as an open similar one; Ctrl-R: it reopens
    /// a recently closed one as a repeat. Pressed again, each moves to the next candidate
    /// in the list, so the operator chooses which case.
    fn merge_with(&mut self, reopen: bool) {
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let (def, Some(f)) = (v.def, v.form.as_ref()) else { return };
        let Some(dd) = def.dedupe else { return };
        let fits = |s: &Similar| if reopen { s.reopenable } else { s.open };
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

    fn ask_void(&mut self) {
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let def = v.def;
        let Some(rec) = v.list.current().cloned() else { return };
        let Some((actor, roles, department)) = self.actor() else { return };
        if rec.voided.is_some() {
            self.say(Msg::new("err.record.voided"), Level::Warn);
            return;
        }
        // the same judgement as the save: refused before the reason is typed
        let who = Actor { id: actor, roles: &roles, department };
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
        let Some((actor, roles, department)) = self.actor() else { return };
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let def = v.def;
        let Some(rec) = v.list.current().cloned() else { return };
        let who = Actor { id: actor, roles: &roles, department };
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

    // ---- type-ahead ----

    /// Suggestions for the focused field, if it offers any.
    pub(super) fn refresh_suggest(&mut self) {
        let Some(f) = self.active_form() else { return };
        let fd = f.def();
        let lookup = match fd.kind {
            FieldKind::Lookup(l) if !fd.readonly => Some(l),
            _ => fd.suggest,
        };
        let query = f.values[f.focus].raw.trim().to_string();
        let focus = f.focus;
        let picked = f.values[f.focus].pick.is_some();
        let hits = match lookup {
            Some(l) if !query.is_empty() && !picked => self.hits(l, &query),
            _ => Vec::new(),
        };
        if let Some(f) = self.active_form_mut() {
            f.suggest = if hits.is_empty() { None } else { Some(Suggest { field: focus, hits, selected: None }) };
        }
    }

    /// The form the keyboard is in: an overlay's, else the screen's.
    fn active_form(&self) -> Option<&FormState> {
        match &self.overlay {
            Some(Overlay::Form(_, f)) => Some(f),
            _ => self.desk().and_then(|d| d.form()),
        }
    }

    fn active_form_mut(&mut self) -> Option<&mut FormState> {
        if matches!(self.overlay, Some(Overlay::Form(..))) {
            return match &mut self.overlay {
                Some(Overlay::Form(_, f)) => Some(f),
                _ => None,
            };
        }
        self.desk_mut().and_then(|d| d.form_mut())
    }

    /// Opens the narrowing form of the list (F), with what was narrowed before.
    fn ask_narrow(&mut self) {
        let Some(v) = self.desk().and_then(|d| d.view()) else { return };
        let Some(nd) = v.def.narrow else { return };
        let f = v.list.narrow_form.clone().unwrap_or_else(|| FormState::new(v.def.name, nd.fields));
        self.overlay = Some(Overlay::Form(FormKind::Narrow, Box::new(f)));
    }

    /// Applies the narrowing form: every field answered narrows the list.
    pub(super) fn apply_narrow(&mut self, mut f: FormState) {
        let ctx = self.ctx();
        let (values, ok) = f.parse_all(&ctx);
        if !ok {
            f.focus_first_error();
            self.overlay = Some(Overlay::Form(FormKind::Narrow, Box::new(f)));
            return;
        }
        let offset = self.offset;
        let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) else { return };
        let Some(nd) = v.def.narrow else { return };
        v.list.narrow = (nd.build)(&values, offset);
        v.list.narrow_form = Some(f);
        self.load_page(Some(Cmd::First));
    }

    fn hits(&self, l: Lookup, query: &str) -> Vec<Hit> {
        const N: usize = 6;
        match l {
            Lookup::Operator => {
                let q = query.to_lowercase();
                self.desk()
                    .map(|d| {
                        d.operators
                            .iter()
                            .filter(|o| {
                                !o.disabled
                                    && (o.code.to_lowercase().contains(&q) || o.name.to_lowercase().contains(&q))
                            })
                            .take(N)
                            .map(|o| Hit { id: o.id, label: o.name.clone(), fills: vec![] })
                            .collect()
                    })
                    .unwrap_or_default()
            }
            // only departments still offered: a retired one stays on old records only
            Lookup::Department => self
                .store
                .offered_departments()
                .unwrap_or_default()
                .into_iter()
                .filter(|(_, n)| n.contains(query))
                .take(N)
                .map(|(id, label)| Hit { id, label, fills: vec![] })
                .collect(),
            Lookup::Record(def) => {
                let ctx = self.ctx();
                let pick = self.active_form().and_then(|f| crate::domain::register(f.name)).and_then(|d| d.pick);
                let fills = pick.filter(|p| p.from == l).map(|p| p.fills);
                let recs = self.store.search(def, query, Cond::NotVoided, None, N, &ctx).unwrap_or_default();
                recs.iter().map(|r| self.hit(def, r, fills.unwrap_or(&[]))).collect()
            }
        }
    }

    /// A suggested record: its label (title, number and the next two columns its list
    /// shows) and what picking it fills in, as the form's register declares.
    fn hit(&self, def: &RegisterDef, r: &Record, fills: &[(&'static str, &'static str)]) -> Hit {
        // a field as the form would show it; of several phones, the first
        let text = |fd: &FieldDef, v: &Value| match (fd.kind, v) {
            (FieldKind::Phones, Value::Text(s)) => crate::domain::phone::display(s.split(',').next().unwrap_or("")),
            _ => display(self, fd, v),
        };
        let mut label = def.record_label(r);
        for (fd, v) in def
            .fields
            .iter()
            .zip(&r.values)
            .filter(|(fd, v)| fd.list_width > 0 && fd.key != def.title && !v.is_null())
            .take(2)
        {
            label.push_str(" · ");
            label.push_str(&text(fd, v));
        }
        let fills = fills
            .iter()
            .filter_map(|(mine, theirs)| {
                if *theirs == "@record" {
                    return Some((*mine, def.record_label(r), Some(r.id)));
                }
                let i = def.index(theirs)?;
                let (fd, v) = (&def.fields[i], &r.values[i]);
                let pick = matches!(fd.kind, FieldKind::Lookup(_)).then(|| v.as_i64()).flatten();
                (!v.is_null()).then(|| (*mine, text(fd, v), pick))
            })
            .collect();
        Hit { id: r.id, label, fills }
    }

    // ---- drafts ----

    /// Writes every changed open form to its draft.
    pub(super) fn save_drafts(&mut self) {
        let now = self.now;
        let Phase::Desk(d) = &mut self.phase else { return };
        let op = d.op.id;
        let mut failed = None;
        for v in d.views_mut() {
            let Some(f) = &v.form else { continue };
            if !f.dirty {
                continue;
            }
            let data = serde_json::to_string(&f.draft()).unwrap_or_default();
            if v.draft_saved.as_deref() == Some(data.as_str()) {
                continue;
            }
            let slot = v.slot();
            let base = f.base.as_ref().map(|b| b.id);
            match self.store.save_draft(op, &slot, v.def.name, base, &data, now) {
                Ok(()) => v.draft_saved = Some(data),
                Err(e) => failed = Some(e.msg()),
            }
        }
        if let Some(m) = failed {
            self.say(m, Level::Error);
        }
    }

    /// Reopens this operator's drafts in their registers, newest first, one per
    /// register; the others wait in Today. Returns how many.
    pub(super) fn restore_drafts(&mut self) -> usize {
        let Some(op) = self.desk().map(|d| d.op.id) else { return 0 };
        let mut n = 0;
        for draft in self.store.drafts(op).unwrap_or_default() {
            let free = self
                .desk_mut()
                .and_then(|d| d.show(&draft.register).then(|| d.view().is_some_and(|v| v.form.is_none())));
            if free == Some(true) && self.open_draft(&draft) {
                n += 1;
            }
        }
        n
    }

    /// Opens one draft in its register's form (the register's tab must be showing).
    fn open_draft(&mut self, draft: &crate::store::Draft) -> bool {
        let Ok(data) = serde_json::from_str::<DraftData>(&draft.data) else { return false };
        let Some(def) = crate::domain::register(&draft.register) else { return false };
        let mut f = match draft.record_id {
            Some(id) => match self.store.get(def, id) {
                Ok(current) => {
                    // The form shows the record as it is now, with the draft's text over
                    // it; its base stays the version the draft began from, so saving
                    // merges field by field with what others saved meanwhile.
                    let mut f = self.record_form(def, &current);
                    if let (Some(v), Some(values)) = (data.base_version, data.base_for(def.fields))
                        && let Some(b) = f.base.as_mut()
                    {
                        b.version = v;
                        b.values = values;
                    }
                    f
                }
                Err(_) => return false,
            },
            None => {
                let mut f = FormState::new(def.name, def.fields);
                f.lock(self.locks(def, None));
                f
            }
        };
        f.restore(data);
        if let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) {
            v.put_form(f, Some(draft.slot.clone()));
            v.draft_saved = Some(draft.data.clone());
        }
        true
    }

    // ---- today ----

    fn load_today(&mut self) {
        self.today_page(None);
    }

    /// What each register declares urgent, for this operator: all of it for those who
    /// see the whole office, their own department's for its heads (rule C11).
    fn urgent_for(&self, op: &Operator) -> Vec<(&'static RegisterDef, Vec<Record>)> {
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

    /// Loads the drafts and a page of today's visitors: the page shown (`None`) or
    /// another. The day's visitors go newest first by keyset, like a register's list; the
    /// count is the whole day's.
    fn today_page(&mut self, mv: Option<Cmd>) {
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
        let def = &crate::domain::visitor::REGISTER;
        let cond = Cond::Today("occurred_at");
        let Some(t) = self.desk().map(|d| &d.today) else { return };
        let drafts_now = TodayView { drafts, urgent, ..Default::default() };
        let urgent = drafts_now.urgent.clone();
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
            t.visitors = visitors;
            t.total = total;
            t.anchor = anchor;
            t.more = more;
            // a new page starts at its first visitor (its last, coming from below)
            match mv {
                Some(Cmd::PageUp) | Some(Cmd::Last) => t.selected = t.drafts.len() + t.visitors.len().saturating_sub(1),
                Some(_) => t.selected = t.drafts.len(),
                None => {}
            }
            let n = t.drafts.len() + t.visitors.len();
            t.selected = t.selected.min(n.saturating_sub(1));
        }
    }

    fn today_cmd(&mut self, cmd: Cmd) {
        let Some(d) = self.desk_mut() else { return };
        let n = d.today.drafts.len() + d.today.visitors.len();
        let first_visitor = d.today.drafts.len();
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
                } else if let Some(id) = d.today.visitors.get(i - d.today.drafts.len()).map(|r| r.id)
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

use super::Phase;

impl Model {
    /// Which fields of a form this operator may not type in: the write path's locks, and
    /// for someone who may not edit the register (or whom the record bars) everything but
    /// the step they may complete. A form never offers what the save would refuse.
    fn locks(&self, def: &RegisterDef, rec: Option<&Record>) -> Vec<bool> {
        let Some(d) = self.desk() else { return vec![true; def.fields.len()] };
        let roles = &d.op.roles;
        let mut locked = crate::domain::plan::locks(def, rec, roles);
        let barred = rec.is_some_and(|r| access::barred(def, &r.values, d.op.id).is_some());
        let act = if rec.is_some() { Act::Edit } else { Act::Create };
        if barred || !access::may(def, act, roles) {
            let own: Vec<&str> = match (def.workflow, rec) {
                (Some(wf), Some(r)) if !barred => wf
                    .step(wf.current(def, &r.values))
                    .filter(|sd| sd.roles.iter().any(|x| roles.contains(x)))
                    .map(|sd| sd.fields.iter().chain(wf.late).copied().collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            for (i, fd) in def.fields.iter().enumerate() {
                if !own.contains(&fd.key) {
                    locked[i] = true;
                }
            }
        }
        // a step's fields are for the roles that complete it, as the save path says
        if let (Some(wf), Some(r)) = (def.workflow, rec)
            && let Some(sd) = wf.step(wf.current(def, &r.values))
            && !sd.roles.iter().any(|x| roles.contains(x))
        {
            for (i, fd) in def.fields.iter().enumerate() {
                locked[i] |= sd.fields.contains(&fd.key);
            }
        }
        locked
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
