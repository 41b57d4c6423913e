//! Deadlines as a register declares them: each is a due time kept in a field, counted from
//! a start by calendar time or by working days (rules C7, C10, C11, C18; a repair's
//! appointment next), and running while the record is in a state that owes it. A clock
//! shows the running deadline that falls first, and says which one it is.

use super::register::{RegisterDef, from_local, to_local};
use super::{Settings, Value};

/// How long a deadline runs, by the setting that holds the number (every number a rule
/// gives is a setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Minutes(&'static str),
    Hours(&'static str),
    /// Calendar days, weekends and holidays included.
    Days(&'static str),
    /// Working days on the office's calendar (weekends and holidays in settings), ending
    /// at the same time of day.
    WorkingDays(&'static str),
}

impl Span {
    /// The due time `self` after `from` (UTC seconds), for an office `offset` seconds east
    /// of UTC.
    pub fn after(self, from: i64, s: &Settings, offset: i32) -> i64 {
        match self {
            Span::Minutes(k) => from + s.int(k) * 60,
            Span::Hours(k) => from + s.int(k) * 3600,
            Span::Days(k) => from + s.int(k) * 86_400,
            Span::WorkingDays(k) => {
                let local = to_local(from, offset);
                let days = u32::try_from(s.int(k).max(0)).unwrap_or(0);
                let day = s.calendar().add_working_days(local.date(), days);
                from_local(day.and_time(local.time()), offset)
            }
        }
    }
}

/// One deadline a record may owe.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    /// Its name on screen: `deadline.<register>.<key>`.
    pub key: &'static str,
    /// The field holding its due time.
    pub due: &'static str,
    /// Whether the record owes it in this state (an unreported major case's 24 hours);
    /// a finished record owes none.
    pub runs: fn(&[Value]) -> bool,
}

impl Deadline {
    /// A deadline that runs while the record is not finished.
    pub const fn new(key: &'static str, due: &'static str) -> Deadline {
        Deadline { key, due, runs: always }
    }

    pub const fn runs(mut self, runs: fn(&[Value]) -> bool) -> Deadline {
        self.runs = runs;
        self
    }

    /// The i18n key of its name.
    pub fn label_key(&self, def: &RegisterDef) -> String {
        format!("deadline.{}.{}", def.name, self.key)
    }
}

fn always(_: &[Value]) -> bool {
    true
}

/// The running deadline that falls first, with its due time: what a record's clock
/// counts down to (rule C10: the case's own days stay in view beside a step's later
/// target, since the earlier of the two is shown).
pub fn first(def: &RegisterDef, values: &[Value]) -> Option<(&'static Deadline, i64)> {
    if let Some(wf) = def.workflow
        && wf.is_done(wf.current(def, values))
    {
        return None;
    }
    def.deadlines
        .iter()
        .filter(|d| (d.runs)(values))
        .filter_map(|d| def.value(values, d.due).as_i64().map(|t| (d, t)))
        .min_by_key(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings;
    use chrono::NaiveDate;

    const CHINA: i32 = 8 * 3600;

    fn at(y: i32, m: u32, d: u32, h: u32, mi: u32) -> i64 {
        from_local(NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, mi, 0).unwrap(), CHINA)
    }

    #[test]
    fn rule_c7_c10_c11_spans_count_calendar_time_or_working_days_as_the_rule_says() {
        let s = Settings::default();
        // Friday 2026-11-27 16:00 in the office
        let fri = at(2026, 11, 27, 16, 0);
        assert_eq!(Span::Hours(settings::COMPLAINT_MAJOR_HOURS).after(fri, &s, CHINA), at(2026, 11, 28, 16, 0));
        assert_eq!(Span::Days(settings::COMPLAINT_CLOSE_DAYS).after(fri, &s, CHINA), at(2026, 12, 4, 16, 0));
        // rule C7: 1 working day after a Friday afternoon is Monday afternoon
        assert_eq!(Span::WorkingDays(settings::COMPLAINT_PROPOSE_DAYS).after(fri, &s, CHINA), at(2026, 11, 30, 16, 0));
        // a holiday on the Monday moves it to Tuesday
        let mut m = std::collections::BTreeMap::new();
        m.insert(settings::HOLIDAYS.to_string(), "2026-11-30".to_string());
        let s = Settings::from_stored(m);
        assert_eq!(Span::WorkingDays(settings::COMPLAINT_PROPOSE_DAYS).after(fri, &s, CHINA), at(2026, 12, 1, 16, 0));
    }

    #[test]
    fn rule_c10_c11_the_clock_names_the_first_deadline_a_case_owes() {
        use crate::domain::complaint::REGISTER as C;
        let mut v = vec![Value::Null; C.fields.len()];
        C.set(&mut v, "step", Value::Text("investigate".into()));
        C.set(&mut v, "case_due_at", Value::Time(700));
        C.set(&mut v, "step_due_at", Value::Time(900));
        assert_eq!(
            first(&C, &v).map(|(d, t)| (d.key, t)),
            Some(("case", 700)),
            "the case's 7 days beside a later target"
        );
        C.set(&mut v, "step_due_at", Value::Time(500));
        assert_eq!(first(&C, &v).map(|(d, t)| (d.key, t)), Some(("step", 500)));
        // an unreported major case's 24 hours, until it is reported
        C.set(&mut v, "major", Value::Text("media".into()));
        C.set(&mut v, "major_due_at", Value::Time(300));
        assert_eq!(first(&C, &v).map(|(d, _)| d.key), Some("major"));
        C.set(&mut v, "reported_at", Value::Time(250));
        C.set(&mut v, "reported_to", Value::Text("总经理".into()));
        assert_eq!(first(&C, &v).map(|(d, _)| d.key), Some("step"));
        // a finished case owes nothing
        C.set(&mut v, "step", Value::Text("closed".into()));
        assert!(first(&C, &v).is_none());
        // every deadline has its name in both languages
        for def in crate::domain::REGISTERS {
            for d in def.deadlines {
                assert!(def.index(d.due).is_some(), "{}: {}", def.name, d.due);
                assert!(!d.label_key(def).is_empty());
            }
        }
    }
}
