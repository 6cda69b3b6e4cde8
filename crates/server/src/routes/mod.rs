//! The REST API under `/api/v1`.

pub mod accounts;
pub mod benchmarks;
pub mod certification;
pub mod databases;
pub mod footprints;
pub mod labels;
pub mod pcrs;
pub mod products;

use crate::pact::workspace as pact;

use crate::AppState;
use axum::Router;
use axum::routing::{delete, get, post};
use serde::Deserialize;
use zuji_store::PageRequest;

/// `offset` and `limit` of a list (limit at most 500, default 50).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    pub offset: Option<u64>,
    pub limit: Option<u64>,
}

impl Paging {
    pub fn page(&self) -> PageRequest {
        PageRequest::new(self.offset.unwrap_or(0), self.limit.unwrap_or(50))
    }
}

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(crate::openapi::document))
        .route("/auth/login", post(accounts::login))
        .route("/auth/logout", post(accounts::logout))
        .route("/auth/token", post(accounts::token))
        .route("/me", get(accounts::me))
        .route("/orgs", get(accounts::list_orgs).post(accounts::create_org))
        .route("/orgs/{org_id}", get(accounts::get_org))
        .route(
            "/orgs/{org_id}/users",
            get(accounts::list_users).post(accounts::create_user),
        )
        .route(
            "/orgs/{org_id}/api-clients",
            get(accounts::list_clients).post(accounts::create_client),
        )
        .route(
            "/orgs/{org_id}/api-clients/{client_id}",
            delete(accounts::revoke_client),
        )
        .route("/audit", get(accounts::audit))
        .route("/validate", post(products::validate))
        .route("/products", get(products::list).post(products::create))
        .route("/products/{product_id}", get(products::get))
        .route(
            "/products/{product_id}/disclosure",
            post(products::disclose),
        )
        .route("/products/{product_id}/grants", post(products::grant))
        .route(
            "/products/{product_id}/grants/{org_id}",
            delete(products::revoke_grant),
        )
        .route(
            "/products/{product_id}/versions",
            get(products::versions).post(products::add_version),
        )
        .route(
            "/products/{product_id}/versions/{version}",
            get(products::version),
        )
        .route("/products/{product_id}/diff", get(products::diff))
        .route(
            "/products/{product_id}/footprints",
            get(footprints::list).post(footprints::start),
        )
        .route("/footprints/stale", get(footprints::stale))
        .route("/footprints/recalculate", post(footprints::recalculate))
        .route("/footprints/{footprint_id}", get(footprints::get))
        .route("/footprints/{footprint_id}/tree", get(footprints::tree))
        .route("/jobs", get(footprints::jobs))
        .route("/jobs/{job_id}", get(footprints::job))
        .route("/databases", get(databases::list))
        .route("/databases/activities", get(databases::search))
        .route(
            "/databases/versions/{version_id}",
            get(databases::get_version),
        )
        .route(
            "/databases/versions/{version_id}/activities/{activity_id}",
            get(databases::activity),
        )
        .route("/databases/{name}/versions", post(databases::import))
        .route(
            "/pact/footprints",
            get(pact::list_published).post(pact::publish),
        )
        .route("/pact/footprints/{pf_id}/sharing", post(pact::share))
        .route("/pact/requests", get(pact::list_requests))
        .route("/pact/requests/{id}/fulfil", post(pact::fulfil))
        .route("/pact/requests/{id}/reject", post(pact::reject))
        .route(
            "/pact/partners",
            get(pact::list_partners).post(pact::add_partner),
        )
        .route("/pact/partners/{id}/fetch", post(pact::fetch))
        .route("/pact/partners/{id}/requests", post(pact::ask))
        .route("/pact/supplier-footprints", get(pact::list_supplier))
        .route("/pact/supplier-footprints/affected", get(pact::affected))
        .route("/products/{product_id}/supplier-links", post(pact::link))
        .route("/pcrs", get(pcrs::list))
        .route("/pcrs/{pcr_id}", get(pcrs::get))
        .route("/pcrs/{pcr_id}/benchmarks", get(benchmarks::list))
        .route("/pcrs/{pcr_id}/benchmarks/latest", get(benchmarks::latest))
        .route(
            "/pcrs/{pcr_id}/benchmarks/computed",
            post(benchmarks::compute),
        )
        .route("/benchmarks", post(benchmarks::publish))
        .route(
            "/adopted-standards",
            get(pcrs::adopted_standards).post(pcrs::publish_adopted_standards),
        )
        .route(
            "/adopted-standards/versions",
            get(pcrs::adopted_standards_versions),
        )
        .route(
            "/certification/applications",
            get(certification::list_applications).post(certification::apply),
        )
        .route(
            "/certification/applications/{id}",
            get(certification::get_application),
        )
        .route(
            "/certification/applications/{id}/actions",
            post(certification::act_on_application),
        )
        .route("/certificates", get(certification::list_certificates))
        .route("/certificates/{id}", get(certification::get_certificate))
        .route(
            "/certificates/{id}/actions",
            post(certification::act_on_certificate),
        )
        .route(
            "/certificates/{id}/status",
            get(certification::certificate_status),
        )
        .route(
            "/certification/applications/{id}/verification",
            post(labels::request_verification),
        )
        .route(
            "/footprints/{footprint_id}/pcr-check",
            get(labels::pcr_check),
        )
        .route("/labels", get(labels::list).post(labels::issue))
        .route("/labels/{label_id}", get(labels::get))
        .route("/labels/{label_id}/verification", get(labels::verification))
        .route("/labels/{label_id}/label.svg", get(labels::svg))
        .route("/labels/{label_id}/label.png", get(labels::png))
        .route("/open/rankings/{pcr_id}", get(labels::ranking))
        .route("/open/gtin/{gtin}", get(labels::gtin))
}
