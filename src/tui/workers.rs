//! Worker threads: reading address books and importing run here, never on the UI thread.
//! Each worker opens its own store connection and reports back through the event channel.
//! The work itself is in plain functions, so tests call them directly.

pub mod card_reader;
pub mod scanner;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::thread;

use anyhow::Context;
use crossbeam_channel::Sender;

use super::event::{Effect, Event};
use super::widgets::camera_preview::PreviewImage;
use crate::import::csv::{ImportRow, TableInfo};
use crate::import::demo;
use crate::import::vcard::read_vcard_file;
use crate::import_job::{CsvFileReport, CsvImportSettings, import_csv_file, open_csv_file};
use crate::model::{ContactDraft, ContactId, Property, Timestamp};
use crate::store::{ImportOptions, ImportReport, Store, UndoReport};

/// What the import picker shows: the cards of the chosen files and what the reader noticed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedBook {
    /// The file names, for titles and the import history.
    pub label: String,
    pub cards: Vec<ParsedCard>,
    /// One line each, naming the file.
    pub warnings: Vec<String>,
}

/// One card of an address book, as a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCard {
    pub draft: ContactDraft,
    /// The stored contact with the same email, which an import would update.
    pub existing: Option<ContactId>,
}

/// What the CSV import preview shows: per file, what was detected, the mapping, the first
/// rows as they will be stored, and the counts of a dry run.
#[derive(Debug, Clone)]
pub struct CsvPreview {
    /// The files that will be imported: those that could be read.
    pub paths: Vec<PathBuf>,
    pub settings: CsvImportSettings,
    pub files: Vec<CsvFilePreview>,
    /// Why each file that could not be read is left out of the import.
    pub left_out: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CsvFilePreview {
    pub path: PathBuf,
    pub tables: Vec<(TableInfo, Vec<ImportRow>)>,
    /// The dry run: counts and the rows that would not be imported.
    pub dry_run: CsvFileReport,
}

/// Rows of each table the preview shows.
const PREVIEW_ROWS: usize = 5;

/// Starts the workers for effects.
pub struct Workers {
    db_path: PathBuf,
    events: Sender<Event>,
    /// The running scanner, if any: one camera, one session.
    scanner: RefCell<Option<scanner::ScannerSession>>,
    /// The card reader, started with the first scanner and kept: Tesseract loads once.
    card_reader: RefCell<Option<card_reader::CardReaderWorker>>,
}

impl Workers {
    pub fn new(db_path: &Path, events: Sender<Event>) -> Self {
        Workers { db_path: db_path.to_path_buf(), events, scanner: RefCell::new(None), card_reader: RefCell::new(None) }
    }

    pub fn start_all(&self, effects: Vec<Effect>) {
        for effect in effects {
            self.start(effect);
        }
    }

    fn start(&self, effect: Effect) {
        let db_path = self.db_path.clone();
        let events = self.events.clone();
        match effect {
            Effect::ReadAddressBooks { request_id, paths } => spawn_reporting(events.clone(), move || {
                let result = read_address_books(&paths, &db_path);
                let _ = events.send(Event::AddressBooksRead { request_id, result });
            }),
            Effect::Import { drafts, options } => spawn_reporting(events.clone(), move || {
                let result = import_drafts(&db_path, &drafts, &options, &mut progress_sender(&events));
                let _ = events.send(Event::ImportFinished(result));
            }),
            Effect::PreviewCsv { request_id, paths, settings } => spawn_reporting(events.clone(), move || {
                let result = preview_csv(&paths, &settings, &db_path);
                let _ = events.send(Event::CsvPreviewRead { request_id, result });
            }),
            Effect::ImportCsv { paths, settings } => spawn_reporting(events.clone(), move || {
                let result = import_csv_files(&db_path, &paths, &settings, &mut progress_sender(&events));
                let _ = events.send(Event::CsvImportFinished(result));
            }),
            Effect::UndoImports { batch_ids } => spawn_reporting(events.clone(), move || {
                let _ = events.send(Event::ImportsUndone(undo_imports(&db_path, &batch_ids)));
            }),
            Effect::SaveErrors { path, errors } => spawn_reporting(events.clone(), move || {
                let result = save_errors(&path, &errors).map(|()| path);
                let _ = events.send(Event::ErrorsSaved(result));
            }),
            Effect::ImportDemo { options } => spawn_reporting(events.clone(), move || {
                let result = import_demo(&db_path, &options, &mut progress_sender(&events));
                let _ = events.send(Event::ImportFinished(result));
            }),
            Effect::StartScanner { session_id, source, mode, cells, auto_capture } => {
                // The old session lets go of the camera before the new one opens it.
                self.scanner.borrow_mut().take();
                let session = scanner::ScannerSession::start(session_id, source, mode, cells, events, auto_capture);
                *self.scanner.borrow_mut() = Some(session);
            }
            Effect::PauseScanner { is_paused } => {
                if let Some(session) = self.scanner.borrow().as_ref() {
                    session.set_paused(is_paused);
                }
            }
            Effect::StopScanner => drop(self.scanner.borrow_mut().take()),
            Effect::SetAutoCapture { is_on } => {
                if let Some(session) = self.scanner.borrow().as_ref() {
                    session.set_auto_capture(is_on);
                }
            }
            Effect::CaptureCard => {
                if let Some(session) = self.scanner.borrow().as_ref() {
                    session.capture();
                }
            }
            Effect::PrepareCardReader => drop(self.card_reader()),
            Effect::ReadCard { request_id, image, corners } => {
                self.card_reader().read(card_reader::CardRequest { request_id, image, corners });
            }
            Effect::DecodeCardImage { request_id, bytes } => spawn_reporting(events.clone(), move || {
                let result = image::load_from_memory(&bytes)
                    .map(|picture| PreviewImage::of_frame(&picture.into_rgb8()))
                    .map_err(|error| error.to_string());
                let _ = events.send(Event::CardImageDecoded { request_id, result });
            }),
            // The runtime rings the bell itself; nothing for a worker.
            Effect::Bell => (),
        }
    }
}

impl Workers {
    /// The card reader, started on first use.
    fn card_reader(&self) -> std::cell::RefMut<'_, card_reader::CardReaderWorker> {
        std::cell::RefMut::map(self.card_reader.borrow_mut(), |reader| {
            reader.get_or_insert_with(|| card_reader::CardReaderWorker::spawn(&self.db_path, self.events.clone()))
        })
    }
}

/// Parses the files and marks the cards whose email is already stored. A file that cannot be
/// read becomes a warning as long as another file could be read.
pub fn read_address_books(paths: &[PathBuf], db_path: &Path) -> anyhow::Result<ParsedBook> {
    let store = Store::open(db_path).context("opening the contact store")?;
    let mut book = ParsedBook { label: files_label(paths), ..ParsedBook::default() };
    let mut failures = Vec::new();
    for path in paths {
        let file_name = file_name(path);
        match read_vcard_file(path) {
            Ok(parsed) => {
                book.warnings.extend(parsed.warnings.iter().map(|warning| format!("{file_name}: {warning}")));
                book.cards.extend(parsed.into_drafts().into_iter().map(|draft| ParsedCard { draft, existing: None }));
            }
            Err(error) => failures.push(anyhow::Error::new(error)),
        }
    }
    if book.cards.is_empty() {
        if let Some(failure) = failures.into_iter().next() {
            return Err(failure);
        }
        anyhow::bail!("no contacts found in {}", book.label);
    }
    book.warnings.extend(failures.iter().map(|failure| format!("{failure:#}")));
    for card in &mut book.cards {
        if let Some(email) = card.draft.get(Property::Email) {
            card.existing = store.contact_by_email(email).context("looking up existing contacts")?;
        }
    }
    Ok(book)
}

/// Reads each file's first rows and runs a dry run of the whole import (nothing is written).
/// A file that cannot be read is left out, with why, as long as another file could be read
/// (as `rolo import csv` imports the files it can read).
pub fn preview_csv(paths: &[PathBuf], settings: &CsvImportSettings, db_path: &Path) -> anyhow::Result<CsvPreview> {
    let mut store = Store::open(db_path).context("opening the contact store")?;
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for path in paths {
        match preview_file(&mut store, path, settings) {
            Ok(file) => files.push(file),
            Err(error) => failures.push((path, error)),
        }
    }
    if files.is_empty() {
        let first =
            failures.into_iter().next().map(|(path, error)| error.context(format!("reading {}", file_name(path))));
        return Err(first.unwrap_or_else(|| anyhow::anyhow!("no file to import")));
    }
    // One short line each: the file's name rather than its whole path.
    let left_out = failures
        .iter()
        .map(|(path, error)| {
            let name = file_name(path);
            let why = format!("{error:#}").replace(&path.display().to_string(), &name);
            if why.contains(&name) { why } else { format!("{name}: {why}") }
        })
        .collect();
    Ok(CsvPreview {
        paths: files.iter().map(|file| file.path.clone()).collect(),
        settings: settings.clone(),
        files,
        left_out,
    })
}

/// One file's tables with their first rows, and its dry run.
fn preview_file(store: &mut Store, path: &Path, settings: &CsvImportSettings) -> anyhow::Result<CsvFilePreview> {
    let tables = open_csv_file(store, path, settings)?;
    let tables = tables.iter().map(|table| (table.info.clone(), table.preview(PREVIEW_ROWS))).collect();
    let dry_settings = CsvImportSettings { dry_run: true, ..settings.clone() };
    let dry_run = import_csv_file(store, path, &dry_settings, &mut |_, _| ())?;
    Ok(CsvFilePreview { path: path.to_path_buf(), tables, dry_run })
}

/// Imports the files one after the other, each in its own transaction. Progress counts
/// rows across all files.
pub fn import_csv_files(
    db_path: &Path,
    paths: &[PathBuf],
    settings: &CsvImportSettings,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<Vec<CsvFileReport>> {
    let mut store = Store::open(db_path).context("opening the contact store")?;
    let mut reports = Vec::new();
    let mut n_before = 0;
    for path in paths {
        let report = import_csv_file(&mut store, path, settings, &mut |n_done, n_total| {
            progress(n_before + n_done, n_before + n_total)
        })
        .with_context(|| format!("importing {}", file_name(path)))?;
        n_before += report.n_rows;
        reports.push(report);
    }
    Ok(reports)
}

/// Writes the per-row error report (file, row, column, reason) as CSV.
pub fn save_errors(path: &Path, errors: &[crate::import_job::RowError]) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    crate::import_job::write_error_report(errors, std::io::BufWriter::new(file))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// True when the files need the CSV import (anything that is not a vCard file).
pub fn needs_csv_import(paths: &[PathBuf]) -> bool {
    paths.iter().any(|path| !path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("vcf")))
}

/// Imports drafts in one transaction with a connection of its own.
pub fn import_drafts(
    db_path: &Path,
    drafts: &[ContactDraft],
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<ImportReport> {
    let mut store = Store::open(db_path).context("opening the contact store")?;
    Ok(store.import_drafts(drafts, options, progress)?)
}

/// Undoes imports, the latest first: a later file of one import may have updated contacts an
/// earlier one created. Each is its own transaction; the first failure stops the rest.
pub fn undo_imports(db_path: &Path, batch_ids: &[i64]) -> anyhow::Result<Vec<UndoReport>> {
    let mut store = Store::open(db_path).context("opening the contact store")?;
    let mut batch_ids = batch_ids.to_vec();
    batch_ids.sort_unstable_by(|left, right| right.cmp(left));
    let mut reports = Vec::new();
    for batch_id in batch_ids {
        let report = store
            .undo_import(batch_id, Timestamp::now())
            .with_context(|| format!("undoing import {batch_id} ({} undone before it)", reports.len()))?;
        reports.push(report);
    }
    Ok(reports)
}

/// Parses the embedded demo address book and imports it.
pub fn import_demo(
    db_path: &Path,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> anyhow::Result<ImportReport> {
    let drafts = demo::drafts().context("reading the demo address book")?;
    import_drafts(db_path, &drafts, options, progress)
}

/// `contacts.vcf`, or `a.vcf, b.vcf` for several files.
pub fn files_label(paths: &[PathBuf]) -> String {
    paths.iter().map(|path| file_name(path)).collect::<Vec<_>>().join(", ")
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}

fn progress_sender(events: &Sender<Event>) -> impl FnMut(usize, usize) + '_ {
    move |n_done, n_total| {
        let _ = events.send(Event::ImportProgress { n_done, n_total });
    }
}

/// Runs `work` on a new thread. A panic in it becomes a failed import or read instead of a
/// UI that waits forever; the panic hook leaves the terminal alone for worker threads.
fn spawn_reporting(events: Sender<Event>, work: impl FnOnce() + Send + 'static) {
    thread::spawn(move || {
        // Nothing of the worker is used after a panic, so no broken state can be observed.
        if let Err(payload) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| text.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            let _ = events.send(Event::WorkerCrashed(message));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_address_book_reads_cleanly() {
        let parsed = crate::import::parse_vcards(demo::DEMO_VCARD).unwrap();
        assert_eq!(parsed.cards.len(), demo::contact_count());
        assert_eq!(demo::contact_count(), 12);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let drafts: Vec<ContactDraft> = parsed.cards.iter().map(|card| card.to_draft()).collect();
        let emails: Vec<&str> = drafts.iter().filter_map(|draft| draft.get(Property::Email)).collect();
        assert_eq!(emails.len(), 11, "one contact has no email");
        assert!(emails.iter().filter(|email| email.ends_with("@gmail.com")).count() >= 2);
        assert!(drafts.iter().any(|draft| !draft.additional_phones.is_empty() && !draft.additional_emails.is_empty()));
        assert!(drafts.iter().any(|draft| !draft.vcard_extra.is_empty()), "BDAY is kept as another vCard field");
    }

    #[test]
    fn unreadable_files_become_warnings_while_another_file_reads() {
        let directory = tempfile::tempdir().unwrap();
        let good = directory.path().join("good.vcf");
        std::fs::write(&good, demo::DEMO_VCARD).unwrap();
        let missing = directory.path().join("missing.vcf");
        let db_path = directory.path().join("rolo.db");
        let book = read_address_books(&[good, missing.clone()], &db_path).unwrap();
        assert_eq!(book.label, "good.vcf, missing.vcf");
        assert_eq!(book.cards.len(), 12);
        assert_eq!(book.warnings.len(), 1);
        assert!(book.warnings[0].contains("missing.vcf"), "{}", book.warnings[0]);
        let error = read_address_books(&[missing], &db_path).unwrap_err();
        assert!(format!("{error:#}").contains("cannot read"), "{error:#}");
    }
}
