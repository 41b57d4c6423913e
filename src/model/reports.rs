//! The Reports screen (the F7 key): a register's monthly report as its declaration gives
//! it (rule C13's complaint statistics); every figure opens the records behind it. A
//! submitted month shows the figures frozen when it was submitted, and which of them read
//! differently now.

use chrono::Datelike;

use crate::domain::register::to_local;
use crate::domain::stats::{self, Report, ReportDef};
use crate::domain::{Msg, Permission};
use crate::keymap::Cmd;

use super::desk::Screen;
use super::{Confirm, Level, Model, Overlay};

#[derive(Default)]
pub struct ReportView {
    /// The first day of the month shown.
    pub month: Option<chrono::NaiveDate>,
    /// The tab: 0 the total, then each grouping the report declares.
    pub group: usize,
    /// The figure (row) and the column under the cursor.
    pub row: usize,
    pub col: usize,
    /// The figures shown: those frozen at submission, or else as they stand now.
    pub report: Option<Report>,
    /// Column headings, in the operator's language.
    pub columns: Vec<String>,
    /// When the month's report was marked submitted.
    pub submitted: Option<i64>,
    /// Who marked it submitted.
    pub submitted_by: Option<String>,
    /// The figures as they stand now, when those shown are frozen.
    pub live: Option<Report>,
    /// The figures (of the total) that read differently now from the frozen ones.
    pub changed: Vec<&'static str>,
    /// The audit trail's head when the figures were read, shown under them and kept as
    /// the anchor `check` verifies the trail against (F18).
    pub head: Option<crate::store::Head>,
}

impl ReportView {
    /// The figures shown were frozen when the month was submitted.
    pub fn frozen(&self) -> bool {
        self.live.is_some()
    }

    /// The report the screen shows: the first a register declares.
    pub fn def(&self) -> Option<&'static ReportDef> {
        stats::declared().next()
    }

    /// The last figure's row.
    fn last_row(&self) -> usize {
        self.def().map(|d| d.figures.len()).unwrap_or(1).saturating_sub(1)
    }
}

/// `2026-11` style months joined for a sentence, and their due dates as `12-10`.
fn month_list(months: &[(chrono::NaiveDate, chrono::NaiveDate)], sep: &str) -> (String, String) {
    let names: Vec<String> = months.iter().map(|(m, _)| stats::format_month(*m)).collect();
    let dues: Vec<String> = months.iter().map(|(_, d)| d.format("%m-%d").to_string()).collect();
    (names.join(sep), dues.join(sep))
}

impl Model {
    /// Every ended month whose report is not yet submitted (rule C13), from the report's
    /// first record and at most a year back, as a line for the register's screen.
    pub fn report_notice(&self) -> Option<String> {
        // the reminder is for those who submit the report (rule C13)
        if !self.desk().is_some_and(|d| d.op.has(crate::domain::Permission::SubmitReports)) {
            return None;
        }
        let def = stats::declared().next()?;
        let today = to_local(self.now, self.offset).date();
        let first = self.store.report_first_at(def).ok()?.map(|t| to_local(t, self.offset).date());
        let submitted: Vec<chrono::NaiveDate> =
            self.store.submitted_months(def.key).ok()?.iter().filter_map(|m| stats::parse_month(m)).collect();
        let pending = stats::pending_months(def, today, first, &submitted, &self.settings);
        let date = |d: &chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let (key, args) = match pending.as_slice() {
            [] => return None,
            [(m, due)] => ("pending", vec![("month", stats::format_month(*m)), ("due", date(due))]),
            few if few.len() <= 3 => {
                let (months, dues) = month_list(few, &self.t("stats.list_sep"));
                ("pending_many", vec![("months", months), ("due", dues)])
            }
            many => {
                let (m, due) = many[0];
                let n = many.len().to_string();
                ("pending_count", vec![("n", n), ("month", stats::format_month(m)), ("due", date(&due))])
            }
        };
        Some(self.i18n.tf(&format!("{}.{key}", def.text), &args))
    }

    /// The month's figures as they stand now.
    fn month_report(&self, def: &ReportDef, month: chrono::NaiveDate) -> crate::store::Result<Report> {
        let (from, to) = stats::month_bounds(month, self.offset);
        let rows = self.store.report_rows(def, from, to)?;
        Ok(stats::report(def, &stats::format_month(month), to, &rows, self.now, &self.settings))
    }

    pub(super) fn load_report(&mut self) {
        let today = to_local(self.now, self.offset).date();
        let Some(d) = self.desk() else { return };
        let Some(def) = d.reports.def() else { return };
        let month = d.reports.month.unwrap_or_else(|| {
            // last month while its report is pending, else this month
            let sub = |m| self.store.report_submitted(def.key, &stats::format_month(m)).ok().flatten().is_some();
            let prev = today.with_day(1).and_then(|t| t.checked_sub_months(chrono::Months::new(1)));
            match prev {
                Some(p) if !sub(p) => p,
                _ => today.with_day(1).unwrap_or(today),
            }
        });
        let key = stats::format_month(month);
        let (live, submission) =
            match self.month_report(def, month).and_then(|r| Ok((r, self.store.submission(def.key, &key)?))) {
                Ok(x) => x,
                Err(e) => {
                    self.say(e.msg(), Level::Error);
                    return;
                }
            };
        let submitted = submission.as_ref().map(|s| s.at);
        let submitted_by = submission.as_ref().and_then(|s| self.desk().map(|d| d.operator_name(s.by)));
        // rule C13: a submitted month shows what was submitted; what changed since is noted
        let (r, live) = match submission.and_then(|s| s.figures) {
            Some(frozen) => (frozen, Some(live)),
            None => (live, None),
        };
        let changed = live.as_ref().map(|l| stats::changed(def, &r.total, &l.total)).unwrap_or_default();
        let name = crate::report::Names {
            department: &|id| self.desk().map(|d| d.department_name(id)).unwrap_or_default(),
            operator: &|id| self.desk().map(|d| d.operator_name(id)).unwrap_or_default(),
        };
        let group = self.desk().map(|d| d.reports.group).unwrap_or(0);
        let columns: Vec<String> =
            crate::report::columns(def, &r, group, &self.i18n, &name).into_iter().map(|c| c.0).collect();
        // F18: the head shown is recorded as an anchor; only a new head is written
        let shown = self.desk().and_then(|d| d.reports.head.clone());
        let head = match self.store.audit_head() {
            Ok(h) if h.is_some() && h != shown => self.store.note_head().unwrap_or(h),
            Ok(h) => h,
            Err(_) => None,
        };
        if let Some(d) = self.desk_mut() {
            let v = &mut d.reports;
            v.head = head;
            v.month = Some(month);
            v.col = v.col.min(columns.len().saturating_sub(1));
            v.row = v.row.min(v.last_row());
            v.columns = columns;
            v.report = Some(r);
            v.submitted = submitted;
            v.submitted_by = submitted_by;
            v.live = live;
            v.changed = changed;
        }
    }

    pub(super) fn reports_cmd(&mut self, cmd: Cmd) {
        let Some(d) = self.desk_mut() else { return };
        let v = &mut d.reports;
        let cols = v.columns.len().max(1);
        let (last, tabs) = (v.last_row(), v.def().map(|d| d.groups.len() + 1).unwrap_or(1));
        // the cursor moves within the figures loaded; another grouping or month reloads
        match cmd {
            Cmd::Down => return v.row = (v.row + 1).min(last),
            Cmd::Up => return v.row = v.row.saturating_sub(1),
            Cmd::First => return v.row = 0,
            Cmd::Last => return v.row = last,
            Cmd::Right => return v.col = (v.col + 1).min(cols - 1),
            Cmd::Left => return v.col = v.col.saturating_sub(1),
            Cmd::NextTab => {
                v.group = (v.group + 1) % tabs;
                v.col = 0;
            }
            Cmd::PageUp | Cmd::PageDown => {
                let step = chrono::Months::new(1);
                v.month = v.month.and_then(|m| {
                    if cmd == Cmd::PageUp { m.checked_sub_months(step) } else { m.checked_add_months(step) }
                });
            }
            Cmd::Open => return self.open_figure(),
            Cmd::Submit => return self.submit_report(),
            Cmd::Help => self.overlay = Some(Overlay::Help),
            _ => return,
        }
        self.load_report();
    }

    /// Opens the register's list on the records behind the figure under the cursor.
    fn open_figure(&mut self) {
        let Some(d) = self.desk() else { return };
        let v = &d.reports;
        let (Some(r), Some(def)) = (&v.report, v.def()) else { return };
        let Some(figure) = def.figures.get(v.row).map(|f| f.key) else { return };
        let figs = crate::report::tab_figures(def, r, v.group);
        let f = figs.get(v.col).copied().unwrap_or(&r.total);
        let ids = f.ids(figure).to_vec();
        if ids.is_empty() {
            return;
        }
        let title = self.i18n.msg(
            &Msg::new("stats.behind")
                .with("figure", crate::report::label(def, &self.i18n, figure, f))
                .with("column", v.columns.get(v.col).cloned().unwrap_or_default())
                .with("month", r.month.clone()),
        );
        let Some(d) = self.desk_mut() else { return };
        if !d.show(def.register) {
            return;
        }
        if let Some(view) = d.view_mut() {
            view.list.only = Some((title, ids));
            view.list.only_at = 0;
            view.list.filter = view.def.filters.iter().position(|f| f.key == "filter.all").unwrap_or(0);
        }
        self.refresh_lists();
    }

    /// Rule C13: asks before a month is marked submitted, since its figures are frozen then.
    fn submit_report(&mut self) {
        let Some(d) = self.desk() else { return };
        if !d.op.has(Permission::SubmitReports) {
            self.say(Msg::new("err.permission"), Level::Error);
            return;
        }
        let Some(first) = d.reports.month else { return };
        // only a month that has ended has statistics to submit (rule C13)
        let this_month = to_local(self.now, self.offset).date().with_day(1);
        if this_month.is_some_and(|t| first >= t) {
            self.say(Msg::new("err.report.not_ended"), Level::Error);
            return;
        }
        if d.reports.submitted.is_some() {
            self.say(Msg::new("err.report.submitted"), Level::Error);
            return;
        }
        self.overlay = Some(Overlay::Confirm(Confirm::SubmitReport));
    }

    /// The confirmation's answer: on yes, the month is marked submitted with its figures
    /// as they stand now.
    pub(super) fn confirm_submit_report(&mut self, yes: bool) {
        let Some(d) = self.desk() else { return };
        let (Some(first), Some(def)) = (d.reports.month, d.reports.def()) else { return };
        let month = stats::format_month(first);
        if !yes {
            self.say(Msg::new("stats.submit_cancelled").with("month", month), Level::Info);
            return;
        }
        let actor = d.op.id;
        let settings = self.settings.clone();
        let result = self.store.submit_month(actor, self.now, def, first, self.offset, &settings);
        match result {
            Ok(()) => {
                self.after_write();
                self.say(Msg::new("stats.submit_done").with("month", month), Level::Info);
            }
            Err(e) => self.say(e.msg(), Level::Error),
        }
    }
}

impl Screen {
    pub fn is_board(self) -> bool {
        matches!(self, Screen::Intake | Screen::Complaints | Screen::Repairs)
    }
}
