//! The application state: the contact list, the screens above it, the modal stack, the
//! status line and what a worker is doing. `update` turns events into state changes and
//! `Effect`s; it never blocks and never spawns anything, so tests call it directly.

use std::sync::Arc;

use crate::store::CardImage;
use std::path::{Path, PathBuf};

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use super::action::Action;
use super::event::{Effect, Event};
use super::keymap::{self, KeyContext};
use super::modals::confirm_dialog::{ConfirmDialog, ConfirmIntent};
use super::modals::help_overlay::HelpOverlay;
use super::modals::{Modal, ModalOutcome};
use super::screens::card_corners::CardCorners;
use super::screens::card_image::CardImageView;
use super::screens::card_pick::CardPick;
use super::screens::contact_detail::ContactDetail;
use super::screens::contact_form::{ContactForm, ExistingMatch, Review};
use super::screens::contact_list::ContactList;
use super::screens::csv_preview::CsvPreviewScreen;
use super::screens::file_prompt::FilePrompt;
use super::screens::import_picker::ImportPicker;
use super::screens::import_progress::ImportProgress;
use super::screens::import_result::ImportResult;
use super::screens::scanner::{self, Found, Scanner};
use super::screens::{Screen, Transition};
use super::widgets::camera_preview::{ColorDepth, PreviewImage, PreviewMode};
use super::widgets::key_hints::KeyHints;
use super::widgets::status_line::{Notice, StatusLine};
use super::workers::card_reader::ScannedCard;
use super::workers::scanner::ScannerNews;
use super::workers::{files_label, needs_csv_import};
use crate::capture::SourceSpec;
use crate::extract::qr::{Payload, Scan};
use crate::import::csv::normalize_header;
use crate::import::demo;
use crate::import_job::{CsvImportSettings, ListChoice};
use crate::model::{ContactDraft, ContactId, Property, Source, Timestamp};
use crate::store::{self, ImportOptions, ImportReport, ListQuery, SETTING_DEMO_OFFERED, Store, UndoReport};

/// Import kinds, recorded as original source drill-down 2 of new contacts.
pub const IMPORT_KIND_VCARD: &str = "vcard-import";

pub struct App {
    store: Store,
    clock: fn() -> Timestamp,
    /// Where relative paths typed in the import start.
    start_dir: PathBuf,
    /// The whole terminal.
    area: Rect,
    contact_list: ContactList,
    /// Screens above the contact list; the last one is shown.
    screens: Vec<Screen>,
    modals: Vec<Modal>,
    notice: Option<Notice>,
    busy: Option<Busy>,
    next_request_id: u64,
    /// The contacts of the last delete, for `u`.
    last_deleted: Option<(Vec<ContactId>, String)>,
    tick: usize,
    needs_redraw: bool,
    should_quit: bool,
    /// Where the scanner reads frames: the camera unless the command line chose a source.
    scan_source: SourceSpec,
    preview_mode: PreviewMode,
    /// What the card picture being decoded will be shown with.
    pending_card_image: Option<PendingCardImage>,
}

/// The name and caption of a card picture a worker is decoding.
struct PendingCardImage {
    name: String,
    caption: String,
}

/// Work running in a worker.
enum Busy {
    /// Only the answer to this request is used; Esc drops it.
    Reading {
        request_id: u64,
        label: String,
    },
    Importing,
    /// Taking back the import on the result screen.
    Undoing,
}

/// Where the app draws: the screen, the status line and the footer of key hints.
struct AppLayout {
    body: Rect,
    status: Rect,
    footer: Rect,
}

impl App {
    /// The app on the contact list, asking about the demo address book when the database is
    /// empty and the question was never answered.
    pub fn new(store: Store, area: Rect, start_dir: &Path, clock: fn() -> Timestamp) -> store::Result<App> {
        let contact_list = ContactList::new(&store, AppLayout::new(area).body)?;
        let mut app = App {
            store,
            clock,
            start_dir: start_dir.to_path_buf(),
            area,
            contact_list,
            screens: Vec::new(),
            modals: Vec::new(),
            notice: None,
            busy: None,
            next_request_id: 1,
            last_deleted: None,
            tick: 0,
            needs_redraw: true,
            should_quit: false,
            scan_source: SourceSpec::Camera { index: 0, resolution: None },
            preview_mode: PreviewMode::HalfBlocks(ColorDepth::TrueColor),
            pending_card_image: None,
        };
        let is_offered = app.store.setting(SETTING_DEMO_OFFERED)?.is_some();
        let n_trashed = app.store.count(&ListQuery { is_trash: true, ..ListQuery::default() })?;
        if !is_offered && app.contact_list.n_total() == 0 && n_trashed == 0 {
            let question = format!(
                "Your contact database is empty. Load the demo address book ({} contacts)? y/n",
                demo::contact_count()
            );
            app.push_modal(Modal::Confirm(ConfirmDialog::new(question, ConfirmIntent::LoadDemo)));
        }
        Ok(app)
    }

    #[cfg(test)]
    pub fn store(&self) -> &Store {
        &self.store
    }

    #[cfg(test)]
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// Where the scanner reads frames from (`--camera`, `--scan-from`).
    pub fn set_scan_source(&mut self, source: SourceSpec) {
        self.scan_source = source;
    }

    /// How the scanner's picture reaches this terminal.
    pub fn set_preview_mode(&mut self, mode: PreviewMode) {
        self.preview_mode = mode;
    }

    /// The session of the open scanner, whose news the app takes.
    pub fn scanner_session(&self) -> Option<u64> {
        self.scanner().map(Scanner::session_id)
    }

    /// True while a worker runs or the scanner flashes: the loop then wakes up to tick.
    pub fn is_busy(&self) -> bool {
        self.busy.is_some() || self.scanner().is_some_and(Scanner::is_flashing)
    }

    /// Whether something changed since the last draw; resets the flag.
    pub fn take_needs_redraw(&mut self) -> bool {
        std::mem::take(&mut self.needs_redraw)
    }

    /// Where the keys go now.
    pub fn key_context(&self) -> KeyContext {
        if let Some(modal) = self.modals.last() {
            return modal.key_context();
        }
        if matches!(self.busy, Some(Busy::Reading { .. })) {
            return KeyContext::Reading;
        }
        match self.screens.last() {
            Some(screen) => screen.key_context(),
            None => self.contact_list.key_context(),
        }
    }

    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => {
                if key.kind == KeyEventKind::Release {
                    return Vec::new();
                }
                self.needs_redraw = true;
                self.handle_key(key)
            }
            Event::Mouse(mouse) => self.handle_mouse(mouse),
            Event::Resize { width, height } => {
                self.area = Rect::new(0, 0, width, height);
                self.sync_viewports();
                self.needs_redraw = true;
                Vec::new()
            }
            Event::Tick => {
                if self.busy.is_some() {
                    self.tick += 1;
                    self.needs_redraw = true;
                }
                if let Some(scanner) = self.scanner_mut().filter(|scanner| scanner.is_flashing()) {
                    scanner.tick();
                    self.needs_redraw = true;
                }
                Vec::new()
            }
            Event::Scanner { session_id, news } => self.apply_scanner_news(session_id, news),
            Event::CardImageDecoded { request_id, result } => {
                self.show_card_image(request_id, result);
                Vec::new()
            }
            Event::CardRead { request_id, result } => {
                self.apply_card_read(request_id, result);
                Vec::new()
            }
            Event::AddressBooksRead { request_id, result } => {
                if !self.finish_reading(request_id) {
                    return Vec::new();
                }
                match result {
                    Ok(book) => self.push_screen(Screen::ImportPicker(ImportPicker::new(book))),
                    Err(error) => self.notice = Some(Notice::error(format!("Could not read the files: {error:#}"))),
                }
                Vec::new()
            }
            Event::ImportProgress { n_done, n_total } => {
                if let Some(Screen::ImportProgress(progress)) = self.screens.last_mut() {
                    progress.set_progress(n_done, n_total);
                    self.needs_redraw = true;
                }
                Vec::new()
            }
            Event::ImportFinished(result) => {
                self.finish_import(result.map(|report| {
                    let batch_ids = report.batch_id.filter(|_| !report.dry_run).into_iter().collect();
                    (report, batch_ids)
                }));
                Vec::new()
            }
            Event::ImportsUndone(result) => {
                self.finish_undo(result);
                Vec::new()
            }
            Event::CsvPreviewRead { request_id, result } => {
                if !self.finish_reading(request_id) {
                    return Vec::new();
                }
                match result {
                    Ok(preview) => {
                        // A recount replaces the preview it came from.
                        if matches!(self.screens.last(), Some(Screen::CsvPreview(_))) {
                            self.screens.pop();
                        }
                        self.push_screen(Screen::CsvPreview(CsvPreviewScreen::new(preview)));
                    }
                    Err(error) => self.notice = Some(Notice::error(format!("Could not read the files: {error:#}"))),
                }
                Vec::new()
            }
            Event::ErrorsSaved(result) => {
                self.needs_redraw = true;
                self.notice = Some(match result {
                    Ok(path) => Notice::info(format!("Saved the rows that will not be imported to {}", path.display())),
                    Err(error) => Notice::error(format!("Could not save the error report: {error:#}")),
                });
                Vec::new()
            }
            Event::CsvImportFinished(result) => {
                let result = result.map(|reports| {
                    let batch_ids = reports.iter().filter_map(|file| file.report.batch_id).collect();
                    (merged_report(&reports), batch_ids)
                });
                self.finish_import(result);
                Vec::new()
            }
            Event::WorkerCrashed(message) => {
                self.needs_redraw = true;
                match self.busy {
                    Some(Busy::Importing) => {
                        self.finish_import(Err(anyhow::anyhow!("the import worker crashed: {message}")))
                    }
                    Some(Busy::Undoing) => self.finish_undo(Err(anyhow::anyhow!("the worker crashed: {message}"))),
                    Some(Busy::Reading { .. }) => {
                        self.busy = None;
                        self.notice =
                            Some(Notice::error(format!("Could not read the files: the reader crashed: {message}")));
                    }
                    None => (),
                }
                Vec::new()
            }
        }
    }

    pub fn render(&self, frame: &mut Frame) {
        let layout = AppLayout::new(frame.area());
        match self.screens.last() {
            Some(screen) => screen.render(frame, layout.body),
            None => self.contact_list.render(frame, layout.body),
        }
        for modal in &self.modals {
            modal.render(frame, layout.body);
        }
        let busy_label = match &self.busy {
            Some(Busy::Reading { label, .. }) => Some(format!("Reading {label}… Esc cancels")),
            Some(Busy::Importing) => Some("Importing…".to_string()),
            Some(Busy::Undoing) => Some("Undoing the import…".to_string()),
            None => None,
        };
        let status =
            StatusLine { notice: self.notice.as_ref(), busy: busy_label.as_deref().map(|label| (label, self.tick)) };
        frame.render_widget(status, layout.status);
        frame.render_widget(KeyHints::new(keymap::hints_for(self.key_context())), layout.footer);
    }

    fn handle_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.notice = None;
        let context = self.key_context();
        match keymap::action_for(context, &key) {
            Some(action) => self.handle_action(context, action),
            None => Vec::new(),
        }
    }

    fn handle_action(&mut self, context: KeyContext, action: Action) -> Vec<Effect> {
        if action == Action::Quit {
            self.should_quit = true;
            return Vec::new();
        }
        if action == Action::ShowHelp {
            self.push_modal(Modal::Help(HelpOverlay::new(context)));
            return Vec::new();
        }
        if let Some(modal) = self.modals.last_mut() {
            let outcome = modal.update(action);
            return self.apply_modal_outcome(outcome);
        }
        if matches!(self.busy, Some(Busy::Reading { .. })) {
            if action == Action::CancelWork {
                self.busy = None;
                self.notice = Some(Notice::info("Stopped reading the files."));
            }
            return Vec::new();
        }
        if action == Action::UndoDelete && self.screens.is_empty() {
            self.undo_delete();
            return Vec::new();
        }
        if action == Action::StartScan && self.screens.is_empty() {
            return self.apply_transition(Some(Transition::StartScanner));
        }
        let now = (self.clock)();
        let transition = match self.screens.last_mut() {
            None => self.contact_list.update(action, &mut self.store, now),
            Some(Screen::ContactDetail(detail)) => detail.update(action, &mut self.store, now),
            Some(Screen::ContactForm(form)) => form.update(action, &mut self.store, now),
            Some(Screen::FilePrompt(prompt)) => prompt.update(action),
            Some(Screen::ImportPicker(picker)) => picker.update(action),
            Some(Screen::CsvPreview(preview)) => preview.update(action),
            Some(Screen::ImportProgress(_)) => None,
            Some(Screen::ImportResult(result)) => result.update(action),
            Some(Screen::Scanner(scanner)) => scanner.update(action),
            Some(Screen::CardCorners(corners)) => {
                let next_request_id = &mut self.next_request_id;
                corners.update(action, || {
                    let id = *next_request_id;
                    *next_request_id += 1;
                    id
                })
            }
            Some(Screen::CardPick(pick)) => pick.update(action),
            Some(Screen::CardImage(view)) => view.update(action),
        };
        self.apply_transition(transition)
    }

    fn handle_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        let is_on_list = self.screens.is_empty() && self.modals.is_empty();
        let result = match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) if is_on_list => {
                self.contact_list.click(mouse.column, mouse.row, &self.store)
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp if is_on_list => {
                self.contact_list.scroll(mouse.kind == MouseEventKind::ScrollDown, &self.store)
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let context = self.key_context();
                let action = if mouse.kind == MouseEventKind::ScrollDown { Action::Down } else { Action::Up };
                if !context.is_text_entry() && keymap::bindings_for(context).any(|binding| binding.action == action) {
                    self.needs_redraw = true;
                    return (0..3).flat_map(|_| self.handle_action(context, action)).collect();
                }
                return Vec::new();
            }
            _ => return Vec::new(),
        };
        self.needs_redraw = true;
        if let Err(error) = result {
            self.notice = Some(Notice::error(format!("Could not read the contacts: {error}")));
        }
        Vec::new()
    }

    fn apply_transition(&mut self, transition: Option<Transition>) -> Vec<Effect> {
        let Some(transition) = transition else { return Vec::new() };
        match transition {
            Transition::Back => {
                self.screens.pop();
                self.refresh_shown_screen();
            }
            Transition::Open(screen) => self.push_screen(*screen),
            Transition::Notice(notice) => self.notice = Some(notice),
            Transition::ShowModal(modal) => self.push_modal(modal),
            Transition::Deleted { contact_ids, name } => {
                if matches!(self.screens.last(), Some(Screen::ContactDetail(_))) {
                    self.screens.pop();
                }
                self.refresh_list();
                self.notice = Some(Notice::info(format!("Deleted {name} — u to undo")));
                self.last_deleted = Some((contact_ids, name));
            }
            Transition::Saved { contact_id, name, is_new } => {
                self.screens.pop();
                if is_new {
                    match ContactDetail::load(&self.store, contact_id) {
                        Ok(Some(detail)) => self.push_screen(Screen::ContactDetail(detail)),
                        Ok(None) => (),
                        Err(error) => self.notice = Some(Notice::error(format!("Could not show the contact: {error}"))),
                    }
                }
                self.refresh_shown_screen();
                self.refresh_list();
                self.notice = Some(Notice::info(format!("Saved {name}")));
            }
            Transition::StartImport => self.push_screen(Screen::FilePrompt(FilePrompt::new(&self.start_dir))),
            Transition::ReadFiles(paths) => {
                let request_id = self.new_request_id();
                self.busy = Some(Busy::Reading { request_id, label: files_label(&paths) });
                if needs_csv_import(&paths) {
                    let settings = CsvImportSettings::new((self.clock)());
                    return vec![Effect::PreviewCsv { request_id, paths, settings }];
                }
                return vec![Effect::ReadAddressBooks { request_id, paths }];
            }
            Transition::SaveErrors { path, errors } => return vec![Effect::SaveErrors { path, errors }],
            Transition::PreviewCsv(settings) => {
                let Some(Screen::CsvPreview(preview)) = self.screens.last() else { return Vec::new() };
                let paths = preview.preview().paths.clone();
                let request_id = self.next_request_id;
                self.next_request_id += 1;
                self.busy = Some(Busy::Reading { request_id, label: files_label(&paths) });
                return vec![Effect::PreviewCsv { request_id, paths, settings }];
            }
            Transition::FinishImport => {
                self.screens.clear();
                self.refresh_list();
            }
            Transition::StartScanner => {
                let session_id = self.new_request_id();
                let source = self.scan_source.clone();
                let mut scanner = Scanner::new(session_id, source.clone(), &self.start_dir, self.preview_mode.clone());
                let auto_capture = self.store.card_auto_capture().unwrap_or(true);
                scanner.set_auto_capture(auto_capture);
                let (mode, cells) = scanner.preview_target();
                self.push_screen(Screen::Scanner(scanner));
                // Tesseract loads while the user aims the card.
                return vec![
                    Effect::StartScanner { session_id, source, mode, cells, auto_capture },
                    Effect::PrepareCardReader,
                ];
            }
            Transition::RestartScanner(source) => {
                let session_id = self.new_request_id();
                if let Some(scanner) = self.scanner_mut() {
                    scanner.restart(session_id, source.clone());
                    let (mode, cells) = scanner.preview_target();
                    let auto_capture = scanner.auto_capture();
                    return vec![Effect::StartScanner { session_id, source, mode, cells, auto_capture }];
                }
            }
            Transition::PauseScanner(is_paused) => return vec![Effect::PauseScanner { is_paused }],
            Transition::SetAutoCapture(is_on) => return vec![Effect::SetAutoCapture { is_on }],
            Transition::StopScanner => {
                if matches!(self.screens.last(), Some(Screen::Scanner(_))) {
                    self.screens.pop();
                }
                self.refresh_shown_screen();
                return vec![Effect::StopScanner];
            }
            Transition::ReviewScan(scan) => self.open_review(&scan),
            Transition::CaptureCard => return vec![Effect::CaptureCard],
            Transition::ReadCard { request_id, image, corners } => {
                return vec![Effect::ReadCard { request_id, image, corners }];
            }
            Transition::LeaveCard => return self.leave_card(),
            Transition::AdjustCorners => {
                if let Some(Screen::CardPick(pick)) = self.screens.last() {
                    let scan = pick.scan();
                    let corners = CardCorners::adjusting(
                        Arc::clone(pick.frame()),
                        self.preview_mode.depth(),
                        scan.detected,
                        scan.corners,
                    );
                    self.screens.pop();
                    self.push_screen(Screen::CardCorners(corners));
                }
            }
            Transition::EditCard(draft) => self.open_card_review(draft),
            Transition::ViewCardImage(contact_id) => return self.view_card_image(contact_id),
            Transition::ScanSaved { name, is_new, n_conflicts } => {
                if matches!(self.screens.last(), Some(Screen::ContactForm(form)) if form.is_review()) {
                    self.screens.pop();
                }
                while matches!(self.screens.last(), Some(Screen::CardPick(_) | Screen::CardCorners(_))) {
                    self.screens.pop();
                }
                if let Some(scanner) = self.scanner_mut() {
                    scanner.mark_saved();
                }
                self.refresh_list();
                let what = if is_new { "new contact" } else { "updated" };
                let kept = match n_conflicts {
                    0 => String::new(),
                    n => format!(", {n} of your values kept"),
                };
                self.notice = Some(Notice::info(format!(
                    "Contact saved: {name} ({what}{kept}). Space scans the next card or code."
                )));
            }
            Transition::Quit => self.should_quit = true,
        }
        Vec::new()
    }

    /// True when `request_id` is the reading the app waits for, which then ends; false for
    /// one cancelled with Esc, whose result is dropped.
    fn finish_reading(&mut self, request_id: u64) -> bool {
        let is_awaited = matches!(self.busy, Some(Busy::Reading { request_id: awaited, .. }) if awaited == request_id);
        if is_awaited {
            self.busy = None;
            self.needs_redraw = true;
        }
        is_awaited
    }

    fn new_request_id(&mut self) -> u64 {
        let id = self.next_request_id;
        self.next_request_id += 1;
        id
    }

    /// The scanner screen, wherever it is in the stack (a review may be above it).
    fn scanner(&self) -> Option<&Scanner> {
        self.screens.iter().rev().find_map(|screen| match screen {
            Screen::Scanner(scanner) => Some(scanner),
            _ => None,
        })
    }

    fn scanner_mut(&mut self) -> Option<&mut Scanner> {
        self.screens.iter_mut().rev().find_map(|screen| match screen {
            Screen::Scanner(scanner) => Some(scanner),
            _ => None,
        })
    }

    /// News of the current scanner session; a code opens the review with a beep.
    fn apply_scanner_news(&mut self, session_id: u64, news: ScannerNews) -> Vec<Effect> {
        let is_on_top = matches!(self.screens.last(), Some(Screen::Scanner(_)));
        let Some(scanner) = self.scanner_mut().filter(|scanner| scanner.session_id() == session_id) else {
            return Vec::new();
        };
        let found = scanner.apply(news);
        self.needs_redraw = true;
        match found {
            None => Vec::new(),
            Some(Found::Code(scan)) => {
                if is_on_top {
                    self.open_review(&scan);
                }
                vec![Effect::Bell]
            }
            Some(Found::Card { frame, frozen }) if is_on_top => {
                let mut effects = self.open_card_capture(frame, frozen);
                effects.push(Effect::Bell);
                effects
            }
            Some(Found::Card { .. }) => Vec::new(),
        }
    }

    /// A card capture: the corners screen shows the frozen frame while the reader reads it.
    fn open_card_capture(&mut self, frame: crate::capture::Frame, frozen: PreviewImage) -> Vec<Effect> {
        let request_id = self.new_request_id();
        let image = Arc::clone(&frame.image);
        self.push_screen(Screen::CardCorners(CardCorners::reading(
            Arc::clone(&image),
            frozen,
            self.preview_mode.depth(),
            request_id,
        )));
        vec![Effect::ReadCard { request_id, image, corners: None }]
    }

    /// A read card: its lines to pick from, or the corners to place by hand.
    fn apply_card_read(&mut self, request_id: u64, result: Result<Box<ScannedCard>, String>) {
        let Some(Screen::CardCorners(corners)) = self.screens.last_mut() else { return };
        if !corners.is_awaiting(request_id) {
            return;
        }
        self.needs_redraw = true;
        match result {
            Ok(read) => {
                let frame = Arc::clone(corners.image());
                self.screens.pop();
                let ScannedCard { scan, preview } = *read;
                let pick = CardPick::new(Box::new(scan), frame, preview, self.preview_mode.depth());
                self.push_screen(Screen::CardPick(pick));
            }
            Err(message) => corners
                .read_failed(format!("{message}. Move the corners onto the card, then Enter; Esc scans again."), None),
        }
    }

    /// Back to the scanner from a card's review, which scans on.
    fn leave_card(&mut self) -> Vec<Effect> {
        while matches!(self.screens.last(), Some(Screen::CardPick(_) | Screen::CardCorners(_))) {
            self.screens.pop();
        }
        let is_resumed = self.scanner_mut().is_some_and(Scanner::resume);
        if is_resumed { vec![Effect::PauseScanner { is_paused: false }] } else { Vec::new() }
    }

    /// The edit form with the card's contact; saving keeps the card's picture with it.
    fn open_card_review(&mut self, draft: ContactDraft) {
        let Some(Screen::CardPick(pick)) = self.screens.last() else { return };
        let scan = pick.scan();
        let card_image = CardImage {
            format: "jpeg".to_string(),
            width: scan.card.width(),
            height: scan.card.height(),
            bytes: scan.card_jpeg.clone(),
        };
        let raw_lines = scan.reading.lines.clone();
        let existing = match self.existing_match(&draft) {
            Ok(existing) => existing,
            Err(error) => {
                self.notice = Some(Notice::error(format!("Could not look up the card's email: {error}")));
                None
            }
        };
        let review = Review {
            what: "business card".to_string(),
            source: Source::BusinessCardScanner,
            existing,
            raw_lines,
            card_image: Some(card_image),
        };
        match ContactForm::review(draft, review, &self.store) {
            Ok(form) => self.push_screen(Screen::ContactForm(form)),
            Err(error) => self.notice = Some(Notice::error(format!("Could not open the form: {error}"))),
        }
    }

    /// Asks a worker to decode the newest card picture of a contact, or says there is none.
    fn view_card_image(&mut self, contact_id: ContactId) -> Vec<Effect> {
        let found = (|| -> anyhow::Result<Option<(Vec<u8>, PendingCardImage)>> {
            let images = self.store.card_images(contact_id)?;
            let Some(newest) = images.first() else { return Ok(None) };
            let Some(stored) = self.store.card_image(newest.id)? else { return Ok(None) };
            let name = self.store.contact(contact_id)?.map(|contact| contact.draft.display_name()).unwrap_or_default();
            let caption = format!(
                "{} of {} · scanned {} · {}x{} pixels",
                1,
                images.len(),
                newest.scanned_at.format_minutes(),
                newest.width,
                newest.height
            );
            Ok(Some((stored.bytes, PendingCardImage { name, caption })))
        })();
        match found {
            Ok(Some((bytes, pending))) => {
                let request_id = self.new_request_id();
                self.busy = Some(Busy::Reading { request_id, label: "the card picture".to_string() });
                self.pending_card_image = Some(pending);
                vec![Effect::DecodeCardImage { request_id, bytes }]
            }
            Ok(None) => {
                self.notice = Some(Notice::info("No business card was scanned for this contact."));
                Vec::new()
            }
            Err(error) => {
                self.notice = Some(Notice::error(format!("Could not show the card: {error}")));
                Vec::new()
            }
        }
    }

    /// Shows the card picture a worker decoded, unless the user stopped waiting for it.
    fn show_card_image(&mut self, request_id: u64, result: Result<PreviewImage, String>) {
        let pending = self.pending_card_image.take();
        if !self.finish_reading(request_id) {
            return;
        }
        match (result, pending) {
            (Ok(preview), Some(PendingCardImage { name, caption })) => {
                let view = CardImageView::new(&name, preview, self.preview_mode.depth(), caption);
                self.push_screen(Screen::CardImage(view));
            }
            (Ok(_), None) => (),
            (Err(error), _) => self.notice = Some(Notice::error(format!("Could not show the card: {error}"))),
        }
    }

    /// Opens the review of a scan's first code: its contact, or its text to assign by hand.
    fn open_review(&mut self, scan: &Scan) {
        let Some(scanned) =
            scan.codes.iter().find(|scanned| scanned.payload.to_draft().is_some()).or(scan.codes.first())
        else {
            return;
        };
        let (draft, raw_lines) = match (&scanned.payload, scanned.payload.to_draft()) {
            (_, Some(draft)) => (draft, Vec::new()),
            (Payload::Text(text), None) => {
                let mut draft = ContactDraft::default();
                draft.set(Property::Notes, text.trim());
                let lines = text.lines().map(str::trim).filter(|line| !line.is_empty()).map(str::to_string).collect();
                (draft, lines)
            }
            (_, None) => (ContactDraft::default(), Vec::new()),
        };
        let existing = match self.existing_match(&draft) {
            Ok(existing) => existing,
            Err(error) => {
                self.notice = Some(Notice::error(format!("Could not look up the scanned email: {error}")));
                None
            }
        };
        let review = Review {
            what: scanner::describe(scanned),
            source: Source::QrCodeScanner,
            existing,
            raw_lines,
            card_image: None,
        };
        match ContactForm::review(draft, review, &self.store) {
            Ok(form) => self.push_screen(Screen::ContactForm(form)),
            Err(error) => self.notice = Some(Notice::error(format!("Could not open the review: {error}"))),
        }
    }

    /// The stored contact with the draft's email, and what saving the draft would change.
    fn existing_match(&self, draft: &ContactDraft) -> store::Result<Option<ExistingMatch>> {
        let Some(email) = draft.get(Property::Email) else { return Ok(None) };
        let Some(contact_id) = self.store.contact_by_email(email)? else { return Ok(None) };
        let Some(contact) = self.store.contact(contact_id)? else { return Ok(None) };
        let sources = self.store.current_sources(contact_id)?;
        let user_set = |key: &str| sources.get(key).is_some_and(|(source, _)| *source == Source::User);
        Ok(Some(ExistingMatch::new(contact_id, &contact.draft, draft, &user_set)))
    }

    fn apply_modal_outcome(&mut self, outcome: Option<ModalOutcome>) -> Vec<Effect> {
        match outcome {
            None => Vec::new(),
            Some(ModalOutcome::Close) => {
                self.modals.pop();
                Vec::new()
            }
            Some(ModalOutcome::Answer { intent, is_yes, list_name }) => {
                self.modals.pop();
                match intent {
                    ConfirmIntent::LoadDemo => self.answer_demo_offer(is_yes),
                    ConfirmIntent::Import if is_yes => self.start_import(list_name),
                    ConfirmIntent::DiscardEdits if is_yes => {
                        self.screens.pop();
                        self.refresh_shown_screen();
                        Vec::new()
                    }
                    ConfirmIntent::UndoImport if is_yes => self.start_undo(),
                    ConfirmIntent::Import | ConfirmIntent::DiscardEdits | ConfirmIntent::UndoImport => Vec::new(),
                }
            }
        }
    }

    /// Remembers the answer so that the demo is offered once, and imports it on yes.
    fn answer_demo_offer(&mut self, is_yes: bool) -> Vec<Effect> {
        let answer = if is_yes { "accepted" } else { "declined" };
        if let Err(error) = self.store.set_setting(SETTING_DEMO_OFFERED, answer) {
            self.notice = Some(Notice::error(format!("Could not save your answer: {error}")));
        }
        if !is_yes {
            self.notice = Some(Notice::info("No demo. Press n to add a contact, or i to import a vCard file."));
            return Vec::new();
        }
        let options = ImportOptions::new(demo::IMPORT_KIND, "demo address book", Source::Demo, (self.clock)());
        self.push_screen(Screen::ImportProgress(ImportProgress::new(
            "the demo address book",
            demo::contact_count(),
            None,
        )));
        self.busy = Some(Busy::Importing);
        vec![Effect::ImportDemo { options }]
    }

    /// Replaces the CSV preview with the progress screen and hands the files to a worker.
    /// The columns the user mapped are remembered for the next file with such a column.
    fn start_csv_import(&mut self, list_name: Option<String>) -> Vec<Effect> {
        let Some(Screen::CsvPreview(preview)) = self.screens.pop() else { return Vec::new() };
        let mut settings = preview.preview().settings.clone();
        settings.now = (self.clock)();
        if let Some(list_name) = list_name {
            settings.list = ListChoice::Named(list_name);
        }
        for (header, target) in &settings.csv.mappings {
            if let Err(error) = self.store.remember_mapping(&normalize_header(header), &target.to_string()) {
                self.notice = Some(Notice::error(format!("Could not remember the mapping: {error}")));
            }
        }
        let paths = preview.preview().paths.clone();
        let n_rows: usize = preview.preview().files.iter().map(|file| file.dry_run.n_rows).sum();
        let label = preview.label();
        self.push_screen(Screen::ImportProgress(ImportProgress::new(label, n_rows, Some(Screen::CsvPreview(preview)))));
        self.busy = Some(Busy::Importing);
        vec![Effect::ImportCsv { paths, settings }]
    }

    /// Replaces the picker with the progress screen and hands the chosen drafts to a worker.
    fn start_import(&mut self, list_name: Option<String>) -> Vec<Effect> {
        if matches!(self.screens.last(), Some(Screen::CsvPreview(_))) {
            return self.start_csv_import(list_name);
        }
        if !matches!(self.screens.last(), Some(Screen::ImportPicker(_))) {
            return Vec::new();
        }
        let Some(Screen::ImportPicker(picker)) = self.screens.pop() else { return Vec::new() };
        let drafts = picker.chosen_drafts();
        let options = ImportOptions {
            list_name,
            n_skipped: picker.n_skipped(),
            ..ImportOptions::new(IMPORT_KIND_VCARD, picker.label(), Source::VcardImport, (self.clock)())
        };
        let label = picker.label().to_string();
        self.push_screen(Screen::ImportProgress(ImportProgress::new(
            label,
            drafts.len(),
            Some(Screen::ImportPicker(picker)),
        )));
        self.busy = Some(Busy::Importing);
        vec![Effect::Import { drafts, options }]
    }

    /// Undoes the import on the result screen, in a worker.
    fn start_undo(&mut self) -> Vec<Effect> {
        let Some(Screen::ImportResult(result)) = self.screens.last() else { return Vec::new() };
        if self.busy.is_some() {
            self.notice = Some(Notice::info("Busy: try again when the work under way is done."));
            return Vec::new();
        }
        self.busy = Some(Busy::Undoing);
        vec![Effect::UndoImports { batch_ids: result.batch_ids().to_vec() }]
    }

    /// Leaves the result of an undone import with what undoing did, or stays with why not.
    fn finish_undo(&mut self, result: anyhow::Result<Vec<UndoReport>>) {
        if !matches!(self.busy, Some(Busy::Undoing)) {
            return;
        }
        self.busy = None;
        self.needs_redraw = true;
        match result {
            Ok(reports) => {
                let n_deleted: usize = reports.iter().map(|report| report.n_deleted).sum();
                let n_restored: usize = reports.iter().map(|report| report.n_restored).sum();
                let n_unlisted: usize = reports.iter().map(|report| report.n_do_not_email_removed).sum();
                let plural = |n: usize, noun: &str, plural: &str| format!("{n} {}", if n == 1 { noun } else { plural });
                self.notice = Some(Notice::info(format!(
                    "Import undone: {} deleted, {} restored, {} taken off the do-not-email list.",
                    plural(n_deleted, "contact", "contacts"),
                    n_restored,
                    plural(n_unlisted, "address", "addresses"),
                )));
                if matches!(self.screens.last(), Some(Screen::ImportResult(_))) {
                    self.screens.pop();
                }
                self.refresh_list();
            }
            Err(error) => self.notice = Some(Notice::error(format!("Could not undo the import: {error:#}"))),
        }
    }

    fn finish_import(&mut self, result: anyhow::Result<(ImportReport, Vec<i64>)>) {
        if !matches!(self.busy, Some(Busy::Importing))
            || !matches!(self.screens.last(), Some(Screen::ImportProgress(_)))
        {
            return;
        }
        self.busy = None;
        self.needs_redraw = true;
        let Some(Screen::ImportProgress(progress)) = self.screens.pop() else { return };
        match result {
            Ok((report, batch_ids)) => {
                let result = ImportResult::new(progress.label(), report, batch_ids, &self.store);
                self.screens.clear();
                self.push_screen(Screen::ImportResult(result));
                self.refresh_list();
            }
            Err(error) => {
                self.notice = Some(Notice::error(format!("Import failed, nothing was imported: {error:#}")));
                if let Some(previous) = progress.into_previous() {
                    self.push_screen(previous);
                }
            }
        }
    }

    fn undo_delete(&mut self) {
        let Some((contact_ids, name)) = self.last_deleted.take() else {
            self.notice = Some(Notice::info("Nothing to undo."));
            return;
        };
        match self.store.restore_contacts(&contact_ids) {
            Ok(()) => {
                self.refresh_list();
                self.notice = Some(Notice::info(format!("Restored {name}")));
            }
            Err(error) => self.notice = Some(Notice::error(format!("Could not restore {name}: {error}"))),
        }
    }

    /// After returning to a screen: a contact may have changed, or the list.
    fn refresh_shown_screen(&mut self) {
        let result = match self.screens.last_mut() {
            Some(Screen::ContactDetail(detail)) => detail.reload(&self.store),
            None => self.contact_list.refresh(&self.store),
            Some(_) => Ok(()),
        };
        if let Err(error) = result {
            self.notice = Some(Notice::error(format!("Could not read the contacts: {error}")));
        }
    }

    fn refresh_list(&mut self) {
        if let Err(error) = self.contact_list.refresh(&self.store) {
            self.notice = Some(Notice::error(format!("Could not read the contacts: {error}")));
        }
    }

    fn push_screen(&mut self, mut screen: Screen) {
        screen.set_viewport(AppLayout::new(self.area).body);
        self.screens.push(screen);
    }

    fn push_modal(&mut self, mut modal: Modal) {
        modal.set_viewport(AppLayout::new(self.area).body);
        self.modals.push(modal);
    }

    fn sync_viewports(&mut self) {
        let body = AppLayout::new(self.area).body;
        if let Err(error) = self.contact_list.set_viewport(body, &self.store) {
            self.notice = Some(Notice::error(format!("Could not read the contacts: {error}")));
        }
        for screen in &mut self.screens {
            screen.set_viewport(body);
        }
        for modal in &mut self.modals {
            modal.set_viewport(body);
        }
    }
}

/// The reports of several files as one: the counts added up, conflicts and ids together.
fn merged_report(reports: &[crate::import_job::CsvFileReport]) -> ImportReport {
    let mut merged = ImportReport::default();
    let mut lists = Vec::new();
    for file in reports {
        let report = &file.report;
        merged.batch_id = report.batch_id.or(merged.batch_id);
        merged.n_new += report.n_new;
        merged.n_updated += report.n_updated;
        merged.n_unchanged += report.n_unchanged;
        merged.n_no_email += report.n_no_email;
        merged.n_skipped += report.n_skipped;
        merged.n_invalid += report.n_invalid;
        merged.n_opted_out += report.n_opted_out;
        merged.n_bounced += report.n_bounced;
        merged.conflicts.extend(report.conflicts.iter().cloned());
        merged.contact_ids.extend(report.contact_ids.iter().copied());
        lists.extend(report.list.clone());
    }
    merged.list = (!lists.is_empty()).then(|| lists.join(", "));
    // Each file is an import of its own; `rolo imports` lists them all.
    if reports.len() > 1 {
        merged.batch_id = None;
    }
    merged
}

impl AppLayout {
    fn new(area: Rect) -> Self {
        let [body, status, footer] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1), Constraint::Length(1)]).areas(area);
        AppLayout { body, status, footer }
    }
}

#[cfg(test)]
mod scanner_tests;
#[cfg(test)]
mod tests;
