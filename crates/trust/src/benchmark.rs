//! Category benchmarks (默认值、平均值、先进值) and grades.
//!
//! For each PCR and period the registry publishes a [`BenchmarkVersion`]: a default value
//! (deliberately conservative, used where an enterprise has no primary data), an average
//! value and an advanced value, either computed from certified footprints ([`compute`]) or set
//! by policy ([`from_policy`]). A certified footprint's grade follows from the benchmark and
//! the PCR's bands ([`grade`]); a label records which benchmark version graded it.
//!
//! Statistics (documented in `docs/pcr.md`): the mean is the arithmetic mean; percentiles use
//! linear interpolation between order statistics (Hyndman & Fan 1996 definition 7, R's
//! default `type = 7`): for sorted values x₀ ≤ … ≤ xₙ₋₁ and p in 0–100, h = (n − 1)·p/100 and
//! P = x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋); the median is P50; the standard deviation uses n − 1.

use crate::pcr::{BenchmarkLevel, BenchmarkMethod, GradeBands, Pcr, Statistic, check_date};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkValues {
    /// kg CO2e per declared unit, as are the other two.
    pub default: f64,
    pub average: f64,
    pub advanced: f64,
}

impl BenchmarkValues {
    pub fn get(&self, level: BenchmarkLevel) -> f64 {
        match level {
            BenchmarkLevel::Default => self.default,
            BenchmarkLevel::Average => self.average,
            BenchmarkLevel::Advanced => self.advanced,
        }
    }
}

/// Descriptive statistics of the sample a benchmark was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SampleStatistics {
    pub n: usize,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub median: f64,
    /// Sample standard deviation (divisor n − 1).
    pub std_dev: f64,
}

/// One published benchmark of a PCR for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkVersion {
    pub pcr_id: String,
    pub pcr_version: String,
    /// The period the certified footprints belong to, e.g. `2025`.
    pub period: String,
    /// 1, 2, … per PCR and period; a correction is a new version, never an edit.
    pub version: u32,
    /// The declared unit the values are per, e.g. `1 kWh`.
    pub unit: String,
    pub values: BenchmarkValues,
    pub method: BenchmarkMethod,
    /// Present for a statistical benchmark.
    pub sample_size: Option<usize>,
    pub statistics: Option<SampleStatistics>,
    /// For a policy benchmark, the document that sets the values.
    pub source: String,
    /// The licence the values are published under, e.g. `CC BY 4.0`; `None` where no
    /// licence is stated. Absent from versions published before it was recorded, which
    /// therefore serialise (and hash in the transparency log) exactly as they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Where the values apply: an ISO 3166-1 alpha-2 code with an optional ISO 3166-2
    /// subdivision, `CN` or `CN-GD` ([`check_geography`]); `None` where not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geography: Option<String>,
    /// `YYYY-MM-DD` or an RFC 3339 timestamp.
    pub published_at: String,
}

/// Whether `code` has the shape of an ISO 3166 code as the platform writes geographies:
/// two capital letters (ISO 3166-1 alpha-2, `CN`), optionally a hyphen and one to three
/// capital letters or digits (an ISO 3166-2 subdivision, `CN-GD`). Only the shape is
/// checked: no list of codes is bundled. The problem as a sentence.
pub fn check_geography(code: &str) -> Result<(), String> {
    let upper = |s: &str| s.bytes().all(|b| b.is_ascii_uppercase());
    let (country, subdivision) = match code.split_once('-') {
        Some((c, s)) => (c, Some(s)),
        None => (code, None),
    };
    let country_ok = country.len() == 2 && upper(country);
    let subdivision_ok = subdivision.is_none_or(|s| {
        (1..=3).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    });
    if country_ok && subdivision_ok {
        Ok(())
    } else {
        Err(format!(
            "geography '{code}' is not an ISO 3166 code such as CN or CN-GD"
        ))
    }
}

/// A graded footprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// The band's label, e.g. `A` or `1`.
    pub grade: String,
    /// 1 for the best band.
    pub rank: usize,
    /// The band's inclusive upper bound in kg CO2e per declared unit; `None` for the last.
    pub upper_bound: Option<f64>,
    pub pcr_id: String,
    pub benchmark_version: u32,
    pub period: String,
}

#[derive(Debug, Error, PartialEq)]
pub enum BenchmarkError {
    #[error(
        "benchmark of {pcr} for {period}: {n} certified footprint(s), the PCR requires at least {min}"
    )]
    InsufficientSample {
        pcr: String,
        period: String,
        n: usize,
        min: usize,
    },
    #[error("benchmark of {pcr} for {period}: footprint #{index} is {value}, not a finite number")]
    BadFootprint {
        pcr: String,
        period: String,
        index: usize,
        value: f64,
    },
    #[error("benchmark of {pcr}: the PCR's method is {found}, not {wanted}")]
    WrongMethod {
        pcr: String,
        found: &'static str,
        wanted: &'static str,
    },
    #[error("benchmark of {pcr} for {period}: {problem}")]
    Invalid {
        pcr: String,
        period: String,
        problem: String,
    },
    #[error("grading with benchmark {pcr} {period} v{version}: {problem}")]
    Grading {
        pcr: String,
        period: String,
        version: u32,
        problem: String,
    },
}

/// The percentile `p` (0–100) of `sorted` (ascending, non-empty, finite) by R type 7.
/// `None` when `sorted` is empty or `p` is outside 0–100.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// `stat` of `sorted` (ascending, non-empty, finite).
pub fn statistic(sorted: &[f64], stat: Statistic) -> Option<f64> {
    match stat {
        Statistic::Mean if !sorted.is_empty() => {
            Some(sorted.iter().sum::<f64>() / sorted.len() as f64)
        }
        Statistic::Mean => None,
        Statistic::Median => percentile(sorted, 50.0),
        Statistic::Percentile(p) => percentile(sorted, p),
    }
}

/// Descriptive statistics of a sample of at least two finite values.
pub fn describe(values: &[f64]) -> Option<SampleStatistics> {
    if values.len() < 2 || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let mean = sorted.iter().sum::<f64>() / n as f64;
    let var = sorted.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    Some(SampleStatistics {
        n,
        min: sorted[0],
        max: sorted[n - 1],
        mean,
        median: percentile(&sorted, 50.0)?,
        std_dev: var.sqrt(),
    })
}

/// Computes a benchmark from certified footprints (kg CO2e per declared unit) with the
/// PCR's statistical method. Refuses fewer footprints than the PCR's minimum sample, any
/// non-finite value, and values out of order (advanced ≤ average ≤ default must hold, and
/// the grade bands must come out strictly increasing).
pub fn compute(
    pcr: &Pcr,
    period: &str,
    version: u32,
    footprints: &[f64],
    published_at: &str,
) -> Result<BenchmarkVersion, BenchmarkError> {
    let BenchmarkMethod::Statistical {
        min_sample,
        default,
        average,
        advanced,
        source,
    } = &pcr.benchmark
    else {
        return Err(BenchmarkError::WrongMethod {
            pcr: pcr.id.clone(),
            found: "policy",
            wanted: "statistical",
        });
    };
    let invalid = |problem: String| BenchmarkError::Invalid {
        pcr: pcr.id.clone(),
        period: period.to_string(),
        problem,
    };
    if let Some((index, &value)) = footprints.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(BenchmarkError::BadFootprint {
            pcr: pcr.id.clone(),
            period: period.to_string(),
            index,
            value,
        });
    }
    if footprints.len() < *min_sample || footprints.len() < 2 {
        return Err(BenchmarkError::InsufficientSample {
            pcr: pcr.id.clone(),
            period: period.to_string(),
            n: footprints.len(),
            min: (*min_sample).max(2),
        });
    }
    let mut sorted = footprints.to_vec();
    sorted.sort_by(f64::total_cmp);
    let stat = |s: Statistic, name: &str| {
        statistic(&sorted, s)
            .ok_or_else(|| invalid(format!("the {name} statistic {s} is undefined")))
    };
    let values = BenchmarkValues {
        default: stat(*default, "default")?,
        average: stat(*average, "average")?,
        advanced: stat(*advanced, "advanced")?,
    };
    let statistics =
        describe(&sorted).ok_or_else(|| invalid("cannot describe the sample".into()))?;
    let b = BenchmarkVersion {
        pcr_id: pcr.id.clone(),
        pcr_version: pcr.version.clone(),
        period: period.to_string(),
        version,
        unit: format!("{} {}", pcr.declared_unit.amount, pcr.declared_unit.unit),
        values,
        method: pcr.benchmark.clone(),
        sample_size: Some(sorted.len()),
        statistics: Some(statistics),
        source: source.clone(),
        licence: None,
        geography: None,
        published_at: published_at.to_string(),
    };
    b.check(pcr).map_err(invalid)?;
    Ok(b)
}

/// A benchmark whose values a policy document sets; `source` cites it.
pub fn from_policy(
    pcr: &Pcr,
    period: &str,
    version: u32,
    values: BenchmarkValues,
    source: &str,
    published_at: &str,
) -> Result<BenchmarkVersion, BenchmarkError> {
    if !matches!(pcr.benchmark, BenchmarkMethod::Policy { .. }) {
        return Err(BenchmarkError::WrongMethod {
            pcr: pcr.id.clone(),
            found: "statistical",
            wanted: "policy",
        });
    }
    let b = BenchmarkVersion {
        pcr_id: pcr.id.clone(),
        pcr_version: pcr.version.clone(),
        period: period.to_string(),
        version,
        unit: format!("{} {}", pcr.declared_unit.amount, pcr.declared_unit.unit),
        values,
        method: pcr.benchmark.clone(),
        sample_size: None,
        statistics: None,
        source: source.to_string(),
        licence: None,
        geography: None,
        published_at: published_at.to_string(),
    };
    b.check(pcr).map_err(|problem| BenchmarkError::Invalid {
        pcr: pcr.id.clone(),
        period: period.to_string(),
        problem,
    })?;
    Ok(b)
}

impl BenchmarkVersion {
    /// Consistency of a benchmark with its PCR; the problem as a sentence.
    pub fn check(&self, pcr: &Pcr) -> Result<(), String> {
        if self.pcr_id != pcr.id || self.pcr_version != pcr.version {
            return Err(format!(
                "benchmark is for PCR {} {}, not {} {}",
                self.pcr_id, self.pcr_version, pcr.id, pcr.version
            ));
        }
        if self.period.trim().is_empty() {
            return Err("the period must not be empty".into());
        }
        if self.version == 0 {
            return Err("benchmark versions start at 1".into());
        }
        if self.source.trim().is_empty() {
            return Err("the benchmark must cite its source".into());
        }
        if self.licence.as_deref().is_some_and(|l| l.trim().is_empty()) {
            return Err("the licence, when given, must not be empty".into());
        }
        if let Some(g) = &self.geography {
            check_geography(g)?;
        }
        check_timestamp(&self.published_at)?;
        let v = self.values;
        for (name, x) in [
            ("default", v.default),
            ("average", v.average),
            ("advanced", v.advanced),
        ] {
            if !x.is_finite() {
                return Err(format!("the {name} value {x} is not a finite number"));
            }
        }
        if !(v.advanced <= v.average && v.average <= v.default) {
            return Err(format!(
                "values out of order: advanced {} ≤ average {} ≤ default {} must hold",
                v.advanced, v.average, v.default
            ));
        }
        self.thresholds(&pcr.grades).map(|_| ())
    }

    /// Each band's label and inclusive upper bound (`None` for the last), best first.
    /// Bounds must increase strictly, or two bands would overlap.
    pub fn thresholds(&self, bands: &GradeBands) -> Result<Vec<(String, Option<f64>)>, String> {
        let mut out: Vec<(String, Option<f64>)> = Vec::with_capacity(bands.bands.len());
        for (i, b) in bands.bands.iter().enumerate() {
            let last = i + 1 == bands.bands.len();
            let bound = match (&b.at_most, last) {
                (Some(at), false) => Some(at.factor * self.values.get(at.of)),
                (None, true) => None,
                _ => {
                    return Err(format!(
                        "band '{}': only the last band is unbounded, and it must be",
                        b.grade
                    ));
                }
            };
            if let Some(x) = bound
                && !x.is_finite()
            {
                return Err(format!(
                    "band '{}' bound {x} is not a finite number",
                    b.grade
                ));
            }
            if let (Some(x), Some((prev_label, Some(prev)))) = (bound, out.last())
                && x <= *prev
            {
                return Err(format!(
                    "band '{}' bound {x} does not exceed band '{prev_label}' bound {prev}",
                    b.grade
                ));
            }
            out.push((b.grade.clone(), bound));
        }
        if out.len() < 2 {
            return Err("at least two bands are required".into());
        }
        Ok(out)
    }
}

fn check_timestamp(s: &str) -> Result<(), String> {
    let date = s
        .get(..10)
        .ok_or_else(|| format!("published_at '{s}' is not a date"))?;
    check_date(date).map_err(|e| format!("published_at: {e}"))?;
    if s.len() > 10 && !s[10..].starts_with('T') {
        return Err(format!(
            "published_at '{s}' is neither YYYY-MM-DD nor an RFC 3339 timestamp"
        ));
    }
    Ok(())
}

/// The grade of `value` (kg CO2e per declared unit): the first band, best first, whose
/// bound is at least `value`. A value exactly on a bound gets the better grade (bounds are
/// inclusive), so the same number always gets the same grade. Refuses a non-finite value and
/// bands that do not increase strictly with this benchmark's values.
pub fn grade(
    value: f64,
    benchmark: &BenchmarkVersion,
    bands: &GradeBands,
) -> Result<Grade, BenchmarkError> {
    let fail = |problem: String| BenchmarkError::Grading {
        pcr: benchmark.pcr_id.clone(),
        period: benchmark.period.clone(),
        version: benchmark.version,
        problem,
    };
    if !value.is_finite() {
        return Err(fail(format!("footprint {value} is not a finite number")));
    }
    let thresholds = benchmark.thresholds(bands).map_err(fail)?;
    let (rank, (label, bound)) = thresholds
        .iter()
        .enumerate()
        .find(|(_, (_, bound))| bound.is_none_or(|b| value <= b))
        .ok_or_else(|| fail("no band takes this value".into()))?;
    Ok(Grade {
        grade: label.clone(),
        rank: rank + 1,
        upper_bound: *bound,
        pcr_id: benchmark.pcr_id.clone(),
        benchmark_version: benchmark.version,
        period: benchmark.period.clone(),
    })
}
