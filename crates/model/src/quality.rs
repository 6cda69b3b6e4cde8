//! Data-quality indicators: the ecoinvent pedigree matrix and the PEF data quality rating.

use serde::{Deserialize, Serialize};

/// How good a number is, in one of the two systems practitioners use.
///
/// Both are scored 1 (best) to 5 (worst). [`DataQuality::rating`] reduces either to one
/// number on that scale so that results can aggregate them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DataQuality {
    /// PEF data quality rating (EC Recommendation 2021/2279, Annex I): technological,
    /// geographical and time representativeness and precision.
    Dqr {
        #[serde(rename = "TeR")]
        ter: f64,
        #[serde(rename = "GeR")]
        ger: f64,
        #[serde(rename = "TiR")]
        tir: f64,
        #[serde(rename = "P")]
        p: f64,
    },
    /// Ecoinvent pedigree matrix (Weidema et al. 2013): five indicators scored 1–5.
    Pedigree {
        reliability: u8,
        completeness: u8,
        temporal: u8,
        geographical: u8,
        technological: u8,
    },
}

impl DataQuality {
    /// One score on the 1–5 scale: the PEF DQR is (TeR + GeR + TiR + P) / 4; a pedigree
    /// is the mean of its five indicators.
    pub fn rating(&self) -> f64 {
        match *self {
            DataQuality::Dqr { ter, ger, tir, p } => (ter + ger + tir + p) / 4.0,
            DataQuality::Pedigree {
                reliability,
                completeness,
                temporal,
                geographical,
                technological,
            } => {
                f64::from(reliability + completeness + temporal + geographical + technological)
                    / 5.0
            }
        }
    }

    /// Each indicator must lie in 1–5.
    pub fn check(&self) -> Result<(), String> {
        let scores: Vec<(&str, f64)> = match *self {
            DataQuality::Dqr { ter, ger, tir, p } => {
                vec![("TeR", ter), ("GeR", ger), ("TiR", tir), ("P", p)]
            }
            DataQuality::Pedigree {
                reliability,
                completeness,
                temporal,
                geographical,
                technological,
            } => vec![
                ("reliability", reliability.into()),
                ("completeness", completeness.into()),
                ("temporal", temporal.into()),
                ("geographical", geographical.into()),
                ("technological", technological.into()),
            ],
        };
        for (name, v) in scores {
            if !(1.0..=5.0).contains(&v) {
                return Err(format!(
                    "data-quality indicator {name} must be between 1 and 5, got {v}"
                ));
            }
        }
        Ok(())
    }

    /// PEF's quality level for a DQR (Annex I, Table "overall data quality level").
    pub fn level(rating: f64) -> &'static str {
        match rating {
            r if r <= 1.5 => "excellent",
            r if r <= 2.0 => "very good",
            r if r <= 3.0 => "good",
            r if r <= 4.0 => "fair",
            _ => "poor",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dqr_is_the_mean_of_four() {
        let q = DataQuality::Dqr {
            ter: 1.0,
            ger: 2.0,
            tir: 2.0,
            p: 3.0,
        };
        assert_eq!(q.rating(), 2.0);
        assert_eq!(DataQuality::level(2.0), "very good");
    }

    #[test]
    fn pedigree_out_of_range_is_named() {
        let q = DataQuality::Pedigree {
            reliability: 6,
            completeness: 1,
            temporal: 1,
            geographical: 1,
            technological: 1,
        };
        assert!(q.check().unwrap_err().contains("reliability"));
    }
}
