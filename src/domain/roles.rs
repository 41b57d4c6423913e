//! Operators' roles and what each may do. The model checks these before every action;
//! hiding a key is only a courtesy.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Receptionist,
    Dispatcher,
    Archivist,
    Supervisor,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Receptionist, Role::Dispatcher, Role::Archivist, Role::Supervisor, Role::Manager, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Receptionist => "receptionist",
            Role::Dispatcher => "dispatcher",
            Role::Archivist => "archivist",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Role::Receptionist => "role.receptionist",
            Role::Dispatcher => "role.dispatcher",
            Role::Archivist => "role.archivist",
            Role::Supervisor => "role.supervisor",
            Role::Manager => "role.manager",
            Role::Admin => "role.admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code().eq_ignore_ascii_case(s.trim()))
    }
}

/// Parses "receptionist,admin"; unknown names are an error naming the first of them.
pub fn parse_roles(s: &str) -> Result<Vec<Role>, String> {
    let mut out = Vec::new();
    for part in s.split([',', ' ', ';']).filter(|p| !p.trim().is_empty()) {
        let r = Role::parse(part).ok_or_else(|| part.trim().to_string())?;
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out.sort();
    Ok(out)
}

pub fn format_roles(roles: &[Role]) -> String {
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Rule I6: the visitor register is confidential.
    ViewVisitors,
    EditVisitors,
    /// Rule I6: copying the register (export) needs the general manager.
    ExportVisitors,
    ViewCustomers,
    EditCustomers,
    /// Rule I8: confirming a provisional grade after its review.
    ReviewGrades,
    /// Handlers of any department see complaints; the desk and its leads take them.
    ViewComplaints,
    TakeComplaints,
    /// Rule F1: callbacks are made by the desk, supervisors and managers.
    ViewCallbacks,
    /// Rule C13: the month's complaint statistics are marked submitted.
    SubmitReports,
    VoidRecords,
    ImportRecords,
    ManageOperators,
    ManageSettings,
}

/// Who may do what. Rule I6 (register confidential), rule A14 (personal accounts).
pub fn allows(roles: &[Role], p: Permission) -> bool {
    use Permission::*;
    use Role::*;
    let ok: &[Role] = match p {
        ViewVisitors | EditVisitors => &[Receptionist, Supervisor, Manager],
        ExportVisitors => &[Manager],
        ViewCustomers => &[Receptionist, Dispatcher, Archivist, Supervisor, Manager],
        EditCustomers => &[Receptionist, Supervisor, Manager],
        ReviewGrades => &[Supervisor, Manager],
        ViewComplaints => &[Receptionist, Dispatcher, Archivist, Supervisor, Manager],
        TakeComplaints | ViewCallbacks => &[Receptionist, Supervisor, Manager],
        SubmitReports => &[Supervisor, Manager],
        VoidRecords => &[Receptionist, Supervisor, Manager],
        ImportRecords => &[Manager, Admin],
        ManageOperators | ManageSettings => &[Admin],
    };
    roles.iter().any(|r| ok.contains(r))
}

/// The permissions to see and to change a register's records.
pub fn register_permissions(register: &str) -> (Permission, Permission) {
    match register {
        "visitor" => (Permission::ViewVisitors, Permission::EditVisitors),
        "complaint" => (Permission::ViewComplaints, Permission::TakeComplaints),
        "callback" => (Permission::ViewCallbacks, Permission::ViewCallbacks),
        _ => (Permission::ViewCustomers, Permission::EditCustomers),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_i6_only_desk_supervisor_and_manager_see_the_register() {
        assert!(allows(&[Role::Receptionist], Permission::ViewVisitors));
        assert!(allows(&[Role::Manager], Permission::ViewVisitors));
        assert!(!allows(&[Role::Dispatcher], Permission::ViewVisitors));
        assert!(!allows(&[Role::Archivist], Permission::ViewVisitors));
        assert!(!allows(&[Role::Admin], Permission::ViewVisitors));
    }

    #[test]
    fn rule_i6_copying_the_register_needs_the_general_manager() {
        assert!(!allows(&[Role::Receptionist, Role::Supervisor], Permission::ExportVisitors));
        assert!(allows(&[Role::Manager], Permission::ExportVisitors));
    }

    #[test]
    fn rule_a14_only_admins_manage_accounts() {
        assert!(allows(&[Role::Admin], Permission::ManageOperators));
        assert!(!allows(&[Role::Manager], Permission::ManageOperators));
    }

    #[test]
    fn roles_parse_and_format() {
        let r = parse_roles("admin, receptionist").unwrap();
        assert_eq!(r, vec![Role::Receptionist, Role::Admin]);
        assert_eq!(format_roles(&r), "receptionist,admin");
        assert_eq!(parse_roles("admin,boss"), Err("boss".to_string()));
    }
}
