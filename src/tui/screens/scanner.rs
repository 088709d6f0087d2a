//! The scanner: the live picture from the camera (or an image file, a folder, a replay) with
//! a centering guide, what the decoder makes of it and the frames per second. When a frame
//! holds a code the picture freezes, the terminal beeps and the guide flashes, and the review
//! opens; after saving, Space scans the next code.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Transition;
use crate::capture::{SourceSpec, is_image_file_name};
use crate::extract::card::guide::Guidance;
use crate::extract::qr::{PayloadKind, Scan, ScannedCode};
use crate::model::sanitize_line;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::path_completion::{complete, resolve};
use crate::tui::widgets::camera_preview::{CameraPreview, GraphicsFrame, PictureCells, PreviewImage, PreviewMode};
use crate::tui::widgets::status_line::Notice;
use crate::tui::widgets::text_field::TextField;
use crate::tui::workers::scanner::ScannerNews;

/// How many ticks the guide flashes after a code was found.
const FLASH_TICKS: u8 = 4;

pub struct Scanner {
    session_id: u64,
    source: SourceSpec,
    /// Where typed paths start.
    base_dir: PathBuf,
    mode: PreviewMode,
    /// The cells of the picture, for the worker that encodes graphics.
    cells: PictureCells,
    /// The source's own description, once it is open.
    description: Option<String>,
    state: ScannerState,
    preview: Option<PreviewImage>,
    graphics: Option<GraphicsFrame>,
    fps: Option<f32>,
    /// The newest decode: how long it took and what it found.
    last_decode: Option<(Duration, usize)>,
    /// The scan whose code is under review (or was just reviewed).
    found: Option<Scan>,
    /// The last unreadable image of a folder or replay.
    skipped: Option<String>,
    flash_ticks: u8,
    /// Typing the path of an image file or folder to scan instead.
    path_input: Option<PathInput>,
    /// What the card guide saw last: the card's corners, hints and measures.
    guidance: Option<Box<Guidance>>,
    auto_capture: bool,
}

struct PathInput {
    input: TextField,
    completions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ScannerState {
    Opening,
    Scanning,
    /// A code was found; the session is paused until Space.
    Found,
    /// A card was captured and is being read or reviewed; paused until Space.
    Captured,
    /// Paused by the user.
    Paused,
    /// The source cannot deliver frames.
    Failed(String),
    /// The source has no more frames.
    Finished,
}

impl Scanner {
    pub fn new(session_id: u64, source: SourceSpec, base_dir: &Path, mode: PreviewMode) -> Scanner {
        Scanner {
            session_id,
            source,
            base_dir: base_dir.to_path_buf(),
            mode,
            cells: PictureCells::default(),
            graphics: None,
            description: None,
            state: ScannerState::Opening,
            preview: None,
            fps: None,
            last_decode: None,
            found: None,
            skipped: None,
            flash_ticks: 0,
            path_input: None,
            guidance: None,
            auto_capture: true,
        }
    }

    pub fn auto_capture(&self) -> bool {
        self.auto_capture
    }

    pub fn set_auto_capture(&mut self, is_on: bool) {
        self.auto_capture = is_on;
    }

    pub fn session_id(&self) -> u64 {
        self.session_id
    }

    /// What the scanner's workers need to make previews for this screen.
    pub fn preview_target(&self) -> (PreviewMode, PictureCells) {
        (self.mode.clone(), self.cells.clone())
    }

    /// The picture gets what the border and the status lines leave.
    pub fn set_viewport(&mut self, viewport: Rect) {
        self.cells.set(viewport.width.saturating_sub(2), viewport.height.saturating_sub(2 + 2));
    }

    pub fn key_context(&self) -> KeyContext {
        if self.path_input.is_some() { KeyContext::ScannerPath } else { KeyContext::Scanner }
    }

    /// True while the guide flashes: the app keeps ticking for it.
    pub fn is_flashing(&self) -> bool {
        self.flash_ticks > 0
    }

    pub fn tick(&mut self) {
        self.flash_ticks = self.flash_ticks.saturating_sub(1);
    }

    /// Takes news from the scanner's workers. Returns a scan that holds a code, or a card
    /// capture: the app then opens the review.
    pub fn apply(&mut self, news: ScannerNews) -> Option<Found> {
        match news {
            ScannerNews::Guidance(guidance) => {
                if matches!(self.state, ScannerState::Scanning | ScannerState::Finished) {
                    self.guidance = Some(guidance);
                }
            }
            ScannerNews::Captured { frame, frozen } => {
                self.preview = Some(frozen.clone());
                self.graphics = None;
                self.state = ScannerState::Captured;
                self.flash_ticks = FLASH_TICKS;
                return Some(Found::Card { frame, frozen });
            }
            ScannerNews::Started { description } => {
                self.description = Some(description);
                if self.state == ScannerState::Opening {
                    self.state = ScannerState::Scanning;
                }
            }
            ScannerNews::Preview { preview, graphics, fps } => {
                if matches!(self.state, ScannerState::Scanning | ScannerState::Opening) {
                    self.preview = Some(preview);
                    self.graphics = graphics;
                    self.fps = fps;
                    self.state = ScannerState::Scanning;
                }
            }
            ScannerNews::Scanned { scan, frozen } => {
                self.last_decode = Some((scan.elapsed, scan.codes.len()));
                if !scan.codes.is_empty() && self.state != ScannerState::Found {
                    // Show the very frame the code was read from.
                    if frozen.is_some() {
                        self.preview = frozen;
                    }
                    self.state = ScannerState::Found;
                    self.flash_ticks = FLASH_TICKS;
                    self.found = Some(scan.clone());
                    return Some(Found::Code(scan));
                }
            }
            ScannerNews::Skipped(message) => self.skipped = Some(message),
            ScannerNews::Failed(message) => self.state = ScannerState::Failed(message),
            ScannerNews::Finished => {
                if matches!(self.state, ScannerState::Scanning | ScannerState::Opening) {
                    self.state = ScannerState::Finished;
                }
            }
        }
        None
    }

    pub fn update(&mut self, action: Action) -> Option<Transition> {
        if let Some(path_input) = &mut self.path_input {
            match action {
                Action::EditText(edit) => {
                    path_input.input.apply(edit);
                    path_input.completions.clear();
                }
                Action::CompletePath => {
                    let completion = complete(path_input.input.text(), &self.base_dir);
                    path_input.input.set_text(completion.text);
                    path_input.completions = completion.candidates;
                }
                Action::Submit => {
                    let typed = path_input.input.text().trim().to_string();
                    return match self.source_for_path(&typed) {
                        Ok(source) => {
                            self.path_input = None;
                            Some(Transition::RestartScanner(source))
                        }
                        Err(message) => Some(Transition::Notice(Notice::error(message))),
                    };
                }
                Action::Back => self.path_input = None,
                _ => (),
            }
            return None;
        }
        match action {
            Action::Back => Some(Transition::StopScanner),
            Action::OpenScanPath => {
                self.path_input = Some(PathInput { input: TextField::default(), completions: Vec::new() });
                None
            }
            Action::ToggleAutoCapture => {
                self.auto_capture = !self.auto_capture;
                Some(Transition::SetAutoCapture(self.auto_capture))
            }
            Action::Pause => match &self.state {
                ScannerState::Scanning => {
                    self.state = ScannerState::Paused;
                    Some(Transition::PauseScanner(true))
                }
                ScannerState::Paused => {
                    self.state = ScannerState::Scanning;
                    Some(Transition::PauseScanner(false))
                }
                _ => None,
            },
            Action::ToggleSelected => match &self.state {
                // Space takes the picture as it is: a card capture.
                ScannerState::Scanning if self.preview.is_some() => Some(Transition::CaptureCard),
                ScannerState::Scanning => None,
                ScannerState::Finished if self.preview.is_some() => Some(Transition::CaptureCard),
                ScannerState::Paused | ScannerState::Found | ScannerState::Captured => {
                    self.state = ScannerState::Scanning;
                    self.found = None;
                    Some(Transition::PauseScanner(false))
                }
                // An image file or folder that was read to the end: read it again.
                ScannerState::Finished | ScannerState::Failed(_) => {
                    self.found = None;
                    Some(Transition::RestartScanner(self.source.clone()))
                }
                ScannerState::Opening => None,
            },
            Action::Submit => self.found.clone().map(Transition::ReviewScan),
            _ => None,
        }
    }

    /// A new source replaces the old one: the app starts a new session for it.
    pub fn restart(&mut self, session_id: u64, source: SourceSpec) {
        let cells = self.cells.clone();
        let auto_capture = self.auto_capture;
        *self = Scanner::new(session_id, source, &self.base_dir, self.mode.clone());
        self.cells = cells;
        self.auto_capture = auto_capture;
    }

    /// After the review saved the contact: the next Space scans again.
    pub fn mark_saved(&mut self) {
        self.found = None;
    }

    /// Back from a card review that was left without saving: scanning goes on.
    pub fn resume(&mut self) -> bool {
        if matches!(self.state, ScannerState::Captured | ScannerState::Found) {
            self.state = ScannerState::Scanning;
            self.found = None;
            return true;
        }
        false
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let title = match &self.description {
            Some(description) => format!(" Scan a card or a QR code · {} ", sanitize_line(description)),
            None => " Scan a card or a QR code ".to_string(),
        };
        let block = Block::bordered().title(Line::from(title).bold());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let input_height = if self.path_input.is_some() { 3 } else { 0 };
        let [picture_area, status_area, input_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(2), Constraint::Length(input_height)])
                .areas(inner);
        let guide_color = if self.flash_ticks % 2 == 1 {
            Color::White
        } else if self.state == ScannerState::Found {
            Color::LightGreen
        } else {
            Color::Yellow
        };
        let code_outline: Option<Vec<(f32, f32)>> = match (&self.state, &self.found) {
            (ScannerState::Found, Some(scan)) => {
                scan.codes.first().map(|scanned| scanned.code.corners.iter().map(|point| (point.x, point.y)).collect())
            }
            _ => None,
        };
        let card_outline: Option<Vec<(f32, f32)>> = self
            .guidance
            .as_ref()
            .filter(|_| matches!(self.state, ScannerState::Scanning | ScannerState::Finished | ScannerState::Captured))
            .and_then(|guidance| guidance.card)
            .map(|card| card.corners.iter().map(|corner| (corner.x, corner.y)).collect());
        let is_card = code_outline.is_none() && card_outline.is_some();
        frame.render_widget(
            CameraPreview::new(self.preview.as_ref(), self.mode.depth())
                .graphics(self.graphics.as_ref())
                .outline(code_outline.as_deref().or(card_outline.as_deref()))
                .quad_edges(is_card)
                .guide_color(guide_color),
            picture_area,
        );
        frame.render_widget(Paragraph::new(self.status_lines()).wrap(Wrap { trim: true }), status_area);
        if let Some(path_input) = &self.path_input {
            self.render_path_input(frame, input_area, path_input);
        }
    }

    fn status_lines(&self) -> Vec<Line<'static>> {
        let status: Span<'static> = match &self.state {
            ScannerState::Opening => Span::raw("Opening the camera…"),
            ScannerState::Scanning if self.preview.is_none() => Span::raw("Waiting for the first frame…"),
            ScannerState::Scanning => Span::raw(
                "Hold a QR code inside the guide, or a business card to fill the picture: Space captures the card.",
            ),
            ScannerState::Captured => {
                Span::styled("Card captured. Space scans the next card or code.", Style::new().green())
            }
            ScannerState::Paused => Span::raw("Paused. Space goes on."),
            ScannerState::Found => {
                let what = self.found.as_ref().and_then(|scan| scan.codes.first()).map_or_else(String::new, describe);
                Span::styled(format!("Found: {what}. Enter reviews it, Space scans the next."), Style::new().green())
            }
            ScannerState::Failed(message) => Span::styled(sanitize_line(message), Style::new().red()),
            ScannerState::Finished => {
                let what = match self.last_decode {
                    Some((_, 0)) => "No code found in this picture",
                    _ => "No more pictures",
                };
                Span::raw(format!("{what}. Space reads it as a business card, o opens another file or folder."))
            }
        };
        let mut details = Vec::new();
        if matches!(self.state, ScannerState::Failed(_)) {
            details.push("o opens an image file or a folder of pictures instead".to_string());
        }
        if let Some(guidance) = self.guidance.as_ref().filter(|_| self.state == ScannerState::Scanning) {
            let hints: Vec<&str> = guidance.hints.iter().map(|hint| hint.text()).collect();
            details.push(format!(
                "card: {} (sharpness {:.0}, light {:.0}, glare {:.1}%)",
                hints.join(", "),
                guidance.quality.sharpness,
                guidance.quality.brightness,
                guidance.quality.glare * 100.0
            ));
        }
        details.push(format!("auto-capture {}", if self.auto_capture { "on" } else { "off" }));
        if let Some(fps) = self.fps.filter(|_| self.state == ScannerState::Scanning) {
            details.push(format!("{fps:.0} fps"));
        }
        if let Some((elapsed, n_codes)) = self.last_decode {
            let found = if n_codes == 0 { "no code".to_string() } else { format!("{n_codes} code(s)") };
            details.push(format!("decoded in {} ms: {found}", elapsed.as_millis()));
        }
        if let Some(skipped) = &self.skipped {
            details.push(format!("skipped: {}", sanitize_line(skipped)));
        }
        vec![Line::from(vec![Span::raw(" "), status]), Line::from(format!(" {}", details.join(" · "))).italic()]
    }

    fn render_path_input(&self, frame: &mut Frame, area: Rect, path_input: &PathInput) {
        let [input_line, help_line, completions_line] = Layout::vertical([Constraint::Length(1); 3]).areas(area);
        let label = " Image file or folder: ";
        let [label_area, field_area] =
            Layout::horizontal([Constraint::Length(label.len() as u16), Constraint::Fill(1)]).areas(input_line);
        frame.render_widget(Span::styled(label, Style::default().add_modifier(Modifier::BOLD)), label_area);
        path_input.input.render(frame, field_area, Style::default().add_modifier(Modifier::UNDERLINED), true);
        frame.render_widget(
            Paragraph::new(" Enter scans it (a folder: every picture in name order) · Tab completes · Esc cancels")
                .italic(),
            help_line,
        );
        let names = path_input.completions.iter().map(|name| sanitize_line(name)).collect::<Vec<_>>().join("  ");
        frame.render_widget(Paragraph::new(format!(" {names}")), completions_line);
    }

    fn source_for_path(&self, typed: &str) -> Result<SourceSpec, String> {
        if typed.is_empty() {
            return Err("Type the path of an image file or a folder of pictures (Tab completes).".to_string());
        }
        let path = resolve(typed, &self.base_dir);
        if path.is_dir() {
            Ok(SourceSpec::Folder { path, is_watched: true })
        } else if path.is_file() {
            if !is_image_file_name(&path) {
                return Err(format!("{typed} is not a picture rolo reads (JPEG, PNG, WebP, BMP, GIF, TIFF)."));
            }
            Ok(SourceSpec::ImageFile(path))
        } else {
            Err(format!("No such file or folder: {typed}"))
        }
    }
}

/// What the scanner found for the app to review.
#[derive(Debug)]
pub enum Found {
    Code(Scan),
    /// A card capture, with the preview the scanner's worker made of it.
    Card {
        frame: crate::capture::Frame,
        frozen: PreviewImage,
    },
}

/// "QR code with a contact card", for the status line.
pub fn describe(scanned: &ScannedCode) -> String {
    let what = match scanned.payload.kind() {
        PayloadKind::AddressBook => "a contact card",
        PayloadKind::EmailAddress => "an email address",
        PayloadKind::Tel => "a phone number",
        PayloadKind::Uri => "a web address",
        PayloadKind::Text => "text",
    };
    format!("{} with {what}", scanned.code.format.label())
}
