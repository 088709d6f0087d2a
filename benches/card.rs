//! Card detection on the live scanner: finding the card's corners and measuring the frame's
//! quality on a 1280x720 camera frame, which the scanner does for every frame it shows. The
//! frame is the shared corpus's first photo when it is there, else a rendered one.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use image::{Rgb, RgbImage};
use rolo::capture::quality;
use rolo::extract::card::find_card;

/// The corpus photo, or a light card with rows of print on a noisy, graded desk.
fn camera_frame() -> RgbImage {
    let corpus_photo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cards/synthetic/s000.jpg");
    if let Ok(photo) = image::open(&corpus_photo) {
        return photo.to_rgb8();
    }
    let mut seed = 0x2545_f491_u32;
    RgbImage::from_fn(1280, 720, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 16) as i32 - 8;
        // A card from (300, 180) to (1000, 580), sheared a little.
        let shift = (y as i32 - 180) / 12;
        let card_x = x as i32 - 300 - shift;
        let is_card = (0..700).contains(&card_x) && (180..580).contains(&y);
        let is_print = is_card && (60..640).contains(&card_x) && (240..520).contains(&y) && (y / 8) % 3 == 0;
        let base = if is_print {
            40
        } else if is_card {
            230
        } else {
            80 + ((x + y) / 24) as i32 % 50
        };
        let value = (base + noise).clamp(0, 255) as u8;
        Rgb([value, value.saturating_sub(10), value.saturating_sub(25)])
    })
}

fn detect_and_measure(criterion: &mut Criterion) {
    let frame = camera_frame();
    let mut group = criterion.benchmark_group("card_detection");
    group.sample_size(30).measurement_time(Duration::from_secs(10));
    group.bench_function("find_card_1280x720", |bencher| bencher.iter(|| black_box(find_card(black_box(&frame)))));
    let gray = image::imageops::grayscale(&frame);
    let card = find_card(&frame);
    group.bench_function("quality_1280x720", |bencher| {
        bencher.iter(|| black_box(quality::measure(black_box(&gray), card.as_ref())))
    });
    group.bench_function("find_card_and_quality_1280x720", |bencher| {
        bencher.iter(|| {
            let card = find_card(black_box(&frame));
            let gray = image::imageops::grayscale(&frame);
            black_box(quality::measure(&gray, card.as_ref()))
        })
    });
    group.finish();
}

criterion_group!(benches, detect_and_measure);
criterion_main!(benches);
