//! The import running in a worker: a gauge fed by progress events. The screen the import
//! started from (the picker, or the CSV preview) is kept so that a failed import returns to
//! it with nothing lost.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Gauge, Paragraph};

use super::Screen;
use crate::model::sanitize_line;

pub struct ImportProgress {
    label: String,
    n_done: usize,
    n_total: usize,
    previous: Option<Box<Screen>>,
}

impl ImportProgress {
    pub fn new(label: impl Into<String>, n_total: usize, previous: Option<Screen>) -> Self {
        ImportProgress { label: label.into(), n_done: 0, n_total, previous: previous.map(Box::new) }
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn set_progress(&mut self, n_done: usize, n_total: usize) {
        self.n_done = n_done.min(n_total);
        self.n_total = n_total;
    }

    /// The screen the import started from, to go back to after a failure.
    pub fn into_previous(self) -> Option<Screen> {
        self.previous.map(|screen| *screen)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let block = Block::bordered().title(Line::from(format!(" Importing {} ", sanitize_line(&self.label))).bold());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [_, gauge_area, _, note_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let ratio = if self.n_total == 0 { 0.0 } else { self.n_done as f64 / self.n_total as f64 };
        let gauge = Gauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(format!("{} of {}", self.n_done, self.n_total))
            .gauge_style(Style::default().fg(Color::Cyan));
        frame.render_widget(gauge, gauge_area.inner(ratatui::layout::Margin { horizontal: 2, vertical: 0 }));
        let note = " Everything is written in one transaction: all of it, or nothing.";
        frame.render_widget(Paragraph::new(note).italic(), note_area);
    }
}
