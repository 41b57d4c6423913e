//! Drawing only: the view reads the model and never changes data.

pub mod screens;
pub mod text;
pub mod theme;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::keymap::Ctx;
use crate::model::{Level, Model, Phase, Screen};
use text::{fit, width};
use theme::Theme;

pub use crate::model::{MIN_H, MIN_W};

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
        f.render_widget(Paragraph::new(text::wrap_lines(vec![Line::raw(msg)], area.width as usize)), area);
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
                    Screen::Intake | Screen::Complaints | Screen::Repairs => screens::intake::draw(f, body, m, d, &th),
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

/// The screens and their keys as the keymap has them; the active one marked, those this
/// operator may not open and those not in this version dim.
fn screen_tabs(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    let Some(d) = m.desk() else { return };
    let mut spans = vec![Span::raw(" ")];
    for (cmd, label, screen) in crate::model::commands::SCREENS {
        let key = m.keymap.key_for(Ctx::Global, *cmd).map(|k| k.show()).unwrap_or_default();
        let allowed = screen.is_some_and(|s| m.may_go(s));
        let style = match screen {
            Some(s) if *s == d.screen => th.tab_active(),
            Some(_) if allowed => th.tab(),
            _ => th.dim(),
        };
        spans.push(Span::styled(key, if allowed { th.key() } else { th.dim() }));
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

/// Commands shown in the key bar: from the list of what the screen (or the overlay)
/// offers, so the bar, the help and the keys agree.
pub fn bar_commands(m: &Model) -> Vec<(String, String)> {
    fit_bar(m.bar_items(&m.commands()), m.size.0 as usize)
}

fn key_bar(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    key_bar_of(f, area, th, fit_bar(m.bar_items(&m.commands()), area.width as usize));
}

/// As many items as fit in `cols`: where the line is too short, the screen's last
/// commands give way; the kept ones (help, lock, quit) stay.
pub fn fit_bar(mut items: Vec<(String, String, bool)>, cols: usize) -> Vec<(String, String)> {
    let w = |(k, d, _): &(String, String, bool)| width(k) + width(d) + 3;
    while items.iter().map(w).sum::<usize>() > cols {
        // the last item that may give way
        match items.iter().rposition(|i| !i.2) {
            Some(i) => {
                items.remove(i);
            }
            None => {
                items.pop();
            }
        }
    }
    items.into_iter().map(|(k, d, _)| (k, d)).collect()
}

/// Draws a key bar of (key, what it does) pairs.
pub fn key_bar_of(f: &mut Frame, area: Rect, th: &Theme, items: Vec<(String, String)>) {
    let mut spans = Vec::new();
    for (k, d) in items {
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
