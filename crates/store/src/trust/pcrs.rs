//! Product category rules and the registry's adopted-standards list.
//!
//! PCRs are public documents: anyone reads every stored PCR, whatever its status (the
//! status says whether it is a draft, published, superseded or withdrawn; the bundled
//! pilot PCRs are Zuji drafts, shipped in the open). The adopted-standards list is public
//! too; only the registry operator publishes a new version.

use super::{stored_json, to_json};
use crate::audit::record;
use crate::{OrgKind, Scope, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use serde_json::json;
use zuji_trust::pcr::{AdoptedStandardsList, ListChange, Pcr, PcrStatus};

/// A stored PCR: the parsed rule and the TOML it was loaded from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredPcr {
    pub pcr: Pcr,
    pub source_toml: String,
    /// Unix milliseconds.
    pub loaded_at: i64,
}

type PcrRow = (String, String, String, i64);
const PCR_COLS: &str = "pcr_id, pcr_json, source_toml, loaded_at";

fn pcr_from(row: PcrRow) -> Result<StoredPcr, StoreError> {
    let (id, json, source_toml, loaded_at) = row;
    Ok(StoredPcr {
        pcr: stored_json(&json, &format!("pcrs[{id}].pcr_json"))?,
        source_toml,
        loaded_at,
    })
}

fn list_from(version: i64, json: &str) -> Result<AdoptedStandardsList, StoreError> {
    stored_json(json, &format!("adopted_standards[{version}].list_json"))
}

impl Store {
    /// Loads the PCRs shipped with Zuji (`zuji_trust::pcr::bundled_pcrs`) and, when no
    /// version of the adopted-standards list is stored, the bundled list. Idempotent: a
    /// PCR already stored under its id and version is left as it is (a changed rule is a
    /// new version). Returns how many PCRs were added. For the platform (start-up).
    pub async fn ensure_bundled_pcrs(&self) -> Result<usize, StoreError> {
        let pcrs = zuji_trust::pcr::bundled_pcrs().map_err(|e| StoreError::Invalid {
            field: "bundled PCRs".into(),
            problem: e.to_string(),
        })?;
        let list =
            zuji_trust::pcr::bundled_adopted_standards().map_err(|e| StoreError::Invalid {
                field: "bundled adopted-standards list".into(),
                problem: e.to_string(),
            })?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let mut added = Vec::new();
        for (pcr, (_, toml)) in pcrs.iter().zip(zuji_trust::pcr::BUNDLED_PCR_FILES) {
            let json = to_json(pcr, &format!("PCR {}", pcr.id))?;
            let done = sqlx::query(
                "INSERT INTO pcrs (pcr_id, version, status, category, source_toml, pcr_json, loaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (pcr_id, version) DO NOTHING",
            )
            .bind(&pcr.id)
            .bind(&pcr.version)
            .bind(pcr.status.as_str())
            .bind(&pcr.category.id)
            .bind(*toml)
            .bind(json)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                added.push(format!("{} {}", pcr.id, pcr.version));
            }
        }
        let list_added = sqlx::query(
            "INSERT INTO adopted_standards (version, published, list_json, created_at)
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM adopted_standards)",
        )
        .bind(i64::from(list.version))
        .bind(&list.published)
        .bind(to_json(&list, "adopted-standards list")?)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if !added.is_empty() || list_added {
            record(
                &mut tx,
                &Viewer::System,
                "pcr.load_bundled",
                "pcr",
                added.len(),
                json!({"pcrs": added, "adopted_standards_version": list_added.then_some(list.version)}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(added.len())
    }

    /// Stored PCRs, optionally of one product category and one status, in the order
    /// loaded. Public.
    pub async fn list_pcrs(
        &self,
        category: Option<&str>,
        status: Option<PcrStatus>,
    ) -> Result<Vec<StoredPcr>, StoreError> {
        let rows: Vec<PcrRow> = sqlx::query_as(sql!(
            "SELECT {PCR_COLS} FROM pcrs WHERE ($1 IS NULL OR category = $1)
             AND ($2 IS NULL OR status = $2) ORDER BY seq"
        ))
        .bind(category)
        .bind(status.map(PcrStatus::as_str))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(pcr_from).collect()
    }

    /// One PCR by id and version; without a version, the one loaded last. Public.
    pub async fn get_pcr(&self, id: &str, version: Option<&str>) -> Result<StoredPcr, StoreError> {
        let row: Option<PcrRow> = sqlx::query_as(sql!(
            "SELECT {PCR_COLS} FROM pcrs WHERE pcr_id = $1 AND ($2 IS NULL OR version = $2)
             ORDER BY seq DESC LIMIT 1"
        ))
        .bind(id)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        let what = match version {
            Some(v) => format!("{id} {v}"),
            None => id.to_string(),
        };
        pcr_from(row.ok_or_else(|| StoreError::not_found("PCR", what))?)
    }

    /// The current (latest) version of the adopted-standards list, if any is stored.
    /// Public.
    pub async fn adopted_standards(&self) -> Result<Option<AdoptedStandardsList>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT version, list_json FROM adopted_standards ORDER BY version DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(v, json)| list_from(v, &json)).transpose()
    }

    /// One version of the adopted-standards list. Public.
    pub async fn adopted_standards_version(
        &self,
        version: u32,
    ) -> Result<AdoptedStandardsList, StoreError> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT list_json FROM adopted_standards WHERE version = $1")
                .bind(i64::from(version))
                .fetch_optional(&self.pool)
                .await?;
        let json =
            json.ok_or_else(|| StoreError::not_found("adopted-standards list version", version))?;
        list_from(i64::from(version), &json)
    }

    /// Every version of the adopted-standards list, oldest first. Public.
    pub async fn adopted_standards_versions(
        &self,
    ) -> Result<Vec<AdoptedStandardsList>, StoreError> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT version, list_json FROM adopted_standards ORDER BY version")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|(v, json)| list_from(*v, json)).collect()
    }

    /// Publishes the next version of the adopted-standards list: the current version with
    /// `changes` applied (`AdoptedStandardsList::publish`, which refuses illegal changes).
    /// The registry operator only (write scope), or the system.
    pub async fn publish_adopted_standards(
        &self,
        viewer: &Viewer,
        published: &str,
        changes: &[ListChange],
    ) -> Result<AdoptedStandardsList, StoreError> {
        viewer.require(Scope::Write)?;
        viewer.require_kind(OrgKind::Registry)?;
        let current = self.adopted_standards().await?.ok_or_else(|| {
            StoreError::invalid(
                "adopted_standards",
                "no version of the list is stored yet; load the bundled one first (ensure_bundled_pcrs)",
            )
        })?;
        let next = current
            .publish(published, changes)
            .map_err(|e| StoreError::invalid("changes", e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO adopted_standards (version, published, list_json, published_by_org, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(i64::from(next.version))
        .bind(&next.published)
        .bind(to_json(&next, "adopted-standards list")?)
        .bind(viewer.org_id())
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            StoreError::conflict_or(e, "adopted-standards list version", &next.version.to_string())
        })?;
        record(
            &mut tx,
            viewer,
            "adopted_standards.publish",
            "adopted_standards",
            next.version,
            json!({"published": next.published, "changes": changes.len()}),
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }
}
