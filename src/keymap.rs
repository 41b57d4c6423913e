//! Key notation, the default bindings (assets/keymap.toml) and the user's file merged
//! over them. One list of commands per context feeds the key bar and the F1 help.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::domain::Msg;

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
    /// The filter before this one.
    FilterBack,
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
    /// Yes to a confirmation (discard the changes).
    Confirm,
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
            "filter_back" => FilterBack,
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
            "confirm" => Confirm,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctx {
    /// Everywhere at the desk, overlays included.
    Global,
    List,
    Form,
    /// The setup, login and lock screens.
    Login,
    /// Small windows over a screen: help, the void reason, narrowing, confirmations.
    Overlay,
}

impl Ctx {
    pub const ALL: [Ctx; 5] = [Ctx::Global, Ctx::List, Ctx::Form, Ctx::Login, Ctx::Overlay];

    /// The section's name in keymap.toml.
    pub fn name(self) -> &'static str {
        match self {
            Ctx::Global => "global",
            Ctx::List => "list",
            Ctx::Form => "form",
            Ctx::Login => "login",
            Ctx::Overlay => "overlay",
        }
    }

    pub fn parse(s: &str) -> Option<Ctx> {
        Ctx::ALL.into_iter().find(|c| c.name() == s)
    }
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

    /// Parses `F1`, `A-2`, `C-s`, `S-Tab`, `Enter`, `x`, and what `show` writes
    /// (`Ctrl-S`, `Alt-2`, `Shift-Tab`, `PgDn`, `↑`).
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        'prefix: while rest.chars().count() > 2 {
            for (p, m) in [
                ("C-", KeyModifiers::CONTROL),
                ("Ctrl-", KeyModifiers::CONTROL),
                ("A-", KeyModifiers::ALT),
                ("Alt-", KeyModifiers::ALT),
                ("S-", KeyModifiers::SHIFT),
                ("Shift-", KeyModifiers::SHIFT),
            ] {
                if let Some(r) = rest.strip_prefix(p) {
                    mods |= m;
                    rest = r;
                    continue 'prefix;
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
            "Up" | "↑" => KeyCode::Up,
            "Down" | "↓" => KeyCode::Down,
            "Left" | "←" => KeyCode::Left,
            "Right" | "→" => KeyCode::Right,
            "PageUp" | "PgUp" => KeyCode::PageUp,
            "PageDown" | "PgDn" => KeyCode::PageDown,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "Space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('F') => match f[1..].parse() {
                Ok(n @ 1..=24) => KeyCode::F(n),
                _ => return None,
            },
            c if c.chars().count() == 1 => {
                let c = c.chars().next()?;
                // as a terminal reports it: Ctrl with a letter is the small letter
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) { c.to_ascii_lowercase() } else { c })
            }
            _ => return None,
        };
        if matches!(code, KeyCode::Char(_)) && mods.contains(KeyModifiers::SHIFT) {
            // Shift is part of the character itself (`A`, not `S-a`)
            return None;
        }
        Some(Key { code, mods })
    }

    /// A character without Ctrl or Alt: text, where a field has the keyboard.
    pub fn is_typed(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
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
    pub login: Vec<Binding>,
    pub overlay: Vec<Binding>,
}

#[derive(Deserialize)]
struct Entry {
    on: Vec<String>,
    run: String,
    desc: Option<String>,
}

/// Commands that no keymap file can take away: their default keys always stay, and an
/// entry naming them adds keys.
pub const KEPT: &[Cmd] = &[Cmd::Lock, Cmd::Quit];

/// An entry of the user's file that was read, with where it came from.
struct UserEntry {
    ctx: Ctx,
    binding: Binding,
}

fn default_entries() -> Vec<(Ctx, Binding)> {
    let table: toml::Table = toml::from_str(DEFAULT).expect("bundled keymap parses");
    let mut out = Vec::new();
    for ctx in Ctx::ALL {
        let Some(items) = table.get(ctx.name()).and_then(|v| v.as_array()) else { continue };
        for item in items {
            let e: Entry = item.clone().try_into().expect("bundled keymap entry");
            let cmd = Cmd::parse(&e.run).expect("bundled keymap command");
            let keys = e.on.iter().map(|k| Key::parse(k).expect("bundled keymap key")).collect();
            out.push((ctx, Binding { keys, cmd, desc: e.desc.unwrap_or_else(|| format!("cmd.{}", e.run)) }));
        }
    }
    out
}

/// Reads the user's file: every entry that can be read, and a problem for each one
/// that cannot. An entry with any problem is left out whole, so its command keeps its
/// default keys.
fn user_entries(src: &str, defaults: &[(Ctx, Binding)], problems: &mut Vec<Msg>) -> Vec<UserEntry> {
    let table: toml::Table = match toml::from_str(src) {
        Ok(t) => t,
        Err(e) => {
            problems.push(Msg::new("keymap.unreadable").with("detail", e.message().trim()));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (section, value) in table {
        let Some(ctx) = Ctx::parse(&section) else {
            problems.push(Msg::new("keymap.section").with("section", section));
            continue;
        };
        let Some(items) = value.as_array() else {
            problems.push(Msg::new("keymap.section").with("section", section));
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let Ok(e) = item.clone().try_into::<Entry>() else {
                problems.push(Msg::new("keymap.entry").with("section", ctx.name()).with("n", i + 1));
                continue;
            };
            let Some(cmd) = Cmd::parse(&e.run) else {
                problems.push(Msg::new("keymap.command").with("command", &e.run).with("section", ctx.name()));
                continue;
            };
            let Some((_, default)) = defaults.iter().find(|(c, b)| *c == ctx && b.cmd == cmd) else {
                problems.push(Msg::new("keymap.command_here").with("command", &e.run).with("section", ctx.name()));
                continue;
            };
            let mut keys = Vec::new();
            let mut bad = false;
            for k in &e.on {
                match Key::parse(k) {
                    Some(key) => keys.push(key),
                    None => {
                        bad = true;
                        problems.push(
                            Msg::new("keymap.key")
                                .with("key", k)
                                .with("section", ctx.name())
                                .with("command", &default.desc),
                        );
                    }
                }
            }
            if bad {
                continue;
            }
            // in a form and on the login screens a plain character is typed into the field
            if matches!(ctx, Ctx::Form | Ctx::Login)
                && let Some(typed) = keys.iter().find(|k| k.is_typed())
            {
                problems.push(
                    Msg::new("keymap.typed")
                        .with("key", typed.show())
                        .with("section", ctx.name())
                        .with("command", &default.desc),
                );
                continue;
            }
            if keys.is_empty() {
                problems.push(Msg::new("keymap.no_keys").with("section", ctx.name()).with("command", &default.desc));
                continue;
            }
            let desc = e.desc.unwrap_or_else(|| default.desc.clone());
            out.push(UserEntry { ctx, binding: Binding { keys, cmd, desc } });
        }
    }
    out
}

/// The defaults with the user's entries over them: an entry replaces its command's
/// keys, except for the commands that must always work, where it adds keys.
fn build(defaults: &[(Ctx, Binding)], user: &[UserEntry]) -> Keymap {
    let mut map = Keymap { global: vec![], list: vec![], form: vec![], login: vec![], overlay: vec![] };
    for (ctx, b) in defaults {
        map.context_mut(*ctx).push(b.clone());
    }
    for u in user {
        let Some(b) = map.context_mut(u.ctx).iter_mut().find(|b| b.cmd == u.binding.cmd) else { continue };
        if KEPT.contains(&b.cmd) {
            for k in &u.binding.keys {
                if !b.keys.contains(k) {
                    b.keys.push(*k);
                }
            }
        } else {
            b.keys = u.binding.keys.clone();
        }
        b.desc = u.binding.desc.clone();
    }
    map
}

/// A key given to two commands: in one section, or in a section and everywhere
/// (the global key would win). (section, key, one command, the other)
fn clash(map: &Keymap) -> Option<(Ctx, Key, Cmd, Cmd, Ctx)> {
    for ctx in Ctx::ALL {
        let bs = map.context(ctx);
        for (i, a) in bs.iter().enumerate() {
            for k in &a.keys {
                if let Some(b) = bs[i + 1..].iter().find(|b| b.keys.contains(k)) {
                    return Some((ctx, *k, a.cmd, b.cmd, ctx));
                }
                if ctx != Ctx::Global
                    && let Some(g) = map.global.iter().find(|g| g.keys.contains(k))
                {
                    return Some((ctx, *k, a.cmd, g.cmd, Ctx::Global));
                }
            }
        }
    }
    None
}

impl Keymap {
    pub fn default_map() -> Keymap {
        Keymap::load(None).0
    }

    /// The defaults, with the user's file (if any) merged over them. Every problem in
    /// the user's file is reported, as a message to translate, and its entry left out:
    /// the default keys of that command stay, and the program still starts.
    pub fn load(user: Option<&str>) -> (Keymap, Vec<Msg>) {
        let defaults = default_entries();
        let mut problems = Vec::new();
        let mut entries = user.map(|src| user_entries(src, &defaults, &mut problems)).unwrap_or_default();
        loop {
            let map = build(&defaults, &entries);
            let Some((ctx, key, a, b, other)) = clash(&map) else { return (map, problems) };
            let desc = |c: Ctx, cmd: Cmd| map.context(c).iter().find(|x| x.cmd == cmd).map(|x| x.desc.clone());
            let involved = |u: &UserEntry| {
                ((u.ctx == ctx && (u.binding.cmd == a || u.binding.cmd == b)) || (u.ctx == other && u.binding.cmd == b))
                    && u.binding.keys.contains(&key)
            };
            let before = entries.len();
            entries.retain(|u| !involved(u));
            problems.push(
                Msg::new(if other == ctx { "keymap.clash" } else { "keymap.clash_global" })
                    .with("key", key.show())
                    .with("section", ctx.name())
                    .with("a", desc(ctx, a).unwrap_or_default())
                    .with("b", desc(other, b).unwrap_or_default()),
            );
            if entries.len() == before {
                // the defaults themselves clash: a test catches this; keep them
                return (map, problems);
            }
        }
    }

    pub fn context(&self, ctx: Ctx) -> &[Binding] {
        match ctx {
            Ctx::Global => &self.global,
            Ctx::List => &self.list,
            Ctx::Form => &self.form,
            Ctx::Login => &self.login,
            Ctx::Overlay => &self.overlay,
        }
    }

    fn context_mut(&mut self, ctx: Ctx) -> &mut Vec<Binding> {
        match ctx {
            Ctx::Global => &mut self.global,
            Ctx::List => &mut self.list,
            Ctx::Form => &mut self.form,
            Ctx::Login => &mut self.login,
            Ctx::Overlay => &mut self.overlay,
        }
    }

    pub fn lookup(&self, ctx: Ctx, key: Key) -> Option<Cmd> {
        self.context(ctx).iter().find(|b| b.keys.contains(&key)).map(|b| b.cmd)
    }

    pub fn binding(&self, ctx: Ctx, cmd: Cmd) -> Option<&Binding> {
        self.context(ctx).iter().find(|b| b.cmd == cmd)
    }

    /// The first key bound to a command, for the key bar.
    pub fn key_for(&self, ctx: Ctx, cmd: Cmd) -> Option<Key> {
        self.binding(ctx, cmd).and_then(|b| b.keys.first().copied())
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
        for b in Ctx::ALL.iter().flat_map(|c| map.context(*c)) {
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

    fn k(s: &str) -> Key {
        Key::parse(s).unwrap()
    }

    fn keys_of(problems: &[Msg]) -> Vec<&'static str> {
        problems.iter().map(|m| m.key).collect()
    }

    #[test]
    fn a_bad_key_is_reported_and_the_default_stays() {
        let (map, problems) = Keymap::load(Some("[[list]]\non = [\"Ctrl+N\"]\nrun = \"new\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.key"]);
        assert_eq!(problems[0].args[0], ("key", "Ctrl+N".to_string()));
        assert_eq!(map.lookup(Ctx::List, k("n")), Some(Cmd::New), "the default key still makes a new entry");
        assert_eq!(map.lookup(Ctx::List, k("Ins")), Some(Cmd::New));
        // one bad key among good ones: the entry is left out whole
        let (map, problems) = Keymap::load(Some("[[list]]\non = [\"a\", \"Hyper-x\"]\nrun = \"new\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.key"]);
        assert_eq!(map.lookup(Ctx::List, k("a")), None);
        assert_eq!(map.lookup(Ctx::List, k("n")), Some(Cmd::New));
        // no key at all does not unbind either
        let (map, problems) = Keymap::load(Some("[[list]]\non = []\nrun = \"new\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.no_keys"]);
        assert_eq!(map.lookup(Ctx::List, k("n")), Some(Cmd::New));
    }

    #[test]
    fn a_bad_command_or_section_is_reported_and_changes_nothing() {
        let (map, problems) = Keymap::load(Some("[[form]]\non = [\"C-s\"]\nrun = \"explode\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.command"]);
        assert_eq!(map.lookup(Ctx::Form, k("C-s")), Some(Cmd::Save));
        let (_, problems) = Keymap::load(Some("[[lists]]\non = [\"a\"]\nrun = \"new\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.section"]);
        let (_, problems) = Keymap::load(Some("[[list]]\non = [\"a\"]\nrun = \"save\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.command_here"], "save is no list command");
        let (_, problems) = Keymap::load(Some("[[list]]\nrun = \"new\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.entry"]);
        let (map, problems) = Keymap::load(Some("[[form]]\non = [\"s\"]\nrun = \"save\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.typed"], "s would be typed into the field");
        assert_eq!(map.lookup(Ctx::Form, k("C-s")), Some(Cmd::Save));
        let (map, problems) = Keymap::load(Some("this is [not toml"));
        assert_eq!(keys_of(&problems), ["keymap.unreadable"]);
        assert_eq!(map.lookup(Ctx::Global, k("C-l")), Some(Cmd::Lock));
    }

    #[test]
    fn a_clash_is_reported_and_both_commands_keep_their_defaults() {
        let (map, problems) = Keymap::load(Some("[[global]]\non = [\"F2\"]\nrun = \"lock\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.clash"]);
        assert_eq!(map.lookup(Ctx::Global, k("F2")), Some(Cmd::Today));
        assert_eq!(map.lookup(Ctx::Global, k("C-l")), Some(Cmd::Lock));
        assert_eq!(map.key_for(Ctx::Global, Cmd::Lock), Some(k("C-l")), "the bar does not say F2 locks");
        // two commands on one key of a section
        let (map, problems) = Keymap::load(Some("[[list]]\non = [\"/\"]\nrun = \"new\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.clash"]);
        assert_eq!(map.lookup(Ctx::List, k("/")), Some(Cmd::Search));
        assert_eq!(map.lookup(Ctx::List, k("n")), Some(Cmd::New));
        // a global key taken for a list command: the global key would win, so it is refused
        let (map, problems) = Keymap::load(Some("[[list]]\non = [\"C-l\"]\nrun = \"new\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.clash_global"]);
        assert_eq!(map.lookup(Ctx::List, k("n")), Some(Cmd::New));
        assert_eq!(map.lookup(Ctx::Global, k("C-l")), Some(Cmd::Lock));
    }

    #[test]
    fn keys_can_be_swapped_without_a_clash() {
        let src = "[[list]]\non = [\"n\"]\nrun = \"search\"\n[[list]]\non = [\"a\"]\nrun = \"new\"\n";
        let (map, problems) = Keymap::load(Some(src));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(map.lookup(Ctx::List, k("n")), Some(Cmd::Search));
        assert_eq!(map.lookup(Ctx::List, k("a")), Some(Cmd::New));
        assert_eq!(map.lookup(Ctx::List, k("/")), None);
    }

    #[test]
    fn lock_and_quit_can_never_be_unbound() {
        let src = "[[global]]\non = [\"F12\"]\nrun = \"lock\"\n[[global]]\non = [\"F11\"]\nrun = \"quit\"\n";
        let (map, problems) = Keymap::load(Some(src));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(map.lookup(Ctx::Global, k("F12")), Some(Cmd::Lock), "the entry adds a key");
        assert_eq!(map.lookup(Ctx::Global, k("C-l")), Some(Cmd::Lock), "Ctrl-L still locks");
        assert_eq!(map.lookup(Ctx::Global, k("F11")), Some(Cmd::Quit));
        assert_eq!(map.lookup(Ctx::Global, k("C-q")), Some(Cmd::Quit));
        // taking Ctrl-L for another command is refused
        let (map, problems) = Keymap::load(Some("[[global]]\non = [\"C-l\"]\nrun = \"help\"\n"));
        assert_eq!(keys_of(&problems), ["keymap.clash"]);
        assert_eq!(map.lookup(Ctx::Global, k("C-l")), Some(Cmd::Lock));
        assert_eq!(map.lookup(Ctx::Global, k("F1")), Some(Cmd::Help));
    }

    #[test]
    fn every_problem_is_reported_translated_not_only_the_first() {
        let src = "[[list]]\non = [\"Ctrl+N\"]\nrun = \"new\"\n\
                   [[global]]\non = [\"F2\"]\nrun = \"lock\"\n\
                   [[form]]\non = [\"C-s\"]\nrun = \"explode\"\n";
        let (map, problems) = Keymap::load(Some(src));
        let mut got = keys_of(&problems);
        got.sort();
        assert_eq!(got, ["keymap.clash", "keymap.command", "keymap.key"]);
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Zh] {
            let i = crate::i18n::I18n::new(lang);
            for p in &problems {
                let text = i.msg(p);
                assert!(i.has(p.key) && !text.contains('{'), "{text}");
            }
        }
        let zh = crate::i18n::I18n::new(crate::i18n::Lang::Zh);
        let bad_key = problems.iter().find(|p| p.key == "keymap.key").unwrap();
        assert!(zh.msg(bad_key).contains("新建") && zh.msg(bad_key).contains("Ctrl+N"), "{}", zh.msg(bad_key));
        assert_eq!(map.lookup(Ctx::List, k("n")), Some(Cmd::New));
        assert_eq!(map.lookup(Ctx::Form, k("C-s")), Some(Cmd::Save));
        assert_eq!(map.lookup(Ctx::Global, k("C-l")), Some(Cmd::Lock));
    }

    #[test]
    fn the_help_notation_reads_back() {
        let (map, _) = Keymap::load(None);
        for ctx in Ctx::ALL {
            for b in map.context(ctx) {
                for key in &b.keys {
                    assert_eq!(Key::parse(&key.show()), Some(*key), "{}", key.show());
                }
            }
        }
        assert_eq!(Key::parse("Ctrl-L"), Key::parse("C-l"));
        assert_eq!(Key::parse("F99"), None);
    }

    #[test]
    fn the_entry_and_overlay_keys_are_in_the_keymap() {
        let map = Keymap::default_map();
        assert_eq!(map.lookup(Ctx::Login, k("Enter")), Some(Cmd::Enter));
        assert_eq!(map.lookup(Ctx::Login, k("C-u")), Some(Cmd::Clear));
        assert_eq!(map.lookup(Ctx::Overlay, k("Esc")), Some(Cmd::Cancel));
        assert_eq!(map.lookup(Ctx::Overlay, k("Tab")), Some(Cmd::NextField));
        assert_eq!(map.lookup(Ctx::Overlay, k("是")), Some(Cmd::Confirm));
        let (map, problems) = Keymap::load(Some("[[overlay]]\non = [\"d\"]\nrun = \"confirm\"\n"));
        assert!(problems.is_empty());
        assert_eq!(map.lookup(Ctx::Overlay, k("d")), Some(Cmd::Confirm));
        assert_eq!(map.lookup(Ctx::Overlay, k("y")), None);
    }

    #[test]
    fn backtab_is_shift_tab() {
        let e = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&e), Key::parse("S-Tab").unwrap());
    }
}
