//! Background databases and their versions. A version's content is the tabular layout
//! as one zip (see `zuji_formats::tabular::write_tabular_zip`) with its SHA-256; an
//! activity index beside it serves search without loading the database.
//!
//! Background data is reference data shared by the whole platform: everyone may read
//! it; the registry operator (and the command line) imports new versions.

use crate::audit::record;
use crate::secret::hex;
use crate::{OrgKind, Page, PageRequest, Scope, Store, StoreError, Viewer, now_ms};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use zuji_model::lci::{ExchangeKind, LciDatabase};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DatabaseVersion {
    pub id: i64,
    /// The name the platform knows the database by.
    pub name: String,
    /// The database's own id (the prefix of dataset references, `zuji-default/…`).
    pub db_key: String,
    pub version: String,
    pub sha256: String,
    pub activities: i64,
    pub flows: i64,
    pub methods: i64,
    pub source_format: String,
    /// Dataset-level warnings of the import, as a JSON array of strings.
    pub warnings: String,
    pub created_at: i64,
}

/// What a database version's package says of itself (`database.toml`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DatabaseFacts {
    pub source: String,
    pub licence: String,
    pub description: String,
}

/// A database version to store.
pub struct NewDatabaseVersion<'a> {
    pub name: &'a str,
    pub db: &'a LciDatabase,
    pub source_format: &'a str,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ActivityRow {
    pub database_version_id: i64,
    pub position: i64,
    pub activity_id: String,
    pub name: String,
    pub reference_product: String,
    pub geography: String,
    pub unit: String,
}

/// A background database's name, trimmed, or why it is not one (letters, digits, '-',
/// '_' and '.'). The API checks it before queueing an import, so a bad name is refused
/// at once rather than by a failing job.
pub fn check_database_name(name: &str) -> Result<&str, StoreError> {
    let name = name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.".contains(c))
    {
        return Err(StoreError::invalid(
            "name",
            format!("'{name}' is not a database name (letters, digits, '-', '_', '.')"),
        ));
    }
    Ok(name)
}

const VERSION_COLS: &str = "v.id, d.name, v.db_key, v.version, v.sha256, v.activities, v.flows, v.methods, v.source_format, v.warnings, v.created_at";

impl Store {
    /// Stores a new version of a background database (creating the database on its
    /// first version), with its activity index, in one transaction. Given the import
    /// job it comes from, the job is marked succeeded in the same transaction, so a
    /// crash leaves either no version and a job to retry, or both.
    pub async fn add_database_version(
        &self,
        viewer: &Viewer,
        new: NewDatabaseVersion<'_>,
        job: Option<&crate::ClaimedJob>,
    ) -> Result<DatabaseVersion, StoreError> {
        if !viewer.is_system() {
            viewer.require_kind(OrgKind::Registry)?;
            viewer.require(Scope::Write)?;
        }
        let name = check_database_name(new.name)?;
        let content = zuji_formats::tabular::write_tabular_zip(new.db)
            .map_err(|e| StoreError::invalid("database", e.to_string()))?;
        let sha = hex(&Sha256::digest(&content));
        let now = now_ms();
        let db = new.db;
        let warnings = serde_json::to_string(&new.warnings).unwrap_or_else(|_| "[]".into());
        let mut tx = self.pool.begin().await?;
        // Writing first (see `complete_footprint_job`): create the database row if it is
        // new, then read its id.
        sqlx::query("INSERT INTO databases (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let database_id: i64 = sqlx::query_scalar("SELECT id FROM databases WHERE name = $1")
            .bind(name)
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO database_versions (database_id, db_key, version, sha256, content, activities, flows, methods, source_format, warnings, imported_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(database_id)
        .bind(&db.meta.id)
        .bind(&db.meta.version)
        .bind(&sha)
        .bind(content)
        .bind(db.activities.len() as i64)
        .bind(db.flows.len() as i64)
        .bind(db.methods.len() as i64)
        .bind(new.source_format)
        .bind(&warnings)
        .bind(viewer.user_id())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::conflict_or(e, "database version", &format!("{name} {}", db.meta.version)))?;
        // The reference product and unit of each activity come from its production exchange.
        let mut reference: Vec<Option<usize>> = vec![None; db.activities.len()];
        for e in &db.exchanges {
            if e.kind == ExchangeKind::Production && reference[e.activity].is_none() {
                reference[e.activity] = Some(e.input);
            }
        }
        for chunk in db
            .activities
            .iter()
            .enumerate()
            .collect::<Vec<_>>()
            .chunks(200)
        {
            let mut sql = String::from(
                "INSERT INTO activities (database_version_id, position, activity_id, name, reference_product, geography, unit) VALUES ",
            );
            for (i, _) in chunk.iter().enumerate() {
                let b = i * 7;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7
                ));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (pos, a) in chunk {
                let product = reference[*pos]
                    .and_then(|p| db.activities.get(p))
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                q = q
                    .bind(id)
                    .bind(*pos as i64)
                    .bind(a.id.clone())
                    .bind(a.name.clone())
                    .bind(product)
                    .bind(a.location.clone())
                    .bind(a.unit.to_string());
            }
            q.execute(&mut *tx).await?;
        }
        record(
            &mut tx,
            viewer,
            "database.import",
            "database_version",
            id,
            json!({"name": name, "version": db.meta.version, "sha256": sha}),
        )
        .await?;
        if let Some(job) = job {
            Store::finish_job_in(&mut tx, job, &json!({"database_version_id": id})).await?;
        }
        tx.commit().await?;
        self.database_version(id).await
    }

    pub async fn database_version(&self, id: i64) -> Result<DatabaseVersion, StoreError> {
        sqlx::query_as::<_, DatabaseVersion>(sql!(
            "SELECT {VERSION_COLS} FROM database_versions v JOIN databases d ON d.id = v.database_id WHERE v.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("database version", id))
    }

    /// Every version of every database, newest first within each database.
    pub async fn list_database_versions(
        &self,
        name: Option<&str>,
    ) -> Result<Vec<DatabaseVersion>, StoreError> {
        Ok(sqlx::query_as::<_, DatabaseVersion>(sql!(
            "SELECT {VERSION_COLS} FROM database_versions v JOIN databases d ON d.id = v.database_id
             WHERE ($1 IS NULL OR d.name = $1) ORDER BY d.name, v.id DESC"
        ))
        .bind(name)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The newest version of each database: what a new calculation uses.
    pub async fn current_database_versions(&self) -> Result<Vec<DatabaseVersion>, StoreError> {
        Ok(sqlx::query_as::<_, DatabaseVersion>(sql!(
            "SELECT {VERSION_COLS} FROM database_versions v JOIN databases d ON d.id = v.database_id
             WHERE v.id = (SELECT MAX(v2.id) FROM database_versions v2 WHERE v2.database_id = v.database_id)
             ORDER BY d.name"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Loads a stored version back into memory, checking its digest.
    pub async fn load_database(&self, id: i64) -> Result<LciDatabase, StoreError> {
        let row: Option<(Vec<u8>, String, String)> =
            sqlx::query_as("SELECT content, sha256, db_key FROM database_versions WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let (content, sha, key) =
            row.ok_or_else(|| StoreError::not_found("database version", id))?;
        if hex(&Sha256::digest(&content)) != sha {
            return Err(StoreError::invalid(
                "database",
                format!("stored version {id} does not match its SHA-256; the store is damaged"),
            ));
        }
        tokio::task::spawn_blocking(move || zuji_formats::tabular::read_tabular_zip(&content, &key))
            .await
            .map_err(|e| StoreError::invalid("database", e.to_string()))?
            .map_err(|e| StoreError::invalid("database", format!("version {id}: {e}")))
    }

    /// The source, licence and description a version's package states in its
    /// `database.toml` (empty strings where it states none). Read from the package the
    /// first time and kept in `database_version_facts`, so a report or the desk asks once.
    pub async fn database_version_facts(&self, id: i64) -> Result<DatabaseFacts, StoreError> {
        let kept: Option<(String, String, String)> = sqlx::query_as(
            "SELECT source, licence, description FROM database_version_facts WHERE database_version_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some((source, licence, description)) = kept {
            return Ok(DatabaseFacts {
                source,
                licence,
                description,
            });
        }
        let (content, key): (Vec<u8>, String) =
            sqlx::query_as("SELECT content, db_key FROM database_versions WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| StoreError::not_found("database version", id))?;
        let meta = tokio::task::spawn_blocking(move || {
            zuji_formats::tabular::read_tabular_zip_meta(&content, &key)
        })
        .await
        .map_err(|e| StoreError::invalid("database", e.to_string()))?
        .map_err(|e| StoreError::invalid("database", format!("version {id}: {e}")))?;
        let facts = DatabaseFacts {
            source: meta.source.unwrap_or_default(),
            licence: meta.licence.unwrap_or_default(),
            description: meta.description.unwrap_or_default(),
        };
        sqlx::query(
            "INSERT INTO database_version_facts (database_version_id, source, licence, description)
             VALUES ($1, $2, $3, $4) ON CONFLICT (database_version_id) DO NOTHING",
        )
        .bind(id)
        .bind(&facts.source)
        .bind(&facts.licence)
        .bind(&facts.description)
        .execute(&self.pool)
        .await?;
        Ok(facts)
    }

    /// Searches activities by name, reference product or id, in one version or in the
    /// current versions of all databases.
    pub async fn search_activities(
        &self,
        database_version_id: Option<i64>,
        q: Option<&str>,
        geography: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<ActivityRow>, StoreError> {
        let q = q.map(|q| format!("%{}%", q.to_lowercase()));
        let where_sql = "WHERE ($1 IS NOT NULL AND a.database_version_id = $1 OR $1 IS NULL AND a.database_version_id IN
                 (SELECT MAX(id) FROM database_versions GROUP BY database_id))
               AND ($2 IS NULL OR LOWER(a.name) LIKE $2 OR LOWER(a.reference_product) LIKE $2 OR LOWER(a.activity_id) LIKE $2)
               AND ($3 IS NULL OR a.geography = $3)";
        let total: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM activities a {where_sql}"))
            .bind(database_version_id)
            .bind(&q)
            .bind(geography)
            .fetch_one(&self.pool)
            .await?;
        let items = sqlx::query_as::<_, ActivityRow>(sql!(
            "SELECT a.database_version_id, a.position, a.activity_id, a.name, a.reference_product, a.geography, a.unit
             FROM activities a {where_sql} ORDER BY a.database_version_id, a.position LIMIT $4 OFFSET $5"
        ))
        .bind(database_version_id)
        .bind(&q)
        .bind(geography)
        .bind(page.limit as i64)
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page::new(items, total, page))
    }
}
