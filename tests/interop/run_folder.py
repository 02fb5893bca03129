"""What the interop checks read of a `rampart run` folder: its events, its scenario (as TOML),
the scenario's epoch and its radars (visual observers left out)."""
import json
import sys
import tomllib
from datetime import datetime


def failer(name):
    """A function that prints `name: message` to standard error and exits with 1."""
    def fail(message):
        print(f"{name}: {message}", file=sys.stderr)
        sys.exit(1)
    return fail


class Run:
    """A run folder: `events`, `scenario` (the TOML it ran), `epoch` (s since 1970) and
    `radars` (the scenario's `[[radar]]` tables that are radars, in order)."""

    def __init__(self, folder):
        with open(f"{folder}/manifest.json") as f:
            manifest = json.load(f)
        with open(f"{folder}/events.jsonl") as f:
            self.events = [json.loads(line) for line in f]
        with open(manifest["scenario_file"], "rb") as f:
            self.scenario = tomllib.load(f)
        epoch = self.scenario["scenario"]["epoch"]
        if isinstance(epoch, str):
            epoch = datetime.fromisoformat(epoch.replace("Z", "+00:00"))
        self.epoch = epoch.timestamp()
        self.radars = [r for r in self.scenario.get("radar", []) if r.get("kind", "radar") == "radar"]
