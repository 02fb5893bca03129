//! The Kalman and extended Kalman updater, Joseph form (BLK §5.2.3, §10.3).

use nalgebra::{SMatrix, SVector};

use crate::models::measurement::MeasurementModel;
use crate::predictor::sigma_points::repair_covariance;
use crate::types::{Gaussian, MeasurementPrediction, StateAt};
use crate::updater::{Updater, kalman_gain};

/// Kalman update through a measurement model, with H = ∂h/∂x at the predicted mean:
/// ẑ = h(x), S = H P Hᵀ + R, K = P Hᵀ S⁻¹ (Cholesky solve), x⁺ = x + K ν with ν the model's
/// wrapped residual, and the Joseph form
///
/// P⁺ = (I − K H) P (I − K H)ᵀ + K R Kᵀ
///
/// (Bucy & Joseph 1968; BLK §5.2.3), which stays positive semi-definite whatever round-off does
/// to K, then symmetrised — and, should round-off still leave it indefinite, repaired
/// ([`repair_covariance`]). For a linear model this is the Kalman filter, for a non-linear
/// one the extended Kalman filter ([`ExtendedKalmanUpdater`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KalmanUpdater<Mm> {
    /// The measurement model.
    pub model: Mm,
}

/// The extended Kalman updater: [`KalmanUpdater`] over a non-linear measurement model.
pub type ExtendedKalmanUpdater<Mm> = KalmanUpdater<Mm>;

impl<Mm> KalmanUpdater<Mm> {
    /// An updater for `model`.
    pub fn new(model: Mm) -> Self {
        Self { model }
    }
}

impl<const N: usize, const M: usize, Mm: MeasurementModel<N, M>> Updater<N, M>
    for KalmanUpdater<Mm>
{
    fn predict_measurement(&self, predicted: &StateAt<N>) -> MeasurementPrediction<N, M> {
        let x = &predicted.state.mean;
        let h = self.model.jacobian(x);
        let cross = predicted.state.cov * h.transpose();
        let s = h * cross + self.model.covariance();
        MeasurementPrediction {
            z: self.model.function(x),
            s: (s + s.transpose()) * 0.5,
            cross,
        }
    }

    fn update(
        &self,
        predicted: &StateAt<N>,
        mp: &MeasurementPrediction<N, M>,
        z: &SVector<f64, M>,
    ) -> StateAt<N> {
        let Some(k) = kalman_gain(mp) else {
            return *predicted;
        };
        let prior = &predicted.state;
        let h = self.model.jacobian(&prior.mean);
        let mean = prior.mean + k * self.model.residual(z, &mp.z);
        let a = SMatrix::<f64, N, N>::identity() - k * h;
        let cov = a * prior.cov * a.transpose() + k * self.model.covariance() * k.transpose();
        StateAt {
            t: predicted.t,
            state: Gaussian::new(mean, repair_covariance(&cov)),
        }
    }

    fn residual(&self, z: &SVector<f64, M>, z_hat: &SVector<f64, M>) -> SVector<f64, M> {
        self.model.residual(z, z_hat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::transition::TransitionModel;
    use crate::predictor::test_models::{
        CwnaCv2, DwnaCv1, Position1, Position2, RangeBearing, chi2_quantile_wilson_hilferty, nees,
        sample,
    };
    use crate::predictor::{KalmanPredictor, Predictor};
    use crate::updater::{likelihood, log_likelihood, mahalanobis2};
    use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    /// Kalata's closed-form steady-state α, β for the discrete white-noise acceleration model
    /// with tracking index Λ = σₐT²/σ (Kalata 1984, IEEE TAES 20(2); also BLK §6.5).
    fn kalata(lambda: f64) -> (f64, f64) {
        let r = (4.0 + lambda - (8.0 * lambda + lambda * lambda).sqrt()) / 4.0;
        let alpha = 1.0 - r * r;
        let beta = 2.0 * (2.0 - alpha) - 4.0 * (1.0 - alpha).sqrt();
        (alpha, beta)
    }

    #[test]
    fn steady_state_gains_match_kalata() {
        // X-Val: Kalata (1984): K∞ = [α, β/T] for the DWNA model, H = [1, 0], R = σ².
        let (t_s, sigma) = (2.0, 10.0);
        for lambda in [0.1, 1.0, 10.0] {
            let predictor = KalmanPredictor::new(DwnaCv1 {
                sigma_a: lambda * sigma / (t_s * t_s),
            });
            let updater = KalmanUpdater::new(Position1 { sigma });
            let mut state = StateAt {
                t: 0.0,
                state: Gaussian::new(Vector2::zeros(), Matrix2::identity() * 1e6),
            };
            let mut gain = SMatrix::<f64, 2, 1>::zeros();
            for k in 1..=2000 {
                let predicted = predictor.predict(&state, k as f64 * t_s);
                let mp = updater.predict_measurement(&predicted);
                gain = mp.cross / mp.s[(0, 0)];
                state = updater.update(&predicted, &mp, &SVector::<f64, 1>::zeros());
            }
            let (alpha, beta) = kalata(lambda);
            assert!(
                (gain[0] - alpha).abs() < 1e-6,
                "Λ = {lambda}: α = {} vs {alpha}",
                gain[0]
            );
            assert!(
                (gain[1] * t_s - beta).abs() < 1e-6,
                "Λ = {lambda}: β = {} vs {beta}",
                gain[1] * t_s
            );
        }
    }

    #[test]
    fn matched_filter_nees_is_chi_square_consistent() {
        // BLK §5.4.2: over K Monte Carlo runs of a filter matched to the truth model, K times the
        // average NEES at a time step is χ² with nK degrees of freedom; its two-sided 95 %
        // region, from the Wilson–Hilferty approximation (relative error ≲ 10⁻⁴ at nK = 4,000),
        // here ≈ [3.83, 4.18] for n = 4, K = 1,000.
        const RUNS: usize = 1000;
        const STEPS: usize = 40;
        let model = CwnaCv2 { q: 0.5 };
        let meas = Position2 {
            r: Matrix2::new(100.0, 30.0, 30.0, 50.0),
        };
        let predictor = KalmanPredictor::new(model);
        let updater = KalmanUpdater::new(meas);
        let p0 = Matrix4::from_diagonal(&Vector4::new(400.0, 25.0, 400.0, 25.0));
        let mut rng = ChaCha8Rng::seed_from_u64(2024);
        let mut total = 0.0;
        for _ in 0..RUNS {
            let x0 = Vector4::new(1000.0, 20.0, -500.0, 5.0);
            let mut truth = sample(&mut rng, &x0, &p0);
            let mut est = StateAt {
                t: 0.0,
                state: Gaussian::new(x0, p0),
            };
            for k in 1..=STEPS {
                let t = k as f64;
                truth = sample(
                    &mut rng,
                    &model.function(&truth, 1.0),
                    &model.covariance(&truth, 1.0),
                );
                let z = sample(&mut rng, &meas.function(&truth), &meas.r);
                let predicted = predictor.predict(&est, t);
                let mp = updater.predict_measurement(&predicted);
                est = updater.update(&predicted, &mp, &z);
            }
            total += nees(&est.state, &truth);
        }
        let anees = total / RUNS as f64;
        let dof = (4 * RUNS) as f64;
        let lo = chi2_quantile_wilson_hilferty(dof, -1.959_963_985) / RUNS as f64;
        let hi = chi2_quantile_wilson_hilferty(dof, 1.959_963_985) / RUNS as f64;
        assert!(
            (3.82..3.84).contains(&lo) && (4.17..4.19).contains(&hi),
            "band [{lo}, {hi}]"
        );
        assert!(
            (lo..=hi).contains(&anees),
            "ANEES {anees} outside [{lo}, {hi}]"
        );
    }

    #[test]
    fn joseph_form_stays_symmetric_positive_definite() {
        // Bucy & Joseph (1968); BLK §5.2.3: with R nearly singular (two position measurements
        // correlated at ρ = 1 − 10⁻¹², so x − y is measured to ~1 µm) the short form
        // P⁺ = (I − K H) P loses symmetry and definiteness; the Joseph form must not, over 10,000
        // updates.
        let rho = 1.0 - 1e-12;
        let meas = Position2 {
            r: Matrix2::new(1.0, rho, rho, 1.0),
        };
        let predictor = KalmanPredictor::new(CwnaCv2 { q: 1e-3 });
        let updater = KalmanUpdater::new(meas);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut est = StateAt {
            t: 0.0,
            state: Gaussian::new(Vector4::zeros(), Matrix4::identity() * 1e4),
        };
        let mut short_form_failed = false;
        for k in 1..=10_000 {
            let predicted = predictor.predict(&est, k as f64 * 0.1);
            let mp = updater.predict_measurement(&predicted);
            let z = sample(&mut rng, &Vector2::zeros(), &meas.r);
            est = updater.update(&predicted, &mp, &z);
            let p = est.state.cov;
            assert_eq!(p, p.transpose(), "update {k}: asymmetric");
            assert!(
                p.cholesky().is_some(),
                "update {k}: not positive definite: {p}"
            );
            assert!(p.diagonal().iter().all(|&v| v > 0.0));
            // The short form, from the same prediction, for contrast.
            let k_gain = crate::updater::kalman_gain(&mp).expect("S is positive definite");
            let short = (Matrix4::identity() - k_gain * meas.jacobian(&predicted.state.mean))
                * predicted.state.cov;
            short_form_failed |= short.cholesky().is_none() || short != short.transpose();
        }
        assert!(
            short_form_failed,
            "the test should be hard enough to break the short form"
        );
    }

    #[test]
    fn update_matches_the_textbook_scalar_case() {
        // X-Val: by hand. Prior N(0, 4), z = 3, R = 1: K = 4/5, x⁺ = 2.4, P⁺ = 0.8.
        let updater = KalmanUpdater::new(Position1 { sigma: 1.0 });
        let prior = StateAt {
            t: 1.0,
            state: Gaussian::new(Vector2::zeros(), Matrix2::new(4.0, 0.0, 0.0, 9.0)),
        };
        let mp = updater.predict_measurement(&prior);
        let z = SVector::<f64, 1>::new(3.0);
        let post = updater.update(&prior, &mp, &z);
        assert!((post.state.mean[0] - 2.4).abs() < 1e-12);
        assert!((post.state.cov[(0, 0)] - 0.8).abs() < 1e-12);
        assert_eq!(post.state.cov[(1, 1)], 9.0);
        assert_eq!(post.t, 1.0);
        // d² = 9/5; ln N = −½(9/5 + ln 5 + ln 2π).
        assert!((updater.mahalanobis2(&mp, &z) - 1.8).abs() < 1e-12);
        let expected = -0.5 * (1.8 + 5f64.ln() + (2.0 * std::f64::consts::PI).ln());
        assert!((updater.log_likelihood(&mp, &z) - expected).abs() < 1e-12);
        assert!((likelihood(&mp, &(z - mp.z)) - expected.exp()).abs() < 1e-15);
    }

    #[test]
    fn mahalanobis_matches_explicit_inverse() {
        let mp = MeasurementPrediction::<4, 2> {
            z: Vector2::zeros(),
            s: Matrix2::new(4.0, 1.2, 1.2, 2.0),
            cross: SMatrix::<f64, 4, 2>::zeros(),
        };
        let nu = Vector2::new(1.5, -0.7);
        let explicit = (nu.transpose() * mp.s.try_inverse().expect("invertible") * nu)[(0, 0)];
        assert!((mahalanobis2(&mp, &nu) - explicit).abs() < 1e-12);
        let singular = MeasurementPrediction {
            s: Matrix2::new(1.0, 1.0, 1.0, 1.0),
            ..mp
        };
        assert_eq!(mahalanobis2(&singular, &nu), f64::INFINITY);
        assert_eq!(log_likelihood(&singular, &nu), f64::NEG_INFINITY);
        assert_eq!(likelihood(&singular, &nu), 0.0);
    }

    #[test]
    fn singular_innovation_covariance_returns_the_prediction() {
        // A perfectly known state measured without noise: S = 0, no update is possible.
        let updater = KalmanUpdater::new(Position1 { sigma: 0.0 });
        let prior = StateAt {
            t: 0.0,
            state: Gaussian::new(Vector2::new(1.0, 2.0), Matrix2::zeros()),
        };
        let mp = updater.predict_measurement(&prior);
        assert_eq!(
            updater.update(&prior, &mp, &SVector::<f64, 1>::new(5.0)),
            prior
        );
    }

    #[test]
    fn bearing_residual_wraps_across_pi() {
        // A target just past −x (bearing ≈ π − 0.01) measured at ≈ −π + 0.01: the innovation is
        // +0.02 rad, not −2π + 0.02.
        let updater = KalmanUpdater::new(RangeBearing {
            sigma_r: 1.0,
            sigma_b: 0.01,
        });
        let b = std::f64::consts::PI - 0.01;
        let prior = StateAt {
            t: 0.0,
            state: Gaussian::new(
                Vector4::new(1000.0 * b.cos(), 0.0, 1000.0 * b.sin(), 0.0),
                Matrix4::identity() * 100.0,
            ),
        };
        let mp = updater.predict_measurement(&prior);
        let z = Vector2::new(1000.0, -std::f64::consts::PI + 0.01);
        assert!((updater.residual(&z, &mp.z)[1] - 0.02).abs() < 1e-9);
        assert!(updater.mahalanobis2(&mp, &z) < 10.0);
        let post = updater.update(&prior, &mp, &z);
        // The posterior moved a few metres towards the measured bearing, not kilometres.
        assert!((post.state.mean - prior.state.mean).norm() < 20.0);
    }
}
