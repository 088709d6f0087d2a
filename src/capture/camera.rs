//! The camera through nokhwa's native backend (Video4Linux on Linux): listing devices,
//! opening one at a resolution, and turning its MJPEG, YUYV, NV12, gray or raw RGB buffers
//! into RGB frames. No camera is an ordinary `Error::NoCamera`, never a panic.

use std::fmt;

use image::RgbImage;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution as NokhwaResolution,
};

use super::{Error, Frame, FrameCounter, FrameOrigin, FrameSource, Poll};

/// A camera resolution in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Resolution {
    pub width: u32,
    pub height: u32,
}

/// One camera the system offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraInfo {
    /// What `--camera N` and `SourceSpec::Camera` take.
    pub index: u32,
    pub name: String,
    pub description: String,
}

/// An open camera streaming frames.
pub struct CameraSource {
    camera: nokhwa::Camera,
    index: u32,
    name: String,
    counter: FrameCounter,
}

/// The resolution asked for when the caller names none: enough for a QR code across a
/// badge, cheap enough to decode every frame.
const DEFAULT_RESOLUTION: Resolution = Resolution { width: 1280, height: 720 };

/// Pixel formats rolo decodes, in order of preference (MJPEG gives the highest frame rates).
const DECODED_FORMATS: [FrameFormat; 6] = [
    FrameFormat::MJPEG,
    FrameFormat::YUYV,
    FrameFormat::NV12,
    FrameFormat::GRAY,
    FrameFormat::RAWRGB,
    FrameFormat::RAWBGR,
];

/// The cameras of this machine; an empty list when there are none. A system that cannot
/// be asked at all (no Video4Linux, no permission) is `Error::NoCamera` with the reason.
pub fn list_cameras() -> Result<Vec<CameraInfo>, Error> {
    let backend = nokhwa::native_api_backend().unwrap_or(ApiBackend::Auto);
    let cameras = nokhwa::query(backend).map_err(|error| Error::NoCamera { detail: Some(error.to_string()) })?;
    Ok(cameras
        .into_iter()
        .filter_map(|camera| {
            let index = camera.index().as_index().ok()?;
            Some(CameraInfo { index, name: camera.human_name(), description: camera.description().to_string() })
        })
        .collect())
}

impl CameraSource {
    /// Opens camera `index` (from `list_cameras`) at the resolution closest to the one asked
    /// for (1280x720 by default) and starts streaming.
    pub fn open(index: u32, resolution: Option<Resolution>) -> Result<CameraSource, Error> {
        let cameras = list_cameras()?;
        if cameras.is_empty() {
            return Err(Error::NoCamera { detail: None });
        }
        let Some(info) = cameras.iter().find(|camera| camera.index == index) else {
            return Err(Error::NoSuchCamera { index, n_cameras: cameras.len() });
        };
        let camera_error = |error: nokhwa::NokhwaError| Error::Camera { index, message: error.to_string() };
        let wanted = resolution.unwrap_or(DEFAULT_RESOLUTION);
        let wanted = NokhwaResolution::new(wanted.width, wanted.height);
        // `Closest` only resolves within one pixel format, so each is tried in turn.
        let mut last_error = None;
        for format in DECODED_FORMATS {
            let request = RequestedFormat::with_formats(
                RequestedFormatType::Closest(CameraFormat::new(wanted, format, 30)),
                &DECODED_FORMATS,
            );
            match nokhwa::Camera::new(CameraIndex::Index(index), request) {
                Ok(mut camera) => {
                    camera.open_stream().map_err(camera_error)?;
                    return Ok(CameraSource {
                        camera,
                        index,
                        name: info.name.clone(),
                        counter: FrameCounter::default(),
                    });
                }
                Err(error) => last_error = Some(error),
            }
        }
        Err(last_error.map_or(Error::Camera { index, message: "no usable pixel format".into() }, camera_error))
    }

    /// The resolution the camera actually delivers.
    pub fn resolution(&self) -> Resolution {
        let resolution = self.camera.resolution();
        Resolution { width: resolution.width(), height: resolution.height() }
    }
}

impl FrameSource for CameraSource {
    fn next_frame(&mut self) -> Result<Poll, Error> {
        let index = self.index;
        let buffer = self.camera.frame().map_err(|error| Error::Camera { index, message: error.to_string() })?;
        let resolution = buffer.resolution();
        let image = to_rgb(buffer.buffer(), buffer.source_frame_format(), resolution.width(), resolution.height())
            .map_err(|message| Error::Camera { index, message })?;
        let origin = FrameOrigin::Camera { index, name: self.name.clone() };
        Ok(Poll::Frame(Frame::new(self.counter.next_id(), image, origin)))
    }

    fn describe(&self) -> String {
        let Resolution { width, height } = self.resolution();
        format!("camera {}: {} ({width}x{height})", self.index, self.name)
    }
}

impl fmt::Debug for CameraSource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_struct("CameraSource").field("index", &self.index).field("name", &self.name).finish()
    }
}

impl fmt::Display for Resolution {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}x{}", self.width, self.height)
    }
}

impl std::str::FromStr for Resolution {
    type Err = String;

    /// `1280x720`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || format!("{text:?} is not a resolution such as 1280x720");
        let (width, height) = text.trim().split_once(['x', 'X']).ok_or_else(invalid)?;
        let width: u32 = width.trim().parse().map_err(|_| invalid())?;
        let height: u32 = height.trim().parse().map_err(|_| invalid())?;
        if width == 0 || height == 0 {
            return Err(invalid());
        }
        Ok(Resolution { width, height })
    }
}

/// One camera buffer as an RGB image; an error names what did not fit.
fn to_rgb(bytes: &[u8], format: FrameFormat, width: u32, height: u32) -> Result<RgbImage, String> {
    let n_pixels = width as usize * height as usize;
    let too_short =
        |needed: usize| format!("a {format} frame of {width}x{height} needs {needed} bytes, got {}", bytes.len());
    match format {
        FrameFormat::MJPEG => image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg)
            .map(|image| image.into_rgb8())
            .map_err(|error| format!("cannot decode an MJPEG frame: {error}")),
        FrameFormat::YUYV => {
            let needed = n_pixels * 2;
            if bytes.len() < needed || !width.is_multiple_of(2) {
                return Err(too_short(needed));
            }
            Ok(yuyv_to_rgb(&bytes[..needed], width, height))
        }
        FrameFormat::NV12 => {
            let needed = n_pixels + n_pixels / 2;
            if bytes.len() < needed || !width.is_multiple_of(2) || !height.is_multiple_of(2) {
                return Err(too_short(needed));
            }
            Ok(nv12_to_rgb(&bytes[..needed], width, height))
        }
        FrameFormat::GRAY => {
            let pixels = bytes.get(..n_pixels).ok_or_else(|| too_short(n_pixels))?;
            Ok(RgbImage::from_fn(width, height, |x, y| {
                let luma = pixels[(y * width + x) as usize];
                image::Rgb([luma, luma, luma])
            }))
        }
        FrameFormat::RAWRGB | FrameFormat::RAWBGR => {
            let pixels = bytes.get(..n_pixels * 3).ok_or_else(|| too_short(n_pixels * 3))?.to_vec();
            let mut image = RgbImage::from_raw(width, height, pixels).ok_or_else(|| too_short(n_pixels * 3))?;
            if format == FrameFormat::RAWBGR {
                image.pixels_mut().for_each(|pixel| pixel.0.swap(0, 2));
            }
            Ok(image)
        }
    }
}

/// BT.601 limited-range YUV to RGB, in integers.
fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = (i32::from(y) - 16).max(0) * 298;
    let d = i32::from(u) - 128;
    let e = i32::from(v) - 128;
    let clamp = |value: i32| ((value + 128) >> 8).clamp(0, 255) as u8;
    [clamp(c + 409 * e), clamp(c - 100 * d - 208 * e), clamp(c + 516 * d)]
}

/// YUYV 4:2:2: two pixels in four bytes, Y0 U Y1 V.
fn yuyv_to_rgb(bytes: &[u8], width: u32, height: u32) -> RgbImage {
    let mut rgb = Vec::with_capacity(width as usize * height as usize * 3);
    for quad in bytes.chunks_exact(4) {
        let [y0, u, y1, v] = [quad[0], quad[1], quad[2], quad[3]];
        rgb.extend_from_slice(&yuv_to_rgb(y0, u, v));
        rgb.extend_from_slice(&yuv_to_rgb(y1, u, v));
    }
    RgbImage::from_raw(width, height, rgb).unwrap_or_else(|| RgbImage::new(width, height))
}

/// NV12: a full-size Y plane, then one interleaved U V pair for each 2x2 block.
fn nv12_to_rgb(bytes: &[u8], width: u32, height: u32) -> RgbImage {
    let (luma, chroma) = bytes.split_at(width as usize * height as usize);
    RgbImage::from_fn(width, height, |x, y| {
        let luma_value = luma[(y * width + x) as usize];
        let chroma_index = ((y / 2) * width + (x / 2) * 2) as usize;
        image::Rgb(yuv_to_rgb(luma_value, chroma[chroma_index], chroma[chroma_index + 1]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuyv_and_nv12_give_the_expected_colours() {
        // Black, white and a saturated red in BT.601 limited range.
        assert_eq!(yuv_to_rgb(16, 128, 128), [0, 0, 0]);
        assert_eq!(yuv_to_rgb(235, 128, 128), [255, 255, 255]);
        let [red, green, blue] = yuv_to_rgb(81, 90, 240);
        assert!(red > 250 && green < 5 && blue < 5, "{red} {green} {blue}");

        let image = to_rgb(&[235, 128, 16, 128], FrameFormat::YUYV, 2, 1).unwrap();
        assert_eq!(image.as_raw(), &[255, 255, 255, 0, 0, 0]);
        let nv12 = [235, 16, 16, 235, 128, 128];
        let image = to_rgb(&nv12, FrameFormat::NV12, 2, 2).unwrap();
        assert_eq!(image.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(image.get_pixel(1, 0).0, [0, 0, 0]);
    }

    #[test]
    fn short_or_broken_buffers_are_errors_not_panics() {
        assert!(to_rgb(&[1, 2, 3], FrameFormat::YUYV, 2, 2).unwrap_err().contains("needs 8 bytes"));
        assert!(to_rgb(&[1, 2, 3], FrameFormat::NV12, 2, 2).is_err());
        assert!(to_rgb(&[0xff, 0xd8, 0xff], FrameFormat::MJPEG, 2, 2).unwrap_err().contains("MJPEG"));
        assert!(to_rgb(&[1], FrameFormat::GRAY, 2, 2).is_err());
        let bgr = to_rgb(&[1, 2, 3], FrameFormat::RAWBGR, 1, 1).unwrap();
        assert_eq!(bgr.as_raw(), &[3, 2, 1]);
    }

    #[test]
    fn resolutions_parse() {
        assert_eq!("1280x720".parse(), Ok(Resolution { width: 1280, height: 720 }));
        assert!("1280".parse::<Resolution>().is_err());
        assert!("0x720".parse::<Resolution>().is_err());
    }

    #[test]
    fn asking_for_a_missing_camera_is_an_error_with_advice_not_a_panic() {
        // Whatever this machine has, camera 4000 does not exist.
        let error = CameraSource::open(4000, None).unwrap_err();
        match &error {
            Error::NoCamera { .. } => assert!(error.to_string().contains("image file or a folder"), "{error}"),
            Error::NoSuchCamera { index, .. } => assert_eq!(*index, 4000),
            other => panic!("unexpected error {other}"),
        }
    }
}
