//! A file far larger than memory allows streams through the CSV reader: rows are read,
//! decoded and mapped one at a time. The file is generated while it is read, so the test
//! needs no disk; it runs alone in its own process so that the peak memory is its own.

use std::io::Read;

use rolo::import::csv::{CsvOptions, TextEncoding, open_stream};

#[path = "support/memory.rs"]
mod memory;
use memory::peak_memory_bytes;

/// Windows-1252 rows, generated on the fly up to `limit` bytes.
struct GeneratedCsv {
    limit: u64,
    n_produced: u64,
    row: u64,
    pending: Vec<u8>,
}

impl Read for GeneratedCsv {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            if self.n_produced >= self.limit {
                return Ok(0);
            }
            self.pending = if self.row == 0 {
                b"E-Mail-Adresse;Vorname;Nachname;Firma;Notizen\r\n".to_vec()
            } else {
                let row = self.row;
                let line = format!(
                    "person{row}@example.de;Jürgen;Müller {row};Müller GmbH;\"Notiz; {}\"\r\n",
                    "Grüße aus Köln ".repeat(3)
                );
                encoding_rs::WINDOWS_1252.encode(&line).0.into_owned()
            };
            self.row += 1;
        }
        let n_copied = buffer.len().min(self.pending.len());
        buffer[..n_copied].copy_from_slice(&self.pending[..n_copied]);
        self.pending.drain(..n_copied);
        self.n_produced += n_copied as u64;
        Ok(n_copied)
    }
}

#[test]
fn a_quarter_gigabyte_streams_in_bounded_memory() {
    let limit = 256 * 1024 * 1024;
    let source = GeneratedCsv { limit, n_produced: 0, row: 0, pending: Vec::new() };
    let options = CsvOptions { encoding: TextEncoding::from_label("windows-1252"), ..CsvOptions::default() };
    let table = open_stream(Box::new(source), "generated.csv", &options).unwrap();
    assert_eq!(table.info.delimiter, Some(b';'));
    let mut n_rows = 0u64;
    let mut n_valid = 0u64;
    for row in table.rows() {
        let row = row.unwrap();
        if n_rows == 0 {
            assert_eq!(row.draft.get(rolo::model::Property::LastName), Some("Müller 1"));
        }
        n_rows += 1;
        n_valid += u64::from(row.is_valid());
    }
    assert!(n_rows > 2_000_000, "{n_rows} rows");
    assert_eq!(n_valid, n_rows);
    let peak = peak_memory_bytes();
    eprintln!("{n_rows} rows, peak memory {} MB", peak >> 20);
    if peak > 0 {
        assert!(peak < 64 * 1024 * 1024, "peak memory {} MB for a {} MB file", peak >> 20, limit >> 20);
    }
}
