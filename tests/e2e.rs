//! End to end: the real binary in a real terminal (tmux on a private socket), driven by
//! keys, checked on screen and then in the database.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rolo::model::Property;
use rolo::store::{ListQuery, Store};

#[path = "support/cards.rs"]
mod cards;
#[path = "support/codes.rs"]
mod codes;

/// How long to wait for text to appear on screen before failing.
const PATIENCE: Duration = Duration::from_secs(20);

/// A tmux server of our own, killed when the test ends.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    fn start(directory: &Path, width: u16, height: u16, command: &str) -> Tmux {
        let tmux = Tmux { socket: directory.join("tmux.sock") };
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&tmux.socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-x", &width.to_string(), "-y", &height.to_string(), "-c"])
            .arg(directory)
            .arg(command)
            .status()
            .expect("tmux is installed (make test installs it)");
        assert!(status.success());
        tmux
    }

    fn run(&self, arguments: &[&str]) -> String {
        let output = Command::new("tmux").arg("-S").arg(&self.socket).args(arguments).output().expect("tmux runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "0"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut arguments = vec!["send-keys", "-t", "0"];
        arguments.extend_from_slice(keys);
        self.run(&arguments);
    }

    fn literal(&self, text: &str) {
        self.run(&["send-keys", "-t", "0", "-l", text]);
    }

    /// Polls the pane until `text` shows, or fails with the last screen.
    fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(started.elapsed() < PATIENCE, "waited for {text:?}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn is_running(&self) -> bool {
        self.run(&["list-panes", "-F", "#{pane_dead}"]).trim() == "0"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-S").arg(&self.socket).arg("kill-server").status();
    }
}

fn write_address_book(path: &Path) {
    std::fs::write(
        path,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nEMAIL;TYPE=WORK:ada@analytical.example\r\n\
         TEL;TYPE=CELL:+44 20 7946 0958\r\nORG:Analytical Engines\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:2.1\r\nN:Hopper;Grace\r\nEMAIL;INTERNET:grace@navy.example\r\nTITLE:Rear Admiral\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Katherine Johnson\r\nTEL;TYPE=work:+1 757 555 0123\r\nEND:VCARD\r\n",
    )
    .unwrap();
}

/// First run: decline the demo, import an address book with select-all, see the result,
/// quit; the database holds exactly the three contacts with their sources.
#[test]
fn select_all_import_through_the_real_terminal() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("data/rolo.db");
    write_address_book(&directory.path().join("booth.vcf"));
    let command = format!("ROLO_DB='{}' '{}'", database.display(), env!("CARGO_BIN_EXE_rolo"));
    let tmux = Tmux::start(directory.path(), 80, 24, &command);

    tmux.wait_for("Your contact database is empty");
    tmux.keys(&["n"]);
    tmux.wait_for("Contacts (0)");
    tmux.keys(&["i"]);
    tmux.wait_for("Import contacts: vCard, CSV");
    tmux.literal("boo");
    tmux.keys(&["Tab"]);
    tmux.wait_for("booth.vcf");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Ada Lovelace");
    // The picker starts with everything chosen: select none, then all again.
    tmux.keys(&["a"]);
    tmux.wait_for("Import 0 of 3");
    tmux.keys(&["a"]);
    let picker = tmux.wait_for("Import 3 of 3");
    assert!(picker.contains("no email"), "Katherine has no email:\n{picker}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Import 3 contacts?");
    tmux.keys(&["y"]);
    let result = tmux.wait_for("3 contacts imported");
    assert!(result.contains('3'), "{result}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Contacts (3)");
    tmux.keys(&["q"]);
    let started = Instant::now();
    while tmux.is_running() && started.elapsed() < PATIENCE {
        std::thread::sleep(Duration::from_millis(50));
    }

    let store = Store::open(&database).unwrap();
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 3);
    let ada = store.contact_by_email("ada@analytical.example").unwrap().expect("Ada imported");
    let ada = store.contact(ada).unwrap().unwrap();
    assert_eq!(ada.draft.get(Property::MobilePhone), Some("+44 20 7946 0958"));
    assert_eq!(ada.draft.get(Property::OriginalSourceDrillDown2), Some("vcard-import"));
    assert_eq!(ada.draft.get(Property::LifecycleStage), Some("lead"));
    let sources = store.current_sources(ada.id).unwrap();
    assert_eq!(sources["first_name"].0, rolo::model::Source::VcardImport);
}

/// A name full of escape sequences is shown stripped, and the terminal is left as it was.
#[test]
fn escape_sequences_in_imported_names_do_not_reach_the_terminal() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let evil = directory.path().join("evil.vcf");
    std::fs::write(
        &evil,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve \u{1b}]2;pwned\u{7}\u{1b}[2JEvil\r\nEMAIL:eve@evil.example\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let import = Command::new(env!("CARGO_BIN_EXE_rolo"))
        .arg("--db")
        .arg(&database)
        .args(["import", "vcard", "--all"])
        .arg(&evil)
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    let command = format!("'{}' --db '{}'", env!("CARGO_BIN_EXE_rolo"), database.display());
    let tmux = Tmux::start(directory.path(), 80, 24, &command);
    let screen = tmux.wait_for("Contacts (1)");
    assert!(screen.contains("Eve ]2;pwned[2JEv"), "{screen}");
    let title = tmux.run(&["display-message", "-p", "#{pane_title}"]);
    assert!(!title.contains("pwned"), "the window title was changed: {title}");
    tmux.keys(&["q"]);
}

/// The scanner on the real binary, fed by a replay of pictures as a camera would deliver
/// them: the frame with a badge's QR code opens the review, Ctrl-S saves, and a QR code
/// trying to retitle the terminal does not.
#[test]
fn scanning_a_replayed_badge_saves_the_contact() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let frames = directory.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    let badge = "MECARD:N:Hopper,Grace;ORG:US Navy \u{1b}]2;pwned\u{7};TEL:+1 202 555 0100;EMAIL:grace@navy.example;;";
    for (index, frame) in
        [codes::frame_without_code(), codes::frame_without_code(), codes::frame_with_qr(badge, 1280, 720, 6)]
            .iter()
            .enumerate()
    {
        frame.save(frames.join(format!("{index:02}.png"))).unwrap();
    }
    let command = format!(
        "'{}' --db '{}' --scan-from '{}' --replay-fps 10",
        env!("CARGO_BIN_EXE_rolo"),
        database.display(),
        frames.display()
    );
    let tmux = Tmux::start(directory.path(), 120, 40, &command);
    tmux.wait_for("Your contact database is empty");
    tmux.keys(&["n"]);
    tmux.wait_for("Contacts (0)");
    tmux.keys(&["c"]);
    let review = tmux.wait_for("Review the scan");
    assert!(review.contains("QR code with a contact card"), "{review}");
    assert!(review.contains("grace@navy.example"), "{review}");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Contact saved: Grace Hopper");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Contacts (1)");
    let title = tmux.run(&["display-message", "-p", "#{pane_title}"]);
    assert!(!title.contains("pwned"), "the window title was changed: {title}");
    tmux.keys(&["q"]);

    let store = Store::open(&database).unwrap();
    let grace = store.contact_by_email("grace@navy.example").unwrap().expect("saved");
    let grace = store.contact(grace).unwrap().unwrap();
    assert_eq!(grace.draft.get(Property::LastName), Some("Hopper"));
    assert_eq!(grace.draft.get(Property::OriginalSourceDrillDown2), Some("qr-code-scanner"));
    assert!(grace.draft.get(Property::Company).is_some_and(|company| !company.contains('\u{1b}')));
}

/// A business card photo through the whole scanner: it is captured by itself, the reader finds
/// its corners and reads it in the background, a line is picked as the job title, the form
/// saves the contact with the card's picture, and `v` on the contact shows the card again.
#[test]
fn scanning_a_card_photo_saves_the_contact_with_its_picture() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let photo = directory.path().join("card.jpg");
    cards::photo_of(&cards::flat_card(&cards::sample_lines())).save(&photo).unwrap();
    let command = format!(
        "LANG=C.UTF-8 '{}' --db '{}' --scan-from '{}'",
        env!("CARGO_BIN_EXE_rolo"),
        database.display(),
        photo.display()
    );
    let tmux = Tmux::start(directory.path(), 120, 40, &command);
    tmux.wait_for("Your contact database is empty");
    tmux.keys(&["n"]);
    tmux.wait_for("Contacts (0)");
    // A photo with a card in it is captured by itself (auto-capture is on by default).
    tmux.keys(&["c"]);
    let pick = tmux.wait_for("Text on the card");
    assert!(pick.contains("ada@analytical-engines.co.uk"), "{pick}");
    // The second line is the job title.
    tmux.keys(&["Home", "Down", "t", "Enter"]);
    let review = tmux.wait_for("Scanned: business card");
    assert!(review.contains("Chief Engineer"), "{review}");
    tmux.keys(&["C-s"]);
    tmux.wait_for("Contact saved");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Contacts (1)");
    tmux.keys(&["Enter"]);
    tmux.wait_for("ada@analytical-engines.co.uk");
    tmux.keys(&["v"]);
    tmux.wait_for("Business card of");
    tmux.keys(&["Escape", "Escape", "q"]);

    let store = Store::open(&database).unwrap();
    let ada = store.contact_by_email("ada@analytical-engines.co.uk").unwrap().expect("saved");
    let contact = store.contact(ada).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::JobTitle), Some("Chief Engineer"));
    assert_eq!(contact.draft.get(Property::OriginalSourceDrillDown2), Some("business-card-scanner"));
    assert_eq!(store.card_images(ada).unwrap().len(), 1);
}

/// A spreadsheet export through the CSV preview: a column is mapped by hand, the dry run
/// is counted again, the import runs in the background; the opted-out address is marked.
#[test]
fn csv_import_with_a_mapped_column_through_the_real_terminal() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    std::fs::write(
        directory.path().join("fair.csv"),
        "E-Mail-Adresse;Vorname;Nachname;Ausweis;Newsletter abbestellt\r\n\
         ada@analytical.example;Ada;Lovelace;B-1;nein\r\n\
         grace@navy.example;Grace;Hopper;B-2;ja\r\n",
    )
    .unwrap();
    let command = format!("ROLO_DB='{}' '{}'", database.display(), env!("CARGO_BIN_EXE_rolo"));
    let tmux = Tmux::start(directory.path(), 80, 24, &command);
    tmux.wait_for("Your contact database is empty");
    tmux.keys(&["n"]);
    tmux.wait_for("Contacts (0)");
    tmux.keys(&["i"]);
    tmux.wait_for("Import contacts: vCard, CSV");
    tmux.literal("fair.csv");
    tmux.keys(&["Enter"]);
    let preview = tmux.wait_for("Dry run: 2 new");
    assert!(preview.contains("semicolon"), "{preview}");
    assert!(preview.contains("1 opted out"), "{preview}");
    // Ausweis (the fourth column) becomes the external id.
    tmux.keys(&["Down", "Down", "Down"]);
    for _ in 0..40 {
        let screen = tmux.screen();
        if screen.lines().any(|line| line.contains("Ausweis") && line.contains("→ external_id")) {
            break;
        }
        tmux.keys(&["Right"]);
        std::thread::sleep(Duration::from_millis(30));
    }
    tmux.wait_for("Counts out of date");
    tmux.keys(&["r"]);
    tmux.wait_for("Dry run: 2 new");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Import 2 contacts?");
    tmux.keys(&["y"]);
    tmux.wait_for("2 contacts imported");
    tmux.keys(&["Enter"]);
    tmux.wait_for("⊘ grace@navy.example");
    tmux.keys(&["q"]);
    let started = Instant::now();
    while tmux.is_running() && started.elapsed() < PATIENCE {
        std::thread::sleep(Duration::from_millis(50));
    }

    let store = Store::open(&database).unwrap();
    let ada = store.contact_by_email("ada@analytical.example").unwrap().expect("Ada imported");
    assert_eq!(store.external_id(ada).unwrap().as_deref(), Some("B-1"));
    assert_eq!(store.lists_of(ada).unwrap(), ["fair"]);
    assert_eq!(store.do_not_email_list(true).unwrap().len(), 1);
}
