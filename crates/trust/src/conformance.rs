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
    pub detail: String,
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

/// Checks `model` and the engine's `evidence` against `pcr`. Every requirement yields one
/// item; nothing here panics or stops at the first miss.
pub fn check(model: &ProductModel, pcr: &Pcr, evidence: &Evidence) -> ConformanceReport {
    let mut items = Vec::new();
    let mut push = |key: String, severity: Severity, met: bool, detail: String| {
        items.push(CheckItem {
            key,
            severity,
            outcome: if met { Outcome::Met } else { Outcome::Missed },
            detail,
        })
    };
    use Severity::{Advisory, Mandatory};

    // The PCR itself must be in force; a draft may be used but the verifier is told.
    let (sev, met, detail) = match pcr.status {
        PcrStatus::Published => (Mandatory, true, "the PCR is published".to_string()),
        PcrStatus::Draft => (
            Advisory,
            false,
            format!(
                "PCR {} {} is a draft, not yet published by the registry",
                pcr.id, pcr.version
            ),
        ),
        PcrStatus::Superseded => (
            Mandatory,
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
        ),
        PcrStatus::Withdrawn => (
            Mandatory,
            false,
            format!("PCR {} {} is withdrawn", pcr.id, pcr.version),
        ),
    };
    push("pcr-status".into(), sev, met, detail);

    let p = &model.product;
    push(
        "category".into(),
        Mandatory,
        p.category == pcr.category.id,
        if p.category == pcr.category.id {
            format!("product category '{}' is the PCR's", p.category)
        } else {
            format!(
                "product category '{}' is not the PCR's category '{}'",
                p.category, pcr.category.id
            )
        },
    );

    let (met, detail) = match p.pcr.as_deref() {
        Some(id) if id == pcr.id => (true, format!("the model cites PCR {id}")),
        Some(code) if code == pcr.basis => (
            true,
            format!(
                "the model cites {code}, the standard PCR {} follows",
                pcr.id
            ),
        ),
        Some(other) => (
            false,
            format!(
                "the model cites '{other}', not PCR {} (or its basis {})",
                pcr.id, pcr.basis
            ),
        ),
        None => (
            false,
            format!(
                "the model does not cite a PCR in product.pcr; expected {}",
                pcr.id
            ),
        ),
    };
    push("pcr-reference".into(), Advisory, met, detail);

    let (met, detail) = declared_unit(model, pcr);
    push("declared-unit".into(), Mandatory, met, detail);

    let kind_met = p.declared_unit.kind == pcr.declared_unit.kind;
    push(
        "unit-kind".into(),
        Mandatory,
        kind_met,
        if kind_met {
            format!("a {} unit, as required", kind_name(p.declared_unit.kind))
        } else {
            format!(
                "the model states a {} unit; the PCR requires a {} unit",
                kind_name(p.declared_unit.kind),
                kind_name(pcr.declared_unit.kind)
            )
        },
    );

    push(
        "boundary".into(),
        Mandatory,
        p.boundary == pcr.boundary,
        if p.boundary == pcr.boundary {
            format!("boundary {} as required", p.boundary.as_str())
        } else {
            format!(
                "boundary is {}; the PCR requires {}",
                p.boundary.as_str(),
                pcr.boundary.as_str()
            )
        },
    );

    let (met, detail) = evidence_consistency(evidence);
    push("evidence".into(), Mandatory, met, detail);

    for stage in &pcr.required_stages {
        let (met, detail) = stage_present(model, evidence, *stage);
        push(format!("stage:{stage}"), Mandatory, met, detail);
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
                    false,
                    format!(
                        "{stage} contributes {v} kg CO2e but lies outside a cradle-to-gate boundary"
                    ),
                );
            }
        }
    }

    let (per_flow, total) = cut_off(pcr, evidence);
    push("cut-off:per-flow".into(), Mandatory, per_flow.0, per_flow.1);
    push("cut-off:total".into(), Mandatory, total.0, total.1);

    for item in &pcr.primary_data {
        let sev = if item.mandatory { Mandatory } else { Advisory };
        let (met, detail) = primary_item(model, item);
        push(format!("primary-data:{}", item.id), sev, met, detail);
    }

    if let Some(min) = &pcr.min_primary_share {
        let have = evidence.primary_data_share;
        push(
            "primary-data:share".into(),
            Mandatory,
            have.is_finite() && have >= min.share,
            format!(
                "{:.1} % of the contributions rest on primary data; the PCR requires at least {:.1} %",
                have * 100.0,
                min.share * 100.0
            ),
        );
    }

    let dq_sev = if pcr.data_quality.mandatory {
        Mandatory
    } else {
        Advisory
    };
    let max = pcr.data_quality.max_rating;
    let (met, detail) = match evidence.data_quality {
        Some(r) if r.is_finite() && r <= max => (
            true,
            format!("contribution-weighted data-quality rating {r:.3} ≤ {max}"),
        ),
        Some(r) => (
            false,
            format!("contribution-weighted data-quality rating {r:.3} exceeds the maximum {max}"),
        ),
        None => (
            false,
            "no input carries a data-quality rating; the PCR requires one".to_string(),
        ),
    };
    push("data-quality:rating".into(), dq_sev, met, detail);
    if let Some(min) = pcr.data_quality.min_coverage {
        let c = evidence.data_quality_coverage;
        push(
            "data-quality:coverage".into(),
            dq_sev,
            c >= min,
            format!(
                "{:.1} % of the contributions carry a rating; the PCR requires at least {:.1} %",
                c * 100.0,
                min * 100.0
            ),
        );
    }
    if let (Some(sig), Some(max_item)) = (
        pcr.data_quality.significant_share,
        pcr.data_quality.max_item_rating,
    ) {
        let (met, detail) = significant_items(evidence, sig, max_item);
        push("data-quality:significant-items".into(), dq_sev, met, detail);
    }

    for (key, sev, met, detail) in allocation(model, pcr) {
        push(key, sev, met, detail);
    }

    let approach = p.end_of_life.approach;
    push(
        "recycling".into(),
        Mandatory,
        approach == pcr.recycling.approach,
        format!(
            "the model's end-of-life approach is {}; the PCR requires {}",
            recycling_name(approach),
            recycling_name(pcr.recycling.approach)
        ),
    );

    ConformanceReport {
        pcr_id: pcr.id.clone(),
        pcr_version: pcr.version.clone(),
        product: p.id.clone(),
        items,
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
        let (met, detail) = match list.entry(&s.code) {
            None => (
                false,
                format!(
                    "{} is not on the adopted-standards list (version {})",
                    s.code, list.version
                ),
            ),
            Some(e) => match e.status {
                AdoptionStatus::Adopted => (
                    true,
                    format!(
                        "{} is adopted (since {}, list version {})",
                        s.code, e.adopted_on, list.version
                    ),
                ),
                AdoptionStatus::Superseded => (
                    false,
                    format!(
                        "{} was superseded on {} by {}",
                        s.code,
                        e.superseded_on.as_deref().unwrap_or("an unrecorded date"),
                        e.superseded_by
                            .as_deref()
                            .unwrap_or("an unrecorded standard")
                    ),
                ),
                AdoptionStatus::Withdrawn => (
                    false,
                    format!(
                        "{} was withdrawn on {}",
                        s.code,
                        e.withdrawn_on.as_deref().unwrap_or("an unrecorded date")
                    ),
                ),
            },
        };
        report.items.push(CheckItem {
            key: format!("adopted-standard:{}", s.code),
            severity: Severity::Mandatory,
            outcome: if met { Outcome::Met } else { Outcome::Missed },
            detail,
        });
    }
    report
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
fn declared_unit(model: &ProductModel, pcr: &Pcr) -> (bool, String) {
    let m = &model.product.declared_unit;
    let r = &pcr.declared_unit;
    let want = format!("{} {}", r.amount, r.unit);
    let have = format!("{} {}", m.amount, m.unit);
    let (mu, ru) = match (Unit::parse(&m.unit), Unit::parse(&r.unit)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) => return (false, format!("model declared unit: {e}")),
        (_, Err(e)) => return (false, format!("PCR declared unit: {e}")),
    };
    let factor = match mu.factor_to(&ru) {
        Ok(f) => f,
        Err(e) => {
            return (
                false,
                format!("declared unit is {have}, the PCR requires {want}: {e}"),
            );
        }
    };
    let converted = m.amount * factor;
    if (converted - r.amount).abs() <= REL_TOL * r.amount.abs() {
        (
            true,
            format!("declared unit {have} equals the PCR's {want}"),
        )
    } else {
        (
            false,
            format!(
                "declared unit is {have} (= {converted} {}); the PCR requires {want}: rescale the model",
                r.unit
            ),
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
fn evidence_consistency(e: &Evidence) -> (bool, String) {
    if !e.total.is_finite() {
        return (false, format!("evidence total {} is not a number", e.total));
    }
    if let Some(s) = e.stages.iter().find(|s| !s.value.is_finite()) {
        return (
            false,
            format!(
                "evidence stage {} value {} is not a number",
                s.stage, s.value
            ),
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
        );
    }
    (
        true,
        format!(
            "evidence total {} kg CO2e equals the sum of its stages",
            e.total
        ),
    )
}

/// A stage is present if it contributes, if the model has a process in it (explicitly
/// modelled, even at zero), or if the study declares it nil with a reason.
fn stage_present(model: &ProductModel, e: &Evidence, stage: LifeCycleStage) -> (bool, String) {
    let v = stage_value(e, stage);
    if v != 0.0 {
        return (true, format!("{stage} contributes {v} kg CO2e"));
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
        );
    }
    (
        false,
        format!("required stage {stage} is neither modelled nor declared nil with a reason"),
    )
}

type Verdict = (bool, String);

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
    let per_flow = if !unknown.is_empty() {
        (
            false,
            format!(
                "excluded flows without an estimated share: {}; the per-flow limit of {:.2} % cannot be shown",
                unknown.join(", "),
                rule.per_flow * 100.0
            ),
        )
    } else if !too_big.is_empty() {
        (
            false,
            format!(
                "excluded flows above the per-flow limit of {:.2} %: {}",
                rule.per_flow * 100.0,
                too_big.join(", ")
            ),
        )
    } else {
        (
            true,
            format!(
                "{} excluded flow(s), each within {:.2} % of the total",
                e.cut_off.len(),
                rule.per_flow * 100.0
            ),
        )
    };
    let total = if !unknown.is_empty() {
        (
            false,
            format!(
                "excluded flows without an estimated share: {}; the total limit of {:.2} % cannot be shown",
                unknown.join(", "),
                rule.total * 100.0
            ),
        )
    } else if sum > rule.total {
        (
            false,
            format!(
                "excluded flows sum to {:.2} % of the total, above the limit of {:.2} %",
                sum * 100.0,
                rule.total * 100.0
            ),
        )
    } else {
        (
            true,
            format!(
                "excluded flows sum to {:.2} % of the total, within {:.2} %",
                sum * 100.0,
                rule.total * 100.0
            ),
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

fn primary_item(model: &ProductModel, item: &PrimaryDataItem) -> (bool, String) {
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
    if matching.is_empty() {
        return (
            false,
            format!(
                "{name}: no input matches {}{scope}",
                item.patterns.join(" | ")
            ),
        );
    }
    let describe = |v: &[&MatchKey]| {
        v.iter()
            .map(|m| format!("{} in process '{}'", m.key, m.process))
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
        )
    } else {
        (
            true,
            format!("{name}: primary data from {}", describe(&primary)),
        )
    }
}

fn significant_items(e: &Evidence, sig: f64, max_item: f64) -> (bool, String) {
    let mut bad = Vec::new();
    let mut n = 0;
    for it in e.items.iter().filter(|i| i.share.abs() >= sig) {
        n += 1;
        match it.quality {
            Some(q) if q <= max_item => {}
            Some(q) => bad.push(format!(
                "'{}' in '{}' ({:.1} %) is rated {q:.2}",
                it.what,
                it.process,
                it.share * 100.0
            )),
            None => bad.push(format!(
                "'{}' in '{}' ({:.1} %) has no rating",
                it.what,
                it.process,
                it.share * 100.0
            )),
        }
    }
    if bad.is_empty() {
        (
            true,
            format!(
                "all {n} item(s) contributing ≥ {:.1} % are rated ≤ {max_item}",
                sig * 100.0
            ),
        )
    } else {
        (
            false,
            format!(
                "items contributing ≥ {:.1} % must be rated ≤ {max_item}: {}",
                sig * 100.0,
                bad.join("; ")
            ),
        )
    }
}

fn allocation(model: &ProductModel, pcr: &Pcr) -> Vec<(String, Severity, bool, String)> {
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
        let item = match (pcr.allocation.choice, method) {
            (_, None) => (
                Severity::Mandatory,
                false,
                format!(
                    "process '{}' has co-products but no allocation method",
                    p.id
                ),
            ),
            (AllocationChoice::Physical, Some(AllocationMethod::Economic)) => (
                Severity::Mandatory,
                false,
                format!(
                    "process '{}' allocates economically; the PCR requires physical allocation",
                    p.id
                ),
            ),
            (AllocationChoice::Economic, Some(m)) if m != AllocationMethod::Economic => (
                Severity::Mandatory,
                false,
                format!(
                    "process '{}' allocates by {name}; the PCR requires economic allocation",
                    p.id
                ),
            ),
            (AllocationChoice::Hierarchy, Some(AllocationMethod::Economic)) => (
                Severity::Advisory,
                false,
                format!(
                    "process '{}' allocates economically; the PCR's hierarchy prefers a physical relationship — the verifier must see a justification",
                    p.id
                ),
            ),
            (_, Some(_)) => (
                Severity::Mandatory,
                true,
                format!("process '{}' allocates by {name}, as the PCR allows", p.id),
            ),
        };
        out.push((key, item.0, item.1, item.2));
    }
    out
}
