"""Rehearse `cockpit next --at <release commit>` (no --since-*) on a real clone of falcosecurity/libs.

For every driver release after the first, `next` at its commit must name the driver release before it (by version)
as previous and compute exactly its version; for every libs minor after the first, `next_minor` at its commit must
be that minor. Prints one line per release that is not reproduced and the counts, e.g.:

    python scripts/rehearse_next.py /tmp/libs
    driver: 21/21 consecutive bumps reproduced
    libs:   19/19 minors reproduced

Exit 0 when every one is reproduced. The clone needs the release branches (origin/release/*) and the tags."""

from __future__ import annotations

import argparse
import itertools
import sys

from cockpit.core.lines import DRIVER, LIBS, classify, releases
from cockpit.services.bundle import open_git
from cockpit.workflows.reports.next_versions import next_versions


def rehearse(path: str) -> tuple[list[str], int, list[str], int]:
    """(driver misses, driver bumps, libs misses, libs minors)."""
    git = open_git(path)
    snap = git.refs()
    commits = {t.name: t.commit for t in snap.tags}
    infos = [classify(t.name) for t in snap.tags]
    drivers = list(reversed(releases(infos, DRIVER)))  # oldest version first
    driver_misses = []
    for before, release in itertools.pairwise(drivers):
        got = next_versions(git, at=commits[release.name])["driver"]
        if (got["previous"], got["next"]) != (before.name, release.name):
            driver_misses.append(f"driver {release.name}: previous {got['previous']}, next {got['next']} "
                                 f"(want {before.name} -> {release.name})")
    minors = [t for t in reversed(releases(infos, LIBS)) if t.version.patch == 0][1:]
    libs_misses = []
    for release in minors:
        got = next_versions(git, at=commits[release.name])["libs"]
        if got["next_minor"] != release.name:
            libs_misses.append(f"libs {release.name}: previous {got['previous']}, next minor {got['next_minor']}")
    return driver_misses, max(len(drivers) - 1, 0), libs_misses, len(minors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="a clone of falcosecurity/libs with its tags and release branches")
    args = parser.parse_args(argv)
    driver_misses, bumps, libs_misses, minors = rehearse(args.repo)
    for line in driver_misses + libs_misses:
        print(line)
    print(f"driver: {bumps - len(driver_misses)}/{bumps} consecutive bumps reproduced")
    print(f"libs:   {minors - len(libs_misses)}/{minors} minors reproduced")
    return 0 if not driver_misses and not libs_misses else 1


if __name__ == "__main__":
    sys.exit(main())
