//! Finding codes in a picture with rxing, as phone scanners do: a downscaled grayscale copy
//! first (fast, and enough for a code that fills part of the frame), then the full frame
//! with harder settings (inverted QR codes too) when that fails, and last a QR-only pass on a
//! copy resampled to 17/20 of its size, whose different sampling rescues codes with text
//! printed over a finder pattern. Faint pictures are stretched to full contrast first. QR
//! codes are tried first.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use std::borrow::Cow;

use crate::capture::Point;
use image::{GrayImage, RgbImage};
use rxing::common::HybridBinarizer;
use rxing::{BarcodeFormat, BinaryBitmap, DecodeHintValue, DecodeHints, Luma8LuminanceSource, MultiFormatReader};

/// The code formats rolo reads, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeFormat {
    QrCode,
    Pdf417,
    DataMatrix,
    Aztec,
    Code128,
}

/// One code found in a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub format: CodeFormat,
    /// The text exactly as decoded: untrusted, sanitize before showing it.
    pub text: String,
    /// The points rxing located the code by (for QR codes the three finder patterns and,
    /// when found, the alignment pattern), in full-frame pixels; a box drawn around them
    /// frames the code.
    pub corners: Vec<Point>,
}

/// A reusable decoder: one rxing reader for each format, set up once.
pub struct Decoder {
    /// Readers for the downscaled pass.
    quick_readers: Vec<(CodeFormat, MultiFormatReader)>,
    /// Readers for the full-frame pass: harder, and inverted QR codes too.
    thorough_readers: Vec<(CodeFormat, MultiFormatReader)>,
    /// The QR reader for the last, resampled pass.
    rescue_readers: Vec<(CodeFormat, MultiFormatReader)>,
}

/// Frames whose longer side exceeds this are first decoded at about this size.
const QUICK_PASS_SIDE: u32 = 800;

/// Pictures whose darkest and lightest percent are closer than this are stretched.
const LOW_CONTRAST_RANGE: u8 = 160;

impl CodeFormat {
    pub const ALL: [CodeFormat; 5] =
        [CodeFormat::QrCode, CodeFormat::Pdf417, CodeFormat::DataMatrix, CodeFormat::Aztec, CodeFormat::Code128];

    /// ZXing's name, used in JSON output: `QR_CODE`, `PDF_417`, `DATA_MATRIX`, `AZTEC`, `CODE_128`.
    pub fn key(self) -> &'static str {
        match self {
            CodeFormat::QrCode => "QR_CODE",
            CodeFormat::Pdf417 => "PDF_417",
            CodeFormat::DataMatrix => "DATA_MATRIX",
            CodeFormat::Aztec => "AZTEC",
            CodeFormat::Code128 => "CODE_128",
        }
    }

    /// For people: "QR code", "PDF417", "Data Matrix", "Aztec", "Code 128".
    pub fn label(self) -> &'static str {
        match self {
            CodeFormat::QrCode => "QR code",
            CodeFormat::Pdf417 => "PDF417",
            CodeFormat::DataMatrix => "Data Matrix",
            CodeFormat::Aztec => "Aztec",
            CodeFormat::Code128 => "Code 128",
        }
    }

    fn barcode_format(self) -> BarcodeFormat {
        match self {
            CodeFormat::QrCode => BarcodeFormat::QR_CODE,
            CodeFormat::Pdf417 => BarcodeFormat::PDF_417,
            CodeFormat::DataMatrix => BarcodeFormat::DATA_MATRIX,
            CodeFormat::Aztec => BarcodeFormat::AZTEC,
            CodeFormat::Code128 => BarcodeFormat::CODE_128,
        }
    }
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new()
    }
}

impl Decoder {
    pub fn new() -> Decoder {
        let quick_readers = CodeFormat::ALL.into_iter().map(|format| reader(format, false, false)).collect();
        // Light-on-dark symbols are mostly QR codes (designer badges); trying every format
        // inverted would double the time a frame without a code takes.
        let thorough_readers =
            CodeFormat::ALL.into_iter().map(|format| reader(format, true, format == CodeFormat::QrCode)).collect();
        let rescue_readers = vec![reader(CodeFormat::QrCode, true, false)];
        Decoder { quick_readers, thorough_readers, rescue_readers }
    }

    /// The code in `image`, if any: at most one (the first found, QR codes first).
    pub fn decode(&mut self, image: &RgbImage) -> Option<Code> {
        let (width, height) = image.dimensions();
        self.decode_luma(&luma(image), width, height)
    }

    /// Like `decode`, for 8-bit grayscale pixels row by row.
    pub fn decode_luma(&mut self, pixels: &[u8], width: u32, height: u32) -> Option<Code> {
        if width == 0 || height == 0 || pixels.len() != width as usize * height as usize {
            return None;
        }
        let pixels = stretch_contrast(pixels);
        let factor = width.max(height).div_ceil(QUICK_PASS_SIDE);
        if factor >= 2 {
            let (small, small_width, small_height) = downscale(&pixels, width, height, factor);
            if let Some(code) = decode_with(&mut self.quick_readers, small, small_width, small_height, factor as f32) {
                return Some(code);
            }
        }
        if let Some(code) = decode_with(&mut self.thorough_readers, pixels.to_vec(), width, height, 1.0) {
            return Some(code);
        }
        let full = GrayImage::from_raw(width, height, pixels.into_owned())?;
        let (resampled_width, resampled_height) = ((width * 17 / 20).max(1), (height * 17 / 20).max(1));
        let resampled =
            image::imageops::resize(&full, resampled_width, resampled_height, image::imageops::FilterType::Triangle);
        let scale = width as f32 / resampled_width as f32;
        decode_with(&mut self.rescue_readers, resampled.into_raw(), resampled_width, resampled_height, scale)
    }
}

/// A reader of one format, set up once.
fn reader(format: CodeFormat, is_harder: bool, is_also_inverted: bool) -> (CodeFormat, MultiFormatReader) {
    let hints = DecodeHints::default()
        .with(DecodeHintValue::PossibleFormats(HashSet::from([format.barcode_format()])))
        .with(DecodeHintValue::TryHarder(is_harder))
        .with(DecodeHintValue::AlsoInverted(is_also_inverted));
    let mut reader = MultiFormatReader::default();
    reader.set_hints(&hints);
    (format, reader)
}

/// Tries each reader on one picture; `scale` maps its points back to the full frame.
fn decode_with(
    readers: &mut [(CodeFormat, MultiFormatReader)],
    pixels: Vec<u8>,
    width: u32,
    height: u32,
    scale: f32,
) -> Option<Code> {
    let source = Luma8LuminanceSource::new(pixels, width, height).ok()?;
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    for (format, reader) in readers.iter_mut() {
        // rxing is a large port that sees untrusted pictures: a panic in it means "no code
        // here", not a crashed scanner.
        let result = catch_unwind(AssertUnwindSafe(|| reader.decode_with_state(&mut bitmap)));
        if let Ok(Ok(result)) = result {
            let corners =
                result.getPoints().iter().map(|point| Point { x: point.x * scale, y: point.y * scale }).collect();
            return Some(Code { format: *format, text: result.getText().to_string(), corners });
        }
    }
    None
}

/// 8-bit luma (BT.601 weights) of an RGB image.
pub(crate) fn luma(image: &RgbImage) -> Vec<u8> {
    image
        .as_raw()
        .chunks_exact(3)
        .map(|pixel| ((u32::from(pixel[0]) * 77 + u32::from(pixel[1]) * 150 + u32::from(pixel[2]) * 29) >> 8) as u8)
        .collect()
}

/// The pixels stretched so that the darkest percent becomes black and the lightest white,
/// when they are closer than `LOW_CONTRAST_RANGE` (rxing misses faint codes); else as they are.
fn stretch_contrast(pixels: &[u8]) -> Cow<'_, [u8]> {
    let mut histogram = [0usize; 256];
    for &value in pixels {
        histogram[usize::from(value)] += 1;
    }
    let one_percent = pixels.len() / 100;
    let (Some(dark), Some(light)) =
        (first_past(&histogram, 0..256, one_percent), first_past(&histogram, (0..256).rev(), one_percent))
    else {
        return Cow::Borrowed(pixels);
    };
    if light <= dark || light - dark >= usize::from(LOW_CONTRAST_RANGE) {
        return Cow::Borrowed(pixels);
    }
    let table: Vec<u8> = (0..256)
        .map(|value: usize| (value.clamp(dark, light) - dark).saturating_mul(255).div_euclid(light - dark) as u8)
        .collect();
    Cow::Owned(pixels.iter().map(|&value| table[usize::from(value)]).collect())
}

/// The first value, in `order`, by which more than `count` pixels have been seen.
fn first_past(histogram: &[usize; 256], mut order: impl Iterator<Item = usize>, count: usize) -> Option<usize> {
    let mut seen = 0;
    order.find(|&value| {
        seen += histogram[value];
        seen > count
    })
}

/// The mean of each `factor` x `factor` block; a partial block at the edge is dropped.
fn downscale(pixels: &[u8], width: u32, height: u32, factor: u32) -> (Vec<u8>, u32, u32) {
    let (small_width, small_height) = (width / factor, height / factor);
    let (factor, width) = (factor as usize, width as usize);
    let mut row_sums = vec![0u32; small_width as usize];
    let mut small = Vec::with_capacity(small_width as usize * small_height as usize);
    let block_size = (factor * factor) as u32;
    for small_y in 0..small_height as usize {
        row_sums.fill(0);
        for y in small_y * factor..(small_y + 1) * factor {
            let row = &pixels[y * width..y * width + small_width as usize * factor];
            for (sum, block) in row_sums.iter_mut().zip(row.chunks_exact(factor)) {
                *sum += block.iter().map(|&value| u32::from(value)).sum::<u32>();
            }
        }
        small.extend(row_sums.iter().map(|sum| (sum / block_size) as u8));
    }
    (small, small_width, small_height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downscale_averages_blocks() {
        let pixels = [0, 100, 10, 10, 200, 100, 30, 50, 7, 7, 7, 7];
        let (small, width, height) = downscale(&pixels, 4, 3, 2);
        assert_eq!((width, height), (2, 1));
        assert_eq!(small, [100, 25]);
    }

    #[test]
    fn faint_pictures_are_stretched_and_others_left_alone() {
        let faint: Vec<u8> = (0..200).map(|index| if index % 2 == 0 { 100 } else { 150 }).collect();
        let stretched = stretch_contrast(&faint);
        assert_eq!((stretched[0], stretched[1]), (0, 255));
        let crisp: Vec<u8> = (0..200).map(|index| if index % 2 == 0 { 10 } else { 240 }).collect();
        assert!(matches!(stretch_contrast(&crisp), Cow::Borrowed(_)));
        let flat = vec![128; 50];
        assert!(matches!(stretch_contrast(&flat), Cow::Borrowed(_)));
    }

    #[test]
    fn noise_of_any_size_has_no_code_and_never_panics() {
        // A fixed linear congruential sequence: the same "noise" in every run.
        let mut state: u32 = 12345;
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        };
        let mut decoder = Decoder::new();
        for (width, height) in [(1, 1), (3, 200), (41, 41), (320, 240), (900, 30)] {
            let pixels: Vec<u8> = (0..width * height).map(|_| next()).collect();
            assert_eq!(decoder.decode_luma(&pixels, width, height).map(|code| code.format), None);
        }
    }

    #[test]
    fn empty_or_inconsistent_pictures_have_no_code() {
        let mut decoder = Decoder::new();
        assert_eq!(decoder.decode(&RgbImage::new(0, 0)), None);
        assert_eq!(decoder.decode_luma(&[0; 10], 4, 4), None);
        assert_eq!(decoder.decode(&RgbImage::from_pixel(320, 240, image::Rgb([255, 255, 255]))), None);
    }
}
