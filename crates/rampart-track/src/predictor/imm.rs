//! The interacting multiple model (IMM) filter (Blom & Bar-Shalom 1988; BLK §11.6.6).
//!
//! K motion models (modes) share one state space of dimension N and one measurement space of
//! dimension M. The target's mode is a Markov chain with transition matrix Π,
//! Πᵢⱼ = P(mode j at k+1 | mode i at k). One cycle is
//!
//! 1. **mixing** — predicted mode probabilities c̄ⱼ = Σᵢ Πᵢⱼ μᵢ, mixing weights
//!    μᵢ|ⱼ = Πᵢⱼ μᵢ / c̄ⱼ, and for each mode j the mixed initial condition
//!    x⁰ⱼ = Σᵢ μᵢ|ⱼ xᵢ, P⁰ⱼ = Σᵢ μᵢ|ⱼ [Pᵢ + (xᵢ − x⁰ⱼ)(xᵢ − x⁰ⱼ)ᵀ];
//! 2. **mode-matched prediction** — each mixed state through its own predictor;
//! 3. **mode-matched update** — each prediction through its own updater, with the likelihood
//!    Λⱼ = N(νⱼ; 0, Sⱼ) of the measurement;
//! 4. **mode probability update** — μⱼ ∝ Λⱼ c̄ⱼ;
//!
//! and the output is the moment-matched combination x̂ = Σ μⱼ xⱼ,
//! P = Σ μⱼ [Pⱼ + (xⱼ − x̂)(xⱼ − x̂)ᵀ].
//!
//! [`Imm::predict`] does steps 1–2 and returns an [`ImmEstimate`] whose probabilities are c̄, so
//! its [`combined`](ImmEstimate::combined) is the combined prediction. A tracker gates on
//! [`Imm::predict_measurement`]'s `combined` measurement prediction (with
//! [`Imm::mahalanobis2`]), weighs associations with the mixture likelihood
//! [`Imm::log_likelihood`], then calls [`Imm::update`] (steps 3–4) with the chosen detection,
//! or keeps the prediction ([`Imm::coast`]) when none is assigned.

use nalgebra::{SMatrix, SVector};
use thiserror::Error;

use crate::predictor::Predictor;
use crate::types::{Gaussian, MeasurementPrediction, StateAt};
use crate::updater::Updater;

/// A boxed predictor for one IMM mode.
pub type BoxedPredictor<const N: usize> = Box<dyn Predictor<N> + Send + Sync>;
/// A boxed updater for one IMM mode.
pub type BoxedUpdater<const N: usize, const M: usize> = Box<dyn Updater<N, M> + Send + Sync>;

/// Tolerance on probabilities summing to one before they are renormalised.
const SUM_TOLERANCE: f64 = 1e-6;

/// What was wrong with an IMM's configuration or initial estimate.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum ImmError {
    /// An IMM needs at least one mode.
    #[error("building an IMM filter: it needs at least one mode, got none")]
    NoModes,
    /// A transition probability outside [0, 1] or not finite.
    #[error(
        "building an IMM filter: mode transition probability Π[{row}][{col}] = {value} is not in [0, 1]"
    )]
    TransitionEntry {
        /// Row (from mode).
        row: usize,
        /// Column (to mode).
        col: usize,
        /// The offending value.
        value: f64,
    },
    /// A row of the transition matrix that does not sum to one.
    #[error("building an IMM filter: row {row} of the mode transition matrix sums to {sum}, not 1")]
    TransitionRowSum {
        /// Row (from mode).
        row: usize,
        /// Its sum.
        sum: f64,
    },
    /// A mode probability outside [0, 1] or not finite.
    #[error("building an IMM estimate: mode probability μ[{index}] = {value} is not in [0, 1]")]
    Probability {
        /// Mode index.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Mode probabilities that do not sum to one.
    #[error("building an IMM estimate: mode probabilities sum to {sum}, not 1")]
    ProbabilitySum {
        /// Their sum.
        sum: f64,
    },
}

/// An IMM estimate at a time: one Gaussian per mode and the mode probabilities.
///
/// After [`Imm::update`] these are the posterior mode-conditioned estimates and μ; after
/// [`Imm::predict`] or [`Imm::coast`], the mode-matched predictions and the predicted mode
/// probabilities c̄.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImmEstimate<const N: usize, const K: usize> {
    /// Time, s.
    pub t: f64,
    /// The mode-conditioned estimates, in mode order.
    pub models: [Gaussian<N>; K],
    /// The mode probabilities μ (non-negative, summing to one).
    pub probabilities: SVector<f64, K>,
}

impl<const N: usize, const K: usize> ImmEstimate<N, K> {
    /// An estimate from per-mode Gaussians and mode probabilities, which must lie in [0, 1] and
    /// sum to one within 10⁻⁶ (they are then renormalised exactly).
    pub fn new(
        t: f64,
        models: [Gaussian<N>; K],
        probabilities: SVector<f64, K>,
    ) -> Result<Self, ImmError> {
        if K == 0 {
            return Err(ImmError::NoModes);
        }
        for (index, &value) in probabilities.iter().enumerate() {
            if !(0.0..=1.0).contains(&value) {
                return Err(ImmError::Probability { index, value });
            }
        }
        let sum = probabilities.sum();
        if (sum - 1.0).abs() > SUM_TOLERANCE {
            return Err(ImmError::ProbabilitySum { sum });
        }
        Ok(Self {
            t,
            models,
            probabilities: probabilities / sum,
        })
    }

    /// An estimate in which every mode starts from the same `state` (e.g. a new track), with
    /// mode probabilities as in [`ImmEstimate::new`].
    pub fn from_state(
        state: &StateAt<N>,
        probabilities: SVector<f64, K>,
    ) -> Result<Self, ImmError> {
        Self::new(state.t, [state.state; K], probabilities)
    }

    /// Mode `j`'s estimate with its time. Panics if `j ≥ K`.
    pub fn model(&self, j: usize) -> StateAt<N> {
        StateAt {
            t: self.t,
            state: self.models[j],
        }
    }

    /// The moment-matched combination x̂ = Σ μⱼ xⱼ, P = Σ μⱼ [Pⱼ + (xⱼ − x̂)(xⱼ − x̂)ᵀ]: the
    /// track's single Gaussian estimate (or, after a prediction, its combined prediction).
    pub fn combined(&self) -> StateAt<N> {
        StateAt {
            t: self.t,
            state: moment_match(&self.models, &self.probabilities),
        }
    }
}

/// The IMM's measurement prediction: per mode, and combined for gating.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImmMeasurementPrediction<const N: usize, const M: usize, const K: usize> {
    /// Each mode's measurement prediction from its own updater, in mode order.
    pub models: [MeasurementPrediction<N, M>; K],
    /// The moment-matched mixture under the predicted mode probabilities c̄:
    /// ẑ = Σ c̄ⱼ ẑⱼ, S = Σ c̄ⱼ [Sⱼ + dⱼ dⱼᵀ], P Hᵀ = Σ c̄ⱼ [(P Hᵀ)ⱼ + (xⱼ − x̂) dⱼᵀ] with
    /// dⱼ = residual(ẑⱼ, ẑ). Gate on this.
    pub combined: MeasurementPrediction<N, M>,
}

/// An interacting multiple model filter over `K` modes with states of dimension `N` and
/// measurements of dimension `M`.
///
/// Each mode has its own predictor (e.g. a `KalmanPredictor` over a constant-velocity model of
/// low or high process noise) and updater; the updaters must all measure the same quantity
/// (usually the same model), and mode 0's [`residual`](Updater::residual) is used for the
/// combined prediction. Dynamic dispatch costs little at this K.
pub struct Imm<const N: usize, const M: usize, const K: usize> {
    predictors: [BoxedPredictor<N>; K],
    updaters: [BoxedUpdater<N, M>; K],
    transition: SMatrix<f64, K, K>,
}

impl<const N: usize, const M: usize, const K: usize> std::fmt::Debug for Imm<N, M, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Imm")
            .field("modes", &K)
            .field("transition", &self.transition)
            .finish_non_exhaustive()
    }
}

impl<const N: usize, const M: usize, const K: usize> Imm<N, M, K> {
    /// An IMM from per-mode predictors and updaters and the mode transition matrix Π
    /// (Πᵢⱼ = P(mode j next | mode i now), for the typical sampling interval — Π does not scale
    /// with Δt). Entries must lie in [0, 1] and rows sum to one within 10⁻⁶ (they are then
    /// renormalised exactly).
    pub fn new(
        predictors: [BoxedPredictor<N>; K],
        updaters: [BoxedUpdater<N, M>; K],
        transition: SMatrix<f64, K, K>,
    ) -> Result<Self, ImmError> {
        if K == 0 {
            return Err(ImmError::NoModes);
        }
        let mut transition = transition;
        for row in 0..K {
            for col in 0..K {
                let value = transition[(row, col)];
                if !(0.0..=1.0).contains(&value) {
                    return Err(ImmError::TransitionEntry { row, col, value });
                }
            }
            let sum = transition.row(row).sum();
            if (sum - 1.0).abs() > SUM_TOLERANCE {
                return Err(ImmError::TransitionRowSum { row, sum });
            }
            transition.row_mut(row).unscale_mut(sum);
        }
        Ok(Self {
            predictors,
            updaters,
            transition,
        })
    }

    /// The mode transition matrix Π.
    pub fn transition(&self) -> &SMatrix<f64, K, K> {
        &self.transition
    }

    /// Step 1, mixing: the mixed initial condition of each mode, with the predicted mode
    /// probabilities c̄ = Πᵀμ, at the estimate's own time. A mode with c̄ⱼ = 0 is unreachable
    /// and keeps its own estimate.
    pub fn mix(&self, est: &ImmEstimate<N, K>) -> ImmEstimate<N, K> {
        let c_bar = self.transition.transpose() * est.probabilities;
        let models = std::array::from_fn(|j| {
            if c_bar[j] > 0.0 {
                let weights = SVector::<f64, K>::from_fn(|i, _| {
                    self.transition[(i, j)] * est.probabilities[i] / c_bar[j]
                });
                moment_match(&est.models, &weights)
            } else {
                est.models[j]
            }
        });
        ImmEstimate {
            t: est.t,
            models,
            probabilities: c_bar,
        }
    }

    /// `a − b` for two measurements, with angles wrapped (every mode measures the same
    /// quantities, so mode 0's model says how).
    pub fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
        self.updaters[0].residual(a, b)
    }

    /// Steps 1–2, mixing and mode-matched prediction to time `t`: each mode's prediction, with
    /// the predicted mode probabilities c̄. Its [`combined`](ImmEstimate::combined) is the
    /// track's combined prediction.
    pub fn predict(&self, est: &ImmEstimate<N, K>, t: f64) -> ImmEstimate<N, K> {
        let mixed = self.mix(est);
        let models = std::array::from_fn(|j| self.predictors[j].predict(&mixed.model(j), t).state);
        ImmEstimate {
            t,
            models,
            probabilities: mixed.probabilities,
        }
    }

    /// The estimate at time `t` when no detection is assigned: the prediction, whose mode
    /// probabilities are the predicted c̄ (no likelihood reweights them). The same as
    /// [`predict`](Imm::predict); named for what the tracker means by it.
    pub fn coast(&self, est: &ImmEstimate<N, K>, t: f64) -> ImmEstimate<N, K> {
        self.predict(est, t)
    }

    /// Each mode's measurement prediction and their moment-matched combination under the
    /// predicted probabilities (see [`ImmMeasurementPrediction::combined`]).
    pub fn predict_measurement(
        &self,
        predicted: &ImmEstimate<N, K>,
    ) -> ImmMeasurementPrediction<N, M, K> {
        let models: [MeasurementPrediction<N, M>; K] =
            std::array::from_fn(|j| self.updaters[j].predict_measurement(&predicted.model(j)));
        let mu = &predicted.probabilities;
        let res = |a: &SVector<f64, M>, b: &SVector<f64, M>| self.updaters[0].residual(a, b);
        let z0 = models[0].z;
        let z = models
            .iter()
            .zip(mu.iter())
            .fold(z0, |acc, (mp, &w)| acc + res(&mp.z, &z0) * w);
        let x = moment_match(&predicted.models, mu).mean;
        let mut s = SMatrix::<f64, M, M>::zeros();
        let mut cross = SMatrix::<f64, N, M>::zeros();
        for ((mp, g), &w) in models.iter().zip(&predicted.models).zip(mu.iter()) {
            let d = res(&mp.z, &z);
            s += (mp.s + d * d.transpose()) * w;
            cross += (mp.cross + (g.mean - x) * d.transpose()) * w;
        }
        let combined = MeasurementPrediction {
            z,
            s: (s + s.transpose()) * 0.5,
            cross,
        };
        ImmMeasurementPrediction { models, combined }
    }

    /// The squared Mahalanobis distance of `z` from the combined measurement prediction, for
    /// gating; +∞ if its S is not positive definite.
    pub fn mahalanobis2(&self, mp: &ImmMeasurementPrediction<N, M, K>, z: &SVector<f64, M>) -> f64 {
        self.updaters[0].mahalanobis2(&mp.combined, z)
    }

    /// The log-likelihood of `z` under the IMM's predicted mixture,
    /// ln Σⱼ c̄ⱼ N(z; ẑⱼ, Sⱼ) (log-sum-exp, so no underflow), for association weights; −∞ if
    /// no mode gives `z` positive density.
    pub fn log_likelihood(
        &self,
        predicted: &ImmEstimate<N, K>,
        mp: &ImmMeasurementPrediction<N, M, K>,
        z: &SVector<f64, M>,
    ) -> f64 {
        let logs = self.weighted_log_likelihoods(predicted, mp, z);
        let max = logs.max();
        if max == f64::NEG_INFINITY || max.is_nan() {
            return f64::NEG_INFINITY;
        }
        max + logs.map(|l| (l - max).exp()).sum().ln()
    }

    /// Steps 3–4: each mode's prediction updated by its own updater with `z`, and the mode
    /// probabilities μⱼ ∝ N(z; ẑⱼ, Sⱼ) c̄ⱼ. `mp` must be this filter's
    /// [`predict_measurement`](Imm::predict_measurement) of `predicted`. If no mode gives `z`
    /// positive density (every Sⱼ singular, or overflow) the probabilities stay at c̄.
    pub fn update(
        &self,
        predicted: &ImmEstimate<N, K>,
        mp: &ImmMeasurementPrediction<N, M, K>,
        z: &SVector<f64, M>,
    ) -> ImmEstimate<N, K> {
        let models = std::array::from_fn(|j| {
            self.updaters[j]
                .update(&predicted.model(j), &mp.models[j], z)
                .state
        });
        let logs = self.weighted_log_likelihoods(predicted, mp, z);
        let max = logs.max();
        let probabilities = if max.is_finite() {
            let w = logs.map(|l| (l - max).exp());
            w / w.sum()
        } else {
            predicted.probabilities
        };
        ImmEstimate {
            t: predicted.t,
            models,
            probabilities,
        }
    }

    /// ln c̄ⱼ + ln N(z; ẑⱼ, Sⱼ) per mode.
    fn weighted_log_likelihoods(
        &self,
        predicted: &ImmEstimate<N, K>,
        mp: &ImmMeasurementPrediction<N, M, K>,
        z: &SVector<f64, M>,
    ) -> SVector<f64, K> {
        SVector::from_fn(|j, _| {
            let c = predicted.probabilities[j];
            if c > 0.0 {
                c.ln() + self.updaters[j].log_likelihood(&mp.models[j], z)
            } else {
                f64::NEG_INFINITY
            }
        })
    }
}

/// Σ wⱼ N(xⱼ, Pⱼ) moment-matched to one Gaussian; the weights are taken as given (they sum
/// to one wherever this is used).
fn moment_match<const N: usize, const K: usize>(
    models: &[Gaussian<N>; K],
    weights: &SVector<f64, K>,
) -> Gaussian<N> {
    let mean = models
        .iter()
        .zip(weights.iter())
        .fold(SVector::<f64, N>::zeros(), |acc, (g, &w)| acc + g.mean * w);
    let cov =
        models
            .iter()
            .zip(weights.iter())
            .fold(SMatrix::<f64, N, N>::zeros(), |acc, (g, &w)| {
                let d = g.mean - mean;
                acc + (g.cov + d * d.transpose()) * w
            });
    Gaussian::new(mean, cov).symmetrised()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predictor::KalmanPredictor;
    use crate::predictor::test_models::{CwnaCv1, Position1, sample};
    use crate::updater::KalmanUpdater;
    use nalgebra::{Matrix2, Vector2};
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    const T: f64 = 1.0;

    fn imm(q_low: f64, q_high: f64, p_stay: f64) -> Imm<2, 1, 2> {
        let sigma = 5.0;
        Imm::new(
            [
                Box::new(KalmanPredictor::new(CwnaCv1 { q: q_low })),
                Box::new(KalmanPredictor::new(CwnaCv1 { q: q_high })),
            ],
            [
                Box::new(KalmanUpdater::new(Position1 { sigma })),
                Box::new(KalmanUpdater::new(Position1 { sigma })),
            ],
            Matrix2::new(p_stay, 1.0 - p_stay, 1.0 - p_stay, p_stay),
        )
        .expect("valid IMM")
    }

    fn initial() -> StateAt<2> {
        StateAt {
            t: 0.0,
            state: Gaussian::new(Vector2::new(0.0, 10.0), Matrix2::new(25.0, 0.0, 0.0, 100.0)),
        }
    }

    /// A 1-D target at 10 m/s that accelerates at `accel` m/s² during scans 40–59.
    fn truth(k: usize, accel: f64) -> f64 {
        let t = k as f64 * T;
        let base = 10.0 * t;
        let (t0, t1) = (40.0, 60.0);
        if t <= t0 {
            base
        } else if t <= t1 {
            base + 0.5 * accel * (t - t0).powi(2)
        } else {
            base + 0.5 * accel * (t1 - t0).powi(2) + accel * (t1 - t0) * (t - t1)
        }
    }

    #[test]
    fn high_noise_mode_takes_over_during_a_manoeuvre() {
        // Blom & Bar-Shalom (1988); BLK §11.6.6 (two-model CV IMM): averaged over Monte
        // Carlo runs, the mode probability of the high-process-noise model rises while the target
        // manoeuvres and falls back after it.
        const RUNS: usize = 20;
        const SCANS: usize = 100;
        let f = imm(0.01, 50.0, 0.95);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut mu_high = [0.0; SCANS];
        let mut gated = 0;
        for _ in 0..RUNS {
            let mut est =
                ImmEstimate::from_state(&initial(), Vector2::new(0.5, 0.5)).expect("valid");
            for (k, mu) in (1..=SCANS).zip(mu_high.iter_mut()) {
                let predicted = f.predict(&est, k as f64 * T);
                let mp = f.predict_measurement(&predicted);
                let z = sample(
                    &mut rng,
                    &SVector::<f64, 1>::new(truth(k, 8.0)),
                    &SMatrix::<f64, 1, 1>::new(25.0),
                );
                // A tracker gates on the combined prediction: the true detection should pass a
                // 99.9 % χ²(1) gate (10.83) almost always, manoeuvre included.
                gated += usize::from(f.mahalanobis2(&mp, &z) < 10.83);
                assert!(f.log_likelihood(&predicted, &mp, &z).is_finite());
                est = f.update(&predicted, &mp, &z);
                assert!((est.probabilities.sum() - 1.0).abs() < 1e-12, "μ sums to 1");
                assert!(est.probabilities.iter().all(|&p| (0.0..=1.0).contains(&p)));
                *mu += est.probabilities[1] / RUNS as f64;
            }
        }
        let mean = |a: usize, b: usize| mu_high[a - 1..b].iter().sum::<f64>() / (b - a + 1) as f64;
        let (before, during, after) = (mean(20, 40), mean(43, 60), mean(80, 100));
        assert!(before < 0.2, "quiescent μ_high = {before}");
        assert!(during > 0.7, "manoeuvring μ_high = {during}");
        assert!(after < 0.3, "settled μ_high = {after}");
        assert!(
            gated as f64 > 0.99 * (RUNS * SCANS) as f64,
            "{gated} of {} gated",
            RUNS * SCANS
        );
    }

    #[test]
    fn identical_modes_reduce_to_one_kalman_filter() {
        // With every mode the same, mixing leaves each estimate unchanged and all likelihoods are
        // equal, so the IMM is exactly the single Kalman filter (BLK §11.6.6, by inspection).
        let f = imm(1.0, 1.0, 0.9);
        let kp = KalmanPredictor::new(CwnaCv1 { q: 1.0 });
        let ku = KalmanUpdater::new(Position1 { sigma: 5.0 });
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut est = ImmEstimate::from_state(&initial(), Vector2::new(0.3, 0.7)).expect("valid");
        let mut kf = initial();
        let mut mu = Vector2::new(0.3, 0.7);
        for k in 1..=50 {
            let t = k as f64 * T;
            let z = sample(
                &mut rng,
                &SVector::<f64, 1>::new(truth(k, 3.0)),
                &SMatrix::<f64, 1, 1>::new(25.0),
            );
            let predicted = f.predict(&est, t);
            let mp = f.predict_measurement(&predicted);
            let kf_pred = kp.predict(&kf, t);
            let kf_mp = ku.predict_measurement(&kf_pred);
            assert!((mp.combined.z - kf_mp.z).norm() < 1e-9);
            assert!((mp.combined.s - kf_mp.s).norm() < 1e-9);
            est = f.update(&predicted, &mp, &z);
            kf = ku.update(&kf_pred, &kf_mp, &z);
            let c = est.combined();
            assert!((c.state.mean - kf.state.mean).norm() < 1e-9, "scan {k}");
            assert!((c.state.cov - kf.state.cov).norm() < 1e-9, "scan {k}");
            // Equal likelihoods: μ follows the Markov chain alone.
            mu = f.transition().transpose() * mu;
            assert!((est.probabilities - mu).norm() < 1e-12, "scan {k}");
        }
        let _ = f.coast(&est, 60.0);
    }

    #[test]
    fn coasting_moves_probabilities_to_the_chain_prediction() {
        // With no measurement μ evolves as the Markov chain alone: μ ← Πᵀ μ.
        let f = imm(0.01, 50.0, 0.9);
        let est = ImmEstimate::from_state(&initial(), Vector2::new(1.0, 0.0)).expect("valid");
        let c = f.coast(&est, 1.0);
        assert!((c.probabilities - Vector2::new(0.9, 0.1)).norm() < 1e-15);
        assert_eq!(c.t, 1.0);
    }

    #[test]
    fn invalid_configuration_is_an_error() {
        let mk = |m: Matrix2<f64>| {
            Imm::<2, 1, 2>::new(
                [
                    Box::new(KalmanPredictor::new(CwnaCv1 { q: 1.0 })),
                    Box::new(KalmanPredictor::new(CwnaCv1 { q: 1.0 })),
                ],
                [
                    Box::new(KalmanUpdater::new(Position1 { sigma: 1.0 })),
                    Box::new(KalmanUpdater::new(Position1 { sigma: 1.0 })),
                ],
                m,
            )
            .map(|_| ())
        };
        assert!(matches!(
            mk(Matrix2::new(0.9, 0.2, 0.1, 0.9)),
            Err(ImmError::TransitionRowSum { row: 0, .. })
        ));
        assert!(matches!(
            mk(Matrix2::new(1.1, -0.1, 0.1, 0.9)),
            Err(ImmError::TransitionEntry { row: 0, col: 0, .. })
        ));
        assert!(mk(Matrix2::new(0.9, 0.1, 0.1, 0.9)).is_ok());
        assert!(matches!(
            ImmEstimate::from_state(&initial(), Vector2::new(0.5, 0.6)),
            Err(ImmError::ProbabilitySum { .. })
        ));
        assert!(matches!(
            ImmEstimate::from_state(&initial(), Vector2::new(f64::NAN, 1.0)),
            Err(ImmError::Probability { index: 0, .. })
        ));
    }

    #[test]
    fn impossible_measurement_keeps_predicted_probabilities() {
        // Singular S in every mode: no likelihood, so μ stays at c̄ and the states unchanged.
        let degenerate =
            |q: f64| -> BoxedPredictor<2> { Box::new(KalmanPredictor::new(CwnaCv1 { q })) };
        let f = Imm::<2, 1, 2>::new(
            [degenerate(0.0), degenerate(0.0)],
            [
                Box::new(KalmanUpdater::new(Position1 { sigma: 0.0 })),
                Box::new(KalmanUpdater::new(Position1 { sigma: 0.0 })),
            ],
            Matrix2::new(0.9, 0.1, 0.1, 0.9),
        )
        .expect("valid");
        let start = StateAt {
            t: 0.0,
            state: Gaussian::new(Vector2::new(0.0, 1.0), Matrix2::zeros()),
        };
        let est = ImmEstimate::from_state(&start, Vector2::new(0.5, 0.5)).expect("valid");
        let predicted = f.predict(&est, 1.0);
        let mp = f.predict_measurement(&predicted);
        let z = SVector::<f64, 1>::new(3.0);
        assert_eq!(f.mahalanobis2(&mp, &z), f64::INFINITY);
        assert_eq!(f.log_likelihood(&predicted, &mp, &z), f64::NEG_INFINITY);
        let post = f.update(&predicted, &mp, &z);
        assert_eq!(post.probabilities, predicted.probabilities);
        assert_eq!(post.models, predicted.models);
    }
}
