"""The tracker and GOSPA from Python: the command line's tracks and scores."""

import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import rampart
from conftest import TRACKING

DETECTIONS = TRACKING / "two-targets-detections.csv"
TRUTH = TRACKING / "two-targets-truth.csv"
CONFIG = TRACKING / "tracker.toml"


@pytest.fixture(scope="module")
def cli_tracks(tmp_path_factory, rampart_bin):
    out = tmp_path_factory.mktemp("track")
    subprocess.run(
        [
            str(rampart_bin),
            "track",
            "--detections",
            str(DETECTIONS),
            "--config",
            str(CONFIG),
            "--out",
            str(out / "tracks.csv"),
            "--truth",
            str(TRUTH),
            "--metrics",
            str(out / "metrics.json"),
        ],
        check=True,
        capture_output=True,
    )
    return pd.read_csv(out / "tracks.csv"), json.loads((out / "metrics.json").read_text())


def test_track_equals_rampart_track(cli_tracks):
    expected, _ = cli_tracks
    tracks = rampart.track(pd.read_csv(DETECTIONS), CONFIG)
    assert list(tracks.columns) == rampart.tracking.TRACK_COLUMNS
    assert len(tracks) == len(expected) > 0
    assert (tracks["track_id"].to_numpy() == expected.iloc[:, 1].to_numpy()).all()
    # The file holds the numbers as text; the frame holds them exactly.
    np.testing.assert_allclose(
        tracks.drop(columns="track_id").to_numpy(),
        expected.drop(columns=expected.columns[1]).to_numpy(),
        rtol=1e-9,
        atol=1e-6,
    )


def test_an_array_and_a_dict_config_give_the_same_tracks():
    detections = pd.read_csv(DETECTIONS)
    a = rampart.track(detections, CONFIG)
    config = {
        "motion": {"model": "cv", "q": "1 m^2/s^3"},
        "measurement": {"sigma": "50 m"},
        "detection": {"pd": 0.9, "clutter_density": 1.3e-14},
        "association": {"method": "gnn", "gate_probability": 0.999},
        "initiation": {"m": 2, "n": 3, "method": "velocity-gated", "max_speed": "400 m/s"},
        "deletion": {"max_misses": 3, "max_position_sigma": "10 km"},
        "metrics": {"p": 2.0, "c": "1 km", "alpha": 2.0},
    }
    b = rampart.track(detections[["t", "x", "y", "z"]].to_numpy(), config)
    pd.testing.assert_frame_equal(a, b)


def test_gospa_equals_rampart_track_metrics(cli_tracks):
    _, metrics = cli_tracks
    detections = pd.read_csv(DETECTIONS)
    tracks = rampart.track(detections, CONFIG)
    truth = pd.read_csv(TRUTH)
    p, c, alpha = rampart.TrackerConfig.load(CONFIG).gospa
    scores = rampart.gospa(truth, tracks, c=c, p=p, alpha=alpha, times=detections["t"].unique())
    assert scores.summary == metrics
    assert len(scores.per_time) == metrics["tracks"]["scans"]
    assert scores.mean == pytest.approx(scores.per_time["distance"].mean())


def test_gospa_of_perfect_tracks_is_zero_and_of_none_is_the_missed_cost():
    # Closed form (Rahmathullah et al. 2017): with α = 2, each missed target costs c^p / 2.
    truth = pd.DataFrame(
        {"t": [0.0, 0.0], "id": [1, 2], "x": [0.0, 5e3], "y": [0.0, 0.0], "z": [0.0, 0.0]}
    )
    same = truth.rename(columns={"id": "track_id"})
    assert rampart.gospa(truth, same, c=100.0).mean == 0.0
    none = same.iloc[0:0]
    scores = rampart.gospa(truth, none, c=100.0, p=2.0, times=[0.0])
    assert scores.mean == pytest.approx((2 * 100.0**2 / 2) ** 0.5)
    assert int(scores.per_time["missed"].iloc[0]) == 2


def test_bad_detections_are_refused_naming_the_row():
    d = pd.read_csv(DETECTIONS).iloc[::-1].reset_index(drop=True)
    with pytest.raises(ValueError, match="before the previous scan"):
        rampart.track(d, CONFIG)
    bad = pd.read_csv(DETECTIONS)
    bad.loc[3, "x"] = np.nan
    with pytest.raises(ValueError, match="not a finite number"):
        rampart.track(bad, CONFIG)
    with pytest.raises(ValueError, match="N×4"):
        rampart.track(np.zeros((3, 3)), CONFIG)


def test_a_tracker_file_error_names_the_key():
    with pytest.raises(rampart.ScenarioError) as info:
        rampart.TrackerConfig.from_dict({"measurement": {"sigma": "fifty"}})
    assert info.value.line is not None
