//! The PCR conformance check: does a product model, with the engine's figures for it, meet
//! its product category rule?
//!
//! [`check`] reports every requirement met or missed, each with a sentence saying why.
//! Certification cannot start while a mandatory item is missed
//! ([`ConformanceReport::blocks_certification`]). The engine's figures come in an
//! [`Evidence`] the caller fills from `zuji_calc::FootprintResult` (see `docs/pcr.md`), so
//! this crate needs neither the engine nor a database.

use crate::pcr::{
    AdoptedStandardsList, AdoptionStatus, AllocationChoice, Pcr, PcrStatus, PrimaryDataItem,
    StandardRole, pattern_matches,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use zuji_model::LifeCycleStage;
use zuji_model::product::{AllocationMethod, InputLink, ProductModel, SystemBoundary};
use zuji_model::units::Unit;

/// The engine's figures for one model, per declared unit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Evidence {
    /// kg CO2e per declared unit (`FootprintResult::total`).
    pub total: f64,
    /// kg CO2e by stage (`FootprintResult::by_stage`); stages absent count as zero.
    pub stages: Vec<StageTotal>,
    /// Each model input and emission with its contribution (`FootprintResult::items`).
    pub items: Vec<ItemEvidence>,
    /// Share 0–1 of the absolute contributions resting on primary data
    /// (`FootprintResult::primary_data_share`).
    pub primary_data_share: f64,
    /// Contribution-weighted mean data-quality rating 1–5
    /// (`FootprintResult::data_quality.rating`).
    pub data_quality: Option<f64>,
    /// Share 0–1 of the absolute contributions carrying a rating
    /// (`FootprintResult::data_quality.coverage`).
    pub data_quality_coverage: f64,
    /// Flows the study left out under the cut-off rule, with their estimated size.
    #[serde(default)]
    pub cut_off: Vec<CutOffFlow>,
    /// Stages the study declares as contributing nothing, with the reason.
    #[serde(default)]
    pub nil_stages: Vec<NilStage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StageTotal {
    pub stage: LifeCycleStage,
    pub value: f64,
}

/// One model input or emission as the engine saw it (`zuji_calc::ItemContribution`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemEvidence {
    /// Id of the process it belongs to.
    pub process: String,
    pub kind: ItemKind,
    /// Position in the process's `inputs` or `emissions`.
    pub index: usize,
    /// Dataset id, supplier id, or gas and origin, as the engine names it.
    pub what: String,
    pub stage: LifeCycleStage,
    pub primary: bool,
    /// kg CO2e per declared unit.
    pub value: f64,
    /// value / total.
    pub share: f64,
    /// Data-quality rating 1–5 (see [`item_quality`] to fill it from the model).
    pub quality: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Input,
    Emission,
}

/// A flow excluded from the study. Its share of the total is `estimated_share` if given,
/// else `estimated_value / total`; with neither, the cut-off cannot be shown to hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CutOffFlow {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<LifeCycleStage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_share: Option<f64>,
    /// kg CO2e per declared unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_value: Option<f64>,
    pub justification: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NilStage {
    pub stage: LifeCycleStage,
    pub justification: String,
}

/// The data-quality rating of one model input or emission: its own `quality`, else (for a
/// supplier input) the supplier footprint's, as the engine does. `None` when unrated or when
/// the model has no such item.
pub fn item_quality(
    model: &ProductModel,
    process: &str,
    kind: ItemKind,
    index: usize,
) -> Option<f64> {
    let p = model.processes.iter().find(|p| p.id == process)?;
    let q = match kind {
        ItemKind::Input => {
            let inp = p.inputs.get(index)?;
            let supplier_q = match inp.link() {
                Ok(InputLink::Supplier(s)) => s.quality,
                _ => None,
            };
            inp.quality.or(supplier_q)
        }
        ItemKind::Emission => p.emissions.get(index)?.quality,
    };
    q.map(|q| q.rating())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Missing it blocks certification.
    Mandatory,
    /// Reported to the verifier; does not block.
    Advisory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Met,
    Missed,
}

/// One requirement and how the study fares against it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckItem {
    /// Stable key, e.g. `declared-unit`, `stage:production`, `primary-data:plant-electricity`.
    pub key: String,
    pub severity: Severity,
    pub outcome: Outcome,
    /// The finding as an English sentence (CLI, API).
    pub detail: String,
    /// The same finding as a message id and its values, for a reader to put in another
    /// language. Absent in reports stored before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<CheckMessage>,
}

/// A finding in a form a catalog can translate: `id` names the sentence (e.g.
/// `pcr-status.draft`), `args` the values it mentions — ids, numbers formatted as in
/// `detail`, and enumeration values as their kebab-case names (`stage`, `boundary`,
/// `kind`, `approach`, `method` and their `required_*` counterparts). An optional value
/// the study does not state is left out rather than written as text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CheckMessage {
    pub id: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, String>,
}

impl CheckMessage {
    pub fn new(id: &str) -> CheckMessage {
        CheckMessage {
            id: id.to_string(),
            args: BTreeMap::new(),
        }
    }

    /// Adds one value.
    pub fn arg(mut self, name: &str, value: impl fmt::Display) -> CheckMessage {
        self.args.insert(name.to_string(), value.to_string());
        self
    }

    /// Adds a value when there is one.
    fn opt_arg(self, name: &str, value: Option<impl fmt::Display>) -> CheckMessage {
        match value {
            Some(v) => self.arg(name, v),
            None => self,
        }
    }

    /// Adds a localized title as `{name}.en`, `{name}.zh-Hans` and `{name}.zh-Hant`.
    fn title_arg(self, name: &str, title: &crate::pcr::Title) -> CheckMessage {
        self.arg(&format!("{name}.en"), &title.en)
            .arg(&format!("{name}.zh-Hans"), &title.zh_hans)
            .arg(&format!("{name}.zh-Hant"), &title.zh_hant)
    }
}

impl fmt::Display for CheckItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Mandatory => "mandatory",
            Severity::Advisory => "advisory",
        };
        let out = match self.outcome {
            Outcome::Met => "met",
            Outcome::Missed => "MISSED",
        };
        write!(f, "[{out}] {} ({sev}): {}", self.key, self.detail)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConformanceReport {
    pub pcr_id: String,
    pub pcr_version: String,
    pub product: Option<String>,
    pub items: Vec<CheckItem>,
}

impl ConformanceReport {
    /// True when any mandatory requirement is missed.
    pub fn blocks_certification(&self) -> bool {
        !self.blocking().is_empty()
    }

    /// The mandatory requirements missed.
    pub fn blocking(&self) -> Vec<&CheckItem> {
        self.items
            .iter()
            .filter(|i| i.severity == Severity::Mandatory && i.outcome == Outcome::Missed)
            .collect()
    }

    /// Every requirement missed, mandatory or advisory.
    pub fn missed(&self) -> Vec<&CheckItem> {
        self.items
            .iter()
            .filter(|i| i.outcome == Outcome::Missed)
            .collect()
    }

    pub fn item(&self, key: &str) -> Option<&CheckItem> {
        self.items.iter().find(|i| i.key == key)
    }
}

/// Relative tolerance for comparing amounts after unit conversion and for the evidence's
/// stage sum: conversion factors are exact to about 1e-15, so 1e-9 absorbs rounding only.
const REL_TOL: f64 = 1e-9;

/// Whether a requirement is met, the English sentence saying why, and the same as a
/// message.
type Verdict = (bool, String, CheckMessage);

fn item(key: String, severity: Severity, verdict: Verdict) -> CheckItem {
    let (met, detail, message) = verdict;
    CheckItem {
        key,
        severity,
        outcome: if met { Outcome::Met } else { Outcome::Missed },
        detail,
        message: Some(message),
    }
}

/// Checks `model` and the engine's `evidence` against `pcr`. Every requirement yields one
/// item; nothing here panics or stops at the first miss.
pub fn check(model: &ProductModel, pcr: &Pcr, evidence: &Evidence) -> ConformanceReport {
    let mut items = Vec::new();
    let mut push = |key: String, severity: Severity, verdict: Verdict| {
        items.push(item(key, severity, verdict))
    };
    use Severity::{Advisory, Mandatory};

    let (sev, verdict) = pcr_status(pcr);
    push("pcr-status".into(), sev, verdict);

    let p = &model.product;
    push("category".into(), Mandatory, category(model, pcr));
    push("pcr-reference".into(), Advisory, pcr_reference(model, pcr));
    push("declared-unit".into(), Mandatory, declared_unit(model, pcr));
    push("unit-kind".into(), Mandatory, unit_kind(model, pcr));
    push("boundary".into(), Mandatory, boundary(model, pcr));
    push("evidence".into(), Mandatory, evidence_consistency(evidence));

    for stage in &pcr.required_stages {
        push(
            format!("stage:{stage}"),
            Mandatory,
            stage_present(model, evidence, *stage),
        );
    }
    if pcr.boundary == SystemBoundary::CradleToGate {
        for stage in [
            LifeCycleStage::Distribution,
            LifeCycleStage::Use,
            LifeCycleStage::EndOfLife,
        ] {
            let v = stage_value(evidence, stage);
            if v != 0.0 {
                push(
                    format!("outside-boundary:{stage}"),
                    Mandatory,
                    (
                        false,
                        format!(
                            "{stage} contributes {v} kg CO2e but lies outside a cradle-to-gate boundary"
                        ),
                        CheckMessage::new("outside-boundary.contributes")
                            .arg("stage", stage)
                            .arg("value", v),
                    ),
                );
            }
        }
    }

    let (per_flow, total) = cut_off(pcr, evidence);
    push("cut-off:per-flow".into(), Mandatory, per_flow);
    push("cut-off:total".into(), Mandatory, total);

    for item in &pcr.primary_data {
        let sev = if item.mandatory { Mandatory } else { Advisory };
        push(
            format!("primary-data:{}", item.id),
            sev,
            primary_item(model, item),
        );
    }

    if let Some(min) = &pcr.min_primary_share {
        let have = evidence.primary_data_share;
        let (have_pct, min_pct) = (
            format!("{:.1}", have * 100.0),
            format!("{:.1}", min.share * 100.0),
        );
        push(
            "primary-data:share".into(),
            Mandatory,
            (
                have.is_finite() && have >= min.share,
                format!(
                    "{have_pct} % of the contributions rest on primary data; the PCR requires at least {min_pct} %"
                ),
                CheckMessage::new("primary-data.share")
                    .arg("share", have_pct)
                    .arg("required", min_pct),
            ),
        );
    }

    let dq_sev = if pcr.data_quality.mandatory {
        Mandatory
    } else {
        Advisory
    };
    push(
        "data-quality:rating".into(),
        dq_sev,
        data_quality_rating(evidence, pcr.data_quality.max_rating),
    );
    if let Some(min) = pcr.data_quality.min_coverage {
        let c = evidence.data_quality_coverage;
        let (have_pct, min_pct) = (format!("{:.1}", c * 100.0), format!("{:.1}", min * 100.0));
        push(
            "data-quality:coverage".into(),
            dq_sev,
            (
                c >= min,
                format!(
                    "{have_pct} % of the contributions carry a rating; the PCR requires at least {min_pct} %"
                ),
                CheckMessage::new("data-quality.coverage")
                    .arg("share", have_pct)
                    .arg("required", min_pct),
            ),
        );
    }
    if let (Some(sig), Some(max_item)) = (
        pcr.data_quality.significant_share,
        pcr.data_quality.max_item_rating,
    ) {
        push(
            "data-quality:significant-items".into(),
            dq_sev,
            significant_items(evidence, sig, max_item),
        );
    }

    for (key, sev, verdict) in allocation(model, pcr) {
        push(key, sev, verdict);
    }

    let approach = p.end_of_life.approach;
    push(
        "recycling".into(),
        Mandatory,
        (
            approach == pcr.recycling.approach,
            format!(
                "the model's end-of-life approach is {}; the PCR requires {}",
                recycling_name(approach),
                recycling_name(pcr.recycling.approach)
            ),
            CheckMessage::new("recycling.approach")
                .arg("approach", recycling_name(approach))
                .arg("required_approach", recycling_name(pcr.recycling.approach)),
        ),
    );

    ConformanceReport {
        pcr_id: pcr.id.clone(),
        pcr_version: pcr.version.clone(),
        product: p.id.clone(),
        items,
    }
}

/// The PCR itself must be in force; a draft may be used but the verifier is told.
fn pcr_status(pcr: &Pcr) -> (Severity, Verdict) {
    let msg = |id: &str| {
        CheckMessage::new(id)
            .arg("pcr", &pcr.id)
            .arg("version", &pcr.version)
    };
    match pcr.status {
        PcrStatus::Published => (
            Severity::Mandatory,
            (
                true,
                "the PCR is published".to_string(),
                msg("pcr-status.published"),
            ),
        ),
        PcrStatus::Draft => (
            Severity::Advisory,
            (
                false,
                format!(
                    "PCR {} {} is a draft, not yet published by the registry",
                    pcr.id, pcr.version
                ),
                msg("pcr-status.draft"),
            ),
        ),
        PcrStatus::Superseded => (
            Severity::Mandatory,
            (
                false,
                format!(
                    "PCR {} {} is superseded{}; use its successor",
                    pcr.id,
                    pcr.version,
                    pcr.superseded_by
                        .as_deref()
                        .map(|s| format!(" by {s}"))
                        .unwrap_or_default()
                ),
                match pcr.superseded_by.as_deref() {
                    Some(s) => msg("pcr-status.superseded-by").arg("successor", s),
                    None => msg("pcr-status.superseded"),
                },
            ),
        ),
        PcrStatus::Withdrawn => (
            Severity::Mandatory,
            (
                false,
                format!("PCR {} {} is withdrawn", pcr.id, pcr.version),
                msg("pcr-status.withdrawn"),
            ),
        ),
    }
}

fn category(model: &ProductModel, pcr: &Pcr) -> Verdict {
    let have = &model.product.category;
    let want = &pcr.category.id;
    if have == want {
        (
            true,
            format!("product category '{have}' is the PCR's"),
            CheckMessage::new("category.match").arg("category", have),
        )
    } else {
        (
            false,
            format!("product category '{have}' is not the PCR's category '{want}'"),
            CheckMessage::new("category.mismatch")
                .arg("category", have)
                .arg("required", want),
        )
    }
}

fn pcr_reference(model: &ProductModel, pcr: &Pcr) -> Verdict {
    match model.product.pcr.as_deref() {
        Some(id) if id == pcr.id => (
            true,
            format!("the model cites PCR {id}"),
            CheckMessage::new("pcr-reference.cites-pcr").arg("pcr", id),
        ),
        Some(code) if code == pcr.basis => (
            true,
            format!(
                "the model cites {code}, the standard PCR {} follows",
                pcr.id
            ),
            CheckMessage::new("pcr-reference.cites-basis")
                .arg("basis", code)
                .arg("pcr", &pcr.id),
        ),
        Some(other) => (
            false,
            format!(
                "the model cites '{other}', not PCR {} (or its basis {})",
                pcr.id, pcr.basis
            ),
            CheckMessage::new("pcr-reference.other")
                .arg("cited", other)
                .arg("pcr", &pcr.id)
                .arg("basis", &pcr.basis),
        ),
        None => (
            false,
            format!(
                "the model does not cite a PCR in product.pcr; expected {}",
                pcr.id
            ),
            CheckMessage::new("pcr-reference.none").arg("pcr", &pcr.id),
        ),
    }
}

fn unit_kind(model: &ProductModel, pcr: &Pcr) -> Verdict {
    let have = kind_name(model.product.declared_unit.kind);
    let want = kind_name(pcr.declared_unit.kind);
    if have == want {
        (
            true,
            format!("a {have} unit, as required"),
            CheckMessage::new("unit-kind.match").arg("kind", have),
        )
    } else {
        (
            false,
            format!("the model states a {have} unit; the PCR requires a {want} unit"),
            CheckMessage::new("unit-kind.mismatch")
                .arg("kind", have)
                .arg("required_kind", want),
        )
    }
}

fn boundary(model: &ProductModel, pcr: &Pcr) -> Verdict {
    let have = model.product.boundary.as_str();
    let want = pcr.boundary.as_str();
    if have == want {
        (
            true,
            format!("boundary {have} as required"),
            CheckMessage::new("boundary.match").arg("boundary", have),
        )
    } else {
        (
            false,
            format!("boundary is {have}; the PCR requires {want}"),
            CheckMessage::new("boundary.mismatch")
                .arg("boundary", have)
                .arg("required_boundary", want),
        )
    }
}

fn data_quality_rating(evidence: &Evidence, max: f64) -> Verdict {
    match evidence.data_quality {
        Some(r) if r.is_finite() && r <= max => (
            true,
            format!("contribution-weighted data-quality rating {r:.3} ≤ {max}"),
            CheckMessage::new("data-quality.rating.met")
                .arg("rating", format!("{r:.3}"))
                .arg("max", max),
        ),
        Some(r) => (
            false,
            format!("contribution-weighted data-quality rating {r:.3} exceeds the maximum {max}"),
            CheckMessage::new("data-quality.rating.over")
                .arg("rating", format!("{r:.3}"))
                .arg("max", max),
        ),
        None => (
            false,
            "no input carries a data-quality rating; the PCR requires one".to_string(),
            CheckMessage::new("data-quality.rating.none"),
        ),
    }
}

/// [`check`], plus one mandatory item per normative standard of the PCR: it must be on the
/// registry's adopted-standards list with status adopted.
pub fn check_with_standards(
    model: &ProductModel,
    pcr: &Pcr,
    evidence: &Evidence,
    list: &AdoptedStandardsList,
) -> ConformanceReport {
    let mut report = check(model, pcr, evidence);
    for s in pcr
        .standards
        .iter()
        .filter(|s| s.role == StandardRole::Normative)
    {
        report.items.push(item(
            format!("adopted-standard:{}", s.code),
            Severity::Mandatory,
            standard_adopted(&s.code, list),
        ));
    }
    report
}

fn standard_adopted(code: &str, list: &AdoptedStandardsList) -> Verdict {
    let msg = |id: &str| {
        CheckMessage::new(id)
            .arg("code", code)
            .arg("list_version", list.version)
    };
    let Some(e) = list.entry(code) else {
        return (
            false,
            format!(
                "{code} is not on the adopted-standards list (version {})",
                list.version
            ),
            msg("adopted-standard.not-listed"),
        );
    };
    match e.status {
        AdoptionStatus::Adopted => (
            true,
            format!(
                "{code} is adopted (since {}, list version {})",
                e.adopted_on, list.version
            ),
            msg("adopted-standard.adopted").arg("since", &e.adopted_on),
        ),
        AdoptionStatus::Superseded => (
            false,
            format!(
                "{code} was superseded on {} by {}",
                e.superseded_on.as_deref().unwrap_or("an unrecorded date"),
                e.superseded_by
                    .as_deref()
                    .unwrap_or("an unrecorded standard")
            ),
            msg("adopted-standard.superseded")
                .opt_arg("date", e.superseded_on.as_deref())
                .opt_arg("successor", e.superseded_by.as_deref()),
        ),
        AdoptionStatus::Withdrawn => (
            false,
            format!(
                "{code} was withdrawn on {}",
                e.withdrawn_on.as_deref().unwrap_or("an unrecorded date")
            ),
            msg("adopted-standard.withdrawn").opt_arg("date", e.withdrawn_on.as_deref()),
        ),
    }
}

fn kind_name(k: zuji_model::product::UnitKind) -> &'static str {
    match k {
        zuji_model::product::UnitKind::Declared => "declared",
        zuji_model::product::UnitKind::Functional => "functional",
    }
}

fn recycling_name(a: zuji_model::product::RecyclingApproach) -> &'static str {
    match a {
        zuji_model::product::RecyclingApproach::CutOff => "cut-off",
        zuji_model::product::RecyclingApproach::AvoidedBurden => "avoided-burden",
    }
}

/// Same quantity after unit conversion: 1 t meets 1000 kg; 2 kWh does not meet 1 kWh.
fn declared_unit(model: &ProductModel, pcr: &Pcr) -> Verdict {
    let m = &model.product.declared_unit;
    let r = &pcr.declared_unit;
    let want = format!("{} {}", r.amount, r.unit);
    let have = format!("{} {}", m.amount, m.unit);
    let msg = |id: &str| CheckMessage::new(id).arg("have", &have).arg("want", &want);
    let (mu, ru) = match (Unit::parse(&m.unit), Unit::parse(&r.unit)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) => {
            return (
                false,
                format!("model declared unit: {e}"),
                msg("declared-unit.model-unit-unknown").arg("unit", &m.unit),
            );
        }
        (_, Err(e)) => {
            return (
                false,
                format!("PCR declared unit: {e}"),
                msg("declared-unit.pcr-unit-unknown").arg("unit", &r.unit),
            );
        }
    };
    let factor = match mu.factor_to(&ru) {
        Ok(f) => f,
        Err(e) => {
            return (
                false,
                format!("declared unit is {have}, the PCR requires {want}: {e}"),
                msg("declared-unit.incompatible"),
            );
        }
    };
    let converted = m.amount * factor;
    if (converted - r.amount).abs() <= REL_TOL * r.amount.abs() {
        (
            true,
            format!("declared unit {have} equals the PCR's {want}"),
            msg("declared-unit.equal"),
        )
    } else {
        (
            false,
            format!(
                "declared unit is {have} (= {converted} {}); the PCR requires {want}: rescale the model",
                r.unit
            ),
            msg("declared-unit.rescale").arg("converted", format!("{converted} {}", r.unit)),
        )
    }
}

fn stage_value(evidence: &Evidence, stage: LifeCycleStage) -> f64 {
    evidence
        .stages
        .iter()
        .filter(|s| s.stage == stage)
        .map(|s| s.value)
        .sum()
}

/// The evidence must be finite and add up: its stages sum to its total.
fn evidence_consistency(e: &Evidence) -> Verdict {
    if !e.total.is_finite() {
        return (
            false,
            format!("evidence total {} is not a number", e.total),
            CheckMessage::new("evidence.total-not-number").arg("total", e.total),
        );
    }
    if let Some(s) = e.stages.iter().find(|s| !s.value.is_finite()) {
        return (
            false,
            format!(
                "evidence stage {} value {} is not a number",
                s.stage, s.value
            ),
            CheckMessage::new("evidence.stage-not-number")
                .arg("stage", s.stage)
                .arg("value", s.value),
        );
    }
    let sum: f64 = e.stages.iter().map(|s| s.value).sum();
    let scale = e
        .stages
        .iter()
        .map(|s| s.value.abs())
        .sum::<f64>()
        .max(e.total.abs());
    if (sum - e.total).abs() > REL_TOL * scale {
        return (
            false,
            format!(
                "evidence stage totals sum to {sum} kg CO2e but the total is {} kg CO2e",
                e.total
            ),
            CheckMessage::new("evidence.sum-mismatch")
                .arg("sum", sum)
                .arg("total", e.total),
        );
    }
    (
        true,
        format!(
            "evidence total {} kg CO2e equals the sum of its stages",
            e.total
        ),
        CheckMessage::new("evidence.consistent").arg("total", e.total),
    )
}

/// A stage is present if it contributes, if the model has a process in it (explicitly
/// modelled, even at zero), or if the study declares it nil with a reason.
fn stage_present(model: &ProductModel, e: &Evidence, stage: LifeCycleStage) -> Verdict {
    let v = stage_value(e, stage);
    let msg = |id: &str| CheckMessage::new(id).arg("stage", stage);
    if v != 0.0 {
        return (
            true,
            format!("{stage} contributes {v} kg CO2e"),
            msg("stage.contributes").arg("value", v),
        );
    }
    let modelled = model.processes.iter().find(|p| {
        p.stage == stage
            || p.inputs.iter().any(|i| i.stage == Some(stage))
            || p.emissions.iter().any(|m| m.stage == Some(stage))
    });
    if let Some(p) = modelled {
        return (
            true,
            format!(
                "{stage} is modelled (in process '{}') and contributes zero",
                p.id
            ),
            msg("stage.modelled-zero").arg("process", &p.id),
        );
    }
    if let Some(n) = e
        .nil_stages
        .iter()
        .find(|n| n.stage == stage && !n.justification.trim().is_empty())
    {
        return (
            true,
            format!("{stage} is declared nil: {}", n.justification.trim()),
            msg("stage.declared-nil").arg("reason", n.justification.trim()),
        );
    }
    (
        false,
        format!("required stage {stage} is neither modelled nor declared nil with a reason"),
        msg("stage.missing"),
    )
}

fn cut_off(pcr: &Pcr, e: &Evidence) -> (Verdict, Verdict) {
    let rule = &pcr.cut_off;
    let mut unknown = Vec::new();
    let mut too_big = Vec::new();
    let mut sum = 0.0;
    for f in &e.cut_off {
        let share = match (f.estimated_share, f.estimated_value) {
            (Some(s), _) if s.is_finite() => Some(s.abs()),
            (None, Some(v)) if v.is_finite() && e.total != 0.0 && e.total.is_finite() => {
                Some((v / e.total).abs())
            }
            _ => None,
        };
        match share {
            Some(s) => {
                sum += s;
                if s > rule.per_flow {
                    too_big.push(format!("'{}' ({:.2} %)", f.name, s * 100.0));
                }
            }
            None => unknown.push(format!("'{}'", f.name)),
        }
    }
    let (unknown, too_big) = (unknown.join(", "), too_big.join(", "));
    let per_flow_limit = format!("{:.2}", rule.per_flow * 100.0);
    let total_limit = format!("{:.2}", rule.total * 100.0);
    let sum_pct = format!("{:.2}", sum * 100.0);
    let per_flow = if !unknown.is_empty() {
        (
            false,
            format!(
                "excluded flows without an estimated share: {unknown}; the per-flow limit of {per_flow_limit} % cannot be shown"
            ),
            CheckMessage::new("cut-off.per-flow.unknown")
                .arg("flows", &unknown)
                .arg("limit", &per_flow_limit),
        )
    } else if !too_big.is_empty() {
        (
            false,
            format!("excluded flows above the per-flow limit of {per_flow_limit} %: {too_big}"),
            CheckMessage::new("cut-off.per-flow.over")
                .arg("flows", &too_big)
                .arg("limit", &per_flow_limit),
        )
    } else {
        (
            true,
            format!(
                "{} excluded flow(s), each within {per_flow_limit} % of the total",
                e.cut_off.len()
            ),
            CheckMessage::new("cut-off.per-flow.met")
                .arg("count", e.cut_off.len())
                .arg("limit", &per_flow_limit),
        )
    };
    let total = if !unknown.is_empty() {
        (
            false,
            format!(
                "excluded flows without an estimated share: {unknown}; the total limit of {total_limit} % cannot be shown"
            ),
            CheckMessage::new("cut-off.total.unknown")
                .arg("flows", &unknown)
                .arg("limit", &total_limit),
        )
    } else if sum > rule.total {
        (
            false,
            format!(
                "excluded flows sum to {sum_pct} % of the total, above the limit of {total_limit} %"
            ),
            CheckMessage::new("cut-off.total.over")
                .arg("share", &sum_pct)
                .arg("limit", &total_limit),
        )
    } else {
        (
            true,
            format!("excluded flows sum to {sum_pct} % of the total, within {total_limit} %"),
            CheckMessage::new("cut-off.total.met")
                .arg("share", &sum_pct)
                .arg("limit", &total_limit),
        )
    };
    (per_flow, total)
}

/// A model input or emission as the primary-data rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchKey {
    pub process: String,
    /// See [`PrimaryDataItem`]: dataset id, `supplier/<id>`, `process/<id>` or `emission/<GAS>`.
    pub key: String,
    pub stage: LifeCycleStage,
    pub primary: bool,
}

/// The match key of each input and emission (see [`PrimaryDataItem`]), with its stage and
/// primary flag resolved as the engine resolves them.
pub fn match_keys(model: &ProductModel) -> Vec<MatchKey> {
    let mut out = Vec::new();
    for p in &model.processes {
        let default_primary = p.primary.unwrap_or(false);
        for inp in &p.inputs {
            let key = match inp.link() {
                Ok(InputLink::Dataset(d)) => d.to_string(),
                Ok(InputLink::Supplier(s)) => format!("supplier/{}", s.id),
                Ok(InputLink::Process { id, .. }) => format!("process/{id}"),
                Err(_) => continue,
            };
            out.push(MatchKey {
                process: p.id.clone(),
                key,
                stage: inp.stage.unwrap_or(p.stage),
                primary: inp.primary.unwrap_or(default_primary),
            });
        }
        for em in &p.emissions {
            out.push(MatchKey {
                process: p.id.clone(),
                key: format!("emission/{}", em.gas),
                stage: em.stage.unwrap_or(p.stage),
                primary: em.primary.unwrap_or(default_primary),
            });
        }
    }
    out
}

fn primary_item(model: &ProductModel, item: &PrimaryDataItem) -> Verdict {
    let matching: Vec<_> = match_keys(model)
        .into_iter()
        .filter(|m| {
            item.stage.is_none_or(|s| s == m.stage)
                && item.patterns.iter().any(|p| pattern_matches(p, &m.key))
        })
        .collect();
    let scope = item
        .stage
        .map(|s| format!(" in stage {s}"))
        .unwrap_or_default();
    let name = &item.title.en;
    // `…-in-stage` when the PCR limits the item to one stage.
    let msg = |id: &str| {
        let id = match item.stage {
            Some(_) if id != "primary-data.primary" => format!("{id}-in-stage"),
            _ => id.to_string(),
        };
        CheckMessage::new(&id)
            .title_arg("title", &item.title)
            .opt_arg("stage", item.stage)
    };
    if matching.is_empty() {
        let patterns = item.patterns.join(" | ");
        return (
            false,
            format!("{name}: no input matches {patterns}{scope}"),
            msg("primary-data.no-match").arg("patterns", patterns),
        );
    }
    let describe = |v: &[&MatchKey]| {
        v.iter()
            .map(|m| format!("{} in process '{}'", m.key, m.process))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The same list without English words, for the message.
    let list = |v: &[&MatchKey]| {
        v.iter()
            .map(|m| format!("{} ({})", m.key, m.process))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let primary: Vec<_> = matching.iter().filter(|m| m.primary).collect();
    if primary.is_empty() {
        let all: Vec<_> = matching.iter().collect();
        (
            false,
            format!(
                "{name}: matching inputs{scope} are not flagged primary: {}",
                describe(&all)
            ),
            msg("primary-data.not-primary").arg("inputs", list(&all)),
        )
    } else {
        (
            true,
            format!("{name}: primary data from {}", describe(&primary)),
            msg("primary-data.primary").arg("inputs", list(&primary)),
        )
    }
}

fn significant_items(e: &Evidence, sig: f64, max_item: f64) -> Verdict {
    let mut bad = Vec::new();
    // The same findings without English words, split by kind, for the message.
    let (mut over, mut unrated) = (Vec::new(), Vec::new());
    let mut n = 0;
    for it in e.items.iter().filter(|i| i.share.abs() >= sig) {
        n += 1;
        let share = format!("{:.1}", it.share * 100.0);
        match it.quality {
            Some(q) if q <= max_item => {}
            Some(q) => {
                bad.push(format!(
                    "'{}' in '{}' ({share} %) is rated {q:.2}",
                    it.what, it.process
                ));
                over.push(format!(
                    "'{}' ('{}', {share} %): {q:.2}",
                    it.what, it.process
                ));
            }
            None => {
                bad.push(format!(
                    "'{}' in '{}' ({share} %) has no rating",
                    it.what, it.process
                ));
                unrated.push(format!("'{}' ('{}', {share} %)", it.what, it.process));
            }
        }
    }
    let sig_pct = format!("{:.1}", sig * 100.0);
    if bad.is_empty() {
        return (
            true,
            format!("all {n} item(s) contributing ≥ {sig_pct} % are rated ≤ {max_item}"),
            CheckMessage::new("data-quality.significant.met")
                .arg("count", n)
                .arg("share", &sig_pct)
                .arg("max", max_item),
        );
    }
    let id = match (over.is_empty(), unrated.is_empty()) {
        (false, true) => "data-quality.significant.over",
        (true, false) => "data-quality.significant.unrated",
        _ => "data-quality.significant.over-and-unrated",
    };
    let (over, unrated) = (over.join("; "), unrated.join("; "));
    (
        false,
        format!(
            "items contributing ≥ {sig_pct} % must be rated ≤ {max_item}: {}",
            bad.join("; ")
        ),
        CheckMessage::new(id)
            .arg("share", &sig_pct)
            .arg("max", max_item)
            .opt_arg("over", (!over.is_empty()).then_some(over))
            .opt_arg("unrated", (!unrated.is_empty()).then_some(unrated)),
    )
}

fn allocation(model: &ProductModel, pcr: &Pcr) -> Vec<(String, Severity, Verdict)> {
    let mut out = Vec::new();
    for p in model.processes.iter().filter(|p| !p.coproducts.is_empty()) {
        let key = format!("allocation:{}", p.id);
        let method = p.allocation;
        let name = match method {
            Some(AllocationMethod::Physical) => "physical",
            Some(AllocationMethod::Economic) => "economic",
            Some(AllocationMethod::Explicit) => "explicit",
            None => "unspecified",
        };
        let msg = |id: &str| CheckMessage::new(id).arg("process", &p.id);
        let (sev, verdict) = match (pcr.allocation.choice, method) {
            (_, None) => (
                Severity::Mandatory,
                (
                    false,
                    format!(
                        "process '{}' has co-products but no allocation method",
                        p.id
                    ),
                    msg("allocation.no-method"),
                ),
            ),
            (AllocationChoice::Physical, Some(AllocationMethod::Economic)) => (
                Severity::Mandatory,
                (
                    false,
                    format!(
                        "process '{}' allocates economically; the PCR requires physical allocation",
                        p.id
                    ),
                    msg("allocation.economic-not-physical"),
                ),
            ),
            (AllocationChoice::Economic, Some(m)) if m != AllocationMethod::Economic => (
                Severity::Mandatory,
                (
                    false,
                    format!(
                        "process '{}' allocates by {name}; the PCR requires economic allocation",
                        p.id
                    ),
                    msg("allocation.not-economic").arg("method", name),
                ),
            ),
            (AllocationChoice::Hierarchy, Some(AllocationMethod::Economic)) => (
                Severity::Advisory,
                (
                    false,
                    format!(
                        "process '{}' allocates economically; the PCR's hierarchy prefers a physical relationship — the verifier must see a justification",
                        p.id
                    ),
                    msg("allocation.economic-needs-justification"),
                ),
            ),
            (_, Some(_)) => (
                Severity::Mandatory,
                (
                    true,
                    format!("process '{}' allocates by {name}, as the PCR allows", p.id),
                    msg("allocation.allowed").arg("method", name),
                ),
            ),
        };
        out.push((key, sev, verdict));
    }
    out
}
