//! A yes/no question. The import's question also takes an optional list name that the
//! imported contacts are added to.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Wrap};

use super::{ModalOutcome, centered};
use crate::model::sanitize_line;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::widgets::text_field::TextField;

/// What a yes means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmIntent {
    LoadDemo,
    Import,
    DiscardEdits,
    UndoImport,
}

pub struct ConfirmDialog {
    question: String,
    intent: ConfirmIntent,
    /// Only the import asks for a list name.
    list_name: Option<TextField>,
    /// What happens without a typed list name, e.g. "a list named after each file".
    default_list: Option<String>,
    is_naming_list: bool,
}

impl ConfirmDialog {
    pub fn new(question: impl Into<String>, intent: ConfirmIntent) -> Self {
        ConfirmDialog { question: question.into(), intent, list_name: None, default_list: None, is_naming_list: false }
    }

    /// "Import 12 contacts? y/n", with a list name to type after `l`.
    pub fn import(n_selected: usize) -> Self {
        let noun = if n_selected == 1 { "contact" } else { "contacts" };
        ConfirmDialog {
            list_name: Some(TextField::default()),
            ..ConfirmDialog::new(format!("Import {n_selected} {noun}? y/n"), ConfirmIntent::Import)
        }
    }

    /// Like `import`, for an import that puts its contacts on a list of its own unless the
    /// user types another name.
    pub fn import_with_default_list(n_selected: usize, default_list: impl Into<String>) -> Self {
        ConfirmDialog { default_list: Some(default_list.into()), ..ConfirmDialog::import(n_selected) }
    }

    pub fn key_context(&self) -> KeyContext {
        match (&self.list_name, self.is_naming_list) {
            (Some(_), true) => KeyContext::ListName,
            (Some(_), false) => KeyContext::ConfirmImport,
            (None, _) => KeyContext::Confirm,
        }
    }

    pub fn update(&mut self, action: Action) -> Option<ModalOutcome> {
        if self.is_naming_list {
            let field = self.list_name.as_mut()?;
            match action {
                Action::EditText(edit) => field.apply(edit),
                Action::Submit => self.is_naming_list = false,
                Action::Back => {
                    field.set_text("");
                    self.is_naming_list = false;
                }
                _ => (),
            }
            return None;
        }
        let answer = |is_yes: bool| {
            let list_name =
                self.list_name.as_ref().map(|field| field.text().trim().to_string()).filter(|name| !name.is_empty());
            Some(ModalOutcome::Answer { intent: self.intent, is_yes, list_name: list_name.filter(|_| is_yes) })
        };
        match action {
            Action::Yes => answer(true),
            Action::No => answer(false),
            Action::NameList if self.list_name.is_some() => {
                self.is_naming_list = true;
                None
            }
            _ => None,
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let width = area.width.saturating_sub(4).clamp(20, 70);
        let height = if self.list_name.is_some() { 7 } else { 5 };
        let popup = centered(area, width, height);
        frame.render_widget(Clear, popup);
        let block = Block::bordered().title(Line::from(" Question ").bold()).padding(Padding::horizontal(1));
        let inner = block.inner(popup);
        frame.render_widget(block, popup);
        let question = Paragraph::new(sanitize_line(&self.question)).wrap(Wrap { trim: true });
        frame.render_widget(question, Rect { height: inner.height.min(2), ..inner });
        let Some(field) = &self.list_name else { return };
        if inner.height < 4 {
            return;
        }
        let line_area = Rect { y: inner.y + 3, height: 1, ..inner };
        let label = "Add to list: ";
        frame.render_widget(Span::styled(label, Style::default().add_modifier(Modifier::BOLD)), line_area);
        let field_area = Rect {
            x: line_area.x + label.len() as u16,
            width: line_area.width.saturating_sub(label.len() as u16),
            ..line_area
        };
        if self.is_naming_list || !field.is_empty() {
            field.render(frame, field_area, Style::default().add_modifier(Modifier::UNDERLINED), self.is_naming_list);
        } else {
            frame.render_widget(
                Span::styled(
                    match &self.default_list {
                        Some(default_list) => format!("({}; l to type another)", sanitize_line(default_list)),
                        None => "(none; l to type a list name)".to_string(),
                    },
                    Style::default().add_modifier(Modifier::DIM),
                ),
                field_area,
            );
        }
    }
}
