//! A lenient vCard 2.1, 3.0 and 4.0 reader for files as real exporters write them, and the
//! mapping of a card to a `ContactDraft`. A broken card becomes a `Warning`; only input
//! without any card is an `Error`. Runs in linear time and never panics.

mod content_line;
pub(crate) mod conventions;
mod lines;
mod mapping;
pub(crate) mod text;

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::{DecodePaddingMode, general_purpose};

use super::{Error, Warning};
use crate::model::ContactDraft;
use content_line::{TextDecoder, parse_content_line};
use lines::{ascii_compatible_bytes, logical_lines};
pub use text::{split_components, unescape_text};

/// One property of a card, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VcardProperty {
    /// The group prefix of `item1.EMAIL`, as written.
    pub group: Option<String>,
    /// Uppercased: `EMAIL`, `X-ABLABEL`.
    pub name: String,
    /// Parameter names uppercased, values as written without quotes. Bare 2.1 parameters
    /// become `("TYPE", value)`, or `("ENCODING", value)` for `QUOTED-PRINTABLE` and `BASE64`.
    pub params: Vec<(String, String)>,
    /// The value decoded from QUOTED-PRINTABLE and its charset, but NOT unescaped.
    pub value: String,
    /// The unfolded content line as text (charset decoded, QUOTED-PRINTABLE kept as written).
    pub raw: String,
    /// The 1-based physical line where the property starts.
    pub line_number: usize,
    /// True when `raw` uses 2.1 bare parameters, which 3.0 and 4.0 do not allow.
    has_bare_params: bool,
}

/// One card: everything between BEGIN:VCARD and its END:VCARD, nested cards excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The VERSION value (`2.1`, `3.0`, `4.0`), where the card has one.
    pub version: Option<String>,
    /// Every property in file order, VERSION included, BEGIN and END excluded.
    pub properties: Vec<VcardProperty>,
    /// The 1-based line of the card's BEGIN:VCARD.
    pub line_number: usize,
}

/// The cards of one file, ordered by their END:VCARD (a nested card comes before the card
/// around it), and what was skipped or repaired on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedFile {
    pub cards: Vec<Card>,
    pub warnings: Vec<Warning>,
}

/// Below this many cards, mapping on one thread is as fast as starting others.
const CARDS_PER_MAPPING_THREAD: usize = 2_000;

impl ParsedFile {
    /// Every card as a draft, in file order, consuming the cards: large address books are
    /// mapped on all cores, and each thread also frees the cards it mapped.
    pub fn into_drafts(self) -> Vec<ContactDraft> {
        let n_threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(self.cards.len() / CARDS_PER_MAPPING_THREAD)
            .max(1);
        if n_threads == 1 {
            return self.cards.iter().map(Card::to_draft).collect();
        }
        let chunk_size = self.cards.len().div_ceil(n_threads);
        let mut cards = self.cards;
        let mut chunks = Vec::with_capacity(n_threads);
        while cards.len() > chunk_size {
            let rest = cards.split_off(chunk_size);
            chunks.push(std::mem::replace(&mut cards, rest));
        }
        chunks.push(cards);
        std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| scope.spawn(move || chunk.iter().map(Card::to_draft).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        })
    }
}

/// Reads every card in `bytes`: any text encoding, line ending, folding and vCard version.
pub fn parse_vcards(bytes: &[u8]) -> Result<ParsedFile, Error> {
    let n_threads =
        std::thread::available_parallelism().map_or(1, |n| n.get()).min(bytes.len() / BYTES_PER_PARSING_THREAD).max(1);
    parse_vcards_on(bytes, n_threads)
}

/// `parse_vcards` with the file cut into at most `n_threads` pieces parsed side by side.
fn parse_vcards_on(bytes: &[u8], n_threads: usize) -> Result<ParsedFile, Error> {
    let text = ascii_compatible_bytes(bytes);
    if text.trim_ascii().is_empty() {
        return Err(Error::Empty { path: None });
    }
    let decoder = TextDecoder::new(&text);
    let mut builder = CardBuilder::default();
    for line in parse_lines(&text, &decoder, n_threads) {
        match line {
            Ok(property) => builder.push_property(property),
            Err((line_number, reason)) => builder.push_unreadable_line(line_number, reason),
        }
    }
    if !builder.has_seen_begin {
        return Err(Error::NotVcard { path: None });
    }
    Ok(builder.finish())
}

/// A content line, or the line number and the reason it could not be read.
type ParsedLine = Result<VcardProperty, (usize, &'static str)>;

/// Below this size a file is parsed on one thread: starting others costs more than it saves.
const BYTES_PER_PARSING_THREAD: usize = 1 << 20;

/// Every content line of the text, in file order. A large file is cut into pieces just
/// before a `BEGIN:VCARD` that follows an `END:VCARD`, where no logical line can span the
/// cut, and the pieces are parsed on all cores; line numbers count from the file's start.
fn parse_lines(text: &[u8], decoder: &TextDecoder<'_>, n_threads: usize) -> Vec<ParsedLine> {
    let pieces = split_at_cards(text, n_threads);
    if pieces.len() == 1 {
        return parse_piece(text, decoder).0;
    }
    let parsed: Vec<(Vec<ParsedLine>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = pieces.iter().map(|piece| scope.spawn(move || parse_piece(piece, decoder))).collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    let mut lines = Vec::with_capacity(parsed.iter().map(|(lines, _)| lines.len()).sum());
    let mut n_lines_before = 0;
    for (piece_lines, n_physical_lines) in parsed {
        lines.extend(piece_lines.into_iter().map(|line| match line {
            Ok(mut property) => {
                property.line_number += n_lines_before;
                Ok(property)
            }
            Err((line_number, reason)) => Err((line_number + n_lines_before, reason)),
        }));
        n_lines_before += n_physical_lines;
    }
    lines
}

/// The content lines of one piece, and how many physical lines the piece has.
fn parse_piece(piece: &[u8], decoder: &TextDecoder<'_>) -> (Vec<ParsedLine>, usize) {
    let (logical, n_physical_lines) = logical_lines(piece);
    let parsed = logical
        .into_iter()
        .map(|line| {
            parse_content_line(&line.bytes, line.line_number, decoder).map_err(|reason| (line.line_number, reason))
        })
        .collect();
    (parsed, n_physical_lines)
}

/// Cuts `text` into about `n_pieces` pieces of similar size, each cut just before a line
/// `BEGIN:VCARD` (at the start of the line) whose previous line is `END:VCARD`. A file with
/// no such place stays whole.
fn split_at_cards(text: &[u8], n_pieces: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::with_capacity(n_pieces);
    let mut start = 0;
    for piece_index in 1..n_pieces {
        let target = (text.len() * piece_index / n_pieces).max(start);
        let Some(cut) = next_card_start(text, target) else {
            break;
        };
        pieces.push(&text[start..cut]);
        start = cut;
    }
    pieces.push(&text[start..]);
    pieces
}

/// The first position at or after `from` where a line `BEGIN:VCARD` follows a line `END:VCARD`.
fn next_card_start(text: &[u8], from: usize) -> Option<usize> {
    const BEGIN: &[u8] = b"BEGIN:VCARD";
    let mut position = from;
    while let Some(offset) = text[position..].iter().position(|&byte| byte == b'\n') {
        let line_start = position + offset + 1;
        position = line_start;
        let is_begin =
            text.get(line_start..line_start + BEGIN.len()).is_some_and(|line| line.eq_ignore_ascii_case(BEGIN));
        if is_begin && previous_line(text, line_start).trim_ascii().eq_ignore_ascii_case(b"END:VCARD") {
            return Some(line_start);
        }
    }
    None
}

/// The line that ends just before `line_start` (which follows a line terminator).
fn previous_line(text: &[u8], line_start: usize) -> &[u8] {
    let end = line_start - 1;
    let end = if end > 0 && text[end - 1] == b'\r' { end - 1 } else { end };
    let start = text[..end].iter().rposition(|&byte| byte == b'\n' || byte == b'\r').map_or(0, |position| position + 1);
    &text[start..end]
}

/// Reads the file at `path` and parses it like `parse_vcards`.
pub fn read_vcard_file(path: &Path) -> Result<ParsedFile, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    parse_vcards(&bytes).map_err(|error| error.with_path(path))
}

impl Card {
    /// The properties with this (uppercase) name, in file order.
    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a VcardProperty> + 'a {
        self.properties.iter().filter(move |property| property.name == name)
    }

    /// The first FN, unescaped and trimmed; `None` when there is none or it is empty.
    pub fn formatted_name(&self) -> Option<String> {
        self.properties_named("FN").next().map(VcardProperty::text).filter(|name| !name.is_empty())
    }

    /// The first N as [family, given, additional, prefix, suffix], each unescaped and trimmed.
    pub fn name_parts(&self) -> Option<[String; 5]> {
        let components = self.properties_named("N").next()?.components();
        Some(std::array::from_fn(|index| components.get(index).map_or("", |part| part.trim()).to_string()))
    }

    /// Every EMAIL in file order, without `mailto:`; empty values left out.
    pub fn emails(&self) -> Vec<String> {
        self.properties_named("EMAIL").filter_map(VcardProperty::email_address).collect()
    }

    /// Every TEL in file order, without `tel:`, URI parameters like `;ext=102` kept.
    pub fn phones(&self) -> Vec<String> {
        self.properties_named("TEL").filter_map(VcardProperty::phone_number).collect()
    }

    /// The first component of the first ORG.
    pub fn org(&self) -> Option<String> {
        let components = self.properties_named("ORG").next()?.components();
        components.first().map(|company| company.trim().to_string()).filter(|company| !company.is_empty())
    }

    /// The first TITLE.
    pub fn title(&self) -> Option<String> {
        self.properties_named("TITLE").next().map(VcardProperty::text).filter(|title| !title.is_empty())
    }
}

impl VcardProperty {
    /// The value unescaped and trimmed.
    pub fn text(&self) -> String {
        unescape_text(&self.value).trim().to_string()
    }

    /// The `;`-separated components, unescaped, not trimmed.
    pub fn components(&self) -> Vec<String> {
        split_components(&self.value)
    }

    /// The first value of a parameter (name in uppercase).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(param_name, _)| param_name == name).map(|(_, value)| value.as_str())
    }

    /// Every TYPE, lowercased, with comma lists split: `TYPE=WORK,VOICE;TYPE=pref` gives
    /// `["work", "voice", "pref"]`.
    pub fn types(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|(param_name, _)| param_name == "TYPE")
            .flat_map(|(_, value)| value.split(','))
            .map(|type_name| type_name.trim().to_lowercase())
            .filter(|type_name| !type_name.is_empty())
            .collect()
    }

    pub fn has_type(&self, type_name: &str) -> bool {
        self.types().iter().any(|candidate| candidate == type_name)
    }

    /// How preferred the value is, lower is better: `PREF=n` gives n; `TYPE=pref` and a bare
    /// 2.1 `PREF` give 1; `None` when not preferred.
    pub fn pref_rank(&self) -> Option<u32> {
        if let Some(pref) = self.param("PREF") {
            return Some(pref.trim().parse().unwrap_or(1));
        }
        self.has_type("pref").then_some(1)
    }

    pub fn is_quoted_printable(&self) -> bool {
        self.params.iter().any(|(name, value)| name == "ENCODING" && value.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
    }

    /// True for ENCODING=b and ENCODING=BASE64.
    pub fn is_base64(&self) -> bool {
        self.params.iter().any(|(name, value)| {
            name == "ENCODING" && (value.eq_ignore_ascii_case("B") || value.eq_ignore_ascii_case("BASE64"))
        })
    }

    /// The address of an EMAIL: unescaped, trimmed, `mailto:` removed; `None` when empty.
    pub fn email_address(&self) -> Option<String> {
        without_scheme(&self.text(), "mailto:")
    }

    /// The number of a TEL: unescaped, trimmed, `tel:` removed; `None` when empty.
    pub fn phone_number(&self) -> Option<String> {
        without_scheme(&self.text(), "tel:")
    }

    /// A content line for vCard 3.0 and 4.0 files: `raw` when it is one already, otherwise
    /// rebuilt without QUOTED-PRINTABLE, CHARSET and bare parameters, line breaks escaped.
    pub fn portable_line(&self) -> String {
        let has_charset = self.param("CHARSET").is_some();
        if !self.has_bare_params && !has_charset && !self.is_quoted_printable() {
            return text::escape_line_breaks(&self.raw);
        }
        let params = self.params.iter().filter(|(name, value)| {
            name != "CHARSET" && !(name == "ENCODING" && value.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
        });
        render_content_line(self.group.as_deref(), &self.name, params, &text::escape_line_breaks(&self.value))
    }
}

/// `group.NAME;PARAM=value:value`, with parameter values quoted where they need it.
pub(crate) fn render_content_line<'a>(
    group: Option<&str>,
    name: &str,
    params: impl IntoIterator<Item = &'a (String, String)>,
    value: &str,
) -> String {
    let mut line = String::with_capacity(name.len() + value.len() + 16);
    if let Some(group) = group {
        line.push_str(group);
        line.push('.');
    }
    line.push_str(name);
    for (param_name, param_value) in params {
        line.push(';');
        line.push_str(param_name);
        line.push('=');
        let param_value = param_value.replace(['"', '\r', '\n'], "");
        // TYPE lists stay bare (`TYPE=work,voice`), which 3.0 readers expect.
        let needs_quotes = param_value.contains([':', ';'])
            || (param_name != "TYPE" && param_value.contains(','))
            || param_value.starts_with(char::is_whitespace)
            || param_value.ends_with(char::is_whitespace);
        if needs_quotes {
            line.push('"');
            line.push_str(&param_value);
            line.push('"');
        } else {
            line.push_str(&param_value);
        }
    }
    line.push(':');
    line.push_str(value);
    line
}

/// Parses a single content line given as text, e.g. one of `ContactDraft::vcard_extra`.
pub(crate) fn parse_single_line(line: &str) -> Option<VcardProperty> {
    let decoder = TextDecoder::new(line.as_bytes());
    parse_content_line(line.as_bytes(), 1, &decoder).ok()
}

fn without_scheme(text: &str, scheme: &str) -> Option<String> {
    let without_scheme = match text.get(..scheme.len()) {
        Some(prefix) if prefix.eq_ignore_ascii_case(scheme) => text[scheme.len()..].trim(),
        _ => text,
    };
    (!without_scheme.is_empty()).then(|| without_scheme.to_string())
}

/// Groups properties into cards; a stack, because cards can be nested.
#[derive(Default)]
struct CardBuilder {
    open_cards: Vec<OpenCard>,
    cards: Vec<Card>,
    warnings: Vec<Warning>,
    has_seen_begin: bool,
    /// The first line and the count of a run of lines outside any card.
    lines_outside_cards: Option<(usize, usize)>,
}

struct OpenCard {
    card: Card,
    /// Line number and sentence; the card's index is known only at its END.
    warnings: Vec<(usize, String)>,
}

impl CardBuilder {
    fn push_property(&mut self, property: VcardProperty) {
        let is_vcard_value = property.value.trim().eq_ignore_ascii_case("VCARD");
        if property.name == "BEGIN" && is_vcard_value {
            self.report_lines_outside_cards();
            self.has_seen_begin = true;
            let card = Card { version: None, properties: Vec::new(), line_number: property.line_number };
            self.open_cards.push(OpenCard { card, warnings: Vec::new() });
            return;
        }
        if property.name == "END" && is_vcard_value {
            match self.open_cards.pop() {
                Some(open_card) => self.close_card(open_card),
                None => self.warnings.push(Warning {
                    card_index: None,
                    line_number: property.line_number,
                    message: "END:VCARD without a BEGIN:VCARD was ignored".to_string(),
                }),
            }
            return;
        }
        let Some(open_card) = self.open_cards.last_mut() else {
            self.note_line_outside_cards(property.line_number);
            return;
        };
        if property.name == "VERSION" && open_card.card.version.is_none() {
            open_card.card.version = Some(property.value.trim().to_string());
        }
        if matches!(property.name.as_str(), "PHOTO" | "LOGO")
            && property.is_base64()
            && !is_valid_base64(&property.value)
        {
            let message = format!("dropped a {} that is not valid base64", property.name);
            open_card.warnings.push((property.line_number, message));
            return;
        }
        open_card.card.properties.push(property);
    }

    fn push_unreadable_line(&mut self, line_number: usize, reason: &str) {
        match self.open_cards.last_mut() {
            Some(open_card) => open_card.warnings.push((line_number, format!("skipped a line that {reason}"))),
            None => self.note_line_outside_cards(line_number),
        }
    }

    fn close_card(&mut self, open_card: OpenCard) {
        let card_index = self.cards.len();
        for (line_number, message) in open_card.warnings {
            self.warnings.push(Warning { card_index: Some(card_index), line_number, message });
        }
        self.cards.push(open_card.card);
    }

    fn note_line_outside_cards(&mut self, line_number: usize) {
        let (_, n_lines) = self.lines_outside_cards.get_or_insert((line_number, 0));
        *n_lines += 1;
    }

    fn report_lines_outside_cards(&mut self) {
        if let Some((first_line_number, n_lines)) = self.lines_outside_cards.take() {
            let message = match n_lines {
                1 => "ignored a line outside any card".to_string(),
                _ => format!("ignored {n_lines} lines outside any card"),
            };
            self.warnings.push(Warning { card_index: None, line_number: first_line_number, message });
        }
    }

    fn finish(mut self) -> ParsedFile {
        self.report_lines_outside_cards();
        while let Some(mut open_card) = self.open_cards.pop() {
            let message = "the card has no END:VCARD; it ends at the end of the file".to_string();
            open_card.warnings.insert(0, (open_card.card.line_number, message));
            self.close_card(open_card);
        }
        ParsedFile { cards: self.cards, warnings: self.warnings }
    }
}

fn is_valid_base64(value: &str) -> bool {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let compact: String = value.chars().filter(|character| !character.is_whitespace()).collect();
    LENIENT.decode(&compact).is_ok() || general_purpose::URL_SAFE_NO_PAD.decode(compact.trim_end_matches('=')).is_ok()
}

#[cfg(test)]
mod tests;
