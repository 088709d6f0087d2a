//! Code pictures made in the test itself: QR codes from the independent `qrcode` encoder,
//! the other badge formats from rxing's writers, placed on a camera-sized canvas.

#![allow(dead_code)] // Each test binary uses a different part of this module.

use image::{GrayImage, Luma, RgbImage};
use rxing::{BarcodeFormat, Writer};

/// A QR code of `text` with `module_pixels` pixels a module and the standard quiet zone.
pub fn qr_image(text: &str, module_pixels: u32) -> GrayImage {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("the text fits in a QR code");
    code.render::<Luma<u8>>().module_dimensions(module_pixels, module_pixels).quiet_zone(true).build()
}

/// A PDF417, Data Matrix, Aztec or Code 128 symbol of `text`, about `width` x `height`.
pub fn barcode_image(format: BarcodeFormat, text: &str, width: u32, height: u32) -> GrayImage {
    let matrix = rxing::MultiFormatWriter
        .encode(text, &format, width as i32, height as i32)
        .unwrap_or_else(|error| panic!("cannot encode {format:?}: {error}"));
    let (matrix_width, matrix_height) = (matrix.width(), matrix.height());
    // A margin of white around the symbol, as printed badges have.
    let margin = 16;
    GrayImage::from_fn(matrix_width + 2 * margin, matrix_height + 2 * margin, |x, y| {
        let is_inside = x >= margin && y >= margin && x < matrix_width + margin && y < matrix_height + margin;
        let is_black = is_inside && matrix.get(x - margin, y - margin);
        Luma([if is_black { 0 } else { 255 }])
    })
}

/// `code` pasted at (`x`, `y`) on a light grey `width` x `height` frame.
pub fn on_canvas(code: &GrayImage, width: u32, height: u32, x: u32, y: u32) -> RgbImage {
    let mut canvas = RgbImage::from_pixel(width, height, image::Rgb([200, 200, 190]));
    for (code_x, code_y, pixel) in code.enumerate_pixels() {
        if x + code_x < width && y + code_y < height {
            let value = pixel.0[0];
            canvas.put_pixel(x + code_x, y + code_y, image::Rgb([value, value, value]));
        }
    }
    canvas
}

/// A frame of the given size with a QR code of `text` in its middle.
pub fn frame_with_qr(text: &str, width: u32, height: u32, module_pixels: u32) -> RgbImage {
    let code = qr_image(text, module_pixels);
    let x = width.saturating_sub(code.width()) / 2;
    let y = height.saturating_sub(code.height()) / 2;
    on_canvas(&code, width, height, x, y)
}

/// A 1280x720 frame with no code: a grey gradient with a few dark bars, like a desk.
pub fn frame_without_code() -> RgbImage {
    RgbImage::from_fn(1280, 720, |x, y| {
        let bar = if (x / 90) % 3 == 0 && (300..420).contains(&y) { 60 } else { 0 };
        let value = (120 + (x + y) / 20).min(255) as u8 - bar;
        image::Rgb([value, value, value.saturating_sub(10)])
    })
}

/// A vCard 3.0 as a phone's "share contact" writes it.
pub const ADA_VCARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nORG:Analytical Engines Ltd\r\nTITLE:Head of Research\r\nTEL;TYPE=CELL:+44 20 7946 0018\r\nTEL;TYPE=WORK,VOICE:+44 20 7946 0000\r\nEMAIL;TYPE=INTERNET:ada@analytical.example\r\nURL:https://analytical.example\r\nADR;TYPE=WORK:;;12 St James's Square;London;;SW1Y 4JH;United Kingdom\r\nEND:VCARD";
