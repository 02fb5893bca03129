//! `rampart track --scenario`: a run's radar detections (`rampart run --detections-csv`: range,
//! azimuth and elevation, each in its own radar's frame) replayed through each radar's own
//! tracker, as the scenario sets it — the simulator's trackers, on the simulator's scan
//! schedule, with its range gates.
//!
//! Each radar scans at `first_scan + k·revisit`; a detection belongs to the scan at its time,
//! and a scan with no detection is stepped too (a track's misses count there). A detection's
//! measurement errors follow from its SNR, as the radar's did. The tracks are written as `rampart
//! run --tracks-csv` writes them (east, north, up at the radar's antenna), with the latitude,
//! longitude and height of each track's position beside them. Replaying the detections of a run
//! gives the tracks of that run; the radar trackers are stepped up to each radar's scan of its
//! last detection.

use crate::load_or_report;
use crate::output::AtomicFile;
use crate::sensing_csv::{DETECTION_COLUMNS, TRACK_COLUMNS};
use crate::text::errln;
use anyhow::{Context, Result, bail};
use rampart_core::{Geodetic, SimDuration, SimTime};
use rampart_sim::sensors::detection::from_db;
use rampart_sim::sensors::radar::{Detection, Radar};
use rampart_sim::sensors::{ScanOutput, Sensor};
use rampart_sim::stages::sensing::range_gate;
use rampart_sim::tracking::RadarTracker;
use rampart_sim::world::SensorState;
use std::collections::BTreeMap;
use std::path::Path;

/// The columns read: those `rampart run --detections-csv` writes but `truth_id` (the tracker
/// never sees truth), in its order.
const COLUMNS: usize = 7;

/// The most scans replayed for one radar: a bound on the work a file's times can ask.
const MAX_SCANS: u64 = 10_000_000;

/// One radar's scans: the detections of scan `k`, by `k`.
type Scans = BTreeMap<u64, Vec<Detection>>;

/// Runs `rampart track --detections FILE --scenario SCENARIO --out FILE`.
pub fn run(detections: &Path, scenario: &Path, out: &Path) -> Result<()> {
    let scenario = load_or_report(scenario)?;
    if scenario.radars.is_empty() {
        bail!("the scenario has no radar to replay detections through");
    }
    let radars: Vec<Radar> = scenario.radars.iter().cloned().map(Radar::new).collect();
    let scans = read(detections, &radars)?;
    let mut rows: Vec<(f64, usize, u64, String)> = Vec::new();
    let (mut scanned, mut detected) = (0_u64, 0_usize);
    let mut confirmed = std::collections::BTreeSet::new();
    for (r, (radar, by_scan)) in radars.iter().zip(&scans).enumerate() {
        let Some(&last) = by_scan.keys().next_back() else {
            continue;
        };
        let mut state = SensorState {
            sensor: Box::new(radar.clone()),
            tracker: RadarTracker::new(radar),
            last_scan_s: None,
            siap: Default::default(),
        };
        let frame = *state.tracker.frame();
        let mut scan = ScanOutput::default();
        for k in 0..=last {
            let t = radar.scan_time(k).context("a scan time out of range")?;
            let t_s = t.as_secs_f64();
            scan.clear();
            for d in by_scan.get(&k).into_iter().flatten() {
                scan.push(*d, None);
            }
            let (excluded, _) = range_gate(&mut state, t, &scan);
            state.tracker.step_gated(t_s, &scan.detections, &excluded);
            state.last_scan_s = Some(t_s);
            scanned += 1;
            detected += scan.detections.len();
            for tr in state.tracker.confirmed() {
                confirmed.insert((r, tr.id));
                let (p, v) = (tr.position.as_vector3(), tr.velocity.as_vector3());
                let at = Geodetic::from_ecef(&frame.to_ecef(&tr.position));
                let mut fields = vec![t_s.to_string(), radar.name().to_string(), tr.id.to_string()];
                fields.extend([p.x, p.y, p.z, v.x, v.y, v.z].iter().map(f64::to_string));
                fields.extend(
                    [at.lat_deg(), at.lon_deg(), at.alt_m]
                        .iter()
                        .map(f64::to_string),
                );
                rows.push((t_s, r, tr.id, fields.join(",")));
            }
        }
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut w = csv::Writer::from_writer(AtomicFile::create(out)?);
    w.write_record(TRACK_COLUMNS.iter().chain(&["lat", "lon", "alt_m"]))?;
    for (_, _, _, fields) in &rows {
        w.write_record(fields.split(','))?;
    }
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("writing {}: {}", out.display(), e.error()))?
        .commit()?;
    errln!(
        "replayed {scanned} scans of {detected} detections on {} radar(s): {} tracks confirmed, \
         written to {}",
        radars.len(),
        confirmed.len(),
        out.display()
    );
    Ok(())
}

/// Reads the detections, each to its radar's scan; every error names the line.
fn read(path: &Path, radars: &[Radar]) -> Result<Vec<Scans>> {
    let mut reader = csv::Reader::from_path(path)
        .with_context(|| format!("reading detections from {}", path.display()))?;
    let header = reader
        .headers()
        .with_context(|| format!("{}: reading the header", path.display()))?
        .clone();
    let columns = &DETECTION_COLUMNS[..COLUMNS];
    let mut index = [0_usize; COLUMNS];
    for (slot, name) in index.iter_mut().zip(columns) {
        *slot = header
            .iter()
            .position(|h| h.trim() == *name)
            .with_context(|| {
                format!(
                    "{}:1: missing column `{name}` (a run's detections: `{}`)",
                    path.display(),
                    columns.join(",")
                )
            })?;
    }
    let mut scans: Vec<Scans> = radars.iter().map(|_| Scans::new()).collect();
    let mut previous_t = f64::NEG_INFINITY;
    for record in reader.records() {
        let record = record.with_context(|| format!("reading {}", path.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        let at = |c: usize| format!("{}:{line}: column `{}`", path.display(), columns[c]);
        let field = |c: usize| record.get(index[c]).unwrap_or_default().trim();
        let number = |c: usize| -> Result<f64> {
            let v: f64 = field(c)
                .parse()
                .with_context(|| format!("{}: `{}` is not a number", at(c), field(c)))?;
            if !v.is_finite() {
                bail!("{}: `{}` is not finite", at(c), field(c));
            }
            Ok(v)
        };
        let t = number(0)?;
        if t < previous_t {
            bail!("{}: times must not go back ({t} after {previous_t})", at(0));
        }
        previous_t = t;
        let name = field(1);
        let Some(r) = radars.iter().position(|x| x.name() == name) else {
            let names: Vec<&str> = radars.iter().map(Sensor::name).collect();
            bail!(
                "{}: no radar `{name}` in the scenario (it has {})",
                at(1),
                names.join(", ")
            );
        };
        let radar = &radars[r];
        let first = radar.first_scan().as_secs_f64();
        let revisit = radar.revisit().as_secs_f64();
        let k = ((t - first) / revisit).round();
        let on_schedule = k >= 0.0
            && k < MAX_SCANS as f64
            && radar
                .scan_time(k as u64)
                .is_some_and(|s| (s.as_secs_f64() - t).abs() <= 1e-6);
        if !on_schedule {
            bail!(
                "{}: {t} s is not a scan time of radar `{name}` (its scans are at {first} s + k·{revisit} s)",
                at(0)
            );
        }
        let (range_m, azimuth_rad, elevation_rad) = (number(2)?, number(3)?, number(4)?);
        let range_rate_mps = number(5)?;
        let snr = from_db(number(6)?);
        scans[r].entry(k as u64).or_default().push(Detection {
            t: SimTime::EPOCH
                .checked_add(SimDuration::from_secs_f64(t).context("a time out of range")?)
                .context("a time out of range")?,
            range_m,
            azimuth_rad,
            elevation_rad,
            range_rate_mps,
            snr,
            sigma: radar.sigmas(snr),
        });
    }
    Ok(scans)
}
