//! W11, a semaphore across processes: the make jobserver's design. The K permits are K
//! one-byte tokens in a pipe; a job takes a permit by reading one byte (sleeping in `read`
//! while the pipe is empty) and gives it back by writing the byte back. The kernel's pipe
//! is the semaphore's count and its queue of sleepers: no lock or condition variable of our
//! own to get wrong, and nothing shared but the pipe. GNU make hands the pipe to the jobs it
//! starts, each of them a process, so that a whole build tree runs at most `-j K` jobs.
//!
//! The jobs reach the pipe by name: a FIFO (`mkfifo`) in a temporary folder, which each job
//! opens itself, as make's `--jobserver-auth=fifo:PATH` does; a job's standard streams stay
//! free for its own use.
//!
//! Counting the jobs inside: processes share no memory, so the [`Gauge`]'s atomics are out.
//! Each job instead appends one byte to a log file as it enters (`+`) and one as it leaves
//! (`-`). A write to a file opened with `O_APPEND` lands whole at the end, one at a time, so
//! the log is the single order in which the entries and exits happened; the parent replays it
//! as the gauge would have counted. A job appends `-` before it writes its token back, and
//! the next holder of that token appends `+` after reading it, so the log never shows a
//! token's next holder before its last one has left.
//!
//! [`Gauge`]: workloads::semaphore::Gauge

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use nix::sys::stat::Mode;
use workloads::NotRun;
use workloads::semaphore::{ChurnOutcome, SemaphoreOutcome};

use crate::worker::{self, Role, Worker};

/// The worker role that runs jobs under the semaphore.
const JOB: &str = "semaphore-job";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(JOB, job_main)];

/// A permit, as the jobserver writes it: one `+`.
const TOKEN: u8 = b'+';

/// The log's byte for a job that has taken its permit.
const ENTERED: u8 = b'+';

/// The log's byte for a job about to give its permit back.
const LEFT: u8 = b'-';

/// The longest the parent waits for its jobs: far beyond any run, only there so that a stuck
/// job fails the run instead of hanging it.
const LIMIT: Duration = Duration::from_secs(300);

/// Starts `jobs` processes at once; each takes one of `permits` tokens from the pipe, waits
/// `wait` holding it (a blocking sleep), and writes it back. Returns the most jobs that held a
/// permit at once, replayed from the log.
///
/// Stresses: the kernel's pipe wake-ups and process starts. At most K jobs sleep with a
/// permit, the rest sleep in `read` on the pipe, and each token written back wakes one of
/// them. Processes suit this well when the jobs are whole programs (compilers under make):
/// a job of 10 ms is then small beside the millisecond or more that starting each process
/// costs, which the wall time shows on top of ⌈N/K⌉·D.
///
/// # Errors
/// The FIFO or the log could not be made, the OS refused a process, or a job died or ran
/// past the limit; the jobs already started are killed and reaped.
pub fn semaphore(jobs: usize, permits: usize, wait: Duration) -> Result<SemaphoreOutcome, NotRun> {
    // One job per process.
    let (ran, gauge) = run_jobs(jobs, permits, 1, wait)?;
    Ok(SemaphoreOutcome { jobs: ran, most_at_once: gauge.most, inside_after: gauge.inside })
}

/// The permit's own cost: `workers` processes each take and give back one of `permits`
/// tokens `rounds` times, with nothing but the log's two appends in between.
///
/// Stresses: the pipe under contention. With more processes than tokens (and than cores), a
/// `read` often finds the pipe empty and sleeps, and the `write` that gives a token back must
/// wake it: two system calls per permit even when a token is there, where a thread's channel
/// costs an atomic operation or two, and a switch between processes when it is not.
///
/// # Errors
/// As [`semaphore`].
pub fn permit_churn(workers: usize, permits: usize, rounds: usize) -> Result<ChurnOutcome, NotRun> {
    // `rounds` jobs per process, with no wait: each token is written straight back.
    let (ran, gauge) = run_jobs(workers, permits, rounds, Duration::ZERO)?;
    Ok(ChurnOutcome { pairs: ran * rounds, most_at_once: gauge.most })
}

/// Makes the token FIFO and the log in a temporary folder, starts `processes` worker
/// processes that each run `rounds` jobs of `wait`, then puts `permits` tokens in the pipe.
/// Returns how many processes ran to their end and the gauge replayed from the log.
fn run_jobs(
    processes: usize,
    permits: usize,
    rounds: usize,
    wait: Duration,
) -> Result<(usize, Replayed), NotRun> {
    let failed = |what: &str, e: &dyn std::fmt::Display| NotRun::failed(format!("{what}: {e}"));
    let dir = tempfile::tempdir().map_err(|e| failed("cannot make a temporary folder", &e))?;
    let fifo = dir.path().join("permits");
    nix::unistd::mkfifo(&fifo, Mode::S_IRUSR | Mode::S_IWUSR)
        .map_err(|e| failed("cannot make the FIFO", &e))?;
    // The parent opens the FIFO for reading *and* writing: such an open does not wait for a
    // partner (on Linux), and while the parent holds it the pipe lives even between jobs, so
    // the tokens in it are kept (a pipe's contents go when its last end closes).
    let mut tokens = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .map_err(|e| failed("cannot open the FIFO", &e))?;
    let log = dir.path().join("gauge");
    File::create(&log).map_err(|e| failed("cannot make the log", &e))?;
    let args = [
        fifo.into_os_string(),
        log.clone().into_os_string(),
        rounds.to_string().into(),
        wait.as_nanos().to_string().into(),
    ];
    let mut started = Vec::with_capacity(processes);
    for _ in 0..processes {
        started.push(Worker::spawn(JOB, args.clone())?);
    }
    // The permits go in only now: a process takes a millisecond or more to start, so with the
    // tokens there from the start the first jobs could be done before the last ones started,
    // and fewer than K would ever run at once. The pipe holds 64 KiB, far more than K tokens:
    // this write does not wait.
    tokens.write_all(&vec![TOKEN; permits]).map_err(|e| failed("cannot write the permits", &e))?;
    worker::wait_all(&mut started, LIMIT)?;
    let gauge = replay(&log)?;
    Ok((started.len(), gauge))
}

/// The gauge, replayed from the log: the most jobs inside at once, and how many were still
/// inside at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Replayed {
    most: usize,
    inside: usize,
}

/// Replays the log at `path`: each `+` is one more job inside, each `-` one fewer.
fn replay(path: &Path) -> Result<Replayed, NotRun> {
    let log = std::fs::read(path).map_err(|e| NotRun::failed(format!("cannot read the log: {e}")))?;
    let mut gauge = Replayed { most: 0, inside: 0 };
    for byte in log {
        match byte {
            ENTERED => {
                gauge.inside += 1;
                gauge.most = gauge.most.max(gauge.inside);
            }
            LEFT => {
                gauge.inside = gauge
                    .inside
                    .checked_sub(1)
                    .ok_or_else(|| NotRun::failed("the log shows a job leaving that never entered"))?;
            }
            other => return Err(NotRun::failed(format!("the log holds a stray byte {other:#04x}"))),
        }
    }
    Ok(gauge)
}

/// The child code of [`JOB`]: `semaphore-job FIFO LOG ROUNDS WAIT_NS`. `ROUNDS` times: read
/// a token from `FIFO`, append `+` to `LOG`, sleep `WAIT_NS` nanoseconds, append `-`, write
/// the token back.
fn job_main(args: &[String]) -> ExitCode {
    let parsed = (|| {
        let fifo: String = worker::arg(args, 0, "the token FIFO")?;
        let log: String = worker::arg(args, 1, "the log")?;
        let rounds: usize = worker::arg(args, 2, "rounds")?;
        let wait: u64 = worker::arg(args, 3, "the wait in nanoseconds")?;
        Ok::<_, String>((fifo, log, rounds, Duration::from_nanos(wait)))
    })();
    let (fifo, log, rounds, wait) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return worker::bad_args(JOB, &why),
    };
    match jobs(Path::new(&fifo), Path::new(&log), rounds, wait) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {JOB}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `rounds` jobs, one after the other, each under a token from the pipe at `fifo`.
fn jobs(fifo: &Path, log: &Path, rounds: usize, wait: Duration) -> std::io::Result<()> {
    // Both opens return at once: the parent holds the FIFO open for reading and writing.
    let mut take = File::open(fifo)?;
    let mut give_back = OpenOptions::new().write(true).open(fifo)?;
    // `append`: every write goes to the end of the file, whole (see the module's doc).
    let mut gauge = OpenOptions::new().append(true).open(log)?;
    for _ in 0..rounds {
        let mut token = [0_u8; 1];
        // Sleeps in the kernel until a token is there; exactly one byte, one permit. The
        // parent holds a writing end, so the pipe never reports its end here.
        take.read_exact(&mut token)?;
        gauge.write_all(&[ENTERED])?;
        // A zero wait (churn) must cost nothing: skip the call rather than rely on what a
        // sleep of zero does.
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
        gauge.write_all(&[LEFT])?;
        // The same byte back, as make's jobs do: a permit is never made or lost.
        give_back.write_all(&token)?;
    }
    Ok(())
}
