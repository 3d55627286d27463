//! The host under the run: how its cores idle, and how much CPU time it took away.
//!
//! On a virtual machine, a core with nothing to run halts, and the host puts its virtual CPU
//! to sleep. When a packet arrives or a thread is woken, that CPU runs again only when the
//! host schedules it: on a busy host, milliseconds later. Linux counts that wait as *steal*
//! time (`/proc/stat`). Workloads that sleep and wake thousands of times a second (an HTTP
//! server, a timer wheel, a thread handing off to another) pay it on every wake-up, and their
//! tail percentiles then measure the host, not the model: on the machine this was written
//! on, 10 000 sleeps of 100 µs on each of two cores came back more than 1 ms late 300 times
//! in 10 s while the host counted 3 s of steal, and 15 times with none.
//!
//! So the run asks the kernel to keep the cores out of deep idle while it measures, the way
//! `cyclictest` and tuned's `latency-performance` profile do: it writes a latency of 0 µs to
//! `/dev/cpu_dma_latency` and keeps the file open (the request lasts as long as the file
//! descriptor). An idle core then polls instead of halting, and a wake-up finds it
//! running. Every model gets the same cores; CPU-bound figures do not change. Writing the file
//! needs root (or a group the administrator gave it to); without it the run measures as
//! before and the report says so. `BENCH_CPU_DMA_LATENCY=off` turns it off.
//!
//! The run also reads the host's steal time around every workload's round and in total, so a
//! report says how much of the machine it had.

use std::fs::File;
use std::io::Write;

/// The environment variable that sets the latency request: unset or a number of
/// microseconds (default 0), or `off` to leave the cores' idle as the system has it.
pub const ENV: &str = "BENCH_CPU_DMA_LATENCY";

/// The share of a round's CPU time taken by the host above which the report names the round.
pub const STEAL_WORTH_A_NOTE: f64 = 0.02;

/// The kernel's interface for a system-wide wake-up latency request (PM QoS).
const DEVICE: &str = "/dev/cpu_dma_latency";

/// How the cores idled during a run: a short code that goes on every record's stamp (figures
/// measured under another setting are not compared with them), and the words for the report.
#[derive(Debug)]
pub struct Idle {
    /// Kept open for the run: closing it ends the request.
    _file: Option<File>,
    /// `awake` when the request was held, `default` when not.
    pub code: &'static str,
    /// What was done, and why, in words.
    pub words: String,
}

impl Idle {
    /// Holds the request [`parse_setting`] read: `Some(µs)` holds it, `None` (`off`) does not.
    pub fn from_setting(setting: Option<i32>) -> Idle {
        match setting {
            Some(micros) => Idle::hold(micros),
            None => Idle::default_idle(format!("{ENV}=off")),
        }
    }

    /// Nothing held yet: the cores idle as the system sets them.
    pub fn unheld() -> Idle {
        Idle::default_idle("nothing measured".to_owned())
    }

    /// Asks for a wake-up latency of at most `micros` µs for as long as the result lives.
    pub fn hold(micros: i32) -> Idle {
        let opened = std::fs::OpenOptions::new().write(true).open(DEVICE);
        match opened.and_then(|mut file| file.write_all(&micros.to_ne_bytes()).map(|()| file)) {
            Ok(file) => Idle {
                _file: Some(file),
                code: "awake",
                words: format!(
                    "Cores kept out of deep idle: {DEVICE} held at {micros} µs for the whole run, so that a \
                     wake-up does not wait for the host to schedule a halted core ({ENV}=off turns this off)."
                ),
            },
            Err(e) => Idle::default_idle(format!("{DEVICE} could not be written: {e}")),
        }
    }

    fn default_idle(why: String) -> Idle {
        Idle {
            _file: None,
            code: "default",
            words: format!(
                "Cores idled as the system sets them ({why}): on a virtual machine, the tail rows then include \
                 the host's delays in waking a halted core."
            ),
        }
    }
}

/// What [`ENV`] asks for: `Some(µs)` to hold a latency request (unset: 0), `None` for `off`.
///
/// # Errors
/// The text is neither `off` nor a whole number of microseconds.
pub fn parse_setting(text: Option<&str>) -> Result<Option<i32>, String> {
    match text.map(str::trim) {
        None => Ok(Some(0)),
        Some("off") => Ok(None),
        Some(text) => text.parse::<i32>().ok().filter(|&n| n >= 0).map(Some).ok_or_else(|| {
            format!(
                "{ENV}={text:?}: expected `off` or a whole number of microseconds (0 keeps the cores awake)"
            )
        }),
    }
}

/// The machine's CPU time so far, in clock ticks, from the first line of `/proc/stat`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CpuTimes {
    /// Time the host ran something else while a virtual CPU of this machine had work.
    pub steal: u64,
    /// All the time counted: user, nice, system, idle, iowait, irq, softirq, steal.
    pub total: u64,
}

impl CpuTimes {
    /// Now; zeros where `/proc/stat` cannot be read (then every share is unknown).
    pub fn now() -> CpuTimes {
        std::fs::read_to_string("/proc/stat").ok().and_then(|text| CpuTimes::parse(&text)).unwrap_or_default()
    }

    /// The `cpu` line of a `/proc/stat` text.
    pub fn parse(stat: &str) -> Option<CpuTimes> {
        let line = stat.lines().find(|l| l.starts_with("cpu "))?;
        let fields: Vec<u64> = line.split_whitespace().skip(1).map_while(|f| f.parse().ok()).collect();
        // user nice system idle iowait irq softirq steal (guest time is inside user already).
        let counted = fields.get(..8)?;
        Some(CpuTimes { steal: counted[7], total: counted.iter().sum() })
    }

    /// The share of the CPU time from `earlier` to `self` that the host took, if any passed.
    pub fn steal_since(&self, earlier: &CpuTimes) -> Option<f64> {
        let total = self.total.checked_sub(earlier.total).filter(|&t| t > 0)?;
        let steal = self.steal.checked_sub(earlier.steal)?;
        Some(steal as f64 / total as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steal_is_the_eighth_counter_of_the_cpu_line() {
        let before = CpuTimes::parse("cpu  100 0 50 800 10 0 5 35 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n").unwrap();
        assert_eq!(before, CpuTimes { steal: 35, total: 1000 });
        let after = CpuTimes::parse("cpu  150 0 70 1100 10 0 5 65 0 0\n").unwrap();
        let share = after.steal_since(&before).unwrap();
        assert!((share - 30.0 / 400.0).abs() < 1e-12, "{share}");
        assert_eq!(after.steal_since(&after), None, "no time passed: no share");
        assert_eq!(CpuTimes::parse("intr 5\n"), None);
        assert_eq!(CpuTimes::parse("cpu 1 2 3\n"), None, "too few counters");
    }

    #[test]
    fn this_machine_counts_cpu_time() {
        let first = CpuTimes::now();
        let spin = std::time::Instant::now();
        while spin.elapsed() < std::time::Duration::from_millis(50) {}
        let second = CpuTimes::now();
        assert!(second.total > first.total, "{first:?} then {second:?}");
        let share = second.steal_since(&first).unwrap();
        assert!((0.0..=1.0).contains(&share), "{share}");
    }

    #[test]
    fn the_setting_is_off_or_microseconds_and_a_bad_one_names_the_variable() {
        assert_eq!(parse_setting(None), Ok(Some(0)));
        assert_eq!(parse_setting(Some("off")), Ok(None));
        assert_eq!(parse_setting(Some(" 20 ")), Ok(Some(20)));
        for bad in ["-1", "fast", ""] {
            let error = parse_setting(Some(bad)).unwrap_err();
            assert!(error.contains(ENV) && error.contains("microseconds"), "{error}");
        }
    }

    #[test]
    fn holding_either_works_or_says_why_not() {
        let held = Idle::hold(0);
        assert!(matches!(held.code, "awake" | "default"), "{held:?}");
        assert!(held.words.contains("/dev/cpu_dma_latency"), "{}", held.words);
    }
}
