//! Disclosure: which products the public sees, and what it sees of them.

use super::{Tab, editor, enterprise, own_product};
use crate::AppState;
use crate::web::{Page, WebError, render, see_other};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use zuji_store::{PageRequest, ProductFilter};

pub struct DisclosureRow {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub disclosed: bool,
}

#[derive(Template)]
#[template(path = "web/workspace/disclosure.html")]
struct DisclosureTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    rows: Vec<DisclosureRow>,
    can_edit: bool,
}

pub async fn page(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let products = s
        .store
        .list_products(
            &page.viewer,
            &ProductFilter {
                org_id: Some(user.org_id),
                ..Default::default()
            },
            PageRequest::new(0, PageRequest::MAX_LIMIT),
        )
        .await
        .map_err(|e| page.error(e))?;
    render(
        &page,
        &DisclosureTemplate {
            page: &page,
            tab: Tab::Disclosure,
            rows: products
                .items
                .into_iter()
                .map(|p| DisclosureRow {
                    id: p.id,
                    name: p.name,
                    category: p.category,
                    disclosed: p.disclosed != 0,
                })
                .collect(),
            can_edit: user.can_edit(),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct DisclosureForm {
    #[serde(default)]
    disclosed: String,
}

/// Discloses a product or withdraws its disclosure (`store.set_disclosed`, as
/// `POST /api/v1/products/{id}/disclosure`).
pub async fn set(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<DisclosureForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    own_product(&s, &page, id).await?;
    let disclosed = match f.disclosed.as_str() {
        "true" => true,
        "false" => false,
        other => {
            return Err(WebError::message(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                page.tf("ws.disclosure.bad_value", &[("value", other)]),
            ));
        }
    };
    s.store
        .set_disclosed(&page.viewer, id, disclosed)
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other("/app/disclosure"))
}
