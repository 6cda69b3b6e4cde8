//! Splitting a multi-output process: the share of its inputs and emissions each product
//! carries.
//!
//! Zuji activities have one reference product, so a process with co-products becomes
//! one activity per product, each taking `share × ` every other exchange. Shares come
//! from the process's allocation factors of its default method (physical or economic;
//! when no default is set, the first of those present). Causal factors are per exchange
//! and are not supported; like missing factors they fall back to physical allocation by
//! amount when all products share a unit, and otherwise to giving everything to the
//! reference product — each with a warning naming what was done.

use super::json::{array, num, ref_id, str_of};
use super::read::Warnings;
use super::units::Units;
use serde_json::Value;

/// One share per product (`products[0]` is the reference product).
pub(crate) fn shares(
    v: &Value,
    file: &str,
    products: &[(&str, f64)],
    units: &Units,
    w: &mut Warnings,
) -> Vec<f64> {
    if products.len() <= 1 {
        return vec![1.0; products.len()];
    }
    let factors = array(v, "allocationFactors");
    let has = |t: &str| {
        factors
            .iter()
            .any(|f| str_of(f, "allocationType") == Some(t))
    };
    let method = match str_of(v, "defaultAllocationMethod") {
        Some(m @ ("PHYSICAL_ALLOCATION" | "ECONOMIC_ALLOCATION" | "CAUSAL_ALLOCATION")) => Some(m),
        _ => [
            "PHYSICAL_ALLOCATION",
            "ECONOMIC_ALLOCATION",
            "CAUSAL_ALLOCATION",
        ]
        .into_iter()
        .find(|t| has(t)),
    };
    let names: Vec<&str> = products
        .iter()
        .map(|(f, _)| units.flows.get(*f).map(|f| f.name.as_str()).unwrap_or(""))
        .collect();
    // The default method first; for a causal default, product-level factors of the
    // other methods (physical before economic) are the closest thing Zuji can use.
    let candidates: Vec<&str> = method
        .into_iter()
        .chain(["PHYSICAL_ALLOCATION", "ECONOMIC_ALLOCATION"])
        .filter(|m| *m != "CAUSAL_ALLOCATION")
        .collect();
    for m in candidates {
        let found: Vec<Option<f64>> = products
            .iter()
            .map(|(flow, _)| {
                factors
                    .iter()
                    .filter(|f| str_of(f, "allocationType") == Some(m))
                    .find(|f| ref_id(f, "product") == Some(*flow))
                    .and_then(|f| num(f, "value"))
                    .filter(|x| x.is_finite())
            })
            .collect();
        if found.iter().all(Option::is_some) {
            let s: Vec<f64> = found.into_iter().flatten().collect();
            let total: f64 = s.iter().sum();
            if method != Some(m) {
                w.push(
                    file,
                    "allocation",
                    format!(
                        "default method {} is not supported; the {m} factors are used",
                        method.unwrap_or("(none)")
                    ),
                );
            }
            if (total - 1.0).abs() > 1e-3 {
                w.push(
                    file,
                    "allocation",
                    format!("{m} factors sum to {total}, not 1; used as given"),
                );
            }
            return s;
        }
    }
    let why = match method {
        Some("CAUSAL_ALLOCATION") => "causal allocation factors are not supported".to_string(),
        Some(m) => format!("{m} factors are missing for some products"),
        None => "no allocation factors".to_string(),
    };
    let first_unit = units.flows.get(products[0].0).map(|f| f.ref_unit.as_str());
    let same_unit = products
        .iter()
        .all(|(f, _)| units.flows.get(*f).map(|f| f.ref_unit.as_str()) == first_unit);
    let total: f64 = products.iter().map(|(_, a)| a).sum();
    if same_unit && total != 0.0 && total.is_finite() {
        w.push(
            file,
            "allocation",
            format!(
                "{} products ({}); {why}: physical allocation by amount ({}) used",
                products.len(),
                names.join("; "),
                first_unit.unwrap_or("")
            ),
        );
        products.iter().map(|(_, a)| a / total).collect()
    } else {
        w.push(
            file,
            "allocation",
            format!(
                "{} products ({}) in different units; {why}: all burdens go to the reference product",
                products.len(),
                names.join("; ")
            ),
        );
        let mut s = vec![0.0; products.len()];
        s[0] = 1.0;
        s
    }
}
