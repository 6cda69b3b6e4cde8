//! Published category benchmarks. The registry computes a benchmark with
//! `zuji_trust::benchmark::compute` (from certified footprints) or `from_policy` and
//! publishes it here; each publication is a new version per PCR and period, never an
//! edit, and is appended to the transparency log.

use super::certification::certificate_view;
use super::log::append;
use super::{now_seconds, stored_json, to_json};
use crate::audit::record;
use crate::{OrgKind, Page, PageRequest, Scope, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use serde_json::json;
use zuji_trust::benchmark::{self, BenchmarkVersion};
use zuji_trust::certification::CertificateStatus;
use zuji_trust::log::EntryKind;

/// A published benchmark and where the log records its publication.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredBenchmark {
    pub benchmark: BenchmarkVersion,
    /// The index of its `benchmark_published` log entry.
    pub log_index: u64,
    pub published_by_org: Option<i64>,
    /// Unix milliseconds.
    pub created_at: i64,
}

type BenchmarkRow = (i64, String, i64, Option<i64>, i64);
const BENCHMARK_COLS: &str = "id, benchmark_json, log_index, published_by_org, created_at";

fn benchmark_from(row: BenchmarkRow) -> Result<StoredBenchmark, StoreError> {
    let (id, json, log_index, published_by_org, created_at) = row;
    Ok(StoredBenchmark {
        benchmark: stored_json(&json, &format!("benchmarks[{id}].benchmark_json"))?,
        log_index: log_index.max(0) as u64,
        published_by_org,
        created_at,
    })
}

/// The log subject naming a benchmark version: `PCR-ID/PERIOD/vN`.
pub(crate) fn benchmark_subject(b: &BenchmarkVersion) -> String {
    format!("{}/{}/v{}", b.pcr_id, b.period, b.version)
}

impl Store {
    /// Publishes a benchmark version: the registry operator only (write scope), or the
    /// system. Its PCR (id and version) must be stored and the benchmark must agree with
    /// it (`BenchmarkVersion::check`); its version must be the next one for its PCR and
    /// period (1 for the first). Appends a `benchmark_published` log entry whose body is
    /// the benchmark, in the same transaction.
    pub async fn publish_benchmark(
        &self,
        viewer: &Viewer,
        benchmark: BenchmarkVersion,
    ) -> Result<StoredBenchmark, StoreError> {
        viewer.require(Scope::Write)?;
        viewer.require_kind(OrgKind::Registry)?;
        let pcr = self
            .get_pcr(&benchmark.pcr_id, Some(&benchmark.pcr_version))
            .await?;
        benchmark
            .check(&pcr.pcr)
            .map_err(|problem| StoreError::invalid("benchmark", problem))?;
        let subject = benchmark_subject(&benchmark);
        let body = serde_json::to_value(&benchmark).map_err(|e| {
            StoreError::invalid(
                "benchmark",
                format!("{subject} cannot be written as JSON: {e}"),
            )
        })?;
        let json = to_json(&benchmark, "benchmark")?;
        let mut tx = self.pool.begin().await?;
        let entry = append(
            &mut tx,
            EntryKind::BenchmarkPublished,
            &subject,
            now_seconds(),
            body,
        )
        .await?;
        let latest: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) FROM benchmarks WHERE pcr_id = $1 AND period = $2",
        )
        .bind(&benchmark.pcr_id)
        .bind(&benchmark.period)
        .fetch_one(&mut *tx)
        .await?;
        if i64::from(benchmark.version) != latest + 1 {
            return Err(StoreError::invalid(
                "version",
                format!(
                    "benchmark {subject}: the next version for {} {} is {}; a correction is a new version, never an edit",
                    benchmark.pcr_id,
                    benchmark.period,
                    latest + 1
                ),
            ));
        }
        let created_at = now_ms();
        sqlx::query(
            "INSERT INTO benchmarks (pcr_id, pcr_version, period, version, benchmark_json, log_index, published_by_org, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&benchmark.pcr_id)
        .bind(&benchmark.pcr_version)
        .bind(&benchmark.period)
        .bind(i64::from(benchmark.version))
        .bind(json)
        .bind(entry.index as i64)
        .bind(viewer.org_id())
        .bind(created_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::conflict_or(e, "benchmark version", &subject))?;
        record(
            &mut tx,
            viewer,
            "benchmark.publish",
            "benchmark",
            &subject,
            json!({"log_index": entry.index, "values": benchmark.values}),
        )
        .await?;
        tx.commit().await?;
        Ok(StoredBenchmark {
            benchmark,
            log_index: entry.index,
            published_by_org: viewer.org_id(),
            created_at,
        })
    }

    /// The registry computes a PCR's benchmark for a period from the certified
    /// footprints and publishes it as the next version: the sample is every certificate
    /// in force now whose scope is this PCR (its current version) and whose footprint's
    /// reference period begins with `period` (e.g. `2024` takes `2024` and `2024-01/12`),
    /// each contributing its certified total; the PCR's method sets the statistics and
    /// the minimum sample ([`zuji_trust::benchmark::compute`]). Refused, naming the
    /// sample size, below the minimum. The registry operator only (write scope).
    pub async fn publish_computed_benchmark(
        &self,
        viewer: &Viewer,
        pcr_id: &str,
        period: &str,
    ) -> Result<StoredBenchmark, StoreError> {
        viewer.require(Scope::Write)?;
        viewer.require_kind(OrgKind::Registry)?;
        if period.trim().is_empty() {
            return Err(StoreError::invalid(
                "period",
                "the period must not be empty",
            ));
        }
        let pcr = self.get_pcr(pcr_id, None).await?.pcr;
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM certificates WHERE status = 'valid' ORDER BY seq")
                .fetch_all(&self.pool)
                .await?;
        let now = zuji_trust::certification::Timestamp(now_seconds());
        let mut totals = Vec::new();
        for id in ids {
            let view = certificate_view(self, &id).await?;
            let scope = view.certificate.scope();
            if scope.pcr.id != pcr.id
                || scope.pcr.version != pcr.version
                || view.certificate.status_at(now) != CertificateStatus::Valid
            {
                continue;
            }
            let footprint = self
                .footprint_with_fingerprint(view.model_version_id, &scope.footprint_fingerprint)
                .await?;
            let reference = footprint
                .result
                .pointer("/product/reference_period")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            if reference.starts_with(period.trim()) {
                totals.push(footprint.total);
            }
        }
        let next = self
            .latest_benchmark(&pcr.id, period.trim())
            .await?
            .map_or(1, |b| b.benchmark.version + 1);
        let benchmark = benchmark::compute(&pcr, period.trim(), next, &totals, &now.to_string())
            .map_err(|e| StoreError::invalid("benchmark", e.to_string()))?;
        self.publish_benchmark(viewer, benchmark).await
    }

    /// The latest version of the benchmark of a PCR for a period, if any. Public.
    pub async fn latest_benchmark(
        &self,
        pcr_id: &str,
        period: &str,
    ) -> Result<Option<StoredBenchmark>, StoreError> {
        let row: Option<BenchmarkRow> = sqlx::query_as(sql!(
            "SELECT {BENCHMARK_COLS} FROM benchmarks WHERE pcr_id = $1 AND period = $2
             ORDER BY version DESC LIMIT 1"
        ))
        .bind(pcr_id)
        .bind(period)
        .fetch_optional(&self.pool)
        .await?;
        row.map(benchmark_from).transpose()
    }

    /// Every published benchmark of a PCR, by period then version. Public.
    pub async fn list_benchmarks(&self, pcr_id: &str) -> Result<Vec<StoredBenchmark>, StoreError> {
        let rows: Vec<BenchmarkRow> = sqlx::query_as(sql!(
            "SELECT {BENCHMARK_COLS} FROM benchmarks WHERE pcr_id = $1 ORDER BY period, version"
        ))
        .bind(pcr_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(benchmark_from).collect()
    }

    /// Published benchmarks, newest publication first, of one PCR (`Some(id)`) or of
    /// every PCR (`None`), one page of them: the registry desk's history. Public.
    pub async fn benchmark_history(
        &self,
        pcr_id: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<StoredBenchmark>, StoreError> {
        let pcr = pcr_id.map(str::to_string);
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM benchmarks WHERE ($1 IS NULL OR pcr_id = $1)")
                .bind(pcr.clone())
                .fetch_one(&self.pool)
                .await?;
        // Rows are only ever inserted, so the id orders publications.
        let rows: Vec<BenchmarkRow> = sqlx::query_as(sql!(
            "SELECT {BENCHMARK_COLS} FROM benchmarks WHERE ($1 IS NULL OR pcr_id = $1)
             ORDER BY id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(pcr)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(benchmark_from)
            .collect::<Result<_, _>>()?;
        Ok(Page::new(items, total, page))
    }
}
