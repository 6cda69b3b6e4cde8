//! The PACT host endpoints (Technical Specifications v3.0 and v2.3), at the root of the
//! server: `POST /auth/token`, `GET /.well-known/openid-configuration`,
//! `GET /3/footprints[/{id}]`, `POST /3/events` and the `/2/…` equivalents.
//!
//! Errors are PACT's, not the platform's: `{"code": "BadRequest" | "AccessDenied" |
//! "TokenExpired" | "NotFound" (v2: "NoSuchFootprint") | "InternalError", "message"}`
//! as `application/json`, and OAuth2's `{"error": "invalid_client", …}` on the token
//! endpoint (RFC 6749 §5.2).

use super::events::{self, EventError, InboundEvent};
use super::filter::{FootprintFilter, Paging, parse_query};
use crate::AppState;
use crate::routes::accounts::basic_credentials;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use zuji_store::{PactAuthFailure, PactCaller, PactFootprintRow, StoreError};

/// Footprints per page when a partner does not say.
const DEFAULT_PAGE: usize = 100;
/// Footprints per page at most.
const MAX_PAGE: usize = 1000;

/// Which API a request came in on; it decides error codes and the document served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    V3,
    V2,
}

/// A PACT error response.
pub struct PactError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl PactError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        PactError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        PactError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }
    fn not_found(api: Api, message: impl Into<String>) -> Self {
        let code = match api {
            Api::V3 => "NotFound",
            Api::V2 => "NoSuchFootprint",
        };
        PactError::new(StatusCode::NOT_FOUND, code, message)
    }
    fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "PACT host error");
        PactError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "an internal error occurred; it has been logged",
        )
    }
}

impl IntoResponse for PactError {
    fn into_response(self) -> Response {
        let mut resp = (
            self.status,
            Json(json!({"code": self.code, "message": self.message})),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        resp
    }
}

/// The partner behind the bearer token, or the spec's answer: an invalid token is a
/// `BadRequest` with 401 (the conformance tests accept 400 or 401 and ask for that
/// code), an expired one `TokenExpired` with 401.
async fn partner(state: &AppState, headers: &HeaderMap) -> Result<PactCaller, PactError> {
    let token = crate::caller::bearer_from_headers(headers).ok_or_else(|| {
        PactError::new(
            StatusCode::UNAUTHORIZED,
            "BadRequest",
            "send an access token from POST /auth/token as 'Authorization: Bearer …'",
        )
    })?;
    state
        .store
        .authenticate_pact(&token)
        .await
        .map_err(|f| match f {
            PactAuthFailure::Invalid => PactError::new(
                StatusCode::UNAUTHORIZED,
                "BadRequest",
                "Invalid token provided",
            ),
            PactAuthFailure::Expired => PactError::new(
                StatusCode::UNAUTHORIZED,
                "TokenExpired",
                "the access token has expired; request a new one from /auth/token",
            ),
        })
}

/// `scheme://host` for links: the scheme this server is reached by, the host the
/// partner asked for (the spec requires the `Link` host to equal the request's).
fn request_origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['/', ' ', '<', '>']))
        .map(String::from)
        .or_else(|| {
            state
                .pact
                .public_url
                .as_deref()
                .and_then(super::client::origin)
                .map(|o| {
                    o.split_once("://")
                        .map(|(_, h)| h.to_string())
                        .unwrap_or_default()
                })
        })
        .unwrap_or_else(|| "localhost".into());
    let scheme = if state.pact.https { "https" } else { "http" };
    format!("{scheme}://{host}")
}

// ---- OAuth2 ---------------------------------------------------------------------

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut resp = (
        status,
        Json(json!({"error": error, "error_description": description})),
    )
        .into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// `POST /auth/token`: OAuth2 client credentials with HTTP Basic authentication.
pub async fn token(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let grant = form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.as_str());
    let Some((id, secret)) = basic_credentials(&headers) else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "authenticate the client with HTTP Basic (client id and secret)",
        );
    };
    match grant {
        Some("client_credentials") => {}
        Some(other) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                &format!("'{other}' is not supported; use client_credentials"),
            );
        }
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type=client_credentials is missing from the form body",
            );
        }
    }
    let scope = [zuji_store::Scope::Pact];
    match s.store.client_credentials(&id, &secret, Some(&scope)).await {
        Ok(issued) => {
            let mut resp = Json(json!({
                "access_token": issued.token,
                "token_type": "Bearer",
                "expires_in": (issued.expires_at - zuji_store::now_ms()) / 1000,
                "scope": "footprint:list footprint:read",
            }))
            .into_response();
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp
        }
        Err(StoreError::Unauthenticated) => oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        ),
        Err(StoreError::Forbidden(_)) => oauth_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "this client is not enabled for PACT exchange",
        ),
        Err(e) => {
            tracing::error!(error = %e, "token endpoint");
            oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "an internal error occurred; it has been logged",
            )
        }
    }
}

/// `GET /.well-known/openid-configuration`: where the token endpoint is. It follows the
/// configured public address when there is one, else the address the caller used.
pub async fn openid_configuration(State(s): State<AppState>, headers: HeaderMap) -> Response {
    let base = s
        .pact
        .public_url
        .clone()
        .unwrap_or_else(|| request_origin(&s, &headers));
    Json(json!({
        "issuer": base,
        "token_endpoint": format!("{base}/auth/token"),
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["none"],
        "jwks_uri": format!("{base}/.well-known/jwks.json"),
        "scopes_supported": ["footprint:list", "footprint:read"],
    }))
    .into_response()
}

/// `GET /.well-known/jwks.json`: tokens are opaque (checked by this host), so no keys.
pub async fn jwks() -> Response {
    Json(json!({"keys": []})).into_response()
}

// ---- Footprints ------------------------------------------------------------------

/// The document served for a stored footprint: its current status set.
pub(crate) fn served(row: &PactFootprintRow, api: Api) -> Option<Value> {
    let mut doc = match api {
        Api::V3 => row.v3.clone(),
        Api::V2 => row.v2.clone()?,
    };
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("status".into(), json!(row.status));
        if let Some(c) = &row.status_comment {
            obj.insert("statusComment".into(), json!(c));
        }
    }
    Some(doc)
}

fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    raw.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

async fn list(
    state: AppState,
    headers: HeaderMap,
    raw: Option<String>,
    api: Api,
) -> Result<Response, PactError> {
    let caller = partner(&state, &headers).await?;
    let pairs = query_pairs(raw.as_deref());
    let (filter, paging) = match api {
        Api::V3 => parse_query(&pairs).map_err(|e| {
            PactError::bad_request(format!("query parameter '{}': {}", e.name, e.problem))
        })?,
        Api::V2 => v2_query(&pairs)?,
    };
    let rows = state
        .store
        .pact_footprints_for(&caller)
        .await
        .map_err(PactError::internal)?;
    let docs: Vec<Value> = rows
        .iter()
        .filter_map(|r| served(r, api))
        .filter(|d| filter.matches(d))
        .collect();
    let limit = paging.limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE);
    let page: Vec<Value> = docs
        .iter()
        .skip(paging.offset)
        .take(limit)
        .cloned()
        .collect();
    let mut resp = Json(json!({"data": page})).into_response();
    let next = paging.offset.saturating_add(limit);
    if limit > 0 && next < docs.len() {
        // Offsets into a list ordered by publication: the link stays valid as long as
        // the partner likes (the spec asks for at least 180 s).
        let mut kept: Vec<(String, String)> = pairs
            .into_iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("limit") && !k.eq_ignore_ascii_case("offset"))
            .collect();
        kept.push(("limit".into(), limit.to_string()));
        kept.push(("offset".into(), next.to_string()));
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish();
        let prefix = match api {
            Api::V3 => "/3",
            Api::V2 => "/2",
        };
        let link = format!(
            "<{}{prefix}/footprints?{query}>; rel=\"next\"",
            request_origin(&state, &headers)
        );
        if let Ok(v) = HeaderValue::from_str(&link) {
            resp.headers_mut().insert(header::LINK, v);
        }
    }
    Ok(resp)
}

/// v2.x lists take `limit` (and Zuji's own `offset` in its links); the OData `$filter`
/// of v2 is optional in the spec and not supported.
fn v2_query(pairs: &[(String, String)]) -> Result<(FootprintFilter, Paging), PactError> {
    let mut paging = Paging::default();
    for (k, v) in pairs {
        match k.as_str() {
            "limit" => {
                paging.limit = Some(v.trim().parse().map_err(|_| {
                    PactError::bad_request(format!("limit: '{v}' is not a whole number"))
                })?)
            }
            "offset" => {
                paging.offset = v.trim().parse().map_err(|_| {
                    PactError::bad_request(format!("offset: '{v}' is not a position in the list"))
                })?
            }
            "$filter" => {
                return Err(PactError::bad_request(
                    "$filter is not supported by this host (optional in PACT v2)",
                ));
            }
            _ => {}
        }
    }
    Ok((FootprintFilter::default(), paging))
}

async fn get_one(
    state: AppState,
    headers: HeaderMap,
    id: String,
    api: Api,
) -> Result<Response, PactError> {
    let caller = partner(&state, &headers).await?;
    let row = match state.store.pact_footprint_for(&caller, &id).await {
        Ok(row) => row,
        Err(StoreError::NotFound { .. }) => {
            return Err(PactError::not_found(
                api,
                format!("Footprint with ID '{id}' does not exist"),
            ));
        }
        Err(StoreError::Forbidden(m)) => {
            return Err(PactError::new(StatusCode::FORBIDDEN, "AccessDenied", m));
        }
        Err(e) => return Err(PactError::internal(e)),
    };
    let doc = served(&row, api).ok_or_else(|| {
        PactError::not_found(
            api,
            format!("Footprint '{id}' is published in PACT v3 only (v2.3 cannot express its declared unit)"),
        )
    })?;
    Ok(Json(json!({"data": doc})).into_response())
}

pub async fn list_v3(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, PactError> {
    list(s, headers, q, Api::V3).await
}

pub async fn list_v2(
    State(s): State<AppState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, PactError> {
    list(s, headers, q, Api::V2).await
}

pub async fn get_v3(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PactError> {
    get_one(s, headers, id, Api::V3).await
}

pub async fn get_v2(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PactError> {
    get_one(s, headers, id, Api::V2).await
}

// ---- Events ----------------------------------------------------------------------

async fn receive_event(
    state: AppState,
    headers: HeaderMap,
    body: Bytes,
    api: Api,
) -> Result<Response, PactError> {
    let caller = partner(&state, &headers).await?;
    let event = events::parse(&headers, &body, api).map_err(|e| match e {
        EventError::Invalid(m) => PactError::bad_request(m),
    })?;
    let outcome = match event {
        InboundEvent::RequestCreated(r) => {
            events::on_request_created(&state, &caller, r, api).await
        }
        InboundEvent::RequestFulfilled {
            request_event_id,
            pfs,
        } => events::on_request_answered(&state, &caller, &request_event_id, Ok(pfs)).await,
        InboundEvent::RequestRejected {
            request_event_id,
            error,
        } => events::on_request_answered(&state, &caller, &request_event_id, Err(error)).await,
        InboundEvent::Published { pf_ids } => events::on_published(&state, &caller, pf_ids).await,
    };
    outcome.map_err(|e| match e {
        StoreError::Invalid { field, problem } => {
            PactError::bad_request(format!("{field}: {problem}"))
        }
        other => PactError::internal(other),
    })?;
    // The spec: 200 with an empty body.
    Ok(StatusCode::OK.into_response())
}

pub async fn events_v3(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PactError> {
    receive_event(s, headers, body, Api::V3).await
}

pub async fn events_v2(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PactError> {
    receive_event(s, headers, body, Api::V2).await
}
