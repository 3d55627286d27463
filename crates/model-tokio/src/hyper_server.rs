//! The reference server, not a model's workload: the same endpoints served by hyper 1, the
//! HTTP stack most of Rust's servers stand on (axum, warp and tonic among them), on the
//! same tokio runtime, with the same connection cap, idle timeout, routing and graceful
//! shutdown. The model servers' figures are read against its figures: how far a protocol
//! core of a few hundred lines is from a production one.
//!
//! Only the HTTP handling differs from [`crate::server`]: the accept loop is the same
//! (`server::accept_until_stopped`), and each connection is hyper's instead of a loop over
//! [`workloads::http::step`].

use std::borrow::Cow;
use std::convert::Infallible;
use std::io;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{ALLOW, CONNECTION, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use workloads::Reference;
use workloads::http::{self, Connections, Stop};

use crate::server::{accept_until_stopped, join_all};

/// The reference's column in the table, with its own words: it has figures in the HTTP
/// server's rows only.
pub const REFERENCE: Reference = Reference {
    id: "hyper",
    workload: &workloads::server::HTTP_SERVER,
    name: "hyper (reference)",
    concurrency: "hyper's HTTP/1 server on tokio: the reference for the HTTP rows",
    best_for: "Production HTTP: a complete, tested HTTP stack",
    debugging: "As tokio, plus hyper's own layers",
};

/// Serves the endpoints of [`workloads::http`] with hyper on `listener` until `stop` fires,
/// then lets the requests in flight finish and returns once every connection has closed.
///
/// # Errors
/// The listener could not be handed to tokio's reactor, or the accept loop panicked.
pub async fn serve(
    listener: std::net::TcpListener,
    connections: Arc<Connections>,
    stop: Stop,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = TcpListener::from_std(listener)?;
    // A task, as in `server::serve`: spawned from a worker, the connections start in its
    // own queue.
    tokio::spawn(accept_loop(listener, connections, stop)).await.map_err(io::Error::other)
}

/// hyper's connection settings, the model servers' policies in hyper's words.
fn builder() -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        // HTTP/1.1's default, as in the model servers.
        .keep_alive(true)
        // hyper's timeouts need a timer; tokio's, here.
        .timer(TokioTimer::new())
        // A whole request head within the idle timeout, counted from when hyper starts
        // waiting for it: an idle keep-alive connection, or one trickling bytes, is closed.
        .header_read_timeout(http::IDLE_TIMEOUT)
        // The same head limits as `step`: past them, hyper answers 431 and closes.
        .max_headers(http::MAX_HEADERS)
        .max_header_size(http::MAX_HEAD);
    // Not `pipeline_flush(true)` (gather the answers to pipelined requests into one write):
    // in hyper 1.12 it skips every flush while unread bytes wait in the read buffer, and
    // after a malformed or oversized head those bytes are the bad request itself, so the
    // 400 or 431 hyper wrote for it would never be sent. The load test does not pipeline.
    builder
}

/// The accept loop of [`crate::server`], with hyper serving each connection, each watched
/// by one [`GracefulShutdown`] that stops them all at once.
async fn accept_loop(listener: TcpListener, connections: Arc<Connections>, stop: Stop) {
    let builder = builder();
    let graceful = GracefulShutdown::new();
    let tasks = accept_until_stopped(listener, &connections, &stop, |stream, open| {
        // The connection's place lives as long as the service, which hyper drops with the
        // connection; each request holds it too, to count itself once it is answered.
        let open = Arc::new(open);
        let service = service_fn(move |request| {
            let open = Arc::clone(&open);
            async move {
                let response = respond(&request).await;
                open.answered();
                Ok::<_, Infallible>(response)
            }
        });
        // `watch`: once `shutdown` is called, the connection finishes the request it is
        // answering (hyper stops keeping it alive) or, idle, closes at once.
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        async move {
            // An error here is one client's (a reset, a timeout, a malformed request hyper
            // has already answered): the connection ends, the server goes on.
            let _ = connection.await;
        }
    })
    .await;
    // Stopped: tell every watched connection, and wait until each has finished.
    graceful.shutdown().await;
    // Then the tasks themselves, so that nothing of the server outlives `serve`.
    join_all(tasks).await;
}

/// The answer to one request: the shared routing of [`http::route`], in hyper's types.
async fn respond(request: &Request<Incoming>) -> Response<Full<Bytes>> {
    // The same answer as the model servers to a method other than GET and HEAD: 405 with
    // the methods served, then close (the request's body, if any, is not read). hyper
    // leaves out a HEAD response's body itself.
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, http::reason(405).as_bytes());
        response.headers_mut().insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    let target = request.uri().path_and_query().map_or("/", |target| target.as_str());
    let Some(route) = http::route(request.method().as_str(), target) else {
        // A bad request closes the connection too, as `step`'s rejections do.
        let mut response = text(StatusCode::BAD_REQUEST, http::reason(400).as_bytes());
        response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
        return response;
    };
    if !route.wait.is_zero() {
        tokio::time::sleep(route.wait).await;
    }
    let body = match route.body {
        Cow::Borrowed(body) => Bytes::from_static(body),
        Cow::Owned(body) => Bytes::from(body),
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = StatusCode::from_u16(route.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(route.content_type));
    response
}

/// A plain-text response.
fn text(status: StatusCode, body: &'static [u8]) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}
