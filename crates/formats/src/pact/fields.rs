//! The scope and identity fields of a PACT footprint, from the product model: declared
//! unit, geography, reference period, URNs and the footprint id.

use super::export::PactExportOptions;
use super::{PACT_UNITS, PactError, PactVersion, UN_REGIONS};
use serde_json::{Value, json};
use zuji_calc::FootprintResult;
use zuji_model::product::ProductModel;
use zuji_model::{Dimension, Unit};

pub(super) fn unmappable(field: &str, message: impl Into<String>) -> PactError {
    PactError::Unmappable {
        field: field.into(),
        message: message.into(),
    }
}

/// The PACT unit for a Zuji declared unit, and the declared amount in it.
pub(super) struct DeclaredUnit {
    pub pact: &'static str,
    pub amount: f64,
    /// kg of product per declared unit, where the spec fixes it.
    pub fixed_mass: Option<f64>,
}

pub(super) fn declared_unit(
    model: &ProductModel,
    opts: &PactExportOptions,
) -> Result<DeclaredUnit, PactError> {
    let du = &model.product.declared_unit;
    let unit = Unit::parse(&du.unit).map_err(|e| unmappable("declared unit", e))?;
    let v2 = opts.version == PactVersion::V2_3;
    let pact = match unit.dimension {
        Dimension::Mass => "kilogram",
        Dimension::Volume if unit.to_base < 1.0 => "liter",
        Dimension::Volume => "cubic meter",
        Dimension::Energy if unit.symbol.ends_with("Wh") => "kilowatt hour",
        Dimension::Energy => "megajoule",
        Dimension::Area => "square meter",
        Dimension::FreightTransport => "ton kilometer",
        Dimension::Count if !v2 => "piece",
        Dimension::Time if !v2 => "hour",
        Dimension::Count if opts.product_mass_per_declared_unit.is_some() => {
            // v2.x has no `piece`: declare per kg with the product's mass as amount (ADR 0036).
            let mass = opts.product_mass_per_declared_unit.unwrap_or_default();
            if !(mass > 0.0 && mass.is_finite()) {
                return Err(unmappable(
                    "productMassPerDeclaredUnit",
                    format!("the product mass must be > 0 kg, got {mass}"),
                ));
            }
            return Ok(DeclaredUnit {
                pact: "kilogram",
                amount: mass,
                fixed_mass: Some(mass),
            });
        }
        _ => {
            let known: Vec<&str> = PACT_UNITS
                .iter()
                .filter(|u| !v2 || u.2)
                .map(|u| u.0)
                .collect();
            return Err(unmappable(
                "declared unit",
                format!(
                    "'{}' ({}) has no PACT {} unit (PACT knows {}){}",
                    du.unit,
                    unit.dimension.as_str(),
                    opts.version.spec_version(),
                    known.join(", "),
                    if v2 && unit.dimension == Dimension::Count {
                        "; give product_mass_per_declared_unit to declare it per kilogram, or export v3"
                    } else {
                        ""
                    }
                ),
            ));
        }
    };
    let zuji_symbol = PACT_UNITS
        .iter()
        .find(|u| u.0 == pact)
        .map(|u| u.1)
        .unwrap_or("kg");
    let factor = Unit::parse(zuji_symbol)
        .and_then(|to| unit.factor_to(&to))
        .map_err(|e| unmappable("declared unit", e))?;
    let amount = du.amount * factor;
    if !(amount > 0.0 && amount.is_finite()) {
        return Err(unmappable(
            "declared unit",
            format!("the declared amount must be > 0, got {}", du.amount),
        ));
    }
    let fixed_mass = match unit.dimension {
        Dimension::Mass => Some(amount),
        Dimension::Energy | Dimension::FreightTransport | Dimension::Time => Some(0.0),
        _ => None,
    };
    Ok(DeclaredUnit {
        pact,
        amount,
        fixed_mass,
    })
}

/// `CN` → country, `CN-GD` → subdivision, a UN region → region, global → none.
pub(super) fn geography(geo: &str) -> Result<Option<(&'static str, String)>, PactError> {
    let g = geo.trim();
    if g.is_empty() || g.eq_ignore_ascii_case("GLO") || g.eq_ignore_ascii_case("global") {
        return Ok(None);
    }
    let upper = |s: &str| s.bytes().all(|b| b.is_ascii_uppercase());
    let alnum = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    if g.len() == 2 && upper(g) {
        return Ok(Some(("geographyCountry", g.into())));
    }
    if let Some((cc, sub)) = g.split_once('-')
        && cc.len() == 2
        && upper(cc)
        && (1..=3).contains(&sub.len())
        && alnum(sub)
    {
        return Ok(Some(("geographyCountrySubdivision", g.into())));
    }
    if let Some(r) = UN_REGIONS.iter().find(|r| r.eq_ignore_ascii_case(g)) {
        return Ok(Some(("geographyRegionOrSubregion", (*r).into())));
    }
    Err(unmappable(
        "geography",
        format!("'{geo}' is not an ISO 3166-1/-2 code, a UN region or GLO"),
    ))
}

/// `2024`, `2024-07`, `2024-07-15` or `start/end` → PACT start (inclusive) and end
/// (exclusive) as RFC 3339 UTC times.
pub(super) fn reference_period(p: &str) -> Result<(String, String), PactError> {
    let bad = || {
        unmappable(
            "reference period",
            format!("'{p}' is not YYYY, YYYY-MM, YYYY-MM-DD or start/end of those"),
        )
    };
    let parse = |s: &str| -> Option<(i32, Option<u32>, Option<u32>)> {
        let mut it = s.trim().split('-');
        let y: i32 = it
            .next()?
            .parse()
            .ok()
            .filter(|y| (1000..=9999).contains(y))?;
        let m = it
            .next()
            .map(|m| m.parse::<u32>().ok().filter(|m| (1..=12).contains(m)));
        let d = it.next().map(|d| d.parse::<u32>().ok());
        if it.next().is_some() {
            return None;
        }
        let m = m.map_or(Some(None), |m| m.map(Some))?;
        let d = d.map_or(Some(None), |d| d.map(Some))?;
        if let (Some(m), Some(d)) = (m, d)
            && !(1..=days_in(y, m)).contains(&d)
        {
            return None;
        }
        Some((y, m, d))
    };
    let (a, b) = p.split_once('/').unwrap_or((p, p));
    let start = parse(a).ok_or_else(bad)?;
    let end = parse(b).ok_or_else(bad)?;
    let (sy, sm, sd) = (start.0, start.1.unwrap_or(1), start.2.unwrap_or(1));
    // The day after the last day the end names.
    let (ey, em, ed) = match end {
        (y, None, _) => (y + 1, 1, 1),
        (y, Some(12), None) => (y + 1, 1, 1),
        (y, Some(m), None) => (y, m + 1, 1),
        (y, Some(m), Some(d)) if d < days_in(y, m) => (y, m, d + 1),
        (y, Some(12), Some(_)) => (y + 1, 1, 1),
        (y, Some(m), Some(_)) => (y, m + 1, 1),
    };
    if (ey, em, ed) <= (sy, sm, sd) {
        return Err(bad());
    }
    let t = |y: i32, m: u32, d: u32| format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
    Ok((t(sy, sm, sd), t(ey, em, ed)))
}

/// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, the JSON-schema `date-time` format.
pub(super) fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(digits(0..4) && at(4, b'-') && digits(5..7) && at(7, b'-') && digits(8..10))
        || !(at(10, b'T') || at(10, b't'))
        || !(digits(11..13) && at(13, b':') && digits(14..16) && at(16, b':') && digits(17..19))
    {
        return false;
    }
    let mut i = 19;
    if at(i, b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            digits(i + 1..i + 3) && at(i + 3, b':') && digits(i + 4..i + 6) && i + 6 == b.len()
        }
        _ => false,
    }
}

fn days_in(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub(super) fn urns(field: &str, ids: &[String]) -> Result<Value, PactError> {
    if ids.is_empty() {
        return Err(unmappable(field, "PACT requires at least one URN"));
    }
    for id in ids {
        if !id.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) {
            return Err(unmappable(field, format!("'{id}' is not a URN (urn:…)")));
        }
    }
    let mut seen = ids.to_vec();
    seen.sort();
    seen.dedup();
    if seen.len() != ids.len() {
        return Err(unmappable(field, "duplicate URNs"));
    }
    Ok(json!(ids))
}

/// A lower-case UUID from `urn:uuid:…`, a bare UUID, or the fingerprint (version 8).
pub(super) fn footprint_id(
    opts: &PactExportOptions,
    result: &FootprintResult,
) -> Result<String, PactError> {
    let is_uuid = |s: &str| {
        s.len() == 36
            && s.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    if let Some(id) = &opts.id {
        let bare = id
            .get(..9)
            .filter(|p| p.eq_ignore_ascii_case("urn:uuid:"))
            .map_or(id.as_str(), |_| &id[9..]);
        return if is_uuid(bare) {
            Ok(bare.to_ascii_lowercase())
        } else {
            Err(unmappable("id", format!("'{id}' is not a UUID")))
        };
    }
    let h: Vec<char> = result.fingerprint.sha256.chars().take(32).collect();
    if h.len() != 32 || !h.iter().all(|c| c.is_ascii_hexdigit()) {
        return Err(unmappable(
            "id",
            "the result has no fingerprint to derive it from",
        ));
    }
    let mut h: Vec<char> = h.into_iter().map(|c| c.to_ascii_lowercase()).collect();
    h[12] = '8'; // version 8: vendor-specific (RFC 9562 §5.8)
    h[16] = ['8', '9', 'a', 'b'][h[16].to_digit(16).unwrap_or(0) as usize % 4];
    let s: String = h.into_iter().collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &s[..8],
        &s[8..12],
        &s[12..16],
        &s[16..20],
        &s[20..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_periods_end_exclusive() {
        let r = |p: &str| reference_period(p).unwrap();
        assert_eq!(
            r("2024"),
            ("2024-01-01T00:00:00Z".into(), "2025-01-01T00:00:00Z".into())
        );
        assert_eq!(
            r("2024-07/2025-06"),
            ("2024-07-01T00:00:00Z".into(), "2025-07-01T00:00:00Z".into())
        );
        assert_eq!(
            r("2024-02-01/2024-02-29"),
            ("2024-02-01T00:00:00Z".into(), "2024-03-01T00:00:00Z".into())
        );
        assert!(reference_period("2025/2024").is_err());
        assert!(reference_period("FY24").is_err());
    }

    #[test]
    fn created_must_be_rfc3339() {
        assert!(is_rfc3339("2026-01-15T08:00:00Z"));
        assert!(is_rfc3339("2026-01-15T08:00:00.123+08:00"));
        for bad in [
            "2026-01-15",
            "2026-01-15 08:00:00Z",
            "2026-01-15T08:00:00",
            "2026-01-15T08:00:00+0800",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn geography_levels() {
        assert_eq!(geography("CN").unwrap().unwrap().0, "geographyCountry");
        assert_eq!(
            geography("CN-GD").unwrap().unwrap().0,
            "geographyCountrySubdivision"
        );
        assert_eq!(
            geography("eastern asia").unwrap().unwrap().1,
            "Eastern Asia"
        );
        assert!(geography("GLO").unwrap().is_none());
        assert!(geography("China").is_err());
    }
}
