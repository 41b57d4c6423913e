//! Message lookup from `assets/i18n/*.toml`. Every string an operator sees comes from here.

use std::collections::HashMap;

use crate::domain::Msg;

pub const EN: &str = include_str!("../assets/i18n/en.toml");
pub const ZH: &str = include_str!("../assets/i18n/zh-CN.toml");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// Accepts `en`, `zh`, `zh-CN`, `zh_CN.UTF-8`, `en_US.UTF-8`, ...
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") || s == "c" || s == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// `--lang`, then `LC_ALL`, then `LANG`, then the shared setting.
    pub fn choose(flag: Option<&str>, setting: &str) -> Lang {
        if let Some(l) = flag.and_then(Lang::parse) {
            return l;
        }
        for var in ["LC_ALL", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
                && let Some(l) = Lang::parse(&v)
            {
                // C/POSIX carry no language preference; let the setting decide.
                if !(v == "C" || v == "POSIX" || v.starts_with("C.")) {
                    return l;
                }
            }
        }
        Lang::parse(setting).unwrap_or(Lang::En)
    }
}

#[derive(Clone, Debug)]
pub struct I18n {
    pub lang: Lang,
    map: HashMap<String, String>,
}

/// Flattens nested TOML tables into dotted keys.
pub fn flatten(src: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = src.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut out = HashMap::new();
    fn walk(prefix: &str, t: &toml::Table, out: &mut HashMap<String, String>) {
        for (k, v) in t {
            let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            match v {
                toml::Value::Table(sub) => walk(&key, sub, out),
                toml::Value::String(s) => {
                    out.insert(key, s.clone());
                }
                other => {
                    out.insert(key, other.to_string());
                }
            }
        }
    }
    walk("", &table, &mut out);
    Ok(out)
}

impl I18n {
    pub fn new(lang: Lang) -> I18n {
        let src = match lang {
            Lang::En => EN,
            Lang::Zh => ZH,
        };
        let map = flatten(src).expect("bundled i18n file parses");
        I18n { lang, map }
    }

    /// The message for `key`; a missing key shows itself so it is noticed, never panics.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map(String::as_str).unwrap_or(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Fills `{name}` placeholders. In Chinese a Latin word put beside Chinese text gets a
    /// space between ("Li Na 的终端", not "Li Na的终端"), as Chinese typesetting does.
    pub fn tf(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self.t(key).to_string();
        for (k, v) in args {
            let mark = format!("{{{k}}}");
            if self.lang != Lang::Zh {
                s = s.replace(&mark, v);
                continue;
            }
            let mut out = String::with_capacity(s.len() + v.len());
            let mut rest = s.as_str();
            while let Some(at) = rest.find(&mark) {
                let (before, after) = (&rest[..at], &rest[at + mark.len()..]);
                out.push_str(before);
                let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
                let cjk = |c: Option<char>| c.is_some_and(crate::domain::text::is_cjk);
                if latin(v.chars().next()) && cjk(out.chars().next_back()) {
                    out.push(' ');
                }
                out.push_str(v);
                if latin(v.chars().next_back()) && cjk(after.chars().next()) {
                    out.push(' ');
                }
                rest = after;
            }
            out.push_str(rest);
            s = out;
        }
        s
    }

    /// A message with its arguments; an argument that is itself a message key (a role,
    /// a host level) is translated too.
    /// An argument that names keys is shown in words: one key, or several joined by `|`
    /// (the roles that may approve), shown joined by `/`.
    fn arg(&self, v: &str) -> String {
        let parts: Vec<&str> = v.split('|').collect();
        if parts.iter().all(|p| p.contains('.') && self.has(p)) {
            parts.iter().map(|p| self.t(p).to_string()).collect::<Vec<_>>().join("/")
        } else {
            v.to_string()
        }
    }

    pub fn msg(&self, m: &Msg) -> String {
        let args: Vec<(&str, String)> = m.args.iter().map(|(k, v)| (*k, self.arg(v))).collect();
        self.tf(m.key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::register::FieldKind;
    use crate::domain::{REGISTERS, Role, settings};

    #[test]
    fn both_languages_have_the_same_keys() {
        let en = flatten(EN).unwrap();
        let zh = flatten(ZH).unwrap();
        let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty() && only_zh.is_empty(), "only in en: {only_en:?}; only in zh-CN: {only_zh:?}");
    }

    #[test]
    fn placeholders_match_across_languages() {
        let en = flatten(EN).unwrap();
        let zh = flatten(ZH).unwrap();
        let holes = |s: &str| {
            let mut v: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(a, _)| a.to_string())).collect();
            v.sort();
            v
        };
        for (k, v) in &en {
            assert_eq!(holes(v), holes(&zh[k]), "{k}");
        }
    }

    #[test]
    fn every_label_the_engine_builds_exists() {
        let i = I18n::new(Lang::Zh);
        for def in REGISTERS {
            assert!(i.has(&format!("register.{}", def.name)));
            for d in def.deadlines {
                assert!(i.has(&d.label_key(def)), "{}", d.label_key(def));
            }
            for f in def.fields {
                assert!(i.has(&def.label_key(f.key)), "{}", def.label_key(f.key));
                if let FieldKind::Items { list, columns, .. } = f.kind {
                    for c in columns {
                        assert!(i.has(&format!("items.{list}.{}", c.key)), "items.{list}.{}", c.key);
                    }
                }
                if let FieldKind::Choice { list, codes } = f.kind {
                    for c in codes {
                        assert!(i.has(&format!("choice.{list}.{c}")), "choice.{list}.{c}");
                    }
                }
            }
            for flt in def.filters {
                assert!(i.has(flt.key), "{}", flt.key);
            }
        }
        for d in settings::DEFS {
            assert!(i.has(&format!("setting.{}", d.key)), "setting.{}", d.key);
        }
        for r in Role::ALL {
            assert!(i.has(r.label_key()));
        }
    }

    #[test]
    fn d19_a_latin_name_in_chinese_text_is_set_off_by_a_space() {
        let zh = I18n::new(Lang::Zh);
        let intro = |name: &str| zh.tf("lock.intro", &[("name", name.to_string())]);
        assert!(intro("Li Na").starts_with("Li Na 的终端"), "{}", intro("Li Na"));
        assert!(intro("王芳").starts_with("王芳的终端"), "{}", intro("王芳"));
        assert!(intro("No.5").starts_with("No.5的终端"), "a digit at the end is not a word");
        let en = I18n::new(Lang::En);
        assert!(!en.tf("lock.intro", &[("name", "Li Na".to_string())]).contains("Li Na  "));
    }

    #[test]
    fn language_is_chosen_by_flag_then_environment_then_setting() {
        assert_eq!(Lang::choose(Some("zh-CN"), "en"), Lang::Zh);
        assert_eq!(Lang::choose(Some("en"), "zh-CN"), Lang::En);
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr_FR"), None);
    }

    #[test]
    fn a_missing_key_shows_itself_rather_than_failing() {
        let i = I18n::new(Lang::En);
        assert_eq!(i.t("no.such.key"), "no.such.key");
        assert_eq!(i.tf("status.saved", &[("number", "V-1".into())]), "Saved V-1.");
    }
}
