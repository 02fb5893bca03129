//! No silent non-finite number: JSON has no NaN or infinity, and `serde_json` writes one as
//! `null`, which a reader cannot tell from a value that is absent. Every number of a summary
//! and of an event is checked before it is written; a non-finite one is an error naming where
//! it is, never a quiet `null`.

use anyhow::{Result, bail};
use serde::Serialize;
use serde_value::Value;

/// Checks that every floating-point number in `value` is finite; `what` names it in the error
/// (`summary.json`, `events.jsonl line 12`).
pub fn check<T: Serialize>(value: &T, what: &str) -> Result<()> {
    // serde_value keeps a NaN as a number, where serde_json's own value would turn it into
    // null before it could be seen.
    let v = serde_value::to_value(value).map_err(|e| anyhow::anyhow!("{what}: {e}"))?;
    let mut path = String::new();
    if let Some(bad) = first_non_finite(&v, &mut path) {
        bail!(
            "{what}: `{}` is {bad}, not a finite number; the run's result is refused rather than written with a silent null (please report this scenario)",
            if path.is_empty() {
                "the value"
            } else {
                path.trim_start_matches('.')
            }
        );
    }
    Ok(())
}

/// The first non-finite number in `v` (its text), with `path` left at where it is.
fn first_non_finite(v: &Value, path: &mut String) -> Option<String> {
    let len = path.len();
    let found = match v {
        Value::F64(x) if !x.is_finite() => Some(x.to_string()),
        Value::F32(x) if !x.is_finite() => Some(x.to_string()),
        Value::Option(Some(inner)) | Value::Newtype(inner) => first_non_finite(inner, path),
        Value::Seq(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.truncate(len);
            path.push_str(&format!("[{i}]"));
            first_non_finite(item, path)
        }),
        Value::Map(map) => map.iter().find_map(|(k, item)| {
            path.truncate(len);
            match k {
                Value::String(s) => path.push_str(&format!(".{s}")),
                other => path.push_str(&format!(".{other:?}")),
            }
            first_non_finite(item, path)
        }),
        _ => None,
    };
    if found.is_none() {
        path.truncate(len);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Threat {
        id: &'static str,
        apogee_m: Option<f64>,
    }

    #[derive(Serialize)]
    struct Summary {
        threats: Vec<Threat>,
        total: f64,
    }

    #[test]
    fn a_nan_is_found_and_named_and_an_absent_value_is_not() {
        let ok = Summary {
            threats: vec![Threat {
                id: "R1-1",
                apogee_m: None,
            }],
            total: 1.0,
        };
        assert!(check(&ok, "summary.json").is_ok());
        let bad = Summary {
            threats: vec![
                ok.threats[0].clone_like(),
                Threat {
                    id: "R1-2",
                    apogee_m: Some(f64::NAN),
                },
            ],
            total: 1.0,
        };
        let e = check(&bad, "summary.json").unwrap_err().to_string();
        assert!(e.contains("`threats[1].apogee_m` is NaN"), "{e}");
        let inf = Summary {
            threats: vec![],
            total: f64::INFINITY,
        };
        let e = check(&inf, "summary.json").unwrap_err().to_string();
        assert!(e.contains("`total` is inf"), "{e}");
    }

    impl Threat {
        fn clone_like(&self) -> Self {
            Threat {
                id: self.id,
                apogee_m: self.apogee_m,
            }
        }
    }
}
