//! First-run setup, login, and the lock screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::model::{DEMO_OPERATORS, FormState, Model};
use crate::ui::text::wrap_lines;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{self, FormView};
use crate::ui::widgets::table;
use crate::ui::{boxed, centered};

/// A box with some lines of explanation above a form, sized to hold both.
fn form_box(
    f: &mut Frame,
    area: Rect,
    w: u16,
    m: &Model,
    th: &Theme,
    (title, intro): (String, Vec<Line>),
    form_state: &FormState,
) -> Option<(u16, u16)> {
    let inner_w = w.saturating_sub(2).max(1) as usize;
    let intro = wrap_lines(intro, inner_w);
    let intro_h = intro.len() as u16;
    let h = intro_h + 1 + form_state.fields.len() as u16 * 2 + 2;
    let r = centered(area, w, h);
    let block = boxed(th, title);
    let inner = block.inner(r);
    f.render_widget(block, r);
    let [a, b] = Layout::vertical([Constraint::Length(intro_h + 1), Constraint::Min(1)]).areas(inner);
    f.render_widget(Paragraph::new(intro), a);
    form::draw(f, b, m, &FormView { form: form_state, active: m.overlay.is_none() }, th)
}

pub fn setup(f: &mut Frame, area: Rect, m: &Model, form_state: &FormState, th: &Theme) -> Option<(u16, u16)> {
    let intro = vec![Line::raw(m.t("setup.intro")), Line::styled(m.t("setup.roles"), th.dim())];
    form_box(f, area, 70, m, th, (m.t("setup.title"), intro), form_state)
}

pub fn login(f: &mut Frame, area: Rect, m: &Model, form_state: &FormState, th: &Theme) -> Option<(u16, u16)> {
    let demo_h = if m.demo { DEMO_OPERATORS.len() as u16 + 3 } else { 0 };
    let [top, bottom] = Layout::vertical([Constraint::Min(8), Constraint::Length(demo_h)]).areas(area);
    let cursor = form_box(f, top, 56, m, th, (m.t("login.title"), vec![Line::raw(m.t("login.intro"))]), form_state);
    if m.demo {
        let rows = DEMO_OPERATORS
            .iter()
            .map(|(code, pw, name, roles)| {
                let roles: Vec<String> = crate::domain::roles::parse_roles(roles)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| m.t(r.label_key()))
                    .collect();
                table::plain(
                    vec![code.to_string(), pw.to_string(), name.to_string(), roles.join("/")],
                    ratatui::style::Style::new(),
                )
            })
            .collect();
        let header = vec![
            (m.t("login.code"), 12),
            (m.t("login.password"), 10),
            (m.t("login.name"), 12),
            (m.t("login.roles"), 20),
        ];
        let r = centered(bottom, 64, demo_h);
        table::draw_cells(f, r, th, boxed(th, m.t("login.demo_operators")), header, rows, None);
    }
    cursor
}

pub fn locked(f: &mut Frame, area: Rect, m: &Model, form_state: &FormState, th: &Theme) -> Option<(u16, u16)> {
    let name = m.desk().map(|d| d.op.name.clone()).unwrap_or_default();
    let intro = vec![Line::raw(m.i18n.tf("lock.intro", &[("name", name)])), Line::styled(m.t("lock.switch"), th.dim())];
    form_box(f, area, 64, m, th, (m.t("lock.title"), intro), form_state)
}
