//! Phone numbers: one canonical form for storage and matching, a readable form for
//! display.
//!
//! The canonical form is the digits of the number, led by `+` when it was dialled
//! internationally (`+498938200`), followed by `x` and the extension if there is one
//! (`02162881234x801`). A Chinese mobile typed with +86, 0086 or 86 is stored as its 11
//! digits, so it is stored (and found) once however it was typed. Older values, digits
//! only, are canonical too.

/// Most phones one field may hold.
pub const MAX_PHONES: usize = 5;

/// Most digits of an extension.
const MAX_EXTENSION: usize = 6;

/// Words that start an extension, as people write them (lower case).
const EXTENSION_MARKS: &[&str] = &["转", "分机", "ext.", "ext", "x"];

/// Why a phone field was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    /// This part (trimmed, as typed) is not a phone number.
    Invalid { part: String },
    /// More than [`MAX_PHONES`] distinct numbers.
    TooMany,
}

impl PhoneError {
    /// Stable i18n key for the UI.
    pub fn key(&self) -> &'static str {
        match self {
            PhoneError::Invalid { .. } => "err.phone.invalid",
            PhoneError::TooMany => "err.phone.too_many",
        }
    }
}

/// Reduces a typed phone number to its canonical form, or None if it is not one.
///
/// Formatting characters are dropped, full-width forms from a Chinese IME are accepted,
/// an international number keeps its `+` (`00` is read as `+`), an extension is kept, and
/// a +86/0086/86 prefix on a Chinese mobile is removed.
pub fn normalize(input: &str) -> Option<String> {
    let folded: String = input.chars().map(fold_width).collect::<String>().to_lowercase();
    let (main, ext) = split_extension(&folded)?;
    let mut digits = String::new();
    let mut plus = false;
    for c in main.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() && !plus => plus = true,
            '-' | '.' | '(' | ')' | '/' => {}
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    // 00 is how an international number is dialled from China: the same as +.
    if !plus && let Some(rest) = digits.strip_prefix("00") {
        digits = rest.to_string();
        plus = true;
    }
    let mobile = digits.strip_prefix("86").filter(|rest| is_cn_mobile(rest));
    let number = match mobile {
        Some(m) => m.to_string(),
        None if plus => format!("+{digits}"),
        None => digits.clone(),
    };
    let national = number.trim_start_matches('+');
    if !(5..=20).contains(&national.len()) {
        return None;
    }
    Some(match ext {
        Some(e) => format!("{number}x{e}"),
        None => number,
    })
}

/// Splits "number [mark extension]"; the extension is 1 to 6 digits. None: a mark with no
/// number before it or no digits after it.
fn split_extension(s: &str) -> Option<(&str, Option<String>)> {
    let Some((at, mark)) = EXTENSION_MARKS
        .iter()
        .filter_map(|m| s.find(m).map(|i| (i, *m)))
        .min_by_key(|(i, m)| (*i, usize::MAX - m.len()))
    else {
        return Some((s, None));
    };
    let (main, rest) = (&s[..at], &s[at + mark.len()..]);
    let ext: String = rest.trim_start_matches([' ', '.', ':', '-']).trim_end().to_string();
    let ok =
        !main.trim().is_empty() && (1..=MAX_EXTENSION).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_digit());
    ok.then_some((main, Some(ext)))
}

/// A phone as the search index holds it, for a query typed in any form the field takes
/// (`+86 186 1111 2222` finds `18611112222`); None if it is not a whole phone number.
pub fn search_form(input: &str) -> Option<String> {
    normalize(input).map(|p| p.trim_start_matches('+').to_string())
}

/// Splits a field that may hold several phones, normalizing each and
/// dropping repeats.
pub fn split_phones(input: &str) -> Result<Vec<String>, PhoneError> {
    let mut phones: Vec<String> = Vec::new();
    for part in input.split(is_separator) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let phone = normalize(part).ok_or_else(|| PhoneError::Invalid { part: part.to_string() })?;
        if !phones.contains(&phone) {
            phones.push(phone);
        }
    }
    if phones.len() > MAX_PHONES {
        return Err(PhoneError::TooMany);
    }
    Ok(phones)
}

/// A canonical phone as people read it: a Chinese mobile 3-4-4 (`138 1234 5678`), a
/// landline with its area code (`021-6288 1234`), an international number with its
/// country code (`+49 898938200`), an extension after `x`. What is not known is shown
/// as stored.
pub fn display(normalized: &str) -> String {
    let (main, ext) = match normalized.split_once('x') {
        Some((m, e)) => (m, Some(e)),
        None => (normalized, None),
    };
    let shown = match main.strip_prefix('+') {
        Some(intl) => {
            let cc = country_code_len(intl).min(intl.len());
            format!("+{} {}", &intl[..cc], &intl[cc..])
        }
        None => national(main),
    };
    match ext {
        Some(e) => format!("{shown} x{e}"),
        None => shown,
    }
}

/// A national number grouped, or as it is when its grouping is not known.
fn national(d: &str) -> String {
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return d.to_string();
    }
    if is_cn_mobile(d) {
        return format!("{} {} {}", &d[..3], &d[3..7], &d[7..]);
    }
    // service numbers: 400-810-8888
    if d.len() == 10 && (d.starts_with("400") || d.starts_with("800")) {
        return format!("{}-{}-{}", &d[..3], &d[3..6], &d[6..]);
    }
    // a landline with its area code: 010 and 02x are three digits with the 0, others four
    if d.starts_with('0') && !d.starts_with("00") {
        let area = if matches!(d.as_bytes().get(1), Some(b'1' | b'2')) { 3 } else { 4 };
        if let Some(local) = d.get(area..).filter(|l| l.len() == 7 || l.len() == 8) {
            return format!("{}-{}", &d[..area], local_number(local));
        }
    }
    if d.len() == 8 {
        return local_number(d);
    }
    d.to_string()
}

/// A local number of 7 or 8 digits, grouped 3-4 or 4-4.
fn local_number(l: &str) -> String {
    let cut = l.len() - 4;
    format!("{} {}", &l[..cut], &l[cut..])
}

/// How many digits of an international number are its country code (ITU-T E.164: the
/// codes are a prefix code, 1 to 3 digits).
fn country_code_len(d: &str) -> usize {
    const TWO: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
        "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    if d.starts_with('1') || d.starts_with('7') {
        1
    } else if TWO.iter().any(|c| d.starts_with(c)) {
        2
    } else {
        3
    }
}

fn is_cn_mobile(digits: &str) -> bool {
    digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_separator(c: char) -> bool {
    matches!(c, ',' | '，' | ';' | '；' | '、' | '/' | '／' | '\n')
}

/// Full-width ASCII forms (digits, ＋, （）, －, ideographic space) to ASCII.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<String> {
        normalize(s)
    }

    #[test]
    fn normalize_examples() {
        assert_eq!(n("138 1234 5678").as_deref(), Some("13812345678"));
        assert_eq!(n("+86 138-1234-5678").as_deref(), Some("13812345678"));
        assert_eq!(n("(010) 6552-1234").as_deref(), Some("01065521234"));
        assert_eq!(n("12a45"), None);
    }

    #[test]
    fn normalize_china_prefixes() {
        assert_eq!(n("008613812345678").as_deref(), Some("13812345678"));
        assert_eq!(n("8613812345678").as_deref(), Some("13812345678"));
        assert_eq!(n("+8613812345678").as_deref(), Some("13812345678"));
        assert_eq!(n("0086 186 1111 2222").as_deref(), Some("18611112222"));
        assert_eq!(n("+86 186-1111-2222").as_deref(), Some("18611112222"));
        // Only stripped in front of a mobile; anything else stays international.
        assert_eq!(n("+86 10 6552 1234").as_deref(), Some("+861065521234"));
        assert_eq!(n("+44 20 7946 0958").as_deref(), Some("+442079460958"));
    }

    #[test]
    fn normalize_fullwidth() {
        assert_eq!(n("１３８　１２３４　５６７８").as_deref(), Some("13812345678"));
        assert_eq!(n("＋８６ １３８１２３４５６７８").as_deref(), Some("13812345678"));
        assert_eq!(n("（０１０）６５５２－１２３４").as_deref(), Some("01065521234"));
    }

    #[test]
    fn normalize_separators() {
        assert_eq!(n("138.1234.5678").as_deref(), Some("13812345678"));
        assert_eq!(n("010/65521234").as_deref(), Some("01065521234"));
    }

    #[test]
    fn normalize_rejects() {
        assert_eq!(n(""), None);
        assert_eq!(n("   "), None);
        assert_eq!(n("+"), None);
        assert_eq!(n("1234"), None); // too short
        assert_eq!(n("123456789012345678901"), None); // 21 digits
        assert_eq!(n("138+1234"), None); // '+' not leading
        assert_eq!(n("++8613812345678"), None);
        assert_eq!(n("138#1234"), None);
        assert_eq!(n("ext 123"), None);
    }

    #[test]
    fn normalize_length_bounds() {
        assert_eq!(n("12345").as_deref(), Some("12345"));
        assert_eq!(n("12345678901234567890").as_deref(), Some("12345678901234567890"));
    }

    #[test]
    fn split_several() {
        assert_eq!(
            split_phones("138 1234 5678, (010) 6552-1234；13900001111、+86 139 0000 1111").unwrap(),
            vec!["13812345678", "01065521234", "13900001111"]
        );
        assert_eq!(
            split_phones("13812345678 / 13900001111\n13700002222").unwrap(),
            vec!["13812345678", "13900001111", "13700002222"]
        );
    }

    #[test]
    fn split_empty_parts_ignored() {
        assert_eq!(split_phones("").unwrap(), Vec::<String>::new());
        assert_eq!(split_phones(" ,， ; ").unwrap(), Vec::<String>::new());
        assert_eq!(split_phones(",13812345678,,").unwrap(), vec!["13812345678"]);
    }

    #[test]
    fn split_reports_bad_part_trimmed() {
        assert_eq!(split_phones("13812345678,  12a45 "), Err(PhoneError::Invalid { part: "12a45".to_string() }));
    }

    #[test]
    fn split_too_many_counts_distinct() {
        let five = "10001,10002,10003,10004,10005";
        assert_eq!(split_phones(five).unwrap().len(), 5);
        assert_eq!(split_phones(&format!("{five},10001")).unwrap().len(), 5);
        assert_eq!(split_phones(&format!("{five},10006")), Err(PhoneError::TooMany));
    }

    #[test]
    fn display_groups_mobiles_and_landlines() {
        assert_eq!(display("13812345678"), "138 1234 5678");
        assert_eq!(display("01065521234"), "010-6552 1234");
        assert_eq!(display("02162881234"), "021-6288 1234");
        assert_eq!(display("057188812345"), "0571-8881 2345");
        assert_eq!(display("05718881234"), "0571-888 1234");
        assert_eq!(display("62881234"), "6288 1234");
        assert_eq!(display("4008108888"), "400-810-8888");
        assert_eq!(display("1381234567"), "1381234567");
        assert_eq!(display(""), "");
    }

    #[test]
    fn international_numbers_keep_their_plus() {
        assert_eq!(n("+49 89 38200").as_deref(), Some("+498938200"));
        assert_eq!(n("0049 89 38200").as_deref(), Some("+498938200"), "00 dials abroad");
        assert_eq!(display("+498938200"), "+49 8938200");
        assert_eq!(display("+12125550123"), "+1 2125550123");
        assert_eq!(display("+442079460958"), "+44 2079460958");
        assert_eq!(display("+3531234567"), "+353 1234567");
        // what is shown is taken back as the same number
        assert_eq!(n(&display("+498938200")).as_deref(), Some("+498938200"));
    }

    #[test]
    fn extensions_are_kept() {
        assert_eq!(n("021-62881234转801").as_deref(), Some("02162881234x801"));
        assert_eq!(n("021-62881234 转 801").as_deref(), Some("02162881234x801"));
        assert_eq!(n("021-62881234分机801").as_deref(), Some("02162881234x801"));
        assert_eq!(n("021-62881234 ext 801").as_deref(), Some("02162881234x801"));
        assert_eq!(n("021-62881234 Ext. 801").as_deref(), Some("02162881234x801"));
        assert_eq!(n("021-62881234 x801").as_deref(), Some("02162881234x801"));
        assert_eq!(n("+49 89 38200 ext 12").as_deref(), Some("+498938200x12"));
        assert_eq!(display("02162881234x801"), "021-6288 1234 x801");
        assert_eq!(n(&display("02162881234x801")).as_deref(), Some("02162881234x801"));
        assert_eq!(n("x801"), None, "an extension alone is no number");
        assert_eq!(n("021-62881234转"), None);
        assert_eq!(n("021-62881234转1234567"), None, "more than 6 digits");
        assert_eq!(n("021-62881234转80a"), None);
    }

    #[test]
    fn canonical_values_stay_canonical() {
        // values stored before (digits only) and now read back as they are
        for v in ["13812345678", "02162881234", "498938200", "861065521234", "+498938200", "02162881234x801"] {
            assert_eq!(n(v).as_deref(), Some(v), "{v}");
        }
    }

    #[test]
    fn a_search_folds_as_the_field_does() {
        assert_eq!(search_form("+8618611112222").as_deref(), Some("18611112222"));
        assert_eq!(search_form("0086 186 1111 2222").as_deref(), Some("18611112222"));
        assert_eq!(search_form("+49 89 38200").as_deref(), Some("498938200"));
        assert_eq!(search_form("62881234转801").as_deref(), Some("62881234x801"));
        assert_eq!(search_form("王"), None);
    }

    #[test]
    fn error_keys() {
        assert_eq!(PhoneError::Invalid { part: "x".into() }.key(), "err.phone.invalid");
        assert_eq!(PhoneError::TooMany.key(), "err.phone.too_many");
    }
}
