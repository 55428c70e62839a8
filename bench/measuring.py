"""The measuring primitives bench.py and startup.py share: one process's wall time, and interleaved runs of a
subject and its floor summarised as medians and their ratio."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and why."""


def run_ms(cmd: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    """Wall time of one process in milliseconds; its output is read (as the cockpit reads git's) and dropped.
    `env` None: the bench's own environment."""
    start = time.perf_counter()
    done = subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.decode(errors='replace').strip()}")
    return elapsed


@dataclass
class Samples:
    """Interleaved runs of a subject and its floor (interleaving spreads machine noise over both)."""

    subject: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)

    def summary(self, target: float | None = None) -> dict:
        ms, floor_ms = statistics.median(self.subject), statistics.median(self.floor)
        return {"ms": round(ms, 1), "floor_ms": round(floor_ms, 1), "ratio": round(ms / floor_ms, 3),
                "target": target, "samples_ms": [round(x, 1) for x in self.subject],
                "floor_samples_ms": [round(x, 1) for x in self.floor]}


def measure(subject: Callable[[], float], floor: Callable[[], float], runs: int) -> Samples:
    subject(), floor()  # warm-up: page cache, index stat data
    samples = Samples()
    for _ in range(runs):
        samples.subject.append(subject())
        samples.floor.append(floor())
    return samples
