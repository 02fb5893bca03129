"""Scenarios from Python: loading, settings and errors."""

import pickle

import pytest

import rampart
from conftest import DEFENDED, REPO, TUTORIAL


def test_load_names_the_scenario_and_its_seed():
    s = rampart.Scenario.load(DEFENDED)
    assert "Al Asad" in s.name
    assert isinstance(s.seed, int)
    assert s.file == str(DEFENDED)


def test_set_changes_the_key_as_the_command_line_does():
    s = rampart.Scenario.load(DEFENDED)
    # Without an index, the key sets every launcher group of the unit (it has one).
    key = "fire_unit.Battery-1.launchers.count"
    listed = "fire_unit.Battery-1.launchers.0.count"
    before = s.keys()[listed]
    s.set(key, 5)
    assert s.keys()[listed] == "5" != before
    assert s.settings == [f"{key}=5"]
    # Setting the key again replaces the earlier setting rather than stacking it.
    s.set(key, 3)
    assert s.settings == [f"{key}=3"]


def test_a_boolean_and_a_quantity_are_set_as_text():
    s = rampart.Scenario.load(REPO / "scenarios" / "iraq-2020-networked.toml")
    s.set("network.enabled", False)
    assert "enabled = false" in s.text
    s = rampart.Scenario.load(DEFENDED).set("radar.Battery-1 radar.range_max", "150 km")
    assert s.keys()["radar.Battery-1 radar.range_max"] == "150 km"


def test_an_unknown_key_is_refused_with_its_name():
    s = rampart.Scenario.load(DEFENDED)
    with pytest.raises(ValueError, match="no_such_key"):
        s.set("fire_unit.Battery-1.no_such_key", 4)


def test_a_scenario_error_carries_file_line_and_column():
    text = TUTORIAL.read_text().replace("\n[[asset]]\n", "\n[[asset]]\nbogus_key = 3\n", 1)
    with pytest.raises(rampart.ScenarioError) as info:
        rampart.Scenario.from_toml(text, file="broken.toml")
    e = info.value
    assert e.file == "broken.toml"
    assert e.line is not None and e.line > 1
    assert e.column is not None and e.column >= 1
    assert "bogus_key" in str(e) and "unknown" in e.message.lower()
    line = text.splitlines()[e.line - 1]
    assert "bogus_key" in line


def test_a_value_of_the_wrong_kind_is_a_type_error():
    with pytest.raises(TypeError):
        rampart.Scenario.load(DEFENDED).set("network.enabled", [1, 2])


def test_scenarios_and_errors_pickle():
    s = rampart.Scenario.load(DEFENDED).set("fire_unit.Battery-1.launchers.count", 2)
    t = pickle.loads(pickle.dumps(s))
    assert t.text == s.text and t.settings == s.settings
    e = rampart.ScenarioError("m", "f.toml", 3, 4, "rendered")
    f = pickle.loads(pickle.dumps(e))
    assert (f.file, f.line, f.column, str(f)) == ("f.toml", 3, 4, "rendered")
