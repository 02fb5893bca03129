//! The key specs of `[interceptor_type.NAME]`, `[[fire_unit]]` and `[[fire_unit.launchers]]`:
//! the rows of their key tables in docs/scenario-format.md and the values the report lists
//! (see [`crate::scenario::keys`]).

use super::super::keys::docs_interval;
use super::{
    ACQUISITION_GRACE, DEFAULT_ACQUISITION_GRACE_S, DEFAULT_INTERCEPTOR_RCS_M2, DOCTRINE_WORDS,
    LETHALITY_WORDS, MAX_FLIGHT_TIME, MAX_GROUP_ITEMS, MAX_SALVO,
};
use crate::registry::DEFAULT_GUIDANCE_LAW;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::{KeyDoc, KeyValue, docs_default, docs_number};
use crate::scenario::model::{Doctrine, FireUnit, LauncherGroup};
use crate::sensors::detection::Swerling;
use crate::weapons::endgame::Lethality;
use crate::weapons::interceptor::InterceptorType;

/// `[interceptor_type.NAME]`.
pub static INTERCEPTOR_TYPE: &[KeyDoc<InterceptorType>] = &[
    KeyDoc {
        key: "reliability",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`1.0`"),
        allowed: Is("[0, 1]"),
        meaning: Is(
            "Probability that a launched interceptor works. One that does not (a dud) flies and guides but never kills.",
        ),
        value: Some(|_, t| KeyValue::Number(t.reliability)),
    },
    KeyDoc {
        key: "rcs",
        required: Is("no"),
        kind: Is("area, or `dBsm`"),
        default: Made(|| docs_default(DEFAULT_INTERCEPTOR_RCS_M2, 1.0, "m^2")),
        allowed: Is("> 0 m²"),
        meaning: Is(
            "Mean radar cross-section of the interceptor. The radars see interceptors like any other target; the battle manager knows where its own missiles are and does not engage their tracks.",
        ),
        value: Some(|_, t| KeyValue::Area(t.rcs_m2)),
    },
    KeyDoc {
        key: "swerling",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`1`"),
        allowed: Is("`0`, `1`, `3`"),
        meaning: Is("How that cross-section fluctuates (as `swerling` of a threat type)."),
        value: Some(|_, t| KeyValue::Integer(swerling_case(t.swerling))),
    },
    KeyDoc {
        key: "launch_mass",
        required: Is("yes"),
        kind: Is("mass"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Total mass at launch."),
        value: Some(|_, t| KeyValue::Mass(t.launch_mass_kg)),
    },
    KeyDoc {
        key: "propellant_mass",
        required: Is("yes"),
        kind: Is("mass"),
        default: Is("—"),
        allowed: Is("> 0, < `launch_mass`"),
        meaning: Is("Propellant burned during the boost."),
        value: Some(|_, t| KeyValue::Mass(t.propellant_mass_kg)),
    },
    KeyDoc {
        key: "burn_time",
        required: Is("yes"),
        kind: Is("time"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Duration of the boost."),
        value: Some(|_, t| KeyValue::Seconds(t.burn_time_s)),
    },
    KeyDoc {
        key: "isp",
        required: Is("yes"),
        kind: Is("time"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Specific impulse, in seconds."),
        value: Some(|_, t| KeyValue::Seconds(t.isp_s)),
    },
    KeyDoc {
        key: "diameter",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Body diameter; the drag reference area is π·d²/4."),
        value: Some(|_, t| KeyValue::Length(t.diameter_m)),
    },
    KeyDoc {
        key: "drag_coefficient",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0.3`"),
        allowed: Is("> 0"),
        meaning: Is(
            "Reference drag coefficient, scaled with Mach number by the slender-body profile.",
        ),
        value: Some(|_, t| KeyValue::Number(t.drag_coefficient)),
    },
    KeyDoc {
        key: "max_acceleration",
        required: Is("yes"),
        kind: Is("acceleration"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "Largest lateral acceleration the airframe can pull (`\"40 g\"`); every guidance command is limited to it.",
        ),
        value: Some(|_, t| KeyValue::Acceleration(t.guidance.params.max_accel_mps2)),
    },
    KeyDoc {
        key: "min_altitude",
        required: Is("no"),
        kind: Is("length"),
        default: Is("`\"0 m\"`"),
        allowed: Is("≥ 0"),
        meaning: Is("Lowest intercept altitude (above the WGS-84 ellipsoid)."),
        value: Some(|_, t| KeyValue::Length(t.envelope.min_altitude_m)),
    },
    KeyDoc {
        key: "max_altitude",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> `min_altitude`"),
        meaning: Is("Highest intercept altitude."),
        value: Some(|_, t| KeyValue::Length(t.envelope.max_altitude_m)),
    },
    KeyDoc {
        key: "min_range",
        required: Is("no"),
        kind: Is("length"),
        default: Is("`\"0 m\"`"),
        allowed: Is("≥ 0"),
        meaning: Is("Shortest intercept ground range from the launcher."),
        value: Some(|_, t| KeyValue::Length(t.envelope.min_range_m)),
    },
    KeyDoc {
        key: "max_range",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> `min_range`"),
        meaning: Is("Longest intercept ground range from the launcher."),
        value: Some(|_, t| KeyValue::Length(t.envelope.max_range_m)),
    },
    KeyDoc {
        key: "guidance",
        required: Is("no"),
        kind: Is("string"),
        default: Made(|| format!("`\"{DEFAULT_GUIDANCE_LAW}\"`")),
        allowed: Is(
            "`pn`, `apn`, or a law the program loading the file has registered (docs/extending.md)",
        ),
        meaning: Is(
            "Homing law: `pn`, true proportional navigation, a = N′·Vc·(ω × R̂) (Vc the closing speed, ω the line-of-sight rate); `apn`, augmented proportional navigation, which adds N′/2 times the estimated target acceleration across the line of sight. The law also flies the midcourse toward the predicted intercept point and the flyout table.",
        ),
        value: Some(|_, t| KeyValue::Text(t.guidance.law.name().into())),
    },
    KeyDoc {
        key: "navigation_constant",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`4`"),
        allowed: Is("(2, 10]"),
        meaning: Is("Effective navigation ratio N′."),
        value: Some(|_, t| KeyValue::Number(t.guidance.params.nav_constant)),
    },
    KeyDoc {
        key: "seeker_acquisition_range",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "Range to the target at which the interceptor's own seeker acquires it; from then on the interceptor guides on its seeker, not on the uplinked track.",
        ),
        value: Some(|_, t| KeyValue::Length(t.seeker.acquisition_range_m)),
    },
    KeyDoc {
        key: "seeker_noise",
        required: Is("no"),
        kind: Is("angle"),
        default: Is("`\"1 mrad\"`"),
        allowed: Is("≥ 0"),
        meaning: Is("Angular noise (1σ) of each seeker measurement of the line of sight."),
        value: Some(|_, t| KeyValue::Angle(t.seeker.angle_noise_rad)),
    },
    KeyDoc {
        key: "seeker",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"radar\"`"),
        allowed: Is("`radar`, `infrared`"),
        meaning: Is(
            "`radar`: the interceptor flies out on the fire unit's track and its seeker acquires within `seeker_acquisition_range`. `infrared`: a passive seeker that locks on before launch (Stinger-class, fire and forget): the unit launches only when its track puts the target within `seeker_acquisition_range` of the launcher.",
        ),
        value: Some(|_, t| KeyValue::Text(t.seeker.kind.word().to_string())),
    },
    KeyDoc {
        key: "lethality",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Made(|| LETHALITY_WORDS.map(|w| format!("`{w}`")).join(", ")),
        meaning: Is("The damage function, below."),
        value: Some(|_, t| {
            KeyValue::Text(
                match t.lethality {
                    Lethality::HitToKill { .. } => LETHALITY_WORDS[0],
                    Lethality::BlastFragmentation { .. } => LETHALITY_WORDS[1],
                }
                .into(),
            )
        }),
    },
    KeyDoc {
        key: "lethal_radius",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "`hit-to-kill`: the threat is killed when the miss distance is at most this. `blast-fragmentation`: the width σ of the damage function.",
        ),
        value: Some(|_, t| match t.lethality {
            Lethality::HitToKill { lethal_radius_m }
            | Lethality::BlastFragmentation {
                lethal_radius_m, ..
            } => KeyValue::Length(lethal_radius_m),
        }),
    },
    KeyDoc {
        key: "pk_max",
        required: Is("`blast-fragmentation` only, and required there"),
        kind: Is("plain number"),
        default: Is("—"),
        allowed: Is("(0, 1]"),
        meaning: Is("Kill probability at zero miss. On a `hit-to-kill` type it is an error."),
        value: Some(|_, t| match t.lethality {
            Lethality::BlastFragmentation { pk_max, .. } => KeyValue::Number(pk_max),
            Lethality::HitToKill { .. } => KeyValue::Absent,
        }),
    },
    KeyDoc {
        key: "max_flight_time",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"90 s\"`"),
        allowed: Made(|| docs_interval(MAX_FLIGHT_TIME, (1.0, "s"), (1.0, "s"))),
        meaning: Is(
            "Longest flight; the interceptor is lost when it is reached. Also the length of each flight of the flyout table.",
        ),
        value: Some(|_, t| KeyValue::Seconds(t.max_flight_time_s)),
    },
    KeyDoc {
        key: "acquisition_grace",
        required: Is("no"),
        kind: Is("time"),
        default: Made(|| docs_default(DEFAULT_ACQUISITION_GRACE_S, 1.0, "s")),
        allowed: Made(|| docs_interval(ACQUISITION_GRACE, (1.0, "s"), (1.0, "s"))),
        meaning: Is(
            "How long past its planned intercept time an interceptor whose seeker has not acquired a target keeps flying; then it is destroyed (`interceptor_lost`, reason `no_lock_past_intercept`). It has flown past the point where it was to meet the threat, or its track was lost and the threat is not where it was predicted.",
        ),
        value: Some(|_, t| KeyValue::Seconds(t.acquisition_grace_s)),
    },
    KeyDoc {
        key: "planning_pk",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("0.8 × `reliability`"),
        allowed: Is("[0, 1]"),
        meaning: Is(
            "The single-shot kill probability the battle manager assumes when it assigns weapons (below). It does not decide any outcome.",
        ),
        value: Some(|_, t| KeyValue::Number(t.planning_pk)),
    },
    KeyDoc {
        key: "cost",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("none"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "What one interceptor costs, in whatever unit the scenario uses for all its costs (a `[[gun]]`'s `round_cost` likewise). With it, Monte Carlo reports each fire unit's cost per kill, and with `[battle_management] value_per_cost` the assignment weighs it against the value a shot saves.",
        ),
        value: None,
    },
];

/// `[[fire_unit]]`.
pub static FIRE_UNIT: &[KeyDoc<FireUnit>] = &[
    KeyDoc {
        key: "name",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("not blank, unique among fire units"),
        meaning: Is(
            "Names the unit in the outputs; its launchers are `NAME/L1`, `NAME/L2`, … and its interceptors `NAME/I1`, `NAME/I2`, ….",
        ),
        value: Some(|_, u| KeyValue::Text(u.name.clone())),
    },
    KeyDoc {
        key: "enabled",
        required: Is("no"),
        kind: Is("boolean"),
        default: Is("`true`"),
        allowed: Is("`true`, `false`"),
        meaning: Is(
            "`false`: the unit is not deployed. It never engages, and its radar scans only if a deployed unit also names it. For comparing a defense with and without a battery (`--set fire_unit.enabled=false` for every unit).",
        ),
        value: None,
    },
    KeyDoc {
        key: "radar",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("the `name` of a `[[radar]]` that no other fire unit uses"),
        meaning: Is("The unit's own radar."),
        value: Some(|sc, u| {
            sc.radars
                .get(u.radar)
                .map_or(KeyValue::Absent, |r| KeyValue::Text(r.name.clone()))
        }),
    },
    KeyDoc {
        key: "channels",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`3`"),
        allowed: Is("≥ 1"),
        meaning: Is("How many threats the unit engages at once."),
        value: Some(|_, u| KeyValue::Integer(u.channels.into())),
    },
    KeyDoc {
        key: "doctrine",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"shoot-look-shoot\"`"),
        allowed: Made(|| DOCTRINE_WORDS.map(|w| format!("`{w}`")).join(", ")),
        meaning: Is("How the unit shoots at one threat (below)."),
        value: Some(|_, u| {
            KeyValue::Text(
                match u.doctrine {
                    Doctrine::ShootShoot { .. } => DOCTRINE_WORDS[0],
                    Doctrine::ShootLookShoot => DOCTRINE_WORDS[1],
                }
                .into(),
            )
        }),
    },
    KeyDoc {
        key: "salvo",
        required: Is("no, `shoot-shoot` only"),
        kind: Is("integer"),
        default: Is("`2`"),
        allowed: Made(|| format!("1 to {MAX_SALVO}")),
        meaning: Made(|| {
            format!(
                "Interceptors fired per engagement. With `shoot-look-shoot` (given or by default) it is an error. A value above {MAX_SALVO} is an error."
            )
        }),
        value: Some(|_, u| match u.doctrine {
            Doctrine::ShootShoot { salvo } => KeyValue::Integer(salvo.into()),
            Doctrine::ShootLookShoot => KeyValue::Absent,
        }),
    },
    KeyDoc {
        key: "salvo_interval",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"1 s\"`"),
        allowed: Is("≥ 0"),
        meaning: Is("Time between the launches of one salvo."),
        value: Some(|_, u| KeyValue::Duration(u.salvo_interval)),
    },
    KeyDoc {
        key: "kill_assessment",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0.9`"),
        allowed: Is("[0, 1]"),
        meaning: Is("Probability that the radar judges an intercept correctly (kill or miss)."),
        value: Some(|_, u| KeyValue::Number(u.kill_assessment)),
    },
    KeyDoc {
        key: "defends",
        required: Is("no"),
        kind: Is("array of strings"),
        default: Is("every asset"),
        allowed: Is("each the `name` of an `[[asset]]`; at least one"),
        meaning: Is("The assets the unit defends. A name given twice counts once."),
        value: Some(|sc, u| {
            KeyValue::Text(
                u.defends
                    .iter()
                    .filter_map(|&k| sc.assets.get(k).map(|a| a.name.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }),
    },
    KeyDoc {
        key: "fire_control",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"autonomous\"`"),
        allowed: Is("`autonomous`, `launch-on-remote`, `engage-on-remote`"),
        meaning: Is(
            "With `[network]` enabled, on whose tracks the unit may fight (docs/models.md, \"The networked defense\"). `autonomous`: only threats its own radar holds. `launch-on-remote`: on the network's system track before its own radar sees the threat, when the planned intercept lies within its radar's coverage (its radar takes over the uplink once it holds the threat). `engage-on-remote`: the whole engagement on the network's track, wherever the intercept lies. Without a network every unit is autonomous.",
        ),
        value: Some(|_, u| KeyValue::Text(u.fire_control.word().to_string())),
    },
    KeyDoc {
        key: "engages",
        required: Is("no"),
        kind: Is("array of strings"),
        default: Is("all three"),
        allowed: Is("`ballistic`, `ram`, `air_breathing`"),
        meaning: Is(
            "The classes of threat it engages, as threat evaluation classes a track: a ballistic missile; a rocket, artillery shell or mortar bomb (`ram`); an air-breathing threat. A Patriot-class unit that should spend no interceptor on a mortar round leaves out `ram`.",
        ),
        value: Some(|_, u| {
            KeyValue::Text(
                u.engages
                    .iter()
                    .map(|c| c.word())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        }),
    },
    KeyDoc {
        key: "tier",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"upper\"`"),
        allowed: Is("`upper`, `lower`"),
        meaning: Is(
            "Its tier in a layered defense (docs/models.md, \"Battle management across tiers\"): with `[battle_management] lower_tier_first` (the default), an upper-tier unit does not engage a threat that a lower-tier unit or a `[[gun]]` can take.",
        ),
        value: Some(|_, u| KeyValue::Text(u.tier.word().to_string())),
    },
    KeyDoc {
        key: "launchers",
        required: Is("yes"),
        kind: Is("`[[fire_unit.launchers]]` tables"),
        default: Is("—"),
        allowed: Is("at least one"),
        meaning: Is("The unit's launcher groups."),
        value: Some(|_, u| KeyValue::Integer(u.launchers.len() as u64)),
    },
];

/// `[[fire_unit.launchers]]`.
pub static LAUNCHERS: &[KeyDoc<LauncherGroup>] = &[
    KeyDoc {
        key: "position",
        required: Is("yes"),
        kind: Is("position table"),
        default: Is("—"),
        allowed: Is("see positions"),
        meaning: Is("Where the launchers stand."),
        value: Some(|_, l| KeyValue::Position(l.position)),
    },
    KeyDoc {
        key: "interceptor",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("the `NAME` of an `[interceptor_type.NAME]`"),
        meaning: Is("What they fire."),
        value: Some(|sc, l| {
            sc.interceptor_types
                .get(l.interceptor)
                .map_or(KeyValue::Absent, |t| KeyValue::Text(t.name.clone()))
        }),
    },
    KeyDoc {
        key: "count",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`1`"),
        allowed: Made(|| group_items(1)),
        meaning: Is("Number of launchers in the group."),
        value: Some(|_, l| KeyValue::Integer(l.count.into())),
    },
    KeyDoc {
        key: "rounds",
        required: Is("yes"),
        kind: Is("integer"),
        default: Is("—"),
        allowed: Made(|| group_items(1)),
        meaning: Is("Ready rounds per launcher."),
        value: Some(|_, l| KeyValue::Integer(l.rounds.into())),
    },
    KeyDoc {
        key: "reloads",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`0`"),
        allowed: Made(|| group_items(0)),
        meaning: Is("Spare loads per launcher; each refills an empty launcher to `rounds`."),
        value: Some(|_, l| KeyValue::Integer(l.reloads.into())),
    },
    KeyDoc {
        key: "reload_time",
        required: Is("when `reloads` > 0"),
        kind: Is("time"),
        default: Is("`\"1 h\"` (unused without reloads)"),
        allowed: Is("> 0"),
        meaning: Is("Time to reload an empty launcher."),
        value: Some(|_, l| KeyValue::Duration(l.reload_time)),
    },
    KeyDoc {
        key: "launch_delay",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"3 s\"`"),
        allowed: Is("≥ 0"),
        meaning: Is("Time from the decision to fire to the first launch."),
        value: Some(|_, l| KeyValue::Duration(l.launch_delay)),
    },
];

/// "1 to 10 000": the count of launchers, rounds or reloads of a group, from `lo`.
fn group_items(lo: u32) -> String {
    format!("{lo} to {}", docs_number(f64::from(MAX_GROUP_ITEMS)))
}

/// A Swerling case as the file writes it.
fn swerling_case(s: Swerling) -> u64 {
    match s {
        Swerling::Zero => 0,
        Swerling::One => 1,
        Swerling::Three => 3,
    }
}
