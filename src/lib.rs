//! rolo: capture contacts where they are met and keep them in a local CRM.

pub mod capture;
pub mod cli;
pub mod export;
pub mod extract;
pub mod import;
pub mod import_job;
pub mod model;
pub mod store;
pub mod tui;
