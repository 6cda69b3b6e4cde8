//! Uncertainty of an amount, as a probability distribution around it.
//!
//! The written form follows how practitioners state it: a lognormal by its geometric
//! standard deviation (GSD, as ecoinvent's pedigree matrix gives it), a normal by its
//! standard deviation, triangular and uniform by their bounds. The deterministic amount
//! is the lognormal's median and the normal's mean; a triangular's mode defaults to it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Uncertainty {
    #[default]
    None,
    Lognormal {
        /// Geometric standard deviation, ≥ 1 (σ of the underlying normal is ln GSD).
        gsd: f64,
    },
    Normal {
        /// Standard deviation in the amount's own unit.
        sd: f64,
    },
    Triangular {
        min: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mode: Option<f64>,
        max: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
}

impl Uncertainty {
    pub fn is_none(&self) -> bool {
        matches!(self, Uncertainty::None)
    }

    /// Builds a distribution from Brightway's fields (`uncertainty_type`, `loc`, `scale`,
    /// `min`, `max`) for an exchange of the given amount.
    ///
    /// Brightway's lognormal `loc` is ln(median) and `scale` is σ; Zuji keeps the amount
    /// as the median, so only `scale` is used, as GSD = e^σ.
    pub fn from_brightway(
        kind: &str,
        amount: f64,
        loc: Option<f64>,
        scale: Option<f64>,
        min: Option<f64>,
        max: Option<f64>,
    ) -> Result<Uncertainty, String> {
        let need = |v: Option<f64>, name: &str| {
            v.ok_or_else(|| format!("{kind} uncertainty needs '{name}'"))
        };
        let u = match kind.trim().to_ascii_lowercase().as_str() {
            "" | "none" | "0" | "1" | "undefined" => Uncertainty::None,
            "lognormal" | "2" => Uncertainty::Lognormal {
                gsd: need(scale, "scale")?.exp(),
            },
            "normal" | "3" => Uncertainty::Normal {
                sd: need(scale, "scale")?,
            },
            "uniform" | "4" => Uncertainty::Uniform {
                min: need(min, "min")?,
                max: need(max, "max")?,
            },
            "triangular" | "5" => Uncertainty::Triangular {
                min: need(min, "min")?,
                mode: Some(loc.unwrap_or(amount)),
                max: need(max, "max")?,
            },
            other => {
                return Err(format!(
                    "unknown uncertainty_type '{other}'; expected none, lognormal, normal, triangular or uniform"
                ));
            }
        };
        u.check(amount)?;
        Ok(u)
    }

    /// Checks the distribution is well formed for `amount`; the message says what is wrong.
    pub fn check(&self, amount: f64) -> Result<(), String> {
        let finite = |v: f64, n: &str| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(format!("uncertainty {n} is not a finite number"))
            }
        };
        match *self {
            Uncertainty::None => Ok(()),
            Uncertainty::Lognormal { gsd } => {
                finite(gsd, "gsd")?;
                if gsd < 1.0 {
                    return Err(format!(
                        "lognormal gsd must be ≥ 1 (it is a ratio), got {gsd}"
                    ));
                }
                if amount == 0.0 {
                    return Err("a lognormal needs a non-zero amount as its median".into());
                }
                Ok(())
            }
            Uncertainty::Normal { sd } => {
                finite(sd, "sd")?;
                if sd < 0.0 {
                    Err(format!("normal sd must be ≥ 0, got {sd}"))
                } else {
                    Ok(())
                }
            }
            Uncertainty::Triangular { min, mode, max } => {
                finite(min, "min")?;
                finite(max, "max")?;
                let mode = mode.unwrap_or(amount);
                if !(min <= mode && mode <= max && min < max) {
                    return Err(format!(
                        "triangular needs min ≤ mode ≤ max and min < max, got {min} ≤ {mode} ≤ {max}"
                    ));
                }
                within(amount, min, max)
            }
            Uncertainty::Uniform { min, max } => {
                finite(min, "min")?;
                finite(max, "max")?;
                if min >= max {
                    return Err(format!("uniform needs min < max, got {min} and {max}"));
                }
                within(amount, min, max)
            }
        }
    }

    /// Turns a draw of two independent numbers into a sample of the amount.
    ///
    /// `z` is a standard normal draw and `u` a uniform draw on (0, 1); the caller owns the
    /// random stream, so sampling stays reproducible and parallel-safe.
    pub fn sample(&self, amount: f64, z: f64, u: f64) -> f64 {
        match *self {
            Uncertainty::None => amount,
            Uncertainty::Lognormal { gsd } => amount * (gsd.ln() * z).exp(),
            Uncertainty::Normal { sd } => amount + sd * z,
            Uncertainty::Uniform { min, max } => min + (max - min) * u,
            Uncertainty::Triangular { min, mode, max } => {
                let c = mode.unwrap_or(amount);
                let f = (c - min) / (max - min);
                if u < f {
                    min + ((max - min) * (c - min) * u).sqrt()
                } else {
                    max - ((max - min) * (max - c) * (1.0 - u)).sqrt()
                }
            }
        }
    }
}

/// The deterministic amount must be a value the distribution can take, or Monte Carlo
/// would describe another quantity than the one computed.
fn within(amount: f64, min: f64, max: f64) -> Result<(), String> {
    if (min..=max).contains(&amount) {
        Ok(())
    } else {
        Err(format!(
            "the amount {amount} lies outside its uncertainty range {min} … {max}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_median_is_the_amount() {
        let u = Uncertainty::Lognormal { gsd: 1.5 };
        assert_eq!(u.sample(2.0, 0.0, 0.5), 2.0);
        // one σ up: 2 × 1.5
        assert!((u.sample(2.0, 1.0, 0.5) - 3.0).abs() < 1e-12);
    }

    #[test]
    fn triangular_inverse_cdf_hits_the_bounds_and_mode() {
        let u = Uncertainty::Triangular {
            min: 1.0,
            mode: Some(2.0),
            max: 4.0,
        };
        assert_eq!(u.sample(2.0, 0.0, 0.0), 1.0);
        assert!((u.sample(2.0, 0.0, 1.0 / 3.0) - 2.0).abs() < 1e-12); // F(mode) = (2-1)/(4-1)
        assert_eq!(u.sample(2.0, 0.0, 1.0), 4.0);
    }

    #[test]
    fn brightway_fields_convert() {
        let u =
            Uncertainty::from_brightway("lognormal", 1.0, Some(0.0), Some(2f64.ln()), None, None)
                .unwrap();
        assert!(matches!(u, Uncertainty::Lognormal { gsd } if (gsd - 2.0).abs() < 1e-12));
        assert!(
            Uncertainty::from_brightway("uniform", 1.0, None, None, Some(2.0), Some(1.0)).is_err()
        );
        assert!(
            Uncertainty::from_brightway("beta", 1.0, None, None, None, None)
                .unwrap_err()
                .contains("beta")
        );
    }
}
