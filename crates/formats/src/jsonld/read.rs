//! Processes → activities and exchanges: parameters and formulas, unit conversion,
//! uncertainty, splitting multi-output processes, and linking inputs to providers.

use super::JsonLdError;
use super::json::{array, category_path, field_error, flag, num, ref_id, str_of, zuji_id_tag};
use super::package::{Entity, Package};
use super::units::{FlowType, Units, zuji_unit};
use crate::ghg_flows;
use crate::import::{DatasetWarning, ImportReport};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use zuji_model::formula::{Definition, Expr, evaluate_parameters};
use zuji_model::lci::{
    Activity, DatabaseMeta, ElementaryFlow, Exchange, ExchangeKind, LciDatabase,
};
use zuji_model::uncertainty::Uncertainty;

/// Warnings collected on the way, each tagged `kind: detail` so a report can count them.
#[derive(Default)]
pub(crate) struct Warnings(pub Vec<DatasetWarning>);

impl Warnings {
    pub fn push(&mut self, dataset: &str, kind: &str, detail: impl std::fmt::Display) {
        self.0.push(DatasetWarning {
            dataset: dataset.to_string(),
            message: format!("{kind}: {detail}"),
        });
    }
}

/// A technosphere input before linking.
struct Input {
    flow: String,
    amount: f64,
    uncertainty: Uncertainty,
    provider: Option<String>,
}

/// A product of a process (an output of a product, an input of a waste to treat).
struct Product {
    flow: String,
    amount: f64,
    uncertainty: Uncertainty,
}

/// A process read and converted, not yet split or linked.
struct Parsed<'a> {
    entity: &'a Entity,
    id: String,
    activity: Activity,
    products: Vec<Product>,
    inputs: Vec<Input>,
    biosphere: Vec<(usize, f64, Uncertainty)>,
    shares: Vec<f64>,
}

pub(crate) fn build(pkg: &Package, name: &str) -> Result<ImportReport, JsonLdError> {
    let mut w = Warnings::default();
    for d in &pkg.duplicates {
        w.push(
            name,
            "duplicate",
            format!("{d} appears more than once; the first is kept"),
        );
    }
    let units = Units::index(pkg)?;

    // Elementary flows, by id order.
    let mut flows = Vec::new();
    let mut flow_pos: HashMap<&str, usize> = HashMap::new();
    let mut ids: Vec<&String> = units.flows.keys().collect();
    ids.sort();
    for id in ids {
        let f = &units.flows[id];
        if f.kind != FlowType::Elementary {
            continue;
        }
        let tag = ghg_flows::classify(&f.name, &f.category);
        flow_pos.insert(id, flows.len());
        flows.push(ElementaryFlow {
            id: f.zuji_id.clone().unwrap_or_else(|| id.clone()),
            name: f.name.clone(),
            compartment: f.category.clone(),
            unit: zuji_unit(&f.ref_unit),
            gas: tag.as_ref().map(|t| t.0.clone()),
            origin: tag.map(|t| t.1),
        });
    }

    let globals = global_parameters(pkg, &mut w);
    let mut parsed = Vec::new();
    for (id, e) in &pkg.processes {
        if let Some(p) = parse_process(pkg, id, e, &units, &flow_pos, &globals, &mut w)? {
            parsed.push(p);
        }
    }

    // One activity per product; who makes what.
    let mut activities = Vec::new();
    let mut producers: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_process: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for p in &parsed {
        for (k, prod) in p.products.iter().enumerate() {
            let mut a = p.activity.clone();
            if k > 0 {
                a.id = derived_uuid(&format!("{}/{}", p.id, prod.flow));
                let fname = units
                    .flows
                    .get(&prod.flow)
                    .map(|f| f.name.as_str())
                    .unwrap_or("");
                a.name = format!("{} | {}", p.activity.name, fname);
            }
            if let Some(f) = units.flows.get(&prod.flow) {
                a.unit = zuji_unit(&f.ref_unit);
            }
            producers
                .entry(&prod.flow)
                .or_default()
                .push(activities.len());
            by_process
                .entry(&p.id)
                .or_default()
                .insert(&prod.flow, activities.len());
            activities.push(a);
        }
    }

    let mut exchanges = Vec::new();
    let mut next = 0;
    for p in &parsed {
        let file = &p.entity.file;
        // Link once per process; every split activity shares the links.
        let mut links = Vec::with_capacity(p.inputs.len());
        for inp in &p.inputs {
            links.push(link(
                inp,
                &p.id,
                file,
                &units,
                &producers,
                &by_process,
                &mut w,
            ));
        }
        for (k, prod) in p.products.iter().enumerate() {
            let a = next + k;
            let share = p.shares[k];
            exchanges.push(Exchange {
                activity: a,
                kind: ExchangeKind::Production,
                input: a,
                amount: prod.amount,
                uncertainty: prod.uncertainty,
            });
            if share == 0.0 {
                continue;
            }
            for (inp, provider) in p.inputs.iter().zip(&links) {
                if let Some(provider) = provider {
                    exchanges.push(Exchange {
                        activity: a,
                        kind: ExchangeKind::Technosphere,
                        input: *provider,
                        amount: inp.amount * share,
                        uncertainty: scale(inp.uncertainty, share),
                    });
                }
            }
            for (flow, amount, u) in &p.biosphere {
                exchanges.push(Exchange {
                    activity: a,
                    kind: ExchangeKind::Biosphere,
                    input: *flow,
                    amount: amount * share,
                    uncertainty: scale(*u, share),
                });
            }
        }
        next += p.products.len();
    }

    let methods = super::lcia::methods(pkg, &units, &flow_pos, &mut w);
    let meta = DatabaseMeta {
        id: name.to_string(),
        version: String::new(),
        name: name.to_string(),
        description: None,
        licence: None,
        source: Some(format!("openLCA JSON-LD package {name}")),
    };
    let db = LciDatabase::new(meta, activities, flows, exchanges, methods).map_err(|problem| {
        JsonLdError::Database {
            package: name.to_string(),
            problem,
        }
    })?;
    Ok(ImportReport { db, warnings: w.0 })
}

/// A deterministic UUID-shaped id from any string (SHA-256, version nibble 5 and the
/// RFC 4122 variant set), so re-exports and re-imports give the same ids.
pub(crate) fn derived_uuid(key: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(key.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Global parameters (`parameters/` or loose `Parameter` entities of global scope).
fn global_parameters(pkg: &Package, w: &mut Warnings) -> BTreeMap<String, Definition> {
    let mut defs = BTreeMap::new();
    for e in pkg.parameters.values() {
        add_parameter(&e.value, &e.file, &mut defs, w);
    }
    defs
}

/// Adds a parameter under its lower-cased name (openLCA names are case-insensitive):
/// a formula where Zuji can parse it, else its stored value with a warning.
fn add_parameter(
    p: &Value,
    dataset: &str,
    defs: &mut BTreeMap<String, Definition>,
    w: &mut Warnings,
) {
    let Some(name) = str_of(p, "name") else {
        return;
    };
    let value = num(p, "value").unwrap_or(0.0);
    let def = match str_of(p, "formula").filter(|f| !f.trim().is_empty()) {
        Some(f) if !flag(p, &["isInputParameter", "inputParameter"]) => {
            match Expr::parse(&olca_formula(f)) {
                Ok(e) => Definition::Formula(e),
                Err(err) => {
                    w.push(
                        dataset,
                        "formula",
                        format!("parameter '{name}': {err}; its stored value {value} is used"),
                    );
                    Definition::Value(value)
                }
            }
        }
        _ => Definition::Value(value),
    };
    defs.insert(name.to_lowercase(), def);
}

#[allow(clippy::too_many_arguments)]
fn parse_process<'a>(
    pkg: &Package,
    id: &str,
    e: &'a Entity,
    units: &Units,
    flow_pos: &HashMap<&str, usize>,
    globals: &BTreeMap<String, Definition>,
    w: &mut Warnings,
) -> Result<Option<Parsed<'a>>, JsonLdError> {
    let v = &e.value;
    let file = &e.file;
    let pname = str_of(v, "name").unwrap_or("").to_string();

    // Parameters: globals, overridden by the process's own.
    let mut defs = globals.clone();
    for p in array(v, "parameters") {
        add_parameter(p, file, &mut defs, w);
    }
    let params = match evaluate_parameters(&defs, &HashMap::new()) {
        Ok(vals) => vals,
        Err(err) => {
            w.push(
                file,
                "formula",
                format!("{err}; stored parameter values are used"),
            );
            let mut stored = BTreeMap::new();
            for p in array(v, "parameters")
                .iter()
                .chain(pkg.parameters.values().map(|e| &e.value))
            {
                if let (Some(n), Some(x)) = (str_of(p, "name"), num(p, "value")) {
                    stored.entry(n.to_lowercase()).or_insert(x);
                }
            }
            stored
        }
    };

    if v.get("dqEntry").is_some()
        || array(v, "exchanges")
            .iter()
            .any(|x| x.get("dqEntry").is_some())
    {
        w.push(
            file,
            "data quality",
            "data quality entries are not imported",
        );
    }

    let mut products: Vec<Product> = Vec::new();
    let mut inputs = Vec::new();
    let mut biosphere = Vec::new();
    let mut reference: Option<usize> = None;
    let mut dropped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, x) in array(v, "exchanges").iter().enumerate() {
        let path = format!("exchanges[{i}]");
        let Some(fid) = ref_id(x, "flow") else {
            return Err(field_error(
                file,
                format!("{path}.flow"),
                "the exchange has no flow",
            ));
        };
        let Some(flow) = units.flows.get(fid) else {
            let fname = x.get("flow").and_then(|f| str_of(f, "name")).unwrap_or("");
            return Err(field_error(
                file,
                format!("{path}.flow.@id"),
                format!("flow '{fid}' ({fname}) is not in the package"),
            ));
        };
        let stored = num(x, "amount").unwrap_or(0.0);
        let mut amount = stored;
        if let Some(f) = str_of(x, "amountFormula").filter(|f| !f.trim().is_empty()) {
            match Expr::parse(&olca_formula(f)).and_then(|e| e.eval(&|n| params.get(n).copied())) {
                Ok(val) => amount = val,
                Err(err) => w.push(
                    file,
                    "formula",
                    format!(
                        "{path}.amountFormula '{f}': {err}; the stored amount {stored} is used"
                    ),
                ),
            }
        }
        let unit = x.get("unit");
        let m = units
            .to_reference(
                flow,
                ref_id(x, "flowProperty"),
                unit.and_then(|u| str_of(u, "@id")),
                unit.and_then(|u| str_of(u, "name")),
            )
            .map_err(|p| field_error(file, format!("{path}.unit"), p))?;
        let amount = amount * m;
        if !amount.is_finite() {
            return Err(field_error(
                file,
                format!("{path}.amount"),
                "the amount is not a finite number",
            ));
        }
        let (uncertainty, dropped_why) = read_uncertainty(x, m, amount);
        if let Some(why) = dropped_why {
            // Lognormals with geomSd 0 would otherwise make one warning per exchange.
            let why = why.replace(&format!("{amount}"), "the amount");
            dropped.entry(why).or_default().push(path.clone());
        }
        let is_input = flag(x, &["isInput", "input"]);
        let avoided = flag(x, &["isAvoidedProduct", "avoidedProduct"]);
        let is_ref = flag(x, &["isQuantitativeReference", "quantitativeReference"]);
        let provider = ref_id(x, "defaultProvider").map(str::to_string);
        match flow.kind {
            FlowType::Elementary => {
                if is_ref {
                    w.push(
                        file,
                        "skipped",
                        format!("{path}: the quantitative reference is an elementary flow"),
                    );
                    return Ok(None);
                }
                let resource = flow.category.to_lowercase().contains("resource");
                let sign = if is_input == resource { 1.0 } else { -1.0 };
                // Every elementary flow of the package has a position (see `build`).
                let Some(&pos) = flow_pos.get(fid) else {
                    return Err(field_error(
                        file,
                        format!("{path}.flow.@id"),
                        "not an elementary flow",
                    ));
                };
                biosphere.push((pos, sign * amount, scale(uncertainty, sign)));
            }
            kind => {
                let is_product = !avoided
                    && ((kind == FlowType::Product && !is_input)
                        || (kind == FlowType::Waste && is_input));
                if is_product {
                    if amount == 0.0 {
                        if is_ref {
                            w.push(
                                file,
                                "skipped",
                                format!("{path}: the reference amount is zero"),
                            );
                            return Ok(None);
                        }
                        w.push(
                            file,
                            "allocation",
                            format!(
                                "{path}: co-product '{}' has amount zero and is left out",
                                flow.name
                            ),
                        );
                        continue;
                    }
                    if let Some(k) = products.iter().position(|p| p.flow == fid) {
                        products[k].amount += amount;
                        products[k].uncertainty = Uncertainty::None;
                        if is_ref {
                            reference = Some(k);
                        }
                        continue;
                    }
                    if is_ref {
                        reference = Some(products.len());
                    }
                    products.push(Product {
                        flow: fid.to_string(),
                        amount,
                        uncertainty,
                    });
                } else {
                    if is_ref {
                        w.push(file, "skipped", format!("{path}: the quantitative reference is not a product output or a waste input"));
                        return Ok(None);
                    }
                    let sign = if avoided { -1.0 } else { 1.0 };
                    inputs.push(Input {
                        flow: fid.to_string(),
                        amount: sign * amount,
                        uncertainty: scale(uncertainty, sign),
                        provider,
                    });
                }
            }
        }
    }
    let Some(reference) = reference else {
        w.push(
            file,
            "skipped",
            format!("process '{pname}' has no quantitative reference; it is not imported"),
        );
        return Ok(None);
    };
    products.swap(0, reference);
    for (why, paths) in dropped {
        let shown: Vec<&str> = paths.iter().take(5).map(String::as_str).collect();
        let more = if paths.len() > 5 { ", …" } else { "" };
        w.push(
            file,
            "uncertainty",
            format!(
                "{} exchange(s) ({}{more}): {why}; their uncertainty is dropped",
                paths.len(),
                shown.join(", ")
            ),
        );
    }
    let shares = super::alloc::shares(v, file, &products_view(&products), units, w);

    let location = match v.get("location") {
        Some(Value::String(s)) => s.clone(),
        Some(r) => str_of(r, "@id")
            .and_then(|lid| pkg.locations.get(lid))
            .and_then(|l| str_of(&l.value, "code"))
            .or_else(|| str_of(r, "name"))
            .unwrap_or("")
            .to_string(),
        None => String::new(),
    };
    let activity = Activity {
        id: zuji_id_tag(v).unwrap_or_else(|| id.to_string()),
        name: pname,
        unit: String::new(),
        location,
        category: Some(category_path(v, &pkg.folders)).filter(|c| !c.is_empty()),
        comment: str_of(v, "description")
            .filter(|d| !d.is_empty())
            .map(str::to_string),
        ..Default::default()
    };
    Ok(Some(Parsed {
        entity: e,
        id: id.to_string(),
        activity,
        products,
        inputs,
        biosphere,
        shares,
    }))
}

fn products_view(p: &[Product]) -> Vec<(&str, f64)> {
    p.iter().map(|p| (p.flow.as_str(), p.amount)).collect()
}

/// Links an input to its default provider, else to the unique producer of its flow;
/// `None` (with a warning saying the input is cut off) when neither exists.
fn link(
    inp: &Input,
    process: &str,
    file: &str,
    units: &Units,
    producers: &HashMap<&str, Vec<usize>>,
    by_process: &HashMap<&str, HashMap<&str, usize>>,
    w: &mut Warnings,
) -> Option<usize> {
    let fname = units
        .flows
        .get(&inp.flow)
        .map(|f| f.name.as_str())
        .unwrap_or("");
    if let Some(dp) = &inp.provider {
        if let Some(a) = by_process
            .get(dp.as_str())
            .and_then(|m| m.get(inp.flow.as_str()))
        {
            return Some(*a);
        }
        w.push(file, "provider", format!("default provider '{dp}' of '{fname}' is not an imported process making it; linking by flow"));
    }
    match producers.get(inp.flow.as_str()).map(Vec::as_slice) {
        Some([one]) => Some(*one),
        Some(many) if many.len() > 1 => {
            // A process consuming its own product links to itself, as openLCA does.
            if let Some(a) = by_process
                .get(process)
                .and_then(|m| m.get(inp.flow.as_str()))
            {
                return Some(*a);
            }
            w.push(file, "unlinked input", format!("'{fname}' ({}) is made by {} processes and has no default provider; the input is cut off", inp.flow, many.len()));
            None
        }
        _ => {
            w.push(
                file,
                "unlinked input",
                format!(
                    "no process in the package makes '{fname}' ({}); the input is cut off",
                    inp.flow
                ),
            );
            None
        }
    }
}

/// Reads an exchange's uncertainty in its own unit and converts it with factor `m`.
/// A distribution Zuji cannot use (an unknown type, a lognormal with geomSd 0, bounds
/// that exclude the amount) is dropped; the second value says why, for the warning.
fn read_uncertainty(x: &Value, m: f64, amount: f64) -> (Uncertainty, Option<String>) {
    let Some(u) = x.get("uncertainty").filter(|u| u.is_object()) else {
        return (Uncertainty::None, None);
    };
    let kind = str_of(u, "distributionType").unwrap_or("");
    let get = |k: &str| num(u, k);
    let parsed = match kind {
        "LOG_NORMAL_DISTRIBUTION" => get("geomSd").map(|gsd| Uncertainty::Lognormal { gsd }),
        "NORMAL_DISTRIBUTION" => get("sd").map(|sd| Uncertainty::Normal { sd }),
        "TRIANGLE_DISTRIBUTION" => match (get("minimum"), get("maximum")) {
            (Some(min), Some(max)) => Some(Uncertainty::Triangular {
                min,
                mode: get("mode"),
                max,
            }),
            _ => None,
        },
        "UNIFORM_DISTRIBUTION" => match (get("minimum"), get("maximum")) {
            (Some(min), Some(max)) => Some(Uncertainty::Uniform { min, max }),
            _ => None,
        },
        "" | "NO_DISTRIBUTION" => return (Uncertainty::None, None),
        other => {
            let why = format!("distribution '{other}' is not supported");
            return (Uncertainty::None, Some(why));
        }
    };
    let Some(parsed) = parsed else {
        return (
            Uncertainty::None,
            Some(format!("{kind} lacks its parameters")),
        );
    };
    let scaled = scale(parsed, m);
    match scaled.check(amount) {
        Ok(()) => (scaled, None),
        Err(e) => (Uncertainty::None, Some(e)),
    }
}

/// The distribution of `k ×` an amount (a unit conversion, an allocation share, a sign).
pub(crate) fn scale(u: Uncertainty, k: f64) -> Uncertainty {
    match u {
        Uncertainty::None | Uncertainty::Lognormal { .. } => u,
        Uncertainty::Normal { sd } => Uncertainty::Normal { sd: sd * k.abs() },
        Uncertainty::Triangular { min, mode, max } => {
            let (min, max) = lo_hi(min, max, k);
            Uncertainty::Triangular {
                min,
                mode: mode.map(|m| m * k),
                max,
            }
        }
        Uncertainty::Uniform { min, max } => {
            let (min, max) = lo_hi(min, max, k);
            Uncertainty::Uniform { min, max }
        }
    }
}

fn lo_hi(a: f64, b: f64, k: f64) -> (f64, f64) {
    if k >= 0.0 {
        (a * k, b * k)
    } else {
        (b * k, a * k)
    }
}

/// openLCA's formula dialect in Zuji's grammar: names are case-insensitive (lower-cased
/// here, like the parameter names), `;` may separate arguments (locales with decimal
/// commas), `=` compares and `<>` is not-equal.
pub(crate) fn olca_formula(f: &str) -> String {
    let f = f.to_lowercase().replace(';', ",").replace("<>", "!=");
    let chars: Vec<char> = f.chars().collect();
    let mut out = String::with_capacity(f.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c == '=' && !matches!(prev, Some('<' | '>' | '!' | '=')) && next != Some('=') {
            out.push_str("==");
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openlca_formula_dialect() {
        assert_eq!(olca_formula("IF(a=1;B;C)"), "if(a==1,b,c)");
        assert_eq!(olca_formula("a<>b and c>=d"), "a!=b and c>=d");
        let e = Expr::parse(&olca_formula("if(CoalType=2;2*X;0)")).unwrap();
        let v = e
            .eval(&|n| match n {
                "coaltype" => Some(2.0),
                "x" => Some(3.5),
                _ => None,
            })
            .unwrap();
        assert_eq!(v, 7.0);
    }

    #[test]
    fn derived_ids_are_uuids_and_stable() {
        let a = derived_uuid("process:a0");
        assert_eq!(a, derived_uuid("process:a0"));
        assert_ne!(a, derived_uuid("process:a1"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5");
    }

    #[test]
    fn scaling_a_distribution_keeps_it_ordered() {
        let u = Uncertainty::Triangular {
            min: 1.0,
            mode: Some(2.0),
            max: 4.0,
        };
        assert_eq!(
            scale(u, -2.0),
            Uncertainty::Triangular {
                min: -8.0,
                mode: Some(-4.0),
                max: -2.0
            }
        );
        assert_eq!(
            scale(Uncertainty::Normal { sd: 0.5 }, -3.0),
            Uncertainty::Normal { sd: 1.5 }
        );
    }
}
