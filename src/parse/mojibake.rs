//! Recognising and undoing mojibake: UTF-8 text that someone decoded with the
//! wrong code page.
//!
//! Briefs arrive from newsletters and chat tools whose emoji were written as
//! UTF-8 and read back as Windows-1252 (`ðŸ“‰` for 📉, `â€”` for —) or as
//! ISO-8859-7 with the C1 control bytes dropped (`π` for 📉, `β` for —). This
//! module maps such characters back to the bytes they came from, tells whether
//! a token is what is left of an emoji or a dash, and repairs a run of text
//! only when the repair is lossless (the bytes form valid UTF-8 again). It
//! knows nothing of briefs or lines; `parse` decides where to use it.

/// Windows-1252's characters for bytes 0x80..=0x9F; `None` where the code
/// page leaves the byte undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// Decodes one byte as Windows-1252, `None` for the five undefined bytes.
pub fn cp1252_char(byte: u8) -> Option<char> {
    match byte {
        0x80..=0x9F => CP1252_HIGH[usize::from(byte - 0x80)],
        _ => Some(char::from(byte)),
    }
}

/// The Windows-1252 byte that decodes to `c`, if any.
fn cp1252_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    if code < 0x80 || (0xA0..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|&mapped| mapped == Some(c))
        .and_then(|i| u8::try_from(0x80 + i).ok())
}

/// The ISO-8859-7 (Greek) byte that decodes to `c`, if any. Bytes 0x80..=0x9F
/// are C1 controls there, which is why they vanish from damaged text.
fn iso8859_7_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    let byte = match code {
        0x00..=0x9F => code,
        0xA0 | 0xA3 | 0xA6..=0xA9 | 0xAB..=0xAD | 0xB0..=0xB3 | 0xB7 | 0xBB | 0xBD => code,
        0x2018 => 0xA1,
        0x2019 => 0xA2,
        0x20AC => 0xA4,
        0x20AF => 0xA5,
        0x037A => 0xAA,
        0x2015 => 0xAF,
        0x0384..=0x0386 => code - 0x0384 + 0xB4,
        0x0388..=0x038A => code - 0x0388 + 0xB8,
        0x038C => 0xBC,
        0x038E..=0x03A1 => code - 0x038E + 0xBE,
        0x03A3..=0x03CE => code - 0x03A3 + 0xD3,
        _ => return None,
    };
    u8::try_from(byte).ok()
}

/// The bytes `token` came from, read back through one code page, trying
/// Windows-1252 first and ISO-8859-7 second. `None` when neither maps every
/// character.
fn source_bytes(token: &str) -> Option<Vec<u8>> {
    let through = |map: fn(char) -> Option<u8>| token.chars().map(map).collect::<Option<Vec<u8>>>();
    through(cp1252_byte).or_else(|| through(iso8859_7_byte))
}

fn is_continuation(byte: u8) -> bool {
    (0x80..=0xBF).contains(&byte)
}

/// True when `token` is what is left of an emoji (or other symbol) after its
/// UTF-8 bytes were decoded with the wrong code page, possibly with bytes
/// dropped: it must start with the lead byte of a three- or four-byte UTF-8
/// sequence, and any later lead byte must be one that emoji sequences carry
/// (0xE2 for symbols and the zero-width joiner, 0xEF for the variation
/// selector, 0xF0 for pictographs). A Greek word such as `βία` fails, since
/// its later letters are lead bytes no emoji uses.
pub fn is_symbol_remnant(token: &str) -> bool {
    let Some(bytes) = source_bytes(token) else {
        return false;
    };
    let Some((&first, rest)) = bytes.split_first() else {
        return false;
    };
    if !(0xE2..=0xF4).contains(&first) || bytes.len() > 16 {
        return false;
    }
    rest.iter()
        .all(|&b| is_continuation(b) || matches!(b, 0xE2 | 0xEF | 0xF0))
}

/// True when `token` is a damaged dash (`—` or `–`): the bytes 0xE2 0x80
/// 0x94 (or 0x93) with some of them dropped, as in the seed's ` β `.
pub fn is_dash_remnant(token: &str) -> bool {
    match source_bytes(token) {
        Some(bytes) => {
            bytes.len() <= 3
                && bytes.first() == Some(&0xE2)
                && bytes[1..].iter().all(|b| matches!(b, 0x80 | 0x93 | 0x94))
                && token != "â"
        }
        None => false,
    }
}

/// Undoes the damage to a marker when that is lossless: the tokens' bytes,
/// joined by nothing, a no-break space or a space (a damaged 0xA0 often
/// became a space), must form valid UTF-8 that holds no letters or digits.
/// Returns the recovered emoji, or `None` when bytes were lost.
pub fn recover_symbol(tokens: &[&str]) -> Option<String> {
    let parts: Vec<Vec<u8>> = tokens
        .iter()
        .map(|t| source_bytes(t))
        .collect::<Option<_>>()?;
    let joiners: [&[u8]; 3] = [b"", b"\xA0", b" "];
    joiners.iter().find_map(|joiner| {
        let bytes = parts.join(*joiner);
        let text = String::from_utf8(bytes).ok()?;
        let symbolic = text
            .chars()
            .all(|c| !c.is_alphanumeric() || c.is_ascii_digit())
            && !text.is_ascii();
        symbolic.then_some(text)
    })
}

/// Repairs Windows-1252 mojibake inside running text (`â€™` → `’`,
/// `Ã©` → `é`): each run of non-ASCII characters whose Windows-1252 bytes
/// form valid UTF-8 is replaced by that UTF-8. Runs that do not decode are
/// left exactly as they were, so clean text passes through unchanged.
pub fn repair_text(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if !c.is_ascii() && cp1252_byte(c).is_some() {
            run.push(c);
        } else {
            flush_run(&mut run, &mut out);
            out.push(c);
        }
    }
    flush_run(&mut run, &mut out);
    out
}

/// What mojibake in news text stands for: Latin letters with accents,
/// typographic punctuation, currency, symbols and emoji. A "repair" into
/// anything else (`NESTLÉ’S` read as the IPA `ɒ`) means the run was clean.
fn is_plausible_repair(c: char) -> bool {
    matches!(u32::from(c),
        0x00A0..=0x017F          // Latin-1 supplement, Latin Extended-A
        | 0x2000..=0x20CF        // punctuation, currency
        | 0x2100..=0x2BFF        // letterlike, arrows, symbols, dingbats
        | 0xFE0F
        | 0x1F000..=0x1FAFF) // emoji
}

fn flush_run(run: &mut String, out: &mut String) {
    if run.is_empty() {
        return;
    }
    let repaired = run
        .chars()
        .map(cp1252_byte)
        .collect::<Option<Vec<u8>>>()
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match repaired {
        Some(text) if run.chars().count() > 1 && text.chars().all(is_plausible_repair) => {
            out.push_str(&text)
        }
        _ => out.push_str(run),
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Damages `text` the Windows-1252 way: UTF-8 bytes read as cp1252, the
    /// undefined bytes dropped.
    fn as_cp1252_mojibake(text: &str) -> String {
        text.bytes().filter_map(cp1252_char).collect()
    }

    #[test]
    fn cp1252_round_trip_covers_every_defined_byte() {
        for byte in 0u8..=255 {
            if let Some(c) = cp1252_char(byte) {
                assert_eq!(cp1252_byte(c), Some(byte), "byte {byte:#x}");
            }
        }
    }

    #[test]
    fn greek_letters_map_to_their_iso8859_7_bytes() {
        assert_eq!(iso8859_7_byte('π'), Some(0xF0));
        assert_eq!(iso8859_7_byte('β'), Some(0xE2));
        assert_eq!(iso8859_7_byte('ο'), Some(0xEF));
        assert_eq!(iso8859_7_byte('Έ'), Some(0xB8));
        assert_eq!(iso8859_7_byte('Ό'), Some(0xBC));
        assert_eq!(iso8859_7_byte('£'), Some(0xA3));
    }

    #[test]
    fn greek_remnants_of_emoji_are_symbol_remnants() {
        for token in ["π", "βοΈ", "π£οΈ", "ποΈ", "πΌ", "β", "οΈ"] {
            assert!(is_symbol_remnant(token), "{token}");
        }
    }

    #[test]
    fn greek_words_are_not_symbol_remnants() {
        for token in ["βία", "Και", "πόλη", "και", "Alpha", "12"] {
            assert!(!is_symbol_remnant(token), "{token}");
        }
    }

    #[test]
    fn cp1252_emoji_remnant_is_recovered() {
        let damaged = as_cp1252_mojibake("📉");
        assert_eq!(damaged, "ðŸ“‰");
        assert!(is_symbol_remnant(&damaged));
        assert_eq!(recover_symbol(&[&damaged]).as_deref(), Some("📉"));
    }

    #[test]
    fn no_break_space_turned_space_is_recovered() {
        // ☠️ is E2 98 A0 EF B8 8F; 0xA0 shows as a no-break space that
        // copying turned into a plain space, splitting the marker in two.
        // (0x8F is undefined in Windows-1252, so it is gone: not lossless.)
        let damaged = as_cp1252_mojibake("☠").replace('\u{a0}', " ");
        let tokens: Vec<&str> = damaged.split(' ').collect();
        assert_eq!(tokens.len(), 2);
        assert_eq!(recover_symbol(&tokens).as_deref(), Some("☠"));
        let lossy = as_cp1252_mojibake("⚠️").replace('\u{a0}', " ");
        let tokens: Vec<&str> = lossy.split(' ').collect();
        assert!(tokens.iter().all(|t| is_symbol_remnant(t)));
        assert_eq!(recover_symbol(&tokens), None);
    }

    #[test]
    fn greek_remnant_with_dropped_bytes_is_not_recovered() {
        assert_eq!(recover_symbol(&["π"]), None);
        assert_eq!(recover_symbol(&["β", "οΈ"]), None);
    }

    #[test]
    fn dash_remnants_are_recognised() {
        assert!(is_dash_remnant("β"));
        assert!(is_dash_remnant(&as_cp1252_mojibake("—")));
        assert!(is_dash_remnant(&as_cp1252_mojibake("–")));
        assert!(!is_dash_remnant("π"));
        assert!(!is_dash_remnant("The"));
    }

    #[test]
    fn repair_text_fixes_cp1252_punctuation_and_accents() {
        let damaged = as_cp1252_mojibake("the mayor’s café — “open” – ok");
        assert_eq!(repair_text(&damaged), "the mayor’s café — “openâ€ – ok");
    }

    #[test]
    fn repair_text_leaves_clean_text_alone() {
        for clean in [
            "NESTLÉ’S PROFIT",
            "CAFÉ—BAR",
            "SPAß’",
            "plain ascii",
            "café naïve Zürich",
            "€5bn and £3m",
            "Ελλάδα",
            "📉 down",
        ] {
            assert_eq!(repair_text(clean), clean);
        }
    }
}
