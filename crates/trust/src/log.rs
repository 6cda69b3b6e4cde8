//! The transparency log: every certificate state change, issued label and benchmark
//! publication, appended to an RFC 9162 Merkle tree, with signed tree heads and
//! proofs. In memory and storage-agnostic: the store persists [`LogEntry`] rows and
//! [`SignedTreeHead`]s and rebuilds a [`TransparencyLog`] from them.
//!
//! Formats (see `docs/transparency-log.md`):
//! - an entry is `{"index", "kind", "subject", "timestamp", "body"}`, `timestamp` in
//!   Unix seconds (UTC); its Merkle leaf data is the entry's RFC 8785 canonical JSON,
//!   so the index is inside the leaf and a moved entry changes the root;
//! - a tree head signs the canonical JSON of `{"root_hash", "timestamp",
//!   "tree_size"}`, `root_hash` in lowercase hex, with the head's timestamp taken as
//!   the signing time for the key-validity check;
//! - proofs carry their hashes in lowercase hex, leaf side first.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::fmt;

use crate::canonical::{CanonicalError, to_canonical_bytes, to_canonical_json_of};
use crate::keys::{ALGORITHM, KeyId, KeyRing, SigningKeyPair, UnixSeconds, VerifyError};
use crate::merkle::{self, Hash, MerkleError, MerkleTree, RootAccumulator};

/// What a log entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    CertificateIssued,
    CertificateSuspended,
    CertificateReinstated,
    CertificateWithdrawn,
    CertificateExpired,
    LabelIssued,
    BenchmarkPublished,
}

/// One log entry. `subject` is the certificate, label or benchmark id; `body` is what
/// the entry records (docs/transparency-log.md, "Entry bodies": a certificate's change,
/// a label with its signature, a benchmark).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub index: u64,
    pub kind: EntryKind,
    pub subject: String,
    pub timestamp: UnixSeconds,
    pub body: Value,
}

impl LogEntry {
    /// The Merkle leaf data: the entry's canonical JSON.
    pub fn leaf_data(&self) -> Result<Vec<u8>, LogError> {
        to_canonical_json_of(self)
            .map(String::into_bytes)
            .map_err(|source| LogError::EntryNotCanonical {
                index: self.index,
                source,
            })
    }

    pub fn leaf_hash(&self) -> Result<Hash, LogError> {
        Ok(merkle::leaf_hash(&self.leaf_data()?))
    }
}

/// A signed tree head: the log operator's signed statement that the log held
/// `tree_size` entries with root `root_hash` at `timestamp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTreeHead {
    pub tree_size: u64,
    pub timestamp: UnixSeconds,
    /// 32 bytes, lowercase hex.
    pub root_hash: String,
    pub key_id: KeyId,
    /// Ed25519 over the canonical JSON of `{root_hash, timestamp, tree_size}`,
    /// base64url without padding.
    pub signature: String,
}

impl SignedTreeHead {
    /// The bytes the signature is over.
    pub fn signed_bytes(&self) -> Result<Vec<u8>, CanonicalError> {
        head_signing_input(self.tree_size, self.timestamp, &self.root_hash)
    }

    /// The root hash as bytes.
    pub fn root(&self) -> Result<Hash, LogError> {
        parse_hash(&self.root_hash).ok_or_else(|| LogError::MalformedRootHash {
            head: HeadRef::of(self),
        })
    }
}

fn head_signing_input(
    tree_size: u64,
    timestamp: UnixSeconds,
    root_hash: &str,
) -> Result<Vec<u8>, CanonicalError> {
    to_canonical_bytes(&json!({
        "tree_size": tree_size,
        "timestamp": timestamp,
        "root_hash": root_hash,
    }))
}

/// Names a tree head in error messages: size, time and root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadRef {
    pub tree_size: u64,
    pub timestamp: UnixSeconds,
    pub root_hash: String,
}

impl HeadRef {
    pub fn of(head: &SignedTreeHead) -> Self {
        Self {
            tree_size: head.tree_size,
            timestamp: head.timestamp,
            root_hash: head.root_hash.clone(),
        }
    }
}

impl fmt::Display for HeadRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "tree head of size {} at {} (root {})",
            self.tree_size, self.timestamp, self.root_hash
        )
    }
}

/// Where a head's mismatch lies: a single entry when the heads pin it down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suspect {
    Entry(u64),
    /// Entries `from..to` (half-open): the last matching head had size `from`.
    Range {
        from: u64,
        to: u64,
    },
}

impl fmt::Display for Suspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Suspect::Entry(i) => write!(f, "entry {i} was altered"),
            Suspect::Range { from, to } => write!(
                f,
                "an entry with index from {from} to {} was altered, inserted or removed",
                to - 1
            ),
        }
    }
}

/// An inclusion proof as served: `hashes` in hex, leaf side first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    pub leaf_index: u64,
    pub tree_size: u64,
    pub hashes: Vec<String>,
}

/// A consistency proof as served: `hashes` in hex, in RFC 9162 order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    pub first: u64,
    pub second: u64,
    pub hashes: Vec<String>,
}

/// What a verification of a log copy established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedLog {
    pub entries: u64,
    pub heads_checked: usize,
    /// The largest verified head, if any head was given.
    pub latest_head: Option<SignedTreeHead>,
}

/// Why a log, head or proof is not what it claims. Every message names the entry
/// or head concerned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LogError {
    #[error("log copy: entry at position {position} has index {index}")]
    EntryOutOfOrder { position: u64, index: u64 },
    #[error("log entry {index}: {source}")]
    EntryNotCanonical { index: u64, source: CanonicalError },
    #[error("{head}: the signature does not verify: {source}")]
    HeadSignature { head: HeadRef, source: VerifyError },
    #[error("{head}: the root hash is not 64 hex digits")]
    MalformedRootHash { head: HeadRef },
    #[error("{head}: the log copy holds only {entries} entries")]
    HeadBeyondLog { head: HeadRef, entries: u64 },
    #[error("{head} does not match the entries: {suspect}")]
    HeadRootMismatch { head: HeadRef, suspect: Suspect },
    #[error("forked log: {first} and {second} have the same size but different roots")]
    ForkedHeads { first: HeadRef, second: HeadRef },
    #[error("forked log: {older} and {newer} are not consistent: {source}")]
    InconsistentHeads {
        older: HeadRef,
        newer: HeadRef,
        source: MerkleError,
    },
    #[error("inclusion of entry {index} in {head}: {reason}")]
    NotIncluded {
        index: u64,
        head: HeadRef,
        reason: String,
    },
    #[error("proof: hash {position} is not 64 hex digits")]
    MalformedProofHash { position: usize },
    #[error("transparency log: {0}")]
    Tree(#[from] MerkleError),
    #[error("signing a tree head: {0}")]
    Sign(CanonicalError),
    #[error("appending to the log: entry index {index} given, but the next index is {next}")]
    AppendOutOfOrder { index: u64, next: u64 },
}

/// The log: entries plus their Merkle tree.
#[derive(Debug, Clone, Default)]
pub struct TransparencyLog {
    entries: Vec<LogEntry>,
    tree: MerkleTree,
}

impl TransparencyLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Rebuilds a log from stored entries; their indexes must be 0, 1, 2, …
    pub fn from_entries(entries: Vec<LogEntry>) -> Result<Self, LogError> {
        let mut log = Self::new();
        for entry in entries {
            log.push(entry)?;
        }
        Ok(log)
    }

    /// Appends a new entry with the next index and returns it.
    pub fn append(
        &mut self,
        kind: EntryKind,
        subject: impl Into<String>,
        timestamp: UnixSeconds,
        body: Value,
    ) -> Result<&LogEntry, LogError> {
        let entry = LogEntry {
            index: self.len(),
            kind,
            subject: subject.into(),
            timestamp,
            body,
        };
        self.push(entry)?;
        Ok(&self.entries[self.entries.len() - 1])
    }

    /// Appends a complete entry; its index must be the next one.
    pub fn push(&mut self, entry: LogEntry) -> Result<(), LogError> {
        if entry.index != self.len() {
            return Err(LogError::AppendOutOfOrder {
                index: entry.index,
                next: self.len(),
            });
        }
        // Hash before storing, so a non-canonical body leaves the log unchanged.
        let hash = entry.leaf_hash()?;
        self.tree.push_leaf_hash(hash);
        self.entries.push(entry);
        Ok(())
    }

    pub fn len(&self) -> u64 {
        self.entries.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[LogEntry] {
        &self.entries
    }

    /// Entries with index in `start..end` (clamped to the log).
    pub fn entries_range(&self, start: u64, end: u64) -> &[LogEntry] {
        let end = end.min(self.len()) as usize;
        let start = (start as usize).min(end);
        &self.entries[start..end]
    }

    pub fn root(&self, size: u64) -> Result<Hash, LogError> {
        Ok(self.tree.root_at(size)?)
    }

    /// Signs the head of the whole log at `timestamp`.
    pub fn sth(
        &self,
        key: &SigningKeyPair,
        timestamp: UnixSeconds,
    ) -> Result<SignedTreeHead, LogError> {
        self.sth_at_size(key, self.len(), timestamp)
    }

    /// Signs the head of the log as it was at `tree_size` entries.
    pub fn sth_at_size(
        &self,
        key: &SigningKeyPair,
        tree_size: u64,
        timestamp: UnixSeconds,
    ) -> Result<SignedTreeHead, LogError> {
        let root_hash = hex::encode(self.root(tree_size)?);
        sign_tree_head(key, tree_size, timestamp, root_hash)
    }

    pub fn inclusion_proof(&self, index: u64, tree_size: u64) -> Result<InclusionProof, LogError> {
        let hashes = self.tree.inclusion_proof(index, tree_size)?;
        Ok(InclusionProof {
            leaf_index: index,
            tree_size,
            hashes: hashes.iter().map(hex::encode).collect(),
        })
    }

    pub fn consistency_proof(&self, first: u64, second: u64) -> Result<ConsistencyProof, LogError> {
        let hashes = self.tree.consistency_proof(first, second)?;
        Ok(ConsistencyProof {
            first,
            second,
            hashes: hashes.iter().map(hex::encode).collect(),
        })
    }
}

/// Signs `{tree_size, timestamp, root_hash}` with `key`. Public so that tests and
/// tools can produce heads for arbitrary roots (a log operator never needs to).
pub fn sign_tree_head(
    key: &SigningKeyPair,
    tree_size: u64,
    timestamp: UnixSeconds,
    root_hash: String,
) -> Result<SignedTreeHead, LogError> {
    let message = head_signing_input(tree_size, timestamp, &root_hash).map_err(LogError::Sign)?;
    Ok(SignedTreeHead {
        tree_size,
        timestamp,
        root_hash,
        key_id: key.key_id().clone(),
        signature: URL_SAFE_NO_PAD.encode(key.sign_bytes(&message)),
    })
}

/// Checks a head's signature against the published keys (key valid at the head's
/// timestamp). Pass the log operator's keys only ([`KeyRing::owned_by`]), or any
/// published key — a certification body's too — could sign a head.
pub fn verify_head(head: &SignedTreeHead, keys: &KeyRing) -> Result<(), LogError> {
    let signature_error = |source| LogError::HeadSignature {
        head: HeadRef::of(head),
        source,
    };
    let message = head.signed_bytes().map_err(|source| {
        signature_error(VerifyError::Canonical {
            key_id: head.key_id.clone(),
            source,
        })
    })?;
    keys.verify_bytes(
        &head.key_id,
        ALGORITHM,
        head.timestamp,
        &message,
        &head.signature,
    )
    .map_err(signature_error)?;
    head.root()?;
    Ok(())
}

/// Verifies a complete copy of the log (`entries` in order) and its signed heads:
///
/// 1. entry `p` has index `p`;
/// 2. every head is signed by a published key valid at its timestamp;
/// 3. no two heads of the same size disagree (a fork);
/// 4. every head's root equals the root of the first `tree_size` entries — the
///    first head that does not is named, with the entry (or range) that changed.
///
/// `keys` should hold the log operator's keys only (see [`verify_head`]).
pub fn verify_log_copy(
    entries: &[LogEntry],
    heads: &[SignedTreeHead],
    keys: &KeyRing,
) -> Result<VerifiedLog, LogError> {
    for (position, entry) in entries.iter().enumerate() {
        if entry.index != position as u64 {
            return Err(LogError::EntryOutOfOrder {
                position: position as u64,
                index: entry.index,
            });
        }
    }
    for head in heads {
        verify_head(head, keys)?;
    }
    let mut sorted: Vec<&SignedTreeHead> = heads.iter().collect();
    sorted.sort_by_key(|h| (h.tree_size, h.timestamp));
    for pair in sorted.windows(2) {
        if pair[0].tree_size == pair[1].tree_size && pair[0].root_hash != pair[1].root_hash {
            return Err(LogError::ForkedHeads {
                first: HeadRef::of(pair[0]),
                second: HeadRef::of(pair[1]),
            });
        }
    }
    let total = entries.len() as u64;
    if let Some(head) = sorted.iter().find(|h| h.tree_size > total) {
        return Err(LogError::HeadBeyondLog {
            head: HeadRef::of(head),
            entries: total,
        });
    }
    // One pass over the entries, reading off the root at each head's size.
    let mut acc = RootAccumulator::new();
    let mut entries_iter = entries.iter();
    let mut last_matching_size = 0u64;
    for head in &sorted {
        while acc.size() < head.tree_size {
            let Some(entry) = entries_iter.next() else {
                break;
            };
            acc.push_leaf_hash(entry.leaf_hash()?);
        }
        if acc.root() != head.root()? {
            let suspect = if head.tree_size == last_matching_size + 1 {
                Suspect::Entry(last_matching_size)
            } else {
                Suspect::Range {
                    from: last_matching_size,
                    to: head.tree_size,
                }
            };
            return Err(LogError::HeadRootMismatch {
                head: HeadRef::of(head),
                suspect,
            });
        }
        last_matching_size = head.tree_size;
    }
    Ok(VerifiedLog {
        entries: total,
        heads_checked: heads.len(),
        latest_head: sorted.last().map(|h| (*h).clone()),
    })
}

/// For a remote client: does `proof` place `entry` in the tree of `head`?
/// The head's signature is checked separately with [`verify_head`].
pub fn verify_inclusion(
    entry: &LogEntry,
    proof: &InclusionProof,
    head: &SignedTreeHead,
) -> Result<(), LogError> {
    let not_included = |reason: String| LogError::NotIncluded {
        index: entry.index,
        head: HeadRef::of(head),
        reason,
    };
    if proof.leaf_index != entry.index {
        return Err(not_included(format!(
            "the proof is for index {}",
            proof.leaf_index
        )));
    }
    if proof.tree_size != head.tree_size {
        return Err(not_included(format!(
            "the proof is for tree size {}",
            proof.tree_size
        )));
    }
    let hashes = parse_hashes(&proof.hashes)?;
    merkle::verify_inclusion(
        &entry.leaf_hash()?,
        entry.index,
        head.tree_size,
        &hashes,
        &head.root()?,
    )
    .map_err(|e| not_included(e.to_string()))
}

/// For a remote client: is `newer` an append-only extension of `older`?
/// Signatures are checked separately with [`verify_head`].
pub fn verify_consistency(
    older: &SignedTreeHead,
    newer: &SignedTreeHead,
    proof: &ConsistencyProof,
) -> Result<(), LogError> {
    let inconsistent = |source| LogError::InconsistentHeads {
        older: HeadRef::of(older),
        newer: HeadRef::of(newer),
        source,
    };
    if proof.first != older.tree_size || proof.second != newer.tree_size {
        return Err(inconsistent(MerkleError::ConsistencyProofLength {
            first: proof.first,
            second: proof.second,
            hashes: proof.hashes.len(),
        }));
    }
    if older.tree_size == newer.tree_size && older.root_hash != newer.root_hash {
        return Err(LogError::ForkedHeads {
            first: HeadRef::of(older),
            second: HeadRef::of(newer),
        });
    }
    let hashes = parse_hashes(&proof.hashes)?;
    merkle::verify_consistency(
        older.tree_size,
        newer.tree_size,
        &older.root()?,
        &newer.root()?,
        &hashes,
    )
    .map_err(inconsistent)
}

fn parse_hash(text: &str) -> Option<Hash> {
    hex::decode(text).ok()?.try_into().ok()
}

fn parse_hashes(texts: &[String]) -> Result<Vec<Hash>, LogError> {
    texts
        .iter()
        .enumerate()
        .map(|(position, t)| parse_hash(t).ok_or(LogError::MalformedProofHash { position }))
        .collect()
}
