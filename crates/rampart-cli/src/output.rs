//! Writing outputs so that none is lost or half-written.
//!
//! Every file goes in atomically: it is written to a temporary file in the same folder, then
//! renamed over its name, so a reader sees the old file or the new one, never half of one. The
//! rename replaces whatever stands at the name, a symbolic link included, and never writes
//! through the link: `ln -s ../victim.txt out/summary.json` leaves `victim.txt` untouched.
//!
//! An [`OutDir`] also keeps the list of what it wrote, for `manifest.json`; when it is finished,
//! the files an earlier run's manifest named and this run did not write are removed, so a
//! folder never holds a mix of two runs.

use anyhow::{Context, Result, bail};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Writes `bytes` to `path` atomically (see the module documentation).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    file.commit()
}

/// A file being written: its bytes go to a temporary file beside `path`, which
/// [`AtomicFile::commit`] renames to `path`. Dropped without a commit, it leaves `path` as it
/// was and removes the temporary file.
#[derive(Debug)]
pub struct AtomicFile {
    path: PathBuf,
    inner: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `path`. Its folder must exist.
    pub fn create(path: &Path) -> Result<Self> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if path.is_dir() {
            bail!("cannot write {}: it is a folder", path.display());
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".rampart-").suffix(".part");
        // A temporary file is private (0600); an output is an ordinary file, as the umask
        // makes it.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder
            .tempfile_in(dir)
            .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
        Ok(Self {
            path: path.to_path_buf(),
            inner: BufWriter::new(tmp),
        })
    }

    /// Flushes the bytes to disk and renames the file to its name.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        let tmp = self
            .inner
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {}", path.display()))?;
        tmp.as_file()
            .sync_all()
            .with_context(|| format!("writing {}", path.display()))?;
        tmp.persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// An output folder: where a command's files go, and the list of them.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
    written: Vec<String>,
}

impl OutDir {
    /// Creates the folder (and its parents) if need be.
    pub fn create(dir: &Path) -> Result<Self> {
        fs::create_dir_all(dir)
            .with_context(|| format!("creating the output folder {}", dir.display()))?;
        if !dir.is_dir() {
            bail!("the output folder {} is not a folder", dir.display());
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            written: Vec::new(),
        })
    }

    /// The path of `name` in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Starts writing the file `name`; it is listed as written once committed by
    /// [`OutDir::commit`].
    pub fn start(&self, name: &str) -> Result<AtomicFile> {
        AtomicFile::create(&self.path(name))
    }

    /// Commits a file started with [`OutDir::start`] under `name`.
    pub fn commit(&mut self, name: &str, file: AtomicFile) -> Result<PathBuf> {
        file.commit()?;
        self.note(name);
        Ok(self.path(name))
    }

    /// Writes the file `name` whole.
    pub fn write(&mut self, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.path(name);
        write_atomic(&path, bytes)?;
        self.note(name);
        Ok(path)
    }

    fn note(&mut self, name: &str) {
        if !self.written.iter().any(|w| w == name) {
            self.written.push(name.to_string());
        }
    }

    /// The names written so far, in order.
    pub fn written(&self) -> &[String] {
        &self.written
    }

    /// Removes the files that `earlier` (the file list of the manifest found in the folder
    /// before this run) names and this run did not write. Only plain names are removed: a
    /// manifest cannot make this delete anything outside the folder.
    pub fn remove_stale(&self, earlier: &[String]) -> Result<Vec<String>> {
        let mut removed = Vec::new();
        for name in earlier {
            let plain = Path::new(name)
                .file_name()
                .is_some_and(|f| f == std::ffi::OsStr::new(name));
            if !plain || self.written.contains(name) || name == "manifest.json" {
                continue;
            }
            let path = self.path(name);
            match fs::symlink_metadata(&path) {
                Ok(m) if m.is_file() || m.file_type().is_symlink() => {
                    fs::remove_file(&path)
                        .with_context(|| format!("removing the stale {}", path.display()))?;
                    removed.push(name.clone());
                }
                _ => {}
            }
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rampart-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[cfg(unix)]
    #[test]
    fn a_write_replaces_a_link_and_never_writes_through_it() {
        let d = scratch("link");
        let victim = d.join("victim.txt");
        fs::write(&victim, "precious").unwrap();
        let out = d.join("out");
        fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink(&victim, out.join("summary.json")).unwrap();
        let mut o = OutDir::create(&out).unwrap();
        o.write("summary.json", b"{}\n").unwrap();
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        let meta = fs::symlink_metadata(out.join("summary.json")).unwrap();
        assert!(meta.is_file() && !meta.file_type().is_symlink());
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn an_uncommitted_file_leaves_the_old_one_and_no_litter() {
        let d = scratch("drop");
        let path = d.join("replications.csv");
        fs::write(&path, "old\n").unwrap();
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"half a ro").unwrap();
        }
        assert_eq!(fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn stale_files_of_an_earlier_run_go_and_nothing_else() {
        let d = scratch("stale");
        for f in ["impacts.csv", "notes.txt", "summary.json"] {
            fs::write(d.join(f), "x").unwrap();
        }
        let mut o = OutDir::create(&d).unwrap();
        o.write("summary.json", b"{}").unwrap();
        let earlier = ["summary.json", "impacts.csv", "../x", "/etc/passwd"].map(String::from);
        assert_eq!(o.remove_stale(&earlier).unwrap(), ["impacts.csv"]);
        assert!(d.join("notes.txt").exists() && d.join("summary.json").exists());
        assert!(!d.join("impacts.csv").exists());
        fs::remove_dir_all(&d).unwrap();
    }
}
