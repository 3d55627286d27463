//! W19, the blocking pitfall, on worker processes: a heartbeat process, a process that
//! serves the light requests (the parent sends each one over its stdin pipe when it is
//! due, and reads the answer), and `stall.blockers` processes making blocking calls, one
//! after another.
//!
//! The lesson is the threads model's: nothing stalls. Each task is a process of its own, and
//! the kernel preempts processes as it preempts threads: a blocking call blocks the process
//! that made it and no other, and the scheduler favours a process that has been sleeping
//! (the heartbeat, the request server) over one that has been computing. Every part of the
//! workload is a process, as in the rest of this model; the light requests go to one
//! process started beforehand, as a pre-forked server's workers take requests (W13), not to
//! a process started per request: a process start (about a millisecond) would swamp the
//! latency this workload measures, and the start's cost is W2's figure. There is no inline
//! call to get wrong, and nothing to offload to: every process is already its own.

use std::io::BufRead;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use workloads::NotRun;
use workloads::stall::{self, Blocker, Placement, Stall, StallOutcome};

use crate::worker::{Role, Worker, arg, bad_args};

/// The heartbeat: ticks, then reports how late each tick woke.
const HEARTBEAT: &str = "stall-heartbeat";
/// The light requests' server: answers each request line at once.
const REQUESTS: &str = "stall-requests";
/// A blocking task: makes its blocking calls, then reports how many.
const BLOCKER: &str = "stall-blocker";

/// The worker roles this module's child code runs.
pub(crate) const ROLES: &[Role] = &[(HEARTBEAT, heartbeat), (REQUESTS, requests), (BLOCKER, blocker)];

/// How long a worker may take to finish once the run is over (the blockers' calls are
/// 200 ms in all).
const EXIT_LIMIT: Duration = Duration::from_secs(30);

/// W19: the inline variants run ([`inline`]); the offloaded ones and those on a
/// single-threaded executor are not this model's (a process is its own: nothing to offload
/// to, and no executor).
///
/// # Errors
/// [`NotRun::Cannot`] for those variants; otherwise as [`inline`].
pub fn blocking_stall(stall: &Stall) -> Result<StallOutcome, NotRun> {
    if stall.local {
        return Err(NotRun::Cannot);
    }
    match stall.placement {
        Placement::Inline => inline(stall),
        Placement::Offloaded => Err(NotRun::Cannot),
    }
}

/// Runs the heartbeat, the light requests and the blocking processes together, each
/// blocking call made right in its process; returns the heartbeat's lateness, the
/// requests' latency and the count of calls.
///
/// Stresses: the OS scheduler under load, across processes. With as many blockers as
/// workers, every core may be computing, and the heartbeat, the request server and the
/// parent must each be given a core when they wake: the kernel does so within microseconds
/// to a millisecond, far under one 50 ms call. A request's latency is from when it was due
/// to when its answer reached the parent: a hop through a pipe each way on top of the
/// wake-ups.
///
/// # Errors
/// The OS refused a process, or a worker died mid-run.
pub fn inline(stall: &Stall) -> Result<StallOutcome, NotRun> {
    let blocker_name = match stall.blocker {
        Blocker::Cpu => "cpu",
        Blocker::Sleep => "sleep",
    };
    // Every process is started by this thread (the death signal follows it), and each says
    // when it is up: the run starts once they all are, so that no process start counts as
    // a stall.
    let mut heartbeat = Worker::spawn(HEARTBEAT, [stall.ticks.to_string(), nanos(stall.tick)])?;
    let mut server = Worker::spawn(REQUESTS, std::iter::empty::<String>())?;
    let mut blockers = Vec::with_capacity(stall.blockers);
    for _ in 0..stall.blockers {
        let args =
            [blocker_name.to_owned(), stall.calls.to_string(), nanos(stall.block_for), nanos(stall.lead)];
        blockers.push(Worker::spawn(BLOCKER, args)?);
    }
    for worker in [&mut heartbeat, &mut server].into_iter().chain(&mut blockers) {
        expect_line(worker, "ready")?;
    }

    // Go: the heartbeat starts ticking, the blockers start their lead; the requests are due
    // from now.
    let start = Instant::now();
    for worker in std::iter::once(&mut heartbeat).chain(&mut blockers) {
        worker.send_line("go")?;
    }
    let mut requests = Vec::with_capacity(stall.ticks);
    for i in 0..stall.ticks {
        let due = stall.request_due(start, i);
        // Sleep until the request is due (not for a fixed tick: a late wake-up must not push
        // every later request back).
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        server.send_line(&i.to_string())?;
        expect_line(&mut server, &i.to_string())?;
        // Counted from when it was due, so a late send counts too.
        requests.push(due.elapsed());
    }
    server.join(EXIT_LIMIT)?;

    let mut calls = 0;
    for mut blocker in blockers {
        calls += parse::<usize>(&blocker.read_line()?, "a blocker's count of calls")?;
        blocker.join(EXIT_LIMIT)?;
    }
    let ticks = heartbeat.read_line()?;
    let heartbeat_lateness = ticks
        .split_whitespace()
        .map(|t| parse::<u64>(t, "a tick's lateness").map(Duration::from_nanos))
        .collect::<Result<Vec<_>, _>>()?;
    heartbeat.join(EXIT_LIMIT)?;
    Ok(StallOutcome { heartbeat: heartbeat_lateness, requests, calls })
}

/// A duration as whole nanoseconds, for a worker's arguments.
fn nanos(d: Duration) -> String {
    d.as_nanos().to_string()
}

/// Reads a line from `worker` and checks that it is `want`.
fn expect_line(worker: &mut Worker, want: &str) -> Result<(), NotRun> {
    let line = worker.read_line()?;
    if line == want {
        Ok(())
    } else {
        Err(NotRun::failed(format!("worker {} said {line:?} where {want:?} was due", worker.pid())))
    }
}

/// A worker's answer as a `T`.
fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, NotRun> {
    text.trim().parse().map_err(|_| NotRun::failed(format!("{what} is {text:?}, which does not parse")))
}

/// Says the worker is up, then waits for the parent's go (or the end of its input).
fn ready_then_go() -> bool {
    println!("ready");
    let mut line = String::new();
    matches!(std::io::stdin().lock().read_line(&mut line), Ok(n) if n > 0)
}

/// The heartbeat process: `TICKS TICK_NS`. Ticks, then prints each tick's lateness in
/// nanoseconds on one line (written at the end, so that no write delays a tick).
fn heartbeat(args: &[String]) -> ExitCode {
    let parsed = arg::<usize>(args, 0, "ticks").and_then(|t| Ok((t, arg::<u64>(args, 1, "tick, ns")?)));
    let (ticks, tick) = match parsed {
        Ok((ticks, tick)) => (ticks, Duration::from_nanos(tick)),
        Err(why) => return bad_args(HEARTBEAT, &why),
    };
    if !ready_then_go() {
        return ExitCode::FAILURE;
    }
    let mut lateness = Vec::with_capacity(ticks);
    for _ in 0..ticks {
        let t = Instant::now();
        std::thread::sleep(tick);
        // How much longer than the tick the sleep took: the time the process waited for a
        // core after its timer fired (and the timer's own slack).
        lateness.push(t.elapsed().saturating_sub(tick).as_nanos().to_string());
    }
    println!("{}", lateness.join(" "));
    ExitCode::SUCCESS
}

/// The light requests' server: answers each line with the same line, until the end of its
/// input. Standard output is line-buffered, so each answer is written as it is made.
fn requests(_args: &[String]) -> ExitCode {
    println!("ready");
    for line in std::io::stdin().lock().lines() {
        match line {
            Ok(line) => println!("{line}"),
            Err(_) => return ExitCode::FAILURE,
        }
    }
    ExitCode::SUCCESS
}

/// A blocking process: `cpu|sleep CALLS BLOCK_FOR_NS LEAD_NS`. After the go and the lead,
/// makes its calls one after another, then prints how many it made.
fn blocker(args: &[String]) -> ExitCode {
    let parsed = (|| {
        let blocker = match args.first().map(String::as_str) {
            Some("cpu") => Blocker::Cpu,
            Some("sleep") => Blocker::Sleep,
            other => return Err(format!("argument 0 (what blocks) is {other:?}: cpu or sleep")),
        };
        let calls = arg::<usize>(args, 1, "calls")?;
        let block_for = Duration::from_nanos(arg(args, 2, "block for, ns")?);
        let lead = Duration::from_nanos(arg(args, 3, "lead, ns")?);
        Ok((blocker, calls, block_for, lead))
    })();
    let (blocker, calls, block_for, lead) = match parsed {
        Ok(parsed) => parsed,
        Err(why) => return bad_args(BLOCKER, &why),
    };
    if !ready_then_go() {
        return ExitCode::FAILURE;
    }
    // Start once the heartbeat is going.
    std::thread::sleep(lead);
    let mut made = 0;
    for _ in 0..calls {
        // Right here, in this process: it blocks this process and no other.
        stall::block(blocker, block_for);
        made += 1;
    }
    println!("{made}");
    ExitCode::SUCCESS
}
