//! The Admin screen: operators (rule A14), departments, settings. Admins only; the
//! store checks nothing about roles, so the model does, before every change.

use crate::domain::register::{FieldDef, FieldKind as K};
use crate::domain::roles::{format_roles, parse_roles};
use crate::domain::settings::DEFS;
use crate::domain::{Msg, Permission};
use crate::keymap::Cmd;
use crate::store::auth::NewOperator;

use super::form::FormState;
use super::{Level, Model, Overlay};

/// Rule A14: an operator's roles, ticked from the list.
pub const ROLE_CODES: &[&str] = &["receptionist", "dispatcher", "archivist", "supervisor", "manager", "admin"];

pub const OP_NEW_FIELDS: &[FieldDef] = &[
    FieldDef::new("code", K::Text { max: 20 }).required(),
    FieldDef::new("name", K::Text { max: 40 }).required(),
    FieldDef::new("roles", K::Flags { list: "role", codes: ROLE_CODES }).required(),
    FieldDef::new("password", K::Secret).required(),
];

pub const OP_EDIT_FIELDS: &[FieldDef] = &[
    FieldDef::new("code", K::Text { max: 20 }).readonly(),
    FieldDef::new("name", K::Text { max: 40 }).required(),
    FieldDef::new("roles", K::Flags { list: "role", codes: ROLE_CODES }).required(),
    FieldDef::new("password", K::Secret),
    FieldDef::new("disabled", K::YesNo),
];

pub const DEPT_FIELDS: &[FieldDef] = &[FieldDef::new("name", K::Text { max: 60 }).required()];

pub const SETTING_FIELDS: &[FieldDef] = &[FieldDef::new("value", K::Text { max: 1000 })];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AdminTab {
    #[default]
    Operators,
    Departments,
    Settings,
}

impl AdminTab {
    pub const ALL: [AdminTab; 3] = [AdminTab::Operators, AdminTab::Departments, AdminTab::Settings];
    pub fn label_key(self) -> &'static str {
        match self {
            AdminTab::Operators => "admin.operators",
            AdminTab::Departments => "admin.departments",
            AdminTab::Settings => "admin.settings",
        }
    }
}

#[derive(Clone, Debug)]
pub enum AdminTarget {
    NewOperator,
    Operator(i64),
    Department,
    Setting(&'static str),
}

#[derive(Default)]
pub struct AdminView {
    pub tab: AdminTab,
    pub selected: usize,
    /// (key, value in force, changed from the default)
    pub settings: Vec<(&'static str, String, bool)>,
    pub form: Option<FormState>,
    pub target: Option<AdminTarget>,
}

impl AdminView {
    pub fn len(&self, operators: usize, departments: usize) -> usize {
        match self.tab {
            AdminTab::Operators => operators,
            AdminTab::Departments => departments,
            AdminTab::Settings => self.settings.len(),
        }
    }
}

impl Model {
    pub(super) fn load_admin(&mut self) {
        let departments = self.store.departments().unwrap_or_default();
        let settings: Vec<_> = DEFS
            .iter()
            .map(|d| (d.key, self.settings.get(d.key).to_string(), !self.settings.is_default(d.key)))
            .collect();
        if let Some(d) = self.desk_mut() {
            d.departments = departments;
            d.admin.settings = settings;
            let n = d.admin.len(d.operators.len(), d.departments.len());
            d.admin.selected = d.admin.selected.min(n.saturating_sub(1));
        }
    }

    pub(super) fn admin_cmd(&mut self, cmd: Cmd) {
        let Some(d) = self.desk_mut() else { return };
        let n = d.admin.len(d.operators.len(), d.departments.len());
        let a = &mut d.admin;
        match cmd {
            Cmd::Down if a.selected + 1 < n => a.selected += 1,
            Cmd::Up if a.selected > 0 => a.selected -= 1,
            Cmd::First => a.selected = 0,
            Cmd::Last => a.selected = n.saturating_sub(1),
            Cmd::NextTab => {
                let i = AdminTab::ALL.iter().position(|t| *t == a.tab).unwrap_or(0);
                a.tab = AdminTab::ALL[(i + 1) % AdminTab::ALL.len()];
                a.selected = 0;
            }
            Cmd::New => match a.tab {
                AdminTab::Operators => {
                    a.form = Some(FormState::new("operator", OP_NEW_FIELDS));
                    a.target = Some(AdminTarget::NewOperator);
                }
                AdminTab::Departments => {
                    a.form = Some(FormState::new("department", DEPT_FIELDS));
                    a.target = Some(AdminTarget::Department);
                }
                AdminTab::Settings => {}
            },
            Cmd::Open => match a.tab {
                AdminTab::Operators => {
                    if let Some(op) = d.operators.get(a.selected) {
                        let mut f = FormState::new("operator", OP_EDIT_FIELDS);
                        f.set("code", &op.code, None);
                        f.set("name", &op.name, None);
                        f.set("roles", &format_roles(&op.roles), None);
                        f.set("disabled", if op.disabled { "yes" } else { "no" }, None);
                        f.dirty = false;
                        a.target = Some(AdminTarget::Operator(op.id));
                        a.form = Some(f);
                    }
                }
                AdminTab::Settings => {
                    if let Some((key, value, _)) = a.settings.get(a.selected).cloned() {
                        let mut f = FormState::new("setting", SETTING_FIELDS);
                        f.set("value", &value, None);
                        f.dirty = false;
                        a.target = Some(AdminTarget::Setting(key));
                        a.form = Some(f);
                    }
                }
                AdminTab::Departments => {}
            },
            Cmd::Help => self.overlay = Some(Overlay::Help),
            _ => {}
        }
    }

    pub(super) fn admin_form_cmd(&mut self, cmd: Cmd) {
        let Some(f) = self.desk_mut().and_then(|d| d.admin.form.as_mut()) else { return };
        match cmd {
            Cmd::NextField | Cmd::Down => f.next_field(),
            Cmd::PrevField | Cmd::Up => f.prev_field(),
            Cmd::Enter if !f.is_last_field() => f.next_field(),
            Cmd::Enter | Cmd::Save => self.admin_save(),
            Cmd::Clear => f.clear_field(),
            Cmd::Cancel => {
                if let Some(d) = self.desk_mut() {
                    d.admin.form = None;
                    d.admin.target = None;
                }
            }
            _ => {}
        }
    }

    fn admin_save(&mut self) {
        if !self.desk().is_some_and(|d| d.op.has(Permission::ManageOperators)) {
            self.say(Msg::new("err.permission"), Level::Error);
            return;
        }
        let now = self.now;
        let Some(d) = self.desk_mut() else { return };
        let actor = d.op.id;
        let (Some(f), Some(target)) = (d.admin.form.clone(), d.admin.target.clone()) else { return };
        let roles = parse_roles(f.raw("roles"));
        let result: Result<(), (&'static str, Msg)> = match target {
            AdminTarget::NewOperator => match roles {
                Err(bad) => Err(("roles", Msg::new("err.operator.role").with("role", bad))),
                Ok(roles) => self
                    .store
                    .create_operator(
                        Some(actor),
                        now,
                        &NewOperator {
                            code: f.raw("code"),
                            name: f.raw("name"),
                            roles: &roles,
                            password: f.raw("password"),
                        },
                    )
                    .map(|_| ())
                    .map_err(|e| (field_of(&e.msg()), e.msg())),
            },
            AdminTarget::Operator(id) => match (roles, self.store.operator(id)) {
                (Err(bad), _) => Err(("roles", Msg::new("err.operator.role").with("role", bad))),
                (_, Err(e)) => Err(("name", e.msg())),
                (Ok(roles), Ok(mut op)) => {
                    op.name = f.raw("name").to_string();
                    op.roles = roles;
                    op.disabled = f.raw("disabled") == "yes";
                    let pw = f.raw("password").to_string();
                    self.store
                        .update_operator(actor, now, &op)
                        .and_then(|_| if pw.is_empty() { Ok(()) } else { self.store.set_password(actor, now, id, &pw) })
                        .map_err(|e| (field_of(&e.msg()), e.msg()))
                }
            },
            AdminTarget::Department => {
                self.store.add_department(actor, now, f.raw("name")).map(|_| ()).map_err(|e| ("name", e.msg()))
            }
            AdminTarget::Setting(key) => {
                self.store.set_setting(actor, now, key, f.raw("value")).map(|_| ()).map_err(|e| ("value", e.msg()))
            }
        };
        match result {
            Ok(()) => {
                if let Ok(s) = self.store.settings() {
                    self.settings = s;
                }
                if let Some(d) = self.desk_mut() {
                    d.admin.form = None;
                    d.admin.target = None;
                }
                self.after_write();
                self.say(Msg::new("status.saved_plain"), Level::Info);
            }
            Err((field, m)) => {
                if let Some(f) = self.desk_mut().and_then(|d| d.admin.form.as_mut()) {
                    f.set_error(field, m.clone());
                    f.focus_first_error();
                }
                self.say(m, Level::Error);
            }
        }
    }
}

fn field_of(m: &Msg) -> &'static str {
    match m.key {
        "err.operator.code" | "err.operator.exists" => "code",
        "err.password.short" => "password",
        "err.operator.no_role" | "err.operator.last_admin" => "roles",
        _ => "name",
    }
}
