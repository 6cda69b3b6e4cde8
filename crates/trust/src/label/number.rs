//! Numbers on the label: three significant figures, never an exponent.
//!
//! - Rounded to 3 significant figures (round half to even on the exact binary value,
//!   as Rust's `{:.2e}` does); trailing zeros after the decimal point are dropped, so
//!   `0.5` prints as `0.5`, not `0.500`.
//! - Plain notation at every magnitude: `0.0000123`, `12.3`, `1,230`, `123,000,000`.
//! - The integer part is grouped by thousands from four digits on: with `,` in
//!   English (`1,230`) and with a thin space U+2009 in Chinese (`1 230`), the
//!   practice of GB 3101 and the SI brochure, which avoid a comma that some readers
//!   take for a decimal sign.
//! - Negative values (net removals) take the minus sign U+2212.
//!
//! The exact value is in the signed statement and the QR code; the rounding is for the
//! eye only.

use super::strings::Lang;

/// `value` as the label shows it in `lang`.
pub fn format_value(value: f64, lang: Lang) -> String {
    if !value.is_finite() {
        // Unreachable for a checked statement; show something rather than panic.
        return value.to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let scientific = format!("{:.2e}", value.abs());
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
    out.push_str(&group(&integer, lang.group_separator()));
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_significant_figures_in_plain_notation() {
        let en = |v| format_value(v, Lang::En);
        assert_eq!(en(12.34), "12.3");
        assert_eq!(en(0.045_61), "0.0456");
        assert_eq!(en(1234.0), "1,230");
        assert_eq!(en(999.6), "1,000");
        assert_eq!(en(0.5), "0.5");
        assert_eq!(en(1.0), "1");
        assert_eq!(en(0.0), "0");
        assert_eq!(en(1.23e-7), "0.000000123");
        assert_eq!(en(123_456_789.0), "123,000,000");
        assert_eq!(en(-2.346), "\u{2212}2.35");
        assert_eq!(format_value(1234.0, Lang::ZhHans), "1\u{2009}230");
        assert_eq!(format_value(12.34, Lang::ZhHant), "12.3");
    }
}
