//! Property tests of the text repair (run by `cargo test`; each prints its
//! case count, `--nocapture` shows it; the long form is
//! `PROPTEST_CASES=20000 cargo test --release --lib properties -- --nocapture`):
//! [`repair_text`] never panics, leaves ASCII and clean accented text alone,
//! and undoes Windows-1252 mojibake of words, accents and punctuation
//! exactly.

use proptest::prelude::*;

use crate::parse::mojibake::{cp1252_char, repair_text};
use crate::test_support::check_property;

#[test]
fn fuzz_repair_text_never_panics_and_keeps_ascii() {
    check_property("repair_text(any string)", 2048, any::<String>(), |text| {
        let repaired = repair_text(&text);
        if text.is_ascii() {
            prop_assert_eq!(&repaired, &text);
        }
        let _ = repair_text(&repaired);
        Ok(())
    });
    check_property("repair_text(ascii)", 1024, "[ -~\t\n]{0,200}", |text| {
        prop_assert_eq!(repair_text(&text), text);
        Ok(())
    });
    // Windows-1252 mojibake of text made of words and common accented
    // letters and punctuation is undone exactly.
    let clean = prop::collection::vec(
        prop::sample::select(
            &[
                "word", " ", "é", "ü", "ñ", "’", "—", "“", "…", "Zürich", "café",
            ][..],
        ),
        0..30,
    )
    .prop_map(|parts| parts.concat());
    check_property("repair_text(mojibake(text)) == text", 1024, clean, |text| {
        let damaged: String = text
            .bytes()
            .map(|b| cp1252_char(b).expect("defined in Windows-1252"))
            .collect();
        prop_assert_eq!(repair_text(&damaged), text);
        Ok(())
    });
}

/// Clean text is never "repaired": an upper-case accented letter (a UTF-8
/// lead byte in Windows-1252) followed by typographic punctuation (a
/// continuation byte) is real text, not mojibake.
#[test]
fn repair_text_leaves_clean_accented_text_alone() {
    for clean in ["NESTLÉ’S PROFIT", "CAFÉ—BAR", "SPAß’", "JOSÉ’S"] {
        assert_eq!(repair_text(clean), clean);
    }
    let latin = prop::collection::vec(
        prop::sample::select(
            &[
                "A", "e", " ", "É", "Ö", "Ü", "Ñ", "ß", "é", "’", "—", "–", "“", "°", "»", "«",
            ][..],
        ),
        0..20,
    )
    .prop_map(|parts| parts.concat());
    check_property(
        "repair_text(clean Latin text) == text",
        1024,
        latin,
        |text| {
            prop_assert_eq!(repair_text(&text), text);
            Ok(())
        },
    );
}
