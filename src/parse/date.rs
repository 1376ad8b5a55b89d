//! Reading the dates briefs carry into a day number, for sorting and
//! `--since`/`--until`. Dates are written every which way (`2026-11-28`,
//! `28 Nov 2026`, `Nov 28, 2026`, Reuters' `26-FEB-1987 15:01:01.79`); what
//! cannot be read stays a string and simply has no day.

use time::{Date, Month, OffsetDateTime};

/// The months' names, in order: `parse_day` reads any of their first three
/// letters (`Nov`, `NOVEMBER`), and `query::tidy` recognises a trailing
/// attribution's date by them.
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

fn month_number(name: &str) -> Option<u8> {
    let prefix = name.get(..3)?;
    MONTH_NAMES
        .iter()
        .position(|m| m[..3].eq_ignore_ascii_case(prefix))
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// Days since 1970-01-01 of a calendar date, `None` for a day the month
/// does not have (`2026-02-31`, `2025-02-29`) or a year outside 1–9999.
fn valid(year: i64, month: u8, day: u8) -> Option<i64> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, Month::try_from(month).ok()?, day)
            .ok()?;
    Some(i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY)
}

/// The calendar date of a day number, `None` outside what `time` knows.
fn date_of_day(days: i64) -> Option<Date> {
    let julian = i32::try_from(days.checked_add(UNIX_EPOCH_JULIAN_DAY)?).ok()?;
    Date::from_julian_day(julian).ok()
}

/// Reads a date into days since 1970-01-01, `None` when it is not a date
/// this function knows.
pub(crate) fn parse_day(text: &str) -> Option<i64> {
    let text = text.trim();
    let date_part = text.split(' ').next().unwrap_or(text);
    let date_part = iso_date_part(date_part);
    // 2026-11-28, 2026/11/28, 2026.11.28
    let numeric: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if let [y, m, d] = numeric.as_slice() {
        if y.len() == 4 {
            return valid(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
        // 26-FEB-1987
        if let (Some(month), true) = (month_number(m), y.len() <= 2) {
            return valid(d.get(..4)?.parse().ok()?, month, y.parse().ok()?);
        }
    }
    // 20261128
    if date_part.len() == 8 && date_part.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = date_part.parse().ok()?;
        let two_digits = |x: u32| u8::try_from(x % 100).ok();
        return valid(i64::from(n / 10_000), two_digits(n / 100)?, two_digits(n)?);
    }
    // 28 Nov 2026, Nov 28, 2026, November 28 2026
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [d, m, y, ..] if month_number(m).is_some() => {
            valid(y.parse().ok()?, month_number(m)?, d.parse().ok()?)
        }
        [m, d, y, ..] if month_number(m).is_some() => {
            valid(y.parse().ok()?, month_number(m)?, d.parse().ok()?)
        }
        _ => None,
    }
}

/// The date before an ISO 8601 time (`2026-11-28T09:00Z` → `2026-11-28`):
/// only a `T` between two digits starts a time, so the `T` of a month name
/// (`26-OCT-1987`) does not.
fn iso_date_part(text: &str) -> &str {
    let bytes = text.as_bytes();
    let time_at = (1..bytes.len().saturating_sub(1)).find(|&i| {
        matches!(bytes[i], b'T' | b't')
            && bytes[i - 1].is_ascii_digit()
            && bytes[i + 1].is_ascii_digit()
    });
    time_at.map_or(text, |i| &text[..i])
}

/// Formats a day number as `YYYY-MM-DD`.
pub(crate) fn format_day(days: i64) -> String {
    date_of_day(days).map_or_else(|| days.to_string(), format_date)
}

fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Formats seconds since the epoch as an RFC 3339 UTC time.
pub(crate) fn format_timestamp(secs: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => format!(
            "{}T{:02}:{:02}:{:02}Z",
            format_date(t.date()),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => format!("{secs} s after the epoch"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(
            parse_day("2026-11-28").map(format_day).as_deref(),
            Some("2026-11-28")
        );
        assert_eq!(
            parse_day("2026-11-28T09:30:00Z").map(format_day).as_deref(),
            Some("2026-11-28")
        );
        assert_eq!(
            parse_day("20261128").map(format_day).as_deref(),
            Some("2026-11-28")
        );
    }

    #[test]
    fn written_dates_parse() {
        for text in [
            "28 Nov 2026",
            "Nov 28, 2026",
            "November 28 2026",
            "28-NOV-2026 15:01:01.79",
        ] {
            assert_eq!(
                parse_day(text).map(format_day).as_deref(),
                Some("2026-11-28"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_month_name_holding_a_t_is_not_cut_as_a_time() {
        for (text, day) in [
            ("26-OCT-1987 15:01:01.79", "1987-10-26"),
            ("26-oct-1987", "1987-10-26"),
            ("1987-10-26T15:01:01Z", "1987-10-26"),
            ("1987-10-26t15:01", "1987-10-26"),
        ] {
            assert_eq!(
                parse_day(text).map(format_day).as_deref(),
                Some(day),
                "{text}"
            );
        }
    }

    #[test]
    fn nonsense_is_not_a_date() {
        for text in ["yesterday", "2026-13-01", "", "12 apples 2026x"] {
            assert_eq!(parse_day(text), None, "{text}");
        }
    }

    #[test]
    fn day_numbers_round_trip() {
        for days in [-1000, 0, 59, 60, 11_016, 20_785] {
            let date = date_of_day(days).unwrap();
            let month = u8::from(date.month());
            assert_eq!(valid(i64::from(date.year()), month, date.day()), Some(days));
        }
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(1_764_322_200), "2025-11-28T09:30:00Z");
    }

    #[test]
    fn days_a_month_does_not_have_are_not_dates() {
        for text in ["2026-02-31", "2025-02-29", "31 Apr 2026", "2026-06-31"] {
            assert_eq!(parse_day(text), None, "{text}");
        }
        assert!(parse_day("2024-02-29").is_some(), "2024 is a leap year");
    }
}
