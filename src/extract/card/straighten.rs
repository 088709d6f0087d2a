//! From the card's four corners in a photo to a flat, upright picture of the card at about
//! 300 DPI, the resolution Tesseract reads best.

use image::{GrayImage, Rgb, RgbImage};
use imageproc::geometric_transformations::{Interpolation, Projection, warp_into};

use crate::capture::Quad;

/// The straightened card's longer side: about 430 DPI for an 88 mm card. Small and light
/// print reads markedly better than at 300 DPI (BENCHMARKS.md), for about 50% more OCR time.
pub const CARD_LONG_SIDE: u32 = 1500;

/// The size of the straightened card: the quad's own aspect ratio (cards come in ISO
/// 85.6 x 54, US 3.5 x 2 in, Japanese 91 x 55 mm and squares), the longer side at
/// `CARD_LONG_SIDE`, never wider than 2:1 or narrower than 1:2.
pub fn card_size(quad: &Quad) -> (u32, u32) {
    let (width, height) = quad.mean_sides();
    let aspect = (width / height.max(1.0)).clamp(0.5, 2.0);
    if aspect >= 1.0 {
        (CARD_LONG_SIDE, (CARD_LONG_SIDE as f32 / aspect).round() as u32)
    } else {
        ((CARD_LONG_SIDE as f32 * aspect).round() as u32, CARD_LONG_SIDE)
    }
}

/// Warps the quad of `image` to a flat picture of `card_size(quad)`, bilinear. `None` when
/// the corners do not make a proper quadrilateral (three in a line, crossed edges).
pub fn straighten(image: &RgbImage, quad: &Quad) -> Option<RgbImage> {
    if !quad.is_proper() {
        return None;
    }
    let (width, height) = card_size(quad);
    let (w, h) = (width as f32, height as f32);
    let from = quad.corners.map(|corner| (corner.x, corner.y));
    let to = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    // Photo to card; `warp_into` reads each card pixel through the inverse.
    let projection = Projection::from_control_points(from, to)?;
    let mut card = RgbImage::new(width, height);
    warp_into(image, &projection, Interpolation::Bilinear, Rgb([255, 255, 255]), &mut card);
    Some(card)
}

/// Turns a picture by a multiple of 90 degrees, clockwise.
pub fn rotate_quarter_turns(image: &GrayImage, degrees: u16) -> GrayImage {
    match degrees % 360 {
        90 => image::imageops::rotate90(image),
        180 => image::imageops::rotate180(image),
        270 => image::imageops::rotate270(image),
        _ => image.clone(),
    }
}

/// Turns a colour picture by a multiple of 90 degrees, clockwise.
pub fn rotate_rgb_quarter_turns(image: &RgbImage, degrees: u16) -> RgbImage {
    match degrees % 360 {
        90 => image::imageops::rotate90(image),
        180 => image::imageops::rotate180(image),
        270 => image::imageops::rotate270(image),
        _ => image.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Point;

    #[test]
    fn the_card_comes_out_at_its_aspect_ratio_and_upright() {
        // A 400x240 white card with a black square at its top-left, placed in a tilted
        // quadrilateral of a larger grey picture by hand.
        let mut photo = RgbImage::from_pixel(800, 600, Rgb([90, 90, 90]));
        let quad = Quad::new([
            Point::new(100.0, 120.0),
            Point::new(500.0, 100.0),
            Point::new(520.0, 340.0),
            Point::new(110.0, 360.0),
        ]);
        let projection = Projection::from_control_points(
            [(0.0, 0.0), (400.0, 0.0), (400.0, 240.0), (0.0, 240.0)],
            quad.corners.map(|c| (c.x, c.y)),
        )
        .unwrap();
        for y in 0..240 {
            for x in 0..400 {
                let (px, py) = projection * (x as f32 + 0.5, y as f32 + 0.5);
                let colour = if x < 80 && y < 80 { Rgb([0, 0, 0]) } else { Rgb([250, 250, 250]) };
                photo.put_pixel(px as u32, py as u32, colour);
            }
        }
        let card = straighten(&photo, &quad).unwrap();
        let (width, height) = card.dimensions();
        assert_eq!(width, CARD_LONG_SIDE);
        assert!((height as f32 / width as f32 - 0.6).abs() < 0.05, "{width}x{height}");
        let dark = |x: u32, y: u32| card.get_pixel(x, y)[0] < 60;
        assert!(dark(width / 10, height / 10), "the black square is at the top-left");
        assert!(!dark(width * 9 / 10, height * 9 / 10));
        assert!(!dark(width * 9 / 10, height / 10));
    }

    #[test]
    fn degenerate_corners_are_refused() {
        let photo = RgbImage::new(100, 100);
        let line =
            Quad::new([Point::new(0.0, 0.0), Point::new(50.0, 0.0), Point::new(100.0, 0.0), Point::new(20.0, 0.0)]);
        assert!(straighten(&photo, &line).is_none());
    }
}
