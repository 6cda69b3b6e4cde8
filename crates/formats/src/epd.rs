//! EN 15804 modules of ILCD+EPD data sets → Zuji life-cycle stages.
//!
//! An EPD declares results per *module* (EN 15804:2012+A2:2019 §5.2, table 1), not an
//! inventory. Zuji reports ISO 14067 / GB/T 24067 stages, so the modules are grouped:
//!
//! | EN 15804 module | EN 15804 stage | Zuji [`LifeCycleStage`] |
//! |---|---|---|
//! | A1 raw material supply, A2 transport to the manufacturer | product stage | `raw-material-acquisition` |
//! | A3 manufacturing | product stage | `production` |
//! | A1-A3 declared as one aggregate (the usual case), A2-A3 | product stage | [`EpdOptions::aggregate_product_stage`] (default `production`), with a warning that it cannot be split |
//! | A4 transport to the site, A5 installation | construction process stage | `distribution` (Zuji has no construction stage: both happen between the factory gate and use) |
//! | B1–B7 use, maintenance, repair, replacement, refurbishment, operational energy and water | use stage | `use` |
//! | C1–C4 deconstruction, transport, waste processing, disposal | end-of-life stage | `end-of-life` |
//! | D reuse, recovery, recycling potential | beyond the system boundary | **not a stage**: reported as [`EpdStages::module_d`] and never added to the total |
//!
//! Module D follows EN 15804 §6.4.3.3 / §7.4 ("benefits and loads beyond the system
//! boundary", declared separately) and ISO 14067 §6.4.6.3, under which a credit for
//! avoided production is not part of the CFP of the declared product itself; Zuji keeps
//! it visible and apart, as the EPD does. Only the climate-change indicator is read
//! (GWP-total for EN 15804+A2, GWP for +A1); other indicators stay available in
//! [`crate::ilcd::EpdDataset::modules`].
//!
//! **Scenarios.** A module may be declared for several scenarios (A4 "Transport to
//! Gdansk" / "Transport to Berlin"); values of different scenarios are alternatives, not
//! parts, and are never added. A value without a scenario is used as it is; otherwise
//! the scenario chosen in [`EpdOptions::scenarios`], else the one the data set marks
//! `epd:default="true"`, else the only one given. A module with several scenarios and no
//! choice is left out with a warning. Every module depending on a scenario is named in
//! a warning (A4, A5, B1–B7 and C1–C4 are scenario-based in EN 15804).
//!
//! Values are per **one unit** of the reference flow: the EPD's values relate to the
//! data set's quantitative reference, so they are divided by its amount.

use crate::ilcd::{EpdDataset, EpdModuleAmount, EpdSource};
use std::collections::{BTreeMap, BTreeSet};
use zuji_model::LifeCycleStage;
use zuji_model::product::{Amount, InputSpec, SupplierFootprint};

/// Why an EPD data set cannot be mapped to stages.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EpdError {
    #[error(
        "{file}: process {process}: <LCIAResult>: no climate-change indicator (GWP-total, GWP) with EN 15804 module values"
    )]
    NoGwp { file: String, process: String },
    #[error(
        "{file}: process {process}: <LCIAResult>: several GWP indicators could be the total ({candidates}); none is marked GWP-total"
    )]
    AmbiguousGwp {
        file: String,
        process: String,
        candidates: String,
    },
    #[error(
        "{file}: process {process}: <referenceToReferenceFlow>: reference amount {amount} cannot scale module values"
    )]
    ReferenceAmount {
        file: String,
        process: String,
        amount: f64,
    },
}

/// An EN 15804 information module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Module {
    A(u8),
    B(u8),
    C(u8),
    D,
}

impl Module {
    /// `A1`, `B6`, `C4`, `D`; spaces and case are ignored.
    pub fn parse(s: &str) -> Option<Module> {
        let s = s.trim().to_ascii_uppercase();
        let (letter, digits) = s.split_at(s.len().min(1));
        if letter == "D" && digits.is_empty() {
            return Some(Module::D);
        }
        let n: u8 = digits.trim().parse().ok()?;
        match (letter, n) {
            ("A", 1..=5) => Some(Module::A(n)),
            ("B", 1..=7) => Some(Module::B(n)),
            ("C", 1..=4) => Some(Module::C(n)),
            _ => None,
        }
    }

    /// A module label as EPDs write it: one module (`A4`) or a range (`A1-A3`, `C1-C4`).
    pub fn parse_range(label: &str) -> Option<Vec<Module>> {
        let (a, b) = match label.split_once('-') {
            Some((a, b)) => (Module::parse(a)?, Module::parse(b)?),
            None => {
                let m = Module::parse(label)?;
                (m, m)
            }
        };
        let all: Vec<Module> = (1..=5)
            .map(Module::A)
            .chain((1..=7).map(Module::B))
            .chain((1..=4).map(Module::C))
            .chain(std::iter::once(Module::D))
            .collect();
        let i = all.iter().position(|m| *m == a)?;
        let j = all.iter().position(|m| *m == b)?;
        (i <= j).then(|| all[i..=j].to_vec())
    }

    /// The stage of the module; `None` for D (beyond the system boundary).
    pub fn stage(self) -> Option<LifeCycleStage> {
        Some(match self {
            Module::A(1 | 2) => LifeCycleStage::RawMaterialAcquisition,
            Module::A(3) => LifeCycleStage::Production,
            Module::A(_) => LifeCycleStage::Distribution,
            Module::B(_) => LifeCycleStage::Use,
            Module::C(_) => LifeCycleStage::EndOfLife,
            Module::D => return None,
        })
    }
}

/// Choices the mapping cannot make from the data set alone.
#[derive(Debug, Clone, PartialEq)]
pub struct EpdOptions {
    /// Where an aggregated product stage (A1-A3, A2-A3) goes.
    pub aggregate_product_stage: LifeCycleStage,
    /// Scenario names to use where a module has several; before the data set's defaults.
    pub scenarios: Vec<String>,
}

impl Default for EpdOptions {
    fn default() -> Self {
        EpdOptions {
            aggregate_product_stage: LifeCycleStage::Production,
            scenarios: Vec::new(),
        }
    }
}

/// One module value that entered a stage (or module D).
#[derive(Debug, Clone, PartialEq)]
pub struct MappedModule {
    pub module: String,
    pub scenario: Option<String>,
    /// `None` for module D.
    pub stage: Option<LifeCycleStage>,
    /// kg CO2e per one unit of the reference flow.
    pub value: f64,
}

/// The climate-change result of one EPD per life-cycle stage.
#[derive(Debug, Clone, PartialEq)]
pub struct EpdStages {
    pub process: String,
    pub file: String,
    pub name: String,
    /// Unit of the reference flow; every value is per one of it.
    pub unit: String,
    /// The indicator used, as the data set names it, and its LCIA method UUID.
    pub indicator: String,
    pub indicator_reference: Option<String>,
    /// kg CO2e per unit, by stage (only stages the EPD declares).
    pub stages: BTreeMap<LifeCycleStage, f64>,
    /// Module D (beyond the system boundary), per unit; never part of [`Self::total`].
    pub module_d: Option<f64>,
    pub used: Vec<MappedModule>,
    /// Caveats: aggregates, scenarios, module D, modules left out.
    pub warnings: Vec<String>,
}

impl EpdStages {
    /// The sum over stages: module D is not included.
    pub fn total(&self) -> f64 {
        self.stages.values().sum()
    }

    /// One line for an import report.
    pub fn summary(&self) -> String {
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|(s, v)| format!("{s} {v}"))
            .collect();
        format!(
            "EN 15804 modules mapped to stages ({}): {} kg CO2e per 1 {}; total {} (module D {})",
            self.indicator,
            stages.join(", "),
            self.unit,
            self.total(),
            match self.module_d {
                Some(d) => format!("{d}, reported separately, not in the total"),
                None => "not declared".into(),
            }
        )
    }

    /// One supplier footprint per declared stage, for a product model (an input with
    /// `supplier = …` and its `stage`): its pcf is the stage's kg CO2e per unit.
    pub fn supplier_footprints(&self) -> Vec<(LifeCycleStage, SupplierFootprint)> {
        self.stages
            .iter()
            .map(|(stage, v)| {
                let modules: Vec<&str> = self
                    .used
                    .iter()
                    .filter(|m| m.stage == Some(*stage))
                    .map(|m| m.module.as_str())
                    .collect();
                (
                    *stage,
                    SupplierFootprint {
                        id: format!("{}#{stage}", self.process),
                        name: Some(format!(
                            "{} ({stage}, EN 15804 {})",
                            self.name,
                            modules.join(", ")
                        )),
                        pcf: *v,
                        unit: self.unit.clone(),
                        source: format!(
                            "ILCD+EPD {} ({}), indicator {}",
                            self.process, self.file, self.indicator
                        ),
                        primary_data_share: None,
                        quality: None,
                    },
                )
            })
            .collect()
    }

    /// Product-model inputs for `amount` units of the EPD's product: one per stage,
    /// each linked to its stage's supplier footprint and carrying that stage.
    pub fn inputs(&self, amount: f64) -> Vec<InputSpec> {
        self.supplier_footprints()
            .into_iter()
            .map(|(stage, s)| InputSpec {
                process: None,
                product: None,
                dataset: None,
                unit: s.unit.clone(),
                supplier: Some(s),
                amount: Amount::Number(amount),
                stage: Some(stage),
                primary: None,
                uncertainty: Default::default(),
                quality: None,
                source: None,
                note: None,
                aircraft: false,
                avoided: false,
            })
            .collect()
    }
}

/// LCIA method UUIDs of the climate-change total, as the files in `../shared/data`
/// name them: `a7ea142a-…` GWP-total in openLCA's `EN_15804_A2_EF31.xml`;
/// `6a37f984-…` "Global Warming Potential - total (GWP-total)" in the InDataWG EPD v1.3
/// example; `77e416eb-…` "Globales Erwärmungspotenzial (GWP)" (EN 15804+A1) in the
/// InDataWG Kalk and Heizkörper EPDs.
const GWP_TOTAL_METHODS: &[&str] = &[
    "a7ea142a-9749-11ed-a8fc-0242ac120002",
    "6a37f984-a4b3-458a-a20a-64418c145fa2",
    "77e416eb-a363-4258-a04e-171d843a6460",
];

fn is_gwp_name(n: &str) -> bool {
    let n = n.to_lowercase();
    n.contains("gwp")
        || n.contains("global warming")
        || n.contains("erwärmungspotenzial")
        || n.contains("treibhauspotenzial")
        || n.contains("treibhauspotential")
        || n.contains("climate change")
        || n.contains("全球变暖")
}

fn is_partial_gwp(n: &str) -> bool {
    let n = n.to_lowercase();
    ["fossil", "biogen", "luluc", "land use", "ghg", "except"]
        .iter()
        .any(|k| n.contains(k))
}

/// Maps an ILCD+EPD data set's climate-change module values to life-cycle stages.
pub fn stages(set: &EpdDataset, options: &EpdOptions) -> Result<EpdStages, EpdError> {
    if !set.reference_amount.is_finite() || set.reference_amount == 0.0 {
        return Err(EpdError::ReferenceAmount {
            file: set.file.clone(),
            process: set.process.clone(),
            amount: set.reference_amount,
        });
    }
    // Indicators with LCIA-result module values, in file order.
    let mut indicators: Vec<(Option<&str>, &str)> = Vec::new();
    for m in set
        .modules
        .iter()
        .filter(|m| m.source == EpdSource::LciaResult)
    {
        let key = (m.reference.as_deref(), m.indicator.as_str());
        if !indicators.contains(&key) {
            indicators.push(key);
        }
    }
    let by_uuid = indicators
        .iter()
        .find(|(r, _)| r.is_some_and(|r| GWP_TOTAL_METHODS.contains(&r.trim())));
    let by_total_name = || {
        indicators
            .iter()
            .find(|(_, n)| n.to_lowercase().contains("gwp-total"))
    };
    let chosen = match by_uuid.or_else(by_total_name) {
        Some(c) => *c,
        None => {
            let candidates: Vec<_> = indicators
                .iter()
                .filter(|(_, n)| is_gwp_name(n) && !is_partial_gwp(n))
                .collect();
            match candidates.as_slice() {
                [one] => **one,
                [] => {
                    return Err(EpdError::NoGwp {
                        file: set.file.clone(),
                        process: set.process.clone(),
                    });
                }
                many => {
                    return Err(EpdError::AmbiguousGwp {
                        file: set.file.clone(),
                        process: set.process.clone(),
                        candidates: many
                            .iter()
                            .map(|(_, n)| format!("'{n}'"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
    };
    let values: Vec<&EpdModuleAmount> = set
        .modules
        .iter()
        .filter(|m| {
            m.source == EpdSource::LciaResult
                && (m.reference.as_deref(), m.indicator.as_str()) == chosen
        })
        .collect();

    let mut warnings = Vec::new();
    // Values by module label, in file order of first appearance.
    let mut labels: Vec<&str> = Vec::new();
    for v in &values {
        if !labels.contains(&v.module.as_str()) {
            labels.push(&v.module);
        }
    }
    let mut stages: BTreeMap<LifeCycleStage, f64> = BTreeMap::new();
    let mut module_d = None;
    let mut used = Vec::new();
    let mut scenario_modules: BTreeSet<String> = BTreeSet::new();
    for label in labels {
        let of_label: Vec<&&EpdModuleAmount> =
            values.iter().filter(|v| v.module == label).collect();
        // A value without a scenario; else the chosen, the default or the only scenario.
        let pick = if let Some(v) = of_label.iter().find(|v| v.scenario.is_none()) {
            Some(**v)
        } else {
            let named = |names: &[String]| {
                of_label
                    .iter()
                    .find(|v| v.scenario.as_ref().is_some_and(|s| names.contains(s)))
                    .map(|v| **v)
            };
            let p = named(&options.scenarios)
                .or_else(|| named(&set.default_scenarios))
                .or_else(|| (of_label.len() == 1).then(|| *of_label[0]));
            if p.is_none() {
                warnings.push(format!(
                    "module {label}: {} scenarios ({}) and none chosen or marked default; left out of the stages",
                    of_label.len(),
                    of_label
                        .iter()
                        .filter_map(|v| v.scenario.as_deref())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            p
        };
        let Some(v) = pick else { continue };
        if let Some(s) = &v.scenario {
            let others = of_label.len() - 1;
            scenario_modules.insert(if others > 0 {
                format!("{label} '{s}' (of {} scenarios)", others + 1)
            } else {
                format!("{label} '{s}'")
            });
        }
        let per_unit = v.amount / set.reference_amount;
        let Some(modules) = Module::parse_range(label) else {
            warnings.push(format!(
                "module '{label}' is not an EN 15804 module (A1-A5, B1-B7, C1-C4, D); its value {} is left out",
                v.amount
            ));
            continue;
        };
        let mapped: BTreeSet<Option<LifeCycleStage>> = modules.iter().map(|m| m.stage()).collect();
        let stage = match mapped.into_iter().collect::<Vec<_>>().as_slice() {
            [None] => None,
            [Some(s)] => Some(*s),
            [
                Some(LifeCycleStage::RawMaterialAcquisition),
                Some(LifeCycleStage::Production),
            ] => {
                warnings.push(format!(
                    "module {label} is declared as one aggregate: it cannot be split between raw-material acquisition and production, so all of it is reported as {}",
                    options.aggregate_product_stage
                ));
                Some(options.aggregate_product_stage)
            }
            _ => {
                warnings.push(format!(
                    "module {label} spans several life-cycle stages (or module D) and cannot be split; its value {} is left out",
                    v.amount
                ));
                continue;
            }
        };
        match stage {
            Some(s) => *stages.entry(s).or_insert(0.0) += per_unit,
            None => *module_d.get_or_insert(0.0) += per_unit,
        }
        used.push(MappedModule {
            module: label.to_string(),
            scenario: v.scenario.clone(),
            stage,
            value: per_unit,
        });
    }
    if let Some(d) = module_d {
        warnings.push(format!(
            "module D ({d} kg CO2e per 1 {}) is beyond the system boundary (EN 15804): reported separately, not added to any stage or to the total",
            set.unit
        ));
    }
    if !scenario_modules.is_empty() {
        warnings.push(format!(
            "scenario-dependent modules, valid only for the scenario used: {}",
            scenario_modules.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(EpdStages {
        process: set.process.clone(),
        file: set.file.clone(),
        name: set.name.clone(),
        unit: set.unit.clone(),
        indicator: chosen.1.to_string(),
        indicator_reference: chosen.0.map(str::to_string),
        stages,
        module_d,
        used,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_ranges_and_stages() {
        assert_eq!(
            Module::parse_range("A1-A3"),
            Some(vec![Module::A(1), Module::A(2), Module::A(3)])
        );
        assert_eq!(Module::parse_range("d"), Some(vec![Module::D]));
        assert_eq!(Module::parse_range("C3-C1"), None);
        assert_eq!(Module::parse_range("A6"), None);
        assert_eq!(Module::A(5).stage(), Some(LifeCycleStage::Distribution));
        assert_eq!(Module::B(6).stage(), Some(LifeCycleStage::Use));
        assert_eq!(Module::D.stage(), None);
    }
}
