//! Stores for tests: every store test runs on both backends: SQLite in a temporary file and PostgreSQL in
//! a schema of its own on the machine's server. PostgreSQL being unreachable fails the
//! test; it is never skipped.

use crate::{Store, StoreError};

pub struct TestStore {
    pub store: Store,
    pub name: &'static str,
    _dir: Option<tempfile::TempDir>,
}

/// The signing passphrase of test stores (certificates and labels are signed).
pub const TEST_SIGNING_PASSPHRASE: &str = "test stores sign with this passphrase";

/// The PostgreSQL server the tests use (`ZUJI_TEST_POSTGRES` overrides it).
pub fn postgres_url() -> String {
    std::env::var("ZUJI_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh, migrated SQLite store in a temporary directory.
pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("zuji.sqlite").display());
    let store = Store::open(&url)
        .await
        .expect("SQLite store opens")
        .with_signing_passphrase(TEST_SIGNING_PASSPHRASE);
    TestStore {
        store,
        name: "sqlite",
        _dir: Some(dir),
    }
}

/// A fresh, migrated PostgreSQL store in a new schema.
pub async fn postgres() -> TestStore {
    let base = postgres_url();
    let schema = format!("zuji_test_{}_{}", std::process::id(), unique());
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&base).await.unwrap_or_else(|e| {
        panic!("PostgreSQL must be reachable at {base} for the store tests (start it with pg_ctlcluster): {e}")
    });
    // Schemas of earlier test processes that have ended are dropped, so the shared
    // `test` database does not fill up run after run.
    let old: Vec<String> = sqlx::query_scalar(
        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'zuji_test_%'",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap_or_default();
    for name in old {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE"
            )))
            .execute(&mut admin)
            .await;
        }
    }
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut admin)
        .await
        .expect("create schema");
    admin.close().await.ok();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let store = Store::open(&url)
        .await
        .expect("PostgreSQL store opens")
        .with_signing_passphrase(TEST_SIGNING_PASSPHRASE);
    TestStore {
        store,
        name: "postgres",
        _dir: None,
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0);
    t * 1000 + N.fetch_add(1, Ordering::Relaxed)
}

/// Both backends.
pub async fn both() -> Vec<TestStore> {
    vec![sqlite().await, postgres().await]
}

/// Ends the lifetime of every token now, so tests can see how expiry is answered
/// (tokens otherwise live an hour).
pub async fn expire_all_tokens(store: &Store) -> Result<(), StoreError> {
    sqlx::query("UPDATE tokens SET expires_at = $1")
        .bind(crate::now_ms() - 1)
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// Rewrites a stored model version's JSON behind the platform's back (model versions are
/// immutable through the API), so tests can show that a recomputation detects it.
pub async fn tamper_model_version(
    store: &Store,
    model_version_id: i64,
    model_json: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE model_versions SET model_json = $1 WHERE id = $2")
        .bind(model_json)
        .bind(model_version_id)
        .execute(&store.pool)
        .await?;
    Ok(())
}
