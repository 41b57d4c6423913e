//! Display-width helpers for drawing: the shared ones (CJK characters take two columns)
//! and the form's wrapping with its caret.

pub use crate::text::{char_width, fit, pad, width};

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
    fn wrap_tracks_the_caret_in_columns() {
        let (rows, pos) = wrap("王小明abc", 6, 3);
        assert_eq!(rows, vec!["王小明".to_string(), "abc".to_string()]);
        assert_eq!(pos, (1, 0));
        let (_, pos) = wrap("ab\ncd", 10, 5);
        assert_eq!(pos, (1, 2));
    }
}
