//! Canonical JSON per RFC 8785 (JSON Canonicalization Scheme, JCS): the bytes that
//! get signed and hashed. Two parties holding the same JSON value produce the same
//! bytes, whatever order their serialiser wrote the keys in.
//!
//! - Object members are sorted by the UTF-16 code units of their names (RFC 8785
//!   §3.2.3), recursively; array order is kept.
//! - No whitespace.
//! - Strings: `\"`, `\\`, `\b \t \n \f \r` as short escapes, other U+0000–U+001F as
//!   `\u00xx` (lowercase hex), everything else as is (§3.2.2.2).
//! - Numbers: ECMAScript `Number::toString` (ECMA-262 §7.1.12.1 with "Note 2"), i.e.
//!   the shortest digits that round-trip, plain notation for 1e-7 < |x| < 1e21 and
//!   `d.ddde±n` outside; `-0` is written `0` (§3.2.2.3).
//!
//! Integers held exactly by `serde_json` (`i64`/`u64`) are written exactly when
//! |n| ≤ 2^53, which is what ECMAScript prints for them. Larger integers are refused
//! rather than silently rounded to a double: a signature over a rounded number
//! would sign something the author did not write. RFC 8785 §6 recommends carrying
//! such numbers as strings.

use serde::Serialize;
use serde_json::Value;

/// 2^53: the largest magnitude up to which every integer is an exact double.
const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// Why a value has no canonical form.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CanonicalError {
    #[error(
        "canonical JSON: the number {value} at {path} is outside ±2^53 and cannot be written exactly as an IEEE 754 double; carry it as a string"
    )]
    IntegerOutOfRange { path: String, value: String },
    #[error("canonical JSON: the number at {path} is not finite (NaN or infinity is not JSON)")]
    NotFinite { path: String },
    #[error("canonical JSON: the value could not be turned into JSON: {reason}")]
    NotJson { reason: String },
}

/// The RFC 8785 canonical form of `value`.
pub fn to_canonical_json(value: &Value) -> Result<String, CanonicalError> {
    let mut out = String::new();
    write_value(value, &mut out, &mut String::from("$"))?;
    Ok(out)
}

/// The canonical form of anything `Serialize`, going through `serde_json::Value`
/// (so struct field order does not matter).
pub fn to_canonical_json_of<T: Serialize + ?Sized>(value: &T) -> Result<String, CanonicalError> {
    let value = serde_json::to_value(value).map_err(|e| CanonicalError::NotJson {
        reason: e.to_string(),
    })?;
    to_canonical_json(&value)
}

/// The canonical UTF-8 bytes of `value` (what is signed or hashed).
pub fn to_canonical_bytes(value: &Value) -> Result<Vec<u8>, CanonicalError> {
    to_canonical_json(value).map(String::into_bytes)
}

/// Writes `value`; `path` is a JSONPath-like location used only in error messages.
fn write_value(value: &Value, out: &mut String, path: &mut String) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(n, out, path)?,
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                write_value(item, out, path)?;
                path.truncate(len);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            // UTF-16 code unit order, not UTF-8 byte order: they differ above U+FFFF
            // versus U+E000..U+FFFF (RFC 8785 §3.2.3).
            members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, (name, member)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(name, out);
                out.push(':');
                let len = path.len();
                path.push('.');
                path.push_str(name);
                write_value(member, out, path)?;
                path.truncate(len);
            }
            out.push('}');
        }
    }
    Ok(())
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_number(
    n: &serde_json::Number,
    out: &mut String,
    path: &str,
) -> Result<(), CanonicalError> {
    if let Some(u) = n.as_u64() {
        if u > MAX_EXACT_INTEGER {
            return Err(CanonicalError::IntegerOutOfRange {
                path: path.to_string(),
                value: u.to_string(),
            });
        }
        out.push_str(&u.to_string());
    } else if let Some(i) = n.as_i64() {
        if i.unsigned_abs() > MAX_EXACT_INTEGER {
            return Err(CanonicalError::IntegerOutOfRange {
                path: path.to_string(),
                value: i.to_string(),
            });
        }
        out.push_str(&i.to_string());
    } else {
        let f = n.as_f64().ok_or_else(|| CanonicalError::NotFinite {
            path: path.to_string(),
        })?;
        out.push_str(
            &format_es_number(f).ok_or_else(|| CanonicalError::NotFinite {
                path: path.to_string(),
            })?,
        );
    }
    Ok(())
}

/// ECMAScript `Number::toString(x)` for a finite double; `None` for NaN/±∞.
pub fn format_es_number(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        // Covers -0 too (ECMA-262 step 2).
        return Some("0".to_string());
    }
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    let (digits, n) = shortest_digits(x.abs())?;
    let k = digits.len() as i32;
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    Some(out)
}

/// The ECMA-262 digits `s` (k of them, no trailing zero) and exponent `n` with
/// x = 0.s × 10^n, for finite x > 0.
fn shortest_digits(x: f64) -> Option<(String, i32)> {
    // Rust's `{:e}` prints the shortest digit string that round-trips and, among
    // those, the one closest to x — ECMA-262's k minimal and "Note 2" closest.
    let (digits, exponent) = split_scientific(&format!("{x:e}"))?;
    // ECMA-262 writes x = 0.d1d2…dk × 10^n, one more than the scientific exponent.
    let n = exponent + 1;
    // Exact ties are where the two differ: when x lies exactly halfway between two
    // k-digit candidates, Rust rounds half up and ECMA-262 (Note 2) picks the even
    // one (RFC 8785 Appendix B, 1424953923781206.25 → ...206.2). A double has at
    // most 767 significant decimal digits, so 800 shows its exact value.
    let (exact, exact_exponent) = split_scientific(&format!("{x:.800e}"))?;
    let exact = exact.trim_end_matches('0');
    if exact.len() == digits.len() + 1 && exact.ends_with('5') {
        let truncated: u64 = exact[..digits.len()].parse().ok()?;
        let even = if truncated.is_multiple_of(2) {
            truncated
        } else {
            truncated + 1
        };
        let scale = exact_exponent + 1 - digits.len() as i32;
        let candidate: f64 = format!("{even}e{scale}").parse().ok()?;
        if candidate == x {
            let even_digits = even.to_string();
            // A carry (…9 + 1) adds a digit and moves the exponent.
            let n_even = scale + even_digits.len() as i32;
            let trimmed = even_digits.trim_end_matches('0').to_string();
            return Some((trimmed, n_even));
        }
    }
    Some((digits, n))
}

/// "d.ddde-7" → ("dddd", -7); trailing zeros of the mantissa are kept.
fn split_scientific(sci: &str) -> Option<(String, i32)> {
    let (mantissa, exponent) = sci.split_once('e')?;
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    Some((digits, exponent.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// RFC 8785 Appendix B, "ECMAScript-Compatible JSON Number Serialization
    /// Samples": IEEE 754 bit patterns and the JSON text they must give.
    #[test]
    fn rfc8785_appendix_b_number_samples() {
        let samples: &[(u64, &str)] = &[
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ];
        for (bits, expected) in samples {
            let x = f64::from_bits(*bits);
            assert_eq!(
                format_es_number(x).as_deref(),
                Some(*expected),
                "bits {bits:016x}"
            );
            // And through a Value, as the signer sees it.
            let v = serde_json::Number::from_f64(x).map(Value::Number);
            if let Some(v) = v {
                assert_eq!(
                    to_canonical_json(&v).unwrap(),
                    *expected,
                    "bits {bits:016x}"
                );
            }
        }
        // Appendix B rows 7ff0000000000000 / 7fffffffffffffff: not permitted.
        assert_eq!(format_es_number(f64::INFINITY), None);
        assert_eq!(format_es_number(f64::NAN), None);
    }

    #[test]
    fn exponent_boundaries_of_ecmascript() {
        // 1e21 switches to exponent form, 1e-7 too; 1e20 and 1e-6 stay plain.
        assert_eq!(format_es_number(1e21).unwrap(), "1e+21");
        assert_eq!(format_es_number(1e20).unwrap(), "100000000000000000000");
        assert_eq!(format_es_number(1e-7).unwrap(), "1e-7");
        assert_eq!(format_es_number(1e-6).unwrap(), "0.000001");
        assert_eq!(format_es_number(-0.0).unwrap(), "0");
        assert_eq!(format_es_number(4.5).unwrap(), "4.5");
        assert_eq!(format_es_number(1.5e-7).unwrap(), "1.5e-7");
    }

    /// RFC 8785 §3.2.2 input and the canonical output of §3.2.3 (line wrap removed).
    #[test]
    fn rfc8785_section_3_2_example() {
        let input = r#"{
            "numbers": [333333333.33333329, 1E30, 4.50,
                        2e-3, 0.000000000000000000000000001],
            "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
            "literals": [null, true, false]
        }"#;
        let value: Value = serde_json::from_str(input).unwrap();
        let expected = r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#;
        assert_eq!(to_canonical_json(&value).unwrap(), expected);
        // §3.2.4: the UTF-8 bytes.
        let hex = "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
                   75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
                   5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
                   65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
                   5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
                   30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d";
        let bytes: Vec<u8> = hex
            .split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect();
        assert_eq!(to_canonical_bytes(&value).unwrap(), bytes);
    }

    /// RFC 8785 §3.2.3 sorting test data and its expected order.
    #[test]
    fn rfc8785_property_sorting() {
        let input = r#"{
            "\u20ac": "Euro Sign",
            "\r": "Carriage Return",
            "\ufb33": "Hebrew Letter Dalet With Dagesh",
            "1": "One",
            "\ud83d\ude00": "Emoji: Grinning Face",
            "\u0080": "Control",
            "\u00f6": "Latin Small Letter O With Diaeresis"
        }"#;
        let value: Value = serde_json::from_str(input).unwrap();
        let canonical = to_canonical_json(&value).unwrap();
        let order: Vec<&str> = [
            "Carriage Return",
            "One",
            "Control",
            "Latin Small Letter O With Diaeresis",
            "Euro Sign",
            "Emoji: Grinning Face",
            "Hebrew Letter Dalet With Dagesh",
        ]
        .to_vec();
        let positions: Vec<usize> = order
            .iter()
            .map(|name| canonical.find(name).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{canonical}");
    }

    proptest::proptest! {
        /// Whatever the double, the text reads back as the same double, and it is
        /// the shortest such text: dropping the last digit loses the value.
        #[test]
        fn numbers_round_trip_and_are_shortest(bits in proptest::prelude::any::<u64>()) {
            let x = f64::from_bits(bits);
            proptest::prop_assume!(x.is_finite());
            let text = format_es_number(x).unwrap();
            let back: f64 = text.parse().unwrap();
            proptest::prop_assert!(back == x, "{} -> {}", x, text);
            if x != 0.0 {
                let (digits, _) = shortest_digits(x.abs()).unwrap();
                proptest::prop_assert!(!digits.ends_with('0'));
                if digits.len() >= 2 {
                    // The nearest decimal with one digit fewer does not round-trip.
                    let shorter = format!("{:.*e}", digits.len() - 2, x.abs());
                    proptest::prop_assert!(shorter.parse::<f64>().unwrap() != x.abs(), "{}", shorter);
                }
            }
        }
    }

    #[test]
    fn nested_objects_sorted_arrays_kept() {
        let v = json!({"b": [{"z": 1, "a": 2}, 3], "a": {"y": null, "x": true}});
        assert_eq!(
            to_canonical_json(&v).unwrap(),
            r#"{"a":{"x":true,"y":null},"b":[{"a":2,"z":1},3]}"#
        );
    }

    #[test]
    fn integers_exact_up_to_2_pow_53_and_refused_beyond() {
        assert_eq!(
            to_canonical_json(&json!(9007199254740992u64)).unwrap(),
            "9007199254740992"
        );
        assert_eq!(
            to_canonical_json(&json!(-9007199254740992i64)).unwrap(),
            "-9007199254740992"
        );
        let err = to_canonical_json(&json!({"n": [9007199254740993u64]})).unwrap_err();
        assert_eq!(
            err,
            CanonicalError::IntegerOutOfRange {
                path: "$.n[0]".into(),
                value: "9007199254740993".into()
            }
        );
    }
}
