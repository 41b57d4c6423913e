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

/// A simple table from ready-made cells.
pub fn draw_cells(
    f: &mut Frame,
    area: Rect,
    th: &Theme,
    block: Block,
    header: Vec<(String, u16)>,
    rows: Vec<(Vec<String>, Style)>,
    selected: Option<usize>,
) {
    // The widest column (a purpose, a name) takes the room left over.
    let flex = header.iter().enumerate().max_by_key(|(i, (_, w))| (*w, usize::MAX - i)).map(|(i, _)| i);
    let widths: Vec<Constraint> = header
        .iter()
        .enumerate()
        .map(|(i, (_, w))| if Some(i) == flex { Constraint::Min(*w) } else { Constraint::Length(*w) })
        .collect();
    let head = Row::new(header.iter().map(|(h, w)| Cell::from(fit(h, *w as usize)))).style(th.title());
    let body: Vec<Row> = rows
        .into_iter()
        .map(|(cells, st)| {
            Row::new(
                cells
                    .into_iter()
                    .zip(&header)
                    .map(|(c, (_, w))| Cell::from(Line::from(fit(&c, (*w as usize).max(40))))),
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
    let need = |cols: &[&crate::domain::FieldDef]| {
        NUMBER_W as usize + cols.iter().map(|d| d.list_width as usize + 1).sum::<usize>()
    };
    for drop in def.narrow_drop {
        if need(&cols) <= room {
            break;
        }
        cols.retain(|d| d.key != *drop);
    }
    let mut header = vec![(m.t("list.number"), NUMBER_W)];
    header.extend(cols.iter().map(|d| (m.t(&def.label_key(d.key)), d.list_width)));
    let body = rows
        .iter()
        .map(|r| {
            // Struck through where the terminal can, and marked where it cannot.
            let mut cells = vec![if r.voided.is_some() { format!("✗{}", r.number) } else { r.number.clone() }];
            for d in &cols {
                let i = def.index(d.key).unwrap_or(0);
                // A narrow choice column shows the code itself (the class letter).
                match (d.kind, &r.values[i]) {
                    (FieldKind::Choice { .. }, Value::Text(code)) if d.list_width <= 4 => cells.push(code.clone()),
                    (_, v) => cells.push(display(m, d, v)),
                }
            }
            let st = if r.voided.is_some() { th.voided() } else { Style::new() };
            (cells, st)
        })
        .collect();
    draw_cells(f, area, th, block, header, body, selected);
}
