//! Scores on a whole life-cycle inventory database ([`LciDatabase`]).
//!
//! The system is the textbook one: A s = f, g = B s, h = cᵀ g, where A holds each
//! activity's production on the diagonal minus what it consumes of other products,
//! B its elementary flows and c the method's characterisation factors. Because
//! h_j = cᵀ B A⁻¹ e_j, the scores of *every* activity for one unit of its reference
//! product are a single solve with Aᵀ: h = A⁻ᵀ (Bᵀ c) — [`FactorisedLci::scores_all`].
//! One activity with its breakdown is a solve with A ([`FactorisedLci::score_one`]);
//! Monte Carlo samples every uncertain exchange ([`FactorisedLci::monte_carlo`]).

use crate::rng::Rng;
use crate::sparse::{Factorisation, InterventionMatrix, SolveError, TechnosphereMatrix};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use zuji_model::lci::{CharacterisationMethod, ExchangeKind, LciDatabase};
use zuji_model::uncertainty::Uncertainty;

/// What can go wrong computing on an LCI database.
#[derive(Debug, thiserror::Error)]
pub enum LciError {
    #[error(
        "activity '{id}' has no production exchange: it must say how much of its reference product it makes"
    )]
    NoProduction { id: String },
    #[error("the database has no activities")]
    Empty,
    #[error("unknown method '{name}'; available methods: {}", available.join(", "))]
    UnknownMethod {
        name: String,
        available: Vec<String>,
    },
    #[error("unknown activity '{0}'")]
    UnknownActivity(String),
    #[error("{}{source}", activity.as_ref().map(|a| format!("activity '{a}': ")).unwrap_or_default())]
    Solve {
        /// The activity the solver pointed at, when it could.
        activity: Option<String>,
        #[source]
        source: SolveError,
    },
    #[error("Monte Carlo iteration {iteration}: {source}")]
    MonteCarlo {
        iteration: usize,
        #[source]
        source: Box<LciError>,
    },
    #[error("the result is not a finite number (the system is ill-conditioned)")]
    NonFinite,
    #[error("a demand vector needs one entry per activity ({expected}), got {got}")]
    DemandLength { expected: usize, got: usize },
}

/// One exchange placed in a matrix: the value is `sign × amount`, sampled around
/// `amount` in Monte Carlo.
#[derive(Debug, Clone, Copy)]
struct Entry {
    row: usize,
    col: usize,
    amount: f64,
    sign: f64,
    uncertainty: Uncertainty,
    /// ln GSD of a lognormal (σ of the underlying normal), computed once.
    log_gsd: f64,
}

impl Entry {
    fn triplet(&self) -> (usize, usize, f64) {
        (self.row, self.col, self.sign * self.amount)
    }

    /// A sampled matrix value, taking from `rng` only the draws the distribution needs
    /// (a normal for lognormal and normal, a uniform for uniform and triangular), in
    /// the same way as [`Uncertainty::sample`] — bit for bit, with ln GSD precomputed.
    fn draw(&self, rng: &mut Rng) -> f64 {
        let v = match self.uncertainty {
            Uncertainty::None => self.amount,
            Uncertainty::Lognormal { .. } => {
                self.amount * (self.log_gsd * rng.standard_normal()).exp()
            }
            Uncertainty::Normal { .. } => {
                self.uncertainty
                    .sample(self.amount, rng.standard_normal(), 0.5)
            }
            Uncertainty::Uniform { .. } | Uncertainty::Triangular { .. } => {
                self.uncertainty.sample(self.amount, 0.0, rng.uniform01())
            }
        };
        self.sign * v
    }
}

/// Matrices of a database, ready to factorise. Owns copies of what it needs (ids,
/// methods), so it does not borrow the database.
#[derive(Debug, Clone)]
pub struct LciSystem {
    activity_ids: Vec<String>,
    activity_index: HashMap<String, usize>,
    flow_ids: Vec<String>,
    methods: Vec<CharacterisationMethod>,
    technosphere_entries: Vec<Entry>,
    biosphere_entries: Vec<Entry>,
    technosphere: TechnosphereMatrix,
    biosphere: InterventionMatrix,
}

impl LciSystem {
    /// Builds A and B. Every activity needs a production exchange; an activity without
    /// one is an error naming it (its column would be empty and A singular).
    pub fn build(db: &LciDatabase) -> Result<LciSystem, LciError> {
        let n = db.activities.len();
        if n == 0 {
            return Err(LciError::Empty);
        }
        let mut produces = vec![false; n];
        let mut technosphere_entries = Vec::new();
        let mut biosphere_entries = Vec::new();
        for e in &db.exchanges {
            let (row, sign, list) = match e.kind {
                ExchangeKind::Production => {
                    produces[e.activity] = true;
                    (e.activity, 1.0, &mut technosphere_entries)
                }
                ExchangeKind::Technosphere => (e.input, -1.0, &mut technosphere_entries),
                ExchangeKind::Biosphere => (e.input, 1.0, &mut biosphere_entries),
            };
            let log_gsd = if let Uncertainty::Lognormal { gsd } = e.uncertainty {
                gsd.ln()
            } else {
                0.0
            };
            list.push(Entry {
                row,
                col: e.activity,
                amount: e.amount,
                sign,
                uncertainty: e.uncertainty,
                log_gsd,
            });
        }
        if let Some(j) = produces.iter().position(|p| !p) {
            return Err(LciError::NoProduction {
                id: db.activities[j].id.clone(),
            });
        }
        let tt: Vec<_> = technosphere_entries.iter().map(Entry::triplet).collect();
        let bt: Vec<_> = biosphere_entries.iter().map(Entry::triplet).collect();
        let activity_ids: Vec<String> = db.activities.iter().map(|a| a.id.clone()).collect();
        let activity_index = activity_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        Ok(LciSystem {
            activity_ids,
            activity_index,
            flow_ids: db.flows.iter().map(|f| f.id.clone()).collect(),
            methods: db.methods.clone(),
            technosphere: TechnosphereMatrix::from_triplets(n, &tt),
            biosphere: InterventionMatrix::from_triplets(db.flows.len(), n, &bt),
            technosphere_entries,
            biosphere_entries,
        })
    }

    /// Factorises A (as Aᵀ, see [`crate::sparse`]); a singular matrix names an activity
    /// where the solver can tell which.
    pub fn factorise(self) -> Result<FactorisedLci, LciError> {
        match Factorisation::new(&self.technosphere) {
            Ok(lu) => Ok(FactorisedLci { system: self, lu }),
            Err(source) => Err(self.solve_error(source)),
        }
    }

    fn solve_error(&self, source: SolveError) -> LciError {
        let column = match &source {
            SolveError::Singular { column, .. } => *column,
            SolveError::NonFinite { column, .. } => Some(*column),
            _ => None,
        };
        LciError::Solve {
            activity: column.and_then(|c| self.activity_ids.get(c).cloned()),
            source,
        }
    }

    pub fn activity_count(&self) -> usize {
        self.activity_ids.len()
    }

    pub fn activity_ids(&self) -> &[String] {
        &self.activity_ids
    }

    pub fn flow_ids(&self) -> &[String] {
        &self.flow_ids
    }

    pub fn technosphere(&self) -> &TechnosphereMatrix {
        &self.technosphere
    }

    pub fn biosphere(&self) -> &InterventionMatrix {
        &self.biosphere
    }

    /// The position of an activity id; unknown ids are an error naming them.
    pub fn activity_position(&self, id: &str) -> Result<usize, LciError> {
        self.activity_index
            .get(id)
            .copied()
            .ok_or_else(|| LciError::UnknownActivity(id.to_string()))
    }

    /// The characterisation vector c (one factor per flow) of a method; an unknown
    /// name is an error listing the methods there are. Repeated factors for a flow add up.
    pub fn characterisation(&self, method: &str) -> Result<Vec<f64>, LciError> {
        let m = self
            .methods
            .iter()
            .find(|m| m.name == method)
            .ok_or_else(|| LciError::UnknownMethod {
                name: method.to_string(),
                available: self.methods.iter().map(|m| m.name.clone()).collect(),
            })?;
        let mut c = vec![0.0; self.flow_ids.len()];
        for &(k, f) in &m.factors {
            if let Some(ck) = c.get_mut(k) {
                *ck += f;
            }
        }
        Ok(c)
    }

    /// Whether any technosphere or production amount carries an uncertainty.
    fn technosphere_uncertain(&self) -> bool {
        self.technosphere_entries
            .iter()
            .any(|e| !e.uncertainty.is_none())
    }

    fn biosphere_uncertain(&self) -> bool {
        self.biosphere_entries
            .iter()
            .any(|e| !e.uncertainty.is_none())
    }
}

/// A system with its LU, ready for any number of solves.
#[derive(Debug, Clone)]
pub struct FactorisedLci {
    system: LciSystem,
    lu: Factorisation,
}

/// One demand's result and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreBreakdown {
    pub method: String,
    /// Final demand f, one entry per activity's product.
    pub demand: Vec<f64>,
    /// Supply (scaling) vector s with A s = f.
    pub supply: Vec<f64>,
    /// Inventory g = B s, one entry per flow.
    pub inventory: Vec<f64>,
    /// h = Σ c_k g_k.
    pub score: f64,
    /// c_k g_k for every flow k; sums to `score`.
    pub by_flow: Vec<f64>,
    /// Direct contribution s_j (cᵀB)_j of every activity j; sums to `score`.
    pub by_activity: Vec<f64>,
}

/// Largest contributions first (by magnitude; ties by position), without zeros.
fn top(values: &[f64], n: usize) -> Vec<(usize, f64)> {
    let mut v: Vec<(usize, f64)> = values
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, x)| *x != 0.0)
        .collect();
    v.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

impl ScoreBreakdown {
    /// The `n` flows contributing most, as `(flow position, contribution)`.
    pub fn top_flows(&self, n: usize) -> Vec<(usize, f64)> {
        top(&self.by_flow, n)
    }

    /// The `n` activities contributing most directly, as `(activity position, contribution)`.
    pub fn top_activities(&self, n: usize) -> Vec<(usize, f64)> {
        top(&self.by_activity, n)
    }
}

/// How to run a Monte Carlo analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonteCarloConfig {
    pub iterations: usize,
    pub seed: u64,
}

/// The sampled scores of one activity and their summary.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarloResult {
    /// Score of iteration i at position i.
    pub samples: Vec<f64>,
    /// The deterministic score, for comparison.
    pub deterministic: f64,
    pub mean: f64,
    pub median: f64,
    pub p2_5: f64,
    pub p97_5: f64,
    /// Iterations where the preconditioned iterative solve did not converge and A was
    /// refactorised instead.
    pub refactorisations: usize,
}

/// Percentile by linear interpolation between order statistics (numpy's default).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = p * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// h = cᵀ (B s), summed flow by flow. Deterministic and Monte Carlo scores both go
/// through here so that, without uncertainty, they agree bit for bit.
fn score_of(b: &InterventionMatrix, c: &[f64], s: &[f64]) -> f64 {
    b.mul_vec(s).iter().zip(c).map(|(g, ck)| ck * g).sum()
}

/// Relative residual the preconditioned Monte Carlo solve must reach.
const MC_TOLERANCE: f64 = 1e-12;
/// Iterations of the preconditioned solve before falling back to a refactorisation.
const MC_MAX_ITERATIONS: usize = 60;

impl FactorisedLci {
    pub fn system(&self) -> &LciSystem {
        &self.system
    }

    pub fn factorisation(&self) -> &Factorisation {
        &self.lu
    }

    /// Supply vector s with A s = demand.
    ///
    /// # Panics
    /// If `demand` does not have one entry per activity.
    pub fn supply(&self, demand: &[f64]) -> Vec<f64> {
        self.lu.solve(demand)
    }

    /// Score of every activity for one unit of its reference product, in one solve
    /// with Aᵀ: h = A⁻ᵀ (Bᵀ c).
    pub fn scores_all(&self, method: &str) -> Result<Vec<f64>, LciError> {
        let c = self.system.characterisation(method)?;
        let direct = self.system.biosphere.transpose_mul_vec(&c);
        let h = self.lu.solve_transpose(&direct);
        if h.iter().any(|x| !x.is_finite()) {
            return Err(LciError::NonFinite);
        }
        Ok(h)
    }

    /// Score of one unit of `activity`'s reference product, with its breakdown.
    pub fn score_one(&self, activity: usize, method: &str) -> Result<ScoreBreakdown, LciError> {
        let n = self.system.activity_count();
        if activity >= n {
            return Err(LciError::UnknownActivity(format!("#{activity}")));
        }
        let mut demand = vec![0.0; n];
        demand[activity] = 1.0;
        self.score_demand(&demand, method)
    }

    /// Score of any final demand vector, with its breakdown.
    pub fn score_demand(&self, demand: &[f64], method: &str) -> Result<ScoreBreakdown, LciError> {
        let expected = self.system.activity_count();
        if demand.len() != expected {
            return Err(LciError::DemandLength {
                expected,
                got: demand.len(),
            });
        }
        let c = self.system.characterisation(method)?;
        let b = &self.system.biosphere;
        let supply = self.lu.solve(demand);
        let inventory = b.mul_vec(&supply);
        let by_flow: Vec<f64> = inventory.iter().zip(&c).map(|(g, ck)| ck * g).collect();
        let score = score_of(b, &c, &supply);
        if !score.is_finite() {
            return Err(LciError::NonFinite);
        }
        let direct = b.transpose_mul_vec(&c);
        let by_activity = supply.iter().zip(&direct).map(|(s, d)| s * d).collect();
        Ok(ScoreBreakdown {
            method: method.to_string(),
            demand: demand.to_vec(),
            supply,
            inventory,
            score,
            by_flow,
            by_activity,
        })
    }

    /// Monte Carlo of one unit of `activity`: every exchange with an uncertainty
    /// (production, technosphere and biosphere amounts) is sampled; factors are fixed.
    /// See [`FactorisedLci::monte_carlo_with_progress`].
    pub fn monte_carlo(
        &self,
        activity: usize,
        method: &str,
        config: MonteCarloConfig,
    ) -> Result<MonteCarloResult, LciError> {
        self.monte_carlo_with_progress(activity, method, config, &|| {})
    }

    /// Monte Carlo, calling `progress` after each iteration (from worker threads).
    ///
    /// Iterations run in parallel with rayon; iteration i draws from
    /// `Rng::seed_from(seed, i)` in a fixed order (technosphere entries, then the
    /// biosphere entries of flows the method characterises — the others cannot change
    /// the score), so the samples do not depend on the number of threads.
    ///
    /// Solving a sampled A′: A′ is close to A, so each iteration solves A′ s = e_j by
    /// GMRES preconditioned with the unperturbed LU, to a relative residual of 1e-12,
    /// and only when that does not converge within 60 iterations (very wide
    /// distributions) refactorises A′ re-using the symbolic analysis. Measured on the
    /// 20,000-activity synthetic database with lognormal σ of 0.05–0.3 on every
    /// exchange: GMRES converges in 10–11 iterations (≈0.03 s of sparse solves), a
    /// numeric refactorisation alone costs ≈0.11 s, so the iterative solve is the
    /// faster path; 1,000 iterations take ≈25 s on 2 cores, sampling included.
    /// Without technosphere uncertainty the unperturbed supply is re-used, and without
    /// any uncertainty every sample equals [`FactorisedLci::score_one`]'s score exactly.
    pub fn monte_carlo_with_progress(
        &self,
        activity: usize,
        method: &str,
        config: MonteCarloConfig,
        progress: &(dyn Fn() + Sync),
    ) -> Result<MonteCarloResult, LciError> {
        let base = self.score_one(activity, method)?;
        let c = self.system.characterisation(method)?;
        let sys = &self.system;
        let tech_uncertain = sys.technosphere_uncertain();
        let bio_uncertain = sys.biosphere_uncertain();
        let refactorisations = AtomicUsize::new(0);

        // Only flows with a non-zero factor can move the score: the others are not sampled.
        let scored_biosphere: Vec<(&Entry, f64)> = sys
            .biosphere_entries
            .iter()
            .filter_map(|e| c.get(e.row).filter(|f| **f != 0.0).map(|f| (e, *f)))
            .collect();
        let run = |i: usize| -> Result<f64, LciError> {
            let mut rng = Rng::seed_from(config.seed, i as u64);
            let supply = if tech_uncertain {
                let t: Vec<_> = sys
                    .technosphere_entries
                    .iter()
                    .map(|e| (e.row, e.col, e.draw(&mut rng)))
                    .collect();
                let a = sys.technosphere.with_values_from_triplets(&t);
                match self.lu.solve_preconditioned(
                    &a,
                    &base.demand,
                    MC_TOLERANCE,
                    MC_MAX_ITERATIONS,
                ) {
                    Some(s) => s,
                    None => {
                        refactorisations.fetch_add(1, Ordering::Relaxed);
                        self.lu
                            .refactor(&a)
                            .map_err(|e| sys.solve_error(e))?
                            .solve(&base.demand)
                    }
                }
            } else {
                base.supply.clone()
            };
            let score = if bio_uncertain {
                scored_biosphere
                    .iter()
                    .map(|(e, f)| f * e.draw(&mut rng) * supply[e.col])
                    .sum()
            } else {
                score_of(&sys.biosphere, &c, &supply)
            };
            progress();
            if score.is_finite() {
                Ok(score)
            } else {
                Err(LciError::NonFinite)
            }
        };
        let samples = (0..config.iterations)
            .into_par_iter()
            .map(|i| {
                run(i).map_err(|e| LciError::MonteCarlo {
                    iteration: i,
                    source: Box::new(e),
                })
            })
            .collect::<Result<Vec<f64>, LciError>>()?;

        let mut sorted = samples.clone();
        sorted.sort_by(f64::total_cmp);
        // Shifted by the first sample: identical samples give exactly that sample, and
        // the sum of small deviations loses less to rounding than a sum of large values.
        let mean = match samples.first() {
            None => f64::NAN,
            Some(&x0) => x0 + samples.iter().map(|x| x - x0).sum::<f64>() / samples.len() as f64,
        };
        Ok(MonteCarloResult {
            deterministic: base.score,
            mean,
            median: percentile(&sorted, 0.5),
            p2_5: percentile(&sorted, 0.025),
            p97_5: percentile(&sorted, 0.975),
            samples,
            refactorisations: refactorisations.into_inner(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use zuji_model::lci::{Activity, DatabaseMeta, ElementaryFlow, Exchange};

    type Row<'a> = (&'a str, &'a str, &'a str, f64);

    /// A database from ids and `(activity, kind, input, amount)` rows; method "GWP" has
    /// CO2 = 1 and CH4 = 27.
    fn database(acts: &[&str], rows: &[Row]) -> LciDatabase {
        database_with(acts, rows, &[])
    }

    fn database_with(acts: &[&str], rows: &[Row], unc: &[(usize, Uncertainty)]) -> LciDatabase {
        let activities: Vec<Activity> = acts
            .iter()
            .map(|id| Activity {
                id: id.to_string(),
                ..Default::default()
            })
            .collect();
        let flows: Vec<ElementaryFlow> = ["CO2", "CH4"]
            .iter()
            .map(|id| ElementaryFlow {
                id: id.to_string(),
                ..Default::default()
            })
            .collect();
        let act = |id: &str| acts.iter().position(|a| *a == id).expect("test activity");
        let exchanges = rows
            .iter()
            .enumerate()
            .map(|(k, &(a, kind, input, amount))| {
                let kind = ExchangeKind::parse(kind).expect("test kind");
                let input = if kind == ExchangeKind::Biosphere {
                    ["CO2", "CH4"]
                        .iter()
                        .position(|f| *f == input)
                        .expect("test flow")
                } else {
                    act(input)
                };
                let uncertainty = unc
                    .iter()
                    .find(|(i, _)| *i == k)
                    .map(|(_, u)| *u)
                    .unwrap_or_default();
                Exchange {
                    activity: act(a),
                    kind,
                    input,
                    amount,
                    uncertainty,
                }
            })
            .collect();
        let methods = vec![CharacterisationMethod {
            name: "GWP".into(),
            factors: vec![(0, 1.0), (1, 27.0)],
        }];
        LciDatabase::new(
            DatabaseMeta::default(),
            activities,
            flows,
            exchanges,
            methods,
        )
        .expect("valid test db")
    }

    fn solve(db: &LciDatabase) -> FactorisedLci {
        LciSystem::build(db)
            .expect("builds")
            .factorise()
            .expect("regular")
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
    }

    #[test]
    fn chain_of_two() {
        // Electricity: 1 kWh emits 0.5 kg CO2 → 0.5 per kWh.
        // Steel: 1 kg uses 1 + 2 kWh (two rows, adding up to 3) and emits 2 kg CO2 and
        // 0.1 kg CH4 → 2 + 0.1 × 27 + 3 × 0.5 = 6.2 per kg.
        let db = database(
            &["elec", "steel"],
            &[
                ("elec", "production", "elec", 1.0),
                ("elec", "biosphere", "CO2", 0.5),
                ("steel", "production", "steel", 1.0),
                ("steel", "technosphere", "elec", 1.0),
                ("steel", "technosphere", "elec", 2.0),
                ("steel", "biosphere", "CO2", 2.0),
                ("steel", "biosphere", "CH4", 0.1),
            ],
        );
        let f = solve(&db);
        let all = f.scores_all("GWP").expect("method");
        assert!(
            close(all[0], 0.5, 1e-14) && close(all[1], 6.2, 1e-14),
            "{all:?}"
        );
        let one = f.score_one(1, "GWP").expect("method");
        assert!(close(one.score, 6.2, 1e-14));
        // Supply for 1 kg steel: 1 kg steel, 3 kWh electricity.
        assert!(close(one.supply[0], 3.0, 1e-14) && close(one.supply[1], 1.0, 1e-14));
        // Direct contributions: electricity 3 × 0.5 = 1.5, steel 2 + 2.7 = 4.7.
        assert_eq!(
            one.top_activities(5)
                .iter()
                .map(|x| x.0)
                .collect::<Vec<_>>(),
            vec![1, 0]
        );
        assert!(close(one.by_activity[0], 1.5, 1e-14) && close(one.by_activity[1], 4.7, 1e-14));
        // By flow: CO2 2 + 1.5 = 3.5, CH4 0.1 × 27 = 2.7.
        assert!(close(one.by_flow[0], 3.5, 1e-14) && close(one.by_flow[1], 2.7, 1e-14));
        assert!(close(one.inventory[1], 0.1, 1e-14));
    }

    #[test]
    fn loop_of_three() {
        // a uses 0.5 b, b uses 0.2 c, c uses 0.1 a; direct CO2 1, 2, 4 per unit.
        // h_a = 1 + 0.5 h_b, h_b = 2 + 0.2 h_c, h_c = 4 + 0.1 h_a
        // → h_b = 2.8 + 0.02 h_a → h_a = 1 + 1.4 + 0.01 h_a → h_a = 2.4 / 0.99
        // → h_c = 4 + 0.24 / 0.99, h_b = 2.8 + 0.048 / 0.99.
        let db = database(
            &["a", "b", "c"],
            &[
                ("a", "production", "a", 1.0),
                ("a", "technosphere", "b", 0.5),
                ("a", "biosphere", "CO2", 1.0),
                ("b", "production", "b", 1.0),
                ("b", "technosphere", "c", 0.2),
                ("b", "biosphere", "CO2", 2.0),
                ("c", "production", "c", 1.0),
                ("c", "technosphere", "a", 0.1),
                ("c", "biosphere", "CO2", 4.0),
            ],
        );
        let f = solve(&db);
        let expect = [2.4 / 0.99, 2.8 + 0.048 / 0.99, 4.0 + 0.24 / 0.99];
        let all = f.scores_all("GWP").expect("method");
        for j in 0..3 {
            assert!(close(all[j], expect[j], 1e-13), "{all:?}");
            assert!(close(
                f.score_one(j, "GWP").expect("method").score,
                expect[j],
                1e-13
            ));
        }
    }

    #[test]
    fn production_other_than_one() {
        // x makes 2 kg, emits 3 kg CO2 and uses 4 units of y; y makes 5 units emitting 10.
        // Per unit of y: 10 / 5 = 2. Per kg of x: (3 + 4 × 2) / 2 = 5.5.
        // Supply for 1 kg x: s_x = 1/2, s_y = 4 s_x / 5 = 0.4.
        let db = database(
            &["x", "y"],
            &[
                ("x", "production", "x", 2.0),
                ("x", "technosphere", "y", 4.0),
                ("x", "biosphere", "CO2", 3.0),
                ("y", "production", "y", 5.0),
                ("y", "biosphere", "CO2", 10.0),
            ],
        );
        let f = solve(&db);
        let all = f.scores_all("GWP").expect("method");
        assert!(
            close(all[0], 5.5, 1e-14) && close(all[1], 2.0, 1e-14),
            "{all:?}"
        );
        let one = f.score_one(0, "GWP").expect("method");
        assert!(close(one.supply[0], 0.5, 1e-14) && close(one.supply[1], 0.4, 1e-14));
        assert!(close(one.score, 5.5, 1e-14));
    }

    #[test]
    fn activity_consuming_its_own_product() {
        // p makes 1, uses 0.2 of its own product, emits 4 kg CO2: a net 0.8 leaves,
        // so one unit delivered needs 1 / 0.8 = 1.25 units made → 4 × 1.25 = 5.
        let db = database(
            &["p"],
            &[
                ("p", "production", "p", 1.0),
                ("p", "technosphere", "p", 0.2),
                ("p", "biosphere", "CO2", 4.0),
            ],
        );
        let f = solve(&db);
        assert!(close(f.scores_all("GWP").expect("method")[0], 5.0, 1e-14));
        assert!(close(
            f.score_one(0, "GWP").expect("method").supply[0],
            1.25,
            1e-14
        ));
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let db = database(
            &["a", "b"],
            &[
                ("a", "production", "a", 1.0),
                ("a", "technosphere", "b", 1.0),
            ],
        );
        let e = LciSystem::build(&db).unwrap_err();
        assert!(
            matches!(&e, LciError::NoProduction { id } if id == "b"),
            "{e}"
        );

        let db = database(&["a"], &[("a", "production", "a", 1.0)]);
        let f = solve(&db);
        let e = f.scores_all("ReCiPe").unwrap_err();
        assert!(
            e.to_string().contains("ReCiPe") && e.to_string().contains("GWP"),
            "{e}"
        );
        let e = f.system().activity_position("zzz").unwrap_err();
        assert!(e.to_string().contains("zzz"));
        assert!(f.score_one(7, "GWP").is_err());
        assert!(matches!(
            f.score_demand(&[1.0, 2.0], "GWP"),
            Err(LciError::DemandLength {
                expected: 1,
                got: 2
            })
        ));

        // p consumes all it makes: its column is zero, A is singular.
        let db = database(
            &["ok", "p"],
            &[
                ("ok", "production", "ok", 1.0),
                ("p", "production", "p", 1.0),
                ("p", "technosphere", "p", 1.0),
            ],
        );
        let e = LciSystem::build(&db)
            .expect("builds")
            .factorise()
            .unwrap_err();
        assert!(e.to_string().contains("'p'"), "{e}");
    }

    #[test]
    fn monte_carlo_is_reproducible_and_independent_of_threads() {
        let db = database_with(
            &["a", "b"],
            &[
                ("a", "production", "a", 1.0),
                ("a", "technosphere", "b", 0.5),
                ("a", "biosphere", "CO2", 1.0),
                ("b", "production", "b", 1.0),
                ("b", "technosphere", "a", 0.1),
                ("b", "biosphere", "CO2", 2.0),
            ],
            &[
                (1, Uncertainty::Lognormal { gsd: 1.3 }),
                (2, Uncertainty::Normal { sd: 0.1 }),
                (
                    4,
                    Uncertainty::Triangular {
                        min: 0.05,
                        mode: None,
                        max: 0.2,
                    },
                ),
                (5, Uncertainty::Uniform { min: 1.5, max: 2.5 }),
            ],
        );
        let f = solve(&db);
        let cfg = MonteCarloConfig {
            iterations: 300,
            seed: 9,
        };
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("pool")
                .install(|| f.monte_carlo(0, "GWP", cfg).expect("runs"))
        };
        let one = run(1);
        let two = run(2);
        assert_eq!(one, two);
        // Each sample equals an exact solve of its own sampled system (checked for one
        // iteration by redrawing its numbers).
        // Draw order: technosphere a←b (lognormal: a normal), b←a (triangular: a
        // uniform), then biosphere a (normal: a normal), b (uniform: a uniform).
        let mut rng = crate::rng::Rng::seed_from(9, 17);
        let z1 = rng.standard_normal();
        let u1 = rng.uniform01();
        let z2 = rng.standard_normal();
        let u2 = rng.uniform01();
        let ab = Uncertainty::Lognormal { gsd: 1.3 }.sample(0.5, z1, 0.0);
        let ba = Uncertainty::Triangular {
            min: 0.05,
            mode: None,
            max: 0.2,
        }
        .sample(0.1, 0.0, u1);
        let ea = Uncertainty::Normal { sd: 0.1 }.sample(1.0, z2, 0.0);
        let eb = Uncertainty::Uniform { min: 1.5, max: 2.5 }.sample(2.0, 0.0, u2);
        // h_a = ea + ab h_b, h_b = eb + ba h_a → h_a = (ea + ab eb) / (1 − ab ba).
        let expect = (ea + ab * eb) / (1.0 - ab * ba);
        assert!(
            close(one.samples[17], expect, 1e-10),
            "{} vs {expect}",
            one.samples[17]
        );
        assert!(one.p2_5 < one.median && one.median < one.p97_5);
        assert_eq!(one.refactorisations, 0);
    }

    #[test]
    fn percentiles_interpolate() {
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&s, 0.5), 3.0);
        assert_eq!(percentile(&s, 0.025), 1.1);
        assert!(close(percentile(&s, 0.975), 4.9, 1e-15));
    }

    /// A random, diagonally dominant database: n activities, production amounts in
    /// [0.5, 3], technosphere inputs that sum to less than 0.9 of production.
    fn random_db() -> impl Strategy<Value = LciDatabase> {
        (2usize..8).prop_flat_map(|n| {
            (
                proptest::collection::vec(0.5f64..3.0, n),
                proptest::collection::vec((0..n, 0..n, 0.0f64..0.1), 0..(3 * n)),
                proptest::collection::vec((0..n, 0usize..2, -1.0f64..5.0), 1..(3 * n)),
            )
                .prop_map(move |(prod, tech, bio)| {
                    let ids: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
                    let activities = ids
                        .iter()
                        .map(|id| Activity {
                            id: id.clone(),
                            ..Default::default()
                        })
                        .collect();
                    let flows = ["CO2", "CH4"]
                        .iter()
                        .map(|id| ElementaryFlow {
                            id: id.to_string(),
                            ..Default::default()
                        })
                        .collect();
                    let ex = |activity, kind, input, amount| Exchange {
                        activity,
                        kind,
                        input,
                        amount,
                        uncertainty: Uncertainty::None,
                    };
                    let mut exchanges: Vec<Exchange> = prod
                        .iter()
                        .enumerate()
                        .map(|(j, &p)| ex(j, ExchangeKind::Production, j, p))
                        .collect();
                    // At most 3n inputs of ≤ 0.1 × 0.5 × production/ (3n × 0.1) each keeps
                    // every column's inputs below 0.5 of its production.
                    for (j, i, a) in tech {
                        exchanges.push(ex(
                            j,
                            ExchangeKind::Technosphere,
                            i,
                            a * prod[j] / (0.2 * n as f64 * 3.0),
                        ));
                    }
                    for (j, k, a) in bio {
                        exchanges.push(ex(j, ExchangeKind::Biosphere, k, a));
                    }
                    let methods = vec![CharacterisationMethod {
                        name: "GWP".into(),
                        factors: vec![(0, 1.0), (1, 27.0)],
                    }];
                    LciDatabase::new(
                        DatabaseMeta::default(),
                        activities,
                        flows,
                        exchanges,
                        methods,
                    )
                    .expect("valid random db")
                })
        })
    }

    proptest! {
        #[test]
        fn scaling_demand_scales_results(db in random_db(), k in 0.1f64..100.0, j in 0usize..8) {
            let f = solve(&db);
            let n = db.activities.len();
            let j = j % n;
            let one = f.score_one(j, "GWP").expect("method");
            let mut d = vec![0.0; n];
            d[j] = k;
            let scaled = f.score_demand(&d, "GWP").expect("method");
            prop_assert!(close(scaled.score, k * one.score, 1e-9) || (one.score.abs() < 1e-12 && scaled.score.abs() < 1e-10));
            for (a, b) in scaled.supply.iter().zip(&one.supply) {
                prop_assert!(close(*a, k * b, 1e-9) || (a - k * b).abs() < 1e-12);
            }
        }

        #[test]
        fn contributions_sum_to_the_total(db in random_db(), j in 0usize..8) {
            let f = solve(&db);
            let j = j % db.activities.len();
            let one = f.score_one(j, "GWP").expect("method");
            let scale = one.by_activity.iter().map(|x| x.abs()).sum::<f64>().max(1e-300);
            prop_assert!((one.by_activity.iter().sum::<f64>() - one.score).abs() <= 1e-12 * scale);
            prop_assert!((one.by_flow.iter().sum::<f64>() - one.score).abs() <= 1e-12 * scale);
            let all = f.scores_all("GWP").expect("method");
            prop_assert!((all[j] - one.score).abs() <= 1e-12 * scale.max(all[j].abs()));
        }

        #[test]
        fn monte_carlo_without_uncertainty_is_the_deterministic_result(db in random_db(), j in 0usize..8, seed: u64) {
            let f = solve(&db);
            let j = j % db.activities.len();
            let det = f.score_one(j, "GWP").expect("method").score;
            let mc = f.monte_carlo(j, "GWP", MonteCarloConfig { iterations: 20, seed }).expect("runs");
            prop_assert!(mc.samples.iter().all(|s| s.to_bits() == det.to_bits()));
            prop_assert_eq!(mc.median.to_bits(), det.to_bits());
            prop_assert_eq!(mc.mean.to_bits(), det.to_bits());
            prop_assert_eq!(mc.p2_5.to_bits(), det.to_bits());
            prop_assert_eq!(mc.deterministic.to_bits(), det.to_bits());
        }
    }
}
