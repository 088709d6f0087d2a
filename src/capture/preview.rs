//! Small copies of frames for the terminal preview, made on the capture thread so that
//! drawing a frame costs the UI almost nothing. The UI says how large the preview is (in
//! pixels: for half-block glyphs, columns x twice the rows) and may change it at any time.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use image::RgbImage;

/// The preview's size in pixels, shared between the UI (which sets it on resize) and the
/// capture worker (which reads it for every frame). Zero means no preview.
#[derive(Debug, Clone, Default)]
pub struct PreviewSize(Arc<AtomicU64>);

impl PreviewSize {
    pub fn new(width: u32, height: u32) -> PreviewSize {
        let size = PreviewSize::default();
        size.set(width, height);
        size
    }

    pub fn set(&self, width: u32, height: u32) {
        self.0.store((u64::from(width) << 32) | u64::from(height), Ordering::Relaxed);
    }

    /// The size, or `None` when no preview is wanted.
    pub fn get(&self) -> Option<(u32, u32)> {
        let packed = self.0.load(Ordering::Relaxed);
        let (width, height) = ((packed >> 32) as u32, packed as u32);
        (width > 0 && height > 0).then_some((width, height))
    }
}

/// `image` shrunk (never enlarged) to fit within `max_width` x `max_height`, keeping its
/// aspect ratio; each preview pixel is the mean of the pixels it covers.
pub fn shrink_to_fit(image: &RgbImage, max_width: u32, max_height: u32) -> RgbImage {
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 || max_width == 0 || max_height == 0 {
        return RgbImage::new(0, 0);
    }
    let scale = (f64::from(max_width) / f64::from(width)).min(f64::from(max_height) / f64::from(height)).min(1.0);
    let fitted_width = ((f64::from(width) * scale).round() as u32).clamp(1, max_width);
    let fitted_height = ((f64::from(height) * scale).round() as u32).clamp(1, max_height);
    image::imageops::thumbnail(image, fitted_width, fitted_height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrinks_to_fit_keeping_the_aspect_ratio() {
        let landscape = RgbImage::new(1280, 720);
        assert_eq!(shrink_to_fit(&landscape, 120, 80).dimensions(), (120, 68));
        assert_eq!(shrink_to_fit(&RgbImage::new(720, 1280), 120, 80).dimensions(), (45, 80));
        assert_eq!(shrink_to_fit(&RgbImage::new(40, 20), 120, 80).dimensions(), (40, 20), "never enlarged");
        assert_eq!(shrink_to_fit(&landscape, 0, 80).dimensions(), (0, 0));
    }

    #[test]
    fn the_size_is_shared_and_zero_means_none() {
        let size = PreviewSize::default();
        assert_eq!(size.get(), None);
        let seen_by_worker = size.clone();
        size.set(120, 80);
        assert_eq!(seen_by_worker.get(), Some((120, 80)));
        size.set(0, 80);
        assert_eq!(seen_by_worker.get(), None);
    }
}
