//! The desks' read models: what the registry operator's desk counts (products,
//! certificates and labels by category, region and grade over time; organisations with
//! their users; background database versions with their provenance and use) and what a
//! certification body's desk lists (its queue of applications, one application under
//! review with the footprint and PCR check it rests on, its certificates).
//!
//! Every figure is counted from stored records here, in SQL both backends run alike
//! (times are grouped by UTC day as `created_at / 86400000`, and days are folded into
//! months or quarters in Rust, so no dialect's date functions are needed).
//!
//! Region: the `product.geography` a product's model states (for a product, its latest
//! model version; for a certificate or label, the certified model version) — the only
//! place the platform records where a product comes from (organisations carry no
//! region). It and the database versions' `database.toml` facts are read once from the
//! immutable stored records into `model_version_facts` / `database_version_facts`
//! (migration 0007) the first time the desk needs them.
//!
//! Access: statistics, organisations and database provenance are for the registry
//! operator (and the system); the certification queue and reviews for the body named
//! in the applications (and the registry).

use crate::trust::now_seconds;
use crate::{
    DatabaseVersion, FootprintRow, Job, OrgKind, Page, PageRequest, Scope, Store, StoreError,
    StoredApplication, StoredCertificate, StoredLabel, Viewer, now_ms,
};
use serde::Serialize;
use std::collections::BTreeMap;
use zuji_trust::certification::Timestamp;
use zuji_trust::conformance::ConformanceReport;

const DAY_MS: i64 = 86_400_000;

/// How many products, certificates and labels a group holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub products: u64,
    /// Every certificate issued, whatever its status now.
    pub certificates: u64,
    /// Certificates whose recorded status is valid and whose validity has not ended.
    pub certificates_valid: u64,
    pub labels: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.products += other.products;
        self.certificates += other.certificates;
        self.certificates_valid += other.certificates_valid;
        self.labels += other.labels;
    }
}

/// New products, certificates issued and labels issued on one UTC day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DayCount {
    /// Days since 1970-01-01 (UTC).
    pub day: i64,
    pub products: u64,
    pub certificates: u64,
    pub labels: u64,
}

/// Months or quarters, for [`Statistics::over_time`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Month,
    Quarter,
}

/// New products, certificates and labels in one month or quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PeriodCount {
    pub year: i32,
    /// 1–12 for a month, 1–4 for a quarter.
    pub index: u8,
    pub products: u64,
    pub certificates: u64,
    pub labels: u64,
}

/// The registry's statistics, as of the moment they were counted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistics {
    pub totals: Tally,
    /// By product category (`product.category`, the id PCRs are keyed to; '' when a
    /// product names none), in category order.
    pub by_category: Vec<(String, Tally)>,
    /// By the product model's `product.geography` ('' when not stated), in code order.
    pub by_region: Vec<(String, Tally)>,
    /// Labels by the grade they state (`None`: issued without a benchmark grade), best
    /// grade label first in text order, ungraded last.
    pub labels_by_grade: Vec<(Option<String>, u64)>,
    /// Days with any new product, certificate or label, in order.
    pub by_day: Vec<DayCount>,
}

impl Statistics {
    /// The days folded into months or quarters, from the first period with anything to
    /// the last, periods without anything included as zeros.
    pub fn over_time(&self, granularity: Granularity) -> Vec<PeriodCount> {
        fold_days(&self.by_day, granularity)
    }
}

/// Folds day counts into consecutive months or quarters (UTC calendar).
pub fn fold_days(days: &[DayCount], granularity: Granularity) -> Vec<PeriodCount> {
    let period_of = |day: i64| -> (i32, u8) {
        let d = Timestamp(day.saturating_mul(86_400)).date();
        match granularity {
            Granularity::Month => (d.year(), d.month()),
            Granularity::Quarter => (d.year(), (d.month() - 1) / 3 + 1),
        }
    };
    let mut sums: BTreeMap<(i32, u8), (u64, u64, u64)> = BTreeMap::new();
    for d in days {
        let e = sums.entry(period_of(d.day)).or_default();
        e.0 += d.products;
        e.1 += d.certificates;
        e.2 += d.labels;
    }
    let (Some(first), Some(last)) = (
        sums.keys().next().copied(),
        sums.keys().next_back().copied(),
    ) else {
        return Vec::new();
    };
    let per_year: u8 = match granularity {
        Granularity::Month => 12,
        Granularity::Quarter => 4,
    };
    let mut out = Vec::new();
    let mut at = first;
    loop {
        let (products, certificates, labels) = sums.get(&at).copied().unwrap_or_default();
        out.push(PeriodCount {
            year: at.0,
            index: at.1,
            products,
            certificates,
            labels,
        });
        if at >= last {
            break;
        }
        at = if at.1 >= per_year {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    out
}

/// An organisation with how many users it has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgOverview {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub users: u64,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// A background database version with the provenance its package states and how many
/// stored footprints were computed with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatabaseOverview {
    pub version: DatabaseVersion,
    /// `source` of its `database.toml` ('' when absent).
    pub source: String,
    /// `licence` of its `database.toml` ('' when absent).
    pub licence: String,
    pub description: String,
    /// Stored footprints computed with this version.
    pub footprints: u64,
    /// Whether it is the newest version of its database (what new calculations use).
    pub current: bool,
}

/// An application in a certification body's queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueEntry {
    pub application: StoredApplication,
    pub product_name: String,
    pub enterprise_name: String,
}

/// One application as its certification body reviews it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationReview {
    pub application: StoredApplication,
    pub product_name: String,
    pub enterprise_name: String,
    pub body_name: String,
    /// The footprint applied with (its whole result), when it is still stored.
    pub footprint: Option<FootprintRow>,
    /// The PCR check of that footprint as it stands now, when the footprint and the PCR
    /// are stored.
    pub pcr_check: Option<ConformanceReport>,
    /// The database versions the footprint was computed with.
    pub databases: Vec<DatabaseVersion>,
    /// The newest recomputation asked for this application, if any.
    pub verification_job: Option<Job>,
    /// The certificate an approval issued.
    pub certificate: Option<StoredCertificate>,
    /// Labels issued on that certificate, newest first.
    pub labels: Vec<StoredLabel>,
}

/// A certificate issued by a body, with the names it refers to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyCertificate {
    pub certificate: StoredCertificate,
    pub product_name: String,
    pub holder_name: String,
}

/// The registry operator (read scope) or the system.
fn require_registry(viewer: &Viewer) -> Result<(), StoreError> {
    if viewer.is_system() {
        return Ok(());
    }
    viewer.require(Scope::Read)?;
    viewer.require_kind(OrgKind::Registry)
}

fn count(n: i64) -> u64 {
    n.max(0) as u64
}

/// The fields of a product model the statistics need.
#[derive(serde::Deserialize, Default)]
struct ModelFacts {
    #[serde(default)]
    product: ProductFacts,
}

#[derive(serde::Deserialize, Default)]
struct ProductFacts {
    #[serde(default)]
    geography: Option<String>,
    #[serde(default)]
    reference_period: Option<String>,
}

/// id, JSON.
type JsonRow = (i64, String);

impl Store {
    /// Reads `product.geography` and `product.reference_period` of every model version
    /// not yet in `model_version_facts` and records them, 500 versions per transaction.
    async fn fill_model_facts(&self) -> Result<(), StoreError> {
        loop {
            let rows: Vec<JsonRow> = sqlx::query_as(
                "SELECT m.id, m.model_json FROM model_versions m
                 WHERE NOT EXISTS (SELECT 1 FROM model_version_facts g WHERE g.model_version_id = m.id)
                 ORDER BY m.id LIMIT 500",
            )
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                return Ok(());
            }
            let mut tx = self.pool.begin().await?;
            for (id, json) in &rows {
                // A model that cannot be read states no region (it was validated when
                // saved, so this does not happen in practice).
                let facts: ModelFacts = serde_json::from_str(json).unwrap_or_default();
                sqlx::query(
                    "INSERT INTO model_version_facts (model_version_id, geography, reference_period)
                     VALUES ($1, $2, $3) ON CONFLICT (model_version_id) DO NOTHING",
                )
                .bind(id)
                .bind(facts.product.geography.unwrap_or_default().trim().to_string())
                .bind(
                    facts
                        .product
                        .reference_period
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                )
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
    }

    /// Products, certificates and labels by category, region and grade, and by day:
    /// the registry operator (read scope) or the system.
    pub async fn statistics(&self, viewer: &Viewer) -> Result<Statistics, StoreError> {
        require_registry(viewer)?;
        self.fill_model_facts().await?;
        let now = now_ms();
        // (category, region) → tally; labels also by grade.
        let mut cells: BTreeMap<(String, String), Tally> = BTreeMap::new();
        let products: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT p.category, COALESCE(g.geography, ''), COUNT(*) FROM products p
             LEFT JOIN model_versions m ON m.product_id = p.id AND m.version = p.latest_version
             LEFT JOIN model_version_facts g ON g.model_version_id = m.id
             GROUP BY p.category, COALESCE(g.geography, '')",
        )
        .fetch_all(&self.pool)
        .await?;
        for (category, region, n) in products {
            cells.entry((category, region)).or_default().products += count(n);
        }
        let certificates: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT p.category, COALESCE(g.geography, ''), COUNT(*),
                    SUM(CASE WHEN c.status = 'valid' AND c.valid_until > $1 THEN 1 ELSE 0 END)
             FROM certificates c JOIN products p ON p.id = c.product_id
             LEFT JOIN model_version_facts g ON g.model_version_id = c.model_version_id
             GROUP BY p.category, COALESCE(g.geography, '')",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        for (category, region, n, valid) in certificates {
            let t = cells.entry((category, region)).or_default();
            t.certificates += count(n);
            t.certificates_valid += count(valid);
        }
        let labels: Vec<(String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT p.category, COALESCE(g.geography, ''), l.grade, COUNT(*)
             FROM labels l JOIN products p ON p.id = l.product_id
             JOIN certificates c ON c.id = l.certificate_id
             LEFT JOIN model_version_facts g ON g.model_version_id = c.model_version_id
             GROUP BY p.category, COALESCE(g.geography, ''), l.grade",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut grades: BTreeMap<Option<String>, u64> = BTreeMap::new();
        for (category, region, grade, n) in labels {
            cells.entry((category, region)).or_default().labels += count(n);
            *grades.entry(grade).or_default() += count(n);
        }
        let mut totals = Tally::default();
        let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
        let mut by_region: BTreeMap<String, Tally> = BTreeMap::new();
        for ((category, region), t) in &cells {
            totals.add(t);
            by_category.entry(category.clone()).or_default().add(t);
            by_region.entry(region.clone()).or_default().add(t);
        }
        // Graded first in text order (A before B), then the ungraded.
        let mut labels_by_grade: Vec<(Option<String>, u64)> = grades
            .iter()
            .filter(|(g, _)| g.is_some())
            .map(|(g, n)| (g.clone(), *n))
            .collect();
        if let Some(n) = grades.get(&None) {
            labels_by_grade.push((None, *n));
        }
        let mut days: BTreeMap<i64, DayCount> = BTreeMap::new();
        for (table, column) in [
            ("products", "created_at"),
            ("certificates", "issued_at"),
            ("labels", "created_at"),
        ] {
            let rows: Vec<(i64, i64)> = sqlx::query_as(sql!(
                "SELECT {column} / {DAY_MS}, COUNT(*) FROM {table} GROUP BY {column} / {DAY_MS}"
            ))
            .fetch_all(&self.pool)
            .await?;
            for (day, n) in rows {
                let d = days.entry(day).or_insert(DayCount {
                    day,
                    ..Default::default()
                });
                match table {
                    "products" => d.products += count(n),
                    "certificates" => d.certificates += count(n),
                    _ => d.labels += count(n),
                }
            }
        }
        Ok(Statistics {
            totals,
            by_category: by_category.into_iter().collect(),
            by_region: by_region.into_iter().collect(),
            labels_by_grade,
            by_day: days.into_values().collect(),
        })
    }

    /// Every organisation with its number of users, by kind then name: the registry
    /// operator (read scope) or the system.
    pub async fn organisations_overview(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<OrgOverview>, StoreError> {
        require_registry(viewer)?;
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT o.id, o.name, o.kind, o.created_at, COUNT(u.id) FROM organisations o
             LEFT JOIN users u ON u.org_id = o.id
             GROUP BY o.id, o.name, o.kind, o.created_at ORDER BY o.kind, o.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, name, kind, created_at, users)| {
                Ok(OrgOverview {
                    id,
                    name,
                    kind: OrgKind::parse(&kind)?,
                    users: count(users),
                    created_at,
                })
            })
            .collect()
    }

    /// One page of [`Store::organisations_overview`]'s list, in the same order: the
    /// registry operator (read scope) or the system.
    pub async fn organisations_page(
        &self,
        viewer: &Viewer,
        page: PageRequest,
    ) -> Result<Page<OrgOverview>, StoreError> {
        require_registry(viewer)?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
            .fetch_one(&self.pool)
            .await?;
        // The id breaks ties, so a page boundary never repeats or skips an organisation.
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT o.id, o.name, o.kind, o.created_at, COUNT(u.id) FROM organisations o
             LEFT JOIN users u ON u.org_id = o.id
             GROUP BY o.id, o.name, o.kind, o.created_at ORDER BY o.kind, o.name, o.id
             LIMIT $1 OFFSET $2",
        )
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(|(id, name, kind, created_at, users)| {
                Ok(OrgOverview {
                    id,
                    name,
                    kind: OrgKind::parse(&kind)?,
                    users: count(users),
                    created_at,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Page::new(items, total, page))
    }

    /// Every background database version (by name, newest first) with the source,
    /// licence and description its package states and the number of stored footprints
    /// computed with it: the registry operator (read scope) or the system. A version's
    /// `database.toml` is read from its package once and kept.
    pub async fn database_overview(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<DatabaseOverview>, StoreError> {
        require_registry(viewer)?;
        let missing: Vec<i64> = sqlx::query_scalar(
            "SELECT v.id FROM database_versions v
             WHERE NOT EXISTS (SELECT 1 FROM database_version_facts f WHERE f.database_version_id = v.id)
             ORDER BY v.id",
        )
        .fetch_all(&self.pool)
        .await?;
        for id in missing {
            self.database_version_facts(id).await?;
        }
        let facts: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT database_version_id, source, licence, description FROM database_version_facts",
        )
        .fetch_all(&self.pool)
        .await?;
        let facts: BTreeMap<i64, (String, String, String)> = facts
            .into_iter()
            .map(|(id, s, l, d)| (id, (s, l, d)))
            .collect();
        let used: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT database_version_id, COUNT(*) FROM footprint_databases GROUP BY database_version_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let used: BTreeMap<i64, i64> = used.into_iter().collect();
        let current: Vec<i64> = self
            .current_database_versions()
            .await?
            .into_iter()
            .map(|v| v.id)
            .collect();
        Ok(self
            .list_database_versions(None)
            .await?
            .into_iter()
            .map(|v| {
                let (source, licence, description) = facts.get(&v.id).cloned().unwrap_or_default();
                DatabaseOverview {
                    footprints: count(used.get(&v.id).copied().unwrap_or(0)),
                    current: current.contains(&v.id),
                    source,
                    licence,
                    description,
                    version: v,
                }
            })
            .collect())
    }
}

/// Days from `from_ms` to `to_ms`, whole days rounded down (0 for a later `from_ms`).
pub fn days_between(from_ms: i64, to_ms: i64) -> i64 {
    (to_ms - from_ms).max(0) / DAY_MS
}

/// The current instant in Unix seconds, as the certification records count it.
pub fn now_unix_seconds() -> i64 {
    now_seconds()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> i64 {
        let date = zuji_trust::certification::Date::new(y, m, d).unwrap();
        Timestamp::at_midnight(date).unwrap().0 / 86_400
    }

    #[test]
    fn days_fold_into_consecutive_months_and_quarters() {
        let days = [
            DayCount {
                day: day(2025, 11, 30),
                products: 2,
                certificates: 0,
                labels: 0,
            },
            DayCount {
                day: day(2026, 1, 1),
                products: 1,
                certificates: 1,
                labels: 0,
            },
            DayCount {
                day: day(2026, 1, 31),
                products: 0,
                certificates: 2,
                labels: 3,
            },
        ];
        let months = fold_days(&days, Granularity::Month);
        // November, December (nothing), January.
        assert_eq!(
            months
                .iter()
                .map(|p| (p.year, p.index, p.products, p.certificates, p.labels))
                .collect::<Vec<_>>(),
            vec![(2025, 11, 2, 0, 0), (2025, 12, 0, 0, 0), (2026, 1, 1, 3, 3)]
        );
        let quarters = fold_days(&days, Granularity::Quarter);
        assert_eq!(
            quarters
                .iter()
                .map(|p| (p.year, p.index, p.products, p.certificates, p.labels))
                .collect::<Vec<_>>(),
            vec![(2025, 4, 2, 0, 0), (2026, 1, 1, 3, 3)]
        );
        assert!(fold_days(&[], Granularity::Month).is_empty());
    }

    #[test]
    fn whole_days_between() {
        assert_eq!(days_between(0, DAY_MS * 3 - 1), 2);
        assert_eq!(days_between(DAY_MS, 0), 0);
    }
}
