//! Bulk fixtures for benchmarks (never used by the platform): many products inserted at
//! once, and many certified products made as copies of one genuinely certified one.
//!
//! Certifying for real runs the engine twice per product (the enterprise's calculation
//! and the body's recomputation); a benchmark needing thousands of certified products
//! would spend minutes on that. A copy instead gets the rows a real certification ends
//! with — a certificate (the template's record with the copy's id, product and holder),
//! a label stating the copy's value, grade and PCR, signed by the template label's
//! issuer, and both `certificate_issued` and `label_issued` log entries with their leaf
//! hashes — so the registry's lists, the log and label verification see ordinary rows.
//! A copy shares the template's application, model version and footprint (the rows its
//! foreign keys name), so it cannot be recomputed and its product page has no stage
//! breakdown.

use crate::trust::to_hex;
use crate::{Store, StoreError, now_ms};
use serde_json::{Value, json};
use zuji_trust::certification::PcrRef;
use zuji_trust::label::{LabelGrade, LabelProduct, sign_label};
use zuji_trust::log::{EntryKind, LogEntry};

/// Rows per multi-row `INSERT` (9 parameters each, well under both backends' limits).
const BATCH: usize = 500;

/// A GS1 GTIN-13 `690` + the 9 low digits of `n` + its check digit.
pub fn gtin13(n: u64) -> String {
    let body = format!("690{:09}", n % 1_000_000_000);
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 { d * 3 } else { d }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// Inserts `count` products of organisation `org_id` in one transaction: named
/// `"{prefix} {i}"`, their categories cycling through `categories`, each with the GTIN
/// [`gtin13`]`(gtin_base + i)`, disclosed, without model versions. Returns their ids in
/// order.
pub async fn insert_products(
    store: &Store,
    org_id: i64,
    prefix: &str,
    categories: &[&str],
    count: usize,
    gtin_base: u64,
) -> Result<Vec<i64>, StoreError> {
    if categories.is_empty() {
        return Err(StoreError::invalid("categories", "give at least one"));
    }
    let now = now_ms();
    let mut ids = Vec::with_capacity(count);
    let mut tx = store.pool.begin().await?;
    let mut start = 0;
    while start < count {
        let n = BATCH.min(count - start);
        let values: Vec<String> = (0..n)
            .map(|k| {
                let p = k * 6;
                format!(
                    "(${}, ${}, ${}, ${}, 1, 0, ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6
                )
            })
            .collect();
        let text = format!(
            "INSERT INTO products (org_id, name, category, gtin, disclosed, latest_version, created_at, updated_at)
             VALUES {} RETURNING id",
            values.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(text));
        for k in 0..n {
            let i = start + k;
            q = q
                .bind(org_id)
                .bind(format!("{prefix} {i}"))
                .bind(categories[i % categories.len()].to_string())
                .bind(gtin13(gtin_base + i as u64))
                .bind(now)
                .bind(now);
        }
        let mut batch = q.fetch_all(&mut *tx).await?;
        batch.sort_unstable();
        ids.extend(batch);
        start += n;
    }
    tx.commit().await?;
    Ok(ids)
}

/// A product to certify as a copy of the template.
#[derive(Debug, Clone)]
pub struct CertifiedCopy {
    pub product_id: i64,
    /// kg CO2e per declared unit, as its label states.
    pub value: f64,
    pub pcr: PcrRef,
    /// The declared unit its label states (`1 t`); the template's when `None`.
    pub declared_unit: Option<String>,
    /// The grade, with its band's rank (1 = best).
    pub grade: Option<(LabelGrade, i64)>,
}

/// Certifies and labels each copy like the label `template_label_id` (see the module
/// documentation), in one transaction. Returns the new labels' ids.
pub async fn insert_certified_copies(
    store: &Store,
    template_label_id: &str,
    copies: &[CertifiedCopy],
) -> Result<Vec<String>, StoreError> {
    if copies.is_empty() {
        return Ok(Vec::new());
    }
    let template = store.get_label(template_label_id).await?;
    let issuer = template
        .issued_by_org
        .ok_or_else(|| StoreError::invalid("template", "the template label has no issuer"))?;
    let key = store.signing_pair_of_org(issuer).await?;
    let (application_id, model_version_id, body_org, issued_at, valid_until, cert_json): (
        String,
        i64,
        i64,
        i64,
        i64,
        String,
    ) = sqlx::query_as(
        "SELECT application_id, model_version_id, body_org_id, issued_at, valid_until, certificate_json
         FROM certificates WHERE id = $1",
    )
    .bind(&template.certificate_id)
    .fetch_one(&store.pool)
    .await?;
    let cert_template: Value = serde_json::from_str(&cert_json)
        .map_err(|e| StoreError::invalid("template certificate", e.to_string()))?;
    let n = copies.len() as i64;
    let now_s = now_ms().div_euclid(1000);
    let mut tx = store.pool.begin().await?;
    let reserve = |name: &'static str| {
        sqlx::query_scalar::<_, i64>(
            "UPDATE trust_counters SET value = value + $1 WHERE name = $2 RETURNING value",
        )
        .bind(n)
        .bind(name)
    };
    let last_cert = reserve("certificate").fetch_one(&mut *tx).await?;
    let last_label = reserve("label").fetch_one(&mut *tx).await?;
    let log_end: i64 =
        sqlx::query_scalar("UPDATE log_state SET size = size + $1 WHERE id = 1 RETURNING size")
            .bind(2 * n)
            .fetch_one(&mut *tx)
            .await?;
    let log_base = log_end - 2 * n;
    let mut label_ids = Vec::with_capacity(copies.len());
    for (i, copy) in copies.iter().enumerate() {
        let i = i as i64;
        let cert_seq = last_cert - n + 1 + i;
        let label_seq = last_label - n + 1 + i;
        let cert_id = format!("CERT-{cert_seq:06}");
        let label_id = format!("LBL-{label_seq:06}");
        let (name, gtin, org_id): (String, Option<String>, i64) =
            sqlx::query_as("SELECT name, gtin, org_id FROM products WHERE id = $1")
                .bind(copy.product_id)
                .fetch_one(&mut *tx)
                .await?;
        let mut cert = cert_template.clone();
        cert["id"] = json!(cert_id);
        cert["holder_org_id"] = json!(org_id.to_string());
        cert["scope"]["product_id"] = json!(copy.product_id.to_string());
        cert["scope"]["pcr"] = json!(copy.pcr);
        let now = now_ms();
        sqlx::query(
            "INSERT INTO certificates (id, seq, application_id, product_id, model_version_id, enterprise_org_id, body_org_id, status, issued_at, valid_until, revision, certificate_json, created_at, updated_at, signed_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'valid', $8, $9, 1, $10, $11, $11, NULL)",
        )
        .bind(&cert_id)
        .bind(cert_seq)
        .bind(&application_id)
        .bind(copy.product_id)
        .bind(model_version_id)
        .bind(org_id)
        .bind(body_org)
        .bind(issued_at)
        .bind(valid_until)
        .bind(cert.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let cert_index = log_base + 2 * i;
        let cert_body = json!({
            "certificate_id": cert_id,
            "holder_org_id": org_id.to_string(),
            "certification_body_org_id": body_org.to_string(),
            "scope": cert["scope"],
            "issued_at": issued_at.div_euclid(1000),
            "valid_until": valid_until.div_euclid(1000),
            "status": "valid",
            "supersedes": null,
            "action": "issue",
        });
        insert_entry(
            &mut tx,
            cert_index,
            EntryKind::CertificateIssued,
            &cert_id,
            issued_at.div_euclid(1000),
            cert_body,
        )
        .await?;
        let label_index = cert_index + 1;
        let mut statement = template.statement.clone();
        statement.label_id = label_id.clone();
        statement.product = LabelProduct {
            name,
            id: copy.product_id.to_string(),
            gtin: gtin.clone(),
        };
        statement.value = copy.value;
        statement.pcr = copy.pcr.clone();
        if let Some(unit) = &copy.declared_unit {
            statement.declared_unit = unit.clone();
        }
        statement.grade = copy.grade.as_ref().map(|(g, _)| g.clone());
        statement.certificate_id = cert_id.clone();
        statement.valid_from = now_s;
        statement.valid_until = valid_until.div_euclid(1000);
        statement.log_index = Some(label_index as u64);
        let signed = sign_label(&key, &statement, now_s)
            .map_err(|e| StoreError::invalid("label", e.to_string()))?;
        let label_body = json!({
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
        });
        insert_entry(
            &mut tx,
            label_index,
            EntryKind::LabelIssued,
            &label_id,
            now_s,
            label_body,
        )
        .await?;
        let signed_json = serde_json::to_string(&signed)
            .map_err(|e| StoreError::invalid("label", e.to_string()))?;
        sqlx::query(
            "INSERT INTO labels (id, seq, certificate_id, product_id, gtin, pcr_id, value, grade, grade_rank, valid_from, valid_until, log_index, issued_by_org, signed_json, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&label_id)
        .bind(label_seq)
        .bind(&cert_id)
        .bind(copy.product_id)
        .bind(gtin)
        .bind(&copy.pcr.id)
        .bind(copy.value)
        .bind(copy.grade.as_ref().map(|(g, _)| g.grade.clone()))
        .bind(copy.grade.as_ref().map(|(_, rank)| *rank))
        .bind(now_s * 1000)
        .bind(valid_until)
        .bind(label_index)
        .bind(issuer)
        .bind(signed_json)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        label_ids.push(label_id);
    }
    tx.commit().await?;
    Ok(label_ids)
}

/// Writes one log entry with its RFC 9162 leaf hash.
async fn insert_entry(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    index: i64,
    kind: EntryKind,
    subject: &str,
    at: i64,
    body: Value,
) -> Result<(), StoreError> {
    let entry = LogEntry {
        index: index.max(0) as u64,
        kind,
        subject: subject.to_string(),
        timestamp: at,
        body,
    };
    let leaf = entry
        .leaf_hash()
        .map_err(|e| StoreError::invalid("log entry", e.to_string()))?;
    let kind = match kind {
        EntryKind::CertificateIssued => "certificate_issued",
        _ => "label_issued",
    };
    sqlx::query(
        "INSERT INTO log_entries (idx, kind, subject, logged_at, body, leaf_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(index)
    .bind(kind)
    .bind(subject)
    .bind(at * 1000)
    .bind(entry.body.to_string())
    .bind(to_hex(&leaf))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn gtins_carry_their_check_digit() {
        for n in [0, 1, 42, 123_456_789] {
            let g = super::gtin13(n);
            assert_eq!(g.len(), 13);
            assert_eq!(zuji_trust::label::check_gtin(&g), Ok(()), "{g}");
        }
        // 690 000 000 001: 3·1 + 9·3 + … worked: digits 6,9,0,0,0,0,0,0,0,0,0,1 with
        // weights 1,3,1,3,…,3 from the left: 6 + 27 + 3 = 36 → check digit 4.
        assert_eq!(super::gtin13(1), "6900000000014");
    }
}
