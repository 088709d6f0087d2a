//! Where a property value came from, and when.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The origin of a property value. Stored as its `key()` in the history table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Typed or edited by the user in the TUI or CLI.
    User,
    /// An address-book (vCard) import, as a phone's "import from contacts" does.
    VcardImport,
    /// The business-card scanner.
    BusinessCardScanner,
    /// The QR-code scanner.
    QrCodeScanner,
    /// A CSV or spreadsheet import from another CRM or email tool.
    CsvImport,
    /// Two-way or one-way sync with a CardDAV server or Google Contacts.
    Sync,
    /// Filled automatically, e.g. from an email signature.
    AutomaticFill,
    /// Derived by rolo itself, e.g. a website taken from the email domain.
    Derived,
    /// The demo address book offered on first run.
    Demo,
}

impl Source {
    pub const ALL: [Source; 9] = [
        Source::User,
        Source::VcardImport,
        Source::BusinessCardScanner,
        Source::QrCodeScanner,
        Source::CsvImport,
        Source::Sync,
        Source::AutomaticFill,
        Source::Derived,
        Source::Demo,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Source::User => "user",
            Source::VcardImport => "vcard-import",
            Source::BusinessCardScanner => "business-card-scanner",
            Source::QrCodeScanner => "qr-code-scanner",
            Source::CsvImport => "csv-import",
            Source::Sync => "sync",
            Source::AutomaticFill => "automatic-fill",
            Source::Derived => "derived",
            Source::Demo => "demo",
        }
    }

    /// A short human label for the detail view.
    pub fn label(self) -> &'static str {
        match self {
            Source::User => "you",
            Source::VcardImport => "address-book import",
            Source::BusinessCardScanner => "card scanner",
            Source::QrCodeScanner => "QR scanner",
            Source::CsvImport => "CSV import",
            Source::Sync => "sync",
            Source::AutomaticFill => "filled automatically",
            Source::Derived => "derived",
            Source::Demo => "demo data",
        }
    }

    /// HubSpot-style original source drill-down 1 for contacts created by this source.
    pub fn drill_down_1(self) -> &'static str {
        match self {
            Source::User => "manual",
            Source::VcardImport | Source::CsvImport | Source::Demo => "import",
            Source::BusinessCardScanner | Source::QrCodeScanner => "scanner",
            Source::Sync => "sync",
            Source::AutomaticFill | Source::Derived => "automatic",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.key())
    }
}

impl FromStr for Source {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Source::ALL.into_iter().find(|source| source.key() == text).ok_or_else(|| format!("unknown source {text:?}"))
    }
}

/// Milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        Timestamp(chrono::Utc::now().timestamp_millis())
    }

    /// `2026-11-21 09:28` in UTC; used by the detail view and reports.
    pub fn format_minutes(self) -> String {
        chrono::DateTime::from_timestamp_millis(self.0)
            .map(|time| time.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| self.0.to_string())
    }

    /// RFC 3339, for JSON output and vCard REV.
    pub fn rfc3339(self) -> String {
        chrono::DateTime::from_timestamp_millis(self.0)
            .map(|time| time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_else(|| self.0.to_string())
    }
}
