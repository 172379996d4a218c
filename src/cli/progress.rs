//! The progress line of `coagtag tag` on a terminal: files, MB read, articles per second, ETA.
//!
//! The library only keeps counters ([`coagtag::input::Progress`]); a thread here renders one
//! line from them a few times a second into an indicatif bar, which owns the terminal line:
//! messages printed during the run go through [`ProgressLine::println`], above the bar, so a
//! warning and the bar never write over each other.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use coagtag::input::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// A running progress display; [`ProgressLine::finish`] (or dropping it) stops and clears it.
pub struct ProgressLine {
    bar: ProgressBar,
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
                bar: ProgressBar::hidden(),
                stop: None,
                thread: None,
            };
        }
        let bar =
            ProgressBar::new(total_bytes).with_style(ProgressStyle::with_template("{msg}").expect("a valid template"));
        let (tx, rx) = channel::<()>();
        let counters = Arc::clone(counters);
        let shown = bar.clone();
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            // until the run ends (a message, or the sender dropped)
            while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_millis(250)) {
                shown.set_message(render(&counters, files, total_bytes, start.elapsed().as_secs_f64()));
            }
        });
        ProgressLine {
            bar,
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    /// Print a line to standard error, above the bar when it shows.
    pub fn println(&self, line: &str) {
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else {
            self.bar.println(line);
        }
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
        self.bar.finish_and_clear();
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.stop_now();
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
