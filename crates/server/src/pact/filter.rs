//! The v3 `ListFootprints` filters: `productId`, `companyId`, `geography`,
//! `classification`, `validOn`, `validAfter`, `validBefore`, `status`. Values of one
//! criterion are ORed, criteria are ANDed; matching is case-insensitive (PACT v3.0.4,
//! `/3/footprints` and `components/parameters`).
//!
//! Unknown values never fail a request: a `status` that is neither `Active` nor
//! `Deprecated`, or an id that is not a URN, simply matches nothing (the conformance
//! tool's tests 29 and 37 expect `200` with an empty list). A date that cannot be read
//! is a bad request: it cannot be "matched".

use super::time::parse_rfc3339;
use serde_json::Value;

/// One list request's filters, parsed from its query string.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FootprintFilter {
    pub product_ids: Vec<String>,
    pub company_ids: Vec<String>,
    pub geographies: Vec<String>,
    pub classifications: Vec<String>,
    pub statuses: Vec<String>,
    /// Seconds since the epoch.
    pub valid_on: Option<f64>,
    pub valid_after: Option<f64>,
    pub valid_before: Option<f64>,
}

/// The paging part of a list request.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Paging {
    pub limit: Option<usize>,
    pub offset: usize,
}

/// A query parameter the host cannot use, named for the error response.
#[derive(Debug, Clone, PartialEq)]
pub struct BadParameter {
    pub name: String,
    pub problem: String,
}

/// Parses `productId=…&geography=…&limit=…`; repeated names add values. Extension
/// parameters (`x-…`) are accepted and ignored, as the spec allows.
pub fn parse_query(pairs: &[(String, String)]) -> Result<(FootprintFilter, Paging), BadParameter> {
    let mut f = FootprintFilter::default();
    let mut paging = Paging::default();
    let date = |name: &str, v: &str| {
        parse_rfc3339(v).ok_or_else(|| BadParameter {
            name: name.into(),
            problem: format!("'{v}' is not an RFC 3339 date-time such as 2025-04-01T00:00:00Z"),
        })
    };
    for (name, value) in pairs {
        let value = value.trim();
        // Case-insensitive names: the spec's own example writes `productid`.
        match name.to_ascii_lowercase().as_str() {
            "productid" => push(&mut f.product_ids, value),
            "companyid" => push(&mut f.company_ids, value),
            "geography" => push(&mut f.geographies, value),
            "classification" => push(&mut f.classifications, value),
            "status" => push(&mut f.statuses, value),
            "validon" => f.valid_on = Some(date(name, value)?),
            "validafter" => f.valid_after = Some(date(name, value)?),
            "validbefore" => f.valid_before = Some(date(name, value)?),
            "limit" => {
                paging.limit = Some(value.parse().map_err(|_| BadParameter {
                    name: name.clone(),
                    problem: format!("'{value}' is not a whole number of footprints"),
                })?)
            }
            "offset" => {
                paging.offset = value.parse().map_err(|_| BadParameter {
                    name: name.clone(),
                    problem: format!("'{value}' is not a position in the list"),
                })?
            }
            n if n.starts_with("x-") => {}
            "$filter" => {
                return Err(BadParameter {
                    name: name.clone(),
                    problem: "the OData $filter of PACT v2 is not supported; use the v3 filter parameters".into(),
                });
            }
            _ => {
                return Err(BadParameter {
                    name: name.clone(),
                    problem: "not a ListFootprints parameter (productId, companyId, geography, classification, validOn, validAfter, validBefore, status, limit)".into(),
                });
            }
        }
    }
    Ok((f, paging))
}

/// Empty values (`geography=`) place no condition.
fn push(values: &mut Vec<String>, v: &str) {
    if !v.is_empty() {
        values.push(v.to_lowercase());
    }
}

fn strings(doc: &Value, key: &str) -> Vec<String> {
    match doc.get(key) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str())
            .map(str::to_lowercase)
            .collect(),
        _ => Vec::new(),
    }
}

fn any_of(wanted: &[String], have: &[String]) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| have.contains(w))
}

/// The footprint's validity period in seconds: its own, or the spec's default (from the
/// end of the reference period for three years).
pub fn validity_period(doc: &Value) -> Option<(f64, f64)> {
    let s = |k: &str| doc.get(k).and_then(Value::as_str).and_then(parse_rfc3339);
    let ref_end = doc
        .get("pcf")
        .and_then(|p| p.get("referencePeriodEnd"))
        .and_then(Value::as_str)
        .and_then(parse_rfc3339);
    let start = s("validityPeriodStart").or(ref_end)?;
    let end = s("validityPeriodEnd").unwrap_or(start + 3.0 * 365.25 * 86_400.0);
    Some((start, end))
}

impl FootprintFilter {
    /// Whether a v3 `ProductFootprint` (with its served `status`) passes every criterion.
    pub fn matches(&self, doc: &Value) -> bool {
        if !any_of(&self.product_ids, &strings(doc, "productIds"))
            || !any_of(&self.company_ids, &strings(doc, "companyIds"))
            || !any_of(
                &self.classifications,
                &strings(doc, "productClassifications"),
            )
        {
            return false;
        }
        if !self.statuses.is_empty() {
            let status = doc
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_lowercase();
            if !self.statuses.contains(&status) {
                return false;
            }
        }
        if !self.geographies.is_empty() && !self.geography_matches(doc) {
            return false;
        }
        if self.valid_on.is_some() || self.valid_after.is_some() || self.valid_before.is_some() {
            let Some((start, end)) = validity_period(doc) else {
                return false;
            };
            if let Some(on) = self.valid_on
                && !(start <= on && on <= end)
            {
                return false;
            }
            if let Some(after) = self.valid_after
                && start <= after
            {
                return false;
            }
            if let Some(before) = self.valid_before
                && end >= before
            {
                return false;
            }
        }
        true
    }

    /// A footprint is "within" a geography when its country, subdivision or region is
    /// it, or its subdivision lies in that country (`CN-GD` is within `CN`).
    fn geography_matches(&self, doc: &Value) -> bool {
        let pcf = doc.get("pcf");
        let field = |k: &str| {
            pcf.and_then(|p| p.get(k))
                .and_then(Value::as_str)
                .map(str::to_lowercase)
        };
        let country = field("geographyCountry");
        let subdivision = field("geographyCountrySubdivision");
        let region = field("geographyRegionOrSubregion");
        self.geographies.iter().any(|g| {
            country.as_ref() == Some(g)
                || region.as_ref() == Some(g)
                || subdivision.as_ref() == Some(g)
                || subdivision
                    .as_deref()
                    .and_then(|s| s.split_once('-'))
                    .is_some_and(|(c, _)| c == g)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(s: &[(&str, &str)]) -> FootprintFilter {
        let pairs: Vec<(String, String)> = s
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        parse_query(&pairs).unwrap().0
    }

    fn doc() -> Value {
        json!({
            "productIds": ["urn:gtin:4006381333931", "urn:pact:zuji.example:product:7"],
            "companyIds": ["urn:uuid:0f9f7a1c-57c3-4c1e-9b2f-3a0e5b0c1d2e"],
            "productClassifications": ["urn:pact:productclassification:un-cpc:46410"],
            "status": "Active",
            "validityPeriodStart": "2025-01-01T00:00:00Z",
            "validityPeriodEnd": "2028-01-01T00:00:00Z",
            "pcf": {"geographyCountrySubdivision": "CN-GD", "referencePeriodEnd": "2025-01-01T00:00:00Z"}
        })
    }

    #[test]
    fn or_within_and_across() {
        let d = doc();
        assert!(
            q(&[
                ("productId", "urn:x"),
                ("productId", "URN:GTIN:4006381333931")
            ])
            .matches(&d)
        );
        assert!(
            !q(&[
                ("productId", "urn:gtin:4006381333931"),
                ("status", "Deprecated")
            ])
            .matches(&d)
        );
        assert!(
            q(&[
                ("productid", "urn:gtin:4006381333931"),
                ("status", "active")
            ])
            .matches(&d)
        );
        assert!(!q(&[("companyId", "urn:bogus:1"), ("companyId", "not-a-urn")]).matches(&d));
        assert!(
            q(&[(
                "classification",
                "urn:pact:productclassification:un-cpc:46410"
            )])
            .matches(&d)
        );
        assert!(!q(&[("status", "BogusStatus")]).matches(&d));
    }

    #[test]
    fn geography_within() {
        let d = doc();
        assert!(q(&[("geography", "CN")]).matches(&d));
        assert!(q(&[("geography", "cn-gd")]).matches(&d));
        assert!(!q(&[("geography", "XX")]).matches(&d));
        assert!(
            q(&[("geography", "")]).matches(&d),
            "an empty value places no condition"
        );
    }

    #[test]
    fn validity_bounds() {
        let d = doc();
        // Inclusive on both ends for validOn.
        assert!(q(&[("validOn", "2025-01-01T00:00:00Z")]).matches(&d));
        assert!(q(&[("validOn", "2028-01-01T00:00:00.000Z")]).matches(&d));
        assert!(!q(&[("validOn", "1900-01-01T00:00:00Z")]).matches(&d));
        // Strict for validAfter / validBefore.
        assert!(!q(&[("validAfter", "2025-01-01T00:00:00Z")]).matches(&d));
        assert!(q(&[("validAfter", "2024-12-31T00:00:00.000Z")]).matches(&d));
        assert!(!q(&[("validBefore", "2028-01-01T00:00:00Z")]).matches(&d));
        assert!(q(&[("validBefore", "2028-01-02T00:00:00Z")]).matches(&d));
        // `+` decoded as a space by form decoding.
        assert!(q(&[("validOn", "2025-06-01T08:00:00 08:00")]).matches(&d));
    }

    #[test]
    fn bad_parameters_are_named() {
        let e = parse_query(&[("validOn".into(), "yesterday".into())]).unwrap_err();
        assert_eq!(e.name, "validOn");
        let e = parse_query(&[("limit".into(), "-1".into())]).unwrap_err();
        assert_eq!(e.name, "limit");
        assert!(parse_query(&[("x-zuji-note".into(), "1".into())]).is_ok());
    }

    #[test]
    fn default_validity_from_reference_period() {
        let d = json!({"pcf": {"referencePeriodEnd": "2024-01-01T00:00:00Z"}});
        let (s, e) = validity_period(&d).unwrap();
        assert_eq!(s, 1_704_067_200.0); // 2024-01-01T00:00:00Z
        assert!((e - s - 3.0 * 365.25 * 86_400.0).abs() < 1e-6);
    }
}
