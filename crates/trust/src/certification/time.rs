//! Time as the state machine sees it: an instant in Unix seconds (UTC) and a civil date.
//!
//! The state machine never reads a clock; every action carries the instant it happens
//! at. Calendar arithmetic (validity "two years from issue", surveillance "every twelve
//! months") is done here by hand on the proleptic Gregorian calendar so the crate needs
//! no date library.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

const SECONDS_PER_DAY: i64 = 86_400;

/// An instant, in seconds since 1970-01-01T00:00:00Z (leap seconds ignored, as Unix
/// time does). Serialised as a plain integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn from_unix_seconds(seconds: i64) -> Timestamp {
        Timestamp(seconds)
    }

    pub fn unix_seconds(self) -> i64 {
        self.0
    }

    /// Midnight UTC at the start of `date`.
    pub fn at_midnight(date: Date) -> Option<Timestamp> {
        days_from_civil(i64::from(date.year), date.month, date.day)
            .checked_mul(SECONDS_PER_DAY)
            .map(Timestamp)
    }

    /// The UTC calendar date this instant falls on.
    pub fn date(self) -> Date {
        let (y, m, d) = civil_from_days(self.0.div_euclid(SECONDS_PER_DAY));
        // Dates outside i32 years only come from absurd inputs; clamp rather than panic.
        let year = i32::try_from(y).unwrap_or(if y < 0 { i32::MIN } else { i32::MAX });
        Date {
            year,
            month: m,
            day: d,
        }
    }

    /// The same time of day, `months` calendar months later. A day that does not exist
    /// in the target month (31 March + 1 month, 29 February + 12 months) becomes that
    /// month's last day, so a period never runs into the month after. `None` on overflow.
    pub fn add_months(self, months: u32) -> Option<Timestamp> {
        let days = self.0.div_euclid(SECONDS_PER_DAY);
        let second_of_day = self.0.rem_euclid(SECONDS_PER_DAY);
        let (y, m, d) = civil_from_days(days);
        let month_index = (m as i64 - 1).checked_add(i64::from(months))?;
        let year = y.checked_add(month_index.div_euclid(12))?;
        let month = (month_index.rem_euclid(12) + 1) as u8;
        let day = d.min(days_in_month(year, month));
        days_from_civil(year, month, day)
            .checked_mul(SECONDS_PER_DAY)?
            .checked_add(second_of_day)
            .map(Timestamp)
    }

    /// `add_months(12 * years)`.
    pub fn add_years(self, years: u32) -> Option<Timestamp> {
        self.add_months(years.checked_mul(12)?)
    }
}

/// RFC 3339 in UTC, e.g. `2027-03-17T10:00:00Z`: what error messages show.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.rem_euclid(SECONDS_PER_DAY);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            s / 3600,
            (s / 60) % 60,
            s % 60
        )
    }
}

/// A civil (calendar) date, e.g. the day of an on-site visit. Serialised as
/// `"YYYY-MM-DD"`; only real dates can be built or parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// `None` unless the date exists (month 1–12, day within the month, leap years
    /// by the Gregorian rule).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(i64::from(year), month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date (expected YYYY-MM-DD, a day that exists)")]
pub struct DateParseError(pub String);

impl FromStr for Date {
    type Err = DateParseError;

    fn from_str(s: &str) -> Result<Date, DateParseError> {
        let err = || DateParseError(s.to_string());
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = match (parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => return Err(err()),
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if !(all_digits(y) && all_digits(m) && all_digits(d)) {
            return Err(err());
        }
        let (y, m, d) = (
            y.parse().map_err(|_| err())?,
            m.parse().map_err(|_| err())?,
            d.parse().map_err(|_| err())?,
        );
        Date::new(y, m, d).ok_or_else(err)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

// Howard Hinnant's `days_from_civil` / `civil_from_days`
// (https://howardhinnant.github.io/date_algorithms.html): exact for the proleptic
// Gregorian calendar, day 0 = 1970-01-01.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(y: i32, m: u8, d: u8, secs: i64) -> Timestamp {
        Timestamp(
            Timestamp::at_midnight(Date::new(y, m, d).unwrap())
                .unwrap()
                .0
                + secs,
        )
    }

    #[test]
    fn known_instants() {
        // 1970-01-01 is day 0; 2000-03-01 is day 11017; 2025-03-17 is day 20164
        // (counted: 2025-01-01 is 20089, plus 31 + 28 + 16).
        assert_eq!(ts(1970, 1, 1, 0).0, 0);
        assert_eq!(ts(2000, 3, 1, 0).0, 11_017 * 86_400);
        assert_eq!(ts(2025, 1, 1, 0).0, 20_089 * 86_400);
        assert_eq!(ts(2025, 3, 17, 0).0, 20_164 * 86_400);
        assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59Z");
        assert_eq!(ts(2025, 3, 17, 36_000).to_string(), "2025-03-17T10:00:00Z");
    }

    #[test]
    fn two_years_from_issue() {
        assert_eq!(
            ts(2025, 3, 17, 36_000).add_years(2),
            Some(ts(2027, 3, 17, 36_000))
        );
        // 29 February has no twin two years on: the period ends on 28 February.
        assert_eq!(ts(2024, 2, 29, 5).add_years(2), Some(ts(2026, 2, 28, 5)));
        // ... but four years on it exists again.
        assert_eq!(ts(2024, 2, 29, 5).add_years(4), Some(ts(2028, 2, 29, 5)));
        assert_eq!(ts(2025, 1, 31, 0).add_months(1), Some(ts(2025, 2, 28, 0)));
        assert_eq!(ts(2025, 12, 15, 0).add_months(1), Some(ts(2026, 1, 15, 0)));
        assert_eq!(ts(1969, 12, 31, 0).add_months(2), Some(ts(1970, 2, 28, 0)));
        assert_eq!(Timestamp(i64::MAX).add_years(2), None);
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        for t in [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX] {
            let t = Timestamp(t);
            let _ = t.add_years(2);
            let _ = t.add_months(u32::MAX);
            let _ = t.to_string();
            let _ = t.date();
        }
        // Two years after the first representable instant is still representable.
        assert!(Timestamp(i64::MIN).add_years(2) > Some(Timestamp(i64::MIN)));
    }

    #[test]
    fn round_trip_every_day_of_four_centuries() {
        // Covers every leap-year rule (4, 100, 400) at least once.
        let start = days_from_civil(1900, 1, 1);
        for day in start..start + 146_097 {
            let (y, m, d) = civil_from_days(day);
            assert!(Date::new(y as i32, m, d).is_some(), "{y}-{m}-{d}");
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }

    #[test]
    fn dates_parse_only_when_real() {
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
        for bad in [
            "2025-02-29",
            "1900-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-1-01",
            "x",
            "",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
        assert!("2000-02-29".parse::<Date>().is_ok());
        let json = serde_json::to_string(&Date::new(2026, 11, 21).unwrap()).unwrap();
        assert_eq!(json, "\"2026-11-21\"");
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    }
}
