//! Text out of a picture: Tesseract through leptess, behind `OcrEngine` so that tests can
//! feed canned text. The only module that calls Tesseract. Results keep each word with its
//! box and confidence, grouped into lines, because the card reader uses font size (box
//! height) and position as well as the text.

use std::ffi::CString;
use std::path::PathBuf;

use image::GrayImage;
use leptess::Variable;
use leptess::tesseract::TessApi;

/// A box in the pixels of the picture OCR ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BoundingBox {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// One recognised word.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrWord {
    pub text: String,
    pub bbox: BoundingBox,
    /// Tesseract's confidence, 0 to 1.
    pub confidence: f32,
}

/// A line of words, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrLine {
    pub words: Vec<OcrWord>,
    pub bbox: BoundingBox,
}

/// Everything recognised in one picture, lines top to bottom.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OcrPage {
    pub width: u32,
    pub height: u32,
    pub lines: Vec<OcrLine>,
}

/// Why OCR could not run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "Tesseract has no data for the language {language:?}; install tesseract-ocr-{language} \
         or choose another OCR language (rolo config set ocr_language eng)"
    )]
    NoLanguage { language: String },
    #[error("Tesseract failed to read the picture")]
    Recognize,
    #[error("Tesseract gave unreadable output: {0}")]
    Output(String),
}

/// Something that reads text from a grayscale picture.
pub trait OcrEngine {
    fn recognize(&mut self, image: &GrayImage) -> Result<OcrPage, Error>;

    /// A second reading with the card's own language before English, whose accents
    /// `OcrPage::take_accents_from` takes; `None` when the engine reads one language only.
    fn recognize_for_accents(&mut self, _image: &GrayImage) -> Result<Option<OcrPage>, Error> {
        Ok(None)
    }

    /// Reads `image` as one block of text lines, without the page layout analysis that
    /// `recognize` does; `None` when the engine has no such mode.
    fn recognize_block(&mut self, _image: &GrayImage) -> Result<Option<OcrPage>, Error> {
        Ok(None)
    }
}

/// Tesseract with one or more languages, e.g. `eng` or `eng+deu`.
pub struct TesseractEngine {
    api: TessApi,
    /// The same languages with English last, for `recognize_for_accents`.
    own_language_first: Option<TessApi>,
    language: String,
}

impl std::fmt::Debug for TesseractEngine {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("TesseractEngine").field("language", &self.language).finish()
    }
}

/// The resolution we tell Tesseract. Cards are straightened to about 430 DPI, but telling
/// Tesseract 300 read emails markedly better on the accuracy set (83% against 59%).
const SOURCE_DPI: i32 = 300;

impl TesseractEngine {
    /// Loads the language data. Slow (about 100 ms): keep one engine per worker.
    pub fn new(language: &str) -> Result<TesseractEngine, Error> {
        let language = normalize_language(language);
        if language.is_empty() || !languages_installed(&language) {
            return Err(Error::NoLanguage { language });
        }
        let api = TessApi::new(None, &language).map_err(|_| Error::NoLanguage { language: language.clone() })?;
        let own_language_first =
            own_language_first(&language).and_then(|reordered| TessApi::new(None, &reordered).ok());
        // Cards are sparse text in blocks; "auto" page segmentation keeps lines together
        // better than sparse-text mode on them, and words carry their own boxes either way.
        let mut engine = TesseractEngine { api, own_language_first, language };
        // Tesseract prints notes ("Empty page!!") to stderr, which would land on the TUI.
        engine.set_variable(Variable::DebugFile, "/dev/null");
        engine.set_variable(Variable::TesseditPagesegMode, "3");
        Ok(engine)
    }

    /// Sets a Tesseract variable; an unknown name or value is ignored, as Tesseract does.
    pub fn set_variable(&mut self, variable: Variable, value: &str) {
        if let Ok(value) = CString::new(value) {
            for api in std::iter::once(&mut self.api).chain(self.own_language_first.as_mut()) {
                let _ = api.raw.set_variable(variable.as_cstr(), &value);
            }
        }
    }

    pub fn language(&self) -> &str {
        &self.language
    }
}

impl OcrEngine for TesseractEngine {
    fn recognize(&mut self, image: &GrayImage) -> Result<OcrPage, Error> {
        Ok(self.recognize_with_tsv(image)?.0)
    }

    fn recognize_for_accents(&mut self, image: &GrayImage) -> Result<Option<OcrPage>, Error> {
        Ok(self.recognize_for_accents_with_tsv(image)?.map(|(page, _)| page))
    }

    fn recognize_block(&mut self, image: &GrayImage) -> Result<Option<OcrPage>, Error> {
        Ok(Some(self.recognize_block_with_tsv(image)?.0))
    }
}

impl TesseractEngine {
    /// Recognizes `image` and also returns Tesseract's TSV output as it came.
    pub fn recognize_with_tsv(&mut self, image: &GrayImage) -> Result<(OcrPage, String), Error> {
        recognize_with(&mut self.api, image)
    }

    /// `recognize_block`, also returning Tesseract's TSV output as it came.
    pub fn recognize_block_with_tsv(&mut self, image: &GrayImage) -> Result<(OcrPage, String), Error> {
        // Page segmentation mode 6: a single uniform block of text.
        self.set_variable(Variable::TesseditPagesegMode, "6");
        let read = recognize_with(&mut self.api, image);
        self.set_variable(Variable::TesseditPagesegMode, "3");
        read
    }

    /// `recognize_for_accents`, also returning Tesseract's TSV output as it came.
    pub fn recognize_for_accents_with_tsv(&mut self, image: &GrayImage) -> Result<Option<(OcrPage, String)>, Error> {
        self.own_language_first.as_mut().map(|api| recognize_with(api, image)).transpose()
    }
}

fn recognize_with(api: &mut TessApi, image: &GrayImage) -> Result<(OcrPage, String), Error> {
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 {
        return Ok((OcrPage { width, height, lines: Vec::new() }, String::new()));
    }
    api.raw.set_image(image.as_raw(), width as i32, height as i32, 1, width as i32).map_err(|_| Error::Recognize)?;
    api.set_source_resolution(SOURCE_DPI);
    if api.recognize() != 0 {
        return Err(Error::Recognize);
    }
    let tsv = api.get_tsv_text(0).map_err(|error| Error::Output(error.to_string()))?;
    let mut page = OcrPage::from_tsv(&tsv);
    page.width = width;
    page.height = height;
    Ok((page, tsv))
}

/// `eng+swe` → `swe+eng`: the languages with English moved last, when English comes first
/// and others follow; `None` otherwise. Tesseract keeps a word as the first language read
/// it when it is sure of it, so English first reads "Höglund" as "Hoglund".
pub fn own_language_first(language: &str) -> Option<String> {
    let parts: Vec<&str> = language.split('+').collect();
    if parts.len() < 2 || parts[0] != "eng" {
        return None;
    }
    Some(parts[1..].iter().chain(&parts[..1]).copied().collect::<Vec<_>>().join("+"))
}

/// Tesseract parallelizes with OpenMP, and on two cores that made a card 2.5 times slower
/// (BENCHMARKS.md). OpenMP reads `OMP_THREAD_LIMIT` while the library loads, before `main`
/// runs, so the one way to set it is to start the program again with it set. Leptonica also
/// prints notes to stderr ("Error in pixScanForForeground"), which would land in the middle
/// of the TUI: with `stderr_to`, the restarted program's stderr goes to that file instead.
/// Call this first thing in `main`. It returns when nothing needs doing (the variables are
/// set, by the user too) or when the restart fails, and otherwise does not return.
pub fn restart_for_tesseract(stderr_to: Option<&std::path::Path>) {
    use std::os::unix::process::CommandExt;
    const RESTARTED: &str = "ROLO_RESTARTED";
    let needs_threads = std::env::var_os("OMP_THREAD_LIMIT").is_none();
    let needs_stderr = stderr_to.is_some() && std::env::var_os(RESTARTED).is_none();
    if !needs_threads && !needs_stderr {
        return;
    }
    let Ok(executable) = std::env::current_exe() else { return };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(executable);
    if let Some(arg0) = args.next() {
        command.arg0(arg0);
    }
    command.args(args).env(RESTARTED, "1");
    if needs_threads {
        command.env("OMP_THREAD_LIMIT", "1");
    }
    if let Some(path) = stderr_to {
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        match std::fs::OpenOptions::new().create(true).append(true).open(path) {
            Ok(file) => {
                command.stderr(file);
            }
            Err(_) if !needs_threads => return,
            Err(_) => (),
        }
    }
    let _failed = command.exec();
}

/// `eng + deu` → `eng+deu`; a lone separator or spaces are dropped.
fn normalize_language(language: &str) -> String {
    language.split(['+', ',', ' ']).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("+")
}

/// True when every language of `eng+deu` has a traineddata file Tesseract can find.
fn languages_installed(language: &str) -> bool {
    let dirs = tessdata_dirs();
    language.split('+').all(|part| {
        part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && dirs.iter().any(|dir| dir.join(format!("{part}.traineddata")).is_file())
    })
}

/// Where Tesseract looks for language data: `TESSDATA_PREFIX`, then the Debian paths.
pub fn tessdata_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(prefix) = std::env::var_os("TESSDATA_PREFIX") {
        let prefix = PathBuf::from(prefix);
        dirs.push(prefix.join("tessdata"));
        dirs.push(prefix);
    }
    for base in ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata"]
    {
        dirs.push(PathBuf::from(base));
    }
    dirs
}

/// The languages Tesseract has data for (without `osd`), sorted.
pub fn installed_languages() -> Vec<String> {
    let mut languages: Vec<String> = tessdata_dirs()
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.strip_suffix(".traineddata").map(str::to_string))
        .filter(|name| name != "osd")
        .collect();
    languages.sort();
    languages.dedup();
    languages
}

impl BoundingBox {
    pub fn right(&self) -> u32 {
        self.x + self.width
    }

    pub fn bottom(&self) -> u32 {
        self.y + self.height
    }

    /// The smallest box holding both.
    pub fn union(&self, other: &BoundingBox) -> BoundingBox {
        if self.width == 0 && self.height == 0 {
            return *other;
        }
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        BoundingBox { x, y, width: self.right().max(other.right()) - x, height: self.bottom().max(other.bottom()) - y }
    }
}

impl OcrLine {
    /// The words joined by single spaces.
    pub fn text(&self) -> String {
        let words: Vec<&str> = self.words.iter().map(|word| word.text.as_str()).collect();
        words.join(" ")
    }

    /// The mean word confidence, 0 to 1.
    pub fn confidence(&self) -> f32 {
        if self.words.is_empty() {
            return 0.0;
        }
        self.words.iter().map(|word| word.confidence).sum::<f32>() / self.words.len() as f32
    }

    /// The median word height, a stand-in for the font size.
    pub fn font_height(&self) -> u32 {
        let mut heights: Vec<u32> = self.words.iter().map(|word| word.bbox.height).collect();
        heights.sort_unstable();
        heights.get(heights.len() / 2).copied().unwrap_or(self.bbox.height)
    }
}

impl OcrPage {
    /// Parses Tesseract's TSV output (the API's or `tesseract IMAGE - tsv`): level 5 rows are
    /// words, grouped into lines by their block, paragraph and line numbers.
    pub fn from_tsv(tsv: &str) -> OcrPage {
        let mut page = OcrPage::default();
        let mut current_key = None;
        for row in tsv.lines() {
            let columns: Vec<&str> = row.split('\t').collect();
            if columns.len() < 12 {
                continue;
            }
            let number = |index: usize| columns[index].trim().parse::<i64>().ok();
            let level = number(0);
            if level == Some(1) {
                page.width = number(8).unwrap_or(0).max(0) as u32;
                page.height = number(9).unwrap_or(0).max(0) as u32;
            }
            if level != Some(5) {
                continue;
            }
            let text = crate::model::sanitize_line(columns[11..].join("\t").trim());
            if text.is_empty() {
                continue;
            }
            let confidence = columns[10].trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 100.0) / 100.0;
            let as_u32 = |index: usize| number(index).unwrap_or(0).max(0) as u32;
            let bbox = BoundingBox { x: as_u32(6), y: as_u32(7), width: as_u32(8), height: as_u32(9) };
            let key = (number(2), number(3), number(4));
            let word = OcrWord { text, bbox, confidence };
            match page.lines.last_mut() {
                Some(line) if current_key == Some(key) => {
                    line.bbox = line.bbox.union(&bbox);
                    line.words.push(word);
                }
                _ => page.lines.push(OcrLine { words: vec![word], bbox }),
            }
            current_key = Some(key);
        }
        page
    }

    /// A page from plain text, one line per text line, with made-up equal-height boxes:
    /// for canned text in tests and for OCR output that has no geometry.
    pub fn from_text(text: &str) -> OcrPage {
        const LINE_HEIGHT: u32 = 40;
        const CHAR_WIDTH: u32 = 20;
        let mut page = OcrPage::default();
        for (row, line) in
            text.lines().map(crate::model::sanitize_line).filter(|line| !line.trim().is_empty()).enumerate()
        {
            let y = row as u32 * LINE_HEIGHT * 3 / 2;
            let mut x = 0;
            let mut words = Vec::new();
            for word in line.split_whitespace() {
                let width = word.chars().count() as u32 * CHAR_WIDTH;
                words.push(OcrWord {
                    text: word.to_string(),
                    bbox: BoundingBox { x, y, width, height: LINE_HEIGHT },
                    confidence: 0.9,
                });
                x += width + CHAR_WIDTH;
            }
            let bbox = words.iter().fold(BoundingBox::default(), |bbox, word| bbox.union(&word.bbox));
            page.width = page.width.max(bbox.right());
            page.height = bbox.bottom();
            page.lines.push(OcrLine { words, bbox });
        }
        page
    }

    /// The lines' texts.
    pub fn texts(&self) -> Vec<String> {
        self.lines.iter().map(OcrLine::text).collect()
    }

    /// The mean word confidence over the page, 0 to 1; 0 for an empty page.
    pub fn confidence(&self) -> f32 {
        let words: Vec<f32> =
            self.lines.iter().flat_map(|line| line.words.iter().map(|word| word.confidence)).collect();
        if words.is_empty() { 0.0 } else { words.iter().sum::<f32>() / words.len() as f32 }
    }

    /// Takes the accents of `other`, a reading of the same picture with the card's own
    /// language first: where a word of `other` lies on a word of this page and spells it
    /// but for accents ("Höglund" on "Hoglund"), its spelling is taken. Tesseract keeps the
    /// first language's reading of a word it is sure of, and English has no accents; the
    /// other way round, English words such as email addresses read worse. Letters, digits
    /// and punctuation stay as this page read them.
    pub fn take_accents_from(&mut self, other: &OcrPage) {
        let others: Vec<&OcrWord> = other.lines.iter().flat_map(|line| &line.words).collect();
        for word in self.lines.iter_mut().flat_map(|line| &mut line.words) {
            let bare = without_accents(&word.text);
            let accented = others.iter().find(|candidate| {
                candidate.text != word.text
                    && without_accents(&candidate.text) == bare
                    && overlap(&candidate.bbox, &word.bbox) > 0.5
            });
            if let Some(accented) = accented {
                word.text = accented.text.clone();
            }
        }
    }

    /// The number of words, a rough measure of how much text was found.
    pub fn word_count(&self) -> usize {
        self.lines.iter().map(|line| line.words.len()).sum()
    }
}

/// `text` with accents and other combining marks taken off its letters: "Höglund" → "Hoglund".
fn without_accents(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    text.nfd().filter(|character| !is_combining_mark(*character)).collect()
}

/// How much two boxes cover each other: their intersection over the smaller one's area.
fn overlap(a: &BoundingBox, b: &BoundingBox) -> f32 {
    let width = a.right().min(b.right()).saturating_sub(a.x.max(b.x));
    let height = a.bottom().min(b.bottom()).saturating_sub(a.y.max(b.y));
    let smaller = (a.width * a.height).min(b.width * b.height).max(1);
    (width * height) as f32 / smaller as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    const TSV: &str = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t1000\t600\t-1\t
2\t1\t1\t0\t0\t0\t40\t30\t500\t120\t-1\t
4\t1\t1\t1\t1\t0\t40\t30\t400\t60\t-1\t
5\t1\t1\t1\t1\t1\t40\t30\t180\t60\t96.5\tJane
5\t1\t1\t1\t1\t2\t240\t32\t200\t58\t91\tDoe\x1b]0;x\x07
4\t1\t1\t1\t2\t0\t40\t100\t300\t30\t-1\t
5\t1\t1\t1\t2\t1\t40\t100\t300\t30\t88\tjane@example.com
5\t1\t1\t1\t2\t2\t350\t100\t10\t30\t95\t 
";

    #[test]
    fn tsv_words_are_grouped_into_lines_with_boxes_and_confidence() {
        let page = OcrPage::from_tsv(TSV);
        assert_eq!((page.width, page.height), (1000, 600));
        assert_eq!(page.texts(), ["Jane Doe]0;x", "jane@example.com"]);
        let name = &page.lines[0];
        assert_eq!(name.bbox, BoundingBox { x: 40, y: 30, width: 400, height: 60 });
        assert_eq!(name.font_height(), 60);
        assert!((name.confidence() - 0.9375).abs() < 1e-4, "{}", name.confidence());
        assert_eq!(page.word_count(), 3);
    }

    #[test]
    fn plain_text_gets_one_line_per_text_line() {
        let page = OcrPage::from_text("Jane Doe\n\n  CEO  \n");
        assert_eq!(page.texts(), ["Jane Doe", "CEO"]);
        assert!(page.lines[1].bbox.y > page.lines[0].bbox.bottom());
    }

    #[test]
    fn english_moves_last_for_the_accent_reading() {
        assert_eq!(own_language_first("eng+swe").as_deref(), Some("swe+eng"));
        assert_eq!(own_language_first("eng+deu+fra").as_deref(), Some("deu+fra+eng"));
        assert_eq!(own_language_first("eng"), None);
        assert_eq!(own_language_first("deu+eng"), None);
    }

    #[test]
    fn accents_are_taken_from_the_other_reading_where_the_words_lie() {
        let mut page = OcrPage::from_text("Jonna Hoglund\nOrebro Hoglund");
        let mut other = OcrPage::from_text("Jonna Höglund\nÖrebro Hoglund,");
        // A word read elsewhere on the card does not lend its accents.
        other.lines[1].words[1].text = "Höglund".to_string();
        other.lines[1].words[1].bbox.x += 400;
        page.take_accents_from(&other);
        assert_eq!(page.texts(), ["Jonna Höglund", "Örebro Hoglund"]);
        let mut digits = OcrPage::from_text("+46 20 931");
        digits.take_accents_from(&OcrPage::from_text("+46 20 981"));
        assert_eq!(digits.texts(), ["+46 20 931"], "only accents are taken");
    }

    #[test]
    fn language_lists_are_normalized_and_checked() {
        assert_eq!(normalize_language(" eng + deu "), "eng+deu");
        assert!(!languages_installed("../etc/passwd"));
        assert!(matches!(TesseractEngine::new("xx_nonexistent"), Err(Error::NoLanguage { .. })));
    }
}
