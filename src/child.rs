//! The child-process shape: a measurement that must run in a process of its own, because
//! it reads a whole process's memory or may hit a limit that aborts the process (past the
//! thread limit the standard library aborts). The child prints its answer as one JSON line;
//! the parent bounds it in time, and turns a crash into one line of text for the table.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

/// Runs `exe args`, and returns the last line of its standard output that parses as a `T`.
///
/// # Errors
/// The child ran past `timeout` (it is killed), died (a signal, such as the abort past the
/// thread limit), exited with a code not in `ok_codes`, or printed no answer; the message
/// says which, with the most telling line of what it printed on stderr.
pub fn run_json<T: DeserializeOwned>(
    exe: &Path,
    args: &[String],
    ok_codes: &[i32],
    timeout: Duration,
) -> Result<T, String> {
    run_json_with_env(exe, args, &[], ok_codes, timeout)
}

/// As [`run_json`], with these environment variables set for the child (settings a library
/// reads once per process, such as a pool's size).
///
/// # Errors
/// As [`run_json`].
pub fn run_json_with_env<T: DeserializeOwned>(
    exe: &Path,
    args: &[String],
    env: &[(&str, String)],
    ok_codes: &[i32],
    timeout: Duration,
) -> Result<T, String> {
    run_json_watched(exe, args, env, ok_codes, timeout, &mut |_| {})
}

/// As [`run_json_with_env`], calling `watch` with the child's process id every time the
/// wait looks at it (every 10 ms) while it runs: to follow what it does before it answers,
/// or dies.
///
/// # Errors
/// As [`run_json`].
pub fn run_json_watched<T: DeserializeOwned>(
    exe: &Path,
    args: &[String],
    env: &[(&str, String)],
    ok_codes: &[i32],
    timeout: Duration,
    watch: &mut dyn FnMut(u32),
) -> Result<T, String> {
    let mut child = Command::new(exe)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        // A backtrace per aborting thread would bury the one line we keep.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", exe.display()))?;

    // Read both pipes on their own threads while we wait: a child that fills a pipe nobody
    // reads would block forever.
    let out = read_to_end(child.stdout.take().expect("piped"));
    let err = read_to_end(child.stderr.take().expect("piped"));

    let status = match wait_watching(&mut child, timeout, watch) {
        Ok(Some(status)) => Ok(status),
        Ok(None) => Err(format!("killed after {} s without an answer", timeout.as_secs())),
        Err(e) => Err(e),
    };
    let out = out.join().unwrap_or_default();
    let err = err.join().unwrap_or_default();
    let status = status?;

    let answer = out.lines().rev().find_map(|line| serde_json::from_str::<T>(line).ok());
    match (status.code(), answer) {
        (Some(code), Some(answer)) if ok_codes.contains(&code) => Ok(answer),
        _ => Err(describe_failure(exe, status, &err)),
    }
}

/// Waits up to `timeout` for `child` to exit: its status, or `None` when it ran past the
/// timeout (it is then killed and reaped).
///
/// # Errors
/// The OS could not wait for it.
pub fn wait_for(child: &mut Child, timeout: Duration) -> Result<Option<ExitStatus>, String> {
    wait_watching(child, timeout, &mut |_| {})
}

/// As [`wait_for`], calling `watch` with the child's id at every look while it runs.
fn wait_watching(
    child: &mut Child,
    timeout: Duration,
    watch: &mut dyn FnMut(u32),
) -> Result<Option<ExitStatus>, String> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(Some(status)),
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(None);
            }
            Ok(None) => {
                watch(child.id());
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(format!("could not wait for the child: {e}")),
        }
    }
}

/// Reads a pipe to its end on a thread of its own, as text.
fn read_to_end(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    })
}

/// One line on how a child ended badly: the exit code or signal, and its first complaint.
pub fn describe_failure(exe: &Path, status: ExitStatus, stderr: &str) -> String {
    use std::os::unix::process::ExitStatusExt;
    let name = exe.file_name().map_or_else(|| "child".into(), |n| n.to_string_lossy());
    let how = match (status.code(), status.signal()) {
        (Some(code), _) => format!("{name} exited with code {code}"),
        (None, Some(6)) => format!("{name} aborted (SIGABRT)"),
        (None, Some(9)) => format!("{name} killed (SIGKILL, out of memory?)"),
        (None, Some(signal)) => format!("{name} died by signal {signal}"),
        (None, None) => format!("{name} ended without a status"),
    };
    // The most telling line: a panic message, else the last non-empty line.
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let panic_at = lines.iter().position(|l| l.contains("panicked at"));
    let why = match panic_at {
        Some(i) => lines.get(i + 1).copied(),
        None => lines.last().copied(),
    };
    match why {
        Some(why) => format!("{how}: {why}"),
        None => how,
    }
}
