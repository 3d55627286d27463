//! Rust's `asyncio.run(main())`: `#[tokio::main]` turns `async fn main` into a plain `main`
//! that builds a runtime and blocks on the body (written out by hand in
//! `src/foundations/runtimes.rs`). Run it: `cargo run -p course --example asyncio_run`.

use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let start = Instant::now();
    // Three "API calls" of 30, 10 and 20 ms, as tasks: they wait together.
    let calls = [30, 10, 20].map(|ms| tokio::spawn(tokio::time::sleep(Duration::from_millis(ms))));
    for call in calls {
        call.await.expect("a call panicked");
    }
    // About 30 ms, the longest call, not 60: the waits overlapped.
    println!("three calls took {:?}", start.elapsed());
}
