//! Where a measurement's threads may run.
//!
//! A hand-off between two threads (a ping-pong, a channel, a lock) costs a context switch
//! when both share a core, and on two cores either a short spin that catches the reply or a
//! wake-up sent to the other core, whichever the scheduler's placement and the timing give
//! that run. Left to the scheduler, the same benchmark measured 844 ns in one run and
//! 7.6 µs in the next. So the workloads of hand-offs are measured under named placements
//! ([`Placement`]): all of the process's threads pinned to one core, or all free on every
//! core. Pinning goes through `sched_setaffinity` for every thread of the process, the
//! runtimes' workers included (they already exist: the models are built before the run);
//! a thread they start meanwhile inherits its creator's core.

use std::path::Path;

use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
use nix::unistd::Pid;
use workloads::catalogue::Placement;

/// The core that [`Placement::OneCore`] pins to.
pub const ONE_CORE: usize = 0;

/// A placement in force; dropping it frees every thread of the process again.
#[must_use = "the placement holds only while this value lives"]
pub struct Placed {
    /// The mask every thread gets back, or `None` when nothing was pinned.
    restore: Option<CpuSet>,
}

/// Applies `placement` (nothing for `None`) to every thread of this process until the
/// returned value is dropped.
///
/// # Errors
/// The OS refused to read or set a thread's cores; nothing stays pinned then.
pub fn apply(placement: Option<Placement>) -> Result<Placed, String> {
    let all = sched_getaffinity(Pid::from_raw(0)).map_err(|e| format!("reading this thread's cores: {e}"))?;
    match placement {
        None => Ok(Placed { restore: None }),
        Some(Placement::AllCores) => {
            // Free, in case an earlier step left a thread pinned.
            set_every_thread(&all)?;
            Ok(Placed { restore: None })
        }
        Some(Placement::OneCore) => {
            let mut one = CpuSet::new();
            one.set(ONE_CORE).map_err(|e| format!("core {ONE_CORE}: {e}"))?;
            if let Err(e) = set_every_thread(&one) {
                let _ = set_every_thread(&all);
                return Err(e);
            }
            Ok(Placed { restore: Some(all) })
        }
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        if let Some(all) = &self.restore
            && let Err(e) = set_every_thread(all)
        {
            eprintln!("warning: could not free this process's threads again: {e}");
        }
    }
}

/// Keeps every thread of process `pid`, and of every process below it, on `cores` (those
/// started later inherit them from the thread that starts them), until [`free_process`] or
/// the process's end: the harness
/// uses it to keep a server off the load generator's core.
///
/// # Errors
/// A core that does not exist, or the OS refused.
pub fn pin_process(pid: u32, cores: &[usize]) -> Result<(), String> {
    let mut set = CpuSet::new();
    for &core in cores {
        set.set(core).map_err(|e| format!("core {core}: {e}"))?;
    }
    set_tree(pid, &set)
}

/// Lets every thread of process `pid`, and of every process below it, run on every core
/// this process may use.
///
/// # Errors
/// The OS refused.
pub fn free_process(pid: u32) -> Result<(), String> {
    let all = sched_getaffinity(Pid::from_raw(0)).map_err(|e| format!("reading this thread's cores: {e}"))?;
    set_tree(pid, &all)
}

/// Sets the cores of every thread of process `pid` and of every process below it (a server
/// that serves from worker processes runs where its workers do).
fn set_tree(pid: u32, cores: &CpuSet) -> Result<(), String> {
    for process in crate::tree::process_tree(pid) {
        match set_threads_of(&format!("/proc/{process}/task"), cores) {
            Ok(()) => {}
            // A worker that exited since the listing has no threads to set.
            Err(_) if process != pid && !Path::new(&format!("/proc/{process}")).exists() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Sets the cores of every thread of this process (those listed in `/proc/self/task`).
fn set_every_thread(cores: &CpuSet) -> Result<(), String> {
    set_threads_of("/proc/self/task", cores)
}

/// Sets the cores of every thread listed in `tasks` (a `/proc/PID/task` folder).
fn set_threads_of(tasks: &str, cores: &CpuSet) -> Result<(), String> {
    let tasks =
        std::fs::read_dir(Path::new(tasks)).map_err(|e| format!("listing the threads in {tasks}: {e}"))?;
    for task in tasks.flatten() {
        let Some(tid) = task.file_name().to_str().and_then(|t| t.parse::<i32>().ok()) else {
            continue;
        };
        match sched_setaffinity(Pid::from_raw(tid), cores) {
            Ok(()) => {}
            // A thread that ended since the listing.
            Err(nix::errno::Errno::ESRCH) => {}
            Err(e) => return Err(format!("setting the cores of thread {tid}: {e}")),
        }
    }
    Ok(())
}

/// The cores this thread may run on now.
pub fn current_cores() -> Vec<usize> {
    let Ok(set) = sched_getaffinity(Pid::from_raw(0)) else {
        return Vec::new();
    };
    (0..CpuSet::count()).filter(|&c| set.is_set(c).unwrap_or(false)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One core pins every thread, those started meanwhile included; dropping frees them all.
    #[test]
    fn one_core_pins_every_thread_and_frees_them() {
        let before = current_cores();
        let placed = apply(Some(Placement::OneCore)).unwrap();
        assert_eq!(current_cores(), [ONE_CORE]);
        let inner = std::thread::spawn(current_cores).join().unwrap();
        assert_eq!(inner, [ONE_CORE], "a thread started meanwhile inherits the core");
        drop(placed);
        assert_eq!(current_cores(), before);
        let _free = apply(Some(Placement::AllCores)).unwrap();
        assert_eq!(current_cores(), before);
    }

    /// Another process's threads, started before and after, are pinned, then freed.
    #[test]
    fn another_process_is_pinned_and_freed() {
        let mut child = std::process::Command::new("sleep").arg("5").spawn().unwrap();
        let cores_of = |pid: u32| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
            status
                .lines()
                .find(|l| l.starts_with("Cpus_allowed_list:"))
                .unwrap()
                .split(':')
                .nth(1)
                .unwrap()
                .trim()
                .to_owned()
        };
        pin_process(child.id(), &[ONE_CORE]).unwrap();
        assert_eq!(cores_of(child.id()), ONE_CORE.to_string());
        free_process(child.id()).unwrap();
        let all = current_cores();
        if all.len() > 1 {
            assert_ne!(cores_of(child.id()), ONE_CORE.to_string());
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}
