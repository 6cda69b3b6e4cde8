//! Calculations and their results: the compute button (a job), the job's page (it
//! refreshes itself until the footprint is ready), and the footprint with every
//! breakdown, its uncertainty, data quality, sensitivity, PCR check and fingerprint.

use super::{Tab, editor, enterprise, keys, not_found, own_product, total_text};
use crate::AppState;
use crate::web::chart::{bar_chart_html, bar_rows, escape};
use crate::web::check_text::check_detail;
use crate::web::{Page, WebError, render, see_other};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use zuji_calc::footprint::FootprintResult;
use zuji_calc::tree::ContributionNode;
use zuji_store::{FootprintRow, JobKind, JobStatus, Product};

#[derive(Debug, Default, Deserialize)]
pub struct ComputeForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    gwp: String,
    #[serde(default)]
    monte_carlo: String,
    #[serde(default)]
    seed: String,
}

/// The calculation's options as the API's `CalculationRequest` checks them; `Err` is the
/// message naming the field.
fn options_of(page: &Page, f: &ComputeForm) -> Result<serde_json::Value, String> {
    let gwp = match f.gwp.trim() {
        "" => "ar6",
        g @ ("ar6" | "ar5") => g,
        other => {
            return Err(page.tf("ws.compute.bad_gwp", &[("value", other)]));
        }
    };
    let iterations = match f.monte_carlo.trim() {
        "" => 0,
        t => match t.parse::<u32>() {
            Ok(n) if n <= 100_000 => n,
            _ => return Err(page.tf("ws.compute.bad_iterations", &[("value", t)])),
        },
    };
    let seed = match f.seed.trim() {
        "" => 42,
        t => t
            .parse::<u64>()
            .map_err(|_| page.tf("ws.compute.bad_seed", &[("value", t)]))?,
    };
    Ok(serde_json::json!({"gwp": gwp, "monte_carlo": iterations, "seed": seed}))
}

fn invalid(page: &Page, message: String) -> WebError {
    WebError::message(page, StatusCode::UNPROCESSABLE_ENTITY, message)
}

pub async fn compute(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<ComputeForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    own_product(&s, &page, id).await?;
    let version = match f.version.trim() {
        "" => None,
        t => Some(
            t.parse::<i64>()
                .map_err(|_| invalid(&page, page.tf("ws.compute.bad_version", &[("value", t)])))?,
        ),
    };
    let options = options_of(&page, &f).map_err(|m| invalid(&page, m))?;
    let job = s
        .store
        .start_footprint(&page.viewer, id, version, options)
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other(&format!("/app/jobs/{}", job.id)))
}

#[derive(Debug, Default, Deserialize)]
pub struct UncertaintyForm {
    #[serde(default)]
    iterations: String,
    #[serde(default)]
    seed: String,
}

/// Computes the footprint's model version again with `iterations` Monte Carlo draws.
pub async fn uncertainty(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<UncertaintyForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let (product, footprint) = own_footprint(&s, &page, id).await?;
    let gwp = footprint
        .options
        .get("gwp")
        .and_then(|v| v.as_str())
        .unwrap_or("ar6")
        .to_string();
    let form = ComputeForm {
        version: String::new(),
        gwp,
        monte_carlo: f.iterations,
        seed: f.seed,
    };
    let options = options_of(&page, &form).map_err(|m| invalid(&page, m))?;
    let job = s
        .store
        .start_footprint(
            &page.viewer,
            product.id,
            Some(footprint.model_version),
            options,
        )
        .await
        .map_err(|e| page.error(e))?;
    Ok(see_other(&format!("/app/jobs/{}", job.id)))
}

#[derive(Template)]
#[template(path = "web/workspace/job.html")]
struct JobTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    job_id: i64,
    status: &'a str,
    running: bool,
    progress: String,
    /// The engine's own message (English), shown under a localized headline.
    error: Option<String>,
    error_headline: &'a str,
    product_id: Option<i64>,
}

/// What a failed calculation's page says first. The job keeps only the engine's message,
/// no error code, so the one case told apart is the store's own: the lease ran out on the
/// last attempt (`Store::claim_job` writes that sentence); anything else is the
/// calculation's failure, its detail below as the engine wrote it.
fn job_error_headline(last_error: &str) -> &'static str {
    if last_error.contains("its worker stopped during attempt") {
        "ws.job.error.interrupted"
    } else {
        "ws.job.error.calculation"
    }
}

/// A calculation's page: refreshes every two seconds while it runs, and sends the
/// browser on to the footprint once it is stored.
pub async fn job(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    enterprise(&page)?;
    let job = s
        .store
        .get_job(&page.viewer, id)
        .await
        .map_err(|e| page.error(e))?;
    if job.kind != JobKind::Footprint {
        return Err(not_found(&page));
    }
    if job.status == JobStatus::Succeeded
        && let Some(fid) = job
            .result
            .as_ref()
            .and_then(|r| r.get("footprint_id"))
            .and_then(|v| v.as_i64())
    {
        return Ok(see_other(&format!("/app/footprints/{fid}")));
    }
    let product_id = s
        .store
        .pending_calculations(&page.viewer)
        .await
        .map_err(|e| page.error(e))?
        .into_iter()
        .find(|p| p.job_id == id)
        .map(|p| p.product_id);
    let running = matches!(job.status, JobStatus::Queued | JobStatus::Running);
    render(
        &page,
        &JobTemplate {
            page: &page,
            tab: Tab::None,
            job_id: id,
            status: page.t(keys::job_status(job.status)),
            running,
            progress: page.pct(job.progress),
            error: job.last_error.clone(),
            error_headline: page.t(job_error_headline(
                job.last_error.as_deref().unwrap_or_default(),
            )),
            product_id,
        },
    )
}

/// A footprint of one of the signed-in organisation's products, whole.
async fn own_footprint(
    s: &AppState,
    page: &Page,
    id: i64,
) -> Result<(Product, FootprintRow), WebError> {
    let user = enterprise(page)?;
    let f = s
        .store
        .get_footprint(&page.viewer, id)
        .await
        .map_err(|e| page.error(e))?;
    if f.summary_only {
        return Err(not_found(page));
    }
    let product = own_product(s, page, f.product_id).await?;
    if product.org_id != user.org_id {
        return Err(not_found(page));
    }
    Ok((product, f))
}

/// The stored result, read back into the engine's type.
pub fn result_of(page: &Page, f: &FootprintRow) -> Result<FootprintResult, WebError> {
    serde_json::from_value(f.result.clone()).map_err(|e| {
        tracing::error!(error = %e, footprint = f.id, "stored result unreadable");
        WebError::status(page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
    })
}

pub struct LabelValue {
    pub label: String,
    pub value: String,
    pub share: String,
}

pub struct GasRow {
    pub gas: String,
    pub origin: String,
    pub mass: String,
    pub value: String,
}

pub struct ItemRow {
    pub process: String,
    pub kind: String,
    pub what: String,
    pub stage: String,
    pub primary: String,
    pub value: String,
    pub share: String,
}

pub struct McView {
    pub iterations: usize,
    pub seed: u64,
    pub mean: String,
    pub sd: String,
    pub median: String,
    pub low: String,
    pub high: String,
}

pub struct SensRow {
    pub parameter: String,
    pub value: String,
    pub low: String,
    pub high: String,
    pub elasticity: String,
    pub note: String,
}

pub struct PcrItemRow {
    pub key: String,
    pub severity: String,
    pub outcome: String,
    pub met: bool,
    pub mandatory: bool,
    pub detail: String,
    /// The detail is the English sentence (no localized message): marked `lang="en"`.
    pub detail_en: bool,
}

pub struct PcrView {
    pub id: String,
    pub version: String,
    pub blocking: bool,
    pub items: Vec<PcrItemRow>,
}

#[derive(Template)]
#[template(path = "web/workspace/footprint.html")]
struct FootprintTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    product: &'a Product,
    footprint_id: i64,
    version: i64,
    total: String,
    declared_unit: String,
    method: String,
    date: String,
    stages: Vec<LabelValue>,
    stage_chart: String,
    origins: Vec<LabelValue>,
    origin_chart: String,
    aircraft: String,
    gases: Vec<GasRow>,
    tree_html: String,
    hotspots: Vec<ItemRow>,
    monte_carlo: Option<McView>,
    dq_rating: String,
    dq_level: String,
    dq_coverage: String,
    primary_share: String,
    sensitivity: Vec<SensRow>,
    warnings: Vec<String>,
    pcr: Option<PcrView>,
    pcr_error: Option<String>,
    fingerprint: String,
    engine: String,
    databases: Vec<String>,
    can_edit: bool,
}

/// The contribution tree as nested `<details>`, largest first, each node with its value
/// and share; markup escaped here.
pub fn tree_html(page: &Page, root: &ContributionNode) -> String {
    fn node(page: &Page, n: &ContributionNode, depth: usize, out: &mut String) {
        let label = format!(
            "<span class=\"muted small\">{}</span> {} <span class=\"num\">{} {}</span> <span class=\"muted\">({})</span>",
            escape(page.t(keys::tree_kind(&n.kind))),
            escape(if n.name.is_empty() { &n.id } else { &n.name }),
            escape(&page.sig(n.value)),
            escape(page.t("unit.kgco2e")),
            escape(&page.pct(n.share)),
        );
        if n.children.is_empty() {
            out.push_str(&format!("<li>{label}</li>"));
            return;
        }
        let mut children: Vec<&ContributionNode> = n.children.iter().collect();
        children.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
        out.push_str(&format!(
            "<li><details{}><summary>{label}</summary><ul>",
            if depth < 2 { " open" } else { "" }
        ));
        for c in children {
            node(page, c, depth + 1, out);
        }
        out.push_str("</ul></details></li>");
    }
    let mut out = String::from("<div class=\"tree\" data-testid=\"contribution-tree\"><ul>");
    node(page, root, 0, &mut out);
    out.push_str("</ul></div>");
    out
}

pub async fn footprint(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let (product, f) = own_footprint(&s, &page, id).await?;
    let r = result_of(&page, &f)?;
    let kg = page.t("unit.kgco2e");
    let stages: Vec<LabelValue> = r
        .by_stage
        .iter()
        .map(|st| LabelValue {
            label: page.t(keys::stage(st.stage)).to_string(),
            value: page.sig(st.value),
            share: page.pct(st.share),
        })
        .collect();
    let stage_pairs: Vec<(String, f64)> = r
        .by_stage
        .iter()
        .map(|st| (page.t(keys::stage(st.stage)).to_string(), st.value))
        .collect();
    let o = &r.by_origin;
    let share = |v: f64| {
        if r.total != 0.0 {
            page.pct(v / r.total)
        } else {
            String::new()
        }
    };
    let origin_pairs: Vec<(String, f64)> = vec![
        (page.t("ws.origin.fossil").to_string(), o.fossil),
        (
            page.t("ws.origin.biogenic").to_string(),
            o.biogenic_emissions,
        ),
        (
            page.t("ws.origin.biogenic_removal").to_string(),
            o.biogenic_removals,
        ),
        (
            page.t("ws.origin.land_use_change").to_string(),
            o.land_use_change,
        ),
        (page.t("ws.origin.unspecified").to_string(), o.unspecified),
    ];
    let origins = origin_pairs
        .iter()
        .map(|(label, v)| LabelValue {
            label: label.clone(),
            value: page.sig(*v),
            share: share(*v),
        })
        .collect();
    let gases = r
        .by_gas
        .iter()
        .map(|g| GasRow {
            gas: g.gas.clone(),
            origin: page.t(keys::origin(g.origin)).to_string(),
            mass: page.sig(g.mass),
            value: page.sig(g.value),
        })
        .collect();
    let hotspots = r
        .items
        .iter()
        .take(10)
        .map(|i| ItemRow {
            process: i.process.clone(),
            kind: page
                .t(if i.kind == "emission" {
                    "ws.model.emission"
                } else {
                    "ws.model.input"
                })
                .to_string(),
            what: i.what.clone(),
            stage: page.t(keys::stage(i.stage)).to_string(),
            primary: page
                .t(if i.primary { "common.yes" } else { "common.no" })
                .to_string(),
            value: page.sig(i.value),
            share: page.pct(i.share),
        })
        .collect();
    let monte_carlo = r.monte_carlo.as_ref().map(|m| McView {
        iterations: m.iterations,
        seed: m.seed,
        mean: page.sig(m.mean),
        sd: page.sig(m.sd),
        median: page.sig(m.median),
        low: page.sig(m.p2_5),
        high: page.sig(m.p97_5),
    });
    let sensitivity = r
        .sensitivity
        .iter()
        .map(|p| SensRow {
            parameter: p.parameter.clone(),
            value: page.sig(p.value),
            low: p.total_low.map(|v| page.sig(v)).unwrap_or_default(),
            high: p.total_high.map(|v| page.sig(v)).unwrap_or_default(),
            elasticity: p.elasticity.map(|v| page.num(v, 3)).unwrap_or_default(),
            note: p.note.clone().unwrap_or_default(),
        })
        .collect();
    // The PCR check of the model's own PCR, as `GET /footprints/{id}/pcr-check` runs it.
    let (pcr, pcr_error) = match r.product.pcr.as_deref().filter(|p| !p.is_empty()) {
        None => (None, Some(page.t("ws.pcr.none").to_string())),
        Some(pcr_id) => match s.store.pcr_check(&page.viewer, id, pcr_id, None).await {
            Ok(report) => (
                Some(PcrView {
                    blocking: report.blocks_certification(),
                    id: report.pcr_id.clone(),
                    version: report.pcr_version.clone(),
                    items: report
                        .items
                        .iter()
                        .map(|i| {
                            let mandatory =
                                i.severity == zuji_trust::conformance::Severity::Mandatory;
                            let met = i.outcome == zuji_trust::conformance::Outcome::Met;
                            let (detail, localized) = check_detail(&page.tr, i);
                            PcrItemRow {
                                key: i.key.clone(),
                                severity: page.t(keys::pcr_severity(mandatory)).to_string(),
                                outcome: page.t(keys::pcr_outcome(met)).to_string(),
                                met,
                                mandatory,
                                detail,
                                detail_en: !localized,
                            }
                        })
                        .collect(),
                }),
                None,
            ),
            Err(e) => (
                None,
                Some(page.tf(
                    "ws.pcr.unavailable",
                    &[("pcr", pcr_id), ("reason", &e.to_string())],
                )),
            ),
        },
    };
    let stage_chart = bar_chart_html(
        &bar_rows(&stage_pairs, &page.tr),
        page.t("ws.footprint.by_stage"),
    );
    let origin_chart = bar_chart_html(
        &bar_rows(&origin_pairs, &page.tr),
        page.t("ws.footprint.by_origin"),
    );
    render(
        &page,
        &FootprintTemplate {
            page: &page,
            tab: Tab::None,
            footprint_id: f.id,
            version: f.model_version,
            total: total_text(&page, f.total),
            declared_unit: r.product.declared_unit.clone(),
            method: r.method.name.clone(),
            date: page.datetime_ms(f.created_at),
            stages,
            stage_chart,
            origins,
            origin_chart,
            aircraft: format!("{} {kg} ({})", page.sig(o.aircraft), share(o.aircraft)),
            gases,
            tree_html: tree_html(&page, &r.tree),
            hotspots,
            monte_carlo,
            dq_rating: r
                .data_quality
                .rating
                .map(|v| page.num(v, 2))
                .unwrap_or_else(|| page.t("common.not_reported").to_string()),
            dq_level: page
                .t(keys::quality_level(
                    r.data_quality.level.as_deref().unwrap_or_default(),
                ))
                .to_string(),
            dq_coverage: page.pct(r.data_quality.coverage),
            primary_share: page.pct(r.primary_data_share),
            sensitivity,
            warnings: r.warnings.clone(),
            pcr,
            pcr_error,
            fingerprint: f.fingerprint.clone(),
            engine: r.fingerprint.engine.clone(),
            databases: r
                .fingerprint
                .databases
                .iter()
                .map(|d| format!("{} {}", d.id, d.version))
                .collect(),
            can_edit: user.can_edit(),
            product: &product,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::job_error_headline;

    #[test]
    fn a_failed_job_is_told_apart_only_by_what_the_store_writes() {
        // The sentence `Store::claim_job` appends when the last attempt's lease ran out.
        assert_eq!(
            job_error_headline("its worker stopped during attempt 3"),
            "ws.job.error.interrupted"
        );
        assert_eq!(
            job_error_headline("unknown dataset 'steel/cn' in process 'rolling'"),
            "ws.job.error.calculation"
        );
        assert_eq!(job_error_headline(""), "ws.job.error.calculation");
    }
}
