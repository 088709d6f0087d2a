//! A replay: a list of images played at a frame rate, as a camera would deliver them; for
//! demos and tests, which run the live pipeline without a camera.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::image_file::read_image;
use super::{Error, Frame, FrameCounter, FrameOrigin, FrameSource, Poll};

#[derive(Debug)]
pub struct ReplaySource {
    paths: Vec<PathBuf>,
    /// Time between frames; zero plays as fast as frames can be read.
    period: Duration,
    position: usize,
    /// When the next frame is due; `None` before the first.
    next_due: Option<Instant>,
    counter: FrameCounter,
}

impl ReplaySource {
    /// `fps` frames per second; infinity (or any rate above 1000) plays without waiting.
    pub fn new(paths: Vec<PathBuf>, fps: f64) -> Result<ReplaySource, Error> {
        if paths.is_empty() {
            return Err(Error::EmptyReplay);
        }
        let period = if fps.is_finite() && fps > 0.0 && fps <= 1000.0 {
            Duration::from_secs_f64(1.0 / fps)
        } else {
            Duration::ZERO
        };
        Ok(ReplaySource { paths, period, position: 0, next_due: None, counter: FrameCounter::default() })
    }
}

impl FrameSource for ReplaySource {
    fn next_frame(&mut self) -> Result<Poll, Error> {
        let Some(path) = self.paths.get(self.position).cloned() else {
            return Ok(Poll::End);
        };
        let now = Instant::now();
        if let Some(due) = self.next_due
            && due > now
        {
            return Ok(Poll::Wait(due - now));
        }
        // Frames keep their rhythm even when reading one took a while, like a camera's.
        self.next_due = Some(self.next_due.map_or(now, |due| due.max(now - self.period)) + self.period);
        let position = self.position;
        self.position += 1;
        let image = read_image(&path)?;
        Ok(Poll::Frame(Frame::new(self.counter.next_id(), image, FrameOrigin::Replay { position, path })))
    }

    fn describe(&self) -> String {
        format!("replay of {} image(s)", self.paths.len())
    }
}

#[cfg(test)]
mod tests {
    use image::RgbImage;

    use super::*;

    #[test]
    fn plays_every_image_in_order_with_increasing_ids_then_ends() {
        let directory = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = (0..3).map(|index| directory.path().join(format!("{index}.png"))).collect();
        for path in &paths {
            RgbImage::new(2, 2).save(path).unwrap();
        }
        let mut source = ReplaySource::new(paths.clone(), f64::INFINITY).unwrap();
        let mut origins = Vec::new();
        loop {
            match source.next_frame().unwrap() {
                Poll::Frame(frame) => origins.push((frame.id.0, frame.origin)),
                Poll::Wait(_) => continue,
                Poll::End => break,
            }
        }
        let expected: Vec<(u64, FrameOrigin)> = paths
            .into_iter()
            .enumerate()
            .map(|(position, path)| (position as u64 + 1, FrameOrigin::Replay { position, path }))
            .collect();
        assert_eq!(origins, expected);
    }

    #[test]
    fn a_slow_rate_asks_the_reader_to_wait_between_frames() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("a.png");
        RgbImage::new(2, 2).save(&path).unwrap();
        let mut source = ReplaySource::new(vec![path.clone(), path], 0.5).unwrap();
        assert!(matches!(source.next_frame().unwrap(), Poll::Frame(_)));
        let Poll::Wait(wait) = source.next_frame().unwrap() else { panic!("expected to wait") };
        assert!(wait > Duration::from_secs(1) && wait <= Duration::from_secs(2), "{wait:?}");
        assert!(matches!(ReplaySource::new(Vec::new(), 10.0), Err(Error::EmptyReplay)));
    }
}
