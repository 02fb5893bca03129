//! The scenario file as TOML gives it, before any checking.
//!
//! Every key is optional and carries its byte span ([`Spanned`]), so the loader itself says which
//! required key is missing and points at the value that is wrong; every table denies unknown keys.
//! Quantities are kept as raw TOML values ([`RawValue`]): a string goes to
//! [`rampart_core::units::parse_quantity`], a bare number is an error where a unit is needed.

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor, value::MapAccessDeserializer};
use serde_spanned::Spanned;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

/// A TOML value with its span.
pub(super) type RawValue = Spanned<toml::Value>;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    /// `[scenario]`.
    pub scenario: Option<Spanned<RawHeader>>,
    /// `[[asset]]` tables.
    #[serde(default)]
    pub asset: Vec<Spanned<RawAsset>>,
    /// `[threat_type.NAME]` tables, by name (sorted by name; the span gives the file order).
    #[serde(default)]
    pub threat_type: BTreeMap<Spanned<String>, Spanned<RawThreatType>>,
    /// `[[raid]]` tables.
    #[serde(default)]
    pub raid: Vec<Spanned<RawRaid>>,
    /// `[[radar]]` tables.
    #[serde(default)]
    pub radar: Vec<Spanned<RawRadar>>,
    /// `[interceptor_type.NAME]` tables, by name (the span gives the file order).
    #[serde(default)]
    pub interceptor_type: BTreeMap<Spanned<String>, Spanned<RawInterceptorType>>,
    /// `[[fire_unit]]` tables.
    #[serde(default)]
    pub fire_unit: Vec<Spanned<RawFireUnit>>,
    /// `[battle_management]`.
    pub battle_management: Option<Spanned<RawBattleManagement>>,
    /// `[network]`.
    pub network: Option<Spanned<RawNetwork>>,
    /// `[[early_warning]]`.
    #[serde(default)]
    pub early_warning: Vec<Spanned<RawEarlyWarning>>,
    /// `[[gun]]`.
    #[serde(default)]
    pub gun: Vec<Spanned<RawGun>>,
    /// `[passive_defense]`.
    pub passive_defense: Option<Spanned<RawPassiveDefense>>,
    /// `[dis]`.
    pub dis: Option<Spanned<RawDis>>,
    /// `[dis_in]`.
    pub dis_in: Option<Spanned<RawDisIn>>,
}

/// `[dis]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDis {
    pub exercise: Option<RawValue>,
    pub site: Option<RawValue>,
    pub application: Option<RawValue>,
}

/// `[dis_in]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDisIn {
    pub exercise: Option<RawValue>,
    pub timeout: Option<RawValue>,
    pub entity: Option<Spanned<Vec<Spanned<RawDisInEntity>>>>,
}

/// `[[dis_in.entity]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDisInEntity {
    pub entity_type: Option<Spanned<String>>,
    pub threat_type: Option<Spanned<String>>,
}

/// `[scenario]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub name: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub epoch: Option<RawValue>,
    pub duration: Option<RawValue>,
    pub seed: Option<RawValue>,
}

/// A `{ lat, lon, alt }` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPosition {
    pub lat: Option<RawValue>,
    pub lon: Option<RawValue>,
    pub alt: Option<RawValue>,
}

/// `[[asset]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAsset {
    pub name: Option<Spanned<String>>,
    pub position: Option<Spanned<RawPosition>>,
    pub radius: Option<RawValue>,
    pub value: Option<RawValue>,
    pub alarm_delay: Option<RawValue>,
    pub alarm_delay_spread: Option<RawValue>,
    pub personnel: Option<Spanned<RawPersonnel>>,
    pub aircraft: Option<Spanned<RawAircraft>>,
}

/// `personnel = { count, … }` of an `[[asset]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPersonnel {
    pub count: Option<RawValue>,
    pub radius: Option<RawValue>,
    pub light_shelter: Option<RawValue>,
    pub hardened: Option<RawValue>,
    pub light_places: Option<RawValue>,
    pub hardened_places: Option<RawValue>,
    pub time_to_shelter: Option<RawValue>,
    pub time_to_shelter_spread: Option<RawValue>,
}

/// `aircraft = { count, sheltered }` of an `[[asset]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAircraft {
    pub count: Option<RawValue>,
    pub sheltered: Option<RawValue>,
}

/// `[passive_defense]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPassiveDefense {
    pub warning: Option<Spanned<String>>,
    pub strategic_lead: Option<RawValue>,
    pub evacuate: Option<RawValue>,
    pub disperse: Option<RawValue>,
    pub light_shelter_protection: Option<RawValue>,
    pub hardened_protection: Option<RawValue>,
    pub light_shelter_injury_protection: Option<RawValue>,
    pub hardened_injury_protection: Option<RawValue>,
    pub aircraft_shelter_protection: Option<RawValue>,
}

/// `[threat_type.NAME]`: the keys of every kind; the loader checks which belong to `kind`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawThreatType {
    pub kind: Option<Spanned<String>>,
    pub reliability: Option<RawValue>,
    pub rcs: Option<RawValue>,
    pub swerling: Option<RawValue>,
    pub vulnerable_area: Option<RawValue>,
    pub warhead: Option<RawValue>,
    pub lethal_radius: Option<RawValue>,
    pub injury_radius: Option<RawValue>,
    pub aircraft_lethal_radius: Option<RawValue>,
    // Ballistic.
    pub launch_mass: Option<RawValue>,
    pub propellant_mass: Option<RawValue>,
    pub burn_time: Option<RawValue>,
    pub isp: Option<RawValue>,
    pub diameter: Option<RawValue>,
    pub body_drag_coefficient: Option<RawValue>,
    pub vertical_rise: Option<RawValue>,
    pub reentry_vehicle: Option<Spanned<RawReentryVehicle>>,
    pub drag_profile: Option<Spanned<Vec<RawValue>>>,
    // Air-breathing.
    pub speed: Option<RawValue>,
    pub altitude: Option<RawValue>,
    pub max_range: Option<RawValue>,
    pub turn_rate: Option<RawValue>,
    pub dive_angle: Option<RawValue>,
    pub climb_angle: Option<RawValue>,
    // Projectile.
    pub muzzle_velocity: Option<RawValue>,
    pub angle_of_fire: Option<Spanned<String>>,
}

impl RawThreatType {
    /// The ballistic-only keys that are present, with the spans of their values.
    pub fn ballistic_keys(&self) -> Vec<(&'static str, Range<usize>)> {
        present([
            ("launch_mass", self.launch_mass.as_ref().map(Spanned::span)),
            (
                "propellant_mass",
                self.propellant_mass.as_ref().map(Spanned::span),
            ),
            ("burn_time", self.burn_time.as_ref().map(Spanned::span)),
            ("isp", self.isp.as_ref().map(Spanned::span)),
            ("diameter", self.diameter.as_ref().map(Spanned::span)),
            (
                "body_drag_coefficient",
                self.body_drag_coefficient.as_ref().map(Spanned::span),
            ),
            (
                "vertical_rise",
                self.vertical_rise.as_ref().map(Spanned::span),
            ),
            (
                "reentry_vehicle",
                self.reentry_vehicle.as_ref().map(Spanned::span),
            ),
            (
                "drag_profile",
                self.drag_profile.as_ref().map(Spanned::span),
            ),
        ])
    }

    /// The air-breathing-only keys that are present, with the spans of their values.
    pub fn air_breathing_keys(&self) -> Vec<(&'static str, Range<usize>)> {
        present([
            ("speed", self.speed.as_ref().map(Spanned::span)),
            ("altitude", self.altitude.as_ref().map(Spanned::span)),
            ("max_range", self.max_range.as_ref().map(Spanned::span)),
            ("turn_rate", self.turn_rate.as_ref().map(Spanned::span)),
            ("dive_angle", self.dive_angle.as_ref().map(Spanned::span)),
            ("climb_angle", self.climb_angle.as_ref().map(Spanned::span)),
        ])
    }

    /// The projectile-only keys that are present, with the spans of their values.
    pub fn projectile_keys(&self) -> Vec<(&'static str, Range<usize>)> {
        present([
            (
                "muzzle_velocity",
                self.muzzle_velocity.as_ref().map(Spanned::span),
            ),
            (
                "angle_of_fire",
                self.angle_of_fire.as_ref().map(Spanned::span),
            ),
        ])
    }
}

fn present<const N: usize>(
    keys: [(&'static str, Option<Range<usize>>); N],
) -> Vec<(&'static str, Range<usize>)> {
    keys.into_iter()
        .filter_map(|(k, s)| s.map(|s| (k, s)))
        .collect()
}

/// `reentry_vehicle = { mass, ballistic_coefficient }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReentryVehicle {
    pub mass: Option<RawValue>,
    pub ballistic_coefficient: Option<RawValue>,
}

/// `[[raid]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRaid {
    pub threat_type: Option<Spanned<String>>,
    pub count: Option<RawValue>,
    pub launch_site: Option<Spanned<RawPosition>>,
    pub aim: Option<Spanned<RawAim>>,
    pub first_launch: Option<RawValue>,
    pub interval: Option<RawValue>,
    pub cep: Option<RawValue>,
    pub range_error: Option<RawValue>,
    pub deflection_error: Option<RawValue>,
    pub trajectory: Option<Spanned<String>>,
    pub burnout_angle: Option<RawValue>,
    pub apogee: Option<RawValue>,
    pub waypoints: Option<Spanned<Vec<Spanned<RawPosition>>>>,
}

/// `[[radar]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRadar {
    pub name: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub detection_range: Option<RawValue>,
    pub bearing_error: Option<RawValue>,
    pub range_error: Option<RawValue>,
    pub position: Option<Spanned<RawPosition>>,
    pub antenna_height: Option<RawValue>,
    pub boresight: Option<RawValue>,
    pub azimuth_span: Option<RawValue>,
    pub elevation_min: Option<RawValue>,
    pub elevation_max: Option<RawValue>,
    pub range_min: Option<RawValue>,
    pub range_max: Option<RawValue>,
    pub revisit: Option<RawValue>,
    pub track_revisit: Option<RawValue>,
    pub first_scan: Option<RawValue>,
    pub range_resolution: Option<RawValue>,
    pub beamwidth: Option<RawValue>,
    pub range_rate_resolution: Option<RawValue>,
    pub pfa: Option<RawValue>,
    pub reference_range: Option<RawValue>,
    pub reference_rcs: Option<RawValue>,
    pub reference_pd: Option<RawValue>,
    pub reference_swerling: Option<RawValue>,
    pub range_noise_floor: Option<RawValue>,
    pub angle_noise_floor: Option<RawValue>,
    pub range_rate_noise_floor: Option<RawValue>,
    pub monopulse_slope: Option<RawValue>,
    pub uptime: Option<RawValue>,
    pub clock: Option<Spanned<String>>,
    pub range_gate: Option<RawValue>,
    pub cued_gain: Option<RawValue>,
    /// `[radar.tracker]`: the tracker's own file format, shared with `rampart track`.
    pub tracker: Option<Spanned<rampart_track::config::TrackerConfig>>,
}

/// A raid's `aim`: an asset name or a position table.
#[derive(Debug)]
pub(super) enum RawAim {
    /// `aim = "Al Asad Air Base"`.
    Asset(String),
    /// `aim = { lat = …, lon = … }`.
    Point(RawPosition),
}

impl<'de> Deserialize<'de> for RawAim {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AimVisitor;
        impl<'de> Visitor<'de> for AimVisitor {
            type Value = RawAim;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an asset name or a position table { lat, lon, alt }")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RawAim, E> {
                Ok(RawAim::Asset(s.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawAim, A::Error> {
                // Going through the deserializer's own map keeps the spans of the inner keys.
                RawPosition::deserialize(MapAccessDeserializer::new(map)).map(RawAim::Point)
            }
        }
        d.deserialize_any(AimVisitor)
    }
}

/// `[interceptor_type.NAME]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInterceptorType {
    pub reliability: Option<RawValue>,
    pub rcs: Option<RawValue>,
    pub swerling: Option<RawValue>,
    pub launch_mass: Option<RawValue>,
    pub propellant_mass: Option<RawValue>,
    pub burn_time: Option<RawValue>,
    pub isp: Option<RawValue>,
    pub diameter: Option<RawValue>,
    pub drag_coefficient: Option<RawValue>,
    pub max_acceleration: Option<RawValue>,
    pub min_altitude: Option<RawValue>,
    pub max_altitude: Option<RawValue>,
    pub min_range: Option<RawValue>,
    pub max_range: Option<RawValue>,
    pub guidance: Option<Spanned<String>>,
    pub navigation_constant: Option<RawValue>,
    pub seeker_acquisition_range: Option<RawValue>,
    pub seeker_noise: Option<RawValue>,
    pub seeker: Option<Spanned<String>>,
    pub lethality: Option<Spanned<String>>,
    pub lethal_radius: Option<RawValue>,
    pub pk_max: Option<RawValue>,
    pub max_flight_time: Option<RawValue>,
    pub acquisition_grace: Option<RawValue>,
    pub planning_pk: Option<RawValue>,
    pub cost: Option<RawValue>,
}

/// `[[fire_unit]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFireUnit {
    pub name: Option<Spanned<String>>,
    pub enabled: Option<Spanned<bool>>,
    pub radar: Option<Spanned<String>>,
    pub channels: Option<RawValue>,
    pub doctrine: Option<Spanned<String>>,
    pub salvo: Option<RawValue>,
    pub salvo_interval: Option<RawValue>,
    pub kill_assessment: Option<RawValue>,
    pub defends: Option<Spanned<Vec<Spanned<String>>>>,
    pub fire_control: Option<Spanned<String>>,
    pub engages: Option<Spanned<Vec<Spanned<String>>>>,
    pub tier: Option<Spanned<String>>,
    pub launchers: Option<Spanned<Vec<Spanned<RawLauncher>>>>,
}

/// `[[fire_unit.launchers]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLauncher {
    pub position: Option<Spanned<RawPosition>>,
    pub interceptor: Option<Spanned<String>>,
    pub count: Option<RawValue>,
    pub rounds: Option<RawValue>,
    pub reloads: Option<RawValue>,
    pub reload_time: Option<RawValue>,
    pub launch_delay: Option<RawValue>,
}

/// `[battle_management]`: how the defense as a whole decides.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBattleManagement {
    pub wta_solver: Option<Spanned<String>>,
    pub lower_tier_first: Option<RawValue>,
    pub value_per_cost: Option<RawValue>,
}

/// `[network]`: the links to the fusion and battle-management node.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNetwork {
    pub enabled: Option<Spanned<bool>>,
    pub track_timeout: Option<RawValue>,
    pub latency: Option<RawValue>,
    pub latency_spread: Option<RawValue>,
    pub loss: Option<RawValue>,
    pub link: Option<Spanned<Vec<Spanned<RawLink>>>>,
}

/// `[[network.link]]`: one radar's or fire unit's link, where it differs from the default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLink {
    pub sensor: Option<Spanned<String>>,
    pub fire_unit: Option<Spanned<String>>,
    pub latency: Option<RawValue>,
    pub latency_spread: Option<RawValue>,
    pub loss: Option<RawValue>,
    pub outages: Option<Spanned<Vec<Spanned<Vec<RawValue>>>>>,
}

/// `[[gun]]`: a counter-rocket, artillery and mortar gun.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGun {
    pub name: Option<Spanned<String>>,
    pub radar: Option<Spanned<String>>,
    pub position: Option<Spanned<RawPosition>>,
    pub defends: Option<Spanned<Vec<Spanned<String>>>>,
    pub muzzle_velocity: Option<RawValue>,
    pub round_mass: Option<RawValue>,
    pub calibre: Option<RawValue>,
    pub drag_coefficient: Option<RawValue>,
    pub rate_of_fire: Option<RawValue>,
    pub burst: Option<RawValue>,
    pub dispersion: Option<RawValue>,
    pub aim_error: Option<RawValue>,
    pub self_destruct: Option<RawValue>,
    pub max_range: Option<RawValue>,
    pub min_elevation: Option<RawValue>,
    pub magazine: Option<RawValue>,
    pub reaction_time: Option<RawValue>,
    pub barrel_limit: Option<RawValue>,
    pub cooling_time: Option<RawValue>,
    pub engages: Option<Spanned<Vec<Spanned<String>>>>,
    pub min_pk: Option<RawValue>,
    pub planning_vulnerable_area: Option<RawValue>,
    pub round_cost: Option<RawValue>,
    pub max_target_speed: Option<RawValue>,
}

/// `[[early_warning]]`: a space-based early-warning sensor.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEarlyWarning {
    pub name: Option<Spanned<String>>,
    pub first_look: Option<RawValue>,
    pub revisit: Option<RawValue>,
    pub detection_altitude: Option<RawValue>,
    pub pd: Option<RawValue>,
    pub position_error: Option<RawValue>,
    pub delay: Option<RawValue>,
    pub launch_time_error: Option<RawValue>,
    pub launch_point_error: Option<RawValue>,
    pub heading_error: Option<RawValue>,
    pub cue_hold: Option<RawValue>,
}
