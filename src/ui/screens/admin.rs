//! Admin (F8): operators, departments, settings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::admin::{AdminTab, AdminTarget, ROLE_SEPARATOR};
use crate::model::{Desk, Model};
use crate::ui::boxed;
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{self, FormView};
use crate::ui::widgets::table;

pub fn draw(f: &mut Frame, area: Rect, m: &Model, d: &Desk, th: &Theme) -> Option<(u16, u16)> {
    let a = &d.admin;
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let mut spans = vec![Span::raw(" ")];
    for t in AdminTab::ALL {
        spans.push(Span::styled(m.t(t.label_key()), if t == a.tab { th.tab_active() } else { th.tab() }));
        spans.push(Span::raw("  "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), head);
    if let Some(fs) = &a.form {
        let title = match &a.target {
            Some(AdminTarget::DepartmentEdit(_)) => m.t("admin.form.department_edit"),
            _ => m.t(&format!("admin.form.{}", fs.name)),
        };
        let block = boxed(th, title);
        let inner = block.inner(body);
        f.render_widget(block, body);
        let [hint, rest] = Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(inner);
        let text = match (fs.name, &a.target) {
            ("operator", _) => m.t("admin.roles_hint"),
            ("setting", Some(AdminTarget::Setting(k))) => m.t(&format!("setting.{k}")),
            _ => String::new(),
        };
        f.render_widget(
            Paragraph::new(crate::ui::text::wrap_lines(vec![text.into()], hint.width as usize)).style(th.dim()),
            hint,
        );
        return form::draw(f, rest, m, &FormView { form: fs, active: m.overlay.is_none() }, th);
    }
    let block = boxed(th, m.t(a.tab.label_key()));
    match a.tab {
        AdminTab::Operators => {
            let header = vec![
                (m.t("admin.code"), 12),
                (m.t("admin.name"), 12),
                (m.t("admin.roles"), 24),
                (m.t("admin.department"), 14),
                (m.t("admin.status"), 8),
            ];
            let rows = d
                .operators
                .iter()
                .map(|o| {
                    let roles: Vec<String> = o.roles.iter().map(|r| m.t(r.label_key())).collect();
                    let status = if o.disabled { m.t("admin.disabled") } else { m.t("admin.active") };
                    let st = if o.disabled { th.voided() } else { Style::new() };
                    let dept = o.department_id.map(|id| d.department_name(id)).unwrap_or_default();
                    table::plain(vec![o.code.clone(), o.name.clone(), roles.join(ROLE_SEPARATOR), dept, status], st)
                })
                .collect();
            table::draw_cells(f, body, th, block, header, rows, Some(a.selected));
        }
        AdminTab::Departments => {
            // the box holds the keys that act on a department, then the list
            let inner = block.inner(body);
            f.render_widget(block, body);
            let [hint, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(2)]).areas(inner);
            f.render_widget(
                Paragraph::new(crate::ui::text::wrap_lines(vec![m.t("admin.dept_hint").into()], hint.width as usize))
                    .style(th.dim()),
                hint,
            );
            let rows = a
                .departments
                .iter()
                .map(|dep| {
                    let (status, st) = if dep.retired {
                        (m.t("admin.retired"), th.voided())
                    } else {
                        (m.t("admin.active"), Style::new())
                    };
                    table::plain(vec![dep.name.clone(), status], st)
                })
                .collect();
            let header = vec![(m.t("admin.department"), 30), (m.t("admin.status"), 10)];
            table::draw_cells(f, list, th, ratatui::widgets::Block::new(), header, rows, Some(a.selected));
        }
        AdminTab::Settings => {
            // every label read whole where two thirds of the width hold it; the value takes
            // the room left (holidays can be a long list)
            let labels: Vec<String> = a.settings.iter().map(|(k, _, _)| m.t(&format!("setting.{k}"))).collect();
            let widest = labels.iter().map(|l| crate::text::width(l) as u16).max().unwrap_or(0);
            let label_w = widest.clamp(44, body.width.saturating_mul(2) / 3);
            let header = vec![(m.t("admin.setting"), label_w), (m.t("admin.value"), 0)];
            let rows = a
                .settings
                .iter()
                .zip(labels)
                .map(|((_, v, changed), label)| {
                    let st = if *changed { th.warn() } else { Style::new() };
                    table::plain(vec![label, v.clone()], st)
                })
                .collect();
            table::draw_cells(f, body, th, block, header, rows, Some(a.selected));
        }
    }
    None
}
