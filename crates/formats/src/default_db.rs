//! The bundled default background database and GWP tables, embedded in the binary so
//! that `zuji footprint` works on a fresh machine with no data directory.

use crate::tabular::{TabularError, read_tabular_from_strings};
use std::collections::BTreeMap;
use zuji_model::Gas;
use zuji_model::gwp::{GwpTable, GwpValue, GwpVariant};
use zuji_model::lci::{DatabaseMeta, LciDatabase};

const ACTIVITIES: &str = include_str!("../../../data/zuji-default/activities.csv");
const FLOWS: &str = include_str!("../../../data/zuji-default/flows.csv");
const EXCHANGES: &str = include_str!("../../../data/zuji-default/exchanges.csv");
const CHARACTERIZATION: &str = include_str!("../../../data/zuji-default/characterization.csv");
const DATABASE_TOML: &str = include_str!("../../../data/zuji-default/database.toml");
const GWP100: &str = include_str!("../../../data/gwp/ipcc-gwp100.csv");

#[derive(serde::Deserialize)]
struct Meta {
    id: String,
    version: String,
    name: String,
    description: Option<String>,
    licence: Option<String>,
    source: Option<String>,
}

/// The default background database (`zuji-default`).
pub fn default_database() -> Result<LciDatabase, TabularError> {
    let m: Meta = toml::from_str(DATABASE_TOML).map_err(|e| TabularError::File {
        file: "zuji-default/database.toml".into(),
        problem: e.to_string(),
    })?;
    let mut db = read_tabular_from_strings(ACTIVITIES, FLOWS, EXCHANGES, CHARACTERIZATION)?;
    db.meta = DatabaseMeta {
        id: m.id,
        version: m.version,
        name: m.name,
        description: m.description,
        licence: m.licence,
        source: m.source,
    };
    Ok(db)
}

/// The method ids the bundled GWP table offers, default first.
pub const METHODS: &[&str] = &["ar6", "ar5"];

/// A bundled GWP100 table by id (`ar6`, the default, or `ar5`).
pub fn gwp_table(id: &str) -> Result<GwpTable, String> {
    let (name, year) = match id {
        "ar6" => ("IPCC AR6 GWP100 (2021)", 2021),
        "ar5" => ("IPCC AR5 GWP100 (2013)", 2013),
        other => {
            return Err(format!(
                "unknown method '{other}'; available: {}",
                METHODS.join(", ")
            ));
        }
    };
    let mut values = BTreeMap::new();
    let mut rows = csv::Reader::from_reader(GWP100.as_bytes());
    let headers = rows.headers().map_err(|e| e.to_string())?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("ipcc-gwp100.csv lacks column '{name}'"))
    };
    let (cm, cg, cv, cval, csrc, cst) = (
        col("method")?,
        col("gas")?,
        col("variant")?,
        col("value")?,
        col("source")?,
        col("status")?,
    );
    for (i, row) in rows.records().enumerate() {
        let row = row.map_err(|e| format!("ipcc-gwp100.csv line {}: {e}", i + 2))?;
        if &row[cm] != id {
            continue;
        }
        let gas =
            Gas::parse(&row[cg]).map_err(|e| format!("ipcc-gwp100.csv line {}: {e}", i + 2))?;
        let variant = match &row[cv] {
            "fossil" => GwpVariant::Fossil,
            "non-fossil" => GwpVariant::NonFossil,
            "unsplit" => GwpVariant::Unsplit,
            v => {
                return Err(format!(
                    "ipcc-gwp100.csv line {}: unknown variant '{v}'",
                    i + 2
                ));
            }
        };
        let value: f64 = row[cval]
            .parse()
            .map_err(|_| format!("ipcc-gwp100.csv line {}: bad value", i + 2))?;
        let status = Some(row[cst].to_string()).filter(|s| !s.is_empty());
        values.insert(
            (gas, variant),
            GwpValue {
                value,
                source: row[csrc].to_string(),
                status,
            },
        );
    }
    Ok(GwpTable {
        id: id.into(),
        name: name.into(),
        year,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zuji_model::Origin;

    #[test]
    fn the_bundled_database_loads_and_is_sourced() {
        let db = default_database().unwrap();
        assert_eq!(db.meta.id, "zuji-default");
        assert!(db.activities.len() > 100);
        for a in &db.activities {
            assert!(
                a.source.as_deref().is_some_and(|s| !s.is_empty()),
                "{} has no source",
                a.id
            );
            assert!(
                a.licence.as_deref().is_some_and(|s| !s.is_empty()),
                "{} has no licence",
                a.id
            );
        }
    }

    #[test]
    fn gwp_values_are_the_ipcc_ones() {
        // IPCC AR6 WGI Table 7.15: CH4 fossil 29.8, non-fossil 27.0; N2O 273.
        let ar6 = gwp_table("ar6").unwrap();
        assert_eq!(ar6.factor(&Gas::Ch4, Origin::Fossil), Some(29.8));
        assert_eq!(ar6.factor(&Gas::Ch4, Origin::Biogenic), Some(27.0));
        assert_eq!(ar6.factor(&Gas::N2o, Origin::Fossil), Some(273.0));
        assert_eq!(ar6.factor(&Gas::Co2, Origin::BiogenicRemoval), Some(-1.0));
        // IPCC AR5 WGI Table 8.A.1: N2O 265, SF6 23 500.
        let ar5 = gwp_table("ar5").unwrap();
        assert_eq!(ar5.factor(&Gas::N2o, Origin::Fossil), Some(265.0));
        assert_eq!(ar5.factor(&Gas::Sf6, Origin::Fossil), Some(23_500.0));
        assert!(gwp_table("ar4").unwrap_err().contains("ar6, ar5"));
    }
}
