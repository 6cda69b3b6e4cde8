//! The ISO 14067 / GB/T 24067 study report of a footprint, as a printable HTML page and
//! as a PDF, and the certificate as a PDF. The content is mapped by
//! `crate::study_report` from the stored result and model; the report crate prints it.
//!
//! - `GET /app/footprints/{footprint_id}/report` and `…/report.pdf`: for whoever may read
//!   the whole footprint (the owner, a granted certification body, the registry); the
//!   public summary of a disclosed footprint is not enough for a study report.
//! - `GET /registry/certificates/{certificate_id}.pdf`: public, from the certificate and
//!   its label (what anyone may verify).

use super::{Page, WebError};
use crate::AppState;
use crate::study_report::{DatabaseContext, PcrContext, StudyReportContext, study_report};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use zuji_store::PageRequest;
use zuji_trust::label::Lang;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/footprints/{footprint_id}/report", get(report_html))
        .route("/app/footprints/{footprint_id}/report.pdf", get(report_pdf))
        .route("/registry/certificates/{file}", get(certificate_pdf))
}

fn report_lang(lang: Lang) -> zuji_report::Lang {
    match lang {
        Lang::ZhHans => zuji_report::Lang::ZhHans,
        Lang::ZhHant => zuji_report::Lang::ZhHant,
        Lang::En => zuji_report::Lang::En,
    }
}

/// Builds the report from the store's records, as `page.viewer` may read them.
async fn build(
    s: &AppState,
    page: &Page,
    footprint_id: i64,
) -> Result<zuji_report::StudyReport, WebError> {
    let viewer = &page.viewer;
    if page.user.is_none() {
        return Err(WebError::login(page));
    }
    let fp = s
        .store
        .get_footprint(viewer, footprint_id)
        .await
        .map_err(|e| page.error(e))?;
    if fp.summary_only {
        return Err(WebError::status(
            page,
            StatusCode::FORBIDDEN,
            "report.summary_only",
        ));
    }
    let result: zuji_calc::FootprintResult =
        serde_json::from_value(fp.result.clone()).map_err(|e| {
            tracing::error!(footprint_id, error = %e, "stored result unreadable");
            WebError::status(page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
        })?;
    let version = s
        .store
        .model_version_by_id(viewer, fp.model_version_id)
        .await
        .map_err(|e| page.error(e))?;
    let model: zuji_model::product::ProductModel = serde_json::from_str(&version.model_json)
        .map_err(|e| {
            tracing::error!(footprint_id, error = %e, "stored model unreadable");
            WebError::status(page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
        })?;
    let product = s
        .store
        .get_product(viewer, fp.product_id)
        .await
        .map_err(|e| page.error(e))?;
    // The owner's name; a viewer who may read the footprint but not the organisation
    // (a granted body reads the footprint) gets the report without it.
    let organisation = s
        .store
        .get_org(viewer, product.org_id)
        .await
        .ok()
        .map(|o| o.name);
    let mut databases = Vec::new();
    for id in &fp.database_version_ids {
        let d = s
            .store
            .database_version(*id)
            .await
            .map_err(|e| page.error(e))?;
        // The licence as the database's package states it; a package that states none
        // prints "not reported" rather than a guess.
        let facts = s
            .store
            .database_version_facts(*id)
            .await
            .map_err(|e| page.error(e))?;
        databases.push(DatabaseContext {
            key: d.db_key,
            name: format!("{} {}", d.name, d.version),
            licence: Some(facts.licence).filter(|l| !l.trim().is_empty()),
        });
    }
    let pcr = match model.product.pcr.as_deref() {
        Some(pcr_id) => match s.store.get_pcr(pcr_id, None).await {
            Ok(stored) => {
                let check = s
                    .store
                    .pcr_check(viewer, footprint_id, pcr_id, Some(&stored.pcr.version))
                    .await
                    .ok();
                Some(PcrContext::from_trust(
                    &stored.pcr,
                    check.as_ref(),
                    &page.tr,
                ))
            }
            // A PCR the platform doesn't hold: the report names none rather than guess.
            Err(_) => None,
        },
        None => None,
    };
    let context = StudyReportContext {
        footprint_id: Some(fp.id),
        organisation,
        model_version: Some(fp.model_version),
        computed_at_ms: Some(fp.created_at),
        databases,
        pcr,
        ..StudyReportContext::default()
    };
    Ok(study_report(&result, &model, context))
}

async fn report_html(
    State(s): State<AppState>,
    page: Page,
    Path(footprint_id): Path<i64>,
) -> Result<Response, WebError> {
    let report = build(&s, &page, footprint_id).await?;
    Ok(Html(zuji_report::render_html(&report, report_lang(page.tr.lang))).into_response())
}

async fn report_pdf(
    State(s): State<AppState>,
    page: Page,
    Path(footprint_id): Path<i64>,
) -> Result<Response, WebError> {
    let report = build(&s, &page, footprint_id).await?;
    let lang = report_lang(page.tr.lang);
    // Laying out and subsetting the CJK font takes CPU time; keep it off the runtime.
    let bytes = tokio::task::spawn_blocking(move || zuji_report::render_pdf(&report, lang))
        .await
        .map_err(|_| WebError::status(&page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal"))?
        .map_err(|e| pdf_failed(&page, e))?;
    Ok(pdf_response(
        bytes,
        &format!("zuji-footprint-{footprint_id}-{}.pdf", page.lang()),
    ))
}

async fn certificate_pdf(
    State(s): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let Some(certificate_id) = file.strip_suffix(".pdf") else {
        return Err(WebError::status(
            &page,
            StatusCode::NOT_FOUND,
            "error.not_found",
        ));
    };
    let certificate = s
        .store
        .get_certificate(&page.viewer, certificate_id)
        .await
        .map_err(|e| page.error(e))?;
    // What the certificate states publicly is on its label: product, value, unit, body.
    let labels = s
        .store
        .list_labels(Some(certificate_id), None, None, PageRequest::new(0, 1))
        .await
        .map_err(|e| page.error(e))?;
    let Some(label) = labels.items.into_iter().next() else {
        return Err(WebError::status(
            &page,
            StatusCode::NOT_FOUND,
            "report.certificate_without_label",
        ));
    };
    let st = &label.statement;
    let holder = s
        .store
        .registry_product(&page.viewer, certificate.product_id)
        .await
        .map(|p| p.org_name)
        .map_err(|e| page.error(e))?;
    let status = match certificate.status {
        zuji_trust::certification::CertificateStatus::Valid => {
            zuji_report::CertificateStatus::Valid
        }
        zuji_trust::certification::CertificateStatus::Suspended => {
            zuji_report::CertificateStatus::Suspended
        }
        zuji_trust::certification::CertificateStatus::Withdrawn => {
            zuji_report::CertificateStatus::Withdrawn
        }
        zuji_trust::certification::CertificateStatus::Expired => {
            zuji_report::CertificateStatus::Expired
        }
        zuji_trust::certification::CertificateStatus::Superseded => {
            zuji_report::CertificateStatus::Superseded
        }
    };
    let doc = zuji_report::CertificateDocument {
        certificate_id: certificate.id.clone(),
        holder,
        product: zuji_model::product::LocalisedName {
            zh: Some(st.product.name.clone()),
            zh_hant: None,
            en: None,
        },
        gtin: st.product.gtin.clone(),
        declared_unit: st.declared_unit.clone(),
        boundary: None,
        value: st.value,
        pcr_id: Some(st.pcr.id.clone()),
        pcr_version: Some(st.pcr.version.clone()),
        standards: zuji_report::STANDARDS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        certification_body: st.certification_body.name.clone(),
        issued_at_ms: certificate.issued_at,
        valid_until_ms: Some(certificate.valid_until),
        status,
        fingerprint_sha256: certificate.scope.footprint_fingerprint.clone(),
        verification_url: format!(
            "{}/verify/{}",
            crate::routes::labels::base_url(&s, &headers),
            label.id
        ),
    };
    let lang = report_lang(page.tr.lang);
    let bytes = tokio::task::spawn_blocking(move || zuji_report::certificate_pdf(&doc, lang))
        .await
        .map_err(|_| WebError::status(&page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal"))?
        .map_err(|e| pdf_failed(&page, e))?;
    Ok(pdf_response(
        bytes,
        &format!("zuji-certificate-{certificate_id}-{}.pdf", page.lang()),
    ))
}

fn pdf_failed(page: &Page, e: zuji_report::ReportError) -> WebError {
    tracing::error!(error = %e, "PDF rendering failed");
    WebError::message(
        page,
        StatusCode::SERVICE_UNAVAILABLE,
        page.tf("report.pdf_failed", &[("reason", &e.to_string())]),
    )
}

fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
