"""What every Python model must agree on: the workloads' sizes, inputs and expected answers.

The Python twin of `crates/workloads`: each module here mirrors the Rust module of the same
name, so that no Python model can pick an easier size or check a weaker answer than the Rust
ones, and the answers can be compared with the Rust answers for the same parameters.

- chapter 1, tasks: `waits` (W1), `spawn_join` (W2), `ping_pong` (W3), `idle` (W4, with
  `memory`, which reads the process tree's memory from /proc);
- chapter 2, task lifecycles: `gather` (W5), `cancellation` (W6), `timeouts` (W7), and
  `resource`, the counted resource both hold;
- chapter 3, shared state and queues: `locks` (W10), `semaphore` (W11), `channels` (W12);
- CPU-bound work: `mandelbrot` (W16), and `stall` (W19), the blocking pitfall;
- the network: `http` (W13), the sans-I/O HTTP/1.1 core every model's server shares.
- `rng`: the one seeded generator every input comes from.
"""

# How long any single wait may last before the run gives up on it (seconds). Nothing may
# hang: every blocking call in every model passes this (or less) as its timeout. bench.py
# sets it from --timeout; a process started with "spawn" sees this default.
TIMEOUT = 60.0

# Results are unsigned 64-bit numbers in Rust, where sums wrap around; Python's ints never
# overflow, so every sum is masked to 64 bits to give the same answer.
MASK = (1 << 64) - 1


class WrongAnswer(Exception):
    """A workload's answer did not match the expected one: the run fails, no time is kept."""

    def __init__(self, workload, detail):
        super().__init__(f"{workload}: wrong answer: {detail}")
        self.workload = workload
        self.detail = detail


def compare(workload, want, got):
    """Raises WrongAnswer unless `got` equals `want`."""
    if got != want:
        raise WrongAnswer(workload, f"expected {want!r}, got {got!r}")
