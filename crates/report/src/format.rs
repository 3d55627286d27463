//! Number formatting shared by the table, the detail sections and the charts.
//!
//! Every figure goes through these few functions so that one quantity always reads the same
//! way everywhere. Each picks its unit from the *rounded* figure: otherwise 999.7 ns would
//! print as "1000 ns" instead of "1.00 µs".

pub use workloads::text::{THOUSANDS_SEPARATOR, group_thousands};

/// What a cell shows when no record exists at all.
pub const NOT_MEASURED: &str = "not measured";

/// A duration in nanoseconds: `742 ns`, `3.12 µs`, `4.50 ms`, `1.20 s`.
pub fn format_ns(ns: f64) -> String {
    let ns = without_negative_zero(ns);
    if ns.round() < 1e3 {
        return format!("{ns:.0} ns");
    }
    for (scale, unit) in [(1e3, "µs"), (1e6, "ms")] {
        let x = ns / scale;
        if round_to(x, 2) < 1e3 {
            return format!("{x:.2} {unit}");
        }
    }
    format!("{:.2} s", ns / 1e9)
}

/// A wall time in milliseconds: `105 ms` below a second, `1.00 s` from there on.
pub fn format_ms(ms: f64) -> String {
    let ms = without_negative_zero(ms);
    if ms.round() < 1e3 { format!("{ms:.0} ms") } else { format!("{:.2} s", ms / 1e3) }
}

/// A size in bytes: `412 B`, then binary units with one decimal: `28.1 KiB`, `3.0 MiB`.
pub fn format_bytes(bytes: f64) -> String {
    let bytes = without_negative_zero(bytes);
    if bytes.round() < 1024.0 {
        return format!("{bytes:.0} B");
    }
    let mut x = bytes / 1024.0;
    for unit in ["KiB", "MiB"] {
        if round_to(x, 1) < 1024.0 {
            return format!("{x:.1} {unit}");
        }
        x /= 1024.0;
    }
    format!("{x:.1} GiB")
}

/// A small negative figure (a system-wide difference that fell below zero) would print as
/// `-0`: it is zero.
fn without_negative_zero(x: f64) -> f64 {
    if x.round() == 0.0 { 0.0 } else { x }
}

/// How many times faster than the baseline: `×9.9`.
pub fn format_speedup(ratio: f64) -> String {
    format!("×{ratio:.1}")
}

/// Any record value, formatted by its unit. Units this crate does not know are printed as
/// they are, after the number, so a new workload never needs a change here.
pub fn format_value(value: f64, unit: &str) -> String {
    match unit {
        "ns" => format_ns(value),
        "ms" => format_ms(value),
        "s" => format_ms(value * 1e3),
        "bytes" => format_bytes(value),
        "count" if value >= 0.0 && value.fract() == 0.0 => group_thousands(value as u64),
        "ratio" => format!("×{value:.2}"),
        "fraction" => format!("{value:.2}"),
        "/s" => format!("{}/s", group_thousands(value.max(0.0).round() as u64)),
        "" => format!("{value:.2}"),
        _ => format!("{value:.2} {unit}"),
    }
}

/// Rounds to `decimals` places, as `format!("{:.N}")` will print it.
fn round_to(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A difference that fell just below zero reads as zero, not `-0`.
    #[test]
    fn no_negative_zero() {
        assert_eq!(format_bytes(-0.3), "0 B");
        assert_eq!(format_ms(-0.2), "0 ms");
        assert_eq!(format_ns(-0.4), "0 ns");
        assert_eq!(format_bytes(-600.0), "-600 B");
    }

    /// Nanoseconds switch unit at 1 000 and 1 000 000, judged after rounding.
    #[test]
    fn nanoseconds_switch_unit_at_the_boundaries() {
        assert_eq!(format_ns(742.4), "742 ns");
        assert_eq!(format_ns(999.4), "999 ns");
        assert_eq!(format_ns(999.6), "1.00 µs");
        assert_eq!(format_ns(3_123.0), "3.12 µs");
        assert_eq!(format_ns(999_994.0), "999.99 µs");
        assert_eq!(format_ns(999_996.0), "1.00 ms");
        assert_eq!(format_ns(2_500_000_000.0), "2.50 s");
    }

    /// Wall times are whole milliseconds below a second, seconds with two decimals above.
    #[test]
    fn milliseconds_switch_to_seconds_at_one_second() {
        assert_eq!(format_ms(105.2), "105 ms");
        assert_eq!(format_ms(999.4), "999 ms");
        assert_eq!(format_ms(999.6), "1.00 s");
        assert_eq!(format_ms(1_004.0), "1.00 s");
        assert_eq!(format_ms(12_345.0), "12.35 s");
    }

    /// Bytes switch to KiB at 1 024 and keep one decimal.
    #[test]
    fn bytes_use_binary_units() {
        assert_eq!(format_bytes(412.0), "412 B");
        assert_eq!(format_bytes(1_023.4), "1023 B");
        assert_eq!(format_bytes(1_024.0), "1.0 KiB");
        assert_eq!(format_bytes(28_774.0), "28.1 KiB");
        assert_eq!(format_bytes(1_048_575.0), "1.0 MiB");
        assert_eq!(format_bytes(3.0 * 1024.0 * 1024.0 * 1024.0), "3.0 GiB");
    }

    /// Values are formatted by unit, and unknown units are kept after the number.
    #[test]
    fn values_follow_their_unit() {
        assert_eq!(format_value(3_123.0, "ns"), "3.12 µs");
        assert_eq!(format_value(1.5, "s"), "1.50 s");
        assert_eq!(format_value(12_000.0, "count"), "12 000");
        assert_eq!(format_value(2.0, "ratio"), "×2.00");
        assert_eq!(format_value(1_234.5, "req/s"), "1234.50 req/s");
        assert_eq!(format_speedup(9.87), "×9.9");
    }
}
