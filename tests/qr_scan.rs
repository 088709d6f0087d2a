//! The live scanning path without a camera: frames with codes made in the test, the
//! decoder on each format, and a replay through the capture and scan workers where only a
//! later frame holds a vCard QR code.

#[path = "support/codes.rs"]
mod codes;

use std::path::PathBuf;
use std::time::Duration;

use codes::{ADA_VCARD, barcode_image, frame_with_qr, frame_without_code, on_canvas, qr_image};
use crossbeam_channel::RecvTimeoutError;
use rolo::capture::{CaptureEvent, CaptureWorker, FrameOrigin, LatestFrame, SourceSpec};
use rolo::extract::qr::{CodeFormat, Decoder, Payload, PayloadKind, ScanEvent, ScanWorker, parse_payload};
use rolo::model::Property;
use rxing::BarcodeFormat;

#[test]
fn a_vcard_qr_in_a_720p_frame_is_read_exactly_with_its_corners() {
    let frame = frame_with_qr(ADA_VCARD, 1280, 720, 6);
    let code = Decoder::new().decode(&frame).expect("a code is found");
    assert_eq!(code.format, CodeFormat::QrCode);
    assert_eq!(code.text, ADA_VCARD);
    let code_side = qr_image(ADA_VCARD, 6).width() as f32;
    let (left, top) = ((1280.0 - code_side) / 2.0, (720.0 - code_side) / 2.0);
    assert!(code.corners.len() >= 3, "{:?}", code.corners);
    for corner in &code.corners {
        let is_inside = corner.x > left && corner.x < left + code_side && corner.y > top && corner.y < top + code_side;
        assert!(is_inside, "{corner:?} lies outside the code at ({left}, {top}) size {code_side}");
    }
}

#[test]
fn small_and_inverted_codes_are_read_by_the_full_frame_pass() {
    let mut decoder = Decoder::new();
    // Two pixels a module: the downscaled copy blurs it away, the full frame still has it.
    let small = frame_with_qr("MECARD:N:Owen,Sean;TEL:+12125551212;EMAIL:srowen@example.org;;", 1280, 720, 2);
    assert_eq!(
        decoder.decode(&small).map(|code| code.text).as_deref(),
        Some("MECARD:N:Owen,Sean;TEL:+12125551212;EMAIL:srowen@example.org;;")
    );
    let mut inverted = frame_with_qr("tel:+15551212", 1280, 720, 8);
    image::imageops::invert(&mut inverted);
    assert_eq!(decoder.decode(&inverted).map(|code| code.text).as_deref(), Some("tel:+15551212"));
}

#[test]
fn badge_formats_are_read_with_their_format() {
    let mut decoder = Decoder::new();
    let cases = [
        (BarcodeFormat::PDF_417, CodeFormat::Pdf417, "MECARD:N:Hopper,Grace;EMAIL:grace@navy.example;;", 600, 200),
        (
            BarcodeFormat::DATA_MATRIX,
            CodeFormat::DataMatrix,
            "BIZCARD:N:Alan;X:Turing;E:alan@bletchley.example;;",
            240,
            240,
        ),
        (BarcodeFormat::AZTEC, CodeFormat::Aztec, "mailto:ada@analytical.example", 240, 240),
        (BarcodeFormat::CODE_128, CodeFormat::Code128, "BADGE-000172", 500, 120),
    ];
    for (barcode_format, format, text, width, height) in cases {
        let symbol = barcode_image(barcode_format, text, width, height);
        // Centred, as the scanner's guide asks: rxing's Aztec detector starts from the middle.
        let (x, y) = ((1280 - symbol.width()) / 2, (720 - symbol.height()) / 2);
        let frame = on_canvas(&symbol, 1280, 720, x, y);
        let code = decoder.decode(&frame).unwrap_or_else(|| panic!("no {format:?} found"));
        assert_eq!((code.format, code.text.as_str()), (format, text));
    }
}

#[test]
fn a_frame_without_a_code_has_none() {
    assert_eq!(Decoder::new().decode(&frame_without_code()), None);
}

#[test]
fn escape_sequences_in_a_decoded_code_are_kept_in_the_text_but_never_reach_a_value() {
    let hostile =
        "MECARD:N:\u{1b}[2JMallory\u{7},Eve\u{9b}1m;NOTE:\u{1b}[31mred\u{1b}]2\u{7};EMAIL:eve@evil.example\u{1b}[0m;;";
    let code = Decoder::new().decode(&frame_with_qr(hostile, 1280, 720, 5)).expect("a code is found");
    assert_eq!(code.text, hostile, "the decoded text is what the code holds");
    let payload = parse_payload(&code.text);
    assert_eq!(payload.kind(), PayloadKind::AddressBook);
    let draft = payload.to_draft().expect("a contact");
    assert_eq!(draft.get(Property::FirstName), Some("Eve1m"));
    assert_eq!(draft.get(Property::LastName), Some("[2JMallory"));
    assert_eq!(draft.get(Property::Email), Some("eve@evil.example[0m"));
    assert_eq!(draft.get(Property::Notes), Some("[31mred]2"));
    let Payload::AddressBook(book) = payload else { unreachable!() };
    assert!(!format!("{book:?}").contains("\\u{1b}"), "{book:?}");
}

/// What the test's UI loop receives, like the TUI's one event type.
#[derive(Debug)]
enum TestEvent {
    Capture(CaptureEvent),
    Scan(ScanEvent),
}

impl From<CaptureEvent> for TestEvent {
    fn from(event: CaptureEvent) -> Self {
        TestEvent::Capture(event)
    }
}

impl From<ScanEvent> for TestEvent {
    fn from(event: ScanEvent) -> Self {
        TestEvent::Scan(event)
    }
}

#[test]
fn a_replay_where_a_later_frame_holds_a_vcard_leads_to_the_right_draft() {
    let directory = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (index, frame) in
        [frame_without_code(), frame_without_code(), frame_with_qr(ADA_VCARD, 1280, 720, 5)].into_iter().enumerate()
    {
        let path = directory.path().join(format!("frame-{index}.png"));
        frame.save(&path).unwrap();
        paths.push(path);
    }
    let (sender, receiver) = crossbeam_channel::unbounded::<TestEvent>();
    let scanner = ScanWorker::spawn(sender.clone());
    let latest = LatestFrame::new();
    let capture = CaptureWorker::spawn(SourceSpec::Replay { paths: paths.clone(), fps: 30.0 }, latest.clone(), sender);

    // The UI's part: take the newest frame when told, hand it to the scanner, wait for news.
    let mut scans_without_code = Vec::new();
    let found = loop {
        match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(TestEvent::Capture(CaptureEvent::FrameReady)) => {
                if let Some(frame) = latest.take() {
                    scanner.submit(frame);
                }
            }
            Ok(TestEvent::Capture(CaptureEvent::Failed(error) | CaptureEvent::Skipped(error))) => panic!("{error}"),
            Ok(TestEvent::Capture(_)) => (),
            Ok(TestEvent::Scan(ScanEvent::Scanned(scan))) if scan.codes.is_empty() => {
                scans_without_code.push(scan.frame.origin)
            }
            Ok(TestEvent::Scan(ScanEvent::Scanned(scan))) => break scan,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => panic!("no code was reported"),
        }
    };
    capture.stop();
    scanner.stop();

    assert_eq!(found.frame.origin, FrameOrigin::Replay { position: 2, path: paths[2].clone() });
    assert_eq!(found.frame.id.0, 3);
    for origin in &scans_without_code {
        assert!(matches!(origin, FrameOrigin::Replay { position: 0 | 1, .. }), "{origin:?}");
    }
    assert_eq!(found.codes.len(), 1);
    assert_eq!(found.codes[0].code.text, ADA_VCARD);
    let draft = found.first_draft().expect("the vCard is a contact");
    let expected = [
        (Property::FirstName, "Ada"),
        (Property::LastName, "Lovelace"),
        (Property::Company, "Analytical Engines Ltd"),
        (Property::JobTitle, "Head of Research"),
        (Property::MobilePhone, "+44 20 7946 0018"),
        (Property::Phone, "+44 20 7946 0000"),
        (Property::Email, "ada@analytical.example"),
        (Property::Website, "https://analytical.example"),
        (Property::StreetAddress, "12 St James's Square"),
        (Property::City, "London"),
        (Property::PostalCode, "SW1Y 4JH"),
        (Property::Country, "United Kingdom"),
    ];
    for (property, value) in expected {
        assert_eq!(draft.get(property), Some(value), "{property}");
    }
}

#[test]
fn a_faint_code_is_read_after_stretching_its_contrast() {
    let mut faint = frame_with_qr("MECARD:N:Faint,Fay;TEL:+1555;;", 640, 480, 4);
    for pixel in faint.pixels_mut() {
        pixel.0 = pixel.0.map(|value| 100 + (u16::from(value) * 50 / 255) as u8);
    }
    let code = Decoder::new().decode(&faint).expect("a code is found");
    assert_eq!(code.text, "MECARD:N:Faint,Fay;TEL:+1555;;");
}
