//! Verifying a stored label the way a verifier holding it would: its signature against
//! the published keys (so a label altered in the database fails too), the payload a phone
//! presented (a forged QR pointing at a genuine label's page is named), the
//! certificate's current status, and its inclusion in the transparency log under the
//! latest signed tree head. One function serves `/verify/{id}` and its JSON API.

use serde::Serialize;
use zuji_store::{Store, StoreError, StoredLabel};
use zuji_trust::certification::CertificateStatus;
use zuji_trust::label::{
    CertificateStatusInfo, LabelVerdict, apply_status, encode_qr_payload, verify_offline,
};
use zuji_trust::log::{EntryKind, verify_head, verify_inclusion};

/// The outcome of every check, each with its reason.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LabelCheck {
    pub label_id: String,
    /// The label statement (product, value, grade, PCR, certificate, validity).
    #[schema(value_type = Object)]
    pub statement: zuji_trust::label::LabelStatement,
    /// The signed statement, as the QR code carries it.
    #[schema(value_type = Object)]
    pub signed: zuji_trust::keys::SignedStatement,
    /// The QR code's text for this registry.
    pub qr_text: String,
    /// `true` when the signature verifies against the published keys and the signer may
    /// sign this label.
    pub signature_valid: bool,
    /// Owner of the signing key (`zuji-registry` or the certification body's id).
    pub signer: Option<String>,
    /// The payload the caller presented (`?z=` from a scanned QR code), if any.
    pub presented: Option<PresentedPayload>,
    pub certificate_id: String,
    /// The certificate's status now: valid, suspended, withdrawn, expired, superseded.
    pub certificate_status: String,
    pub certificate_reason: Option<String>,
    /// `valid`, `revoked`, `suspended`, `expired`, `superseded`, or `invalid` when a
    /// check above failed.
    pub verdict: String,
    /// Why the verdict is not `valid`.
    pub reasons: Vec<String>,
    pub log: LogInclusion,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PresentedPayload {
    /// `true` when the presented payload verifies and is exactly this label's.
    pub matches: bool,
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LogInclusion {
    pub index: u64,
    /// The size of the latest signed tree head, if any was published.
    pub tree_size: Option<u64>,
    pub root_hash: Option<String>,
    /// `true` when the entry is the label's (kind, subject, signature) and its inclusion
    /// proof verifies against the signed head; `false` with `problem` otherwise; `None`
    /// while no signed head covers the entry yet.
    pub included: Option<bool>,
    pub problem: Option<String>,
}

/// Checks label `id` at `now` (Unix seconds); `presented` is the QR text or `ZJ1.`
/// payload a verifier scanned, `base_url` this registry's address (for the QR text).
pub async fn check_label(
    store: &Store,
    id: &str,
    presented: Option<&str>,
    base_url: &str,
    now: i64,
) -> Result<LabelCheck, StoreError> {
    let label = store.get_label(id).await?;
    let keys = store.published_keys().await?;
    let mut reasons = Vec::new();
    // A failed check makes the label untrustworthy whatever its dates; expiry alone does
    // not (an expired genuine label is reported as expired).
    let mut failed = false;
    let qr_text = encode_qr_payload(&label.signed, base_url)
        .map_err(|e| StoreError::invalid("label", e.to_string()))?;
    // The stored label verified like any other: a row changed in the database fails.
    let (signature_valid, signer) = match verify_offline(&qr_text, &keys, now) {
        Ok(v) => (true, Some(v.signer)),
        Err(e @ zuji_trust::label::LabelError::Expired { .. }) => {
            reasons.push(e.to_string());
            (true, None)
        }
        Err(e) => {
            reasons.push(e.to_string());
            failed = true;
            (false, None)
        }
    };
    let presented = presented.map(|text| presented_check(text, &label, &keys, now));
    if let Some(PresentedPayload {
        matches: false,
        problem: Some(p),
    }) = &presented
    {
        reasons.push(p.clone());
        failed = true;
    }
    let certificate = store
        .get_certificate(&zuji_store::Viewer::Anonymous, &label.certificate_id)
        .await?;
    let status = certificate.status;
    let certificate_reason = certificate.status_reason.clone();
    let log = inclusion(store, &label, &keys).await?;
    if log.included == Some(false) {
        reasons.push(log.problem.clone().unwrap_or_default());
        failed = true;
    }
    let info = CertificateStatusInfo {
        status: status.as_str().to_string(),
        reason: certificate_reason.clone(),
    };
    let verdict = if failed {
        "invalid"
    } else {
        let verified = zuji_trust::label::VerifiedLabel {
            statement: label.statement.clone(),
            signed: label.signed.clone(),
            signer: signer.clone().unwrap_or_default(),
            verify_url: None,
            checked_at: now,
        };
        match apply_status(&verified, &info) {
            Ok(LabelVerdict::Valid) => "valid",
            Ok(LabelVerdict::Revoked { .. }) => "revoked",
            Ok(LabelVerdict::Suspended { .. }) => "suspended",
            Ok(LabelVerdict::Expired) => "expired",
            Ok(LabelVerdict::Superseded { .. }) => "superseded",
            Err(e) => {
                reasons.push(e.to_string());
                "invalid"
            }
        }
    };
    if verdict != "valid" && status != CertificateStatus::Valid {
        reasons.push(format!(
            "certificate {} is {}{}",
            label.certificate_id,
            status.as_str(),
            certificate_reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ));
    }
    Ok(LabelCheck {
        label_id: label.id.clone(),
        statement: label.statement.clone(),
        signed: label.signed.clone(),
        qr_text,
        signature_valid,
        signer,
        presented,
        certificate_id: label.certificate_id.clone(),
        certificate_status: status.as_str().to_string(),
        certificate_reason,
        verdict: verdict.to_string(),
        reasons,
        log,
    })
}

fn presented_check(
    text: &str,
    label: &StoredLabel,
    keys: &zuji_trust::keys::KeyRing,
    now: i64,
) -> PresentedPayload {
    match verify_offline(text, keys, now) {
        Ok(v) if v.signed == label.signed => PresentedPayload {
            matches: true,
            problem: None,
        },
        Ok(v) => PresentedPayload {
            matches: false,
            problem: Some(format!(
                "the scanned code is a genuine label ({}) but not the one registered as {}: it differs in what it states",
                v.statement.label_id, label.id
            )),
        },
        Err(e @ zuji_trust::label::LabelError::Expired { .. }) => PresentedPayload {
            matches: false,
            problem: Some(e.to_string()),
        },
        Err(e) => PresentedPayload {
            matches: false,
            problem: Some(format!("the scanned code is not authentic: {e}")),
        },
    }
}

async fn inclusion(
    store: &Store,
    label: &StoredLabel,
    keys: &zuji_trust::keys::KeyRing,
) -> Result<LogInclusion, StoreError> {
    let index = label.log_index;
    let mut out = LogInclusion {
        index,
        tree_size: None,
        root_hash: None,
        included: None,
        problem: None,
    };
    let Some(head) = store.latest_tree_head().await? else {
        return Ok(out);
    };
    out.tree_size = Some(head.tree_size);
    out.root_hash = Some(head.root_hash.clone());
    if head.tree_size <= index {
        return Ok(out);
    }
    let fail = |mut out: LogInclusion, problem: String| {
        out.included = Some(false);
        out.problem = Some(problem);
        Ok(out)
    };
    // Tree heads are the registry's to sign: only its keys count.
    let keys = keys.owned_by(zuji_store::REGISTRY_KEY_OWNER);
    if let Err(e) = verify_head(&head, &keys) {
        return fail(out, format!("the latest tree head does not verify: {e}"));
    }
    let entries = store.log_entries(index, index + 1).await?;
    let Some(entry) = entries.first() else {
        return fail(out, format!("log entry {index} is missing"));
    };
    if entry.kind != EntryKind::LabelIssued
        || entry.subject != label.id
        || entry.body.get("signature").and_then(|s| s.as_str()) != Some(label.signed.sig.as_str())
    {
        return fail(
            out,
            format!(
                "log entry {index} is not the issue of label {} with this signature",
                label.id
            ),
        );
    }
    let proof = store.inclusion_proof(index, head.tree_size).await?;
    match verify_inclusion(entry, &proof, &head) {
        Ok(()) => out.included = Some(true),
        Err(e) => return fail(out, e.to_string()),
    }
    Ok(out)
}
