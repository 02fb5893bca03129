//! The search radar against closed forms and statistics.

use rampart_core::random::RandomStreams;
use rampart_core::{Ecef, Geodetic, SimDuration, SimTime, Vector};
use rampart_sim::sensors::ScanOutput;
use rampart_sim::sensors::detection::{self, Swerling};
use rampart_sim::sensors::radar::{Detection, Radar, TargetView};
use rampart_sim::world::{ThreatId, Truth};

use crate::common::test_radar as radar;

/// A target `range_m` from the antenna along azimuth `az_deg`, elevation `el_deg`, receding at
/// 500 m/s along the line of sight.
fn target(
    r: &Radar,
    az_deg: f64,
    el_deg: f64,
    range_m: f64,
    rcs_m2: f64,
    swerling: Swerling,
) -> TargetView {
    let f = r.antenna().local_frame();
    let dir = f.direction(az_deg.to_radians(), el_deg.to_radians());
    TargetView {
        truth: Truth::Threat(ThreatId::from_index(0)),
        position: f.origin_ecef() + dir * range_m,
        velocity: dir * 500.0,
        rcs_m2,
        swerling,
        plume: false,
        cued: false,
    }
}

/// `n` scans of `t`: each detection with whether a target made it (`false`: a false alarm).
fn scans(r: &Radar, t: TargetView, n: u64, seed: u64) -> Vec<(Detection, bool)> {
    let streams = RandomStreams::new(seed, 0);
    let mut out = ScanOutput::default();
    for k in 0..n {
        let mut rng = streams.stream("radar/test", &format!("scan/{k}"));
        r.scan(
            SimTime::EPOCH + SimDuration::from_secs(k as i64),
            [t],
            &mut rng,
            &mut out,
        );
    }
    out.detections
        .into_iter()
        .zip(out.truth.iter().map(Option::is_some))
        .collect()
}

/// At the reference range and RCS the empirical Pd is the reference Pd (0.5), within the 99 %
/// binomial band for 10,000 scans (±0.0129).
#[test]
fn detects_the_reference_target_with_the_reference_pd() {
    let r = radar(1e-12); // no false alarms to speak of
    let t = target(&r, 90.0, 5.0, 150_000.0, 1.0, Swerling::One);
    let hits = scans(&r, t, 10_000, 1)
        .iter()
        .filter(|(_, real)| *real)
        .count();
    let pd = hits as f64 / 10_000.0;
    assert!(
        (pd - 0.5).abs() < 2.576 * (0.25f64 / 10_000.0).sqrt(),
        "Pd {pd}"
    );
    // R⁻⁴: at half the range the SNR is 16 times (12 dB) higher.
    let snr_ref = r.snr(1.0, 150_000.0);
    assert!((r.snr(1.0, 75_000.0) / snr_ref - 16.0).abs() < 1e-9);
    assert!((r.snr(0.1, 150_000.0) / snr_ref - 0.1).abs() < 1e-12);
    assert!((detection::pd(Swerling::One, snr_ref, 1e-12) - 0.5).abs() < 1e-6);
}

/// Normalised measurement errors are standard normal: over 10,000 detections the mean of
/// Σ(eᵢ/σᵢ)² over the four components lies in the 99 % band of χ²(4)/1 (mean 4, s.d. of the
/// mean √(8/10,000)), and each component's normalised errors pass Pearson's χ² goodness-of-fit
/// test in 10 equiprobable bins (9 degrees of freedom, 99 % critical value 21.67; Pearson 1900,
/// the critical value from any χ² table).
#[test]
fn measurement_noise_has_the_reported_covariance() {
    let r = radar(1e-12);
    let t = target(&r, 100.0, 10.0, 60_000.0, 1.0, Swerling::Zero);
    let dets: Vec<Detection> = scans(&r, t, 12_000, 2)
        .into_iter()
        .filter(|(_, real)| *real)
        .map(|(d, _)| d)
        .take(10_000)
        .collect();
    assert_eq!(
        dets.len(),
        10_000,
        "SNR high enough to detect almost always"
    );
    let truth = r.antenna().local_frame().aer(&t.position);
    let los_rate = 500.0;
    let normalised: Vec<[f64; 4]> = dets
        .iter()
        .map(|d| {
            let daz = (d.azimuth_rad - truth.az_rad + std::f64::consts::PI)
                .rem_euclid(std::f64::consts::TAU)
                - std::f64::consts::PI;
            [
                (d.range_m - truth.range_m) / d.sigma[0],
                daz / d.sigma[1],
                (d.elevation_rad - truth.el_rad) / d.sigma[2],
                (d.range_rate_mps - los_rate) / d.sigma[3],
            ]
        })
        .collect();
    let mean_nees: f64 = normalised
        .iter()
        .map(|e| e.iter().map(|x| x * x).sum::<f64>())
        .sum::<f64>()
        / 10_000.0;
    assert!(
        (mean_nees - 4.0).abs() < 2.576 * (8.0f64 / 10_000.0).sqrt(),
        "mean NEES {mean_nees}"
    );
    // Equiprobable bin edges of N(0, 1), deciles.
    let edges = [
        -1.2816, -0.8416, -0.5244, -0.2533, 0.0, 0.2533, 0.5244, 0.8416, 1.2816,
    ];
    for c in 0..4 {
        let mut counts = [0usize; 10];
        for e in &normalised {
            counts[edges.iter().filter(|&&x| e[c] > x).count()] += 1;
        }
        let chi2: f64 = counts
            .iter()
            .map(|&n| (n as f64 - 1000.0).powi(2) / 1000.0)
            .sum();
        assert!(chi2 < 21.67, "component {c}: χ² {chi2}, counts {counts:?}");
    }
    // The reported σ follows the SNR: ΔR/√(2·SNR) ⊕ floor.
    let snr = r.snr(1.0, 60_000.0);
    assert!((dets[0].sigma[0] - (50.0 / (2.0 * snr).sqrt()).hypot(1.0)).abs() < 1e-9);
}

/// The number of false alarms per scan is Poisson with mean Pfa × cells: over 2,000 scans the
/// total lies within the 99 % interval of Poisson(2,000 λ) (normal approximation, λ·n ≫ 1).
#[test]
fn false_alarms_per_scan_match_pfa_times_cells() {
    let r = radar(1e-6);
    let lambda = r.mean_false_alarms();
    // (199 km / 50 m) × (120° / 1.5°) × (60° / 1.5°) = 3,980 × 80 × 40 cells.
    assert!((r.resolution_cells() - 3_980.0 * 80.0 * 40.0).abs() < 1e-6);
    let far = target(&r, 270.0, 5.0, 100_000.0, 1.0, Swerling::One); // behind the radar
    let dets = scans(&r, far, 2_000, 3);
    assert!(dets.iter().all(|(_, real)| !real));
    let n = dets.len() as f64;
    let expect = 2_000.0 * lambda;
    assert!(
        (n - expect).abs() < 2.576 * expect.sqrt(),
        "{n} false alarms, expected {expect}"
    );
    // They lie inside the searched volume.
    for (d, _) in &dets {
        assert!((1_000.0..=200_000.0).contains(&d.range_m));
        let off = (d.azimuth_rad - 90f64.to_radians()).abs();
        assert!(
            off <= 60f64.to_radians() + 1e-12,
            "{}",
            d.azimuth_rad.to_degrees()
        );
        assert!((0.0..=60f64.to_radians()).contains(&d.elevation_rad));
    }
}

/// Never detected: outside the azimuth sector, beyond maximum range, below the minimum
/// elevation, below the radar horizon — however strong the echo.
#[test]
fn targets_outside_the_coverage_are_never_detected() {
    let r = radar(1e-12);
    let strong = 1e6;
    for t in [
        target(&r, 20.0, 5.0, 50_000.0, strong, Swerling::Zero), // 70° off boresight, sector ±60°
        target(&r, 160.0, 5.0, 50_000.0, strong, Swerling::Zero), // 70° off on the other side
        target(&r, 90.0, 5.0, 210_000.0, strong, Swerling::Zero), // beyond 200 km
        target(&r, 90.0, 70.0, 50_000.0, strong, Swerling::Zero), // above the 60° elevation limit
        target(&r, 90.0, 5.0, 500.0, strong, Swerling::Zero),    // inside the 1 km minimum range
    ] {
        assert!(scans(&r, t, 200, 4).iter().all(|(_, real)| !real));
    }
    // In the sector and range: detected every time.
    let seen = target(&r, 140.0, 5.0, 50_000.0, strong, Swerling::Zero);
    assert_eq!(
        scans(&r, seen, 200, 4)
            .iter()
            .filter(|(_, real)| *real)
            .count(),
        200
    );
}

/// A low flyer is hidden by the horizon until close: with the antenna 200 m above the
/// ellipsoid, a target 50 m up is below the 4/3-Earth horizon at 100 km (horizon sum
/// 4.12·(√200 + √50) ≈ 87 km) and visible at 60 km. Its position is put on the ellipsoid
/// height directly, not along a straight elevation line.
#[test]
fn the_radar_horizon_hides_low_flyers() {
    let r = radar(1e-12);
    let site = r.antenna();
    let low = |km: f64| {
        let p = site.destination(90f64.to_radians(), km * 1e3);
        let pos = Geodetic { alt_m: 50.0, ..p }.to_ecef();
        TargetView {
            truth: Truth::Threat(ThreatId::from_index(0)),
            position: pos,
            velocity: Vector::<Ecef>::zeros(),
            rcs_m2: 1e6,
            swerling: Swerling::Zero,
            plume: false,
            cued: false,
        }
    };
    // Elevation below 0 would already exclude it; allow negative elevations for this check.
    let mut params = r.params().clone();
    params.elevation_min_rad = -5f64.to_radians();
    let r = Radar::new(params);
    assert!(
        r.covers(&low(100.0).position).is_none(),
        "100 km: below the horizon"
    );
    assert!(
        r.covers(&low(60.0).position).is_some(),
        "60 km: above the horizon"
    );
}

/// The test radar made a visual observer: R₅₀ 4 km, bearing error 1°, range error 500 m,
/// out to 10 km.
fn observer() -> Radar {
    let mut p = radar(1e-12).params().clone();
    p.range_min_m = 0.0;
    p.range_max_m = 10_000.0;
    p.pfa = 0.0;
    p.angle_noise_floor_rad = 1f64.to_radians();
    p.range_noise_floor_m = 500.0;
    p.visual = Some(rampart_sim::sensors::radar::Visual {
        detection_range_m: 4_000.0,
    });
    Radar::new(p)
}

/// An observer detects by Koopman's inverse-cube law, P = 1 − 2^−(R₅₀/R)³ (B. O. Koopman,
/// *Search and Screening*, 2nd ed., 1980, §3.3): over 10,000 looks each at R₅₀ (P = ½), 2 R₅₀
/// (P = 1 − 2^−⅛ = 0.0830) and ½ R₅₀ (P = 1 − 2⁻⁸ = 0.9961), the empirical frequency lies in
/// the 99 % binomial band; it never reports a false alarm; its bearing and range errors have
/// the stated spread, and it reports no range rate.
#[test]
fn an_observer_detects_by_the_inverse_cube_law_and_reports_its_stated_errors() {
    let r = observer();
    for (range_m, p) in [
        (4_000.0, 0.5),
        (8_000.0, 1.0 - 2f64.powf(-0.125)),
        (2_000.0, 1.0 - 2f64.powi(-8)),
    ] {
        let t = target(&r, 90.0, 5.0, range_m, 1.0, Swerling::One);
        let dets = scans(&r, t, 10_000, 7);
        assert!(dets.iter().all(|(_, real)| *real), "no false alarm");
        let freq = dets.len() as f64 / 10_000.0;
        let band = 2.576 * (p * (1.0 - p) / 10_000.0).sqrt();
        assert!(
            (freq - p).abs() < band.max(1e-3),
            "{range_m} m: {freq} against {p}"
        );
    }
    // A target of a thousandth of the cross-section is seen as often: the eye sees no RCS.
    assert_eq!(r.snr(0.001, 4_000.0), r.snr(1.0, 4_000.0));
    let t = target(&r, 100.0, 10.0, 2_000.0, 1.0, Swerling::Zero);
    let truth = r.antenna().local_frame().aer(&t.position);
    let dets: Vec<Detection> = scans(&r, t, 4_000, 8).into_iter().map(|(d, _)| d).collect();
    let n = dets.len() as f64;
    let rms =
        |f: &dyn Fn(&Detection) -> f64| (dets.iter().map(|d| f(d).powi(2)).sum::<f64>() / n).sqrt();
    let bearing = rms(&|d| {
        (d.azimuth_rad - truth.az_rad + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU)
            - std::f64::consts::PI
    });
    let range = rms(&|d| d.range_m - truth.range_m);
    // The sample RMS of ~4,000 normal draws is within 5 % of σ (its s.d. is σ/√(2n) = 1.1 %).
    assert!(
        (bearing / 1f64.to_radians() - 1.0).abs() < 0.05,
        "bearing {bearing}"
    );
    assert!((range / 500.0 - 1.0).abs() < 0.05, "range {range}");
    assert!(
        dets.iter()
            .all(|d| d.range_rate_mps == 0.0 && d.sigma[3] >= 1e3)
    );
}
