//! Product category rules and the registry's adopted-standards list (采信清单):
//! `docs/pcr.md`. Reading is public; only the registry operator publishes a new version
//! of the list (the store checks it).

use crate::AppState;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use zuji_store::StoredPcr;
use zuji_trust::pcr::{AdoptedStandardsList, ListChange, Pcr, PcrStatus};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PcrListQuery {
    /// `draft`, `published`, `superseded` or `withdrawn`.
    pub status: Option<String>,
    /// A product category id (`product.category` of a model), e.g. `battery-pack`.
    pub category: Option<String>,
}

/// A stored PCR in a list: the rule without the TOML it was loaded from.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PcrSummary {
    /// The rule (`zuji_trust::pcr::Pcr`): `id`, `version`, `status`, `title` in
    /// zh-Hans/zh-Hant/en, `category`, `declared_unit`, `boundary`, … as in docs/pcr.md.
    #[schema(value_type = Object)]
    pub pcr: Pcr,
    /// When the platform loaded it, Unix milliseconds.
    pub loaded_at: i64,
}

/// One stored PCR with its source.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PcrDocument {
    /// The rule (`zuji_trust::pcr::Pcr`), as in docs/pcr.md.
    #[schema(value_type = Object)]
    pub pcr: Pcr,
    /// The TOML file the rule was loaded from.
    pub source_toml: String,
    /// When the platform loaded it, Unix milliseconds.
    pub loaded_at: i64,
}

impl From<StoredPcr> for PcrDocument {
    fn from(p: StoredPcr) -> PcrDocument {
        PcrDocument {
            pcr: p.pcr,
            source_toml: p.source_toml,
            loaded_at: p.loaded_at,
        }
    }
}

const PCR_STATUSES: [PcrStatus; 4] = [
    PcrStatus::Draft,
    PcrStatus::Published,
    PcrStatus::Superseded,
    PcrStatus::Withdrawn,
];

fn pcr_status(text: &str) -> ApiResult<PcrStatus> {
    PCR_STATUSES
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| {
            ApiError::invalid(
                "status",
                format!("'{text}' is not a PCR status (draft, published, superseded, withdrawn)"),
            )
        })
}

/// The stored product category rules, in the order loaded; optionally of one status
/// and one product category. Public.
#[utoipa::path(get, path = "/pcrs", tag = "pcrs", operation_id = "list_pcrs", params(PcrListQuery),
    responses((status = 200, body = Vec<PcrSummary>), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Query(q): Query<PcrListQuery>,
) -> ApiResult<Json<Vec<PcrSummary>>> {
    let status = q.status.as_deref().map(pcr_status).transpose()?;
    let pcrs = s.store.list_pcrs(q.category.as_deref(), status).await?;
    Ok(Json(
        pcrs.into_iter()
            .map(|p| PcrSummary {
                pcr: p.pcr,
                loaded_at: p.loaded_at,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PcrVersionQuery {
    /// A version of the PCR, e.g. `0.1.0`; the one loaded last when absent.
    pub version: Option<String>,
}

/// One PCR (by id, e.g. `zuji:pcr:battery-pack:draft`) with the TOML it was loaded from.
/// Public.
#[utoipa::path(get, path = "/pcrs/{pcr_id}", tag = "pcrs", operation_id = "get_pcr",
    params(("pcr_id" = String, Path, description = "The PCR's id, e.g. `zuji:pcr:battery-pack:draft`"), PcrVersionQuery),
    responses((status = 200, body = PcrDocument), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PcrVersionQuery>,
) -> ApiResult<Json<PcrDocument>> {
    Ok(Json(
        s.store.get_pcr(&id, q.version.as_deref()).await?.into(),
    ))
}

/// The current version of the adopted-standards list (采信清单): `version`, `published`,
/// `operator` and its `entry` list. Public.
#[utoipa::path(get, path = "/adopted-standards", tag = "pcrs",
    responses((status = 200, body = Object, description = "The list (`zuji_trust::pcr::AdoptedStandardsList`, docs/pcr.md)"), (status = 404, body = ErrorBody)))]
pub async fn adopted_standards(State(s): State<AppState>) -> ApiResult<Json<AdoptedStandardsList>> {
    match s.store.adopted_standards().await? {
        Some(list) => Ok(Json(list)),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no adopted-standards list has been published on this platform yet",
        )),
    }
}

/// Every version of the adopted-standards list, oldest first (entries are never deleted,
/// so a certificate's basis can always be looked up). Public.
#[utoipa::path(get, path = "/adopted-standards/versions", tag = "pcrs",
    responses((status = 200, body = Vec<Object>, description = "Each version of the list, oldest first")))]
pub async fn adopted_standards_versions(
    State(s): State<AppState>,
) -> ApiResult<Json<Vec<AdoptedStandardsList>>> {
    Ok(Json(s.store.adopted_standards_versions().await?))
}

/// A new version of the adopted-standards list: the current one with `changes` applied
/// in order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishStandards {
    /// The publication date, `YYYY-MM-DD`; not before the current version's.
    pub published: String,
    /// At least one change, each tagged by `change`:
    /// `{"change": "adopt", "code", "title": {"zh-Hans", "zh-Hant", "en"}, "issuer",
    /// "status": "adopted", "adopted_on", "source"}`,
    /// `{"change": "supersede", "code", "by", "on"}` or
    /// `{"change": "withdraw", "code", "on"}` (docs/pcr.md).
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<ListChange>,
}

/// Publishes the next version of the adopted-standards list: the registry operator only
/// (write scope). Illegal changes are refused with the change and the reason.
#[utoipa::path(post, path = "/adopted-standards", tag = "pcrs", request_body = PublishStandards,
    responses((status = 201, body = Object, description = "The new version of the list"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn publish_adopted_standards(
    State(s): State<AppState>,
    Caller(v): Caller,
    Json(req): Json<PublishStandards>,
) -> ApiResult<(StatusCode, Json<AdoptedStandardsList>)> {
    let list = s
        .store
        .publish_adopted_standards(&v, &req.published, &req.changes)
        .await?;
    Ok((StatusCode::CREATED, Json(list)))
}
