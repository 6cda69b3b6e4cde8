//! What the export reads from a computed result beyond the totals: the biogenic split,
//! weighted data-quality ratings, descriptions, methods, rules and data sources.

use super::PactError;
use super::decimal::format_decimal;
use super::export::PactExportOptions;
use super::fields::unmappable;
use serde_json::{Map, Value, json};
use zuji_calc::FootprintResult;
use zuji_model::product::{InputLink, ProductModel};
use zuji_model::{DataQuality, Origin};

/// Biogenic CO2 and biogenic non-CO2 emissions, from the gas breakdown.
pub(super) fn biogenic_split(result: &FootprintResult) -> (f64, f64) {
    result
        .by_gas
        .iter()
        .filter(|g| g.origin == Origin::Biogenic)
        .fold((0.0, 0.0), |(co2, other), g| {
            if g.gas == "CO2" {
                (co2 + g.value, other)
            } else {
                (co2, other + g.value)
            }
        })
}

/// Contribution-weighted technological, geographical and temporal ratings (1–5) over
/// the items that carry a quality.
pub(super) fn weighted_dqrs(model: &ProductModel, result: &FootprintResult) -> Option<[f64; 3]> {
    let (mut w, mut sum) = (0.0, [0.0; 3]);
    for it in &result.items {
        let Some(p) = model.processes.iter().find(|p| p.id == it.process) else {
            continue;
        };
        let q = match it.kind.as_str() {
            "input" => p.inputs.get(it.index).and_then(|i| {
                i.quality.or(match i.link() {
                    Ok(InputLink::Supplier(s)) => s.quality,
                    _ => None,
                })
            }),
            _ => p.emissions.get(it.index).and_then(|e| e.quality),
        };
        let scores = match q {
            Some(DataQuality::Dqr { ter, ger, tir, .. }) => [ter, ger, tir],
            Some(DataQuality::Pedigree {
                technological,
                geographical,
                temporal,
                ..
            }) => [technological.into(), geographical.into(), temporal.into()],
            None => continue,
        };
        let a = it.value.abs();
        w += a;
        for (s, v) in sum.iter_mut().zip(scores) {
            *s += a * v;
        }
    }
    (w > 0.0).then(|| sum.map(|s| s / w))
}

/// Describes the processes in the boundary, from the model, deterministically.
pub(super) fn boundary_description(model: &ProductModel) -> String {
    let procs: Vec<String> = model
        .processes
        .iter()
        .map(|p| format!("{} ({})", p.name.as_deref().unwrap_or(&p.id), p.stage))
        .collect();
    format!("{}: {}", model.product.boundary.as_str(), procs.join("; "))
}

pub(super) fn comment(result: &FootprintResult) -> String {
    let mut c = format!(
        "Computed with Zuji ({}), method {}, fingerprint sha256:{}.",
        result.fingerprint.engine, result.method.name, result.fingerprint.sha256
    );
    if result.by_origin.unspecified != 0.0 {
        c.push_str(&format!(
            " fossilGhgEmissions includes {} kgCO2e per declared unit of aggregated secondary data without a fossil/biogenic split.",
            format_decimal(result.by_origin.unspecified).unwrap_or_default()
        ));
    }
    if result.data_quality.rating.is_some() {
        c.push_str(&format!(
            " Data quality ratings cover {} % of the absolute contributions.",
            format_decimal(result.data_quality.coverage * 100.0).unwrap_or_default()
        ));
    }
    c
}

pub(super) fn ipcc_factors(result: &FootprintResult) -> Result<&'static str, PactError> {
    match result.method.id.to_ascii_lowercase().as_str() {
        "ar6" => Ok("AR6"),
        "ar5" => Ok("AR5"),
        other => Err(unmappable(
            "ipccCharacterizationFactors",
            format!("method '{other}' is not an IPCC assessment report's GWP100"),
        )),
    }
}

pub(super) fn rules(
    model: &ProductModel,
    opts: &PactExportOptions,
) -> Result<Option<Value>, PactError> {
    if let Some(pcr) = &model.product.pcr
        && !opts
            .product_or_sector_rules
            .iter()
            .any(|r| r.rule_names.contains(pcr))
    {
        return Err(unmappable(
            "productOrSectorSpecificRules",
            format!(
                "the model follows PCR '{pcr}'; add it to product_or_sector_rules with its operator (PEF, EPD International, or Other with a name)"
            ),
        ));
    }
    let mut out = Vec::new();
    for r in &opts.product_or_sector_rules {
        if !["PEF", "EPD International", "Other"].contains(&r.operator.as_str()) {
            return Err(unmappable(
                "productOrSectorSpecificRules",
                format!(
                    "operator '{}' is not PEF, EPD International or Other",
                    r.operator
                ),
            ));
        }
        if r.rule_names.is_empty() || r.rule_names.iter().any(|n| n.is_empty()) {
            return Err(unmappable(
                "productOrSectorSpecificRules",
                "empty rule name",
            ));
        }
        let mut m = Map::new();
        m.insert("operator".into(), json!(r.operator));
        m.insert("ruleNames".into(), json!(r.rule_names));
        match (&r.other_operator_name, r.operator.as_str()) {
            (Some(n), _) if !n.is_empty() => {
                m.insert("otherOperatorName".into(), json!(n));
            }
            (_, "Other") => {
                return Err(unmappable(
                    "productOrSectorSpecificRules",
                    "operator Other needs other_operator_name",
                ));
            }
            _ => {}
        }
        out.push(Value::Object(m));
    }
    Ok((!out.is_empty()).then_some(Value::Array(out)))
}

/// The v2.x legacy names of `crossSectoralStandardsUsed`.
pub(super) fn legacy_standard(s: &str) -> Option<&'static str> {
    match s {
        "GHGP-Product" => Some("GHG Protocol Product standard"),
        "ISO14067" => Some("ISO Standard 14067"),
        "ISO14040-44" => Some("ISO Standard 14044"),
        _ => None,
    }
}

pub(super) fn secondary_sources(model: &ProductModel, result: &FootprintResult) -> Option<Value> {
    let uses_datasets = model
        .processes
        .iter()
        .flat_map(|p| &p.inputs)
        .any(|i| matches!(i.link(), Ok(InputLink::Dataset(_))));
    let dbs: Vec<Value> = result
        .fingerprint
        .databases
        .iter()
        .filter(|d| !d.id.is_empty() && !d.version.is_empty())
        .map(|d| json!({ "name": d.id, "version": d.version }))
        .collect();
    (uses_datasets && !dbs.is_empty()).then_some(Value::Array(dbs))
}
