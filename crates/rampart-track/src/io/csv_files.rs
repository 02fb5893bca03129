//! The three CSV formats of `rampart track`.
//!
//! * `detections.csv`: `t,x,y,z` — all detections of one scan share one time.
//! * `truth.csv`: `t,target_id,x,y,z,vx,vy,vz`.
//! * `tracks.csv` (written): `t,track_id,x,y,z,vx,vy,vz`, sorted by time then id.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where in a file something went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// 1-based line, if known.
    pub line: Option<u64>,
    /// 1-based column (field number), if known.
    pub column: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        Ok(())
    }
}

/// A CSV file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    /// The file could not be opened, read or written.
    #[error("{file}: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The header lacks a required column.
    #[error("{at}: missing column `{column}` (the header must be `{expected}`)")]
    MissingColumn {
        /// Where.
        at: Location,
        /// The missing column.
        column: String,
        /// The expected header.
        expected: String,
    },
    /// A row has the wrong number of fields, or is otherwise not CSV.
    #[error("{at}: {message}")]
    Malformed {
        /// Where.
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// A field is not a number.
    #[error("{at}: `{value}` in column `{column}` is not a number")]
    NotANumber {
        /// Where.
        at: Location,
        /// The column name.
        column: String,
        /// The text found.
        value: String,
    },
    /// A field is a number but not a finite one (`inf`, `NaN`).
    #[error("{at}: `{value}` in column `{column}` is not a finite number")]
    NotFinite {
        /// Where.
        at: Location,
        /// The column name.
        column: String,
        /// The text found.
        value: String,
    },
    /// Times go backwards.
    #[error("{at}: time {t} is before the previous row's {previous}: rows must be sorted by time")]
    Unsorted {
        /// Where.
        at: Location,
        /// This row's time.
        t: f64,
        /// The previous row's time.
        previous: f64,
    },
    /// The file has a header but no rows, or nothing at all.
    #[error("{file}: {message}")]
    Empty {
        /// The file.
        file: PathBuf,
        /// What is missing.
        message: String,
    },
}

/// The detections of one scan.
#[derive(Clone, Debug, PartialEq)]
pub struct Scan {
    /// Scan time, s.
    pub t: f64,
    /// Detected positions, m.
    pub positions: Vec<[f64; 3]>,
}

/// One truth sample.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TruthRow {
    /// Time, s.
    pub t: f64,
    /// Target id.
    pub id: u64,
    /// Position, m.
    pub position: [f64; 3],
    /// Velocity, m/s.
    pub velocity: [f64; 3],
}

/// One track estimate to write.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackRow {
    /// Time, s.
    pub t: f64,
    /// Track id.
    pub id: u64,
    /// Position, m.
    pub position: [f64; 3],
    /// Velocity, m/s.
    pub velocity: [f64; 3],
}

/// The rows of a CSV file as numbers, one at a time: the given columns (in any order, extra
/// columns ignored), every value a finite number, column `time_col` never decreasing. Memory
/// is one row, whatever the size of the file.
struct NumericRows {
    path: PathBuf,
    columns: &'static [&'static str],
    /// Field index of each column.
    index: Vec<usize>,
    time_col: usize,
    reader: csv::Reader<std::fs::File>,
    record: csv::StringRecord,
    /// The current row's values, in the order of `columns`.
    values: Vec<f64>,
    previous: Option<f64>,
}

impl NumericRows {
    /// Opens `path` and checks its header.
    fn open(
        path: &Path,
        columns: &'static [&'static str],
        time_col: usize,
    ) -> Result<Self, CsvError> {
        let file = std::fs::File::open(path).map_err(|source| CsvError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(file);
        let expected = columns.join(",");
        let header = reader.headers().map_err(|e| csv_error(path, &e))?.clone();
        if header.is_empty() || (header.len() == 1 && header.get(0) == Some("")) {
            return Err(CsvError::Empty {
                file: path.to_path_buf(),
                message: format!("empty file: expected the header `{expected}`"),
            });
        }
        let mut index = Vec::with_capacity(columns.len());
        for c in columns {
            // A byte-order mark before the first name is not part of it.
            match header
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == *c)
            {
                Some(i) => index.push(i),
                None => {
                    return Err(CsvError::MissingColumn {
                        at: Location {
                            file: path.to_path_buf(),
                            line: Some(1),
                            column: None,
                        },
                        column: (*c).to_string(),
                        expected,
                    });
                }
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            columns,
            index,
            time_col,
            reader,
            record: csv::StringRecord::new(),
            values: vec![0.0; columns.len()],
            previous: None,
        })
    }

    fn at(&self, line: u64, column: usize) -> Location {
        Location {
            file: self.path.clone(),
            line: Some(line),
            column: Some(column),
        }
    }

    /// Reads the next row into `self.values` and returns its 1-based line, or `None` at the
    /// end of the file.
    fn next_row(&mut self) -> Result<Option<u64>, CsvError> {
        let more = self
            .reader
            .read_record(&mut self.record)
            .map_err(|e| csv_error(&self.path, &e))?;
        if !more {
            return Ok(None);
        }
        let line = self.record.position().map_or(0, |p| p.line());
        for k in 0..self.columns.len() {
            let i = self.index[k];
            let text = self.record.get(i).unwrap_or("");
            let column = self.columns[k].to_string();
            let v: f64 = text.parse().map_err(|_| CsvError::NotANumber {
                at: self.at(line, i + 1),
                column: column.clone(),
                value: text.to_string(),
            })?;
            if !v.is_finite() {
                return Err(CsvError::NotFinite {
                    at: self.at(line, i + 1),
                    column,
                    value: text.to_string(),
                });
            }
            self.values[k] = v;
        }
        let t = self.values[self.time_col];
        if let Some(p) = self.previous.filter(|p| t < *p) {
            return Err(CsvError::Unsorted {
                at: self.at(line, self.index[self.time_col] + 1),
                t,
                previous: p,
            });
        }
        self.previous = Some(t);
        Ok(Some(line))
    }
}

fn csv_error(path: &Path, e: &csv::Error) -> CsvError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    };
    CsvError::Malformed {
        at: Location {
            file: path.to_path_buf(),
            line,
            column: None,
        },
        message,
    }
}

/// The scans of a `detections.csv` file (`t,x,y,z`), read one at a time: consecutive rows of
/// equal time make one scan. Memory is one scan, whatever the size of the file. Made by
/// [`read_detection_scans`].
///
/// Yields `Err` for the first bad row (naming the file, line and column) and then ends.
pub struct DetectionScans {
    rows: NumericRows,
    /// The first row of the next scan, read while finding the end of the current one.
    pending: Option<(f64, [f64; 3])>,
    done: bool,
}

impl std::fmt::Debug for DetectionScans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DetectionScans")
            .field("file", &self.rows.path)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl DetectionScans {
    fn read_scan(&mut self) -> Result<Option<Scan>, CsvError> {
        let (t, first) = match self.pending.take() {
            Some(row) => row,
            None => match self.rows.next_row()? {
                Some(_) => {
                    let v = &self.rows.values;
                    (v[0], [v[1], v[2], v[3]])
                }
                None => return Ok(None),
            },
        };
        let mut scan = Scan {
            t,
            positions: vec![first],
        };
        while self.rows.next_row()?.is_some() {
            let v = &self.rows.values;
            let p = [v[1], v[2], v[3]];
            if v[0] == t {
                scan.positions.push(p);
            } else {
                self.pending = Some((v[0], p));
                break;
            }
        }
        Ok(Some(scan))
    }
}

impl Iterator for DetectionScans {
    type Item = Result<Scan, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.read_scan().transpose();
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
        }
        next
    }
}

impl std::iter::FusedIterator for DetectionScans {}

/// Opens `detections.csv` (`t,x,y,z`) to be read scan by scan; a missing file or a bad header
/// is an error now, a bad row when its scan is read.
pub fn read_detection_scans(path: &Path) -> Result<DetectionScans, CsvError> {
    Ok(DetectionScans {
        rows: NumericRows::open(path, &["t", "x", "y", "z"], 0)?,
        pending: None,
        done: false,
    })
}

/// Reads the whole of `detections.csv` (`t,x,y,z`) and groups rows into scans by equal time
/// ([`read_detection_scans`] reads one scan at a time).
pub fn read_detections(path: &Path) -> Result<Vec<Scan>, CsvError> {
    read_detection_scans(path)?.collect()
}

/// Largest target id: ids are read as numbers, and every whole number up to 2⁵³ is exact.
pub const MAX_TARGET_ID: u64 = 1 << 53;

/// Reads `truth.csv` (`t,target_id,x,y,z,vx,vy,vz`); `target_id` is a whole number in
/// 0…2⁵³.
pub fn read_truth(path: &Path) -> Result<Vec<TruthRow>, CsvError> {
    let mut rows = NumericRows::open(
        path,
        &["t", "target_id", "x", "y", "z", "vx", "vy", "vz"],
        0,
    )?;
    let mut out = Vec::new();
    while let Some(line) = rows.next_row()? {
        let v = &rows.values;
        if v[1] < 0.0 || v[1].fract() != 0.0 || v[1] > MAX_TARGET_ID as f64 {
            return Err(CsvError::NotANumber {
                at: rows.at(line, rows.index[1] + 1),
                column: "target_id".into(),
                value: format!("{} (not a whole number in 0…2⁵³)", v[1]),
            });
        }
        out.push(TruthRow {
            t: v[0],
            id: v[1] as u64,
            position: [v[2], v[3], v[4]],
            velocity: [v[5], v[6], v[7]],
        });
    }
    Ok(out)
}

/// A `tracks.csv` file (`t,track_id,x,y,z,vx,vy,vz`) written as rows come, to a file
/// ([`TrackWriter::create`]) or any writer ([`TrackWriter::new`]).
#[derive(Debug)]
pub struct TrackWriter<W: Write = std::io::BufWriter<std::fs::File>> {
    path: PathBuf,
    w: W,
}

impl TrackWriter {
    /// Creates (or truncates) `path` and writes the header.
    pub fn create(path: &Path) -> Result<Self, CsvError> {
        let file = std::fs::File::create(path).map_err(|source| CsvError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Self::new(std::io::BufWriter::new(file), path)
    }
}

impl<W: Write> TrackWriter<W> {
    /// Writes the header to `w`; `path` names the file in errors.
    pub fn new(w: W, path: &Path) -> Result<Self, CsvError> {
        let mut out = Self {
            path: path.to_path_buf(),
            w,
        };
        writeln!(out.w, "t,track_id,x,y,z,vx,vy,vz").map_err(|source| out.io(source))?;
        Ok(out)
    }

    /// Writes `rows` in the order given.
    pub fn write(&mut self, rows: &[TrackRow]) -> Result<(), CsvError> {
        for r in rows {
            let [x, y, z] = r.position;
            let [vx, vy, vz] = r.velocity;
            writeln!(self.w, "{},{},{x},{y},{z},{vx},{vy},{vz}", r.t, r.id)
                .map_err(|source| self.io(source))?;
        }
        Ok(())
    }

    /// Flushes what was written and hands back the writer.
    pub fn finish(mut self) -> Result<W, CsvError> {
        self.w.flush().map_err(|source| self.io(source))?;
        Ok(self.w)
    }

    fn io(&self, source: std::io::Error) -> CsvError {
        CsvError::Io {
            file: self.path.clone(),
            source,
        }
    }
}

/// Writes `tracks.csv` (`t,track_id,x,y,z,vx,vy,vz`); rows are written in the order given.
pub fn write_tracks(path: &Path, rows: &[TrackRow]) -> Result<(), CsvError> {
    let mut w = TrackWriter::create(path)?;
    w.write(rows)?;
    w.finish().map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("rampart-track-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn detections_group_into_scans() {
        let p = file("ok.csv", "t,x,y,z\n0,1,2,3\n0,4,5,6\n1.5,7,8,9\n");
        let scans = read_detections(&p).unwrap();
        assert_eq!(scans.len(), 2);
        assert_eq!(scans[0].positions, vec![[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]);
        assert_eq!(scans[1].t, 1.5);
        // Columns may come in another order.
        let p = file("reordered.csv", "x,y,z,t\n1,2,3,0\n");
        assert_eq!(
            read_detections(&p).unwrap()[0].positions,
            vec![[1.0, 2.0, 3.0]]
        );
    }

    #[test]
    fn every_kind_of_bad_input_names_file_line_and_column() {
        let msg =
            |name: &str, text: &str| read_detections(&file(name, text)).unwrap_err().to_string();
        let m = msg("short.csv", "t,x,y,z\n0,1,2,3\n1,2,3\n");
        assert!(
            m.contains("short.csv:3") && m.contains("expected 4 fields, found 3"),
            "{m}"
        );
        let m = msg("nocol.csv", "t,x,y\n0,1,2\n");
        assert!(
            m.contains("nocol.csv:1") && m.contains("missing column `z`"),
            "{m}"
        );
        let m = msg("unsorted.csv", "t,x,y,z\n2,1,2,3\n1,1,2,3\n");
        assert!(
            m.contains("unsorted.csv:3:1") && m.contains("sorted by time"),
            "{m}"
        );
        let m = msg("nan.csv", "t,x,y,z\n0,1,abc,3\n");
        assert!(
            m.contains("nan.csv:2:3") && m.contains("`abc` in column `y`"),
            "{m}"
        );
        let m = msg("inf.csv", "t,x,y,z\n0,1,inf,3\n");
        assert!(m.contains("inf.csv:2:3"), "{m}");
        let m = msg("empty.csv", "");
        assert!(m.contains("empty.csv") && m.contains("empty file"), "{m}");
        let m = read_detections(Path::new("/no/such/file.csv"))
            .unwrap_err()
            .to_string();
        assert!(m.contains("/no/such/file.csv"), "{m}");
        let t = read_truth(&file(
            "badid.csv",
            "t,target_id,x,y,z,vx,vy,vz\n0,1.5,0,0,0,0,0,0\n",
        ))
        .unwrap_err()
        .to_string();
        assert!(t.contains("badid.csv:2") && t.contains("target_id"), "{t}");
    }

    #[test]
    fn detections_stream_scan_by_scan() {
        let p = file(
            "stream.csv",
            "\u{feff}t,x,y,z\n0,1,2,3\n0,4,5,6\n1,7,8,9\n2,1,1,1\n2,2,2,2\n2,3,3,3\n",
        );
        let mut scans = read_detection_scans(&p).unwrap();
        let a = scans.next().unwrap().unwrap();
        assert_eq!((a.t, a.positions.len()), (0.0, 2));
        let b = scans.next().unwrap().unwrap();
        assert_eq!((b.t, &b.positions), (1.0, &vec![[7.0, 8.0, 9.0]]));
        let c = scans.next().unwrap().unwrap();
        assert_eq!((c.t, c.positions.len()), (2.0, 3));
        assert!(scans.next().is_none() && scans.next().is_none());
        // A header alone is no scans; the whole-file reader agrees with the stream.
        assert!(
            read_detections(&file("header.csv", "t,x,y,z\n"))
                .unwrap()
                .is_empty()
        );
        assert_eq!(read_detections(&p).unwrap(), vec![a, b, c]);
    }

    #[test]
    fn a_bad_row_ends_the_stream_with_its_line() {
        // The first scan is good and comes out; the bad row is reported when its scan is read.
        let p = file(
            "late.csv",
            "t,x,y,z\n0,1,2,3\n1,1,2,3\n1,1,NaN,3\n2,0,0,0\n",
        );
        let mut scans = read_detection_scans(&p).unwrap();
        assert!(scans.next().unwrap().is_ok());
        let e = scans.next().unwrap().unwrap_err().to_string();
        assert!(
            e.contains("late.csv:4:3") && e.contains("`NaN` in column `y` is not a finite number"),
            "{e}"
        );
        assert!(scans.next().is_none());
        let p = file("back.csv", "t,x,y,z\n0,1,2,3\n1,1,2,3\n0.5,1,2,3\n");
        let e = read_detections(&p).unwrap_err().to_string();
        assert!(
            e.contains("back.csv:4:1") && e.contains("sorted by time"),
            "{e}"
        );
        let p = file("huge.csv", "t,x,y,z\n0,1e400,2,3\n");
        let e = read_detections(&p).unwrap_err().to_string();
        assert!(e.contains("huge.csv:2:2") && e.contains("finite"), "{e}");
        let t = read_truth(&file(
            "bigid.csv",
            "t,target_id,x,y,z,vx,vy,vz\n0,1e30,0,0,0,0,0,0\n",
        ))
        .unwrap_err()
        .to_string();
        assert!(
            t.contains("bigid.csv:2:2") && t.contains("target_id"),
            "{t}"
        );
    }

    #[test]
    fn tracks_round_trip_through_a_file() {
        let dir = std::env::temp_dir().join(format!("rampart-track-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("tracks.csv");
        write_tracks(
            &p,
            &[TrackRow {
                t: 1.0,
                id: 7,
                position: [1.0, 2.0, 3.0],
                velocity: [4.0, 5.0, 6.0],
            }],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "t,track_id,x,y,z,vx,vy,vz\n1,7,1,2,3,4,5,6\n"
        );
    }
}
