//! Days as stories show them (`2026-03-04`), and `--window` read into whole
//! days.

use time::Date;

/// The Julian day number of 1970-01-01 (day numbers count from it).
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// A day number as `YYYY-MM-DD`.
pub(crate) fn format_day(day: i64) -> String {
    let date = day
        .checked_add(UNIX_EPOCH_JULIAN_DAY)
        .and_then(|j| i32::try_from(j).ok())
        .and_then(|j| Date::from_julian_day(j).ok());
    match date {
        Some(d) => format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
        None => day.to_string(),
    }
}

/// A window such as `72h`, `3d` or `2w` in whole days, rounded up (briefs
/// are dated by the day: `36h` compares briefs at most 2 days apart, `0d`
/// only briefs of the same day). `None` when it is not a duration.
pub(crate) fn window_days(text: &str) -> Option<i64> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().ok()?;
    let hours = match unit.trim() {
        "h" | "hour" | "hours" => n,
        "d" | "day" | "days" => n.checked_mul(24)?,
        "w" | "week" | "weeks" => n.checked_mul(24 * 7)?,
        _ => return None,
    };
    Some((hours + 23) / 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_format_as_iso_dates() {
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(20_516), "2026-03-04");
    }

    #[test]
    fn windows_round_up_to_days() {
        assert_eq!(window_days("72h"), Some(3));
        assert_eq!(window_days("36h"), Some(2));
        assert_eq!(window_days("3d"), Some(3));
        assert_eq!(window_days("2w"), Some(14));
        assert_eq!(window_days("0d"), Some(0));
        for bad in ["", "h", "3", "3 parsecs", "-1d", "1.5d"] {
            assert_eq!(window_days(bad), None, "{bad}");
        }
    }
}
