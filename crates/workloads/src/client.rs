//! W15's runtime-free parts: the URLs a fan-out fetches and the check of what came back,
//! the blocking fetch that the models without a runtime share (sequential, threads, rayon),
//! and the error texts every client uses, so that a failed or timed-out fetch reads the
//! same whichever model made it.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::catalogue::{Chapter, Ids, Metric, Role, Unit, Workload};
use crate::http::{self, Fetched, Url};
use crate::profile::{Profile, Verdict, fits_budget};
use crate::spec::{Named, Spec};
use crate::{ModelInfo, WrongAnswer, text};

// ---------------------------------------------------------------------------------------
// The ids: the workload, its figures, variants and named sizes, as records and the docs name them.

/// W15.
pub const HTTP_CLIENT: Workload = Workload {
    id: "http_client",
    code: "W15",
    title: "HTTP client fan-out",
    what: "The tutorial's fetch_multiple_urls: N URLs of /slow?delay=50 fetched at once from one server.",
    chapter: Chapter::Network,
};
/// W15: wall time of the fan-out.
pub const HTTP_CLIENT_WALL_TIME: Metric = Metric {
    workload: &HTTP_CLIENT,
    id: "fetch_wall_time",
    unit: Unit::Ms,
    what: "Wall time to fetch all N URLs (each answered after 50 ms).",
};
/// W15: the size of the fan-out row.
pub const HTTP_CLIENT_HEADLINE: Role = Role { workload: &HTTP_CLIENT, id: "http_client_headline" };

/// Everything this workload names, for the catalogue's index.
pub const IDS: Ids = Ids {
    workload: &HTTP_CLIENT,
    metrics: &[&HTTP_CLIENT_WALL_TIME],
    variants: &[],
    roles: &[&HTTP_CLIENT_HEADLINE],
};

/// W15's sizes in one profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizes {
    /// How many URLs a fan-out fetches at once.
    pub urls: Vec<usize>,
    /// Each URL is `/slow?delay=` this long.
    pub delay: Duration,
    /// The fan-out the table's row reads.
    pub headline: usize,
    /// A fan-out whose expected time (the URLs one after another, or a pool's worth at a
    /// time) is over this is not run.
    pub budget: Duration,
}

/// The fan-outs of `profile`.
pub fn sizes(profile: Profile) -> Sizes {
    let urls = match profile {
        Profile::Full => vec![5, 20, 100, 1_000],
        Profile::Quick => vec![5, 1_000],
        Profile::Smoke | Profile::Test => vec![5, 20],
    };
    let headline = *urls.last().expect("at least one fan-out size");
    Sizes { urls, delay: Duration::from_millis(50), headline, budget: Duration::from_millis(2_500) }
}

impl Sizes {
    /// The fan-outs `model` runs, each with the reason when its expected time is over the
    /// budget.
    pub fn for_model(&self, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        self.urls.iter().map(|&n| (n, fits_budget(model, n, self.delay, self.budget))).collect()
    }
}

/// The `n` URLs of one fan-out: the same `/slow?delay=MS` on the server at `addr`, so that
/// every fetch waits `delay` on the server and the fan-out's time shows how many overlapped.
pub fn urls(addr: std::net::SocketAddr, delay: Duration, n: usize) -> Vec<Url> {
    let path = http::slow_path(delay.as_millis() as u64);
    (0..n).map(|_| Url { addr, path: path.clone() }).collect()
}

/// Every fetch of a fan-out of `urls(.., delay, n)` answered 200 with the endpoint's body,
/// one result per URL.
///
/// # Errors
/// A result is missing, failed, or came back with another status or body length.
pub fn check(delay: Duration, n: usize, results: &[Result<Fetched, String>]) -> Result<(), WrongAnswer> {
    let want = Fetched { status: 200, length: http::slow_body(delay).len() };
    let wrong = |detail: String| WrongAnswer { workload: HTTP_CLIENT.id, detail };
    if results.len() != n {
        return Err(wrong(format!("{} results for {n} URLs", results.len())));
    }
    let bad: Vec<&Result<Fetched, String>> = results.iter().filter(|r| r.as_ref() != Ok(&want)).collect();
    match bad.first() {
        None => Ok(()),
        Some(first) => Err(wrong(format!(
            "{} of {n} fetches failed or came back wrong, the first: {first:?}",
            bad.len()
        ))),
    }
}

/// One URL, blocking: connect, send the request, read until the server closes, parse; all
/// within `timeout`. Blocking calls have no deadline of their own, only timeouts, so each
/// one is given what is left of the fetch's time.
pub fn fetch(url: &Url, timeout: Duration) -> Result<Fetched, String> {
    let deadline = Instant::now() + timeout;
    let mut stream =
        TcpStream::connect_timeout(&url.addr, timeout).map_err(|e| failed("connect", &e, timeout))?;
    stream.set_write_timeout(Some(left(deadline, timeout)?)).map_err(|e| failed("write", &e, timeout))?;
    stream.write_all(&url.request()).map_err(|e| failed("write", &e, timeout))?;
    // The request says `Connection: close`: the response ends where the stream ends.
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        stream.set_read_timeout(Some(left(deadline, timeout)?)).map_err(|e| failed("read", &e, timeout))?;
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(failed("read", &e, timeout)),
        }
    }
    http::parse_response(&response)
}

/// What is left until `deadline`, or the timeout's error once it has passed (a timeout of
/// zero would mean "no timeout" to the socket).
fn left(deadline: Instant, timeout: Duration) -> Result<Duration, String> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() { Err(timed_out(timeout)) } else { Ok(left) }
}

/// A failed step of a fetch, in words: "connect: connection refused", or "timed out after
/// 10 s" when the error is the socket's own timeout.
pub fn failed(step: &str, error: &io::Error, timeout: Duration) -> String {
    if matches!(error.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) {
        return timed_out(timeout);
    }
    // "Connection refused (os error 111)" → "connection refused".
    let text = error.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_lowercase().collect::<String>()).unwrap_or_default();
    format!("{step}: {first}{}", chars.as_str())
}

/// The error of a fetch that ran out of time: "timed out after 10 s", or "timed out after
/// 250 ms" when `timeout` is not whole seconds.
pub fn timed_out(timeout: Duration) -> String {
    if timeout.subsec_nanos() == 0 {
        format!("timed out after {} s", timeout.as_secs())
    } else {
        format!("timed out after {} ms", timeout.as_millis())
    }
}

// ---------------------------------------------------------------------------------------
// What it declares: the sizes each model runs, and what the table reads.

/// W15's declarations ([`Spec`]).
pub struct Declared;

impl Spec for Declared {
    fn ids(&self) -> &'static Ids {
        &IDS
    }

    /// Sizes whose fetches would take longer than the budget one after another (or a
    /// pool's worth at a time) are left out, with the reason.
    fn sizes(&self, profile: Profile, model: &ModelInfo) -> Vec<(usize, Verdict)> {
        sizes(profile).for_model(model)
    }

    fn named_sizes(&self, profile: Profile) -> Vec<Named> {
        let sizes = sizes(profile);
        let label = format!(
            "{} URLs of {}",
            text::group_thousands(sizes.headline as u64),
            http::slow_path(sizes.delay.as_millis() as u64)
        );
        vec![Named::new(&HTTP_CLIENT_HEADLINE, sizes.headline, label)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fan-out passes when every URL came back 200 with `/slow`'s body, and fails on a
    /// missing, failed or short answer.
    #[test]
    fn a_fan_out_is_checked_url_by_url() {
        let delay = Duration::from_millis(50);
        let urls = urls("127.0.0.1:8080".parse().unwrap(), delay, 3);
        assert_eq!(urls.len(), 3);
        assert!(urls.iter().all(|u| u.path == "/slow?delay=50"));
        let good = Ok(Fetched { status: 200, length: http::slow_body(delay).len() });
        assert!(check(delay, 3, &[good.clone(), good.clone(), good.clone()]).is_ok());
        assert!(check(delay, 3, &[good.clone(), good.clone()]).is_err(), "a result missing");
        assert!(check(delay, 2, &[good.clone(), Err("timed out".to_owned())]).is_err());
        assert!(check(delay, 1, &[Ok(Fetched { status: 200, length: 3 })]).is_err(), "a short body");
    }

    #[test]
    fn errors_in_words() {
        let timeout = Duration::from_secs(10);
        let refused = io::Error::from_raw_os_error(111);
        assert_eq!(failed("connect", &refused, timeout), "connect: connection refused");
        let timed = io::Error::from(ErrorKind::TimedOut);
        assert_eq!(failed("read", &timed, timeout), "timed out after 10 s");
        assert_eq!(timed_out(timeout), "timed out after 10 s");
        assert_eq!(timed_out(Duration::from_millis(250)), "timed out after 250 ms");
    }
}
