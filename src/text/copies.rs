//! Copies of one sentence: two bullets are copies when their words, in
//! lower case and one space apart, are the same ([`normalised`]), and
//! their lengths close. [`copy_key`] puts that text and its length in one
//! number, written at index time as a fast field, so a search folds the
//! copies of a bullet it has shown without reading them from the store.

use std::hash::Hasher;

/// A text's words in lower case, one space apart: two bullets are copies
/// when these are equal (and their lengths close).
pub(crate) fn normalised(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            // Whole words: a final sigma lowers differently.
            out.push_str(&word.to_lowercase());
        }
    }
    out
}

/// Lengths at or above this get no key: the key holds the length in 16 bits.
const MAX_KEYED_LEN: usize = 0xFFFF;

/// The copy key of a bullet's text: 48 bits of a hash of its normalised
/// text above its length in bytes, so equal keys mean the same words and
/// the same length (a copy by [`normalised`] whatever the length rule).
/// 0 (no key) for a text of 64 KiB or more.
pub(crate) fn copy_key(text: &str) -> u64 {
    copy_key_of(&normalised(text), text.len())
}

/// [`copy_key`] of a text of `len` bytes whose [`normalised`] form is
/// `normalised`.
pub(crate) fn copy_key_of(normalised: &str, len: usize) -> u64 {
    if len >= MAX_KEYED_LEN {
        return 0;
    }
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(normalised.as_bytes());
    // Never 0, which means "no key".
    (hasher.finish() << 16 | len as u64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_text_ignores_case_and_white_space() {
        assert_eq!(
            normalised("  The Port\treopened  on Monday. "),
            "the port reopened on monday."
        );
        assert_ne!(
            normalised("The port reopened"),
            normalised("The port re-opened")
        );
    }

    #[test]
    fn copies_share_a_key_only_at_the_same_length() {
        let key = copy_key("The port reopened on Monday.");
        assert_eq!(key, copy_key("The Port reopened on MONDAY."));
        assert_ne!(key, copy_key("The port  reopened on Monday."));
        assert_ne!(key, copy_key("The port reopened on Tuesday."));
        assert_ne!(key, 0);
        assert_eq!(copy_key(&"a".repeat(MAX_KEYED_LEN)), 0);
        assert_eq!(normalised("ΟΔΟΣ Straße"), "οδος straße");
    }
}
