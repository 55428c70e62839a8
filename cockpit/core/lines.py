"""Version lines and tag classification: every tag is libs, driver, irregular (with the reason) or no version."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

import semver

from cockpit.core.versions import VersionError, parse_version, precedence, rc_number

LIBS = "libs"
DRIVER = "driver"
DRIVER_BUILD = "driver"


class TagInfo(NamedTuple):
    name: str
    line: str | None  # "libs", "driver", or None for tags that are no version at all (or fit no line)
    version: semver.Version | None
    irregular: str | None = None  # why a version-looking tag breaks its line's rules

    @property
    def prerelease(self) -> bool:
        return bool(self.version and self.version.prerelease)

    @property
    def rc(self) -> int | None:
        return rc_number(self.version) if self.version else None

    @property
    def regular(self) -> bool:
        return self.line is not None and self.version is not None and self.irregular is None

    @property
    def is_release(self) -> bool:
        """A regular final release (no pre-release part)."""
        return self.regular and not self.prerelease


@lru_cache(maxsize=8192)
def classify(name: str) -> TagInfo:
    """Classify a tag name. Never raises: anything that is not a version is returned with line None. Remembered:
    a status classifies each of a large repository's thousands of tags more than once."""
    if name.startswith(("v", "V")) and _parses(name[1:]):
        inner = classify(name[1:])
        return TagInfo(name, inner.line, inner.version, "tags carry the bare version, without a leading 'v'")
    try:
        version = parse_version(name)
    except VersionError:
        return TagInfo(name, None, None)
    build = version.build
    if build is None:
        if version.major == 0:
            return TagInfo(name, LIBS, version)
        return TagInfo(name, None, version, "major >= 1 without '+driver': neither a libs (major 0) nor a driver tag")
    if build == DRIVER_BUILD:
        if version.major < 1:
            return TagInfo(name, DRIVER, version, "driver major must be >= 1")
        return TagInfo(name, DRIVER, version)
    if build.startswith(DRIVER_BUILD):
        hint = ""
        m = re.match(r"^driver[-.](.+)$", build)
        if m:
            core = f"{version.major}.{version.minor}.{version.patch}"
            hint = f" (a pre-release puts it before '+': {core}-{m.group(1)}+driver)"
        return TagInfo(name, DRIVER, version, f"build metadata {build!r} is not exactly 'driver'{hint}")
    line = LIBS if version.major == 0 else None
    return TagInfo(name, line, version, f"build metadata {build!r} on a tag of no known line")


def _parses(text: str) -> bool:
    try:
        parse_version(text)
    except VersionError:
        return False
    return True


def parse_for_line(line: str, text: str) -> semver.Version:
    """Parse a version the user wants to release on `line`; raises VersionError only for non-SemVer input.
    Rule violations (major, build metadata) are left to the checks, which explain them."""
    if line not in (LIBS, DRIVER):
        raise VersionError(f"unknown version line {line!r} (expected libs or driver)")
    return parse_version(text)


def tag_name(line: str, version: semver.Version) -> str:
    """The tag a version is released under: the bare SemVer string (driver ones carry +driver)."""
    return str(version)


def releases(tags: list[TagInfo] | tuple[TagInfo, ...], line: str) -> list[TagInfo]:
    """Regular final releases of a line, highest first."""
    found = [t for t in tags if t.line == line and t.is_release]
    return sorted(found, key=lambda t: precedence(t.version), reverse=True)


def prereleases(tags: list[TagInfo] | tuple[TagInfo, ...], line: str) -> list[TagInfo]:
    found = [t for t in tags if t.line == line and t.regular and t.prerelease]
    return sorted(found, key=lambda t: precedence(t.version), reverse=True)


def series(version: semver.Version) -> tuple[int, int]:
    return (version.major, version.minor)


def marks_latest(tag: TagInfo, tags: list[TagInfo] | tuple[TagInfo, ...]) -> bool:
    """Whether a GitHub release of `tag` should be marked latest: a final release that is the highest of its line
    (a patch of an older line, or any pre-release, never is)."""
    if not tag.is_release:
        return False
    return all(t.version <= tag.version for t in releases(tags, tag.line))
