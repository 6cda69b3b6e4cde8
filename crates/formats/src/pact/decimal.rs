//! PACT decimals: numbers carried as JSON strings (`"12.5"`), never in exponent form.
//!
//! The v3.0.3 specification types `Decimal` with the pattern `^[+-]?\d+(\.\d+)?$`; the
//! v3.0.4 OpenAPI file only says `format: decimal`, which generic validators ignore, so
//! both the writer and the reader enforce the pattern here.

/// Significant digits written. Twelve keep every value within 5·10⁻¹² relative of the
/// computed one (far below any inventory's precision) while dropping the last-bit noise
/// of floating point (`94.01999999999998` is written `94.02`).
pub const SIGNIFICANT_DIGITS: i32 = 12;

/// Writes `x` with [`SIGNIFICANT_DIGITS`] significant digits, trailing zeros removed,
/// without exponent; `None` for NaN and infinities, which PACT cannot carry.
pub fn format_decimal(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        return Some("0".into());
    }
    let exponent = x.abs().log10().floor() as i32;
    let decimals = SIGNIFICANT_DIGITS - 1 - exponent;
    let mut s = if decimals > 0 {
        format!("{:.*}", decimals as usize, x)
    } else {
        let step = 10f64.powi(-decimals);
        format!("{:.0}", (x / step).round() * step)
    };
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" {
        s = "0".into();
    }
    Some(s)
}

/// Rounds `x` to [`SIGNIFICANT_DIGITS`], for the v2 properties typed as JSON numbers.
pub fn round_significant(x: f64) -> Option<f64> {
    format_decimal(x)?.parse().ok()
}

/// Reads a decimal string that matches `^[+-]?\d+(\.\d+)?$`.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    s.parse().ok().filter(|v: &f64| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_without_exponent_and_noise() {
        assert_eq!(format_decimal(94.01999999999998).unwrap(), "94.02");
        assert_eq!(format_decimal(1000.0).unwrap(), "1000");
        assert_eq!(format_decimal(-0.0).unwrap(), "0");
        assert_eq!(format_decimal(1.5e-7).unwrap(), "0.00000015");
        assert_eq!(
            format_decimal(1.234_567_890_123_4e15).unwrap(),
            "1234567890120000"
        );
        assert_eq!(format_decimal(-14.22).unwrap(), "-14.22");
        assert!(format_decimal(f64::NAN).is_none());
    }

    #[test]
    fn reads_only_the_pattern() {
        assert_eq!(parse_decimal("+12.5"), Some(12.5));
        assert_eq!(parse_decimal("-0.25"), Some(-0.25));
        for bad in ["1e3", "1.", ".5", "", "-", "NaN", "1,5", " 1"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }
}
