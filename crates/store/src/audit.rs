//! The audit log: every write records who did what to which thing, in the same
//! transaction as the write itself.

use crate::{Page, PageRequest, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use sqlx::{Any, Transaction};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_org_id: Option<i64>,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub detail: String,
}

pub(crate) async fn record(
    tx: &mut Transaction<'_, Any>,
    viewer: &Viewer,
    action: &str,
    target_kind: &str,
    target_id: impl ToString,
    detail: serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_org_id, action, target_kind, target_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now_ms())
    .bind(viewer.user_id())
    .bind(viewer.org_id())
    .bind(action)
    .bind(target_kind)
    .bind(target_id.to_string())
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// The audit log, newest first: the registry operator (and the system) sees every
    /// entry; an organisation's admin sees the entries its own members made.
    pub async fn audit_log(
        &self,
        viewer: &Viewer,
        action: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>, StoreError> {
        viewer.require(crate::Scope::Admin)?;
        let org_filter = match viewer {
            Viewer::Member {
                org_kind: crate::OrgKind::Registry,
                ..
            }
            | Viewer::System => None,
            v => v.org_id(),
        };
        let where_sql = "WHERE ($1 IS NULL OR actor_org_id = $1) AND ($2 IS NULL OR action = $2)";
        let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM audit_log {where_sql}"))
            .bind(org_filter)
            .bind(action)
            .fetch_one(&self.pool)
            .await?;
        let items = sqlx::query_as::<_, AuditEntry>(sql!(
            "SELECT id, at, actor_user_id, actor_org_id, action, target_kind, target_id, detail
             FROM audit_log {where_sql} ORDER BY id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(org_filter)
        .bind(action)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page::new(items, total, page))
    }
}
