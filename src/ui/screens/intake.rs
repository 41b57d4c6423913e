//! A register board, for every register on F3 (visitors, customer cards) and F4
//! (complaints, callbacks): the list, the form with its side panel of facts, similar cases
//! and history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::register::{FieldKind, to_local};
use crate::model::{Desk, FormState, Model, RegisterView};
use crate::ui::boxed;
use crate::ui::text::{fit, width};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{self, FormView};
use crate::ui::widgets::table;

pub fn draw(f: &mut Frame, area: Rect, m: &Model, d: &Desk, th: &Theme) -> Option<(u16, u16)> {
    let v = d.view()?;
    let notice_h = if d.notice.is_some() { 1 } else { 0 };
    let [head, notice, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(notice_h), Constraint::Min(3)]).areas(area);
    let cursor = register_tabs(f, head, m, d, v, th);
    if let Some(n) = &d.notice {
        f.render_widget(Paragraph::new(Line::styled(format!(" ⚑ {n}"), th.warn())), notice);
    }
    match &v.form {
        Some(form_state) => form_panel(f, body, m, v, form_state, th),
        None => {
            let title = match &v.list.only {
                Some((t, _)) => format!("{} — {t} ({})", m.t(&format!("register.{}", v.def.name)), m.t("list.esc_all")),
                None => m.t(&format!("register.{}", v.def.name)),
            };
            // a narrowing in force says so, and how to change or clear it
            let title = if v.list.narrow.is_empty() { title } else { format!("{title} · {}", m.t("list.narrowed")) };
            let page =
                if v.list.more || v.list.anchor.is_some() { format!(" {}", m.t("list.more")) } else { String::new() };
            // what the marks before a number mean, where the register marks rows
            let legend = table::legend(m, v.def);
            let block = boxed(th, format!("{title}{page}{legend}"));
            if v.list.rows.is_empty() {
                let narrowed = !v.list.query().is_empty()
                    || v.list.filter != 0
                    || !v.list.narrow.is_empty()
                    || v.list.only.is_some();
                let msg = if narrowed { m.t("list.no_match") } else { m.t("list.empty") };
                f.render_widget(Paragraph::new(msg).block(block), body);
            } else {
                table::draw(
                    f,
                    body,
                    m,
                    th,
                    block,
                    table::Page { def: v.def, rows: &v.list.rows, selected: Some(v.list.selected) },
                );
            }
            cursor
        }
    }
}

/// Register tabs, the filter and the search box; returns the caret when searching.
fn register_tabs(f: &mut Frame, area: Rect, m: &Model, d: &Desk, v: &RegisterView, th: &Theme) -> Option<(u16, u16)> {
    let mut spans = vec![Span::raw(" ")];
    let tab = d.board().map(|b| b.tab).unwrap_or(0);
    for (i, rv) in d.board().map(|b| b.views.as_slice()).unwrap_or(&[]).iter().enumerate() {
        let st = if i == tab { th.tab_active() } else { th.tab() };
        spans.push(Span::styled(m.t(&format!("register.{}", rv.def.name)), st));
        spans.push(Span::raw("  "));
    }
    let filter = v.def.filters.get(v.list.filter).map(|fd| m.t(fd.key)).unwrap_or_default();
    spans.push(Span::styled(format!("{}: ", m.t("list.filter")), th.dim()));
    spans.push(Span::raw(format!("{filter}  ")));
    // a report's drill-down is not searched, so no search box is offered there
    if v.list.only.is_some() {
        f.render_widget(Paragraph::new(Line::from(spans)), area);
        return None;
    }
    spans.push(Span::styled("/ ", th.key()));
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let query = v.list.search.raw("query");
    let shown = if query.is_empty() && !v.list.searching { m.t("list.search_hint") } else { query.to_string() };
    let st = if v.list.searching {
        th.focus()
    } else if query.is_empty() {
        th.dim()
    } else {
        th.warn()
    };
    let room = (area.width as usize).saturating_sub(used + 1);
    spans.push(Span::styled(fit(&shown, room), st));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
    if v.list.searching && v.form.is_none() {
        let caret = v.list.search.values[0].caret;
        let before: String = query.chars().take(caret).collect();
        let x = (used + width(&before)).min(area.width as usize - 1);
        return Some((area.x + x as u16, area.y));
    }
    None
}

fn form_panel(
    f: &mut Frame,
    area: Rect,
    m: &Model,
    v: &RegisterView,
    fs: &FormState,
    th: &Theme,
) -> Option<(u16, u16)> {
    let title = match &fs.base {
        Some(b) => format!("{} {}", m.t(&format!("register.{}", v.def.name)), b.number),
        None => m.i18n.tf("form.new", &[("register", m.t(&format!("register.{}", v.def.name)))]),
    };
    let dirty = if fs.dirty { format!(" ● {}", m.t("form.unsaved")) } else { String::new() };
    let block = boxed(th, format!("{title}{dirty}"));
    let inner = block.inner(area);
    f.render_widget(block, area);

    // Facts beside the form: what the rules derive, conflicts, notices.
    let mut side: Vec<Line> = Vec::new();
    if let Some(n) = &fs.notice {
        side.push(Line::styled(m.i18n.msg(n), th.error()));
    }
    if let Some(c) = &fs.conflict {
        let at = to_local(c.at, m.offset).format("%H:%M").to_string();
        // the fields both changed are listed under the heading that says so; none, no such heading
        let head = if c.fields.is_empty() { "conflict.head_merged" } else { "conflict.head" };
        side.push(Line::styled(m.i18n.tf(head, &[("name", c.by.clone()), ("time", at)]), th.warn()));
        for (i, theirs, mine) in &c.fields {
            let label = m.t(&format!("field.{}.{}", fs.name, fs.fields[*i].key));
            // my own choice by its label, as theirs is
            let mine = match fs.fields[*i].kind {
                FieldKind::Choice { list, .. } if !mine.is_empty() => m.t(&format!("choice.{list}.{mine}")),
                FieldKind::Flags { list, .. } => mine
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(|c| m.t(&format!("choice.{list}.{c}")))
                    .collect::<Vec<_>>()
                    .join(&m.t("list.sep")),
                _ => mine.clone(),
            };
            side.push(Line::raw(format!("{label}: {theirs} → {mine}")));
        }
        if !c.merged.is_empty() {
            let names: Vec<String> =
                c.merged.iter().map(|i| m.t(&format!("field.{}.{}", fs.name, fs.fields[*i].key))).collect();
            side.push(Line::styled(
                m.i18n.tf("conflict.merged", &[("fields", names.join(&m.t("list.sep")))]),
                th.info(),
            ));
        }
        side.push(Line::styled(m.t("conflict.hint"), th.dim()));
    }
    if let Some(b) = &fs.base
        && let Some(vd) = &b.voided
    {
        let at = to_local(vd.at, m.offset).format("%Y-%m-%d %H:%M").to_string();
        side.push(Line::styled(
            m.i18n.tf("record.voided_by", &[("reason", vd.reason.clone()), ("name", d_name(m, vd.by)), ("time", at)]),
            th.error(),
        ));
    }
    if let (Some(wf), Some(b)) = (v.def.workflow, &fs.base) {
        let step = wf.current(v.def, &b.values);
        let mut line = vec![Span::styled(
            m.i18n.tf("form.step", &[("step", m.t(&format!("step.{}.{step}", v.def.name)))]),
            th.title(),
        )];
        // a voided record owes nothing
        if let Some((_, due)) = crate::domain::deadline::first(v.def, &b.values).filter(|_| b.voided.is_none()) {
            let (t, st) = crate::ui::widgets::table::clock_text(m, th, due);
            line.push(Span::raw("  "));
            // which deadline it counts: the case's, the step's, the upward report's
            if let Some((d, _)) = crate::domain::deadline::first(v.def, &b.values) {
                line.push(Span::styled(format!("{} ", m.t(&d.label_key(v.def))), st));
            }
            line.push(Span::styled(t, st));
        }
        side.push(Line::from(line));
    }
    let ctx = m.ctx();
    let values = fs.values_so_far(&ctx);
    let at = v.def.derived_at.map(|f| f(&values, &m.settings, &ctx)).unwrap_or_default();
    for msg in (v.def.derived)(&values, &m.settings).into_iter().chain(at) {
        side.push(Line::styled(format!("• {}", m.i18n.msg(&msg)), th.info()));
    }
    if let Some(note) = &fs.link_note {
        // a register may say it in its own words (a repair's reporter is no visitor, I3)
        let mine = format!("{}_{}", note.key, v.def.name);
        let said = if m.i18n.has(&mine) {
            m.i18n.tf(&mine, &note.args.iter().map(|(k, a)| (*k, a.clone())).collect::<Vec<_>>())
        } else {
            m.i18n.msg(note)
        };
        side.push(Line::styled(format!("• {said}"), th.info()));
    }
    // A number the figures above are worked out from, as typed now: when it is not one,
    // it says why (the figures are left out rather than guessed).
    for (d, fv) in fs.fields.iter().zip(&fs.values) {
        if matches!(d.kind, FieldKind::Int { .. } | FieldKind::Money)
            && !fv.raw.trim().is_empty()
            && let Err(e) = crate::domain::register::parse(d.kind, &fv.raw, fv.pick, &ctx)
        {
            let label = m.t(&format!("field.{}.{}", fs.name, d.key));
            let text = m.i18n.tf("form.field_error", &[("field", label), ("error", m.i18n.msg(&e))]);
            side.push(Line::styled(format!("⚠ {text}"), th.error()));
        }
    }
    if let Some(b) = &fs.base {
        let created = to_local(b.created_at, m.offset).format("%Y-%m-%d %H:%M").to_string();
        let by = d_name(m, b.created_by);
        side.push(Line::styled(m.i18n.tf("form.created", &[("time", created), ("name", by)]), th.dim()));
        if let (Some(at), Some(by)) = (b.updated_at, b.updated_by) {
            let at = to_local(at, m.offset).format("%Y-%m-%d %H:%M").to_string();
            side.push(Line::styled(m.i18n.tf("form.updated", &[("time", at), ("name", d_name(m, by))]), th.dim()));
        }
    }
    let wide = inner.width >= 110;
    // the similar cases (rule C15): a heading, the cases, how to link, what is linked.
    // Narrow, each case is one line cut with "…", and as many as fit are listed, so the
    // keys and the link made are never out of sight.
    let mut similar: Vec<Line> = Vec::new();
    // a register may say it in its own words (a repeat repair is not the same case)
    let own = |key: &str| {
        let mine = format!("{key}_{}", v.def.name);
        if m.i18n.has(&mine) { mine } else { key.to_string() }
    };
    let mut similar_tail: Vec<Line> = Vec::new();
    let mut cases: Vec<Line> = Vec::new();
    if !fs.similar.is_empty() {
        similar.push(Line::styled(m.t(&own("form.similar")), th.warn()));
        let chosen = fs.merge_into.map(|(id, _)| id);
        for s in &fs.similar {
            let mark = if Some(s.id) == chosen { "▶" } else { " " };
            let text = format!("{mark}{} {}", s.number, s.summary);
            cases.push(Line::raw(if wide { text } else { fit(&text, inner.width as usize) }));
        }
        similar_tail.push(Line::styled(m.t(&own("form.similar_hint")), th.dim()));
    }
    if let Some((into, reopen)) = fs.merge_into {
        let number = fs.similar.iter().find(|s| s.id == into).map(|s| s.number.clone()).unwrap_or_default();
        let key = if reopen { "form.reopening".to_string() } else { own("form.linked") };
        similar_tail.push(Line::styled(m.i18n.tf(&key, &[("number", number)]), th.info()));
    }
    if wide {
        side.append(&mut similar);
        side.append(&mut cases);
        side.append(&mut similar_tail);
    }
    let history = !fs.related.is_empty();
    let (form_area, side_area, history_area) = if wide {
        // a card's history lines want room: half the width, beside a form that needs little
        let side_w = if history { (inner.width / 2).max(44) } else { 44 };
        let [a, b] = Layout::horizontal([Constraint::Min(60), Constraint::Length(side_w)]).areas(inner);
        // the facts first, the card's history below them, as long as the column goes
        let facts: usize = side.iter().map(|l| wrapped_rows(l, b.width as usize)).sum();
        let facts = if history { (facts as u16).min(b.height / 2) } else { b.height };
        let [s, h] = Layout::vertical([Constraint::Length(facts), Constraint::Min(0)]).areas(b);
        (a, s, h)
    } else {
        let cols = inner.width as usize;
        let rows_of = |ls: &[Line]| ls.iter().map(|l| wrapped_rows(l, cols)).sum::<usize>() as u16;
        let general = rows_of(&side);
        // the similar cases may take half the form's height, the other facts a third
        let (sim_h, shown) = if similar.is_empty() && similar_tail.is_empty() {
            (0, 0)
        } else {
            let fixed = rows_of(&similar) + rows_of(&similar_tail);
            let room = (inner.height / 2).saturating_sub(fixed).max(1) as usize;
            let shown = if cases.len() <= room { cases.len() } else { room.saturating_sub(1).max(1) };
            (fixed + shown as u16 + u16::from(shown < cases.len()), shown)
        };
        if shown < cases.len() {
            let n = cases.len() - shown;
            cases.truncate(shown);
            cases.push(Line::styled(fit(&m.i18n.tf("form.similar_more", &[("n", n.to_string())]), cols), th.dim()));
        }
        similar.append(&mut cases);
        similar.append(&mut similar_tail);
        // an edit conflict is what matters then: it may take all but the form's last rows
        let cap = if fs.conflict.is_some() || fs.notice.is_some() {
            inner.height.saturating_sub(sim_h + 5)
        } else {
            (inner.height / 3).max(inner.height.saturating_sub(sim_h + 5) / 2)
        };
        let h = general.min(cap) + sim_h;
        // the history: a third of the form's height, or all the form can spare while it
        // has the keyboard
        let lines = fs.related.len() as u16 + 1 + u16::from(fs.related_more);
        let room = if fs.related_at.is_some() { inner.height.saturating_sub(h + 5) } else { inner.height / 3 };
        let hh = if history { lines.min(room.max(2)) } else { 0 };
        let [a, b, c] =
            Layout::vertical([Constraint::Min(5), Constraint::Length(h), Constraint::Length(hh)]).areas(inner);
        (a, b, c)
    };
    if similar.is_empty() {
        f.render_widget(Paragraph::new(crate::ui::text::wrap_lines(side, side_area.width as usize)), side_area);
    } else {
        // narrow: the similar cases at the bottom of the facts, always whole
        let cols = side_area.width as usize;
        let sim_h: u16 = similar.iter().map(|l| wrapped_rows(l, cols)).sum::<usize>() as u16;
        let [g, s] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(sim_h.min(side_area.height))]).areas(side_area);
        f.render_widget(Paragraph::new(crate::ui::text::wrap_lines(side, cols)), g);
        f.render_widget(Paragraph::new(crate::ui::text::wrap_lines(similar, cols)), s);
    }
    if history {
        history_panel(f, history_area, m, fs, th);
    }
    form::draw(f, form_area, m, &FormView { form: fs, active: m.overlay.is_none() }, th)
}

/// Rows a line takes when wrapped to `cols`.
fn wrapped_rows(l: &Line, cols: usize) -> usize {
    crate::ui::text::wrap_lines(vec![l.clone()], cols).len()
}

/// A card's history (rule I8): one line per visit, newest first, as many as fit; with the
/// keyboard (Tab past the last field) a line is chosen, the list scrolls to keep it in
/// view, and Enter opens it.
fn history_panel(f: &mut Frame, area: Rect, m: &Model, fs: &FormState, th: &Theme) {
    if area.height == 0 {
        return;
    }
    let cols = area.width as usize;
    let hint = if fs.related_at.is_some() { m.t("form.related_keys") } else { m.t("form.related_enter") };
    let title = m.i18n.tf("form.related_count", &[("n", fs.related.len().to_string())]);
    let mut lines = vec![Line::from(vec![
        Span::styled(title.clone(), th.title()),
        Span::styled(fit(&format!("  {hint}"), cols.saturating_sub(width(&title))), th.dim()),
    ])];
    let rows = (area.height as usize).saturating_sub(1);
    let n = fs.related.len();
    // a last row says what is not shown, when something is not
    let tail = rows > 1 && (n > rows || fs.related_more);
    let list_rows = if tail { rows - 1 } else { rows };
    let sel = fs.related_at;
    let top = sel.map(|s| (s + 1).saturating_sub(list_rows)).unwrap_or(0);
    let end = (top + list_rows).min(n);
    for (i, r) in fs.related.iter().enumerate().take(end).skip(top) {
        let at = to_local(r.at, m.offset).format("%m-%d").to_string();
        let text = fit(&format!("{} {at} {}", r.number, r.summary), cols);
        let st = if sel == Some(i) { th.selected() } else { Style::new() };
        lines.push(Line::styled(text, st));
    }
    if tail && end < n {
        lines
            .push(Line::styled(fit(&m.i18n.tf("form.related_below", &[("n", (n - end).to_string())]), cols), th.dim()));
    } else if tail && fs.related_more {
        lines.push(Line::styled(fit(&m.t("form.related_more"), cols), th.dim()));
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn d_name(m: &Model, id: i64) -> String {
    m.desk().map(|d| d.operator_name(id)).unwrap_or_default()
}
