"""W16, Mandelbrot (crates/workloads/src/mandelbrot.rs): an image of the Mandelbrot set, one
row per unit of work. Rows through the set's middle iterate up to the limit at most pixels
while rows at the edges escape at once, so the units are uneven: it tests load balancing.

The row function is the Rust one, operation for operation (IEEE doubles give the same bits in
both languages when the operations and their order are the same), so the checksum for a
given width, height and iteration limit is the Rust checksum: `kernels --kernel mandelbrot
--size 200` computes 200 × 200 pixels of up to 512 iterations, this module's default.
"""

from dataclasses import dataclass

from . import MASK, compare, rng

ID = "mandelbrot"

# The ways of running it, as the Rust variants name them: `one_thread` is the sequential
# baseline (the same code under every model), then each model's own ways, default first.
VARIANTS = {
    "asyncio": ("inline", "offloaded", "one_thread"),
    "threading": ("work_queue", "static_chunks", "one_thread"),
    "multiprocessing": ("work_queue", "static_chunks", "one_thread"),
}

# About a second, one row after another, in CPython 3.11 (the Rust full run draws 1 024 ×
# 1 024, a hundred times more work, in about the same time).
WIDTH = 200
HEIGHT = 200
ITERATIONS = 512

# The region of the complex plane drawn: the whole set.
X0, X1 = -2.0, 0.6
Y0, Y1 = -1.2, 1.2


@dataclass(frozen=True)
class Mandelbrot:
    """The image: its size, and how many iterations a pixel may take. Small and immutable,
    so it pickles cheaply into a worker process with each unit of work."""

    width: int
    height: int
    max_iterations: int

    def row(self, y):
        """Row y's share of the checksum: the iterations of its pixels, summed, and mixed with
        the row's index so that a row computed twice, or for the wrong y, changes the answer.
        Pure: any thread or process may run it."""
        width, limit = self.width, self.max_iterations
        ci = Y0 + (Y1 - Y0) * (y + 0.5) / self.height
        iterations = 0
        for x in range(width):
            cr = X0 + (X1 - X0) * (x + 0.5) / width
            iterations += escape_time(cr, ci, limit)
        return (iterations * (rng.mix(y) | 1)) & MASK

    def rows(self, ys):
        """The wrapping sum of the rows `ys`: one worker's share."""
        total = 0
        for y in ys:
            total = (total + self.row(y)) & MASK
        return total

    def expected(self):
        """The whole image's checksum, one row after another: the expected answer."""
        return self.rows(range(self.height))


def escape_time(cr, ci, limit):
    """Iterations of z ← z² + c before |z| > 2, at most `limit`."""
    zr = zi = 0.0
    for i in range(limit):
        zr2, zi2 = zr * zr, zi * zi
        if zr2 + zi2 > 4.0:
            return i
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
    return limit


def one_thread(image):
    """The sequential baseline: one row after another on the calling thread."""
    return image.rows(range(image.height))


def leaf(length, count, i):
    """Range i of `count` contiguous ranges over `length` units, as even as whole numbers
    allow, in order (Rust's merge_sort::leaf): the static cut."""
    return range(length * i // count, length * (i + 1) // count)


@dataclass
class MandelbrotOutcome:
    checksum: int = 0


def check(want, got):
    compare(ID, MandelbrotOutcome(checksum=want), got)
