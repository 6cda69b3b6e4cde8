//! Sign-in, tokens, organisations, users, API clients and the audit log.

use super::Paging;
use crate::AppState;
use crate::caller::{Caller, SESSION_COOKIE};
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use zuji_store::{ApiClient, AuditEntry, OrgKind, Organisation, Page, Role, Scope, User, Viewer};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionResponse {
    /// The session token; also set as the `zuji_session` cookie.
    pub token: String,
    /// Unix milliseconds.
    pub expires_at: i64,
}

/// Signs in with e-mail and password.
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Response> {
    let issued = s.store.login(&req.email, &req.password).await?;
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        issued.token,
        (issued.expires_at - zuji_store::now_ms()) / 1000
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(SessionResponse {
            token: issued.token,
            expires_at: issued.expires_at,
        }),
    )
        .into_response())
}

/// Ends the session or revokes the bearer token of the request.
#[utoipa::path(post, path = "/auth/logout", tag = "accounts", responses((status = 204)))]
pub async fn logout(State(s): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = crate::caller::bearer_from_headers(&headers) {
        s.store.revoke_token(&token).await?;
    }
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, clear)]).into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: String,
    /// Space-separated scopes; the client's own when absent.
    pub scope: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds.
    pub expires_in: i64,
    pub scope: String,
}

/// OAuth2 client credentials: an access token for an API client (HTTP Basic with the
/// client id and secret; form-encoded body).
#[utoipa::path(post, path = "/auth/token", tag = "accounts",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = TokenResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn token(
    State(s): State<AppState>,
    headers: HeaderMap,
    axum::Form(req): axum::Form<TokenRequest>,
) -> ApiResult<Json<TokenResponse>> {
    if req.grant_type != "client_credentials" {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        ));
    }
    let (id, secret) = basic_credentials(&headers).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "send the client id and secret with HTTP Basic authentication",
        )
    })?;
    let requested = match &req.scope {
        Some(text) => Some(
            text.split_whitespace()
                .map(Scope::parse)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        None => None,
    };
    let issued = s
        .store
        .client_credentials(&id, &secret, requested.as_deref())
        .await
        .map_err(|e| match e {
            zuji_store::StoreError::Unauthenticated => ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "unknown client or wrong secret",
            ),
            other => other.into(),
        })?;
    Ok(Json(TokenResponse {
        access_token: issued.token,
        token_type: "Bearer",
        expires_in: (issued.expires_at - zuji_store::now_ms()) / 1000,
        scope: issued
            .scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }))
}

/// The id and secret of an `Authorization: Basic` header.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64_decode(encoded.trim())?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Standard base64 (RFC 4648 §4), padding optional.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeResponse {
    pub org: Organisation,
    pub user: Option<User>,
    pub scopes: Vec<Scope>,
}

/// Who the caller is.
#[utoipa::path(get, path = "/me", tag = "accounts", responses((status = 200, body = MeResponse), (status = 401, body = ErrorBody)))]
pub async fn me(State(s): State<AppState>, Caller(v): Caller) -> ApiResult<Json<MeResponse>> {
    let Viewer::Member { org_id, scopes, .. } = &v else {
        return Err(zuji_store::StoreError::Unauthenticated.into());
    };
    let org = s.store.get_org(&Viewer::System, *org_id).await?;
    Ok(Json(MeResponse {
        org,
        user: s.store.current_user(&v).await?,
        scopes: scopes.clone(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    pub kind: Option<OrgKind>,
}

/// Organisations: all for the registry, one's own for others.
#[utoipa::path(get, path = "/orgs", tag = "accounts", params(Paging, OrgQuery),
    responses((status = 200, body = Page<Organisation>), (status = 401, body = ErrorBody)))]
pub async fn list_orgs(
    State(s): State<AppState>,
    Caller(v): Caller,
    Query(p): Query<Paging>,
    Query(q): Query<OrgQuery>,
) -> ApiResult<Json<Page<Organisation>>> {
    Ok(Json(s.store.list_orgs(&v, q.kind, p.page()).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewOrg {
    pub name: String,
    pub kind: OrgKind,
}

/// Creates an organisation (registry administrators).
#[utoipa::path(post, path = "/orgs", tag = "accounts", request_body = NewOrg,
    responses((status = 201, body = Organisation), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_org(
    State(s): State<AppState>,
    Caller(v): Caller,
    Json(req): Json<NewOrg>,
) -> ApiResult<(StatusCode, Json<Organisation>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.store.create_org(&v, &req.name, req.kind).await?),
    ))
}

/// One organisation.
#[utoipa::path(get, path = "/orgs/{org_id}", tag = "accounts", params(("org_id" = i64, Path)),
    responses((status = 200, body = Organisation), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_org(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Organisation>> {
    Ok(Json(s.store.get_org(&v, id).await?))
}

/// The users of an organisation (its admins and the registry).
#[utoipa::path(get, path = "/orgs/{org_id}/users", tag = "accounts", params(("org_id" = i64, Path), Paging),
    responses((status = 200, body = Page<User>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_users(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Query(p): Query<Paging>,
) -> ApiResult<Json<Page<User>>> {
    Ok(Json(s.store.list_users(&v, id, p.page()).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    pub email: String,
    pub role: Role,
    /// At least 10 characters; stored as an Argon2id hash.
    pub password: String,
}

/// Adds a user to an organisation.
#[utoipa::path(post, path = "/orgs/{org_id}/users", tag = "accounts", params(("org_id" = i64, Path)), request_body = NewUser,
    responses((status = 201, body = User), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Json(req): Json<NewUser>,
) -> ApiResult<(StatusCode, Json<User>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.store
                .create_user(&v, &req.email, id, req.role, &req.password)
                .await?,
        ),
    ))
}

/// An organisation's API clients (never their secrets).
#[utoipa::path(get, path = "/orgs/{org_id}/api-clients", tag = "accounts", params(("org_id" = i64, Path)),
    responses((status = 200, body = Vec<ApiClient>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_clients(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ApiClient>>> {
    Ok(Json(s.store.list_api_clients(&v, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewClient {
    pub name: String,
    pub scopes: Vec<Scope>,
    #[serde(default)]
    pub pact: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct IssuedClientResponse {
    pub client: ApiClient,
    /// Shown once; only its hash is stored.
    pub secret: String,
}

/// Creates an API client; the response carries its secret, once.
#[utoipa::path(post, path = "/orgs/{org_id}/api-clients", tag = "accounts", params(("org_id" = i64, Path)), request_body = NewClient,
    responses((status = 201, body = IssuedClientResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_client(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Json(req): Json<NewClient>,
) -> ApiResult<(StatusCode, Json<IssuedClientResponse>)> {
    let issued = s
        .store
        .create_api_client(&v, id, &req.name, &req.scopes, req.pact)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedClientResponse {
            client: issued.client,
            secret: issued.secret,
        }),
    ))
}

/// Revokes an API client and every token it holds.
#[utoipa::path(delete, path = "/orgs/{org_id}/api-clients/{client_id}", tag = "accounts", params(("org_id" = i64, Path), ("client_id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_client(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path((id, client)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    s.store.revoke_api_client(&v, id, &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub action: Option<String>,
}

/// The audit log, newest first (registry: everything; an org admin: its own members).
#[utoipa::path(get, path = "/audit", tag = "accounts", params(Paging, AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(s): State<AppState>,
    Caller(v): Caller,
    Query(p): Query<Paging>,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    Ok(Json(
        s.store.audit_log(&v, q.action.as_deref(), p.page()).await?,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64_decode(enc).unwrap(), plain.as_bytes());
        }
        assert!(super::base64_decode("Zm9v!").is_none());
    }
}
