"""Scenarios, runs, Monte Carlo runs and sweeps: the command line's ``run``, ``mc`` and ``sweep``
from Python, with the same numbers for the same scenario and seed."""

from __future__ import annotations

import html
import io
import json
import math
import numbers
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _native

__all__ = [
    "Scenario",
    "RunResult",
    "McResult",
    "SweepResult",
    "Statistic",
    "run",
    "mc",
    "sweep",
]

#: The largest scenario file read, as on the command line.
MAX_SCENARIO_BYTES = 16 * 1024 * 1024

PathLike = Union[str, "os.PathLike[str]"]


def _read_limited(path: Path, limit: int) -> str:
    """A regular file's text, read as the command line reads it: UTF-8, line endings as they
    are, at most ``limit`` bytes (a FIFO or a device is refused, never read without end)."""
    if not path.is_file():
        raise ValueError(f"{path}: not a regular file")
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{path}: larger than a scenario may be ({limit} bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text (byte {e.start})") from e


def _value_text(value: Any) -> str:
    """A Python value as ``--set`` takes it: booleans as ``true``/``false``, numbers as
    written, strings (quantities with units such as ``"2 km"``, words) as they are."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):  # float, numpy.float64 …
        if not math.isfinite(float(value)):
            raise ValueError(f"{value!r} is not a finite number")
        return repr(float(value))
    if isinstance(value, str):
        return value
    raise TypeError(
        f"a scenario value is a bool, int, float or str (a quantity such as '2 km'), not {type(value).__name__}"
    )


class Scenario:
    """A checked scenario: the text that runs and its model.

    Load one with :meth:`load` or :meth:`from_toml`; change keys with :meth:`set`, which takes
    the key paths of ``rampart sweep --vary`` (``rampart sweep SCENARIO --list-keys`` lists
    them, as does :meth:`keys`). Errors raise :class:`rampart.ScenarioError` with the file,
    line and column.
    """

    def __init__(self, source: str, file: str, sets: Sequence[str] = ()) -> None:
        self._source = source
        self._file = file
        self._sets: List[str] = list(sets)
        self._native = _native.NativeScenario.parse(source, file, self._sets)

    @classmethod
    def load(cls, path: PathLike) -> "Scenario":
        """Reads and checks the scenario file at ``path``."""
        return cls(_read_limited(Path(path), MAX_SCENARIO_BYTES), os.fspath(path))

    @classmethod
    def from_toml(cls, text: str, file: str = "<string>") -> "Scenario":
        """Checks scenario text; ``file`` names it in errors and reports."""
        return cls(text, file)

    def set(self, key: str, value: Any) -> "Scenario":
        """Sets ``key`` (``"fire_unit.Battery-1.launchers.count"``, ``"network.enabled"``) to
        ``value`` and checks the scenario again; returns the scenario, so calls chain."""
        sets = [s for s in self._sets if s.split("=", 1)[0] != key]
        sets.append(f"{key}={_value_text(value)}")
        native = _native.NativeScenario.parse(self._source, self._file, sets)
        self._sets, self._native = sets, native
        return self

    def copy(self) -> "Scenario":
        """An independent copy (its own later :meth:`set` calls)."""
        return Scenario(self._source, self._file, self._sets)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self._native.name

    @property
    def seed(self) -> int:
        """The scenario's own seed (the default of every run)."""
        return self._native.seed

    @property
    def file(self) -> str:
        """The file it came from, as given."""
        return self._file

    @property
    def text(self) -> str:
        """The scenario text that runs, the settings applied."""
        return self._native.text

    @property
    def settings(self) -> List[str]:
        """The ``KEY=VALUE`` settings applied, in order."""
        return list(self._sets)

    @property
    def warnings(self) -> List[str]:
        """The loader's warnings, rendered."""
        return self._native.warnings

    def keys(self) -> Dict[str, str]:
        """Every key path holding a number or a quantity, with its value as written."""
        return dict(self._native.keys())

    def __repr__(self) -> str:
        extra = f", settings={self._sets!r}" if self._sets else ""
        return f"Scenario({self.name!r}, file={self._file!r}{extra})"

    def __reduce__(self):  # picklable (Ray tasks, multiprocessing)
        return (Scenario, (self._source, self._file, self._sets))


def _command(function: str, scenario: Scenario, **kwargs: Any) -> str:
    """How a report records the call that made it."""
    parts = [repr(scenario.file)]
    parts += [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    if scenario.settings:
        parts.append(f"settings={scenario.settings!r}")
    return f"rampart.{function}({', '.join(parts)})"


def _frame(records: List[Dict[str, Any]]) -> pd.DataFrame:
    return pd.json_normalize(records) if records else pd.DataFrame()


@dataclass(frozen=True)
class Statistic:
    """A Monte Carlo estimate with its 95 % confidence interval."""

    name: str
    mean: float
    ci_low: float
    ci_high: float
    n: Optional[int] = None

    @property
    def half_width(self) -> float:
        return (self.ci_high - self.ci_low) / 2.0


class RunResult:
    """One replication: its summary, events and threats."""

    def __init__(self, native: Any, scenario: Scenario, command: str) -> None:
        self._native = native
        self.scenario = scenario
        self._command = command
        #: ``summary.json`` as ``rampart run`` writes it, as a dict.
        self.summary: Dict[str, Any] = json.loads(native.summary_json())
        self._events: Optional[pd.DataFrame] = None
        self._threats: Optional[pd.DataFrame] = None

    @property
    def events(self) -> pd.DataFrame:
        """Every event (``events.jsonl``), one row each: ``t_ns``, ``t``, ``kind`` and the
        event's own fields (nested ones flattened as ``a.b``; docs/outputs.md)."""
        if self._events is None:
            lines = self._native.events_jsonl().splitlines()
            self._events = _frame([json.loads(line) for line in lines])
        return self._events

    @property
    def threats(self) -> pd.DataFrame:
        """One row per threat: the run table's columns (outcome, impact, engagements …)."""
        if self._threats is None:
            self._threats = _frame(self.summary.get("threats", []))
        return self._threats

    def report_html(self) -> str:
        """``report.html`` of this run (one self-contained page)."""
        return self._native.report_html(self._command)

    def _repr_html_(self) -> str:
        t = self.summary.get("totals", {})
        return (
            f"<p><b>{html.escape(self.scenario.name)}</b>: {t.get('launched', '?')} launched, "
            f"{t.get('intercepted', '?')} intercepted, {t.get('impacted', '?')} impacted</p>"
        )


class McResult:
    """A Monte Carlo run: its statistics with 95 % intervals and one row per replication."""

    def __init__(self, native: Any, scenario: Scenario, command: str) -> None:
        self._native = native
        self.scenario = scenario
        self._command = command
        #: ``summary.json`` as ``rampart mc`` writes it, as a dict.
        self.summary: Dict[str, Any] = json.loads(native.summary_json())
        self._replications: Optional[pd.DataFrame] = None
        self._impacts: Optional[pd.DataFrame] = None

    @property
    def runs(self) -> int:
        return int(self.summary["runs"])

    @property
    def replications(self) -> pd.DataFrame:
        """``replications.csv``: one row per replication."""
        if self._replications is None:
            self._replications = pd.read_csv(io.BytesIO(self._native.replications_csv()))
        return self._replications

    @property
    def impacts(self) -> pd.DataFrame:
        """``impacts.csv``: every threat that reached the ground, with its replication."""
        if self._impacts is None:
            data = self._native.impacts_csv()
            self._impacts = pd.read_csv(io.BytesIO(data)) if data else pd.DataFrame()
        return self._impacts

    def statistics(self) -> pd.DataFrame:
        """Every estimate with its 95 % interval, one row each, named as the sweep's
        ``grid.csv`` names them (``p_zero_leakers``, ``leakers``, ``p_hit:<asset>``,
        ``p_kill:<threat type>``, ``interceptors_left:<fire unit>`` …; docs/outputs.md):
        ``statistic, mean, ci_low, ci_high, n``."""
        return pd.DataFrame(
            self._native.statistics(), columns=["statistic", "mean", "ci_low", "ci_high", "n"]
        )

    def statistic(self, name: str) -> Statistic:
        """One estimate by its name in :meth:`statistics` (``"p_zero_leakers"``)."""
        frame = self.statistics()
        row = frame[frame["statistic"] == name]
        if row.empty:
            raise KeyError(f"no statistic {name!r}; see McResult.statistics()")
        r = row.iloc[0]
        n = r["n"]
        return Statistic(
            name,
            float(r["mean"]),
            float(r["ci_low"]),
            float(r["ci_high"]),
            None if n is None or (isinstance(n, float) and math.isnan(n)) else int(n),
        )

    def report_html(self) -> str:
        """``report.html`` of the run (its sample replication is run again)."""
        return self._native.report_html(self._command)


class SweepResult:
    """A sweep: the statistics at every point of the grid."""

    def __init__(self, native: Any, scenario: Scenario, command: str) -> None:
        self._native = native
        self.scenario = scenario
        self._command = command
        #: ``sweep.json`` as ``rampart sweep`` writes it, as a dict.
        self.summary: Dict[str, Any] = json.loads(native.sweep_json())
        self._grid: Optional[pd.DataFrame] = None

    @property
    def grid(self) -> pd.DataFrame:
        """``grid.csv``: one row per point, the varied keys' values first, then each statistic's
        mean and 95 % interval, and the paired differences from the first point."""
        if self._grid is None:
            self._grid = pd.read_csv(io.BytesIO(self._native.grid_csv()))
        return self._grid

    def report_html(self) -> str:
        """``report.html`` of the sweep."""
        return self._native.report_html(self._command)


def run(
    scenario: Scenario,
    seed: Optional[int] = None,
    replication: int = 0,
    *,
    state_interval: float = 1.0,
    log_detections: bool = False,
) -> RunResult:
    """Runs one replication, as ``rampart run SCENARIO --seed SEED --replication K``.

    ``seed`` defaults to the scenario's; ``state_interval`` (s) is the spacing of the
    ``entity_state`` events that record where every threat and interceptor is;
    ``log_detections`` keeps the scan, detection and track events too (many).
    """
    seed = scenario.seed if seed is None else seed
    native = _native.run(scenario._native, seed, replication, state_interval, log_detections)
    command = _command("run", scenario, seed=seed, replication=replication or None)
    return RunResult(native, scenario, command)


def _progress_callback(progress: Union[bool, Callable[[int], Any], None], total: int):
    """A callable taking how many more replications finished, and a closer."""
    if progress is None or progress is False:
        return None, lambda: None
    if progress is True:
        try:
            from tqdm.auto import tqdm
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("progress=True needs tqdm (pip install tqdm)") from e
        bar = tqdm(total=total, unit="run")
        return bar.update, bar.close
    if callable(progress):
        return progress, lambda: None
    raise TypeError("progress is True, False, None or a callable taking a count")


def mc(
    scenario: Scenario,
    runs: int = 1000,
    seed: Optional[int] = None,
    *,
    threads: Optional[int] = None,
    until_ci: Optional[float] = None,
    backend: str = "local",
    shards: Optional[int] = None,
    progress: Union[bool, Callable[[int], Any], None] = None,
) -> McResult:
    """A Monte Carlo run, as ``rampart mc SCENARIO --runs RUNS --seed SEED``.

    ``threads`` defaults to one per core; ``until_ci`` stops after the first batch at which
    every probability's 95 % interval half-width is below it. ``backend="ray"`` runs the
    replications as ``shards`` Ray tasks (Ray must be initialised, or is started locally) and
    folds their records: the same result as a local run, to the bit. ``progress=True`` shows a
    progress bar (tqdm), or give a callable taking how many more replications finished.
    The GIL is released while the replications run, and Ctrl-C stops them.
    """
    seed = scenario.seed if seed is None else seed
    command = _command("mc", scenario, runs=runs, seed=seed, until_ci=until_ci)
    if backend == "ray":
        if until_ci is not None:
            raise ValueError("until_ci stops a run as it goes; it does not apply to shards")
        if progress:
            raise ValueError("progress applies to backend='local'; Ray's dashboard shows the tasks")
        from ._ray import mc_on_ray

        native = mc_on_ray(scenario, runs, seed, shards=shards, threads=threads)
        return McResult(native, scenario, command)
    if backend != "local":
        raise ValueError(f"backend is 'local' or 'ray', not {backend!r}")
    if shards is not None:
        raise ValueError("shards applies to backend='ray'")
    callback, close = _progress_callback(progress, runs)
    try:
        native = _native.mc(scenario._native, runs, seed, threads, until_ci, callback)
    finally:
        close()
    return McResult(native, scenario, command)


def _axis(key: str, values: Union[Sequence[Any], str]) -> str:
    if isinstance(values, str):
        return f"{key}={values}"
    texts = [_value_text(v) for v in values]
    for t in texts:
        if "," in t:
            raise ValueError(f"vary {key}: the value {t!r} holds a comma")
    return f"{key}={','.join(texts)}"


def sweep(
    scenario: Scenario,
    vary: Mapping[str, Union[Sequence[Any], str]],
    runs: int = 1000,
    seed: Optional[int] = None,
    *,
    threads: Optional[int] = None,
    progress: Union[bool, Callable[[int], Any], None] = None,
) -> SweepResult:
    """A sweep, as ``rampart sweep SCENARIO --vary KEY=V1,V2 … --runs RUNS``: ``runs``
    replications at every point of the grid of ``vary`` (key path → values), with common
    random numbers across points."""
    if not vary:
        raise ValueError("vary names at least one key and its values")
    seed = scenario.seed if seed is None else seed
    specs = [_axis(k, v) for k, v in vary.items()]
    points = 1
    for spec in specs:
        points *= len([v for v in spec.split("=", 1)[1].split(",") if v.strip()])
    callback, close = _progress_callback(progress, points * runs)
    try:
        native = _native.sweep(scenario._native, specs, runs, seed, threads, callback)
    finally:
        close()
    command = _command("sweep", scenario, vary=dict(vary), runs=runs, seed=seed)
    return SweepResult(native, scenario, command)
