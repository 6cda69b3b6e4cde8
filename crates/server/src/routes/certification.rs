//! Certification (docs/certification.md): an enterprise applies to a certification body
//! for one computed footprint under a PCR; the body reviews and approves or rejects; an
//! approval issues a certificate, which the body or the registry may suspend, reinstate,
//! withdraw or record as expired. The state machines live in `zuji_trust::certification`
//! and the access rules in the store: these handlers parse, call the store as the caller
//! and shape the answer. A refused action answers 403 (not the party who may act), 404
//! (not a party at all), 409 (changed by someone else meanwhile) or 422 (not allowed from
//! the current state, approval blocked, invalid field), with the reason in the message.

use super::Paging;
use crate::AppState;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zuji_store::{
    ApplicationFilter, ApplicationInput, ApplicationOutcome, CertificateFilter, CertificateOutcome,
    Page, StoredApplication, StoredCertificate,
};
use zuji_trust::certification::{
    ApplicationAction, ApplicationStatus, CertificateAction, CertificateStatus,
};

/// Applies for certification: an editor or administrator of the enterprise owning the
/// footprint's product. The application starts `submitted`, with an id `APP-000001`, …
#[utoipa::path(post, path = "/certification/applications", tag = "certification", operation_id = "apply_for_certification", request_body = ApplicationInput,
    responses((status = 201, body = Object, description = "The stored application: `{id, product_id, model_version_id, enterprise_org_id, certification_body_org_id, status, revision, created_at, updated_at, application}`"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply(
    State(s): State<AppState>,
    Caller(v): Caller,
    Json(input): Json<ApplicationInput>,
) -> ApiResult<(StatusCode, Json<StoredApplication>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.store.apply_for_certification(&v, input).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    pub product_id: Option<i64>,
    /// `submitted`, `under_review`, `corrections_requested`, `approved`, `rejected` or
    /// `withdrawn`.
    pub status: Option<String>,
}

/// A page of applications, for the schema.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationPage {
    /// Stored applications, as `GET /certification/applications/{id}` answers.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<StoredApplication>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

fn parse_application_status(text: &str) -> ApiResult<ApplicationStatus> {
    ApplicationStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| {
            ApiError::invalid(
                "status",
                format!(
                    "'{text}' is not an application status ({})",
                    ApplicationStatus::ALL.map(|s| s.as_str()).join(", ")
                ),
            )
        })
}

fn parse_certificate_status(text: &str) -> ApiResult<CertificateStatus> {
    CertificateStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| {
            ApiError::invalid(
                "status",
                format!(
                    "'{text}' is not a certificate status ({})",
                    CertificateStatus::ALL.map(|s| s.as_str()).join(", ")
                ),
            )
        })
}

/// The applications the caller may see: its enterprise's, those made to its
/// certification body, or all of them for the registry; oldest first. Not public.
#[utoipa::path(get, path = "/certification/applications", tag = "certification", params(Paging, ApplicationQuery),
    responses((status = 200, body = ApplicationPage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_applications(
    State(s): State<AppState>,
    Caller(v): Caller,
    Query(p): Query<Paging>,
    Query(q): Query<ApplicationQuery>,
) -> ApiResult<Json<ApplicationPage>> {
    let filter = ApplicationFilter {
        product_id: q.product_id,
        status: q
            .status
            .as_deref()
            .map(parse_application_status)
            .transpose()?,
    };
    let page = s.store.list_applications(&v, &filter, p.page()).await?;
    Ok(Json(ApplicationPage {
        items: page.items,
        total: page.total,
        offset: page.offset,
        limit: page.limit,
    }))
}

/// One application with its whole record (findings, visits, verification, history):
/// the applying enterprise, the certification body applied to and the registry. Other
/// organisations get 404; the public 401.
#[utoipa::path(get, path = "/certification/applications/{id}", tag = "certification",
    params(("id" = String, Path, description = "The application's id, e.g. `APP-000001`")),
    responses((status = 200, body = Object, description = "The stored application"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_application(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<StoredApplication>> {
    Ok(Json(s.store.get_application(&v, &id).await?))
}

/// Takes an action on an application as the caller. The body is tagged by `action`:
///
/// - certification body: `{"action": "start_document_review"}`,
///   `{"action": "complete_document_review", "note"?}`,
///   `{"action": "record_finding", "severity": "major" | "minor" | "observation", "clause", "text"}`,
///   `{"action": "close_finding", "finding_id", "resolution"}`,
///   `{"action": "request_corrections", "reason"}`,
///   `{"action": "record_on_site_visit", "date": "YYYY-MM-DD", "site", "auditor", "notes"}`,
///   `{"action": "approve"}` (the store runs the PCR check on the stored footprint itself
///   and mints the certificate id; any `certificate_id` or `pcr_missed_mandatory` given
///   is ignored), `{"action": "reject", "reason"}`. The footprint is verified by
///   `POST …/{id}/verification` (the platform's recomputation), never by an action: a
///   `verify_footprint` action is refused;
/// - the applying enterprise: `{"action": "respond_to_corrections", "note",
///   "model_version_id"?, "footprint_fingerprint"?, "documents"?}` (a named model version
///   brings its newest computed footprint's fingerprint),
///   `{"action": "withdraw", "reason"}`.
///
/// Answers the application as it now is, the certificate an approval issued and the
/// index of its transparency-log entry.
#[utoipa::path(post, path = "/certification/applications/{id}/actions", tag = "certification",
    params(("id" = String, Path, description = "The application's id, e.g. `APP-000001`")),
    request_body(content = Object, description = "A `zuji_trust::certification::ApplicationAction`, tagged by `action` (snake_case)"),
    responses((status = 200, body = Object, description = "`{application, certificate, log_index}`"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act_on_application(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Json<ApplicationOutcome>> {
    // Parsed here so that a malformed action is a 422 naming the field. (An approval's
    // certificate id may be left out: the store mints it.)
    let action: ApplicationAction = serde_json::from_value(body)
        .map_err(|e| ApiError::invalid("action", format!("not an application action: {e}")))?;
    Ok(Json(s.store.act_on_application(&v, &id, action).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    pub product_id: Option<i64>,
    /// The holding enterprise.
    pub holder_org_id: Option<i64>,
    /// The recorded status: `valid`, `suspended`, `withdrawn`, `expired` or `superseded`.
    pub status: Option<String>,
}

/// A page of certificates, for the schema.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CertificatePage {
    /// Certificates, as `GET /certificates/{id}` answers each to the caller.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<StoredCertificate>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

impl From<Page<StoredCertificate>> for CertificatePage {
    fn from(p: Page<StoredCertificate>) -> CertificatePage {
        CertificatePage {
            items: p.items,
            total: p.total,
            offset: p.offset,
            limit: p.limit,
        }
    }
}

/// Certificates, oldest first. Public: everyone sees status, scope and dates; the
/// holder, the issuing body and the registry also the whole record.
#[utoipa::path(get, path = "/certificates", tag = "certification", params(Paging, CertificateQuery),
    responses((status = 200, body = CertificatePage), (status = 422, body = ErrorBody)))]
pub async fn list_certificates(
    State(s): State<AppState>,
    Caller(v): Caller,
    Query(p): Query<Paging>,
    Query(q): Query<CertificateQuery>,
) -> ApiResult<Json<CertificatePage>> {
    let filter = CertificateFilter {
        product_id: q.product_id,
        holder_org_id: q.holder_org_id,
        status: q
            .status
            .as_deref()
            .map(parse_certificate_status)
            .transpose()?,
    };
    Ok(Json(
        s.store
            .list_certificates(&v, &filter, p.page())
            .await?
            .into(),
    ))
}

/// One certificate. Public: everyone sees `status` (as of now: `expired` once the
/// validity has ended), `recorded_status`, `scope`, `issued_at` and `valid_until`; the
/// holder, the issuing body and the registry also `application_id` and the whole
/// `certificate` record (history, surveillance, suspension).
#[utoipa::path(get, path = "/certificates/{id}", tag = "certification",
    params(("id" = String, Path, description = "The certificate's id, e.g. `CERT-000001`")),
    responses((status = 200, body = Object, description = "The certificate as the caller may see it"), (status = 404, body = ErrorBody)))]
pub async fn get_certificate(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<StoredCertificate>> {
    Ok(Json(s.store.get_certificate(&v, &id).await?))
}

/// Takes an action on a certificate as the caller. The body is tagged by `action`:
/// issuing body: `{"action": "schedule_surveillance", "due_by": <Unix seconds>}`,
/// `{"action": "record_surveillance", "auditor", "outcome", "notes"?, "performed_at"?: <Unix
/// seconds, from the issue to now; default now>}`; issuing body or
/// registry: `{"action": "suspend", "reason"}`, `{"action": "withdraw", "reason"}`,
/// `{"action": "expire"}`; whoever suspended it: `{"action": "reinstate", "reason"}`.
#[utoipa::path(post, path = "/certificates/{id}/actions", tag = "certification",
    params(("id" = String, Path, description = "The certificate's id, e.g. `CERT-000001`")),
    request_body(content = Object, description = "A `zuji_trust::certification::CertificateAction`, tagged by `action` (snake_case)"),
    responses((status = 200, body = Object, description = "`{certificate, log_index}`"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act_on_certificate(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> ApiResult<Json<CertificateOutcome>> {
    let action: CertificateAction = serde_json::from_value(body)
        .map_err(|e| ApiError::invalid("action", format!("not a certificate action: {e}")))?;
    Ok(Json(s.store.act_on_certificate(&v, &id, action).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// The instant asked about, Unix milliseconds; now when absent.
    pub at: Option<i64>,
}

/// What a certificate's status was at an instant.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CertificateStatusAt {
    pub certificate_id: String,
    /// `valid`, `suspended`, `withdrawn`, `expired` or `superseded`.
    pub status: String,
    /// The instant, Unix milliseconds.
    pub at: i64,
}

/// A certificate's status at an instant, from its history (for a bank or a buyer: was
/// it valid when the label was shown?): `expired` for any instant at or after
/// `valid_until`. Public. An instant before its issue is refused (422, field `at`).
#[utoipa::path(get, path = "/certificates/{id}/status", tag = "certification",
    params(("id" = String, Path, description = "The certificate's id, e.g. `CERT-000001`"), StatusQuery),
    responses((status = 200, body = CertificateStatusAt), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn certificate_status(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<StatusQuery>,
) -> ApiResult<Json<CertificateStatusAt>> {
    let at = q.at.unwrap_or_else(zuji_store::now_ms);
    let status = s.store.certificate_status_at(&id, at).await?;
    Ok(Json(CertificateStatusAt {
        certificate_id: id,
        status: status.as_str().to_string(),
        at,
    }))
}
