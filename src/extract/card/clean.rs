//! Cleaning a straightened card for OCR: grayscale, even illumination (shadows and a light
//! gradient across the card are divided out), then optionally a local (Sauvola) threshold.

use image::{GrayImage, Luma, RgbImage, imageops};
use imageproc::filter::box_filter;

/// Pictures larger than this on their longer side are scaled down before OCR: Tesseract
/// gains nothing from more pixels and takes longer.
pub const MAX_OCR_SIDE: u32 = 2000;

/// The whole cleaning of a straightened card: grayscale, even illumination, faint print
/// stretched. The radius suits print from about 14 pixels high, on a card straightened to
/// `CARD_LONG_SIDE`.
pub fn clean_for_ocr(card: &RgbImage) -> GrayImage {
    stretch_faint_print(&even_illumination(&grayscale(card)), 14, 48)
}

/// Luma of a colour picture, scaled down to at most `MAX_OCR_SIDE` on its longer side.
pub fn grayscale(image: &RgbImage) -> GrayImage {
    let gray = imageops::grayscale(image);
    let (width, height) = gray.dimensions();
    let longer = width.max(height);
    if longer <= MAX_OCR_SIDE {
        return gray;
    }
    let scale = MAX_OCR_SIDE as f32 / longer as f32;
    let size = |side: u32| ((side as f32 * scale).round() as u32).max(1);
    imageops::resize(&gray, size(width), size(height), imageops::FilterType::Triangle)
}

/// Divides the picture by an estimate of its background (the local brightest values,
/// smoothed), so that paper reads as white everywhere and ink keeps its contrast. Dark cards
/// with light text are inverted first, so that the text is always dark on light.
pub fn even_illumination(gray: &GrayImage) -> GrayImage {
    let (width, height) = gray.dimensions();
    if width < 8 || height < 8 {
        return gray.clone();
    }
    let gray = if is_light_on_dark(gray) { invert(gray) } else { gray.clone() };
    // The background at 1/8 scale: a maximum filter removes the text, a box blur smooths.
    let small_width = (width / 8).max(1);
    let small_height = (height / 8).max(1);
    let small = imageops::resize(&gray, small_width, small_height, imageops::FilterType::Triangle);
    let radius = (small_width.max(small_height) / 40).max(2);
    let background = box_filter(&dilate_max(&small, radius), radius, radius);
    let background = imageops::resize(&background, width, height, imageops::FilterType::Triangle);
    GrayImage::from_fn(width, height, |x, y| {
        let value = gray.get_pixel(x, y)[0] as f32;
        let paper = (background.get_pixel(x, y)[0] as f32).max(24.0);
        Luma([((value / paper) * 255.0).clamp(0.0, 255.0) as u8])
    })
}

/// Stretches faint print to full contrast: each pixel is scaled between the darkest value
/// near it (the ink there) and white, where that darkest value is at least `min_contrast`
/// below white; plain paper (noise only) is left as it is. Light grey or thin print, which
/// Tesseract's global threshold would drop, becomes dark like the rest. Expects paper near
/// white, as `even_illumination` leaves it.
pub fn stretch_faint_print(gray: &GrayImage, radius: u32, min_contrast: u8) -> GrayImage {
    let (width, height) = gray.dimensions();
    if width < 4 || height < 4 {
        return gray.clone();
    }
    let ink = box_filter(&erode_min(gray, radius), radius, radius);
    GrayImage::from_fn(width, height, |x, y| {
        let value = gray.get_pixel(x, y)[0];
        let darkest = ink.get_pixel(x, y)[0].min(value);
        let contrast = 255 - darkest;
        if contrast < min_contrast {
            return Luma([value]);
        }
        let stretched = (f32::from(value - darkest) / f32::from(contrast) * 255.0).round();
        Luma([stretched.clamp(0.0, 255.0) as u8])
    })
}

/// Sauvola's local threshold: a pixel is ink when it is darker than
/// `mean * (1 + k * (deviation / 128 - 1))` over a window of `2 * radius + 1` pixels.
pub fn sauvola(gray: &GrayImage, radius: u32, k: f32) -> GrayImage {
    let (width, height) = gray.dimensions();
    let stride = width as usize + 1;
    let mut sum = vec![0f64; stride * (height as usize + 1)];
    let mut squares = vec![0f64; stride * (height as usize + 1)];
    for y in 0..height as usize {
        let (mut row_sum, mut row_squares) = (0f64, 0f64);
        for x in 0..width as usize {
            let value = gray.get_pixel(x as u32, y as u32)[0] as f64;
            row_sum += value;
            row_squares += value * value;
            sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + row_sum;
            squares[(y + 1) * stride + x + 1] = squares[y * stride + x + 1] + row_squares;
        }
    }
    let radius = radius as i64;
    GrayImage::from_fn(width, height, |x, y| {
        let x0 = (x as i64 - radius).max(0) as usize;
        let y0 = (y as i64 - radius).max(0) as usize;
        let x1 = (x as i64 + radius + 1).min(width as i64) as usize;
        let y1 = (y as i64 + radius + 1).min(height as i64) as usize;
        let area = ((x1 - x0) * (y1 - y0)) as f64;
        let window = |table: &[f64]| {
            table[y1 * stride + x1] - table[y0 * stride + x1] - table[y1 * stride + x0] + table[y0 * stride + x0]
        };
        let mean = window(&sum) / area;
        let variance = (window(&squares) / area - mean * mean).max(0.0);
        let threshold = mean * (1.0 + k as f64 * (variance.sqrt() / 128.0 - 1.0));
        let value = gray.get_pixel(x, y)[0] as f64;
        Luma([if value <= threshold { 0 } else { 255 }])
    })
}

/// True when most of the picture is dark: a dark card with light print.
fn is_light_on_dark(gray: &GrayImage) -> bool {
    let pixels = gray.as_raw();
    let dark = pixels.iter().filter(|&&value| value < 100).count();
    dark * 2 > pixels.len()
}

fn invert(gray: &GrayImage) -> GrayImage {
    GrayImage::from_fn(gray.width(), gray.height(), |x, y| Luma([255 - gray.get_pixel(x, y)[0]]))
}

/// A square minimum filter: the inverse's maximum.
fn erode_min(gray: &GrayImage, radius: u32) -> GrayImage {
    invert(&dilate_max(&invert(gray), radius))
}

/// A square maximum filter, separable.
fn dilate_max(gray: &GrayImage, radius: u32) -> GrayImage {
    let (width, height) = gray.dimensions();
    let radius = radius as i64;
    let horizontal = GrayImage::from_fn(width, height, |x, y| {
        let from = (x as i64 - radius).max(0) as u32;
        let to = (x as i64 + radius).min(width as i64 - 1) as u32;
        Luma([(from..=to).map(|sx| gray.get_pixel(sx, y)[0]).max().unwrap_or(0)])
    });
    GrayImage::from_fn(width, height, |x, y| {
        let from = (y as i64 - radius).max(0) as u32;
        let to = (y as i64 + radius).min(height as i64 - 1) as u32;
        Luma([(from..=to).map(|sy| horizontal.get_pixel(x, sy)[0]).max().unwrap_or(0)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A card whose paper goes from bright to dim, with "ink" stripes of contrast 60.
    fn shaded_card() -> GrayImage {
        GrayImage::from_fn(400, 240, |x, y| {
            let paper = 250.0 - x as f32 * 0.35; // 250 on the left, 110 on the right
            let ink = (y / 10) % 4 == 1 && (x / 10) % 2 == 0;
            Luma([if ink { (paper * 0.4) as u8 } else { paper as u8 }])
        })
    }

    #[test]
    fn shading_is_divided_out_and_ink_stays_dark() {
        let even = even_illumination(&shaded_card());
        let paper_left = even.get_pixel(5, 5)[0];
        let paper_right = even.get_pixel(395, 5)[0];
        assert!(paper_left > 230 && paper_right > 230, "{paper_left} {paper_right}");
        let ink_right = even.get_pixel(380, 15)[0];
        assert!(ink_right < 140, "{ink_right}");
    }

    #[test]
    fn sauvola_separates_ink_from_shaded_paper() {
        let binary = sauvola(&shaded_card(), 15, 0.2);
        assert_eq!(binary.get_pixel(380, 15)[0], 0, "ink on the dim side");
        assert_eq!(binary.get_pixel(385, 35)[0], 255, "paper on the dim side");
        assert_eq!(binary.get_pixel(20, 15)[0], 0);
    }

    #[test]
    fn light_print_on_a_dark_card_becomes_dark_on_light() {
        let dark_card =
            GrayImage::from_fn(200, 120, |x, y| Luma([if (y / 10) % 3 == 1 && x > 20 && x < 180 { 230 } else { 30 }]));
        let even = even_illumination(&dark_card);
        assert!(even.get_pixel(100, 15)[0] < 100, "text is dark");
        assert!(even.get_pixel(100, 5)[0] > 200, "card is light");
    }

    #[test]
    fn faint_print_is_stretched_and_plain_paper_is_left_alone() {
        // Light grey print (190 on white) beside black print, and paper with slight noise.
        let card = GrayImage::from_fn(300, 100, |x, y| {
            let is_print = y < 50 && (y / 6) % 3 == 1 && (x / 4) % 2 == 0;
            let value = match (is_print, x < 150) {
                (true, true) => 20,
                (true, false) => 190,
                (false, _) => 255 - ((x * 7 + y * 13) % 9) as u8,
            };
            Luma([value])
        });
        let stretched = stretch_faint_print(&card, 8, 40);
        assert!(stretched.get_pixel(200, 7)[0] < 60, "faint print darkened: {}", stretched.get_pixel(200, 7)[0]);
        assert!(stretched.get_pixel(40, 7)[0] < 40, "dark print stays dark");
        let paper = stretched.get_pixel(200, 90)[0];
        assert!(paper > 240, "plain paper is not amplified into noise: {paper}");
    }

    #[test]
    fn big_pictures_are_scaled_down_for_ocr() {
        let big = RgbImage::from_pixel(4000, 2400, Rgb([200, 200, 200]));
        assert_eq!(grayscale(&big).dimensions(), (2000, 1200));
        assert_eq!(grayscale(&RgbImage::new(300, 200)).dimensions(), (300, 200));
    }
}
