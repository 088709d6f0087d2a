//! A one-line text field: the text, a caret, and the edits of `TextEdit`. Rendering shows the
//! sanitized text scrolled so that the caret stays visible.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use unicode_width::UnicodeWidthChar;

use crate::model::sanitize_line;
use crate::tui::action::TextEdit;

/// The text being typed and where the caret is (a char index).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    caret: usize,
}

impl TextField {
    /// A field holding `text`, with the caret at its end.
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let caret = text.chars().count();
        TextField { text, caret }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Replaces the text and puts the caret at its end.
    pub fn set_text(&mut self, text: impl Into<String>) {
        *self = TextField::new(text);
    }

    pub fn apply(&mut self, edit: TextEdit) {
        let n_chars = self.text.chars().count();
        match edit {
            TextEdit::Insert(character) => {
                let at = self.byte_index(self.caret);
                self.text.insert(at, character);
                self.caret += 1;
            }
            TextEdit::DeleteBackward if self.caret > 0 => {
                let at = self.byte_index(self.caret - 1);
                self.text.remove(at);
                self.caret -= 1;
            }
            TextEdit::DeleteForward if self.caret < n_chars => {
                let at = self.byte_index(self.caret);
                self.text.remove(at);
            }
            TextEdit::DeleteWordBackward => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.caret;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                let (from, to) = (self.byte_index(start), self.byte_index(self.caret));
                self.text.replace_range(from..to, "");
                self.caret = start;
            }
            TextEdit::Clear => self.set_text(""),
            TextEdit::Left => self.caret = self.caret.saturating_sub(1),
            TextEdit::Right => self.caret = (self.caret + 1).min(n_chars),
            TextEdit::Home => self.caret = 0,
            TextEdit::End => self.caret = n_chars,
            TextEdit::DeleteBackward | TextEdit::DeleteForward => (),
        }
    }

    /// The part of the text that fits in `width` cells, and the caret's column in it.
    /// Control characters are dropped and newlines shown as spaces.
    pub fn visible(&self, width: u16) -> (String, u16) {
        let width = usize::from(width.max(1));
        let cells: Vec<(String, usize)> = self
            .text
            .chars()
            .map(|character| {
                let shown = sanitize_line(&character.to_string());
                let cell_width = shown.chars().map(|shown| shown.width().unwrap_or(0)).sum();
                (shown, cell_width)
            })
            .collect();
        let caret_column: usize = cells[..self.caret.min(cells.len())].iter().map(|(_, cell_width)| cell_width).sum();
        // Scroll so that the caret (one cell after the text before it) stays inside the field.
        let mut first = 0;
        let mut scrolled = 0;
        while caret_column.saturating_sub(scrolled) >= width && first < cells.len() {
            scrolled += cells[first].1;
            first += 1;
        }
        let mut shown = String::new();
        let mut used = 0;
        for (text, cell_width) in &cells[first..] {
            if used + cell_width > width {
                break;
            }
            shown.push_str(text);
            used += cell_width;
        }
        (shown, caret_column.saturating_sub(scrolled) as u16)
    }

    /// Draws the field; a focused field gets the terminal cursor at its caret.
    pub fn render(&self, frame: &mut Frame, area: Rect, style: Style, is_focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let (shown, caret_column) = self.visible(area.width);
        frame.render_widget(Span::styled(shown, style), area);
        if is_focused {
            frame.set_cursor_position((area.x + caret_column.min(area.width - 1), area.y));
        }
    }

    fn byte_index(&self, char_index: usize) -> usize {
        self.text.char_indices().nth(char_index).map_or(self.text.len(), |(index, _)| index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> TextField {
        let mut field = TextField::default();
        for character in text.chars() {
            field.apply(TextEdit::Insert(character));
        }
        field
    }

    #[test]
    fn edits_at_the_caret() {
        let mut field = typed("Ada Lovlace");
        for edit in [TextEdit::Left, TextEdit::Left, TextEdit::Left, TextEdit::Left, TextEdit::Insert('e')] {
            field.apply(edit);
        }
        assert_eq!(field.text(), "Ada Lovelace");
        field.apply(TextEdit::End);
        field.apply(TextEdit::DeleteWordBackward);
        assert_eq!(field.text(), "Ada ");
        field.apply(TextEdit::Home);
        field.apply(TextEdit::DeleteForward);
        field.apply(TextEdit::DeleteBackward);
        assert_eq!(field.text(), "da ");
        field.apply(TextEdit::Clear);
        assert!(field.is_empty());
    }

    #[test]
    fn visible_part_follows_the_caret_and_hides_controls() {
        let field = typed("abcdefghij");
        assert_eq!(field.visible(5), ("ghij".to_string(), 4));
        let mut field = typed("abcdefghij");
        field.apply(TextEdit::Home);
        assert_eq!(field.visible(5), ("abcde".to_string(), 0));
        let field = TextField::new("Ada\u{1b}[2J");
        assert_eq!(field.visible(20), ("Ada[2J".to_string(), 6));
    }
}
