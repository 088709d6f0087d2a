//! Parser tests: whole inputs in, cards (as one summary line each) and warnings out.

use super::*;

/// One line per card: the fields the corpus checks, those that are present.
fn summary(card: &Card) -> String {
    let mut fields = Vec::new();
    if let Some(version) = &card.version {
        fields.push(format!("v{version}"));
    }
    if let Some(formatted_name) = card.formatted_name() {
        fields.push(format!("fn={formatted_name}"));
    }
    if let Some(name_parts) = card.name_parts() {
        fields.push(format!("n={}", name_parts.join("|")));
    }
    for (label, values) in [("emails", card.emails()), ("phones", card.phones())] {
        if !values.is_empty() {
            fields.push(format!("{label}={}", values.join(",")));
        }
    }
    for (label, value) in [("org", card.org()), ("title", card.title())] {
        if let Some(value) = value {
            fields.push(format!("{label}={value}"));
        }
    }
    fields.join(" ")
}

fn check(input: &[u8], expected_cards: &[&str], expected_warnings: &[&str]) {
    let parsed = parse_vcards(input).unwrap_or_else(|error| panic!("{error} for {:?}", String::from_utf8_lossy(input)));
    let cards: Vec<String> = parsed.cards.iter().map(summary).collect();
    let warnings: Vec<String> = parsed.warnings.iter().map(Warning::to_string).collect();
    assert_eq!(cards, expected_cards, "input: {:?}", String::from_utf8_lossy(input));
    assert_eq!(warnings, expected_warnings, "input: {:?}", String::from_utf8_lossy(input));
    // Cut into pieces parsed side by side, as large files are, the result is the same.
    for n_threads in [2, 3, 7] {
        assert_eq!(parse_vcards_on(input, n_threads).ok(), Some(parsed.clone()), "{n_threads} pieces: {input:?}");
    }
}

#[test]
fn pieces_are_cut_only_between_cards() {
    let card = |name: &str, ending: &str| {
        ["BEGIN:VCARD", "VERSION:2.1", &format!("FN:{name}"), "NOTE;QUOTED-PRINTABLE:a=", "b", "END:VCARD", ""]
            .join(ending)
    };
    let text =
        [card("Ann", "\r\n"), card("Bo", "\n"), "garbage\n".to_string(), card("Cy", "\r\n"), card("Di", "\r")].concat();
    let pieces = split_at_cards(text.as_bytes(), 4);
    let names: Vec<Vec<&str>> = pieces
        .iter()
        .map(|piece| std::str::from_utf8(piece).expect("UTF-8").split("FN:").skip(1).map(|rest| &rest[..2]).collect())
        .collect();
    // No cut after "garbage" (not an END:VCARD line).
    assert_eq!(names, [vec!["An"], vec!["Bo", "Cy"], vec!["Di"]]);
    assert!(pieces.iter().all(|piece| piece.starts_with(b"BEGIN:VCARD")));
    assert_eq!(pieces.concat(), text.as_bytes());
    let whole = parse_vcards_on(text.as_bytes(), 1).expect("parses");
    let cut = parse_vcards_on(text.as_bytes(), 4).expect("parses");
    assert_eq!(cut, whole);
    assert_eq!(cut.cards.iter().map(|card| card.line_number).collect::<Vec<_>>(), [1, 7, 14, 20]);
    assert_eq!(cut.warnings.len(), 1, "{:?}", cut.warnings);
    assert_eq!(cut.warnings[0].line_number, 13);
}

#[test]
fn versions_folding_and_line_endings() {
    check(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Love\r\n lace\r\nEMAIL;TYPE=INTER\r\n NET:ada@ex\r\n\tample.com\r\nEND:VCARD\r\n",
        &["v3.0 fn=Ada Lovelace emails=ada@example.com"],
        &[],
    );
    check(b"begin:vcard\nfn:Ada\rTEL:1\r\nEnd:VCard", &["fn=Ada phones=1"], &[]);
    check(
        b"\xEF\xBB\xBFBEGIN:VCARD\nVERSION:4.0\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\nEND:VCARD\n\n",
        &["v4.0 fn=A", "fn=B"],
        &[],
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("BEGIN:VCARD\r\nFN:Zoë 王\r\nEND:VCARD".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    check(&utf16, &["fn=Zoë 王"], &[]);
}

#[test]
fn quoted_printable_and_charsets() {
    check(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Zo=C3=AB =\r\nL=C3=B6we\r\nNOTE;QUOTED-PRINTABLE:a=0D=0Ab=\r\n\r\nTITLE:Boss\r\nEND:VCARD",
        &["v2.1 fn=Zoë Löwe title=Boss"],
        &[],
    );
    check(
        b"BEGIN:VCARD\nFN;CHARSET=ISO-8859-1:Zo\xeb\nORG;CHARSET=windows-1252:Caf\xe9\nEND:VCARD",
        &["fn=Zoë org=Café"],
        &[],
    );
    // Shift_JIS without a CHARSET, whose 0x5C bytes are not backslashes.
    let shift_jis = b"BEGIN:VCARD\nVERSION:2.1\nFN:\x88\xc9\x94\\ \x8c\\\x88\xea\nN:\x88\xc9\x94\\;\x8c\\\x88\xea;;;\nNOTE:\x93\xfa\x96{\x8c\xea\x82\xcc\x83e\x83L\x83X\x83g\x82\xc5\x82\xb7\x81B\nEND:VCARD\n";
    check(shift_jis, &["v2.1 fn=伊能 圭一 n=伊能|圭一|||"], &[]);
}

#[test]
fn nested_and_unterminated_cards() {
    check(
        b"BEGIN:VCARD\nN:parent\nBEGIN:VCARD\nN:child\nEND:VCARD\nTEL:1\nEND:VCARD\n",
        &["n=child|||| ", "n=parent|||| phones=1"].map(str::trim_end),
        &[],
    );
    check(
        b"BEGIN:VCARD\nFN:A\nEND:VCARD\nBEGIN:VCARD\nFN:B\nBEGIN:VCARD\nFN:C",
        &["fn=A", "fn=C", "fn=B"],
        &[
            "card 2, line 6: the card has no END:VCARD; it ends at the end of the file",
            "card 3, line 4: the card has no END:VCARD; it ends at the end of the file",
        ],
    );
}

#[test]
fn broken_lines_become_warnings() {
    check(
        b"From: someone\nSubject: contacts\n\nBEGIN:VCARD\nFN:A\ntwo words: here\nPHOTO;ENCODING=b:not base64!\nEND:VCARD\nEND:VCARD\ntrailer: x\n",
        &["fn=A"],
        &[
            "line 1: ignored 2 lines outside any card",
            "card 1, line 6: skipped a line that has no valid property name before its colon",
            "card 1, line 7: dropped a PHOTO that is not valid base64",
            "line 9: END:VCARD without a BEGIN:VCARD was ignored",
            "line 10: ignored a line outside any card",
        ],
    );
}

#[test]
fn values_keep_escapes_and_control_characters_as_data() {
    check(
        b"BEGIN:VCARD\nFN:Ada\x1b[2J\x07 \\, Esq.\\nII\nTEL;VALUE=uri:TEL:+1-555;ext=2\nEMAIL:MAILTO:a@b\nORG:A\\;B;C\nEND:VCARD",
        &["fn=Ada\u{1b}[2J\u{7} , Esq.\nII emails=a@b phones=+1-555;ext=2 org=A;B"],
        &[],
    );
    // IM addresses and AGENT cards are not this contact's emails and phones.
    check(
        b"BEGIN:VCARD\nVERSION:3.0\nFN:A\nX-SIP:1@sip\nIMPP:xmpp:a@b\nX-MS-TEL:2\nAGENT:BEGIN:VCARD\\nTEL:3\\nEMAIL:c@d\\nEND:VCARD\nMEMBER:mailto:e@f\nEND:VCARD",
        &["v3.0 fn=A"],
        &[],
    );
}

#[test]
fn inputs_without_cards_are_errors() {
    for input in [&b""[..], b"   \r\n\n", b"\xEF\xBB\xBF"] {
        assert!(matches!(parse_vcards(input), Err(Error::Empty { path: None })), "{input:?}");
    }
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    for input in [&binary[..], b"FN:Ada\nEND:VCARD\n", b"just some text"] {
        let error = parse_vcards(input).unwrap_err();
        assert!(matches!(error, Error::NotVcard { path: None }), "{error}");
    }
    let error = read_vcard_file(Path::new("/nonexistent/contacts.vcf")).unwrap_err();
    assert_eq!(error.to_string(), "cannot read /nonexistent/contacts.vcf");
    let empty_file = tempfile::NamedTempFile::new().unwrap();
    let error = read_vcard_file(empty_file.path()).unwrap_err();
    assert_eq!(error.to_string(), format!("{} is empty", empty_file.path().display()));
}

#[test]
fn large_inputs_parse_in_linear_time() {
    // A card with 10,000 properties.
    let mut card = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many\r\n");
    for index in 0..10_000 {
        card.push_str(&format!("item{index}.TEL:{index}\r\nitem{index}.X-ABLabel:label {index}\r\n"));
    }
    card.push_str("END:VCARD\r\n");
    let parsed = parse_vcards(card.as_bytes()).unwrap();
    assert_eq!(parsed.cards[0].properties.len(), 20_002);
    let draft = parsed.cards[0].to_draft();
    assert_eq!(draft.additional_phones.len(), 9_999);
    assert_eq!(draft.additional_phones[9_998].kind, "label 9999");

    // One value folded 200,000 times, and a 2.1 base64 value over 200,000 lines.
    let folded = format!("BEGIN:VCARD\nNOTE:{}\nEND:VCARD", "x\n ".repeat(200_000));
    assert_eq!(parse_vcards(folded.as_bytes()).unwrap().cards[0].properties[0].value.len(), 200_000);
    let base64 = format!("BEGIN:VCARD\nPHOTO;BASE64:\n{}\nEND:VCARD", "QUFB\n".repeat(200_000));
    assert_eq!(parse_vcards(base64.as_bytes()).unwrap().cards[0].properties[0].value.len(), 800_000);

    // Many cards: about 6 MB.
    let many_cards =
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n".repeat(80_000);
    assert_eq!(parse_vcards(many_cards.as_bytes()).unwrap().cards.len(), 80_000);
}
