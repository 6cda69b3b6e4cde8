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
    let is_resource = c.contains("resource") || c.contains("in air") || n.contains(", in air");
    let origin_from_name = || {
        if n.contains("land transformation")
            || n.contains("land use change")
            || n.contains("soil or biomass stock")
        {
            Origin::LandUseChange
        } else if n.contains("non-fossil") || n.contains("biogenic") {
            Origin::Biogenic
        } else {
            Origin::Fossil
        }
    };
    let base = n.split(',').next().unwrap_or("").trim();
    let gas = match base {
        "carbon dioxide" | "co2" => Gas::Co2,
        "methane" | "ch4" => Gas::Ch4,
        "dinitrogen monoxide" | "nitrous oxide" | "n2o" => Gas::N2o,
        "sulfur hexafluoride" | "sulphur hexafluoride" | "sf6" => Gas::Sf6,
        "nitrogen trifluoride" | "nf3" => Gas::Nf3,
        "methane, tetrafluoro-" | "tetrafluoromethane" | "perfluoromethane" => {
            Gas::Fluorinated("CF4".into())
        }
        "ethane, hexafluoro-" | "hexafluoroethane" | "perfluoroethane" => {
            Gas::Fluorinated("C2F6".into())
        }
        _ => return fluorinated_by_code(&n),
    };
    // "Methane, tetrafluoro-" starts with "methane": the comma split above keeps the
    // base name, so catch the fluorinated names before treating it as CH4.
    if n.starts_with("methane, tetrafluoro") {
        return Some((Gas::Fluorinated("CF4".into()), Origin::Fossil));
    }
    if n.starts_with("ethane, hexafluoro") {
        return Some((Gas::Fluorinated("C2F6".into()), Origin::Fossil));
    }
    if gas == Gas::Co2 && is_resource {
        return Some((Gas::Co2, Origin::BiogenicRemoval));
    }
    if is_resource {
        return None;
    }
    let origin = match gas {
        Gas::Co2 | Gas::Ch4 => origin_from_name(),
        _ => Origin::Fossil,
    };
    Some((gas, origin))
}

fn fluorinated_by_code(n: &str) -> Option<(Gas, Origin)> {
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
