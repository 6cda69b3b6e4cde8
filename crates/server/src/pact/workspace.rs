//! The owner's side of PACT in the platform API (`/api/v1/pact/…`): publish a computed
//! footprint to partners and say who may see it, answer partners' requests, register
//! partners, fetch their footprints, request one, and link a fetched footprint into a
//! product model.

use super::events::our_source;
use super::jobs::new_uuid;
use super::supplier::{AffectedModel, LinkRequest};
use super::time::format_rfc3339_ms;
use crate::AppState;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use zuji_calc::FootprintResult;
use zuji_formats::pact::{PactExportOptions, PactVersion, SectorRule, export_product_footprint};
use zuji_model::product::ProductModel;
use zuji_store::{
    Job, ModelVersion, NewPactFootprint, NewPactPartner, PactAnswer, PactFootprintRow, PactPartner,
    PactRequest, StoreError, SupplierFootprintRow,
};

/// What publishing a footprint to PACT takes: the values PACT requires that Zuji does
/// not compute, and who may see it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PublishRequest {
    /// A computed footprint of one of the organisation's products.
    pub footprint_id: i64,
    /// The data owner's URNs (PACT `companyIds`); default `urn:pact:zuji:company:<org id>`.
    #[serde(default)]
    pub company_ids: Vec<String>,
    /// Product URNs; default `urn:gtin:<GTIN>` when the product has one.
    #[serde(default)]
    pub product_ids: Vec<String>,
    /// kg C of fossil origin per declared unit (required by PACT).
    pub fossil_carbon_content: f64,
    /// kg C of biogenic origin per declared unit (required by v2.3).
    pub biogenic_carbon_content: Option<f64>,
    /// kg of product per declared unit, when the unit is not a mass, energy, transport
    /// or time.
    pub product_mass_per_declared_unit: Option<f64>,
    /// Percent of emissions cut off (required by PACT).
    pub exempted_emissions_percent: f64,
    #[serde(default)]
    pub exempted_emissions_description: String,
    /// Whether packaging is in the footprint (required by v2.3).
    pub packaging_emissions_included: Option<bool>,
    /// UN CPC code (v2.3 `productCategoryCpc`; v3 classification URN).
    pub product_category_cpc: Option<String>,
    /// v3 `productClassifications` URNs.
    #[serde(default)]
    pub product_classifications: Vec<String>,
    /// Extra cross-sectoral standards besides ISO 14067 (`GHGP-Product`, …).
    #[serde(default)]
    pub cross_sectoral_standards: Vec<String>,
    /// Who operates the model's PCR (PACT `otherOperatorName`); needed unless it is one
    /// of Zuji's own draft rules (`zuji:pcr:…`).
    pub pcr_operator_name: Option<String>,
    /// Visible to every PACT partner of the organisation.
    #[serde(default)]
    pub shared_with_all: bool,
    /// `api_clients.id` of the partners that may see it.
    #[serde(default)]
    pub share_with: Vec<i64>,
}

/// A publication, with why v2.3 could not carry it when it cannot.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Published {
    pub footprint: PactFootprintRow,
    pub v2_unavailable: Option<String>,
}

fn options(
    req: &PublishRequest,
    model: &ProductModel,
    version: PactVersion,
    company: &str,
    org_id: i64,
    created: &str,
) -> PactExportOptions {
    let default_company = format!("urn:pact:zuji:company:{org_id}");
    let ids: Vec<&str> = if req.company_ids.is_empty() {
        vec![default_company.as_str()]
    } else {
        req.company_ids.iter().map(String::as_str).collect()
    };
    let mut o = PactExportOptions::new(version, company, &ids, created);
    o.product_ids = req.product_ids.clone();
    o.fossil_carbon_content = Some(req.fossil_carbon_content);
    o.biogenic_carbon_content = req.biogenic_carbon_content;
    o.product_mass_per_declared_unit = req.product_mass_per_declared_unit;
    o.exempted_emissions_percent = Some(req.exempted_emissions_percent);
    o.exempted_emissions_description = req.exempted_emissions_description.clone();
    o.packaging_emissions_included = req.packaging_emissions_included;
    o.product_category_cpc = req.product_category_cpc.clone();
    o.product_classifications = req.product_classifications.clone();
    for s in &req.cross_sectoral_standards {
        if !o.cross_sectoral_standards.contains(s) {
            o.cross_sectoral_standards.push(s.clone());
        }
    }
    // The model's PCR, with its operator: Zuji operates only its own draft rules.
    if let Some(pcr) = model.product.pcr.as_deref().filter(|p| !p.is_empty()) {
        let operator = match (&req.pcr_operator_name, pcr.starts_with("zuji:")) {
            (Some(name), _) => Some(name.clone()),
            (None, true) => Some("Zuji".to_string()),
            (None, false) => None,
        };
        if let Some(name) = operator {
            o.product_or_sector_rules.push(SectorRule {
                operator: "Other".into(),
                other_operator_name: Some(name),
                rule_names: vec![pcr.to_string()],
            });
        }
    }
    o
}

/// Exports a computed footprint as PACT v3 (and v2.3 when v2.3 can express it) and
/// publishes it; used by the API and the command line.
pub async fn publish_footprint(
    store: &zuji_store::Store,
    viewer: &zuji_store::Viewer,
    req: &PublishRequest,
) -> Result<Published, StoreError> {
    viewer.require(zuji_store::Scope::Write)?;
    let org_id = viewer
        .org_id()
        .ok_or_else(|| invalid("viewer", "act as a member of the owning organisation"))?;
    let fp = store.get_footprint(viewer, req.footprint_id).await?;
    if fp.summary_only {
        return Err(StoreError::Forbidden(
            "only the owner may publish its footprint".into(),
        ));
    }
    let version: ModelVersion = store
        .model_version_by_id(viewer, fp.model_version_id)
        .await?;
    let model: ProductModel = serde_json::from_str(&version.model_json)
        .map_err(|e| invalid("model", format!("stored model version unreadable: {e}")))?;
    let result: FootprintResult = serde_json::from_value(fp.result.clone())
        .map_err(|e| invalid("footprint", format!("stored footprint unreadable: {e}")))?;
    let org = store.get_org(viewer, org_id).await?;
    let created = format_rfc3339_ms(zuji_store::now_ms());
    let pf_id = new_uuid().map_err(|e| invalid("id", e))?;
    let mut o3 = options(req, &model, PactVersion::V3, &org.name, org_id, &created);
    o3.id = Some(pf_id.clone());
    let mut v3 = export_product_footprint(&model, &result, &o3)
        .map_err(|e| invalid("footprint", format!("cannot be expressed in PACT v3: {e}")))?;
    let mut o2 = options(req, &model, PactVersion::V2_3, &org.name, org_id, &created);
    o2.id = Some(pf_id.clone());
    let (mut v2, v2_unavailable) = match export_product_footprint(&model, &result, &o2) {
        Ok(v) => (Some(v), None),
        Err(e) => (None, Some(e.to_string())),
    };
    if let Some(v) = verification(store, viewer, &fp).await? {
        v3["pcf"]["verification"] = v.clone();
        if let Some(doc) = v2.as_mut() {
            let mut assurance = v;
            assurance["assurance"] = serde_json::json!(true);
            doc["pcf"]["assurance"] = assurance;
        }
    }
    // PACT's lifecycle: the earlier publications of this product are this one's
    // preceding versions (they become Deprecated when it is stored).
    let preceding: Vec<String> = store
        .list_pact_footprints(viewer)
        .await?
        .into_iter()
        .filter(|r| r.product_id == fp.product_id)
        .rev()
        .map(|r| r.pf_id)
        .collect();
    if !preceding.is_empty() {
        for doc in std::iter::once(&mut v3).chain(v2.as_mut()) {
            doc["precedingPfIds"] = serde_json::json!(preceding);
        }
    }
    let row = store
        .publish_pact_footprint(
            viewer,
            &NewPactFootprint {
                pf_id,
                product_id: fp.product_id,
                footprint_id: fp.id,
                v3,
                v2,
                shared_with_all: req.shared_with_all,
                share_with: req.share_with.clone(),
            },
        )
        .await?;
    Ok(Published {
        footprint: row,
        v2_unavailable,
    })
}

/// PACT `verification` (v3; v2.3 `assurance` adds `"assurance": true`) when a valid
/// certificate covers exactly this footprint (same fingerprint): a third-party
/// verification at product level by the certification body that issued it.
async fn verification(
    store: &zuji_store::Store,
    viewer: &zuji_store::Viewer,
    fp: &zuji_store::FootprintRow,
) -> Result<Option<Value>, StoreError> {
    let bare = |f: &str| f.trim_start_matches("sha256:").to_ascii_lowercase();
    let certs = store
        .list_certificates(
            viewer,
            &zuji_store::CertificateFilter {
                product_id: Some(fp.product_id),
                ..Default::default()
            },
            zuji_store::PageRequest::new(0, 500),
        )
        .await?;
    let Some(c) = certs.items.into_iter().find(|c| {
        c.status == zuji_trust::certification::CertificateStatus::Valid
            && bare(&c.scope.footprint_fingerprint) == bare(&fp.fingerprint)
    }) else {
        return Ok(None);
    };
    let body = store.get_org(viewer, c.certification_body_org_id).await?;
    Ok(Some(json!({
        "coverage": "product level",
        "providerName": body.name,
        "completedAt": format_rfc3339_ms(c.issued_at),
        "standardName": format!(
            "GB/T 24067-2024 and ISO 14067:2018, PCR {} {}",
            c.scope.pcr.id, c.scope.pcr.version
        ),
        "comments": format!(
            "Certificate {} issued by {}, valid until {}",
            c.id,
            body.name,
            format_rfc3339_ms(c.valid_until)
        ),
    })))
}

fn invalid(field: &str, problem: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        problem: problem.into(),
    }
}

#[utoipa::path(post, path = "/pact/footprints", tag = "pact", request_body = PublishRequest,
    responses((status = 201, body = Published), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn publish(
    State(s): State<AppState>,
    Caller(viewer): Caller,
    Json(req): Json<PublishRequest>,
) -> ApiResult<(StatusCode, Json<Published>)> {
    Ok((
        StatusCode::CREATED,
        Json(publish_footprint(&s.store, &viewer, &req).await?),
    ))
}

#[utoipa::path(get, path = "/pact/footprints", tag = "pact",
    responses((status = 200, body = Vec<PactFootprintRow>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_published(
    State(s): State<AppState>,
    Caller(viewer): Caller,
) -> ApiResult<Json<Vec<PactFootprintRow>>> {
    Ok(Json(s.store.list_pact_footprints(&viewer).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SharingRequest {
    #[serde(default)]
    pub shared_with_all: bool,
    #[serde(default)]
    pub share_with: Vec<i64>,
}

#[utoipa::path(post, path = "/pact/footprints/{pf_id}/sharing", tag = "pact",
    params(("pf_id" = String, Path)), request_body = SharingRequest,
    responses((status = 200, body = PactFootprintRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn share(
    State(s): State<AppState>,
    Caller(viewer): Caller,
    Path(pf_id): Path<String>,
    Json(req): Json<SharingRequest>,
) -> ApiResult<Json<PactFootprintRow>> {
    Ok(Json(
        s.store
            .share_pact_footprint(&viewer, &pf_id, req.shared_with_all, &req.share_with)
            .await?,
    ))
}

#[utoipa::path(get, path = "/pact/requests", tag = "pact",
    responses((status = 200, body = Vec<PactRequest>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_requests(
    State(s): State<AppState>,
    Caller(viewer): Caller,
) -> ApiResult<Json<Vec<PactRequest>>> {
    Ok(Json(s.store.list_pact_requests(&viewer).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct FulfilRequest {
    /// PACT ids of published footprints that answer the request.
    pub pf_ids: Vec<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RejectRequest {
    /// A PACT error code; default `NotFound`.
    pub code: Option<String>,
    pub message: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Answered {
    pub request: PactRequest,
    /// The job that sends the answer to the requester.
    pub job: Job,
}

const PACT_CODES: [&str; 6] = [
    "BadRequest",
    "AccessDenied",
    "TokenExpired",
    "NotFound",
    "InternalError",
    "NotImplemented",
];

#[utoipa::path(post, path = "/pact/requests/{id}/fulfil", tag = "pact",
    params(("id" = i64, Path)), request_body = FulfilRequest,
    responses((status = 200, body = Answered), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn fulfil(
    State(s): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
    Json(req): Json<FulfilRequest>,
) -> ApiResult<Json<Answered>> {
    let (request, job) = s
        .store
        .answer_pact_request(
            &viewer,
            id,
            &PactAnswer::Fulfil { pf_ids: req.pf_ids },
            &our_source(&s),
        )
        .await?;
    Ok(Json(Answered { request, job }))
}

#[utoipa::path(post, path = "/pact/requests/{id}/reject", tag = "pact",
    params(("id" = i64, Path)), request_body = RejectRequest,
    responses((status = 200, body = Answered), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn reject(
    State(s): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
    Json(req): Json<RejectRequest>,
) -> ApiResult<Json<Answered>> {
    let code = req.code.unwrap_or_else(|| "NotFound".into());
    if !PACT_CODES.contains(&code.as_str()) {
        return Err(ApiError::invalid(
            "code",
            format!(
                "'{code}' is not a PACT error code ({})",
                PACT_CODES.join(", ")
            ),
        ));
    }
    let (request, job) = s
        .store
        .answer_pact_request(
            &viewer,
            id,
            &PactAnswer::Reject {
                code,
                message: req.message,
            },
            &our_source(&s),
        )
        .await?;
    Ok(Json(Answered { request, job }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PartnerRequest {
    pub name: String,
    /// The partner's PACT base URL, e.g. `https://pact.supplier.example`.
    pub base_url: String,
    /// The client id and secret the partner issued to this organisation.
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// The `zc_…` id of this organisation's PACT API client that the partner uses.
    pub inbound_client_id: Option<String>,
    /// `3` (default) or `2`.
    pub spec_version: Option<String>,
}

#[utoipa::path(post, path = "/pact/partners", tag = "pact", request_body = PartnerRequest,
    responses((status = 201, body = PactPartner), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_partner(
    State(s): State<AppState>,
    Caller(viewer): Caller,
    Json(req): Json<PartnerRequest>,
) -> ApiResult<(StatusCode, Json<PactPartner>)> {
    let p = s
        .store
        .add_pact_partner(
            &viewer,
            &NewPactPartner {
                name: req.name,
                base_url: req.base_url,
                remote_client_id: req.client_id,
                remote_client_secret: req.client_secret,
                inbound_client_id: req.inbound_client_id,
                spec_version: req.spec_version.unwrap_or_else(|| "3".into()),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(p)))
}

#[utoipa::path(get, path = "/pact/partners", tag = "pact",
    responses((status = 200, body = Vec<PactPartner>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_partners(
    State(s): State<AppState>,
    Caller(viewer): Caller,
) -> ApiResult<Json<Vec<PactPartner>>> {
    Ok(Json(s.store.list_pact_partners(&viewer).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct FetchRequest {
    /// PACT ids to fetch; none: everything the partner shares.
    #[serde(default)]
    pub pf_ids: Vec<String>,
}

#[utoipa::path(post, path = "/pact/partners/{id}/fetch", tag = "pact",
    params(("id" = i64, Path)), request_body = FetchRequest,
    responses((status = 202, body = Job), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn fetch(
    State(s): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
    Json(req): Json<FetchRequest>,
) -> ApiResult<(StatusCode, Json<Job>)> {
    Ok((
        StatusCode::ACCEPTED,
        Json(s.store.enqueue_pact_fetch(&viewer, id, &req.pf_ids).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AskRequest {
    /// Product URNs of the supplier's product.
    #[serde(rename = "productId")]
    pub product_id: Vec<String>,
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/pact/partners/{id}/requests", tag = "pact",
    params(("id" = i64, Path)), request_body = AskRequest,
    responses((status = 202, body = Job), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn ask(
    State(s): State<AppState>,
    Caller(viewer): Caller,
    Path(id): Path<i64>,
    Json(req): Json<AskRequest>,
) -> ApiResult<(StatusCode, Json<Job>)> {
    if req.product_id.is_empty() {
        return Err(ApiError::invalid(
            "productId",
            "name at least one product URN",
        ));
    }
    let mut criteria = json!({"productId": req.product_id});
    if let Some(c) = req.comment {
        criteria["comment"] = Value::String(c);
    }
    let event_id = new_uuid().map_err(ApiError::internal)?;
    let job = s
        .store
        .record_outbound_request(&viewer, id, &event_id, &criteria, &our_source(&s))
        .await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

#[utoipa::path(get, path = "/pact/supplier-footprints", tag = "pact",
    responses((status = 200, body = Vec<SupplierFootprintRow>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_supplier(
    State(s): State<AppState>,
    Caller(viewer): Caller,
) -> ApiResult<Json<Vec<SupplierFootprintRow>>> {
    Ok(Json(s.store.list_supplier_footprints(&viewer).await?))
}

#[utoipa::path(get, path = "/pact/supplier-footprints/affected", tag = "pact",
    responses((status = 200, body = Vec<AffectedModel>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn affected(
    State(s): State<AppState>,
    Caller(viewer): Caller,
) -> ApiResult<Json<Vec<AffectedModel>>> {
    Ok(Json(
        super::supplier::affected_models(&s.store, &viewer).await?,
    ))
}

#[utoipa::path(post, path = "/products/{product_id}/supplier-links", tag = "pact",
    params(("product_id" = i64, Path)), request_body = LinkRequest,
    responses((status = 201, body = ModelVersion), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn link(
    State(s): State<AppState>,
    Caller(viewer): Caller,
    Path(product_id): Path<i64>,
    Json(req): Json<LinkRequest>,
) -> ApiResult<(StatusCode, Json<ModelVersion>)> {
    Ok((
        StatusCode::CREATED,
        Json(super::supplier::link(&s.store, &viewer, product_id, &req).await?),
    ))
}
