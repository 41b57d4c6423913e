//! Monthly reports as declarations (rule C13 and its kind): a register declares its
//! report (the rows it reads, its figures and what each counts, its groupings) in its
//! own files; this engine computes the figures, names the cases behind each, groups
//! them, compares a frozen copy with today's, and knows the months a report is due.
//! Pure arithmetic over the rows, so the figures can be checked by hand.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::Settings;

/// A register's monthly report.
pub struct ReportDef {
    /// Stable name: the CLI's `report <key>` and the key its submissions are kept under.
    pub key: &'static str,
    /// The register whose records the report counts (a figure opens them in its list).
    pub register: &'static str,
    /// The field that puts a record in a month (when a complaint was received).
    pub time: &'static str,
    /// The query giving the month's rows: `?1` and `?2` bound the month (UTC seconds,
    /// `[from, to)`); it returns `id`, `number`, then each of `columns`, named so.
    pub rows: &'static str,
    /// The columns the figures read, in the order the query returns them.
    pub columns: &'static [&'static str],
    /// The figures, in the order a report shows them.
    pub figures: &'static [FigureDef],
    /// The groupings besides the total, in the order they are offered.
    pub groups: &'static [GroupDef],
    /// Numbers taken from the settings when the figures are made, and frozen with them
    /// (a rate's target): (name, setting).
    pub params: &'static [(&'static str, &'static str)],
    /// Fixed numbers the figures name (a target the handbook fixes): (name, value).
    pub constants: &'static [(&'static str, i64)],
    /// The i18n section of its words: `<text>.title`, `<text>.pending`,
    /// `<text>.figure.<figure>`, `<text>.about.<figure>`, `<text>.by.<group>`.
    pub text: &'static str,
    /// Placeholders of the figures' labels and sentences, from `params`: (placeholder,
    /// param). A rate's own target fills `{target}`.
    pub label_args: &'static [(&'static str, &'static str)],
    /// Placeholders of the figures' sentences only, from the settings of today:
    /// (placeholder, setting).
    pub about_args: &'static [(&'static str, &'static str)],
    /// The setting giving the day of the next month the report is due.
    pub due_day: &'static str,
}

/// One figure of a report.
pub struct FigureDef {
    pub key: &'static str,
    pub kind: Kind,
    /// A row this figure picks is counted here only, in no other figure (a voided
    /// complaint, a merged duplicate).
    pub apart: bool,
}

impl FigureDef {
    pub const fn new(key: &'static str, kind: Kind) -> FigureDef {
        FigureDef { key, kind, apart: false }
    }

    /// Counted only here (see `apart`).
    pub const fn apart(mut self) -> FigureDef {
        self.apart = true;
        self
    }
}

/// What the figures are made from: the month's rows and the time they are made at.
pub struct Env<'a> {
    pub now: i64,
    /// The month's end (its next month's first moment): what was open then
    pub end: i64,
    pub settings: &'a Settings,
}

pub type Test = fn(&Row, &Env) -> bool;
pub type Measure = fn(&Row, &Env) -> Option<f64>;

/// How a figure is made.
#[derive(Clone, Copy)]
pub enum Kind {
    /// The rows the test picks; the figure is their count, and opens them.
    Cases(Test),
    /// The median of a measure, over the rows that have one.
    Median(Measure),
    /// The mean of a measure, over the rows that have one.
    Mean(Measure),
    /// A percentage: the cases of figure `part`, of the rows `of` picks, against a
    /// target (a param, frozen from the settings, or a constant, by name).
    Share { part: &'static str, of: Test, target: &'static str },
}

/// A grouping of the rows: one column per value of a row's column.
pub struct GroupDef {
    pub key: &'static str,
    pub by: GroupBy,
}

#[derive(Clone, Copy)]
pub enum GroupBy {
    /// A choice field's code, named from its list (`choice.<list>.<code>`).
    Choice { column: &'static str, list: &'static str },
    /// A department's id, named by the department.
    Department(&'static str),
    /// An operator's id, named by the operator.
    Operator(&'static str),
}

impl GroupBy {
    pub fn column(self) -> &'static str {
        match self {
            GroupBy::Choice { column, .. } | GroupBy::Department(column) | GroupBy::Operator(column) => column,
        }
    }
}

/// One value of a row, as the query gave it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Cell {
    #[default]
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// One record as a report sees it: its id, its number and the declared columns.
#[derive(Clone, Debug, Default)]
pub struct Row {
    pub id: i64,
    pub number: String,
    pub cells: Vec<(&'static str, Cell)>,
}

impl Row {
    pub fn new(id: i64, number: impl Into<String>) -> Row {
        Row { id, number: number.into(), cells: Vec::new() }
    }

    pub fn cell(&self, column: &str) -> &Cell {
        self.cells.iter().find(|(c, _)| *c == column).map(|(_, v)| v).unwrap_or(&Cell::Null)
    }

    /// Sets a column (replacing it if it has one).
    pub fn set(&mut self, column: &'static str, v: Cell) {
        match self.cells.iter_mut().find(|(c, _)| *c == column) {
            Some(x) => x.1 = v,
            None => self.cells.push((column, v)),
        }
    }

    pub fn int(&self, column: &str) -> Option<i64> {
        match self.cell(column) {
            Cell::Int(i) => Some(*i),
            Cell::Real(x) => Some(*x as i64),
            _ => None,
        }
    }

    pub fn text(&self, column: &str) -> &str {
        match self.cell(column) {
            Cell::Text(s) => s,
            _ => "",
        }
    }

    /// A yes/no column: set and not 0.
    pub fn flag(&self, column: &str) -> bool {
        self.int(column).is_some_and(|i| i != 0)
    }

    fn group_key(&self, by: GroupBy) -> GroupKey {
        match by {
            GroupBy::Choice { column, .. } => GroupKey::Text(self.text(column).to_string()),
            GroupBy::Department(c) | GroupBy::Operator(c) => GroupKey::Id(self.int(c)),
        }
    }
}

/// One figure's value: the cases behind it, or a number made from them.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum FigureValue {
    Cases(Vec<i64>),
    Number(Option<f64>),
}

/// The figures for one group of rows, by figure key, with the params they were made
/// with; a figure missing (a copy frozen before it existed) reads as none.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(transparent)]
pub struct Figures(pub BTreeMap<String, FigureValue>);

impl Figures {
    /// The cases behind a figure (none for the computed ones).
    pub fn ids(&self, figure: &str) -> &[i64] {
        match self.0.get(figure) {
            Some(FigureValue::Cases(ids)) => ids,
            _ => &[],
        }
    }

    /// A computed figure or a param; None when there was nothing to compute it from.
    pub fn number(&self, key: &str) -> Option<f64> {
        match self.0.get(key) {
            Some(FigureValue::Number(x)) => *x,
            _ => None,
        }
    }
}

/// The key of a group's column: a code, or an id (None: the rows without one).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(untagged)]
pub enum GroupKey {
    Text(String),
    Id(Option<i64>),
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Report {
    /// `YYYY-MM`
    pub month: String,
    pub total: Figures,
    /// Each grouping's columns, under `by_<group>`.
    #[serde(flatten)]
    pub groups: BTreeMap<String, Vec<(GroupKey, Figures)>>,
    /// The number of every record in the report, by row id.
    pub numbers: BTreeMap<i64, String>,
}

impl Report {
    /// A record's number (its row id if the report does not know it).
    pub fn number(&self, id: i64) -> String {
        self.numbers.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
    }

    /// A grouping's columns (none if the report has not got it).
    pub fn group(&self, key: &str) -> &[(GroupKey, Figures)] {
        self.groups.get(&format!("by_{key}")).map(Vec::as_slice).unwrap_or(&[])
    }
}

impl ReportDef {
    pub fn figure(&self, key: &str) -> Option<&FigureDef> {
        self.figures.iter().find(|f| f.key == key)
    }

    /// A param as frozen with the figures, or a constant.
    pub fn param(&self, f: &Figures, name: &str) -> i64 {
        match self.constants.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => *v,
            None => f.number(name).unwrap_or(0.0) as i64,
        }
    }

    /// The target a rate is measured against, percent.
    pub fn target(&self, f: &Figures, figure: &str) -> Option<i64> {
        match self.figure(figure)?.kind {
            Kind::Share { target, .. } => Some(self.param(f, target)),
            _ => None,
        }
    }

    fn computed(&self, figure: &str) -> bool {
        self.figure(figure).is_some_and(|d| !matches!(d.kind, Kind::Cases(_)))
    }

    /// A figure as a bare number, for CSV.
    pub fn raw(&self, f: &Figures, figure: &str) -> String {
        if self.computed(figure) {
            f.number(figure).map(|x| format!("{x:.1}")).unwrap_or_default()
        } else {
            f.ids(figure).len().to_string()
        }
    }

    /// A figure as text: a count, days, a percentage or an average; "—" when there is
    /// nothing to compute it from.
    pub fn show(&self, f: &Figures, figure: &str) -> String {
        let unit = if self.target(f, figure).is_some() { "%" } else { "" };
        if self.computed(figure) {
            f.number(figure).map(|x| format!("{x:.1}{unit}")).unwrap_or_else(|| "—".into())
        } else {
            f.ids(figure).len().to_string()
        }
    }

    /// The placeholders of a figure's label (and, with the settings, of its sentence).
    pub fn args(&self, f: &Figures, figure: &str, s: Option<&Settings>) -> Vec<(&'static str, String)> {
        let mut a: Vec<(&'static str, String)> =
            self.label_args.iter().map(|(p, name)| (*p, self.param(f, name).to_string())).collect();
        if let Some(t) = self.target(f, figure) {
            match a.iter_mut().find(|(p, _)| *p == "target") {
                Some(x) => x.1 = t.to_string(),
                None => a.push(("target", t.to_string())),
            }
        }
        if let Some(s) = s {
            a.extend(self.about_args.iter().map(|(p, key)| (*p, s.int(key).to_string())));
        }
        a
    }

    /// The i18n keys of a figure's label and sentence, and of a grouping's name.
    pub fn label_key(&self, figure: &str) -> String {
        format!("{}.figure.{figure}", self.text)
    }

    pub fn about_key(&self, figure: &str) -> String {
        format!("{}.about.{figure}", self.text)
    }

    /// `total` for the total, else a grouping's key.
    pub fn group_key(&self, group: &str) -> String {
        format!("{}.by.{group}", self.text)
    }

    /// The tabs of the report: the total, then each grouping.
    pub fn tabs(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once("total").chain(self.groups.iter().map(|g| g.key))
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

/// The figures for a set of rows (a row an `apart` figure picks is counted there only).
pub fn figures(def: &ReportDef, rows: &[&Row], env: &Env) -> Figures {
    let (apart, rest): (Vec<&FigureDef>, Vec<&FigureDef>) = def.figures.iter().partition(|f| f.apart);
    let mut cases: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    let mut measures: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut wholes: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        let picked: Vec<&str> =
            apart.iter().filter(|f| matches!(f.kind, Kind::Cases(t) if t(r, env))).map(|f| f.key).collect();
        if !picked.is_empty() {
            picked.into_iter().for_each(|k| cases.entry(k).or_default().push(r.id));
            continue;
        }
        for f in &rest {
            match f.kind {
                Kind::Cases(t) if t(r, env) => cases.entry(f.key).or_default().push(r.id),
                Kind::Median(m) | Kind::Mean(m) => measures.entry(f.key).or_default().extend(m(r, env)),
                Kind::Share { of, .. } if of(r, env) => *wholes.entry(f.key).or_default() += 1,
                _ => {}
            }
        }
    }
    let mut out = BTreeMap::new();
    for f in def.figures {
        let v = match f.kind {
            Kind::Cases(_) => FigureValue::Cases(cases.remove(f.key).unwrap_or_default()),
            Kind::Median(_) => FigureValue::Number(median(measures.remove(f.key).unwrap_or_default())),
            Kind::Mean(_) => {
                let xs = measures.remove(f.key).unwrap_or_default();
                FigureValue::Number((!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64))
            }
            Kind::Share { part, .. } => {
                let n = match out.get(part) {
                    Some(FigureValue::Cases(ids)) => ids.len(),
                    _ => cases.get(part).map(Vec::len).unwrap_or(0),
                };
                FigureValue::Number(rate(n, wholes.get(f.key).copied().unwrap_or(0)))
            }
        };
        out.insert(f.key.to_string(), v);
    }
    for (name, key) in def.params {
        out.insert(name.to_string(), FigureValue::Number(Some(env.settings.int(key) as f64)));
    }
    Figures(out)
}

/// The month's report (`end` is the month's end, as `month_bounds` gives it): the total
/// and every grouping the report declares.
pub fn report(def: &ReportDef, month: &str, end: i64, rows: &[Row], now: i64, s: &Settings) -> Report {
    let env = Env { now, end, settings: s };
    let all: Vec<&Row> = rows.iter().collect();
    let groups = def
        .groups
        .iter()
        .map(|g| {
            let mut keys: Vec<GroupKey> = rows.iter().map(|r| r.group_key(g.by)).collect();
            keys.sort();
            keys.dedup();
            let cols = keys
                .into_iter()
                .map(|k| {
                    let members: Vec<&Row> = rows.iter().filter(|r| r.group_key(g.by) == k).collect();
                    let f = figures(def, &members, &env);
                    (k, f)
                })
                .collect();
            (format!("by_{}", g.key), cols)
        })
        .collect();
    Report {
        month: month.to_string(),
        total: figures(def, &all, &env),
        groups,
        numbers: rows.iter().filter(|r| !r.number.is_empty()).map(|r| (r.id, r.number.clone())).collect(),
    }
}

/// Rule C13: the figures that read differently now from those frozen when the month was
/// submitted.
/// A figure the frozen copy does not hold (declared after it was made) has not changed.
pub fn changed(def: &ReportDef, frozen: &Figures, now: &Figures) -> Vec<&'static str> {
    def.figures
        .iter()
        .map(|f| f.key)
        .filter(|f| frozen.0.contains_key(*f) && def.show(frozen, f) != def.show(now, f))
        .collect()
}

/// Rule C13: the report for `month` is due on this day of the next month (local date).
pub fn due_date(def: &ReportDef, month: chrono::NaiveDate, s: &Settings) -> chrono::NaiveDate {
    let next = month.checked_add_months(chrono::Months::new(1)).unwrap_or(month);
    next.with_day0(0).and_then(|d| d.with_day(s.int(def.due_day).clamp(1, 28) as u32)).unwrap_or(next)
}

/// Every report the registers declare.
pub fn declared() -> impl Iterator<Item = &'static ReportDef> {
    super::REGISTERS.iter().filter_map(|r| r.report)
}

/// `2026-11` -> the first day of that month.
pub fn parse_month(s: &str) -> Option<chrono::NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
}

pub fn format_month(first: chrono::NaiveDate) -> String {
    first.format("%Y-%m").to_string()
}

/// The months (`YYYY-MM`) whose figures these records count in: the month each falls in
/// by the report's time field, in the office's local time.
pub fn months_of<'a>(
    rep: &ReportDef,
    def: &super::RegisterDef,
    records: impl IntoIterator<Item = &'a [super::Value]>,
    offset: i32,
) -> std::collections::BTreeSet<String> {
    records
        .into_iter()
        .filter_map(|v| def.value(v, rep.time).as_i64())
        .map(|t| super::register::to_local(t, offset).format("%Y-%m").to_string())
        .collect()
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
    def: &ReportDef,
    today: chrono::NaiveDate,
    submitted: bool,
    s: &Settings,
) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    if submitted {
        return None;
    }
    let this = today.with_day(1)?;
    let prev = this.checked_sub_months(chrono::Months::new(1))?;
    Some((prev, due_date(def, prev, s)))
}

/// How many ended months the reminder looks back at most.
pub const PENDING_MONTHS: u32 = 12;

/// Rule C13: every ended month whose report is not submitted, oldest first, with its due
/// date: from the month of the first complaint (`first`; last month when there is none),
/// and at most the last [`PENDING_MONTHS`].
pub fn pending_months(
    def: &ReportDef,
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
            out.push((m, due_date(def, m, s)));
        }
        match m.checked_add_months(chrono::Months::new(1)) {
            Some(n) => m = n,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A register the engine has never heard of: repairs, with a first-time-fix rate
    /// against a setting and cancelled orders counted apart.
    static REPAIRS: ReportDef = ReportDef {
        key: "repairs",
        register: "repair",
        time: "received_at",
        rows: "",
        columns: &["step", "visits", "engineer_id"],
        figures: &[
            FigureDef::new("done", Kind::Cases(|r, _| r.text("step") == "done")),
            FigureDef::new("first_time", Kind::Cases(|r, _| r.text("step") == "done" && r.int("visits") == Some(1))),
            FigureDef::new(
                "first_time_rate",
                Kind::Share { part: "first_time", of: |r, _| r.text("step") == "done", target: "first_time_target" },
            ),
            FigureDef::new("visits", Kind::Mean(|r, _| r.int("visits").map(|v| v as f64))),
            FigureDef::new("cancelled", Kind::Cases(|r, _| r.text("step") == "cancelled")).apart(),
        ],
        groups: &[GroupDef { key: "engineer", by: GroupBy::Operator("engineer_id") }],
        params: &[],
        constants: &[("first_time_target", 90)],
        text: "repair_stats",
        label_args: &[],
        about_args: &[],
        due_day: super::super::settings::REPORT_DUE_DAY,
    };

    fn order(id: i64, step: &str, visits: i64, engineer: i64) -> Row {
        let mut r = Row::new(id, format!("R-2026-{id:06}"));
        r.set("step", Cell::Text(step.into()));
        r.set("visits", Cell::Int(visits));
        r.set("engineer_id", Cell::Int(engineer));
        r
    }

    #[test]
    fn any_register_declares_its_own_figures() {
        let rows =
            [order(1, "done", 1, 7), order(2, "done", 2, 7), order(3, "cancelled", 1, 8), order(4, "done", 1, 8)];
        let r = report(&REPAIRS, "2026-11", i64::MAX, &rows, 0, &Settings::default());
        assert_eq!(r.total.ids("done"), [1, 2, 4]);
        assert_eq!(r.total.ids("cancelled"), [3], "counted apart, in no other figure");
        assert_eq!(REPAIRS.show(&r.total, "first_time_rate"), "66.7%");
        assert_eq!(REPAIRS.target(&r.total, "first_time_rate"), Some(90));
        assert_eq!(REPAIRS.show(&r.total, "visits"), "1.3");
        let by: Vec<_> = r.group("engineer").iter().map(|(k, f)| (k.clone(), f.ids("done").len())).collect();
        assert_eq!(by, [(GroupKey::Id(Some(7)), 2), (GroupKey::Id(Some(8)), 1)]);
        assert_eq!(r.number(4), "R-2026-000004");
        assert_eq!(REPAIRS.tabs().collect::<Vec<_>>(), ["total", "engineer"]);
        assert_eq!(REPAIRS.label_key("visits"), "repair_stats.figure.visits");
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
}
