//! The certification body's desk (`/desk/certification`, organisations of kind
//! certifier): the queue of applications made to the body, one application's review
//! (the footprint, its PCR check, documents, findings, the recomputation that checks the
//! fingerprint, the decision, the label), and the body's certificates with their
//! surveillance calendar and suspension, withdrawal and reinstatement.
//!
//! Actions are the API's: `Store::act_on_application` with the same action bodies as
//! `POST /api/v1/certification/applications/{id}/actions`,
//! `Store::request_footprint_verification` (a recomputation job, as
//! `POST …/verification`), `Store::issue_label` (as `POST /api/v1/labels`) and
//! `Store::act_on_certificate` (as `POST /api/v1/certificates/{id}/actions`).

use super::{
    Notice, action_key, application_status_class, application_status_key, certificate_status_class,
    certificate_status_key, month_label, refusal, required, severity_key, short, stage_key,
    with_status,
};
use crate::AppState;
use crate::web::chart::{bar_chart_html, bar_rows};
use crate::web::{Page, WebError, render, see_other};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use zuji_calc::footprint::FootprintResult;
use zuji_store::statistics::{ApplicationReview, BodyCertificate, days_between};
use zuji_store::{JobStatus, OrgKind, StoredCertificate};
use zuji_trust::certification::{
    ApplicationAction, ApplicationStatus, CertificateAction, CertificateStatus, FindingStatus,
    FootprintVerification, OrgKind as TrustOrgKind, Timestamp,
};
use zuji_trust::conformance::{Outcome, Severity};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk/certification", get(queue))
        .route("/desk/certification/applications/{id}", get(application))
        .route("/desk/certification/applications/{id}/actions", post(act))
        .route(
            "/desk/certification/applications/{id}/verification",
            post(verify),
        )
        .route(
            "/desk/certification/applications/{id}/label",
            post(issue_label),
        )
        .route("/desk/certification/certificates", get(certificates))
        .route(
            "/desk/certification/certificates/{id}/actions",
            post(act_on_certificate),
        )
}

#[derive(Debug, Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

// ---------------------------------------------------------------------------------
// The queue

struct QueueRowView {
    id: String,
    product: String,
    enterprise: String,
    pcr: String,
    applied: String,
    days: String,
    status_code: &'static str,
    status_text: String,
    status_class: &'static str,
    /// For an application under review: whether its footprint is verified (empty
    /// otherwise).
    verification_text: String,
    verification_class: &'static str,
}

struct QueueGroup {
    title: String,
    rows: Vec<QueueRowView>,
}

#[derive(Template)]
#[template(path = "web/desk/certification/queue.html")]
struct QueueTemplate<'a> {
    page: &'a Page,
    intro: String,
    groups: Vec<QueueGroup>,
    empty: bool,
}

async fn queue(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    let user = page.require_kind(OrgKind::Certifier)?.clone();
    let entries = s
        .store
        .certification_queue(&page.viewer)
        .await
        .map_err(|e| page.error(e))?;
    let now = zuji_store::now_ms();
    let order = [
        (ApplicationStatus::Submitted, "desk.queue.submitted"),
        (ApplicationStatus::UnderReview, "desk.queue.under_review"),
        (
            ApplicationStatus::CorrectionsRequested,
            "desk.queue.corrections_requested",
        ),
    ];
    let mut groups = Vec::new();
    let row = |e: &zuji_store::statistics::QueueEntry| {
        let a = &e.application;
        let (verification_text, verification_class) = if a.status == ApplicationStatus::UnderReview
        {
            match a.application.verification() {
                FootprintVerification::Verified { .. } => (
                    page.t("desk.verification.short_match").to_string(),
                    "badge good",
                ),
                FootprintVerification::Mismatch { .. } => (
                    page.t("desk.verification.short_mismatch").to_string(),
                    "badge bad",
                ),
                FootprintVerification::NotVerified => (
                    page.t("desk.verification.short_not_verified").to_string(),
                    "badge",
                ),
            }
        } else {
            (String::new(), "badge")
        };
        QueueRowView {
            id: a.id.clone(),
            product: e.product_name.clone(),
            enterprise: e.enterprise_name.clone(),
            pcr: format!("{} {}", a.application.pcr().id, a.application.pcr().version),
            applied: page.date_ms(a.created_at),
            days: page.num(days_between(a.created_at, now) as f64, 0),
            status_code: a.status.as_str(),
            status_text: page.t(application_status_key(a.status)).to_string(),
            status_class: application_status_class(a.status),
            verification_text,
            verification_class,
        }
    };
    for (status, key) in order {
        let rows: Vec<QueueRowView> = entries
            .iter()
            .filter(|e| e.application.status == status)
            .map(row)
            .collect();
        if !rows.is_empty() {
            groups.push(QueueGroup {
                title: page.t(key).to_string(),
                rows,
            });
        }
    }
    // Decided applications, the most recent decisions first.
    let mut decided: Vec<&zuji_store::statistics::QueueEntry> = entries
        .iter()
        .filter(|e| e.application.status.is_final())
        .collect();
    decided.sort_by_key(|e| std::cmp::Reverse(e.application.updated_at));
    if !decided.is_empty() {
        groups.push(QueueGroup {
            title: page.t("desk.queue.decided").to_string(),
            rows: decided.into_iter().take(50).map(row).collect(),
        });
    }
    let empty = groups.is_empty();
    render(
        &page,
        &QueueTemplate {
            page: &page,
            intro: page.tf("desk.queue.intro", &[("body", &user.org_name)]),
            groups,
            empty,
        },
    )
}

// ---------------------------------------------------------------------------------
// One application

struct DbView {
    name: String,
    version: String,
    sha: String,
    sha_short: String,
}

struct FootprintView {
    id: i64,
    total: String,
    unit: String,
    fingerprint: String,
    computed: String,
    stages_html: String,
    data_quality: String,
    coverage: String,
    primary_share: String,
    databases: Vec<DbView>,
}

struct CheckItemView {
    key: String,
    mandatory: bool,
    severity_text: String,
    met: bool,
    outcome_text: String,
    detail: String,
}

struct CheckView {
    pcr: String,
    summary: String,
    blocking: bool,
    items: Vec<CheckItemView>,
}

struct VerificationView {
    /// `running`, `match`, `mismatch`, `failed` or `not_verified`.
    state: &'static str,
    text: String,
    class: &'static str,
    applied: String,
    recomputed: String,
    error: String,
}

struct FindingView {
    id: String,
    severity: String,
    major: bool,
    clause: String,
    text: String,
    open: bool,
    status_text: String,
    raised: String,
    resolution: String,
}

struct VisitView {
    date: String,
    site: String,
    auditor: String,
    notes: String,
}

struct HistoryView {
    at: String,
    who: String,
    action: String,
    to: String,
    /// What a person wrote (a request for corrections, a rejection, a withdrawal).
    reason: String,
    /// The record the state machine wrote for the other actions (in English).
    record: String,
}

struct DocView {
    name: String,
    sha256: String,
}

struct CertView {
    id: String,
    status_code: &'static str,
    status_text: String,
    status_class: &'static str,
    issued: String,
    valid_until: String,
    valid: bool,
}

struct LabelView {
    id: String,
    value: String,
    grade: String,
    issued: String,
}

struct AppView {
    id: String,
    product: String,
    product_id: i64,
    enterprise: String,
    body: String,
    status_code: &'static str,
    status_text: String,
    status_class: &'static str,
    pcr: String,
    model_version_id: i64,
    applied: String,
    updated: String,
    document_review_done: bool,
    previous_certificate: String,
    footprint: Option<FootprintView>,
    check: Option<CheckView>,
    documents: Vec<DocView>,
    verification: VerificationView,
    findings: Vec<FindingView>,
    visits: Vec<VisitView>,
    history: Vec<HistoryView>,
    decision_reason: String,
    /// The signed-in user acts for the body named in the application.
    can_act: bool,
    submitted: bool,
    under_review: bool,
    corrections: bool,
    is_final: bool,
    blockers: Vec<String>,
    certificate: Option<CertView>,
    labels: Vec<LabelView>,
}

#[derive(Template)]
#[template(path = "web/desk/certification/application.html")]
struct ApplicationTemplate<'a> {
    page: &'a Page,
    notice: Option<Notice>,
    v: AppView,
}

fn trust_kind_key(k: TrustOrgKind) -> &'static str {
    match k {
        TrustOrgKind::Enterprise => "org.kind.enterprise",
        TrustOrgKind::Certifier => "org.kind.certifier",
        TrustOrgKind::Registry => "org.kind.registry",
    }
}

fn footprint_view(page: &Page, r: &ApplicationReview) -> Option<FootprintView> {
    let f = r.footprint.as_ref()?;
    let result: Option<FootprintResult> = serde_json::from_value(f.result.clone()).ok();
    let (unit, stages_html, data_quality, coverage, primary_share) = match &result {
        Some(res) => {
            let rows: Vec<(String, f64)> = res
                .by_stage
                .iter()
                .map(|st| (page.t(stage_key(st.stage)).to_string(), st.value))
                .collect();
            (
                res.product.declared_unit.clone(),
                bar_chart_html(&bar_rows(&rows, &page.tr), page.t("desk.review.by_stage")),
                match res.data_quality.rating {
                    Some(r) => page.num(r, 2),
                    None => page.t("common.not_reported").to_string(),
                },
                page.pct(res.data_quality.coverage),
                page.pct(res.primary_data_share),
            )
        }
        None => (
            String::new(),
            String::new(),
            page.t("common.not_reported").to_string(),
            String::new(),
            String::new(),
        ),
    };
    Some(FootprintView {
        id: f.id,
        total: page.sig(f.total),
        unit,
        fingerprint: f.fingerprint.clone(),
        computed: page.datetime_ms(f.created_at),
        stages_html,
        data_quality,
        coverage,
        primary_share,
        databases: r
            .databases
            .iter()
            .map(|d| DbView {
                name: d.name.clone(),
                version: d.version.clone(),
                sha: d.sha256.clone(),
                sha_short: short(&d.sha256, 12),
            })
            .collect(),
    })
}

fn check_view(page: &Page, r: &ApplicationReview) -> Option<CheckView> {
    let c = r.pcr_check.as_ref()?;
    let blocking = c.blocking().len();
    Some(CheckView {
        pcr: format!("{} {}", c.pcr_id, c.pcr_version),
        summary: if blocking == 0 {
            page.t("desk.check.none_missed").to_string()
        } else {
            page.tf("desk.check.missed", &[("n", &blocking.to_string())])
        },
        blocking: blocking > 0,
        items: c
            .items
            .iter()
            .map(|i| CheckItemView {
                key: i.key.clone(),
                mandatory: i.severity == Severity::Mandatory,
                severity_text: page
                    .t(match i.severity {
                        Severity::Mandatory => "desk.check.mandatory",
                        Severity::Advisory => "desk.check.advisory",
                    })
                    .to_string(),
                met: i.outcome == Outcome::Met,
                outcome_text: page
                    .t(match i.outcome {
                        Outcome::Met => "desk.check.met",
                        Outcome::Missed => "desk.check.missed_item",
                    })
                    .to_string(),
                detail: i.detail.clone(),
            })
            .collect(),
    })
}

fn verification_view(page: &Page, r: &ApplicationReview) -> VerificationView {
    let app = &r.application.application;
    let job = r.verification_job.as_ref();
    let running = job.is_some_and(|j| matches!(j.status, JobStatus::Queued | JobStatus::Running));
    let mut v = VerificationView {
        state: "not_verified",
        text: page.t("desk.verification.not_verified").to_string(),
        class: "notice",
        applied: app.footprint_fingerprint().to_string(),
        recomputed: String::new(),
        error: String::new(),
    };
    if running {
        v.state = "running";
        v.text = page.t("desk.verification.running").to_string();
        v.class = "notice warn";
        return v;
    }
    match app.verification() {
        FootprintVerification::Verified { fingerprint, at } => {
            v.state = "match";
            v.text = page.tf(
                "desk.verification.match",
                &[("date", &page.date_s(at.unix_seconds()))],
            );
            v.class = "notice good";
            v.recomputed = fingerprint.clone();
        }
        FootprintVerification::Mismatch {
            applied,
            recomputed,
            ..
        } => {
            v.state = "mismatch";
            v.text = page.t("desk.verification.mismatch").to_string();
            v.class = "notice bad";
            v.applied = applied.clone();
            v.recomputed = recomputed.clone();
        }
        FootprintVerification::NotVerified => {
            if let Some(j) = job.filter(|j| j.status == JobStatus::Failed) {
                v.state = "failed";
                v.text = page.t("desk.verification.failed").to_string();
                v.class = "notice bad";
                v.error = j.last_error.clone().unwrap_or_default();
            }
        }
    }
    v
}

fn cert_view(page: &Page, c: &StoredCertificate) -> CertView {
    CertView {
        id: c.id.clone(),
        status_code: c.status.as_str(),
        status_text: page.t(certificate_status_key(c.status)).to_string(),
        status_class: certificate_status_class(c.status),
        issued: page.date_ms(c.issued_at),
        valid_until: page.date_ms(c.valid_until),
        valid: c.status == CertificateStatus::Valid,
    }
}

fn application_view(page: &Page, r: &ApplicationReview) -> AppView {
    let stored = &r.application;
    let app = &stored.application;
    let status = stored.status;
    let missed: Vec<String> = r
        .pcr_check
        .as_ref()
        .map(|c| {
            c.blocking()
                .iter()
                .map(|i| format!("{}: {}", i.key, i.detail))
                .collect()
        })
        .unwrap_or_default();
    let blockers = if status == ApplicationStatus::UnderReview {
        app.approval_blockers(&missed)
            .iter()
            .map(|b| blocker_text(page, b))
            .collect()
    } else {
        Vec::new()
    };
    let can_act = page
        .user
        .as_ref()
        .is_some_and(|u| u.org_id == stored.certification_body_org_id && u.can_edit());
    AppView {
        id: stored.id.clone(),
        product: r.product_name.clone(),
        product_id: stored.product_id,
        enterprise: r.enterprise_name.clone(),
        body: r.body_name.clone(),
        status_code: status.as_str(),
        status_text: page.t(application_status_key(status)).to_string(),
        status_class: application_status_class(status),
        pcr: format!("{} {}", app.pcr().id, app.pcr().version),
        model_version_id: stored.model_version_id,
        applied: page.datetime_ms(stored.created_at),
        updated: page.datetime_ms(stored.updated_at),
        document_review_done: app.document_review_done(),
        previous_certificate: app
            .previous_certificate_id()
            .unwrap_or_default()
            .to_string(),
        footprint: footprint_view(page, r),
        check: check_view(page, r),
        documents: app
            .documents()
            .iter()
            .map(|d| DocView {
                name: d.name.clone(),
                sha256: d.sha256.clone(),
            })
            .collect(),
        verification: verification_view(page, r),
        findings: app
            .findings()
            .iter()
            .map(|f| FindingView {
                id: f.id.clone(),
                severity: page.t(severity_key(f.severity)).to_string(),
                major: f.severity == zuji_trust::certification::FindingSeverity::Major,
                clause: f.clause.clone(),
                text: f.text.clone(),
                open: f.status == FindingStatus::Open,
                status_text: page
                    .t(match f.status {
                        FindingStatus::Open => "desk.finding.open",
                        FindingStatus::Closed => "desk.finding.closed",
                    })
                    .to_string(),
                raised: page.date_s(f.raised_at.unix_seconds()),
                resolution: f.resolution.clone().unwrap_or_default(),
            })
            .collect(),
        visits: app
            .on_site_visits()
            .iter()
            .map(|v| VisitView {
                date: v.date.to_string(),
                site: v.site.clone(),
                auditor: v.auditor.clone(),
                notes: v.notes.clone(),
            })
            .collect(),
        history: app
            .history()
            .iter()
            .map(|h| HistoryView {
                at: page.datetime_ms(h.at.unix_seconds().saturating_mul(1000)),
                who: page.t(trust_kind_key(h.actor.org_kind)).to_string(),
                action: match action_key(&h.action) {
                    Some(k) => page.t(k).to_string(),
                    None => h.action.clone(),
                },
                to: page.t(application_status_key(h.to)).to_string(),
                reason: if written_by_person(&h.action) {
                    h.reason.clone()
                } else {
                    String::new()
                },
                record: if written_by_person(&h.action) {
                    String::new()
                } else {
                    h.reason.clone()
                },
            })
            .collect(),
        // A rejection's reason is the body's own words; an approval's is the state
        // machine's record, which the certificate card says better.
        decision_reason: if status == ApplicationStatus::Rejected {
            app.decision_reason().unwrap_or_default().to_string()
        } else {
            String::new()
        },
        can_act,
        submitted: status == ApplicationStatus::Submitted,
        under_review: status == ApplicationStatus::UnderReview,
        corrections: status == ApplicationStatus::CorrectionsRequested,
        is_final: status.is_final(),
        blockers,
        certificate: r.certificate.as_ref().map(|c| cert_view(page, c)),
        labels: r
            .labels
            .iter()
            .map(|l| LabelView {
                id: l.id.clone(),
                value: page.label_value(&l.statement),
                grade: l
                    .statement
                    .grade
                    .as_ref()
                    .map(|g| g.grade.clone())
                    .unwrap_or_default(),
                issued: page.date_ms(l.created_at),
            })
            .collect(),
    }
}

/// Whether a history entry's reason is the text a person gave (shown as it is), not a
/// record the state machine wrote in English.
fn written_by_person(action: &str) -> bool {
    matches!(action, "request_corrections" | "reject" | "withdraw")
}

fn blocker_text(page: &Page, b: &zuji_trust::certification::ApprovalBlocker) -> String {
    use zuji_trust::certification::ApprovalBlocker as B;
    match b {
        B::DocumentReviewNotDone => page.t("desk.blocker.document_review").to_string(),
        B::OpenMajorFindings { finding_ids } => page.tf(
            "desk.blocker.open_major_findings",
            &[("ids", &finding_ids.join(", "))],
        ),
        B::FootprintNotVerified => page.t("desk.blocker.not_verified").to_string(),
        B::FootprintMismatch { .. } => page.t("desk.blocker.mismatch").to_string(),
        B::ConformanceBlocking { missed } => {
            page.tf("desk.blocker.conformance", &[("items", &missed.join("; "))])
        }
        B::OnSiteVisitMissing => page.t("desk.blocker.on_site_visit").to_string(),
        B::RecertificationNeedsPreviousCertificate {
            previous_certificate_id,
        } => page.tf(
            "desk.blocker.recertification",
            &[("id", previous_certificate_id)],
        ),
    }
}

fn done_text(page: &Page, done: Option<&str>) -> Option<Notice> {
    let key = match done? {
        "start_document_review" => "desk.done.start_document_review",
        "complete_document_review" => "desk.done.complete_document_review",
        "record_finding" => "desk.done.record_finding",
        "close_finding" => "desk.done.close_finding",
        "request_corrections" => "desk.done.request_corrections",
        "record_on_site_visit" => "desk.done.record_on_site_visit",
        "approve" => "desk.done.approve",
        "reject" => "desk.done.reject",
        "verification" => "desk.done.verification",
        "label" => "desk.done.label",
        "suspend" => "desk.done.suspend",
        "withdraw" => "desk.done.withdraw",
        "reinstate" => "desk.done.reinstate",
        _ => return None,
    };
    Some(Notice::good(page.t(key)))
}

async fn show_application(
    s: &AppState,
    page: &Page,
    id: &str,
    notice: Option<Notice>,
) -> Result<Response, WebError> {
    let review = s
        .store
        .application_review(&page.viewer, id)
        .await
        .map_err(|e| page.error(e))?;
    render(
        page,
        &ApplicationTemplate {
            page,
            notice,
            v: application_view(page, &review),
        },
    )
}

async fn application(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Certifier)?;
    let notice = done_text(&page, q.done.as_deref());
    show_application(&s, &page, &id, notice).await
}

/// An action form: `action` and the fields that action takes.
#[derive(Debug, Deserialize)]
struct ActionForm {
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    clause: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    finding_id: String,
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    auditor: String,
    #[serde(default)]
    notes: String,
}

/// The API's action body for a form, or the message naming what is missing.
fn action_body(page: &Page, f: &ActionForm) -> Result<Value, String> {
    let need = |value: &str, label_key: &'static str| -> Result<String, String> {
        let v = value.trim();
        if v.is_empty() {
            Err(required(page, page.t(label_key)))
        } else {
            Ok(v.to_string())
        }
    };
    Ok(match f.action.as_str() {
        "start_document_review" => json!({"action": "start_document_review"}),
        "complete_document_review" => {
            json!({"action": "complete_document_review", "note": f.note.trim()})
        }
        "record_finding" => json!({
            "action": "record_finding",
            "severity": need(&f.severity, "desk.form.severity")?,
            "clause": need(&f.clause, "desk.form.clause")?,
            "text": need(&f.text, "desk.form.finding_text")?,
        }),
        "close_finding" => json!({
            "action": "close_finding",
            "finding_id": need(&f.finding_id, "desk.form.finding")?,
            "resolution": need(&f.resolution, "desk.form.resolution")?,
        }),
        "request_corrections" => json!({
            "action": "request_corrections",
            "reason": need(&f.reason, "desk.form.corrections")?,
        }),
        "record_on_site_visit" => json!({
            "action": "record_on_site_visit",
            "date": need(&f.date, "desk.form.visit_date")?,
            "site": need(&f.site, "desk.form.site")?,
            "auditor": need(&f.auditor, "desk.form.auditor")?,
            "notes": f.notes.trim(),
        }),
        "approve" => json!({"action": "approve"}),
        "reject" => json!({
            "action": "reject",
            "reason": need(&f.reason, "desk.form.reject_reason")?,
        }),
        other => {
            return Err(page.tf("desk.form.unknown_action", &[("action", other)]));
        }
    })
}

async fn act(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Certifier)?;
    let refused = |status: StatusCode, msg: String| {
        let (s, page, id) = (s.clone(), page.clone(), id.clone());
        async move {
            show_application(&s, &page, &id, Some(Notice::bad(msg)))
                .await
                .map(|r| with_status(r, status))
        }
    };
    let body = match action_body(&page, &f) {
        Ok(b) => b,
        Err(msg) => return refused(StatusCode::UNPROCESSABLE_ENTITY, msg).await,
    };
    // Parsed as the API parses it, so a malformed field is named the same way.
    let action: ApplicationAction = match serde_json::from_value(body) {
        Ok(a) => a,
        Err(e) => {
            let msg = page.tf(
                "desk.refused",
                &[("field", "action"), ("problem", &e.to_string())],
            );
            return refused(StatusCode::UNPROCESSABLE_ENTITY, msg).await;
        }
    };
    let code = action.code();
    match s.store.act_on_application(&page.viewer, &id, action).await {
        Ok(_) => Ok(see_other(&format!(
            "/desk/certification/applications/{id}?done={code}"
        ))),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            refused(status, msg).await
        }
    }
}

async fn verify(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Certifier)?;
    match s
        .store
        .request_footprint_verification(&page.viewer, &id)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/desk/certification/applications/{id}?done=verification"
        ))),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            show_application(&s, &page, &id, Some(Notice::bad(msg)))
                .await
                .map(|r| with_status(r, status))
        }
    }
}

async fn issue_label(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Certifier)?;
    let stored = s
        .store
        .get_application(&page.viewer, &id)
        .await
        .map_err(|e| page.error(e))?;
    let Some(cert) = stored.application.certificate_id().map(str::to_string) else {
        return show_application(
            &s,
            &page,
            &id,
            Some(Notice::bad(page.t("desk.label.no_certificate"))),
        )
        .await
        .map(|r| with_status(r, StatusCode::UNPROCESSABLE_ENTITY));
    };
    match s.store.issue_label(&page.viewer, &cert).await {
        Ok(_) => {
            // As the API does: a signed tree head covers the label at once; a failure
            // leaves it to the server's next tick.
            if let Err(e) = s.store.publish_tree_head_if_grown().await {
                tracing::warn!(error = %e, "signing a tree head after issuing a label failed");
            }
            Ok(see_other(&format!(
                "/desk/certification/applications/{id}?done=label"
            )))
        }
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            show_application(&s, &page, &id, Some(Notice::bad(msg)))
                .await
                .map(|r| with_status(r, status))
        }
    }
}

// ---------------------------------------------------------------------------------
// Certificates and the surveillance calendar

struct CertRowView {
    id: String,
    product: String,
    holder: String,
    application_id: String,
    status_code: &'static str,
    status_text: String,
    status_class: &'static str,
    issued: String,
    valid_until: String,
    next_surveillance: String,
    overdue: bool,
    can_suspend: bool,
    can_withdraw: bool,
    can_reinstate: bool,
}

struct CalendarEvent {
    date: String,
    certificate: String,
    product: String,
    what: String,
}

struct CalendarMonth {
    label: String,
    events: Vec<CalendarEvent>,
}

#[derive(Template)]
#[template(path = "web/desk/certification/certificates.html")]
struct CertificatesTemplate<'a> {
    page: &'a Page,
    notice: Option<Notice>,
    rows: Vec<CertRowView>,
    overdue: Vec<CalendarEvent>,
    calendar: Vec<CalendarMonth>,
    can_act: bool,
}

fn certificate_rows(page: &Page, certs: &[BodyCertificate], now: i64) -> Vec<CertRowView> {
    certs
        .iter()
        .map(|b| {
            let c = &b.certificate;
            let record = c.certificate.as_ref();
            let open: Vec<&zuji_trust::certification::SurveillanceVisit> = record
                .map(|r| {
                    r.surveillance()
                        .iter()
                        .filter(|v| v.performed_at.is_none())
                        .collect()
                })
                .unwrap_or_default();
            let next = open.iter().map(|v| v.due_by).min();
            let overdue =
                record.is_some_and(|r| !r.overdue_surveillance(Timestamp(now)).is_empty());
            let suspended_by_body =
                record.and_then(|r| r.suspended_by()) == Some(TrustOrgKind::Certifier);
            CertRowView {
                id: c.id.clone(),
                product: b.product_name.clone(),
                holder: b.holder_name.clone(),
                application_id: c.application_id.clone().unwrap_or_default(),
                status_code: c.status.as_str(),
                status_text: page.t(certificate_status_key(c.status)).to_string(),
                status_class: certificate_status_class(c.status),
                issued: page.date_ms(c.issued_at),
                valid_until: page.date_ms(c.valid_until),
                next_surveillance: match next {
                    Some(t) if c.status.is_in_force() => page.date_s(t.unix_seconds()),
                    _ => page.t("desk.certs.no_surveillance").to_string(),
                },
                overdue,
                can_suspend: c.status == CertificateStatus::Valid,
                can_withdraw: c.status.is_in_force(),
                can_reinstate: c.status == CertificateStatus::Suspended && suspended_by_body,
            }
        })
        .collect()
}

/// Upcoming surveillance visits and expiries of certificates in force, by month from
/// this one; overdue visits apart.
fn calendar(
    page: &Page,
    certs: &[BodyCertificate],
    now: i64,
) -> (Vec<CalendarEvent>, Vec<CalendarMonth>) {
    let mut overdue = Vec::new();
    let mut months: BTreeMap<(i32, u8), Vec<(i64, CalendarEvent)>> = BTreeMap::new();
    for b in certs {
        let c = &b.certificate;
        if !c.status.is_in_force() {
            continue;
        }
        let Some(record) = &c.certificate else {
            continue;
        };
        for v in record
            .surveillance()
            .iter()
            .filter(|v| v.performed_at.is_none())
        {
            let due = v.due_by.unix_seconds();
            let event = CalendarEvent {
                date: page.date_s(due),
                certificate: c.id.clone(),
                product: b.product_name.clone(),
                what: page.tf("desk.calendar.surveillance", &[("visit", &v.id)]),
            };
            if due < now {
                overdue.push(event);
            } else {
                let d = v.due_by.date();
                months
                    .entry((d.year(), d.month()))
                    .or_default()
                    .push((due, event));
            }
        }
        let until = c.valid_until.div_euclid(1000);
        if until >= now {
            let d = Timestamp(until).date();
            months.entry((d.year(), d.month())).or_default().push((
                until,
                CalendarEvent {
                    date: page.date_s(until),
                    certificate: c.id.clone(),
                    product: b.product_name.clone(),
                    what: page.t("desk.calendar.expiry").to_string(),
                },
            ));
        }
    }
    let calendar = months
        .into_iter()
        .map(|((y, m), mut events)| {
            events.sort_by_key(|(t, _)| *t);
            CalendarMonth {
                label: month_label(page, y, m),
                events: events.into_iter().map(|(_, e)| e).collect(),
            }
        })
        .collect();
    (overdue, calendar)
}

async fn show_certificates(
    s: &AppState,
    page: &Page,
    notice: Option<Notice>,
) -> Result<Response, WebError> {
    let user = page.require_kind(OrgKind::Certifier)?;
    let can_act = user.can_edit();
    let certs = s
        .store
        .certificates_of_body(&page.viewer)
        .await
        .map_err(|e| page.error(e))?;
    let now = zuji_store::statistics::now_unix_seconds();
    let (overdue, calendar) = calendar(page, &certs, now);
    render(
        page,
        &CertificatesTemplate {
            page,
            notice,
            rows: certificate_rows(page, &certs, now),
            overdue,
            calendar,
            can_act,
        },
    )
}

async fn certificates(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let notice = done_text(&page, q.done.as_deref());
    show_certificates(&s, &page, notice).await
}

#[derive(Debug, Deserialize)]
struct CertificateForm {
    action: String,
    #[serde(default)]
    reason: String,
}

async fn act_on_certificate(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(f): Form<CertificateForm>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Certifier)?;
    let reason = f.reason.trim().to_string();
    let action = match f.action.as_str() {
        "suspend" => Some(CertificateAction::Suspend {
            reason: reason.clone(),
        }),
        "withdraw" => Some(CertificateAction::Withdraw {
            reason: reason.clone(),
        }),
        "reinstate" => Some(CertificateAction::Reinstate {
            reason: reason.clone(),
        }),
        _ => None,
    };
    let problem = match (&action, reason.is_empty()) {
        (None, _) => Some(page.tf("desk.form.unknown_action", &[("action", &f.action)])),
        (Some(_), true) => Some(required(&page, page.t("desk.form.reason"))),
        _ => None,
    };
    if let Some(msg) = problem {
        return show_certificates(&s, &page, Some(Notice::bad(msg)))
            .await
            .map(|r| with_status(r, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let Some(action) = action else {
        return Err(WebError::status(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            "error.invalid.title",
        ));
    };
    let code = action.code();
    match s.store.act_on_certificate(&page.viewer, &id, action).await {
        Ok(_) => Ok(see_other(&format!(
            "/desk/certification/certificates?done={code}"
        ))),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            show_certificates(&s, &page, Some(Notice::bad(msg)))
                .await
                .map(|r| with_status(r, status))
        }
    }
}
