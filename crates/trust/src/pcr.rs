//! Product category rules (PCR, 核算规则标准) as data, and the registry's adopted-standards
//! list (采信清单).
//!
//! A PCR fixes what every footprint of a product category must share so that results are
//! comparable and can be graded: the declared unit, the boundary and stages, the cut-off,
//! allocation and recycling rules, which data must be primary, the minimum data quality, how
//! the category benchmark is set and how grades are banded. PCRs are TOML files
//! (`crates/trust/data/pcrs/*.toml`, field reference in `docs/pcr.md`); [`Pcr::from_toml`]
//! parses and validates one and names the file and field of every problem.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;
use zuji_model::LifeCycleStage;
use zuji_model::product::{RecyclingApproach, SystemBoundary, UnitKind};
use zuji_model::units::Unit;

/// The `basis` of a PCR that follows no published standard.
pub const ZUJI_DRAFT: &str = "Zuji draft";

/// A product category rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pcr {
    /// Stable id, e.g. `zuji:pcr:battery-pack:draft`; product models cite it in `product.pcr`.
    pub id: String,
    pub version: String,
    pub status: PcrStatus,
    /// The id of the PCR that replaces this one, when superseded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    pub title: Title,
    pub category: ProductCategory,
    /// The code of the standard this PCR follows, or [`ZUJI_DRAFT`].
    pub basis: String,
    /// The standards the PCR rests on (including `basis` unless it is a Zuji draft).
    #[serde(default)]
    pub standards: Vec<StandardRef>,
    pub declared_unit: DeclaredUnitRule,
    pub boundary: SystemBoundary,
    pub required_stages: Vec<LifeCycleStage>,
    pub cut_off: CutOffRule,
    pub allocation: AllocationRule,
    pub recycling: RecyclingRule,
    #[serde(default)]
    pub primary_data: Vec<PrimaryDataItem>,
    /// Minimum share (0–1) of the absolute contributions resting on primary data, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_primary_share: Option<MinPrimaryShare>,
    pub data_quality: DataQualityRule,
    pub benchmark: BenchmarkMethod,
    pub grades: GradeBands,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PcrStatus {
    Draft,
    Published,
    Superseded,
    Withdrawn,
}

impl PcrStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PcrStatus::Draft => "draft",
            PcrStatus::Published => "published",
            PcrStatus::Superseded => "superseded",
            PcrStatus::Withdrawn => "withdrawn",
        }
    }
}

/// A title in the platform's three scripts; all three are required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    #[serde(rename = "zh-Hans")]
    pub zh_hans: String,
    #[serde(rename = "zh-Hant")]
    pub zh_hant: String,
    pub en: String,
}

/// The product category a PCR covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductCategory {
    /// Matches `product.category` of a product model.
    pub id: String,
    /// At least one code (CPC, GB/T 4754 or HS), each with its source.
    pub classification: Vec<Classification>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    pub scheme: ClassificationScheme,
    pub code: String,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClassificationScheme {
    /// UN Central Product Classification.
    Cpc,
    /// China's national industry classification GB/T 4754 (国民经济行业分类).
    #[serde(rename = "gb-t-4754")]
    GbT4754,
    /// Harmonized System (customs tariff) heading or subheading.
    Hs,
}

/// A standard a PCR rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardRef {
    pub code: String,
    pub title: String,
    /// `normative`: the PCR follows it; `informative`: consulted, not followed.
    pub role: StandardRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StandardRole {
    Normative,
    Informative,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredUnitRule {
    pub amount: f64,
    pub unit: String,
    pub kind: UnitKind,
    pub description: String,
    pub source: String,
}

/// Cut-off thresholds as fractions (0–1) of the footprint total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CutOffRule {
    /// No single excluded flow may exceed this share.
    pub per_flow: f64,
    /// All excluded flows together may not exceed this share.
    pub total: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationRule {
    pub choice: AllocationChoice,
    pub text: String,
    pub source: String,
}

/// What a PCR allows for multi-output processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AllocationChoice {
    /// ISO 14044 4.3.4.2: avoid, else physical, else economic; economic needs a justification.
    Hierarchy,
    /// Physical (or explicit physically derived factors) only.
    Physical,
    /// Economic allocation is required.
    Economic,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecyclingRule {
    pub approach: RecyclingApproach,
    pub text: String,
    pub source: String,
}

/// An activity whose data must be primary (site-specific).
///
/// Matching rule: every model input and emission has a *match key* — the dataset id for a
/// dataset input (`electricity/cn/national/2023/footprint`), `supplier/<id>` for a supplier
/// footprint, `process/<id>` for a link to another process, `emission/<GAS>` for a direct
/// emission. A pattern matches a key when its `/`-separated segments occur as a contiguous run
/// of the key's segments, compared case-insensitively, with `*` matching any one segment. So
/// `electricity` matches `zuji-default/electricity/CN-South/2023` but not
/// `electricity-mix/cn`. With `stage` set, only inputs in that stage count (an input's own
/// stage, else its process's). The item is present when at least one matching input is
/// flagged primary (the input's `primary`, else its process's, else false — as the engine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrimaryDataItem {
    pub id: String,
    pub title: Title,
    pub patterns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<LifeCycleStage>,
    pub mandatory: bool,
    pub source: String,
}

impl PrimaryDataItem {
    /// Whether any pattern of this item matches `key` (see the type's matching rule).
    pub fn matches(&self, key: &str) -> bool {
        self.patterns.iter().any(|p| pattern_matches(p, key))
    }
}

/// The segment-run match described on [`PrimaryDataItem`].
pub fn pattern_matches(pattern: &str, key: &str) -> bool {
    let pat: Vec<String> = pattern.split('/').map(str::to_lowercase).collect();
    let key: Vec<String> = key.split('/').map(str::to_lowercase).collect();
    if pat.is_empty() || pat.len() > key.len() {
        return false;
    }
    key.windows(pat.len())
        .any(|w| w.iter().zip(&pat).all(|(k, p)| p == "*" || k == p))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinPrimaryShare {
    pub share: f64,
    pub source: String,
}

/// Minimum data quality on the 1 (best) – 5 (worst) scale of `zuji_model::DataQuality`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataQualityRule {
    /// Contribution-weighted mean rating must be at most this.
    pub max_rating: f64,
    /// Share (0–1) of the absolute contributions that must carry a rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_coverage: Option<f64>,
    /// Items contributing at least this share (0–1) must each be rated at most
    /// `max_item_rating`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub significant_share: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_item_rating: Option<f64>,
    pub mandatory: bool,
    pub source: String,
}

/// How a category's default, average and advanced values are set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "kebab-case", deny_unknown_fields)]
pub enum BenchmarkMethod {
    /// Computed from certified footprints of the period.
    Statistical {
        min_sample: usize,
        default: Statistic,
        average: Statistic,
        advanced: Statistic,
        source: String,
    },
    /// Set by a policy document; the values come with each published benchmark.
    Policy { source: String },
}

/// A statistic of the sample of certified footprints.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Statistic {
    Mean,
    Median,
    /// Percentile 0–100, linear interpolation between order statistics (R type 7).
    Percentile(f64),
}

impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Statistic::Mean => f.write_str("mean"),
            Statistic::Median => f.write_str("median"),
            Statistic::Percentile(p) => write!(f, "P{p}"),
        }
    }
}

/// Grade bands, best first. A band holds values up to and including its bound; the last band
/// has no bound and takes everything above.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBands {
    pub bands: Vec<GradeBand>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    pub grade: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<BandBound>,
}

/// A bound `factor × benchmark value`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandBound {
    pub of: BenchmarkLevel,
    pub factor: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BenchmarkLevel {
    Default,
    Average,
    Advanced,
}

/// One thing wrong in a data file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub problem: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}`: {}", self.field, self.problem)
    }
}

fn join_problems(ps: &[FieldProblem]) -> String {
    ps.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Debug, Error, PartialEq)]
pub enum PcrError {
    #[error("{file}: cannot read the PCR: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: invalid PCR: {}", join_problems(.problems))]
    Invalid {
        file: String,
        problems: Vec<FieldProblem>,
    },
}

impl Pcr {
    /// Parses and validates a PCR; `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<Pcr, PcrError> {
        let pcr: Pcr = toml::from_str(text).map_err(|e| PcrError::Parse {
            file: file.to_string(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        let problems = pcr.validate();
        if problems.is_empty() {
            Ok(pcr)
        } else {
            Err(PcrError::Invalid {
                file: file.to_string(),
                problems,
            })
        }
    }

    /// Every problem of the PCR, each naming its field; empty when valid.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut v = Problems::default();
        v.non_empty("id", &self.id);
        v.non_empty("version", &self.version);
        v.title("title", &self.title);
        match (self.status, &self.superseded_by) {
            (PcrStatus::Superseded, None) => v.push(
                "superseded_by",
                "a superseded PCR must name the PCR that replaces it",
            ),
            (s, Some(_)) if s != PcrStatus::Superseded => v.push(
                "superseded_by",
                format!(
                    "only a superseded PCR names a successor, this one is {}",
                    s.as_str()
                ),
            ),
            _ => {}
        }
        v.non_empty("category.id", &self.category.id);
        if self.category.classification.is_empty() {
            v.push(
                "category.classification",
                "at least one classification code (CPC, GB/T 4754 or HS) is required",
            );
        }
        for (i, c) in self.category.classification.iter().enumerate() {
            let f = format!("category.classification[{i}]");
            if let Err(e) = check_code(c.scheme, &c.code) {
                v.push(format!("{f}.code"), e);
            }
            v.non_empty(&format!("{f}.source"), &c.source);
        }
        v.non_empty("basis", &self.basis);
        if self.basis == ZUJI_DRAFT {
            if self.status != PcrStatus::Draft {
                v.push(
                    "status",
                    "a PCR whose basis is a Zuji draft can only have status draft",
                );
            }
        } else if !self
            .standards
            .iter()
            .any(|s| s.code == self.basis && s.role == StandardRole::Normative)
        {
            v.push(
                "basis",
                format!(
                    "'{}' must be listed in `standards` with role normative",
                    self.basis
                ),
            );
        }
        for (i, s) in self.standards.iter().enumerate() {
            v.non_empty(&format!("standards[{i}].code"), &s.code);
            v.non_empty(&format!("standards[{i}].title"), &s.title);
        }
        let du = &self.declared_unit;
        if !(du.amount.is_finite() && du.amount > 0.0) {
            v.push(
                "declared_unit.amount",
                format!("must be a positive number, got {}", du.amount),
            );
        }
        if let Err(e) = Unit::parse(&du.unit) {
            v.push("declared_unit.unit", e);
        }
        v.non_empty("declared_unit.description", &du.description);
        v.non_empty("declared_unit.source", &du.source);
        if self.required_stages.is_empty() {
            v.push("required_stages", "at least one stage is required");
        }
        for (i, s) in self.required_stages.iter().enumerate() {
            if self.required_stages[..i].contains(s) {
                v.push(
                    format!("required_stages[{i}]"),
                    format!("{s} is listed twice"),
                );
            }
            if self.boundary == SystemBoundary::CradleToGate
                && matches!(
                    s,
                    LifeCycleStage::Distribution | LifeCycleStage::Use | LifeCycleStage::EndOfLife
                )
            {
                v.push(
                    format!("required_stages[{i}]"),
                    format!("{s} lies outside a cradle-to-gate boundary"),
                );
            }
        }
        let c = &self.cut_off;
        v.fraction("cut_off.per_flow", c.per_flow);
        v.fraction("cut_off.total", c.total);
        if c.per_flow > c.total {
            v.push(
                "cut_off.per_flow",
                format!(
                    "per-flow threshold {} exceeds the total threshold {}",
                    c.per_flow, c.total
                ),
            );
        }
        v.non_empty("cut_off.source", &c.source);
        v.non_empty("allocation.text", &self.allocation.text);
        v.non_empty("allocation.source", &self.allocation.source);
        v.non_empty("recycling.text", &self.recycling.text);
        v.non_empty("recycling.source", &self.recycling.source);
        for (i, p) in self.primary_data.iter().enumerate() {
            let f = format!("primary_data[{i}]");
            v.non_empty(&format!("{f}.id"), &p.id);
            if self.primary_data[..i].iter().any(|q| q.id == p.id) {
                v.push(format!("{f}.id"), format!("'{}' is used twice", p.id));
            }
            v.title(&format!("{f}.title"), &p.title);
            if p.patterns.is_empty() {
                v.push(format!("{f}.patterns"), "at least one pattern is required");
            }
            for (j, pat) in p.patterns.iter().enumerate() {
                if pat.split('/').any(|s| s.trim().is_empty()) {
                    v.push(
                        format!("{f}.patterns[{j}]"),
                        format!("'{pat}' has an empty segment"),
                    );
                }
            }
            v.non_empty(&format!("{f}.source"), &p.source);
        }
        if let Some(m) = &self.min_primary_share {
            v.fraction("min_primary_share.share", m.share);
            v.non_empty("min_primary_share.source", &m.source);
        }
        let dq = &self.data_quality;
        v.rating("data_quality.max_rating", dq.max_rating);
        if let Some(c) = dq.min_coverage {
            v.fraction("data_quality.min_coverage", c);
        }
        match (dq.significant_share, dq.max_item_rating) {
            (Some(s), Some(r)) => {
                v.fraction("data_quality.significant_share", s);
                v.rating("data_quality.max_item_rating", r);
            }
            (None, None) => {}
            _ => v.push(
                "data_quality",
                "significant_share and max_item_rating go together",
            ),
        }
        v.non_empty("data_quality.source", &dq.source);
        match &self.benchmark {
            BenchmarkMethod::Statistical {
                min_sample,
                default,
                average,
                advanced,
                source,
            } => {
                if *min_sample < 2 {
                    v.push(
                        "benchmark.min_sample",
                        format!("must be at least 2, got {min_sample}"),
                    );
                }
                for (name, s) in [
                    ("default", default),
                    ("average", average),
                    ("advanced", advanced),
                ] {
                    if let Statistic::Percentile(p) = s
                        && !(0.0..=100.0).contains(p)
                    {
                        v.push(
                            format!("benchmark.{name}"),
                            format!("percentile must lie in 0–100, got {p}"),
                        );
                    }
                }
                v.non_empty("benchmark.source", source);
            }
            BenchmarkMethod::Policy { source } => v.non_empty("benchmark.source", source),
        }
        self.validate_grades(&mut v);
        v.0
    }

    fn validate_grades(&self, v: &mut Problems) {
        let bands = &self.grades.bands;
        if bands.len() < 2 {
            v.push("grades.bands", "at least two bands are required");
        }
        for (i, b) in bands.iter().enumerate() {
            let f = format!("grades.bands[{i}]");
            v.non_empty(&format!("{f}.grade"), &b.grade);
            if bands[..i].iter().any(|c| c.grade == b.grade) {
                v.push(format!("{f}.grade"), format!("'{}' is used twice", b.grade));
            }
            let last = i + 1 == bands.len();
            match (&b.at_most, last) {
                (None, false) => v.push(
                    format!("{f}.at_most"),
                    "only the last band may be unbounded",
                ),
                (Some(_), true) => v.push(
                    format!("{f}.at_most"),
                    "the last band must be unbounded so that every value gets a grade",
                ),
                (Some(bound), false) if !(bound.factor.is_finite() && bound.factor > 0.0) => v
                    .push(
                        format!("{f}.at_most.factor"),
                        format!("must be a positive number, got {}", bound.factor),
                    ),
                _ => {}
            }
        }
        v.non_empty("grades.source", &self.grades.source);
    }
}

#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn push(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push(FieldProblem {
            field: field.into(),
            problem: problem.into(),
        });
    }
    fn non_empty(&mut self, field: &str, s: &str) {
        if s.trim().is_empty() {
            self.push(field, "must not be empty");
        }
    }
    fn title(&mut self, field: &str, t: &Title) {
        self.non_empty(&format!("{field}.zh-Hans"), &t.zh_hans);
        self.non_empty(&format!("{field}.zh-Hant"), &t.zh_hant);
        self.non_empty(&format!("{field}.en"), &t.en);
    }
    fn fraction(&mut self, field: &str, x: f64) {
        if !(0.0..=1.0).contains(&x) {
            self.push(
                field,
                format!("must be a fraction between 0 and 1, got {x}"),
            );
        }
    }
    fn rating(&mut self, field: &str, x: f64) {
        if !(1.0..=5.0).contains(&x) {
            self.push(field, format!("must be a rating between 1 and 5, got {x}"));
        }
    }
}

/// The shape of a classification code: digits (HS may carry dots), of the scheme's lengths.
fn check_code(scheme: ClassificationScheme, code: &str) -> Result<(), String> {
    let digits: String = code.chars().filter(|c| *c != '.').collect();
    let (ok_len, name): (&[usize], &str) = match scheme {
        // CPC Ver. 2.1: section (1 digit) to subclass (5 digits).
        ClassificationScheme::Cpc => (&[1, 2, 3, 4, 5], "CPC"),
        // GB/T 4754: division (2 digits), group (3), class (4); the letter section is not a code here.
        ClassificationScheme::GbT4754 => (&[2, 3, 4], "GB/T 4754"),
        // HS: heading (4), subheading (6), national extensions (8 or 10).
        ClassificationScheme::Hs => (&[4, 6, 8, 10], "HS"),
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) || !ok_len.contains(&digits.len()) {
        return Err(format!(
            "'{code}' is not a {name} code (expected {} digits)",
            ok_len
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if scheme != ClassificationScheme::Hs && digits.len() != code.len() {
        return Err(format!("'{code}': only HS codes may contain dots"));
    }
    Ok(())
}

/// The PCRs shipped with Zuji, as `(file name, text)`.
pub const BUNDLED_PCR_FILES: &[(&str, &str)] = &[
    (
        "battery-pack.toml",
        include_str!("../data/pcrs/battery-pack.toml"),
    ),
    (
        "pv-module.toml",
        include_str!("../data/pcrs/pv-module.toml"),
    ),
    ("apparel.toml", include_str!("../data/pcrs/apparel.toml")),
    (
        "steel-hot-rolled-coil.toml",
        include_str!("../data/pcrs/steel-hot-rolled-coil.toml"),
    ),
    (
        "aluminium-extrusion.toml",
        include_str!("../data/pcrs/aluminium-extrusion.toml"),
    ),
];

/// Parses and validates every bundled PCR.
pub fn bundled_pcrs() -> Result<Vec<Pcr>, PcrError> {
    BUNDLED_PCR_FILES
        .iter()
        .map(|(name, text)| Pcr::from_toml(text, &format!("data/pcrs/{name}")))
        .collect()
}

/// The bundled PCR with this id, if any.
pub fn bundled_pcr(id: &str) -> Result<Option<Pcr>, PcrError> {
    Ok(bundled_pcrs()?.into_iter().find(|p| p.id == id))
}

// ---------------------------------------------------------------------------------------
// The adopted-standards list (采信清单)
// ---------------------------------------------------------------------------------------

/// The registry operator's list of standards it accepts as the basis of certification.
/// Each publication is a new version; entries are never deleted, only superseded or
/// withdrawn, so that a certificate's basis can always be looked up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdoptedStandardsList {
    pub version: u32,
    /// `YYYY-MM-DD`.
    pub published: String,
    pub operator: String,
    #[serde(rename = "entry", default)]
    pub entries: Vec<AdoptedStandard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdoptedStandard {
    pub code: String,
    pub title: Title,
    pub issuer: String,
    pub status: AdoptionStatus,
    /// `YYYY-MM-DD`, as for every date below.
    pub adopted_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_on: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<String>,
    /// Where the standard's identity and dates were taken from.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdoptionStatus {
    Adopted,
    Superseded,
    Withdrawn,
}

/// One change in a new version of the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum ListChange {
    /// Adopt a standard not yet on the list (its status must be `adopted`).
    Adopt(AdoptedStandard),
    /// An adopted standard is replaced by another one on the list (or adopted in the same
    /// publication).
    Supersede {
        code: String,
        by: String,
        on: String,
    },
    /// An adopted or superseded standard is no longer accepted.
    Withdraw { code: String, on: String },
}

#[derive(Debug, Error, PartialEq)]
pub enum ListError {
    #[error("{file}: cannot read the adopted-standards list: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: invalid adopted-standards list: {}", join_problems(.problems))]
    Invalid {
        file: String,
        problems: Vec<FieldProblem>,
    },
    #[error(
        "publishing version {version} of the adopted-standards list: change {index}: {problem}"
    )]
    IllegalChange {
        version: u32,
        index: usize,
        problem: String,
    },
    #[error("publishing version {version} of the adopted-standards list: {problem}")]
    IllegalPublication { version: u32, problem: String },
}

impl AdoptedStandardsList {
    pub fn from_toml(text: &str, file: &str) -> Result<Self, ListError> {
        let list: AdoptedStandardsList = toml::from_str(text).map_err(|e| ListError::Parse {
            file: file.to_string(),
            message: e.to_string().trim().replace('\n', " "),
        })?;
        let problems = list.validate();
        if problems.is_empty() {
            Ok(list)
        } else {
            Err(ListError::Invalid {
                file: file.to_string(),
                problems,
            })
        }
    }

    /// Every inconsistency in the list, each naming its field; empty when valid.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut v = Problems::default();
        if self.version == 0 {
            v.push("version", "versions start at 1");
        }
        if let Err(e) = check_date(&self.published) {
            v.push("published", e);
        }
        v.non_empty("operator", &self.operator);
        for (i, e) in self.entries.iter().enumerate() {
            let f = format!("entry[{i}]");
            v.non_empty(&format!("{f}.code"), &e.code);
            if self.entries[..i].iter().any(|o| o.code == e.code) {
                v.push(format!("{f}.code"), format!("'{}' is listed twice", e.code));
            }
            v.title(&format!("{f}.title"), &e.title);
            v.non_empty(&format!("{f}.issuer"), &e.issuer);
            v.non_empty(&format!("{f}.source"), &e.source);
            let dates = [
                ("adopted_on", Some(&e.adopted_on)),
                ("superseded_on", e.superseded_on.as_ref()),
                ("withdrawn_on", e.withdrawn_on.as_ref()),
            ];
            for (name, d) in dates {
                if let Some(d) = d {
                    if let Err(p) = check_date(d) {
                        v.push(format!("{f}.{name}"), p);
                    } else if d.as_str() > self.published.as_str() {
                        v.push(
                            format!("{f}.{name}"),
                            format!(
                                "{d} is after the list's publication date {}",
                                self.published
                            ),
                        );
                    } else if d.as_str() < e.adopted_on.as_str() {
                        v.push(
                            format!("{f}.{name}"),
                            format!("{d} is before adoption on {}", e.adopted_on),
                        );
                    }
                }
            }
            let superseded = e.superseded_on.is_some() || e.superseded_by.is_some();
            match e.status {
                AdoptionStatus::Adopted if superseded || e.withdrawn_on.is_some() => v.push(
                    format!("{f}.status"),
                    "an adopted entry has no superseded or withdrawn dates",
                ),
                AdoptionStatus::Superseded
                    if e.superseded_on.is_none() || e.superseded_by.is_none() =>
                {
                    v.push(
                        format!("{f}.status"),
                        "a superseded entry needs superseded_on and superseded_by",
                    )
                }
                AdoptionStatus::Withdrawn if e.withdrawn_on.is_none() => v.push(
                    format!("{f}.withdrawn_on"),
                    "a withdrawn entry needs its withdrawal date",
                ),
                _ => {}
            }
            if let Some(by) = &e.superseded_by {
                if by == &e.code {
                    v.push(
                        format!("{f}.superseded_by"),
                        "an entry cannot supersede itself",
                    );
                } else if !self.entries.iter().any(|o| &o.code == by) {
                    v.push(
                        format!("{f}.superseded_by"),
                        format!("'{by}' is not on the list"),
                    );
                }
            }
        }
        v.0
    }

    pub fn entry(&self, code: &str) -> Option<&AdoptedStandard> {
        self.entries.iter().find(|e| e.code == code)
    }

    /// Whether `code` is on the list with status adopted.
    pub fn is_adopted(&self, code: &str) -> bool {
        self.entry(code)
            .is_some_and(|e| e.status == AdoptionStatus::Adopted)
    }

    /// The next version (this version + 1) with `changes` applied in order. Refuses an empty
    /// change set, a publication date before this version's, and every illegal change:
    /// adopting a code already listed, superseding or withdrawing an unknown code, superseding
    /// a code that is not adopted, superseding by an unknown or non-adopted code or by itself,
    /// withdrawing a code already withdrawn, and dates outside adoption..publication.
    pub fn publish(&self, published: &str, changes: &[ListChange]) -> Result<Self, ListError> {
        let version = self.version + 1;
        let fail = |problem: String| ListError::IllegalPublication { version, problem };
        check_date(published).map_err(&fail)?;
        if published < self.published.as_str() {
            return Err(fail(format!(
                "publication date {published} is before version {}'s {}",
                self.version, self.published
            )));
        }
        if changes.is_empty() {
            return Err(fail("no changes to publish".into()));
        }
        let mut next = self.clone();
        next.version = version;
        next.published = published.to_string();
        for (index, change) in changes.iter().enumerate() {
            apply(&mut next, change, published).map_err(|problem| ListError::IllegalChange {
                version,
                index,
                problem,
            })?;
        }
        let problems = next.validate();
        if let Some(p) = problems.first() {
            return Err(fail(format!("the result would be inconsistent: {p}")));
        }
        Ok(next)
    }
}

fn apply(
    list: &mut AdoptedStandardsList,
    change: &ListChange,
    published: &str,
) -> Result<(), String> {
    let in_window = |on: &str, after: &str| -> Result<(), String> {
        check_date(on)?;
        if on > published {
            return Err(format!(
                "date {on} is after the publication date {published}"
            ));
        }
        if on < after {
            return Err(format!("date {on} is before adoption on {after}"));
        }
        Ok(())
    };
    match change {
        ListChange::Adopt(e) => {
            if list.entry(&e.code).is_some() {
                return Err(format!("'{}' is already on the list", e.code));
            }
            if e.status != AdoptionStatus::Adopted {
                return Err(format!(
                    "a newly adopted entry '{}' must have status adopted",
                    e.code
                ));
            }
            in_window(&e.adopted_on, "0000-01-01")?;
            list.entries.push(e.clone());
        }
        ListChange::Supersede { code, by, on } => {
            if code == by {
                return Err(format!("'{code}' cannot supersede itself"));
            }
            if !list.is_adopted(by) {
                return Err(format!(
                    "successor '{by}' must be on the list with status adopted"
                ));
            }
            let e = list
                .entries
                .iter_mut()
                .find(|e| &e.code == code)
                .ok_or_else(|| format!("cannot supersede '{code}': not on the list"))?;
            if e.status != AdoptionStatus::Adopted {
                return Err(format!(
                    "cannot supersede '{code}': its status is {:?}, not adopted",
                    e.status
                ));
            }
            in_window(on, &e.adopted_on)?;
            e.status = AdoptionStatus::Superseded;
            e.superseded_on = Some(on.clone());
            e.superseded_by = Some(by.clone());
        }
        ListChange::Withdraw { code, on } => {
            let e = list
                .entries
                .iter_mut()
                .find(|e| &e.code == code)
                .ok_or_else(|| format!("cannot withdraw '{code}': not on the list"))?;
            if e.status == AdoptionStatus::Withdrawn {
                return Err(format!("cannot withdraw '{code}': already withdrawn"));
            }
            in_window(on, &e.adopted_on)?;
            e.status = AdoptionStatus::Withdrawn;
            e.withdrawn_on = Some(on.clone());
        }
    }
    Ok(())
}

/// Checks a `YYYY-MM-DD` calendar date (Gregorian, leap years included). Such dates order
/// correctly as strings, which the list relies on.
pub fn check_date(s: &str) -> Result<(), String> {
    let bad = || format!("'{s}' is not a date of the form YYYY-MM-DD");
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, String> {
        let part = &s[r];
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(format!("'{s}': month {m} does not exist")),
    };
    if d == 0 || d > days {
        return Err(format!("'{s}': day {d} does not exist in month {m}"));
    }
    Ok(())
}

/// The adopted-standards list shipped with Zuji.
pub fn bundled_adopted_standards() -> Result<AdoptedStandardsList, ListError> {
    AdoptedStandardsList::from_toml(
        include_str!("../data/adopted-standards.toml"),
        "data/adopted-standards.toml",
    )
}
