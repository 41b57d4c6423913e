//! A register's list: pages by keyset, filters, search, the narrowing, the boards.

use crate::domain::Msg;
use crate::domain::register::Cond;
use crate::keymap::Cmd;
use crate::store::PageDir;

use super::desk::{SEARCH_FIELDS, Screen};
use super::form::FormState;
use super::{FormKind, Level, Model, Overlay};

impl Model {
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
        // a report's drill-down lasts while it is looked at: away from the complaints, the
        // register's own list is what F4 shows again
        if screen != Screen::Complaints
            && let Some(d) = self.desk_mut()
        {
            for b in d.boards.iter_mut() {
                for v in b.views.iter_mut() {
                    v.list.only = None;
                }
            }
        }
        let notice = if screen == Screen::Complaints { self.report_notice() } else { None };
        if let Some(d) = self.desk_mut() {
            d.notice = notice;
        }
        match screen {
            Screen::Intake | Screen::Complaints | Screen::Repairs => self.load_page(None),
            Screen::Reports => self.load_report(),
            Screen::Today => self.load_today(),
            Screen::Admin => self.load_admin(),
        }
    }

    /// Reloads the current register page (`None`) or moves to another. Lists go by
    /// keyset from the page's top row; search results by an id cursor; a figure's cases
    /// by position in its list of ids.
    pub(super) fn load_page(&mut self, mv: Option<Cmd>) {
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
        // the labels of the records the page names, read once with the page
        let labels = self.page_labels(def, &rows);
        let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) else { return };
        let l = &mut v.list;
        l.labels = labels;
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
            Screen::Intake | Screen::Complaints | Screen::Repairs => self.board_cmd(cmd),
            Screen::Reports => self.reports_cmd(cmd),
            Screen::Today => self.today_cmd(cmd),
            Screen::Admin => self.admin_cmd(cmd),
        }
    }

    pub(super) fn board_cmd(&mut self, cmd: Cmd) {
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
                    self.search_due_ms = None;
                    self.load_page(Some(Cmd::First));
                }
                // leaving the box: what was typed is looked up now, not after the wait
                Cmd::Open | Cmd::Down | Cmd::Up | Cmd::NextTab => {
                    if self.search_due_ms.is_some() {
                        self.search_due();
                    }
                    if let Some(v) = self.desk_mut().and_then(|d| d.view_mut()) {
                        v.list.searching = false;
                    }
                }
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
            Cmd::Filter | Cmd::FilterBack => {
                let n = v.def.filters.len().max(1);
                v.list.filter = if cmd == Cmd::Filter { (v.list.filter + 1) % n } else { (v.list.filter + n - 1) % n };
                self.load_page(Some(Cmd::First));
                let key = self
                    .desk()
                    .and_then(|d| d.view())
                    .and_then(|v| v.def.filters.get(v.list.filter))
                    .map(|f| f.key)
                    .unwrap_or("");
                let name = self.t(key);
                self.say(Msg::new("status.filter").with("filter", name), Level::Info);
            }
            // a report's drill-down is its figure's cases, not a search
            Cmd::Search if v.list.only.is_some() => self.say(Msg::new("list.no_search_here"), Level::Info),
            // `/` starts a fresh search: the old query goes
            Cmd::Search => {
                let had = !v.list.query().is_empty();
                v.list.search = FormState::new("search", SEARCH_FIELDS);
                v.list.cursor = None;
                v.list.stack.clear();
                v.list.searching = true;
                if had {
                    self.load_page(Some(Cmd::First));
                }
            }
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

    /// Typing in the search box searches a moment after the last key (`SEARCH_WAIT_MS`):
    /// the key echoes at once, and a query the next key supersedes is never run.
    pub(super) fn search_as_typed(&mut self) {
        let searching = self.desk().and_then(|d| d.view()).is_some_and(|v| v.list.searching);
        if searching {
            self.search_due_ms = Some(self.now_ms + super::SEARCH_WAIT_MS);
        }
    }

    /// Runs the search the box waits for.
    pub(super) fn search_due(&mut self) {
        self.search_due_ms = None;
        let searching = self.desk().and_then(|d| d.view()).is_some_and(|v| v.list.searching);
        if searching {
            self.load_page(Some(Cmd::First));
        }
    }

    /// Opens the narrowing form of the list (F), with what was narrowed before.
    pub(super) fn ask_narrow(&mut self) {
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
}
