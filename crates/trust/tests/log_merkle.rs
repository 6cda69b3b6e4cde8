//! RFC 9162 Merkle tree: known answers, hand-built trees, and every inclusion and
//! consistency proof up to 64 leaves, each also corrupted and refused.

use sha2::{Digest, Sha256};
use zuji_trust::merkle::{
    Hash, MerkleError, MerkleTree, RootAccumulator, empty_root, leaf_hash, root_from_leaf_hashes,
    verify_consistency, verify_inclusion,
};

fn h(hex_text: &str) -> Hash {
    hex::decode(hex_text).unwrap().try_into().unwrap()
}

// Independent reference hashing, written from RFC 9162 §2.1.1 without the crate.
fn ref_leaf(data: &[u8]) -> Hash {
    let mut d = Sha256::new();
    d.update([0u8]);
    d.update(data);
    d.finalize().into()
}

fn ref_node(l: &Hash, r: &Hash) -> Hash {
    let mut d = Sha256::new();
    d.update([1u8]);
    d.update(l);
    d.update(r);
    d.finalize().into()
}

fn ref_mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest(b"").into(),
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            ref_node(&ref_mth(&leaves[..k]), &ref_mth(&leaves[k..]))
        }
    }
}

/// Leaf inputs of the Certificate Transparency test tree, from
/// transparency-dev/merkle `testonly/constants.go` (`LeafInputs`).
fn ct_leaves() -> Vec<Vec<u8>> {
    [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    .iter()
    .map(|s| hex::decode(s).unwrap())
    .collect()
}

/// Roots for sizes 0..=8, from transparency-dev/merkle `testonly/constants.go`
/// (`RootHashes`, the RFC 6962 hashing that RFC 9162 keeps).
const CT_ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// Leaf hashes (level 0 of `NodeHashes` in the same file).
const CT_LEAF_HASHES: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
];

fn ct_tree(size: usize) -> MerkleTree {
    let mut tree = MerkleTree::new();
    for data in ct_leaves().iter().take(size) {
        tree.push(data);
    }
    tree
}

#[test]
fn certificate_transparency_leaf_hashes_and_roots() {
    assert_eq!(empty_root(), h(CT_ROOTS[0]));
    assert_eq!(MerkleTree::new().root(), h(CT_ROOTS[0]));
    for (data, expected) in ct_leaves().iter().zip(CT_LEAF_HASHES) {
        assert_eq!(leaf_hash(data), h(expected));
    }
    let tree = ct_tree(8);
    for (size, expected) in CT_ROOTS.iter().enumerate() {
        assert_eq!(
            tree.root_at(size as u64).unwrap(),
            h(expected),
            "size {size}"
        );
        assert_eq!(ct_tree(size).root(), h(expected), "size {size}");
        let mut acc = RootAccumulator::new();
        for data in ct_leaves().iter().take(size) {
            acc.push_leaf_hash(leaf_hash(data));
        }
        assert_eq!(acc.root(), h(expected), "accumulator, size {size}");
    }
}

/// Trees of 1–8 leaves written out node by node (RFC 9162 §2.1.1 splits at the
/// largest power of two below n).
#[test]
fn hand_built_trees_of_one_to_eight_leaves() {
    let l: Vec<Hash> = ct_leaves().iter().map(|d| ref_leaf(d)).collect();
    let n = ref_node;
    let n01 = n(&l[0], &l[1]);
    let n23 = n(&l[2], &l[3]);
    let n45 = n(&l[4], &l[5]);
    let n67 = n(&l[6], &l[7]);
    let n0123 = n(&n01, &n23);
    let expected: [Hash; 8] = [
        l[0],
        n01,
        n(&n01, &l[2]),
        n0123,
        n(&n0123, &l[4]),
        n(&n0123, &n45),
        n(&n0123, &n(&n45, &l[6])),
        n(&n0123, &n(&n45, &n67)),
    ];
    for (i, root) in expected.iter().enumerate() {
        let size = i + 1;
        assert_eq!(ct_tree(size).root(), *root, "size {size}");
        assert_eq!(*root, h(CT_ROOTS[size]), "hand-built size {size}");
    }
}

/// Inclusion proofs from transparency-dev/merkle's proof test vectors
/// (`inclusionProofs`: 1-based leaf number, tree size, path).
#[test]
fn known_inclusion_proofs() {
    let vectors: [(u64, u64, &[&str]); 4] = [
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            3,
            &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
        ),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];
    let tree = ct_tree(8);
    for (index, size, path) in vectors {
        let expected: Vec<Hash> = path.iter().map(|p| h(p)).collect();
        assert_eq!(tree.inclusion_proof(index, size).unwrap(), expected);
        let leaf = h(CT_LEAF_HASHES[index as usize]);
        verify_inclusion(&leaf, index, size, &expected, &h(CT_ROOTS[size as usize])).unwrap();
    }
    // Single leaf: empty proof.
    assert!(tree.inclusion_proof(0, 1).unwrap().is_empty());
}

/// Consistency proofs from transparency-dev/merkle's proof test vectors
/// (`consistencyProofs`).
#[test]
fn known_consistency_proofs() {
    let vectors: [(u64, u64, &[&str]); 4] = [
        (
            1,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            6,
            8,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (
            2,
            5,
            &[
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
        (
            6,
            7,
            &[
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
    ];
    let tree = ct_tree(8);
    for (first, second, path) in vectors {
        let expected: Vec<Hash> = path.iter().map(|p| h(p)).collect();
        assert_eq!(tree.consistency_proof(first, second).unwrap(), expected);
        verify_consistency(
            first,
            second,
            &h(CT_ROOTS[first as usize]),
            &h(CT_ROOTS[second as usize]),
            &expected,
        )
        .unwrap();
    }
    assert!(tree.consistency_proof(1, 1).unwrap().is_empty());
}

fn flipped(proof: &[Hash], element: usize, bit: usize) -> Vec<Hash> {
    let mut p = proof.to_vec();
    p[element][bit / 8] ^= 1 << (bit % 8);
    p
}

fn numbered_tree(size: usize) -> (MerkleTree, Vec<Hash>) {
    let mut tree = MerkleTree::new();
    let mut leaves = Vec::new();
    for i in 0..size {
        let data = format!("leaf {i}");
        tree.push(data.as_bytes());
        leaves.push(ref_leaf(data.as_bytes()));
    }
    (tree, leaves)
}

#[test]
fn every_inclusion_proof_up_to_64_verifies_and_every_corruption_fails() {
    let (tree, leaves) = numbered_tree(64);
    let roots: Vec<Hash> = (0..=64).map(|n| ref_mth(&leaves[..n])).collect();
    for size in 1..=64u64 {
        assert_eq!(tree.root_at(size).unwrap(), roots[size as usize]);
        let root = roots[size as usize];
        for index in 0..size {
            let leaf = leaves[index as usize];
            let proof = tree.inclusion_proof(index, size).unwrap();
            verify_inclusion(&leaf, index, size, &proof, &root)
                .unwrap_or_else(|e| panic!("index {index} size {size}: {e}"));
            // A bit flipped anywhere in the proof (first, middle and last bit of each hash).
            for element in 0..proof.len() {
                for bit in [0, 131, 255] {
                    let bad = flipped(&proof, element, bit);
                    assert!(
                        verify_inclusion(&leaf, index, size, &bad, &root).is_err(),
                        "flip {element}/{bit} at index {index} size {size}"
                    );
                }
            }
            // Another size claimed, checked against that size's root (what a
            // client would take from the head it believes in).
            for other in [size - 1, size + 1, size * 2] {
                if (1..=64).contains(&other) && other != size {
                    assert!(
                        verify_inclusion(&leaf, index, other, &proof, &roots[other as usize])
                            .is_err(),
                        "size {other} claimed for index {index} size {size}"
                    );
                }
            }
            // Another index claimed.
            for other in [index.wrapping_sub(1), index + 1, index ^ 2] {
                if other < size && other != index {
                    assert!(
                        verify_inclusion(&leaf, other, size, &proof, &root).is_err(),
                        "index {other} claimed for index {index} size {size}"
                    );
                }
            }
            // Wrong leaf, truncated or extended proof.
            assert!(verify_inclusion(&ref_leaf(b"other"), index, size, &proof, &root).is_err());
            if let Some((_, shorter)) = proof.split_last() {
                assert!(verify_inclusion(&leaf, index, size, shorter, &root).is_err());
            }
            let mut longer = proof.clone();
            longer.push(root);
            assert!(verify_inclusion(&leaf, index, size, &longer, &root).is_err());
        }
        assert_eq!(
            tree.inclusion_proof(size, size),
            Err(MerkleError::IndexOutOfRange { index: size, size })
        );
    }
}

#[test]
fn every_consistency_proof_up_to_64_verifies_and_every_corruption_fails() {
    let (tree, leaves) = numbered_tree(64);
    let roots: Vec<Hash> = (0..=64).map(|n| ref_mth(&leaves[..n])).collect();
    for second in 1..=64u64 {
        for first in 1..=second {
            let (r1, r2) = (roots[first as usize], roots[second as usize]);
            let proof = tree.consistency_proof(first, second).unwrap();
            verify_consistency(first, second, &r1, &r2, &proof)
                .unwrap_or_else(|e| panic!("{first} -> {second}: {e}"));
            for element in 0..proof.len() {
                for bit in [0, 131, 255] {
                    let bad = flipped(&proof, element, bit);
                    assert!(
                        verify_consistency(first, second, &r1, &r2, &bad).is_err(),
                        "flip {element}/{bit} for {first} -> {second}"
                    );
                }
            }
            // Other sizes claimed, each with its own true root.
            for (f, s) in [
                (first - 1, second),
                (first + 1, second),
                (first, second - 1),
                (first, second + 1),
            ] {
                if f >= 1 && f <= s && s <= 64 && (f, s) != (first, second) {
                    assert!(
                        verify_consistency(f, s, &roots[f as usize], &roots[s as usize], &proof)
                            .is_err(),
                        "({f}, {s}) claimed for {first} -> {second}"
                    );
                }
            }
            // Wrong roots.
            if first < second {
                assert!(verify_consistency(first, second, &r2, &r1, &proof).is_err());
                assert!(verify_consistency(first, second, &r1, &roots[0], &proof).is_err());
                assert!(verify_consistency(first, second, &r1, &r2, &[]).is_err());
            } else {
                assert_eq!(
                    verify_consistency(first, second, &r1, &roots[0], &proof),
                    Err(MerkleError::SameSizeRootsDiffer { size: first })
                );
            }
        }
    }
    assert_eq!(
        tree.consistency_proof(5, 4),
        Err(MerkleError::SizesReversed {
            first: 5,
            second: 4
        })
    );
    assert_eq!(
        tree.consistency_proof(1, 65),
        Err(MerkleError::SizeBeyondTree { size: 65, len: 64 })
    );
}

#[test]
fn accumulator_matches_reference_for_every_size() {
    let (_, leaves) = numbered_tree(64);
    let mut acc = RootAccumulator::new();
    assert_eq!(acc.root(), ref_mth(&[]));
    for (i, leaf) in leaves.iter().enumerate() {
        acc.push_leaf_hash(*leaf);
        assert_eq!(acc.root(), ref_mth(&leaves[..=i]), "size {}", i + 1);
        assert_eq!(root_from_leaf_hashes(&leaves[..=i]), ref_mth(&leaves[..=i]));
    }
}

#[test]
fn a_hundred_thousand_leaves() {
    let leaves: Vec<Hash> = (0..100_000u32)
        .map(|i| ref_leaf(&i.to_be_bytes()))
        .collect();
    let tree = MerkleTree::from_leaf_hashes(leaves.clone());
    let root = tree.root();
    assert_eq!(root, ref_mth(&leaves));
    let proof = tree.inclusion_proof(77_777, 100_000).unwrap();
    assert_eq!(proof.len(), 17);
    verify_inclusion(&leaves[77_777], 77_777, 100_000, &proof, &root).unwrap();
    let consistency = tree.consistency_proof(65_537, 100_000).unwrap();
    let old_root = tree.root_at(65_537).unwrap();
    verify_consistency(65_537, 100_000, &old_root, &root, &consistency).unwrap();
}
