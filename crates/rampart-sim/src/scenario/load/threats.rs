//! `[threat_type.NAME]` and `[[raid]]`: ballistic and air-breathing threat types (with their
//! drag profiles), and the raids that launch them (aim points, launch times, trajectory
//! shapes, routes).

use super::diagnostics::{backticked, did_you_mean, fmt_num};
use super::quantities::Bound;
use super::{Ctx, Result, Table, key, or};
use crate::physics::drag::DragProfile;
use crate::scenario::error::ScenarioError;
use crate::scenario::model::{AimPoint, Raid, Scenario, ThreatKind, ThreatType};
use crate::scenario::raw::{RawAim, RawRaid, RawThreatType, RawValue};
use crate::sensors::detection::Swerling;
use crate::threats::airbreather::{AirBreatherType, AirClass};
use crate::threats::ballistic::{BallisticType, ReentryVehicle, ShapeTarget, TrajectoryShape};
use crate::threats::projectile::{Motor, ProjectileClass, ProjectileType};
use rampart_core::SimDuration;
use rampart_core::units::Dimension;
use serde_spanned::Spanned;
use std::f64::consts::FRAC_PI_2;
use std::ops::Range;
use toml::Value;

pub(super) mod keys;

/// The `kind` words of threat types.
const KINDS: [&str; 7] = [
    "ballistic",
    "cruise",
    "aircraft",
    "uas",
    "rocket",
    "artillery",
    "mortar",
];

/// The threat families a `kind` word names.
enum Family {
    Ballistic,
    Air(AirClass),
    Projectile(ProjectileClass),
}

/// The area a gun's round must strike to destroy a threat, by default, m² (notional).
pub const DEFAULT_VULNERABLE_AREA_M2: f64 = 0.02;

/// The largest standard deviation of a projectile raid's range or deflection error, m (ten
/// kilometres: more than any unguided weapon's whole range spread).
pub const MAX_DISPERSION_M: f64 = 10_000.0;

/// The largest number of threats one raid may launch.
pub const MAX_RAID_COUNT: u32 = 100_000;

impl Ctx<'_> {
    /// `[threat_type.NAME]`; `has_radars` when the scenario has a `[[radar]]`, which makes
    /// `rcs` required.
    pub(super) fn threat_type(
        &self,
        name: &Spanned<String>,
        ty: &Spanned<RawThreatType>,
        has_radars: bool,
    ) -> Result<ThreatType> {
        let t = Table {
            title: format!("[threat_type.{}]", name.get_ref()),
            span: ty.span(),
        };
        let r = ty.get_ref();
        let kind_word = self.need(&r.kind, "kind", &t)?;
        let reliability = or(key(&r.reliability, "reliability"), 1.0, |k| {
            self.number(k, Bound::closed(0.0, 1.0))
        })?;
        let rcs_m2 = match key(&r.rcs, "rcs") {
            Some(k) => self.rcs(k)?,
            None if has_radars => {
                return Err(self
                    .error(
                        t.span.clone(),
                        format!(
                            "missing required key `rcs` in {} (every threat type needs a radar \
                             cross-section when the scenario has radars)",
                            t.title
                        ),
                    )
                    .with_label("`rcs` is required here")
                    .with_help(
                        "give the mean radar cross-section, e.g. `rcs = \"0.1 m^2\"` or \
                         `rcs = \"-10 dBsm\"`",
                    ));
            }
            None => 1.0,
        };
        let swerling = or(key(&r.swerling, "swerling"), Swerling::One, |k| {
            self.swerling(k)
        })?;
        let vulnerable_area_m2 = or(
            key(&r.vulnerable_area, "vulnerable_area"),
            DEFAULT_VULNERABLE_AREA_M2,
            |k| self.measure(k, Dimension::Area, Bound::Positive),
        )?;
        let family = match kind_word.get_ref().as_str() {
            "ballistic" => Family::Ballistic,
            "cruise" => Family::Air(AirClass::Cruise),
            "aircraft" => Family::Air(AirClass::Aircraft),
            "uas" => Family::Air(AirClass::Uas),
            "rocket" => Family::Projectile(ProjectileClass::Rocket),
            "artillery" => Family::Projectile(ProjectileClass::Artillery),
            "mortar" => Family::Projectile(ProjectileClass::Mortar),
            other => {
                let err = self
                    .error(kind_word.span(), format!("unknown threat kind `{other}`"))
                    .with_label("unknown kind");
                return Err(match did_you_mean(other, KINDS) {
                    Some(s) => err.with_help(format!("did you mean `{s}`?")),
                    None => err.with_help(format!("kind is one of {}", backticked(KINDS))),
                });
            }
        };
        const AIR: &str = "air-breathing (cruise, aircraft, uas)";
        const PROJECTILE: &str = "projectile (rocket, artillery, mortar)";
        let kind = match family {
            Family::Ballistic => {
                self.foreign_keys(r.air_breathing_keys(), "ballistic", AIR)?;
                self.foreign_keys(r.projectile_keys(), "ballistic", PROJECTILE)?;
                ThreatKind::Ballistic(self.ballistic(name, r, &t)?)
            }
            Family::Air(class) => {
                self.foreign_keys(r.ballistic_keys(), class.word(), "ballistic")?;
                self.foreign_keys(r.projectile_keys(), class.word(), PROJECTILE)?;
                ThreatKind::AirBreathing(self.air_breather(class, r, &t)?)
            }
            Family::Projectile(class) => {
                self.foreign_keys(r.air_breathing_keys(), class.word(), AIR)?;
                let missile_only = r
                    .ballistic_keys()
                    .into_iter()
                    .filter(|(k, _)| matches!(*k, "vertical_rise" | "reentry_vehicle"))
                    .collect();
                self.foreign_keys(missile_only, class.word(), "ballistic")?;
                ThreatKind::Projectile(self.projectile(class, r, &t)?)
            }
        };
        let warhead = self.warhead(r, kind.word())?;
        Ok(ThreatType {
            name: name.get_ref().clone(),
            reliability,
            rcs_m2,
            swerling,
            vulnerable_area_m2,
            kind,
            warhead,
        })
    }

    /// An error on the first of `keys` (keys of another kind than `kind`), if any.
    fn foreign_keys(
        &self,
        keys: Vec<(&'static str, Range<usize>)>,
        kind: &str,
        belongs: &str,
    ) -> Result<()> {
        match keys.into_iter().next() {
            None => Ok(()),
            Some((k, value)) => Err(self
                .error(
                    self.key_span(value, k),
                    format!("unknown key `{k}` for a {kind} threat type"),
                )
                .with_label(format!("`{k}` belongs to {belongs} threat types"))
                .with_help("remove it, or change `kind`")),
        }
    }

    /// The ballistic keys of a threat type.
    fn ballistic(
        &self,
        name: &Spanned<String>,
        r: &RawThreatType,
        t: &Table,
    ) -> Result<BallisticType> {
        let launch_mass_kg = self.mass(
            self.need_key(&r.launch_mass, "launch_mass", t)?,
            Bound::Positive,
        )?;
        let propellant = self.need_key(&r.propellant_mass, "propellant_mass", t)?;
        let propellant_mass_kg = self.mass(propellant, Bound::Positive)?;
        let burn_time_s = self.time(
            self.need_key(&r.burn_time, "burn_time", t)?,
            Bound::Positive,
        )?;
        let isp_s = self.time(self.need_key(&r.isp, "isp", t)?, Bound::Positive)?;
        let diameter_m =
            self.length(self.need_key(&r.diameter, "diameter", t)?, Bound::Positive)?;
        let body_drag_coefficient = or(
            key(&r.body_drag_coefficient, "body_drag_coefficient"),
            0.3,
            |k| self.number(k, Bound::Positive),
        )?;
        let vertical_rise_s = or(key(&r.vertical_rise, "vertical_rise"), 5.0, |k| {
            self.time(k, Bound::NonNegative)
        })?;
        let reentry_vehicle = match &r.reentry_vehicle {
            None => None,
            Some(rv) => {
                let rt = Table {
                    title: format!("`reentry_vehicle` of {}", t.title),
                    span: rv.span(),
                };
                let raw = rv.get_ref();
                Some(ReentryVehicle {
                    mass_kg: self.mass(self.need_key(&raw.mass, "mass", &rt)?, Bound::Positive)?,
                    ballistic_coefficient_kg_m2: self.measure(
                        self.need_key(&raw.ballistic_coefficient, "ballistic_coefficient", &rt)?,
                        Dimension::MassPerArea,
                        Bound::Positive,
                    )?,
                })
            }
        };
        let drag_profile = match &r.drag_profile {
            None => DragProfile::slender_body(),
            Some(p) => self.drag_profile(p)?,
        };

        // The propellant and any re-entry vehicle must fit in the launch mass.
        let rv_kg = reentry_vehicle.map_or(0.0, |rv| rv.mass_kg);
        if propellant_mass_kg + rv_kg >= launch_mass_kg {
            let what = if rv_kg > 0.0 {
                format!(
                    "launch_mass minus the re-entry vehicle's mass ({} − {} = {} kg)",
                    fmt_num(launch_mass_kg),
                    fmt_num(rv_kg),
                    fmt_num(launch_mass_kg - rv_kg)
                )
            } else {
                format!("launch_mass ({} kg)", fmt_num(launch_mass_kg))
            };
            return Err(self
                .error(
                    propellant.span(),
                    format!(
                        "propellant_mass ({} kg) must be less than {what}",
                        fmt_num(propellant_mass_kg)
                    ),
                )
                .with_label("too heavy"));
        }
        let ty = BallisticType {
            launch_mass_kg,
            propellant_mass_kg,
            burn_time_s,
            isp_s,
            diameter_m,
            body_drag_coefficient,
            reentry_vehicle,
            vertical_rise_s,
            drag_profile,
        };
        if ty.thrust_to_weight() <= 1.0 {
            return Err(self.cannot_lift_off(name, ty.thrust_to_weight()));
        }
        Ok(ty)
    }

    /// The error for a ballistic type whose thrust does not lift its launch mass.
    pub(super) fn cannot_lift_off(
        &self,
        name: &Spanned<String>,
        thrust_to_weight: f64,
    ) -> ScenarioError {
        self.error(
            name.span(),
            format!(
                "{} cannot lift off: its thrust-to-weight ratio at launch is {thrust_to_weight:.2}, not above 1",
                name.get_ref()
            ),
        )
        .with_label("cannot lift off")
        .with_help("thrust = propellant_mass / burn_time × isp × g0; it must exceed launch_mass × g0")
    }

    /// `drag_profile = [[Mach, Cd/Cd_ref], …]`.
    fn drag_profile(&self, p: &Spanned<Vec<RawValue>>) -> Result<DragProfile> {
        let mut points = Vec::with_capacity(p.get_ref().len());
        for pair in p.get_ref() {
            let number = |v: &Value| match v {
                Value::Integer(i) => Some(*i as f64),
                Value::Float(f) => Some(*f),
                _ => None,
            };
            let point = match pair.get_ref() {
                Value::Array(a) if a.len() == 2 => number(&a[0]).zip(number(&a[1])),
                _ => None,
            };
            points.push(point.ok_or_else(|| {
                self.error(
                    pair.span(),
                    format!(
                        "drag_profile entries are [Mach, Cd/Cd_ref] pairs of plain numbers, found {}",
                        self.written(pair.span())
                    ),
                )
                .with_label("not a [Mach, factor] pair")
            })?);
        }
        DragProfile::new(points).ok_or_else(|| {
            self.error(p.span(), "invalid drag_profile")
                .with_label("invalid profile")
                .with_help(
                    "give at least one [Mach, Cd/Cd_ref] pair, with Mach numbers of 0 or more in \
                     strictly increasing order and factors greater than 0",
                )
        })
    }

    /// The keys of a rocket, artillery or mortar threat type.
    fn projectile(
        &self,
        class: ProjectileClass,
        r: &RawThreatType,
        t: &Table,
    ) -> Result<ProjectileType> {
        let launch = self.need_key(&r.launch_mass, "launch_mass", t)?;
        let launch_mass_kg = self.mass(launch, Bound::Positive)?;
        let diameter_m =
            self.length(self.need_key(&r.diameter, "diameter", t)?, Bound::Positive)?;
        let drag_coefficient = or(
            key(&r.body_drag_coefficient, "body_drag_coefficient"),
            0.3,
            |k| self.number(k, Bound::Positive),
        )?;
        let drag_profile = match &r.drag_profile {
            None => DragProfile::slender_body(),
            Some(p) => self.drag_profile(p)?,
        };
        let muzzle_velocity_mps = self.speed(
            self.need_key(&r.muzzle_velocity, "muzzle_velocity", t)?,
            0.0,
        )?;
        let high_angle = match &r.angle_of_fire {
            None => class == ProjectileClass::Mortar,
            Some(w) => self.word(w, "angle of fire", &["low", "high"])? == "high",
        };
        // A motor: all three of its keys, or none.
        let motor_keys = [
            (
                key(&r.propellant_mass, "propellant_mass"),
                "propellant_mass",
            ),
            (key(&r.burn_time, "burn_time"), "burn_time"),
            (key(&r.isp, "isp"), "isp"),
        ];
        let motor = match motor_keys.iter().find(|(k, _)| k.is_some()) {
            None => None,
            Some(_) => {
                let missing = motor_keys.iter().find(|(k, _)| k.is_none());
                if let Some((_, m)) = missing {
                    return Err(self.missing(m, t).with_help(
                        "a rocket motor needs `propellant_mass`, `burn_time` and `isp` together",
                    ));
                }
                let [(Some(p), _), (Some(b), _), (Some(i), _)] = motor_keys else {
                    unreachable!("every motor key is present");
                };
                let propellant_mass_kg = self.mass(p, Bound::Positive)?;
                if propellant_mass_kg >= launch_mass_kg {
                    return Err(self
                        .error(
                            p.span(),
                            format!(
                                "propellant_mass ({} kg) must be less than launch_mass ({} kg)",
                                fmt_num(propellant_mass_kg),
                                fmt_num(launch_mass_kg)
                            ),
                        )
                        .with_label("too heavy"));
                }
                Some(Motor {
                    propellant_mass_kg,
                    burn_time_s: self.time(b, Bound::Positive)?,
                    isp_s: self.time(i, Bound::Positive)?,
                })
            }
        };
        Ok(ProjectileType {
            class,
            launch_mass_kg,
            diameter_m,
            drag_coefficient,
            drag_profile,
            muzzle_velocity_mps,
            motor,
            high_angle,
        })
    }

    /// The air-breathing keys of a threat type.
    fn air_breather(
        &self,
        class: AirClass,
        r: &RawThreatType,
        t: &Table,
    ) -> Result<AirBreatherType> {
        let cruise_alt_m =
            self.length(self.need_key(&r.altitude, "altitude", t)?, Bound::Positive)?;
        let speed_mps = self.speed(self.need_key(&r.speed, "speed", t)?, cruise_alt_m)?;
        let max_range_m = self.length(
            self.need_key(&r.max_range, "max_range", t)?,
            Bound::Positive,
        )?;
        let max_turn_rate_rad_s = or(key(&r.turn_rate, "turn_rate"), 3f64.to_radians(), |k| {
            self.measure(k, Dimension::AngularRate, Bound::Positive)
        })?;
        let dive = Bound::Between {
            lo: 0.0,
            lo_incl: false,
            hi: FRAC_PI_2,
            hi_incl: true,
        };
        let dive_angle_rad = or(key(&r.dive_angle, "dive_angle"), 30f64.to_radians(), |k| {
            self.angle(k, dive)
        })?;
        let climb = Bound::Between {
            lo: 0.0,
            lo_incl: false,
            hi: FRAC_PI_2,
            hi_incl: false,
        };
        let climb_angle_rad = or(
            key(&r.climb_angle, "climb_angle"),
            10f64.to_radians(),
            |k| self.angle(k, climb),
        )?;
        Ok(AirBreatherType {
            class,
            speed_mps,
            cruise_alt_m,
            max_range_m,
            max_turn_rate_rad_s,
            dive_angle_rad,
            climb_angle_rad,
        })
    }

    /// The `i`-th (0-based) `[[raid]]`, and the span of its `aim`. `sc` holds the assets and
    /// threat types; `epoch` is in ns since 1970.
    pub(super) fn raid(
        &self,
        i: usize,
        raid: &Spanned<RawRaid>,
        sc: &Scenario,
        epoch: i128,
    ) -> Result<(Raid, Range<usize>)> {
        let t = Table {
            title: format!("[[raid]] #{}", i + 1),
            span: raid.span(),
        };
        let r = raid.get_ref();

        let ty_name = self.need(&r.threat_type, "threat_type", &t)?;
        let threat_type = self.index_of(
            ty_name,
            "threat type",
            "no [threat_type] of this name",
            sc.threat_types.iter().map(|ty| ty.name.as_str()),
        )?;
        let ty = &sc.threat_types[threat_type];
        let air = matches!(ty.kind, ThreatKind::AirBreathing(_));
        let projectile = matches!(ty.kind, ThreatKind::Projectile(_));

        let count = or(key(&r.count, "count"), 1, |k| self.integer(k, 1))?;
        // Every threat of a run exists from the start (as a pending launch), so a raid's size
        // is capped well below what memory or the u32 threat index could hold.
        let count = u32::try_from(count)
            .ok()
            .filter(|c| *c <= MAX_RAID_COUNT)
            .ok_or_else(|| {
                self.error(
                    r.count.as_ref().map_or(t.span.clone(), Spanned::span),
                    format!("count must be at most {MAX_RAID_COUNT}, found {count}"),
                )
                .with_label("too many")
            })?;
        let site = self.need(&r.launch_site, "launch_site", &t)?;
        let launch_site = self.position(
            site.get_ref(),
            site.span(),
            format!("`launch_site` of {}", t.title),
        )?;

        let aim_raw = self.need(&r.aim, "aim", &t)?;
        let aim = match aim_raw.get_ref() {
            RawAim::Asset(name) => {
                let index = sc
                    .assets
                    .iter()
                    .position(|a| a.name == *name)
                    .ok_or_else(|| {
                        self.undefined(
                            aim_raw.span(),
                            name,
                            "asset",
                            sc.assets.iter().map(|a| a.name.as_str()),
                        )
                        .with_label("no [[asset]] of this name")
                    })?;
                AimPoint {
                    point: sc.assets[index].position,
                    asset: Some(index),
                }
            }
            RawAim::Point(p) => AimPoint {
                point: self.position(p, aim_raw.span(), format!("`aim` of {}", t.title))?,
                asset: None,
            },
        };

        let first_launch = or(
            key(&r.first_launch, "first_launch"),
            SimDuration::ZERO,
            |k| self.launch_time(k, epoch),
        )?;
        let interval = or(key(&r.interval, "interval"), SimDuration::ZERO, |k| {
            self.duration(k, Bound::NonNegative)
        })?;
        let cep_m = match &r.cep {
            Some(c) if projectile => return Err(self.not_for_kind(c.span(), "cep", ty)),
            c => or(key(c, "cep"), 0.0, |k| self.length(k, Bound::NonNegative))?,
        };
        let [range_error_m, deflection_error_m] = [
            (&r.range_error, "range_error"),
            (&r.deflection_error, "deflection_error"),
        ]
        .map(|(v, name)| match v {
            Some(e) if !projectile => Err(self.not_for_kind(e.span(), name, ty)),
            v => or(key(v, name), 0.0, |k| {
                self.length(k, Bound::closed(0.0, MAX_DISPERSION_M))
            }),
        });
        let (range_error_m, deflection_error_m) = (range_error_m?, deflection_error_m?);

        let trajectory = self.trajectory(r, ty, &t)?;
        let waypoints = match &r.waypoints {
            None => Vec::new(),
            Some(w) if !air => return Err(self.not_for_kind(w.span(), "waypoints", ty)),
            Some(w) => w
                .get_ref()
                .iter()
                .enumerate()
                .map(|(j, p)| {
                    self.position(
                        p.get_ref(),
                        p.span(),
                        format!("waypoint #{} of {}", j + 1, t.title),
                    )
                })
                .collect::<Result<Vec<_>>>()?,
        };

        // Every launch must come before the end of the scenario.
        let last =
            first_launch.as_nanos() as i128 + i128::from(count - 1) * interval.as_nanos() as i128;
        let end = sc.duration.as_nanos() as i128;
        if last >= end {
            let secs = |ns: i128| fmt_num(ns as f64 / 1e9);
            // The caret goes where the fix is: at `first_launch` when the first launch is
            // already too late, at `interval` when only the later ones are.
            let several = count > 1
                && interval > SimDuration::ZERO
                && (first_launch.as_nanos() as i128) < end;
            let (span, message) = if several {
                let span = r.interval.as_ref().map_or(t.span.clone(), Spanned::span);
                (
                    span,
                    format!(
                        "the last of this raid's {count} launches is at {} s after the epoch, not before the end of the scenario at {} s",
                        secs(last),
                        secs(end)
                    ),
                )
            } else {
                let span = r
                    .first_launch
                    .as_ref()
                    .map_or(t.span.clone(), Spanned::span);
                (
                    span,
                    format!(
                        "this raid launches at {} s after the epoch, not before the end of the scenario at {} s",
                        secs(last),
                        secs(end)
                    ),
                )
            };
            return Err(self
                .error(span, message)
                .with_label("too late")
                .with_help("launch earlier, or lengthen `duration` in [scenario]"));
        }

        let raid = Raid {
            threat_type,
            count,
            launch_site,
            aim,
            first_launch,
            interval,
            cep_m,
            range_error_m,
            deflection_error_m,
            trajectory,
            waypoints,
            ballistic_aim: None,
            fire_solution: None,
        };
        Ok((raid, aim_raw.span()))
    }

    /// `trajectory = "minimum-energy"`, or `"lofted"` / `"depressed"` with one of
    /// `burnout_angle` and `apogee`.
    fn trajectory(&self, r: &RawRaid, ty: &ThreatType, t: &Table) -> Result<TrajectoryShape> {
        let ballistic = matches!(ty.kind, ThreatKind::Ballistic(_));
        for (value, name) in [
            (r.trajectory.as_ref().map(Spanned::span), "trajectory"),
            (r.burnout_angle.as_ref().map(Spanned::span), "burnout_angle"),
            (r.apogee.as_ref().map(Spanned::span), "apogee"),
        ] {
            if let Some(span) = value
                && !ballistic
            {
                return Err(self.not_for_kind(span, name, ty));
            }
        }
        let target = match (&r.burnout_angle, &r.apogee) {
            (Some(_), Some(h)) => {
                return Err(self
                    .error(
                        self.key_span(h.span(), "apogee"),
                        "give `burnout_angle` or `apogee`, not both: either one fixes the shape",
                    )
                    .with_label("second shape target"));
            }
            (Some(_), None) => {
                let steep = Bound::Between {
                    lo: 0.0,
                    lo_incl: false,
                    hi: FRAC_PI_2,
                    hi_incl: false,
                };
                let a = self.angle(
                    key(&r.burnout_angle, "burnout_angle").expect("given"),
                    steep,
                )?;
                Some((
                    ShapeTarget::BurnoutAngle(a),
                    "burnout_angle",
                    r.burnout_angle.as_ref(),
                ))
            }
            (None, Some(_)) => {
                let h = self.length(key(&r.apogee, "apogee").expect("given"), Bound::Positive)?;
                Some((ShapeTarget::Apogee(h), "apogee", r.apogee.as_ref()))
            }
            (None, None) => None,
        };
        let Some(s) = &r.trajectory else {
            return match target {
                None => Ok(TrajectoryShape::default()),
                Some((_, name, value)) => Err(self
                    .error(
                        self.key_span(value.expect("given").span(), name),
                        format!("`{name}` shapes a lofted or depressed flight, but this raid names no `trajectory`"),
                    )
                    .with_label("no trajectory to shape")
                    .with_help(format!("add `trajectory = \"lofted\"` (or `\"depressed\"`) beside `{name}` in {}", t.title))),
            };
        };
        let word = s.get_ref().as_str();
        let names = ["minimum-energy", "lofted", "depressed"];
        match (word, target) {
            ("minimum-energy", None) => Ok(TrajectoryShape::MinimumEnergy),
            ("minimum-energy", Some((_, name, value))) => Err(self
                .error(
                    self.key_span(value.expect("given").span(), name),
                    format!("`{name}` applies to lofted or depressed trajectories; a minimum-energy flight's shape follows from its range"),
                )
                .with_label("not for minimum energy")
                .with_help(format!("remove `{name}`, or set `trajectory = \"lofted\"` or `\"depressed\"`"))),
            ("lofted", Some((tg, ..))) => Ok(TrajectoryShape::Lofted(tg)),
            ("depressed", Some((tg, ..))) => Ok(TrajectoryShape::Depressed(tg)),
            ("lofted" | "depressed", None) => Err(self
                .error(
                    s.span(),
                    format!("a {word} trajectory needs `burnout_angle` or `apogee` to say how {}", if word == "lofted" { "high" } else { "low" }),
                )
                .with_label("shape not given")
                .with_help(if word == "lofted" {
                    "add e.g. `burnout_angle = \"55 deg\"` or `apogee = \"250 km\"` (above the minimum-energy flight's)"
                } else {
                    "add e.g. `burnout_angle = \"30 deg\"` or `apogee = \"60 km\"` (below the minimum-energy flight's)"
                })),
            _ => {
                let err = self
                    .error(s.span(), format!("unknown trajectory `{word}`"))
                    .with_label("unknown trajectory");
                Err(match did_you_mean(word, names) {
                    Some(n) => err.with_help(format!("did you mean `{n}`?")),
                    None => err.with_help(format!("trajectory is one of {}", backticked(names))),
                })
            }
        }
    }

    /// A raid key that does not apply to its threat type's kind.
    fn not_for_kind(&self, value: Range<usize>, key: &str, ty: &ThreatType) -> ScenarioError {
        let applies = match key {
            "waypoints" => "air-breathing (cruise, aircraft, uas)",
            "range_error" | "deflection_error" => "projectile (rocket, artillery, mortar)",
            "cep" => "ballistic and air-breathing",
            _ => "ballistic",
        };
        self.error(
            self.key_span(value, key),
            format!(
                "`{key}` applies only to {applies} threat types; {} is {}",
                ty.name,
                ty.kind.word()
            ),
        )
        .with_label(format!("not for a {} threat type", ty.kind.word()))
    }
}
