//! Reading the dates briefs carry into a day number, for sorting and
//! `--since`/`--until`. Dates are written every which way (`2026-11-28`,
//! `28 Nov 2026`, `Nov 28, 2026`, Reuters' `26-FEB-1987 15:01:01.79`); what
//! cannot be read stays a string and simply has no day.

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number: the inverse of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as u32 + 1)
}

fn valid(year: i64, month: u32, day: u32) -> Option<i64> {
    let ok = (1..=9999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
    ok.then(|| days_from_civil(year, month, day))
}

/// Reads a date into days since 1970-01-01, `None` when it is not a date
/// this function knows.
pub fn parse_day(text: &str) -> Option<i64> {
    let text = text.trim();
    let date_part = text.split(['T', ' ']).next().unwrap_or(text);
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
        return valid(i64::from(n / 10_000), n / 100 % 100, n % 100);
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

/// Formats a day number as `YYYY-MM-DD`.
pub fn format_day(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Formats seconds since the epoch as an RFC 3339 UTC time.
pub fn format_timestamp(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_day(days),
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
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
    fn nonsense_is_not_a_date() {
        for text in ["yesterday", "2026-13-01", "", "12 apples 2026x"] {
            assert_eq!(parse_day(text), None, "{text}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1000, 0, 59, 60, 11_016, 20_785] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
    }
}
