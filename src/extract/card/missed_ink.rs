//! Print that OCR's page layout left out. Tesseract's layout analysis sometimes takes a
//! block of small or slanted lines for a picture and reads nothing of it, though the same
//! block read as plain lines of text comes out whole. The ink no word covers shows where
//! such blocks are; each is read again as one block of lines.

use image::GrayImage;
use imageproc::distance_transform::Norm;
use imageproc::morphology::dilate;
use imageproc::region_labelling::{Connectivity, connected_components};

use crate::extract::ocr::{self, BoundingBox, OcrEngine, OcrLine, OcrPage};

/// The ink mask is worked on in cells of this many pixels a side.
const CELL: u32 = 4;

/// Pixels darker than this are ink (the cleaned card is dark print on white).
const INK: u8 = 110;

/// Words of a block reading less sure than this are left out.
const SURE_ENOUGH: f32 = 0.6;

/// Words OCR was this unsure of are debris ("eneteghioensneryal" for two lines of an email
/// and a web address): the ink under them counts as unread. They stay on the page; the
/// block's reading is added beside them.
const DEBRIS: f32 = 0.1;

/// Blocks of print no word of `page` covers (debris aside), in the pixels of `gray`: at
/// least a short line of text, away from the card's edges (where a photo's background may
/// show).
pub fn unread_blocks(gray: &GrayImage, page: &OcrPage) -> Vec<BoundingBox> {
    let (width, height) = gray.dimensions();
    let (columns, rows) = (width / CELL, height / CELL);
    if columns < 16 || rows < 16 {
        return Vec::new();
    }
    let covered = |column: u32, row: u32| {
        let (x, y) = (column * CELL, row * CELL);
        page.lines.iter().flat_map(|line| &line.words).filter(|word| word.confidence >= DEBRIS).any(|word| {
            let margin = word.bbox.height / 2;
            x + CELL + margin > word.bbox.x
                && x < word.bbox.right() + margin
                && y + CELL + margin > word.bbox.y
                && y < word.bbox.bottom() + margin
        })
    };
    let (margin_x, margin_y) = (columns / 25 + 1, rows / 25 + 1);
    let mut ink = GrayImage::new(columns, rows);
    for row in margin_y..rows - margin_y {
        for column in margin_x..columns - margin_x {
            let is_ink =
                (0..CELL).any(|dy| (0..CELL).any(|dx| gray.get_pixel(column * CELL + dx, row * CELL + dy)[0] < INK));
            if is_ink && !covered(column, row) {
                ink.put_pixel(column, row, image::Luma([255]));
            }
        }
    }
    // Letters of a word and words of a line run together; lines stay apart.
    let joined = dilate(&ink, Norm::LInf, 2);
    let labels = connected_components(&joined, Connectivity::Eight, image::Luma([0]));
    let mut boxes: Vec<(u32, u32, u32, u32, u32)> = Vec::new(); // left, top, right, bottom, ink cells
    for (column, row, label) in labels.enumerate_pixels() {
        let label = label[0] as usize;
        if label == 0 {
            continue;
        }
        if boxes.len() < label {
            boxes.resize(label, (u32::MAX, u32::MAX, 0, 0, 0));
        }
        let entry = &mut boxes[label - 1];
        entry.0 = entry.0.min(column);
        entry.1 = entry.1.min(row);
        entry.2 = entry.2.max(column);
        entry.3 = entry.3.max(row);
        entry.4 += u32::from(ink.get_pixel(column, row)[0] > 0);
    }
    boxes
        .into_iter()
        .filter(|&(left, top, right, bottom, n_ink)| {
            let (box_width, box_height) = (right + 1 - left, bottom + 1 - top);
            // A line of a few characters: wider than high, and enough ink to be text.
            n_ink >= 40 && box_height >= 4 && box_width >= 3 * box_height.min(12)
        })
        .map(|(left, top, right, bottom, _)| {
            let pad = 2;
            let (left, top) = (left.saturating_sub(pad), top.saturating_sub(pad));
            let (right, bottom) = ((right + pad + 1).min(columns), (bottom + pad + 1).min(rows));
            BoundingBox { x: left * CELL, y: top * CELL, width: (right - left) * CELL, height: (bottom - top) * CELL }
        })
        .collect()
}

/// Reads the blocks of print `page` left out and adds their sure lines to it, each before
/// the first line below it. Nothing changes when the engine cannot read blocks.
pub fn read_unread_blocks(engine: &mut dyn OcrEngine, gray: &GrayImage, page: &mut OcrPage) -> Result<(), ocr::Error> {
    for block in unread_blocks(gray, page) {
        let crop = image::imageops::crop_imm(gray, block.x, block.y, block.width, block.height).to_image();
        let Some(read) = engine.recognize_block(&crop)? else { return Ok(()) };
        for mut line in read.lines {
            line.words.retain(|word| word.confidence >= SURE_ENOUGH);
            if line.words.iter().map(|word| word.text.chars().filter(|c| c.is_alphanumeric()).count()).sum::<usize>()
                < 3
            {
                continue;
            }
            for word in &mut line.words {
                word.bbox.x += block.x;
                word.bbox.y += block.y;
            }
            let bbox = line.words.iter().skip(1).fold(line.words[0].bbox, |union, word| union.union(&word.bbox));
            // Before the first line below it; the page's own lines keep their reading order.
            let at = page.lines.iter().position(|other| other.bbox.y > bbox.y).unwrap_or(page.lines.len());
            page.lines.insert(at, OcrLine { words: line.words, bbox });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ocr::OcrWord;

    /// A white card with three dark "lines" of text-like ink.
    fn card_with_lines(lines: &[(u32, u32, u32)]) -> GrayImage {
        let mut gray = GrayImage::from_pixel(800, 480, image::Luma([255]));
        for &(x, y, length) in lines {
            for dy in 0..14 {
                for dx in 0..length {
                    // Letters: ink with gaps between them.
                    if dx % 10 < 7 {
                        gray.put_pixel(x + dx, y + dy, image::Luma([20]));
                    }
                }
            }
        }
        gray
    }

    fn word(x: u32, y: u32, width: u32) -> OcrWord {
        OcrWord { text: "word".into(), bbox: BoundingBox { x, y, width, height: 14 }, confidence: 0.9 }
    }

    #[test]
    fn ink_no_word_covers_is_a_block_and_read_ink_is_not() {
        let gray = card_with_lines(&[(100, 100, 300), (100, 300, 200), (100, 330, 200)]);
        let mut page = OcrPage { width: 800, height: 480, lines: Vec::new() };
        page.lines.push(OcrLine { words: vec![word(100, 100, 300)], bbox: BoundingBox::default() });
        let blocks = unread_blocks(&gray, &page);
        assert_eq!(blocks.len(), 1, "{blocks:?}");
        let block = blocks[0];
        assert!(block.x <= 100 && block.right() >= 300, "{block:?}");
        assert!(block.y <= 300 && block.bottom() >= 344 && block.y > 150, "{block:?}");
    }

    /// Reads every block as the same two lines: one sure, one unsure.
    struct BlockReader;

    impl OcrEngine for BlockReader {
        fn recognize(&mut self, _image: &GrayImage) -> Result<OcrPage, ocr::Error> {
            Ok(OcrPage::default())
        }

        fn recognize_block(&mut self, image: &GrayImage) -> Result<Option<OcrPage>, ocr::Error> {
            let line = |text: &str, y: u32, confidence: f32| {
                let bbox = BoundingBox { x: 4, y, width: 150, height: 14 };
                OcrLine { words: vec![OcrWord { text: text.into(), bbox, confidence }], bbox }
            };
            let lines = vec![line("Rosapad 5", 6, 0.92), line("~~", 30, 0.2)];
            Ok(Some(OcrPage { width: image.width(), height: image.height(), lines }))
        }
    }

    #[test]
    fn a_block_s_sure_lines_join_the_page_where_they_lie() {
        let gray = card_with_lines(&[(100, 100, 300), (100, 300, 200), (100, 400, 300)]);
        let read_line =
            |y: u32| OcrLine { words: vec![word(100, y, 300)], bbox: BoundingBox { y, ..word(100, y, 300).bbox } };
        let mut page = OcrPage { width: 800, height: 480, lines: vec![read_line(100), read_line(400)] };
        read_unread_blocks(&mut BlockReader, &gray, &mut page).unwrap();
        let texts: Vec<String> = page.lines.iter().map(|line| line.text()).collect();
        assert_eq!(texts, ["word", "Rosapad 5", "word"]);
        let added = &page.lines[1].bbox;
        assert!(added.x >= 80 && added.y >= 280 && added.y <= 310, "{added:?}");
    }

    #[test]
    fn ink_under_debris_counts_as_unread() {
        let gray = card_with_lines(&[(100, 100, 300), (100, 300, 200)]);
        let debris = OcrWord { confidence: 0.0, ..word(100, 300, 200) };
        let lines = vec![
            OcrLine { words: vec![word(100, 100, 300)], bbox: BoundingBox::default() },
            OcrLine { words: vec![debris], bbox: BoundingBox::default() },
        ];
        let blocks = unread_blocks(&gray, &OcrPage { width: 800, height: 480, lines });
        assert_eq!(blocks.len(), 1, "{blocks:?}");
        assert!(blocks[0].y <= 300 && blocks[0].y > 150, "{blocks:?}");
    }

    #[test]
    fn a_fully_read_card_or_specks_give_no_block() {
        let gray = card_with_lines(&[(100, 100, 300)]);
        let page = OcrPage {
            width: 800,
            height: 480,
            lines: vec![OcrLine { words: vec![word(100, 100, 300)], bbox: BoundingBox::default() }],
        };
        assert!(unread_blocks(&gray, &page).is_empty());
        let mut specks = GrayImage::from_pixel(800, 480, image::Luma([255]));
        for i in 0..20 {
            specks.put_pixel(100 + i * 30, 200, image::Luma([0]));
        }
        assert!(unread_blocks(&specks, &OcrPage::default()).is_empty());
    }
}
