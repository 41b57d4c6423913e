//! The central model: who is logged in, what is on screen, drafts; `on_key` turns keys
//! into commands and applies them. Every change to data goes through the store in one
//! transaction, after the permission and the domain rules said yes. No drawing here.

pub mod admin;
pub mod desk;
pub mod form;
pub mod reports;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::domain::register::{Context, FieldDef, FieldKind as K};
use crate::domain::{Msg, Settings, settings};
use crate::i18n::I18n;
use crate::keymap::{Cmd, Ctx, Key, Keymap};
use crate::store::{LoginError, Operator, Store, auth::NewOperator};

pub use desk::{Desk, RegisterView, Screen};
pub use form::{FormState, Hit};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Clone, Debug)]
pub struct Status {
    pub text: String,
    pub level: Level,
    pub until: i64,
}

#[derive(Clone, Debug)]
pub enum Confirm {
    /// Discard the open form's unsaved changes.
    Discard,
}

#[derive(Clone, Debug)]
pub enum Overlay {
    Help,
    Confirm(Confirm),
    /// A small form over the screen: the reason a record is voided, or the narrowing
    /// of a list.
    Form(FormKind, Box<FormState>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKind {
    VoidReason,
    Narrow,
}

pub enum Phase {
    /// No operator exists yet: create the first administrator.
    Setup(FormState),
    Login(FormState),
    Desk(Box<Desk>),
}

pub const SETUP_FIELDS: &[FieldDef] = &[
    FieldDef::new("code", K::Text { max: 20 }).required(),
    FieldDef::new("name", K::Text { max: 40 }).required(),
    FieldDef::new("password", K::Secret).required(),
    FieldDef::new("password2", K::Secret).required(),
];

pub const LOGIN_FIELDS: &[FieldDef] =
    &[FieldDef::new("code", K::Text { max: 20 }).required(), FieldDef::new("password", K::Secret).required()];

pub const REASON_FIELDS: &[FieldDef] = &[FieldDef::new("reason", K::Text { max: 200 }).required()];

/// The demo database's operators, shown on its login screen.
pub const DEMO_OPERATORS: &[(&str, &str, &str, &str)] = &[
    ("wangfang", "desk123", "王芳", "receptionist"),
    ("lina", "desk123", "Li Na", "receptionist"),
    ("zhangqiang", "super123", "张强", "supervisor"),
    ("chenzong", "boss123", "陈总", "manager,supervisor"),
    ("liugong", "fix123", "刘工", "dispatcher"),
    ("zhaomin", "file123", "赵敏", "archivist"),
    ("admin", "admin123", "系统管理员", "admin"),
];

pub struct Model {
    pub store: Store,
    pub i18n: I18n,
    pub keymap: Keymap,
    pub settings: Settings,
    /// Now, UTC seconds; set by `tick`.
    pub now: i64,
    /// The local time zone's offset from UTC, seconds.
    pub offset: i32,
    pub demo: bool,
    pub ascii: bool,
    pub color: bool,
    /// The terminal's size, for page sizes.
    pub size: (u16, u16),
    pub phase: Phase,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    pub quit: bool,
    /// When other terminals' changes last arrived (for the top bar's marker).
    pub remote_at: Option<i64>,
    data_version: i64,
    last_input: i64,
    last_draft: i64,
}

impl Model {
    pub fn new(store: Store, i18n: I18n, keymap: Keymap, now: i64, offset: i32) -> Model {
        let settings = store.settings().unwrap_or_default();
        let data_version = store.data_version().unwrap_or(0);
        let setup = store.operator_count().unwrap_or(0) == 0;
        let phase = if setup {
            Phase::Setup(FormState::new("setup", SETUP_FIELDS))
        } else {
            Phase::Login(FormState::new("login", LOGIN_FIELDS))
        };
        Model {
            store,
            i18n,
            keymap,
            settings,
            now,
            offset,
            demo: false,
            ascii: false,
            color: true,
            size: (80, 24),
            phase,
            overlay: None,
            status: None,
            quit: false,
            remote_at: None,
            data_version,
            last_input: now,
            last_draft: now,
        }
    }

    pub fn ctx(&self) -> Context {
        Context { actor: self.desk().map(|d| d.op.id).unwrap_or(0), ..Context::new(self.now, self.offset) }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.t(key).to_string()
    }

    pub fn say(&mut self, m: Msg, level: Level) {
        let text = self.i18n.msg(&m);
        self.status = Some(Status { text, level, until: self.now + 8 });
    }

    pub fn desk(&self) -> Option<&Desk> {
        match &self.phase {
            Phase::Desk(d) => Some(d),
            _ => None,
        }
    }

    pub fn desk_mut(&mut self) -> Option<&mut Desk> {
        match &mut self.phase {
            Phase::Desk(d) => Some(d),
            _ => None,
        }
    }

    /// Rows a list can show at the current terminal size.
    pub fn page_size(&self) -> usize {
        (self.size.1 as usize).saturating_sub(9).clamp(3, 200)
    }

    pub fn resize(&mut self, w: u16, h: u16) {
        let before = self.page_size();
        self.size = (w, h);
        if self.page_size() != before {
            self.refresh_lists();
        }
    }

    // ---- time ----

    /// Called a few times a second: the clock, idle lock, draft autosave, and other
    /// terminals' commits.
    pub fn tick(&mut self, now: i64) {
        self.now = now;
        if let Some(s) = &self.status
            && s.until < now
        {
            self.status = None;
        }
        self.poll_remote();
        let Phase::Desk(desk) = &self.phase else { return };
        if desk.lock.is_none() {
            let idle = self.settings.int(settings::LOCK_IDLE_MINUTES) * 60;
            if now - self.last_input >= idle {
                self.lock();
                return;
            }
        }
        if now - self.last_draft >= self.settings.int(settings::DRAFT_INTERVAL_SECONDS) {
            self.last_draft = now;
            self.save_drafts();
        }
    }

    /// Notices commits by other terminals (`PRAGMA data_version`) and refreshes.
    pub fn poll_remote(&mut self) {
        let Ok(v) = self.store.data_version() else { return };
        if v != self.data_version {
            self.data_version = v;
            self.remote_at = Some(self.now);
            if let Ok(s) = self.store.settings() {
                self.settings = s;
            }
            self.refresh_lists();
        }
    }

    /// After our own write: our connection's data_version does not change for our own
    /// commits, so nothing to mark; just refresh what is shown.
    fn after_write(&mut self) {
        if let Ok(v) = self.store.data_version() {
            self.data_version = v;
        }
        self.refresh_lists();
    }

    // ---- keys ----

    pub fn on_paste(&mut self, text: &str) {
        self.last_input = self.now;
        if let Some(f) = self.text_target() {
            f.insert(text);
            self.after_edit();
        }
    }

    /// The form a typed character goes to, if any.
    fn text_target(&mut self) -> Option<&mut FormState> {
        if self.overlay.is_some() {
            return match &mut self.overlay {
                Some(Overlay::Form(_, f)) => Some(f),
                _ => None,
            };
        }
        match &mut self.phase {
            Phase::Setup(f) | Phase::Login(f) => Some(f),
            Phase::Desk(d) => d.text_target(),
        }
    }

    pub fn on_key(&mut self, e: KeyEvent) {
        if e.kind != KeyEventKind::Press {
            return;
        }
        self.last_input = self.now;
        let key = Key::from_event(&e);
        let plain = !e.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        // While the terminal is too small nothing is shown, so nothing is typed either.
        if self.size.0 < crate::ui::MIN_W || self.size.1 < crate::ui::MIN_H {
            if key.mods.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('q') {
                self.quit();
            }
            return;
        }

        // Text input sees every plain character before any hotkey: a form's field, the
        // search box, or an overlay's form (other overlays have none).
        if plain
            && let KeyCode::Char(c) = key.code
            && let Some(f) = self.text_target()
        {
            f.insert(&c.to_string());
            self.after_edit();
            return;
        }
        if self.overlay.is_some() {
            let editing = matches!(self.overlay, Some(Overlay::Form(..)))
                && !matches!(key.code, KeyCode::Up | KeyCode::Down | KeyCode::Esc);
            if !(editing && self.edit_key(key)) {
                self.overlay_key(key);
            }
            return;
        }
        if matches!(self.phase, Phase::Setup(_) | Phase::Login(_)) || self.desk().is_some_and(|d| d.lock.is_some()) {
            self.entry_key(key);
            return;
        }
        if let Some(cmd) = self.keymap.lookup(Ctx::Global, key) {
            self.global(cmd);
            return;
        }
        let ctx = if self.desk().is_some_and(|d| d.form().is_some()) { Ctx::Form } else { Ctx::List };
        if self.edit_key(key) {
            return;
        }
        if let Some(cmd) = self.keymap.lookup(ctx, key) {
            match ctx {
                Ctx::Form => self.form_cmd(cmd),
                _ => self.list_cmd(cmd),
            }
        }
    }

    /// Editing keys that are not commands (Backspace, Delete, Left, Right, Home, End)
    /// go to whatever text has the keyboard: a form field or the search box.
    fn edit_key(&mut self, key: Key) -> bool {
        // Ctrl-U clears whatever text has the keyboard: a field, the search box, a code.
        if key.mods == KeyModifiers::CONTROL
            && key.code == KeyCode::Char('u')
            && let Some(f) = self.text_target()
        {
            f.clear_field();
            self.after_edit();
            return true;
        }
        if key.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
            return false;
        }
        let suggesting = self.desk().and_then(|d| d.form()).is_some_and(|f| f.suggest.is_some());
        let Some(f) = self.text_target() else { return false };
        match key.code {
            KeyCode::Backspace => f.backspace(),
            KeyCode::Delete => f.delete(),
            KeyCode::Left => f.left(),
            KeyCode::Right => f.right(),
            KeyCode::Home => f.home(),
            KeyCode::End => f.end(),
            KeyCode::Down | KeyCode::Up if suggesting => {
                if let Some(s) = &mut f.suggest {
                    if key.code == KeyCode::Down { s.down() } else { s.up() }
                }
                return true;
            }
            KeyCode::Esc if suggesting => {
                f.suggest = None;
                return true;
            }
            _ => return false,
        }
        self.after_edit();
        true
    }

    fn after_edit(&mut self) {
        if let Some(Overlay::Form(kind, _)) = &self.overlay {
            if *kind == FormKind::Narrow {
                self.refresh_suggest();
            }
            return;
        }
        if let Phase::Desk(_) = self.phase {
            self.refresh_suggest();
            self.refresh_similar();
            self.search_as_typed();
        }
    }

    fn global(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Help => self.overlay = Some(Overlay::Help),
            Cmd::Lock => self.lock(),
            Cmd::Quit => self.quit(),
            Cmd::Today => self.go(Screen::Today),
            Cmd::Intake => self.go(Screen::Intake),
            Cmd::Admin => self.go(Screen::Admin),
            Cmd::Complaints => self.go(Screen::Complaints),
            Cmd::Reports => self.go(Screen::Reports),
            Cmd::Repairs | Cmd::Archive => {
                let name = if cmd == Cmd::Repairs { "screen.repairs" } else { "screen.archive" };
                let name = self.t(name);
                self.say(Msg::new("status.not_in_version").with("screen", name), Level::Warn);
            }
            _ => {}
        }
    }

    fn overlay_key(&mut self, key: Key) {
        let Some(ov) = self.overlay.take() else { return };
        match ov {
            Overlay::Help => {
                // any key closes help
            }
            Overlay::Confirm(Confirm::Discard) => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Char('是') => self.discard_form(),
                _ => {}
            },
            Overlay::Form(kind, mut f) => {
                match key.code {
                    KeyCode::Esc if f.suggest.is_some() => f.suggest = None,
                    KeyCode::Esc => return,
                    KeyCode::Down if f.suggest.is_some() => f.suggest.iter_mut().for_each(|s| s.down()),
                    KeyCode::Up if f.suggest.is_some() => f.suggest.iter_mut().for_each(|s| s.up()),
                    KeyCode::Enter if f.suggest.as_ref().is_some_and(|s| s.chosen().is_some()) => {
                        if let Some(hit) = f.suggest.as_ref().and_then(|s| s.chosen()).cloned() {
                            f.pick(&hit);
                        }
                    }
                    KeyCode::Enter => return self.submit_overlay(kind, *f),
                    KeyCode::Tab | KeyCode::Down => f.next_field(),
                    KeyCode::Up => f.prev_field(),
                    KeyCode::Char('u') if key.mods.contains(KeyModifiers::CONTROL) => f.clear_field(),
                    _ => {}
                }
                self.overlay = Some(Overlay::Form(kind, f));
            }
        }
    }

    fn submit_overlay(&mut self, kind: FormKind, f: FormState) {
        match kind {
            FormKind::VoidReason => {
                let reason = f.raw("reason").to_string();
                self.void_selected(&reason);
            }
            FormKind::Narrow => self.apply_narrow(f),
        }
    }

    /// Keys on the setup, login and lock screens.
    fn entry_key(&mut self, key: Key) {
        if key.mods.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('q') {
            self.quit();
            return;
        }
        let form = match &mut self.phase {
            Phase::Setup(f) | Phase::Login(f) => f,
            Phase::Desk(d) => match &mut d.lock {
                Some(f) => f,
                None => return,
            },
        };
        match key.code {
            KeyCode::Tab | KeyCode::Down => form.next_field(),
            KeyCode::Up => form.prev_field(),
            KeyCode::Backspace => form.backspace(),
            KeyCode::Delete => form.delete(),
            KeyCode::Left => form.left(),
            KeyCode::Right => form.right(),
            KeyCode::Home => form.home(),
            KeyCode::End => form.end(),
            KeyCode::Esc => {
                form.clear_errors();
            }
            KeyCode::Char('u') if key.mods.contains(KeyModifiers::CONTROL) => form.clear_field(),
            KeyCode::Enter if !form.is_last_field() => form.next_field(),
            KeyCode::Enter => self.submit_entry(),
            KeyCode::Char('s') if key.mods.contains(KeyModifiers::CONTROL) => self.submit_entry(),
            KeyCode::F(1) => self.overlay = Some(Overlay::Help),
            _ => {}
        }
    }

    fn submit_entry(&mut self) {
        let now = self.now;
        match &mut self.phase {
            Phase::Setup(f) => {
                let (code, name, p1, p2) = (
                    f.raw("code").to_string(),
                    f.raw("name").to_string(),
                    f.raw("password").to_string(),
                    f.raw("password2").to_string(),
                );
                if p1 != p2 {
                    f.set_error("password2", Msg::new("err.password.mismatch"));
                    return;
                }
                // The first operator administers the program and runs the office.
                let roles = [crate::domain::Role::Manager, crate::domain::Role::Admin];
                let new = NewOperator { code: &code, name: &name, roles: &roles, password: &p1 };
                match self.store.create_operator(None, now, &new) {
                    Ok(_) => match self.store.login(&code, &p1, now) {
                        Ok(op) => self.enter_desk(op),
                        Err(e) => {
                            let m = e.msg(self.offset);
                            self.say(m, Level::Error)
                        }
                    },
                    Err(e) => {
                        let m = e.msg();
                        let field = match m.key {
                            "err.operator.code" | "err.operator.exists" => "code",
                            "err.password.short" => "password",
                            _ => "name",
                        };
                        f.set_error(field, m);
                    }
                }
            }
            Phase::Login(f) => {
                let (code, pw) = (f.raw("code").to_string(), f.raw("password").to_string());
                match self.store.login(&code, &pw, now) {
                    Ok(op) => self.enter_desk(op),
                    Err(e) => self.login_failed(e),
                }
            }
            Phase::Desk(d) => {
                let Some(f) = &d.lock else { return };
                let (code, pw) = (f.raw("code").to_string(), f.raw("password").to_string());
                let current = d.op.id;
                match self.store.login(&code, &pw, now) {
                    Ok(op) if op.id == current => {
                        if let Some(d) = self.desk_mut() {
                            d.lock = None;
                        }
                        self.refresh_lists();
                    }
                    Ok(op) => {
                        // Another operator takes the terminal; the first one's work is in drafts.
                        self.save_drafts();
                        self.enter_desk(op);
                    }
                    Err(e) => self.login_failed(e),
                }
            }
        }
    }

    fn login_failed(&mut self, e: LoginError) {
        let m = e.msg(self.offset);
        let form = match &mut self.phase {
            Phase::Login(f) => Some(f),
            Phase::Desk(d) => d.lock.as_mut(),
            Phase::Setup(_) => None,
        };
        if let Some(f) = form {
            f.set("password", "", None);
            f.focus = 1;
            f.set_error("password", m);
        }
    }

    fn enter_desk(&mut self, op: Operator) {
        let desk = Desk::new(op, &self.store);
        self.phase = Phase::Desk(Box::new(desk));
        self.overlay = None;
        let restored = self.restore_drafts();
        self.refresh_lists();
        if restored > 0 {
            self.say(Msg::new("status.drafts_restored").with("n", restored), Level::Info);
        } else {
            let name = self.desk().map(|d| d.op.name.clone()).unwrap_or_default();
            self.say(Msg::new("status.welcome").with("name", name), Level::Info);
        }
    }

    /// Locks the terminal; open forms go to drafts first.
    pub fn lock(&mut self) {
        self.save_drafts();
        if let Some(d) = self.desk_mut() {
            let mut f = FormState::new("login", LOGIN_FIELDS);
            f.set("code", &d.op.code.clone(), None);
            f.focus = 1;
            d.lock = Some(f);
        }
        self.overlay = None;
        self.status = None;
    }

    pub fn quit(&mut self) {
        self.save_drafts();
        self.quit = true;
    }

    fn go(&mut self, s: Screen) {
        let Some(d) = self.desk_mut() else { return };
        let allowed = match s {
            Screen::Admin => d.op.has(crate::domain::Permission::ManageOperators),
            Screen::Reports => d.op.has(crate::domain::Permission::ViewComplaints),
            _ => true,
        };
        if !allowed {
            self.say(Msg::new("err.permission"), Level::Error);
            return;
        }
        if d.boards.iter().any(|b| b.screen == s && b.views.is_empty()) {
            self.say(Msg::new("err.permission"), Level::Error);
            return;
        }
        if s == Screen::Today {
            d.today.to_top();
        }
        d.screen = s;
        self.refresh_lists();
    }
}
