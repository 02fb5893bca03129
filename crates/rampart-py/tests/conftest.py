"""Shared fixtures: the repository, the command-line binary to compare against, scratch dirs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DEFENDED = REPO / "scenarios" / "al-asad-2020-defended.toml"
TUTORIAL = REPO / "scenarios" / "tutorial.toml"
TRACKING = REPO / "scenarios" / "tracking"


@pytest.fixture(scope="session")
def rampart_bin() -> Path:
    """The release binary (built by `cargo build --release`, as CI does first)."""
    path = Path(os.environ.get("RAMPART_BIN", REPO / "target" / "release" / "rampart"))
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "-p", "rampart-cli"], cwd=REPO, check=True)
    return path


@pytest.fixture
def cli(rampart_bin: Path, tmp_path: Path):
    """Runs `rampart ARGS…` in the repository; returns the completed process."""

    def run(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(rampart_bin), *args], cwd=REPO, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr
        return done

    return run
