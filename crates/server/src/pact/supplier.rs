//! Supplier footprints fetched over PACT: store them, link one into a product model in
//! place of a background dataset (a new model version), and flag the models whose
//! linked supplier footprint has been replaced or changed since.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use zuji_formats::pact::import_product_footprint;
use zuji_model::product::ProductModel;
use zuji_store::{
    ModelVersion, NewModelVersion, PactPartner, Store, StoreError, SupplierUpdate, Viewer,
};

/// Validates a partner's `ProductFootprint` and stores it; returns what changed.
pub async fn store_fetched(
    store: &Store,
    partner: &PactPartner,
    pf: &Value,
) -> Result<SupplierUpdate, String> {
    let text = pf.to_string();
    let imported = import_product_footprint(&text).map_err(|e| e.to_string())?;
    let replaces = pf
        .get("precedingPfIds")
        .and_then(Value::as_array)
        .and_then(|a| a.last())
        .and_then(Value::as_str);
    store
        .upsert_supplier_footprint(
            partner.org_id,
            partner.id,
            &zuji_store::FetchedFootprint {
                pf_id: &imported.id,
                status: &imported.raw_status,
                product_ids: &imported.product_ids,
                json: &text,
                replaces_pf_id: replaces,
            },
        )
        .await
        .map_err(|e| e.to_string())
}

/// Which input of which process to link a supplier footprint into.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct LinkRequest {
    /// The PACT id of a fetched supplier footprint.
    pub pf_id: String,
    /// The process of the model whose input it becomes.
    pub process: String,
    /// The background dataset it replaces in that process (its id as the model names it).
    pub replaces_dataset: String,
}

/// A linked supplier footprint that is no longer current.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AffectedModel {
    pub product_id: i64,
    pub model_version: i64,
    pub process: String,
    pub pf_id: String,
    /// `replaced` (the supplier published a successor), `deprecated`, or `changed`
    /// (the value per unit differs from the one in the model).
    pub reason: String,
    /// The successor's PACT id, when there is one.
    pub replaced_by: Option<String>,
    /// kg CO2e per unit in the model and in the supplier's current footprint.
    pub linked_pcf: f64,
    pub current_pcf: Option<f64>,
}

fn invalid(field: &str, problem: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        problem: problem.into(),
    }
}

fn parse_model(v: &ModelVersion) -> Result<ProductModel, StoreError> {
    serde_json::from_str(&v.model_json).map_err(|e| {
        invalid(
            "model_json",
            format!("stored model version {} is unreadable: {e}", v.version),
        )
    })
}

/// Links a fetched supplier footprint into the latest model version of a product,
/// replacing a background dataset input; saves the result as a new model version.
pub async fn link(
    store: &Store,
    viewer: &Viewer,
    product_id: i64,
    req: &LinkRequest,
) -> Result<ModelVersion, StoreError> {
    let fetched = store.get_supplier_footprint(viewer, &req.pf_id).await?;
    let imported = import_product_footprint(&fetched.json.to_string())
        .map_err(|e| invalid("pf_id", e.to_string()))?;
    if imported.deprecated {
        return Err(invalid(
            "pf_id",
            format!(
                "{} is deprecated by its supplier; link its successor",
                req.pf_id
            ),
        ));
    }
    let product = store.get_product(viewer, product_id).await?;
    let latest = store
        .get_model_version(viewer, product_id, product.latest_version)
        .await?;
    let mut model = parse_model(&latest)?;
    let process = model
        .processes
        .iter_mut()
        .find(|p| p.id == req.process)
        .ok_or_else(|| {
            invalid(
                "process",
                format!("the model has no process '{}'", req.process),
            )
        })?;
    let input = process
        .inputs
        .iter_mut()
        .find(|i| i.dataset.as_deref() == Some(req.replaces_dataset.as_str()))
        .ok_or_else(|| {
            invalid(
                "replaces_dataset",
                format!(
                    "process '{}' has no input from dataset '{}'",
                    req.process, req.replaces_dataset
                ),
            )
        })?;
    let supplier = imported.to_supplier_footprint();
    // The input's amount is in its own unit; the supplier's value is per its declared
    // unit. They must measure the same thing, or the product would be wrong.
    let same_unit = zuji_model::units::convert(1.0, &input.unit, &supplier.unit).is_ok();
    if !same_unit {
        return Err(invalid(
            "pf_id",
            format!(
                "the input is measured in '{}' but the supplier's footprint is per '{}'",
                input.unit, supplier.unit
            ),
        ));
    }
    input.dataset = None;
    input.supplier = Some(supplier);
    let json = serde_json::to_string(&model)
        .map_err(|e| invalid("model", format!("cannot serialise: {e}")))?;
    store
        .add_model_version(
            viewer,
            product_id,
            NewModelVersion {
                model_json: json,
                source_format: "json".into(),
                note: format!(
                    "Linked supplier footprint {} (PACT) in process '{}' in place of dataset '{}'",
                    req.pf_id, req.process, req.replaces_dataset
                ),
            },
        )
        .await
}

/// Models (latest versions of the viewer's products) whose linked supplier footprint
/// has a successor, is deprecated, or now says something else.
pub async fn affected_models(
    store: &Store,
    viewer: &Viewer,
) -> Result<Vec<AffectedModel>, StoreError> {
    let fetched = store.list_supplier_footprints(viewer).await?;
    if fetched.is_empty() {
        return Ok(Vec::new());
    }
    let org = viewer.org_id();
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .list_products(
                viewer,
                &zuji_store::ProductFilter {
                    org_id: org,
                    ..Default::default()
                },
                zuji_store::PageRequest::new(offset, 500),
            )
            .await?;
        let n = page.items.len() as u64;
        for product in page.items {
            if product.latest_version == 0 {
                continue;
            }
            let v = store
                .get_model_version(viewer, product.id, product.latest_version)
                .await?;
            let Ok(model) = parse_model(&v) else { continue };
            for p in &model.processes {
                for input in &p.inputs {
                    let Some(s) = &input.supplier else { continue };
                    // Models name PACT ids as `urn:uuid:…`; PACT itself writes them bare.
                    let id = s.id.strip_prefix("urn:uuid:").unwrap_or(&s.id);
                    let Some(row) = fetched.iter().find(|f| f.pf_id.eq_ignore_ascii_case(id))
                    else {
                        continue;
                    };
                    let successor = fetched.iter().find(|f| {
                        f.replaces_pf_id
                            .as_deref()
                            .is_some_and(|r| r.eq_ignore_ascii_case(id))
                    });
                    let current = import_product_footprint(&row.json.to_string()).ok();
                    let current_pcf = current.as_ref().map(|c| c.pcf_per_unit);
                    let reason = if successor.is_some() {
                        Some("replaced")
                    } else if current.as_ref().is_some_and(|c| c.deprecated) {
                        Some("deprecated")
                    } else if current_pcf
                        .is_some_and(|c| (c - s.pcf).abs() > 1e-9 * s.pcf.abs().max(1.0))
                    {
                        Some("changed")
                    } else {
                        None
                    };
                    if let Some(reason) = reason {
                        out.push(AffectedModel {
                            product_id: product.id,
                            model_version: v.version,
                            process: p.id.clone(),
                            pf_id: s.id.clone(),
                            reason: reason.into(),
                            replaced_by: successor.map(|f| f.pf_id.clone()),
                            linked_pcf: s.pcf,
                            current_pcf,
                        });
                    }
                }
            }
        }
        if n < 500 {
            break;
        }
        offset += 500;
    }
    Ok(out)
}
