//! Dialogs drawn over the screen: questions, the `?` help and message lists (warnings,
//! conflicts). The top modal gets the keys first.

pub mod confirm_dialog;
pub mod help_overlay;
pub mod message_list;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Action;
use super::keymap::KeyContext;
use confirm_dialog::{ConfirmDialog, ConfirmIntent};
use help_overlay::HelpOverlay;
use message_list::MessageList;

pub enum Modal {
    Confirm(ConfirmDialog),
    Help(HelpOverlay),
    Messages(MessageList),
}

/// What a modal asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModalOutcome {
    Close,
    /// A question was answered; the dialog closes.
    Answer {
        intent: ConfirmIntent,
        is_yes: bool,
        list_name: Option<String>,
    },
}

impl Modal {
    pub fn key_context(&self) -> KeyContext {
        match self {
            Modal::Confirm(dialog) => dialog.key_context(),
            Modal::Help(_) => KeyContext::Help,
            Modal::Messages(_) => KeyContext::Messages,
        }
    }

    pub fn update(&mut self, action: Action) -> Option<ModalOutcome> {
        match self {
            Modal::Confirm(dialog) => dialog.update(action),
            Modal::Help(help) => help.update(action),
            Modal::Messages(messages) => messages.update(action),
        }
    }

    /// Tells a scrolling modal how much room it has.
    pub fn set_viewport(&mut self, area: Rect) {
        match self {
            Modal::Confirm(_) => (),
            Modal::Help(help) => help.set_page(area),
            Modal::Messages(messages) => messages.set_page(area),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        match self {
            Modal::Confirm(dialog) => dialog.render(frame, area),
            Modal::Help(help) => help.render(frame, area),
            Modal::Messages(messages) => messages.render(frame, area),
        }
    }
}

/// A box of `width` × `height` cells centred in `area`, shrunk to fit.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// Scrolling shared by the help and message lists: returns the new first line.
pub fn scrolled(scroll: usize, action: Action, n_lines: usize, page: usize) -> usize {
    let max_scroll = n_lines.saturating_sub(page);
    match action {
        Action::Up => scroll.saturating_sub(1),
        Action::Down => (scroll + 1).min(max_scroll),
        Action::PageUp => scroll.saturating_sub(page),
        Action::PageDown => (scroll + page).min(max_scroll),
        Action::Home => 0,
        Action::End => max_scroll,
        _ => scroll,
    }
}
