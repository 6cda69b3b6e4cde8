//! RFC 9162 §2.1 Merkle tree hashing (the Certificate Transparency tree), with
//! inclusion and consistency proofs.
//!
//! - leaf hash `SHA-256(0x00 || data)`, interior node `SHA-256(0x01 || left || right)`;
//! - the hash of the empty tree is `SHA-256("")`;
//! - a tree of n > 1 leaves splits at k, the largest power of two smaller than n.
//!
//! [`MerkleTree`] keeps the leaf hashes only; roots and proofs are recomputed from
//! them (linear in the tree size, fine for 10^5–10^6 leaves). Verification needs no
//! tree at all: [`verify_inclusion`] and [`verify_consistency`] follow RFC 9162
//! §2.1.3.2 and §2.1.4.2 step by step.

use sha2::{Digest, Sha256};

/// A SHA-256 digest: a leaf hash, an interior node hash or a tree root.
pub type Hash = [u8; 32];

/// What is wrong with a proof request or a proof.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MerkleError {
    #[error("Merkle tree: size {size} asked for, but the tree holds only {len} leaves")]
    SizeBeyondTree { size: u64, len: u64 },
    #[error("Merkle tree: leaf index {index} is not below the tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("consistency proof: the first size {first} is larger than the second size {second}")]
    SizesReversed { first: u64, second: u64 },
    #[error(
        "inclusion proof for leaf {index} in a tree of size {size}: {hashes} hashes is the wrong length for this position"
    )]
    InclusionProofLength {
        index: u64,
        size: u64,
        hashes: usize,
    },
    #[error(
        "inclusion proof for leaf {index} in a tree of size {size}: the computed root does not match the expected root"
    )]
    InclusionRootMismatch { index: u64, size: u64 },
    #[error(
        "consistency proof from size {first} to size {second}: {hashes} hashes is the wrong length for these sizes"
    )]
    ConsistencyProofLength {
        first: u64,
        second: u64,
        hashes: usize,
    },
    #[error(
        "consistency proof from size {first} to size {second}: the proof does not reproduce the root of size {first}"
    )]
    ConsistencyFirstRootMismatch { first: u64, second: u64 },
    #[error(
        "consistency proof from size {first} to size {second}: the proof does not reproduce the root of size {second}"
    )]
    ConsistencySecondRootMismatch { first: u64, second: u64 },
    #[error(
        "consistency proof between two trees of size {size}: the roots differ, so the trees are not the same"
    )]
    SameSizeRootsDiffer { size: u64 },
}

/// `SHA-256(0x00 || data)`.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the empty tree, `SHA-256("")`.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// MTH over leaf hashes, by the RFC 9162 §2.1.1 recursion.
pub fn root_from_leaf_hashes(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split_point(n as u64) as usize;
            node_hash(
                &root_from_leaf_hashes(&leaves[..k]),
                &root_from_leaf_hashes(&leaves[k..]),
            )
        }
    }
}

/// The largest power of two strictly smaller than `n` (n ≥ 2).
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// An append-only Merkle tree holding its leaf hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MerkleTree {
    leaves: Vec<Hash>,
}

impl MerkleTree {
    pub fn new() -> Self {
        Self::default()
    }

    /// A tree over already-computed leaf hashes (e.g. loaded from the store).
    pub fn from_leaf_hashes(leaves: Vec<Hash>) -> Self {
        Self { leaves }
    }

    /// Appends `data` as a leaf and returns its index.
    pub fn push(&mut self, data: &[u8]) -> u64 {
        self.push_leaf_hash(leaf_hash(data))
    }

    /// Appends a precomputed leaf hash and returns its index.
    pub fn push_leaf_hash(&mut self, hash: Hash) -> u64 {
        self.leaves.push(hash);
        self.leaves.len() as u64 - 1
    }

    pub fn len(&self) -> u64 {
        self.leaves.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    pub fn leaf_hashes(&self) -> &[Hash] {
        &self.leaves
    }

    /// The root of the whole tree.
    pub fn root(&self) -> Hash {
        root_from_leaf_hashes(&self.leaves)
    }

    /// The root of the tree as it was when it held `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, MerkleError> {
        Ok(root_from_leaf_hashes(self.prefix(size)?))
    }

    /// PATH(index, D[size]) of RFC 9162 §2.1.3.1, leaf-side first.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, MerkleError> {
        let leaves = self.prefix(size)?;
        if index >= size {
            return Err(MerkleError::IndexOutOfRange { index, size });
        }
        let mut proof = Vec::new();
        path(index as usize, leaves, &mut proof);
        Ok(proof)
    }

    /// PROOF(first, D[second]) of RFC 9162 §2.1.4.1. Empty when `first` is 0 or
    /// equals `second`: there is nothing to prove.
    pub fn consistency_proof(&self, first: u64, second: u64) -> Result<Vec<Hash>, MerkleError> {
        let leaves = self.prefix(second)?;
        if first > second {
            return Err(MerkleError::SizesReversed { first, second });
        }
        let mut proof = Vec::new();
        if first > 0 {
            subproof(first as usize, leaves, true, &mut proof);
        }
        Ok(proof)
    }

    fn prefix(&self, size: u64) -> Result<&[Hash], MerkleError> {
        self.leaves
            .get(..size as usize)
            .ok_or(MerkleError::SizeBeyondTree {
                size,
                len: self.len(),
            })
    }
}

/// Appends PATH(m, D) to `proof` (the proof lists hashes from the leaf up, which
/// is the order of the recursion's tail: sub-path first, then the sibling).
fn path(m: usize, leaves: &[Hash], proof: &mut Vec<Hash>) {
    let n = leaves.len();
    if n <= 1 {
        return;
    }
    let k = split_point(n as u64) as usize;
    if m < k {
        path(m, &leaves[..k], proof);
        proof.push(root_from_leaf_hashes(&leaves[k..]));
    } else {
        path(m - k, &leaves[k..], proof);
        proof.push(root_from_leaf_hashes(&leaves[..k]));
    }
}

/// Appends SUBPROOF(m, D, b) to `proof`.
fn subproof(m: usize, leaves: &[Hash], whole_subtree: bool, proof: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !whole_subtree {
            proof.push(root_from_leaf_hashes(leaves));
        }
        return;
    }
    let k = split_point(n as u64) as usize;
    if m <= k {
        subproof(m, &leaves[..k], whole_subtree, proof);
        proof.push(root_from_leaf_hashes(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, proof);
        proof.push(root_from_leaf_hashes(&leaves[..k]));
    }
}

/// RFC 9162 §2.1.3.2: does `proof` show that the leaf with hash `leaf` sits at
/// `index` in the tree of `size` leaves whose root is `root`?
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), MerkleError> {
    if index >= size {
        return Err(MerkleError::IndexOutOfRange { index, size });
    }
    let length_error = MerkleError::InclusionProofLength {
        index,
        size,
        hashes: proof.len(),
    };
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if snode == 0 {
            return Err(length_error);
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(length_error);
    }
    if &r != root {
        return Err(MerkleError::InclusionRootMismatch { index, size });
    }
    Ok(())
}

/// RFC 9162 §2.1.4.2: does `proof` show that the tree of `first` leaves with root
/// `first_root` is a prefix of the tree of `second` leaves with root `second_root`?
///
/// Equal sizes need an empty proof and equal roots; the empty tree is a prefix of
/// every tree (empty proof).
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &Hash,
    second_root: &Hash,
    proof: &[Hash],
) -> Result<(), MerkleError> {
    let length_error = MerkleError::ConsistencyProofLength {
        first,
        second,
        hashes: proof.len(),
    };
    if first > second {
        return Err(MerkleError::SizesReversed { first, second });
    }
    if first == second {
        if !proof.is_empty() {
            return Err(length_error);
        }
        if first_root != second_root {
            return Err(MerkleError::SameSizeRootsDiffer { size: first });
        }
        return Ok(());
    }
    if first == 0 {
        return if proof.is_empty() {
            Ok(())
        } else {
            Err(length_error)
        };
    }
    // Step 1.
    if proof.is_empty() {
        return Err(length_error);
    }
    // Step 2: a power-of-two first tree is itself a node of the second tree, so
    // the proof omits it and the verifier supplies it.
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(*first_root);
    }
    path.extend_from_slice(proof);
    // Steps 3–4.
    let (mut fnode, mut snode) = (first - 1, second - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    // Step 5.
    let (mut fr, mut sr) = (path[0], path[0]);
    // Step 6.
    for c in &path[1..] {
        if snode == 0 {
            return Err(length_error);
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    // Step 7.
    if snode != 0 {
        return Err(length_error);
    }
    if &fr != first_root {
        return Err(MerkleError::ConsistencyFirstRootMismatch { first, second });
    }
    if &sr != second_root {
        return Err(MerkleError::ConsistencySecondRootMismatch { first, second });
    }
    Ok(())
}

/// Roots of growing prefixes in one pass: keeps the perfect subtrees of the
/// current size (at most log2 n of them), so a verifier can check many tree heads
/// against a long log in O(n + heads · log n) instead of O(n · heads).
#[derive(Debug, Clone, Default)]
pub struct RootAccumulator {
    /// Perfect subtrees, left to right, as (leaf count, hash).
    peaks: Vec<(u64, Hash)>,
    size: u64,
}

impl RootAccumulator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push_leaf_hash(&mut self, leaf: Hash) {
        let mut node = (1u64, leaf);
        while let Some(&(count, left)) = self.peaks.last() {
            if count != node.0 {
                break;
            }
            self.peaks.pop();
            node = (count * 2, node_hash(&left, &node.1));
        }
        self.peaks.push(node);
        self.size += 1;
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The MTH of the leaves pushed so far. The RFC's split at the largest power
    /// of two makes the root the right-to-left fold of the perfect subtrees.
    pub fn root(&self) -> Hash {
        let mut iter = self.peaks.iter().rev();
        match iter.next() {
            None => empty_root(),
            Some(&(_, last)) => iter.fold(last, |acc, (_, left)| node_hash(left, &acc)),
        }
    }
}
