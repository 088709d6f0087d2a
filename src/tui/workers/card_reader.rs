//! The card reader: a thread that owns Tesseract (slow to load, so it is loaded once, when
//! the scanner opens) and reads captured cards one request at a time. Results come back as
//! `Event::CardRead`; the UI never waits for OCR.

use std::path::Path;
use std::sync::Arc;
use std::thread;

use crossbeam_channel::{Receiver, Sender};
use image::RgbImage;

use crate::capture::Quad;
use crate::extract::card;
use crate::extract::card::{CardReader, CardScan};
use crate::store::{SETTING_OCR_LANGUAGE, Store};
use crate::tui::event::Event;
use crate::tui::widgets::camera_preview::PreviewImage;

/// One capture to read.
pub struct CardRequest {
    pub request_id: u64,
    pub image: Arc<RgbImage>,
    /// The corners to use; `None` detects them.
    pub corners: Option<Quad>,
}

/// The handle of the reader thread; dropping it ends the thread after its current card.
pub struct CardReaderWorker {
    requests: Sender<CardRequest>,
}

impl CardReaderWorker {
    /// Starts the thread, which loads Tesseract at once so that the first card is quick.
    pub fn spawn(db_path: &Path, events: Sender<Event>) -> CardReaderWorker {
        let (requests, receiver) = crossbeam_channel::unbounded::<CardRequest>();
        let db_path = db_path.to_path_buf();
        let _ = thread::Builder::new().name("rolo-card-reader".into()).spawn(move || run(&db_path, &receiver, &events));
        CardReaderWorker { requests }
    }

    pub fn read(&self, request: CardRequest) {
        let _ = self.requests.send(request);
    }
}

fn run(db_path: &Path, requests: &Receiver<CardRequest>, events: &Sender<Event>) {
    let mut reader = open_reader(db_path);
    while let Ok(request) = requests.recv() {
        // Only the newest request matters: the user may have moved the corners again.
        let request = requests.try_iter().last().unwrap_or(request);
        let result = match &mut reader {
            Ok(reader) => read_card(reader, &request),
            Err(message) => Err(message.clone()),
        };
        if events.send(Event::CardRead { request_id: request.request_id, result }).is_err() {
            return;
        }
    }
}

/// The reader with the user's OCR language and region.
pub fn open_reader(db_path: &Path) -> Result<CardReader, String> {
    let store = Store::open(db_path).map_err(|error| format!("cannot open the contact store: {error}"))?;
    let settings = (|| -> crate::store::Result<(String, String, bool)> {
        Ok((store.ocr_language()?, store.default_region()?, store.setting(SETTING_OCR_LANGUAGE)?.is_some()))
    })();
    let (language, region, is_chosen) = settings.map_err(|error| error.to_string())?;
    let reader = if is_chosen {
        card::open_reader(&language, &region)
    } else {
        card::open_reader_or_english(&language, &region)
    };
    reader.map_err(|error| error.to_string())
}

/// A read card with the preview of its straightened picture, made here rather than on
/// the UI thread.
#[derive(Debug)]
pub struct ScannedCard {
    pub scan: CardScan,
    pub preview: PreviewImage,
}

/// Reads one capture; the error is a sentence for the status line.
pub fn read_card(reader: &mut CardReader, request: &CardRequest) -> Result<Box<ScannedCard>, String> {
    let scan = reader.read(&request.image, request.corners).map_err(|error| error.to_string())?;
    let preview = PreviewImage::of_frame(&scan.card);
    Ok(Box::new(ScannedCard { scan, preview }))
}
