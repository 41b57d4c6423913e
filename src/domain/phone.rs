//! Phone numbers: one canonical digits-only form for storage and matching,
//! a readable form for display.

/// Most phones one field may hold.
pub const MAX_PHONES: usize = 5;

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

/// Reduces a typed phone number to digits only, or None if it is not one.
///
/// Formatting characters are dropped, full-width forms from a Chinese IME are
/// accepted, and a +86/0086/86 prefix on a Chinese mobile is removed so the
/// same mobile typed either way is stored (and found) once.
pub fn normalize(input: &str) -> Option<String> {
    let mut digits = String::new();
    let mut plus = false;
    for c in input.chars().map(fold_width) {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() && !plus => plus = true,
            '-' | '.' | '(' | ')' | '/' => {}
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    let national = ["0086", "86"]
        .iter()
        .filter_map(|prefix| digits.strip_prefix(prefix))
        .find(|rest| is_cn_mobile(rest))
        .unwrap_or(&digits);
    (5..=20).contains(&national.len()).then(|| national.to_string())
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

/// Groups a normalized Chinese mobile as 3-4-4, the way people read it out;
/// anything else is shown as stored since its grouping is not known.
pub fn display(normalized: &str) -> String {
    if is_cn_mobile(normalized) {
        format!("{} {} {}", &normalized[..3], &normalized[3..7], &normalized[7..])
    } else {
        normalized.to_string()
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
        // Only stripped in front of a mobile.
        assert_eq!(n("+86 10 6552 1234").as_deref(), Some("861065521234"));
        assert_eq!(n("+44 20 7946 0958").as_deref(), Some("442079460958"));
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
    fn display_groups_mobiles_only() {
        assert_eq!(display("13812345678"), "138 1234 5678");
        assert_eq!(display("01065521234"), "01065521234");
        assert_eq!(display("1381234567"), "1381234567");
        assert_eq!(display(""), "");
    }

    #[test]
    fn error_keys() {
        assert_eq!(PhoneError::Invalid { part: "x".into() }.key(), "err.phone.invalid");
        assert_eq!(PhoneError::TooMany.key(), "err.phone.too_many");
    }
}
