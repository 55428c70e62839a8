"""Release-branch naming: `release/M.m.x`, named after the libs major.minor."""

from __future__ import annotations

import re

import semver

# ASCII digits without leading zeros (so one series has one name); matched whole, in linear time on any name
_NAME = re.compile(r"(?P<major>0|[1-9][0-9]*)\.(?P<minor>0|[1-9][0-9]*)\.x")


def release_branch_name(version: semver.Version, prefix: str = "release/") -> str:
    return f"{prefix}{version.major}.{version.minor}.x"


def parse_release_branch(name: str, prefix: str = "release/") -> tuple[int, int] | None:
    """(major, minor) of a release branch name, None if the name is not one."""
    if not name.startswith(prefix):
        return None
    m = _NAME.fullmatch(name[len(prefix):])
    if not m:
        return None
    try:
        return int(m.group("major")), int(m.group("minor"))
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits)
        return None


def is_release_branch(name: str, prefix: str = "release/") -> bool:
    return parse_release_branch(name, prefix) is not None


_PATCH_NAMED = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def irregular_reason(name: str, prefix: str = "release/") -> str | None:
    """Why a branch under the release prefix is not a release branch (`release/0.9.0` names a patch, not a series):
    None for a regular release branch and for a branch outside the prefix. Such a branch is shown, never used."""
    if not name.startswith(prefix) or is_release_branch(name, prefix):
        return None
    rest = name[len(prefix):]
    if _PATCH_NAMED.fullmatch(rest):
        series = rest.rsplit(".", 1)[0]
        return f"names the release {rest}, not a series: a release branch is {prefix}{series}.x"
    return f"does not match {prefix}M.m.x: never used as a release branch"
