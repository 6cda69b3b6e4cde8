//! Suppliers and PACT: the footprints fetched from suppliers, the partners, the
//! requests partners sent (fulfil or reject them), the requests sent to partners, and
//! the footprints published to partners. The actions are the API's
//! (`/api/v1/pact/…`), through the same store functions.

use super::{Tab, editor, enterprise, keys};
use crate::AppState;
use crate::pact::events::our_source;
use crate::pact::jobs::new_uuid;
use crate::web::{Page, WebError, render, see_other};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use zuji_store::PactAnswer;

pub struct SupplierRow {
    pub pf_id: String,
    pub product: String,
    pub company: String,
    pub value: String,
    pub unit: String,
    pub status: String,
    pub partner: String,
    pub fetched: String,
}

pub struct PartnerRow {
    pub id: i64,
    pub name: String,
    pub base_url: String,
    pub spec_version: String,
    /// We pull from it (it issued us credentials).
    pub pulls: bool,
}

pub struct RequestRow {
    pub id: i64,
    pub products: String,
    pub comment: String,
    pub status: String,
    pub open: bool,
    pub date: String,
    pub spec_version: String,
}

pub struct OutboundRow {
    pub partner: String,
    pub products: String,
    pub status: String,
    pub date: String,
}

pub struct PublishedRow {
    pub pf_id: String,
    pub product_id: i64,
    pub footprint_id: i64,
    pub status: String,
    pub shared_with_all: bool,
    pub date: String,
}

#[derive(Template)]
#[template(path = "web/workspace/suppliers.html")]
struct SuppliersTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    suppliers: Vec<SupplierRow>,
    partners: Vec<PartnerRow>,
    requests: Vec<RequestRow>,
    outbound: Vec<OutboundRow>,
    published: Vec<PublishedRow>,
    /// Active publications, to answer a request with.
    active_pf_ids: Vec<String>,
    can_edit: bool,
}

/// The first of `keys` present in the PACT document's `pcf` object (v3 and v2.3 name
/// the same values differently), as text.
fn pcf_field(doc: &Value, keys: &[&str]) -> String {
    let pcf = doc.get("pcf").unwrap_or(&Value::Null);
    keys.iter()
        .find_map(|k| pcf.get(*k))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_default()
}

fn text_of(doc: &Value, key: &str) -> String {
    doc.get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

/// The product ids a request or criteria names.
fn products_of(criteria: &Value) -> String {
    match criteria
        .get("productId")
        .or_else(|| criteria.get("productIds"))
    {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => criteria.to_string(),
    }
}

pub async fn page(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let v = &page.viewer;
    let e = |e| page.error(e);
    let partners = s.store.list_pact_partners(v).await.map_err(e)?;
    let partner_name = |id: i64| {
        partners
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let suppliers = s
        .store
        .list_supplier_footprints(v)
        .await
        .map_err(e)?
        .into_iter()
        .rev()
        .map(|f| SupplierRow {
            product: text_of(&f.json, "productNameCompany"),
            company: text_of(&f.json, "companyName"),
            value: pcf_field(
                &f.json,
                &[
                    "pcfExcludingBiogenicUptake",
                    "pCfExcludingBiogenic",
                    "pcfIncludingBiogenicUptake",
                    "pCfIncludingBiogenic",
                ],
            ),
            unit: pcf_field(&f.json, &["declaredUnitOfMeasurement", "declaredUnit"]),
            status: page.t(keys::pact_footprint_status(&f.status)).to_string(),
            partner: partner_name(f.partner_id),
            fetched: page.date_ms(f.fetched_at),
            pf_id: f.pf_id,
        })
        .collect();
    let requests = s
        .store
        .list_pact_requests(v)
        .await
        .map_err(e)?
        .into_iter()
        .map(|r| RequestRow {
            id: r.id,
            products: products_of(&r.criteria),
            comment: r.comment.clone().unwrap_or_default(),
            status: page.t(keys::pact_request_status(&r.status)).to_string(),
            open: r.status == "open",
            date: page.datetime_ms(r.created_at),
            spec_version: r.spec_version,
        })
        .collect();
    let outbound = s
        .store
        .list_pact_outbound_requests(v)
        .await
        .map_err(e)?
        .into_iter()
        .map(|o| OutboundRow {
            partner: o.partner_name,
            products: products_of(&o.criteria),
            status: page.t(keys::outbound_status(&o.status)).to_string(),
            date: page.datetime_ms(o.created_at),
        })
        .collect();
    let published_rows = s.store.list_pact_footprints(v).await.map_err(e)?;
    let active_pf_ids = published_rows
        .iter()
        .filter(|p| p.status == "Active")
        .map(|p| p.pf_id.clone())
        .collect();
    let published = published_rows
        .into_iter()
        .map(|p| PublishedRow {
            status: page.t(keys::pact_footprint_status(&p.status)).to_string(),
            date: page.date_ms(p.created_at),
            pf_id: p.pf_id,
            product_id: p.product_id,
            footprint_id: p.footprint_id,
            shared_with_all: p.shared_with_all,
        })
        .collect();
    render(
        &page,
        &SuppliersTemplate {
            page: &page,
            tab: Tab::Suppliers,
            suppliers,
            partners: partners
                .iter()
                .map(|p| PartnerRow {
                    id: p.id,
                    name: p.name.clone(),
                    base_url: p.base_url.clone(),
                    spec_version: p.spec_version.clone(),
                    pulls: p.remote_client_id.is_some(),
                })
                .collect(),
            requests,
            outbound,
            published,
            active_pf_ids,
            can_edit: user.can_edit(),
        },
    )
}

fn invalid(page: &Page, message: String) -> WebError {
    WebError::message(page, StatusCode::UNPROCESSABLE_ENTITY, message)
}

/// Fulfils a partner's request with published footprints (`pf_ids`, one or more).
pub async fn fulfil(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let pf_ids: Vec<String> = fields
        .into_iter()
        .filter(|(k, v)| k == "pf_ids" && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_string())
        .collect();
    if pf_ids.is_empty() {
        return Err(invalid(
            &page,
            page.t("ws.pact.choose_footprint").to_string(),
        ));
    }
    s.store
        .answer_pact_request(
            &page.viewer,
            id,
            &PactAnswer::Fulfil { pf_ids },
            &our_source(&s),
        )
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other("/app/suppliers"))
}

#[derive(Debug, Default, Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// The PACT error codes a rejection may carry (as `POST /pact/requests/{id}/reject`).
const PACT_CODES: [&str; 6] = [
    "BadRequest",
    "AccessDenied",
    "TokenExpired",
    "NotFound",
    "InternalError",
    "NotImplemented",
];

pub async fn reject(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<RejectForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let code = match f.code.trim() {
        "" => "NotFound".to_string(),
        c if PACT_CODES.contains(&c) => c.to_string(),
        c => return Err(invalid(&page, page.tf("ws.pact.bad_code", &[("value", c)]))),
    };
    if f.message.trim().is_empty() {
        return Err(invalid(
            &page,
            page.t("ws.pact.reason_required").to_string(),
        ));
    }
    s.store
        .answer_pact_request(
            &page.viewer,
            id,
            &PactAnswer::Reject {
                code,
                message: f.message.trim().to_string(),
            },
            &our_source(&s),
        )
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other("/app/suppliers"))
}

/// Fetches every footprint the partner shares with us (a job).
pub async fn fetch(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    editor(&page)?;
    s.store
        .enqueue_pact_fetch(&page.viewer, id, &[])
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other("/app/suppliers"))
}

#[derive(Debug, Default, Deserialize)]
pub struct AskForm {
    #[serde(default)]
    product_ids: String,
    #[serde(default)]
    comment: String,
}

/// Asks a partner for the footprint of its products (one URN per line), as
/// `POST /pact/partners/{id}/requests`.
pub async fn ask(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<AskForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let ids: Vec<String> = f
        .product_ids
        .split(|c: char| c == '\n' || c == ',' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if ids.is_empty() {
        return Err(invalid(
            &page,
            page.t("ws.pact.product_ids_required").to_string(),
        ));
    }
    let mut criteria = serde_json::json!({"productId": ids});
    if !f.comment.trim().is_empty() {
        criteria["comment"] = Value::String(f.comment.trim().to_string());
    }
    let event_id = new_uuid().map_err(|e| {
        tracing::error!(error = %e, "no random id");
        WebError::status(&page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
    })?;
    s.store
        .record_outbound_request(&page.viewer, id, &event_id, &criteria, &our_source(&s))
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other("/app/suppliers"))
}
