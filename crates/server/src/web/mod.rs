//! The web interface: server-rendered pages in 简体中文, 繁體中文 and English.
//!
//! - `registry` — the public registry (search, product, category, comparison, open
//!   data, policy);
//! - `workspace` — an enterprise's products, models, results, scenarios, suppliers,
//!   certification applications and disclosure (`/app`);
//! - `desk` — the certification body's desk (`/desk/certification`) and the registry
//!   operator's (`/desk/registry`);
//! - `reports` — the study report (HTML and PDF) and the certificate PDF.
//!
//! Handlers here, like the API's, never touch SQL: they call `Store` methods with the
//! signed-in user's `Viewer` and fill an askama template. Every template extends
//! `templates/web/base.html` and gets a [`Page`]: the language, the user, the path.

pub mod auth;
pub mod chart;
pub mod check_text;
pub mod desk;
pub mod i18n;
pub mod pager;
pub mod registry;
pub mod reports;
pub mod workspace;

use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
pub use i18n::Tr;
use zuji_store::{OrgKind, Role, StoreError, Viewer};
use zuji_trust::label::Lang;

/// The cookie that remembers the language a visitor chose.
pub const LANG_COOKIE: &str = "zuji_lang";

/// All web routes (merged into the application at the root).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/zuji.css", get(stylesheet))
        .route("/static/zuji.js", get(script))
        .merge(auth::router())
        .merge(registry::router())
        .merge(workspace::router())
        .merge(desk::router())
        .merge(reports::router())
        .layer(axum::middleware::from_fn(remember_language))
}

/// The signed-in person as the page header shows them.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub email: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_kind: OrgKind,
    pub role: Role,
}

impl SessionUser {
    pub fn is_enterprise(&self) -> bool {
        self.org_kind == OrgKind::Enterprise
    }
    pub fn is_certifier(&self) -> bool {
        self.org_kind == OrgKind::Certifier
    }
    pub fn is_registry(&self) -> bool {
        self.org_kind == OrgKind::Registry
    }
    pub fn can_edit(&self) -> bool {
        matches!(self.role, Role::Editor | Role::Admin)
    }
}

/// What every page knows: its language, who is looking, where it is.
#[derive(Debug, Clone)]
pub struct Page {
    pub tr: Tr,
    pub user: Option<SessionUser>,
    /// The request's path with its query, without `lang=`: the language switcher's
    /// links point here.
    pub path: String,
    /// The store's view of the caller, for handlers (templates don't use it).
    pub viewer: Viewer,
}

impl Page {
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.tr.t(key)
    }
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.tr.tf(key, args)
    }
    pub fn lang(&self) -> &'static str {
        self.tr.tag()
    }
    pub fn num(&self, value: f64, decimals: usize) -> String {
        self.tr.num(value, decimals)
    }
    pub fn sig(&self, value: f64) -> String {
        self.tr.sig(value)
    }
    pub fn pct(&self, share: f64) -> String {
        self.tr.pct(share)
    }
    pub fn date_ms(&self, ms: i64) -> String {
        self.tr.date_ms(ms)
    }
    pub fn date_s(&self, unix: i64) -> String {
        self.tr.date_s(unix)
    }
    pub fn datetime_ms(&self, ms: i64) -> String {
        self.tr.datetime_ms(ms)
    }
    /// What a label states, as a line: `78.8 kg CO2e / 1 kWh`.
    pub fn label_value(&self, st: &zuji_trust::label::LabelStatement) -> String {
        format!("{} {} / {}", self.sig(st.value), st.unit, st.declared_unit)
    }
    /// The link that shows this page in `tag`'s language.
    pub fn lang_link(&self, tag: &str) -> String {
        let sep = if self.path.contains('?') { '&' } else { '?' };
        format!("{}{sep}lang={tag}", self.path)
    }
    pub fn is_lang(&self, tag: &str) -> bool {
        self.tr.tag() == tag
    }
    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// An error page in this page's language.
    pub fn error(&self, e: StoreError) -> WebError {
        WebError::from_store(self, e)
    }

    /// Refuses unless the signed-in user's organisation is of `kind`; the public is
    /// sent to the sign-in page.
    pub fn require_kind(&self, kind: OrgKind) -> Result<&SessionUser, WebError> {
        match &self.user {
            None => Err(WebError::login(self)),
            Some(u) if u.org_kind == kind => Ok(u),
            Some(_) => Err(WebError::status(
                self,
                StatusCode::FORBIDDEN,
                "error.forbidden",
            )),
        }
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let lang = negotiate(parts.uri.query(), &parts.headers);
        let path = path_without_lang(&parts.uri);
        let mut page = Page {
            tr: Tr::new(lang),
            user: None,
            path,
            viewer: Viewer::Anonymous,
        };
        let Some(token) = crate::caller::bearer(parts) else {
            return Ok(page);
        };
        // An expired or revoked session shows the page as the public sees it.
        let Ok(viewer) = state.store.authenticate(&token).await else {
            return Ok(page);
        };
        let user = state
            .store
            .current_user(&viewer)
            .await
            .map_err(|e| page.error(e))?;
        if let (Some(user), Some(org_id)) = (user, viewer.org_id()) {
            let org = state
                .store
                .get_org(&viewer, org_id)
                .await
                .map_err(|e| page.error(e))?;
            page.user = Some(SessionUser {
                email: user.email,
                org_id,
                org_name: org.name,
                org_kind: org.kind,
                role: user.role,
            });
        }
        page.viewer = viewer;
        Ok(page)
    }
}

/// The page's language: `?lang=`, else the remembered choice (cookie), else the
/// browser's `Accept-Language`, else 简体中文.
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Lang {
    let from_query = query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned())
    });
    let from_cookie = cookie(headers, LANG_COOKIE);
    let explicit = from_query.or(from_cookie);
    crate::verify_page::negotiate(explicit.as_deref(), headers)
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn path_without_lang(uri: &axum::http::Uri) -> String {
    let path = uri.path().to_string();
    let Some(q) = uri.query() else {
        return path;
    };
    let kept: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes())
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        return path;
    }
    let q = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    format!("{path}?{q}")
}

/// A `?lang=` choice is remembered for a year.
async fn remember_language(req: Request, next: Next) -> Response {
    let chosen = req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.into_owned())
    });
    let mut response = next.run(req).await;
    if let Some(tag) = chosen.filter(|t| Lang::ALL.iter().any(|l| l.tag() == t)) {
        let c = format!("{LANG_COOKIE}={tag}; Path=/; Max-Age=31536000; SameSite=Lax");
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// Renders a template as an HTML response.
pub fn render<T: Template>(page: &Page, template: &T) -> Result<Response, WebError> {
    match template.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            Err(WebError::status(
                page,
                StatusCode::INTERNAL_SERVER_ERROR,
                "error.internal",
            ))
        }
    }
}

/// Sends the browser on after a form (303, so the next request is a GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// A page that could not be shown: rendered as a localized error page, or a redirect
/// to sign in.
#[derive(Debug)]
pub struct WebError {
    status: StatusCode,
    page: Box<Page>,
    message: String,
    /// Where to send the browser instead of showing the error (sign-in).
    redirect: Option<String>,
}

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorTemplate<'a> {
    page: &'a Page,
    status: u16,
    heading: &'a str,
    message: &'a str,
}

impl WebError {
    /// An error whose message is a catalog key.
    pub fn status(page: &Page, status: StatusCode, key: &str) -> WebError {
        WebError {
            status,
            page: Box::new(page.clone()),
            message: page.t(key).to_string(),
            redirect: None,
        }
    }

    /// An error with a message that is already in the page's language (or is the
    /// store's own message naming the field and the problem).
    pub fn message(page: &Page, status: StatusCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            page: Box::new(page.clone()),
            message: message.into(),
            redirect: None,
        }
    }

    /// Sends the browser to sign in, then back here.
    pub fn login(page: &Page) -> WebError {
        let next: String = form_urlencoded::byte_serialize(page.path.as_bytes()).collect();
        WebError {
            status: StatusCode::SEE_OTHER,
            page: Box::new(page.clone()),
            message: String::new(),
            redirect: Some(format!("/login?next={next}")),
        }
    }

    pub fn from_store(page: &Page, e: StoreError) -> WebError {
        if matches!(e, StoreError::Unauthenticated) {
            return WebError::login(page);
        }
        let api = crate::error::ApiError::from(e);
        let key = match api.status {
            StatusCode::NOT_FOUND => Some("error.not_found"),
            StatusCode::FORBIDDEN => Some("error.forbidden"),
            StatusCode::INTERNAL_SERVER_ERROR | StatusCode::SERVICE_UNAVAILABLE => {
                Some("error.internal")
            }
            _ => None,
        };
        match key {
            // The store's message names the record; the heading says what happened.
            Some(k) => WebError {
                status: api.status,
                page: Box::new(page.clone()),
                message: format!("{} ({})", page.t(k), api.body.message),
                redirect: None,
            },
            None => WebError::message(page, api.status, api.body.message),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let Some(to) = self.redirect {
            return Redirect::to(&to).into_response();
        }
        let heading_key = match self.status {
            StatusCode::NOT_FOUND => "error.not_found.title",
            StatusCode::FORBIDDEN => "error.forbidden.title",
            s if s.is_server_error() => "error.internal.title",
            _ => "error.invalid.title",
        };
        let t = ErrorTemplate {
            page: &self.page,
            status: self.status.as_u16(),
            heading: self.page.t(heading_key),
            message: &self.message,
        };
        let body = t
            .render()
            .unwrap_or_else(|_| format!("<h1>{}</h1>", self.status));
        (self.status, Html(body)).into_response()
    }
}

async fn stylesheet() -> Response {
    static_asset(
        "text/css; charset=utf-8",
        include_str!("../../static/zuji.css"),
    )
}

async fn script() -> Response {
    static_asset(
        "text/javascript; charset=utf-8",
        include_str!("../../static/zuji.js"),
    )
}

fn static_asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            // Assets change only with a new release; a day keeps pages light.
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_links_keep_the_query() {
        let uri: axum::http::Uri = "/registry?q=%E7%94%B5%E6%B1%A0&lang=en".parse().unwrap();
        assert_eq!(path_without_lang(&uri), "/registry?q=%E7%94%B5%E6%B1%A0");
        let uri: axum::http::Uri = "/registry?lang=en".parse().unwrap();
        assert_eq!(path_without_lang(&uri), "/registry");
    }

    #[test]
    fn cookie_then_browser_language() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8".parse().unwrap());
        assert_eq!(negotiate(None, &h), Lang::En);
        h.insert(header::COOKIE, "a=b; zuji_lang=zh-Hant".parse().unwrap());
        assert_eq!(negotiate(None, &h), Lang::ZhHant);
        assert_eq!(negotiate(Some("lang=zh-Hans"), &h), Lang::ZhHans);
    }
}
