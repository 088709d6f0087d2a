//! A scrollable list of messages from outside (parse warnings, import conflicts).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{ModalOutcome, centered, scrolled};
use crate::model::sanitize_line;
use crate::tui::action::Action;

pub struct MessageList {
    title: String,
    messages: Vec<String>,
    scroll: usize,
    page: usize,
}

impl MessageList {
    pub fn new(title: impl Into<String>, messages: Vec<String>) -> Self {
        MessageList { title: title.into(), messages, scroll: 0, page: 10 }
    }

    pub fn update(&mut self, action: Action) -> Option<ModalOutcome> {
        match action {
            Action::Back => Some(ModalOutcome::Close),
            _ => {
                self.scroll = scrolled(self.scroll, action, self.messages.len(), self.page);
                None
            }
        }
    }

    pub fn set_page(&mut self, area: Rect) {
        self.page = usize::from(popup(area, self.messages.len()).height.saturating_sub(2)).max(1);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let popup = popup(area, self.messages.len());
        frame.render_widget(Clear, popup);
        let title = format!(" {} ({}) ", sanitize_line(&self.title), self.messages.len());
        let is_more_below = self.scroll + usize::from(popup.height.saturating_sub(2)) < self.messages.len();
        let bottom = if is_more_below { " ↓ more · Esc closes " } else { " Esc closes " };
        let block = Block::bordered().title(Line::from(title).bold()).title_bottom(Line::from(bottom).right_aligned());
        let lines: Vec<Line> =
            self.messages.iter().map(|message| Line::from(format!(" {}", sanitize_line(message)))).collect();
        frame.render_widget(
            Paragraph::new(lines).block(block).scroll((u16::try_from(self.scroll).unwrap_or(u16::MAX), 0)),
            popup,
        );
    }
}

fn popup(area: Rect, n_lines: usize) -> Rect {
    let height = u16::try_from(n_lines).unwrap_or(u16::MAX).saturating_add(2);
    centered(area, area.width.saturating_sub(4), height.min(area.height.saturating_sub(2)))
}
