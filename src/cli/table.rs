//! Plain-text tables for the terminal: every cell sanitized, cut to a readable width (all but
//! the last column) and padded by its display width (so `王` counts as two columns).

use std::io::{self, Write};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::sanitize_line;

/// Cells wider than this are cut with `…`; one long note should not push the table apart.
const MAX_CELL_WIDTH: usize = 36;

/// Rows of text cells under a header line.
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: Vec<&'static str>) -> Table {
        Table { headers, rows: Vec::new() }
    }

    /// Adds a row; cells are sanitized and cut here, so callers may pass text from anywhere.
    /// The last column is never cut: nothing follows it that it could push away.
    pub fn push_row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let n_columns = self.headers.len();
        let row = cells
            .into_iter()
            .enumerate()
            .map(|(column, cell)| {
                let line = sanitize_line(cell.as_ref());
                if column + 1 < n_columns { cut_to_width(&line, MAX_CELL_WIDTH) } else { line }
            })
            .collect();
        self.rows.push(row);
    }

    /// Writes the header and the rows, columns separated by two spaces, without trailing blanks.
    pub fn write_to(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut widths: Vec<usize> = self.headers.iter().map(|header| header.width()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.width());
            }
        }
        let header_cells: Vec<String> = self.headers.iter().map(|header| header.to_string()).collect();
        for row in std::iter::once(&header_cells).chain(&self.rows) {
            let mut line = String::new();
            for (column, (cell, width)) in row.iter().zip(&widths).enumerate() {
                if column > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                line.extend(std::iter::repeat_n(' ', width.saturating_sub(cell.width())));
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}

/// Cuts `text` to at most `max_width` terminal columns, ending with `…` when cut.
pub fn cut_to_width(text: &str, max_width: usize) -> String {
    if text.width() <= max_width {
        return text.to_string();
    }
    let mut cut = String::new();
    let mut width = 0;
    for character in text.chars() {
        let character_width = character.width().unwrap_or(0);
        if width + character_width > max_width.saturating_sub(1) {
            break;
        }
        width += character_width;
        cut.push(character);
    }
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_display_width_and_strips_escapes() {
        let mut table = Table::new(vec!["ID", "Name", "Email"]);
        table.push_row(["1", "王小明", "wang@example.cn"]);
        table.push_row(["12", "Ada\u{1b}[31m Lovelace", ""]);
        table.push_row([
            "3",
            "Ada Augusta Lovelace, Countess of Lovelace",
            "a-very-long-address@a-long-domain.example.com",
        ]);
        let mut out = Vec::new();
        table.write_to(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "ID  Name                                  Email\n\
             1   王小明                                wang@example.cn\n\
             12  Ada[31m Lovelace\n\
             3   Ada Augusta Lovelace, Countess of L…  a-very-long-address@a-long-domain.example.com\n"
        );
    }

    #[test]
    fn long_cells_are_cut() {
        assert_eq!(cut_to_width("abcdef", 4), "abc…");
        assert_eq!(cut_to_width("王王王", 4), "王…");
        assert_eq!(cut_to_width("abcd", 4), "abcd");
    }
}
