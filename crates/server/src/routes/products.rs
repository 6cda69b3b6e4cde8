//! Products and model versions: create from an upload, validate, list, get, diff,
//! disclose and grant.

use super::Paging;
use crate::AppState;
use crate::caller::Caller;
use crate::diff::{Change, diff as json_diff};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::upload;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use zuji_store::{ModelVersion, NewModelVersion, Page, Product, ProductFilter, SortOrder};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// `toml`, `json` or `xlsx`; else taken from the Content-Type.
    pub format: Option<String>,
    /// A note kept with the version ("2026 electricity data").
    pub note: Option<String>,
}

fn read_upload(
    q: &UploadQuery,
    headers: &HeaderMap,
    body: &Bytes,
) -> ApiResult<upload::UploadedModel> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let format = upload::format_of(q.format.as_deref(), ct)?;
    upload::parse(body, format)
}

fn new_version(m: &upload::UploadedModel, note: Option<&str>) -> NewModelVersion {
    NewModelVersion {
        model_json: zuji_formats::product_model::to_json(&m.model),
        source_format: m.format.into(),
        note: note.unwrap_or("").into(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ValidationReport {
    pub valid: bool,
    pub product: String,
    pub processes: usize,
}

/// Checks a product model (TOML, JSON or xlsx body) without storing it; problems come
/// back as 422 with the field or line.
#[utoipa::path(post, path = "/validate", tag = "products", params(UploadQuery),
    request_body(description = "The model: a product model as JSON (the schema of docs/product-model.md), TOML (`application/toml`) or an xlsx workbook (`?format=xlsx`)", content(
        (Object = "application/json"),
        (String = "application/toml"),
    )),
    responses((status = 200, body = ValidationReport), (status = 422, body = ErrorBody)))]
pub async fn validate(
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<ValidationReport>> {
    let m = read_upload(&q, &headers, &body)?;
    Ok(Json(ValidationReport {
        valid: true,
        product: m.model.product.name.display().to_string(),
        processes: m.model.processes.len(),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedProduct {
    pub product: Product,
    pub version: ModelVersion,
}

/// Creates a product from a model file; it becomes version 1.
#[utoipa::path(post, path = "/products", tag = "products", params(UploadQuery),
    request_body(description = "The model: a product model as JSON (the schema of docs/product-model.md), TOML (`application/toml`) or an xlsx workbook (`?format=xlsx`)", content(
        (Object = "application/json"),
        (String = "application/toml"),
    )),
    responses((status = 201, body = CreatedProduct), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    Caller(v): Caller,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<CreatedProduct>)> {
    // Refuse the unauthorised before parsing what they sent.
    v.require(zuji_store::Scope::Write)?;
    let m = read_upload(&q, &headers, &body)?;
    let info = &m.model.product;
    let category = info.category.clone();
    let (product, version) = s
        .store
        .create_product(
            &v,
            info.name.display(),
            &category,
            info.gtin.as_deref(),
            new_version(&m, q.note.as_deref()),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedProduct { product, version }),
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Name (substring, any case) or GTIN.
    pub q: Option<String>,
    pub category: Option<String>,
    pub org_id: Option<i64>,
    pub disclosed: Option<bool>,
    /// `id`, `name` or `updated_at`.
    pub sort: Option<String>,
    pub order: Option<SortOrder>,
}

/// Products the caller may see: its own, granted, and disclosed ones.
#[utoipa::path(get, path = "/products", tag = "products", params(Paging, ProductQuery),
    responses((status = 200, body = Page<Product>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Caller(v): Caller,
    Query(p): Query<Paging>,
    Query(q): Query<ProductQuery>,
) -> ApiResult<Json<Page<Product>>> {
    let filter = ProductFilter {
        q: q.q,
        category: q.category,
        org_id: q.org_id,
        disclosed: q.disclosed,
        sort: q.sort,
        order: q.order.unwrap_or_default(),
    };
    Ok(Json(s.store.list_products(&v, &filter, p.page()).await?))
}

/// One product.
#[utoipa::path(get, path = "/products/{product_id}", tag = "products", params(("product_id" = i64, Path)),
    responses((status = 200, body = Product), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Product>> {
    Ok(Json(s.store.get_product(&v, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Disclosure {
    pub disclosed: bool,
}

/// Discloses a product (and its footprints' public summaries) or withdraws it.
#[utoipa::path(post, path = "/products/{product_id}/disclosure", tag = "products", params(("product_id" = i64, Path)), request_body = Disclosure,
    responses((status = 200, body = Product), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn disclose(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Json(d): Json<Disclosure>,
) -> ApiResult<Json<Product>> {
    Ok(Json(s.store.set_disclosed(&v, id, d.disclosed).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct GrantRequest {
    pub org_id: i64,
    /// `certification` or `pact`.
    pub purpose: String,
}

/// Lets another organisation see the product's model versions and full results.
#[utoipa::path(post, path = "/products/{product_id}/grants", tag = "products", params(("product_id" = i64, Path)), request_body = GrantRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn grant(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Json(g): Json<GrantRequest>,
) -> ApiResult<StatusCode> {
    s.store.grant_access(&v, id, g.org_id, &g.purpose).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Withdraws an organisation's access.
#[utoipa::path(delete, path = "/products/{product_id}/grants/{org_id}", tag = "products", params(("product_id" = i64, Path), ("org_id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_grant(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path((id, org)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    s.store.revoke_access(&v, id, org).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every model version of a product (owner and grantees).
#[utoipa::path(get, path = "/products/{product_id}/versions", tag = "products", params(("product_id" = i64, Path)),
    responses((status = 200, body = Vec<ModelVersion>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn versions(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<ModelVersion>>> {
    Ok(Json(s.store.list_model_versions(&v, id).await?))
}

/// Saves a new model version from a model file.
#[utoipa::path(post, path = "/products/{product_id}/versions", tag = "products", params(("product_id" = i64, Path), UploadQuery),
    request_body(description = "The model: a product model as JSON (the schema of docs/product-model.md), TOML (`application/toml`) or an xlsx workbook (`?format=xlsx`)", content(
        (Object = "application/json"),
        (String = "application/toml"),
    )),
    responses((status = 201, body = ModelVersion), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_version(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ModelVersion>)> {
    v.require(zuji_store::Scope::Write)?;
    let m = read_upload(&q, &headers, &body)?;
    Ok((
        StatusCode::CREATED,
        Json(
            s.store
                .add_model_version(&v, id, new_version(&m, q.note.as_deref()))
                .await?,
        ),
    ))
}

/// One model version.
#[utoipa::path(get, path = "/products/{product_id}/versions/{version}", tag = "products", params(("product_id" = i64, Path), ("version" = i64, Path)),
    responses((status = 200, body = ModelVersion), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn version(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path((id, n)): Path<(i64, i64)>,
) -> ApiResult<Json<ModelVersion>> {
    Ok(Json(s.store.get_model_version(&v, id, n).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    pub from: i64,
    pub to: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VersionDiff {
    pub from: i64,
    pub to: i64,
    pub changes: Vec<Change>,
}

/// What changed between two model versions.
#[utoipa::path(get, path = "/products/{product_id}/diff", tag = "products", params(("product_id" = i64, Path), DiffQuery),
    responses((status = 200, body = VersionDiff), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn diff(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
) -> ApiResult<Json<VersionDiff>> {
    let a = s.store.get_model_version(&v, id, q.from).await?;
    let b = s.store.get_model_version(&v, id, q.to).await?;
    let parse = |m: &ModelVersion| {
        serde_json::from_str::<serde_json::Value>(&m.model_json).map_err(ApiError::internal)
    };
    Ok(Json(VersionDiff {
        from: q.from,
        to: q.to,
        changes: json_diff(&parse(&a)?, &parse(&b)?),
    }))
}
