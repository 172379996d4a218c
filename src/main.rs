//! The `coagtag` command: parses arguments, calls the library, turns errors into messages and
//! exit codes (0 success, 1 finished but some input was skipped, 2 nothing useful done).

mod cli;

use std::process::ExitCode;

/// The binary's allocator: mimalloc, not the system's. Tagging makes and drops about a million
/// small strings and lists per 30 MB of text (documents, normal forms, definitions, the
/// products' digests); glibc's malloc and free were about a tenth of the CPU time of issue 19's
/// plain-text run, and mimalloc cut that run's CPU by about 10% (BENCHMARKS.md, branch
/// `aspeed`); malloc and free were 9% of an `--out-dir` run's on pubmed21n1298 (branch `bsched`). Built without transparent huge pages (`no_thp`): with them a run's peak memory
/// doubled (24 -> 58 MB for that run, 64 -> 126 MB for every product of pubmed21n1298; 28 and
/// 82-93 MB without) for about 1% of CPU. The library leaves the choice to its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Ctrl-C (or a SIGTERM, SIGHUP): the products not yet in place are removed and the files
    // already under their names stay as they were
    let _ = ctrlc::set_handler(|| {
        let removed = coagtag::output::remove_unfinished();
        let fresh_line = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            "\n"
        } else {
            ""
        };
        eprintln!(
            "{fresh_line}coagtag: interrupted; {removed} unfinished output file{} removed, files already there are untouched",
            if removed == 1 { "" } else { "s" }
        );
        std::process::exit(130);
    });
    match cli::main() {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("coagtag: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A reader that closed the pipe early (`coagtag ... | head`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(closed_pipe)
}

fn closed_pipe(e: &(dyn std::error::Error + 'static)) -> bool {
    if let Some(io) = e.downcast_ref::<std::io::Error>() {
        // csv and other writers wrap the io error in an io error of kind Other
        return io.kind() == std::io::ErrorKind::BrokenPipe || io.get_ref().is_some_and(|inner| closed_pipe(inner));
    }
    if let Some(c) = e.downcast_ref::<csv::Error>() {
        return matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe);
    }
    false
}
