//! A tracker table — a radar's `[radar.tracker]`, or the whole of `rampart track`'s
//! `tracker.toml` — read with the loader's own machinery: [`rampart_track::config`] owns the
//! format and its checks, and reads every value through the loader's readers
//! ([`SettingReader`] for [`Ctx`]), so units, ranges and errors that name the file, line and
//! column are the scenario's.

use super::diagnostics::{backticked, did_you_mean};
use super::{Ctx, Key, Result, not_text, read_source};
use crate::scenario::error::ScenarioError;
use rampart_core::units::{Bound, Dimension};
use rampart_track::config::{self, Host, SettingReader, TrackerConfig, TrackerSettings};
use std::ops::Range;
use std::path::Path;
use toml::Value;

/// The loader's key for a tracker key.
fn loader_key(k: config::Key<'_>) -> Key<'_> {
    Key {
        name: k.name,
        value: k.value,
    }
}

impl SettingReader for Ctx<'_> {
    type Error = ScenarioError;

    fn quantity(&self, k: config::Key<'_>, dim: Dimension, bound: Bound) -> Result<f64> {
        self.measure(loader_key(k), dim, bound)
    }

    fn number(&self, k: config::Key<'_>, bound: Bound) -> Result<f64> {
        Ctx::number(self, loader_key(k), bound)
    }

    fn whole(&self, k: config::Key<'_>, min: u32, max: u32) -> Result<u32> {
        let i = self.integer(loader_key(k), i64::from(min))?;
        u32::try_from(i).ok().filter(|&i| i <= max).ok_or_else(|| {
            Ctx::error(
                self,
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

    fn word(&self, k: config::Key<'_>, words: &[&'static str]) -> Result<&'static str> {
        let Value::String(s) = k.value.get_ref() else {
            let expected = format!("one of {}", backticked(words.iter().copied()));
            return Err(self.type_error(loader_key(k), &expected, k.value.get_ref()));
        };
        let got = s.trim();
        if let Some(w) = words.iter().find(|w| **w == got) {
            return Ok(w);
        }
        let err = Ctx::error(self, k.span(), format!("{}: unknown value `{got}`", k.name))
            .with_label("not one of the choices");
        Err(match did_you_mean(got, words.iter().copied()) {
            Some(w) => err.with_help(format!("did you mean `{w}`?")),
            None => err.with_help(format!(
                "{} is one of {}",
                k.name,
                backticked(words.iter().copied())
            )),
        })
    }

    fn error(&self, span: Range<usize>, message: String, help: Option<String>) -> ScenarioError {
        let e = Ctx::error(self, span, message);
        match help {
            Some(h) => e.with_help(h),
            None => e,
        }
    }
}

/// Reads and checks the tracker file at `path` (`rampart track --config`) for `host`, with
/// the same checks and errors as a scenario's tracker table.
pub fn load_tracker(path: &Path, host: Host) -> Result<TrackerSettings> {
    let file = path.display().to_string();
    let text = read_source(path, &file, "tracker file")?;
    parse_tracker(&text, &file, host)
}

/// Checks the tracker file text `text` for `host`; `file_name` is used in error messages.
pub fn parse_tracker(text: &str, file_name: &str, host: Host) -> Result<TrackerSettings> {
    let registry = crate::registry::Registry::builtin();
    let cx = Ctx {
        file: file_name,
        src: text,
        registry: &registry,
    };
    if let Some(nul) = text.find('\0') {
        return Err(not_text(file_name, text, nul, "tracker file"));
    }
    let config: TrackerConfig = toml::from_str(text).map_err(|e| cx.toml_error(&e))?;
    config.resolve(&cx, host)
}
