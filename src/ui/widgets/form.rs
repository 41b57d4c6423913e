//! Draws any `FormState`: labels, values, errors at their fields, the caret placed at
//! the real terminal cursor (in display columns) so an input method's window follows it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, Paragraph};

use crate::domain::register::FieldKind;
use crate::model::form::{MULTI_ROWS, Seen};
use crate::model::{FormState, Model};
use crate::ui::text::{fit, hscroll, pad, width, wrap, wrap_text};
use crate::ui::theme::Theme;

pub struct FormView<'a> {
    pub form: &'a FormState,
    /// Draw the caret (false when an overlay has the keyboard).
    pub active: bool,
}

/// A field's value as shown; a choice that can be changed between its arrows.
fn value_text(m: &Model, kind: FieldKind, raw: &str, editable: bool) -> String {
    match kind {
        FieldKind::Secret => "•".repeat(raw.chars().count()),
        FieldKind::Choice { list, .. } => {
            let label = if raw.is_empty() { "—".to_string() } else { m.t(&format!("choice.{list}.{raw}")) };
            if editable { format!("‹ {label} ›") } else { label }
        }
        FieldKind::Flags { list, codes } => {
            // Unfocused: what is ticked. (Focused, see `flag_items`.)
            let ticked: Vec<String> = codes
                .iter()
                .filter(|c| raw.split(',').any(|r| r == **c))
                .map(|c| m.t(&format!("choice.{list}.{c}")))
                .collect();
            if ticked.is_empty() { "—".to_string() } else { ticked.join(&m.t("list.sep")) }
        }
        FieldKind::YesNo => {
            if raw == "yes" {
                format!("[x] {}", m.t("yes"))
            } else {
                format!("[ ] {}", m.t("no"))
            }
        }
        _ => raw.to_string(),
    }
}

/// A focused flags field: every code with its box, on as many rows of `room` columns as
/// they need, so every tick stays in view while the caret moves; and the caret's row and
/// column (inside the box under the caret).
fn flag_rows(
    m: &Model,
    list: &str,
    codes: &[&str],
    raw: &str,
    caret: usize,
    room: usize,
) -> (Vec<String>, (usize, usize)) {
    let caret = caret.min(codes.len().saturating_sub(1));
    let mut rows = vec![String::new()];
    let mut pos = (0, 1);
    for (k, c) in codes.iter().enumerate() {
        let on = raw.split(',').any(|r| r == *c);
        let item = format!("[{}]{}", if on { "x" } else { " " }, m.t(&format!("choice.{list}.{c}")));
        let row = rows.last_mut().expect("rows is never empty");
        if !row.is_empty() && width(row) + 1 + width(&item) > room {
            rows.push(String::new());
        }
        let n = rows.len();
        let row = rows.last_mut().expect("rows is never empty");
        if !row.is_empty() {
            row.push(' ');
        }
        if k == caret {
            pos = (n - 1, width(row) + 1);
        }
        row.push_str(&item);
    }
    (rows, pos)
}

/// Draws the form into `area`; returns the caret position if any.
pub fn draw(f: &mut Frame, area: Rect, m: &Model, view: &FormView, theme: &Theme) -> Option<(u16, u16)> {
    let form = view.form;
    let labels: Vec<String> = form.fields.iter().map(|d| m.t(&format!("field.{}.{}", form.name, d.key))).collect();
    // labels read whole where the form has room (English runs longer than Chinese)
    let widest = if area.width >= 100 { 28 } else { 18 };
    let label_w = labels.iter().map(|l| width(l)).max().unwrap_or(8).clamp(6, widest) + 3;
    let value_w = (area.width as usize).saturating_sub(label_w + 1).max(4);

    // Build every row, remembering where the focused field and its caret are.
    let mut lines: Vec<Line> = Vec::new();
    let mut caret: Option<(usize, usize)> = None;
    let mut focus_row = 0;
    let mut suggest_row = 0;
    let mut focus_end = 0;
    let mut section = None;
    for (i, d) in form.fields.iter().enumerate() {
        let fv = &form.values[i];
        // while the card's history has the keyboard, no field has it
        let focused = i == form.focus && form.related_at.is_none();
        let editable = form.editable(i);
        if d.section.is_some() {
            section = d.section;
        }
        // who completes the current step, when this operator may not: under its heading
        if let Some((at, note)) = &form.step_note
            && *at == i
        {
            if let Some(sec) = section.take() {
                let title = m.t(&format!("section.{}.{sec}", form.name));
                lines.push(Line::styled(format!("── {title} ──"), theme.title()));
            }
            for row in wrap_text(&m.i18n.msg(note), (area.width as usize).saturating_sub(1)) {
                lines.push(Line::styled(row, theme.warn()));
            }
        }
        // Nothing to show and nothing to type: a step not reached yet, a stamp not made.
        if !form.shown(i) {
            continue;
        }
        if let Some(sec) = section.take() {
            let title = m.t(&format!("section.{}.{sec}", form.name));
            lines.push(Line::styled(format!("── {title} ──"), theme.title()));
        }
        let mark = if form.required(i) && editable { "*" } else { " " };
        let label = Span::styled(pad(&labels[i], label_w - 2), if focused { theme.title() } else { theme.label() });
        let req = Span::styled(format!("{mark} "), theme.required());
        let mut style = if editable { Style::new() } else { theme.dim() };
        if focused {
            style = style.patch(theme.focus());
        }
        if focused {
            focus_row = lines.len();
        }
        let mut text = value_text(m, d.kind, &fv.raw, editable);
        // an amount read, not typed in: as money reads (¥8,000.00)
        if d.kind == FieldKind::Money
            && !(focused && editable)
            && let Ok(cents) = crate::domain::register::parse_money(fv.raw.trim())
        {
            text = m.money_text(cents);
        }
        let boxes = match d.kind {
            FieldKind::Flags { list, codes } if focused && editable => {
                Some(flag_rows(m, list, codes, &fv.raw, fv.caret, value_w))
            }
            _ => None,
        };
        let long_text = !editable && d.kind.is_text_input() && width(&text) > value_w;
        if let Some((rows, (row, col))) = boxes {
            // every code with its box; the cursor sits in the box under the caret
            for (r, row_text) in rows.iter().enumerate() {
                let lead = if r == 0 { vec![label.clone(), req.clone()] } else { vec![Span::raw(" ".repeat(label_w))] };
                let mut spans = lead;
                spans.push(Span::styled(pad(row_text, value_w), style));
                lines.push(Line::from(spans));
            }
            caret = Some((focus_row + row, label_w + col.min(value_w)));
        } else if d.kind.is_multiline() || long_text {
            let (rows, pos) = wrap(&text, value_w.saturating_sub(1), fv.caret);
            // a text that cannot be changed is shown whole, to be read (PgUp/PgDn);
            // one being typed in shows its rows around the caret, the start when not focused
            let (first, n) = if !editable {
                (0, rows.len())
            } else if focused {
                let top = fv.top.clamp((pos.0 + 1).saturating_sub(MULTI_ROWS), pos.0);
                (top.min(rows.len().saturating_sub(MULTI_ROWS)), MULTI_ROWS)
            } else {
                (0, MULTI_ROWS)
            };
            for r in 0..n {
                let mut row_text = rows.get(first + r).cloned().unwrap_or_default();
                // more above or below the rows shown
                if (r == 0 && first > 0) || (r + 1 == n && first + n < rows.len()) {
                    row_text = format!("{}…", pad(&row_text, value_w.saturating_sub(1)));
                }
                let lead = if r == 0 { vec![label.clone(), req.clone()] } else { vec![Span::raw(" ".repeat(label_w))] };
                let mut spans = lead;
                spans.push(Span::styled(pad(&row_text, value_w), style));
                lines.push(Line::from(spans));
            }
            if focused && editable && pos.0 >= first && pos.0 < first + n {
                caret = Some((focus_row + pos.0 - first, label_w + pos.1));
            }
        } else {
            let mut shown = text.clone();
            if matches!(d.kind, FieldKind::Lookup(_)) && fv.pick.is_some() {
                shown.push_str(" ✓");
            }
            if focused && editable {
                match d.kind {
                    // the part around the caret, marked where more lies either side
                    k if k.is_text_input() => {
                        let (part, _, col) = hscroll(&text, fv.caret, fv.top, value_w);
                        if !(matches!(k, FieldKind::Lookup(_)) && fv.pick.is_some()) || width(&shown) > value_w {
                            shown = part;
                        }
                        caret = Some((focus_row, label_w + col.min(value_w.saturating_sub(1))));
                    }
                    // on the value, inside its arrows; in the box
                    FieldKind::Choice { .. } => caret = Some((focus_row, label_w + 2)),
                    FieldKind::YesNo => caret = Some((focus_row, label_w + 1)),
                    _ => {}
                }
            }
            lines.push(Line::from(vec![label, req, Span::styled(pad(&shown, value_w), style)]));
        }
        if focused {
            suggest_row = lines.len();
        }
        if let Some(e) = &fv.error {
            // the whole reason, on as many lines as it needs
            for row in wrap_text(&format!("⚠ {}", m.i18n.msg(e)), value_w.saturating_sub(1)) {
                lines.push(Line::from(vec![Span::raw(" ".repeat(label_w)), Span::styled(row, theme.error())]));
            }
        }
        if focused {
            focus_end = lines.len();
        }
    }

    // Scroll so the focused field and its message are visible; PgUp/PgDn move the view
    // from there, as far as the form goes, keeping the focused line on screen when it can.
    let h = area.height as usize;
    // a few lines below the focus stay in view too, so the next field is seen coming;
    // a field taller than the view shows its start
    let need = (focus_end + 3).min(lines.len()).saturating_sub(h).min(focus_row);
    let most = lines.len().saturating_sub(h);
    let scroll = (need as i64 + form.scroll as i64).clamp(0, most.max(need) as i64) as usize;
    // what the keys may move the view by, until the next drawing
    form.seen.set(Seen { cols: value_w, need, most });
    let total = lines.len();
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(h).collect();
    f.render_widget(Paragraph::new(visible), area);
    // fields out of view above or below are marked at the right edge, so none is missed
    if area.width > 0 && h > 0 {
        let x = area.x + area.width - 1;
        if scroll > 0 {
            f.render_widget(Paragraph::new(Line::styled("▲", theme.dim())), Rect::new(x, area.y, 1, 1));
        }
        if scroll + h < total {
            let y = area.y + area.height - 1;
            f.render_widget(Paragraph::new(Line::styled("▼", theme.dim())), Rect::new(x, y, 1, 1));
        }
    }

    // Type-ahead under the focused field.
    if let Some(s) = &form.suggest {
        let top = area.y as usize + suggest_row.saturating_sub(scroll);
        let rows = s.hits.len().min(6);
        let space_below = (area.y + area.height) as usize - top.min((area.y + area.height) as usize);
        let y = if space_below >= rows + 2 { top } else { top.saturating_sub(rows + 3) };
        let w = (value_w as u16).min(area.width.saturating_sub(label_w as u16)).max(10);
        let rect = Rect::new(area.x + label_w as u16, y as u16, w, (rows + 2) as u16).intersection(f.area());
        let items: Vec<ListItem> = s
            .hits
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let st = if Some(i) == s.selected { theme.selected() } else { Style::new() };
                ListItem::new(Line::styled(fit(&h.label, w as usize - 2), st))
            })
            .collect();
        f.render_widget(Clear, rect);
        f.render_widget(
            List::new(items).block(Block::bordered().border_set(theme.border()).title(m.t("form.suggest"))),
            rect,
        );
    }

    let (row, col) = caret?;
    if !view.active || row < scroll || row - scroll >= h {
        return None;
    }
    Some((area.x + col as u16, area.y + (row - scroll) as u16))
}
