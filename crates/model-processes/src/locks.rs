//! W10, a lock-protected counter across processes: the counter is eight bytes in a file, and
//! the lock is an exclusive lock on that file (`File::lock`, which is `flock(2)` on Linux).
//! Processes share no memory, so there is no `Mutex<u64>` to share: what they can share is
//! a file, and the kernel's file locks are the mutex that works between processes. Each
//! increment is then a lock, a read, a write and an unlock: four system calls where a
//! thread's mutex costs an atomic operation or two when it is free.
//!
//! A waiting section needs nothing special here either: a process that holds the lock while
//! it yields blocks only the processes that want the lock, as a thread would.

use std::fs::{File, OpenOptions};
use std::io::BufRead;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use workloads::NotRun;
use workloads::locks::{LOCK_SHORT, LOCK_WAITING, LockOutcome, Section};

use crate::worker::{self, Role, Worker};

/// The worker role that adds to the counter.
const ADD: &str = "locks-add";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(ADD, add_main)];

/// How long the parent waits for a worker that has answered to exit: it has nothing left to
/// do but exit, so a worker still there after this is stuck.
const EXIT_LIMIT: Duration = Duration::from_secs(10);

/// Starts `workers` worker processes that each add one to a counter kept in a file
/// `increments` times, each time under an exclusive lock on the file, holding it for
/// `section`; returns the count read back from the file and each worker's longest wait for
/// the lock.
///
/// Stresses: the kernel's file locks under contention. `flock` is not FIFO-fair: an unlock
/// wakes every process blocked on the lock and they race for it, so with many more processes
/// than cores some wait much longer than others, which the longest waits show. Every
/// increment also crosses into the kernel four times, so processes count far more slowly
/// than threads: a shared counter is the wrong shape for processes, which suit work that
/// needs no shared state (each worker counts alone and the parent adds the totals).
///
/// # Errors
/// A temporary file could not be made, the OS refused a process, or a worker died or
/// answered nonsense; the workers already started are killed and reaped.
pub fn locked_counter(workers: usize, increments: usize, section: Section) -> Result<LockOutcome, NotRun> {
    // The counter's file, in a temporary folder removed when `dir` drops.
    let dir =
        tempfile::tempdir().map_err(|e| NotRun::failed(format!("cannot make a temporary folder: {e}")))?;
    let path = dir.path().join("counter");
    std::fs::write(&path, 0_u64.to_le_bytes())
        .map_err(|e| NotRun::failed(format!("cannot write the counter's file: {e}")))?;
    let section_id = match section {
        Section::Short => LOCK_SHORT.id,
        Section::Waiting => LOCK_WAITING.id,
    };
    // Start them all first, then tell them all to go: a process takes a millisecond or more to
    // start, so without the gate the first workers could finish before the last one starts,
    // and nobody would contend.
    let mut started = Vec::with_capacity(workers);
    for _ in 0..workers {
        let args = [path.as_os_str().to_owned(), increments.to_string().into(), section_id.into()];
        started.push(Worker::spawn(ADD, args)?);
    }
    for worker in &mut started {
        worker.send_line("go")?;
    }
    // Each answers with its longest wait, in nanoseconds, when it is done. Reading them one
    // after the other cannot hang on a dead worker: a process that dies holding the lock has
    // its file closed by the kernel, which releases the lock for the others.
    let mut longest_waits = Vec::with_capacity(workers);
    for worker in &mut started {
        let line = worker.read_line()?;
        let nanos: u64 = line
            .parse()
            .map_err(|_| NotRun::failed(format!("worker {} answered {line:?}, not a wait", worker.pid())))?;
        longest_waits.push(Duration::from_nanos(nanos));
    }
    for worker in started {
        worker.join(EXIT_LIMIT)?;
    }
    // Every worker has exited, so nobody holds the lock: the file holds the final count.
    let count =
        read_count(&path).map_err(|e| NotRun::failed(format!("cannot read the counter back: {e}")))?;
    Ok(LockOutcome { count, longest_waits })
}

/// The counter in the file at `path`: eight bytes, little-endian.
fn read_count(path: &Path) -> std::io::Result<u64> {
    let mut bytes = [0_u8; 8];
    File::open(path)?.read_exact_at(&mut bytes, 0)?;
    Ok(u64::from_le_bytes(bytes))
}

/// The child code of [`ADD`]: `locks-add PATH INCREMENTS SECTION`. Waits for a line on
/// stdin, adds one to the counter in `PATH` `INCREMENTS` times under the file's lock, then
/// writes its longest wait for the lock, in nanoseconds, to stdout.
fn add_main(args: &[String]) -> ExitCode {
    let parsed = (|| {
        let path: String = worker::arg(args, 0, "the counter's file")?;
        let increments: usize = worker::arg(args, 1, "increments")?;
        let section = match worker::arg::<String>(args, 2, "section")?.as_str() {
            id if id == LOCK_SHORT.id => Section::Short,
            id if id == LOCK_WAITING.id => Section::Waiting,
            other => return Err(format!("unknown section {other:?}")),
        };
        Ok((path, increments, section))
    })();
    let (path, increments, section) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return worker::bad_args(ADD, &why),
    };
    match add(Path::new(&path), increments, section) {
        Ok(longest) => {
            println!("{}", longest.as_nanos());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {ADD}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One worker: wait for the go, then `increments` times take the lock, add one, (yield,)
/// release. Returns the longest it waited for the lock.
fn add(path: &Path, increments: usize, section: Section) -> std::io::Result<Duration> {
    // Its own `open`: a `flock` belongs to the open file, so two processes that each open the
    // file exclude each other (a file inherited from a parent would share one lock).
    let file = OpenOptions::new().read(true).write(true).open(path)?;
    let mut go = String::new();
    if std::io::stdin().lock().read_line(&mut go)? == 0 {
        return Err(std::io::Error::other("the parent closed stdin before the go"));
    }
    let mut longest = Duration::ZERO;
    for _ in 0..increments {
        let asked = Instant::now();
        // Blocks in the kernel until no other process holds the lock.
        file.lock()?;
        longest = longest.max(asked.elapsed());
        // Read, add, write back: a read-modify-write that only the lock makes safe.
        let mut bytes = [0_u8; 8];
        file.read_exact_at(&mut bytes, 0)?;
        file.write_all_at(&(u64::from_le_bytes(bytes) + 1).to_le_bytes(), 0)?;
        if section == Section::Waiting {
            // A wait inside the critical section: the OS may run another process now, but
            // every process that wants the lock stays blocked until this one lets go.
            std::thread::yield_now();
        }
        file.unlock()?;
    }
    // Closing the file would release the lock too, even if this process were killed.
    Ok(longest)
}
