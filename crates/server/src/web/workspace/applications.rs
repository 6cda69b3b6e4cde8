//! Certification: the organisation's applications, applying for a computed footprint
//! (a certification body and the PCR; supporting documents optional), and one
//! application as it moves through review: its history, findings, corrections asked
//! and answered, and the certificate and label it ends in.

use super::{Tab, editor, enterprise, keys, not_found, render_status};
use crate::AppState;
use crate::web::check_text::check_detail;
use crate::web::{Page, WebError, render, see_other};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::collections::HashMap;
use zuji_store::{
    ApplicationFilter, ApplicationInput, OrgKind, PageRequest, ProductFilter, StoreError,
};
use zuji_trust::certification::{
    ApplicationAction, ApplicationStatus, FootprintVerification, SupportingDocument,
};

/// Names of organisations by id: the certification bodies (any member may see them)
/// and the caller's own organisation.
async fn org_names(s: &AppState, page: &Page) -> Result<HashMap<i64, String>, WebError> {
    let orgs = s
        .store
        .list_orgs(
            &page.viewer,
            None,
            PageRequest::new(0, PageRequest::MAX_LIMIT),
        )
        .await
        .map_err(|e| page.error(e))?;
    Ok(orgs.items.into_iter().map(|o| (o.id, o.name)).collect())
}

async fn product_names(
    s: &AppState,
    page: &Page,
    org: i64,
) -> Result<HashMap<i64, String>, WebError> {
    let products = s
        .store
        .list_products(
            &page.viewer,
            &ProductFilter {
                org_id: Some(org),
                ..Default::default()
            },
            PageRequest::new(0, PageRequest::MAX_LIMIT),
        )
        .await
        .map_err(|e| page.error(e))?;
    Ok(products.items.into_iter().map(|p| (p.id, p.name)).collect())
}

pub struct ApplicationRow {
    pub id: String,
    pub product_id: i64,
    pub product: String,
    pub pcr: String,
    pub body: String,
    pub status: String,
    pub badge: &'static str,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "web/workspace/applications.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    rows: Vec<ApplicationRow>,
}

pub async fn list(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let apps = s
        .store
        .list_applications(
            &page.viewer,
            &ApplicationFilter::default(),
            PageRequest::new(0, PageRequest::MAX_LIMIT),
        )
        .await
        .map_err(|e| page.error(e))?;
    let orgs = org_names(&s, &page).await?;
    let products = product_names(&s, &page, user.org_id).await?;
    let rows = apps
        .items
        .iter()
        .rev()
        .map(|a| ApplicationRow {
            id: a.id.clone(),
            product_id: a.product_id,
            product: products
                .get(&a.product_id)
                .cloned()
                .unwrap_or_else(|| format!("#{}", a.product_id)),
            pcr: format!("{} {}", a.application.pcr().id, a.application.pcr().version),
            body: orgs
                .get(&a.certification_body_org_id)
                .cloned()
                .unwrap_or_else(|| format!("#{}", a.certification_body_org_id)),
            status: page.t(keys::application_status(a.status)).to_string(),
            badge: keys::application_badge(a.status),
            updated: page.datetime_ms(a.updated_at),
        })
        .collect();
    render(
        &page,
        &ListTemplate {
            page: &page,
            tab: Tab::Applications,
            rows,
        },
    )
}

// ---------------------------------------------------------------------------------
// Applying

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    footprint_id: Option<i64>,
}

/// An option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A mandatory PCR requirement the footprint misses, as the apply page lists it.
struct BlockingItem {
    key: String,
    detail: String,
    /// The detail is the English sentence (no localized message): marked `lang="en"`.
    detail_en: bool,
}

impl BlockingItem {
    fn of(page: &Page, item: &zuji_trust::conformance::CheckItem) -> BlockingItem {
        let (detail, localized) = check_detail(&page.tr, item);
        BlockingItem {
            key: item.key.clone(),
            detail,
            detail_en: !localized,
        }
    }
}

#[derive(Template)]
#[template(path = "web/workspace/apply.html")]
struct ApplyTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    footprint_id: i64,
    product_id: i64,
    product_name: String,
    total: String,
    bodies: Vec<Choice>,
    pcrs: Vec<Choice>,
    /// Mandatory PCR items the footprint misses under the preselected PCR.
    blocking: Vec<BlockingItem>,
    documents: String,
    problems: Vec<String>,
}

/// Parses supporting documents, one per line as `sha256sum` prints them
/// (`<64 hex digits>  <name>`); problems name the line.
fn parse_documents(page: &Page, text: &str) -> Result<Vec<SupportingDocument>, Vec<String>> {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parsed = line
            .split_once(char::is_whitespace)
            .and_then(|(hash, name)| {
                let name = name.trim().trim_start_matches('*').trim();
                (hash.len() == 64
                    && hash.chars().all(|c| c.is_ascii_hexdigit())
                    && !name.is_empty())
                .then(|| SupportingDocument {
                    name: name.to_string(),
                    sha256: hash.to_ascii_lowercase(),
                })
            });
        match parsed {
            Some(d) => docs.push(d),
            None => problems.push(page.tf(
                "ws.apply.bad_document",
                &[("line", &(n + 1).to_string()), ("text", line)],
            )),
        }
    }
    if problems.is_empty() {
        Ok(docs)
    } else {
        Err(problems)
    }
}

#[allow(clippy::too_many_arguments)]
async fn apply_form(
    s: &AppState,
    page: &Page,
    footprint_id: i64,
    body: Option<i64>,
    pcr: Option<&str>,
    documents: String,
    problems: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let user = editor(page)?;
    let e = |e| page.error(e);
    let f = s
        .store
        .get_footprint(&page.viewer, footprint_id)
        .await
        .map_err(e)?;
    let product = s
        .store
        .get_product(&page.viewer, f.product_id)
        .await
        .map_err(e)?;
    if f.summary_only || product.org_id != user.org_id {
        return Err(not_found(page));
    }
    let model_pcr = f
        .result
        .get("product")
        .and_then(|p| p.get("pcr"))
        .and_then(|p| p.as_str())
        .map(str::to_string);
    let chosen_pcr = pcr.map(str::to_string).or(model_pcr);
    let certifiers = s
        .store
        .list_orgs(
            &page.viewer,
            Some(OrgKind::Certifier),
            PageRequest::new(0, PageRequest::MAX_LIMIT),
        )
        .await
        .map_err(e)?;
    let bodies = certifiers
        .items
        .iter()
        .map(|o| Choice {
            value: o.id.to_string(),
            label: o.name.clone(),
            selected: body == Some(o.id),
        })
        .collect();
    let mut stored = s
        .store
        .list_pcrs(Some(&product.category), None)
        .await
        .map_err(e)?;
    if stored.is_empty() {
        stored = s.store.list_pcrs(None, None).await.map_err(e)?;
    }
    let title = |t: &zuji_trust::pcr::Title| match page.lang() {
        "zh-Hans" => t.zh_hans.clone(),
        "zh-Hant" => t.zh_hant.clone(),
        _ => t.en.clone(),
    };
    let pcrs = stored
        .iter()
        .map(|p| Choice {
            value: p.pcr.id.clone(),
            label: format!("{} · {} ({})", title(&p.pcr.title), p.pcr.id, p.pcr.version),
            selected: chosen_pcr.as_deref() == Some(p.pcr.id.as_str()),
        })
        .collect();
    let blocking = match chosen_pcr.as_deref() {
        Some(pcr) => match s
            .store
            .pcr_check(&page.viewer, footprint_id, pcr, None)
            .await
        {
            Ok(report) => report
                .blocking()
                .iter()
                .map(|i| BlockingItem::of(page, i))
                .collect(),
            Err(_) => Vec::new(),
        },
        None => Vec::new(),
    };
    render_status(
        page,
        &ApplyTemplate {
            page,
            tab: Tab::Applications,
            footprint_id,
            product_id: product.id,
            product_name: product.name.clone(),
            total: super::total_text(page, f.total),
            bodies,
            pcrs,
            blocking,
            documents,
            problems,
        },
        status,
    )
}

pub async fn new_form(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let Some(fid) = q.footprint_id else {
        return Err(WebError::status(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ws.apply.choose_footprint",
        ));
    };
    apply_form(
        &s,
        &page,
        fid,
        None,
        None,
        String::new(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    footprint_id: String,
    #[serde(default)]
    certification_body_org_id: String,
    #[serde(default)]
    pcr_id: String,
    #[serde(default)]
    documents: String,
}

pub async fn create(
    State(s): State<AppState>,
    page: Page,
    Form(f): Form<ApplyForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let fid: i64 = f.footprint_id.trim().parse().map_err(|_| {
        WebError::status(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ws.apply.choose_footprint",
        )
    })?;
    let body = f.certification_body_org_id.trim().parse::<i64>().ok();
    let pcr = f.pcr_id.trim();
    let mut problems = Vec::new();
    if body.is_none() {
        problems.push(page.t("ws.apply.choose_body").to_string());
    }
    if pcr.is_empty() {
        problems.push(page.t("ws.apply.choose_pcr").to_string());
    }
    let documents = match parse_documents(&page, &f.documents) {
        Ok(d) => d,
        Err(p) => {
            problems.extend(p);
            Vec::new()
        }
    };
    let again = |problems: Vec<String>| {
        apply_form(
            &s,
            &page,
            fid,
            body,
            (!pcr.is_empty()).then_some(pcr),
            f.documents.clone(),
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some(body) = body.filter(|_| problems.is_empty()) else {
        return again(problems).await;
    };
    match s
        .store
        .apply_for_certification(
            &page.viewer,
            ApplicationInput {
                footprint_id: fid,
                certification_body_org_id: body,
                pcr_id: pcr.to_string(),
                pcr_version: None,
                documents,
                previous_certificate_id: None,
            },
        )
        .await
    {
        Ok(app) => Ok(see_other(&format!("/app/applications/{}", app.id))),
        Err(e @ StoreError::Invalid { .. }) => again(vec![e.to_string()]).await,
        Err(e) => Err(page.error(e)),
    }
}

// ---------------------------------------------------------------------------------
// One application

pub struct HistoryRow {
    pub at: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub reason: String,
    pub by: String,
}

pub struct FindingRow {
    pub id: String,
    pub severity: String,
    pub clause: String,
    pub text: String,
    pub status: String,
    pub open: bool,
    pub resolution: String,
}

pub struct VisitRow {
    pub date: String,
    pub site: String,
    pub auditor: String,
    pub notes: String,
}

pub struct LabelRow {
    pub id: String,
    pub value: String,
    pub grade: String,
}

pub struct CertificateView {
    pub id: String,
    pub status: String,
    pub badge: &'static str,
    pub issued: String,
    pub valid_until: String,
    pub labels: Vec<LabelRow>,
}

#[derive(Template)]
#[template(path = "web/workspace/application.html")]
struct ApplicationTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    id: &'a str,
    status: String,
    badge: &'static str,
    product_id: i64,
    product: String,
    version: i64,
    fingerprint: String,
    pcr: String,
    body: String,
    documents: Vec<(String, String)>,
    verification: String,
    corrections_reason: Option<String>,
    history: Vec<HistoryRow>,
    findings: Vec<FindingRow>,
    visits: Vec<VisitRow>,
    certificate: Option<CertificateView>,
    decision_reason: Option<String>,
    can_respond: bool,
    can_withdraw: bool,
    versions: Vec<i64>,
    created: String,
}

async fn own_application(
    s: &AppState,
    page: &Page,
    id: &str,
) -> Result<zuji_store::StoredApplication, WebError> {
    let user = enterprise(page)?;
    let app = s
        .store
        .get_application(&page.viewer, id)
        .await
        .map_err(|e| page.error(e))?;
    if app.enterprise_org_id != user.org_id {
        return Err(not_found(page));
    }
    Ok(app)
}

pub async fn show(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let stored = own_application(&s, &page, &id).await?;
    let e = |e| page.error(e);
    let a = &stored.application;
    let orgs = org_names(&s, &page).await?;
    let org_name = |text: &str| {
        text.parse::<i64>()
            .ok()
            .and_then(|i| orgs.get(&i).cloned())
            .unwrap_or_else(|| text.to_string())
    };
    let product = s
        .store
        .get_product(&page.viewer, stored.product_id)
        .await
        .map_err(e)?;
    let versions = s
        .store
        .list_model_versions(&page.viewer, stored.product_id)
        .await
        .map_err(e)?;
    let version = versions
        .iter()
        .find(|v| v.id == stored.model_version_id)
        .map_or(0, |v| v.version);
    let status_text = |st: ApplicationStatus| page.t(keys::application_status(st)).to_string();
    let history = a
        .history()
        .iter()
        .map(|h| HistoryRow {
            at: page.datetime_ms(h.at.unix_seconds().saturating_mul(1000)),
            action: page.t(keys::history_action(&h.action)).to_string(),
            from: h.from.map(status_text).unwrap_or_default(),
            to: status_text(h.to),
            reason: h.reason.clone(),
            by: org_name(&h.actor.org_id),
        })
        .collect();
    let corrections_reason = (stored.status == ApplicationStatus::CorrectionsRequested)
        .then(|| {
            a.history()
                .iter()
                .rev()
                .find(|h| h.action == "request_corrections")
                .map(|h| h.reason.clone())
        })
        .flatten();
    let findings = a
        .findings()
        .iter()
        .map(|f| FindingRow {
            id: f.id.clone(),
            severity: page.t(keys::finding_severity(f.severity)).to_string(),
            clause: f.clause.clone(),
            text: f.text.clone(),
            status: page.t(keys::finding_status(f.status)).to_string(),
            open: f.status == zuji_trust::certification::FindingStatus::Open,
            resolution: f.resolution.clone().unwrap_or_default(),
        })
        .collect();
    let visits = a
        .on_site_visits()
        .iter()
        .map(|v| VisitRow {
            date: crate::web::i18n::format_date(
                page.tr.lang,
                v.date.year(),
                v.date.month(),
                v.date.day(),
            ),
            site: v.site.clone(),
            auditor: v.auditor.clone(),
            notes: v.notes.clone(),
        })
        .collect();
    let verification = match a.verification() {
        FootprintVerification::NotVerified => page.t("ws.verification.not_verified").to_string(),
        FootprintVerification::Verified { at, .. } => page.tf(
            "ws.verification.verified",
            &[("date", &page.date_s(at.unix_seconds()))],
        ),
        FootprintVerification::Mismatch {
            recomputed,
            finding_id,
            ..
        } => page.tf(
            "ws.verification.mismatch",
            &[("fingerprint", recomputed), ("finding", finding_id)],
        ),
    };
    let certificate = match a.certificate_id() {
        None => None,
        Some(cid) => {
            let c = s
                .store
                .get_certificate(&page.viewer, cid)
                .await
                .map_err(e)?;
            let labels = s
                .store
                .list_labels(Some(cid), None, None, PageRequest::new(0, 20))
                .await
                .map_err(e)?
                .items
                .into_iter()
                .map(|l| LabelRow {
                    value: page.label_value(&l.statement),
                    grade: l
                        .statement
                        .grade
                        .as_ref()
                        .map(|g| g.grade.clone())
                        .unwrap_or_default(),
                    id: l.id,
                })
                .collect();
            Some(CertificateView {
                id: c.id.clone(),
                status: page.t(keys::certificate_status(c.status)).to_string(),
                badge: keys::certificate_badge(c.status),
                issued: page.date_ms(c.issued_at),
                valid_until: page.date_ms(c.valid_until),
                labels,
            })
        }
    };
    let can_edit = user.can_edit();
    render(
        &page,
        &ApplicationTemplate {
            page: &page,
            tab: Tab::Applications,
            id: &stored.id,
            status: status_text(stored.status),
            badge: keys::application_badge(stored.status),
            product_id: stored.product_id,
            product: product.name.clone(),
            version,
            fingerprint: a.footprint_fingerprint().to_string(),
            pcr: format!("{} {}", a.pcr().id, a.pcr().version),
            body: orgs
                .get(&stored.certification_body_org_id)
                .cloned()
                .unwrap_or_else(|| format!("#{}", stored.certification_body_org_id)),
            documents: a
                .documents()
                .iter()
                .map(|d| (d.name.clone(), d.sha256.clone()))
                .collect(),
            verification,
            corrections_reason,
            history,
            findings,
            visits,
            certificate,
            decision_reason: a.decision_reason().map(str::to_string),
            can_respond: can_edit && stored.status == ApplicationStatus::CorrectionsRequested,
            can_withdraw: can_edit && !stored.status.is_final(),
            versions: versions.iter().rev().map(|v| v.version).collect(),
            created: page.datetime_ms(stored.created_at),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct RespondForm {
    #[serde(default)]
    note: String,
    /// A corrected model version's number (its newest footprint is taken).
    #[serde(default)]
    version: String,
    #[serde(default)]
    documents: String,
}

fn invalid(page: &Page, message: String) -> WebError {
    WebError::message(page, StatusCode::UNPROCESSABLE_ENTITY, message)
}

pub async fn respond(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(f): Form<RespondForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let stored = own_application(&s, &page, &id).await?;
    if f.note.trim().is_empty() {
        return Err(invalid(&page, page.t("ws.apply.note_required").to_string()));
    }
    let model_version_id = match f.version.trim() {
        "" => None,
        t => {
            let n: i64 = t
                .parse()
                .map_err(|_| invalid(&page, page.tf("ws.compute.bad_version", &[("value", t)])))?;
            let v = s
                .store
                .get_model_version(&page.viewer, stored.product_id, n)
                .await
                .map_err(|e| page.error(e))?;
            Some(v.id.to_string())
        }
    };
    let documents =
        parse_documents(&page, &f.documents).map_err(|p| invalid(&page, p.join("\n")))?;
    s.store
        .act_on_application(
            &page.viewer,
            &id,
            ApplicationAction::RespondToCorrections {
                model_version_id,
                footprint_fingerprint: None,
                documents,
                note: f.note.trim().to_string(),
            },
        )
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other(&format!("/app/applications/{id}")))
}

#[derive(Debug, Default, Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    reason: String,
}

pub async fn withdraw(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(f): Form<WithdrawForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    own_application(&s, &page, &id).await?;
    if f.reason.trim().is_empty() {
        return Err(invalid(
            &page,
            page.t("ws.apply.reason_required").to_string(),
        ));
    }
    s.store
        .act_on_application(
            &page.viewer,
            &id,
            ApplicationAction::Withdraw {
                reason: f.reason.trim().to_string(),
            },
        )
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other(&format!("/app/applications/{id}")))
}
