//! Generated address books for benchmarks and robustness tests: deterministic, realistic
//! enough (names, emails at company and free-mail domains, phones, addresses, notes).

const FIRST_NAMES: [&str; 16] = [
    "Ada",
    "Grace",
    "Alan",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Tim",
    "Hedy",
    "John",
    "Katherine",
    "Niklaus",
];
const LAST_NAMES: [&str; 16] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "Dijkstra",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "McCarthy",
    "Johnson",
    "Wirth",
];
const COMPANIES: [(&str, &str); 8] = [
    ("Analytical Engines Ltd", "analytical.example"),
    ("Navy Labs", "navylabs.example"),
    ("Bletchley Park GmbH", "bletchley.example"),
    ("Kernel AB", "kernel.example"),
    ("Apollo Guidance Inc.", "apollo.example"),
    ("Bell Works LLC", "bellworks.example"),
    ("gmail", "gmail.com"),
    ("web", "web.de"),
];

/// `count` vCard 3.0 cards with unique emails, as one file's text.
pub fn vcard_file(count: usize) -> String {
    let mut text = String::with_capacity(count * 420);
    for index in 0..count {
        let first = FIRST_NAMES[index % FIRST_NAMES.len()];
        let last = LAST_NAMES[(index / FIRST_NAMES.len()) % LAST_NAMES.len()];
        let (company, domain) = COMPANIES[(index * 7) % COMPANIES.len()];
        let local = format!("{}.{}{}", first.to_lowercase(), last.to_lowercase(), index);
        text.push_str(&format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:{last};{first};;;\r\nFN:{first} {last}\r\n\
             EMAIL;TYPE=INTERNET,WORK:{local}@{domain}\r\nTEL;TYPE=CELL:+1 650 555 {:04}\r\n\
             TEL;TYPE=WORK,VOICE:+49 30 {:06}\r\nORG:{company}\r\nTITLE:Engineer\r\n\
             ADR;TYPE=WORK:;;{} Main Street;Springfield;IL;62701;USA\r\n\
             NOTE:Met at booth {}\\, asked about pricing\r\nEND:VCARD\r\n",
            index % 10_000,
            index % 1_000_000,
            index % 900 + 1,
            index % 97
        ));
    }
    text
}
