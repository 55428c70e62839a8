"""The sandbox on disk: the Sandbox paths, the marker format and the names the sandbox owns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FORMAT_VERSION = 2
MARKER = ".sandbox-complete"
BUILDING = ".sandbox-building"
_MARKER_HEAD = "cockpit-sandbox"
_OWNED = ("origin.git", "libs", "forge.json", MARKER, BUILDING)
_TMP_PREFIX = ".sandbox-tmp-"


@dataclass(frozen=True)
class Sandbox:
    """Where the demo lives: the cockpit opens `clone`; `origin` plays GitHub's git side, `forge_file` the rest."""

    root: Path
    origin: Path  # bare repository, default branch master
    clone: Path  # working clone of origin, master checked out
    forge_file: Path  # the local forge (milestones, PRs, issues) as JSON
