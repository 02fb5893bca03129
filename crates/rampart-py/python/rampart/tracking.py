"""The multi-target tracker on Cartesian detections, and GOSPA (``rampart track``)."""

from __future__ import annotations

import json
import numbers
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _native

__all__ = ["TrackerConfig", "track", "gospa", "GospaScores", "TRACK_COLUMNS"]

#: The columns of a tracks frame: time, track id, position and velocity.
TRACK_COLUMNS = ["t", "track_id", "x", "y", "z", "vx", "vy", "vz"]

PathLike = Union[str, "os.PathLike[str]"]


def _toml_value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):  # float, numpy.float64 …
        if not np.isfinite(float(value)):
            raise ValueError(f"{where}: {value!r} is not a finite number")
        return repr(float(value))
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string is a JSON string
    raise TypeError(f"{where}: a value is a bool, number or string, not {type(value).__name__}")


def _toml_text(tables: Mapping[str, Mapping[str, Any]]) -> str:
    lines = []
    for table, keys in tables.items():
        if not isinstance(keys, Mapping):
            raise TypeError(f"[{table}] is a table of keys, not {type(keys).__name__}")
        lines.append(f"[{table}]")
        for key, value in keys.items():
            lines.append(f"{key} = {_toml_value(value, f'{table}.{key}')}")
        lines.append("")
    return "\n".join(lines)


class TrackerConfig:
    """A tracker's settings: the tables of a tracker file (``[motion]``, ``[measurement]``,
    ``[detection]``, ``[association]``, ``[initiation]``, ``[deletion]``, ``[metrics]``;
    quantities with units, keys and defaults in docs/tracking.md).

    Build one from a file (:meth:`load`), TOML text (:meth:`from_toml`) or a dict of tables
    (:meth:`from_dict`: ``{"measurement": {"sigma": "50 m"}, ...}``). The settings are checked
    at once; errors raise :class:`rampart.ScenarioError` naming the key.
    """

    def __init__(self, text: str, file: str = "<tracker>") -> None:
        self.text = text
        self.file = file
        self._check = _native.NativeTracker(text, file)

    @classmethod
    def load(cls, path: PathLike) -> "TrackerConfig":
        return cls(Path(path).read_text(encoding="utf-8"), os.fspath(path))

    @classmethod
    def from_toml(cls, text: str, file: str = "<tracker>") -> "TrackerConfig":
        return cls(text, file)

    @classmethod
    def from_dict(cls, tables: Mapping[str, Mapping[str, Any]]) -> "TrackerConfig":
        return cls(_toml_text(tables), "<dict>")

    @classmethod
    def of(cls, config: "Union[TrackerConfig, Mapping[str, Any], PathLike]") -> "TrackerConfig":
        """A config from any of the accepted forms."""
        if isinstance(config, TrackerConfig):
            return config
        if isinstance(config, Mapping):
            return cls.from_dict(config)
        if isinstance(config, (str, os.PathLike)):
            return cls.load(config)
        raise TypeError("config is a TrackerConfig, a dict of tables or a path to a tracker TOML")

    @property
    def gospa(self) -> Tuple[float, float, float]:
        """The ``[metrics]`` GOSPA parameters (p, c in m, α)."""
        return self._check.gospa

    def tracker(self) -> "_native.NativeTracker":
        """A new tracker with these settings (no tracks yet)."""
        return _native.NativeTracker(self.text, self.file)

    def __repr__(self) -> str:
        return f"TrackerConfig(file={self.file!r})"

    def __reduce__(self):
        return (TrackerConfig, (self.text, self.file))


def _as_rows(data: Any, columns: Sequence[str], what: str, aliases: Mapping[str, str] = {}) -> np.ndarray:
    """A float64 C-ordered array of ``columns`` from a DataFrame (by name, aliases allowed) or
    an array (in that order)."""
    if isinstance(data, pd.DataFrame):
        picked = []
        for c in columns:
            name = c if c in data.columns else aliases.get(c)
            if name is None or name not in data.columns:
                raise ValueError(f"{what}: no column {c!r} (has {list(data.columns)})")
            picked.append(name)
        array = data[picked].to_numpy(dtype=np.float64)
    else:
        array = np.asarray(data, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != len(columns):
            raise ValueError(
                f"{what}: an N×{len(columns)} array ({', '.join(columns)}), not shape {array.shape}"
            )
    return np.ascontiguousarray(array, dtype="<f8")


def _tracks_frame(data: bytes) -> pd.DataFrame:
    array = np.frombuffer(data, dtype="<f8").reshape(-1, len(TRACK_COLUMNS))
    frame = pd.DataFrame(array.copy(), columns=TRACK_COLUMNS)
    frame["track_id"] = frame["track_id"].astype(np.int64)
    return frame


def track(detections: Any, config: "Union[TrackerConfig, Mapping[str, Any], PathLike]") -> pd.DataFrame:
    """Tracks Cartesian detections, as ``rampart track --detections … --config …``.

    ``detections`` is a DataFrame with columns ``t, x, y, z`` or an N×4 array in that order,
    sorted by time, the rows of one time being one scan (m, s). Returns the confirmed tracks
    after each scan: columns ``t, track_id, x, y, z, vx, vy, vz``.
    """
    rows = _as_rows(detections, ["t", "x", "y", "z"], "detections")
    return _tracks_frame(TrackerConfig.of(config).tracker().track(rows.tobytes()))


@dataclass
class GospaScores:
    """GOSPA of tracks against truth: the summary ``rampart track --metrics`` writes (``mean
    GOSPA``, its parts, RMSE, continuity) and the per-time values."""

    summary: Dict[str, Any]
    per_time: pd.DataFrame

    @property
    def mean(self) -> float:
        """The mean GOSPA distance over the times, m (NaN when no time was scored)."""
        return float(self.summary["gospa"].get("mean_distance", float("nan")))


def gospa(
    truth: Any,
    tracks: Any,
    c: float = 1000.0,
    p: float = 2.0,
    alpha: float = 2.0,
    times: Optional[Iterable[float]] = None,
) -> GospaScores:
    """GOSPA (Rahmathullah, García-Fernández and Svensson, 2017) of ``tracks`` against
    ``truth`` at each time of ``times`` (default: every time in either).

    ``truth`` has columns ``t, id, x, y, z`` (``target_id`` for ``id``; ``vx, vy, vz`` too
    for the velocity RMSE); ``tracks`` has ``t, track_id, x, y, z`` (and velocities), as
    :func:`track` returns. Truth is interpolated linearly between its samples. ``c`` is the
    cut-off (m), ``p`` the order, ``alpha`` 2 for the split into localisation, missed and false.
    """
    truth_rows = _with_velocity(truth, "truth", {"id": "target_id"})
    track_rows = _with_velocity(tracks, "tracks", {"id": "track_id"})
    if times is None:
        times = np.union1d(truth_rows[:, 0], track_rows[:, 0])
    summary, per_time = _native.gospa(
        truth_rows.tobytes(),
        track_rows.tobytes(),
        [float(t) for t in times],
        float(c),
        float(p),
        float(alpha),
    )
    frame = pd.DataFrame(
        per_time,
        columns=["t", "distance", "missed", "false", "localisation_part", "missed_part", "false_part"],
    )
    frame[["missed", "false"]] = frame[["missed", "false"]].astype(np.int64)
    return GospaScores(json.loads(summary), frame)


def _with_velocity(data: Any, what: str, aliases: Mapping[str, str]) -> np.ndarray:
    position = ["t", "id", "x", "y", "z"]
    if isinstance(data, pd.DataFrame):
        has_v = all(c in data.columns for c in ("vx", "vy", "vz"))
        columns = position + (["vx", "vy", "vz"] if has_v else [])
        rows = _as_rows(data, columns, what, aliases)
    else:
        array = np.asarray(data, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] not in (5, 8):
            raise ValueError(f"{what}: an N×5 (t, id, x, y, z) or N×8 array (and vx, vy, vz)")
        rows = array
    if rows.shape[1] == 5:
        rows = np.hstack([rows, np.zeros((rows.shape[0], 3))])
    return np.ascontiguousarray(rows, dtype="<f8")
