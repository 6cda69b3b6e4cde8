//! Global warming potentials: the characterisation of greenhouse gases in kg CO2e.

use crate::gas::{Gas, Origin};
use std::collections::BTreeMap;

/// Which GWP values a CH4 amount takes depends on its origin: fossil methane oxidises
/// to fossil CO2 and so carries a higher GWP than biogenic methane (IPCC AR6 Table 7.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GwpVariant {
    Fossil,
    NonFossil,
    Unsplit,
}

/// One GWP value with where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct GwpValue {
    pub value: f64,
    pub source: String,
    pub status: Option<String>,
}

/// A GWP100 table such as IPCC AR6 or AR5.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GwpTable {
    /// Short id used on the command line: `ar6`, `ar5`.
    pub id: String,
    pub name: String,
    pub year: u16,
    pub values: BTreeMap<(Gas, GwpVariant), GwpValue>,
}

impl GwpTable {
    /// kg CO2e per kg of `gas` of the given origin, with the sign of removals applied.
    ///
    /// `CO2e` passes through with 1: it is an aggregated value already characterised by its
    /// source. A CH4 value missing for the origin's variant falls back to the unsplit value.
    pub fn factor(&self, gas: &Gas, origin: Origin) -> Option<f64> {
        let base = if *gas == Gas::Co2e {
            Some(1.0)
        } else {
            let variant = match origin {
                Origin::Fossil => GwpVariant::Fossil,
                Origin::Unspecified => GwpVariant::Unsplit,
                _ => GwpVariant::NonFossil,
            };
            self.values
                .get(&(gas.clone(), variant))
                .or_else(|| self.values.get(&(gas.clone(), GwpVariant::Unsplit)))
                .map(|v| v.value)
        };
        base.map(|b| b * origin.sign())
    }
}
