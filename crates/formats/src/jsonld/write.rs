//! Writing an [`LciDatabase`] as an olca-schema 2 package.
//!
//! Each Zuji unit gets its own unit group (with that unit as reference) and flow
//! property, so every flow's reference unit is the unit Zuji holds and a re-import gives
//! the same amounts; each activity becomes a process with a product flow of its own;
//! technosphere inputs carry a `defaultProvider`, so linking back is exact. Ids that are
//! UUIDs are kept; others get a UUID derived from them (SHA-256) and travel in a
//! `zuji-id:` tag. JSON objects are written with sorted keys and zip entries in sorted
//! order with a fixed timestamp, so an export is byte-for-byte reproducible.

use super::JsonLdError;
use super::json::ZUJI_ID_TAG;
use super::read::derived_uuid;
use super::units::olca_unit;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use zuji_model::lci::{ExchangeKind, LciDatabase};
use zuji_model::uncertainty::Uncertainty;
use zuji_model::units::Unit;

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The package id of a Zuji id, and the tags that carry a non-UUID id.
pub(crate) fn entity_id(kind: &str, id: &str) -> (String, Vec<String>) {
    if is_uuid(id) {
        (id.to_string(), vec![])
    } else {
        (
            derived_uuid(&format!("{kind}:{id}")),
            vec![format!("{ZUJI_ID_TAG}{id}")],
        )
    }
}

pub(crate) fn reference(kind: &str, id: &str, name: &str) -> Value {
    json!({"@type": kind, "@id": id, "name": name})
}

struct UnitRefs {
    unit: Value,
    property: Value,
}

/// Every file of the package, in path order: what [`export_jsonld`](super::export_jsonld)
/// zips, and what tests compare with golden files.
pub fn export_jsonld_entries(db: &LciDatabase) -> Result<Vec<(String, Vec<u8>)>, JsonLdError> {
    let mut files: BTreeMap<String, Value> = BTreeMap::new();
    files.insert("olca-schema.json".into(), json!({"version": 2}));

    // Units: one group and flow property per Zuji unit.
    let mut unit_names: BTreeSet<&str> = BTreeSet::new();
    unit_names.extend(db.activities.iter().map(|a| a.unit.as_str()));
    unit_names.extend(db.flows.iter().map(|f| f.unit.as_str()));
    let mut unit_refs: BTreeMap<&str, UnitRefs> = BTreeMap::new();
    for u in unit_names {
        let name = olca_unit(u);
        let dim = Unit::parse(u)
            .map(|p| p.dimension.as_str())
            .unwrap_or("quantity");
        let gid = derived_uuid(&format!("unit-group:{u}"));
        let uid = derived_uuid(&format!("unit:{u}"));
        let pid = derived_uuid(&format!("flow-property:{u}"));
        let gname = format!("Units of {dim} ({name})");
        let pname = format!("{} ({name})", capitalise(dim));
        files.insert(
            format!("unit_groups/{gid}.json"),
            json!({"@type": "UnitGroup", "@id": gid, "name": gname,
                   "units": [{"@type": "Unit", "@id": uid, "name": name, "isRefUnit": true, "conversionFactor": 1.0}],
                   "defaultFlowProperty": reference("FlowProperty", &pid, &pname)}),
        );
        files.insert(
            format!("flow_properties/{pid}.json"),
            json!({"@type": "FlowProperty", "@id": pid, "name": pname, "flowPropertyType": "PHYSICAL_QUANTITY",
                   "unitGroup": reference("UnitGroup", &gid, &gname)}),
        );
        unit_refs.insert(
            u,
            UnitRefs {
                unit: reference("Unit", &uid, &name),
                property: reference("FlowProperty", &pid, &pname),
            },
        );
    }
    let flow_json =
        |id: &str, name: &str, kind: &str, category: &str, unit: &str, tags: Vec<String>| {
            let mut v = json!({"@type": "Flow", "@id": id, "name": name, "flowType": kind,
            "flowProperties": [{"@type": "FlowPropertyFactor", "isRefFlowProperty": true,
                "flowProperty": unit_refs[unit].property.clone(), "conversionFactor": 1.0}]});
            if !category.is_empty() {
                v["category"] = json!(category);
            }
            if !tags.is_empty() {
                v["tags"] = json!(tags);
            }
            v
        };

    // Elementary flows.
    let mut flow_ids = Vec::with_capacity(db.flows.len());
    for f in &db.flows {
        let (id, tags) = entity_id("flow", &f.id);
        files.insert(
            format!("flows/{id}.json"),
            flow_json(
                &id,
                &f.name,
                "ELEMENTARY_FLOW",
                &f.compartment,
                &f.unit,
                tags,
            ),
        );
        flow_ids.push(id);
    }
    // Product flows and process ids.
    let mut procs = Vec::with_capacity(db.activities.len());
    for a in &db.activities {
        let (pid, tags) = entity_id("process", &a.id);
        let fid = derived_uuid(&format!("product:{}", a.id));
        files.insert(
            format!("flows/{fid}.json"),
            flow_json(
                &fid,
                &a.name,
                "PRODUCT_FLOW",
                a.category.as_deref().unwrap_or(""),
                &a.unit,
                vec![],
            ),
        );
        procs.push((pid, tags, fid));
    }

    // Exchanges grouped by activity, in database order.
    let mut by_activity: Vec<Vec<usize>> = vec![Vec::new(); db.activities.len()];
    for (i, e) in db.exchanges.iter().enumerate() {
        by_activity[e.activity].push(i);
    }
    for (j, a) in db.activities.iter().enumerate() {
        let (pid, tags, fid) = &procs[j];
        let prod: Vec<_> = by_activity[j]
            .iter()
            .map(|&i| &db.exchanges[i])
            .filter(|e| e.kind == ExchangeKind::Production)
            .collect();
        if prod.is_empty() {
            return Err(JsonLdError::Database {
                package: db.meta.id.clone(),
                problem: format!(
                    "activity '{}' has no production exchange; it cannot be a process",
                    a.id
                ),
            });
        }
        let units_of = |u: &str| &unit_refs[u];
        let mut exchanges = Vec::new();
        let mut internal = 0;
        let mut exchange = |flow: Value,
                            u: &str,
                            amount: f64,
                            input: bool,
                            qref: bool,
                            unc: Uncertainty| {
            internal += 1;
            let r = units_of(u);
            let mut x = json!({"@type": "Exchange", "internalId": internal, "amount": amount,
                "isInput": input, "flow": flow, "unit": r.unit.clone(), "flowProperty": r.property.clone()});
            if qref {
                x["isQuantitativeReference"] = json!(true);
            }
            if let Some(u) = uncertainty(unc, amount) {
                x["uncertainty"] = u;
            }
            x
        };
        // Several production rows add up: a process has one reference amount.
        let amount: f64 = prod.iter().map(|e| e.amount).sum();
        let unc = if prod.len() == 1 {
            prod[0].uncertainty
        } else {
            Uncertainty::None
        };
        exchanges.push(exchange(
            reference("Flow", fid, &a.name),
            &a.unit,
            amount,
            false,
            true,
            unc,
        ));
        for &i in &by_activity[j] {
            let e = &db.exchanges[i];
            match e.kind {
                ExchangeKind::Production => {}
                ExchangeKind::Technosphere => {
                    let p = &db.activities[e.input];
                    let (ppid, _, pfid) = &procs[e.input];
                    let mut x = exchange(
                        reference("Flow", pfid, &p.name),
                        &p.unit,
                        e.amount,
                        true,
                        false,
                        e.uncertainty,
                    );
                    x["defaultProvider"] = reference("Process", ppid, &p.name);
                    exchanges.push(x);
                }
                ExchangeKind::Biosphere => {
                    let f = &db.flows[e.input];
                    let resource = f.compartment.to_lowercase().contains("resource");
                    exchanges.push(exchange(
                        reference("Flow", &flow_ids[e.input], &f.name),
                        &f.unit,
                        e.amount,
                        resource,
                        false,
                        e.uncertainty,
                    ));
                }
            }
        }
        let mut p = json!({"@type": "Process", "@id": pid, "name": a.name, "processType": "UNIT_PROCESS",
            "lastInternalId": internal, "exchanges": exchanges});
        if !a.location.is_empty() {
            let lid = derived_uuid(&format!("location:{}", a.location));
            files.insert(
                format!("locations/{lid}.json"),
                json!({"@type": "Location", "@id": lid, "name": a.location, "code": a.location}),
            );
            p["location"] = reference("Location", &lid, &a.location);
        }
        if let Some(c) = a.category.as_deref().filter(|c| !c.is_empty()) {
            p["category"] = json!(c);
        }
        if let Some(d) = &a.comment {
            p["description"] = json!(d);
        }
        if !tags.is_empty() {
            p["tags"] = json!(tags);
        }
        files.insert(format!("processes/{pid}.json"), p);
    }

    // LCIA: "<method> / <category>" → method and category; a bare name is both.
    let mut by_method: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for m in &db.methods {
        let (mname, cname) = m.name.split_once(" / ").unwrap_or((&m.name, &m.name));
        let cid = derived_uuid(&format!("impact-category:{}", m.name));
        let factors: Vec<Value> = m
            .factors
            .iter()
            .filter_map(|&(k, value)| {
                let f = db.flows.get(k)?;
                let r = &unit_refs[f.unit.as_str()];
                Some(json!({"@type": "ImpactFactor", "value": value,
                    "flow": reference("Flow", &flow_ids[k], &f.name),
                    "unit": r.unit.clone(), "flowProperty": r.property.clone()}))
            })
            .collect();
        files.insert(
            format!("lcia_categories/{cid}.json"),
            json!({"@type": "ImpactCategory", "@id": cid, "name": cname, "impactFactors": factors}),
        );
        by_method
            .entry(mname)
            .or_default()
            .push(reference("ImpactCategory", &cid, cname));
    }
    for (mname, cats) in by_method {
        let mid = derived_uuid(&format!("impact-method:{mname}"));
        files.insert(
            format!("lcia_methods/{mid}.json"),
            json!({"@type": "ImpactMethod", "@id": mid, "name": mname, "impactCategories": cats}),
        );
    }

    files
        .into_iter()
        .map(|(path, v)| {
            serde_json::to_vec_pretty(&v)
                .map(|b| (path.clone(), b))
                .map_err(|e| JsonLdError::Field {
                    file: path,
                    path: String::new(),
                    problem: e.to_string(),
                })
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn uncertainty(u: Uncertainty, amount: f64) -> Option<Value> {
    Some(match u {
        Uncertainty::None => return None,
        Uncertainty::Lognormal { gsd } => {
            json!({"@type": "Uncertainty", "distributionType": "LOG_NORMAL_DISTRIBUTION", "geomMean": amount, "geomSd": gsd})
        }
        Uncertainty::Normal { sd } => {
            json!({"@type": "Uncertainty", "distributionType": "NORMAL_DISTRIBUTION", "mean": amount, "sd": sd})
        }
        Uncertainty::Triangular { min, mode, max } => {
            let mut v = json!({"@type": "Uncertainty", "distributionType": "TRIANGLE_DISTRIBUTION", "minimum": min, "maximum": max});
            if let Some(m) = mode {
                v["mode"] = json!(m);
            }
            v
        }
        Uncertainty::Uniform { min, max } => {
            json!({"@type": "Uncertainty", "distributionType": "UNIFORM_DISTRIBUTION", "minimum": min, "maximum": max})
        }
    })
}

pub(crate) fn export_zip(db: &LciDatabase, out: &Path) -> Result<(), JsonLdError> {
    write_zip(&export_jsonld_entries(db)?, out)
}

/// Zips `entries` (in their order, fixed timestamps) to `out`, through a scratch file
/// renamed into place.
pub(crate) fn write_zip(entries: &[(String, Vec<u8>)], out: &Path) -> Result<(), JsonLdError> {
    let tmp = out.with_extension("zip.partial");
    let io = |source| JsonLdError::Io {
        path: out.to_path_buf(),
        source,
    };
    let zip_err = |e: zip::result::ZipError| JsonLdError::Zip {
        package: out.display().to_string(),
        problem: e.to_string(),
    };
    let result = (|| {
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut z = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, bytes) in entries {
            z.start_file(name.as_str(), opts).map_err(zip_err)?;
            z.write_all(bytes).map_err(io)?;
        }
        let mut w = z.finish().map_err(zip_err)?;
        w.flush().map_err(io)?;
        drop(w);
        std::fs::rename(&tmp, out).map_err(io)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
