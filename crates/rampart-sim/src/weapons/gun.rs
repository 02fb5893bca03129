//! A counter-rocket, artillery and mortar gun (Phalanx-class, notional): its firing solution,
//! the flight of its rounds, and the kill probability of a burst.
//!
//! **Rounds in flight** follow the flat-fire approximation with drag ∝ v² and a constant drag
//! coefficient (McCoy, *Modern Exterior Ballistics*, 1999, ch. 3): along the line of fire the
//! speed decays as `v(s) = v₀ e^(−ks)` with `k = ρ C_D A / 2m`, so the time to a slant range s
//! is `t(s) = (e^(ks) − 1) / (k v₀)` and the distance flown in a time t is
//! `s(t) = ln(1 + k v₀ t) / k`; gravity pulls the round ½ g t² below the line, which the gun
//! takes out by aiming that much higher (superelevation).
//!
//! **Lead.** The gun aims where the target will be when its rounds arrive: the fixed point
//! τ = t(|p(t₀ + τ) − gun|) of the target's predicted path p, found by iteration (the rounds are
//! several times faster than any target, so it contracts).
//!
//! **A burst.** `n` rounds at the rate of fire, each displaced from the aim point by an
//! independent circular normal error of σ = `dispersion` × range per axis (the ballistic
//! dispersion), about a common offset b: the fire-control error (where the target truly is
//! against where the track said it would be) plus an aim error drawn once per burst. A round
//! kills when it strikes the target's vulnerable area, taken as a circle of the same area,
//! radius r_v. The probability that one round falls within r_v of the target is the
//! non-central χ² distribution with two degrees of freedom,
//!
//! `p = Σₖ e^(−λ) λᵏ/k! · P(χ²₂₍ₖ₊₁₎ ≤ r_v²/σ²)`, λ = |b|²/2σ²,
//!
//! (the Rice distribution of the radial miss; Driels, *Weaponeering*, 2nd ed., 2013, ch. 6),
//! which is `1 − exp(−r_v²/2σ²)` with no offset. The rounds are independent given the offset,
//! so the burst kills with probability `1 − (1 − p)ⁿ`.
//!
//! **Where the misses go.** A round that misses flies on along the line of fire until its
//! tracer burns out and it self-destructs at `self_destruct` after firing; a round that meets
//! the ground first falls there. The gun counts the rounds that fall and how far away.

use crate::bmc::evaluation::ThreatClass;
use crate::physics::atmosphere::{self, G0};
use nalgebra::Vector3;
use rampart_core::Geodetic;

/// A counter-RAM gun as the scenario gives it (`[[gun]]`).
#[derive(Clone, Debug, PartialEq)]
pub struct GunParams {
    /// Unique name.
    pub name: String,
    /// Index into the scenario's radars: the gun's own search and track radar.
    pub radar: usize,
    /// Where the gun stands.
    pub position: Geodetic,
    /// Indices of the assets it defends.
    pub defends: Vec<usize>,
    /// Muzzle velocity, m/s.
    pub muzzle_velocity_mps: f64,
    /// Projectile mass, kg.
    pub round_mass_kg: f64,
    /// Calibre, m.
    pub calibre_m: f64,
    /// The rounds' drag coefficient (constant).
    pub drag_coefficient: f64,
    /// Rounds per second.
    pub rate_of_fire: f64,
    /// Rounds per burst.
    pub burst_rounds: u32,
    /// Ballistic dispersion of a round, 1σ per axis, rad.
    pub dispersion_rad: f64,
    /// Aim error common to a burst, 1σ per axis, rad.
    pub aim_error_rad: f64,
    /// Time after firing at which a round self-destructs, s.
    pub self_destruct_s: f64,
    /// Longest slant range it fires at, m.
    pub max_range_m: f64,
    /// Fastest target it fires at, m/s (its radar and mount can follow no faster).
    pub max_target_speed_mps: f64,
    /// Lowest elevation it fires at, rad.
    pub min_elevation_rad: f64,
    /// Rounds in the magazine.
    pub magazine: u32,
    /// From the decision to fire to the first round, s.
    pub reaction_s: f64,
    /// Rounds the barrels take before they must cool (the heat they hold).
    pub barrel_limit: u32,
    /// Time for hot barrels to shed `barrel_limit` rounds' heat, s.
    pub cooling_s: f64,
    /// The classes of tracks it fires at.
    pub engages: Vec<ThreatClass>,
    /// The least kill probability it expects of a burst before it fires one.
    pub min_pk: f64,
    /// The vulnerable area it assumes of a target when it decides to fire, m².
    pub planning_vulnerable_area_m2: f64,
    /// What one round costs, in the scenario's cost unit, if given.
    pub round_cost: Option<f64>,
}

impl GunParams {
    /// The flat-fire model of its rounds, in the air at its own height.
    pub fn rounds(&self) -> Rounds {
        let area = std::f64::consts::PI * self.calibre_m * self.calibre_m / 4.0;
        let rho = atmosphere::density(self.position.alt_m);
        Rounds {
            muzzle_velocity_mps: self.muzzle_velocity_mps,
            decay_per_m: rho * self.drag_coefficient * area / (2.0 * self.round_mass_kg),
        }
    }

    /// How long a burst lasts, s.
    pub fn burst_s(&self) -> f64 {
        f64::from(self.burst_rounds.saturating_sub(1)) / self.rate_of_fire
    }
}

/// The most iterations of the lead solution.
pub const MAX_LEAD_ITERATIONS: usize = 50;
/// The lead solution has converged when its time of flight moves by less than this, s.
pub const LEAD_TOLERANCE_S: f64 = 1e-8;

/// A gun's rounds: what the flat-fire model needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rounds {
    /// Muzzle velocity, m/s.
    pub muzzle_velocity_mps: f64,
    /// `k = ρ C_D A / 2m` at the gun's height, 1/m (0 in vacuum).
    pub decay_per_m: f64,
}

impl Rounds {
    /// Time to fly a slant range of `s_m`, s (`None` if the round stops first).
    pub fn time_to(&self, s_m: f64) -> Option<f64> {
        let (k, v0) = (self.decay_per_m, self.muzzle_velocity_mps);
        if k * s_m < 1e-9 {
            return Some(s_m / v0);
        }
        let t = (k * s_m).exp_m1() / (k * v0);
        t.is_finite().then_some(t)
    }

    /// Distance flown along the line of fire in `t_s`, m.
    pub fn distance_at(&self, t_s: f64) -> f64 {
        let (k, v0) = (self.decay_per_m, self.muzzle_velocity_mps);
        if k == 0.0 {
            return v0 * t_s;
        }
        (k * v0 * t_s).ln_1p() / k
    }

    /// Speed after flying `s_m`, m/s.
    pub fn speed_at(&self, s_m: f64) -> f64 {
        self.muzzle_velocity_mps * (-self.decay_per_m * s_m).exp()
    }
}

/// A firing solution.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lead {
    /// Where the target is predicted to be when the rounds arrive (ECEF), m.
    pub point: Vector3<f64>,
    /// Time of flight, s.
    pub flight_s: f64,
    /// Slant range to the point, m.
    pub range_m: f64,
}

/// The lead solution from a gun at `gun` (ECEF) firing at `t0_s` on a target whose predicted
/// position at a time (s) is `path(t)` (`None` beyond its prediction): `None` when the
/// iteration leaves the path or does not converge.
pub fn lead(
    rounds: &Rounds,
    gun: &Vector3<f64>,
    t0_s: f64,
    path: impl Fn(f64) -> Option<Vector3<f64>>,
) -> Option<Lead> {
    let mut tau = 0.0;
    for _ in 0..MAX_LEAD_ITERATIONS {
        let p = path(t0_s + tau)?;
        let range = (p - gun).norm();
        let next = rounds.time_to(range)?;
        if (next - tau).abs() < LEAD_TOLERANCE_S {
            let p = path(t0_s + next)?;
            return Some(Lead {
                point: p,
                flight_s: next,
                range_m: (p - gun).norm(),
            });
        }
        tau = next;
    }
    None
}

/// The gravity drop of a round after `t_s` of flight, m (the superelevation that cancels it).
pub fn drop_m(t_s: f64) -> f64 {
    0.5 * G0 * t_s * t_s
}

/// The probability that a round aimed with offset `offset_m` from the target's centre, with
/// circular normal dispersion σ = `sigma_m` per axis, falls within `radius_m` of it (the
/// non-central χ² with two degrees of freedom; see the module docs).
pub fn round_hit_probability(offset_m: f64, sigma_m: f64, radius_m: f64) -> f64 {
    if radius_m <= 0.0 {
        return 0.0;
    }
    if sigma_m <= 0.0 {
        return if offset_m < radius_m { 1.0 } else { 0.0 };
    }
    // Farther than ten standard deviations beyond the rim, nothing reaches it.
    if offset_m > radius_m + 10.0 * sigma_m {
        return 0.0;
    }
    let lambda = offset_m * offset_m / (2.0 * sigma_m * sigma_m);
    let half_x = radius_m * radius_m / (2.0 * sigma_m * sigma_m);
    // A circle and an offset both far larger than the spread: the series' terms underflow,
    // and the rim is locally straight, so the radial miss is normal about the offset.
    if lambda.min(half_x) > 300.0 {
        return crate::bmc::evaluation::normal_cdf((radius_m - offset_m) / sigma_m);
    }
    // P(χ²_{2m} ≤ x) = 1 − e^{−x/2} Σ_{j<m} (x/2)^j / j!, built term by term with the Poisson
    // weights e^{−λ} λ^k / k!.
    let mut weight = (-lambda).exp();
    let mut term = (-half_x).exp(); // e^{−x/2} (x/2)^j / j! for j = k
    let mut partial = 0.0; // Σ_{j<k+1} of those terms
    let mut p = 0.0;
    let mut total_weight = 0.0;
    for k in 0..2_000_u32 {
        partial += term;
        p += weight * (1.0 - partial).max(0.0);
        total_weight += weight;
        let kf = f64::from(k + 1);
        term *= half_x / kf;
        weight *= lambda / kf;
        if f64::from(k) > lambda && weight < 1e-17 && 1.0 - total_weight < 1e-15 {
            break;
        }
    }
    p.clamp(0.0, 1.0)
}

/// The kill probability of `n` independent rounds each killing with probability `p`.
pub fn burst_kill_probability(p: f64, n: u32) -> f64 {
    1.0 - (1.0 - p).powf(f64::from(n))
}

/// Where a round that misses goes: fired at `elevation_rad` above the horizontal, it meets the
/// ground (the gun's height) after flying `Some(ground range)` m, or self-destructs in the air
/// first (`None`). Flat-fire along the line of fire, gravity's drop below it.
pub fn fall(rounds: &Rounds, elevation_rad: f64, self_destruct_s: f64) -> Option<f64> {
    let height = |t: f64| rounds.distance_at(t) * elevation_rad.sin() - drop_m(t);
    if height(self_destruct_s) > 0.0 {
        return None;
    }
    // The height rises then falls; the round lands at its second zero, between the top and
    // the self-destruct time.
    let (mut lo, mut hi) = (
        (rounds.muzzle_velocity_mps * elevation_rad.sin() / G0).min(self_destruct_s),
        self_destruct_s,
    );
    if height(lo) <= 0.0 {
        lo = 0.0;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if height(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(rounds.distance_at(hi) * elevation_rad.cos())
}

#[cfg(test)]
mod tests;
