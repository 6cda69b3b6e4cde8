//! Exporting a *product model* as an olca-schema 2 package.
//!
//! The model is joined to its background databases exactly as the engine joins it
//! ([`ProductSystem::build`]), then written as an [`LciDatabase`] through the database
//! writer ([`super::write`]), plus a `ProductSystem` object. So openLCA (or Zuji's own
//! importer) computes the same footprint the engine gives for the model:
//!
//! - each model process becomes an olca `Process` (id `zuji-id:<process id>`), its
//!   reference output the quantitative reference; a process with co-products becomes
//!   one process per product (`<process id>#<co-product id>`), each with its allocated
//!   share of the inputs and emissions — the split the engine uses, written out, since
//!   olca-schema allocation factors would otherwise have to be re-derived from the
//!   model's allocation rule;
//! - inputs are `isInput` exchanges in the *provider's* unit (the model amount × the
//!   unit conversion the engine uses) with `defaultProvider` set: to the model process,
//!   to the background activity (copied with everything it reaches, id
//!   `<database id>/<activity id>`), or to a supplier-footprint process
//!   (`supplier/<process id>/<input #>/<supplier id>`) that emits its pcf as the flow
//!   "supplier footprint (CO2e, aggregated)";
//! - direct emissions become elementary flows `<gas>, <origin>` in compartment `air`
//!   (id `zuji-direct/<gas>/<origin>`), amounts in kg, carrying gas and origin;
//! - the method used (IPCC GWP100 of the chosen table) is written as one LCIA method
//!   `"<table name>" / "GWP100"` with a factor for every flow of the package that has
//!   one (removals negative), so the package is computable on its own;
//! - a `ProductSystem` names the reference process, the declared unit as target amount
//!   and one `ProcessLink` per linked input.
//!
//! Not written: parameters and formulas (amounts are the evaluated values), uncertainty
//! of model inputs (kept for background exchanges, scaled for model inputs where the
//! distribution allows), data quality and primary-data flags.

use super::JsonLdError;
use super::read::derived_uuid;
use super::units::olca_unit;
use super::write::{entity_id, export_jsonld_entries, reference, write_zip};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use zuji_calc::system::{Column, ProductSystem};
use zuji_model::gwp::GwpTable;
use zuji_model::lci::{
    Activity, CharacterisationMethod, DatabaseMeta, ElementaryFlow, Exchange, ExchangeKind,
    LciDatabase,
};
use zuji_model::product::{InputLink, ProductModel};
use zuji_model::uncertainty::Uncertainty;
use zuji_model::validate::{evaluate, validate};
use zuji_model::{Gas, Origin};

/// Id of the flow supplier footprints are emitted as.
pub const SUPPLIER_FLOW_ID: &str = "zuji-supplier-footprint-co2e";

/// The package's activity id for product `product` (0 = reference) of model process `p`.
pub fn model_activity_id(model: &ProductModel, p: usize, product: usize) -> String {
    let proc_ = &model.processes[p];
    if product == 0 {
        proc_.id.clone()
    } else {
        format!(
            "{}#{}",
            proc_.id,
            proc_.coproducts[product - 1].id.as_deref().unwrap_or("")
        )
    }
}

fn model_error(model: &str, problem: impl std::fmt::Display) -> JsonLdError {
    JsonLdError::Model {
        model: model.to_string(),
        problem: problem.to_string(),
    }
}

/// The distribution of `amount × k` given that of `amount`.
fn scale(u: Uncertainty, k: f64) -> Uncertainty {
    let bounds = |min: f64, max: f64| {
        let (a, b) = (min * k, max * k);
        if a <= b { (a, b) } else { (b, a) }
    };
    match u {
        Uncertainty::None => Uncertainty::None,
        Uncertainty::Lognormal { gsd } => Uncertainty::Lognormal { gsd },
        Uncertainty::Normal { sd } => Uncertainty::Normal { sd: sd * k.abs() },
        Uncertainty::Triangular { min, mode, max } => {
            let (min, max) = bounds(min, max);
            Uncertainty::Triangular {
                min,
                mode: mode.map(|m| m * k),
                max,
            }
        }
        Uncertainty::Uniform { min, max } => {
            let (min, max) = bounds(min, max);
            Uncertainty::Uniform { min, max }
        }
    }
}

/// The model joined to its background as one database: what the package holds.
/// `name` labels errors and becomes the database id.
pub fn product_model_database(
    model: &ProductModel,
    dbs: &[LciDatabase],
    method: &GwpTable,
    name: &str,
) -> Result<LciDatabase, JsonLdError> {
    let errors = validate(model);
    if !errors.is_empty() {
        return Err(model_error(
            name,
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    let eval = evaluate(model, &HashMap::new()).map_err(|errors| {
        model_error(
            name,
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let system = ProductSystem::build(model, dbs, method).map_err(|e| model_error(name, e))?;

    // One activity per column of the engine's system, in column order.
    let mut activities = Vec::with_capacity(system.columns.len());
    for column in &system.columns {
        activities.push(match *column {
            Column::Process { process, product } => {
                let p = &model.processes[process];
                let out = p.products().nth(product).ok_or_else(|| {
                    model_error(name, format!("process '{}' has no product {product}", p.id))
                })?;
                let base = p.name.clone().unwrap_or_else(|| p.id.clone());
                Activity {
                    id: model_activity_id(model, process, product),
                    name: match (product, &out.name, &out.id) {
                        (0, _, _) => base,
                        (_, Some(n), _) => format!("{base} — {n}"),
                        (_, None, id) => format!("{base} — {}", id.as_deref().unwrap_or("")),
                    },
                    unit: out.unit.clone(),
                    location: p
                        .location
                        .clone()
                        .unwrap_or_else(|| model.product.geography.clone()),
                    year: Some(model.product.reference_period.clone()),
                    source: p.source.clone(),
                    category: Some(format!("zuji product model/{}", p.stage)),
                    comment: Some(format!(
                        "Zuji product model process '{}', stage {}; allocation share {}",
                        p.id, p.stage, eval.processes[process].allocation[product]
                    )),
                    ..Default::default()
                }
            }
            Column::Supplier { process, input } => {
                let inp = &model.processes[process].inputs[input];
                let s = inp.supplier.as_ref().ok_or_else(|| {
                    model_error(name, format!("input {input} has no supplier footprint"))
                })?;
                Activity {
                    id: format!("supplier/{}/{input}/{}", model.processes[process].id, s.id),
                    name: s.name.clone().unwrap_or_else(|| s.id.clone()),
                    unit: s.unit.clone(),
                    source: Some(s.source.clone()),
                    category: Some("zuji product model/supplier footprints".into()),
                    comment: Some(format!(
                        "supplier footprint {}: {} kg CO2e per {}",
                        s.id, s.pcf, s.unit
                    )),
                    ..Default::default()
                }
            }
            Column::Background { db, activity } => {
                let a = &dbs[db].activities[activity];
                Activity {
                    id: format!("{}/{}", dbs[db].meta.id, a.id),
                    ..a.clone()
                }
            }
        });
    }
    let column_of: HashMap<Column, usize> = system
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i))
        .collect();

    let mut flows: Vec<ElementaryFlow> = Vec::new();
    let mut factors: Vec<(usize, f64)> = Vec::new();
    let mut direct: BTreeMap<(Gas, Origin), usize> = BTreeMap::new();
    let mut db_flows: HashMap<(usize, usize), usize> = HashMap::new();
    let mut exchanges: Vec<Exchange> = Vec::new();

    for (c, column) in system.columns.iter().enumerate() {
        match *column {
            Column::Process { process, product } => {
                let p = &model.processes[process];
                let e = &eval.processes[process];
                let share = e.allocation[product];
                exchanges.push(Exchange {
                    activity: c,
                    kind: ExchangeKind::Production,
                    input: c,
                    amount: e.products[product],
                    uncertainty: Uncertainty::None,
                });
                for (i, inp) in p.inputs.iter().enumerate() {
                    let provider = match system.providers[process][i] {
                        Some(col) => col,
                        None => {
                            let InputLink::Process { id, product: co } =
                                inp.link().map_err(|e| model_error(name, e))?
                            else {
                                return Err(model_error(name, "an input has no provider"));
                            };
                            let q =
                                model.processes.iter().position(|x| x.id == id).ok_or_else(
                                    || model_error(name, format!("no process '{id}'")),
                                )?;
                            let k = match co {
                                None => 0,
                                Some(pid) => {
                                    1 + model.processes[q]
                                        .coproducts
                                        .iter()
                                        .position(|x| x.id.as_deref() == Some(pid))
                                        .ok_or_else(|| {
                                            model_error(name, format!("no co-product '{pid}'"))
                                        })?
                                }
                            };
                            column_of[&Column::Process {
                                process: q,
                                product: k,
                            }]
                        }
                    };
                    let k = system.conversions[process][i] * share;
                    exchanges.push(Exchange {
                        activity: c,
                        kind: ExchangeKind::Technosphere,
                        input: provider,
                        amount: e.inputs[i] * k,
                        uncertainty: scale(inp.uncertainty, k),
                    });
                }
                for (m, em) in p.emissions.iter().enumerate() {
                    let key = (em.gas.clone(), em.origin);
                    let row = match direct.get(&key) {
                        Some(r) => *r,
                        None => {
                            flows.push(ElementaryFlow {
                                id: format!("zuji-direct/{}/{}", em.gas, em.origin),
                                name: format!("{}, {}", em.gas, em.origin),
                                compartment: "air".into(),
                                unit: "kg".into(),
                                gas: Some(em.gas.clone()),
                                origin: Some(em.origin),
                            });
                            factors.push((flows.len() - 1, system.emission_factors[process][m]));
                            direct.insert(key, flows.len() - 1);
                            flows.len() - 1
                        }
                    };
                    exchanges.push(Exchange {
                        activity: c,
                        kind: ExchangeKind::Biosphere,
                        input: row,
                        amount: e.emissions[m] * share,
                        uncertainty: scale(em.uncertainty, share),
                    });
                }
            }
            Column::Supplier { process, input } => {
                let pcf = model.processes[process].inputs[input]
                    .supplier
                    .as_ref()
                    .map(|s| s.pcf)
                    .unwrap_or(0.0);
                let row = match flows.iter().position(|f| f.id == SUPPLIER_FLOW_ID) {
                    Some(r) => r,
                    None => {
                        flows.push(ElementaryFlow {
                            id: SUPPLIER_FLOW_ID.into(),
                            name: "supplier footprint (CO2e, aggregated)".into(),
                            compartment: "air".into(),
                            unit: "kg".into(),
                            gas: Some(Gas::Co2e),
                            origin: Some(Origin::Unspecified),
                        });
                        factors.push((flows.len() - 1, 1.0));
                        flows.len() - 1
                    }
                };
                exchanges.push(Exchange {
                    activity: c,
                    kind: ExchangeKind::Production,
                    input: c,
                    amount: 1.0,
                    uncertainty: Uncertainty::None,
                });
                exchanges.push(Exchange {
                    activity: c,
                    kind: ExchangeKind::Biosphere,
                    input: row,
                    amount: pcf,
                    uncertainty: Uncertainty::None,
                });
            }
            Column::Background { db, activity } => {
                let d = &dbs[db];
                let own = d.method(&method.id);
                for ex in d.exchanges.iter().filter(|x| x.activity == activity) {
                    let input = match ex.kind {
                        ExchangeKind::Production => c,
                        ExchangeKind::Technosphere => {
                            column_of[&Column::Background {
                                db,
                                activity: ex.input,
                            }]
                        }
                        ExchangeKind::Biosphere => match db_flows.get(&(db, ex.input)) {
                            Some(r) => *r,
                            None => {
                                let f = &d.flows[ex.input];
                                let origin = f.origin.unwrap_or(Origin::Unspecified);
                                let factor = match &f.gas {
                                    Some(g) => method.factor(g, origin),
                                    None => own.and_then(|m| {
                                        m.factors
                                            .iter()
                                            .filter(|(k, _)| *k == ex.input)
                                            .map(|(_, v)| *v)
                                            .reduce(|a, b| a + b)
                                    }),
                                };
                                flows.push(ElementaryFlow {
                                    id: format!("{}/{}", d.meta.id, f.id),
                                    ..f.clone()
                                });
                                if let Some(v) = factor {
                                    factors.push((flows.len() - 1, v));
                                }
                                db_flows.insert((db, ex.input), flows.len() - 1);
                                flows.len() - 1
                            }
                        },
                    };
                    exchanges.push(Exchange {
                        activity: c,
                        input,
                        ..*ex
                    });
                }
            }
        }
    }
    let meta = DatabaseMeta {
        id: name.to_string(),
        version: String::new(),
        name: model.product.name.display().to_string(),
        description: model.product.description.clone(),
        licence: None,
        source: Some(format!(
            "Zuji product model joined to {}",
            dbs.iter()
                .map(|d| format!("{} {}", d.meta.id, d.meta.version))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    };
    let methods = vec![CharacterisationMethod {
        name: format!("{} / GWP100", method.name),
        factors,
    }];
    LciDatabase::new(meta, activities, flows, exchanges, methods)
        .map_err(|problem| model_error(name, problem))
}

/// Every file of the product model's package, in path order: the database writer's
/// files plus `product_systems/<id>.json`.
pub fn export_product_model_entries(
    model: &ProductModel,
    dbs: &[LciDatabase],
    method: &GwpTable,
    name: &str,
) -> Result<Vec<(String, Vec<u8>)>, JsonLdError> {
    let db = product_model_database(model, dbs, method, name)?;
    let mut entries = export_jsonld_entries(&db)?;
    let eval = evaluate(model, &HashMap::new()).map_err(|e| model_error(name, e.len()))?;
    let ps = product_system(model, &db, eval.reference_process, eval.demand);
    let id = ps["@id"].as_str().unwrap_or_default().to_string();
    let path = format!("product_systems/{id}.json");
    let bytes = serde_json::to_vec_pretty(&ps).map_err(|e| JsonLdError::Field {
        file: path.clone(),
        path: String::new(),
        problem: e.to_string(),
    })?;
    entries.push((path, bytes));
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

/// Writes the product model's package as a zip (scratch file renamed into place).
pub fn export_product_model_jsonld(
    model: &ProductModel,
    dbs: &[LciDatabase],
    method: &GwpTable,
    name: &str,
    out: &Path,
) -> Result<(), JsonLdError> {
    write_zip(
        &export_product_model_entries(model, dbs, method, name)?,
        out,
    )
}

/// The olca `ProductSystem`: reference process, target amount and one link per
/// technosphere exchange, with the exchanges' internal ids as the writer numbers them
/// (1 = the reference product, then the activity's other exchanges in order).
fn product_system(
    model: &ProductModel,
    db: &LciDatabase,
    reference_process: usize,
    demand: f64,
) -> Value {
    let process_ref = |a: usize| {
        let act = &db.activities[a];
        reference("Process", &entity_id("process", &act.id).0, &act.name)
    };
    let flow_ref = |a: usize| {
        let act = &db.activities[a];
        reference(
            "Flow",
            &derived_uuid(&format!("product:{}", act.id)),
            &act.name,
        )
    };
    let mut links = Vec::new();
    let mut internal = vec![1usize; db.activities.len()];
    for ex in &db.exchanges {
        if ex.kind == ExchangeKind::Production {
            continue;
        }
        internal[ex.activity] += 1;
        if ex.kind == ExchangeKind::Technosphere {
            links.push(json!({"@type": "ProcessLink",
                "provider": process_ref(ex.input),
                "flow": flow_ref(ex.input),
                "process": process_ref(ex.activity),
                "exchange": {"@type": "Exchange", "internalId": internal[ex.activity]}}));
        }
    }
    let ref_id = model_activity_id(model, reference_process, 0);
    let r = db.activity_position(&ref_id).unwrap_or(0);
    let unit = &db.activities[r].unit;
    let id = derived_uuid(&format!("product-system:{}", db.meta.id));
    json!({"@type": "ProductSystem", "@id": id,
        "name": model.product.name.display(),
        "description": format!("Zuji product model: {} {} of '{}'", model.product.declared_unit.amount, model.product.declared_unit.unit, ref_id),
        "refProcess": process_ref(r),
        "refExchange": {"@type": "Exchange", "internalId": 1},
        "targetAmount": demand,
        "targetUnit": reference("Unit", &derived_uuid(&format!("unit:{unit}")), &olca_unit(unit)),
        "targetFlowProperty": {"@type": "FlowProperty", "@id": derived_uuid(&format!("flow-property:{unit}"))},
        "processes": (0..db.activities.len()).map(process_ref).collect::<Vec<_>>(),
        "processLinks": links})
}
