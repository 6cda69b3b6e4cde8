//! Carbon labels: issuing (certification body or registry), reading, the label drawn as
//! SVG or PNG in three languages, and its verification; the recomputation a body asks
//! for to verify a footprint; a footprint's PCR check; and the open data named in the
//! policy (rankings of certified products for green procurement and finance, GTIN
//! lookup with a points-eligibility flag for carbon-inclusive apps).

use super::Paging;
use crate::AppState;
use crate::caller::Caller;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::label_check::{LabelCheck, check_label};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use zuji_store::{Job, Page, RankedProduct, StoreError, StoredLabel};
use zuji_trust::label::{LabelSize, Lang, encode_qr_payload, render_png, render_svg};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelRequest {
    /// The certificate in force the label is issued on.
    pub certificate_id: String,
}

/// An issued label and the text of its QR code.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LabelBody {
    #[schema(value_type = Object)]
    pub label: StoredLabel,
    /// `<registry>/verify/<label-id>?z=ZJ1.…`: what the QR code on the label carries.
    pub qr_text: String,
}

/// This registry's public address: the configured public URL, else the request's host.
pub(crate) fn base_url(s: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &s.pact.public_url {
        return u.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    let scheme = if s.pact.https { "https" } else { "http" };
    format!("{scheme}://{host}")
}

fn label_body(s: &AppState, headers: &HeaderMap, label: StoredLabel) -> ApiResult<LabelBody> {
    let qr_text = encode_qr_payload(&label.signed, &base_url(s, headers))
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(LabelBody { label, qr_text })
}

/// Issues a carbon label on a certificate in force (the certifying body or the registry
/// operator). The label is signed, appended to the transparency log, and a new signed
/// tree head covers it.
#[utoipa::path(post, path = "/labels", tag = "labels", request_body = LabelRequest,
    responses((status = 201, body = LabelBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(s): State<AppState>,
    Caller(v): Caller,
    headers: HeaderMap,
    Json(req): Json<LabelRequest>,
) -> ApiResult<(StatusCode, Json<LabelBody>)> {
    let label = s.store.issue_label(&v, &req.certificate_id).await?;
    // The label's log entry is covered by a signed head at once, so its inclusion can be
    // checked as soon as it is printed; a failure here leaves it to the next tick.
    if let Err(e) = s.store.publish_tree_head_if_grown().await {
        tracing::warn!(error = %e, "signing a tree head after issuing a label failed");
    }
    Ok((StatusCode::CREATED, Json(label_body(&s, &headers, label)?)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LabelFilter {
    pub certificate_id: Option<String>,
    pub product_id: Option<i64>,
    /// GS1 GTIN, digits only.
    pub gtin: Option<String>,
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

/// Issued labels, newest first (public).
#[utoipa::path(get, path = "/labels", tag = "labels", params(LabelFilter),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    Query(f): Query<LabelFilter>,
) -> ApiResult<Json<Page<StoredLabel>>> {
    let page = Paging {
        offset: f.offset,
        limit: f.limit,
    }
    .page();
    Ok(Json(
        s.store
            .list_labels(
                f.certificate_id.as_deref(),
                f.product_id,
                f.gtin.as_deref(),
                page,
            )
            .await?,
    ))
}

/// One label with its QR text (public).
#[utoipa::path(get, path = "/labels/{label_id}", tag = "labels", params(("label_id" = String, Path)),
    responses((status = 200, body = LabelBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<LabelBody>> {
    let label = s.store.get_label(&id).await?;
    Ok(Json(label_body(&s, &headers, label)?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// The QR text or bare `ZJ1.` payload a verifier scanned, to check it is this label.
    pub z: Option<String>,
}

/// Verifies a label now: signature against the published keys, the scanned payload if
/// given, the certificate's current status and inclusion in the transparency log.
#[utoipa::path(get, path = "/labels/{label_id}/verification", tag = "labels", params(("label_id" = String, Path), VerifyQuery),
    responses((status = 200, body = LabelCheck), (status = 404, body = ErrorBody)))]
pub async fn verification(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<VerifyQuery>,
) -> ApiResult<Json<LabelCheck>> {
    let now = zuji_store::now_ms().div_euclid(1000);
    Ok(Json(
        check_label(&s.store, &id, q.z.as_deref(), &base_url(&s, &headers), now).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DrawQuery {
    /// `zh-Hans` (default), `zh-Hant` or `en`.
    pub lang: Option<String>,
    /// `small` (200 px, packaging), `medium` (400 px, default) or `large` (800 px).
    pub size: Option<String>,
}

fn parse_draw(q: &DrawQuery) -> ApiResult<(Lang, LabelSize)> {
    let lang = match q.lang.as_deref().unwrap_or("zh-Hans") {
        "zh-Hans" => Lang::ZhHans,
        "zh-Hant" => Lang::ZhHant,
        "en" => Lang::En,
        other => {
            return Err(ApiError::invalid(
                "lang",
                format!("'{other}' is not a label language (zh-Hans, zh-Hant, en)"),
            ));
        }
    };
    let size = match q.size.as_deref().unwrap_or("medium") {
        "small" => LabelSize::Small,
        "medium" => LabelSize::Medium,
        "large" => LabelSize::Large,
        other => {
            return Err(ApiError::invalid(
                "size",
                format!("'{other}' is not a label size (small, medium, large)"),
            ));
        }
    };
    Ok((lang, size))
}

async fn draw_svg(
    s: &AppState,
    headers: &HeaderMap,
    id: &str,
    q: &DrawQuery,
) -> ApiResult<(String, LabelSize)> {
    let (lang, size) = parse_draw(q)?;
    let body = label_body(s, headers, s.store.get_label(id).await?)?;
    let svg = render_svg(&body.label.statement, lang, &body.qr_text, size)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((svg, size))
}

/// The label drawn as SVG (vector: print it on packaging from this).
#[utoipa::path(get, path = "/labels/{label_id}/label.svg", tag = "labels", params(("label_id" = String, Path), DrawQuery),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn svg(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<DrawQuery>,
) -> ApiResult<Response> {
    let (svg, _) = draw_svg(&s, &headers, &id, &q).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}

/// The label drawn as PNG at twice its nominal width (sharp on high-density screens and
/// in documents).
#[utoipa::path(get, path = "/labels/{label_id}/label.png", tag = "labels", params(("label_id" = String, Path), DrawQuery),
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 500, body = ErrorBody)))]
pub async fn png(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<DrawQuery>,
) -> ApiResult<Response> {
    let (svg, size) = draw_svg(&s, &headers, &id, &q).await?;
    // Rasterising takes tens of milliseconds: off the request threads.
    let png = tokio::task::spawn_blocking(move || render_png(&svg, size.width_px() * 2))
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// The certification body asks the platform to recompute the application's footprint
/// with the model version, databases and options it was computed with; the job records
/// the recomputed fingerprint on the application (match: verified; difference:
/// mismatch, which blocks approval).
#[utoipa::path(post, path = "/certification/applications/{id}/verification", tag = "certification", params(("id" = String, Path, description = "The application id, e.g. APP-000001")),
    responses((status = 202, body = Job), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_verification(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<Job>)> {
    Ok((
        StatusCode::ACCEPTED,
        Json(s.store.request_footprint_verification(&v, &id).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PcrCheckQuery {
    pub pcr_id: String,
    /// The latest stored version when absent.
    pub pcr_version: Option<String>,
}

/// A stored footprint checked against a PCR: every requirement met or missed, mandatory
/// ones blocking certification.
#[utoipa::path(get, path = "/footprints/{footprint_id}/pcr-check", tag = "footprints", params(("footprint_id" = i64, Path), PcrCheckQuery),
    responses((status = 200, body = Object), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pcr_check(
    State(s): State<AppState>,
    Caller(v): Caller,
    Path(id): Path<i64>,
    Query(q): Query<PcrCheckQuery>,
) -> ApiResult<Json<zuji_trust::conformance::ConformanceReport>> {
    Ok(Json(
        s.store
            .pcr_check(&v, id, &q.pcr_id, q.pcr_version.as_deref())
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// Keep grades at least this good: 1 is the PCR's best band.
    pub max_grade_rank: Option<i64>,
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

/// Certified products of a PCR's category, lowest footprint first, each with its grade
/// and label: for green procurement and green finance. Only labels in date on
/// certificates in force are listed; one row per product.
#[utoipa::path(get, path = "/open/rankings/{pcr_id}", tag = "open data", params(("pcr_id" = String, Path), RankingQuery),
    responses((status = 200, body = Page<RankedProduct>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn ranking(
    State(s): State<AppState>,
    Path(pcr_id): Path<String>,
    Query(q): Query<RankingQuery>,
) -> ApiResult<Json<Page<RankedProduct>>> {
    if q.max_grade_rank.is_some_and(|r| r < 1) {
        return Err(ApiError::invalid(
            "max_grade_rank",
            "a grade rank is 1 (the best band) or more",
        ));
    }
    // An unknown PCR is a 404, not an empty ranking.
    s.store.get_pcr(&pcr_id, None).await?;
    let page = Paging {
        offset: q.offset,
        limit: q.limit,
    }
    .page();
    Ok(Json(
        s.store
            .rank_certified_products(&pcr_id, q.max_grade_rank, page)
            .await?,
    ))
}

/// What a carbon-inclusive (碳普惠) app gets for a scanned barcode.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GtinAnswer {
    pub gtin: String,
    pub product_id: i64,
    pub product_name: String,
    pub label_id: String,
    /// kg CO2e per declared unit.
    pub value: f64,
    pub unit: String,
    pub declared_unit: String,
    pub grade: Option<String>,
    /// The label's verdict now: valid, revoked, suspended, expired, superseded, invalid.
    pub verdict: String,
    /// Whether buying it may earn carbon-inclusive points, by the registry's rule
    /// (`points_rule`).
    pub points_eligible: bool,
    /// The rule, stated.
    pub points_rule: String,
    /// Why not eligible, when not.
    pub points_reason: Option<String>,
    pub verify_url: String,
}

/// The registry's points-eligibility rule (docs/labels.md, "Open data"): a product
/// earns carbon-inclusive points when its label verifies as valid and its certified
/// value is at or below the advanced value (先进值) of the benchmark that graded it.
pub const POINTS_RULE: &str = "label verified valid, and certified value at or below the advanced value (先进值) of the benchmark version that graded it";

/// Looks up a product by GS1 GTIN: its newest label, grade, verdict and whether it is
/// eligible for carbon-inclusive points.
#[utoipa::path(get, path = "/open/gtin/{gtin}", tag = "open data", params(("gtin" = String, Path)),
    responses((status = 200, body = GtinAnswer), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn gtin(
    State(s): State<AppState>,
    headers: HeaderMap,
    Path(gtin): Path<String>,
) -> ApiResult<Json<GtinAnswer>> {
    // A mistyped barcode is told as such, not answered "not found".
    zuji_trust::label::check_gtin(&gtin).map_err(|problem| ApiError::invalid("gtin", problem))?;
    let page = s
        .store
        .list_labels(None, None, Some(&gtin), zuji_store::PageRequest::new(0, 1))
        .await?;
    let label = page.items.into_iter().next().ok_or_else(|| {
        ApiError::from(StoreError::not_found("labelled product with GTIN", &gtin))
    })?;
    let base = base_url(&s, &headers);
    let now = zuji_store::now_ms().div_euclid(1000);
    let check = check_label(&s.store, &label.id, None, &base, now).await?;
    let st = &label.statement;
    let (points_eligible, points_reason) = if check.verdict != "valid" {
        (false, Some(format!("the label is {}", check.verdict)))
    } else {
        match &st.grade {
            None => (
                false,
                Some(format!("no benchmark of {} graded this label", st.pcr.id)),
            ),
            Some(g) => {
                let advanced = s
                    .store
                    .list_benchmarks(&st.pcr.id)
                    .await?
                    .into_iter()
                    .find(|b| {
                        b.benchmark.period == g.benchmark_period
                            && b.benchmark.version == g.benchmark_version
                    })
                    .map(|b| b.benchmark.values.advanced);
                match advanced {
                    Some(a) if st.value <= a => (true, None),
                    Some(a) => (
                        false,
                        Some(format!(
                            "{} {} is above the advanced value {a} of benchmark {} v{}",
                            st.value, st.unit, g.benchmark_period, g.benchmark_version
                        )),
                    ),
                    None => (
                        false,
                        Some("the benchmark that graded this label is not stored".into()),
                    ),
                }
            }
        }
    };
    Ok(Json(GtinAnswer {
        gtin,
        product_id: label.product_id,
        product_name: st.product.name.clone(),
        label_id: label.id.clone(),
        value: st.value,
        unit: st.unit.clone(),
        declared_unit: st.declared_unit.clone(),
        grade: st.grade.as_ref().map(|g| g.grade.clone()),
        verdict: check.verdict,
        points_eligible,
        points_rule: POINTS_RULE.to_string(),
        points_reason,
        verify_url: zuji_trust::label::verify_url(&base, &label.id),
    }))
}
