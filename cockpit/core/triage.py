"""Where triage moves a milestone's items: the next minor release, never a patch release due sooner. A PR that
misses 0.26.0 goes to 0.27.0 (the next release cut from the default branch), not to 0.25.5, which only takes
backports on its release branch."""

from __future__ import annotations

from collections.abc import Iterable

from cockpit.core.versions import VersionError, parse_version


def triage_target(title: str, open_titles: Iterable[str]) -> str:
    """The lowest open milestone of a later minor of the same line (0.26.0 -> 0.27.0), else that minor's title
    (made by the move), else `TITLE-next` for a milestone that names no version."""
    try:
        version = parse_version(title.removeprefix("v"))
    except VersionError:
        return f"{title}-next"
    later = []
    for other in open_titles:
        try:
            v = parse_version(other.removeprefix("v"))
        except VersionError:
            continue
        if v.build == version.build and not v.prerelease and v.patch == 0 \
                and (v.major, v.minor) > (version.major, version.minor):
            later.append((v, other))
    if later:
        return min(later)[1]
    return str(version.bump_minor()) + (f"+{version.build}" if version.build else "")
