//! Bad CSV input and hard stops, through the real binary: clear refusals, nothing
//! half-written, odd files imported as far as they make sense.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use rolo::model::Property;
use rolo::store::{ListQuery, Store};

fn rolo(database: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rolo"));
    command.arg("--db").arg(database).env_remove("ROLO_DB");
    command
}

fn import_csv(database: &Path, file: &Path) -> Output {
    rolo(database).args(["import", "csv"]).arg(file).output().unwrap()
}

fn live_count(database: &Path) -> usize {
    Store::open(database).expect("open").count(&ListQuery::default()).expect("count")
}

/// `count` Mailchimp-style rows with unique emails.
fn mailchimp_csv(count: usize) -> String {
    let mut text = String::from(
        "Email Address,First Name,Last Name,Address,Phone Number,Company,MEMBER_RATING,OPTIN_TIME,LEID,EUID,NOTES,TAGS\n",
    );
    for index in 0..count {
        text.push_str(&format!(
            "person{index}@example{}.com,First{index},Last{index},\"{index} Main St  Springfield  IL  62701  US\",+1 650 555 {:04},Company {},2,2021-03-14 09:12:31,{index},e{index},\"met at booth {}, asked about pricing\",\"\"\"Customer\"\"\"\n",
            index % 50,
            index % 10_000,
            index % 500,
            index % 97
        ));
    }
    text
}

#[test]
fn binary_and_empty_files_are_refused_and_nothing_is_written() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let binary = directory.path().join("photo.csv");
    std::fs::write(&binary, (0..8192u32).map(|index| (index * 7919 % 251) as u8).collect::<Vec<u8>>()).unwrap();
    let empty = directory.path().join("empty.csv");
    std::fs::write(&empty, b"").unwrap();
    for bad in [&binary, &empty] {
        let output = import_csv(&database, bad);
        assert!(!output.status.success());
        let message = String::from_utf8_lossy(&output.stderr);
        let file_name = bad.file_name().unwrap().to_string_lossy();
        assert!(message.contains(file_name.as_ref()), "message should name the file: {message}");
        assert_eq!(live_count(&database), 0, "nothing written after {message}");
    }
}

#[test]
fn header_only_wide_ragged_and_nul_files_import_what_they_hold() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let header_only = directory.path().join("header_only.csv");
    std::fs::write(&header_only, "Email,First Name,Last Name\n").unwrap();
    let output = import_csv(&database, &header_only);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("0 contacts imported from 0 rows"));

    let wide = directory.path().join("wide.csv");
    let mut text = String::from("Email");
    for column in 1..1_000 {
        text.push_str(&format!(",Field {column}"));
    }
    text.push('\n');
    for row in 0..3 {
        text.push_str(&format!("wide{row}@example.com"));
        for column in 1..1_000 {
            text.push_str(&format!(",v{row}.{column}"));
        }
        text.push('\n');
    }
    std::fs::write(&wide, text).unwrap();
    let output = import_csv(&database, &wide);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let store = Store::open(&database).unwrap();
    let contact_id = store.contact_by_email("wide2@example.com").unwrap().unwrap();
    let contact = store.contact(contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.custom.len(), 999);
    assert_eq!(contact.draft.custom.get("field_999").map(String::as_str), Some("v2.999"));
    drop(store);

    let ragged = directory.path().join("ragged.csv");
    std::fs::write(&ragged, "Email,Name\nshort@example.com\nlong@example.com,Long Row,extra,\"more\"\n,\n").unwrap();
    let output = import_csv(&database, &ragged);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let nul = directory.path().join("nul.csv");
    std::fs::write(&nul, b"Email,Name\nnul@example.com,Nu\0ll\n").unwrap();
    let output = import_csv(&database, &nul);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let store = Store::open(&database).unwrap();
    let contact_id = store.contact_by_email("nul@example.com").unwrap().unwrap();
    assert_eq!(store.contact(contact_id).unwrap().unwrap().draft.get(Property::FirstName), Some("Null"));
    assert!(store.contact_by_email("long@example.com").unwrap().is_some());
    assert!(store.contact_by_email("short@example.com").unwrap().is_some());
}

#[test]
fn a_zip_bomb_is_refused_with_a_clear_message() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let bomb = directory.path().join("audience_export.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("subscribed_members_export.csv", options).unwrap();
    writer.write_all(b"Email Address,First Name\n").unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..64 {
        writer.write_all(&zeros).unwrap();
    }
    writer.finish().unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1024 * 1024, "the archive is small");
    let output = import_csv(&database, &bomb);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("zip bomb"), "{message}");
    assert_eq!(live_count(&database), 0);
}

/// SIGKILL in the middle of a large import: the database holds all of the file or none.
#[test]
fn killing_the_process_mid_import_leaves_the_file_all_or_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let file = directory.path().join("subscribed_members_export.csv");
    let n_rows = 60_000;
    std::fs::write(&file, mailchimp_csv(n_rows)).unwrap();
    let status =
        rolo(&database).args(["add", "--set", "email=before@acme.com"]).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
    let mut child =
        rolo(&database).args(["import", "csv"]).arg(&file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let wal = directory.path().join("rolo.db-wal");
    let started = Instant::now();
    let mut was_killed_mid_write = false;
    while started.elapsed() < Duration::from_secs(60) {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if std::fs::metadata(&wal).map(|metadata| metadata.len() > 512 * 1024).unwrap_or(false) {
            child.kill().unwrap();
            was_killed_mid_write = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.wait().unwrap();
    assert!(was_killed_mid_write, "the import ended before it could be killed");
    let count = live_count(&database);
    assert!(count == 1 || count == n_rows + 1, "half-written import: {count} contacts");
    let status = rolo(&database).args(["add", "--set", "email=after@acme.com"]).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
}
