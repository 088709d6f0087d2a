//! The status line above the footer: a spinner while a worker runs, else the latest notice
//! (a result or an error). Notices are sanitized here, since errors quote file names.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::model::sanitize_line;

const SPINNER_FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// A short sentence about what just happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// What the status line shows.
pub struct StatusLine<'a> {
    pub notice: Option<&'a Notice>,
    /// What a worker is doing, and how many ticks it has been at it.
    pub busy: Option<(&'a str, usize)>,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Notice { text: text.into(), is_error: false }
    }

    pub fn error(text: impl Into<String>) -> Self {
        Notice { text: text.into(), is_error: true }
    }
}

impl Widget for StatusLine<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        let line = match (self.busy, self.notice) {
            (Some((label, tick)), _) => Line::from(vec![
                Span::styled(
                    format!(" {} ", SPINNER_FRAMES[tick % SPINNER_FRAMES.len()]),
                    Style::default().fg(Color::Cyan),
                ),
                Span::raw(sanitize_line(label)),
            ]),
            (None, Some(notice)) if notice.is_error => Line::from(Span::styled(
                format!(" {}", sanitize_line(&notice.text)),
                Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            )),
            (None, Some(notice)) => {
                Line::from(Span::styled(format!(" {}", sanitize_line(&notice.text)), Style::default().fg(Color::Green)))
            }
            (None, None) => Line::default(),
        };
        line.render(area, buffer);
    }
}
