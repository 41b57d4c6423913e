//! Line items: a field holding rows of a few columns (the parts used on a repair with
//! their quantity, price and old and new serials, R5 and R8; the copies of a loan, A6; a
//! checklist with its "missing" notes, A2). The operator types one row per line with the
//! columns separated by `|`; each cell is checked as its own kind. The value is kept as
//! that text, in one canonical form, so the form, drafts, CSV, the audit trail, search
//! and a conflict's merge treat it as any other text; `rows` reads it back as values.

use super::register::{Context, FieldKind, format, parse};
use super::{Msg, Value};

/// One column of a line-item field: its key (label `items.<list>.<key>`), its kind (text,
/// a whole number, money or a date) and whether a row needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

impl Column {
    pub const fn new(key: &'static str, kind: FieldKind) -> Column {
        Column { key, kind, required: false }
    }
    pub const fn required(mut self) -> Column {
        self.required = true;
        self
    }
}

/// The separator between cells, as typed (a full-width `｜` from a Chinese keyboard too)
/// and as stored.
const SEP: &str = " | ";

fn cells(line: &str) -> Vec<&str> {
    line.split(['|', '｜']).map(str::trim).collect()
}

/// Checks typed rows and gives them in canonical form, or the first problem, naming the
/// row and the column.
pub fn parse_rows(
    list: &'static str,
    columns: &[Column],
    max_rows: usize,
    s: &str,
    ctx: &Context,
) -> Result<String, Msg> {
    let mut out = Vec::new();
    for (n, line) in s.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let row = n + 1;
        if row > max_rows {
            return Err(Msg::new("err.items.too_many").with("max", max_rows));
        }
        let given = cells(line);
        if given.len() > columns.len() {
            return Err(Msg::new("err.items.columns").with("row", row).with("n", columns.len()));
        }
        let mut shown = Vec::with_capacity(columns.len());
        for (i, c) in columns.iter().enumerate() {
            let raw = given.get(i).copied().unwrap_or("");
            let bad = |key: &'static str| {
                Msg::new("err.items.cell")
                    .with("row", row)
                    .with("column", format!("items.{list}.{}", c.key))
                    .with("reason", key)
            };
            let v = parse(c.kind, raw, None, ctx).map_err(|m| bad(reason(m.key)))?;
            if c.required && v.is_null() {
                return Err(bad("err.items.required"));
            }
            shown.push(format(c.kind, &v, ctx.offset));
        }
        while shown.last().is_some_and(|c| c.is_empty()) {
            shown.pop();
        }
        out.push(shown.join(SEP));
    }
    Ok(out.join("\n"))
}

/// A cell's problem in words without placeholders (the row and the column are named
/// around it).
fn reason(key: &str) -> &'static str {
    match key {
        "err.number.invalid" | "err.number.range" => "err.items.number",
        "err.money.invalid" => "err.items.money",
        k if k.starts_with("err.date") => "err.items.date",
        "err.text.too_long" => "err.items.too_long",
        _ => "err.items.invalid",
    }
}

/// The rows of a stored value, each cell as its column's value (empty cells are null).
pub fn rows(columns: &[Column], stored: &Value, ctx: &Context) -> Vec<Vec<Value>> {
    let Some(s) = stored.as_text() else { return Vec::new() };
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let given = cells(line);
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| parse(c.kind, given.get(i).copied().unwrap_or(""), None, ctx).unwrap_or(Value::Null))
                .collect()
        })
        .collect()
}

/// The sum of a money column times a quantity column, row by row (a part's price times
/// how many): the fees a slip charges (R5).
pub fn total(columns: &[Column], stored: &Value, price: &str, quantity: Option<&str>, ctx: &Context) -> i64 {
    let at = |k: &str| columns.iter().position(|c| c.key == k);
    let (Some(p), q) = (at(price), quantity.and_then(at)) else { return 0 };
    rows(columns, stored, ctx)
        .iter()
        .map(|r| {
            let each = r[p].as_i64().unwrap_or(0);
            let n = q.map(|q| r[q].as_i64().unwrap_or(1)).unwrap_or(1);
            each.saturating_mul(n)
        })
        .fold(0i64, i64::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTS: &[Column] = &[
        Column::new("part", FieldKind::Text { max: 40 }).required(),
        Column::new("quantity", FieldKind::Int { min: 1, max: 999 }),
        Column::new("price", FieldKind::Money),
        Column::new("old_serial", FieldKind::Text { max: 40 }),
        Column::new("new_serial", FieldKind::Text { max: 40 }),
    ];

    fn ctx() -> Context {
        Context::new(1_795_745_700, 8 * 3600)
    }

    #[test]
    fn rule_r8_parts_are_typed_a_row_a_line_and_kept_in_one_form() {
        let typed = "膨胀阀 |1| 180.5 | SN-OLD-1 | SN-NEW-9\n\n  密封圈｜2｜12  \n";
        let stored = parse_rows("repair_parts", PARTS, 20, typed, &ctx()).unwrap();
        assert_eq!(stored, "膨胀阀 | 1 | 180.50 | SN-OLD-1 | SN-NEW-9\n密封圈 | 2 | 12");
        // read back, and the same again when parsed twice
        assert_eq!(parse_rows("repair_parts", PARTS, 20, &stored, &ctx()).unwrap(), stored);
        let r = rows(PARTS, &Value::Text(stored.clone()), &ctx());
        assert_eq!(r.len(), 2);
        assert_eq!(r[0][2], Value::Money(18_050));
        assert_eq!(r[1][3], Value::Null);
        // rule R5: the fee is each part's price times how many
        assert_eq!(total(PARTS, &Value::Text(stored), "price", Some("quantity"), &ctx()), 18_050 + 2 * 1_200);
    }

    #[test]
    fn a_bad_cell_names_its_row_and_column() {
        let err = |typed: &str| parse_rows("repair_parts", PARTS, 3, typed, &ctx()).unwrap_err();
        let e = err("阀 | 1 | 10\n圈 | 两个 | 5");
        assert_eq!(
            (e.key, e.args.clone()),
            (
                "err.items.cell",
                vec![
                    ("row", "2".to_string()),
                    ("column", "items.repair_parts.quantity".to_string()),
                    ("reason", "err.items.number".to_string())
                ]
            )
        );
        assert_eq!(err(" | 1 | 10").args[2].1, "err.items.required", "a row names its part");
        assert_eq!(err("阀 | 1 | 十元").args[2].1, "err.items.money");
        assert_eq!(err("a|1|1|b|c|d").key, "err.items.columns");
        assert_eq!(err("a\nb\nc\nd").key, "err.items.too_many");
    }
}
