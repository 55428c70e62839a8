"""The version files as read from git and edited by `cockpit bump`: driver/API_VERSION and SCHEMA_VERSION (first
line X.Y.Z), the plugin API macros and libscap's minimum driver versions. Their text comes from any commit, so the
readers must answer on anything, and the bumps must edit exactly what the readers read (or refuse, in one line)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.bumps import BumpError, bump_text
from cockpit.core.config import VersionFilePaths
from cockpit.core.version_files import first_line_triple, plugin_api_version, scap_minimum
from cockpit.core.versions import Triple

from fuzzing import NUMBERS, PUNCTUATION, fuzz, one_line, pieces

PATHS = VersionFilePaths()
SPACE = st.sampled_from(["", " ", "\t", "  ", "\r", "\n", "\v", "\u00a0"])
MACRO_PART = st.sampled_from(["MAJOR", "MINOR", "PATCH", "MAJOR", "MINOR", "PATCH", "BUILD", "major"])


@st.composite
def first_line_file(draw: st.DrawFn) -> str:
    """API_VERSION / SCHEMA_VERSION: an X.Y.Z first line (or a near miss), then anything."""
    first = draw(st.one_of(
        st.builds(lambda a, b, c, lead, trail: f"{lead}{a}.{b}.{c}{trail}", NUMBERS, NUMBERS, NUMBERS, SPACE, SPACE),
        pieces(NUMBERS, PUNCTUATION, max_parts=6),
    ))
    rest = draw(st.one_of(st.just(""), st.text(max_size=20)))
    return first + draw(st.sampled_from(["\n", "\r\n", "", "\n\n"])) + rest


@st.composite
def macro_file(draw: st.DrawFn) -> str:
    """A C header with `#define PLUGIN_API_VERSION_<PART> N` lines, some missing, repeated or malformed."""
    lines = draw(st.lists(st.one_of(
        st.builds(lambda lead, gap, part, sep, value, tail: f"{lead}#{gap}define PLUGIN_API_VERSION_{part}{sep}"
                  f"{value}{tail}", SPACE, SPACE, MACRO_PART, st.sampled_from([" ", "\t", "", "  "]), NUMBERS,
                  st.sampled_from(["", " // comment", "u", "L", " /* x */"])),
        st.builds(lambda macro, a, b, c: f"#define {macro} PPM_API_VERSION({a}, {b},{c})",
                  st.sampled_from(["SCAP_MINIMUM_DRIVER_API_VERSION", "SCAP_MINIMUM_DRIVER_SCHEMA_VERSION"]),
                  NUMBERS, NUMBERS, NUMBERS),
        st.text(max_size=15),
    ), max_size=8))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@fuzz(300)
@given(st.one_of(first_line_file(), macro_file(), st.text(max_size=40)))
def test_readers_answer_on_any_text(text: str) -> None:
    """A Triple of non-negative numbers or None, whatever the file holds."""
    for found in (first_line_triple(text), plugin_api_version(text, PATHS.plugin_macro_prefix),
                  scap_minimum(text, PATHS.scap_min_api_macro), scap_minimum(text, PATHS.scap_min_schema_macro)):
        assert found is None or (isinstance(found, Triple) and min(found.major, found.minor, found.patch) >= 0)


def check_bump(target: str, part: str, text: str) -> None:
    """A bump succeeds exactly when the reader reads the file (unless the bumped number could not be printed),
    changes the version by one part, and the reader then reads the new version; otherwise a one-line BumpError."""
    read = (lambda t: plugin_api_version(t, PATHS.plugin_macro_prefix)) if target == "plugin" else first_line_triple
    try:
        edit = bump_text(target, text, part, PATHS)
    except BumpError as exc:
        assert one_line(str(exc))
        assert read(text) is None or "too long to bump" in str(exc)
    else:
        assert read(text) == edit.old and read(edit.new_text) == edit.new == edit.old.bumped(part)
        assert edit.diff()


@fuzz(300)
@given(target=st.sampled_from(["api", "schema", "plugin"]), part=st.sampled_from(["major", "minor", "patch"]),
       data=st.data())
def test_bump_edits_what_the_reader_reads(target: str, part: str, data: st.DataObject) -> None:
    check_bump(target, part, data.draw(macro_file() if target == "plugin" else first_line_file()))


NINES = "9" * 4300  # int() reads it; the bumped number has 4301 digits, which str() refuses
MACROS = "#define PLUGIN_API_VERSION_MAJOR {}\n#define PLUGIN_API_VERSION_MINOR 1\n#define PLUGIN_API_VERSION_PATCH 1\n"


@pytest.mark.parametrize(("target", "text"), [
    ("api", f"{'1' * 4301}.0.0\n"),  # found: int()'s bare ValueError escaped the reader and the bump
    ("api", f"{NINES}.0.0\n"),  # found: str() of the bumped number raised a bare ValueError
    ("plugin", MACROS.format("1" * 4301)),
    ("plugin", MACROS.format(NINES)),
])
def test_bump_found(target: str, text: str) -> None:
    check_bump(target, "major", text)


@pytest.mark.parametrize("text", ["\n" * 200_000, " \n" * 100_000, "\r\n" * 100_000])
def test_macro_readers_take_linear_time(text: str) -> None:
    """Found: a header of 50,000 blank lines took 2.4 s to read (`^\\s*` rescanned each run of blank lines from
    every line of it); 200,000 would have taken a minute."""
    start = time.perf_counter()
    assert plugin_api_version(text) is None and scap_minimum(text, PATHS.scap_min_api_macro) is None
    with pytest.raises(BumpError):
        bump_text("plugin", text, "major", PATHS)
    assert time.perf_counter() - start < 1.0
