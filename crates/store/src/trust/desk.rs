//! The certification desk's reads: the queue of applications made to a certification
//! body and the certificates it issued, a page at a time, with the names the desk shows;
//! one application as the body reviews it; one certificate as its body sees it.
//!
//! Who sees what is one rule ([`desk_scope`]): a certification body its own records, the
//! registry every body's, an enterprise none.

use super::certification::{AppRow, application_from};
use crate::statistics::{ApplicationReview, BodyCertificate, QueueEntry};
use crate::{OrgKind, Page, PageRequest, Scope, Store, StoreError, Viewer};
use zuji_trust::certification::ApplicationStatus;

/// `(sees every body's records, the viewer's organisation)`: a certification body sees
/// its own, the registry all, an enterprise nothing.
fn desk_scope(viewer: &Viewer) -> Result<(i64, i64), StoreError> {
    match viewer {
        Viewer::System => Ok((1, -1)),
        Viewer::Anonymous => Err(StoreError::Unauthenticated),
        Viewer::Member {
            org_id, org_kind, ..
        } => {
            viewer.require(Scope::Read)?;
            match org_kind {
                OrgKind::Registry => Ok((1, *org_id)),
                OrgKind::Certifier => Ok((0, *org_id)),
                OrgKind::Enterprise => Err(StoreError::Forbidden(
                    "the certification desk is for certification bodies and the registry".into(),
                )),
            }
        }
    }
}

/// The queue's order: open applications by stage (submitted, under review, corrections
/// requested), oldest first, so the desk works them in turn; then decided ones, the most
/// recent decision first.
const QUEUE_ORDER: &str = "CASE a.status WHEN 'submitted' THEN 0 WHEN 'under_review' THEN 1
     WHEN 'corrections_requested' THEN 2 ELSE 3 END,
     CASE WHEN a.status IN ('submitted', 'under_review', 'corrections_requested')
          THEN a.seq ELSE -a.updated_at END,
     CASE WHEN a.status IN ('submitted', 'under_review', 'corrections_requested')
          THEN a.seq ELSE -a.seq END";

const QUEUE_COLS: &str = "a.id, a.product_id, a.model_version_id, a.enterprise_org_id, a.body_org_id, a.revision, a.application_json, a.created_at, a.updated_at, p.name, o.name";

/// An application row and its product and enterprise names.
type QueueRow = (
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    i64,
    i64,
    String,
    String,
);

fn queue_entry(row: QueueRow) -> Result<QueueEntry, StoreError> {
    let (id, product, version, enterprise, body, revision, json, created, updated, pname, ename) =
        row;
    let app: AppRow = (
        id, product, version, enterprise, body, revision, json, created, updated,
    );
    Ok(QueueEntry {
        application: application_from(app)?,
        product_name: pname,
        enterprise_name: ename,
    })
}

/// Every application status, to read the `status` column back.
const STATUSES: [ApplicationStatus; 6] = [
    ApplicationStatus::Submitted,
    ApplicationStatus::UnderReview,
    ApplicationStatus::CorrectionsRequested,
    ApplicationStatus::Approved,
    ApplicationStatus::Rejected,
    ApplicationStatus::Withdrawn,
];

impl Store {
    /// One page of the applications made to the viewer's certification body (the
    /// registry: all), in the queue's order: open ones by stage and oldest first, then
    /// decided ones, the most recent decision first.
    pub async fn certification_queue_page(
        &self,
        viewer: &Viewer,
        page: PageRequest,
    ) -> Result<Page<QueueEntry>, StoreError> {
        let (all, org) = desk_scope(viewer)?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cert_applications a WHERE ($1 = 1 OR a.body_org_id = $2)",
        )
        .bind(all)
        .bind(org)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<QueueRow> = sqlx::query_as(sql!(
            "SELECT {QUEUE_COLS} FROM cert_applications a
             JOIN products p ON p.id = a.product_id JOIN organisations o ON o.id = a.enterprise_org_id
             WHERE ($1 = 1 OR a.body_org_id = $2) ORDER BY {QUEUE_ORDER} LIMIT $3 OFFSET $4"
        ))
        .bind(all)
        .bind(org)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(queue_entry)
            .collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }

    /// How many applications of the desk's queue are in each status (statuses with none
    /// left out), so a page of the queue can say how many each group holds in all.
    pub async fn certification_queue_counts(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<(ApplicationStatus, u64)>, StoreError> {
        let (all, org) = desk_scope(viewer)?;
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT a.status, COUNT(*) FROM cert_applications a
             WHERE ($1 = 1 OR a.body_org_id = $2) GROUP BY a.status",
        )
        .bind(all)
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(status, n)| {
                let s = STATUSES
                    .into_iter()
                    .find(|s| s.as_str() == status)
                    .ok_or_else(|| {
                        StoreError::invalid(
                            "cert_applications.status",
                            format!("'{status}' is not an application status"),
                        )
                    })?;
                Ok((s, n.max(0) as u64))
            })
            .collect()
    }

    /// One page of the certificates the viewer's certification body issued (the
    /// registry: all), oldest first, each with its whole record, product and holder.
    pub async fn certificates_of_body_page(
        &self,
        viewer: &Viewer,
        page: PageRequest,
    ) -> Result<Page<BodyCertificate>, StoreError> {
        let (all, org) = desk_scope(viewer)?;
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM certificates c WHERE ($1 = 1 OR c.body_org_id = $2)",
        )
        .bind(all)
        .bind(org)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.id, p.name, o.name FROM certificates c
             JOIN products p ON p.id = c.product_id JOIN organisations o ON o.id = c.enterprise_org_id
             WHERE ($1 = 1 OR c.body_org_id = $2) ORDER BY c.seq LIMIT $3 OFFSET $4",
        )
        .bind(all)
        .bind(org)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = self.with_records(viewer, rows).await?;
        Ok(Page::new(items, total, page))
    }

    /// One certificate as the desk shows it: to the body that issued it (and the
    /// registry) with its whole record and names; `NotFound` for another body.
    pub async fn body_certificate(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<BodyCertificate, StoreError> {
        let (all, org) = desk_scope(viewer)?;
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT p.name, o.name FROM certificates c
             JOIN products p ON p.id = c.product_id JOIN organisations o ON o.id = c.enterprise_org_id
             WHERE c.id = $1 AND ($2 = 1 OR c.body_org_id = $3)",
        )
        .bind(id)
        .bind(all)
        .bind(org)
        .fetch_optional(&self.pool)
        .await?;
        let (product_name, holder_name) =
            row.ok_or_else(|| StoreError::not_found("certificate", id))?;
        Ok(BodyCertificate {
            certificate: self.get_certificate(viewer, id).await?,
            product_name,
            holder_name,
        })
    }

    /// One application as the certification body named in it (or the registry) reviews
    /// it: the record, the footprint applied with and its PCR check as it stands now,
    /// the database versions it used, the newest recomputation asked for, and the
    /// certificate and labels an approval led to. Anyone else: `NotFound` (an
    /// enterprise: forbidden; the public: unauthenticated).
    pub async fn application_review(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<ApplicationReview, StoreError> {
        let (all, org) = desk_scope(viewer)?;
        let row: Option<QueueRow> = sqlx::query_as(sql!(
            "SELECT {QUEUE_COLS} FROM cert_applications a
             JOIN products p ON p.id = a.product_id JOIN organisations o ON o.id = a.enterprise_org_id
             WHERE a.id = $1 AND ($2 = 1 OR a.body_org_id = $3)"
        ))
        .bind(id)
        .bind(all)
        .bind(org)
        .fetch_optional(&self.pool)
        .await?;
        let entry = queue_entry(row.ok_or_else(|| StoreError::not_found("application", id))?)?;
        let stored = entry.application;
        let app = &stored.application;
        let body_name = self.org_by_id(stored.certification_body_org_id).await?.name;
        let footprint = match self
            .footprint_with_fingerprint(stored.model_version_id, app.footprint_fingerprint())
            .await
        {
            Ok(f) => Some(f),
            Err(StoreError::Invalid { .. } | StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        let mut pcr_check = None;
        let mut databases = Vec::new();
        if let Some(f) = &footprint {
            if let Ok(pcr) = self.get_pcr(&app.pcr().id, Some(&app.pcr().version)).await {
                pcr_check = Some(self.conformance_of(f, &pcr.pcr).await?);
            }
            for v in &f.database_version_ids {
                databases.push(self.database_version(*v).await?);
            }
        }
        // The payload names the application as `"application_id":"APP-…"` (compact JSON).
        let pattern = format!("%\"application_id\":\"{}\"%", stored.id);
        let job_id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM jobs WHERE kind = 'certification_verification' AND payload LIKE $1
             ORDER BY id DESC LIMIT 1",
        )
        .bind(pattern)
        .fetch_optional(&self.pool)
        .await?;
        let verification_job = match job_id {
            Some(j) => Some(self.job_by_id(j).await?),
            None => None,
        };
        let (certificate, labels) = match app.certificate_id() {
            Some(cert) => (
                Some(self.get_certificate(viewer, cert).await?),
                self.list_labels(Some(cert), None, None, crate::PageRequest::new(0, 100))
                    .await?
                    .items,
            ),
            None => (None, Vec::new()),
        };
        Ok(ApplicationReview {
            application: stored,
            product_name: entry.product_name,
            enterprise_name: entry.enterprise_name,
            body_name,
            footprint,
            pcr_check,
            databases,
            verification_job,
            certificate,
            labels,
        })
    }

    /// The certificates a certification body issued (the registry: all), oldest first,
    /// each with its whole record, product and holder names.
    pub async fn certificates_of_body(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<BodyCertificate>, StoreError> {
        let (all, org) = desk_scope(viewer)?;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.id, p.name, o.name FROM certificates c
             JOIN products p ON p.id = c.product_id JOIN organisations o ON o.id = c.enterprise_org_id
             WHERE ($1 = 1 OR c.body_org_id = $2) ORDER BY c.seq",
        )
        .bind(all)
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        self.with_records(viewer, rows).await
    }

    /// Certificates `(id, product name, holder name)` with their whole records.
    async fn with_records(
        &self,
        viewer: &Viewer,
        rows: Vec<(String, String, String)>,
    ) -> Result<Vec<BodyCertificate>, StoreError> {
        let mut out = Vec::with_capacity(rows.len());
        for (id, product_name, holder_name) in rows {
            out.push(BodyCertificate {
                certificate: self.get_certificate(viewer, &id).await?,
                product_name,
                holder_name,
            });
        }
        Ok(out)
    }
}
