//! The enterprise workspace (`/app`): an enterprise's products and model versions,
//! calculations and their results, reduction scenarios, suppliers and PACT, certification
//! applications and disclosure.
//!
//! Every page needs a signed-in member of an enterprise; every change needs an editor or
//! an administrator. Handlers call the same store functions as the API (`routes/`), with
//! the signed-in user's `Viewer`, and the same model reader and validator
//! (`crate::upload`); long work (a calculation) is queued as a job and its page refreshes
//! itself until the job is done.
//!
//! - [`products`]: the dashboard, new products and versions (upload or paste), the model
//!   shown readably, downloads, the edit form and the blank workbook;
//! - [`results`]: starting a calculation, the job page, the footprint page;
//! - [`scenarios`]: a changed copy of a model version and the side-by-side comparison;
//! - [`suppliers`]: supplier footprints and PACT requests;
//! - [`applications`]: applying for certification and following the application;
//! - [`disclosure`]: what the public sees.

mod applications;
mod disclosure;
mod keys;
mod products;
mod results;
mod scenarios;
mod suppliers;

use super::{Page, SessionUser, WebError};
use crate::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use zuji_store::{OrgKind, Product};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app", get(products::dashboard))
        .route("/app/template.xlsx", get(products::template_xlsx))
        .route(
            "/app/products/new",
            get(products::new_form).post(products::create),
        )
        .route("/app/products/{id}", get(products::product))
        .route("/app/products/{id}/versions", post(products::add_version))
        .route("/app/products/{id}/versions/{n}", get(products::version))
        .route(
            "/app/products/{id}/versions/{n}/model.toml",
            get(products::download_toml),
        )
        .route(
            "/app/products/{id}/versions/{n}/model.json",
            get(products::download_json),
        )
        .route(
            "/app/products/{id}/versions/{n}/edit",
            get(products::edit_form).post(products::save_edit),
        )
        .route("/app/products/{id}/compute", post(results::compute))
        .route("/app/jobs/{id}", get(results::job))
        .route("/app/footprints/{id}", get(results::footprint))
        .route(
            "/app/footprints/{id}/uncertainty",
            post(results::uncertainty),
        )
        .route(
            "/app/products/{id}/scenarios",
            get(scenarios::form).post(scenarios::create),
        )
        .route("/app/products/{id}/compare", get(scenarios::compare))
        .route("/app/suppliers", get(suppliers::page))
        .route(
            "/app/suppliers/requests/{id}/fulfil",
            post(suppliers::fulfil),
        )
        .route(
            "/app/suppliers/requests/{id}/reject",
            post(suppliers::reject),
        )
        .route("/app/suppliers/partners/{id}/fetch", post(suppliers::fetch))
        .route("/app/suppliers/partners/{id}/ask", post(suppliers::ask))
        .route(
            "/app/applications",
            get(applications::list).post(applications::create),
        )
        .route("/app/applications/new", get(applications::new_form))
        .route("/app/applications/{id}", get(applications::show))
        .route(
            "/app/applications/{id}/respond",
            post(applications::respond),
        )
        .route(
            "/app/applications/{id}/withdraw",
            post(applications::withdraw),
        )
        .route("/app/disclosure", get(disclosure::page))
        .route("/app/disclosure/{id}", post(disclosure::set))
}

/// The signed-in member of an enterprise, or the page that says why not.
fn enterprise(page: &Page) -> Result<&SessionUser, WebError> {
    page.require_kind(OrgKind::Enterprise)
}

/// An editor or administrator of an enterprise: who may change anything here.
fn editor(page: &Page) -> Result<&SessionUser, WebError> {
    let user = enterprise(page)?;
    if !user.can_edit() {
        return Err(WebError::status(
            page,
            StatusCode::FORBIDDEN,
            "ws.error.editor_only",
        ));
    }
    Ok(user)
}

/// One of the signed-in organisation's own products. Another organisation's product is
/// "not found" here even when it is disclosed (the registry shows those).
async fn own_product(s: &AppState, page: &Page, id: i64) -> Result<Product, WebError> {
    let user = enterprise(page)?;
    let product = s
        .store
        .get_product(&page.viewer, id)
        .await
        .map_err(|e| page.error(e))?;
    if product.org_id != user.org_id {
        return Err(not_found(page));
    }
    Ok(product)
}

fn not_found(page: &Page) -> WebError {
    WebError::status(page, StatusCode::NOT_FOUND, "error.not_found")
}

/// A footprint total as the pages show it: at least two decimals, else three
/// significant digits (78.75; 0.00123).
fn total_text(page: &Page, value: f64) -> String {
    page.num(value, super::i18n::significant_decimals(value, 3).max(2))
}

/// A form's text field read as a number, or the localized message naming the field.
fn parse_number(page: &Page, field_label: &str, text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            page.tf(
                "ws.error.not_a_number",
                &[("field", field_label), ("value", text.trim())],
            )
        })
}

/// Link to a product's page.
fn product_url(id: i64) -> String {
    format!("/app/products/{id}")
}

/// Renders a page with another status than 200 (a form shown again with its problems:
/// 422).
fn render_status<T: askama::Template>(
    page: &Page,
    template: &T,
    status: StatusCode,
) -> Result<axum::response::Response, WebError> {
    let mut r = super::render(page, template)?;
    *r.status_mut() = status;
    Ok(r)
}

/// The workspace's tabs; `current` is the one shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Dashboard,
    NewProduct,
    Suppliers,
    Applications,
    Disclosure,
    None,
}

impl Tab {
    pub fn is(&self, name: &str) -> bool {
        matches!(
            (self, name),
            (Tab::Dashboard, "dashboard")
                | (Tab::NewProduct, "new")
                | (Tab::Suppliers, "suppliers")
                | (Tab::Applications, "applications")
                | (Tab::Disclosure, "disclosure")
        )
    }
}
