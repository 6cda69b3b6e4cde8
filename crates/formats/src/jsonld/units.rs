//! Unit groups, flow properties and flows: what converts an amount written in any unit
//! of any flow property into the flow's reference unit.
//!
//! openLCA stores an amount in the unit the modeller chose (`gal (US liq)` of water,
//! `g` of a chemical); Zuji's matrices need one unit per flow. With `uf` the unit's
//! factor to its group's reference unit and `fpf` the flow property factor (units of
//! that property per unit of the flow's reference property):
//! `amount_ref = amount × uf / fpf(property) × fpf(reference property)`.

use super::JsonLdError;
use super::json::{array, category_path, field_error, flag, num, ref_id, str_of};
use super::package::Package;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowType {
    Product,
    Waste,
    Elementary,
}

#[derive(Debug, Default)]
struct UnitGroup {
    ref_unit: String,
    by_id: HashMap<String, f64>,
    by_name: HashMap<String, f64>,
}

#[derive(Debug)]
pub(crate) struct FlowInfo {
    pub name: String,
    pub kind: FlowType,
    pub category: String,
    pub ref_property: String,
    /// Flow property id → conversion factor.
    pub factors: HashMap<String, f64>,
    /// The reference unit's name as openLCA writes it (`kg`, `Item(s)`).
    pub ref_unit: String,
    pub zuji_id: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Units {
    groups: HashMap<String, UnitGroup>,
    /// Flow property id → unit group id.
    properties: HashMap<String, String>,
    pub flows: HashMap<String, FlowInfo>,
}

impl Units {
    pub fn index(pkg: &Package) -> Result<Units, JsonLdError> {
        let mut u = Units::default();
        for (id, e) in &pkg.unit_groups {
            let mut g = UnitGroup::default();
            for (i, unit) in array(&e.value, "units").iter().enumerate() {
                let name = str_of(unit, "name").unwrap_or("").to_string();
                let f = num(unit, "conversionFactor").unwrap_or(1.0);
                if !(f.is_finite() && f > 0.0) {
                    return Err(field_error(
                        &e.file,
                        format!("units[{i}].conversionFactor"),
                        format!("unit '{name}' has conversion factor {f}; it must be positive"),
                    ));
                }
                if flag(unit, &["isRefUnit", "referenceUnit"]) {
                    g.ref_unit = name.clone();
                }
                if let Some(uid) = str_of(unit, "@id") {
                    g.by_id.insert(uid.to_string(), f);
                }
                g.by_name.insert(name, f);
            }
            u.groups.insert(id.clone(), g);
        }
        for (id, e) in &pkg.flow_properties {
            let group = ref_id(&e.value, "unitGroup").ok_or_else(|| {
                field_error(&e.file, "unitGroup", "a flow property needs a unit group")
            })?;
            if !u.groups.contains_key(group) {
                return Err(field_error(
                    &e.file,
                    "unitGroup.@id",
                    format!("unit group '{group}' is not in the package"),
                ));
            }
            u.properties.insert(id.clone(), group.to_string());
        }
        for (id, e) in &pkg.flows {
            let v = &e.value;
            let kind = match str_of(v, "flowType") {
                Some("ELEMENTARY_FLOW") => FlowType::Elementary,
                Some("WASTE_FLOW") => FlowType::Waste,
                _ => FlowType::Product,
            };
            let mut factors = HashMap::new();
            let mut ref_property = None;
            for (i, fp) in array(v, "flowProperties").iter().enumerate() {
                let Some(pid) = ref_id(fp, "flowProperty") else {
                    return Err(field_error(
                        &e.file,
                        format!("flowProperties[{i}].flowProperty"),
                        "missing flow property reference",
                    ));
                };
                if !u.properties.contains_key(pid) {
                    return Err(field_error(
                        &e.file,
                        format!("flowProperties[{i}].flowProperty.@id"),
                        format!("flow property '{pid}' is not in the package"),
                    ));
                }
                let f = num(fp, "conversionFactor").unwrap_or(1.0);
                if !(f.is_finite() && f > 0.0) {
                    return Err(field_error(
                        &e.file,
                        format!("flowProperties[{i}].conversionFactor"),
                        format!("conversion factor {f} must be positive"),
                    ));
                }
                factors.insert(pid.to_string(), f);
                if flag(fp, &["isRefFlowProperty", "referenceFlowProperty"]) {
                    ref_property = Some(pid.to_string());
                }
            }
            let Some(ref_property) = ref_property else {
                return Err(field_error(
                    &e.file,
                    "flowProperties",
                    "the flow has no reference flow property",
                ));
            };
            let ref_unit = u
                .properties
                .get(&ref_property)
                .and_then(|g| u.groups.get(g))
                .map(|g| g.ref_unit.clone())
                .unwrap_or_default();
            u.flows.insert(
                id.clone(),
                FlowInfo {
                    name: str_of(v, "name").unwrap_or("").to_string(),
                    kind,
                    category: category_path(v, &pkg.folders),
                    ref_property,
                    factors,
                    ref_unit,
                    zuji_id: super::json::zuji_id_tag(v),
                },
            );
        }
        Ok(u)
    }

    /// The factor turning an amount of `flow` in (`property`, `unit`) into its reference
    /// unit; absent property or unit mean the reference ones. The message says what
    /// could not be resolved.
    pub fn to_reference(
        &self,
        flow: &FlowInfo,
        property: Option<&str>,
        unit_id: Option<&str>,
        unit_name: Option<&str>,
    ) -> Result<f64, String> {
        let prop = property.unwrap_or(&flow.ref_property);
        let fpf = flow.factors.get(prop).ok_or_else(|| {
            format!(
                "flow '{}' has no flow property '{prop}' (it cannot be measured in that quantity)",
                flow.name
            )
        })?;
        let ref_fpf = flow.factors.get(&flow.ref_property).copied().unwrap_or(1.0);
        let group = self
            .properties
            .get(prop)
            .and_then(|g| self.groups.get(g))
            .ok_or_else(|| format!("flow property '{prop}' is not in the package"))?;
        let uf = match (unit_id, unit_name) {
            (None, None) => 1.0,
            _ => unit_id
                .and_then(|i| group.by_id.get(i))
                .or_else(|| unit_name.and_then(|n| group.by_name.get(n)))
                .copied()
                .ok_or_else(|| {
                    format!(
                        "unit '{}' is not in the unit group of flow property '{prop}' of flow '{}'",
                        unit_name.or(unit_id).unwrap_or(""),
                        flow.name
                    )
                })?,
        };
        Ok(uf / fpf * ref_fpf)
    }
}

/// openLCA unit names → Zuji symbols, where they differ (everything else is kept as
/// written: `kg`, `MJ`, `kWh`, `m3`, `t*km`, `p*km` are spelt alike).
pub(crate) fn zuji_unit(olca: &str) -> String {
    match olca {
        "Item(s)" => "piece".into(),
        other => other.to_string(),
    }
}

/// The inverse of [`zuji_unit`] for export.
pub(crate) fn olca_unit(zuji: &str) -> String {
    match zuji {
        "piece" => "Item(s)".into(),
        other => other.to_string(),
    }
}
