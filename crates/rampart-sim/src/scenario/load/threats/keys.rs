//! The key specs of `[threat_type.NAME]` (the keys of every kind, the ballistic ones, the
//! re-entry vehicle's and the air-breathing ones) and `[[raid]]`: the rows of their key tables
//! in docs/scenario-format.md (see [`crate::scenario::keys`]).

use super::super::limits::MAX_THREATS;
use super::{DEFAULT_VULNERABLE_AREA_M2, KINDS, MAX_DISPERSION_M, MAX_RAID_COUNT};
use crate::scenario::keys::KeyDoc;
use crate::scenario::keys::Text::{Is, Made};
use crate::scenario::keys::docs_number;

/// `[threat_type.NAME]`: the keys of every kind.
pub static THREAT_TYPE: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "kind",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Made(|| KINDS.map(|k| format!("`{k}`")).join(", ")),
        meaning: Is(
            "The flight model: a ballistic missile; an air-breathing cruise missile, crewed aircraft or one-way-attack drone; or an unguided rocket, artillery shell or mortar bomb.",
        ),
        value: None,
    },
    KeyDoc {
        key: "reliability",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`1.0`"),
        allowed: Is("[0, 1]"),
        meaning: Is(
            "Probability that a launched threat flies as planned. A threat that fails breaks up at a time drawn uniformly over its planned flight (a `failure` event, no impact).",
        ),
        value: None,
    },
    KeyDoc {
        key: "rcs",
        required: Is("when the file has a `[[radar]]`"),
        kind: Is("area, or `dBsm`"),
        default: Is("`\"1 m^2\"` when the file has no radar"),
        allowed: Is("> 0 m²"),
        meaning: Is(
            "Mean radar cross-section σ̄ of one threat of this type, the same from every aspect and at every radar frequency (`\"0.1 m^2\"` or `\"-10 dBsm\"`). Without radars nothing reads it, so it may be left out.",
        ),
        value: None,
    },
    KeyDoc {
        key: "swerling",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`1`"),
        allowed: Is("`0`, `1`, `3`"),
        meaning: Is(
            "How the cross-section fluctuates (Swerling 1960): 0, not at all (a steady echo); 1, exponentially distributed power (many scatterers of similar size, e.g. an aircraft); 3, chi-square power with four degrees of freedom (one dominant scatterer plus many small). 1 and 3 draw a new cross-section at every scan. A radar takes a single look per scan, for which Swerling 2 and 4 are the same as 1 and 3.",
        ),
        value: None,
    },
    KeyDoc {
        key: "vulnerable_area",
        required: Is("no"),
        kind: Is("area"),
        default: Made(|| format!("`\"{} m^2\"`", DEFAULT_VULNERABLE_AREA_M2)),
        allowed: Is("> 0"),
        meaning: Is(
            "The presented area a gun's round must strike to destroy one threat of this type (fuze, warhead, motor; notional). A `[[gun]]` takes it as a circle of the same area.",
        ),
        value: None,
    },
    KeyDoc {
        key: "warhead",
        required: Is("no"),
        kind: Is("mass"),
        default: Made(|| {
            format!(
                "by kind: {}",
                crate::scenario::load::passive_docs::warhead_defaults()
            )
        }),
        allowed: Is("[0, 100 t]"),
        meaning: Is(
            "Explosive mass (TNT equivalent) of one threat's warhead, notional; sets the default damage radii below (docs/models.md, \"Warning and passive defense\").",
        ),
        value: None,
    },
    KeyDoc {
        key: "lethal_radius",
        required: Is("no"),
        kind: Is("length"),
        default: Made(crate::scenario::load::passive_docs::lethal_default),
        allowed: Is("[0, 100 km]"),
        meaning: Is(
            "Carleton radius R for killing a person in the open: P(r) = exp(−r²/R²), lethal area πR². Notional.",
        ),
        value: None,
    },
    KeyDoc {
        key: "injury_radius",
        required: Is("no"),
        kind: Is("length"),
        default: Made(crate::scenario::load::passive_docs::injury_default),
        allowed: Is("at least `lethal_radius`"),
        meaning: Is("Carleton radius for killing or injuring a person in the open. Notional."),
        value: None,
    },
    KeyDoc {
        key: "aircraft_lethal_radius",
        required: Is("no"),
        kind: Is("length"),
        default: Made(crate::scenario::load::passive_docs::aircraft_default),
        allowed: Is("[0, 100 km]"),
        meaning: Is("Carleton radius for destroying an aircraft in the open. Notional."),
        value: None,
    },
];

/// `[threat_type.NAME]` with `kind = "ballistic"`: the keys of that kind alone.
pub static BALLISTIC: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "launch_mass",
        required: Is("yes"),
        kind: Is("mass"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Total mass at lift-off, propellant and any re-entry vehicle included."),
        value: None,
    },
    KeyDoc {
        key: "propellant_mass",
        required: Is("yes"),
        kind: Is("mass"),
        default: Is("—"),
        allowed: Is("> 0, and `propellant_mass` + re-entry vehicle `mass` < `launch_mass`"),
        meaning: Is("Propellant burned over the full burn."),
        value: None,
    },
    KeyDoc {
        key: "burn_time",
        required: Is("yes"),
        kind: Is("time"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Duration of the full burn: the longest the motor can thrust."),
        value: None,
    },
    KeyDoc {
        key: "isp",
        required: Is("yes"),
        kind: Is("time"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "Vacuum specific impulse, in seconds (`\"255 s\"`). Nozzle back-pressure losses are ignored.",
        ),
        value: None,
    },
    KeyDoc {
        key: "diameter",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Body diameter; the drag reference area is π·d²/4."),
        value: None,
    },
    KeyDoc {
        key: "body_drag_coefficient",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0.3`"),
        allowed: Is("> 0"),
        meaning: Is(
            "Reference drag coefficient C_D,ref of the body, scaled by `drag_profile` with Mach number. Acts during boost, and after cut-off when there is no re-entry vehicle (β = burnout mass / (C_D,ref·A)).",
        ),
        value: None,
    },
    KeyDoc {
        key: "vertical_rise",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"5 s\"`"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "Vertical flight before the pitch-over starts (at most half of the burn actually used).",
        ),
        value: None,
    },
    KeyDoc {
        key: "reentry_vehicle",
        required: Is("no"),
        kind: Is("table `{ mass, ballistic_coefficient }`"),
        default: Is("none"),
        allowed: Is("see below"),
        meaning: Is(
            "A vehicle that separates at thrust cut-off and flies on alone. Without one, the spent body re-enters.",
        ),
        value: None,
    },
    KeyDoc {
        key: "drag_profile",
        required: Is("no"),
        kind: Is("array of `[Mach, factor]` pairs of plain numbers"),
        default: Is("slender body (below)"),
        allowed: Is("≥ 1 pair; Mach ≥ 0 and strictly increasing; factors > 0"),
        meaning: Is(
            "C_D(M)/C_D,ref, linear between points and constant outside them; applies to the body and the re-entry vehicle.",
        ),
        value: None,
    },
];

/// A ballistic threat type's `reentry_vehicle = { mass, ballistic_coefficient }`: both required.
pub static REENTRY_VEHICLE: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "mass",
        required: Is("yes"),
        kind: Is("mass"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "Part of `launch_mass`; it enters only the mass check above, since the re-entry vehicle's flight is set by its ballistic coefficient.",
        ),
        value: None,
    },
    KeyDoc {
        key: "ballistic_coefficient",
        required: Is("yes"),
        kind: Is("mass per area"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "β = m/(C_D,ref·A) of the re-entry vehicle, e.g. `\"10000 kg/m^2\"`. A higher β loses less speed on re-entry.",
        ),
        value: None,
    },
];

/// `[threat_type.NAME]` of an air-breathing kind (`cruise`, `aircraft`, `uas`): the keys of those kinds alone.
pub static AIR_BREATHING: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "speed",
        required: Is("yes"),
        kind: Is("speed, or `\"Mach M\"`"),
        default: Is("—"),
        allowed: Is("> 0 (after converting a Mach number)"),
        meaning: Is("Constant true airspeed. A Mach number is resolved at `altitude`."),
        value: None,
    },
    KeyDoc {
        key: "altitude",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "Cruise height above the WGS-84 ellipsoid (not above the ground). The aim point must be lower.",
        ),
        value: None,
    },
    KeyDoc {
        key: "max_range",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "Longest planned route: the geodesic length launch → waypoints → aim point may not exceed it.",
        ),
        value: None,
    },
    KeyDoc {
        key: "turn_rate",
        required: Is("no"),
        kind: Is("angular rate"),
        default: Is("`\"3 deg/s\"`"),
        allowed: Is("> 0"),
        meaning: Is("Largest heading rate; sets the turn radius `speed` / `turn_rate`."),
        value: None,
    },
    KeyDoc {
        key: "dive_angle",
        required: Is("no"),
        kind: Is("angle"),
        default: Is("`\"30 deg\"`"),
        allowed: Is("(0°, 90°]"),
        meaning: Is(
            "Flight-path angle of the terminal dive below the horizontal; the dive starts at a ground distance (cruise height − aim height) / tan(`dive_angle`) from the aim point.",
        ),
        value: None,
    },
    KeyDoc {
        key: "climb_angle",
        required: Is("no"),
        kind: Is("angle"),
        default: Is("`\"10 deg\"`"),
        allowed: Is("(0°, 90°)"),
        meaning: Is("Flight-path angle of the climb from the launch height to cruise height."),
        value: None,
    },
];

/// `[threat_type.NAME]` of a projectile kind (`rocket`, `artillery`, `mortar`).
pub static PROJECTILE: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "launch_mass",
        required: Is("yes"),
        kind: Is("mass"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Mass as fired (a rocket's with its propellant)."),
        value: None,
    },
    KeyDoc {
        key: "diameter",
        required: Is("yes"),
        kind: Is("length"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is("Calibre; the drag reference area is π d²/4."),
        value: None,
    },
    KeyDoc {
        key: "muzzle_velocity",
        required: Is("yes"),
        kind: Is("speed, or `\"Mach M\"`"),
        default: Is("—"),
        allowed: Is("> 0"),
        meaning: Is(
            "Speed leaving the tube or rail (a Mach number is resolved at sea level). For a rocket, the speed at which its motor takes over.",
        ),
        value: None,
    },
    KeyDoc {
        key: "body_drag_coefficient",
        required: Is("no"),
        kind: Is("plain number"),
        default: Is("`0.3`"),
        allowed: Is("> 0"),
        meaning: Is("Drag coefficient C_D,ref, scaled in Mach number by `drag_profile`."),
        value: None,
    },
    KeyDoc {
        key: "drag_profile",
        required: Is("no"),
        kind: Is("array of [Mach, factor] pairs"),
        default: Is("slender body (below)"),
        allowed: Is("Mach ≥ 0 strictly increasing, factors > 0"),
        meaning: Is("C_D(M)/C_D,ref, linear between points and held beyond the last."),
        value: None,
    },
    KeyDoc {
        key: "angle_of_fire",
        required: Is("no"),
        kind: Is("string"),
        default: Is("`\"high\"` for mortars, `\"low\"` otherwise"),
        allowed: Is("`low`, `high`"),
        meaning: Is(
            "Which elevation reaches the aim point: below the elevation of greatest range, or above it.",
        ),
        value: None,
    },
    KeyDoc {
        key: "propellant_mass",
        required: Is("for a motor, with `burn_time` and `isp`"),
        kind: Is("mass"),
        default: Is("no motor"),
        allowed: Is("> 0, < `launch_mass`"),
        meaning: Is("A rocket motor's propellant, burned at a constant rate."),
        value: None,
    },
    KeyDoc {
        key: "burn_time",
        required: Is("for a motor"),
        kind: Is("time"),
        default: Is("no motor"),
        allowed: Is("> 0"),
        meaning: Is("The motor's burn; its thrust acts along the velocity."),
        value: None,
    },
    KeyDoc {
        key: "isp",
        required: Is("for a motor"),
        kind: Is("time"),
        default: Is("no motor"),
        allowed: Is("> 0"),
        meaning: Is("The motor's specific impulse: thrust = propellant / burn_time × isp × g₀."),
        value: None,
    },
];

/// `[[raid]]`.
pub static RAID: &[KeyDoc<()>] = &[
    KeyDoc {
        key: "threat_type",
        required: Is("yes"),
        kind: Is("string"),
        default: Is("—"),
        allowed: Is("the `NAME` of a `[threat_type.NAME]`"),
        meaning: Is("What is launched."),
        value: None,
    },
    KeyDoc {
        key: "count",
        required: Is("no"),
        kind: Is("integer"),
        default: Is("`1`"),
        allowed: Made(|| {
            format!(
                "1 to {}, and at most {} threats in all the raids of a file",
                docs_number(f64::from(MAX_RAID_COUNT)),
                docs_number(MAX_THREATS as f64)
            )
        }),
        meaning: Is("How many threats are launched."),
        value: None,
    },
    KeyDoc {
        key: "launch_site",
        required: Is("yes"),
        kind: Is("position table"),
        default: Is("—"),
        allowed: Is("see positions"),
        meaning: Is("Where they are launched from (its `alt` is the launch height)."),
        value: None,
    },
    KeyDoc {
        key: "aim",
        required: Is("yes"),
        kind: Is("string or position table"),
        default: Is("—"),
        allowed: Is("an asset's `name`, or `{ lat, lon, alt }`"),
        meaning: Is("The aim point: the asset's centre, or the point given."),
        value: None,
    },
    KeyDoc {
        key: "first_launch",
        required: Is("no"),
        kind: Is("time, or date-time"),
        default: Is("`\"0 s\"`"),
        allowed: Is("≥ 0 s after the epoch; an instant not before the epoch"),
        meaning: Is("Launch time of the first threat."),
        value: None,
    },
    KeyDoc {
        key: "interval",
        required: Is("no"),
        kind: Is("time"),
        default: Is("`\"0 s\"`"),
        allowed: Is("≥ 0"),
        meaning: Is("Time between successive launches (0: all at once)."),
        value: None,
    },
    KeyDoc {
        key: "cep",
        required: Is("no"),
        kind: Is("length"),
        default: Is("`\"0 m\"`"),
        allowed: Is("≥ 0"),
        meaning: Is(
            "Ballistic and air-breathing raids: aim error as a circular error probable: each threat is aimed at a point displaced by a circular normal offset with σ = CEP / √(2 ln 2) per axis, so half the impacts land within `cep` of the aim point.",
        ),
        value: None,
    },
    KeyDoc {
        key: "range_error",
        required: Is("no"),
        kind: Is("length, projectile raids only"),
        default: Is("`\"0 m\"`"),
        allowed: Made(|| format!("[0, {} km]", MAX_DISPERSION_M / 1e3)),
        meaning: Is(
            "Standard deviation σ_R of the impacts along the line of fire (a firing table's range probable error is 0.6745 σ_R).",
        ),
        value: None,
    },
    KeyDoc {
        key: "deflection_error",
        required: Is("no"),
        kind: Is("length, projectile raids only"),
        default: Is("`\"0 m\"`"),
        allowed: Made(|| format!("[0, {} km]", MAX_DISPERSION_M / 1e3)),
        meaning: Is("Standard deviation σ_D of the impacts across the line of fire."),
        value: None,
    },
    KeyDoc {
        key: "trajectory",
        required: Is("no"),
        kind: Is("string, ballistic raids only"),
        default: Is("`\"minimum-energy\"`"),
        allowed: Is("`minimum-energy`, `lofted`, `depressed`"),
        meaning: Is(
            "Trajectory shape (below): the least burnout energy that reaches the aim point, or a flight steeper or flatter than that to a given `burnout_angle` or `apogee`.",
        ),
        value: None,
    },
    KeyDoc {
        key: "burnout_angle",
        required: Is("for `lofted` or `depressed`, this or `apogee`"),
        kind: Is("angle, ballistic raids only"),
        default: Is("none"),
        allowed: Is(
            "(0, 90) deg; above the minimum-energy angle when lofted, below when depressed",
        ),
        meaning: Is(
            "Earth-relative flight-path angle at thrust cut-off that a lofted or depressed flight is flown to.",
        ),
        value: None,
    },
    KeyDoc {
        key: "apogee",
        required: Is("for `lofted` or `depressed`, this or `burnout_angle`"),
        kind: Is("length, ballistic raids only"),
        default: Is("none"),
        allowed: Is("> 0; above the minimum-energy apogee when lofted, below when depressed"),
        meaning: Is("Apogee height that a lofted or depressed flight is flown to."),
        value: None,
    },
    KeyDoc {
        key: "waypoints",
        required: Is("no"),
        kind: Is("array of position tables, air-breathing raids only"),
        default: Is("none"),
        allowed: Is("each a valid position"),
        meaning: Is("Route points flown through, in order, between launch and the aim point."),
        value: None,
    },
];
