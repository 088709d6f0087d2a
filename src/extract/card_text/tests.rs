//! Whole cards through `read_card_text`: canned OCR text in several languages and layouts.

use super::*;
use crate::extract::ocr::{BoundingBox, OcrLine, OcrWord};
use Property::*;

/// Reads `text` (one OCR line per text line, all the same height) and compares every
/// suggestion with `expected`: nothing missing, nothing extra.
fn check(text: &str, region: &str, expected: &[(Property, &str)]) {
    check_page(&OcrPage::from_text(text), region, expected);
}

fn check_page(page: &OcrPage, region: &str, expected: &[(Property, &str)]) {
    let reading = read_card_text(page, region);
    let mut got: Vec<(Property, &str)> =
        reading.candidates.iter().map(|candidate| (candidate.property, candidate.value.as_str())).collect();
    let mut want = expected.to_vec();
    got.sort_by_key(|(property, value)| (property.key(), value.to_string()));
    want.sort_by_key(|(property, value)| (property.key(), value.to_string()));
    assert_eq!(got, want, "\n{}", reading.lines.join("\n"));
}

/// A page whose lines have the given font heights, top to bottom.
fn page_with_heights(lines: &[(&str, u32)]) -> OcrPage {
    let mut page = OcrPage::default();
    let mut y = 0;
    for (text, height) in lines {
        let mut x = 0;
        let mut words = Vec::new();
        for word in text.split_whitespace() {
            let width = word.chars().count() as u32 * height / 2;
            words.push(OcrWord {
                text: word.to_string(),
                bbox: BoundingBox { x, y, width, height: *height },
                confidence: 0.9,
            });
            x += width + height / 2;
        }
        let bbox = words.iter().fold(BoundingBox::default(), |bbox, word| bbox.union(&word.bbox));
        page.lines.push(OcrLine { words, bbox });
        y += height * 3 / 2;
    }
    page
}

#[test]
fn english_card_with_short_labels_and_us_address() {
    check(
        "PRISM LOGISTICS INC.
         CHRISTY SMITH
         Regional Sales Director
         T: +1 (790) 912-7629
         M: +1 (658) 268-1231
         F: +1 (897) 596-3544
         E: csmith@prismlogistics.com
         W: www.prismlogistics.com
         852 Daniel Club
         Jeremyshire, KY 22914
         USA",
        "US",
        &[
            (Company, "Prism Logistics Inc."),
            (FirstName, "Christy"),
            (LastName, "Smith"),
            (JobTitle, "Regional Sales Director"),
            (Phone, "+1 (790) 912-7629"),
            (MobilePhone, "+1 (658) 268-1231"),
            (Fax, "+1 (897) 596-3544"),
            (Email, "csmith@prismlogistics.com"),
            (Website, "www.prismlogistics.com"),
            (StreetAddress, "852 Daniel Club"),
            (City, "Jeremyshire"),
            (State, "KY"),
            (PostalCode, "22914"),
            (Country, "USA"),
        ],
    );
}

#[test]
fn german_card_with_long_labels() {
    check(
        "Vertex Robotics GmbH
         Käte Ackermann
         Leiterin Marketing
         Telefon: +49 30 901820
         Handy: +49 171 1234567
         Telefax: +49 30 901821
         E-Mail: kate.ackermann@vertexrobotics.de
         Internet: vertexrobotics.de
         Seifertplatz 31/33
         26835 Grimmen
         Deutschland",
        "DE",
        &[
            (Company, "Vertex Robotics GmbH"),
            (FirstName, "Käte"),
            (LastName, "Ackermann"),
            (JobTitle, "Leiterin Marketing"),
            (Phone, "+49 30 901820"),
            (MobilePhone, "+49 171 1234567"),
            (Fax, "+49 30 901821"),
            (Email, "kate.ackermann@vertexrobotics.de"),
            (Website, "vertexrobotics.de"),
            (StreetAddress, "Seifertplatz 31/33"),
            (PostalCode, "26835"),
            (City, "Grimmen"),
            (Country, "Deutschland"),
        ],
    );
}

#[test]
fn french_card_with_phones_on_one_line_and_a_two_part_city() {
    check(
        "Vertex Medical SA
         Joseph Dupré
         Ingénieur Logiciel
         Tél. +33 1 42 68 53 00  Fax +33 1 42 68 53 01
         Portable : 06 12 34 56 78
         Courriel : joseph(at)vertexmedical.fr
         97, chemin Jacqueline Bernard
         12757 Sainte Célina-la-Forêt",
        "FR",
        &[
            (Company, "Vertex Medical SA"),
            (FirstName, "Joseph"),
            (LastName, "Dupré"),
            (JobTitle, "Ingénieur Logiciel"),
            (Phone, "+33 1 42 68 53 00"),
            (Fax, "+33 1 42 68 53 01"),
            (MobilePhone, "06 12 34 56 78"),
            (Email, "joseph@vertexmedical.fr"),
            (StreetAddress, "97, chemin Jacqueline Bernard"),
            (PostalCode, "12757"),
            (City, "Sainte Célina-la-Forêt"),
        ],
    );
}

#[test]
fn spanish_card_with_a_two_word_first_name_told_by_the_email() {
    check(
        "Granite Systems S.A.
         VICTOR MANUEL GUAL
         Ingeniero de Software
         Tel. +34 24 257 79 54
         Móvil: +34 65 810 07 71
         Email vgual@granitesystems.es
         Web: www.granitesystems.es
         Alameda Alondra Jara 61
         Piso 2
         25197 Zamora
         España",
        "ES",
        &[
            (Company, "Granite Systems S.A."),
            (FirstName, "Victor Manuel"),
            (LastName, "Gual"),
            (JobTitle, "Ingeniero de Software"),
            (Phone, "+34 24 257 79 54"),
            (MobilePhone, "+34 65 810 07 71"),
            (Email, "vgual@granitesystems.es"),
            (Website, "www.granitesystems.es"),
            (StreetAddress, "Alameda Alondra Jara 61 Piso 2"),
            (PostalCode, "25197"),
            (City, "Zamora"),
            (Country, "España"),
        ],
    );
}

#[test]
fn dutch_card_with_a_particle_and_a_dutch_postal_code() {
    check(
        "Lola van Gelder
         Commercieel Directeur
         Kestrel Instruments N.V.
         T +31 20 555 12 34
         M +31 6 1234 5678
         lola@kestrelinstruments.nl
         kestrelinstruments.nl
         Keizersgracht 123
         1015 CJ Amsterdam
         Nederland",
        "NL",
        &[
            (FirstName, "Lola"),
            (LastName, "van Gelder"),
            (JobTitle, "Commercieel Directeur"),
            (Company, "Kestrel Instruments N.V."),
            (Phone, "+31 20 555 12 34"),
            (MobilePhone, "+31 6 1234 5678"),
            (Email, "lola@kestrelinstruments.nl"),
            (Website, "kestrelinstruments.nl"),
            (StreetAddress, "Keizersgracht 123"),
            (PostalCode, "1015 CJ"),
            (City, "Amsterdam"),
            (Country, "Nederland"),
        ],
    );
}

#[test]
fn swedish_card_without_labels_and_company_below_the_name() {
    check(
        "Marianne Malmberg
         VD
         Atlas Materials AB
         +46 8 123 456 78
         +46 70 123 45 67
         mmalmberg@atlasmaterials.se
         Ringtorget 1
         105 38 Nyköping",
        "SE",
        &[
            (FirstName, "Marianne"),
            (LastName, "Malmberg"),
            (JobTitle, "VD"),
            (Company, "Atlas Materials AB"),
            (Phone, "+46 8 123 456 78"),
            (MobilePhone, "+46 70 123 45 67"),
            (Email, "mmalmberg@atlasmaterials.se"),
            (StreetAddress, "Ringtorget 1"),
            (PostalCode, "105 38"),
            (City, "Nyköping"),
        ],
    );
}

#[test]
fn uk_card_with_a_postcode_after_the_town() {
    check(
        "Summit Networks PLC
         Brandon Hayes
         Account Executive
         Mobile 07700 900123
         brandon @summitnetworks.co.uk
         www.summitnetworks.co.uk
         Flat 5 Sian Route
         Palmerberg LN4V 4LG
         United, Kingdom",
        "GB",
        &[
            (Company, "Summit Networks PLC"),
            (FirstName, "Brandon"),
            (LastName, "Hayes"),
            (JobTitle, "Account Executive"),
            (MobilePhone, "07700 900123"),
            (Email, "brandon@summitnetworks.co.uk"),
            (Website, "www.summitnetworks.co.uk"),
            (StreetAddress, "Flat 5 Sian Route"),
            (City, "Palmerberg"),
            (PostalCode, "LN4V 4LG"),
            (Country, "United Kingdom"),
        ],
    );
}

/// A country name OCR misread by a letter is the country when the card's phone numbers
/// or domains belong to it, and is left alone when they point elsewhere.
#[test]
fn misread_country_confirmed_by_the_phones_and_domains() {
    let card = |phone: &str, domain: &str| {
        format!(
            "Falcon Capital Ltd
             Jean Birch
             Tel {phone}
             jean@falcon{domain}
             4 Kerry Ridges
             East Nathanton E6E 3RZ
             Tnited Kingdom"
        )
    };
    let expected = |country: Option<&'static str>, phone: &'static str, domain: &'static str| {
        let mut fields = vec![
            (Company, "Falcon Capital Ltd"),
            (FirstName, "Jean"),
            (LastName, "Birch"),
            (Phone, phone),
            (Email, domain),
            (StreetAddress, "4 Kerry Ridges"),
            (City, "East Nathanton"),
            (PostalCode, "E6E 3RZ"),
        ];
        fields.extend(country.map(|country| (Country, country)));
        fields
    };
    check(
        &card("+44 29 025 78 39", ".com"),
        "US",
        &expected(Some("United Kingdom"), "+44 29 025 78 39", "jean@falcon.com"),
    );
    check(&card("0290 257839", ".co.uk"), "US", &expected(Some("United Kingdom"), "0290 257839", "jean@falcon.co.uk"));
    // Nothing on the card says United Kingdom: the line stays unread.
    let reading = read_card_text(&OcrPage::from_text(&card("+49 29 025 78 39", ".de")), "DE");
    assert!(reading.candidates.iter().all(|candidate| candidate.property != Country), "{:?}", reading.candidates);
}

#[test]
fn italian_card_in_capitals_with_cell_label() {
    check(
        "Blue Medical S.p.A.
         GIANPIETRO SGALAMBRO
         Responsabile Marketing
         Cell.: +39 347 123 4567
         gianpietro@bluemedical.it
         Viale Samele, 60
         57125 Ruffia
         Italia",
        "IT",
        &[
            (Company, "Blue Medical S.p.A."),
            (FirstName, "Gianpietro"),
            (LastName, "Sgalambro"),
            (JobTitle, "Responsabile Marketing"),
            (MobilePhone, "+39 347 123 4567"),
            (Email, "gianpietro@bluemedical.it"),
            (StreetAddress, "Viale Samele, 60"),
            (PostalCode, "57125"),
            (City, "Ruffia"),
            (Country, "Italia"),
        ],
    );
}

#[test]
fn danish_card_with_a_four_digit_postal_code() {
    check(
        "Nordisk Byg A/S
         Mette Kjær
         Salgschef
         Tlf. 33 12 34 56
         Mobil 20 12 34 56
         mk@nordiskbyg.dk
         Nørrebrogade 12
         2200 København N",
        "DK",
        &[
            (Company, "Nordisk Byg A/S"),
            (FirstName, "Mette"),
            (LastName, "Kjær"),
            (JobTitle, "Salgschef"),
            (Phone, "33 12 34 56"),
            (MobilePhone, "20 12 34 56"),
            (Email, "mk@nordiskbyg.dk"),
            (StreetAddress, "Nørrebrogade 12"),
            (PostalCode, "2200"),
            (City, "København N"),
        ],
    );
}

#[test]
fn ocr_debris_and_glued_labels_are_cleaned() {
    check(
        "| Solar Networks N.V. ee
         Hanna Hermans —
         Algemeen Directeur
         Ehanna.hermans@solarnetworks.nl
         T:+31 57 285 43 00",
        "NL",
        &[
            (Company, "Solar Networks N.V."),
            (FirstName, "Hanna"),
            (LastName, "Hermans"),
            (JobTitle, "Algemeen Directeur"),
            (Email, "hanna.hermans@solarnetworks.nl"),
            (Phone, "+31 57 285 43 00"),
        ],
    );
}

#[test]
fn the_largest_line_is_the_name_when_nothing_else_tells() {
    let page = page_with_heights(&[
        ("Cobalt Consulting", 30),
        ("Sam Duncan", 48),
        ("Tom Baker", 20),
        ("Account Executive", 22),
        ("sam@example.com", 20),
    ]);
    check_page(
        &page,
        "GB",
        &[
            (Company, "Cobalt Consulting"),
            (FirstName, "Sam"),
            (LastName, "Duncan"),
            (JobTitle, "Account Executive"),
            (Email, "sam@example.com"),
        ],
    );
}

#[test]
fn the_name_agreeing_with_the_email_wins_over_a_bigger_line() {
    let page = page_with_heights(&[
        ("Helix Design", 50),
        ("Danielle Estes", 26),
        ("Head of Sales", 20),
        ("danielle.estes@helixdesign.com", 18),
    ]);
    check_page(
        &page,
        "US",
        &[
            (Company, "Helix Design"),
            (FirstName, "Danielle"),
            (LastName, "Estes"),
            (JobTitle, "Head of Sales"),
            (Email, "danielle.estes@helixdesign.com"),
        ],
    );
}

#[test]
fn extra_emails_and_phones_are_kept_as_additional() {
    check(
        "Jane Doe
         Tel +44 20 7946 0958
         Tel +44 20 7946 0959
         jane@doe.co.uk
         info@doe.co.uk",
        "GB",
        &[
            (FirstName, "Jane"),
            (LastName, "Doe"),
            (Phone, "+44 20 7946 0958"),
            (AdditionalPhones, "+44 20 7946 0959"),
            (Email, "jane@doe.co.uk"),
            (AdditionalEmails, "info@doe.co.uk"),
        ],
    );
}

#[test]
fn one_line_carries_several_suggestions() {
    let reading = read_card_text(
        &OcrPage::from_text("Jane Doe\nTel +31 22 590 83 01  Fax +31 30 499 12 32\n12757 Sainte Célina-la-Forêt"),
        "NL",
    );
    let properties = |line: usize| -> Vec<Property> {
        let mut properties: Vec<Property> =
            reading.line_suggestions(line).iter().map(|candidate| candidate.property).collect();
        properties.sort_by_key(|property| property.key());
        properties
    };
    assert_eq!(properties(0), [FirstName, LastName]);
    assert_eq!(properties(1), [Fax, Phone]);
    assert_eq!(properties(2), [City, PostalCode]);
    let draft = reading.to_draft();
    assert_eq!(draft.get(Property::City), Some("Sainte Célina-la-Forêt"));
}

#[test]
fn doubtful_guesses_have_low_confidence() {
    let reading = read_card_text(&OcrPage::from_text("Kestrel\n0612345678 and more"), "NL");
    for candidate in &reading.candidates {
        assert!(candidate.confidence <= 1.0 && candidate.confidence >= 0.0);
    }
    let sure = read_card_text(&OcrPage::from_text("E: jane@doe.com"), "US");
    assert!(sure.best(Email).is_some_and(|candidate| candidate.confidence >= LOW_CONFIDENCE));
}

/// A page from `text` with the words containing `doubtful` read at confidence 0.4.
fn page_with_doubtful_word(text: &str, doubtful: &str) -> OcrPage {
    let mut page = OcrPage::from_text(text);
    for word in page.lines.iter_mut().flat_map(|line| &mut line.words) {
        if word.text.contains(doubtful) {
            word.confidence = 0.4;
        }
    }
    page
}

#[test]
fn an_unsure_email_is_mended_from_the_name_and_company_printed_on_the_card() {
    let text = "Tidewater Labs Ltd
         Paula Meyer
         Head of Sales
         E: pmeyr@tidewater1abs.co.uk
         W: wvw tidewaterlabs.co.uk";
    let expected = [
        (Company, "Tidewater Labs Ltd"),
        (FirstName, "Paula"),
        (LastName, "Meyer"),
        (JobTitle, "Head of Sales"),
        (Email, "pmeyer@tidewaterlabs.co.uk"),
        (Website, "www.tidewaterlabs.co.uk"),
    ];
    check_page(&page_with_doubtful_word(text, "@"), "GB", &expected);
    // Read surely, the address is taken as printed: it may really differ from the name.
    let reading = read_card_text(&OcrPage::from_text(text), "GB");
    assert_eq!(reading.best(Email).map(|email| email.value.as_str()), Some("pmeyr@tidewater1abs.co.uk"));
}

#[test]
fn an_email_with_a_misread_at_sign_is_found_by_the_website_domain() {
    check(
        "Paula Meyer
         Email p.meyerQtidewaterlabs.com
         Web: www.tidewaterlabs.com",
        "US",
        &[
            (FirstName, "Paula"),
            (LastName, "Meyer"),
            (Email, "p.meyer@tidewaterlabs.com"),
            (Website, "www.tidewaterlabs.com"),
        ],
    );
}

#[test]
fn a_dot_read_as_a_space_in_the_email_is_restored_from_the_name() {
    check(
        "Paula Meyer
         E-mail: paula meyer@tidewaterlabs.com",
        "US",
        &[(FirstName, "Paula"), (LastName, "Meyer"), (Email, "paula.meyer@tidewaterlabs.com")],
    );
}

#[test]
fn garbage_does_not_panic() {
    let long_line = "x@".repeat(5_000) + &"+1 ".repeat(5_000) + &"é".repeat(5_000);
    let many_lines = "Jane Doe\n+1 555 0100\n".repeat(5_000);
    for text in ["", "a", "@", "+", "|", "1", ".", "@.@", "a@b", "(at)", long_line.as_str(), many_lines.as_str()] {
        let reading = read_card_text(&OcrPage::from_text(text), "US");
        let _ = reading.to_draft();
        let _ = reading.line_suggestions(0);
    }
    let _ = read_card_text(&OcrPage::default(), "");
    let _ = read_card_text(&OcrPage::from_text("Jane Doe"), "not a region");
}

proptest::proptest! {
    #[test]
    fn any_text_reads_without_panicking(text in "\\PC{0,300}") {
        let reading = read_card_text(&OcrPage::from_text(&text), "DE");
        for candidate in &reading.candidates {
            proptest::prop_assert!(candidate.line < reading.lines.len());
            proptest::prop_assert!(!candidate.value.is_empty());
        }
    }
}
