//! Every number a rule gives is a setting with that default, shared by all terminals.

use std::collections::BTreeMap;

use super::Msg;
use super::calendar::{WorkCalendar, parse_dates, parse_weekend};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingKind {
    /// An integer between the bounds.
    Int(i64, i64),
    /// Money in whole currency units.
    Amount,
    Weekend,
    Dates,
    Language,
}

#[derive(Clone, Copy, Debug)]
pub struct SettingDef {
    pub key: &'static str,
    pub default: &'static str,
    pub kind: SettingKind,
}

const fn int(key: &'static str, default: &'static str, lo: i64, hi: i64) -> SettingDef {
    SettingDef { key, default, kind: SettingKind::Int(lo, hi) }
}

const fn amount(key: &'static str, default: &'static str) -> SettingDef {
    SettingDef { key, default, kind: SettingKind::Amount }
}

pub const LOCK_IDLE_MINUTES: &str = "lock.idle_minutes";
pub const LOGIN_MAX_FAILURES: &str = "login.max_failures";
pub const LOGIN_LOCKOUT_SECONDS: &str = "login.lockout_seconds";
pub const DRAFT_INTERVAL_SECONDS: &str = "draft.interval_seconds";
pub const BUDGET_A: &str = "visitor.budget_a";
pub const BUDGET_B: &str = "visitor.budget_b";
pub const BUDGET_C: &str = "visitor.budget_c";
pub const BUDGET_D: &str = "visitor.budget_d";
pub const ESCORT_ONE_BELOW: &str = "visitor.escort_one_below";
pub const ESCORT_TWO_UP_TO: &str = "visitor.escort_two_up_to";
pub const REGISTER_CLOSE_HOUR: &str = "visitor.register_close_hour";
pub const GRADE_REVIEW_MONTHS: &str = "customer.grade_review_months";
pub const COMPLAINT_CLOSE_DAYS: &str = "complaint.close_days";
pub const COMPLAINT_PROPOSE_DAYS: &str = "complaint.propose_working_days";
pub const COMPLAINT_MAJOR_HOURS: &str = "complaint.major_report_hours";
pub const APPROVE_LIMIT_SUPERVISOR: &str = "complaint.approval_limit_supervisor";
pub const APPROVE_LIMIT_MANAGER: &str = "complaint.approval_limit_manager";
pub const DUPLICATE_DAYS: &str = "complaint.duplicate_days";
pub const REOPEN_DAYS: &str = "complaint.reopen_days";
pub const REPORT_DUE_DAY: &str = "complaint.report_due_day";
pub const CALLBACK_COMPLAINT_DAYS: &str = "callback.complaint_days";
pub const CALLBACK_COMPLAINT_RATE: &str = "callback.complaint_rate";
pub const WEEKEND: &str = "calendar.weekend";
pub const HOLIDAYS: &str = "calendar.holidays";
pub const WORKDAYS: &str = "calendar.extra_workdays";
pub const LANGUAGE: &str = "ui.language";
pub const SEPARATE_DUTIES: &str = "approval.separate_duties";
pub const LOGIN_MIN_PASSWORD: &str = "login.min_password";
pub const ESCORT_GUESTS_PER_EXTRA: &str = "visitor.escort_guests_per_extra";
pub const REPAIR_REPEAT_DAYS: &str = "repair.repeat_days";
pub const REPAIR_WARRANTY_AIRCON: &str = "repair.warranty_months_aircon";
pub const REPAIR_WARRANTY_PLUMBING: &str = "repair.warranty_months_plumbing";
pub const REPAIR_WARRANTY_ELECTRICAL: &str = "repair.warranty_months_electrical";
pub const REPAIR_WARRANTY_LIFT: &str = "repair.warranty_months_lift";
pub const REPAIR_WARRANTY_APPLIANCE: &str = "repair.warranty_months_appliance";
pub const REPAIR_WARRANTY_VEHICLE: &str = "repair.warranty_months_vehicle";
pub const REPAIR_WARRANTY_DEVICE: &str = "repair.warranty_months_device";
pub const REPAIR_WARRANTY_OTHER: &str = "repair.warranty_months_other";

pub const DEFS: &[SettingDef] = &[
    int(LOCK_IDLE_MINUTES, "5", 1, 240),
    int(LOGIN_MAX_FAILURES, "5", 1, 100),
    int(LOGIN_LOCKOUT_SECONDS, "60", 1, 86_400),
    int(DRAFT_INTERVAL_SECONDS, "1", 1, 60),
    // rule I1: hospitality budget per head by visitor class
    amount(BUDGET_A, "500"),
    amount(BUDGET_B, "300"),
    amount(BUDGET_C, "200"),
    amount(BUDGET_D, "150"),
    // rule I2: fewer than 5 guests, 1 escort; 5 to 10, 2; more than 10, 3
    int(ESCORT_ONE_BELOW, "5", 1, 1000),
    int(ESCORT_TWO_UP_TO, "10", 1, 1000),
    // rule I3: the day's register is complete by 10:00 next morning
    int(REGISTER_CLOSE_HOUR, "10", 0, 23),
    // rule I8: a new customer's grade is provisional until reviewed after 6 months
    int(GRADE_REVIEW_MONTHS, "6", 0, 60),
    // rule C10: a complaint is closed within 7 days of receipt
    int(COMPLAINT_CLOSE_DAYS, "7", 1, 365),
    // rule C7: a solution within 1 working day
    int(COMPLAINT_PROPOSE_DAYS, "1", 1, 30),
    // rule C11: major cases reported upward within 24 hours
    int(COMPLAINT_MAJOR_HOURS, "24", 1, 720),
    // rule C14: what each approver may grant
    amount(APPROVE_LIMIT_SUPERVISOR, "0"),
    amount(APPROVE_LIMIT_MANAGER, "5000"),
    // rule C15: how far back a similar complaint counts as the same case
    int(DUPLICATE_DAYS, "30", 1, 365),
    // rule C11: a new complaint about a case closed this recently reopens it
    int(REOPEN_DAYS, "30", 1, 365),
    // rule C13: the month's statistics are due by the 10th of the next
    int(REPORT_DUE_DAY, "10", 1, 28),
    // rule F1: call back within 3 days; at least 50% of resolved complaints
    int(CALLBACK_COMPLAINT_DAYS, "3", 1, 60),
    int(CALLBACK_COMPLAINT_RATE, "50", 0, 100),
    SettingDef { key: WEEKEND, default: "sat,sun", kind: SettingKind::Weekend },
    SettingDef { key: HOLIDAYS, default: "", kind: SettingKind::Dates },
    SettingDef { key: WORKDAYS, default: "", kind: SettingKind::Dates },
    SettingDef { key: LANGUAGE, default: "en", kind: SettingKind::Language },
    // rules C8, C14: whoever proposed a solution does not approve it (1 on, 0 off)
    int(SEPARATE_DUTIES, "1", 0, 1),
    // rule A14: personal accounts; a password at least this long at every door
    int(LOGIN_MIN_PASSWORD, "8", 1, 128),
    // rule I2: more than 10 guests, "3 or more": one further escort per this many further
    // guests (0: only the minimum of 3)
    int(ESCORT_GUESTS_PER_EXTRA, "10", 0, 1000),
    // a repair of the same unit or serial this recently is a repeat (R7's first-time fix)
    int(REPAIR_REPEAT_DAYS, "30", 1, 365),
    // rule R9: each item kind's warranty, in months from the purchase date
    int(REPAIR_WARRANTY_AIRCON, "24", 0, 240),
    int(REPAIR_WARRANTY_PLUMBING, "12", 0, 240),
    int(REPAIR_WARRANTY_ELECTRICAL, "12", 0, 240),
    int(REPAIR_WARRANTY_LIFT, "12", 0, 240),
    int(REPAIR_WARRANTY_APPLIANCE, "12", 0, 240),
    int(REPAIR_WARRANTY_VEHICLE, "36", 0, 240),
    int(REPAIR_WARRANTY_DEVICE, "12", 0, 240),
    int(REPAIR_WARRANTY_OTHER, "0", 0, 240),
];

pub fn def(key: &str) -> Option<&'static SettingDef> {
    DEFS.iter().find(|d| d.key == key)
}

/// Checks a value typed for a setting; returns it in canonical form.
pub fn validate(key: &str, raw: &str) -> Result<String, Msg> {
    let d = def(key).ok_or_else(|| Msg::new("err.setting.unknown").with("key", key))?;
    let raw = raw.trim();
    match d.kind {
        SettingKind::Int(lo, hi) => match raw.parse::<i64>() {
            Ok(v) if (lo..=hi).contains(&v) => Ok(v.to_string()),
            _ => Err(Msg::new("err.number.range").with("min", lo).with("max", hi)),
        },
        SettingKind::Amount => match raw.parse::<i64>() {
            Ok(v) if (0..=100_000_000).contains(&v) => Ok(v.to_string()),
            _ => Err(Msg::new("err.money.invalid")),
        },
        SettingKind::Weekend => parse_weekend(raw)
            .map(|w| super::calendar::format_weekend(&w))
            .map_err(|e| Msg::new(e.key()).with("item", e.item())),
        SettingKind::Dates => parse_dates(raw)
            .map(|set| set.iter().map(|d| d.format("%Y-%m-%d").to_string()).collect::<Vec<_>>().join(","))
            .map_err(|e| Msg::new(e.key()).with("item", e.item())),
        SettingKind::Language => language(raw).map(str::to_string).ok_or_else(|| Msg::new("err.setting.language")),
    }
}

/// The languages the program ships, by the code the language setting stores.
pub const LANGUAGES: &[&str] = &["en", "zh-CN"];

/// The shipped language a setting names: its language part (`zh` of `zh`, `zh-CN`,
/// `zh_CN.UTF-8`), in any case, picks the code.
pub fn language(raw: &str) -> Option<&'static str> {
    let base = |s: &str| s.split(['-', '_', '.']).next().unwrap_or("").to_ascii_lowercase();
    let wanted = base(raw.trim());
    LANGUAGES.iter().copied().find(|code| base(code) == wanted)
}

/// The settings in force: stored values over the defaults.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    stored: BTreeMap<String, String>,
}

impl Settings {
    pub fn from_stored(stored: BTreeMap<String, String>) -> Settings {
        Settings { stored }
    }

    pub fn get(&self, key: &str) -> &str {
        if let Some(v) = self.stored.get(key) {
            return v;
        }
        def(key).map(|d| d.default).unwrap_or("")
    }

    pub fn int(&self, key: &str) -> i64 {
        let parsed = self.get(key).parse::<i64>();
        parsed.unwrap_or_else(|_| def(key).and_then(|d| d.default.parse().ok()).unwrap_or(0))
    }

    pub fn is_default(&self, key: &str) -> bool {
        !self.stored.contains_key(key)
    }

    pub fn calendar(&self) -> WorkCalendar {
        let mut cal = WorkCalendar::default();
        if let Ok(w) = parse_weekend(self.get(WEEKEND)) {
            cal.weekend = w;
        }
        if let Ok(h) = parse_dates(self.get(HOLIDAYS)) {
            cal.holidays = h;
        }
        if let Ok(x) = parse_dates(self.get(WORKDAYS)) {
            cal.extra_workdays = x;
        }
        cal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_until_stored() {
        let mut m = BTreeMap::new();
        let s = Settings::from_stored(m.clone());
        assert_eq!(s.int(LOCK_IDLE_MINUTES), 5);
        assert_eq!(s.int(BUDGET_A), 500);
        m.insert(LOCK_IDLE_MINUTES.to_string(), "9".to_string());
        assert_eq!(Settings::from_stored(m).int(LOCK_IDLE_MINUTES), 9);
    }

    #[test]
    fn every_default_is_valid() {
        for d in DEFS {
            assert!(validate(d.key, d.default).is_ok(), "{}", d.key);
        }
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(validate(LOCK_IDLE_MINUTES, "0").is_err());
        assert!(validate(LOCK_IDLE_MINUTES, "abc").is_err());
        assert!(validate(HOLIDAYS, "2026-13-01").is_err());
        assert_eq!(validate(HOLIDAYS, "2026-10-02; 2026-10-01").unwrap(), "2026-10-01,2026-10-02");
        assert!(validate("nope", "1").is_err());
    }

    #[test]
    fn the_language_is_one_the_program_ships() {
        assert_eq!(validate(LANGUAGE, " zh_CN.UTF-8 ").unwrap(), "zh-CN");
        assert_eq!(validate(LANGUAGE, "ZH").unwrap(), "zh-CN");
        assert_eq!(validate(LANGUAGE, "en-GB").unwrap(), "en");
        assert_eq!(validate(LANGUAGE, "zh-CN").unwrap(), "zh-CN");
        for bad in ["fr", "", "english", "-CN"] {
            assert_eq!(validate(LANGUAGE, bad).unwrap_err().key, "err.setting.language", "{bad:?}");
        }
    }
}
