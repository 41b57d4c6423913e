//! What each screen offers: one list of commands per screen, per form and per overlay.
//! The same list draws the key bar, fills the screen's own F1 help and decides whether a
//! key is dispatched there at all, so the three cannot disagree.

use std::borrow::Cow;

use crate::domain::Permission;
use crate::domain::access::{self, Act};
use crate::domain::register::FieldKind;
use crate::keymap::{Cmd, Ctx};

use super::admin::AdminTab;
use super::form::FormState;
use super::{Confirm, FormKind, Model, Overlay, Phase, Screen};

/// One command a screen offers.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub ctx: Ctx,
    pub cmd: Cmd,
    /// What it does here (an i18n key); else the binding's own text.
    pub desc: Option<&'static str>,
    /// Shown in the key bar; every offer is in the help.
    pub bar: bool,
    /// The operator's roles allow it. Refused offers are left out of the bar and the
    /// help, and their key says so.
    pub allowed: bool,
}

/// Keys that are not commands (typing and editing), told in the help only.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub keys: &'static str,
    pub desc: &'static str,
}

/// Everything a screen offers: its own commands, its notes, and the keys that work
/// everywhere.
#[derive(Clone, Debug, Default)]
pub struct Offers {
    /// The i18n key naming where the operator is, for the help's heading.
    pub title: Cow<'static, str>,
    pub local: Vec<Offer>,
    pub notes: Vec<Note>,
    pub global: Vec<Offer>,
}

impl Offers {
    /// The offer a command is under in a context, if this screen has it.
    pub fn find(&self, ctx: Ctx, cmd: Cmd) -> Option<&Offer> {
        self.local.iter().chain(&self.global).find(|o| o.ctx == ctx && o.cmd == cmd)
    }
}

const BAR: bool = true;
const HELP: bool = false;

type Row = (Cmd, bool, Option<&'static str>);

const TODAY: &[Row] = &[
    (Cmd::Open, BAR, None),
    (Cmd::New, BAR, None),
    (Cmd::Down, HELP, None),
    (Cmd::Up, HELP, None),
    (Cmd::PageDown, HELP, None),
    (Cmd::PageUp, HELP, None),
    (Cmd::First, HELP, None),
    (Cmd::Last, HELP, None),
];

const LIST: &[Row] = &[
    (Cmd::Open, BAR, None),
    (Cmd::New, BAR, None),
    (Cmd::Search, BAR, None),
    (Cmd::NextTab, BAR, None),
    (Cmd::Void, BAR, None),
    (Cmd::Filter, BAR, None),
    (Cmd::FilterBack, HELP, None),
    (Cmd::Narrow, BAR, None),
    (Cmd::Back, BAR, None),
    (Cmd::Down, HELP, None),
    (Cmd::Up, HELP, None),
    (Cmd::PageDown, HELP, None),
    (Cmd::PageUp, HELP, None),
    (Cmd::First, HELP, None),
    (Cmd::Last, HELP, None),
];

const SEARCHING: &[Row] = &[
    (Cmd::Open, BAR, Some("cmd.search_done")),
    (Cmd::Back, BAR, Some("cmd.search_clear")),
    (Cmd::Clear, HELP, None),
    (Cmd::Down, HELP, Some("cmd.search_done")),
    (Cmd::Up, HELP, Some("cmd.search_done")),
    (Cmd::NextTab, HELP, Some("cmd.search_done")),
];

const FORM: &[Row] = &[
    (Cmd::Save, BAR, None),
    (Cmd::Enter, BAR, None),
    (Cmd::NextField, BAR, None),
    (Cmd::PrevField, HELP, None),
    (Cmd::Down, HELP, None),
    (Cmd::Up, HELP, None),
    (Cmd::Cancel, BAR, None),
    (Cmd::Clear, HELP, None),
    (Cmd::PageDown, HELP, None),
    (Cmd::PageUp, HELP, None),
    (Cmd::Link, HELP, None),
    (Cmd::Reopen, HELP, None),
];

const ADMIN: &[Row] = &[
    (Cmd::Open, BAR, None),
    (Cmd::New, BAR, None),
    (Cmd::Void, BAR, Some("cmd.retire_department")),
    (Cmd::NextTab, BAR, Some("cmd.next_admin_tab")),
    (Cmd::Down, HELP, None),
    (Cmd::Up, HELP, None),
    (Cmd::First, HELP, None),
    (Cmd::Last, HELP, None),
];

const ADMIN_FORM: &[Row] = &[
    (Cmd::Save, BAR, None),
    (Cmd::Enter, BAR, None),
    (Cmd::NextField, BAR, None),
    (Cmd::PrevField, HELP, None),
    (Cmd::Down, HELP, None),
    (Cmd::Up, HELP, None),
    (Cmd::Cancel, BAR, None),
    (Cmd::Clear, HELP, None),
];

const REPORTS: &[Row] = &[
    (Cmd::Open, BAR, Some("stats.keys.open")),
    (Cmd::Submit, BAR, Some("stats.keys.submit")),
    (Cmd::NextTab, BAR, Some("stats.keys.next_tab")),
    (Cmd::PageUp, BAR, Some("stats.keys.page_up")),
    (Cmd::PageDown, BAR, Some("stats.keys.page_down")),
    (Cmd::Right, BAR, Some("stats.keys.scroll")),
    (Cmd::Down, HELP, None),
    (Cmd::Up, HELP, None),
    (Cmd::Left, HELP, None),
    (Cmd::First, HELP, None),
    (Cmd::Last, HELP, None),
];

const LOGIN: &[Row] = &[
    (Cmd::Enter, BAR, None),
    (Cmd::NextField, BAR, None),
    (Cmd::PrevField, HELP, None),
    (Cmd::Save, HELP, None),
    (Cmd::Clear, HELP, None),
    (Cmd::Cancel, HELP, None),
];

const HELP_WINDOW: &[Row] = &[
    (Cmd::Down, BAR, Some("cmd.scroll")),
    (Cmd::Up, HELP, Some("cmd.scroll")),
    (Cmd::PageDown, HELP, Some("cmd.scroll")),
    (Cmd::PageUp, HELP, Some("cmd.scroll")),
    (Cmd::Cancel, BAR, Some("cmd.close")),
];

const CONFIRM: &[Row] = &[(Cmd::Confirm, BAR, None), (Cmd::Cancel, BAR, Some("cmd.keep_editing"))];
const CONFIRM_SUBMIT: &[Row] = &[
    (Cmd::Confirm, BAR, Some("stats.keys.submit")),
    (Cmd::Enter, BAR, Some("stats.keys.submit")),
    (Cmd::Cancel, BAR, None),
];

const OVERLAY_FORM: &[Row] = &[
    (Cmd::Enter, BAR, None),
    (Cmd::Cancel, BAR, None),
    (Cmd::NextField, HELP, None),
    (Cmd::PrevField, HELP, None),
    (Cmd::Down, HELP, None),
    (Cmd::Up, HELP, None),
    (Cmd::Clear, HELP, None),
];

const NOTICE: &[Row] = &[(Cmd::Cancel, BAR, Some("cmd.close"))];

/// The screens the top bar names, with their command and the screen they open (None:
/// not in this version).
pub const SCREENS: &[(Cmd, &str, Option<Screen>)] = &[
    (Cmd::Today, "screen.today", Some(Screen::Today)),
    (Cmd::Intake, "screen.intake", Some(Screen::Intake)),
    (Cmd::Complaints, "screen.complaints", Some(Screen::Complaints)),
    (Cmd::Repairs, "screen.repairs", Some(Screen::Repairs)),
    (Cmd::Archive, "screen.archive", None),
    (Cmd::Reports, "screen.reports", Some(Screen::Reports)),
    (Cmd::Admin, "screen.admin", Some(Screen::Admin)),
];

fn rows(ctx: Ctx, rows: &[Row], keep: impl Fn(Cmd) -> Option<bool>) -> Vec<Offer> {
    rows.iter()
        .filter_map(|&(cmd, bar, desc)| keep(cmd).map(|allowed| Offer { ctx, cmd, desc, bar, allowed }))
        .collect()
}

/// Notes for a form: how its kinds of field are worked.
fn form_notes(f: &FormState) -> Vec<Note> {
    let editable: Vec<&'static crate::domain::register::FieldDef> =
        (0..f.fields.len()).filter(|&i| f.editable(i)).map(|i| &f.fields[i]).collect();
    let any = |p: &dyn Fn(&crate::domain::register::FieldDef) -> bool| editable.iter().any(|d| p(d));
    let mut out = Vec::new();
    if any(&|d| d.kind.is_text_input()) {
        out.push(Note { keys: "←→ Home End", desc: "help.caret" });
    }
    if any(&|d| matches!(d.kind, FieldKind::Choice { .. })) {
        out.push(Note { keys: "←→", desc: "help.choice" });
    }
    if any(&|d| matches!(d.kind, FieldKind::Flags { .. } | FieldKind::YesNo)) {
        out.push(Note { keys: "Space", desc: "help.tick" });
    }
    if any(&|d| matches!(d.kind, FieldKind::Lookup(_)) || d.suggest.is_some()) {
        out.push(Note { keys: "↓ Enter", desc: "help.lookup" });
    }
    if any(&|d| d.kind.is_multiline()) {
        out.push(Note { keys: "Enter", desc: "help.multiline" });
    }
    out
}

/// What Enter does in a form, at the focused field.
fn enter_desc(f: &FormState, last_saves: bool) -> &'static str {
    if f.related_at.is_some() {
        // in a card's history Enter opens the line
        "cmd.open"
    } else if f.suggest.as_ref().is_some_and(|s| s.chosen().is_some()) {
        "cmd.choose"
    } else if f.suggest.is_none() && f.def().kind.is_multiline() && f.editable(f.focus) {
        "cmd.newline"
    } else if last_saves && f.is_last_field() {
        "cmd.save"
    } else {
        "cmd.next_field"
    }
}

fn with_desc(mut offers: Vec<Offer>, cmd: Cmd, desc: &'static str) -> Vec<Offer> {
    for o in offers.iter_mut().filter(|o| o.cmd == cmd) {
        o.desc = Some(desc);
        // Enter that only moves on is Tab's twin: the bar names it when it does more
        if cmd == Cmd::Enter && desc == "cmd.next_field" {
            o.bar = false;
        }
    }
    offers
}

impl Model {
    /// Whether this operator may open a screen.
    pub fn may_go(&self, s: Screen) -> bool {
        let Some(d) = self.desk() else { return false };
        match s {
            Screen::Admin => d.op.has(Permission::ManageOperators),
            Screen::Reports => d.op.has(Permission::ViewReports),
            s => !d.boards.iter().any(|b| b.screen == s && b.views.is_empty()),
        }
    }

    /// What the operator is offered now: the open overlay's commands, else the screen's.
    pub fn commands(&self) -> Offers {
        self.commands_under(self.overlay.as_ref())
    }

    /// What is offered with `overlay` open (None: the screen itself). The help uses it
    /// for what lies under it.
    pub fn commands_under(&self, overlay: Option<&Overlay>) -> Offers {
        let global = self.global_offers();
        let yes = |_| Some(true);
        let (title, local, notes) = match overlay {
            Some(Overlay::Help) => {
                // the scroll keys are worth the bar only where the help is longer than the screen
                let scrolls = self.help_rows() + 2 > self.size.1 as usize;
                let mut local = rows(Ctx::Overlay, HELP_WINDOW, yes);
                local.iter_mut().filter(|o| o.cmd != Cmd::Cancel).for_each(|o| o.bar = scrolls);
                ("help.title".into(), local, vec![])
            }
            Some(Overlay::Notice(_)) => ("keymap.title".into(), rows(Ctx::Overlay, NOTICE, yes), vec![]),
            Some(Overlay::Confirm(Confirm::Discard)) => {
                ("confirm.title".into(), rows(Ctx::Overlay, CONFIRM, yes), vec![])
            }
            Some(Overlay::Confirm(Confirm::SubmitReport)) => {
                ("screen.reports".into(), rows(Ctx::Overlay, CONFIRM_SUBMIT, yes), vec![])
            }
            Some(Overlay::Form(kind, f)) => {
                let (title, submit) = match kind {
                    FormKind::VoidReason => ("void.title", "cmd.void_submit"),
                    FormKind::Narrow => ("narrow.title", "cmd.narrow_apply"),
                };
                let enter =
                    if f.suggest.as_ref().is_some_and(|s| s.chosen().is_some()) { "cmd.choose" } else { submit };
                let notes = form_notes(f).into_iter().filter(|n| n.desc != "help.multiline").collect();
                (title.into(), with_desc(rows(Ctx::Overlay, OVERLAY_FORM, yes), Cmd::Enter, enter), notes)
            }
            None => self.screen_offers(),
        };
        Offers { title, local, notes, global }
    }

    fn global_offers(&self) -> Vec<Offer> {
        let entry = match &self.phase {
            Phase::Desk(d) => d.lock.is_some(),
            _ => true,
        };
        let mut out = vec![Offer { ctx: Ctx::Global, cmd: Cmd::Help, desc: None, bar: true, allowed: true }];
        if !entry {
            for (cmd, _, screen) in SCREENS {
                let allowed = screen.is_some_and(|s| self.may_go(s));
                out.push(Offer { ctx: Ctx::Global, cmd: *cmd, desc: None, bar: false, allowed });
            }
            out.push(Offer { ctx: Ctx::Global, cmd: Cmd::Lock, desc: None, bar: true, allowed: true });
        }
        out.push(Offer { ctx: Ctx::Global, cmd: Cmd::Quit, desc: None, bar: true, allowed: true });
        out
    }

    /// The screen's own list, without overlays.
    fn screen_offers(&self) -> (Cow<'static, str>, Vec<Offer>, Vec<Note>) {
        let d = match &self.phase {
            Phase::Setup(f) | Phase::Login(f) => {
                let title = if matches!(self.phase, Phase::Setup(_)) { "setup.title" } else { "login.title" };
                let enter = if f.is_last_field() { "cmd.login" } else { "cmd.next_field" };
                return (title.into(), with_desc(rows(Ctx::Login, LOGIN, |_| Some(true)), Cmd::Enter, enter), vec![]);
            }
            Phase::Desk(d) => d,
        };
        if let Some(f) = &d.lock {
            let enter = if f.is_last_field() { "cmd.login" } else { "cmd.next_field" };
            return (
                "lock.title".into(),
                with_desc(rows(Ctx::Login, LOGIN, |_| Some(true)), Cmd::Enter, enter),
                vec![],
            );
        }
        let op = &d.op;
        match d.screen {
            Screen::Today => {
                let may_new = d.find("visitor").is_some()
                    && access::may(&crate::domain::visitor::REGISTER, Act::Create, &op.roles);
                let local = rows(Ctx::List, TODAY, |c| Some(c != Cmd::New || may_new));
                ("screen.today".into(), local, vec![])
            }
            Screen::Reports => {
                // a month already submitted is not offered for submission again
                // (pressed anyway, `s` says it is submitted)
                let submitted = d.reports.submitted.is_some();
                let mut local =
                    rows(Ctx::List, REPORTS, |c| Some(c != Cmd::Submit || op.has(Permission::SubmitReports)));
                if submitted {
                    local.iter_mut().filter(|o| o.cmd == Cmd::Submit).for_each(|o| o.bar = false);
                }
                ("screen.reports".into(), local, vec![])
            }
            Screen::Admin => match &d.admin.form {
                Some(f) => {
                    let local = with_desc(rows(Ctx::Form, ADMIN_FORM, |_| Some(true)), Cmd::Enter, enter_desc(f, true));
                    (d.admin.tab.label_key().into(), local, form_notes(f))
                }
                None => {
                    let tab = d.admin.tab;
                    let local = rows(Ctx::List, ADMIN, |c| match c {
                        Cmd::Void if tab != AdminTab::Departments => None,
                        Cmd::New if tab == AdminTab::Settings => None,
                        _ => Some(true),
                    });
                    (tab.label_key().into(), local, vec![])
                }
            },
            Screen::Intake | Screen::Complaints | Screen::Repairs => {
                let Some(v) = d.view() else {
                    let screen = SCREENS.iter().find(|s| s.2 == Some(d.screen)).map(|s| s.1).unwrap_or("screen.intake");
                    return (screen.into(), vec![], vec![]);
                };
                let def = v.def;
                let may = |act| !op.disabled && access::may(def, act, &op.roles);
                // the register's own name, from its declaration
                let title: Cow<'static, str> = format!("register.{}", def.name).into();
                if let Some(f) = &v.form {
                    // a voided record, or one this operator may not type in: nothing to save
                    let voided = f.base.as_ref().is_some_and(|b| b.voided.is_some());
                    let read_only = (0..f.fields.len()).all(|i| !f.editable(i));
                    // a record that cannot be changed here (not this operator's to touch)
                    // offers no saving or clearing, in the bar or in F1; a voided one keeps
                    // Ctrl-S out of the bar only, since pressed it says who voided it; the
                    // earlier cases are linked only while a new one is typed
                    let mut local = rows(Ctx::Form, FORM, |c| match c {
                        Cmd::Link => (def.dedupe.is_some() && f.is_new()).then_some(true),
                        Cmd::Reopen => (def.dedupe.is_some_and(|dd| dd.reopen.is_some()) && f.is_new()).then_some(true),
                        Cmd::Save if read_only && !voided => None,
                        Cmd::Clear if read_only => None,
                        _ => Some(true),
                    });
                    if voided {
                        local.iter_mut().filter(|o| o.cmd == Cmd::Save).for_each(|o| o.bar = false);
                    }
                    // a link that merges nothing names a repeat (a repair), not the same case
                    if def.dedupe.is_some_and(|dd| dd.merged.is_none()) {
                        local = with_desc(local, Cmd::Link, "cmd.link_repeat");
                    }
                    return (title, with_desc(local, Cmd::Enter, enter_desc(f, false)), form_notes(f));
                }
                if v.list.searching {
                    return (title, rows(Ctx::List, SEARCHING, |_| Some(true)), vec![]);
                }
                let tabs = d.board().map(|b| b.views.len()).unwrap_or(0);
                let local = rows(Ctx::List, LIST, |c| match c {
                    Cmd::New => Some(may(Act::Create)),
                    Cmd::Void => Some(may(Act::Void)),
                    Cmd::Narrow => def.narrow.map(|_| true),
                    Cmd::NextTab => (tabs > 1).then_some(true),
                    _ => Some(true),
                });
                // a report's drill-down lists its figure's cases; it is not searched, so
                // the bar does not offer it (pressed, / says why)
                let mut local = local;
                if v.list.only.is_some() {
                    local.iter_mut().filter(|o| o.cmd == Cmd::Search).for_each(|o| o.bar = false);
                }
                (title, local, vec![])
            }
        }
    }
}

/// One line of the help.
#[derive(Clone, Debug, PartialEq)]
pub struct HelpLine {
    pub keys: String,
    pub text: String,
    pub kind: LineKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Heading,
    Key,
    /// A key this operator may not use here (a screen of another role, one not in this
    /// version), as the top bar shows it.
    Dim,
    Hint,
    Blank,
}

impl HelpLine {
    fn new(keys: String, text: String, kind: LineKind) -> HelpLine {
        HelpLine { keys, text, kind }
    }
}

impl Model {
    /// The help of where the operator is (under the help, if it is open): this screen's
    /// commands and notes on the left, the keys that work everywhere on the right.
    pub fn help_lines(&self) -> (Vec<HelpLine>, Vec<HelpLine>) {
        let under = match &self.overlay {
            Some(Overlay::Help) => self.under_help.as_ref(),
            other => other.as_ref(),
        };
        let offers = self.commands_under(under);
        let heading = self.i18n.tf("help.here", &[("screen", self.t(&offers.title))]);
        let mut left = vec![HelpLine::new(String::new(), heading, LineKind::Heading)];
        left.extend(self.offer_lines(offers.local.iter().filter(|o| o.allowed)));
        if !offers.notes.is_empty() {
            left.push(HelpLine::new(String::new(), String::new(), LineKind::Blank));
            left.push(HelpLine::new(String::new(), self.t("help.typing"), LineKind::Heading));
            for n in &offers.notes {
                left.push(HelpLine::new(n.keys.to_string(), self.t(n.desc), LineKind::Key));
            }
        }
        let mut right = vec![HelpLine::new(String::new(), self.t("help.global"), LineKind::Heading)];
        right.extend(self.offer_lines(offers.global.iter().filter(|o| o.allowed)));
        right.push(HelpLine::new(String::new(), String::new(), LineKind::Blank));
        for k in ["help.dates", "help.keymap", "help.close"] {
            right.push(HelpLine::new(String::new(), self.t(k), LineKind::Hint));
        }
        (left, right)
    }

    /// How many lines the help has (its longer column).
    pub fn help_rows(&self) -> usize {
        let (l, r) = self.help_lines();
        l.len().max(r.len())
    }

    /// Offers as help lines; those that do the same thing share a line (Tab and ↓).
    fn offer_lines<'a>(&self, offers: impl Iterator<Item = &'a Offer>) -> Vec<HelpLine> {
        let mut out: Vec<(String, Vec<String>, bool)> = Vec::new();
        for o in offers {
            let Some(b) = self.keymap.binding(o.ctx, o.cmd) else { continue };
            let desc = o.desc.map(str::to_string).unwrap_or_else(|| b.desc.clone());
            let keys = b.keys.iter().map(|k| k.show());
            match out.iter_mut().find(|(d, _, a)| *d == desc && *a == o.allowed) {
                Some((_, ks, _)) => ks.extend(keys),
                None => out.push((desc, keys.collect(), o.allowed)),
            }
        }
        out.into_iter()
            .map(|(desc, keys, allowed)| {
                HelpLine::new(keys.join(","), self.t(&desc), if allowed { LineKind::Key } else { LineKind::Dim })
            })
            .collect()
    }

    /// The key bar: help first (it must show even where the line is short), then what
    /// this screen offers, then lock and quit. Refused commands are left out. Each item
    /// is (key, what it does, kept where the line is short).
    pub fn bar_items(&self, offers: &Offers) -> Vec<(String, String, bool)> {
        let item = |o: &Offer, keep: bool| {
            let b = self.keymap.binding(o.ctx, o.cmd)?;
            let k = b.keys.first()?;
            Some((k.show(), self.t(o.desc.unwrap_or(&b.desc)), keep))
        };
        let help = offers.global.iter().filter(|o| o.cmd == Cmd::Help).filter_map(|o| item(o, true));
        let local = offers.local.iter().filter(|o| o.bar && o.allowed).filter_map(|o| item(o, false));
        let rest = offers.global.iter().filter(|o| o.bar && o.allowed && o.cmd != Cmd::Help);
        // where the line is short, quit (in the help) gives way first, then the screen's
        // last commands; help and lock stay
        help.chain(local).chain(rest.filter_map(|o| item(o, o.cmd != Cmd::Quit))).collect()
    }
}
