//! Recognising greenhouse-gas elementary flows in other tools' nomenclatures.
//!
//! Imported databases name their flows in their own way (ecoinvent/ILCD: "Carbon
//! dioxide, fossil", FEDEFL: "Carbon dioxide", compartment "air/…"; "Methane,
//! non-fossil", "Carbon dioxide, in air" as a resource). Zuji needs each GHG flow's gas
//! and origin to report fossil, biogenic, removals and dLUC separately, so importers
//! tag flows here; a flow that is not recognised stays untagged and is characterised by
//! the database's own method, if any.

use zuji_model::{Gas, Origin};

/// The gas and origin of an elementary flow, from its name and compartment.
///
/// `compartment` is the flow's category path as the source gives it (`air/urban air
/// close to ground`, `natural resource/in air`, `Elementary flows/Emission to air`).
pub fn classify(name: &str, compartment: &str) -> Option<(Gas, Origin)> {
    let n = name.trim().to_lowercase();
    let c = compartment.to_lowercase();
    let mut parts = n.split(',').map(str::trim);
    let base = parts.next().unwrap_or("");
    let qualifiers: Vec<&str> = parts.filter(|q| !q.is_empty()).collect();
    let is_resource = c.contains("resource") || qualifiers.contains(&"in air");
    // Emissions to water or soil are not greenhouse-gas emissions to the atmosphere,
    // except the uptake flow ecoinvent books "to soil or biomass stock".
    let to_soil_stock = qualifiers.contains(&"to soil or biomass stock");
    if !is_resource && !to_soil_stock && (c.contains("water") || c.contains("soil")) {
        return None;
    }
    let gas = match base {
        "carbon dioxide" | "co2" => Gas::Co2,
        "methane" | "ch4" => Gas::Ch4,
        "dinitrogen monoxide" | "nitrous oxide" | "n2o" => Gas::N2o,
        "sulfur hexafluoride" | "sulphur hexafluoride" | "sf6" => Gas::Sf6,
        "nitrogen trifluoride" | "nf3" => Gas::Nf3,
        "tetrafluoromethane" | "perfluoromethane" => Gas::Fluorinated("CF4".into()),
        "hexafluoroethane" | "perfluoroethane" => Gas::Fluorinated("C2F6".into()),
        _ => return fluorinated_by_code(&n),
    };
    // After the base name only origin qualifiers may follow; anything else names another
    // substance ("Methane, dibromo-", "Methane, tetrafluoro-, R-14", "Methane,
    // chlorodifluoro-, HCFC-22"), which is a different gas or none Zuji characterises.
    const ORIGIN_WORDS: &[&str] = &[
        "fossil",
        "non-fossil",
        "biogenic",
        "in air",
        "from soil or biomass stock",
        "land transformation",
        "to soil or biomass stock",
    ];
    if qualifiers.iter().any(|q| !ORIGIN_WORDS.contains(q)) {
        return fluorinated_by_code(&n);
    }
    if gas == Gas::Co2 && (is_resource || to_soil_stock) {
        return Some((Gas::Co2, Origin::BiogenicRemoval));
    }
    if is_resource {
        return None;
    }
    let origin = match gas {
        Gas::Co2 | Gas::Ch4 => {
            if qualifiers
                .iter()
                .any(|q| *q == "from soil or biomass stock" || *q == "land transformation")
            {
                Origin::LandUseChange
            } else if qualifiers
                .iter()
                .any(|q| *q == "non-fossil" || *q == "biogenic")
            {
                Origin::Biogenic
            } else {
                Origin::Fossil
            }
        }
        _ => Origin::Fossil,
    };
    Some((gas, origin))
}

/// Fluorinated gases by their designation in the name ("…, HFC-134a"), or by the
/// ecoinvent/ILCD systematic names of the perfluorocarbons, which carry none Zuji knows.
fn fluorinated_by_code(n: &str) -> Option<(Gas, Origin)> {
    const SYSTEMATIC: &[(&str, &str)] = &[
        ("methane, tetrafluoro-", "CF4"),
        ("ethane, hexafluoro-", "C2F6"),
        ("propane, perfluoro-", "C3F8"),
    ];
    if let Some((_, code)) = SYSTEMATIC.iter().find(|(prefix, _)| n.starts_with(prefix)) {
        return Some((Gas::Fluorinated((*code).to_string()), Origin::Fossil));
    }
    zuji_model::gas::FLUORINATED
        .iter()
        .find(|code| {
            n.split([',', ' ', '(', ')'])
                .any(|w| w.eq_ignore_ascii_case(code))
        })
        .map(|code| (Gas::Fluorinated((*code).to_string()), Origin::Fossil))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecoinvent_and_fedefl_names() {
        assert_eq!(
            classify("Carbon dioxide, fossil", "air/urban air close to ground"),
            Some((Gas::Co2, Origin::Fossil))
        );
        assert_eq!(
            classify("Carbon dioxide, non-fossil", "air"),
            Some((Gas::Co2, Origin::Biogenic))
        );
        assert_eq!(
            classify("Carbon dioxide, in air", "natural resource/in air"),
            Some((Gas::Co2, Origin::BiogenicRemoval))
        );
        assert_eq!(
            classify(
                "Carbon dioxide, from soil or biomass stock",
                "air/non-urban air or from high stacks"
            ),
            Some((Gas::Co2, Origin::LandUseChange))
        );
        assert_eq!(
            classify("Methane, biogenic", "air"),
            Some((Gas::Ch4, Origin::Biogenic))
        );
        assert_eq!(
            classify("Methane, fossil", "air"),
            Some((Gas::Ch4, Origin::Fossil))
        );
        assert_eq!(
            classify("Dinitrogen monoxide", "air"),
            Some((Gas::N2o, Origin::Fossil))
        );
        assert_eq!(
            classify("Methane, tetrafluoro-, R-14", "air"),
            Some((Gas::Fluorinated("CF4".into()), Origin::Fossil))
        );
        assert_eq!(
            classify("Ethane, 1,1,1,2-tetrafluoro-, HFC-134a", "air"),
            Some((Gas::Fluorinated("HFC-134a".into()), Origin::Fossil))
        );
        assert_eq!(
            classify("Water, well, in ground", "natural resource/in ground"),
            None
        );
        assert_eq!(classify("Nitrogen oxides", "air"), None);
    }
}
