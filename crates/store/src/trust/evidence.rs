//! The PCR conformance check of a stored footprint: the engine's figures, as stored with
//! the footprint, turned into the trust crate's [`Evidence`] and checked against a stored
//! PCR and the adopted-standards list. The store runs it itself when an enterprise
//! applies and when a body approves, so the figures a decision rests on never come from
//! the client.

use super::stored_json;
use crate::{FootprintRow, Store, StoreError, Viewer};
use zuji_calc::footprint::FootprintResult;
use zuji_model::product::ProductModel;
use zuji_trust::conformance::{
    ConformanceReport, Evidence, ItemEvidence, ItemKind, StageTotal, check, check_with_standards,
    item_quality,
};
use zuji_trust::pcr::Pcr;

/// The engine's result as evidence for the PCR check. Cut-off flows and nil stages are
/// not part of a product model yet, so none are declared: a PCR that requires a stage the
/// model does not have reports it missed rather than excused.
pub(crate) fn evidence_from(model: &ProductModel, result: &FootprintResult) -> Evidence {
    let items = result
        .items
        .iter()
        .map(|i| {
            let kind = if i.kind == "emission" {
                ItemKind::Emission
            } else {
                ItemKind::Input
            };
            ItemEvidence {
                process: i.process.clone(),
                kind,
                index: i.index,
                what: i.what.clone(),
                stage: i.stage,
                primary: i.primary,
                value: i.value,
                share: i.share,
                quality: item_quality(model, &i.process, kind, i.index),
            }
        })
        .collect();
    Evidence {
        total: result.total,
        stages: result
            .by_stage
            .iter()
            .map(|s| StageTotal {
                stage: s.stage,
                value: s.value,
            })
            .collect(),
        items,
        primary_data_share: result.primary_data_share,
        data_quality: result.data_quality.rating,
        data_quality_coverage: result.data_quality.coverage,
        cut_off: Vec::new(),
        nil_stages: Vec::new(),
    }
}

impl Store {
    /// Checks a stored footprint against a stored PCR (the latest version when `version`
    /// is `None`) and, when one is stored, the adopted-standards list. For whoever may see
    /// the footprint's whole result (its owner and the organisations it granted access).
    pub async fn pcr_check(
        &self,
        viewer: &Viewer,
        footprint_id: i64,
        pcr_id: &str,
        version: Option<&str>,
    ) -> Result<ConformanceReport, StoreError> {
        let footprint = self.get_footprint(viewer, footprint_id).await?;
        if footprint.summary_only {
            return Err(StoreError::Forbidden(format!(
                "footprint {footprint_id} is visible to you as its public summary only; the PCR check needs the whole result"
            )));
        }
        let pcr = self.get_pcr(pcr_id, version).await?.pcr;
        self.conformance_of(&footprint, &pcr).await
    }

    /// The check of `footprint` (its whole result) against `pcr`.
    pub(crate) async fn conformance_of(
        &self,
        footprint: &FootprintRow,
        pcr: &Pcr,
    ) -> Result<ConformanceReport, StoreError> {
        let version = self
            .model_version_by_id(&Viewer::System, footprint.model_version_id)
            .await?;
        let model: ProductModel = stored_json(
            &version.model_json,
            &format!("model_versions[{}].model_json", version.id),
        )?;
        let result: FootprintResult =
            serde_json::from_value(footprint.result.clone()).map_err(|e| {
                StoreError::invalid(
                    &format!("footprints[{}].result_json", footprint.id),
                    format!("the stored result cannot be read: {e}"),
                )
            })?;
        let evidence = evidence_from(&model, &result);
        Ok(match self.adopted_standards().await? {
            Some(list) => check_with_standards(&model, pcr, &evidence, &list),
            None => check(&model, pcr, &evidence),
        })
    }

    /// The newest stored footprint of a model version with this fingerprint, whole (for
    /// the store's own decisions).
    pub(crate) async fn footprint_with_fingerprint(
        &self,
        model_version_id: i64,
        fingerprint: &str,
    ) -> Result<FootprintRow, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM footprints WHERE model_version_id = $1 AND fingerprint = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(model_version_id)
        .bind(fingerprint)
        .fetch_optional(&self.pool)
        .await?;
        let id = id.ok_or_else(|| {
            StoreError::invalid(
                "footprint_fingerprint",
                format!(
                    "no footprint of model version {model_version_id} has fingerprint {fingerprint}; compute it first"
                ),
            )
        })?;
        self.get_footprint(&Viewer::System, id).await
    }

    /// The newest stored footprint of a model version, whole.
    pub(crate) async fn latest_footprint_of_version(
        &self,
        model_version_id: i64,
    ) -> Result<FootprintRow, StoreError> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM footprints WHERE model_version_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(model_version_id)
        .fetch_optional(&self.pool)
        .await?;
        let id = id.ok_or_else(|| {
            StoreError::invalid(
                "model_version_id",
                format!(
                    "model version {model_version_id} has no computed footprint; compute it first"
                ),
            )
        })?;
        self.get_footprint(&Viewer::System, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled examples computed with the bundled database, from the engine's own
    /// result, against their PCRs. The expected misses are read off the model files: the
    /// T-shirt flags no input primary (its PCR requires the garment-production energy to
    /// be primary), and the aluminium extrusion's end-of-life inputs carry no data-quality
    /// rating though they contribute more than 10 % each; the other three flag what their
    /// PCRs require and rate their significant inputs.
    #[test]
    fn examples_from_their_computed_results() {
        let db = zuji_formats::default_db::default_database().unwrap();
        let gwp = zuji_formats::default_db::gwp_table("ar6").unwrap();
        for (name, pcr, blocking) in [
            ("lfp-battery-pack", "zuji:pcr:battery-pack:draft", vec![]),
            ("pv-module", "zuji:pcr:pv-module:draft", vec![]),
            (
                "cotton-tshirt",
                "zuji:pcr:apparel:draft",
                vec!["primary-data:garment-production-energy"],
            ),
            (
                "hot-rolled-steel-coil",
                "zuji:pcr:steel-hot-rolled-coil:draft",
                vec![],
            ),
            (
                "aluminium-extrusion",
                "zuji:pcr:aluminium-extrusion:draft",
                vec!["data-quality:coverage", "data-quality:significant-items"],
            ),
        ] {
            let path = std::path::PathBuf::from(format!("../../examples/{name}.toml"));
            let m = zuji_formats::product_model::read_product_model(&path)
                .unwrap()
                .model;
            let r = zuji_calc::footprint::compute_footprint(
                &m,
                std::slice::from_ref(&db),
                &gwp,
                &Default::default(),
                None,
            )
            .unwrap();
            let pcr = zuji_trust::pcr::bundled_pcr(pcr).unwrap().unwrap();
            let report = check(&m, &pcr, &evidence_from(&m, &r));
            let keys: Vec<&str> = report.blocking().iter().map(|i| i.key.as_str()).collect();
            assert_eq!(keys, blocking, "{name}");
            // Every stage the engine reports is in the evidence, with its value.
            assert_eq!(
                evidence_from(&m, &r).stages.len(),
                r.by_stage.len(),
                "{name}"
            );
        }
    }
}
