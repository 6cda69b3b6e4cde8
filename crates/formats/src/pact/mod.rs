//! PACT product footprints (WBCSD Partnership for Carbon Transparency), v3 and v2.3:
//! export a computed Zuji footprint as a `ProductFootprint`, import a supplier's one as
//! an input a product model can link to.
//!
//! The schemas that count are the conformance tool's OpenAPI files in `shared/pact/`
//! (v3.0.4 and v2.3.3) and the JSON schemas beside them; quotations below are from
//! their property descriptions.
//!
//! # Mapping decisions
//!
//! **Declared unit and values per unit.** v3: "Together with `declaredUnitAmount` this
//! defines the 'declared unit' of the product. Emissions in this carbon footprint are
//! expressed in kgCO2e per 'declared unit'" (12.5 liter example: `pcfIncludingBiogenicUptake`
//! is 2.0 kgCO2e per 12.5 liter). So v3 keeps Zuji's declared unit whole: 1 t is
//! `kilogram` × `1000` and the values are Zuji's, per t. v2.x values are per *one*
//! `declaredUnit` and `unitaryProductAmount` only says how many of them the product holds
//! (PACT ADR 0036, wbcsd/data-exchange-protocol PR #94: "declaredUnit: liter,
//! unitaryProductAmount: 12, pCfExcludingBiogenic: 1.5 … a carbon intensity of 1.5
//! kgCO2e / liter"), so v2.3 divides every value by the declared amount in the PACT
//! unit. Units: kg/g/t… → `kilogram`; L/mL → `liter`; m³ → `cubic meter`; Wh/kWh/MWh →
//! `kilowatt hour`; MJ/GJ… → `megajoule`; t·km → `ton kilometer`; m² → `square meter`;
//! v3 also `piece` and `hour`. v2.3 has no `piece`: a per-piece product is exported
//! per `kilogram` only when [`PactExportOptions::product_mass_per_declared_unit`] gives
//! its mass (the ADR's bottle pattern); otherwise, and for units PACT cannot express at
//! all (W, m, p·km), export fails naming the unit. Import normalises to one PACT unit:
//! `pcf_per_unit` is kg CO2e per one `declared_unit` (`kg`, `L`, `m3`, `kWh`, `MJ`,
//! `t*km`, `m2`, `piece`, `h`), as Zuji's [`SupplierFootprint::pcf`] is; `megabit second`
//! has no Zuji unit and is refused.
//!
//! **Biogenic.** Zuji's total carries biogenic removals as negative
//! (`by_origin.biogenic_removals`). v3 `pcfIncludingBiogenicUptake` includes "Biogenic
//! Product CO2 uptake", `pcfExcludingBiogenicUptake` includes all emissions (biogenic
//! too) and excludes only that uptake: including = total, excluding = total −
//! biogenic_removals, `biogenicCO2Uptake` (≤ 0) = biogenic_removals. Zuji does not tell
//! land-management removals from product uptake; all removals count as uptake. v2.3
//! `pCfExcludingBiogenic` is "the PCF of the product excluding biogenic CO2 emissions"
//! (≥ 0) and `pCfIncludingBiogenic` includes "all biogenic emissions (CO2 and
//! otherwise)": excluding = total − removals − biogenic CO2 emissions (from `by_gas`,
//! biogenic CH4 stays in), including = total, `biogenicCarbonWithdrawal` = removals,
//! `otherBiogenicGhgEmissions` = biogenic emissions. A v2.3 field the schema requires to
//! be ≥ 0 that comes out negative (e.g. through avoided-burden credits) is an error,
//! never clamped. Import takes `pcfIncludingBiogenicUptake` (v2: `pCfIncludingBiogenic`,
//! else `pCfExcludingBiogenic` with a warning) because that is what Zuji's totals add.
//!
//! **Fossil, LUC, aircraft.** `fossilGhgEmissions` = fossil + unspecified: Zuji's
//! `unspecified` is aggregated secondary CO2e whose split its source does not publish;
//! counting it as fossil is the conservative reading, and the `comment` says how much
//! it was. `landUseChangeGhgEmissions` (v2 `dLucGhgEmissions`) = land_use_change,
//! `aircraftGhgEmissions` = aircraft. v3 `biogenicNonCO2Emissions` = biogenic non-CO2.
//! LUC is written as computed, so `0` when neither the model nor its data carry LUC
//! flows: Zuji cannot tell "not applicable" from "hidden in aggregated data".
//!
//! **What Zuji does not compute is asked for, not invented.** `fossilCarbonContent`
//! (required), `biogenicCarbonContent` (required in v2), `exemptedEmissionsPercent`,
//! `packagingEmissionsIncluded` (required in v2), `productCategoryCpc` (v2),
//! `productMassPerDeclaredUnit` (required in v3 unless the unit is a mass, energy,
//! transport or time, which the spec fixes: the mass itself, or `0` for "energy (kWh,
//! MJ), logistics (ton.km) or service related product") come from
//! [`PactExportOptions`]; a missing one is an error naming the option and the field.
//! The model's PCR must appear in `product_or_sector_rules` (PACT needs its operator).
//! [`PactExportOptions::new`] starts `crossSectoralStandards` at `ISO14067`, the
//! standard Zuji's accounting follows; v2.3 also gets the legacy
//! `crossSectoralStandardsUsed` names (`ISO Standard 14067`, …).
//!
//! **Import checks** every property the version's schema requires, present and typed
//! (decimals as strings matching the pattern; v2's numbers as numbers), and names the
//! path of the first that fails (`$.pcf.declaredUnitAmount`, `$.data[1].companyIds[1]`).
//! Optional properties it does not read are not validated.
//!
//! **Geography.** `CN` → `geographyCountry`, `CN-GD` → `geographyCountrySubdivision`,
//! a UN region name → `geographyRegionOrSubregion`, `GLO`/`global` → none (global
//! granularity: all three "MUST be undefined"); anything else is an error.
//!
//! **Reference period.** `2024` → 2024-01-01T00:00:00Z to 2025-01-01T00:00:00Z (the end
//! is exclusive in PACT); `2024-07/2025-06` → 2024-07-01 to 2025-07-01; days likewise.
//!
//! **Data quality.** `primaryDataShare` is a percent: Zuji's share × 100 (v3 a decimal
//! string, v2.3 a JSON number as its schema types it). v3 `dqi` holds technological,
//! geographical and temporal DQRs on 1–5, the contribution-weighted means over the rated
//! items (PEF TeR/GeR/TiR or pedigree technological/geographical/temporal); omitted when
//! nothing is rated. v2.3 `dqi` is omitted: its DQRs are on a 1–3 scale and need
//! completeness and reliability, which PEF DQRs lack; rescaling would be a guess. On
//! import, v3 DQRs become a PEF DQR whose precision P is the mean of the three (PACT has
//! no precision indicator; this keeps Zuji's single rating equal to their mean), with a
//! warning; v2 DQRs are kept out of `dqr`, with a warning.
//!
//! **Numbers.** Decimals are strings with 12 significant digits, no exponent
//! ([`format_decimal`]). v2.3 types `primaryDataShare`, `exemptedEmissionsPercent` as numbers.
//!
//! **Identity.** `id` is a bare UUID (schema `format: uuid`); by default it is derived
//! from the result fingerprint (UUID version 8, RFC 9562 §5.8), so the same computation
//! always exports the same id. `specVersion` is `3.0.0` / `2.3.0`: patch releases of the
//! specification do not change the data model. `status` is `Active`; an imported
//! `Deprecated` footprint is flagged (`deprecated`, a warning) and still returned.
//!
//! Not mapped: Zuji's stage, gas and process breakdowns, Monte Carlo results, and
//! biogenic CO2 emissions in v3 (no dedicated property; they are in both pcf totals).

mod context;
mod decimal;
mod export;
mod fields;
mod import;

pub use decimal::{SIGNIFICANT_DIGITS, format_decimal, parse_decimal};
pub use export::{PactExportOptions, SectorRule, export_product_footprint};
pub use import::{ImportedFootprint, import_product_footprint, import_product_footprints};

use zuji_model::product::SupplierFootprint;

/// Which PACT Technical Specifications a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PactVersion {
    V3,
    V2_3,
}

impl PactVersion {
    /// The `specVersion` written on export.
    pub fn spec_version(self) -> &'static str {
        match self {
            PactVersion::V3 => "3.0.0",
            PactVersion::V2_3 => "2.3.0",
        }
    }
}

/// What went wrong, naming the JSON path (`$.pcf.declaredUnitAmount`) or the option.
#[derive(Debug, thiserror::Error)]
pub enum PactError {
    #[error("not JSON: {0}")]
    Json(String),
    #[error("{path}: missing (required by PACT {version})")]
    Missing { path: String, version: String },
    #[error("{path}: expected {expected}, found {found}")]
    Type {
        path: String,
        expected: &'static str,
        found: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    #[error("specVersion '{0}' is neither 3.x nor 2.x")]
    UnsupportedVersion(String),
    /// Export: something in the model or result PACT cannot express.
    #[error("cannot export {field}: {message}")]
    Unmappable { field: String, message: String },
    /// Export: a value PACT requires that Zuji does not compute.
    #[error("PACT {field} is required; Zuji does not compute it: set PactExportOptions::{option}")]
    MissingOption {
        field: &'static str,
        option: &'static str,
    },
}

/// PACT `declaredUnitOfMeasurement` / `declaredUnit` values and their Zuji symbols;
/// the flag says whether v2.x knows the unit.
pub(crate) const PACT_UNITS: &[(&str, &str, bool)] = &[
    ("liter", "L", true),
    ("kilogram", "kg", true),
    ("cubic meter", "m3", true),
    ("kilowatt hour", "kWh", true),
    ("megajoule", "MJ", true),
    ("ton kilometer", "t*km", true),
    ("square meter", "m2", true),
    ("piece", "piece", false),
    ("hour", "h", false),
];

/// UN regions and subregions PACT accepts in `geographyRegionOrSubregion`.
pub(crate) const UN_REGIONS: &[&str] = &[
    "Africa",
    "Americas",
    "Asia",
    "Europe",
    "Oceania",
    "Australia and New Zealand",
    "Central Asia",
    "Eastern Asia",
    "Eastern Europe",
    "Latin America and the Caribbean",
    "Melanesia",
    "Micronesia",
    "Northern Africa",
    "Northern America",
    "Northern Europe",
    "Polynesia",
    "South-eastern Asia",
    "Southern Asia",
    "Southern Europe",
    "Sub-Saharan Africa",
    "Western Asia",
    "Western Europe",
];

impl ImportedFootprint {
    /// The footprint as a supplier input of a product model.
    pub fn to_supplier_footprint(&self) -> SupplierFootprint {
        let id = if self.id.to_ascii_lowercase().starts_with("urn:") {
            self.id.clone()
        } else {
            format!("urn:uuid:{}", self.id)
        };
        SupplierFootprint {
            id,
            name: Some(format!("{} ({})", self.product_name, self.company_name)),
            pcf: self.pcf_per_unit,
            unit: self.declared_unit.clone(),
            source: format!(
                "PACT {} ProductFootprint {} of {}, status {}",
                self.spec_version, self.id, self.company_name, self.raw_status
            ),
            primary_data_share: self.primary_data_share,
            quality: self.dqr,
        }
    }
}
