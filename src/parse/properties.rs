//! Property tests of the brief parser (run by `cargo test`; each prints its
//! case count, `--nocapture` shows it; the long form is
//! `PROPTEST_CASES=20000 cargo test --release --lib properties -- --nocapture`):
//!
//! - arbitrary bytes, and bytes made of brief-like fragments (markers,
//!   mojibake, BOMs, line ends, JSON punctuation), never make
//!   [`parse_document`], [`parse_jsonl_line`] or [`decode`] panic, and every
//!   brief or error they give has sane lines;
//! - generated near-briefs (text and Markdown, with odd markers, bullets,
//!   separators and line ends) keep their headline, source, points and
//!   summaries, at the right lines;
//! - generated JSON and JSON Lines briefs keep their points and summaries.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Value, json};

use crate::brief::Brief;
use crate::parse::decode::decode;
use crate::parse::{Format, ParseError, parse_document, parse_jsonl_line};
use crate::test_support::check_property;

const FRAGMENTS: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"\r",
    b"\xEF\xBB\xBF",
    b"\x00",
    b"\x81",
    b"\x9D",
    b"\xFF",
    b"\xC3",
    b"\xE2\x80",
    b" ",
    b"  ",
    b"\t",
    b"\xC2\xA0",
    b"- ",
    b"* ",
    b"1. ",
    b"2) ",
    b"# ",
    b"## ",
    b"---",
    b"---\n",
    b"...",
    b"Source: ",
    b"Date: ",
    b"Id: ",
    b"title: ",
    b"URL: ",
    "📉".as_bytes(),
    "⚖️".as_bytes(),
    "👩‍💻".as_bytes(),
    "🇺🇸".as_bytes(),
    "1️⃣".as_bytes(),
    "👍🏽".as_bytes(),
    "★".as_bytes(),
    "ðŸ“‰".as_bytes(),
    "â€”".as_bytes(),
    "â€™".as_bytes(),
    "Ã©".as_bytes(),
    "π".as_bytes(),
    "βοΈ".as_bytes(),
    "β".as_bytes(),
    "—".as_bytes(),
    "–".as_bytes(),
    "•".as_bytes(),
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"null",
    b"true",
    b"12",
    b"1e999",
    b"\"headline\"",
    b"\"title\"",
    b"\"points\"",
    b"\"summaries\"",
    b"\"body\"",
    b"\"id\"",
    b"\"marker\"",
    b"\"text\"",
    b"Word",
    b"tram",
    b"riders",
    b"1.5",
    b"11.5%",
    b"$1.13bn",
    "€5bn".as_bytes(),
    "Акции".as_bytes(),
    "“We…”".as_bytes(),
];

fn fragment_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(<[u8]>::to_vec),
            1 => any::<u8>().prop_map(|b| vec![b]),
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count() + 1
}

fn check_parse_results(bytes: &[u8]) -> Result<(), TestCaseError> {
    let lines = line_count(bytes);
    for format in [
        Format::Text,
        Format::Markdown,
        Format::Json,
        Format::JsonLines,
    ] {
        for result in parse_document(bytes, format, "f") {
            match result {
                Ok(brief) => {
                    prop_assert!(
                        !brief.headline.trim().is_empty(),
                        "{format:?}: empty headline"
                    );
                    prop_assert!(
                        brief.line >= 1 && brief.line <= lines,
                        "{format:?}: brief line {}",
                        brief.line
                    );
                    for p in &brief.points {
                        prop_assert!(!p.text.is_empty(), "{format:?}: empty point text");
                        prop_assert!(
                            p.line >= 1 && p.line <= lines,
                            "{format:?}: point line {}",
                            p.line
                        );
                    }
                    for s in &brief.summaries {
                        prop_assert!(!s.text.is_empty(), "{format:?}: empty summary text");
                        prop_assert!(
                            s.line >= 1 && s.line <= lines,
                            "{format:?}: summary line {}",
                            s.line
                        );
                    }
                }
                Err(err) => {
                    prop_assert!(!err.reason.is_empty());
                    if let Some(line) = err.line {
                        prop_assert!(
                            line >= 1 && line <= lines,
                            "{format:?}: error line {line} of {lines}: {}",
                            err.reason
                        );
                    }
                }
            }
        }
    }
    let _ = parse_jsonl_line(bytes, "f", 1);
    let _ = parse_jsonl_line(bytes, "f", 7);
    let _ = decode(bytes);
    Ok(())
}

#[test]
fn fuzz_parser_never_panics_on_arbitrary_bytes() {
    check_property(
        "parse_document(arbitrary bytes)",
        512,
        prop::collection::vec(any::<u8>(), 0..1024),
        |bytes| check_parse_results(&bytes),
    );
    check_property(
        "parse_document(brief-like fragments)",
        1024,
        fragment_bytes(),
        |bytes| check_parse_results(&bytes),
    );
}

const ASCII_WORDS: &[&str] = &[
    "Tram",
    "riders",
    "Ferry",
    "fares",
    "drop",
    "shares",
    "fell",
    "council",
    "approved",
    "plan",
    "Northgate",
    "Freight",
    "rates",
    "cut",
    "bank",
    "harbour",
    "winter",
    "prices",
    "rise",
    "again",
];
const TAIL_TOKENS: &[&str] = &[
    "📈",
    "🚋",
    "⚖️",
    "👩‍💻",
    "🇺🇸",
    "â€™s",
    "cafÃ©",
    "â€”",
    "Ã©",
    "“quoted”",
    "…",
    "11.5%",
    "$1.13bn",
    "€5bn",
    "1,900",
    "Zürich",
    "Акции",
    "π",
    "-dash",
    "1.5",
    "(aside)",
    "and",
    "the",
    "of",
];
const MARKERS: &[&str] = &[
    "📉",
    "📈",
    "⚖️",
    "👩‍💻",
    "🇺🇸",
    "1️⃣",
    "👍🏽",
    "★",
    "✅",
    "▶",
    "🗣️",
    "ðŸ“‰",
    "π",
    "βοΈ",
];
const LIST_LEADS: &[&str] = &["-", "*", "•"];
const SUMMARY_BULLETS: &[&str] = &[
    "-", "*", "+", "•", "‣", "◦", "–", "—", "1.", "2)", "10.", "999)",
];
const SEPARATORS: &[&str] = &[" ", "  ", "\t", " \t "];
const ENDINGS: &[&str] = &["\n", "\r\n", "  \n", "\t\r\n"];

#[derive(Debug, Clone)]
enum LineSpec {
    Point {
        marker: &'static str,
        lead: Option<&'static str>,
        indent: bool,
        words: Vec<String>,
    },
    Summary {
        bullet: &'static str,
        indent: bool,
        words: Vec<String>,
    },
    Body {
        words: Vec<String>,
    },
    Blank,
}

fn words_strategy() -> impl Strategy<Value = Vec<String>> {
    (
        prop::sample::select(ASCII_WORDS),
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(ASCII_WORDS),
                prop::sample::select(TAIL_TOKENS),
            ],
            0..8,
        ),
    )
        .prop_map(|(first, tail)| {
            std::iter::once(first)
                .chain(tail)
                .map(str::to_string)
                .collect()
        })
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    prop_oneof![
        3 => (prop::sample::select(MARKERS), prop::option::of(prop::sample::select(LIST_LEADS)), any::<bool>(), words_strategy())
            .prop_map(|(marker, lead, indent, words)| LineSpec::Point { marker, lead, indent, words }),
        3 => (prop::sample::select(SUMMARY_BULLETS), any::<bool>(), words_strategy())
            .prop_map(|(bullet, indent, words)| LineSpec::Summary { bullet, indent, words }),
        2 => words_strategy().prop_map(|words| LineSpec::Body { words }),
        1 => Just(LineSpec::Blank),
    ]
}

/// A generated text brief: its bytes and the lines of its points and
/// summaries, with the first word of each.
#[derive(Debug, Clone)]
struct NearBrief {
    text: String,
    headline: String,
    source: Option<String>,
    points: Vec<(usize, String)>,
    summaries: Vec<(usize, String)>,
}

fn near_brief() -> impl Strategy<Value = NearBrief> {
    (
        any::<bool>(),
        0..3usize,
        prop::collection::vec(prop::sample::select(ASCII_WORDS), 1..6),
        prop::option::of(prop::collection::vec(
            prop::sample::select(ASCII_WORDS),
            1..4,
        )),
        any::<bool>(),
        prop::collection::vec(
            (
                line_spec(),
                prop::sample::select(SEPARATORS),
                prop::sample::select(ENDINGS),
            ),
            0..20,
        ),
        any::<bool>(),
    )
        .prop_map(
            |(bom, blanks, headline, source, meta, lines, last_newline)| {
                let mut text = String::new();
                if bom {
                    text.push('\u{FEFF}');
                }
                let mut line_no = 0;
                for _ in 0..blanks {
                    text.push('\n');
                    line_no += 1;
                }
                let headline = headline.join(" ");
                // A source is a name: it starts with a capital.
                let source = source.map(|s| {
                    let joined = s.join(" ");
                    let mut chars = joined.chars();
                    chars
                        .next()
                        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
                });
                text.push_str(&headline);
                if let Some(source) = &source {
                    text.push_str(" — ");
                    text.push_str(source);
                }
                text.push_str("\r\n");
                line_no += 1;
                if meta {
                    text.push_str("Date: 2026-11-02\n");
                    line_no += 1;
                }
                let mut points = Vec::new();
                let mut summaries = Vec::new();
                let count = lines.len();
                for (i, (spec, sep, ending)) in lines.into_iter().enumerate() {
                    line_no += 1;
                    match spec {
                        LineSpec::Point {
                            marker,
                            lead,
                            indent,
                            words,
                        } => {
                            if indent {
                                text.push_str("  ");
                            }
                            if let Some(lead) = lead {
                                text.push_str(lead);
                                text.push(' ');
                            }
                            text.push_str(marker);
                            text.push(' ');
                            text.push_str(&words.join(sep));
                            points.push((line_no, words[0].clone()));
                        }
                        LineSpec::Summary {
                            bullet,
                            indent,
                            words,
                        } => {
                            if indent {
                                text.push(' ');
                            }
                            text.push_str(bullet);
                            text.push(' ');
                            text.push_str(&words.join(sep));
                            summaries.push((line_no, words[0].clone()));
                        }
                        LineSpec::Body { words } => text.push_str(&words.join(sep)),
                        LineSpec::Blank => {}
                    }
                    if i + 1 < count || last_newline {
                        text.push_str(ending);
                    }
                }
                NearBrief {
                    text,
                    headline,
                    source,
                    points,
                    summaries,
                }
            },
        )
}

#[test]
fn fuzz_structured_near_briefs_keep_their_points_and_summaries() {
    check_property("near-briefs (text, markdown)", 512, near_brief(), |brief| {
        for format in [Format::Text, Format::Markdown] {
            let results = parse_document(brief.text.as_bytes(), format, "f");
            prop_assert_eq!(results.len(), 1);
            let parsed = match &results[0] {
                Ok(parsed) => parsed,
                Err(err) => {
                    return Err(TestCaseError::fail(format!(
                        "{format:?}: not a brief: {err:?}"
                    )));
                }
            };
            prop_assert_eq!(&parsed.headline, &brief.headline);
            prop_assert_eq!(&parsed.source, &brief.source);
            let points: Vec<usize> = parsed.points.iter().map(|p| p.line).collect();
            let expected: Vec<usize> = brief.points.iter().map(|p| p.0).collect();
            prop_assert_eq!(points, expected, "{:?}: point lines", format);
            let summaries: Vec<usize> = parsed.summaries.iter().map(|s| s.line).collect();
            let expected: Vec<usize> = brief.summaries.iter().map(|s| s.0).collect();
            prop_assert_eq!(summaries, expected, "{:?}: summary lines", format);
            for (p, (_, word)) in parsed.points.iter().zip(&brief.points) {
                prop_assert!(
                    p.text.starts_with(word.as_str()),
                    "point text {:?} should start with {:?}",
                    p.text,
                    word
                );
            }
            for (s, (_, word)) in parsed.summaries.iter().zip(&brief.summaries) {
                prop_assert!(
                    s.text.starts_with(word.as_str()),
                    "summary text {:?} should start with {:?}",
                    s.text,
                    word
                );
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_structured_json_briefs_keep_their_points_and_summaries() {
    let item = (
        prop::option::of(prop::sample::select(MARKERS)),
        any::<bool>(),
        words_strategy(),
    );
    let brief = (
        prop::collection::vec(prop::sample::select(ASCII_WORDS), 1..6),
        prop::collection::vec(item, 0..6),
        prop::collection::vec(words_strategy(), 0..6),
        any::<bool>(),
    );
    check_property(
        "near-briefs (json, jsonl)",
        512,
        prop::collection::vec(brief, 1..4),
        |briefs| {
            let mut objects = Vec::new();
            let mut expected = Vec::new();
            for (headline, points, summaries, dashed) in &briefs {
                let points_json: Vec<Value> = points
                    .iter()
                    .map(|(marker, object, words)| {
                        let text = words.join(" ");
                        match (marker, object) {
                            (Some(m), true) => json!({"marker": m, "text": text}),
                            (Some(m), false) => json!(format!("{m} {text}")),
                            (None, _) => json!(text),
                        }
                    })
                    .collect();
                let summaries_json: Vec<Value> = summaries
                    .iter()
                    .map(|w| {
                        json!(if *dashed {
                            format!("- {}", w.join(" "))
                        } else {
                            w.join(" ")
                        })
                    })
                    .collect();
                objects.push(json!({"headline": headline.join(" "), "points": points_json, "summaries": summaries_json}));
                expected.push((points.len(), summaries.len()));
            }
            let check = |results: Vec<Result<Brief, ParseError>>, what: &str| {
                prop_assert_eq!(results.len(), expected.len(), "{}", what);
                for (result, (p, s)) in results.iter().zip(&expected) {
                    let brief = result
                        .as_ref()
                        .map_err(|e| TestCaseError::fail(format!("{what}: {e:?}")))?;
                    prop_assert_eq!(brief.points.len(), *p, "{}: points", what);
                    prop_assert_eq!(brief.summaries.len(), *s, "{}: summaries", what);
                }
                Ok(())
            };
            let array = serde_json::to_string_pretty(&objects).expect("json");
            check(
                parse_document(array.as_bytes(), Format::Json, "f.json"),
                "array",
            )?;
            let lines: Vec<String> = objects.iter().map(Value::to_string).collect();
            check(
                parse_document(lines.join("\r\n").as_bytes(), Format::JsonLines, "f.jsonl"),
                "jsonl",
            )?;
            if objects.len() == 1 {
                check(
                    parse_document(lines[0].as_bytes(), Format::Json, "f.json"),
                    "object",
                )?;
            }
            Ok(())
        },
    );
}
