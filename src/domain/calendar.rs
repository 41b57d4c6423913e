//! The working-day calendar: a weekly weekend pattern plus dated exceptions
//! (public holidays, and the make-up working days Chinese offices have).

use std::collections::BTreeSet;
use std::ops::Bound::{Excluded, Included, Unbounded};

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Why a calendar setting was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// This item of a date list is not a `YYYY-MM-DD` date.
    BadDate(String),
    /// This item of a weekend list is not a weekday.
    BadWeekday(String),
    /// The weekend list covers all seven days.
    NoWorkingDays,
}

impl CalendarError {
    /// Stable i18n key for the UI.
    pub fn key(&self) -> &'static str {
        match self {
            CalendarError::BadDate(_) => "err.calendar.bad_date",
            CalendarError::BadWeekday(_) => "err.calendar.bad_weekday",
            CalendarError::NoWorkingDays => "err.calendar.no_working_days",
        }
    }

    /// The offending item, for the message.
    pub fn item(&self) -> &str {
        match self {
            CalendarError::BadDate(s) | CalendarError::BadWeekday(s) => s,
            CalendarError::NoWorkingDays => "",
        }
    }
}

/// Which days are working days.
///
/// Precedence: a holiday is never a working day; otherwise an extra workday
/// always is; otherwise the weekend pattern decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    pub weekend: Vec<Weekday>,
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days declared working days (make-up days).
    pub extra_workdays: BTreeSet<NaiveDate>,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        WorkCalendar {
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: BTreeSet::new(),
            extra_workdays: BTreeSet::new(),
        }
    }
}

const WEEK: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

impl WorkCalendar {
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.holidays.contains(&d) {
            false
        } else if self.extra_workdays.contains(&d) {
            true
        } else {
            !self.is_weekend(d.weekday())
        }
    }

    /// The date `n` working days after `start` (`start` itself not counted;
    /// `n == 0` gives `start`).
    ///
    /// Saturates at `NaiveDate::MAX` when the answer is past chrono's range,
    /// or when no working day is left (all seven days are weekend and no
    /// make-up day remains).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let per_week = self.working_days_per_week();
        let mut remaining = i64::from(n);
        let mut day = start;
        while remaining > 0 {
            if per_week == 0 {
                // Only make-up days can still be working days.
                match self.extra_workdays.range((Excluded(day), Unbounded)).find(|d| !self.holidays.contains(d)) {
                    Some(&d) => {
                        day = d;
                        remaining -= 1;
                        continue;
                    }
                    None => return NaiveDate::MAX,
                }
            }
            // Jump whole weeks that hold no dated exception, so a large `n`
            // costs time per exception rather than per day. At least one
            // working day is left for the day-by-day step.
            let mut weeks = (remaining - 1) / per_week;
            if let Some(next) = self.next_exception_after(day) {
                weeks = weeks.min(((next - day).num_days() - 1) / 7);
            }
            if weeks > 0 {
                match day.checked_add_days(Days::new(weeks as u64 * 7)) {
                    Some(d) => day = d,
                    None => return NaiveDate::MAX,
                }
                remaining -= weeks * per_week;
                continue;
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => return NaiveDate::MAX,
            }
            if self.is_working_day(day) {
                remaining -= 1;
            }
        }
        day
    }

    /// Working days in `(from, to]`; negative (the count of `(to, from]`)
    /// when `to < from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        // Weekly pattern first, in whole weeks plus a remainder, so long
        // spans cost nothing; then correct for the dated exceptions.
        let total = (to - from).num_days();
        let mut count = total / 7 * self.working_days_per_week();
        let mut weekday = from.weekday();
        for _ in 0..total % 7 {
            weekday = weekday.succ();
            if !self.is_weekend(weekday) {
                count += 1;
            }
        }
        let span = (Excluded(from), Included(to));
        for d in self.holidays.range(span) {
            if !self.is_weekend(d.weekday()) {
                count -= 1;
            }
        }
        for d in self.extra_workdays.range(span) {
            if self.is_weekend(d.weekday()) && !self.holidays.contains(d) {
                count += 1;
            }
        }
        count
    }

    fn is_weekend(&self, w: Weekday) -> bool {
        self.weekend.contains(&w)
    }

    fn working_days_per_week(&self) -> i64 {
        WEEK.iter().filter(|w| !self.is_weekend(**w)).count() as i64
    }

    fn next_exception_after(&self, d: NaiveDate) -> Option<NaiveDate> {
        let after = (Excluded(d), Unbounded);
        let holiday = self.holidays.range(after).next();
        let extra = self.extra_workdays.range(after).next();
        holiday.into_iter().chain(extra).min().copied()
    }
}

/// Parses a settings list of `YYYY-MM-DD` dates separated by commas,
/// semicolons (ASCII or full-width) or whitespace.
pub fn parse_dates(list: &str) -> Result<BTreeSet<NaiveDate>, CalendarError> {
    list_items(list).map(|item| parse_iso_date(item).ok_or_else(|| CalendarError::BadDate(item.to_string()))).collect()
}

/// The inverse of [`parse_dates`]: `2026-10-01,2026-10-02`.
pub fn format_dates(dates: &BTreeSet<NaiveDate>) -> String {
    dates.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect::<Vec<_>>().join(",")
}

/// Parses a weekend list such as `sat,sun`, `Sat Sun`, `saturday` or ISO
/// numbers `6,7` (1 = Monday). The result is deduplicated and in Monday-first
/// order, so settings written back are stable. An empty list means no
/// weekend; all seven days is refused.
pub fn parse_weekend(list: &str) -> Result<Vec<Weekday>, CalendarError> {
    let mut chosen = [false; 7];
    for item in list_items(list) {
        let day = parse_weekday(item).ok_or_else(|| CalendarError::BadWeekday(item.to_string()))?;
        chosen[day.num_days_from_monday() as usize] = true;
    }
    if chosen.iter().all(|c| *c) {
        return Err(CalendarError::NoWorkingDays);
    }
    Ok(WEEK.into_iter().filter(|w| chosen[w.num_days_from_monday() as usize]).collect())
}

/// `sat,sun`: lower-case short names, Monday-first, no repeats.
pub fn format_weekend(days: &[Weekday]) -> String {
    WEEK.iter().filter(|w| days.contains(w)).map(|w| short_name(*w)).collect::<Vec<_>>().join(",")
}

fn list_items(list: &str) -> impl Iterator<Item = &str> {
    list.split(|c: char| matches!(c, ',' | ';' | '，' | '；' | '、') || c.is_whitespace())
        .filter(|item| !item.is_empty())
}

/// Strict `YYYY-MM-DD` (one-digit month/day allowed), so a typo in settings
/// is reported rather than read as some other date.
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits =
        |p: &str, len: std::ops::RangeInclusive<usize>| len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn parse_weekday(item: &str) -> Option<Weekday> {
    // 周六, 星期六, 礼拜六, 星期天 as Chinese offices write them
    let zh = ["周", "星期", "礼拜"].iter().find_map(|p| item.strip_prefix(p));
    if let Some(d) = zh {
        let n = ["一", "二", "三", "四", "五", "六", "日"].iter().position(|x| *x == d).or((d == "天").then_some(6))?;
        return WEEK.get(n).copied();
    }
    let day = match item.to_lowercase().as_str() {
        "1" | "mon" | "monday" => Weekday::Mon,
        "2" | "tue" | "tuesday" => Weekday::Tue,
        "3" | "wed" | "wednesday" => Weekday::Wed,
        "4" | "thu" | "thursday" => Weekday::Thu,
        "5" | "fri" | "friday" => Weekday::Fri,
        "6" | "sat" | "saturday" => Weekday::Sat,
        "7" | "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

/// The short name a weekday is stored by (`sat`), also the end of its i18n key.
pub fn short_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dates(list: &str) -> BTreeSet<NaiveDate> {
        parse_dates(list).unwrap()
    }

    /// Illustrative National Day week: Thu 1 – Wed 7 Oct 2026 off, with
    /// make-up working days on Sun 27 Sep and Sat 10 Oct.
    fn national_day() -> WorkCalendar {
        WorkCalendar {
            holidays: dates("2026-10-01,2026-10-02,2026-10-03,2026-10-04,2026-10-05,2026-10-06,2026-10-07"),
            extra_workdays: dates("2026-09-27 2026-10-10"),
            ..WorkCalendar::default()
        }
    }

    /// Day-by-day reference the fast paths are checked against.
    fn naive_add(cal: &WorkCalendar, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    fn naive_between(cal: &WorkCalendar, from: NaiveDate, to: NaiveDate) -> i64 {
        let (lo, hi, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let count = lo.iter_days().skip(1).take_while(|d| *d <= hi).filter(|d| cal.is_working_day(*d)).count() as i64;
        sign * count
    }

    #[test]
    fn default_weekend() {
        let cal = WorkCalendar::default();
        assert!(cal.is_working_day(date(2026, 11, 27))); // Fri
        assert!(!cal.is_working_day(date(2026, 11, 28))); // Sat
        assert!(!cal.is_working_day(date(2026, 11, 29))); // Sun
        assert!(cal.is_working_day(date(2026, 11, 30))); // Mon
    }

    #[test]
    fn precedence_holiday_over_extra_over_weekend() {
        let cal = national_day();
        assert!(!cal.is_working_day(date(2026, 10, 1))); // weekday holiday
        assert!(!cal.is_working_day(date(2026, 10, 3))); // weekend holiday
        assert!(cal.is_working_day(date(2026, 9, 27))); // make-up Sunday
        assert!(cal.is_working_day(date(2026, 10, 10))); // make-up Saturday
        let mut both = cal.clone();
        both.holidays.insert(date(2026, 10, 10));
        assert!(!both.is_working_day(date(2026, 10, 10)));
    }

    #[test]
    fn add_over_weekend() {
        let cal = WorkCalendar::default();
        let fri = date(2026, 11, 27);
        assert_eq!(cal.add_working_days(fri, 0), fri);
        assert_eq!(cal.add_working_days(fri, 1), date(2026, 11, 30));
        assert_eq!(cal.add_working_days(fri, 5), date(2026, 12, 4));
        // Starting on a weekend day: the next Monday is the first.
        assert_eq!(cal.add_working_days(date(2026, 11, 28), 1), date(2026, 11, 30));
        assert_eq!(cal.add_working_days(date(2026, 11, 28), 0), date(2026, 11, 28));
    }

    #[test]
    fn add_over_holidays_and_make_up_days() {
        let cal = national_day();
        // Wed 30 Sep + 1 skips the holiday week and the weekend after it.
        assert_eq!(cal.add_working_days(date(2026, 9, 30), 1), date(2026, 10, 8));
        assert_eq!(cal.add_working_days(date(2026, 9, 30), 2), date(2026, 10, 9));
        // …and the make-up Saturday counts.
        assert_eq!(cal.add_working_days(date(2026, 9, 30), 3), date(2026, 10, 10));
        assert_eq!(cal.add_working_days(date(2026, 9, 30), 4), date(2026, 10, 12));
        // Fri 25 Sep + 1 lands on the make-up Sunday.
        assert_eq!(cal.add_working_days(date(2026, 9, 25), 1), date(2026, 9, 27));
    }

    #[test]
    fn add_matches_day_by_day_reference() {
        let cal = national_day();
        let start = date(2026, 9, 1);
        for n in 0..300 {
            assert_eq!(cal.add_working_days(start, n), naive_add(&cal, start, n), "n={n}");
        }
        let mut odd = national_day();
        odd.weekend = vec![Weekday::Fri, Weekday::Sun, Weekday::Fri];
        odd.holidays.insert(date(2027, 2, 17));
        for n in [0, 1, 6, 7, 50, 99, 1000, 5000] {
            assert_eq!(odd.add_working_days(start, n), naive_add(&odd, start, n), "n={n}");
        }
    }

    #[test]
    fn add_long_span() {
        let cal = WorkCalendar::default();
        let mon = date(2026, 11, 30);
        // 260 working days = 52 whole weeks.
        assert_eq!(cal.add_working_days(mon, 260), date(2027, 11, 29));
        assert_eq!(cal.add_working_days(mon, 100_000), naive_add(&cal, mon, 100_000));
        // Past chrono's range: saturates instead of hanging or panicking.
        assert_eq!(cal.add_working_days(mon, u32::MAX), NaiveDate::MAX);
    }

    #[test]
    fn add_with_no_weekly_working_days() {
        let cal = WorkCalendar {
            weekend: WEEK.to_vec(),
            holidays: dates("2026-12-05"),
            extra_workdays: dates("2026-12-05 2026-12-12"),
        };
        let start = date(2026, 11, 27);
        assert_eq!(cal.add_working_days(start, 1), date(2026, 12, 12));
        assert_eq!(cal.add_working_days(start, 2), NaiveDate::MAX);
    }

    #[test]
    fn between_basic_and_negative() {
        let cal = WorkCalendar::default();
        let fri = date(2026, 11, 27);
        let mon = date(2026, 11, 30);
        assert_eq!(cal.working_days_between(fri, fri), 0);
        assert_eq!(cal.working_days_between(fri, mon), 1);
        assert_eq!(cal.working_days_between(mon, fri), -1);
        assert_eq!(cal.working_days_between(date(2026, 11, 26), fri), 1);
        assert_eq!(cal.working_days_between(fri, date(2026, 11, 29)), 0);
    }

    #[test]
    fn between_with_holidays_and_make_up_days() {
        let cal = national_day();
        // Sep 26 – Oct 11: make-up Sun 27 + Mon–Wed 28–30 + Thu–Fri 8–9 + make-up Sat 10.
        assert_eq!(cal.working_days_between(date(2026, 9, 26), date(2026, 10, 11)), 7);
        assert_eq!(cal.working_days_between(date(2026, 10, 11), date(2026, 9, 26)), -7);
    }

    #[test]
    fn between_matches_reference_over_long_spans() {
        let mut cal = national_day();
        cal.holidays.extend(dates("2027-01-01 2027-02-16 2027-02-17 2028-05-01"));
        cal.extra_workdays.extend(dates("2027-02-20 2027-02-17"));
        let base = date(2026, 9, 20);
        for offset in [0, 1, 6, 7, 8, 13, 29, 100, 365, 800] {
            let to = base + Days::new(offset);
            assert_eq!(cal.working_days_between(base, to), naive_between(&cal, base, to));
            assert_eq!(cal.working_days_between(to, base), naive_between(&cal, to, base));
        }
        let far = date(2126, 9, 20);
        assert_eq!(cal.working_days_between(base, far), naive_between(&cal, base, far));
    }

    #[test]
    fn add_and_between_agree() {
        let cal = national_day();
        let start = date(2026, 9, 24);
        for n in 0..60 {
            let end = cal.add_working_days(start, n);
            assert_eq!(cal.working_days_between(start, end), i64::from(n));
        }
    }

    #[test]
    fn parse_date_lists() {
        let expected: BTreeSet<_> = [date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)].into();
        assert_eq!(parse_dates("2026-10-01, 2026-10-02;2026-10-03"), Ok(expected.clone()));
        assert_eq!(parse_dates("2026-10-01\n2026-10-02\t2026-10-03\n"), Ok(expected.clone()));
        assert_eq!(parse_dates("2026-10-03，2026-10-1；2026-10-02,2026-10-01"), Ok(expected));
        assert_eq!(parse_dates(""), Ok(BTreeSet::new()));
        assert_eq!(parse_dates(" ,; "), Ok(BTreeSet::new()));
    }

    #[test]
    fn parse_date_lists_name_the_bad_item() {
        for bad in ["2026-02-30", "2026/10/01", "26-10-01", "2026-10", "2026-10-01-1", "tomorrow", "2026-1o-01"] {
            assert_eq!(
                parse_dates(&format!("2026-10-01, {bad}")),
                Err(CalendarError::BadDate(bad.to_string())),
                "{bad}"
            );
        }
    }

    #[test]
    fn format_dates_round_trips() {
        let set = dates("2026-10-02 2026-10-01 2027-1-5");
        assert_eq!(format_dates(&set), "2026-10-01,2026-10-02,2027-01-05");
        assert_eq!(parse_dates(&format_dates(&set)), Ok(set));
        assert_eq!(format_dates(&BTreeSet::new()), "");
    }

    #[test]
    fn parse_weekend_forms() {
        let sat_sun = Ok(vec![Weekday::Sat, Weekday::Sun]);
        assert_eq!(parse_weekend("sat,sun"), sat_sun);
        assert_eq!(parse_weekend("Sat Sun"), sat_sun);
        assert_eq!(parse_weekend("6,7"), sat_sun);
        assert_eq!(parse_weekend("SUNDAY; saturday, 6"), sat_sun);
        assert_eq!(parse_weekend("fri"), Ok(vec![Weekday::Fri]));
        assert_eq!(parse_weekend(""), Ok(vec![]));
        assert_eq!(parse_weekend("5 1"), Ok(vec![Weekday::Mon, Weekday::Fri]));
        // as a Chinese office writes them, and as the Chinese screen shows them
        assert_eq!(parse_weekend("周六、周日"), sat_sun);
        assert_eq!(parse_weekend("星期六，星期天"), sat_sun);
        assert_eq!(parse_weekend("礼拜日 礼拜六"), sat_sun);
        assert!(parse_weekend("周八").is_err());
    }

    #[test]
    fn parse_weekend_errors() {
        assert_eq!(parse_weekend("sat,sab"), Err(CalendarError::BadWeekday("sab".into())));
        assert_eq!(parse_weekend("0"), Err(CalendarError::BadWeekday("0".into())));
        assert_eq!(parse_weekend("8"), Err(CalendarError::BadWeekday("8".into())));
        assert_eq!(parse_weekend("1,2,3,4,5,6,7"), Err(CalendarError::NoWorkingDays));
    }

    #[test]
    fn format_weekend_canonical() {
        assert_eq!(format_weekend(&[Weekday::Sat, Weekday::Sun]), "sat,sun");
        assert_eq!(format_weekend(&[Weekday::Sun, Weekday::Sat, Weekday::Sun]), "sat,sun");
        assert_eq!(format_weekend(&[]), "");
        let days = vec![Weekday::Mon, Weekday::Fri];
        assert_eq!(parse_weekend(&format_weekend(&days)), Ok(days));
    }

    #[test]
    fn error_keys() {
        assert_eq!(CalendarError::BadDate("x".into()).key(), "err.calendar.bad_date");
        assert_eq!(CalendarError::BadWeekday("x".into()).key(), "err.calendar.bad_weekday");
        assert_eq!(CalendarError::NoWorkingDays.key(), "err.calendar.no_working_days");
    }
}
