//! A large .xlsx sheet streams through the import reader: its rows come one at a time from
//! a thread that owns the workbook, never as one range of cells in memory. The workbook is
//! written by the test (a minimal SpreadsheetML package through the zip crate); the test runs
//! alone in its own process so that the peak memory is its own.

use std::io::Write;
use std::path::Path;

use rolo::import::csv::{CsvOptions, open_tables};
use rolo::model::Property;

#[path = "support/memory.rs"]
mod memory;
use memory::peak_memory_bytes;

const N_ROWS: usize = 300_000;

/// Writes a one-sheet workbook of `n_rows` contacts below a header row, with inline strings
/// (no shared-string table) and a blank row after the header.
fn write_xlsx(path: &Path, n_rows: usize) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let last_row = n_rows + 2;
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:E{last_row}"/><sheetData>"#
    )
    .unwrap();
    let cell = |column: char, row: usize, text: &str| {
        format!(r#"<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>"#)
    };
    let header = ["Email Address", "First Name", "Last Name", "Company", "Phone"];
    let header_cells: String = header.iter().zip('A'..).map(|(text, column)| cell(column, 1, text)).collect();
    write!(zip, r#"<row r="1">{header_cells}</row>"#).unwrap();
    for index in 0..n_rows {
        // Row 2 stays blank: rows without cells are not in the file at all.
        let row = index + 3;
        let cells = [
            cell('A', row, &format!("person{index}@example.org")),
            cell('B', row, "Ada"),
            cell('C', row, &format!("Lovelace {index}")),
            cell('D', row, "Analytical Engines Ltd"),
            // A number cell: no spurious ".0".
            format!(r#"<c r="E{row}"><v>{}</v></c>"#, 4420_7946_0000u64 + index as u64),
        ];
        write!(zip, r#"<row r="{row}">{}</row>"#, cells.concat()).unwrap();
    }
    write!(zip, "</sheetData></worksheet>").unwrap();
    zip.finish().unwrap();
}

#[test]
fn a_large_sheet_streams_row_by_row_in_bounded_memory() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("contacts.xlsx");
    write_xlsx(&path, N_ROWS);
    let before = peak_memory_bytes();

    let mut tables = open_tables(&path, &CsvOptions::default()).unwrap();
    assert_eq!(tables.len(), 1);
    let table = tables.remove(0);
    assert_eq!(table.info.sheet.as_deref(), Some("Contacts"));
    assert_eq!(table.info.header_row, 1);
    assert!(table.info.estimated_rows >= N_ROWS, "{} rows estimated", table.info.estimated_rows);
    let mut n_rows = 0usize;
    let mut last_line = 0;
    for row in table.rows() {
        let row = row.unwrap();
        if n_rows == 0 {
            assert_eq!(row.draft.get(Property::Email), Some("person0@example.org"));
            assert_eq!(row.draft.get(Property::Phone), Some("442079460000"));
            assert_eq!(row.line, 3, "the blank row keeps its line number");
        }
        last_line = row.line;
        n_rows += 1;
    }
    assert_eq!(n_rows, N_ROWS);
    assert_eq!(last_line, N_ROWS + 2);

    let peak = peak_memory_bytes();
    eprintln!("{n_rows} rows, peak memory {} MB (before reading: {} MB)", peak >> 20, before >> 20);
    if peak > 0 {
        // Read whole, the sheet's 1.5 million cells took well over 100 MB.
        assert!(peak < 64 * 1024 * 1024, "peak memory {} MB", peak >> 20);
    }
}
