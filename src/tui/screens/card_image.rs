//! A contact's business card picture, as it was straightened when the card was scanned.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::Transition;
use crate::model::sanitize_line;
use crate::tui::action::Action;
use crate::tui::widgets::camera_preview::{CameraPreview, ColorDepth, PreviewImage};

pub struct CardImageView {
    name: String,
    preview: PreviewImage,
    depth: ColorDepth,
    /// "1 of 2 · scanned 2026-11-21 10:04".
    caption: String,
}

impl CardImageView {
    pub fn new(name: &str, preview: PreviewImage, depth: ColorDepth, caption: String) -> CardImageView {
        CardImageView { name: sanitize_line(name), preview, depth, caption }
    }

    pub fn update(&mut self, action: Action) -> Option<Transition> {
        (action == Action::Back).then_some(Transition::Back)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let block = Block::bordered().title(Line::from(format!(" Business card of {} ", self.name)).bold());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [picture, caption] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
        frame.render_widget(CameraPreview::new(Some(&self.preview), self.depth).without_guide(), picture);
        frame.render_widget(Paragraph::new(format!(" {}", self.caption)).italic(), caption);
    }
}
