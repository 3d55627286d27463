//! W17, *merge sort* (divide and conquer): sort seeded `u64`s. The input is cut into
//! [`LEAVES`] leaves (fewer for threads with static chunks: one per worker); each leaf is
//! sorted with the one sequential [`merge_sort`], and neighbouring sorted runs are then
//! [`merge`]d in pairs, level by level, until one run is left. The total work is the same
//! as the sequential sort's (a merge sort is merges all the way down); only the last levels
//! have fewer merges than workers, which bounds the speedup (Amdahl).

use crate::catalogue::{Chapter, Ids, Metric, Unit, Variant, Workload};
use crate::cpu::{self, kernel_metric, ways};
use crate::profile::Profile;
use crate::{WrongAnswer, rng};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W17.
pub const MERGE_SORT: Workload = Workload {
    id: "merge_sort",
    code: "W17",
    title: "merge sort",
    what: "A merge sort of seeded 64-bit numbers: divide and conquer, leaves then merges.",
    chapter: Chapter::Compute,
};
/// W17: wall time (median run).
pub const MERGE_SORT_WALL_TIME: Metric = Metric {
    workload: &MERGE_SORT,
    id: "wall_time",
    unit: Unit::Ms,
    what: "Wall time of the whole sort (the median run), at each worker count.",
};
/// W17: CPU time the process spent (median run).
pub const MERGE_SORT_CPU_TIME: Metric = kernel_metric(&MERGE_SORT, 0);
/// W17: speedup over sequential.
pub const MERGE_SORT_SPEEDUP: Metric = kernel_metric(&MERGE_SORT, 1);
/// W17: speedup per worker.
pub const MERGE_SORT_EFFICIENCY: Metric = kernel_metric(&MERGE_SORT, 2);
/// W17: the ways, in [`crate::cpu::WAY_IDS`] order.
pub const MERGE_SORT_WAYS: [Variant; 6] = ways(&MERGE_SORT);

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &MERGE_SORT,
    metrics: &[&MERGE_SORT_WALL_TIME, &MERGE_SORT_CPU_TIME, &MERGE_SORT_SPEEDUP, &MERGE_SORT_EFFICIENCY],
    variants: &[
        &MERGE_SORT_WAYS[0],
        &MERGE_SORT_WAYS[1],
        &MERGE_SORT_WAYS[2],
        &MERGE_SORT_WAYS[3],
        &MERGE_SORT_WAYS[4],
        &MERGE_SORT_WAYS[5],
    ],
    roles: &[],
};

/// What it declares: every way of the model at every worker count.
pub const DECLARED: cpu::Declared = cpu::Declared {
    ids: &IDS,
    ways: &MERGE_SORT_WAYS,
    figures: &[&MERGE_SORT_WALL_TIME, &MERGE_SORT_SPEEDUP],
};

/// How many leaves a parallel sort cuts its input into (at most; fewer if the input is
/// shorter). Many more than workers, so that a queue or a thief can balance them.
pub const LEAVES: usize = 64;

/// Runs shorter than this are sorted by insertion before merging starts.
const SMALL: usize = 32;

/// How many numbers the sort has in `profile`. A full run's 5 000 000 (40 MB of `u64`, far
/// beyond any cache, so the sort is as bound by memory as at 10 000 000) take about half a
/// second in sequence, and a round of the kernel's 26 runs 16 s where 10 000 000 took 30 s.
/// The speedups stay in the same band: on 2 cores, ×1.45 to ×1.65 for the threaded ways at
/// 5 000 000, ×1.34 to ×1.63 at 10 000 000.
pub fn len(profile: Profile) -> usize {
    match profile {
        Profile::Full => 5_000_000,
        Profile::Quick => 2_000_000,
        Profile::Smoke | Profile::Test => 20_000,
    }
}

/// The size as people read it, e.g. "10 000 000 numbers".
pub fn label(len: usize) -> String {
    format!("{} numbers", crate::text::group_thousands(len as u64))
}

/// The seeded input of `len` numbers.
pub fn input(len: usize) -> Vec<u64> {
    (0..len as u64).map(|i| rng::input(i ^ 0x5047)).collect()
}

/// The range of leaf `i` of `count` over `len` numbers: `count` contiguous ranges, as even
/// as whole numbers allow, in order.
pub fn leaf(len: usize, count: usize, i: usize) -> std::ops::Range<usize> {
    (len * i / count)..(len * (i + 1) / count)
}

/// Leaf `i` of `count` of `input`: its numbers copied into a `Vec` of its own (a run each
/// worker owns), sorted with the one sequential sort. Every model's leaves are this.
pub fn sort_leaf(input: &[u64], count: usize, i: usize) -> Vec<u64> {
    let mut run = input[leaf(input.len(), count, i)].to_vec();
    merge_sort(&mut run);
    run
}

/// How many leaves a sort of `len` numbers cuts into: [`LEAVES`], or fewer for a short input.
pub fn leaves(len: usize) -> usize {
    LEAVES.min(len.max(1))
}

/// The sequential merge sort: sorts `data` in place, with a scratch buffer of the same
/// length. Bottom-up: short runs by insertion, then runs of doubling length merged back and
/// forth between `data` and the buffer.
pub fn merge_sort(data: &mut [u64]) {
    let n = data.len();
    for run in data.chunks_mut(SMALL) {
        insertion_sort(run);
    }
    let mut scratch = vec![0u64; n];
    let mut width = SMALL;
    // Whether the sorted runs are in `scratch` (after an odd number of passes).
    let mut in_scratch = false;
    while width < n {
        let (from, to): (&[u64], &mut [u64]) =
            if in_scratch { (&scratch, data) } else { (data, &mut scratch) };
        for (start, out) in (0..n).step_by(2 * width).zip(to.chunks_mut(2 * width)) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            merge(&from[start..mid], &from[mid..end], out);
        }
        in_scratch = !in_scratch;
        width *= 2;
    }
    if in_scratch {
        data.copy_from_slice(&scratch);
    }
}

fn insertion_sort(run: &mut [u64]) {
    for i in 1..run.len() {
        let mut j = i;
        while j > 0 && run[j - 1] > run[j] {
            run.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Merges the sorted runs `a` and `b` into `out`, whose length must be `a.len() + b.len()`.
pub fn merge(a: &[u64], b: &[u64], out: &mut [u64]) {
    assert_eq!(out.len(), a.len() + b.len(), "merge: the output must hold both runs");
    let (mut i, mut j) = (0, 0);
    for slot in out.iter_mut() {
        // Take from `a` while it has the smaller (or equal) head: a stable merge.
        if j >= b.len() || (i < a.len() && a[i] <= b[j]) {
            *slot = a[i];
            i += 1;
        } else {
            *slot = b[j];
            j += 1;
        }
    }
}

/// Merges two sorted runs into a new one: the form tasks that own their data use.
pub fn merged(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = vec![0u64; a.len() + b.len()];
    merge(a, b, &mut out);
    out
}

/// Awaits the sorted leaves, then merges neighbouring runs in pairs with `merge` (which
/// starts a task per pair), a level at a time, until one run is left.
///
/// Each level waits for the whole level below: a merge needs both its runs finished, and
/// waiting for the level keeps the order of the runs, which the answer depends on. It only
/// awaits the futures it is given, whatever runtime started them, so every async model
/// shares it: their files differ in how they start the tasks, not in how the levels go.
pub async fn merge_up<F: Future<Output = Vec<u64>>>(
    level: Vec<F>,
    merge: impl Fn(Vec<u64>, Vec<u64>) -> F,
) -> Vec<u64> {
    let mut runs = Vec::with_capacity(level.len());
    for run in level {
        runs.push(run.await);
    }
    while runs.len() > 1 {
        let mut pairs = runs.into_iter();
        let mut merges = Vec::new();
        // An odd run out at the end of a level is carried up unchanged.
        let mut carried = None;
        while let Some(a) = pairs.next() {
            match pairs.next() {
                Some(b) => merges.push(merge(a, b)),
                None => carried = Some(a),
            }
        }
        runs = Vec::with_capacity(merges.len() + 1);
        for run in merges {
            runs.push(run.await);
        }
        runs.extend(carried);
    }
    runs.pop().unwrap_or_default()
}

/// What the check compares: the length, and two sums that any reordering keeps and a lost,
/// repeated or changed number breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    /// How many numbers.
    pub len: usize,
    /// Their wrapping sum.
    pub sum: u64,
    /// The wrapping sum of each number, mixed.
    pub mixed: u64,
}

/// The fingerprint of `data`, in any order.
pub fn fingerprint(data: &[u64]) -> Fingerprint {
    data.iter().fold(Fingerprint { len: data.len(), sum: 0, mixed: 0 }, |f, &x| Fingerprint {
        len: f.len,
        sum: f.sum.wrapping_add(x),
        mixed: f.mixed.wrapping_add(rng::mix(x)),
    })
}

/// Checks a sort's output: in order, and the same numbers as the input (its fingerprint).
pub fn check(input: &Fingerprint, output: &[u64]) -> Result<(), WrongAnswer> {
    if let Some(i) = output.windows(2).position(|w| w[0] > w[1]) {
        return Err(WrongAnswer {
            workload: MERGE_SORT.id,
            detail: format!("out of order at index {i}: {} > {}", output[i], output[i + 1]),
        });
    }
    crate::compare(MERGE_SORT.id, input, &fingerprint(output))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sequential sort agrees with the standard library's, at awkward lengths too.
    #[test]
    fn sorts_like_std() {
        for len in [0, 1, 2, 31, 32, 33, 100, 1_000, 4_097] {
            let mut ours = input(len);
            let mut std = ours.clone();
            merge_sort(&mut ours);
            std.sort_unstable();
            assert_eq!(ours, std, "len {len}");
        }
    }

    /// Leaves cover the input once, in order; sorting them and merging gives the answer.
    #[test]
    fn leaves_then_merges_sort() {
        let data = input(len(Profile::Test));
        let want = fingerprint(&data);
        let count = leaves(data.len());
        let mut runs: Vec<Vec<u64>> = (0..count)
            .map(|i| {
                let mut run = data[leaf(data.len(), count, i)].to_vec();
                merge_sort(&mut run);
                run
            })
            .collect();
        assert_eq!(runs.iter().map(Vec::len).sum::<usize>(), data.len());
        while runs.len() > 1 {
            runs = runs
                .chunks(2)
                .map(|p| if p.len() == 2 { merged(&p[0], &p[1]) } else { p[0].clone() })
                .collect();
        }
        check(&want, &runs[0]).unwrap();
    }

    /// The check catches a lost number and a swapped pair.
    #[test]
    fn check_catches_wrong_answers() {
        let mut data = input(1_000);
        let want = fingerprint(&data);
        merge_sort(&mut data);
        check(&want, &data).unwrap();
        let mut swapped = data.clone();
        swapped.swap(10, 11);
        assert!(check(&want, &swapped).is_err());
        assert!(check(&want, &data[1..]).is_err());
    }
}
