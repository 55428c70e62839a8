"""cockpit.core.bumps: a bump changes the version digits and not one other byte; unreadable files are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.bumps import BumpError, bump_first_line, bump_plugin_macros, bump_text, commit_message
from cockpit.core.config import VersionFilePaths
from cockpit.core.version_files import first_line_triple, plugin_api_version
from cockpit.core.versions import Triple

HEADER = """\
#pragma once

//
// API versions of this plugin framework
//
// todo(jasondellaluce): when/if major changes to v4, check and solve all todos
#define PLUGIN_API_VERSION_MAJOR 3
#define  PLUGIN_API_VERSION_MINOR\t10 // the minor
#  define PLUGIN_API_VERSION_PATCH 0

#define PLUGIN_API_VERSION PLUGIN_API_VERSION_MAJOR.PLUGIN_API_VERSION_MINOR.PLUGIN_API_VERSION_PATCH
"""


@pytest.mark.parametrize(("part", "expected"), [("major", "10.0.0"), ("minor", "9.1.0"), ("patch", "9.0.2")])
def test_first_line_bump_keeps_the_other_lines(part: str, expected: str) -> None:
    text = "9.0.1\n# driver API version: only the first line counts\n\n"
    edit = bump_text("api", text, part)  # type: ignore[arg-type]
    assert edit.new_text == f"{expected}\n# driver API version: only the first line counts\n\n"
    assert (str(edit.old), str(edit.new), edit.path) == ("9.0.1", expected, "driver/API_VERSION")


def test_first_line_keeps_crlf_spacing_and_a_missing_newline() -> None:
    assert bump_first_line(" 2.13.0 \r\nrest\r\n", "minor")[2] == " 2.14.0 \r\nrest\r\n"
    assert bump_first_line("2.13.0", "patch")[2] == "2.13.1"


def test_plugin_header_changes_only_the_three_values() -> None:
    edit = bump_text("plugin", HEADER, "minor")
    assert edit.new_text == HEADER.replace("MINOR\t10", "MINOR\t11")
    assert (edit.old, edit.new) == (Triple(3, 10, 0), Triple(3, 11, 0))
    major = bump_text("plugin", HEADER, "major").new_text
    assert "MAJOR 4\n" in major and "MINOR\t0 // the minor" in major and "PATCH 0\n" in major
    assert major.replace("MAJOR 4", "MAJOR 3").replace("MINOR\t0", "MINOR\t10") == HEADER


def test_custom_macro_prefix_and_paths() -> None:
    paths = VersionFilePaths(plugin_header="include/api.h", plugin_macro_prefix="MY_API_")
    text = "#define MY_API_MAJOR 1\n#define MY_API_MINOR 2\n#define MY_API_PATCH 3\n"
    edit = bump_text("plugin", text, "patch", paths)
    assert edit.new_text == text.replace("PATCH 3", "PATCH 4") and edit.path == "include/api.h"
    assert commit_message(edit) == "chore(include): bump the plugin API version to 1.2.4"


def test_commit_messages() -> None:
    assert commit_message(bump_text("api", "9.0.1\n", "minor")) == "chore(driver): bump API_VERSION to 9.1.0"
    assert commit_message(bump_text("schema", "2.13.0\n", "major")) == "chore(driver): bump SCHEMA_VERSION to 3.0.0"
    assert commit_message(bump_text("plugin", HEADER, "patch")) == (
        "chore(userspace/plugin): bump the plugin API version to 3.10.1")


def test_diff_shows_the_one_changed_line() -> None:
    diff = bump_text("schema", "2.13.0\n# comment\n", "minor").diff()
    assert diff.splitlines() == ["--- a/driver/SCHEMA_VERSION", "+++ b/driver/SCHEMA_VERSION", "@@ -1,2 +1,2 @@",
                                 "-2.13.0", "+2.14.0", " # comment"]


def test_diff_of_non_utf8_bytes_is_printable() -> None:
    text = b"2.13.0\n# caf\xe9\n".decode("utf-8", "surrogateescape")
    edit = bump_text("schema", text, "patch")
    assert edit.new_text.encode("utf-8", "surrogateescape") == b"2.13.1\n# caf\xe9\n"
    assert " # caf\\xe9" in edit.diff().splitlines() and edit.diff().encode("utf-8")


@pytest.mark.parametrize("text", ["", "\n9.0.1\n", "v9.0.1\n", "9.0\n", "9.0.1-rc1\n", "nine\n"])
def test_unreadable_first_line_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(BumpError) as err:
        bump_text("api", text, "minor")
    assert "\n" not in str(err.value) and "driver/API_VERSION" in str(err.value)


@pytest.mark.parametrize("missing", ["MAJOR", "MINOR", "PATCH"])
def test_a_missing_macro_is_refused(missing: str) -> None:
    text = HEADER.replace(f"PLUGIN_API_VERSION_{missing} ", f"PLUGIN_API_VERSION_{missing}_OLD ")
    text = text.replace(f"PLUGIN_API_VERSION_{missing}\t", f"PLUGIN_API_VERSION_{missing}_OLD\t")
    with pytest.raises(BumpError, match=f"PLUGIN_API_VERSION_{missing}"):
        bump_text("plugin", text, "patch")


def test_unknown_target_or_part() -> None:
    with pytest.raises(BumpError):
        bump_text("kernel", "1.0.0", "patch")  # type: ignore[arg-type]
    with pytest.raises(BumpError):
        bump_text("api", "1.0.0", "build")  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------------------------------

parts = st.sampled_from(["major", "minor", "patch"])
numbers = st.integers(min_value=0, max_value=10**6)
blank = st.text(" \t", max_size=3)


@given(st.tuples(numbers, numbers, numbers), blank, st.text(" \t\r", max_size=3), st.text(), parts)
def test_first_line_property(v: tuple[int, int, int], lead: str, trail: str, rest: str, part: str) -> None:
    """Only the X.Y.Z changes; the rest of the file (any text) is byte-identical; the reader sees the bump."""
    text = f"{lead}{v[0]}.{v[1]}.{v[2]}{trail}\n{rest}"
    old, new, out = bump_first_line(text, part)  # type: ignore[arg-type]
    assert old == Triple(*v) and new == old.bumped(part)  # type: ignore[arg-type]
    assert out == f"{lead}{new}{trail}\n{rest}"
    assert first_line_triple(out) == new


@given(st.text(max_size=40), st.text(), parts)
def test_any_first_line_bumps_or_is_refused(first: str, rest: str, part: str) -> None:
    """Any input: a clean bump the reader agrees with, or a BumpError exactly when the reader cannot read it."""
    text = f"{first}\n{rest}"
    try:
        _, new, out = bump_first_line(text, part)  # type: ignore[arg-type]
    except BumpError as exc:
        assert first_line_triple(text) is None and "\n" not in str(exc)
    else:
        assert first_line_triple(text) is not None and first_line_triple(out) == new
        assert out.split("\n", 1)[1] == text.split("\n", 1)[1]


comment = st.text(st.characters(blacklist_characters="\n", blacklist_categories=("Cs",)), max_size=20)
other_line = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).filter(
    lambda s: "PLUGIN_API_VERSION_" not in s)


@given(st.tuples(numbers, numbers, numbers), st.lists(st.tuples(blank, blank, st.text(" \t", min_size=1, max_size=3),
                                                               comment.map(lambda c: " //" + c if c else "")),
                                                     min_size=3, max_size=3),
       st.lists(other_line, max_size=4), st.lists(other_line, max_size=4), parts)
def test_plugin_header_property(v: tuple[int, int, int], shapes: list[tuple[str, str, str, str]],
                                before: list[str], after: list[str], part: str) -> None:
    """Only the three macro values change, whatever the spacing, comments and surrounding text."""
    def header(t: Triple) -> str:
        macros = [f"{a}#{b}define PLUGIN_API_VERSION_{name}{gap}{value}{note}"
                  for (a, b, gap, note), name, value in zip(shapes, ("MAJOR", "MINOR", "PATCH"),
                                                             (t.major, t.minor, t.patch), strict=True)]
        return "\n".join([*before, *macros, *after]) + "\n"

    old = Triple(*v)
    got_old, new, out = bump_plugin_macros(header(old), part)  # type: ignore[arg-type]
    assert (got_old, new) == (old, old.bumped(part))  # type: ignore[arg-type]
    assert out == header(new)
    assert plugin_api_version(out) == new
