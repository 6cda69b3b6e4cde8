//! Who is calling: a bearer token (`Authorization: Bearer …`) or the web session
//! cookie; neither means the public.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use zuji_store::Viewer;

/// The name of the session cookie the web uses.
pub const SESSION_COOKIE: &str = "zuji_session";

/// The authenticated viewer of a request (possibly [`Viewer::Anonymous`]).
pub struct Caller(pub Viewer);

pub(crate) fn bearer(parts: &Parts) -> Option<String> {
    bearer_from_headers(&parts.headers)
}

pub(crate) fn bearer_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    if let Some(v) = headers.get(axum::http::header::AUTHORIZATION) {
        let v = v.to_str().ok()?;
        let (scheme, token) = v.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_string());
    }
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer(parts) {
            None => Ok(Caller(Viewer::Anonymous)),
            Some(token) => Ok(Caller(state.store.authenticate(&token).await?)),
        }
    }
}
