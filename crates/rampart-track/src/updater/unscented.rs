//! The unscented Kalman updater (Julier & Uhlmann 2004; Wan & van der Merwe 2000).

use nalgebra::SVector;

use crate::models::measurement::MeasurementModel;
use crate::predictor::sigma_points::{
    DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_KAPPA, SigmaPoints, UnscentedWeights, repair_covariance,
};
use crate::types::{Gaussian, MeasurementPrediction, StateAt};
use crate::updater::{Updater, kalman_gain};

/// Unscented update: the predicted state's sigma points χᵢ are pushed through h; ẑ = Σ Wᵢ Zᵢ,
/// S = Σ Wᶜᵢ νᵢ νᵢᵀ + R and P Hᵀ ≈ Σ Wᶜᵢ (χᵢ − x) νᵢᵀ with νᵢ = residual(Zᵢ, ẑ), so bearings
/// straddling ±π average correctly (ẑ itself is not wrapped into (−π, π]). Then K = P Hᵀ S⁻¹,
/// x⁺ = x + K ν and P⁺ = P − K S Kᵀ, symmetrised and, if round-off has made it indefinite,
/// repaired ([`repair_covariance`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnscentedKalmanUpdater<Mm> {
    /// The measurement model.
    pub model: Mm,
    /// Primary spread α (dimensionless, > 0). Default 1 (see [`UnscentedWeights`]).
    pub alpha: f64,
    /// Prior-knowledge parameter β (dimensionless). Default 2, optimal for Gaussians.
    pub beta: f64,
    /// Secondary spread κ (dimensionless, > −N). Default 0.
    pub kappa: f64,
}

impl<Mm> UnscentedKalmanUpdater<Mm> {
    /// An updater for `model` with the defaults α = 1, β = 2, κ = 0.
    pub fn new(model: Mm) -> Self {
        Self::with_parameters(model, DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_KAPPA)
    }

    /// An updater for `model` with the given sigma-point parameters. Values for which
    /// α²(N + κ) ≤ 0 are replaced by the defaults when used (see [`UnscentedWeights::new`]).
    pub fn with_parameters(model: Mm, alpha: f64, beta: f64, kappa: f64) -> Self {
        Self {
            model,
            alpha,
            beta,
            kappa,
        }
    }

    /// The sigma-point weights for state dimension `n`.
    pub fn weights(&self, n: usize) -> UnscentedWeights {
        UnscentedWeights::new(n, self.alpha, self.beta, self.kappa)
    }
}

impl<const N: usize, const M: usize, Mm: MeasurementModel<N, M>> Updater<N, M>
    for UnscentedKalmanUpdater<Mm>
{
    fn predict_measurement(&self, predicted: &StateAt<N>) -> MeasurementPrediction<N, M> {
        let w = self.weights(N);
        let chi = SigmaPoints::of(&predicted.state, &w);
        let zs = chi.map(|x| self.model.function(x));
        let zdiff = |a: &SVector<f64, M>, b: &SVector<f64, M>| self.model.residual(a, b);
        let xdiff = |a: &SVector<f64, N>, b: &SVector<f64, N>| a - b;
        let z = zs.mean(&w, zdiff);
        let s = zs.cross_covariance(&z, zdiff, &zs, &z, zdiff, &w) + self.model.covariance();
        let cross = chi.cross_covariance(&predicted.state.mean, xdiff, &zs, &z, zdiff, &w);
        MeasurementPrediction {
            z,
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
        let mean = prior.mean + k * self.model.residual(z, &mp.z);
        let cov = prior.cov - k * mp.s * k.transpose();
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
    use crate::predictor::test_models::{CwnaCv2, Position2, RangeBearing, nees, sample};
    use crate::predictor::{KalmanPredictor, Predictor, UnscentedKalmanPredictor};
    use crate::updater::KalmanUpdater;
    use nalgebra::{Matrix2, Matrix4, SMatrix, Vector2, Vector4};
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    /// f(x) = x², a one-dimensional test-only transition for the unscented transform's moments.
    #[derive(Clone, Copy, Debug)]
    struct Square;

    impl TransitionModel<1> for Square {
        fn function(&self, x: &SVector<f64, 1>, _dt: f64) -> SVector<f64, 1> {
            x.map(|v| v * v)
        }
        fn jacobian(&self, x: &SVector<f64, 1>, _dt: f64) -> SMatrix<f64, 1, 1> {
            x * 2.0
        }
        fn covariance(&self, _x: &SVector<f64, 1>, _dt: f64) -> SMatrix<f64, 1, 1> {
            SMatrix::zeros()
        }
    }

    #[test]
    fn unscented_transform_of_a_square_is_exact() {
        // X-Val: Julier & Uhlmann (2004): with κ = 3 − n the points match a Gaussian's
        // kurtosis, so for y = x², x ~ N(m, σ²), both E y = m² + σ² and var y = 4m²σ² + 2σ⁴ are
        // exact (the EKF gives m² and 4m²σ²).
        let (m, s2) = (3.0, 0.5);
        let prior = StateAt {
            t: 0.0,
            state: Gaussian::new(SVector::<f64, 1>::new(m), SMatrix::<f64, 1, 1>::new(s2)),
        };
        let ukf =
            UnscentedKalmanPredictor::with_parameters(Square, 1.0, 0.0, 2.0).predict(&prior, 1.0);
        assert!((ukf.state.mean[0] - (m * m + s2)).abs() < 1e-12);
        assert!((ukf.state.cov[(0, 0)] - (4.0 * m * m * s2 + 2.0 * s2 * s2)).abs() < 1e-12);
        let ekf = KalmanPredictor::new(Square).predict(&prior, 1.0);
        assert_eq!(ekf.state.mean[0], m * m);
        assert_eq!(ukf.t, 1.0);
    }

    #[test]
    fn unscented_equals_kalman_for_linear_models() {
        // The unscented transform is exact for linear maps, and P − K S Kᵀ equals the Joseph
        // form at the optimal gain (BLK §5.2.3): the UKF must reproduce the KF to round-off.
        let model = CwnaCv2 { q: 0.3 };
        let meas = Position2 {
            r: Matrix2::new(25.0, 5.0, 5.0, 16.0),
        };
        let (kp, ku) = (KalmanPredictor::new(model), KalmanUpdater::new(meas));
        let (up, uu) = (
            UnscentedKalmanPredictor::new(model),
            UnscentedKalmanUpdater::new(meas),
        );
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let start = StateAt {
            t: 0.0,
            state: Gaussian::new(
                Vector4::new(10.0, 1.0, -5.0, 2.0),
                Matrix4::identity() * 100.0,
            ),
        };
        let (mut k, mut u) = (start, start);
        for step in 1..=30 {
            let t = step as f64 * 0.5;
            let z = sample(&mut rng, &Vector2::new(t, -t), &meas.r);
            let (pk, pu) = (kp.predict(&k, t), up.predict(&u, t));
            assert!(
                (pk.state.cov - pu.state.cov).norm() < 1e-9 * pk.state.cov.norm(),
                "step {step}"
            );
            let (mk, mu) = (ku.predict_measurement(&pk), uu.predict_measurement(&pu));
            assert!((mk.s - mu.s).norm() < 1e-9 * mk.s.norm());
            assert!((mk.cross - mu.cross).norm() < 1e-9 * mk.cross.norm());
            k = ku.update(&pk, &mk, &z);
            u = uu.update(&pu, &mu, &z);
            assert!((k.state.mean - u.state.mean).norm() < 1e-8, "step {step}");
            assert!(
                (k.state.cov - u.state.cov).norm() < 1e-9 * k.state.cov.norm(),
                "step {step}"
            );
        }
    }

    #[test]
    fn singular_prior_covariance_still_predicts() {
        // Velocity known exactly: no Cholesky factor, so the eigen-root must take over.
        let p = Matrix4::from_diagonal(&Vector4::new(100.0, 0.0, 100.0, 0.0));
        let prior = StateAt {
            t: 0.0,
            state: Gaussian::new(Vector4::new(0.0, 1.0, 0.0, 2.0), p),
        };
        let model = CwnaCv2 { q: 0.0 };
        let u = UnscentedKalmanPredictor::new(model).predict(&prior, 2.0);
        let k = KalmanPredictor::new(model).predict(&prior, 2.0);
        assert!((u.state.mean - k.state.mean).norm() < 1e-12);
        assert!((u.state.cov - k.state.cov).norm() < 1e-9);
    }

    #[test]
    fn bearings_straddling_pi_average_correctly() {
        // A target on −x with a wide bearing spread: half its sigma points have bearings near +π,
        // half near −π. A naive average would predict ≈ 0 rad (pointing the wrong way).
        let updater = UnscentedKalmanUpdater::new(RangeBearing {
            sigma_r: 1.0,
            sigma_b: 0.01,
        });
        let prior = StateAt {
            t: 0.0,
            state: Gaussian::new(
                Vector4::new(-1000.0, 0.0, 0.0, 0.0),
                Matrix4::identity() * 2500.0,
            ),
        };
        let mp = updater.predict_measurement(&prior);
        assert!(
            (updater.residual(&mp.z, &Vector2::new(1000.0, std::f64::consts::PI))).norm() < 2.0,
            "{}",
            mp.z
        );
        assert!(
            mp.s[(1, 1)].sqrt() < 0.1,
            "bearing σ {} rad",
            mp.s[(1, 1)].sqrt()
        );
        let z = Vector2::new(1001.0, -std::f64::consts::PI + 0.02);
        let post = updater.update(&prior, &mp, &z);
        assert!((post.state.mean - prior.state.mean).norm() < 30.0);
        assert!(post.state.cov.cholesky().is_some());
    }

    /// Position RMSE (m) and average NEES over `runs` Monte Carlo runs × `scans` scans of a
    /// 2-D constant-velocity target tracked from the origin in range and bearing, for the EKF
    /// and the UKF: `[(rmse_ekf, anees_ekf), (rmse_ukf, anees_ukf)]`.
    fn polar_tracking(
        range_m: f64,
        meas: RangeBearing,
        prior_sigma_m: f64,
        runs: usize,
        scans: usize,
    ) -> [(f64, f64); 2] {
        let model = CwnaCv2 { q: 0.1 };
        let (kp, ku) = (KalmanPredictor::new(model), KalmanUpdater::new(meas));
        let (up, uu) = (
            UnscentedKalmanPredictor::new(model),
            UnscentedKalmanUpdater::new(meas),
        );
        let sp2 = prior_sigma_m * prior_sigma_m;
        let p0 = Matrix4::from_diagonal(&Vector4::new(sp2, 100.0, sp2, 100.0));
        let r = meas.covariance();
        let mut rng = ChaCha8Rng::seed_from_u64(99);
        let mut sums = [(0.0, 0.0); 2];
        for _ in 0..runs {
            let mut truth = Vector4::new(range_m, 0.0, 0.0, 0.01 * range_m);
            // The prior is consistent: the truth is a draw from it.
            let start = StateAt {
                t: 0.0,
                state: Gaussian::new(sample(&mut rng, &truth, &p0), p0),
            };
            let mut est = [start, start];
            for k in 0..scans {
                let t = k as f64;
                if k > 0 {
                    truth = sample(
                        &mut rng,
                        &model.function(&truth, 1.0),
                        &model.covariance(&truth, 1.0),
                    );
                }
                let z = sample(&mut rng, &meas.function(&truth), &r);
                let pe = kp.predict(&est[0], t);
                est[0] = ku.update(&pe, &ku.predict_measurement(&pe), &z);
                let pu = up.predict(&est[1], t);
                est[1] = uu.update(&pu, &uu.predict_measurement(&pu), &z);
                for (sum, e) in sums.iter_mut().zip(&est) {
                    let d = e.state.mean - truth;
                    sum.0 += d[0] * d[0] + d[2] * d[2];
                    sum.1 += nees(&e.state, &truth);
                }
            }
        }
        let n = (runs * scans) as f64;
        sums.map(|(se, ne)| ((se / n).sqrt(), ne / n))
    }

    #[test]
    fn ekf_and_ukf_agree_when_nearly_linear() {
        // At 100 km with 1 mrad bearing noise the 100 m cross-range spread bends the range
        // contour by ~(100 m)²/(2·100 km) = 5 cm ≪ σ_r = 10 m: linearisation is exact to within
        // the noise, so the EKF and UKF must agree.
        let [(rmse_e, nees_e), (rmse_u, nees_u)] = polar_tracking(
            100e3,
            RangeBearing {
                sigma_r: 10.0,
                sigma_b: 1e-3,
            },
            200.0,
            200,
            30,
        );
        assert!(
            (rmse_u / rmse_e - 1.0).abs() < 0.05,
            "RMSE EKF {rmse_e} m, UKF {rmse_u} m"
        );
        assert!(
            (nees_u / nees_e - 1.0).abs() < 0.05,
            "ANEES EKF {nees_e}, UKF {nees_u}"
        );
    }

    #[test]
    fn ukf_beats_ekf_on_the_contact_lens() {
        // The "contact lens" (Julier & Uhlmann 2004; Lerro & Bar-Shalom 1993): at 1 km with
        // bearing σ = 0.2 rad and range σ = 2 m, the 200 m cross-range spread bends the range
        // contour by ~(200 m)²/(2 km) = 20 m ≫ σ_r. The EKF linearises h at the predicted mean,
        // so its S omits that curvature: it believes the 2 m range measurement constrains the
        // position along the wrong line of sight, and becomes overconfident (NEES ≫ n) and
        // biased. The UKF's sigma points see the curvature and put it into S and P Hᵀ. Metric:
        // the average NEES over 500 runs × 20 scans, whose ideal is n = 4 — we assert the UKF's
        // is an order of magnitude closer (in ratio) — and, because the better S also gives
        // better gains, the position RMSE.
        let [(rmse_e, nees_e), (rmse_u, nees_u)] = polar_tracking(
            1e3,
            RangeBearing {
                sigma_r: 2.0,
                sigma_b: 0.2,
            },
            200.0,
            500,
            20,
        );
        let inconsistency = |anees: f64| (anees / 4.0).ln().abs();
        assert!(
            inconsistency(nees_u) < 0.5 * inconsistency(nees_e) && nees_u < 0.1 * nees_e,
            "ANEES EKF {nees_e}, UKF {nees_u}"
        );
        assert!(rmse_u < 0.9 * rmse_e, "RMSE EKF {rmse_e} m, UKF {rmse_u} m");
    }
}
