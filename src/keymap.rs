//! Key notation, the default bindings (assets/keymap.toml) and the user's file merged
//! over them. One list of commands per context feeds the key bar and the F1 help.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

pub const DEFAULT: &str = include_str!("../assets/keymap.toml");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmd {
    Help,
    Today,
    Intake,
    Complaints,
    Repairs,
    Archive,
    Reports,
    Admin,
    Lock,
    Quit,
    Open,
    New,
    Search,
    Filter,
    NextTab,
    Void,
    Back,
    Down,
    Up,
    PageDown,
    PageUp,
    First,
    Last,
    Save,
    NextField,
    PrevField,
    Cancel,
    Enter,
    Clear,
    Left,
    Right,
    Submit,
    Link,
    Reopen,
    Narrow,
}

impl Cmd {
    pub fn parse(s: &str) -> Option<Cmd> {
        use Cmd::*;
        Some(match s {
            "help" => Help,
            "today" => Today,
            "intake" => Intake,
            "complaints" => Complaints,
            "repairs" => Repairs,
            "archive" => Archive,
            "reports" => Reports,
            "admin" => Admin,
            "lock" => Lock,
            "quit" => Quit,
            "open" => Open,
            "new" => New,
            "search" => Search,
            "filter" => Filter,
            "next_tab" => NextTab,
            "void" => Void,
            "back" => Back,
            "down" => Down,
            "up" => Up,
            "page_down" => PageDown,
            "page_up" => PageUp,
            "first" => First,
            "last" => Last,
            "save" => Save,
            "next_field" => NextField,
            "prev_field" => PrevField,
            "cancel" => Cancel,
            "enter" => Enter,
            "clear" => Clear,
            "left" => Left,
            "right" => Right,
            "submit" => Submit,
            "link" => Link,
            "reopen" => Reopen,
            "narrow" => Narrow,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    Global,
    List,
    Form,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Key {
        let mut mods = e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match e.code {
            // Shift is part of the character itself.
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) { c.to_ascii_lowercase() } else { c })
            }
            KeyCode::BackTab => {
                mods.insert(KeyModifiers::SHIFT);
                KeyCode::Tab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// Parses `F1`, `A-2`, `C-s`, `S-Tab`, `Enter`, `x`.
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            if rest.len() > 2 {
                if let Some(r) = rest.strip_prefix("C-") {
                    mods |= KeyModifiers::CONTROL;
                    rest = r;
                    continue;
                }
                if let Some(r) = rest.strip_prefix("A-") {
                    mods |= KeyModifiers::ALT;
                    rest = r;
                    continue;
                }
                if let Some(r) = rest.strip_prefix("S-") {
                    mods |= KeyModifiers::SHIFT;
                    rest = r;
                    continue;
                }
            }
            break;
        }
        let code = match rest {
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Tab" => KeyCode::Tab,
            "Backspace" => KeyCode::Backspace,
            "Ins" | "Insert" => KeyCode::Insert,
            "Del" | "Delete" => KeyCode::Delete,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "PageUp" => KeyCode::PageUp,
            "PageDown" => KeyCode::PageDown,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "Space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('F') => KeyCode::F(f[1..].parse().ok()?),
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
            _ => return None,
        };
        Some(Key { code, mods })
    }

    /// The notation, for the key bar and help.
    pub fn show(&self) -> String {
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            s.push_str("Shift-");
        }
        match self.code {
            KeyCode::F(n) => s.push_str(&format!("F{n}")),
            KeyCode::Char(' ') => s.push_str("Space"),
            KeyCode::Char(c) => {
                s.push(if self.mods.contains(KeyModifiers::CONTROL) { c.to_ascii_uppercase() } else { c })
            }
            KeyCode::Enter => s.push_str("Enter"),
            KeyCode::Esc => s.push_str("Esc"),
            KeyCode::Tab => s.push_str("Tab"),
            KeyCode::Insert => s.push_str("Ins"),
            KeyCode::Delete => s.push_str("Del"),
            KeyCode::Up => s.push('↑'),
            KeyCode::Down => s.push('↓'),
            KeyCode::Left => s.push('←'),
            KeyCode::Right => s.push('→'),
            KeyCode::PageUp => s.push_str("PgUp"),
            KeyCode::PageDown => s.push_str("PgDn"),
            KeyCode::Home => s.push_str("Home"),
            KeyCode::End => s.push_str("End"),
            other => s.push_str(&format!("{other:?}")),
        }
        s
    }
}

#[derive(Clone, Debug)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub cmd: Cmd,
    /// The i18n key describing it.
    pub desc: String,
}

#[derive(Clone, Debug)]
pub struct Keymap {
    pub global: Vec<Binding>,
    pub list: Vec<Binding>,
    pub form: Vec<Binding>,
}

#[derive(Deserialize)]
struct Entry {
    on: Vec<String>,
    run: String,
    desc: Option<String>,
}

#[derive(Deserialize, Default)]
struct File {
    #[serde(default)]
    global: Vec<Entry>,
    #[serde(default)]
    list: Vec<Entry>,
    #[serde(default)]
    form: Vec<Entry>,
}

fn bindings(entries: Vec<Entry>, errors: &mut Vec<String>) -> Vec<Binding> {
    let mut out = Vec::new();
    for e in entries {
        let Some(cmd) = Cmd::parse(&e.run) else {
            errors.push(format!("unknown command '{}'", e.run));
            continue;
        };
        let mut keys = Vec::new();
        for k in &e.on {
            match Key::parse(k) {
                Some(key) => keys.push(key),
                None => errors.push(format!("unknown key '{k}'")),
            }
        }
        out.push(Binding { keys, cmd, desc: e.desc.unwrap_or_else(|| format!("cmd.{}", e.run)) });
    }
    out
}

/// Replaces the keys of each command the user file names; others keep their defaults.
fn merge(base: &mut Vec<Binding>, user: Vec<Binding>) {
    for u in user {
        match base.iter_mut().find(|b| b.cmd == u.cmd) {
            Some(b) => b.keys = u.keys,
            None => base.push(u),
        }
    }
}

impl Keymap {
    pub fn default_map() -> Keymap {
        Keymap::load(None).0
    }

    /// The defaults, with the user's file (if any) merged over them. Problems in the
    /// user's file are reported and skipped; the program still starts.
    pub fn load(user: Option<&str>) -> (Keymap, Vec<String>) {
        let mut errors = Vec::new();
        let file: File = toml::from_str(DEFAULT).expect("bundled keymap parses");
        let mut map = Keymap {
            global: bindings(file.global, &mut errors),
            list: bindings(file.list, &mut errors),
            form: bindings(file.form, &mut errors),
        };
        if let Some(src) = user {
            match toml::from_str::<File>(src) {
                Ok(f) => {
                    merge(&mut map.global, bindings(f.global, &mut errors));
                    merge(&mut map.list, bindings(f.list, &mut errors));
                    merge(&mut map.form, bindings(f.form, &mut errors));
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        (map, errors)
    }

    pub fn context(&self, ctx: Ctx) -> &[Binding] {
        match ctx {
            Ctx::Global => &self.global,
            Ctx::List => &self.list,
            Ctx::Form => &self.form,
        }
    }

    pub fn lookup(&self, ctx: Ctx, key: Key) -> Option<Cmd> {
        self.context(ctx).iter().find(|b| b.keys.contains(&key)).map(|b| b.cmd)
    }

    /// The first key bound to a command, for the key bar.
    pub fn key_for(&self, ctx: Ctx, cmd: Cmd) -> Option<Key> {
        self.context(ctx).iter().find(|b| b.cmd == cmd).and_then(|b| b.keys.first().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_parses() {
        assert_eq!(Key::parse("F1"), Some(Key { code: KeyCode::F(1), mods: KeyModifiers::NONE }));
        assert_eq!(Key::parse("C-s"), Some(Key { code: KeyCode::Char('s'), mods: KeyModifiers::CONTROL }));
        assert_eq!(Key::parse("A-2"), Some(Key { code: KeyCode::Char('2'), mods: KeyModifiers::ALT }));
        assert_eq!(Key::parse("S-Tab"), Some(Key { code: KeyCode::Tab, mods: KeyModifiers::SHIFT }));
        assert_eq!(Key::parse("/"), Some(Key { code: KeyCode::Char('/'), mods: KeyModifiers::NONE }));
        assert_eq!(Key::parse("-"), Some(Key { code: KeyCode::Char('-'), mods: KeyModifiers::NONE }));
        assert_eq!(Key::parse("Nope"), None);
    }

    #[test]
    fn every_default_binding_is_valid_and_described() {
        let (map, errors) = Keymap::load(None);
        assert!(errors.is_empty(), "{errors:?}");
        let en = crate::i18n::I18n::new(crate::i18n::Lang::En);
        for b in map.global.iter().chain(&map.list).chain(&map.form) {
            assert!(!b.keys.is_empty());
            assert!(en.has(&b.desc), "{}", b.desc);
        }
        assert_eq!(map.lookup(Ctx::Global, Key::parse("A-3").unwrap()), Some(Cmd::Intake));
    }

    #[test]
    fn user_file_replaces_only_what_it_names() {
        let (map, errors) = Keymap::load(Some("[[global]]\non = [\"C-h\"]\nrun = \"help\"\n"));
        assert!(errors.is_empty());
        assert_eq!(map.lookup(Ctx::Global, Key::parse("C-h").unwrap()), Some(Cmd::Help));
        assert_eq!(map.lookup(Ctx::Global, Key::parse("F1").unwrap()), None);
        assert_eq!(map.lookup(Ctx::Global, Key::parse("F2").unwrap()), Some(Cmd::Today));
        let (_, errors) = Keymap::load(Some("[[global]]\non = [\"Hyper-x\"]\nrun = \"fly\"\n"));
        assert_eq!(errors.len(), 1, "an unknown command is reported, not fatal");
    }

    #[test]
    fn backtab_is_shift_tab() {
        let e = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), Key::parse("S-Tab").unwrap());
    }
}
