//! PACT `ProductFootprint` (v3 or v2.x, told apart by `specVersion`) → a supplier
//! footprint Zuji can link into a product model. Every missing or ill-typed value is
//! reported with its JSON path; nothing panics on any input.

use super::decimal::parse_decimal;
use super::{PACT_UNITS, PactError, PactVersion};
use serde_json::{Map, Value};
use zuji_model::DataQuality;

/// A supplier's footprint as read from PACT, normalised to one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedFootprint {
    pub id: String,
    pub spec_version: String,
    /// `V2_3` stands for the whole 2.x family, read with the v2.3 property names.
    pub version: PactVersion,
    pub company_name: String,
    pub company_ids: Vec<String>,
    pub product_ids: Vec<String>,
    pub product_name: String,
    pub product_description: String,
    /// Zuji unit symbol of one PACT declared unit (`kg`, `L`, `m3`, `kWh`, `MJ`, …).
    pub declared_unit: String,
    /// PACT `declaredUnitAmount` (v3) or `unitaryProductAmount` (v2), as given.
    pub declared_unit_amount: f64,
    /// kg CO2e per one `declared_unit`, including biogenic uptake (Zuji's convention).
    pub pcf_per_unit: f64,
    /// kg CO2e per one `declared_unit`, excluding biogenic uptake (v2: biogenic CO2).
    pub pcf_excluding_biogenic_per_unit: f64,
    pub fossil_ghg_per_unit: Option<f64>,
    /// 0–1.
    pub primary_data_share: Option<f64>,
    pub dqr: Option<DataQuality>,
    pub reference_period_start: Option<String>,
    pub reference_period_end: Option<String>,
    /// ISO 3166 code or UN region, if the footprint is not global.
    pub geography: Option<String>,
    pub ipcc_characterization_factors: Vec<String>,
    /// `Active` or `Deprecated`.
    pub raw_status: String,
    /// "Deprecated means that the PCF is no longer the most recent version and SHOULD
    /// NOT be used by data recipients."
    pub deprecated: bool,
    pub warnings: Vec<String>,
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {:?}", s.chars().take(40).collect::<String>()),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// An object with its JSON path, for error messages.
struct At<'a> {
    map: &'a Map<String, Value>,
    path: String,
    version: &'static str,
}

impl<'a> At<'a> {
    fn child(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }
    fn need(&self, key: &str) -> Result<&'a Value, PactError> {
        self.get(key).ok_or_else(|| PactError::Missing {
            path: self.child(key),
            version: self.version.into(),
        })
    }
    fn type_err(&self, key: &str, expected: &'static str, v: &Value) -> PactError {
        PactError::Type {
            path: self.child(key),
            expected,
            found: kind(v),
        }
    }
    fn string(&self, key: &str) -> Result<&'a str, PactError> {
        let v = self.need(key)?;
        v.as_str().ok_or_else(|| self.type_err(key, "a string", v))
    }
    fn opt_string(&self, key: &str) -> Result<Option<&'a str>, PactError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| self.type_err(key, "a string", v)),
        }
    }
    fn strings(&self, key: &str) -> Result<Vec<String>, PactError> {
        let v = self.need(key)?;
        let a = v
            .as_array()
            .ok_or_else(|| self.type_err(key, "an array of strings", v))?;
        a.iter()
            .enumerate()
            .map(|(i, x)| {
                x.as_str().map(String::from).ok_or_else(|| PactError::Type {
                    path: format!("{}[{i}]", self.child(key)),
                    expected: "a string",
                    found: kind(x),
                })
            })
            .collect()
    }
    fn object(&self, key: &str) -> Result<At<'a>, PactError> {
        let v = self.need(key)?;
        let map = v
            .as_object()
            .ok_or_else(|| self.type_err(key, "an object", v))?;
        Ok(At {
            map,
            path: self.child(key),
            version: self.version,
        })
    }
    fn decimal_value(&self, key: &str, v: &Value) -> Result<f64, PactError> {
        let s = v
            .as_str()
            .ok_or_else(|| self.type_err(key, "a decimal string such as \"1.5\"", v))?;
        parse_decimal(s).ok_or_else(|| PactError::Invalid {
            path: self.child(key),
            message: format!("{s:?} is not a decimal (^[+-]?\\d+(\\.\\d+)?$)"),
        })
    }
    fn decimal(&self, key: &str) -> Result<f64, PactError> {
        self.decimal_value(key, self.need(key)?)
    }
    fn opt_decimal(&self, key: &str) -> Result<Option<f64>, PactError> {
        self.get(key)
            .map(|v| self.decimal_value(key, v))
            .transpose()
    }
    /// v2.x types a few values as JSON numbers (v3 made them decimal strings); accept both.
    fn opt_number(&self, key: &str) -> Result<Option<f64>, PactError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .map(Some)
                .ok_or_else(|| self.type_err(key, "a finite number", &Value::Number(n.clone()))),
            Some(v) => self.decimal_value(key, v).map(Some),
        }
    }
}

/// How a required property is typed.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Decimal,
    Strings,
    Bool,
    Integer,
    Number,
}
use Kind::*;

/// The properties the schemas require (v3: the v3.0.4 OpenAPI; v2: the v2.3.3 OpenAPI
/// and SINE's v2 schema), with their types. The ones the import reads are checked
/// where they are read; these are checked so that a document missing any of them is
/// refused, naming it, rather than half-understood.
const V3_TOP: &[(&str, Kind)] = &[("created", Str), ("productDescription", Str)];
const V3_PCF: &[(&str, Kind)] = &[
    ("productMassPerDeclaredUnit", Decimal),
    ("referencePeriodStart", Str),
    ("referencePeriodEnd", Str),
    ("fossilGhgEmissions", Decimal),
    ("fossilCarbonContent", Decimal),
    ("ipccCharacterizationFactors", Strings),
    ("crossSectoralStandards", Strings),
    ("exemptedEmissionsPercent", Decimal),
];
const V2_TOP: &[(&str, Kind)] = &[
    ("created", Str),
    ("version", Integer),
    ("comment", Str),
    ("productDescription", Str),
    ("productCategoryCpc", Str),
];
const V2_PCF: &[(&str, Kind)] = &[
    ("referencePeriodStart", Str),
    ("referencePeriodEnd", Str),
    ("fossilGhgEmissions", Decimal),
    ("fossilCarbonContent", Decimal),
    ("biogenicCarbonContent", Decimal),
    ("characterizationFactors", Str),
    ("ipccCharacterizationFactorsSources", Strings),
    ("crossSectoralStandardsUsed", Strings),
    ("boundaryProcessesDescription", Str),
    ("exemptedEmissionsPercent", Number),
    ("exemptedEmissionsDescription", Str),
    ("packagingEmissionsIncluded", Bool),
];

fn check_required(top: &At<'_>, pcf: &At<'_>, v2: bool) -> Result<(), PactError> {
    let (t, p) = if v2 {
        (V2_TOP, V2_PCF)
    } else {
        (V3_TOP, V3_PCF)
    };
    for (at, list) in [(top, t), (pcf, p)] {
        for &(key, kind) in list {
            let v = at.need(key)?;
            match kind {
                Str => at.string(key).map(drop)?,
                Decimal => at.decimal(key).map(drop)?,
                Strings => at.strings(key).map(drop)?,
                Number => at.opt_number(key).map(drop)?,
                Bool if v.is_boolean() => {}
                Integer if v.is_u64() || v.is_i64() => {}
                Bool => return Err(at.type_err(key, "a boolean", v)),
                Integer => return Err(at.type_err(key, "an integer", v)),
            }
        }
    }
    Ok(())
}

/// Imports one `ProductFootprint` document (v3 or v2.x).
pub fn import_product_footprint(json: &str) -> Result<ImportedFootprint, PactError> {
    let v: Value = serde_json::from_str(json).map_err(|e| PactError::Json(e.to_string()))?;
    from_value(&v, "$")
}

/// Imports a document holding one footprint or a list response `{"data": [...]}`.
pub fn import_product_footprints(json: &str) -> Result<Vec<ImportedFootprint>, PactError> {
    let v: Value = serde_json::from_str(json).map_err(|e| PactError::Json(e.to_string()))?;
    match v.get("data") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| from_value(item, &format!("$.data[{i}]")))
            .collect(),
        Some(other) => Err(PactError::Type {
            path: "$.data".into(),
            expected: "an array of ProductFootprints",
            found: kind(other),
        }),
        None => Ok(vec![from_value(&v, "$")?]),
    }
}

fn from_value(v: &Value, path: &str) -> Result<ImportedFootprint, PactError> {
    let map = v.as_object().ok_or_else(|| PactError::Type {
        path: path.into(),
        expected: "a ProductFootprint object",
        found: kind(v),
    })?;
    let top = At {
        map,
        path: path.into(),
        version: "v2 and v3",
    };
    let spec_version = top.string("specVersion")?.to_string();
    let (version, label) = match spec_version.split('.').next() {
        Some("3") => (PactVersion::V3, "v3"),
        Some("2") => (PactVersion::V2_3, "v2"),
        _ => return Err(PactError::UnsupportedVersion(spec_version)),
    };
    let top = At {
        version: label,
        ..top
    };
    let v2 = version == PactVersion::V2_3;
    let mut warnings = Vec::new();

    let id = top.string("id")?.to_string();
    let raw_status = top.string("status")?.to_string();
    let deprecated = match raw_status.as_str() {
        "Active" => false,
        "Deprecated" => {
            warnings.push(format!(
                "footprint {id} is Deprecated: a newer version exists and PACT says it SHOULD NOT be used"
            ));
            true
        }
        other => {
            return Err(PactError::Invalid {
                path: top.child("status"),
                message: format!("{other:?} is not Active or Deprecated"),
            });
        }
    };
    let company_name = top.string("companyName")?.to_string();
    let company_ids = top.strings("companyIds")?;
    let product_ids = top.strings("productIds")?;
    let product_name = top.string("productNameCompany")?.to_string();
    let product_description = top
        .opt_string("productDescription")?
        .unwrap_or("")
        .to_string();
    let pcf = top.object("pcf")?;
    check_required(&top, &pcf, v2)?;

    let unit_key = if v2 {
        "declaredUnit"
    } else {
        "declaredUnitOfMeasurement"
    };
    let pact_unit = pcf.string(unit_key)?;
    let declared_unit = PACT_UNITS
        .iter()
        .find(|u| u.0 == pact_unit)
        .map(|u| u.1.to_string())
        .ok_or_else(|| PactError::Invalid {
            path: pcf.child(unit_key),
            message: format!(
                "unit {pact_unit:?} has no Zuji equivalent (known: {})",
                PACT_UNITS
                    .iter()
                    .map(|u| u.0)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })?;
    let amount_key = if v2 {
        "unitaryProductAmount"
    } else {
        "declaredUnitAmount"
    };
    let declared_unit_amount = pcf.decimal(amount_key)?;
    if declared_unit_amount <= 0.0 {
        return Err(PactError::Invalid {
            path: pcf.child(amount_key),
            message: format!("must be > 0, got {declared_unit_amount}"),
        });
    }
    // v3 values are per declaredUnitAmount units; v2 values per one declaredUnit.
    let per_unit = if v2 { 1.0 } else { 1.0 / declared_unit_amount };

    let (excluding, including) = if v2 {
        let excl = pcf.decimal("pCfExcludingBiogenic")?;
        let incl = match pcf.opt_decimal("pCfIncludingBiogenic")? {
            Some(x) => x,
            None => {
                warnings.push(
                    "no pCfIncludingBiogenic: using pCfExcludingBiogenic, which leaves out biogenic CO2".into(),
                );
                excl
            }
        };
        (excl, incl)
    } else {
        (
            pcf.decimal("pcfExcludingBiogenicUptake")?,
            pcf.decimal("pcfIncludingBiogenicUptake")?,
        )
    };
    let fossil = pcf.opt_decimal("fossilGhgEmissions")?;

    let primary_data_share = if v2 {
        pcf.opt_number("primaryDataShare")?
    } else {
        pcf.opt_decimal("primaryDataShare")?
    };
    if let Some(p) = primary_data_share
        && !(0.0..=100.0).contains(&p)
    {
        return Err(PactError::Invalid {
            path: pcf.child("primaryDataShare"),
            message: format!("{p} is not a percentage (0–100)"),
        });
    }

    let dqr = match pcf.get("dqi") {
        None => None,
        Some(_) if v2 => {
            warnings.push(
                "dqi: PACT v2 DQRs are on a 1–3 scale; not converted to Zuji's 1–5 ratings".into(),
            );
            None
        }
        Some(_) => {
            let dqi = pcf.object("dqi")?;
            let read = |k: &str| -> Result<f64, PactError> {
                let x = dqi.decimal(k)?;
                if !(1.0..=5.0).contains(&x) {
                    return Err(PactError::Invalid {
                        path: dqi.child(k),
                        message: format!("{x} is outside 1–5"),
                    });
                }
                Ok(x)
            };
            let (ter, ger, tir) = (
                read("technologicalDQR")?,
                read("geographicalDQR")?,
                read("temporalDQR")?,
            );
            warnings.push(
                "dqi: PACT has no precision rating; P is set to the mean of TeR, GeR and TiR"
                    .into(),
            );
            Some(DataQuality::Dqr {
                ter,
                ger,
                tir,
                p: (ter + ger + tir) / 3.0,
            })
        }
    };

    let geography = [
        "geographyCountrySubdivision",
        "geographyCountry",
        "geographyRegionOrSubregion",
    ]
    .iter()
    .map(|k| pcf.opt_string(k))
    .collect::<Result<Vec<_>, _>>()?
    .into_iter()
    .flatten()
    .next()
    .map(String::from);
    let ipcc_key = if v2 {
        "ipccCharacterizationFactorsSources"
    } else {
        "ipccCharacterizationFactors"
    };
    let ipcc_characterization_factors = match pcf.get(ipcc_key) {
        Some(_) => pcf.strings(ipcc_key)?,
        None if v2 => pcf
            .opt_string("characterizationFactors")?
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
        None => {
            return Err(PactError::Missing {
                path: pcf.child(ipcc_key),
                version: label.into(),
            });
        }
    };
    if !ipcc_characterization_factors.iter().any(|f| f == "AR6") {
        warnings.push(format!(
            "characterised with {} rather than AR6",
            ipcc_characterization_factors.join(", ")
        ));
    }

    Ok(ImportedFootprint {
        id,
        spec_version,
        version,
        company_name,
        company_ids,
        product_ids,
        product_name,
        product_description,
        declared_unit,
        declared_unit_amount,
        pcf_per_unit: including * per_unit,
        pcf_excluding_biogenic_per_unit: excluding * per_unit,
        fossil_ghg_per_unit: fossil.map(|f| f * per_unit),
        primary_data_share: primary_data_share.map(|p| p / 100.0),
        dqr,
        reference_period_start: pcf.opt_string("referencePeriodStart")?.map(String::from),
        reference_period_end: pcf.opt_string("referencePeriodEnd")?.map(String::from),
        geography,
        ipcc_characterization_factors,
        raw_status,
        deprecated,
        warnings,
    })
}
