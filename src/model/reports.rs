//! The Reports screen (the F7 key): the month's complaint statistics (rule C13); every figure
//! opens the cases behind it. A submitted month shows the figures frozen when it was
//! submitted, and which of them read differently now.

use chrono::Datelike;

use crate::domain::register::to_local;
use crate::domain::stats::{self, FIGURES, Report};
use crate::domain::{Msg, Permission};
use crate::keymap::Cmd;

use super::desk::Screen;
use super::{Confirm, Level, Model, Overlay};

#[derive(Default)]
pub struct ReportView {
    /// The first day of the month shown.
    pub month: Option<chrono::NaiveDate>,
    /// 0 total, 1 category, 2 channel, 3 department, 4 handler.
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
}

impl ReportView {
    /// The figures shown were frozen when the month was submitted.
    pub fn frozen(&self) -> bool {
        self.live.is_some()
    }
}

/// `2026-11` style months joined for a sentence, and their due dates as `12-10`.
fn month_list(months: &[(chrono::NaiveDate, chrono::NaiveDate)], sep: &str) -> (String, String) {
    let names: Vec<String> = months.iter().map(|(m, _)| stats::format_month(*m)).collect();
    let dues: Vec<String> = months.iter().map(|(_, d)| d.format("%m-%d").to_string()).collect();
    (names.join(sep), dues.join(sep))
}

impl Model {
    /// Every ended month whose statistics are not yet submitted (rule C13), from the
    /// first complaint and at most a year back, as a line for the Complaints screen.
    pub fn report_notice(&self) -> Option<String> {
        // the reminder is for those who submit the report (rule C13)
        if !self.desk().is_some_and(|d| d.op.has(crate::domain::Permission::SubmitReports)) {
            return None;
        }
        let today = to_local(self.now, self.offset).date();
        let first = self.store.first_complaint_at().ok()?.map(|t| to_local(t, self.offset).date());
        let submitted: Vec<chrono::NaiveDate> =
            self.store.submitted_months("complaints").ok()?.iter().filter_map(|m| stats::parse_month(m)).collect();
        let pending = stats::pending_months(today, first, &submitted, &self.settings);
        let msg = match pending.as_slice() {
            [] => return None,
            [(m, due)] => {
                Msg::new("stats.pending").with("month", stats::format_month(*m)).with("due", due.format("%Y-%m-%d"))
            }
            few if few.len() <= 3 => {
                let (months, dues) = month_list(few, &self.t("stats.list_sep"));
                Msg::new("stats.pending_many").with("months", months).with("due", dues)
            }
            many => {
                let (m, due) = many[0];
                Msg::new("stats.pending_count")
                    .with("n", many.len())
                    .with("month", stats::format_month(m))
                    .with("due", due.format("%Y-%m-%d"))
            }
        };
        Some(self.i18n.msg(&msg))
    }

    /// The month's figures as they stand now.
    fn month_report(&self, month: chrono::NaiveDate) -> crate::store::Result<Report> {
        let (from, to) = stats::month_bounds(month, self.offset);
        let rows = self.store.complaint_rows(from, to)?;
        Ok(stats::report(&stats::format_month(month), &rows, self.now, &self.settings))
    }

    pub(super) fn load_report(&mut self) {
        let today = to_local(self.now, self.offset).date();
        let Some(d) = self.desk() else { return };
        let month = d.reports.month.unwrap_or_else(|| {
            // last month while its report is pending, else this month
            let sub = |m| self.store.report_submitted("complaints", &stats::format_month(m)).ok().flatten().is_some();
            let prev = today.with_day(1).and_then(|t| t.checked_sub_months(chrono::Months::new(1)));
            match prev {
                Some(p) if !sub(p) => p,
                _ => today.with_day(1).unwrap_or(today),
            }
        });
        let key = stats::format_month(month);
        let (live, submission) =
            match self.month_report(month).and_then(|r| Ok((r, self.store.submission("complaints", &key)?))) {
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
        let changed = live.as_ref().map(|l| stats::changed(&r.total, &l.total)).unwrap_or_default();
        let none = self.t("stats.none");
        let name = |kind: &str, id: Option<i64>| match (kind, id) {
            (_, None) => none.clone(),
            ("department", Some(id)) => self.desk().map(|d| d.department_name(id)).unwrap_or_default(),
            (_, Some(id)) => self.desk().map(|d| d.operator_name(id)).unwrap_or_default(),
        };
        let group = self.desk().map(|d| d.reports.group).unwrap_or(0);
        let columns: Vec<String> =
            crate::report::columns(&r, group, &self.i18n, &name).into_iter().map(|c| c.0).collect();
        if let Some(d) = self.desk_mut() {
            let v = &mut d.reports;
            v.month = Some(month);
            v.col = v.col.min(columns.len().saturating_sub(1));
            v.row = v.row.min(FIGURES.len() - 1);
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
        match cmd {
            Cmd::Down => v.row = (v.row + 1).min(FIGURES.len() - 1),
            Cmd::Up => v.row = v.row.saturating_sub(1),
            Cmd::First => v.row = 0,
            Cmd::Last => v.row = FIGURES.len() - 1,
            Cmd::Right => v.col = (v.col + 1).min(cols - 1),
            Cmd::Left => v.col = v.col.saturating_sub(1),
            Cmd::NextTab => {
                v.group = (v.group + 1) % crate::report::GROUPS.len();
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

    /// Opens the Complaints list on the cases behind the figure under the cursor.
    fn open_figure(&mut self) {
        let Some(d) = self.desk() else { return };
        let v = &d.reports;
        let Some(r) = &v.report else { return };
        let figure = FIGURES[v.row];
        let figs: Vec<&stats::Figures> = match v.group {
            1 => r.by_category.iter().map(|x| &x.1).collect(),
            2 => r.by_channel.iter().map(|x| &x.1).collect(),
            3 => r.by_department.iter().map(|x| &x.1).collect(),
            4 => r.by_handler.iter().map(|x| &x.1).collect(),
            _ => vec![],
        };
        let f = if v.col == 0 { &r.total } else { figs.get(v.col - 1).copied().unwrap_or(&r.total) };
        let ids = f.ids(figure).to_vec();
        if ids.is_empty() {
            return;
        }
        let title = self.i18n.msg(
            &Msg::new("stats.behind")
                .with("figure", crate::report::label(&self.i18n, figure, f))
                .with("column", v.columns.get(v.col).cloned().unwrap_or_default())
                .with("month", r.month.clone()),
        );
        let Some(d) = self.desk_mut() else { return };
        if !d.show("complaint") {
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
        let Some(first) = d.reports.month else { return };
        let month = stats::format_month(first);
        if !yes {
            self.say(Msg::new("stats.submit_cancelled").with("month", month), Level::Info);
            return;
        }
        let actor = d.op.id;
        let result = self
            .month_report(first)
            .and_then(|r| self.store.submit_report_with(actor, self.now, "complaints", &month, Some(&r)));
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
        matches!(self, Screen::Intake | Screen::Complaints)
    }
}
