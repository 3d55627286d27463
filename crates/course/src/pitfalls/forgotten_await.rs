//! Forgetting `.await`: the call builds a future and nothing runs it.

use std::sync::Mutex;

/// Appends `entry` to `log`: the work the caller means to do.
///
/// # Panics
/// If another thread panicked while holding the log.
pub async fn save(log: &Mutex<Vec<String>>, entry: &str) {
    log.lock().expect("a thread panicked holding the log").push(entry.to_owned());
}

/// The pitfall: `save` is called, not awaited. The future it returns is dropped at the
/// semicolon, unpolled, and nothing is saved. The compiler warns (`unused_must_use`); with
/// the warning denied, as CI should, it refuses (`compile_fail/forgotten_await.rs`):
///
/// ```compile_fail
#[doc = include_str!("../../compile_fail/forgotten_await.rs")]
/// ```
pub async fn forgot_to_await(log: &Mutex<Vec<String>>) {
    // The mistake, kept on purpose: the `allow` silences the warning that would catch it.
    #[allow(unused_must_use)]
    save(log, "order 1");
}

/// The fix: `.await` it.
pub async fn awaited(log: &Mutex<Vec<String>>) {
    save(log, "order 1").await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without `.await`, `save` never ran: the log is empty after the caller finished.
    #[test]
    fn a_future_not_awaited_never_runs() {
        let log = Mutex::new(Vec::new());
        smol::block_on(forgot_to_await(&log));
        assert!(log.lock().unwrap().is_empty());
    }

    /// Awaited, it ran.
    #[test]
    fn awaited_it_runs() {
        let log = Mutex::new(Vec::new());
        smol::block_on(awaited(&log));
        assert_eq!(*log.lock().unwrap(), ["order 1"]);
    }
}
