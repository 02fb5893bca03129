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

/// Reads `path` as CSV with the given columns (in any order, extra columns ignored) and returns
/// the rows as numbers in the order of `columns`, each with its 1-based line number, checking
/// that column `time_col` never decreases.
fn read_numeric(
    path: &Path,
    columns: &[&str],
    time_col: usize,
) -> Result<Vec<(u64, Vec<f64>)>, CsvError> {
    let loc = |line: Option<u64>, column: Option<usize>| Location {
        file: path.to_path_buf(),
        line,
        column,
    };
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
        match header.iter().position(|h| h == *c) {
            Some(i) => index.push(i),
            None => {
                return Err(CsvError::MissingColumn {
                    at: loc(Some(1), None),
                    column: (*c).to_string(),
                    expected,
                });
            }
        }
    }
    let mut rows = Vec::new();
    let mut previous: Option<f64> = None;
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let mut values = Vec::with_capacity(columns.len());
        for (k, &i) in index.iter().enumerate() {
            let text = record.get(i).unwrap_or("");
            let v: f64 = text
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| CsvError::NotANumber {
                    at: loc(Some(line), Some(i + 1)),
                    column: columns[k].to_string(),
                    value: text.to_string(),
                })?;
            values.push(v);
        }
        let t = values[time_col];
        if let Some(p) = previous.filter(|p| t < *p) {
            return Err(CsvError::Unsorted {
                at: loc(Some(line), Some(index[time_col] + 1)),
                t,
                previous: p,
            });
        }
        previous = Some(t);
        rows.push((line, values));
    }
    Ok(rows)
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

/// Reads `detections.csv` (`t,x,y,z`) and groups rows into scans by equal time.
pub fn read_detections(path: &Path) -> Result<Vec<Scan>, CsvError> {
    let rows = read_numeric(path, &["t", "x", "y", "z"], 0)?;
    let mut scans: Vec<Scan> = Vec::new();
    for (_, v) in rows {
        let p = [v[1], v[2], v[3]];
        match scans.last_mut() {
            Some(s) if s.t == v[0] => s.positions.push(p),
            _ => scans.push(Scan {
                t: v[0],
                positions: vec![p],
            }),
        }
    }
    Ok(scans)
}

/// Reads `truth.csv` (`t,target_id,x,y,z,vx,vy,vz`).
pub fn read_truth(path: &Path) -> Result<Vec<TruthRow>, CsvError> {
    let rows = read_numeric(
        path,
        &["t", "target_id", "x", "y", "z", "vx", "vy", "vz"],
        0,
    )?;
    rows.into_iter()
        .map(|(line, v)| {
            if v[1] < 0.0 || v[1].fract() != 0.0 {
                return Err(CsvError::NotANumber {
                    at: Location {
                        file: path.to_path_buf(),
                        line: Some(line),
                        column: None,
                    },
                    column: "target_id".into(),
                    value: format!("{} (not a whole number ≥ 0)", v[1]),
                });
            }
            Ok(TruthRow {
                t: v[0],
                id: v[1] as u64,
                position: [v[2], v[3], v[4]],
                velocity: [v[5], v[6], v[7]],
            })
        })
        .collect()
}

/// Writes `tracks.csv` (`t,track_id,x,y,z,vx,vy,vz`); rows are written in the order given.
pub fn write_tracks(path: &Path, rows: &[TrackRow]) -> Result<(), CsvError> {
    let io = |source| CsvError::Io {
        file: path.to_path_buf(),
        source,
    };
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    writeln!(w, "t,track_id,x,y,z,vx,vy,vz").map_err(io)?;
    for r in rows {
        let [x, y, z] = r.position;
        let [vx, vy, vz] = r.velocity;
        writeln!(w, "{},{},{x},{y},{z},{vx},{vy},{vz}", r.t, r.id).map_err(io)?;
    }
    w.flush().map_err(io)
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
