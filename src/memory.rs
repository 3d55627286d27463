//! Memory figures from `/proc`: the process's own (resident set, peak, page tables) and the
//! kernel's system-wide counters that grow with every thread (kernel stacks, page tables,
//! unreclaimable slab).
//!
//! Why both: an idle task of an async runtime lives entirely in the process's heap, so the
//! resident set shows its whole cost. An idle OS thread costs more outside the process than
//! inside: a 16 KiB kernel stack, kernel task structures in the slab, page tables for its
//! stack. Those appear only in `/proc/meminfo`, as system-wide totals, so they are read as
//! before/after differences and are approximate on a machine that does other things.

use std::fs;
use std::io;

/// One reading of the figures, in KiB as `/proc` gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snapshot {
    /// `VmRSS`: the process's resident set now.
    pub rss_kib: u64,
    /// `VmHWM`: the process's peak resident set so far.
    pub peak_rss_kib: u64,
    /// `VmPTE`: the process's page tables.
    pub page_tables_kib: u64,
    /// `KernelStack` (system-wide): every thread's kernel stack.
    pub kernel_stack_kib: u64,
    /// `PageTables` (system-wide).
    pub system_page_tables_kib: u64,
    /// `SUnreclaim` (system-wide): slab memory the kernel cannot reclaim, where task
    /// structures live.
    pub slab_unreclaimable_kib: u64,
    /// Resident set now, summed over this process and every process it started (and theirs):
    /// a page shared by several processes counts once per process here.
    #[serde(default)]
    pub tree_rss_kib: u64,
    /// Proportional set size now, summed over the same processes: a page shared by k
    /// processes counts 1/k in each, so the sum counts it once. The figure that does not
    /// overstate what a tree of processes costs.
    #[serde(default)]
    pub tree_pss_kib: u64,
}

impl Snapshot {
    /// Reads the figures now.
    ///
    /// # Errors
    /// `/proc` could not be read (not Linux, or a restricted sandbox).
    pub fn now() -> io::Result<Snapshot> {
        let status = fs::read_to_string("/proc/self/status")?;
        let meminfo = fs::read_to_string("/proc/meminfo")?;
        let (tree_rss_kib, tree_pss_kib) = tree_memory(std::process::id())?;
        Ok(Snapshot {
            rss_kib: field(&status, "VmRSS")?,
            peak_rss_kib: field(&status, "VmHWM")?,
            page_tables_kib: field(&status, "VmPTE")?,
            kernel_stack_kib: field(&meminfo, "KernelStack")?,
            system_page_tables_kib: field(&meminfo, "PageTables")?,
            slab_unreclaimable_kib: field(&meminfo, "SUnreclaim")?,
            tree_rss_kib,
            tree_pss_kib,
        })
    }

    /// The resident memory a measurement compares: the process's peak (`VmHWM`) when it is
    /// alone, the sum over its tree when its tasks are processes of their own (the peak of
    /// one process says nothing of its children's). The larger of the two is the right one
    /// in both cases: one process's current set never exceeds its peak.
    pub fn resident_kib(&self) -> u64 {
        self.peak_rss_kib.max(self.tree_rss_kib)
    }

    /// The kernel-side growth from `before` to `self`, in KiB: kernel stacks, page tables
    /// and unreclaimable slab. Negative when other processes freed more than we took.
    pub fn kernel_growth_kib(&self, before: &Snapshot) -> i64 {
        let total =
            |s: &Snapshot| (s.kernel_stack_kib + s.system_page_tables_kib + s.slab_unreclaimable_kib) as i64;
        total(self) - total(before)
    }
}

/// The resident set and proportional set size, in KiB, of process `pid` and every process
/// below it ([`crate::tree::process_tree`]), from `/proc/PID/smaps_rollup`. A process that
/// exits while it is read is skipped: it no longer holds memory.
///
/// # Errors
/// `pid`'s own figures could not be read.
pub fn tree_memory(pid: u32) -> io::Result<(u64, u64)> {
    let read = |pid: u32| -> io::Result<(u64, u64)> {
        let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))?;
        Ok((field(&rollup, "Rss")?, field(&rollup, "Pss")?))
    };
    let (mut rss, mut pss) = read(pid)?;
    for child in crate::tree::process_tree(pid).into_iter().skip(1) {
        if let Ok((child_rss, child_pss)) = read(child) {
            rss += child_rss;
            pss += child_pss;
        }
    }
    Ok((rss, pss))
}

/// The number after `name:` in a `/proc` file, in kB.
fn field(text: &str, name: &str) -> io::Result<u64> {
    text.lines()
        .find_map(|line| {
            let rest = line.strip_prefix(name)?.strip_prefix(':')?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("no {name} field in /proc")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fields are found by exact name (`VmPTE` is not confused with `VmPTEx`), in kB.
    #[test]
    fn parses_proc_fields() {
        let text = "VmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nVmPTE:\t    52 kB\n";
        assert_eq!(field(text, "VmRSS").unwrap(), 1024);
        assert_eq!(field(text, "VmPTE").unwrap(), 52);
        assert!(field(text, "VmSwap").is_err());
    }

    /// A live reading shows a resident set no larger than its peak, and a tree's
    /// proportional set no larger than its resident set.
    #[test]
    fn live_snapshot_is_consistent() {
        let now = Snapshot::now().expect("/proc is readable on Linux");
        assert!(now.rss_kib > 0 && now.rss_kib <= now.peak_rss_kib, "{now:?}");
        assert!(now.tree_pss_kib > 0 && now.tree_pss_kib <= now.tree_rss_kib, "{now:?}");
        assert_eq!(now.resident_kib(), now.peak_rss_kib.max(now.tree_rss_kib));
    }

    /// A tree's figures sum every process below it, grandchildren included: for an idle
    /// shell and the two sleeps it started, the resident set is exactly the sum of the
    /// three's own (idle processes' pages do not move between the readings).
    #[test]
    fn tree_sums_every_process_below() {
        use nix::sys::signal::{Signal, kill};
        use nix::unistd::Pid;
        // `; true` keeps the shell from replacing itself with the last sleep.
        let mut shell = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & sleep 30; true"])
            .spawn()
            .expect("sh starts");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut tree = crate::tree::process_tree(shell.id());
        while tree.len() < 3 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
            tree = crate::tree::process_tree(shell.id());
        }
        // Give the sleeps time to exec and map their pages before the two readings.
        std::thread::sleep(std::time::Duration::from_millis(100));
        let alone = |pid: u32| {
            let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).expect("a live process");
            (field(&rollup, "Rss").unwrap(), field(&rollup, "Pss").unwrap())
        };
        let each: Vec<(u64, u64)> = tree.iter().map(|&pid| alone(pid)).collect();
        let total = tree_memory(shell.id()).unwrap();
        for &pid in &tree[1..] {
            let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
        }
        shell.kill().unwrap();
        shell.wait().unwrap();
        assert_eq!(tree.len(), 3, "the shell and its two sleeps: {tree:?}");
        assert_eq!(total.0, each.iter().map(|m| m.0).sum::<u64>(), "{total:?} against {each:?}");
        assert!(total.0 > each[0].0, "the sleeps add to the shell's own: {total:?} against {each:?}");
        // Proportional sizes move when another process that shares their pages starts or
        // ends between the readings: within a tenth.
        let pss: u64 = each.iter().map(|m| m.1).sum();
        assert!(total.1.abs_diff(pss) * 10 <= pss, "{total:?} against {each:?}");
        assert!(total.1 <= total.0, "{total:?}");
    }
}
