//! Fitting text into a number of terminal cells: outside text is sanitized, long text is cut
//! with an ellipsis, and wide characters count twice.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::sanitize_line;

/// `text` as one safe display line of at most `width` cells, cut with `…` when longer.
pub fn fit(text: &str, width: usize) -> String {
    let clean = sanitize_line(text);
    if clean.width() <= width {
        return clean;
    }
    if width == 0 {
        return String::new();
    }
    let mut fitted = String::new();
    let mut used = 0;
    for character in clean.chars() {
        let character_width = character.width().unwrap_or(0);
        if used + character_width > width - 1 {
            break;
        }
        fitted.push(character);
        used += character_width;
    }
    fitted.push('…');
    fitted
}

/// Like `fit`, then padded with spaces to exactly `width` cells.
pub fn fit_padded(text: &str, width: usize) -> String {
    let fitted = fit(text, width);
    let padding = width.saturating_sub(fitted.width());
    format!("{fitted}{}", " ".repeat(padding))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_pads_and_sanitizes() {
        assert_eq!(fit("Ada Lovelace", 20), "Ada Lovelace");
        assert_eq!(fit("Ada Lovelace", 5), "Ada …");
        assert_eq!(fit("王王王", 4), "王…");
        assert_eq!(fit("a\u{1b}[2Jb", 10), "a[2Jb");
        assert_eq!(fit_padded("Ada", 5), "Ada  ");
        assert_eq!(fit("anything", 0), "");
    }
}
