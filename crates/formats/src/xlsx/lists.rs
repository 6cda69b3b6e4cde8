//! The values of the drop-down lists and which columns use them.
//!
//! Lists live in cells of the `列表 Lists` sheet rather than inside each validation,
//! because Excel limits an inline list to 255 characters and a database has hundreds of
//! dataset ids; a user can also read them there.

use super::text;
use zuji_model::gas::FLUORINATED;
use zuji_model::lci::LciDatabase;
use zuji_model::{LifeCycleStage, Origin};

/// Canonical unit symbols offered in drop-downs (each parses with `Unit::parse`; aliases
/// such as `吨` or `度` are accepted too, so unit validations only inform).
pub const UNITS: &[&str] = &[
    "kg", "g", "mg", "t", "kt", "Mt", "lb", "J", "kJ", "MJ", "GJ", "TJ", "Wh", "kWh", "MWh", "GWh",
    "kcal", "Btu", "mmBtu", "m3", "Nm3", "L", "mL", "dm3", "m2", "cm2", "ha", "km2", "m", "km",
    "cm", "mm", "piece", "s", "min", "h", "d", "a", "W", "kW", "MW", "t*km", "kg*km", "p*km",
];

/// A list: its key (matched by validations), its bilingual header, and its values.
pub struct List {
    pub key: &'static str,
    pub header: &'static str,
    pub values: Vec<String>,
    /// Whether a value outside the list is refused (Stop) or merely flagged (Information).
    pub strict: bool,
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_string()).collect()
}

/// All lists, in column order of the Lists sheet. `datasets` are the background dataset
/// ids offered for `target id`.
pub fn lists(datasets: Vec<String>) -> Vec<List> {
    let mut gases = strs(&["CO2", "CH4", "N2O", "SF6", "NF3"]);
    gases.extend(strs(FLUORINATED));
    vec![
        List {
            key: "stage",
            header: text::list_header("stage"),
            values: LifeCycleStage::ALL
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            strict: false,
        },
        List {
            key: "unit",
            header: text::list_header("unit"),
            values: strs(UNITS),
            strict: false,
        },
        List {
            key: "gas",
            header: text::list_header("gas"),
            values: gases,
            strict: false,
        },
        List {
            key: "origin",
            header: text::list_header("origin"),
            values: Origin::ALL.iter().map(|o| o.as_str().to_string()).collect(),
            strict: false,
        },
        List {
            key: "boundary",
            header: text::list_header("boundary"),
            values: strs(&[
                "cradle-to-gate",
                "cradle-to-grave",
                "gate-to-gate",
                "gate-to-grave",
            ]),
            strict: true,
        },
        List {
            key: "allocation",
            header: text::list_header("allocation"),
            values: strs(&["physical", "economic", "explicit"]),
            strict: true,
        },
        List {
            key: "uncertainty",
            header: text::list_header("uncertainty"),
            values: strs(&["none", "lognormal", "normal", "triangular", "uniform"]),
            strict: true,
        },
        List {
            key: "link",
            header: text::list_header("link"),
            values: strs(&["process", "dataset", "supplier"]),
            strict: true,
        },
        List {
            key: "yes-no",
            header: text::list_header("yes-no"),
            values: strs(&["yes", "no"]),
            strict: false,
        },
        List {
            key: "unit kind",
            header: text::list_header("unit kind"),
            values: strs(&["declared", "functional"]),
            strict: true,
        },
        List {
            key: "end-of-life approach",
            header: text::list_header("end-of-life approach"),
            values: strs(&["cut-off", "avoided-burden"]),
            strict: true,
        },
        List {
            key: "dataset",
            header: text::list_header("dataset"),
            values: datasets,
            strict: false,
        },
    ]
}

/// Dataset ids of a database, as an input's `target id` names them.
pub fn dataset_ids(db: &LciDatabase) -> Vec<String> {
    db.activities.iter().map(|a| a.id.clone()).collect()
}

/// Which list a data column's cells take, by the column's key.
pub fn list_for(column: &str) -> Option<&'static str> {
    Some(match column {
        "stage" => "stage",
        "unit" | "output unit" | "supplier unit" | "declared unit" => "unit",
        "gas" => "gas",
        "origin" => "origin",
        "boundary" => "boundary",
        "allocation" => "allocation",
        "uncertainty" => "uncertainty",
        "link" => "link",
        "primary" | "aircraft" | "avoided" => "yes-no",
        "unit kind" => "unit kind",
        "end-of-life approach" => "end-of-life approach",
        "target id" => "dataset",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_offered_unit_parses() {
        for u in UNITS {
            assert!(zuji_model::Unit::parse(u).is_ok(), "{u}");
        }
    }
}
