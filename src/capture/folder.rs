//! A folder of images (e.g. photos a phone syncs) read in name order; when watched, new
//! files are picked up by polling, once their size has stopped changing.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::image_file::read_image;
use super::{Error, Frame, FrameCounter, FrameOrigin, FrameSource, Poll, is_image_file_name};

/// How often a watched folder is listed again.
const POLL_INTERVAL: Duration = Duration::from_millis(250);

#[derive(Debug)]
pub struct FolderSource {
    path: PathBuf,
    is_watched: bool,
    /// Files not delivered yet, in name order.
    pending: Vec<PathBuf>,
    /// Every file delivered or queued, so that each is read once.
    seen: HashSet<PathBuf>,
    /// New files of a watched folder with the size they had at the last listing: a file is
    /// read only when two listings agree, so that one still being copied is not read half.
    growing: BTreeMap<PathBuf, u64>,
    counter: FrameCounter,
}

impl FolderSource {
    /// Lists the folder. An unwatched folder without images is an error; a watched one
    /// waits for its first image.
    pub fn open(path: &Path, is_watched: bool) -> Result<FolderSource, Error> {
        let mut source = FolderSource {
            path: path.to_path_buf(),
            is_watched,
            pending: Vec::new(),
            seen: HashSet::new(),
            growing: BTreeMap::new(),
            counter: FrameCounter::default(),
        };
        source.pending = source.list()?.into_keys().collect();
        source.seen.extend(source.pending.iter().cloned());
        if source.pending.is_empty() && !is_watched {
            return Err(Error::NoImages { path: path.to_path_buf() });
        }
        Ok(source)
    }

    /// Image files in the folder with their sizes, by name.
    fn list(&self) -> Result<BTreeMap<PathBuf, u64>, Error> {
        let read_error = |source| Error::ReadFolder { path: self.path.clone(), source };
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(&self.path).map_err(read_error)? {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            let Ok(metadata) = entry.metadata() else { continue };
            if metadata.is_file() && is_image_file_name(&path) {
                files.insert(path, metadata.len());
            }
        }
        Ok(files)
    }

    /// Queues the new files whose size did not change since the last listing.
    fn look_for_new_files(&mut self) -> Result<(), Error> {
        let listing = self.list()?;
        let mut still_growing = BTreeMap::new();
        for (path, size) in listing {
            if self.seen.contains(&path) {
                continue;
            }
            match self.growing.get(&path) {
                Some(&previous_size) if previous_size == size && size > 0 => {
                    self.seen.insert(path.clone());
                    self.pending.push(path);
                }
                _ => {
                    still_growing.insert(path, size);
                }
            }
        }
        self.growing = still_growing;
        Ok(())
    }
}

impl FrameSource for FolderSource {
    fn next_frame(&mut self) -> Result<Poll, Error> {
        if self.pending.is_empty() {
            if !self.is_watched {
                return Ok(Poll::End);
            }
            self.look_for_new_files()?;
            if self.pending.is_empty() {
                return Ok(Poll::Wait(POLL_INTERVAL));
            }
        }
        let path = self.pending.remove(0);
        let image = read_image(&path)?;
        Ok(Poll::Frame(Frame::new(self.counter.next_id(), image, FrameOrigin::File(path))))
    }

    fn describe(&self) -> String {
        let watching = if self.is_watched { ", watching for new images" } else { "" };
        format!("folder {}{watching}", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use image::RgbImage;

    use super::*;

    fn next_path(source: &mut FolderSource) -> Option<PathBuf> {
        match source.next_frame().unwrap() {
            Poll::Frame(frame) => frame.origin.path().map(Path::to_path_buf),
            Poll::Wait(_) | Poll::End => None,
        }
    }

    #[test]
    fn reads_images_in_name_order_and_skips_other_files() {
        let directory = tempfile::tempdir().unwrap();
        for name in ["b.png", "a.png", "c.PNG"] {
            RgbImage::new(4, 4).save_with_format(directory.path().join(name), image::ImageFormat::Png).unwrap();
        }
        std::fs::write(directory.path().join("notes.txt"), "not an image").unwrap();
        let mut source = FolderSource::open(directory.path(), false).unwrap();
        let names: Vec<String> = std::iter::from_fn(|| next_path(&mut source))
            .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.png", "b.png", "c.PNG"]);
        assert!(matches!(source.next_frame().unwrap(), Poll::End));
    }

    #[test]
    fn an_empty_folder_is_an_error_unless_watched() {
        let directory = tempfile::tempdir().unwrap();
        let error = FolderSource::open(directory.path(), false).unwrap_err();
        assert!(matches!(error, Error::NoImages { .. }), "{error}");
        assert!(FolderSource::open(directory.path(), true).is_ok());
    }

    #[test]
    fn a_watched_folder_picks_up_a_new_file_once_its_size_is_stable() {
        let directory = tempfile::tempdir().unwrap();
        let mut source = FolderSource::open(directory.path(), true).unwrap();
        assert!(matches!(source.next_frame().unwrap(), Poll::Wait(_)));
        let new_path = directory.path().join("new.png");
        RgbImage::new(4, 4).save(&new_path).unwrap();
        // The first listing sees the file; the second, with the same size, reads it.
        assert!(matches!(source.next_frame().unwrap(), Poll::Wait(_)));
        assert_eq!(next_path(&mut source), Some(new_path));
        assert!(matches!(source.next_frame().unwrap(), Poll::Wait(_)));
    }
}
