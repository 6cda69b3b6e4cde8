//! Product categories: every PCR with its count of certified products, and one
//! category's page — the rule, the current benchmark, the distribution of certified
//! footprints with the benchmark marked, grade counts and the ranking, lowest first,
//! with checkboxes to compare.

use super::search::latest_pcrs;
use super::{
    boundary_text, enc, grade_class, not_found, pcr_title, per_unit, status_class, status_text,
    value_text,
};
use crate::AppState;
use crate::web::chart::histogram_svg;
use crate::web::pager::Pager;
use crate::web::{Page, WebError, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use zuji_store::{PageRequest, StoreError};
use zuji_trust::benchmark::BenchmarkVersion;
use zuji_trust::pcr::BenchmarkMethod;

/// Products per page of a category's ranking.
const PER_PAGE: u64 = 50;
/// Bins of the distribution's histogram.
const BINS: usize = 12;

struct CategoryRow {
    id: String,
    link: String,
    title: String,
    version: String,
    declared_unit: String,
    count: u64,
}

#[derive(Template)]
#[template(path = "web/registry/categories.html")]
struct CategoriesTemplate<'a> {
    page: &'a Page,
    rows: Vec<CategoryRow>,
}

pub async fn categories(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    let pcrs = s
        .store
        .list_pcrs(None, None)
        .await
        .map_err(|e| page.error(e))?;
    let counts = s
        .store
        .registry_category_counts()
        .await
        .map_err(|e| page.error(e))?;
    let rows = latest_pcrs(&pcrs)
        .into_iter()
        .map(|p| CategoryRow {
            id: p.pcr.id.clone(),
            link: format!("/registry/categories/{}", enc(&p.pcr.id)),
            title: pcr_title(&p.pcr, &page.tr).to_string(),
            version: p.pcr.version.clone(),
            declared_unit: format!(
                "{} {}",
                p.pcr.declared_unit.amount, p.pcr.declared_unit.unit
            ),
            count: counts
                .iter()
                .find(|(id, _)| *id == p.pcr.id)
                .map_or(0, |(_, n)| *n),
        })
        .collect();
    render(&page, &CategoriesTemplate { page: &page, rows })
}

struct BenchmarkBox {
    default: String,
    average: String,
    advanced: String,
    default_raw: f64,
    average_raw: f64,
    advanced_raw: f64,
    version: String,
    published: String,
    source: String,
    /// Source · year · geography · licence.
    citation: String,
    sample: Option<String>,
}

/// What a benchmark cites, as every public page shows it: its source, year (period),
/// geography and licence, each "not stated" when the benchmark does not state it.
pub(super) fn benchmark_citation(page: &Page, b: &BenchmarkVersion) -> String {
    let not_stated = page.t("common.not_stated");
    page.tf(
        "registry.benchmark.citation",
        &[
            ("source", &b.source),
            ("year", &b.period),
            ("geography", b.geography.as_deref().unwrap_or(not_stated)),
            ("licence", b.licence.as_deref().unwrap_or(not_stated)),
        ],
    )
}

struct RankRow {
    rank: u64,
    product_id: i64,
    name: String,
    org: String,
    value: String,
    value_raw: f64,
    grade: Option<String>,
    grade_class: String,
    label_id: String,
    status: &'static str,
    status_class: &'static str,
}

struct GradeRow {
    grade: String,
    class: String,
    count: u64,
}

#[derive(Template)]
#[template(path = "web/registry/category.html")]
struct CategoryTemplate<'a> {
    page: &'a Page,
    title: String,
    pcr_id: String,
    pcr_link: String,
    version: String,
    declared_unit: String,
    unit: String,
    boundary: &'static str,
    benchmark: Option<BenchmarkBox>,
    histogram: Option<String>,
    grades: Vec<GradeRow>,
    rows: Vec<RankRow>,
    total: u64,
    summary: String,
    pager: Pager,
}

#[derive(Debug, Default, Deserialize)]
pub struct CategoryQuery {
    #[serde(default)]
    page: String,
}

pub async fn category(
    State(s): State<AppState>,
    page: Page,
    Path(pcr_id): Path<String>,
    Query(query): Query<CategoryQuery>,
) -> Result<Response, WebError> {
    let tr = &page.tr;
    let pcr = match s.store.get_pcr(&pcr_id, None).await {
        Ok(p) => p.pcr,
        Err(StoreError::NotFound { .. }) => {
            return Err(not_found(
                &page,
                page.tf("registry.category.not_found", &[("id", &pcr_id)]),
            ));
        }
        Err(e) => return Err(page.error(e)),
    };
    let number = match query.page.trim() {
        "" => 1,
        text => text
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                super::invalid(
                    &page,
                    page.tf("registry.search.bad_page", &[("page", text)]),
                )
            })?,
    };
    let benchmark = s
        .store
        .current_benchmark(&pcr.id)
        .await
        .map_err(|e| page.error(e))?;
    let distribution = s
        .store
        .category_distribution(&pcr.id)
        .await
        .map_err(|e| page.error(e))?;
    let ranking = s
        .store
        .rank_registry(&pcr.id, PageRequest::new((number - 1) * PER_PAGE, PER_PAGE))
        .await
        .map_err(|e| page.error(e))?;
    let declared_unit = format!("{} {}", pcr.declared_unit.amount, pcr.declared_unit.unit);
    let benchmark_box = benchmark.as_ref().map(|b| {
        let bv = &b.benchmark;
        BenchmarkBox {
            default: value_text(tr, bv.values.default),
            average: value_text(tr, bv.values.average),
            advanced: value_text(tr, bv.values.advanced),
            default_raw: bv.values.default,
            average_raw: bv.values.average,
            advanced_raw: bv.values.advanced,
            version: format!("{} v{}", bv.period, bv.version),
            published: bv.published_at.clone(),
            source: match &bv.method {
                BenchmarkMethod::Statistical { .. } => page.tf(
                    "registry.benchmark.computed",
                    &[("n", &bv.sample_size.unwrap_or(0).to_string())],
                ),
                BenchmarkMethod::Policy { source } => {
                    page.tf("registry.benchmark.policy", &[("source", source)])
                }
            },
            citation: benchmark_citation(&page, bv),
            sample: bv.statistics.map(|st| {
                page.tf(
                    "registry.benchmark.sample",
                    &[
                        ("n", &st.n.to_string()),
                        ("min", &tr.sig(st.min)),
                        ("median", &tr.sig(st.median)),
                        ("max", &tr.sig(st.max)),
                    ],
                )
            }),
        }
    });
    let histogram = (!distribution.values.is_empty()).then(|| {
        let markers: Vec<(String, f64)> = match &benchmark {
            Some(b) => vec![
                (
                    page.t("registry.benchmark.advanced").to_string(),
                    b.benchmark.values.advanced,
                ),
                (
                    page.t("registry.benchmark.average").to_string(),
                    b.benchmark.values.average,
                ),
                (
                    page.t("registry.benchmark.default").to_string(),
                    b.benchmark.values.default,
                ),
            ],
            None => Vec::new(),
        };
        histogram_svg(
            &distribution.values,
            BINS,
            &markers,
            &page.tf(
                "registry.category.histogram_title",
                &[
                    ("count", &distribution.values.len().to_string()),
                    ("unit", &declared_unit),
                ],
            ),
            tr,
        )
    });
    let grades = distribution
        .grades
        .iter()
        .map(|g| GradeRow {
            class: g.grade.as_deref().map(grade_class).unwrap_or_default(),
            grade: g
                .grade
                .clone()
                .unwrap_or_else(|| page.t("registry.grade.none_short").to_string()),
            count: g.count,
        })
        .collect();
    let rows: Vec<RankRow> = ranking
        .items
        .iter()
        .map(|r| {
            let e = &r.entry;
            RankRow {
                rank: r.rank,
                product_id: e.product_id,
                name: e.product_name.clone(),
                org: e.org_name.clone(),
                value: value_text(tr, e.value),
                value_raw: e.value,
                grade_class: e.grade.as_deref().map(grade_class).unwrap_or_default(),
                grade: e.grade.clone(),
                label_id: e.label_id.clone(),
                status: status_text(tr, e.certificate_status),
                status_class: status_class(e.certificate_status),
            }
        })
        .collect();
    let pager = Pager::new(
        &page,
        &format!("/registry/categories/{}", enc(&pcr.id)),
        &[],
        number,
        ranking.total,
        PER_PAGE,
    );
    let unit = ranking
        .items
        .first()
        .map(|r| per_unit(&r.entry.unit, &r.entry.declared_unit))
        .unwrap_or_else(|| per_unit("kg CO2e", &declared_unit));
    render(
        &page,
        &CategoryTemplate {
            page: &page,
            title: pcr_title(&pcr, tr).to_string(),
            pcr_id: pcr.id.clone(),
            pcr_link: format!("/registry/pcrs/{}", enc(&pcr.id)),
            version: pcr.version.clone(),
            declared_unit,
            unit,
            boundary: boundary_text(tr, pcr.boundary),
            benchmark: benchmark_box,
            histogram,
            grades,
            summary: page.tf(
                "registry.category.ranked",
                &[("count", &ranking.total.to_string())],
            ),
            total: ranking.total,
            rows,
            pager,
        },
    )
}
