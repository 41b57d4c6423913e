//! The engine's storage: one generic path for every register's save, void, read, page.

use std::collections::HashMap;

use chrono::Datelike;
use rusqlite::types::Value as Sql;
use rusqlite::{OptionalExtension, Row, Transaction, params, params_from_iter};

use super::audit::{self, Entry};
use super::{Result, Store, StoreError, search};
use crate::domain::plan::{Expect, Plan};
use crate::domain::register::{
    Cond, Context, FieldKind, Narrow, NarrowOp, Record, RegisterDef, Voided, from_local, search_text,
};
use crate::domain::{Msg, Value, phone, text};

const META: &str =
    "id, number, version, created_at, created_by, updated_at, updated_by, voided_at, voided_by, void_reason";
const META_N: usize = 10;

/// What applying a plan wrote: the record, and the number of the linked record it
/// created.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub id: i64,
    pub number: String,
    pub linked: Option<String>,
}

/// Someone else saved the record after this operator opened it.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub theirs: Record,
    /// Indices of the fields they changed.
    pub changed: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageDir {
    /// The newest rows.
    First,
    /// The oldest rows.
    Last,
    /// Rows shown after this one (older, or of a lower rank).
    Before(i64),
    /// Rows shown before this one (newer, or of a higher rank).
    After(i64),
    /// This row and the rows after it.
    From(i64),
}

pub(crate) fn select_cols(def: &RegisterDef) -> String {
    let mut s = META.to_string();
    for f in def.fields {
        s.push_str(", ");
        s.push_str(f.key);
    }
    s
}

fn to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Text(s) if s.is_empty() => Sql::Null,
        Value::Text(s) => Sql::Text(s.clone()),
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Int(i) | Value::Time(i) | Value::Money(i) | Value::Ref(i) => Sql::Integer(*i),
        Value::Date(d) => Sql::Integer(*d as i64),
    }
}

fn from_sql(kind: FieldKind, v: Sql) -> Value {
    match (kind, v) {
        (FieldKind::YesNo, Sql::Integer(i)) => Value::Bool(i != 0),
        (FieldKind::YesNo, Sql::Null) => Value::Bool(false),
        (_, Sql::Null) => Value::Null,
        (FieldKind::DateTime, Sql::Integer(i)) => Value::Time(i),
        (FieldKind::Date, Sql::Integer(i)) => Value::Date(i as i32),
        (FieldKind::Money, Sql::Integer(i)) => Value::Money(i),
        (FieldKind::Lookup(_), Sql::Integer(i)) => Value::Ref(i),
        (_, Sql::Integer(i)) => Value::Int(i),
        (_, Sql::Text(s)) => Value::Text(s),
        (_, Sql::Real(r)) => Value::Int(r as i64),
        (_, Sql::Blob(_)) => Value::Null,
    }
}

pub(crate) fn record_from_row(def: &RegisterDef, r: &Row) -> rusqlite::Result<Record> {
    let voided_at: Option<i64> = r.get(7)?;
    let voided = match voided_at {
        Some(at) => Some(Voided {
            at,
            by: r.get::<_, Option<i64>>(8)?.unwrap_or(0),
            reason: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
        }),
        None => None,
    };
    let mut values = Vec::with_capacity(def.fields.len());
    for (i, f) in def.fields.iter().enumerate() {
        values.push(from_sql(f.kind, r.get::<_, Sql>(META_N + i)?));
    }
    Ok(Record {
        id: r.get(0)?,
        number: r.get(1)?,
        version: r.get(2)?,
        values,
        created_at: r.get(3)?,
        created_by: r.get(4)?,
        updated_at: r.get(5)?,
        updated_by: r.get(6)?,
        voided,
    })
}

fn json_of(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Text(s) => serde_json::Value::String(s.clone()),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i) | Value::Time(i) | Value::Money(i) | Value::Ref(i) => serde_json::json!(i),
        Value::Date(d) => serde_json::json!(d),
    }
}

/// The record's values as the audit trail keeps them.
pub fn values_json(def: &RegisterDef, values: &[Value]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (f, v) in def.fields.iter().zip(values) {
        if !v.is_null() {
            m.insert(f.key.to_string(), json_of(v));
        }
    }
    serde_json::Value::Object(m)
}

/// The order `values_json`'s object keeps its keys in (by name): field indices.
fn json_order(def: &RegisterDef) -> Vec<usize> {
    let mut order: Vec<usize> = (0..def.fields.len()).collect();
    order.sort_by_key(|&i| def.fields[i].key);
    order
}

/// `values_json(def, values).to_string()`, written straight into `out` (cleared first),
/// without building the object; `order` is `json_order(def)`.
fn values_json_text(def: &RegisterDef, order: &[usize], values: &[Value], out: &mut String) {
    struct Fields<'a>(&'a RegisterDef, &'a [usize], &'a [Value]);
    struct One<'a>(&'a Value);
    impl serde::Serialize for One<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            match self.0 {
                Value::Null => s.serialize_unit(),
                Value::Text(t) => s.serialize_str(t),
                Value::Bool(b) => s.serialize_bool(*b),
                Value::Int(i) | Value::Time(i) | Value::Money(i) | Value::Ref(i) => s.serialize_i64(*i),
                Value::Date(d) => s.serialize_i32(*d),
            }
        }
    }
    impl serde::Serialize for Fields<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let Fields(def, order, values) = *self;
            let mut m = s.serialize_map(None)?;
            for &i in order {
                if let (Some(f), Some(v)) = (def.fields.get(i), values.get(i))
                    && !v.is_null()
                {
                    m.serialize_entry(f.key, &One(v))?;
                }
            }
            m.end()
        }
    }
    let mut buf = std::mem::take(out).into_bytes();
    buf.clear();
    // writing JSON into memory cannot fail, and writes UTF-8 only
    let _ = serde_json::to_writer(&mut buf, &Fields(def, order, values));
    *out = String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// The keys a creation's audit entry keeps the row's number and creation time under,
/// beside its fields (no field key starts with `_`), so `check` compares them too.
const NUMBER_KEY: &str = "_number";
const CREATED_KEY: &str = "_created_at";

/// `after` (a creation's fields as JSON text) with the row's number and creation time
/// put first, as `values_json` with the two keys would order them.
fn stamp_json_text(after: &mut String, number: &str, created: i64) {
    let number = serde_json::Value::String(number.to_string());
    let rest = after.strip_prefix('{').unwrap_or("}");
    let sep = if rest == "}" { "" } else { "," };
    *after = format!("{{\"{CREATED_KEY}\":{created},\"{NUMBER_KEY}\":{number}{sep}{rest}");
}

/// Binds a field value as `to_sql` converts it, borrowing its text.
fn bind_value(stmt: &mut rusqlite::Statement, index: usize, v: &Value) -> rusqlite::Result<()> {
    match v {
        Value::Null => stmt.raw_bind_parameter(index, Sql::Null),
        Value::Text(s) if s.is_empty() => stmt.raw_bind_parameter(index, Sql::Null),
        Value::Text(s) => stmt.raw_bind_parameter(index, s.as_str()),
        Value::Bool(b) => stmt.raw_bind_parameter(index, *b as i64),
        Value::Int(i) | Value::Time(i) | Value::Money(i) | Value::Ref(i) => stmt.raw_bind_parameter(index, *i),
        Value::Date(d) => stmt.raw_bind_parameter(index, *d as i64),
    }
}

/// What a record's audit entries, replayed in order, say its row holds: its fields (by
/// key, nulls left out) and its void reason.
#[derive(Default)]
struct Replayed {
    fields: serde_json::Map<String, serde_json::Value>,
    void_reason: Option<String>,
    /// The number and creation time its creation recorded (entries written before they
    /// were recorded have neither).
    number: Option<String>,
    created_at: Option<i64>,
}

impl Replayed {
    /// Applies one entry: a creation gives the whole row, an update the fields it
    /// changed, a void its reason.
    fn apply(&mut self, action: &str, after: Option<&str>) {
        let after: Option<serde_json::Value> = after.and_then(|a| serde_json::from_str(a).ok());
        match action {
            "void" => {
                self.void_reason =
                    Some(after.as_ref().and_then(|a| a.get("reason")).and_then(|r| r.as_str()).unwrap_or("").into());
            }
            "update" => {
                if let Some(serde_json::Value::Object(m)) = after {
                    for (k, v) in m {
                        if v.is_null() {
                            self.fields.remove(&k);
                        } else {
                            self.fields.insert(k, v);
                        }
                    }
                }
            }
            // create, import: the whole row
            _ => {
                self.fields = match after {
                    Some(serde_json::Value::Object(m)) => m,
                    _ => serde_json::Map::new(),
                };
                self.number = self.fields.remove(NUMBER_KEY).and_then(|v| v.as_str().map(str::to_string));
                self.created_at = self.fields.remove(CREATED_KEY).and_then(|v| v.as_i64());
                self.void_reason = None;
            }
        }
    }

    /// The fields of `rec` that differ from the replayed row ("void_reason" for its void).
    fn differences(&self, def: &RegisterDef, rec: &Record) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.number.as_ref().is_some_and(|n| *n != rec.number) {
            out.push("number");
        }
        if self.created_at.is_some_and(|c| c != rec.created_at) {
            out.push("created_at");
        }
        for (f, v) in def.fields.iter().zip(&rec.values) {
            let stored = json_of(v);
            let expected = self.fields.get(f.key).cloned().unwrap_or(serde_json::Value::Null);
            // a yes/no field left empty reads back as "no"
            let same = match f.kind {
                FieldKind::YesNo => stored.as_bool().unwrap_or(false) == expected.as_bool().unwrap_or(false),
                _ => stored == expected || numbers_equal(&stored, &expected),
            };
            if !same {
                out.push(f.key);
            }
        }
        if rec.voided.as_ref().map(|v| v.reason.as_str()) != self.void_reason.as_deref() {
            out.push("void_reason");
        }
        out
    }
}

/// 3 and 3.0 (a value that went through a float somewhere) are the same value.
fn numbers_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    matches!((a.as_f64(), b.as_f64()), (Some(x), Some(y)) if x == y)
}

/// Compares every row of `def` with its audit entries replayed (F18): a row edited
/// behind the program's back, one that has no entry at all, and one the trail names but
/// the register lacks. Both sides are read in record order, so memory stays flat.
pub(crate) fn verify_rows(
    conn: &rusqlite::Connection,
    def: &RegisterDef,
    report: &mut audit::CheckReport,
) -> Result<()> {
    // demo data loaded before each row had its own entry: one entry counted the batch
    let bulk: i64 = conn
        .prepare_cached(
            "SELECT coalesce(sum(json_extract(after, '$.count')), 0) FROM audit
             WHERE register = ?1 AND record_id IS NULL AND action = 'bulk_create'",
        )?
        .query_row([def.name], |r| r.get(0))?;
    let mut bulk_left = bulk;
    let mut rows_stmt = conn.prepare(&format!("SELECT {} FROM {} ORDER BY id", select_cols(def), def.table))?;
    let mut rows = rows_stmt.query([])?;
    let mut trail_stmt = conn.prepare(
        "SELECT record_id, action, after FROM audit
         WHERE register = ?1 AND record_id IS NOT NULL ORDER BY register, record_id, id",
    )?;
    let mut trail = trail_stmt.query([def.name])?;
    let mut next: Option<(i64, String, Option<String>)> = match trail.next()? {
        Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?)),
        None => None,
    };
    let problem = |report: &mut audit::CheckReport, number: String, kind: audit::RowProblemKind| {
        report.row_problem_count += 1;
        if report.row_problems.len() < audit::ROW_PROBLEMS_LISTED {
            report.row_problems.push(audit::RowProblem { register: def.name, number, kind });
        }
    };
    while let Some(r) = rows.next()? {
        let rec = record_from_row(def, r)?;
        report.rows_checked += 1;
        // entries of records the register lacks
        while let Some((id, _, _)) = &next
            && *id < rec.id
        {
            let gone = *id;
            problem(report, format!("#{gone}"), audit::RowProblemKind::Missing);
            while next.as_ref().is_some_and(|(i, _, _)| *i == gone) {
                next = match trail.next()? {
                    Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?)),
                    None => None,
                };
            }
        }
        let mut replayed = Replayed::default();
        let mut entries = 0;
        while let Some((id, action, after)) = &next
            && *id == rec.id
        {
            replayed.apply(action, after.as_deref());
            entries += 1;
            next = match trail.next()? {
                Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?)),
                None => None,
            };
        }
        if entries == 0 {
            if bulk_left > 0 {
                bulk_left -= 1;
                report.bulk_rows += 1;
            } else {
                problem(report, rec.number.clone(), audit::RowProblemKind::NoEntry);
            }
            continue;
        }
        let fields = replayed.differences(def, &rec);
        if !fields.is_empty() {
            problem(report, rec.number.clone(), audit::RowProblemKind::Altered(fields));
        }
    }
    while let Some((gone, _, _)) = next {
        problem(report, format!("#{gone}"), audit::RowProblemKind::Missing);
        while next.as_ref().is_some_and(|(i, _, _)| *i == gone) {
            next = match trail.next()? {
                Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?)),
                None => None,
            };
        }
    }
    Ok(())
}

/// Values asked per statement by the batch look-ups (well under SQLite's 32,766 parameters).
const LOOKUP_CHUNK: usize = 500;

/// Local calendar year of a UTC instant, which numbers the record.
fn local_year(utc: i64, offset: i32) -> i32 {
    crate::domain::register::to_local(utc, offset).year()
}

fn next_number(tx: &Transaction, def: &RegisterDef, year: i32) -> Result<String> {
    let n: i64 = tx
        .prepare_cached(
            "INSERT INTO counter(register, year, last) VALUES (?1, ?2, 1)
             ON CONFLICT(register, year) DO UPDATE SET last = last + 1 RETURNING last",
        )?
        .query_row(params![def.name, year], |r| r.get(0))?;
    Ok(format!("{}-{}-{:06}", def.prefix, year, n))
}

/// Cleans text values the way every entry point must (typing, paste, import).
fn clean(def: &RegisterDef, values: &[Value]) -> Result<Vec<Value>> {
    if values.len() != def.fields.len() {
        return Err(StoreError::Other(format!(
            "{}: {} values for {} fields",
            def.name,
            values.len(),
            def.fields.len()
        )));
    }
    Ok(def
        .fields
        .iter()
        .zip(values)
        .map(|(f, v)| match v {
            Value::Text(s) => {
                let t = text::sanitize(s, f.kind.is_multiline());
                let t = t.trim();
                if t.is_empty() { Value::Null } else { Value::Text(t.to_string()) }
            }
            other => other.clone(),
        })
        .collect())
}

/// (Re)writes a record's phones in the phone index; `fresh`: the record is new, so it
/// has none to remove.
fn index_phones(tx: &Transaction, def: &RegisterDef, id: i64, values: &[Value], fresh: bool) -> Result<()> {
    let phone_fields: Vec<usize> =
        def.fields.iter().enumerate().filter(|(_, f)| f.kind == FieldKind::Phones).map(|(i, _)| i).collect();
    if phone_fields.is_empty() {
        return Ok(());
    }
    if !fresh {
        tx.prepare_cached("DELETE FROM phone_index WHERE register = ?1 AND record_id = ?2")?
            .execute(params![def.name, id])?;
    }
    let mut ins =
        tx.prepare_cached("INSERT OR IGNORE INTO phone_index(phone, register, record_id) VALUES (?1, ?2, ?3)")?;
    for i in phone_fields {
        if let Value::Text(s) = &values[i] {
            for p in s.split(',').filter(|p| !p.is_empty()) {
                ins.execute(params![p, def.name, id])?;
            }
        }
    }
    Ok(())
}

/// The INSERT of one record of a register: number, creation, creator, then its fields.
fn insert_sql(def: &RegisterDef) -> String {
    let cols: Vec<&str> = def.fields.iter().map(|f| f.key).collect();
    let marks: Vec<String> = (0..cols.len()).map(|i| format!("?{}", i + 4)).collect();
    format!(
        "INSERT INTO {}(number, created_at, created_by, {}) VALUES (?1, ?2, ?3, {})",
        def.table,
        cols.join(", "),
        marks.join(", ")
    )
}

/// Numbers for many records in one transaction, counted in memory and each year's
/// counter written once at the end: the transaction holds the write lock, so nobody
/// else numbers meanwhile.
#[derive(Default)]
struct Numbering {
    last: std::collections::BTreeMap<i32, i64>,
}

impl Numbering {
    fn next(&mut self, tx: &Transaction, def: &RegisterDef, year: i32) -> Result<String> {
        let n = match self.last.get(&year) {
            Some(n) => n + 1,
            None => {
                tx.prepare_cached("SELECT last FROM counter WHERE register = ?1 AND year = ?2")?
                    .query_row(params![def.name, year], |r| r.get::<_, i64>(0))
                    .optional()?
                    .unwrap_or(0)
                    + 1
            }
        };
        self.last.insert(year, n);
        Ok(format!("{}-{}-{:06}", def.prefix, year, n))
    }

    fn write(&self, tx: &Transaction, def: &RegisterDef) -> Result<()> {
        for (year, n) in &self.last {
            tx.prepare_cached(
                "INSERT INTO counter(register, year, last) VALUES (?1, ?2, ?3)
                 ON CONFLICT(register, year) DO UPDATE SET last = excluded.last",
            )?
            .execute(params![def.name, year, n])?;
        }
        Ok(())
    }
}

/// Inserts one record created at `created` (now, or a past time for imported paper
/// records); the audit row is stamped with the real time of the change.
fn insert_tx(
    tx: &Transaction,
    terminal: &str,
    actor: i64,
    ctx: &Context,
    def: &RegisterDef,
    values: &[Value],
    created: i64,
) -> Result<(i64, String)> {
    let number = next_number(tx, def, local_year(created, ctx.offset))?;
    let sql = insert_sql(def);
    let mut args: Vec<Sql> = vec![Sql::Text(number.clone()), Sql::Integer(created), Sql::Integer(actor)];
    args.extend(values.iter().map(to_sql));
    tx.prepare_cached(&sql)?.execute(params_from_iter(args))?;
    let id = tx.last_insert_rowid();
    search::index(tx, def, id, &search_text(def, &number, values))?;
    index_phones(tx, def, id, values, true)?;
    let mut after = values_json(def, values);
    if let serde_json::Value::Object(m) = &mut after {
        m.insert(NUMBER_KEY.into(), serde_json::Value::String(number.clone()));
        m.insert(CREATED_KEY.into(), serde_json::json!(created));
    }
    audit::append(
        tx,
        &Entry::new(ctx.now, Some(actor), terminal, "create").on(Some(def.name), Some(id)).change(None, Some(after)),
    )?;
    Ok((id, number))
}

/// Writes `values` over `base` if nobody saved in between (else the conflict says what
/// they changed); re-indexes and audits what changed.
fn update_tx(
    tx: &Transaction,
    terminal: &str,
    actor: i64,
    ctx: &Context,
    def: &RegisterDef,
    base: &Record,
    values: &[Value],
) -> Result<Record> {
    let current = get_tx(tx, def, base.id)?;
    // someone saved (or voided) it meanwhile: the conflict says who and what
    if current.version != base.version {
        let changed = (0..def.fields.len()).filter(|&i| current.values.get(i) != base.values.get(i)).collect();
        return Err(StoreError::Conflict(Box::new(Conflict { theirs: current, changed })));
    }
    if current.voided.is_some() {
        return Err(StoreError::Invalid(Msg::new("err.record.voided")));
    }
    let sets: Vec<String> = def.fields.iter().enumerate().map(|(i, f)| format!("{} = ?{}", f.key, i + 5)).collect();
    let sql = format!(
        "UPDATE {} SET version = version + 1, updated_at = ?1, updated_by = ?2, {} WHERE id = ?3 AND version = ?4",
        def.table,
        sets.join(", ")
    );
    let mut args = vec![Sql::Integer(ctx.now), Sql::Integer(actor), Sql::Integer(base.id), Sql::Integer(base.version)];
    args.extend(values.iter().map(to_sql));
    tx.prepare_cached(&sql)?.execute(params_from_iter(args))?;
    search::index(tx, def, base.id, &search_text(def, &current.number, values))?;
    index_phones(tx, def, base.id, values, false)?;
    // The audit row keeps only what changed.
    let mut before = serde_json::Map::new();
    let mut after = serde_json::Map::new();
    for (i, f) in def.fields.iter().enumerate() {
        if current.values[i] != values[i] {
            before.insert(f.key.into(), json_of(&current.values[i]));
            after.insert(f.key.into(), json_of(&values[i]));
        }
    }
    audit::append(
        tx,
        &Entry::new(ctx.now, Some(actor), terminal, "update")
            .on(Some(def.name), Some(base.id))
            .change(Some(serde_json::Value::Object(before)), Some(serde_json::Value::Object(after))),
    )?;
    get_tx(tx, def, base.id)
}

/// Whether what a plan read still holds.
fn holds(tx: &Transaction, e: &Expect) -> Result<bool> {
    Ok(match e {
        Expect::Version { register, id, version } => {
            let v: Option<i64> = tx
                .prepare_cached(&format!("SELECT version FROM {} WHERE id = ?1", register.table))?
                .query_row([id], |r| r.get(0))
                .optional()?;
            v == Some(*version)
        }
        Expect::NoPhone { register, phone } => tx
            .prepare_cached("SELECT 1 FROM phone_index WHERE register = ?1 AND phone = ?2 LIMIT 1")?
            .query_row(params![register.name, phone], |_| Ok(()))
            .optional()?
            .is_none(),
    })
}

fn get_tx(conn: &rusqlite::Connection, def: &RegisterDef, id: i64) -> Result<Record> {
    let sql = format!("SELECT {} FROM {} WHERE id = ?1", select_cols(def), def.table);
    conn.prepare_cached(&sql)?.query_row([id], |r| record_from_row(def, r)).optional()?.ok_or(StoreError::NotFound)
}

/// The SQL for a list filter and its parameters.
fn cond_sql(def: &RegisterDef, cond: Cond, ctx: &Context) -> (String, Vec<Sql>) {
    let known = |k: &str| def.field(k).is_some();
    match cond {
        Cond::All => ("1".into(), vec![]),
        Cond::NotVoided => ("voided_at IS NULL".into(), vec![]),
        Cond::Voided => ("voided_at IS NOT NULL".into(), vec![]),
        Cond::IsTrue(k) if known(k) => (format!("{k} = 1 AND voided_at IS NULL"), vec![]),
        Cond::Is(k, code) if known(k) => (format!("{k} = ? AND voided_at IS NULL"), vec![Sql::Text(code.into())]),
        Cond::Ref(k, id) if known(k) => (format!("{k} = ?"), vec![Sql::Integer(id)]),
        Cond::IsSet(k) if known(k) => (format!("{k} IS NOT NULL AND voided_at IS NULL"), vec![]),
        Cond::Mine(k) if known(k) => (format!("{k} = ? AND voided_at IS NULL"), vec![Sql::Integer(ctx.actor)]),
        Cond::MineOpen(k) if known(k) => {
            let (open, mut args) = cond_sql(def, Cond::Open, ctx);
            args.push(Sql::Integer(ctx.actor));
            (format!("{open} AND {k} = ?"), args)
        }
        Cond::Open => match def.workflow {
            Some(wf) => {
                let done: Vec<String> = wf.done.iter().map(|d| format!("'{d}'")).collect();
                (format!("{} NOT IN ({}) AND voided_at IS NULL", wf.field, done.join(",")), vec![])
            }
            None => ("voided_at IS NULL".into(), vec![]),
        },
        Cond::OverdueAt(k, step) if known(k) => match def.workflow {
            Some(wf) => (
                format!("{} = ? AND {k} < ? AND voided_at IS NULL", wf.field),
                vec![Sql::Text(step.into()), Sql::Integer(ctx.now)],
            ),
            None => ("0".into(), vec![]),
        },
        Cond::Overdue(k) if known(k) => {
            let (open, args) = cond_sql(def, Cond::Open, ctx);
            let mut args = args;
            args.push(Sql::Integer(ctx.now));
            (format!("{open} AND {k} < ?"), args)
        }
        Cond::Today(k) if known(k) => {
            let day = ctx.local_now().date();
            let start = from_local(day.and_hms_opt(0, 0, 0).unwrap_or_default(), ctx.offset);
            (
                format!("{k} >= ? AND {k} < ? AND voided_at IS NULL"),
                vec![Sql::Integer(start), Sql::Integer(start + 86_400)],
            )
        }
        _ => ("0".into(), vec![]),
    }
}

/// Rule A7: the records of a secrecy level the operator may not see are left out, unless
/// they are the one who looks after them. "1" for a register with no such levels.
fn visible_sql(def: &RegisterDef, ctx: &Context) -> (String, Vec<Sql>) {
    let Some(c) = def.access.confidential else { return ("1".into(), vec![]) };
    let hidden = crate::domain::access::hidden_levels(def, ctx.roles);
    if hidden.is_empty() {
        return ("1".into(), vec![]);
    }
    let marks = vec!["?"; hidden.len()].join(",");
    let mut args: Vec<Sql> = hidden.iter().map(|h| Sql::Text((*h).into())).collect();
    let keeper = match c.keeper {
        Some(k) => {
            args.push(Sql::Integer(ctx.actor));
            format!(" OR {k} = ?")
        }
        None => String::new(),
    };
    (format!("({f} IS NULL OR {f} NOT IN ({marks}){keeper})", f = c.field), args)
}

/// The SQL for a filter and the operator's narrowing together, within what the operator
/// may see.
fn where_sql(def: &RegisterDef, cond: Cond, narrow: &[Narrow], ctx: &Context) -> (String, Vec<Sql>) {
    let (mut sql, mut args) = cond_sql(def, cond, ctx);
    let (seen, seen_args) = visible_sql(def, ctx);
    if seen != "1" {
        sql = format!("({sql}) AND {seen}");
        args.extend(seen_args);
    }
    for n in narrow {
        if def.field(n.field).is_none() {
            continue;
        }
        let op = match n.op {
            NarrowOp::Eq => "=",
            NarrowOp::AtLeast => ">=",
            NarrowOp::Below => "<",
        };
        sql = format!("({sql}) AND {} {op} ?", n.field);
        args.push(to_sql(&n.value));
    }
    (sql, args)
}

impl Store {
    pub fn get(&self, def: &RegisterDef, id: i64) -> Result<Record> {
        get_tx(&self.conn, def, id)
    }

    pub fn id_by_number(&self, def: &RegisterDef, number: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT id FROM {} WHERE number = ?1", def.table))?
            .query_row([number.trim()], |r| r.get(0))
            .optional()?)
    }

    /// Earlier records of the same matter (rule C15), newest first: same customer, same
    /// phone or same subject, received since `since`; one merged into another counts as
    /// that other.
    pub fn similar(
        &self,
        def: &RegisterDef,
        dd: &crate::domain::register::Dedupe,
        values: &[Value],
        since: i64,
        limit: usize,
    ) -> Result<Vec<Record>> {
        // each field the record holds, compared as stored
        let wanted: Vec<(&str, rusqlite::types::Value)> = dd
            .matches
            .iter()
            .filter_map(|k| {
                let v = match def.value(values, k) {
                    Value::Text(s) if !s.is_empty() => rusqlite::types::Value::Text(s.clone()),
                    Value::Ref(id) | Value::Int(id) => rusqlite::types::Value::Integer(*id),
                    _ => return None,
                };
                Some((*k, v))
            })
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let any = wanted.iter().enumerate().map(|(i, (k, _))| format!("({k} = ?{})", i + 3)).collect::<Vec<_>>();
        // a record merged into a case stands for that case; a repeat is a record of its own
        let root = if dd.merged.is_some() { format!("coalesce({}, id)", dd.link) } else { "id".to_string() };
        let sql = format!(
            "SELECT {cols} FROM {t} WHERE id IN (
                SELECT {root} FROM {t} WHERE voided_at IS NULL AND {at} >= ?1
                AND ({any})) AND voided_at IS NULL
             ORDER BY id DESC LIMIT ?2",
            cols = select_cols(def),
            t = def.table,
            at = dd.at,
            any = any.join(" OR "),
        );
        let mut args: Vec<rusqlite::types::Value> =
            vec![rusqlite::types::Value::Integer(since), rusqlite::types::Value::Integer(limit as i64)];
        args.extend(wanted.into_iter().map(|(_, v)| v));
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(rusqlite::params_from_iter(args), |r| record_from_row(def, r))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// (id, number) of the records with ids in [lo, hi].
    pub fn numbers(&self, def: &RegisterDef, lo: i64, hi: i64) -> Result<Vec<(i64, String)>> {
        let mut stmt =
            self.conn.prepare_cached(&format!("SELECT id, number FROM {} WHERE id BETWEEN ?1 AND ?2", def.table))?;
        let rows = stmt.query_map(params![lo, hi], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub fn count(&self, def: &RegisterDef) -> Result<i64> {
        Ok(self.conn.query_row(&format!("SELECT count(*) FROM {}", def.table), [], |r| r.get(0))?)
    }

    /// Saves a new record: number, row, search index and audit row in one transaction.
    pub fn insert(&mut self, actor: i64, ctx: &Context, def: &RegisterDef, values: &[Value]) -> Result<(i64, String)> {
        let values = clean(def, values)?;
        let terminal = self.terminal.clone();
        self.write(|tx| insert_tx(tx, &terminal, actor, ctx, def, &values, ctx.now))
    }

    /// Saves a new record together with a new record it links to (a visitor entry and
    /// the customer card created from it): both or neither. `link` is the child's field
    /// that receives the parent's id.
    pub fn insert_linked(
        &mut self,
        actor: i64,
        ctx: &Context,
        parent: (&RegisterDef, &[Value]),
        child: (&RegisterDef, &[Value]),
        link: &str,
    ) -> Result<((i64, String), (i64, String))> {
        let pv = clean(parent.0, parent.1)?;
        let mut cv = clean(child.0, child.1)?;
        let li = child.0.index(link).ok_or_else(|| StoreError::Other(format!("no field {link}")))?;
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let p = insert_tx(tx, &terminal, actor, ctx, parent.0, &pv, ctx.now)?;
            cv[li] = Value::Ref(p.0);
            let c = insert_tx(tx, &terminal, actor, ctx, child.0, &cv, ctx.now)?;
            Ok((p, c))
        })
    }

    /// Saves changes over `base` (the version the operator opened). If someone saved in
    /// between, nothing is written and the conflict says what they changed.
    pub fn update(
        &mut self,
        actor: i64,
        ctx: &Context,
        def: &RegisterDef,
        base: &Record,
        values: &[Value],
    ) -> Result<Record> {
        self.update_with(actor, ctx, def, base, values, &[]).map(|(r, _)| r)
    }

    /// `update`, creating other records in the same transaction (the callback a closed
    /// complaint schedules): all of it is written, or none. Returns the updated record
    /// and the (id, number) of each record created.
    pub fn update_with(
        &mut self,
        actor: i64,
        ctx: &Context,
        def: &RegisterDef,
        base: &Record,
        values: &[Value],
        also: &[crate::domain::workflow::Spawn],
    ) -> Result<(Record, Vec<(i64, String)>)> {
        let values = clean(def, values)?;
        let also: Vec<(&RegisterDef, Vec<Value>)> =
            also.iter().map(|(d, v)| clean(d, v).map(|v| (*d, v))).collect::<Result<_>>()?;
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let mut created = Vec::new();
            for (d, v) in &also {
                created.push(insert_tx(tx, &terminal, actor, ctx, d, v, ctx.now)?);
            }
            Ok((update_tx(tx, &terminal, actor, ctx, def, base, &values)?, created))
        })
    }

    /// Applies a planned change in one transaction: what the plan read is checked again
    /// first, then the linked record it creates, the record, and what it spawns.
    pub fn apply(
        &mut self,
        actor: i64,
        ctx: &Context,
        def: &RegisterDef,
        base: Option<&Record>,
        plan: &Plan,
    ) -> Result<Applied> {
        let mut values = clean(def, &plan.values)?;
        let linked = match &plan.linked_new {
            Some((d, v, field)) => Some((*d, clean(d, v)?, def.index(field).unwrap_or(0))),
            None => None,
        };
        let spawn: Vec<(&RegisterDef, Vec<Value>)> =
            plan.spawn.iter().map(|(d, v)| clean(d, v).map(|v| (*d, v))).collect::<Result<_>>()?;
        let terminal = self.terminal.clone();
        self.write(|tx| {
            for e in &plan.expect {
                if !holds(tx, e)? {
                    return Err(StoreError::Stale);
                }
            }
            let mut out = Applied::default();
            if let Some((d, card, li)) = &linked {
                let (cid, cnum) = insert_tx(tx, &terminal, actor, ctx, d, card, ctx.now)?;
                values[*li] = Value::Ref(cid);
                out.linked = Some(cnum);
            }
            for (d, v) in &spawn {
                insert_tx(tx, &terminal, actor, ctx, d, v, ctx.now)?;
            }
            match base {
                Some(b) => {
                    let r = update_tx(tx, &terminal, actor, ctx, def, b, &values)?;
                    (out.id, out.number) = (r.id, r.number);
                }
                None => (out.id, out.number) = insert_tx(tx, &terminal, actor, ctx, def, &values, plan.created)?,
            }
            Ok(out)
        })
    }

    /// Strikes a record through with a reason; it stays in the register.
    pub fn void(
        &mut self,
        actor: i64,
        ctx: &Context,
        def: &RegisterDef,
        id: i64,
        version: i64,
        reason: &str,
    ) -> Result<Record> {
        let reason = text::sanitize(reason, false).trim().to_string();
        if reason.is_empty() {
            return Err(StoreError::Invalid(Msg::new("err.void.reason")));
        }
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let current = get_tx(tx, def, id)?;
            if current.version != version {
                return Err(StoreError::Conflict(Box::new(Conflict { theirs: current, changed: vec![] })));
            }
            if current.voided.is_some() {
                return Err(StoreError::Invalid(Msg::new("err.record.voided")));
            }
            tx.execute(
                &format!(
                    "UPDATE {} SET voided_at = ?1, voided_by = ?2, void_reason = ?3, version = version + 1 WHERE id = ?4",
                    def.table
                ),
                params![ctx.now, actor, reason, id],
            )?;
            audit::append(
                tx,
                &Entry::new(ctx.now, Some(actor), &terminal, "void").on(Some(def.name), Some(id)).change(None, Some(serde_json::json!({ "reason": reason }))),
            )?;
            get_tx(tx, def, id)
        })
    }

    /// One page of a register, newest first, by keyset on the id: the cost is the same
    /// at any depth.
    pub fn page(
        &self,
        def: &RegisterDef,
        cond: Cond,
        dir: PageDir,
        limit: usize,
        ctx: &Context,
    ) -> Result<Vec<Record>> {
        self.page_narrowed(def, cond, &[], dir, limit, ctx)
    }

    /// `page`, within the operator's narrowing.
    pub fn page_narrowed(
        &self,
        def: &RegisterDef,
        cond: Cond,
        narrow: &[Narrow],
        dir: PageDir,
        limit: usize,
        ctx: &Context,
    ) -> Result<Vec<Record>> {
        let (where_sql, args) = where_sql(def, cond, narrow, ctx);
        // The display order is (rank, id) descending for ranked registers, id descending
        // otherwise; a page starts from a row, by keyset, never by OFFSET.
        let (cmp, order, reverse) = match dir {
            PageDir::First => (None, "DESC", false),
            PageDir::Last => (None, "ASC", true),
            PageDir::Before(id) => (Some(("<", id)), "DESC", false),
            PageDir::From(id) => (Some(("<=", id)), "DESC", false),
            PageDir::After(id) => (Some((">", id)), "ASC", true),
        };
        let run = |keyset: &str, extra: Vec<Sql>, order_by: &str, n: usize| -> Result<Vec<Record>> {
            let mut a = args.clone();
            a.extend(extra);
            a.push(Sql::Integer(n as i64));
            let sql = format!(
                "SELECT {} FROM {} WHERE ({where_sql}) AND {keyset} ORDER BY {order_by} LIMIT ?",
                select_cols(def),
                def.table
            );
            let rows: rusqlite::Result<Vec<Record>> =
                self.conn.prepare_cached(&sql)?.query_map(params_from_iter(a), |r| record_from_row(def, r))?.collect();
            Ok(rows?)
        };
        let mut rows = match (def.rank, cmp) {
            (None, None) => run("1", vec![], &format!("id {order}"), limit)?,
            (None, Some((op, id))) => {
                run(&format!("id {op} ?"), vec![Sql::Integer(id)], &format!("id {order}"), limit)?
            }
            (Some(r), None) => run("1", vec![], &format!("{r} {order}, id {order}"), limit)?,
            // Ranked: the rest of the anchor's rank by id, then the ranks beyond it. Two
            // index seeks; a row-value comparison would walk the index from its start.
            (Some(r), Some((op, id))) => {
                let rank: i64 = self
                    .conn
                    .prepare_cached(&format!("SELECT coalesce({r}, 0) FROM {} WHERE id = ?1", def.table))?
                    .query_row([id], |row| row.get(0))
                    .optional()?
                    .unwrap_or(0);
                let same = format!("{r} = ? AND id {op} ?");
                let mut rows = run(&same, vec![Sql::Integer(rank), Sql::Integer(id)], &format!("id {order}"), limit)?;
                if rows.len() < limit {
                    let beyond = format!("{r} {} ?", if order == "DESC" { "<" } else { ">" });
                    let more = run(
                        &beyond,
                        vec![Sql::Integer(rank)],
                        &format!("{r} {order}, id {order}"),
                        limit - rows.len(),
                    )?;
                    rows.extend(more);
                }
                rows
            }
        };
        if reverse {
            rows.reverse();
        }
        Ok(rows)
    }

    /// Records by id, newest first, restricted by a filter.
    pub fn by_ids(
        &self,
        def: &RegisterDef,
        ids: &[i64],
        cond: Cond,
        narrow: &[Narrow],
        ctx: &Context,
    ) -> Result<Vec<Record>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (where_sql, mut args) = where_sql(def, cond, narrow, ctx);
        let marks = vec!["?"; ids.len()].join(",");
        args.extend(ids.iter().map(|i| Sql::Integer(*i)));
        let sql = format!(
            "SELECT {} FROM {} WHERE ({where_sql}) AND id IN ({marks}) ORDER BY id DESC",
            select_cols(def),
            def.table
        );
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(args), |r| record_from_row(def, r))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records holding this phone in a multi-phone field (a customer card's phones).
    pub fn by_phone(&self, def: &RegisterDef, raw: &str) -> Result<Vec<i64>> {
        let Some(p) = phone::normalize(raw) else { return Ok(Vec::new()) };
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id FROM phone_index WHERE phone = ?1 AND register = ?2 ORDER BY record_id DESC",
        )?;
        let ids = stmt.query_map(params![p, def.name], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// `by_phone`'s first record for each of many phones (an import's), a few statements
    /// in all: the phones as given, to the newest record holding each; a phone no
    /// record holds is absent.
    pub fn phone_owners<'a>(&self, def: &RegisterDef, phones: &[&'a str]) -> Result<HashMap<&'a str, i64>> {
        let mut by_norm: HashMap<String, Vec<&'a str>> = HashMap::new();
        for raw in phones {
            if let Some(p) = phone::normalize(raw) {
                by_norm.entry(p).or_default().push(raw);
            }
        }
        let norms: Vec<&String> = by_norm.keys().collect();
        let mut out = HashMap::new();
        for chunk in norms.chunks(LOOKUP_CHUNK) {
            let sql = format!(
                "SELECT phone, max(record_id) FROM phone_index WHERE register = ?1 AND phone IN ({}) GROUP BY phone",
                vec!["?"; chunk.len()].join(", ")
            );
            let mut args: Vec<Sql> = vec![Sql::Text(def.name.to_string())];
            args.extend(chunk.iter().map(|p| Sql::Text((*p).clone())));
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(args))?;
            while let Some(r) = rows.next()? {
                let (p, id): (String, i64) = (r.get(0)?, r.get(1)?);
                for raw in by_norm.get(&p).into_iter().flatten() {
                    out.insert(*raw, id);
                }
            }
        }
        Ok(out)
    }

    /// `id_by_number` for many numbers at once (an import's): each number found, to
    /// its record.
    pub fn ids_by_numbers<'a>(&self, def: &RegisterDef, numbers: &[&'a str]) -> Result<HashMap<&'a str, i64>> {
        let mut by_trim: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
        for n in numbers {
            by_trim.entry(n.trim()).or_default().push(n);
        }
        let trimmed: Vec<&str> = by_trim.keys().copied().collect();
        let mut out = HashMap::new();
        for chunk in trimmed.chunks(LOOKUP_CHUNK) {
            let sql =
                format!("SELECT number, id FROM {} WHERE number IN ({})", def.table, vec!["?"; chunk.len()].join(", "));
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params_from_iter(chunk.iter()))?;
            while let Some(r) = rows.next()? {
                let (number, id): (String, i64) = (r.get(0)?, r.get(1)?);
                for raw in by_trim.get(number.as_str()).into_iter().flatten() {
                    out.insert(*raw, id);
                }
            }
        }
        Ok(out)
    }

    /// Fills a register with generated rows in one transaction (the `demo` command): each
    /// row has its own audit entry with the whole row, as a saved or imported one does, so
    /// `check` can compare it with its trail.
    pub fn bulk_insert(
        &mut self,
        actor: i64,
        ctx: &Context,
        def: &RegisterDef,
        rows: &mut dyn Iterator<Item = (i64, Vec<Value>)>,
    ) -> Result<usize> {
        let terminal = self.terminal.clone();
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(&insert_sql(def))?;
            let mut n = 0usize;
            let mut docs = Vec::with_capacity(search::BATCH);
            let mut numbers = Numbering::default();
            // The chain's end is read once; each row's entry links to the one before.
            let mut chain = audit::Chain::head(tx)?;
            let order = json_order(def);
            let mut after = String::new();
            for (created, values) in rows {
                let number = numbers.next(tx, def, local_year(created, ctx.offset))?;
                let mut args: Vec<Sql> = vec![Sql::Text(number.clone()), Sql::Integer(created), Sql::Integer(actor)];
                args.extend(values.iter().map(to_sql));
                stmt.execute(params_from_iter(args))?;
                let id = tx.last_insert_rowid();
                docs.push((id, search_text(def, &number, &values)));
                if docs.len() == search::BATCH {
                    search::index_batch(tx, def, &docs)?;
                    docs.clear();
                }
                index_phones(tx, def, id, &values, true)?;
                values_json_text(def, &order, &values, &mut after);
                stamp_json_text(&mut after, &number, created);
                chain.append(&audit::RawEntry {
                    at: ctx.now,
                    operator: Some(actor),
                    terminal: &terminal,
                    action: "create",
                    register: Some(def.name),
                    record_id: Some(id),
                    before: None,
                    after: Some(&after),
                })?;
                n += 1;
            }
            search::index_batch(tx, def, &docs)?;
            numbers.write(tx, def)?;
            Ok(n)
        })
    }

    /// Imports planned records in one transaction: every row is numbered, indexed and
    /// audited; what the plans read is checked again first; any error writes nothing.
    /// The search index is written per batch, as a bulk load does.
    pub fn import(&mut self, actor: i64, ctx: &Context, def: &RegisterDef, plans: &[Plan]) -> Result<usize> {
        let rows: Vec<(i64, Vec<Value>)> =
            plans.iter().map(|p| clean(def, &p.values).map(|v| (p.created, v))).collect::<Result<_>>()?;
        let terminal = self.terminal.clone();
        self.write(|tx| {
            // What the plans read must still hold; the phones no card held yet are asked
            // together, a few statements for the whole file.
            let mut no_phone: HashMap<&str, Vec<&str>> = HashMap::new();
            for e in plans.iter().flat_map(|p| &p.expect) {
                match e {
                    Expect::NoPhone { register, phone } => no_phone.entry(register.name).or_default().push(phone),
                    e => {
                        if !holds(tx, e)? {
                            return Err(StoreError::Stale);
                        }
                    }
                }
            }
            for (register, mut phones) in no_phone {
                phones.sort_unstable();
                phones.dedup();
                for chunk in phones.chunks(LOOKUP_CHUNK) {
                    let sql = format!(
                        "SELECT 1 FROM phone_index WHERE register = ?1 AND phone IN ({}) LIMIT 1",
                        vec!["?"; chunk.len()].join(", ")
                    );
                    let mut args: Vec<Sql> = vec![Sql::Text(register.to_string())];
                    args.extend(chunk.iter().map(|p| Sql::Text(p.to_string())));
                    if tx.prepare_cached(&sql)?.query_row(params_from_iter(args), |_| Ok(())).optional()?.is_some() {
                        return Err(StoreError::Stale);
                    }
                }
            }
            let mut insert = tx.prepare_cached(&insert_sql(def))?;
            let mut docs = Vec::with_capacity(search::BATCH.min(rows.len()));
            let mut numbers = Numbering::default();
            // The chain's end is read once; each row's audit entry links to the one before.
            let mut chain = audit::Chain::head(tx)?;
            let order = json_order(def);
            let mut after = String::new();
            for (created, values) in &rows {
                let number = numbers.next(tx, def, local_year(*created, ctx.offset))?;
                let body = search_text(def, &number, values);
                insert.raw_bind_parameter(1, number.as_str())?;
                insert.raw_bind_parameter(2, *created)?;
                insert.raw_bind_parameter(3, actor)?;
                for (i, v) in values.iter().enumerate() {
                    bind_value(&mut insert, i + 4, v)?;
                }
                insert.raw_execute()?;
                let id = tx.last_insert_rowid();
                docs.push((id, body));
                if docs.len() == search::BATCH {
                    search::index_batch(tx, def, &docs)?;
                    docs.clear();
                }
                index_phones(tx, def, id, values, true)?;
                values_json_text(def, &order, values, &mut after);
                stamp_json_text(&mut after, &number, *created);
                chain.append(&audit::RawEntry {
                    at: ctx.now,
                    operator: Some(actor),
                    terminal: &terminal,
                    action: "import",
                    register: Some(def.name),
                    record_id: Some(id),
                    before: None,
                    after: Some(&after),
                })?;
            }
            numbers.write(tx, def)?;
            search::index_batch(tx, def, &docs)?;
            Ok(rows.len())
        })
    }

    /// How many records a filter holds (a screen's count, not the rows it loaded).
    pub fn count_where(&self, def: &RegisterDef, cond: Cond, ctx: &Context) -> Result<i64> {
        let (where_sql, args) = where_sql(def, cond, &[], ctx);
        let sql = format!("SELECT count(*) FROM {} WHERE {where_sql}", def.table);
        Ok(self.conn.prepare_cached(&sql)?.query_row(params_from_iter(args), |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::{json_order, values_json, values_json_text};
    use crate::domain::{Value, complaint, customer, visitor};

    #[test]
    fn audit_text_is_the_values_json() {
        let mut out = String::from("left over");
        for def in [&visitor::REGISTER, &customer::REGISTER, &complaint::REGISTER] {
            let order = json_order(def);
            let kinds = [
                Value::Text("王芳 \"引号\" \\ 换行\n\t\u{1} é".into()),
                Value::Int(-42),
                Value::Bool(true),
                Value::Bool(false),
                Value::Time(1_795_745_700),
                Value::Money(123_450),
                Value::Ref(7),
                Value::Date(20_000),
                Value::Null,
                Value::Text(String::new()),
            ];
            let values: Vec<Value> = (0..def.fields.len()).map(|i| kinds[i % kinds.len()].clone()).collect();
            values_json_text(def, &order, &values, &mut out);
            assert_eq!(out, values_json(def, &values).to_string(), "{}", def.name);
            let mut stamped = values_json(def, &values);
            if let serde_json::Value::Object(m) = &mut stamped {
                m.insert(super::NUMBER_KEY.into(), serde_json::json!("V-2026-000001"));
                m.insert(super::CREATED_KEY.into(), serde_json::json!(-5));
            }
            super::stamp_json_text(&mut out, "V-2026-000001", -5);
            assert_eq!(out, stamped.to_string(), "{}", def.name);
            let nulls = vec![Value::Null; def.fields.len()];
            values_json_text(def, &order, &nulls, &mut out);
            assert_eq!(out, "{}");
            super::stamp_json_text(&mut out, "V-2026-000001", 0);
            assert_eq!(out, r#"{"_created_at":0,"_number":"V-2026-000001"}"#);
        }
    }
}
