//! How good a frame is for reading a card: sharpness (variance of the Laplacian),
//! brightness and glare (clipped highlights on the card), turned into short hints; and
//! whether the card has held still long enough to be captured on its own.
//!
//! The thresholds are for ordinary webcams and phone cameras with automatic exposure, not
//! for one set of pictures: a white card in ordinary room light reads 120 to 220, a dim room
//! below 60, and a lamp's reflection clips to 255 over a patch of the card.

use std::time::{Duration, Instant};

use image::GrayImage;
use imageproc::filter::laplacian_filter;

use super::Quad;

/// Measures of one frame, over the card when its corners are known, else the whole frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    /// Variance of the Laplacian on a copy `MEASURE_SIDE` pixels on its longer side, so that
    /// frames of different sizes compare; higher is sharper.
    pub sharpness: f32,
    /// Mean luma, 0 to 255.
    pub brightness: f32,
    /// Share of clipped (near-white) pixels, 0 to 1.
    pub glare: f32,
}

/// What the user should do, shortest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    NoCard,
    MoreLight,
    LessLight,
    AvoidGlare,
    HoldStill,
    Ready,
}

/// Follows the card's corners from frame to frame: a card is stable while its corners move
/// less than `STILL_SHARE` of the frame's diagonal between frames (and drift no more than
/// twice that from where the still spell began).
#[derive(Debug, Clone, Default)]
pub struct Stability {
    previous: Option<Quad>,
    /// The corners when the current still spell began, and when that was.
    anchor: Option<(Quad, Instant)>,
    n_still_frames: u32,
}

/// Frames are measured at this size (longer side), whatever the camera gives.
pub const MEASURE_SIDE: u32 = 640;
/// Below this mean luma the card is too dark to read well.
pub const DARK: f32 = 60.0;
/// Luma at or above this counts as clipped.
pub const CLIPPED: u8 = 250;
/// A spot of glare: this share of the card clipped hides a word or a line.
pub const GLARE_SPOT: f32 = 0.02;
/// Glare is a clipped patch on a card whose paper is not itself clipped: on a card this
/// bright on average, or clipped over half of it, clipped pixels are white paper (which OCR
/// reads well), not glare.
pub const PAPER_WHITE: f32 = 225.0;
/// Above this mean luma the card is overexposed: nearly all of it is clipped and light
/// print washes out.
pub const OVEREXPOSED: f32 = 250.0;
/// So is a card more than this share of which is clipped.
pub const OVEREXPOSED_SHARE: f32 = 0.9;
/// Below this variance of the Laplacian (at `MEASURE_SIDE`) small print is blurred: the
/// camera or the card moved, or the focus is off. Sharp cards with print measure from a few
/// hundred to a few thousand; a blur of one pixel at `MEASURE_SIDE` brings them to 10-150.
pub const SHARP_ENOUGH: f32 = 100.0;
/// Corners moving less than this share of the frame's diagonal between frames are still.
pub const STILL_SHARE: f32 = 0.015;

/// Measures `gray`, within `card` when given (slightly inside its edges, so that the edges
/// themselves do not count as sharpness), else within the middle half of the frame.
pub fn measure(gray: &GrayImage, card: Option<&Quad>) -> Quality {
    let (width, height) = gray.dimensions();
    if width == 0 || height == 0 {
        return Quality { sharpness: 0.0, brightness: 0.0, glare: 0.0 };
    }
    let scale = (MEASURE_SIDE as f32 / width.max(height) as f32).min(1.0);
    let small = if scale < 1.0 {
        let size = |side: u32| ((side as f32 * scale).round() as u32).max(1);
        image::imageops::thumbnail(gray, size(width), size(height))
    } else {
        gray.clone()
    };
    let (small_width, small_height) = small.dimensions();
    let region = match card {
        Some(card) => Region::Card(inset(&card.scaled(small_width as f32 / width as f32), 0.08)),
        None => Region::Middle { width: small_width, height: small_height },
    };
    let laplacian = laplacian_filter(&small);

    let (mut n_pixels, mut luma_sum, mut n_clipped) = (0u64, 0f64, 0u64);
    let (mut laplacian_sum, mut laplacian_squares) = (0f64, 0f64);
    for y in 1..small_height.saturating_sub(1) {
        for x in 1..small_width.saturating_sub(1) {
            if !region.contains(x as f32 + 0.5, y as f32 + 0.5) {
                continue;
            }
            let luma = small.get_pixel(x, y)[0];
            let response = f64::from(laplacian.get_pixel(x, y)[0]);
            n_pixels += 1;
            luma_sum += f64::from(luma);
            n_clipped += u64::from(luma >= CLIPPED);
            laplacian_sum += response;
            laplacian_squares += response * response;
        }
    }
    if n_pixels == 0 {
        return Quality { sharpness: 0.0, brightness: 0.0, glare: 0.0 };
    }
    let count = n_pixels as f64;
    let mean_response = laplacian_sum / count;
    Quality {
        sharpness: (laplacian_squares / count - mean_response * mean_response).max(0.0) as f32,
        brightness: (luma_sum / count) as f32,
        glare: (n_clipped as f64 / count) as f32,
    }
}

/// What to tell the user about a frame, most pressing first; `[Hint::Ready]` when nothing
/// stands in the way of a capture. Light comes before stillness: a dim frame is blurred by
/// the long exposure however still the card is held.
pub fn hints(quality: &Quality, is_card_found: bool, is_stable: bool) -> Vec<Hint> {
    let mut hints = Vec::new();
    if !is_card_found {
        hints.push(Hint::NoCard);
    }
    if quality.brightness > OVEREXPOSED || quality.glare > OVEREXPOSED_SHARE {
        hints.push(Hint::LessLight);
    } else if quality.glare > GLARE_SPOT && quality.glare < 0.5 && quality.brightness < PAPER_WHITE {
        hints.push(Hint::AvoidGlare);
    }
    if quality.brightness < DARK {
        hints.push(Hint::MoreLight);
    }
    if is_card_found && (!is_stable || quality.sharpness < SHARP_ENOUGH) {
        hints.push(Hint::HoldStill);
    }
    if hints.is_empty() {
        hints.push(Hint::Ready);
    }
    hints
}

impl Hint {
    /// The message to show, a few words.
    pub fn text(self) -> &'static str {
        match self {
            Hint::NoCard => "Show a business card",
            Hint::MoreLight => "More light",
            Hint::LessLight => "Less light",
            Hint::AvoidGlare => "Tilt to avoid glare",
            Hint::HoldStill => "Hold still",
            Hint::Ready => "Ready",
        }
    }
}

impl Stability {
    pub fn new() -> Stability {
        Stability::default()
    }

    /// Takes the card's corners in a new `width` x `height` frame taken at `now`, or `None`
    /// when no card was found (which ends a still spell).
    pub fn update(&mut self, card: Option<&Quad>, width: u32, height: u32, now: Instant) {
        let tolerance = STILL_SHARE * (width as f32).hypot(height as f32);
        let Some(card) = card else {
            *self = Stability::default();
            return;
        };
        let is_still = self.previous.is_some_and(|previous| previous.max_corner_distance(card) <= tolerance)
            && self.anchor.is_some_and(|(anchor, _)| anchor.max_corner_distance(card) <= 2.0 * tolerance);
        if is_still {
            self.n_still_frames += 1;
        } else {
            self.anchor = Some((*card, now));
            self.n_still_frames = 0;
        }
        self.previous = Some(*card);
    }

    /// How many frames in a row the card has held still, not counting the first.
    pub fn still_frames(&self) -> u32 {
        self.n_still_frames
    }

    /// True when the card has held still for `frames` frames and `duration` until `now`:
    /// time for an automatic capture.
    pub fn is_stable(&self, frames: u32, duration: Duration, now: Instant) -> bool {
        self.anchor
            .is_some_and(|(_, since)| self.n_still_frames >= frames && now.saturating_duration_since(since) >= duration)
    }
}

/// Where in the (shrunk) frame to measure.
enum Region {
    Card(Quad),
    Middle { width: u32, height: u32 },
}

impl Region {
    fn contains(&self, x: f32, y: f32) -> bool {
        match self {
            Region::Card(quad) => is_inside(quad, x, y),
            Region::Middle { width, height } => {
                let (w, h) = (*width as f32, *height as f32);
                (0.25 * w..0.75 * w).contains(&x) && (0.25 * h..0.75 * h).contains(&y)
            }
        }
    }
}

/// The quad moved `share` of the way from each corner towards its centre.
fn inset(quad: &Quad, share: f32) -> Quad {
    let center_x = quad.corners.iter().map(|corner| corner.x).sum::<f32>() / 4.0;
    let center_y = quad.corners.iter().map(|corner| corner.y).sum::<f32>() / 4.0;
    Quad::new(quad.corners.map(|corner| {
        super::Point::new(corner.x + share * (center_x - corner.x), corner.y + share * (center_y - corner.y))
    }))
}

/// True when `(x, y)` lies inside the convex quad, its corners either way round.
fn is_inside(quad: &Quad, x: f32, y: f32) -> bool {
    let corners = &quad.corners;
    let sides: [f32; 4] = std::array::from_fn(|index| {
        let (a, b) = (corners[index], corners[(index + 1) % 4]);
        (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)
    });
    sides.iter().all(|&side| side >= 0.0) || sides.iter().all(|&side| side <= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Point;
    use image::Luma;
    use imageproc::drawing::draw_filled_circle_mut;
    use imageproc::filter::gaussian_blur_f32;

    /// A 1280x720 frame: a grey desk and a card of `paper` luma with rows of dark print.
    fn card_frame(paper: u8) -> (GrayImage, Quad) {
        let mut frame = GrayImage::from_pixel(1280, 720, Luma([70]));
        for y in 160..560 {
            for x in 290..990 {
                let is_print = (200..520).contains(&y) && (y / 6) % 3 == 0 && (x / 9) % 4 != 0 && x > 340 && x < 900;
                frame.put_pixel(x, y, Luma([if is_print { paper / 5 } else { paper }]));
            }
        }
        let card = Quad::new([
            Point::new(290.0, 160.0),
            Point::new(990.0, 160.0),
            Point::new(990.0, 560.0),
            Point::new(290.0, 560.0),
        ]);
        (frame, card)
    }

    #[test]
    fn a_sharp_well_lit_still_card_is_ready() {
        let (frame, card) = card_frame(200);
        let quality = measure(&frame, Some(&card));
        assert!(quality.sharpness > SHARP_ENOUGH, "{quality:?}");
        assert!((120.0..200.0).contains(&quality.brightness), "{quality:?}");
        assert_eq!(quality.glare, 0.0);
        assert_eq!(hints(&quality, true, true), [Hint::Ready]);
        assert_eq!(hints(&quality, true, false), [Hint::HoldStill]);
        assert_eq!(hints(&quality, false, true), [Hint::NoCard]);
        assert_eq!(Hint::Ready.text(), "Ready");
    }

    #[test]
    fn blur_lowers_sharpness_below_the_threshold_at_any_frame_size() {
        let (frame, card) = card_frame(200);
        let blurred = gaussian_blur_f32(&frame, 4.0);
        let quality = measure(&blurred, Some(&card));
        assert!(quality.sharpness < SHARP_ENOUGH, "{quality:?}");
        assert_eq!(hints(&quality, true, true), [Hint::HoldStill]);
        // The same scene at twice the size measures about the same.
        let large = image::imageops::resize(&frame, 2560, 1440, image::imageops::FilterType::Nearest);
        let sharp = measure(&frame, Some(&card)).sharpness;
        let sharp_large = measure(&large, Some(&card.scaled(2.0))).sharpness;
        assert!((sharp_large / sharp - 1.0).abs() < 0.25, "{sharp} vs {sharp_large}");
    }

    #[test]
    fn dark_and_overexposed_cards_ask_for_more_or_less_light() {
        let (dark, card) = card_frame(45);
        assert!(hints(&measure(&dark, Some(&card)), true, true).contains(&Hint::MoreLight));
        // Clipped paper around print that is still dark reads well; a washed-out card does not.
        let (bright, card) = card_frame(255);
        let quality = measure(&bright, Some(&card));
        assert!(quality.glare > 0.5, "{quality:?}");
        assert_eq!(hints(&quality, true, true), [Hint::Ready]);
        let washed_out = Quality { sharpness: 60.0, brightness: 252.0, glare: 0.95 };
        assert_eq!(hints(&washed_out, true, true), [Hint::LessLight, Hint::HoldStill]);
        // White paper with dark print is not overexposed, though much of it is clipped.
        let white_paper = Quality { sharpness: 800.0, brightness: 240.0, glare: 0.6 };
        assert_eq!(hints(&white_paper, true, true), [Hint::Ready]);
    }

    #[test]
    fn a_reflection_on_the_card_asks_for_a_tilt() {
        let (mut frame, card) = card_frame(190);
        draw_filled_circle_mut(&mut frame, (800, 300), 70, Luma([255]));
        let quality = measure(&frame, Some(&card));
        assert!(quality.glare > GLARE_SPOT && quality.glare < 0.2, "{quality:?}");
        assert_eq!(hints(&quality, true, true), [Hint::AvoidGlare]);
        // A reflection on the desk, outside the card, does not count.
        let (mut frame, card) = card_frame(190);
        draw_filled_circle_mut(&mut frame, (120, 600), 70, Luma([255]));
        assert_eq!(measure(&frame, Some(&card)).glare, 0.0);
    }

    #[test]
    fn without_a_card_the_middle_of_the_frame_is_measured() {
        let (frame, _) = card_frame(200);
        let quality = measure(&frame, None);
        // The middle half of the frame lies within the card.
        assert!(quality.brightness > 120.0, "{quality:?}");
        assert_eq!(measure(&GrayImage::new(0, 0), None).brightness, 0.0);
    }

    #[test]
    fn a_card_is_stable_after_holding_still_for_frames_and_time() {
        let start = Instant::now();
        let frame_time = Duration::from_millis(100);
        let (_, card) = card_frame(200);
        let mut stability = Stability::new();
        // A jitter of a few pixels is still; 1.5% of the 1469-pixel diagonal is 22 pixels.
        for index in 0..6u32 {
            let jitter = (index % 2) as f32 * 4.0;
            let moved = Quad::new(card.corners.map(|corner| Point::new(corner.x + jitter, corner.y)));
            stability.update(Some(&moved), 1280, 720, start + frame_time * index);
        }
        assert_eq!(stability.still_frames(), 5);
        assert!(stability.is_stable(5, Duration::from_millis(500), start + frame_time * 5));
        assert!(!stability.is_stable(6, Duration::from_millis(500), start + frame_time * 5));
        assert!(!stability.is_stable(5, Duration::from_secs(1), start + frame_time * 5));

        // A jump starts over; so does a frame without the card.
        let jumped = Quad::new(card.corners.map(|corner| Point::new(corner.x + 60.0, corner.y)));
        stability.update(Some(&jumped), 1280, 720, start + frame_time * 6);
        assert_eq!(stability.still_frames(), 0);
        stability.update(Some(&jumped), 1280, 720, start + frame_time * 7);
        assert_eq!(stability.still_frames(), 1);
        stability.update(None, 1280, 720, start + frame_time * 8);
        assert!(!stability.is_stable(0, Duration::ZERO, start + frame_time * 8));

        // A slow drift, each step small, is not still for long.
        let mut drifting = Stability::new();
        for index in 0..10u32 {
            let drifted = Quad::new(card.corners.map(|corner| Point::new(corner.x + 15.0 * index as f32, corner.y)));
            drifting.update(Some(&drifted), 1280, 720, start + frame_time * index);
        }
        assert!(drifting.still_frames() < 4, "{}", drifting.still_frames());
    }
}
