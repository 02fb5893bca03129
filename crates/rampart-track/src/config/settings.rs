//! [`TrackerSettings`]: a checked [`TrackerConfig`](super::TrackerConfig) in SI units, with
//! the defaults, and what is built from it: the tracker's parameters, the IMM filter and its
//! prior.

use crate::associator::Association;
use crate::filter::ImmFilter;
use crate::initiator::{Initiation, MofNInitiator};
use crate::metrics::GospaMetric;
use crate::models::measurement::MeasurementModel;
use crate::models::transition::{Ballistic, ConstantVelocity};
use crate::predictor::{Imm, KalmanPredictor};
use crate::tracker::TrackerParams;
use crate::types::Gaussian;
use crate::updater::KalmanUpdater;
use nalgebra::{SMatrix, SVector};

/// Default process noise of the IMM's constant-velocity mode, m²/s³.
pub const DEFAULT_IMM_Q: f64 = 50.0;
/// Default process noise of the IMM's ballistic mode, m²/s³.
pub const DEFAULT_IMM_Q_BALLISTIC: f64 = 5.0;
/// Default probability that the IMM switches mode between scans.
pub const DEFAULT_SWITCH_PROBABILITY: f64 = 0.05;
/// Process noise of the IMM's inverse ballistic coefficient b, (m²/kg)²/s.
pub const IMM_Q_B: f64 = 1e-10;
/// Mean of a new track's inverse ballistic coefficient b, m²/kg.
pub const IMM_PRIOR_B_MEAN: f64 = 1e-4;
/// Variance of a new track's inverse ballistic coefficient b, (m²/kg)².
pub const IMM_PRIOR_B_VARIANCE: f64 = 1e-8;
/// Default gate probability.
pub const DEFAULT_GATE_PROBABILITY: f64 = 0.999;
/// Default confirmation: `m` hits in the first `n` scans.
pub const DEFAULT_CONFIRMATION: MofNInitiator = MofNInitiator { m: 3, n: 3 };
/// Default fastest target of velocity-gated initiation, m/s (above the re-entry speed of the
/// longest-range threats Rampart models).
pub const DEFAULT_MAX_SPEED_MPS: f64 = 4_000.0;
/// Default consecutive misses that end a confirmed track.
pub const DEFAULT_MAX_MISSES: u32 = 3;
/// Default position standard deviation past which a track ends, m.
pub const DEFAULT_MAX_POSITION_SIGMA_M: f64 = 100_000.0;

/// The motion model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Motion {
    /// Nearly constant velocity, state `[x, vx, y, vy, z, vz]`.
    Cv {
        /// Process-noise spectral density, m²/s³.
        q: f64,
    },
    /// Nearly constant acceleration, state `[x, vx, ax, y, vy, ay, z, vz, az]`.
    Ca {
        /// Process-noise spectral density, m²/s⁵.
        q: f64,
    },
    /// Singer manoeuvring-target model, state as `Ca`.
    Singer {
        /// Acceleration standard deviation, m/s².
        sigma_a: f64,
        /// Manoeuvre time constant, s.
        tau: f64,
    },
    /// Coordinated turn with unknown turn rate, state `[x, vx, y, vy, z, vz, ω]`.
    Ct {
        /// Process-noise spectral density on x, y, z, m²/s³.
        q: f64,
        /// Turn-rate noise, rad²/s³.
        q_omega: f64,
    },
    /// An IMM over nearly-constant-velocity and ballistic motion.
    Imm(ImmMotion),
}

impl Default for Motion {
    fn default() -> Self {
        Motion::Imm(ImmMotion::default())
    }
}

/// The IMM over two modes sharing the state `[x, vx, y, vy, z, vz, b]` (b = 1/β, m²/kg):
/// nearly constant velocity (b carried), and ballistic motion (flat-Earth gravity along z,
/// exponential air, drag through b).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImmMotion {
    /// Process noise of the constant-velocity mode, m²/s³.
    pub q: f64,
    /// Process noise of the ballistic mode, m²/s³.
    pub q_ballistic: f64,
    /// Probability of switching mode between scans.
    pub switch_probability: f64,
}

impl Default for ImmMotion {
    fn default() -> Self {
        Self {
            q: DEFAULT_IMM_Q,
            q_ballistic: DEFAULT_IMM_Q_BALLISTIC,
            switch_probability: DEFAULT_SWITCH_PROBABILITY,
        }
    }
}

impl ImmMotion {
    /// The IMM filter with measurement model `model` (extended Kalman predictors and updaters
    /// in both modes); a new track starts with even mode probabilities.
    pub fn filter<const M: usize, Mm>(&self, model: Mm) -> ImmFilter<7, M, 2>
    where
        Mm: MeasurementModel<7, M> + Clone + Send + Sync + 'static,
    {
        let p = self.switch_probability;
        let imm = Imm::new(
            [
                Box::new(KalmanPredictor::new(ConstantVelocity::new(self.q))),
                Box::new(KalmanPredictor::new(Ballistic::standard(
                    self.q_ballistic,
                    IMM_Q_B,
                ))),
            ],
            [
                Box::new(KalmanUpdater::new(model.clone())),
                Box::new(KalmanUpdater::new(model)),
            ],
            SMatrix::<f64, 2, 2>::new(1.0 - p, p, p, 1.0 - p),
        )
        .unwrap_or_else(|e| unreachable!("a checked switch probability makes a valid IMM: {e}"));
        ImmFilter {
            imm,
            initial_probabilities: SVector::<f64, 2>::new(0.5, 0.5),
        }
    }

    /// The prior of a new track: b ~ N(10⁻⁴, (10⁻⁴)²) m²/kg, the rest set by its detections.
    pub fn prior() -> Gaussian<7> {
        let mut mean = SVector::<f64, 7>::zeros();
        mean[6] = IMM_PRIOR_B_MEAN;
        let mut cov = SMatrix::<f64, 7, 7>::zeros();
        cov[(6, 6)] = IMM_PRIOR_B_VARIANCE;
        Gaussian::new(mean, cov)
    }
}

/// The measurement noise (standard deviations); a key not given is `None`, and the sensor
/// model supplies it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MeasurementNoise {
    /// Cartesian position noise per axis, m.
    pub sigma_m: Option<f64>,
    /// A radar's range noise, m.
    pub range_sigma_m: Option<f64>,
    /// A radar's azimuth and elevation noise, rad.
    pub angle_sigma_rad: Option<f64>,
}

/// What the sensor model implies for the settings a file may leave out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Implied {
    /// Probability of detection per scan.
    pub pd: f64,
    /// False detections per unit of measurement space per scan.
    pub clutter_density: f64,
}

/// A checked tracker configuration, SI units. [`Default`] is the configuration of a radar's
/// tracker in the simulator, the detection probability, clutter density and measurement
/// noise left to the radar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackerSettings {
    /// The motion model.
    pub motion: Motion,
    /// The measurement noise.
    pub noise: MeasurementNoise,
    /// Probability of detection per scan; `None`: as the sensor implies.
    pub pd: Option<f64>,
    /// False detections per unit of measurement space per scan; `None`: as the sensor implies.
    pub clutter_density: Option<f64>,
    /// Probability that the gate holds a target's own detection.
    pub gate_probability: f64,
    /// GNN or JPDA.
    pub association: Association,
    /// How tracks start.
    pub initiation: Initiation,
    /// When a tentative track is confirmed.
    pub confirmation: MofNInitiator,
    /// Consecutive misses that end a confirmed track.
    pub max_misses: u32,
    /// Position standard deviation past which a track ends, m.
    pub max_position_sigma_m: f64,
    /// How tracks are scored.
    pub gospa: GospaMetric,
}

impl Default for TrackerSettings {
    fn default() -> Self {
        Self {
            motion: Motion::default(),
            noise: MeasurementNoise::default(),
            pd: None,
            clutter_density: None,
            gate_probability: DEFAULT_GATE_PROBABILITY,
            association: Association::Gnn,
            initiation: Initiation::VelocityGated {
                max_speed: DEFAULT_MAX_SPEED_MPS,
            },
            confirmation: DEFAULT_CONFIRMATION,
            max_misses: DEFAULT_MAX_MISSES,
            max_position_sigma_m: DEFAULT_MAX_POSITION_SIGMA_M,
            gospa: GospaMetric::default(),
        }
    }
}

impl TrackerSettings {
    /// The parameters of the tracker's roles, with the detection probability and clutter
    /// density `implied` where these settings leave them to the sensor.
    pub fn params(&self, implied: Implied) -> TrackerParams {
        TrackerParams {
            pd: self.pd.unwrap_or(implied.pd),
            clutter_density: self.clutter_density.unwrap_or(implied.clutter_density),
            gate_probability: self.gate_probability,
            association: self.association,
            m: self.confirmation.m,
            n: self.confirmation.n,
            max_misses: self.max_misses,
            max_position_variance_m2: self.max_position_sigma_m * self.max_position_sigma_m,
            initiation: self.initiation,
        }
    }
}
