"""Rampart's tracker in a Stone Soup pipeline.

:class:`Tracker` is a Stone Soup tracker: it takes a detector (an iterable of ``(time, set of
Detection)``) and iterates as ``(time, set of Track)``, so it stands where Stone Soup's own
``MultiTargetTracker`` would, and Stone Soup's metrics and plotters take its tracks. Needs
``stonesoup`` (``pip install 'rampart[stonesoup]'``).
"""

from __future__ import annotations

import datetime
from typing import Any, Dict, Optional, Sequence, Set, Tuple

import numpy as np

try:
    from stonesoup.base import Property
    from stonesoup.tracker.base import Tracker as _StoneSoupTracker
    from stonesoup.tracker.base import _TrackerMixInNext
    from stonesoup.types.array import StateVector
    from stonesoup.types.array import CovarianceMatrix
    from stonesoup.types.state import GaussianState
    from stonesoup.types.track import Track
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("rampart.stonesoup needs Stone Soup (pip install 'stonesoup>=1.9')") from e

from .tracking import TrackerConfig

__all__ = ["Tracker"]

#: Rampart's x, y, z, vx, vy, vz in Stone Soup's order x, vx, y, vy, z, vz.
_ORDER = [0, 3, 1, 4, 2, 5]


class Tracker(_TrackerMixInNext, _StoneSoupTracker):
    """Rampart's multi-target tracker (docs/tracking.md) behind Stone Soup's tracker interface.

    Each detection's position is its measurement vector's components ``position_mapping``
    (x, y, z in metres; two components mean z = 0). Each scan's confirmed tracks are
    yielded as Stone Soup :class:`~stonesoup.types.track.Track` objects, one per Rampart track
    id, their states Gaussian over ``[x, vx, y, vy, z, vz]`` (Stone Soup's constant-velocity
    order; measure them with ``Euclidean(mapping=[0, 2, 4])``), the mean and covariance of the
    track's position and velocity. Times are seconds since the first scan's.
    """

    detector: Any = Property(doc="Detector: an iterable of (time, set of Detection).")
    config: Any = Property(
        doc="Tracker settings: a rampart.TrackerConfig, a dict of tables or a tracker TOML path."
    )
    position_mapping: Sequence[int] = Property(
        default=(0, 1, 2),
        doc="Indices of x, y (and z) in a detection's measurement vector.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._native = TrackerConfig.of(self.config).tracker()
        self._epoch: Optional[datetime.datetime] = None
        self._by_id: Dict[int, Track] = {}
        self._tracks: Set[Track] = set()
        if len(self.position_mapping) not in (2, 3):
            raise ValueError("position_mapping gives 2 or 3 indices (x, y[, z])")

    @property
    def tracks(self) -> Set[Track]:
        return self._tracks

    def _seconds(self, time: Any) -> float:
        if isinstance(time, datetime.datetime):
            if self._epoch is None:
                self._epoch = time
            return (time - self._epoch).total_seconds()
        return float(time)

    def __next__(self) -> Tuple[Any, Set[Track]]:
        time, detections = next(self.detector_iter)
        mapping = list(self.position_mapping)
        xyz = np.zeros((len(detections), 3), dtype="<f8")
        for i, d in enumerate(detections):
            v = np.asarray(d.state_vector, dtype=np.float64).ravel()
            xyz[i, : len(mapping)] = v[mapping]
        data = np.frombuffer(
            self._native.step_with_covariance(self._seconds(time), xyz.tobytes()), dtype="<f8"
        ).reshape(-1, 8 + 36)
        current: Set[Track] = set()
        by_id: Dict[int, Track] = {}
        for row in data:
            key = int(row[1])
            x, y, z, vx, vy, vz = row[2:8]
            # Rampart's order is x, y, z, vx, vy, vz; Stone Soup's x, vx, y, vy, z, vz.
            cov = row[8:].reshape(6, 6)[np.ix_(_ORDER, _ORDER)]
            track = self._by_id.get(key)
            if track is None:
                track = Track(id=f"rampart-{key}")
            track.append(
                GaussianState(
                    StateVector([x, vx, y, vy, z, vz]), CovarianceMatrix(cov), timestamp=time
                )
            )
            current.add(track)
            by_id[key] = track
        # A track no longer confirmed has ended for good (ids are never reused).
        self._by_id = by_id
        self._tracks = current
        return time, self._tracks
