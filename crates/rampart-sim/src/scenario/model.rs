//! The typed scenario: what a scenario file says, in SI units and WGS-84, checked and complete.
//!
//! Built only by the loader ([`super::load`] / [`super::parse`]); every engine stage reads it.

use crate::bmc::evaluation::ThreatClass;
use crate::bmc::wta::WtaSolver;
use crate::network::{FireControl, NetworkParams};
use crate::sensors::detection::Swerling;
use crate::sensors::early_warning::EarlyWarningParams;
use crate::sensors::radar::RadarParams;
use crate::threats::airbreather::AirBreatherType;
use crate::threats::ballistic::{BallisticType, NominalAim, TrajectoryShape};
use crate::threats::projectile::{FireSolution, ProjectileType};
use crate::weapons::gun::GunParams;
use crate::weapons::interceptor::InterceptorType;
use rampart_core::{Geodetic, SimDuration};
use std::sync::Arc;

/// A complete, validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// The epoch, a UTC instant in RFC 3339 form (`2020-01-07T22:30:00Z`).
    pub epoch: String,
    /// How long the simulation runs after the epoch.
    pub duration: SimDuration,
    /// The seed of every random stream.
    pub seed: u64,
    /// Defended assets, in file order.
    pub assets: Vec<Asset>,
    /// Threat types, in file order.
    pub threat_types: Vec<ThreatType>,
    /// Raids, in file order.
    pub raids: Vec<Raid>,
    /// Radars, in file order.
    pub radars: Vec<RadarParams>,
    /// Space-based early-warning sensors, in file order (their sensor handles follow the
    /// radars').
    pub early_warning: Vec<EarlyWarningParams>,
    /// Interceptor types, in file order.
    pub interceptor_types: Vec<InterceptorType>,
    /// Fire units, in file order.
    pub fire_units: Vec<FireUnit>,
    /// Counter-rocket, artillery and mortar guns, in file order.
    pub guns: Vec<GunParams>,
    /// The weapon-target assignment solver of every battle-management cycle
    /// (`[battle_management] wta_solver`; [`AutoWtaSolver`](crate::bmc::wta::AutoWtaSolver),
    /// `auto`, by default).
    pub wta_solver: Arc<dyn WtaSolver>,
    /// Whether an upper-tier unit leaves a threat to a lower-tier weapon that can take it
    /// (`[battle_management] lower_tier_first`, default true).
    pub lower_tier_first: bool,
    /// What one unit of cost is worth in asset value, for weighing an engagement's cost against
    /// the value it saves (`[battle_management] value_per_cost`; 0, value alone, by default).
    pub value_per_cost: f64,
    /// The network of the radars and fire units (`[network]`; disabled when absent).
    pub network: NetworkParams,
    /// The run's DIS identifiers (`[dis]`; 1, 1, 1 when absent).
    pub dis: DisIds,
    /// Which entities of a DIS exercise become threats (`[dis_in]`; none when absent).
    pub dis_in: Option<DisIn>,
    /// Warning, shelter, evacuation and dispersal (`[passive_defense]`; tactical warning and
    /// the default protection when absent).
    pub passive: crate::passive::PassiveDefense,
    /// What the loader found worth a warning, in file order.
    pub warnings: Vec<super::ScenarioWarning>,
}

/// `[dis]`: the identifiers the run's DIS output carries (`rampart run --dis`, `--dis-pcap`),
/// unless the command line gives others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisIds {
    /// Exercise identifier, 1–255.
    pub exercise: u8,
    /// Site identifier, 1–65534.
    pub site: u16,
    /// Application identifier, 1–65534.
    pub application: u16,
}

impl Default for DisIds {
    fn default() -> Self {
        Self {
            exercise: 1,
            site: 1,
            application: 1,
        }
    }
}

/// `[dis_in]`: the entities of another simulation, received over DIS, that fly in the run as
/// threats (see [`crate::feed`]).
#[derive(Clone, Debug, PartialEq)]
pub struct DisIn {
    /// The exercise listened to (any when `None`).
    pub exercise: Option<u8>,
    /// An entity silent this long has left the exercise.
    pub timeout: SimDuration,
    /// Which entity types become which threat types, in file order.
    pub entities: Vec<DisInEntity>,
}

/// One `[[dis_in.entity]]`: entities whose type begins with `entity_type` become threats of
/// type `threat_type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisInEntity {
    /// The leading fields of a DIS entity type (kind, domain, country, category, subcategory,
    /// specific, extra), one to seven of them.
    pub entity_type: Vec<u16>,
    /// Index into [`Scenario::threat_types`].
    pub threat_type: usize,
}

impl DisIn {
    /// The threat type of an entity of DIS type `fields` (all seven): the one of the entry
    /// that matches most fields (the first of those in file order).
    pub fn threat_type(&self, fields: &[u16; 7]) -> Option<usize> {
        let mut best: Option<&DisInEntity> = None;
        for e in &self.entities {
            if fields.starts_with(&e.entity_type)
                && best.is_none_or(|b| e.entity_type.len() > b.entity_type.len())
            {
                best = Some(e);
            }
        }
        best.map(|e| e.threat_type)
    }
}

/// How a fire unit shoots at one threat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Doctrine {
    /// Fire `salvo` interceptors at once (a ripple `salvo_interval` apart).
    ShootShoot {
        /// Interceptors per engagement (≥ 1).
        salvo: u32,
    },
    /// Fire one, assess the kill, fire again if the threat survived and time allows.
    ShootLookShoot,
}

impl Doctrine {
    /// Interceptors launched per engagement.
    pub fn salvo(self) -> u32 {
        match self {
            Doctrine::ShootShoot { salvo } => salvo,
            Doctrine::ShootLookShoot => 1,
        }
    }
}

/// A group of identical launchers at one place.
#[derive(Clone, Debug, PartialEq)]
pub struct LauncherGroup {
    /// Position, WGS-84.
    pub position: Geodetic,
    /// Index into [`Scenario::interceptor_types`].
    pub interceptor: usize,
    /// Number of launchers.
    pub count: u32,
    /// Ready rounds per launcher.
    pub rounds: u32,
    /// Spare loads per launcher (each refills it to `rounds`).
    pub reloads: u32,
    /// Time to reload an empty launcher.
    pub reload_time: SimDuration,
    /// Time from the decision to fire to the launch.
    pub launch_delay: SimDuration,
}

/// A fire unit: a radar, its launchers, and how it fights.
#[derive(Clone, Debug, PartialEq)]
pub struct FireUnit {
    /// Unique name.
    pub name: String,
    /// Whether it takes part: a unit that does not is not deployed (it never engages, and its
    /// radar, unless another deployed unit names it, never scans).
    pub enabled: bool,
    /// Index into [`Scenario::radars`]: the radar that tracks, guides and assesses.
    pub radar: usize,
    /// Launcher groups.
    pub launchers: Vec<LauncherGroup>,
    /// Shoot-shoot or shoot-look-shoot.
    pub doctrine: Doctrine,
    /// Time between the interceptors of one salvo.
    pub salvo_interval: SimDuration,
    /// How many threats its radar can engage at once.
    pub channels: u32,
    /// Probability that the radar assesses an intercept correctly (kill or miss).
    pub kill_assessment: f64,
    /// Indices into [`Scenario::assets`] of the assets it defends.
    pub defends: Vec<usize>,
    /// Whether it may fight on the network's tracks (with the network enabled).
    pub fire_control: FireControl,
    /// The classes of threat it engages.
    pub engages: Vec<ThreatClass>,
    /// Its tier: the battle manager leaves a threat to the lower tier when a lower-tier weapon
    /// can take it.
    pub tier: Tier,
}

/// The tier of a weapon in a layered defense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Area defense against ballistic missiles and aircraft (Patriot-class).
    Upper,
    /// Point defense against rockets, artillery, mortars and drones (short-range air defense,
    /// counter-RAM guns).
    Lower,
}

impl Tier {
    /// The word of the scenario file.
    pub fn word(self) -> &'static str {
        match self {
            Tier::Upper => "upper",
            Tier::Lower => "lower",
        }
    }
}

/// A defended asset.
#[derive(Clone, Debug, PartialEq)]
pub struct Asset {
    /// Unique name.
    pub name: String,
    /// Centre, WGS-84.
    pub position: Geodetic,
    /// An impact within this ground distance of the centre hits the asset, m.
    pub radius_m: f64,
    /// Relative value (> 0), for weighing assets against each other.
    pub value: f64,
    /// The fixed part of the time from a warning to the alarm at the asset, s.
    pub alarm_delay_s: f64,
    /// The random part's width: the delay is the fixed part plus a uniform draw on
    /// [0, this], s.
    pub alarm_delay_spread_s: f64,
    /// The people there, if the scenario counts them.
    pub personnel: Option<crate::passive::Personnel>,
    /// The aircraft there, if the scenario counts them.
    pub aircraft: Option<crate::passive::Aircraft>,
}

/// A named kind of threat.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreatType {
    /// Unique name (the key of `[threat_type.NAME]`).
    pub name: String,
    /// Probability that a launched threat flies as planned, in [0, 1].
    pub reliability: f64,
    /// Mean radar cross-section, m².
    pub rcs_m2: f64,
    /// How the radar cross-section fluctuates.
    pub swerling: Swerling,
    /// The area a gun's round must strike to destroy it, m².
    pub vulnerable_area_m2: f64,
    /// Its flight model.
    pub kind: ThreatKind,
    /// Its warhead's notional damage radii (see [`crate::passive`]).
    pub warhead: crate::passive::Warhead,
}

/// The flight model of a threat type.
#[derive(Clone, Debug, PartialEq)]
pub enum ThreatKind {
    /// A ballistic missile.
    Ballistic(BallisticType),
    /// A cruise missile, aircraft or one-way-attack drone.
    AirBreathing(AirBreatherType),
    /// A rocket, artillery shell or mortar bomb.
    Projectile(ProjectileType),
}

impl ThreatKind {
    /// The `kind` word of the scenario file.
    pub fn word(&self) -> &'static str {
        match self {
            ThreatKind::Ballistic(_) => "ballistic",
            ThreatKind::AirBreathing(a) => a.class.word(),
            ThreatKind::Projectile(p) => p.class.word(),
        }
    }
}

/// Where a raid aims.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AimPoint {
    /// The aim point, WGS-84 (an asset's centre when `asset` is set).
    pub point: Geodetic,
    /// The asset aimed at, as an index into [`Scenario::assets`].
    pub asset: Option<usize>,
}

/// A salvo of identical threats from one site at one aim point.
#[derive(Clone, Debug, PartialEq)]
pub struct Raid {
    /// Index into [`Scenario::threat_types`].
    pub threat_type: usize,
    /// Number of threats launched (≥ 1).
    pub count: u32,
    /// Launch site, WGS-84.
    pub launch_site: Geodetic,
    /// Aim point.
    pub aim: AimPoint,
    /// Launch time of the first threat after the epoch.
    pub first_launch: SimDuration,
    /// Time between successive launches.
    pub interval: SimDuration,
    /// Aim error as a circular error probable: half of the impacts land within it, m.
    pub cep_m: f64,
    /// Projectile raids: the standard deviation of the impacts along the line of fire, m.
    pub range_error_m: f64,
    /// Projectile raids: the standard deviation of the impacts across the line of fire, m.
    pub deflection_error_m: f64,
    /// Trajectory shape (ballistic threats).
    pub trajectory: TrajectoryShape,
    /// Route waypoints between launch and aim point (air-breathing threats).
    pub waypoints: Vec<Geodetic>,
    /// For ballistic raids: the range envelope, the shape's longest range and the launch
    /// solution for the undisplaced aim point, computed when the scenario was checked.
    pub ballistic_aim: Option<NominalAim>,
    /// For projectile raids: the laying on the undisplaced aim point, computed when the
    /// scenario was checked.
    pub fire_solution: Option<FireSolution>,
}
