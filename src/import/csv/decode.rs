//! Text encodings of delimited files: detection (BOM, UTF-16 without BOM, UTF-8, else a
//! guess among legacy encodings) and a reader that decodes a stream to UTF-8 as it goes,
//! so that a file of any size is never held in memory.

use std::io::{self, Read};

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How many bytes the detection and the sniffing look at.
pub const SAMPLE_SIZE: usize = 64 * 1024;

/// A detected or chosen encoding, and whether the file starts with its byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding {
    pub encoding: &'static Encoding,
    pub has_bom: bool,
}

impl TextEncoding {
    /// `utf-8`, `utf-8 (BOM)`, `utf-16le (BOM)`, `windows-1252`.
    pub fn label(&self) -> String {
        let name = self.encoding.name().to_ascii_lowercase();
        if self.has_bom { format!("{name} (BOM)") } else { name }
    }

    /// An encoding by any of its WHATWG labels (`latin1`, `cp1252`, `utf-16`, `sjis`…).
    pub fn from_label(label: &str) -> Option<TextEncoding> {
        let wanted = label.trim().to_ascii_lowercase();
        let encoding = match wanted.as_str() {
            "utf-16" | "utf16" | "ucs-2" => Some(UTF_16LE),
            "cp1252" | "win1252" => Some(encoding_rs::WINDOWS_1252),
            "latin-1" => Some(encoding_rs::WINDOWS_1252),
            _ => Encoding::for_label(wanted.as_bytes()),
        }?;
        Some(TextEncoding { encoding, has_bom: false })
    }
}

/// The encoding of a file that starts with `sample`.
pub fn detect(sample: &[u8]) -> TextEncoding {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return TextEncoding { encoding, has_bom: true };
    }
    if let Some(encoding) = utf16_without_bom(sample) {
        return TextEncoding { encoding, has_bom: false };
    }
    let is_utf8 = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // A character cut by the end of the sample is not an error.
        Err(error) => error.error_len().is_none(),
    };
    if is_utf8 {
        return TextEncoding { encoding: UTF_8, has_bom: false };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, sample.len() < SAMPLE_SIZE);
    TextEncoding { encoding: detector.guess(None, chardetng::Utf8Detection::Allow), has_bom: false }
}

/// UTF-16 text of mostly ASCII characters has a zero in every other byte.
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let n_pairs = sample.len() / 2;
    if n_pairs < 2 {
        return None;
    }
    let zeros_at = |offset: usize| sample.iter().skip(offset).step_by(2).filter(|&&byte| byte == 0).count();
    let (even_zeros, odd_zeros) = (zeros_at(0), zeros_at(1));
    let is_mostly = |count: usize| count * 10 >= n_pairs * 7;
    let is_rare = |count: usize| count * 10 <= n_pairs;
    if is_mostly(odd_zeros) && is_rare(even_zeros) {
        Some(UTF_16LE)
    } else if is_mostly(even_zeros) && is_rare(odd_zeros) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when decoded text looks like a binary file: many control characters that no
/// spreadsheet writes. A stray NUL in a small file is not enough.
pub fn looks_binary(text: &str) -> bool {
    let mut n_chars = 0usize;
    let mut n_controls = 0usize;
    for character in text.chars() {
        n_chars += 1;
        let is_text_control = matches!(character, '\t' | '\n' | '\r' | '\u{b}' | '\u{c}');
        if (character.is_control() && !is_text_control) || character == '\u{FFFD}' {
            n_controls += 1;
        }
    }
    n_controls >= 8 && n_controls * 10 > n_chars
}

/// Decodes `inner` from `encoding` into UTF-8 while it is read. A byte-order mark of the
/// encoding is removed; malformed sequences become U+FFFD.
pub struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    input_start: usize,
    input_end: usize,
    output: Vec<u8>,
    output_start: usize,
    output_end: usize,
    is_input_done: bool,
    is_finished: bool,
}

impl<R: Read> DecodingReader<R> {
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; 64 * 1024],
            input_start: 0,
            input_end: 0,
            output: vec![0; 3 * 64 * 1024 + 16],
            output_start: 0,
            output_end: 0,
            is_input_done: false,
            is_finished: false,
        }
    }

    /// Decodes more input into the empty output buffer; false at the end of the stream.
    fn fill(&mut self) -> io::Result<bool> {
        while !self.is_finished {
            if self.input_start == self.input_end && !self.is_input_done {
                let n_read = self.inner.read(&mut self.input)?;
                self.input_start = 0;
                self.input_end = n_read;
                self.is_input_done = n_read == 0;
            }
            let (_, n_read, n_written, _) = self.decoder.decode_to_utf8(
                &self.input[self.input_start..self.input_end],
                &mut self.output,
                self.is_input_done,
            );
            self.input_start += n_read;
            self.output_start = 0;
            self.output_end = n_written;
            if self.is_input_done && self.input_start == self.input_end {
                self.is_finished = true;
            }
            if n_written > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.output_start == self.output_end && !self.fill()? {
            return Ok(0);
        }
        let n_copied = buffer.len().min(self.output_end - self.output_start);
        buffer[..n_copied].copy_from_slice(&self.output[self.output_start..self.output_start + n_copied]);
        self.output_start += n_copied;
        Ok(n_copied)
    }
}

/// Decodes a whole (small) byte sample, e.g. for sniffing.
pub fn decode_sample(sample: &[u8], encoding: &'static Encoding) -> String {
    let mut text = String::new();
    let _ = DecodingReader::new(sample, encoding).read_to_string(&mut text);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_boms_utf16_utf8_and_legacy() {
        assert_eq!(detect(b"\xef\xbb\xbfa,b").label(), "utf-8 (BOM)");
        assert_eq!(detect(b"\xff\xfea\0,\0b\0").label(), "utf-16le (BOM)");
        assert_eq!(detect(b"\xfe\xff\0a\0,\0b").label(), "utf-16be (BOM)");
        assert_eq!(detect(b"a\0,\0b\0\n\0").label(), "utf-16le");
        assert_eq!(detect("Zoë,Ñúñez".as_bytes()).label(), "utf-8");
        let latin = b"Name;Stadt\nJ\xfcrgen M\xfcller;K\xf6ln\nRen\xe9 F\xe4\xdfler;Z\xfcrich 5.000 \x80\n";
        assert_eq!(detect(latin).label(), "windows-1252");
    }

    #[test]
    fn decoding_reader_streams_and_drops_the_bom() {
        let bytes: Vec<u8> =
            b"\xff\xfe".iter().copied().chain("Zoë\tÑ\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let mut text = String::new();
        DecodingReader::new(&bytes[..], UTF_16LE).read_to_string(&mut text).unwrap();
        assert_eq!(text, "Zoë\tÑ\n");
        let long = "ä".repeat(200_000);
        let mut decoded = String::new();
        DecodingReader::new(long.as_bytes(), UTF_8).read_to_string(&mut decoded).unwrap();
        assert_eq!(decoded, long);
    }

    #[test]
    fn binary_is_recognised_but_a_stray_nul_is_not() {
        assert!(!looks_binary("a,b,c\n\0,2,3\n"));
        let binary: String = (0..400u32).map(|index| char::from_u32(index % 32).unwrap()).collect();
        assert!(looks_binary(&binary));
    }
}
