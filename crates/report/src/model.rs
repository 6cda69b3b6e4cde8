//! What a study report and a certificate say, as plain data.
//!
//! The server fills these from the engine's result, the product model and what the store
//! knows; this crate only lays them out. Anything the platform does not know is an
//! `Option` or an empty `Vec`, printed as "not reported" — a report never invents a
//! figure. Amounts are kg CO2e per declared unit unless a field says otherwise; shares
//! are fractions (0–1).

use serde::{Deserialize, Serialize};
use zuji_model::product::{
    AllocationMethod, LocalisedName, RecyclingApproach, SystemBoundary, UnitKind,
};
use zuji_model::{LifeCycleStage, Origin};

/// The carbon footprint study report of one footprint (ISO 14067:2018 §7,
/// GB/T 24067-2024 §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyReport {
    /// Printed in every page header, e.g. `footprint 42` or a document number.
    pub report_id: String,
    pub provenance: Provenance,
    pub product: ProductSection,
    pub goal: Goal,
    pub scope: Scope,
    pub data: DataSection,
    pub method: Methodology,
    pub results: Results,
    pub interpretation: Interpretation,
    /// The product category rule the study follows, if any.
    pub pcr: Option<PcrSection>,
}

/// Who computed what, when, and how to recompute it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Provenance {
    pub footprint_id: Option<String>,
    /// The organisation that owns the product and commissioned the study.
    pub organisation: Option<String>,
    /// The product model's version number on the platform.
    pub model_version: Option<i64>,
    /// When the footprint was computed, Unix milliseconds (printed as a UTC date).
    pub computed_at_ms: Option<i64>,
    /// SHA-256 of the calculation (model, databases, method, engine), hex.
    pub fingerprint_sha256: Option<String>,
    /// Engine name and version, e.g. `zuji-calc 0.1.0`.
    pub engine: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductSection {
    pub id: Option<String>,
    pub name: LocalisedName,
    pub category: String,
    pub gtin: Option<String>,
    pub description: Option<String>,
}

/// ISO 14067 §6.2: why the study was done and for whom.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Goal {
    pub intended_application: Option<String>,
    pub reasons: Option<String>,
    pub intended_audience: Option<String>,
    /// Whether the results are intended for communication to the public.
    pub public_communication: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub unit: UnitSection,
    /// The amount of product needed to fulfil the unit, e.g. `1 kWh from pack-assembly`.
    pub reference_flow: Option<String>,
    pub boundary: SystemBoundary,
    pub stages_included: Vec<LifeCycleStage>,
    pub stages_excluded: Vec<ExcludedStage>,
    pub cut_off: Option<CutOff>,
    /// The period the data represent, e.g. `2024` or `2024-07/2025-06`.
    pub reference_period: String,
    pub geography: String,
    /// The unit processes of the foreground system.
    pub processes: Vec<ProcessRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSection {
    pub amount: f64,
    pub unit: String,
    /// Functional unit (full CFP) or declared unit (partial CFP).
    pub kind: UnitKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedStage {
    pub stage: LifeCycleStage,
    pub reason: Option<String>,
}

/// Cut-off criteria (ISO 14067 §6.3.4.3) and what was cut off.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CutOff {
    /// The rule in words, with its source (e.g. the PCR).
    pub criteria: Option<String>,
    /// Largest share of the total one excluded flow may have.
    pub per_flow_limit: Option<f64>,
    /// Largest share of the total all excluded flows together may have.
    pub total_limit: Option<f64>,
    /// The estimated share of the total that was cut off.
    pub excluded_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessRow {
    pub id: String,
    pub name: Option<String>,
    pub stage: LifeCycleStage,
    pub location: Option<String>,
    /// `Some(true)` when the process's data are primary (site-specific).
    pub primary: Option<bool>,
    pub source: Option<String>,
}

/// ISO 14067 §6.3.5: data sources and quality.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DataSection {
    /// Share (0–1) of the absolute contributions resting on primary data.
    pub primary_data_share: Option<f64>,
    pub databases: Vec<DatabaseRef>,
    /// Supplier footprints used as inputs.
    pub suppliers: Vec<SupplierRow>,
    /// Sources cited for the foreground data, each once.
    pub sources: Vec<String>,
    pub quality: Option<DataQualitySection>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DatabaseRef {
    pub name: String,
    pub version: Option<String>,
    pub licence: Option<String>,
    /// SHA-256 of the database version's content, as in the fingerprint.
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierRow {
    pub id: String,
    pub name: Option<String>,
    /// kg CO2e per `unit` of the supplied product.
    pub pcf: f64,
    pub unit: String,
    pub primary_data_share: Option<f64>,
    pub source: Option<String>,
}

/// PEF data quality rating (DQR: 1 excellent … 5 very poor).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DataQualitySection {
    /// Contribution-weighted mean DQR over the rated items.
    pub rating: Option<f64>,
    /// The PEF level the rating falls in, as the engine names it.
    pub level: Option<String>,
    /// Share (0–1) of the absolute contributions that carry a rating.
    pub coverage: Option<f64>,
}

/// How the inventory was turned into a footprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Methodology {
    /// E.g. `IPCC AR6 GWP100`.
    pub gwp_method: String,
    /// Where the foreground model allocates between co-products.
    pub allocation: Vec<AllocationUse>,
    pub electricity: Option<Electricity>,
    pub recycling: RecyclingApproach,
    pub end_of_life_note: Option<String>,
    /// Value choices and assumptions, in words.
    pub assumptions: Vec<String>,
    /// The model's parameters (numbers the study rests on).
    pub parameters: Vec<ParameterRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationUse {
    pub process: String,
    pub method: AllocationMethod,
    /// Products sharing the burden, the reference output included.
    pub products: usize,
}

/// ISO 14067 §6.4.9.4: how electricity was modelled.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Electricity {
    pub approach: Option<ElectricityApproach>,
    /// Whether a residual mix was used for the part not covered by instruments.
    pub residual_mix: Option<bool>,
    /// The electricity datasets or supplier products used.
    pub datasets: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElectricityApproach {
    LocationBased,
    MarketBased,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParameterRow {
    pub name: String,
    /// The evaluated value, when known.
    pub value: Option<f64>,
    /// The formula, when the parameter is computed.
    pub formula: Option<String>,
    pub unit: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// kg CO2e per declared unit.
    pub total: f64,
    pub by_stage: Vec<StageRow>,
    pub by_gas: Vec<GasRow>,
    /// The parts ISO 14067 §7.2 / §6.4.9 requires reported separately.
    pub by_origin: OriginRows,
    /// Largest contributing processes first.
    pub top_contributors: Vec<ContributorRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageRow {
    pub stage: LifeCycleStage,
    pub value: f64,
    /// Share of the total (can be negative for removals).
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GasRow {
    pub gas: String,
    pub origin: Origin,
    /// kg of the gas (kg CO2e for aggregated values).
    pub mass: f64,
    /// kg CO2e.
    pub value: f64,
}

/// kg CO2e per declared unit by origin of the carbon.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OriginRows {
    pub fossil: f64,
    pub biogenic_emissions: f64,
    /// Negative: CO2 taken up into biomass.
    pub biogenic_removals: f64,
    /// Direct land-use change.
    pub dluc: f64,
    /// Indirect land-use change, reported only when quantified (ISO 14067 §6.4.9.5).
    pub iluc: Option<f64>,
    /// Aircraft transport, a part of the above reported separately.
    pub aircraft: f64,
    /// Aggregated secondary values whose split their source does not publish.
    pub unspecified: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributorRow {
    pub name: String,
    pub stage: LifeCycleStage,
    pub value: f64,
    pub share: f64,
}

/// ISO 14067 §6.6 and §7.3: uncertainty, sensitivity, limitations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Interpretation {
    pub monte_carlo: Option<MonteCarlo>,
    pub sensitivity: Vec<SensitivityRow>,
    /// The relative parameter step of the sensitivity runs, e.g. 0.1 for ±10 %.
    pub sensitivity_step: Option<f64>,
    pub limitations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonteCarlo {
    pub iterations: usize,
    pub seed: Option<u64>,
    pub mean: f64,
    pub sd: f64,
    pub median: f64,
    pub p2_5: f64,
    pub p97_5: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityRow {
    pub parameter: String,
    pub value: f64,
    pub total_low: Option<f64>,
    pub total_high: Option<f64>,
    /// (ΔT/T)/(Δp/p).
    pub elasticity: Option<f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PcrSection {
    pub id: String,
    pub version: Option<String>,
    /// In the PCR's languages; printed in the report's, falling back to another.
    pub title: LocalisedName,
    /// The check of the study against the PCR, when it was run.
    pub conformance: Option<Vec<ConformanceItem>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConformanceItem {
    pub key: String,
    /// Missing a mandatory item blocks certification; advisory ones do not.
    pub mandatory: bool,
    pub met: bool,
    pub detail: String,
}

/// A certificate of conformity of a product carbon footprint, as printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateDocument {
    pub certificate_id: String,
    /// The organisation holding the certificate.
    pub holder: String,
    pub product: LocalisedName,
    pub gtin: Option<String>,
    /// E.g. `1 kWh`.
    pub declared_unit: String,
    pub boundary: Option<SystemBoundary>,
    /// kg CO2e per declared unit.
    pub value: f64,
    pub pcr_id: Option<String>,
    pub pcr_version: Option<String>,
    /// Standards certified against; `ISO 14067:2018` and `GB/T 24067-2024` by default.
    pub standards: Vec<String>,
    pub certification_body: String,
    pub issued_at_ms: i64,
    /// Exclusive, as the trust layer's `valid_until`: valid while now < this. The last
    /// valid day (this minus 1 ms, UTC) is printed.
    pub valid_until_ms: Option<i64>,
    pub status: CertificateStatus,
    /// SHA-256 of the certified calculation, hex.
    pub fingerprint_sha256: String,
    /// Where anyone can check the certificate, printed as text.
    pub verification_url: String,
}

/// Mirrors the trust layer's certificate states (this crate depends on the model only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CertificateStatus {
    Valid,
    Suspended,
    Withdrawn,
    Expired,
    Superseded,
}

/// The two standards a Zuji footprint follows.
pub const STANDARDS: [&str; 2] = ["ISO 14067:2018", "GB/T 24067-2024"];
