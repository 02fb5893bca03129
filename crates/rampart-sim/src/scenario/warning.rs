//! Warnings: what a scenario may say without being wrong, but which an analyst would not mean —
//! a defense that cannot fight. `validate` and `run` print them; `--deny-warnings` turns them
//! into errors; `summary.json` lists them. docs/scenario-format.md ("Warnings") lists each
//! kind.

use serde::{Deserialize, Serialize};

/// What a warning is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// An interceptor type that no fire unit's launchers fire.
    UnusedInterceptorType,
    /// A fire unit whose radar covers no point of any threat's nominal flight: it can never
    /// engage.
    FireUnitSeesNoThreat,
    /// An asset that no fire unit defends, in a scenario that describes a defense.
    UndefendedAsset,
    /// A radar whose searched volume holds no point of any threat's nominal flight.
    RadarSeesNoThreat,
    /// A raid whose last threat's nominal flight does not reach its aim point before the
    /// scenario ends.
    RaidEndsAfterScenario,
}

impl WarningKind {
    /// The kind's name, as in `summary.json`.
    pub fn code(self) -> &'static str {
        match self {
            WarningKind::UnusedInterceptorType => "unused_interceptor_type",
            WarningKind::FireUnitSeesNoThreat => "fire_unit_sees_no_threat",
            WarningKind::UndefendedAsset => "undefended_asset",
            WarningKind::RadarSeesNoThreat => "radar_sees_no_threat",
            WarningKind::RaidEndsAfterScenario => "raid_ends_after_scenario",
        }
    }
}

/// One warning, located in the scenario file like an error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioWarning {
    /// What it is about.
    pub kind: WarningKind,
    /// What is the matter, in a sentence.
    pub message: String,
    /// The scenario file.
    pub file: String,
    /// Line of the table or key it is about, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The warning with its snippet of the file, as printed.
    #[serde(skip)]
    pub rendered: String,
}
