"""Version bumps as pure text edits: the new text of driver/API_VERSION, SCHEMA_VERSION or the plugin API header.

Only the version digits change; every other byte (other lines, spacing, comments, line endings) stays as it was,
so the commit's diff shows the bump and nothing else. Whatever the readers in version_files accept, these edit;
what they cannot read is refused with a one-line BumpError rather than guessed at."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

from cockpit.core.config import VersionFilePaths
from cockpit.core.versions import Part, Triple, triple_of

Target = Literal["api", "schema", "plugin"]
TARGETS: tuple[Target, ...] = ("api", "schema", "plugin")
PARTS: tuple[Part, ...] = ("major", "minor", "patch")

# The same shapes the readers accept (version_files.first_line_triple / plugin_api_version), with the digits grouped.
_FIRST_LINE = re.compile(r"\A([ \t]*)([0-9]+)\.([0-9]+)\.([0-9]+)([ \t\r]*)\Z")


class BumpError(ValueError):
    """The current version cannot be read, so no bump is made; the message is one line fit for a user."""


@dataclass(frozen=True)
class BumpEdit:
    target: Target
    path: str
    old: Triple
    new: Triple
    old_text: str
    new_text: str

    def diff(self) -> str:
        """The unified diff of the edit (what `git diff` would show), for the plan preview; bytes that are not
        UTF-8 (kept as surrogates in the texts) are shown as \\xNN so any terminal can print it."""
        diff = "".join(difflib.unified_diff(self.old_text.splitlines(keepends=True),
                                            self.new_text.splitlines(keepends=True),
                                            f"a/{self.path}", f"b/{self.path}")).rstrip("\n")
        return diff.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def target_path(target: Target, paths: VersionFilePaths) -> str:
    return {"api": paths.api_version, "schema": paths.schema_version, "plugin": paths.plugin_header}[target]


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def bump_first_line(text: str, part: Part, path: str = "the version file") -> tuple[Triple, Triple, str]:
    """API_VERSION / SCHEMA_VERSION: replace the X.Y.Z of the first line; (old, new, new text)."""
    first, sep, rest = text.partition("\n")
    m = _FIRST_LINE.match(first)
    if not m:
        raise BumpError(f"{path}: the first line {_shown(first)} is not an X.Y.Z version; fix it by hand first")
    try:
        old = triple_of(m.group(2), m.group(3), m.group(4))
        new = old.bumped(part)
        return old, new, f"{m.group(1)}{new}{m.group(5)}{sep}{rest}"
    except ValueError:  # VersionError, or str() of the bumped number: both refuse more than 4300 digits
        raise BumpError(f"{path}: the first line {_shown(first)} has a number too long to bump; fix it by hand "
                        "first") from None


def _macro(prefix: str, part: str) -> re.Pattern[str]:
    # as version_files.plugin_api_version reads it: `[^\S\n]*`, not `\s*`, keeps the search linear
    return re.compile(rf"^[^\S\n]*#\s*define\s+{re.escape(prefix + part)}\s+([0-9]+)\b", re.M)


def bump_plugin_macros(text: str, part: Part, prefix: str = "PLUGIN_API_VERSION_",
                       path: str = "the plugin header") -> tuple[Triple, Triple, str]:
    """The plugin API header: replace the values of the MAJOR, MINOR and PATCH macros (their first definitions,
    the ones the reader takes); (old, new, new text)."""
    spans: list[tuple[int, int]] = []
    for name in ("MAJOR", "MINOR", "PATCH"):
        m = _macro(prefix, name).search(text)
        if not m:
            raise BumpError(f"{path}: no readable `#define {prefix}{name} N`; fix the header by hand first")
        spans.append(m.span(1))
    try:
        old = triple_of(*(text[a:b] for a, b in spans))
        new = old.bumped(part)
        values = dict(zip(spans, (str(new.major), str(new.minor), str(new.patch)), strict=True))
    except ValueError:  # VersionError, or str() of the bumped number: both refuse more than 4300 digits
        raise BumpError(f"{path}: a PLUGIN_API_VERSION_* macro has a number too long to bump; fix it by hand "
                        "first") from None
    out = text
    for (a, b) in sorted(spans, reverse=True):  # from the end, so earlier offsets stay valid
        out = out[:a] + values[(a, b)] + out[b:]
    return old, new, out


def bump_text(target: Target, text: str, part: Part, paths: VersionFilePaths | None = None) -> BumpEdit:
    """The edit that bumps `part` of `target` in `text` (the file's current content)."""
    if target not in TARGETS:
        raise BumpError(f"unknown bump target {target!r} (expected one of {', '.join(TARGETS)})")
    if part not in PARTS:
        raise BumpError(f"unknown part {part!r} (expected one of {', '.join(PARTS)})")
    paths = paths or VersionFilePaths()
    path = target_path(target, paths)
    if target == "plugin":
        old, new, new_text = bump_plugin_macros(text, part, paths.plugin_macro_prefix, path)
    else:
        old, new, new_text = bump_first_line(text, part, path)
    return BumpEdit(target, path, old, new, text, new_text)


def commit_message(edit: BumpEdit) -> str:
    """A conventional-commit subject, scoped by the file's directory as the project's own commits are."""
    scope = edit.path.rsplit("/", 1)[0] if "/" in edit.path else "release"
    if edit.target == "plugin":
        return f"chore({scope}): bump the plugin API version to {edit.new}"
    return f"chore({scope}): bump {edit.path.rsplit('/', 1)[-1]} to {edit.new}"
