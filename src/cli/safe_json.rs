//! JSON output that is safe on a terminal: serde escapes C0 controls, and this also escapes
//! what `sanitize_text` would remove (DEL, C1 controls such as CSI, bidi overrides), so the
//! values stay complete for scripts while nothing in them can steer the terminal.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use crate::model::sanitize_text;

/// Writes `value` indented, then a newline.
pub fn write_pretty(out: &mut dyn Write, value: &impl Serialize) -> anyhow::Result<()> {
    let formatter = TerminalSafe { inner: PrettyFormatter::new() };
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, formatter))?;
    writeln!(out)?;
    Ok(())
}

/// Writes `value` on one line, without a newline.
pub fn write_compact(out: &mut dyn Write, value: &impl Serialize) -> anyhow::Result<()> {
    let formatter = TerminalSafe { inner: CompactFormatter };
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, formatter))?;
    Ok(())
}

/// A formatter that escapes unsafe characters in strings and otherwise lays out like `inner`.
struct TerminalSafe<F> {
    inner: F,
}

impl<F: Formatter> Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (index, character) in fragment.char_indices() {
            if is_unsafe(character) {
                writer.write_all(&fragment.as_bytes()[start..index])?;
                for unit in character.encode_utf16(&mut [0; 2]) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = index + character.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.inner.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.inner.end_object_value(writer)
    }
}

/// True for what `sanitize_text` removes; serde has already escaped the C0 controls.
fn is_unsafe(character: char) -> bool {
    let could_be_unsafe = !character.is_ascii() || character == '\u{7f}';
    could_be_unsafe && sanitize_text(character.encode_utf8(&mut [0; 4])).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_could_steer_a_terminal_and_round_trips() {
        let value = serde_json::json!({"name": "Ada\u{1b}[2J\u{9b}31m\u{202e}Zoë 王\u{7f}"});
        let mut out = Vec::new();
        write_compact(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, r#"{"name":"Ada\u001b[2J\u009b31m\u202eZoë 王\u007f"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
        let mut pretty = Vec::new();
        write_pretty(&mut pretty, &serde_json::json!([1, {"a": "\u{2028}"}])).unwrap();
        assert_eq!(String::from_utf8(pretty).unwrap(), "[\n  1,\n  {\n    \"a\": \"\\u2028\"\n  }\n]\n");
    }
}
