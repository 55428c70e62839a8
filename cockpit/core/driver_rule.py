"""The driver version rule: the driver bump follows the biggest API_VERSION / SCHEMA_VERSION change since the
previous driver release; any other driver change (or none) is a patch bump."""

from __future__ import annotations

from dataclasses import dataclass

import semver

from cockpit.core.lines import DRIVER_BUILD
from cockpit.core.versions import Change, Part, Triple, change_between

_RANK = {"none": 0, "down": 0, "patch": 1, "minor": 2, "major": 3}


@dataclass(frozen=True)
class DriverBump:
    api_change: Change
    schema_change: Change
    bump: Part
    previous: semver.Version
    next: semver.Version


def driver_bump(previous: semver.Version, api_from: Triple | None, api_to: Triple | None,
                schema_from: Triple | None, schema_to: Triple | None) -> DriverBump:
    api = change_between(api_from, api_to)
    schema = change_between(schema_from, schema_to)
    biggest = max(_RANK[api], _RANK[schema])
    part: Part = "major" if biggest == 3 else "minor" if biggest == 2 else "patch"
    base = semver.Version(previous.major, previous.minor, previous.patch)
    nxt = {"major": base.bump_major, "minor": base.bump_minor, "patch": base.bump_patch}[part]()
    return DriverBump(api, schema, part, previous, nxt.replace(build=DRIVER_BUILD))
