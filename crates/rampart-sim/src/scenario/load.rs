//! The scenario loader: TOML text → a checked [`Scenario`] in SI units and WGS-84.
//!
//! Three passes, each stopping at the first error (which names the file, line and column):
//!
//! 1. **TOML** into the raw, spanned structs of [`super::raw`]; malformed TOML and unknown keys
//!    are reported here (with a did-you-mean for unknown keys).
//! 2. **Conversion**, table by table: required keys, units (`"160 km"`, `"Mach 0.8"`,
//!    `"-10 dBsm"`; a bare number where a unit matters is an error), allowed ranges, names that
//!    must resolve (threat types and assets, with a did-you-mean), unique names, launch and
//!    first-scan times within the scenario.
//! 3. **Reachability**, the expensive check, last: each ballistic raid's aim point must lie
//!    within the type's range envelope along the launch-to-aim azimuth (flown through the full
//!    physics, cached per threat type, launch site and aim point); each air-breathing raid's route
//!    must be within the type's maximum range.
//!
//! A scenario that passes all three then gets its warnings (`warnings`): a defense that cannot
//! fight, judged on the raids' nominal flights.
//!
//! One file per responsibility under `load/`: `diagnostics` (building errors), `quantities`
//! (values with units and their ranges), `threats` (threat types and raids), `sensors`
//! (radars), `tracker` (a radar's tracker table, and `rampart track`'s tracker file, read
//! with the same machinery), `defense` (interceptor types and fire units), `reach` (the
//! reachability check), `limits` (physical ranges and bounds on a run's work), `battle` (the
//! `[battle_management]` table) and `warnings`. This file holds the entry points and the
//! `[scenario]` and `[[asset]]` tables.
//!
//! The models a file names — an interceptor type's `guidance` law, the `wta_solver` — are
//! looked up in a [`Registry`]: [`load`] and [`parse`] use [`Registry::builtin`], [`load_with`]
//! and [`parse_with`] the one given.

use super::error::ScenarioError;
use super::model::{Asset, Scenario};
use super::raw::{RawAsset, RawFile, RawHeader, RawValue};
use crate::bmc::wta::AutoWtaSolver;
use crate::registry::Registry;
use quantities::Bound;
use rampart_core::calendar::format_utc;
use rampart_core::input::{MAX_SCENARIO_BYTES, read_limited};
use serde_spanned::Spanned;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

type Result<T> = std::result::Result<T, ScenarioError>;

mod battle;
mod defense;
mod diagnostics;
mod dis_in;
mod early_warning;
mod gun;
pub(super) mod keys;
mod limits;
mod network;
mod passive;
mod quantities;
mod reach;
mod sensors;
#[cfg(test)]
mod tests;
mod threats;
mod tracker;
mod warnings;
pub use battle::BATTLE_MANAGEMENT;
pub use defense::DEFAULT_INTERCEPTOR_RCS_M2;
pub use defense::keys::{FIRE_UNIT, INTERCEPTOR_TYPE, LAUNCHERS};
pub use dis_in::{DIS, DIS_IN, DIS_IN_ENTITY};
pub use early_warning::EARLY_WARNING;
pub use gun::GUN;
pub use limits::{MAX_DURATION_S, MAX_FALSE_ALARMS_PER_SCAN, MAX_SCANS_PER_RADAR, MAX_THREATS};
pub use network::{NETWORK, NETWORK_LINK};
pub use passive::{AIRCRAFT, DEFAULT_WARHEAD_KG, PASSIVE_DEFENSE, PERSONNEL};
/// The texts of the warhead keys' defaults.
pub(crate) mod passive_docs {
    pub(crate) use super::passive::{
        aircraft_default, injury_default, lethal_default, warhead_defaults,
    };
}
pub use sensors::DEFAULT_RANGE_GATE_M;
pub use sensors::keys::RADAR;
pub use threats::MAX_RAID_COUNT;
pub use threats::keys::{AIR_BREATHING, BALLISTIC, PROJECTILE, RAID, REENTRY_VEHICLE, THREAT_TYPE};
pub use tracker::{load_tracker, parse_tracker};

/// Reads and checks the scenario file at `path`, with the built-in models
/// ([`Registry::builtin`]).
///
/// An unreadable file, an empty one, and one that is not UTF-8 text or contains NUL bytes are
/// errors naming the file; everything else is as for [`parse`].
pub fn load(path: &Path) -> Result<Scenario> {
    load_with(path, &Registry::builtin())
}

/// [`load`] with the guidance laws and WTA solvers of `registry`.
pub fn load_with(path: &Path, registry: &Registry) -> Result<Scenario> {
    let file = path.display().to_string();
    let text = read_source(path, &file, "scenario")?;
    parse_with(&text, &file, registry)
}

/// The text of the file at `path` (named `file` in errors), a `what` ("scenario", "tracker
/// file"): refused when unreadable, too large, or not UTF-8 text.
fn read_source(path: &Path, file: &str, what: &str) -> Result<String> {
    let bytes = read_limited(path, MAX_SCENARIO_BYTES)
        .map_err(|e| ScenarioError::new(file, "", format!("cannot read the {what} file: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // The text before the first bad byte is shown, with the caret just after it.
            let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let prefix = match prefix.find('\0') {
                Some(nul) => return Err(not_text(file, &prefix, nul, what)),
                None => prefix,
            };
            let byte = bytes.get(good).copied().unwrap_or(0);
            Err(ScenarioError::new(
                file,
                prefix,
                format!(
                    "the file is not UTF-8 text: byte {good} (0x{byte:02x}) is not valid UTF-8"
                ),
            )
            .with_span(good..good)
            .with_label("the text stops being UTF-8 here")
            .with_help(format!(
                "a {what} is a UTF-8 TOML text file; is this the right file?"
            )))
        }
    }
}

/// The error for text that contains a NUL byte at byte `nul`: binary data, not a `what`.
fn not_text(file: &str, text: &str, nul: usize, what: &str) -> ScenarioError {
    let prefix = text.get(..nul).unwrap_or("");
    ScenarioError::new(
        file,
        prefix,
        format!("the file is not text: it contains a NUL byte at byte {nul}"),
    )
    .with_span(nul..nul)
    .with_label("NUL byte here")
    .with_help(format!(
        "a {what} is a UTF-8 TOML text file; is this the right file?"
    ))
}

/// Checks the scenario text `text` with the built-in models ([`Registry::builtin`]);
/// `file_name` is used in error messages.
pub fn parse(text: &str, file_name: &str) -> Result<Scenario> {
    parse_with(text, file_name, &Registry::builtin())
}

/// [`parse`] with the guidance laws and WTA solvers of `registry`: a name the file gives
/// (`guidance`, `wta_solver`) must be registered there.
pub fn parse_with(text: &str, file_name: &str, registry: &Registry) -> Result<Scenario> {
    let cx = Ctx {
        file: file_name,
        src: text,
        registry,
    };
    if text.trim().is_empty() {
        return Err(cx
            .error(0..0, "the scenario file is empty")
            .with_help(SCENARIO_HELP));
    }
    if let Some(nul) = text.find('\0') {
        return Err(not_text(file_name, text, nul, "scenario"));
    }
    let raw: RawFile = toml::from_str(text).map_err(|e| cx.toml_error(&e))?;
    let header = raw.scenario.as_ref().ok_or_else(|| {
        cx.error(0..0, "the file has no [scenario] section")
            .with_help(SCENARIO_HELP)
    })?;
    let (mut scenario, epoch) = cx.header(header)?;

    for (i, a) in raw.asset.iter().enumerate() {
        let asset = cx.asset(i, a, &scenario.assets)?;
        scenario.assets.push(asset);
    }

    // A map is read in name order; the file order is the order of the spans.
    let mut types: Vec<_> = raw.threat_type.iter().collect();
    types.sort_by_key(|(name, _)| name.span().start);
    let mut type_spans = Vec::with_capacity(types.len());
    let has_radars = !raw.radar.is_empty();
    for (name, ty) in types {
        scenario
            .threat_types
            .push(cx.threat_type(name, ty, has_radars)?);
        type_spans.push(name.span());
    }

    let mut aim_spans = Vec::with_capacity(raw.raid.len());
    let mut threats: u64 = 0;
    for (i, r) in raw.raid.iter().enumerate() {
        let (raid, aim_span) = cx.raid(i, r, &scenario, epoch)?;
        threats += u64::from(raid.count);
        if threats > MAX_THREATS {
            return Err(cx
                .error(
                    r.span(),
                    format!(
                        "the raids up to this one launch {threats} threats, more than the {MAX_THREATS} a scenario may hold"
                    ),
                )
                .with_label("one raid too many"));
        }
        scenario.raids.push(raid);
        aim_spans.push(aim_span);
    }

    for (i, r) in raw.radar.iter().enumerate() {
        let radar = cx.radar(i, r, &scenario, epoch)?;
        scenario.radars.push(radar);
    }
    for (i, w) in raw.early_warning.iter().enumerate() {
        let sensor = cx.early_warning(i, w, &scenario)?;
        scenario.early_warning.push(sensor);
    }

    let mut interceptors: Vec<_> = raw.interceptor_type.iter().collect();
    interceptors.sort_by_key(|(name, _)| name.span().start);
    for (name, ty) in interceptors {
        let it = cx.interceptor_type(name, ty)?;
        scenario.interceptor_types.push(it);
    }
    for (i, u) in raw.fire_unit.iter().enumerate() {
        let unit = cx.fire_unit(i, u, &scenario)?;
        scenario.fire_units.push(unit);
    }
    for (i, g) in raw.gun.iter().enumerate() {
        let gun = cx.gun(i, g, &scenario)?;
        scenario.guns.push(gun);
    }
    scenario.wta_solver = cx.battle_management(raw.battle_management.as_ref())?;
    scenario.lower_tier_first = cx.lower_tier_first(raw.battle_management.as_ref())?;
    scenario.value_per_cost = cx.value_per_cost(raw.battle_management.as_ref(), &raw, &scenario)?;
    scenario.network = cx.network(raw.network.as_ref(), &scenario)?;
    scenario.passive = cx.passive_defense(raw.passive_defense.as_ref())?;
    scenario.dis = cx.dis(raw.dis.as_ref())?;
    scenario.dis_in = cx.dis_in(raw.dis_in.as_ref(), &scenario)?;

    cx.check_reach(&mut scenario, &aim_spans, &type_spans)?;
    scenario.warnings = cx.warnings(&scenario, &raw);
    Ok(scenario)
}

const SCENARIO_HELP: &str = "a scenario file starts with a [scenario] table giving at least \
    `name`, `epoch` (e.g. 2020-01-07T22:30:00Z) and `duration` (e.g. \"2 h\")";

/// The file being read: its name and text, for errors, and the models it may name.
struct Ctx<'a> {
    file: &'a str,
    src: &'a str,
    registry: &'a Registry,
}

/// A table being read, for "missing key" errors: how to name it and where it starts.
struct Table {
    title: String,
    span: Range<usize>,
}

/// A key that is present: its name and its value.
#[derive(Clone, Copy)]
struct Key<'v> {
    name: &'static str,
    value: &'v RawValue,
}

impl Key<'_> {
    fn span(&self) -> Range<usize> {
        self.value.span()
    }
}

/// The key `name` if present.
fn key<'v>(value: &'v Option<RawValue>, name: &'static str) -> Option<Key<'v>> {
    value.as_ref().map(|value| Key { name, value })
}

/// Reads an optional key with `read`, or gives `default` when it is absent.
fn or<T>(key: Option<Key<'_>>, default: T, read: impl FnOnce(Key<'_>) -> Result<T>) -> Result<T> {
    key.map_or(Ok(default), read)
}

impl Ctx<'_> {
    /// `key` is missing from `table`.
    fn missing(&self, key: &str, table: &Table) -> ScenarioError {
        self.error(
            table.span.clone(),
            format!("missing required key `{key}` in {}", table.title),
        )
        .with_label(format!("`{key}` is required here"))
    }

    /// The value of a required key.
    fn need<'v, T>(&self, value: &'v Option<T>, key: &str, table: &Table) -> Result<&'v T> {
        value.as_ref().ok_or_else(|| self.missing(key, table))
    }

    /// The required key `name` of `table`.
    fn need_key<'v>(
        &self,
        value: &'v Option<RawValue>,
        name: &'static str,
        table: &Table,
    ) -> Result<Key<'v>> {
        key(value, name).ok_or_else(|| self.missing(name, table))
    }

    /// `[scenario]`: the scenario with no assets, types or raids yet, and its epoch in ns since
    /// 1970.
    fn header(&self, h: &Spanned<RawHeader>) -> Result<(Scenario, i128)> {
        let t = Table {
            title: "[scenario]".into(),
            span: h.span(),
        };
        let r = h.get_ref();
        let name = self.need(&r.name, "name", &t)?;
        if name.get_ref().trim().is_empty() {
            return Err(self.error(name.span(), "the scenario name is empty"));
        }
        let epoch = self.instant(self.need_key(&r.epoch, "epoch", &t)?)?;
        let epoch_text = format_utc(epoch).ok_or_else(|| {
            self.error(
                r.epoch.as_ref().map_or(t.span.clone(), Spanned::span),
                "epoch must fall within the years 0000 to 9999 UTC",
            )
        })?;
        let duration =
            self.duration(self.need_key(&r.duration, "duration", &t)?, Bound::Positive)?;
        let seed = or(key(&r.seed, "seed"), 1, |k| self.integer(k, 0))?;
        let scenario = Scenario {
            name: name.get_ref().clone(),
            description: r
                .description
                .as_ref()
                .map(|d| d.get_ref().clone())
                .unwrap_or_default(),
            epoch: epoch_text,
            duration,
            seed: seed.unsigned_abs(), // checked to be 0 or more
            assets: Vec::new(),
            threat_types: Vec::new(),
            raids: Vec::new(),
            radars: Vec::new(),
            interceptor_types: Vec::new(),
            fire_units: Vec::new(),
            guns: Vec::new(),
            lower_tier_first: true,
            value_per_cost: 0.0,
            wta_solver: Arc::new(AutoWtaSolver),
            network: crate::network::NetworkParams::default(),
            dis: Default::default(),
            dis_in: None,
            early_warning: Vec::new(),
            passive: Default::default(),
            warnings: Vec::new(),
        };
        Ok((scenario, epoch))
    }

    /// A name that must not be empty nor repeat one of `earlier` (the names of the `table`s
    /// before it): "duplicate radar name `X`", pointing at the earlier table.
    pub(super) fn unique_name<'e>(
        &self,
        name: &Spanned<String>,
        word: &str,
        table: &str,
        earlier: impl Iterator<Item = &'e str>,
    ) -> Result<()> {
        if name.get_ref().trim().is_empty() {
            return Err(self.error(name.span(), format!("the {word} name is empty")));
        }
        let mut earlier = earlier;
        if let Some(first) = earlier.position(|e| e == name.get_ref()) {
            return Err(self
                .error(
                    name.span(),
                    format!("duplicate {word} name `{}`", name.get_ref()),
                )
                .with_label("already used")
                .with_help(format!(
                    "{table} #{} has this name; {word} names must be unique",
                    first + 1
                )));
        }
        Ok(())
    }

    /// The `i`-th (0-based) `[[asset]]`; `earlier` are the assets before it.
    fn asset(&self, i: usize, a: &Spanned<RawAsset>, earlier: &[Asset]) -> Result<Asset> {
        let t = Table {
            title: format!("[[asset]] #{}", i + 1),
            span: a.span(),
        };
        let r = a.get_ref();
        let name = self.need(&r.name, "name", &t)?;
        self.unique_name(
            name,
            "asset",
            "[[asset]]",
            earlier.iter().map(|e| e.name.as_str()),
        )?;
        let pos = self.need(&r.position, "position", &t)?;
        let position = self.position(
            pos.get_ref(),
            pos.span(),
            format!("`position` of {}", t.title),
        )?;
        let radius_m = self.length(self.need_key(&r.radius, "radius", &t)?, Bound::Positive)?;
        let value = or(key(&r.value, "value"), 1.0, |k| {
            self.number(k, Bound::Positive)
        })?;
        let (alarm_delay_s, alarm_delay_spread_s, personnel, aircraft) =
            self.asset_passive(r, &t, radius_m)?;
        Ok(Asset {
            name: name.get_ref().clone(),
            position,
            radius_m,
            value,
            alarm_delay_s,
            alarm_delay_spread_s,
            personnel,
            aircraft,
        })
    }
}
