//! Backslash escapes of vCard text values and the `;`-separated components of structured
//! values (N, ADR, ORG). Works on decoded text, never on bytes of an unknown charset.

/// Resolves `\n`, `\N`, `\,`, `\;`, `\\`, `\:` and other escaped punctuation. A backslash
/// before a letter or digit that is not `n` stays as written (`B\C` in a 2.1 file is data).
pub fn unescape_text(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let mut unescaped = String::with_capacity(text.len());
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        if character != '\\' {
            unescaped.push(character);
            continue;
        }
        match characters.next() {
            Some('n' | 'N') => unescaped.push('\n'),
            Some(next) if next.is_alphanumeric() => {
                unescaped.push('\\');
                unescaped.push(next);
            }
            Some(next) => unescaped.push(next),
            None => unescaped.push('\\'),
        }
    }
    unescaped
}

/// Splits on unescaped `;` and unescapes each component; components are not trimmed.
pub fn split_components(text: &str) -> Vec<String> {
    split_raw_components(text).into_iter().map(unescape_text).collect()
}

/// Splits on unescaped `;` and keeps each component as written (escapes and all).
pub fn split_raw_components(text: &str) -> Vec<&str> {
    let mut components = Vec::new();
    let mut component_start = 0;
    let mut is_escaped = false;
    for (position, character) in text.char_indices() {
        if is_escaped {
            is_escaped = false;
        } else if character == '\\' {
            is_escaped = true;
        } else if character == ';' {
            components.push(&text[component_start..position]);
            component_start = position + 1;
        }
    }
    components.push(&text[component_start..]);
    components
}

/// Escapes a text value for vCard 3.0 and 4.0: backslash, newline, comma and semicolon.
pub fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\\' => escaped.push_str("\\\\"),
            '\r' => {
                characters.next_if_eq(&'\n');
                escaped.push_str("\\n");
            }
            '\n' => escaped.push_str("\\n"),
            ',' => escaped.push_str("\\,"),
            ';' => escaped.push_str("\\;"),
            _ => escaped.push(character),
        }
    }
    escaped
}

/// Escapes only what would change the value when read back: backslashes and line breaks.
/// For URI-like values (URL), where escaped commas would confuse strict readers.
pub fn escape_uri(text: &str) -> String {
    escape_text(text).replace("\\,", ",").replace("\\;", ";")
}

/// Real line breaks (from QUOTED-PRINTABLE values) as `\n` escapes, for a one-line value.
pub fn escape_line_breaks(text: &str) -> String {
    if !text.contains(['\r', '\n']) {
        return text.to_string();
    }
    text.replace("\r\n", "\\n").replace(['\r', '\n'], "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(escaped: &str, unescaped: &str, components: &[&str]) {
        assert_eq!(unescape_text(escaped), unescaped, "unescape {escaped:?}");
        assert_eq!(split_components(escaped), components, "split {escaped:?}");
        assert_eq!(split_raw_components(escaped).len(), components.len(), "split raw {escaped:?}");
    }

    #[test]
    fn unescapes_and_splits() {
        check("plain", "plain", &["plain"]);
        check("a\\nb\\Nc", "a\nb\nc", &["a\nb\nc"]);
        check("ABC\\, Inc.;Sales", "ABC, Inc.;Sales", &["ABC, Inc.", "Sales"]);
        check("A;B\\C\\;D:E\\\\", "A;B\\C;D:E\\", &["A", "B\\C;D:E\\"]);
        check("http\\://x", "http://x", &["http://x"]);
        check("\\\"AS IS\\\"", "\"AS IS\"", &["\"AS IS\""]);
        check("trailing\\", "trailing\\", &["trailing\\"]);
        check(";;", ";;", &["", "", ""]);
        check("\u{1b}[2J;\0", "\u{1b}[2J;\0", &["\u{1b}[2J", "\0"]);
    }

    #[test]
    fn escapes_round_trip() {
        for text in ["a,b;c\\d\ne", "C:\\Users\\n", "ü王😀", "x\r\ny", "\\n", "\\"] {
            let expected = text.replace("\r\n", "\n");
            assert_eq!(unescape_text(&escape_text(text)), expected, "{text:?}");
            assert_eq!(split_components(&escape_text(text)), vec![expected.clone()]);
            assert_eq!(unescape_text(&escape_uri(text)), expected);
        }
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape_uri("http://a.b/x,y;z"), "http://a.b/x,y;z");
        assert_eq!(escape_line_breaks("a\r\nb\nc\rd"), "a\\nb\\nc\\nd");
    }
}
