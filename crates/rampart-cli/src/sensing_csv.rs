//! `rampart run --detections-csv FILE` and `--tracks-csv FILE`: the radars' detections and
//! their trackers' confirmed tracks, one CSV row per event (docs/outputs.md).

use crate::output::AtomicFile;
use anyhow::Result;
use rampart_sim::events::{Event, EventKind};
use std::path::Path;

/// The columns of `--detections-csv` (which `rampart track --scenario` reads, all but
/// `truth_id`).
pub(crate) const DETECTION_COLUMNS: [&str; 8] = [
    "t",
    "radar",
    "range_m",
    "azimuth_rad",
    "elevation_rad",
    "range_rate_mps",
    "snr_db",
    "truth_id",
];

/// Every detection event as one CSV row, with a header.
pub(crate) fn write_detections_csv(path: &Path, events: &[Event]) -> Result<()> {
    let mut w = csv::Writer::from_writer(AtomicFile::create(path)?);
    w.write_record(DETECTION_COLUMNS)?;
    for e in events {
        if let EventKind::Detection {
            radar,
            range_m,
            azimuth_rad,
            elevation_rad,
            range_rate_mps,
            snr_db,
            truth,
            ..
        } = &e.kind
        {
            w.write_record([
                e.t.to_string(),
                radar.clone(),
                range_m.to_string(),
                azimuth_rad.to_string(),
                elevation_rad.to_string(),
                range_rate_mps.to_string(),
                snr_db.to_string(),
                truth.clone().unwrap_or_default(),
            ])?;
        }
    }
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("writing {}: {}", path.display(), e.error()))?
        .commit()
}

/// The columns of `--tracks-csv` (and of `rampart track --scenario`, which adds the position's
/// latitude, longitude and height).
pub(crate) const TRACK_COLUMNS: [&str; 9] = [
    "t",
    "radar",
    "track_id",
    "east_m",
    "north_m",
    "up_m",
    "v_east_mps",
    "v_north_mps",
    "v_up_mps",
];

/// Every `track_update` event as one CSV row, with a header.
pub(crate) fn write_tracks_csv(path: &Path, events: &[Event]) -> Result<()> {
    let mut w = csv::Writer::from_writer(AtomicFile::create(path)?);
    w.write_record(TRACK_COLUMNS)?;
    for e in events {
        if let EventKind::TrackUpdate {
            radar,
            track,
            position_m,
            velocity_mps,
            ..
        } = &e.kind
        {
            let mut row = vec![e.t.to_string(), radar.clone(), track.to_string()];
            row.extend(position_m.iter().chain(velocity_mps).map(|v| v.to_string()));
            w.write_record(&row)?;
        }
    }
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("writing {}: {}", path.display(), e.error()))?
        .commit()
}
