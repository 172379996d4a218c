//! Products: every file goes through the one CSV dialect here and is written atomically.

pub mod matrix;
pub mod pubtator;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The one CSV dialect of every product: comma-separated, `"` quoting where needed, LF ends.
pub fn csv_writer<W: Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(w)
}

/// A file that appears under its final name only when complete.
///
/// Data goes to a temporary file in the same directory, which is renamed over the target on
/// [`AtomicFile::commit`]. If the run fails or is interrupted, the temporary file is removed and
/// any earlier file under the final name is left untouched.
pub struct AtomicFile {
    target: PathBuf,
    tmp: Option<tempfile::NamedTempFile>,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("output");
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let writer = BufWriter::with_capacity(256 * 1024, tmp.as_file().try_clone()?);
        Ok(AtomicFile {
            target: target.to_path_buf(),
            tmp: Some(tmp),
            writer: Some(writer),
        })
    }

    /// Flush, sync and move the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(mut w) = self.writer.take() {
            w.flush()?;
        }
        let tmp = self.tmp.take().ok_or_else(|| io::Error::other("already committed"))?;
        tmp.as_file().sync_all()?;
        tmp.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer
            .as_mut()
            .ok_or_else(|| io::Error::other("file committed"))?
            .write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_file_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("m.csv");
        std::fs::write(&target, "old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"new half").unwrap();
            // dropped without commit: an interrupted run
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
