//! The capture worker: a thread that reads a `FrameSource` and keeps only the newest frame
//! in a single-slot `Mailbox`, so that whoever shows or decodes frames never waits and never
//! falls behind. It reports over a channel and stops when its handle is dropped.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use super::{Error, Frame, FrameSource, Poll, SourceSpec};

/// A single slot: a new value replaces an unread older one.
#[derive(Debug)]
pub struct Mailbox<T> {
    slot: Arc<Mutex<Option<T>>>,
}

/// The newest frame of a capture worker.
pub type LatestFrame = Mailbox<Frame>;

/// News from a capture worker.
#[derive(Debug)]
pub enum CaptureEvent {
    /// The source is open; its description is for the status line.
    Started { description: String },
    /// A new frame waits in the `LatestFrame`. Sent only when the slot was empty, so a busy
    /// reader gets one wake-up, then finds the newest frame.
    FrameReady,
    /// One image could not be read (a folder or replay goes on with the next).
    Skipped(Error),
    /// The source cannot go on, e.g. `Error::NoCamera`. The worker has stopped.
    Failed(Error),
    /// The source has no more frames (an image file, an unwatched folder, a replay). The
    /// worker has stopped.
    Finished,
}

/// The handle of a running capture worker. Dropping it stops the worker; `stop` also
/// waits for the thread, which takes at most one camera frame.
#[derive(Debug)]
pub struct CaptureWorker {
    /// Dropped to stop the worker: its receiver then wakes up disconnected.
    stop_sender: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl<T> Mailbox<T> {
    pub fn new() -> Self {
        Mailbox { slot: Arc::new(Mutex::new(None)) }
    }

    /// Puts `value` in the slot, dropping any unread one. True when the slot was empty,
    /// i.e. when the reader needs a wake-up.
    pub fn put(&self, value: T) -> bool {
        self.lock().replace(value).is_none()
    }

    /// The newest value, emptying the slot.
    pub fn take(&self) -> Option<T> {
        self.lock().take()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_none()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<T>> {
        // A panic while holding the lock cannot leave the Option half-written.
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Clone for Mailbox<T> {
    fn clone(&self) -> Self {
        Mailbox { slot: Arc::clone(&self.slot) }
    }
}

impl<T> Default for Mailbox<T> {
    fn default() -> Self {
        Mailbox::new()
    }
}

impl CaptureWorker {
    /// Opens `spec` on a new thread and streams its frames into `latest`. `events` gets
    /// `CaptureEvent`s, converted into the receiver's own event type.
    pub fn spawn<E>(spec: SourceSpec, latest: LatestFrame, events: Sender<E>) -> CaptureWorker
    where
        E: From<CaptureEvent> + Send + 'static,
    {
        CaptureWorker::spawn_with(move || spec.open(), latest, events)
    }

    /// Like `spawn`, with a source of the caller's making, opened on the worker thread.
    pub fn spawn_with<E, F>(open: F, latest: LatestFrame, events: Sender<E>) -> CaptureWorker
    where
        E: From<CaptureEvent> + Send + 'static,
        F: FnOnce() -> Result<Box<dyn FrameSource>, Error> + Send + 'static,
    {
        let (stop_sender, stop_receiver) = crossbeam_channel::bounded(0);
        let thread = thread::Builder::new()
            .name("rolo-capture".into())
            .spawn(move || {
                let send = |event: CaptureEvent| events.send(E::from(event)).is_ok();
                match open() {
                    Ok(source) => run(source, &latest, &stop_receiver, &send),
                    Err(error) => {
                        send(CaptureEvent::Failed(error));
                    }
                }
            })
            .ok();
        CaptureWorker { stop_sender: Some(stop_sender), thread }
    }

    /// Stops the worker and waits for its thread.
    pub fn stop(mut self) {
        self.stop_sender.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for CaptureWorker {
    fn drop(&mut self) {
        self.stop_sender.take();
    }
}

/// Reads frames until the source ends or fails, the handle is dropped or nobody listens.
fn run(
    mut source: Box<dyn FrameSource>,
    latest: &LatestFrame,
    stop_receiver: &Receiver<()>,
    send: &dyn Fn(CaptureEvent) -> bool,
) {
    if !send(CaptureEvent::Started { description: source.describe() }) {
        return;
    }
    let is_stopped = || matches!(stop_receiver.try_recv(), Err(crossbeam_channel::TryRecvError::Disconnected));
    while !is_stopped() {
        let event = match source.next_frame() {
            Ok(Poll::Frame(frame)) => {
                if !latest.put(frame) {
                    continue;
                }
                CaptureEvent::FrameReady
            }
            Ok(Poll::Wait(duration)) => match stop_receiver.recv_timeout(duration) {
                Err(RecvTimeoutError::Timeout) | Ok(()) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            },
            Ok(Poll::End) => {
                send(CaptureEvent::Finished);
                return;
            }
            Err(error) if error.ends_source() => {
                send(CaptureEvent::Failed(error));
                return;
            }
            Err(error) => CaptureEvent::Skipped(error),
        };
        if !send(event) {
            return;
        }
    }
}

impl Error {
    /// True when the source cannot deliver anything more after this error; false when only
    /// one image was unreadable.
    pub fn ends_source(&self) -> bool {
        !matches!(self, Error::Read { .. } | Error::NotImage { .. } | Error::TooLarge { .. })
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

    use image::RgbImage;

    use super::*;

    #[test]
    fn a_mailbox_keeps_only_the_newest_value_and_says_when_it_was_empty() {
        let mailbox = Mailbox::new();
        assert!(mailbox.put(1));
        assert!(!mailbox.put(2));
        assert_eq!(mailbox.take(), Some(2));
        assert_eq!(mailbox.take(), None);
        assert!(mailbox.put(3));
    }

    #[test]
    fn a_replay_through_the_worker_reports_frames_skips_bad_files_and_finishes() {
        let directory = tempfile::tempdir().unwrap();
        let good = directory.path().join("good.png");
        RgbImage::new(3, 3).save(&good).unwrap();
        let bad = directory.path().join("bad.png");
        std::fs::write(&bad, "not a png").unwrap();
        let paths: Vec<PathBuf> = vec![good.clone(), bad, good];
        let latest = LatestFrame::new();
        let (sender, receiver) = crossbeam_channel::unbounded::<CaptureEvent>();
        let worker = CaptureWorker::spawn(SourceSpec::Replay { paths, fps: f64::INFINITY }, latest.clone(), sender);
        let mut frame_ids = Vec::new();
        let mut n_skipped = 0;
        loop {
            match receiver.recv_timeout(Duration::from_secs(20)).expect("the worker reports") {
                CaptureEvent::Started { description } => assert_eq!(description, "replay of 3 image(s)"),
                CaptureEvent::FrameReady => frame_ids.extend(latest.take().map(|frame| frame.id.0)),
                CaptureEvent::Skipped(error) => {
                    assert!(matches!(error, Error::NotImage { .. }), "{error}");
                    n_skipped += 1;
                }
                CaptureEvent::Failed(error) => panic!("{error}"),
                CaptureEvent::Finished => break,
            }
        }
        worker.stop();
        // The reader may have been slower than the worker; then it saw only the newest frame.
        frame_ids.extend(latest.take().map(|frame| frame.id.0));
        assert_eq!(frame_ids.last(), Some(&2), "two frames were read; ids count from 1");
        assert_eq!(n_skipped, 1);
    }

    #[test]
    fn a_source_that_cannot_open_reports_failure() {
        let (sender, receiver) = crossbeam_channel::unbounded::<CaptureEvent>();
        let spec = SourceSpec::Folder { path: PathBuf::from("/nonexistent/rolo-test"), is_watched: false };
        let _worker = CaptureWorker::spawn(spec, LatestFrame::new(), sender);
        let event = receiver.recv_timeout(Duration::from_secs(20)).unwrap();
        assert!(matches!(event, CaptureEvent::Failed(Error::ReadFolder { .. })), "{event:?}");
    }

    #[test]
    fn dropping_the_handle_stops_a_watching_worker() {
        let directory = tempfile::tempdir().unwrap();
        let (sender, receiver) = crossbeam_channel::unbounded::<CaptureEvent>();
        let spec = SourceSpec::Folder { path: directory.path().to_path_buf(), is_watched: true };
        let worker = CaptureWorker::spawn(spec, LatestFrame::new(), sender);
        assert!(matches!(receiver.recv_timeout(Duration::from_secs(20)).unwrap(), CaptureEvent::Started { .. }));
        drop(worker);
        // The worker drops its sender when it ends, which disconnects the channel.
        assert_eq!(receiver.recv_timeout(Duration::from_secs(20)).unwrap_err(), RecvTimeoutError::Disconnected);
    }
}
