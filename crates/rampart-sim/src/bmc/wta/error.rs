//! Why a problem is invalid.

use std::fmt;

/// Why a [`WtaProblem`](super::WtaProblem) is invalid. Validation checks threats first, in
/// index order, then options in index order, and reports the first error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WtaError {
    /// A threat's `value` is NaN, infinite or negative.
    InvalidValue {
        /// Threat index.
        threat: usize,
        /// The offending value.
        value: f64,
    },
    /// A threat's `survival` is NaN or outside `[0, 1]`.
    InvalidSurvival {
        /// Threat index.
        threat: usize,
        /// The offending survival probability.
        survival: f64,
    },
    /// An option refers to a threat that does not exist.
    ThreatIndex {
        /// Option index.
        option: usize,
        /// The out-of-range threat index.
        threat: usize,
    },
    /// An option refers to a unit that does not exist.
    UnitIndex {
        /// Option index.
        option: usize,
        /// The out-of-range unit index.
        unit: usize,
    },
    /// An option has a salvo of zero shots.
    ZeroShots {
        /// Option index.
        option: usize,
    },
    /// An option's `pk` is NaN or outside `[0, 1]`.
    InvalidPk {
        /// Option index.
        option: usize,
        /// The offending kill probability.
        pk: f64,
    },
    /// An option's `cost` is NaN, infinite or negative.
    InvalidCost {
        /// Option index.
        option: usize,
        /// The offending cost.
        cost: f64,
    },
    /// Two options share the same `(threat, unit)` pair.
    DuplicatePair {
        /// Index of the earlier option.
        first: usize,
        /// Index of the later option.
        second: usize,
        /// Shared threat index.
        threat: usize,
        /// Shared unit index.
        unit: usize,
    },
}

impl fmt::Display for WtaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::InvalidValue { threat, value } => {
                write!(f, "threat {threat}: value {value} is not finite and >= 0")
            }
            Self::InvalidSurvival { threat, survival } => {
                write!(f, "threat {threat}: survival {survival} is not in [0, 1]")
            }
            Self::ThreatIndex { option, threat } => {
                write!(f, "option {option}: threat index {threat} out of range")
            }
            Self::UnitIndex { option, unit } => {
                write!(f, "option {option}: unit index {unit} out of range")
            }
            Self::ZeroShots { option } => write!(f, "option {option}: salvo of zero shots"),
            Self::InvalidPk { option, pk } => {
                write!(f, "option {option}: pk {pk} is not in [0, 1]")
            }
            Self::InvalidCost { option, cost } => {
                write!(f, "option {option}: cost {cost} is not finite and >= 0")
            }
            Self::DuplicatePair {
                first,
                second,
                threat,
                unit,
            } => write!(
                f,
                "options {first} and {second} both pair threat {threat} with unit {unit}"
            ),
        }
    }
}

impl std::error::Error for WtaError {}
