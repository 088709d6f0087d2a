//! Bad input and hard stops, through the real binary: nothing half-written, clear messages.

#[path = "support/generate.rs"]
mod generate;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rolo::store::{ListQuery, Store};

fn rolo(database: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rolo"));
    command.arg("--db").arg(database).env_remove("ROLO_DB");
    command
}

fn live_count(database: &Path) -> usize {
    Store::open(database).expect("open").count(&ListQuery::default()).expect("count")
}

/// SIGKILL in the middle of a large import: the database holds all of the batch or none.
#[test]
fn killing_the_process_mid_import_leaves_the_batch_all_or_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let file = directory.path().join("big.vcf");
    let n_cards = 60_000;
    std::fs::write(&file, generate::vcard_file(n_cards)).unwrap();
    // One contact beforehand: it must survive whatever happens to the batch.
    let status =
        rolo(&database).args(["add", "--set", "email=before@acme.com"]).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());

    let mut child = rolo(&database)
        .args(["import", "vcard", "--all"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import transaction has spilled pages into the WAL, then kill it.
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
    // The batch is larger than the page cache, so it spills into the WAL long before commit.
    assert!(was_killed_mid_write, "the import ended before it could be killed");
    let count = live_count(&database);
    assert!(count == 1 || count == n_cards + 1, "half-written batch: {count} contacts");
    // The database is usable afterwards.
    let status = rolo(&database).args(["add", "--set", "email=after@acme.com"]).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
}

/// A 50 MB address book and a card with 10,000 properties import without trouble.
#[test]
fn huge_file_and_huge_card_import() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let big = directory.path().join("big.vcf");
    let mut text = generate::vcard_file(150_000);
    assert!(text.len() > 50_000_000, "{} bytes", text.len());
    let mut huge_card = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Props\r\nEMAIL:many@props.example\r\n");
    for index in 0..10_000 {
        huge_card.push_str(&format!("X-CUSTOM-{index}:value {index}\r\n"));
    }
    huge_card.push_str("END:VCARD\r\n");
    text.push_str(&huge_card);
    std::fs::write(&big, text).unwrap();
    let output = rolo(&database).args(["import", "vcard", "--all", "--json"]).arg(&big).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(live_count(&database), 150_001);
    let store = Store::open(&database).unwrap();
    let many = store.contact_by_email("many@props.example").unwrap().unwrap();
    assert_eq!(store.contact(many).unwrap().unwrap().draft.vcard_extra.len(), 10_000);
}

/// A binary file named .vcf and an empty file are refused with a message; nothing is written.
#[test]
fn binary_and_empty_files_are_refused_and_nothing_is_written() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("rolo.db");
    let good = directory.path().join("good.vcf");
    std::fs::write(&good, generate::vcard_file(3)).unwrap();
    let binary = directory.path().join("photo.vcf");
    std::fs::write(&binary, (0..4096u32).map(|index| (index * 7919 % 251) as u8).collect::<Vec<u8>>()).unwrap();
    let empty = directory.path().join("empty.vcf");
    std::fs::write(&empty, b"").unwrap();
    for bad in [&binary, &empty] {
        let output = rolo(&database).args(["import", "vcard", "--all"]).arg(&good).arg(bad).output().unwrap();
        assert!(!output.status.success());
        let message = String::from_utf8_lossy(&output.stderr);
        let file_name = bad.file_name().unwrap().to_string_lossy();
        assert!(message.contains(file_name.as_ref()), "message should name the file: {message}");
        assert_eq!(live_count(&database), 0, "nothing written after {message}");
    }
}
