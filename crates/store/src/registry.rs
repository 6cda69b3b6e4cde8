//! The public registry's reads: certified products found by name, category,
//! enterprise, grade or GTIN, and what a product page and a category page show.
//!
//! Everything here is public and answers anyone: labels (printed on packaging),
//! certificates' status and dates, the log entries of certificates (the transparency
//! log is public), benchmarks and PCRs. A certified footprint's breakdown by life-cycle
//! stage is read through [`Store::get_footprint`] with the caller's viewer, so the
//! public sees it only when the enterprise disclosed the product.
//!
//! Which products are *listed*: a product is listed with its newest label that is in
//! date now (`valid_from ≤ now < valid_until`) and whose certificate is in force now —
//! valid or suspended, its validity not ended (the trust crate's
//! `CertificateStatus::is_in_force`); the list shows which. The category ranking and the
//! distribution of a category take only certificates that are valid (not suspended),
//! exactly as the open-data ranking ([`Store::rank_certified_products`]) does. Both read
//! the certificates' indexed `status` and `valid_until` columns, never their JSON, and
//! pick each product's newest label with an indexed `NOT EXISTS` on
//! `labels(product_id, seq)` (migration 0006), so a page costs a few index lookups per
//! row whatever the number of products stored.

use crate::trust::stored_json;
use crate::{
    Page, PageRequest, Store, StoreError, StoredBenchmark, StoredCertificate, StoredLabel,
    StoredPcr, Viewer, now_ms,
};
use serde::Serialize;
use zuji_model::LifeCycleStage;
use zuji_trust::certification::CertificateStatus;
use zuji_trust::keys::SignedStatement;
use zuji_trust::label::LabelStatement;

/// How the registry's search orders its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrySort {
    /// Newest label first.
    #[default]
    Newest,
    /// Lowest value first (meaningful within one category).
    Lowest,
    /// By product name.
    Name,
}

impl RegistrySort {
    pub const ALL: [RegistrySort; 3] = [
        RegistrySort::Newest,
        RegistrySort::Lowest,
        RegistrySort::Name,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrySort::Newest => "newest",
            RegistrySort::Lowest => "lowest",
            RegistrySort::Name => "name",
        }
    }

    /// `newest`, `lowest` or `name`; anything else is `None`.
    pub fn parse(text: &str) -> Option<RegistrySort> {
        RegistrySort::ALL.into_iter().find(|s| s.as_str() == text)
    }

    fn order_sql(self) -> &'static str {
        match self {
            RegistrySort::Newest => "l.seq DESC",
            RegistrySort::Lowest => "l.value ASC, l.seq DESC",
            RegistrySort::Name => "p.name ASC, l.seq DESC",
        }
    }
}

/// What the registry's search looks for; every field narrows the list.
#[derive(Debug, Clone, Default)]
pub struct RegistryFilter {
    /// A piece of the product's name (case-insensitive), or its exact GTIN.
    pub q: Option<String>,
    /// The PCR the label was certified under.
    pub pcr_id: Option<String>,
    /// A piece of the enterprise's name (case-insensitive).
    pub org: Option<String>,
    /// The label's grade, e.g. `A`.
    pub grade: Option<String>,
    /// The label's GTIN, exactly (the caller checks the digits).
    pub gtin: Option<String>,
    pub sort: RegistrySort,
}

/// A listed product: its newest label in date on a certificate in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistryEntry {
    pub product_id: i64,
    pub product_name: String,
    pub gtin: Option<String>,
    pub org_id: i64,
    /// The enterprise holding the certificate.
    pub org_name: String,
    /// The product's own category (`product.category` of its model).
    pub category: String,
    pub pcr_id: String,
    pub label_id: String,
    pub certificate_id: String,
    /// Valid or suspended (a listed product's certificate is in force).
    pub certificate_status: CertificateStatus,
    /// What the label states: `value` `unit` per `declared_unit`.
    pub value: f64,
    pub unit: String,
    pub declared_unit: String,
    pub grade: Option<String>,
    /// 1 for the PCR's best band.
    pub grade_rank: Option<i64>,
    /// When the label was issued, Unix milliseconds.
    pub label_issued_at: i64,
}

/// A product in a category's ranking, lowest value first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedEntry {
    /// 1 for the lowest footprint, counted over the whole ranking.
    pub rank: u64,
    pub entry: RegistryEntry,
}

/// How many products of a category have each grade (`None`: labels without a grade).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeCount {
    pub grade: Option<String>,
    pub rank: Option<i64>,
    pub count: u64,
}

/// The certified footprints of a category as the ranking counts them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryDistribution {
    /// Each ranked product's value (kg CO2e per declared unit), ascending.
    pub values: Vec<f64>,
    /// Best grade first, labels without a grade last.
    pub grades: Vec<GradeCount>,
}

/// What happened to a certificate, as its public log entries record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateEventKind {
    Issued,
    Suspended,
    Reinstated,
    Withdrawn,
    Expired,
}

/// One public event of a certificate's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertificateEvent {
    pub kind: CertificateEventKind,
    /// Unix milliseconds.
    pub at: i64,
    /// The reason the certification body or the registry gave (suspension,
    /// reinstatement, withdrawal); `None` for issue and expiry.
    pub reason: Option<String>,
    /// The entry's index in the transparency log.
    pub log_index: u64,
}

/// One life-cycle stage of a certified footprint.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageValue {
    pub stage: LifeCycleStage,
    /// kg CO2e per declared unit.
    pub value: f64,
    /// Share of the total (0–1; a removal is negative).
    pub share: f64,
}

/// Everything the public product page shows about one product.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistryProduct {
    pub product_id: i64,
    pub product_name: String,
    pub category: String,
    pub gtin: Option<String>,
    pub org_id: i64,
    pub org_name: String,
    /// Whether the enterprise disclosed the product (its footprints' public summary).
    pub disclosed: bool,
    /// The product's newest label, whatever its certificate's status.
    pub label: StoredLabel,
    /// How many labels the product has had.
    pub label_count: u64,
    /// The label's certificate as the viewer may see it.
    pub certificate: StoredCertificate,
    /// The certificate's public history (its log entries), oldest first.
    pub history: Vec<CertificateEvent>,
    /// The benchmark version that graded the label, if it has a grade.
    pub benchmark: Option<StoredBenchmark>,
    /// The PCR (id and version) the label names, if stored.
    pub pcr: Option<StoredPcr>,
    /// The certified footprint's breakdown by life-cycle stage, when the viewer may see
    /// the footprint (disclosed, or the viewer's own or granted); `None` otherwise.
    pub stages: Option<Vec<StageValue>>,
}

/// Which certificate statuses a query takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    /// Valid or suspended: what the search lists.
    InForce,
    /// Valid only: what the ranking and the distribution count.
    Valid,
}

impl Listing {
    /// The statuses as SQL text (constants, never input).
    fn statuses(self) -> &'static str {
        match self {
            Listing::InForce => "'valid', 'suspended'",
            Listing::Valid => "'valid'",
        }
    }

    /// The condition that `l` is its product's newest label in date on a certificate of
    /// these statuses, with `$1` = now (Unix milliseconds). Needs
    /// `labels l JOIN certificates c ON c.id = l.certificate_id`.
    fn where_sql(self) -> String {
        let s = self.statuses();
        format!(
            "c.status IN ({s}) AND c.valid_until > $1 AND l.valid_from <= $1 AND l.valid_until > $1
             AND NOT EXISTS (SELECT 1 FROM labels l2 JOIN certificates c2 ON c2.id = l2.certificate_id
                 WHERE l2.product_id = l.product_id AND l2.seq > l.seq
                 AND c2.status IN ({s}) AND c2.valid_until > $1
                 AND l2.valid_from <= $1 AND l2.valid_until > $1)"
        )
    }
}

const ENTRY_FROM: &str = "FROM labels l JOIN certificates c ON c.id = l.certificate_id
     JOIN products p ON p.id = l.product_id JOIN organisations o ON o.id = p.org_id";
const ENTRY_COLS: &str = "l.id, l.product_id, p.name, p.gtin, p.org_id, o.name, p.category, l.pcr_id, \
     l.certificate_id, c.status, l.value, l.grade, l.grade_rank, l.signed_json, l.created_at";

type EntryRow = (
    String,
    i64,
    String,
    Option<String>,
    i64,
    String,
    String,
    String,
    String,
    String,
    f64,
    Option<String>,
    Option<i64>,
    String,
    i64,
);

fn status_of(text: &str, place: &str) -> Result<CertificateStatus, StoreError> {
    CertificateStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| StoreError::invalid(place, format!("'{text}' is not a certificate status")))
}

fn entry_from(row: EntryRow) -> Result<RegistryEntry, StoreError> {
    let (
        label_id,
        product_id,
        product_name,
        gtin,
        org_id,
        org_name,
        category,
        pcr_id,
        certificate_id,
        status,
        value,
        grade,
        grade_rank,
        signed_json,
        created_at,
    ) = row;
    let place = format!("labels[{label_id}].signed_json");
    let signed: SignedStatement = stored_json(&signed_json, &place)?;
    let statement: LabelStatement = signed.payload_as().map_err(|e| {
        StoreError::invalid(
            &place,
            format!("the signed payload is not a label statement: {e}"),
        )
    })?;
    Ok(RegistryEntry {
        certificate_status: status_of(&status, &format!("certificates[{certificate_id}].status"))?,
        product_id,
        product_name,
        gtin,
        org_id,
        org_name,
        category,
        pcr_id,
        label_id,
        certificate_id,
        value,
        unit: statement.unit,
        declared_unit: statement.declared_unit,
        grade,
        grade_rank,
        label_issued_at: created_at,
    })
}

/// `text` as a `LIKE` pattern matching it anywhere, lowercase, its wildcards escaped
/// with `\`.
fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A filter's text, trimmed; empty is no filter.
fn given(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

impl Store {
    /// Certified products as the registry lists them (see the module's rule), filtered
    /// and ordered, one page of them. Public.
    pub async fn search_registry(
        &self,
        filter: &RegistryFilter,
        page: PageRequest,
    ) -> Result<Page<RegistryEntry>, StoreError> {
        let listed = Listing::InForce.where_sql();
        let q = given(&filter.q);
        let q_pattern = q.as_deref().map(contains_pattern);
        let org_pattern = given(&filter.org).as_deref().map(contains_pattern);
        let where_sql = format!(
            "WHERE {listed}
             AND ($2 IS NULL OR LOWER(p.name) LIKE $3 ESCAPE '\\' OR l.gtin = $2)
             AND ($4 IS NULL OR l.pcr_id = $4)
             AND ($5 IS NULL OR LOWER(o.name) LIKE $5 ESCAPE '\\')
             AND ($6 IS NULL OR l.grade = $6)
             AND ($7 IS NULL OR l.gtin = $7)"
        );
        let now = now_ms();
        let pcr = given(&filter.pcr_id);
        let grade = given(&filter.grade);
        let gtin = given(&filter.gtin);
        let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) {ENTRY_FROM} {where_sql}"))
            .bind(now)
            .bind(q.clone())
            .bind(q_pattern.clone())
            .bind(pcr.clone())
            .bind(org_pattern.clone())
            .bind(grade.clone())
            .bind(gtin.clone())
            .fetch_one(&self.pool)
            .await?;
        let order = filter.sort.order_sql();
        let rows: Vec<EntryRow> = sqlx::query_as(sql!(
            "SELECT {ENTRY_COLS} {ENTRY_FROM} {where_sql} ORDER BY {order} LIMIT $8 OFFSET $9"
        ))
        .bind(now)
        .bind(q)
        .bind(q_pattern)
        .bind(pcr)
        .bind(org_pattern)
        .bind(grade)
        .bind(gtin)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows.into_iter().map(entry_from).collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }

    /// How many products each PCR has listed (as [`Store::search_registry`] lists
    /// them), by PCR id; PCRs with none are absent. Public.
    pub async fn registry_category_counts(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let listed = Listing::InForce.where_sql();
        let rows: Vec<(String, i64)> = sqlx::query_as(sql!(
            "SELECT l.pcr_id, COUNT(*) FROM labels l JOIN certificates c ON c.id = l.certificate_id
             WHERE {listed} GROUP BY l.pcr_id ORDER BY l.pcr_id"
        ))
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, n)| (id, n.max(0) as u64))
            .collect())
    }

    /// The certified products of a PCR lowest value first, each with its newest label in
    /// date on a valid certificate: the same ranking as
    /// [`Store::rank_certified_products`], computed in SQL from the indexed columns and
    /// paged there. Ties keep the newer label first. Public.
    pub async fn rank_registry(
        &self,
        pcr_id: &str,
        page: PageRequest,
    ) -> Result<Page<RankedEntry>, StoreError> {
        let listed = Listing::Valid.where_sql();
        let where_sql = format!("WHERE {listed} AND l.pcr_id = $2");
        let now = now_ms();
        let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) {ENTRY_FROM} {where_sql}"))
            .bind(now)
            .bind(pcr_id)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<EntryRow> = sqlx::query_as(sql!(
            "SELECT {ENTRY_COLS} {ENTRY_FROM} {where_sql}
             ORDER BY l.value ASC, l.seq DESC LIMIT $3 OFFSET $4"
        ))
        .bind(now)
        .bind(pcr_id)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            items.push(RankedEntry {
                rank: page.offset + i as u64 + 1,
                entry: entry_from(row)?,
            });
        }
        Ok(Page::new(items, total, page))
    }

    /// The values and grades of a PCR's ranked products (see
    /// [`Store::rank_registry`]). Public.
    pub async fn category_distribution(
        &self,
        pcr_id: &str,
    ) -> Result<CategoryDistribution, StoreError> {
        let listed = Listing::Valid.where_sql();
        let rows: Vec<(f64, Option<String>, Option<i64>)> = sqlx::query_as(sql!(
            "SELECT l.value, l.grade, l.grade_rank FROM labels l
             JOIN certificates c ON c.id = l.certificate_id
             WHERE {listed} AND l.pcr_id = $2 ORDER BY l.value"
        ))
        .bind(now_ms())
        .bind(pcr_id)
        .fetch_all(&self.pool)
        .await?;
        let mut grades: Vec<GradeCount> = Vec::new();
        for (_, grade, rank) in &rows {
            match grades.iter_mut().find(|g| g.grade == *grade) {
                Some(g) => g.count += 1,
                None => grades.push(GradeCount {
                    grade: grade.clone(),
                    rank: *rank,
                    count: 1,
                }),
            }
        }
        // Best band first; ungraded last.
        grades.sort_by_key(|g| (g.rank.is_none(), g.rank, g.grade.clone()));
        Ok(CategoryDistribution {
            values: rows.into_iter().map(|(v, _, _)| v).collect(),
            grades,
        })
    }

    /// The benchmark that grades a PCR's labels now: the newest published for the
    /// PCR's current (last loaded) version, as [`Store::issue_label`] chooses it.
    /// `None` when none is published. Public.
    pub async fn current_benchmark(
        &self,
        pcr_id: &str,
    ) -> Result<Option<StoredBenchmark>, StoreError> {
        let pcr = self.get_pcr(pcr_id, None).await?.pcr;
        Ok(self
            .list_benchmarks(pcr_id)
            .await?
            .into_iter()
            .rfind(|b| b.benchmark.pcr_version == pcr.version))
    }

    /// A certificate's public history: its entries in the transparency log (issue,
    /// suspension, reinstatement, withdrawal, expiry), oldest first. Public.
    pub async fn certificate_history(
        &self,
        certificate_id: &str,
    ) -> Result<Vec<CertificateEvent>, StoreError> {
        let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
            "SELECT idx, kind, logged_at, body FROM log_entries WHERE subject = $1 ORDER BY idx",
        )
        .bind(certificate_id)
        .fetch_all(&self.pool)
        .await?;
        let mut events = Vec::with_capacity(rows.len());
        for (index, kind, at, body) in rows {
            let kind = match kind.as_str() {
                "certificate_issued" => CertificateEventKind::Issued,
                "certificate_suspended" => CertificateEventKind::Suspended,
                "certificate_reinstated" => CertificateEventKind::Reinstated,
                "certificate_withdrawn" => CertificateEventKind::Withdrawn,
                "certificate_expired" => CertificateEventKind::Expired,
                // A label or benchmark cannot share a certificate's id; skip, not fail.
                _ => continue,
            };
            let reason = match kind {
                CertificateEventKind::Suspended
                | CertificateEventKind::Reinstated
                | CertificateEventKind::Withdrawn => {
                    let body: serde_json::Value =
                        stored_json(&body, &format!("log_entries[{index}].body"))?;
                    body.get("reason")
                        .and_then(|r| r.as_str())
                        .map(str::trim)
                        .filter(|r| !r.is_empty())
                        .map(str::to_string)
                }
                _ => None,
            };
            events.push(CertificateEvent {
                kind,
                at,
                reason,
                log_index: index.max(0) as u64,
            });
        }
        Ok(events)
    }

    /// What the public product page shows about `product_id`, as `viewer` may see it:
    /// the product's newest label (any status; a product without a label is not in the
    /// registry: `NotFound`), its certificate and public history, the benchmark that
    /// graded the label, the PCR it names, and the certified footprint's stages when the
    /// viewer may see that footprint.
    pub async fn registry_product(
        &self,
        viewer: &Viewer,
        product_id: i64,
    ) -> Result<RegistryProduct, StoreError> {
        let newest: Option<(String, i64)> = sqlx::query_as(
            "SELECT id, (SELECT COUNT(*) FROM labels l2 WHERE l2.product_id = $1)
             FROM labels WHERE product_id = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(product_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some((label_id, label_count)) = newest else {
            return Err(StoreError::not_found("certified product", product_id));
        };
        let label = self.get_label(&label_id).await?;
        let row: Option<(String, String, Option<String>, i64, String, i64)> = sqlx::query_as(
            "SELECT p.name, p.category, p.gtin, p.org_id, o.name, p.disclosed
             FROM products p JOIN organisations o ON o.id = p.org_id WHERE p.id = $1",
        )
        .bind(product_id)
        .fetch_optional(&self.pool)
        .await?;
        let (product_name, category, gtin, org_id, org_name, disclosed) =
            row.ok_or_else(|| StoreError::not_found("certified product", product_id))?;
        let certificate = self.get_certificate(viewer, &label.certificate_id).await?;
        let history = self.certificate_history(&label.certificate_id).await?;
        let statement = &label.statement;
        let benchmark = match &statement.grade {
            Some(g) => self
                .list_benchmarks(&statement.pcr.id)
                .await?
                .into_iter()
                .find(|b| {
                    b.benchmark.period == g.benchmark_period
                        && b.benchmark.version == g.benchmark_version
                }),
            None => None,
        };
        let pcr = match self
            .get_pcr(&statement.pcr.id, Some(&statement.pcr.version))
            .await
        {
            Ok(p) => Some(p),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        let stages = self
            .certified_stages(viewer, product_id, &certificate)
            .await?;
        Ok(RegistryProduct {
            product_id,
            product_name,
            category,
            gtin,
            org_id,
            org_name,
            disclosed: disclosed != 0,
            label,
            label_count: label_count.max(0) as u64,
            certificate,
            history,
            benchmark,
            pcr,
            stages,
        })
    }

    /// The certified footprint's stages, if `viewer` may see that footprint. The
    /// footprint is found through the product's index (`footprints(product_id, id)`).
    async fn certified_stages(
        &self,
        viewer: &Viewer,
        product_id: i64,
        certificate: &StoredCertificate,
    ) -> Result<Option<Vec<StageValue>>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM footprints WHERE product_id = $1 AND model_version_id = $2
             AND fingerprint = $3 ORDER BY id DESC LIMIT 1",
        )
        .bind(product_id)
        .bind(certificate.model_version_id)
        .bind(&certificate.scope.footprint_fingerprint)
        .fetch_optional(&self.pool)
        .await?;
        let Some(id) = id else {
            return Ok(None);
        };
        let footprint = match self.get_footprint(viewer, id).await {
            Ok(f) => f,
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(by_stage) = footprint.result.get("by_stage") else {
            return Ok(None);
        };
        let stages: Vec<StageValue> = serde_json::from_value::<Vec<StoredStage>>(by_stage.clone())
            .map_err(|e| {
                StoreError::invalid(
                    &format!("footprints[{id}].result_json.by_stage"),
                    format!("cannot be read: {e}"),
                )
            })?
            .into_iter()
            .map(|s| StageValue {
                stage: s.stage,
                value: s.value,
                share: s.share,
            })
            .collect();
        Ok(Some(stages))
    }
}

/// A stage of a stored result (`zuji_calc::footprint::StageContribution`).
#[derive(serde::Deserialize)]
struct StoredStage {
    stage: LifeCycleStage,
    value: f64,
    share: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("LFP"), "%lfp%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
        assert_eq!(contains_pattern("电池"), "%电池%");
    }

    #[test]
    fn sorts_parse_back() {
        for s in RegistrySort::ALL {
            assert_eq!(RegistrySort::parse(s.as_str()), Some(s));
        }
        assert_eq!(RegistrySort::parse("cheapest"), None);
    }
}
