//! The card pipeline on cards rendered here (a bundled font, no corpus): upright, upside
//! down and sideways cards read the same; blank pictures and huge photos get clear answers.

#[path = "support/cards.rs"]
mod cards;

use cards::{flat_card, photo_of, sample_lines};
use image::{Rgb, RgbImage, imageops};
use rolo::extract::card::{self, CardReader, Error};
use rolo::model::Property;

fn reader() -> CardReader {
    card::open_reader("eng", "GB").expect("Tesseract with English (make deps installs it)")
}

fn email_of(reader: &mut CardReader, image: &RgbImage) -> Option<String> {
    let scan = reader.read(image, None).unwrap_or_else(|error| panic!("{error}"));
    scan.reading.best(Property::Email).map(|candidate| candidate.value.clone())
}

const EMAIL: &str = "ada@analytical-engines.co.uk";

#[test]
fn a_card_reads_the_same_upright_upside_down_and_sideways() {
    let mut reader = reader();
    let card = flat_card(&sample_lines());
    let upright = reader.read(&card, None).unwrap();
    assert_eq!(upright.rotation, 0);
    assert!(upright.reading.lines.iter().any(|line| line == "Ada Lovelace"), "{:?}", upright.reading.lines);

    let upside_down = reader.read(&imageops::rotate180(&card), None).unwrap();
    assert_eq!(upside_down.rotation, 180, "{:?}", upside_down.reading.lines);
    assert_eq!(upside_down.reading.best(Property::Email).map(|c| c.value.as_str()), Some(EMAIL));

    for turned in [imageops::rotate90(&card), imageops::rotate270(&card)] {
        let scan = reader.read(&turned, None).unwrap();
        assert!(matches!(scan.rotation, 90 | 270), "{}", scan.rotation);
        assert_eq!(
            scan.reading.best(Property::Email).map(|c| c.value.as_str()),
            Some(EMAIL),
            "{:?}",
            scan.reading.lines
        );
        assert!(scan.card.width() > scan.card.height(), "the kept picture is upright");
    }
}

#[test]
fn a_photo_in_perspective_is_read_through_its_corners() {
    let mut reader = reader();
    let photo = photo_of(&flat_card(&sample_lines()));
    assert_eq!(email_of(&mut reader, &photo).as_deref(), Some(EMAIL));
}

#[test]
fn blank_pictures_and_blank_cards_get_clear_errors() {
    let mut reader = reader();
    let grey = RgbImage::from_pixel(1280, 720, Rgb([120, 120, 120]));
    let error = reader.read(&grey, None).unwrap_err();
    assert!(matches!(error, Error::NoCard | Error::BlankCard), "{error}");
    let blank_card = photo_of(&RgbImage::from_pixel(1050, 600, Rgb([250, 250, 250])));
    let error = reader.read(&blank_card, None).unwrap_err();
    assert!(matches!(error, Error::NoCard | Error::BlankCard), "{error}");
    assert!(error.to_string().contains("no"), "{error}");
}

#[test]
fn a_forty_megapixel_photo_is_read() {
    let mut reader = reader();
    let photo = photo_of(&flat_card(&sample_lines()));
    let huge = imageops::resize(&photo, 7296, 5472, imageops::FilterType::Triangle);
    assert_eq!(huge.width() * huge.height() / 1_000_000, 39);
    assert_eq!(email_of(&mut reader, &huge).as_deref(), Some(EMAIL));
}
