//! The transparency log in the store: entries appended inside the writing transactions
//! of the records they log, signed tree heads, and proofs computed from the stored leaf
//! hashes. Formats: `docs/transparency-log.md`.

use super::keys::REGISTRY_KEY_OWNER;
use super::{hash_from_hex, ms_to_seconds, now_seconds, seconds_to_ms, to_hex};
use crate::audit::record;
use crate::{Store, StoreError, Viewer, now_ms};
use serde_json::{Value, json};
use sqlx::{Any, Transaction};
use zuji_trust::log::{ConsistencyProof, EntryKind, InclusionProof, LogEntry, SignedTreeHead};
use zuji_trust::merkle::{self, Hash, MerkleTree};

/// At most this many entries are returned by one [`Store::log_entries`] call; page on.
pub const LOG_ENTRIES_MAX: u64 = 1000;

fn kind_str(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::CertificateIssued => "certificate_issued",
        EntryKind::CertificateSuspended => "certificate_suspended",
        EntryKind::CertificateReinstated => "certificate_reinstated",
        EntryKind::CertificateWithdrawn => "certificate_withdrawn",
        EntryKind::CertificateExpired => "certificate_expired",
        EntryKind::LabelIssued => "label_issued",
        EntryKind::BenchmarkPublished => "benchmark_published",
    }
}

fn parse_kind(text: &str, index: i64) -> Result<EntryKind, StoreError> {
    const ALL: [EntryKind; 7] = [
        EntryKind::CertificateIssued,
        EntryKind::CertificateSuspended,
        EntryKind::CertificateReinstated,
        EntryKind::CertificateWithdrawn,
        EntryKind::CertificateExpired,
        EntryKind::LabelIssued,
        EntryKind::BenchmarkPublished,
    ];
    ALL.into_iter()
        .find(|k| kind_str(*k) == text)
        .ok_or_else(|| StoreError::Invalid {
            field: format!("log_entries[{index}].kind"),
            problem: format!("'{text}' is not a log entry kind"),
        })
}

/// Appends an entry to the log inside `tx`, the transaction writing the record it logs.
/// The entry's index is the log's size, read and incremented in one statement on the
/// single `log_state` row: on PostgreSQL that holds the row's lock until `tx` ends, on
/// SQLite the write transaction holds the database's, so concurrent appends queue and
/// never collide (and the primary key on `idx` would refuse a collision anyway).
/// `at` is in Unix seconds, as the entry's `timestamp`.
pub(crate) async fn append(
    tx: &mut Transaction<'_, Any>,
    kind: EntryKind,
    subject: &str,
    at: i64,
    body: Value,
) -> Result<LogEntry, StoreError> {
    append_with(tx, kind, subject, at, |_| Ok(body)).await
}

/// [`append`] with a body made once the entry's index is known (a label states its own
/// log index, under its signature).
pub(crate) async fn append_with(
    tx: &mut Transaction<'_, Any>,
    kind: EntryKind,
    subject: &str,
    at: i64,
    body: impl FnOnce(u64) -> Result<Value, StoreError>,
) -> Result<LogEntry, StoreError> {
    let size: i64 =
        sqlx::query_scalar("UPDATE log_state SET size = size + 1 WHERE id = 1 RETURNING size")
            .fetch_one(&mut **tx)
            .await?;
    let index = (size - 1).max(0) as u64;
    let entry = LogEntry {
        index,
        kind,
        subject: subject.to_string(),
        timestamp: at,
        body: body(index)?,
    };
    let leaf = entry.leaf_hash().map_err(|e| StoreError::Invalid {
        field: "log entry".into(),
        problem: e.to_string(),
    })?;
    sqlx::query(
        "INSERT INTO log_entries (idx, kind, subject, logged_at, body, leaf_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.index as i64)
    .bind(kind_str(kind))
    .bind(subject)
    .bind(seconds_to_ms(at))
    .bind(entry.body.to_string())
    .bind(to_hex(&leaf))
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(entry)
}

type EntryRow = (i64, String, String, i64, String);
type HeadRow = (i64, i64, String, String, String);

fn entry_from(row: EntryRow) -> Result<LogEntry, StoreError> {
    let (index, kind, subject, logged_at, body) = row;
    let body: Value = serde_json::from_str(&body).map_err(|e| StoreError::Invalid {
        field: format!("log_entries[{index}].body"),
        problem: format!("the stored JSON cannot be read: {e}"),
    })?;
    Ok(LogEntry {
        index: index.max(0) as u64,
        kind: parse_kind(&kind, index)?,
        subject,
        timestamp: ms_to_seconds(logged_at),
        body,
    })
}

fn head_from(row: HeadRow) -> SignedTreeHead {
    let (tree_size, signed_at, root_hash, key_id, signature) = row;
    SignedTreeHead {
        tree_size: tree_size.max(0) as u64,
        timestamp: ms_to_seconds(signed_at),
        root_hash,
        key_id: zuji_trust::keys::KeyId::new(key_id),
        signature,
    }
}

const HEAD_COLS: &str = "tree_size, signed_at, root_hash, key_id, signature";

fn proof_error(field: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid {
        field: field.to_string(),
        problem: e.to_string(),
    }
}

impl Store {
    /// The number of entries in the log. Public.
    pub async fn log_size(&self) -> Result<u64, StoreError> {
        let size: i64 = sqlx::query_scalar("SELECT size FROM log_state WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(size.max(0) as u64)
    }

    /// Entries with `start <= index < end`, in order, at most [`LOG_ENTRIES_MAX`] of
    /// them (fewer at the end of the log; page on from the last index + 1). Public.
    pub async fn log_entries(&self, start: u64, end: u64) -> Result<Vec<LogEntry>, StoreError> {
        let end = end.min(start.saturating_add(LOG_ENTRIES_MAX));
        if end <= start {
            return Ok(Vec::new());
        }
        let rows: Vec<EntryRow> = sqlx::query_as(
            "SELECT idx, kind, subject, logged_at, body FROM log_entries
             WHERE idx >= $1 AND idx < $2 ORDER BY idx",
        )
        .bind(i64::try_from(start).unwrap_or(i64::MAX))
        .bind(i64::try_from(end).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(entry_from).collect()
    }

    /// Signs a tree head over the whole log as it stands, with the registry's active key
    /// (see [`Store::ensure_signing_key`]) decrypted with `registry_key_passphrase`, and
    /// stores it. The root is computed from the stored leaf hashes while the log is
    /// locked, so the head covers exactly the entries committed before it.
    pub async fn publish_tree_head(
        &self,
        registry_key_passphrase: &str,
    ) -> Result<SignedTreeHead, StoreError> {
        let key = self
            .active_key_of_owner(REGISTRY_KEY_OWNER, registry_key_passphrase)
            .await?;
        let mut tx = self.pool.begin().await?;
        // A write that changes nothing, to take the log's lock before reading it.
        let size: i64 =
            sqlx::query_scalar("UPDATE log_state SET size = size WHERE id = 1 RETURNING size")
                .fetch_one(&mut *tx)
                .await?;
        let stored: Vec<(i64, String)> =
            sqlx::query_as("SELECT idx, leaf_hash FROM log_entries WHERE idx < $1 ORDER BY idx")
                .bind(size)
                .fetch_all(&mut *tx)
                .await?;
        let leaves = leaf_hashes(stored, size)?;
        let root = to_hex(&merkle::root_from_leaf_hashes(&leaves));
        let head = zuji_trust::log::sign_tree_head(&key, leaves.len() as u64, now_seconds(), root)
            .map_err(|e| StoreError::Invalid {
                field: "tree head".into(),
                problem: e.to_string(),
            })?;
        sqlx::query(
            "INSERT INTO tree_heads (tree_size, signed_at, root_hash, key_id, signature, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(head.tree_size as i64)
        .bind(seconds_to_ms(head.timestamp))
        .bind(&head.root_hash)
        .bind(head.key_id.as_str())
        .bind(&head.signature)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        record(
            &mut tx,
            &Viewer::System,
            "log.publish_tree_head",
            "tree_head",
            head.tree_size,
            json!({"root_hash": head.root_hash, "key_id": head.key_id}),
        )
        .await?;
        tx.commit().await?;
        Ok(head)
    }

    /// Signs a new tree head with the registry's key under the configured signing
    /// passphrase when the log has grown since the last head; `None` when nothing is new.
    /// The server calls it after appending and on a timer, so every entry is covered by a
    /// signed head within moments.
    pub async fn publish_tree_head_if_grown(&self) -> Result<Option<SignedTreeHead>, StoreError> {
        let size = self.log_size().await?;
        let covered = self.latest_tree_head().await?.map_or(0, |h| h.tree_size);
        if size == 0 || size <= covered {
            return Ok(None);
        }
        if self.ensure_registry_signing_key().await?.is_none() {
            return Err(StoreError::invalid(
                "signing",
                "no registry operator organisation exists to sign the log's tree heads",
            ));
        }
        let passphrase = self.signing_passphrase()?.to_string();
        self.publish_tree_head(&passphrase).await.map(Some)
    }

    /// The most recent head of the largest tree, if any was published. Public.
    pub async fn latest_tree_head(&self) -> Result<Option<SignedTreeHead>, StoreError> {
        let row: Option<HeadRow> = sqlx::query_as(sql!(
            "SELECT {HEAD_COLS} FROM tree_heads ORDER BY tree_size DESC, id DESC LIMIT 1"
        ))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(head_from))
    }

    /// The most recent head published for a tree of `size` entries, if any. Public.
    pub async fn tree_head_at(&self, size: u64) -> Result<Option<SignedTreeHead>, StoreError> {
        let row: Option<HeadRow> = sqlx::query_as(sql!(
            "SELECT {HEAD_COLS} FROM tree_heads WHERE tree_size = $1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(head_from))
    }

    /// Every published head, in the order published. Public.
    pub async fn tree_heads(&self) -> Result<Vec<SignedTreeHead>, StoreError> {
        let rows: Vec<HeadRow> =
            sqlx::query_as(sql!("SELECT {HEAD_COLS} FROM tree_heads ORDER BY id"))
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(head_from).collect())
    }

    /// The RFC 9162 inclusion proof of entry `index` in the tree of the first `size`
    /// entries. Public.
    pub async fn inclusion_proof(
        &self,
        index: u64,
        size: u64,
    ) -> Result<InclusionProof, StoreError> {
        let tree = self.tree_of_size(size).await?;
        let hashes = tree
            .inclusion_proof(index, size)
            .map_err(|e| proof_error("index", e))?;
        Ok(InclusionProof {
            leaf_index: index,
            tree_size: size,
            hashes: hashes.iter().map(|h| to_hex(h)).collect(),
        })
    }

    /// The RFC 9162 consistency proof between the trees of `first` and `second`
    /// entries. Public.
    pub async fn consistency_proof(
        &self,
        first: u64,
        second: u64,
    ) -> Result<ConsistencyProof, StoreError> {
        let tree = self.tree_of_size(second).await?;
        let hashes = tree
            .consistency_proof(first, second)
            .map_err(|e| proof_error("first", e))?;
        Ok(ConsistencyProof {
            first,
            second,
            hashes: hashes.iter().map(|h| to_hex(h)).collect(),
        })
    }

    /// The Merkle tree of the first `size` stored leaf hashes.
    async fn tree_of_size(&self, size: u64) -> Result<MerkleTree, StoreError> {
        let current = self.log_size().await?;
        if size > current {
            return Err(StoreError::Invalid {
                field: "size".into(),
                problem: format!("the log holds {current} entries, not {size}"),
            });
        }
        let size = size as i64;
        let stored: Vec<(i64, String)> =
            sqlx::query_as("SELECT idx, leaf_hash FROM log_entries WHERE idx < $1 ORDER BY idx")
                .bind(size)
                .fetch_all(&self.pool)
                .await?;
        Ok(MerkleTree::from_leaf_hashes(leaf_hashes(stored, size)?))
    }
}

/// Stored `(idx, leaf_hash)` rows as hashes; they must be exactly the indexes
/// `0..size`, each with 64 hex digits.
fn leaf_hashes(stored: Vec<(i64, String)>, size: i64) -> Result<Vec<Hash>, StoreError> {
    if stored.len() as i64 != size {
        return Err(StoreError::Invalid {
            field: "log_entries".into(),
            problem: format!(
                "the log's size is {size} but {} entries are stored below it",
                stored.len()
            ),
        });
    }
    stored
        .into_iter()
        .enumerate()
        .map(|(position, (index, hex))| {
            if index != position as i64 {
                return Err(StoreError::Invalid {
                    field: format!("log_entries[{index}]"),
                    problem: format!("found at position {position}: the log has a gap"),
                });
            }
            hash_from_hex(&hex).ok_or_else(|| StoreError::Invalid {
                field: format!("log_entries[{index}].leaf_hash"),
                problem: format!("'{hex}' is not 64 hex digits"),
            })
        })
        .collect()
}
