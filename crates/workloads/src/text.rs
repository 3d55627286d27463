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

/// A duration in the unit that reads best: `100 ms`, `1.5 s`, `250 µs`.
pub fn duration(d: std::time::Duration) -> String {
    let ns = d.as_nanos();
    if ns >= 1_000_000_000 {
        format!("{} s", d.as_secs_f64())
    } else if ns >= 1_000_000 {
        format!("{} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{} µs", d.as_secs_f64() * 1e6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Thousands are grouped from the right, and numbers under 1 000 stay as they are.
    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1 000");
        assert_eq!(group_thousands(1_000_000), "1 000 000");
    }

    /// Durations pick their unit.
    #[test]
    fn durations_read_well() {
        assert_eq!(duration(Duration::from_millis(100)), "100 ms");
        assert_eq!(duration(Duration::from_millis(1_500)), "1.5 s");
        assert_eq!(duration(Duration::from_micros(250)), "250 µs");
    }
}
