// Does not compile: the std `MutexGuard` is alive across the `.await`, so the future holds
// it while suspended. A guard must be released by the thread that took it, so it is not
// `Send`, the future is not `Send`, and `tokio::spawn`, which may resume the task on
// another worker, refuses it.
use std::sync::{Arc, Mutex};

async fn bump_twice(counter: Arc<Mutex<u64>>) {
    let mut count = counter.lock().unwrap();
    *count += 1;
    tokio::task::yield_now().await;
    *count += 1;
}

fn main() {
    drop(tokio::spawn(bump_twice(Arc::new(Mutex::new(0)))));
}
