//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::routes::{accounts, databases, footprints, products};
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
        accounts::list_users, accounts::create_user, accounts::list_clients, accounts::create_client,
        accounts::audit,
        products::validate, products::create, products::list, products::get, products::disclose,
        products::grant, products::revoke_grant, products::versions, products::add_version,
        products::version, products::diff,
        footprints::start, footprints::list, footprints::get, footprints::tree, footprints::stale,
        footprints::recalculate, footprints::jobs, footprints::job,
        databases::list, databases::get_version, databases::search, databases::activity, databases::import,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Sign-in, tokens, organisations, users, API clients, audit log"),
        (name = "products", description = "Products and model versions"),
        (name = "footprints", description = "Calculations and results"),
        (name = "jobs", description = "Background jobs"),
        (name = "databases", description = "Background databases"),
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

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
