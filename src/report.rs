//! Reports as text, JSON and CSV, for the command line; the Reports screen draws the
//! same figures. No terminal, no database: figures in, text out.

use serde_json::{Value, json};

use crate::domain::Settings;
use crate::domain::settings;
use crate::domain::stats::{self, FIGURES, Figures, Report};
use crate::i18n::I18n;
use crate::text::{pad, width};

/// The columns of a report section: (heading, figures).
pub fn columns<'a>(
    r: &'a Report,
    group: usize,
    i: &I18n,
    name: &dyn Fn(&str, Option<i64>) -> String,
) -> Vec<(String, &'a Figures)> {
    let mut cols = vec![(i.t("stats.total").to_string(), &r.total)];
    match group {
        1 => cols
            .extend(r.by_category.iter().map(|(k, f)| (i.t(&format!("choice.complaint_category.{k}")).to_string(), f))),
        2 => cols
            .extend(r.by_channel.iter().map(|(k, f)| (i.t(&format!("choice.complaint_channel.{k}")).to_string(), f))),
        3 => cols.extend(r.by_department.iter().map(|(k, f)| (name("department", *k), f))),
        4 => cols.extend(r.by_handler.iter().map(|(k, f)| (name("operator", *k), f))),
        _ => {}
    }
    cols
}

pub const GROUPS: &[&str] =
    &["stats.by.total", "stats.by.category", "stats.by.channel", "stats.by.department", "stats.by.handler"];

fn args(f: &Figures, s: Option<&Settings>) -> Vec<(&'static str, String)> {
    let mut a =
        vec![("target", f.target("callback_rate").unwrap_or(0).to_string()), ("days", f.callback_days.to_string())];
    if let Some(s) = s {
        a.push(("hours", s.int(settings::COMPLAINT_MAJOR_HOURS).to_string()));
        a.push(("close", s.int(settings::COMPLAINT_CLOSE_DAYS).to_string()));
    }
    a
}

/// A figure's row label; rates name their target (rules F1, F6).
pub fn label(i: &I18n, figure: &str, f: &Figures) -> String {
    let mut a = args(f, None);
    if let Some(t) = f.target(figure) {
        a[0].1 = t.to_string();
    }
    i.tf(&format!("stats.figure.{figure}"), &a)
}

/// What a figure counts, in a sentence.
pub fn about(i: &I18n, figure: &str, f: &Figures, s: &Settings) -> String {
    let mut a = args(f, Some(s));
    if let Some(t) = f.target(figure) {
        a[0].1 = t.to_string();
    }
    i.tf(&format!("stats.about.{figure}"), &a)
}

/// Rule C13: the figures of a submitted month that read differently now, as
/// "Received 52 → 54, Resolved 31 → 32"; None when nothing changed.
pub fn changes(i: &I18n, frozen: &Report, now: &Report) -> Option<String> {
    let items: Vec<String> = stats::changed(&frozen.total, &now.total)
        .into_iter()
        .map(|f| format!("{} {} → {}", label(i, f, &frozen.total), frozen.total.show(f), now.total.show(f)))
        .collect();
    (!items.is_empty()).then(|| i.tf("stats.since", &[("changes", items.join(i.t("stats.list_sep")))]))
}

pub fn text(r: &Report, i: &I18n, name: &dyn Fn(&str, Option<i64>) -> String, head: &str, s: &Settings) -> String {
    let mut out = format!("{head}\n");
    let label_w = FIGURES.iter().map(|f| width(&label(i, f, &r.total))).max().unwrap_or(10) + 2;
    for (g, title) in GROUPS.iter().enumerate().skip(1) {
        let cols = columns(r, g, i, name);
        out.push_str(&format!("\n{}\n", i.t(title)));
        let col_w: Vec<usize> = cols
            .iter()
            .map(|(h, f)| FIGURES.iter().map(|x| width(&f.show(x))).chain([width(h)]).max().unwrap_or(6) + 2)
            .collect();
        out.push_str(&" ".repeat(label_w));
        for ((h, _), w) in cols.iter().zip(&col_w) {
            out.push_str(&pad_left(h, *w));
        }
        out.push('\n');
        for fig in FIGURES {
            out.push_str(&pad(&label(i, fig, &r.total), label_w));
            for ((_, f), w) in cols.iter().zip(&col_w) {
                out.push_str(&pad_left(&f.show(fig), *w));
            }
            out.push('\n');
        }
    }
    out.push_str(&format!("\n{}\n", i.t("stats.legend")));
    for fig in FIGURES {
        out.push_str(&format!("{}{}\n", pad(&label(i, fig, &r.total), label_w), about(i, fig, &r.total, s)));
    }
    out
}

fn pad_left(s: &str, w: usize) -> String {
    let n = width(s);
    format!("{}{s}", " ".repeat(w.saturating_sub(n)))
}

/// One row per group and key; figures as columns.
pub fn csv(r: &Report, i: &I18n, name: &dyn Fn(&str, Option<i64>) -> String) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["group".to_string(), "key".to_string()];
    head.extend(FIGURES.iter().map(|f| f.to_string()));
    w.write_record(&head).map_err(|e| e.to_string())?;
    for (g, title) in GROUPS.iter().enumerate() {
        let cols = columns(r, g, i, name);
        let cols = if g == 0 { &cols[..] } else { &cols[1..] };
        for (k, f) in cols {
            let mut row = vec![title.trim_start_matches("stats.by.").to_string(), k.clone()];
            row.extend(FIGURES.iter().map(|x| f.raw(x)));
            w.write_record(&row).map_err(|e| e.to_string())?;
        }
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// A group of figures for JSON: the cases by complaint number, the computed figures as
/// numbers, and the targets.
fn figures_json(r: &Report, f: &Figures) -> Value {
    let mut o = serde_json::Map::new();
    for fig in FIGURES {
        let v = match *fig {
            "median_days" => json!(f.median_days),
            "callback_rate" => json!(f.callback_rate),
            "callback_in_time_rate" => json!(f.callback_in_time_rate),
            "issue_rate" => json!(f.issue_rate),
            "satisfaction" => json!(f.satisfaction),
            _ => json!(f.ids(fig).iter().map(|id| r.number(*id)).collect::<Vec<_>>()),
        };
        o.insert(fig.to_string(), v);
    }
    o.insert("callback_target".into(), json!(f.callback_target));
    o.insert("callback_days".into(), json!(f.callback_days));
    o.insert("issue_target".into(), json!(stats::ISSUE_TARGET));
    Value::Object(o)
}

/// Who submitted a month's report and when (local time), for the JSON output.
pub struct Submitted {
    pub at: String,
    pub by: String,
}

/// The report as JSON: complaints by number, departments and handlers by name. For a
/// submitted month `r` holds the frozen figures and `now` those of today, with the
/// figures that differ.
pub fn json(
    r: &Report,
    i: &I18n,
    name: &dyn Fn(&str, Option<i64>) -> String,
    submitted: Option<&Submitted>,
    now: Option<&Report>,
) -> Value {
    let keyed = |list: &[(String, Figures)], choice: &str| -> Vec<Value> {
        list.iter()
            .map(|(k, f)| {
                json!({ "key": k, "name": i.t(&format!("choice.{choice}.{k}")), "figures": figures_json(r, f) })
            })
            .collect()
    };
    let named = |list: &[(Option<i64>, Figures)], kind: &str| -> Vec<Value> {
        list.iter().map(|(k, f)| json!({ "name": name(kind, *k), "figures": figures_json(r, f) })).collect()
    };
    let mut o = json!({
        "month": r.month,
        "submitted": submitted.map(|s| json!({ "at": s.at, "by": s.by, "frozen": now.is_some() })),
        "total": figures_json(r, &r.total),
        "by_category": keyed(&r.by_category, "complaint_category"),
        "by_channel": keyed(&r.by_channel, "complaint_channel"),
        "by_department": named(&r.by_department, "department"),
        "by_handler": named(&r.by_handler, "operator"),
    });
    if let Some(now) = now {
        o["since_submission"] = stats::changed(&r.total, &now.total)
            .into_iter()
            .map(|f| json!({ "figure": f, "frozen": r.total.raw(f), "now": now.total.raw(f) }))
            .collect();
        o["now"] = figures_json(now, &now.total);
    }
    o
}
