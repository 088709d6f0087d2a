//! Converters from address-book files and CSV or spreadsheet exports to model values: bytes
//! in, `Card`s, `ContactDraft`s and `ImportRow`s out, plus `Warning`s for what was skipped. Never touches the store or the UI.

pub mod csv;
pub mod demo;
pub mod vcard;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub use vcard::{Card, ParsedFile, VcardProperty, parse_vcards, read_vcard_file};

/// Why a whole file could not be imported. A broken card is a `Warning`, not an `Error`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is empty", describe_input(path.as_deref()))]
    Empty { path: Option<PathBuf> },
    #[error("{} is not a vCard file: it has no BEGIN:VCARD line", describe_input(path.as_deref()))]
    NotVcard { path: Option<PathBuf> },
}

/// Something an import skipped or repaired; the import itself went on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The position of the card in the returned list, when the warning is about one card.
    pub card_index: Option<usize>,
    /// The 1-based physical line where the problem starts.
    pub line_number: usize,
    /// One sentence for the import report.
    pub message: String,
}

impl Error {
    /// The same error, now naming the file it came from.
    pub(crate) fn with_path(self, file_path: &Path) -> Self {
        match self {
            Error::Empty { .. } => Error::Empty { path: Some(file_path.to_path_buf()) },
            Error::NotVcard { .. } => Error::NotVcard { path: Some(file_path.to_path_buf()) },
            other => other,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.card_index {
            Some(card_index) => {
                write!(formatter, "card {}, line {}: {}", card_index + 1, self.line_number, self.message)
            }
            None => write!(formatter, "line {}: {}", self.line_number, self.message),
        }
    }
}

fn describe_input(path: Option<&Path>) -> String {
    path.map_or_else(|| "the input".to_string(), |path| path.display().to_string())
}
