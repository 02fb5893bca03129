"""Rampart's tracker in a Stone Soup pipeline, against Stone Soup's own GNN tracker configured
the same way, both scored by Stone Soup's GOSPA."""

import datetime
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

stonesoup = pytest.importorskip("stonesoup")

from stonesoup.dataassociator.neighbour import GNNWith2DAssignment  # noqa: E402
from stonesoup.deleter.time import UpdateTimeStepsDeleter  # noqa: E402
from stonesoup.hypothesiser.distance import DistanceHypothesiser  # noqa: E402
from stonesoup.initiator.simple import MultiMeasurementInitiator  # noqa: E402
from stonesoup.measures import Euclidean, Mahalanobis  # noqa: E402
from stonesoup.metricgenerator.ospametric import GOSPAMetric  # noqa: E402
from stonesoup.models.measurement.linear import LinearGaussian  # noqa: E402
from stonesoup.models.transition.linear import (  # noqa: E402
    CombinedLinearGaussianTransitionModel,
    ConstantVelocity,
)
from stonesoup.predictor.kalman import KalmanPredictor  # noqa: E402
from stonesoup.tracker.simple import MultiTargetTracker  # noqa: E402
from stonesoup.types.array import StateVector  # noqa: E402
from stonesoup.types.detection import Clutter, Detection  # noqa: E402
from stonesoup.types.state import GaussianState, State  # noqa: E402
from stonesoup.updater.kalman import KalmanUpdater  # noqa: E402

import rampart  # noqa: E402
from rampart.stonesoup import Tracker  # noqa: E402

SIGMA = 50.0  # m, measurement noise per axis
Q = 1.0  # m²/s³, process-noise spectral density
PD = 0.9
CLUTTER_PER_SCAN = 3.0
BOX = ((-30e3, 30e3), (-30e3, 30e3), (0.0, 10e3))
VOLUME = np.prod([hi - lo for lo, hi in BOX])
GATE = 4.03  # √(χ²₃ quantile at 0.999), the Mahalanobis gate of gate_probability 0.999
START = datetime.datetime(2020, 1, 8, 1, 30)


def scenario(targets=6, scans=120, dt=1.0, seed=1):
    """Truth (nearly constant velocity) and scans of detections with misses and clutter."""
    rng = np.random.default_rng(seed)
    model = CombinedLinearGaussianTransitionModel([ConstantVelocity(Q)] * 3)
    truths = []
    for _ in range(targets):
        pos = rng.uniform([-20e3, -20e3, 2e3], [20e3, 20e3, 8e3])
        heading = rng.uniform(0, 2 * np.pi)
        vel = 220.0 * np.array([np.cos(heading), np.sin(heading), 0.0])
        x = StateVector([pos[0], vel[0], pos[1], vel[1], pos[2], vel[2]])
        path = []
        for k in range(scans):
            if k:
                # Process noise from this test's own generator, so that each seed is one case.
                step = datetime.timedelta(seconds=dt)
                w = rng.multivariate_normal(np.zeros(6), model.covar(time_interval=step))
                x = model.function(State(x), noise=False, time_interval=step) + StateVector(w)
            path.append(x)
        truths.append(path)
    measurement = LinearGaussian(6, (0, 2, 4), np.diag([SIGMA**2] * 3))
    scans_out = []
    for k in range(scans):
        t = START + datetime.timedelta(seconds=k * dt)
        dets = set()
        for path in truths:
            if rng.random() < PD:
                z = np.asarray(path[k])[[0, 2, 4]].ravel() + rng.normal(0, SIGMA, 3)
                dets.add(Detection(StateVector(z), timestamp=t, measurement_model=measurement))
        for _ in range(rng.poisson(CLUTTER_PER_SCAN)):
            z = [rng.uniform(lo, hi) for lo, hi in BOX]
            dets.add(Clutter(StateVector(z), timestamp=t, measurement_model=measurement))
        scans_out.append((t, dets))
    return truths, scans_out, measurement, model


def stone_soup_tracker(scans, measurement, model):
    predictor = KalmanPredictor(model)
    updater = KalmanUpdater(measurement)
    hypothesiser = DistanceHypothesiser(predictor, updater, measure=Mahalanobis(), missed_distance=GATE)
    associator = GNNWith2DAssignment(hypothesiser)
    deleter = UpdateTimeStepsDeleter(time_steps_since_update=3)
    initiator = MultiMeasurementInitiator(
        prior_state=GaussianState(
            StateVector([0.0] * 6), np.diag([SIGMA**2, 300.0**2] * 3)
        ),
        measurement_model=measurement,
        deleter=UpdateTimeStepsDeleter(time_steps_since_update=2),
        data_associator=associator,
        updater=updater,
        min_points=2,
    )
    return MultiTargetTracker(
        initiator=initiator,
        deleter=deleter,
        detector=iter(scans),
        data_associator=associator,
        updater=updater,
    )


CONFIG = {
    "motion": {"model": "cv", "q": f"{Q} m^2/s^3"},
    "measurement": {"sigma": f"{SIGMA} m"},
    "detection": {"pd": PD, "clutter_density": CLUTTER_PER_SCAN / VOLUME},
    "association": {"method": "gnn", "gate_probability": 0.999},
    "initiation": {"m": 2, "n": 3, "method": "velocity-gated", "max_speed": "400 m/s"},
    "deletion": {"max_misses": 3, "max_position_sigma": "10 km"},
}


def confirmed(tracker, scans, min_states):
    """Runs a tracker over the scans: per scan, the tracks to score and the seconds taken.
    Stone Soup's tracker yields its tracks as they start (one state); those count once they
    have ``min_states`` states, Rampart's are yielded only once confirmed."""
    out = []
    t0 = time.perf_counter()
    for t, tracks in tracker:
        out.append((t, [tr.state for tr in tracks if len(tr) >= min_states]))
    return out, time.perf_counter() - t0


def mean_gospa(per_scan, truths, c=1000.0):
    metric = GOSPAMetric(c=c, p=2, measure=Euclidean(mapping=[0, 2, 4]))
    total = 0.0
    for k, (t, states) in enumerate(per_scan):
        truth = [State(path[k], timestamp=t) for path in truths]
        measured = [State(s.state_vector, timestamp=t) for s in states]
        value, _ = metric.compute_gospa_metric(measured, truth)
        value = getattr(value, "value", value)
        total += value["distance"]
    return total / len(per_scan)


def test_rampart_in_a_stone_soup_pipeline_tracks_no_worse_than_stone_soup_gnn():
    results = {}
    for seed in (1, 2, 3):
        truths, scans, measurement, model = scenario(seed=seed)
        ours, t_ours = confirmed(Tracker(detector=iter(scans), config=CONFIG), scans, 1)
        theirs, t_theirs = confirmed(stone_soup_tracker(scans, measurement, model), scans, 2)
        results[seed] = {
            "rampart_gospa_m": mean_gospa(ours, truths),
            "stonesoup_gospa_m": mean_gospa(theirs, truths),
            "rampart_s": t_ours,
            "stonesoup_s": t_theirs,
        }
    mean = {k: float(np.mean([r[k] for r in results.values()])) for k in results[1]}
    mean["speed_ratio"] = mean["stonesoup_s"] / mean["rampart_s"]
    print(json.dumps({"per_seed": results, "mean": mean}, indent=1))
    if "RAMPART_ARTIFACTS" in os.environ:
        out = Path(os.environ["RAMPART_ARTIFACTS"])
        out.mkdir(parents=True, exist_ok=True)
        (out / "stonesoup-comparison.json").write_text(json.dumps({"per_seed": results, "mean": mean}, indent=1))
    # No worse: Rampart's mean GOSPA at most Stone Soup's on every case.
    for seed, r in results.items():
        assert r["rampart_gospa_m"] <= r["stonesoup_gospa_m"], (seed, r)


def test_tracks_are_stone_soup_tracks_with_states_in_its_order():
    truths, scans, _, _ = scenario(targets=2, scans=30, seed=4)
    tracker = Tracker(detector=iter(scans), config=CONFIG)
    last = None
    for t, tracks in tracker:
        last = (t, tracks)
    t, tracks = last
    assert len(tracks) == 2
    for track in tracks:
        assert track.state.timestamp == t
        assert track.state_vector.shape == (6, 1)
        # A Gaussian state: a symmetric, positive definite covariance, position variances
        # below the measurement noise's (the filter has averaged many scans), velocity's at
        # [1, 3, 5].
        cov = np.asarray(track.covar)
        assert cov.shape == (6, 6) and np.allclose(cov, cov.T)
        assert np.all(np.linalg.eigvalsh(cov) > 0)
        assert all(0 < cov[i, i] < SIGMA**2 for i in (0, 2, 4))
        assert all(0 < cov[i, i] < 100.0**2 for i in (1, 3, 5))
        # Near one of the truths, position at [0, 2, 4].
        d = min(
            np.linalg.norm(np.asarray(track.state_vector)[[0, 2, 4]] - np.asarray(path[-1])[[0, 2, 4]])
            for path in truths
        )
        assert d < 5 * SIGMA
    assert tracker.tracks == tracks
