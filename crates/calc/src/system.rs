//! The product system: a product model joined to its background databases as the
//! matrices A (technosphere), B (interventions) and the characterisation vector c.
//!
//! Columns are, in order: one per product of each model process (a process with
//! co-products gets one column per product, each carrying its allocated share of the
//! inputs and emissions), then one per supplier footprint input, then every background
//! activity reachable from the model. Background activities never consume model
//! products, so A is block lower-triangular and the unit scores of background columns
//! are the background database's own.
//!
//! The structure is built once; [`ProductSystem::values`] fills in numbers for one
//! evaluation of the model, which is what Monte Carlo and sensitivity runs repeat.

use crate::error::CalcError;
use crate::rng::Rng;
use std::collections::{BTreeMap, HashMap, VecDeque};
use zuji_model::gwp::GwpTable;
use zuji_model::lci::{ExchangeKind, LciDatabase};
use zuji_model::path::FieldPath;
use zuji_model::product::{InputLink, ProductModel};
use zuji_model::units::Unit;
use zuji_model::validate::{EvaluatedModel, ModelError};
use zuji_model::{Gas, LifeCycleStage, Origin, Uncertainty};

/// What a column of A stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Product `product` (0 = reference output) of model process `process`.
    Process { process: usize, product: usize },
    /// The supplier footprint on input `input` of model process `process`.
    Supplier { process: usize, input: usize },
    /// Activity `activity` of background database `db`.
    Background { db: usize, activity: usize },
}

/// An elementary flow of the system: a database flow or a direct emission of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemFlow {
    pub label: String,
    pub gas: Option<Gas>,
    pub origin: Origin,
    /// kg CO2e per unit of the flow under the chosen method.
    pub factor: f64,
}

#[derive(Debug, Clone, Copy)]
enum Value {
    /// Amount of product `product` of process `process`.
    Production {
        process: usize,
        product: usize,
    },
    /// −(input amount) × unit conversion × allocation share of `product`.
    Input {
        process: usize,
        product: usize,
        input: usize,
        conversion: f64,
    },
    /// Emission amount (kg) × allocation share × sign of the origin.
    Emission {
        process: usize,
        product: usize,
        emission: usize,
    },
    /// The supplier's footprint per unit, as kg CO2e.
    SupplierFootprint {
        process: usize,
        input: usize,
    },
    Constant(f64),
    /// Exchange `exchange` of database `db`, negated for technosphere inputs.
    Exchange {
        db: usize,
        exchange: usize,
        negate: bool,
    },
}

/// The system's structure and how to fill it with numbers.
#[derive(Debug, Clone)]
pub struct ProductSystem {
    pub columns: Vec<Column>,
    pub flows: Vec<SystemFlow>,
    /// Providers of each model input, `[process][input]`; `None` for links to model processes.
    pub providers: Vec<Vec<Option<usize>>>,
    /// Unit conversion of each model input into its provider's unit, `[process][input]`.
    pub conversions: Vec<Vec<f64>>,
    /// kg CO2e per kg of each direct emission, `[process][emission]`.
    pub emission_factors: Vec<Vec<f64>>,
    /// Column of each model product, `[process][product]`.
    pub product_columns: Vec<Vec<usize>>,
    pub reference_column: usize,
    a_entries: Vec<(usize, usize, Value)>,
    b_entries: Vec<(usize, usize, Value)>,
    /// Flows without a gas and without a factor in the database's own method.
    pub uncharacterised_flows: usize,
}

/// Per-evaluation numbers in the order of the system's entries.
pub struct SystemValues {
    pub a: Vec<(usize, usize, f64)>,
    pub b: Vec<(usize, usize, f64)>,
}

/// Finds a dataset id in the databases: `db-id/activity-id`, or a bare activity id
/// that exactly one database has.
pub fn resolve_dataset(dbs: &[LciDatabase], id: &str) -> Result<(usize, usize), String> {
    for (d, db) in dbs.iter().enumerate() {
        if let Some(rest) = id
            .strip_prefix(&db.meta.id)
            .and_then(|r| r.strip_prefix('/'))
            && let Some(a) = db.activity_position(rest)
        {
            return Ok((d, a));
        }
    }
    let hits: Vec<(usize, usize)> = dbs
        .iter()
        .enumerate()
        .filter_map(|(d, db)| db.activity_position(id).map(|a| (d, a)))
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => Err(format!(
            "no background dataset '{id}' in {}",
            if dbs.is_empty() {
                "(no database loaded)".to_string()
            } else {
                dbs.iter()
                    .map(|d| format!("'{}' {}", d.meta.id, d.meta.version))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )),
        _ => Err(format!(
            "dataset '{id}' is in several databases ({}); prefix it with the database id",
            hits.iter()
                .map(|(d, _)| dbs[*d].meta.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn input_path(p: usize, i: usize) -> FieldPath {
    FieldPath::root()
        .key("process")
        .index(p)
        .key("inputs")
        .index(i)
}

impl ProductSystem {
    /// Builds the structure. Links and units are checked here, against the databases.
    pub fn build(
        model: &ProductModel,
        dbs: &[LciDatabase],
        method: &GwpTable,
    ) -> Result<ProductSystem, CalcError> {
        let mut cols = ColumnIndex::default();
        let mut product_columns: Vec<Vec<usize>> = Vec::new();
        for (p, proc_) in model.processes.iter().enumerate() {
            let pc: Vec<usize> = (0..=proc_.coproducts.len())
                .map(|k| {
                    cols.insert(Column::Process {
                        process: p,
                        product: k,
                    })
                    .0
                })
                .collect();
            product_columns.push(pc);
        }
        let reference = model
            .product
            .reference_process
            .as_ref()
            .and_then(|r| model.processes.iter().position(|p| &p.id == r))
            .unwrap_or(0);
        let reference_column = product_columns[reference][0];

        // Resolve every input: to a model product, a supplier column, or a background activity.
        enum Link {
            Model { column: usize, conversion: f64 },
            Provider { column: usize, conversion: f64 },
        }
        let mut links: Vec<Vec<Link>> = Vec::new();
        let mut bg_queue: VecDeque<(usize, usize)> = VecDeque::new();
        for (p, proc_) in model.processes.iter().enumerate() {
            let mut row = Vec::new();
            for (i, inp) in proc_.inputs.iter().enumerate() {
                let path = input_path(p, i);
                let link_err = |field: &str, msg: String| {
                    CalcError::Link(ModelError::new(path.clone().key(field), msg))
                };
                let from = Unit::parse(&inp.unit).map_err(|e| link_err("unit", e))?;
                let convert = |to_unit: &str, what: &str| -> Result<f64, CalcError> {
                    let to = Unit::parse(to_unit)
                        .map_err(|e| link_err("unit", format!("{what}: {e}")))?;
                    from.factor_to(&to).map_err(|e| {
                        link_err(
                            "unit",
                            format!(
                                "input {i} of process '{}' ({what}, expects {to_unit}): {e}",
                                proc_.id
                            ),
                        )
                    })
                };
                let link =
                    match inp
                        .link()
                        .map_err(|e| CalcError::Link(ModelError::new(path.clone(), e)))?
                    {
                        InputLink::Process { id, product } => {
                            let q = model.processes.iter().position(|x| x.id == id).ok_or_else(
                                || link_err("process", format!("no process has the id '{id}'")),
                            )?;
                            let k = match product {
                                None => 0,
                                Some(pid) => {
                                    1 + model.processes[q]
                                        .coproducts
                                        .iter()
                                        .position(|c| c.id.as_deref() == Some(pid))
                                        .ok_or_else(|| {
                                            link_err(
                                                "product",
                                                format!("process '{id}' has no co-product '{pid}'"),
                                            )
                                        })?
                                }
                            };
                            let unit = if k == 0 {
                                &model.processes[q].output.unit
                            } else {
                                &model.processes[q].coproducts[k - 1].unit
                            };
                            Link::Model {
                                column: product_columns[q][k],
                                conversion: convert(unit, &format!("process '{id}'"))?,
                            }
                        }
                        InputLink::Supplier(s) => {
                            let conversion =
                                convert(&s.unit, &format!("supplier footprint '{}'", s.id))?;
                            Link::Provider {
                                column: cols
                                    .insert(Column::Supplier {
                                        process: p,
                                        input: i,
                                    })
                                    .0,
                                conversion,
                            }
                        }
                        InputLink::Dataset(id) => {
                            let (d, a) =
                                resolve_dataset(dbs, id).map_err(|e| link_err("dataset", e))?;
                            let act = &dbs[d].activities[a];
                            let conversion = convert(&act.unit, &format!("dataset '{id}'"))?;
                            let (column, new) =
                                cols.insert(Column::Background { db: d, activity: a });
                            if new {
                                bg_queue.push_back((d, a));
                            }
                            Link::Provider { column, conversion }
                        }
                    };
                row.push(link);
            }
            links.push(row);
        }

        // Everything a background activity reaches, breadth first.
        let by_activity: Vec<Vec<Vec<usize>>> = dbs
            .iter()
            .map(|db| {
                let mut v = vec![Vec::new(); db.activities.len()];
                for (e, ex) in db.exchanges.iter().enumerate() {
                    v[ex.activity].push(e);
                }
                v
            })
            .collect();
        while let Some((d, a)) = bg_queue.pop_front() {
            for &e in &by_activity[d][a] {
                let ex = &dbs[d].exchanges[e];
                if ex.kind == ExchangeKind::Technosphere
                    && cols
                        .insert(Column::Background {
                            db: d,
                            activity: ex.input,
                        })
                        .1
                {
                    bg_queue.push_back((d, ex.input));
                }
            }
        }
        let ColumnIndex {
            columns,
            index: col_index,
        } = cols;

        // Flows: database flows by (db, flow), direct emissions by (gas, origin).
        let mut flows: Vec<SystemFlow> = Vec::new();
        let mut db_flow: HashMap<(usize, usize), usize> = HashMap::new();
        let mut direct_flow: BTreeMap<(Gas, Origin), usize> = BTreeMap::new();
        let mut uncharacterised = 0;
        let mut a_entries = Vec::new();
        let mut b_entries = Vec::new();

        for (p, proc_) in model.processes.iter().enumerate() {
            for (k, &col) in product_columns[p].iter().enumerate() {
                a_entries.push((
                    col,
                    col,
                    Value::Production {
                        process: p,
                        product: k,
                    },
                ));
                for (i, link) in links[p].iter().enumerate() {
                    let (Link::Model { column, conversion }
                    | Link::Provider { column, conversion }) = *link;
                    a_entries.push((
                        column,
                        col,
                        Value::Input {
                            process: p,
                            product: k,
                            input: i,
                            conversion,
                        },
                    ));
                }
                for (e, em) in proc_.emissions.iter().enumerate() {
                    let key = (em.gas.clone(), em.origin);
                    let row = match direct_flow.get(&key) {
                        Some(r) => *r,
                        None => {
                            let factor = method.factor(&em.gas, em.origin).ok_or_else(|| {
                                CalcError::Method {
                                    method: method.id.clone(),
                                    message: format!(
                                        "process '{}' emits {}, which has no GWP in {}",
                                        proc_.id, em.gas, method.name
                                    ),
                                }
                            })?;
                            flows.push(SystemFlow {
                                label: format!("{} ({}, direct)", em.gas, em.origin),
                                gas: Some(em.gas.clone()),
                                origin: em.origin,
                                factor,
                            });
                            direct_flow.insert(key, flows.len() - 1);
                            flows.len() - 1
                        }
                    };
                    b_entries.push((
                        row,
                        col,
                        Value::Emission {
                            process: p,
                            product: k,
                            emission: e,
                        },
                    ));
                }
            }
        }
        let supplier_flow = {
            flows.push(SystemFlow {
                label: "supplier footprints (CO2e, aggregated)".into(),
                gas: Some(Gas::Co2e),
                origin: Origin::Unspecified,
                factor: 1.0,
            });
            flows.len() - 1
        };
        for (c, column) in columns.iter().enumerate() {
            match *column {
                Column::Process { .. } => {}
                Column::Supplier { process, input } => {
                    a_entries.push((c, c, Value::Constant(1.0)));
                    b_entries.push((
                        supplier_flow,
                        c,
                        Value::SupplierFootprint { process, input },
                    ));
                }
                Column::Background { db, activity } => {
                    let dbr = &dbs[db];
                    let method_factors: Option<HashMap<usize, f64>> = dbr
                        .method(&method.id)
                        .map(|m| m.factors.iter().copied().collect());
                    for &e in &by_activity[db][activity] {
                        let ex = &dbr.exchanges[e];
                        match ex.kind {
                            ExchangeKind::Production => a_entries.push((
                                c,
                                c,
                                Value::Exchange {
                                    db,
                                    exchange: e,
                                    negate: false,
                                },
                            )),
                            ExchangeKind::Technosphere => {
                                let row = col_index[&Column::Background {
                                    db,
                                    activity: ex.input,
                                }];
                                a_entries.push((
                                    row,
                                    c,
                                    Value::Exchange {
                                        db,
                                        exchange: e,
                                        negate: true,
                                    },
                                ));
                            }
                            ExchangeKind::Biosphere => {
                                let row = match db_flow.get(&(db, ex.input)) {
                                    Some(r) => *r,
                                    None => {
                                        let f = &dbr.flows[ex.input];
                                        let origin = f.origin.unwrap_or(Origin::Unspecified);
                                        let factor = match &f.gas {
                                            Some(g) => method.factor(g, origin).ok_or_else(|| CalcError::Method {
                                                method: method.id.clone(),
                                                message: format!(
                                                    "flow '{}' of database '{}' is {g}, which has no GWP in {}",
                                                    f.id, dbr.meta.id, method.name
                                                ),
                                            })?,
                                            None => match method_factors.as_ref().and_then(|m| m.get(&ex.input)) {
                                                Some(v) => *v,
                                                None => {
                                                    uncharacterised += 1;
                                                    0.0
                                                }
                                            },
                                        };
                                        flows.push(SystemFlow {
                                            label: format!("{} ({})", f.name, f.compartment),
                                            gas: f.gas.clone(),
                                            origin,
                                            factor,
                                        });
                                        db_flow.insert((db, ex.input), flows.len() - 1);
                                        flows.len() - 1
                                    }
                                };
                                b_entries.push((
                                    row,
                                    c,
                                    Value::Exchange {
                                        db,
                                        exchange: e,
                                        negate: false,
                                    },
                                ));
                            }
                        }
                    }
                }
            }
        }
        let providers = links
            .iter()
            .map(|row| {
                row.iter()
                    .map(|l| match l {
                        Link::Model { .. } => None,
                        Link::Provider { column, .. } => Some(*column),
                    })
                    .collect()
            })
            .collect();
        let conversions = links
            .iter()
            .map(|row| {
                row.iter()
                    .map(
                        |(Link::Model { conversion, .. } | Link::Provider { conversion, .. })| {
                            *conversion
                        },
                    )
                    .collect()
            })
            .collect();
        let emission_factors = model
            .processes
            .iter()
            .map(|p| {
                p.emissions
                    .iter()
                    .map(|e| flows[direct_flow[&(e.gas.clone(), e.origin)]].factor)
                    .collect()
            })
            .collect();
        Ok(ProductSystem {
            columns,
            flows,
            providers,
            conversions,
            emission_factors,
            product_columns,
            reference_column,
            a_entries,
            b_entries,
            uncharacterised_flows: uncharacterised,
        })
    }

    pub fn dim(&self) -> usize {
        self.columns.len()
    }

    /// The characterisation vector c (kg CO2e per unit of each flow).
    pub fn characterisation(&self) -> Vec<f64> {
        self.flows.iter().map(|f| f.factor).collect()
    }

    /// Numbers for one evaluation of the model. With `rng`, every amount that has an
    /// uncertainty is sampled (model inputs and emissions, background exchanges), in a
    /// fixed order so that a seed always gives the same draw.
    pub fn values(
        &self,
        model: &ProductModel,
        eval: &EvaluatedModel,
        dbs: &[LciDatabase],
        mut rng: Option<&mut Rng>,
    ) -> SystemValues {
        let mut sample = |amount: f64, u: &Uncertainty| -> f64 {
            match rng.as_deref_mut() {
                Some(r) if !u.is_none() => {
                    let z = r.standard_normal();
                    let v = r.uniform01();
                    u.sample(amount, z, v)
                }
                _ => amount,
            }
        };
        // Sample each model input and emission once, whatever number of columns it enters.
        let inputs: Vec<Vec<f64>> = model
            .processes
            .iter()
            .zip(&eval.processes)
            .map(|(p, e)| {
                // A credit's distribution describes the avoided amount, which is positive.
                p.inputs
                    .iter()
                    .zip(&e.inputs)
                    .map(|(i, a)| {
                        if i.avoided {
                            -sample(-*a, &i.uncertainty)
                        } else {
                            sample(*a, &i.uncertainty)
                        }
                    })
                    .collect()
            })
            .collect();
        let emissions: Vec<Vec<f64>> = model
            .processes
            .iter()
            .zip(&eval.processes)
            .map(|(p, e)| {
                p.emissions
                    .iter()
                    .zip(&e.emissions)
                    .map(|(m, a)| sample(*a, &m.uncertainty))
                    .collect()
            })
            .collect();
        let mut value = |v: &Value| -> f64 {
            match *v {
                Value::Production { process, product } => eval.processes[process].products[product],
                Value::Input {
                    process,
                    product,
                    input,
                    conversion,
                } => {
                    -inputs[process][input]
                        * conversion
                        * eval.processes[process].allocation[product]
                }
                Value::Emission {
                    process,
                    product,
                    emission,
                } => emissions[process][emission] * eval.processes[process].allocation[product],
                Value::SupplierFootprint { process, input } => model.processes[process].inputs
                    [input]
                    .supplier
                    .as_ref()
                    .map(|s| s.pcf)
                    .unwrap_or(0.0),
                Value::Constant(c) => c,
                Value::Exchange {
                    db,
                    exchange,
                    negate,
                } => {
                    // Each database exchange enters exactly one entry, so it is sampled once.
                    let ex = &dbs[db].exchanges[exchange];
                    let a = sample(ex.amount, &ex.uncertainty);
                    if negate { -a } else { a }
                }
            }
        };
        let a = self
            .a_entries
            .iter()
            .map(|(r, c, v)| (*r, *c, value(v)))
            .collect();
        let b = self
            .b_entries
            .iter()
            .map(|(r, c, v)| (*r, *c, value(v)))
            .collect();
        SystemValues { a, b }
    }

    /// A label for a column, as shown in breakdowns and the contribution tree.
    pub fn column_label(&self, c: usize, model: &ProductModel, dbs: &[LciDatabase]) -> ColumnLabel {
        match self.columns[c] {
            Column::Process { process, product } => {
                let p = &model.processes[process];
                let name = p.name.clone().unwrap_or_else(|| p.id.clone());
                let (id, unit) = if product == 0 {
                    (p.id.clone(), p.output.unit.clone())
                } else {
                    let co = &p.coproducts[product - 1];
                    (
                        format!("{}#{}", p.id, co.id.clone().unwrap_or_default()),
                        co.unit.clone(),
                    )
                };
                ColumnLabel {
                    kind: "process",
                    id,
                    name,
                    unit,
                    stage: Some(p.stage),
                }
            }
            Column::Supplier { process, input } => {
                let inp = &model.processes[process].inputs[input];
                let s = inp.supplier.as_ref();
                ColumnLabel {
                    kind: "supplier",
                    id: s.map(|s| s.id.clone()).unwrap_or_default(),
                    name: s
                        .and_then(|s| s.name.clone())
                        .unwrap_or_else(|| s.map(|s| s.id.clone()).unwrap_or_default()),
                    unit: s.map(|s| s.unit.clone()).unwrap_or_default(),
                    stage: inp.stage,
                }
            }
            Column::Background { db, activity } => {
                let a = &dbs[db].activities[activity];
                ColumnLabel {
                    kind: "dataset",
                    id: format!("{}/{}", dbs[db].meta.id, a.id),
                    name: a.name.clone(),
                    unit: a.unit.clone(),
                    stage: None,
                }
            }
        }
    }
}

/// Columns in order of first appearance, with their positions.
#[derive(Default)]
struct ColumnIndex {
    columns: Vec<Column>,
    index: HashMap<Column, usize>,
}

impl ColumnIndex {
    /// The column's position, and whether it was new.
    fn insert(&mut self, c: Column) -> (usize, bool) {
        if let Some(&i) = self.index.get(&c) {
            return (i, false);
        }
        self.columns.push(c);
        self.index.insert(c, self.columns.len() - 1);
        (self.columns.len() - 1, true)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColumnLabel {
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub unit: String,
    pub stage: Option<LifeCycleStage>,
}
