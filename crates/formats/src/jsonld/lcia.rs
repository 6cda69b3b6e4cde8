//! LCIA methods and impact categories → one [`CharacterisationMethod`] per category,
//! named `"<method> / <category>"` (just `<category>` when it belongs to no method or
//! shares the method's name), with factors per reference unit of each flow.
//!
//! Factors for flows that are not elementary flows of the package (methods usually
//! characterise a whole nomenclature, of which a package uses a few flows) are counted
//! and reported once per category, not silently dropped.

use super::json::{array, num, ref_id, str_of};
use super::package::Package;
use super::read::Warnings;
use super::units::Units;
use std::collections::{BTreeSet, HashMap};
use zuji_model::lci::CharacterisationMethod;

pub(crate) fn methods(
    pkg: &Package,
    units: &Units,
    flow_pos: &HashMap<&str, usize>,
    w: &mut Warnings,
) -> Vec<CharacterisationMethod> {
    let mut out = Vec::new();
    let mut used = BTreeSet::new();
    for m in pkg.methods.values() {
        let mname = str_of(&m.value, "name").unwrap_or("");
        for (i, c) in array(&m.value, "impactCategories").iter().enumerate() {
            let Some(cid) = str_of(c, "@id") else {
                continue;
            };
            let Some(cat) = pkg.categories.get(cid) else {
                w.push(
                    &m.file,
                    "lcia",
                    format!("impactCategories[{i}]: category '{cid}' is not in the package"),
                );
                continue;
            };
            used.insert(cid);
            let cname = str_of(&cat.value, "name").unwrap_or("");
            let name = if cname == mname || mname.is_empty() {
                cname.to_string()
            } else {
                format!("{mname} / {cname}")
            };
            out.push(category(&name, cat, units, flow_pos, w));
        }
    }
    for (cid, cat) in &pkg.categories {
        if !used.contains(cid.as_str()) {
            let cname = str_of(&cat.value, "name").unwrap_or("");
            out.push(category(cname, cat, units, flow_pos, w));
        }
    }
    out
}

fn category(
    name: &str,
    cat: &super::package::Entity,
    units: &Units,
    flow_pos: &HashMap<&str, usize>,
    w: &mut Warnings,
) -> CharacterisationMethod {
    let factors_json = array(&cat.value, "impactFactors");
    let mut factors = Vec::new();
    let mut outside = 0usize;
    for (i, f) in factors_json.iter().enumerate() {
        let Some(fid) = ref_id(f, "flow") else {
            outside += 1;
            continue;
        };
        let (Some(pos), Some(flow)) = (flow_pos.get(fid), units.flows.get(fid)) else {
            outside += 1;
            continue;
        };
        let value = num(f, "value").unwrap_or(0.0);
        if str_of(f, "formula").is_some_and(|s| !s.trim().is_empty()) {
            w.push(&cat.file, "formula", format!("impactFactors[{i}]: factor formulas are not evaluated; the value {value} is used"));
        }
        let unit = f.get("unit");
        match units.to_reference(
            flow,
            ref_id(f, "flowProperty"),
            unit.and_then(|u| str_of(u, "@id")),
            unit.and_then(|u| str_of(u, "name")),
        ) {
            Ok(m) => factors.push((*pos, value / m)),
            Err(e) => w.push(
                &cat.file,
                "lcia",
                format!("impactFactors[{i}]: {e}; factor skipped"),
            ),
        }
    }
    if outside > 0 {
        w.push(
            &cat.file,
            "lcia",
            format!(
                "'{name}': {outside} of {} factors characterise flows that are not elementary flows of the package; skipped",
                factors_json.len()
            ),
        );
    }
    CharacterisationMethod {
        name: name.to_string(),
        factors,
    }
}
