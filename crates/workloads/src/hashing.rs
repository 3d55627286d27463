//! W18, *hashing*: SHA-256 of many 64 KiB blocks, one block per unit. Every unit costs the
//! same, so this is the easy case for every way of splitting work: it shows each model's
//! overhead with nothing to balance.

use sha2::{Digest, Sha256};

use crate::catalogue::{Chapter, Ids, Metric, Unit, Variant, Workload};
use crate::cpu::{self, kernel_metric, ways};
use crate::profile::Profile;
use crate::{WrongAnswer, rng};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W18.
pub const HASHING: Workload = Workload {
    id: "hashing",
    code: "W18",
    title: "hashing",
    what: "SHA-256 of many 64 KiB blocks, a block per unit: CPU-bound work of even cost.",
    chapter: Chapter::Compute,
};
/// W18: wall time (median run).
pub const HASHING_WALL_TIME: Metric = Metric {
    workload: &HASHING,
    id: "wall_time",
    unit: Unit::Ms,
    what: "Wall time of all the blocks (the median run), at each worker count.",
};
/// W18: CPU time the process spent (median run).
pub const HASHING_CPU_TIME: Metric = kernel_metric(&HASHING, 0);
/// W18: speedup over sequential.
pub const HASHING_SPEEDUP: Metric = kernel_metric(&HASHING, 1);
/// W18: speedup per worker.
pub const HASHING_EFFICIENCY: Metric = kernel_metric(&HASHING, 2);
/// W18: the ways, in [`crate::cpu::WAY_IDS`] order.
pub const HASHING_WAYS: [Variant; 6] = ways(&HASHING);

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &HASHING,
    metrics: &[&HASHING_WALL_TIME, &HASHING_CPU_TIME, &HASHING_SPEEDUP, &HASHING_EFFICIENCY],
    variants: &[
        &HASHING_WAYS[0],
        &HASHING_WAYS[1],
        &HASHING_WAYS[2],
        &HASHING_WAYS[3],
        &HASHING_WAYS[4],
        &HASHING_WAYS[5],
    ],
    roles: &[],
};

/// What it declares: every way of the model at every worker count.
pub const DECLARED: cpu::Declared =
    cpu::Declared { ids: &IDS, ways: &HASHING_WAYS, figures: &[&HASHING_WALL_TIME, &HASHING_SPEEDUP] };

/// Bytes per block.
pub const BLOCK_LEN: usize = 64 * 1024;

/// How many blocks in `profile`.
pub fn block_count(profile: Profile) -> usize {
    match profile {
        Profile::Full => 2_048,
        Profile::Quick => 512,
        Profile::Smoke | Profile::Test => 16,
    }
}

/// The size of `count` blocks as people read it, e.g. "2 048 blocks of 64 KiB (128 MiB)".
pub fn label(count: usize) -> String {
    format!(
        "{} blocks of 64 KiB ({} MiB)",
        crate::text::group_thousands(count as u64),
        (count * BLOCK_LEN) >> 20
    )
}

/// The data: `count` blocks of seeded bytes, in one buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocks {
    data: Vec<u8>,
}

impl Blocks {
    /// `count` blocks of [`BLOCK_LEN`] seeded bytes.
    pub fn new(count: usize) -> Self {
        let data =
            (0..(count * BLOCK_LEN / 8) as u64).flat_map(|i| rng::input(i ^ 0x4a54).to_le_bytes()).collect();
        Blocks { data }
    }

    /// How many blocks.
    pub fn count(&self) -> usize {
        self.data.len() / BLOCK_LEN
    }

    /// The size as people read it ([`label`]).
    pub fn label(&self) -> String {
        label(self.count())
    }

    /// Block `i`'s bytes: what a worker that shares no memory with the caller must be sent.
    pub fn block(&self, i: usize) -> &[u8] {
        &self.data[i * BLOCK_LEN..(i + 1) * BLOCK_LEN]
    }

    /// Block `i`'s share of the checksum ([`hash_block`] of its bytes). This is the unit of
    /// work every model runs.
    pub fn hash(&self, i: usize) -> u64 {
        hash_block(i, self.block(i))
    }

    /// Every block's share, summed one after another: the expected answer.
    pub fn expected(&self) -> u64 {
        (0..self.count()).fold(0u64, |sum, i| sum.wrapping_add(self.hash(i)))
    }
}

/// The share of the checksum of block `i`, whose bytes are `bytes`: the first 8 bytes of
/// their SHA-256, mixed with `i` so that a block hashed twice, or under the wrong index,
/// changes the answer. [`Blocks::hash`] is this; a worker process that was sent a block's
/// bytes calls it directly.
pub fn hash_block(i: usize, bytes: &[u8]) -> u64 {
    let digest = Sha256::digest(bytes);
    let head = u64::from_le_bytes(digest[..8].try_into().expect("a SHA-256 has 32 bytes"));
    head.wrapping_mul(rng::mix(i as u64) | 1)
}

/// Checks a run's checksum (the wrapping sum of every [`Blocks::hash`]) against
/// [`Blocks::expected`].
pub fn check(want: u64, got: u64) -> Result<(), WrongAnswer> {
    crate::compare(HASHING.id, &want, &got)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash is SHA-256: the empty-prefix check against a known digest, and blocks differ.
    #[test]
    fn hashes_are_sha256_and_distinct() {
        let digest = Sha256::digest(b"abc");
        assert_eq!(digest[0], 0xba);
        assert_eq!(digest[31], 0xad);
        let blocks = Blocks::new(4);
        assert_eq!(blocks.count(), 4);
        assert_ne!(blocks.hash(0), blocks.hash(1));
    }

    /// A missing block changes the checksum.
    #[test]
    fn check_catches_a_missing_block() {
        let blocks = Blocks::new(block_count(Profile::Test));
        let want = blocks.expected();
        let missing = (1..blocks.count()).fold(0u64, |s, i| s.wrapping_add(blocks.hash(i)));
        assert!(check(want, missing).is_err());
        assert!(check(want, want).is_ok());
    }
}
