//! Reading input files with a size limit: a scenario, a manifest or a summary is read whole, so
//! what it may weigh is bounded before it is read, and a device such as `/dev/zero` or a
//! folder is refused by name instead of being read forever.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest scenario file read, bytes (16 MiB): the largest shipped scenario is under 30 KiB.
pub const MAX_SCENARIO_BYTES: u64 = 16 * 1024 * 1024;

/// The bytes of the file at `path`, refused when there are more than `limit` of them, when it is
/// a folder, or when it is a device (a character or block device never ends or is not a file).
/// A pipe is read up to the limit.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let meta = file.metadata()?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(io::Error::other("it is a folder, not a file"));
    }
    if is_device(&kind) {
        return Err(io::Error::other("it is a device, not a file"));
    }
    if kind.is_file() && meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// [`read_limited`] as UTF-8 text.
pub fn read_text_limited(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_limited(path, limit)?)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.utf8_error()))
}

fn too_large(len: u64, limit: u64) -> io::Error {
    io::Error::other(format!(
        "it is larger than the {} MiB allowed ({}{} bytes)",
        limit / (1024 * 1024),
        if len > limit { "over " } else { "" },
        limit
    ))
}

#[cfg(unix)]
fn is_device(kind: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    kind.is_char_device() || kind.is_block_device()
}

#[cfg(not(unix))]
fn is_device(_: &std::fs::FileType) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let dir = std::env::temp_dir().join(format!("rampart-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("big.toml");
        std::fs::write(&p, vec![b'#'; 2048]).unwrap();
        assert_eq!(read_limited(&p, 4096).unwrap().len(), 2048);
        let e = read_limited(&p, 1024).unwrap_err().to_string();
        assert!(e.contains("larger than"), "{e}");
        let e = read_limited(&dir, 1024).unwrap_err().to_string();
        assert!(e.contains("folder"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_at_once() {
        let e = read_limited(Path::new("/dev/zero"), MAX_SCENARIO_BYTES)
            .unwrap_err()
            .to_string();
        assert!(e.contains("device"), "{e}");
    }
}
