//! Zuji's persistence: one interface ([`Store`]) over two real backends, SQLite (the
//! embedded default, one file) and PostgreSQL (production: many server and worker
//! processes on one database).
//!
//! Both backends run the same SQL through sqlx's `Any` driver (`$1` placeholders work on
//! both); only the DDL (one migrations folder per backend) and the job claim
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL) differ. Times are Unix milliseconds and
//! JSON is stored as text, so rows decode the same way on both.
//!
//! Tenancy is enforced here, not in handlers: every read of tenant data takes a
//! [`Viewer`] and filters by what that viewer may see.

/// SQL text built at run time from this crate's own constants and whitelisted sort
/// keys, never from user input (which is always bound as a parameter).
macro_rules! sql {
    ($($arg:tt)*) => {
        sqlx::AssertSqlSafe(format!($($arg)*))
    };
}

mod access;
mod accounts;
mod audit;
mod databases;
mod error;
mod footprints;
mod jobs;
mod pact;
mod page;
mod products;
pub mod registry;
mod secret;
pub mod statistics;
pub mod testing;
pub mod testing_bulk;
mod trust;
pub mod workspace;

pub use access::{OrgKind, Role, Scope, Viewer};
pub use accounts::{ApiClient, IssuedClient, IssuedToken, Organisation, User, random_password};
pub use audit::AuditEntry;
pub use databases::{
    ActivityRow, DatabaseFacts, DatabaseVersion, NewDatabaseVersion, check_database_name,
};
pub use error::StoreError;
pub use footprints::{FootprintRow, NewFootprint, StaleFootprint};
pub use jobs::{ClaimedJob, Job, JobKind, JobStatus, LEASE_MS};
pub use pact::{
    FetchedFootprint, NewPactFootprint, NewPactPartner, PactAnswer, PactAuthFailure, PactCaller,
    PactFootprintRow, PactPartner, PactRequest, PartnerCredentials, SupplierFootprintRow,
    SupplierUpdate,
};
pub use page::{Page, PageRequest, SortOrder};
pub use products::{ModelVersion, NewModelVersion, Product, ProductFilter};
pub use trust::{
    ApplicationFilter, ApplicationInput, ApplicationOutcome, CertificateFilter, CertificateOutcome,
    LOG_ENTRIES_MAX, REGISTRY_KEY_OWNER, RankedProduct, StoredApplication, StoredBenchmark,
    StoredCertificate, StoredLabel, StoredPcr, certificate_statement,
};

use sqlx::Any;
use sqlx::pool::PoolOptions;

type AnyPool = sqlx::Pool<Any>;
use std::time::Duration;

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The platform's storage. Cheap to clone (it holds a connection pool).
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The passphrase the organisations' signing keys are encrypted with (the server's
    /// configuration); without it nothing can be signed, so certificates and labels
    /// cannot be issued.
    signing_passphrase: Option<std::sync::Arc<str>>,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Store {
    /// Connects to `url` (`sqlite:PATH`, `sqlite::memory:`, `postgres://…`) without
    /// migrating. A SQLite file is created if missing.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Invalid {
                field: "database".into(),
                problem: format!(
                    "'{url}' is not a database URL; use sqlite:PATH or postgres://USER@HOST/DB"
                ),
            });
        };
        let url = match backend {
            // Create the file on first start; WAL lets readers proceed during a write.
            Backend::Sqlite if !url.contains(":memory:") && !url.contains('?') => {
                format!("{url}?mode=rwc")
            }
            _ => url.to_string(),
        };
        let mut options = PoolOptions::<Any>::new().acquire_timeout(Duration::from_secs(30));
        options = match backend {
            // One in-memory database per connection would make every connection see a
            // different database; keep one.
            Backend::Sqlite if url.contains(":memory:") => options.max_connections(1),
            Backend::Sqlite => options.max_connections(8),
            Backend::Postgres => options.max_connections(16),
        };
        let pool = options
            .connect(&url)
            .await
            .map_err(|e| StoreError::Connect {
                url: redact(&url),
                message: e.to_string(),
            })?;
        if backend == Backend::Sqlite {
            for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON"] {
                sqlx::query(pragma).execute(&pool).await?;
            }
        }
        Ok(Store {
            pool,
            backend,
            signing_passphrase: None,
        })
    }

    /// The same store, signing certificates, labels and tree heads with keys encrypted
    /// under `passphrase`.
    pub fn with_signing_passphrase(mut self, passphrase: &str) -> Store {
        self.signing_passphrase = Some(passphrase.into());
        self
    }

    /// The signing passphrase, or why nothing can be signed.
    pub(crate) fn signing_passphrase(&self) -> Result<&str, StoreError> {
        self.signing_passphrase.as_deref().ok_or_else(|| {
            StoreError::invalid(
                "signing",
                "this platform has no signing passphrase configured (ZUJI_SIGNING_PASSPHRASE, --signing-passphrase-file, or DATA_DIR/keys/signing-passphrase), so it cannot sign certificates, labels or tree heads",
            )
        })
    }

    /// Connects and applies every pending migration.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations; returns how many were applied.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let before = self.applied_migrations().await.unwrap_or(0);
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Migrate(e.to_string()))?;
        Ok(self.applied_migrations().await?.saturating_sub(before))
    }

    async fn applied_migrations(&self) -> Result<usize, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        Ok(n as usize)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Writes a consistent copy of a SQLite store to `target` (`VACUUM INTO`), safe while
    /// the platform runs. PostgreSQL is backed up with `pg_dump`.
    pub async fn backup_sqlite(&self, target: &std::path::Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Invalid {
                field: "database".into(),
                problem: "backups of PostgreSQL are made with pg_dump (see the operations guide)"
                    .into(),
            });
        }
        if target.exists() {
            return Err(StoreError::Invalid {
                field: "target".into(),
                problem: format!("{} exists; choose a new file", target.display()),
            });
        }
        let path = target.to_str().ok_or_else(|| StoreError::Invalid {
            field: "target".into(),
            problem: "the path is not valid UTF-8".into(),
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Hides a password in a database URL before it appears in a message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &userinfo[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The current time in Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_password() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
