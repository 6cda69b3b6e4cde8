//! Checking a product model and evaluating its amounts.
//!
//! [`validate`] reports every problem at once, each naming its field, so a practitioner
//! fixes a file in one pass. [`evaluate`] turns formulas into numbers for one set of
//! parameter values; the engine calls it once for a footprint and once per Monte Carlo
//! iteration or sensitivity run.

use crate::formula::{Definition, Expr, evaluate_parameters};
use crate::path::FieldPath;
use crate::product::{
    AllocationMethod, Amount, InputLink, ProductModel, RecyclingApproach, StudyStatement,
};
use crate::units::Unit;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

/// A problem in a product model, with the field it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelError {
    pub path: FieldPath,
    pub message: String,
}

impl ModelError {
    pub fn new(path: FieldPath, message: impl Into<String>) -> Self {
        ModelError {
            path,
            message: message.into(),
        }
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ModelError {}

/// A model's numbers for one set of parameter values.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluatedModel {
    pub parameters: BTreeMap<String, f64>,
    /// Position of the process whose reference output is the product.
    pub reference_process: usize,
    /// The declared unit expressed in the reference process's output unit.
    pub demand: f64,
    pub processes: Vec<EvaluatedProcess>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvaluatedProcess {
    /// Amounts of the reference output and co-products, in their own units.
    pub products: Vec<f64>,
    /// Each product's share of the process's inputs and emissions; sums to 1.
    pub allocation: Vec<f64>,
    /// Input amounts in each input's own unit (negative for avoided-burden credits).
    pub inputs: Vec<f64>,
    /// Emission amounts in kg.
    pub emissions: Vec<f64>,
}

/// A stated text must say something: a blank goal would print as if it were reported.
fn study_errors(study: &StudyStatement, errors: &mut Vec<ModelError>) {
    let sp = FieldPath::root().key("study");
    let texts = [
        ("intended_application", &study.intended_application),
        ("reasons", &study.reasons),
        ("intended_audience", &study.intended_audience),
    ];
    for (key, text) in texts {
        if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            errors.push(ModelError::new(
                sp.clone().key(key),
                "is blank; omit it or state it",
            ));
        }
    }
    if let Some(e) = &study.electricity
        && e.note.as_deref().is_some_and(|t| t.trim().is_empty())
    {
        errors.push(ModelError::new(
            sp.clone().key("electricity").key("note"),
            "is blank; omit it or state it",
        ));
    }
}

fn process_path(i: usize) -> FieldPath {
    FieldPath::root().key("process").index(i)
}

/// Parameter definitions parsed from the model; formula syntax errors are reported.
pub fn parameter_definitions(
    model: &ProductModel,
) -> Result<BTreeMap<String, Definition>, Vec<ModelError>> {
    let mut defs = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, spec) in &model.parameters {
        let path = FieldPath::root().key("parameters").key(name.clone());
        if !is_identifier(name) {
            errors.push(ModelError::new(
                path.clone(),
                format!("'{name}' is not a valid parameter name (letters, digits and _; not starting with a digit)"),
            ));
        }
        match spec.value() {
            Amount::Number(n) if n.is_finite() => {
                defs.insert(name.clone(), Definition::Value(n));
            }
            Amount::Number(n) => {
                errors.push(ModelError::new(path, format!("{n} is not a finite number")))
            }
            Amount::Formula(f) => match Expr::parse(&f) {
                Ok(e) => {
                    defs.insert(name.clone(), Definition::Formula(e));
                }
                Err(e) => errors.push(ModelError::new(path, e.to_string())),
            },
        }
        if let Err(e) = spec.uncertainty().check(match spec.value() {
            Amount::Number(n) => n,
            Amount::Formula(_) => 1.0,
        }) {
            errors.push(ModelError::new(
                FieldPath::root()
                    .key("parameters")
                    .key(name.clone())
                    .key("uncertainty"),
                e,
            ));
        }
    }
    // Undefined names are found here, all at once; cycles when evaluating.
    for (name, def) in &defs {
        if let Definition::Formula(e) = def {
            for v in e.variables() {
                if !defs.contains_key(&v) {
                    errors.push(ModelError::new(
                        FieldPath::root().key("parameters").key(name.clone()),
                        format!("parameter '{name}' refers to '{v}', which is not defined"),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(defs)
    } else {
        Err(errors)
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Everything that can be checked without background data; every problem found.
pub fn validate(model: &ProductModel) -> Vec<ModelError> {
    let mut errors = structural_errors(model);
    if errors.is_empty()
        && let Err(mut e) = evaluate(model, &HashMap::new())
    {
        errors.append(&mut e);
    }
    errors
}

fn structural_errors(model: &ProductModel) -> Vec<ModelError> {
    let mut errors = Vec::new();
    let p = &model.product;
    let prod = FieldPath::root().key("product");
    if p.name.zh.as_deref().is_none_or(|s| s.trim().is_empty()) {
        errors.push(ModelError::new(
            prod.clone().key("name").key("zh"),
            "a Chinese name (zh) is required",
        ));
    }
    if p.name.en.as_deref().is_none_or(|s| s.trim().is_empty()) {
        errors.push(ModelError::new(
            prod.clone().key("name").key("en"),
            "an English name (en) is required",
        ));
    }
    if p.category.trim().is_empty() {
        errors.push(ModelError::new(
            prod.clone().key("category"),
            "the product category is empty",
        ));
    }
    if let Some(g) = &p.gtin
        && let Err(e) = check_gtin(g)
    {
        errors.push(ModelError::new(prod.clone().key("gtin"), e));
    }
    let du = prod.clone().key("declared_unit");
    if !(p.declared_unit.amount.is_finite() && p.declared_unit.amount > 0.0) {
        errors.push(ModelError::new(
            du.clone().key("amount"),
            "the declared unit's amount must be a positive number",
        ));
    }
    let du_unit = Unit::parse(&p.declared_unit.unit)
        .map_err(|e| errors.push(ModelError::new(du.clone().key("unit"), e)));
    if p.reference_period.trim().is_empty() {
        errors.push(ModelError::new(
            prod.clone().key("reference_period"),
            "the reference period is empty",
        ));
    }
    if p.geography.trim().is_empty() {
        errors.push(ModelError::new(
            prod.clone().key("geography"),
            "the geography is empty",
        ));
    }
    if let Some(study) = &model.study {
        study_errors(study, &mut errors);
    }
    if model.processes.is_empty() {
        errors.push(ModelError::new(
            FieldPath::root().key("process"),
            "a model needs at least one [[process]]",
        ));
        return errors;
    }
    if let Err(mut e) = parameter_definitions(model) {
        errors.append(&mut e);
    }

    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, proc_) in model.processes.iter().enumerate() {
        if ids.insert(proc_.id.as_str(), i).is_some() {
            errors.push(ModelError::new(
                process_path(i).key("id"),
                format!("process id '{}' is used twice", proc_.id),
            ));
        }
        if model.parameters.contains_key(&proc_.id) {
            // Not an error in itself, but worth refusing: links and formulas would read ambiguously.
            errors.push(ModelError::new(
                process_path(i).key("id"),
                format!("'{}' is both a process id and a parameter name", proc_.id),
            ));
        }
    }
    match &p.reference_process {
        Some(r) => match ids.get(r.as_str()) {
            Some(&i) => {
                if let (Ok(du_unit), Ok(out)) =
                    (&du_unit, Unit::parse(&model.processes[i].output.unit))
                    && let Err(e) = du_unit.factor_to(&out)
                {
                    errors.push(ModelError::new(
                        du.clone().key("unit"),
                        format!(
                            "the declared unit does not match the output of process '{r}': {e}"
                        ),
                    ));
                }
            }
            None => errors.push(ModelError::new(
                prod.clone().key("reference_process"),
                format!("no process has the id '{r}'"),
            )),
        },
        None => {
            if let (Ok(du_unit), Ok(out)) = (&du_unit, Unit::parse(&model.processes[0].output.unit))
                && let Err(e) = du_unit.factor_to(&out)
            {
                errors.push(ModelError::new(
                        du.clone().key("unit"),
                        format!("the declared unit does not match the output of the first process '{}': {e}", model.processes[0].id),
                    ));
            }
        }
    }

    for (i, proc_) in model.processes.iter().enumerate() {
        let pp = process_path(i);
        if let Err(e) = Unit::parse(&proc_.output.unit) {
            errors.push(ModelError::new(pp.clone().key("output").key("unit"), e));
        }
        let mut co_ids = HashSet::new();
        for (c, co) in proc_.coproducts.iter().enumerate() {
            let cp = pp.clone().key("coproducts").index(c);
            match &co.id {
                None => errors.push(ModelError::new(
                    cp.clone().key("id"),
                    "a co-product needs an id",
                )),
                Some(id) if !co_ids.insert(id.as_str()) => errors.push(ModelError::new(
                    cp.clone().key("id"),
                    format!("co-product id '{id}' is used twice"),
                )),
                _ => {}
            }
            if let Err(e) = Unit::parse(&co.unit) {
                errors.push(ModelError::new(cp.key("unit"), e));
            }
        }
        if !proc_.coproducts.is_empty() {
            match proc_.allocation {
                None => errors.push(ModelError::new(
                    pp.clone().key("allocation"),
                    "a process with co-products needs an allocation method: physical, economic or explicit",
                )),
                Some(AllocationMethod::Economic) => {
                    for (k, prodc) in proc_.products().enumerate() {
                        if prodc.price.is_none() {
                            errors.push(ModelError::new(
                                product_path(&pp, k).key("price"),
                                "economic allocation needs a price (≥ 0) on every product",
                            ));
                        }
                    }
                }
                Some(AllocationMethod::Explicit) => {
                    for (k, prodc) in proc_.products().enumerate() {
                        if prodc.allocation_factor.is_none() {
                            errors.push(ModelError::new(
                                product_path(&pp, k).key("allocation_factor"),
                                "explicit allocation needs a factor between 0 and 1 on every product",
                            ));
                        }
                    }
                }
                Some(AllocationMethod::Physical) => {
                    let with = proc_.products().filter(|x| x.property.is_some()).count();
                    if with != 0 && with != proc_.coproducts.len() + 1 {
                        errors.push(ModelError::new(
                            pp.clone().key("allocation"),
                            "physical allocation needs a property on every product or on none",
                        ));
                    }
                }
            }
        }
        for (k, inp) in proc_.inputs.iter().enumerate() {
            let ip = pp.clone().key("inputs").index(k);
            if let Err(e) = Unit::parse(&inp.unit) {
                errors.push(ModelError::new(ip.clone().key("unit"), e));
            }
            match inp.link() {
                Err(e) => errors.push(ModelError::new(ip.clone(), e)),
                Ok(InputLink::Process { id, product }) => match ids.get(id) {
                    None => errors.push(ModelError::new(
                        ip.clone().key("process"),
                        format!("no process has the id '{id}'"),
                    )),
                    Some(&j) => {
                        let target = &model.processes[j];
                        let out_unit = match product {
                            None => Some(&target.output.unit),
                            Some(pid) => match target
                                .coproducts
                                .iter()
                                .find(|c| c.id.as_deref() == Some(pid))
                            {
                                Some(c) => Some(&c.unit),
                                None => {
                                    errors.push(ModelError::new(
                                        ip.clone().key("product"),
                                        format!("process '{id}' has no co-product '{pid}'"),
                                    ));
                                    None
                                }
                            },
                        };
                        if let (Some(u), Ok(from)) = (out_unit, Unit::parse(&inp.unit))
                            && let Ok(to) = Unit::parse(u)
                            && let Err(e) = from.factor_to(&to)
                        {
                            errors.push(ModelError::new(
                                ip.clone().key("unit"),
                                format!("input of process '{}' from process '{id}': {e}", proc_.id),
                            ));
                        }
                    }
                },
                Ok(InputLink::Dataset(d)) if d.trim().is_empty() => errors.push(ModelError::new(
                    ip.clone().key("dataset"),
                    "the dataset id is empty",
                )),
                Ok(InputLink::Dataset(_)) => {}
                Ok(InputLink::Supplier(s)) => {
                    let sp = ip.clone().key("supplier");
                    if !s.pcf.is_finite() {
                        errors.push(ModelError::new(
                            sp.clone().key("pcf"),
                            "the supplier footprint is not a finite number",
                        ));
                    }
                    if let Err(e) = Unit::parse(&s.unit) {
                        errors.push(ModelError::new(sp.clone().key("unit"), e));
                    } else if let (Ok(from), Ok(to)) =
                        (Unit::parse(&inp.unit), Unit::parse(&s.unit))
                        && let Err(e) = from.factor_to(&to)
                    {
                        errors.push(ModelError::new(
                            ip.clone().key("unit"),
                            format!(
                                "input of process '{}' from supplier '{}': {e}",
                                proc_.id, s.id
                            ),
                        ));
                    }
                    if s.source.trim().is_empty() {
                        errors.push(ModelError::new(
                            sp.clone().key("source"),
                            "a supplier footprint needs its source",
                        ));
                    }
                    if let Some(share) = s.primary_data_share
                        && !(0.0..=1.0).contains(&share)
                    {
                        errors.push(ModelError::new(
                            sp.clone().key("primary_data_share"),
                            format!("a share lies between 0 and 1, got {share}"),
                        ));
                    }
                    if let Some(q) = &s.quality
                        && let Err(e) = q.check()
                    {
                        errors.push(ModelError::new(sp.key("quality"), e));
                    }
                }
            }
            if inp.avoided && model.product.end_of_life.approach != RecyclingApproach::AvoidedBurden
            {
                errors.push(ModelError::new(
                    ip.clone().key("avoided"),
                    "an avoided-production credit needs end_of_life.approach = \"avoided-burden\"; under cut-off recycling earns no credit",
                ));
            }
            if let Some(q) = &inp.quality
                && let Err(e) = q.check()
            {
                errors.push(ModelError::new(ip.clone().key("quality"), e));
            }
        }
        for (k, em) in proc_.emissions.iter().enumerate() {
            let ep = pp.clone().key("emissions").index(k);
            match Unit::parse(&em.unit) {
                Ok(u) if u.dimension != crate::units::Dimension::Mass => {
                    errors.push(ModelError::new(
                        ep.clone().key("unit"),
                        format!(
                            "an emission is a mass of gas; '{}' is a unit of {}",
                            em.unit,
                            u.dimension.as_str()
                        ),
                    ))
                }
                Ok(_) => {}
                Err(e) => errors.push(ModelError::new(ep.clone().key("unit"), e)),
            }
            if em.gas == crate::gas::Gas::Co2e {
                errors.push(ModelError::new(
                    ep.clone().key("gas"),
                    "direct emissions are stated per gas (CO2, CH4, N2O …), not as CO2e, so they can be characterised and reported by gas",
                ));
            }
            if let Some(q) = &em.quality
                && let Err(e) = q.check()
            {
                errors.push(ModelError::new(ep.key("quality"), e));
            }
        }
    }
    errors
}

fn product_path(pp: &FieldPath, k: usize) -> FieldPath {
    if k == 0 {
        pp.clone().key("output")
    } else {
        pp.clone().key("coproducts").index(k - 1)
    }
}

/// GS1 GTIN-8/12/13/14 with its mod-10 check digit.
pub fn check_gtin(g: &str) -> Result<(), String> {
    let digits: Vec<u32> = g.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != g.len() || ![8, 12, 13, 14].contains(&digits.len()) {
        return Err(format!(
            "'{g}' is not a GTIN: expected 8, 12, 13 or 14 digits"
        ));
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    let expected = (10 - sum % 10) % 10;
    if expected != check[0] {
        return Err(format!(
            "GTIN '{g}' has check digit {}, expected {expected}",
            check[0]
        ));
    }
    Ok(())
}

/// Evaluates every amount of the model with the parameters (and `overrides`).
///
/// Call [`validate`] first for the full list of problems; this stops at evaluation errors.
pub fn evaluate(
    model: &ProductModel,
    overrides: &HashMap<String, f64>,
) -> Result<EvaluatedModel, Vec<ModelError>> {
    let defs = parameter_definitions(model)?;
    let parameters = evaluate_parameters(&defs, overrides).map_err(|e| {
        let name = match &e {
            crate::formula::ParameterError::Formula { name, .. }
            | crate::formula::ParameterError::Undefined { name, .. } => name.clone(),
            crate::formula::ParameterError::Cycle { cycle } => cycle[0].clone(),
        };
        vec![ModelError::new(
            FieldPath::root().key("parameters").key(name),
            e.to_string(),
        )]
    })?;
    let mut errors = Vec::new();
    let amount = |a: &Amount, path: FieldPath, errors: &mut Vec<ModelError>| -> f64 {
        match a {
            Amount::Number(n) if n.is_finite() => *n,
            Amount::Number(n) => {
                errors.push(ModelError::new(path, format!("{n} is not a finite number")));
                0.0
            }
            Amount::Formula(f) => {
                match Expr::parse(f).and_then(|e| e.eval(&|n| parameters.get(n).copied())) {
                    Ok(v) => v,
                    Err(e) => {
                        errors.push(ModelError::new(path, format!("formula '{f}': {e}")));
                        0.0
                    }
                }
            }
        }
    };

    let mut processes = Vec::with_capacity(model.processes.len());
    for (i, p) in model.processes.iter().enumerate() {
        let pp = process_path(i);
        let products: Vec<f64> = p
            .products()
            .enumerate()
            .map(|(k, o)| amount(&o.amount, product_path(&pp, k).key("amount"), &mut errors))
            .collect();
        for (k, v) in products.iter().enumerate() {
            if *v <= 0.0 {
                errors.push(ModelError::new(
                    product_path(&pp, k).key("amount"),
                    format!("process '{}' must produce a positive amount, got {v}", p.id),
                ));
            }
        }
        // The allocation basis of each product, evaluated: price, property or factor.
        let basis: Vec<Option<f64>> = p
            .products()
            .enumerate()
            .map(|(k, o)| {
                let (field, value) = match p.allocation {
                    Some(AllocationMethod::Economic) => ("price", &o.price),
                    Some(AllocationMethod::Explicit) => ("allocation_factor", &o.allocation_factor),
                    _ => ("property", &o.property),
                };
                let path = product_path(&pp, k).key(field);
                let v = value
                    .as_ref()
                    .map(|a| amount(a, path.clone(), &mut errors))?;
                let bad = match field {
                    "allocation_factor" => !(0.0..=1.0).contains(&v),
                    _ => v < 0.0,
                };
                if bad {
                    let range = if field == "allocation_factor" {
                        "between 0 and 1"
                    } else {
                        "≥ 0"
                    };
                    errors.push(ModelError::new(
                        path,
                        format!("{field} must be {range}, got {v}"),
                    ));
                }
                Some(v)
            })
            .collect();
        if p.allocation == Some(AllocationMethod::Explicit) && !p.coproducts.is_empty() {
            let sum: f64 = basis.iter().map(|b| b.unwrap_or(0.0)).sum();
            if (sum - 1.0).abs() > 1e-6 {
                errors.push(ModelError::new(
                    pp.clone().key("allocation"),
                    format!("explicit allocation factors sum to {sum}, not 1"),
                ));
            }
        }
        let allocation = allocation_shares(p, &products, &basis).unwrap_or_else(|e| {
            errors.push(ModelError::new(pp.clone().key("allocation"), e));
            vec![0.0; products.len()]
        });
        let inputs = p
            .inputs
            .iter()
            .enumerate()
            .map(|(k, inp)| {
                let ip = pp.clone().key("inputs").index(k);
                let v = amount(&inp.amount, ip.clone().key("amount"), &mut errors);
                if let Err(e) = inp.uncertainty.check(v) {
                    errors.push(ModelError::new(ip.key("uncertainty"), e));
                }
                if inp.avoided { -v } else { v }
            })
            .collect();
        let emissions = p
            .emissions
            .iter()
            .enumerate()
            .map(|(k, em)| {
                let ep = pp.clone().key("emissions").index(k);
                let v = amount(&em.amount, ep.clone().key("amount"), &mut errors);
                if let Err(e) = em.uncertainty.check(v) {
                    errors.push(ModelError::new(ep.key("uncertainty"), e));
                }
                v * Unit::parse(&em.unit).map(|u| u.to_base).unwrap_or(1.0)
            })
            .collect();
        processes.push(EvaluatedProcess {
            products,
            allocation,
            inputs,
            emissions,
        });
    }
    let reference_process = match &model.product.reference_process {
        Some(r) => model.processes.iter().position(|p| &p.id == r).unwrap_or(0),
        None => 0,
    };
    let demand = Unit::parse(&model.product.declared_unit.unit)
        .and_then(|du| {
            du.factor_to(&Unit::parse(
                &model.processes[reference_process].output.unit,
            )?)
        })
        .map(|f| f * model.product.declared_unit.amount)
        .unwrap_or(model.product.declared_unit.amount);
    if errors.is_empty() {
        Ok(EvaluatedModel {
            parameters,
            reference_process,
            demand,
            processes,
        })
    } else {
        Err(errors)
    }
}

/// Each product's share of a multi-output process (ISO 14044 4.3.4.2). `basis` holds
/// each product's evaluated price, property or explicit factor, as the method needs.
fn allocation_shares(
    p: &crate::product::ProcessSpec,
    amounts: &[f64],
    basis: &[Option<f64>],
) -> Result<Vec<f64>, String> {
    if p.coproducts.is_empty() {
        return Ok(vec![1.0]);
    }
    let weights: Vec<f64> = match p.allocation {
        None => return Err("a process with co-products needs an allocation method".into()),
        Some(AllocationMethod::Explicit) => basis.iter().map(|b| b.unwrap_or(0.0)).collect(),
        Some(AllocationMethod::Economic) => amounts
            .iter()
            .zip(basis)
            .map(|(a, b)| a * b.unwrap_or(0.0))
            .collect(),
        Some(AllocationMethod::Physical) if basis.iter().all(Option::is_some) => amounts
            .iter()
            .zip(basis)
            .map(|(a, b)| a * b.unwrap_or(0.0))
            .collect(),
        Some(AllocationMethod::Physical) => {
            // Without properties, amounts are compared in the base unit of their shared dimension.
            let units: Vec<Unit> = p
                .products()
                .map(|o| Unit::parse(&o.unit))
                .collect::<Result<_, _>>()?;
            if units.iter().any(|u| u.dimension != units[0].dimension) {
                return Err(
                    "physical allocation without properties needs every product in the same dimension (e.g. all masses); give each a 'property'"
                        .into(),
                );
            }
            units
                .iter()
                .zip(amounts)
                .map(|(u, a)| a * u.to_base)
                .collect()
        }
    };
    let total: f64 = weights.iter().sum();
    if !(total > 0.0 && total.is_finite()) || weights.iter().any(|w| *w < 0.0) {
        return Err(format!(
            "allocation weights must be non-negative with a positive sum, got {weights:?}"
        ));
    }
    Ok(weights.iter().map(|w| w / total).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_check_digits() {
        // GS1's own example GTIN-13: 4006381333931 (check digit 1 from the mod-10 rule).
        assert!(check_gtin("4006381333931").is_ok());
        assert!(
            check_gtin("4006381333932")
                .unwrap_err()
                .contains("expected 1")
        );
        assert!(check_gtin("12345").is_err());
        assert!(check_gtin("40063813339x1").is_err());
    }

    const STUDY_MODEL: &str = r#"
[product]
name = { zh = "钢", en = "Steel" }
category = "steel"
declared_unit = { amount = 1, unit = "t" }
boundary = "cradle-to-gate"
reference_period = "2025"
geography = "CN"

[study]
intended_application = "Disclosure to a buyer"
reasons = "  "
public_communication = false
electricity = { approach = "market-based", residual_mix = true }

[[process]]
id = "p"
stage = "production"
output = { amount = 1, unit = "t" }
"#;

    #[test]
    fn study_statement_parses_and_blank_text_is_named() {
        let model: ProductModel = toml::from_str(STUDY_MODEL).unwrap();
        let study = model.study.as_ref().unwrap();
        assert_eq!(
            study.electricity.as_ref().unwrap().approach,
            crate::product::ElectricityApproach::MarketBased
        );
        assert_eq!(study.public_communication, Some(false));
        let errors = validate(&model);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].to_string(),
            "study.reasons: is blank; omit it or state it"
        );
    }

    #[test]
    fn study_statement_refuses_unknown_approach_and_fields() {
        let bad = STUDY_MODEL.replace("market-based", "grid-average");
        let e = toml::from_str::<ProductModel>(&bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains("grid-average"), "{e}");
        let typo = STUDY_MODEL.replace("reasons =", "reason =");
        let e = toml::from_str::<ProductModel>(&typo)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field `reason`"), "{e}");
    }

    #[test]
    fn a_model_without_study_serialises_as_before() {
        // The fingerprint hashes the serialised model: an absent statement must add nothing.
        let head = STUDY_MODEL.split("[study]").next().unwrap();
        let tail = STUDY_MODEL.split("[[process]]").nth(1).unwrap();
        let model: ProductModel = toml::from_str(&format!("{head}[[process]]{tail}")).unwrap();
        assert!(model.study.is_none());
        let json = serde_json::to_string(&model).unwrap();
        assert!(!json.contains("study"), "{json}");
    }
}
