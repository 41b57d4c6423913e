pub mod admin;
pub mod entry;
pub mod intake;
pub mod reports;
pub mod today;
