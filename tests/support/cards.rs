//! Business cards rendered for tests: text in a bundled font (DejaVu Sans, see
//! tests/fixtures/fonts) on a white card, either flat like a scan or placed in perspective
//! on a darker, shaded desk like a camera photo.

#![allow(dead_code)]

use ab_glyph::{FontRef, PxScale};
use image::{Rgb, RgbImage};
use imageproc::drawing::draw_text_mut;
use imageproc::geometric_transformations::{Interpolation, Projection, warp_into};

const FONT: &[u8] = include_bytes!("../fixtures/fonts/DejaVuSans.ttf");

/// The flat card's size: 3.5 x 2 inches at 300 DPI.
pub const CARD_WIDTH: u32 = 1050;
pub const CARD_HEIGHT: u32 = 600;

/// One printed line: its text and its letter height in pixels.
pub struct PrintedLine<'a> {
    pub text: &'a str,
    pub size: f32,
}

/// A typical card: a large name, the title, the company, then contact lines.
pub fn sample_lines() -> Vec<PrintedLine<'static>> {
    vec![
        PrintedLine { text: "Ada Lovelace", size: 64.0 },
        PrintedLine { text: "Chief Engineer", size: 38.0 },
        PrintedLine { text: "Analytical Engines Ltd", size: 38.0 },
        PrintedLine { text: "ada@analytical-engines.co.uk", size: 34.0 },
        PrintedLine { text: "Tel +44 20 7946 0018", size: 34.0 },
        PrintedLine { text: "www.analytical-engines.co.uk", size: 34.0 },
    ]
}

/// The card as a flat scan: black text on white, lines spaced by their size.
pub fn flat_card(lines: &[PrintedLine]) -> RgbImage {
    let font = FontRef::try_from_slice(FONT).expect("the bundled font parses");
    let mut card = RgbImage::from_pixel(CARD_WIDTH, CARD_HEIGHT, Rgb([250, 250, 246]));
    let mut y = 50.0;
    for line in lines {
        draw_text_mut(&mut card, Rgb([20, 20, 30]), 70, y as i32, PxScale::from(line.size), &font, line.text);
        y += line.size * 1.45;
    }
    card
}

/// Where the card's corners land in the photo, clockwise from its top-left.
pub const PHOTO_CORNERS: [(f32, f32); 4] = [(250.0, 140.0), (1010.0, 110.0), (1050.0, 560.0), (215.0, 585.0)];

/// The card in perspective on a 1280x720 desk, with light falling off across it.
pub fn photo_of(card: &RgbImage) -> RgbImage {
    let mut photo = RgbImage::from_fn(1280, 720, |x, y| {
        let shade = 70 + ((x + y) / 40 % 7) as u8 * 3;
        Rgb([shade + 20, shade + 10, shade])
    });
    let (w, h) = (card.width() as f32, card.height() as f32);
    let projection = Projection::from_control_points([(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)], PHOTO_CORNERS)
        .expect("the corners make a quadrilateral");
    let mut warped = photo.clone();
    warp_into(card, &projection, Interpolation::Bilinear, Rgb([0, 0, 0]), &mut warped);
    // Keep the desk where the warp fell outside the card.
    let inside = |x: f32, y: f32| {
        let (cx, cy) = projection.invert() * (x, y);
        cx >= 0.0 && cy >= 0.0 && cx < w && cy < h
    };
    for (x, y, pixel) in photo.enumerate_pixels_mut() {
        if inside(x as f32 + 0.5, y as f32 + 0.5) {
            let light = 1.0 - 0.15 * x as f32 / 1280.0;
            let warped = warped.get_pixel(x, y);
            *pixel = Rgb(warped.0.map(|value| (value as f32 * light) as u8));
        }
    }
    photo
}
