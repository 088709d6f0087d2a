//! Converters from drafts to files other programs read: vCard 3.0 and 4.0, and CSV with the
//! column names HubSpot's contact import recognises. Never touches the store or the UI.

pub mod csv;
pub mod vcard;

use std::io;

pub use csv::{CSV_COLUMNS, write_csv};
pub use vcard::{VcardVersion, write_vcard, write_vcards};

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write the export")]
    Write(#[from] io::Error),
    #[error("cannot write the CSV export")]
    Csv(#[from] ::csv::Error),
}
