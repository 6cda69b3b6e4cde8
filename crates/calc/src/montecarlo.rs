//! Monte Carlo uncertainty analysis of a product footprint.
//!
//! Iteration i draws from its own random stream (seed, i), so results do not depend on
//! how many threads run them. Each iteration samples the parameters that carry an
//! uncertainty, re-evaluates every formula, samples every uncertain amount, and solves
//! the perturbed system with the factorisation's symbolic analysis reused: first by
//! GMRES preconditioned with the unperturbed LU (a few sparse solves), falling back to
//! a numeric refactorisation when that does not converge.

use crate::error::CalcError;
use crate::footprint::{MonteCarloOptions, Solved, total_of};
use crate::rng::Rng;
use crate::system::ProductSystem;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use zuji_model::lci::LciDatabase;
use zuji_model::product::ProductModel;
use zuji_model::validate::{EvaluatedModel, evaluate};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MonteCarloSummary {
    pub iterations: usize,
    pub seed: u64,
    pub mean: f64,
    pub sd: f64,
    pub median: f64,
    pub p2_5: f64,
    pub p97_5: f64,
    /// Iterations solved by refactorising instead of the preconditioned iteration.
    pub refactorised: usize,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    model: &ProductModel,
    dbs: &[LciDatabase],
    system: &ProductSystem,
    eval: &EvaluatedModel,
    base: &Solved,
    c: &[f64],
    options: MonteCarloOptions,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<MonteCarloSummary, CalcError> {
    let uncertain_parameters: Vec<(&String, zuji_model::Uncertainty)> = model
        .parameters
        .iter()
        .map(|(k, v)| (k, v.uncertainty()))
        .filter(|(_, u)| !u.is_none())
        .collect();
    let base_values = system.values(model, eval, dbs, None);
    let done = AtomicUsize::new(0);
    let refactorised = AtomicUsize::new(0);
    let samples: Vec<f64> = (0..options.iterations)
        .into_par_iter()
        .map(|i| {
            let mut rng = Rng::seed_from(options.seed, i as u64);
            let overrides: HashMap<String, f64> = uncertain_parameters
                .iter()
                .map(|(name, u)| {
                    let base = eval.parameters[*name];
                    let z = rng.standard_normal();
                    let v = rng.uniform01();
                    ((*name).clone(), u.sample(base, z, v))
                })
                .collect();
            let sampled_eval;
            let e = if overrides.is_empty() {
                eval
            } else {
                sampled_eval =
                    evaluate(model, &overrides).map_err(|errs| CalcError::MonteCarlo {
                        iteration: i,
                        message: errs
                            .iter()
                            .map(|e| e.to_string())
                            .collect::<Vec<_>>()
                            .join("; "),
                    })?;
                &sampled_eval
            };
            let vals = system.values(model, e, dbs, Some(&mut rng));
            let b = base.b.with_values_from_triplets(&vals.b);
            let a = base.a.with_values_from_triplets(&vals.a);
            let mut demand = base.demand.clone();
            demand[system.reference_column] = e.demand;
            // Nothing uncertain in A: the base factorisation is exact, as in the deterministic run.
            let supply = if vals.a == base_values.a {
                base.lu.solve(&demand)
            } else {
                match base.lu.solve_preconditioned(&a, &demand, 1e-13, 60) {
                    Some(x) => x,
                    None => {
                        refactorised.fetch_add(1, Ordering::Relaxed);
                        base.lu
                            .refactor(&a)
                            .map_err(|err| CalcError::MonteCarlo {
                                iteration: i,
                                message: err.to_string(),
                            })?
                            .solve(&demand)
                    }
                }
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = progress {
                p(n);
            }
            Ok(total_of(&b, &supply, c))
        })
        .collect::<Result<Vec<f64>, CalcError>>()?;
    let mut s = Summary::of(&samples);
    s.refactorised = refactorised.load(Ordering::Relaxed);
    s.seed = options.seed;
    Ok(s.into())
}

struct Summary {
    iterations: usize,
    seed: u64,
    mean: f64,
    sd: f64,
    median: f64,
    p2_5: f64,
    p97_5: f64,
    refactorised: usize,
}

impl From<Summary> for MonteCarloSummary {
    fn from(s: Summary) -> Self {
        MonteCarloSummary {
            iterations: s.iterations,
            seed: s.seed,
            mean: s.mean,
            sd: s.sd,
            median: s.median,
            p2_5: s.p2_5,
            p97_5: s.p97_5,
            refactorised: s.refactorised,
        }
    }
}

impl Summary {
    fn of(samples: &[f64]) -> Summary {
        let n = samples.len();
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        // Shifted by the first sample: more accurate, and exact when every sample is equal.
        let x0 = samples.first().copied().unwrap_or(0.0);
        let mean = x0 + samples.iter().map(|x| x - x0).sum::<f64>() / n.max(1) as f64;
        let var = if n > 1 {
            samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        Summary {
            iterations: n,
            seed: 0,
            mean,
            sd: var.sqrt(),
            median: percentile(&sorted, 0.5),
            p2_5: percentile(&sorted, 0.025),
            p97_5: percentile(&sorted, 0.975),
            refactorised: 0,
        }
    }
}

/// Percentile of sorted data by linear interpolation between order statistics
/// (Hyndman & Fan type 7, numpy's default).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_match_numpy_type_7() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 50, 97.5]) = [1.075, 2.5, 3.925]
        let d = [1.0, 2.0, 3.0, 4.0];
        assert!((percentile(&d, 0.025) - 1.075).abs() < 1e-12);
        assert_eq!(percentile(&d, 0.5), 2.5);
        assert!((percentile(&d, 0.975) - 3.925).abs() < 1e-12);
    }
}
