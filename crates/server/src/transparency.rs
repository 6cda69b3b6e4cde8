//! The public transparency log (docs/transparency-log.md) and the published keys, for
//! anyone to read and verify: `GET /log/sth`, `/log/sth/{size}`, `/log/sths`,
//! `/log/entries?start=&end=`, `/log/proof/inclusion?index=&size=`,
//! `/log/proof/consistency?first=&second=`, `/keys`. Read-only; entries are appended
//! by the store inside the transactions that change certificates, labels and
//! benchmarks.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/log/sth", get(latest_head))
        .route("/log/sth/{size}", get(head_at))
        .route("/log/sths", get(all_heads))
        .route("/log/entries", get(entries))
        .route("/log/proof/inclusion", get(inclusion))
        .route("/log/proof/consistency", get(consistency))
        .route("/keys", get(keys))
}

fn to_json<T: serde::Serialize>(v: &T) -> ApiResult<Json<Value>> {
    serde_json::to_value(v)
        .map(Json)
        .map_err(ApiError::internal)
}

async fn latest_head(State(s): State<AppState>) -> ApiResult<Json<Value>> {
    match s.store.latest_tree_head().await? {
        Some(h) => to_json(&h),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no tree head has been published yet",
        )),
    }
}

async fn head_at(State(s): State<AppState>, Path(size): Path<u64>) -> ApiResult<Json<Value>> {
    match s.store.tree_head_at(size).await? {
        Some(h) => to_json(&h),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no tree head was published at size {size}"),
        )),
    }
}

async fn all_heads(State(s): State<AppState>) -> ApiResult<Json<Value>> {
    Ok(Json(json!({"heads": s.store.tree_heads().await?})))
}

#[derive(Debug, Deserialize)]
struct Range {
    start: u64,
    end: u64,
}

async fn entries(State(s): State<AppState>, Query(r): Query<Range>) -> ApiResult<Json<Value>> {
    if r.end < r.start {
        return Err(ApiError::invalid("end", "end must not be before start"));
    }
    Ok(Json(json!({
        "size": s.store.log_size().await?,
        "entries": s.store.log_entries(r.start, r.end).await?,
    })))
}

#[derive(Debug, Deserialize)]
struct InclusionQuery {
    index: u64,
    size: u64,
}

async fn inclusion(
    State(s): State<AppState>,
    Query(q): Query<InclusionQuery>,
) -> ApiResult<Json<Value>> {
    to_json(&s.store.inclusion_proof(q.index, q.size).await?)
}

#[derive(Debug, Deserialize)]
struct ConsistencyQuery {
    first: u64,
    second: u64,
}

async fn consistency(
    State(s): State<AppState>,
    Query(q): Query<ConsistencyQuery>,
) -> ApiResult<Json<Value>> {
    to_json(&s.store.consistency_proof(q.first, q.second).await?)
}

async fn keys(State(s): State<AppState>) -> ApiResult<Json<Value>> {
    to_json(&s.store.published_keys().await?)
}
