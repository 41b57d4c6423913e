//! Overlays: the F1 help (from the same command list as the key bar), confirmations,
//! the reason asked when a record is voided, and notices to read at start.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use ratatui::style::Style;

use crate::keymap::{Cmd, Ctx};
use crate::model::commands::{HelpLine, LineKind};
use crate::model::{Confirm, FormKind, Model, Overlay};
use crate::ui::text::{fit, pad, width, wrap_lines};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{self, FormView};
use crate::ui::{boxed, centered, clear};

pub fn draw(f: &mut Frame, area: Rect, m: &Model, ov: &Overlay, th: &Theme) -> Option<(u16, u16)> {
    match ov {
        Overlay::Help => {
            help(f, area, m, th);
            None
        }
        Overlay::Notice(lines) => {
            notice(f, area, m, lines, th);
            None
        }
        Overlay::Confirm(Confirm::SubmitReport) => {
            crate::ui::screens::reports::confirm(f, area, m, th);
            None
        }
        Overlay::Confirm(Confirm::Discard) => {
            let r = centered(area, 50, 5);
            clear(f, r);
            let key = m.keymap.key_for(Ctx::Overlay, Cmd::Confirm).map(|k| k.show()).unwrap_or_default();
            let keys = m.i18n.tf("confirm.yes_no", &[("key", key)]);
            let text = vec![Line::raw(m.t("confirm.discard")), Line::styled(keys, th.key())];
            let p = Paragraph::new(wrap_lines(text, r.width.saturating_sub(2) as usize))
                .block(boxed(th, m.t("confirm.title")));
            f.render_widget(p, r);
            None
        }
        Overlay::Form(kind, form_state) => {
            let (title, hint) = match kind {
                FormKind::VoidReason => ("void.title", "void.hint"),
                FormKind::Narrow => ("narrow.title", "narrow.hint"),
            };
            let h = 2 + 2 + form_state.fields.len() as u16 * 2;
            let r = centered(area, 64, h.min(area.height));
            clear(f, r);
            let block = boxed(th, m.t(title));
            let inner = block.inner(r);
            f.render_widget(block, r);
            let [hint_area, rest] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
            // the dialog says which record it is about, then what to do
            let text = match &form_state.notice {
                Some(n) => format!("{} {}", m.i18n.msg(n), m.t(hint)),
                None => m.t(hint),
            };
            f.render_widget(Paragraph::new(wrap_lines(vec![Line::raw(text)], hint_area.width as usize)), hint_area);
            form::draw(f, rest, m, &FormView { form: form_state, active: true }, th)
        }
    }
}

fn column<'a>(th: &Theme, lines: &[HelpLine], key_w: usize, w: usize) -> Vec<Line<'a>> {
    lines
        .iter()
        .map(|l| match l.kind {
            LineKind::Heading => Line::styled(fit(&l.text, w), th.title()),
            LineKind::Blank => Line::raw(""),
            LineKind::Hint => Line::styled(fit(&format!(" {}", l.text), w), th.dim()),
            LineKind::Key | LineKind::Dim => {
                let keys = format!(" {}", l.keys);
                // a long key list takes its own width; the text gets the rest
                let kw = key_w.max(width(&keys) + 1);
                let (ks, ts) = if l.kind == LineKind::Dim { (th.dim(), th.dim()) } else { (th.key(), Style::new()) };
                Line::from(vec![Span::styled(pad(&keys, kw), ks), Span::styled(fit(&l.text, w.saturating_sub(kw)), ts)])
            }
        })
        .collect()
}

/// The help of where the operator is: this screen's keys on the left, the keys that
/// work everywhere on the right. Longer than the screen, it scrolls (↑↓ PgUp PgDn).
fn help(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    let (left, right) = m.help_lines();
    let rows = left.len().max(right.len());
    let h = (rows as u16 + 2).min(area.height);
    let r = centered(area, 80, h);
    clear(f, r);
    let inner_h = h.saturating_sub(2) as usize;
    let scroll = m.help_scroll.min(rows.saturating_sub(inner_h));
    let mut block = boxed(th, m.t("help.title"));
    if rows > inner_h {
        let more = if scroll + inner_h < rows { "help.more" } else { "help.top" };
        block = block.title_bottom(Span::styled(format!(" {} ", m.t(more)), th.dim()));
    }
    let inner = block.inner(r);
    f.render_widget(block, r);
    let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let skip = |v: Vec<Line<'static>>| v.into_iter().skip(scroll).collect::<Vec<_>>();
    f.render_widget(Paragraph::new(skip(column(th, &left, 13, a.width as usize))), a);
    f.render_widget(Paragraph::new(skip(column(th, &right, 13, b.width as usize))), b);
}

/// What the operator must read before going on: each line of the notice.
fn notice(f: &mut Frame, area: Rect, m: &Model, lines: &[String], th: &Theme) {
    let mut text: Vec<Line> = lines.iter().map(|l| Line::raw(format!("• {l}"))).collect();
    text.push(Line::raw(""));
    text.push(Line::styled(m.t("keymap.footer"), th.dim()));
    let text = wrap_lines(text, 76);
    let r = centered(area, 78, (text.len() as u16 + 2).min(area.height));
    clear(f, r);
    let p = Paragraph::new(text).block(boxed(th, m.t("keymap.title")));
    f.render_widget(p, r);
}
