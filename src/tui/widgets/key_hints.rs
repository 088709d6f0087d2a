//! The footer: the key hints of the current context, generated from `keymap.rs`. When the
//! line is too narrow, later hints are dropped, but the help hint always stays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use crate::tui::keymap::Hint;

/// The footer line.
pub struct KeyHints {
    hints: Vec<Hint>,
}

impl KeyHints {
    pub fn new(hints: Vec<Hint>) -> Self {
        KeyHints { hints }
    }

    /// The hints that fit in `width` cells, in order, the help hint last.
    fn fitting(&self, width: usize) -> Vec<&Hint> {
        let cost = |hint: &Hint| hint.keys.width() + 1 + hint.text.width() + 2;
        let help = self.hints.iter().find(|hint| hint.is_help);
        let mut budget = width.saturating_sub(help.map_or(0, cost));
        let mut fitting = Vec::new();
        for hint in self.hints.iter().filter(|hint| !hint.is_help) {
            if cost(hint) > budget {
                break;
            }
            budget -= cost(hint);
            fitting.push(hint);
        }
        fitting.extend(help);
        fitting
    }
}

impl Widget for KeyHints {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        let key_style = Style::default().add_modifier(Modifier::BOLD);
        let text_style = Style::default().add_modifier(Modifier::DIM);
        let mut spans = vec![Span::raw(" ")];
        for hint in self.fitting(usize::from(area.width.saturating_sub(1))) {
            spans.push(Span::styled(hint.keys.clone(), key_style));
            spans.push(Span::styled(format!(" {}  ", hint.text), text_style));
        }
        Line::from(spans).render(area, buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{KeyContext, hints_for};

    #[test]
    fn narrow_footer_keeps_help() {
        let hints = KeyHints::new(hints_for(KeyContext::ContactList));
        let texts: Vec<&str> = hints.fitting(40).iter().map(|hint| hint.text).collect();
        assert_eq!(texts, ["open", "new", "edit", "help"]);
        let texts: Vec<&str> = hints.fitting(80).iter().map(|hint| hint.text).collect();
        assert_eq!(texts, ["open", "new", "edit", "delete", "search", "import", "scan", "help"]);
    }
}
