"""A Monte Carlo run's replications as Ray tasks, folded into the whole run's result.

Each task runs a consecutive range of replications (the parts of ``rampart mc --shard``) and
returns their records; the driver folds every record in replication order, so the result is
the local run's to the bit, whatever the number of shards and wherever they ran."""

from __future__ import annotations

from typing import Any, List, Optional

from . import _native


def shard_ranges(runs: int, shards: int) -> List[range]:
    """The ``shards`` consecutive ranges of nearly equal size that make ``0 .. runs``, as
    ``rampart mc --shard K/M`` splits them (the same function)."""
    out = []
    for k in range(1, shards + 1):
        first, count = _native.shard_range(runs, k, shards)
        out.append(range(first, first + count))
    return out


def _part(scenario: Any, runs: int, seed: int, first: int, count: int, threads: Optional[int]) -> bytes:
    return _native.mc_part(scenario._native, runs, seed, first, count, threads)


def mc_on_ray(scenario: Any, runs: int, seed: int, *, shards: Optional[int], threads: Optional[int]) -> Any:
    try:
        import ray
    except ImportError as e:
        raise ImportError("backend='ray' needs Ray (pip install 'ray>=2.9')") from e
    if shards is not None and not 1 <= shards <= min(runs, 100_000):
        raise ValueError(f"shards must be between 1 and min(runs, 100000), not {shards}")
    if not ray.is_initialized():
        ray.init()
    if shards is None:
        shards = max(1, min(runs, int(ray.cluster_resources().get("CPU", 1))))
    # Each task is one CPU's worth unless threads says more.
    task = ray.remote(num_cpus=threads or 1)(_part)
    refs = [
        task.remote(scenario, runs, seed, r.start, len(r), threads or 1)
        for r in shard_ranges(runs, shards)
    ]
    try:
        parts = ray.get(refs)
    except KeyboardInterrupt:
        for ref in refs:
            ray.cancel(ref, force=True)
        raise
    return _native.mc_fold(scenario._native, runs, seed, parts)
