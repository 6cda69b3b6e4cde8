//! The ISO 14067 / GB/T 24067 study report of a footprint: the engine's result, the
//! product model it was computed from and what the store knows, mapped onto
//! `zuji_report::StudyReport` for the report crate to print as HTML or PDF.
//!
//! The mapping only restates what is known: the goal and the electricity approach come
//! from the model's `[study]` statement, and what it doesn't state (or the cut-off flows,
//! which no model lists) stays empty for the report to print "not reported".

use std::collections::HashMap;

use zuji_calc::FootprintResult;
use zuji_model::product::{
    ElectricityApproach as ModelElectricityApproach, InputLink, LocalisedName, ProductModel,
};
use zuji_model::validate::evaluate;
use zuji_report::{
    AllocationUse, ConformanceItem, ContributorRow, CutOff, DataQualitySection, DataSection,
    DatabaseRef, Electricity, ElectricityApproach, GasRow, Goal, Interpretation, Methodology,
    MonteCarlo, OriginRows, ParameterRow, PcrSection, ProcessRow, ProductSection, Provenance,
    Results, Scope, SensitivityRow, StageRow, StudyReport, SupplierRow, UnitSection,
};

/// Contributing processes listed (and charted) in the report.
const TOP_CONTRIBUTORS: usize = 10;

/// What the platform knows about a footprint besides its result and model.
#[derive(Debug, Clone)]
pub struct StudyReportContext {
    pub footprint_id: Option<i64>,
    /// The owning organisation's display name.
    pub organisation: Option<String>,
    /// The model version's number within its product.
    pub model_version: Option<i64>,
    /// The footprint's `created_at`, Unix milliseconds.
    pub computed_at_ms: Option<i64>,
    /// Names and licences of the database versions used, by their key (the `id` in the
    /// fingerprint's database stamps, e.g. `zuji-default`).
    pub databases: Vec<DatabaseContext>,
    pub pcr: Option<PcrContext>,
    /// The relative parameter step of the sensitivity runs.
    pub sensitivity_step: Option<f64>,
}

impl Default for StudyReportContext {
    fn default() -> Self {
        StudyReportContext {
            footprint_id: None,
            organisation: None,
            model_version: None,
            computed_at_ms: None,
            databases: Vec::new(),
            pcr: None,
            // The worker computes with the engine's default options.
            sensitivity_step: zuji_calc::FootprintOptions::default().sensitivity_step,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct DatabaseContext {
    /// The database's own id, as in the fingerprint (`DatabaseVersion::db_key`).
    pub key: String,
    /// The name the platform knows it by.
    pub name: String,
    /// From the database's metadata (`LciDatabase::meta.licence`).
    pub licence: Option<String>,
}

/// The PCR the footprint was checked against and the outcome.
#[derive(Debug, Clone, Default)]
pub struct PcrContext {
    pub id: String,
    pub version: Option<String>,
    pub title: LocalisedName,
    /// The PCR's cut-off rule.
    pub cut_off: Option<CutOff>,
    /// The conformance check's items, when it was run.
    pub conformance: Option<Vec<ConformanceItem>>,
}

impl PcrContext {
    /// From a stored PCR and, when run, its check of the footprint (the store's
    /// `Store::pcr_check`), its findings written in `tr`'s language (the report's).
    pub fn from_trust(
        pcr: &zuji_trust::pcr::Pcr,
        check: Option<&zuji_trust::conformance::ConformanceReport>,
        tr: &crate::web::Tr,
    ) -> Self {
        use zuji_trust::conformance::{Outcome, Severity};
        let some = |t: &String| (!t.trim().is_empty()).then(|| t.clone());
        let title = LocalisedName {
            zh: some(&pcr.title.zh_hans),
            zh_hant: some(&pcr.title.zh_hant),
            en: some(&pcr.title.en),
        };
        PcrContext {
            id: pcr.id.clone(),
            version: Some(pcr.version.clone()),
            title,
            cut_off: Some(CutOff {
                criteria: Some(pcr.cut_off.source.clone()),
                per_flow_limit: Some(pcr.cut_off.per_flow),
                total_limit: Some(pcr.cut_off.total),
                // Product models declare no cut-off flows yet.
                excluded_share: None,
            }),
            conformance: check.map(|c| {
                c.items
                    .iter()
                    .map(|i| ConformanceItem {
                        key: i.key.clone(),
                        mandatory: i.severity == Severity::Mandatory,
                        met: i.outcome == Outcome::Met,
                        detail: crate::web::check_text::check_detail(tr, i).0,
                    })
                    .collect()
            }),
        }
    }
}

/// The study report of `result`, computed from `model`.
pub fn study_report(
    result: &FootprintResult,
    model: &ProductModel,
    context: StudyReportContext,
) -> StudyReport {
    let info = &model.product;
    let eval = evaluate(model, &HashMap::new()).ok();
    let report_id = match context.footprint_id {
        Some(id) => format!("footprint-{id}"),
        None => format!(
            "sha256-{}",
            result.fingerprint.sha256.get(..12).unwrap_or("")
        ),
    };

    // The reference process: named, else the first (as the engine does).
    let reference = info
        .reference_process
        .as_deref()
        .and_then(|id| model.processes.iter().find(|p| p.id == id))
        .or_else(|| model.processes.first());
    let reference_flow = reference.map(|p| {
        let label = p.name.as_deref().unwrap_or(&p.id);
        match eval.as_ref() {
            Some(e) => format!("{} {} — {label}", e.demand, p.output.unit),
            None => format!("{} — {label}", p.output.unit),
        }
    });

    let mut stages_included: Vec<_> = result
        .by_stage
        .iter()
        .map(|s| s.stage)
        .chain(model.processes.iter().map(|p| p.stage))
        .collect();
    stages_included.sort();
    stages_included.dedup();
    let stages_excluded = zuji_model::LifeCycleStage::ALL
        .into_iter()
        .filter(|s| !stages_included.contains(s))
        .map(|stage| zuji_report::ExcludedStage {
            stage,
            reason: None,
        })
        .collect();

    let databases = result
        .fingerprint
        .databases
        .iter()
        .map(|stamp| {
            let known = context.databases.iter().find(|d| d.key == stamp.id);
            DatabaseRef {
                name: known
                    .map(|d| d.name.clone())
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| stamp.id.clone()),
                version: Some(stamp.version.clone()),
                licence: known.and_then(|d| d.licence.clone()),
                sha256: Some(stamp.sha256.clone()),
            }
        })
        .collect();

    let mut suppliers = Vec::new();
    let mut sources: Vec<String> = Vec::new();
    let mut electricity = Vec::new();
    let mut assumptions = Vec::new();
    let mut add_source = |s: &Option<String>| {
        if let Some(s) = s.as_deref().map(str::trim).filter(|s| !s.is_empty())
            && !sources.iter().any(|x| x == s)
        {
            sources.push(s.to_string());
        }
    };
    for p in &model.processes {
        add_source(&p.source);
        for input in &p.inputs {
            add_source(&input.source);
            match input.link() {
                Ok(InputLink::Supplier(s)) => {
                    add_source(&Some(s.source.clone()));
                    suppliers.push(SupplierRow {
                        id: s.id.clone(),
                        name: s.name.clone(),
                        pcf: s.pcf,
                        unit: s.unit.clone(),
                        primary_data_share: s.primary_data_share,
                        source: Some(s.source.clone()),
                    });
                }
                Ok(InputLink::Dataset(d))
                    if d.contains("electricity") && !electricity.iter().any(|e| e == d) =>
                {
                    electricity.push(d.to_string());
                }
                _ => {}
            }
            if let Some(note) = input.note.as_deref().filter(|n| !n.trim().is_empty()) {
                assumptions.push(format!("{}: {}", p.id, note.trim()));
            }
        }
        for emission in &p.emissions {
            add_source(&emission.source);
            if let Some(note) = emission.note.as_deref().filter(|n| !n.trim().is_empty()) {
                assumptions.push(format!("{}: {}", p.id, note.trim()));
            }
        }
    }

    let allocation = model
        .processes
        .iter()
        .filter(|p| !p.coproducts.is_empty())
        .filter_map(|p| {
            p.allocation.map(|method| AllocationUse {
                process: p.id.clone(),
                method,
                products: 1 + p.coproducts.len(),
            })
        })
        .collect();

    let parameters = model
        .parameters
        .iter()
        .map(|(name, spec)| {
            let (unit, source) = match spec {
                zuji_model::product::ParameterSpec::Detailed(d) => {
                    (d.unit.clone(), d.source.clone())
                }
                _ => (None, None),
            };
            ParameterRow {
                name: name.clone(),
                value: eval.as_ref().and_then(|e| e.parameters.get(name).copied()),
                formula: match spec.value() {
                    zuji_model::product::Amount::Formula(f) => Some(f),
                    zuji_model::product::Amount::Number(_) => None,
                },
                unit,
                source,
            }
        })
        .collect();

    let process_name = |id: &str, fallback: &str| -> String {
        model
            .processes
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.name.clone())
            .unwrap_or_else(|| fallback.to_string())
    };

    StudyReport {
        report_id,
        provenance: Provenance {
            footprint_id: context.footprint_id.map(|id| id.to_string()),
            organisation: context.organisation,
            model_version: context.model_version,
            computed_at_ms: context.computed_at_ms,
            fingerprint_sha256: Some(result.fingerprint.sha256.clone()),
            engine: Some(result.fingerprint.engine.clone()),
        },
        product: ProductSection {
            id: info.id.clone(),
            name: info.name.clone(),
            category: info.category.clone(),
            gtin: info.gtin.clone(),
            description: info.description.clone(),
        },
        goal: study_goal(model),
        scope: Scope {
            unit: UnitSection {
                amount: info.declared_unit.amount,
                unit: info.declared_unit.unit.clone(),
                kind: info.declared_unit.kind,
                description: info.declared_unit.description.clone(),
            },
            reference_flow,
            boundary: info.boundary,
            stages_included,
            stages_excluded,
            cut_off: context.pcr.as_ref().and_then(|p| p.cut_off.clone()),
            reference_period: info.reference_period.clone(),
            geography: info.geography.clone(),
            processes: model
                .processes
                .iter()
                .map(|p| ProcessRow {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    stage: p.stage,
                    location: p.location.clone(),
                    primary: p.primary,
                    source: p.source.clone(),
                })
                .collect(),
        },
        data: DataSection {
            primary_data_share: Some(result.primary_data_share),
            databases,
            suppliers,
            sources,
            quality: Some(DataQualitySection {
                rating: result.data_quality.rating,
                level: result.data_quality.level.clone(),
                coverage: Some(result.data_quality.coverage),
            }),
        },
        method: Methodology {
            gwp_method: if result.method.name.trim().is_empty() {
                result.method.id.clone()
            } else {
                format!("{} ({})", result.method.name, result.method.id)
            },
            allocation,
            electricity: electricity_treatment(model, electricity),
            recycling: info.end_of_life.approach,
            end_of_life_note: info.end_of_life.note.clone(),
            assumptions,
            parameters,
        },
        results: Results {
            total: result.total,
            by_stage: result
                .by_stage
                .iter()
                .map(|s| StageRow {
                    stage: s.stage,
                    value: s.value,
                    share: s.share,
                })
                .collect(),
            by_gas: result
                .by_gas
                .iter()
                .map(|g| GasRow {
                    gas: g.gas.clone(),
                    origin: g.origin,
                    mass: g.mass,
                    value: g.value,
                })
                .collect(),
            by_origin: OriginRows {
                fossil: result.by_origin.fossil,
                biogenic_emissions: result.by_origin.biogenic_emissions,
                biogenic_removals: result.by_origin.biogenic_removals,
                dluc: result.by_origin.land_use_change,
                // The engine does not model indirect land-use change.
                iluc: None,
                aircraft: result.by_origin.aircraft,
                unspecified: result.by_origin.unspecified,
            },
            // The engine sorts by absolute contribution.
            top_contributors: result
                .by_process
                .iter()
                .take(TOP_CONTRIBUTORS)
                .map(|p| ContributorRow {
                    name: process_name(&p.id, &p.name),
                    stage: p.stage,
                    value: p.value,
                    share: p.share,
                })
                .collect(),
        },
        interpretation: Interpretation {
            monte_carlo: result.monte_carlo.as_ref().map(|mc| MonteCarlo {
                iterations: mc.iterations,
                seed: Some(mc.seed),
                mean: mc.mean,
                sd: mc.sd,
                median: mc.median,
                p2_5: mc.p2_5,
                p97_5: mc.p97_5,
            }),
            sensitivity: result
                .sensitivity
                .iter()
                .map(|s| SensitivityRow {
                    parameter: s.parameter.clone(),
                    value: s.value,
                    total_low: s.total_low,
                    total_high: s.total_high,
                    elasticity: s.elasticity,
                    note: s.note.clone(),
                })
                .collect(),
            sensitivity_step: if result.sensitivity.is_empty() {
                None
            } else {
                context.sensitivity_step
            },
            limitations: result.warnings.clone(),
        },
        pcr: match context.pcr {
            Some(p) => Some(PcrSection {
                id: p.id,
                version: p.version,
                title: p.title,
                conformance: p.conformance,
            }),
            None => info.pcr.as_ref().map(|id| PcrSection {
                id: id.clone(),
                version: None,
                title: LocalisedName::default(),
                conformance: None,
            }),
        },
    }
}

/// ISO 14067 6.2: the goal as the model's `[study]` states it.
fn study_goal(model: &ProductModel) -> Goal {
    let Some(study) = &model.study else {
        return Goal::default();
    };
    Goal {
        intended_application: study.intended_application.clone(),
        reasons: study.reasons.clone(),
        intended_audience: study.intended_audience.clone(),
        public_communication: study.public_communication,
    }
}

/// ISO 14067 6.4.9.4: the stated approach with the electricity datasets the model uses;
/// nothing when the model neither states one nor uses any.
fn electricity_treatment(model: &ProductModel, datasets: Vec<String>) -> Option<Electricity> {
    let stated = model.study.as_ref().and_then(|s| s.electricity.as_ref());
    if datasets.is_empty() && stated.is_none() {
        return None;
    }
    Some(Electricity {
        approach: stated.map(|e| match e.approach {
            ModelElectricityApproach::LocationBased => ElectricityApproach::LocationBased,
            ModelElectricityApproach::MarketBased => ElectricityApproach::MarketBased,
        }),
        residual_mix: stated.and_then(|e| e.residual_mix),
        datasets,
        note: stated.and_then(|e| e.note.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled LFP example computed with the bundled database, as the store's tests
    /// compute it, then reported.
    fn lfp() -> (FootprintResult, ProductModel) {
        let db = zuji_formats::default_db::default_database().unwrap();
        let gwp = zuji_formats::default_db::gwp_table("ar6").unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/lfp-battery-pack.toml");
        let model = zuji_formats::product_model::read_product_model(&path)
            .unwrap()
            .model;
        let result = zuji_calc::footprint::compute_footprint(
            &model,
            std::slice::from_ref(&db),
            &gwp,
            &Default::default(),
            None,
        )
        .unwrap();
        (result, model)
    }

    #[test]
    fn the_lfp_example_reports_the_engine_total_and_stages_summing_to_it() {
        let (result, model) = lfp();
        let pcr = zuji_trust::pcr::bundled_pcr("zuji:pcr:battery-pack:draft")
            .unwrap()
            .unwrap();
        let context = StudyReportContext {
            footprint_id: Some(7),
            organisation: Some("Example Org".into()),
            model_version: Some(1),
            computed_at_ms: Some(1_737_115_200_000),
            databases: vec![DatabaseContext {
                key: "zuji-default".into(),
                name: "Zuji default".into(),
                licence: Some("see data/zuji-default".into()),
            }],
            pcr: Some(PcrContext::from_trust(
                &pcr,
                None,
                &crate::web::Tr::new(zuji_trust::label::Lang::ZhHans),
            )),
            ..StudyReportContext::default()
        };
        let report = study_report(&result, &model, context);

        assert_eq!(report.results.total, result.total);
        let stages: f64 = report.results.by_stage.iter().map(|s| s.value).sum();
        assert!(
            (stages - report.results.total).abs() <= 1e-9 * report.results.total.abs(),
            "stages sum to {stages}, total {}",
            report.results.total
        );
        assert_eq!(report.report_id, "footprint-7");
        assert_eq!(
            report.provenance.fingerprint_sha256.as_deref(),
            Some(result.fingerprint.sha256.as_str())
        );
        assert_eq!(
            report.product.name.zh.as_deref(),
            Some("磷酸铁锂动力电池包")
        );
        // Every process, the cathode supplier and the electricity dataset are reported.
        assert_eq!(report.scope.processes.len(), model.processes.len());
        assert_eq!(report.data.suppliers.len(), 1);
        assert_eq!(
            report
                .method
                .electricity
                .as_ref()
                .map(|e| e.datasets.clone()),
            Some(vec!["electricity/cn/national/2023/footprint".to_string()])
        );
        assert_eq!(report.data.databases.len(), 1);
        assert_eq!(report.data.databases[0].name, "Zuji default");
        // Cradle to gate: no use or end-of-life stage in the model.
        assert!(
            report
                .scope
                .stages_excluded
                .iter()
                .any(|s| s.stage == zuji_model::LifeCycleStage::Use)
        );
        // Parameters carry their evaluated values: cathode_kg = 6.66 × 0.30.
        let cathode = report
            .method
            .parameters
            .iter()
            .find(|p| p.name == "cathode_kg")
            .unwrap();
        assert!((cathode.value.unwrap() - 1.998).abs() < 1e-12);
        assert_eq!(
            cathode.formula.as_deref(),
            Some("pack_mass * cathode_share")
        );
        // The PCR's cut-off rule, and no invented share cut off.
        let cut = report.scope.cut_off.as_ref().unwrap();
        assert_eq!(cut.per_flow_limit, Some(pcr.cut_off.per_flow));
        assert_eq!(cut.excluded_share, None);
        assert_eq!(report.results.by_origin.iluc, None);

        // And it prints: the HTML carries the Chinese name, the PDF is made when the
        // fonts are installed (the report crate's own tests require them).
        let html = zuji_report::render_html(&report, zuji_report::Lang::ZhHans);
        assert!(html.contains("磷酸铁锂动力电池包"));
    }

    #[test]
    fn the_goal_and_electricity_are_the_models_statement() {
        let (result, model) = lfp();
        let report = study_report(&result, &model, StudyReportContext::default());
        // As examples/lfp-battery-pack.toml's [study] states them.
        assert_eq!(report.goal.public_communication, Some(false));
        assert!(
            report
                .goal
                .intended_audience
                .as_deref()
                .is_some_and(|a| a.starts_with("Practitioners, verifiers"))
        );
        let e = report.method.electricity.unwrap();
        assert_eq!(e.approach, Some(ElectricityApproach::LocationBased));
        assert_eq!(e.residual_mix, Some(false));

        // A model that states nothing gets nothing invented.
        let mut silent = model.clone();
        silent.study = None;
        let report = study_report(&result, &silent, StudyReportContext::default());
        assert_eq!(report.goal, Goal::default());
        let e = report.method.electricity.unwrap();
        assert_eq!(e.approach, None);
        assert_eq!(e.note, None);
    }

    #[test]
    fn without_a_context_nothing_is_invented() {
        let (result, model) = lfp();
        let report = study_report(&result, &model, StudyReportContext::default());
        assert_eq!(report.provenance.organisation, None);
        // The model names its PCR; nothing is known of its version or a check.
        let pcr = report.pcr.unwrap();
        assert_eq!(pcr.id, "zuji:pcr:battery-pack:draft");
        assert_eq!(pcr.conformance, None);
        assert!(report.report_id.starts_with("sha256-"));
    }

    /// The report's check details are in the report's language; a finding without a
    /// message keeps its English sentence.
    #[test]
    fn conformance_details_follow_the_report_language() {
        use zuji_trust::conformance::{
            CheckItem, CheckMessage, ConformanceReport, Outcome, Severity,
        };
        let pcr = zuji_trust::pcr::bundled_pcr("zuji:pcr:battery-pack:draft")
            .unwrap()
            .unwrap();
        let finding = |message: Option<CheckMessage>| {
            CheckItem {
            key: "pcr-status".into(),
            severity: Severity::Advisory,
            outcome: Outcome::Missed,
            detail: "PCR zuji:pcr:battery-pack:draft 0.1.0 is a draft, not yet published by the registry".into(),
            message,
        }
        };
        let check = ConformanceReport {
            pcr_id: pcr.id.clone(),
            pcr_version: pcr.version.clone(),
            product: None,
            items: vec![
                finding(Some(
                    CheckMessage::new("pcr-status.draft")
                        .arg("pcr", "zuji:pcr:battery-pack:draft")
                        .arg("version", "0.1.0"),
                )),
                finding(None),
            ],
        };
        let tr = crate::web::Tr::new(zuji_trust::label::Lang::ZhHant);
        let details: Vec<String> = PcrContext::from_trust(&pcr, Some(&check), &tr)
            .conformance
            .unwrap()
            .into_iter()
            .map(|i| i.detail)
            .collect();
        assert_eq!(
            details,
            vec![
                "PCR zuji:pcr:battery-pack:draft 0.1.0 是草案，登記管理機構尚未發佈。".to_string(),
                "PCR zuji:pcr:battery-pack:draft 0.1.0 is a draft, not yet published by the registry".to_string(),
            ]
        );
    }
}
