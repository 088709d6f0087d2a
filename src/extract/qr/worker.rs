//! The scan worker: a thread that decodes the newest submitted frame and reads its payload.
//! Frames submitted while it is busy replace each other, so it never falls behind the camera
//! and whoever submits never waits.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

use super::{Code, Decoder, Payload, parse_payload};
use crate::capture::{Frame, Mailbox};
use crate::model::ContactDraft;

/// A code found in a frame, with its payload read.
#[derive(Debug, Clone)]
pub struct ScannedCode {
    pub code: Code,
    pub payload: Payload,
}

/// The result of decoding one frame.
#[derive(Debug, Clone)]
pub struct Scan {
    /// The frame that was decoded, to freeze on screen when it holds a code.
    pub frame: Frame,
    /// Empty when the frame has no code.
    pub codes: Vec<ScannedCode>,
    /// Decoding and reading the payload took this long.
    pub elapsed: Duration,
}

/// News from the scan worker.
#[derive(Debug)]
pub enum ScanEvent {
    /// A frame was decoded, with or without a code.
    Scanned(Scan),
}

/// Where frames for the scan worker go; cheap to clone, never blocks.
#[derive(Debug, Clone)]
pub struct ScanInbox {
    latest: Mailbox<Frame>,
    wake: Sender<()>,
}

/// The handle of a running scan worker; dropping it stops the worker after its current frame.
#[derive(Debug)]
pub struct ScanWorker {
    inbox: ScanInbox,
    is_running: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Decodes one frame and reads the payload of the code found.
pub fn scan_frame(decoder: &mut Decoder, frame: Frame) -> Scan {
    let started = Instant::now();
    let codes = decoder
        .decode(&frame.image)
        .into_iter()
        .map(|code| {
            let payload = parse_payload(&code.text);
            ScannedCode { code, payload }
        })
        .collect();
    Scan { frame, codes, elapsed: started.elapsed() }
}

impl Scan {
    /// The contact of the first code that holds one.
    pub fn first_draft(&self) -> Option<ContactDraft> {
        self.codes.iter().find_map(|scanned| scanned.payload.to_draft())
    }
}

impl ScanInbox {
    /// Hands a frame to the worker, replacing one it has not started on.
    pub fn submit(&self, frame: Frame) {
        self.latest.put(frame);
        // A full channel already holds a wake-up; a closed one means the worker has ended.
        let _ = self.wake.try_send(());
    }
}

impl ScanWorker {
    /// Starts the worker; each decoded frame is reported to `events` as a `ScanEvent`.
    pub fn spawn<E>(events: Sender<E>) -> ScanWorker
    where
        E: From<ScanEvent> + Send + 'static,
    {
        let (wake, wake_receiver) = crossbeam_channel::bounded(1);
        let inbox = ScanInbox { latest: Mailbox::new(), wake };
        let is_running = Arc::new(AtomicBool::new(true));
        let thread = {
            let latest = inbox.latest.clone();
            let is_running = Arc::clone(&is_running);
            thread::Builder::new()
                .name("rolo-scan".into())
                .spawn(move || run(&latest, &wake_receiver, &is_running, &events))
                .ok()
        };
        ScanWorker { inbox, is_running, thread }
    }

    /// Hands a frame to the worker; see `ScanInbox::submit`.
    pub fn submit(&self, frame: Frame) {
        self.inbox.submit(frame);
    }

    /// A handle for other threads (e.g. a capture loop) to submit frames.
    pub fn inbox(&self) -> ScanInbox {
        self.inbox.clone()
    }

    /// Stops the worker and waits for the frame it is decoding.
    pub fn stop(mut self) {
        self.is_running.store(false, Ordering::Relaxed);
        let _ = self.inbox.wake.try_send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ScanWorker {
    fn drop(&mut self) {
        self.is_running.store(false, Ordering::Relaxed);
        let _ = self.inbox.wake.try_send(());
    }
}

fn run<E: From<ScanEvent>>(
    latest: &Mailbox<Frame>,
    wake_receiver: &Receiver<()>,
    is_running: &AtomicBool,
    events: &Sender<E>,
) {
    let mut decoder = Decoder::new();
    while wake_receiver.recv().is_ok() && is_running.load(Ordering::Relaxed) {
        while let Some(frame) = latest.take() {
            let scan = scan_frame(&mut decoder, frame);
            if events.send(E::from(ScanEvent::Scanned(scan))).is_err() || !is_running.load(Ordering::Relaxed) {
                return;
            }
        }
    }
}
