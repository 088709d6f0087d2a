//! Accuracy of the business-card scanner, image in, properties out, on a folder of card
//! pictures with a `truth.jsonl` (the shared corpus's `cards/synthetic/` by default).
//!
//! Prints, per field, how many cards carry it, how many rolo suggested, how many were right,
//! precision and recall; phone numbers both exactly and digits-only; and for photos with
//! true corners, the corner error as a share of the image diagonal.
//!
//! `--engine tesseract-cli` instead runs the plain `tesseract` command on the unprocessed
//! file (TSV output, so words keep their boxes) and feeds its text to the same extractor:
//! the difference is what rolo's capture pipeline (corners, straightening, cleaning,
//! orientation) adds.
//!
//! Run: `cargo run --release --example card_accuracy [-- OPTIONS]`
//!   --corpus DIR        the folder with truth.jsonl (default ../shared/corpus/cards/synthetic)
//!   --engine rolo|tesseract-cli
//!   --lang L            Tesseract languages (default eng); `locale` reads each card with
//!                       English plus its locale's language, as rolo's default setting does
//!                       for a user in that locale
//!   --cache DIR         keep OCR output there and reuse it (for work on the text reader)
//!   --only ID,ID        just these cards
//!   --show              print each card's wrong and missing fields

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use image::GrayImage;
use rolo::capture::{Point, Quad, read_image};
use rolo::extract::card::CardReader;
use rolo::extract::card_text::{CardReading, read_card_text};
use rolo::extract::ocr::{self, OcrEngine, OcrPage, TesseractEngine};
use rolo::model::{Property, digits_only};
use serde_json::Value;

/// The truth's field names and the properties they are.
const FIELDS: [(&str, Property); 14] = [
    ("first_name", Property::FirstName),
    ("last_name", Property::LastName),
    ("job_title", Property::JobTitle),
    ("company", Property::Company),
    ("email", Property::Email),
    ("website", Property::Website),
    ("phone", Property::Phone),
    ("mobile", Property::MobilePhone),
    ("fax", Property::Fax),
    ("street", Property::StreetAddress),
    ("city", Property::City),
    ("state", Property::State),
    ("postal_code", Property::PostalCode),
    ("country", Property::Country),
];

struct Options {
    corpus: PathBuf,
    engine: String,
    language: String,
    cache: Option<PathBuf>,
    only: Option<Vec<String>>,
    show: bool,
}

struct Truth {
    id: String,
    file: String,
    kind: String,
    locale: String,
    fields: BTreeMap<String, String>,
    corners: Option<Quad>,
}

#[derive(Default)]
struct Tally {
    on_card: usize,
    suggested: usize,
    right: usize,
    right_digits: usize,
}

/// An engine that replays OCR output saved earlier, and saves what it has not seen.
struct CachingEngine {
    inner: Option<TesseractEngine>,
    language: String,
    dir: PathBuf,
    /// The card being read and how many pictures of it were OCRed so far.
    key: Arc<Mutex<(String, usize)>>,
}

impl CachingEngine {
    /// The file for the next picture of the current card: `{card}-{tag}{n}.tsv`, or
    /// `{card}-{tag}.tsv` when `is_counted` is false (one such picture a card).
    fn next_path(&self, tag: &str, is_counted: bool) -> PathBuf {
        let mut key = self.key.lock().expect("the key lock is never poisoned");
        if !is_counted {
            return self.dir.join(format!("{}-{tag}.tsv", key.0));
        }
        key.1 += 1;
        self.dir.join(format!("{}-{tag}{}.tsv", key.0, key.1 - 1))
    }

    /// The page saved at `path`, or `read` by Tesseract and saved there; `None` when `read`
    /// has none.
    fn cached(
        &mut self,
        path: PathBuf,
        image: &GrayImage,
        read: impl FnOnce(&mut TesseractEngine, &GrayImage) -> Result<Option<(OcrPage, String)>, ocr::Error>,
    ) -> Result<Option<OcrPage>, ocr::Error> {
        if let Ok(tsv) = std::fs::read_to_string(&path) {
            let mut page = OcrPage::from_tsv(&tsv);
            (page.width, page.height) = image.dimensions();
            return Ok(Some(page));
        }
        if self.inner.is_none() {
            self.inner = Some(TesseractEngine::new(&self.language)?);
        }
        let engine = self.inner.as_mut().expect("set just above");
        let Some((page, tsv)) = read(engine, image)? else { return Ok(None) };
        let _ = std::fs::write(&path, tsv);
        Ok(Some(page))
    }
}

impl OcrEngine for CachingEngine {
    fn recognize(&mut self, image: &GrayImage) -> Result<OcrPage, ocr::Error> {
        let path = self.next_path("", true);
        let page = self.cached(path, image, |engine, image| engine.recognize_with_tsv(image).map(Some))?;
        Ok(page.unwrap_or_default())
    }

    fn recognize_block(&mut self, image: &GrayImage) -> Result<Option<OcrPage>, ocr::Error> {
        let path = self.next_path("block", true);
        self.cached(path, image, |engine, image| engine.recognize_block_with_tsv(image).map(Some))
    }

    fn recognize_for_accents(&mut self, image: &GrayImage) -> Result<Option<OcrPage>, ocr::Error> {
        if ocr::own_language_first(&self.language).is_none() {
            return Ok(None);
        }
        let path = self.next_path("accents", false);
        self.cached(path, image, |engine, image| engine.recognize_for_accents_with_tsv(image))
    }
}

fn main() {
    ocr::restart_for_tesseract(None);
    let options = parse_options();
    let truths = read_truth(&options.corpus.join("truth.jsonl"));
    let truths: Vec<Truth> =
        truths.into_iter().filter(|truth| options.only.as_ref().is_none_or(|only| only.contains(&truth.id))).collect();
    if let Some(cache) = &options.cache {
        std::fs::create_dir_all(cache).expect("creating the cache folder");
    }

    let mut tallies: BTreeMap<&str, Tally> = FIELDS.iter().map(|(name, _)| (*name, Tally::default())).collect();
    let mut corner_errors = Vec::new();
    let mut durations = Vec::new();
    let mut failures = 0;
    let mut readers: HashMap<String, CardReader> = HashMap::new();
    let cache_key = Arc::new(Mutex::new((String::new(), 0)));
    for truth in &truths {
        let path = options.corpus.join(&truth.file);
        let started = Instant::now();
        let (reading, corners) = match options.engine.as_str() {
            "tesseract-cli" => (
                tesseract_cli(
                    &path,
                    &options,
                    &language_for(&options.language, &truth.locale),
                    &truth.id,
                    &region_of(&truth.locale),
                ),
                None,
            ),
            _ => {
                let image = read_image(&path).expect("reading a corpus image");
                let language = language_for(&options.language, &truth.locale);
                let reader = readers.entry(language.clone()).or_insert_with(|| {
                    let engine: Box<dyn OcrEngine + Send> = match &options.cache {
                        Some(dir) => Box::new(CachingEngine {
                            inner: None,
                            language: language.clone(),
                            dir: dir.clone(),
                            key: cache_key.clone(),
                        }),
                        None => Box::new(TesseractEngine::new(&language).expect("loading Tesseract")),
                    };
                    CardReader::new(engine, "US")
                });
                reader.set_default_region(&region_of(&truth.locale));
                *cache_key.lock().expect("the key lock is never poisoned") = (truth.id.clone(), 0);
                match reader.read(&image, None) {
                    Ok(scan) => (scan.reading, scan.detected),
                    Err(error) => {
                        eprintln!("{}: {error}", truth.id);
                        failures += 1;
                        (CardReading::default(), None)
                    }
                }
            }
        };
        durations.push(started.elapsed());
        if let (Some(true_corners), "photo") = (&truth.corners, truth.kind.as_str()) {
            let image = image::image_dimensions(&path).expect("reading the image size");
            let diagonal = ((image.0 as f32).powi(2) + (image.1 as f32).powi(2)).sqrt();
            let error = corners.map(|found| found.max_corner_distance(true_corners) / diagonal);
            corner_errors.push(error);
        }
        score(truth, &reading, &mut tallies, options.show);
    }

    println!(
        "{} cards ({} photos, {} scans), engine {}, language {}",
        truths.len(),
        truths.iter().filter(|truth| truth.kind == "photo").count(),
        truths.iter().filter(|truth| truth.kind != "photo").count(),
        options.engine,
        options.language
    );
    println!(
        "{:<12} {:>7} {:>9} {:>6} {:>9} {:>7} {:>14}",
        "field", "on card", "suggested", "right", "precision", "recall", "recall (digits)"
    );
    for (name, _) in FIELDS {
        let tally = &tallies[name];
        let ratio =
            |a: usize, b: usize| if b == 0 { "-".to_string() } else { format!("{:.1}%", 100.0 * a as f32 / b as f32) };
        let digits = if ["phone", "mobile", "fax"].contains(&name) {
            ratio(tally.right_digits, tally.on_card)
        } else {
            String::new()
        };
        println!(
            "{:<12} {:>7} {:>9} {:>6} {:>9} {:>7} {:>14}",
            name,
            tally.on_card,
            tally.suggested,
            tally.right,
            ratio(tally.right, tally.suggested),
            ratio(tally.right, tally.on_card),
            digits
        );
    }
    if !corner_errors.is_empty() {
        let found: Vec<f32> = corner_errors.iter().flatten().copied().collect();
        let within = found.iter().filter(|&&error| error <= 0.02).count();
        let mut sorted = found.clone();
        sorted.sort_by(f32::total_cmp);
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or(f32::NAN);
        println!(
            "corners: {} photos, found on {}, within 2% of the diagonal on {} ({:.1}%), median error {:.2}%",
            corner_errors.len(),
            found.len(),
            within,
            100.0 * within as f32 / corner_errors.len() as f32,
            100.0 * median
        );
    }
    durations.sort();
    let median = durations.get(durations.len() / 2).copied().unwrap_or(Duration::ZERO);
    println!("time per card: median {median:.2?}, {failures} card(s) not read");
}

fn score(truth: &Truth, reading: &CardReading, tallies: &mut BTreeMap<&str, Tally>, show: bool) {
    let mut notes = Vec::new();
    for (name, property) in FIELDS {
        let tally = tallies.get_mut(name).expect("every field has a tally");
        let expected = truth.fields.get(name).map(|value| normalize(name, value));
        let got = reading.best(property).map(|candidate| normalize(name, &candidate.value));
        if expected.is_some() {
            tally.on_card += 1;
        }
        if got.is_some() {
            tally.suggested += 1;
        }
        let is_right = expected.is_some() && expected == got;
        if is_right {
            tally.right += 1;
        }
        let digits_right = match (&expected, &got) {
            (Some(expected), Some(got)) => digits_only(expected) == digits_only(got) && !digits_only(got).is_empty(),
            _ => false,
        };
        if digits_right {
            tally.right_digits += 1;
        }
        if !is_right && (expected.is_some() || got.is_some()) {
            notes.push(format!("  {name}: want {:?}, got {:?}", expected.unwrap_or_default(), got.unwrap_or_default()));
        }
    }
    if show && !notes.is_empty() {
        println!("{} ({}, {}):", truth.id, truth.kind, truth.locale);
        for line in &reading.lines {
            println!("    | {line}");
        }
        for note in notes {
            println!("{note}");
        }
    }
}

/// Trimmed, whitespace collapsed; websites without a scheme or `www.`.
fn normalize(field: &str, value: &str) -> String {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if field == "website" {
        let lower = collapsed.to_lowercase();
        let bare = lower.trim_start_matches("https://").trim_start_matches("http://").trim_start_matches("www.");
        return bare.trim_end_matches('/').to_string();
    }
    collapsed
}

/// The Tesseract languages for a card: `--lang` as given, or with `locale` what rolo's
/// default setting gives a user in the card's locale (`de_DE` → `eng+deu`).
fn language_for(option: &str, locale: &str) -> String {
    if option == "locale" { rolo::store::ocr_language_for_locale(locale) } else { option.to_string() }
}

/// `de_DE` → `DE`.
fn region_of(locale: &str) -> String {
    locale.rsplit('_').next().unwrap_or("US").to_string()
}

fn tesseract_cli(path: &Path, options: &Options, language: &str, id: &str, region: &str) -> CardReading {
    let cached = options.cache.as_ref().map(|dir| dir.join(format!("{id}-cli-{language}.tsv")));
    let tsv = match cached.as_ref().and_then(|path| std::fs::read_to_string(path).ok()) {
        Some(tsv) => tsv,
        None => {
            let output = Command::new("tesseract")
                .arg(path)
                .arg("-")
                .args(["-l", language, "tsv"])
                .output()
                .expect("running tesseract (make deps installs it)");
            let tsv = String::from_utf8_lossy(&output.stdout).into_owned();
            if let Some(cached) = &cached {
                let _ = std::fs::write(cached, &tsv);
            }
            tsv
        }
    };
    read_card_text(&OcrPage::from_tsv(&tsv), region)
}

fn read_truth(path: &Path) -> Vec<Truth> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let row: Value = serde_json::from_str(line).expect("truth.jsonl holds JSON lines");
            let text = |key: &str| row[key].as_str().unwrap_or_default().to_string();
            let fields = row["fields"]
                .as_object()
                .map(|fields| {
                    fields
                        .iter()
                        .map(|(key, value)| (key.clone(), value.as_str().unwrap_or_default().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            let corners = row["corners"].as_array().filter(|corners| corners.len() == 4).map(|corners| {
                let point = |index: usize| {
                    let pair = &corners[index];
                    Point::new(pair[0].as_f64().unwrap_or(0.0) as f32, pair[1].as_f64().unwrap_or(0.0) as f32)
                };
                Quad::new([point(0), point(1), point(2), point(3)])
            });
            Truth { id: text("id"), file: text("file"), kind: text("kind"), locale: text("locale"), fields, corners }
        })
        .collect()
}

fn parse_options() -> Options {
    let mut options = Options {
        corpus: Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cards/synthetic"),
        engine: "rolo".to_string(),
        language: "eng".to_string(),
        cache: None,
        only: None,
        show: false,
    };
    let mut args = std::env::args().skip(1);
    let mut values: HashMap<&str, String> = HashMap::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--show" => options.show = true,
            "--corpus" | "--engine" | "--lang" | "--cache" | "--only" => {
                let key = ["--corpus", "--engine", "--lang", "--cache", "--only"]
                    .into_iter()
                    .find(|key| *key == arg)
                    .expect("matched");
                values.insert(key, args.next().unwrap_or_else(|| panic!("{arg} needs a value")));
            }
            other => panic!("unknown option {other}; see the comment at the top of examples/card_accuracy.rs"),
        }
    }
    if let Some(corpus) = values.remove("--corpus") {
        options.corpus = PathBuf::from(corpus);
    }
    if let Some(engine) = values.remove("--engine") {
        assert!(["rolo", "tesseract-cli"].contains(&engine.as_str()), "--engine is rolo or tesseract-cli");
        options.engine = engine;
    }
    if let Some(language) = values.remove("--lang") {
        options.language = language;
    }
    options.cache = values.remove("--cache").map(PathBuf::from);
    options.only = values.remove("--only").map(|only| only.split(',').map(str::to_string).collect());
    options
}
