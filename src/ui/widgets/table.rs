//! The one list widget: a page of a register, newest first, voided rows struck through.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Cell, Row, Table, TableState};

use crate::domain::Value;
use crate::domain::register::{FieldKind, Record, RegisterDef};
use crate::model::Model;
use crate::model::desk::display;
use crate::ui::text::fit;
use crate::ui::theme::Theme;

pub const NUMBER_W: u16 = 15;
pub const CLOCK_W: u16 = 12;
/// The column that takes the leftover room needs at least this much.
pub const FLEX_MIN: u16 = 10;

/// A deadline in words: time left, or how long overdue, coloured by urgency.
pub fn clock_text(m: &Model, th: &Theme, due: i64) -> (String, Style) {
    let left = due - m.now;
    let span = |secs: i64| {
        let secs = secs.abs();
        let (d, h, min) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
        let n = |k: &str, v: i64| m.i18n.tf(k, &[("n", v.to_string())]);
        if d >= 3 {
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
    // The widest column (a purpose, a name) takes the room left over, unless a column of
    // width 0 is there to take it.
    let flex = header
        .iter()
        .position(|(_, w)| *w == 0)
        .or_else(|| header.iter().enumerate().max_by_key(|(i, (_, w))| (*w, usize::MAX - i)).map(|(i, _)| i));
    let widths: Vec<Constraint> = header
        .iter()
        .enumerate()
        .map(|(i, (_, w))| if Some(i) == flex { Constraint::Min((*w).min(FLEX_MIN)) } else { Constraint::Length(*w) })
        .collect();
    // a flexible column (width 0) shows its whole heading
    let head = Row::new(header.iter().map(|(h, w)| Cell::from(fit(h, if *w == 0 { 40 } else { *w as usize }))))
        .style(th.title());
    let body: Vec<Row> = rows
        .into_iter()
        .map(|(cells, st)| {
            Row::new(
                cells
                    .into_iter()
                    .zip(&header)
                    .map(|((c, cs), (_, w))| Cell::from(Line::styled(fit(&c, (*w as usize).max(40)), cs))),
            )
            .style(st)
        })
        .collect();
    let table = Table::new(body, widths).header(head).block(block).row_highlight_style(th.selected()).column_spacing(1);
    let mut state = TableState::default().with_selected(selected);
    f.render_stateful_widget(table, area, &mut state);
}

/// A register page.
/// A page of one register, and the row under the cursor.
pub struct Page<'a> {
    pub def: &'a RegisterDef,
    pub rows: &'a [Record],
    pub selected: Option<usize>,
}

pub fn draw(f: &mut Frame, area: Rect, m: &Model, th: &Theme, block: Block, page: Page) {
    let Page { def, rows, selected } = page;
    let mut cols: Vec<_> = def.fields.iter().filter(|d| d.list_width > 0).collect();
    // Leave out the least needed columns until the rest fit.
    let room = area.width.saturating_sub(2) as usize;
    let clock = if def.clock.is_some() { CLOCK_W as usize + 1 } else { 0 };
    let need = |cols: &[&crate::domain::FieldDef]| {
        let widest = cols.iter().map(|d| d.list_width).max().unwrap_or(0);
        NUMBER_W as usize
            + clock
            + cols
                .iter()
                .map(|d| if d.list_width == widest { FLEX_MIN as usize + 1 } else { d.list_width as usize + 1 })
                .sum::<usize>()
    };
    for drop in def.narrow_drop {
        if need(&cols) <= room {
            break;
        }
        cols.retain(|d| d.key != *drop);
    }
    let mut header = vec![(m.t("list.number"), NUMBER_W)];
    if def.clock.is_some() {
        header.push((m.t("list.clock"), CLOCK_W));
    }
    header.extend(cols.iter().map(|d| (m.t(&def.label_key(d.key)), d.list_width)));
    let body = rows
        .iter()
        .map(|r| {
            // Struck through where the terminal can, and marked where it cannot.
            let number = if r.voided.is_some() { format!("✗{}", r.number) } else { r.number.clone() };
            let mut cells = vec![(number, Style::new())];
            if let Some(clock) = def.clock {
                cells.push(match clock(&r.values).filter(|_| r.voided.is_none()) {
                    Some(due) => clock_text(m, th, due),
                    None => (String::new(), Style::new()),
                });
            }
            for d in &cols {
                let i = def.index(d.key).unwrap_or(0);
                // A narrow choice column shows the code itself (the class letter).
                match (d.kind, &r.values[i]) {
                    (FieldKind::Choice { .. }, Value::Text(code)) if d.list_width <= 4 => {
                        cells.push((code.clone(), Style::new()))
                    }
                    (_, v) => cells.push((display(m, d, v), Style::new())),
                }
            }
            let st = if r.voided.is_some() { th.voided() } else { Style::new() };
            (cells, st)
        })
        .collect();
    draw_cells(f, area, th, block, header, body, selected);
}
