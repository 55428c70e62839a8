"""SemVer parsing and arithmetic, delegated to the `semver` package so the rules are SemVer 2.0's own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import semver

Change = Literal["major", "minor", "patch", "none", "down"]
Part = Literal["major", "minor", "patch"]

_RC = re.compile(r"^rc\.?([0-9]+)\Z")
_TRIPLE = re.compile(r"^[ \t]*([0-9]+)\.([0-9]+)\.([0-9]+)[ \t\r\n]*\Z")


class VersionError(ValueError):
    """A string that is not the version the caller asked for; the message is fit for a user."""


def parse_version(text: str) -> semver.Version:
    """Parse a SemVer 2.0 string (no leading `v`); raise VersionError with a readable reason."""
    if not isinstance(text, str) or not text.strip():
        raise VersionError("empty version")
    if text != text.strip():
        raise VersionError(f"version {text.strip()!r} has surrounding whitespace")
    try:
        return semver.Version.parse(text)
    except (ValueError, TypeError):
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise VersionError(f"{shown!r} is not a SemVer 2.0 version (expected MAJOR.MINOR.PATCH)") from None


def precedence(version: semver.Version) -> tuple:
    """SemVer 2.0 precedence as a plain tuple (build metadata ignored, as semver's own comparison does): sorting
    thousands of tags compares tuples in C instead of calling semver's comparison for every pair."""
    pre = version.prerelease
    rank = (1,) if pre is None else (0, *((0, int(p)) if p.isdigit() else (1, p) for p in pre.split(".")))
    return (version.major, version.minor, version.patch, rank)


def is_version(text: str) -> bool:
    try:
        parse_version(text)
    except VersionError:
        return False
    return True


def rc_number(version: semver.Version) -> int | None:
    """The N of an `-rcN` (or `-rc.N`) pre-release, None for any other pre-release or a release."""
    if not version.prerelease:
        return None
    m = _RC.match(version.prerelease)
    if not m:
        return None
    try:
        return int(m.group(1))
    except ValueError:  # more digits than int() converts (sys.get_int_max_str_digits): no RC anyone tags
        return None


def core_version(version: semver.Version) -> semver.Version:
    """The release a pre-release leads to: 0.26.0-rc2 -> 0.26.0 (build metadata dropped too)."""
    return semver.Version(version.major, version.minor, version.patch)


def bump(version: semver.Version, part: Part) -> semver.Version:
    return {"major": version.bump_major, "minor": version.bump_minor, "patch": version.bump_patch}[part]()


@dataclass(frozen=True, order=True)
class Triple:
    """An X.Y.Z number as found in driver/API_VERSION, SCHEMA_VERSION and the plugin API macros."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def bumped(self, part: Part) -> Triple:
        if part == "major":
            return Triple(self.major + 1, 0, 0)
        if part == "minor":
            return Triple(self.major, self.minor + 1, 0)
        return Triple(self.major, self.minor, self.patch + 1)


def triple_of(major: str, minor: str, patch: str) -> Triple:
    """A Triple from three runs of ASCII digits; a VersionError, not int()'s bare ValueError, when one has more
    digits than int() converts (sys.get_int_max_str_digits, 4300 by default)."""
    try:
        return Triple(int(major), int(minor), int(patch))
    except ValueError:
        longest = max(len(major), len(minor), len(patch))
        raise VersionError(f"a version number of {longest} digits is too long") from None


def parse_triple(text: str) -> Triple:
    m = _TRIPLE.match(text)
    if not m:
        raise VersionError(f"{text.strip()[:40]!r} is not an X.Y.Z version")
    return triple_of(*m.groups())


def change_between(old: Triple | None, new: Triple | None) -> Change:
    """Which part went up from `old` to `new` ("down" when it went backwards)."""
    if old is None or new is None or old == new:
        return "none"
    if new < old:
        return "down"
    if new.major != old.major:
        return "major"
    if new.minor != old.minor:
        return "minor"
    return "patch"
