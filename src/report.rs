//! Reports as text, JSON and CSV, for the command line; the Reports screen draws the
//! same figures. No terminal, no database: a report's declaration and figures in, text
//! out.

use serde_json::{Value, json};

use crate::domain::Settings;
use crate::domain::stats::{self, Figures, GroupBy, GroupKey, Report, ReportDef};
use crate::i18n::I18n;
use crate::text::{pad, width};

/// How a report names the departments and operators it groups by, and the rows without
/// one ("(none)").
pub struct Names<'a> {
    pub department: &'a dyn Fn(i64) -> String,
    pub operator: &'a dyn Fn(i64) -> String,
}

pub type Namer<'a> = &'a Names<'a>;

/// A group column's heading: a choice's name, or the department's or operator's.
fn heading(by: GroupBy, k: &GroupKey, i: &I18n, name: Namer) -> String {
    match (by, k) {
        (GroupBy::Choice { list, .. }, GroupKey::Text(code)) => i.t(&format!("choice.{list}.{code}")).to_string(),
        (_, GroupKey::Text(t)) => t.clone(),
        (_, GroupKey::Id(None)) => i.t("stats.none").to_string(),
        (GroupBy::Department(_), GroupKey::Id(Some(id))) => (name.department)(*id),
        (_, GroupKey::Id(Some(id))) => (name.operator)(*id),
    }
}

/// The columns of a report tab (0 the total, then each grouping): (heading, figures);
/// the total comes first in each.
pub fn columns<'a>(def: &ReportDef, r: &'a Report, tab: usize, i: &I18n, name: Namer) -> Vec<(String, &'a Figures)> {
    let mut cols = vec![(i.t("stats.total").to_string(), &r.total)];
    if let Some(g) = tab.checked_sub(1).and_then(|g| def.groups.get(g)) {
        cols.extend(r.group(g.key).iter().map(|(k, f)| (heading(g.by, k, i, name), f)));
    }
    cols
}

/// The figures of a report tab, the total first (as `columns`, without the headings).
pub fn tab_figures<'a>(def: &ReportDef, r: &'a Report, tab: usize) -> Vec<&'a Figures> {
    let group = tab.checked_sub(1).and_then(|g| def.groups.get(g)).map(|g| r.group(g.key)).unwrap_or(&[]);
    std::iter::once(&r.total).chain(group.iter().map(|x| &x.1)).collect()
}

/// A figure's row label; rates name their target (rules F1, F6).
pub fn label(def: &ReportDef, i: &I18n, figure: &str, f: &Figures) -> String {
    i.tf(&def.label_key(figure), &def.args(f, figure, None))
}

/// What a figure counts, in a sentence.
pub fn about(def: &ReportDef, i: &I18n, figure: &str, f: &Figures, s: &Settings) -> String {
    i.tf(&def.about_key(figure), &def.args(f, figure, Some(s)))
}

/// Rule C13: the figures of a submitted month that read differently now, as
/// "Received 52 → 54, Resolved 31 → 32"; None when nothing changed.
pub fn changes(def: &ReportDef, i: &I18n, frozen: &Report, now: &Report) -> Option<String> {
    let items: Vec<String> = stats::changed(def, &frozen.total, &now.total)
        .into_iter()
        .map(|f| {
            format!("{} {} → {}", label(def, i, f, &frozen.total), def.show(&frozen.total, f), def.show(&now.total, f))
        })
        .collect();
    (!items.is_empty()).then(|| i.tf("stats.since", &[("changes", items.join(i.t("stats.list_sep")))]))
}

pub fn text(def: &ReportDef, r: &Report, i: &I18n, name: Namer, head: &str, s: &Settings) -> String {
    let mut out = format!("{head}\n");
    let figures = || def.figures.iter().map(|f| f.key);
    let label_w = figures().map(|f| width(&label(def, i, f, &r.total))).max().unwrap_or(10) + 2;
    for (g, group) in def.groups.iter().enumerate() {
        let cols = columns(def, r, g + 1, i, name);
        out.push_str(&format!("\n{}\n", i.t(&def.group_key(group.key))));
        let col_w: Vec<usize> = cols
            .iter()
            .map(|(h, f)| figures().map(|x| width(&def.show(f, x))).chain([width(h)]).max().unwrap_or(6) + 2)
            .collect();
        out.push_str(&" ".repeat(label_w));
        for ((h, _), w) in cols.iter().zip(&col_w) {
            out.push_str(&pad_left(h, *w));
        }
        out.push('\n');
        for fig in figures() {
            out.push_str(&pad(&label(def, i, fig, &r.total), label_w));
            for ((_, f), w) in cols.iter().zip(&col_w) {
                out.push_str(&pad_left(&def.show(f, fig), *w));
            }
            out.push('\n');
        }
    }
    out.push_str(&format!("\n{}\n", i.t("stats.legend")));
    for fig in figures() {
        out.push_str(&format!("{}{}\n", pad(&label(def, i, fig, &r.total), label_w), about(def, i, fig, &r.total, s)));
    }
    out
}

fn pad_left(s: &str, w: usize) -> String {
    let n = width(s);
    format!("{}{s}", " ".repeat(w.saturating_sub(n)))
}

/// One row per group and key; figures as columns.
pub fn csv(def: &ReportDef, r: &Report, i: &I18n, name: Namer) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["group".to_string(), "key".to_string()];
    head.extend(def.figures.iter().map(|f| f.key.to_string()));
    w.write_record(&head).map_err(|e| e.to_string())?;
    for (g, tab) in def.tabs().enumerate() {
        let cols = columns(def, r, g, i, name);
        let cols = if g == 0 { &cols[..] } else { &cols[1..] };
        for (k, f) in cols {
            // a department or operator named like a formula stays text in a spreadsheet (F6)
            let mut row = vec![tab.to_string(), crate::domain::text::protect_cell(k).into_owned()];
            row.extend(def.figures.iter().map(|x| def.raw(f, x.key)));
            w.write_record(&row).map_err(|e| e.to_string())?;
        }
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// A group of figures for JSON: the cases by number, the computed figures as numbers,
/// and the params and constants they name.
fn figures_json(def: &ReportDef, r: &Report, f: &Figures) -> Value {
    let mut o = serde_json::Map::new();
    for fig in def.figures {
        let v = match fig.kind {
            stats::Kind::Cases(_) => json!(f.ids(fig.key).iter().map(|id| r.number(*id)).collect::<Vec<_>>()),
            _ => json!(f.number(fig.key)),
        };
        o.insert(fig.key.to_string(), v);
    }
    for name in def.params.iter().map(|p| p.0).chain(def.constants.iter().map(|c| c.0)) {
        o.insert(name.into(), json!(def.param(f, name)));
    }
    Value::Object(o)
}

/// Who submitted a month's report and when (local time), for the JSON output.
pub struct Submitted {
    pub at: String,
    pub by: String,
}

/// The report as JSON: records by number, departments and handlers by name. For a
/// submitted month `r` holds the frozen figures and `now` those of today, with the
/// figures that differ.
pub fn json(
    def: &ReportDef,
    r: &Report,
    i: &I18n,
    name: Namer,
    submitted: Option<&Submitted>,
    now: Option<&Report>,
) -> Value {
    let mut o = json!({
        "month": r.month,
        "submitted": submitted.map(|s| json!({ "at": s.at, "by": s.by, "frozen": now.is_some() })),
        "total": figures_json(def, r, &r.total),
    });
    for g in def.groups {
        let cols: Vec<Value> = r
            .group(g.key)
            .iter()
            .map(|(k, f)| {
                let named = heading(g.by, k, i, name);
                match (g.by, k) {
                    (GroupBy::Choice { .. }, GroupKey::Text(code)) => {
                        json!({ "key": code, "name": named, "figures": figures_json(def, r, f) })
                    }
                    _ => json!({ "name": named, "figures": figures_json(def, r, f) }),
                }
            })
            .collect();
        o[format!("by_{}", g.key)] = cols.into();
    }
    if let Some(now) = now {
        o["since_submission"] = stats::changed(def, &r.total, &now.total)
            .into_iter()
            .map(|f| json!({ "figure": f, "frozen": def.raw(&r.total, f), "now": def.raw(&now.total, f) }))
            .collect();
        o["now"] = figures_json(def, now, &now.total);
    }
    o
}

#[cfg(test)]
mod tests {
    use crate::domain::stats;
    use crate::i18n::{I18n, Lang};

    /// Every word a declared report draws exists in both languages.
    #[test]
    fn every_report_names_its_figures_and_groupings_in_both_languages() {
        let mut seen = 0;
        for lang in [Lang::En, Lang::Zh] {
            let i = I18n::new(lang);
            for def in stats::declared() {
                let keys = def
                    .figures
                    .iter()
                    .flat_map(|f| [def.label_key(f.key), def.about_key(f.key)])
                    .chain(def.tabs().map(|g| def.group_key(g)))
                    .chain(["title", "pending", "pending_many", "pending_count"].map(|k| format!("{}.{k}", def.text)));
                for k in keys {
                    assert!(i.has(&k), "{lang:?} lacks {k}");
                    seen += 1;
                }
            }
        }
        assert!(seen > 40, "only {seen} keys checked");
    }

    /// F6: a department or operator named like a formula is text in a spreadsheet.
    #[test]
    fn f6_a_group_named_like_a_formula_is_quoted_in_the_csv() {
        use crate::domain::Settings;
        use crate::domain::complaint_report::MONTHLY;
        use crate::domain::stats::{Cell, Row};
        let mut row = Row::new(1, "C-2026-000001".to_string());
        row.set("received_at", Cell::Int(0));
        row.set("step", Cell::Text("closed".into()));
        row.set("department_id", Cell::Int(3));
        row.set("handler_id", Cell::Int(4));
        let r = stats::report(&MONTHLY, "2026-11", i64::MAX, &[row], 0, &Settings::default());
        let names = super::Names { department: &|_| "=HYPERLINK(\"x\")".into(), operator: &|_| "@SUM(1)".into() };
        let out = super::csv(&MONTHLY, &r, &I18n::new(Lang::En), &names).unwrap();
        assert!(out.contains("department,\"'=HYPERLINK(\"\"x\"\")\"") && out.contains("handler,'@SUM(1)"), "{out}");
    }
}
