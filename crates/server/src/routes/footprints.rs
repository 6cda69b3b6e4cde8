//! Footprint calculations (queued as jobs), results, contribution trees, stale
//! footprints after a database update, and jobs.

use super::Paging;
use crate::AppState;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use zuji_store::{FootprintRow, Job, JobStatus, Page, StaleFootprint};

#[derive(Debug, Clone, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalculationRequest {
    /// The model version; the latest when absent.
    pub version: Option<i64>,
    /// `ar6` (default) or `ar5` GWP100.
    pub gwp: Option<String>,
    /// Monte Carlo iterations (0 or absent: none; at most 100 000).
    pub monte_carlo: Option<u32>,
    pub seed: Option<u64>,
}

/// Starts a calculation; poll the job, then read the footprint it names.
#[utoipa::path(post, path = "/products/{product_id}/footprints", tag = "footprints", params(("product_id" = i64, Path)), request_body = CalculationRequest,
    responses((status = 202, body = Job), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Json(req): Json<CalculationRequest>,
) -> ApiResult<(StatusCode, Json<Job>)> {
    if let Some(g) = &req.gwp
        && !matches!(g.as_str(), "ar6" | "ar5")
    {
        return Err(ApiError::invalid(
            "gwp",
            format!("'{g}' is not a GWP table (ar6, ar5)"),
        ));
    }
    if req.monte_carlo.unwrap_or(0) > 100_000 {
        return Err(ApiError::invalid(
            "monte_carlo",
            "at most 100000 iterations",
        ));
    }
    let options = serde_json::json!({
        "gwp": req.gwp.clone().unwrap_or_else(|| "ar6".into()),
        "monte_carlo": req.monte_carlo.unwrap_or(0),
        "seed": req.seed.unwrap_or(42),
    });
    Ok((
        StatusCode::ACCEPTED,
        Json(
            s.store
                .start_footprint(&v, id, req.version, options)
                .await?,
        ),
    ))
}

/// A product's footprints, newest first.
#[utoipa::path(get, path = "/products/{product_id}/footprints", tag = "footprints", params(("product_id" = i64, Path), Paging),
    responses((status = 200, body = Page<FootprintRow>), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Query(p): Query<Paging>,
) -> ApiResult<Json<Page<FootprintRow>>> {
    Ok(Json(s.store.list_footprints(&v, id, p.page()).await?))
}

/// A footprint with every breakdown (the public sees the summary of disclosed ones).
#[utoipa::path(get, path = "/footprints/{footprint_id}", tag = "footprints", params(("footprint_id" = i64, Path)),
    responses((status = 200, body = FootprintRow), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<FootprintRow>> {
    Ok(Json(s.store.get_footprint(&v, id).await?))
}

/// The contribution tree of a footprint (owner and grantees).
#[utoipa::path(get, path = "/footprints/{footprint_id}/tree", tag = "footprints", params(("footprint_id" = i64, Path)),
    responses((status = 200, body = Object), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tree(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    let f = s.store.get_footprint(&v, id).await?;
    match f.result.get("tree") {
        Some(t) if !f.summary_only => Ok(Json(t.clone())),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the contribution tree is visible to the owner and to organisations it granted access",
        )),
    }
}

/// Footprints computed with a database version a newer one has replaced.
#[utoipa::path(get, path = "/footprints/stale", tag = "footprints",
    responses((status = 200, body = Vec<StaleFootprint>), (status = 401, body = ErrorBody)))]
pub async fn stale(
    State(s): State<AppState>,
    Caller(v): Caller,
) -> ApiResult<Json<Vec<StaleFootprint>>> {
    Ok(Json(s.store.stale_footprints(&v).await?))
}

/// Queues recalculation of every stale footprint the caller may see.
#[utoipa::path(post, path = "/footprints/recalculate", tag = "footprints",
    responses((status = 202, body = Vec<Job>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn recalculate(
    State(s): State<AppState>,
    Caller(v): Caller,
) -> ApiResult<(StatusCode, Json<Vec<Job>>)> {
    Ok((
        StatusCode::ACCEPTED,
        Json(s.store.recalculate_stale(&v).await?),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    pub status: Option<String>,
}

/// Jobs, newest first.
#[utoipa::path(get, path = "/jobs", tag = "jobs", params(Paging, JobQuery),
    responses((status = 200, body = Page<Job>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn jobs(
    State(s): State<AppState>,
    Caller(v): Caller,
    Query(p): Query<Paging>,
    Query(q): Query<JobQuery>,
) -> ApiResult<Json<Page<Job>>> {
    let status = q.status.as_deref().map(JobStatus::parse).transpose()?;
    Ok(Json(s.store.list_jobs(&v, status, p.page()).await?))
}

/// One job: status, progress, error, result.
#[utoipa::path(get, path = "/jobs/{job_id}", tag = "jobs", params(("job_id" = i64, Path)),
    responses((status = 200, body = Job), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn job(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Job>> {
    Ok(Json(s.store.get_job(&v, id).await?))
}
