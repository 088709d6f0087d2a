//! A table with a checkbox in front of each row and a cursor; the import picker and the file
//! browser use it. Callers pass only the visible rows, so long lists cost nothing to draw.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Cell, Row, StatefulWidget, Table, TableState, Widget};

use crate::model::sanitize_line;

/// One row: a checkbox (or none, e.g. for a directory) and the cells after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistRow {
    pub checkbox: Option<bool>,
    pub cells: Vec<String>,
}

/// The widget; `widths` are those of the cells after the checkbox.
pub struct Checklist<'a> {
    pub block: Block<'a>,
    pub header: Option<Vec<&'a str>>,
    pub widths: Vec<Constraint>,
    pub rows: Vec<ChecklistRow>,
    /// The cursor's index in `rows`.
    pub selected: Option<usize>,
}

/// The first row to show so that `cursor` is visible in `height` rows.
pub fn first_visible_row(cursor: usize, height: usize) -> usize {
    (cursor + 1).saturating_sub(height.max(1))
}

impl Widget for Checklist<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        let rows = self.rows.into_iter().map(|row| {
            let checkbox = match row.checkbox {
                Some(true) => "[x]",
                Some(false) => "[ ]",
                None => "   ",
            };
            let cells = std::iter::once(Cell::from(checkbox))
                .chain(row.cells.iter().map(|text| Cell::from(sanitize_line(text))));
            Row::new(cells.collect::<Vec<_>>())
        });
        let widths = std::iter::once(Constraint::Length(3)).chain(self.widths);
        let mut table = Table::new(rows, widths)
            .block(self.block)
            .column_spacing(1)
            .highlight_symbol("> ")
            .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
        if let Some(header) = self.header {
            let cells = std::iter::once("").chain(header).map(Cell::from).collect::<Vec<_>>();
            table = table.header(Row::new(cells).style(Style::default().add_modifier(Modifier::BOLD)));
        }
        let mut state = TableState::default().with_selected(self.selected);
        StatefulWidget::render(table, area, buffer, &mut state);
    }
}
