//! The keys of each scenario table, documented once, beside the code that reads them.
//!
//! Every table of the scenario format has one list of [`KeyDoc`]s, kept next to its reader
//! under `scenario/load/` (`load/keys.rs` for `[scenario]`, assets and positions,
//! `load/threats/keys.rs`, `load/sensors/keys.rs`, `load/defense/keys.rs`, `load/battle.rs`).
//! From these lists come the key tables of docs/scenario-format.md (a test renders them with
//! [`markdown`] and compares; `RAMPART_UPDATE_DOCS=1` rewrites them) and the report's
//! parameter tables (each key's [`KeyDoc::value`]). Another test checks that each list names
//! exactly the keys its raw serde struct accepts, so a key cannot be added to the file format
//! without its documentation.
//!
//! Where a default or a bound is a named constant of the loader or a physical range of
//! `load/limits.rs`, its text is [`Text::Made`] from it, so changing the constant changes the
//! docs. A default written out is checked against the loader instead: a scenario that leaves
//! every optional key out is loaded, and each key's value must be the default its row states.

use crate::scenario::model::Scenario;
use rampart_core::{Geodetic, SimDuration};
use std::borrow::Cow;

pub use super::load::keys::{ASSET, POSITION, SCENARIO};
pub use super::load::{
    AIR_BREATHING, AIRCRAFT, BALLISTIC, BATTLE_MANAGEMENT, DIS, DIS_IN, DIS_IN_ENTITY,
    EARLY_WARNING, FIRE_UNIT, GUN, INTERCEPTOR_TYPE, LAUNCHERS, NETWORK, NETWORK_LINK,
    PASSIVE_DEFENSE, PERSONNEL, PROJECTILE, RADAR, RAID, REENTRY_VEHICLE, THREAT_TYPE,
};

/// A piece of a key's documentation: written out, or made from the loader's constants.
#[derive(Clone, Copy, Debug)]
pub enum Text {
    /// The text as written.
    Is(&'static str),
    /// Text made from a constant or a physical range of the loader, so that it follows it.
    Made(fn() -> String),
}

impl Text {
    /// The text.
    pub fn get(&self) -> Cow<'static, str> {
        match self {
            Text::Is(s) => Cow::Borrowed(s),
            Text::Made(f) => Cow::Owned(f()),
        }
    }
}

/// A key's value as the loader left it, in SI units, for the report to write in its own way.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyValue {
    /// A word, a name or a list of names.
    Text(String),
    /// A plain number.
    Number(f64),
    /// A whole number.
    Integer(u64),
    /// A length, m.
    Length(f64),
    /// An angle, rad.
    Angle(f64),
    /// A time, s.
    Seconds(f64),
    /// A duration.
    Duration(SimDuration),
    /// A speed, m/s.
    Speed(f64),
    /// A mass, kg.
    Mass(f64),
    /// An area, m².
    Area(f64),
    /// An acceleration, m/s².
    Acceleration(f64),
    /// A position.
    Position(Geodetic),
    /// The key does not apply to this instance (a blast-fragmentation key on a hit-to-kill type).
    Absent,
}

/// How the report reads a key's loaded value off the model of one instance of the table
/// (`T`), given the whole scenario for names the model holds as indices.
pub type ValueOf<T> = fn(&Scenario, &T) -> KeyValue;

/// One key of a scenario table: the columns of its row in docs/scenario-format.md, and the
/// reader of its loaded value for the report.
pub struct KeyDoc<T: 'static = ()> {
    /// The key as written in the file.
    pub key: &'static str,
    /// Whether it is required ("yes", "no", or the condition).
    pub required: Text,
    /// What it takes ("length", "string", …).
    pub kind: Text,
    /// Its default, `—` when required.
    pub default: Text,
    /// The values it may take.
    pub allowed: Text,
    /// What it means.
    pub meaning: Text,
    /// Its loaded value, for the report; `None` for a key the report does not list (a table
    /// of its own, or a key whose model is not in this type).
    pub value: Option<ValueOf<T>>,
}

impl<T> std::fmt::Debug for KeyDoc<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyDoc")
            .field("key", &self.key)
            .field("required", &self.required.get())
            .field("default", &self.default.get())
            .finish_non_exhaustive()
    }
}

/// The columns of a rendered key table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// Key | Req. | Type | Default | Allowed | Meaning.
    Full,
    /// Key | Type | Allowed | Meaning: a sub-table whose keys are all required.
    Short,
}

/// The Markdown table of `keys`, as docs/scenario-format.md holds it.
pub fn markdown<T>(keys: &[KeyDoc<T>], columns: Columns) -> String {
    let mut t = String::new();
    match columns {
        Columns::Full => {
            t += "| Key | Req. | Type | Default | Allowed | Meaning |\n|---|---|---|---|---|---|\n";
            for k in keys {
                t += &format!(
                    "| `{}` | {} | {} | {} | {} | {} |\n",
                    k.key,
                    k.required.get(),
                    k.kind.get(),
                    k.default.get(),
                    k.allowed.get(),
                    k.meaning.get()
                );
            }
        }
        Columns::Short => {
            t += "| Key | Type | Allowed | Meaning |\n|---|---|---|---|\n";
            for k in keys {
                t += &format!(
                    "| `{}` | {} | {} | {} |\n",
                    k.key,
                    k.kind.get(),
                    k.allowed.get(),
                    k.meaning.get()
                );
            }
        }
    }
    t
}

/// A number as the docs write it: at most six decimals, no trailing zeros, a minus sign (−)
/// for negatives and a space between thousands from five digits on (`10 000`, but `6000`).
pub fn docs_number(x: f64) -> String {
    let s = format!("{:.6}", x.abs());
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let int = if int.len() >= 5 {
        let mut g = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                g.push(' ');
            }
            g.push(c);
        }
        g
    } else {
        int.to_string()
    };
    let sign = if x < 0.0 && s != "0" { "−" } else { "" };
    match frac {
        Some(f) => format!("{sign}{int}.{f}"),
        None => format!("{sign}{int}"),
    }
}

/// A quantity as the docs write it: `x_si` in the unit of which one is `per_unit` SI units,
/// with the symbol after a space (`"1 km"`), or right after the number for `°`.
pub fn docs_quantity(x_si: f64, per_unit: f64, symbol: &str) -> String {
    let n = docs_number(x_si / per_unit);
    if symbol.is_empty() {
        n
    } else if symbol == "°" {
        format!("{n}°")
    } else {
        format!("{n} {symbol}")
    }
}

/// A default as the docs write it, a quoted quantity in code: `` `"1 km"` ``.
pub fn docs_default(x_si: f64, per_unit: f64, symbol: &str) -> String {
    format!("`\"{}\"`", docs_quantity(x_si, per_unit, symbol))
}

#[cfg(test)]
mod tests;
