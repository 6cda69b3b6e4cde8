//! A short-lived cache of public reads: `GET` requests carrying no credentials get the
//! same answer for everyone, so a successful JSON answer is kept for a moment and served
//! again without touching the database. Public data may thus lag a write by at most
//! the time to live (one second by default); signed-in reads are never cached.

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Most entries kept; beyond it the cache starts over (public lists and results are
/// few compared with this).
const MAX_ENTRIES: usize = 20_000;
/// Largest body cached.
const MAX_BODY: usize = 1 << 20;

pub struct PublicCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Slot>>,
}

enum Slot {
    /// The first request for a key is fetching it; the others wait for it.
    Pending(Arc<tokio::sync::Notify>),
    Ready(Entry),
}

struct Entry {
    stored: Instant,
    body: Bytes,
    /// A request is already fetching a fresh answer; others keep getting this one.
    refreshing: bool,
}

/// What the cache says about a key.
enum Lookup {
    Fresh(Bytes),
    /// Expired, and another request is refreshing it: serve this meanwhile.
    Stale(Bytes),
    /// Go to the handler (and store its answer).
    Miss,
    /// Another request is fetching it for the first time: wait, then look again.
    Wait(Arc<tokio::sync::Notify>),
}

impl PublicCache {
    pub fn new(ttl: Duration) -> PublicCache {
        PublicCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// One request refreshes an expired entry while the others are served the old
    /// answer, for at most ten times the time to live; so an expiry under load costs
    /// one database query, not one per waiting connection.
    fn get(&self, key: &str) -> Lookup {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let e = match map.get_mut(key) {
            None => {
                map.insert(
                    key.to_string(),
                    Slot::Pending(Arc::new(tokio::sync::Notify::new())),
                );
                return Lookup::Miss;
            }
            Some(Slot::Pending(n)) => return Lookup::Wait(n.clone()),
            Some(Slot::Ready(e)) => e,
        };
        let age = e.stored.elapsed();
        if age < self.ttl {
            Lookup::Fresh(e.body.clone())
        } else if e.refreshing && age < self.ttl * 10 {
            Lookup::Stale(e.body.clone())
        } else {
            e.refreshing = true;
            Lookup::Miss
        }
    }

    fn put(&self, key: String, body: Bytes) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ENTRIES {
            map.retain(|_, s| matches!(s, Slot::Pending(_)));
        }
        let old = map.insert(
            key,
            Slot::Ready(Entry {
                stored: Instant::now(),
                body,
                refreshing: false,
            }),
        );
        if let Some(Slot::Pending(n)) = old {
            n.notify_waiters();
        }
    }

    /// The refresh failed (an error answer): let the next request try.
    fn release(&self, key: &str) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match map.get_mut(key) {
            Some(Slot::Ready(e)) => e.refreshing = false,
            Some(Slot::Pending(n)) => {
                n.notify_waiters();
                map.remove(key);
            }
            None => {}
        }
    }

    /// Waits (briefly) for the request fetching `key` to finish, then looks again; a
    /// waiter that times out or finds nothing goes to the handler itself.
    async fn wait_for(&self, key: &str, notify: Arc<tokio::sync::Notify>) -> Option<Bytes> {
        let notified = notify.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        // The fetch may have finished between the lookup and `enable`.
        if let Some(b) = self.ready(key) {
            return Some(b);
        }
        let _ = tokio::time::timeout(Duration::from_secs(5), notified).await;
        self.ready(key)
    }

    fn ready(&self, key: &str) -> Option<Bytes> {
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(key) {
            Some(Slot::Ready(e)) => Some(e.body.clone()),
            _ => None,
        }
    }
}

fn anonymous(req: &Request) -> bool {
    let h = req.headers();
    !h.contains_key(header::AUTHORIZATION) && !h.contains_key(header::COOKIE)
}

pub async fn serve_cached(
    State(cache): State<Arc<PublicCache>>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() != Method::GET || !anonymous(&req) || cache.ttl.is_zero() {
        return next.run(req).await;
    }
    let key = req.uri().to_string();
    match cache.get(&key) {
        Lookup::Fresh(body) => return json(body, "hit"),
        Lookup::Stale(body) => return json(body, "stale"),
        Lookup::Wait(notify) => {
            if let Some(body) = cache.wait_for(&key, notify).await {
                return json(body, "hit");
            }
        }
        Lookup::Miss => {}
    }
    let response = next.run(req).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() != StatusCode::OK || !is_json {
        cache.release(&key);
        return response;
    }
    let (parts, body) = response.into_parts();
    // Public answers are bounded (a page holds at most 500 rows), so reading one whole
    // is safe; only small ones are kept.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => return crate::error::ApiError::internal(e).into_response(),
    };
    if bytes.len() <= MAX_BODY {
        cache.put(key, bytes.clone());
    } else {
        cache.release(&key);
    }
    let mut r = Response::from_parts(parts, axum::body::Body::from(bytes));
    r.headers_mut()
        .insert("x-cache", HeaderValue::from_static("miss"));
    r
}

fn json(body: Bytes, state: &'static str) -> Response {
    let mut r = Response::new(axum::body::Body::from(body));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r.headers_mut()
        .insert("x-cache", HeaderValue::from_static(state));
    r
}
