//! Display-width helpers: CJK characters take two columns. Pure text in, text out, for
//! the screens and for the text reports of the command line alike.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

pub fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Cuts `s` to at most `max` columns, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// Pads `s` with spaces to exactly `cols` columns (cutting if longer).
pub fn pad(s: &str, cols: usize) -> String {
    let s = fit(s, cols);
    let w = width(&s);
    format!("{s}{}", " ".repeat(cols.saturating_sub(w)))
}

/// Closing punctuation: never the first character of a line (kinsoku).
fn closing(c: char) -> bool {
    "，。、；：？！）」』】》〉〕］｝”’．…‥％,.;:?!)]}".contains(c)
}

/// Opening punctuation: never the last character of a line.
fn opening(c: char) -> bool {
    "（「『【《〈〔［｛“‘([{".contains(c)
}

/// A line may break between `a` and `b`: after spaces, between wide (CJK) characters,
/// after a hyphen before a letter ("well-|known"); never inside a date, a number or a
/// phone (`11-22`, `C-2026-000065`, `021-6288`), before closing or after opening
/// punctuation.
fn may_break(a: char, b: char) -> bool {
    if closing(b) || opening(a) || b.is_whitespace() {
        return false;
    }
    a.is_whitespace() || char_width(a) > 1 || char_width(b) > 1 || (a == '-' && b.is_alphabetic()) || opening(b)
}

/// Where text wraps into rows of at most `cols` columns: each row's char range (start,
/// end), a newline ending a row and belonging to none. Words are not split unless one is
/// longer than a row; CJK text breaks between characters, keeping closing punctuation
/// with the character before it and opening punctuation with the one after (kinsoku).
/// Spaces where a row breaks stay at the end of the row they follow.
pub fn wrap_ranges(s: &str, cols: usize) -> Vec<(usize, usize)> {
    let cols = cols.max(2);
    let chars: Vec<char> = s.chars().collect();
    let mut rows = Vec::new();
    let mut start = 0;
    let mut w = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            rows.push((start, i));
            start = i + 1;
            w = 0;
            i += 1;
            continue;
        }
        let cw = char_width(c);
        if w + cw <= cols || i == start {
            w += cw;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            // spaces hang at the end of the row; the next word starts the next one
            while i < chars.len() && chars[i] != '\n' && chars[i].is_whitespace() {
                i += 1;
            }
            rows.push((start, i));
            start = i;
            w = 0;
            continue;
        }
        // the last place in this row where it may break before `c` comes down
        let at = (start + 1..=i).rev().find(|&j| may_break(chars[j - 1], chars[j]));
        let at = match at {
            Some(j) => j,
            // one word longer than the row: cut it, but not right before a closing mark
            None if closing(c) && i - 1 > start => i - 1,
            None => i,
        };
        rows.push((start, at));
        start = at;
        w = chars[start..i].iter().map(|&c| char_width(c)).sum();
    }
    rows.push((start, chars.len()));
    rows
}

/// Wraps text into rows of at most `cols` columns (see `wrap_ranges`). Returns the rows
/// and, for the caret (a char index), its (row, column).
pub fn wrap(s: &str, cols: usize, caret: usize) -> (Vec<String>, (usize, usize)) {
    let cols = cols.max(2);
    let chars: Vec<char> = s.chars().collect();
    let mut ranges = wrap_ranges(s, cols);
    // a caret after a full last row goes on a new row, where the next character would
    let &(ls, le) = ranges.last().expect("one row at least");
    let last_w: usize = chars[ls..le].iter().map(|&c| char_width(c)).sum();
    if caret >= chars.len() && last_w >= cols && le > ls {
        ranges.push((le, le));
    }
    let caret = caret.min(chars.len());
    let mut pos = None;
    let mut rows = Vec::with_capacity(ranges.len());
    for (r, &(a, b)) in ranges.iter().enumerate() {
        let mut row: String = chars[a..b].iter().collect();
        // hanging spaces do not take columns the row has not got
        while width(&row) > cols && row.ends_with(char::is_whitespace) {
            row.pop();
        }
        // a caret where a row wraps is at the start of the next row
        let next = ranges.get(r + 1).map(|n| n.0);
        if pos.is_none() && a <= caret && (caret < b || (caret == b && next != Some(b))) {
            let before: usize = chars[a..caret].iter().map(|&c| char_width(c)).sum();
            pos = Some((r, before.min(cols)));
        }
        rows.push(row);
    }
    (rows, pos.unwrap_or((ranges.len() - 1, 0)))
}

/// Wraps a message into rows of at most `cols` columns (see `wrap_ranges`).
pub fn wrap_text(s: &str, cols: usize) -> Vec<String> {
    wrap(s, cols, 0).0
}

/// What a one-line box of `cols` columns shows of `s` with the caret at char `caret`,
/// starting at char `from` when the caret is in view from there: the shown text, with `…`
/// where more lies left or right, the first char shown, and the caret's column.
pub fn hscroll(s: &str, caret: usize, from: usize, cols: usize) -> (String, usize, usize) {
    let chars: Vec<char> = s.chars().collect();
    let caret = caret.min(chars.len());
    if width(s) < cols {
        return (s.to_string(), 0, chars[..caret].iter().map(|&c| char_width(c)).sum());
    }
    let cols = cols.max(4);
    let span = |a: usize, b: usize| chars[a..b].iter().map(|&c| char_width(c)).sum::<usize>();
    // the caret needs its own column; a mark takes one at each cut side
    let fits = |from: usize| {
        let lead = usize::from(from > 0);
        let tail = usize::from(lead + span(from, chars.len()) >= cols);
        lead + span(from, caret) + 1 + tail <= cols
    };
    let mut from = from.min(caret);
    while from < caret && !fits(from) {
        from += 1;
    }
    // no room wasted on the left: start earlier while the caret still fits
    while from > 0 && fits(from - 1) && span(from - 1, chars.len()) + 1 < cols {
        from -= 1;
    }
    let lead = if from > 0 { "…" } else { "" };
    let mut out = lead.to_string();
    let mut w = width(lead);
    let mut end = from;
    while end < chars.len() && w + char_width(chars[end]) + usize::from(end + 1 < chars.len()) <= cols {
        out.push(chars[end]);
        w += char_width(chars[end]);
        end += 1;
    }
    if end < chars.len() {
        out.push('…');
    }
    let col = width(lead) + span(from, caret);
    (out, from, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_takes_two_columns() {
        assert_eq!(width("王小明"), 6);
        assert_eq!(fit("王小明你好", 7), "王小明…");
        assert_eq!(pad("王", 4), "王  ");
    }

    #[test]
    fn english_words_are_not_split() {
        let rows = wrap_text("See you tomorrow until noon, void nor", 12);
        assert_eq!(rows, vec!["See you ", "tomorrow ", "until noon, ", "void nor"]);
        for r in &rows {
            assert!(width(r) <= 12);
        }
        // a word longer than the row is cut
        assert_eq!(wrap_text("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        // a hyphenated word breaks after its hyphen; a date or a number never does
        assert_eq!(wrap_text("a well-known", 9), vec!["a well-", "known"]);
        assert_eq!(wrap_text("杨勇 · 11-22 · 已结案", 10), vec!["杨勇 · ", "11-22 · 已", "结案"]);
    }

    #[test]
    fn chinese_lines_never_start_with_closing_punctuation() {
        // 12 columns: six characters a row; the comma would start the second row
        let rows = wrap_text("客户反映空调，噪音很大。请尽快派人（上门）检修", 12);
        for r in &rows {
            let first = r.chars().next().unwrap();
            let last = r.chars().last().unwrap();
            assert!(!"，。、；：？！）」』】》”’".contains(first), "{rows:?}");
            assert!(!"（「『【《“‘".contains(last), "{rows:?}");
            assert!(width(r) <= 12, "{rows:?}");
        }
        assert_eq!(rows[0], "客户反映空");
        assert_eq!(rows[1], "调，噪音很");
        assert_eq!(rows[2], "大。请尽快派");
        assert_eq!(rows.concat(), "客户反映空调，噪音很大。请尽快派人（上门）检修");
        // opening punctuation goes down with what it opens
        let rows = wrap_text("按回车确认“好的”", 10);
        assert_eq!(rows, vec!["按回车确认", "“好的”"]);
        let rows = wrap_text("请按回车（Esc 取消）", 10);
        assert!(rows.iter().all(|r| !r.ends_with('（')), "{rows:?}");
    }

    #[test]
    fn mixed_text_breaks_at_spaces_and_between_wide_characters() {
        let rows = wrap_text("按 Ctrl-S 保存，Esc 取消。", 12);
        assert_eq!(rows, vec!["按 Ctrl-S 保", "存，Esc 取", "消。"]);
    }

    #[test]
    fn wrap_tracks_the_caret_in_columns() {
        let (rows, pos) = wrap("王小明abc", 6, 3);
        assert_eq!(rows, vec!["王小明".to_string(), "abc".to_string()]);
        assert_eq!(pos, (1, 0));
        let (_, pos) = wrap("ab\ncd", 10, 5);
        assert_eq!(pos, (1, 2));
        let (_, pos) = wrap("ab\ncd", 10, 2);
        assert_eq!(pos, (0, 2));
        // after a full last row the caret is on a new one
        let (rows, pos) = wrap("王小明", 6, 3);
        assert_eq!((rows.len(), pos), (2, (1, 0)));
    }

    #[test]
    fn a_long_line_shows_the_part_around_the_caret() {
        let s = "王小明张大伟李四";
        // fits with its caret
        assert_eq!(hscroll("abc", 3, 0, 10), ("abc".to_string(), 0, 3));
        // at the end: the start is cut, marked, and the caret is inside the box
        let (shown, from, col) = hscroll(s, 8, 0, 10);
        assert!(shown.starts_with('…'), "{shown}");
        assert!(!shown.ends_with('…'));
        assert!(col < 10 && width(&shown) <= 10, "{shown} {col}");
        assert!(shown.ends_with("李四"));
        assert_eq!(col, width(&shown));
        assert!(from > 0);
        // at the start: the end is cut and marked
        let (shown, from, col) = hscroll(s, 0, 0, 10);
        assert_eq!((from, col), (0, 0));
        assert!(shown.starts_with("王小明") && shown.ends_with('…'), "{shown}");
        // in the middle, from where the view was: both sides marked, caret in view
        let (shown, _, col) = hscroll(s, 4, 3, 8);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(col < 8);
    }
}
