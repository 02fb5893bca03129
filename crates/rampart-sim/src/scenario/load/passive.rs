//! `[passive_defense]`, an asset's people, aircraft and alarm delay, and a threat type's
//! warhead: the inputs of the warning and passive-defense model ([`crate::passive`]).

use super::quantities::Bound;
use super::{Ctx, Result, Table, key, or};
use crate::passive::{
    Aircraft, DEFAULT_AIRCRAFT_SHELTER_PROTECTION, DEFAULT_HARDENED_PROTECTION,
    DEFAULT_LIGHT_PROTECTION, DEFAULT_SHELTER_MEDIAN_S, DEFAULT_SHELTER_SIGMA,
    DEFAULT_STRATEGIC_LEAD_S, PassiveDefense, Personnel, Protection, SCALED_AIRCRAFT_RADIUS,
    SCALED_INJURY_RADIUS, SCALED_LETHAL_RADIUS, Warhead, WarningMode,
};
use crate::scenario::keys::KeyDoc;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::{docs_default, docs_number};
use crate::scenario::raw::{RawAircraft, RawAsset, RawPassiveDefense, RawPersonnel, RawThreatType};
use serde_spanned::Spanned;

/// The most people or aircraft an asset may hold.
const MAX_COUNT: i64 = 10_000_000;
/// The longest alarm delay, strategic lead or median time to shelter, s (two days).
const MAX_DELAY_S: f64 = 172_800.0;
/// The largest protection factor.
const MAX_PROTECTION: f64 = 1e6;
/// The largest explosive mass of a warhead, kg.
const MAX_WARHEAD_KG: f64 = 100_000.0;

/// Notional explosive masses (TNT equivalent) by threat kind, kg: a short-range ballistic
/// missile's unitary warhead (public accounts give the Fateh-110 family about 450–650 kg), a
/// cruise missile's (about 400 kg), an aircraft's bomb load taken as one 500 kg bomb, a
/// one-way-attack drone's (tens of kilograms), a 122 mm rocket's (about 6 kg), a 155 mm
/// shell's (about 7 kg), a 120 mm mortar bomb's (about 2 kg). Notional round figures.
pub const DEFAULT_WARHEAD_KG: [(&str, f64); 7] = [
    ("ballistic", 450.0),
    ("cruise", 400.0),
    ("aircraft", 500.0),
    ("uas", 40.0),
    ("rocket", 6.0),
    ("artillery", 7.0),
    ("mortar", 2.0),
];

/// The default warhead mass of a kind word, kg.
pub fn default_warhead_kg(kind: &str) -> f64 {
    DEFAULT_WARHEAD_KG
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(0.0, |(_, m)| *m)
}

impl Ctx<'_> {
    /// A fraction in [0, 1].
    fn fraction(&self, k: super::Key<'_>) -> Result<f64> {
        self.number(k, Bound::closed(0.0, 1.0))
    }

    /// A count of people or aircraft.
    fn count(&self, k: super::Key<'_>) -> Result<u32> {
        let n = self.integer(k, 0)?;
        if n > MAX_COUNT {
            return Err(self
                .error(k.span(), format!("{} must be at most {MAX_COUNT}", k.name))
                .with_label("too many"));
        }
        Ok(n as u32)
    }

    /// An asset's alarm delay, its spread, its people and its aircraft.
    pub(super) fn asset_passive(
        &self,
        r: &RawAsset,
        t: &Table,
        radius_m: f64,
    ) -> Result<(f64, f64, Option<Personnel>, Option<Aircraft>)> {
        let delay = |v, name| {
            or(key(v, name), 0.0, |k| {
                self.time(k, Bound::closed(0.0, MAX_DELAY_S))
            })
        };
        let alarm_delay = delay(&r.alarm_delay, "alarm_delay")?;
        let spread = delay(&r.alarm_delay_spread, "alarm_delay_spread")?;
        let personnel = r
            .personnel
            .as_ref()
            .map(|p| self.personnel(p, t, radius_m))
            .transpose()?;
        let aircraft = r
            .aircraft
            .as_ref()
            .map(|a| self.aircraft(a, t))
            .transpose()?;
        Ok((alarm_delay, spread, personnel, aircraft))
    }

    fn personnel(
        &self,
        p: &Spanned<RawPersonnel>,
        asset: &Table,
        asset_radius_m: f64,
    ) -> Result<Personnel> {
        let t = Table {
            title: format!("`personnel` of {}", asset.title),
            span: p.span(),
        };
        let r = p.get_ref();
        let count = self.count(self.need_key(&r.count, "count", &t)?)?;
        let radius_m = or(key(&r.radius, "radius"), asset_radius_m, |k| {
            self.length(k, Bound::Positive)
        })?;
        let light = or(key(&r.light_shelter, "light_shelter"), 0.0, |k| {
            self.fraction(k)
        })?;
        let hardened = or(key(&r.hardened, "hardened"), 0.0, |k| self.fraction(k))?;
        if light + hardened > 1.0 + 1e-12 {
            return Err(self
                .error(
                    p.span(),
                    format!(
                        "light_shelter ({}) and hardened ({}) add up to more than 1",
                        docs_number(light),
                        docs_number(hardened)
                    ),
                )
                .with_label("more than everyone")
                .with_help(
                    "they are the fractions in each at the alarm; the rest are in the open",
                ));
        }
        let n = f64::from(count);
        let places = |v, name, at_alarm: f64, default: u32| -> Result<u32> {
            let Some(k) = key(v, name) else {
                return Ok(default);
            };
            let places = self.count(k)?;
            if f64::from(places) + 1e-9 < at_alarm {
                return Err(self
                    .error(
                        k.span(),
                        format!(
                            "{name} ({places}) is fewer than the {} people in them at the alarm",
                            docs_number(at_alarm.ceil())
                        ),
                    )
                    .with_label("too few places"));
            }
            Ok(places)
        };
        // By default the bunkers hold everyone and the light shelters those in them.
        let hardened_places = places(&r.hardened_places, "hardened_places", n * hardened, count)?;
        let light_places = places(
            &r.light_places,
            "light_places",
            n * light,
            (n * light).ceil() as u32,
        )?;
        let median = or(
            key(&r.time_to_shelter, "time_to_shelter"),
            DEFAULT_SHELTER_MEDIAN_S,
            |k| {
                self.time(
                    k,
                    Bound::Between {
                        lo: 0.0,
                        lo_incl: false,
                        hi: MAX_DELAY_S,
                        hi_incl: true,
                    },
                )
            },
        )?;
        let sigma = or(
            key(&r.time_to_shelter_spread, "time_to_shelter_spread"),
            DEFAULT_SHELTER_SIGMA,
            |k| self.number(k, Bound::closed(0.0, 5.0)),
        )?;
        Ok(Personnel {
            count,
            radius_m,
            light,
            hardened,
            light_places,
            hardened_places,
            shelter_median_s: median,
            shelter_sigma: sigma,
        })
    }

    fn aircraft(&self, a: &Spanned<RawAircraft>, asset: &Table) -> Result<Aircraft> {
        let t = Table {
            title: format!("`aircraft` of {}", asset.title),
            span: a.span(),
        };
        let r = a.get_ref();
        let count = self.count(self.need_key(&r.count, "count", &t)?)?;
        let sheltered = or(key(&r.sheltered, "sheltered"), 0.0, |k| self.fraction(k))?;
        Ok(Aircraft { count, sheltered })
    }

    /// A threat type's warhead; `kind` is its kind word.
    pub(super) fn warhead(&self, r: &RawThreatType, kind: &str) -> Result<Warhead> {
        let mass = or(key(&r.warhead, "warhead"), default_warhead_kg(kind), |k| {
            self.mass(k, Bound::closed(0.0, MAX_WARHEAD_KG))
        })?;
        let scaled = Warhead::scaled(mass);
        let radius = |v, name, default: f64| {
            or(key(v, name), default, |k| {
                self.length(k, Bound::closed(0.0, 100_000.0))
            })
        };
        let lethal = radius(&r.lethal_radius, "lethal_radius", scaled.lethal_radius_m)?;
        let injury = radius(&r.injury_radius, "injury_radius", scaled.injury_radius_m)?;
        if injury < lethal {
            let span = r
                .injury_radius
                .as_ref()
                .or(r.lethal_radius.as_ref())
                .map_or(0..0, Spanned::span);
            return Err(self
                .error(span, "injury_radius is smaller than lethal_radius")
                .with_label("smaller")
                .with_help("the injury radius counts those killed or injured, so it is at least the lethal radius"));
        }
        let aircraft = radius(
            &r.aircraft_lethal_radius,
            "aircraft_lethal_radius",
            scaled.aircraft_radius_m,
        )?;
        Ok(Warhead {
            mass_kg: mass,
            lethal_radius_m: lethal,
            injury_radius_m: injury,
            aircraft_radius_m: aircraft,
        })
    }

    /// `[passive_defense]` (defaults when absent).
    pub(super) fn passive_defense(
        &self,
        table: Option<&Spanned<RawPassiveDefense>>,
    ) -> Result<PassiveDefense> {
        let d = PassiveDefense::default();
        let Some(table) = table else {
            return Ok(d);
        };
        let r = table.get_ref();
        let warning = match &r.warning {
            None => d.warning,
            Some(w) => WarningMode::from_word(w.get_ref()).ok_or_else(|| {
                self.error(w.span(), format!("unknown warning `{}`", w.get_ref()))
                    .with_label("unknown")
                    .with_help("warning is one of `none`, `tactical`, `strategic`")
            })?,
        };
        let lead = or(
            key(&r.strategic_lead, "strategic_lead"),
            d.strategic_lead_s,
            |k| self.time(k, Bound::closed(0.0, MAX_DELAY_S)),
        )?;
        let evacuate = or(key(&r.evacuate, "evacuate"), 0.0, |k| self.fraction(k))?;
        let disperse = or(key(&r.disperse, "disperse"), 0.0, |k| self.fraction(k))?;
        let factor = |v, name, default| {
            or(key(v, name), default, |k| {
                self.number(k, Bound::closed(1.0, MAX_PROTECTION))
            })
        };
        let light = factor(
            &r.light_shelter_protection,
            "light_shelter_protection",
            DEFAULT_LIGHT_PROTECTION,
        )?;
        let hardened = factor(
            &r.hardened_protection,
            "hardened_protection",
            DEFAULT_HARDENED_PROTECTION,
        )?;
        Ok(PassiveDefense {
            warning,
            strategic_lead_s: lead,
            evacuate,
            disperse,
            protection: Protection {
                light,
                hardened,
                light_injury: factor(
                    &r.light_shelter_injury_protection,
                    "light_shelter_injury_protection",
                    light,
                )?,
                hardened_injury: factor(
                    &r.hardened_injury_protection,
                    "hardened_injury_protection",
                    hardened,
                )?,
                aircraft_shelter: factor(
                    &r.aircraft_shelter_protection,
                    "aircraft_shelter_protection",
                    DEFAULT_AIRCRAFT_SHELTER_PROTECTION,
                )?,
            },
        })
    }
}

/// `personnel = { … }` of an `[[asset]]`.
pub static PERSONNEL: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "count",
        required: Is("yes"),
        kind: Is("integer"),
        default: Is("—"),
        allowed: Made(|| format!("0 to {MAX_COUNT}")),
        meaning: Is("People at the asset before any evacuation."),
        value: None,
    },
    KeyDoc {
        key: "radius",
        required: Is("no"),
        kind: Is("length"),
        default: Is("the asset's `radius`"),
        allowed: Is("> 0"),
        meaning: Is(
            "They are spread uniformly over a disc of this radius around the asset's centre (where they live and work), bunkers and shelters too.",
        ),
        value: None,
    },
    KeyDoc {
        key: "light_shelter",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0`"),
        allowed: Is("[0, 1], with `hardened` at most 1"),
        meaning: Is(
            "The fraction in light shelters (buildings, sandbagged shelters) when the alarm sounds.",
        ),
        value: None,
    },
    KeyDoc {
        key: "hardened",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0`"),
        allowed: Is("[0, 1], with `light_shelter` at most 1"),
        meaning: Is(
            "The fraction in hardened bunkers when the alarm sounds. The rest are in the open.",
        ),
        value: None,
    },
    KeyDoc {
        key: "light_places",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("those in them at the alarm"),
        allowed: Is("at least those in them at the alarm"),
        meaning: Is(
            "Places in light shelters; people from the open take the spare ones when the bunkers are full.",
        ),
        value: None,
    },
    KeyDoc {
        key: "hardened_places",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`count`"),
        allowed: Is("at least those in them at the alarm"),
        meaning: Is(
            "Places in hardened bunkers; everyone not in one at the alarm makes for the spare ones, taken in the order they arrive.",
        ),
        value: None,
    },
    KeyDoc {
        key: "time_to_shelter",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_SHELTER_MEDIAN_S, 1.0, "s")),
        allowed: Is("> 0, at most 2 days"),
        meaning: Is(
            "Median time from the alarm for a person in the open to reach shelter (lognormal).",
        ),
        value: None,
    },
    KeyDoc {
        key: "time_to_shelter_spread",
        required: Is("no"),
        kind: Is("plain number"),
        default: Made(|| format!("`{}`", docs_number(DEFAULT_SHELTER_SIGMA))),
        allowed: Is("[0, 5]"),
        meaning: Is(
            "Standard deviation σ of the logarithm of that time (0: everyone takes the median).",
        ),
        value: None,
    },
];

/// `aircraft = { … }` of an `[[asset]]`.
pub static AIRCRAFT: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "count",
        required: Is("yes"),
        kind: Is("integer"),
        default: Is("—"),
        allowed: Made(|| format!("0 to {MAX_COUNT}")),
        meaning: Is("Aircraft at the asset before any dispersal."),
        value: None,
    },
    KeyDoc {
        key: "sheltered",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0`"),
        allowed: Is("[0, 1]"),
        meaning: Is(
            "The fraction in hardened aircraft shelters; the rest are in the open. Aircraft do not move on a tactical alarm.",
        ),
        value: None,
    },
];

/// `[passive_defense]`.
pub static PASSIVE_DEFENSE: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "warning",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"tactical\"`"),
        allowed: Is("`none`, `tactical`, `strategic`"),
        meaning: Is(
            "`none`: no alarm sounds. `tactical`: an asset's alarm sounds when a radar's track or an early-warning launch cue first shows a threat endangers it, after the asset's alarm delay. `strategic`: as tactical, and a warning `strategic_lead` before the epoch evacuates, disperses and shelters.",
        ),
        value: None,
    },
    KeyDoc {
        key: "strategic_lead",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_STRATEGIC_LEAD_S, 3600.0, "h")),
        allowed: Is("[0, 2 days]"),
        meaning: Is("How long before the epoch the strategic warning is given."),
        value: None,
    },
    KeyDoc {
        key: "evacuate",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0`"),
        allowed: Is("[0, 1]"),
        meaning: Is(
            "With a strategic warning, the fraction of each asset's people moved away before the raid.",
        ),
        value: None,
    },
    KeyDoc {
        key: "disperse",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0`"),
        allowed: Is("[0, 1]"),
        meaning: Is(
            "With a strategic warning, the fraction of each asset's aircraft flown away before the raid.",
        ),
        value: None,
    },
    KeyDoc {
        key: "light_shelter_protection",
        required: Is("no"),
        kind: Is("plain number"),
        default: Made(|| format!("`{}`", docs_number(DEFAULT_LIGHT_PROTECTION))),
        allowed: Is("[1, 10⁶]"),
        meaning: Is(
            "Protection factor of a light shelter: it divides the lethal and injury areas (radii by its square root). Notional.",
        ),
        value: None,
    },
    KeyDoc {
        key: "hardened_protection",
        required: Is("no"),
        kind: Is("plain number"),
        default: Made(|| format!("`{}`", docs_number(DEFAULT_HARDENED_PROTECTION))),
        allowed: Is("[1, 10⁶]"),
        meaning: Is("Protection factor of a hardened bunker. Notional."),
        value: None,
    },
    KeyDoc {
        key: "light_shelter_injury_protection",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`light_shelter_protection`"),
        allowed: Is("[1, 10⁶]"),
        meaning: Is(
            "Protection factor of a light shelter against injury (it divides the injury area). Notional.",
        ),
        value: None,
    },
    KeyDoc {
        key: "hardened_injury_protection",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`hardened_protection`"),
        allowed: Is("[1, 10⁶]"),
        meaning: Is(
            "Protection factor of a hardened bunker against injury: blast reaches into a bunker that stops fragments, so it may be far smaller than `hardened_protection`. Notional.",
        ),
        value: None,
    },
    KeyDoc {
        key: "aircraft_shelter_protection",
        required: Is("no"),
        kind: Is("plain number"),
        default: Made(|| format!("`{}`", docs_number(DEFAULT_AIRCRAFT_SHELTER_PROTECTION))),
        allowed: Is("[1, 10⁶]"),
        meaning: Is("Protection factor of a hardened aircraft shelter. Notional."),
        value: None,
    },
];

/// A default radius's text: `per_kg` m per cube root of a kilogram.
pub(crate) fn scaled_radius_text(per_kg: f64) -> String {
    format!("{} m × (warhead in kg)^⅓", docs_number(per_kg))
}

/// The default radii's texts, for the threat type's spec.
pub(crate) fn lethal_default() -> String {
    scaled_radius_text(SCALED_LETHAL_RADIUS)
}
/// See [`lethal_default`].
pub(crate) fn injury_default() -> String {
    scaled_radius_text(SCALED_INJURY_RADIUS)
}
/// See [`lethal_default`].
pub(crate) fn aircraft_default() -> String {
    scaled_radius_text(SCALED_AIRCRAFT_RADIUS)
}
/// The default warhead masses by kind, for the threat type's spec.
pub(crate) fn warhead_defaults() -> String {
    DEFAULT_WARHEAD_KG
        .iter()
        .map(|(k, m)| format!("{k} {} kg", docs_number(*m)))
        .collect::<Vec<_>>()
        .join(", ")
}
