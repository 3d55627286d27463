//! Numbers as people read them, shared by the sizes' labels and the report.

/// Separates groups of three digits. A plain space, as in `1 000 000`: unlike a comma or a
/// dot it reads the same in every locale.
pub const THOUSANDS_SEPARATOR: char = ' ';

/// An integer with its thousands grouped: `1000000` → `1 000 000`.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        // A separator goes before every digit that starts a group of three from the right.
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(THOUSANDS_SEPARATOR);
        }
        out.push(digit);
    }
    out
}

/// A duration in the unit that reads best, to three significant digits: `100 ms`,
/// `1.5 s`, `250 µs`, `1.04 ms`.
pub fn duration(d: std::time::Duration) -> String {
    let ns = d.as_nanos();
    let (value, unit) = if ns >= 1_000_000_000 {
        (d.as_secs_f64(), "s")
    } else if ns >= 1_000_000 {
        (d.as_secs_f64() * 1e3, "ms")
    } else {
        (d.as_secs_f64() * 1e6, "µs")
    };
    format!("{} {unit}", significant(value))
}

/// `value` to three significant digits, without trailing zeros: `934`, `1.04`, `1.5`.
fn significant(value: f64) -> String {
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{value:.decimals$}");
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Durations read in their best unit, to three significant digits.
    #[test]
    fn durations_read_well() {
        assert_eq!(duration(Duration::from_millis(100)), "100 ms");
        assert_eq!(duration(Duration::from_millis(1_500)), "1.5 s");
        assert_eq!(duration(Duration::from_micros(250)), "250 µs");
        assert_eq!(duration(Duration::from_nanos(934_202)), "934 µs");
        assert_eq!(duration(Duration::from_nanos(1_037_983)), "1.04 ms");
        assert_eq!(duration(Duration::from_secs(2)), "2 s");
    }

    /// Thousands are grouped from the right, and numbers under 1 000 stay as they are.
    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1 000");
        assert_eq!(group_thousands(1_000_000), "1 000 000");
    }
}
