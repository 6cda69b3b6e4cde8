//! The home page and the registry's search: certified products found by name, GTIN,
//! category, enterprise and grade, a page at a time.

use super::{
    enc, grade_class, pcr_title, pcr_title_of, per_unit, status_class, status_text, value_text,
};
use crate::AppState;
use crate::web::pager::Pager;
use crate::web::{Page, WebError, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use zuji_store::registry::{RegistryEntry, RegistryFilter, RegistrySort};
use zuji_store::{PageRequest, StoredPcr};
use zuji_trust::label::check_gtin;

/// Results per page of the search.
const PER_PAGE: u64 = 20;
/// Newest certified products on the home page.
const HOME_NEWEST: u64 = 6;

/// A search result as a row shows it.
pub(super) struct ResultRow {
    pub product_id: i64,
    pub name: String,
    pub org: String,
    pub category: String,
    pub value: String,
    pub value_raw: f64,
    pub unit: String,
    pub grade: Option<String>,
    pub grade_class: String,
    pub label_id: String,
    pub status: &'static str,
    pub status_class: &'static str,
}

pub(super) fn result_row(page: &Page, pcrs: &[StoredPcr], e: &RegistryEntry) -> ResultRow {
    ResultRow {
        product_id: e.product_id,
        name: e.product_name.clone(),
        org: e.org_name.clone(),
        category: pcr_title_of(pcrs, &e.pcr_id, &page.tr),
        value: value_text(&page.tr, e.value),
        value_raw: e.value,
        unit: per_unit(&e.unit, &e.declared_unit),
        grade_class: e.grade.as_deref().map(grade_class).unwrap_or_default(),
        grade: e.grade.clone(),
        label_id: e.label_id.clone(),
        status: status_text(&page.tr, e.certificate_status),
        status_class: status_class(e.certificate_status),
    }
}

/// A category on the home page.
struct CategoryCard {
    id: String,
    title: String,
    count: u64,
    count_text: String,
}

#[derive(Template)]
#[template(path = "web/home.html")]
struct HomeTemplate<'a> {
    page: &'a Page,
    categories: Vec<CategoryCard>,
    rows: Vec<ResultRow>,
    /// More products are listed than the home page shows.
    more: bool,
}

pub async fn home(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
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
    let newest = s
        .store
        .search_registry(&RegistryFilter::default(), PageRequest::new(0, HOME_NEWEST))
        .await
        .map_err(|e| page.error(e))?;
    let categories = latest_pcrs(&pcrs)
        .into_iter()
        .map(|p| {
            let count = counts
                .iter()
                .find(|(id, _)| *id == p.pcr.id)
                .map_or(0, |(_, n)| *n);
            CategoryCard {
                id: enc(&p.pcr.id),
                title: pcr_title(&p.pcr, &page.tr).to_string(),
                count,
                count_text: page.tf(
                    "registry.home.certified_count",
                    &[("count", &count.to_string())],
                ),
            }
        })
        .collect();
    let rows: Vec<ResultRow> = newest
        .items
        .iter()
        .map(|e| result_row(&page, &pcrs, e))
        .collect();
    render(
        &page,
        &HomeTemplate {
            page: &page,
            categories,
            more: newest.total > rows.len() as u64,
            rows,
        },
    )
}

/// Each PCR id once, at its newest loaded version, in the order first loaded.
pub(super) fn latest_pcrs(pcrs: &[StoredPcr]) -> Vec<&StoredPcr> {
    let mut out: Vec<&StoredPcr> = Vec::new();
    for p in pcrs {
        match out.iter_mut().find(|q| q.pcr.id == p.pcr.id) {
            Some(slot) => *slot = p,
            None => out.push(p),
        }
    }
    out
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    gtin: String,
    #[serde(default)]
    sort: String,
    /// 1-based; anything that is not a positive number is the first page.
    #[serde(default)]
    page: String,
}

/// An option of a `<select>`.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "web/registry/search.html")]
struct SearchTemplate<'a> {
    page: &'a Page,
    q: &'a str,
    org: &'a str,
    gtin: &'a str,
    categories: Vec<Choice>,
    grades: Vec<Choice>,
    sorts: Vec<Choice>,
    /// Why the search was not run (a GTIN with a wrong check digit, …).
    problems: Vec<String>,
    rows: Vec<ResultRow>,
    total: u64,
    summary: String,
    pager: Pager,
}

/// Why `text` is not a GTIN, in the page's language; `None` when it is one.
pub(super) fn gtin_problem(page: &Page, field: &str, text: &str) -> Option<String> {
    check_gtin(text).err()?;
    let well_formed =
        matches!(text.len(), 8 | 12 | 13 | 14) && text.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return Some(page.tf(
            "registry.gtin.not_digits",
            &[("field", field), ("gtin", text)],
        ));
    }
    // The right check digit is the one `check_gtin` accepts in its place.
    let stem = &text[..text.len() - 1];
    let expected = (0..10)
        .map(|d| format!("{stem}{d}"))
        .position(|g| check_gtin(&g).is_ok())
        .map(|d| d.to_string())
        .unwrap_or_default();
    let found = &text[text.len() - 1..];
    Some(page.tf(
        "registry.gtin.check_digit",
        &[
            ("field", field),
            ("gtin", text),
            ("found", found),
            ("expected", &expected),
        ],
    ))
}

/// Whether `text` looks like a barcode number (digits only, a GTIN's length or
/// nearly): the search box then treats it as a GTIN.
fn looks_like_gtin(text: &str) -> bool {
    (7..=15).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

pub async fn search(
    State(s): State<AppState>,
    page: Page,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let q = query.q.trim();
    let org = query.org.trim();
    let gtin = query.gtin.trim();
    let category = query.category.trim();
    let grade = query.grade.trim();
    let mut problems = Vec::new();
    if looks_like_gtin(q)
        && let Some(p) = gtin_problem(&page, page.t("registry.search.q"), q)
    {
        problems.push(p);
    }
    if !gtin.is_empty()
        && let Some(p) = gtin_problem(&page, page.t("registry.search.gtin"), gtin)
    {
        problems.push(p);
    }
    let sort = match query.sort.trim() {
        "" => RegistrySort::Newest,
        text => match RegistrySort::parse(text) {
            Some(s) => s,
            None => {
                problems.push(page.tf("registry.search.bad_sort", &[("sort", text)]));
                RegistrySort::Newest
            }
        },
    };
    let pcrs = s
        .store
        .list_pcrs(None, None)
        .await
        .map_err(|e| page.error(e))?;
    let latest = latest_pcrs(&pcrs);
    if !category.is_empty() && !latest.iter().any(|p| p.pcr.id == category) {
        problems.push(page.tf("registry.search.bad_category", &[("category", category)]));
    }
    // The grades any stored PCR's bands give.
    let mut grade_values: Vec<String> = Vec::new();
    for p in &latest {
        for b in &p.pcr.grades.bands {
            if !grade_values.contains(&b.grade) {
                grade_values.push(b.grade.clone());
            }
        }
    }
    if !grade.is_empty() && !grade_values.iter().any(|g| g == grade) {
        problems.push(page.tf("registry.search.bad_grade", &[("grade", grade)]));
    }
    let number = match query.page.trim() {
        "" => 1,
        text => match text.parse::<u64>() {
            Ok(n) if n >= 1 => n,
            _ => {
                problems.push(page.tf("registry.search.bad_page", &[("page", text)]));
                1
            }
        },
    };
    let (rows, total) = if problems.is_empty() {
        let filter = RegistryFilter {
            q: Some(q.to_string()),
            pcr_id: Some(category.to_string()),
            org: Some(org.to_string()),
            grade: Some(grade.to_string()),
            gtin: Some(gtin.to_string()),
            sort,
        };
        let found = s
            .store
            .search_registry(&filter, PageRequest::new((number - 1) * PER_PAGE, PER_PAGE))
            .await
            .map_err(|e| page.error(e))?;
        let rows: Vec<ResultRow> = found
            .items
            .iter()
            .map(|e| result_row(&page, &pcrs, e))
            .collect();
        (rows, found.total)
    } else {
        (Vec::new(), 0)
    };
    let pager = Pager::new(
        &page,
        "/registry",
        &[
            ("q", q),
            ("category", category),
            ("org", org),
            ("grade", grade),
            ("gtin", gtin),
            ("sort", query.sort.trim()),
        ],
        number,
        total,
        PER_PAGE,
    );
    let mut categories = vec![Choice {
        value: String::new(),
        label: page.t("registry.search.any_category").to_string(),
        selected: category.is_empty(),
    }];
    categories.extend(latest.iter().map(|p| Choice {
        value: p.pcr.id.clone(),
        label: pcr_title(&p.pcr, &page.tr).to_string(),
        selected: p.pcr.id == category,
    }));
    let mut grades = vec![Choice {
        value: String::new(),
        label: page.t("registry.search.any_grade").to_string(),
        selected: grade.is_empty(),
    }];
    grades.extend(grade_values.iter().map(|g| Choice {
        value: g.clone(),
        label: g.clone(),
        selected: g == grade,
    }));
    let sorts = [
        (RegistrySort::Newest, page.t("registry.sort.newest")),
        (RegistrySort::Lowest, page.t("registry.sort.lowest")),
        (RegistrySort::Name, page.t("registry.sort.name")),
    ]
    .into_iter()
    .map(|(s, label)| Choice {
        value: s.as_str().to_string(),
        label: label.to_string(),
        selected: s == sort,
    })
    .collect();
    let summary = page.tf("registry.search.summary", &[("count", &total.to_string())]);
    render(
        &page,
        &SearchTemplate {
            page: &page,
            q,
            org,
            gtin,
            categories,
            grades,
            sorts,
            problems,
            rows,
            total,
            summary,
            pager,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barcode_like_queries() {
        assert!(looks_like_gtin("6901234567892"));
        assert!(looks_like_gtin("12345678"));
        assert!(!looks_like_gtin("LFP 280"));
        assert!(!looks_like_gtin("123"));
    }
}
