//! The enterprise workspace's reads that the API's own lists do not answer cheaply: the
//! newest footprint of each of an organisation's products and a product's footprints
//! without their (large) results, the calculations still queued or running, and the PACT
//! requests the organisation sent to its partners.
//!
//! Like every read of tenant data, each takes the caller's [`Viewer`] and answers only
//! for the caller's own organisation (or the products it may see in full).

use crate::{JobStatus, Scope, Store, StoreError, Viewer};
use serde::Serialize;

/// A stored footprint without its result: what a list of footprints shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FootprintBrief {
    pub id: i64,
    pub product_id: i64,
    pub model_version_id: i64,
    /// The model version's number within its product.
    pub model_version: i64,
    /// kg CO2e per declared unit.
    pub total: f64,
    pub method: String,
    pub fingerprint: String,
    /// The calculation's options (`gwp`, `monte_carlo`, `seed`).
    pub options: serde_json::Value,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// A footprint calculation that has not finished.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PendingCalculation {
    pub job_id: i64,
    pub product_id: i64,
    pub model_version_id: i64,
    pub status: JobStatus,
    /// 0–1.
    pub progress: f64,
    pub created_at: i64,
}

/// A footprint request this organisation sent to a PACT partner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutboundRequest {
    pub id: i64,
    pub partner_id: i64,
    pub partner_name: String,
    /// The CloudEvent id the request was sent with.
    pub event_id: String,
    /// What was asked for (`productId`, `comment`).
    pub criteria: serde_json::Value,
    /// `pending`, `sent`, `fulfilled` or `rejected`.
    pub status: String,
    pub answer: Option<serde_json::Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// id, product, model version id, version number, total, method, fingerprint, options,
/// created.
type BriefRow = (i64, i64, i64, i64, f64, String, String, String, i64);
const BRIEF_COLS: &str = "f.id, f.product_id, f.model_version_id, m.version, f.total, f.method, f.fingerprint, f.options_json, f.created_at";

fn brief_from(r: BriefRow) -> FootprintBrief {
    FootprintBrief {
        id: r.0,
        product_id: r.1,
        model_version_id: r.2,
        model_version: r.3,
        total: r.4,
        method: r.5,
        fingerprint: r.6,
        options: serde_json::from_str(&r.7).unwrap_or(serde_json::Value::Null),
        created_at: r.8,
    }
}

/// The organisation a member acts for, with the read scope.
fn member_org(viewer: &Viewer) -> Result<i64, StoreError> {
    viewer.require(Scope::Read)?;
    viewer.org_id().ok_or_else(|| {
        StoreError::invalid(
            "organisation",
            "the workspace belongs to an organisation; act as one of its members",
        )
    })
}

impl Store {
    /// The newest footprint of each product of the viewer's organisation, by product.
    pub async fn latest_footprints_of_org(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<FootprintBrief>, StoreError> {
        let org = member_org(viewer)?;
        let rows: Vec<BriefRow> = sqlx::query_as(sql!(
            "SELECT {BRIEF_COLS} FROM footprints f JOIN model_versions m ON m.id = f.model_version_id
             WHERE f.org_id = $1
               AND f.id = (SELECT MAX(f2.id) FROM footprints f2 WHERE f2.product_id = f.product_id)
             ORDER BY f.product_id"
        ))
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(brief_from).collect())
    }

    /// A product's footprints without their results, newest first: for its owner and
    /// the organisations it granted access.
    pub async fn footprint_briefs(
        &self,
        viewer: &Viewer,
        product_id: i64,
    ) -> Result<Vec<FootprintBrief>, StoreError> {
        viewer.require(Scope::Read)?;
        self.require_full(viewer, product_id).await?;
        let rows: Vec<BriefRow> = sqlx::query_as(sql!(
            "SELECT {BRIEF_COLS} FROM footprints f JOIN model_versions m ON m.id = f.model_version_id
             WHERE f.product_id = $1 ORDER BY f.id DESC"
        ))
        .bind(product_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(brief_from).collect())
    }

    /// The viewer's organisation's footprint calculations that are queued or running,
    /// oldest first.
    pub async fn pending_calculations(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<PendingCalculation>, StoreError> {
        let org = member_org(viewer)?;
        let rows: Vec<(i64, String, f64, String, i64)> = sqlx::query_as(
            "SELECT id, status, progress, payload, created_at FROM jobs
             WHERE kind = 'footprint' AND org_id = $1 AND status IN ('queued', 'running')
             ORDER BY id",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for (job_id, status, progress, payload, created_at) in rows {
            let payload: serde_json::Value =
                serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null);
            let id = |k: &str| payload.get(k).and_then(|v| v.as_i64());
            // A footprint job always names both; one that does not is not listed.
            let (Some(product_id), Some(model_version_id)) =
                (id("product_id"), id("model_version_id"))
            else {
                continue;
            };
            out.push(PendingCalculation {
                job_id,
                product_id,
                model_version_id,
                status: JobStatus::parse(&status)?,
                progress,
                created_at,
            });
        }
        Ok(out)
    }

    /// The footprint requests the viewer's organisation sent to its PACT partners,
    /// newest first.
    pub async fn list_pact_outbound_requests(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<OutboundRequest>, StoreError> {
        let org = member_org(viewer)?;
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
            i64,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT o.id, o.partner_id, p.name, o.event_id, o.criteria_json, o.status, o.answer_json, o.created_at, o.updated_at
             FROM pact_outbound_requests o JOIN pact_partners p ON p.id = o.partner_id
             WHERE o.org_id = $1 ORDER BY o.id DESC",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| OutboundRequest {
                id: r.0,
                partner_id: r.1,
                partner_name: r.2,
                event_id: r.3,
                criteria: serde_json::from_str(&r.4).unwrap_or(serde_json::Value::Null),
                status: r.5,
                answer: r.6.and_then(|t| serde_json::from_str(&t).ok()),
                created_at: r.7,
                updated_at: r.8,
            })
            .collect())
    }
}
