//! Text from outside (files, QR codes, OCR, servers) never reaches the terminal raw.

/// Removes control characters (C0, DEL, C1), bidi overrides and other format characters
/// that could change the terminal or mislead the reader; keeps newlines and tabs.
pub fn sanitize_text(text: &str) -> String {
    text.chars().filter(|&character| character == '\n' || character == '\t' || !is_unsafe(character)).collect()
}

/// Like `sanitize_text`, for one display line: newlines and tabs become spaces.
pub fn sanitize_line(text: &str) -> String {
    text.chars()
        .filter_map(|character| match character {
            '\n' | '\r' | '\t' => Some(' '),
            _ if is_unsafe(character) => None,
            _ => Some(character),
        })
        .collect()
}

fn is_unsafe(character: char) -> bool {
    character.is_control()
        || matches!(character,
            // Bidirectional embeddings, overrides and isolates can reorder what the user sees.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            // Line and paragraph separators break the one-line layout of lists.
            | '\u{2028}' | '\u{2029}'
            // Interlinear annotation and other invisible format controls.
            | '\u{FFF9}'..='\u{FFFB}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escape_sequences_and_controls() {
        assert_eq!(sanitize_line("Ada\u{1b}[2J\u{7}Lovelace"), "Ada[2JLovelace");
        assert_eq!(sanitize_line("a\u{9b}31mb\u{0}c\u{7f}"), "a31mbc");
        assert_eq!(sanitize_line("x\r\ny\tz"), "x  y z");
        assert_eq!(sanitize_text("line1\nline2\u{1b}]0;title\u{7}"), "line1\nline2]0;title");
        assert_eq!(sanitize_line("evil\u{202E}txt.exe"), "eviltxt.exe");
        assert_eq!(sanitize_line("Zoë Ångström 王"), "Zoë Ångström 王");
    }
}
