//! PACT exchange (WBCSD PACT v3 / v2.3) as stored data.
//!
//! Host side: the footprints an organisation publishes for its PACT partners
//! (`pact_footprints`, with `pact_shares` saying which partner may see which, or
//! `shared_with_all`), and the `RequestCreated` events partners sent (`pact_requests`).
//! Client side: the partners an organisation pulls from (`pact_partners`), the requests
//! it sent them, and the supplier footprints it fetched (`supplier_footprints`).
//!
//! A partner's program calls the host with an API client of the data owner that has
//! the `pact` flag; [`PactCaller`] is who that is. It sees only what the owner shared
//! with that client or with all its partners: never another tenant's footprints.

use crate::audit::record;
use crate::secret::sha256_hex;
use crate::{JobKind, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use serde_json::json;

/// A PACT partner's program, authenticated by an access token of a `pact` API client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PactCaller {
    /// The data owner whose footprints the client may read.
    pub org_id: i64,
    /// `api_clients.id` of the client.
    pub api_client_id: i64,
}

/// Why a PACT bearer token was refused (the spec answers each differently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PactAuthFailure {
    /// Unknown, revoked, or not a PACT client's token.
    Invalid,
    /// A real token past its expiry.
    Expired,
}

/// org, client, expires_at, token revoked_at, client revoked_at, pact flag.
type PactTokenRow = (i64, i64, i64, Option<i64>, Option<i64>, i64);

/// A published PACT footprint as stored.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PactFootprintRow {
    pub id: i64,
    /// The PACT `id` (a UUID).
    pub pf_id: String,
    pub org_id: i64,
    pub product_id: i64,
    pub footprint_id: i64,
    /// `Active` or `Deprecated`.
    pub status: String,
    pub status_comment: Option<String>,
    pub shared_with_all: bool,
    /// The v3 `ProductFootprint` as exported (its `status` is set when served).
    #[schema(value_type = Object)]
    pub v3: serde_json::Value,
    /// The v2.3 `ProductFootprint`, when v2.3 can express the footprint.
    #[schema(value_type = Option<Object>)]
    pub v2: Option<serde_json::Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

type PfRow = (
    i64,
    String,
    i64,
    i64,
    i64,
    String,
    Option<String>,
    i64,
    String,
    Option<String>,
    i64,
    i64,
);
const PF_COLS: &str = "p.id, p.pf_id, p.org_id, p.product_id, p.footprint_id, p.status, p.status_comment, p.shared_with_all, p.v3_json, p.v2_json, p.created_at, p.updated_at";

fn pf_from(r: PfRow) -> Result<PactFootprintRow, StoreError> {
    let parse = |t: &str, what: &str| {
        serde_json::from_str(t)
            .map_err(|e| StoreError::invalid(what, format!("stored JSON is unreadable: {e}")))
    };
    Ok(PactFootprintRow {
        id: r.0,
        pf_id: r.1,
        org_id: r.2,
        product_id: r.3,
        footprint_id: r.4,
        status: r.5,
        status_comment: r.6,
        shared_with_all: r.7 != 0,
        v3: parse(&r.8, "pact_footprints.v3_json")?,
        v2: match &r.9 {
            Some(t) => Some(parse(t, "pact_footprints.v2_json")?),
            None => None,
        },
        created_at: r.10,
        updated_at: r.11,
    })
}

/// What a publication stores.
#[derive(Debug, Clone)]
pub struct NewPactFootprint {
    pub pf_id: String,
    pub product_id: i64,
    pub footprint_id: i64,
    pub v3: serde_json::Value,
    pub v2: Option<serde_json::Value>,
    pub shared_with_all: bool,
    /// `api_clients.id` of partners that may see it.
    pub share_with: Vec<i64>,
}

/// A `RequestCreated` event a partner sent.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PactRequest {
    pub id: i64,
    pub org_id: i64,
    pub api_client_id: i64,
    /// The CloudEvent `id` the partner gave it.
    pub event_id: String,
    /// The CloudEvent `source`: where the partner expects the answer.
    pub source: String,
    /// `3` or `2`.
    pub spec_version: String,
    /// The filter criteria of the request (`productId`, `geography`, …).
    #[schema(value_type = Object)]
    pub criteria: serde_json::Value,
    pub comment: Option<String>,
    /// `open`, `fulfilled` or `rejected`.
    pub status: String,
    #[schema(value_type = Option<Object>)]
    pub answer: Option<serde_json::Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

type ReqRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    i64,
    i64,
);
const REQ_COLS: &str = "id, org_id, api_client_id, event_id, source, spec_version, criteria_json, comment, status, answer_json, created_at, updated_at";

fn req_from(r: ReqRow) -> PactRequest {
    PactRequest {
        id: r.0,
        org_id: r.1,
        api_client_id: r.2,
        event_id: r.3,
        source: r.4,
        spec_version: r.5,
        criteria: serde_json::from_str(&r.6).unwrap_or(serde_json::Value::Null),
        comment: r.7,
        status: r.8,
        answer: r.9.and_then(|t| serde_json::from_str(&t).ok()),
        created_at: r.10,
        updated_at: r.11,
    }
}

/// The owner's answer to a request.
#[derive(Debug, Clone, PartialEq)]
pub enum PactAnswer {
    /// These published footprints (PACT ids) answer it.
    Fulfil { pf_ids: Vec<String> },
    /// It cannot be answered: a PACT error code (`NotFound`, `AccessDenied`, …) and why.
    Reject { code: String, message: String },
}

/// A partner as the organisation registered it (never its secret).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PactPartner {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    /// The partner's PACT base URL (`https://host[:port]`, no trailing slash).
    pub base_url: String,
    /// The client id the partner issued to us, if we pull from it.
    pub remote_client_id: Option<String>,
    /// The API client (`api_clients.id`) we issued to the partner, if it pulls from us.
    pub inbound_api_client_id: Option<i64>,
    /// `3` or `2`.
    pub spec_version: String,
    pub created_at: i64,
}

/// A partner with the secret it issued to us: for the worker that calls it.
#[derive(Debug, Clone)]
pub struct PartnerCredentials {
    pub partner: PactPartner,
    pub client_id: String,
    pub client_secret: String,
}

type PartnerRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
    i64,
    Option<String>,
);
const PARTNER_COLS: &str = "id, org_id, name, base_url, remote_client_id, inbound_api_client_id, spec_version, created_at, remote_client_secret";

fn partner_from(r: PartnerRow) -> (PactPartner, Option<String>) {
    (
        PactPartner {
            id: r.0,
            org_id: r.1,
            name: r.2,
            base_url: r.3,
            remote_client_id: r.4,
            inbound_api_client_id: r.5,
            spec_version: r.6,
            created_at: r.7,
        },
        r.8,
    )
}

/// What registering a partner takes.
#[derive(Debug, Clone)]
pub struct NewPactPartner {
    pub name: String,
    pub base_url: String,
    pub remote_client_id: Option<String>,
    pub remote_client_secret: Option<String>,
    /// The `client_id` (`zc_…`) of our API client the partner uses.
    pub inbound_client_id: Option<String>,
    pub spec_version: String,
}

/// A supplier footprint fetched from a partner.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SupplierFootprintRow {
    pub id: i64,
    pub org_id: i64,
    pub partner_id: i64,
    pub pf_id: String,
    pub status: String,
    pub product_ids: Vec<String>,
    #[schema(value_type = Object)]
    pub json: serde_json::Value,
    pub replaces_pf_id: Option<String>,
    pub fetched_at: i64,
    pub updated_at: i64,
}

type SupplierRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    i64,
);
const SUPPLIER_COLS: &str = "id, org_id, partner_id, pf_id, status, product_ids, json, replaces_pf_id, fetched_at, updated_at";

fn supplier_from(r: SupplierRow) -> SupplierFootprintRow {
    SupplierFootprintRow {
        id: r.0,
        org_id: r.1,
        partner_id: r.2,
        pf_id: r.3,
        status: r.4,
        product_ids: r
            .5
            .split('\n')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        json: serde_json::from_str(&r.6).unwrap_or(serde_json::Value::Null),
        replaces_pf_id: r.7,
        fetched_at: r.8,
        updated_at: r.9,
    }
}

/// A footprint fetched from a partner, as the fetch worker stores it.
#[derive(Debug, Clone, Copy)]
pub struct FetchedFootprint<'a> {
    pub pf_id: &'a str,
    pub status: &'a str,
    pub product_ids: &'a [String],
    /// The `ProductFootprint` as received.
    pub json: &'a str,
    /// The footprint it replaces (the last of its `precedingPfIds`).
    pub replaces_pf_id: Option<&'a str>,
}

/// What storing a fetched footprint did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplierUpdate {
    New,
    Changed,
    Unchanged,
}

fn member_org(viewer: &Viewer) -> Result<i64, StoreError> {
    match viewer {
        Viewer::Anonymous => Err(StoreError::Unauthenticated),
        Viewer::System => Err(StoreError::invalid(
            "organisation",
            "PACT data belongs to an organisation; act as one of its members",
        )),
        Viewer::Member { org_id, .. } => Ok(*org_id),
    }
}

/// `https://host:port` with no trailing slash; anything else is refused.
fn check_base_url(url: &str) -> Result<String, StoreError> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Ok(trimmed.to_string())
        }
        _ => Err(StoreError::invalid(
            "base_url",
            format!("'{url}' is not an http(s) URL like https://pact.example.com"),
        )),
    }
}

impl Store {
    /// Who a bearer token on a PACT endpoint stands for: only access tokens of live API
    /// clients with the `pact` flag qualify.
    pub async fn authenticate_pact(&self, token: &str) -> Result<PactCaller, PactAuthFailure> {
        let row: Option<PactTokenRow> = sqlx::query_as(
            "SELECT t.org_id, c.id, t.expires_at, t.revoked_at, c.revoked_at, c.pact
             FROM tokens t JOIN api_clients c ON c.id = t.client_id WHERE t.token_hash = $1",
        )
        .bind(sha256_hex(token))
        .fetch_optional(&self.pool)
        .await
        .map_err(|_| PactAuthFailure::Invalid)?;
        let Some((org_id, api_client_id, expires_at, revoked, client_revoked, pact)) = row else {
            return Err(PactAuthFailure::Invalid);
        };
        if revoked.is_some() || client_revoked.is_some() || pact == 0 {
            return Err(PactAuthFailure::Invalid);
        }
        if expires_at <= now_ms() {
            return Err(PactAuthFailure::Expired);
        }
        Ok(PactCaller {
            org_id,
            api_client_id,
        })
    }

    /// Publishes a computed footprint to PACT partners. An earlier active publication of
    /// the same product becomes `Deprecated` (kept, and still served by id).
    pub async fn publish_pact_footprint(
        &self,
        viewer: &Viewer,
        new: &NewPactFootprint,
    ) -> Result<PactFootprintRow, StoreError> {
        viewer.require(crate::Scope::Write)?;
        let org_id = member_org(viewer)?;
        let owner: Option<i64> = sqlx::query_scalar(
            "SELECT f.org_id FROM footprints f WHERE f.id = $1 AND f.product_id = $2",
        )
        .bind(new.footprint_id)
        .bind(new.product_id)
        .fetch_optional(&self.pool)
        .await?;
        if owner != Some(org_id) {
            return Err(StoreError::not_found("footprint", new.footprint_id));
        }
        self.check_own_clients(org_id, &new.share_with).await?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE pact_footprints SET status = 'Deprecated', status_comment = $1, updated_at = $2
             WHERE product_id = $3 AND org_id = $4 AND status = 'Active'",
        )
        .bind(format!("Replaced by {}", new.pf_id))
        .bind(now)
        .bind(new.product_id)
        .bind(org_id)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pact_footprints (pf_id, org_id, product_id, footprint_id, status, shared_with_all, v3_json, v2_json, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'Active', $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(&new.pf_id)
        .bind(org_id)
        .bind(new.product_id)
        .bind(new.footprint_id)
        .bind(new.shared_with_all as i64)
        .bind(new.v3.to_string())
        .bind(new.v2.as_ref().map(|v| v.to_string()))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::conflict_or(e, "PACT footprint id", &new.pf_id))?;
        for client in &new.share_with {
            sqlx::query(
                "INSERT INTO pact_shares (pact_footprint_id, api_client_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*client)
            .execute(&mut *tx)
            .await?;
        }
        record(
            &mut tx,
            viewer,
            "pact.publish",
            "pact_footprint",
            &new.pf_id,
            json!({"footprint_id": new.footprint_id, "shared_with_all": new.shared_with_all, "share_with": new.share_with}),
        )
        .await?;
        tx.commit().await?;
        self.pact_footprint_by_id(id).await
    }

    async fn check_own_clients(&self, org_id: i64, clients: &[i64]) -> Result<(), StoreError> {
        for c in clients {
            let ok: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM api_clients WHERE id = $1 AND org_id = $2 AND pact = 1 AND revoked_at IS NULL",
            )
            .bind(*c)
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?;
            if ok.is_none() {
                return Err(StoreError::invalid(
                    "share_with",
                    format!("{c} is not a live PACT API client of this organisation"),
                ));
            }
        }
        Ok(())
    }

    async fn pact_footprint_by_id(&self, id: i64) -> Result<PactFootprintRow, StoreError> {
        let row: PfRow = sqlx::query_as(sql!(
            "SELECT {PF_COLS} FROM pact_footprints p WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        pf_from(row)
    }

    /// The owner's published footprints, newest first.
    pub async fn list_pact_footprints(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<PactFootprintRow>, StoreError> {
        viewer.require(crate::Scope::Read)?;
        let org_id = member_org(viewer)?;
        let rows: Vec<PfRow> = sqlx::query_as(sql!(
            "SELECT {PF_COLS} FROM pact_footprints p WHERE p.org_id = $1 ORDER BY p.id DESC"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(pf_from).collect()
    }

    /// Changes who may see a published footprint.
    pub async fn share_pact_footprint(
        &self,
        viewer: &Viewer,
        pf_id: &str,
        shared_with_all: bool,
        share_with: &[i64],
    ) -> Result<PactFootprintRow, StoreError> {
        viewer.require(crate::Scope::Write)?;
        let org_id = member_org(viewer)?;
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM pact_footprints WHERE pf_id = $1 AND org_id = $2")
                .bind(pf_id)
                .bind(org_id)
                .fetch_optional(&self.pool)
                .await?;
        let id = id.ok_or_else(|| StoreError::not_found("PACT footprint", pf_id))?;
        self.check_own_clients(org_id, share_with).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE pact_footprints SET shared_with_all = $1, updated_at = $2 WHERE id = $3",
        )
        .bind(shared_with_all as i64)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM pact_shares WHERE pact_footprint_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for c in share_with {
            sqlx::query(
                "INSERT INTO pact_shares (pact_footprint_id, api_client_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*c)
            .execute(&mut *tx)
            .await?;
        }
        record(
            &mut tx,
            viewer,
            "pact.share",
            "pact_footprint",
            pf_id,
            json!({"shared_with_all": shared_with_all, "share_with": share_with}),
        )
        .await?;
        tx.commit().await?;
        self.pact_footprint_by_id(id).await
    }

    /// Every footprint a partner's client may see, oldest first (a stable order for
    /// offset pagination).
    pub async fn pact_footprints_for(
        &self,
        caller: &PactCaller,
    ) -> Result<Vec<PactFootprintRow>, StoreError> {
        let rows: Vec<PfRow> = sqlx::query_as(sql!(
            "SELECT {PF_COLS} FROM pact_footprints p
             WHERE p.org_id = $1 AND (p.shared_with_all = 1 OR EXISTS
               (SELECT 1 FROM pact_shares s WHERE s.pact_footprint_id = p.id AND s.api_client_id = $2))
             ORDER BY p.id"
        ))
        .bind(caller.org_id)
        .bind(caller.api_client_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(pf_from).collect()
    }

    /// One footprint by PACT id for a partner's client: `NotFound` when the owner has
    /// no such footprint, `Forbidden` when it has one but did not share it.
    pub async fn pact_footprint_for(
        &self,
        caller: &PactCaller,
        pf_id: &str,
    ) -> Result<PactFootprintRow, StoreError> {
        let row: Option<PfRow> = sqlx::query_as(sql!(
            "SELECT {PF_COLS} FROM pact_footprints p WHERE p.org_id = $1 AND LOWER(p.pf_id) = LOWER($2)"
        ))
        .bind(caller.org_id)
        .bind(pf_id)
        .fetch_optional(&self.pool)
        .await?;
        let row = pf_from(row.ok_or_else(|| StoreError::not_found("footprint", pf_id))?)?;
        if row.shared_with_all {
            return Ok(row);
        }
        let shared: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM pact_shares WHERE pact_footprint_id = $1 AND api_client_id = $2",
        )
        .bind(row.id)
        .bind(caller.api_client_id)
        .fetch_optional(&self.pool)
        .await?;
        match shared {
            Some(_) => Ok(row),
            None => Err(StoreError::Forbidden(format!(
                "footprint {pf_id} has not been shared with this client"
            ))),
        }
    }

    /// Records a partner's `RequestCreated` event for the owner to answer. The same
    /// event sent twice (same client, same event id) is recorded once.
    pub async fn record_pact_request(
        &self,
        caller: &PactCaller,
        event_id: &str,
        source: &str,
        spec_version: &str,
        criteria: &serde_json::Value,
        comment: Option<&str>,
    ) -> Result<PactRequest, StoreError> {
        let now = now_ms();
        let inserted = sqlx::query(
            "INSERT INTO pact_requests (org_id, api_client_id, event_id, source, spec_version, criteria_json, comment, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8)",
        )
        .bind(caller.org_id)
        .bind(caller.api_client_id)
        .bind(event_id)
        .bind(source)
        .bind(spec_version)
        .bind(criteria.to_string())
        .bind(comment)
        .bind(now)
        .execute(&self.pool)
        .await;
        if let Err(e) = inserted {
            match StoreError::conflict_or(e, "event", event_id) {
                StoreError::Conflict { .. } => {}
                other => return Err(other),
            }
        }
        let row: ReqRow = sqlx::query_as(sql!(
            "SELECT {REQ_COLS} FROM pact_requests WHERE api_client_id = $1 AND event_id = $2"
        ))
        .bind(caller.api_client_id)
        .bind(event_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(req_from(row))
    }

    /// The requests partners sent to the viewer's organisation, newest first.
    pub async fn list_pact_requests(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<PactRequest>, StoreError> {
        viewer.require(crate::Scope::Read)?;
        let org_id = member_org(viewer)?;
        let rows: Vec<ReqRow> = sqlx::query_as(sql!(
            "SELECT {REQ_COLS} FROM pact_requests WHERE org_id = $1 ORDER BY id DESC"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(req_from).collect())
    }

    /// A request by id, for its owner or the system (the worker that answers it).
    pub async fn get_pact_request(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<PactRequest, StoreError> {
        if !viewer.is_system() {
            viewer.require(crate::Scope::Read)?;
        }
        let row: Option<ReqRow> =
            sqlx::query_as(sql!("SELECT {REQ_COLS} FROM pact_requests WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let req = req_from(row.ok_or_else(|| StoreError::not_found("PACT request", id))?);
        if !viewer.is_system() {
            viewer.require(crate::Scope::Read)?;
            if viewer.org_id() != Some(req.org_id) {
                return Err(StoreError::not_found("PACT request", id));
            }
        }
        Ok(req)
    }

    /// Answers an open request and queues the callback that tells the requester (a
    /// `pact_callback` job, retried with back-off).
    pub async fn answer_pact_request(
        &self,
        viewer: &Viewer,
        id: i64,
        answer: &PactAnswer,
        our_source: &str,
    ) -> Result<(PactRequest, crate::Job), StoreError> {
        viewer.require(crate::Scope::Write)?;
        let req = self.get_pact_request(viewer, id).await?;
        if req.status != "open" {
            return Err(StoreError::invalid(
                "status",
                format!("request {id} is already {}", req.status),
            ));
        }
        let (status, answer_json) = match answer {
            PactAnswer::Fulfil { pf_ids } => {
                if pf_ids.is_empty() {
                    return Err(StoreError::invalid(
                        "pf_ids",
                        "name at least one published footprint to fulfil a request",
                    ));
                }
                let caller = PactCaller {
                    org_id: req.org_id,
                    api_client_id: req.api_client_id,
                };
                for pf in pf_ids {
                    // The requester must be allowed to see what answers it.
                    self.pact_footprint_for(&caller, pf).await.map_err(|e| {
                        StoreError::invalid("pf_ids", format!("{pf} cannot be sent: {e}"))
                    })?;
                }
                ("fulfilled", json!({"pf_ids": pf_ids}))
            }
            PactAnswer::Reject { code, message } => {
                if message.trim().is_empty() {
                    return Err(StoreError::invalid(
                        "message",
                        "give the reason for rejecting",
                    ));
                }
                ("rejected", json!({"code": code, "message": message}))
            }
        };
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE pact_requests SET status = $1, answer_json = $2, updated_at = $3 WHERE id = $4 AND status = 'open'",
        )
        .bind(status)
        .bind(answer_json.to_string())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Stale(format!(
                "request {id} was answered meanwhile"
            )));
        }
        let job_id = crate::jobs::insert_job_in(
            &mut tx,
            JobKind::PactCallback,
            Some(req.org_id),
            Some(req.org_id),
            &json!({"request_id": id, "source": our_source}),
            None,
        )
        .await?;
        record(
            &mut tx,
            viewer,
            &format!("pact.request.{status}"),
            "pact_request",
            id,
            answer_json,
        )
        .await?;
        tx.commit().await?;
        Ok((
            self.get_pact_request(viewer, id).await?,
            self.job_by_id(job_id).await?,
        ))
    }

    /// The product ids (lower case) an organisation is known by: `urn:gtin:` of its
    /// products' GTINs and every id in its published PACT footprints.
    pub async fn org_known_product_ids(&self, org_id: i64) -> Result<Vec<String>, StoreError> {
        let gtins: Vec<(Option<String>,)> =
            sqlx::query_as("SELECT gtin FROM products WHERE org_id = $1 AND gtin IS NOT NULL")
                .bind(org_id)
                .fetch_all(&self.pool)
                .await?;
        let mut ids: Vec<String> = gtins
            .into_iter()
            .filter_map(|(g,)| g)
            .map(|g| format!("urn:gtin:{}", g.to_lowercase()))
            .collect();
        let docs: Vec<(String,)> =
            sqlx::query_as("SELECT v3_json FROM pact_footprints WHERE org_id = $1")
                .bind(org_id)
                .fetch_all(&self.pool)
                .await?;
        for (text,) in docs {
            if let Ok(serde_json::Value::Object(doc)) = serde_json::from_str(&text)
                && let Some(serde_json::Value::Array(pids)) = doc.get("productIds")
            {
                ids.extend(
                    pids.iter()
                        .filter_map(|p| p.as_str())
                        .map(str::to_lowercase),
                );
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// Registers a PACT partner.
    pub async fn add_pact_partner(
        &self,
        viewer: &Viewer,
        new: &NewPactPartner,
    ) -> Result<PactPartner, StoreError> {
        viewer.require(crate::Scope::Admin)?;
        let org_id = member_org(viewer)?;
        if new.name.trim().is_empty() {
            return Err(StoreError::invalid("name", "give the partner a name"));
        }
        let base_url = check_base_url(&new.base_url)?;
        if new.spec_version != "3" && new.spec_version != "2" {
            return Err(StoreError::invalid(
                "spec_version",
                format!(
                    "'{}' is not a PACT version this host speaks (3 or 2)",
                    new.spec_version
                ),
            ));
        }
        if new.remote_client_id.is_some() != new.remote_client_secret.is_some() {
            return Err(StoreError::invalid(
                "remote_client_secret",
                "give both the client id and the secret the partner issued, or neither",
            ));
        }
        let inbound = match &new.inbound_client_id {
            Some(cid) => {
                let id: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM api_clients WHERE client_id = $1 AND org_id = $2 AND pact = 1",
                )
                .bind(cid)
                .bind(org_id)
                .fetch_optional(&self.pool)
                .await?;
                Some(id.ok_or_else(|| {
                    StoreError::invalid(
                        "inbound_client_id",
                        format!("{cid} is not a PACT API client of this organisation"),
                    )
                })?)
            }
            None => None,
        };
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO pact_partners (org_id, name, base_url, remote_client_id, remote_client_secret, inbound_api_client_id, spec_version, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(org_id)
        .bind(new.name.trim())
        .bind(&base_url)
        .bind(&new.remote_client_id)
        .bind(&new.remote_client_secret)
        .bind(inbound)
        .bind(&new.spec_version)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::conflict_or(e, "partner", &new.name))?;
        record(
            &mut tx,
            viewer,
            "pact.partner.add",
            "pact_partner",
            id,
            json!({"name": new.name, "base_url": base_url}),
        )
        .await?;
        tx.commit().await?;
        Ok(self.partner_row(id).await?.0)
    }

    async fn partner_row(&self, id: i64) -> Result<(PactPartner, Option<String>), StoreError> {
        let row: Option<PartnerRow> = sqlx::query_as(sql!(
            "SELECT {PARTNER_COLS} FROM pact_partners WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(partner_from(
            row.ok_or_else(|| StoreError::not_found("partner", id))?,
        ))
    }

    /// The organisation's partners.
    pub async fn list_pact_partners(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<PactPartner>, StoreError> {
        viewer.require(crate::Scope::Read)?;
        let org_id = member_org(viewer)?;
        let rows: Vec<PartnerRow> = sqlx::query_as(sql!(
            "SELECT {PARTNER_COLS} FROM pact_partners WHERE org_id = $1 ORDER BY id"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| partner_from(r).0).collect())
    }

    /// A partner of the viewer's organisation.
    pub async fn get_pact_partner(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<PactPartner, StoreError> {
        if !viewer.is_system() {
            viewer.require(crate::Scope::Read)?;
        }
        let (p, _) = self.partner_row(id).await?;
        if !viewer.is_system() {
            viewer.require(crate::Scope::Read)?;
            if viewer.org_id() != Some(p.org_id) {
                return Err(StoreError::not_found("partner", id));
            }
        }
        Ok(p)
    }

    /// A partner with the credentials it issued to us; for the system (workers) only.
    pub async fn partner_credentials(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<PartnerCredentials, StoreError> {
        if !viewer.is_system() {
            return Err(StoreError::Forbidden(
                "only the platform's workers read partner secrets".into(),
            ));
        }
        let (partner, secret) = self.partner_row(id).await?;
        match (partner.remote_client_id.clone(), secret) {
            (Some(client_id), Some(client_secret)) => Ok(PartnerCredentials {
                partner,
                client_id,
                client_secret,
            }),
            _ => Err(StoreError::invalid(
                "partner",
                format!(
                    "partner '{}' has no credentials to call it with; register the client id and secret it issued",
                    partner.name
                ),
            )),
        }
    }

    /// The partner that uses one of our API clients (who sent an event).
    pub async fn partner_for_client(
        &self,
        caller: &PactCaller,
    ) -> Result<Option<PactPartner>, StoreError> {
        let row: Option<PartnerRow> = sqlx::query_as(sql!(
            "SELECT {PARTNER_COLS} FROM pact_partners WHERE org_id = $1 AND inbound_api_client_id = $2 ORDER BY id LIMIT 1"
        ))
        .bind(caller.org_id)
        .bind(caller.api_client_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| partner_from(r).0))
    }

    /// Records a request we send to a partner (its event id identifies the answer).
    pub async fn record_outbound_request(
        &self,
        viewer: &Viewer,
        partner_id: i64,
        event_id: &str,
        criteria: &serde_json::Value,
        our_source: &str,
    ) -> Result<crate::Job, StoreError> {
        viewer.require(crate::Scope::Write)?;
        let partner = self.get_pact_partner(viewer, partner_id).await?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO pact_outbound_requests (org_id, partner_id, event_id, criteria_json, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'pending', $5, $5)",
        )
        .bind(partner.org_id)
        .bind(partner_id)
        .bind(event_id)
        .bind(criteria.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let job_id = crate::jobs::insert_job_in(
            &mut tx,
            JobKind::PactSend,
            Some(partner.org_id),
            Some(partner.org_id),
            &json!({"partner_id": partner_id, "event_id": event_id, "source": our_source}),
            None,
        )
        .await?;
        record(
            &mut tx,
            viewer,
            "pact.request.send",
            "pact_partner",
            partner_id,
            json!({"event_id": event_id, "criteria": criteria}),
        )
        .await?;
        tx.commit().await?;
        self.job_by_id(job_id).await
    }

    /// The criteria of a request we sent (for the worker that sends it).
    pub async fn outbound_request(
        &self,
        event_id: &str,
    ) -> Result<(i64, i64, serde_json::Value, String), StoreError> {
        let row: Option<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT org_id, partner_id, criteria_json, status FROM pact_outbound_requests WHERE event_id = $1",
        )
        .bind(event_id)
        .fetch_optional(&self.pool)
        .await?;
        let (org, partner, criteria, status) =
            row.ok_or_else(|| StoreError::not_found("outbound request", event_id))?;
        Ok((
            org,
            partner,
            serde_json::from_str(&criteria).unwrap_or_default(),
            status,
        ))
    }

    /// Marks a request we sent: `sent` once delivered, `fulfilled`/`rejected` when the
    /// partner answered. Only the partner we asked may answer it.
    pub async fn set_outbound_request_status(
        &self,
        org_id: i64,
        partner_id: Option<i64>,
        event_id: &str,
        status: &str,
        answer: Option<&serde_json::Value>,
    ) -> Result<bool, StoreError> {
        // Without the partner condition when none is given (the worker marking its
        // own delivery); PostgreSQL cannot type a bare `$n IS NULL`.
        let partner_clause = if partner_id.is_some() {
            " AND partner_id = $6"
        } else {
            ""
        };
        let q = sql!(
            "UPDATE pact_outbound_requests SET status = $1, answer_json = COALESCE($2, answer_json), updated_at = $3
             WHERE org_id = $4 AND event_id = $5{partner_clause}"
        );
        let mut q = sqlx::query(q)
            .bind(status)
            .bind(answer.map(|a| a.to_string()))
            .bind(now_ms())
            .bind(org_id)
            .bind(event_id);
        if let Some(p) = partner_id {
            q = q.bind(p);
        }
        let done = q.execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Queues fetching a partner's footprints (all, or the named PACT ids).
    pub async fn enqueue_pact_fetch(
        &self,
        viewer: &Viewer,
        partner_id: i64,
        pf_ids: &[String],
    ) -> Result<crate::Job, StoreError> {
        let partner = self.get_pact_partner(viewer, partner_id).await?;
        if !viewer.is_system() {
            viewer.require(crate::Scope::Write)?;
        }
        let mut tx = self.pool.begin().await?;
        let job_id = crate::jobs::insert_job_in(
            &mut tx,
            JobKind::PactFetch,
            Some(partner.org_id),
            Some(partner.org_id),
            &json!({"partner_id": partner_id, "pf_ids": pf_ids}),
            None,
        )
        .await?;
        record(
            &mut tx,
            viewer,
            "pact.fetch",
            "pact_partner",
            partner_id,
            json!({"pf_ids": pf_ids}),
        )
        .await?;
        tx.commit().await?;
        self.job_by_id(job_id).await
    }

    /// Stores a footprint fetched from a partner (by the fetch worker).
    pub async fn upsert_supplier_footprint(
        &self,
        org_id: i64,
        partner_id: i64,
        fetched: &FetchedFootprint<'_>,
    ) -> Result<SupplierUpdate, StoreError> {
        let FetchedFootprint {
            pf_id,
            status,
            product_ids,
            json: json_text,
            replaces_pf_id,
        } = *fetched;
        let now = now_ms();
        let existing: Option<(String,)> = sqlx::query_as(
            "SELECT json FROM supplier_footprints WHERE org_id = $1 AND partner_id = $2 AND pf_id = $3",
        )
        .bind(org_id)
        .bind(partner_id)
        .bind(pf_id)
        .fetch_optional(&self.pool)
        .await?;
        let ids = product_ids.join("\n");
        match existing {
            None => {
                sqlx::query(
                    "INSERT INTO supplier_footprints (org_id, partner_id, pf_id, status, product_ids, json, replaces_pf_id, fetched_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
                )
                .bind(org_id)
                .bind(partner_id)
                .bind(pf_id)
                .bind(status)
                .bind(&ids)
                .bind(json_text)
                .bind(replaces_pf_id)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(SupplierUpdate::New)
            }
            Some((old,)) if old == json_text => Ok(SupplierUpdate::Unchanged),
            Some(_) => {
                sqlx::query(
                    "UPDATE supplier_footprints SET status = $1, product_ids = $2, json = $3, replaces_pf_id = $4, updated_at = $5
                     WHERE org_id = $6 AND partner_id = $7 AND pf_id = $8",
                )
                .bind(status)
                .bind(&ids)
                .bind(json_text)
                .bind(replaces_pf_id)
                .bind(now)
                .bind(org_id)
                .bind(partner_id)
                .bind(pf_id)
                .execute(&self.pool)
                .await?;
                Ok(SupplierUpdate::Changed)
            }
        }
    }

    /// The supplier footprints the viewer's organisation fetched.
    pub async fn list_supplier_footprints(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<SupplierFootprintRow>, StoreError> {
        viewer.require(crate::Scope::Read)?;
        let org_id = member_org(viewer)?;
        let rows: Vec<SupplierRow> = sqlx::query_as(sql!(
            "SELECT {SUPPLIER_COLS} FROM supplier_footprints WHERE org_id = $1 ORDER BY id"
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(supplier_from).collect())
    }

    /// One fetched supplier footprint by its PACT id.
    pub async fn get_supplier_footprint(
        &self,
        viewer: &Viewer,
        pf_id: &str,
    ) -> Result<SupplierFootprintRow, StoreError> {
        viewer.require(crate::Scope::Read)?;
        let org_id = member_org(viewer)?;
        let row: Option<SupplierRow> = sqlx::query_as(sql!(
            "SELECT {SUPPLIER_COLS} FROM supplier_footprints WHERE org_id = $1 AND LOWER(pf_id) = LOWER($2) ORDER BY id DESC LIMIT 1"
        ))
        .bind(org_id)
        .bind(pf_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(supplier_from)
            .ok_or_else(|| StoreError::not_found("supplier footprint", pf_id))
    }
}
