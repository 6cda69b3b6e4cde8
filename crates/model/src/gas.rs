//! Greenhouse gases and the origin of their carbon.
//!
//! ISO 14067 and GB/T 24067 require fossil emissions, biogenic emissions, biogenic
//! removals and direct land-use change to be reported separately, so every elementary
//! flow that is a greenhouse gas carries both a gas and an origin.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A greenhouse gas, by its usual chemical or refrigerant name.
///
/// `Co2e` is not a gas: it marks an aggregated secondary value already expressed in
/// kg CO2e (a cradle-to-gate factor from a literature source), which a GWP method
/// passes through with factor 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gas {
    Co2,
    Ch4,
    N2o,
    Sf6,
    Nf3,
    /// Hydrofluorocarbons and perfluorocarbons by their designation (`HFC-134a`, `CF4`).
    Fluorinated(String),
    Co2e,
}

impl Serialize for Gas {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Gas {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Gas, D::Error> {
        let s = String::deserialize(d)?;
        Gas::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Fluorinated gases whose GWP100 the bundled IPCC tables carry.
pub const FLUORINATED: &[&str] = &[
    "HFC-23",
    "HFC-32",
    "HFC-125",
    "HFC-134a",
    "HFC-143a",
    "HFC-152a",
    "HFC-227ea",
    "HFC-245fa",
    "CF4",
    "C2F6",
    "C3F8",
];

impl Gas {
    /// Parses a gas name; unknown names are an error listing what is known.
    pub fn parse(s: &str) -> Result<Gas, String> {
        let t = s.trim();
        let g = match t
            .to_ascii_uppercase()
            .replace(['₂', '₄', '₆', '₃'], "")
            .as_str()
        {
            "CO2" => Gas::Co2,
            "CH4" => Gas::Ch4,
            "N2O" => Gas::N2o,
            "SF6" => Gas::Sf6,
            "NF3" => Gas::Nf3,
            "CO2E" | "CO2-EQ" | "CO2EQ" => Gas::Co2e,
            _ => match FLUORINATED.iter().find(|f| f.eq_ignore_ascii_case(t)) {
                Some(f) => Gas::Fluorinated((*f).to_string()),
                None => {
                    return Err(format!(
                        "unknown gas '{t}'; known: CO2, CH4, N2O, SF6, NF3, CO2e, {}",
                        FLUORINATED.join(", ")
                    ));
                }
            },
        };
        Ok(g)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Gas::Co2 => "CO2",
            Gas::Ch4 => "CH4",
            Gas::N2o => "N2O",
            Gas::Sf6 => "SF6",
            Gas::Nf3 => "NF3",
            Gas::Fluorinated(s) => s,
            Gas::Co2e => "CO2e",
        }
    }
}

impl fmt::Display for Gas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the carbon or the emission comes from, as the standards ask it reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Fossil,
    /// Emission of biogenic carbon (combustion or decay of biomass).
    Biogenic,
    /// Uptake of CO2 into biomass; amounts are kg taken from the air, counted negative.
    BiogenicRemoval,
    /// Direct land-use change.
    LandUseChange,
    /// An aggregated secondary value whose split is not published by its source.
    Unspecified,
}

impl Origin {
    pub const ALL: [Origin; 5] = [
        Origin::Fossil,
        Origin::Biogenic,
        Origin::BiogenicRemoval,
        Origin::LandUseChange,
        Origin::Unspecified,
    ];

    pub fn parse(s: &str) -> Result<Origin, String> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "fossil" => Ok(Origin::Fossil),
            "biogenic" | "biogenic-emission" => Ok(Origin::Biogenic),
            "biogenic-removal" | "removal" => Ok(Origin::BiogenicRemoval),
            "land-use-change" | "dluc" | "luc" => Ok(Origin::LandUseChange),
            "unspecified" | "mixed" | "" => Ok(Origin::Unspecified),
            other => Err(format!(
                "unknown origin '{other}'; expected fossil, biogenic, biogenic-removal, land-use-change or unspecified"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Fossil => "fossil",
            Origin::Biogenic => "biogenic",
            Origin::BiogenicRemoval => "biogenic-removal",
            Origin::LandUseChange => "land-use-change",
            Origin::Unspecified => "unspecified",
        }
    }

    /// +1 for emissions, -1 for removals: a removal's amount is what the air loses.
    pub fn sign(self) -> f64 {
        if self == Origin::BiogenicRemoval {
            -1.0
        } else {
            1.0
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gases_case_insensitively() {
        assert_eq!(Gas::parse("co2").unwrap(), Gas::Co2);
        assert_eq!(
            Gas::parse("hfc-134A").unwrap(),
            Gas::Fluorinated("HFC-134a".into())
        );
        assert!(Gas::parse("H2O").unwrap_err().contains("unknown gas 'H2O'"));
    }

    #[test]
    fn removal_counts_negative() {
        assert_eq!(Origin::parse("biogenic_removal").unwrap().sign(), -1.0);
        assert_eq!(Origin::parse("dLUC").unwrap(), Origin::LandUseChange);
        assert!(Origin::parse("volcanic").is_err());
    }
}
