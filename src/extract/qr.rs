//! QR codes and the badge formats event organisers print (PDF417, Data Matrix, Aztec,
//! Code 128): finding them in a frame with rxing (`decode`), reading contact payloads in
//! our own code (`payload`, never rxing's result parser, which panics on some CJK text),
//! and the scan worker that decodes only the newest frame (`worker`).

mod decode;
mod payload;
mod worker;

pub use crate::capture::Point;
pub use decode::{Code, CodeFormat, Decoder};
pub use payload::{AddressBook, AddressParts, EmailMessage, Payload, PayloadKind, TypedPhone, parse_payload};
pub use worker::{Scan, ScanEvent, ScanInbox, ScanWorker, ScannedCode, scan_frame};
