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

    /// A child process's memory is counted in its parent's tree while it lives.
    #[test]
    fn tree_counts_children() {
        let mut child = std::process::Command::new("sleep").arg("5").spawn().expect("sleep starts");
        // Give it time to exec and map its pages.
        std::thread::sleep(std::time::Duration::from_millis(100));
        let child_alone = tree_memory(child.id()).unwrap();
        let own = tree_memory(std::process::id()).unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(child_alone.0 > 100 && child_alone.1 > 0, "the child holds memory: {child_alone:?}");
        // Other tests may start children of their own meanwhile: the tree holds at least this one.
        assert!(own.0 > child_alone.0 && own.1 > child_alone.1, "{own:?} holds {child_alone:?}");
    }
}
