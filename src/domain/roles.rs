//! Operators' roles and what each may do. The model checks these before every action;
//! hiding a key is only a courtesy.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Receptionist,
    /// 维修人员: does the repair jobs given to them.
    Technician,
    Dispatcher,
    Archivist,
    Supervisor,
    /// 部门经理: the manager of their own department.
    Manager,
    /// 总经理: the whole office (rules C8, I6, A7, A8, A11).
    GeneralManager,
    Admin,
}

/// A set of roles, small enough to travel in every `Context`: who is asking, and so what
/// they may see (rule A7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Roles(u16);

impl Roles {
    pub const NONE: Roles = Roles(0);

    pub fn of(roles: &[Role]) -> Roles {
        Roles(roles.iter().fold(0, |m, r| m | 1 << (*r as u16)))
    }

    pub fn has(self, r: Role) -> bool {
        self.0 & (1 << (r as u16)) != 0
    }

    pub fn any(self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Receptionist,
        Role::Technician,
        Role::Dispatcher,
        Role::Archivist,
        Role::Supervisor,
        Role::Manager,
        Role::GeneralManager,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Receptionist => "receptionist",
            Role::Technician => "technician",
            Role::Dispatcher => "dispatcher",
            Role::Archivist => "archivist",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
            Role::GeneralManager => "general_manager",
            Role::Admin => "admin",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Role::Receptionist => "role.receptionist",
            Role::Technician => "role.technician",
            Role::Dispatcher => "role.dispatcher",
            Role::Archivist => "role.archivist",
            Role::Supervisor => "role.supervisor",
            Role::Manager => "role.manager",
            Role::GeneralManager => "role.general_manager",
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

/// What an operator may do outside any one register's records. What each register's
/// records allow is that register's own declaration (`domain::access`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Rule I8: confirming a provisional grade after its review.
    ReviewGrades,
    /// Rule C13: the month's statistics, and marking them submitted.
    ViewReports,
    SubmitReports,
    /// Rule C11: a major complaint is cleared, or closed unreported, only with a reason by a supervisor.
    ClearMajor,
    /// A case's card, fixed once decided, is corrected with a reason.
    CorrectRecords,
    ManageOperators,
    ManageSettings,
}

/// Who may do what. Rule A14 (personal accounts): the administrator manages accounts
/// and settings but sees no register contents by right.
pub fn allows(roles: &[Role], p: Permission) -> bool {
    use Permission::*;
    use Role::*;
    let ok: &[Role] = match p {
        ReviewGrades | ClearMajor | CorrectRecords => &[Supervisor, Manager, GeneralManager],
        ViewReports => &[Receptionist, Supervisor, Manager, GeneralManager],
        SubmitReports => &[Supervisor, Manager, GeneralManager],
        ManageOperators | ManageSettings => &[Admin],
    };
    roles.iter().any(|r| ok.contains(r))
}

/// Where a role stands for work that needs "this role or above" (a callback by a
/// supervisor, rule F1): 0 for roles outside the desk's line.
pub fn seniority(r: Role) -> u8 {
    match r {
        Role::Receptionist => 1,
        Role::Supervisor => 2,
        Role::Manager => 3,
        Role::GeneralManager => 4,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_a14_only_admins_manage_accounts() {
        assert!(allows(&[Role::Admin], Permission::ManageOperators));
        assert!(!allows(&[Role::Manager], Permission::ManageOperators));
        assert!(!allows(&[Role::GeneralManager], Permission::ManageSettings));
    }

    #[test]
    fn roles_parse_and_format() {
        let r = parse_roles("admin, receptionist, general_manager").unwrap();
        assert_eq!(r, vec![Role::Receptionist, Role::GeneralManager, Role::Admin]);
        assert_eq!(format_roles(&r), "receptionist,general_manager,admin");
        assert_eq!(parse_roles("admin,boss"), Err("boss".to_string()));
    }
}
