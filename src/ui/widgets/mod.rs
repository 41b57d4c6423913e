pub mod form;
pub mod popup;
pub mod table;
