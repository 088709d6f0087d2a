//! Digit groups that OCR ran together. Cards often print phone numbers in narrow fonts with
//! thin spaces ("931 41 70"), and Tesseract then reads one word ("9314170"): the number's
//! digits survive but not the grouping it was printed with. Most fonts give every digit the
//! same advance, so the distance between the centres of neighbouring digits is nearly
//! constant within a line, and a printed space shows as one markedly wider step. The ink
//! in the word's box tells where those steps are.

use image::GrayImage;

use crate::extract::ocr::{BoundingBox, OcrLine, OcrPage, OcrWord};

/// A step between digit centres this much wider than the line's usual step is a space.
/// Digits of one group measured at most 1.17 times the usual step on the card corpus, digit
/// groups run together at least 1.30 times.
const SPACE_STEP: f32 = 1.25;

/// Below this a pixel is ink (the cleaned card has dark print on near-white paper).
const INK: u8 = 128;

/// The line's usual step is only trusted when measured this many times.
const MIN_STEPS: usize = 3;

/// Splits digit-only words at the printed spaces OCR missed, on lines where the word
/// follows another number (phone numbers, not a postal code or house number on its own).
/// `image` is the picture the page was read from.
pub fn split_run_together_digits(page: &mut OcrPage, image: &GrayImage) {
    for line in &mut page.lines {
        split_line(line, image);
    }
}

fn split_line(line: &mut OcrLine, image: &GrayImage) {
    let glyphs: Vec<Option<Vec<(u32, u32)>>> = line
        .words
        .iter()
        .map(|word| {
            let digits = word.text.chars().count();
            let all_digits = digits >= 2 && word.text.chars().all(|c| c.is_ascii_digit());
            all_digits.then(|| ink_columns(image, &word.bbox)).filter(|glyphs| glyphs.len() == digits)
        })
        .collect();
    let mut steps: Vec<f32> = glyphs.iter().flatten().flat_map(|glyphs| centre_steps(glyphs)).collect();
    if steps.len() < MIN_STEPS {
        return;
    }
    steps.sort_by(f32::total_cmp);
    let usual = steps[steps.len() / 2];
    let mut words = Vec::with_capacity(line.words.len());
    let mut after_number = false;
    for (word, glyphs) in line.words.drain(..).zip(glyphs) {
        let has_digit = word.text.chars().any(|c| c.is_ascii_digit());
        match glyphs {
            Some(glyphs) if after_number => words.extend(split_word(&word, &glyphs, usual)),
            _ => words.push(word),
        }
        after_number = has_digit;
    }
    line.words = words;
}

/// The runs of columns with ink in `bbox`, left to right, as (first, past-last) x.
fn ink_columns(image: &GrayImage, bbox: &BoundingBox) -> Vec<(u32, u32)> {
    let right = bbox.right().min(image.width());
    let bottom = bbox.bottom().min(image.height());
    let mut runs = Vec::new();
    let mut start = None;
    for x in bbox.x..right {
        let inked = (bbox.y..bottom).any(|y| image.get_pixel(x, y)[0] < INK);
        match (inked, start) {
            (true, None) => start = Some(x),
            (false, Some(first)) => {
                runs.push((first, x));
                start = None;
            }
            _ => (),
        }
    }
    if let Some(first) = start {
        runs.push((first, right));
    }
    runs
}

fn centre_steps(glyphs: &[(u32, u32)]) -> Vec<f32> {
    let centre = |&(first, past): &(u32, u32)| (first + past) as f32 / 2.0;
    glyphs.windows(2).map(|pair| centre(&pair[1]) - centre(&pair[0])).collect()
}

/// `word` cut where the step between its digits is a space; each part gets its digits' box.
fn split_word(word: &OcrWord, glyphs: &[(u32, u32)], usual: f32) -> Vec<OcrWord> {
    let digits: Vec<char> = word.text.chars().collect();
    let steps = centre_steps(glyphs);
    let mut parts = Vec::new();
    let mut first = 0;
    for index in 0..digits.len() {
        let ends_group = steps.get(index).is_none_or(|&step| step >= SPACE_STEP * usual);
        if !ends_group {
            continue;
        }
        let x = glyphs[first].0;
        let right = glyphs[index].1;
        parts.push(OcrWord {
            text: digits[first..=index].iter().collect(),
            bbox: BoundingBox { x, width: right - x, ..word.bbox },
            confidence: word.confidence,
        });
        first = index + 1;
    }
    if parts.len() == 1 { vec![word.clone()] } else { parts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    const STEP: u32 = 20;
    const HEIGHT: u32 = 30;

    /// A line of digit-like bars: each group's digits `STEP` apart, groups set a `space`
    /// further apart, with one OCR word per entry of `words` (groups per word).
    fn line(words: &[&[usize]], space: u32) -> (GrayImage, OcrLine) {
        let mut image = GrayImage::from_pixel(800, 60, Luma([255]));
        let mut x = 10;
        let mut line = OcrLine { words: Vec::new(), bbox: BoundingBox::default() };
        for groups in words {
            let left = x;
            let mut text = String::new();
            for (index, &digits) in groups.iter().enumerate() {
                if index > 0 {
                    x += space;
                }
                for digit in 0..digits {
                    for bar_x in x + 4..x + 14 {
                        for y in 15..15 + HEIGHT {
                            image.put_pixel(bar_x, y, Luma([20]));
                        }
                    }
                    text.push(char::from(b'0' + ((digit + index) % 10) as u8));
                    x += STEP;
                }
            }
            let bbox = BoundingBox { x: left + 4, y: 15, width: x - left - 10, height: HEIGHT };
            line.words.push(OcrWord { text, bbox, confidence: 0.9 });
            line.bbox = line.bbox.union(&bbox);
            x += space + 6;
        }
        (image, line)
    }

    fn texts(line: &OcrLine) -> Vec<&str> {
        line.words.iter().map(|word| word.text.as_str()).collect()
    }

    #[test]
    fn digit_groups_run_together_are_split_at_the_wider_steps() {
        let (image, line) = line(&[&[2], &[2], &[3, 2, 2]], 8);
        let top = line.words[2].bbox.y;
        let mut page = OcrPage { width: 800, height: 60, lines: vec![line] };
        split_run_together_digits(&mut page, &image);
        assert_eq!(texts(&page.lines[0]), ["01", "01", "012", "12", "23"]);
        let parts = &page.lines[0].words[2..];
        assert!(parts[0].bbox.right() < parts[1].bbox.x && parts[1].bbox.right() < parts[2].bbox.x);
        assert_eq!(parts[0].bbox.y, top);
    }

    #[test]
    fn evenly_set_digits_stay_one_word() {
        let (image, line) = line(&[&[2], &[7]], 8);
        let mut page = OcrPage { width: 800, height: 60, lines: vec![line] };
        split_run_together_digits(&mut page, &image);
        assert_eq!(texts(&page.lines[0]), ["01", "0123456"]);
    }

    #[test]
    fn a_number_first_on_its_line_is_left_alone() {
        // A postal code with a wide step is not a phone number's groups.
        let (image, line) = line(&[&[3, 2]], 8);
        let mut page = OcrPage { width: 800, height: 60, lines: vec![line] };
        split_run_together_digits(&mut page, &image);
        assert_eq!(texts(&page.lines[0]), ["01212"]);
    }

    #[test]
    fn words_whose_digits_touch_are_left_alone() {
        let (mut image, line) = line(&[&[3], &[3], &[2, 2]], 8);
        // Join the last word's digits into one blot: its digits cannot be told apart.
        let last = line.words[2].bbox;
        for x in last.x..last.right() {
            image.put_pixel(x, 20, Luma([0]));
        }
        let mut page = OcrPage { width: 800, height: 60, lines: vec![line] };
        split_run_together_digits(&mut page, &image);
        assert_eq!(texts(&page.lines[0]), ["012", "012", "0112"]);
    }
}
