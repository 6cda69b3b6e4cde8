//! Certification applications and certificates.
//!
//! Each is stored as the trust crate's serialised record (`Application`, `Certificate`)
//! plus indexed columns. A write loads the record, runs the state machine
//! (`Application::act`, `Certificate::act`) as the viewer's [`Actor`](zuji_trust::certification::Actor),
//! and writes it back in one transaction whose `UPDATE` checks the `revision` it read, so
//! a concurrent change makes it fail with [`StoreError::Stale`] instead of being lost. A
//! refused action leaves the row as it was.
//!
//! Visibility: an application is seen by the applying enterprise, the certification body
//! named in it and the registry (never the public); a certificate's whole record likewise,
//! while everyone (the public included) sees every certificate's status, scope and dates.
//!
//! Ids are minted by the store: `APP-000001`, `CERT-000001`, … Store ids inside the
//! records (product, model version, organisations) are the rows' ids in decimal.

use super::log::append;
use super::{
    actor_of, certification_error, ms_to_seconds, next_counter, now_seconds, parse_id,
    seconds_to_ms, stored_json, to_json,
};
use crate::audit::record;
use crate::{ClaimedJob, OrgKind, Page, PageRequest, Scope, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::{Any, Transaction};
use zuji_trust::certification::{
    Application, ApplicationAction, ApplicationRequest, ApplicationStatus, Certificate,
    CertificateAction, CertificateScope, CertificateStatus, CertificationRules, PcrRef,
    SupportingDocument, Timestamp, approve_recertification,
};
use zuji_trust::keys::{self, SignedStatement, SigningKeyPair};
use zuji_trust::log::EntryKind;

/// A stored application.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredApplication {
    pub id: String,
    pub product_id: i64,
    pub model_version_id: i64,
    pub enterprise_org_id: i64,
    pub certification_body_org_id: i64,
    pub status: ApplicationStatus,
    /// Incremented by every write; a write based on an older revision fails as stale.
    pub revision: i64,
    /// Unix milliseconds, as `updated_at`.
    pub created_at: i64,
    pub updated_at: i64,
    /// The whole record: findings, visits, verification, history (times in Unix seconds).
    pub application: Application,
}

/// A stored certificate as a viewer may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredCertificate {
    pub id: String,
    pub product_id: i64,
    pub model_version_id: i64,
    pub enterprise_org_id: i64,
    pub certification_body_org_id: i64,
    /// The status at the time of reading: the recorded one, or `expired` once the
    /// validity has ended even if nobody recorded the expiry.
    pub status: CertificateStatus,
    /// The status the history records.
    pub recorded_status: CertificateStatus,
    /// Why the certificate is not in force: the reason given for the suspension,
    /// withdrawal or supersession; `None` while valid and for an expiry by date. Public.
    pub status_reason: Option<String>,
    pub scope: CertificateScope,
    /// Unix milliseconds, as `valid_until` (exclusive).
    pub issued_at: i64,
    pub valid_until: i64,
    pub revision: i64,
    /// The application it was issued on: for the parties and the registry only.
    pub application_id: Option<String>,
    /// The whole record (history, surveillance, suspension): for the holder, the issuing
    /// body and the registry; `None` for everyone else.
    pub certificate: Option<Certificate>,
    /// The certificate as issued, signed by the certification body's key
    /// ([`certificate_statement`]); public. `None` only for certificates issued before
    /// certificates were signed.
    pub signed: Option<SignedStatement>,
}

/// What an action on an application produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationOutcome {
    pub application: StoredApplication,
    /// The certificate an approval issued.
    pub certificate: Option<StoredCertificate>,
    /// The index of the `certificate_issued` log entry of that certificate.
    pub log_index: Option<u64>,
}

/// What an action on a certificate produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertificateOutcome {
    pub certificate: StoredCertificate,
    /// The index of the log entry a suspension, reinstatement, withdrawal or expiry
    /// appended (surveillance is not logged).
    pub log_index: Option<u64>,
}

/// What an enterprise sends to apply for certification (see
/// [`Store::apply_for_certification`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    /// A footprint computed for one of the caller's products; the store takes the
    /// product, model version and fingerprint from it.
    pub footprint_id: i64,
    /// The certification body applied to (an organisation of kind `certifier`).
    pub certification_body_org_id: i64,
    /// The product category rule, e.g. `zuji:pcr:battery-pack:draft`; the store runs its
    /// conformance check on the stored result and refuses the application while a
    /// mandatory item is missed.
    pub pcr_id: String,
    /// The PCR version; the latest stored when absent.
    #[serde(default)]
    pub pcr_version: Option<String>,
    /// Supporting documents: `{"name", "sha256"}` (64 hex digits of the content's
    /// SHA-256; a later document with the same name replaces it).
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub documents: Vec<SupportingDocument>,
    /// For a re-certification: the certificate the new one will supersede.
    #[serde(default)]
    pub previous_certificate_id: Option<String>,
}

/// Filters for [`Store::list_applications`].
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub product_id: Option<i64>,
    pub status: Option<ApplicationStatus>,
}

/// Filters for [`Store::list_certificates`].
#[derive(Debug, Clone, Default)]
pub struct CertificateFilter {
    pub product_id: Option<i64>,
    pub holder_org_id: Option<i64>,
    /// Matches the recorded status.
    pub status: Option<CertificateStatus>,
}

/// id, product, model version, enterprise, body, revision, JSON, created, updated.
pub(super) type AppRow = (String, i64, i64, i64, i64, i64, String, i64, i64);
const APP_COLS: &str = "id, product_id, model_version_id, enterprise_org_id, body_org_id, revision, application_json, created_at, updated_at";

/// id, product, model version, enterprise, body, revision, JSON, signed JSON.
type CertRow = (String, i64, i64, i64, i64, i64, String, Option<String>);
const CERT_COLS: &str = "id, product_id, model_version_id, enterprise_org_id, body_org_id, revision, certificate_json, signed_json";

pub(super) fn application_from(row: AppRow) -> Result<StoredApplication, StoreError> {
    let (id, product_id, model_version_id, enterprise, body, revision, json, created, updated) =
        row;
    let application: Application =
        stored_json(&json, &format!("cert_applications[{id}].application_json"))?;
    application
        .check_integrity()
        .map_err(|e| StoreError::invalid(&format!("cert_applications[{id}]"), e.to_string()))?;
    Ok(StoredApplication {
        status: application.status(),
        id,
        product_id,
        model_version_id,
        enterprise_org_id: enterprise,
        certification_body_org_id: body,
        revision,
        created_at: created,
        updated_at: updated,
        application,
    })
}

/// A stored certificate row with its record (before the viewer's cut).
struct CertRecord {
    row: CertRow,
    certificate: Certificate,
    signed: Option<SignedStatement>,
}

fn certificate_record(row: CertRow) -> Result<CertRecord, StoreError> {
    let certificate: Certificate =
        stored_json(&row.6, &format!("certificates[{}].certificate_json", row.0))?;
    certificate
        .check_integrity()
        .map_err(|e| StoreError::invalid(&format!("certificates[{}]", row.0), e.to_string()))?;
    let signed = match &row.7 {
        Some(text) => Some(stored_json(
            text,
            &format!("certificates[{}].signed_json", row.0),
        )?),
        None => None,
    };
    Ok(CertRecord {
        row,
        certificate,
        signed,
    })
}

impl CertRecord {
    /// The certificate as `viewer` may see it at `now` (Unix seconds).
    fn view(self, viewer: &Viewer, now: i64) -> StoredCertificate {
        let (id, product_id, model_version_id, enterprise, body, revision, _, _) = self.row;
        let full = sees_record(viewer, enterprise, body);
        let c = self.certificate;
        let status = c.status_at(Timestamp(now));
        // Why it is not in force: the reason of the change that put it in its recorded
        // status (an expiry by date alone has none). Public, as the log entry is.
        let status_reason = match status {
            CertificateStatus::Valid => None,
            _ if status != c.recorded_status() => None,
            _ => c
                .history()
                .last()
                .map(|e| e.reason.clone())
                .filter(|r| !r.trim().is_empty()),
        };
        StoredCertificate {
            status,
            status_reason,
            recorded_status: c.recorded_status(),
            scope: c.scope().clone(),
            issued_at: seconds_to_ms(c.issued_at().unix_seconds()),
            valid_until: seconds_to_ms(c.valid_until().unix_seconds()),
            application_id: full.then(|| c.application_id().to_string()),
            certificate: full.then_some(c),
            signed: self.signed,
            id,
            product_id,
            model_version_id,
            enterprise_org_id: enterprise,
            certification_body_org_id: body,
            revision,
        }
    }
}

/// Whether `viewer` sees the whole record of an application or certificate between
/// `enterprise` and `body`: the two parties and the registry (with the read scope), and
/// the system.
fn sees_record(viewer: &Viewer, enterprise: i64, body: i64) -> bool {
    match viewer {
        Viewer::System => true,
        Viewer::Anonymous => false,
        Viewer::Member {
            org_id, org_kind, ..
        } => {
            viewer.has(Scope::Read)
                && (*org_kind == OrgKind::Registry || *org_id == enterprise || *org_id == body)
        }
    }
}

/// For lists of applications: `(sees all, the viewer's organisation)`. The public may not
/// list applications at all.
fn application_scope(viewer: &Viewer) -> Result<(i64, i64), StoreError> {
    match viewer {
        Viewer::System => Ok((1, -1)),
        Viewer::Anonymous => Err(StoreError::Unauthenticated),
        Viewer::Member {
            org_id, org_kind, ..
        } => {
            viewer.require(Scope::Read)?;
            Ok(((*org_kind == OrgKind::Registry) as i64, *org_id))
        }
    }
}

/// The body of a certificate's log entry: what the certificate is and the last change,
/// by which organisation (users are not named in the public log).
fn certificate_log_body(c: &Certificate) -> Value {
    let last = c.history().last();
    json!({
        "certificate_id": c.id(),
        "holder_org_id": c.holder_org_id(),
        "certification_body_org_id": c.certification_body_org_id(),
        "scope": c.scope(),
        "issued_at": c.issued_at(),
        "valid_until": c.valid_until(),
        "status": c.recorded_status(),
        "supersedes": c.supersedes(),
        "action": last.map(|e| e.action.clone()),
        "reason": last.map(|e| e.reason.clone()),
        "at": last.map(|e| e.at),
        "by": last.map(|e| json!({"org_id": e.actor.org_id, "org_kind": e.actor.org_kind})),
    })
}

async fn fetch_certificate<'c, E>(executor: E, id: &str) -> Result<CertRecord, StoreError>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    let row: Option<CertRow> =
        sqlx::query_as(sql!("SELECT {CERT_COLS} FROM certificates WHERE id = $1"))
            .bind(id)
            .fetch_optional(executor)
            .await?;
    certificate_record(row.ok_or_else(|| StoreError::not_found("certificate", id))?)
}

/// What a certificate's signature covers: the certificate as issued. Later changes of
/// status are not re-signed; they are entries of the transparency log, whose tree heads
/// the registry signs.
pub fn certificate_statement(c: &Certificate) -> Value {
    json!({
        "type": "zuji.certificate.v1",
        "certificate_id": c.id(),
        "holder_org_id": c.holder_org_id(),
        "certification_body_org_id": c.certification_body_org_id(),
        "scope": c.scope(),
        "issued_at": c.issued_at(),
        "valid_until": c.valid_until(),
        "supersedes": c.supersedes(),
    })
}

fn sign_certificate(key: &SigningKeyPair, c: &Certificate) -> Result<SignedStatement, StoreError> {
    keys::sign_serializable(key, &certificate_statement(c), c.issued_at().unix_seconds())
        .map_err(|e| StoreError::invalid("certificate signature", e.to_string()))
}

/// A stored certificate's record with the store ids it names, for the store's own
/// decisions (labels, rankings); no viewer's cut.
pub(crate) struct CertificateView {
    pub certificate: Certificate,
    pub product_id: i64,
    pub model_version_id: i64,
    pub body_org_id: i64,
}

pub(crate) async fn certificate_view(
    store: &Store,
    id: &str,
) -> Result<CertificateView, StoreError> {
    let r = fetch_certificate(&store.pool, id).await?;
    Ok(CertificateView {
        product_id: r.row.1,
        model_version_id: r.row.2,
        body_org_id: r.row.4,
        certificate: r.certificate,
    })
}

/// Inserts a newly issued certificate and appends its `certificate_issued` log entry.
async fn insert_certificate(
    tx: &mut Transaction<'_, Any>,
    cert: &Certificate,
    signed: &SignedStatement,
    seq: i64,
    app: &StoredApplication,
    model_version_id: i64,
) -> Result<u64, StoreError> {
    let now = now_ms();
    sqlx::query(
        "INSERT INTO certificates (id, seq, application_id, product_id, model_version_id, enterprise_org_id, body_org_id, status, issued_at, valid_until, revision, certificate_json, created_at, updated_at, signed_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12, $13)",
    )
    .bind(cert.id())
    .bind(seq)
    .bind(&app.id)
    .bind(app.product_id)
    .bind(model_version_id)
    .bind(app.enterprise_org_id)
    .bind(app.certification_body_org_id)
    .bind(cert.recorded_status().as_str())
    .bind(seconds_to_ms(cert.issued_at().unix_seconds()))
    .bind(seconds_to_ms(cert.valid_until().unix_seconds()))
    .bind(to_json(cert, "certificate")?)
    .bind(now)
    .bind(to_json(signed, "signed certificate")?)
    .execute(&mut **tx)
    .await
    .map_err(|e| StoreError::conflict_or(e, "certificate", cert.id()))?;
    let entry = append(
        tx,
        EntryKind::CertificateIssued,
        cert.id(),
        cert.issued_at().unix_seconds(),
        certificate_log_body(cert),
    )
    .await?;
    Ok(entry.index)
}

/// Writes a changed certificate back if nobody changed it since `revision`.
async fn update_certificate(
    tx: &mut Transaction<'_, Any>,
    cert: &Certificate,
    revision: i64,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE certificates SET status = $1, certificate_json = $2, revision = revision + 1, updated_at = $3
         WHERE id = $4 AND revision = $5",
    )
    .bind(cert.recorded_status().as_str())
    .bind(to_json(cert, "certificate")?)
    .bind(now_ms())
    .bind(cert.id())
    .bind(revision)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Stale(format!(
            "certificate {} was changed by someone else since it was read (revision {revision}); read it again and retry",
            cert.id()
        )));
    }
    Ok(())
}

impl Store {
    /// An enterprise applies for certification of one of its products: an editor or
    /// administrator (write scope) of the owning enterprise. The application names a
    /// stored footprint; the store takes the product, the model version and the
    /// fingerprint from it and runs the PCR conformance check itself, so neither comes
    /// from the client. The certification body must be an organisation of kind
    /// certifier and the PCR must be stored. The id (`APP-…`) is minted here; the rules
    /// are the trust crate's defaults. Refused, naming every missed item, when the check
    /// reports a mandatory requirement missed.
    pub async fn apply_for_certification(
        &self,
        viewer: &Viewer,
        input: ApplicationInput,
    ) -> Result<StoredApplication, StoreError> {
        viewer.require(Scope::Write)?;
        viewer.require_kind(OrgKind::Enterprise)?;
        let footprint = self.get_footprint(viewer, input.footprint_id).await?;
        if footprint.summary_only {
            return Err(StoreError::Forbidden(format!(
                "footprint {} belongs to another organisation; only its owner applies for its certification",
                input.footprint_id
            )));
        }
        let pcr = self
            .get_pcr(&input.pcr_id, input.pcr_version.as_deref())
            .await
            .map_err(|_| {
                StoreError::invalid(
                    "pcr_id",
                    format!(
                        "no PCR {}{} is stored",
                        input.pcr_id,
                        input
                            .pcr_version
                            .as_deref()
                            .map(|v| format!(" version {v}"))
                            .unwrap_or_default()
                    ),
                )
            })?
            .pcr;
        let report = self.conformance_of(&footprint, &pcr).await?;
        let request = ApplicationRequest {
            product_id: footprint.product_id.to_string(),
            model_version_id: footprint.model_version_id.to_string(),
            footprint_fingerprint: footprint.fingerprint.clone(),
            pcr: PcrRef {
                id: pcr.id.clone(),
                version: pcr.version.clone(),
            },
            documents: input.documents,
            certification_body_org_id: input.certification_body_org_id.to_string(),
            previous_certificate_id: input.previous_certificate_id,
            pcr_missed_mandatory: report
                .blocking()
                .iter()
                .map(|i| format!("{}: {}", i.key, i.detail))
                .collect(),
        };
        let org_id = viewer.org_id().ok_or_else(|| {
            StoreError::Forbidden("only an enterprise applies for certification".into())
        })?;
        let product_id = parse_id("product_id", &request.product_id)?;
        let product = self.get_product(viewer, product_id).await?;
        if product.org_id != org_id {
            return Err(StoreError::Forbidden(format!(
                "product {product_id} belongs to another organisation; only its owner applies for its certification"
            )));
        }
        let model_version_id = parse_id("model_version_id", &request.model_version_id)?;
        self.check_model_version(product_id, model_version_id)
            .await?;
        let body_id = parse_id(
            "certification_body_org_id",
            &request.certification_body_org_id,
        )?;
        let body = self.org_by_id(body_id).await.map_err(|_| {
            StoreError::invalid(
                "certification_body_org_id",
                format!("organisation {body_id} does not exist"),
            )
        })?;
        if body.kind != OrgKind::Certifier {
            return Err(StoreError::invalid(
                "certification_body_org_id",
                format!(
                    "organisation {body_id} ({}) is a {}, not a certification body",
                    body.name,
                    body.kind.as_str()
                ),
            ));
        }
        if let Some(previous) = &request.previous_certificate_id {
            let prev = fetch_certificate(&self.pool, previous).await.map_err(|_| {
                StoreError::invalid(
                    "previous_certificate_id",
                    format!("no certificate {previous} is stored"),
                )
            })?;
            if prev.row.1 != product_id {
                return Err(StoreError::invalid(
                    "previous_certificate_id",
                    format!(
                        "certificate {previous} certifies product {}, not {product_id}",
                        prev.row.1
                    ),
                ));
            }
        }
        let actor = actor_of(viewer)?;
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let seq = next_counter(&mut tx, "application").await?;
        let id = format!("APP-{seq:06}");
        let application = Application::apply(
            id.clone(),
            request,
            CertificationRules::default(),
            &actor,
            Timestamp(ms_to_seconds(now)),
        )
        .map_err(certification_error)?;
        sqlx::query(
            "INSERT INTO cert_applications (id, seq, product_id, model_version_id, enterprise_org_id, body_org_id, status, revision, application_json, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9)",
        )
        .bind(&id)
        .bind(seq)
        .bind(product_id)
        .bind(model_version_id)
        .bind(org_id)
        .bind(body_id)
        .bind(application.status().as_str())
        .bind(to_json(&application, "application")?)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::conflict_or(e, "application", &id))?;
        record(
            &mut tx,
            viewer,
            "certification.apply",
            "certification_application",
            &id,
            json!({
                "product_id": product_id,
                "model_version_id": model_version_id,
                "certification_body_org_id": body_id,
                "pcr": application.pcr(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(StoredApplication {
            status: application.status(),
            id,
            product_id,
            model_version_id,
            enterprise_org_id: org_id,
            certification_body_org_id: body_id,
            revision: 1,
            created_at: now,
            updated_at: now,
            application,
        })
    }

    /// Takes `action` on an application as the viewer (see `docs/certification.md` for
    /// who may do what from which state). An approval issues the certificate: the store
    /// mints its id (`CERT-…`, replacing any id given in the action), inserts it and
    /// appends its `certificate_issued` log entry in the same transaction; approving a
    /// re-certification also supersedes the previous certificate. Organisations other
    /// than the two parties and the registry get `NotFound`.
    ///
    /// The figures a decision rests on are the store's own: the footprint is verified only
    /// by a recomputation job ([`Store::request_footprint_verification`]), so a
    /// `verify_footprint` action from a caller is refused; an approval's PCR check is run
    /// here on the stored footprint, whatever list the caller sent; and a response to
    /// corrections naming a new model version takes that version's newest computed
    /// footprint. The certificate an approval issues is signed with the certification
    /// body's key.
    pub async fn act_on_application(
        &self,
        viewer: &Viewer,
        id: &str,
        action: ApplicationAction,
    ) -> Result<ApplicationOutcome, StoreError> {
        if let ApplicationAction::VerifyFootprint { .. } = action {
            return Err(StoreError::invalid(
                "action",
                format!(
                    "verify_footprint is recorded by the platform's recomputation of the footprint, not sent: request it with POST /api/v1/certification/applications/{id}/verification"
                ),
            ));
        }
        self.act_on_application_in(viewer, id, action, None).await
    }

    /// [`Store::act_on_application`] for the store's own callers, with the job (a
    /// verification) whose completion commits with the action.
    pub(crate) async fn act_on_application_in(
        &self,
        viewer: &Viewer,
        id: &str,
        action: ApplicationAction,
        job: Option<&ClaimedJob>,
    ) -> Result<ApplicationOutcome, StoreError> {
        let actor = actor_of(viewer)?;
        let stored = self.get_application(viewer, id).await?;
        let action = match action {
            ApplicationAction::RespondToCorrections {
                model_version_id: Some(mv),
                footprint_fingerprint,
                documents,
                note,
            } => {
                let mv_id = parse_id("model_version_id", &mv)?;
                self.check_model_version(stored.product_id, mv_id).await?;
                let footprint = match &footprint_fingerprint {
                    Some(f) => self.footprint_with_fingerprint(mv_id, f).await?,
                    None => self.latest_footprint_of_version(mv_id).await?,
                };
                ApplicationAction::RespondToCorrections {
                    model_version_id: Some(mv),
                    footprint_fingerprint: Some(footprint.fingerprint),
                    documents,
                    note,
                }
            }
            action => action,
        };
        // What an approval needs, read before the transaction: the PCR check on the stored
        // footprint, and the body's signing key (created on its first certificate).
        let approval = if let ApplicationAction::Approve { .. } = &action {
            let app = &stored.application;
            let mv = parse_id("model_version_id", app.model_version_id())?;
            let footprint = self
                .footprint_with_fingerprint(mv, app.footprint_fingerprint())
                .await?;
            let pcr = self
                .get_pcr(&app.pcr().id, Some(&app.pcr().version))
                .await?
                .pcr;
            let report = self.conformance_of(&footprint, &pcr).await?;
            let missed: Vec<String> = report
                .blocking()
                .iter()
                .map(|i| format!("{}: {}", i.key, i.detail))
                .collect();
            let key = self
                .signing_pair_of_org(stored.certification_body_org_id)
                .await?;
            Some((missed, key))
        } else {
            None
        };
        let at = Timestamp(now_seconds());
        let mut app = stored.application.clone();
        let code = action.code();
        let mut tx = self.pool.begin().await?;
        let (issued, superseded) = match action {
            ApplicationAction::Approve { .. } => {
                let (pcr_missed_mandatory, _) = approval.as_ref().ok_or_else(|| {
                    StoreError::invalid("action", "the approval's checks were not prepared")
                })?;
                let pcr_missed_mandatory = pcr_missed_mandatory.clone();
                let seq = next_counter(&mut tx, "certificate").await?;
                let certificate_id = format!("CERT-{seq:06}");
                if let Some(previous_id) = app.previous_certificate_id().map(str::to_string) {
                    let previous = fetch_certificate(&mut *tx, &previous_id).await?;
                    let revision = previous.row.5;
                    let before = previous.certificate;
                    let mut previous = before.clone();
                    let cert = approve_recertification(
                        &mut app,
                        &mut previous,
                        certificate_id,
                        pcr_missed_mandatory,
                        &actor,
                        at,
                    )
                    .map_err(certification_error)?;
                    // A previous certificate no longer in force is left as it was.
                    let superseded = (previous != before).then_some((previous, revision));
                    (Some((cert, seq)), superseded)
                } else {
                    let action = ApplicationAction::Approve {
                        certificate_id,
                        pcr_missed_mandatory,
                    };
                    let cert = app.act(action, &actor, at).map_err(certification_error)?;
                    (cert.map(|c| (c, seq)), None)
                }
            }
            action => {
                let cert = app.act(action, &actor, at).map_err(certification_error)?;
                // Only an approval issues a certificate.
                if cert.is_some() {
                    return Err(StoreError::invalid(
                        "action",
                        format!("{code} unexpectedly issued a certificate"),
                    ));
                }
                (None, None)
            }
        };
        let model_version_id = parse_id("model_version_id", app.model_version_id())?;
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE cert_applications SET status = $1, model_version_id = $2, application_json = $3, revision = revision + 1, updated_at = $4
             WHERE id = $5 AND revision = $6",
        )
        .bind(app.status().as_str())
        .bind(model_version_id)
        .bind(to_json(&app, "application")?)
        .bind(now)
        .bind(&stored.id)
        .bind(stored.revision)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Stale(format!(
                "application {} was changed by someone else since it was read (revision {}); read it again and retry",
                stored.id, stored.revision
            )));
        }
        let last_reason = app.history().last().map(|e| e.reason.clone());
        record(
            &mut tx,
            viewer,
            &format!("certification.{code}"),
            "certification_application",
            &stored.id,
            json!({"status": app.status(), "reason": last_reason}),
        )
        .await?;
        if let Some((previous, revision)) = &superseded {
            update_certificate(&mut tx, previous, *revision).await?;
            record(
                &mut tx,
                viewer,
                "certificate.supersede",
                "certificate",
                previous.id(),
                json!({"superseded_by": previous.superseded_by()}),
            )
            .await?;
        }
        let stored = StoredApplication {
            status: app.status(),
            model_version_id,
            revision: stored.revision + 1,
            updated_at: now,
            application: app,
            ..stored
        };
        let mut log_index = None;
        let mut certificate = None;
        if let Some((cert, seq)) = issued {
            let key = approval.as_ref().map(|(_, key)| key).ok_or_else(|| {
                StoreError::invalid("action", "only an approval issues a certificate")
            })?;
            let signed = sign_certificate(key, &cert)?;
            let index =
                insert_certificate(&mut tx, &cert, &signed, seq, &stored, model_version_id).await?;
            record(
                &mut tx,
                viewer,
                "certificate.issue",
                "certificate",
                cert.id(),
                json!({"application_id": stored.id, "valid_until": cert.valid_until(), "log_index": index}),
            )
            .await?;
            log_index = Some(index);
            let row: CertRow = (
                cert.id().to_string(),
                stored.product_id,
                model_version_id,
                stored.enterprise_org_id,
                stored.certification_body_org_id,
                1,
                String::new(),
                None,
            );
            certificate = Some(
                CertRecord {
                    row,
                    certificate: cert,
                    signed: Some(signed),
                }
                .view(viewer, at.unix_seconds()),
            );
        }
        if let Some(job) = job {
            Store::finish_job_in(
                &mut tx,
                job,
                &json!({"application_id": stored.id, "status": stored.status, "verification": stored.application.verification()}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(ApplicationOutcome {
            application: stored,
            certificate,
            log_index,
        })
    }

    /// Takes `action` on a certificate as the viewer: surveillance by the issuing body;
    /// suspension, withdrawal and expiry by the body or the registry; reinstatement by the
    /// party that suspended. Suspension, reinstatement, withdrawal and expiry append a log
    /// entry in the same transaction.
    pub async fn act_on_certificate(
        &self,
        viewer: &Viewer,
        id: &str,
        action: CertificateAction,
    ) -> Result<CertificateOutcome, StoreError> {
        let actor = actor_of(viewer)?;
        let record_ = fetch_certificate(&self.pool, id).await?;
        let revision = record_.row.5;
        let mut cert = record_.certificate.clone();
        let kind = match &action {
            CertificateAction::Suspend { .. } => Some(EntryKind::CertificateSuspended),
            CertificateAction::Reinstate { .. } => Some(EntryKind::CertificateReinstated),
            CertificateAction::Withdraw { .. } => Some(EntryKind::CertificateWithdrawn),
            CertificateAction::Expire => Some(EntryKind::CertificateExpired),
            CertificateAction::ScheduleSurveillance { .. }
            | CertificateAction::RecordSurveillance { .. } => None,
        };
        let code = action.code();
        let at = now_seconds();
        cert.act(action, &actor, Timestamp(at))
            .map_err(certification_error)?;
        let mut tx = self.pool.begin().await?;
        update_certificate(&mut tx, &cert, revision).await?;
        let log_index = match kind {
            Some(kind) => Some(
                append(&mut tx, kind, cert.id(), at, certificate_log_body(&cert))
                    .await?
                    .index,
            ),
            None => None,
        };
        let last_reason = cert.history().last().map(|e| e.reason.clone());
        record(
            &mut tx,
            viewer,
            &format!("certificate.{code}"),
            "certificate",
            cert.id(),
            json!({"status": cert.recorded_status(), "reason": last_reason, "log_index": log_index}),
        )
        .await?;
        tx.commit().await?;
        let mut row = record_.row;
        row.5 = revision + 1;
        Ok(CertificateOutcome {
            certificate: CertRecord {
                row,
                certificate: cert,
                signed: record_.signed,
            }
            .view(viewer, at),
            log_index,
        })
    }

    /// One application: the applying enterprise, the certification body named in it and
    /// the registry (read scope), or the system. Anyone else: `NotFound` (the public:
    /// unauthenticated).
    pub async fn get_application(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<StoredApplication, StoreError> {
        let (all, org) = application_scope(viewer)?;
        let row: Option<AppRow> = sqlx::query_as(sql!(
            "SELECT {APP_COLS} FROM cert_applications
             WHERE id = $1 AND ($2 = 1 OR enterprise_org_id = $3 OR body_org_id = $3)"
        ))
        .bind(id)
        .bind(all)
        .bind(org)
        .fetch_optional(&self.pool)
        .await?;
        application_from(row.ok_or_else(|| StoreError::not_found("application", id))?)
    }

    /// The applications a viewer may see (as [`Store::get_application`]), oldest first.
    pub async fn list_applications(
        &self,
        viewer: &Viewer,
        filter: &ApplicationFilter,
        page: PageRequest,
    ) -> Result<Page<StoredApplication>, StoreError> {
        let (all, org) = application_scope(viewer)?;
        let where_sql = "WHERE ($1 = 1 OR enterprise_org_id = $2 OR body_org_id = $2)
             AND ($3 IS NULL OR product_id = $3) AND ($4 IS NULL OR status = $4)";
        let status = filter.status.map(ApplicationStatus::as_str);
        let total: i64 =
            sqlx::query_scalar(sql!("SELECT COUNT(*) FROM cert_applications {where_sql}"))
                .bind(all)
                .bind(org)
                .bind(filter.product_id)
                .bind(status)
                .fetch_one(&self.pool)
                .await?;
        let rows: Vec<AppRow> = sqlx::query_as(sql!(
            "SELECT {APP_COLS} FROM cert_applications {where_sql} ORDER BY seq LIMIT $5 OFFSET $6"
        ))
        .bind(all)
        .bind(org)
        .bind(filter.product_id)
        .bind(status)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(application_from)
            .collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }

    /// One certificate. Everyone sees its status, scope and dates; the holder, the
    /// issuing body and the registry also its whole record.
    pub async fn get_certificate(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<StoredCertificate, StoreError> {
        Ok(fetch_certificate(&self.pool, id)
            .await?
            .view(viewer, now_seconds()))
    }

    /// Certificates, oldest first, each as [`Store::get_certificate`] shows it.
    pub async fn list_certificates(
        &self,
        viewer: &Viewer,
        filter: &CertificateFilter,
        page: PageRequest,
    ) -> Result<Page<StoredCertificate>, StoreError> {
        let where_sql =
            "WHERE ($1 IS NULL OR product_id = $1) AND ($2 IS NULL OR enterprise_org_id = $2)
             AND ($3 IS NULL OR status = $3)";
        let status = filter.status.map(CertificateStatus::as_str);
        let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM certificates {where_sql}"))
            .bind(filter.product_id)
            .bind(filter.holder_org_id)
            .bind(status)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<CertRow> = sqlx::query_as(sql!(
            "SELECT {CERT_COLS} FROM certificates {where_sql} ORDER BY seq LIMIT $4 OFFSET $5"
        ))
        .bind(filter.product_id)
        .bind(filter.holder_org_id)
        .bind(status)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let now = now_seconds();
        let items = rows
            .into_iter()
            .map(|row| certificate_record(row).map(|r| r.view(viewer, now)))
            .collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }

    /// A certificate's status at `at` (Unix milliseconds), from its history: what it was
    /// then, expired once its validity had ended. Public. Refused for an instant before
    /// its issue.
    pub async fn certificate_status_at(
        &self,
        id: &str,
        at: i64,
    ) -> Result<CertificateStatus, StoreError> {
        let cert = fetch_certificate(&self.pool, id).await?.certificate;
        cert.status_as_of(Timestamp(ms_to_seconds(at)))
            .ok_or_else(|| {
                StoreError::invalid(
                    "at",
                    format!(
                        "certificate {id} was issued at {}, after the instant asked about",
                        cert.issued_at()
                    ),
                )
            })
    }

    /// The certification body asks the platform to recompute the application's footprint
    /// with the model version, the database versions and the options it was computed
    /// with: an editor or administrator of the body named in the application, while it
    /// is under review. Returns the queued job; its completion records
    /// `verify_footprint` with the recomputed fingerprint as that body
    /// ([`Store::complete_verification_job`]): a match verifies the footprint, a
    /// difference is recorded as a mismatch that blocks approval.
    pub async fn request_footprint_verification(
        &self,
        viewer: &Viewer,
        application_id: &str,
    ) -> Result<crate::Job, StoreError> {
        let stored = self.get_application(viewer, application_id).await?;
        if viewer.org_id() != Some(stored.certification_body_org_id) {
            return Err(StoreError::Forbidden(format!(
                "only the certification body of application {application_id} verifies its footprint"
            )));
        }
        viewer.require(Scope::Write)?;
        if stored.status != ApplicationStatus::UnderReview {
            return Err(StoreError::invalid(
                "status",
                format!(
                    "application {application_id} is {}; its footprint is verified while it is under review",
                    stored.status.as_str()
                ),
            ));
        }
        let app = &stored.application;
        let mv = parse_id("model_version_id", app.model_version_id())?;
        let footprint = self
            .footprint_with_fingerprint(mv, app.footprint_fingerprint())
            .await?;
        let payload = json!({
            "application_id": stored.id,
            "model_version_id": mv,
            "claimed_fingerprint": app.footprint_fingerprint(),
            "database_version_ids": footprint.database_version_ids,
            "options": footprint.options,
            "body_org_id": stored.certification_body_org_id,
            "user_id": viewer.user_id(),
        });
        self.enqueue_job(
            viewer,
            crate::JobKind::CertificationVerification,
            Some(stored.certification_body_org_id),
            &payload,
            None,
        )
        .await
    }

    /// Records a verification job's recomputed fingerprint on its application, as the
    /// body that asked for it, and marks the job succeeded in the same transaction. When
    /// the application has moved on since the job was queued (a corrected model version,
    /// another fingerprint, a decision), nothing is recorded: the job is finished as
    /// superseded and `None` returned, so a stale recomputation never records a false
    /// mismatch.
    pub async fn complete_verification_job(
        &self,
        job: &ClaimedJob,
        recomputed_fingerprint: &str,
    ) -> Result<Option<ApplicationOutcome>, StoreError> {
        let field = |k: &str| {
            job.payload.get(k).ok_or_else(|| {
                StoreError::invalid(&format!("job {} payload", job.id), format!("lacks '{k}'"))
            })
        };
        let application_id = field("application_id")?
            .as_str()
            .unwrap_or_default()
            .to_string();
        let body_org_id = field("body_org_id")?.as_i64().unwrap_or_default();
        let user_id = job.payload.get("user_id").and_then(|v| v.as_i64());
        let body = Viewer::Member {
            org_id: body_org_id,
            org_kind: OrgKind::Certifier,
            user_id,
            scopes: vec![Scope::Read, Scope::Write],
        };
        let current = self.get_application(&body, &application_id).await?;
        let app = &current.application;
        let same = job.payload.get("model_version_id").and_then(|v| v.as_i64())
            == Some(current.model_version_id)
            && job
                .payload
                .get("claimed_fingerprint")
                .and_then(|v| v.as_str())
                == Some(app.footprint_fingerprint())
            && current.status == ApplicationStatus::UnderReview;
        if !same {
            self.complete_job(
                job,
                &json!({
                    "application_id": application_id,
                    "superseded": "the application changed while the footprint was recomputed; nothing was recorded",
                }),
            )
            .await?;
            return Ok(None);
        }
        self.act_on_application_in(
            &body,
            &application_id,
            ApplicationAction::VerifyFootprint {
                recomputed_fingerprint: recomputed_fingerprint.to_string(),
            },
            Some(job),
        )
        .await
        .map(Some)
    }

    /// `model_version_id` must be a model version of `product_id`.
    async fn check_model_version(
        &self,
        product_id: i64,
        model_version_id: i64,
    ) -> Result<(), StoreError> {
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT product_id FROM model_versions WHERE id = $1")
                .bind(model_version_id)
                .fetch_optional(&self.pool)
                .await?;
        if owner != Some(product_id) {
            return Err(StoreError::invalid(
                "model_version_id",
                format!("{model_version_id} is not a model version of product {product_id}"),
            ));
        }
        Ok(())
    }
}
