//! Display-width helpers: CJK characters take two columns.

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

/// Wraps text into rows of at most `cols` columns, breaking at newlines too. Returns the
/// rows and, for the caret (a char index), its (row, column).
pub fn wrap(s: &str, cols: usize, caret: usize) -> (Vec<String>, (usize, usize)) {
    let cols = cols.max(2);
    let mut rows = vec![String::new()];
    let mut w = 0;
    let mut pos = (0, 0);
    for (i, c) in s.chars().enumerate() {
        let cw = char_width(c);
        if c != '\n' && w + cw > cols {
            rows.push(String::new());
            w = 0;
        }
        if i == caret {
            pos = (rows.len() - 1, w);
        }
        if c == '\n' {
            rows.push(String::new());
            w = 0;
            continue;
        }
        rows.last_mut().expect("rows is never empty").push(c);
        w += cw;
    }
    if caret >= s.chars().count() {
        if w >= cols {
            rows.push(String::new());
            w = 0;
        }
        pos = (rows.len() - 1, w);
    }
    (rows, pos)
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
    fn wrap_tracks_the_caret_in_columns() {
        let (rows, pos) = wrap("王小明abc", 6, 3);
        assert_eq!(rows, vec!["王小明".to_string(), "abc".to_string()]);
        assert_eq!(pos, (1, 0));
        let (_, pos) = wrap("ab\ncd", 10, 5);
        assert_eq!(pos, (1, 2));
    }
}
