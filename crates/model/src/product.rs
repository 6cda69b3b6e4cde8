//! The product model: what a practitioner writes to describe a product's life cycle.
//!
//! It reads like a bill of materials: the product and its declared unit, parameters,
//! and processes with their inputs (from other processes, from background datasets or
//! from a supplier's footprint) and direct emissions. TOML and JSON share this schema
//! (`docs/product-model.md`). Unknown fields are refused so that a typo is not silently
//! ignored.

use crate::gas::{Gas, Origin};
use crate::quality::DataQuality;
use crate::stage::LifeCycleStage;
use crate::uncertainty::Uncertainty;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductModel {
    pub product: ProductInfo,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, ParameterSpec>,
    #[serde(rename = "process", default)]
    pub processes: Vec<ProcessSpec>,
    /// What the study is for and how electricity is treated (ISO 14067 6.2, 6.4.9.4);
    /// printed in the study report. Absent in models that don't state them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study: Option<StudyStatement>,
}

/// The goal of the study (ISO 14067 6.2; GB/T 24067 6.2) and the electricity treatment
/// (ISO 14067 6.4.9.4): stated by the practitioner, not computed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudyStatement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_application: Option<String>,
    /// Why the study is carried out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasons: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intended_audience: Option<String>,
    /// Whether the result is intended for communication to the public (ISO 14067 6.2 d).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_communication: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electricity: Option<ElectricityTreatment>,
}

/// How purchased electricity is modelled (ISO 14067 6.4.9.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectricityTreatment {
    pub approach: ElectricityApproach,
    /// Whether a residual mix covers the consumption no contractual instrument covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residual_mix: Option<bool>,
    /// E.g. the certificates (GEC, I-REC) and the share of consumption they cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElectricityApproach {
    /// The grid's average emission factor where the electricity is consumed.
    LocationBased,
    /// The supplier's or contractual instruments' factor, with a residual mix for the rest.
    MarketBased,
}

/// Names in the platform's three languages; Chinese and English are required.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalisedName {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    #[serde(rename = "zh-Hant", default, skip_serializing_if = "Option::is_none")]
    pub zh_hant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalisedName {
    /// The English name, else the Chinese one.
    pub fn display(&self) -> &str {
        self.en.as_deref().or(self.zh.as_deref()).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: LocalisedName,
    /// Product category; links the model to its product category rule.
    pub category: String,
    /// GS1 GTIN-8/12/13/14, check digit verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
    pub declared_unit: DeclaredUnit,
    pub boundary: SystemBoundary,
    /// The period the data represent, e.g. `2025` or `2024-07/2025-06`.
    pub reference_period: String,
    /// ISO 3166 code with optional subdivision: `CN`, `CN-GD`.
    pub geography: String,
    /// Id of the product category rule (PCR) the study follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pcr: Option<String>,
    #[serde(default)]
    pub end_of_life: EndOfLife,
    /// The process whose reference output is the product; the first process if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_process: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredUnit {
    pub amount: f64,
    pub unit: String,
    /// A functional unit (full CFP, cradle-to-grave) or a declared unit (partial CFP).
    #[serde(default)]
    pub kind: UnitKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    #[default]
    Declared,
    Functional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SystemBoundary {
    CradleToGate,
    CradleToGrave,
    GateToGate,
    GateToGrave,
}

impl SystemBoundary {
    pub fn as_str(self) -> &'static str {
        match self {
            SystemBoundary::CradleToGate => "cradle-to-gate",
            SystemBoundary::CradleToGrave => "cradle-to-grave",
            SystemBoundary::GateToGate => "gate-to-gate",
            SystemBoundary::GateToGrave => "gate-to-grave",
        }
    }
}

/// How recycling and end of life are credited (ISO 14067 6.4.6.3, ISO 14044 4.3.4.3).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndOfLife {
    #[serde(default)]
    pub approach: RecyclingApproach,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecyclingApproach {
    /// Recycled content enters burden-free; recycling at end of life gets no credit.
    #[default]
    CutOff,
    /// Recycling at end of life is credited with the primary production it avoids.
    AvoidedBurden,
}

/// An amount: a number or a formula over parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Number(f64),
    Formula(String),
}

/// A parameter: a number, a formula, or a table with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParameterSpec {
    Number(f64),
    Formula(String),
    Detailed(ParameterDetail),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterDetail {
    /// A number or a formula.
    pub value: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Uncertainty::is_none")]
    pub uncertainty: Uncertainty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl ParameterSpec {
    pub fn value(&self) -> Amount {
        match self {
            ParameterSpec::Number(n) => Amount::Number(*n),
            ParameterSpec::Formula(f) => Amount::Formula(f.clone()),
            ParameterSpec::Detailed(d) => d.value.clone(),
        }
    }
    pub fn uncertainty(&self) -> Uncertainty {
        match self {
            ParameterSpec::Detailed(d) => d.uncertainty,
            _ => Uncertainty::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AllocationMethod {
    /// By a physical property: each product's amount times its `property` (e.g. mass or
    /// energy content per unit); without properties the amounts themselves, which must
    /// then share a dimension.
    Physical,
    /// By economic value: amount × price.
    Economic,
    /// Factors given on each product, summing to 1.
    Explicit,
}

/// A product leaving a process: the reference output or a co-product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductOutput {
    /// Needed for co-products; the reference output is named after its process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub amount: Amount,
    pub unit: String,
    /// Price per unit (a number or formula), for economic allocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Amount>,
    /// Physical allocation property per unit (e.g. MJ/kg), for physical allocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property: Option<Amount>,
    /// Allocation factor, for explicit allocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_factor: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessSpec {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub stage: LifeCycleStage,
    pub output: ProductOutput,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coproducts: Vec<ProductOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation: Option<AllocationMethod>,
    /// Every emission of this process is aircraft transport (reported separately).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub aircraft: bool,
    /// Default primary/secondary flag for this process's inputs and emissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emissions: Vec<EmissionSpec>,
}

impl ProcessSpec {
    /// The reference output first, then co-products.
    pub fn products(&self) -> impl Iterator<Item = &ProductOutput> {
        std::iter::once(&self.output).chain(self.coproducts.iter())
    }
}

/// A supplier's product carbon footprint, used as an input (filled from PACT later).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplierFootprint {
    /// E.g. a PACT footprint id `urn:uuid:…`.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// kg CO2e per one `unit` of the supplied product.
    pub pcf: f64,
    pub unit: String,
    pub source: String,
    /// Share of the supplier's footprint computed from primary data, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_data_share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<DataQuality>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Another process of this model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// A co-product of that process, by its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// A background dataset by id (`zuji-default/electricity/...` or a bare activity id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<SupplierFootprint>,
    pub amount: Amount,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<LifeCycleStage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    #[serde(default, skip_serializing_if = "Uncertainty::is_none")]
    pub uncertainty: Uncertainty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<DataQuality>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// This input is air freight: its whole footprint is reported as aircraft emissions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub aircraft: bool,
    /// A credit for avoided primary production (avoided-burden recycling only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub avoided: bool,
}

/// What an input is linked to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InputLink<'a> {
    Process {
        id: &'a str,
        product: Option<&'a str>,
    },
    Dataset(&'a str),
    Supplier(&'a SupplierFootprint),
}

impl InputSpec {
    /// The one thing this input links to, or why it has not exactly one.
    pub fn link(&self) -> Result<InputLink<'_>, String> {
        match (&self.process, &self.dataset, &self.supplier) {
            (Some(p), None, None) => Ok(InputLink::Process {
                id: p,
                product: self.product.as_deref(),
            }),
            (None, Some(d), None) => Ok(InputLink::Dataset(d)),
            (None, None, Some(s)) => Ok(InputLink::Supplier(s)),
            (None, None, None) => {
                Err("an input needs one of 'process', 'dataset' or 'supplier'".into())
            }
            _ => Err(
                "an input links to exactly one of 'process', 'dataset' or 'supplier', not several"
                    .into(),
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmissionSpec {
    pub gas: Gas,
    pub origin: Origin,
    pub amount: Amount,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<LifeCycleStage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    #[serde(default, skip_serializing_if = "Uncertainty::is_none")]
    pub uncertainty: Uncertainty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<DataQuality>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
