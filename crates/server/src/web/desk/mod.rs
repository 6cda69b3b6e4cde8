//! The desks: the certification body's (`/desk/certification`: the queue of
//! applications, the review with its recomputation and decision, certificates and their
//! surveillance) and the registry operator's (`/desk/registry`: statistics, benchmarks,
//! background databases, the adopted-standards list, organisations and keys, the
//! transparency log).
//!
//! Like the API, the handlers only call `Store` methods as the signed-in user and shape
//! the answer; every action goes through the same store function the REST API uses, so
//! the same rules refuse the same things. A form the store refuses is shown again with
//! the store's message (422, or 409 when someone else changed the record meanwhile);
//! a form it accepts sends the browser on (303) to a page saying what was done.

pub mod certification;
pub mod registry;

use super::{Page, WebError};
use crate::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use zuji_model::stage::LifeCycleStage;
use zuji_store::StoreError;
use zuji_trust::certification::{ApplicationStatus, CertificateStatus, FindingSeverity};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(certification::router())
        .merge(registry::router())
}

/// A message above a page: what a form did, or why it was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub good: bool,
    pub text: String,
}

impl Notice {
    pub fn good(text: impl Into<String>) -> Notice {
        Notice {
            good: true,
            text: text.into(),
        }
    }
    pub fn bad(text: impl Into<String>) -> Notice {
        Notice {
            good: false,
            text: text.into(),
        }
    }
    pub fn class(&self) -> &'static str {
        if self.good {
            "notice good"
        } else {
            "notice bad"
        }
    }
}

/// A refusal the user can act on (an invalid field or action, a conflict, a record
/// changed meanwhile) as the store's message and the status to answer with; anything
/// else (not found, forbidden, a failure) as the error page.
pub fn refusal(page: &Page, e: StoreError) -> Result<(StatusCode, String), WebError> {
    match e {
        StoreError::Invalid { field, problem } => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page.tf(
                "desk.refused",
                &[("field", field.as_str()), ("problem", problem.as_str())],
            ),
        )),
        StoreError::Conflict { .. } | StoreError::Stale(_) => {
            Ok((StatusCode::CONFLICT, e.to_string()))
        }
        e => Err(page.error(e)),
    }
}

/// Sets the status of a page shown again after a refused form.
pub fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

/// A form field that is required but empty: the message naming it.
pub fn required(page: &Page, field_label: &str) -> String {
    page.tf("desk.field_required", &[("field", field_label)])
}

/// A number typed into a form, or the message naming the field.
pub fn parse_number(page: &Page, field_label: &str, text: &str) -> Result<f64, String> {
    let t = text.trim().replace(',', "");
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(page.tf(
            "desk.field_not_number",
            &[("field", field_label), ("value", text.trim())],
        )),
    }
}

pub fn application_status_key(s: ApplicationStatus) -> &'static str {
    match s {
        ApplicationStatus::Submitted => "desk.app_status.submitted",
        ApplicationStatus::UnderReview => "desk.app_status.under_review",
        ApplicationStatus::CorrectionsRequested => "desk.app_status.corrections_requested",
        ApplicationStatus::Approved => "desk.app_status.approved",
        ApplicationStatus::Rejected => "desk.app_status.rejected",
        ApplicationStatus::Withdrawn => "desk.app_status.withdrawn",
    }
}

pub fn application_status_class(s: ApplicationStatus) -> &'static str {
    match s {
        ApplicationStatus::Approved => "badge good",
        ApplicationStatus::Rejected | ApplicationStatus::Withdrawn => "badge bad",
        ApplicationStatus::CorrectionsRequested => "badge warn",
        ApplicationStatus::Submitted | ApplicationStatus::UnderReview => "badge",
    }
}

pub fn certificate_status_key(s: CertificateStatus) -> &'static str {
    match s {
        CertificateStatus::Valid => "desk.cert_status.valid",
        CertificateStatus::Suspended => "desk.cert_status.suspended",
        CertificateStatus::Withdrawn => "desk.cert_status.withdrawn",
        CertificateStatus::Expired => "desk.cert_status.expired",
        CertificateStatus::Superseded => "desk.cert_status.superseded",
    }
}

pub fn certificate_status_class(s: CertificateStatus) -> &'static str {
    match s {
        CertificateStatus::Valid => "badge good",
        CertificateStatus::Suspended => "badge warn",
        _ => "badge bad",
    }
}

pub fn severity_key(s: FindingSeverity) -> &'static str {
    match s {
        FindingSeverity::Major => "desk.severity.major",
        FindingSeverity::Minor => "desk.severity.minor",
        FindingSeverity::Observation => "desk.severity.observation",
    }
}

pub fn stage_key(s: LifeCycleStage) -> &'static str {
    match s {
        LifeCycleStage::RawMaterialAcquisition => "desk.stage.raw_material_acquisition",
        LifeCycleStage::Production => "desk.stage.production",
        LifeCycleStage::Distribution => "desk.stage.distribution",
        LifeCycleStage::Use => "desk.stage.use",
        LifeCycleStage::EndOfLife => "desk.stage.end_of_life",
    }
}

/// The phrase of a history entry's action code; `None` for a code this desk does not
/// know (shown as the code itself).
pub fn action_key(code: &str) -> Option<&'static str> {
    Some(match code {
        "apply" => "desk.action.apply",
        "start_document_review" => "desk.action.start_document_review",
        "complete_document_review" => "desk.action.complete_document_review",
        "record_finding" => "desk.action.record_finding",
        "close_finding" => "desk.action.close_finding",
        "request_corrections" => "desk.action.request_corrections",
        "respond_to_corrections" => "desk.action.respond_to_corrections",
        "record_on_site_visit" => "desk.action.record_on_site_visit",
        "verify_footprint" => "desk.action.verify_footprint",
        "approve" => "desk.action.approve",
        "reject" => "desk.action.reject",
        "withdraw" => "desk.action.withdraw",
        "issue" => "desk.action.issue",
        "suspend" => "desk.action.suspend",
        "reinstate" => "desk.action.reinstate",
        "expire" => "desk.action.expire",
        "supersede" => "desk.action.supersede",
        "schedule_surveillance" => "desk.action.schedule_surveillance",
        "record_surveillance" => "desk.action.record_surveillance",
        _ => return None,
    })
}

/// A month as a heading: `2026年11月` / `November 2026`.
pub fn month_label(page: &Page, year: i32, month: u8) -> String {
    let name = match month {
        1 => page.t("desk.month.1"),
        2 => page.t("desk.month.2"),
        3 => page.t("desk.month.3"),
        4 => page.t("desk.month.4"),
        5 => page.t("desk.month.5"),
        6 => page.t("desk.month.6"),
        7 => page.t("desk.month.7"),
        8 => page.t("desk.month.8"),
        9 => page.t("desk.month.9"),
        10 => page.t("desk.month.10"),
        11 => page.t("desk.month.11"),
        _ => page.t("desk.month.12"),
    };
    page.tf(
        "desk.month_year",
        &[("year", &year.to_string()), ("month", name)],
    )
}

/// A count with a small bar: the count as text and the bar's length (0–100 %).
#[derive(Debug, Clone, PartialEq)]
pub struct CountBar {
    pub text: String,
    pub width: String,
}

/// `n` as a bar relative to `max`.
pub fn count_bar(page: &Page, n: u64, max: u64) -> CountBar {
    let pct = if max == 0 {
        0.0
    } else {
        n as f64 / max as f64 * 100.0
    };
    CountBar {
        text: page.num(n as f64, 0),
        width: format!("{pct:.1}"),
    }
}

/// The first `n` characters of a long hex string, for tables (the whole string in a
/// `title`).
pub fn short(hex: &str, n: usize) -> String {
    if hex.chars().count() <= n {
        hex.to_string()
    } else {
        let head: String = hex.chars().take(n).collect();
        format!("{head}…")
    }
}
