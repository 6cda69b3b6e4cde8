//! Background databases: versions, activity search, one dataset, and imports of
//! JSON-LD, EcoSpold2, EcoSpold1, ILCD or tabular packages as new versions.

use super::Paging;
use crate::AppState;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use zuji_store::{ActivityRow, DatabaseVersion, Job, JobKind, OrgKind, Page, Scope};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DatabaseQuery {
    pub name: Option<String>,
}

/// Every version of every background database.
#[utoipa::path(get, path = "/databases", tag = "databases", params(DatabaseQuery),
    responses((status = 200, body = Vec<DatabaseVersion>)))]
pub async fn list(
    State(s): State<AppState>,
    Query(q): Query<DatabaseQuery>,
) -> ApiResult<Json<Vec<DatabaseVersion>>> {
    Ok(Json(
        s.store.list_database_versions(q.name.as_deref()).await?,
    ))
}

/// One database version.
#[utoipa::path(get, path = "/databases/versions/{version_id}", tag = "databases", params(("version_id" = i64, Path)),
    responses((status = 200, body = DatabaseVersion), (status = 404, body = ErrorBody)))]
pub async fn get_version(
    State(s): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<DatabaseVersion>> {
    Ok(Json(s.store.database_version(id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words of the name, reference product or id.
    pub q: Option<String>,
    pub geography: Option<String>,
    /// One version; the current versions of all databases when absent.
    pub version_id: Option<i64>,
}

/// Searches activities.
#[utoipa::path(get, path = "/databases/activities", tag = "databases", params(SearchQuery, Paging),
    responses((status = 200, body = Page<ActivityRow>)))]
pub async fn search(
    State(s): State<AppState>,
    Query(q): Query<SearchQuery>,
    Query(p): Query<Paging>,
) -> ApiResult<Json<Page<ActivityRow>>> {
    Ok(Json(
        s.store
            .search_activities(
                q.version_id,
                q.q.as_deref(),
                q.geography.as_deref(),
                p.page(),
            )
            .await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ExchangeView {
    /// `production`, `technosphere` or `biosphere`.
    pub kind: String,
    /// The activity or elementary flow id.
    pub input: String,
    pub name: String,
    pub amount: f64,
    pub unit: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ActivityView {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub geography: String,
    pub source: Option<String>,
    pub year: Option<String>,
    pub licence: Option<String>,
    pub status: Option<String>,
    pub exchanges: Vec<ExchangeView>,
}

/// One dataset with its exchanges and provenance.
#[utoipa::path(get, path = "/databases/versions/{version_id}/activities/{activity_id}", tag = "databases",
    params(("version_id" = i64, Path), ("activity_id" = String, Path)),
    responses((status = 200, body = ActivityView), (status = 404, body = ErrorBody)))]
pub async fn activity(
    State(s): State<AppState>,
    Path((id, activity)): Path<(i64, String)>,
) -> ApiResult<Json<ActivityView>> {
    let db = crate::worker::cached_database(&s.store, id).await?;
    let pos = db.activity_position(&activity).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("activity '{activity}' not found in database version {id}"),
        )
    })?;
    let a = &db.activities[pos];
    let exchanges = db
        .exchanges
        .iter()
        .filter(|e| e.activity == pos)
        .map(|e| {
            let (input, name, unit) = match e.kind {
                zuji_model::lci::ExchangeKind::Biosphere => {
                    let f = &db.flows[e.input];
                    (f.id.clone(), f.name.clone(), f.unit.clone())
                }
                _ => {
                    let x = &db.activities[e.input];
                    (x.id.clone(), x.name.clone(), x.unit.clone())
                }
            };
            ExchangeView {
                kind: e.kind.as_str().into(),
                input,
                name,
                amount: e.amount,
                unit,
            }
        })
        .collect();
    Ok(Json(ActivityView {
        id: a.id.clone(),
        name: a.name.clone(),
        unit: a.unit.clone(),
        geography: a.location.clone(),
        source: a.source.clone(),
        year: a.year.clone(),
        licence: a.licence.clone(),
        status: a.status.clone(),
        exchanges,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `jsonld`, `ecospold2`, `ecospold1`, `ilcd` or `tabular` (a zip of the four CSVs).
    pub format: String,
}

/// Imports a package (the request body, a zip or a single XML file) as a new version
/// of the named database; runs as a job (registry operators).
#[utoipa::path(post, path = "/databases/{name}/versions", tag = "databases", params(("name" = String, Path), ImportQuery),
    request_body(content = Vec<u8>, description = "The package (zip or a single XML file), sent as bytes", content_type = "application/octet-stream"),
    responses((status = 202, body = Job), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(name): Path<String>,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Job>)> {
    v.require(Scope::Write)?;
    v.require_kind(OrgKind::Registry)?;
    zuji_store::check_database_name(&name)?;
    if !matches!(
        q.format.as_str(),
        "jsonld" | "ecospold2" | "ecospold1" | "ilcd" | "tabular"
    ) {
        return Err(ApiError::invalid(
            "format",
            format!(
                "'{}' is not an import format (jsonld, ecospold2, ecospold1, ilcd, tabular)",
                q.format
            ),
        ));
    }
    if body.is_empty() {
        return Err(ApiError::invalid("body", "the package is empty"));
    }
    let payload = serde_json::json!({"name": name, "format": q.format});
    Ok((
        StatusCode::ACCEPTED,
        Json(
            s.store
                .enqueue_job(
                    &v,
                    JobKind::Import,
                    v.org_id(),
                    &payload,
                    Some(body.to_vec()),
                )
                .await?,
        ),
    ))
}
