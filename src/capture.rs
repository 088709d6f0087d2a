//! Frames in: the camera, one image file, a folder of images (optionally watched for new
//! ones) and a replay of images at a frame rate, all behind `FrameSource`, plus the capture
//! worker that keeps only the newest frame. Only this module opens the camera. It never
//! touches the store or the UI.

mod camera;
mod folder;
mod geometry;
mod image_file;
mod preview;
pub mod quality;
mod replay;
mod worker;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use image::RgbImage;

pub use camera::{CameraInfo, CameraSource, Resolution, list_cameras};
pub use folder::FolderSource;
pub use geometry::{Point, Quad};
pub use image_file::{ImageFileSource, MAX_IMAGE_SIDE, read_image};
pub use preview::shrink_to_fit;
pub use quality::{Hint, Quality, Stability};
pub use replay::ReplaySource;
pub use worker::{CaptureEvent, CaptureWorker, LatestFrame, Mailbox};

/// A frame's sequence number within one capture run, counting from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FrameId(pub u64);

/// Where a frame came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameOrigin {
    /// A camera, by its index in `list_cameras` and its name.
    Camera { index: u32, name: String },
    /// An image file, read on its own or from a watched folder.
    File(PathBuf),
    /// The `position`-th image (from 0) of a replay, and its file.
    Replay { position: usize, path: PathBuf },
}

/// One picture, cheap to clone: the pixels are shared.
#[derive(Debug, Clone)]
pub struct Frame {
    pub id: FrameId,
    pub image: Arc<RgbImage>,
    pub origin: FrameOrigin,
    /// When the source delivered it; the scanner shows frames per second from these.
    pub captured_at: Instant,
}

/// What a source has for its reader now.
#[derive(Debug)]
pub enum Poll {
    Frame(Frame),
    /// Nothing yet: ask again after this long (a watched folder, a replay between frames).
    Wait(Duration),
    /// The source has no more frames.
    End,
}

/// A stream of frames. `next_frame` may block for as long as one camera frame takes, but
/// sources that wait longer (folders, replays) return `Poll::Wait` so that the worker can stop.
pub trait FrameSource {
    fn next_frame(&mut self) -> Result<Poll, Error>;

    /// A short description for the status line, e.g. "camera 0: HD Webcam" or "folder ~/scans".
    fn describe(&self) -> String;
}

/// Which source to open; the capture worker opens it on its own thread, because a camera
/// handle cannot move between threads.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceSpec {
    /// The camera with this index in `list_cameras`; `resolution` is the one wanted, else
    /// the camera's highest frame rate is chosen.
    Camera {
        index: u32,
        resolution: Option<Resolution>,
    },
    ImageFile(PathBuf),
    /// Every image of a folder in name order; with `is_watched`, new files are picked up
    /// as they appear, until the worker is stopped.
    Folder {
        path: PathBuf,
        is_watched: bool,
    },
    /// These images in order at `fps` frames per second, then the end.
    Replay {
        paths: Vec<PathBuf>,
        fps: f64,
    },
}

/// Why frames cannot be had. `NoCamera` is an ordinary case on servers and in CI.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no camera found{}; scan an image file or a folder of photos instead",
        detail.as_deref().map(|detail| format!(" ({detail})")).unwrap_or_default()
    )]
    NoCamera { detail: Option<String> },
    #[error("there is no camera {index}: {n_cameras} camera(s) found, numbered from 0")]
    NoSuchCamera { index: u32, n_cameras: usize },
    #[error("camera {index} failed: {message}")]
    Camera { index: u32, message: String },
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("cannot list the folder {}", path.display())]
    ReadFolder {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{} is not an image rolo can read: {reason}", path.display())]
    NotImage { path: PathBuf, reason: String },
    #[error("{} is too large: {reason} (at most {MAX_IMAGE_SIDE} pixels a side)", path.display())]
    TooLarge { path: PathBuf, reason: String },
    #[error("{} holds no image files (JPEG, PNG, WebP, BMP, GIF, TIFF)", path.display())]
    NoImages { path: PathBuf },
    #[error("the replay has no images")]
    EmptyReplay,
}

impl Frame {
    pub fn new(id: FrameId, image: RgbImage, origin: FrameOrigin) -> Frame {
        Frame { id, image: Arc::new(image), origin, captured_at: Instant::now() }
    }

    pub fn width(&self) -> u32 {
        self.image.width()
    }

    pub fn height(&self) -> u32 {
        self.image.height()
    }
}

impl FrameOrigin {
    /// The file behind the frame, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            FrameOrigin::Camera { .. } => None,
            FrameOrigin::File(path) | FrameOrigin::Replay { path, .. } => Some(path),
        }
    }
}

impl fmt::Display for FrameOrigin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameOrigin::Camera { index, name } => write!(formatter, "camera {index}: {name}"),
            FrameOrigin::File(path) => write!(formatter, "{}", path.display()),
            FrameOrigin::Replay { position, path } => write!(formatter, "replay #{}: {}", position + 1, path.display()),
        }
    }
}

impl SourceSpec {
    /// Opens the source. Call it on the thread that will read the frames (see `CaptureWorker`).
    pub fn open(self) -> Result<Box<dyn FrameSource>, Error> {
        Ok(match self {
            SourceSpec::Camera { index, resolution } => Box::new(CameraSource::open(index, resolution)?),
            SourceSpec::ImageFile(path) => Box::new(ImageFileSource::new(path)),
            SourceSpec::Folder { path, is_watched } => Box::new(FolderSource::open(&path, is_watched)?),
            SourceSpec::Replay { paths, fps } => Box::new(ReplaySource::new(paths, fps)?),
        })
    }
}

/// Counts frame ids from 1 for one source.
#[derive(Debug, Default)]
struct FrameCounter(u64);

impl FrameCounter {
    fn next_id(&mut self) -> FrameId {
        self.0 += 1;
        FrameId(self.0)
    }
}

/// True for the file names the file and folder sources read.
pub fn is_image_file_name(path: &Path) -> bool {
    const EXTENSIONS: [&str; 9] = ["jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff", "jfif"];
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| EXTENSIONS.iter().any(|known| extension.eq_ignore_ascii_case(known)))
}
