//! Reading detections and truth, writing tracks: CSV files with a header row, comma-separated,
//! metres and seconds in a right-handed Cartesian frame with z up, rows sorted by time. Every
//! malformed input is an error naming the file, the line and the column; never a panic.

pub mod csv_files;

pub use csv_files::*;
