//! The registry operator's desk (`/desk/registry`, organisations of kind registry):
//! statistics, category benchmarks and their publication, background database versions
//! and their impact, the adopted-standards list, organisations and published keys, and
//! the transparency log's state.
//!
//! Publications go through the API's store functions: `publish_computed_benchmark` (as
//! `POST /api/v1/pcrs/{id}/benchmarks/computed`), `publish_benchmark` (as
//! `POST /api/v1/benchmarks`), `recalculate_stale` (as `POST /api/v1/footprints/recalculate`),
//! `publish_adopted_standards` (as `POST /api/v1/adopted-standards`) and `create_org`
//! (as `POST /api/v1/orgs`).

use super::{CountBar, Notice, count_bar, parse_number, refusal, required, short, with_status};
use crate::AppState;
use crate::web::pager::Pager;
use crate::web::{Page, WebError, render, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::collections::BTreeMap;
use zuji_store::statistics::Granularity;
use zuji_store::{OrgKind, PageRequest, StoredBenchmark, StoredPcr};
use zuji_trust::benchmark::{BenchmarkValues, BenchmarkVersion, check_geography};
use zuji_trust::certification::Timestamp;
use zuji_trust::keys::KeyStatus;
use zuji_trust::log::EntryKind;
use zuji_trust::pcr::{AdoptionStatus, BenchmarkMethod, ListChange, Title};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/desk/registry", get(statistics))
        .route("/desk/registry/benchmarks", get(benchmarks))
        .route("/desk/registry/benchmarks/computed", post(publish_computed))
        .route("/desk/registry/benchmarks/policy", post(publish_policy))
        .route("/desk/registry/databases", get(databases))
        .route("/desk/registry/databases/recalculate", post(recalculate))
        .route(
            "/desk/registry/standards",
            get(standards).post(publish_standards),
        )
        .route(
            "/desk/registry/organisations",
            get(organisations).post(create_organisation),
        )
        .route("/desk/registry/log", get(log))
}

#[derive(Debug, Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
    /// `quarter` for the statistics over time by quarter; months otherwise.
    by: Option<String>,
    /// Jobs queued by a recalculation.
    n: Option<u64>,
    /// The page of a paged list, from 1.
    page: Option<String>,
    /// The benchmark history of one PCR only.
    pcr: Option<String>,
}

// ---------------------------------------------------------------------------------
// Paging

/// Rows per page of the desk's lists.
const PER_PAGE: u64 = 20;

/// The page number `?page=` asks for: 1 when absent; a 422 page naming the value when
/// it is not a whole number from 1.
pub(crate) fn page_number(page: &Page, text: Option<&str>) -> Result<u64, WebError> {
    match text.map(str::trim).unwrap_or("") {
        "" => Ok(1),
        t => t.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            WebError::message(
                page,
                StatusCode::UNPROCESSABLE_ENTITY,
                page.tf("common.pager.bad_page", &[("page", t)]),
            )
        }),
    }
}

/// The rows of page `number` (from 1).
fn page_request(number: u64) -> PageRequest {
    PageRequest::new(number.saturating_sub(1).saturating_mul(PER_PAGE), PER_PAGE)
}

fn done_notice(page: &Page, q: &DoneQuery) -> Option<Notice> {
    let text = match q.done.as_deref()? {
        "computed" => page.t("desk.done.benchmark_computed").to_string(),
        "policy" => page.t("desk.done.benchmark_policy").to_string(),
        "recalculate" => page.tf(
            "desk.done.recalculate",
            &[("n", &page.num(q.n.unwrap_or(0) as f64, 0))],
        ),
        "standards" => page.t("desk.done.standards").to_string(),
        "organisation" => page.t("desk.done.organisation").to_string(),
        _ => return None,
    };
    Some(Notice::good(text))
}

/// A PCR's title in the page's language.
fn title_in<'t>(page: &Page, t: &'t Title) -> &'t str {
    match page.lang() {
        "zh-Hant" => &t.zh_hant,
        "en" => &t.en,
        _ => &t.zh_hans,
    }
}

fn kind_key(k: OrgKind) -> &'static str {
    match k {
        OrgKind::Enterprise => "org.kind.enterprise",
        OrgKind::Certifier => "org.kind.certifier",
        OrgKind::Registry => "org.kind.registry",
    }
}

// ---------------------------------------------------------------------------------
// Statistics

struct StatRow {
    key: String,
    label: String,
    products: CountBar,
    certificates: CountBar,
    valid: CountBar,
    labels: CountBar,
}

struct GradeRow {
    grade: String,
    labels: CountBar,
}

struct PeriodRow {
    label: String,
    products: CountBar,
    certificates: CountBar,
    labels: CountBar,
}

#[derive(Template)]
#[template(path = "web/desk/registry/statistics.html")]
struct StatisticsTemplate<'a> {
    page: &'a Page,
    tab: &'static str,
    products: String,
    certificates: String,
    valid: String,
    labels: String,
    by_category: Vec<StatRow>,
    by_region: Vec<StatRow>,
    by_grade: Vec<GradeRow>,
    over_time: Vec<PeriodRow>,
    quarterly: bool,
}

fn stat_rows(
    page: &Page,
    rows: &[(String, zuji_store::statistics::Tally)],
    labels: impl Fn(&str) -> String,
) -> Vec<StatRow> {
    let max = |f: fn(&zuji_store::statistics::Tally) -> u64| {
        rows.iter().map(|(_, t)| f(t)).max().unwrap_or(0)
    };
    let (mp, mc, mv, ml) = (
        max(|t| t.products),
        max(|t| t.certificates),
        max(|t| t.certificates_valid),
        max(|t| t.labels),
    );
    rows.iter()
        .map(|(key, t)| StatRow {
            key: key.clone(),
            label: labels(key),
            products: count_bar(page, t.products, mp),
            certificates: count_bar(page, t.certificates, mc),
            valid: count_bar(page, t.certificates_valid, mv),
            labels: count_bar(page, t.labels, ml),
        })
        .collect()
}

async fn statistics(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let st = s
        .store
        .statistics(&page.viewer)
        .await
        .map_err(|e| page.error(e))?;
    let pcrs = s
        .store
        .list_pcrs(None, None)
        .await
        .map_err(|e| page.error(e))?;
    // Category id → the title of the newest PCR for it.
    let titles: BTreeMap<String, String> = pcrs
        .iter()
        .map(|p| {
            (
                p.pcr.category.id.clone(),
                title_in(&page, &p.pcr.title).to_string(),
            )
        })
        .collect();
    let by_category = stat_rows(&page, &st.by_category, |c| {
        if c.is_empty() {
            page.t("desk.stats.no_category").to_string()
        } else {
            match titles.get(c) {
                Some(t) => format!("{t} ({c})"),
                None => c.to_string(),
            }
        }
    });
    let by_region = stat_rows(&page, &st.by_region, |r| {
        if r.is_empty() {
            page.t("desk.stats.no_region").to_string()
        } else {
            r.to_string()
        }
    });
    let max_grade = st
        .labels_by_grade
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    let by_grade = st
        .labels_by_grade
        .iter()
        .map(|(g, n)| GradeRow {
            grade: g.clone().unwrap_or_default(),
            labels: count_bar(&page, *n, max_grade),
        })
        .collect();
    let quarterly = q.by.as_deref() == Some("quarter");
    let periods = st.over_time(if quarterly {
        Granularity::Quarter
    } else {
        Granularity::Month
    });
    let mx = |f: fn(&zuji_store::statistics::PeriodCount) -> u64| {
        periods.iter().map(f).max().unwrap_or(0)
    };
    let (mp, mc, ml) = (mx(|p| p.products), mx(|p| p.certificates), mx(|p| p.labels));
    let over_time = periods
        .iter()
        .map(|p| PeriodRow {
            label: if quarterly {
                page.tf(
                    "desk.stats.quarter",
                    &[("year", &p.year.to_string()), ("q", &p.index.to_string())],
                )
            } else {
                super::month_label(&page, p.year, p.index)
            },
            products: count_bar(&page, p.products, mp),
            certificates: count_bar(&page, p.certificates, mc),
            labels: count_bar(&page, p.labels, ml),
        })
        .collect();
    let t = st.totals;
    render(
        &page,
        &StatisticsTemplate {
            page: &page,
            tab: "statistics",
            products: page.num(t.products as f64, 0),
            certificates: page.num(t.certificates as f64, 0),
            valid: page.num(t.certificates_valid as f64, 0),
            labels: page.num(t.labels as f64, 0),
            by_category,
            by_region,
            by_grade,
            over_time,
            quarterly,
        },
    )
}

// ---------------------------------------------------------------------------------
// Benchmarks

struct BenchmarkRow {
    pcr_id: String,
    period: String,
    version: u32,
    default: String,
    default_raw: String,
    average: String,
    average_raw: String,
    advanced: String,
    advanced_raw: String,
    method: String,
    sample: String,
    source: String,
    /// ISO 3166 code, or "not stated" in the page's language.
    geography: String,
    /// The licence, or "not stated" in the page's language.
    licence: String,
    published: String,
    log_index: u64,
}

struct PcrBenchmarks {
    id: String,
    version: String,
    title: String,
    unit: String,
    method: String,
    current: Option<BenchmarkRow>,
}

struct PcrOption {
    id: String,
    label: String,
    selected: bool,
}

/// What the forms held, shown again after a refusal.
#[derive(Debug, Deserialize, Default, Clone)]
struct BenchmarkForm {
    #[serde(default)]
    pcr_id: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    default: String,
    #[serde(default)]
    average: String,
    #[serde(default)]
    advanced: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    licence: String,
    #[serde(default)]
    geography: String,
}

#[derive(Template)]
#[template(path = "web/desk/registry/benchmarks.html")]
struct BenchmarksTemplate<'a> {
    page: &'a Page,
    tab: &'static str,
    notice: Option<Notice>,
    pcrs: Vec<PcrBenchmarks>,
    options: Vec<PcrOption>,
    form: BenchmarkForm,
    /// Every publication, newest first, one page of it.
    history: Vec<BenchmarkRow>,
    history_total: u64,
    history_count: String,
    /// The PCRs to filter the history by (`?pcr=`), the one chosen selected.
    history_options: Vec<PcrOption>,
    pager: Pager,
}

/// Which page of the benchmark history to show, and of which PCR.
struct HistoryView {
    pcr: String,
    number: u64,
}

fn method_text(page: &Page, m: &BenchmarkMethod) -> String {
    match m {
        BenchmarkMethod::Statistical {
            min_sample,
            default,
            average,
            advanced,
            ..
        } => page.tf(
            "desk.bench.method_statistical",
            &[
                ("min", &min_sample.to_string()),
                ("default", &default.to_string()),
                ("average", &average.to_string()),
                ("advanced", &advanced.to_string()),
            ],
        ),
        BenchmarkMethod::Policy { .. } => page.t("desk.bench.method_policy").to_string(),
    }
}

/// A benchmark's `published_at` (`YYYY-MM-DD` or RFC 3339) as a date in the page's
/// language; as written when it is neither.
fn published_date(page: &Page, published_at: &str) -> String {
    published_at
        .get(..10)
        .and_then(|d| d.parse::<zuji_trust::certification::Date>().ok())
        .and_then(Timestamp::at_midnight)
        .map(|t| page.date_s(t.unix_seconds()))
        .unwrap_or_else(|| published_at.to_string())
}

fn benchmark_row(page: &Page, b: &StoredBenchmark) -> BenchmarkRow {
    let v = &b.benchmark;
    BenchmarkRow {
        period: v.period.clone(),
        version: v.version,
        default: page.num(v.values.default, 2),
        default_raw: v.values.default.to_string(),
        average: page.num(v.values.average, 2),
        average_raw: v.values.average.to_string(),
        advanced: page.num(v.values.advanced, 2),
        advanced_raw: v.values.advanced.to_string(),
        method: match v.method {
            BenchmarkMethod::Statistical { .. } => page.t("desk.bench.computed").to_string(),
            BenchmarkMethod::Policy { .. } => page.t("desk.bench.policy").to_string(),
        },
        sample: v
            .sample_size
            .map(|n| page.num(n as f64, 0))
            .unwrap_or_default(),
        source: v.source.clone(),
        geography: stated(page, v.geography.as_deref()),
        // A computed benchmark carries no licence: the project states none for the
        // registry's own data (the open-data page says so).
        licence: stated(page, v.licence.as_deref()),
        published: published_date(page, &v.published_at),
        log_index: b.log_index,
        pcr_id: v.pcr_id.clone(),
    }
}

/// `value`, or "not stated" in the page's language.
fn stated(page: &Page, value: Option<&str>) -> String {
    value
        .map(str::to_string)
        .unwrap_or_else(|| page.t("common.not_stated").to_string())
}

async fn show_benchmarks(
    s: &AppState,
    page: &Page,
    notice: Option<Notice>,
    form: BenchmarkForm,
    view: HistoryView,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let stored: Vec<StoredPcr> = s
        .store
        .list_pcrs(None, None)
        .await
        .map_err(|e| page.error(e))?;
    // The newest version of each PCR id, in the order loaded.
    let mut latest: Vec<&StoredPcr> = Vec::new();
    for p in &stored {
        match latest.iter_mut().find(|l| l.pcr.id == p.pcr.id) {
            Some(l) => *l = p,
            None => latest.push(p),
        }
    }
    let mut pcrs = Vec::new();
    for p in &latest {
        let all = s
            .store
            .list_benchmarks(&p.pcr.id)
            .await
            .map_err(|e| page.error(e))?;
        // Ordered by period then version: the last is the latest period's latest version.
        let current = all.last().map(|b| benchmark_row(page, b));
        pcrs.push(PcrBenchmarks {
            id: p.pcr.id.clone(),
            version: p.pcr.version.clone(),
            title: title_in(page, &p.pcr.title).to_string(),
            unit: format!(
                "{} {}",
                p.pcr.declared_unit.amount, p.pcr.declared_unit.unit
            ),
            method: method_text(page, &p.pcr.benchmark),
            current,
        });
    }
    let pcr_filter = Some(view.pcr.as_str()).filter(|p| !p.is_empty());
    let history = s
        .store
        .benchmark_history(pcr_filter, page_request(view.number))
        .await
        .map_err(|e| page.error(e))?;
    let pager = Pager::new(
        page,
        "/desk/registry/benchmarks",
        &[("pcr", &view.pcr)],
        view.number,
        history.total,
        PER_PAGE,
    );
    let mut history_options = vec![PcrOption {
        id: String::new(),
        label: page.t("desk.bench.all_pcrs").to_string(),
        selected: view.pcr.is_empty(),
    }];
    history_options.extend(latest.iter().map(|p| PcrOption {
        id: p.pcr.id.clone(),
        label: format!("{} — {}", title_in(page, &p.pcr.title), p.pcr.id),
        selected: p.pcr.id == view.pcr,
    }));
    let options = latest
        .iter()
        .map(|p| PcrOption {
            id: p.pcr.id.clone(),
            label: format!("{} — {}", title_in(page, &p.pcr.title), p.pcr.id),
            selected: p.pcr.id == form.pcr_id,
        })
        .collect();
    render(
        page,
        &BenchmarksTemplate {
            page,
            tab: "benchmarks",
            notice,
            pcrs,
            options,
            form,
            history: history
                .items
                .iter()
                .map(|b| benchmark_row(page, b))
                .collect(),
            history_total: history.total,
            history_count: page.tf(
                "desk.bench.history_count",
                &[("n", &page.num(history.total as f64, 0))],
            ),
            history_options,
            pager,
        },
    )
}

async fn benchmarks(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let notice = done_notice(&page, &q);
    let view = HistoryView {
        pcr: q.pcr.as_deref().unwrap_or("").trim().to_string(),
        number: page_number(&page, q.page.as_deref())?,
    };
    show_benchmarks(&s, &page, notice, BenchmarkForm::default(), view).await
}

async fn refused_benchmark(
    s: &AppState,
    page: &Page,
    status: StatusCode,
    message: String,
    form: BenchmarkForm,
) -> Result<Response, WebError> {
    let first = HistoryView {
        pcr: String::new(),
        number: 1,
    };
    show_benchmarks(s, page, Some(Notice::bad(message)), form, first)
        .await
        .map(|r| with_status(r, status))
}

async fn publish_computed(
    State(s): State<AppState>,
    page: Page,
    Form(f): Form<BenchmarkForm>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let missing = [
        (&f.pcr_id, "desk.bench.pcr"),
        (&f.period, "desk.bench.period"),
    ]
    .into_iter()
    .find(|(value, _)| value.trim().is_empty())
    .map(|(_, label)| required(&page, page.t(label)));
    if let Some(msg) = missing {
        return refused_benchmark(&s, &page, StatusCode::UNPROCESSABLE_ENTITY, msg, f).await;
    }
    match s
        .store
        .publish_computed_benchmark(&page.viewer, f.pcr_id.trim(), f.period.trim())
        .await
    {
        Ok(_) => Ok(see_other("/desk/registry/benchmarks?done=computed")),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            refused_benchmark(&s, &page, status, msg, f).await
        }
    }
}

/// The benchmark the policy form describes, or the message naming the field at fault.
async fn policy_benchmark(
    s: &AppState,
    page: &Page,
    f: &BenchmarkForm,
) -> Result<Result<BenchmarkVersion, String>, WebError> {
    let fields = [
        (&f.pcr_id, "desk.bench.pcr"),
        (&f.period, "desk.bench.period"),
        (&f.default, "desk.bench.default"),
        (&f.average, "desk.bench.average"),
        (&f.advanced, "desk.bench.advanced"),
        (&f.source, "desk.bench.source"),
        // Every published figure carries its licence (a policy document states it).
        (&f.licence, "desk.bench.licence"),
    ];
    for (value, label) in fields {
        if value.trim().is_empty() {
            return Ok(Err(required(page, page.t(label))));
        }
    }
    let geography = match f.geography.trim() {
        "" => None,
        g if check_geography(g).is_ok() => Some(g.to_string()),
        g => {
            return Ok(Err(page.tf(
                "desk.bench.bad_geography",
                &[
                    ("field", page.t("desk.bench.geography_short")),
                    ("value", g),
                ],
            )));
        }
    };
    let number = |text: &str, label: &'static str| parse_number(page, page.t(label), text);
    let values = match (
        number(&f.default, "desk.bench.default"),
        number(&f.average, "desk.bench.average"),
        number(&f.advanced, "desk.bench.advanced"),
    ) {
        (Ok(default), Ok(average), Ok(advanced)) => BenchmarkValues {
            default,
            average,
            advanced,
        },
        (Err(m), _, _) | (_, Err(m), _) | (_, _, Err(m)) => return Ok(Err(m)),
    };
    let pcr = match s.store.get_pcr(f.pcr_id.trim(), None).await {
        Ok(p) => p.pcr,
        Err(e) => return refusal(page, e).map(|(_, m)| Err(m)),
    };
    let period = f.period.trim().to_string();
    let version = match s.store.latest_benchmark(&pcr.id, &period).await {
        Ok(latest) => latest.map_or(1, |b| b.benchmark.version + 1),
        Err(e) => return Err(page.error(e)),
    };
    let source = f.source.trim().to_string();
    let today = Timestamp(zuji_store::statistics::now_unix_seconds()).date();
    Ok(Ok(BenchmarkVersion {
        pcr_id: pcr.id.clone(),
        pcr_version: pcr.version.clone(),
        period,
        version,
        unit: format!("{} {}", pcr.declared_unit.amount, pcr.declared_unit.unit),
        values,
        method: BenchmarkMethod::Policy {
            source: source.clone(),
        },
        sample_size: None,
        statistics: None,
        source,
        licence: Some(f.licence.trim().to_string()),
        geography,
        published_at: today.to_string(),
    }))
}

async fn publish_policy(
    State(s): State<AppState>,
    page: Page,
    Form(f): Form<BenchmarkForm>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let benchmark = match policy_benchmark(&s, &page, &f).await? {
        Ok(b) => b,
        Err(msg) => {
            return refused_benchmark(&s, &page, StatusCode::UNPROCESSABLE_ENTITY, msg, f).await;
        }
    };
    match s.store.publish_benchmark(&page.viewer, benchmark).await {
        Ok(_) => Ok(see_other("/desk/registry/benchmarks?done=policy")),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            refused_benchmark(&s, &page, status, msg, f).await
        }
    }
}

// ---------------------------------------------------------------------------------
// Background databases and their impact

struct DbRow {
    id: i64,
    name: String,
    version: String,
    key: String,
    source: String,
    licence: String,
    imported: String,
    activities: String,
    footprints: String,
    stale: String,
    current: bool,
    sha_short: String,
    sha: String,
}

struct StaleRow {
    footprint_id: i64,
    product: String,
    total: String,
    old_version: String,
}

#[derive(Template)]
#[template(path = "web/desk/registry/databases.html")]
struct DatabasesTemplate<'a> {
    page: &'a Page,
    tab: &'static str,
    notice: Option<Notice>,
    rows: Vec<DbRow>,
    stale: Vec<StaleRow>,
    stale_count: String,
    can_recalculate: bool,
}

async fn show_databases(
    s: &AppState,
    page: &Page,
    notice: Option<Notice>,
) -> Result<Response, WebError> {
    let user = page.require_kind(OrgKind::Registry)?;
    let can_recalculate = user.can_edit();
    let versions = s
        .store
        .database_overview(&page.viewer)
        .await
        .map_err(|e| page.error(e))?;
    let stale = s
        .store
        .stale_footprints(&page.viewer)
        .await
        .map_err(|e| page.error(e))?;
    let mut stale_by_version: BTreeMap<i64, u64> = BTreeMap::new();
    for f in &stale {
        *stale_by_version
            .entry(f.old_database_version_id)
            .or_default() += 1;
    }
    let name_of: BTreeMap<i64, String> = versions
        .iter()
        .map(|v| {
            (
                v.version.id,
                format!("{} {}", v.version.name, v.version.version),
            )
        })
        .collect();
    let rows = versions
        .iter()
        .map(|v| DbRow {
            id: v.version.id,
            name: v.version.name.clone(),
            version: v.version.version.clone(),
            key: v.version.db_key.clone(),
            source: v.source.clone(),
            licence: v.licence.clone(),
            imported: page.datetime_ms(v.version.created_at),
            activities: page.num(v.version.activities as f64, 0),
            footprints: page.num(v.footprints as f64, 0),
            stale: page.num(
                stale_by_version.get(&v.version.id).copied().unwrap_or(0) as f64,
                0,
            ),
            current: v.current,
            sha_short: short(&v.version.sha256, 12),
            sha: v.version.sha256.clone(),
        })
        .collect();
    // One footprint may be stale through several databases: count footprints once.
    let mut distinct: Vec<i64> = stale.iter().map(|f| f.footprint_id).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let stale_rows = stale
        .iter()
        .map(|f| StaleRow {
            footprint_id: f.footprint_id,
            product: f.product_name.clone(),
            total: page.sig(f.total),
            old_version: name_of
                .get(&f.old_database_version_id)
                .cloned()
                .unwrap_or_else(|| f.old_database_version_id.to_string()),
        })
        .collect();
    render(
        page,
        &DatabasesTemplate {
            page,
            tab: "databases",
            notice,
            rows,
            stale: stale_rows,
            stale_count: page.num(distinct.len() as f64, 0),
            can_recalculate,
        },
    )
}

async fn databases(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let notice = done_notice(&page, &q);
    show_databases(&s, &page, notice).await
}

async fn recalculate(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    match s.store.recalculate_stale(&page.viewer).await {
        Ok(jobs) => Ok(see_other(&format!(
            "/desk/registry/databases?done=recalculate&n={}",
            jobs.len()
        ))),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            show_databases(&s, &page, Some(Notice::bad(msg)))
                .await
                .map(|r| with_status(r, status))
        }
    }
}

// ---------------------------------------------------------------------------------
// The adopted-standards list

struct StandardRow {
    code: String,
    title: String,
    issuer: String,
    status_text: String,
    status_class: &'static str,
    adopted_on: String,
    change: String,
    source: String,
}

struct ListVersionRow {
    version: u32,
    published: String,
    entries: usize,
    adopted: usize,
}

#[derive(Template)]
#[template(path = "web/desk/registry/standards.html")]
struct StandardsTemplate<'a> {
    page: &'a Page,
    tab: &'static str,
    notice: Option<Notice>,
    version: String,
    published: String,
    operator: String,
    entries: Vec<StandardRow>,
    history: Vec<ListVersionRow>,
    text: String,
    example: String,
}

/// What the textarea holds: the API's body of `POST /adopted-standards` in TOML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardsToml {
    published: String,
    #[serde(default)]
    changes: Vec<ListChange>,
}

const STANDARDS_EXAMPLE: &str = r#"published = "2027-01-15"

[[changes]]
change = "adopt"
code = "T/EXAMPLE 001-2026"
title = { zh-Hans = "示例标准", zh-Hant = "示例標準", en = "Example standard" }
issuer = "Example association"
status = "adopted"
adopted_on = "2027-01-15"
source = "Where the standard's identity and dates were read"

[[changes]]
change = "withdraw"
code = "T/OLD 002-2020"
on = "2027-01-15"
"#;

#[derive(Debug, Deserialize, Default)]
struct StandardsForm {
    #[serde(default)]
    toml: String,
}

async fn show_standards(
    s: &AppState,
    page: &Page,
    notice: Option<Notice>,
    text: String,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let versions = s
        .store
        .adopted_standards_versions()
        .await
        .map_err(|e| page.error(e))?;
    let current = versions.last();
    let entries = current
        .map(|l| {
            l.entries
                .iter()
                .map(|e| StandardRow {
                    code: e.code.clone(),
                    title: title_in(page, &e.title).to_string(),
                    issuer: e.issuer.clone(),
                    status_text: page
                        .t(match e.status {
                            AdoptionStatus::Adopted => "desk.std.adopted",
                            AdoptionStatus::Superseded => "desk.std.superseded",
                            AdoptionStatus::Withdrawn => "desk.std.withdrawn",
                        })
                        .to_string(),
                    status_class: match e.status {
                        AdoptionStatus::Adopted => "badge good",
                        AdoptionStatus::Superseded => "badge warn",
                        AdoptionStatus::Withdrawn => "badge bad",
                    },
                    adopted_on: e.adopted_on.clone(),
                    change: match (&e.superseded_by, &e.superseded_on, &e.withdrawn_on) {
                        (Some(by), Some(on), _) => {
                            page.tf("desk.std.superseded_by", &[("by", by), ("on", on)])
                        }
                        (_, _, Some(on)) => page.tf("desk.std.withdrawn_on", &[("on", on)]),
                        _ => String::new(),
                    },
                    source: e.source.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let history = versions
        .iter()
        .rev()
        .map(|l| ListVersionRow {
            version: l.version,
            published: l.published.clone(),
            entries: l.entries.len(),
            adopted: l
                .entries
                .iter()
                .filter(|e| e.status == AdoptionStatus::Adopted)
                .count(),
        })
        .collect();
    render(
        page,
        &StandardsTemplate {
            page,
            tab: "standards",
            notice,
            version: current.map(|l| l.version.to_string()).unwrap_or_default(),
            published: current.map(|l| l.published.clone()).unwrap_or_default(),
            operator: current.map(|l| l.operator.clone()).unwrap_or_default(),
            entries,
            history,
            text,
            example: STANDARDS_EXAMPLE.to_string(),
        },
    )
}

async fn standards(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let notice = done_notice(&page, &q);
    show_standards(&s, &page, notice, String::new()).await
}

async fn publish_standards(
    State(s): State<AppState>,
    page: Page,
    Form(f): Form<StandardsForm>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let refused = |status: StatusCode, msg: String| {
        let (s, page, text) = (s.clone(), page.clone(), f.toml.clone());
        async move {
            show_standards(&s, &page, Some(Notice::bad(msg)), text)
                .await
                .map(|r| with_status(r, status))
        }
    };
    if f.toml.trim().is_empty() {
        let msg = required(&page, page.t("desk.std.toml"));
        return refused(StatusCode::UNPROCESSABLE_ENTITY, msg).await;
    }
    let parsed: StandardsToml = match toml::from_str(&f.toml) {
        Ok(p) => p,
        Err(e) => {
            let msg = page.tf(
                "desk.std.toml_invalid",
                &[("problem", e.to_string().trim())],
            );
            return refused(StatusCode::UNPROCESSABLE_ENTITY, msg).await;
        }
    };
    match s
        .store
        .publish_adopted_standards(&page.viewer, &parsed.published, &parsed.changes)
        .await
    {
        Ok(_) => Ok(see_other("/desk/registry/standards?done=standards")),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            refused(status, msg).await
        }
    }
}

// ---------------------------------------------------------------------------------
// Organisations and keys

struct OrgRow {
    id: i64,
    name: String,
    kind: String,
    users: String,
    created: String,
}

struct KeyRow {
    key_id: String,
    owner: String,
    algorithm: String,
    public_key: String,
    valid_from: String,
    valid_until: String,
    status_text: String,
    status_class: &'static str,
}

#[derive(Template)]
#[template(path = "web/desk/registry/organisations.html")]
struct OrganisationsTemplate<'a> {
    page: &'a Page,
    tab: &'static str,
    notice: Option<Notice>,
    orgs: Vec<OrgRow>,
    orgs_total: u64,
    orgs_count: String,
    pager: Pager,
    keys: Vec<KeyRow>,
    can_create: bool,
    name: String,
}

#[derive(Debug, Deserialize, Default)]
struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

async fn show_organisations(
    s: &AppState,
    page: &Page,
    notice: Option<Notice>,
    name: String,
    number: u64,
) -> Result<Response, WebError> {
    let user = page.require_kind(OrgKind::Registry)?;
    let can_create = user.role == zuji_store::Role::Admin;
    let orgs = s
        .store
        .organisations_page(&page.viewer, page_request(number))
        .await
        .map_err(|e| page.error(e))?;
    let ring = s.store.published_keys().await.map_err(|e| page.error(e))?;
    // The keys' owners by name (organisation ids, or the registry's own owner name);
    // looked up one by one, as they need not be on this page of organisations.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for k in &ring.keys {
        if let Ok(id) = k.owner.parse::<i64>()
            && !names.contains_key(&k.owner)
            && let Ok(o) = s.store.get_org(&page.viewer, id).await
        {
            names.insert(k.owner.clone(), o.name);
        }
    }
    let keys = ring
        .keys
        .iter()
        .map(|k| KeyRow {
            key_id: k.key_id.as_str().to_string(),
            owner: if k.owner == zuji_store::REGISTRY_KEY_OWNER {
                page.t("desk.keys.registry_owner").to_string()
            } else {
                names
                    .get(&k.owner)
                    .cloned()
                    .unwrap_or_else(|| k.owner.clone())
            },
            algorithm: k.algorithm.clone(),
            public_key: k.public_key.clone(),
            valid_from: page.datetime_ms(k.valid_from.saturating_mul(1000)),
            valid_until: match k.valid_until {
                Some(u) => page.datetime_ms(u.saturating_mul(1000)),
                None => page.t("desk.keys.open_ended").to_string(),
            },
            status_text: page
                .t(match k.status {
                    KeyStatus::Active => "desk.keys.active",
                    KeyStatus::Retired => "desk.keys.retired",
                    KeyStatus::Revoked => "desk.keys.revoked",
                })
                .to_string(),
            status_class: match k.status {
                KeyStatus::Active => "badge good",
                KeyStatus::Retired => "badge",
                KeyStatus::Revoked => "badge bad",
            },
        })
        .collect();
    let pager = Pager::new(
        page,
        "/desk/registry/organisations",
        &[],
        number,
        orgs.total,
        PER_PAGE,
    );
    let orgs_total = orgs.total;
    let orgs = orgs
        .items
        .into_iter()
        .map(|o| OrgRow {
            id: o.id,
            name: o.name,
            kind: page.t(kind_key(o.kind)).to_string(),
            users: page.num(o.users as f64, 0),
            created: page.date_ms(o.created_at),
        })
        .collect();
    render(
        page,
        &OrganisationsTemplate {
            page,
            tab: "organisations",
            notice,
            orgs,
            orgs_total,
            orgs_count: page.tf("desk.orgs.count", &[("n", &page.num(orgs_total as f64, 0))]),
            pager,
            keys,
            can_create,
            name,
        },
    )
}

async fn organisations(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let notice = done_notice(&page, &q);
    let number = page_number(&page, q.page.as_deref())?;
    show_organisations(&s, &page, notice, String::new(), number).await
}

async fn create_organisation(
    State(s): State<AppState>,
    page: Page,
    Form(f): Form<OrgForm>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let refused = |status: StatusCode, msg: String| {
        let (s, page, name) = (s.clone(), page.clone(), f.name.clone());
        async move {
            show_organisations(&s, &page, Some(Notice::bad(msg)), name, 1)
                .await
                .map(|r| with_status(r, status))
        }
    };
    if f.name.trim().is_empty() {
        let msg = required(&page, page.t("desk.orgs.name"));
        return refused(StatusCode::UNPROCESSABLE_ENTITY, msg).await;
    }
    let kind = match OrgKind::parse(f.kind.trim()) {
        Ok(k) => k,
        Err(_) => {
            let msg = page.tf("desk.orgs.bad_kind", &[("kind", f.kind.trim())]);
            return refused(StatusCode::UNPROCESSABLE_ENTITY, msg).await;
        }
    };
    match s.store.create_org(&page.viewer, &f.name, kind).await {
        Ok(_) => Ok(see_other("/desk/registry/organisations?done=organisation")),
        Err(e) => {
            let (status, msg) = refusal(&page, e)?;
            refused(status, msg).await
        }
    }
}

// ---------------------------------------------------------------------------------
// The transparency log

struct EntryRow {
    index: u64,
    kind: String,
    subject: String,
    at: String,
}

struct HeadView {
    size: String,
    root_hash: String,
    at: String,
    key_id: String,
    signature: String,
}

#[derive(Template)]
#[template(path = "web/desk/registry/log.html")]
struct LogTemplate<'a> {
    page: &'a Page,
    tab: &'static str,
    size: String,
    size_raw: u64,
    head: Option<HeadView>,
    entries: Vec<EntryRow>,
    /// The index range this page lists, `[first, end)`, for the API link.
    first: u64,
    end: u64,
    pager: Pager,
}

fn entry_kind_key(k: EntryKind) -> &'static str {
    match k {
        EntryKind::CertificateIssued => "desk.log.certificate_issued",
        EntryKind::CertificateSuspended => "desk.log.certificate_suspended",
        EntryKind::CertificateReinstated => "desk.log.certificate_reinstated",
        EntryKind::CertificateWithdrawn => "desk.log.certificate_withdrawn",
        EntryKind::CertificateExpired => "desk.log.certificate_expired",
        EntryKind::LabelIssued => "desk.log.label_issued",
        EntryKind::BenchmarkPublished => "desk.log.benchmark_published",
    }
}

/// The index range `[first, end)` of page `number` of a log of `size` entries listed
/// newest first, `per_page` to a page.
fn log_range(size: u64, number: u64, per_page: u64) -> (u64, u64) {
    let end = size.saturating_sub(number.saturating_sub(1).saturating_mul(per_page));
    (end.saturating_sub(per_page), end)
}

async fn log(
    State(s): State<AppState>,
    page: Page,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    page.require_kind(OrgKind::Registry)?;
    let number = page_number(&page, q.page.as_deref())?;
    let size = s.store.log_size().await.map_err(|e| page.error(e))?;
    let head = s
        .store
        .latest_tree_head()
        .await
        .map_err(|e| page.error(e))?;
    // The log's entries are numbered 0, 1, …: a page is a range of indexes, read by
    // the same query as the API's `/log/entries`.
    let (first, end) = log_range(size, number, PER_PAGE);
    let mut entries = s
        .store
        .log_entries(first, end)
        .await
        .map_err(|e| page.error(e))?;
    entries.reverse();
    render(
        &page,
        &LogTemplate {
            page: &page,
            tab: "log",
            size: page.num(size as f64, 0),
            size_raw: size,
            head: head.map(|h| HeadView {
                size: page.num(h.tree_size as f64, 0),
                root_hash: h.root_hash.clone(),
                at: page.datetime_ms(h.timestamp.saturating_mul(1000)),
                key_id: h.key_id.as_str().to_string(),
                signature: short(&h.signature, 24),
            }),
            entries: entries
                .iter()
                .map(|e| EntryRow {
                    index: e.index,
                    kind: page.t(entry_kind_key(e.kind)).to_string(),
                    subject: e.subject.clone(),
                    at: page.datetime_ms(e.timestamp.saturating_mul(1000)),
                })
                .collect(),
            first,
            end,
            pager: Pager::new(&page, "/desk/registry/log", &[], number, size, PER_PAGE),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::log_range;

    #[test]
    fn log_pages_run_newest_first() {
        // 45 entries (0–44) at 20 a page: 25–44, 5–24, 0–4, then nothing.
        assert_eq!(log_range(45, 1, 20), (25, 45));
        assert_eq!(log_range(45, 2, 20), (5, 25));
        assert_eq!(log_range(45, 3, 20), (0, 5));
        assert_eq!(log_range(45, 4, 20), (0, 0));
        assert_eq!(log_range(0, 1, 20), (0, 0));
    }
}
