//! CSV and spreadsheet exports of other CRMs and email tools (Mailchimp, Constant Contact,
//! Google Contacts, Outlook, HubSpot, Zoho, Salesforce) and any spreadsheet: bytes in,
//! `ImportRow`s out. Finds the encoding, the delimiter, the header row and the exporter
//! (preset), maps every column to a property, and reads rows one at a time so that a file
//! of any size streams through. Never touches the store or the UI.

pub mod decode;
pub mod header;
pub mod preset;
mod row;
mod source;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

pub use decode::TextEncoding;
pub use header::{AddressPart, ColumnTarget, custom_property_name, match_header, normalize_header};
pub use preset::CsvPreset;
pub use row::{is_email_address, split_full_name};
pub use source::{MAX_COMPRESSION_RATIO, MAX_MEMBER_BYTES};

pub use crate::model::DoNotEmailReason;
use crate::model::{ContactDraft, sanitize_line};
use source::Records;

/// Why a file cannot be imported at all. A bad row is a `RowProblem`, not an `Error`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is empty", path.display())]
    Empty { path: PathBuf },
    #[error("{} is not a CSV or spreadsheet file: it looks like binary data", path.display())]
    Binary { path: PathBuf },
    #[error("refused to unpack the archive, it could be a zip bomb: {0}")]
    ZipBomb(String),
    #[error("cannot read the zip archive: {0}")]
    Archive(String),
    #[error("{} holds no CSV or text file", path.display())]
    NoTable { path: PathBuf },
    #[error("cannot read the spreadsheet: {0}")]
    Spreadsheet(String),
    #[error("the spreadsheet has no sheet named {name:?}; its sheets are {}", known.join(", "))]
    NoSuchSheet { name: String, known: Vec<String> },
    #[error("the file's first rows end at line {n_rows}, so line {wanted} cannot be the header row")]
    NoSuchHeaderRow { wanted: usize, n_rows: usize },
    #[error("reading stopped: {0}")]
    Stream(String),
}

/// One record as read: its cells and the 1-based line (or sheet row) it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

/// What the user chose in the preview or on the command line; `None` means detect it.
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    pub preset: Option<CsvPreset>,
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<u8>,
    /// The 1-based line (sheet row) that holds the headers; 0 when the file has none.
    pub header_row: Option<usize>,
    /// The sheet of a spreadsheet, by name.
    pub sheet: Option<String>,
    /// Chosen targets by header (compared in `normalize_header` form); these win.
    pub mappings: Vec<(String, ColumnTarget)>,
    /// Targets the user chose before, by `normalize_header` of the header.
    pub remembered: HashMap<String, ColumnTarget>,
}

/// Why a column got its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingOrigin {
    /// Chosen now (`--map` or the preview).
    Chosen,
    /// Chosen for a column of this name in an earlier import.
    Remembered,
    /// The exporter's own meaning of the column.
    Preset,
    /// Matched by the words of the header.
    Header,
    /// Nothing matched: a custom property of the header's name.
    Unmatched,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub target: ColumnTarget,
    pub origin: MappingOrigin,
}

/// A subscription status word, from a status column or a file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusWord {
    Subscribed,
    Unsubscribed,
    Bounced,
    Complained,
    /// Never opted in (Mailchimp's nonsubscribed, Constant Contact's pending or not set):
    /// no consent to email, but no opt-out either.
    NoConsent,
}

/// A row that is not imported, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowProblem {
    /// The header of the column at fault, or empty for the whole row.
    pub column: String,
    pub reason: String,
}

/// One data row, mapped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRow {
    /// The 1-based line of the file (row of the sheet) the record starts on.
    pub line: usize,
    pub draft: ContactDraft,
    pub do_not_email: Vec<DoNotEmailReason>,
    pub has_no_consent: bool,
    pub external_id: Option<String>,
    /// Tags, labels, categories: lists the contact goes on.
    pub lists: Vec<String>,
    /// Set when the row is invalid and must not be imported.
    pub problem: Option<RowProblem>,
    /// Values left out of a row that is imported all the same (an invalid second address).
    pub warnings: Vec<RowProblem>,
}

/// What the preview shows of one table before anything is imported.
#[derive(Debug, Clone)]
pub struct TableInfo {
    /// `contacts.csv`, `audience.zip: subscribed_….csv` or `contacts.xlsx: Sheet1`.
    pub name: String,
    /// Set for delimited text.
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<u8>,
    /// The sheet of a spreadsheet, and every sheet it has.
    pub sheet: Option<String>,
    pub sheet_names: Vec<String>,
    /// The 1-based line (sheet row) of the headers; 0 when the file has no header row.
    pub header_row: usize,
    pub preset: CsvPreset,
    pub columns: Vec<Column>,
    /// The status every row has because of the file's name (Mailchimp's per-status files).
    pub file_status: Option<StatusWord>,
    /// The size of the input in bytes, for progress estimates.
    pub n_bytes: u64,
    /// Estimated data rows (exact for spreadsheets).
    pub estimated_rows: usize,
}

/// A table ready to stream its rows.
pub struct Table {
    pub info: TableInfo,
    /// The first records after the header, kept for the preview and then read again.
    head: Vec<Record>,
    rest: Records,
}

/// How many records the detection looks at.
const HEAD_RECORDS: usize = 30;
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

impl StatusWord {
    /// The statuses in a cell: Mailchimp's, Constant Contact's (API and UI words), HubSpot's
    /// and plain words.
    pub fn parse(value: &str) -> Option<StatusWord> {
        let lower = value.trim().to_lowercase().replace(['_', '-'], " ");
        let has = |words: &[&str]| words.iter().any(|word| lower.contains(word));
        if lower.is_empty() {
            None
        } else if has(&[
            "nonsubscribed",
            "non subscribed",
            "pending",
            "not set",
            "temp hold",
            "unconfirmed",
            "transactional",
        ]) {
            Some(StatusWord::NoConsent)
        } else if has(&[
            "unsub",
            "opted out",
            "opt out",
            "optout",
            "do not",
            "removed",
            "abgemeldet",
            "abbestellt",
            "desabonne",
            "baja",
            "afgemeld",
            "avregistrerad",
        ]) {
            Some(StatusWord::Unsubscribed)
        } else if has(&["bounce", "cleaned", "undeliverable", "invalid", "non deliverable"]) {
            Some(StatusWord::Bounced)
        } else if has(&["spam", "complain", "abuse"]) {
            Some(StatusWord::Complained)
        } else if has(&["subscribed", "active", "explicit", "implicit", "opted in", "confirmed", "yes"]) {
            Some(StatusWord::Subscribed)
        } else {
            None
        }
    }
}

impl ImportRow {
    pub fn is_valid(&self) -> bool {
        self.problem.is_none()
    }
}

impl TableInfo {
    /// "comma", "semicolon", "tab", "pipe".
    pub fn delimiter_label(&self) -> Option<String> {
        self.delimiter.map(|delimiter| match delimiter {
            b',' => "comma".to_string(),
            b';' => "semicolon".to_string(),
            b'\t' => "tab".to_string(),
            b'|' => "pipe".to_string(),
            other => format!("{:?}", other as char),
        })
    }
}

impl Table {
    /// The first `n` data rows, mapped as they will be imported (blank rows left out).
    pub fn preview(&self, n: usize) -> Vec<ImportRow> {
        self.head.iter().filter_map(|record| self.map(record)).take(n).collect()
    }

    /// Every data row in order, blank rows left out; invalid rows carry their problem.
    pub fn rows(self) -> impl Iterator<Item = Result<ImportRow, Error>> + Send {
        let Table { info, head, rest } = self;
        head.into_iter().map(Ok).chain(rest).filter_map(move |record| match record {
            Ok(record) => {
                row::map_record(&info.columns, info.preset, info.file_status, record.line, &record.cells).map(Ok)
            }
            Err(error) => Some(Err(error)),
        })
    }

    fn map(&self, record: &Record) -> Option<ImportRow> {
        row::map_record(&self.info.columns, self.info.preset, self.info.file_status, record.line, &record.cells)
    }
}

/// Opens an import file: delimited text, a zip of them (a Mailchimp audience export), or a
/// spreadsheet. Returns its tables, each ready to stream; nothing is read past the first
/// records yet.
pub fn open_tables(path: &Path, options: &CsvOptions) -> Result<Vec<Table>, Error> {
    let read_error = |source| Error::Read { path: path.to_path_buf(), source };
    let mut file = File::open(path).map_err(read_error)?;
    let n_bytes = file.metadata().map_err(read_error)?.len();
    let mut magic = [0u8; 8];
    let n_magic = read_up_to(&mut file, &mut magic).map_err(read_error)?;
    let magic = &magic[..n_magic];
    if n_bytes == 0 {
        return Err(Error::Empty { path: path.to_path_buf() });
    }
    let file_name = file_name(path);
    let extension = path.extension().map(|extension| extension.to_string_lossy().to_lowercase()).unwrap_or_default();
    let is_zip = magic.starts_with(b"PK\x03\x04");
    let is_ole = magic.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_ole || (is_zip && matches!(extension.as_str(), "xlsx" | "xlsm" | "xlsb" | "ods")) {
        return Ok(vec![open_workbook(path, &file_name, options, n_bytes)?]);
    }
    if is_zip {
        let members = source::zip_members(path)?;
        if members.is_empty() {
            // An .xlsx under another name is still a spreadsheet.
            return match open_workbook(path, &file_name, options, n_bytes) {
                Ok(table) => Ok(vec![table]),
                Err(_) => Err(Error::NoTable { path: path.to_path_buf() }),
            };
        }
        let mut tables = Vec::new();
        for (index, member_name) in members {
            let reader = source::zip_member_reader(path, index)?;
            let name = format!("{file_name}: {member_name}");
            let table =
                open_text(Box::new(reader), &name, &member_name, options, n_bytes).map_err(|error| match error {
                    Error::Stream(message) if message.contains("zip bomb") => Error::ZipBomb(message),
                    other => other,
                })?;
            tables.push(table);
        }
        return Ok(tables);
    }
    drop(file);
    let file = File::open(path).map_err(read_error)?;
    let table = open_text(Box::new(file), &file_name, &file_name, options, n_bytes).map_err(|error| match error {
        Error::Empty { .. } => Error::Empty { path: path.to_path_buf() },
        Error::Binary { .. } => Error::Binary { path: path.to_path_buf() },
        other => other,
    })?;
    Ok(vec![table])
}

/// Delimited text from any stream (not a zip or a spreadsheet), named `name` in reports.
/// Only the first 64 KiB are held at once; the rest streams as the rows are read.
pub fn open_stream(reader: Box<dyn Read + Send>, name: &str, options: &CsvOptions) -> Result<Table, Error> {
    open_text(reader, name, name, options, 0)
}

/// Delimited text from any stream: detection on the first 64 KiB, then streaming.
fn open_text(
    mut reader: Box<dyn Read + Send>,
    name: &str,
    member_name: &str,
    options: &CsvOptions,
    n_bytes: u64,
) -> Result<Table, Error> {
    let mut sample = vec![0u8; decode::SAMPLE_SIZE];
    let n_sample = read_up_to(&mut reader, &mut sample).map_err(|error| Error::Stream(error.to_string()))?;
    sample.truncate(n_sample);
    let is_cut = n_sample == decode::SAMPLE_SIZE;
    if sample.iter().all(|byte| byte.is_ascii_whitespace()) {
        return Err(Error::Empty { path: PathBuf::from(name) });
    }
    let encoding = options.encoding.unwrap_or_else(|| decode::detect(&sample));
    let text = decode::decode_sample(&sample, encoding.encoding);
    if decode::looks_binary(&text) {
        return Err(Error::Binary { path: PathBuf::from(name) });
    }
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&text, is_cut));
    let stream = decode::DecodingReader::new(Cursor::new(sample).chain(reader), encoding.encoding);
    let mut records = source::delimited_records(Box::new(stream), delimiter);
    let mut head = Vec::new();
    for record in records.by_ref() {
        head.push(record?);
        if head.len() >= HEAD_RECORDS {
            break;
        }
    }
    let bytes_per_record = (text.len() / head.len().max(1)).max(1) as u64;
    let estimated_rows = if is_cut { (n_bytes / bytes_per_record) as usize } else { head.len() };
    let mut table = build_table(name, head, records, options)?;
    table.info.encoding = Some(encoding);
    table.info.delimiter = Some(delimiter);
    table.info.n_bytes = n_bytes;
    table.info.estimated_rows = estimated_rows.saturating_sub(table.info.header_row);
    table.info.file_status = preset::status_from_file_name(member_name);
    Ok(table)
}

fn open_workbook(path: &Path, file_name: &str, options: &CsvOptions, n_bytes: u64) -> Result<Table, Error> {
    let workbook = source::read_workbook_heads(path, HEAD_RECORDS)?;
    let chosen = match &options.sheet {
        Some(wanted) => Some(
            workbook
                .sheet_names
                .iter()
                .position(|name| name.eq_ignore_ascii_case(wanted.trim()))
                .ok_or_else(|| Error::NoSuchSheet { name: wanted.clone(), known: workbook.sheet_names.clone() })?,
        ),
        None => None,
    };
    // Without a choice, the sheet whose header row matches best.
    let index = chosen.unwrap_or_else(|| {
        let scores = workbook.heads.iter().map(|rows| {
            let n_data = rows.iter().filter(|record| !is_blank(&record.cells)).count();
            let (_, score) = detect_header_row(rows);
            (score, n_data > 1)
        });
        scores
            .enumerate()
            .max_by(|(left_index, left), (right_index, right)| left.cmp(right).then(right_index.cmp(left_index)))
            .map_or(0, |(index, _)| index)
    });
    let sheet_name = workbook.sheet_names.get(index).cloned().unwrap_or_default();
    let n_rows = workbook.n_rows.get(index).copied().unwrap_or_default();
    let mut rows = source::sheet_records(path, &sheet_name)?;
    let head: Vec<Record> = rows.by_ref().take(HEAD_RECORDS).collect::<Result<_, _>>()?;
    let mut table = build_table(&format!("{file_name}: {sheet_name}"), head, rows, options)?;
    table.info.sheet = Some(sheet_name);
    table.info.sheet_names = workbook.sheet_names;
    table.info.n_bytes = n_bytes;
    table.info.estimated_rows = n_rows.saturating_sub(table.info.header_row);
    table.info.file_status = preset::status_from_file_name(file_name);
    Ok(table)
}

/// Finds the header row in the first records and maps its columns.
fn build_table(name: &str, mut head: Vec<Record>, rest: Records, options: &CsvOptions) -> Result<Table, Error> {
    let header_index = match options.header_row {
        Some(0) => None,
        Some(line) => match head.iter().position(|record| record.line >= line) {
            Some(index) => Some(index),
            None => {
                let n_rows = head.last().map_or(0, |record| record.line);
                return Err(Error::NoSuchHeaderRow { wanted: line, n_rows });
            }
        },
        None => detect_header_row(&head).0,
    };
    let header_row = header_index.map_or(0, |index| head[index].line);
    let headers: Vec<String> = match header_index {
        Some(index) => {
            let header_record = head[index].clone();
            head.drain(..=index);
            header_record.cells.iter().map(|cell| sanitize_line(cell.trim())).collect()
        }
        None => {
            let n_columns = head.iter().map(|record| record.cells.len()).max().unwrap_or(0);
            (1..=n_columns).map(|number| format!("Column {number}")).collect()
        }
    };
    let preset = options.preset.unwrap_or_else(|| CsvPreset::detect(&headers));
    let mut columns = map_columns(&headers, preset, options);
    if header_index.is_none() {
        guess_headerless_targets(&mut columns, &head, options);
    }
    let info = TableInfo {
        name: name.to_string(),
        encoding: None,
        delimiter: None,
        sheet: None,
        sheet_names: Vec::new(),
        header_row,
        preset,
        columns,
        file_status: None,
        n_bytes: 0,
        estimated_rows: 0,
    };
    Ok(Table { info, head, rest })
}

/// The index of the header row among the first records and its score (matched headers),
/// or `None` when the file starts with data (an email address in the first row).
fn detect_header_row(head: &[Record]) -> (Option<usize>, usize) {
    let mut best: Option<(usize, usize)> = None;
    for (index, record) in head.iter().enumerate().take(20) {
        if is_blank(&record.cells) {
            continue;
        }
        if record.cells.iter().any(|cell| is_email_address(cell.trim())) {
            // Data before any header: no header row, unless one was found above.
            break;
        }
        let score = record
            .cells
            .iter()
            .filter(|cell| matches!(match_header(cell), Some(target) if target != ColumnTarget::Ignore))
            .count();
        if best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((index, score));
        }
    }
    match best {
        Some((index, score)) if score > 0 => (Some(index), score),
        _ => {
            // Nothing matched: the first non-blank row, unless it is data.
            let first = head.iter().position(|record| !is_blank(&record.cells));
            match first {
                Some(index) if !head[index].cells.iter().any(|cell| is_email_address(cell.trim())) => (Some(index), 0),
                _ => (None, 0),
            }
        }
    }
}

/// Each header's target: chosen, remembered, the preset's, the header's words, else a
/// custom property of the header's name.
fn map_columns(headers: &[String], preset: CsvPreset, options: &CsvOptions) -> Vec<Column> {
    let mut used_custom: HashSet<String> = HashSet::new();
    headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let normalized = normalize_header(header);
            let chosen = options
                .mappings
                .iter()
                .find(|(name, _)| normalize_header(name) == normalized || name.trim() == format!("#{}", index + 1))
                .map(|(_, target)| (target.clone(), MappingOrigin::Chosen));
            let (target, origin) = chosen
                .or_else(|| {
                    options.remembered.get(&normalized).map(|target| (target.clone(), MappingOrigin::Remembered))
                })
                .or_else(|| preset.target(header).map(|target| (target, MappingOrigin::Preset)))
                .or_else(|| match_header(header).map(|target| (target, MappingOrigin::Header)))
                .unwrap_or_else(|| {
                    let mut name = custom_property_name(header);
                    if name.is_empty() {
                        name = format!("column_{}", index + 1);
                    }
                    (ColumnTarget::Custom(name), MappingOrigin::Unmatched)
                });
            let target = match target {
                ColumnTarget::Custom(name) => {
                    let mut unique = name.clone();
                    let mut number = 2;
                    while !used_custom.insert(unique.clone()) {
                        unique = format!("{name}_{number}");
                        number += 1;
                    }
                    ColumnTarget::Custom(unique)
                }
                other => other,
            };
            Column { header: header.clone(), target, origin }
        })
        .collect()
}

/// Without headers, the first column holding email addresses is the email.
fn guess_headerless_targets(columns: &mut [Column], head: &[Record], options: &CsvOptions) {
    let email_column = (0..columns.len()).find(|&index| {
        head.iter().any(|record| record.cells.get(index).is_some_and(|cell| is_email_address(cell.trim())))
    });
    if let Some(index) = email_column
        && columns[index].origin != MappingOrigin::Chosen
        && !options.mappings.iter().any(|(_, target)| *target == ColumnTarget::Property(crate::model::Property::Email))
    {
        columns[index].target = ColumnTarget::Property(crate::model::Property::Email);
        columns[index].origin = MappingOrigin::Header;
    }
}

/// The delimiter that splits the sample's records into the same number of fields most often.
pub fn sniff_delimiter(text: &str, is_cut: bool) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for delimiter in DELIMITERS {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut counts: Vec<usize> = reader
            .records()
            .take(HEAD_RECORDS + 1)
            .filter_map(Result::ok)
            .filter(|record| !record.iter().all(|cell| cell.trim().is_empty()))
            .map(|record| record.len())
            .collect();
        if is_cut && counts.len() > 1 {
            counts.pop();
        }
        let mut frequency: HashMap<usize, usize> = HashMap::new();
        for count in &counts {
            *frequency.entry(*count).or_default() += 1;
        }
        let (mode, n_agreeing) = frequency
            .into_iter()
            .filter(|(count, _)| *count > 1)
            .max_by(|left, right| left.1.cmp(&right.1).then(left.0.cmp(&right.0)))
            .unwrap_or((1, 0));
        if (n_agreeing, mode) > (best.1, best.2) {
            best = (delimiter, n_agreeing, mode);
        }
    }
    best.0
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|cell| cell.trim().is_empty())
}

fn read_up_to(reader: &mut dyn Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut n_filled = 0;
    while n_filled < buffer.len() {
        match reader.read(&mut buffer[n_filled..]) {
            Ok(0) => break,
            Ok(n_read) => n_filled += n_read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => (),
            Err(error) => return Err(error),
        }
    }
    Ok(n_filled)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests;
