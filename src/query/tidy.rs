//! Tidying text pasted as a literal query, such as a social media post:
//! links (`https://t.co/…`, `pic.twitter.com/…`) are dropped, since their
//! letters are noise (`twitter`, `co`); `#CamelCase` tags and `@handles` are
//! split into their words (`#DefundTheCBC` → `Defund The CBC`), which is how
//! an article would spell them; the handle of a trailing attribution
//! (`— Name (@handle) January 6, 2020`) is dropped, its name and date kept;
//! and punctuation separates words, so `out-of-state` or `U.S.` are looked
//! for word by word, not as phrases. Pure text to text; the query language
//! reads the result.

use crate::parse::MONTH_NAMES;

/// Which tidying steps to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tidy {
    /// Drop links.
    pub links: bool,
    /// Drop the date of a trailing `— Name (@handle) Month D, YYYY`.
    pub trailer_date: bool,
    /// Drop the `(@handle)` of that trailer.
    pub trailer_handle: bool,
    /// Drop the name of that trailer.
    pub trailer_name: bool,
    /// Split `#CamelCase` tags into words.
    pub hashtags: bool,
    /// Split `@CamelCase` handles into words.
    pub handles: bool,
    /// Also split tags and handles between letters and digits.
    pub digits: bool,
    /// Every character but letters and digits becomes a space.
    pub words: bool,
}

impl Tidy {
    /// Nothing changed.
    pub const NONE: Tidy = Tidy {
        links: false,
        trailer_date: false,
        trailer_handle: false,
        trailer_name: false,
        hashtags: false,
        handles: false,
        digits: false,
        words: false,
    };

    /// What a literal query gets (chosen on CheckThat train,
    /// tests/relevance/RESULTS.md gives each step's gain): links dropped,
    /// tags and handles split, the trailer's handle dropped once its words
    /// are split (the name stays, it often names the claim's speaker, and
    /// so does the date), punctuation made spaces.
    pub const PASTED: Tidy = Tidy {
        links: true,
        trailer_date: false,
        trailer_handle: true,
        trailer_name: false,
        hashtags: true,
        handles: true,
        digits: true,
        words: true,
    };
}

/// `text` with the steps of `tidy` applied.
pub fn tidy(text: &str, tidy: Tidy) -> String {
    let (body, trailer) = split_trailer(text);
    let mut out: Vec<String> = Vec::new();
    for word in body.split_whitespace() {
        let word = if tidy.links { strip_link(word) } else { word };
        if word.is_empty() {
            continue;
        }
        out.push(split_tags(word, tidy));
    }
    if let Some(t) = trailer {
        if !tidy.trailer_name {
            out.push(t.name.to_string());
        }
        if !tidy.trailer_handle {
            out.push(split_tags(t.handle, tidy));
        }
        if !tidy.trailer_date {
            out.push(t.date.to_string());
        }
    }
    let joined = out.join(" ");
    if tidy.words {
        spaced_punctuation(&joined)
    } else {
        joined
    }
}

/// `text` with every character but letters and digits made a space, except
/// what the index keeps inside a word: a number's point or comma (`11.5`,
/// `1,900`), its sign (`8%`, `$1.13bn`) and an apostrophe between letters
/// (`doesn't`). (Keeping these lets `11.5%` find `11.5%`, and cost nothing
/// on the tuning splits: tests/relevance/RESULTS.md.)
fn spaced_punctuation(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at =
        |i: Option<usize>, test: fn(&char) -> bool| i.and_then(|i| chars.get(i)).is_some_and(test);
    let digit = |c: &char| c.is_ascii_digit();
    let letter = |c: &char| c.is_alphabetic();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let (before, after) = (i.checked_sub(1), Some(i + 1));
            let keep = c.is_alphanumeric()
                || (matches!(c, '.' | ',') && at(before, digit) && at(after, digit))
                || (c == '%' && at(before, digit))
                || (matches!(c, '$' | '€' | '£' | '¥') && at(after, digit))
                || (matches!(c, '\'' | '’') && at(before, letter) && at(after, letter));
            if keep { c } else { ' ' }
        })
        .collect()
}

/// The parts of a trailing `— Name (@handle) Month D, YYYY`.
struct Trailer<'a> {
    name: &'a str,
    handle: &'a str,
    date: &'a str,
}

/// The text before a trailing attribution, and the attribution's parts.
fn split_trailer(text: &str) -> (&str, Option<Trailer<'_>>) {
    let Some(dash) = text.rfind('—') else {
        return (text, None);
    };
    let rest = &text[dash + '—'.len_utf8()..];
    let (Some(open), Some(close)) = (rest.rfind("(@"), rest.rfind(')')) else {
        return (text, None);
    };
    if close < open {
        return (text, None);
    }
    let date = rest[close + 1..].trim();
    let is_date = MONTH_NAMES.iter().any(|m| date.starts_with(m))
        && date.ends_with(|c: char| c.is_ascii_digit())
        && date.split_whitespace().count() == 3;
    if !is_date {
        return (text, None);
    }
    let trailer = Trailer {
        name: rest[..open].trim(),
        handle: &rest[open + 1..close],
        date,
    };
    (&text[..dash], Some(trailer))
}

/// `word` up to a link in it (`camera.https://t.co/x` → `camera.`).
fn strip_link(word: &str) -> &str {
    let starts = ["http://", "https://", "pic.twitter.com/", "www."];
    let cut = starts
        .iter()
        .filter_map(|s| word.find(s))
        .min()
        .unwrap_or(word.len());
    &word[..cut]
}

/// `word` with `#Tags` and `@Handles` in it split at case changes (and,
/// with `digits`, between letters and digits), when `tidy` asks.
fn split_tags(word: &str, tidy: Tidy) -> String {
    let mut out = String::new();
    let chars: Vec<char> = word.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let wanted = (c == '#' && tidy.hashtags) || (c == '@' && tidy.handles);
        if !wanted {
            out.push(c);
            i += 1;
            continue;
        }
        out.push(' ');
        i += 1;
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        out.push_str(&camel_words(&chars[start..i], tidy.digits));
        out.push(' ');
    }
    out.trim().to_string()
}

/// `DefundTheCBC` → `Defund The CBC`, `CBCNews` → `CBC News`; `_` splits too.
fn camel_words(chars: &[char], digits: bool) -> String {
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            out.push(' ');
            continue;
        }
        if i > 0 {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            let lower_to_upper = prev.is_lowercase() && c.is_uppercase();
            let acronym_end =
                prev.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase);
            let digit_change = digits
                && ((prev.is_ascii_digit() && c.is_alphabetic())
                    || (prev.is_alphabetic() && c.is_ascii_digit()));
            if lower_to_upper || acronym_end || digit_change {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Tidy {
        Tidy {
            links: true,
            trailer_date: true,
            trailer_handle: false,
            trailer_name: false,
            hashtags: true,
            handles: true,
            digits: false,
            words: false,
        }
    }

    #[test]
    fn links_dates_and_tags() {
        let tweet = "The drone attack on #Soleimani caught on camera.#IranUsapic.twitter.com/TvRk \
                     https://t.co/abc #DefundTheCBC — Jane Roe (@JaneRoe_News) January 6, 2020";
        assert_eq!(
            tidy(tweet, all()),
            "The drone attack on Soleimani caught on camera. Iran Usa Defund The CBC Jane Roe Jane Roe News"
        );
    }

    #[test]
    fn pasted_default() {
        let tweet =
            "U.S. fares up 8% https://t.co/abc #FerryFares2020 — Jane Roe (@JaneRoe) May 6, 2020";
        assert_eq!(
            tidy(tweet, Tidy::PASTED),
            "U S  fares up 8% Ferry Fares 2020 Jane Roe May 6  2020"
        );
    }

    #[test]
    fn numbers_and_apostrophes_stay_whole() {
        assert_eq!(
            spaced_punctuation("It doesn't rise 11.5% (to $1,900)-ish, 'ok'"),
            "It doesn't rise 11.5%  to $1,900  ish   ok "
        );
    }

    #[test]
    fn camel_case() {
        let words = |s: &str, d| camel_words(&s.chars().collect::<Vec<_>>(), d);
        assert_eq!(words("CBCNews", false), "CBC News");
        assert_eq!(words("AustralianFires", false), "Australian Fires");
        assert_eq!(words("coronavirus", false), "coronavirus");
        assert_eq!(words("COVID19", false), "COVID19");
        assert_eq!(words("COVID19", true), "COVID 19");
    }

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            tidy("Did the Bank — or not — cut rates?", all()),
            "Did the Bank — or not — cut rates?"
        );
        assert_eq!(tidy("a  b", Tidy::NONE), "a b");
    }
}
