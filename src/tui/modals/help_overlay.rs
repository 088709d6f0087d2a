//! The `?` help: every binding of the context it was opened from, generated from `keymap.rs`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{ModalOutcome, centered, scrolled};
use crate::tui::action::Action;
use crate::tui::keymap::{KeyContext, bindings_for};

const KEYS_WIDTH: usize = 16;

pub struct HelpOverlay {
    context: KeyContext,
    scroll: usize,
    /// Lines that fit, as last told by `set_page`; for paging.
    page: usize,
}

impl HelpOverlay {
    pub fn new(context: KeyContext) -> Self {
        HelpOverlay { context, scroll: 0, page: 10 }
    }

    pub fn update(&mut self, action: Action) -> Option<ModalOutcome> {
        match action {
            Action::Back => Some(ModalOutcome::Close),
            _ => {
                self.scroll = scrolled(self.scroll, action, self.lines().len(), self.page);
                None
            }
        }
    }

    pub fn set_page(&mut self, area: Rect) {
        self.page = usize::from(popup(area, self.lines().len()).height.saturating_sub(2)).max(1);
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let lines = self.lines();
        let popup = popup(area, lines.len());
        frame.render_widget(Clear, popup);
        let title = format!(" Keys: {} ", self.context.title());
        let is_more_below = self.scroll + usize::from(popup.height.saturating_sub(2)) < lines.len();
        let bottom = if is_more_below { " ↓ more · Esc closes " } else { " Esc closes " };
        let block = Block::bordered().title(Line::from(title).bold()).title_bottom(Line::from(bottom).right_aligned());
        frame.render_widget(
            Paragraph::new(lines).block(block).scroll((u16::try_from(self.scroll).unwrap_or(u16::MAX), 0)),
            popup,
        );
    }

    fn lines(&self) -> Vec<Line<'static>> {
        bindings_for(self.context)
            .map(|binding| {
                let keys = format!(" {:<width$} ", binding.keys_text(), width = KEYS_WIDTH);
                Line::from(vec![
                    Span::styled(keys, Style::default().add_modifier(Modifier::BOLD)),
                    Span::raw(binding.description),
                ])
            })
            .collect()
    }
}

fn popup(area: Rect, n_lines: usize) -> Rect {
    let height = u16::try_from(n_lines).unwrap_or(u16::MAX).saturating_add(2);
    centered(area, area.width.saturating_sub(4).min(76), height.min(area.height.saturating_sub(2)))
}
