//! Cancel safety: dropping a future cancels it at the `.await` where it stopped, and
//! `tokio::select!` drops every branch but the winner. Whatever a dropped branch had done
//! so far is kept or lost depending on *where* it kept it.
//!
//! Python cancels by raising `CancelledError` at the `await`; the coroutine may catch it
//! and tidy up. A Rust future gets no say: it is simply dropped, and only destructors run.
//! An operation is *cancel-safe* when dropping it before it completes loses nothing: a
//! channel's `recv` (no message is taken until it is returned), `Lines::next_line`. It is
//! not when it keeps progress inside the future, or in a buffer the loop throws away.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::sleep;

/// Not cancel-safe: reads lines while a timer ticks every `tick`, with the line's buffer
/// made afresh in each turn of the loop. When the tick wins, `select!` drops the read, and
/// the turn ends, dropping the buffer with the bytes the read had already taken.
///
/// # Errors
/// Reading failed.
pub async fn lines_buffer_inside(
    mut reader: impl AsyncBufRead + Unpin,
    tick: Duration,
) -> io::Result<Vec<String>> {
    let mut lines = Vec::new();
    loop {
        let mut line = Vec::new();
        tokio::select! {
            // `biased`: poll the branches in the order written (by default the order is
            // random), so that a run is the same every time.
            biased;
            read = reader.read_until(b'\n', &mut line) => {
                if read? == 0 {
                    return Ok(lines);
                }
                lines.push(String::from_utf8_lossy(&line).trim_end().to_owned());
            }
            // A heartbeat, a shutdown check, a progress report: anything periodic.
            () = sleep(tick) => {}
        }
    }
}

/// Cancel-safe: the same loop with the buffer outside it. `read_until` appends to the buffer
/// as it reads, so a read dropped by `select!` leaves its bytes there and the next read
/// appends the rest of the line.
///
/// # Errors
/// Reading failed.
pub async fn lines_buffer_outside(
    mut reader: impl AsyncBufRead + Unpin,
    tick: Duration,
) -> io::Result<Vec<String>> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    loop {
        tokio::select! {
            biased;
            read = reader.read_until(b'\n', &mut line) => {
                if read? == 0 {
                    return Ok(lines);
                }
                lines.push(String::from_utf8_lossy(&line).trim_end().to_owned());
                line.clear();
            }
            () = sleep(tick) => {}
        }
    }
}

/// Writes `hello\n` in two halves, `pause` apart, then closes: a slow sender whose line is
/// cut by at least one tick when `pause` is longer than the reader's tick.
///
/// # Errors
/// Writing failed.
pub async fn write_in_two_halves(mut writer: impl AsyncWrite + Unpin, pause: Duration) -> io::Result<()> {
    writer.write_all(b"hel").await?;
    sleep(pause).await;
    writer.write_all(b"lo\n").await?;
    // Closing is the reader's end of input.
    writer.shutdown().await
}

#[cfg(test)]
mod tests {
    use tokio::io::{BufReader, duplex};

    use super::*;

    const TICK: Duration = Duration::from_millis(10);
    const PAUSE: Duration = Duration::from_millis(25);

    // A paused clock: the two halves are 25 ms apart and the reader ticks every 10 ms, in
    // tokio's virtual time, so the interleaving is the same on every run and every machine.

    /// With the buffer inside the loop, the tick that wins mid-line throws away "hel".
    #[tokio::test(start_paused = true)]
    async fn a_buffer_inside_the_loop_loses_bytes() {
        let (reader, writer) = duplex(64);
        let (lines, written) = tokio::join!(
            lines_buffer_inside(BufReader::new(reader), TICK),
            write_in_two_halves(writer, PAUSE)
        );
        written.unwrap();
        assert_eq!(lines.unwrap(), ["lo"]);
    }

    /// With the buffer outside, the same ticks lose nothing.
    #[tokio::test(start_paused = true)]
    async fn a_buffer_outside_the_loop_keeps_them() {
        let (reader, writer) = duplex(64);
        let (lines, written) = tokio::join!(
            lines_buffer_outside(BufReader::new(reader), TICK),
            write_in_two_halves(writer, PAUSE)
        );
        written.unwrap();
        assert_eq!(lines.unwrap(), ["hello"]);
    }
}
