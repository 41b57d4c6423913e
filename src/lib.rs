//! frontdesk: keyboard-driven registers for a front desk.
//!
//! Layers: `domain` (rules, no I/O) <- `store` (SQLite, no terminal) <- `model`
//! (state and actions, no drawing) <- `ui` (drawing only) <- `app` (terminal loop).

pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod keymap;
pub mod model;
pub mod report;
pub mod store;
pub mod ui;
