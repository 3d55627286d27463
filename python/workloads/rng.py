"""The one seeded generator every input comes from (crates/workloads/src/rng.rs).

SplitMix64: a counter passed through a mixing function. `mix(SEED + i)` gives the i-th input
directly, so every model computes the same input for task i, in any order, in any process.
Rust's u64 arithmetic wraps; here every step is masked to 64 bits to match it bit for bit.
"""

from . import MASK

# The seed of every input in the workspace: the same as the Rust one.
SEED = 0x5EED_2026_C0FF_EE00


def mix(x):
    """The SplitMix64 output for counter value `x`."""
    z = (x + 0x9E37_79B9_7F4A_7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB) & MASK
    return z ^ (z >> 31)


def input(i):  # noqa: A001 - named as rng::input in Rust; always called as rng.input
    """The i-th seeded input."""
    return mix((SEED + i) & MASK)
