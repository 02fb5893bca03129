//! A search radar: what one scan detects.
//!
//! **Scan.** Each scan is taken as instantaneous at its scheduled time: every target is seen at
//! its true position at that instant (a phased array searching its sector in a frame much
//! shorter than the target's motion matters; a rotating antenna's sweep is not modelled).
//!
//! **Coverage.** A target is a candidate when its slant range lies within the instrumented
//! interval, its azimuth within the sector (boresight ± span/2), its elevation within the
//! searched band, and it is above the radar horizon over a smooth 4/3-Earth
//! ([`super::horizon`]). Angles are geometric (refraction bends the horizon, not the measured
//! angles).
//!
//! **Sensitivity.** Mean SNR follows the radar equation scaled from the reference point:
//! SNR = SNR_ref · (σ/σ_ref) · (R_ref/R)⁴, where SNR_ref is the SNR at which the reference
//! target (of its own Swerling case) is detected with the reference Pd at the radar's Pfa
//! ([`super::detection::snr_for_pd`]). Each candidate is detected with probability
//! Pd(SNR, Pfa) for its own Swerling case, one draw per target per scan.
//!
//! **Measurements** are range, azimuth, elevation and range rate in the radar's polar frame
//! (ENU at the antenna), with independent Gaussian errors whose standard deviations follow from
//! the resolution and the SNR, root-sum-squared with a bias-free floor:
//! σ_R = √((ΔR/√(2·SNR))² + σ_R,floor²), σ_θ = √((θ₃/(k·√(2·SNR)))² + σ_θ,floor²) for both angles
//! (k the monopulse slope, about 1.6), σ_Ṙ = √((ΔṘ/√(2·SNR))² + σ_Ṙ,floor²) (Barton,
//! *Radar System Analysis and Modeling*, 2005, ch. 10; Skolnik, *Introduction to Radar
//! Systems*, 3rd ed., §6.3). The diagonal covariance is reported with each detection.
//!
//! **Visual observers.** A sensor with [`RadarParams::visual`] is an observer, not a radar (a
//! short-range air-defense team's spotter, with binoculars): its searched volume is the
//! coverage above, but one look detects a target at range R with probability
//! P = 1 − 2^−(R₅₀/R)³, R₅₀ the range at which a look detects with probability ½. This is
//! Koopman's inverse-cube law of visual detection (B. O. Koopman, *Search and Screening*,
//! OEG Report 56, 1946, ch. 4; 2nd ed. 1980, §3.3): the chance of sighting in a glimpse is
//! proportional to the solid angle the wake or body subtends, which falls as R⁻³ over a plane
//! and, for a small aerial target, is the law most used. What it reports is a bearing and an
//! elevation with the observer's `bearing_error`, a range estimate with its `range_error` (1σ
//! each, constant), no range rate, and no false alarms. The detection's `snr` is the law's
//! argument (R₅₀/R)³, not a signal-to-noise ratio.
//!
//! **False alarms.** The scan's resolution cells are N = (ΔR_span/ΔR)·(Δaz/θ₃)·(Δel/θ₃); the
//! number of false alarms is Poisson with mean Pfa·N, each placed uniformly in range, azimuth
//! and elevation over the covered cells (uniform over cells, not over Cartesian volume), with a
//! range rate uniform over ±2,000 m/s and a threshold-crossing noise power T + Exp(1).

use super::ScanOutput;
use super::detection::{self, Swerling};
use super::horizon;
use rampart_core::geodesy::{wrap_pi, wrap_tau};
use rampart_core::random::StreamRng;
use rampart_core::{Coordinate, Ecef, Geodetic, LocalFrame, SimDuration, SimTime, Vector};
use rand::RngExt;
use rand_distr::{Distribution, Exp1, Poisson, StandardNormal};
use std::f64::consts::TAU;

/// The sensitivity of a radar, stated the usual notional way: "detects a target of
/// `rcs_m2` (of this Swerling case) at `range_m` with probability `pd`" at the radar's Pfa.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sensitivity {
    /// Reference range, m.
    pub range_m: f64,
    /// Reference radar cross-section, m².
    pub rcs_m2: f64,
    /// Probability of detection at the reference point.
    pub pd: f64,
    /// Fluctuation model of the reference target.
    pub swerling: Swerling,
}

/// A visual observer's detection law (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Visual {
    /// Range at which one look detects a target with probability ½, m.
    pub detection_range_m: f64,
}

/// The 1σ error an observer's reports give for the range rate it does not measure, m/s: wide
/// enough that a check on it never rejects a report.
pub const VISUAL_RANGE_RATE_SIGMA_MPS: f64 = 10_000.0;

/// Everything a scenario says about one radar (SI units, radians).
#[derive(Clone, Debug, PartialEq)]
pub struct RadarParams {
    /// Unique name.
    pub name: String,
    /// Site on the ground, WGS-84.
    pub site: Geodetic,
    /// Height of the antenna's phase centre above the site, m.
    pub antenna_height_m: f64,
    /// Azimuth of the centre of the search sector, radians clockwise from north.
    pub boresight_rad: f64,
    /// Full width of the search sector in azimuth, radians (2π: all round).
    pub azimuth_span_rad: f64,
    /// Lowest elevation searched, radians.
    pub elevation_min_rad: f64,
    /// Highest elevation searched, radians.
    pub elevation_max_rad: f64,
    /// Minimum instrumented range, m.
    pub range_min_m: f64,
    /// Maximum instrumented range, m.
    pub range_max_m: f64,
    /// Time between search scans.
    pub revisit: SimDuration,
    /// Time between track dwells (used by later stages).
    pub track_revisit: SimDuration,
    /// Time of the first scan after the epoch.
    pub first_scan: SimDuration,
    /// Range resolution (range cell), m.
    pub range_resolution_m: f64,
    /// Beamwidth (angle resolution) in azimuth and elevation, radians.
    pub beamwidth_rad: f64,
    /// Range-rate resolution, m/s.
    pub range_rate_resolution_mps: f64,
    /// Probability of false alarm per resolution cell per scan.
    pub pfa: f64,
    /// The sensitivity.
    pub sensitivity: Sensitivity,
    /// Bias-free minimum range error (1σ), m.
    pub range_noise_floor_m: f64,
    /// Bias-free minimum angle error (1σ), radians.
    pub angle_noise_floor_rad: f64,
    /// Bias-free minimum range-rate error (1σ), m/s.
    pub range_rate_noise_floor_mps: f64,
    /// Monopulse angle-slope factor k in σθ = θ₃ / (k·√(2·SNR)).
    pub monopulse_slope: f64,
    /// The clock that places range gates, and the uptime at the epoch.
    pub clock: crate::sensors::clock::SystemClock,
    /// Full width of the range gate a track dwell looks in, m.
    pub range_gate_m: f64,
    /// The SNR gain of a cued dwell, dB: a target the network has cued the radar to (it lies
    /// within a system track's predicted position) gets a longer dwell (0: cues change
    /// nothing).
    pub cued_gain_db: f64,
    /// Its tracker's settings (`[radar.tracker]`); by default the standard radar tracker,
    /// with the detection probability, clutter and measurement noise the radar implies.
    pub tracker: rampart_track::config::TrackerSettings,
    /// `Some` for a visual observer (`kind = "observer"`): its detection law replaces the
    /// radar equation, and its measurement errors are the noise floors alone.
    pub visual: Option<Visual>,
}

/// Range rates of false alarms are drawn uniformly within ± this, m/s.
pub const FALSE_ALARM_RANGE_RATE_MPS: f64 = 2_000.0;

/// The most false alarms one scan draws: a bound on a scan's work whatever the radar's Pfa and
/// resolution cells. Never reached in a run: the engine refuses a radar expecting more than
/// [`crate::engine::MAX_MEAN_FALSE_ALARMS`] (a tenth of this) per scan.
pub const MAX_FALSE_ALARMS_DRAWN: u64 = 1_000_000;

/// One target as a radar sees the truth: where it is, how it moves, how it reflects.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TargetView {
    /// What the target is (kept beside the detection, never in it).
    pub truth: crate::world::Truth,
    /// ECEF position, m.
    pub position: Coordinate<Ecef>,
    /// ECEF velocity, m/s.
    pub velocity: Vector<Ecef>,
    /// Mean radar cross-section, m².
    pub rcs_m2: f64,
    /// Fluctuation model.
    pub swerling: Swerling,
    /// Whether its motor burns (what an infrared early-warning sensor sees).
    pub plume: bool,
    /// Whether the network has cued the looking radar to it: it lies within a system track's
    /// predicted position, so the radar gives it a cued dwell ([`RadarParams::cued_gain_db`]).
    pub cued: bool,
}

/// One detection: a measurement in the radar's polar frame with its standard deviations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection {
    /// When the scan took it.
    pub t: SimTime,
    /// Slant range from the antenna, m.
    pub range_m: f64,
    /// Azimuth, radians clockwise from north, in [0, 2π).
    pub azimuth_rad: f64,
    /// Elevation above the antenna's horizontal plane, radians.
    pub elevation_rad: f64,
    /// Range rate (positive opening), m/s.
    pub range_rate_mps: f64,
    /// Signal-to-noise ratio of the detection (power ratio; [`Detection::snr_db`] in dB).
    pub snr: f64,
    /// 1σ errors of range (m), azimuth (rad), elevation (rad) and range rate (m/s): the
    /// diagonal of the measurement covariance.
    pub sigma: [f64; 4],
}

impl Detection {
    /// Signal-to-noise ratio, dB (worked out only when asked: a scan's false alarms are many
    /// and their SNR is read only by the detection log).
    pub fn snr_db(&self) -> f64 {
        detection::to_db(self.snr)
    }
}

/// A radar ready to scan.
#[derive(Clone, Debug)]
pub struct Radar {
    params: RadarParams,
    antenna: Geodetic,
    frame: LocalFrame,
    reference_snr: f64,
    cells: f64,
    earth_radius_m: f64,
    /// The cued dwell's SNR gain as a power ratio.
    cued_gain: f64,
}

impl Radar {
    /// A radar from its parameters.
    pub fn new(params: RadarParams) -> Self {
        let antenna = Geodetic {
            alt_m: params.site.alt_m + params.antenna_height_m,
            ..params.site
        };
        let s = &params.sensitivity;
        let reference_snr = if params.visual.is_some() {
            1.0
        } else {
            detection::snr_for_pd(s.swerling, s.pd, params.pfa)
        };
        let el_span = params.elevation_max_rad - params.elevation_min_rad;
        let cells = ((params.range_max_m - params.range_min_m) / params.range_resolution_m)
            .max(1.0)
            * (params.azimuth_span_rad / params.beamwidth_rad).max(1.0)
            * (el_span / params.beamwidth_rad).max(1.0);
        Self {
            frame: antenna.local_frame(),
            earth_radius_m: horizon::gaussian_radius_m(antenna.lat_rad),
            antenna,
            reference_snr,
            cells,
            cued_gain: detection::from_db(params.cued_gain_db),
            params,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &RadarParams {
        &self.params
    }
    /// The antenna's position (site plus antenna height).
    pub fn antenna(&self) -> Geodetic {
        self.antenna
    }
    /// Number of resolution cells in the searched volume.
    pub fn resolution_cells(&self) -> f64 {
        self.cells
    }
    /// Mean number of false alarms per scan, Pfa × cells.
    pub fn mean_false_alarms(&self) -> f64 {
        self.params.pfa * self.cells
    }

    /// Mean SNR (linear) of a target of `rcs_m2` at slant range `range_m`; for an observer,
    /// (R₅₀/R)³ whatever the cross-section.
    pub fn snr(&self, rcs_m2: f64, range_m: f64) -> f64 {
        if let Some(v) = self.params.visual {
            return (v.detection_range_m / range_m).powi(3);
        }
        let s = &self.params.sensitivity;
        self.reference_snr * (rcs_m2 / s.rcs_m2) * (s.range_m / range_m).powi(4)
    }

    /// Whether a point is inside the searched volume and above the radar horizon, and if so
    /// its range, azimuth and elevation.
    pub fn covers(&self, position: &Coordinate<Ecef>) -> Option<rampart_core::Aer> {
        let p = &self.params;
        // Most threats in flight are far beyond the instrumented range: a straight-line
        // distance well past it (a metre, far above the rounding between the two) settles
        // them before the angles are worked out.
        let d = (position.as_vector3() - self.frame.origin_ecef().as_vector3()).norm();
        if d > p.range_max_m + 1.0 {
            return None;
        }
        let aer = self.frame.aer(position);
        if aer.range_m < p.range_min_m || aer.range_m > p.range_max_m {
            return None;
        }
        if p.azimuth_span_rad < TAU
            && wrap_pi(aer.az_rad - p.boresight_rad).abs() > 0.5 * p.azimuth_span_rad
        {
            return None;
        }
        if aer.el_rad < p.elevation_min_rad || aer.el_rad > p.elevation_max_rad {
            return None;
        }
        let target = Geodetic::from_ecef(position);
        let a = self.frame.origin_ecef().as_vector3().normalize();
        let b = position.as_vector3().normalize();
        let ground = a.cross(&b).norm().atan2(a.dot(&b)) * self.earth_radius_m;
        let visible = horizon::line_of_sight(
            self.antenna.alt_m,
            target.alt_m,
            ground,
            self.earth_radius_m,
            horizon::K_STANDARD,
        );
        visible.then_some(aer)
    }

    /// The 1σ errors of a measurement at mean SNR `snr` (linear); an observer's are its
    /// floors, and no range rate.
    pub fn sigmas(&self, snr: f64) -> [f64; 4] {
        let p = &self.params;
        if p.visual.is_some() {
            return [
                p.range_noise_floor_m,
                p.angle_noise_floor_rad,
                p.angle_noise_floor_rad,
                VISUAL_RANGE_RATE_SIGMA_MPS,
            ];
        }
        let k = (2.0 * snr).sqrt();
        // Root sum of squares; the terms are far from overflow, so without `hypot`'s scaling.
        let rss = |a: f64, b: f64| (a * a + b * b).sqrt();
        let angle = rss(
            p.beamwidth_rad / (p.monopulse_slope * k),
            p.angle_noise_floor_rad,
        );
        [
            rss(p.range_resolution_m / k, p.range_noise_floor_m),
            angle,
            angle,
            rss(
                p.range_rate_resolution_mps / k,
                p.range_rate_noise_floor_mps,
            ),
        ]
    }

    /// One scan at `t`: detections of `targets` and false alarms, appended to `out` (targets
    /// in the order given, then false alarms), each with its truth label. All draws come from
    /// `rng`.
    pub fn scan(
        &self,
        t: SimTime,
        targets: impl IntoIterator<Item = TargetView>,
        rng: &mut StreamRng,
        out: &mut ScanOutput,
    ) {
        let pfa = self.params.pfa;
        for target in targets {
            let Some(aer) = self.covers(&target.position) else {
                continue;
            };
            let mut snr = self.snr(target.rcs_m2, aer.range_m);
            let pd = if self.params.visual.is_some() {
                // 1 − 2^−snr, Koopman's inverse-cube law (module docs).
                -(-std::f64::consts::LN_2 * snr).exp_m1()
            } else {
                if target.cued {
                    snr *= self.cued_gain;
                }
                detection::pd(target.swerling, snr, pfa)
            };
            let u: f64 = rng.random();
            if u >= pd {
                continue;
            }
            let los = (target.position - self.frame.origin_ecef()) / aer.range_m;
            let range_rate = target.velocity.dot(&los);
            let sigma = self.sigmas(snr);
            let mut n = || -> f64 { StandardNormal.sample(&mut *rng) };
            let detection = Detection {
                t,
                range_m: {
                    let range = aer.range_m + sigma[0] * n();
                    // An observer's judged range, its error hundreds of metres, is folded at 0:
                    // a target is never judged behind the observer.
                    if self.params.visual.is_some() {
                        range.abs()
                    } else {
                        range
                    }
                },
                azimuth_rad: wrap_tau(aer.az_rad + sigma[1] * n()),
                elevation_rad: aer.el_rad + sigma[2] * n(),
                // An observer measures none: its report carries 0 with a boundless error.
                range_rate_mps: if self.params.visual.is_some() {
                    0.0
                } else {
                    range_rate + sigma[3] * n()
                },
                snr,
                sigma,
            };
            out.push(detection, Some(target.truth));
        }
        self.false_alarms(t, rng, out);
    }

    fn false_alarms(&self, t: SimTime, rng: &mut StreamRng, out: &mut ScanOutput) {
        let p = &self.params;
        let mean = self.mean_false_alarms();
        let n = if mean > 0.0 {
            match Poisson::new(mean) {
                Ok(d) => d.sample(&mut *rng) as u64,
                Err(_) => 0,
            }
        } else {
            0
        };
        let threshold = detection::threshold(p.pfa);
        for _ in 0..n.min(MAX_FALSE_ALARMS_DRAWN) {
            let range_m = rng.random_range(p.range_min_m..=p.range_max_m);
            let half = 0.5 * p.azimuth_span_rad.min(TAU);
            let azimuth_rad = wrap_tau(p.boresight_rad + rng.random_range(-half..=half));
            let elevation_rad = rng.random_range(p.elevation_min_rad..=p.elevation_max_rad);
            let range_rate_mps =
                rng.random_range(-FALSE_ALARM_RANGE_RATE_MPS..=FALSE_ALARM_RANGE_RATE_MPS);
            // Noise alone crossed the threshold: its power is T + Exp(1) (memoryless), in
            // units of the noise power; its SNR, as a real detection's, is that power less the
            // noise (docs/models.md, "False alarms").
            let excess: f64 = Exp1.sample(&mut *rng);
            let snr = (threshold + excess - 1.0).max(1e-3);
            let detection = Detection {
                t,
                range_m,
                azimuth_rad,
                elevation_rad,
                range_rate_mps,
                snr,
                sigma: self.sigmas(snr),
            };
            out.push(detection, None);
        }
    }
}
