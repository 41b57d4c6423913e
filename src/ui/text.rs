//! Display-width helpers for drawing: the shared ones (CJK characters take two columns,
//! wrapping that keeps words whole and punctuation where a reader expects it), and the
//! same wrapping for styled lines.

use ratatui::text::{Line, Span};

pub use crate::text::{char_width, fit, hscroll, pad, width, wrap, wrap_text};

/// Wraps styled lines to `cols` columns with the one wrapping rule (see
/// `crate::text::wrap_ranges`); each piece keeps its span's style.
pub fn wrap_lines<'a>(lines: Vec<Line<'a>>, cols: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for line in lines {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        // each char's span, to cut the spans where the rows break
        let mut owner = Vec::new();
        for (k, s) in line.spans.iter().enumerate() {
            owner.extend(std::iter::repeat_n(k, s.content.chars().count()));
        }
        let chars: Vec<char> = text.chars().collect();
        for (a, b) in crate::text::wrap_ranges(&text, cols) {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut j = a;
            while j < b {
                let k = owner[j];
                let mut e = j;
                while e < b && owner[e] == k {
                    e += 1;
                }
                let piece: String = chars[j..e].iter().collect();
                spans.push(Span::styled(piece, line.spans[k].style));
                j = e;
            }
            // hanging spaces do not take columns the row has not got
            while spans.iter().map(|s| width(&s.content)).sum::<usize>() > cols.max(2) {
                let Some(last) = spans.last_mut() else { break };
                let trimmed = last.content.trim_end().to_string();
                if trimmed.len() == last.content.len() {
                    break;
                }
                last.content = trimmed.into();
            }
            out.push(Line::from(spans).style(line.style).alignment_opt(line.alignment));
        }
    }
    out
}

trait AlignOpt {
    fn alignment_opt(self, a: Option<ratatui::layout::Alignment>) -> Self;
}

impl AlignOpt for Line<'_> {
    fn alignment_opt(mut self, a: Option<ratatui::layout::Alignment>) -> Self {
        self.alignment = a;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    #[test]
    fn styled_lines_wrap_by_the_same_rule_and_keep_their_styles() {
        let line = Line::from(vec![Span::styled("当前步骤：", Style::new().bold()), Span::raw("答复客户，超时四天")]);
        let rows = wrap_lines(vec![line], 10);
        let texts: Vec<String> = rows.iter().map(|l| l.to_string()).collect();
        assert_eq!(texts, vec!["当前步骤：", "答复客户，", "超时四天"]);
        assert_eq!(rows[0].spans[0].style, Style::new().bold());
        assert_eq!(rows[1].spans[0].style, Style::new());
    }
}
