//! One image file as a frame: decoded with the `image` crate, turned upright by its EXIF
//! orientation (phones store photos sideways and say so in EXIF), with size limits so that
//! a huge or hostile file is refused instead of exhausting memory.

use std::io::{BufReader, Cursor};
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits, RgbImage};

use super::{Error, FrameCounter, FrameOrigin, FrameSource, Poll};
use crate::capture::Frame;

/// The longest side, in pixels, of an image rolo reads (a 64-megapixel phone photo is 9248).
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// The most memory one image may take while it is decoded.
const MAX_DECODE_BYTES: u64 = 1024 * 1024 * 1024;

/// A source that delivers one image, then ends.
#[derive(Debug)]
pub struct ImageFileSource {
    path: PathBuf,
    is_done: bool,
    counter: FrameCounter,
}

impl ImageFileSource {
    pub fn new(path: PathBuf) -> ImageFileSource {
        ImageFileSource { path, is_done: false, counter: FrameCounter::default() }
    }
}

impl FrameSource for ImageFileSource {
    fn next_frame(&mut self) -> Result<Poll, Error> {
        if self.is_done {
            return Ok(Poll::End);
        }
        self.is_done = true;
        let image = read_image(&self.path)?;
        Ok(Poll::Frame(Frame::new(self.counter.next_id(), image, FrameOrigin::File(self.path.clone()))))
    }

    fn describe(&self) -> String {
        format!("image {}", self.path.display())
    }
}

/// Reads and decodes an image file (JPEG, PNG, WebP, BMP, GIF, TIFF), upright.
pub fn read_image(path: &Path) -> Result<RgbImage, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.to_path_buf(), source })?;
    decode_image(&bytes, path)
}

/// Decodes image bytes; `path` names the file in errors.
pub(super) fn decode_image(bytes: &[u8], path: &Path) -> Result<RgbImage, Error> {
    let not_image = |reason: String| Error::NotImage { path: path.to_path_buf(), reason };
    let mut reader = ImageReader::new(BufReader::new(Cursor::new(bytes)))
        .with_guessed_format()
        .map_err(|error| not_image(error.to_string()))?;
    if reader.format().is_none() {
        return Err(not_image("its contents are not a known image format".to_string()));
    }
    if reader.format() == Some(image::ImageFormat::Jpeg) && is_truncated_jpeg(bytes) {
        // The decoder would fill the missing part with grey and say nothing.
        return Err(not_image("the JPEG data is cut short (an incomplete copy?)".to_string()));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let classify = |error: ImageError| match error {
        ImageError::Limits(limits_error) => {
            Error::TooLarge { path: path.to_path_buf(), reason: limits_error.to_string() }
        }
        other => not_image(other.to_string()),
    };
    let mut decoder = reader.into_decoder().map_err(classify)?;
    // A broken EXIF block only costs the rotation, not the image.
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(classify)?;
    image.apply_orientation(orientation);
    Ok(image.into_rgb8())
}

/// True when no end-of-image marker follows the last start-of-scan marker. Entropy-coded
/// data never holds `FF D9` (a data byte `FF` is written `FF 00`), and the last scan belongs
/// to the main image, not to an EXIF thumbnail.
fn is_truncated_jpeg(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|pair| pair == [0xFF, 0xDA]);
    last_scan.is_none_or(|position| !bytes[position..].windows(2).any(|pair| pair == [0xFF, 0xD9]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::ImageFormat;

    fn encoded(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Vec::new();
        image.write_to(&mut Cursor::new(&mut bytes), format).unwrap();
        bytes
    }

    #[test]
    fn decodes_png_and_jpeg() {
        let image = RgbImage::from_fn(40, 20, |x, _| image::Rgb([(x * 6) as u8, 0, 255]));
        for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::Bmp] {
            let decoded = decode_image(&encoded(&image, format), Path::new("x")).unwrap();
            assert_eq!(decoded.dimensions(), (40, 20), "{format:?}");
        }
    }

    #[test]
    fn refuses_text_truncated_files_and_huge_images_with_a_reason() {
        let error = decode_image(b"BEGIN:VCARD\r\n", Path::new("card.jpg")).unwrap_err();
        assert!(matches!(error, Error::NotImage { .. }), "{error}");
        assert!(error.to_string().starts_with("card.jpg is not an image"), "{error}");

        let jpeg = encoded(&RgbImage::new(64, 64), ImageFormat::Jpeg);
        let error = decode_image(&jpeg[..jpeg.len() - 2], Path::new("cut.jpg")).unwrap_err();
        assert!(error.to_string().contains("cut short"), "{error}");
        let mut with_trailer = jpeg.clone();
        with_trailer.extend_from_slice(b"vendor trailer");
        assert!(decode_image(&with_trailer, Path::new("trailer.jpg")).is_ok());

        // A BMP header that claims 20,000 x 20,000 pixels.
        let mut bmp = encoded(&RgbImage::new(1, 1), ImageFormat::Bmp);
        bmp[18..22].copy_from_slice(&20_000i32.to_le_bytes());
        bmp[22..26].copy_from_slice(&20_000i32.to_le_bytes());
        let error = decode_image(&bmp, Path::new("huge.bmp")).unwrap_err();
        assert!(matches!(error, Error::TooLarge { .. }), "{error}");
        assert!(error.to_string().starts_with("huge.bmp is too large"), "{error}");
    }

    #[test]
    fn exif_orientation_turns_the_picture_upright() {
        // A 40x20 JPEG whose EXIF says "rotate 90 degrees clockwise to display" (orientation 6).
        let image =
            RgbImage::from_fn(40, 20, |x, _| if x < 20 { image::Rgb([255, 0, 0]) } else { image::Rgb([0, 0, 255]) });
        let jpeg = encoded(&image, ImageFormat::Jpeg);
        let tiff: [u8; 26] = [
            b'M', b'M', 0, 0x2a, 0, 0, 0, 8, // big-endian TIFF header, first IFD at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // Orientation, SHORT, 1 value: 6
            0, 0, 0, 0, // no next IFD
        ];
        let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 34];
        with_exif.extend_from_slice(b"Exif\0\0");
        with_exif.extend_from_slice(&tiff);
        with_exif.extend_from_slice(&jpeg[2..]);
        let upright = decode_image(&with_exif, Path::new("photo.jpg")).unwrap();
        assert_eq!(upright.dimensions(), (20, 40));
        // The left (red) half of the stored picture is now at the top.
        let top = upright.get_pixel(10, 5).0;
        assert!(top[0] > 200 && top[2] < 60, "{top:?}");
    }

    #[test]
    fn image_file_source_gives_one_frame_then_ends() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("a.png");
        RgbImage::new(8, 8).save(&path).unwrap();
        let mut source = ImageFileSource::new(path.clone());
        let Poll::Frame(frame) = source.next_frame().unwrap() else { panic!("expected a frame") };
        assert_eq!(frame.id.0, 1);
        assert_eq!(frame.origin, FrameOrigin::File(path));
        assert!(matches!(source.next_frame().unwrap(), Poll::End));
    }
}
