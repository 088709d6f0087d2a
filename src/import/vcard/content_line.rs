//! One content line, `group.NAME;PARAM=value:value`, parsed leniently: parameters in all
//! their 2.1, 3.0 and 4.0 forms, the value decoded from QUOTED-PRINTABLE and its charset
//! into text, but not unescaped.

use std::sync::OnceLock;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;

use super::VcardProperty;

/// Turns bytes of a value into text: its declared CHARSET, else UTF-8, else the encoding
/// that the whole file most likely uses (guessed once, only if some value needs it).
pub(super) struct TextDecoder<'a> {
    file_bytes: &'a [u8],
    guessed_encoding: OnceLock<&'static Encoding>,
}

/// Parses one unfolded line; `Err` holds the end of a sentence ("has no colon").
pub(super) fn parse_content_line(
    bytes: &[u8],
    line_number: usize,
    decoder: &TextDecoder<'_>,
) -> Result<VcardProperty, &'static str> {
    let colon_position = find_value_colon(bytes).ok_or("has no colon")?;
    let prefix = &bytes[..colon_position];
    let value_bytes = &bytes[colon_position + 1..];

    let mut segments = split_unquoted(prefix, b';').into_iter();
    let name_segment = decoder.decode(segments.next().unwrap_or_default(), None);
    let name_segment = name_segment.trim();
    let (group, name) = match name_segment.split_once('.') {
        Some((group, name)) => (Some(group), name),
        None => (None, name_segment),
    };
    if !is_valid_name(name) || group.is_some_and(|group| !is_valid_name(group)) {
        return Err("has no valid property name before its colon");
    }

    let mut params = Vec::new();
    let mut has_bare_params = false;
    for segment in segments {
        let segment = decoder.decode(segment, None);
        let segment = segment.trim();
        if segment.is_empty() {
            continue;
        }
        match segment.split_once('=') {
            Some((param_name, param_value)) => {
                params.push((param_name.trim().to_ascii_uppercase(), unquote(param_value.trim())));
            }
            None => {
                // vCard 2.1 writes `TEL;WORK;VOICE` and `NOTE;QUOTED-PRINTABLE`.
                has_bare_params = true;
                let bare_value = unquote(segment);
                let param_name = if is_encoding_name(&bare_value) { "ENCODING" } else { "TYPE" };
                params.push((param_name.to_string(), bare_value));
            }
        }
    }

    let declared_charset = params
        .iter()
        .find(|(param_name, _)| param_name == "CHARSET")
        .and_then(|(_, label)| Encoding::for_label(label.trim().as_bytes()));
    let is_quoted_printable = params.iter().any(|(param_name, param_value)| {
        param_name == "ENCODING" && param_value.trim().eq_ignore_ascii_case("QUOTED-PRINTABLE")
    });
    let value = if is_quoted_printable {
        decoder.decode(&decode_quoted_printable(value_bytes), declared_charset)
    } else {
        decoder.decode(value_bytes, declared_charset)
    };
    let raw_value = if is_quoted_printable { decoder.decode(value_bytes, declared_charset) } else { value.clone() };
    let raw = format!("{}:{raw_value}", decoder.decode(prefix, None).trim());

    Ok(VcardProperty {
        group: group.map(str::to_string),
        name: name.to_ascii_uppercase(),
        params,
        value,
        raw,
        line_number,
        has_bare_params,
    })
}

impl<'a> TextDecoder<'a> {
    pub fn new(file_bytes: &'a [u8]) -> Self {
        TextDecoder { file_bytes, guessed_encoding: OnceLock::new() }
    }

    pub fn decode(&self, bytes: &[u8], declared: Option<&'static Encoding>) -> String {
        if bytes.is_ascii() && declared.is_none_or(Encoding::is_ascii_compatible) {
            return String::from_utf8_lossy(bytes).into_owned();
        }
        if let Some(encoding) = declared {
            let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
            if !had_errors {
                return text.into_owned();
            }
        }
        if let Ok(text) = std::str::from_utf8(bytes) {
            return text.to_string();
        }
        self.guessed_encoding().decode_without_bom_handling(bytes).0.into_owned()
    }

    /// Guessed from the lines that are not ASCII: up to 256 KiB of them is plenty, and
    /// keeps a 50 MB file fast.
    fn guessed_encoding(&self) -> &'static Encoding {
        const ENOUGH_TEXT: usize = 256 * 1024;
        self.guessed_encoding.get_or_init(|| {
            let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
            let mut n_fed = 0;
            let lines = self.file_bytes.split(|&byte| byte == b'\n' || byte == b'\r');
            for line in lines.filter(|line| !line.is_ascii()) {
                detector.feed(line, false);
                detector.feed(b"\n", false);
                n_fed += line.len();
                if n_fed >= ENOUGH_TEXT {
                    break;
                }
            }
            detector.feed(&[], true);
            detector.guess(None, Utf8Detection::Deny)
        })
    }
}

/// The colon that ends the parameters: the first one outside double quotes, or the first
/// one at all when a quote is never closed.
fn find_value_colon(bytes: &[u8]) -> Option<usize> {
    let mut is_inside_quotes = false;
    let mut has_seen_params = false;
    for (position, &byte) in bytes.iter().enumerate() {
        match byte {
            b';' => has_seen_params = true,
            b'"' if has_seen_params => is_inside_quotes = !is_inside_quotes,
            b':' if !is_inside_quotes => return Some(position),
            _ => (),
        }
    }
    bytes.iter().position(|&byte| byte == b':')
}

fn split_unquoted(bytes: &[u8], separator: u8) -> Vec<&[u8]> {
    let mut segments = Vec::new();
    let mut segment_start = 0;
    let mut is_inside_quotes = false;
    for (position, &byte) in bytes.iter().enumerate() {
        if byte == b'"' {
            is_inside_quotes = !is_inside_quotes;
        } else if byte == separator && !is_inside_quotes {
            segments.push(&bytes[segment_start..position]);
            segment_start = position + 1;
        }
    }
    segments.push(&bytes[segment_start..]);
    segments
}

/// Removes the double quotes of `"work,voice"` and of list items like `"a",b`.
fn unquote(param_value: &str) -> String {
    param_value.replace('"', "")
}

fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

fn is_encoding_name(bare_value: &str) -> bool {
    ["QUOTED-PRINTABLE", "BASE64", "B", "7BIT", "8BIT"].iter().any(|encoding| bare_value.eq_ignore_ascii_case(encoding))
}

/// `=XX` becomes the byte XX; anything else, including a stray `=`, stays as written,
/// except a final `=` (a soft line break with nothing after it).
fn decode_quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        let byte = bytes[position];
        if byte == b'=' {
            let high = bytes.get(position + 1).and_then(|&digit| (digit as char).to_digit(16));
            let low = bytes.get(position + 2).and_then(|&digit| (digit as char).to_digit(16));
            if let (Some(high), Some(low)) = (high, low) {
                decoded.push((high * 16 + low) as u8);
                position += 3;
                continue;
            }
            if position + 1 == bytes.len() {
                break;
            }
        }
        decoded.push(byte);
        position += 1;
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Expected<'a> {
        group: Option<&'a str>,
        name: &'a str,
        params: &'a [(&'a str, &'a str)],
        value: &'a str,
    }

    fn check(line: &[u8], expected: Expected<'_>) {
        let decoder = TextDecoder::new(line);
        let property = parse_content_line(line, 1, &decoder).unwrap();
        let params: Vec<(&str, &str)> =
            property.params.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
        assert_eq!(property.group.as_deref(), expected.group, "{:?}", String::from_utf8_lossy(line));
        assert_eq!(property.name, expected.name);
        assert_eq!(params, expected.params);
        assert_eq!(property.value, expected.value);
    }

    #[test]
    fn parameter_forms() {
        let work_voice = [("TYPE", "WORK,VOICE")];
        check(b"TEL;TYPE=WORK,VOICE:1", Expected { group: None, name: "TEL", params: &work_voice, value: "1" });
        check(
            b"tel;type=work;type=voice:1",
            Expected { group: None, name: "TEL", params: &[("TYPE", "work"), ("TYPE", "voice")], value: "1" },
        );
        check(
            b"TEL;WORK;VOICE:1",
            Expected { group: None, name: "TEL", params: &[("TYPE", "WORK"), ("TYPE", "VOICE")], value: "1" },
        );
        check(
            b"TEL;TYPE=\"work,voice\";PREF=1:tel:1",
            Expected { group: None, name: "TEL", params: &[("TYPE", "work,voice"), ("PREF", "1")], value: "tel:1" },
        );
        check(
            b"TEL;TYPE=\"A,B:C.D\",PREF:1",
            Expected { group: None, name: "TEL", params: &[("TYPE", "A,B:C.D,PREF")], value: "1" },
        );
        check(
            b"item1.X-ABLabel:_$!<Mobile>!$_",
            Expected { group: Some("item1"), name: "X-ABLABEL", params: &[], value: "_$!<Mobile>!$_" },
        );
        check(
            b"TEL;;PREF :1;ext=2",
            Expected { group: None, name: "TEL", params: &[("TYPE", "PREF")], value: "1;ext=2" },
        );
    }

    #[test]
    fn value_decoding() {
        let quoted_printable = [("ENCODING", "QUOTED-PRINTABLE"), ("CHARSET", "UTF-8")];
        check(
            b"FN;QUOTED-PRINTABLE;CHARSET=UTF-8:=C3=91=20a=3Db=",
            Expected { group: None, name: "FN", params: &quoted_printable, value: "\u{d1} a=b" },
        );
        check(
            b"NOTE;ENCODING=QUOTED-PRINTABLE:100% =ZZ",
            Expected { group: None, name: "NOTE", params: &[("ENCODING", "QUOTED-PRINTABLE")], value: "100% =ZZ" },
        );
        // Shift_JIS whose second byte is 0x5C stays one character: decoding comes first.
        check(
            b"FN;CHARSET=SHIFT_JIS:\x88\xc9\x94\\",
            Expected { group: None, name: "FN", params: &[("CHARSET", "SHIFT_JIS")], value: "伊能" },
        );
        check(
            b"FN;CHARSET=ISO-8859-1:Zo\xeb",
            Expected { group: None, name: "FN", params: &[("CHARSET", "ISO-8859-1")], value: "Zoë" },
        );
        // No CHARSET and not UTF-8: the guess for the whole input decides.
        check(
            b"FN:\x88\xc0\x93\xa1\x83\x8d\x83C\x83h",
            Expected { group: None, name: "FN", params: &[], value: "安藤ロイド" },
        );
        check(b"NOTE:a\\nb\\, c", Expected { group: None, name: "NOTE", params: &[], value: "a\\nb\\, c" });
    }

    #[test]
    fn rejects_lines_without_a_property() {
        let decoder = TextDecoder::new(b"");
        for line in [&b"no colon here"[..], b":value", b"two words:x", b"a.:x", b"\xff\xfe:x"] {
            assert!(parse_content_line(line, 1, &decoder).is_err(), "{:?}", String::from_utf8_lossy(line));
        }
        let property = parse_content_line(b"X;A=\"unclosed:v", 1, &decoder).unwrap();
        assert_eq!(property.value, "v");
    }
}
