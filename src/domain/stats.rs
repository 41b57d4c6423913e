//! The month's complaint statistics (rules C10, C13, F1, F5, F6): pure arithmetic over the
//! cases received in the month, so the figures can be checked by hand.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Settings;
use super::settings;

const DAY: i64 = 86_400;

/// One complaint, as the statistics see it.
#[derive(Clone, Debug, Default)]
pub struct CaseRow {
    pub id: i64,
    /// Its complaint number (C-2026-000001), for output.
    pub number: String,
    pub received_at: i64,
    pub category: String,
    pub channel: String,
    pub department: Option<i64>,
    pub handler: Option<i64>,
    pub step: String,
    /// When it was finished: closed, or rejected at the decision.
    pub finished_at: Option<i64>,
    pub case_due_at: Option<i64>,
    pub major_at: Option<i64>,
    pub reported_at: Option<i64>,
    /// Rule C15: merged into another case; counted there, not here.
    pub duplicate_of: Option<i64>,
    /// Voided: counted only as such.
    pub voided: bool,
    /// Rule C16: gets no callback.
    pub no_callback: bool,
    /// Rule F1: a callback was made.
    pub called_back: bool,
    /// Rule F1: when the first callback was made.
    pub called_at: Option<i64>,
    /// Rule F5: every callback made on it has been reviewed.
    pub reviewed: bool,
    /// Rule F6: new issues raised on its callbacks, and how many of them were followed up
    /// (the callback promised for the issue was made).
    pub issues: i64,
    pub issues_followed: i64,
    /// Satisfaction 1-5 given on its callback.
    pub satisfaction: Option<i64>,
}

/// The figures for one group of cases; the lists name the cases behind each figure (row ids).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Figures {
    pub received: Vec<i64>,
    pub rejected: Vec<i64>,
    pub closed: Vec<i64>,
    pub on_time: Vec<i64>,
    pub median_days: Option<f64>,
    pub overdue: Vec<i64>,
    pub major: Vec<i64>,
    pub major_in_time: Vec<i64>,
    pub called_back: Vec<i64>,
    /// Called back / resolved cases that get a callback (rule C16 excludes some), percent.
    pub callback_rate: Option<f64>,
    pub callback_target: i64,
    /// Rule F1: called back within the days of its closing.
    pub callback_in_time: Vec<i64>,
    pub callback_in_time_rate: Option<f64>,
    pub callback_days: i64,
    /// Rule F5: called back, and every callback reviewed.
    pub reviewed: Vec<i64>,
    /// Rule F6: a callback raised a new issue; every such issue followed up.
    pub issues: Vec<i64>,
    pub issues_followed: Vec<i64>,
    pub issue_rate: Option<f64>,
    pub satisfaction: Option<f64>,
    /// Rule C10: rejected, but answered after the case's deadline.
    pub rejected_late: Vec<i64>,
    pub duplicates: Vec<i64>,
    /// Voided complaints; in no other figure.
    pub voided: Vec<i64>,
}

/// The names of the figures, in the order a report shows them.
pub const FIGURES: &[&str] = &[
    "received",
    "rejected",
    "closed",
    "on_time",
    "median_days",
    "overdue",
    "major",
    "major_in_time",
    "called_back",
    "callback_rate",
    "callback_in_time",
    "callback_in_time_rate",
    "reviewed",
    "issues",
    "issues_followed",
    "issue_rate",
    "satisfaction",
    "rejected_late",
    "duplicates",
    "voided",
];

/// Rule F6: every raised issue gets an answer.
pub const ISSUE_TARGET: i64 = 100;

impl Figures {
    /// The cases behind a figure (none for the computed ones).
    pub fn ids(&self, figure: &str) -> &[i64] {
        match figure {
            "received" => &self.received,
            "rejected" => &self.rejected,
            "closed" => &self.closed,
            "on_time" => &self.on_time,
            "overdue" => &self.overdue,
            "major" => &self.major,
            "major_in_time" => &self.major_in_time,
            "called_back" => &self.called_back,
            "callback_in_time" => &self.callback_in_time,
            "reviewed" => &self.reviewed,
            "issues" => &self.issues,
            "issues_followed" => &self.issues_followed,
            "rejected_late" => &self.rejected_late,
            "duplicates" => &self.duplicates,
            "voided" => &self.voided,
            _ => &[],
        }
    }

    fn value(&self, figure: &str) -> Option<Option<f64>> {
        match figure {
            "median_days" => Some(self.median_days),
            "callback_rate" => Some(self.callback_rate),
            "callback_in_time_rate" => Some(self.callback_in_time_rate),
            "issue_rate" => Some(self.issue_rate),
            "satisfaction" => Some(self.satisfaction),
            _ => None,
        }
    }

    /// The target a rate is measured against, percent.
    pub fn target(&self, figure: &str) -> Option<i64> {
        match figure {
            "callback_rate" | "callback_in_time_rate" => Some(self.callback_target),
            "issue_rate" => Some(ISSUE_TARGET),
            _ => None,
        }
    }

    /// A figure as a bare number, for CSV.
    pub fn raw(&self, figure: &str) -> String {
        match self.value(figure) {
            Some(v) => v.map(|x| format!("{x:.1}")).unwrap_or_default(),
            None => self.ids(figure).len().to_string(),
        }
    }

    /// A figure as text: a count, days, a percentage or an average; "—" when there is
    /// nothing to compute it from.
    pub fn show(&self, figure: &str) -> String {
        let unit = if self.target(figure).is_some() { "%" } else { "" };
        match self.value(figure) {
            Some(v) => v.map(|x| format!("{x:.1}{unit}")).unwrap_or_else(|| "—".into()),
            None => self.ids(figure).len().to_string(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Report {
    /// `YYYY-MM`
    pub month: String,
    pub total: Figures,
    pub by_category: Vec<(String, Figures)>,
    pub by_channel: Vec<(String, Figures)>,
    pub by_department: Vec<(Option<i64>, Figures)>,
    pub by_handler: Vec<(Option<i64>, Figures)>,
    /// The complaint number of every case in the report, by row id.
    pub numbers: BTreeMap<i64, String>,
}

impl Report {
    /// A case's complaint number (its row id if the report does not know it).
    pub fn number(&self, id: i64) -> String {
        self.numbers.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
    }
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    Some(if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 })
}

fn rate(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// Figures for a set of cases (duplicates merged into others, and voided complaints, are
/// counted only as such).
pub fn figures(rows: &[&CaseRow], now: i64, s: &Settings) -> Figures {
    let callback_days = s.int(settings::CALLBACK_COMPLAINT_DAYS);
    let mut f =
        Figures { callback_target: s.int(settings::CALLBACK_COMPLAINT_RATE), callback_days, ..Figures::default() };
    let major_secs = s.int(settings::COMPLAINT_MAJOR_HOURS) * 3600;
    let close_secs = s.int(settings::COMPLAINT_CLOSE_DAYS) * DAY;
    let mut days = Vec::new();
    let mut sat = Vec::new();
    let mut callable = 0usize;
    for r in rows {
        if r.voided {
            f.voided.push(r.id);
            continue;
        }
        if r.duplicate_of.is_some() {
            f.duplicates.push(r.id);
            continue;
        }
        f.received.push(r.id);
        let finished = matches!(r.step.as_str(), "closed" | "rejected");
        // rule C10: the case's deadline (7 days from receipt unless one was set)
        let due = r.case_due_at.unwrap_or(r.received_at + close_secs);
        if r.step == "rejected" {
            f.rejected.push(r.id);
            // rule C4 and C10: a rejection is an answer too, and it is due in the same days
            if r.finished_at.is_some_and(|at| at > due) {
                f.rejected_late.push(r.id);
            }
        }
        if r.step == "closed" {
            f.closed.push(r.id);
            if !r.no_callback {
                callable += 1;
            }
            if r.called_back {
                f.called_back.push(r.id);
                // rule F1: within the days of the case's closing; a later call counts as
                // a callback, but not as one in time
                if let (Some(call), Some(closed)) = (r.called_at, r.finished_at)
                    && call - closed <= callback_days * DAY
                {
                    f.callback_in_time.push(r.id);
                }
                // rule F5: the supervisor reviewed what was recorded
                if r.reviewed {
                    f.reviewed.push(r.id);
                }
            }
        }
        if let (true, Some(at)) = (r.step == "closed", r.finished_at) {
            // rule C10: resolved within the case's deadline
            if r.case_due_at.is_some_and(|due| at <= due) {
                f.on_time.push(r.id);
            }
            days.push((at - r.received_at) as f64 / DAY as f64);
        }
        if !finished && r.case_due_at.is_some_and(|due| now > due) {
            f.overdue.push(r.id);
        }
        if let Some(m) = r.major_at {
            f.major.push(r.id);
            // rule C11: reported upward within the hours
            if r.reported_at.is_some_and(|rep| rep <= m + major_secs) {
                f.major_in_time.push(r.id);
            }
        }
        // rule F6: every issue raised on a callback is followed up
        if r.issues > 0 {
            f.issues.push(r.id);
            if r.issues_followed >= r.issues {
                f.issues_followed.push(r.id);
            }
        }
        if let Some(x) = r.satisfaction {
            sat.push(x as f64);
        }
    }
    f.median_days = median(days);
    // rule F1: the share of resolved complaints called back, and called back in time,
    // against its target
    f.callback_rate = rate(f.called_back.len(), callable);
    f.callback_in_time_rate = rate(f.callback_in_time.len(), callable);
    f.issue_rate = rate(f.issues_followed.len(), f.issues.len());
    f.satisfaction = (!sat.is_empty()).then(|| sat.iter().sum::<f64>() / sat.len() as f64);
    f
}

fn group<K: Ord + Clone>(rows: &[CaseRow], key: impl Fn(&CaseRow) -> K, now: i64, s: &Settings) -> Vec<(K, Figures)> {
    let mut keys: Vec<K> = rows.iter().map(&key).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            let members: Vec<&CaseRow> = rows.iter().filter(|r| key(r) == k).collect();
            (k, figures(&members, now, s))
        })
        .collect()
}

/// Rule C13: the month's report, by category, channel, department and handler.
pub fn report(month: &str, rows: &[CaseRow], now: i64, s: &Settings) -> Report {
    let all: Vec<&CaseRow> = rows.iter().collect();
    Report {
        month: month.to_string(),
        total: figures(&all, now, s),
        by_category: group(rows, |r| r.category.clone(), now, s),
        by_channel: group(rows, |r| r.channel.clone(), now, s),
        by_department: group(rows, |r| r.department, now, s),
        by_handler: group(rows, |r| r.handler, now, s),
        numbers: rows.iter().filter(|r| !r.number.is_empty()).map(|r| (r.id, r.number.clone())).collect(),
    }
}

/// Rule C13: the figures that read differently now from those frozen when the month was
/// submitted.
pub fn changed(frozen: &Figures, now: &Figures) -> Vec<&'static str> {
    FIGURES.iter().copied().filter(|f| frozen.show(f) != now.show(f)).collect()
}

/// Rule C13: the report for `month` is due on this day of the next month (local date).
pub fn due_date(month: chrono::NaiveDate, s: &Settings) -> chrono::NaiveDate {
    let next = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
    next.with_day0(0).and_then(|d| d.with_day(s.int(settings::REPORT_DUE_DAY).clamp(1, 28) as u32)).unwrap_or(next)
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, step: &str, finished_after_days: Option<i64>) -> CaseRow {
        CaseRow {
            id,
            number: format!("C-2026-{id:06}"),
            received_at: 0,
            category: "repair".into(),
            channel: "phone".into(),
            step: step.into(),
            finished_at: finished_after_days.map(|d| d * DAY),
            case_due_at: Some(7 * DAY),
            ..CaseRow::default()
        }
    }

    /// A closed case called back `after` days after it was closed.
    fn called(id: i64, after: i64) -> CaseRow {
        let mut r = row(id, "closed", Some(2));
        r.called_back = true;
        r.called_at = Some(2 * DAY + after * DAY);
        r
    }

    #[test]
    fn rule_c13_counts_by_hand() {
        let s = Settings::default();
        let mut rows = vec![
            row(1, "closed", Some(3)),
            row(2, "closed", Some(9)),
            row(3, "rejected", Some(1)),
            row(4, "investigate", None),
            row(5, "decide", None),
        ];
        rows[0].called_back = true;
        rows[0].satisfaction = Some(4);
        rows[1].satisfaction = Some(2);
        rows[3].major_at = Some(DAY);
        rows[3].reported_at = Some(DAY + 3600);
        rows[4].duplicate_of = Some(1);
        let r = report("2026-11", &rows, 8 * DAY, &s);
        let t = &r.total;
        assert_eq!(t.received, vec![1, 2, 3, 4], "a merged duplicate counts once, in its case");
        assert_eq!(t.duplicates, vec![5]);
        assert_eq!(t.rejected, vec![3]);
        assert_eq!(t.closed, vec![1, 2]);
        assert_eq!(t.on_time, vec![1], "rule C10: resolved within 7 days");
        assert_eq!(t.median_days, Some(6.0), "3 and 9 days to resolve");
        assert_eq!(t.overdue, vec![4]);
        assert_eq!(t.major, vec![4]);
        assert_eq!(t.major_in_time, vec![4], "rule C11: reported within 24 hours");
        assert_eq!(t.callback_rate, Some(50.0), "rule F1: 1 of 2 resolved");
        assert_eq!(t.satisfaction, Some(3.0));
        assert_eq!(t.show("callback_rate"), "50.0%");
        assert_eq!(t.target("callback_rate"), Some(50));
        assert_eq!(r.by_category.len(), 1);
        assert_eq!(r.number(4), "C-2026-000004");
    }

    #[test]
    fn rule_c13_groups_split_the_total() {
        let s = Settings::default();
        let mut rows = vec![row(1, "closed", Some(2)), row(2, "closed", Some(2)), row(3, "decide", None)];
        rows[1].channel = "walk_in".into();
        rows[2].handler = Some(7);
        let r = report("2026-11", &rows, DAY, &s);
        assert_eq!(
            r.by_channel.iter().map(|(k, f)| (k.as_str(), f.received.len())).collect::<Vec<_>>(),
            [("phone", 2), ("walk_in", 1)]
        );
        assert_eq!(
            r.by_handler.iter().map(|(k, f)| (*k, f.received.len())).collect::<Vec<_>>(),
            [(None, 2), (Some(7), 1)]
        );
    }

    #[test]
    fn rule_c13_due_by_the_tenth_of_the_next_month() {
        let s = Settings::default();
        let nov = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(due_date(nov, &s), chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        let dec = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(due_date(dec, &s), chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap());
    }

    #[test]
    fn an_empty_month_has_no_rates() {
        let r = report("2026-11", &[], 0, &Settings::default());
        assert_eq!(r.total.median_days, None);
        assert_eq!(r.total.show("median_days"), "—");
        assert_eq!(r.total.show("received"), "0");
        assert_eq!(r.total.show("issue_rate"), "—");
    }

    #[test]
    fn rule_f1_callbacks_within_three_days_count_apart_from_late_ones() {
        let s = Settings::default();
        // closed on day 2; called back after 1 day, exactly 3 days, 4 days; one not called
        let rows = vec![called(1, 1), called(2, 3), called(3, 4), row(4, "closed", Some(2))];
        let t = report("2026-11", &rows, 30 * DAY, &s).total;
        assert_eq!(t.called_back, vec![1, 2, 3], "a late callback is still a callback");
        assert_eq!(t.callback_in_time, vec![1, 2], "day 4 is past the 3 days");
        assert_eq!(t.callback_rate, Some(75.0));
        assert_eq!(t.callback_in_time_rate, Some(50.0), "2 of the 4 resolved, against the 50% target");
        assert_eq!(t.show("callback_in_time_rate"), "50.0%");
        assert_eq!(t.target("callback_in_time_rate"), Some(50));
        assert_eq!(t.callback_days, 3);
        // the window is a setting
        let s5 = Settings::from_stored([(settings::CALLBACK_COMPLAINT_DAYS.to_string(), "5".to_string())].into());
        assert_eq!(report("2026-11", &rows, 30 * DAY, &s5).total.callback_in_time, vec![1, 2, 3]);
    }

    #[test]
    fn rule_f1_a_case_without_a_callback_by_rule_c16_is_not_in_the_rate() {
        let mut rows = vec![called(1, 1), row(2, "closed", Some(2))];
        rows[1].no_callback = true;
        let t = report("2026-11", &rows, 30 * DAY, &Settings::default()).total;
        assert_eq!(t.callback_in_time_rate, Some(100.0));
    }

    #[test]
    fn rule_c10_rejected_cases_answered_late_are_counted() {
        let s = Settings::default();
        // rejected after 1 day, after exactly 7, after 10; one with no deadline stored,
        // rejected after 8 days (7 days from receipt by the setting)
        let mut rows = vec![
            row(1, "rejected", Some(1)),
            row(2, "rejected", Some(7)),
            row(3, "rejected", Some(10)),
            row(4, "rejected", Some(8)),
        ];
        rows[3].case_due_at = None;
        let t = report("2026-11", &rows, 30 * DAY, &s).total;
        assert_eq!(t.rejected, vec![1, 2, 3, 4]);
        assert_eq!(t.rejected_late, vec![3, 4]);
        assert!(t.on_time.is_empty() && t.closed.is_empty(), "a rejection is not a resolution");
    }

    #[test]
    fn rule_f6_issues_raised_on_callbacks_are_followed_up_or_not() {
        let s = Settings::default();
        let mut rows = vec![called(1, 1), called(2, 1), called(3, 1), called(4, 1)];
        rows[0].issues = 1;
        rows[0].issues_followed = 1;
        rows[1].issues = 2;
        rows[1].issues_followed = 1; // one of its two issues still waits
        rows[2].issues = 1;
        let t = report("2026-11", &rows, 30 * DAY, &s).total;
        assert_eq!(t.issues, vec![1, 2, 3]);
        assert_eq!(t.issues_followed, vec![1]);
        assert_eq!(t.show("issue_rate"), "33.3%");
        assert_eq!(t.target("issue_rate"), Some(100), "every matter gets an answer");
    }

    #[test]
    fn rule_f5_reviewed_callbacks_are_counted_of_those_made() {
        let mut rows = vec![called(1, 1), called(2, 1), row(3, "closed", Some(2))];
        rows[0].reviewed = true;
        rows[2].reviewed = true; // no callback made: nothing to review
        let t = report("2026-11", &rows, 30 * DAY, &Settings::default()).total;
        assert_eq!(t.called_back, vec![1, 2]);
        assert_eq!(t.reviewed, vec![1]);
    }

    #[test]
    fn rule_c13_a_voided_complaint_is_a_figure_of_its_own() {
        let mut rows = vec![row(1, "closed", Some(2)), row(2, "closed", Some(2)), row(3, "rejected", Some(9))];
        rows[1].voided = true;
        rows[1].major_at = Some(0);
        rows[2].voided = true;
        rows[2].duplicate_of = Some(1);
        let r = report("2026-11", &rows, 30 * DAY, &Settings::default());
        let t = &r.total;
        assert_eq!(t.voided, vec![2, 3]);
        assert_eq!(t.received, vec![1]);
        assert_eq!(t.closed, vec![1]);
        assert!(t.major.is_empty() && t.duplicates.is_empty() && t.rejected_late.is_empty());
        assert_eq!(r.by_category[0].1.voided, vec![2, 3]);
    }

    #[test]
    fn rule_c13_the_figures_changed_since_submission_are_named() {
        let s = Settings::default();
        let mut rows = vec![row(1, "closed", Some(3)), row(2, "investigate", None)];
        let frozen = report("2026-11", &rows, 30 * DAY, &s).total;
        assert!(changed(&frozen, &frozen).is_empty());
        rows[1].step = "closed".into();
        rows[1].finished_at = Some(5 * DAY);
        rows.push(row(3, "decide", None));
        let now = report("2026-11", &rows, 30 * DAY, &s).total;
        assert_eq!(changed(&frozen, &now), ["received", "closed", "on_time", "median_days"]);
    }

    #[test]
    fn rule_c13_a_frozen_report_reads_back_as_it_was() {
        let rows = vec![called(1, 4), row(2, "rejected", Some(9))];
        let r = report("2026-11", &rows, 30 * DAY, &Settings::default());
        let json = serde_json::to_string(&r).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        // a copy frozen before some figures existed reads with those empty
        let old: Report = serde_json::from_str(r#"{"month":"2026-10","total":{"received":[1,2]}}"#).unwrap();
        assert_eq!(old.total.received, vec![1, 2]);
        assert!(old.total.voided.is_empty());
    }
}

/// `2026-11` -> the first day of that month.
pub fn parse_month(s: &str) -> Option<chrono::NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

pub fn format_month(first: chrono::NaiveDate) -> String {
    first.format("%Y-%m").to_string()
}

/// The month's local bounds as UTC seconds: [first day 00:00, next month's first 00:00).
pub fn month_bounds(first: chrono::NaiveDate, offset: i32) -> (i64, i64) {
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
    let at = |d: chrono::NaiveDate| super::register::from_local(d.and_hms_opt(0, 0, 0).unwrap_or_default(), offset);
    (at(first), at(next))
}

/// Rule C13: the month whose report is due now (the previous one, from the 1st), and
/// its due date; None once it is submitted.
pub fn pending(
    today: chrono::NaiveDate,
    submitted: bool,
    s: &Settings,
) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    if submitted {
        return None;
    }
    let this = today.with_day(1)?;
    let prev = this.checked_sub_months(chrono::Months::new(1))?;
    Some((prev, due_date(prev, s)))
}

/// How many ended months the reminder looks back at most.
pub const PENDING_MONTHS: u32 = 12;

/// Rule C13: every ended month whose report is not submitted, oldest first, with its due
/// date: from the month of the first complaint (`first`; last month when there is none),
/// and at most the last [`PENDING_MONTHS`].
pub fn pending_months(
    today: chrono::NaiveDate,
    first: Option<chrono::NaiveDate>,
    submitted: &[chrono::NaiveDate],
    s: &Settings,
) -> Vec<(chrono::NaiveDate, chrono::NaiveDate)> {
    let Some(this) = today.with_day(1) else { return Vec::new() };
    let Some(last) = this.checked_sub_months(chrono::Months::new(1)) else { return Vec::new() };
    let oldest = this.checked_sub_months(chrono::Months::new(PENDING_MONTHS)).unwrap_or(last);
    let start = first.and_then(|d| d.with_day(1)).unwrap_or(last).clamp(oldest, last);
    let mut out = Vec::new();
    let mut m = start;
    while m <= last {
        if !submitted.contains(&m) {
            out.push((m, due_date(m, s)));
        }
        match m.checked_add_months(chrono::Months::new(1)) {
            Some(n) => m = n,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod month_tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_parse_and_bound_in_local_time() {
        let nov = parse_month("2026-11").unwrap();
        assert_eq!(format_month(nov), "2026-11");
        assert!(parse_month("2026-13").is_none());
        let (from, to) = month_bounds(nov, 8 * 3600);
        assert_eq!(to - from, 30 * 86_400);
        assert_eq!(from % 86_400, 16 * 3600, "midnight at UTC+8 is 16:00 UTC");
    }

    #[test]
    fn rule_c13_last_months_report_is_pending_until_submitted() {
        let s = Settings::default();
        let dec3 = day(2026, 12, 3);
        let (month, due) = pending(dec3, false, &s).unwrap();
        assert_eq!(format_month(month), "2026-11");
        assert_eq!(due, day(2026, 12, 10));
        assert!(pending(dec3, true, &s).is_none());
    }

    #[test]
    fn rule_c13_every_ended_month_not_submitted_is_pending() {
        let s = Settings::default();
        let dec3 = day(2026, 12, 3);
        // complaints since August; August and September submitted
        let got = pending_months(dec3, Some(day(2026, 8, 14)), &[day(2026, 8, 1), day(2026, 9, 1)], &s);
        assert_eq!(got, [(day(2026, 10, 1), day(2026, 11, 10)), (day(2026, 11, 1), day(2026, 12, 10))]);
        // nothing before the first complaint; this month has not ended
        assert_eq!(pending_months(dec3, Some(day(2026, 11, 30)), &[], &s).len(), 1);
        assert_eq!(pending_months(dec3, Some(day(2026, 12, 2)), &[], &s), [(day(2026, 11, 1), day(2026, 12, 10))]);
        // no complaints at all: last month, as before
        assert_eq!(pending_months(dec3, None, &[], &s), [(day(2026, 11, 1), day(2026, 12, 10))]);
        assert!(pending_months(dec3, None, &[day(2026, 11, 1)], &s).is_empty());
        // at most the last 12 months
        let years = pending_months(dec3, Some(day(2020, 1, 1)), &[], &s);
        assert_eq!(years.len(), 12);
        assert_eq!(years[0].0, day(2025, 12, 1));
    }
}
