"""Reading the version files' text: driver/API_VERSION, SCHEMA_VERSION (first line only), the plugin API macros
and libscap's minimum driver versions. Pure text in, numbers out; the git service supplies the text."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from typing import NamedTuple

from cockpit.core.config import VersionFilePaths
from cockpit.core.versions import Triple, VersionError, parse_triple, triple_of


class VersionFiles(NamedTuple):
    """The version numbers found at one ref; None where a file or macro is absent or unreadable."""

    api: Triple | None = None
    schema: Triple | None = None
    plugin_api: Triple | None = None
    scap_min_api: Triple | None = None
    scap_min_schema: Triple | None = None
    plugin_header_blob: str | None = None  # blob id of the plugin header, to tell whether it changed


def first_line_triple(text: str | None) -> Triple | None:
    """API_VERSION / SCHEMA_VERSION: the first line is X.Y.Z, every other line is ignored."""
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    try:
        return parse_triple(first)
    except VersionError:
        return None


# A macro line starts with `[^\S\n]*`, the blanks of that line only: `\s*` would rescan every run of blank lines
# from each of its lines, quadratic on a header with many of them.


def plugin_api_version(text: str | None, prefix: str = "PLUGIN_API_VERSION_") -> Triple | None:
    """The `#define PLUGIN_API_VERSION_MAJOR 3` (MINOR, PATCH) macros of the plugin header."""
    if text is None:
        return None
    parts = []
    for part in ("MAJOR", "MINOR", "PATCH"):
        m = re.search(rf"^[^\S\n]*#\s*define\s+{re.escape(prefix + part)}\s+([0-9]+)\b", text, re.M)
        if not m:
            return None
        parts.append(m.group(1))
    try:
        return triple_of(*parts)
    except VersionError:  # a number longer than int() converts
        return None


def scap_minimum(text: str | None, macro: str) -> Triple | None:
    """`#define SCAP_MINIMUM_DRIVER_API_VERSION PPM_API_VERSION(10, 0, 0)` -> 10.0.0."""
    if text is None:
        return None
    m = re.search(
        rf"^[^\S\n]*#\s*define\s+{re.escape(macro)}\s+\w*\(\s*([0-9]+)\s*,\s*([0-9]+)\s*,\s*([0-9]+)\s*\)", text, re.M
    )
    if not m:
        return None
    try:
        return triple_of(*m.groups())
    except VersionError:  # a number longer than int() converts
        return None


def read_version_files(texts: dict[str, str | None], paths: VersionFilePaths,
                       plugin_header_blob: str | None = None) -> VersionFiles:
    """Build VersionFiles from {path: text}, as read at one ref."""
    scap = texts.get(paths.scap_header)
    return VersionFiles(
        api=first_line_triple(texts.get(paths.api_version)),
        schema=first_line_triple(texts.get(paths.schema_version)),
        plugin_api=plugin_api_version(texts.get(paths.plugin_header), paths.plugin_macro_prefix),
        scap_min_api=scap_minimum(scap, paths.scap_min_api_macro),
        scap_min_schema=scap_minimum(scap, paths.scap_min_schema_macro),
        plugin_header_blob=plugin_header_blob,
    )


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Glob match where `**` spans directories (`dir/**` matches everything below dir)."""
    for pattern in patterns:
        if pattern.endswith("/**"):
            if path.startswith(pattern[:-2]):
                return True
        elif fnmatch.fnmatchcase(path, pattern):
            return True
    return False


def triggered(paths: Iterable[str], patterns: Iterable[str]) -> list[str]:
    patterns = tuple(patterns)
    return [p for p in paths if matches_any(p, patterns)]
