//! Overlays: the F1 help (from the same command list as the key bar), confirmations,
//! and the reason asked when a record is voided.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::keymap::Ctx;
use crate::model::{Confirm, FormKind, Model, Overlay};
use crate::ui::text::pad;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{self, FormView};
use crate::ui::{boxed, centered, clear};

pub fn draw(f: &mut Frame, area: Rect, m: &Model, ov: &Overlay, th: &Theme) -> Option<(u16, u16)> {
    match ov {
        Overlay::Help => {
            help(f, area, m, th);
            None
        }
        Overlay::Confirm(Confirm::SubmitReport) => {
            crate::ui::screens::reports::confirm(f, area, m, th);
            None
        }
        Overlay::Confirm(Confirm::Discard) => {
            let r = centered(area, 50, 5);
            clear(f, r);
            let p =
                Paragraph::new(vec![Line::raw(m.t("confirm.discard")), Line::styled(m.t("confirm.yes_no"), th.key())])
                    .wrap(Wrap { trim: true })
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
            f.render_widget(Paragraph::new(m.t(hint)).wrap(Wrap { trim: true }), hint_area);
            form::draw(f, rest, m, &FormView { form: form_state, active: true }, th)
        }
    }
}

fn section<'a>(m: &Model, th: &Theme, ctx: Ctx, title: &str, key_w: usize) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(m.t(title), th.title())];
    // Bindings that do the same thing share a line (Tab and ↓: next field).
    let mut seen: Vec<(&str, Vec<String>)> = Vec::new();
    for b in m.keymap.context(ctx) {
        let keys = b.keys.iter().map(|k| k.show());
        match seen.iter_mut().find(|(d, _)| *d == b.desc.as_str()) {
            Some((_, ks)) => ks.extend(keys),
            None => seen.push((b.desc.as_str(), keys.collect())),
        }
    }
    for (desc, keys) in seen {
        lines.push(Line::from(vec![
            Span::styled(pad(&format!(" {}", keys.join(",")), key_w), th.key()),
            Span::raw(m.t(desc)),
        ]));
    }
    lines
}

/// Two columns so the whole list fits 80x24: global and form keys left, list keys and
/// notes right.
fn help(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    let mut left = section(m, th, Ctx::Global, "help.global", 13);
    left.push(Line::raw(""));
    left.extend(section(m, th, Ctx::Form, "help.form", 13));
    let mut right = section(m, th, Ctx::List, "help.list", 13);
    right.push(Line::raw(""));
    for k in ["help.dates", "help.keymap", "help.close"] {
        right.push(Line::styled(format!(" {}", m.t(k)), th.dim()));
    }
    let h = (left.len().max(right.len()) as u16 + 2).min(area.height);
    let r = centered(area, 80, h);
    clear(f, r);
    let block = boxed(th, m.t("help.title"));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    f.render_widget(Paragraph::new(left), a);
    f.render_widget(Paragraph::new(right).wrap(Wrap { trim: false }), b);
}
