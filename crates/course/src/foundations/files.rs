//! Async file I/O: `tokio::fs`, the tutorial's aiofiles.
//!
//! Linux has no readiness notification for regular files: `epoll`, on which tokio's sockets
//! rest, refuses them, and `poll` calls them always ready, though a read may still wait for
//! the disk. `tokio::fs` therefore runs each blocking call (`open`, `read`, `write`...) on
//! its blocking pool with `spawn_blocking` and awaits the result; aiofiles does the same
//! with a thread pool. It keeps the runtime's workers free, but it is not "truly async":
//! every call costs a hand-off to another thread. Many small reads are faster done in one
//! `spawn_blocking` with `std::fs`; truly async files need io_uring (`tokio-uring`).
//! smol's `smol::fs` works the same way, on its own blocking pool.

use std::io;
use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;

/// Writes `lines` to a new file at `path`, one per line, then reads the file back.
///
/// # Errors
/// Creating, writing or reading the file failed.
pub async fn write_then_read(path: &Path, lines: &[&str]) -> io::Result<String> {
    let mut file = tokio::fs::File::create(path).await?;
    for line in lines {
        // Each write is copied into the file's buffer and handed to the blocking pool;
        // the task is suspended until the pool has taken it.
        file.write_all(line.as_bytes()).await?;
        file.write_all(b"\n").await?;
    }
    // Wait for the last write to reach the OS. A tokio `File` dropped with a write still in
    // flight closes only once that write is done, in the background: a read right after
    // could miss it. (`sync_all` would also wait for the disk.)
    file.flush().await?;
    drop(file);
    tokio::fs::read_to_string(path).await
}

/// What `tokio::fs::read_to_string` does under the hood: the blocking `std::fs` call, on
/// the blocking pool, awaited.
///
/// # Errors
/// Reading the file failed.
///
/// # Panics
/// If the blocking call panicked.
pub async fn read_on_blocking_pool(path: PathBuf) -> io::Result<String> {
    // The closure owns the path: it runs on another thread, maybe after this task is gone.
    tokio::task::spawn_blocking(move || std::fs::read_to_string(path)).await.expect("the read panicked")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines written with `tokio::fs` read back whole, from a real file.
    #[tokio::test]
    async fn writes_then_reads_a_real_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.txt");
        let text = write_then_read(&path, &["order 1", "order 2"]).await.unwrap();
        assert_eq!(text, "order 1\norder 2\n");
    }

    /// `spawn_blocking` with `std::fs` reads what `tokio::fs` reads.
    #[tokio::test]
    async fn the_blocking_pool_reads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orders.txt");
        write_then_read(&path, &["order 1"]).await.unwrap();
        assert_eq!(
            read_on_blocking_pool(path.clone()).await.unwrap(),
            tokio::fs::read_to_string(&path).await.unwrap()
        );
    }
}
