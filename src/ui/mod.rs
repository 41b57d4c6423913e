//! Drawing only: the view reads the model and never changes data.

pub mod screens;
pub mod text;
pub mod theme;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::keymap::{Cmd, Ctx};
use crate::model::{Level, Model, Phase, Screen};
use text::{fit, width};
use theme::Theme;

pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

pub fn theme(m: &Model) -> Theme {
    Theme { color: m.color, ascii: m.ascii }
}

pub fn draw(f: &mut Frame, m: &Model) {
    let area = f.area();
    let th = theme(m);
    if area.width < MIN_W || area.height < MIN_H {
        let msg = m.i18n.tf(
            "ui.too_small",
            &[
                ("w", area.width.to_string()),
                ("h", area.height.to_string()),
                ("minw", MIN_W.to_string()),
                ("minh", MIN_H.to_string()),
            ],
        );
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let [top, tabs, body, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    top_bar(f, top, m, &th);
    let mut cursor = match &m.phase {
        Phase::Setup(form) => screens::entry::setup(f, tabs.union(body), m, form, &th),
        Phase::Login(form) => screens::entry::login(f, tabs.union(body), m, form, &th),
        Phase::Desk(d) => {
            if let Some(lock) = &d.lock {
                // A locked terminal shows nothing of the registers.
                screens::entry::locked(f, tabs.union(body), m, lock, &th)
            } else {
                screen_tabs(f, tabs, m, &th);
                match d.screen {
                    Screen::Today => {
                        screens::today::draw(f, body, m, d, &th);
                        None
                    }
                    Screen::Intake | Screen::Complaints => screens::intake::draw(f, body, m, d, &th),
                    Screen::Admin => screens::admin::draw(f, body, m, d, &th),
                    Screen::Reports => {
                        screens::reports::draw(f, body, m, d, &th);
                        None
                    }
                }
            }
        }
    };
    status_line(f, status, m, &th);
    key_bar(f, keys, m, &th);
    if let Some(ov) = &m.overlay {
        cursor = widgets::popup::draw(f, area, m, ov, &th);
    }
    if let Some((x, y)) = cursor {
        f.set_cursor_position((x, y));
    }
}

fn top_bar(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    let mut left = format!(" {}", m.t("app.name"));
    if m.demo {
        left.push_str(&format!(" [{}]", m.t("app.demo")));
    }
    let clock = crate::domain::register::to_local(m.now, m.offset).format("%Y-%m-%d %H:%M").to_string();
    let mut right = Vec::new();
    if let Some(at) = m.remote_at
        && m.now - at < 5
    {
        right.push(Span::styled(format!("● {}  ", m.t("app.remote")), th.remote()));
    }
    if let Some(d) = m.desk() {
        let roles: Vec<String> = d.op.roles.iter().map(|r| m.t(r.label_key())).collect();
        right.push(Span::raw(format!("{} ({})  ", d.op.name, roles.join("/"))));
    }
    right.push(Span::raw(format!("{clock} ")));
    let rw: usize = right.iter().map(|s| width(&s.content)).sum();
    let lw = (area.width as usize).saturating_sub(rw);
    let mut spans = vec![Span::raw(text::pad(&left, lw))];
    spans.extend(right);
    f.render_widget(Paragraph::new(Line::from(spans)).style(th.bar()), area);
}

/// The screens and their keys; the active one marked.
fn screen_tabs(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    let Some(d) = m.desk() else { return };
    let items = [
        (Cmd::Today, "screen.today", Some(Screen::Today)),
        (Cmd::Intake, "screen.intake", Some(Screen::Intake)),
        (Cmd::Complaints, "screen.complaints", Some(Screen::Complaints)),
        (Cmd::Repairs, "screen.repairs", None),
        (Cmd::Archive, "screen.archive", None),
        (Cmd::Reports, "screen.reports", Some(Screen::Reports)),
        (Cmd::Admin, "screen.admin", Some(Screen::Admin)),
    ];
    let mut spans = vec![Span::raw(" ")];
    for (cmd, label, screen) in items {
        let key = m.keymap.key_for(Ctx::Global, cmd).map(|k| k.show()).unwrap_or_default();
        // a screen this operator may not use is shown dim, like those not in this version
        let allowed = match screen {
            Some(Screen::Admin) => d.op.has(crate::domain::Permission::ManageOperators),
            Some(Screen::Reports) => d.op.has(crate::domain::Permission::ViewComplaints),
            Some(s) => !d.boards.iter().any(|b| b.screen == s && b.views.is_empty()),
            None => false,
        };
        let style = match screen {
            Some(s) if s == d.screen => th.tab_active(),
            Some(_) if allowed => th.tab(),
            _ => th.dim(),
        };
        spans.push(Span::styled(key, th.key()));
        spans.push(Span::styled(format!(" {}", m.t(label)), style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn status_line(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    let Some(s) = &m.status else { return };
    let style = match s.level {
        Level::Info => th.info(),
        Level::Warn => th.warn(),
        Level::Error => th.error(),
    };
    f.render_widget(Paragraph::new(Line::styled(fit(&format!(" {}", s.text), area.width as usize), style)), area);
}

/// Commands shown in the key bar: the context's own, then the global ones. Navigation is
/// left to the help.
pub fn bar_commands(m: &Model) -> Vec<(String, String)> {
    use Cmd::*;
    // What the bottom line offers where the operator is; F1 shows everything.
    let (ctx, shown): (Option<Ctx>, &[Cmd]) = match &m.phase {
        Phase::Desk(d) if d.lock.is_none() => match (d.form().is_some(), d.screen) {
            // a voided record cannot be saved: no Ctrl-S offered
            (true, _) if d.form().and_then(|f| f.base.as_ref()).is_some_and(|b| b.voided.is_some()) => {
                (Some(Ctx::Form), &[NextField, Cancel])
            }
            (true, _) => (Some(Ctx::Form), &[Save, NextField, Cancel]),
            (false, Screen::Intake) => (Some(Ctx::List), &[Open, New, Search, Filter, NextTab, Void, Back]),
            (false, Screen::Complaints) => (Some(Ctx::List), &[Open, New, Search, Filter, Narrow, NextTab, Back]),
            (false, Screen::Today) => (Some(Ctx::List), &[Open, New]),
            (false, Screen::Admin) => (Some(Ctx::List), &[Open, New, NextTab]),
            (false, Screen::Reports) => (Some(Ctx::List), &[Open, NextTab, PageUp, PageDown, Submit]),
        },
        _ => (None, &[]),
    };
    // "New" only where this operator may create records of the register shown.
    let may_new = m.desk().and_then(|d| d.view().map(|v| (d, v))).is_none_or(|(d, v)| {
        d.screen == Screen::Today || d.op.has(crate::domain::roles::register_permissions(v.def.name).1)
    });
    let mut out = Vec::new();
    // Help first: it must show even where the line is too short for the rest.
    let first: &[Cmd] = &[Help];
    let global: &[Cmd] = if ctx.is_some() { &[Lock, Quit] } else { &[Quit] };
    let chain = [(Ctx::Global, first)].into_iter().chain(ctx.map(|c| (c, shown))).chain([(Ctx::Global, global)]);
    for (c, cmds) in chain {
        for cmd in cmds.iter().filter(|c| **c != New || may_new) {
            if let Some(b) = m.keymap.context(c).iter().find(|b| b.cmd == *cmd)
                && let Some(k) = b.keys.first()
            {
                out.push((k.show(), m.t(&b.desc)));
            }
        }
    }
    out
}

fn key_bar(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    let mut spans = Vec::new();
    let mut used = 0;
    for (k, d) in bar_commands(m) {
        let w = width(&k) + width(&d) + 3;
        if used + w > area.width as usize {
            break;
        }
        used += w;
        spans.push(Span::styled(format!(" {k}"), th.key()));
        spans.push(Span::raw(format!(" {d} ")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)).style(th.bar()), area);
}

/// A rectangle of at most `w` x `h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h)
}

pub fn boxed<'a>(th: &Theme, title: String) -> Block<'a> {
    Block::bordered().border_set(th.border()).title(Span::styled(format!(" {title} "), th.title()))
}

/// Clears a popup's area and one column either side, so that no double-width
/// character straddles the popup's border.
pub fn clear(f: &mut Frame, r: Rect) {
    let full = f.area();
    let x = r.x.saturating_sub(1);
    let w = (r.width + 2).min(full.width.saturating_sub(x));
    f.render_widget(Clear, Rect::new(x, r.y, w, r.height));
}
