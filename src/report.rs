//! Reports as text, JSON and CSV, for the command line; the Reports screen draws the
//! same figures. No terminal, no database: figures in, text out.

use crate::domain::stats::{FIGURES, Figures, Report};
use crate::i18n::I18n;

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

pub fn text(r: &Report, i: &I18n, name: &dyn Fn(&str, Option<i64>) -> String, head: &str) -> String {
    let mut out = format!("{head}\n");
    for (g, title) in GROUPS.iter().enumerate().skip(1) {
        let cols = columns(r, g, i, name);
        out.push_str(&format!("\n{}\n", i.t(title)));
        let label_w =
            FIGURES.iter().map(|f| crate::ui::text::width(i.t(&format!("stats.figure.{f}")))).max().unwrap_or(10) + 2;
        let col_w: Vec<usize> = cols
            .iter()
            .map(|(h, f)| {
                FIGURES.iter().map(|x| f.show(x).len()).chain([crate::ui::text::width(h)]).max().unwrap_or(6) + 2
            })
            .collect();
        out.push_str(&" ".repeat(label_w));
        for ((h, _), w) in cols.iter().zip(&col_w) {
            out.push_str(&pad_left(h, *w));
        }
        out.push('\n');
        for fig in FIGURES {
            out.push_str(&crate::ui::text::pad(i.t(&format!("stats.figure.{fig}")), label_w));
            for ((_, f), w) in cols.iter().zip(&col_w) {
                out.push_str(&pad_left(&f.show(fig), *w));
            }
            out.push('\n');
        }
    }
    out
}

fn pad_left(s: &str, w: usize) -> String {
    let n = crate::ui::text::width(s);
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
