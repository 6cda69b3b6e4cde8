//! Numbers and dates as the report prints them.
//!
//! - Amounts: four significant figures in plain notation (a study report is read by
//!   verifiers, so one more figure than the label's three), trailing zeros dropped.
//! - The integer part is grouped by thousands from four digits on, as the carbon label
//!   does: `,` in English (`1,234`), a thin space U+2009 in Chinese (`1 234`, the practice
//!   of GB 3101 and the SI brochure, which avoid a comma some readers take for a decimal
//!   sign). Negative values (removals) take the minus sign U+2212.
//! - Shares as percentages with one decimal; dates as ISO 8601 (`2025-01-17`, UTC), which
//!   reads the same in all three languages.

use crate::strings::Lang;

/// Significant figures of amounts in the report.
pub const SIGNIFICANT: usize = 4;

/// `value` with [`SIGNIFICANT`] figures, grouped for `lang`.
pub fn format_value(value: f64, lang: Lang) -> String {
    format_sig(value, SIGNIFICANT, lang)
}

/// `value` with `sig` significant figures (at least 1) in plain notation.
pub fn format_sig(value: f64, sig: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let sig = sig.clamp(1, 17);
    let scientific = format!("{:.*e}", sig - 1, value.abs());
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (integer, fraction) = if exponent >= 0 {
        let e = exponent as usize;
        if e + 1 >= digits.len() {
            let zeros = "0".repeat(e + 1 - digits.len());
            (format!("{digits}{zeros}"), String::new())
        } else {
            (digits[..=e].to_string(), digits[e + 1..].to_string())
        }
    } else {
        let zeros = "0".repeat((-exponent - 1) as usize);
        ("0".to_string(), format!("{zeros}{digits}"))
    };
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if value < 0.0 {
        out.push('\u{2212}');
    }
    out.push_str(&group(&integer, group_separator(lang)));
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A share (0–1) as a percentage with one decimal: `12.3%`, `−4.0%`.
pub fn format_share(share: f64, lang: Lang) -> String {
    if !share.is_finite() {
        return share.to_string();
    }
    let percent = format!("{:.1}", (share * 100.0).abs());
    let (integer, fraction) = percent.split_once('.').unwrap_or((percent.as_str(), "0"));
    // -0.04 % rounds to 0.0 %: no sign for a printed zero.
    let sign = if share < 0.0 && percent != "0.0" {
        "\u{2212}"
    } else {
        ""
    };
    format!(
        "{sign}{}.{fraction}%",
        group(integer, group_separator(lang))
    )
}

/// A whole number grouped for `lang` (iterations, counts).
pub fn format_count(n: u64, lang: Lang) -> String {
    group(&n.to_string(), group_separator(lang))
}

/// Unix milliseconds as the UTC calendar date `YYYY-MM-DD`.
pub fn format_date(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn group_separator(lang: Lang) -> char {
    match lang {
        Lang::ZhHans | Lang::ZhHant => '\u{2009}',
        Lang::En => ',',
    }
}

fn group(integer: &str, separator: char) -> String {
    if integer.len() < 4 {
        return integer.to_string();
    }
    let mut out = String::new();
    for (i, c) in integer.chars().enumerate() {
        if i > 0 && (integer.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Howard Hinnant's days-to-civil for the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_significant_figures_grouped_per_language() {
        let en = |v| format_value(v, Lang::En);
        assert_eq!(en(78.754), "78.75");
        assert_eq!(en(1234.56), "1,235");
        assert_eq!(en(0.000_123_45), "0.0001234");
        assert_eq!(en(12_345_678.0), "12,350,000");
        assert_eq!(en(0.5), "0.5");
        assert_eq!(en(0.0), "0");
        assert_eq!(en(-2.5), "\u{2212}2.5");
        assert_eq!(format_value(1234.56, Lang::ZhHans), "1\u{2009}235");
        assert_eq!(format_value(1234.56, Lang::ZhHant), "1\u{2009}235");
        assert_eq!(format_sig(12.34, 3, Lang::En), "12.3");
        assert_eq!(format_value(f64::NAN, Lang::En), "NaN");
    }

    #[test]
    fn shares_counts_and_dates() {
        assert_eq!(format_share(0.1234, Lang::En), "12.3%");
        assert_eq!(format_share(-0.05, Lang::En), "\u{2212}5.0%");
        assert_eq!(format_share(-0.0001, Lang::En), "0.0%");
        assert_eq!(format_share(12.0, Lang::En), "1,200.0%");
        assert_eq!(format_count(10_000, Lang::En), "10,000");
        assert_eq!(format_count(10_000, Lang::ZhHans), "10\u{2009}000");
        assert_eq!(format_date(0), "1970-01-01");
        // 2025-01-17T12:00:00Z
        assert_eq!(format_date(1_737_115_200_000), "2025-01-17");
        assert_eq!(format_date(951_782_400_000), "2000-02-29");
        assert_eq!(format_date(-86_400_000), "1969-12-31");
    }
}
