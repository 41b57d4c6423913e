//! Reports (the F7 key): the month's complaint statistics as a table of figures; the cell under
//! the cursor opens the cases behind it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::register::to_local;
use crate::domain::stats::{FIGURES, Figures};
use crate::model::{Desk, Model};
use crate::ui::boxed;
use crate::ui::text::width;
use crate::ui::theme::Theme;
use crate::ui::widgets::table;

pub fn draw(f: &mut Frame, area: Rect, m: &Model, d: &Desk, th: &Theme) {
    let v = &d.reports;
    let [head, hint, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let mut spans = vec![Span::raw(" ")];
    for (i, g) in crate::report::GROUPS.iter().enumerate() {
        spans.push(Span::styled(m.t(g), if i == v.group { th.tab_active() } else { th.tab() }));
        spans.push(Span::raw("  "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), head);
    f.render_widget(Paragraph::new(Line::styled(format!(" {}", m.t("stats.help")), th.dim())), hint);
    let Some(r) = &v.report else { return };
    let month = v.month.map(crate::domain::stats::format_month).unwrap_or_default();
    let due = v.month.map(|mo| crate::domain::stats::due_date(mo, &m.settings).format("%Y-%m-%d").to_string());
    let state = match v.submitted {
        Some(at) => {
            m.i18n.tf("stats.submitted", &[("time", to_local(at, m.offset).format("%Y-%m-%d %H:%M").to_string())])
        }
        None => m.t("stats.not_submitted"),
    };
    let title = m.i18n.tf("stats.title", &[("month", month), ("due", due.unwrap_or_default()), ("state", state)]);
    let figs: Vec<&Figures> = std::iter::once(&r.total)
        .chain(match v.group {
            1 => r.by_category.iter().map(|x| &x.1).collect::<Vec<_>>(),
            2 => r.by_channel.iter().map(|x| &x.1).collect(),
            3 => r.by_department.iter().map(|x| &x.1).collect(),
            4 => r.by_handler.iter().map(|x| &x.1).collect(),
            _ => vec![],
        })
        .collect();
    let label_w = FIGURES.iter().map(|x| width(&m.t(&format!("stats.figure.{x}")))).max().unwrap_or(12) as u16 + 1;
    let mut header = vec![(String::new(), label_w)];
    for (c, fig) in v.columns.iter().zip(&figs) {
        let w = FIGURES.iter().map(|x| width(&fig.show(x))).chain([width(c)]).max().unwrap_or(6) as u16 + 1;
        header.push((c.clone(), w.max(6)));
    }
    header.push((String::new(), 0));
    let rows = FIGURES
        .iter()
        .enumerate()
        .map(|(ri, x)| {
            let mut cells = vec![(m.t(&format!("stats.figure.{x}")), th.label())];
            for (ci, fig) in figs.iter().enumerate() {
                let st = if ri == v.row && ci == v.col { th.selected() } else { Style::new() };
                cells.push((fig.show(x), st));
            }
            (cells, Style::new())
        })
        .collect();
    table::draw_cells(f, body, th, boxed(th, title), header, rows, None);
}
