"""Rampart from Python: air-and-missile-defense scenarios, runs, Monte Carlo runs and sweeps,
and the multi-target tracker, with the command line's numbers for the same scenario and seed.

>>> import rampart
>>> s = rampart.Scenario.load("scenarios/al-asad-2020-defended.toml")
>>> r = rampart.mc(s, runs=200)
>>> r.statistic("p_zero_leakers")

See docs/python.md.
"""

from ._core import (
    McResult,
    RunResult,
    Scenario,
    Statistic,
    SweepResult,
    mc,
    run,
    sweep,
)
from ._native import __version__
from .errors import ScenarioError
from .tracking import GospaScores, TrackerConfig, gospa, track

__all__ = [
    "Scenario",
    "ScenarioError",
    "RunResult",
    "McResult",
    "SweepResult",
    "Statistic",
    "TrackerConfig",
    "GospaScores",
    "run",
    "mc",
    "sweep",
    "track",
    "gospa",
    "__version__",
]
