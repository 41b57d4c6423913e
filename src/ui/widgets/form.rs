//! Draws any `FormState`: labels, values, errors at their fields, the caret placed at
//! the real terminal cursor (in display columns) so an input method's window follows it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, Paragraph};

use crate::domain::register::FieldKind;
use crate::model::{FormState, Model};
use crate::ui::text::{fit, pad, width, wrap};
use crate::ui::theme::Theme;

/// Rows a multi-line field shows.
const MULTI_ROWS: usize = 3;

pub struct FormView<'a> {
    pub form: &'a FormState,
    /// Draw the caret (false when an overlay has the keyboard).
    pub active: bool,
}

fn value_text(m: &Model, kind: FieldKind, raw: &str) -> String {
    match kind {
        FieldKind::Secret => "•".repeat(raw.chars().count()),
        FieldKind::Choice { list, .. } => {
            let label = if raw.is_empty() { "—".to_string() } else { m.t(&format!("choice.{list}.{raw}")) };
            format!("‹ {label} ›")
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

/// Draws the form into `area`; returns the caret position if any.
pub fn draw(f: &mut Frame, area: Rect, m: &Model, view: &FormView, theme: &Theme) -> Option<(u16, u16)> {
    let form = view.form;
    let labels: Vec<String> = form.fields.iter().map(|d| m.t(&format!("field.{}.{}", form.name, d.key))).collect();
    let label_w = labels.iter().map(|l| width(l)).max().unwrap_or(8).clamp(6, 18) + 3;
    let value_w = (area.width as usize).saturating_sub(label_w + 1).max(4);

    // Build every row, remembering where the focused field and its caret are.
    let mut lines: Vec<Line> = Vec::new();
    let mut caret: Option<(usize, usize)> = None;
    let mut focus_row = 0;
    let mut suggest_row = 0;
    let mut focus_end = 0;
    for (i, d) in form.fields.iter().enumerate() {
        let fv = &form.values[i];
        let focused = i == form.focus;
        let mark = if d.required && !d.readonly { "*" } else { " " };
        let label = Span::styled(pad(&labels[i], label_w - 2), if focused { theme.title() } else { theme.label() });
        let req = Span::styled(format!("{mark} "), theme.required());
        let mut style = if d.readonly { theme.dim() } else { Style::new() };
        if focused {
            style = style.patch(theme.focus());
        }
        if focused {
            focus_row = lines.len();
        }
        let text = value_text(m, d.kind, &fv.raw);
        if d.kind.is_multiline() {
            let (rows, pos) = wrap(&fv.raw, value_w.saturating_sub(1), fv.caret);
            let first = pos.0.saturating_sub(MULTI_ROWS - 1).min(rows.len().saturating_sub(MULTI_ROWS));
            for r in 0..MULTI_ROWS {
                let row_text = rows.get(first + r).cloned().unwrap_or_default();
                let lead = if r == 0 { vec![label.clone(), req.clone()] } else { vec![Span::raw(" ".repeat(label_w))] };
                let mut spans = lead;
                spans.push(Span::styled(pad(&row_text, value_w), style));
                lines.push(Line::from(spans));
            }
            if focused {
                caret = Some((focus_row + pos.0 - first, label_w + pos.1));
            }
        } else {
            let mut shown = text.clone();
            if matches!(d.kind, FieldKind::Lookup(_)) && fv.pick.is_some() {
                shown.push_str(" ✓");
            }
            lines.push(Line::from(vec![label, req, Span::styled(pad(&shown, value_w), style)]));
            if focused && d.kind.is_text_input() && !d.readonly {
                let before: String = fv.raw.chars().take(fv.caret).collect();
                let col = if d.kind == FieldKind::Secret { before.chars().count() } else { width(&before) };
                caret = Some((focus_row, label_w + col.min(value_w)));
            }
        }
        if focused {
            suggest_row = lines.len();
        }
        if let Some(e) = &fv.error {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(label_w)),
                Span::styled(fit(&format!("⚠ {}", m.i18n.msg(e)), value_w), theme.error()),
            ]));
        }
        if focused {
            focus_end = lines.len();
        }
    }

    // Scroll so the focused field and its message are visible.
    let h = area.height as usize;
    let scroll = focus_end.saturating_sub(h);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(h).collect();
    f.render_widget(Paragraph::new(visible), area);

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
                let st = if i == s.selected { theme.selected() } else { Style::new() };
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
