//! Today (F2): this operator's drafts, then today's visitors.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;

use crate::domain::register::to_local;
use crate::model::{Desk, Model};
use crate::ui::boxed;
use crate::ui::theme::Theme;
use crate::ui::widgets::table;

pub fn draw(f: &mut Frame, area: Rect, m: &Model, d: &Desk, th: &Theme) {
    let t = &d.today;
    let drafts_h = t.drafts_height(area.height);
    // the urgent and queued boxes before the day's register, which keeps at least its
    // frame and heading
    let urgent_h = t.urgent_height().min(area.height.saturating_sub(drafts_h + 3));
    let [top, urgent, rest] =
        Layout::vertical([Constraint::Length(drafts_h), Constraint::Length(urgent_h), Constraint::Min(3)]).areas(area);
    // what must be seen at once (rule C11), then the work waiting, above the day's
    // register; each row is selectable, after the drafts
    let mut y = urgent.y;
    let mut at = t.drafts.len();
    let sel_in = |at: usize, n: usize| t.selected.checked_sub(at).filter(|i| *i < n);
    for (def, recs) in &t.urgent {
        let shown = recs.len().min(crate::model::desk::URGENT_SHOWN);
        let h = shown as u16 + 3;
        let r = Rect { y, height: h.min(urgent.bottom().saturating_sub(y)), ..urgent };
        y += h;
        let title = match def.urgent {
            Some(u) => {
                let more = if recs.len() > shown { format!(" {}", m.t("list.more")) } else { String::new() };
                format!("{}{more}", m.t(u.title))
            }
            None => String::new(),
        };
        let block = boxed(th, title).border_style(th.error());
        table::draw(f, r, m, th, block, table::Page { def, rows: &recs[..shown], selected: sel_in(at, shown) });
        at += shown;
    }
    for (k, q) in t.queues.iter().enumerate() {
        // where not every queue fits whole, each gets its share, and at least its named
        // frame: none is left out unseen
        let left = urgent.bottom().saturating_sub(y);
        let after: u16 = t.queues[k + 1..].iter().map(|q| q.rows.len() as u16 + 3).sum();
        let h = if q.rows.len() as u16 + 3 + after <= left {
            q.rows.len() as u16 + 3
        } else {
            // a box of three lines shows its name and one row
            (left / (t.queues.len() - k) as u16).max(3).min(q.rows.len() as u16 + 3)
        };
        let r = Rect { y, height: h.min(left), ..urgent };
        y += h;
        let more = if q.more { format!(" {}", m.t("list.more_elsewhere")) } else { String::new() };
        let block = boxed(th, format!("{}{more}", m.t(q.title)));
        table::draw(f, r, m, th, block, table::Page { def: q.def, rows: &q.rows, selected: sel_in(at, q.rows.len()) });
        at += q.rows.len();
    }
    let rows = t
        .drafts
        .iter()
        .map(|dr| {
            let at = to_local(dr.draft.saved_at, m.offset).format("%m-%d %H:%M").to_string();
            let what = match dr.draft.record_id {
                Some(_) => m.t("today.draft_edit"),
                None => m.t("today.draft_new"),
            };
            table::plain(
                vec![m.t(&format!("register.{}", dr.draft.register)), what, at, dr.summary.clone()],
                Style::new(),
            )
        })
        .collect();
    let sel = (t.selected < t.drafts.len()).then_some(t.selected);
    let header = vec![
        (m.t("today.register"), 12),
        (m.t("today.kind"), 10),
        (m.t("today.saved_at"), 12),
        (m.t("today.summary"), 20),
    ];
    let title = m.i18n.tf("today.drafts", &[("n", t.drafts.len().to_string())]);
    table::draw_cells(f, top, th, boxed(th, title), header, rows, sel);

    // the whole day's count; a page beyond this one is said, never silently left out
    let mut title = m.i18n.tf("today.visitors", &[("n", t.total.to_string())]);
    if t.more || t.anchor.is_some() {
        title.push(' ');
        title.push_str(&m.t("list.more"));
    }
    let sel = t.selected.checked_sub(at);
    if crate::domain::access::may(&crate::domain::visitor::REGISTER, crate::domain::Act::View, &d.op.roles) {
        table::draw(
            f,
            rest,
            m,
            th,
            boxed(th, title),
            table::Page { def: &crate::domain::visitor::REGISTER, rows: &t.visitors, selected: sel },
        );
    } else {
        // no count of a register this operator may not see
        let title = m.t("register.visitor");
        f.render_widget(ratatui::widgets::Paragraph::new(m.t("today.no_register")).block(boxed(th, title)), rest);
    }
}
