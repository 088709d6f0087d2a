//! Benchmarks of the QR scanner's targets (results in BENCHMARKS.md): decoding one 1280x720
//! frame, the whole path from a frame to the parsed contact draft the review pane shows, and
//! the preview copy the capture worker makes of each frame.

#[path = "../tests/support/codes.rs"]
mod codes;

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use image::RgbImage;
use rolo::capture::{Frame, FrameId, FrameOrigin, read_image, shrink_to_fit};
use rolo::extract::qr::{Decoder, scan_frame};

/// A badge photo of the shared corpus: a 1280x720 JPEG with a vCard QR code.
fn badge_photo() -> RgbImage {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/qr-photos/q000.jpg");
    read_image(&path).unwrap_or_else(|error| panic!("the QR photo corpus is missing: {error}"))
}

fn frames() -> [(&'static str, RgbImage); 3] {
    [
        ("badge_photo", badge_photo()),
        ("generated_vcard", codes::frame_with_qr(codes::ADA_VCARD, 1280, 720, 5)),
        ("no_code", codes::frame_without_code()),
    ]
}

/// Decoding alone: a 720p frame in, the code's text and corners out.
fn decode_720p(criterion: &mut Criterion) {
    let mut decoder = Decoder::new();
    let mut group = criterion.benchmark_group("qr_decode_720p");
    for (name, image) in frames() {
        let expects_code = name != "no_code";
        group.bench_function(name, |bencher| {
            bencher.iter(|| {
                let code = decoder.decode(black_box(&image));
                assert_eq!(code.is_some(), expects_code);
                code
            })
        });
    }
    group.finish();
}

/// A frame from the capture worker to the draft the review pane opens with: decode, read
/// the payload, map it to a contact, sanitize.
fn frame_to_draft(criterion: &mut Criterion) {
    let mut decoder = Decoder::new();
    let mut group = criterion.benchmark_group("qr_frame_to_draft");
    for (name, image) in frames().into_iter().filter(|(name, _)| *name != "no_code") {
        let frame = Frame::new(FrameId(1), image, FrameOrigin::File("bench.png".into()));
        group.bench_function(name, |bencher| {
            bencher.iter(|| {
                // Cloning a frame shares its pixels, as the capture worker's frames do.
                let draft = scan_frame(&mut decoder, frame.clone()).first_draft();
                assert!(draft.is_some());
                draft
            })
        });
    }
    group.finish();
}

/// The capture worker's preview copy of a 720p frame for a 120x40 terminal: 120 columns and
/// 2 x 40 pixel rows drawn with half-block glyphs.
fn preview_120x40(criterion: &mut Criterion) {
    let image = badge_photo();
    criterion.bench_function("qr_preview_shrink/1280x720_to_120x80", |bencher| {
        bencher.iter(|| shrink_to_fit(black_box(&image), 120, 80))
    });
}

criterion_group!(benches, decode_720p, frame_to_draft, preview_120x40);
criterion_main!(benches);
