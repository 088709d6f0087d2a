//! `rolo scan card` end to end: the real binary (and real Tesseract) on cards rendered in the
//! test, a database in a temporary directory, the JSON shape, saving with the card's picture,
//! and bad input.

#[path = "support/cards.rs"]
mod cards;

use std::path::PathBuf;
use std::process::{Command, Output};

use cards::{PHOTO_CORNERS, flat_card, photo_of, sample_lines};
use serde_json::Value;
use tempfile::TempDir;

/// The exit status when an image holds no readable card.
const EXIT_NO_CARD: i32 = 3;

struct Rolo {
    directory: TempDir,
}

impl Rolo {
    fn new() -> Rolo {
        Rolo { directory: tempfile::tempdir().unwrap() }
    }

    fn run(&self, arguments: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_rolo"))
            .env_remove("ROLO_DB")
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env("HOME", self.directory.path().join("home"))
            .arg("--db")
            .arg(self.directory.path().join("contacts.db"))
            .args(arguments)
            .output()
            .unwrap()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.directory.path().join(name)
    }

    fn json(&self, arguments: &[&str]) -> (Value, i32) {
        let output = self.run(arguments);
        let stdout = String::from_utf8(output.stdout).unwrap();
        let value = serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("{error}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
        (value, output.status.code().unwrap())
    }
}

fn corners_argument() -> String {
    PHOTO_CORNERS.iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(",")
}

#[test]
fn a_flat_card_is_read_into_properties_with_confidence() {
    let rolo = Rolo::new();
    let path = rolo.file("card.png");
    flat_card(&sample_lines()).save(&path).unwrap();
    let (value, status) = rolo.json(&["scan", "card", "--json", "--lang", "eng", path.to_str().unwrap()]);
    assert_eq!(status, 0, "{value:#}");
    let card = &value[0];
    assert_eq!(card["file"], path.to_str().unwrap());
    assert_eq!(card["corners"].as_array().unwrap().len(), 4);
    let lines: Vec<&str> = card["lines"].as_array().unwrap().iter().map(|line| line.as_str().unwrap()).collect();
    assert!(lines.contains(&"Ada Lovelace"), "{lines:?}");
    let properties = &card["properties"];
    for (key, value) in [
        ("first_name", "Ada"),
        ("last_name", "Lovelace"),
        ("job_title", "Chief Engineer"),
        ("company", "Analytical Engines Ltd"),
        ("email", "ada@analytical-engines.co.uk"),
        ("phone", "+44 20 7946 0018"),
        ("website", "www.analytical-engines.co.uk"),
    ] {
        assert_eq!(properties[key], value, "{key}: {card:#}");
    }
    let confidence = card["confidence"]["email"].as_f64().unwrap();
    assert!(confidence > 0.0 && confidence <= 1.0, "{confidence}");
}

#[test]
fn a_photo_with_given_corners_is_straightened_and_saved_with_its_picture() {
    let rolo = Rolo::new();
    let path = rolo.file("photo.jpg");
    photo_of(&flat_card(&sample_lines())).save(&path).unwrap();
    let corners = corners_argument();
    let (value, status) = rolo.json(&[
        "scan",
        "card",
        "--json",
        "--save",
        "--lang",
        "eng",
        "--corners",
        &corners,
        path.to_str().unwrap(),
    ]);
    assert_eq!(status, 0, "{value:#}");
    let card = &value[0];
    assert_eq!(card["corners"][0], serde_json::json!([250.0, 140.0]));
    assert_eq!(card["properties"]["email"], "ada@analytical-engines.co.uk", "{card:#}");
    assert_eq!(card["saved"]["outcome"], "created");

    let listed = rolo.run(&["list", "--json"]);
    let contacts: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let contact = &contacts[0];
    assert_eq!(contact["email"], "ada@analytical-engines.co.uk");
    assert_eq!(contact["original_source_drill_down_2"], "business-card-scanner");
    assert_eq!(contact["lifecycle_stage"], "subscriber");
    let id = contact["id"].as_i64().unwrap().to_string();
    let shown = String::from_utf8(rolo.run(&["show", &id, "--history"]).stdout).unwrap();
    assert!(shown.contains("business-card-scanner") || shown.contains("card scanner"), "{shown}");
}

#[test]
fn bad_input_gets_a_message_per_file_and_exit_status_3() {
    let rolo = Rolo::new();
    let text = rolo.file("notes.jpg");
    std::fs::write(&text, "not a picture").unwrap();
    let blank = rolo.file("blank.png");
    image::RgbImage::from_pixel(1280, 720, image::Rgb([128, 128, 128])).save(&blank).unwrap();
    let truncated = rolo.file("cut.jpg");
    let mut jpeg = Vec::new();
    photo_of(&flat_card(&sample_lines()))
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    std::fs::write(&truncated, &jpeg[..jpeg.len() / 2]).unwrap();
    let good = rolo.file("card.png");
    flat_card(&sample_lines()).save(&good).unwrap();
    let paths = [&text, &blank, &truncated, &good].map(|path| path.to_str().unwrap().to_string());
    let mut arguments = vec!["scan", "card", "--json", "--lang", "eng"];
    arguments.extend(paths.iter().map(String::as_str));
    let (value, status) = rolo.json(&arguments);
    assert_eq!(status, EXIT_NO_CARD);
    assert!(value[0]["error"].as_str().unwrap().contains("is not an image rolo can read"), "{value:#}");
    assert!(value[1]["error"].as_str().unwrap().contains("no business card"), "{value:#}");
    assert!(value[2]["error"].as_str().unwrap().contains("cut short"), "{value:#}");
    assert_eq!(value[3]["properties"]["email"], "ada@analytical-engines.co.uk");

    let missing_language = rolo.run(&["scan", "card", "--lang", "xx_none", paths[3].as_str()]);
    assert_eq!(missing_language.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing_language.stderr).contains("no data for the language"));
    let bad_corners = rolo.run(&["scan", "card", "--corners", "1,2,3", paths[3].as_str()]);
    assert_eq!(bad_corners.status.code(), Some(2));
}
