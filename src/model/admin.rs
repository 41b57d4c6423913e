//! The Admin screen: operators (rule A14), departments, settings. Admins only; the
//! store checks nothing about roles, so the model does, before every change.

use crate::domain::register::{FieldDef, FieldKind as K, Lookup};
use crate::domain::roles::{Role, format_roles, parse_roles};
use crate::domain::settings::DEFS;
use crate::domain::{Msg, Permission};
use crate::keymap::Cmd;
use crate::store::Department;
use crate::store::auth::{NewOperator, OperatorInput, check_code, operator_problems};

use super::form::FormState;
use super::{Confirm, Level, Model, Overlay};

/// Between role names, everywhere roles are listed: Admin, forms, the command line.
pub const ROLE_SEPARATOR: &str = "/";

/// Rule A14: an operator's roles, ticked from the list.
pub const ROLE_CODES: &[&str] =
    &["receptionist", "technician", "dispatcher", "archivist", "supervisor", "manager", "general_manager", "admin"];

pub const OP_NEW_FIELDS: &[FieldDef] = &[
    FieldDef::new("code", K::Text { max: 20 }).required(),
    FieldDef::new("name", K::Text { max: 40 }).required(),
    FieldDef::new("roles", K::Flags { list: "role", codes: ROLE_CODES }).required(),
    FieldDef::new("department", K::Lookup(Lookup::Department)),
    FieldDef::new("password", K::Secret).required(),
    FieldDef::new("password2", K::Secret).required(),
];

pub const OP_EDIT_FIELDS: &[FieldDef] = &[
    FieldDef::new("code", K::Text { max: 20 }).readonly(),
    FieldDef::new("name", K::Text { max: 40 }).required(),
    FieldDef::new("roles", K::Flags { list: "role", codes: ROLE_CODES }).required(),
    FieldDef::new("department", K::Lookup(Lookup::Department)),
    FieldDef::new("password", K::Secret),
    FieldDef::new("password2", K::Secret),
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
    /// Renaming the department with this id.
    DepartmentEdit(i64),
    Setting(&'static str),
}

#[derive(Default)]
pub struct AdminView {
    pub tab: AdminTab,
    pub selected: usize,
    /// (key, value in force, changed from the default)
    pub settings: Vec<(&'static str, String, bool)>,
    /// Every department with its state, retired ones too.
    pub departments: Vec<Department>,
    pub form: Option<FormState>,
    pub target: Option<AdminTarget>,
}

impl AdminView {
    pub fn len(&self, operators: usize) -> usize {
        match self.tab {
            AdminTab::Operators => operators,
            AdminTab::Departments => self.departments.len(),
            AdminTab::Settings => self.settings.len(),
        }
    }
}

impl Model {
    /// A setting's value as the operator reads and types it: weekdays in their language.
    fn setting_shown(&self, d: &crate::domain::settings::SettingDef) -> String {
        let raw = self.settings.get(d.key);
        match (d.kind, crate::domain::calendar::parse_weekend(raw)) {
            (crate::domain::settings::SettingKind::Weekend, Ok(days)) => days
                .iter()
                .map(|w| self.t(&format!("weekday.{}", crate::domain::calendar::short_name(*w))))
                .collect::<Vec<_>>()
                .join(&self.t("weekday.sep")),
            _ => raw.to_string(),
        }
    }

    pub(super) fn load_admin(&mut self) {
        let departments = self.store.departments().unwrap_or_default();
        let list = self.store.department_list().unwrap_or_default();
        let settings: Vec<_> =
            DEFS.iter().map(|d| (d.key, self.setting_shown(d), !self.settings.is_default(d.key))).collect();
        if let Some(d) = self.desk_mut() {
            d.departments = departments;
            d.admin.departments = list;
            d.admin.settings = settings;
            let n = d.admin.len(d.operators.len());
            d.admin.selected = d.admin.selected.min(n.saturating_sub(1));
        }
    }

    pub(super) fn admin_cmd(&mut self, cmd: Cmd) {
        let Some(d) = self.desk_mut() else { return };
        let n = d.admin.len(d.operators.len());
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
                        if let Some(dep) = op.department_id {
                            let name = a.departments.iter().find(|x| x.id == dep).map(|x| x.name.as_str());
                            f.set("department", name.unwrap_or_default(), Some(dep));
                        }
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
                AdminTab::Departments => {
                    if let Some(dep) = a.departments.get(a.selected) {
                        let mut f = FormState::new("department", DEPT_FIELDS);
                        f.set("name", &dep.name, None);
                        f.dirty = false;
                        a.target = Some(AdminTarget::DepartmentEdit(dep.id));
                        a.form = Some(f);
                    }
                }
            },
            Cmd::Void if a.tab == AdminTab::Departments => {
                if let Some(dep) = a.departments.get(a.selected).cloned() {
                    self.retire_department(&dep);
                }
            }
            Cmd::Help => self.overlay = Some(Overlay::Help),
            _ => {}
        }
    }

    pub(super) fn admin_form_cmd(&mut self, cmd: Cmd) {
        let Some(f) = self.desk_mut().and_then(|d| d.admin.form.as_mut()) else { return };
        match cmd {
            Cmd::NextField | Cmd::Down => f.next_field(),
            Cmd::PrevField | Cmd::Up => f.prev_field(),
            // a department offered by type-ahead: Enter takes the one chosen
            Cmd::Enter if f.suggest.as_ref().is_some_and(|s| s.chosen().is_some()) => {
                if let Some(hit) = f.suggest.as_ref().and_then(|s| s.chosen()).cloned() {
                    f.pick(&hit);
                }
            }
            Cmd::Enter if !f.is_last_field() => f.next_field(),
            Cmd::Enter | Cmd::Save => self.admin_save(),
            Cmd::Clear => {
                f.clear_field();
                self.refresh_suggest();
            }
            Cmd::Cancel => {
                if f.suggest.is_some() {
                    f.suggest = None;
                    return;
                }
                let dirty = f.dirty;
                // what the form said no longer applies
                self.status = None;
                if dirty {
                    self.overlay = Some(Overlay::Confirm(Confirm::Discard));
                } else if let Some(d) = self.desk_mut() {
                    d.admin.form = None;
                    d.admin.target = None;
                }
            }
            _ => {}
        }
    }

    /// `x` on a department: retires it, or offers a retired one again.
    fn retire_department(&mut self, dep: &Department) {
        if !self.desk().is_some_and(|d| d.op.has(Permission::ManageOperators)) {
            self.say(Msg::new("err.permission"), Level::Error);
            return;
        }
        let Some(actor) = self.desk().map(|d| d.op.id) else { return };
        match self.store.set_department_retired(actor, self.now, dep.id, !dep.retired) {
            Ok(()) => {
                self.after_write();
                let key = if dep.retired { "admin.dept_restored" } else { "admin.dept_retired" };
                self.say(Msg::new(key).with("name", &dep.name), Level::Info);
            }
            Err(e) => self.say(e.msg(), Level::Error),
        }
    }

    /// Every problem of an operator form at once, as the register forms show them:
    /// code, name, roles, department, password length and repetition, a code taken.
    /// Returns the roles and department to save when there is none.
    fn operator_form_problems(
        &self,
        f: &FormState,
        new: bool,
        current: Option<i64>,
    ) -> (Vec<(&'static str, Msg)>, Vec<Role>, Option<i64>) {
        let input = OperatorInput {
            code: new.then(|| f.raw("code")),
            name: f.raw("name"),
            password: f.raw("password"),
            password2: Some(f.raw("password2")),
            password_required: new,
        };
        let mut found = operator_problems(&input, self.store.min_password());
        let roles = match parse_roles(f.raw("roles")) {
            Ok(r) if r.is_empty() => {
                found.push(("roles", Msg::new("err.operator.no_role")));
                r
            }
            Ok(r) => r,
            Err(bad) => {
                found.push(("roles", Msg::new("err.operator.role").with("role", bad)));
                Vec::new()
            }
        };
        if new
            && let Ok(code) = check_code(f.raw("code"))
            && self.store.operator_by_code(&code).ok().flatten().is_some()
        {
            found.push(("code", Msg::new("err.operator.exists").with("code", &code)));
        }
        let department = match f.index("department").map(|i| &f.values[i]) {
            Some(v) if v.raw.trim().is_empty() => None,
            Some(v) => {
                let offered = self.store.offered_departments().unwrap_or_default();
                // picked from the list, or typed out in full
                let id = v.pick.or_else(|| offered.iter().find(|(_, n)| n == v.raw.trim()).map(|(id, _)| *id));
                match id {
                    Some(id) if offered.iter().any(|(i, _)| *i == id) => Some(id),
                    // one already in a retired department may stay there
                    Some(id) if current == Some(id) => Some(id),
                    Some(_) => {
                        found.push(("department", Msg::new("err.department.retired")));
                        None
                    }
                    None => {
                        found.push(("department", Msg::new("err.lookup.pick")));
                        None
                    }
                }
            }
            None => None,
        };
        found.sort_by_key(|(k, _)| f.index(k).unwrap_or(usize::MAX));
        (found, roles, department)
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
        let result: Result<(), Vec<(&'static str, Msg)>> = match target {
            AdminTarget::NewOperator | AdminTarget::Operator(_) => {
                let new = matches!(target, AdminTarget::NewOperator);
                let current = match target {
                    AdminTarget::Operator(id) => self.store.operator(id).ok().and_then(|o| o.department_id),
                    _ => None,
                };
                let (found, roles, department) = self.operator_form_problems(&f, new, current);
                if !found.is_empty() {
                    Err(found)
                } else if let AdminTarget::Operator(id) = target {
                    match self.store.operator(id) {
                        Err(e) => Err(vec![("name", e.msg())]),
                        Ok(mut op) => {
                            op.name = f.raw("name").to_string();
                            op.roles = roles;
                            op.department_id = department;
                            op.disabled = f.raw("disabled") == "yes";
                            let pw = f.raw("password").to_string();
                            self.store
                                .update_operator(actor, now, &op)
                                .and_then(|_| {
                                    if pw.is_empty() { Ok(()) } else { self.store.set_password(actor, now, id, &pw) }
                                })
                                .map_err(|e| vec![(field_of(&e.msg()), e.msg())])
                        }
                    }
                } else {
                    self.store
                        .create_operator_in(
                            Some(actor),
                            now,
                            &NewOperator {
                                code: f.raw("code"),
                                name: f.raw("name"),
                                roles: &roles,
                                password: f.raw("password"),
                            },
                            department,
                        )
                        .map(|_| ())
                        .map_err(|e| vec![(field_of(&e.msg()), e.msg())])
                }
            }
            AdminTarget::Department => {
                self.store.add_department(actor, now, f.raw("name")).map(|_| ()).map_err(|e| vec![("name", e.msg())])
            }
            AdminTarget::DepartmentEdit(id) => {
                self.store.rename_department(actor, now, id, f.raw("name")).map_err(|e| vec![("name", e.msg())])
            }
            AdminTarget::Setting(key) => self
                .store
                .set_setting(actor, now, key, f.raw("value"))
                .map(|_| ())
                .map_err(|e| vec![("value", e.msg())]),
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
            Err(found) => {
                let n = found.len();
                let only = found.first().map(|(_, m)| m.clone());
                if let Some(f) = self.desk_mut().and_then(|d| d.admin.form.as_mut()) {
                    f.clear_errors();
                    for (field, m) in found {
                        f.set_error(field, m);
                    }
                    f.focus_first_error();
                }
                match only {
                    Some(m) if n == 1 => self.say(m, Level::Error),
                    _ => self.say(Msg::new("err.form.invalid").with("n", n), Level::Error),
                }
            }
        }
    }
}

fn field_of(m: &Msg) -> &'static str {
    match m.key {
        "err.operator.code" | "err.operator.exists" => "code",
        "err.password.short" => "password",
        "err.password.mismatch" => "password2",
        "err.operator.no_role" | "err.operator.last_admin" | "err.extra.own_roles" => "roles",
        "err.department.unknown" | "err.department.retired" => "department",
        _ => "name",
    }
}
