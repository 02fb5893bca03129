//! The specs against the docs and against the raw serde structs.

use super::*;
use crate::scenario::raw::{
    RawAircraft, RawAsset, RawBattleManagement, RawDis, RawDisIn, RawDisInEntity, RawEarlyWarning,
    RawFile, RawFireUnit, RawGun, RawHeader, RawInterceptorType, RawLauncher, RawLink, RawNetwork,
    RawPassiveDefense, RawPersonnel, RawPosition, RawRadar, RawRaid, RawReentryVehicle,
    RawThreatType,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;

/// Every key table of docs/scenario-format.md: (its marker, the table rendered from its spec).
fn rendered() -> Vec<(&'static str, String)> {
    use Columns::{Full, Short};
    vec![
        ("scenario", markdown(SCENARIO, Full)),
        ("asset", markdown(ASSET, Full)),
        ("personnel", markdown(PERSONNEL, Full)),
        ("aircraft", markdown(AIRCRAFT, Full)),
        ("position", markdown(POSITION, Full)),
        ("threat_type", markdown(THREAT_TYPE, Full)),
        ("ballistic", markdown(BALLISTIC, Full)),
        ("reentry_vehicle", markdown(REENTRY_VEHICLE, Short)),
        ("air_breathing", markdown(AIR_BREATHING, Full)),
        ("projectile", markdown(PROJECTILE, Full)),
        ("raid", markdown(RAID, Full)),
        ("radar", markdown(RADAR, Full)),
        ("interceptor_type", markdown(INTERCEPTOR_TYPE, Full)),
        ("fire_unit", markdown(FIRE_UNIT, Full)),
        ("launchers", markdown(LAUNCHERS, Full)),
        ("battle_management", markdown(BATTLE_MANAGEMENT, Full)),
        ("early_warning", markdown(EARLY_WARNING, Full)),
        ("gun", markdown(GUN, Full)),
        ("network", markdown(NETWORK, Full)),
        ("network_link", markdown(NETWORK_LINK, Full)),
        ("passive_defense", markdown(PASSIVE_DEFENSE, Full)),
        ("dis", markdown(DIS, Full)),
        ("dis_in", markdown(DIS_IN, Full)),
        ("dis_in_entity", markdown(DIS_IN_ENTITY, Full)),
    ]
}

const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/scenario-format.md");
const END: &str = "<!-- /keys -->\n";

/// `docs` with the table under each marker replaced by its rendering; the markers found.
fn regenerate(docs: &str, tables: &[(&str, String)]) -> (String, Vec<String>) {
    let mut out = String::with_capacity(docs.len());
    let mut found = Vec::new();
    let mut rest = docs;
    while let Some(at) = rest.find("<!-- keys: ") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let open_end = from.find("-->\n").expect("an unclosed keys marker") + 4;
        let name = from["<!-- keys: ".len()..open_end - 4].trim().to_string();
        let close = from
            .find(END)
            .expect("a keys marker without <!-- /keys -->");
        out.push_str(&from[..open_end]);
        match tables.iter().find(|(n, _)| *n == name) {
            Some((_, table)) => out.push_str(table),
            None => out.push_str(&from[open_end..close]),
        }
        out.push_str(END);
        found.push(name);
        rest = &from[close + END.len()..];
    }
    out.push_str(rest);
    (out, found)
}

#[test]
fn the_docs_key_tables_are_the_specs() {
    let docs = std::fs::read_to_string(DOCS).expect("docs/scenario-format.md");
    let tables = rendered();
    let (regenerated, found) = regenerate(&docs, &tables);
    let names: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        found, names,
        "docs/scenario-format.md must hold one <!-- keys: NAME --> … <!-- /keys --> per spec, in this order"
    );
    if regenerated == docs {
        return;
    }
    if std::env::var_os("RAMPART_UPDATE_DOCS").is_some() && std::env::var_os("CI").is_none() {
        std::fs::write(DOCS, &regenerated).expect("rewrite docs/scenario-format.md");
        return;
    }
    let first = docs
        .lines()
        .zip(regenerated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(0);
    panic!(
        "docs/scenario-format.md differs from the key specs from line {}:\n  docs: {}\n  spec: {}\n\
         rerun with RAMPART_UPDATE_DOCS=1 to rewrite the docs' key tables",
        first + 1,
        docs.lines().nth(first).unwrap_or(""),
        regenerated.lines().nth(first).unwrap_or("")
    );
}

/// The keys a raw serde struct accepts, from serde's "unknown field `…`, expected one of `a`,
/// `b`, …" for a key no table has.
fn accepted<T: DeserializeOwned + std::fmt::Debug>() -> BTreeSet<String> {
    let err = toml::from_str::<T>("zz_not_a_key = 1").expect_err("an unknown key");
    let message = err.message().to_string();
    let tail = message
        .strip_prefix("unknown field `zz_not_a_key`")
        .unwrap_or_else(|| panic!("not an unknown-field error: {message}"));
    tail.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn spec_keys<T>(specs: &[&[KeyDoc<T>]]) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for spec in specs {
        for k in *spec {
            assert!(keys.insert(k.key.to_string()), "`{}` twice", k.key);
        }
    }
    keys
}

#[test]
fn each_raw_struct_accepts_exactly_the_keys_its_spec_documents() {
    assert_eq!(
        accepted::<RawHeader>(),
        spec_keys(&[SCENARIO]),
        "[scenario]"
    );
    assert_eq!(accepted::<RawAsset>(), spec_keys(&[ASSET]), "[[asset]]");
    assert_eq!(
        accepted::<RawPersonnel>(),
        spec_keys(&[PERSONNEL]),
        "personnel"
    );
    assert_eq!(
        accepted::<RawAircraft>(),
        spec_keys(&[AIRCRAFT]),
        "aircraft"
    );
    assert_eq!(
        accepted::<RawPassiveDefense>(),
        spec_keys(&[PASSIVE_DEFENSE]),
        "[passive_defense]"
    );
    assert_eq!(
        accepted::<RawPosition>(),
        spec_keys(&[POSITION]),
        "positions"
    );
    // The projectile kind shares its mass, calibre, drag and motor keys with the ballistic.
    let mut threat_type = spec_keys(&[THREAT_TYPE, BALLISTIC, AIR_BREATHING]);
    threat_type.extend(PROJECTILE.iter().map(|k| k.key.to_string()));
    assert_eq!(
        accepted::<RawThreatType>(),
        threat_type,
        "[threat_type.NAME]"
    );
    assert_eq!(
        accepted::<RawReentryVehicle>(),
        spec_keys(&[REENTRY_VEHICLE]),
        "reentry_vehicle"
    );
    assert_eq!(accepted::<RawRaid>(), spec_keys(&[RAID]), "[[raid]]");
    assert_eq!(
        accepted::<RawInterceptorType>(),
        spec_keys(&[INTERCEPTOR_TYPE]),
        "[interceptor_type.NAME]"
    );
    assert_eq!(
        accepted::<RawFireUnit>(),
        spec_keys(&[FIRE_UNIT]),
        "[[fire_unit]]"
    );
    assert_eq!(
        accepted::<RawLauncher>(),
        spec_keys(&[LAUNCHERS]),
        "[[fire_unit.launchers]]"
    );
    assert_eq!(
        accepted::<RawBattleManagement>(),
        spec_keys(&[BATTLE_MANAGEMENT]),
        "[battle_management]"
    );
    assert_eq!(accepted::<RawNetwork>(), spec_keys(&[NETWORK]), "[network]");
    assert_eq!(
        accepted::<RawEarlyWarning>(),
        spec_keys(&[EARLY_WARNING]),
        "[[early_warning]]"
    );
    assert_eq!(accepted::<RawGun>(), spec_keys(&[GUN]), "[[gun]]");
    assert_eq!(
        accepted::<RawLink>(),
        spec_keys(&[NETWORK_LINK]),
        "[[network.link]]"
    );
    assert_eq!(accepted::<RawDis>(), spec_keys(&[DIS]), "[dis]");
    assert_eq!(accepted::<RawDisIn>(), spec_keys(&[DIS_IN]), "[dis_in]");
    assert_eq!(
        accepted::<RawDisInEntity>(),
        spec_keys(&[DIS_IN_ENTITY]),
        "[[dis_in.entity]]"
    );
}

#[test]
fn the_radar_struct_accepts_the_documented_keys() {
    // `tracker` (its own keys in docs/tracking.md) included.
    assert!(accepted::<RawRadar>().contains("tracker"));
    assert_eq!(accepted::<RawRadar>(), spec_keys(&[RADAR]), "[[radar]]");
}

#[test]
fn every_top_level_table_has_a_spec() {
    let raw = accepted::<RawFile>();
    let tables: BTreeSet<String> = [
        "scenario",
        "asset",
        "threat_type",
        "raid",
        "radar",
        "interceptor_type",
        "fire_unit",
        "battle_management",
        "network",
        "early_warning",
        "gun",
        "passive_defense",
        "dis",
        "dis_in",
    ]
    .map(String::from)
    .into();
    assert_eq!(
        raw, tables,
        "a new top-level table needs a spec and a key table in the docs"
    );
}

#[test]
fn the_kind_keys_of_a_threat_type_are_the_ballistic_and_air_breathing_specs() {
    let toml_of = |spec: &[KeyDoc]| {
        spec.iter()
            .map(|k| match k.key {
                "reentry_vehicle" => "reentry_vehicle = {}\n".to_string(),
                "drag_profile" => "drag_profile = []\n".to_string(),
                key => format!("{key} = 1\n"),
            })
            .collect::<String>()
    };
    let names = |keys: Vec<(&'static str, std::ops::Range<usize>)>| {
        keys.into_iter().map(|(k, _)| k).collect::<Vec<_>>()
    };
    let spec_names = |spec: &[KeyDoc]| spec.iter().map(|k| k.key).collect::<Vec<_>>();
    let ballistic: RawThreatType = toml::from_str(&toml_of(BALLISTIC)).expect("ballistic keys");
    assert_eq!(names(ballistic.ballistic_keys()), spec_names(BALLISTIC));
    let air: RawThreatType = toml::from_str(&toml_of(AIR_BREATHING)).expect("air keys");
    assert_eq!(names(air.air_breathing_keys()), spec_names(AIR_BREATHING));
    // The projectile's own keys, beside those it shares with the ballistic kind.
    let own: Vec<&str> = PROJECTILE
        .iter()
        .map(|k| k.key)
        .filter(|k| !BALLISTIC.iter().any(|b| b.key == *k))
        .collect();
    let text: String = own.iter().map(|k| format!("{k} = \"1\"\n")).collect();
    let projectile: RawThreatType = toml::from_str(&text).expect("projectile keys");
    assert_eq!(names(projectile.projectile_keys()), own);
}

#[test]
fn docs_numbers_group_thousands_from_five_digits() {
    assert_eq!(docs_number(6000.0), "6000");
    assert_eq!(docs_number(10_000.0), "10 000");
    assert_eq!(docs_number(1_000_000.0), "1 000 000");
    assert_eq!(docs_number(-11.0), "−11");
    assert_eq!(docs_number(0.1), "0.1");
    assert_eq!(docs_quantity(1e-3, 1e-3, "ms"), "1 ms");
    assert_eq!(
        docs_quantity(
            -0.5 * std::f64::consts::PI,
            std::f64::consts::PI / 180.0,
            "°"
        ),
        "−90°"
    );
}

/// A defended scenario with only the required keys of its radar, interceptor type, fire unit
/// and launcher group: every other key takes its default.
const DEFAULTS: &str = r#"
[scenario]
name = "defaults"
epoch = 2020-01-08T00:00:00Z
duration = "1 h"

[[asset]]
name = "Base"
position = { lat = 33.8, lon = 42.4 }
radius = "2 km"

[[radar]]
name = "R"
position = { lat = 33.8, lon = 42.45 }
range_max = "170 km"
revisit = "2 s"
range_resolution = "50 m"
beamwidth = "1.5 deg"
reference_range = "150 km"

[interceptor_type.I]
launch_mass = "316 kg"
propellant_mass = "170 kg"
burn_time = "12 s"
isp = "250 s"
diameter = "0.26 m"
max_acceleration = "40 g"
max_altitude = "20 km"
max_range = "25 km"
seeker_acquisition_range = "10 km"
lethality = "hit-to-kill"
lethal_radius = "1.5 m"

[[fire_unit]]
name = "B"
radar = "R"

[[fire_unit.launchers]]
position = { lat = 33.8, lon = 42.45 }
interceptor = "I"
rounds = 4
"#;

/// The value a documented default stands for: the first `…` of its text, a quantity (in SI),
/// a number or a word; `None` for a default given in words ("every asset").
fn documented(default: &str) -> Option<KeyValue> {
    let inner = default.strip_prefix('`')?.split('`').next()?;
    if let Some(q) = inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        return Some(match rampart_core::units::parse_quantity(q) {
            Ok(rampart_core::units::Quantity::Si { value, .. }) => KeyValue::Number(value),
            _ => KeyValue::Text(q.to_string()),
        });
    }
    inner.parse::<f64>().ok().map(KeyValue::Number)
}

/// A loaded value as a number in SI units, or a word.
fn loaded(v: &KeyValue) -> Option<KeyValue> {
    Some(match v {
        KeyValue::Number(x)
        | KeyValue::Length(x)
        | KeyValue::Angle(x)
        | KeyValue::Seconds(x)
        | KeyValue::Speed(x)
        | KeyValue::Mass(x)
        | KeyValue::Area(x)
        | KeyValue::Acceleration(x) => KeyValue::Number(*x),
        KeyValue::Integer(n) => KeyValue::Number(*n as f64),
        KeyValue::Duration(d) => KeyValue::Number(d.as_secs_f64()),
        KeyValue::Text(s) => KeyValue::Text(s.to_lowercase()),
        KeyValue::Position(_) | KeyValue::Absent => return None,
    })
}

/// Each key left out takes the default its docs row states, as the loader applies it: the
/// default texts written in the specs cannot drift from the loader's.
fn check_defaults<T>(
    spec: &[KeyDoc<T>],
    sc: &Scenario,
    item: &T,
    table: &str,
    checked: &mut usize,
) {
    for k in spec {
        let (Some(want), Some(value)) = (documented(&k.default.get()), k.value) else {
            continue;
        };
        let Some(got) = loaded(&value(sc, item)) else {
            continue;
        };
        let same = match (&want, &got) {
            (KeyValue::Number(a), KeyValue::Number(b)) => (a - b).abs() <= 1e-12 * a.abs().max(1.0),
            (KeyValue::Text(a), KeyValue::Text(b)) => a.to_lowercase() == *b,
            _ => false,
        };
        assert!(
            same,
            "{table} `{}`: documented default {want:?}, loaded {got:?}",
            k.key
        );
        *checked += 1;
    }
}

#[test]
fn every_documented_default_is_the_loaders() {
    let sc = crate::scenario::parse(DEFAULTS, "defaults.toml")
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let mut checked = 0;
    check_defaults(RADAR, &sc, &sc.radars[0], "[[radar]]", &mut checked);
    check_defaults(
        INTERCEPTOR_TYPE,
        &sc,
        &sc.interceptor_types[0],
        "[interceptor_type]",
        &mut checked,
    );
    check_defaults(
        FIRE_UNIT,
        &sc,
        &sc.fire_units[0],
        "[[fire_unit]]",
        &mut checked,
    );
    check_defaults(
        LAUNCHERS,
        &sc,
        &sc.fire_units[0].launchers[0],
        "[[fire_unit.launchers]]",
        &mut checked,
    );
    // Radar: 20 defaults in numbers or words; interceptor type 11; fire unit 5; launchers 4.
    assert!(checked >= 35, "only {checked} defaults checked");
}
