//! A life-cycle inventory database: activities, elementary flows, exchanges and
//! characterisation methods, held by position so the engine can build matrices from it.
//!
//! This is the shape of the tabular LCI layout (activities.csv, flows.csv,
//! exchanges.csv, characterization.csv) and of every imported database. Ids are
//! strings, unique within their table; exchanges and factors refer to positions.

use crate::gas::{Gas, Origin};
use crate::uncertainty::Uncertainty;
use std::collections::HashMap;

/// Identity and provenance of a whole database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatabaseMeta {
    pub id: String,
    pub version: String,
    pub name: String,
    pub description: Option<String>,
    pub licence: Option<String>,
    pub source: Option<String>,
}

/// An activity (unit or system process) with one reference product.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Activity {
    pub id: String,
    pub name: String,
    /// Chinese name, where the database gives one.
    pub name_zh: Option<String>,
    /// Unit of the reference product, as written (`kg`, `kWh`, `t*km`).
    pub unit: String,
    pub location: String,
    /// Reference year or period the data represent.
    pub year: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub licence: Option<String>,
    /// `secondary`, `uncertain`, `illustrative` … where the source marks a value so.
    pub status: Option<String>,
    pub category: Option<String>,
    pub comment: Option<String>,
}

/// An exchange with the environment: an emission or a resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ElementaryFlow {
    pub id: String,
    pub name: String,
    pub compartment: String,
    pub unit: String,
    /// The greenhouse gas this flow is, if it is one.
    pub gas: Option<Gas>,
    pub origin: Option<Origin>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExchangeKind {
    /// `input` is the activity itself; the amount of reference product it makes.
    Production,
    /// `input` is an activity whose product this activity consumes.
    Technosphere,
    /// `input` is an elementary flow.
    Biosphere,
}

impl ExchangeKind {
    pub fn parse(s: &str) -> Result<ExchangeKind, String> {
        match s.trim() {
            "production" => Ok(ExchangeKind::Production),
            "technosphere" => Ok(ExchangeKind::Technosphere),
            "biosphere" => Ok(ExchangeKind::Biosphere),
            other => Err(format!(
                "unknown exchange kind '{other}'; expected production, technosphere or biosphere"
            )),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeKind::Production => "production",
            ExchangeKind::Technosphere => "technosphere",
            ExchangeKind::Biosphere => "biosphere",
        }
    }
}

/// One row of exchanges.csv, by position: `activity` and `input` index
/// [`LciDatabase::activities`] (or [`LciDatabase::flows`] for biosphere rows).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exchange {
    pub activity: usize,
    pub kind: ExchangeKind,
    pub input: usize,
    pub amount: f64,
    pub uncertainty: Uncertainty,
}

/// Characterisation factors of one method, by flow position.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CharacterisationMethod {
    pub name: String,
    pub factors: Vec<(usize, f64)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LciDatabase {
    pub meta: DatabaseMeta,
    pub activities: Vec<Activity>,
    pub flows: Vec<ElementaryFlow>,
    pub exchanges: Vec<Exchange>,
    pub methods: Vec<CharacterisationMethod>,
    activity_index: HashMap<String, usize>,
    flow_index: HashMap<String, usize>,
}

impl LciDatabase {
    /// Assembles a database, indexing ids; a repeated id is an error naming it.
    pub fn new(
        meta: DatabaseMeta,
        activities: Vec<Activity>,
        flows: Vec<ElementaryFlow>,
        exchanges: Vec<Exchange>,
        methods: Vec<CharacterisationMethod>,
    ) -> Result<LciDatabase, String> {
        let mut activity_index = HashMap::with_capacity(activities.len());
        for (i, a) in activities.iter().enumerate() {
            if activity_index.insert(a.id.clone(), i).is_some() {
                return Err(format!("activity id '{}' appears more than once", a.id));
            }
        }
        let mut flow_index = HashMap::with_capacity(flows.len());
        for (i, f) in flows.iter().enumerate() {
            if flow_index.insert(f.id.clone(), i).is_some() {
                return Err(format!("flow id '{}' appears more than once", f.id));
            }
        }
        for e in &exchanges {
            let bound = if e.kind == ExchangeKind::Biosphere {
                flows.len()
            } else {
                activities.len()
            };
            if e.activity >= activities.len() || e.input >= bound {
                return Err("exchange refers to a position outside the database".into());
            }
        }
        Ok(LciDatabase {
            meta,
            activities,
            flows,
            exchanges,
            methods,
            activity_index,
            flow_index,
        })
    }

    pub fn activity_position(&self, id: &str) -> Option<usize> {
        self.activity_index.get(id).copied()
    }

    pub fn flow_position(&self, id: &str) -> Option<usize> {
        self.flow_index.get(id).copied()
    }

    pub fn method(&self, name: &str) -> Option<&CharacterisationMethod> {
        self.methods.iter().find(|m| m.name == name)
    }

    pub fn method_names(&self) -> Vec<&str> {
        self.methods.iter().map(|m| m.name.as_str()).collect()
    }
}
