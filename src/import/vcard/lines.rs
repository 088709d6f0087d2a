//! From file bytes to logical content lines: the file's own text encoding (BOMs, UTF-16),
//! line endings, folding, QUOTED-PRINTABLE soft line breaks and 2.1 continuation lines.
//! Works on bytes, so that a value's charset can be decoded later, before any unescaping.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

/// One unfolded content line, still as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LogicalLine {
    pub bytes: Vec<u8>,
    /// The 1-based physical line where this content line starts.
    pub line_number: usize,
}

/// The file as bytes of an ASCII-compatible encoding: a UTF-8 BOM is removed and UTF-16
/// (with a BOM, or recognised by its zero bytes) is converted to UTF-8.
pub(super) fn ascii_compatible_bytes(bytes: &[u8]) -> Cow<'_, [u8]> {
    if let Some(without_bom) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Cow::Borrowed(without_bom);
    }
    let utf16_encoding = match bytes {
        [0xFF, 0xFE, ..] => Some(UTF_16LE),
        [0xFE, 0xFF, ..] => Some(UTF_16BE),
        _ => guess_utf16_without_bom(bytes),
    };
    match utf16_encoding {
        Some(encoding) => Cow::Owned(encoding.decode_with_bom_removal(bytes).0.into_owned().into_bytes()),
        None => Cow::Borrowed(bytes),
    }
}

/// Splits the text into physical lines, unfolds them and joins soft line breaks. Also
/// answers how many physical lines the text has.
pub(super) fn logical_lines(text: &[u8]) -> (Vec<LogicalLine>, usize) {
    let mut builder = LineBuilder::default();
    let mut n_physical_lines = 0;
    for physical_line in physical_lines(text) {
        n_physical_lines += 1;
        builder.push_physical_line(physical_line, n_physical_lines);
    }
    (builder.finish(), n_physical_lines)
}

#[derive(Default)]
struct LineBuilder {
    finished: Vec<LogicalLine>,
    current: Option<CurrentLine>,
}

/// The logical line being built, with an incremental search for the colon that ends the
/// property name and parameters, so that long folded lines are scanned only once.
struct CurrentLine {
    line: LogicalLine,
    is_card_boundary: bool,
    scanned_up_to: usize,
    is_inside_quotes: bool,
    colon_position: Option<usize>,
    is_quoted_printable: Option<bool>,
    /// Set by a blank line: a trailing `=` no longer joins the next line.
    is_value_ended: bool,
}

impl LineBuilder {
    fn push_physical_line(&mut self, physical_line: &[u8], line_number: usize) {
        if let Some(current) = self.current.as_mut()
            && current.ends_with_soft_line_break()
            && !physical_line.is_empty()
            && !is_card_boundary(physical_line)
        {
            // A QUOTED-PRINTABLE soft line break: the value goes on, leading spaces included.
            current.line.bytes.pop();
            current.line.bytes.extend_from_slice(physical_line);
            return;
        }
        let Some(&first_byte) = physical_line.first() else {
            // Blank lines separate nothing: some files even put one inside a folded line.
            // But a blank line after a soft line break ends that value.
            if let Some(current) = self.current.as_mut() {
                current.is_value_ended = true;
            }
            return;
        };
        let can_continue = self.current.as_ref().is_some_and(|current| !current.is_card_boundary);
        if first_byte == b' ' || first_byte == b'\t' {
            if can_continue && let Some(current) = self.current.as_mut() {
                current.line.bytes.extend_from_slice(&physical_line[1..]);
            } else {
                // An indented line with nothing to continue starts a line of its own.
                let start = physical_line.iter().position(|byte| !byte.is_ascii_whitespace());
                if let Some(start) = start {
                    self.start_line(&physical_line[start..], line_number);
                }
            }
            return;
        }
        if first_byte == b'#' {
            // Some exporters write comment lines; they are not data.
            return;
        }
        self.start_line(physical_line, line_number);
    }

    fn start_line(&mut self, physical_line: &[u8], line_number: usize) {
        self.finish_current();
        self.current = Some(CurrentLine {
            line: LogicalLine { bytes: physical_line.to_vec(), line_number },
            is_card_boundary: is_card_boundary(physical_line),
            scanned_up_to: 0,
            is_inside_quotes: false,
            colon_position: None,
            is_quoted_printable: None,
            is_value_ended: false,
        });
    }

    /// Ends the current line. One that has no colon even after unfolding continues the
    /// line before it: vCard 2.1 base64 data without folding spaces, or a 2.1 value whose
    /// line ends in a backslash (an escaped line break).
    fn finish_current(&mut self) {
        let Some(current) = self.current.take() else {
            return;
        };
        if !current.line.bytes.contains(&b':')
            && let Some(previous) = self.finished.last_mut()
            && !is_card_boundary(&previous.bytes)
        {
            if previous.bytes.last() == Some(&b'\\') {
                previous.bytes.pop();
                previous.bytes.extend_from_slice(b"\\n");
            }
            previous.bytes.extend_from_slice(&current.line.bytes);
            return;
        }
        self.finished.push(current.line);
    }

    fn finish(mut self) -> Vec<LogicalLine> {
        self.finish_current();
        self.finished
    }
}

impl CurrentLine {
    /// True when this is a QUOTED-PRINTABLE property whose value so far ends in `=`.
    fn ends_with_soft_line_break(&mut self) -> bool {
        if self.is_value_ended || self.line.bytes.last() != Some(&b'=') {
            return false;
        }
        let Some(colon_position) = self.find_colon() else {
            return false;
        };
        if colon_position + 1 >= self.line.bytes.len() {
            return false;
        }
        *self.is_quoted_printable.get_or_insert_with(|| {
            contains_ignoring_ascii_case(&self.line.bytes[..colon_position], b"QUOTED-PRINTABLE")
        })
    }

    fn find_colon(&mut self) -> Option<usize> {
        if self.colon_position.is_some() {
            return self.colon_position;
        }
        while self.scanned_up_to < self.line.bytes.len() {
            let byte = self.line.bytes[self.scanned_up_to];
            if byte == b'"' {
                self.is_inside_quotes = !self.is_inside_quotes;
            } else if byte == b':' && !self.is_inside_quotes {
                self.colon_position = Some(self.scanned_up_to);
                break;
            }
            self.scanned_up_to += 1;
        }
        self.colon_position
    }
}

/// Lines split at CRLF, LF or a lone CR, without their terminators.
fn physical_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = text;
    let mut is_done = text.is_empty();
    std::iter::from_fn(move || {
        if is_done {
            return None;
        }
        match rest.iter().position(|&byte| byte == b'\n' || byte == b'\r') {
            Some(end) => {
                let line = &rest[..end];
                let terminator_length = if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') { 2 } else { 1 };
                rest = &rest[end + terminator_length..];
                is_done = rest.is_empty();
                Some(line)
            }
            None => {
                is_done = true;
                Some(rest)
            }
        }
    })
}

fn is_card_boundary(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii();
    trimmed.eq_ignore_ascii_case(b"BEGIN:VCARD") || trimmed.eq_ignore_ascii_case(b"END:VCARD")
}

pub(super) fn contains_ignoring_ascii_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle))
}

/// UTF-16 without a BOM shows as a zero byte in every other position of ASCII text.
fn guess_utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(512) & !1];
    if sample.len() < 8 {
        return None;
    }
    let n_pairs = sample.len() / 2;
    let n_zero_even = sample.iter().step_by(2).filter(|&&byte| byte == 0).count();
    let n_zero_odd = sample.iter().skip(1).step_by(2).filter(|&&byte| byte == 0).count();
    if n_zero_even == 0 && n_zero_odd * 4 >= n_pairs * 3 {
        Some(UTF_16LE)
    } else if n_zero_odd == 0 && n_zero_even * 4 >= n_pairs * 3 {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &[(usize, &str)]) {
        let (lines, _) = logical_lines(input.as_bytes());
        let actual: Vec<(usize, String)> =
            lines.iter().map(|line| (line.line_number, String::from_utf8_lossy(&line.bytes).into_owned())).collect();
        let expected: Vec<(usize, String)> =
            expected.iter().map(|&(number, text)| (number, text.to_string())).collect();
        assert_eq!(actual, expected, "input: {input:?}");
    }

    #[test]
    fn unfolds_and_joins() {
        check("A:1\r\nB:2\nC:3\rD:4", &[(1, "A:1"), (2, "B:2"), (3, "C:3"), (4, "D:4")]);
        check("NOTE:ab\r\n c\r\n\td", &[(1, "NOTE:abcd")]);
        // A fold in the middle of a parameter name, and one after a blank line.
        check("FBURL;MEDIA\n TYPE=text:x\nGEO:1\n\n 2", &[(1, "FBURL;MEDIATYPE=text:x"), (3, "GEO:12")]);
        // Only one leading space is removed, so spaces in the data survive.
        check("EMAIL:\"O\"\n  <o@x>", &[(1, "EMAIL:\"O\" <o@x>")]);
        check("NOTE:a\n   \nB:1", &[(1, "NOTE:a  "), (3, "B:1")]);
    }

    #[test]
    fn quoted_printable_soft_breaks() {
        check(
            "NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n b=\r\n#c\r\nX:1",
            &[(1, "NOTE;ENCODING=QUOTED-PRINTABLE:a b#c"), (4, "X:1")],
        );
        // A blank line ends the value, and so does END:VCARD.
        check("ORG;QUOTED-PRINTABLE:=C3=91=\r\n\r\nX:1", &[(1, "ORG;QUOTED-PRINTABLE:=C3=91="), (3, "X:1")]);
        check("N;QUOTED-PRINTABLE:a=\nEND:VCARD", &[(1, "N;QUOTED-PRINTABLE:a="), (2, "END:VCARD")]);
        // Without QUOTED-PRINTABLE a trailing `=` is data (base64 padding).
        check("KEY;ENCODING=b:QQ==\nX:1", &[(1, "KEY;ENCODING=b:QQ=="), (2, "X:1")]);
        // A quoted colon does not end the parameters.
        check("X;A=\"b:c\";QUOTED-PRINTABLE:v=\n=41", &[(1, "X;A=\"b:c\";QUOTED-PRINTABLE:v=41")]);
    }

    #[test]
    fn lines_without_colon_and_comments() {
        check("ADR:;;a\\\r\nb\\\r\nc;d\r\nBDAY:1", &[(1, "ADR:;;a\\nb\\nc;d"), (4, "BDAY:1")]);
        check("PHOTO;BASE64:AB\nCD\nX:1", &[(1, "PHOTO;BASE64:ABCD"), (3, "X:1")]);
        check("FN:a\n# comment\nN:b", &[(1, "FN:a"), (3, "N:b")]);
        // Nothing is glued to BEGIN or END lines.
        check("END:VCARD\ngarbage\n more", &[(1, "END:VCARD"), (2, "garbagemore")]);
        check("EMAIL:a@b\nFBURL;MEDIA\n TYPE=x:y", &[(1, "EMAIL:a@b"), (2, "FBURL;MEDIATYPE=x:y")]);
        check("PHOTO;BASE64:\n AB\nCD\n EF\nX:1", &[(1, "PHOTO;BASE64:ABCDEF"), (5, "X:1")]);
        check("  BEGIN:VCARD", &[(1, "BEGIN:VCARD")]);
        check("", &[]);
        check("\n\n", &[]);
    }

    #[test]
    fn file_encodings() {
        assert_eq!(&*ascii_compatible_bytes(b"\xEF\xBB\xBFBEGIN"), b"BEGIN");
        let utf16_le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("BEGIN:VCARD\r\nFN:Zoë".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(&*ascii_compatible_bytes(&utf16_le), "BEGIN:VCARD\r\nFN:Zoë".as_bytes());
        let utf16_be_without_bom: Vec<u8> = "BEGIN:VCARD\r\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(&*ascii_compatible_bytes(&utf16_be_without_bom), b"BEGIN:VCARD\r\n");
        assert_eq!(&*ascii_compatible_bytes(b"BEGIN:VCARD"), b"BEGIN:VCARD");
    }
}
