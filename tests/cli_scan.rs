//! `rolo scan qr` end to end: the real binary on images made in the test, a database in a
//! temporary directory, the JSON shape, the exit status, saving and terminal safety.

#[path = "support/codes.rs"]
mod codes;

use std::path::PathBuf;
use std::process::{Command, Output};

use codes::{ADA_VCARD, frame_with_qr, frame_without_code};
use serde_json::Value;
use tempfile::TempDir;

/// The exit status when an image holds no code.
const EXIT_NO_CODE: i32 = 3;

/// The keys `properties` may hold (the foundation's vocabulary).
const VOCABULARY: [&str; 22] = [
    "first_name",
    "last_name",
    "email",
    "additional_emails",
    "phone",
    "mobile_phone",
    "fax",
    "additional_phones",
    "job_title",
    "company",
    "website",
    "street_address",
    "city",
    "state",
    "postal_code",
    "country",
    "lifecycle_stage",
    "owner",
    "original_source",
    "original_source_drill_down_1",
    "original_source_drill_down_2",
    "notes",
];

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
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env("HOME", self.directory.path().join("home"))
            .arg("--db")
            .arg(self.directory.path().join("contacts.db"))
            .args(arguments)
            .output()
            .unwrap()
    }

    fn json(&self, arguments: &[&str]) -> (Value, Output) {
        let output = self.run(arguments);
        let json = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|error| panic!("no JSON ({error}): {}", String::from_utf8_lossy(&output.stdout)));
        (json, output)
    }

    /// Writes an image into the temporary directory and returns its path.
    fn image(&self, name: &str, image: &image::RgbImage) -> String {
        let path = self.directory.path().join(name);
        image.save(&path).unwrap();
        path.display().to_string()
    }

    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let path: PathBuf = self.directory.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.display().to_string()
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn json_has_one_object_per_image_and_an_image_without_code_sets_the_exit_status() {
    let rolo = Rolo::new();
    let badge = rolo.image("badge.png", &frame_with_qr(ADA_VCARD, 1280, 720, 5));
    let desk = rolo.image("desk.png", &frame_without_code());
    let not_image = rolo.file("notes.jpg", b"BEGIN:VCARD\r\nEND:VCARD\r\n");
    let mut jpeg = Vec::new();
    frame_without_code().write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
    let truncated = rolo.file("cut.jpg", &jpeg[..jpeg.len() / 3]);

    let (json, output) = rolo.json(&["scan", "qr", &badge, &desk, &not_image, &truncated, "--json"]);
    assert_eq!(output.status.code(), Some(EXIT_NO_CODE), "{}", stderr(&output));
    assert!(stderr(&output).contains("no code found in 3 of 4 image(s)"), "{}", stderr(&output));
    let objects = json.as_array().unwrap();
    let files: Vec<&str> = objects.iter().map(|object| object["file"].as_str().unwrap()).collect();
    assert_eq!(files, [badge.as_str(), desk.as_str(), not_image.as_str(), truncated.as_str()]);

    let code = &objects[0]["codes"][0];
    assert_eq!(objects[0]["codes"].as_array().unwrap().len(), 1);
    assert_eq!(code["format"], "QR_CODE");
    assert_eq!(code["text"], ADA_VCARD);
    assert_eq!(code["kind"], "ADDRESSBOOK");
    let properties = code["properties"].as_object().unwrap();
    for key in properties.keys() {
        assert!(VOCABULARY.contains(&key.as_str()), "{key} is not a property key");
    }
    assert_eq!(properties["first_name"], "Ada");
    assert_eq!(properties["mobile_phone"], "+44 20 7946 0018");
    assert_eq!(properties["city"], "London");
    assert!(code.get("saved").is_none(), "nothing is saved without --save");
    assert!(objects[0].get("error").is_none());

    assert_eq!(objects[1]["codes"], Value::Array(Vec::new()));
    assert!(objects[1].get("error").is_none());
    for object in &objects[2..] {
        assert_eq!(object["codes"], Value::Array(Vec::new()));
        assert!(object["error"].as_str().unwrap().contains("is not an image rolo can read"), "{object}");
    }
    assert!(objects[3]["error"].as_str().unwrap().contains("cut short"), "{}", objects[3]);

    let only_badge = rolo.run(&["scan", "qr", &badge, "--json"]);
    assert!(only_badge.status.success(), "{}", stderr(&only_badge));
}

#[test]
fn save_creates_the_contact_in_the_database_with_the_scan_settings() {
    let rolo = Rolo::new();
    let badge = rolo.image("badge.png", &frame_with_qr(ADA_VCARD, 1280, 720, 5));
    let (json, output) = rolo.json(&["scan", "qr", &badge, "--save", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let saved = &json[0]["codes"][0]["saved"];
    assert_eq!(saved["outcome"], "created");
    let contact_id = saved["contact_id"].as_i64().unwrap();

    let (contacts, _) = rolo.json(&["list", "--json"]);
    let contact = &contacts.as_array().unwrap()[0];
    assert_eq!(contact["id"], contact_id);
    assert_eq!(contact["email"], "ada@analytical.example");
    assert_eq!(contact["company"], "Analytical Engines Ltd");
    assert_eq!(contact["lifecycle_stage"], "subscriber");
    assert_eq!(contact["original_source_drill_down_2"], "qr-code-scanner");
    let history = String::from_utf8(rolo.run(&["show", &contact_id.to_string(), "--history"]).stdout).unwrap();
    assert!(history.contains("qr-code-scanner"), "{history}");

    // Scanning the same badge again finds the contact by its email.
    let (again, _) = rolo.json(&["scan", "qr", &badge, "--save", "--json"]);
    assert_eq!(again[0]["codes"][0]["saved"]["contact_id"], contact_id);
    assert_eq!(again[0]["codes"][0]["saved"]["outcome"], "unchanged");

    // The lifecycle stage of new scans is a setting.
    assert!(rolo.run(&["config", "set", "scan_lifecycle_default", "lead"]).status.success());
    let grace =
        rolo.image("grace.png", &frame_with_qr("MECARD:N:Hopper,Grace;EMAIL:grace@navy.example;;", 1280, 720, 6));
    let human = rolo.run(&["scan", "qr", &grace, "--save"]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("    First name: Grace\n") && text.contains("  saved as new contact 2\n"), "{text}");
    let (contacts, _) = rolo.json(&["list", "--json"]);
    let grace = contacts.as_array().unwrap().iter().find(|contact| contact["first_name"] == "Grace").unwrap();
    assert_eq!(grace["lifecycle_stage"], "lead");
}

#[test]
fn human_output_shows_one_block_per_image_without_control_characters() {
    let rolo = Rolo::new();
    let hostile = rolo
        .image("hostile.png", &frame_with_qr("Booth 12\u{1b}[2J\u{1b}]0;owned\u{7}\r\nhall B\u{9b}31m", 1280, 720, 6));
    let desk = rolo.image("desk.png", &frame_without_code());
    let output = rolo.run(&["scan", "qr", &hostile, &desk]);
    assert_eq!(output.status.code(), Some(EXIT_NO_CODE));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text,
        format!("{hostile}\n  QR code: text\n    Booth 12[2J]0;owned\n    hall B31m\n{desk}\n  no code found\n")
    );
}

#[test]
fn no_camera_is_a_clear_message_not_a_crash() {
    let rolo = Rolo::new();
    // On a machine with a camera there is nothing to check here.
    if rolo.run(&["scan", "cameras"]).status.success() {
        return;
    }
    for arguments in [&["scan", "cameras"][..], &["scan", "qr", "--camera", "0", "--timeout", "5"]] {
        let output = rolo.run(arguments);
        assert_eq!(output.status.code(), Some(1), "{arguments:?}");
        let message = stderr(&output);
        assert!(message.contains("scan an image file or a folder of photos instead"), "{message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}
