//! The scanner's live picture in any terminal: two pixels per cell with the upper half block
//! `▀` (foreground = top pixel, background = bottom pixel), which works over SSH and in every
//! terminal with colours. A small thumbnail is made on a worker (`PreviewImage::of_frame`);
//! drawing samples it into the cells, so a frame costs the UI thread only a few thousand
//! lookups. On top: a centering guide, and the outline of a code once one is found.
//!
//! Terminals that show real pictures (sixel, kitty, iTerm2) get the frame in full resolution
//! instead (`PreviewMode::Graphics`): the worker encodes it, guide drawn into the pixels.

use std::sync::{Arc, Mutex, PoisonError};

use image::{DynamicImage, Rgb, RgbImage};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::{Image, Resize};

use crate::capture::shrink_to_fit;

/// The largest thumbnail side: a 120x40 terminal shows at most 120x80 half-block pixels.
const THUMBNAIL_MAX: (u32, u32) = (320, 240);

/// How colours reach the terminal: 24-bit where the terminal says it has them
/// (`COLORTERM=truecolor`/`24bit`), else the 256-colour palette every terminal has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Palette256,
}

/// How the scanner shows frames in this terminal.
#[derive(Clone)]
pub enum PreviewMode {
    HalfBlocks(ColorDepth),
    /// A terminal graphics protocol, with the terminal's font size in pixels.
    Graphics(Picker),
}

/// The cells the scanner's picture may fill, shared by the screen (which knows its size)
/// and the worker that encodes pictures for a graphics protocol.
#[derive(Debug, Clone, Default)]
pub struct PictureCells(Arc<Mutex<(u16, u16)>>);

/// A frame encoded for the terminal's graphics protocol, and the cells it covers.
#[derive(Clone)]
pub struct GraphicsFrame(Protocol);

impl std::fmt::Debug for GraphicsFrame {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let size = self.0.size();
        write!(formatter, "GraphicsFrame({}x{} cells)", size.width, size.height)
    }
}

impl PreviewMode {
    /// Half blocks, unless the terminal (by its environment, or `ROLO_GRAPHICS`) may show
    /// pictures: then it is asked, which must happen before anything else reads the terminal.
    /// `ROLO_GRAPHICS`: `halfblocks`, `auto` (always ask), `sixel`, `kitty` or `iterm2`.
    pub fn detect() -> PreviewMode {
        let half_blocks = PreviewMode::HalfBlocks(ColorDepth::detect());
        let wanted = std::env::var("ROLO_GRAPHICS").unwrap_or_default().to_ascii_lowercase();
        let forced = match wanted.as_str() {
            "halfblocks" | "off" | "none" => return half_blocks,
            "sixel" => Some(ProtocolType::Sixel),
            "kitty" => Some(ProtocolType::Kitty),
            "iterm2" => Some(ProtocolType::Iterm2),
            "auto" => None,
            _ if terminal_may_show_pictures() => None,
            _ => return half_blocks,
        };
        let options = ratatui_image::picker::cap_parser::QueryStdioOptions {
            timeout: std::time::Duration::from_millis(400),
            ..Default::default()
        };
        let Ok(mut picker) = Picker::from_query_stdio_with_options(options) else { return half_blocks };
        if let Some(protocol) = forced {
            picker.set_protocol_type(protocol);
        }
        match picker.protocol_type() {
            ProtocolType::Halfblocks => half_blocks,
            _ => PreviewMode::Graphics(picker),
        }
    }

    /// The frame encoded for the graphics protocol to fill at most `cells`, with the
    /// centering guide drawn in; `None` in half-block mode. Runs on a worker.
    pub fn encode(&self, frame: &RgbImage, cells: &PictureCells) -> Option<GraphicsFrame> {
        let PreviewMode::Graphics(picker) = self else { return None };
        let (columns, rows) = cells.get();
        if columns == 0 || rows == 0 {
            return None;
        }
        let font = picker.font_size();
        let (width, height) = (u32::from(columns) * u32::from(font.width), u32::from(rows) * u32::from(font.height));
        let mut picture = shrink_to_fit(frame, width, height);
        draw_guide_pixels(&mut picture);
        let area = ratatui::layout::Size::new(columns, rows);
        picker.new_protocol(DynamicImage::ImageRgb8(picture), area, Resize::Fit(None)).ok().map(GraphicsFrame)
    }

    pub fn depth(&self) -> ColorDepth {
        match self {
            PreviewMode::HalfBlocks(depth) => *depth,
            PreviewMode::Graphics(_) => ColorDepth::TrueColor,
        }
    }
}

impl std::fmt::Debug for PreviewMode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PreviewMode::HalfBlocks(depth) => write!(formatter, "HalfBlocks({depth:?})"),
            PreviewMode::Graphics(picker) => write!(formatter, "Graphics({:?})", picker.protocol_type()),
        }
    }
}

impl PictureCells {
    pub fn set(&self, columns: u16, rows: u16) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = (columns, rows);
    }

    pub fn get(&self) -> (u16, u16) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl GraphicsFrame {
    /// Draws the picture centred in `area`.
    pub fn render(&self, area: Rect, buffer: &mut Buffer) {
        let size = self.0.size();
        let x = area.x + area.width.saturating_sub(size.width) / 2;
        let y = area.y + area.height.saturating_sub(size.height) / 2;
        let target = Rect::new(x, y, size.width.min(area.width), size.height.min(area.height));
        Image::new(&self.0).render(target, buffer);
    }
}

/// Terminals known to show pictures, by what they put in the environment.
fn terminal_may_show_pictures() -> bool {
    let variable = |name: &str| std::env::var(name).unwrap_or_default();
    let term = variable("TERM");
    let program = variable("TERM_PROGRAM");
    ["kitty", "foot", "mlterm", "ghostty", "wezterm", "contour"].iter().any(|name| term.contains(name))
        || ["iTerm.app", "WezTerm", "ghostty", "rio", "vscode"].contains(&program.as_str())
        || ["KITTY_WINDOW_ID", "WEZTERM_EXECUTABLE", "ITERM_SESSION_ID", "KONSOLE_VERSION"]
            .iter()
            .any(|name| !variable(name).is_empty())
}

/// The centering guide's corner brackets, drawn into a picture in yellow.
fn draw_guide_pixels(picture: &mut RgbImage) {
    let (width, height) = picture.dimensions();
    let (guide_width, guide_height) = (width * 3 / 5, height * 3 / 5);
    let (left, top) = ((width - guide_width) / 2, (height - guide_height) / 2);
    let (right, bottom) = (left + guide_width, top + guide_height);
    let arm = (guide_width / 6).max(2);
    let thickness = (width / 200).max(2);
    let yellow = Rgb([250, 210, 40]);
    let mut fill = |x0: u32, y0: u32, x1: u32, y1: u32| {
        for y in y0..y1.min(height) {
            for x in x0..x1.min(width) {
                picture.put_pixel(x, y, yellow);
            }
        }
    };
    for (x, y) in [(left, top), (right - arm, top), (left, bottom - thickness), (right - arm, bottom - thickness)] {
        fill(x, y, x + arm, y + thickness);
    }
    for (x, y) in [(left, top), (right - thickness, top), (left, bottom - arm), (right - thickness, bottom - arm)] {
        fill(x, y, x + thickness, y + arm);
    }
}

/// A frame, shrunk for the terminal, with the size of the frame it came from so that points
/// in frame pixels (a code's corners) can be placed on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewImage {
    thumbnail: RgbImage,
    frame_size: (u32, u32),
}

/// Where the picture lands in an area: its cells and the thumbnail pixels per half-block pixel.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placement {
    area: Rect,
    /// Thumbnail pixels per half-block pixel.
    scale: f32,
}

/// Draws a preview (or a blank area with the guide while none has arrived).
pub struct CameraPreview<'a> {
    image: Option<&'a PreviewImage>,
    /// The same frame for a graphics protocol: drawn instead of the half blocks.
    graphics: Option<&'a GraphicsFrame>,
    depth: ColorDepth,
    /// A found code's corners, in frame pixels.
    outline: Option<&'a [(f32, f32)]>,
    /// The guide's colour: the scanner flashes it when a code is found.
    guide_color: Color,
    show_guide: bool,
    /// Draw the outline's edges too (a card's quadrilateral), not just its corners.
    quad_edges: bool,
    /// The corner being moved, drawn apart.
    selected_corner: Option<usize>,
}

impl ColorDepth {
    /// What the environment says about the terminal.
    pub fn detect() -> ColorDepth {
        let colorterm = std::env::var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm.contains("truecolor") || colorterm.contains("24bit") {
            ColorDepth::TrueColor
        } else {
            ColorDepth::Palette256
        }
    }

    fn color(self, pixel: Rgb<u8>) -> Color {
        let [red, green, blue] = pixel.0;
        match self {
            ColorDepth::TrueColor => Color::Rgb(red, green, blue),
            ColorDepth::Palette256 => Color::Indexed(palette_index(red, green, blue)),
        }
    }
}

impl PreviewImage {
    /// A thumbnail of `frame` small enough for any terminal; made on a worker thread.
    pub fn of_frame(frame: &RgbImage) -> PreviewImage {
        let thumbnail = shrink_to_fit(frame, THUMBNAIL_MAX.0, THUMBNAIL_MAX.1);
        PreviewImage { thumbnail, frame_size: frame.dimensions() }
    }

    /// The picture's cells in `area`: as large as fits, centred, aspect kept (a half-block
    /// pixel is about square).
    fn placement(&self, area: Rect) -> Placement {
        let (width, height) = self.thumbnail.dimensions();
        let fit =
            (f32::from(area.width) / width.max(1) as f32).min(f32::from(area.height) * 2.0 / height.max(1) as f32);
        let columns = ((width as f32 * fit).floor() as u16).clamp(1, area.width.max(1));
        let rows = ((height as f32 * fit / 2.0).floor() as u16).clamp(1, area.height.max(1));
        let x = area.x + (area.width.saturating_sub(columns)) / 2;
        let y = area.y + (area.height.saturating_sub(rows)) / 2;
        Placement { area: Rect::new(x, y, columns, rows), scale: 1.0 / fit }
    }

    /// The thumbnail pixel under half-block pixel (`column`, `half_row`) of a placement.
    fn sample(&self, placement: &Placement, column: u16, half_row: u16) -> Rgb<u8> {
        let (width, height) = self.thumbnail.dimensions();
        let x = ((f32::from(column) + 0.5) * placement.scale) as u32;
        let y = ((f32::from(half_row) + 0.5) * placement.scale) as u32;
        *self.thumbnail.get_pixel(x.min(width - 1), y.min(height - 1))
    }

    /// The cell showing frame pixel (`x`, `y`).
    fn cell_of(&self, placement: &Placement, (x, y): (f32, f32)) -> (u16, u16) {
        let thumbnail_per_frame = self.thumbnail.width() as f32 / self.frame_size.0.max(1) as f32;
        let column = (x * thumbnail_per_frame / placement.scale).clamp(0.0, f32::from(placement.area.width - 1));
        let row = (y * thumbnail_per_frame / placement.scale / 2.0).clamp(0.0, f32::from(placement.area.height - 1));
        (placement.area.x + column as u16, placement.area.y + row as u16)
    }
}

impl<'a> CameraPreview<'a> {
    pub fn new(image: Option<&'a PreviewImage>, depth: ColorDepth) -> Self {
        CameraPreview {
            image,
            graphics: None,
            depth,
            outline: None,
            guide_color: Color::Yellow,
            show_guide: true,
            quad_edges: false,
            selected_corner: None,
        }
    }

    /// No centering guide (the card's corners are drawn instead).
    pub fn without_guide(mut self) -> Self {
        self.show_guide = false;
        self
    }

    pub fn quad_edges(mut self, is_drawn: bool) -> Self {
        self.quad_edges = is_drawn;
        self
    }

    pub fn selected_corner(mut self, corner: Option<usize>) -> Self {
        self.selected_corner = corner;
        self
    }

    pub fn graphics(mut self, graphics: Option<&'a GraphicsFrame>) -> Self {
        self.graphics = graphics;
        self
    }

    pub fn outline(mut self, corners: Option<&'a [(f32, f32)]>) -> Self {
        self.outline = corners;
        self
    }

    pub fn guide_color(mut self, color: Color) -> Self {
        self.guide_color = color;
        self
    }
}

impl Widget for CameraPreview<'_> {
    fn render(self, area: Rect, buffer: &mut Buffer) {
        if area.is_empty() {
            return;
        }
        if let Some(graphics) = self.graphics {
            // The guide is in the picture's pixels; cells drawn over a picture would cut it.
            graphics.render(area, buffer);
            return;
        }
        let picture = match self.image {
            Some(image) => {
                let placement = image.placement(area);
                for row in 0..placement.area.height {
                    for column in 0..placement.area.width {
                        let top = image.sample(&placement, column, row * 2);
                        let bottom = image.sample(&placement, column, row * 2 + 1);
                        if let Some(cell) = buffer.cell_mut((placement.area.x + column, placement.area.y + row)) {
                            cell.set_char('▀').set_fg(self.depth.color(top)).set_bg(self.depth.color(bottom));
                        }
                    }
                }
                placement.area
            }
            None => area,
        };
        if self.show_guide {
            draw_guide(buffer, picture, self.guide_color);
        }
        if let (Some(image), Some(corners)) = (self.image, self.outline) {
            let placement = image.placement(area);
            if self.quad_edges {
                for (index, &from) in corners.iter().enumerate() {
                    let to = corners[(index + 1) % corners.len()];
                    const STEPS: usize = 64;
                    for step in 1..STEPS {
                        let share = step as f32 / STEPS as f32;
                        let point = (from.0 + (to.0 - from.0) * share, from.1 + (to.1 - from.1) * share);
                        if let Some(cell) = buffer.cell_mut(image.cell_of(&placement, point)) {
                            cell.set_char('•').set_fg(Color::LightGreen);
                        }
                    }
                }
            }
            for (index, &corner) in corners.iter().enumerate() {
                let (x, y) = image.cell_of(&placement, corner);
                let (symbol, style) = if self.selected_corner == Some(index) {
                    ('◉', Style::default().fg(Color::LightMagenta).bg(Color::Black).add_modifier(Modifier::BOLD))
                } else {
                    ('◆', Style::default().fg(Color::LightGreen).bg(Color::Black))
                };
                if let Some(cell) = buffer.cell_mut((x, y)) {
                    cell.set_char(symbol).set_style(style);
                }
            }
        }
    }
}

/// Corner brackets around the middle three fifths of the picture: hold the code there.
fn draw_guide(buffer: &mut Buffer, picture: Rect, color: Color) {
    if picture.width < 8 || picture.height < 4 {
        return;
    }
    let width = picture.width * 3 / 5;
    let height = picture.height * 3 / 5;
    let left = picture.x + (picture.width - width) / 2;
    let top = picture.y + (picture.height - height) / 2;
    let right = left + width - 1;
    let bottom = top + height - 1;
    let arm = (width / 6).max(1);
    let style = Style::default().fg(color);
    let mut put = |x: u16, y: u16, symbol: char| {
        if let Some(cell) = buffer.cell_mut((x, y)) {
            cell.set_char(symbol).set_style(style);
        }
    };
    for (corner_x, corner_y, corner, step_x) in
        [(left, top, '┏', 1i32), (right, top, '┓', -1), (left, bottom, '┗', 1), (right, bottom, '┛', -1)]
    {
        put(corner_x, corner_y, corner);
        for offset in 1..=arm {
            let x = i32::from(corner_x) + step_x * i32::from(offset);
            put(x as u16, corner_y, '━');
        }
    }
    for offset in 1..=(height / 5).max(1) {
        put(left, top + offset, '┃');
        put(right, top + offset, '┃');
        put(left, bottom - offset, '┃');
        put(right, bottom - offset, '┃');
    }
}

/// The nearest colour of the xterm 256-colour palette: the 6x6x6 cube or the grey ramp.
fn palette_index(red: u8, green: u8, blue: u8) -> u8 {
    let to_cube = |value: u8| -> u8 {
        match value {
            0..=47 => 0,
            48..=114 => 1,
            _ => ((u16::from(value) - 35) / 40) as u8,
        }
    };
    let cube_value = |level: u8| -> i32 { if level == 0 { 0 } else { 55 + 40 * i32::from(level) } };
    let (cube_red, cube_green, cube_blue) = (to_cube(red), to_cube(green), to_cube(blue));
    let cube_color = (cube_value(cube_red), cube_value(cube_green), cube_value(cube_blue));
    let average = (u16::from(red) + u16::from(green) + u16::from(blue)) / 3;
    let grey_level = if average > 238 { 23 } else { (average.saturating_sub(3) / 10).min(23) as u8 };
    let grey_value = 8 + 10 * i32::from(grey_level);
    let distance = |(r, g, b): (i32, i32, i32)| {
        (r - i32::from(red)).pow(2) + (g - i32::from(green)).pow(2) + (b - i32::from(blue)).pow(2)
    };
    if distance((grey_value, grey_value, grey_value)) < distance(cube_color) {
        232 + grey_level
    } else {
        16 + 36 * cube_red + 6 * cube_green + cube_blue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_tone(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, _| if x < width / 2 { Rgb([0, 0, 0]) } else { Rgb([255, 255, 255]) })
    }

    #[test]
    fn thumbnails_are_small_and_keep_the_frame_size() {
        let preview = PreviewImage::of_frame(&two_tone(1280, 720));
        assert_eq!(preview.frame_size, (1280, 720));
        assert!(preview.thumbnail.width() <= 320 && preview.thumbnail.height() <= 240);
        assert_eq!(preview.thumbnail.width() * 9, preview.thumbnail.height() * 16);
    }

    #[test]
    fn draws_half_blocks_centred_with_the_aspect_kept() {
        let preview = PreviewImage::of_frame(&two_tone(1280, 720));
        let area = Rect::new(0, 0, 80, 20);
        let mut buffer = Buffer::empty(area);
        CameraPreview::new(Some(&preview), ColorDepth::TrueColor).render(area, &mut buffer);
        // 20 rows are 40 half-block pixels; 16:9 makes that 71 columns, centred.
        let placement = preview.placement(area);
        assert_eq!((placement.area.width, placement.area.height), (71, 20));
        assert_eq!(placement.area.x, 4);
        let left = &buffer[(placement.area.x, 10)];
        let right = &buffer[(placement.area.x + 70, 10)];
        assert_eq!(left.symbol(), "▀");
        assert_eq!((left.fg, left.bg), (Color::Rgb(0, 0, 0), Color::Rgb(0, 0, 0)));
        assert_eq!((right.fg, right.bg), (Color::Rgb(255, 255, 255), Color::Rgb(255, 255, 255)));
        // Outside the picture nothing is drawn.
        assert_eq!(buffer[(1, 10)].symbol(), " ");
        // The guide's corners.
        let guide: String = (0..80).map(|x| buffer[(x, 4)].symbol().to_string()).collect();
        assert!(guide.contains('┏') && guide.contains('┓'), "{guide}");
    }

    #[test]
    fn outline_corners_land_on_their_cells() {
        let preview = PreviewImage::of_frame(&two_tone(1000, 500));
        let area = Rect::new(0, 0, 100, 25);
        let mut buffer = Buffer::empty(area);
        let corners = [(0.0, 0.0), (999.0, 0.0), (999.0, 499.0), (0.0, 499.0), (500.0, 250.0)];
        CameraPreview::new(Some(&preview), ColorDepth::TrueColor).outline(Some(&corners)).render(area, &mut buffer);
        for (x, y) in [(0, 0), (99, 0), (99, 24), (0, 24), (50, 12)] {
            assert_eq!(buffer[(x, y)].symbol(), "◆", "at {x},{y}");
        }
    }

    #[test]
    fn graphics_terminals_get_the_frame_encoded_with_the_guide_drawn_in() {
        let mut picker = Picker::halfblocks();
        for protocol in [ProtocolType::Sixel, ProtocolType::Kitty, ProtocolType::Iterm2] {
            picker.set_protocol_type(protocol);
            let mode = PreviewMode::Graphics(picker.clone());
            let cells = PictureCells::default();
            assert!(mode.encode(&two_tone(1280, 720), &cells).is_none(), "no size known yet");
            cells.set(60, 20);
            let graphics = mode.encode(&two_tone(1280, 720), &cells).expect("encoded");
            let size = graphics.0.size();
            assert!(size.width <= 60 && size.height <= 20 && size.width > 0, "{protocol:?}: {size:?}");
            let area = Rect::new(0, 0, 80, 24);
            let mut buffer = Buffer::empty(area);
            CameraPreview::new(None, ColorDepth::TrueColor).graphics(Some(&graphics)).render(area, &mut buffer);
            let escapes: String = buffer.content().iter().map(|cell| cell.symbol()).collect();
            assert!(escapes.contains('\u{1b}'), "{protocol:?} writes its escape sequence");
        }
        assert!(
            PreviewMode::HalfBlocks(ColorDepth::TrueColor)
                .encode(&two_tone(64, 64), &PictureCells::default())
                .is_none()
        );
        let mut picture = RgbImage::from_pixel(500, 300, Rgb([0, 0, 0]));
        draw_guide_pixels(&mut picture);
        assert_eq!(*picture.get_pixel(101, 61), Rgb([250, 210, 40]), "top-left corner of the guide");
        assert_eq!(*picture.get_pixel(250, 150), Rgb([0, 0, 0]), "the middle is left alone");
    }

    #[test]
    fn palette_colours_are_the_nearest() {
        assert_eq!(palette_index(0, 0, 0), 16);
        assert_eq!(palette_index(255, 255, 255), 231);
        assert_eq!(palette_index(255, 0, 0), 196);
        assert_eq!(palette_index(128, 128, 128), 244);
        let preview = PreviewImage::of_frame(&two_tone(40, 20));
        let area = Rect::new(0, 0, 40, 10);
        let mut buffer = Buffer::empty(area);
        CameraPreview::new(Some(&preview), ColorDepth::Palette256).render(area, &mut buffer);
        assert_eq!(buffer[(39, 5)].fg, Color::Indexed(231));
    }
}
