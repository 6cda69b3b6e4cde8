//! Zuji footprint → PACT `ProductFootprint` (v3 or v2.3). The mapping and its reasons
//! are in the module documentation of [`crate::pact`].

use super::context::{
    biogenic_split, boundary_description, comment, ipcc_factors, legacy_standard, rules,
    secondary_sources, weighted_dqrs,
};
use super::decimal::{format_decimal, round_significant};
use super::fields::{
    DeclaredUnit, declared_unit, footprint_id, geography, is_rfc3339, reference_period, unmappable,
    urns,
};
use super::{PactError, PactVersion};
use serde_json::{Map, Value, json};
use zuji_calc::FootprintResult;
use zuji_model::product::ProductModel;

/// A product- or sector-specific rule (PCR) as PACT names it.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorRule {
    /// `PEF`, `EPD International` or `Other`.
    pub operator: String,
    /// Required when the operator is `Other`.
    pub other_operator_name: Option<String>,
    pub rule_names: Vec<String>,
}

impl SectorRule {
    /// GB/T 24067-2024, China's national standard for product carbon footprints (issued
    /// by SAMR and SAC; it adopts ISO 14067 with additions). PACT's list of
    /// cross-sectoral standards has no code for it, so it is named here, as a rule with
    /// operator `Other`.
    pub fn gb_t_24067() -> SectorRule {
        SectorRule {
            operator: "Other".into(),
            other_operator_name: Some(
                "State Administration for Market Regulation (SAMR) and Standardization Administration of China (SAC)".into(),
            ),
            rule_names: vec!["GB/T 24067-2024".into()],
        }
    }
}

/// What the export needs besides the model and its result. Values Zuji does not compute
/// are `Option`s: PACT requires some of them, and export then fails naming the option
/// rather than inventing a number.
#[derive(Debug, Clone, PartialEq)]
pub struct PactExportOptions {
    pub version: PactVersion,
    pub company_name: String,
    /// URNs (`urn:…`) of the data owner; at least one.
    pub company_ids: Vec<String>,
    /// URNs of the product; empty: `urn:gtin:<gtin>` from the model if it has a GTIN.
    pub product_ids: Vec<String>,
    /// A UUID (bare or `urn:uuid:`); `None`: derived from the result fingerprint.
    pub id: Option<String>,
    /// RFC 3339 time, passed in so that output is deterministic.
    pub created: String,
    /// v2 `version`.
    pub pf_version: u32,
    /// v3 names: `ISO14067`, `GHGP-Product`, `ISO14040-44`, `PEF`, `PACT-3.0`, …
    pub cross_sectoral_standards: Vec<String>,
    pub product_or_sector_rules: Vec<SectorRule>,
    /// kg C per Zuji declared unit.
    pub fossil_carbon_content: Option<f64>,
    /// kg C per Zuji declared unit.
    pub biogenic_carbon_content: Option<f64>,
    /// kg of product per Zuji declared unit (needed when the unit is not a mass).
    pub product_mass_per_declared_unit: Option<f64>,
    /// Percent of emissions excluded (cut off).
    pub exempted_emissions_percent: Option<f64>,
    pub exempted_emissions_description: String,
    pub packaging_emissions_included: Option<bool>,
    /// v2 `productCategoryCpc`; in v3 it becomes the classification
    /// `urn:pact:productclassification:un-cpc:<code>` unless `product_classifications`
    /// names some.
    pub product_category_cpc: Option<String>,
    /// v3 `productClassifications` (URNs).
    pub product_classifications: Vec<String>,
}

impl PactExportOptions {
    /// Options with the identity fields given and everything Zuji cannot know unset.
    pub fn new(
        version: PactVersion,
        company_name: &str,
        company_ids: &[&str],
        created: &str,
    ) -> Self {
        PactExportOptions {
            version,
            company_name: company_name.into(),
            company_ids: company_ids.iter().map(|s| s.to_string()).collect(),
            product_ids: Vec::new(),
            id: None,
            created: created.into(),
            pf_version: 1,
            cross_sectoral_standards: vec!["ISO14067".into()],
            // Zuji accounts to GB/T 24067 as well as ISO 14067.
            product_or_sector_rules: vec![SectorRule::gb_t_24067()],
            fossil_carbon_content: None,
            biogenic_carbon_content: None,
            product_mass_per_declared_unit: None,
            exempted_emissions_percent: None,
            exempted_emissions_description: String::new(),
            packaging_emissions_included: None,
            product_category_cpc: None,
            product_classifications: Vec::new(),
        }
    }
}

fn dec(field: &str, x: f64) -> Result<Value, PactError> {
    format_decimal(x)
        .map(Value::String)
        .ok_or_else(|| unmappable(field, format!("{x} is not a finite number")))
}

/// A v2 decimal the schema requires to be ≥ 0 (`PositiveDecimal`).
fn dec_nonneg(field: &str, x: f64) -> Result<Value, PactError> {
    let v = dec(field, x)?;
    if v.as_str().is_some_and(|s| s.starts_with('-')) {
        return Err(unmappable(
            field,
            format!("PACT v2.3 requires a value ≥ 0, Zuji computed {x}"),
        ));
    }
    Ok(v)
}

fn number(field: &str, x: f64) -> Result<Value, PactError> {
    round_significant(x)
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| unmappable(field, format!("{x} is not a finite number")))
}

/// What both versions derive from the model, the result and the options.
struct Common<'a> {
    result: &'a FootprintResult,
    opts: &'a PactExportOptions,
    unit: DeclaredUnit,
    /// kg of product per Zuji declared unit, if known.
    mass: Option<f64>,
    fossil_carbon: f64,
    exempted: f64,
    ipcc: &'static str,
    /// Fossil plus unspecified (see the module documentation).
    fossil: f64,
    biogenic_co2: f64,
    biogenic_non_co2: f64,
}

fn missing(field: &'static str, option: &'static str) -> PactError {
    PactError::MissingOption { field, option }
}

/// Exports a computed footprint as a PACT `ProductFootprint` of `opts.version`.
pub fn export_product_footprint(
    model: &ProductModel,
    result: &FootprintResult,
    opts: &PactExportOptions,
) -> Result<Value, PactError> {
    let v2 = opts.version == PactVersion::V2_3;
    let mut top = identity(model, result, opts)?;

    let p = &model.product;
    let mut pcf = Map::new();
    let (start, end) = reference_period(&p.reference_period)?;
    pcf.insert("referencePeriodStart".into(), json!(start));
    pcf.insert("referencePeriodEnd".into(), json!(end));
    if let Some((key, value)) = geography(&p.geography)? {
        pcf.insert(key.into(), json!(value));
    }
    pcf.insert(
        "boundaryProcessesDescription".into(),
        json!(boundary_description(model)),
    );
    if let Some(r) = rules(model, opts)? {
        pcf.insert("productOrSectorSpecificRules".into(), r);
    }
    if let Some(s) = secondary_sources(model, result) {
        pcf.insert("secondaryEmissionFactorSources".into(), s);
    }
    if !opts.exempted_emissions_description.is_empty() || v2 {
        pcf.insert(
            "exemptedEmissionsDescription".into(),
            json!(opts.exempted_emissions_description),
        );
    }
    if let Some(inc) = opts.packaging_emissions_included {
        pcf.insert("packagingEmissionsIncluded".into(), json!(inc));
    }
    check_standards(&opts.cross_sectoral_standards)?;

    let unit = declared_unit(model, opts)?;
    let exempted = opts.exempted_emissions_percent.ok_or(missing(
        "exemptedEmissionsPercent",
        "exempted_emissions_percent",
    ))?;
    if !(0.0..=100.0).contains(&exempted) {
        return Err(unmappable(
            "exemptedEmissionsPercent",
            format!("{exempted} is not a percentage"),
        ));
    }
    let (biogenic_co2, biogenic_non_co2) = biogenic_split(result);
    let c = Common {
        result,
        opts,
        mass: unit.fixed_mass.or(opts.product_mass_per_declared_unit),
        unit,
        fossil_carbon: opts
            .fossil_carbon_content
            .ok_or(missing("fossilCarbonContent", "fossil_carbon_content"))?,
        exempted,
        ipcc: ipcc_factors(result)?,
        fossil: result.by_origin.fossil + result.by_origin.unspecified,
        biogenic_co2,
        biogenic_non_co2,
    };
    if v2 {
        v2_values(&c, &mut pcf)?;
    } else {
        v3_values(&c, model, &mut pcf)?;
    }
    top.insert("pcf".into(), Value::Object(pcf));
    Ok(Value::Object(top))
}

/// The top-level properties: identity, company, product, comment.
fn identity(
    model: &ProductModel,
    result: &FootprintResult,
    opts: &PactExportOptions,
) -> Result<Map<String, Value>, PactError> {
    let v2 = opts.version == PactVersion::V2_3;
    let p = &model.product;
    let mut top = Map::new();
    top.insert("id".into(), json!(footprint_id(opts, result)?));
    top.insert("specVersion".into(), json!(opts.version.spec_version()));
    if v2 {
        top.insert("version".into(), json!(opts.pf_version));
    }
    if !is_rfc3339(&opts.created) {
        return Err(unmappable(
            "created",
            format!("'{}' is not an RFC 3339 date-time", opts.created),
        ));
    }
    top.insert("created".into(), json!(opts.created));
    top.insert("status".into(), json!("Active"));
    if opts.company_name.trim().is_empty() {
        return Err(unmappable("companyName", "empty"));
    }
    top.insert("companyName".into(), json!(opts.company_name));
    top.insert("companyIds".into(), urns("companyIds", &opts.company_ids)?);
    let name = p.name.display();
    if name.is_empty() {
        return Err(unmappable("productNameCompany", "the product has no name"));
    }
    let description = p
        .description
        .clone()
        .or_else(|| p.declared_unit.description.clone())
        .unwrap_or_else(|| name.to_string());
    top.insert("productDescription".into(), json!(description));
    let product_ids = match (&opts.product_ids[..], &p.gtin) {
        ([], Some(g)) => vec![format!("urn:gtin:{g}")],
        (ids, _) => ids.to_vec(),
    };
    top.insert("productIds".into(), urns("productIds", &product_ids)?);
    top.insert("productNameCompany".into(), json!(name));
    top.insert("comment".into(), json!(comment(result)));
    if !v2 {
        let classifications = match (
            &opts.product_classifications[..],
            &opts.product_category_cpc,
        ) {
            ([], Some(cpc)) if !cpc.is_empty() => {
                vec![format!("urn:pact:productclassification:un-cpc:{cpc}")]
            }
            (c, _) => c.to_vec(),
        };
        if !classifications.is_empty() {
            top.insert(
                "productClassifications".into(),
                urns("productClassifications", &classifications)?,
            );
        }
        // The spec's default validity, written out so that partners filtering by
        // validOn / validAfter / validBefore see it: from the end of the reference
        // period for three years (the most v3 allows).
        let (_, end) = reference_period(&p.reference_period)?;
        top.insert("validityPeriodStart".into(), json!(end));
        top.insert("validityPeriodEnd".into(), json!(plus_three_years(&end)));
    }
    if v2 {
        let cpc = opts
            .product_category_cpc
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or(missing("productCategoryCpc", "product_category_cpc"))?;
        top.insert("productCategoryCpc".into(), json!(cpc));
    }
    Ok(top)
}

/// `YYYY-…` three years later (29 February becomes 28 February).
fn plus_three_years(rfc3339: &str) -> String {
    let year: i64 = rfc3339.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let rest = &rfc3339[4.min(rfc3339.len())..];
    let later = year + 3;
    let leap = (later % 4 == 0 && later % 100 != 0) || later % 400 == 0;
    match rest.strip_prefix("-02-29") {
        Some(tail) if !leap => format!("{later:04}-02-28{tail}"),
        _ => format!("{later:04}{rest}"),
    }
}

/// Non-empty, no empty names, no duplicates (`uniqueItems`).
fn check_standards(standards: &[String]) -> Result<(), PactError> {
    if standards.is_empty() || standards.iter().any(|s| s.is_empty()) {
        return Err(unmappable(
            "crossSectoralStandards",
            "PACT requires at least one, none empty",
        ));
    }
    let mut sorted = standards.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != standards.len() {
        return Err(unmappable("crossSectoralStandards", "duplicate standards"));
    }
    Ok(())
}

/// v3: values per declared unit as Zuji has it (`declaredUnitAmount` × unit).
fn v3_values(
    c: &Common<'_>,
    model: &ProductModel,
    pcf: &mut Map<String, Value>,
) -> Result<(), PactError> {
    let (r, o) = (c.result, &c.result.by_origin);
    let mut put = |k: &str, v: Value| {
        pcf.insert(k.into(), v);
    };
    put("declaredUnitOfMeasurement", json!(c.unit.pact));
    put(
        "declaredUnitAmount",
        dec("declaredUnitAmount", c.unit.amount)?,
    );
    let mass = c.mass.ok_or(missing(
        "productMassPerDeclaredUnit",
        "product_mass_per_declared_unit",
    ))?;
    put(
        "productMassPerDeclaredUnit",
        dec("productMassPerDeclaredUnit", mass)?,
    );
    put(
        "pcfExcludingBiogenicUptake",
        dec("pcfExcludingBiogenicUptake", r.total - o.biogenic_removals)?,
    );
    put(
        "pcfIncludingBiogenicUptake",
        dec("pcfIncludingBiogenicUptake", r.total)?,
    );
    put("fossilGhgEmissions", dec("fossilGhgEmissions", c.fossil)?);
    put(
        "fossilCarbonContent",
        dec("fossilCarbonContent", c.fossil_carbon)?,
    );
    if let Some(b) = c.opts.biogenic_carbon_content {
        put("biogenicCarbonContent", dec("biogenicCarbonContent", b)?);
    }
    put(
        "landUseChangeGhgEmissions",
        dec("landUseChangeGhgEmissions", o.land_use_change)?,
    );
    put(
        "aircraftGhgEmissions",
        dec("aircraftGhgEmissions", o.aircraft)?,
    );
    if o.biogenic_removals != 0.0 {
        put(
            "biogenicCO2Uptake",
            dec("biogenicCO2Uptake", o.biogenic_removals)?,
        );
    }
    if c.biogenic_non_co2 != 0.0 {
        put(
            "biogenicNonCO2Emissions",
            dec("biogenicNonCO2Emissions", c.biogenic_non_co2)?,
        );
    }
    put("ipccCharacterizationFactors", json!([c.ipcc]));
    put(
        "crossSectoralStandards",
        json!(c.opts.cross_sectoral_standards),
    );
    put(
        "exemptedEmissionsPercent",
        dec("exemptedEmissionsPercent", c.exempted)?,
    );
    put(
        "primaryDataShare",
        dec("primaryDataShare", r.primary_data_share * 100.0)?,
    );
    if let Some([te, ge, ti]) = weighted_dqrs(model, r) {
        put(
            "dqi",
            json!({
                "technologicalDQR": dec("dqi.technologicalDQR", te)?,
                "geographicalDQR": dec("dqi.geographicalDQR", ge)?,
                "temporalDQR": dec("dqi.temporalDQR", ti)?,
            }),
        );
    }
    Ok(())
}

/// The v2.3 `crossSectoralStandards` enumeration.
const V23_STANDARDS: &[&str] = &[
    "ISO14067",
    "ISO14083",
    "ISO14040-44",
    "GHGP-Product",
    "PEF",
    "PACT-1.0",
    "PACT-2.0",
    "PACT-3.0",
];

/// v2.3: values per one `declaredUnit` (ADR 0036), so divided by the declared amount.
fn v2_values(c: &Common<'_>, pcf: &mut Map<String, Value>) -> Result<(), PactError> {
    let (r, o, opts) = (c.result, &c.result.by_origin, c.opts);
    let scale = 1.0 / c.unit.amount;
    let mut put = |k: &str, v: Value| {
        pcf.insert(k.into(), v);
    };
    put("declaredUnit", json!(c.unit.pact));
    put(
        "unitaryProductAmount",
        dec("unitaryProductAmount", c.unit.amount)?,
    );
    if let Some(m) = c.mass {
        put(
            "productMassPerDeclaredUnit",
            dec("productMassPerDeclaredUnit", m * scale)?,
        );
    }
    let excl = r.total - o.biogenic_removals - c.biogenic_co2;
    put(
        "pCfExcludingBiogenic",
        dec_nonneg("pCfExcludingBiogenic", excl * scale)?,
    );
    put(
        "pCfIncludingBiogenic",
        dec("pCfIncludingBiogenic", r.total * scale)?,
    );
    put(
        "fossilGhgEmissions",
        dec_nonneg("fossilGhgEmissions", c.fossil * scale)?,
    );
    put(
        "fossilCarbonContent",
        dec_nonneg("fossilCarbonContent", c.fossil_carbon * scale)?,
    );
    let bio_c = opts
        .biogenic_carbon_content
        .ok_or(missing("biogenicCarbonContent", "biogenic_carbon_content"))?;
    put(
        "biogenicCarbonContent",
        dec_nonneg("biogenicCarbonContent", bio_c * scale)?,
    );
    put(
        "dLucGhgEmissions",
        dec_nonneg("dLucGhgEmissions", o.land_use_change * scale)?,
    );
    put(
        "aircraftGhgEmissions",
        dec_nonneg("aircraftGhgEmissions", o.aircraft * scale)?,
    );
    if o.biogenic_emissions != 0.0 {
        put(
            "otherBiogenicGhgEmissions",
            dec_nonneg("otherBiogenicGhgEmissions", o.biogenic_emissions * scale)?,
        );
    }
    if o.biogenic_removals > 0.0 {
        return Err(unmappable(
            "biogenicCarbonWithdrawal",
            "PACT requires a value ≤ 0",
        ));
    }
    if o.biogenic_removals != 0.0 {
        put(
            "biogenicCarbonWithdrawal",
            dec("biogenicCarbonWithdrawal", o.biogenic_removals * scale)?,
        );
    }
    put("characterizationFactors", json!(c.ipcc));
    put("ipccCharacterizationFactorsSources", json!([c.ipcc]));
    let legacy: Vec<&str> = opts
        .cross_sectoral_standards
        .iter()
        .filter_map(|s| legacy_standard(s))
        .collect();
    if legacy.is_empty() {
        return Err(unmappable(
            "crossSectoralStandardsUsed",
            "PACT v2.3 needs one of GHGP-Product, ISO14067, ISO14040-44 among the cross-sectoral standards",
        ));
    }
    put("crossSectoralStandardsUsed", json!(legacy));
    if let Some(s) = opts
        .cross_sectoral_standards
        .iter()
        .find(|s| !V23_STANDARDS.contains(&s.as_str()))
    {
        return Err(unmappable(
            "crossSectoralStandards",
            format!("'{s}' is not a PACT v2.3 standard"),
        ));
    }
    put(
        "crossSectoralStandards",
        json!(opts.cross_sectoral_standards),
    );
    put(
        "exemptedEmissionsPercent",
        number("exemptedEmissionsPercent", c.exempted)?,
    );
    if opts.packaging_emissions_included.is_none() {
        return Err(missing(
            "packagingEmissionsIncluded",
            "packaging_emissions_included",
        ));
    }
    put(
        "primaryDataShare",
        number("primaryDataShare", r.primary_data_share * 100.0)?,
    );
    Ok(())
}
