//! What the UI reacts to (`Event`) and what it asks workers to do (`Effect`). Everything that
//! happens reaches `App::update` as an `Event` through one channel.

use std::path::PathBuf;
use std::sync::Arc;

use image::RgbImage;

use crossterm::event::{KeyEvent, MouseEvent};

use super::widgets::camera_preview::{PictureCells, PreviewImage, PreviewMode};
use super::workers::card_reader::ScannedCard;
use super::workers::scanner::ScannerNews;
use super::workers::{CsvPreview, ParsedBook};
use crate::capture::{Quad, SourceSpec};
use crate::import_job::{CsvFileReport, CsvImportSettings};
use crate::model::ContactDraft;
use crate::store::{ImportOptions, ImportReport, UndoReport};

/// One piece of news for the UI.
#[derive(Debug)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// Time passes while a worker runs: the spinner turns.
    Tick,
    /// The address books of a `ReadAddressBooks` effect were read.
    AddressBooksRead {
        request_id: u64,
        result: anyhow::Result<ParsedBook>,
    },
    ImportProgress {
        n_done: usize,
        n_total: usize,
    },
    ImportFinished(anyhow::Result<ImportReport>),
    /// The CSV files of a `PreviewCsv` effect were read and counted.
    CsvPreviewRead {
        request_id: u64,
        result: anyhow::Result<CsvPreview>,
    },
    /// A CSV import ended: a report per file, or why it stopped.
    CsvImportFinished(anyhow::Result<Vec<CsvFileReport>>),
    /// The imports of an `UndoImports` effect were undone, or why not.
    ImportsUndone(anyhow::Result<Vec<UndoReport>>),
    /// An error report was saved to this file, or could not be.
    ErrorsSaved(anyhow::Result<PathBuf>),
    /// A worker panicked; its work is lost.
    WorkerCrashed(String),
    /// News from the scanner session `session_id` (older sessions' news is dropped).
    Scanner {
        session_id: u64,
        news: ScannerNews,
    },
    /// The picture of a `DecodeCardImage` effect, or why it could not be decoded.
    CardImageDecoded {
        request_id: u64,
        result: Result<PreviewImage, String>,
    },
    /// The card of a `ReadCard` effect was read, or why not.
    CardRead {
        request_id: u64,
        result: Result<Box<ScannedCard>, String>,
    },
}

/// Work for a worker thread; the answer comes back as an `Event`.
#[derive(Debug)]
pub enum Effect {
    /// Parse vCard files and look up which cards already exist.
    ReadAddressBooks { request_id: u64, paths: Vec<PathBuf> },
    /// Write drafts in one transaction, reporting progress.
    Import { drafts: Vec<ContactDraft>, options: ImportOptions },
    /// Read CSV or spreadsheet files, map their columns and count a dry run.
    PreviewCsv { request_id: u64, paths: Vec<PathBuf>, settings: CsvImportSettings },
    /// Import CSV or spreadsheet files, one transaction each, reporting progress.
    ImportCsv { paths: Vec<PathBuf>, settings: CsvImportSettings },
    /// Undo these imports, the latest first, each in one transaction.
    UndoImports { batch_ids: Vec<i64> },
    /// Write the rows that will not be imported as CSV.
    SaveErrors { path: PathBuf, errors: Vec<crate::import_job::RowError> },
    /// Parse the embedded demo address book and import it.
    ImportDemo { options: ImportOptions },
    /// Open a frame source and scan it; replaces any running scanner session. Previews are
    /// made for `mode`, to fit `cells`.
    StartScanner { session_id: u64, source: SourceSpec, mode: PreviewMode, cells: PictureCells, auto_capture: bool },
    /// Capture cards by themselves once sharp and still, or only on Space.
    SetAutoCapture { is_on: bool },
    /// Pause or resume the running scanner session.
    PauseScanner { is_paused: bool },
    /// Stop the scanner session (and the camera).
    StopScanner,
    /// Take the scanner's newest frame as a card capture (it arrives as scanner news).
    CaptureCard,
    /// Load the OCR engine now, so that the first card is read quickly.
    PrepareCardReader,
    /// Read a captured card (OCR) with these corners, or detected ones.
    ReadCard { request_id: u64, image: Arc<RgbImage>, corners: Option<Quad> },
    /// Decode a stored card picture (JPEG) into a preview.
    DecodeCardImage { request_id: u64, bytes: Vec<u8> },
    /// Ring the terminal's bell (written by the UI thread, between draws).
    Bell,
}
