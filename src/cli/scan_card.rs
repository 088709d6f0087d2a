//! `rolo scan card`: the business card in each image file, read as the TUI's card scanner
//! reads a capture, printed as text or JSON, and saved with its picture on request.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::{Map, Value, json};

use super::scan::{saved_json, write_saved};
use super::{EXIT_NO_CODE, ScanCardArgs, safe_json};
use crate::capture;
use crate::extract::card::{self, CardReader, CardScan};
use crate::extract::card_text::LOW_CONFIDENCE;
use crate::model::{STANDARD_PROPERTIES, Source, Timestamp, sanitize_line};
use crate::store::{CardImage, Outcome, SETTING_OCR_LANGUAGE, Store};

/// What one image gave.
struct ImageRead {
    /// The file as given on the command line.
    label: String,
    result: Result<CardScan, String>,
    saved: Option<Outcome>,
}

pub fn scan_card(store: &mut Store, args: &ScanCardArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let mut reader = reader_for(store, args.language.as_deref())?;
    let mut reads: Vec<ImageRead> =
        args.images.iter().map(|path| read_image(&mut reader, path, args.corners)).collect();
    if args.save {
        let options = store.scan_write_options(Source::BusinessCardScanner, Timestamp::now())?;
        for read in &mut reads {
            let Ok(scan) = &read.result else { continue };
            let draft = scan.reading.to_draft();
            if draft.is_empty() {
                continue;
            }
            let image = CardImage {
                format: "jpeg".to_string(),
                width: scan.card.width(),
                height: scan.card.height(),
                bytes: scan.card_jpeg.clone(),
            };
            let outcome =
                store.save_draft_with_card_image(&draft, &options, &image).context("saving the scanned contact")?;
            read.saved = Some(outcome);
        }
    }
    if args.json {
        let objects: Vec<Value> = reads.iter().map(read_json).collect();
        safe_json::write_pretty(out, &objects)?;
    } else {
        for read in &reads {
            write_read(read, out)?;
        }
    }
    let n_unread = reads.iter().filter(|read| read.result.is_err()).count();
    if n_unread == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    out.flush()?;
    eprintln!("rolo: no readable card in {n_unread} of {} image(s)", reads.len());
    Ok(ExitCode::from(EXIT_NO_CODE))
}

/// The card reader for `--lang`, else the `ocr_language` setting (whose locale default falls
/// back to English when Tesseract lacks the locale's language).
pub fn reader_for(store: &Store, language: Option<&str>) -> anyhow::Result<CardReader> {
    let region = store.default_region()?;
    Ok(match language {
        Some(language) => card::open_reader(language, &region)?,
        None if store.setting(SETTING_OCR_LANGUAGE)?.is_some() => card::open_reader(&store.ocr_language()?, &region)?,
        None => card::open_reader_or_english(&store.ocr_language()?, &region)?,
    })
}

fn read_image(reader: &mut CardReader, path: &Path, corners: Option<capture::Quad>) -> ImageRead {
    let label = path.display().to_string();
    let result = capture::read_image(path)
        .map_err(|error| error.to_string())
        .and_then(|image| reader.read(&image, corners).map_err(|error| error.to_string()));
    ImageRead { label, result, saved: None }
}

/// `{"file", "corners", "lines", "properties", "confidence", "saved"?}` or `{"file", "error"}`.
fn read_json(read: &ImageRead) -> Value {
    let mut object = Map::new();
    object.insert("file".into(), json!(read.label));
    match &read.result {
        Err(error) => {
            object.insert("error".into(), json!(error));
        }
        Ok(scan) => {
            object.insert("corners".into(), json!(scan.corners.to_arrays()));
            object.insert("rotation".into(), json!(scan.rotation));
            object.insert("lines".into(), json!(scan.reading.lines));
            object.insert("properties".into(), Value::Object(scan.reading.to_draft().to_json_map()));
            let mut confidence = Map::new();
            for candidate in &scan.reading.candidates {
                let value = (f64::from(candidate.confidence.clamp(0.0, 1.0)) * 100.0).round() / 100.0;
                confidence.entry(candidate.property.key()).or_insert(json!(value));
            }
            object.insert("confidence".into(), Value::Object(confidence));
            if let Some(outcome) = &read.saved {
                object.insert("saved".into(), saved_json(outcome));
            }
        }
    }
    Value::Object(object)
}

/// One block per image: the file, the suggested properties (doubtful ones marked), the OCR
/// lines, then what saving did.
fn write_read(read: &ImageRead, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{}", sanitize_line(&read.label))?;
    let scan = match &read.result {
        Ok(scan) => scan,
        Err(error) => {
            writeln!(out, "  cannot read a card: {}", sanitize_line(error))?;
            return Ok(());
        }
    };
    let reading = &scan.reading;
    for property in STANDARD_PROPERTIES {
        for candidate in reading.candidates.iter().filter(|candidate| candidate.property == property) {
            let mark = if candidate.confidence < LOW_CONFIDENCE { "?" } else { " " };
            writeln!(out, "  {mark} {}: {}", property.label(), sanitize_line(&candidate.value))?;
        }
    }
    writeln!(out, "  text on the card:")?;
    for line in &reading.lines {
        writeln!(out, "    | {}", sanitize_line(line))?;
    }
    if let Some(outcome) = &read.saved {
        write_saved(outcome, "the card", out)?;
    }
    Ok(())
}
