//! `[interceptor_type.NAME]` and `[[fire_unit]]`: the defense.

use super::diagnostics::{backticked, did_you_mean, fmt_num};
use super::quantities::Bound;
use super::{Ctx, Key, Result, Table, key, or};
use crate::bmc::evaluation::ThreatClass;
use crate::network::FireControl;
use crate::registry::DEFAULT_GUIDANCE_LAW;
use crate::scenario::model::{Doctrine, FireUnit, LauncherGroup, Scenario, Tier};
use crate::scenario::raw::{RawFireUnit, RawInterceptorType, RawLauncher};
use crate::sensors::detection::Swerling;
use crate::weapons::endgame::Lethality;
use crate::weapons::guidance::GuidanceParams;
use crate::weapons::interceptor::{Envelope, FlyoutTable, InterceptorType, Seeker, SeekerKind};
use rampart_core::SimDuration;
use rampart_core::units::Dimension;
use serde_spanned::Spanned;

pub(super) mod keys;

const LETHALITY_WORDS: [&str; 2] = ["hit-to-kill", "blast-fragmentation"];
const DOCTRINE_WORDS: [&str; 2] = ["shoot-shoot", "shoot-look-shoot"];
/// The largest shoot-shoot salvo.
const MAX_SALVO: u32 = 16;
/// The most simultaneous engagements a fire unit may have.
const MAX_CHANNELS: u32 = 1_000;
/// The most launchers, ready rounds or reloads of one launcher group.
const MAX_GROUP_ITEMS: u32 = 10_000;
/// An interceptor type's `max_flight_time`, s.
const MAX_FLIGHT_TIME: Bound = Bound::closed(1.0, 600.0);
/// An interceptor type's `acquisition_grace`, s (no longer than the longest flight).
const ACQUISITION_GRACE: Bound = Bound::closed(0.0, 600.0);
/// The default `acquisition_grace`, s: notional, about three times the latest an intercept
/// comes after its planned time in the shipped scenarios.
const DEFAULT_ACQUISITION_GRACE_S: f64 = 2.0;

/// Default interceptor radar cross-section, m² (a slender missile seen from the side).
pub const DEFAULT_INTERCEPTOR_RCS_M2: f64 = 0.1;

/// The words of the threat classes, as `engages` takes them.
pub const CLASS_WORDS: [&str; 3] = ["ballistic", "ram", "air_breathing"];

impl Ctx<'_> {
    /// A length that must exceed `min_m`, read from `min_key` (or its default when absent).
    fn length_above(&self, k: Key<'_>, min_m: f64, min_key: &str, min_given: bool) -> Result<f64> {
        let x = self.length(k, Bound::NonNegative)?;
        if x > min_m {
            return Ok(x);
        }
        let default = if min_given { "" } else { ", its default" };
        Err(self
            .error(
                k.span(),
                format!(
                    "{} must be greater than {min_key} ({} m{default}), found {}",
                    k.name,
                    fmt_num(min_m),
                    self.written(k.span())
                ),
            )
            .with_label("out of range"))
    }

    /// `x` (read from `k`) as a `u32` no larger than `max`.
    fn at_most(&self, k: Key<'_>, x: i64, max: u32) -> Result<u32> {
        u32::try_from(x).ok().filter(|x| *x <= max).ok_or_else(|| {
            self.error(
                k.span(),
                format!(
                    "{} must be at most {max}, found {}",
                    k.name,
                    self.written(k.span())
                ),
            )
            .with_label("out of range")
        })
    }

    /// One of `words`, or an error with a did-you-mean (or, when none is close, the list).
    pub(super) fn word<'w>(
        &self,
        s: &Spanned<String>,
        what: &str,
        words: &[&'w str],
    ) -> Result<&'w str> {
        let got = s.get_ref().trim();
        if let Some(w) = words.iter().find(|w| **w == got) {
            return Ok(w);
        }
        let err = self
            .error(s.span(), format!("unknown {what} `{got}`"))
            .with_label(format!("unknown {what}"));
        Err(match did_you_mean(got, words.iter().copied()) {
            Some(w) => err.with_help(format!("did you mean `{w}`?")),
            None => err.with_help(format!(
                "{what} is one of {}",
                backticked(words.iter().copied())
            )),
        })
    }

    /// `engages`: the threat classes a weapon fires at (`ballistic`, `ram`, `air_breathing`),
    /// `default` when absent.
    pub(super) fn engages(
        &self,
        list: Option<&Spanned<Vec<Spanned<String>>>>,
        default: &[ThreatClass],
    ) -> Result<Vec<ThreatClass>> {
        let Some(list) = list else {
            return Ok(default.to_vec());
        };
        if list.get_ref().is_empty() {
            return Err(self
                .error(list.span(), "`engages` lists no threat class")
                .with_help("name at least one of `ballistic`, `ram`, `air_breathing`"));
        }
        let mut out = Vec::new();
        for w in list.get_ref() {
            let word = self.word(w, "threat class", &CLASS_WORDS)?;
            let class = ThreatClass::from_word(word).expect("a class word");
            if !out.contains(&class) {
                out.push(class);
            }
        }
        Ok(out)
    }

    /// The index of the `[[radar]]` named `name`, or an error at it.
    pub(super) fn radar_named(&self, name: &Spanned<String>, sc: &Scenario) -> Result<usize> {
        self.index_of(
            name,
            "radar",
            "no [[radar]] of this name",
            sc.radars.iter().map(|x| x.name.as_str()),
        )
    }

    /// `defends`: asset names, every asset when absent.
    pub(super) fn defends(
        &self,
        list: Option<&Spanned<Vec<Spanned<String>>>>,
        sc: &Scenario,
    ) -> Result<Vec<usize>> {
        Ok(match list {
            None => (0..sc.assets.len()).collect(),
            Some(list) => {
                if list.get_ref().is_empty() {
                    return Err(self
                        .error(list.span(), "`defends` lists no asset")
                        .with_help("name at least one [[asset]], or leave `defends` out to defend them all"));
                }
                let mut out = Vec::new();
                for a in list.get_ref() {
                    let idx = self.index_of(
                        a,
                        "asset",
                        "no [[asset]] of this name",
                        sc.assets.iter().map(|x| x.name.as_str()),
                    )?;
                    if !out.contains(&idx) {
                        out.push(idx);
                    }
                }
                out
            }
        })
    }

    /// `[interceptor_type.NAME]`.
    pub(super) fn interceptor_type(
        &self,
        name: &Spanned<String>,
        ty: &Spanned<RawInterceptorType>,
    ) -> Result<InterceptorType> {
        let t = Table {
            title: format!("[interceptor_type.{}]", name.get_ref()),
            span: ty.span(),
        };
        let r = ty.get_ref();
        let reliability = or(key(&r.reliability, "reliability"), 1.0, |k| {
            self.number(k, Bound::closed(0.0, 1.0))
        })?;
        let rcs_m2 = or(key(&r.rcs, "rcs"), DEFAULT_INTERCEPTOR_RCS_M2, |k| {
            self.rcs(k)
        })?;
        let swerling = or(key(&r.swerling, "swerling"), Swerling::One, |k| {
            self.swerling(k)
        })?;
        let launch_mass_kg = self.mass(
            self.need_key(&r.launch_mass, "launch_mass", &t)?,
            Bound::Positive,
        )?;
        let propellant = self.need_key(&r.propellant_mass, "propellant_mass", &t)?;
        let propellant_mass_kg = self.mass(propellant, Bound::Positive)?;
        if propellant_mass_kg >= launch_mass_kg {
            return Err(self
                .error(
                    propellant.span(),
                    format!(
                        "propellant_mass ({} kg) must be less than launch_mass ({} kg)",
                        fmt_num(propellant_mass_kg),
                        fmt_num(launch_mass_kg)
                    ),
                )
                .with_label("too heavy"));
        }
        let burn_time_s = self.time(
            self.need_key(&r.burn_time, "burn_time", &t)?,
            Bound::Positive,
        )?;
        let isp_s = self.time(self.need_key(&r.isp, "isp", &t)?, Bound::Positive)?;
        let diameter_m =
            self.length(self.need_key(&r.diameter, "diameter", &t)?, Bound::Positive)?;
        let drag_coefficient = or(key(&r.drag_coefficient, "drag_coefficient"), 0.3, |k| {
            self.number(k, Bound::Positive)
        })?;
        let max_accel_mps2 = self.measure(
            self.need_key(&r.max_acceleration, "max_acceleration", &t)?,
            Dimension::Acceleration,
            Bound::Positive,
        )?;

        // Envelope.
        let min_altitude_m = or(key(&r.min_altitude, "min_altitude"), 0.0, |k| {
            self.length(k, Bound::NonNegative)
        })?;
        let max_alt_key = self.need_key(&r.max_altitude, "max_altitude", &t)?;
        let max_altitude_m = self.length_above(
            max_alt_key,
            min_altitude_m,
            "min_altitude",
            r.min_altitude.is_some(),
        )?;
        let min_range_m = or(key(&r.min_range, "min_range"), 0.0, |k| {
            self.length(k, Bound::NonNegative)
        })?;
        let max_range_key = self.need_key(&r.max_range, "max_range", &t)?;
        let max_range_m = self.length_above(
            max_range_key,
            min_range_m,
            "min_range",
            r.min_range.is_some(),
        )?;

        // Guidance: a law registered under the name `guidance` gives, built from the type's
        // navigation constant and acceleration limit.
        let law = match &r.guidance {
            None => DEFAULT_GUIDANCE_LAW,
            Some(g) => self.word(g, "guidance law", &self.registry.guidance_law_names())?,
        };
        let nav_constant = or(
            key(&r.navigation_constant, "navigation_constant"),
            4.0,
            |k| {
                self.number(
                    k,
                    Bound::Between {
                        lo: 2.0,
                        lo_incl: false,
                        hi: 10.0,
                        hi_incl: true,
                    },
                )
            },
        )?;
        let seeker = Seeker {
            acquisition_range_m: self.length(
                self.need_key(&r.seeker_acquisition_range, "seeker_acquisition_range", &t)?,
                Bound::Positive,
            )?,
            angle_noise_rad: or(key(&r.seeker_noise, "seeker_noise"), 1e-3, |k| {
                self.angle(k, Bound::NonNegative)
            })?,
            kind: match &r.seeker {
                None => SeekerKind::Radar,
                Some(w) => match self.word(w, "seeker", &["radar", "infrared"])? {
                    "infrared" => SeekerKind::Infrared,
                    _ => SeekerKind::Radar,
                },
            },
        };

        // Lethality.
        let lethality_word = self.need(&r.lethality, "lethality", &t)?;
        let lethal_radius_m = self.length(
            self.need_key(&r.lethal_radius, "lethal_radius", &t)?,
            Bound::Positive,
        )?;
        let lethality = match self.word(lethality_word, "lethality", &LETHALITY_WORDS)? {
            "hit-to-kill" => {
                if let Some(k) = key(&r.pk_max, "pk_max") {
                    return Err(self
                        .error(
                            self.key_span(k.span(), "pk_max"),
                            "`pk_max` applies only to blast-fragmentation warheads",
                        )
                        .with_label("not for hit-to-kill")
                        .with_help(
                            "a hit-to-kill interceptor kills inside `lethal_radius` and misses \
                             outside it; remove `pk_max` or set `lethality = \
                             \"blast-fragmentation\"`",
                        ));
                }
                Lethality::HitToKill { lethal_radius_m }
            }
            _ => Lethality::BlastFragmentation {
                pk_max: self.number(
                    self.need_key(&r.pk_max, "pk_max", &t)?,
                    Bound::Between {
                        lo: 0.0,
                        lo_incl: false,
                        hi: 1.0,
                        hi_incl: true,
                    },
                )?,
                lethal_radius_m,
            },
        };
        let max_flight_time_s = or(key(&r.max_flight_time, "max_flight_time"), 90.0, |k| {
            self.time(k, MAX_FLIGHT_TIME)
        })?;
        let acquisition_grace_s = or(
            key(&r.acquisition_grace, "acquisition_grace"),
            DEFAULT_ACQUISITION_GRACE_S,
            |k| self.time(k, ACQUISITION_GRACE),
        )?;

        let cost = key(&r.cost, "cost")
            .map(|k| self.number(k, Bound::NonNegative))
            .transpose()?;
        let planning_pk = or(key(&r.planning_pk, "planning_pk"), 0.8 * reliability, |k| {
            self.number(k, Bound::closed(0.0, 1.0))
        })?;
        let mut ty = InterceptorType {
            name: name.get_ref().clone(),
            reliability,
            rcs_m2,
            swerling,
            launch_mass_kg,
            propellant_mass_kg,
            burn_time_s,
            isp_s,
            diameter_m,
            drag_coefficient,
            guidance: self
                .registry
                .guidance(
                    law,
                    GuidanceParams {
                        nav_constant,
                        max_accel_mps2,
                    },
                )
                .ok_or_else(|| {
                    self.error(
                        t.span.clone(),
                        format!("guidance law `{law}` is not registered"),
                    )
                })?,
            seeker,
            envelope: Envelope {
                min_altitude_m,
                max_altitude_m,
                min_range_m,
                max_range_m,
            },
            lethality,
            max_flight_time_s,
            acquisition_grace_s,
            planning_pk,
            cost,
            flyout: FlyoutTable::default(),
        };
        if ty.thrust_to_weight() <= 1.0 {
            return Err(self
                .error(
                    name.span(),
                    format!(
                        "interceptor type `{}` cannot lift off: its thrust is {} of its launch \
                         weight",
                        name.get_ref(),
                        fmt_num(ty.thrust_to_weight())
                    ),
                )
                .with_label("thrust ≤ weight")
                .with_help(
                    "thrust = isp · g₀ · propellant_mass / burn_time; raise isp or \
                     propellant_mass, or shorten burn_time",
                ));
        }
        ty.flyout = FlyoutTable::build(&ty);
        // The interceptor must reach at least its own minimum range at some elevation.
        let reach = (0..=36)
            .map(|k| {
                let el = f64::from(k) * 2.5_f64.to_radians();
                ty.flyout.reach(el) * el.cos()
            })
            .fold(0.0_f64, f64::max);
        if reach <= min_range_m.max(1.0) {
            let at = key(&r.min_range, "min_range").map_or(max_range_key.span(), |k| k.span());
            return Err(self
                .error(
                    at,
                    format!(
                        "interceptor type `{}` flies only {} km before it slows below {} m/s, \
                         short of its minimum range",
                        name.get_ref(),
                        fmt_num(reach / 1e3),
                        fmt_num(crate::weapons::interceptor::MIN_USEFUL_SPEED_MPS)
                    ),
                )
                .with_label("out of reach")
                .with_help("check launch_mass, propellant_mass, isp, burn_time and diameter"));
        }
        Ok(ty)
    }

    /// The `i`-th `[[fire_unit]]`; `sc` holds the assets, radars, interceptor types and the
    /// fire units before it.
    pub(super) fn fire_unit(
        &self,
        i: usize,
        unit: &Spanned<RawFireUnit>,
        sc: &Scenario,
    ) -> Result<FireUnit> {
        let t = Table {
            title: format!("[[fire_unit]] #{}", i + 1),
            span: unit.span(),
        };
        let r = unit.get_ref();
        let name = self.need(&r.name, "name", &t)?;
        self.unique_name(
            name,
            "fire unit",
            "[[fire_unit]]",
            sc.fire_units.iter().map(|e| e.name.as_str()),
        )?;
        let radar_name = self.need(&r.radar, "radar", &t)?;
        let radar = self.radar_named(radar_name, sc)?;
        if let Some(other) = sc.fire_units.iter().find(|u| u.radar == radar) {
            return Err(self
                .error(
                    radar_name.span(),
                    format!(
                        "radar `{}` already serves fire unit `{}`",
                        radar_name.get_ref(),
                        other.name
                    ),
                )
                .with_label("taken")
                .with_help("each fire unit has its own radar"));
        }
        let channels = or(key(&r.channels, "channels"), 3, |k| {
            self.at_most(k, self.integer(k, 1)?, MAX_CHANNELS)
        })?;
        let doctrine = match &r.doctrine {
            None => Doctrine::ShootLookShoot,
            Some(d) => match self.word(d, "doctrine", &DOCTRINE_WORDS)? {
                "shoot-shoot" => {
                    let salvo = or(key(&r.salvo, "salvo"), 2, |k| {
                        self.at_most(k, self.integer(k, 1)?, MAX_SALVO)
                    })?;
                    Doctrine::ShootShoot { salvo }
                }
                _ => Doctrine::ShootLookShoot,
            },
        };
        if doctrine == Doctrine::ShootLookShoot
            && let Some(k) = key(&r.salvo, "salvo")
        {
            return Err(self
                .error(
                    self.key_span(k.span(), "salvo"),
                    "`salvo` applies only to the shoot-shoot doctrine",
                )
                .with_label("not for shoot-look-shoot")
                .with_help("shoot-look-shoot fires one interceptor, then looks"));
        }
        let salvo_interval = or(
            key(&r.salvo_interval, "salvo_interval"),
            SimDuration::from_secs(1),
            |k| self.duration(k, Bound::NonNegative),
        )?;
        let kill_assessment = or(key(&r.kill_assessment, "kill_assessment"), 0.9, |k| {
            self.number(k, Bound::closed(0.0, 1.0))
        })?;
        let defends = self.defends(r.defends.as_ref(), sc)?;
        let launchers_raw = self.need(&r.launchers, "launchers", &t)?;
        if launchers_raw.get_ref().is_empty() {
            return Err(self
                .error(launchers_raw.span(), "the fire unit has no launchers")
                .with_help("add at least one [[fire_unit.launchers]] table"));
        }
        let mut launchers = Vec::new();
        for (j, l) in launchers_raw.get_ref().iter().enumerate() {
            launchers.push(self.launcher(&t, j, l, sc)?);
        }
        let fire_control = match &r.fire_control {
            None => FireControl::Autonomous,
            Some(w) => FireControl::from_word(self.word(w, "fire control", &FireControl::WORDS)?)
                .unwrap_or(FireControl::Autonomous),
        };
        let engages = self.engages(
            r.engages.as_ref(),
            &[
                ThreatClass::Ballistic,
                ThreatClass::Ram,
                ThreatClass::AirBreathing,
            ],
        )?;
        let tier = match &r.tier {
            None => Tier::Upper,
            Some(w) => match self.word(w, "tier", &["upper", "lower"])? {
                "lower" => Tier::Lower,
                _ => Tier::Upper,
            },
        };
        Ok(FireUnit {
            enabled: r.enabled.as_ref().is_none_or(|b| *b.get_ref()),
            fire_control,
            engages,
            tier,
            name: name.get_ref().clone(),
            radar,
            launchers,
            doctrine,
            salvo_interval,
            channels,
            kill_assessment,
            defends,
        })
    }

    fn launcher(
        &self,
        unit: &Table,
        j: usize,
        l: &Spanned<RawLauncher>,
        sc: &Scenario,
    ) -> Result<LauncherGroup> {
        let t = Table {
            title: format!("launcher group #{} of {}", j + 1, unit.title),
            span: l.span(),
        };
        let r = l.get_ref();
        let pos = self.need(&r.position, "position", &t)?;
        let position = self.position(
            pos.get_ref(),
            pos.span(),
            format!("`position` of {}", t.title),
        )?;
        let iname = self.need(&r.interceptor, "interceptor", &t)?;
        let interceptor = self.index_of(
            iname,
            "interceptor type",
            "no [interceptor_type] of this name",
            sc.interceptor_types.iter().map(|x| x.name.as_str()),
        )?;
        let count = or(key(&r.count, "count"), 1, |k| self.integer(k, 1))?;
        let rounds = self.integer(self.need_key(&r.rounds, "rounds", &t)?, 1)?;
        let reloads = or(key(&r.reloads, "reloads"), 0, |k| self.integer(k, 0))?;
        let small = |x: i64, k: Option<Key<'_>>, what: &'static str| -> Result<u32> {
            u32::try_from(x)
                .ok()
                .filter(|x| *x <= MAX_GROUP_ITEMS)
                .ok_or_else(|| {
                    self.error(
                        k.map_or(t.span.clone(), |k| k.span()),
                        format!("{what} must be at most {MAX_GROUP_ITEMS}, found {x}"),
                    )
                    .with_label("too many")
                })
        };
        let count = small(count, key(&r.count, "count"), "count")?;
        let rounds = small(rounds, key(&r.rounds, "rounds"), "rounds")?;
        let reloads = small(reloads, key(&r.reloads, "reloads"), "reloads")?;
        let reload_time =
            match key(&r.reload_time, "reload_time") {
                Some(k) => self.duration(k, Bound::Positive)?,
                None if reloads > 0 => return Err(self.missing("reload_time", &t).with_help(
                    "launchers with `reloads` need a `reload_time`, e.g. `reload_time = \"1 h\"`",
                )),
                None => SimDuration::from_secs(3600),
            };
        let launch_delay = or(
            key(&r.launch_delay, "launch_delay"),
            SimDuration::from_secs(3),
            |k| self.duration(k, Bound::NonNegative),
        )?;
        Ok(LauncherGroup {
            position,
            interceptor,
            count,
            rounds,
            reloads,
            reload_time,
            launch_delay,
        })
    }
}
