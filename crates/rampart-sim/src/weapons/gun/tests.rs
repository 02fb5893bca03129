use super::*;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Vacuum rounds (no drag): the lead point of a target on a straight line at constant velocity
/// solves |p₀ + v τ| = v₀ τ, the quadratic (|v|² − v₀²) τ² + 2 (p₀·v) τ + |p₀|² = 0, by hand.
#[test]
fn lead_meets_the_straight_line_intercept() {
    let rounds = Rounds {
        muzzle_velocity_mps: 1_000.0,
        decay_per_m: 0.0,
    };
    let p0 = Vector3::new(1_500.0, 500.0, 800.0);
    let v = Vector3::new(-200.0, -50.0, -150.0);
    let (a, b, c): (f64, f64, f64) = (v.norm_squared() - 1e6, 2.0 * p0.dot(&v), p0.norm_squared());
    let tau = (-b - (b * b - 4.0 * a * c).sqrt()) / (2.0 * a);
    assert!(tau > 0.0);
    let l = lead(&rounds, &Vector3::zeros(), 10.0, |t| {
        Some(p0 + v * (t - 10.0))
    })
    .unwrap();
    assert!((l.flight_s - tau).abs() < 1e-6, "{} vs {tau}", l.flight_s);
    assert!((l.point - (p0 + v * tau)).norm() < 1e-2);
    assert!((l.range_m - 1_000.0 * tau).abs() < 1e-2);
    // A path that ends before the rounds arrive has no solution.
    assert!(lead(&rounds, &Vector3::zeros(), 0.0, |t| (t < 0.5).then_some(p0)).is_none());
}

/// With drag the time of flight is (e^{ks} − 1)/(k v₀), longer than in vacuum, and the
/// distance flown in that time is s again.
#[test]
fn flat_fire_time_and_distance_are_inverse() {
    let rounds = Rounds {
        muzzle_velocity_mps: 1_100.0,
        decay_per_m: 4e-4,
    };
    for s in [100.0, 1_000.0, 2_500.0] {
        let t = rounds.time_to(s).unwrap();
        assert!(t > s / 1_100.0);
        assert!((rounds.distance_at(t) - s).abs() < 1e-6 * s);
        // dv/ds = −k v: the speed at s is v₀ e^{−ks}, and dt/ds = 1/v.
        let h = 1e-3;
        let dtds = (rounds.time_to(s + h).unwrap() - rounds.time_to(s - h).unwrap()) / (2.0 * h);
        assert!((dtds * rounds.speed_at(s) - 1.0).abs() < 1e-6);
    }
}

/// Without an offset the chance of a round within r of the centre is 1 − exp(−r²/2σ²) (the
/// Rayleigh distribution; Driels, *Weaponeering*, ch. 6); with one it is checked against a
/// direct quadrature of the offset normal density over the disc.
#[test]
fn round_hit_probability_meets_its_closed_form_and_a_quadrature() {
    for (r, s) in [(0.1_f64, 1.0_f64), (0.5, 0.7), (2.0, 1.0)] {
        let want = 1.0 - (-(r * r) / (2.0 * s * s)).exp();
        assert!((round_hit_probability(0.0, s, r) - want).abs() < 1e-12);
    }
    let quad = |d: f64, s: f64, r: f64| {
        let (nr, nt) = (400, 400);
        let mut sum = 0.0;
        for i in 0..nr {
            let rho = (f64::from(i) + 0.5) / f64::from(nr) * r;
            for j in 0..nt {
                let th = (f64::from(j) + 0.5) / f64::from(nt) * std::f64::consts::TAU;
                let (x, y) = (rho * th.cos() - d, rho * th.sin());
                sum += (-(x * x + y * y) / (2.0 * s * s)).exp() * rho;
            }
        }
        sum * (r / f64::from(nr)) * (std::f64::consts::TAU / f64::from(nt))
            / (std::f64::consts::TAU * s * s)
    };
    for (d, s, r) in [
        (0.5, 1.0, 0.3),
        (2.0, 1.0, 0.5),
        (3.0, 0.8, 1.0),
        (0.2, 0.1, 0.15),
    ] {
        let p = round_hit_probability(d, s, r);
        let q = quad(d, s, r);
        assert!(
            (p - q).abs() < 1e-4 * q.max(1e-3),
            "{d} {s} {r}: {p} vs {q}"
        );
    }
    assert_eq!(round_hit_probability(50.0, 1.0, 0.5), 0.0);
    // A circle far larger than the spread: on its rim half the rounds fall inside, well
    // inside it all of them; the series and the rim's normal approximation agree where they
    // meet (λ and r²/2σ² near 300).
    assert!((round_hit_probability(100.0, 1.0, 100.0) - 0.5).abs() < 0.01);
    assert!(round_hit_probability(90.0, 1.0, 100.0) > 0.999_999);
    let (a, b) = (
        round_hit_probability(24.4, 1.0, 24.5),
        round_hit_probability(24.6, 1.0, 24.7),
    );
    assert!((a - b).abs() < 0.01, "{a} {b}");
}

/// A simulated burst (each round a circular normal draw) kills as often as 1 − (1 − p)ⁿ says.
#[test]
fn burst_kill_probability_matches_simulated_bursts() {
    let (d, s, r, n) = (1.0, 2.0, 0.3, 20_u32);
    let p = round_hit_probability(d, s, r);
    let want = burst_kill_probability(p, n);
    let mut rng = rampart_core::random::RandomStreams::new(7, 0).stream("gun", "test");
    let bursts = 20_000;
    let mut kills = 0;
    for _ in 0..bursts {
        let hit = (0..n).any(|_| {
            let x: f64 = StandardNormal.sample(&mut rng);
            let y: f64 = StandardNormal.sample(&mut rng);
            (d + s * x).hypot(s * y) < r
        });
        kills += u32::from(hit);
    }
    let got = f64::from(kills) / f64::from(bursts);
    let se = (want * (1.0 - want) / f64::from(bursts)).sqrt();
    assert!((got - want).abs() < 4.0 * se, "{got} vs {want}");
    let _ = rng.random::<f64>();
}

/// In vacuum a round fired at θ lands v₀² sin 2θ / g away; one still climbing at its
/// self-destruct time never lands.
#[test]
fn misses_fall_where_the_vacuum_range_says_or_self_destruct() {
    let rounds = Rounds {
        muzzle_velocity_mps: 300.0,
        decay_per_m: 0.0,
    };
    let th = 0.2_f64;
    let want = 300.0_f64.powi(2) * (2.0 * th).sin() / G0;
    let got = fall(&rounds, th, 100.0).unwrap();
    assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
    assert!(fall(&rounds, th, 5.0).is_none());
    // Drag shortens the fall.
    let draggy = Rounds {
        decay_per_m: 1e-3,
        ..rounds
    };
    assert!(fall(&draggy, th, 100.0).unwrap() < want);
}
