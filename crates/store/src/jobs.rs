//! The job queue, stored in the database. Workers claim a job with a lease
//! (`locked_by`, `locked_until`) and renew it while they work; PostgreSQL claims with
//! `FOR UPDATE SKIP LOCKED`, so many workers on many machines share one queue, and
//! SQLite's single writer makes the same statement safe in-process.
//!
//! A job's result is written in the same transaction that marks it succeeded, fenced by
//! the lease: a worker whose lease was taken over cannot commit, so each job's effect
//! happens exactly once. A job whose worker died is claimed again when its lease runs
//! out; after `max_attempts` attempts it is marked failed with its last error.

use crate::{Backend, OrgKind, Page, PageRequest, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use sqlx::{Any, Transaction};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Compute a model version's footprint.
    Footprint,
    /// Import an uploaded package as a new background database version.
    Import,
    /// Tell a PACT partner that its request was fulfilled or rejected.
    PactCallback,
    /// Fetch footprints from a PACT partner.
    PactFetch,
    /// Send a footprint request to a PACT partner.
    PactSend,
    /// Recompute a footprint under certification with the exact databases it used, and
    /// record the fingerprint the recomputation gives on the application.
    CertificationVerification,
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Footprint => "footprint",
            JobKind::Import => "import",
            JobKind::PactCallback => "pact_callback",
            JobKind::PactFetch => "pact_fetch",
            JobKind::PactSend => "pact_send",
            JobKind::CertificationVerification => "certification_verification",
        }
    }

    /// Attempts before a job is given up. Calls to PACT partners keep trying for about
    /// three days (the spec allows a partner that long to be unreachable).
    pub fn max_attempts(self) -> i64 {
        match self {
            JobKind::Footprint | JobKind::Import | JobKind::CertificationVerification => 3,
            JobKind::PactCallback | JobKind::PactFetch | JobKind::PactSend => 20,
        }
    }

    /// How long to wait before attempt `failed_attempts + 1`. Local work retries soon;
    /// calls to partners back off exponentially: 30 s doubling to a 6 h ceiling, so the
    /// 19 waits between 20 attempts add up to about 62.5 hours.
    pub fn retry_delay_ms(self, failed_attempts: i64) -> i64 {
        match self {
            JobKind::Footprint | JobKind::Import | JobKind::CertificationVerification => {
                1000 * failed_attempts
            }
            JobKind::PactCallback | JobKind::PactFetch | JobKind::PactSend => {
                let doublings = (failed_attempts - 1).clamp(0, 20) as u32;
                (30_000i64 << doublings).min(6 * 3_600_000)
            }
        }
    }

    pub fn parse(s: &str) -> Result<JobKind, StoreError> {
        match s {
            "footprint" => Ok(JobKind::Footprint),
            "import" => Ok(JobKind::Import),
            "pact_callback" => Ok(JobKind::PactCallback),
            "pact_fetch" => Ok(JobKind::PactFetch),
            "pact_send" => Ok(JobKind::PactSend),
            "certification_verification" => Ok(JobKind::CertificationVerification),
            _ => Err(StoreError::invalid(
                "kind",
                format!("'{s}' is not a job kind"),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Result<JobStatus, StoreError> {
        match s {
            "queued" => Ok(JobStatus::Queued),
            "running" => Ok(JobStatus::Running),
            "succeeded" => Ok(JobStatus::Succeeded),
            "failed" => Ok(JobStatus::Failed),
            _ => Err(StoreError::invalid(
                "status",
                format!("'{s}' is not a job status (queued, running, succeeded, failed)"),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    pub org_id: Option<i64>,
    pub status: JobStatus,
    pub attempts: i64,
    pub max_attempts: i64,
    /// 0–1.
    pub progress: f64,
    pub last_error: Option<String>,
    /// What the job produced (JSON), once it succeeded.
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A job a worker holds the lease of.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: JobKind,
    pub org_id: Option<i64>,
    pub payload: serde_json::Value,
    /// The uploaded file the job reads, if any.
    pub input: Option<Vec<u8>>,
    /// Which attempt this is (1 for the first); part of the fence.
    pub attempt: i64,
    pub worker: String,
}

/// id, kind, org, payload, attempt, input.
type ClaimRow = (i64, String, Option<i64>, String, i64, Option<Vec<u8>>);
type JobRow = (
    i64,
    String,
    Option<i64>,
    String,
    i64,
    i64,
    f64,
    Option<String>,
    Option<String>,
    i64,
    i64,
);
const JOB_COLS: &str = "id, kind, org_id, status, attempts, max_attempts, progress, last_error, result, created_at, updated_at";

fn job_from(r: JobRow) -> Result<Job, StoreError> {
    Ok(Job {
        id: r.0,
        kind: JobKind::parse(&r.1)?,
        org_id: r.2,
        status: JobStatus::parse(&r.3)?,
        attempts: r.4,
        max_attempts: r.5,
        progress: r.6,
        last_error: r.7,
        result: r.8.and_then(|t| serde_json::from_str(&t).ok()),
        created_at: r.9,
        updated_at: r.10,
    })
}

fn lease_lost(job: &ClaimedJob) -> StoreError {
    StoreError::Stale(format!(
        "job {} is no longer held by {}",
        job.id, job.worker
    ))
}

/// How long a worker may stay silent before its job is given to another, by default.
pub const LEASE_MS: i64 = 30_000;

/// Inserts a queued job inside a caller's transaction (so the job exists exactly when
/// the change that needs it commits), with its kind's attempt limit.
pub(crate) async fn insert_job_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: JobKind,
    org_id: Option<i64>,
    requested_by_org: Option<i64>,
    payload: &serde_json::Value,
    input: Option<Vec<u8>>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO jobs (kind, org_id, payload, input, status, max_attempts, run_after, created_at, updated_at, requested_by_org)
         VALUES ($1, $2, $3, $4, 'queued', $5, $6, $6, $6, $7) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(org_id)
    .bind(payload.to_string())
    .bind(input)
    .bind(kind.max_attempts())
    .bind(now_ms())
    .bind(requested_by_org)
    .fetch_one(&mut **tx)
    .await?)
}

impl Store {
    /// Queues a job for an organisation (or the platform when `org_id` is `None`).
    pub async fn enqueue_job(
        &self,
        viewer: &Viewer,
        kind: JobKind,
        org_id: Option<i64>,
        payload: &serde_json::Value,
        input: Option<Vec<u8>>,
    ) -> Result<Job, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id = insert_job_in(&mut tx, kind, org_id, viewer.org_id(), payload, input).await?;
        crate::audit::record(
            &mut tx,
            viewer,
            "job.enqueue",
            "job",
            id,
            serde_json::json!({"kind": kind}),
        )
        .await?;
        tx.commit().await?;
        self.job_by_id(id).await
    }

    pub(crate) async fn job_by_id(&self, id: i64) -> Result<Job, StoreError> {
        let row: Option<JobRow> = sqlx::query_as(sql!("SELECT {JOB_COLS} FROM jobs WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        job_from(row.ok_or_else(|| StoreError::not_found("job", id))?)
    }

    /// A job, for its organisation, the organisation that asked for it (a certification
    /// body recomputing a granted footprint), the registry or the system.
    pub async fn get_job(&self, viewer: &Viewer, id: i64) -> Result<Job, StoreError> {
        viewer.require(crate::Scope::Read)?;
        let job = self.job_by_id(id).await?;
        let requester: Option<i64> =
            sqlx::query_scalar("SELECT requested_by_org FROM jobs WHERE id = $1")
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let visible = match viewer {
            Viewer::System => true,
            Viewer::Member {
                org_kind: OrgKind::Registry,
                ..
            } => true,
            v => v.org_id().is_some() && (v.org_id() == job.org_id || v.org_id() == requester),
        };
        if !visible {
            return Err(StoreError::not_found("job", id));
        }
        Ok(job)
    }

    /// Jobs the viewer may see, newest first.
    pub async fn list_jobs(
        &self,
        viewer: &Viewer,
        status: Option<JobStatus>,
        page: PageRequest,
    ) -> Result<Page<Job>, StoreError> {
        viewer.require(crate::Scope::Read)?;
        let only = viewer.tenant_filter();
        let status = status.map(|s| s.as_str());
        let where_sql = "WHERE ($1 IS NULL OR org_id = $1 OR requested_by_org = $1) AND ($2 IS NULL OR status = $2)";
        let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM jobs {where_sql}"))
            .bind(only)
            .bind(status)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<JobRow> = sqlx::query_as(sql!(
            "SELECT {JOB_COLS} FROM jobs {where_sql} ORDER BY id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(only)
        .bind(status)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows.into_iter().map(job_from).collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }

    /// Claims the oldest runnable job for `worker`: a queued one, or a running one whose
    /// worker stopped renewing its lease. Jobs out of attempts are failed first.
    pub async fn claim_job(
        &self,
        worker: &str,
        lease_ms: i64,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        let now = now_ms();
        sqlx::query(
            "UPDATE jobs SET status = 'failed', updated_at = $1, locked_by = NULL,
                 last_error = COALESCE(last_error || '; ', '') || 'its worker stopped during attempt ' || attempts
             WHERE status = 'running' AND locked_until < $1 AND attempts >= max_attempts",
        )
        .bind(now)
        .execute(&self.pool)
        .await?;
        let lock = match self.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let row: Option<ClaimRow> = sqlx::query_as(sql!(
            "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, updated_at = $3
             WHERE id = (SELECT id FROM jobs
                         WHERE (status = 'queued' AND run_after <= $3)
                            OR (status = 'running' AND locked_until < $3 AND attempts < max_attempts)
                         ORDER BY id LIMIT 1 {lock})
             RETURNING id, kind, org_id, payload, attempts, input"
        ))
        .bind(worker)
        .bind(now + lease_ms)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, kind, org_id, payload, attempt, input)) = row else {
            return Ok(None);
        };
        Ok(Some(ClaimedJob {
            id,
            kind: JobKind::parse(&kind)?,
            org_id,
            payload: serde_json::from_str(&payload)
                .map_err(|e| StoreError::invalid("payload", e.to_string()))?,
            input,
            attempt,
            worker: worker.to_string(),
        }))
    }

    /// Renews a lease and records progress (0–1). Fails with [`StoreError::Stale`] when
    /// the job is no longer this worker's.
    pub async fn heartbeat(
        &self,
        job: &ClaimedJob,
        progress: f64,
        lease_ms: i64,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let n = sqlx::query(
            "UPDATE jobs SET locked_until = $1, progress = $2, updated_at = $3
             WHERE id = $4 AND locked_by = $5 AND attempts = $6 AND status = 'running'",
        )
        .bind(now + lease_ms)
        .bind(progress.clamp(0.0, 1.0))
        .bind(now)
        .bind(job.id)
        .bind(&job.worker)
        .bind(job.attempt)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(lease_lost(job));
        }
        Ok(())
    }

    /// Marks a job succeeded with its result, inside the caller's transaction; fails
    /// (and so rolls the transaction back) when the lease was lost.
    pub(crate) async fn finish_job_in(
        tx: &mut Transaction<'_, Any>,
        job: &ClaimedJob,
        result: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let n = sqlx::query(
            "UPDATE jobs SET status = 'succeeded', progress = 1, result = $1, locked_by = NULL, locked_until = NULL, updated_at = $2
             WHERE id = $3 AND locked_by = $4 AND attempts = $5 AND status = 'running'",
        )
        .bind(result.to_string())
        .bind(now_ms())
        .bind(job.id)
        .bind(&job.worker)
        .bind(job.attempt)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(lease_lost(job));
        }
        Ok(())
    }

    /// Marks a job succeeded with a result.
    pub async fn complete_job(
        &self,
        job: &ClaimedJob,
        result: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        Store::finish_job_in(&mut tx, job, result).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed attempt: retried later while attempts remain, else failed for good.
    pub async fn fail_job(&self, job: &ClaimedJob, error: &str) -> Result<JobStatus, StoreError> {
        let now = now_ms();
        let row: Option<(String,)> = sqlx::query_as(
            "UPDATE jobs SET
                 status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                 run_after = $1 + $6, last_error = $2, locked_by = NULL, locked_until = NULL, updated_at = $1
             WHERE id = $3 AND locked_by = $4 AND attempts = $5 AND status = 'running'
             RETURNING status",
        )
        .bind(now)
        .bind(error)
        .bind(job.id)
        .bind(&job.worker)
        .bind(job.attempt)
        .bind(job.kind.retry_delay_ms(job.attempt))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some((s,)) => JobStatus::parse(&s),
            None => Err(lease_lost(job)),
        }
    }

    /// Counts of jobs by status (for metrics).
    pub async fn job_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status")
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::JobKind;

    #[test]
    fn partner_calls_keep_trying_for_under_three_days() {
        // By hand: waits 30·2^(n−1) s for n = 1..10 sum to 30 × 1023 = 30,690 s; the
        // 9 waits n = 11..19 are capped at 21,600 s: 194,400 s. Total 225,090 s.
        let k = JobKind::PactCallback;
        let total: i64 = (1..k.max_attempts()).map(|n| k.retry_delay_ms(n)).sum();
        assert_eq!(total, 225_090_000);
        assert!(total < 72 * 3_600_000);
        assert_eq!(JobKind::Footprint.retry_delay_ms(2), 2000);
    }
}
