//! A field's value as the registers hold it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "t", content = "v")]
pub enum Value {
    #[default]
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    /// Seconds since the Unix epoch, UTC.
    Time(i64),
    /// Days since the Common Era (chrono's `num_days_from_ce`).
    Date(i32),
    /// Money in cents.
    Money(i64),
    /// Another record's id (customer, operator, department).
    Ref(i64),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null) || matches!(self, Value::Text(s) if s.is_empty())
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(v) | Value::Time(v) | Value::Money(v) | Value::Ref(v) => Some(*v),
            Value::Bool(b) => Some(*b as i64),
            Value::Date(d) => Some(*d as i64),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
}
