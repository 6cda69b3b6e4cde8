//! Stored footprint results. Each points at the exact model version and the database
//! versions it was computed with; the public sees only the summary of a disclosed
//! product's footprint, never the process-level detail that reveals activity data.

use crate::products::{Access, VISIBLE_PRODUCT, viewer_params};
use crate::{ClaimedJob, Page, PageRequest, Scope, Store, StoreError, Viewer, now_ms};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct FootprintRow {
    pub id: i64,
    pub product_id: i64,
    pub model_version_id: i64,
    /// The model version's number within its product.
    pub model_version: i64,
    pub job_id: Option<i64>,
    pub method: String,
    /// kg CO2e per declared unit.
    pub total: f64,
    pub fingerprint: String,
    /// The result as JSON: everything for the owner and grantees, the public summary
    /// (totals and breakdowns by stage, gas and origin) for everyone else.
    #[schema(value_type = Object)]
    pub result: serde_json::Value,
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
    pub database_version_ids: Vec<i64>,
    pub created_at: i64,
    /// Whether `result` is the public summary only.
    pub summary_only: bool,
}

/// A computed footprint to store.
#[derive(Debug, Clone)]
pub struct NewFootprint {
    pub product_id: i64,
    pub model_version_id: i64,
    pub method: String,
    pub total: f64,
    pub fingerprint: String,
    pub result_json: String,
    pub options_json: String,
    pub database_version_ids: Vec<i64>,
}

/// A stored footprint computed with a database version that is no longer current.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct StaleFootprint {
    pub footprint_id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub model_version_id: i64,
    pub total: f64,
    pub old_database_version_id: i64,
}

/// Keys of a result that the public may see.
const PUBLIC_KEYS: [&str; 10] = [
    "product",
    "method",
    "total",
    "by_stage",
    "by_gas",
    "by_origin",
    "primary_data_share",
    "data_quality",
    "monte_carlo",
    "fingerprint",
];

type FootprintDbRow = (
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    String,
    f64,
    String,
    String,
    String,
    i64,
);
const COLS: &str = "f.id, f.product_id, f.model_version_id, m.version, f.job_id, f.method, f.total, f.fingerprint, f.result_json, f.options_json, f.created_at";

impl Store {
    /// Stores a job's footprint and marks the job succeeded, in one transaction fenced
    /// by the job's lease: a job's footprint is stored exactly once.
    pub async fn complete_footprint_job(
        &self,
        job: &ClaimedJob,
        new: &NewFootprint,
    ) -> Result<i64, StoreError> {
        // Read before the transaction: on SQLite a transaction that reads first and
        // writes later can fail to take the write lock (SQLITE_BUSY) when another
        // writer committed meanwhile; one that writes first waits for it.
        let org_id: i64 = sqlx::query_scalar("SELECT org_id FROM products WHERE id = $1")
            .bind(new.product_id)
            .fetch_one(&self.pool)
            .await?;
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO footprints (product_id, model_version_id, org_id, job_id, method, total, fingerprint, result_json, options_json, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(new.product_id)
        .bind(new.model_version_id)
        .bind(org_id)
        .bind(job.id)
        .bind(&new.method)
        .bind(new.total)
        .bind(&new.fingerprint)
        .bind(&new.result_json)
        .bind(&new.options_json)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?;
        for v in &new.database_version_ids {
            sqlx::query("INSERT INTO footprint_databases (footprint_id, database_version_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*v)
                .execute(&mut *tx)
                .await?;
        }
        Store::finish_job_in(&mut tx, job, &serde_json::json!({"footprint_id": id})).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Queues the calculation of a product's model version (the latest when `version`
    /// is `None`): for the owner, and for organisations it granted access (a
    /// certification body recomputing a footprint to check its fingerprint).
    pub async fn start_footprint(
        &self,
        viewer: &Viewer,
        product_id: i64,
        version: Option<i64>,
        options: serde_json::Value,
    ) -> Result<crate::Job, StoreError> {
        viewer.require(Scope::Write)?;
        let product = self.require_full(viewer, product_id).await?;
        let version = self
            .get_model_version(
                viewer,
                product_id,
                version.unwrap_or(product.latest_version),
            )
            .await?;
        let payload = serde_json::json!({
            "product_id": product_id,
            "model_version_id": version.id,
            "options": options,
        });
        self.enqueue_job(
            viewer,
            crate::JobKind::Footprint,
            Some(product.org_id),
            &payload,
            None,
        )
        .await
    }

    /// Queues recalculations of stale footprints (see [`Store::stale_footprints`]) with
    /// the current database versions; returns the jobs.
    pub async fn recalculate_stale(&self, viewer: &Viewer) -> Result<Vec<crate::Job>, StoreError> {
        viewer.require(Scope::Write)?;
        let stale = self.stale_footprints(viewer).await?;
        let mut seen = std::collections::BTreeSet::new();
        let mut jobs = Vec::new();
        for f in stale {
            if !seen.insert(f.model_version_id) {
                continue;
            }
            let options: (String, i64) =
                sqlx::query_as("SELECT options_json, org_id FROM footprints WHERE id = $1")
                    .bind(f.footprint_id)
                    .fetch_one(&self.pool)
                    .await?;
            let payload = serde_json::json!({
                "product_id": f.product_id,
                "model_version_id": f.model_version_id,
                "options": serde_json::from_str::<serde_json::Value>(&options.0).unwrap_or_default(),
                "recalculates": f.footprint_id,
            });
            jobs.push(
                self.enqueue_job(
                    viewer,
                    crate::JobKind::Footprint,
                    Some(options.1),
                    &payload,
                    None,
                )
                .await?,
            );
        }
        Ok(jobs)
    }

    /// One footprint, as much of it as the viewer may see.
    pub async fn get_footprint(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<FootprintRow, StoreError> {
        let (org, all) = viewer_params(viewer);
        let row: Option<FootprintDbRow> = sqlx::query_as(sql!(
            "SELECT {COLS} FROM footprints f JOIN model_versions m ON m.id = f.model_version_id
             JOIN products p ON p.id = f.product_id WHERE f.id = $3 AND {VISIBLE_PRODUCT}"
        ))
        .bind(org)
        .bind(all)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let row = row.ok_or_else(|| StoreError::not_found("footprint", id))?;
        let (_, access) = self.product_access(viewer, row.1).await?;
        self.footprint_from(row, access, viewer).await
    }

    /// The footprints of a product, newest first.
    pub async fn list_footprints(
        &self,
        viewer: &Viewer,
        product_id: i64,
        page: PageRequest,
    ) -> Result<Page<FootprintRow>, StoreError> {
        let (_, access) = self.product_access(viewer, product_id).await?;
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM footprints WHERE product_id = $1")
                .bind(product_id)
                .fetch_one(&self.pool)
                .await?;
        let rows: Vec<FootprintDbRow> = sqlx::query_as(sql!(
            "SELECT {COLS} FROM footprints f JOIN model_versions m ON m.id = f.model_version_id
             WHERE f.product_id = $1 ORDER BY f.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(product_id)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            items.push(self.footprint_from(r, access, viewer).await?);
        }
        Ok(Page::new(items, total, page))
    }

    async fn footprint_from(
        &self,
        r: FootprintDbRow,
        access: Access,
        viewer: &Viewer,
    ) -> Result<FootprintRow, StoreError> {
        let full = access == Access::Full && viewer.has(Scope::Read);
        let mut result: serde_json::Value =
            serde_json::from_str(&r.8).map_err(|e| StoreError::invalid("result", e.to_string()))?;
        if !full && let Some(obj) = result.as_object_mut() {
            obj.retain(|k, _| PUBLIC_KEYS.contains(&k.as_str()));
        }
        let dbs: Vec<(i64,)> = sqlx::query_as(
            "SELECT database_version_id FROM footprint_databases WHERE footprint_id = $1 ORDER BY database_version_id",
        )
        .bind(r.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(FootprintRow {
            id: r.0,
            product_id: r.1,
            model_version_id: r.2,
            model_version: r.3,
            job_id: r.4,
            method: r.5,
            total: r.6,
            fingerprint: r.7,
            result,
            options: serde_json::from_str(&r.9).unwrap_or(serde_json::Value::Null),
            database_version_ids: dbs.into_iter().map(|d| d.0).collect(),
            created_at: r.10,
            summary_only: !full,
        })
    }

    /// Footprints computed with a database version that a newer version of the same
    /// database has replaced: what a recalculation would change. Enterprises see their
    /// own; the registry and the system see all.
    pub async fn stale_footprints(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<StaleFootprint>, StoreError> {
        viewer.require(Scope::Read)?;
        let only = viewer.tenant_filter();
        Ok(sqlx::query_as::<_, StaleFootprint>(
            "SELECT f.id AS footprint_id, f.product_id, p.name AS product_name, f.model_version_id, f.total,
                    fd.database_version_id AS old_database_version_id
             FROM footprints f
             JOIN products p ON p.id = f.product_id
             JOIN footprint_databases fd ON fd.footprint_id = f.id
             JOIN database_versions v ON v.id = fd.database_version_id
             WHERE ($1 IS NULL OR f.org_id = $1)
               AND v.id < (SELECT MAX(v2.id) FROM database_versions v2 WHERE v2.database_id = v.database_id)
               AND f.id = (SELECT MAX(f2.id) FROM footprints f2 WHERE f2.model_version_id = f.model_version_id)
             ORDER BY f.id",
        )
        .bind(only)
        .fetch_all(&self.pool)
        .await?)
    }
}
