//! The command line: what `rolo` accepts (clap definitions) and the subcommands behind it.
//! Subcommands write their results to the `out` they are given and messages for the user to
//! stderr; text from outside reaches the terminal only through `sanitize_line`.

mod config;
mod contacts;
mod export;
mod import;
mod import_csv;
mod list;
mod lists;
mod safe_json;
mod scan;
mod scan_card;
mod show;
mod table;

use std::io::{self, Write};
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::import::csv::{ColumnTarget, CsvPreset, TextEncoding};
use crate::model::ContactId;
use crate::store::{SortKey, Store};

/// The exit status of a command that needs a choice the user did not make (also clap's
/// status for usage errors).
pub const EXIT_NEEDS_CHOICE: u8 = 2;

/// The exit status of `rolo scan qr` when at least one image held no code or could not be read.
pub const EXIT_NO_CODE: u8 = 3;

const AFTER_HELP: &str = "\
Without a command, rolo starts the full-screen contact manager.

Examples:
  rolo import vcard contacts.vcf            list the cards in an address book
  rolo import vcard contacts.vcf --all      import every card
  rolo scan qr badge.jpg --save             save the contact in a badge's QR code
  rolo import csv audience_export.zip       import a Mailchimp audience (or any CSV or spreadsheet)
  rolo import csv hubspot.csv --dry-run     see what an import would do
  rolo list --search ada                    find contacts
  rolo show 12 --history                    one contact and every change to it
  rolo export vcard -o backup.vcf           save all contacts as vCards";

const KEYS_HELP: &str = "\
Keys are those of `rolo list --json`: first_name, last_name, email, phone, mobile_phone, fax,
job_title, company, website, street_address, city, state, postal_code, country, lifecycle_stage,
owner, notes, and custom properties defined before. KEY= (nothing after =) clears a property.
additional_emails takes a comma-separated list, additional_phones a comma-separated list of
TYPE:NUMBER (e.g. work:+49 30 901820).";

/// Capture contacts where you meet them and keep them in a local CRM.
#[derive(Debug, Parser)]
#[command(name = "rolo", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// The contact database to use [default: rolo.db in the data directory,
    /// e.g. ~/.local/share/rolo/rolo.db]
    #[arg(long = "db", value_name = "PATH", env = "ROLO_DB", global = true)]
    pub database_path: Option<PathBuf>,

    /// The scanner's camera, as numbered by `rolo scan cameras` [default: the `camera`
    /// setting, else 0]
    #[arg(long, value_name = "N")]
    pub camera: Option<u32>,

    /// The resolution the scanner asks the camera for, e.g. 1920x1080 [default: 1280x720]
    #[arg(long = "camera-resolution", value_name = "WxH", conflicts_with = "scan_from")]
    pub camera_resolution: Option<crate::capture::Resolution>,

    /// The scanner reads pictures instead of the camera: an image file, or a folder whose
    /// pictures are read in name order and watched for new ones (photos synced from a phone)
    #[arg(long = "scan-from", value_name = "PATH", conflicts_with = "camera")]
    pub scan_from: Option<PathBuf>,

    /// With --scan-from a folder: play its pictures once at this many frames per second, as
    /// a camera would deliver them (for demos)
    #[arg(long = "replay-fps", value_name = "FPS", requires = "scan_from")]
    pub replay_fps: Option<f64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import contacts from address-book files, CSV files and spreadsheets
    #[command(subcommand)]
    Import(ImportCommand),
    /// Read contact QR codes and badges from images or a camera
    #[command(subcommand)]
    Scan(ScanCommand),
    /// List past imports, or undo one
    Imports(ImportsArgs),
    /// List contacts as a table or as JSON
    List(ListArgs),
    /// Show one contact: every property with where its value came from
    Show(ShowArgs),
    /// Add a contact (or update the one with the same email)
    Add(AddArgs),
    /// Change properties of a contact
    Edit(EditArgs),
    /// Move contacts to the trash
    Delete(ContactIdsArgs),
    /// Take contacts out of the trash
    Restore(ContactIdsArgs),
    /// List the contacts in the trash, or empty it
    Trash(TrashArgs),
    /// Write all contacts to a vCard or CSV file
    #[command(subcommand)]
    Export(ExportCommand),
    /// Show the static lists, or create and fill them
    Lists(ListsArgs),
    /// Read and change settings
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Load the demo address book (a few made-up contacts to try rolo with)
    Demo,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import vCard (.vcf) files, e.g. an export of a phone's or mail program's contacts
    #[command(
        after_help = "Without --all or --pick, the cards are listed with their numbers and nothing is imported.\n\
                            A card whose email is already stored updates that contact; values you set yourself\n\
                            are kept and reported. Everything is written in one go, or nothing is."
    )]
    Vcard(ImportVcardArgs),
    /// Import CSV files, spreadsheets (.xlsx, .xls, .ods) or a Mailchimp audience export (.zip)
    #[command(after_help = CSV_HELP)]
    Csv(ImportCsvArgs),
}

const CSV_HELP: &str = "\
The exporter (Mailchimp, Constant Contact, Google, Outlook, HubSpot, Zoho, Salesforce) is
recognised from the header row, the encoding and the delimiter from the bytes. Each file is
written in one transaction. A contact whose email is stored already is updated; empty cells
never erase anything and values you set yourself are kept. Unsubscribed and bounced
addresses go on the do-not-email list, which no later import clears.

PROPERTY in --map is a property key (first_name, email, phone, company…), full_name,
do_not_email (a yes/no column), bounced, email_status, external_id, lists, ignore,
additional_phones:TYPE or custom:NAME. Choices made with --map are remembered for columns of
the same name.

Examples:
  rolo import csv contacts.csv --preview          show what was detected; write nothing
  rolo import csv export.csv --map \"Mobil=mobile_phone\" --map \"Kundennr=external_id\"
  rolo import csv unsubscribes.csv --opt-out-list
  rolo imports undo 7                               take an import back";

#[derive(Debug, Args)]
pub struct ImportCsvArgs {
    /// The files: .csv, .txt, .tsv, .xlsx, .xls, .ods, or a Mailchimp .zip
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The exporter, instead of recognising it from the header row
    #[arg(long, value_name = "NAME", value_parser = parse_preset)]
    pub preset: Option<CsvPreset>,
    /// Where a column goes, e.g. --map "Kundennummer=external_id"; remembered for next time
    #[arg(long = "map", value_name = "COLUMN=PROPERTY", value_parser = parse_column_mapping)]
    pub mappings: Vec<ColumnMapping>,
    /// The text encoding (utf-8, utf-16le, windows-1252, latin1…) instead of detecting it
    #[arg(long, value_name = "ENCODING", value_parser = parse_encoding)]
    pub encoding: Option<TextEncoding>,
    /// The delimiter: , ; tab or |
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The row that holds the column names (1 is the first; 0 means there is none)
    #[arg(long = "header-row", value_name = "N")]
    pub header_row: Option<usize>,
    /// The sheet of a spreadsheet [default: the one that looks like contacts]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Create new contacts and update existing ones (upsert), or only one of the two
    #[arg(long, value_enum, default_value_t = PolicyArg::Upsert)]
    pub policy: PolicyArg,
    /// Put the imported contacts on this list [default: a list named after the file]
    #[arg(long = "list", value_name = "NAME", conflicts_with = "no_list")]
    pub list_name: Option<String>,
    /// Put the imported contacts on no list
    #[arg(long)]
    pub no_list: bool,
    /// The files are opt-out lists: only put their addresses on the do-not-email list
    #[arg(long)]
    pub opt_out_list: bool,
    /// Show what was detected (source, encoding, delimiter, header row, mapping) and the
    /// first rows as they would be stored; write nothing
    #[arg(long)]
    pub preview: bool,
    /// Only count what would happen; nothing is written
    #[arg(long)]
    pub dry_run: bool,
    /// Save the rows that could not be imported (file, row, column, reason) as CSV
    #[arg(long = "errors", value_name = "FILE")]
    pub errors_path: Option<PathBuf>,
    /// Print the report as one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Create new contacts and update existing ones
    Upsert,
    /// Only create new contacts
    Create,
    /// Only update existing contacts
    Update,
}

/// `COLUMN=PROPERTY` from `--map`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    pub column: String,
    pub target: ColumnTarget,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ImportsArgs {
    #[command(subcommand)]
    pub action: Option<ImportsCommand>,
    /// Print the imports as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportsCommand {
    /// Undo an import: delete the contacts it created, restore the values it changed, take
    /// off the lists and do-not-email entries it added
    Undo {
        /// The import's id, as `rolo imports` shows it
        #[arg(value_name = "ID")]
        batch_id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum ScanCommand {
    /// Read the QR code (or PDF417, Data Matrix, Aztec, Code 128 symbol) in each image
    #[command(after_help = SCAN_QR_HELP)]
    Qr(ScanQrArgs),
    /// Read the business card in each image: find it, straighten it, OCR it, suggest properties
    #[command(after_help = SCAN_CARD_HELP)]
    Card(ScanCardArgs),
    /// List the cameras rolo can read from
    Cameras,
}

const SCAN_CARD_HELP: &str = "\
Each image is read like a capture in the TUI's card scanner: the card's four corners are found
(or taken from --corners), the card is straightened, cleaned and read with Tesseract, and its
lines are matched to properties. Suggestions below 60% confidence are marked with '?'.
With --json, one array is printed with an object per image: file, corners (four [x, y] points in
image pixels, clockwise from the card's top-left), lines, properties (rolo's property keys) and
confidence (per property, 0 to 1). With --save, each card is saved as the scanner saves it (a
contact with the same email is updated) and its straightened picture is kept with the contact.

Exit status: 0 when every card was read, 3 when at least one image holds no readable card or
cannot be read (the others are still reported and saved), 1 on any other error.";

#[derive(Debug, Args)]
pub struct ScanCardArgs {
    /// Photos or scans of business cards: JPEG, PNG, WebP, BMP, GIF or TIFF
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<PathBuf>,
    /// The card's corners in image pixels, clockwise from its top-left, instead of detecting them
    #[arg(long, value_name = "X1,Y1,X2,Y2,X3,Y3,X4,Y4", value_parser = parse_corners)]
    pub corners: Option<crate::capture::Quad>,
    /// The languages to read, e.g. eng or eng+deu (default: `rolo config get ocr_language`)
    #[arg(long = "lang", value_name = "LANGUAGES")]
    pub language: Option<String>,
    /// Save each card's contact and keep its picture with it
    #[arg(long)]
    pub save: bool,
    /// Print one JSON array with an object per image
    #[arg(long)]
    pub json: bool,
}

fn parse_corners(text: &str) -> Result<crate::capture::Quad, String> {
    let quad = crate::capture::Quad::parse(text)?;
    if !quad.is_proper() {
        return Err("the corners do not make a card shape: give them clockwise from the top-left".to_string());
    }
    Ok(quad)
}

const SCAN_QR_HELP: &str = "\
Contact payloads (vCard, MECARD, BIZCARD, MATMSG, mailto:, tel:, an email address or a web
address) are shown with rolo's property keys; other text is shown as it is, without control
characters. With --save, each contact is saved like a scan in the TUI: a contact with the same
email is updated, new contacts get the lifecycle stage of `rolo config get scan_lifecycle_default`.

Exit status: 0 when every image holds a code, 3 when at least one image holds none or cannot be
read (the others are still reported and saved), 1 on any other error.";

#[derive(Debug, Args)]
pub struct ScanQrArgs {
    /// Image files: JPEG, PNG, WebP, BMP, GIF or TIFF
    #[arg(value_name = "IMAGE", required_unless_present = "camera")]
    pub images: Vec<PathBuf>,
    /// Read frames from this camera (numbered as `rolo scan cameras` lists them) until a code is found
    #[arg(long, value_name = "N", conflicts_with = "images")]
    pub camera: Option<u32>,
    /// The camera resolution to ask for, e.g. 1280x720
    #[arg(long, value_name = "WIDTHxHEIGHT", requires = "camera")]
    pub resolution: Option<crate::capture::Resolution>,
    /// How long to wait for a code from the camera
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Save the contact of each code (the contact with the same email is updated)
    #[arg(long)]
    pub save: bool,
    /// Print one JSON array with an object per image
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportVcardArgs {
    /// The vCard files; their cards are numbered 1, 2, 3… across all files in order
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Import every card
    #[arg(long, conflicts_with = "pick")]
    pub all: bool,
    /// Import only these cards, e.g. 1,3,5-7
    #[arg(long, value_name = "NUMBERS", value_parser = parse_card_numbers)]
    pub pick: Option<CardNumbers>,
    /// Also put the imported contacts on this static list (created if needed)
    #[arg(long = "list", value_name = "NAME")]
    pub list_name: Option<String>,
    /// Only report what would happen; nothing is written
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as one JSON object
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print one JSON array of contact objects instead of a table
    #[arg(long)]
    pub json: bool,
    /// Only contacts matching every word (start of a name, company, email, phone or notes word)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// List the trash instead of the live contacts
    #[arg(long)]
    pub trash: bool,
    /// Only members of this static list
    #[arg(long = "list", value_name = "NAME")]
    pub list_name: Option<String>,
    /// Sort by this column
    #[arg(long, value_enum, default_value_t = SortColumn::Name)]
    pub sort: SortColumn,
    /// Sort in descending order
    #[arg(long)]
    pub desc: bool,
    /// Show at most this many contacts
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortColumn {
    Name,
    Company,
    Email,
    Updated,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The contact's id, as `rolo list` shows it
    #[arg(value_name = "ID", value_parser = parse_contact_id)]
    pub contact_id: ContactId,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
    /// Also list every recorded change: time, property, value and source
    #[arg(long)]
    pub history: bool,
}

#[derive(Debug, Args)]
#[command(after_help = KEYS_HELP)]
pub struct AddArgs {
    /// A property value, e.g. --set first_name=Ada --set email=ada@example.com
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_assignment, required_unless_present = "custom_assignments")]
    pub assignments: Vec<Assignment>,
    /// A custom property value; the property is created if it does not exist yet
    #[arg(long = "custom", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub custom_assignments: Vec<Assignment>,
}

#[derive(Debug, Args)]
#[command(after_help = KEYS_HELP)]
pub struct EditArgs {
    /// The contact's id, as `rolo list` shows it
    #[arg(value_name = "ID", value_parser = parse_contact_id)]
    pub contact_id: ContactId,
    /// A property value, e.g. --set job_title=CTO; KEY= clears it
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_assignment, required_unless_present = "custom_assignments")]
    pub assignments: Vec<Assignment>,
    /// A custom property value; the property is created if it does not exist yet
    #[arg(long = "custom", value_name = "NAME=VALUE", value_parser = parse_assignment)]
    pub custom_assignments: Vec<Assignment>,
}

#[derive(Debug, Args)]
pub struct ContactIdsArgs {
    /// Contact ids, as `rolo list` shows them
    #[arg(value_name = "ID", required = true, value_parser = parse_contact_id)]
    pub contact_ids: Vec<ContactId>,
}

#[derive(Debug, Args)]
pub struct TrashArgs {
    /// Delete every contact in the trash for good, with its history
    #[arg(long)]
    pub empty: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write every live contact as a vCard
    Vcard {
        /// The vCard version to write
        #[arg(long = "version", value_enum, default_value_t = VcardVersionArg::V4)]
        version: VcardVersionArg,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output_path: Option<PathBuf>,
    },
    /// Write every live contact as one CSV row, under the column names HubSpot's import recognises
    Csv {
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output_path: Option<PathBuf>,
    },
    /// Write the opt-out list (unsubscribed addresses) as CSV: email, reasons, source, date
    OptOuts {
        /// Also write addresses that are on the do-not-email list only because they bounced
        #[arg(long)]
        with_bounces: bool,
        /// Write to this file instead of standard output
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output_path: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VcardVersionArg {
    #[value(name = "4.0", alias = "4")]
    V4,
    #[value(name = "3.0", alias = "3")]
    V3,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ListsArgs {
    #[command(subcommand)]
    pub action: Option<ListsCommand>,
    /// Print the lists as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ListsCommand {
    /// Create an empty static list
    Create {
        /// The list's name
        #[arg(value_name = "NAME")]
        list_name: String,
    },
    /// Put contacts on a list (created if needed)
    Add {
        /// The list's name
        #[arg(value_name = "NAME")]
        list_name: String,
        /// Contact ids, as `rolo list` shows them
        #[arg(value_name = "ID", required = true, value_parser = parse_contact_id)]
        contact_ids: Vec<ContactId>,
    },
    /// Take contacts off a list
    Remove {
        /// The list's name
        #[arg(value_name = "NAME")]
        list_name: String,
        /// Contact ids, as `rolo list` shows them
        #[arg(value_name = "ID", required = true, value_parser = parse_contact_id)]
        contact_ids: Vec<ContactId>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the value of a setting
    Get {
        /// The setting
        #[arg(value_enum)]
        key: ConfigKey,
    },
    /// Change a setting
    Set {
        /// The setting
        #[arg(value_enum)]
        key: ConfigKey,
        /// Its new value
        value: String,
    },
    /// Print every setting with its value
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConfigKey {
    /// The country phone numbers without a country code belong to (ISO 3166 code, e.g. DE)
    #[value(name = "default_region")]
    DefaultRegion,
    /// The lifecycle stage of contacts created by a scan (default subscriber)
    #[value(name = "scan_lifecycle_default")]
    ScanLifecycleDefault,
    /// Whether saving a scan may replace a contact's owner: true or false (default false)
    #[value(name = "scan_may_change_owner")]
    ScanMayChangeOwner,
    /// The camera the scanner opens, as numbered by `rolo scan cameras` (default 0)
    #[value(name = "camera")]
    Camera,
    /// The languages the card scanner reads, e.g. eng or eng+deu (default: English and the locale's)
    #[value(name = "ocr_language")]
    OcrLanguage,
    /// Whether the card scanner captures by itself once a card is sharp and still (default true)
    #[value(name = "card_auto_capture")]
    CardAutoCapture,
}

/// `KEY=VALUE` from `--set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub key: String,
    pub value: String,
}

/// The card numbers of `--pick`, 1-based, as the user wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardNumbers(pub Vec<RangeInclusive<usize>>);

impl Cli {
    /// `--db` or `ROLO_DB`, else `rolo.db` in the platform's data directory.
    pub fn database_path(&self) -> anyhow::Result<PathBuf> {
        if let Some(path) = &self.database_path {
            return Ok(path.clone());
        }
        let project_directories = directories::ProjectDirs::from("", "", "rolo")
            .context("cannot find a data directory for the contact database (is HOME set?); pass --db PATH")?;
        Ok(project_directories.data_dir().join("rolo.db"))
    }

    /// `rolo.log` beside the default database in the data directory: where the TUI's stderr
    /// (notes of the OCR libraries, panics) goes.
    pub fn log_path(&self) -> Option<PathBuf> {
        let project_directories = directories::ProjectDirs::from("", "", "rolo")?;
        Some(project_directories.data_dir().join("rolo.log"))
    }

    /// The scanner's source chosen on the command line: `--camera`, `--scan-from` (with
    /// `--replay-fps`); `None` leaves it to the `camera` setting.
    pub fn scan_source(&self) -> anyhow::Result<Option<crate::capture::SourceSpec>> {
        use crate::capture::SourceSpec;
        if self.camera.is_some() || self.camera_resolution.is_some() {
            let index = match self.camera {
                Some(index) => index,
                None => crate::store::Store::open(&self.database_path()?)?.camera_index()?,
            };
            return Ok(Some(SourceSpec::Camera { index, resolution: self.camera_resolution }));
        }
        let Some(path) = &self.scan_from else { return Ok(None) };
        if !path.exists() {
            anyhow::bail!("--scan-from: no such file or folder: {}", path.display());
        }
        Ok(Some(match self.replay_fps {
            Some(fps) if !(fps > 0.0 && fps <= 120.0) => anyhow::bail!("--replay-fps must be between 0 and 120"),
            Some(fps) if path.is_dir() => {
                let mut paths: Vec<PathBuf> = std::fs::read_dir(path)
                    .with_context(|| format!("reading the folder {}", path.display()))?
                    .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                    .filter(|path| path.is_file() && crate::capture::is_image_file_name(path))
                    .collect();
                paths.sort();
                SourceSpec::Replay { paths, fps }
            }
            Some(_) => anyhow::bail!("--replay-fps needs a folder of pictures"),
            None if path.is_dir() => SourceSpec::Folder { path: path.clone(), is_watched: true },
            None => SourceSpec::ImageFile(path.clone()),
        }))
    }
}

impl Command {
    /// Runs the subcommand against an open store, writing its results to `out`.
    pub fn run(self, store: &mut Store, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
        match self {
            Command::Import(ImportCommand::Vcard(args)) => import::import_vcard(store, &args, out),
            Command::Scan(ScanCommand::Qr(args)) => scan::scan_qr(store, &args, out),
            Command::Scan(ScanCommand::Card(args)) => scan_card::scan_card(store, &args, out),
            Command::Scan(ScanCommand::Cameras) => scan::list_cameras(out),
            Command::Import(ImportCommand::Csv(args)) => import_csv::import_csv(store, &args, out),
            Command::Imports(args) => import_csv::imports(store, &args, out),
            Command::List(args) => list::list(store, &args, out),
            Command::Show(args) => show::show(store, &args, out),
            Command::Add(args) => contacts::add(store, &args, out),
            Command::Edit(args) => contacts::edit(store, &args, out),
            Command::Delete(args) => contacts::delete(store, &args.contact_ids, out),
            Command::Restore(args) => contacts::restore(store, &args.contact_ids, out),
            Command::Trash(args) => contacts::trash(store, &args, out),
            Command::Export(command) => export::export(store, &command, out),
            Command::Lists(args) => lists::lists(store, &args, out),
            Command::Config(command) => config::config(store, &command, out),
            Command::Demo => import::load_demo(store, out),
        }
    }
}

impl SortColumn {
    pub fn sort_key(self) -> SortKey {
        match self {
            SortColumn::Name => SortKey::Name,
            SortColumn::Company => SortKey::Company,
            SortColumn::Email => SortKey::Email,
            SortColumn::Updated => SortKey::Updated,
        }
    }
}

impl CardNumbers {
    /// The chosen 0-based card indices in order without repeats; an error names a number
    /// outside 1..=`n_cards`.
    pub fn indices(&self, n_cards: usize) -> anyhow::Result<Vec<usize>> {
        let mut is_chosen = vec![false; n_cards];
        for range in &self.0 {
            for number in [*range.start(), *range.end()] {
                if number == 0 || number > n_cards {
                    anyhow::bail!(
                        "there is no card {number}: the files hold {n_cards} card{} (numbered from 1)",
                        if n_cards == 1 { "" } else { "s" }
                    );
                }
            }
            is_chosen[range.start() - 1..*range.end()].fill(true);
        }
        Ok(is_chosen.iter().enumerate().filter(|(_, is_chosen)| **is_chosen).map(|(index, _)| index).collect())
    }
}

/// The message `rolo: …` prints for an error: the context, then each cause that the text
/// so far does not already contain (store and import errors name their cause themselves).
pub fn error_message(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    crate::model::sanitize_line(&message)
}

/// True when the error only says that whoever reads our output went away (`rolo list | head`).
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        // The JSON and CSV writers wrap the io::Error instead of giving it as their source.
        let io_error_kind = if let Some(json_error) = cause.downcast_ref::<serde_json::Error>() {
            json_error.io_error_kind()
        } else if let Some(csv::ErrorKind::Io(io_error)) = cause.downcast_ref::<csv::Error>().map(csv::Error::kind) {
            Some(io_error.kind())
        } else {
            cause.downcast_ref::<io::Error>().map(io::Error::kind)
        };
        io_error_kind == Some(io::ErrorKind::BrokenPipe)
    })
}

fn parse_contact_id(text: &str) -> Result<ContactId, String> {
    let digits = text.trim().trim_start_matches('#');
    match digits.parse::<i64>() {
        Ok(id) if id > 0 => Ok(ContactId(id)),
        _ => Err(format!("{text:?} is not a contact id (a number as `rolo list` shows it)")),
    }
}

fn parse_assignment(text: &str) -> Result<Assignment, String> {
    let (key, value) = text.split_once('=').ok_or_else(|| format!("{text:?} is not KEY=VALUE"))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(format!("{text:?} has no property key before ="));
    }
    Ok(Assignment { key: key.to_string(), value: value.to_string() })
}

fn parse_preset(text: &str) -> Result<CsvPreset, String> {
    text.parse()
}

fn parse_column_mapping(text: &str) -> Result<ColumnMapping, String> {
    let (column, target) = text.rsplit_once('=').ok_or_else(|| format!("{text:?} is not COLUMN=PROPERTY"))?;
    if column.trim().is_empty() {
        return Err(format!("{text:?} has no column name before ="));
    }
    Ok(ColumnMapping { column: column.trim().to_string(), target: target.parse()? })
}

fn parse_encoding(text: &str) -> Result<TextEncoding, String> {
    TextEncoding::from_label(text)
        .ok_or_else(|| format!("unknown encoding {text:?}: try utf-8, utf-16le, windows-1252, latin1"))
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "\t" | "\\t" | "tab" => Ok(b'\t'),
        "|" | "pipe" => Ok(b'|'),
        other if other.len() == 1 && other.is_ascii() => Ok(other.as_bytes()[0]),
        other => Err(format!("{other:?} is not a delimiter: use , ; tab or |")),
    }
}

fn parse_card_numbers(text: &str) -> Result<CardNumbers, String> {
    let invalid = || format!("{text:?} is not a list of card numbers like 1,3,5-7");
    let mut ranges = Vec::new();
    for part in text.split(',').map(str::trim).filter(|part| !part.is_empty()) {
        let (start, end) = part.split_once('-').unwrap_or((part, part));
        let start: usize = start.trim().parse().map_err(|_| invalid())?;
        let end: usize = end.trim().parse().map_err(|_| invalid())?;
        if start > end {
            return Err(format!("{part:?} runs backwards; write {end}-{start}"));
        }
        ranges.push(start..=end);
    }
    if ranges.is_empty() {
        return Err(invalid());
    }
    Ok(CardNumbers(ranges))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_accept_lists_and_ranges() {
        let numbers = parse_card_numbers("1, 3,5-7,6").unwrap();
        assert_eq!(numbers.indices(8).unwrap(), vec![0, 2, 4, 5, 6]);
        assert!(numbers.indices(6).unwrap_err().to_string().contains("no card 7"));
        assert!(parse_card_numbers("0").unwrap().indices(3).is_err());
        assert!(parse_card_numbers("7-5").is_err());
        assert!(parse_card_numbers("a").is_err());
        assert!(parse_card_numbers(",").is_err());
    }

    #[test]
    fn assignments_split_at_the_first_equals_sign() {
        assert_eq!(parse_assignment("notes=a=b").unwrap(), Assignment { key: "notes".into(), value: "a=b".into() });
        assert_eq!(parse_assignment("city=").unwrap().value, "");
        assert!(parse_assignment("city").is_err());
        assert!(parse_assignment("=x").is_err());
    }

    #[test]
    fn contact_ids_are_positive_numbers() {
        assert_eq!(parse_contact_id("#12"), Ok(ContactId(12)));
        assert!(parse_contact_id("0").is_err());
        assert!(parse_contact_id("ada").is_err());
    }

    #[test]
    fn error_message_skips_causes_already_said() {
        let inner = anyhow::anyhow!("permission denied");
        let error = inner.context("cannot open the contact database /x.db: permission denied").context("starting");
        assert_eq!(error_message(&error), "starting: cannot open the contact database /x.db: permission denied");
        let escape = anyhow::anyhow!("bad\u{1b}[2J name");
        assert_eq!(error_message(&escape), "bad[2J name");
    }

    #[test]
    fn definitions_are_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
