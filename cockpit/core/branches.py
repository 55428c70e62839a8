"""Release-branch naming: `release/M.m.x`, named after the libs major.minor."""

from __future__ import annotations

import re

import semver

_NAME = re.compile(r"^(?P<prefix>.*?)(?P<major>[0-9]+)\.(?P<minor>[0-9]+)\.x\Z")  # ASCII only, no "\n"


def release_branch_name(version: semver.Version, prefix: str = "release/") -> str:
    return f"{prefix}{version.major}.{version.minor}.x"


def parse_release_branch(name: str, prefix: str = "release/") -> tuple[int, int] | None:
    """(major, minor) of a release branch name, None if the name is not one."""
    if not name.startswith(prefix):
        return None
    m = _NAME.match(name[len(prefix):])
    if not m or m.group("prefix"):
        return None
    return int(m.group("major")), int(m.group("minor"))


def is_release_branch(name: str, prefix: str = "release/") -> bool:
    return parse_release_branch(name, prefix) is not None
