//! Carbon labels (碳标识): issued on a certificate in force, stated from the stored
//! records (never from the request), signed by the issuing organisation's key and
//! appended to the transparency log in the same transaction — the statement carries its
//! own log index under the signature, and the log entry carries the signature.
//!
//! Who issues: the certification body that issued the certificate, or the registry
//! operator (write scope). Everyone reads labels: they are printed on packaging.

use super::certification::{CertificateView, certificate_view};
use super::log::append_with;
use super::{ms_to_seconds, next_counter, now_seconds, seconds_to_ms, stored_json, to_json};
use crate::audit::record;
use crate::{OrgKind, Page, PageRequest, Scope, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use serde_json::json;
use zuji_calc::footprint::FootprintResult;
use zuji_model::product::ProductModel;
use zuji_trust::benchmark;
use zuji_trust::certification::{CertificateStatus, Timestamp};
use zuji_trust::keys::SignedStatement;
use zuji_trust::label::{
    CertificationBodyRef, LabelGrade, LabelProduct, LabelStatement, sign_label,
};
use zuji_trust::log::EntryKind;

/// An issued label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredLabel {
    pub id: String,
    pub certificate_id: String,
    pub product_id: i64,
    /// What the label states (also inside `signed`).
    pub statement: LabelStatement,
    /// The statement signed by the issuer's key: what the QR code carries.
    pub signed: SignedStatement,
    /// The index of its `label_issued` entry in the transparency log.
    pub log_index: u64,
    pub issued_by_org: Option<i64>,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// A certified product of a category as the open-data ranking lists it: its newest
/// label whose certificate is in force.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RankedProduct {
    /// 1 for the lowest footprint.
    pub rank: u64,
    pub label_id: String,
    pub product_id: i64,
    pub product_name: String,
    pub gtin: Option<String>,
    pub certificate_id: String,
    /// kg CO2e per declared unit, as the label states.
    pub value: f64,
    pub unit: String,
    pub declared_unit: String,
    pub grade: Option<String>,
    pub benchmark_period: Option<String>,
    pub benchmark_version: Option<u32>,
    /// Unix milliseconds.
    pub valid_until: i64,
}

/// id, certificate, product, signed JSON, log index, issuer, created.
type LabelRow = (String, String, i64, String, i64, Option<i64>, i64);
/// A [`LabelRow`] followed by the grade's rank.
type RankRow = (
    String,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
);
const LABEL_COLS: &str =
    "id, certificate_id, product_id, signed_json, log_index, issued_by_org, created_at";

fn label_from(row: LabelRow) -> Result<StoredLabel, StoreError> {
    let (id, certificate_id, product_id, signed_json, log_index, issued_by_org, created_at) = row;
    let signed: SignedStatement = stored_json(&signed_json, &format!("labels[{id}].signed_json"))?;
    let statement: LabelStatement = signed.payload_as().map_err(|e| {
        StoreError::invalid(
            &format!("labels[{id}].signed_json"),
            format!("the signed payload is not a label statement: {e}"),
        )
    })?;
    Ok(StoredLabel {
        id,
        certificate_id,
        product_id,
        statement,
        signed,
        log_index: log_index.max(0) as u64,
        issued_by_org,
        created_at,
    })
}

/// The body of a `label_issued` log entry: what the label states, and its signature, so
/// a verifier holding a label can find it in the log and match it exactly.
fn label_log_body(statement: &LabelStatement, signed: &SignedStatement) -> serde_json::Value {
    json!({
        "label_id": statement.label_id,
        "certificate_id": statement.certificate_id,
        "product": statement.product,
        "value": statement.value,
        "unit": statement.unit,
        "declared_unit": statement.declared_unit,
        "pcr": statement.pcr,
        "grade": statement.grade,
        "valid_from": statement.valid_from,
        "valid_until": statement.valid_until,
        "key_id": signed.key_id,
        "signature": signed.sig,
    })
}

impl Store {
    /// Issues a carbon label for a certificate in force: by the certification body that
    /// issued it or the registry operator (write scope). Everything the label states is
    /// read from the stored certificate, its footprint (value, declared unit, boundary,
    /// databases), the product (name, GTIN), the PCR and the newest benchmark of the PCR
    /// (grade and benchmark version; no grade when none is published). It is valid from
    /// now until the certificate's validity ends, signed with the issuer's key, and
    /// appended to the log in the same transaction.
    pub async fn issue_label(
        &self,
        viewer: &Viewer,
        certificate_id: &str,
    ) -> Result<StoredLabel, StoreError> {
        viewer.require(Scope::Write)?;
        let CertificateView {
            certificate,
            product_id,
            model_version_id,
            body_org_id,
        } = certificate_view(self, certificate_id).await?;
        let issuer_org = match viewer {
            Viewer::Member {
                org_kind: OrgKind::Registry,
                org_id,
                ..
            } => *org_id,
            Viewer::Member {
                org_kind: OrgKind::Certifier,
                org_id,
                ..
            } if *org_id == body_org_id => *org_id,
            Viewer::Anonymous => return Err(StoreError::Unauthenticated),
            _ => {
                return Err(StoreError::Forbidden(format!(
                    "only the certification body that issued {certificate_id}, or the registry operator, issues its labels"
                )));
            }
        };
        let now = now_seconds();
        let status = certificate.status_at(Timestamp(now));
        if status != CertificateStatus::Valid {
            return Err(StoreError::invalid(
                "certificate_id",
                format!(
                    "certificate {certificate_id} is {}; a label is issued only on a certificate in force",
                    status.as_str()
                ),
            ));
        }
        let scope = certificate.scope().clone();
        let footprint = self
            .footprint_with_fingerprint(model_version_id, &scope.footprint_fingerprint)
            .await?;
        let result: FootprintResult =
            serde_json::from_value(footprint.result.clone()).map_err(|e| {
                StoreError::invalid(
                    &format!("footprints[{}].result_json", footprint.id),
                    format!("the stored result cannot be read: {e}"),
                )
            })?;
        let version = self
            .model_version_by_id(&Viewer::System, model_version_id)
            .await?;
        let model: ProductModel = stored_json(
            &version.model_json,
            &format!("model_versions[{}].model_json", version.id),
        )?;
        let product = self.get_product(&Viewer::System, product_id).await?;
        let pcr = self
            .get_pcr(&scope.pcr.id, Some(&scope.pcr.version))
            .await?
            .pcr;
        // The newest benchmark of the PCR's version grades it (periods sort as text:
        // `2025` < `2026`); its bands are that version's.
        let graded = match self
            .list_benchmarks(&pcr.id)
            .await?
            .iter()
            .rfind(|b| b.benchmark.pcr_version == pcr.version)
        {
            Some(b) => Some(
                benchmark::grade(footprint.total, &b.benchmark, &pcr.grades)
                    .map_err(|e| StoreError::invalid("grade", e.to_string()))?,
            ),
            None => None,
        };
        let grade = graded.as_ref().map(LabelGrade::from_grade);
        let grade_rank = graded.as_ref().map(|g| g.rank as i64);
        let body = self.org_by_id(body_org_id).await?;
        let unit = &model.product.declared_unit;
        let key = self.signing_pair_of_org(issuer_org).await?;
        let valid_until = certificate.valid_until().unix_seconds();
        let mut tx = self.pool.begin().await?;
        let seq = next_counter(&mut tx, "label").await?;
        let id = format!("LBL-{seq:06}");
        let mut signed_out = None;
        let mut statement_out = None;
        let entry = append_with(&mut tx, EntryKind::LabelIssued, &id, now, |index| {
            let statement = LabelStatement {
                label_id: id.clone(),
                product: LabelProduct {
                    name: product.name.clone(),
                    id: product_id.to_string(),
                    gtin: product.gtin.clone(),
                },
                value: footprint.total,
                unit: "kg CO2e".to_string(),
                declared_unit: format!("{} {}", unit.amount, unit.unit),
                boundary: model.product.boundary,
                pcr: scope.pcr.clone(),
                databases: result
                    .fingerprint
                    .databases
                    .iter()
                    .map(|d| format!("{} {}", d.id, d.version))
                    .collect(),
                grade: grade.clone(),
                certificate_id: certificate_id.to_string(),
                certification_body: CertificationBodyRef {
                    name: body.name.clone(),
                    org_id: body_org_id.to_string(),
                },
                valid_from: now,
                valid_until,
                log_index: Some(index),
            };
            let signed = sign_label(&key, &statement, now)
                .map_err(|e| StoreError::invalid("label", e.to_string()))?;
            let body = label_log_body(&statement, &signed);
            signed_out = Some(signed);
            statement_out = Some(statement);
            Ok(body)
        })
        .await?;
        let (Some(signed), Some(statement)) = (signed_out, statement_out) else {
            return Err(StoreError::invalid("label", "the label was not signed"));
        };
        let created_at = now_ms();
        sqlx::query(
            "INSERT INTO labels (id, seq, certificate_id, product_id, gtin, pcr_id, value, grade, grade_rank, valid_from, valid_until, log_index, issued_by_org, signed_json, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&id)
        .bind(seq)
        .bind(certificate_id)
        .bind(product_id)
        .bind(&statement.product.gtin)
        .bind(&statement.pcr.id)
        .bind(statement.value)
        .bind(statement.grade.as_ref().map(|g| g.grade.clone()))
        .bind(grade_rank)
        .bind(seconds_to_ms(statement.valid_from))
        .bind(seconds_to_ms(statement.valid_until))
        .bind(entry.index as i64)
        .bind(issuer_org)
        .bind(to_json(&signed, "signed label")?)
        .bind(created_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::conflict_or(e, "label", &id))?;
        record(
            &mut tx,
            viewer,
            "label.issue",
            "label",
            &id,
            json!({"certificate_id": certificate_id, "log_index": entry.index, "key_id": signed.key_id}),
        )
        .await?;
        tx.commit().await?;
        Ok(StoredLabel {
            id,
            certificate_id: certificate_id.to_string(),
            product_id,
            statement,
            signed,
            log_index: entry.index,
            issued_by_org: Some(issuer_org),
            created_at,
        })
    }

    /// One label. Public.
    pub async fn get_label(&self, id: &str) -> Result<StoredLabel, StoreError> {
        let row: Option<LabelRow> =
            sqlx::query_as(sql!("SELECT {LABEL_COLS} FROM labels WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        label_from(row.ok_or_else(|| StoreError::not_found("label", id))?)
    }

    /// Labels, newest first, of one certificate, one product or one GTIN. Public.
    pub async fn list_labels(
        &self,
        certificate_id: Option<&str>,
        product_id: Option<i64>,
        gtin: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<StoredLabel>, StoreError> {
        let where_sql = "WHERE ($1 IS NULL OR certificate_id = $1) AND ($2 IS NULL OR product_id = $2) AND ($3 IS NULL OR gtin = $3)";
        let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM labels {where_sql}"))
            .bind(certificate_id)
            .bind(product_id)
            .bind(gtin)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<LabelRow> = sqlx::query_as(sql!(
            "SELECT {LABEL_COLS} FROM labels {where_sql} ORDER BY seq DESC LIMIT $4 OFFSET $5"
        ))
        .bind(certificate_id)
        .bind(product_id)
        .bind(gtin)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows.into_iter().map(label_from).collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }

    /// Certified products of a PCR's category, lowest footprint first: for each
    /// product, its newest label that is in date and whose certificate is in force now.
    /// `max_grade_rank` keeps products whose newest label's grade is at least that good
    /// (1 = best band). Public: the green-procurement and green-finance ranking.
    pub async fn rank_certified_products(
        &self,
        pcr_id: &str,
        max_grade_rank: Option<i64>,
        page: PageRequest,
    ) -> Result<Page<RankedProduct>, StoreError> {
        let now = now_ms();
        let cert_ids: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT l.certificate_id FROM labels l WHERE l.pcr_id = $1 AND l.valid_from <= $2 AND l.valid_until > $2",
        )
        .bind(pcr_id)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        // Status is the certificate's, read through its history (expiry applies on
        // reading), so a suspended or withdrawn certificate drops out at once.
        let mut in_force = Vec::new();
        for (id,) in cert_ids {
            let view = certificate_view(self, &id).await?;
            if view.certificate.status_at(Timestamp(ms_to_seconds(now))) == CertificateStatus::Valid
            {
                in_force.push(id);
            }
        }
        // Newest first, so each product is represented by its newest label in date; the
        // grade filter applies to that label (an older, better label never stands in).
        let rows: Vec<RankRow> = sqlx::query_as(sql!(
            "SELECT {LABEL_COLS}, grade_rank FROM labels WHERE pcr_id = $1 AND valid_from <= $2 AND valid_until > $2
             ORDER BY seq DESC"
        ))
        .bind(pcr_id)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let mut seen = std::collections::HashSet::new();
        let mut newest = Vec::new();
        for (id, cert, product, signed, index, org, created, grade_rank) in rows {
            if !in_force.contains(&cert) || !seen.insert(product) {
                continue;
            }
            if max_grade_rank.is_some_and(|max| grade_rank.is_none_or(|r| r > max)) {
                continue;
            }
            newest.push(label_from((
                id, cert, product, signed, index, org, created,
            ))?);
        }
        newest.sort_by(|a, b| a.statement.value.total_cmp(&b.statement.value));
        let mut ranked = Vec::new();
        for label in newest {
            let s = &label.statement;
            ranked.push(RankedProduct {
                rank: ranked.len() as u64 + 1,
                label_id: label.id.clone(),
                product_id: label.product_id,
                product_name: s.product.name.clone(),
                gtin: s.product.gtin.clone(),
                certificate_id: label.certificate_id.clone(),
                value: s.value,
                unit: s.unit.clone(),
                declared_unit: s.declared_unit.clone(),
                grade: s.grade.as_ref().map(|g| g.grade.clone()),
                benchmark_period: s.grade.as_ref().map(|g| g.benchmark_period.clone()),
                benchmark_version: s.grade.as_ref().map(|g| g.benchmark_version),
                valid_until: seconds_to_ms(s.valid_until),
            });
        }
        let total = ranked.len() as i64;
        let items = ranked
            .into_iter()
            .skip(page.offset as usize)
            .take(page.limit as usize)
            .collect();
        Ok(Page::new(items, total, page))
    }
}
