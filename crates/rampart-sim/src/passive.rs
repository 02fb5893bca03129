//! Passive defense: warning, shelter, evacuation and dispersal, and the expected effect of the
//! impacts on the people and aircraft at an asset. A coarse, notional model for comparing
//! defenses (docs/models.md, "Warning and passive defense"), not a casualty prediction for any
//! real place.
//!
//! **Where people and aircraft are.** An asset's people are spread uniformly over a disc
//! around its centre (`personnel.radius`, the asset's radius by default), its aircraft over the
//! asset's disc, whatever their protection. When the alarm sounds a fraction of the people is
//! in hardened bunkers, a fraction in light shelters, the rest in the open; everyone not in a
//! bunker then makes for one, taking a time drawn from a lognormal distribution (median `m`,
//! spread σ of its logarithm), so the fraction of them arrived `τ` after the alarm is the
//! lognormal CDF `Φ((ln τ − ln m)/σ)`. They take the spare bunker places in the order they
//! arrive; once the bunkers are full, those from the open take the spare light-shelter places
//! and those from light shelters stay there, and whoever finds no place stays in the open.
//! Until they arrive they are where they were. A strategic warning, hours before the raid,
//! first takes away a fraction of the people (evacuation) and of the aircraft (dispersal); the
//! rest shelter from that warning on. Aircraft do not move on a tactical warning.
//!
//! **Damage.** An impact kills a person in the open at distance `r` with probability
//! `exp(−r²/R²)` (the Carleton damage function, whose integral over the plane, the lethal
//! area, is πR²; Driels, *Weaponeering*, 2nd ed., AIAA 2013, ch. 6), and kills or injures with
//! the same function of a larger radius. A shelter divides the lethal area by its protection
//! factor `k` (radius `R/√k`), and the injury area by its injury protection factor (blast
//! reaches into shelters that stop fragments, so that factor may be smaller). The expected fraction of a population spread uniformly over a
//! disc of radius `A` whose centre is `d` from the impact is, over rings of radius ρ around the
//! centre,
//!
//! ```text
//! f(d, A, R) = (2/A²) ∫₀^A ρ · exp(−(ρ² + d²)/R²) · I₀(2ρd/R²) dρ
//! ```
//!
//! (the angular mean of the Carleton function on a ring is `exp(−(ρ²+d²)/R²)·I₀(2ρd/R²)`),
//! which at the centre is `(R²/A²)(1 − exp(−A²/R²))`. Impacts act independently on each
//! person at their fixed place: a person at `x` survives them all with ∏ⱼ (1 − pⱼ(x)), and
//! the population's expected share struck is the disc mean of 1 − ∏ⱼ (1 − pⱼ), which
//! [`struck_fraction`] takes as Σⱼ fⱼ · (the mean of ∏_{k<j} (1 − p_k) under pⱼ). Where
//! footprints overlap this is less than the sum of the fⱼ: n impacts at one point strike
//! πR²·Hₙ of the plane (Hₙ the harmonic number), not n·πR².

use serde::{Deserialize, Serialize};

/// The people at an asset.
#[derive(Clone, Debug, PartialEq)]
pub struct Personnel {
    /// How many.
    pub count: u32,
    /// The radius of the disc around the asset's centre they are spread over, m.
    pub radius_m: f64,
    /// The fraction in light shelters at the alarm.
    pub light: f64,
    /// The fraction in hardened bunkers at the alarm.
    pub hardened: f64,
    /// Places in light shelters (those in them at the alarm included).
    pub light_places: u32,
    /// Places in hardened bunkers (those in them at the alarm included).
    pub hardened_places: u32,
    /// Median time from the alarm for a person in the open to reach shelter, s.
    pub shelter_median_s: f64,
    /// Standard deviation of the logarithm of that time.
    pub shelter_sigma: f64,
}

/// The aircraft at an asset.
#[derive(Clone, Debug, PartialEq)]
pub struct Aircraft {
    /// How many.
    pub count: u32,
    /// The fraction in hardened aircraft shelters.
    pub sheltered: f64,
}

/// The protection factors: a shelter divides the lethal area (and, by its injury factor, the
/// injury area) by its factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Protection {
    /// Light shelters (buildings, sandbagged bunkers).
    pub light: f64,
    /// Hardened bunkers.
    pub hardened: f64,
    /// Light shelters, against injury.
    pub light_injury: f64,
    /// Hardened bunkers, against injury.
    pub hardened_injury: f64,
    /// Hardened aircraft shelters.
    pub aircraft_shelter: f64,
}

/// A warhead's notional damage radii (Carleton radii: the lethal area is π R²).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Warhead {
    /// Explosive mass (TNT equivalent), kg.
    pub mass_kg: f64,
    /// Killing people in the open, m.
    pub lethal_radius_m: f64,
    /// Killing or injuring people in the open, m.
    pub injury_radius_m: f64,
    /// Destroying an aircraft in the open, m.
    pub aircraft_radius_m: f64,
}

/// Notional scaled radii, m/kg^⅓: each radius is this times the cube root of the explosive
/// mass (Hopkinson–Cranz scaling: equal effects at equal `R/W^⅓`; Kinney & Graham, *Explosive
/// Shocks in Air*, 2nd ed., Springer 1985, ch. 5). Killing people in the open (blast and
/// fragments), killing or injuring them, and destroying an aircraft in the open. Notional,
/// chosen for a cased high-explosive warhead; not a weapon's data.
pub const SCALED_LETHAL_RADIUS: f64 = 6.0;
/// See [`SCALED_LETHAL_RADIUS`].
pub const SCALED_INJURY_RADIUS: f64 = 18.0;
/// See [`SCALED_LETHAL_RADIUS`].
pub const SCALED_AIRCRAFT_RADIUS: f64 = 5.0;

impl Warhead {
    /// The notional radii of a warhead of `mass_kg` (see [`SCALED_LETHAL_RADIUS`]).
    pub fn scaled(mass_kg: f64) -> Self {
        let w = mass_kg.max(0.0).cbrt();
        Self {
            mass_kg,
            lethal_radius_m: SCALED_LETHAL_RADIUS * w,
            injury_radius_m: SCALED_INJURY_RADIUS * w,
            aircraft_radius_m: SCALED_AIRCRAFT_RADIUS * w,
        }
    }
}

/// How the defense warns (`[passive_defense] warning`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WarningMode {
    /// No alarm sounds.
    None,
    /// Alarms from radar tracks and launch cues, minutes before impact.
    #[default]
    Tactical,
    /// A strategic warning hours before the raid (evacuation, dispersal, shelter), and the
    /// tactical alarms.
    Strategic,
}

impl WarningMode {
    /// Every mode, as the scenario file writes it.
    pub const WORDS: [&'static str; 3] = ["none", "tactical", "strategic"];

    /// The mode a word names.
    pub fn from_word(w: &str) -> Option<Self> {
        match w {
            "none" => Some(Self::None),
            "tactical" => Some(Self::Tactical),
            "strategic" => Some(Self::Strategic),
            _ => None,
        }
    }

    /// The word for the mode.
    pub fn word(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Tactical => "tactical",
            Self::Strategic => "strategic",
        }
    }
}

/// `[passive_defense]`: the warning, the strategic warning's evacuation and dispersal, and the
/// shelters' protection.
#[derive(Clone, Debug, PartialEq)]
pub struct PassiveDefense {
    /// How the defense warns.
    pub warning: WarningMode,
    /// How long before the epoch the strategic warning is given, s.
    pub strategic_lead_s: f64,
    /// The fraction of each asset's people moved away on a strategic warning.
    pub evacuate: f64,
    /// The fraction of each asset's aircraft flown away on a strategic warning.
    pub disperse: f64,
    /// The shelters' protection factors.
    pub protection: Protection,
}

/// Default protection factor of a light shelter (notional).
pub const DEFAULT_LIGHT_PROTECTION: f64 = 3.0;
/// Default protection factor of a hardened bunker (notional).
pub const DEFAULT_HARDENED_PROTECTION: f64 = 30.0;
/// Default protection factor of a hardened aircraft shelter (notional).
pub const DEFAULT_AIRCRAFT_SHELTER_PROTECTION: f64 = 10.0;
/// Default lead of a strategic warning, s (notional).
pub const DEFAULT_STRATEGIC_LEAD_S: f64 = 7_200.0;
/// Default median time to shelter, s (notional).
pub const DEFAULT_SHELTER_MEDIAN_S: f64 = 60.0;
/// Default spread (σ of the logarithm) of the time to shelter (notional).
pub const DEFAULT_SHELTER_SIGMA: f64 = 0.5;

impl Default for PassiveDefense {
    fn default() -> Self {
        Self {
            warning: WarningMode::Tactical,
            strategic_lead_s: DEFAULT_STRATEGIC_LEAD_S,
            evacuate: 0.0,
            disperse: 0.0,
            protection: Protection {
                light: DEFAULT_LIGHT_PROTECTION,
                hardened: DEFAULT_HARDENED_PROTECTION,
                light_injury: DEFAULT_LIGHT_PROTECTION,
                hardened_injury: DEFAULT_HARDENED_PROTECTION,
                aircraft_shelter: DEFAULT_AIRCRAFT_SHELTER_PROTECTION,
            },
        }
    }
}

/// The expected effect of a run's impacts on one asset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Effects {
    /// People present at the raid (after any evacuation).
    pub personnel_present: f64,
    /// Aircraft present at the raid (after any dispersal).
    pub aircraft_present: f64,
    /// Expected people killed.
    pub killed: f64,
    /// Expected people injured (and not killed).
    pub injured: f64,
    /// Expected aircraft destroyed.
    pub aircraft_destroyed: f64,
}

impl Effects {
    /// The sum of two assets' effects.
    pub fn plus(self, o: Effects) -> Effects {
        Effects {
            personnel_present: self.personnel_present + o.personnel_present,
            aircraft_present: self.aircraft_present + o.aircraft_present,
            killed: self.killed + o.killed,
            injured: self.injured + o.injured,
            aircraft_destroyed: self.aircraft_destroyed + o.aircraft_destroyed,
        }
    }
}

/// An impact as an asset sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Impact {
    /// When, s since the epoch.
    pub t: f64,
    /// Where, east of the asset's centre, m (on its local horizontal plane).
    pub east_m: f64,
    /// Where, north of the asset's centre, m.
    pub north_m: f64,
    /// Its warhead.
    pub warhead: Warhead,
}

impl Impact {
    /// Its ground distance from the asset's centre, m.
    pub fn distance_m(&self) -> f64 {
        self.east_m.hypot(self.north_m)
    }
}

/// The standard normal CDF.
fn phi(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// The lognormal CDF of median `median` and log spread `sigma` at `t` (0 for `t ≤ 0`; a step
/// at the median when `sigma` is 0).
pub fn lognormal_cdf(t: f64, median: f64, sigma: f64) -> f64 {
    if t <= 0.0 {
        0.0
    } else if sigma <= 0.0 {
        if t >= median { 1.0 } else { 0.0 }
    } else {
        phi((t.ln() - median.ln()) / sigma)
    }
}

/// `e^{−x}·I₀(x)` for `x ≥ 0`, the exponentially scaled modified Bessel function of order 0:
/// Abramowitz & Stegun 9.8.1 (|ε| < 1.6e-7 on I₀, itself ≥ 1) below 3.75 and 9.8.2
/// (|ε| < 1.9e-7 on x^½e^{−x}I₀) above. Hand-written: a polynomial, no crate needed.
fn i0_scaled(x: f64) -> f64 {
    if x < 3.75 {
        let t = (x / 3.75).powi(2);
        let i0 = 1.0
            + t * (3.515_622_9
                + t * (3.089_942_4
                    + t * (1.206_749_2 + t * (0.265_973_2 + t * (0.036_076_8 + t * 0.004_581_3)))));
        i0 * (-x).exp()
    } else {
        let u = 3.75 / x;
        let p = 0.398_942_28
            + u * (0.013_285_92
                + u * (0.002_253_19
                    + u * (-0.001_575_65
                        + u * (0.009_162_81
                            + u * (-0.020_577_06
                                + u * (0.026_355_37 + u * (-0.016_476_33 + u * 0.003_923_77)))))));
        p / x.sqrt()
    }
}

/// Intervals of the composite Simpson rule over the part of the disc the damage reaches.
const SIMPSON_INTERVALS: usize = 256;
/// The damage function is taken as nil beyond this many radii (e^{−64} ≈ 1.6e-28).
const REACH_RADII: f64 = 8.0;

/// The expected fraction of a population spread uniformly over a disc of radius `a` whose
/// centre is `d` from an impact, killed by a Carleton damage function of radius `r` (see the
/// module docs): Simpson's rule over the rings the function reaches.
pub fn disc_fraction(d: f64, a: f64, r: f64) -> f64 {
    if r <= 0.0 || a <= 0.0 {
        return 0.0;
    }
    let (lo, hi) = ((d - REACH_RADII * r).max(0.0), (d + REACH_RADII * r).min(a));
    if hi <= lo {
        return 0.0;
    }
    let r2 = r * r;
    let g = |rho: f64| {
        let x = 2.0 * rho * d / r2;
        rho * (-(rho - d).powi(2) / r2).exp() * i0_scaled(x)
    };
    let n = SIMPSON_INTERVALS;
    let h = (hi - lo) / n as f64;
    let mut s = g(lo) + g(hi);
    for i in 1..n {
        s += g(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    (2.0 / (a * a) * s * h / 3.0).clamp(0.0, 1.0)
}

/// Where a group of people is at an impact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Place {
    Open,
    Light,
    Hardened,
}

/// Of `n_open` people in the open and `n_light` in light shelters at an alarm `tau` s
/// earlier, with `spare_light` and `spare_hardened` places: the expected number who have
/// reached a bunker, and the expected number of those from the open who have reached a light
/// shelter (the bunkers being full).
pub fn moved(
    p: &Personnel,
    n_open: f64,
    n_light: f64,
    spare_light: f64,
    spare_hardened: f64,
    tau: f64,
) -> (f64, f64) {
    let g = lognormal_cdf(tau, p.shelter_median_s, p.shelter_sigma);
    let hardened = ((n_open + n_light) * g).min(spare_hardened);
    // Arrivals interleave in proportion: those from the open are their share of each.
    let share = if n_open + n_light > 0.0 {
        n_open / (n_open + n_light)
    } else {
        0.0
    };
    let light = (n_open * g - share * hardened).min(spare_light).max(0.0);
    (hardened, light)
}

/// The order of the Gauss–Hermite rule on each axis of [`struck_fraction`]'s means.
const GAUSS_HERMITE_ORDER: usize = 12;

/// The Gauss–Hermite nodes and weights (weight e^{−u²}) of [`GAUSS_HERMITE_ORDER`], by the
/// Golub–Welsch method: the nodes are the eigenvalues of the symmetric tridiagonal Jacobi
/// matrix with off-diagonal √(k/2), the weights √π times the squared first components of its
/// unit eigenvectors (Golub & Welsch, Math. Comp. 23, 1969).
fn gauss_hermite() -> &'static [(f64, f64)] {
    static RULE: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    RULE.get_or_init(|| {
        let n = GAUSS_HERMITE_ORDER;
        let j = nalgebra::DMatrix::from_fn(n, n, |r, c| {
            if r.abs_diff(c) == 1 {
                (r.max(c) as f64 / 2.0).sqrt()
            } else {
                0.0
            }
        });
        let eig = nalgebra::SymmetricEigen::new(j);
        let mut rule: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let v0 = eig.eigenvectors[(0, i)];
                (eig.eigenvalues[i], std::f64::consts::PI.sqrt() * v0 * v0)
            })
            .collect();
        rule.sort_by(|a, b| a.0.total_cmp(&b.0));
        rule
    })
}

/// A damage function on the asset's plane: centre (east, north) and Carleton radius, m.
type Footprint = (f64, f64, f64);

/// The expected fraction of a population spread uniformly over the disc of radius `a` about
/// the origin that is struck by at least one of `footprints` (in time order), each person at
/// its fixed place struck by each independently with its damage function p_j. It is
/// Σ_j ∫ p_j ∏_{k<j} (1 − p_k) over the disc (struck first by j), taken as j's disc fraction
/// f(d_j, a, R_j) times the mean of ∏_{k<j} (1 − p_k) under p_j: a 12 × 12 Gauss–Hermite rule
/// about j's centre, over the earlier footprints that reach it (exact for j's footprint inside
/// the disc; for one across its edge the mean is over the whole footprint). The earlier
/// footprints are no narrower than the later in this model (people only move to better
/// shelter), so that mean is of a function smooth on j's scale.
fn struck_fraction(a: f64, footprints: &[Footprint]) -> f64 {
    let rule = gauss_hermite();
    let mut total = 0.0;
    for (j, &(x, y, r)) in footprints.iter().enumerate() {
        let f = disc_fraction(x.hypot(y), a, r);
        if f == 0.0 {
            continue;
        }
        let near: Vec<Footprint> = footprints[..j]
            .iter()
            .copied()
            .filter(|&(xk, yk, rk)| (xk - x).hypot(yk - y) < REACH_RADII * (r + rk) && rk > 0.0)
            .collect();
        let mean = if near.is_empty() {
            1.0
        } else {
            let mut sum = 0.0;
            for &(u, wu) in rule {
                for &(v, wv) in rule {
                    let (px, py) = (x + r * u, y + r * v);
                    let q: f64 = near
                        .iter()
                        .map(|&(xk, yk, rk)| {
                            let d2 = (px - xk).powi(2) + (py - yk).powi(2);
                            1.0 - (-d2 / (rk * rk)).exp()
                        })
                        .product();
                    sum += wu * wv * q;
                }
            }
            sum / std::f64::consts::PI
        };
        total += f * mean;
    }
    total.clamp(0.0, 1.0)
}

/// The expected effect of `impacts` on the people and aircraft of an asset of radius
/// `radius_m`, alarmed at `alarm_t` (s since the epoch; `None` if no alarm sounded), with a
/// strategic warning's evacuation and dispersal fractions `removed` when one was given.
pub fn asset_effects(
    radius_m: f64,
    people: Option<&Personnel>,
    aircraft: Option<&Aircraft>,
    protection: &Protection,
    alarm_t: Option<f64>,
    removed: Option<(f64, f64)>,
    impacts: &[Impact],
) -> Effects {
    let (evacuate, disperse) = removed.unwrap_or((0.0, 0.0));
    let mut impacts: Vec<Impact> = impacts.to_vec();
    impacts.sort_by(|a, b| a.t.total_cmp(&b.t));
    let mut out = Effects::default();
    if let Some(p) = people {
        let n = f64::from(p.count) * (1.0 - evacuate);
        out.personnel_present = n;
        let (killed, injured) = people_effects(p, n, protection, alarm_t, &impacts);
        out.killed = killed;
        out.injured = injured;
    }
    if let Some(ac) = aircraft {
        // Dispersal flies away those in the open first, then those in shelters.
        let n = f64::from(ac.count);
        let away = n * disperse;
        let open = (n * (1.0 - ac.sheltered) - away).max(0.0);
        let sheltered = (n * ac.sheltered - (away - n * (1.0 - ac.sheltered)).max(0.0)).max(0.0);
        out.aircraft_present = open + sheltered;
        for (count, k) in [(open, 1.0), (sheltered, protection.aircraft_shelter)] {
            if count > 0.0 {
                let prints: Vec<Footprint> = impacts
                    .iter()
                    .map(|i| (i.east_m, i.north_m, i.warhead.aircraft_radius_m / k.sqrt()))
                    .collect();
                out.aircraft_destroyed += count * struck_fraction(radius_m, &prints);
            }
        }
    }
    out
}

/// Expected (killed, injured) of `n` people (see [`asset_effects`]).
fn people_effects(
    p: &Personnel,
    n: f64,
    protection: &Protection,
    alarm_t: Option<f64>,
    impacts: &[Impact],
) -> (f64, f64) {
    if n <= 0.0 || impacts.is_empty() {
        return (0.0, 0.0);
    }
    // A person's chances at each place: killed, with radius R/√k; killed or injured, with
    // R_i/√k' (never narrower than the killing one).
    let radii = |i: &Impact, pl: Place| {
        let (k, k_injury) = match pl {
            Place::Open => (1.0, 1.0),
            Place::Light => (protection.light, protection.light_injury),
            Place::Hardened => (protection.hardened, protection.hardened_injury),
        };
        let kill = i.warhead.lethal_radius_m / k.sqrt();
        (
            kill,
            (i.warhead.injury_radius_m / k_injury.sqrt()).max(kill),
        )
    };
    // The shares killed, and killed or injured, of a group at `places[j]` at impact j: alive
    // at the end is surviving every killing chance, unhurt every injuring one. Groups with the
    // same places share them.
    let mut memo: std::collections::HashMap<Vec<Place>, (f64, f64)> = Default::default();
    let mut shares = |places: Vec<Place>| -> (f64, f64) {
        *memo.entry(places).or_insert_with_key(|places| {
            let (kill, hurt): (Vec<Footprint>, Vec<Footprint>) = impacts
                .iter()
                .zip(places)
                .map(|(i, &pl)| {
                    let (rk, ri) = radii(i, pl);
                    ((i.east_m, i.north_m, rk), (i.east_m, i.north_m, ri))
                })
                .unzip();
            let killed = struck_fraction(p.radius_m, &kill);
            let hurt = struck_fraction(p.radius_m, &hurt).max(killed);
            (killed, hurt - killed)
        })
    };
    let (mut killed, mut injured) = (0.0, 0.0);
    // A group of fewer than this many people is left out: its share of the expected losses is
    // below it (a strategic warning hours ahead leaves slivers of 1e-11 people still on their
    // way at each impact, each its own group).
    const FEWEST: f64 = 1e-9;
    let mut add = |count: f64, places: Vec<Place>| {
        if count >= FEWEST {
            let (k, i) = shares(places);
            killed += count * k;
            injured += count * i;
        }
    };
    let m = impacts.len();
    let n_hard = n * p.hardened;
    let n_light = n * p.light;
    let n_open = (n - n_hard - n_light).max(0.0);
    add(n_hard, vec![Place::Hardened; m]);
    // Those not in a bunker, by their arrival quantile u in [0, 1] (arrived by impact j when
    // u ≤ G(t_j)): a bunker for u ≤ c_h (the arrivals of both groups fill the spare places in
    // proportion); after that, for those from the open, a light shelter for u ≤ c_l, the open
    // beyond; those from light shelters stay there.
    let spare_h = (f64::from(p.hardened_places) - n_hard).max(0.0);
    let spare_l = (f64::from(p.light_places) - n_light).max(0.0);
    let movers = n_open + n_light;
    let c_h = if movers > 0.0 {
        (spare_h / movers).min(1.0)
    } else {
        0.0
    };
    let c_l = if n_open > 0.0 {
        (c_h + spare_l / n_open).min(1.0)
    } else {
        c_h
    };
    let g: Vec<f64> = impacts
        .iter()
        .map(|i| match alarm_t {
            Some(a) => lognormal_cdf(i.t - a, p.shelter_median_s, p.shelter_sigma),
            None => 0.0,
        })
        .collect();
    let mut cuts: Vec<f64> = vec![0.0, 1.0, c_h, c_l];
    cuts.extend(g.iter().copied());
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    for w in cuts.windows(2) {
        let (u0, u1) = (w[0], w[1]);
        let mid = 0.5 * (u0 + u1);
        for (count, from) in [(n_open, Place::Open), (n_light, Place::Light)] {
            let dest = if mid <= c_h {
                Place::Hardened
            } else if from == Place::Open && mid <= c_l {
                Place::Light
            } else {
                from
            };
            let places = g
                .iter()
                .map(|&gj| if mid <= gj { dest } else { from })
                .collect();
            add(count * (u1 - u0), places);
        }
    }
    (killed, injured)
}

#[cfg(test)]
mod tests;
