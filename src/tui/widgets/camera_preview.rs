//! The scanner's live picture in any terminal: two pixels per cell with the upper half block
//! `▀` (foreground = top pixel, background = bottom pixel), which works over SSH and in every
//! terminal with colours. A small thumbnail is made on a worker (`PreviewImage::of_frame`);
//! drawing samples it into the cells, so a frame costs the UI thread only a few thousand
//! lookups. On top: a centering guide, and the outline of a code once one is found.

use image::{Rgb, RgbImage};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::Widget;

/// The largest thumbnail side: a 120x40 terminal shows at most 120x80 half-block pixels.
const THUMBNAIL_MAX: (u32, u32) = (320, 240);

/// How colours reach the terminal: 24-bit where the terminal says it has them
/// (`COLORTERM=truecolor`/`24bit`), else the 256-colour palette every terminal has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Palette256,
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
    depth: ColorDepth,
    /// A found code's corners, in frame pixels.
    outline: Option<&'a [(f32, f32)]>,
    /// The guide's colour: the scanner flashes it when a code is found.
    guide_color: Color,
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
        let (width, height) = frame.dimensions();
        let scale = (THUMBNAIL_MAX.0 as f32 / width.max(1) as f32).min(THUMBNAIL_MAX.1 as f32 / height.max(1) as f32);
        let thumbnail = if scale < 1.0 {
            let size = |side: u32| ((side as f32 * scale).round() as u32).max(1);
            image::imageops::thumbnail(frame, size(width), size(height))
        } else {
            frame.clone()
        };
        PreviewImage { thumbnail, frame_size: (width, height) }
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
        CameraPreview { image, depth, outline: None, guide_color: Color::Yellow }
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
        draw_guide(buffer, picture, self.guide_color);
        if let (Some(image), Some(corners)) = (self.image, self.outline) {
            let placement = image.placement(area);
            for &corner in corners {
                let (x, y) = image.cell_of(&placement, corner);
                if let Some(cell) = buffer.cell_mut((x, y)) {
                    cell.set_char('◆').set_style(Style::default().fg(Color::LightGreen).bg(Color::Black));
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
