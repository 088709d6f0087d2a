//! Decode rate and speed of rolo's QR decoder side by side with `zbarimg` (Debian's
//! zbar-tools), in one run on the same files:
//!
//! - the badge photos of the shared corpus (`qr-photos/`, whose `truth.jsonl` gives each
//!   code's exact text), and
//! - images made here with `qrencode` from those texts and transformed: clean, small in a
//!   720p frame, blurred, rotated, low-contrast and inverted.
//!
//! An image counts as decoded when the decoder returns exactly the encoded text.
//!
//! Run: `cargo run --release --example qr_bench [-- PHOTO_DIR]`. Needs `qrencode` and
//! `zbarimg` on the PATH (`make deps` installs them).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::{GrayImage, Luma, RgbImage};
use rolo::capture::read_image;
use rolo::extract::qr::Decoder;

/// One image with the text its code holds.
struct Sample {
    path: PathBuf,
    text: String,
}

/// What one decoder did on one image.
struct Attempt {
    is_right: bool,
    elapsed: Duration,
}

/// Results of both decoders on one group of images.
struct Row {
    group: String,
    n_images: usize,
    rolo: Vec<Attempt>,
    /// rolo's decode alone, without reading the file.
    rolo_decode_only: Vec<Duration>,
    zbar: Vec<Attempt>,
}

fn main() {
    let photo_dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/qr-photos"));
    for tool in ["zbarimg", "qrencode"] {
        if Command::new(tool).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_err() {
            eprintln!("qr_bench: {tool} is missing; install zbar-tools and qrencode (make deps)");
            std::process::exit(1);
        }
    }
    let photos = photo_samples(&photo_dir);
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let texts: Vec<String> = photos.iter().take(12).map(|sample| sample.text.clone()).collect();
    let generated = generated_samples(&texts, scratch.path());

    let mut decoder = Decoder::new();
    // One untimed decode so that the first measurement does not pay for setting up.
    if let Some(first) = photos.first() {
        let _ = decoder.decode(&read_image(&first.path).expect("the first photo reads"));
    }
    let zbar_start = zbar_startup(scratch.path());
    let mut rows = vec![measure("badge photos (1280x720 JPEG)", &photos, &mut decoder)];
    for (group, samples) in &generated {
        rows.push(measure(&format!("qrencode: {group}"), samples, &mut decoder));
    }
    let all: Vec<&Row> = rows.iter().collect();
    print_table(&all, zbar_start);
}

/// The photos and their truth, in file order.
fn photo_samples(photo_dir: &Path) -> Vec<Sample> {
    let truth_path = photo_dir.join("truth.jsonl");
    let truth = std::fs::read_to_string(&truth_path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", truth_path.display()));
    truth
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let object: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
            Sample {
                path: photo_dir.join(object["file"].as_str().expect("file")),
                text: object["text"].as_str().expect("text").to_string(),
            }
        })
        .collect()
}

/// `qrencode` PNGs of each text, transformed into the benchmark's groups.
fn generated_samples(texts: &[String], directory: &Path) -> Vec<(String, Vec<Sample>)> {
    type Transform = fn(GrayImage, usize) -> GrayImage;
    let groups: [(&str, u32, Transform); 6] = [
        ("clean, 4 px a module", 4, |image, _| image),
        ("small, 2 px a module in a 1280x720 frame", 2, |image, _| centred(&image, 1280, 720)),
        ("blurred (Gaussian, sigma 1.5)", 4, |image, _| image::imageops::blur(&image, 1.5)),
        ("rotated 15/30/45 degrees", 4, |image, index| rotated(&image, [15.0, 30.0, 45.0][index % 3])),
        ("low contrast (grey 100 on 150)", 4, |image, _| low_contrast(&image)),
        ("inverted (light on dark)", 4, |mut image, _| {
            image::imageops::invert(&mut image);
            image
        }),
    ];
    groups
        .iter()
        .enumerate()
        .map(|(group_index, (group, module_pixels, transform))| {
            let samples = texts
                .iter()
                .enumerate()
                .map(|(index, text)| {
                    let code = qrencode(text, *module_pixels);
                    let path = directory.join(format!("g{group_index}-{index:02}.png"));
                    transform(code, index).save(&path).expect("the scratch image is written");
                    Sample { path, text: text.clone() }
                })
                .collect();
            (group.to_string(), samples)
        })
        .collect()
}

/// `qrencode -s MODULE -m 4 -o - TEXT`, read back as grey.
fn qrencode(text: &str, module_pixels: u32) -> GrayImage {
    let output = Command::new("qrencode")
        .args(["-8", "-s", &module_pixels.to_string(), "-m", "4", "-o", "-", text])
        .output()
        .expect("qrencode runs");
    assert!(output.status.success(), "qrencode failed: {}", String::from_utf8_lossy(&output.stderr));
    image::load_from_memory(&output.stdout).expect("qrencode writes a PNG").into_luma8()
}

fn centred(code: &GrayImage, width: u32, height: u32) -> GrayImage {
    let mut canvas = GrayImage::from_pixel(width, height, Luma([230]));
    image::imageops::overlay(
        &mut canvas,
        code,
        i64::from((width - code.width()) / 2),
        i64::from((height - code.height()) / 2),
    );
    canvas
}

/// Rotated by `degrees` about the centre with bilinear sampling, on a white canvas large
/// enough for the whole code.
fn rotated(image: &GrayImage, degrees: f32) -> GrayImage {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (width, height) = (image.width() as f32, image.height() as f32);
    let side = (width * cos.abs() + height * sin.abs()).ceil() as u32 + 8;
    let (centre_x, centre_y) = (width / 2.0, height / 2.0);
    let half = side as f32 / 2.0;
    GrayImage::from_fn(side, side, |x, y| {
        let (dx, dy) = (x as f32 - half, y as f32 - half);
        let source_x = cos * dx + sin * dy + centre_x;
        let source_y = -sin * dx + cos * dy + centre_y;
        Luma([bilinear(image, source_x, source_y)])
    })
}

fn bilinear(image: &GrayImage, x: f32, y: f32) -> u8 {
    let sample = |x: i64, y: i64| {
        if x < 0 || y < 0 || x >= i64::from(image.width()) || y >= i64::from(image.height()) {
            255.0
        } else {
            f32::from(image.get_pixel(x as u32, y as u32).0[0])
        }
    };
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (x0, y0) = (x0 as i64, y0 as i64);
    let top = sample(x0, y0) * (1.0 - fx) + sample(x0 + 1, y0) * fx;
    let bottom = sample(x0, y0 + 1) * (1.0 - fx) + sample(x0 + 1, y0 + 1) * fx;
    (top * (1.0 - fy) + bottom * fy).round() as u8
}

fn low_contrast(image: &GrayImage) -> GrayImage {
    GrayImage::from_fn(image.width(), image.height(), |x, y| {
        let value = image.get_pixel(x, y).0[0];
        Luma([100 + (u16::from(value) * 50 / 255) as u8])
    })
}

/// Both decoders on every sample of a group.
fn measure(group: &str, samples: &[Sample], decoder: &mut Decoder) -> Row {
    let mut row = Row {
        group: group.to_string(),
        n_images: samples.len(),
        rolo: Vec::new(),
        rolo_decode_only: Vec::new(),
        zbar: Vec::new(),
    };
    for sample in samples {
        let started = Instant::now();
        let image: RgbImage = read_image(&sample.path).expect("the sample reads");
        let decode_started = Instant::now();
        let code = decoder.decode(&image);
        let decode_elapsed = decode_started.elapsed();
        row.rolo
            .push(Attempt { is_right: code.is_some_and(|code| code.text == sample.text), elapsed: started.elapsed() });
        row.rolo_decode_only.push(decode_elapsed);
        row.zbar.push(zbarimg(&sample.path, &sample.text));
    }
    row
}

/// `zbarimg --raw` on one file: right when one of the symbols it prints is the text.
fn zbarimg(path: &Path, text: &str) -> Attempt {
    let started = Instant::now();
    let output = Command::new("zbarimg")
        .args(["--raw", "-q", "--nodbus", "-Sbinary"])
        .arg(path)
        .stderr(Stdio::null())
        .output()
        .expect("zbarimg runs");
    let elapsed = started.elapsed();
    let printed = output.stdout;
    // With -Sbinary the bytes come as encoded, followed by one newline.
    let is_right = printed.strip_suffix(b"\n").unwrap_or(&printed) == text.as_bytes();
    Attempt { is_right, elapsed }
}

/// The median time `zbarimg` needs on a 1x1 image: its start-up and exit, which its times
/// include and rolo's do not.
fn zbar_startup(directory: &Path) -> Duration {
    let path = directory.join("empty.png");
    GrayImage::from_pixel(1, 1, Luma([255])).save(&path).expect("written");
    let mut times: Vec<Duration> = (0..15).map(|_| zbarimg(&path, "").elapsed).collect();
    median(&mut times)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn range(times: &mut [Duration]) -> String {
    times.sort();
    match (times.first(), times.last()) {
        (Some(first), Some(last)) => format!("{}–{}", milliseconds(*first), milliseconds(*last)),
        _ => "-".into(),
    }
}

fn milliseconds(duration: Duration) -> String {
    format!("{:.1}", duration.as_secs_f64() * 1000.0)
}

fn print_table(rows: &[&Row], zbar_start: Duration) {
    println!(
        "| images | n | rolo decoded | zbarimg decoded | ratio | rolo decode ms, median (min–max) | rolo read+decode ms, median | zbarimg ms, median (min–max) |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let (mut total, mut total_rolo, mut total_zbar) = (0, 0, 0);
    for row in rows {
        let n_rolo = row.rolo.iter().filter(|attempt| attempt.is_right).count();
        let n_zbar = row.zbar.iter().filter(|attempt| attempt.is_right).count();
        total += row.n_images;
        total_rolo += n_rolo;
        total_zbar += n_zbar;
        let mut decode_only = row.rolo_decode_only.clone();
        let mut rolo_times: Vec<Duration> = row.rolo.iter().map(|attempt| attempt.elapsed).collect();
        let mut zbar_times: Vec<Duration> = row.zbar.iter().map(|attempt| attempt.elapsed).collect();
        println!(
            "| {} | {} | {} | {} | {} | {} ({}) | {} | {} ({}) |",
            row.group,
            row.n_images,
            n_rolo,
            n_zbar,
            ratio(n_rolo, n_zbar),
            milliseconds(median(&mut decode_only)),
            range(&mut decode_only),
            milliseconds(median(&mut rolo_times)),
            milliseconds(median(&mut zbar_times)),
            range(&mut zbar_times),
        );
    }
    println!(
        "| **all** | {total} | **{total_rolo}** | **{total_zbar}** | **{}** | | | |",
        ratio(total_rolo, total_zbar)
    );
    println!();
    println!(
        "zbarimg start-up and exit on a 1x1 image (included in its times): {} ms median",
        milliseconds(zbar_start)
    );
}

fn ratio(rolo: usize, zbar: usize) -> String {
    if zbar == 0 { "-".into() } else { format!("{:.2}", rolo as f64 / zbar as f64) }
}
