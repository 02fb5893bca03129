//! `[[gun]]`: a counter-rocket, artillery and mortar gun (see [`crate::weapons::gun`]).
//!
//! The defaults are a notional Phalanx-class 20 mm gun. Public figures (US Navy fact file
//! "MK 15 Phalanx Close-In Weapons System"): 4,500 rounds a minute, a 1,550-round magazine;
//! about 1,100 m/s muzzle velocity for 20 mm rounds; C-RAM fires self-destructing rounds
//! (US Army, "Counter-Rocket, Artillery, Mortar"). Every other figure is notional.

use super::quantities::Bound;
use super::{Ctx, Result, Table, key, or};
use crate::bmc::evaluation::ThreatClass;
use crate::scenario::keys::KeyDoc;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::docs_default;
use crate::scenario::model::Scenario;
use crate::scenario::raw::RawGun;
use crate::weapons::gun::GunParams;
use rampart_core::units::Dimension;
use serde_spanned::Spanned;

/// Rounds a minute (US Navy Phalanx fact file).
pub const DEFAULT_RATE_OF_FIRE_PER_MIN: f64 = 4_500.0;
/// Magazine, rounds (US Navy Phalanx fact file).
pub const DEFAULT_MAGAZINE: u32 = 1_550;
/// Muzzle velocity, m/s (20 mm, public order of magnitude).
pub const DEFAULT_MUZZLE_VELOCITY_MPS: f64 = 1_100.0;
/// Projectile mass, kg (notional 20 mm).
pub const DEFAULT_ROUND_MASS_KG: f64 = 0.1;
/// Calibre, m.
pub const DEFAULT_CALIBRE_M: f64 = 0.02;
/// Drag coefficient of the rounds (notional; a supersonic ogive's order).
pub const DEFAULT_DRAG_COEFFICIENT: f64 = 0.3;
/// Rounds per burst (notional: a second and a third at 4,500 a minute).
pub const DEFAULT_BURST_ROUNDS: u32 = 100;
/// Ballistic dispersion, 1σ, mrad (notional).
pub const DEFAULT_DISPERSION_MRAD: f64 = 2.0;
/// Aim error per burst, 1σ, mrad (notional).
pub const DEFAULT_AIM_ERROR_MRAD: f64 = 1.0;
/// Self-destruct time, s (notional).
pub const DEFAULT_SELF_DESTRUCT_S: f64 = 5.0;
/// Longest slant range it fires at, m (notional).
pub const DEFAULT_MAX_RANGE_M: f64 = 2_000.0;
/// Fastest target it fires at, m/s (notional: a rocket or a shell, not a ballistic missile's
/// re-entry).
pub const DEFAULT_MAX_TARGET_SPEED_MPS: f64 = 900.0;
/// Lowest elevation, degrees (notional).
pub const DEFAULT_MIN_ELEVATION_DEG: f64 = 2.0;
/// Reaction time, s (notional).
pub const DEFAULT_REACTION_S: f64 = 1.0;
/// Rounds before the barrels must cool (notional).
pub const DEFAULT_BARREL_LIMIT: u32 = 600;
/// Time to cool from the limit, s (notional).
pub const DEFAULT_COOLING_S: f64 = 60.0;
/// The least expected kill probability of a burst before the gun fires it: none by default,
/// the gun fires whenever a threat is in reach (its magazine and barrels permitting).
pub const DEFAULT_MIN_PK: f64 = 0.0;
/// The vulnerable area a gun assumes of its target, m² (notional).
pub const DEFAULT_PLANNING_AREA_M2: f64 = 0.05;

impl Ctx<'_> {
    /// The `i`-th `[[gun]]`; `sc` holds the assets and radars.
    pub(super) fn gun(&self, i: usize, raw: &Spanned<RawGun>, sc: &Scenario) -> Result<GunParams> {
        let t = Table {
            title: format!("[[gun]] #{}", i + 1),
            span: raw.span(),
        };
        let r = raw.get_ref();
        let name = self.need(&r.name, "name", &t)?;
        self.unique_name(
            name,
            "weapon",
            "[[fire_unit]] or [[gun]]",
            sc.fire_units
                .iter()
                .map(|x| x.name.as_str())
                .chain(sc.guns.iter().map(|x| x.name.as_str())),
        )?;
        let radar_name = self.need(&r.radar, "radar", &t)?;
        let radar = self.radar_named(radar_name, sc)?;
        let site = self.need(&r.position, "position", &t)?;
        let position = self.position(
            site.get_ref(),
            site.span(),
            format!("`position` of {}", t.title),
        )?;
        let count = |v, name, default: u32| -> Result<u32> {
            or(key(v, name), default, |k| {
                let n = self.integer(k, 1)?;
                u32::try_from(n)
                    .ok()
                    .filter(|n| *n <= 1_000_000)
                    .ok_or_else(|| {
                        self.error(k.span(), format!("{name} must be at most 1000000"))
                            .with_label("too many")
                    })
            })
        };
        let mrad = |v, name, default: f64| {
            or(key(v, name), default * 1e-3, |k| {
                self.angle(k, Bound::closed(0.0, 0.1))
            })
        };
        let rate_per_min = or(
            key(&r.rate_of_fire, "rate_of_fire"),
            DEFAULT_RATE_OF_FIRE_PER_MIN,
            |k| self.number(k, Bound::closed(1.0, 100_000.0)),
        )?;
        let burst_rounds = count(&r.burst, "burst", DEFAULT_BURST_ROUNDS)?;
        let barrel_limit = count(&r.barrel_limit, "barrel_limit", DEFAULT_BARREL_LIMIT)?;
        if burst_rounds > barrel_limit {
            let span = r
                .burst
                .as_ref()
                .or(r.barrel_limit.as_ref())
                .map_or(t.span.clone(), Spanned::span);
            return Err(self
                .error(
                    span,
                    format!(
                        "a burst of {burst_rounds} rounds is more than the barrels take ({barrel_limit}): the gun could never fire"
                    ),
                )
                .with_label("burst above barrel_limit")
                .with_help("make `burst` at most `barrel_limit`"));
        }
        Ok(GunParams {
            name: name.get_ref().clone(),
            radar,
            position,
            defends: self.defends(r.defends.as_ref(), sc)?,
            muzzle_velocity_mps: or(
                key(&r.muzzle_velocity, "muzzle_velocity"),
                DEFAULT_MUZZLE_VELOCITY_MPS,
                |k| self.speed(k, position.alt_m),
            )?,
            round_mass_kg: or(
                key(&r.round_mass, "round_mass"),
                DEFAULT_ROUND_MASS_KG,
                |k| self.mass(k, Bound::Positive),
            )?,
            calibre_m: or(key(&r.calibre, "calibre"), DEFAULT_CALIBRE_M, |k| {
                self.length(k, Bound::closed(1e-3, 1.0))
            })?,
            drag_coefficient: or(
                key(&r.drag_coefficient, "drag_coefficient"),
                DEFAULT_DRAG_COEFFICIENT,
                |k| self.number(k, Bound::closed(0.0, 5.0)),
            )?,
            rate_of_fire: rate_per_min / 60.0,
            burst_rounds,
            dispersion_rad: mrad(&r.dispersion, "dispersion", DEFAULT_DISPERSION_MRAD)?,
            aim_error_rad: mrad(&r.aim_error, "aim_error", DEFAULT_AIM_ERROR_MRAD)?,
            self_destruct_s: or(
                key(&r.self_destruct, "self_destruct"),
                DEFAULT_SELF_DESTRUCT_S,
                |k| self.time(k, Bound::closed(0.1, 120.0)),
            )?,
            max_range_m: or(key(&r.max_range, "max_range"), DEFAULT_MAX_RANGE_M, |k| {
                self.length(k, Bound::closed(10.0, 20_000.0))
            })?,
            max_target_speed_mps: or(
                key(&r.max_target_speed, "max_target_speed"),
                DEFAULT_MAX_TARGET_SPEED_MPS,
                |k| self.speed(k, position.alt_m),
            )?,
            min_elevation_rad: or(
                key(&r.min_elevation, "min_elevation"),
                DEFAULT_MIN_ELEVATION_DEG.to_radians(),
                |k| self.angle(k, Bound::closed(-0.2, 1.5)),
            )?,
            magazine: count(&r.magazine, "magazine", DEFAULT_MAGAZINE)?,
            reaction_s: or(
                key(&r.reaction_time, "reaction_time"),
                DEFAULT_REACTION_S,
                |k| self.time(k, Bound::closed(0.0, 60.0)),
            )?,
            barrel_limit,
            cooling_s: or(
                key(&r.cooling_time, "cooling_time"),
                DEFAULT_COOLING_S,
                |k| self.time(k, Bound::closed(0.0, 3_600.0)),
            )?,
            engages: self.engages(
                r.engages.as_ref(),
                &[ThreatClass::Ram, ThreatClass::AirBreathing],
            )?,
            min_pk: or(key(&r.min_pk, "min_pk"), DEFAULT_MIN_PK, |k| {
                self.number(k, Bound::closed(0.0, 1.0))
            })?,
            planning_vulnerable_area_m2: or(
                key(&r.planning_vulnerable_area, "planning_vulnerable_area"),
                DEFAULT_PLANNING_AREA_M2,
                |k| self.measure(k, Dimension::Area, Bound::Positive),
            )?,
            round_cost: key(&r.round_cost, "round_cost")
                .map(|k| self.number(k, Bound::NonNegative))
                .transpose()?,
        })
    }
}

/// `[[gun]]`.
pub static GUN: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "name",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("unique among the fire units and guns"),
        meaning: Is("The gun's name, in events and the summary."),
        value: None,
    },
    KeyDoc {
        key: "radar",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("the `name` of a `[[radar]]`"),
        meaning: Is("Its own search and track radar: the gun fires on that radar's tracks."),
        value: None,
    },
    KeyDoc {
        key: "position",
        required: Is("yes"),
        kind: Is("position table"),
        default: Is("—"),
        allowed: Is("see positions"),
        meaning: Is("Where the gun stands."),
        value: None,
    },
    KeyDoc {
        key: "defends",
        required: Is("no"),
        kind: Is("array of strings"),
        default: Is("every asset"),
        allowed: Is("asset names"),
        meaning: Is("The assets whose attackers it fires at."),
        value: None,
    },
    KeyDoc {
        key: "muzzle_velocity",
        required: Is("no"),
        kind: Is("speed"),
        default: Made(|| docs_default(DEFAULT_MUZZLE_VELOCITY_MPS, 1.0, "m/s")),
        allowed: Is("> 0"),
        meaning: Is("Speed of a round leaving the barrel."),
        value: None,
    },
    KeyDoc {
        key: "round_mass",
        required: Is("no"),
        kind: Is("mass"),
        default: Made(|| docs_default(DEFAULT_ROUND_MASS_KG, 1.0, "kg")),
        allowed: Is("> 0"),
        meaning: Is("Projectile mass."),
        value: None,
    },
    KeyDoc {
        key: "calibre",
        required: Is("no"),
        kind: Is("length"),
        default: Made(|| docs_default(DEFAULT_CALIBRE_M, 1e-3, "mm")),
        allowed: Is("[1 mm, 1 m]"),
        meaning: Is("Projectile diameter (drag reference area π d²/4)."),
        value: None,
    },
    KeyDoc {
        key: "drag_coefficient",
        required: Is("no"),
        kind: Is("plain number"),
        default: Made(|| DEFAULT_DRAG_COEFFICIENT.to_string()),
        allowed: Is("[0, 5]"),
        meaning: Is("The rounds' drag coefficient, held constant (flat-fire model)."),
        value: None,
    },
    KeyDoc {
        key: "rate_of_fire",
        required: Is("no"),
        kind: Is("plain number, rounds a minute"),
        default: Made(|| DEFAULT_RATE_OF_FIRE_PER_MIN.to_string()),
        allowed: Is("[1, 100000]"),
        meaning: Is("Cyclic rate of fire (4,500 a minute: US Navy Phalanx fact file)."),
        value: None,
    },
    KeyDoc {
        key: "burst",
        required: Is("no"),
        kind: Is("integer, rounds"),
        default: Made(|| DEFAULT_BURST_ROUNDS.to_string()),
        allowed: Is("1 to 1000000"),
        meaning: Is("Rounds fired at one aim point."),
        value: None,
    },
    KeyDoc {
        key: "dispersion",
        required: Is("no"),
        kind: Is("angle"),
        default: Made(|| docs_default(DEFAULT_DISPERSION_MRAD, 1.0, "mrad")),
        allowed: Is("[0, 100 mrad]"),
        meaning: Is("Ballistic dispersion of a round about the burst's aim, 1σ per axis."),
        value: None,
    },
    KeyDoc {
        key: "aim_error",
        required: Is("no"),
        kind: Is("angle"),
        default: Made(|| docs_default(DEFAULT_AIM_ERROR_MRAD, 1.0, "mrad")),
        allowed: Is("[0, 100 mrad]"),
        meaning: Is("Pointing error common to a burst, 1σ per axis, beside the track's own error."),
        value: None,
    },
    KeyDoc {
        key: "self_destruct",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_SELF_DESTRUCT_S, 1.0, "s")),
        allowed: Is("[0.1 s, 120 s]"),
        meaning: Is(
            "Time after firing at which a round that missed destroys itself; rounds that meet the ground first fall there.",
        ),
        value: None,
    },
    KeyDoc {
        key: "max_range",
        required: Is("no"),
        kind: Is("length"),
        default: Made(|| docs_default(DEFAULT_MAX_RANGE_M, 1e3, "km")),
        allowed: Is("[10 m, 20 km]"),
        meaning: Is("Longest slant range to the lead point it fires at."),
        value: None,
    },
    KeyDoc {
        key: "max_target_speed",
        required: Is("no"),
        kind: Is("speed"),
        default: Made(|| docs_default(DEFAULT_MAX_TARGET_SPEED_MPS, 1.0, "m/s")),
        allowed: Is("> 0"),
        meaning: Is(
            "Fastest track it fires at (and, for battle management across tiers, can take): a ballistic missile that leaks through the upper tier is a gun's target only if it is slower, and only if the gun `engages` `ballistic`.",
        ),
        value: None,
    },
    KeyDoc {
        key: "min_elevation",
        required: Is("no"),
        kind: Is("angle"),
        default: Made(|| docs_default(DEFAULT_MIN_ELEVATION_DEG, 1.0, "deg")),
        allowed: Is("[−0.2, 1.5] rad"),
        meaning: Is("Lowest elevation it fires at (keeps its rounds off the ground near it)."),
        value: None,
    },
    KeyDoc {
        key: "magazine",
        required: Is("no"),
        kind: Is("integer, rounds"),
        default: Made(|| DEFAULT_MAGAZINE.to_string()),
        allowed: Is("1 to 1000000"),
        meaning: Is("Rounds carried (1,550: US Navy Phalanx fact file); no reload in a run."),
        value: None,
    },
    KeyDoc {
        key: "reaction_time",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_REACTION_S, 1.0, "s")),
        allowed: Is("[0, 60 s]"),
        meaning: Is("From the decision to fire to the first round."),
        value: None,
    },
    KeyDoc {
        key: "barrel_limit",
        required: Is("no"),
        kind: Is("integer, rounds"),
        default: Made(|| DEFAULT_BARREL_LIMIT.to_string()),
        allowed: Is("1 to 1000000"),
        meaning: Is(
            "Heat the barrels hold, in rounds: a burst that would pass it waits for them to cool.",
        ),
        value: None,
    },
    KeyDoc {
        key: "engages",
        required: Is("no"),
        kind: Is("array of strings"),
        default: Is("`[\"ram\", \"air_breathing\"]`"),
        allowed: Is("`ballistic`, `ram`, `air_breathing`"),
        meaning: Is(
            "The classes of tracks it fires at (threat evaluation's kinematic classes: a ballistic missile; a rocket, shell or mortar bomb; an air-breathing threat).",
        ),
        value: None,
    },
    KeyDoc {
        key: "min_pk",
        required: Is("no"),
        kind: Is("plain number"),
        default: Made(|| DEFAULT_MIN_PK.to_string()),
        allowed: Is("[0, 1]"),
        meaning: Is(
            "The least kill probability it expects of a burst before it fires one: the burst's offset taken at the median of the track's position error at the lead point and the aim error, against `planning_vulnerable_area`.",
        ),
        value: None,
    },
    KeyDoc {
        key: "planning_vulnerable_area",
        required: Is("no"),
        kind: Is("area"),
        default: Made(|| format!("`\"{DEFAULT_PLANNING_AREA_M2} m^2\"`")),
        allowed: Is("> 0"),
        meaning: Is(
            "The vulnerable area it assumes of a target when it decides to fire (it cannot know the threat's type).",
        ),
        value: None,
    },
    KeyDoc {
        key: "round_cost",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("none"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "What one round costs, in the scenario's cost unit (an interceptor type's `cost` likewise). With it, Monte Carlo reports the gun's cost per kill.",
        ),
        value: None,
    },
    KeyDoc {
        key: "cooling_time",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_COOLING_S, 1.0, "s")),
        allowed: Is("[0, 1 h]"),
        meaning: Is("Time for the barrels to shed `barrel_limit` rounds' heat (linear cooling)."),
        value: None,
    },
];
