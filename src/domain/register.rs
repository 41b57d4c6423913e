//! The register engine's declarations: a register is its fields, its list columns, its
//! filters and its own rules. The form, list, search, numbering, audit and CSV are
//! written once against these.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};

use super::value::Value;
use super::{Msg, Settings, phone, text, when};

/// What a lookup field names: a record of some register (by number and title), an
/// operator or a department. The engine names no register of its own: each field says
/// which register it points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Record(&'static RegisterDef),
    Operator,
    Department,
}

impl Lookup {
    /// The register whose records this lookup names, if it names records.
    pub fn register(self) -> Option<&'static RegisterDef> {
        match self {
            Lookup::Record(def) => Some(def),
            Lookup::Operator | Lookup::Department => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text {
        max: usize,
    },
    Multi {
        max: usize,
    },
    Int {
        min: i64,
        max: i64,
    },
    Money,
    /// One phone number, stored normalised.
    Phone,
    /// Several phone numbers, stored normalised and comma-separated.
    Phones,
    DateTime,
    Date,
    /// A closed list of codes; labels come from `choice.<list>.<code>`.
    Choice {
        list: &'static str,
        codes: &'static [&'static str],
    },
    YesNo,
    Lookup(Lookup),
    /// A password: shown masked, never trimmed, never stored by the engine.
    Secret,
    /// Any number of codes from a closed list, stored comma-separated.
    Flags {
        list: &'static str,
        codes: &'static [&'static str],
    },
    /// Line items: a row per line, its cells separated by `|`, each checked as its
    /// column's kind (parts used on a repair, R8); labels `items.<list>.<column>`.
    Items {
        list: &'static str,
        columns: &'static [super::items::Column],
        max_rows: usize,
    },
}

impl FieldKind {
    pub fn is_text_input(self) -> bool {
        !matches!(self, FieldKind::Choice { .. } | FieldKind::YesNo | FieldKind::Flags { .. })
    }
    pub fn is_multiline(self) -> bool {
        matches!(self, FieldKind::Multi { .. } | FieldKind::Items { .. })
    }
}

#[derive(Clone, Copy, Debug)]
pub struct FieldDef {
    pub key: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// Width in the list, 0 = not a list column.
    pub list_width: u16,
    /// Part of the search index.
    pub search: bool,
    /// Set by the program, shown but not typed.
    pub readonly: bool,
    /// Offer records of this kind while typing (e.g. customer cards for a visitor's name).
    pub suggest: Option<Lookup>,
    /// What a new form holds: a literal, `@now` (the current time) or `@me` (the operator).
    pub default: Option<&'static str>,
    /// Starts a titled group of fields in the form (`section.<register>.<name>`).
    pub section: Option<&'static str>,
    /// Kept for the program (a link's id, a sort key), never shown in a form.
    pub hidden: bool,
    /// Changing this field on a saved record needs this permission (a grade's review).
    pub guard: Option<super::Permission>,
    /// An operator field names only someone holding one of these roles (a handler, a
    /// technician for a repair, R3); empty: any operator.
    pub among: &'static [super::Role],
    /// Required once another field holds this code (the written reply, once the reply is
    /// given in writing): (field, code).
    pub required_when: Option<(&'static str, &'static str)>,
}

impl FieldDef {
    pub const fn new(key: &'static str, kind: FieldKind) -> FieldDef {
        FieldDef {
            key,
            kind,
            required: false,
            list_width: 0,
            search: false,
            readonly: false,
            suggest: None,
            default: None,
            section: None,
            hidden: false,
            guard: None,
            among: &[],
            required_when: None,
        }
    }
    pub const fn required_when(mut self, field: &'static str, code: &'static str) -> Self {
        self.required_when = Some((field, code));
        self
    }
    pub const fn among(mut self, roles: &'static [super::Role]) -> Self {
        self.among = roles;
        self
    }
    pub const fn guarded(mut self, p: super::Permission) -> Self {
        self.guard = Some(p);
        self
    }
    pub const fn hidden(mut self) -> Self {
        self.hidden = true;
        self.readonly = true;
        self
    }
    pub const fn section(mut self, name: &'static str) -> Self {
        self.section = Some(name);
        self
    }
    pub const fn default(mut self, v: &'static str) -> Self {
        self.default = Some(v);
        self
    }
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub const fn list(mut self, width: u16) -> Self {
        self.list_width = width;
        self
    }
    pub const fn search(mut self) -> Self {
        self.search = true;
        self
    }
    pub const fn readonly(mut self) -> Self {
        self.readonly = true;
        self
    }
    pub const fn suggest(mut self, l: Lookup) -> Self {
        self.suggest = Some(l);
        self
    }
}

/// A list filter, stated as data; the store turns it into SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    All,
    NotVoided,
    Voided,
    /// A yes/no field is yes.
    IsTrue(&'static str),
    /// A field holds anything.
    IsSet(&'static str),
    /// A choice field has this code.
    Is(&'static str, &'static str),
    /// A time field falls within the operator's local today.
    Today(&'static str),
    /// The record is not finished (its workflow is not at a final step).
    Open,
    /// A time field is past and the record is not finished.
    Overdue(&'static str),
    /// A time field is past while the record is at this step.
    OverdueAt(&'static str, &'static str),
    /// A lookup field names the operator at the keyboard.
    Mine(&'static str),
    /// The same, of records not finished: what is still theirs to do.
    MineOpen(&'static str),
    /// A link field points at this record.
    Ref(&'static str, i64),
}

#[derive(Clone, Copy, Debug)]
pub struct FilterDef {
    pub key: &'static str,
    pub cond: Cond,
}

/// A condition the operator sets on a list: a field equal to a value, or a time field
/// at or after, or before, a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Narrow {
    pub field: &'static str,
    pub op: NarrowOp,
    pub value: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NarrowOp {
    Eq,
    AtLeast,
    Below,
}

/// The form for narrowing a register's list, and what its answers mean.
#[derive(Clone, Copy)]
pub struct NarrowDef {
    pub fields: &'static [FieldDef],
    pub build: fn(&[Value], i32) -> Vec<Narrow>,
}

/// A mark a list puts before a row's number when `on` holds for the record.
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    pub symbol: &'static str,
    pub on: fn(&[Value]) -> bool,
}

/// (field, value) pairs taken from a linked record's values (None: no link).
pub type CopyFn = fn(Option<&[Value]>) -> Vec<(&'static str, Value)>;

/// A field-level problem found by a register's own rules.
pub type Problems = Vec<(&'static str, Msg)>;

/// Facts derived from a record's values, shown beside the form (e.g. rule I1's budget).
pub type Derived = Vec<Msg>;

/// Derived facts that need the clock or the office's day (a warranty's end, R9).
pub type DerivedAtFn = fn(&[Value], &Settings, &Context) -> Derived;

#[derive(Clone, Copy)]
pub struct RegisterDef {
    /// Stable name, used in the CLI, audit rows and i18n keys.
    pub name: &'static str,
    /// Number prefix, e.g. `V` for `V-2026-000123`.
    pub prefix: &'static str,
    /// The field that names a record beside its number (in lookups and links).
    pub title: &'static str,
    pub table: &'static str,
    pub fields: &'static [FieldDef],
    pub filters: &'static [FilterDef],
    /// Cross-field rules, run before every save.
    pub check: fn(&Record, &Settings, &Context) -> Problems,
    pub derived: fn(&[Value], &Settings) -> Derived,
    /// Derived facts that need the clock or the office's day (a warranty's end, R9).
    pub derived_at: Option<DerivedAtFn>,
    /// List columns to leave out first when the terminal is narrow.
    pub narrow_drop: &'static [&'static str],
    /// A record of another register this one links to, created from the entry when
    /// the operator picked none (a visitor's customer card).
    pub link: Option<LinkDef>,
    /// What picking a suggested record (a customer card) fills in.
    pub pick: Option<PickDef>,
    /// Values a save fills in itself before the rules run (a new grade is provisional).
    pub prepare: Option<fn(&mut [Value], &Context, &Settings)>,
    /// Values copied from the record a link field points at, on every save.
    pub inherit: Option<Inherit>,
    /// The fields a list can be narrowed by (department, handler, dates...).
    pub narrow: Option<NarrowDef>,
    /// How a new record finds earlier records of the same matter (rule C15).
    pub dedupe: Option<Dedupe>,
    /// The steps a record goes through, if it is a case rather than a register line.
    pub workflow: Option<&'static super::workflow::Workflow>,
    /// A column that sorts before the id (higher first): cases that must be seen first.
    pub rank: Option<&'static str>,
    /// The deadlines a record may owe, each kept in a field (rules C7, C10, C11, C18).
    pub deadlines: &'static [super::deadline::Deadline],
    /// Marks before a row's number that say why it stands out (a major case, a key
    /// customer's), explained by the list's legend `list.legend_<register>`.
    pub marks: &'static [Mark],
    /// Who may view, create, edit, void, export and import (rule I6, A14, C12).
    pub access: super::access::Access,
    /// Changes to a saved record that need a role and a reason (clearing a major flag,
    /// correcting a decided case's card): (before, after, the operator's roles).
    pub guard: GuardFn,
    /// Records some people must see at once, on Today (rule C11's major complaints).
    pub urgent: Option<Urgent>,
    /// The record of another register this one comes from, named by its number (a
    /// callback's case): how an import finds it.
    pub source: Option<SourceRef>,
    /// The register's monthly report, if it has one (rule C13's complaint statistics).
    pub report: Option<&'static super::stats::ReportDef>,
}

/// Fields naming the record a record comes from: its number (shown), its register and
/// its id (kept for the program).
#[derive(Clone, Copy, Debug)]
pub struct SourceRef {
    pub number: &'static str,
    pub register: &'static str,
    pub id: &'static str,
}

/// Records to put before people at once: those whose `field` holds `value`; everyone
/// holding one of `all` sees all of them, everyone holding one of `own` those of their
/// own department (named in `department`).
#[derive(Clone, Copy, Debug)]
pub struct Urgent {
    /// i18n key of the panel's title.
    pub title: &'static str,
    pub field: &'static str,
    pub value: i64,
    pub department: &'static str,
    pub all: &'static [super::Role],
    pub own: &'static [super::Role],
}

pub type GuardFn = fn(&Record, &Record, &[super::Role], &Settings, &Context) -> Problems;

pub fn no_guard(_: &Record, _: &Record, _: &[super::Role], _: &Settings, _: &Context) -> Problems {
    Vec::new()
}

impl RegisterDef {
    /// A register with its fields and access, and no hooks: a plain register line. A
    /// register states only what differs (`RegisterDef { check, ..RegisterDef::new(..) }`).
    pub const fn new(
        name: &'static str,
        prefix: &'static str,
        title: &'static str,
        fields: &'static [FieldDef],
        access: super::access::Access,
    ) -> RegisterDef {
        RegisterDef {
            name,
            prefix,
            title,
            table: name,
            fields,
            filters: &[FilterDef { key: "filter.all", cond: Cond::All }],
            check: no_check,
            derived: no_derived,
            derived_at: None,
            narrow_drop: &[],
            link: None,
            pick: None,
            prepare: None,
            inherit: None,
            narrow: None,
            dedupe: None,
            workflow: None,
            rank: None,
            deadlines: &[],
            marks: &[],
            access,
            guard: no_guard,
            urgent: None,
            source: None,
            report: None,
        }
    }
}

/// Earlier records of the same matter: any of some fields the same (customer, phone or
/// subject of a complaint; unit or serial of a repair), within a number of days (a setting).
#[derive(Clone, Copy)]
pub struct Dedupe {
    /// Fields any one of which, equal, makes an earlier record the same matter.
    pub matches: &'static [&'static str],
    /// A text field whose distinctive terms (a plate, a serial inside a longer subject)
    /// also find earlier records; empty: none.
    pub terms: &'static str,
    /// The field naming who an earlier record is from, shown beside it.
    pub who: &'static str,
    /// The field of the new record naming the earlier one.
    pub link: &'static str,
    /// The time field the window counts from.
    pub at: &'static str,
    pub days: &'static str,
    /// How recently a finished record may be reopened, and how (None: linking only, as a
    /// repeat repair names the earlier job and is a job of its own).
    pub reopen_days: &'static str,
    pub reopen: Option<fn(&mut [Value], &Context, &Settings)>,
    /// Marks the new record as merged into the earlier one (None: it stays a record of
    /// its own that names the earlier one).
    pub merged: Option<fn(&mut [Value])>,
}

#[derive(Clone, Copy)]
pub struct Inherit {
    pub field: &'static str,
    pub target: &'static RegisterDef,
    /// (field, value) pairs from the linked record's values (None: no link).
    pub copy: CopyFn,
}

/// The fields a picked suggestion fills in, for suggestions of one lookup only.
#[derive(Clone, Copy, Debug)]
pub struct PickDef {
    pub from: Lookup,
    /// (this register's field, the picked record's field); `@record` is the record itself.
    pub fills: &'static [(&'static str, &'static str)],
}

#[derive(Clone, Copy)]
pub struct LinkDef {
    /// This register's field holding the linked record's id.
    pub field: &'static str,
    pub target: &'static RegisterDef,
    /// This register's phone field, used to find an existing record first.
    pub phone: &'static str,
    /// The new linked record's values built from this entry (made by the operator `actor`),
    /// if it has enough to build one.
    pub build: fn(&[Value], &Settings, i64) -> Option<Vec<Value>>,
}

impl std::fmt::Debug for RegisterDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for RegisterDef {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for RegisterDef {}

impl RegisterDef {
    pub fn index(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }
    pub fn field(&self, key: &str) -> Option<&'static FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }
    pub fn value<'a>(&self, values: &'a [Value], key: &str) -> &'a Value {
        static NULL: Value = Value::Null;
        self.index(key).and_then(|i| values.get(i)).unwrap_or(&NULL)
    }
    /// How a record is named in a lookup: its title and number.
    pub fn record_label(&self, r: &Record) -> String {
        format!("{} {}", self.value(&r.values, self.title).as_text().unwrap_or(""), r.number)
    }

    /// Sets a field of a record's values by its key (no-op for a key it does not have).
    /// Adds a line at the end of a log field (a late step, an earlier round, a failed
    /// call): what it held stays as it was.
    pub fn append_line(&self, values: &mut [Value], key: &str, line: &str) {
        let log = match self.value(values, key).as_text() {
            Some(old) => format!("{old}\n{line}"),
            None => line.to_string(),
        };
        self.set(values, key, Value::Text(log));
    }

    pub fn set(&self, values: &mut [Value], key: &str, v: Value) {
        if let Some(i) = self.index(key) {
            values[i] = v;
        }
    }

    pub fn label_key(&self, field: &str) -> String {
        format!("field.{}.{}", self.name, field)
    }
}

/// A saved record as the engine sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub id: i64,
    pub number: String,
    pub version: i64,
    pub values: Vec<Value>,
    pub created_at: i64,
    pub created_by: i64,
    pub updated_at: Option<i64>,
    pub updated_by: Option<i64>,
    pub voided: Option<Voided>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voided {
    pub at: i64,
    pub by: i64,
    pub reason: String,
}

/// What rules need to know besides the record itself.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// Now, UTC seconds.
    pub now: i64,
    /// The operator's local offset from UTC, seconds.
    pub offset: i32,
    /// The record is new (not yet saved).
    pub new: bool,
    /// The workflow step this save completes, if any.
    pub step: Option<&'static str>,
    /// The operator saving.
    pub actor: i64,
    /// The operator's roles: which confidential records they may see (rule A7). None:
    /// they see no confidential record.
    pub roles: super::roles::Roles,
}

impl Context {
    pub fn new(now: i64, offset: i32) -> Context {
        Context { now, offset, new: true, step: None, actor: 0, roles: super::roles::Roles::NONE }
    }

    pub fn local_now(&self) -> NaiveDateTime {
        to_local(self.now, self.offset)
    }
}

pub fn to_local(utc: i64, offset: i32) -> NaiveDateTime {
    chrono::DateTime::from_timestamp(utc + offset as i64, 0).unwrap_or_default().naive_utc()
}

pub fn from_local(local: NaiveDateTime, offset: i32) -> i64 {
    chrono::Utc.from_utc_datetime(&local).timestamp() - offset as i64
}

/// How far a time recorded as past may lie ahead of this terminal's clock (terminals'
/// clocks drift apart a little): 15 minutes.
pub const CLOCK_DRIFT: i64 = 15 * 60;

/// A time recorded as having happened (a visit, a receipt, a stamp) is not in the
/// future: the one check, and its one message.
pub fn in_future(t: i64, now: i64) -> Option<Msg> {
    (t > now + CLOCK_DRIFT).then(|| Msg::new("err.time_future"))
}

/// A field error's message.
pub type FieldError = Msg;

/// Turns what the operator typed into a value. `lookup` is the id chosen from type-ahead.
pub fn parse(kind: FieldKind, raw: &str, lookup: Option<i64>, ctx: &Context) -> Result<Value, FieldError> {
    if kind == FieldKind::Secret {
        return Ok(if raw.is_empty() { Value::Null } else { Value::Text(raw.to_string()) });
    }
    let multiline = kind.is_multiline();
    let clean = text::sanitize(raw, multiline);
    let s = clean.trim();
    if s.is_empty() {
        return match kind {
            FieldKind::YesNo => Ok(Value::Bool(false)),
            _ => Ok(Value::Null),
        };
    }
    match kind {
        FieldKind::Items { list, columns, max_rows } => {
            super::items::parse_rows(list, columns, max_rows, s, ctx).map(Value::Text)
        }
        FieldKind::Text { max } | FieldKind::Multi { max } => {
            let n = text::char_count(s);
            if n > max {
                Err(Msg::new("err.text.too_long").with("max", max).with("len", n))
            } else {
                Ok(Value::Text(s.to_string()))
            }
        }
        FieldKind::Int { min, max } => match text::ascii_digits(s).parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(Value::Int(v)),
            Ok(_) => Err(Msg::new("err.number.range").with("min", min).with("max", max)),
            Err(_) => Err(Msg::new("err.number.invalid")),
        },
        FieldKind::Money => parse_money(&text::ascii_digits(s)).map(Value::Money),
        FieldKind::Phone => match phone::normalize(s) {
            Some(p) => Ok(Value::Text(p)),
            None => Err(Msg::new("err.phone.invalid").with("part", s)),
        },
        FieldKind::Phones => match phone::split_phones(s) {
            Ok(list) if list.is_empty() => Ok(Value::Null),
            Ok(list) => Ok(Value::Text(list.join(","))),
            Err(phone::PhoneError::Invalid { part }) => Err(Msg::new("err.phone.invalid").with("part", part)),
            Err(e) => Err(Msg::new(e.key())),
        },
        FieldKind::DateTime => match when::parse_datetime(s, ctx.local_now()) {
            Ok(dt) => Ok(Value::Time(from_local(dt, ctx.offset))),
            Err(e) => Err(Msg::new(e.key())),
        },
        FieldKind::Date => match when::parse_date(s, ctx.local_now().date()) {
            Ok(d) => Ok(Value::Date(chrono::Datelike::num_days_from_ce(&d))),
            // a day's own examples, with no time of day
            Err(when::WhenError::Invalid) => Err(Msg::new("err.date.invalid_day")),
            Err(e) => Err(Msg::new(e.key())),
        },
        FieldKind::Choice { codes, .. } => {
            if codes.contains(&s) {
                Ok(Value::Text(s.to_string()))
            } else {
                Err(Msg::new("err.choice.invalid"))
            }
        }
        FieldKind::Flags { codes, .. } => {
            let mut out = Vec::new();
            for part in s.split([',', ' ']).filter(|p| !p.is_empty()) {
                if !codes.contains(&part) {
                    return Err(Msg::new("err.choice.invalid"));
                }
                if !out.contains(&part) {
                    out.push(part);
                }
            }
            // kept in the list's own order, so equal sets compare equal
            out.sort_by_key(|c| codes.iter().position(|k| k == c));
            Ok(if out.is_empty() { Value::Null } else { Value::Text(out.join(",")) })
        }
        FieldKind::YesNo => match s.to_lowercase().as_str() {
            "y" | "yes" | "1" | "true" | "是" => Ok(Value::Bool(true)),
            "n" | "no" | "0" | "false" | "否" => Ok(Value::Bool(false)),
            _ => Err(Msg::new("err.yesno.invalid")),
        },
        FieldKind::Lookup(_) => match lookup {
            Some(id) => Ok(Value::Ref(id)),
            None => Err(Msg::new("err.lookup.pick")),
        },
        FieldKind::Secret => Ok(Value::Text(raw.to_string())),
    }
}

/// Money typed as `1234`, `1,234.5`, `¥1234.50`: cents.
pub fn parse_money(s: &str) -> Result<i64, FieldError> {
    let t: String = s.chars().filter(|c| !matches!(c, ',' | '，' | '¥' | '￥' | ' ' | '$')).collect();
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    let neg = whole.starts_with('-');
    let whole = whole.trim_start_matches('-');
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 12
    {
        return Err(Msg::new("err.money.invalid"));
    }
    let w: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| Msg::new("err.money.invalid"))? };
    let f: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    let cents = w * 100 + f;
    Ok(if neg { -cents } else { cents })
}

pub fn format_money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.abs();
    if c % 100 == 0 { format!("{sign}{}", c / 100) } else { format!("{sign}{}.{:02}", c / 100, c % 100) }
}

/// The text to put back into a field for editing (the inverse of `parse`). Lookups and
/// choices are shown by the caller, who knows their labels.
pub fn format(kind: FieldKind, v: &Value, offset: i32) -> String {
    match (kind, v) {
        (_, Value::Null) => String::new(),
        (FieldKind::Phones, Value::Text(s)) => s.split(',').map(phone::display).collect::<Vec<_>>().join(", "),
        (FieldKind::Phone, Value::Text(s)) => phone::display(s),
        (_, Value::Text(s)) => s.clone(),
        (_, Value::Int(i)) => i.to_string(),
        (_, Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        (_, Value::Time(t)) => when::format_datetime(to_local(*t, offset)),
        (_, Value::Date(d)) => NaiveDate::from_num_days_from_ce_opt(*d).map(when::format_date).unwrap_or_default(),
        (_, Value::Money(c)) => format_money(*c),
        (_, Value::Ref(id)) => id.to_string(),
    }
}

/// Checks required fields and runs the register's own rules.
pub fn check_record(def: &RegisterDef, rec: &Record, settings: &Settings, ctx: &Context) -> Problems {
    let mut out: Problems = Vec::new();
    for (f, v) in def.fields.iter().zip(&rec.values) {
        if f.required && v.is_null() {
            out.push((f.key, Msg::new("err.required")));
        }
    }
    out.extend((def.check)(rec, settings, ctx));
    // required because of another field, unless the register said more about it already
    for (f, v) in def.fields.iter().zip(&rec.values) {
        let when = f.required_when.is_some_and(|(k, code)| def.value(&rec.values, k).as_text() == Some(code));
        if when && v.is_null() && !out.iter().any(|(k, _)| *k == f.key) {
            out.push((f.key, Msg::new("err.required")));
        }
    }
    out
}

/// The text the search index holds for a record: its number and searchable fields, phones
/// also as plain digits so any fragment of them is found.
pub fn search_text(def: &RegisterDef, number: &str, values: &[Value]) -> String {
    let mut parts = vec![number.to_string()];
    for (f, v) in def.fields.iter().zip(values) {
        if !f.search {
            continue;
        }
        if let Value::Text(s) = v {
            parts.push(s.replace(',', " "));
            if matches!(f.kind, FieldKind::Phone | FieldKind::Phones) {
                // digits alone too, so a fragment typed without separators is found
                let digits: String = s.chars().filter(|c| c.is_ascii_digit() || *c == ',').collect();
                if digits != *s {
                    parts.push(digits.replace(',', " "));
                }
            }
        }
    }
    parts.join(" ")
}

pub fn no_check(_: &Record, _: &Settings, _: &Context) -> Problems {
    Vec::new()
}

pub fn no_derived(_: &[Value], _: &Settings) -> Derived {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Context {
        // 2026-11-27 10:15 at UTC+8
        Context::new(1_795_745_700, 8 * 3600)
    }

    #[test]
    fn money_parses_and_formats() {
        assert_eq!(parse_money("1,234.5").unwrap(), 123_450);
        assert_eq!(parse_money("¥300").unwrap(), 30_000);
        assert!(parse_money("12.345").is_err());
        assert!(parse_money("abc").is_err());
        assert_eq!(format_money(123_450), "1234.50");
        assert_eq!(format_money(30_000), "300");
    }

    #[test]
    fn text_is_sanitised_and_limited() {
        let k = FieldKind::Text { max: 4 };
        assert_eq!(parse(k, "王\x1b[31m小明", None, &ctx()).unwrap(), Value::Text("王小明".into()));
        assert_eq!(parse(k, "王小明王小", None, &ctx()).unwrap_err().key, "err.text.too_long");
    }

    #[test]
    fn datetime_round_trips_through_local_time() {
        let c = ctx();
        let v = parse(FieldKind::DateTime, "2026-11-27 14:30", None, &c).unwrap();
        assert_eq!(format(FieldKind::DateTime, &v, c.offset), "2026-11-27 14:30");
        let Value::Time(t) = v else { panic!() };
        // 14:30 at UTC+8 is 06:30 UTC
        assert_eq!(chrono::DateTime::from_timestamp(t, 0).unwrap().format("%H:%M").to_string(), "06:30");
    }

    #[test]
    fn bad_input_says_why() {
        let c = ctx();
        assert_eq!(parse(FieldKind::Phone, "12ab", None, &c).unwrap_err().key, "err.phone.invalid");
        assert_eq!(parse(FieldKind::Int { min: 1, max: 9 }, "10", None, &c).unwrap_err().key, "err.number.range");
        assert_eq!(
            parse(FieldKind::Lookup(Lookup::Record(&crate::domain::customer::REGISTER)), "王", None, &c)
                .unwrap_err()
                .key,
            "err.lookup.pick"
        );
        assert!(parse(FieldKind::DateTime, "2026-02-30 10:00", None, &c).is_err());
    }

    /// Every lookup a register declares (its lookup fields, its suggestions and its
    /// pick) names a register the program keeps, by the very declaration it keeps.
    #[test]
    fn every_lookup_names_a_register_that_exists() {
        let mut records = 0;
        for def in crate::domain::REGISTERS {
            let fields = def.fields.iter().flat_map(|f| {
                let kind = match f.kind {
                    FieldKind::Lookup(l) => Some(l),
                    _ => None,
                };
                kind.into_iter().chain(f.suggest).map(move |l| (f.key, l))
            });
            for (key, l) in fields.chain(def.pick.map(|p| ("pick", p.from))) {
                let Some(target) = l.register() else {
                    assert!(matches!(l, Lookup::Operator | Lookup::Department), "{}.{key}: {l:?}", def.name);
                    continue;
                };
                records += 1;
                let kept = crate::domain::register(target.name)
                    .unwrap_or_else(|| panic!("{}.{key} names {}, which is not kept", def.name, target.name));
                assert!(
                    kept.table == target.table
                        && kept.fields.iter().map(|f| f.key).eq(target.fields.iter().map(|f| f.key)),
                    "{}.{key}: {} is not the register kept under that name",
                    def.name,
                    target.name
                );
            }
        }
        // visitors and complaints name customer cards; a complaint names its duplicate
        assert!(records >= 6, "{records}");
    }

    #[test]
    fn a_record_lookup_is_known_by_its_register() {
        let customer = Lookup::Record(&crate::domain::customer::REGISTER);
        assert_eq!(customer, Lookup::Record(crate::domain::register("customer").unwrap()));
        assert_ne!(customer, Lookup::Record(&crate::domain::complaint::REGISTER));
        assert_ne!(customer, Lookup::Operator);
        assert_eq!(format!("{customer:?}"), "Record(customer)");
    }
}
