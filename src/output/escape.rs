//! Text from briefs and file names shown on a terminal without letting it
//! drive the terminal: control characters (C0, DEL, C1) and the characters
//! that reorder text (bidi overrides, embeddings, isolates and marks, line
//! and paragraph separators) are written as visible escapes (`\x1b`,
//! `\u{202e}`) instead of raw. Everything else, emoji sequences (ZWJ,
//! variation selectors) included, is left as it is. JSON needs none of this
//! (serde escapes controls, and bidi characters are data there).

use std::borrow::Cow;

/// Whether `c` must never reach a terminal raw.
pub(crate) fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every character [`is_unsafe`] names written as an escape:
/// `\t`, `\n`, `\r`, `\x1b` for the other ASCII controls and DEL, `\u{9b}`,
/// `\u{202e}` for the rest. Borrowed when there is nothing to escape (the
/// usual case).
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) && c.is_ascii() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_and_emoji_are_borrowed_unchanged() {
        for text in ["Ferry fares fall", "👩‍💻 ⚠️ 🇺🇸 1️⃣ 👍🏽", "Акции · ½ € ’"]
        {
            assert!(
                matches!(escaped(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
    }

    #[test]
    fn terminal_sequences_are_shown_not_sent() {
        assert_eq!(escaped("a\x1b]52;c;aGk=\x07b"), "a\\x1b]52;c;aGk=\\x07b");
        assert_eq!(escaped("\x1b[2J"), "\\x1b[2J");
        assert_eq!(escaped("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(escaped("evil\u{202e}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(escaped("a\tb\nc\rd\x7f"), "a\\tb\\nc\\rd\\x7f");
        assert_eq!(
            escaped("\u{2066}x\u{2069}\u{200f}"),
            "\\u{2066}x\\u{2069}\\u{200f}"
        );
    }

    #[test]
    fn nothing_unsafe_survives() {
        let all: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        assert!(!escaped(&all).chars().any(is_unsafe));
    }
}
