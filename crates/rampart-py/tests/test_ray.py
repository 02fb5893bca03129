"""A Monte Carlo run's shards as Ray tasks on a local Ray cluster: the local run's result."""

import pytest

ray = pytest.importorskip("ray")

import rampart  # noqa: E402
from rampart._ray import shard_ranges  # noqa: E402
from conftest import DEFENDED  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_shards_cover_the_run_in_order():
    for runs, shards in [(10, 3), (5, 5), (1000, 7), (3, 1)]:
        ranges = shard_ranges(runs, shards)
        assert [i for r in ranges for i in r] == list(range(runs))


@pytest.mark.parametrize("shards", [1, 3])
def test_ray_shards_merge_to_the_local_run(local_ray, shards):
    s = rampart.Scenario.load(DEFENDED)
    local = rampart.mc(s, runs=24, seed=9, threads=1)
    distributed = rampart.mc(s, runs=24, seed=9, backend="ray", shards=shards)
    assert distributed._native.summary_json() == local._native.summary_json()
    assert distributed._native.replications_csv() == local._native.replications_csv()
    assert distributed._native.impacts_csv() == local._native.impacts_csv()


def test_a_missing_or_doubled_shard_is_refused():
    from rampart import _native

    s = rampart.Scenario.load(DEFENDED)
    a = _native.mc_part(s._native, 6, 1, 0, 3)
    b = _native.mc_part(s._native, 6, 1, 3, 3)
    with pytest.raises(ValueError, match="replication 3 is missing"):
        _native.mc_fold(s._native, 6, 1, [a])
    with pytest.raises(ValueError, match="given twice"):
        _native.mc_fold(s._native, 6, 1, [a, a, b])
    with pytest.raises(ValueError, match="seed"):
        _native.mc_fold(s._native, 6, 2, [a, b])
