//! The network (the docs' chapters 4, the HTTP client, and 5, the web server): the HTTP
//! server (W13) and the client fan-out (W15), on loopback.
//!
//! W13: each model's server runs as a `serve` child process with the run's worker count;
//! the `load` child process, the same for every server, offers it one step of load at a
//! time (closed loop at each connection count, open loop at a ladder of fixed rates that
//! is the same for every server, one fixed rate for the CPU figure, and `/slow` for
//! waiting), and the server's CPU time is read from `/proc/PID/stat` around the fixed-rate
//! step. hyper on tokio runs the same steps as the reference, as a column of its own. Each
//! round starts every server afresh, in the round's order.
//!
//! W15: one fixed server (tokio's) answers every model's fan-out. reqwest on tokio makes
//! the same fan-outs as the reference, as a column of its own, beside tokio's own at each
//! size.

use std::time::{Duration, Instant};

use criterion::Criterion;
use report::Record;
use workloads::server::LoadSizes;
use workloads::spec::Spec;
use workloads::{Profile, client, text};

use super::plan::{self, ModelPoints};
use super::registry::Registration;
use super::rounds::Round;
use super::{Context, Entry, Measured};
use concurrency_models::load::LoadReport;
use concurrency_models::serve::{ServeChild, Server};

/// One load step may run this long past its window before the `load` child is killed.
const STEP_SLACK: Duration = Duration::from_secs(30);

/// W13, the HTTP server.
#[derive(Debug)]
pub struct HttpServer;

impl Registration for HttpServer {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::server::Declared
    }

    /// A server's figures come from one `serve` child per round whatever its points; an
    /// extra round picks the steps the table reads ([`measure_server`]).
    fn table_points_in_extra_rounds(&self) -> bool {
        false
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let s = LoadSizes::new(profile);
        let rates: Vec<String> = s.rates.iter().map(|r| text::group_thousands(*r as u64)).collect();
        vec![format!(
            "{}: each model's server in a `serve` process, started afresh in each round, loaded by the `load` \
             process (two threads, the same for every server) in steps of {} after {} of warm-up ({} at {} \
             connections; closed loop, {} per connection where that is longer, so that the server has \
             accepted them all when the window opens): closed loop at {:?} connections; open loop at {} requests/s over {} connections, the \
             same rates for every server, each request's latency counted from when it was due (the generator \
             paces requests with a thread of its own, not a 1 ms timer), {} per step ({} at {} requests/s, \
             the table's rate: a p99 over a short window is set by whether a pause of the machine fell in \
             it); a rate at or past a \
             server's peak is marked saturated; the server's CPU per thousand requests at {:.0} requests/s \
             over {} connections for {} (from /proc/PID/stat, in ticks of 10 ms); {} closed loop \
             at {:?} connections. {} hyper (on tokio, with the same worker count) is the reference.{}",
            workloads::server::HTTP_SERVER.code,
            text::duration(s.window),
            text::duration(s.warmup),
            text::duration(s.headline_window),
            s.headline,
            text::duration(workloads::server::WARMUP_PER_CONNECTION),
            s.connections,
            rates.join(", "),
            s.headline,
            text::duration(s.latency_window),
            text::duration(s.latency_headline_window),
            text::group_thousands(s.latency_headline as u64),
            s.cpu_rate,
            s.cpu_connections,
            text::duration(s.cpu_window),
            workloads::http::slow_path(s.slow_delay_ms),
            s.slow_connections,
            match (cores(), apart_cores()) {
                (Some((server, load)), _) =>
                    format!("The server ran on cores {server} and the generator on cores {load}."),
                (None, Some((server, load))) => format!(
                    "On this machine (2 cores) the generator and the server share the cores in the closed-loop \
                     and /slow steps, as wrk and a server on one machine do; in the open-loop and CPU steps the \
                     server ran on core {server} and the generator on core {load}, so that neither's threads \
                     take turns with the other's."
                ),
                (None, None) => "On this machine (1 core) the generator and the server share it.".to_owned(),
            },
            if profile == Profile::Full {
                " In the two extra rounds of a full run, each server runs only the steps the table reads (the \
                 headline connection count, the headline rate, the CPU step)."
            } else {
                ""
            },
        )]
    }

    fn measure(
        &mut self,
        ctx: &Context,
        _criterion: &mut Criterion,
        plan: &[ModelPoints],
        round: Round,
    ) -> Measured {
        let sizes = LoadSizes::new(ctx.profile);
        let mut measured = Measured::default();
        // Every server of the round, hyper beside tokio's own, in a random order.
        let mut servers = Vec::new();
        for selected in plan.iter().filter(|s| !s.points.is_empty()) {
            let entry = &ctx.models[selected.model];
            servers.push((Server::Model(entry.id), selected));
            // The reference server runs where its model's runtime does (hyper, on tokio's).
            if entry.info.reference(&workloads::server::HTTP_SERVER).is_some() {
                servers.push((Server::Reference(entry.id), selected));
            }
        }
        round.shuffle("http_servers", &mut servers);
        for (server, selected) in servers {
            let connections: Vec<usize> = selected.points.iter().map(|p| p.n).collect();
            match measure_server(ctx, server, &connections, &sizes, round.extra) {
                Ok(records) => measured.records.extend(records),
                Err(reason) => {
                    println!("{}/{}: {reason}", workloads::server::HTTP_SERVER.id, server.id());
                    for point in &selected.points {
                        measured.records.extend(plan::reasons(self, server.id(), point, &reason));
                    }
                }
            }
            ctx.watchdog.beat();
        }
        measured
    }
}

/// Runs the `load` binary for one step against `addr`.
fn load_step(
    ctx: &Context,
    (addr, load_cores): (&str, Option<&str>),
    path: &str,
    connections: usize,
    rate: Option<f64>,
    sizes: &LoadSizes,
) -> Result<LoadReport, String> {
    let mut args: Vec<String> = [
        "--addr",
        addr,
        "--path",
        path,
        "--connections",
        &connections.to_string(),
        "--warmup-ms",
        &sizes.warmup.as_millis().to_string(),
        "--duration-ms",
        &sizes.window.as_millis().to_string(),
        "--timeout-ms",
        "2000",
        "--json",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if let Some(rate) = rate {
        args.extend(["--rate".to_owned(), format!("{rate:.0}")]);
    }
    if let Some(load) = load_cores {
        args.extend(["--cpus".to_owned(), load.to_owned()]);
    }
    let report = concurrency_models::child::run_json(
        &ctx.load_exe,
        &args,
        &[0],
        sizes.warmup + sizes.window + STEP_SLACK,
    );
    ctx.watchdog.beat();
    report
}

/// Every step of W13 against one server, in a `serve` child of its own; in an extra round
/// (`table_only`), only the steps whose figures the table reads.
fn measure_server(
    ctx: &Context,
    server: Server,
    connections: &[usize],
    sizes: &LoadSizes,
    table_only: bool,
) -> Result<Vec<Record>, String> {
    let id = server.id();
    let shared = cores();
    let extra: Vec<&str> =
        shared.as_ref().map(|(server, _)| vec!["--cpus", server.as_str()]).unwrap_or_default();
    let child = ServeChild::start(&ctx.serve_exe, server, ctx.workers, &extra)?;
    let addr = child.addr.to_string();
    // Closed loop and /slow: the generator on its own cores where there are enough, else
    // sharing them with the server (both want all they can get).
    let together = (addr.as_str(), shared.as_ref().map(|(_, load)| load.as_str()));
    let workload = workloads::server::HTTP_SERVER.id;
    let mut records = Vec::new();

    // Closed loop: requests per second at each connection count.
    let mut largest = None;
    let mut peak = None;
    for &c in connections.iter().filter(|&&c| !table_only || c == sizes.headline) {
        let (report, record) = closed_step(ctx, together, id, c, sizes)?;
        records.push(record);
        if report.error_count() == 0 && report.connected == c && report.capped.is_none() {
            largest = Some(c);
        }
        if c == sizes.headline {
            peak = Some(report.requests_per_second);
        }
    }
    let most = *connections.iter().max().unwrap_or(&0);
    let held = match largest {
        // The largest count served needs every count: not in a round of the table's steps.
        _ if table_only => None,
        Some(c) if c == most => Some(
            Record::value(id, &workloads::server::HTTP_LARGEST_CONNECTIONS, None, c as f64)
                .with_note("the most tried; every request answered"),
        ),
        Some(c) => Some(
            Record::value(id, &workloads::server::HTTP_LARGEST_CONNECTIONS, None, c as f64)
                .with_note("past it, some connections got no answer in the window, or failed"),
        ),
        None => Some(Record::reason(
            id,
            &workloads::server::HTTP_LARGEST_CONNECTIONS,
            None,
            "no step answered every request",
        )),
    };
    records.extend(held);

    // Open loop and the CPU step: server and generator on separate cores, even on 2 cores.
    // A fixed rate needs no more than a core of generator, and a latency counts every
    // moment the server waits for a core: shared, the generator's own threads would take
    // turns with the server's and put their time slices into its tail.
    let apart = apart_cores();
    if shared.is_none()
        && let Some((server_cores, _)) = &apart
    {
        let cores = concurrency_models::load::parse_cores(server_cores)?;
        concurrency_models::placement::pin_process(child.pid(), &cores)?;
    }
    let alone = (addr.as_str(), apart.as_ref().map(|(_, load)| load.as_str()));
    for &rate in sizes.rates.iter().filter(|&&rate| !table_only || rate == sizes.latency_headline) {
        let window =
            if rate == sizes.latency_headline { sizes.latency_headline_window } else { sizes.latency_window };
        let step = LoadSizes { window, ..sizes.clone() };
        let report = load_step(ctx, alone, "/", sizes.headline, Some(rate), &step)?;
        let dist = dist_of(&report);
        let saturated = peak.is_some_and(|peak| rate >= peak) || report.requests_per_second < 0.95 * rate;
        println!(
            "{workload}/{id}: offered {rate:.0}/s: answered {:.0}/s, p50 {}, p99 {}, {} errors{}",
            report.requests_per_second,
            text::duration(Duration::from_nanos(dist.p50 as u64)),
            text::duration(Duration::from_nanos(dist.p99 as u64)),
            report.error_count(),
            if saturated { " (saturated)" } else { "" }
        );
        let mut notes = Vec::new();
        if saturated {
            notes.push(format!(
                "saturated: {:.0}/s answered of {rate:.0}/s offered{}",
                report.requests_per_second,
                peak.map_or(String::new(), |p| format!(", peak {p:.0}/s closed loop"))
            ));
        }
        notes.extend(step_note(&report));
        let record =
            Record::value(id, &workloads::server::HTTP_LATENCY, Some(rate as u64), dist.p50).with_dist(dist);
        records.push(if notes.is_empty() { record } else { record.partial(notes.join("; ")) });
    }

    // The server's CPU per thousand requests, at one rate for every server.
    let before = child.cpu_time();
    let report = load_step(
        ctx,
        alone,
        "/",
        sizes.cpu_connections,
        Some(sizes.cpu_rate),
        &LoadSizes { warmup: Duration::ZERO, window: sizes.cpu_window, ..sizes.clone() },
    )?;
    if let (Some(before), Some(after)) = (before, child.cpu_time())
        && report.requests > 0
    {
        let cpu = after.saturating_sub(before);
        let per_thousand = cpu.as_secs_f64() * 1e3 / (report.requests as f64 / 1e3);
        let mut note = format!("{:.0}/s answered", report.requests_per_second);
        let partial = step_note(&report);
        if let Some(more) = &partial {
            note += &format!("; {more}");
        }
        println!("{workload}/{id}: {per_thousand:.1} ms CPU per 1 000 requests ({note})");
        let record = Record::value(
            id,
            &workloads::server::HTTP_CPU_PER_THOUSAND,
            Some(sizes.cpu_rate as u64),
            per_thousand,
        );
        records.push(if partial.is_some() { record.partial(note) } else { record.with_note(note) });
    }
    if shared.is_none() && apart.is_some() {
        concurrency_models::placement::free_process(child.pid())?;
    }

    // Waiting on I/O: many connections, each request answered after a delay.
    let slow = workloads::http::slow_path(sizes.slow_delay_ms);
    for &c in sizes.slow_connections.iter().filter(|_| !table_only) {
        let report = load_step(ctx, together, &slow, c, None, sizes)?;
        println!(
            "{workload}/{id}: {slow} at {c} connections: {:.0} requests/s ({} errors)",
            report.requests_per_second,
            report.error_count()
        );
        let mut record = Record::value(
            id,
            &workloads::server::HTTP_SLOW_REQUESTS_PER_SECOND,
            Some(c as u64),
            report.requests_per_second,
        );
        if let Some(note) = step_note(&report) {
            record = record.partial(note);
        }
        records.push(record);
    }

    let shut = child.stop(Duration::from_secs(30)).map_err(|e| format!("shutdown: {e}"))?;
    if shut.open != 0 {
        return Err(format!("{} connections still open after shutdown", shut.open));
    }
    Ok(records)
}

/// The closed-loop step the table's requests-per-second row reads (its connections, warm-up
/// and window), against a server that is already started and that `id` names: a Python
/// column's. Only that step: the Rust servers' other steps (the connection ladder, the
/// open-loop rates, the CPU step) would cost the run more than a minute for three servers
/// that answer a tenth as many requests.
///
/// # Errors
/// The server could not be kept on its cores, or the load generator failed.
pub(crate) fn headline_step(ctx: &Context, child: &ServeChild, id: &str) -> Result<Record, String> {
    let sizes = LoadSizes::new(ctx.profile);
    let c = sizes.headline;
    // As the Rust servers' closed-loop steps: apart where there are cores enough, else both
    // sharing every core.
    let shared = cores();
    if let Some((server_cores, _)) = &shared {
        let server_cores = concurrency_models::load::parse_cores(server_cores)?;
        concurrency_models::placement::pin_process(child.pid(), &server_cores)?;
    }
    let addr = child.addr.to_string();
    let together = (addr.as_str(), shared.as_ref().map(|(_, load)| load.as_str()));
    Ok(closed_step(ctx, together, id, c, &sizes)?.1)
}

/// One closed-loop step of `c` connections against the server at `together.0` (the
/// generator on the cores `together.1`, if any): its warm-up ([`LoadSizes::warmup_for`])
/// and window (longer at the headline count), printed, and its requests-per-second record,
/// partial when the step says so ([`step_note`]).
fn closed_step(
    ctx: &Context,
    together: (&str, Option<&str>),
    id: &str,
    c: usize,
    sizes: &LoadSizes,
) -> Result<(LoadReport, Record), String> {
    let step = LoadSizes {
        warmup: sizes.warmup_for(c),
        window: if c == sizes.headline { sizes.headline_window } else { sizes.window },
        ..sizes.clone()
    };
    let report = load_step(ctx, together, "/", c, None, &step)?;
    println!(
        "{}/{id}/{c}: {:.0} requests/s, p99 {} (closed loop), {} errors",
        workloads::server::HTTP_SERVER.id,
        report.requests_per_second,
        text::duration(Duration::from_micros(report.p99_us as u64)),
        report.error_count()
    );
    let record = Record::value(
        id,
        &workloads::server::HTTP_REQUESTS_PER_SECOND,
        Some(c as u64),
        report.requests_per_second,
    );
    let record = match step_note(&report) {
        Some(note) => record.partial(note),
        None => record,
    };
    Ok((report, record))
}

/// The cores of the server and of the load generator, when the machine has enough to keep
/// them apart ([`concurrency_models::load::split_cores`]).
fn cores() -> Option<(String, String)> {
    concurrency_models::load::split_cores(std::thread::available_parallelism().map_or(1, usize::from))
}

/// The cores of the server and of the load generator for the open-loop and CPU steps: kept
/// apart whenever there are two cores to keep them on (the first core the run may use for
/// the server, the last for the generator, on 2 cores).
fn apart_cores() -> Option<(String, String)> {
    cores().or_else(|| {
        let all = concurrency_models::placement::current_cores();
        match (all.first(), all.last()) {
            (Some(first), Some(last)) if first != last => Some((first.to_string(), last.to_string())),
            _ => None,
        }
    })
}

/// The latency distribution of a step, in nanoseconds.
fn dist_of(report: &LoadReport) -> report::Distribution {
    report::Distribution {
        p50: report.p50_us * 1e3,
        p99: report.p99_us * 1e3,
        p999: report.p999_us * 1e3,
        max: report.max_us * 1e3,
        count: report.requests,
    }
}

/// What a reader must know about a step: errors, and a cap on connections.
fn step_note(report: &LoadReport) -> Option<String> {
    let mut notes = Vec::new();
    if report.connected < report.connections {
        notes.push(format!("{} of {} connections opened", report.connected, report.connections));
    }
    if let Some(capped) = &report.capped {
        notes.push(capped.clone());
    }
    if report.starved > 0 {
        notes.push(format!(
            "{} of {} connections got no answer in the window",
            report.starved, report.connections
        ));
    }
    let errors = report.error_count() - report.starved;
    if errors > 0 {
        let kinds: Vec<String> = report.errors.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let mut text = format!("{errors} failed: {}", kinds.join(", "));
        if report.unanswered > 0 {
            text += &format!(
                "{}{} unanswered at the end",
                if kinds.is_empty() { "" } else { ", " },
                report.unanswered
            );
        }
        notes.push(text);
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// W15, the client fan-out.
#[derive(Debug)]
pub struct HttpClient;

impl Registration for HttpClient {
    fn spec(&self) -> &'static dyn Spec {
        &workloads::client::Declared
    }

    fn notes(&self, profile: Profile) -> Vec<String> {
        let sizes = client::sizes(profile);
        vec![format!(
            "{}: each model fetches N URLs of {} at once, one connection each, from one tokio server \
             in a `serve` process (one per round); one fan-out per size and round; every answer is checked. \
             reqwest (on tokio, with the same worker count; a client, and so a connection pool, per fan-out, \
             which opens one connection per URL since all start at once) is the reference, measured \
             beside tokio's own at each size, the two in a random order.",
            client::HTTP_CLIENT.code,
            workloads::http::slow_path(sizes.delay.as_millis() as u64),
        )]
    }

    fn measure(
        &mut self,
        ctx: &Context,
        _criterion: &mut Criterion,
        plan: &[ModelPoints],
        round: Round,
    ) -> Measured {
        let sizes = client::sizes(ctx.profile);
        let mut measured = Measured::default();
        // The fan-out's server: the model whose runtime hosts the reference server (tokio's),
        // a server every run has; found by what the model declares, not by its id.
        // No such model is a failure of every point, with the reason, as a server that
        // would not start is.
        let host = ctx.models.iter().find(|e| e.info.reference(&workloads::server::HTTP_SERVER).is_some());
        let started = match host {
            Some(host) => ServeChild::start(&ctx.serve_exe, Server::Model(host.id), ctx.workers, &[]),
            None => Err("no model hosts a server for the fan-out".to_owned()),
        };
        let server = match started {
            Ok(server) => server,
            Err(reason) => {
                for (entry, point) in ctx.points(plan) {
                    for (id, _) in fetchers(entry) {
                        let reason = format!("the server: {reason}");
                        measured.records.extend(plan::reasons(self, id, point, &reason));
                    }
                }
                return measured;
            }
        };
        let delay = sizes.delay;
        for (entry, point) in ctx.points(plan) {
            // The model's own fan-out and, where its runtime hosts one, the reference
            // client's at the same size (reqwest, on tokio's), the two in a random order.
            let mut fetchers = fetchers(entry);
            round.shuffle(&point.id, &mut fetchers);
            for (id, fetcher) in fetchers {
                let bench_id = plan::id(&client::HTTP_CLIENT, id, point.variant, point.placement, point.n);
                let urls = client::urls(server.addr, delay, point.n);
                let timeout = Duration::from_secs(10);
                let start = Instant::now();
                let fetched = match fetcher {
                    Fetcher::Model => entry.model.fetch_all(&urls, timeout),
                    Fetcher::Reference => entry.model.fetch_all_reference(&urls, timeout),
                };
                let results = match fetched {
                    Ok(results) => results,
                    Err(not_run) => {
                        measured.records.extend(plan::reasons(self, id, point, &not_run.to_string()));
                        continue;
                    }
                };
                let time = start.elapsed();
                ctx.watchdog.beat();
                client::check(delay, point.n, &results).unwrap_or_else(|wrong| panic!("{bench_id}: {wrong}"));
                println!("{bench_id}: {} for {} URLs", text::duration(time), point.n);
                measured.records.push(point.record(
                    id,
                    &client::HTTP_CLIENT_WALL_TIME,
                    time.as_secs_f64() * 1e3,
                ));
            }
        }
        if let Err(e) = server.stop(Duration::from_secs(30)) {
            measured.notes.push(format!(
                "{}: the fan-out's server did not shut down cleanly: {e}",
                client::HTTP_CLIENT.code
            ));
        }
        measured
    }
}

/// Who makes a fan-out: the model's own client, or the reference client its runtime hosts.
#[derive(Debug, Clone, Copy)]
enum Fetcher {
    /// [`workloads::Network::fetch_all`].
    Model,
    /// [`workloads::Network::fetch_all_reference`].
    Reference,
}

/// The fan-outs the model `entry` makes at each of its sizes, each with the column it is
/// recorded under: its own, and the reference client's if its runtime hosts one (reqwest,
/// on tokio's), as the model declares.
fn fetchers(entry: &Entry) -> Vec<(&'static str, Fetcher)> {
    let reference = entry.info.reference(&client::HTTP_CLIENT);
    std::iter::once((entry.info.id, Fetcher::Model))
        .chain(reference.map(|reference| (reference.id, Fetcher::Reference)))
        .collect()
}
