//! `rampart track`: run the multi-target tracker over a detections file.
//!
//! Detections are read a scan at a time and each scan's confirmed tracks written as they
//! come (to a temporary file renamed over `--out` at the end), so memory is bounded by the
//! largest scan and the tracker's state, not by the file; truth, when given, is held whole and
//! indexed by target.

use crate::ExitError;
use crate::output::{AtomicFile, write_atomic};
use crate::text::{errln, out};
use anyhow::{Result, bail};
use rampart_sim::scenario::load_tracker;
use rampart_track::cartesian::{CartesianTracker, Scorer};
use rampart_track::config::Host;
use rampart_track::io::{TrackWriter, read_detection_scans, read_truth};
use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;

/// Runs `rampart track`.
pub fn run(
    detections_path: &Path,
    config: &Path,
    out: &Path,
    truth: Option<&Path>,
    metrics: Option<&Path>,
) -> Result<()> {
    // The tracker file is read as a scenario's tracker table is, and its errors are shown the
    // same way: file, line, column and the offending text.
    let settings = load_tracker(config, Host::Detections).map_err(|e| {
        errln!("{}", e.render());
        ExitError
    })?;
    // `Host::Detections` makes the sensor model required, so none is left to a radar.
    let mut tracker = CartesianTracker::new(&settings)
        .map_err(|e| anyhow::anyhow!("{}: {e}", config.display()))?;
    if metrics.is_some() && truth.is_none() {
        bail!("--metrics needs --truth");
    }
    let mut evaluator = match truth {
        Some(path) => Some(Scorer::new(settings.gospa, read_truth(path)?)),
        None => None,
    };
    refuse_radar_detections(detections_path)?;
    let mut writer = TrackWriter::new(AtomicFile::create(out)?, out)?;
    let (mut scans, mut detections, mut confirmed) = (0_usize, 0_usize, BTreeSet::new());
    // Stops at the first bad row of the detections.
    for scan in read_detection_scans(detections_path)? {
        let scan = scan?;
        let rows = tracker.step(scan.t, &scan.positions);
        writer.write(&rows)?;
        scans += 1;
        detections += scan.positions.len();
        confirmed.extend(rows.iter().map(|r| r.id));
        if let Some(e) = evaluator.as_mut() {
            e.scan(scan.t, &rows);
        }
    }
    writer.finish()?.commit()?;
    let mut summary = format!(
        "tracked {scans} scans of {detections} detections: {} tracks confirmed, written to {}",
        confirmed.len(),
        out.display()
    );
    if let Some(e) = evaluator {
        let result = e.finish();
        if let Some(g) = &result.gospa.summary {
            summary.push_str(&format!(
                "; mean GOSPA {:.1} m over {} scans against {} true targets",
                g.mean_distance, result.tracks.scans, result.tracks.truths
            ));
        }
        let text = serde_json::to_string_pretty(&result)? + "\n";
        match metrics {
            Some(p) => write_atomic(p, text.as_bytes())?,
            None => out!("{text}"),
        }
    }
    errln!("{summary}");
    Ok(())
}

/// Refuses, with what to do instead, a file of radar detections in polar form (`rampart run
/// --detections-csv` writes range, azimuth and elevation per radar) given with `--config`:
/// those go with `--scenario` ([`crate::track_radar`]).
fn refuse_radar_detections(path: &Path) -> Result<()> {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(()); // the reader reports it, naming the file
    };
    let mut header = String::new();
    if std::io::BufReader::new(file.take(64 * 1024))
        .read_line(&mut header)
        .is_err()
    {
        return Ok(());
    }
    let columns: Vec<&str> = header.trim().split(',').map(str::trim).collect();
    if ["range_m", "azimuth_rad", "elevation_rad"]
        .iter()
        .all(|c| columns.contains(c))
    {
        bail!(
            "{}: these are radar detections (range, azimuth and elevation, one radar's frame \
             each, as `rampart run --detections-csv` writes them); --config tracks Cartesian \
             detections `t,x,y,z` in one frame. Give --scenario SCENARIO instead of --config: \
             each radar's own tracker then takes its detections (docs/tracking.md)",
            path.display()
        );
    }
    Ok(())
}
