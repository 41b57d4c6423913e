//! The month's complaint statistics (rules C13, F1, F5): pure arithmetic over the cases
//! received in the month, so the figures can be checked by hand.

use serde::Serialize;

use super::Settings;
use super::settings;

/// One complaint, as the statistics see it.
#[derive(Clone, Debug, Default)]
pub struct CaseRow {
    pub id: i64,
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
    /// Rule C16: gets no callback.
    pub no_callback: bool,
    /// Rule F1: a callback was made.
    pub called_back: bool,
    /// Satisfaction 1-5 given on its callback.
    pub satisfaction: Option<i64>,
}

/// The figures for one group of cases; `ids` lists the cases behind each figure.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
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
    pub satisfaction: Option<f64>,
    pub duplicates: Vec<i64>,
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
    "satisfaction",
    "duplicates",
];

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
            "duplicates" => &self.duplicates,
            _ => &[],
        }
    }

    /// A figure as a bare number, for CSV.
    pub fn raw(&self, figure: &str) -> String {
        let opt = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_default();
        match figure {
            "median_days" => opt(self.median_days),
            "callback_rate" => opt(self.callback_rate),
            "satisfaction" => opt(self.satisfaction),
            f => self.ids(f).len().to_string(),
        }
    }

    /// A figure as text: a count, days, a percentage or an average.
    pub fn show(&self, figure: &str) -> String {
        let opt = |v: Option<f64>, unit: &str| v.map(|x| format!("{x:.1}{unit}")).unwrap_or_else(|| "—".into());
        match figure {
            "median_days" => opt(self.median_days, ""),
            "callback_rate" => format!("{} / {}%", opt(self.callback_rate, "%"), self.callback_target),
            "satisfaction" => opt(self.satisfaction, ""),
            f => self.ids(f).len().to_string(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Report {
    /// `YYYY-MM`
    pub month: String,
    pub total: Figures,
    pub by_category: Vec<(String, Figures)>,
    pub by_channel: Vec<(String, Figures)>,
    pub by_department: Vec<(Option<i64>, Figures)>,
    pub by_handler: Vec<(Option<i64>, Figures)>,
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    Some(if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 })
}

/// Figures for a set of cases (duplicates merged into others are counted only as such).
pub fn figures(rows: &[&CaseRow], now: i64, s: &Settings) -> Figures {
    let mut f = Figures { callback_target: s.int(settings::CALLBACK_COMPLAINT_RATE), ..Figures::default() };
    let major_secs = s.int(settings::COMPLAINT_MAJOR_HOURS) * 3600;
    let mut days = Vec::new();
    let mut sat = Vec::new();
    let mut callable = 0usize;
    for r in rows {
        if r.duplicate_of.is_some() {
            f.duplicates.push(r.id);
            continue;
        }
        f.received.push(r.id);
        let finished = matches!(r.step.as_str(), "closed" | "rejected");
        if r.step == "rejected" {
            f.rejected.push(r.id);
        }
        if r.step == "closed" {
            f.closed.push(r.id);
            if !r.no_callback {
                callable += 1;
            }
            if r.called_back {
                f.called_back.push(r.id);
            }
        }
        if let (true, Some(at)) = (r.step == "closed", r.finished_at) {
            // rule C10: resolved within the case's deadline
            if r.case_due_at.is_some_and(|due| at <= due) {
                f.on_time.push(r.id);
            }
            days.push((at - r.received_at) as f64 / 86_400.0);
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
        if let Some(x) = r.satisfaction {
            sat.push(x as f64);
        }
    }
    f.median_days = median(days);
    // rule F1: the share of resolved complaints called back, against its target
    f.callback_rate = (callable > 0).then(|| 100.0 * f.called_back.len() as f64 / callable as f64);
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
    }
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

    const DAY: i64 = 86_400;

    fn row(id: i64, step: &str, finished_after_days: Option<i64>) -> CaseRow {
        CaseRow {
            id,
            received_at: 0,
            category: "repair".into(),
            channel: "phone".into(),
            step: step.into(),
            finished_at: finished_after_days.map(|d| d * DAY),
            case_due_at: Some(7 * DAY),
            ..CaseRow::default()
        }
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
        assert_eq!(t.show("callback_rate"), "50.0% / 50%");
        assert_eq!(r.by_category.len(), 1);
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

#[cfg(test)]
mod month_tests {
    use super::*;

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
        let dec3 = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let (month, due) = pending(dec3, false, &s).unwrap();
        assert_eq!(format_month(month), "2026-11");
        assert_eq!(due, chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        assert!(pending(dec3, true, &s).is_none());
    }
}
