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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_takes_two_columns() {
        assert_eq!(width("王小明"), 6);
        assert_eq!(fit("王小明你好", 7), "王小明…");
        assert_eq!(pad("王", 4), "王  ");
    }
}
