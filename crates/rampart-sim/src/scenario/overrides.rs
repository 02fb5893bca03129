//! Changing one value of a scenario file by its path, for parameter sweeps and `--set`.
//!
//! A path names a value the way the file nests it, segments joined by `.`:
//!
//! - a table key: `scenario.duration`, `threat_type.Fateh-313.reliability`,
//!   `interceptor_type.PAC-3-like.max_range`;
//! - an element of an array of tables (`[[raid]]`, `[[radar]]`, `[[fire_unit]]`,
//!   `[[fire_unit.launchers]]`, `[[asset]]`) by its index from 0 (`raid.0.count`) or by its
//!   `name` (`fire_unit.Battery-1.channels`, `radar.Battery-1 radar.range_max`);
//! - every element of such an array at once, by leaving the index out:
//!   `fire_unit.Battery-1.launchers.count` sets `count` of every launcher group of Battery-1;
//! - an inline table's key: `raid.0.launch_site.lat`.
//!
//! The value at the path must be a number (integer or float), a quantity string (`"170 km"`), a
//! boolean or another string (a name or a word such as `engage-on-remote`); a new value must be
//! of the same kind (an integer for an integer, a quantity of the same dimension for a quantity,
//! `true` or `false` for a boolean; any text for a string, which the loader then checks). A path
//! that leads nowhere is an error that lists what exists where it stopped; [`numeric_paths`]
//! lists every numeric path a file has.

use rampart_core::units::{Dimension, Quantity, parse_quantity};
use toml::{Table, Value};

/// Why a value could not be set.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct OverrideError {
    /// The path as given.
    pub path: String,
    /// What is wrong, with what exists where the path stopped.
    pub message: String,
}

/// What a numeric value is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Integer,
    Float,
    Quantity(Option<Dimension>),
    Boolean,
    Text,
}

/// The kind of a numeric value (a number or a quantity).
fn kind_of(v: &Value) -> Option<Kind> {
    match v {
        Value::Integer(_) => Some(Kind::Integer),
        Value::Float(_) => Some(Kind::Float),
        Value::String(s) => match parse_quantity(s) {
            Ok(Quantity::Si { dim, .. }) => Some(Kind::Quantity(Some(dim))),
            Ok(Quantity::Mach(_)) => Some(Kind::Quantity(None)),
            Err(_) => None,
        },
        _ => None,
    }
}

/// The kind of any value a path may set: a numeric one, a boolean or another string.
fn settable_kind(v: &Value) -> Option<Kind> {
    kind_of(v).or(match v {
        Value::Boolean(_) => Some(Kind::Boolean),
        Value::String(_) => Some(Kind::Text),
        _ => None,
    })
}

/// The TOML value of `text` for a key whose current value is of kind `kind`.
fn new_value(kind: Kind, text: &str) -> Result<Value, String> {
    let t = text.trim();
    match kind {
        Kind::Integer => t
            .parse::<i64>()
            .map(Value::Integer)
            .map_err(|_| format!("`{t}` is not an integer, and this key holds an integer")),
        Kind::Float => t
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Value::Float)
            .ok_or_else(|| format!("`{t}` is not a number, and this key holds a number")),
        Kind::Boolean => match t {
            "true" => Ok(Value::Boolean(true)),
            "false" => Ok(Value::Boolean(false)),
            _ => Err(format!(
                "`{t}` is not `true` or `false`, and this key holds a boolean"
            )),
        },
        Kind::Text => Ok(Value::String(t.to_string())),
        Kind::Quantity(dim) => {
            let want = match dim {
                Some(d) => format!("a {d} such as \"10 {}\"", d.si_unit()),
                None => "a Mach number such as \"Mach 0.8\"".to_string(),
            };
            match parse_quantity(t) {
                Ok(Quantity::Si { dim: d, .. }) if Some(d) == dim => Ok(Value::String(t.into())),
                Ok(Quantity::Mach(_)) if dim.is_none() => Ok(Value::String(t.into())),
                Ok(_) => Err(format!("`{t}` is not {want}, which this key holds")),
                Err(e) => Err(format!(
                    "`{t}` is not a quantity ({e}); this key holds {want}"
                )),
            }
        }
    }
}

/// Sets the value at `path` in the parsed scenario file `doc` to `value` (text as on the
/// command line: `4`, `0.9`, `150 km`).
pub fn apply(doc: &mut Table, path: &str, value: &str) -> Result<(), OverrideError> {
    let err = |message: String| OverrideError {
        path: path.to_string(),
        message,
    };
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(err(
            "a path is keys joined by `.`, e.g. `raid.0.count`; this one has an empty segment"
                .into(),
        ));
    }
    let mut targets = Vec::new();
    resolve(doc, &segments, "", &mut targets).map_err(err)?;
    for v in targets {
        let kind = settable_kind(v).ok_or_else(|| {
            err(format!(
                "the value there ({}) is not a number, a quantity, a boolean or a string",
                v.type_str()
            ))
        })?;
        *v = new_value(kind, value).map_err(err)?;
    }
    Ok(())
}

/// The scenario text `text` with each `PATH=VALUE` of `sets` applied in turn (as `--set`
/// gives them); the text is unchanged when `sets` is empty.
///
/// # Errors
/// A malformed setting, a path that leads nowhere, a value of the wrong kind, or text that is
/// not TOML.
pub fn apply_sets(text: &str, sets: &[String]) -> Result<String, OverrideError> {
    if sets.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc: Table = text.parse().map_err(|e: toml::de::Error| OverrideError {
        path: String::new(),
        message: format!("the scenario is not TOML: {e}"),
    })?;
    for s in sets {
        let (path, value) = s.split_once('=').ok_or_else(|| OverrideError {
            path: s.clone(),
            message: "expected KEY=VALUE, e.g. `network.enabled=false`".into(),
        })?;
        apply(&mut doc, path.trim(), value)?;
    }
    toml::to_string(&doc).map_err(|e| OverrideError {
        path: String::new(),
        message: e.to_string(),
    })
}

/// Collects the values at `segments` below `table` (reached by `at`) into `out`.
fn resolve<'a>(
    table: &'a mut Table,
    segments: &[&str],
    at: &str,
    out: &mut Vec<&'a mut Value>,
) -> Result<(), String> {
    let key = segments[0];
    let rest = &segments[1..];
    let here = if at.is_empty() {
        "the top level".to_string()
    } else {
        format!("`{at}`")
    };
    if !table.contains_key(key) {
        let keys: Vec<&str> = table.keys().map(String::as_str).collect();
        return Err(format!(
            "there is no key `{key}` in {here}; it has: {}",
            keys.join(", ")
        ));
    }
    let at = join(at, key);
    let value = table.get_mut(key).expect("checked above");
    descend(value, rest, &at, out)
}

fn descend<'a>(
    value: &'a mut Value,
    rest: &[&str],
    at: &str,
    out: &mut Vec<&'a mut Value>,
) -> Result<(), String> {
    if rest.is_empty() {
        if let Value::Array(items) = value
            && items.iter().all(Value::is_table)
        {
            return Err(format!(
                "`{at}` is a list of tables; name an element and a key, e.g. `{at}.0.<key>`"
            ));
        }
        if let Value::Table(t) = value {
            return Err(format!(
                "`{at}` is a table; add one of its keys: {}",
                numeric_keys(t).join(", ")
            ));
        }
        out.push(value);
        return Ok(());
    }
    let type_name = value.type_str();
    match value {
        Value::Table(t) => resolve(t, rest, at, out),
        Value::Array(items) if items.iter().all(Value::is_table) => {
            let seg = rest[0];
            let names: Vec<String> = items
                .iter()
                .map(|v| v.get("name").and_then(Value::as_str).map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .unwrap_or_default();
            if let Ok(i) = seg.parse::<usize>() {
                let n = items.len();
                let item = items.get_mut(i).ok_or_else(|| {
                    format!(
                        "`{at}` has {n} element(s), indexed 0 to {}",
                        n.saturating_sub(1)
                    )
                })?;
                return descend(item, &rest[1..], &join(at, seg), out);
            }
            if let Some(i) = names.iter().position(|n| n == seg) {
                return descend(&mut items[i], &rest[1..], &join(at, seg), out);
            }
            // Every element: the segment must be a key of each.
            if !items.is_empty()
                && items
                    .iter()
                    .all(|v| v.as_table().is_some_and(|t| t.contains_key(seg)))
            {
                for item in items.iter_mut() {
                    descend(item, rest, at, out)?;
                }
                return Ok(());
            }
            let mut choices = format!("an index 0 to {}", items.len().saturating_sub(1));
            if !names.is_empty() {
                choices += &format!(", a name ({})", names.join(", "));
            }
            let common = items
                .first()
                .and_then(Value::as_table)
                .map(numeric_keys)
                .unwrap_or_default();
            if !common.is_empty() {
                choices += &format!(", or a key of every element ({})", common.join(", "));
            }
            Err(format!(
                "`{seg}` is not an element of `{at}`; use {choices}"
            ))
        }
        _ => Err(format!(
            "`{at}` is a {type_name}, which has no `{}`",
            rest[0]
        )),
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

/// The keys of `t` that hold numbers or quantities, or tables or lists of them.
fn numeric_keys(t: &Table) -> Vec<String> {
    t.iter()
        .filter(|(_, v)| {
            kind_of(v).is_some()
                || v.is_table()
                || v.as_array().is_some_and(|a| a.iter().all(Value::is_table))
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// Every path of `doc` that holds a number or a quantity, with its current value as text.
/// Elements of arrays of tables are named by `name` where they have one, by index otherwise.
pub fn numeric_paths(doc: &Table) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk_table(doc, "", &mut out);
    out
}

fn walk_table(t: &Table, at: &str, out: &mut Vec<(String, String)>) {
    for (k, v) in t {
        walk(v, &join(at, k), out);
    }
}

fn walk(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Table(t) => walk_table(t, at, out),
        Value::Array(items) if items.iter().all(Value::is_table) => {
            for (i, item) in items.iter().enumerate() {
                let seg = item
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| i.to_string(), str::to_string);
                walk(item, &join(at, &seg), out);
            }
        }
        other => {
            if kind_of(other).is_some() {
                let text = match other {
                    Value::String(s) => s.clone(),
                    x => x.to_string(),
                };
                out.push((at.to_string(), text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"
[scenario]
name = "x"
duration = "2 h"
[threat_type.Fateh]
reliability = 0.73
[[raid]]
count = 5
launch_site = { lat = 34.4, lon = 46.9 }
[[raid]]
count = 4
[[fire_unit]]
name = "Battery-1"
channels = 3
fire_control = "autonomous"
[[fire_unit.launchers]]
count = 2
[[fire_unit.launchers]]
count = 1
[network]
enabled = true
"#;

    fn doc() -> Table {
        DOC.parse().unwrap()
    }

    #[test]
    fn sets_by_index_name_and_every_element() {
        let mut d = doc();
        apply(&mut d, "raid.1.count", "8").unwrap();
        apply(&mut d, "fire_unit.Battery-1.launchers.count", "6").unwrap();
        apply(&mut d, "threat_type.Fateh.reliability", "0.5").unwrap();
        apply(&mut d, "scenario.duration", "90 min").unwrap();
        apply(&mut d, "raid.0.launch_site.lat", "34").unwrap();
        assert_eq!(d["raid"][1]["count"].as_integer(), Some(8));
        assert_eq!(d["raid"][0]["count"].as_integer(), Some(5));
        let l = &d["fire_unit"][0]["launchers"];
        assert_eq!(l[0]["count"].as_integer(), Some(6));
        assert_eq!(l[1]["count"].as_integer(), Some(6));
        assert_eq!(
            d["threat_type"]["Fateh"]["reliability"].as_float(),
            Some(0.5)
        );
        assert_eq!(d["scenario"]["duration"].as_str(), Some("90 min"));
        assert_eq!(d["raid"][0]["launch_site"]["lat"].as_float(), Some(34.0));
    }

    #[test]
    fn a_missing_path_lists_what_exists() {
        let mut d = doc();
        let e = apply(&mut d, "fire_unit.Battery-3.channels", "2").unwrap_err();
        assert!(e.message.contains("Battery-1"), "{e}");
        assert!(e.message.contains("index 0 to 0"), "{e}");
        let e = apply(&mut d, "raid.0.cout", "2").unwrap_err();
        assert!(
            e.message.contains("no key `cout`") && e.message.contains("count"),
            "{e}"
        );
        let e = apply(&mut d, "raid.7.count", "2").unwrap_err();
        assert!(e.message.contains("2 element(s)"), "{e}");
        let e = apply(&mut d, "rade.0.count", "2").unwrap_err();
        assert!(
            e.message.contains("raid") && e.message.contains("top level"),
            "{e}"
        );
        let e = apply(&mut d, "raid", "2").unwrap_err();
        assert!(e.message.contains("list of tables"), "{e}");
        let e = apply(&mut d, "raid..count", "2").unwrap_err();
        assert!(e.message.contains("empty segment"), "{e}");
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_refused() {
        let mut d = doc();
        let e = apply(&mut d, "raid.0.count", "2.5").unwrap_err();
        assert!(e.message.contains("not an integer"), "{e}");
        let e = apply(&mut d, "scenario.duration", "5 km").unwrap_err();
        assert!(e.message.contains("time"), "{e}");
        let e = apply(&mut d, "network.enabled", "yes").unwrap_err();
        assert!(e.message.contains("not `true` or `false`"), "{e}");
        let e = apply(&mut d, "threat_type.Fateh.reliability", "high").unwrap_err();
        assert!(e.message.contains("not a number"), "{e}");
    }

    #[test]
    fn sets_booleans_and_words() {
        let mut d = doc();
        apply(&mut d, "network.enabled", "false").unwrap();
        apply(
            &mut d,
            "fire_unit.Battery-1.fire_control",
            "engage-on-remote",
        )
        .unwrap();
        apply(&mut d, "scenario.name", "another").unwrap();
        assert_eq!(d["network"]["enabled"].as_bool(), Some(false));
        assert_eq!(
            d["fire_unit"][0]["fire_control"].as_str(),
            Some("engage-on-remote")
        );
        let text = apply_sets(
            DOC,
            &["network.enabled=false".into(), "raid.0.count=7".into()],
        )
        .unwrap();
        let back: Table = text.parse().unwrap();
        assert_eq!(back["network"]["enabled"].as_bool(), Some(false));
        assert_eq!(back["raid"][0]["count"].as_integer(), Some(7));
        assert_eq!(apply_sets(DOC, &[]).unwrap(), DOC);
        let e = apply_sets(DOC, &["network.enabled".into()]).unwrap_err();
        assert!(e.message.contains("KEY=VALUE"), "{e}");
    }

    #[test]
    fn lists_every_numeric_path() {
        let paths: Vec<String> = numeric_paths(&doc()).into_iter().map(|p| p.0).collect();
        for p in [
            "scenario.duration",
            "threat_type.Fateh.reliability",
            "raid.0.count",
            "raid.0.launch_site.lon",
            "fire_unit.Battery-1.channels",
            "fire_unit.Battery-1.launchers.1.count",
        ] {
            assert!(paths.iter().any(|q| q == p), "{p} missing from {paths:?}");
        }
        assert!(!paths.iter().any(|q| q == "scenario.name"));
    }
}
