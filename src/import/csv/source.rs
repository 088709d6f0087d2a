//! Where the records of a table come from: a delimited text file (streamed through the
//! decoder), a member of a zip archive (streamed by a thread that owns the archive, with
//! limits against zip bombs), or a sheet of a spreadsheet (an .xlsx sheet streamed by a
//! thread that owns the workbook; the older formats read whole).

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use crossbeam_channel::{Receiver, bounded};

use super::{Error as CsvError, Record};

/// A member of a zip archive may not unpack to more than this.
pub const MAX_MEMBER_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// Nor unpack to more than this many times its packed size, once it is past a few MB.
pub const MAX_COMPRESSION_RATIO: u64 = 200;
const RATIO_CHECK_FROM_BYTES: u64 = 8 * 1024 * 1024;
/// Archives with more members than this are not contact exports.
const MAX_MEMBERS: usize = 1_000;

/// A boxed stream of records, as every source yields them.
pub type Records = Box<dyn Iterator<Item = Result<Record, CsvError>> + Send>;

/// The members of a zip archive worth reading (delimited text), by index and name.
pub fn zip_members(path: &Path) -> Result<Vec<(usize, String)>, CsvError> {
    let file = File::open(path).map_err(|source| CsvError::Read { path: path.to_path_buf(), source })?;
    let mut archive = zip::ZipArchive::new(file).map_err(|error| CsvError::Archive(error.to_string()))?;
    if archive.len() > MAX_MEMBERS {
        return Err(CsvError::ZipBomb(format!("it holds {} files", archive.len())));
    }
    let mut members = Vec::new();
    for index in 0..archive.len() {
        let member = archive.by_index_raw(index).map_err(|error| CsvError::Archive(error.to_string()))?;
        let name = member.name().map_err(|error| CsvError::Archive(error.to_string()))?.to_string();
        let base = name.rsplit('/').next().unwrap_or(&name).to_string();
        let lower = base.to_lowercase();
        if member.is_dir() || base.starts_with('.') || name.starts_with("__MACOSX") {
            continue;
        }
        if !(lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv")) {
            continue;
        }
        check_member_size(&base, member.size(), member.compressed_size())?;
        members.push((index, base));
    }
    Ok(members)
}

fn check_member_size(name: &str, size: u64, compressed_size: u64) -> Result<(), CsvError> {
    if size > MAX_MEMBER_BYTES {
        return Err(CsvError::ZipBomb(format!("{name} would unpack to {} MB", size / 1_000_000)));
    }
    if size > RATIO_CHECK_FROM_BYTES && size / compressed_size.max(1) > MAX_COMPRESSION_RATIO {
        return Err(CsvError::ZipBomb(format!(
            "{name} would unpack to {} MB from {} KB",
            size / 1_000_000,
            compressed_size / 1_000
        )));
    }
    Ok(())
}

/// Streams one member of the archive. A thread owns the archive and sends chunks; it stops
/// with an error when the member unpacks to more than it declared or than the limits allow.
pub fn zip_member_reader(path: &Path, index: usize) -> Result<ChannelReader, CsvError> {
    let file = File::open(path).map_err(|source| CsvError::Read { path: path.to_path_buf(), source })?;
    let (sender, receiver) = bounded::<io::Result<Vec<u8>>>(8);
    std::thread::spawn(move || {
        let result = (|| -> io::Result<()> {
            let mut archive = zip::ZipArchive::new(file).map_err(io::Error::other)?;
            let mut member = archive.by_index(index).map_err(io::Error::other)?;
            let declared = member.size();
            let limit = declared.min(MAX_MEMBER_BYTES);
            let mut n_read: u64 = 0;
            loop {
                let mut chunk = vec![0; 256 * 1024];
                let n = member.read(&mut chunk)?;
                if n == 0 {
                    return Ok(());
                }
                n_read += n as u64;
                if n_read > limit {
                    return Err(io::Error::other("the member unpacks to more than it declares (a zip bomb?)"));
                }
                chunk.truncate(n);
                if sender.send(Ok(chunk)).is_err() {
                    return Ok(());
                }
            }
        })();
        if let Err(error) = result {
            let _ = sender.send(Err(error));
        }
    });
    Ok(ChannelReader { receiver, chunk: Cursor::new(Vec::new()) })
}

/// A `Read` over chunks sent by another thread.
pub struct ChannelReader {
    receiver: Receiver<io::Result<Vec<u8>>>,
    chunk: Cursor<Vec<u8>>,
}

impl Read for ChannelReader {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        loop {
            let n_read = self.chunk.read(buffer)?;
            if n_read > 0 || buffer.is_empty() {
                return Ok(n_read);
            }
            match self.receiver.recv() {
                Ok(Ok(chunk)) => self.chunk = Cursor::new(chunk),
                Ok(Err(error)) => return Err(error),
                Err(_) => return Ok(0),
            }
        }
    }
}

/// The records of a delimited text stream (already decoded to UTF-8). Every record keeps
/// the physical line it starts on; rows may have any number of fields.
pub fn delimited_records(reader: Box<dyn Read + Send>, delimiter: u8) -> Records {
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(256 * 1024)
        .from_reader(BlankLineKeeper::new(reader, delimiter));
    let mut records = reader.into_records();
    // The CSV reader skips blank lines and numbers lines oddly after CRLF; with blank lines
    // kept as records, counting records and the line ends inside them gives the real line.
    let mut next_line = 1;
    Box::new(std::iter::from_fn(move || {
        let record = records.next()?;
        Some(match record {
            Ok(record) => {
                let line = next_line;
                let n_inner_line_ends: usize = record.iter().map(|cell| cell.matches('\n').count()).sum();
                next_line = line + 1 + n_inner_line_ends;
                Ok(Record { line, cells: record.iter().map(str::to_string).collect() })
            }
            Err(error) => match error.kind() {
                csv::ErrorKind::Io(io_error) => Err(CsvError::Stream(io_error.to_string())),
                _ => Err(CsvError::Stream(error.to_string())),
            },
        })
    }))
}

/// Turns each blank line (outside quotes) into a line of one delimiter, an empty record,
/// so that the CSV reader keeps it and line numbers stay true. Quotes are tracked the way
/// the reader reads them: a quote opens a quoted field only at the start of a field, and a
/// doubled quote inside one is a quote.
struct BlankLineKeeper<R> {
    inner: R,
    delimiter: u8,
    input: Vec<u8>,
    output: Vec<u8>,
    output_start: usize,
    quoting: Quoting,
    is_at_line_start: bool,
    was_cr: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Outside {
        is_at_field_start: bool,
    },
    Inside,
    /// A quote inside a quoted field: it closes the field unless another quote follows.
    QuoteInside,
}

impl<R: Read> BlankLineKeeper<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        BlankLineKeeper {
            inner,
            delimiter,
            input: vec![0; 64 * 1024],
            output: Vec::with_capacity(128 * 1024),
            output_start: 0,
            quoting: Quoting::Outside { is_at_field_start: true },
            is_at_line_start: true,
            was_cr: false,
        }
    }

    fn push(&mut self, byte: u8) {
        if self.quoting == Quoting::QuoteInside {
            if byte == b'"' {
                self.quoting = Quoting::Inside;
                self.output.push(byte);
                return;
            }
            self.quoting = Quoting::Outside { is_at_field_start: false };
        }
        let Quoting::Outside { is_at_field_start } = self.quoting else {
            if byte == b'"' {
                self.quoting = Quoting::QuoteInside;
            }
            self.output.push(byte);
            return;
        };
        let is_line_end = byte == b'\n' || byte == b'\r';
        let is_crlf_end = byte == b'\n' && self.was_cr;
        if is_line_end && self.is_at_line_start && !is_crlf_end {
            self.output.push(self.delimiter);
        }
        self.output.push(byte);
        self.quoting = if byte == b'"' && is_at_field_start {
            Quoting::Inside
        } else {
            Quoting::Outside { is_at_field_start: byte == self.delimiter || is_line_end }
        };
        self.is_at_line_start = is_line_end;
        self.was_cr = byte == b'\r';
    }
}

impl<R: Read> Read for BlankLineKeeper<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.output_start == self.output.len() {
            let n_read = self.inner.read(&mut self.input)?;
            if n_read == 0 {
                return Ok(0);
            }
            self.output.clear();
            self.output_start = 0;
            let input = std::mem::take(&mut self.input);
            for &byte in &input[..n_read] {
                self.push(byte);
            }
            self.input = input;
        }
        let n_copied = buffer.len().min(self.output.len() - self.output_start);
        buffer[..n_copied].copy_from_slice(&self.output[self.output_start..self.output_start + n_copied]);
        self.output_start += n_copied;
        Ok(n_copied)
    }
}

/// A spreadsheet's sheet names and, for each sheet, its first rows and how many rows it has:
/// enough to choose the sheet to import.
pub struct WorkbookHeads {
    pub sheet_names: Vec<String>,
    pub heads: Vec<Vec<Record>>,
    pub n_rows: Vec<usize>,
}

/// The first `n_head` rows of every sheet of an .xlsx, .xlsm, .xls, .xlsb or .ods file.
pub fn read_workbook_heads(path: &Path, n_head: usize) -> Result<WorkbookHeads, CsvError> {
    // The cell readers are fused below: asked again after its last cell, calamine's reader
    // reports the sheet as cut short.
    if let Ok(mut workbook) = open_xlsx(path) {
        let sheet_names = workbook.sheet_names();
        let mut heads = Vec::new();
        let mut n_rows = Vec::new();
        for name in &sheet_names {
            let mut cells = workbook.worksheet_cells_reader(name).map_err(spreadsheet_error)?;
            let dimensions = cells.dimensions();
            n_rows.push((dimensions.end.0 + 1).saturating_sub(dimensions.start.0) as usize);
            let mut rows = XlsxRows::new(std::iter::from_fn(|| cells.next_cell().transpose()).fuse());
            heads.push(rows.by_ref().take(n_head).collect::<Result<Vec<_>, _>>()?);
        }
        return Ok(WorkbookHeads { sheet_names, heads, n_rows });
    }
    let (sheet_names, sheets) = read_whole_workbook(path)?;
    let n_rows = sheets.iter().map(Vec::len).collect();
    let heads = sheets.into_iter().map(|rows| rows.into_iter().take(n_head).collect()).collect();
    Ok(WorkbookHeads { sheet_names, heads, n_rows })
}

/// The rows of one sheet. An .xlsx sheet streams from a thread that owns the workbook, so
/// that a sheet of a million rows never sits in memory as a whole; the older formats are
/// read whole.
pub fn sheet_records(path: &Path, sheet_name: &str) -> Result<Records, CsvError> {
    let Ok(mut workbook) = open_xlsx(path) else {
        let (sheet_names, sheets) = read_whole_workbook(path)?;
        let index = sheet_names.iter().position(|name| name == sheet_name);
        let rows = index.and_then(|index| sheets.into_iter().nth(index)).unwrap_or_default();
        return Ok(Box::new(rows.into_iter().map(Ok)));
    };
    // Opened here so that a missing sheet is an error now, not the stream's first item.
    workbook.worksheet_cells_reader(sheet_name).map_err(spreadsheet_error)?;
    let (sender, receiver) = bounded::<Result<Record, CsvError>>(1024);
    let sheet_name = sheet_name.to_string();
    std::thread::spawn(move || {
        let mut cells = match workbook.worksheet_cells_reader(&sheet_name) {
            Ok(cells) => cells,
            Err(error) => {
                let _ = sender.send(Err(spreadsheet_error(error)));
                return;
            }
        };
        for row in XlsxRows::new(std::iter::from_fn(|| cells.next_cell().transpose()).fuse()) {
            let is_error = row.is_err();
            // The reader stopped listening, or the sheet is broken: either way, done.
            if sender.send(row).is_err() || is_error {
                return;
            }
        }
    });
    Ok(Box::new(receiver.into_iter()))
}

fn open_xlsx(path: &Path) -> Result<Xlsx<BufReader<File>>, calamine::XlsxError> {
    calamine::open_workbook::<Xlsx<_>, _>(path)
}

fn spreadsheet_error(error: impl std::fmt::Display) -> CsvError {
    CsvError::Spreadsheet(error.to_string())
}

/// Rows made of an .xlsx sheet's cells, which come row by row, left to right; rows without
/// cells are left out (their line numbers are kept by the next row's).
struct XlsxRows<I> {
    cells: I,
    /// The first cell of the next row, read while finishing the previous one.
    next: Option<calamine::Cell<Data>>,
    is_done: bool,
}

impl<'a, I> XlsxRows<I>
where
    I: Iterator<Item = Result<calamine::Cell<calamine::DataRef<'a>>, calamine::XlsxError>>,
{
    fn new(cells: I) -> Self {
        XlsxRows { cells, next: None, is_done: false }
    }

    fn next_cell(&mut self) -> Option<Result<calamine::Cell<Data>, CsvError>> {
        if let Some(cell) = self.next.take() {
            return Some(Ok(cell));
        }
        let cell = self.cells.next()?;
        Some(
            cell.map(|cell| calamine::Cell::new(cell.get_position(), Data::from(cell.get_value().clone())))
                .map_err(spreadsheet_error),
        )
    }
}

impl<'a, I> Iterator for XlsxRows<I>
where
    I: Iterator<Item = Result<calamine::Cell<calamine::DataRef<'a>>, calamine::XlsxError>>,
{
    type Item = Result<Record, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.is_done {
            return None;
        }
        let first = match self.next_cell()? {
            Ok(cell) => cell,
            Err(error) => {
                self.is_done = true;
                return Some(Err(error));
            }
        };
        let row = first.get_position().0;
        let mut cells = Vec::new();
        let mut put = |cell: &calamine::Cell<Data>| {
            let column = cell.get_position().1 as usize;
            if cells.len() <= column {
                cells.resize(column + 1, String::new());
            }
            cells[column] = cell_text(cell.get_value());
        };
        put(&first);
        while let Some(cell) = self.next_cell() {
            match cell {
                Ok(cell) if cell.get_position().0 == row => put(&cell),
                Ok(cell) => {
                    self.next = Some(cell);
                    break;
                }
                Err(error) => {
                    self.is_done = true;
                    return Some(Err(error));
                }
            }
        }
        Some(Ok(Record { line: row as usize + 1, cells }))
    }
}

/// Every sheet of an .xls, .xlsb or .ods file, read whole. Dates become `YYYY-MM-DD` (with
/// the time when there is one), whole numbers lose Excel's ".0".
fn read_whole_workbook(path: &Path) -> Result<(Vec<String>, Vec<Vec<Record>>), CsvError> {
    let mut workbook = calamine::open_workbook_auto(path).map_err(spreadsheet_error)?;
    let sheet_names = workbook.sheet_names();
    let mut sheets = Vec::new();
    for name in &sheet_names {
        let range = workbook.worksheet_range(name).map_err(spreadsheet_error)?;
        let first_row = range.start().map_or(0, |(row, _)| row as usize);
        let first_column = range.start().map_or(0, |(_, column)| column as usize);
        let rows = range
            .rows()
            .enumerate()
            .map(|(index, row)| {
                let mut cells: Vec<String> = vec![String::new(); first_column];
                cells.extend(row.iter().map(cell_text));
                Record { line: first_row + index + 1, cells }
            })
            .collect();
        sheets.push(rows);
    }
    Ok((sheet_names, sheets))
}

/// A cell as the user sees it in the spreadsheet.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Bool(value) => value.to_string(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => number_text(*value),
        Data::DateTime(date_time) => match date_time.as_datetime() {
            Some(value) if date_time.is_datetime() => {
                if value.time() == chrono::NaiveTime::MIN {
                    value.format("%Y-%m-%d").to_string()
                } else {
                    value.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            _ => number_text(date_time.as_f64()),
        },
    }
}

/// `5550100121`, not `5550100121.0`; other numbers in their shortest form.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { value.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_the_spurious_fraction() {
        assert_eq!(number_text(5550100121.0), "5550100121");
        assert_eq!(number_text(1234.5), "1234.5");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
    }

    #[test]
    fn line_numbers_count_blank_lines_crlf_and_quoted_line_ends() {
        for text in ["a\nb\n\nc\n\"x\ny\"\nd\n", "a\r\nb\r\n\r\nc\r\n\"x\r\ny\"\r\nd\r\n", "a\rb\r\rc\r\"x\ny\"\rd\r"] {
            let records: Vec<Record> =
                delimited_records(Box::new(Cursor::new(text.as_bytes().to_vec())), b',').map(Result::unwrap).collect();
            let lines: Vec<(usize, String)> = records
                .iter()
                .filter(|record| record.cells.iter().any(|cell| !cell.is_empty()))
                .map(|record| (record.line, record.cells[0].replace('\r', "")))
                .collect();
            let expected = vec![(1, "a".into()), (2, "b".into()), (4, "c".into()), (5, "x\ny".into()), (7, "d".into())];
            assert_eq!(lines, expected, "{text:?}");
        }
    }

    #[test]
    fn stray_quotes_do_not_move_blank_lines_into_fields() {
        let text = "Name,Note\n5\" screen,x\n\"two\n\nlines\",y\n\nlast,z\n";
        let records: Vec<Record> =
            delimited_records(Box::new(Cursor::new(text.as_bytes().to_vec())), b',').map(Result::unwrap).collect();
        let cells: Vec<(usize, Vec<String>)> = records
            .into_iter()
            .filter(|record| record.cells.iter().any(|cell| !cell.is_empty()))
            .map(|record| (record.line, record.cells))
            .collect();
        assert_eq!(cells[1], (2, vec!["5\" screen".to_string(), "x".to_string()]));
        assert_eq!(cells[2], (3, vec!["two\n\nlines".to_string(), "y".to_string()]));
        assert_eq!(cells[3], (7, vec!["last".to_string(), "z".to_string()]));
    }

    #[test]
    fn member_sizes_are_checked_before_unpacking() {
        assert!(check_member_size("a.csv", 3_000, 1_000).is_ok());
        assert!(check_member_size("a.csv", 5_000_000_000, 5_000_000).is_err());
        assert!(check_member_size("a.csv", 1_000_000_000, 1_000_000).is_err());
        assert!(check_member_size("a.csv", 100_000_000, 20_000_000).is_ok());
    }
}
