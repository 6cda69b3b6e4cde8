//! The dashboard, products and their model versions: new products and versions from an
//! upload (TOML, JSON or an xlsx workbook) or pasted TOML, the model shown readably,
//! its downloads, the edit form, and the blank workbook.

use super::{
    Tab, editor, enterprise, keys, own_product, parse_number, product_url, render_status,
    total_text,
};
use crate::AppState;
use crate::web::{Page, WebError, render, see_other};
use askama::Template;
use axum::Form;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;
use zuji_formats::product_model::{ModelFormat, to_json, to_toml};
use zuji_model::product::{Amount, InputLink, ParameterSpec, ProductModel};
use zuji_store::{
    ApplicationFilter, CertificateFilter, ModelVersion, NewModelVersion, PageRequest, Product,
    ProductFilter,
};
use zuji_trust::certification::ApplicationStatus;

// ---------------------------------------------------------------------------------
// Dashboard

/// A certificate as a table cell: its id, status as shown and badge colour.
pub struct CertificateCell {
    pub id: String,
    pub status: String,
    pub badge: &'static str,
}

pub struct DashboardRow {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub latest_version: i64,
    pub footprint_id: Option<i64>,
    pub total: String,
    pub total_date: String,
    pub disclosed: bool,
    pub certificate: Option<CertificateCell>,
    pub computing: bool,
}

#[derive(Template)]
#[template(path = "web/workspace/dashboard.html")]
struct DashboardTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    rows: Vec<DashboardRow>,
    open_applications: u64,
    open_requests: usize,
    can_edit: bool,
    org_name: &'a str,
}

pub async fn dashboard(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let v = &page.viewer;
    let e = |e| page.error(e);
    let products = s
        .store
        .list_products(
            v,
            &ProductFilter {
                org_id: Some(user.org_id),
                ..Default::default()
            },
            PageRequest::new(0, PageRequest::MAX_LIMIT),
        )
        .await
        .map_err(e)?;
    let latest = s.store.latest_footprints_of_org(v).await.map_err(e)?;
    let pending = s.store.pending_calculations(v).await.map_err(e)?;
    let certificates = s
        .store
        .list_certificates(
            v,
            &CertificateFilter {
                holder_org_id: Some(user.org_id),
                ..Default::default()
            },
            PageRequest::new(0, PageRequest::MAX_LIMIT),
        )
        .await
        .map_err(e)?;
    let mut open_applications = 0;
    for status in [
        ApplicationStatus::Submitted,
        ApplicationStatus::UnderReview,
        ApplicationStatus::CorrectionsRequested,
    ] {
        open_applications += s
            .store
            .list_applications(
                v,
                &ApplicationFilter {
                    product_id: None,
                    status: Some(status),
                },
                PageRequest::new(0, 1),
            )
            .await
            .map_err(e)?
            .total;
    }
    let open_requests = s
        .store
        .list_pact_requests(v)
        .await
        .map_err(e)?
        .iter()
        .filter(|r| r.status == "open")
        .count();
    let rows = products
        .items
        .iter()
        .map(|p| {
            let f = latest.iter().find(|f| f.product_id == p.id);
            // Certificates come oldest first: the last one of the product is its newest.
            let cert = certificates
                .items
                .iter()
                .rev()
                .find(|c| c.product_id == p.id);
            DashboardRow {
                id: p.id,
                name: p.name.clone(),
                category: p.category.clone(),
                latest_version: p.latest_version,
                footprint_id: f.map(|f| f.id),
                total: f.map(|f| total_text(&page, f.total)).unwrap_or_default(),
                total_date: f.map(|f| page.date_ms(f.created_at)).unwrap_or_default(),
                disclosed: p.disclosed != 0,
                certificate: cert.map(|c| CertificateCell {
                    id: c.id.clone(),
                    status: page.t(keys::certificate_status(c.status)).to_string(),
                    badge: keys::certificate_badge(c.status),
                }),
                computing: pending.iter().any(|j| j.product_id == p.id),
            }
        })
        .collect();
    render(
        &page,
        &DashboardTemplate {
            page: &page,
            tab: Tab::Dashboard,
            rows,
            open_applications,
            open_requests,
            can_edit: user.can_edit(),
            org_name: &user.org_name,
        },
    )
}

// ---------------------------------------------------------------------------------
// Uploads

/// A model as sent in a form: a file (TOML, JSON or xlsx) or pasted TOML, and a note.
struct Submission {
    bytes: Vec<u8>,
    format: ModelFormat,
    note: String,
    /// The pasted text, shown again when the form comes back with problems.
    pasted: String,
}

/// The format of an uploaded file, from its name, else its content type.
fn format_of_file(name: &str, content_type: Option<&str>) -> Option<ModelFormat> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".toml") {
        return Some(ModelFormat::Toml);
    }
    if lower.ends_with(".json") {
        return Some(ModelFormat::Json);
    }
    if lower.ends_with(".xlsx") {
        return Some(ModelFormat::Xlsx);
    }
    match content_type {
        Some(ct) if ct.contains("toml") => Some(ModelFormat::Toml),
        Some(ct) if ct.contains("json") => Some(ModelFormat::Json),
        Some(ct) if ct.contains("spreadsheetml") => Some(ModelFormat::Xlsx),
        _ => None,
    }
}

/// Reads the multipart form; `Err` carries the problems (in the page's language).
async fn read_submission(
    page: &Page,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Submission, (Vec<String>, String)> {
    let unreadable = |detail: String| {
        (
            vec![page.tf("ws.upload.unreadable", &[("detail", &detail)])],
            String::new(),
        )
    };
    let mut mp = multipart.map_err(|e| unreadable(e.body_text()))?;
    let mut file: Option<(String, Option<String>, Vec<u8>)> = None;
    let mut pasted = String::new();
    let mut note = String::new();
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(unreadable(e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let ct = field.content_type().map(str::to_string);
                let bytes = field.bytes().await.map_err(|e| unreadable(e.body_text()))?;
                if !bytes.is_empty() {
                    file = Some((file_name, ct, bytes.to_vec()));
                }
            }
            "toml" => pasted = field.text().await.map_err(|e| unreadable(e.body_text()))?,
            "note" => note = field.text().await.map_err(|e| unreadable(e.body_text()))?,
            // Other fields (the submit button) are ignored.
            _ => {}
        }
    }
    let note = note.trim().to_string();
    match file {
        Some((name, ct, bytes)) => {
            let format = format_of_file(&name, ct.as_deref()).ok_or_else(|| {
                (
                    vec![page.tf("ws.upload.unknown_format", &[("file", &name)])],
                    pasted.clone(),
                )
            })?;
            Ok(Submission {
                bytes,
                format,
                note,
                pasted,
            })
        }
        None if !pasted.trim().is_empty() => Ok(Submission {
            bytes: pasted.clone().into_bytes(),
            format: ModelFormat::Toml,
            note,
            pasted,
        }),
        None => Err((vec![page.t("ws.upload.nothing").to_string()], pasted)),
    }
}

/// The validator's answer as a list of problems, each naming its line or field path.
fn problems_of(e: crate::error::ApiError) -> Vec<String> {
    let mut lines: Vec<String> = e
        .body
        .message
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    // A syntax or format error names its place in `field` when the message does not.
    if let Some(field) = e.body.field
        && !lines.iter().any(|l| l.contains(&field))
        && let Some(first) = lines.first_mut()
    {
        *first = format!("{field}: {first}");
    }
    if lines.is_empty() {
        lines.push(e.body.code.to_string());
    }
    lines
}

/// Parses and validates with the API's reader (`crate::upload`): the same checks, the
/// same messages.
fn parse_submission(sub: &Submission) -> Result<crate::upload::UploadedModel, Vec<String>> {
    crate::upload::parse(&sub.bytes, sub.format).map_err(problems_of)
}

#[derive(Template)]
#[template(path = "web/workspace/upload.html")]
struct UploadTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    title: String,
    /// Uploading a new version of this product; a new product otherwise.
    product_id: Option<i64>,
    product_name: String,
    problems: Vec<String>,
    pasted: String,
    note: String,
}

pub async fn new_form(page: Page) -> Result<Response, WebError> {
    editor(&page)?;
    render(
        &page,
        &UploadTemplate {
            page: &page,
            tab: Tab::NewProduct,
            title: page.t("ws.upload.title").to_string(),
            product_id: None,
            product_name: String::new(),
            problems: Vec::new(),
            pasted: String::new(),
            note: String::new(),
        },
    )
}

fn upload_again(
    page: &Page,
    product: Option<(i64, String)>,
    problems: Vec<String>,
    pasted: String,
    note: String,
) -> Result<Response, WebError> {
    render_status(
        page,
        &UploadTemplate {
            page,
            tab: if product.is_some() {
                Tab::None
            } else {
                Tab::NewProduct
            },
            title: match &product {
                Some((_, name)) => {
                    page.tf("ws.upload.version_title", &[("product", name.as_str())])
                }
                None => page.t("ws.upload.title").to_string(),
            },
            product_id: product.as_ref().map(|p| p.0),
            product_name: product.map(|p| p.1).unwrap_or_default(),
            problems,
            pasted,
            note,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

fn new_version_of(m: &crate::upload::UploadedModel, note: &str) -> NewModelVersion {
    NewModelVersion {
        model_json: to_json(&m.model),
        source_format: m.format.into(),
        note: note.into(),
    }
}

pub async fn create(
    State(s): State<AppState>,
    page: Page,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let sub = match read_submission(&page, multipart).await {
        Ok(sub) => sub,
        Err((problems, pasted)) => {
            return upload_again(&page, None, problems, pasted, String::new());
        }
    };
    let m = match parse_submission(&sub) {
        Ok(m) => m,
        Err(problems) => return upload_again(&page, None, problems, sub.pasted, sub.note),
    };
    let info = &m.model.product;
    match s
        .store
        .create_product(
            &page.viewer,
            info.name.display(),
            &info.category,
            info.gtin.as_deref(),
            new_version_of(&m, &sub.note),
        )
        .await
    {
        Ok((product, _)) => Ok(see_other(&product_url(product.id))),
        Err(
            e @ (zuji_store::StoreError::Invalid { .. } | zuji_store::StoreError::Conflict { .. }),
        ) => upload_again(&page, None, vec![e.to_string()], sub.pasted, sub.note),
        Err(e) => Err(page.error(e)),
    }
}

pub async fn add_version(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let product = own_product(&s, &page, id).await?;
    let this = Some((product.id, product.name.clone()));
    let sub = match read_submission(&page, multipart).await {
        Ok(sub) => sub,
        Err((problems, pasted)) => {
            return upload_again(&page, this, problems, pasted, String::new());
        }
    };
    let m = match parse_submission(&sub) {
        Ok(m) => m,
        Err(problems) => return upload_again(&page, this, problems, sub.pasted, sub.note),
    };
    match s
        .store
        .add_model_version(&page.viewer, id, new_version_of(&m, &sub.note))
        .await
    {
        Ok(v) => Ok(see_other(&format!(
            "/app/products/{id}/versions/{}",
            v.version
        ))),
        Err(e @ zuji_store::StoreError::Invalid { .. }) => {
            upload_again(&page, this, vec![e.to_string()], sub.pasted, sub.note)
        }
        Err(e) => Err(page.error(e)),
    }
}

// ---------------------------------------------------------------------------------
// The blank workbook

static TEMPLATE_XLSX: OnceLock<Vec<u8>> = OnceLock::new();

/// The blank workbook `zuji template xlsx` writes, built once per process.
fn build_template() -> Result<Vec<u8>, String> {
    let db = zuji_formats::default_db::default_database().map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("zuji-product-template.xlsx");
    zuji_formats::xlsx::write_template(&path, &db).map_err(|e| e.to_string())?;
    std::fs::read(&path).map_err(|e| e.to_string())
}

pub async fn template_xlsx(page: Page) -> Result<Response, WebError> {
    enterprise(&page)?;
    let bytes = match TEMPLATE_XLSX.get() {
        Some(b) => b.clone(),
        None => {
            let built = tokio::task::spawn_blocking(build_template)
                .await
                .map_err(|e| e.to_string())
                .and_then(|r| r);
            match built {
                Ok(b) => TEMPLATE_XLSX.get_or_init(|| b).clone(),
                Err(e) => {
                    tracing::error!(error = %e, "the blank workbook could not be built");
                    return Err(WebError::status(
                        &page,
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "error.internal",
                    ));
                }
            }
        }
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"zuji-product-template.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------------------------
// A product

pub struct VersionRow {
    pub version: i64,
    pub date: String,
    pub note: String,
    pub source_format: String,
}

pub struct FootprintListRow {
    pub id: i64,
    pub version: i64,
    pub total: String,
    pub method: String,
    pub monte_carlo: u64,
    pub date: String,
}

#[derive(Template)]
#[template(path = "web/workspace/product.html")]
struct ProductTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    product: &'a Product,
    versions: Vec<VersionRow>,
    footprints: Vec<FootprintListRow>,
    /// Calculations still running: (job id, version number, status text).
    pending: Vec<(i64, i64, String)>,
    can_edit: bool,
    /// The two newest footprints, for the comparison link.
    compare: Option<(i64, i64)>,
    latest_footprint: Option<i64>,
}

pub async fn product(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let product = own_product(&s, &page, id).await?;
    let e = |e| page.error(e);
    let versions = s
        .store
        .list_model_versions(&page.viewer, id)
        .await
        .map_err(e)?;
    let briefs = s
        .store
        .footprint_briefs(&page.viewer, id)
        .await
        .map_err(e)?;
    let pending = s
        .store
        .pending_calculations(&page.viewer)
        .await
        .map_err(e)?
        .into_iter()
        .filter(|j| j.product_id == id)
        .map(|j| {
            let n = versions
                .iter()
                .find(|v| v.id == j.model_version_id)
                .map_or(0, |v| v.version);
            (j.job_id, n, page.t(keys::job_status(j.status)).to_string())
        })
        .collect();
    let footprints: Vec<FootprintListRow> = briefs
        .iter()
        .map(|f| FootprintListRow {
            id: f.id,
            version: f.model_version,
            total: total_text(&page, f.total),
            method: f.method.clone(),
            monte_carlo: f
                .options
                .get("monte_carlo")
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            date: page.datetime_ms(f.created_at),
        })
        .collect();
    let compare = match briefs.as_slice() {
        [newest, older, ..] => Some((older.id, newest.id)),
        _ => None,
    };
    render(
        &page,
        &ProductTemplate {
            page: &page,
            tab: Tab::None,
            latest_footprint: briefs.first().map(|f| f.id),
            versions: versions
                .iter()
                .rev()
                .map(|v| VersionRow {
                    version: v.version,
                    date: page.datetime_ms(v.created_at),
                    note: v.note.clone(),
                    source_format: v.source_format.clone(),
                })
                .collect(),
            footprints,
            pending,
            can_edit: user.can_edit(),
            compare,
            product: &product,
        },
    )
}

// ---------------------------------------------------------------------------------
// A model version, readably

pub struct ParamRow {
    pub name: String,
    pub value: String,
    pub unit: String,
    pub source: String,
}

pub struct InputRow {
    /// `p.i`: the input's place, for forms.
    pub key: String,
    pub link: String,
    pub target: String,
    pub amount: String,
    /// The amount as the form edits it: a number or a formula.
    pub amount_raw: String,
    pub unit: String,
    pub stage: String,
    pub primary: String,
    pub quality: String,
    pub source: String,
    /// Dataset inputs: the id; supplier inputs: the supplier's PCF.
    pub dataset: Option<String>,
    pub supplier_pcf: Option<String>,
}

pub struct EmissionRow {
    pub key: String,
    pub gas: String,
    pub origin: String,
    pub amount: String,
    pub amount_raw: String,
    pub unit: String,
    pub stage: String,
    pub source: String,
}

pub struct ProcessView {
    pub id: String,
    pub name: String,
    pub stage: String,
    pub output: String,
    pub location: String,
    pub source: String,
    pub inputs: Vec<InputRow>,
    pub emissions: Vec<EmissionRow>,
}

pub struct ModelView {
    pub name_zh: String,
    pub name_zh_hant: String,
    pub name_en: String,
    pub category: String,
    pub gtin: String,
    pub declared_unit: String,
    pub unit_kind: String,
    pub unit_description: String,
    pub boundary: String,
    pub reference_period: String,
    pub geography: String,
    pub pcr: String,
    pub recycling: String,
    pub reference_process: String,
    pub description: String,
    pub parameters: Vec<ParamRow>,
    pub processes: Vec<ProcessView>,
}

/// A model amount as written: a number, or `= formula`.
fn amount_text(a: &Amount) -> String {
    match a {
        Amount::Number(n) => n.to_string(),
        Amount::Formula(f) => format!("= {f}"),
    }
}

fn amount_raw(a: &Amount) -> String {
    match a {
        Amount::Number(n) => n.to_string(),
        Amount::Formula(f) => f.clone(),
    }
}

fn yes_no(page: &Page, v: Option<bool>) -> String {
    match v {
        Some(true) => page.t("common.yes").to_string(),
        Some(false) => page.t("common.no").to_string(),
        None => String::new(),
    }
}

fn quality_text(q: Option<&zuji_model::DataQuality>) -> String {
    match q {
        Some(zuji_model::DataQuality::Dqr { ter, ger, tir, p }) => {
            format!("DQR TeR {ter} · GeR {ger} · TiR {tir} · P {p}")
        }
        Some(zuji_model::DataQuality::Pedigree {
            reliability,
            completeness,
            temporal,
            geographical,
            technological,
        }) => format!(
            "Pedigree ({reliability}, {completeness}, {temporal}, {geographical}, {technological})"
        ),
        None => String::new(),
    }
}

pub fn model_view(page: &Page, m: &ProductModel) -> ModelView {
    let p = &m.product;
    let parameters = m
        .parameters
        .iter()
        .map(|(name, spec)| {
            let (unit, source) = match spec {
                ParameterSpec::Detailed(d) => (
                    d.unit.clone().unwrap_or_default(),
                    d.source.clone().unwrap_or_default(),
                ),
                _ => (String::new(), String::new()),
            };
            ParamRow {
                name: name.clone(),
                value: amount_text(&spec.value()),
                unit,
                source,
            }
        })
        .collect();
    let processes = m
        .processes
        .iter()
        .enumerate()
        .map(|(pi, proc_)| ProcessView {
            id: proc_.id.clone(),
            name: proc_.name.clone().unwrap_or_default(),
            stage: page.t(keys::stage(proc_.stage)).to_string(),
            output: format!(
                "{} {}",
                amount_text(&proc_.output.amount),
                proc_.output.unit
            ),
            location: proc_.location.clone().unwrap_or_default(),
            source: proc_.source.clone().unwrap_or_default(),
            inputs: proc_
                .inputs
                .iter()
                .enumerate()
                .map(|(ii, input)| {
                    let (kind, target, dataset, pcf) = match input.link() {
                        Ok(InputLink::Process { id, product }) => (
                            "process",
                            match product {
                                Some(co) => format!("{id} / {co}"),
                                None => id.to_string(),
                            },
                            None,
                            None,
                        ),
                        Ok(InputLink::Dataset(d)) => {
                            ("dataset", d.to_string(), Some(d.to_string()), None)
                        }
                        Ok(InputLink::Supplier(sup)) => (
                            "supplier",
                            format!(
                                "{} ({} kg CO₂e/{})",
                                sup.name.clone().unwrap_or_else(|| sup.id.clone()),
                                sup.pcf,
                                sup.unit
                            ),
                            None,
                            Some(sup.pcf.to_string()),
                        ),
                        Err(e) => ("invalid", e, None, None),
                    };
                    InputRow {
                        key: format!("{pi}.{ii}"),
                        link: page.t(keys::input_link(kind)).to_string(),
                        target,
                        amount: amount_text(&input.amount),
                        amount_raw: amount_raw(&input.amount),
                        unit: input.unit.clone(),
                        stage: page
                            .t(keys::stage(input.stage.unwrap_or(proc_.stage)))
                            .to_string(),
                        primary: yes_no(page, input.primary.or(proc_.primary)),
                        quality: quality_text(input.quality.as_ref()),
                        source: input.source.clone().unwrap_or_default(),
                        dataset,
                        supplier_pcf: pcf,
                    }
                })
                .collect(),
            emissions: proc_
                .emissions
                .iter()
                .enumerate()
                .map(|(ei, em)| EmissionRow {
                    key: format!("{pi}.{ei}"),
                    gas: em.gas.to_string(),
                    origin: page.t(keys::origin(em.origin)).to_string(),
                    amount: amount_text(&em.amount),
                    amount_raw: amount_raw(&em.amount),
                    unit: em.unit.clone(),
                    stage: page
                        .t(keys::stage(em.stage.unwrap_or(proc_.stage)))
                        .to_string(),
                    source: em.source.clone().unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    ModelView {
        name_zh: p.name.zh.clone().unwrap_or_default(),
        name_zh_hant: p.name.zh_hant.clone().unwrap_or_default(),
        name_en: p.name.en.clone().unwrap_or_default(),
        category: p.category.clone(),
        gtin: p.gtin.clone().unwrap_or_default(),
        declared_unit: format!("{} {}", p.declared_unit.amount, p.declared_unit.unit),
        unit_kind: page.t(keys::unit_kind(p.declared_unit.kind)).to_string(),
        unit_description: p.declared_unit.description.clone().unwrap_or_default(),
        boundary: page.t(keys::boundary(p.boundary)).to_string(),
        reference_period: p.reference_period.clone(),
        geography: p.geography.clone(),
        pcr: p.pcr.clone().unwrap_or_default(),
        recycling: page.t(keys::recycling(p.end_of_life.approach)).to_string(),
        reference_process: p.reference_process.clone().unwrap_or_default(),
        description: p.description.clone().unwrap_or_default(),
        parameters,
        processes,
    }
}

/// A stored model version's model; a version that no longer parses is a server error
/// (it was validated when saved).
pub fn stored_model(page: &Page, v: &ModelVersion) -> Result<ProductModel, WebError> {
    serde_json::from_str(&v.model_json).map_err(|e| {
        tracing::error!(error = %e, version = v.id, "stored model version unreadable");
        WebError::status(page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
    })
}

async fn own_version(
    s: &AppState,
    page: &Page,
    id: i64,
    n: i64,
) -> Result<(Product, ModelVersion, ProductModel), WebError> {
    let product = own_product(s, page, id).await?;
    let v = s
        .store
        .get_model_version(&page.viewer, id, n)
        .await
        .map_err(|e| page.error(e))?;
    let model = stored_model(page, &v)?;
    Ok((product, v, model))
}

#[derive(Template)]
#[template(path = "web/workspace/version.html")]
struct VersionTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    product: &'a Product,
    version: &'a ModelVersion,
    created: String,
    model: ModelView,
    can_edit: bool,
}

pub async fn version(
    State(s): State<AppState>,
    page: Page,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let (product, v, model) = own_version(&s, &page, id, n).await?;
    render(
        &page,
        &VersionTemplate {
            page: &page,
            tab: Tab::None,
            product: &product,
            created: page.datetime_ms(v.created_at),
            version: &v,
            model: model_view(&page, &model),
            can_edit: user.can_edit(),
        },
    )
}

fn download(body: String, content_type: &'static str, file: String) -> Response {
    let disposition = format!("attachment; filename=\"{file}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

pub async fn download_toml(
    State(s): State<AppState>,
    page: Page,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let (_, _, model) = own_version(&s, &page, id, n).await?;
    let text = to_toml(&model).map_err(|e| {
        tracing::error!(error = %e, "model not writable as TOML");
        WebError::status(&page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
    })?;
    Ok(download(
        text,
        "application/toml; charset=utf-8",
        format!("product-{id}-v{n}.toml"),
    ))
}

pub async fn download_json(
    State(s): State<AppState>,
    page: Page,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let (_, _, model) = own_version(&s, &page, id, n).await?;
    Ok(download(
        to_json(&model),
        "application/json",
        format!("product-{id}-v{n}.json"),
    ))
}

// ---------------------------------------------------------------------------------
// Editing a model

#[derive(Template)]
#[template(path = "web/workspace/edit.html")]
struct EditTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    product: &'a Product,
    version: i64,
    toml: String,
    model: ModelView,
    problems: Vec<String>,
    note: String,
}

pub async fn edit_form(
    State(s): State<AppState>,
    page: Page,
    Path((id, n)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let (product, _, model) = own_version(&s, &page, id, n).await?;
    let toml = to_toml(&model).unwrap_or_default();
    render(
        &page,
        &EditTemplate {
            page: &page,
            tab: Tab::None,
            product: &product,
            version: n,
            toml,
            model: model_view(&page, &model),
            problems: Vec::new(),
            note: String::new(),
        },
    )
}

/// A form's amount: a number, else a formula over the model's parameters.
pub fn amount_of(text: &str) -> Option<Amount> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(match t.parse::<f64>() {
        Ok(n) if n.is_finite() => Amount::Number(n),
        _ => Amount::Formula(t.trim_start_matches('=').trim().to_string()),
    })
}

/// Applies the structured form's fields (`in.P.I.amount`, `in.P.I.dataset`,
/// `in.P.I.pcf`, `em.P.I.amount`) to `model`; problems name the field.
fn apply_form(page: &Page, model: &mut ProductModel, fields: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, value) in fields {
        let parts: Vec<&str> = name.split('.').collect();
        let [kind, p, i, what] = parts.as_slice() else {
            continue;
        };
        let (Ok(p), Ok(i)) = (p.parse::<usize>(), i.parse::<usize>()) else {
            continue;
        };
        let Some(process) = model.processes.get_mut(p) else {
            problems.push(page.tf("ws.edit.no_such_field", &[("field", name)]));
            continue;
        };
        let place = match *kind {
            "in" => format!("process[{p}].inputs[{i}].{what}"),
            _ => format!("process[{p}].emissions[{i}].{what}"),
        };
        match (*kind, *what) {
            ("in", "amount") | ("em", "amount") => {
                let Some(amount) = amount_of(value) else {
                    problems.push(page.tf("ws.edit.empty", &[("field", &place)]));
                    continue;
                };
                let slot = if *kind == "in" {
                    process.inputs.get_mut(i).map(|x| &mut x.amount)
                } else {
                    process.emissions.get_mut(i).map(|x| &mut x.amount)
                };
                match slot {
                    Some(a) => *a = amount,
                    None => problems.push(page.tf("ws.edit.no_such_field", &[("field", &place)])),
                }
            }
            ("in", "dataset") => match process.inputs.get_mut(i) {
                Some(input) if input.dataset.is_some() => {
                    let d = value.trim();
                    if d.is_empty() {
                        problems.push(page.tf("ws.edit.empty", &[("field", &place)]));
                    } else {
                        input.dataset = Some(d.to_string());
                    }
                }
                _ => problems.push(page.tf("ws.edit.no_such_field", &[("field", &place)])),
            },
            ("in", "pcf") => match process.inputs.get_mut(i).and_then(|x| x.supplier.as_mut()) {
                Some(sup) => match parse_number(page, &place, value) {
                    Ok(v) => sup.pcf = v,
                    Err(m) => problems.push(m),
                },
                None => problems.push(page.tf("ws.edit.no_such_field", &[("field", &place)])),
            },
            _ => {}
        }
    }
    problems
}

/// Checks an edited model with the model validator (what `crate::upload` runs);
/// problems name their field path.
pub fn validate_model(model: &ProductModel) -> Vec<String> {
    zuji_model::validate::validate(model)
        .iter()
        .map(|e| format!("{}: {}", e.path, e.message))
        .collect()
}

pub async fn save_edit(
    State(s): State<AppState>,
    page: Page,
    Path((id, n)): Path<(i64, i64)>,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let (product, _, stored) = own_version(&s, &page, id, n).await?;
    let Form(fields) = form.map_err(|e| {
        WebError::message(
            &page,
            StatusCode::BAD_REQUEST,
            page.tf("ws.upload.unreadable", &[("detail", &e.body_text())]),
        )
    })?;
    let get = |k: &str| {
        fields
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let note = get("note").trim().to_string();
    let (result, toml_shown, source_format) = if get("mode") == "toml" {
        let text = get("toml");
        let parsed = crate::upload::parse(text.as_bytes(), ModelFormat::Toml)
            .map(|m| m.model)
            .map_err(problems_of);
        (parsed, text, "toml")
    } else {
        let mut model = stored.clone();
        let mut problems = apply_form(&page, &mut model, &fields);
        if problems.is_empty() {
            problems = validate_model(&model);
        }
        let shown = to_toml(&stored).unwrap_or_default();
        if problems.is_empty() {
            (Ok(model), shown, "json")
        } else {
            // The form is shown again with the values as submitted.
            (Err(problems), shown, "json")
        }
    };
    let model = match result {
        Ok(m) => m,
        Err(problems) => {
            let mut shown_model = stored.clone();
            apply_form(&page, &mut shown_model, &fields);
            return render_status(
                &page,
                &EditTemplate {
                    page: &page,
                    tab: Tab::None,
                    product: &product,
                    version: n,
                    toml: toml_shown,
                    model: model_view(&page, &shown_model),
                    problems,
                    note,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let saved = s
        .store
        .add_model_version(
            &page.viewer,
            id,
            NewModelVersion {
                model_json: to_json(&model),
                source_format: source_format.into(),
                note: if note.is_empty() {
                    page.tf("ws.edit.default_note", &[("version", &n.to_string())])
                } else {
                    note
                },
            },
        )
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other(&format!(
        "/app/products/{id}/versions/{}",
        saved.version
    )))
}
