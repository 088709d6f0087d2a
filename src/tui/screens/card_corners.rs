//! The captured card's four corners over the frozen picture: the reader's while it reads,
//! then the user's to adjust (Tab picks a corner, arrows move it, Shift moves faster, `r`
//! resets to the detected ones) and Enter reads the card again with them.

use std::sync::Arc;

use image::RgbImage;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Transition;
use crate::capture::{Point, Quad};
use crate::model::sanitize_line;
use crate::tui::action::{Action, Nudge};
use crate::tui::widgets::camera_preview::{CameraPreview, ColorDepth, PreviewImage};

/// A step of an arrow key, as a share of the picture's longer side; Shift moves 8 times as far.
const STEP: f32 = 0.004;
const FAST_STEP: f32 = 0.032;

pub struct CardCorners {
    image: Arc<RgbImage>,
    preview: PreviewImage,
    depth: ColorDepth,
    /// What the reader detected, for `r`.
    detected: Option<Quad>,
    corners: Quad,
    /// The corner the arrows move: 0 top-left, then clockwise.
    selected: usize,
    /// The read under way, if any.
    reading: Option<u64>,
    /// Why the last read gave nothing.
    problem: Option<String>,
}

impl CardCorners {
    /// The corners screen for a captured frame, while the reader reads it (`request_id`).
    pub fn reading(image: Arc<RgbImage>, preview: PreviewImage, depth: ColorDepth, request_id: u64) -> CardCorners {
        let corners = default_corners(&image);
        CardCorners {
            image,
            preview,
            depth,
            detected: None,
            corners,
            selected: 0,
            reading: Some(request_id),
            problem: None,
        }
    }

    /// The corners screen to adjust corners that were used before.
    pub fn adjusting(image: Arc<RgbImage>, depth: ColorDepth, detected: Option<Quad>, corners: Quad) -> CardCorners {
        let preview = PreviewImage::of_frame(&image);
        CardCorners { image, preview, depth, detected, corners, selected: 0, reading: None, problem: None }
    }

    pub fn image(&self) -> &Arc<RgbImage> {
        &self.image
    }

    /// True while `request_id` is the read this screen waits for.
    pub fn is_awaiting(&self, request_id: u64) -> bool {
        self.reading == Some(request_id)
    }

    /// The read failed: the user places the corners by hand (or goes back to scan again).
    pub fn read_failed(&mut self, message: String, detected: Option<Quad>) {
        self.reading = None;
        self.problem = Some(message);
        if let Some(detected) = detected {
            self.detected = Some(detected);
            self.corners = detected;
        }
    }

    pub fn update(&mut self, action: Action, request_id: impl FnOnce() -> u64) -> Option<Transition> {
        if self.reading.is_none()
            && matches!(
                action,
                Action::NextField | Action::PreviousField | Action::MoveCorner(_) | Action::ResetCorners
            )
        {
            // The user is on it: the hint for moving replaces the problem.
            self.problem = None;
        }
        match action {
            Action::Back => return Some(Transition::LeaveCard),
            _ if self.reading.is_some() => return None,
            Action::NextField => self.selected = (self.selected + 1) % 4,
            Action::PreviousField => self.selected = (self.selected + 3) % 4,
            Action::MoveCorner(nudge) => self.nudge(nudge),
            Action::ResetCorners => self.corners = self.detected.unwrap_or_else(|| default_corners(&self.image)),
            Action::Submit => {
                if !self.corners.is_proper() {
                    self.problem = Some("These corners cross: move them back into a card shape.".to_string());
                    return None;
                }
                let id = request_id();
                self.reading = Some(id);
                self.problem = None;
                return Some(Transition::ReadCard {
                    request_id: id,
                    image: Arc::clone(&self.image),
                    corners: Some(self.corners),
                });
            }
            _ => (),
        }
        None
    }

    fn nudge(&mut self, nudge: Nudge) {
        let (width, height) = self.image.dimensions();
        let step = if nudge.is_fast { FAST_STEP } else { STEP } * width.max(height) as f32;
        let corner = &mut self.corners.corners[self.selected];
        // A corner may sit a little outside the picture, as a card's may.
        let margin = 0.1 * width.max(height) as f32;
        corner.x = (corner.x + f32::from(nudge.dx) * step).clamp(-margin, width as f32 + margin);
        corner.y = (corner.y + f32::from(nudge.dy) * step).clamp(-margin, height as f32 + margin);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let block = Block::bordered().title(Line::from(" Card corners ").bold());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [picture_area, status_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(inner);
        let outline: Vec<(f32, f32)> = self.corners.corners.iter().map(|corner| (corner.x, corner.y)).collect();
        frame.render_widget(
            CameraPreview::new(Some(&self.preview), self.depth)
                .without_guide()
                .outline(Some(&outline))
                .quad_edges(true)
                .selected_corner(self.reading.is_none().then_some(self.selected)),
            picture_area,
        );
        let names = ["top-left", "top-right", "bottom-right", "bottom-left"];
        let status = match (&self.reading, &self.problem) {
            (Some(_), _) => Line::from(" Reading the card…".to_string()).green(),
            (None, Some(problem)) => Line::from(format!(" {}", sanitize_line(problem))).style(Style::new().red()),
            (None, None) => Line::from(format!(
                " Moving the {} corner. Enter reads the card inside these corners.",
                names[self.selected]
            )),
        };
        let help =
            Line::from(" Tab: next corner · arrows move it (Shift: faster) · r: detected corners · Esc: scan again")
                .italic();
        frame.render_widget(Paragraph::new(vec![status, help]).wrap(Wrap { trim: true }), status_area);
    }
}

/// A card-shaped guess in the middle of the picture, for when none was detected.
fn default_corners(image: &RgbImage) -> Quad {
    let (width, height) = (image.width() as f32, image.height() as f32);
    let (left, right, top, bottom) = (width * 0.15, width * 0.85, height * 0.15, height * 0.85);
    Quad::new([Point::new(left, top), Point::new(right, top), Point::new(right, bottom), Point::new(left, bottom)])
}
