//! The complaint register's monthly report (rules C10, C11, C13, C15, C16, F1, F5, F6):
//! the month's cases with what their callbacks recorded, the figures made from them and
//! what each counts, and the groupings. The engine in `stats` computes, freezes, draws
//! and prints it like any other register's report.

use super::settings;
use super::stats::{Env, FigureDef, GroupBy, GroupDef, Kind, ReportDef, Row};

const DAY: i64 = 86_400;

/// Rule F6: every raised issue gets an answer.
pub const ISSUE_TARGET: i64 = 100;

/// Rule C10: every case is answered within its days.
pub const ON_TIME_TARGET: i64 = 100;

/// Rule C13: the month's complaint statistics, by category, channel, department and
/// handler; due by the setting's day of the next month.
pub static MONTHLY: ReportDef = ReportDef {
    key: "complaints",
    register: "complaint",
    time: "received_at",
    rows: include_str!("../../assets/reports/complaint_month.sql"),
    columns: &[
        "received_at",
        "category",
        "channel",
        "department_id",
        "handler_id",
        "step",
        // when it was finished: closed, or rejected at the decision
        "finished_at",
        "case_due_at",
        "major_at",
        "reported_at",
        // rule C15: merged into another case; counted there, not here
        "duplicate_of",
        // rule C16: gets no callback
        "no_callback",
        // rule F1: a callback was made, and when the first was
        "called_back",
        "called_at",
        // rule F5: every callback made on it has been reviewed
        "reviewed",
        // rule F6: new issues raised on its callbacks, and how many were followed up
        "issues",
        "issues_followed",
        // satisfaction 1-5 given on its first callback
        "satisfaction",
        "voided",
    ],
    figures: FIGURES,
    groups: &[
        GroupDef { key: "category", by: GroupBy::Choice { column: "category", list: "complaint_category" } },
        GroupDef { key: "channel", by: GroupBy::Choice { column: "channel", list: "complaint_channel" } },
        GroupDef { key: "department", by: GroupBy::Department("department_id") },
        GroupDef { key: "handler", by: GroupBy::Operator("handler_id") },
    ],
    params: &[
        ("callback_target", settings::CALLBACK_COMPLAINT_RATE),
        ("callback_days", settings::CALLBACK_COMPLAINT_DAYS),
    ],
    constants: &[("issue_target", ISSUE_TARGET), ("on_time_target", ON_TIME_TARGET)],
    text: "stats",
    label_args: &[("target", "callback_target"), ("days", "callback_days")],
    about_args: &[("hours", settings::COMPLAINT_MAJOR_HOURS), ("close", settings::COMPLAINT_CLOSE_DAYS)],
    due_day: settings::REPORT_DUE_DAY,
};

/// The figures, in the order the report shows them.
const FIGURES: &[FigureDef] = &[
    FigureDef::new("received", Kind::Cases(|_, _| true)),
    FigureDef::new("rejected", Kind::Cases(|r, _| rejected(r))),
    FigureDef::new("closed", Kind::Cases(|r, _| closed(r))),
    // rule C10: resolved within the case's deadline
    FigureDef::new(
        "on_time",
        Kind::Cases(|r, _| {
            closed(r) && r.int("finished_at").is_some_and(|at| r.int("case_due_at").is_some_and(|due| at <= due))
        }),
    ),
    // rule C10: the share of the resolved cases resolved on time
    FigureDef::new("on_time_rate", Kind::Share { part: "on_time", of: resolved, target: "on_time_target" }),
    FigureDef::new("median_days", Kind::Median(days_to_close)),
    FigureDef::new(
        "overdue",
        Kind::Cases(|r, e| !closed(r) && !rejected(r) && r.int("case_due_at").is_some_and(|due| e.now > due)),
    ),
    // received in the month and not yet answered when it ended
    FigureDef::new("open_at_end", Kind::Cases(open_at_end)),
    FigureDef::new("major", Kind::Cases(|r, _| r.int("major_at").is_some())),
    // rule C11: reported upward within the hours
    FigureDef::new("major_in_time", Kind::Cases(major_in_time)),
    FigureDef::new("called_back", Kind::Cases(called_back)),
    // rule F1: the share of resolved complaints called back, against its target
    FigureDef::new("callback_rate", Kind::Share { part: "called_back", of: callable, target: "callback_target" }),
    FigureDef::new("callback_in_time", Kind::Cases(callback_in_time)),
    FigureDef::new(
        "callback_in_time_rate",
        Kind::Share { part: "callback_in_time", of: callable, target: "callback_target" },
    ),
    // rule F5: the supervisor reviewed what was recorded
    FigureDef::new("reviewed", Kind::Cases(|r, _| made(r) && r.flag("reviewed"))),
    // rule F6: every issue raised on a callback is followed up
    FigureDef::new("issues", Kind::Cases(|r, _| raised(r))),
    FigureDef::new("issues_followed", Kind::Cases(|r, _| raised(r) && r.int("issues_followed") >= r.int("issues"))),
    FigureDef::new("issue_rate", Kind::Share { part: "issues_followed", of: has_issues, target: "issue_target" }),
    FigureDef::new("satisfaction", Kind::Mean(|r, _| r.int("satisfaction").map(|x| x as f64))),
    FigureDef::new("rejected_late", Kind::Cases(rejected_late)),
    // rule C15: merged into another case, counted there; a voided one is only voided
    FigureDef::new("duplicates", Kind::Cases(|r, _| !r.flag("voided") && r.int("duplicate_of").is_some())).apart(),
    FigureDef::new("voided", Kind::Cases(|r, _| r.flag("voided"))).apart(),
];

fn closed(r: &Row) -> bool {
    r.text("step") == "closed"
}

fn rejected(r: &Row) -> bool {
    r.text("step") == "rejected"
}

fn resolved(r: &Row, _: &Env) -> bool {
    closed(r)
}

/// Not closed or answered as unfounded before the month's end (a merged duplicate is
/// counted in its case).
fn open_at_end(r: &Row, e: &Env) -> bool {
    r.int("duplicate_of").is_none() && r.int("finished_at").is_none_or(|at| at >= e.end)
}

fn days_to_close(r: &Row, _: &Env) -> Option<f64> {
    let at = r.int("finished_at").filter(|_| closed(r))?;
    Some((at - r.int("received_at").unwrap_or(at)) as f64 / DAY as f64)
}

fn major_in_time(r: &Row, e: &Env) -> bool {
    let secs = e.settings.int(settings::COMPLAINT_MAJOR_HOURS) * 3600;
    r.int("major_at").is_some_and(|m| r.int("reported_at").is_some_and(|rep| rep <= m + secs))
}

/// Rule F1: resolved, and a callback made, however late.
fn made(r: &Row) -> bool {
    closed(r) && r.flag("called_back")
}

fn called_back(r: &Row, _: &Env) -> bool {
    made(r)
}

/// Rule C16: a resolved case that gets a callback.
fn callable(r: &Row, _: &Env) -> bool {
    closed(r) && !r.flag("no_callback")
}

/// Rule F1: called back within the days of the case's closing; a later call counts as a
/// callback, but not as one in time.
fn callback_in_time(r: &Row, e: &Env) -> bool {
    let days = e.settings.int(settings::CALLBACK_COMPLAINT_DAYS);
    made(r)
        && matches!((r.int("called_at"), r.int("finished_at")), (Some(call), Some(closed)) if call - closed <= days * DAY)
}

/// Rule F6: a callback raised a new issue.
fn raised(r: &Row) -> bool {
    r.int("issues").is_some_and(|n| n > 0)
}

fn has_issues(r: &Row, _: &Env) -> bool {
    raised(r)
}

/// Rules C4 and C10: a rejection is an answer too, and it is due in the same days (from
/// receipt by the setting when the case has no deadline stored).
fn rejected_late(r: &Row, e: &Env) -> bool {
    let close = e.settings.int(settings::COMPLAINT_CLOSE_DAYS) * DAY;
    let due = r.int("case_due_at").unwrap_or(r.int("received_at").unwrap_or(0) + close);
    rejected(r) && r.int("finished_at").is_some_and(|at| at > due)
}

#[cfg(test)]
mod tests {
    use super::super::Settings;
    use super::super::stats::{Cell, GroupKey, Report, changed, due_date, pending, pending_months, report};
    use super::*;

    fn int(r: &mut Row, column: &'static str, v: i64) {
        r.set(column, Cell::Int(v));
    }

    fn row(id: i64, step: &str, finished_after_days: Option<i64>) -> Row {
        let mut r = Row::new(id, format!("C-2026-{id:06}"));
        int(&mut r, "received_at", 0);
        r.set("category", Cell::Text("repair".into()));
        r.set("channel", Cell::Text("phone".into()));
        r.set("step", Cell::Text(step.into()));
        if let Some(d) = finished_after_days {
            int(&mut r, "finished_at", d * DAY);
        }
        int(&mut r, "case_due_at", 7 * DAY);
        r
    }

    /// A closed case called back `after` days after it was closed.
    fn called(id: i64, after: i64) -> Row {
        let mut r = row(id, "closed", Some(2));
        int(&mut r, "called_back", 1);
        int(&mut r, "called_at", 2 * DAY + after * DAY);
        r
    }

    fn month(rows: &[Row], now: i64, s: &Settings) -> Report {
        report(&MONTHLY, "2026-11", i64::MAX, rows, now, s)
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
        int(&mut rows[0], "called_back", 1);
        int(&mut rows[0], "satisfaction", 4);
        int(&mut rows[1], "satisfaction", 2);
        int(&mut rows[3], "major_at", DAY);
        int(&mut rows[3], "reported_at", DAY + 3600);
        int(&mut rows[4], "duplicate_of", 1);
        let r = month(&rows, 8 * DAY, &s);
        let t = &r.total;
        assert_eq!(t.ids("received"), [1, 2, 3, 4], "a merged duplicate counts once, in its case");
        assert_eq!(t.ids("duplicates"), [5]);
        assert_eq!(t.ids("rejected"), [3]);
        assert_eq!(t.ids("closed"), [1, 2]);
        assert_eq!(t.ids("on_time"), [1], "rule C10: resolved within 7 days");
        assert_eq!(t.number("on_time_rate"), Some(50.0), "rule C10: 1 of the 2 resolved on time");
        assert_eq!(MONTHLY.target(t, "on_time_rate"), Some(100), "every case within its days");
        assert_eq!(t.ids("open_at_end"), [4], "the month has not ended: open now; the duplicate counts in its case");
        assert_eq!(t.number("median_days"), Some(6.0), "3 and 9 days to resolve");
        assert_eq!(t.ids("overdue"), [4]);
        assert_eq!(t.ids("major"), [4]);
        assert_eq!(t.ids("major_in_time"), [4], "rule C11: reported within 24 hours");
        assert_eq!(t.number("callback_rate"), Some(50.0), "rule F1: 1 of 2 resolved");
        assert_eq!(t.number("satisfaction"), Some(3.0));
        assert_eq!(MONTHLY.show(t, "callback_rate"), "50.0%");
        assert_eq!(MONTHLY.target(t, "callback_rate"), Some(50));
        assert_eq!(r.group("category").len(), 1);
        assert_eq!(r.number(4), "C-2026-000004");
    }

    #[test]
    fn rule_c13_open_at_the_months_end_counts_what_was_answered_after_it() {
        // the month ends on day 30: case 1 closed on day 3, 2 on day 40, 3 rejected on
        // day 31, 4 still open
        let rows = vec![
            row(1, "closed", Some(3)),
            row(2, "closed", Some(40)),
            row(3, "rejected", Some(31)),
            row(4, "investigate", None),
        ];
        let r = report(&MONTHLY, "2026-11", 30 * DAY, &rows, 50 * DAY, &Settings::default());
        assert_eq!(r.total.ids("open_at_end"), [2, 3, 4]);
        assert_eq!(r.total.ids("overdue"), [4], "overdue counts what is open now");
    }

    #[test]
    fn rule_c13_groups_split_the_total() {
        let s = Settings::default();
        let mut rows = vec![row(1, "closed", Some(2)), row(2, "closed", Some(2)), row(3, "decide", None)];
        rows[1].set("channel", Cell::Text("walk_in".into()));
        int(&mut rows[2], "handler_id", 7);
        let r = month(&rows, DAY, &s);
        assert_eq!(
            r.group("channel").iter().map(|(k, f)| (k.clone(), f.ids("received").len())).collect::<Vec<_>>(),
            [(GroupKey::Text("phone".into()), 2), (GroupKey::Text("walk_in".into()), 1)]
        );
        assert_eq!(
            r.group("handler").iter().map(|(k, f)| (k.clone(), f.ids("received").len())).collect::<Vec<_>>(),
            [(GroupKey::Id(None), 2), (GroupKey::Id(Some(7)), 1)]
        );
    }

    #[test]
    fn rule_c13_due_by_the_tenth_of_the_next_month() {
        let s = Settings::default();
        let nov = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(due_date(&MONTHLY, nov, &s), chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        let dec = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(due_date(&MONTHLY, dec, &s), chrono::NaiveDate::from_ymd_opt(2027, 1, 10).unwrap());
    }

    #[test]
    fn an_empty_month_has_no_rates() {
        let r = month(&[], 0, &Settings::default());
        assert_eq!(r.total.number("median_days"), None);
        assert_eq!(MONTHLY.show(&r.total, "median_days"), "—");
        assert_eq!(MONTHLY.show(&r.total, "received"), "0");
        assert_eq!(MONTHLY.show(&r.total, "issue_rate"), "—");
    }

    #[test]
    fn rule_f1_callbacks_within_three_days_count_apart_from_late_ones() {
        let s = Settings::default();
        // closed on day 2; called back after 1 day, exactly 3 days, 4 days; one not called
        let rows = vec![called(1, 1), called(2, 3), called(3, 4), row(4, "closed", Some(2))];
        let t = month(&rows, 30 * DAY, &s).total;
        assert_eq!(t.ids("called_back"), [1, 2, 3], "a late callback is still a callback");
        assert_eq!(t.ids("callback_in_time"), [1, 2], "day 4 is past the 3 days");
        assert_eq!(t.number("callback_rate"), Some(75.0));
        assert_eq!(t.number("callback_in_time_rate"), Some(50.0), "2 of the 4 resolved, against the 50% target");
        assert_eq!(MONTHLY.show(&t, "callback_in_time_rate"), "50.0%");
        assert_eq!(MONTHLY.target(&t, "callback_in_time_rate"), Some(50));
        assert_eq!(MONTHLY.param(&t, "callback_days"), 3);
        // the window is a setting
        let s5 = Settings::from_stored([(settings::CALLBACK_COMPLAINT_DAYS.to_string(), "5".to_string())].into());
        assert_eq!(month(&rows, 30 * DAY, &s5).total.ids("callback_in_time"), [1, 2, 3]);
    }

    #[test]
    fn rule_f1_a_case_without_a_callback_by_rule_c16_is_not_in_the_rate() {
        let mut rows = vec![called(1, 1), row(2, "closed", Some(2))];
        int(&mut rows[1], "no_callback", 1);
        let t = month(&rows, 30 * DAY, &Settings::default()).total;
        assert_eq!(t.number("callback_in_time_rate"), Some(100.0));
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
        rows[3].set("case_due_at", Cell::Null);
        let t = month(&rows, 30 * DAY, &s).total;
        assert_eq!(t.ids("rejected"), [1, 2, 3, 4]);
        assert_eq!(t.ids("rejected_late"), [3, 4]);
        assert!(t.ids("on_time").is_empty() && t.ids("closed").is_empty(), "a rejection is not a resolution");
    }

    #[test]
    fn rule_f6_issues_raised_on_callbacks_are_followed_up_or_not() {
        let s = Settings::default();
        let mut rows = vec![called(1, 1), called(2, 1), called(3, 1), called(4, 1)];
        int(&mut rows[0], "issues", 1);
        int(&mut rows[0], "issues_followed", 1);
        int(&mut rows[1], "issues", 2);
        int(&mut rows[1], "issues_followed", 1); // one of its two issues still waits
        int(&mut rows[2], "issues", 1);
        int(&mut rows[2], "issues_followed", 0);
        let t = month(&rows, 30 * DAY, &s).total;
        assert_eq!(t.ids("issues"), [1, 2, 3]);
        assert_eq!(t.ids("issues_followed"), [1]);
        assert_eq!(MONTHLY.show(&t, "issue_rate"), "33.3%");
        assert_eq!(MONTHLY.target(&t, "issue_rate"), Some(100), "every matter gets an answer");
    }

    #[test]
    fn rule_f5_reviewed_callbacks_are_counted_of_those_made() {
        let mut rows = vec![called(1, 1), called(2, 1), row(3, "closed", Some(2))];
        int(&mut rows[0], "reviewed", 1);
        int(&mut rows[2], "reviewed", 1); // no callback made: nothing to review
        let t = month(&rows, 30 * DAY, &Settings::default()).total;
        assert_eq!(t.ids("called_back"), [1, 2]);
        assert_eq!(t.ids("reviewed"), [1]);
    }

    #[test]
    fn rule_c13_a_voided_complaint_is_a_figure_of_its_own() {
        let mut rows = vec![row(1, "closed", Some(2)), row(2, "closed", Some(2)), row(3, "rejected", Some(9))];
        int(&mut rows[1], "voided", 1);
        int(&mut rows[1], "major_at", 0);
        int(&mut rows[2], "voided", 1);
        int(&mut rows[2], "duplicate_of", 1);
        let r = month(&rows, 30 * DAY, &Settings::default());
        let t = &r.total;
        assert_eq!(t.ids("voided"), [2, 3]);
        assert_eq!(t.ids("received"), [1]);
        assert_eq!(t.ids("closed"), [1]);
        assert!(t.ids("major").is_empty() && t.ids("duplicates").is_empty() && t.ids("rejected_late").is_empty());
        assert_eq!(r.group("category")[0].1.ids("voided"), [2, 3]);
    }

    #[test]
    fn rule_c13_the_figures_changed_since_submission_are_named() {
        let s = Settings::default();
        let mut rows = vec![row(1, "closed", Some(3)), row(2, "investigate", None)];
        let frozen = month(&rows, 30 * DAY, &s).total;
        assert!(changed(&MONTHLY, &frozen, &frozen).is_empty());
        rows[1].set("step", Cell::Text("closed".into()));
        int(&mut rows[1], "finished_at", 5 * DAY);
        rows.push(row(3, "decide", None));
        let now = month(&rows, 30 * DAY, &s).total;
        assert_eq!(changed(&MONTHLY, &frozen, &now), ["received", "closed", "on_time", "median_days"]);
    }

    #[test]
    fn rule_c13_a_frozen_report_reads_back_as_it_was() {
        let rows = vec![called(1, 4), row(2, "rejected", Some(9))];
        let r = month(&rows, 30 * DAY, &Settings::default());
        let json = serde_json::to_string(&r).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        // a copy frozen before some figures existed reads with those empty
        let old: Report = serde_json::from_str(r#"{"month":"2026-10","total":{"received":[1,2]}}"#).unwrap();
        assert_eq!(old.total.ids("received"), [1, 2]);
        assert!(old.total.ids("voided").is_empty());
        assert_eq!(MONTHLY.show(&old.total, "median_days"), "—");
    }

    #[test]
    fn the_query_returns_the_columns_the_figures_read() {
        // every column a figure or grouping reads is declared, so the store can check
        // the query's columns against the declaration
        for g in MONTHLY.groups {
            assert!(MONTHLY.columns.contains(&g.by.column()), "{}", g.key);
        }
        for c in MONTHLY.columns {
            assert!(MONTHLY.rows.contains(&format!("AS {c}")), "the query names {c}");
        }
    }

    /// A month's figures as the previous version froze them (migration 0003's column),
    /// byte for byte: they read back as the same figures this version makes.
    const FROZEN_BEFORE: &str = r#"{"month":"2026-11","total":{"received":[1,2,3,4],"rejected":[3],"closed":[1,2],"on_time":[1],"median_days":6.0,"overdue":[4],"major":[4],"major_in_time":[4],"called_back":[1],"callback_rate":50.0,"callback_target":50,"callback_in_time":[1],"callback_in_time_rate":50.0,"callback_days":3,"reviewed":[1],"issues":[1],"issues_followed":[1],"issue_rate":100.0,"satisfaction":4.0,"rejected_late":[3],"duplicates":[5],"voided":[]},"by_category":[["repair",{"received":[1,2,3,4],"rejected":[3],"closed":[1,2],"on_time":[1],"median_days":6.0,"overdue":[4],"major":[4],"major_in_time":[4],"called_back":[1],"callback_rate":50.0,"callback_target":50,"callback_in_time":[1],"callback_in_time_rate":50.0,"callback_days":3,"reviewed":[1],"issues":[1],"issues_followed":[1],"issue_rate":100.0,"satisfaction":4.0,"rejected_late":[3],"duplicates":[5],"voided":[]}]],"by_channel":[["phone",{"received":[1,3,4],"rejected":[3],"closed":[1],"on_time":[1],"median_days":3.0,"overdue":[4],"major":[4],"major_in_time":[4],"called_back":[1],"callback_rate":100.0,"callback_target":50,"callback_in_time":[1],"callback_in_time_rate":100.0,"callback_days":3,"reviewed":[1],"issues":[1],"issues_followed":[1],"issue_rate":100.0,"satisfaction":4.0,"rejected_late":[3],"duplicates":[5],"voided":[]}],["walk_in",{"received":[2],"rejected":[],"closed":[2],"on_time":[],"median_days":9.0,"overdue":[],"major":[],"major_in_time":[],"called_back":[],"callback_rate":0.0,"callback_target":50,"callback_in_time":[],"callback_in_time_rate":0.0,"callback_days":3,"reviewed":[],"issues":[],"issues_followed":[],"issue_rate":null,"satisfaction":null,"rejected_late":[],"duplicates":[],"voided":[]}]],"by_department":[[null,{"received":[2,3,4],"rejected":[3],"closed":[2],"on_time":[],"median_days":9.0,"overdue":[4],"major":[4],"major_in_time":[4],"called_back":[],"callback_rate":0.0,"callback_target":50,"callback_in_time":[],"callback_in_time_rate":0.0,"callback_days":3,"reviewed":[],"issues":[],"issues_followed":[],"issue_rate":null,"satisfaction":null,"rejected_late":[3],"duplicates":[5],"voided":[]}],[2,{"received":[1],"rejected":[],"closed":[1],"on_time":[1],"median_days":3.0,"overdue":[],"major":[],"major_in_time":[],"called_back":[1],"callback_rate":100.0,"callback_target":50,"callback_in_time":[1],"callback_in_time_rate":100.0,"callback_days":3,"reviewed":[1],"issues":[1],"issues_followed":[1],"issue_rate":100.0,"satisfaction":4.0,"rejected_late":[],"duplicates":[],"voided":[]}]],"by_handler":[[null,{"received":[2,3,4],"rejected":[3],"closed":[2],"on_time":[],"median_days":9.0,"overdue":[4],"major":[4],"major_in_time":[4],"called_back":[],"callback_rate":0.0,"callback_target":50,"callback_in_time":[],"callback_in_time_rate":0.0,"callback_days":3,"reviewed":[],"issues":[],"issues_followed":[],"issue_rate":null,"satisfaction":null,"rejected_late":[3],"duplicates":[5],"voided":[]}],[7,{"received":[1],"rejected":[],"closed":[1],"on_time":[1],"median_days":3.0,"overdue":[],"major":[],"major_in_time":[],"called_back":[1],"callback_rate":100.0,"callback_target":50,"callback_in_time":[1],"callback_in_time_rate":100.0,"callback_days":3,"reviewed":[1],"issues":[1],"issues_followed":[1],"issue_rate":100.0,"satisfaction":4.0,"rejected_late":[],"duplicates":[],"voided":[]}]],"numbers":{"1":"C-2026-000001","2":"C-2026-000002","3":"C-2026-000003","4":"C-2026-000004","5":"C-2026-000005"}}"#;

    #[test]
    fn rule_c13_figures_frozen_by_the_previous_version_read_as_made_now() {
        let mut rows = vec![
            row(1, "closed", Some(3)),
            row(2, "closed", Some(9)),
            row(3, "rejected", Some(10)),
            row(4, "investigate", None),
            row(5, "decide", None),
        ];
        for (k, v) in [
            ("called_back", 1),
            ("called_at", 4 * DAY),
            ("satisfaction", 4),
            ("reviewed", 1),
            ("issues", 1),
            ("issues_followed", 1),
            ("department_id", 2),
            ("handler_id", 7),
        ] {
            int(&mut rows[0], k, v);
        }
        rows[1].set("channel", Cell::Text("walk_in".into()));
        int(&mut rows[3], "major_at", DAY);
        int(&mut rows[3], "reported_at", DAY + 3600);
        int(&mut rows[4], "duplicate_of", 1);
        let now = month(&rows, 8 * DAY, &Settings::default());
        let frozen: Report = serde_json::from_str(FROZEN_BEFORE).unwrap();
        // every figure it kept reads as made now; those declared since were not kept
        for f in MONTHLY.figures.iter().map(|f| f.key) {
            if frozen.total.0.contains_key(f) {
                assert_eq!(MONTHLY.show(&frozen.total, f), MONTHLY.show(&now.total, f), "{f}");
            } else {
                assert!(["on_time_rate", "open_at_end"].contains(&f), "{f} was in the previous version");
            }
        }
        assert!(changed(&MONTHLY, &frozen.total, &now.total).is_empty(), "a figure declared since is no change");
        assert_eq!(frozen.group("handler")[1].0, GroupKey::Id(Some(7)));
        assert_eq!(MONTHLY.param(&frozen.total, "callback_target"), 50);
    }

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn rule_c13_last_months_report_is_pending_until_submitted() {
        let s = Settings::default();
        let dec3 = day(2026, 12, 3);
        let (month, due) = pending(&MONTHLY, dec3, false, &s).unwrap();
        assert_eq!(super::super::stats::format_month(month), "2026-11");
        assert_eq!(due, day(2026, 12, 10));
        assert!(pending(&MONTHLY, dec3, true, &s).is_none());
    }

    #[test]
    fn rule_c13_every_ended_month_not_submitted_is_pending() {
        let s = Settings::default();
        let dec3 = day(2026, 12, 3);
        let p = |first, submitted: &[chrono::NaiveDate]| pending_months(&MONTHLY, dec3, first, submitted, &s);
        // complaints since August; August and September submitted
        let got = p(Some(day(2026, 8, 14)), &[day(2026, 8, 1), day(2026, 9, 1)]);
        assert_eq!(got, [(day(2026, 10, 1), day(2026, 11, 10)), (day(2026, 11, 1), day(2026, 12, 10))]);
        // nothing before the first complaint; this month has not ended
        assert_eq!(p(Some(day(2026, 11, 30)), &[]).len(), 1);
        assert_eq!(p(Some(day(2026, 12, 2)), &[]), [(day(2026, 11, 1), day(2026, 12, 10))]);
        // no complaints at all: last month, as before
        assert_eq!(p(None, &[]), [(day(2026, 11, 1), day(2026, 12, 10))]);
        assert!(p(None, &[day(2026, 11, 1)]).is_empty());
        // at most the last 12 months
        let years = p(Some(day(2020, 1, 1)), &[]);
        assert_eq!(years.len(), 12);
        assert_eq!(years[0].0, day(2025, 12, 1));
    }
}
