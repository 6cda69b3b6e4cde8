//! Reduction scenarios: a model version copied into a new version with one input
//! changed (another background dataset, e.g. a greener electricity source; another
//! amount; another supplier footprint), both computed, and the two footprints side by
//! side.

use super::products::{amount_of, stored_model, validate_model};
use super::results::result_of;
use super::{Tab, editor, enterprise, keys, not_found, own_product, parse_number, render_status};
use crate::AppState;
use crate::web::{Page, WebError, render, see_other};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeMap;
use zuji_formats::product_model::to_json;
use zuji_model::product::{InputLink, ProductModel};
use zuji_model::stage::LifeCycleStage;
use zuji_store::workspace::FootprintBrief;
use zuji_store::{FootprintRow, NewModelVersion, PageRequest, Product};

#[derive(Debug, Default, Deserialize)]
pub struct ScenarioQuery {
    #[serde(default)]
    base: Option<i64>,
    #[serde(default)]
    input: Option<String>,
    #[serde(default)]
    q: Option<String>,
}

/// An input the form offers: its place `p.i` and how it reads.
pub struct InputChoice {
    pub key: String,
    pub label: String,
    pub selected: bool,
}

/// A version to start from.
pub struct VersionChoice {
    pub version: i64,
    pub selected: bool,
}

/// A background activity found by the search.
pub struct ActivityChoice {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "web/workspace/scenarios.html")]
struct ScenarioTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    product: &'a Product,
    versions: Vec<VersionChoice>,
    base: i64,
    inputs: Vec<InputChoice>,
    q: String,
    searched: bool,
    activities: Vec<ActivityChoice>,
    /// The search found more than it shows.
    more: bool,
    problems: Vec<String>,
    footprints: Vec<(i64, String)>,
    can_edit: bool,
}

fn input_choices(m: &ProductModel, selected: Option<&str>) -> Vec<InputChoice> {
    let mut out = Vec::new();
    for (p, proc_) in m.processes.iter().enumerate() {
        for (i, input) in proc_.inputs.iter().enumerate() {
            let key = format!("{p}.{i}");
            let target = match input.link() {
                Ok(InputLink::Dataset(d)) => d.to_string(),
                Ok(InputLink::Supplier(s)) => s.name.clone().unwrap_or_else(|| s.id.clone()),
                Ok(InputLink::Process { id, .. }) => id.to_string(),
                Err(e) => e,
            };
            let amount = match &input.amount {
                zuji_model::product::Amount::Number(n) => n.to_string(),
                zuji_model::product::Amount::Formula(f) => f.clone(),
            };
            out.push(InputChoice {
                selected: selected == Some(key.as_str()),
                label: format!("{} › {target} ({amount} {})", proc_.id, input.unit),
                key,
            });
        }
    }
    out
}

fn brief_options(page: &Page, briefs: &[FootprintBrief]) -> Vec<(i64, String)> {
    briefs
        .iter()
        .map(|b| {
            (
                b.id,
                format!(
                    "#{} · v{} · {} {}",
                    b.id,
                    b.model_version,
                    super::total_text(page, b.total),
                    page.t("unit.kgco2e")
                ),
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn show_form(
    s: &AppState,
    page: &Page,
    product: &Product,
    base: Option<i64>,
    input: Option<&str>,
    q: &str,
    problems: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let user = enterprise(page)?;
    let e = |e| page.error(e);
    let versions: Vec<i64> = s
        .store
        .list_model_versions(&page.viewer, product.id)
        .await
        .map_err(e)?
        .iter()
        .map(|v| v.version)
        .rev()
        .collect();
    let base = base
        .filter(|b| versions.contains(b))
        .unwrap_or(product.latest_version);
    let v = s
        .store
        .get_model_version(&page.viewer, product.id, base)
        .await
        .map_err(e)?;
    let model = stored_model(page, &v)?;
    let (activities, more) = if q.trim().is_empty() {
        (Vec::new(), false)
    } else {
        let found = s
            .store
            .search_activities(None, Some(q.trim()), None, PageRequest::new(0, 30))
            .await
            .map_err(e)?;
        let more = found.total > found.items.len() as u64;
        (
            found
                .items
                .into_iter()
                .map(|a| ActivityChoice {
                    label: format!(
                        "{} · {} · {} [{}]",
                        a.name, a.geography, a.unit, a.activity_id
                    ),
                    id: a.activity_id,
                })
                .collect(),
            more,
        )
    };
    let briefs = s
        .store
        .footprint_briefs(&page.viewer, product.id)
        .await
        .map_err(e)?;
    render_status(
        page,
        &ScenarioTemplate {
            page,
            tab: Tab::None,
            product,
            versions: versions
                .iter()
                .map(|v| VersionChoice {
                    version: *v,
                    selected: *v == base,
                })
                .collect(),
            base,
            inputs: input_choices(&model, input),
            q: q.to_string(),
            searched: !q.trim().is_empty(),
            activities,
            more,
            problems,
            footprints: brief_options(page, &briefs),
            can_edit: user.can_edit(),
        },
        status,
    )
}

pub async fn form(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(q): Query<ScenarioQuery>,
) -> Result<Response, WebError> {
    let product = own_product(&s, &page, id).await?;
    show_form(
        &s,
        &page,
        &product,
        q.base,
        q.input.as_deref(),
        q.q.as_deref().unwrap_or_default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub struct ScenarioForm {
    #[serde(default)]
    base: String,
    #[serde(default)]
    input: String,
    /// Chosen from the search results.
    #[serde(default)]
    dataset_choice: String,
    /// Typed.
    #[serde(default)]
    dataset: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    pcf: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    q: String,
}

/// Applies the scenario's change to `model`; `Err` holds the problems.
fn apply_scenario(
    page: &Page,
    model: &mut ProductModel,
    f: &ScenarioForm,
) -> Result<String, Vec<String>> {
    let Some((p, i)) = f
        .input
        .split_once('.')
        .and_then(|(p, i)| Some((p.parse::<usize>().ok()?, i.parse::<usize>().ok()?)))
    else {
        return Err(vec![page.t("ws.scenario.choose_input").to_string()]);
    };
    let place = format!("process[{p}].inputs[{i}]");
    let Some(input) = model
        .processes
        .get_mut(p)
        .and_then(|proc_| proc_.inputs.get_mut(i))
    else {
        return Err(vec![page.tf("ws.edit.no_such_field", &[("field", &place)])]);
    };
    let mut changes = Vec::new();
    let mut problems = Vec::new();
    let dataset = if f.dataset.trim().is_empty() {
        f.dataset_choice.trim()
    } else {
        f.dataset.trim()
    };
    if !dataset.is_empty() {
        let before = match input.link() {
            Ok(InputLink::Dataset(d)) => d.to_string(),
            Ok(InputLink::Supplier(s)) => s.id.clone(),
            Ok(InputLink::Process { id, .. }) => id.to_string(),
            Err(_) => String::new(),
        };
        if before != dataset {
            input.dataset = Some(dataset.to_string());
            input.supplier = None;
            input.process = None;
            input.product = None;
            changes.push(format!("{place}: {before} → {dataset}"));
        }
    }
    if let Some(amount) = amount_of(&f.amount)
        && amount != input.amount
    {
        input.amount = amount;
        changes.push(format!("{place}.amount → {}", f.amount.trim()));
    }
    if !f.pcf.trim().is_empty() {
        match input.supplier.as_mut() {
            Some(sup) => match parse_number(page, &format!("{place}.supplier.pcf"), &f.pcf) {
                Ok(v) => {
                    sup.pcf = v;
                    changes.push(format!("{place}.supplier.pcf → {v}"));
                }
                Err(m) => problems.push(m),
            },
            None => problems.push(page.tf("ws.scenario.not_supplier", &[("field", &place)])),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if changes.is_empty() {
        return Err(vec![page.t("ws.scenario.nothing_changed").to_string()]);
    }
    let problems = validate_model(model);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(changes.join("; "))
}

pub async fn create(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Form(f): Form<ScenarioForm>,
) -> Result<Response, WebError> {
    editor(&page)?;
    let product = own_product(&s, &page, id).await?;
    let e = |e| page.error(e);
    let base: i64 = f.base.trim().parse().map_err(|_| {
        WebError::message(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            page.tf("ws.compute.bad_version", &[("value", f.base.trim())]),
        )
    })?;
    let v = s
        .store
        .get_model_version(&page.viewer, id, base)
        .await
        .map_err(e)?;
    let mut model = stored_model(&page, &v)?;
    let changes = match apply_scenario(&page, &mut model, &f) {
        Ok(c) => c,
        Err(problems) => {
            return show_form(
                &s,
                &page,
                &product,
                Some(base),
                Some(&f.input),
                &f.q,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let note = if f.note.trim().is_empty() {
        page.tf(
            "ws.scenario.default_note",
            &[("version", &base.to_string()), ("changes", &changes)],
        )
    } else {
        f.note.trim().to_string()
    };
    let saved = s
        .store
        .add_model_version(
            &page.viewer,
            id,
            NewModelVersion {
                model_json: to_json(&model),
                source_format: "json".into(),
                note,
            },
        )
        .await
        .map_err(e)?;
    // Both are computed with the same options; the base only when it has no footprint.
    let briefs = s
        .store
        .footprint_briefs(&page.viewer, id)
        .await
        .map_err(e)?;
    let options = serde_json::json!({"gwp": "ar6", "monte_carlo": 0, "seed": 42});
    if !briefs.iter().any(|b| b.model_version == base) {
        s.store
            .start_footprint(&page.viewer, id, Some(base), options.clone())
            .await
            .map_err(e)?;
    }
    s.store
        .start_footprint(&page.viewer, id, Some(saved.version), options)
        .await
        .map_err(e)?;
    Ok(see_other(&format!(
        "/app/products/{id}/compare?va={base}&vb={}",
        saved.version
    )))
}

// ---------------------------------------------------------------------------------
// Comparison

#[derive(Debug, Default, Deserialize)]
pub struct CompareQuery {
    /// Footprint ids.
    a: Option<i64>,
    b: Option<i64>,
    /// Or model version numbers (their newest footprints).
    va: Option<i64>,
    vb: Option<i64>,
}

pub struct CompareRow {
    pub label: String,
    pub a: String,
    pub b: String,
    pub diff: String,
    pub pct: String,
    /// The change lowers the footprint.
    pub better: bool,
}

pub struct SideView {
    pub id: i64,
    pub version: i64,
    pub total: String,
    pub date: String,
}

pub struct ModelChange {
    pub path: String,
    pub old: String,
    pub new: String,
}

/// One side of the comparison: computed, being computed, or not computed.
pub struct SideState {
    pub version: i64,
    pub status: String,
    pub computing: bool,
}

#[derive(Template)]
#[template(path = "web/workspace/compare.html")]
struct CompareTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    product: &'a Product,
    a: SideView,
    b: SideView,
    total_diff: String,
    total_pct: String,
    better: bool,
    stages: Vec<CompareRow>,
    items: Vec<CompareRow>,
    changes: Vec<ModelChange>,
    unit: String,
}

#[derive(Template)]
#[template(path = "web/workspace/compare_wait.html")]
struct CompareWaitTemplate<'a> {
    page: &'a Page,
    tab: Tab,
    product: &'a Product,
    sides: Vec<SideState>,
    computing: bool,
    can_edit: bool,
}

/// An item's place in the model: process, kind (`input`, `emission`), index.
type ItemPlace = (String, String, usize);
/// What an item is linked to and its contribution.
type ItemValue = (String, f64);

enum Side {
    Ready(Box<FootprintRow>),
    Computing(i64),
    Missing(i64),
}

async fn side(
    s: &AppState,
    page: &Page,
    product: &Product,
    footprint: Option<i64>,
    version: Option<i64>,
    briefs: &[FootprintBrief],
) -> Result<Side, WebError> {
    let e = |e| page.error(e);
    let fid = match (footprint, version) {
        (Some(f), _) => f,
        (None, Some(v)) => match briefs.iter().find(|b| b.model_version == v) {
            Some(b) => b.id,
            None => {
                let mv = s
                    .store
                    .get_model_version(&page.viewer, product.id, v)
                    .await
                    .map_err(e)?;
                let pending = s
                    .store
                    .pending_calculations(&page.viewer)
                    .await
                    .map_err(e)?;
                return Ok(if pending.iter().any(|p| p.model_version_id == mv.id) {
                    Side::Computing(v)
                } else {
                    Side::Missing(v)
                });
            }
        },
        (None, None) => {
            return Err(WebError::status(
                page,
                StatusCode::UNPROCESSABLE_ENTITY,
                "ws.compare.choose",
            ));
        }
    };
    let f = s.store.get_footprint(&page.viewer, fid).await.map_err(e)?;
    if f.summary_only || f.product_id != product.id {
        return Err(not_found(page));
    }
    Ok(Side::Ready(Box::new(f)))
}

fn pct_change(page: &Page, a: f64, b: f64) -> String {
    if a == 0.0 {
        return String::new();
    }
    let p = (b - a) / a.abs();
    let sign = if p > 0.0 { "+" } else { "" };
    format!("{sign}{}", page.pct(p))
}

fn signed(page: &Page, v: f64) -> String {
    let sign = if v > 0.0 { "+" } else { "" };
    format!("{sign}{}", page.sig(v))
}

fn json_brief(v: &Option<serde_json::Value>) -> String {
    match v {
        None => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => {
            let t = other.to_string();
            if t.chars().count() > 120 {
                format!("{}…", t.chars().take(120).collect::<String>())
            } else {
                t
            }
        }
    }
}

pub async fn compare(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(q): Query<CompareQuery>,
) -> Result<Response, WebError> {
    let user = enterprise(&page)?;
    let product = own_product(&s, &page, id).await?;
    let briefs = s
        .store
        .footprint_briefs(&page.viewer, id)
        .await
        .map_err(|e| page.error(e))?;
    let a = side(&s, &page, &product, q.a, q.va, &briefs).await?;
    let b = side(&s, &page, &product, q.b, q.vb, &briefs).await?;
    let (fa, fb) = match (a, b) {
        (Side::Ready(a), Side::Ready(b)) => (a, b),
        (a, b) => {
            let state = |x: &Side| match x {
                Side::Ready(f) => SideState {
                    version: f.model_version,
                    status: page.t("ws.job.succeeded").to_string(),
                    computing: false,
                },
                Side::Computing(v) => SideState {
                    version: *v,
                    status: page.t("ws.job.running").to_string(),
                    computing: true,
                },
                Side::Missing(v) => SideState {
                    version: *v,
                    status: page.t("ws.footprint.none").to_string(),
                    computing: false,
                },
            };
            let sides = vec![state(&a), state(&b)];
            return render(
                &page,
                &CompareWaitTemplate {
                    page: &page,
                    tab: Tab::None,
                    product: &product,
                    computing: sides.iter().any(|s| s.computing),
                    sides,
                    can_edit: user.can_edit(),
                },
            );
        }
    };
    let ra = result_of(&page, &fa)?;
    let rb = result_of(&page, &fb)?;
    let stage_of = |r: &zuji_calc::FootprintResult, st: LifeCycleStage| {
        r.by_stage
            .iter()
            .filter(|x| x.stage == st)
            .map(|x| x.value)
            .sum::<f64>()
    };
    let stages = LifeCycleStage::ALL
        .into_iter()
        .filter(|st| {
            ra.by_stage.iter().any(|x| x.stage == *st) || rb.by_stage.iter().any(|x| x.stage == *st)
        })
        .map(|st| {
            let (va, vb) = (stage_of(&ra, st), stage_of(&rb, st));
            CompareRow {
                label: page.t(keys::stage(st)).to_string(),
                a: page.sig(va),
                b: page.sig(vb),
                diff: signed(&page, vb - va),
                pct: pct_change(&page, va, vb),
                better: vb < va,
            }
        })
        .collect();
    // Items matched by their place in the model (process, kind, index): a replaced
    // dataset is the same item with another target.
    let mut items: BTreeMap<ItemPlace, (Option<ItemValue>, Option<ItemValue>)> = BTreeMap::new();
    for i in &ra.items {
        items
            .entry((i.process.clone(), i.kind.clone(), i.index))
            .or_default()
            .0 = Some((i.what.clone(), i.value));
    }
    for i in &rb.items {
        items
            .entry((i.process.clone(), i.kind.clone(), i.index))
            .or_default()
            .1 = Some((i.what.clone(), i.value));
    }
    let mut changed: Vec<(f64, CompareRow)> = items
        .into_iter()
        .filter_map(|((process, _, _), (a, b))| {
            let va = a.as_ref().map_or(0.0, |x| x.1);
            let vb = b.as_ref().map_or(0.0, |x| x.1);
            let d = vb - va;
            if d == 0.0 {
                return None;
            }
            let what = match (&a, &b) {
                (Some((wa, _)), Some((wb, _))) if wa != wb => format!("{wa} → {wb}"),
                (Some((w, _)), _) | (None, Some((w, _))) => w.clone(),
                (None, None) => String::new(),
            };
            Some((
                d.abs(),
                CompareRow {
                    label: format!("{process} › {what}"),
                    a: page.sig(va),
                    b: page.sig(vb),
                    diff: signed(&page, d),
                    pct: pct_change(&page, va, vb),
                    better: d < 0.0,
                },
            ))
        })
        .collect();
    changed.sort_by(|x, y| y.0.total_cmp(&x.0));
    let items = changed.into_iter().take(10).map(|(_, r)| r).collect();
    // What changed in the model between the two versions (as `GET /products/{id}/diff`).
    let changes = if fa.model_version_id == fb.model_version_id {
        Vec::new()
    } else {
        let load = |mv: i64| {
            let s = &s;
            let page = &page;
            async move {
                let v = s
                    .store
                    .get_model_version(&page.viewer, id, mv)
                    .await
                    .map_err(|e| page.error(e))?;
                serde_json::from_str::<serde_json::Value>(&v.model_json).map_err(|_| {
                    WebError::status(page, StatusCode::INTERNAL_SERVER_ERROR, "error.internal")
                })
            }
        };
        let ja = load(fa.model_version).await?;
        let jb = load(fb.model_version).await?;
        crate::diff::diff(&ja, &jb)
            .into_iter()
            .take(30)
            .map(|c| ModelChange {
                path: c.path,
                old: json_brief(&c.old),
                new: json_brief(&c.new),
            })
            .collect()
    };
    let view = |f: &FootprintRow| SideView {
        id: f.id,
        version: f.model_version,
        total: super::total_text(&page, f.total),
        date: page.datetime_ms(f.created_at),
    };
    render(
        &page,
        &CompareTemplate {
            page: &page,
            tab: Tab::None,
            product: &product,
            a: view(&fa),
            b: view(&fb),
            total_diff: signed(&page, fb.total - fa.total),
            total_pct: pct_change(&page, fa.total, fb.total),
            better: fb.total < fa.total,
            stages,
            items,
            changes,
            unit: rb.product.declared_unit.clone(),
        },
    )
}
