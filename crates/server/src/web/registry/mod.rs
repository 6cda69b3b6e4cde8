//! The public registry (no sign-in): the home page, search and browse of certified
//! products, a product's page with its label, grade and verification, category pages
//! with the benchmark and the distribution of certified footprints, side-by-side
//! comparison, the open-data page and policy (政策宣贯: the adopted-standards list and
//! the PCRs).
//!
//! - `search` — `/` and `/registry`;
//! - `product` — `/registry/products/{id}` and `/registry/compare`;
//! - `category` — `/registry/categories` and `/registry/categories/{pcr_id}`;
//! - `info` — `/registry/open-data`, `/registry/policy`, `/registry/pcrs/{pcr_id}`.
//!
//! Every number shown is read from the store's records (`zuji_store::registry`); every
//! word comes from `locales/registry.toml` through the page's language. Handlers build
//! the displayed text in Rust so the templates stay plain.

mod category;
mod info;
mod product;
mod search;

use super::{Page, Tr, WebError};
use crate::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::get;
use zuji_model::LifeCycleStage;
use zuji_model::product::SystemBoundary;
use zuji_store::StoredPcr;
use zuji_trust::certification::CertificateStatus;
use zuji_trust::label::Lang;
use zuji_trust::pcr::{Pcr, Title};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(search::home))
        .route("/registry", get(search::search))
        .route("/registry/products/{product_id}", get(product::product))
        .route("/registry/compare", get(product::compare))
        .route("/registry/categories", get(category::categories))
        .route("/registry/categories/{pcr_id}", get(category::category))
        .route("/registry/open-data", get(info::open_data))
        .route("/registry/policy", get(info::policy))
        .route("/registry/pcrs/{pcr_id}", get(info::pcr))
}

/// A title in the page's script.
pub(super) fn title_in<'a>(title: &'a Title, tr: &Tr) -> &'a str {
    match tr.lang {
        Lang::ZhHans => &title.zh_hans,
        Lang::ZhHant => &title.zh_hant,
        Lang::En => &title.en,
    }
}

/// A PCR's title in the page's script.
pub(super) fn pcr_title<'a>(pcr: &'a Pcr, tr: &Tr) -> &'a str {
    title_in(&pcr.title, tr)
}

/// The title of the PCR `id` among `pcrs` (the newest version loaded), or the id itself.
pub(super) fn pcr_title_of(pcrs: &[StoredPcr], id: &str, tr: &Tr) -> String {
    pcrs.iter()
        .rev()
        .find(|p| p.pcr.id == id)
        .map(|p| pcr_title(&p.pcr, tr).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// A certificate status in words.
pub(super) fn status_text(tr: &Tr, status: CertificateStatus) -> &'static str {
    match status {
        CertificateStatus::Valid => tr.t("registry.status.valid"),
        CertificateStatus::Suspended => tr.t("registry.status.suspended"),
        CertificateStatus::Withdrawn => tr.t("registry.status.withdrawn"),
        CertificateStatus::Expired => tr.t("registry.status.expired"),
        CertificateStatus::Superseded => tr.t("registry.status.superseded"),
    }
}

/// The badge colour of a certificate status.
pub(super) fn status_class(status: CertificateStatus) -> &'static str {
    match status {
        CertificateStatus::Valid => "good",
        CertificateStatus::Suspended | CertificateStatus::Superseded => "warn",
        CertificateStatus::Withdrawn | CertificateStatus::Expired => "bad",
    }
}

/// A life-cycle stage in words.
pub(super) fn stage_text(tr: &Tr, stage: LifeCycleStage) -> &'static str {
    match stage {
        LifeCycleStage::RawMaterialAcquisition => tr.t("registry.stage.raw_material"),
        LifeCycleStage::Production => tr.t("registry.stage.production"),
        LifeCycleStage::Distribution => tr.t("registry.stage.distribution"),
        LifeCycleStage::Use => tr.t("registry.stage.use"),
        LifeCycleStage::EndOfLife => tr.t("registry.stage.end_of_life"),
    }
}

/// A system boundary in words.
pub(super) fn boundary_text(tr: &Tr, boundary: SystemBoundary) -> &'static str {
    match boundary {
        SystemBoundary::CradleToGate => tr.t("registry.boundary.cradle_to_gate"),
        SystemBoundary::CradleToGrave => tr.t("registry.boundary.cradle_to_grave"),
        SystemBoundary::GateToGate => tr.t("registry.boundary.gate_to_gate"),
        SystemBoundary::GateToGrave => tr.t("registry.boundary.gate_to_grave"),
    }
}

/// The CSS class of a grade badge: a colour for the bands A–E, neutral otherwise.
pub(super) fn grade_class(grade: &str) -> String {
    if matches!(grade, "A" | "B" | "C" | "D" | "E") {
        format!("grade grade-{grade}")
    } else {
        "grade".to_string()
    }
}

/// `value` in kg CO2e per declared unit, as the pages show it: three significant
/// digits in the page's number format.
pub(super) fn value_text(tr: &Tr, value: f64) -> String {
    tr.sig(value)
}

/// `kg CO2e / 1 kWh`: the unit of a label's value (data, not words).
pub(super) fn per_unit(unit: &str, declared_unit: &str) -> String {
    format!("{unit} / {declared_unit}")
}

/// A path segment or query value, percent-encoded.
pub(super) fn enc(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A 422 page whose message is already in the page's language.
pub(super) fn invalid(page: &Page, message: String) -> WebError {
    WebError::message(page, StatusCode::UNPROCESSABLE_ENTITY, message)
}

/// A 404 page saying the registry has no such thing.
pub(super) fn not_found(page: &Page, message: String) -> WebError {
    WebError::message(page, StatusCode::NOT_FOUND, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_classes_only_for_known_bands() {
        assert_eq!(grade_class("A"), "grade grade-A");
        assert_eq!(grade_class("1"), "grade");
        assert_eq!(grade_class("A\"><script>"), "grade");
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(
            enc("zuji:pcr:battery-pack:draft"),
            "zuji%3Apcr%3Abattery-pack%3Adraft"
        );
        assert_eq!(enc("电池 A&B"), "%E7%94%B5%E6%B1%A0+A%26B");
    }
}
