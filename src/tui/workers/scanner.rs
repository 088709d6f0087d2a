//! The scanner's workers: a capture worker keeps the newest frame, a pump thread turns each
//! new frame into a preview for the screen and hands it to the scan worker, which decodes
//! only the newest. The pump reports to the UI as `Event::Scanner`; once a frame holds a
//! code it pauses itself, so the code's frame stays on screen while the user reviews it.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use crate::capture::{CaptureEvent, CaptureWorker, Frame, LatestFrame, SourceSpec};
use crate::extract::card::guide::{Guidance, GuideWorker};
use crate::extract::qr::{Scan, ScanEvent, ScanWorker};
use crate::tui::event::Event;
use crate::tui::widgets::camera_preview::{GraphicsFrame, PictureCells, PreviewImage, PreviewMode};

/// News from a scanner session, for the scanner screen.
#[derive(Debug)]
pub enum ScannerNews {
    /// The source is open.
    Started { description: String },
    /// A new frame, shrunk for the terminal (and encoded for its graphics protocol, if it
    /// has one), and the frames per second of the preview.
    Preview { preview: PreviewImage, graphics: Option<GraphicsFrame>, fps: Option<f32> },
    /// A frame was decoded; when it holds a code the session has paused, and `frozen` is that
    /// frame's preview.
    Scanned { scan: Scan, frozen: Option<PreviewImage> },
    /// What the card guide saw in a recent frame: the card's corners, hints, measures.
    Guidance(Box<Guidance>),
    /// The frame taken as a card capture (Space, or auto-capture), with its preview; the
    /// session has paused.
    Captured { frame: Frame, frozen: PreviewImage },
    /// One image could not be read; the source goes on.
    Skipped(String),
    /// The source cannot go on (no camera, say).
    Failed(String),
    /// The source has no more frames (an image file, a folder, a replay).
    Finished,
}

/// A running scanner: dropping it stops every thread of it.
pub struct ScannerSession {
    is_paused: Arc<AtomicBool>,
    /// Set to take the newest frame as a card capture.
    wants_capture: Arc<AtomicBool>,
    /// Capture a card by itself once it is sharp and still.
    auto_capture: Arc<AtomicBool>,
    /// Dropped to stop the pump.
    stop: Option<Sender<()>>,
    pump: Option<JoinHandle<()>>,
}

/// What the pump listens to.
enum PumpInput {
    Capture(CaptureEvent),
    Scan(ScanEvent),
    Guide(Guidance),
}

impl From<Guidance> for PumpInput {
    fn from(guidance: Guidance) -> Self {
        PumpInput::Guide(guidance)
    }
}

impl From<CaptureEvent> for PumpInput {
    fn from(event: CaptureEvent) -> Self {
        PumpInput::Capture(event)
    }
}

impl From<ScanEvent> for PumpInput {
    fn from(event: ScanEvent) -> Self {
        PumpInput::Scan(event)
    }
}

impl ScannerSession {
    /// Opens `spec` and starts scanning; news goes to `events` tagged with `id`.
    pub fn start(
        id: u64,
        spec: SourceSpec,
        mode: PreviewMode,
        cells: PictureCells,
        events: Sender<Event>,
        auto_capture: bool,
    ) -> ScannerSession {
        let is_paused = Arc::new(AtomicBool::new(false));
        let wants_capture = Arc::new(AtomicBool::new(false));
        let auto_capture = Arc::new(AtomicBool::new(auto_capture));
        let (stop, stop_receiver) = crossbeam_channel::bounded::<()>(0);
        let pump = {
            let flags = Flags {
                is_paused: Arc::clone(&is_paused),
                wants_capture: Arc::clone(&wants_capture),
                auto_capture: Arc::clone(&auto_capture),
            };
            thread::Builder::new()
                .name("rolo-scanner".into())
                .spawn(move || pump(id, spec, &mode, &cells, &events, &flags, &stop_receiver))
                .ok()
        };
        ScannerSession { is_paused, wants_capture, auto_capture, stop: Some(stop), pump }
    }

    /// Scanning goes on (after a code was reviewed) or stops for now.
    pub fn set_paused(&self, is_paused: bool) {
        self.is_paused.store(is_paused, Ordering::Relaxed);
    }

    /// Whether a card is captured by itself once it is sharp and still.
    pub fn set_auto_capture(&self, is_on: bool) {
        self.auto_capture.store(is_on, Ordering::Relaxed);
    }

    /// Takes the newest frame as a card capture, within one poll of the pump.
    pub fn capture(&self) {
        self.wants_capture.store(true, Ordering::Relaxed);
    }
}

/// What the UI sets and the pump reads.
struct Flags {
    is_paused: Arc<AtomicBool>,
    wants_capture: Arc<AtomicBool>,
    auto_capture: Arc<AtomicBool>,
}

impl Drop for ScannerSession {
    fn drop(&mut self) {
        self.stop.take();
        // The pump ends within one receive timeout; joining keeps the camera from being
        // opened twice when the next session starts at once.
        if let Some(pump) = self.pump.take() {
            let _ = pump.join();
        }
    }
}

/// How often the pump checks whether it was stopped.
const PUMP_POLL: Duration = Duration::from_millis(50);

fn pump(
    id: u64,
    spec: SourceSpec,
    mode: &PreviewMode,
    cells: &PictureCells,
    events: &Sender<Event>,
    flags: &Flags,
    stop: &Receiver<()>,
) {
    let is_paused = &*flags.is_paused;
    let (sender, inputs) = crossbeam_channel::unbounded::<PumpInput>();
    let latest = LatestFrame::new();
    let scan_worker = ScanWorker::spawn(sender.clone());
    let guide_worker = GuideWorker::spawn(sender.clone());
    let capture = CaptureWorker::spawn(spec, latest.clone(), sender);
    let send = |news: ScannerNews| events.send(Event::Scanner { session_id: id, news }).is_ok();
    let mut frame_times: VecDeque<Instant> = VecDeque::new();
    // The newest frame shown, for a card capture (an image file delivers only one).
    let mut newest: Option<Frame> = None;
    loop {
        if matches!(stop.try_recv(), Err(crossbeam_channel::TryRecvError::Disconnected)) {
            break;
        }
        if flags.wants_capture.swap(false, Ordering::Relaxed)
            && let Some(frame) = newest.clone()
        {
            is_paused.store(true, Ordering::Relaxed);
            let frozen = PreviewImage::of_frame(&frame.image);
            if !send(ScannerNews::Captured { frame, frozen }) {
                break;
            }
        }
        let input = match inputs.recv_timeout(PUMP_POLL) {
            Ok(input) => input,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => continue,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
        };
        let news = match input {
            PumpInput::Capture(CaptureEvent::FrameReady) => {
                let Some(frame) = latest.take() else { continue };
                if is_paused.load(Ordering::Relaxed) {
                    continue;
                }
                scan_worker.submit(frame.clone());
                guide_worker.submit(frame.clone());
                newest = Some(frame.clone());
                let fps = frames_per_second(&mut frame_times, frame.captured_at);
                let graphics = mode.encode(&frame.image, cells);
                ScannerNews::Preview { preview: PreviewImage::of_frame(&frame.image), graphics, fps }
            }
            PumpInput::Capture(CaptureEvent::Started { description }) => ScannerNews::Started { description },
            PumpInput::Capture(CaptureEvent::Skipped(error)) => ScannerNews::Skipped(error.to_string()),
            PumpInput::Capture(CaptureEvent::Failed(error)) => ScannerNews::Failed(error.to_string()),
            PumpInput::Capture(CaptureEvent::Finished) => ScannerNews::Finished,
            PumpInput::Guide(guidance) => {
                if is_paused.load(Ordering::Relaxed) {
                    continue;
                }
                if guidance.is_ready && flags.auto_capture.load(Ordering::Relaxed) {
                    is_paused.store(true, Ordering::Relaxed);
                    let frozen = PreviewImage::of_frame(&guidance.frame.image);
                    let frame = guidance.frame.clone();
                    if !send(ScannerNews::Guidance(Box::new(guidance))) {
                        break;
                    }
                    ScannerNews::Captured { frame, frozen }
                } else {
                    ScannerNews::Guidance(Box::new(guidance))
                }
            }
            PumpInput::Scan(ScanEvent::Scanned(scan)) => {
                if is_paused.load(Ordering::Relaxed) {
                    continue;
                }
                // The frame with a code stays on screen: its preview is made here, not by the UI.
                let frozen = (!scan.codes.is_empty()).then(|| {
                    is_paused.store(true, Ordering::Relaxed);
                    PreviewImage::of_frame(&scan.frame.image)
                });
                ScannerNews::Scanned { scan, frozen }
            }
        };
        if !send(news) {
            break;
        }
    }
    capture.stop();
    scan_worker.stop();
    guide_worker.stop();
}

/// Frames per second over the last two seconds, once there are a few frames.
fn frames_per_second(times: &mut VecDeque<Instant>, now: Instant) -> Option<f32> {
    times.push_back(now);
    while times.front().is_some_and(|&first| now.duration_since(first) > Duration::from_secs(2)) {
        times.pop_front();
    }
    let span = now.duration_since(*times.front()?).as_secs_f32();
    (times.len() >= 3 && span > 0.0).then(|| (times.len() - 1) as f32 / span)
}
