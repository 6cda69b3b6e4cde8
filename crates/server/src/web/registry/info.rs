//! The open-data page (every public API with an example that works on this registry's
//! own records), policy (政策宣贯: the adopted-standards list and the PCRs) and a PCR's
//! page.

use super::search::latest_pcrs;
use super::{boundary_text, enc, grade_class, not_found, pcr_title, stage_text, title_in};
use crate::AppState;
use crate::web::{Page, WebError, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use zuji_store::registry::RegistryFilter;
use zuji_store::{PageRequest, StoreError};
use zuji_trust::pcr::{
    AdoptionStatus, AllocationChoice, BenchmarkLevel, BenchmarkMethod, PcrStatus, Statistic,
};

/// One public endpoint.
struct Endpoint {
    path: &'static str,
    description: &'static str,
    /// A link that answers on this registry now; `None` when its records do not exist
    /// yet (no certified product, no tree head, …).
    example: Option<String>,
}

struct EndpointGroup {
    title: &'static str,
    endpoints: Vec<Endpoint>,
}

#[derive(Template)]
#[template(path = "web/registry/open_data.html")]
struct OpenDataTemplate<'a> {
    page: &'a Page,
    groups: Vec<EndpointGroup>,
}

pub async fn open_data(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    let store = &s.store;
    let newest = store
        .search_registry(&RegistryFilter::default(), PageRequest::new(0, 50))
        .await
        .map_err(|e| page.error(e))?;
    let pcrs = store
        .list_pcrs(None, None)
        .await
        .map_err(|e| page.error(e))?;
    let first = newest.items.first();
    let with_gtin = newest.items.iter().find(|e| e.gtin.is_some());
    // A PCR with certified products, else the first stored.
    let pcr_id = first
        .map(|e| e.pcr_id.clone())
        .or_else(|| pcrs.first().map(|p| p.pcr.id.clone()));
    let mut pcr_with_benchmark = None;
    for p in latest_pcrs(&pcrs) {
        if !store
            .list_benchmarks(&p.pcr.id)
            .await
            .map_err(|e| page.error(e))?
            .is_empty()
        {
            pcr_with_benchmark = Some(p.pcr.id.clone());
            break;
        }
    }
    let head = store.latest_tree_head().await.map_err(|e| page.error(e))?;
    let log_size = store.log_size().await.map_err(|e| page.error(e))?;
    let label = first.map(|e| enc(&e.label_id));
    let cert = first.map(|e| enc(&e.certificate_id));
    let pcr = pcr_id.as_deref().map(enc);
    let ep = |path, key, example: Option<String>| Endpoint {
        path,
        description: page.t(key),
        example,
    };
    let groups = vec![
        EndpointGroup {
            title: page.t("registry.open.group.open"),
            endpoints: vec![
                ep(
                    "GET /api/v1/open/rankings/{pcr_id}?max_grade_rank=&offset=&limit=",
                    "registry.open.rankings",
                    pcr.as_ref().map(|p| format!("/api/v1/open/rankings/{p}")),
                ),
                ep(
                    "GET /api/v1/open/gtin/{gtin}",
                    "registry.open.gtin",
                    with_gtin
                        .and_then(|e| e.gtin.as_ref())
                        .map(|g| format!("/api/v1/open/gtin/{}", enc(g))),
                ),
            ],
        },
        EndpointGroup {
            title: page.t("registry.open.group.labels"),
            endpoints: vec![
                ep(
                    "GET /api/v1/labels?certificate_id=&product_id=&gtin=&offset=&limit=",
                    "registry.open.labels",
                    Some("/api/v1/labels?limit=10".to_string()),
                ),
                ep(
                    "GET /api/v1/labels/{label_id}",
                    "registry.open.label",
                    label.as_ref().map(|l| format!("/api/v1/labels/{l}")),
                ),
                ep(
                    "GET /api/v1/labels/{label_id}/verification?z=",
                    "registry.open.verification",
                    label
                        .as_ref()
                        .map(|l| format!("/api/v1/labels/{l}/verification")),
                ),
                ep(
                    "GET /api/v1/labels/{label_id}/label.svg?lang=&size=",
                    "registry.open.label_svg",
                    label
                        .as_ref()
                        .map(|l| format!("/api/v1/labels/{l}/label.svg?lang={}", page.lang())),
                ),
                ep(
                    "GET /api/v1/labels/{label_id}/label.png?lang=&size=",
                    "registry.open.label_png",
                    label
                        .as_ref()
                        .map(|l| format!("/api/v1/labels/{l}/label.png?lang={}", page.lang())),
                ),
                ep(
                    "GET /verify/{label_id}?lang=&z=",
                    "registry.open.verify_page",
                    label
                        .as_ref()
                        .map(|l| format!("/verify/{l}?lang={}", page.lang())),
                ),
            ],
        },
        EndpointGroup {
            title: page.t("registry.open.group.certificates"),
            endpoints: vec![
                ep(
                    "GET /api/v1/certificates?product_id=&holder_org_id=&status=&offset=&limit=",
                    "registry.open.certificates",
                    Some("/api/v1/certificates?limit=10".to_string()),
                ),
                ep(
                    "GET /api/v1/certificates/{id}",
                    "registry.open.certificate",
                    cert.as_ref().map(|c| format!("/api/v1/certificates/{c}")),
                ),
                ep(
                    "GET /api/v1/certificates/{id}/status?at=",
                    "registry.open.certificate_status",
                    cert.as_ref()
                        .map(|c| format!("/api/v1/certificates/{c}/status")),
                ),
            ],
        },
        EndpointGroup {
            title: page.t("registry.open.group.rules"),
            endpoints: vec![
                ep(
                    "GET /api/v1/pcrs?category=&status=",
                    "registry.open.pcrs",
                    Some("/api/v1/pcrs".to_string()),
                ),
                ep(
                    "GET /api/v1/pcrs/{pcr_id}?version=",
                    "registry.open.pcr",
                    pcr.as_ref().map(|p| format!("/api/v1/pcrs/{p}")),
                ),
                ep(
                    "GET /api/v1/pcrs/{pcr_id}/benchmarks",
                    "registry.open.benchmarks",
                    pcr.as_ref().map(|p| format!("/api/v1/pcrs/{p}/benchmarks")),
                ),
                ep(
                    "GET /api/v1/pcrs/{pcr_id}/benchmarks/latest?period=",
                    "registry.open.benchmark_latest",
                    pcr_with_benchmark
                        .as_deref()
                        .map(|p| format!("/api/v1/pcrs/{}/benchmarks/latest", enc(p))),
                ),
                ep(
                    "GET /api/v1/adopted-standards",
                    "registry.open.adopted",
                    Some("/api/v1/adopted-standards".to_string()),
                ),
                ep(
                    "GET /api/v1/adopted-standards/versions",
                    "registry.open.adopted_versions",
                    Some("/api/v1/adopted-standards/versions".to_string()),
                ),
            ],
        },
        EndpointGroup {
            title: page.t("registry.open.group.log"),
            endpoints: vec![
                ep(
                    "GET /log/sth",
                    "registry.open.sth",
                    head.as_ref().map(|_| "/log/sth".to_string()),
                ),
                ep(
                    "GET /log/sth/{size}",
                    "registry.open.sth_at",
                    head.as_ref().map(|h| format!("/log/sth/{}", h.tree_size)),
                ),
                ep(
                    "GET /log/sths",
                    "registry.open.sths",
                    Some("/log/sths".to_string()),
                ),
                ep(
                    "GET /log/entries?start=&end=",
                    "registry.open.entries",
                    Some(format!("/log/entries?start=0&end={}", log_size.min(10))),
                ),
                ep(
                    "GET /log/proof/inclusion?index=&size=",
                    "registry.open.inclusion",
                    head.as_ref()
                        .filter(|h| h.tree_size > 0)
                        .map(|h| format!("/log/proof/inclusion?index=0&size={}", h.tree_size)),
                ),
                ep(
                    "GET /log/proof/consistency?first=&second=",
                    "registry.open.consistency",
                    head.as_ref()
                        .filter(|h| h.tree_size > 1)
                        .map(|h| format!("/log/proof/consistency?first=1&second={}", h.tree_size)),
                ),
                ep("GET /keys", "registry.open.keys", Some("/keys".to_string())),
            ],
        },
        EndpointGroup {
            title: page.t("registry.open.group.document"),
            endpoints: vec![ep(
                "GET /api/v1/openapi.json",
                "registry.open.openapi",
                Some("/api/v1/openapi.json".to_string()),
            )],
        },
    ];
    render(
        &page,
        &OpenDataTemplate {
            page: &page,
            groups,
        },
    )
}

struct StandardRow {
    code: String,
    title: String,
    issuer: String,
    status: &'static str,
    status_class: &'static str,
    adopted_on: String,
    change: String,
    source: String,
}

struct PcrRow {
    link: String,
    title: String,
    id: String,
    version: String,
    status: &'static str,
    declared_unit: String,
    boundary: &'static str,
}

#[derive(Template)]
#[template(path = "web/registry/policy.html")]
struct PolicyTemplate<'a> {
    page: &'a Page,
    list_heading: String,
    standards: Vec<StandardRow>,
    pcrs: Vec<PcrRow>,
}

fn pcr_status(page: &Page, status: PcrStatus) -> &'static str {
    match status {
        PcrStatus::Draft => page.t("registry.pcr.status.draft"),
        PcrStatus::Published => page.t("registry.pcr.status.published"),
        PcrStatus::Superseded => page.t("registry.pcr.status.superseded"),
        PcrStatus::Withdrawn => page.t("registry.pcr.status.withdrawn"),
    }
}

pub async fn policy(State(s): State<AppState>, page: Page) -> Result<Response, WebError> {
    let list = s
        .store
        .adopted_standards()
        .await
        .map_err(|e| page.error(e))?;
    let pcrs = s
        .store
        .list_pcrs(None, None)
        .await
        .map_err(|e| page.error(e))?;
    let list_heading = match &list {
        Some(l) => page.tf(
            "registry.policy.list_version",
            &[
                ("version", &l.version.to_string()),
                ("published", &l.published),
                ("operator", &l.operator),
            ],
        ),
        None => page.t("registry.policy.no_list").to_string(),
    };
    let standards = list
        .iter()
        .flat_map(|l| l.entries.iter())
        .map(|e| {
            let (status, status_class) = match e.status {
                AdoptionStatus::Adopted => (page.t("registry.adoption.adopted"), "good"),
                AdoptionStatus::Superseded => (page.t("registry.adoption.superseded"), "warn"),
                AdoptionStatus::Withdrawn => (page.t("registry.adoption.withdrawn"), "bad"),
            };
            let change = match (&e.superseded_on, &e.superseded_by, &e.withdrawn_on) {
                (_, _, Some(on)) => page.tf("registry.adoption.withdrawn_on", &[("date", on)]),
                (Some(on), Some(by), _) => page.tf(
                    "registry.adoption.superseded_on",
                    &[("date", on), ("by", by)],
                ),
                _ => String::new(),
            };
            StandardRow {
                code: e.code.clone(),
                title: title_in(&e.title, &page.tr).to_string(),
                issuer: e.issuer.clone(),
                status,
                status_class,
                adopted_on: e.adopted_on.clone(),
                change,
                source: e.source.clone(),
            }
        })
        .collect();
    let pcrs = pcrs
        .iter()
        .map(|p| PcrRow {
            link: format!(
                "/registry/pcrs/{}?version={}",
                enc(&p.pcr.id),
                enc(&p.pcr.version)
            ),
            title: pcr_title(&p.pcr, &page.tr).to_string(),
            id: p.pcr.id.clone(),
            version: p.pcr.version.clone(),
            status: pcr_status(&page, p.pcr.status),
            declared_unit: format!(
                "{} {}",
                p.pcr.declared_unit.amount, p.pcr.declared_unit.unit
            ),
            boundary: boundary_text(&page.tr, p.pcr.boundary),
        })
        .collect();
    render(
        &page,
        &PolicyTemplate {
            page: &page,
            list_heading,
            standards,
            pcrs,
        },
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct PcrQuery {
    #[serde(default)]
    version: String,
}

/// A rule as text: what the page writes in each row of the PCR's table.
struct RuleRow {
    name: &'static str,
    value: String,
    /// The rule's own words (as written in the PCR file).
    quote: String,
}

struct ItemRow {
    title: String,
    stage: String,
    mandatory: &'static str,
    patterns: String,
}

struct BandRow {
    grade: String,
    class: String,
    bound: String,
}

#[derive(Template)]
#[template(path = "web/registry/pcr.html")]
struct PcrTemplate<'a> {
    page: &'a Page,
    title: String,
    id: String,
    version: String,
    status: &'static str,
    basis: String,
    category_link: String,
    classification: Vec<String>,
    rules: Vec<RuleRow>,
    stages: Vec<&'static str>,
    items: Vec<ItemRow>,
    bands: Vec<BandRow>,
    bands_source: String,
    standards: Vec<(String, String, &'static str)>,
    versions: Vec<(String, String, bool)>,
}

fn statistic_text(page: &Page, s: Statistic) -> String {
    match s {
        Statistic::Mean => page.t("registry.statistic.mean").to_string(),
        Statistic::Median => page.t("registry.statistic.median").to_string(),
        Statistic::Percentile(p) => {
            page.tf("registry.statistic.percentile", &[("p", &p.to_string())])
        }
    }
}

fn level_text(page: &Page, level: BenchmarkLevel) -> &'static str {
    match level {
        BenchmarkLevel::Default => page.t("registry.benchmark.default"),
        BenchmarkLevel::Average => page.t("registry.benchmark.average"),
        BenchmarkLevel::Advanced => page.t("registry.benchmark.advanced"),
    }
}

pub async fn pcr(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Query(q): Query<PcrQuery>,
) -> Result<Response, WebError> {
    let version = Some(q.version.trim()).filter(|v| !v.is_empty());
    let stored = match s.store.get_pcr(&id, version).await {
        Ok(p) => p,
        Err(StoreError::NotFound { .. }) => {
            let what = match version {
                Some(v) => format!("{id} {v}"),
                None => id.clone(),
            };
            return Err(not_found(
                &page,
                page.tf("registry.pcr.not_found", &[("id", &what)]),
            ));
        }
        Err(e) => return Err(page.error(e)),
    };
    let all = s
        .store
        .list_pcrs(None, None)
        .await
        .map_err(|e| page.error(e))?;
    let p = &stored.pcr;
    let tr = &page.tr;
    let du = &p.declared_unit;
    let unit_kind = match du.kind {
        zuji_model::product::UnitKind::Declared => page.t("registry.pcr.unit_declared"),
        zuji_model::product::UnitKind::Functional => page.t("registry.pcr.unit_functional"),
    };
    let mut rules = vec![
        RuleRow {
            name: page.t("registry.product.declared_unit"),
            value: format!("{} {} ({unit_kind})", du.amount, du.unit),
            quote: du.description.clone(),
        },
        RuleRow {
            name: page.t("registry.product.boundary"),
            value: boundary_text(tr, p.boundary).to_string(),
            quote: String::new(),
        },
        RuleRow {
            name: page.t("registry.pcr.cut_off"),
            value: page.tf(
                "registry.pcr.cut_off_value",
                &[
                    ("per_flow", &page.pct(p.cut_off.per_flow)),
                    ("total", &page.pct(p.cut_off.total)),
                ],
            ),
            quote: p.cut_off.source.clone(),
        },
        RuleRow {
            name: page.t("registry.pcr.allocation"),
            value: match p.allocation.choice {
                AllocationChoice::Hierarchy => page.t("registry.pcr.allocation.hierarchy"),
                AllocationChoice::Physical => page.t("registry.pcr.allocation.physical"),
                AllocationChoice::Economic => page.t("registry.pcr.allocation.economic"),
            }
            .to_string(),
            quote: p.allocation.text.clone(),
        },
        RuleRow {
            name: page.t("registry.pcr.recycling"),
            value: match p.recycling.approach {
                zuji_model::product::RecyclingApproach::CutOff => {
                    page.t("registry.pcr.recycling.cut_off")
                }
                zuji_model::product::RecyclingApproach::AvoidedBurden => {
                    page.t("registry.pcr.recycling.avoided_burden")
                }
            }
            .to_string(),
            quote: p.recycling.text.clone(),
        },
    ];
    if let Some(m) = &p.min_primary_share {
        rules.push(RuleRow {
            name: page.t("registry.pcr.min_primary"),
            value: page.pct(m.share),
            quote: m.source.clone(),
        });
    }
    let dq = &p.data_quality;
    rules.push(RuleRow {
        name: page.t("registry.pcr.data_quality"),
        value: page.tf(
            "registry.pcr.data_quality_value",
            &[
                ("max", &tr.num(dq.max_rating, 1)),
                (
                    "mandatory",
                    if dq.mandatory {
                        page.t("registry.pcr.mandatory")
                    } else {
                        page.t("registry.pcr.advisory")
                    },
                ),
            ],
        ),
        quote: dq.source.clone(),
    });
    rules.push(RuleRow {
        name: page.t("registry.pcr.benchmark_method"),
        value: match &p.benchmark {
            BenchmarkMethod::Statistical {
                min_sample,
                default,
                average,
                advanced,
                ..
            } => page.tf(
                "registry.pcr.statistical",
                &[
                    ("min", &min_sample.to_string()),
                    ("default", &statistic_text(&page, *default)),
                    ("average", &statistic_text(&page, *average)),
                    ("advanced", &statistic_text(&page, *advanced)),
                ],
            ),
            BenchmarkMethod::Policy { .. } => page.t("registry.pcr.policy_method").to_string(),
        },
        quote: match &p.benchmark {
            BenchmarkMethod::Statistical { source, .. } | BenchmarkMethod::Policy { source } => {
                source.clone()
            }
        },
    });
    let items = p
        .primary_data
        .iter()
        .map(|i| ItemRow {
            title: title_in(&i.title, tr).to_string(),
            stage: i
                .stage
                .map(|s| stage_text(tr, s).to_string())
                .unwrap_or_default(),
            mandatory: if i.mandatory {
                page.t("registry.pcr.mandatory")
            } else {
                page.t("registry.pcr.advisory")
            },
            patterns: i.patterns.join(", "),
        })
        .collect();
    let bands = p
        .grades
        .bands
        .iter()
        .map(|b| BandRow {
            class: grade_class(&b.grade),
            grade: b.grade.clone(),
            bound: match &b.at_most {
                Some(at) => page.tf(
                    "registry.band.rule",
                    &[
                        // As the rule writes it: 1, 1.2.
                        ("factor", &at.factor.to_string()),
                        ("level", level_text(&page, at.of)),
                    ],
                ),
                None => page.t("registry.band.above").to_string(),
            },
        })
        .collect();
    let versions = all
        .iter()
        .filter(|q| q.pcr.id == p.id)
        .map(|q| {
            (
                format!(
                    "/registry/pcrs/{}?version={}",
                    enc(&q.pcr.id),
                    enc(&q.pcr.version)
                ),
                q.pcr.version.clone(),
                q.pcr.version == p.version,
            )
        })
        .collect();
    let standards = p
        .standards
        .iter()
        .map(|s| {
            (
                s.code.clone(),
                s.title.clone(),
                match s.role {
                    zuji_trust::pcr::StandardRole::Normative => page.t("registry.pcr.normative"),
                    zuji_trust::pcr::StandardRole::Informative => {
                        page.t("registry.pcr.informative")
                    }
                },
            )
        })
        .collect();
    render(
        &page,
        &PcrTemplate {
            page: &page,
            title: pcr_title(p, tr).to_string(),
            id: p.id.clone(),
            version: p.version.clone(),
            status: pcr_status(&page, p.status),
            basis: p.basis.clone(),
            category_link: format!("/registry/categories/{}", enc(&p.id)),
            classification: p
                .category
                .classification
                .iter()
                .map(|c| {
                    let scheme = match c.scheme {
                        zuji_trust::pcr::ClassificationScheme::Cpc => "CPC",
                        zuji_trust::pcr::ClassificationScheme::GbT4754 => "GB/T 4754",
                        zuji_trust::pcr::ClassificationScheme::Hs => "HS",
                    };
                    format!("{scheme} {}", c.code)
                })
                .collect(),
            rules,
            stages: p
                .required_stages
                .iter()
                .map(|s| stage_text(tr, *s))
                .collect(),
            items,
            bands,
            bands_source: p.grades.source.clone(),
            standards,
            versions,
        },
    )
}
