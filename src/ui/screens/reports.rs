//! Reports (the F7 key): a register's monthly report as a table of figures; the cell under
//! the cursor opens the records behind it. A submitted month shows its frozen figures, who
//! submitted them and what reads differently now. Columns that do not fit scroll sideways
//! with the cursor; the label and total columns stay.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::register::to_local;
use crate::domain::stats;
use crate::keymap::Cmd;
use crate::model::{Desk, Model};
use crate::ui::text::{fit, pad, width, wrap};
use crate::ui::theme::Theme;
use crate::ui::{boxed, centered, clear};

/// The widest a value column gets; longer headings end in "…".
const COL_MAX: usize = 14;
/// The widest the label column gets.
const LABEL_MAX: usize = 24;
/// The most lines the note on a submitted month takes.
const NOTE_LINES: usize = 3;

/// The Reports screen's own words for the keys it gives another meaning.
pub fn key_label(cmd: Cmd) -> Option<&'static str> {
    match cmd {
        Cmd::Open => Some("stats.keys.open"),
        Cmd::NextTab => Some("stats.keys.next_tab"),
        Cmd::PageUp => Some("stats.keys.page_up"),
        Cmd::PageDown => Some("stats.keys.page_down"),
        Cmd::Right => Some("stats.keys.scroll"),
        Cmd::Submit => Some("stats.keys.submit"),
        _ => None,
    }
}

/// The first scrolled column (1-based among the group's columns) that keeps `col` in view,
/// given their widths and the room; column 0 (the total) always shows.
fn first_shown(widths: &[usize], col: usize, room: usize) -> usize {
    if col == 0 {
        return 1;
    }
    let mut start = col;
    let mut used = widths.get(col).copied().unwrap_or(0);
    while start > 1 && used + widths[start - 1] <= room {
        start -= 1;
        used += widths[start];
    }
    start
}

pub fn draw(f: &mut Frame, area: Rect, m: &Model, d: &Desk, th: &Theme) {
    let v = &d.reports;
    let (Some(r), Some(def)) = (&v.report, v.def()) else {
        f.render_widget(Paragraph::new(tabs(m, v, th)), area);
        return;
    };
    let inner_w = area.width.saturating_sub(2) as usize;
    // what the month's state says, above the table
    let mut notes: Vec<Line> = Vec::new();
    match (&v.submitted, &v.live) {
        (Some(_), Some(live)) => {
            // the frozen figures are marked in the table's corner; here, what changed since
            let (text, style) = match crate::report::changes(def, &m.i18n, r, live) {
                Some(c) => (c, th.warn()),
                None => (format!("{} {}", m.t("stats.frozen"), m.t("stats.unchanged")), th.info()),
            };
            let cols = area.width.saturating_sub(1) as usize;
            let mut rows = pack(&text, &m.t("stats.list_sep"), cols);
            if rows.len() > NOTE_LINES {
                rows.truncate(NOTE_LINES);
                let last = rows.pop().unwrap_or_default();
                rows.push(fit(&format!("{last}…"), cols));
            }
            notes.extend(rows.into_iter().map(|row| Line::styled(format!(" {row}"), style)));
        }
        (Some(_), None) => notes.push(Line::styled(fit(&format!(" {}", m.t("stats.not_frozen")), inner_w), th.dim())),
        _ => {
            // `s` is named only to those who may mark a month submitted
            let submit = m.commands_under(None).local.iter().any(|o| o.cmd == Cmd::Submit && o.allowed && o.bar);
            let help = if submit { "stats.help" } else { "stats.help_read" };
            notes.push(Line::styled(fit(&format!(" {}", m.t(help)), area.width as usize), th.dim()))
        }
    }
    // what the figure under the cursor counts, below it
    let figures: Vec<&str> = def.figures.iter().map(|x| x.key).collect();
    let figure = figures.get(v.row).or(figures.last()).copied().unwrap_or_default();
    let about = crate::report::about(def, &m.i18n, figure, &r.total, &m.settings);
    let about: Vec<Line> = pack(&about, " ", area.width.saturating_sub(1) as usize)
        .into_iter()
        .take(2)
        .map(|row| Line::styled(format!(" {row}"), th.dim()))
        .collect();
    let [head, note, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(notes.len() as u16),
        Constraint::Min(4),
        Constraint::Length(about.len() as u16),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(tabs(m, v, th)), head);
    f.render_widget(Paragraph::new(notes), note);
    f.render_widget(Paragraph::new(about), foot);

    let month = v.month.map(stats::format_month).unwrap_or_default();
    let due = v.month.map(|mo| stats::due_date(def, mo, &m.settings).format("%Y-%m-%d").to_string());
    let state = match (v.submitted, &v.submitted_by) {
        (Some(at), by) => m.i18n.tf(
            "stats.submitted_by",
            &[
                ("name", by.clone().unwrap_or_default()),
                ("time", to_local(at, m.offset).format("%Y-%m-%d %H:%M").to_string()),
            ],
        ),
        (None, _) => m.t("stats.not_submitted"),
    };
    let title = m
        .i18n
        .tf(&format!("{}.title", def.text), &[("month", month), ("due", due.unwrap_or_default()), ("state", state)]);
    let mut block = boxed(th, fit(&title, inner_w.saturating_sub(2)));
    // F18: the audit trail's head under the figures, to be kept outside the file
    if let Some(h) = &v.head {
        let text = m.i18n.tf(
            "stats.audit_head",
            &[("id", h.id.to_string()), ("hash", crate::domain::text::sanitize(h.short(), false))],
        );
        block = block.title_bottom(Line::styled(fit(&text, inner_w.saturating_sub(2)), th.dim()).right_aligned());
    }
    let inner = block.inner(body);
    f.render_widget(block, body);

    let figs = crate::report::tab_figures(def, r, v.group);
    let labels: Vec<String> = figures.iter().map(|x| crate::report::label(def, &m.i18n, x, &r.total)).collect();
    let label_w = labels.iter().map(|l| width(l)).max().unwrap_or(12).min(LABEL_MAX);
    // each column: a space, then its widest value or heading, right-aligned
    let widths: Vec<usize> = v
        .columns
        .iter()
        .zip(&figs)
        .map(|(c, fig)| {
            1 + figures.iter().map(|x| width(&def.show(fig, x))).chain([width(c)]).max().unwrap_or(4).min(COL_MAX)
        })
        .collect();
    let w = inner.width as usize;
    let total_w = widths.first().copied().unwrap_or(0);
    // the group's columns share what is left, less a column for each scroll marker
    let room = w.saturating_sub(label_w + total_w + 2);
    let start = first_shown(&widths, v.col, room);
    let mut end = start;
    let mut used = 0;
    while end < widths.len() && used + widths[end] <= room {
        used += widths[end];
        end += 1;
    }
    let (left, right) = if th.ascii { ("<", ">") } else { ("◀", "▶") };
    let more_left = start > 1 && widths.len() > 1;
    let more_right = end < widths.len();
    let shown: Vec<usize> = std::iter::once(0).chain(start..end).filter(|i| *i < widths.len()).collect();

    let rows_room = (inner.height as usize).saturating_sub(1);
    let first_row = v.row.saturating_sub(rows_room.saturating_sub(1));
    let mut position =
        if rows_room < figures.len() { format!("{}/{}", v.row + 1, figures.len()) } else { String::new() };
    if v.frozen() {
        position = format!("{} {position}", m.t("stats.frozen_mark"));
    }
    let mut lines = Vec::new();
    let mut header = vec![Span::styled(pad(&position, label_w), th.dim())];
    for (n, &c) in shown.iter().enumerate() {
        if n == 1 {
            header.push(Span::styled(if more_left { left } else { " " }, th.key()));
        }
        header.push(Span::styled(pad_left(&v.columns[c], widths[c]), th.title()));
    }
    if shown.len() == 1 {
        header.push(Span::styled(if more_left { left } else { " " }, th.key()));
    }
    if more_right {
        header.push(Span::styled(right, th.key()));
    }
    lines.push(Line::from(header));
    for (ri, label) in labels.iter().enumerate().skip(first_row).take(rows_room) {
        let x = figures[ri];
        let label_style = if ri == v.row { th.label().add_modifier(Modifier::BOLD) } else { th.label() };
        let mut cells = vec![Span::styled(pad(label, label_w), label_style)];
        for (n, &c) in shown.iter().enumerate() {
            if n == 1 {
                cells.push(Span::raw(" "));
            }
            let st = if ri == v.row && c == v.col { th.selected() } else { Style::new() };
            cells.push(Span::raw(" "));
            cells.push(Span::styled(pad_left(&def.show(figs[c], x), widths[c] - 1), st));
        }
        lines.push(Line::from(cells));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn tabs<'a>(m: &Model, v: &crate::model::reports::ReportView, th: &Theme) -> Line<'a> {
    let mut spans = vec![Span::raw(" ")];
    for (i, g) in v.def().into_iter().flat_map(|d| d.tabs().map(|g| d.group_key(g))).enumerate() {
        spans.push(Span::styled(m.t(&g), if i == v.group { th.tab_active() } else { th.tab() }));
        spans.push(Span::raw("  "));
    }
    Line::from(spans)
}

/// Wraps a list into lines of at most `cols` columns, breaking after a separator where it
/// can, so that "64.3% → 62.1%" stays on one line.
fn pack(text: &str, sep: &str, cols: usize) -> Vec<String> {
    let mut pieces: Vec<String> = text.split_inclusive(sep).map(str::to_string).collect();
    if sep.ends_with(' ') {
        // ", " breaks after the comma; the space starts no line
        pieces.iter_mut().for_each(|p| *p = p.trim_end().to_string() + if p.ends_with(' ') { " " } else { "" });
    }
    let mut rows: Vec<String> = vec![String::new()];
    for piece in pieces {
        let last = rows.last_mut().expect("one row");
        if width(last) + width(piece.trim_end()) <= cols {
            last.push_str(&piece);
        } else if width(&piece) <= cols {
            rows.push(piece);
        } else {
            // longer than a line (Chinese has no spaces): filled up by display width
            let joined = format!("{last}{piece}");
            rows.pop();
            rows.extend(wrap(&joined, cols, usize::MAX).0);
        }
    }
    rows.iter_mut().for_each(|r| *r = r.trim_end().to_string());
    rows.retain(|r| !r.is_empty());
    rows
}

/// Right-aligns `s` in `w` columns, ending in "…" when it does not fit.
fn pad_left(s: &str, w: usize) -> String {
    let s = fit(s, w);
    format!("{}{s}", " ".repeat(w.saturating_sub(width(&s))))
}

/// Rule C13: the question asked before a month is marked submitted.
pub fn confirm(f: &mut Frame, area: Rect, m: &Model, th: &Theme) {
    let month = m.desk().and_then(|d| d.reports.month).map(stats::format_month).unwrap_or_default();
    let w: u16 = 60;
    // wrapped by display width: Chinese has no spaces to break at
    let body = pack(&m.i18n.tf("stats.confirm_body", &[("month", month.clone())]), " ", w as usize - 2);
    let mut lines: Vec<Line> = body.into_iter().map(Line::raw).collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(m.t("stats.confirm_keys"), th.key()));
    let r = centered(area, w, lines.len() as u16 + 2);
    clear(f, r);
    let p = Paragraph::new(lines).block(boxed(th, m.i18n.tf("stats.confirm_title", &[("month", month)])));
    f.render_widget(p, r);
}

#[cfg(test)]
mod tests {
    use super::{first_shown, pack};

    #[test]
    fn a_list_of_changes_breaks_between_its_items() {
        let rows = pack("Since: Received 52 → 53, Resolved 30 → 31, Major 8 → 7", ", ", 30);
        assert_eq!(rows, ["Since: Received 52 → 53,", "Resolved 30 → 31, Major 8 → 7"]);
        let rows = pack("报送后有变化：受理 52 → 53、已解决 30 → 31", "、", 28);
        assert_eq!(rows, ["报送后有变化：受理 52 → 53、", "已解决 30 → 31"]);
        // words stay whole; a long run without spaces fills each line
        assert_eq!(pack("rejected cases are not included", " ", 16), ["rejected cases", "are not included"]);
        assert_eq!(pack("将 2026-11 标记为已报送？表中数字", " ", 20), ["将 2026-11 标记为已", "报送？表中数字"]);
    }

    #[test]
    fn the_column_under_the_cursor_scrolls_into_view() {
        // the total (0) and five columns of 8; room for three
        let w = [8, 8, 8, 8, 8, 8];
        assert_eq!(first_shown(&w, 0, 24), 1);
        assert_eq!(first_shown(&w, 3, 24), 1);
        assert_eq!(first_shown(&w, 4, 24), 2);
        assert_eq!(first_shown(&w, 5, 24), 3);
        // a column wider than the room still shows, alone
        assert_eq!(first_shown(&[8, 30], 1, 24), 1);
    }
}
