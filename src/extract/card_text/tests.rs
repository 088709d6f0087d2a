//! Whole cards through `read_card_text`: canned OCR text in several languages and layouts.

use super::*;
use crate::extract::ocr::{BoundingBox, OcrLine, OcrWord};
