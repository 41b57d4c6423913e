//! Parsing what an operator types into a date or date/time field.
//!
//! All times here are the operator's local wall-clock time; converting to
//! UTC is the caller's job.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};

/// Why a date or time entry was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    /// Nothing was typed.
    Empty,
    /// Not a recognised form, or a date that does not exist (2026-02-30).
    Invalid,
    /// A real date, but outside the years the app accepts.
    OutOfRange,
}

impl WhenError {
    /// Stable i18n key for the UI.
    pub fn key(&self) -> &'static str {
        match self {
            WhenError::Empty => "err.date.empty",
            WhenError::Invalid => "err.date.invalid",
            WhenError::OutOfRange => "err.date.out_of_range",
        }
    }
}

/// Earliest and latest years accepted; outside them a typo is far likelier
/// than a real appointment.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;

/// Day words and their offset in days from today.
const DAY_WORDS: &[(&str, i64)] = &[
    ("day after tomorrow", 2),
    ("day before yesterday", -2),
    ("today", 0),
    ("tomorrow", 1),
    ("yesterday", -1),
    ("今天", 0),
    ("明天", 1),
    ("昨天", -1),
    ("后天", 2),
    ("前天", -2),
];

const NOW_WORDS: &[&str] = &["now", "现在"];

/// Time for a bare day word other than today: start of a working day is a
/// more useful default than midnight.
const DAY_WORD_TIME: NaiveTime = NaiveTime::from_hms_opt(9, 0, 0).expect("09:00 is valid");

/// Parses a date/time entry, relative to `now` (the operator's local time).
///
/// Bare dates mean 00:00, bare times mean today, bare `today` keeps the
/// current time and other day words mean 09:00. `now`, bare `today` and
/// signed offsets such as `+2h` are truncated to whole minutes, since that is
/// what the app shows.
pub fn parse_datetime(input: &str, now: NaiveDateTime) -> Result<NaiveDateTime, WhenError> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(WhenError::Empty);
    }
    let now = truncate_to_minute(now);
    let today = now.date();

    let result = if NOW_WORDS.contains(&s.as_str()) {
        now
    } else if let Some(delta) = parse_offset(&s, "mhdw")? {
        now.checked_add_signed(delta).ok_or(WhenError::OutOfRange)?
    } else if let Some((offset, rest)) = split_day_word(&s) {
        let day = shift_days(today, offset)?;
        let time = if !rest.is_empty() {
            parse_time(rest)?
        } else if offset == 0 {
            now.time()
        } else {
            DAY_WORD_TIME
        };
        day.and_time(time)
    } else if let Ok(time) = parse_time(&s) {
        // a time alone means today
        today.and_time(time)
    } else {
        let (date, time) = split_date_time(&s)?;
        let date = match date {
            Some(d) => parse_absolute_date(d, today.year())?,
            None => today,
        };
        let time = match time {
            Some(t) => parse_time(t)?,
            None => NaiveTime::MIN,
        };
        date.and_time(time)
    };
    check_year(result.year())?;
    Ok(result)
}

/// Parses a date-only entry, relative to `today`.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, WhenError> {
    let s = normalize(input);
    if s.is_empty() {
        return Err(WhenError::Empty);
    }
    let result = if let Some(delta) = parse_offset(&s, "dw")? {
        today.checked_add_signed(delta).ok_or(WhenError::OutOfRange)?
    } else if let Some((offset, rest)) = split_day_word(&s) {
        if !rest.is_empty() {
            return Err(WhenError::Invalid);
        }
        shift_days(today, offset)?
    } else {
        parse_absolute_date(&s, today.year())?
    };
    check_year(result.year())?;
    Ok(result)
}

/// `2026-11-27 14:30`; accepted back by [`parse_datetime`].
pub fn format_datetime(dt: NaiveDateTime) -> String {
    dt.format("%Y-%m-%d %H:%M").to_string()
}

/// `2026-11-27`; accepted back by [`parse_date`] and [`parse_datetime`].
pub fn format_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Folds full-width forms and case, and collapses whitespace to single
/// spaces, dropping it next to 年/月/日/号 where people type it freely.
fn normalize(input: &str) -> String {
    let folded: String = input.chars().map(fold_width).flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        let glued = matches!(word, "am" | "pm" | "a.m." | "p.m.") || HALF_WORDS.iter().any(|(w, _)| out.ends_with(w));
        if !out.is_empty() && !out.ends_with(is_date_mark) && !word.starts_with(is_date_mark) && !glued {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_date_mark(c: char) -> bool {
    matches!(c, '年' | '月' | '日' | '号')
}

/// Full-width ASCII forms (digits, ：, －, ／, ＋, letters) to ASCII.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn truncate_to_minute(dt: NaiveDateTime) -> NaiveDateTime {
    dt.with_second(0).and_then(|dt| dt.with_nanosecond(0)).unwrap_or(dt)
}

fn check_year(year: i32) -> Result<(), WhenError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) { Ok(()) } else { Err(WhenError::OutOfRange) }
}

fn shift_days(day: NaiveDate, offset: i64) -> Result<NaiveDate, WhenError> {
    TimeDelta::try_days(offset).and_then(|delta| day.checked_add_signed(delta)).ok_or(WhenError::OutOfRange)
}

/// A signed offset such as `+3d` or `-30m`, with the unit one of `units`.
/// Returns `Ok(None)` when `s` has no sign, so other forms can be tried; the
/// sign is required because a bare `3d` is ambiguous.
fn parse_offset(s: &str, units: &str) -> Result<Option<TimeDelta>, WhenError> {
    let (sign, body) = if let Some(body) = s.strip_prefix('+') {
        (1, body)
    } else if let Some(body) = s.strip_prefix('-') {
        (-1, body)
    } else {
        return Ok(None);
    };
    let body = body.trim();
    let unit = body.chars().last().ok_or(WhenError::Invalid)?;
    let number = body[..body.len() - unit.len_utf8()].trim_end();
    if !units.contains(unit) || !is_digits(number, 1..=usize::MAX) {
        return Err(WhenError::Invalid);
    }
    // Only digits remain, so a parse failure means the number is huge.
    let amount = number.parse::<i64>().map_err(|_| WhenError::OutOfRange)? * sign;
    let delta = match unit {
        'm' => TimeDelta::try_minutes(amount),
        'h' => TimeDelta::try_hours(amount),
        'd' => TimeDelta::try_days(amount),
        _ => TimeDelta::try_weeks(amount),
    };
    delta.map(Some).ok_or(WhenError::OutOfRange)
}

/// A leading day word, its day offset, and the (trimmed) rest of the input.
fn split_day_word(s: &str) -> Option<(i64, &str)> {
    DAY_WORDS.iter().find_map(|(word, offset)| s.strip_prefix(word).map(|rest| (*offset, rest.trim())))
}

/// Splits an absolute entry into its date and time parts, either optional.
fn split_date_time(s: &str) -> Result<(Option<&str>, Option<&str>), WhenError> {
    // Day words are handled before this, so a `t` here is the ISO separator.
    if let Some((date, time)) = s.split_once('t') {
        return Ok((Some(date), Some(time)));
    }
    // Chinese dates end with 日/号; the time may follow without a space.
    if let Some((date, time)) = s.split_once(['日', '号']) {
        let time = time.trim();
        return Ok((Some(date), (!time.is_empty()).then_some(time)));
    }
    let mut words = s.split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some(one), None, None) if one.contains(':') => Ok((None, Some(one))),
        (Some(one), None, None) => Ok((Some(one), None)),
        (Some(date), Some(time), None) => Ok((Some(date), Some(time))),
        _ => Err(WhenError::Invalid),
    }
}

/// `2026-11-27`, `2026/11/27`, `2026.11.27`, `11-27`, `2026年11月27日`,
/// `11月27日`; a missing year means `current_year`.
fn parse_absolute_date(s: &str, current_year: i32) -> Result<NaiveDate, WhenError> {
    let (year, month, day) = if let Some((head, day)) = s.split_once('月') {
        let day = day.strip_suffix(['日', '号']).unwrap_or(day);
        match head.split_once('年') {
            Some((year, month)) => (Some(year), month, day),
            None => (None, head, day),
        }
    } else {
        let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.')).ok_or(WhenError::Invalid)?;
        let parts: Vec<&str> = s.split(sep).collect();
        match parts[..] {
            [year, month, day] => (Some(year), month, day),
            [month, day] => (None, month, day),
            _ => return Err(WhenError::Invalid),
        }
    };
    if !is_digits(month, 1..=2) || !is_digits(day, 1..=2) {
        return Err(WhenError::Invalid);
    }
    let year = match year {
        Some(y) if is_digits(y, 4..=4) => y.parse().map_err(|_| WhenError::Invalid)?,
        Some(_) => return Err(WhenError::Invalid),
        None => current_year,
    };
    check_year(year)?;
    let month = month.parse().map_err(|_| WhenError::Invalid)?;
    let day = day.parse().map_err(|_| WhenError::Invalid)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(WhenError::Invalid)
}

/// Which half of the day a 12-hour time is in.
#[derive(Clone, Copy, PartialEq)]
enum Half {
    Am,
    Noon,
    Pm,
}

/// Chinese words for a part of the day, said before the time (下午3点).
const HALF_WORDS: &[(&str, Half)] = &[
    ("上午", Half::Am),
    ("早上", Half::Am),
    ("早晨", Half::Am),
    ("清晨", Half::Am),
    ("凌晨", Half::Am),
    ("中午", Half::Noon),
    ("下午", Half::Pm),
    ("傍晚", Half::Pm),
    ("晚上", Half::Pm),
    ("夜里", Half::Pm),
];

/// A time as people say it: `14:30`, `14:30:05`, `3pm`, `3:30 pm`, `11am`, `下午3点`,
/// `下午3点半`, `上午9点15分`, `15点30`, `晚上8:30`.
fn parse_time(s: &str) -> Result<NaiveTime, WhenError> {
    let s = s.trim();
    let (mut half, mut rest) = (None, s);
    if let Some((h, r)) = HALF_WORDS.iter().find_map(|(w, h)| s.strip_prefix(w).map(|r| (*h, r))) {
        (half, rest) = (Some(h), r.trim());
    }
    for (mark, h) in [("am", Half::Am), ("a.m.", Half::Am), ("pm", Half::Pm), ("p.m.", Half::Pm)] {
        if half.is_none()
            && let Some(r) = rest.strip_suffix(mark)
        {
            (half, rest) = (Some(h), r.trim());
        }
    }
    let time = match clock_zh(rest) {
        Some(t) => t?,
        // a bare hour only with a half of the day (3pm)
        None if half.is_some() && is_digits(rest, 1..=2) => {
            NaiveTime::from_hms_opt(rest.parse().map_err(|_| WhenError::Invalid)?, 0, 0).ok_or(WhenError::Invalid)?
        }
        None => clock_24(rest)?,
    };
    let Some(half) = half else { return Ok(time) };
    let hour = match (half, time.hour()) {
        (_, 0) | (_, 13..) => return Err(WhenError::Invalid),
        (Half::Am, 12) => 0,
        (Half::Am, h) => h,
        (Half::Noon, h @ 11..=12) => h,
        (Half::Pm, 12) => 12,
        (Half::Noon | Half::Pm, h) => h + 12,
    };
    time.with_hour(hour).ok_or(WhenError::Invalid)
}

/// `3点`, `3点半`, `3点30`, `3点30分`, `15时05分`; None when it is not this form.
fn clock_zh(s: &str) -> Option<Result<NaiveTime, WhenError>> {
    let (hour, rest) = s.split_once(['点', '时'])?;
    let minute = match rest.trim() {
        "" | "整" => "00",
        "半" => "30",
        m => m.strip_suffix('分').unwrap_or(m),
    };
    if !is_digits(hour, 1..=2) || !is_digits(minute, 1..=2) {
        return Some(Err(WhenError::Invalid));
    }
    let parse = |part: &str| part.parse::<u32>().map_err(|_| WhenError::Invalid);
    Some(
        parse(hour)
            .and_then(|h| parse(minute).and_then(|m| NaiveTime::from_hms_opt(h, m, 0).ok_or(WhenError::Invalid))),
    )
}

/// `H:MM` or `H:MM:SS`, 24-hour clock.
fn clock_24(s: &str) -> Result<NaiveTime, WhenError> {
    let parts: Vec<&str> = s.split(':').collect();
    let (hour, minute, second) = match parts[..] {
        [h, m] => (h, m, "0"),
        [h, m, s] if is_digits(s, 2..=2) => (h, m, s),
        _ => return Err(WhenError::Invalid),
    };
    if !is_digits(hour, 1..=2) || !is_digits(minute, 2..=2) {
        return Err(WhenError::Invalid);
    }
    let parse = |part: &str| part.parse::<u32>().map_err(|_| WhenError::Invalid);
    NaiveTime::from_hms_opt(parse(hour)?, parse(minute)?, parse(second)?).ok_or(WhenError::Invalid)
}

fn is_digits(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Friday 2026-11-27 10:15.
    fn now() -> NaiveDateTime {
        dt(2026, 11, 27, 10, 15, 0)
    }

    fn dt(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap().and_hms_opt(h, mi, s).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn p(s: &str) -> Result<NaiveDateTime, WhenError> {
        parse_datetime(s, now())
    }

    fn pd(s: &str) -> Result<NaiveDate, WhenError> {
        parse_date(s, now().date())
    }

    #[test]
    fn now_is_a_friday() {
        assert_eq!(now().weekday(), chrono::Weekday::Fri);
    }

    #[test]
    fn absolute_forms() {
        let at_1430 = Ok(dt(2026, 11, 27, 14, 30, 0));
        let midnight = Ok(dt(2026, 11, 27, 0, 0, 0));
        assert_eq!(p("2026-11-27 14:30"), at_1430);
        assert_eq!(p("2026-11-27 14:30:15"), Ok(dt(2026, 11, 27, 14, 30, 15)));
        assert_eq!(p("2026/11/27 14:30"), at_1430);
        assert_eq!(p("2026.11.27 14:30"), at_1430);
        assert_eq!(p("2026-11-27T14:30"), at_1430);
        assert_eq!(p("2026-11-27t14:30"), at_1430);
        assert_eq!(p("2026-11-27"), midnight);
        assert_eq!(p("11-27 14:30"), at_1430);
        assert_eq!(p("11-27"), midnight);
        assert_eq!(p("2026-1-5 9:05"), Ok(dt(2026, 1, 5, 9, 5, 0)));
    }

    #[test]
    fn chinese_forms() {
        let at_1430 = Ok(dt(2026, 11, 27, 14, 30, 0));
        let midnight = Ok(dt(2026, 11, 27, 0, 0, 0));
        assert_eq!(p("2026年11月27日 14:30"), at_1430);
        assert_eq!(p("2026年11月27日14:30"), at_1430);
        assert_eq!(p("2026 年 11 月 27 日 14:30"), at_1430);
        assert_eq!(p("2026年11月27日"), midnight);
        assert_eq!(p("11月27日"), midnight);
        assert_eq!(p("11月27号"), midnight);
        assert_eq!(p("2026年11月27"), midnight);
        assert_eq!(p("3月5日 9:00"), Ok(dt(2026, 3, 5, 9, 0, 0)));
    }

    #[test]
    fn d25_times_as_people_say_them() {
        let today = |h, m| Ok(dt(2026, 11, 27, h, m, 0));
        assert_eq!(p("下午3点"), today(15, 0));
        assert_eq!(p("下午 3点半"), today(15, 30));
        assert_eq!(p("上午9点15分"), today(9, 15));
        assert_eq!(p("晚上8:30"), today(20, 30));
        assert_eq!(p("中午12点"), today(12, 0));
        assert_eq!(p("中午1点"), today(13, 0));
        assert_eq!(p("凌晨2点"), today(2, 0));
        assert_eq!(p("15点30"), today(15, 30));
        assert_eq!(p("3pm"), today(15, 0));
        assert_eq!(p("3 PM"), today(15, 0));
        assert_eq!(p("3:30pm"), today(15, 30));
        assert_eq!(p("12am"), today(0, 0));
        assert_eq!(p("12pm"), today(12, 0));
        assert_eq!(p("11am"), today(11, 0));
        assert_eq!(p("明天下午3点"), Ok(dt(2026, 11, 28, 15, 0, 0)));
        assert_eq!(p("11月30日下午3点"), Ok(dt(2026, 11, 30, 15, 0, 0)));
        assert_eq!(p("2026-11-30 3pm"), Ok(dt(2026, 11, 30, 15, 0, 0)));
        assert_eq!(p("tomorrow 9am"), Ok(dt(2026, 11, 28, 9, 0, 0)));
        for bad in ["下午15点", "13pm", "0am", "下午", "3点70", "pm", "3", "下午3点半半"] {
            assert_eq!(p(bad), Err(WhenError::Invalid), "{bad}");
        }
    }

    #[test]
    fn fullwidth_and_whitespace() {
        let at_1430 = Ok(dt(2026, 11, 27, 14, 30, 0));
        assert_eq!(p("２０２６－１１－２７　１４：３０"), at_1430);
        assert_eq!(p("  2026-11-27   14:30 \t"), at_1430);
        assert_eq!(p("１４：３０"), at_1430);
        assert_eq!(p("２０２６年１１月２７日"), Ok(dt(2026, 11, 27, 0, 0, 0)));
    }

    #[test]
    fn time_only_means_today() {
        assert_eq!(p("14:30"), Ok(dt(2026, 11, 27, 14, 30, 0)));
        assert_eq!(p("9:05"), Ok(dt(2026, 11, 27, 9, 5, 0)));
        assert_eq!(p("09:05"), Ok(dt(2026, 11, 27, 9, 5, 0)));
        assert_eq!(p("0:00"), Ok(dt(2026, 11, 27, 0, 0, 0)));
        assert_eq!(p("23:59:59"), Ok(dt(2026, 11, 27, 23, 59, 59)));
    }

    #[test]
    fn now_words_truncate_to_minute() {
        let with_seconds = dt(2026, 11, 27, 10, 15, 42);
        for s in ["now", "NOW", "现在", " Now "] {
            assert_eq!(parse_datetime(s, with_seconds), Ok(now()), "{s}");
        }
    }

    #[test]
    fn day_words() {
        assert_eq!(p("today"), Ok(now()));
        assert_eq!(p("Today"), Ok(now()));
        assert_eq!(p("今天"), Ok(now()));
        assert_eq!(p("today 14:30"), Ok(dt(2026, 11, 27, 14, 30, 0)));
        assert_eq!(p("今天 14:30"), Ok(dt(2026, 11, 27, 14, 30, 0)));
        assert_eq!(p("今天14:30"), Ok(dt(2026, 11, 27, 14, 30, 0)));
        assert_eq!(p("tomorrow"), Ok(dt(2026, 11, 28, 9, 0, 0)));
        assert_eq!(p("明天"), Ok(dt(2026, 11, 28, 9, 0, 0)));
        assert_eq!(p("tomorrow 9:00"), Ok(dt(2026, 11, 28, 9, 0, 0)));
        assert_eq!(p("明天 15:45"), Ok(dt(2026, 11, 28, 15, 45, 0)));
        assert_eq!(p("yesterday"), Ok(dt(2026, 11, 26, 9, 0, 0)));
        assert_eq!(p("昨天 8:00"), Ok(dt(2026, 11, 26, 8, 0, 0)));
        assert_eq!(p("后天"), Ok(dt(2026, 11, 29, 9, 0, 0)));
        assert_eq!(p("day after tomorrow 10:00"), Ok(dt(2026, 11, 29, 10, 0, 0)));
        assert_eq!(p("前天"), Ok(dt(2026, 11, 25, 9, 0, 0)));
        assert_eq!(p("day before yesterday"), Ok(dt(2026, 11, 25, 9, 0, 0)));
    }

    #[test]
    fn bare_today_truncates_current_time() {
        let with_seconds = dt(2026, 11, 27, 10, 15, 42);
        assert_eq!(parse_datetime("today", with_seconds), Ok(now()));
    }

    #[test]
    fn day_words_cross_month_and_year() {
        let new_years_eve = dt(2026, 12, 31, 18, 0, 0);
        assert_eq!(parse_datetime("明天", new_years_eve), Ok(dt(2027, 1, 1, 9, 0, 0)));
    }

    #[test]
    fn relative_offsets() {
        assert_eq!(p("+3d"), Ok(dt(2026, 11, 30, 10, 15, 0)));
        assert_eq!(p("-2d"), Ok(dt(2026, 11, 25, 10, 15, 0)));
        assert_eq!(p("+2h"), Ok(dt(2026, 11, 27, 12, 15, 0)));
        assert_eq!(p("+30m"), Ok(dt(2026, 11, 27, 10, 45, 0)));
        assert_eq!(p("+1w"), Ok(dt(2026, 12, 4, 10, 15, 0)));
        assert_eq!(p("+14h"), Ok(dt(2026, 11, 28, 0, 15, 0)));
        assert_eq!(p("+0d"), Ok(now()));
        assert_eq!(p("+3D"), Ok(dt(2026, 11, 30, 10, 15, 0)));
        assert_eq!(p("＋３ｄ"), Ok(dt(2026, 11, 30, 10, 15, 0)));
        assert_eq!(p("+ 3 d"), Ok(dt(2026, 11, 30, 10, 15, 0)));
        let with_seconds = dt(2026, 11, 27, 10, 15, 42);
        assert_eq!(parse_datetime("+30m", with_seconds), Ok(dt(2026, 11, 27, 10, 45, 0)));
    }

    #[test]
    fn relative_needs_sign_number_and_unit() {
        for s in ["3d", "+d", "+3", "+3x", "-", "+", "+3dd", "+-3d", "+3.5d"] {
            assert_eq!(p(s), Err(WhenError::Invalid), "{s}");
        }
    }

    #[test]
    fn relative_out_of_range() {
        assert_eq!(p("+200000d"), Err(WhenError::OutOfRange));
        assert_eq!(p("-50000w"), Err(WhenError::OutOfRange));
        assert_eq!(p("+99999999999999999999999d"), Err(WhenError::OutOfRange));
        assert_eq!(p("+9223372036854775807m"), Err(WhenError::OutOfRange));
    }

    #[test]
    fn empty() {
        assert_eq!(p(""), Err(WhenError::Empty));
        assert_eq!(p("   \t "), Err(WhenError::Empty));
        assert_eq!(p("\u{3000}"), Err(WhenError::Empty));
        assert_eq!(pd(""), Err(WhenError::Empty));
    }

    #[test]
    fn invalid_inputs() {
        for s in [
            "hello",
            "2026-02-30",
            "2026-13-01",
            "2026-11-32",
            "2026-00-10",
            "2026-11-27 24:00",
            "2026-11-27 14:60",
            "2026-11-27 14:30:60",
            "14:3",
            "143:00",
            "14",
            "2026-11-27 14:30 extra",
            "2026-11/27",
            "26-11-27",
            "02026-11-27",
            "2026-11-27-01",
            "2026年13月1日",
            "2026年11月",
            "27日",
            "todayx",
            "tomorrow 25:00",
            "now 14:30",
            "14:30 2026-11-27",
            "2026-11-27t",
            "tue",
        ] {
            assert_eq!(p(s), Err(WhenError::Invalid), "{s}");
        }
    }

    #[test]
    fn year_range() {
        assert_eq!(p("1900-01-01"), Ok(dt(1900, 1, 1, 0, 0, 0)));
        assert_eq!(p("2200-12-31 23:59"), Ok(dt(2200, 12, 31, 23, 59, 0)));
        assert_eq!(p("1899-12-31"), Err(WhenError::OutOfRange));
        assert_eq!(p("2201-01-01"), Err(WhenError::OutOfRange));
        assert_eq!(p("0001年1月1日"), Err(WhenError::OutOfRange));
        let end = dt(2200, 12, 31, 12, 0, 0);
        assert_eq!(parse_datetime("tomorrow", end), Err(WhenError::OutOfRange));
        assert_eq!(parse_datetime("+1d", end), Err(WhenError::OutOfRange));
    }

    #[test]
    fn parse_date_forms() {
        let d = Ok(date(2026, 11, 27));
        for s in ["2026-11-27", "2026/11/27", "11-27", "2026年11月27日", "11月27日", "today", "今天", "+0d"] {
            assert_eq!(pd(s), d, "{s}");
        }
        assert_eq!(pd("tomorrow"), Ok(date(2026, 11, 28)));
        assert_eq!(pd("明天"), Ok(date(2026, 11, 28)));
        assert_eq!(pd("yesterday"), Ok(date(2026, 11, 26)));
        assert_eq!(pd("昨天"), Ok(date(2026, 11, 26)));
        assert_eq!(pd("+3d"), Ok(date(2026, 11, 30)));
        assert_eq!(pd("-2d"), Ok(date(2026, 11, 25)));
        assert_eq!(pd("+1w"), Ok(date(2026, 12, 4)));
        assert_eq!(pd("-1w"), Ok(date(2026, 11, 20)));
        assert_eq!(pd("2-29"), Err(WhenError::Invalid)); // 2026 is not a leap year
    }

    #[test]
    fn parse_date_rejects_times() {
        for s in ["2026-11-27 14:30", "14:30", "+2h", "+30m", "tomorrow 9:00", "now", "3d"] {
            assert_eq!(pd(s), Err(WhenError::Invalid), "{s}");
        }
        assert_eq!(pd("2201-01-01"), Err(WhenError::OutOfRange));
        assert_eq!(pd("+100000w"), Err(WhenError::OutOfRange));
    }

    #[test]
    fn formatting() {
        assert_eq!(format_datetime(dt(2026, 11, 27, 14, 30, 15)), "2026-11-27 14:30");
        assert_eq!(format_datetime(dt(2026, 1, 5, 9, 5, 0)), "2026-01-05 09:05");
        assert_eq!(format_date(date(2026, 1, 5)), "2026-01-05");
    }

    #[test]
    fn format_round_trips() {
        let values = [
            dt(2026, 11, 27, 14, 30, 0),
            dt(2026, 1, 5, 9, 5, 0),
            dt(2024, 2, 29, 0, 0, 0),
            dt(1900, 1, 1, 0, 0, 0),
            dt(2200, 12, 31, 23, 59, 0),
        ];
        for v in values {
            assert_eq!(p(&format_datetime(v)), Ok(v));
            assert_eq!(pd(&format_date(v.date())), Ok(v.date()));
            assert_eq!(p(&format_date(v.date())), Ok(v.date().and_time(NaiveTime::MIN)));
        }
    }

    #[test]
    fn error_keys() {
        assert_eq!(WhenError::Empty.key(), "err.date.empty");
        assert_eq!(WhenError::Invalid.key(), "err.date.invalid");
        assert_eq!(WhenError::OutOfRange.key(), "err.date.out_of_range");
    }
}
