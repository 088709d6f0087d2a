//! The command line, end to end: the real `rolo` binary on a database in a temporary
//! directory, with the vCard fixtures in tests/fixtures/cli/.
//!
//! contacts.vcf: Ada (with email), Grace (with email), Nora (no email).
//! more.vcf: Ada again (same email, other case: a duplicate) and Mallory, whose name holds
//! escape sequences. broken.vcf is binary, empty.vcf is empty.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

/// The vocabulary keys `rolo list --json` may print, besides custom property names.
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

/// One temporary home with one database, and the binary run against it.
struct Rolo {
    directory: TempDir,
    database_path: PathBuf,
}

impl Rolo {
    fn new() -> Rolo {
        let directory = tempfile::tempdir().unwrap();
        let database_path = directory.path().join("contacts.db");
        Rolo { directory, database_path }
    }

    /// `rolo` with a private HOME and data directory, no ROLO_DB and no locale, so that
    /// nothing from the machine running the tests leaks in.
    fn bare_command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rolo"));
        command
            .env_remove("ROLO_DB")
            .env_remove("LC_ALL")
            .env_remove("LC_TELEPHONE")
            .env_remove("LANG")
            .env("HOME", self.directory.path().join("home"))
            .env("XDG_DATA_HOME", self.directory.path().join("data"));
        command
    }

    fn run(&self, arguments: &[&str]) -> Output {
        let mut command = self.bare_command();
        command.arg("--db").arg(&self.database_path).args(arguments);
        command.output().unwrap()
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, arguments: &[&str]) -> String {
        let output = self.run(arguments);
        assert!(output.status.success(), "rolo {arguments:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    fn json(&self, arguments: &[&str]) -> Value {
        let stdout = self.ok(arguments);
        serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("rolo {arguments:?} printed no JSON ({error}): {stdout}"))
    }

    fn contacts(&self) -> Vec<Value> {
        self.json(&["list", "--json"]).as_array().unwrap().clone()
    }

    fn path(&self, name: &str) -> String {
        self.directory.path().join(name).display().to_string()
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli").join(name).display().to_string()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn first_names(contacts: &[Value]) -> Vec<&str> {
    contacts.iter().map(|contact| contact["first_name"].as_str().unwrap_or("")).collect()
}

/// The contact objects without what differs between two databases holding the same people.
fn comparable(contacts: &[Value]) -> Vec<Value> {
    contacts
        .iter()
        .map(|contact| {
            let mut contact = contact.clone();
            let object = contact.as_object_mut().unwrap();
            object.retain(|key, _| key != "id" && !key.starts_with("original_source"));
            contact
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn default_database_is_private_under_xdg_data_home() {
    use std::os::unix::fs::PermissionsExt;
    let rolo = Rolo::new();
    let output = rolo.bare_command().arg("list").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let database_path = rolo.directory.path().join("data/rolo/rolo.db");
    let mode = std::fs::metadata(&database_path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn rolo_db_environment_variable_chooses_the_database_and_db_overrides_it() {
    let rolo = Rolo::new();
    let from_environment = rolo.directory.path().join("from-env.db");
    let output = rolo
        .bare_command()
        .env("ROLO_DB", &from_environment)
        .args(["add", "--set", "email=env@example.com"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(from_environment.exists());
    // --db wins over ROLO_DB.
    let output = rolo
        .bare_command()
        .env("ROLO_DB", &from_environment)
        .arg("--db")
        .arg(&rolo.database_path)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "ID  Name  Email  Phone  Company\n");
}

#[test]
fn import_without_a_choice_lists_numbered_cards_and_writes_nothing() {
    let rolo = Rolo::new();
    rolo.ok(&["add", "--set", "email=grace@navy.example", "--set", "first_name=Grace"]);
    let output = rolo.run(&["import", "vcard", &fixture("contacts.vcf"), &fixture("more.vcf")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--all") && stderr(&output).contains("--pick"), "{}", stderr(&output));
    let listing = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), 6, "{listing}");
    assert!(lines[1].starts_with("1  Ada Lovelace"), "{listing}");
    assert!(lines[2].starts_with("2  Grace Hopper") && lines[2].contains("exists: will update"), "{listing}");
    assert!(lines[3].starts_with("3  Nora Nomail") && lines[3].ends_with("no email"), "{listing}");
    assert!(lines[4].starts_with("4  Ada Lovelace") && lines[4].contains("same email as #1"), "{listing}");
    assert!(lines[5].starts_with("5  Mallory"), "{listing}");
    assert_eq!(rolo.contacts().len(), 1);
}

#[test]
fn import_all_writes_every_card_in_one_batch() {
    let rolo = Rolo::new();
    let report = rolo.json(&[
        "import",
        "vcard",
        &fixture("contacts.vcf"),
        &fixture("more.vcf"),
        "--all",
        "--list",
        "Booth",
        "--json",
    ]);
    assert_eq!(report["dry_run"], false);
    assert_eq!(
        report["counts"],
        serde_json::json!({"new": 4, "updated": 1, "unchanged": 0, "no_email": 1, "skipped": 0, "imported": 5})
    );
    let reported = report["contacts"].as_array().unwrap();
    assert_eq!(first_names(reported), vec!["Ada", "Grace", "Nora", "Ada", "Mallory"]);
    assert_eq!(reported[0]["id"], reported[3]["id"], "the duplicate email updates the same contact");
    assert_eq!(reported[1]["mobile_phone"], "+1 650 253 0000");
    let contacts = rolo.contacts();
    assert_eq!(contacts.len(), 4);
    assert!(contacts.iter().all(|contact| contact["lists"] == serde_json::json!(["Booth"])));
    let ada = contacts.iter().find(|contact| contact["first_name"] == "Ada").unwrap();
    assert_eq!(ada["website"], "https://ada.example");
    assert_eq!(ada["lifecycle_stage"], "lead");

    let text = rolo.ok(&["import", "vcard", &fixture("more.vcf"), "--all"]);
    assert_eq!(text, "2 contacts imported (0 new, 0 updated, 2 unchanged, 0 without email, 0 skipped).\n");
}

#[test]
fn import_pick_takes_only_the_chosen_cards() {
    let rolo = Rolo::new();
    let report =
        rolo.json(&["import", "vcard", &fixture("contacts.vcf"), &fixture("more.vcf"), "--pick", "1,3-3,5", "--json"]);
    assert_eq!(report["counts"]["skipped"], 2);
    assert_eq!(report["counts"]["new"], 3);
    assert_eq!(first_names(&rolo.contacts()), vec!["Mallory", "Ada", "Nora"]);

    let rolo = Rolo::new();
    let text = rolo.ok(&["import", "vcard", &fixture("contacts.vcf"), "--pick", "2"]);
    assert_eq!(text, "1 contact imported (1 new, 0 updated, 0 without email, 2 skipped).\n");
    let output = rolo.run(&["import", "vcard", &fixture("contacts.vcf"), "--pick", "4"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no card 4"), "{}", stderr(&output));
}

#[test]
fn dry_run_reports_what_an_import_would_do_and_writes_nothing() {
    let rolo = Rolo::new();
    rolo.ok(&["add", "--set", "email=ada@analytical.example", "--set", "job_title=Mathematician"]);
    let before = rolo.contacts();
    let arguments = ["import", "vcard", &fixture("contacts.vcf"), &fixture("more.vcf"), "--all", "--json"];
    let preview = rolo.json(&[&arguments[..], &["--dry-run", "--list", "Booth"]].concat());
    assert_eq!(preview["dry_run"], true);
    assert_eq!(
        preview["counts"],
        serde_json::json!({"new": 3, "updated": 2, "unchanged": 0, "no_email": 1, "skipped": 0, "imported": 5})
    );
    let contacts = preview["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 5);
    assert!(contacts.iter().all(|contact| contact.get("id").is_none()), "a dry run has no ids");
    assert_eq!(contacts[2]["company"], "Phone Only GmbH");
    let conflict = &preview["conflicts"][0];
    assert_eq!((conflict["property"].as_str(), conflict["kept"].as_str()), (Some("job_title"), Some("Mathematician")));
    assert_eq!(rolo.contacts(), before, "the dry run changed the database");
    assert_eq!(rolo.ok(&["lists"]), "There are no lists yet; `rolo lists create NAME` makes one.\n");

    let report = rolo.json(&arguments);
    assert_eq!(report["counts"], preview["counts"]);
    let text = rolo.ok(&["import", "vcard", &fixture("contacts.vcf"), "--all", "--dry-run"]);
    // Contacts without email are never matched, so Nora would be new again.
    assert!(text.starts_with("Dry run: 3 contacts would be imported (1 new, 0 updated, 2 unchanged"), "{text}");
    assert!(text.contains("kept your value for job_title of Ada Lovelace"), "{text}");
}

#[test]
fn a_file_that_is_not_a_vcard_stops_the_whole_import() {
    let rolo = Rolo::new();
    for bad in ["broken.vcf", "empty.vcf", "missing.vcf"] {
        let output =
            rolo.run(&["import", "vcard", &fixture("contacts.vcf"), &fixture(bad), &fixture("more.vcf"), "--all"]);
        assert_eq!(output.status.code(), Some(1), "{bad}");
        let message = stderr(&output);
        assert!(message.starts_with("rolo: nothing was imported: "), "{message}");
        assert!(message.contains(bad), "{message}");
        assert!(output.stdout.is_empty());
    }
    assert!(rolo.contacts().is_empty());
}

#[test]
fn list_json_prints_the_vocabulary_ids_and_lists() {
    let rolo = Rolo::new();
    rolo.ok(&["import", "vcard", &fixture("contacts.vcf"), "--all"]);
    rolo.ok(&["lists", "add", "VIP", "2"]);
    let contacts = rolo.contacts();
    let ids: BTreeSet<i64> = contacts.iter().map(|contact| contact["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, BTreeSet::from([1, 2, 3]));
    for contact in &contacts {
        for key in contact.as_object().unwrap().keys() {
            assert!(VOCABULARY.contains(&key.as_str()) || key == "id" || key == "lists", "unexpected key {key}");
        }
        assert!(contact["lists"].is_array());
    }
    let grace = contacts.iter().find(|contact| contact["id"] == 2).unwrap();
    assert_eq!(grace["lists"], serde_json::json!(["VIP"]));
    assert_eq!(grace["city"], "Arlington");
    assert!(
        contacts.iter().find(|contact| contact["id"] == 3).unwrap().get("email").is_none(),
        "absent keys are omitted"
    );

    let searched = rolo.json(&["list", "--json", "--search", "hop"]);
    assert_eq!(first_names(searched.as_array().unwrap()), vec!["Grace"]);
    let on_list = rolo.json(&["list", "--json", "--list", "vip", "--sort", "email", "--desc", "--limit", "1"]);
    assert_eq!(first_names(on_list.as_array().unwrap()), vec!["Grace"]);
    let table = rolo.ok(&["list", "--sort", "company"]);
    let names: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|line| ["Ada", "Grace", "Nora"].into_iter().find(|name| line.contains(name)))
        .collect();
    assert_eq!(names, vec!["Ada", "Nora", "Grace"], "{table}");
}

#[test]
fn show_gives_sources_and_the_history_of_every_change() {
    let rolo = Rolo::new();
    rolo.ok(&["import", "vcard", &fixture("contacts.vcf"), "--pick", "1"]);
    let edited = rolo.ok(&["edit", "1", "--set", "job_title=CTO", "--set", "phone="]);
    assert_eq!(edited, "Updated contact 1 (Ada Lovelace): job_title, phone.\n");
    let text = rolo.ok(&["show", "1", "--history"]);
    let job_title_line = text.lines().find(|line| line.starts_with("Job title")).unwrap();
    assert!(job_title_line.contains("you") && job_title_line.ends_with("CTO"), "{text}");
    let email_line = text.lines().find(|line| line.starts_with("Email")).unwrap();
    assert!(email_line.contains("address-book import"), "{text}");
    assert!(!text.lines().any(|line| line.starts_with("Phone number")), "{text}");
    let history: Vec<&str> = text.lines().skip_while(|line| !line.starts_with("History")).collect();
    let changes_of =
        |property: &str| history.iter().filter(|line| line.split_whitespace().nth(2) == Some(property)).count();
    assert_eq!(changes_of("job_title"), 2, "{text}");
    assert_eq!(changes_of("phone"), 2, "{text}");
    assert!(history.iter().any(|line| line.contains("phone") && line.ends_with("(cleared)")), "{text}");

    let json = rolo.json(&["show", "1", "--json", "--history"]);
    assert_eq!(json["contact"]["job_title"], "CTO");
    assert_eq!(json["sources"]["job_title"]["source"], "user");
    assert_eq!(json["sources"]["email"]["source"], "vcard-import");
    assert_eq!(json["history"][0]["source"], "user");
    let output = rolo.run(&["show", "9"]);
    assert_eq!((output.status.code(), stderr(&output).as_str()), (Some(1), "rolo: no contact with id 9\n"));
}

#[test]
fn add_edit_delete_and_restore() {
    let rolo = Rolo::new();
    let added = rolo.ok(&[
        "add",
        "--set",
        "first_name=Alan",
        "--set",
        "email=alan@bletchley.example",
        "--custom",
        "badge_id=B-7",
    ]);
    assert_eq!(added, "Added Alan as contact 1.\n");
    let again = rolo.ok(&["add", "--set", "email=ALAN@bletchley.example", "--set", "last_name=Turing"]);
    assert_eq!(again, "ALAN@bletchley.example already belongs to contact 1; updated it.\n");
    rolo.ok(&["add", "--set", "first_name=Joan"]);
    let alan = &rolo.contacts()[1];
    assert_eq!((alan["last_name"].as_str(), alan["badge_id"].as_str()), (Some("Turing"), Some("B-7")));

    let unknown = rolo.run(&["edit", "1", "--set", "nmae=x"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("--custom nmae="), "{}", stderr(&unknown));
    let taken = rolo.run(&["edit", "2", "--set", "email=alan@bletchley.example"]);
    assert!(stderr(&taken).contains("already belongs to contact 1"), "{}", stderr(&taken));
    rolo.ok(&["edit", "1", "--set", "badge_id=", "--set", "lifecycle_stage=customer"]);
    let alan = rolo.json(&["show", "1", "--json"]);
    assert_eq!(alan["contact"]["lifecycle_stage"], "customer");
    assert!(alan["contact"].get("badge_id").is_none());

    assert_eq!(
        rolo.ok(&["delete", "1", "2"]),
        "Moved contacts 1 2 to the trash; `rolo restore 1 2` brings them back.\n"
    );
    assert!(rolo.contacts().is_empty());
    assert_eq!(rolo.json(&["list", "--json", "--trash"]).as_array().unwrap().len(), 2);
    assert_eq!(rolo.run(&["delete", "1"]).status.code(), Some(1));
    assert_eq!(rolo.ok(&["restore", "1"]), "Restored contact 1.\n");
    assert_eq!(first_names(&rolo.contacts()), vec!["Alan"]);
    assert!(rolo.ok(&["trash"]).contains("Joan"));
    assert_eq!(rolo.ok(&["trash", "--empty"]), "Deleted 1 contact for good.\n");
    assert_eq!(rolo.ok(&["trash"]), "The trash is empty.\n");
    assert_eq!(rolo.run(&["restore", "2"]).status.code(), Some(1));
}

#[test]
fn exported_vcards_import_as_the_same_contacts() {
    let rolo = Rolo::new();
    rolo.ok(&["import", "vcard", &fixture("contacts.vcf"), &fixture("more.vcf"), "--all"]);
    rolo.ok(&[
        "add",
        "--set",
        "first_name=Zoë",
        "--set",
        "additional_emails=z1@x.example, z2@x.example",
        "--custom",
        "badge_id=B-7",
    ]);
    for version in ["4.0", "3.0"] {
        let export_path = rolo.path(&format!("export-{version}.vcf"));
        rolo.ok(&["export", "vcard", "--version", version, "-o", &export_path]);
        let fresh = Rolo::new();
        fresh.ok(&["import", "vcard", &export_path, "--all"]);
        assert_eq!(comparable(&fresh.contacts()), comparable(&rolo.contacts()), "vCard {version}");
    }
    let to_stdout = rolo.ok(&["export", "vcard"]);
    assert_eq!(to_stdout.matches("BEGIN:VCARD").count(), 5);
}

#[test]
fn exported_csv_has_a_header_and_a_row_per_contact() {
    let rolo = Rolo::new();
    rolo.ok(&["import", "vcard", &fixture("contacts.vcf"), "--all"]);
    let csv = rolo.ok(&["export", "csv"]);
    let header = csv.lines().next().unwrap();
    for column in ["First Name", "Last Name", "Email", "Phone Number", "Company Name", "Lifecycle Stage"] {
        assert!(header.split(',').any(|name| name == column), "{column} missing from {header}");
    }
    assert_eq!(csv.lines().count(), 4);
    let csv_path = rolo.path("contacts.csv");
    rolo.ok(&["export", "csv", "-o", &csv_path]);
    assert_eq!(std::fs::read_to_string(csv_path).unwrap(), csv);
}

#[test]
fn escape_sequences_from_files_never_reach_the_terminal() {
    let rolo = Rolo::new();
    let is_raw = |text: &str| text.chars().any(|character| character.is_control() && character != '\n');
    let listing = rolo.run(&["import", "vcard", &fixture("more.vcf")]);
    assert!(!is_raw(&String::from_utf8_lossy(&listing.stdout)));
    rolo.ok(&["import", "vcard", &fixture("more.vcf"), "--all"]);
    let table = rolo.ok(&["list"]);
    assert!(table.contains("Mallory"), "{table}");
    assert!(!is_raw(&table), "{table:?}");
    let shown = rolo.ok(&["show", "2", "--history"]);
    assert!(!is_raw(&shown), "{shown:?}");
    // JSON keeps the value, escaped by the serializer.
    let json = rolo.ok(&["list", "--json"]);
    assert!(!is_raw(&json) && json.contains("\\u001b[2J"), "{json}");
}

#[test]
fn lists_and_config() {
    let rolo = Rolo::new();
    rolo.ok(&["import", "vcard", &fixture("contacts.vcf"), "--all"]);
    assert_eq!(rolo.ok(&["lists", "create", "VIP"]), "Created the list VIP.\n");
    rolo.ok(&["lists", "add", "vip", "1", "2"]);
    rolo.ok(&["lists", "remove", "VIP", "1"]);
    assert_eq!(rolo.ok(&["lists"]), "Contacts  List\n1         VIP\n");
    assert_eq!(rolo.json(&["lists", "--json"]), serde_json::json!([{"name": "VIP", "n_members": 1}]));
    assert_eq!(rolo.run(&["lists", "add", "VIP", "42"]).status.code(), Some(1));
    assert!(stderr(&rolo.run(&["list", "--list", "nope"])).contains("no list named \"nope\""));

    assert_eq!(rolo.ok(&["config", "get", "default_region"]), "US\n");
    rolo.ok(&["config", "set", "default_region", "de"]);
    assert_eq!(
        rolo.ok(&["config", "list"]),
        "default_region = DE\nscan_lifecycle_default = subscriber  (not set: the default)\n\
         scan_may_change_owner = false  (not set: the default)\ncamera = 0  (not set: the default)\n\
         ocr_language = eng  (not set: the default)\ncard_auto_capture = true  (not set: the default)\n"
    );
    assert_eq!(rolo.ok(&["config", "set", "ocr_language", "eng + deu"]), "ocr_language = eng+deu\n");
    let missing = rolo.run(&["config", "set", "ocr_language", "klingon"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("Tesseract has no data for \"klingon\""), "{}", stderr(&missing));
    assert_eq!(rolo.run(&["config", "set", "default_region", "Germany"]).status.code(), Some(1));
    assert_eq!(rolo.ok(&["config", "set", "camera", "2"]), "camera = 2\n");
    assert_eq!(rolo.run(&["config", "set", "camera", "front"]).status.code(), Some(1));
}

#[test]
fn errors_name_the_database_and_go_to_stderr() {
    let rolo = Rolo::new();
    std::fs::write(rolo.directory.path().join("not-a-directory"), "").unwrap();
    let database_path = rolo.path("not-a-directory/rolo.db");
    let output = rolo.bare_command().args(["--db", &database_path, "list"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    assert!(message.starts_with(&format!("rolo: cannot open the contact database {database_path}: ")), "{message}");
    let usage = rolo.run(&["import", "vcard", &fixture("contacts.vcf"), "--all", "--pick", "1"]);
    assert_eq!(usage.status.code(), Some(2), "clap reports conflicting flags");
}

#[cfg(unix)]
#[test]
fn read_only_database_is_reported_clearly() {
    use std::os::unix::fs::PermissionsExt;
    let rolo = Rolo::new();
    rolo.ok(&["list"]);
    std::fs::set_permissions(&rolo.database_path, std::fs::Permissions::from_mode(0o400)).unwrap();
    // Root ignores file modes; the check only means something for ordinary users.
    if std::fs::OpenOptions::new().write(true).open(&rolo.database_path).is_ok() {
        return;
    }
    let output = rolo.run(&["add", "--set", "email=a@b.example"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("read-only"), "{}", stderr(&output));
}

#[test]
fn version_and_help() {
    let rolo = Rolo::new();
    assert_eq!(rolo.ok(&["--version"]), format!("rolo {}\n", env!("CARGO_PKG_VERSION")));
    let help = rolo.ok(&["--help"]);
    for command in [
        "import", "scan", "list", "show", "add", "edit", "delete", "restore", "trash", "export", "lists", "config",
        "demo",
    ] {
        assert!(help.contains(&format!("\n  {command} ")), "{command} missing from --help");
    }
    for option in ["--camera <N>", "--camera-resolution <WxH>", "--scan-from <PATH>", "--replay-fps <FPS>"] {
        assert!(help.contains(option), "{option} missing from --help");
    }
    // The scanner's options are checked before the terminal is touched.
    let bad = rolo.run(&["--camera-resolution", "big"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not a resolution such as 1280x720"), "{}", stderr(&bad));
    let missing = rolo.run(&["--scan-from", "no/such/folder"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no such file or folder"), "{}", stderr(&missing));
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let not_a_folder = rolo.run(&["--scan-from", manifest, "--replay-fps", "5"]);
    assert!(stderr(&not_a_folder).contains("--replay-fps needs a folder of pictures"), "{}", stderr(&not_a_folder));
}

/// `rolo demo` loads the demo address book once: a second run changes nothing (its contact
/// without an email would be added twice), and after the load is undone it loads again.
#[test]
fn the_demo_loads_once_until_undone() {
    let rolo = Rolo::new();
    rolo.ok(&["demo"]);
    let count = |rolo: &Rolo| rolo.ok(&["list", "--json"]).matches("\"id\"").count();
    let loaded = count(&rolo);
    assert!(loaded >= 10, "{loaded}");
    let again = rolo.ok(&["demo"]);
    assert!(again.contains("already loaded"), "{again}");
    assert_eq!(count(&rolo), loaded);
    let id = again.split("imports undo ").nth(1).and_then(|rest| rest.split('`').next()).expect("the import's id");
    rolo.ok(&["imports", "undo", id]);
    assert_eq!(count(&rolo), 0);
    rolo.ok(&["demo"]);
    assert_eq!(count(&rolo), loaded);
}

/// `rolo export opt-outs`: the do-not-email list alone, unsubscribed addresses by default and
/// bounced ones on request, to standard output or to a new private file.
#[test]
fn opt_out_list_exports_alone() {
    let rolo = Rolo::new();
    let statuses = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv/pipe_statuses.csv");
    rolo.ok(&["import", "csv", &statuses.display().to_string()]);
    let unsubscribed = rolo.ok(&["export", "opt-outs"]);
    let lines: Vec<&str> = unsubscribed.lines().collect();
    assert_eq!(lines[0], "email,reasons,source,date");
    assert_eq!(lines.len(), 2, "{unsubscribed}");
    assert!(lines[1].starts_with("bob@example.com,unsubscribed,"), "{unsubscribed}");

    let path = rolo.path("opt-outs.csv");
    let message = rolo.ok(&["export", "opt-outs", "--with-bounces", "-o", &path]);
    assert_eq!(message, format!("Wrote 2 addresses of the do-not-email list to {path}.\n"));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.contains("bob@example.com,unsubscribed,") && written.contains("cy@example.com,bounced,"),
        "{written}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
