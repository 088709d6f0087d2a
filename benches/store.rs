//! Benchmarks of the foundation's targets (results in BENCHMARKS.md):
//! importing 25,000 vCard contacts, and searching 100,000 contacts per keystroke.

#[path = "../tests/support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rolo::import::vcard::parse_vcards;
use rolo::model::{ContactDraft, Source, Timestamp};
use rolo::store::{ImportOptions, ListQuery, Store};

/// The `rolo` binary's allocator, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn import_options() -> ImportOptions {
    ImportOptions::new("vcard-import", "bench.vcf", Source::VcardImport, Timestamp(1_800_000_000_000))
}

fn drafts_of(text: &str) -> Vec<ContactDraft> {
    parse_vcards(text.as_bytes()).expect("generated vCards parse").into_drafts()
}

/// Parse a 25,000-card file and import it into a new database file, as `rolo import vcard --all` does.
fn import_25k(criterion: &mut Criterion) {
    let text = generate::vcard_file(25_000);
    let mut group = criterion.benchmark_group("vcard_import");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function("parse_and_import_25k", |bencher| {
        bencher.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |directory| {
                let mut store = Store::open(&directory.path().join("bench.db")).expect("open");
                let drafts = drafts_of(&text);
                let report = store.import_drafts(&drafts, &import_options(), &mut |_, _| ()).expect("import");
                assert_eq!(report.n_new, 25_000);
                directory
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("parse_25k", |bencher| bencher.iter(|| black_box(drafts_of(&text)).len()));
    group.finish();
}

/// One keystroke of incremental search over 100,000 contacts: the count and the first page,
/// as the list shows them (nothing remembered from an earlier keystroke).
fn search_100k(criterion: &mut Criterion) {
    let directory = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&directory.path().join("bench.db")).expect("open");
    store.import_drafts(&drafts_of(&generate::vcard_file(100_000)), &import_options(), &mut |_, _| ()).expect("import");
    let mut group = criterion.benchmark_group("search_100k");
    for typed in ["m", "ma", "mar", "margaret", "margaret ham", "hopper@", "555 01", "booth", "nobody"] {
        group.bench_function(typed, |bencher| {
            bencher.iter(|| {
                store.forget_search_cache();
                let query = ListQuery { search: typed.to_string(), limit: 50, ..ListQuery::default() };
                let count = store.count(&query).expect("count");
                let page = store.summaries(&query).expect("page");
                black_box((count, page.len()))
            })
        });
    }
    group.finish();

    // Start-up: open the database, read the first window of the list and draw it (80x24 and
    // 120x40), as `rolo` does before the user sees anything.
    let mut group = criterion.benchmark_group("tui_first_frame_100k");
    for (width, height) in [(80, 24), (120, 40)] {
        group.bench_function(format!("{width}x{height}"), |bencher| {
            bencher.iter(|| {
                let screen =
                    rolo::tui::draw_first_frame(&directory.path().join("bench.db"), width, height).expect("draw");
                assert!(screen.contains("Contacts (100000)"), "{screen}");
                black_box(screen.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, import_25k, search_100k);
criterion_main!(benches);
