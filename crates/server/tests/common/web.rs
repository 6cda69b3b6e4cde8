//! Requests to the web pages through the router, and reading what a page shows by its
//! `data-testid` marks, for the `web_*` tests.

use super::Api;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;

/// A response: status, `Location`, `Content-Type`, body.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub content_type: String,
    pub body: String,
}

pub async fn send(
    api: &Api,
    method: Method,
    uri: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Page {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    let resp = api
        .router
        .clone()
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let header_text = |h: header::HeaderName| {
        resp.headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let location = header_text(header::LOCATION);
    let content_type = header_text(header::CONTENT_TYPE).unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 << 20)
        .await
        .unwrap();
    Page {
        status,
        location,
        content_type,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(api: &Api, uri: &str, token: Option<&str>) -> Page {
    send(api, Method::GET, uri, token, None, Vec::new()).await
}

pub async fn post_form(api: &Api, uri: &str, token: &str, fields: &[(&str, &str)]) -> Page {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    send(
        api,
        Method::POST,
        uri,
        Some(token),
        Some("application/x-www-form-urlencoded"),
        body.into_bytes(),
    )
    .await
}

/// Posts a form that must succeed: 303 to `to` (its path and query).
pub async fn post_ok(api: &Api, uri: &str, token: &str, fields: &[(&str, &str)], to: &str) {
    let p = post_form(api, uri, token, fields).await;
    assert_eq!(
        p.status,
        StatusCode::SEE_OTHER,
        "{uri} {fields:?}: {}",
        p.body
    );
    assert_eq!(p.location.as_deref(), Some(to), "{uri} {fields:?}");
}

/// Text as the browser shows it: the entities askama writes undone.
pub fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x22;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The text of the first element carrying `data-testid="{id}"` at or after `from`.
pub fn testid_after(body: &str, from: usize, id: &str) -> Option<String> {
    let at = from + body[from..].find(&format!("data-testid=\"{id}\""))?;
    let rest = &body[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')?;
    Some(unescape(rest[start..start + end].trim()))
}

/// The text of the first element carrying `data-testid="{id}"`.
pub fn testid(body: &str, id: &str) -> Option<String> {
    testid_after(body, 0, id)
}

/// The value of attribute `attr` on the first element carrying `data-testid="{id}"` at or
/// after `from`.
pub fn testid_attr(body: &str, from: usize, id: &str, attr: &str) -> Option<String> {
    let at = from + body[from..].find(&format!("data-testid=\"{id}\""))?;
    // The element's opening tag: back to its `<`, on to its `>`.
    let open = body[..at].rfind('<')?;
    let close = at + body[at..].find('>')?;
    let tag = &body[open..close];
    let key = format!(" {attr}=\"");
    let v = tag.find(&key)? + key.len();
    let end = tag[v..].find('"')?;
    Some(tag[v..v + end].to_string())
}
