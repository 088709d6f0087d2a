//! The screens. Each is a struct with `update(Action, …) -> Option<Transition>` and
//! `render(&self, frame, area)`. `App` keeps the contact list and a stack of screens above it.

pub mod card_corners;
pub mod card_image;
pub mod card_pick;
pub mod contact_detail;
pub mod contact_form;
pub mod contact_list;
pub mod csv_preview;
pub mod file_browser;
pub mod file_prompt;
pub mod import_picker;
pub mod import_progress;
pub mod import_result;
pub mod scanner;

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::keymap::KeyContext;
use super::modals::Modal;
use super::widgets::status_line::Notice;
use crate::capture::SourceSpec;
use crate::extract::qr::Scan;
use crate::model::ContactId;
use card_corners::CardCorners;
use card_image::CardImageView;
use card_pick::CardPick;
use contact_detail::ContactDetail;
use contact_form::ContactForm;
use csv_preview::CsvPreviewScreen;
use file_prompt::FilePrompt;
use import_picker::ImportPicker;
use import_progress::ImportProgress;
use import_result::ImportResult;
use scanner::Scanner;

/// A screen above the contact list.
pub enum Screen {
    ContactDetail(ContactDetail),
    ContactForm(ContactForm),
    FilePrompt(FilePrompt),
    ImportPicker(ImportPicker),
    CsvPreview(CsvPreviewScreen),
    ImportProgress(ImportProgress),
    ImportResult(ImportResult),
    Scanner(Scanner),
    CardCorners(CardCorners),
    CardPick(CardPick),
    CardImage(CardImageView),
}

/// What a screen asks the app to do after an action.
pub enum Transition {
    /// Close this screen and show the one below.
    Back,
    Open(Box<Screen>),
    Notice(Notice),
    ShowModal(Modal),
    /// Contacts went to the trash; `u` on the list brings them back.
    Deleted {
        contact_ids: Vec<ContactId>,
        name: String,
    },
    /// The form saved a contact.
    Saved {
        contact_id: ContactId,
        name: String,
        is_new: bool,
    },
    /// Start the vCard import: choose files.
    StartImport,
    /// Parse these files in a worker.
    ReadFiles(Vec<PathBuf>),
    /// Read and count the CSV files of the preview again, with these settings.
    PreviewCsv(crate::import_job::CsvImportSettings),
    /// Save a per-row error report as CSV (in a worker).
    SaveErrors {
        path: PathBuf,
        errors: Vec<crate::import_job::RowError>,
    },
    /// The import result was read: back to the refreshed list.
    FinishImport,
    /// Open the scanner on the configured camera (or source).
    StartScanner,
    /// The scanner reads from another source from now on.
    RestartScanner(SourceSpec),
    /// Pause or resume the scanner's session.
    PauseScanner(bool),
    /// Close the scanner and stop the camera.
    StopScanner,
    /// Review the contact in this scan.
    ReviewScan(Scan),
    /// Take the scanner's newest frame as a business card.
    CaptureCard,
    /// Capture cards by themselves once sharp and still, or only on Space.
    SetAutoCapture(bool),
    /// Read the captured card inside these corners.
    ReadCard {
        request_id: u64,
        image: std::sync::Arc<image::RgbImage>,
        corners: Option<crate::capture::Quad>,
    },
    /// Leave the card's review without saving: back to the scanner, which goes on.
    LeaveCard,
    /// From the card's lines back to its corners.
    AdjustCorners,
    /// Show the newest business card picture of this contact.
    ViewCardImage(ContactId),
    /// Edit the card's contact in the form, then save.
    EditCard(crate::model::ContactDraft),
    /// The review saved the scanned contact.
    ScanSaved {
        name: String,
        is_new: bool,
        n_conflicts: usize,
    },
    Quit,
}

impl Screen {
    pub fn key_context(&self) -> KeyContext {
        match self {
            Screen::ContactDetail(detail) => detail.key_context(),
            Screen::ContactForm(_) => KeyContext::ContactForm,
            Screen::Scanner(scanner) => scanner.key_context(),
            Screen::FilePrompt(prompt) => prompt.key_context(),
            Screen::ImportPicker(_) => KeyContext::ImportPicker,
            Screen::CsvPreview(_) => KeyContext::ImportPreview,
            Screen::ImportProgress(_) => KeyContext::ImportProgress,
            Screen::ImportResult(_) => KeyContext::ImportResult,
            Screen::CardCorners(_) => KeyContext::CardCorners,
            Screen::CardPick(_) => KeyContext::CardPick,
            Screen::CardImage(_) => KeyContext::CardImage,
        }
    }

    /// Tells the screen how much room it has, for paging and scrolling.
    pub fn set_viewport(&mut self, viewport: Rect) {
        match self {
            Screen::ContactDetail(detail) => detail.set_viewport(viewport),
            Screen::ContactForm(form) => form.set_viewport(viewport),
            Screen::FilePrompt(prompt) => prompt.set_viewport(viewport),
            Screen::ImportPicker(picker) => picker.set_viewport(viewport),
            Screen::Scanner(scanner) => scanner.set_viewport(viewport),
            Screen::CsvPreview(preview) => preview.set_viewport(viewport),
            Screen::ImportProgress(_)
            | Screen::ImportResult(_)
            | Screen::CardCorners(_)
            | Screen::CardPick(_)
            | Screen::CardImage(_) => (),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        match self {
            Screen::ContactDetail(detail) => detail.render(frame, area),
            Screen::ContactForm(form) => form.render(frame, area),
            Screen::FilePrompt(prompt) => prompt.render(frame, area),
            Screen::ImportPicker(picker) => picker.render(frame, area),
            Screen::CsvPreview(preview) => preview.render(frame, area),
            Screen::ImportProgress(progress) => progress.render(frame, area),
            Screen::ImportResult(result) => result.render(frame, area),
            Screen::Scanner(scanner) => scanner.render(frame, area),
            Screen::CardCorners(corners) => corners.render(frame, area),
            Screen::CardPick(pick) => pick.render(frame, area),
            Screen::CardImage(view) => view.render(frame, area),
        }
    }
}

/// The notice for a failed store call: what failed, then why.
pub fn store_failure(what: &str, error: &crate::store::Error) -> Transition {
    Transition::Notice(Notice::error(format!("{what}: {error}")))
}
