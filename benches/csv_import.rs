//! The CSV import benchmark (results in BENCHMARKS.md): a generated Mailchimp-style export
//! of 1,048,576 rows (the most HubSpot accepts in one file), 2% of them repeating an
//! earlier address, imported with dedupe into a new database file, as `rolo import csv`
//! does; and `sqlite3 .import` of the same file into a plain table, measured in the same
//! run. Each import runs in a fresh child process, which reports its time and peak memory.
//!
//! Also in the same run, the floor of this schema: the rows such an import leaves (contact,
//! custom value, history, list memberships, external id, search row for every contact)
//! written straight into a new rolo database with prepared statements, without reading a
//! file, deduplicating or anything else rolo does. No import into this schema can be faster.
//!
//! `cargo bench --bench csv_import`; `ROLO_BENCH_ROWS=100000` for a shorter run. What each
//! kind of row costs: run the floor alone, leaving kinds out, e.g.
//! `ROLO_BENCH_FLOOR_WITHOUT=search,members ROLO_BENCH_FLOOR=$'1048576\n/tmp/floor.db' target/release/deps/csv_import-*`
//! (kinds: custom, history, members, external, search).

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use rolo::import_job::{CsvImportSettings, import_csv_file};
use rolo::model::Timestamp;
use rolo::store::Store;

const DEFAULT_ROWS: usize = 1_048_576;
const RUNS: usize = 3;
const CHILD_ENV: &str = "ROLO_BENCH_CHILD";
const FLOOR_ENV: &str = "ROLO_BENCH_FLOOR";
/// Contacts the floor writes a kind of row for at a time (`ROLO_BENCH_FLOOR_CHUNK`).
const FLOOR_CHUNK: usize = 20_000;

/// The `rolo` binary's allocator, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Ok(arguments) = std::env::var(CHILD_ENV) {
        let (file, database) = arguments.split_once('\n').expect("file and database");
        run_child(Path::new(file), Path::new(database));
        return;
    }
    if let Ok(arguments) = std::env::var(FLOOR_ENV) {
        let (n_rows, database) = arguments.split_once('\n').expect("rows and database");
        write_floor(n_rows.parse().expect("rows"), Path::new(database));
        return;
    }
    // `cargo test --all-targets` runs this too, without `--bench`: then only a quick check
    // that the benchmark works, without the sqlite3 baseline.
    let is_bench = std::env::args().any(|argument| argument == "--bench");
    let default_rows = if is_bench { DEFAULT_ROWS } else { 2_000 };
    let n_rows: usize =
        std::env::var("ROLO_BENCH_ROWS").ok().and_then(|rows| rows.parse().ok()).unwrap_or(default_rows);
    let n_runs = if is_bench { RUNS } else { 1 };
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("subscribed_members_export_bench.csv");
    let started = Instant::now();
    write_mailchimp_csv(&file, n_rows);
    let size_mb = std::fs::metadata(&file).expect("file").len() as f64 / 1e6;
    println!("generated {n_rows} rows ({size_mb:.0} MB) in {:.1} s", started.elapsed().as_secs_f64());

    let mut rolo_times = Vec::new();
    let mut peaks = Vec::new();
    let mut sqlite_times = Vec::new();
    let mut floor_times = Vec::new();
    for run in 0..n_runs {
        let database = directory.path().join(format!("rolo-{run}.db"));
        let output = Command::new(std::env::current_exe().expect("exe"))
            .env(CHILD_ENV, format!("{}\n{}", file.display(), database.display()))
            .output()
            .expect("child");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{text}{}", String::from_utf8_lossy(&output.stderr));
        let mut fields = text.split_whitespace();
        let seconds: f64 = fields.next().and_then(|value| value.parse().ok()).expect("seconds");
        let peak_mb: f64 = fields.next().and_then(|value| value.parse().ok()).expect("peak");
        let summary: Vec<&str> = fields.collect();
        println!("rolo import csv, run {}: {seconds:.2} s, peak {peak_mb:.0} MB ({})", run + 1, summary.join(" "));
        rolo_times.push(seconds);
        peaks.push(peak_mb);
        std::fs::remove_file(&database).ok();
        if !is_bench {
            return;
        }

        let baseline = directory.path().join(format!("sqlite-{run}.db"));
        let started = Instant::now();
        let mut child = Command::new("sqlite3")
            .arg(&baseline)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("sqlite3 (apt-get install sqlite3)");
        let script = format!(".mode csv\n.import '{}' members\n", file.display());
        child.stdin.take().expect("stdin").write_all(script.as_bytes()).expect("script");
        assert!(child.wait().expect("sqlite3").success());
        let seconds = started.elapsed().as_secs_f64();
        println!("sqlite3 .import, run {}: {seconds:.2} s", run + 1);
        sqlite_times.push(seconds);
        std::fs::remove_file(&baseline).ok();

        let floor = directory.path().join(format!("floor-{run}.db"));
        let started = Instant::now();
        let status = Command::new(std::env::current_exe().expect("exe"))
            .env(FLOOR_ENV, format!("{n_rows}\n{}", floor.display()))
            .status()
            .expect("floor child");
        assert!(status.success());
        let seconds = started.elapsed().as_secs_f64();
        println!("schema floor, run {}: {seconds:.2} s", run + 1);
        floor_times.push(seconds);
        std::fs::remove_file(&floor).ok();
    }
    let (rolo_median, rolo_min, rolo_max) = spread(&mut rolo_times);
    let (sqlite_median, sqlite_min, sqlite_max) = spread(&mut sqlite_times);
    let peak = peaks.iter().copied().fold(0.0, f64::max);
    println!(
        "rolo import csv: median {rolo_median:.2} s (min–max {rolo_min:.2}–{rolo_max:.2} s), peak RSS {peak:.0} MB"
    );
    println!("sqlite3 .import: median {sqlite_median:.2} s (min–max {sqlite_min:.2}–{sqlite_max:.2} s)");
    let (floor_median, floor_min, floor_max) = spread(&mut floor_times);
    println!("schema floor: median {floor_median:.2} s (min–max {floor_min:.2}–{floor_max:.2} s)");
    println!("ratio rolo / sqlite3: {:.1}x", rolo_median / sqlite_median);
}

/// One import in this (fresh) process: prints seconds, peak RSS in MB, and the counts.
fn run_child(file: &Path, database: &Path) {
    let started = Instant::now();
    let mut store = Store::open(database).expect("open");
    let settings = CsvImportSettings::new(Timestamp(1_800_000_000_000));
    let report = import_csv_file(&mut store, file, &settings, &mut |_, _| ()).expect("import");
    drop(store);
    let seconds = started.elapsed().as_secs_f64();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    let report = &report.report;
    println!(
        "{seconds} {} new={} updated={} unchanged={} opted_out={}",
        peak_kb / 1024.0,
        report.n_new,
        report.n_updated,
        report.n_unchanged,
        report.n_opted_out
    );
}

/// The rows importing the generated file leaves, written straight into a new rolo database
/// in one transaction: one contact per distinct address (the repeats only update), with its
/// birthday, its history (the values as a change set, and the website derived from the
/// domain), its three list memberships, its Mailchimp id and its search row.
fn write_floor(n_rows: usize, database: &Path) {
    let left_out = std::env::var("ROLO_BENCH_FLOOR_WITHOUT").unwrap_or_default();
    let has = |kind: &str| !left_out.split(',').any(|left| left.trim() == kind);
    // Rows are written a chunk of contacts at a time, each kind of row for the whole chunk
    // in turn: one kind's B-trees stay in the page cache while it is written.
    let chunk_size: usize =
        std::env::var("ROLO_BENCH_FLOOR_CHUNK").ok().and_then(|size| size.parse().ok()).unwrap_or(FLOOR_CHUNK);
    drop(Store::open(database).expect("open"));
    let mut connection = rusqlite::Connection::open(database).expect("open");
    connection.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;").expect("pragmas");
    let transaction = connection.transaction().expect("transaction");
    transaction
        .execute_batch(
            "INSERT INTO import_batches (id, kind, label, source, at) VALUES (1, 'csv-import', 'bench', 'csv-import', 1);
             INSERT INTO lists (id, name, created_at, batch_id) VALUES (1, 'bench', 1, 1), (2, 'Customer', 1, 1), (3, 'VIP', 1, 1);
             INSERT INTO custom_property_definitions (name, label, created_at) VALUES ('birthday', 'birthday', 1);
             INSERT INTO companies (id, domain, name, website, created_at) VALUES
                 (1, 'example.com', 'Example', 'https://example.com', 1),
                 (2, 'example.org', 'Example', 'https://example.org', 1),
                 (3, 'example.net', 'Example', 'https://example.net', 1);",
        )
        .expect("batch");
    {
        let mut contact = transaction
            .prepare(
                "INSERT INTO contacts (id, first_name, last_name, email, email_key, company, phone, phone_e164,
                 website, street_address, lifecycle_stage, original_source, original_source_drill_down_1,
                 original_source_drill_down_2, company_id, sort_name, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9, 'lead', 'offline', 'import', 'csv-import', ?10, ?11, 1, 1)",
            )
            .expect("contact");
        let mut custom = transaction
            .prepare("INSERT INTO custom_values (contact_id, name, value) VALUES (?1, 'birthday', '03/14')")
            .expect("custom");
        let mut history = transaction
            .prepare("INSERT INTO property_changes (contact_id, seq, property, value, source, at, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, 1, 1)")
            .expect("history");
        let mut member = transaction
            .prepare("INSERT INTO list_members (list_id, contact_id, added_at, batch_id) VALUES (?1, ?2, 1, 1)")
            .expect("member");
        let mut external = transaction
            .prepare(
                "INSERT INTO external_ids (contact_id, system, value, batch_id, at) VALUES (?1, 'mailchimp', ?2, 1, 1)",
            )
            .expect("external id");
        let mut search = transaction
            .prepare("INSERT INTO contacts_fts (rowid, names, company, emails, phones, notes) VALUES (?1, ?2, ?3, ?4, ?5, '')")
            .expect("search");
        let people: Vec<usize> = (0..n_rows).filter(|row| row % 50 != 49).collect();
        for chunk in people.chunks(chunk_size) {
            for kind in
                ["contacts", "custom", "history", "members", "external", "search"].into_iter().filter(|kind| has(kind))
            {
                for &person in chunk {
                    let [first, last, email, domain, phone, street] = person_values(person);
                    let id = person as i64 + 1;
                    let company = format!("{last} & Co");
                    let company_id =
                        ["example.com", "example.org", "example.net"].iter().position(|known| *known == domain);
                    let website = company_id.map(|_| format!("https://{domain}"));
                    match kind {
                        "contacts" => {
                            let e164 = format!("+1650555{:04}", person % 10_000);
                            let sort_name = format!("{} {}", last.to_lowercase(), first.to_lowercase());
                            contact
                                .execute(rusqlite::params![
                                    id,
                                    first,
                                    last,
                                    email,
                                    company,
                                    phone,
                                    e164,
                                    website,
                                    street,
                                    company_id.map(|index| index as i64 + 1),
                                    sort_name
                                ])
                                .expect("contact row");
                        }
                        "custom" => {
                            custom.execute([id]).expect("custom row");
                        }
                        "history" => {
                            let change_set = format!(
                                r#"{{"birthday":"03/14","company":"{company}","email":"{email}","first_name":"{first}","last_name":"{last}","lifecycle_stage":"lead","original_source":"offline","original_source_drill_down_1":"import","original_source_drill_down_2":"csv-import","phone":"{phone}","street_address":"{street}"}}"#
                            );
                            history
                                .execute(rusqlite::params![id, 1, "*", change_set, "csv-import"])
                                .expect("history row");
                            if let Some(website) = &website {
                                history
                                    .execute(rusqlite::params![id, 2, "website", website, "derived"])
                                    .expect("derived row");
                            }
                        }
                        "members" => {
                            for list_id in 1..=3 {
                                member.execute([list_id, id]).expect("member row");
                            }
                        }
                        "external" => {
                            external.execute(rusqlite::params![id, format!("e{person:x}")]).expect("external id row");
                        }
                        _ => {
                            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
                            search
                                .execute(rusqlite::params![
                                    id,
                                    format!("{first} {last}"),
                                    format!("{company} "),
                                    email,
                                    format!("{phone} {digits}")
                                ])
                                .expect("search row");
                        }
                    }
                }
            }
        }
    }
    transaction.commit().expect("commit");
}

/// First name, last name, email, domain, phone and address of the generated file's `person`.
fn person_values(person: usize) -> [String; 6] {
    const FIRST: [&str; 8] = ["Ada", "Grace", "Alan", "Élodie", "Jürgen", "Søren", "Hana", "Kwame"];
    const LAST: [&str; 8] = ["Lindqvist", "Hopper", "Turing", "Fournier", "Müller", "Dahl", "Kobayashi", "Mensah"];
    let first = FIRST[person % FIRST.len()];
    let last = LAST[(person / FIRST.len()) % LAST.len()];
    let domain = ["example.com", "example.org", "example.net", "gmail.com"][person % 4];
    [
        first.to_string(),
        last.to_string(),
        format!("{}.{}{person}@{domain}", first.to_lowercase(), last.to_lowercase()),
        domain.to_string(),
        format!("+1 650 555 {:04}", person % 10_000),
        format!("{} Main St  Springfield  IL  62701  US", person % 900 + 1),
    ]
}

fn spread(values: &mut [f64]) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (values[values.len() / 2], values[0], values[values.len() - 1])
}

/// Mailchimp's subscribed-members export: every 50th row repeats an earlier address with a
/// new phone number; every contact has two tags and goes on the file's list.
fn write_mailchimp_csv(path: &Path, n_rows: usize) {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("create"));
    writeln!(
        out,
        "\"Email Address\",\"First Name\",\"Last Name\",Address,\"Phone Number\",Birthday,Company,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS"
    )
    .expect("write");
    for row in 0..n_rows {
        let person = if row % 50 == 49 { row / 2 } else { row };
        let [first, last, email, _, _, street] = person_values(person);
        writeln!(
            out,
            "{email},{first},{last},\"{street}\",\"+1 650 555 {:04}\",03/14,\"{last} & Co\",{},\"2021-03-14 09:12:31\",192.0.2.10,\"2021-03-14 09:14:02\",192.0.2.10,59.85,17.63,1,2,Europe/Stockholm,SE,C,\"2024-04-02 08:00:11\",{person},e{person:x},\"{}\",\"\"\"Customer\"\",\"\"VIP\"\"\"",
            row % 10_000,
            person % 5 + 1,
            if person % 40 == 7 { "asked to stop" } else { "" },
        )
        .expect("write");
    }
    out.flush().expect("flush");
}
