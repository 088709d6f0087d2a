//! Small copies of frames for the terminal preview, made off the UI thread (by the scanner's
//! worker) so that drawing a frame costs the UI almost nothing.

use image::RgbImage;

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
}
