//! `rolo scan qr` and `rolo scan cameras`: the codes in image files (or the first one a
//! camera sees), their contact payloads, and saving those contacts as the scanner does.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Map, Value, json};

use super::{EXIT_NO_CODE, ScanQrArgs, safe_json};
use crate::capture::{self, CaptureEvent, CaptureWorker, LatestFrame, SourceSpec};
use crate::extract::qr::{Decoder, Payload, ScanEvent, ScanWorker, ScannedCode, scan_frame};
use crate::model::{ContactDraft, Property, STANDARD_PROPERTIES, Source, Timestamp, sanitize_line};
use crate::store::{Outcome, OutcomeKind, Store};

/// What one image (or the camera) gave.
struct ImageScan {
    /// The file as given on the command line, or "camera N".
    label: String,
    codes: Vec<ScannedCode>,
    /// Why the image could not be read.
    error: Option<String>,
    /// For each code, what saving its contact did (`None`: not saved, or no contact).
    outcomes: Vec<Option<Outcome>>,
}

pub fn scan_qr(store: &mut Store, args: &ScanQrArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let mut scans = match args.camera {
        Some(index) => vec![scan_camera(index, args.resolution, Duration::from_secs(args.timeout))?],
        None => {
            let mut decoder = Decoder::new();
            args.images.iter().map(|path| scan_image(&mut decoder, path)).collect()
        }
    };
    if args.save {
        let options = store.scan_write_options(Source::QrCodeScanner, Timestamp::now())?;
        for scan in &mut scans {
            for scanned in &scan.codes {
                let outcome = match scanned.payload.to_draft() {
                    Some(draft) => Some(store.save_draft(&draft, &options).context("saving the scanned contact")?),
                    None => None,
                };
                scan.outcomes.push(outcome);
            }
        }
    }
    if args.json {
        let objects: Vec<Value> = scans.iter().map(scan_json).collect();
        safe_json::write_pretty(out, &objects)?;
    } else {
        for scan in &scans {
            write_scan(scan, out)?;
        }
    }
    let n_without_code = scans.iter().filter(|scan| scan.codes.is_empty()).count();
    if n_without_code == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    out.flush()?;
    eprintln!("rolo: no code found in {n_without_code} of {} image(s)", scans.len());
    Ok(ExitCode::from(EXIT_NO_CODE))
}

/// `rolo scan cameras`: one line per camera; no camera is an error with advice.
pub fn list_cameras(out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let cameras = capture::list_cameras()?;
    if cameras.is_empty() {
        return Err(capture::Error::NoCamera { detail: None }.into());
    }
    for camera in cameras {
        writeln!(out, "{}  {}  ({})", camera.index, sanitize_line(&camera.name), sanitize_line(&camera.description))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn scan_image(decoder: &mut Decoder, path: &Path) -> ImageScan {
    let label = path.display().to_string();
    match capture::read_image(path) {
        Ok(image) => {
            let frame = capture::Frame::new(capture::FrameId(1), image, capture::FrameOrigin::File(path.to_path_buf()));
            let scan = scan_frame(decoder, frame);
            ImageScan { label, codes: scan.codes, error: None, outcomes: Vec::new() }
        }
        Err(error) => ImageScan { label, codes: Vec::new(), error: Some(error.to_string()), outcomes: Vec::new() },
    }
}

/// Events of the camera run: frames from the capture worker, results from the scan worker.
enum CameraEvent {
    Capture(CaptureEvent),
    Scan(ScanEvent),
}

impl From<CaptureEvent> for CameraEvent {
    fn from(event: CaptureEvent) -> Self {
        CameraEvent::Capture(event)
    }
}

impl From<ScanEvent> for CameraEvent {
    fn from(event: ScanEvent) -> Self {
        CameraEvent::Scan(event)
    }
}

/// Streams the camera through the capture and scan workers until a frame holds a code.
fn scan_camera(index: u32, resolution: Option<capture::Resolution>, timeout: Duration) -> anyhow::Result<ImageScan> {
    let (sender, receiver) = crossbeam_channel::unbounded::<CameraEvent>();
    let scanner = ScanWorker::spawn(sender.clone());
    let latest = LatestFrame::new();
    let capture = CaptureWorker::spawn(SourceSpec::Camera { index, resolution }, latest.clone(), sender);
    let label = format!("camera {index}");
    let deadline = Instant::now() + timeout;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let Ok(event) = receiver.recv_timeout(remaining) else {
            return Ok(ImageScan { label, codes: Vec::new(), error: None, outcomes: Vec::new() });
        };
        match event {
            CameraEvent::Capture(CaptureEvent::Started { description }) => {
                eprintln!("rolo: reading {}; show it a code", sanitize_line(&description));
            }
            CameraEvent::Capture(CaptureEvent::FrameReady) => {
                if let Some(frame) = latest.take() {
                    scanner.submit(frame);
                }
            }
            CameraEvent::Capture(CaptureEvent::Failed(error)) => return Err(error.into()),
            CameraEvent::Capture(CaptureEvent::Skipped(_) | CaptureEvent::Finished) => (),
            CameraEvent::Scan(ScanEvent::Scanned(scan)) if !scan.codes.is_empty() => {
                capture.stop();
                return Ok(ImageScan { label, codes: scan.codes, error: None, outcomes: Vec::new() });
            }
            CameraEvent::Scan(ScanEvent::Scanned(_)) => (),
        }
    }
}

/// `{"file", "codes": [{"format", "text", "kind", "properties"?, "saved"?}], "error"?}`.
fn scan_json(scan: &ImageScan) -> Value {
    let codes: Vec<Value> = scan
        .codes
        .iter()
        .enumerate()
        .map(|(index, scanned)| {
            let mut object = Map::new();
            object.insert("format".into(), json!(scanned.code.format.key()));
            object.insert("text".into(), json!(scanned.code.text));
            object.insert("kind".into(), json!(scanned.payload.kind().key()));
            if let Some(draft) = scanned.payload.to_draft() {
                object.insert("properties".into(), Value::Object(draft.to_json_map()));
            }
            if let Some(Some(outcome)) = scan.outcomes.get(index) {
                object.insert("saved".into(), saved_json(outcome));
            }
            Value::Object(object)
        })
        .collect();
    let mut object = Map::new();
    object.insert("file".into(), json!(scan.label));
    object.insert("codes".into(), Value::Array(codes));
    if let Some(error) = &scan.error {
        object.insert("error".into(), json!(error));
    }
    Value::Object(object)
}

/// One block per image: the file, then each code with its payload, then what saving did.
fn write_scan(scan: &ImageScan, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "{}", sanitize_line(&scan.label))?;
    if let Some(error) = &scan.error {
        writeln!(out, "  cannot read it: {}", sanitize_line(error))?;
    } else if scan.codes.is_empty() {
        writeln!(out, "  no code found")?;
    }
    for (index, scanned) in scan.codes.iter().enumerate() {
        writeln!(out, "  {}: {}", scanned.code.format.label(), payload_description(&scanned.payload))?;
        match scanned.payload.to_draft() {
            Some(draft) => write_draft(&draft, out)?,
            None => {
                for line in scanned.code.text.lines().take(40) {
                    writeln!(out, "    {}", sanitize_line(line))?;
                }
            }
        }
        if let Some(Some(outcome)) = scan.outcomes.get(index) {
            write_saved(outcome, "the code", out)?;
        }
    }
    Ok(())
}

/// What saving a scanned contact did, and the user's values it kept ("the card says …").
pub(super) fn write_saved(outcome: &Outcome, scanned: &str, out: &mut dyn Write) -> anyhow::Result<()> {
    let verb = match outcome.kind {
        OutcomeKind::Created => "saved as new contact",
        OutcomeKind::Updated => "updated contact",
        OutcomeKind::Unchanged => "already saved as contact",
    };
    writeln!(out, "  {verb} {}", outcome.contact_id)?;
    for conflict in &outcome.conflicts {
        writeln!(
            out,
            "  kept your {}: {} ({scanned} says {})",
            sanitize_line(&conflict.property),
            sanitize_line(&conflict.kept),
            sanitize_line(&conflict.offered)
        )?;
    }
    Ok(())
}

/// The `saved` object of `--json`: the contact's id, what saving did, the values kept.
pub(super) fn saved_json(outcome: &Outcome) -> Value {
    json!({
        "contact_id": outcome.contact_id.0,
        "outcome": outcome_key(outcome.kind),
        "conflicts": outcome.conflicts,
    })
}

/// "Job title: CTO" lines in form order, then custom properties.
fn write_draft(draft: &ContactDraft, out: &mut dyn Write) -> anyhow::Result<()> {
    for property in STANDARD_PROPERTIES {
        let value = match property {
            Property::AdditionalEmails => draft.additional_emails.join(", "),
            Property::AdditionalPhones => draft
                .additional_phones
                .iter()
                .map(|phone| format!("{}: {}", phone.kind, phone.value))
                .collect::<Vec<_>>()
                .join(", "),
            _ => draft.get(property).unwrap_or_default().to_string(),
        };
        if !value.is_empty() {
            writeln!(out, "    {}: {}", property.label(), sanitize_line(&value))?;
        }
    }
    for (name, value) in &draft.custom {
        writeln!(out, "    {}: {}", sanitize_line(name), sanitize_line(value))?;
    }
    Ok(())
}

fn payload_description(payload: &Payload) -> &'static str {
    match payload {
        Payload::AddressBook(_) => "contact",
        Payload::Email(_) => "email address",
        Payload::Tel { .. } => "phone number",
        Payload::Uri { .. } => "web address",
        Payload::Text(_) => "text",
    }
}

fn outcome_key(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Created => "created",
        OutcomeKind::Updated => "updated",
        OutcomeKind::Unchanged => "unchanged",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_files_are_reported_per_file() {
        let directory = tempfile::tempdir().unwrap();
        let text_file = directory.path().join("notes.jpg");
        std::fs::write(&text_file, "hello").unwrap();
        let missing = directory.path().join("missing.png");
        let mut decoder = Decoder::new();
        let scan = scan_image(&mut decoder, &text_file);
        assert!(scan.error.as_deref().unwrap().contains("is not an image rolo can read"), "{:?}", scan.error);
        let scan = scan_image(&mut decoder, &missing);
        assert!(scan.error.as_deref().unwrap().starts_with("cannot read"), "{:?}", scan.error);
        assert_eq!(scan.label, missing.display().to_string());
    }
}
