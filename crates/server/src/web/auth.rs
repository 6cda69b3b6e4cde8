//! Signing in and out in the browser: the same session token as the API's
//! `POST /auth/login`, kept in the `zuji_session` cookie (HttpOnly, SameSite=Lax, so
//! another site's form cannot post with it).

use super::{Page, WebError, render, see_other};
use crate::AppState;
use crate::caller::SESSION_COOKIE;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use zuji_store::{OrgKind, StoreError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "web/login.html")]
struct LoginTemplate<'a> {
    page: &'a Page,
    next: &'a str,
    email: &'a str,
    failed: bool,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_form(page: Page, Query(q): Query<NextQuery>) -> Result<Response, WebError> {
    let next = q.next.unwrap_or_default();
    render(
        &page,
        &LoginTemplate {
            page: &page,
            next: safe_next(&next).unwrap_or(""),
            email: "",
            failed: false,
        },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(s): State<AppState>,
    page: Page,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let issued = match s.store.login(&f.email, &f.password).await {
        Ok(t) => t,
        Err(StoreError::Unauthenticated) => {
            let mut r = render(
                &page,
                &LoginTemplate {
                    page: &page,
                    next: safe_next(&f.next).unwrap_or(""),
                    email: &f.email,
                    failed: true,
                },
            )?;
            *r.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
            return Ok(r);
        }
        Err(e) => return Err(page.error(e)),
    };
    let viewer = s
        .store
        .authenticate(&issued.token)
        .await
        .map_err(|e| page.error(e))?;
    let to = match safe_next(&f.next) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => home_of(viewer.org_kind()).to_string(),
    };
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        issued.token,
        (issued.expires_at - zuji_store::now_ms()) / 1000
    );
    let mut r = see_other(&to);
    if let Ok(v) = cookie.parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

async fn logout(State(s): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = crate::caller::bearer_from_headers(&headers) {
        // Already revoked or expired is as good as signed out.
        let _ = s.store.revoke_token(&token).await;
    }
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    ([(header::SET_COOKIE, clear)], see_other("/")).into_response()
}

/// Where each kind of organisation starts.
pub fn home_of(kind: Option<OrgKind>) -> &'static str {
    match kind {
        Some(OrgKind::Enterprise) => "/app",
        Some(OrgKind::Certifier) => "/desk/certification",
        Some(OrgKind::Registry) => "/desk/registry",
        None => "/",
    }
}

/// Only a path on this site ("/…", not "//host") is followed after signing in.
fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/app/products/3"), Some("/app/products/3"));
        assert_eq!(safe_next("//evil.example/"), None);
        assert_eq!(safe_next("https://evil.example/"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
    }
}
