//! Who may do what to a register's records, as each register declares it. The model,
//! the command line, the key bar and the help all ask here, so a screen never offers
//! what the write path refuses.

use super::register::RegisterDef;
use super::roles::{Role, Roles};
use super::{Msg, Value};

/// A register's access declaration: the roles that may do each act. Steps of a case
/// declare their own roles (`StepDef.roles`).
#[derive(Clone, Copy, Debug)]
pub struct Access {
    pub view: &'static [Role],
    /// A new record typed at a form. Empty: records only arise from another record (a
    /// callback from a closed case).
    pub create: &'static [Role],
    pub edit: &'static [Role],
    /// Striking a record through, with a reason: a supervisor's act.
    pub void: &'static [Role],
    /// Copying the register out (CSV export, rule I6).
    pub export: &'static [Role],
    /// Bringing paper history in (CSV import, with its past stamps).
    pub import: &'static [Role],
    /// Fields naming the people who must never touch the record: rule C12's staff
    /// member complained about can neither edit, void, handle, approve nor review it.
    pub barred: &'static [&'static str],
    /// Records marked secret are seen only by some (rule A7), wherever they would show:
    /// lists, search, history panels, type-ahead, labels and export.
    pub confidential: Option<Confidential>,
}

/// Rule A7 as a declaration: a choice field marks a record's secrecy; a record at a
/// level is seen only by the roles that level names, and by the named person who looks
/// after it. A record with no mark, or at a level not listed, is seen by the register's
/// viewers.
#[derive(Clone, Copy, Debug)]
pub struct Confidential {
    pub field: &'static str,
    pub levels: &'static [(&'static str, &'static [Role])],
    /// An operator field naming who looks after the record (who always sees it).
    pub keeper: Option<&'static str>,
}

/// The secrecy levels someone holding `roles` may not see in this register.
pub fn hidden_levels(def: &RegisterDef, roles: Roles) -> Vec<&'static str> {
    let Some(c) = def.access.confidential else { return Vec::new() };
    c.levels.iter().filter(|(_, who)| !roles.any(who)).map(|(code, _)| *code).collect()
}

/// Whether operator `id` holding `roles` may see this record at all (rule A7).
pub fn may_see(def: &RegisterDef, values: &[Value], id: i64, roles: Roles) -> bool {
    let Some(c) = def.access.confidential else { return true };
    let hidden = hidden_levels(def, roles);
    let level = def.value(values, c.field).as_text();
    let keeper = c.keeper.is_some_and(|k| id != 0 && def.value(values, k).as_i64() == Some(id));
    keeper || level.is_none_or(|l| !hidden.contains(&l))
}

/// What an operator does to a register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    View,
    Create,
    Edit,
    Void,
    Export,
    Import,
    /// Completing a step of a case.
    Step(&'static str),
}

impl Act {
    /// Every act a register knows: the five plain ones and one per step.
    pub fn all(def: &RegisterDef) -> Vec<Act> {
        let mut out = vec![Act::View, Act::Create, Act::Edit, Act::Void, Act::Export, Act::Import];
        if let Some(wf) = def.workflow {
            out.extend(wf.steps.iter().map(|s| Act::Step(s.key)));
        }
        out
    }

    pub fn code(self) -> &'static str {
        match self {
            Act::View => "view",
            Act::Create => "create",
            Act::Edit => "edit",
            Act::Void => "void",
            Act::Export => "export",
            Act::Import => "import",
            Act::Step(s) => s,
        }
    }
}

/// The roles a register declares for an act.
pub fn roles_for(def: &RegisterDef, act: Act) -> &'static [Role] {
    let a = &def.access;
    match act {
        Act::View => a.view,
        Act::Create => a.create,
        Act::Edit => a.edit,
        Act::Void => a.void,
        Act::Export => a.export,
        Act::Import => a.import,
        Act::Step(k) => def.workflow.and_then(|wf| wf.step(k)).map(|s| s.roles).unwrap_or(&[]),
    }
}

/// Whether someone holding `roles` may do `act` to the register at all (before any rule
/// of a particular record).
pub fn may(def: &RegisterDef, act: Act, roles: &[Role]) -> bool {
    roles_for(def, act).iter().any(|r| roles.contains(r))
}

/// Rule C12 carried over: a record that comes from another (a callback from its case) bars
/// whom its source bars, whatever it was given: the n-th barred field of each kind (a
/// login, a name) takes the source's n-th barred field of that kind.
pub fn bars_from(def: &RegisterDef, values: &mut [Value], src: &RegisterDef, src_values: &[Value]) {
    let kinds = |d: &RegisterDef| -> Vec<(&'static str, std::mem::Discriminant<super::register::FieldKind>)> {
        d.access.barred.iter().filter_map(|k| d.field(k)).map(|f| (f.key, std::mem::discriminant(&f.kind))).collect()
    };
    let (mine, theirs) = (kinds(def), kinds(src));
    for (i, (key, kind)) in mine.iter().enumerate() {
        let nth = mine[..i].iter().filter(|(_, k)| k == kind).count();
        let from = theirs.iter().filter(|(_, k)| k == kind).nth(nth);
        let value = from.map(|(k, _)| src.value(src_values, k).clone()).unwrap_or(Value::Null);
        def.set(values, key, value);
    }
}

/// Whether someone holding `roles` may do `act` to every register: a backup copies them
/// all (rule I6: whoever may export each one, the general manager), demo data goes into
/// them all (whoever may import into each one).
pub fn may_all(act: Act, roles: &[Role]) -> bool {
    super::REGISTERS.iter().all(|def| may(def, act, roles))
}

/// Rule C12 and its kin: the record names this operator in a field that bars them, by
/// their operator id, or by their name where someone was named in free text (staff with
/// no login, or a name typed instead of picked).
pub fn barred(def: &RegisterDef, values: &[Value], actor: i64, name: &str) -> Option<(&'static str, Msg)> {
    def.access
        .barred
        .iter()
        .find(|k| names(def.value(values, k), actor, name))
        .map(|k| (*k, Msg::new("err.access.barred")))
}

/// Whether a barring value names this person: a login, or a name among the names
/// written (`李四、王芳`, `李四, 王芳`, `李四/王芳`).
fn names(v: &Value, id: i64, name: &str) -> bool {
    match v {
        Value::Text(t) => {
            let n = same_name(name);
            !n.is_empty()
                && t.split(['、', ',', '，', '/', '／', ';', '；', '|', '｜', '\n']).any(|part| same_name(part) == n)
        }
        v => id != 0 && v.as_i64() == Some(id),
    }
}

/// A name as it is compared: no spaces, one width, one case ("王 芳" is "王芳", "ｗａｎｇ" is "wang").
fn same_name(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(super::text::fold_width).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::REGISTERS;

    #[test]
    fn rule_c12_a_name_among_several_written_bars_each_of_them() {
        let def = &crate::domain::complaint::REGISTER;
        let mut v = vec![Value::Null; def.fields.len()];
        def.set(&mut v, "staff_named", Value::Text("李四、王 芳".into()));
        assert!(barred(def, &v, 7, "王芳").is_some());
        assert!(barred(def, &v, 8, "李四").is_some());
        assert!(barred(def, &v, 9, "王").is_none(), "a part of a name is not the name");
        for written in ["李四, 王芳", "李四，王芳", "李四/王芳", "李四；王芳"] {
            def.set(&mut v, "staff_named", Value::Text(written.into()));
            assert!(barred(def, &v, 7, "王芳").is_some(), "{written}");
        }
    }

    #[test]
    fn every_register_lets_someone_view_and_void_and_names_real_barred_fields() {
        for def in REGISTERS {
            assert!(!def.access.view.is_empty(), "{}", def.name);
            assert!(!def.access.void.is_empty(), "{}", def.name);
            for k in def.access.barred {
                assert!(def.index(k).is_some(), "{}: no field {k}", def.name);
            }
            // whoever may change a record may see it
            for act in [Act::Create, Act::Edit, Act::Void, Act::Export, Act::Import] {
                for r in roles_for(def, act) {
                    assert!(def.access.view.contains(r), "{}: {:?} may {} but not view", def.name, r, act.code());
                }
            }
        }
    }

    #[test]
    fn void_is_a_supervisors_act_everywhere() {
        for def in REGISTERS {
            assert!(!may(def, Act::Void, &[Role::Receptionist]), "{}", def.name);
            assert!(may(def, Act::Void, &[Role::Supervisor]), "{}", def.name);
        }
    }

    #[test]
    fn rule_i6_only_the_general_manager_copies_every_register() {
        for r in Role::ALL {
            assert_eq!(may_all(Act::Export, &[r]), r == Role::GeneralManager, "{r:?}");
        }
        assert!(may_all(Act::Import, &[Role::Manager]));
        assert!(!may_all(Act::Import, &[Role::Supervisor, Role::Admin]));
    }

    #[test]
    fn rule_a14_the_administrator_sees_no_register_contents_by_right() {
        for def in REGISTERS {
            for act in Act::all(def) {
                assert!(!may(def, act, &[Role::Admin]), "{} {}", def.name, act.code());
            }
        }
    }
}
