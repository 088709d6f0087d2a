//! Business cards, from a photo or scan to suggested properties: find the card's corners
//! (`corners`), straighten it to a flat upright picture (`straighten`), clean it (`clean`),
//! OCR it (`extract::ocr`) and read the text (`extract::card_text`). `CardReader` runs the
//! whole pipeline; the scanner's worker and `rolo scan card` both use it.

mod clean;
mod corners;
mod digit_groups;
pub mod guide;
mod missed_ink;
mod straighten;

use std::time::{Duration, Instant};

use image::{GrayImage, RgbImage};

pub use clean::{MAX_OCR_SIDE, clean_for_ocr, even_illumination, grayscale, sauvola, stretch_faint_print};
pub use corners::find_card;
pub use straighten::{CARD_LONG_SIDE, card_size, rotate_quarter_turns, rotate_rgb_quarter_turns, straighten};

use super::card_text::{CardReading, read_card_text};
use super::ocr::{self, BoundingBox, OcrEngine, OcrPage};
use crate::capture::Quad;

/// Why a card could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Ocr(#[from] ocr::Error),
    #[error("the corners do not make a card shape (three in a line, or crossed edges)")]
    BadCorners,
    #[error("found a card but no readable text on it: hold it closer, in focus and in good light")]
    BlankCard,
    #[error("found no business card and no text in the picture")]
    NoCard,
}

/// How long each step took.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    pub detect: Duration,
    pub straighten: Duration,
    pub ocr: Duration,
    pub read: Duration,
}

/// One card, read.
#[derive(Debug, Clone)]
pub struct CardScan {
    /// The corners `find_card` found, if it found any.
    pub detected: Option<Quad>,
    /// The corners used: those given, else those detected, else the whole picture.
    pub corners: Quad,
    /// How far the straightened card was turned to read upright, in degrees clockwise.
    pub rotation: u16,
    /// The straightened, upright card in colour.
    pub card: RgbImage,
    /// `card` as a JPEG, to keep with the contact (encoded here, on the reader's thread).
    pub card_jpeg: Vec<u8>,
    /// The OCR result; boxes are in the pixels of `card`.
    pub page: OcrPage,
    pub reading: CardReading,
    pub timings: Timings,
}

/// The pipeline with its OCR engine, which is slow to create: keep one per worker.
pub struct CardReader {
    engine: Box<dyn OcrEngine + Send>,
    default_region: String,
}

/// A page whose words are this sure on average, with this many words, is taken as upright
/// without trying the card the other way up.
const CONFIDENT_PAGE: f32 = 0.75;
const ENOUGH_WORDS: usize = 6;

impl CardReader {
    pub fn new(engine: Box<dyn OcrEngine + Send>, default_region: &str) -> CardReader {
        CardReader { engine, default_region: default_region.to_string() }
    }

    /// The region for phone numbers printed without a country code, e.g. "DE".
    pub fn set_default_region(&mut self, region: &str) {
        self.default_region = region.to_string();
    }

    /// Reads the card in `image` (upright by its EXIF orientation already). With `corners`,
    /// those are used instead of detecting the card.
    pub fn read(&mut self, image: &RgbImage, corners: Option<Quad>) -> Result<CardScan, Error> {
        let mut timings = Timings::default();
        let started = Instant::now();
        let detected = if corners.is_some() { None } else { find_card(image) };
        timings.detect = started.elapsed();

        let started = Instant::now();
        let corners = corners.or(detected).unwrap_or_else(|| Quad::full(image.width(), image.height()));
        let flat = straighten(image, &corners).ok_or(Error::BadCorners)?;
        let gray = clean_for_ocr(&flat);
        timings.straighten = started.elapsed();

        let started = Instant::now();
        let (rotation, mut page) = self.read_upright(&gray)?;
        let upright = rotate_quarter_turns(&gray, rotation);
        // Blocks the page layout left out are a refinement too.
        let _ = missed_ink::read_unread_blocks(self.engine.as_mut(), &upright, &mut page);
        // Accents are a refinement: the card reads without them if the second reading fails.
        if let Ok(Some(accented)) = self.engine.recognize_for_accents(&without_contact_lines(&upright, &page)) {
            page.take_accents_from(&accented);
        }
        digit_groups::split_run_together_digits(&mut page, &upright);
        timings.ocr = started.elapsed();

        let started = Instant::now();
        let reading = read_card_text(&page, &self.default_region);
        timings.read = started.elapsed();
        if page.word_count() == 0
            || reading.lines.iter().all(|line| line.trim().chars().filter(|c| c.is_alphanumeric()).count() < 2)
        {
            return Err(if detected.is_some() { Error::BlankCard } else { Error::NoCard });
        }
        let card = rotate_rgb_quarter_turns(&flat, rotation);
        let card_jpeg = jpeg(&card);
        Ok(CardScan { detected, corners, rotation, card, card_jpeg, page, reading, timings })
    }

    /// OCRs the card the way up its text runs: lines across (0 or 180 degrees) or down the
    /// card (90 or 270), then the other way up when the first reading is poor.
    fn read_upright(&mut self, gray: &GrayImage) -> Result<(u16, OcrPage), Error> {
        // A card straightened wider than high reads across; a tall one may be a portrait card
        // or a landscape card photographed on its side, which the ink's layout tells apart.
        let first = if gray.height() > gray.width() && text_runs_vertically(gray) { 90 } else { 0 };
        let page = self.engine.recognize(&rotate_quarter_turns(gray, first))?;
        if page.confidence() >= CONFIDENT_PAGE && page.word_count() >= ENOUGH_WORDS {
            return Ok((first, page));
        }
        let second = first + 180;
        let turned = self.engine.recognize(&rotate_quarter_turns(gray, second))?;
        Ok(if page_score(&turned) > page_score(&page) { (second, turned) } else { (first, page) })
    }
}

/// `card` with the lines of `page` that hold an email, a website or a phone number painted
/// white: they carry no accents, and the reading for accents is quicker without them.
fn without_contact_lines(card: &GrayImage, page: &OcrPage) -> GrayImage {
    let mut blanked = card.clone();
    for line in &page.lines {
        let text = line.text().to_lowercase();
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if !(text.contains('@') || text.contains("www") || digits > 2 * letters) {
            continue;
        }
        let BoundingBox { x, y, width, height } = line.bbox;
        if width > 0 && height > 0 {
            let rect = imageproc::rect::Rect::at(x as i32, y as i32).of_size(width, height);
            imageproc::drawing::draw_filled_rect_mut(&mut blanked, rect, image::Luma([255]));
        }
    }
    blanked
}

/// A picture as a JPEG of quality 85.
fn jpeg(picture: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85);
    // Encoding an in-memory RGB picture into a Vec cannot fail.
    let _ = picture.write_with_encoder(encoder);
    bytes
}

/// Creates the reader for `language` (Tesseract's names: `eng`, `eng+deu`).
pub fn open_reader(language: &str, default_region: &str) -> Result<CardReader, Error> {
    Ok(CardReader::new(Box::new(ocr::TesseractEngine::new(language)?), default_region))
}

/// Like `open_reader`, but a language Tesseract lacks falls back to English: for a default
/// taken from the locale, not for one the user chose.
pub fn open_reader_or_english(language: &str, default_region: &str) -> Result<CardReader, Error> {
    match open_reader(language, default_region) {
        Err(Error::Ocr(ocr::Error::NoLanguage { .. })) if language != "eng" => open_reader("eng", default_region),
        other => other,
    }
}

/// How well a page reads: confident words of two or more characters count, others do not.
fn page_score(page: &OcrPage) -> f32 {
    page.lines
        .iter()
        .flat_map(|line| &line.words)
        .filter(|word| word.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2)
        .map(|word| (word.confidence - 0.5).max(0.0) * word.text.chars().count() as f32)
        .sum()
}

/// True when the dark pixels line up in columns rather than rows: text printed down the
/// card, or a card photographed sideways. Text lines make the row profile of ink swing
/// between lines and gaps; compare how much the row and column profiles vary.
fn text_runs_vertically(gray: &GrayImage) -> bool {
    let binary = sauvola(&imageops_shrink(gray), 12, 0.3);
    let (width, height) = binary.dimensions();
    let mut rows = vec![0f32; height as usize];
    let mut columns = vec![0f32; width as usize];
    for (x, y, pixel) in binary.enumerate_pixels() {
        if pixel[0] == 0 {
            rows[y as usize] += 1.0;
            columns[x as usize] += 1.0;
        }
    }
    let normalized_variance = |profile: &[f32], length: u32| {
        let values: Vec<f32> = profile.iter().map(|count| count / length as f32).collect();
        let mean = values.iter().sum::<f32>() / values.len().max(1) as f32;
        values.iter().map(|value| (value - mean).powi(2)).sum::<f32>() / values.len().max(1) as f32
    };
    normalized_variance(&columns, height) > 1.5 * normalized_variance(&rows, width)
}

/// A copy at most 400 pixels on its longer side, for quick layout checks.
fn imageops_shrink(gray: &GrayImage) -> GrayImage {
    let (width, height) = gray.dimensions();
    let scale = (400.0 / width.max(height) as f32).min(1.0);
    let size = |side: u32| ((side as f32 * scale).round() as u32).max(1);
    image::imageops::resize(gray, size(width), size(height), image::imageops::FilterType::Triangle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_lines_are_painted_out_for_the_accent_reading() {
        let page = OcrPage::from_text("Jonna Hoglund\nT: +46 20 931 41 70\njonna@pixellabs.se\n87016 Orebro");
        let card = GrayImage::from_pixel(page.width, page.height, image::Luma([0]));
        let blanked = without_contact_lines(&card, &page);
        let centre = |line: usize| {
            let bbox = page.lines[line].bbox;
            blanked.get_pixel(bbox.x + bbox.width / 2, bbox.y + bbox.height / 2)[0]
        };
        assert_eq!([centre(0), centre(1), centre(2), centre(3)], [0, 255, 255, 0]);
    }
}
