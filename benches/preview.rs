//! The scanner's live preview (results in BENCHMARKS.md): camera frames of 1280x720 shrunk,
//! handed to the app and drawn as half blocks into a 120x40 terminal, escape sequences and
//! all. Throughput is frames per second.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use image::{Rgb, RgbImage};
use rolo::capture::{Frame, FrameId, FrameOrigin};
use rolo::extract::qr::{Decoder, scan_frame};

/// A busy camera-like scene: a lit desk gradient, a card that moves, and sensor noise, so
/// that every cell changes from one frame to the next as on a real camera.
fn camera_frames(count: u32) -> Vec<RgbImage> {
    let mut seed = 0x2545_f491_u32;
    (0..count)
        .map(|index| {
            RgbImage::from_fn(1280, 720, |x, y| {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let noise = (seed % 24) as i32 - 12;
                let is_card = (300 + index * 7..700 + index * 7).contains(&x) && (200..460).contains(&y);
                let base = if is_card { 235 } else { 90 + ((x + y) / 16) as i32 % 80 };
                let value = (base + noise).clamp(0, 255) as u8;
                Rgb([value, value.saturating_sub(8), value.saturating_sub(20)])
            })
        })
        .collect()
}

fn preview(criterion: &mut Criterion) {
    let frames = camera_frames(30);
    let mut group = criterion.benchmark_group("scanner_preview");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(frames.len() as u64));
    for (width, height) in [(120, 40), (80, 24)] {
        group.bench_function(format!("{width}x{height}"), |bencher| {
            bencher.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                rolo::tui::show_preview_frames(&frames, width, height, &mut out).expect("drawn");
                black_box(out.len())
            })
        });
    }
    group.finish();
}

/// A 1280x720 camera frame with a badge's vCard QR code: decoded, read, and shown in the
/// review pane of a 120x40 terminal (the scanner's whole path after capture).
fn frame_to_review(criterion: &mut Criterion) {
    let vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nORG:Analytical Engines\r\nTITLE:Head of Research\r\nTEL;TYPE=CELL:+44 20 7946 0018\r\nEMAIL:ada@analytical.example\r\nEND:VCARD";
    let code = qrcode::QrCode::new(vcard.as_bytes()).expect("fits");
    let picture = code.render::<image::Luma<u8>>().module_dimensions(5, 5).quiet_zone(true).build();
    let mut frame = camera_frames(1).remove(0);
    let (x0, y0) = ((1280 - picture.width()) / 2, (720 - picture.height()) / 2);
    for (x, y, pixel) in picture.enumerate_pixels() {
        let value = pixel.0[0];
        frame.put_pixel(x0 + x, y0 + y, Rgb([value, value, value]));
    }
    let frame = Frame::new(FrameId(1), frame, FrameOrigin::File("badge.png".into()));
    let mut decoder = Decoder::new();
    let mut group = criterion.benchmark_group("scanner_frame_to_review");
    group.sample_size(30).measurement_time(Duration::from_secs(10));
    group.bench_function("1280x720_vcard_120x40", |bencher| {
        bencher.iter(|| {
            let scan = scan_frame(&mut decoder, frame.clone());
            assert_eq!(scan.codes.len(), 1);
            let screen = rolo::tui::show_scan_review(scan, 120, 40).expect("drawn");
            assert!(screen.contains("Review the scan"));
            black_box(screen.len())
        })
    });
    group.finish();
}

criterion_group!(benches, preview, frame_to_review);
criterion_main!(benches);
