//! The card scanner's speed target (results in BENCHMARKS.md): from a captured 1280x720
//! frame to the pick pane drawn, through the real pipeline (corners, straightening,
//! cleaning, Tesseract, suggestions) and the real app. Tesseract runs with one OpenMP
//! thread, as rolo itself starts it (`OMP_THREAD_LIMIT=1`, set by `make bench`).

#[path = "../tests/support/cards.rs"]
mod cards;

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use image::RgbImage;
use rolo::capture::{Frame, FrameId, FrameOrigin, read_image};
use rolo::extract::card;

/// Card photos: two of the shared corpus (1280x720 JPEGs) and one rendered here.
fn photos() -> Vec<(&'static str, RgbImage)> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cards/synthetic");
    let mut photos = vec![("rendered", cards::photo_of(&cards::flat_card(&cards::sample_lines())))];
    for (name, file) in [("corpus_s000", "s000.jpg"), ("corpus_s001", "s001.jpg")] {
        match read_image(&corpus.join(file)) {
            Ok(image) => photos.push((name, image)),
            Err(error) => eprintln!("skipping {name}: {error}"),
        }
    }
    photos
}

fn frame_to_pick_pane(criterion: &mut Criterion) {
    let mut reader = card::open_reader("eng", "US").expect("Tesseract with English");
    let mut group = criterion.benchmark_group("card_frame_to_pick_pane");
    group.sample_size(20).measurement_time(Duration::from_secs(15));
    for (name, image) in photos() {
        let frame = Frame::new(FrameId(1), image, FrameOrigin::File("bench.jpg".into()));
        group.bench_function(name, |bencher| {
            bencher.iter(|| {
                let screen = rolo::tui::show_card_review(&mut reader, frame.clone(), 120, 40).unwrap();
                assert!(screen.contains("Text on the card"), "{screen}");
                screen
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frame_to_pick_pane);
criterion_main!(benches);
