//! The progress line of `coagtag tag` on a terminal: files, MB read, articles per second, ETA.
//!
//! The library only keeps counters ([`coagtag::input::Progress`]); a thread here redraws one
//! line of standard error from them a few times a second, and clears it when the run ends.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use coagtag::input::Progress;

/// A running progress display; [`ProgressLine::finish`] (or dropping it) stops and clears it.
pub struct ProgressLine {
    /// The width of the line on screen (0: nothing shown).
    width: Arc<AtomicUsize>,
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl ProgressLine {
    /// Start drawing when standard error is a terminal and the run is not quiet; otherwise a
    /// display that shows nothing. `total_bytes` is the size of the input files as stored (0 when
    /// unknown, e.g. standard input: no ETA then).
    pub fn start(counters: &Arc<Progress>, files: usize, total_bytes: u64, quiet: bool) -> ProgressLine {
        if quiet || !std::io::stderr().is_terminal() {
            return ProgressLine {
                width: Arc::new(AtomicUsize::new(0)),
                stop: None,
                thread: None,
            };
        }
        let (tx, rx) = channel::<()>();
        let counters = Arc::clone(counters);
        let shown = Arc::new(AtomicUsize::new(0));
        let shown_ref = Arc::clone(&shown);
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            // until the run ends (a message, or the sender dropped)
            while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_millis(250)) {
                let line = render(&counters, files, total_bytes, start.elapsed().as_secs_f64());
                let mut err = std::io::stderr().lock();
                let width = shown_ref.load(Ordering::Relaxed).max(line.chars().count());
                let _ = write!(err, "\r{line:<width$}");
                let _ = err.flush();
                shown_ref.store(width, Ordering::Relaxed);
            }
            clear(&shown_ref);
        });
        ProgressLine {
            width: shown,
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    /// Clear the line so that a message can be printed; it is drawn again at the next tick.
    pub fn clear_for_message(&self) {
        clear(&self.width);
    }

    /// Stop drawing and clear the line.
    pub fn finish(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn clear(width: &AtomicUsize) {
    let mut err = std::io::stderr().lock();
    let w = width.swap(0, Ordering::Relaxed);
    if w > 0 {
        let _ = write!(err, "\r{:w$}\r", "");
        let _ = err.flush();
    }
}

/// One progress line: `file 1/3 [#####.....] 45.2/120.0 MB, 12,345 articles, 6,789 articles/s, ETA 11 s`.
fn render(p: &Progress, files: usize, total_bytes: u64, secs: f64) -> String {
    let read = p.bytes_read.load(Ordering::Relaxed);
    let articles = p.articles.load(Ordering::Relaxed);
    let started = p.files_started.load(Ordering::Relaxed).max(1).min(files.max(1) as u64);
    let rate = if secs > 0.0 { articles as f64 / secs } else { 0.0 };
    let mut line = format!("coagtag: file {started}/{files}");
    if total_bytes > 0 {
        let frac = (read as f64 / total_bytes as f64).min(1.0);
        let done = (frac * 20.0).round() as usize;
        line.push_str(&format!(
            " [{}{}] {:.1}/{:.1} MB",
            "#".repeat(done),
            ".".repeat(20 - done),
            read as f64 / 1e6,
            total_bytes as f64 / 1e6
        ));
    } else {
        line.push_str(&format!(" {:.1} MB", read as f64 / 1e6));
    }
    line.push_str(&format!(", {articles} articles, {rate:.0} articles/s"));
    if total_bytes > 0 && read > 0 && secs > 1.0 {
        let left = secs * (total_bytes.saturating_sub(read)) as f64 / read as f64;
        line.push_str(&format!(", ETA {}", eta(left)));
    }
    line
}

fn eta(secs: f64) -> String {
    let s = secs.round() as u64;
    if s >= 3600 {
        format!("{}h{:02}m", s / 3600, s % 3600 / 60)
    } else if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_bar_and_eta() {
        let p = Progress::default();
        p.bytes_read.store(25_000_000, Ordering::Relaxed);
        p.articles.store(5_000, Ordering::Relaxed);
        p.files_started.store(1, Ordering::Relaxed);
        assert_eq!(
            render(&p, 2, 100_000_000, 2.0),
            "coagtag: file 1/2 [#####...............] 25.0/100.0 MB, 5000 articles, 2500 articles/s, ETA 6 s"
        );
        assert_eq!(
            render(&p, 1, 0, 2.0),
            "coagtag: file 1/1 25.0 MB, 5000 articles, 2500 articles/s"
        );
        assert_eq!(eta(4000.0), "1h06m");
        assert_eq!(eta(75.0), "1m15s");
    }
}
