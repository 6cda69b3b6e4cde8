//! Published category benchmarks (默认值、平均值、先进值) per PCR and period: public to
//! read; the registry operator publishes them (docs/pcr.md, "Benchmarks"). Each
//! publication is a new version, never an edit, and is appended to the transparency log.

use crate::AppState;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use zuji_store::StoredBenchmark;
use zuji_trust::benchmark::BenchmarkVersion;

/// Every published benchmark of a PCR, by period then version. Public; 404 when no such
/// PCR is stored.
#[utoipa::path(get, path = "/pcrs/{pcr_id}/benchmarks", tag = "pcrs", operation_id = "list_benchmarks",
    params(("pcr_id" = String, Path, description = "The PCR's id, e.g. `zuji:pcr:battery-pack:draft`")),
    responses((status = 200, body = Vec<Object>, description = "Each `{benchmark, log_index, published_by_org, created_at}`, by period then version"), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Path(pcr_id): Path<String>,
) -> ApiResult<Json<Vec<StoredBenchmark>>> {
    s.store.get_pcr(&pcr_id, None).await?;
    Ok(Json(s.store.list_benchmarks(&pcr_id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LatestQuery {
    /// The period, e.g. `2025`; when absent, the latest period (in text order) that has a
    /// benchmark.
    pub period: Option<String>,
}

/// The latest version of a PCR's benchmark for a period. Public; 404 when none is
/// published.
#[utoipa::path(get, path = "/pcrs/{pcr_id}/benchmarks/latest", tag = "pcrs", operation_id = "latest_benchmark",
    params(("pcr_id" = String, Path, description = "The PCR's id, e.g. `zuji:pcr:battery-pack:draft`"), LatestQuery),
    responses((status = 200, body = Object, description = "`{benchmark, log_index, published_by_org, created_at}`; `benchmark` is a `zuji_trust::benchmark::BenchmarkVersion`"), (status = 404, body = ErrorBody)))]
pub async fn latest(
    State(s): State<AppState>,
    Path(pcr_id): Path<String>,
    Query(q): Query<LatestQuery>,
) -> ApiResult<Json<StoredBenchmark>> {
    let found = match &q.period {
        Some(period) => s.store.latest_benchmark(&pcr_id, period).await?,
        // Ordered by period then version: the last is the latest period's latest version.
        None => s.store.list_benchmarks(&pcr_id).await?.pop(),
    };
    found.map(Json).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            match &q.period {
                Some(period) => {
                    format!("no benchmark of PCR {pcr_id} for period {period} is published")
                }
                None => format!("no benchmark of PCR {pcr_id} is published"),
            },
        )
    })
}

/// Publishes a benchmark version: the registry operator only (write scope). The body is
/// a `zuji_trust::benchmark::BenchmarkVersion`; its PCR (id and version) must be stored,
/// its values must fit the PCR's grade bands, and `version` must be the next one for its
/// PCR and period (1 for the first; a correction is a new version, never an edit).
/// `licence` and `geography` (an ISO 3166 code, `CN` or `CN-GD`) are optional; when
/// given, the licence must not be blank and the geography must have that shape (422
/// naming it otherwise).
#[utoipa::path(post, path = "/benchmarks", tag = "pcrs", operation_id = "publish_benchmark",
    request_body(content = Object, description = "A `BenchmarkVersion`: `{pcr_id, pcr_version, period, version, unit, values: {default, average, advanced}, method, sample_size, statistics, source, licence?, geography?, published_at}` (docs/pcr.md); `licence` (e.g. `CC BY 4.0`) and `geography` (ISO 3166, `CN` or `CN-GD`) may be left out"),
    responses((status = 201, body = Object, description = "`{benchmark, log_index, published_by_org, created_at}`"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish(
    State(s): State<AppState>,
    Caller(v): Caller,
    Json(benchmark): Json<BenchmarkVersion>,
) -> ApiResult<(StatusCode, Json<StoredBenchmark>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.store.publish_benchmark(&v, benchmark).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComputeRequest {
    /// The period, e.g. `2025`: footprints whose reference period begins with it.
    pub period: String,
}

/// The registry computes the PCR's benchmark for a period from the certified footprints
/// (certificates in force, this PCR's current version, reference period in the period)
/// by the PCR's statistics, and publishes it as the next version. 422 naming the sample
/// size when it is below the PCR's minimum.
#[utoipa::path(post, path = "/pcrs/{pcr_id}/benchmarks/computed", tag = "pcrs",
    params(("pcr_id" = String, Path, description = "The PCR's id, e.g. `zuji:pcr:battery-pack:draft`")),
    request_body = ComputeRequest,
    responses((status = 201, body = Object, description = "`{benchmark, log_index, published_by_org, created_at}`"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compute(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(pcr_id): Path<String>,
    Json(req): Json<ComputeRequest>,
) -> ApiResult<(StatusCode, Json<StoredBenchmark>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.store
                .publish_computed_benchmark(&v, &pcr_id, &req.period)
                .await?,
        ),
    ))
}
