//! rolo: capture contacts where they are met and keep them in a local CRM.

pub mod model;
