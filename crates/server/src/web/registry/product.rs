//! A certified product's public page — its label, value, grade against the category's
//! benchmark, life-cycle stages, certificate and its history, and the label's
//! verification — and the side-by-side comparison of products of one category.

use super::{
    boundary_text, enc, grade_class, invalid, not_found, pcr_title, per_unit, stage_text,
    status_class, status_text, value_text,
};
use crate::AppState;
use crate::label_check::check_label;
use crate::routes::labels::base_url;
use crate::web::chart::{bar_chart_html, bar_rows, escape};
use crate::web::{Page, Tr, WebError, render};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use zuji_model::LifeCycleStage;
use zuji_store::StoreError;
use zuji_store::registry::{CertificateEventKind, RegistryProduct};
use zuji_trust::benchmark::BenchmarkValues;
use zuji_trust::certification::SurveillanceOutcome;
use zuji_trust::pcr::BenchmarkMethod;

/// The three benchmark values and where the product sits among them.
struct BenchmarkView {
    default: String,
    average: String,
    advanced: String,
    default_raw: f64,
    average_raw: f64,
    advanced_raw: f64,
    /// `2024 v1`, as the benchmark names itself.
    version: String,
    source: String,
    /// Source · year · geography · licence ([`super::category::benchmark_citation`]).
    citation: String,
    position: String,
    comparison: Option<String>,
    /// The scale with the three values and the product marked (SVG, escaped).
    scale_svg: String,
    /// Each band and its upper bound, best first.
    bands: Vec<(String, String, String)>,
}

struct HistoryRow {
    date: String,
    event: &'static str,
    reason: String,
    log_index: u64,
}

struct VisitRow {
    id: String,
    due: String,
    performed: String,
    outcome: String,
}

#[derive(Template)]
#[template(path = "web/registry/product.html")]
struct ProductTemplate<'a> {
    page: &'a Page,
    p: &'a RegistryProduct,
    value: String,
    unit: String,
    grade: Option<String>,
    grade_class: String,
    grade_text: String,
    benchmark: Option<BenchmarkView>,
    stages_html: Option<String>,
    status: &'static str,
    status_class: &'static str,
    issued: String,
    valid_until: String,
    label_valid: String,
    history: Vec<HistoryRow>,
    visits: Option<Vec<VisitRow>>,
    verdict: &'static str,
    verdict_class: &'static str,
    verdict_code: String,
    label_alt: String,
    lang_tag: &'static str,
    pcr_name: String,
    pcr_link: String,
    category_link: String,
    boundary: &'static str,
    org_link: String,
    older_labels: Option<String>,
}

/// A product id from the path; anything else is a page that does not exist.
fn product_id(page: &Page, text: &str) -> Result<i64, WebError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| not_found(page, page.tf("registry.product.not_found", &[("id", text)])))
}

/// The registry's record of a product, or the localized 404 / error page.
async fn load(s: &AppState, page: &Page, id: i64) -> Result<RegistryProduct, WebError> {
    match s.store.registry_product(&page.viewer, id).await {
        Ok(p) => Ok(p),
        Err(StoreError::NotFound { .. }) => Err(not_found(
            page,
            page.tf("registry.product.not_found", &[("id", &id.to_string())]),
        )),
        Err(e) => Err(page.error(e)),
    }
}

pub async fn product(
    State(s): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = product_id(&page, &id)?;
    let p = load(&s, &page, id).await?;
    let tr = &page.tr;
    let st = &p.label.statement;
    let grade = st.grade.as_ref().map(|g| g.grade.clone());
    let grade_text = match &st.grade {
        Some(g) => page.tf(
            "registry.product.graded_by",
            &[
                ("grade", &g.grade),
                ("period", &g.benchmark_period),
                ("version", &g.benchmark_version.to_string()),
            ],
        ),
        None => page.t("registry.grade.none").to_string(),
    };
    let benchmark = p.benchmark.as_ref().map(|b| {
        let bv = &b.benchmark;
        let bands = match &p.pcr {
            Some(pcr) => bv.thresholds(&pcr.pcr.grades).unwrap_or_default(),
            None => Vec::new(),
        };
        BenchmarkView {
            citation: super::category::benchmark_citation(&page, bv),
            ..benchmark_view(
                &page,
                st.value,
                &bv.values,
                &format!("{} v{}", bv.period, bv.version),
                &bv.method,
                bv.sample_size,
                &bands,
            )
        }
    });
    let stages_html = p.stages.as_ref().filter(|s| !s.is_empty()).map(|stages| {
        let rows: Vec<(String, f64)> = stages
            .iter()
            .map(|s| (stage_text(tr, s.stage).to_string(), s.value))
            .collect();
        bar_chart_html(&bar_rows(&rows, tr), page.t("registry.product.stages"))
    });
    let c = &p.certificate;
    let history = p
        .history
        .iter()
        .map(|e| HistoryRow {
            date: page.date_ms(e.at),
            event: match e.kind {
                CertificateEventKind::Issued => page.t("registry.event.issued"),
                CertificateEventKind::Suspended => page.t("registry.event.suspended"),
                CertificateEventKind::Reinstated => page.t("registry.event.reinstated"),
                CertificateEventKind::Withdrawn => page.t("registry.event.withdrawn"),
                CertificateEventKind::Expired => page.t("registry.event.expired"),
            },
            reason: e.reason.clone().unwrap_or_default(),
            log_index: e.log_index,
        })
        .collect();
    // Surveillance is part of the whole record: for the holder, the body, the registry.
    let visits = c.certificate.as_ref().map(|cert| {
        cert.surveillance()
            .iter()
            .map(|v| VisitRow {
                id: v.id.clone(),
                due: page.date_s(v.due_by.unix_seconds()),
                performed: v
                    .performed_at
                    .map(|t| page.date_s(t.unix_seconds()))
                    .unwrap_or_default(),
                outcome: match &v.outcome {
                    Some(SurveillanceOutcome::Satisfactory) => {
                        page.t("registry.surveillance.satisfactory").to_string()
                    }
                    Some(SurveillanceOutcome::Nonconformity { description }) => page.tf(
                        "registry.surveillance.nonconformity",
                        &[("description", description)],
                    ),
                    None => page.t("registry.surveillance.open").to_string(),
                },
            })
            .collect()
    });
    let now = zuji_store::now_ms().div_euclid(1000);
    let (verdict_code, verdict, verdict_class) = match check_label(
        &s.store,
        &p.label.id,
        None,
        &base_url(&s, &headers),
        now,
    )
    .await
    {
        Ok(check) => {
            let (text, class) = verdict_words(&page, &check.verdict);
            (check.verdict, text, class)
        }
        Err(e) => {
            tracing::warn!(error = %e, label = %p.label.id, "label check on the product page failed");
            (
                "unavailable".to_string(),
                page.t("registry.verdict.unavailable"),
                "warn",
            )
        }
    };
    let pcr_name = match &p.pcr {
        Some(pcr) => pcr_title(&pcr.pcr, tr).to_string(),
        None => st.pcr.id.clone(),
    };
    let older = p.label_count.saturating_sub(1);
    let page_ref = &page;
    render(
        page_ref,
        &ProductTemplate {
            page: page_ref,
            value: value_text(tr, st.value),
            unit: per_unit(&st.unit, &st.declared_unit),
            grade_class: grade.as_deref().map(grade_class).unwrap_or_default(),
            grade,
            grade_text,
            benchmark,
            stages_html,
            status: status_text(tr, c.status),
            status_class: status_class(c.status),
            issued: page.date_ms(c.issued_at),
            valid_until: page.date_ms(c.valid_until - 1),
            label_valid: page.tf(
                "registry.product.label_valid",
                &[
                    ("from", &page.date_s(st.valid_from)),
                    ("until", &page.date_s(st.valid_until - 1)),
                ],
            ),
            history,
            visits,
            verdict,
            verdict_class,
            verdict_code,
            label_alt: page.tf(
                "registry.product.label_alt",
                &[
                    ("product", &p.product_name),
                    ("value", &value_text(tr, st.value)),
                    ("unit", &per_unit(&st.unit, &st.declared_unit)),
                    ("label", &p.label.id),
                ],
            ),
            lang_tag: page.lang(),
            pcr_name,
            pcr_link: format!(
                "/registry/pcrs/{}?version={}",
                enc(&st.pcr.id),
                enc(&st.pcr.version)
            ),
            category_link: format!("/registry/categories/{}", enc(&st.pcr.id)),
            boundary: boundary_text(tr, st.boundary),
            org_link: format!("/registry?org={}", enc(&p.org_name)),
            older_labels: (older > 0).then(|| {
                page.tf(
                    "registry.product.older_labels",
                    &[("count", &older.to_string())],
                )
            }),
            p: &p,
        },
    )
}

/// A verification verdict in words, with its notice colour.
fn verdict_words(page: &Page, verdict: &str) -> (&'static str, &'static str) {
    match verdict {
        "valid" => (page.t("registry.verdict.valid"), "good"),
        "revoked" => (page.t("registry.verdict.revoked"), "bad"),
        "suspended" => (page.t("registry.verdict.suspended"), "warn"),
        "expired" => (page.t("registry.verdict.expired"), "warn"),
        "superseded" => (page.t("registry.verdict.superseded"), "warn"),
        _ => (page.t("registry.verdict.invalid"), "bad"),
    }
}

fn benchmark_view(
    page: &Page,
    value: f64,
    values: &BenchmarkValues,
    version: &str,
    method: &BenchmarkMethod,
    sample_size: Option<usize>,
    bands: &[(String, Option<f64>)],
) -> BenchmarkView {
    let tr = &page.tr;
    let position = if value <= values.advanced {
        page.t("registry.position.advanced")
    } else if value <= values.average {
        page.t("registry.position.average")
    } else if value <= values.default {
        page.t("registry.position.default")
    } else {
        page.t("registry.position.above_default")
    };
    let comparison = (values.average > 0.0).then(|| {
        let share = (value - values.average).abs() / values.average;
        if value < values.average {
            page.tf(
                "registry.position.below_average",
                &[("pct", &page.pct(share))],
            )
        } else if value > values.average {
            page.tf(
                "registry.position.above_average",
                &[("pct", &page.pct(share))],
            )
        } else {
            page.t("registry.position.at_average").to_string()
        }
    });
    let source = match method {
        BenchmarkMethod::Statistical { .. } => page.tf(
            "registry.benchmark.computed",
            &[("n", &sample_size.unwrap_or(0).to_string())],
        ),
        BenchmarkMethod::Policy { source } => {
            page.tf("registry.benchmark.policy", &[("source", source)])
        }
    };
    let markers = [
        (page.t("registry.benchmark.advanced"), values.advanced),
        (page.t("registry.benchmark.average"), values.average),
        (page.t("registry.benchmark.default"), values.default),
    ];
    let scale_svg = position_svg(
        value,
        page.t("registry.position.this_product"),
        &markers,
        page.t("registry.position.scale_title"),
        tr,
    );
    let bands = bands
        .iter()
        .map(|(grade, bound)| {
            let text = match bound {
                Some(b) => page.tf("registry.band.at_most", &[("value", &tr.sig(*b))]),
                None => page.t("registry.band.above").to_string(),
            };
            (grade.clone(), grade_class(grade), text)
        })
        .collect();
    BenchmarkView {
        default: value_text(tr, values.default),
        average: value_text(tr, values.average),
        advanced: value_text(tr, values.advanced),
        default_raw: values.default,
        average_raw: values.average,
        advanced_raw: values.advanced,
        version: version.to_string(),
        source,
        citation: String::new(),
        position: position.to_string(),
        comparison,
        scale_svg,
        bands,
    }
}

/// A horizontal scale with the benchmark values as ticks and the product as a marker.
fn position_svg(
    value: f64,
    value_label: &str,
    marks: &[(&str, f64); 3],
    title: &str,
    tr: &Tr,
) -> String {
    const W: f64 = 640.0;
    const H: f64 = 96.0;
    const LEFT: f64 = 24.0;
    const RIGHT: f64 = 24.0;
    const AXIS: f64 = 56.0;
    let all = marks.iter().map(|(_, v)| *v).chain(std::iter::once(value));
    let (mut lo, mut hi) = all
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs().max(1.0) * 0.02);
    lo -= pad;
    hi += pad;
    let x = |v: f64| LEFT + (v - lo) / (hi - lo) * (W - LEFT - RIGHT);
    let mut out = format!(
        "<svg class=\"chart scale\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" \
         aria-labelledby=\"scale-title\"><title id=\"scale-title\">{}</title>\
         <line x1=\"{LEFT}\" y1=\"{AXIS}\" x2=\"{}\" y2=\"{AXIS}\" stroke=\"#4a5560\" stroke-width=\"2\"/>",
        escape(title),
        W - RIGHT
    );
    let colours = ["#0b5d1e", "#0b4f8a", "#a04a00"];
    for (i, (label, v)) in marks.iter().enumerate() {
        if !v.is_finite() {
            continue;
        }
        let xv = x(*v);
        let ty = if i % 2 == 0 { 20.0 } else { 36.0 };
        out.push_str(&format!(
            "<line x1=\"{xv:.1}\" y1=\"{:.1}\" x2=\"{xv:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"2\"/>\
             <text x=\"{xv:.1}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"middle\" fill=\"{c}\">{} {}</text>",
            ty + 4.0,
            AXIS + 6.0,
            escape(label),
            tr.sig(*v),
            c = colours[i],
        ));
    }
    if value.is_finite() {
        let xv = x(value);
        out.push_str(&format!(
            "<path d=\"M{xv:.1} {a:.1} l-7 12 h14 z\" fill=\"#1b1f23\"/>\
             <text x=\"{xv:.1}\" y=\"{ty:.1}\" font-size=\"12\" font-weight=\"700\" text-anchor=\"middle\" fill=\"#1b1f23\">{} {}</text>",
            escape(value_label),
            tr.sig(value),
            a = AXIS + 2.0,
            ty = AXIS + 32.0,
        ));
    }
    out.push_str("</svg>");
    out
}

/// One product in the comparison.
struct CompareColumn {
    product_id: i64,
    name: String,
    org: String,
    value: String,
    value_raw: f64,
    grade: Option<String>,
    grade_class: String,
    status: &'static str,
    status_class: &'static str,
    certificate_id: String,
    label_id: String,
    boundary: &'static str,
    databases: String,
    pcr_version: String,
}

struct StageRow {
    stage: &'static str,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "web/registry/compare.html")]
struct CompareTemplate<'a> {
    page: &'a Page,
    columns: Vec<CompareColumn>,
    stages: Vec<StageRow>,
    unit: String,
    declared_unit: String,
    category: String,
    category_link: String,
}

/// The ids of `?ids=1,2,3` (also `ids=1&ids=2`, as the category page's checkboxes send
/// them), in order, without repeats.
fn compare_ids(page: &Page, query: Option<&str>) -> Result<Vec<i64>, WebError> {
    let mut ids = Vec::new();
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if k != "ids" {
            continue;
        }
        for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let id = part
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| {
                    invalid(page, page.tf("registry.compare.bad_id", &[("id", part)]))
                })?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if !(2..=4).contains(&ids.len()) {
        return Err(invalid(
            page,
            page.tf(
                "registry.compare.count",
                &[("count", &ids.len().to_string())],
            ),
        ));
    }
    Ok(ids)
}

pub async fn compare(
    State(s): State<AppState>,
    page: Page,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let ids = compare_ids(&page, query.as_deref())?;
    let mut products = Vec::with_capacity(ids.len());
    for id in ids {
        products.push(load(&s, &page, id).await?);
    }
    let tr = &page.tr;
    let first = &products[0];
    let first_st = &first.label.statement;
    for other in &products[1..] {
        let st = &other.label.statement;
        if st.pcr.id != first_st.pcr.id {
            return Err(invalid(
                &page,
                page.tf(
                    "registry.compare.different_categories",
                    &[
                        ("a", &first.product_name),
                        ("a_pcr", &first_st.pcr.id),
                        ("b", &other.product_name),
                        ("b_pcr", &st.pcr.id),
                    ],
                ),
            ));
        }
        if st.declared_unit != first_st.declared_unit || st.unit != first_st.unit {
            return Err(invalid(
                &page,
                page.tf(
                    "registry.compare.different_units",
                    &[
                        ("a", &first.product_name),
                        ("a_unit", &first_st.declared_unit),
                        ("b", &other.product_name),
                        ("b_unit", &st.declared_unit),
                    ],
                ),
            ));
        }
    }
    let columns = products
        .iter()
        .map(|p| {
            let st = &p.label.statement;
            let grade = st.grade.as_ref().map(|g| g.grade.clone());
            CompareColumn {
                product_id: p.product_id,
                name: p.product_name.clone(),
                org: p.org_name.clone(),
                value: value_text(tr, st.value),
                value_raw: st.value,
                grade_class: grade.as_deref().map(grade_class).unwrap_or_default(),
                grade,
                status: status_text(tr, p.certificate.status),
                status_class: status_class(p.certificate.status),
                certificate_id: p.certificate.id.clone(),
                label_id: p.label.id.clone(),
                boundary: boundary_text(tr, st.boundary),
                databases: st.databases.join(", "),
                pcr_version: st.pcr.version.clone(),
            }
        })
        .collect();
    let stages = LifeCycleStage::ALL
        .into_iter()
        .filter(|stage| {
            products.iter().any(|p| {
                p.stages
                    .as_ref()
                    .is_some_and(|s| s.iter().any(|v| v.stage == *stage))
            })
        })
        .map(|stage| StageRow {
            stage: stage_text(tr, stage),
            cells: products
                .iter()
                .map(|p| match &p.stages {
                    None => page.t("registry.product.not_disclosed").to_string(),
                    Some(s) => s
                        .iter()
                        .find(|v| v.stage == stage)
                        .map(|v| value_text(tr, v.value))
                        .unwrap_or_else(|| "0".to_string()),
                })
                .collect(),
        })
        .collect();
    let category = match &first.pcr {
        Some(pcr) => pcr_title(&pcr.pcr, tr).to_string(),
        None => first_st.pcr.id.clone(),
    };
    render(
        &page,
        &CompareTemplate {
            page: &page,
            columns,
            stages,
            unit: first_st.unit.clone(),
            declared_unit: first_st.declared_unit.clone(),
            category,
            category_link: format!("/registry/categories/{}", enc(&first_st.pcr.id)),
        },
    )
}
