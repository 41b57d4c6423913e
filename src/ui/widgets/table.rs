//! The one list widget: a page of a register, newest first, voided rows struck through.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table, TableState};

use crate::domain::Value;
use crate::domain::register::{FieldDef, FieldKind, Record, RegisterDef};
use crate::model::Model;
use crate::model::desk::display;
use crate::ui::text::{fit, width};
use crate::ui::theme::Theme;

pub const NUMBER_W: u16 = 15;
pub const CLOCK_W: u16 = 14;
/// The column that takes the leftover room needs at least this much.
pub const FLEX_MIN: u16 = 10;

/// A deadline in words: time left, or how long overdue, coloured by urgency.
pub fn clock_text(m: &Model, th: &Theme, due: i64) -> (String, Style) {
    let left = due - m.now;
    // time left is never rounded down to whole days (6 days 23 hours is not "6 days"); time
    // overdue by three days or more is, as "at least so many days late"
    let span = |secs: i64| {
        let late = secs < 0;
        let secs = secs.abs();
        let (d, h, min) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
        let n = |k: &str, v: i64| m.i18n.tf(k, &[("n", v.to_string())]);
        if d >= 3 && (late || d >= 100) {
            n("clock.days", d)
        } else if d > 0 {
            format!("{}{}", n("clock.days", d), n("clock.hours", h))
        } else if h > 0 {
            format!("{}{}", n("clock.hours", h), n("clock.minutes", min))
        } else {
            n("clock.minutes", min)
        }
    };
    if left < 0 {
        (m.i18n.tf("clock.overdue", &[("t", span(left))]), th.error())
    } else if left < 86_400 {
        (m.i18n.tf("clock.left", &[("t", span(left))]), th.warn())
    } else {
        (m.i18n.tf("clock.left", &[("t", span(left))]), th.info())
    }
}

/// A row of cells, each with its own style, and the row's style.
pub type TableRow = (Vec<(String, Style)>, Style);

/// A row whose cells share the row's style.
pub fn plain(cells: Vec<String>, st: Style) -> TableRow {
    (cells.into_iter().map(|c| (c, Style::new())).collect(), st)
}

/// The column that takes the room left over: one of width 0 if there is one, else the
/// widest (the first of equals).
fn flex_column(widths: &[u16]) -> Option<usize> {
    widths
        .iter()
        .position(|w| *w == 0)
        .or_else(|| widths.iter().enumerate().max_by_key(|(i, w)| (**w, usize::MAX - i)).map(|(i, _)| i))
}

/// The width of every column in `room` terminal columns (one between columns): each as
/// asked, the flexible one the rest (at least its minimum). When even that does not fit,
/// the flexible column and then the last ones give way, so what is drawn is what was cut.
pub fn column_widths(room: u16, widths: &[u16], flex: Option<usize>) -> Vec<u16> {
    let n = widths.len();
    let avail = room.saturating_sub(n.saturating_sub(1) as u16);
    let mut out = widths.to_vec();
    if let Some(fi) = flex {
        let fixed: u16 = widths.iter().enumerate().filter(|(i, _)| *i != fi).map(|(_, w)| *w).sum();
        let least = widths[fi].clamp(1, FLEX_MIN);
        out[fi] = avail.saturating_sub(fixed).max(least);
    }
    let mut total: u16 = out.iter().sum();
    let order: Vec<usize> = flex.into_iter().chain((0..n).rev().filter(|i| Some(*i) != flex)).collect();
    for i in order {
        if total <= avail {
            break;
        }
        let cut = (total - avail).min(out[i].saturating_sub(1));
        out[i] -= cut;
        total -= cut;
    }
    out
}

/// A simple table from ready-made cells.
pub fn draw_cells(
    f: &mut Frame,
    area: Rect,
    th: &Theme,
    block: Block,
    header: Vec<(String, u16)>,
    rows: Vec<TableRow>,
    selected: Option<usize>,
) {
    let asked: Vec<u16> = header.iter().map(|(_, w)| *w).collect();
    let flex = flex_column(&asked);
    let mut widths = column_widths(block.inner(area).width, &asked, flex);
    // a column whose values are wider than asked takes what the flexible column's own
    // values leave (a setting's label read whole at 120 columns): room for nine values
    // in ten, so one long value does not push the rest aside
    if let Some(fi) = flex {
        let held = |c: usize| {
            let mut w: Vec<u16> =
                rows.iter().filter_map(|(cells, _)| cells.get(c)).map(|(t, _)| width(t) as u16).collect();
            w.sort_unstable();
            w.get((w.len() * 9 / 10).min(w.len().saturating_sub(1))).copied()
        };
        let keep = asked[fi].max(held(fi).unwrap_or(0));
        for c in (0..widths.len()).filter(|c| *c != fi) {
            let want = held(c).unwrap_or(0);
            let spare = widths[fi].saturating_sub(keep);
            if want > widths[c] && spare >= want - widths[c] {
                widths[fi] -= want - widths[c];
                widths[c] = want;
            }
        }
    }
    let labels = header.into_iter().map(|(h, _)| h).collect();
    draw_fitted(f, area, th, block, labels, &widths, rows, selected);
}

/// Draws cells into columns of known widths; every text longer than its column is cut
/// and ends in "…", so a cut value never reads as a whole one.
#[allow(clippy::too_many_arguments)]
fn draw_fitted(
    f: &mut Frame,
    area: Rect,
    th: &Theme,
    block: Block,
    labels: Vec<String>,
    widths: &[u16],
    rows: Vec<TableRow>,
    selected: Option<usize>,
) {
    let head = Row::new(labels.iter().zip(widths).map(|(h, w)| Cell::from(fit(h, *w as usize)))).style(th.title());
    let body: Vec<Row> = rows
        .into_iter()
        .map(|(cells, st)| {
            Row::new(
                cells.into_iter().zip(widths).map(|((c, cs), w)| Cell::from(Line::styled(fit(&c, *w as usize), cs))),
            )
            .style(st)
        })
        .collect();
    let constraints: Vec<Constraint> = widths.iter().map(|w| Constraint::Length(*w)).collect();
    // a box with room for one line inside shows a row rather than the headings alone
    let one_line = area.height.saturating_sub(2) == 1 && !body.is_empty();
    let table = Table::new(body, constraints).block(block).row_highlight_style(th.selected()).column_spacing(1);
    let table = if one_line { table } else { table.header(head) };
    let mut state = TableState::default().with_selected(selected);
    f.render_stateful_widget(table, area, &mut state);
}

/// Phones cut to a column: as many whole numbers as fit, then "…"; a number cut inside
/// always ends in "…", so a part of one never reads as a whole one.
pub fn fit_phones(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut whole = String::new();
    for p in s.split(", ") {
        let next = if whole.is_empty() { p.to_string() } else { format!("{whole}, {p}") };
        if width(&next) + 3 > max {
            break;
        }
        whole = next;
    }
    if whole.is_empty() { fit(s, max) } else { format!("{whole}, …") }
}

/// The number cell: the register's marks that hold for the row (or `✗` for a voided
/// one) in a column of their own, so every number starts in the same place.
pub fn number_cell(def: &RegisterDef, r: &crate::domain::register::Record) -> String {
    let room = def.marks.len();
    let marks: String = if r.voided.is_some() {
        "✗".into()
    } else {
        def.marks.iter().filter(|mk| (mk.on)(&r.values)).map(|mk| mk.symbol).collect()
    };
    let pad = room.saturating_sub(width(&marks));
    format!("{marks}{}{}", " ".repeat(pad), r.number)
}

/// What the marks of a register's rows mean, for its list's title ("" where it has none).
pub fn legend(m: &Model, def: &RegisterDef) -> String {
    if def.marks.is_empty() {
        return String::new();
    }
    format!(" · {}", m.t(&format!("list.legend_{}", def.name)))
}

/// A page of one register, and the row under the cursor.
pub struct Page<'a> {
    pub def: &'a RegisterDef,
    pub rows: &'a [Record],
    pub selected: Option<usize>,
}

pub fn draw(f: &mut Frame, area: Rect, m: &Model, th: &Theme, block: Block, page: Page) {
    let Page { def, rows, selected } = page;
    let mut cols: Vec<_> = def.fields.iter().filter(|d| d.list_width > 0).collect();
    // A column's heading: its label, or its short label where the label does not fit.
    // A column is at least as wide as its short label, and wider, up to its whole label,
    // where the row has room; so two cut headings never read alike.
    let full = |d: &FieldDef| m.t(&def.label_key(d.key));
    let short = |d: &FieldDef| {
        let k = format!("field_short.{}.{}", def.name, d.key);
        m.i18n.has(&k).then(|| m.t(&k))
    };
    let col_width = |d: &FieldDef| match short(d) {
        Some(s) if width(&full(d)) > d.list_width as usize => d.list_width.max(width(&s) as u16),
        _ => d.list_width,
    };
    // Leave out the least needed columns until the rest fit.
    let room = area.width.saturating_sub(2) as usize;
    let clock = if def.deadlines.is_empty() { 0 } else { CLOCK_W as usize + 1 };
    let need = |cols: &[&FieldDef]| {
        let widest = cols.iter().map(|d| col_width(d)).max().unwrap_or(0);
        NUMBER_W as usize
            + clock
            + cols
                .iter()
                .map(|d| col_width(d))
                .map(|w| if w == widest { FLEX_MIN as usize + 1 } else { w as usize + 1 })
                .sum::<usize>()
    };
    for drop in def.narrow_drop {
        if need(&cols) <= room {
            break;
        }
        cols.retain(|d| d.key != *drop);
    }
    let full: Vec<String> = cols.iter().map(|d| full(d)).collect();
    let short: Vec<Option<String>> = cols.iter().map(|d| short(d)).collect();
    let mut labels = vec![m.t("list.number")];
    let mut asked = vec![NUMBER_W];
    if !def.deadlines.is_empty() {
        labels.push(m.t("list.clock"));
        asked.push(CLOCK_W);
    }
    let lead = asked.len();
    asked.extend(cols.iter().map(|d| col_width(d)));
    let flex = flex_column(&asked);
    let mut widths = column_widths(area.width.saturating_sub(2), &asked, flex);
    // the widest value each column holds on this page: a column takes the room the
    // flexible one can spare, so a value is cut only where there is no room for it
    let held: Vec<u16> = cols
        .iter()
        .map(|d| {
            let i = def.index(d.key).unwrap_or(0);
            rows.iter()
                .filter(|_| !matches!(d.kind, FieldKind::Phone | FieldKind::Phones))
                .map(|r| match (d.kind, &r.values[i]) {
                    (FieldKind::Choice { .. }, Value::Text(code)) if d.list_width <= 4 => width(code),
                    (FieldKind::Money, Value::Money(c)) => width(&m.money_text(*c)),
                    (_, v) => width(&display(m, d, v)),
                })
                .max()
                .unwrap_or(0) as u16
        })
        .collect();
    if let Some(fi) = flex {
        // first the values of the other columns, then their whole labels with what the
        // flexible column's own values leave
        let flex_held = fi.checked_sub(lead).map(|i| held[i]).unwrap_or(0);
        for pass in 0..2 {
            for (i, label) in full.iter().enumerate() {
                let c = lead + i;
                if c == fi {
                    continue;
                }
                let (want, keep) =
                    if pass == 0 { (held[i], asked[fi]) } else { (width(label) as u16, asked[fi].max(flex_held)) };
                let spare = widths[fi].saturating_sub(keep);
                if want > widths[c] && spare >= want - widths[c] {
                    widths[fi] -= want - widths[c];
                    widths[c] = want;
                }
            }
        }
    }
    for (i, label) in full.iter().enumerate() {
        let w = widths[lead + i] as usize;
        labels.push(match &short[i] {
            Some(s) if width(label) > w => s.clone(),
            _ => label.clone(),
        });
    }
    let body = rows
        .iter()
        .map(|r| {
            // Struck through where the terminal can, and marked where it cannot.
            let number = number_cell(def, r);
            let mut cells = vec![(number, Style::new())];
            if !def.deadlines.is_empty() {
                let first = crate::domain::deadline::first(def, &r.values).filter(|_| r.voided.is_none());
                cells.push(match first {
                    Some((_, due)) => clock_text(m, th, due),
                    None => (String::new(), Style::new()),
                });
            }
            for (ci, d) in cols.iter().enumerate() {
                let i = def.index(d.key).unwrap_or(0);
                // A narrow choice column shows the code itself (the class letter).
                match (d.kind, &r.values[i]) {
                    (FieldKind::Choice { .. }, Value::Text(code)) if d.list_width <= 4 => {
                        cells.push((code.clone(), Style::new()))
                    }
                    (FieldKind::Phone | FieldKind::Phones, v) => {
                        let w = widths[lead + ci] as usize;
                        cells.push((fit_phones(&display(m, d, v), w), Style::new()))
                    }
                    (FieldKind::Money, Value::Money(c)) => cells.push((m.money_text(*c), Style::new())),
                    (_, v) => cells.push((display(m, d, v), Style::new())),
                }
            }
            let st = if r.voided.is_some() { th.voided() } else { Style::new() };
            (cells, st)
        })
        .collect();
    draw_fitted(f, area, th, block, labels, &widths, body, selected);
}
