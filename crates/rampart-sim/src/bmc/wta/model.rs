//! The dense, validated view of a problem that both solvers search, and the tie-break rule.

use super::TIE_TOLERANCE;
use super::problem::{WtaProblem, miss_probability};

/// Dense, validated view of a problem shared by the solvers.
#[derive(Debug)]
pub(super) struct Model {
    /// Per threat: `V_i * s_i`.
    pub(super) weight: Vec<f64>,
    /// Per option.
    pub(super) threat: Vec<usize>,
    pub(super) unit: Vec<usize>,
    pub(super) shots: Vec<u64>,
    /// Salvo size as `f64` (`>= 1`).
    pub(super) shots_f64: Vec<f64>,
    /// `(1 - p)^k`.
    pub(super) miss: Vec<f64>,
    /// `1 - (1 - p)^k`.
    pub(super) kill: Vec<f64>,
    /// The salvo's cost, in value units.
    pub(super) cost: Vec<f64>,
    /// Option can ever add value: its kill value exceeds its cost, the
    /// salvo fits the unit's rounds, unit has a channel, cap allows >= 1.
    pub(super) useful: Vec<bool>,
    pub(super) useful_count: usize,
    /// Per unit.
    pub(super) rounds: Vec<u64>,
    pub(super) channels: Vec<u64>,
    pub(super) cap: u64,
    /// Useful options per unit / per threat, ascending index.
    pub(super) by_unit: Vec<Vec<usize>>,
    pub(super) by_threat: Vec<Vec<usize>>,
    /// Absolute tie tolerance.
    pub(super) tol: f64,
}

impl Model {
    /// `p` must be valid.
    pub(super) fn new(p: &WtaProblem) -> Self {
        let weight: Vec<f64> = p.threats.iter().map(|t| t.value * t.survival).collect();
        let cap = p
            .max_units_per_threat
            .map_or(u64::MAX, |c| u64::try_from(c).unwrap_or(u64::MAX));
        let rounds: Vec<u64> = p.units.iter().map(|u| u64::from(u.rounds)).collect();
        let channels: Vec<u64> = p.units.iter().map(|u| u64::from(u.channels)).collect();
        let n = p.options.len();
        let mut m = Self {
            threat: Vec::with_capacity(n),
            unit: Vec::with_capacity(n),
            shots: Vec::with_capacity(n),
            shots_f64: Vec::with_capacity(n),
            miss: Vec::with_capacity(n),
            kill: Vec::with_capacity(n),
            cost: Vec::with_capacity(n),
            useful: Vec::with_capacity(n),
            useful_count: 0,
            by_unit: vec![Vec::new(); p.units.len()],
            by_threat: vec![Vec::new(); p.threats.len()],
            tol: TIE_TOLERANCE * weight.iter().sum::<f64>().max(1.0),
            weight,
            rounds,
            channels,
            cap,
        };
        for (o, opt) in p.options.iter().enumerate() {
            let miss = miss_probability(opt.pk, opt.shots);
            let kill = 1.0 - miss;
            let shots = u64::from(opt.shots);
            let useful = m.weight[opt.threat] * kill > opt.cost
                && kill > 0.0
                && shots <= m.rounds[opt.unit]
                && m.channels[opt.unit] > 0
                && cap > 0;
            m.threat.push(opt.threat);
            m.unit.push(opt.unit);
            m.shots.push(shots);
            m.shots_f64.push(f64::from(opt.shots));
            m.miss.push(miss);
            m.kill.push(kill);
            m.cost.push(opt.cost);
            m.useful.push(useful);
            if useful {
                m.useful_count += 1;
                m.by_unit[opt.unit].push(o);
                m.by_threat[opt.threat].push(o);
            }
        }
        m
    }
}

/// `a` strictly better than `b` under the tie-break rule; each is
/// `(value net of cost, shots, ascending option indices)`.
pub(super) fn better(tol: f64, a: (f64, u64, &[usize]), b: (f64, u64, &[usize])) -> bool {
    if a.0 > b.0 + tol {
        return true;
    }
    if a.0 < b.0 - tol {
        return false;
    }
    a.1 < b.1 || (a.1 == b.1 && a.2 < b.2)
}
