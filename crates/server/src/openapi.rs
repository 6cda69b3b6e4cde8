//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::pact::workspace as pact;
use crate::routes::{
    accounts, benchmarks, certification, databases, footprints, labels, pcrs, products,
};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zuji API",
        description = "Product carbon footprints (ISO 14067, GB/T 24067): products and model versions, background databases, calculations, organisations and the audit log. Authenticate with `Authorization: Bearer <token>` (a session from /auth/login or an access token from /auth/token).",
        license(name = "MIT OR Apache-2.0"),
    ),
    servers((url = "/api/v1")),
    paths(
        accounts::login, accounts::logout, accounts::token, accounts::me,
        accounts::list_orgs, accounts::create_org, accounts::get_org,
        accounts::list_users, accounts::create_user, accounts::list_clients, accounts::create_client, accounts::revoke_client,
        accounts::audit,
        products::validate, products::create, products::list, products::get, products::disclose,
        products::grant, products::revoke_grant, products::versions, products::add_version,
        products::version, products::diff,
        footprints::start, footprints::list, footprints::get, footprints::tree, footprints::stale,
        footprints::recalculate, footprints::jobs, footprints::job,
        databases::list, databases::get_version, databases::search, databases::activity, databases::import,
        pact::publish, pact::list_published, pact::share, pact::list_requests, pact::fulfil, pact::reject,
        pact::add_partner, pact::list_partners, pact::fetch, pact::ask, pact::list_supplier, pact::affected,
        pact::link,
        pcrs::list, pcrs::get, pcrs::adopted_standards, pcrs::adopted_standards_versions,
        pcrs::publish_adopted_standards,
        benchmarks::list, benchmarks::latest, benchmarks::publish, benchmarks::compute,
        certification::apply, certification::list_applications, certification::get_application,
        certification::act_on_application, certification::list_certificates,
        certification::get_certificate, certification::act_on_certificate,
        certification::certificate_status,
        labels::issue, labels::list, labels::get, labels::verification, labels::svg, labels::png,
        labels::request_verification, labels::pcr_check, labels::ranking, labels::gtin,
    ),
    components(schemas(zuji_store::SortOrder, zuji_store::OrgKind, zuji_store::Role, zuji_store::Scope, crate::error::ErrorBody)),
    modifiers(&BearerAuth, &CommonErrors),
    tags(
        (name = "accounts", description = "Sign-in, tokens, organisations, users, API clients, audit log"),
        (name = "products", description = "Products and model versions"),
        (name = "footprints", description = "Calculations and results"),
        (name = "jobs", description = "Background jobs"),
        (name = "databases", description = "Background databases"),
        (name = "pcrs", description = "Product category rules, the adopted-standards list and category benchmarks (docs/pcr.md)"),
        (name = "certification", description = "Certification applications and certificates (docs/certification.md)"),
        (name = "labels", description = "Carbon labels (碳标识): issue, draw and verify (docs/labels.md)"),
        (name = "open data", description = "Open data for green procurement, green finance and carbon-inclusive apps (docs/labels.md)"),
        (name = "pact", description = "PACT exchange: publish footprints to partners, answer their requests, fetch and link suppliers' footprints. The PACT API itself (/auth/token, /3/…, /2/…) is served at the root, as the PACT Technical Specifications define it."),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        doc.security = Some(vec![
            utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new()),
            utoipa::openapi::security::SecurityRequirement::default(),
        ]);
    }
}

/// The errors any operation can answer with, whatever its own: a malformed parameter
/// (400), a bad or expired bearer token (401; sent even to public operations), a body
/// too large or of the wrong type (413, 415), an invalid body (422), the rate limit
/// (429). All carry [`crate::error::ErrorBody`].
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let error = ResponseBuilder::new()
            .description("An error: `{code, message, field}`")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build();
        let components = doc.components.get_or_insert_with(Default::default);
        components
            .responses
            .insert("Error".to_string(), RefOr::T(error));
        for item in doc.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                let with_body = op.request_body.is_some();
                for code in ["400", "401", "413", "415", "422", "429"] {
                    if !with_body && matches!(code, "413" | "415") {
                        continue;
                    }
                    op.responses
                        .responses
                        .entry(code.to_string())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name("Error")));
                }
            }
        }
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
