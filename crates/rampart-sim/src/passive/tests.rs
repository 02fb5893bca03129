//! The model against closed forms, tabulated values and brute-force means.

use super::*;

/// The fraction by brute force: [`brute_struck`] of one footprint `d` east of the centre.
fn brute(d: f64, a: f64, r: f64) -> f64 {
    brute_struck(a, &[(d, 0.0, r)])
}

#[test]
fn at_the_centre_the_fraction_is_the_closed_form() {
    // ∫₀^A 2πρ exp(−ρ²/R²) dρ / (πA²) = (R²/A²)(1 − exp(−A²/R²)).
    for (a, r) in [
        (100.0_f64, 50.0_f64),
        (2500.0, 46.0),
        (30.0, 100.0),
        (1000.0, 1000.0),
    ] {
        let exact = (r * r / (a * a)) * (1.0 - (-(a * a) / (r * r)).exp());
        let f = disc_fraction(0.0, a, r);
        assert!(
            (f - exact).abs() < 1e-6 * exact.max(1e-12),
            "{a} {r}: {f} vs {exact}"
        );
    }
}

#[test]
fn off_centre_matches_a_brute_force_mean() {
    for (d, a, r) in [
        (40.0, 100.0, 50.0),
        (100.0, 100.0, 30.0),
        (180.0, 100.0, 60.0),
    ] {
        let f = disc_fraction(d, a, r);
        let b = brute(d, a, r);
        assert!(
            (f - b).abs() < 2e-3 * b.max(1e-3),
            "{d} {a} {r}: {f} vs {b}"
        );
    }
}

#[test]
fn deep_inside_a_large_disc_the_fraction_is_the_lethal_area_over_the_disc() {
    // πR²/(πA²) when the whole damage function falls inside the disc.
    let f = disc_fraction(1000.0, 2500.0, 46.0);
    let want = 46.0_f64.powi(2) / 2500.0_f64.powi(2);
    assert!((f - want).abs() < 1e-6 * want, "{f} vs {want}");
    assert_eq!(disc_fraction(3000.0, 2500.0, 46.0), 0.0, "beyond reach");
}

#[test]
fn scaled_i0_matches_tabulated_values() {
    // e^{-x}·I₀(x) at 1, 2, 5, 10 from I₀ of Abramowitz & Stegun tables 9.8 and 9.11.
    for (x, v) in [
        (1.0, 0.465_759_6),
        (2.0, 0.308_508_3),
        (5.0, 0.183_540_8),
        (10.0, 0.127_833_3),
    ] {
        assert!((i0_scaled(x) - v).abs() < 3e-7, "{x}");
    }
}

fn people() -> Personnel {
    Personnel {
        count: 1000,
        radius_m: 500.0,
        light: 0.0,
        hardened: 0.0,
        light_places: 0,
        hardened_places: 1000,
        shelter_median_s: 60.0,
        shelter_sigma: 0.5,
    }
}

fn impact(t: f64, warhead: Warhead) -> Impact {
    Impact {
        t,
        east_m: 0.0,
        north_m: 0.0,
        warhead,
    }
}

#[test]
fn the_sheltered_fraction_follows_the_lognormal_cdf() {
    let p = people();
    // Φ(0) = 0.5 at the median; Φ(1) = 0.841345 at median·e^σ; Φ(−1) = 0.158655 at
    // median·e^−σ (standard normal table).
    for (tau, want) in [
        (60.0, 0.5),
        (60.0 * 0.5_f64.exp(), 0.841_344_7),
        (60.0 * (-0.5_f64).exp(), 0.158_655_3),
        (0.0, 0.0),
    ] {
        let (h, l) = moved(&p, 1000.0, 0.0, 0.0, 1000.0, tau);
        assert_eq!(l, 0.0);
        assert!((h / 1000.0 - want).abs() < 1e-6, "{tau}: {h}");
    }
}

#[test]
fn shelter_capacity_is_respected() {
    let mut p = people();
    p.hardened_places = 300;
    p.light_places = 200;
    // Long after the alarm everyone has arrived: 300 in bunkers, 200 in light shelters,
    // 500 left in the open.
    let (h, l) = moved(&p, 1000.0, 0.0, 200.0, 300.0, 1e6);
    assert!((h - 300.0).abs() < 1e-9 && (l - 200.0).abs() < 1e-9);
    // At the median half have arrived: bunkers full, 200 light.
    let (h, l) = moved(&p, 1000.0, 0.0, 200.0, 300.0, 60.0);
    assert!((h - 300.0).abs() < 1e-9 && (l - 200.0).abs() < 1e-9);
    // At median·e^−σ, 158.7 have arrived: all in bunkers.
    let (h, l) = moved(&p, 1000.0, 0.0, 200.0, 300.0, 60.0 * (-0.5_f64).exp());
    assert!((h - 158.655_3).abs() < 1e-3 && l == 0.0);
    // Effects: an impact at the centre long after the alarm. Killed = 500 in the open ·
    // f(R) + 200 · f(R/√3) + 300 · f(R/√30).
    let w = Warhead::scaled(450.0);
    let prot = PassiveDefense::default().protection;
    let e = asset_effects(
        500.0,
        Some(&p),
        None,
        &prot,
        Some(0.0),
        None,
        &[impact(1e6, w)],
    );
    let f = |k: f64| disc_fraction(0.0, 500.0, w.lethal_radius_m / k.sqrt());
    let want = 500.0 * f(1.0) + 200.0 * f(3.0) + 300.0 * f(30.0);
    assert!(
        (e.killed - want).abs() < 1e-9 * want,
        "{} vs {want}",
        e.killed
    );
}

#[test]
fn people_in_light_shelters_make_for_the_bunkers_too() {
    // 400 in the open, 600 in light shelters, 500 bunker places: the arrivals fill the
    // bunkers in proportion (200 from the open, 300 from the shelters); the other 200
    // from the open find no light place (none spare) and stay out.
    let mut p = people();
    p.light = 0.6;
    p.hardened_places = 500;
    p.light_places = 600;
    let (h, l) = moved(&p, 400.0, 600.0, 0.0, 500.0, 1e6);
    assert!((h - 500.0).abs() < 1e-9 && l == 0.0);
    let w = Warhead::scaled(450.0);
    let prot = PassiveDefense::default().protection;
    let e = asset_effects(
        500.0,
        Some(&p),
        None,
        &prot,
        Some(0.0),
        None,
        &[impact(1e6, w)],
    );
    let f = |k: f64| disc_fraction(0.0, 500.0, w.lethal_radius_m / k.sqrt());
    let want = 500.0 * f(30.0) + 300.0 * f(3.0) + 200.0 * f(1.0);
    assert!(
        (e.killed - want).abs() < 1e-9 * want,
        "{} vs {want}",
        e.killed
    );
}

#[test]
fn without_an_alarm_everyone_in_the_open_stays_there() {
    let p = people();
    let w = Warhead::scaled(450.0);
    let prot = PassiveDefense::default().protection;
    let imp = [impact(300.0, w)];
    let none = asset_effects(500.0, Some(&p), None, &prot, None, None, &imp);
    let want = 1000.0 * disc_fraction(0.0, 500.0, w.lethal_radius_m);
    assert!((none.killed - want).abs() < 1e-9 * want);
    // An alarm after the impact changes nothing; one 60 s before it shelters half.
    let late = asset_effects(500.0, Some(&p), None, &prot, Some(301.0), None, &imp);
    assert_eq!(late.killed, none.killed);
    let half = asset_effects(500.0, Some(&p), None, &prot, Some(240.0), None, &imp);
    let f = |k: f64| disc_fraction(0.0, 500.0, w.lethal_radius_m / k.sqrt());
    let want = 500.0 * f(1.0) + 500.0 * f(30.0);
    assert!((half.killed - want).abs() < 1e-9 * want);
    // Evacuating 40 % leaves 600 present and scales the losses.
    let evac = asset_effects(500.0, Some(&p), None, &prot, None, Some((0.4, 0.0)), &imp);
    assert!((evac.personnel_present - 600.0).abs() < 1e-12);
    assert!((evac.killed - 0.6 * none.killed).abs() < 1e-9);
}

#[test]
fn coincident_impacts_strike_each_person_once() {
    // n impacts at one point, R ≪ A: a person at r survives all with (1 − e^{−r²/R²})^n,
    // so the plane integral of the struck is ∫ (1 − (1 − e^{−r²/R²})^n) 2πr dr = πR²·H_n
    // (H_n the n-th harmonic number), not n·πR² as if each impact met fresh people.
    let p = Personnel {
        hardened_places: 0,
        radius_m: 5000.0,
        ..people()
    };
    let w = Warhead::scaled(450.0);
    let prot = PassiveDefense::default().protection;
    for n in [1, 2, 5, 13] {
        let hits = vec![impact(10.0, w); n];
        let e = asset_effects(5000.0, Some(&p), None, &prot, None, None, &hits);
        let h: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
        let a2 = 5000.0_f64.powi(2);
        let killed = 1000.0 * w.lethal_radius_m.powi(2) / a2 * h;
        let hurt = 1000.0 * w.injury_radius_m.powi(2) / a2 * h;
        assert!(
            (e.killed - killed).abs() < 2e-3 * killed,
            "{n}: {} vs {killed}",
            e.killed
        );
        let inj = hurt - killed;
        assert!(
            (e.injured - inj).abs() < 2e-3 * inj,
            "{n}: {} vs {inj}",
            e.injured
        );
    }
}

/// The struck fraction by brute force: the mean over a fine grid of the disc of
/// 1 − ∏ (1 − p_j) (an independent check of the Gauss–Hermite sum).
fn brute_struck(a: f64, prints: &[Footprint]) -> f64 {
    let n = 1600;
    let h = 2.0 * a / n as f64;
    let (mut s, mut c) = (0.0, 0.0);
    for i in 0..n {
        for j in 0..n {
            let (x, y) = (-a + (i as f64 + 0.5) * h, -a + (j as f64 + 0.5) * h);
            if x * x + y * y <= a * a {
                let survive: f64 = prints
                    .iter()
                    .map(|&(px, py, r)| {
                        1.0 - (-((x - px).powi(2) + (y - py).powi(2)) / (r * r)).exp()
                    })
                    .product();
                s += 1.0 - survive;
                c += 1.0;
            }
        }
    }
    s / c
}

#[test]
fn overlapping_impacts_match_a_brute_force_mean() {
    // Three overlapping footprints, narrowing in time (as people take better shelter), and
    // one far off; a 400 m disc.
    let prints = [
        (0.0, 0.0, 60.0),
        (40.0, -20.0, 45.0),
        (-30.0, 25.0, 30.0),
        (300.0, 0.0, 40.0),
    ];
    let got = struck_fraction(400.0, &prints);
    let want = brute_struck(400.0, &prints);
    assert!((got - want).abs() < 3e-3 * want, "{got} vs {want}");
    // Far apart, they add.
    let apart = [(-200.0, 0.0, 20.0), (200.0, 0.0, 20.0)];
    let sum = disc_fraction(200.0, 400.0, 20.0) * 2.0;
    assert!((struck_fraction(400.0, &apart) - sum).abs() < 1e-12);
}

#[test]
fn aircraft_in_and_out_of_shelters() {
    // 10 aircraft in the open, 10 sheltered, one impact at the centre.
    let w = Warhead::scaled(450.0);
    let prot = PassiveDefense::default().protection;
    let ac = Aircraft {
        count: 20,
        sheltered: 0.5,
    };
    let e = asset_effects(200.0, None, Some(&ac), &prot, None, None, &[impact(1.0, w)]);
    let want = 10.0 * disc_fraction(0.0, 200.0, w.aircraft_radius_m)
        + 10.0 * disc_fraction(0.0, 200.0, w.aircraft_radius_m / 10f64.sqrt());
    assert!((e.aircraft_destroyed - want).abs() < 1e-9);
}

#[test]
fn dispersal_takes_the_aircraft_in_the_open_first() {
    // 30 aircraft, 9 sheltered, 90 % dispersed: 27 away, the 21 in the open first, so 3
    // remain, all sheltered.
    let ac = Aircraft {
        count: 30,
        sheltered: 0.3,
    };
    let w = Warhead::scaled(450.0);
    let prot = PassiveDefense::default().protection;
    let i = impact(1.0, w);
    let e = asset_effects(500.0, None, Some(&ac), &prot, None, Some((0.0, 0.9)), &[i]);
    assert!((e.aircraft_present - 3.0).abs() < 1e-9);
    let want = 3.0 * disc_fraction(0.0, 500.0, w.aircraft_radius_m / 10f64.sqrt());
    assert!((e.aircraft_destroyed - want).abs() < 1e-12);
}

#[test]
fn injury_protection_is_its_own_factor() {
    // Everyone in bunkers; lethal factor 1000, injury factor 2: injured (not killed) =
    // f(R_i/√2) − f(R_k/√1000) at the centre.
    let p = Personnel {
        hardened: 1.0,
        ..people()
    };
    let w = Warhead::scaled(450.0);
    let prot = Protection {
        hardened: 1000.0,
        hardened_injury: 2.0,
        ..PassiveDefense::default().protection
    };
    let e = asset_effects(500.0, Some(&p), None, &prot, None, None, &[impact(1.0, w)]);
    let fk = disc_fraction(0.0, 500.0, w.lethal_radius_m / 1000f64.sqrt());
    let fi = disc_fraction(0.0, 500.0, w.injury_radius_m / 2f64.sqrt());
    assert!((e.killed - 1000.0 * fk).abs() < 1e-9);
    assert!((e.injured - 1000.0 * (fi - fk)).abs() < 1e-9);
}
