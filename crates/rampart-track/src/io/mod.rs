//! Reading detections and truth, writing tracks: CSV files with a header row, comma-separated,
//! metres and seconds in a right-handed Cartesian frame with z up, rows sorted by time. Every
//! malformed input is an error naming the file, the line and the column; never a panic.
//! Detections are read a scan at a time ([`read_detection_scans`]) and tracks written as they
//! come ([`TrackWriter`]), so memory does not grow with the files.

pub mod csv_files;
pub mod truth;

pub use csv_files::*;
pub use truth::TruthTable;
