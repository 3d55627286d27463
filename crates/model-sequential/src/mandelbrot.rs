//! W16, Mandelbrot, one row after another: the baseline every parallel way is measured
//! against.

use workloads::mandelbrot::Mandelbrot;

/// Sums every row of `image`, in order, on the calling thread.
///
/// Stresses: nothing but the rows themselves. One core does all the work, so the uneven
/// rows do not matter: a cheap row is simply over sooner. The time of this loop divided by
/// a parallel way's time is that way's speedup.
pub fn one_thread(image: &Mandelbrot) -> u64 {
    let mut sum = 0u64;
    for y in 0..image.height {
        sum = sum.wrapping_add(image.row(y));
    }
    sum
}
