//! Reusable pieces of screens: text fields, checklists, the footer of key hints, the status
//! line, and fitting text into columns.

pub mod camera_preview;
pub mod checklist;
pub mod fit;
pub mod key_hints;
pub mod status_line;
pub mod text_field;
