//! The local SQLite store: opening (with migrations), contacts, their property history,
//! companies, lists, the trash, search and settings. Only this module writes SQL.

mod card_images;
mod imports;
mod read;
mod rows;
mod write;

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::{ContactId, LifecycleStage, Property, Source, Timestamp};

pub use card_images::{CardImage, CardImageInfo};
pub use imports::{DoNotEmailEntry, ImportBatch, SETTING_CSV_MAPPING_PREFIX};
pub use read::{ListQuery, SortKey};
pub use write::{
    Conflict, ImportOptions, ImportPolicy, ImportRecord, ImportReport, Outcome, OutcomeKind, UndoReport, WriteOptions,
};

/// Append-only: a shipped migration is never edited; new ones are added at the end.
const MIGRATIONS: &[&str] = &[
    include_str!("store/migrations/0001_init.sql"),
    include_str!("store/migrations/0002_search_hash_size.sql"),
    include_str!("store/migrations/0003_csv_import.sql"),
    include_str!("store/migrations/0004_card_images.sql"),
    include_str!("store/migrations/0005_lighter_import_writes.sql"),
];

/// The schema version whose migration recreates the search index; the store then writes
/// every live contact's search row again, in the same transaction.
const SEARCH_INDEX_RECREATED_AT: i64 = 5;

/// How long a writer waits for another rolo process holding the lock.
const BUSY_TIMEOUT_MS: u32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open the contact database {path}: {source}")]
    Open { path: PathBuf, source: Box<dyn std::error::Error + Send + Sync> },
    #[error("the contact database {path} is read-only")]
    ReadOnly { path: PathBuf },
    #[error("the database was written by a newer rolo (schema {found}, this build knows {known})")]
    TooNew { found: i64, known: i64 },
    #[error("{email} already belongs to contact {existing}")]
    EmailTaken { email: String, existing: ContactId },
    #[error("no contact with id {0}")]
    NotFound(ContactId),
    #[error("{0:?} cannot be a custom property name: use lowercase letters, digits and _ and not a standard key")]
    InvalidPropertyName(String),
    #[error("no list named {0:?}")]
    NoSuchList(String),
    #[error("no import with id {0}")]
    NoSuchImport(i64),
    #[error("import {0} was already undone")]
    AlreadyUndone(i64),
    /// The input of an import failed while it was read; nothing was written.
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One connection to the contact database. Each worker thread opens its own.
pub struct Store {
    connection: Connection,
    path: Option<PathBuf>,
    search_cache: std::cell::RefCell<Option<read::SearchCache>>,
}

/// A static list of contacts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactList {
    pub id: i64,
    pub name: String,
    pub n_members: i64,
}

/// A company, associated with contacts through their email domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: i64,
    pub domain: String,
    pub name: String,
    pub website: String,
}

impl Store {
    /// Opens (creating with mode 0600 if needed) the database at `path` and runs migrations.
    pub fn open(path: &Path) -> Result<Store> {
        let open_error =
            |source: Box<dyn std::error::Error + Send + Sync>| Error::Open { path: path.to_path_buf(), source };
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|error| open_error(error.into()))?;
        }
        if !path.exists() {
            create_private_file(path).map_err(|error| open_error(error.into()))?;
        }
        let connection = Connection::open(path).map_err(|error| open_error(error.into()))?;
        let mut store = Store { connection, path: Some(path.to_path_buf()), search_cache: Default::default() };
        store.configure().map_err(|error| store.classify(error))?;
        store.migrate().map_err(|error| store.classify(error))?;
        Ok(store)
    }

    /// A private in-memory database with every migration applied; for tests.
    pub fn open_in_memory() -> Result<Store> {
        let mut store =
            Store { connection: Connection::open_in_memory()?, path: None, search_cache: Default::default() };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The schema version this database is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.connection.query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    fn configure(&mut self) -> Result<()> {
        // `rarray(?)` passes a list of contact ids to a query (search results).
        rusqlite::vtab::array::load_module(&self.connection)?;
        self.connection.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS.into()))?;
        // 16 KiB pages for a new database (an existing one keeps its own): a quarter as many
        // pages to split, spill and checkpoint in a large import, and searches as fast. The
        // size must be set before the first write, which switching to WAL is.
        self.connection.execute_batch("PRAGMA page_size = 16384")?;
        // journal_mode answers with a row; WAL lets readers go on while a worker imports.
        let _mode: String = self.connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        // A 64 MiB page cache keeps a large import from spilling pages into the WAL early, and
        // statement journals in memory spare every constrained write a temporary file.
        self.connection
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")?;
        // Every write path uses a few dozen statements; re-preparing them would dominate imports.
        self.connection.set_prepared_statement_cache_capacity(128);
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > known {
            return Err(Error::TooNew { found, known });
        }
        if found == known {
            return Ok(());
        }
        let transaction = self.connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let found: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            transaction.execute_batch(migration)?;
            transaction.execute_batch(&format!("PRAGMA user_version = {}", index + 1))?;
        }
        if found < SEARCH_INDEX_RECREATED_AT && found > 0 {
            let n_contacts: i64 =
                transaction
                    .query_row("SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL", [], |row| row.get(0))?;
            if n_contacts >= 50_000 {
                // Seconds of work before anything else shows: say why (stderr, before any UI).
                eprintln!("rolo: rebuilding the search index of {n_contacts} contacts, once after an upgrade…");
            }
            let region = read_default_region(&transaction)?;
            write::index_every_contact(&transaction, &region)?;
        }
        transaction.commit()?;
        Ok(())
    }

    fn classify(&self, error: Error) -> Error {
        classify(error, self.path.as_deref())
    }

    // Settings ------------------------------------------------------------------------

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        read_setting(&self.connection, key)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.connection
            .execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map_err(|error| self.classify(error.into()))?;
        Ok(())
    }

    /// The region phone numbers without a country code are read in (ISO 3166 alpha-2).
    pub fn default_region(&self) -> Result<String> {
        read_default_region(&self.connection)
    }

    /// The lifecycle stage of contacts a scan creates (`scan_lifecycle_default`, by default
    /// subscriber). An unreadable stored value counts as unset.
    pub fn scan_lifecycle_default(&self) -> Result<LifecycleStage> {
        Ok(self
            .setting(SETTING_SCAN_LIFECYCLE_DEFAULT)?
            .and_then(|value| value.parse().ok())
            .unwrap_or(LifecycleStage::Subscriber))
    }

    /// The camera the scanner opens (`camera`, an index of `rolo scan cameras`; 0 when unset
    /// or unreadable).
    pub fn camera_index(&self) -> Result<u32> {
        Ok(self.setting(SETTING_CAMERA)?.and_then(|value| value.trim().parse().ok()).unwrap_or(0))
    }

    /// Whether saving a scan may replace a contact's owner (`scan_may_change_owner`, by
    /// default false: the person who owns a contact keeps it when someone scans it again).
    pub fn scan_may_change_owner(&self) -> Result<bool> {
        Ok(self.setting(SETTING_SCAN_MAY_CHANGE_OWNER)?.is_some_and(|value| value == "true"))
    }

    /// The languages the card scanner reads (`ocr_language`): when unset, English plus the
    /// language of the user's locale (`de_DE` → `eng+deu`), which read every field of the
    /// accuracy set as well or better than English alone (BENCHMARKS.md).
    pub fn ocr_language(&self) -> Result<String> {
        Ok(self.setting(SETTING_OCR_LANGUAGE)?.unwrap_or_else(ocr_language_from_locale))
    }

    /// Whether the card scanner captures by itself once a card is sharp and still
    /// (`card_auto_capture`, true unless set to false).
    pub fn card_auto_capture(&self) -> Result<bool> {
        Ok(self.setting(SETTING_CARD_AUTO_CAPTURE)?.is_none_or(|value| value != "false"))
    }

    /// How a scanner (`source`: the QR-code or business-card scanner) saves a contact: original
    /// source drill-down 2 is the scanner's key, the lifecycle stage and owner rules come from
    /// the scan settings.
    pub fn scan_write_options(&self, source: Source, now: Timestamp) -> Result<WriteOptions> {
        Ok(WriteOptions {
            lifecycle_default: Some(self.scan_lifecycle_default()?),
            drill_down_2: Some(source.key().to_string()),
            may_change_owner: self.scan_may_change_owner()?,
            ..WriteOptions::new(source, now)
        })
    }

    // Custom properties ----------------------------------------------------------------

    /// Defines a custom property (idempotent). Names are lowercase `a-z0-9_`, not a standard key.
    pub fn define_custom_property(&self, name: &str, label: &str) -> Result<()> {
        write::define_custom_property(&self.connection, name, label, crate::model::Timestamp::now())
    }

    pub fn custom_properties(&self) -> Result<Vec<(String, String)>> {
        let mut statement =
            self.connection.prepare("SELECT name, label FROM custom_property_definitions ORDER BY name")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    // Lists ------------------------------------------------------------------------------

    /// Creates a static list, or returns the existing one of that name.
    pub fn create_list(&self, name: &str) -> Result<i64> {
        write::ensure_list(&self.connection, name, crate::model::Timestamp::now())
    }

    pub fn lists(&self) -> Result<Vec<ContactList>> {
        let mut statement = self.connection.prepare(
            "SELECT lists.id, lists.name, COUNT(contacts.id) FROM lists
             LEFT JOIN list_members ON list_members.list_id = lists.id
             LEFT JOIN contacts ON contacts.id = list_members.contact_id AND contacts.deleted_at IS NULL
             GROUP BY lists.id ORDER BY lists.name COLLATE NOCASE",
        )?;
        let rows = statement
            .query_map([], |row| Ok(ContactList { id: row.get(0)?, name: row.get(1)?, n_members: row.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn list_by_name(&self, name: &str) -> Result<Option<ContactList>> {
        Ok(self.lists()?.into_iter().find(|list| list.name.eq_ignore_ascii_case(name)))
    }

    pub fn add_to_list(&self, list_id: i64, contact_ids: &[ContactId]) -> Result<()> {
        let now = crate::model::Timestamp::now();
        let mut statement = self
            .connection
            .prepare_cached("INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at) VALUES (?1, ?2, ?3)")?;
        for contact_id in contact_ids {
            statement.execute(params![list_id, contact_id.0, now.0])?;
        }
        Ok(())
    }

    pub fn remove_from_list(&self, list_id: i64, contact_id: ContactId) -> Result<()> {
        self.connection.execute(
            "DELETE FROM list_members WHERE list_id = ?1 AND contact_id = ?2",
            params![list_id, contact_id.0],
        )?;
        Ok(())
    }

    /// The names of the lists a contact is on.
    pub fn lists_of(&self, contact_id: ContactId) -> Result<Vec<String>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT lists.name FROM list_members JOIN lists ON lists.id = list_members.list_id
             WHERE list_members.contact_id = ?1 ORDER BY lists.name COLLATE NOCASE",
        )?;
        let rows = statement.query_map([contact_id.0], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The names of the lists of every contact on at least one list, in one query
    /// (`lists_of` for all contacts at once, for `rolo list --json`).
    pub fn list_memberships(&self) -> Result<HashMap<ContactId, Vec<String>>> {
        let mut statement = self.connection.prepare(
            "SELECT list_members.contact_id, lists.name FROM list_members JOIN lists ON lists.id = list_members.list_id
             ORDER BY list_members.contact_id, lists.name COLLATE NOCASE",
        )?;
        let mut memberships: HashMap<ContactId, Vec<String>> = HashMap::new();
        for row in statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))? {
            let (contact_id, list_name) = row?;
            memberships.entry(ContactId(contact_id)).or_default().push(list_name);
        }
        Ok(memberships)
    }

    // Companies --------------------------------------------------------------------------

    pub fn company(&self, company_id: i64) -> Result<Option<Company>> {
        Ok(self
            .connection
            .query_row("SELECT id, domain, name, website FROM companies WHERE id = ?1", [company_id], |row| {
                Ok(Company { id: row.get(0)?, domain: row.get(1)?, name: row.get(2)?, website: row.get(3)? })
            })
            .optional()?)
    }

    pub fn companies(&self) -> Result<Vec<Company>> {
        let mut statement =
            self.connection.prepare("SELECT id, domain, name, website FROM companies ORDER BY name COLLATE NOCASE")?;
        let rows = statement.query_map([], |row| {
            Ok(Company { id: row.get(0)?, domain: row.get(1)?, name: row.get(2)?, website: row.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Turns SQLite's terse read-only failure into a sentence naming the file.
fn classify(error: Error, path: Option<&Path>) -> Error {
    match (&error, path) {
        (Error::Sqlite(rusqlite::Error::SqliteFailure(failure, _)), Some(path))
            if failure.code == rusqlite::ErrorCode::ReadOnly || failure.code == rusqlite::ErrorCode::CannotOpen =>
        {
            Error::ReadOnly { path: path.to_path_buf() }
        }
        _ => error,
    }
}

/// Settings keys.
pub const SETTING_DEFAULT_REGION: &str = "default_region";
/// The lifecycle stage of contacts created by a scan: a `LifecycleStage` key.
pub const SETTING_SCAN_LIFECYCLE_DEFAULT: &str = "scan_lifecycle_default";
/// `true` when saving a scan may replace an existing contact owner; `false` when unset.
pub const SETTING_SCAN_MAY_CHANGE_OWNER: &str = "scan_may_change_owner";
/// The index of the camera the TUI's scanner opens.
pub const SETTING_CAMERA: &str = "camera";
/// The languages the card scanner's OCR reads, as Tesseract names them (`eng`, `eng+deu`).
pub const SETTING_OCR_LANGUAGE: &str = "ocr_language";
/// `false` when the card scanner should wait for Space instead of capturing by itself.
pub const SETTING_CARD_AUTO_CAPTURE: &str = "card_auto_capture";
/// Set once the first-run demo offer has been answered.
pub const SETTING_DEMO_OFFERED: &str = "demo_offered";

fn read_setting(connection: &Connection, key: &str) -> Result<Option<String>> {
    Ok(connection.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?)
}

/// The `default_region` setting, else the user's locale's region. A free function: the
/// migration reads it inside its transaction.
fn read_default_region(connection: &Connection) -> Result<String> {
    Ok(read_setting(connection, SETTING_DEFAULT_REGION)?.unwrap_or_else(region_from_locale))
}

/// The country of the user's locale (`de_DE.UTF-8` → `DE`), else `US`.
fn region_from_locale() -> String {
    ["LC_ALL", "LC_TELEPHONE", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find_map(|locale| {
            let region = locale.split(['.', '@']).next()?.split('_').nth(1)?.to_ascii_uppercase();
            (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic())).then_some(region)
        })
        .unwrap_or_else(|| "US".to_string())
}

/// The default OCR languages for the user's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
fn ocr_language_from_locale() -> String {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|name| std::env::var(name).ok());
    ocr_language_for_locale(locale.as_deref().unwrap_or(""))
}

/// `eng`, plus the locale's language in Tesseract's three-letter name when it is another
/// one Tesseract may have (`de_DE.UTF-8` → `eng+deu`, `C` → `eng`).
pub fn ocr_language_for_locale(locale: &str) -> String {
    const TESSERACT_NAMES: [(&str, &str); 9] = [
        ("de", "deu"),
        ("fr", "fra"),
        ("es", "spa"),
        ("nl", "nld"),
        ("sv", "swe"),
        ("da", "dan"),
        ("nb", "nor"),
        ("it", "ita"),
        ("pt", "por"),
    ];
    let language = locale.split(['.', '@', '_']).next().unwrap_or_default().to_ascii_lowercase();
    let language = if language == "no" || language == "nn" { "nb".to_string() } else { language };
    match TESSERACT_NAMES.iter().find(|(code, _)| *code == language) {
        Some((_, name)) => format!("eng+{name}"),
        None => "eng".to_string(),
    }
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map(drop)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    OpenOptions::new().write(true).create_new(true).open(path).map(drop)
}

/// The column of a single-valued standard property.
fn column(property: Property) -> &'static str {
    property.key()
}

#[cfg(test)]
mod tests;
