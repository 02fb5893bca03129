"""The same scenario and seed give the command line's numbers, file for file."""

import html
import io
import json

import pandas as pd
import pytest

import rampart
from conftest import DEFENDED, REPO, TUTORIAL


def _without(text: str, command: str) -> str:
    """The report with the command that made it taken out (all that may differ)."""
    escaped = html.escape(command, quote=False)
    forms = {command, escaped, escaped.replace('"', "&quot;").replace("'", "&#39;")}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, "COMMAND")
    return text


def _same_report(py_html: str, py_command: str, cli_html: str, cli_command: str) -> None:
    assert _without(py_html, py_command) == _without(cli_html, cli_command)
    assert "COMMAND" in _without(py_html, py_command)


def test_run_equals_rampart_run(cli, tmp_path):
    out = tmp_path / "run"
    cli("run", str(DEFENDED), "--seed", "11", "--replication", "2", "--out", str(out))
    s = rampart.Scenario.load(DEFENDED)
    r = rampart.run(s, seed=11, replication=2)
    assert r._native.summary_json() == (out / "summary.json").read_text()
    assert r._native.events_jsonl() == (out / "events.jsonl").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    _same_report(r.report_html(), r._command, (out / "report.html").read_text(), manifest["command"])
    # The frames hold what the files hold.
    assert len(r.events) == len((out / "events.jsonl").read_text().splitlines())
    assert {"launch", "entity_state"} <= set(r.events["kind"])
    assert len(r.threats) == r.summary["totals"]["launched"]


def test_mc_equals_rampart_mc(cli, tmp_path):
    out = tmp_path / "mc"
    cli("mc", str(DEFENDED), "--runs", "60", "--seed", "5", "--threads", "2", "--out", str(out))
    s = rampart.Scenario.load(DEFENDED)
    r = rampart.mc(s, runs=60, seed=5, threads=1)
    assert r._native.summary_json() == (out / "summary.json").read_text()
    assert r._native.replications_csv() == (out / "replications.csv").read_bytes()
    assert r._native.impacts_csv() == (out / "impacts.csv").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text())
    _same_report(r.report_html(), r._command, (out / "report.html").read_text(), manifest["command"])
    frame = pd.read_csv(out / "replications.csv")
    pd.testing.assert_frame_equal(r.replications, frame)
    assert len(r.replications) == 60 == r.runs
    p = r.statistic("p_zero_leakers")
    assert 0.0 <= p.ci_low <= p.mean <= p.ci_high <= 1.0
    assert p.n == 60


def test_mc_with_a_setting_equals_mc_with_set(cli, tmp_path):
    out = tmp_path / "mc"
    key = "fire_unit.Battery-1.launchers.count=2"
    cli("mc", str(DEFENDED), "--runs", "20", "--set", key, "--out", str(out))
    s = rampart.Scenario.load(DEFENDED).set("fire_unit.Battery-1.launchers.count", 2)
    r = rampart.mc(s, runs=20)
    assert r._native.summary_json() == (out / "summary.json").read_text()
    assert r._native.replications_csv() == (out / "replications.csv").read_bytes()


def test_sweep_equals_rampart_sweep(cli, tmp_path):
    out = tmp_path / "sweep"
    cli(
        "sweep",
        str(TUTORIAL),
        "--vary",
        "raid.0.count=1,2",
        "--runs",
        "10",
        "--seed",
        "3",
        "--out",
        str(out),
    )
    s = rampart.Scenario.load(TUTORIAL)
    r = rampart.sweep(s, vary={"raid.0.count": [1, 2]}, runs=10, seed=3)
    assert r._native.sweep_json() == (out / "sweep.json").read_text()
    assert r._native.grid_csv() == (out / "grid.csv").read_bytes()
    manifest = json.loads((out / "manifest.json").read_text())
    _same_report(r.report_html(), r._command, (out / "report.html").read_text(), manifest["command"])
    assert len(r.grid) == 2


def test_run_with_detections_logged_equals_rampart_run(cli, tmp_path):
    out = tmp_path / "run"
    cli("run", str(TUTORIAL), "--log-detections", "--out", str(out))
    r = rampart.run(rampart.Scenario.load(TUTORIAL), log_detections=True)
    assert r._native.events_jsonl() == (out / "events.jsonl").read_text()
    assert "detection" in set(r.events["kind"])


def test_mc_until_ci_equals_rampart_mc_until_ci(cli, tmp_path):
    out = tmp_path / "mc"
    cli("mc", str(TUTORIAL), "--runs", "2000", "--until-ci", "0.2", "--out", str(out))
    r = rampart.mc(rampart.Scenario.load(TUTORIAL), runs=2000, until_ci=0.2)
    assert r._native.summary_json() == (out / "summary.json").read_text()
    assert r.runs < 2000  # it stopped early, at the same batch


def test_a_grid_point_that_does_not_load_is_named():
    s = rampart.Scenario.load(TUTORIAL)
    with pytest.raises(rampart.ScenarioError) as info:
        rampart.sweep(s, vary={"raid.0.count": [1, 0]}, runs=2)
    assert "raid.0.count=0" in str(info.value) and info.value.line is not None
