//! The front desk's rules as plain Rust: no terminal, no database, no clock of its own.
//! Rules are findable by their DOMAIN.md number (`rule I1`).

pub mod access;
pub mod calendar;
pub mod callback;
pub mod complaint;
pub mod complaint_report;
pub mod customer;
pub mod deadline;
pub mod items;
pub mod phone;
pub mod plan;
pub mod register;
pub mod repair;
pub mod roles;
pub mod settings;
pub mod stats;
pub mod text;
pub mod value;
pub mod visitor;
pub mod when;
pub mod workflow;

pub use access::{Access, Act};
pub use register::{FieldDef, FieldKind, Lookup, RegisterDef};
pub use roles::{Permission, Role};
pub use settings::Settings;
pub use value::Value;

/// A message for the operator: an i18n key and its arguments. The domain never holds
/// English or Chinese text of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg { key, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }
}

impl From<&'static str> for Msg {
    fn from(key: &'static str) -> Msg {
        Msg::new(key)
    }
}

/// Every register this version keeps.
pub const REGISTERS: &[&RegisterDef] =
    &[&visitor::REGISTER, &customer::REGISTER, &complaint::REGISTER, &callback::REGISTER, &repair::REGISTER];

pub fn register(name: &str) -> Option<&'static RegisterDef> {
    REGISTERS.iter().copied().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A picked suggestion fills only fields both registers have, and only from a
    /// lookup this register suggests from.
    #[test]
    fn every_pick_names_fields_both_registers_have() {
        for def in REGISTERS {
            let Some(pick) = def.pick else { continue };
            let from = pick.from.register().expect("a pick comes from a register");
            assert!(def.fields.iter().any(|f| f.suggest == Some(pick.from)), "{}: nothing suggests from it", def.name);
            for (mine, theirs) in pick.fills {
                assert!(def.index(mine).is_some(), "{}: no field {mine}", def.name);
                assert!(*theirs == "@record" || from.index(theirs).is_some(), "{}: no field {theirs}", from.name);
            }
        }
    }
}
