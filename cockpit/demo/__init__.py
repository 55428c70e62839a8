"""The demo sandbox: a realistic, falco-shaped repository (bare origin + working clone) and a local forge file, so
anyone can try every phase of a release without touching a real project.

A user of the layers, not one of them: it may use services, workflows and core, and only the CLI's `demo` command
imports it (tests and scripts/screenshots.py too); nothing in core, services, workflows or the UI does (import-linter).

Everything is derived from `today` alone: the same date always gives byte-identical objects and refs, which keeps
screenshots, docs and tests stable. The history is written in two `git fast-import` runs (master first, then the
release branches and tags, whose `-x` trailers need master's commit ids), so a build takes well under a second.

What it contains (the promises the tests check):
- libs 0.23.0, 0.23.1, 0.24.0, 0.24.1, 0.25.0, 0.25.1 with drivers 8.0.0, 8.1.0, 9.0.0, 9.0.1 (+driver) and their
  RCs, each driver number following the driver version rule; one irregular tag, `8.1.0+driver-rc1`;
- rebase-style backports on `release/0.2x.x` (mostly patch-identical, a few adjusted, two with `-x` trailers);
- on `release/0.25.x`, master fixes not yet backported: CLEAN_FIXES apply cleanly, CONFLICTING_FIX conflicts;
- libs 0.26.0 in code freeze: no branch, no tags, milestone due today + 5 days; master has a SCHEMA minor bump
  since 9.0.1+driver (so the next driver is 9.1.0+driver) and a plugin API bump with a changed header.
"""

from cockpit.demo.build import build_sandbox
from cockpit.demo.errors import SandboxError
from cockpit.demo.layout import BUILDING, FORMAT_VERSION, MARKER, Sandbox
from cockpit.demo.story import CLEAN_FIXES, CONFLICTING_FIX, NEWEST_RELEASE_BRANCH

__all__ = [
    "BUILDING",
    "CLEAN_FIXES",
    "CONFLICTING_FIX",
    "FORMAT_VERSION",
    "MARKER",
    "NEWEST_RELEASE_BRANCH",
    "Sandbox",
    "SandboxError",
    "build_sandbox",
]
