//! The grammar of one line of a brief: is it led by a marker (a point), by a
//! list bullet (a summary), or by nothing (body)? And where does a headline's
//! source begin? Pure string functions, shared by the text, Markdown and JSON
//! readers.

use crate::parse::mojibake;

/// What a line of a brief is, once its lead is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// A key point: marker as found, recovered emoji, text.
    Point {
        /// The marker exactly as found.
        marker: String,
        /// The emoji it stood for, when known without loss.
        emoji: Option<String>,
        /// The text after the marker.
        text: String,
    },
    /// A summary bullet's text.
    Summary(String),
    /// Any other text.
    Body(String),
}

/// List bullets that lead a summary line (followed by a space).
const LIST_BULLETS: [&str; 8] = ["-", "*", "+", "•", "‣", "◦", "–", "—"];

/// Collapses runs of white space (doubled spaces, tabs, no-break spaces) to
/// one space and trims both ends.
pub fn squeeze_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads one line's lead. `line` must be non-blank.
pub fn classify(line: &str) -> LineKind {
    let line = line.trim();
    if let Some(rest) = strip_list_bullet(line) {
        // `- 📉 Shares fell`: a list item led by a marker is still a point.
        return match split_marker(rest) {
            Some((marker, emoji, text)) => LineKind::Point {
                marker,
                emoji,
                text,
            },
            None => LineKind::Summary(clean_text(rest)),
        };
    }
    match split_marker(line) {
        Some((marker, emoji, text)) => LineKind::Point {
            marker,
            emoji,
            text,
        },
        None => LineKind::Body(clean_text(line)),
    }
}

/// Repairs Windows-1252 mojibake and squeezes spaces: what every stored text
/// goes through.
pub fn clean_text(text: &str) -> String {
    squeeze_spaces(&mojibake::repair_text(text))
}

/// The rest of the line after a list bullet (`- `, `• `, `1. `, `2) `), or
/// `None` when the line does not start with one.
fn strip_list_bullet(line: &str) -> Option<&str> {
    let (first, rest) = split_first_token(line);
    if rest.is_empty() {
        return None;
    }
    if LIST_BULLETS.contains(&first) {
        return Some(rest);
    }
    let number = first
        .strip_suffix('.')
        .or_else(|| first.strip_suffix(')'))?;
    let is_number =
        !number.is_empty() && number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit());
    is_number.then_some(rest)
}

/// Splits a leading marker off `line`: the leading run of tokens that are
/// symbols or their mojibake remnants, before the first word. Returns the
/// marker as found, the recovered emoji, and the cleaned text; `None` when
/// the line has no marker or nothing after it.
pub fn split_marker(line: &str) -> Option<(String, Option<String>, String)> {
    let mut tokens = Vec::new();
    let mut rest = line.trim_start();
    loop {
        let (token, after) = split_first_token(rest);
        if token.is_empty() || !is_marker_token(token) {
            break;
        }
        tokens.push(token);
        rest = after;
    }
    if tokens.is_empty() {
        return None;
    }
    let text =
        clean_text(rest.trim_start_matches(|c: char| c == ':' || c == '-' || c.is_whitespace()));
    if text.is_empty() {
        return None;
    }
    let marker = tokens.join(" ");
    let emoji = if tokens.iter().all(|t| is_symbol_token(t)) {
        Some(tokens.concat())
    } else {
        mojibake::recover_symbol(&tokens)
    };
    Some((marker, emoji, text))
}

/// First white-space-separated token, and what follows it (left-trimmed).
fn split_first_token(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(end) => (&text[..end], text[end..].trim_start()),
        None => (text, ""),
    }
}

/// A token that can lead a point: a symbol or emoji, or what mojibake left of one.
fn is_marker_token(token: &str) -> bool {
    is_symbol_token(token) || mojibake::is_symbol_remnant(token)
}

/// True for emoji, pictographs and symbols (`📉 ⚖️ 👩‍💻 🇺🇸 1️⃣ ★ ✅ ▶`): no
/// letters or digits (but for a keycap's base), at least one character
/// outside ASCII, and not plain punctuation such as quotes or an ellipsis.
fn is_symbol_token(token: &str) -> bool {
    let chars: Vec<char> = token.chars().collect();
    let mut has_symbol = false;
    for (i, &c) in chars.iter().enumerate() {
        let keycap_base = matches!(c, '0'..='9' | '#' | '*')
            && matches!(chars.get(i + 1), Some('\u{FE0F}') | Some('\u{20E3}'));
        if keycap_base {
            continue;
        }
        if c.is_alphanumeric() || c.is_ascii() || is_text_punctuation(c) {
            return false;
        }
        has_symbol = true;
    }
    has_symbol
}

/// Punctuation that starts ordinary sentences and must not be taken for a
/// marker: Latin-1 punctuation (« ¿ ¡ …) and the General Punctuation block
/// (quotes, dashes, ellipsis), except the zero-width joiner and the two emoji that live there (‼ ⁉).
fn is_text_punctuation(c: char) -> bool {
    let code = u32::from(c);
    let latin1 = (0xA0..=0xBF).contains(&code) && c != '©' && c != '®';
    let general =
        (0x2000..=0x206F).contains(&code) && !matches!(c, '\u{200D}' | '\u{203C}' | '\u{2049}');
    latin1 || general
}

/// Splits `Title — Source` on its last separator, when what follows looks
/// like a name. Returns the title and the source.
pub fn split_headline(headline: &str) -> (String, Option<String>) {
    let tokens: Vec<&str> = headline.split_whitespace().collect();
    for i in (1..tokens.len().saturating_sub(1)).rev() {
        if !is_separator(tokens[i]) {
            continue;
        }
        let source = tokens[i + 1..].join(" ");
        if looks_like_name(&source) {
            let title = clean_text(&tokens[..i].join(" "));
            return (title, Some(clean_text(&source)));
        }
        // Only the last separator counts.
        break;
    }
    (clean_text(headline), None)
}

fn is_separator(token: &str) -> bool {
    matches!(token, "—" | "–" | "-" | "―" | "|" | "·" | "•" | "::" | "//")
        || mojibake::is_dash_remnant(token)
}

/// A short name: one to six words, at most 60 characters, starting with an
/// upper-case letter or a digit, and no sentence punctuation.
fn looks_like_name(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let starts_well = text
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let has_sentence_punctuation = text
        .chars()
        .any(|c| matches!(c, '!' | '?' | ';' | ':' | ',' | '"' | '“' | '”'))
        || text.ends_with('.');
    (1..=6).contains(&words)
        && text.chars().count() <= 60
        && starts_well
        && !has_sentence_punctuation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(line: &str) -> (String, Option<String>, String) {
        match classify(line) {
            LineKind::Point {
                marker,
                emoji,
                text,
            } => (marker, emoji, text),
            other => panic!("{line:?} read as {other:?}"),
        }
    }

    #[test]
    fn point_needs_leading_symbol() {
        assert_eq!(
            point("📉 Shares fell 4%"),
            ("📉".into(), Some("📉".into()), "Shares fell 4%".into())
        );
        assert_eq!(
            classify("Shares fell 4%"),
            LineKind::Body("Shares fell 4%".into())
        );
    }

    #[test]
    fn emoji_of_every_shape_is_a_marker() {
        for marker in [
            "⚖️",
            "🗣️",
            "👩‍💻",
            "🇺🇸",
            "1️⃣",
            "#️⃣",
            "★",
            "✅",
            "▶",
            "👍🏽",
            "‼️",
        ] {
            let (found, emoji, text) = point(&format!("{marker} Council votes on the budget"));
            assert_eq!(found, marker);
            assert_eq!(emoji.as_deref(), Some(marker));
            assert_eq!(text, "Council votes on the budget");
        }
    }

    #[test]
    fn several_symbols_form_one_marker() {
        assert_eq!(point("🚀 ✨ Launch window opens").0, "🚀 ✨");
    }

    #[test]
    fn greek_mojibake_remnant_is_a_marker_and_leaves_no_trace() {
        let (marker, emoji, text) = point("β οΈ Analysts warn of a slowdown");
        assert_eq!(marker, "β οΈ");
        assert_eq!(emoji, None);
        assert_eq!(text, "Analysts warn of a slowdown");
        assert_eq!(point("π£οΈ Mayor answers critics").0, "π£οΈ");
    }

    #[test]
    fn cp1252_mojibake_marker_is_recovered() {
        let (marker, emoji, text) = point("ðŸ“‰ Ferry fares drop");
        assert_eq!(marker, "ðŸ“‰");
        assert_eq!(emoji.as_deref(), Some("📉"));
        assert_eq!(text, "Ferry fares drop");
    }

    #[test]
    fn summary_needs_list_bullet_and_space() {
        for line in [
            "- Rates held",
            "* Rates held",
            "+ Rates held",
            "• Rates held",
            "– Rates held",
            "1. Rates held",
            "12) Rates held",
        ] {
            assert_eq!(
                classify(line),
                LineKind::Summary("Rates held".into()),
                "{line}"
            );
        }
        assert_eq!(
            classify("-Rates held"),
            LineKind::Body("-Rates held".into())
        );
        assert_eq!(
            classify("2024. A year"),
            LineKind::Body("2024. A year".into())
        );
        assert_eq!(
            classify("1.5 million fans"),
            LineKind::Body("1.5 million fans".into())
        );
    }

    #[test]
    fn list_item_led_by_emoji_is_a_point() {
        assert_eq!(point("- 📌 Pinned item").2, "Pinned item");
    }

    #[test]
    fn punctuation_and_currency_do_not_make_a_marker() {
        for line in [
            "“We will build it,” she said",
            "… and then it rained",
            "€5bn was raised",
            "« Non » au projet",
            "¿Qué pasa?",
        ] {
            assert!(matches!(classify(line), LineKind::Body(_)), "{line}");
        }
    }

    #[test]
    fn non_latin_text_is_not_a_marker() {
        assert!(matches!(classify("Акции упали на 5%"), LineKind::Body(_)));
        assert!(matches!(classify("株価が下落した"), LineKind::Body(_)));
        assert!(matches!(classify("Ελλάδα και Κύπρος"), LineKind::Body(_)));
    }

    #[test]
    fn marker_alone_is_not_a_point() {
        assert!(matches!(classify("📉"), LineKind::Body(_)));
    }

    #[test]
    fn headline_splits_on_last_separator_before_a_name() {
        assert_eq!(
            split_headline("Port strike ends — Harbor Ledger"),
            ("Port strike ends".into(), Some("Harbor Ledger".into()))
        );
        assert_eq!(
            split_headline("Rates: up - or down? | Daily Wire 24"),
            ("Rates: up - or down?".into(), Some("Daily Wire 24".into()))
        );
        assert_eq!(
            split_headline("Prices rise - again"),
            ("Prices rise - again".into(), None)
        );
        assert_eq!(
            split_headline("Covid-19 cases fall"),
            ("Covid-19 cases fall".into(), None)
        );
    }

    #[test]
    fn headline_splits_on_mojibake_dash() {
        assert_eq!(
            split_headline("Mill reopens β The Valley Courier"),
            ("Mill reopens".into(), Some("The Valley Courier".into()))
        );
        assert_eq!(
            split_headline("Mill reopens â€” The Valley Courier"),
            ("Mill reopens".into(), Some("The Valley Courier".into()))
        );
    }

    #[test]
    fn source_must_look_like_a_name() {
        assert_eq!(
            split_headline("Talks stall - Officials say no deal is near.").1,
            None
        );
        assert_eq!(
            split_headline("Vote delayed — This is a long explanation of why it happened today").1,
            None
        );
    }

    #[test]
    fn doubled_spaces_collapse() {
        assert_eq!(
            classify("-  Rates   held  "),
            LineKind::Summary("Rates held".into())
        );
    }
}
