//! Live guidance while a card is held up: its corners in each frame, how sharp, bright and
//! glary the frame is, what to tell the user, and when the card has been still and sharp
//! long enough to capture by itself. The guide worker looks at the newest frame only, so it
//! never falls behind the camera.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use super::find_card;
use crate::capture::quality::{self, Hint, Quality, Stability};
use crate::capture::{Frame, FrameOrigin, Mailbox, Quad};

/// A card must hold still this many frames, and this long, before an automatic capture.
pub const AUTO_CAPTURE_FRAMES: u32 = 3;
pub const AUTO_CAPTURE_STILL: Duration = Duration::from_millis(500);

/// What the guide made of one frame.
#[derive(Debug, Clone)]
pub struct Guidance {
    pub frame: Frame,
    /// The card's corners in frame pixels, if a card was found.
    pub card: Option<Quad>,
    pub quality: Quality,
    /// What to tell the user, most pressing first (`[Hint::Ready]` when nothing).
    pub hints: Vec<Hint>,
    /// Sharp, lit and still long enough: time for an automatic capture.
    pub is_ready: bool,
    pub elapsed: Duration,
}

/// The guide's memory between frames: how long the card has held still.
#[derive(Debug, Default)]
pub struct Guide {
    stability: Stability,
}

impl Guide {
    pub fn new() -> Guide {
        Guide::default()
    }

    /// Looks at one frame. A still picture (an image file) is as still as it gets: it is
    /// ready as soon as a card is found in it.
    pub fn look(&mut self, frame: Frame, now: Instant) -> Guidance {
        let started = Instant::now();
        let card = find_card(&frame.image);
        let gray = image::imageops::grayscale(&*frame.image);
        let quality = quality::measure(&gray, card.as_ref());
        self.stability.update(card.as_ref(), frame.width(), frame.height(), now);
        let is_still_picture = matches!(frame.origin, FrameOrigin::File(_));
        let is_stable = is_still_picture || self.stability.is_stable(AUTO_CAPTURE_FRAMES, AUTO_CAPTURE_STILL, now);
        let hints = quality::hints(&quality, card.is_some(), is_stable);
        // Glare is advice; light too far off or a blur would spoil the reading.
        let is_ready = card.is_some()
            && is_stable
            && (is_still_picture || quality.sharpness >= quality::SHARP_ENOUGH)
            && !hints.iter().any(|hint| matches!(hint, Hint::MoreLight | Hint::LessLight));
        Guidance { frame, card, quality, hints, is_ready, elapsed: started.elapsed() }
    }
}

/// The handle of a running guide worker; dropping it stops the worker after its frame.
#[derive(Debug)]
pub struct GuideWorker {
    latest: Mailbox<Frame>,
    wake: Sender<()>,
    is_running: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl GuideWorker {
    /// Starts the worker; each frame it looked at is reported to `events`.
    pub fn spawn<E>(events: Sender<E>) -> GuideWorker
    where
        E: From<Guidance> + Send + 'static,
    {
        let (wake, wake_receiver) = crossbeam_channel::bounded(1);
        let latest = Mailbox::new();
        let is_running = Arc::new(AtomicBool::new(true));
        let thread = {
            let latest = latest.clone();
            let is_running = Arc::clone(&is_running);
            thread::Builder::new()
                .name("rolo-card-guide".into())
                .spawn(move || run(&latest, &wake_receiver, &is_running, &events))
                .ok()
        };
        GuideWorker { latest, wake, is_running, thread }
    }

    /// Hands a frame to the worker, replacing one it has not started on.
    pub fn submit(&self, frame: Frame) {
        self.latest.put(frame);
        let _ = self.wake.try_send(());
    }

    /// Stops the worker and waits for the frame it is looking at.
    pub fn stop(mut self) {
        self.is_running.store(false, Ordering::Relaxed);
        let _ = self.wake.try_send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for GuideWorker {
    fn drop(&mut self) {
        self.is_running.store(false, Ordering::Relaxed);
        let _ = self.wake.try_send(());
    }
}

fn run<E: From<Guidance>>(latest: &Mailbox<Frame>, wake: &Receiver<()>, is_running: &AtomicBool, events: &Sender<E>) {
    let mut guide = Guide::new();
    while wake.recv().is_ok() && is_running.load(Ordering::Relaxed) {
        while let Some(frame) = latest.take() {
            let guidance = guide.look(frame, Instant::now());
            if events.send(E::from(guidance)).is_err() || !is_running.load(Ordering::Relaxed) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{FrameId, Point};
    use image::{Rgb, RgbImage};

    /// A white card on a dark desk with dark text-like bars.
    fn card_frame(origin: FrameOrigin, offset: u32) -> Frame {
        let image = RgbImage::from_fn(1280, 720, |x, y| {
            let inside = (300 + offset..980 + offset).contains(&x) && (180..580).contains(&y);
            let ink = inside && (y - 180) % 60 < 14 && (y - 180) / 60 % 2 == 1 && (x - 300 - offset) % 40 < 30;
            if ink {
                Rgb([30, 30, 30])
            } else if inside {
                Rgb([235, 235, 228])
            } else {
                Rgb([60, 50, 40])
            }
        });
        Frame::new(FrameId(1), image, origin)
    }

    #[test]
    fn a_still_card_becomes_ready_after_a_moment_and_a_moving_one_does_not() {
        let mut guide = Guide::new();
        let start = Instant::now();
        let replay = || FrameOrigin::Replay { position: 0, path: "card.png".into() };
        let first = guide.look(card_frame(replay(), 0), start);
        let card = first.card.expect("the card is found");
        assert!(card.corners[0].distance(Point::new(300.0, 180.0)) < 6.0, "{card:?}");
        assert!(!first.is_ready, "not still yet");
        assert!(first.hints.contains(&Hint::HoldStill), "{:?}", first.hints);
        let mut last = first;
        for index in 1..=4 {
            last = guide.look(card_frame(replay(), 0), start + Duration::from_millis(200 * index));
        }
        assert!(last.is_ready, "{:?} {:?}", last.hints, last.quality);

        // A card that jumps between frames is never ready.
        let mut guide = Guide::new();
        for index in 0..6 {
            let moved = guide
                .look(card_frame(replay(), (index % 2) * 120), start + Duration::from_millis(200 * u64::from(index)));
            assert!(!moved.is_ready);
        }
    }

    #[test]
    fn a_photo_file_with_a_card_is_ready_at_once_and_one_without_never() {
        let mut guide = Guide::new();
        let file = || FrameOrigin::File("card.jpg".into());
        assert!(guide.look(card_frame(file(), 0), Instant::now()).is_ready);
        let empty = Frame::new(FrameId(2), RgbImage::from_pixel(1280, 720, Rgb([60, 50, 40])), file());
        let guidance = guide.look(empty, Instant::now());
        assert!(!guidance.is_ready);
        assert_eq!(guidance.hints.first(), Some(&Hint::NoCard));
    }
}
