//! Cleaning text where it enters the app (typing, paste, CSV import) and
//! building search tokens for short, mostly Chinese, queries.

use std::iter::Peekable;
use std::str::Chars;

/// Cleans text at the point it enters the app.
///
/// Escape sequences are dropped whole so pasted or imported text can never
/// move the cursor, recolour or retitle the terminal when shown later. Bidi
/// and zero-width marks are dropped so a stored value looks the way it sorts
/// and searches.
pub fn sanitize(input: &str, multiline: bool) -> String {
    let newline = if multiline { '\n' } else { ' ' };
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            // 8-bit DCS, SOS, OSC, PM, APC: string sequences ended by ST or BEL.
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push(newline);
            }
            '\n' | '\u{2028}' | '\u{2029}' => out.push(newline),
            '\t' => out.push(' '),
            c if c.is_control() || is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The longest piece of input a message quotes, in characters; the rest is cut to `…`.
const ECHO_MAX: usize = 80;

/// Input quoted in a message (a CSV header or cell, a command-line argument): sanitised to
/// one line, so no escape sequence reaches the terminal, and cut to a readable length.
pub fn echo(input: &str) -> String {
    let clean = sanitize(input, false);
    if char_count(&clean) <= ECHO_MAX {
        return clean;
    }
    let mut cut: String = clean.chars().take(ECHO_MAX).collect();
    cut.push('…');
    cut
}

/// What makes a spreadsheet program read a cell as a formula, or start one (F6).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell needs a protecting `'`: it starts like a formula, or it is text that
/// starts with `'`s before such a start (so the `'` the import removes is always ours).
fn formula_like(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// A cell as written to a CSV file for spreadsheet programs (F6): one leading `'` before a
/// formula-like start, which Excel and WPS show as text and never evaluate. The stored
/// value is not changed; `unprotect_cell` gives it back exactly.
pub fn protect_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_like(cell) { std::borrow::Cow::Owned(format!("'{cell}")) } else { std::borrow::Cow::Borrowed(cell) }
}

/// A cell read from a CSV file: the one `'` that `protect_cell` puts before a
/// formula-like start is taken off; anything else is left as it is.
pub fn unprotect_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// Number of characters (not bytes), which is what length limits mean to a
/// user typing Chinese.
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// Ideographic and syllabic scripts that are written without spaces and so
/// need n-gram indexing.
pub fn is_cjk(c: char) -> bool {
    matches!(
        c,
        '\u{3007}'                     // 〇, used in Chinese numerals and dates
            | '\u{3040}'..='\u{309F}' // Hiragana
            | '\u{30A0}'..='\u{30FF}' // Katakana
            | '\u{3400}'..='\u{4DBF}' // Extension A
            | '\u{4E00}'..='\u{9FFF}' // Unified Ideographs
            | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
            | '\u{F900}'..='\u{FAFF}' // Compatibility Ideographs
            | '\u{20000}'..='\u{3FFFF}' // Extensions B onward (planes 2 and 3)
    )
}

/// How search sees a character, after [`search_fold`].
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Class {
    /// CJK: every character and every adjacent pair is a gram.
    Cjk,
    /// Letters and digits of other scripts: a word, and its first one and two characters.
    Word,
    /// Anything else that is not punctuation (emoji, ★, ©): each one a gram of its own.
    Symbol,
    /// Spaces and punctuation: between terms, never part of one.
    Separator,
}

/// The class of a character of folded text.
pub fn class(c: char) -> Class {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() { Class::Word } else { Class::Separator }
    } else if is_cjk(c) && c != '・' {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else if c.is_whitespace() || is_punctuation(c) {
        Class::Separator
    } else {
        Class::Symbol
    }
}

/// Punctuation and spacing outside ASCII that separates words: Latin-1's signs, general
/// and supplemental punctuation, CJK punctuation (、。「」【】), the vertical and small
/// forms, the katakana middle dot.
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '\u{A0}'..='\u{BF}'
            | '\u{D7}'
            | '\u{F7}'
            | '\u{2000}'..='\u{206F}'
            | '\u{2E00}'..='\u{2E7F}'
            | '\u{3000}'..='\u{3006}'
            | '\u{3008}'..='\u{303F}'
            | '\u{30FB}'
            | '\u{FE10}'..='\u{FE1F}'
            | '\u{FE30}'..='\u{FE6F}'
            | '\u{FF5F}'..='\u{FF65}'
    )
}

/// The one fold of search, applied to what the index holds and to what is typed, so
/// both meet: compatibility forms to their plain ones (full-width `ＡＢＣ１２３，（）` as
/// ASCII, half-width katakana as full-width), case folded, accents stripped (`José` is
/// `jose`), every punctuation mark a space (`看房，咨询` and `看房,咨询` are the same two
/// words). CJK text is kept as it is (Hangul is not taken apart); emoji and other
/// symbols are kept as characters.
pub fn search_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    search_fold_into(s, &mut out);
    out
}

/// `search_fold`, appended to `out` (a bulk load's one buffer).
pub fn search_fold_into(s: &str, out: &mut String) {
    fold_into(s, &mut |c| out.push(c));
}

/// `search_fold`, a character at a time to `emit`.
fn fold_into(s: &str, emit: &mut impl FnMut(char)) {
    for c in s.chars() {
        if c.is_ascii() {
            emit(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' });
        } else if is_cjk(c) && c != '・' {
            emit(c);
        } else {
            // NFKD, then the marks left over (accents, variation selectors) dropped
            unicode_normalization::char::decompose_compatible(c, |d| {
                if unicode_normalization::char::is_combining_mark(d) {
                    return;
                }
                for l in d.to_lowercase().filter(|&l| !unicode_normalization::char::is_combining_mark(l)) {
                    emit(if class(l) == Class::Separator { ' ' } else { l });
                }
            });
        }
    }
}

/// Builds the body for a full-text index that must match one- and two-character
/// queries from [`search_fold`]ed text: CJK runs become every character and every
/// adjacent pair; other letter/digit runs become the word and its first one and two
/// characters (so `1`, `13` or `s` is one index entry, not every word that starts so);
/// every symbol (an emoji) is a gram of its own.
pub fn search_grams(text: &str) -> String {
    let mut out = String::new();
    Grams::default().push(text, &mut out);
    out
}

/// Builds `search_grams`' text for many records with buffers reused from one record to
/// the next (a bulk load's), instead of a string per gram and a set per record.
#[derive(Default)]
pub struct Grams {
    /// The characters of the current run.
    run: Vec<char>,
    /// The CJK and symbol grams of the current record, as numbers: a character, or a pair.
    cjk: Vec<u64>,
    /// Where the current record's words lie in the output.
    words: Vec<(usize, usize)>,
}

impl Grams {
    /// Appends the grams of `body` to `out`, separated by spaces.
    pub fn push(&mut self, body: &str, out: &mut String) {
        let base = out.len();
        self.run.clear();
        self.cjk.clear();
        self.words.clear();
        let mut run_class = Class::Separator;
        let mut feed = |g: &mut Grams, c: char| {
            let c_class = class(c);
            if c_class != run_class {
                g.flush(run_class, base, out);
                run_class = c_class;
            }
            g.run.push(c);
        };
        fold_into(body, &mut |c| feed(self, c));
        // A trailing separator flushes the last run.
        feed(self, ' ');
    }

    fn flush(&mut self, class: Class, base: usize, out: &mut String) {
        match class {
            Class::Cjk => self.flush_cjk(base, out),
            Class::Word => {
                // the word's first one and two characters, then the word
                let n = self.run.len();
                for len in [1, 2] {
                    if len < n {
                        self.flush_word(len, base, out);
                    }
                }
                self.flush_word(n, base, out);
            }
            Class::Symbol => {
                for i in 0..self.run.len() {
                    self.single(self.run[i], base, out);
                }
            }
            Class::Separator => {}
        }
        self.run.clear();
    }

    fn single(&mut self, c: char, base: usize, out: &mut String) {
        if !self.cjk.contains(&(c as u64)) {
            self.cjk.push(c as u64);
            sep(base, out);
            out.push(c);
        }
    }

    fn flush_cjk(&mut self, base: usize, out: &mut String) {
        for i in 0..self.run.len() {
            self.single(self.run[i], base, out);
        }
        for i in 1..self.run.len() {
            let (a, b) = (self.run[i - 1], self.run[i]);
            let key = (1 << 42) | ((a as u64) << 21) | b as u64;
            if !self.cjk.contains(&key) {
                self.cjk.push(key);
                sep(base, out);
                out.push(a);
                out.push(b);
            }
        }
    }

    /// The first `len` characters of the run as a word, unless the record has it.
    fn flush_word(&mut self, len: usize, base: usize, out: &mut String) {
        sep(base, out);
        let from = out.len();
        out.extend(self.run[..len].iter());
        let word = &out[from..];
        if self.words.iter().any(|&(a, b)| &out[a..b] == word) {
            // already there: take it back, with its separator
            out.truncate(if from > base { from - 1 } else { from });
        } else {
            self.words.push((from, out.len()));
        }
    }
}

/// A space before every gram of a record but its first.
fn sep(base: usize, out: &mut String) {
    if out.len() > base {
        out.push(' ');
    }
}

/// Full-width ASCII forms (as typed with a Chinese IME) to plain ASCII.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Format characters that reorder or hide text: bidi controls, zero-width
/// space and BOM. ZWJ/ZWNJ are kept because emoji sequences need them.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{200B}'
            | '\u{FEFF}'
    )
}

/// Skips what follows an ESC that has already been consumed.
fn skip_escape(chars: &mut Peekable<Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        // OSC, DCS, SOS, PM, APC carry a string payload.
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // nF sequences such as `ESC ( B`: intermediates, then one final byte.
        Some('\u{20}'..='\u{2F}') => {
            while chars.next_if(|c| ('\u{20}'..='\u{2F}').contains(c)).is_some() {}
            chars.next_if(|c| ('\u{30}'..='\u{7E}').contains(c));
        }
        // Plain two-character escapes such as `ESC 7` or `ESC c`.
        Some('\u{30}'..='\u{7E}') => {
            chars.next();
        }
        // A lone ESC: dropping it is enough.
        _ => {}
    }
}

/// Skips a CSI body: parameter and intermediate bytes, then the final byte.
/// Stops early at anything else so a broken sequence cannot eat real text.
fn skip_csi(chars: &mut Peekable<Chars<'_>>) {
    while chars.next_if(|c| ('\u{20}'..='\u{3F}').contains(c)).is_some() {}
    chars.next_if(|c| ('\u{40}'..='\u{7E}').contains(c));
}

/// Skips a string payload up to BEL, ST (`ESC \` or U+009C), or another ESC,
/// which ends the string and starts a sequence of its own. An unterminated
/// string runs to the end, as a terminal would treat it.
fn skip_string(chars: &mut Peekable<Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{07}' | '\u{9C}' => return,
            '\u{1b}' => {
                if chars.next_if_eq(&'\\').is_none() {
                    skip_escape(chars);
                }
                return;
            }
            _ => {}
        }
    }
}

/// The parts of a subject that name one thing rather than a kind of thing: runs of
/// Latin letters and digits of 4 or more (a plate `B12345`, a serial, a unit `1201`) and
/// runs of 3 or more CJK characters. A brand alone (`宝马`) is left out.
pub fn distinctive_terms(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut cjk = false;
    let flush = |run: &mut String, cjk: bool, out: &mut Vec<String>| {
        let n = run.chars().count();
        // a year (every record number holds one) names nothing
        let year = n == 4 && run.parse::<u32>().is_ok_and(|y| (1900..2100).contains(&y));
        let names = (cjk && n >= 3) || (!cjk && n >= 4 && !year && run.chars().any(|c| c.is_ascii_digit()));
        if names && !out.contains(run) {
            out.push(run.clone());
        }
        run.clear();
    };
    for c in s.chars() {
        let is_cjk = is_cjk(c);
        let is_word = c.is_ascii_alphanumeric();
        if (is_cjk || is_word) && (run.is_empty() || is_cjk == cjk) {
            cjk = is_cjk;
            run.push(c);
        } else {
            flush(&mut run, cjk, &mut out);
            if is_cjk || is_word {
                cjk = is_cjk;
                run.push(c);
            }
        }
    }
    flush(&mut run, cjk, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn f6_a_formula_like_cell_gets_one_quote_and_gives_it_back() {
        for (stored, written) in [
            ("=1+1", "'=1+1"),
            ("+86 138 0000 1111", "'+86 138 0000 1111"),
            ("-2+3+cmd|x", "'-2+3+cmd|x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            // typed by someone who protected it themselves: the quote is theirs, and stays
            ("'=x", "''=x"),
            ("''+y", "'''+y"),
            ("'plain", "'plain"),
            ("plain", "plain"),
            ("", ""),
            ("a=b", "a=b"),
            ("王=", "王="),
        ] {
            assert_eq!(protect_cell(stored), written, "{stored:?}");
            assert_eq!(unprotect_cell(written), stored, "{written:?}");
        }
    }

    #[test]
    fn f6_only_a_quote_before_a_formula_start_is_taken_off() {
        assert_eq!(unprotect_cell("'abc"), "'abc");
        assert_eq!(unprotect_cell("'"), "'");
        assert_eq!(unprotect_cell("'=a"), "=a");
        assert_eq!(unprotect_cell("=a"), "=a");
    }

    #[test]
    fn f7_echoed_input_has_no_escape_and_a_readable_length() {
        let e = echo("name\u{1b}]0;X\u{7}\u{1b}[41m\nred");
        assert!(!e.contains('\u{1b}') && !e.contains('\u{7}') && !e.contains('\n'), "{e:?}");
        assert_eq!(e, "name red");
        let long = echo(&"王".repeat(1000));
        assert_eq!(long.chars().count(), ECHO_MAX + 1);
        assert!(long.ends_with('…'));
    }

    /// The grams as first written, one string and one set per record, from the folded
    /// text: what `Grams` must give.
    fn reference(text: &str) -> String {
        let mut tokens: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut emit = |token: String| {
            if seen.insert(token.clone()) {
                tokens.push(token);
            }
        };

        let mut run: Vec<char> = Vec::new();
        let mut run_class = Class::Separator;
        // A trailing separator flushes the last run.
        let folded = search_fold(text);
        for c in folded.chars().chain(std::iter::once(' ')) {
            let c_class = class(c);
            if c_class != run_class {
                match run_class {
                    Class::Cjk => {
                        run.iter().for_each(|c| emit(c.to_string()));
                        run.windows(2).for_each(|pair| emit(pair.iter().collect()));
                    }
                    Class::Word => {
                        (1..=2).filter(|&n| n < run.len()).for_each(|n| emit(run[..n].iter().collect()));
                        emit(run.iter().collect());
                    }
                    Class::Symbol => run.iter().for_each(|c| emit(c.to_string())),
                    Class::Separator => {}
                }
                run.clear();
                run_class = c_class;
            }
            run.push(c);
        }
        tokens.join(" ")
    }

    #[test]
    fn grams_are_the_search_grams_of_the_text() {
        let texts = [
            "",
            " ,. ",
            "王",
            "王王王",
            "王小明 Li Wei 13812345678",
            "Li li LI 李 李",
            "abc中文",
            "北京，上海",
            "room-101",
            "ＡＢＣ１２３ abc123",
            "José JOSÉ",
            "V-2026-000123 王芳 13812345678 华为技术有限公司 看房，咨询三楼办公室租赁 王芳",
            "咨询GPS定位器安装和年费 gps 定位 〇〇七 カタカナ ひらがな 한국어",
            "a a b a 王a王 b",
            "😀 王😀王 ★★ 👨‍👩‍👧",
            "看房，咨询（预约） ｶﾀｶﾅ Café",
        ];
        let mut g = Grams::default();
        let mut all = String::new();
        for t in texts {
            let mut one = String::new();
            g.push(t, &mut one);
            assert_eq!(one, reference(t), "{t:?}");
            // many records into one buffer: each record's grams are its own
            let from = all.len();
            g.push(t, &mut all);
            assert_eq!(&all[from..], reference(t), "{t:?} after others");
        }
    }

    #[test]
    fn rule_c15_a_plate_or_serial_inside_a_subject_is_a_term_of_its_own() {
        assert_eq!(distinctive_terms("宝马X5粤B12345"), vec!["B12345"]);
        assert_eq!(distinctive_terms("宝马X5 粤B12345"), vec!["B12345"]);
        assert_eq!(distinctive_terms("3号楼1201室"), vec!["1201"]);
        assert_eq!(distinctive_terms("GPS定位器 SN-2026-0318"), vec!["定位器", "0318"]);
        assert!(distinctive_terms("宝马").is_empty());
    }

    #[test]
    fn pasted_colours_and_bidi_are_removed() {
        assert_eq!(sanitize("Zhang\x1b[31mSan\x1b[0m\u{202E}x", false), "ZhangSanx");
    }

    #[test]
    fn csi_variants_are_removed() {
        assert_eq!(sanitize("a\x1b[1;38;5;196mb", false), "ab");
        assert_eq!(sanitize("a\x1b[?25lb", false), "ab");
        assert_eq!(sanitize("a\x1b[2Jb", false), "ab");
        // 8-bit CSI.
        assert_eq!(sanitize("a\u{9b}31mb", false), "ab");
    }

    #[test]
    fn osc_and_other_strings_are_removed() {
        assert_eq!(sanitize("a\x1b]0;evil title\x07b", false), "ab");
        assert_eq!(sanitize("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", false), "alinkb");
        assert_eq!(sanitize("a\u{9d}0;title\u{9c}b", false), "ab");
        assert_eq!(sanitize("a\x1bPq#0;1\x1b\\b", false), "ab");
        // Unterminated: swallowed to the end.
        assert_eq!(sanitize("a\x1b]0;title", false), "a");
    }

    #[test]
    fn short_escapes_are_removed() {
        assert_eq!(sanitize("a\x1b7b\x1b8c", false), "abc");
        assert_eq!(sanitize("a\x1b(Bb", false), "ab");
        assert_eq!(sanitize("a\x1bcb", false), "ab");
        assert_eq!(sanitize("abc\x1b", false), "abc");
    }

    #[test]
    fn broken_csi_keeps_following_text() {
        assert_eq!(sanitize("a\x1b[31王b", false), "a王b");
    }

    #[test]
    fn controls_removed_tab_becomes_space() {
        assert_eq!(sanitize("a\x00b\x07c\x7fd\u{85}e", false), "abcde");
        assert_eq!(sanitize("a\tb", true), "a b");
    }

    #[test]
    fn line_breaks_depend_on_multiline() {
        assert_eq!(sanitize("a\r\nb\rc\nd", true), "a\nb\nc\nd");
        assert_eq!(sanitize("a\r\nb\rc\nd", false), "a b c d");
        assert_eq!(sanitize("a\u{2028}b", true), "a\nb");
    }

    #[test]
    fn invisible_formats_removed() {
        let input = "\u{FEFF}a\u{200B}b\u{200E}c\u{200F}d\u{061C}e\u{2066}f\u{2069}g\u{202A}h";
        assert_eq!(sanitize(input, false), "abcdefgh");
    }

    #[test]
    fn ordinary_text_is_kept() {
        let s = "王小明 Li Wei 「备注」 café 👨‍👩‍👧 ＡＢＣ１２３";
        assert_eq!(sanitize(s, false), s);
        assert_eq!(sanitize("第一行\n第二行", true), "第一行\n第二行");
    }

    #[test]
    fn char_count_counts_chars() {
        assert_eq!(char_count(""), 0);
        assert_eq!(char_count("abc"), 3);
        assert_eq!(char_count("王小明"), 3);
        assert_eq!(char_count("a王😀"), 3);
    }

    #[test]
    fn cjk_detection() {
        for c in ['王', '〇', '㐀', '豈', 'あ', 'カ', '한', '𠀀'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', '1', '，', '。', ' ', 'é', '😀', 'Ａ'] {
            assert!(!is_cjk(c), "{c}");
        }
    }

    #[test]
    fn grams_example() {
        assert_eq!(search_grams("王小明 Li Wei 13812345678"), "王 小 明 王小 小明 l li w we wei 1 13 13812345678");
    }

    #[test]
    fn grams_dedupe_keeps_first_order() {
        assert_eq!(search_grams("王王王"), "王 王王");
        assert_eq!(search_grams("Li li LI 李 李"), "l li 李");
    }

    #[test]
    fn grams_split_on_script_change_and_punctuation() {
        assert_eq!(search_grams("abc中文"), "a ab abc 中 文 中文");
        assert_eq!(search_grams("北京，上海"), "北 京 北京 上 海 上海");
        assert_eq!(search_grams("room-101"), "r ro room 1 10 101");
        assert_eq!(search_grams("王"), "王");
    }

    #[test]
    fn grams_fold_fullwidth_and_accents() {
        assert_eq!(search_grams("ＡＢＣ１２３"), "a ab abc123");
        assert_eq!(search_grams("José"), "j jo jose");
    }

    #[test]
    fn f10_grams_keep_emoji_as_characters() {
        assert_eq!(search_grams("😀王😀"), "😀 王");
        assert_eq!(search_grams("★ ok"), "★ o ok");
    }

    #[test]
    fn f10_the_search_fold_meets_what_is_typed_and_what_is_stored() {
        assert_eq!(search_fold("看房，咨询"), search_fold("看房,咨询"));
        assert_eq!(search_fold("看房，咨询"), "看房 咨询");
        assert_eq!(search_fold("拜访总经理（预约）"), "拜访总经理 预约 ");
        assert_eq!(search_fold("ＡＢＣ全角"), "abc全角");
        assert_eq!(search_fold("José CAFÉ Müller"), "jose cafe muller");
        assert_eq!(search_fold("ｶﾀｶﾅ"), "カタカナ");
        assert_eq!(search_fold("😀️"), "😀", "the variation selector goes, the emoji stays");
        assert_eq!(search_fold("İ"), "i");
        assert_eq!(search_fold("한국어 〇七"), "한국어 〇七", "Hangul is not taken apart");
        assert_eq!(search_fold("「备注」、。"), " 备注   ");
    }

    #[test]
    fn grams_empty() {
        assert_eq!(search_grams(""), "");
        assert_eq!(search_grams(" ,. "), "");
    }
}

/// Full-width digits, signs and points (as a Chinese input method types them) as ASCII.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            '－' => '-',
            '，' => ',',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod digits_tests {
    #[test]
    fn full_width_digits_become_ascii() {
        assert_eq!(super::ascii_digits("３００．５"), "300.5");
        assert_eq!(super::ascii_digits("１2"), "12");
    }
}
