//! The central model: who is logged in, what is on screen, drafts; `on_key` turns keys
//! into commands and applies them. Every change to data goes through the store in one
//! transaction, after the permission and the domain rules said yes. No drawing here.

pub mod admin;
pub mod commands;
pub mod desk;
mod drafts;
mod editing;
pub mod form;
mod list;
mod lookups;
pub mod reports;
mod save;
mod today;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::domain::register::{Context, FieldDef, FieldKind as K};
use crate::domain::roles::Roles;
use crate::domain::{Msg, Settings, settings};
use crate::i18n::I18n;
use crate::keymap::{Cmd, Ctx, Key, Keymap};
use crate::store::{LoginError, Operator, Store, auth::NewOperator};

pub use commands::{Note, Offer, Offers};
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
    /// Mark the month on the Reports screen submitted, freezing its figures (rule C13).
    SubmitReport,
}

#[derive(Clone, Debug)]
pub enum Overlay {
    Help,
    Confirm(Confirm),
    /// A small form over the screen: the reason a record is voided, or the narrowing
    /// of a list.
    Form(FormKind, Box<FormState>),
    /// Lines to read before going on (the keymap file's problems, at start).
    Notice(Vec<String>),
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

/// The demo's operators and departments, listed on the demo's login screen.
pub use crate::demo::DEMO_OPERATORS;

/// The smallest terminal the screens are laid out for; below it nothing is shown and
/// nothing is typed.
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

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
    /// The overlay the help was opened over; it comes back when the help closes.
    pub under_help: Option<Overlay>,
    /// The help's first line shown.
    pub help_scroll: usize,
    /// The overlay that was open when the terminal locked; it comes back, with its
    /// text, when the same operator unlocks.
    pub parked: Option<Overlay>,
    pub status: Option<Status>,
    pub quit: bool,
    /// When other terminals' changes last arrived (for the top bar's marker).
    pub remote_at: Option<i64>,
    data_version: i64,
    last_input: i64,
    /// Now, UTC milliseconds; set by `tick_ms`, for what runs more often than seconds.
    now_ms: i64,
    /// When open forms go to their drafts next (at most a second after a key, F19).
    next_draft_ms: i64,
    /// A save that waits its turn while another terminal writes (the register whose form
    /// it saves), and when it is tried again.
    pub pending_save: Option<&'static str>,
    next_retry_ms: i64,
    /// When what was typed into the search box is looked up: a moment after the last
    /// key, so a query the next key supersedes is never run (F10).
    search_due_ms: Option<i64>,
}

/// How long a write from the keyboard waits for another terminal's before it is queued:
/// under a frame, so keys keep echoing while the database is held (F14).
pub const UI_WAIT: std::time::Duration = std::time::Duration::from_millis(20);
/// How long the last drafts wait for another terminal's write when the program ends.
pub(crate) const QUIT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// How often a queued save is tried again.
const RETRY_MS: i64 = 300;
/// How long after the last key in the search box the search runs.
pub const SEARCH_WAIT_MS: i64 = 150;

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
            under_help: None,
            help_scroll: 0,
            parked: None,
            status: None,
            quit: false,
            remote_at: None,
            data_version,
            last_input: now,
            now_ms: now * 1000,
            next_draft_ms: now * 1000,
            pending_save: None,
            next_retry_ms: 0,
            search_due_ms: None,
        }
    }

    pub fn ctx(&self) -> Context {
        let (actor, roles) = self.desk().map(|d| (d.op.id, Roles::of(&d.op.roles))).unwrap_or_default();
        Context { actor, roles, ..Context::new(self.now, self.offset) }
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

    /// Called a few times a second: the clock, idle lock, draft autosave, a queued save,
    /// and other terminals' commits.
    pub fn tick(&mut self, now: i64) {
        self.tick_ms(now * 1000);
    }

    /// How many milliseconds from `now_ms` the model next has something to do by itself
    /// (a draft to keep, a queued save to try), so the terminal loop wakes for it.
    pub fn due_in_ms(&self, now_ms: i64) -> i64 {
        let mut due = self.next_draft_ms;
        if self.pending_save.is_some() {
            due = due.min(self.next_retry_ms);
        }
        if let Some(search) = self.search_due_ms {
            due = due.min(search);
        }
        (due - now_ms).max(0)
    }

    /// Sets the clock before keys are handled, so what they start (a search's wait) is
    /// timed from the key, not from the last tick.
    pub fn clock_ms(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
        self.now = now_ms.div_euclid(1000);
    }

    /// Now, UTC milliseconds, as the model last heard it.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// `tick`, to the millisecond.
    pub fn tick_ms(&mut self, now_ms: i64) {
        let now = now_ms.div_euclid(1000);
        self.now_ms = now_ms;
        self.now = now;
        if let Some(s) = &self.status
            && s.until < now
        {
            self.status = None;
        }
        self.poll_remote();
        // F17: the journal removed under this terminal: nothing more is saved here (forms
        // stay open, drafts stay in memory), and the status line says so until it closes
        let journal_lost = self.store.journal_intact().is_err();
        if journal_lost {
            let text = self.i18n.msg(&crate::store::StoreError::JournalRemoved.msg());
            self.status = Some(Status { text, level: Level::Error, until: now + 60 });
        }
        let Phase::Desk(desk) = &self.phase else { return };
        if desk.lock.is_none() {
            let idle = self.settings.int(settings::LOCK_IDLE_MINUTES) * 60;
            if now - self.last_input >= idle {
                self.lock();
                return;
            }
        }
        // a search is a read: it runs even with the journal gone
        if self.search_due_ms.is_some_and(|due| now_ms >= due) {
            self.search_due();
        }
        if journal_lost {
            return;
        }
        if self.pending_save.is_some() && now_ms >= self.next_retry_ms {
            self.next_retry_ms = now_ms + RETRY_MS;
            self.retry_save();
        }
        // F19: what was typed is in its draft within the interval (a second by default),
        // however recently the form was opened; a draft that did not change is not written.
        if now_ms >= self.next_draft_ms {
            self.next_draft_ms = now_ms + self.settings.int(settings::DRAFT_INTERVAL_SECONDS) * 1000;
            if self.pending_save.is_none() {
                self.save_drafts();
            }
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
        let global = self.keymap.lookup(Ctx::Global, key);
        // While the terminal is too small nothing is shown, so nothing is typed either.
        if self.size.0 < MIN_W || self.size.1 < MIN_H {
            if global == Some(Cmd::Quit) {
                self.quit_key();
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
        // The keys that work everywhere work over every overlay too.
        if let Some(cmd) = global {
            self.global(cmd);
            return;
        }
        if self.overlay.is_some() {
            self.overlay_key(key);
            return;
        }
        if self.edit_key(key) {
            return;
        }
        if self.entry() {
            if let Some(cmd) = self.keymap.lookup(Ctx::Login, key) {
                self.dispatch(Ctx::Login, cmd);
            }
            return;
        }
        let ctx = if self.desk().is_some_and(|d| d.form().is_some()) { Ctx::Form } else { Ctx::List };
        if let Some(cmd) = self.keymap.lookup(ctx, key) {
            self.dispatch(ctx, cmd);
        }
    }

    /// The setup, login or lock screen is showing.
    pub fn entry(&self) -> bool {
        !matches!(&self.phase, Phase::Desk(d) if d.lock.is_none())
    }

    /// Runs a command if where the operator is offers it (`commands`); a command the
    /// operator's roles refuse says so.
    fn dispatch(&mut self, ctx: Ctx, cmd: Cmd) {
        match self.commands().find(ctx, cmd).map(|o| o.allowed) {
            None => return,
            Some(false) => {
                self.say(Msg::new("err.permission"), Level::Error);
                return;
            }
            Some(true) => {}
        }
        match ctx {
            Ctx::Login => self.entry_cmd(cmd),
            Ctx::Overlay => self.overlay_cmd(cmd),
            Ctx::Form => {
                // a look-up list open under the field takes ↓ and ↑
                if let Some(s) = self.desk_mut().and_then(|d| d.form_mut()).and_then(|f| f.suggest.as_mut())
                    && matches!(cmd, Cmd::Down | Cmd::Up)
                {
                    if cmd == Cmd::Down {
                        s.down()
                    } else {
                        s.up()
                    }
                    return;
                }
                self.form_cmd(cmd);
            }
            Ctx::List if cmd == Cmd::Clear => {
                if let Some(f) = self.text_target() {
                    f.clear_field();
                    self.after_edit();
                }
            }
            Ctx::List | Ctx::Global => self.list_cmd(cmd),
        }
    }

    /// Editing keys that are not commands (Backspace, Delete, Left, Right, Home, End)
    /// go to whatever text has the keyboard: a form field, the search box, a login.
    fn edit_key(&mut self, key: Key) -> bool {
        if key.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
            return false;
        }
        let Some(f) = self.text_target() else { return false };
        match key.code {
            KeyCode::Backspace => f.backspace(),
            KeyCode::Delete => f.delete(),
            KeyCode::Left => f.left(),
            KeyCode::Right => f.right(),
            KeyCode::Home => f.home(),
            KeyCode::End => f.end(),
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
        if let Phase::Desk(d) = &self.phase
            && d.lock.is_none()
        {
            // rule C15: the earlier cases are looked for again only when what they are
            // matched by changed (a pick refreshes them too)
            let matched_by = d.view().and_then(|v| Some((v.def.dedupe?, v.form.as_ref()?.def().key)));
            let again = matched_by.is_some_and(|(dd, k)| dd.matches.contains(&k) || dd.terms == k);
            self.refresh_suggest();
            if again {
                self.refresh_similar();
            }
            self.refresh_link_note();
            self.search_as_typed();
        }
    }

    /// The keys of the global section: help, lock and quit everywhere; the screens at
    /// the desk. A screen key closes whatever overlay is open (as Esc would) first.
    fn global(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Help => self.toggle_help(),
            Cmd::Quit => self.quit_key(),
            _ if self.entry() => {}
            Cmd::Lock => self.lock(),
            _ => {
                self.overlay = None;
                self.under_help = None;
                match cmd {
                    Cmd::Today => self.go(Screen::Today),
                    Cmd::Intake => self.go(Screen::Intake),
                    Cmd::Admin => self.go(Screen::Admin),
                    Cmd::Complaints => self.go(Screen::Complaints),
                    Cmd::Reports => self.go(Screen::Reports),
                    Cmd::Repairs => self.go(Screen::Repairs),
                    Cmd::Archive => {
                        let name = self.t("screen.archive");
                        self.say(Msg::new("status.not_in_version").with("screen", name), Level::Warn);
                    }
                    _ => {}
                }
            }
        }
    }

    /// F1 opens the help of where the operator is, over any overlay; again, it closes.
    fn toggle_help(&mut self) {
        if matches!(self.overlay, Some(Overlay::Help)) {
            self.overlay = self.under_help.take();
        } else {
            self.under_help = self.overlay.take();
            self.help_scroll = 0;
            self.overlay = Some(Overlay::Help);
        }
    }

    /// Keys while an overlay is open: its editing keys, then its commands. In the help
    /// and the confirmation, any other key closes it.
    fn overlay_key(&mut self, key: Key) {
        if matches!(self.overlay, Some(Overlay::Form(..))) && self.edit_key(key) {
            return;
        }
        let cmd = self.keymap.lookup(Ctx::Overlay, key).filter(|c| self.commands().find(Ctx::Overlay, *c).is_some());
        match (&self.overlay, cmd) {
            (_, Some(cmd)) => self.overlay_cmd(cmd),
            (Some(Overlay::Help), None) => self.toggle_help(),
            (Some(Overlay::Form(..)), None) => {}
            (Some(Overlay::Confirm(Confirm::SubmitReport)), None) => {
                self.overlay = None;
                self.confirm_submit_report(false);
            }
            (_, None) => self.overlay = None,
        }
    }

    fn overlay_cmd(&mut self, cmd: Cmd) {
        let Some(ov) = self.overlay.take() else { return };
        match ov {
            Overlay::Help => {
                let page = (self.size.1 as usize).saturating_sub(4).max(1);
                let max = self.help_rows().saturating_sub((self.size.1 as usize).saturating_sub(2));
                self.help_scroll = match cmd {
                    Cmd::Down => self.help_scroll + 1,
                    Cmd::Up => self.help_scroll.saturating_sub(1),
                    Cmd::PageDown => self.help_scroll + page,
                    Cmd::PageUp => self.help_scroll.saturating_sub(page),
                    _ => {
                        self.overlay = self.under_help.take();
                        return;
                    }
                }
                .min(max);
                self.overlay = Some(Overlay::Help);
            }
            Overlay::Notice(_) => {}
            Overlay::Confirm(Confirm::Discard) => {
                if cmd == Cmd::Confirm {
                    self.discard_form();
                }
            }
            // Enter or the confirm key submits; anything else (Alt-y, a fast "Esc y" in
            // some terminals, included) does not
            Overlay::Confirm(Confirm::SubmitReport) => {
                self.confirm_submit_report(matches!(cmd, Cmd::Confirm | Cmd::Enter));
            }
            Overlay::Form(kind, mut f) => {
                let chosen = f.suggest.as_ref().and_then(|s| s.chosen()).cloned();
                match cmd {
                    Cmd::Cancel if f.suggest.is_some() => f.suggest = None,
                    Cmd::Cancel => return,
                    Cmd::Down if f.suggest.is_some() => f.suggest.iter_mut().for_each(|s| s.down()),
                    Cmd::Up if f.suggest.is_some() => f.suggest.iter_mut().for_each(|s| s.up()),
                    Cmd::Enter if chosen.is_some() => {
                        if let Some(hit) = chosen {
                            f.pick(&hit);
                        }
                    }
                    Cmd::Enter => return self.submit_overlay(kind, *f),
                    Cmd::NextField | Cmd::Down => f.next_field(),
                    Cmd::PrevField | Cmd::Up => f.prev_field(),
                    Cmd::Clear => {
                        f.clear_field();
                        self.overlay = Some(Overlay::Form(kind, f));
                        self.after_edit();
                        return;
                    }
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

    /// Shows every problem of the keymap file, in the operator's language, before
    /// anything else.
    pub fn keymap_problems(&mut self, problems: &[Msg]) {
        if problems.is_empty() {
            return;
        }
        let lines = problems.iter().map(|p| self.i18n.msg(p)).collect();
        self.overlay = Some(Overlay::Notice(lines));
        self.say(Msg::new("status.keymap_problems").with("n", problems.len()), Level::Warn);
    }

    /// Commands on the setup, login and lock screens.
    fn entry_cmd(&mut self, cmd: Cmd) {
        let form = match &mut self.phase {
            Phase::Setup(f) | Phase::Login(f) => f,
            Phase::Desk(d) => match &mut d.lock {
                Some(f) => f,
                None => return,
            },
        };
        match cmd {
            Cmd::NextField => form.next_field(),
            Cmd::PrevField => form.prev_field(),
            Cmd::Cancel => form.clear_errors(),
            Cmd::Clear => form.clear_field(),
            Cmd::Enter if !form.is_last_field() => form.next_field(),
            Cmd::Enter | Cmd::Save => self.submit_entry(),
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
                // Every problem at once, as the register forms show them.
                f.clear_errors();
                let input = crate::store::auth::OperatorInput {
                    code: Some(&code),
                    name: &name,
                    password: &p1,
                    password2: Some(&p2),
                    password_required: true,
                };
                let problems = crate::store::auth::operator_problems(&input, self.store.min_password());
                if !problems.is_empty() {
                    for (field, m) in problems {
                        f.set_error(field, m);
                    }
                    f.focus_first_error();
                    return;
                }
                // The first operator administers the program and runs the office (the
                // store makes the first one an administrator whatever the door).
                let roles = [crate::domain::Role::GeneralManager, crate::domain::Role::Admin];
                let new = NewOperator { code: &code, name: &name, roles: &roles, password: &p1 };
                match self.store.create_operator(None, now, &new) {
                    // the office's shared language starts as the one its first operator used
                    Ok(id) => match self
                        .store
                        .set_setting(id, now, settings::LANGUAGE, self.i18n.lang.code())
                        .map_err(|e| e.msg())
                        .and_then(|_| self.store.login(&code, &p1, now).map_err(|e| e.msg(self.offset)))
                    {
                        Ok(op) => self.enter_desk(op),
                        Err(m) => self.say(m, Level::Error),
                    },
                    // Another terminal created the first operator meanwhile: log in instead.
                    Err(crate::store::StoreError::Invalid(m)) if m.key == "err.operator.setup_done" => {
                        self.phase = Phase::Login(FormState::new("login", LOGIN_FIELDS));
                        self.say(m, Level::Warn);
                    }
                    Err(e) => {
                        let m = e.msg();
                        let field = match m.key {
                            "err.operator.code" | "err.operator.exists" => "code",
                            "err.password.short" => "password",
                            _ => "name",
                        };
                        f.set_error(field, m);
                        f.focus_first_error();
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
                        // the overlay that was open comes back as it was
                        self.overlay = self.parked.take();
                        self.refresh_lists();
                    }
                    // Another operator takes the terminal; the first one's work is in drafts,
                    // or the terminal stays theirs until it can be.
                    Ok(op) if self.keep_drafts_before_leaving() => self.enter_desk(op),
                    Ok(_) => self.say(Msg::new("err.store.busy_takeover"), Level::Error),
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
        self.under_help = None;
        self.parked = None;
        let restored = self.restore_drafts();
        self.refresh_lists();
        if restored > 0 {
            self.say(Msg::new("status.drafts_restored").with("n", restored), Level::Info);
        } else {
            let name = self.desk().map(|d| d.op.name.clone()).unwrap_or_default();
            self.say(Msg::new("status.welcome").with("name", name), Level::Info);
        }
    }

    /// Locks the terminal; open forms go to drafts first. An open overlay (a void
    /// reason half typed) is put aside with its text and comes back at the unlock;
    /// nothing typed on the lock screen reaches it.
    pub fn lock(&mut self) {
        if self.desk().is_none_or(|d| d.lock.is_some()) {
            return;
        }
        self.save_drafts();
        let open = match self.overlay.take() {
            Some(Overlay::Help) => self.under_help.take(),
            other => other,
        };
        self.under_help = None;
        self.parked = open;
        if let Some(d) = self.desk_mut() {
            let mut f = FormState::new("login", LOGIN_FIELDS);
            f.set("code", &d.op.code.clone(), None);
            f.focus = 1;
            d.lock = Some(f);
        }
        self.status = None;
    }

    /// Ctrl-Q. On a locked terminal the session is someone's: it ends only with a
    /// password typed on the lock screen (theirs, or any operator's own); their open
    /// forms are in their drafts either way.
    fn quit_key(&mut self) {
        let Some((code, pw)) = self
            .desk()
            .and_then(|d| d.lock.as_ref())
            .map(|f| (f.raw("code").to_string(), f.raw("password").to_string()))
        else {
            return self.quit();
        };
        if self.overlay.is_some() {
            self.overlay = None;
            self.under_help = None;
        }
        if pw.is_empty() {
            if let Some(f) = self.desk_mut().and_then(|d| d.lock.as_mut()) {
                f.focus = 1;
            }
            self.say(Msg::new("lock.quit_needs_password"), Level::Warn);
            return;
        }
        match self.store.login(&code, &pw, self.now) {
            Ok(_) => self.quit(),
            Err(e) => self.login_failed(e),
        }
    }

    pub fn quit(&mut self) {
        // On the way out a held database is waited for (the screen is going anyway): what
        // was typed since the last draft is not left behind.
        self.keep_drafts_before_leaving();
        self.quit = true;
    }

    fn go(&mut self, s: Screen) {
        if self.desk().is_none() {
            return;
        }
        if !self.may_go(s) {
            self.say(Msg::new("err.permission"), Level::Error);
            return;
        }
        if let Some(d) = self.desk_mut() {
            d.screen = s;
        }
        if s == Screen::Today
            && let Some(d) = self.desk_mut()
        {
            d.today.to_top();
        }
        // what was said belongs to the screen left ("not in this version", a filter)
        self.status = None;
        self.refresh_lists();
    }
}
