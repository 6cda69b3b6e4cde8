//! Job workers: claim a job, keep its lease alive while working, store its result in
//! the same transaction that marks it done, or record the failure (retried up to the
//! job's attempts). Runs inside `zuji serve` and as `zuji worker` processes.

use crate::ops::Metrics;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use zuji_calc::footprint::{FootprintOptions, MonteCarloOptions, compute_footprint};
use zuji_model::lci::LciDatabase;
use zuji_store::{
    ClaimedJob, JobKind, LEASE_MS, NewDatabaseVersion, NewFootprint, Store, StoreError, Viewer,
};

/// A unique name for a worker of this process.
pub fn worker_name(i: usize) -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".into());
    format!("{host}-{}-{i}", std::process::id())
}

/// Runs jobs until `stop` turns true. A job in progress when stopping is finished first.
pub async fn run(
    store: Store,
    name: String,
    mut stop: tokio::sync::watch::Receiver<bool>,
    metrics: Option<Arc<Metrics>>,
) {
    tracing::info!(worker = %name, "worker started");
    loop {
        if *stop.borrow() {
            break;
        }
        match store.claim_job(&name, LEASE_MS).await {
            Ok(Some(job)) => run_one(&store, job, metrics.as_deref()).await,
            Ok(None) => {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(250)) => {}
                    _ = stop.changed() => {}
                }
            }
            Err(e) => {
                tracing::warn!(worker = %name, error = %e, "claiming a job failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    tracing::info!(worker = %name, "worker stopped");
}

/// Claims and runs one job, if there is one; returns whether it ran one. (Tests and
/// tools drive the queue with this.)
pub async fn run_next(store: &Store, worker: &str) -> Result<bool, StoreError> {
    match store.claim_job(worker, LEASE_MS).await? {
        Some(job) => {
            run_one(store, job, None).await;
            Ok(true)
        }
        None => Ok(false),
    }
}

#[derive(Debug, thiserror::Error)]
enum JobError {
    #[error("{0}")]
    Failed(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn run_one(store: &Store, job: ClaimedJob, metrics: Option<&Metrics>) {
    tracing::info!(
        job = job.id,
        kind = job.kind.as_str(),
        attempt = job.attempt,
        "job started"
    );
    let progress = Arc::new(AtomicU64::new(0f64.to_bits()));
    let heartbeat = {
        let (store, job, progress) = (store.clone(), job.clone(), progress.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis((LEASE_MS / 3) as u64)).await;
                let p = f64::from_bits(progress.load(Ordering::Relaxed));
                if let Err(e) = store.heartbeat(&job, p, LEASE_MS).await {
                    tracing::warn!(job = job.id, error = %e, "lease renewal failed");
                    if matches!(e, StoreError::Stale(_)) {
                        break;
                    }
                }
            }
        })
    };
    let outcome = match job.kind {
        JobKind::Footprint => run_footprint(store, &job, &progress).await,
        JobKind::Import => run_import(store, &job, &progress).await,
        JobKind::CertificationVerification => run_verification(store, &job, &progress).await,
        JobKind::PactCallback | JobKind::PactFetch | JobKind::PactSend => {
            match crate::pact::jobs::run(store, &job).await {
                Ok(result) => store
                    .complete_job(&job, &result)
                    .await
                    .map_err(JobError::from),
                Err(e) => Err(JobError::Failed(e)),
            }
        }
    };
    heartbeat.abort();
    match outcome {
        Ok(()) => {
            tracing::info!(job = job.id, "job succeeded");
            if let Some(m) = metrics {
                m.jobs_succeeded.fetch_add(1, Ordering::Relaxed);
            }
        }
        Err(JobError::Store(StoreError::Stale(m))) => {
            tracing::warn!(job = job.id, "{m}; another worker has it")
        }
        Err(e) => {
            let message = e.to_string();
            match store.fail_job(&job, &message).await {
                Ok(status) => {
                    tracing::warn!(job = job.id, error = %message, status = status.as_str(), "job failed");
                    if let Some(m) = metrics {
                        let counter = if status == zuji_store::JobStatus::Failed {
                            &m.jobs_failed
                        } else {
                            &m.jobs_retried
                        };
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Err(e) => tracing::warn!(job = job.id, error = %e, "recording the failure failed"),
            }
        }
    }
}

type DatabaseSet = (Vec<i64>, Arc<Vec<LciDatabase>>);

fn database_cache() -> &'static Mutex<HashMap<i64, Arc<LciDatabase>>> {
    static CACHE: std::sync::OnceLock<Mutex<HashMap<i64, Arc<LciDatabase>>>> =
        std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// A stored database version, loaded once per process (versions never change).
pub async fn cached_database(store: &Store, id: i64) -> Result<Arc<LciDatabase>, StoreError> {
    if let Some(db) = database_cache()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
    {
        return Ok(db.clone());
    }
    let db = Arc::new(store.load_database(id).await?);
    database_cache()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id, db.clone());
    Ok(db)
}

/// The current version of every database, as one slice for the engine.
async fn current_databases(store: &Store) -> Result<DatabaseSet, StoreError> {
    static SET: Mutex<Option<DatabaseSet>> = Mutex::new(None);
    let ids: Vec<i64> = store
        .current_database_versions()
        .await?
        .into_iter()
        .map(|v| v.id)
        .collect();
    if let Some((cached, set)) = SET.lock().unwrap_or_else(|p| p.into_inner()).as_ref()
        && *cached == ids
    {
        return Ok((ids, set.clone()));
    }
    // Loaded straight into the set (the engine wants one slice), not through the
    // per-version cache, so a worker keeps one copy of each database, not two.
    let mut dbs = Vec::with_capacity(ids.len());
    for id in &ids {
        let cached = database_cache()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned();
        dbs.push(match cached {
            Some(db) => (*db).clone(),
            None => store.load_database(*id).await?,
        });
    }
    let set = Arc::new(dbs);
    *SET.lock().unwrap_or_else(|p| p.into_inner()) = Some((ids.clone(), set.clone()));
    Ok((ids, set))
}

/// Computes a stored model version with the current database versions; returns the
/// result and the database version ids it used. Nothing is stored.
pub async fn compute_model_version(
    store: &Store,
    version_id: i64,
    options: &serde_json::Value,
    progress: Option<Arc<AtomicU64>>,
) -> Result<(zuji_calc::footprint::FootprintResult, Vec<i64>), String> {
    let (db_ids, dbs) = current_databases(store).await.map_err(|e| e.to_string())?;
    compute_with(store, version_id, options, progress, db_ids, dbs).await
}

/// Computes a stored model version with exactly these database versions (a verifier's
/// recomputation uses the versions the footprint was computed with, current or not).
pub async fn compute_model_version_with(
    store: &Store,
    version_id: i64,
    options: &serde_json::Value,
    database_version_ids: &[i64],
) -> Result<zuji_calc::footprint::FootprintResult, String> {
    let mut dbs = Vec::with_capacity(database_version_ids.len());
    for id in database_version_ids {
        dbs.push(
            (*cached_database(store, *id)
                .await
                .map_err(|e| e.to_string())?)
            .clone(),
        );
    }
    let (result, _) = compute_with(
        store,
        version_id,
        options,
        None,
        database_version_ids.to_vec(),
        Arc::new(dbs),
    )
    .await?;
    Ok(result)
}

async fn compute_with(
    store: &Store,
    version_id: i64,
    options: &serde_json::Value,
    progress: Option<Arc<AtomicU64>>,
    db_ids: Vec<i64>,
    dbs: Arc<Vec<LciDatabase>>,
) -> Result<(zuji_calc::footprint::FootprintResult, Vec<i64>), String> {
    let version = store
        .model_version_by_id(&Viewer::System, version_id)
        .await
        .map_err(|e| e.to_string())?;
    let model: zuji_model::product::ProductModel = serde_json::from_str(&version.model_json)
        .map_err(|e| format!("stored model version {version_id} does not parse: {e}"))?;
    let gwp_id = options
        .get("gwp")
        .and_then(|v| v.as_str())
        .unwrap_or("ar6")
        .to_string();
    let method = zuji_formats::default_db::gwp_table(&gwp_id)?;
    let iterations = options
        .get("monte_carlo")
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as usize;
    let seed = options.get("seed").and_then(|v| v.as_u64()).unwrap_or(42);
    let calc_options = FootprintOptions {
        monte_carlo: (iterations > 0).then_some(MonteCarloOptions { iterations, seed }),
        ..FootprintOptions::default()
    };
    let result = tokio::task::spawn_blocking(move || {
        let tick = move |done: usize| {
            if let Some(p) = &progress
                && iterations > 0
            {
                p.store(
                    (done as f64 / iterations as f64).to_bits(),
                    Ordering::Relaxed,
                );
            }
        };
        compute_footprint(&model, &dbs, &method, &calc_options, Some(&tick))
    })
    .await
    .map_err(|e| format!("the calculation stopped: {e}"))?
    .map_err(|e| e.to_string())?;
    Ok((result, db_ids))
}

async fn run_footprint(
    store: &Store,
    job: &ClaimedJob,
    progress: &Arc<AtomicU64>,
) -> Result<(), JobError> {
    let field = |k: &str| {
        job.payload
            .get(k)
            .and_then(|v| v.as_i64())
            .ok_or_else(|| JobError::Failed(format!("job payload lacks '{k}'")))
    };
    let (product_id, version_id) = (field("product_id")?, field("model_version_id")?);
    let options = job.payload.get("options").cloned().unwrap_or_default();
    let (result, db_ids) =
        compute_model_version(store, version_id, &options, Some(progress.clone()))
            .await
            .map_err(JobError::Failed)?;
    let new = NewFootprint {
        product_id,
        model_version_id: version_id,
        method: result.method.name.clone(),
        total: result.total,
        fingerprint: result.fingerprint.sha256.clone(),
        result_json: serde_json::to_string(&result).map_err(|e| JobError::Failed(e.to_string()))?,
        options_json: options.to_string(),
        database_version_ids: db_ids,
    };
    store.complete_footprint_job(job, &new).await?;
    Ok(())
}

/// A certification body's recomputation: the application's model version with the
/// database versions and options its footprint was computed with; the fingerprint it
/// gives is recorded on the application (a match verifies, a difference is a mismatch).
async fn run_verification(
    store: &Store,
    job: &ClaimedJob,
    progress: &Arc<AtomicU64>,
) -> Result<(), JobError> {
    let version_id = job
        .payload
        .get("model_version_id")
        .and_then(|v| v.as_i64())
        .ok_or_else(|| JobError::Failed("job payload lacks 'model_version_id'".into()))?;
    let db_ids: Vec<i64> = job
        .payload
        .get("database_version_ids")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_i64()).collect())
        .ok_or_else(|| JobError::Failed("job payload lacks 'database_version_ids'".into()))?;
    let options = job.payload.get("options").cloned().unwrap_or_default();
    let result = compute_model_version_with(store, version_id, &options, &db_ids)
        .await
        .map_err(JobError::Failed)?;
    progress.store(1f64.to_bits(), Ordering::Relaxed);
    store
        .complete_verification_job(job, &result.fingerprint.sha256)
        .await?;
    Ok(())
}

async fn run_import(
    store: &Store,
    job: &ClaimedJob,
    progress: &Arc<AtomicU64>,
) -> Result<(), JobError> {
    let name = job
        .payload
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let format = job
        .payload
        .get("format")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let input = job
        .input
        .clone()
        .ok_or_else(|| JobError::Failed("the import job has no uploaded package".into()))?;
    let progress_c = progress.clone();
    let job_id = job.id;
    let report = tokio::task::spawn_blocking(move || {
        import_bytes(&input, &name, &format, job_id, progress_c)
    })
    .await
    .map_err(|e| JobError::Failed(format!("the import stopped: {e}")))??;
    let warnings = report.warnings.iter().map(|w| w.to_string()).collect();
    let name = job
        .payload
        .get("name")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let format = job
        .payload
        .get("format")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    store
        .add_database_version(
            &Viewer::System,
            NewDatabaseVersion {
                name,
                db: &report.db,
                source_format: format,
                warnings,
            },
            Some(job),
        )
        .await?;
    Ok(())
}

fn import_bytes(
    bytes: &[u8],
    name: &str,
    format: &str,
    job_id: i64,
    progress: Arc<AtomicU64>,
) -> Result<zuji_formats::import::ImportReport, JobError> {
    use zuji_formats::detect::DatabaseFormat as F;
    let failed = |e: &dyn std::fmt::Display| JobError::Failed(format!("package: {e}"));
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let mut report = if format == "tabular" {
        if !is_zip {
            return Err(JobError::Failed("a tabular package is a zip of activities.csv, flows.csv, exchanges.csv and characterization.csv".into()));
        }
        zuji_formats::import::ImportReport {
            db: zuji_formats::tabular::read_tabular_zip(bytes, name).map_err(|e| failed(&e))?,
            warnings: Vec::new(),
        }
    } else {
        let format = match format {
            "jsonld" => F::JsonLd,
            "ecospold2" => F::EcoSpold2,
            "ecospold1" => F::EcoSpold1,
            "ilcd" => F::Ilcd,
            other => {
                return Err(JobError::Failed(format!(
                    "'{other}' is not an import format"
                )));
            }
        };
        let dir = tempfile::tempdir().map_err(|e| failed(&e))?;
        let path = if is_zip && matches!(format, F::EcoSpold2 | F::EcoSpold1) {
            // The EcoSpold readers take a folder of datasets.
            let target = dir.path().join("package");
            zip::ZipArchive::new(std::io::Cursor::new(bytes))
                .and_then(|mut z| z.extract(&target))
                .map_err(|e| failed(&e))?;
            target
        } else {
            let ext = match (is_zip, format) {
                (true, _) => "zip",
                (false, F::JsonLd) => "json",
                (false, F::EcoSpold2) => "spold",
                _ => "xml",
            };
            let path = dir.path().join(format!("package.{ext}"));
            std::fs::write(&path, bytes).map_err(|e| failed(&e))?;
            path
        };
        let tick = move |done: usize, total: usize| {
            if total > 0 {
                progress.store((done as f64 / total as f64).to_bits(), Ordering::Relaxed);
            }
        };
        zuji_formats::import::import_database(&path, format, &tick).map_err(|e| failed(&e))?
    };
    if report.db.meta.version.is_empty() || report.db.meta.version == "unversioned" {
        report.db.meta.version = format!("job-{job_id}");
    }
    Ok(report)
}
