//! One-at-a-time sensitivity: how much the total moves when one parameter moves.

use crate::footprint::{Solved, total_of};
use crate::system::ProductSystem;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use zuji_model::lci::LciDatabase;
use zuji_model::product::ProductModel;
use zuji_model::validate::{EvaluatedModel, evaluate};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ParameterSensitivity {
    pub parameter: String,
    pub value: f64,
    /// Totals with the parameter at value × (1 − step) and × (1 + step).
    pub total_low: Option<f64>,
    pub total_high: Option<f64>,
    /// (ΔT / T) / (Δp / p) by central difference: 0.5 means +10 % moves the total +5 %.
    pub elasticity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn one_at_a_time(
    model: &ProductModel,
    dbs: &[LciDatabase],
    system: &ProductSystem,
    eval: &EvaluatedModel,
    base: &Solved,
    c: &[f64],
    total: f64,
    step: f64,
) -> Vec<ParameterSensitivity> {
    let run = |name: &str, v: f64| -> Result<f64, String> {
        let e = evaluate(model, &HashMap::from([(name.to_string(), v)])).map_err(|errs| {
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        let vals = system.values(model, &e, dbs, None);
        let a = base.a.with_values_from_triplets(&vals.a);
        let b = base.b.with_values_from_triplets(&vals.b);
        let mut demand = base.demand.clone();
        demand[system.reference_column] = e.demand;
        let supply = base
            .lu
            .refactor(&a)
            .map_err(|e| e.to_string())?
            .solve(&demand);
        Ok(total_of(&b, &supply, c))
    };
    let mut out: Vec<ParameterSensitivity> = eval
        .parameters
        .par_iter()
        .map(|(name, &value)| {
            if value == 0.0 {
                return ParameterSensitivity {
                    parameter: name.clone(),
                    value,
                    total_low: None,
                    total_high: None,
                    elasticity: None,
                    note: Some("the parameter is 0; a relative step is undefined".into()),
                };
            }
            let low = run(name, value * (1.0 - step));
            let high = run(name, value * (1.0 + step));
            let elasticity = match (&low, &high) {
                (Ok(l), Ok(h)) if total != 0.0 => Some(((h - l) / total) / (2.0 * step)),
                _ => None,
            };
            let note = match (&low, &high) {
                (Err(e), _) | (_, Err(e)) => Some(e.clone()),
                _ => None,
            };
            ParameterSensitivity {
                parameter: name.clone(),
                value,
                total_low: low.ok(),
                total_high: high.ok(),
                elasticity,
                note,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.elasticity
            .unwrap_or(0.0)
            .abs()
            .total_cmp(&a.elasticity.unwrap_or(0.0).abs())
            .then(a.parameter.cmp(&b.parameter))
    });
    out
}
