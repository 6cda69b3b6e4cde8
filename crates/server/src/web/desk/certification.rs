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
use crate::web::check_text::check_detail;
use crate::web::pager::Pager;
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
use zuji_store::PageRequest;
use zuji_store::statistics::{ApplicationReview, BodyCertificate, days_between};
use zuji_store::{JobStatus, OrgKind, StoredCertificate};
use zuji_trust::certification::{
    ApplicationAction, ApplicationStatus, Certificate, CertificateAction, CertificateStatus, Date,
    FindingStatus, FootprintVerification, OrgKind as TrustOrgKind, SurveillanceOutcome,
    SurveillanceVisit, Timestamp,
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
        .route("/desk/certification/certificates/{id}", get(certificate))
        .route(
            "/desk/certification/certificates/{id}/surveillance",
            post(surveillance),
        )
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
    /// How many applications the group holds in all (over every page).
    count: String,
    rows: Vec<QueueRowView>,
}

#[derive(Template)]
#[template(path = "web/desk/certification/queue.html")]
struct QueueTemplate<'a> {
    page: &'a Page,
    notice: Option<Notice>,
    intro: String,
    groups: Vec<QueueGroup>,
    empty: bool,
    pager: Pager,
}

/// The queue's groups in the store's order: one per open status, then the decided.
fn queue_group_key(status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Submitted => "desk.queue.submitted",
        ApplicationStatus::UnderReview => "desk.queue.under_review",
        ApplicationStatus::CorrectionsRequested => "desk.queue.corrections_requested",
        _ => "desk.queue.decided",
    }
}

fn queue_row(page: &Page, e: &zuji_store::statistics::QueueEntry, now: i64) -> QueueRowView {
    let a = &e.application;
    let (verification_text, verification_class) = if a.status == ApplicationStatus::UnderReview {
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
}

async fn queue(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let user = page.require_kind(OrgKind::Certifier)?.clone();
    let asked = Paging::from_query(&page, &q);
    let counts = s
        .store
        .certification_queue_counts(&page.viewer)
        .await
        .map_err(|e| page.error(e))?;
    let in_group = |key: &str| -> u64 {
        counts
            .iter()
            .filter(|(st, _)| queue_group_key(*st) == key)
            .map(|(_, n)| n)
            .sum()
    };
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let number = asked.clamped(total);
    let found = s
        .store
        .certification_queue_page(&page.viewer, asked.request(number))
        .await
        .map_err(|e| page.error(e))?;
    let now = zuji_store::now_ms();
    // The store returns the page in the queue's order, so a group is a run of rows.
    let mut groups: Vec<QueueGroup> = Vec::new();
    let mut last_key = "";
    for e in &found.items {
        let key = queue_group_key(e.application.status);
        if key != last_key || groups.is_empty() {
            groups.push(QueueGroup {
                title: page.t(key).to_string(),
                count: page.num(in_group(key) as f64, 0),
                rows: Vec::new(),
            });
            last_key = key;
        }
        if let Some(g) = groups.last_mut() {
            g.rows.push(queue_row(&page, e, now));
        }
    }
    let empty = found.total == 0;
    let pager = asked.pager(&page, "/desk/certification", number, found.total);
    render(
        &page,
        &QueueTemplate {
            page: &page,
            notice: asked.problem.clone().map(Notice::bad),
            intro: page.tf("desk.queue.intro", &[("body", &user.org_name)]),
            groups,
            empty,
            pager,
        },
    )
}

// ---------------------------------------------------------------------------------
// Paging of the desk's lists

/// Rows per page of the desk's lists unless `?per=` asks otherwise.
const PER_PAGE: u64 = 25;
/// The most rows `?per=` may ask for.
const MAX_PER_PAGE: u64 = 100;

/// A list's query: a notice to show, the page (from 1) and the rows per page.
#[derive(Debug, Deserialize, Default)]
struct ListQuery {
    done: Option<String>,
    #[serde(default)]
    page: String,
    #[serde(default)]
    per: String,
}

/// The page a list's query asks for, read leniently: a bad value is named in
/// `problem` and the first page of the default size is shown instead.
#[derive(Debug, Clone)]
struct Paging {
    number: u64,
    size: u64,
    /// `per` as asked (kept in the pager's links).
    per: Option<u64>,
    problem: Option<String>,
}

impl Default for Paging {
    fn default() -> Paging {
        Paging {
            number: 1,
            size: PER_PAGE,
            per: None,
            problem: None,
        }
    }
}

impl Paging {
    fn from_query(page: &Page, q: &ListQuery) -> Paging {
        let mut problem = None;
        let number = match q.page.trim() {
            "" => 1,
            text => match text.parse::<u64>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    problem = Some(page.tf("common.pager.bad_page", &[("page", text)]));
                    1
                }
            },
        };
        let per = match q.per.trim() {
            "" => None,
            text => match text.parse::<u64>() {
                Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => Some(n),
                _ => {
                    problem = Some(page.tf("desk.pager.bad_per", &[("per", text)]));
                    None
                }
            },
        };
        Paging {
            number,
            size: per.unwrap_or(PER_PAGE),
            per,
            problem,
        }
    }

    /// The page to show of a list of `total` rows: the one asked for, or the last.
    fn clamped(&self, total: u64) -> u64 {
        self.number.min(total.div_ceil(self.size).max(1))
    }

    fn request(&self, number: u64) -> PageRequest {
        PageRequest::new((number - 1) * self.size, self.size)
    }

    /// The pager of page `number` of `total` rows at `path`, keeping `per`.
    fn pager(&self, page: &Page, path: &str, number: u64, total: u64) -> Pager {
        let per = self.per.map(|p| p.to_string()).unwrap_or_default();
        Pager::new(page, path, &[("per", &per)], number, total, self.size)
    }
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
    /// The detail is the English sentence (no localized message): marked `lang="en"`.
    detail_en: bool,
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
            .map(|i| (i, check_detail(&page.tr, i)))
            .map(|(i, (detail, localized))| CheckItemView {
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
                detail,
                detail_en: !localized,
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
                .map(|i| format!("{}: {}", i.key, check_detail(&page.tr, i).0))
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
        "schedule_surveillance" => "desk.done.schedule_surveillance",
        "record_surveillance" => "desk.done.record_surveillance",
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
    pager: Pager,
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
    asked: &Paging,
) -> Result<Response, WebError> {
    let user = page.require_kind(OrgKind::Certifier)?;
    let can_act = user.can_edit();
    // The calendar covers every certificate in force; the list shows one page.
    let all = s
        .store
        .certificates_of_body(&page.viewer)
        .await
        .map_err(|e| page.error(e))?;
    let number = asked.clamped(all.len() as u64);
    let listed = s
        .store
        .certificates_of_body_page(&page.viewer, asked.request(number))
        .await
        .map_err(|e| page.error(e))?;
    let now = zuji_store::statistics::now_unix_seconds();
    let (overdue, calendar) = calendar(page, &all, now);
    let notice = notice.or_else(|| asked.problem.clone().map(Notice::bad));
    render(
        page,
        &CertificatesTemplate {
            page,
            notice,
            rows: certificate_rows(page, &listed.items, now),
            overdue,
            calendar,
            can_act,
            pager: asked.pager(
                page,
                "/desk/certification/certificates",
                number,
                listed.total,
            ),
        },
    )
}

async fn certificates(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let notice = done_text(&page, q.done.as_deref());
    let asked = Paging::from_query(&page, &q);
    show_certificates(&s, &page, notice, &asked).await
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
        return show_certificates(&s, &page, Some(Notice::bad(msg)), &Paging::default())
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
            show_certificates(&s, &page, Some(Notice::bad(msg)), &Paging::default())
                .await
                .map(|r| with_status(r, status))
        }
    }
}

// ---------------------------------------------------------------------------------
// One certificate: its surveillance visits, scheduled and recorded here

const DAY_SECONDS: i64 = 86_400;

struct SurveillanceRow {
    id: String,
    due: String,
    performed: String,
    auditor: String,
    /// `open`, `satisfactory` or `nonconformity`.
    outcome_code: &'static str,
    outcome: String,
    findings: String,
}

struct CertHistoryRow {
    at: String,
    action: String,
    status: String,
    reason: String,
}

struct CertDetailView {
    id: String,
    title: String,
    product: String,
    holder: String,
    application_id: String,
    status_code: &'static str,
    status_text: String,
    status_class: &'static str,
    issued: String,
    valid_until: String,
    visits: Vec<SurveillanceRow>,
    history: Vec<CertHistoryRow>,
    /// The signed-in user acts for the issuing body and the certificate is not final.
    can_act: bool,
    /// Why surveillance is over (a final status); empty while it goes on.
    closed: String,
    /// The open visit a record fulfils (the earliest due), or empty for an
    /// unscheduled one.
    next_visit: String,
    next_visit_due: String,
    /// The dates a new visit may be due on, `YYYY-MM-DD`, for the date field.
    min_due: String,
    max_due: String,
    /// The dates a visit may have been performed on, `YYYY-MM-DD`: from the issue to today.
    min_performed: String,
    max_performed: String,
}

#[derive(Template)]
#[template(path = "web/desk/certification/certificate.html")]
struct CertificateTemplate<'a> {
    page: &'a Page,
    notice: Option<Notice>,
    c: CertDetailView,
    /// What was typed into a refused form, shown again.
    form: SurveillanceForm,
}

/// A schedule or record form of the certificate page.
#[derive(Debug, Deserialize, Default, Clone)]
struct SurveillanceForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    due_by: String,
    #[serde(default)]
    visit: String,
    #[serde(default)]
    auditor: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    findings: String,
    /// `YYYY-MM-DD`; blank: today.
    #[serde(default)]
    performed_on: String,
}

/// The open visit a recorded one fulfils: the earliest due, as the state machine
/// chooses (`Certificate::act`).
fn next_open_visit(record: &Certificate) -> Option<&SurveillanceVisit> {
    record
        .surveillance()
        .iter()
        .filter(|v| v.performed_at.is_none())
        .min_by_key(|v| v.due_by)
}

fn surveillance_row(page: &Page, v: &SurveillanceVisit) -> SurveillanceRow {
    let (outcome_code, outcome, findings) = match &v.outcome {
        None => ("open", page.t("desk.surveillance.open"), String::new()),
        Some(SurveillanceOutcome::Satisfactory) => (
            "satisfactory",
            page.t("desk.surveillance.satisfactory"),
            v.notes.clone(),
        ),
        Some(SurveillanceOutcome::Nonconformity { description }) => (
            "nonconformity",
            page.t("desk.surveillance.nonconformity"),
            description.clone(),
        ),
    };
    SurveillanceRow {
        id: v.id.clone(),
        due: page.date_s(v.due_by.unix_seconds()),
        performed: v
            .performed_at
            .map(|t| page.date_s(t.unix_seconds()))
            .unwrap_or_default(),
        auditor: v.auditor.clone().unwrap_or_default(),
        outcome_code,
        outcome: outcome.to_string(),
        findings,
    }
}

fn certificate_detail(page: &Page, b: &BodyCertificate, now: i64) -> CertDetailView {
    let c = &b.certificate;
    let record = c.certificate.as_ref();
    let closed = if c.status.is_final() {
        page.tf(
            "desk.surveillance.closed",
            &[("status", page.t(certificate_status_key(c.status)))],
        )
    } else {
        String::new()
    };
    let owner = page
        .user
        .as_ref()
        .is_some_and(|u| u.org_id == c.certification_body_org_id && u.can_edit());
    let next = record.and_then(next_open_visit);
    let until = c.valid_until.div_euclid(1000);
    CertDetailView {
        id: c.id.clone(),
        title: page.tf("desk.cert_detail.title", &[("id", &c.id)]),
        product: b.product_name.clone(),
        holder: b.holder_name.clone(),
        application_id: c.application_id.clone().unwrap_or_default(),
        status_code: c.status.as_str(),
        status_text: page.t(certificate_status_key(c.status)).to_string(),
        status_class: certificate_status_class(c.status),
        issued: page.date_ms(c.issued_at),
        valid_until: page.date_ms(c.valid_until),
        visits: record
            .map(|r| {
                r.surveillance()
                    .iter()
                    .map(|v| surveillance_row(page, v))
                    .collect()
            })
            .unwrap_or_default(),
        history: record
            .map(|r| {
                r.history()
                    .iter()
                    .map(|h| CertHistoryRow {
                        at: page.datetime_ms(h.at.unix_seconds().saturating_mul(1000)),
                        action: match action_key(&h.action) {
                            Some(k) => page.t(k).to_string(),
                            None => h.action.clone(),
                        },
                        status: page.t(certificate_status_key(h.to)).to_string(),
                        reason: h.reason.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        can_act: owner && record.is_some() && closed.is_empty(),
        closed,
        next_visit: next.map(|v| v.id.clone()).unwrap_or_default(),
        next_visit_due: next
            .map(|v| page.date_s(v.due_by.unix_seconds()))
            .unwrap_or_default(),
        min_due: Timestamp(now + DAY_SECONDS).date().to_string(),
        max_due: Timestamp(until - 1).date().to_string(),
        min_performed: Timestamp(c.issued_at.div_euclid(1000)).date().to_string(),
        max_performed: Timestamp(now).date().to_string(),
    }
}

async fn show_certificate(
    s: &AppState,
    page: &Page,
    id: &str,
    notice: Option<Notice>,
    form: SurveillanceForm,
) -> Result<Response, WebError> {
    let b = s
        .store
        .body_certificate(&page.viewer, id)
        .await
        .map_err(|e| page.error(e))?;
    let now = zuji_store::statistics::now_unix_seconds();
    render(
        page,
        &CertificateTemplate {
            page,
            notice,
            c: certificate_detail(page, &b, now),
            form,
        },
    )
}

async fn certificate(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Certifier)?;
    let notice = done_text(&page, q.done.as_deref());
    show_certificate(&s, &page, &id, notice, SurveillanceForm::default()).await
}

/// A date typed as `YYYY-MM-DD`, as midnight UTC; or the message naming the field.
fn parse_due_date(page: &Page, label: &str, text: &str) -> Result<Timestamp, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(required(page, label));
    }
    t.parse::<Date>()
        .ok()
        .and_then(Timestamp::at_midnight)
        .ok_or_else(|| {
            page.tf(
                "desk.surveillance.bad_date",
                &[("field", label), ("value", t)],
            )
        })
}

/// The API's action for a surveillance form on certificate `b` at `now` (Unix
/// seconds), or the message naming the field that is wrong. The checks the state
/// machine would make are made first here, so the refusal is in the page's language.
fn surveillance_action(
    page: &Page,
    b: &BodyCertificate,
    f: &SurveillanceForm,
    now: i64,
) -> Result<CertificateAction, String> {
    let c = &b.certificate;
    if c.status.is_final() {
        return Err(page.tf(
            "desk.surveillance.closed",
            &[("status", page.t(certificate_status_key(c.status)))],
        ));
    }
    match f.action.as_str() {
        "schedule_surveillance" => {
            let label = page.t("desk.surveillance.due");
            let due = parse_due_date(page, label, &f.due_by)?;
            // Due at the earliest tomorrow: midnight today has already passed.
            if due.unix_seconds() < now {
                return Err(page.tf(
                    "desk.surveillance.date_too_early",
                    &[("field", label), ("today", &page.date_s(now))],
                ));
            }
            if due.unix_seconds() >= c.valid_until.div_euclid(1000) {
                return Err(page.tf(
                    "desk.surveillance.date_too_late",
                    &[("field", label), ("until", &page.date_ms(c.valid_until))],
                ));
            }
            Ok(CertificateAction::ScheduleSurveillance { due_by: due })
        }
        "record_surveillance" => {
            let visit_label = page.t("desk.surveillance.visit_field");
            let expected = c
                .certificate
                .as_ref()
                .and_then(next_open_visit)
                .map(|v| v.id.as_str())
                .unwrap_or(UNSCHEDULED);
            let visit = f.visit.trim();
            if visit.is_empty() {
                return Err(required(page, visit_label));
            }
            if visit != expected {
                return Err(page.tf(
                    "desk.surveillance.unknown_visit",
                    &[("field", visit_label), ("visit", visit)],
                ));
            }
            let auditor = f.auditor.trim();
            if auditor.is_empty() {
                return Err(required(page, page.t("desk.surveillance.auditor")));
            }
            let findings = f.findings.trim().to_string();
            let outcome_label = page.t("desk.surveillance.outcome_field");
            let (outcome, notes) = match f.outcome.as_str() {
                "satisfactory" => (SurveillanceOutcome::Satisfactory, findings),
                "nonconformity" if findings.is_empty() => {
                    return Err(required(page, page.t("desk.surveillance.findings")));
                }
                "nonconformity" => (
                    SurveillanceOutcome::Nonconformity {
                        description: findings,
                    },
                    String::new(),
                ),
                "" => return Err(required(page, outcome_label)),
                _ => {
                    return Err(
                        page.tf("desk.surveillance.bad_outcome", &[("field", outcome_label)])
                    );
                }
            };
            let performed_at = match f.performed_on.trim() {
                "" => None,
                text => {
                    let label = page.t("desk.surveillance.performed_field");
                    let day = parse_due_date(page, label, text)?;
                    // The day of issue counts from its midnight; today up to now.
                    let issued_day =
                        c.issued_at.div_euclid(1000).div_euclid(DAY_SECONDS) * DAY_SECONDS;
                    if day.unix_seconds() > now || day.unix_seconds() < issued_day {
                        return Err(page.tf(
                            "desk.surveillance.performed_out_of_range",
                            &[
                                ("field", label),
                                ("issued", &page.date_ms(c.issued_at)),
                                ("today", &page.date_s(now)),
                            ],
                        ));
                    }
                    // Midnight of the day before issue time would be refused by the
                    // state machine: a visit on the day of issue is at the issue instant.
                    Some(Timestamp(
                        day.unix_seconds().max(c.issued_at.div_euclid(1000)),
                    ))
                }
            };
            Ok(CertificateAction::RecordSurveillance {
                auditor: auditor.to_string(),
                outcome,
                notes,
                performed_at,
            })
        }
        other => Err(page.tf("desk.form.unknown_action", &[("action", other)])),
    }
}

/// The record form's visit when none is open: the state machine adds one.
const UNSCHEDULED: &str = "unscheduled";

async fn surveillance(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(f): Form<SurveillanceForm>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Certifier)?;
    // Another body's certificate is not found; a member who may not act is refused by
    // the store as the API refuses it.
    let b = s
        .store
        .body_certificate(&page.viewer, &id)
        .await
        .map_err(|e| page.error(e))?;
    let now = zuji_store::statistics::now_unix_seconds();
    let refused = |status: StatusCode, msg: String| {
        let (s, page, id, f) = (s.clone(), page.clone(), id.clone(), f.clone());
        async move {
            show_certificate(&s, &page, &id, Some(Notice::bad(msg)), f)
                .await
                .map(|r| with_status(r, status))
        }
    };
    let action = match surveillance_action(&page, &b, &f, now) {
        Ok(a) => a,
        Err(msg) => return refused(StatusCode::UNPROCESSABLE_ENTITY, msg).await,
    };
    let code = action.code();
    match s.store.act_on_certificate(&page.viewer, &id, action).await {
        Ok(_) => Ok(see_other(&format!(
            "/desk/certification/certificates/{id}?done={code}"
        ))),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            refused(status, msg).await
        }
    }
}
