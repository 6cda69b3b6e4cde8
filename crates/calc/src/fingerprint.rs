//! The result fingerprint: what a verifier recomputes to know a footprint is the one
//! this model, these databases, this method and this engine give.
//!
//! SHA-256 over a canonical serialisation of the model (serde's field order, parameters
//! in a sorted map, floats as shortest round-trip text), each database's id, version
//! and a digest of its full content, the method's id and every GWP value, the options
//! that change numbers, and the engine version.

use crate::footprint::FootprintOptions;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zuji_model::Uncertainty;
use zuji_model::gwp::GwpTable;
use zuji_model::lci::LciDatabase;
use zuji_model::product::ProductModel;

pub const ENGINE_VERSION: &str = concat!("zuji-calc ", env!("CARGO_PKG_VERSION"));

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fingerprint {
    pub sha256: String,
    pub engine: String,
    pub method: String,
    pub databases: Vec<DatabaseStamp>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DatabaseStamp {
    pub id: String,
    pub version: String,
    pub sha256: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a length-prefixed field so that no two different inputs hash alike.
fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn opt(h: &mut Sha256, s: &Option<String>) {
    match s {
        Some(s) => field(h, s.as_bytes()),
        None => h.update([0xff]),
    }
}

fn uncertainty(h: &mut Sha256, u: &Uncertainty) {
    let (tag, values): (u8, [f64; 3]) = match *u {
        Uncertainty::None => (0, [0.0; 3]),
        Uncertainty::Lognormal { gsd } => (1, [gsd, 0.0, 0.0]),
        Uncertainty::Normal { sd } => (2, [sd, 0.0, 0.0]),
        Uncertainty::Triangular { min, mode, max } => (3, [min, mode.unwrap_or(f64::NAN), max]),
        Uncertainty::Uniform { min, max } => (4, [min, max, 0.0]),
    };
    h.update([tag]);
    for v in values {
        h.update(v.to_bits().to_le_bytes());
    }
}

/// SHA-256 of a whole database's content.
pub fn database_digest(db: &LciDatabase) -> String {
    let mut h = Sha256::new();
    let m = &db.meta;
    for s in [&m.id, &m.version, &m.name] {
        field(&mut h, s.as_bytes());
    }
    for a in &db.activities {
        for s in [&a.id, &a.name, &a.unit, &a.location] {
            field(&mut h, s.as_bytes());
        }
        for s in [
            &a.name_zh,
            &a.year,
            &a.source,
            &a.url,
            &a.licence,
            &a.status,
            &a.category,
            &a.comment,
        ] {
            opt(&mut h, s);
        }
    }
    for f in &db.flows {
        for s in [&f.id, &f.name, &f.compartment, &f.unit] {
            field(&mut h, s.as_bytes());
        }
        opt(&mut h, &f.gas.as_ref().map(|g| g.to_string()));
        opt(&mut h, &f.origin.map(|o| o.to_string()));
    }
    for e in &db.exchanges {
        h.update((e.activity as u64).to_le_bytes());
        field(&mut h, e.kind.as_str().as_bytes());
        h.update((e.input as u64).to_le_bytes());
        h.update(e.amount.to_bits().to_le_bytes());
        uncertainty(&mut h, &e.uncertainty);
    }
    for m in &db.methods {
        field(&mut h, m.name.as_bytes());
        for (f, v) in &m.factors {
            h.update((*f as u64).to_le_bytes());
            h.update(v.to_bits().to_le_bytes());
        }
    }
    hex(&h.finalize())
}

impl Fingerprint {
    pub fn of(
        model: &ProductModel,
        dbs: &[LciDatabase],
        method: &GwpTable,
        options: &FootprintOptions,
    ) -> Fingerprint {
        let mut h = Sha256::new();
        field(&mut h, ENGINE_VERSION.as_bytes());
        // Serialising a model cannot fail: it holds only strings, numbers, maps and lists.
        let canonical = serde_json::to_vec(model).unwrap_or_default();
        field(&mut h, &canonical);
        let databases: Vec<DatabaseStamp> = dbs
            .iter()
            .map(|db| DatabaseStamp {
                id: db.meta.id.clone(),
                version: db.meta.version.clone(),
                sha256: database_digest(db),
            })
            .collect();
        for d in &databases {
            for s in [&d.id, &d.version, &d.sha256] {
                field(&mut h, s.as_bytes());
            }
        }
        field(&mut h, method.id.as_bytes());
        for ((gas, variant), v) in &method.values {
            field(&mut h, format!("{gas}/{variant:?}").as_bytes());
            h.update(v.value.to_bits().to_le_bytes());
        }
        if let Some(mc) = options.monte_carlo {
            h.update((mc.iterations as u64).to_le_bytes());
            h.update(mc.seed.to_le_bytes());
        }
        h.update(
            options
                .sensitivity_step
                .map(f64::to_bits)
                .unwrap_or(u64::MAX)
                .to_le_bytes(),
        );
        Fingerprint {
            sha256: hex(&h.finalize()),
            engine: ENGINE_VERSION.into(),
            method: method.id.clone(),
            databases,
        }
    }
}
