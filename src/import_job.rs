//! One CSV or spreadsheet file into the store: `import::csv` reads and maps its rows,
//! `store` writes them in one transaction, and the rows that could not be imported are
//! collected for the report. The command line and the TUI's worker both run imports here.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::import::csv::{ColumnTarget, CsvOptions, DoNotEmailReason, ImportRow, Table, TableInfo, open_tables};
use crate::model::{ContactDraft, Property, Source, Timestamp};
use crate::store::{ImportOptions, ImportPolicy, ImportRecord, ImportReport, Store};

/// The import kind of CSV and spreadsheet imports (original source drill-down 2).
pub const IMPORT_KIND_CSV: &str = "csv-import";

/// Which static list the imported contacts go on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ListChoice {
    /// A list named after the file (`contacts.csv` → `contacts`).
    #[default]
    NamedAfterFile,
    Named(String),
    None,
}

/// Everything about how to import, beyond the file itself.
#[derive(Debug, Clone)]
pub struct CsvImportSettings {
    pub csv: CsvOptions,
    pub policy: ImportPolicy,
    pub list: ListChoice,
    /// Only put the addresses on the do-not-email list (as unsubscribed, unless a row says
    /// bounced); write no contacts.
    pub is_opt_out_list: bool,
    pub dry_run: bool,
    pub now: Timestamp,
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowError {
    /// The file, or `archive.zip: member.csv`.
    pub file: String,
    /// The 1-based line (or sheet row) the row starts on.
    pub row: usize,
    /// The column at fault; empty for the whole row.
    pub column: String,
    pub reason: String,
}

/// What importing one file did.
#[derive(Debug, Clone)]
pub struct CsvFileReport {
    pub path: PathBuf,
    pub tables: Vec<TableInfo>,
    pub report: ImportReport,
    pub errors: Vec<RowError>,
    /// Data rows read (blank rows not counted).
    pub n_rows: usize,
}

impl CsvImportSettings {
    pub fn new(now: Timestamp) -> Self {
        CsvImportSettings {
            csv: CsvOptions::default(),
            policy: ImportPolicy::Upsert,
            list: ListChoice::NamedAfterFile,
            is_opt_out_list: false,
            dry_run: false,
            now,
        }
    }
}

/// The column choices the user made in earlier imports, as `CsvOptions::remembered` wants them.
pub fn remembered_targets(store: &Store) -> crate::store::Result<std::collections::HashMap<String, ColumnTarget>> {
    Ok(store
        .remembered_mappings()?
        .into_iter()
        .filter_map(|(header, target)| Some((header, target.parse().ok()?)))
        .collect())
}

/// Opens the file's tables with the remembered column choices applied (for the preview).
pub fn open_csv_file(store: &Store, path: &Path, settings: &CsvImportSettings) -> anyhow::Result<Vec<Table>> {
    let mut csv = settings.csv.clone();
    csv.remembered = remembered_targets(store)?;
    Ok(open_tables(path, &csv)?)
}

/// Reads the file and writes it in one transaction (rolled back on a dry run, or when the
/// file fails while it is read). `progress(done, total)` counts rows.
pub fn import_csv_file(
    store: &mut Store,
    path: &Path,
    settings: &CsvImportSettings,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<CsvFileReport> {
    if is_vcard_file(path) {
        return import_vcard_file(store, path, settings, progress);
    }
    let tables = open_csv_file(store, path, settings)?;
    let infos: Vec<TableInfo> = tables.iter().map(|table| table.info.clone()).collect();
    let expected_total: usize = infos.iter().map(|info| info.estimated_rows).sum();
    let options = import_options(path, settings, IMPORT_KIND_CSV, Source::CsvImport);
    let mut errors: Vec<RowError> = Vec::new();
    let mut n_rows = 0usize;
    let is_opt_out_list = settings.is_opt_out_list;
    let mut records = tables.into_iter().flat_map(|table| {
        let table_name = table.info.name.clone();
        let system = table.info.preset.key().to_string();
        table.rows().map(move |row| (table_name.clone(), system.clone(), row))
    });
    // The stream borrows the error list and the row count until the import is done.
    let report = {
        let mut stream = std::iter::from_fn(|| {
            let (table_name, system, row) = records.next()?;
            n_rows += 1;
            Some(match row {
                Ok(row) => Ok(record_of(row, &table_name, &system, is_opt_out_list, &mut errors)),
                Err(error) => Err(format!("{table_name}: {error}")),
            })
        });
        store.import_records(&mut stream, expected_total, &options, progress)?
    };
    Ok(CsvFileReport { path: path.to_path_buf(), tables: infos, report, errors, n_rows })
}

/// The store's options for importing `path`.
fn import_options(path: &Path, settings: &CsvImportSettings, kind: &str, source: Source) -> ImportOptions {
    let list_name = match &settings.list {
        _ if settings.is_opt_out_list => None,
        ListChoice::NamedAfterFile => Some(list_name_for(path)),
        ListChoice::Named(name) => Some(name.trim().to_string()).filter(|name| !name.is_empty()),
        ListChoice::None => None,
    };
    ImportOptions {
        list_name,
        dry_run: settings.dry_run,
        policy: settings.policy,
        is_opt_out_list: settings.is_opt_out_list,
        ..ImportOptions::new(kind, file_name(path), source, settings.now)
    }
}

/// A `.vcf` file, or any file that starts like one: people migrating bring these too.
fn is_vcard_file(path: &Path) -> bool {
    let is_vcf = path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("vcf"));
    let mut start = [0u8; 64];
    let n_read = std::fs::File::open(path).and_then(|mut file| std::io::Read::read(&mut file, &mut start)).unwrap_or(0);
    let text =
        String::from_utf8_lossy(&start[..n_read]).trim_start_matches('\u{feff}').trim_start().to_ascii_uppercase();
    is_vcf || text.starts_with("BEGIN:VCARD")
}

/// A vCard file through the same import: every card, one transaction.
fn import_vcard_file(
    store: &mut Store,
    path: &Path,
    settings: &CsvImportSettings,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<CsvFileReport> {
    let mut parsed = crate::import::vcard::read_vcard_file(path)?;
    let warnings = std::mem::take(&mut parsed.warnings);
    let drafts = parsed.into_drafts();
    let errors = warnings
        .iter()
        .map(|warning| RowError {
            file: file_name(path),
            row: warning.line_number,
            column: String::new(),
            reason: warning.message.clone(),
        })
        .collect();
    let options = import_options(path, settings, Source::VcardImport.key(), Source::VcardImport);
    let mut records = drafts.iter().map(|draft| {
        let record = if settings.is_opt_out_list {
            let mut only_email = ContactDraft::default();
            only_email.set(Property::Email, draft.get(Property::Email).unwrap_or_default());
            ImportRecord {
                draft: Cow::Owned(only_email),
                do_not_email: vec![DoNotEmailReason::Unsubscribed],
                ..ImportRecord::default()
            }
        } else {
            ImportRecord { draft: Cow::Borrowed(draft), ..ImportRecord::default() }
        };
        Ok(record)
    });
    let report = store.import_records(&mut records, drafts.len(), &options, progress)?;
    Ok(CsvFileReport { path: path.to_path_buf(), tables: Vec::new(), report, errors, n_rows: drafts.len() })
}

/// The store's record of a mapped row; an invalid row becomes a `RowError` and a record
/// that is only counted.
fn record_of(
    row: ImportRow,
    table_name: &str,
    system: &str,
    is_opt_out_list: bool,
    errors: &mut Vec<RowError>,
) -> ImportRecord<'static> {
    // Values left out of rows that are imported all the same go in the report too.
    errors.extend(row.warnings.iter().map(|warning| RowError {
        file: table_name.to_string(),
        row: row.line,
        column: warning.column.clone(),
        reason: warning.reason.clone(),
    }));
    let mut problem = row.problem.clone();
    if is_opt_out_list && problem.is_none() && row.draft.get(Property::Email).is_none() {
        problem = Some(crate::import::csv::RowProblem { column: String::new(), reason: "no email address".into() });
    }
    if let Some(problem) = problem {
        errors.push(RowError {
            file: table_name.to_string(),
            row: row.line,
            column: problem.column,
            reason: problem.reason,
        });
        return ImportRecord { is_invalid: true, ..ImportRecord::default() };
    }
    let mut do_not_email = row.do_not_email;
    let draft = if is_opt_out_list {
        if do_not_email.is_empty() {
            do_not_email.push(DoNotEmailReason::Unsubscribed);
        }
        let mut only_email = ContactDraft::default();
        only_email.set(Property::Email, row.draft.get(Property::Email).unwrap_or_default());
        only_email
    } else {
        row.draft
    };
    ImportRecord {
        draft: Cow::Owned(draft),
        do_not_email,
        external_id: row.external_id.map(|value| (system.to_string(), value)),
        lists: row.lists,
        is_invalid: false,
    }
}

/// `contacts.csv` → `contacts`: the list an import puts its contacts on by default.
pub fn list_name_for(path: &Path) -> String {
    path.file_stem().map_or_else(|| file_name(path), |stem| stem.to_string_lossy().into_owned())
}

/// The per-row error report as CSV: file, row, column, reason.
pub fn write_error_report(errors: &[RowError], out: impl Write) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["file", "row", "column", "reason"])?;
    for error in errors {
        writer.write_record([error.file.as_str(), &error.row.to_string(), &error.column, &error.reason])?;
    }
    writer.flush()?;
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}
