//! The scanner's live preview (results in BENCHMARKS.md): camera frames of 1280x720 shrunk,
//! handed to the app and drawn as half blocks into a 120x40 terminal, escape sequences and
//! all. Throughput is frames per second.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use image::{Rgb, RgbImage};

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

criterion_group!(benches, preview);
criterion_main!(benches);
