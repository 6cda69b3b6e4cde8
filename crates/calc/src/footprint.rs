//! A product's carbon footprint: the total per declared unit and every breakdown the
//! standards ask to be reported.
//!
//! The solve follows DESIGN.md: A·s = f, g = B·s, h = c·g. Breakdowns by life-cycle
//! stage, process, primary data and data quality attribute the total to the model's
//! *items* — each direct emission and each input from a dataset or a supplier — using
//! the unit scores u = A⁻ᵀ·Bᵀc (one transposed solve): an input of amount a from
//! provider k contributes a·u_k, which holds the provider's whole upstream. Inputs
//! between model processes carry no contribution of their own (the providing process's
//! items do), so the items sum to the total exactly.

use crate::error::CalcError;
use crate::fingerprint::Fingerprint;
use crate::montecarlo::{self, MonteCarloSummary};
use crate::sensitivity::{self, ParameterSensitivity};
use crate::sparse::{Factorisation, InterventionMatrix, SolveError, TechnosphereMatrix};
use crate::system::ProductSystem;
use crate::tree::{self, ContributionNode};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use zuji_model::gwp::GwpTable;
use zuji_model::lci::LciDatabase;
use zuji_model::product::{InputLink, ProductModel};
use zuji_model::validate::{EvaluatedModel, evaluate, validate};
use zuji_model::{DataQuality, LifeCycleStage, Origin};

/// What to compute besides the deterministic result.
#[derive(Debug, Clone, PartialEq)]
pub struct FootprintOptions {
    /// Tree nodes below this share of the total are not expanded.
    pub tree_cutoff: f64,
    pub tree_depth: usize,
    pub monte_carlo: Option<MonteCarloOptions>,
    /// Relative step for one-at-a-time parameter sensitivity; `None` to skip it.
    pub sensitivity_step: Option<f64>,
}

impl Default for FootprintOptions {
    fn default() -> Self {
        FootprintOptions {
            tree_cutoff: 0.01,
            tree_depth: 8,
            monte_carlo: None,
            sensitivity_step: Some(0.1),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonteCarloOptions {
    pub iterations: usize,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FootprintResult {
    pub product: ProductSummary,
    pub method: MethodSummary,
    /// kg CO2e per declared unit.
    pub total: f64,
    pub by_stage: Vec<StageContribution>,
    pub by_gas: Vec<GasContribution>,
    pub by_origin: OriginBreakdown,
    pub by_process: Vec<ProcessContribution>,
    /// Model inputs and emissions, largest absolute contribution first.
    pub items: Vec<ItemContribution>,
    pub tree: ContributionNode,
    /// Share (0–1) of the absolute contributions that rest on primary data.
    pub primary_data_share: f64,
    pub data_quality: DataQualitySummary,
    pub monte_carlo: Option<MonteCarloSummary>,
    pub sensitivity: Vec<ParameterSensitivity>,
    pub warnings: Vec<String>,
    pub fingerprint: Fingerprint,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProductSummary {
    pub id: Option<String>,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    pub category: String,
    pub declared_unit: String,
    pub boundary: String,
    pub reference_period: String,
    pub geography: String,
    pub pcr: Option<String>,
    pub recycling_approach: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MethodSummary {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StageContribution {
    pub stage: LifeCycleStage,
    pub value: f64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GasContribution {
    pub gas: String,
    pub origin: Origin,
    /// kg of the gas (for aggregated CO2e values, kg CO2e).
    pub mass: f64,
    pub value: f64,
}

/// The parts ISO 14067 and GB/T 24067 require reported separately, in kg CO2e.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OriginBreakdown {
    pub fossil: f64,
    pub biogenic_emissions: f64,
    /// Negative: CO2 taken up into biomass.
    pub biogenic_removals: f64,
    pub land_use_change: f64,
    /// Aggregated secondary values whose split their source does not publish.
    pub unspecified: f64,
    /// Aircraft transport (a part of the above, reported separately).
    pub aircraft: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProcessContribution {
    pub id: String,
    pub name: String,
    pub stage: LifeCycleStage,
    pub value: f64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemContribution {
    pub process: String,
    /// `input` or `emission`.
    pub kind: String,
    pub index: usize,
    /// Dataset id, supplier id, or gas and origin.
    pub what: String,
    pub stage: LifeCycleStage,
    pub primary: bool,
    pub value: f64,
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataQualitySummary {
    /// Contribution-weighted mean rating (1 best … 5 worst) over rated items.
    pub rating: Option<f64>,
    pub level: Option<String>,
    /// Share of the absolute contributions that carry a rating.
    pub coverage: f64,
}

/// The deterministic core shared by the footprint, Monte Carlo and sensitivity runs.
pub(crate) struct Solved {
    pub a: TechnosphereMatrix,
    pub b: InterventionMatrix,
    pub lu: Factorisation,
    pub demand: Vec<f64>,
    pub supply: Vec<f64>,
}

pub(crate) fn total_of(b: &InterventionMatrix, supply: &[f64], c: &[f64]) -> f64 {
    b.mul_vec(supply).iter().zip(c).map(|(g, f)| g * f).sum()
}

/// Computes a product's footprint with its breakdowns.
pub fn compute_footprint(
    model: &ProductModel,
    dbs: &[LciDatabase],
    method: &GwpTable,
    options: &FootprintOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<FootprintResult, CalcError> {
    let errors = validate(model);
    if !errors.is_empty() {
        return Err(CalcError::Model(errors));
    }
    let eval = evaluate(model, &HashMap::new()).map_err(CalcError::Model)?;
    let system = ProductSystem::build(model, dbs, method)?;
    let solved = solve(&system, model, &eval, dbs)?;
    let c = system.characterisation();
    let inventory = solved.b.mul_vec(&solved.supply);
    let total: f64 = inventory.iter().zip(&c).map(|(g, f)| g * f).sum();
    let unit_scores = solved.lu.solve_transpose(&solved.b.transpose_mul_vec(&c));

    let items = item_contributions(model, &system, &eval, &solved.supply, &unit_scores, total);
    let mut warnings = Vec::new();
    if system.uncharacterised_flows > 0 {
        warnings.push(format!(
            "{} elementary flow(s) of the background data have no gas and no factor in method '{}'; they count as 0",
            system.uncharacterised_flows, method.id
        ));
    }
    let item_sum: f64 = items.iter().map(|i| i.item.value).sum();
    if (item_sum - total).abs() > 1e-9 * total.abs().max(1e-12) {
        warnings.push(format!(
            "item contributions sum to {item_sum}, the total is {total}"
        ));
    }

    let mut by_stage: BTreeMap<LifeCycleStage, f64> = BTreeMap::new();
    let mut by_proc: Vec<f64> = vec![0.0; model.processes.len()];
    let mut origin = OriginBreakdown::default();
    let (mut abs_sum, mut primary_abs, mut rated_abs, mut rated_sum) = (0.0, 0.0, 0.0, 0.0);
    for it in &items {
        *by_stage.entry(it.item.stage).or_default() += it.item.value;
        by_proc[it.process] += it.item.value;
        let a = it.item.value.abs();
        abs_sum += a;
        primary_abs += a * it.primary_share;
        if let Some(q) = it.quality {
            rated_abs += a;
            rated_sum += a * q.rating();
        }
        if it.aircraft {
            origin.aircraft += it.item.value;
        }
    }
    let share = |v: f64| if total != 0.0 { v / total } else { 0.0 };
    let mut gases: BTreeMap<(String, Origin), (f64, f64)> = BTreeMap::new();
    for (f, flow) in system.flows.iter().enumerate() {
        let h = inventory[f] * flow.factor;
        match flow.origin {
            Origin::Fossil => origin.fossil += h,
            Origin::Biogenic => origin.biogenic_emissions += h,
            Origin::BiogenicRemoval => origin.biogenic_removals += h,
            Origin::LandUseChange => origin.land_use_change += h,
            Origin::Unspecified => origin.unspecified += h,
        }
        if inventory[f] != 0.0 {
            let gas = flow
                .gas
                .as_ref()
                .map(|g| g.to_string())
                .unwrap_or_else(|| "other".into());
            let e = gases.entry((gas, flow.origin)).or_default();
            e.0 += inventory[f];
            e.1 += h;
        }
    }
    let mut by_gas: Vec<GasContribution> = gases
        .into_iter()
        .map(|((gas, origin), (mass, value))| GasContribution {
            gas,
            origin,
            mass,
            value,
        })
        .collect();
    by_gas.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));

    let mut by_process: Vec<ProcessContribution> = model
        .processes
        .iter()
        .zip(&by_proc)
        .map(|(p, v)| ProcessContribution {
            id: p.id.clone(),
            name: p.name.clone().unwrap_or_else(|| p.id.clone()),
            stage: p.stage,
            value: *v,
            share: share(*v),
        })
        .collect();
    by_process.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));

    let tree = tree::contribution_tree(
        &system,
        model,
        dbs,
        &solved,
        &unit_scores,
        &system.characterisation(),
        total,
        options.tree_cutoff,
        options.tree_depth,
    );
    let monte_carlo = match options.monte_carlo {
        Some(mc) => Some(montecarlo::run(
            model, dbs, &system, &eval, &solved, &c, mc, progress,
        )?),
        None => None,
    };
    let sensitivity = match options.sensitivity_step {
        Some(step) => {
            sensitivity::one_at_a_time(model, dbs, &system, &eval, &solved, &c, total, step)
        }
        None => Vec::new(),
    };
    let rating = (rated_abs > 0.0).then(|| rated_sum / rated_abs);
    let p = &model.product;
    let mut items_out: Vec<ItemContribution> = items.into_iter().map(|i| i.item).collect();
    items_out.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
    Ok(FootprintResult {
        product: ProductSummary {
            id: p.id.clone(),
            name_zh: p.name.zh.clone(),
            name_en: p.name.en.clone(),
            category: p.category.clone(),
            declared_unit: format!("{} {}", p.declared_unit.amount, p.declared_unit.unit),
            boundary: p.boundary.as_str().into(),
            reference_period: p.reference_period.clone(),
            geography: p.geography.clone(),
            pcr: p.pcr.clone(),
            recycling_approach: match p.end_of_life.approach {
                zuji_model::product::RecyclingApproach::CutOff => "cut-off".into(),
                zuji_model::product::RecyclingApproach::AvoidedBurden => "avoided-burden".into(),
            },
        },
        method: MethodSummary {
            id: method.id.clone(),
            name: method.name.clone(),
        },
        total,
        by_stage: LifeCycleStage::ALL
            .iter()
            .filter_map(|s| {
                by_stage.get(s).map(|v| StageContribution {
                    stage: *s,
                    value: *v,
                    share: share(*v),
                })
            })
            .collect(),
        by_gas,
        by_origin: origin,
        by_process,
        items: items_out,
        tree,
        primary_data_share: if abs_sum > 0.0 {
            primary_abs / abs_sum
        } else {
            0.0
        },
        data_quality: DataQualitySummary {
            rating,
            level: rating.map(|r| DataQuality::level(r).to_string()),
            coverage: if abs_sum > 0.0 {
                rated_abs / abs_sum
            } else {
                0.0
            },
        },
        monte_carlo,
        sensitivity,
        warnings,
        fingerprint: Fingerprint::of(model, dbs, method, options),
    })
}

/// Builds and factorises the system for one evaluation and solves for the declared unit.
pub(crate) fn solve(
    system: &ProductSystem,
    model: &ProductModel,
    eval: &EvaluatedModel,
    dbs: &[LciDatabase],
) -> Result<Solved, CalcError> {
    let vals = system.values(model, eval, dbs, None);
    let a = TechnosphereMatrix::from_triplets(system.dim(), &vals.a);
    let b = InterventionMatrix::from_triplets(system.flows.len(), system.dim(), &vals.b);
    let lu = Factorisation::new(&a).map_err(|e| singular(system, model, dbs, &a, e))?;
    let mut demand = vec![0.0; system.dim()];
    demand[system.reference_column] = eval.demand;
    let supply = lu.solve(&demand);
    Ok(Solved {
        a,
        b,
        lu,
        demand,
        supply,
    })
}

/// Columns on a loop with `start`: reachable from it through inputs and reaching it back.
fn loop_through(a: &TechnosphereMatrix, start: usize) -> Vec<usize> {
    let n = a.dim();
    let mut forward: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut backward: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (r, c, v) in a.entries() {
        if r != c && v != 0.0 {
            forward[c].push(r);
            backward[r].push(c);
        }
    }
    let reach = |adj: &Vec<Vec<usize>>| {
        let mut seen = vec![false; n];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(x) = stack.pop() {
            for &y in &adj[x] {
                if !seen[y] {
                    seen[y] = true;
                    stack.push(y);
                }
            }
        }
        seen
    };
    let (f, b) = (reach(&forward), reach(&backward));
    (0..n).filter(|&i| f[i] && b[i]).collect()
}

/// Turns a solver failure into an error naming the processes involved.
pub(crate) fn singular(
    system: &ProductSystem,
    model: &ProductModel,
    dbs: &[LciDatabase],
    a: &TechnosphereMatrix,
    e: SolveError,
) -> CalcError {
    let label = |c: usize| {
        let l = system.column_label(c, model, dbs);
        format!("{} '{}'", l.kind, l.id)
    };
    // A column whose net production is zero or less produces nothing: the usual cause.
    let mut processes: Vec<String> = (0..system.dim())
        .filter(|&c| a.get(c, c) <= 0.0)
        .map(label)
        .collect();
    let mut message = if processes.is_empty() {
        e.to_string()
    } else {
        format!(
            "{} produce(s) nothing net of what they consume: {}",
            processes.len(),
            processes.join(", ")
        )
    };
    if let SolveError::Singular {
        column: Some(c), ..
    } = e
        && c < system.dim()
        && processes.is_empty()
    {
        // The loop through the failing column: everything it reaches that reaches it back.
        let members = loop_through(a, c);
        processes = members.into_iter().map(label).collect();
        message = if processes.len() > 1 {
            format!(
                "{} form a loop that consumes all it produces ({e})",
                processes.join(", ")
            )
        } else {
            format!("{e} (involving {})", processes.join(", "))
        };
    }
    if processes.is_empty() {
        let all: Vec<String> = model
            .processes
            .iter()
            .map(|p| format!("process '{}'", p.id))
            .collect();
        message = format!("{e}; check the loops among: {}", all.join(", "));
        processes = all;
    }
    CalcError::Singular { message, processes }
}

pub(crate) struct Item {
    pub item: ItemContribution,
    pub process: usize,
    pub primary_share: f64,
    pub quality: Option<DataQuality>,
    pub aircraft: bool,
}

fn item_contributions(
    model: &ProductModel,
    system: &ProductSystem,
    eval: &EvaluatedModel,
    supply: &[f64],
    unit_scores: &[f64],
    total: f64,
) -> Vec<Item> {
    let mut out = Vec::new();
    for (p, proc_) in model.processes.iter().enumerate() {
        // Σ_q s_j(q) · share_q: the process's allocated activity level.
        let level: f64 = system.product_columns[p]
            .iter()
            .zip(&eval.processes[p].allocation)
            .map(|(&j, share)| supply[j] * share)
            .sum();
        let default_primary = proc_.primary.unwrap_or(false);
        for (i, inp) in proc_.inputs.iter().enumerate() {
            let Some(k) = system.providers[p][i] else {
                continue;
            };
            let value =
                level * eval.processes[p].inputs[i] * system.conversions[p][i] * unit_scores[k];
            let primary = inp.primary.unwrap_or(default_primary);
            let (what, primary_share, quality) = match inp.link() {
                Ok(InputLink::Supplier(s)) => (
                    format!("supplier {}", s.id),
                    s.primary_data_share
                        .unwrap_or(if primary { 1.0 } else { 0.0 }),
                    inp.quality.or(s.quality),
                ),
                Ok(InputLink::Dataset(d)) => {
                    (d.to_string(), if primary { 1.0 } else { 0.0 }, inp.quality)
                }
                _ => (String::new(), 0.0, inp.quality),
            };
            out.push(Item {
                item: ItemContribution {
                    process: proc_.id.clone(),
                    kind: "input".into(),
                    index: i,
                    what,
                    stage: inp.stage.unwrap_or(proc_.stage),
                    primary,
                    value,
                    share: if total != 0.0 { value / total } else { 0.0 },
                },
                process: p,
                primary_share,
                quality,
                aircraft: proc_.aircraft || inp.aircraft,
            });
        }
        for (e, em) in proc_.emissions.iter().enumerate() {
            let value = level * eval.processes[p].emissions[e] * system.emission_factors[p][e];
            let primary = em.primary.unwrap_or(default_primary);
            out.push(Item {
                item: ItemContribution {
                    process: proc_.id.clone(),
                    kind: "emission".into(),
                    index: e,
                    what: format!("{} ({})", em.gas, em.origin),
                    stage: em.stage.unwrap_or(proc_.stage),
                    primary,
                    value,
                    share: if total != 0.0 { value / total } else { 0.0 },
                },
                process: p,
                primary_share: if primary { 1.0 } else { 0.0 },
                quality: em.quality,
                aircraft: proc_.aircraft,
            });
        }
    }
    out
}
