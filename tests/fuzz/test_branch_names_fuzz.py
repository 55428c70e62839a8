"""Release-branch names: parse_release_branch on names built from its own pieces (prefixes, numbers with leading
zeros or past int()'s digit limit, Unicode digits, stray separators) and on arbitrary text, with any prefix."""

from __future__ import annotations

import time

import pytest
import semver
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.branches import is_release_branch, parse_release_branch, release_branch_name

from fuzzing import NUMBERS, PUNCTUATION, fuzz, pieces

PREFIXES = st.one_of(st.sampled_from(["release/", "rel-", "", "releases/v", "r/"]), st.text(max_size=6))


@st.composite
def branch_name(draw: st.DrawFn, prefix: str) -> str:
    """`PREFIX M.m.x` with each part right or slightly wrong."""
    head = draw(st.sampled_from([prefix, prefix, prefix, "release/", "origin/" + prefix, prefix.upper(), ""]))
    middle = draw(st.one_of(
        st.builds(lambda a, b: f"{a}.{b}", NUMBERS, NUMBERS),
        pieces(NUMBERS, PUNCTUATION, max_parts=5),
    ))
    tail = draw(st.sampled_from([".x", ".x", ".X", ".0", ".x/", ".x\n", ".xx", ""]))
    return head + middle + tail


def check_branch_name(name: str, prefix: str) -> None:
    """A release branch gives the (major, minor) its name is made of, exactly: the name round-trips through
    release_branch_name, so one series never has two branch names. Anything else is None, never an exception."""
    series = parse_release_branch(name, prefix)
    assert is_release_branch(name, prefix) is (series is not None)
    if series is not None:
        major, minor = series
        assert release_branch_name(semver.Version(major, minor, 0), prefix) == name


@fuzz(500)
@given(data=st.data(), prefix=PREFIXES)
def test_parse_release_branch(data: st.DataObject, prefix: str) -> None:
    check_branch_name(data.draw(st.one_of(branch_name(prefix), st.text(max_size=20))), prefix)


@pytest.mark.parametrize("name", [
    f"release/{'1' * 4400}.0.x",  # found: a bare ValueError from int() past its digit limit
    "release/00.1.x", "release/0.01.x",  # found: parsed as 0.1, a second name for release/0.1.x
])
def test_parse_release_branch_found(name: str) -> None:
    check_branch_name(name, "release/")


def test_parse_release_branch_takes_linear_time() -> None:
    """Found: a 20,000-character name took 1.4 s (a lazy prefix group tried every start); git lists every branch
    through it, so one long remote branch name slowed every status."""
    start = time.perf_counter()
    for name in (f"release/{'1' * 100_000}", f"release/{'1.' * 50_000}x", f"release/0.{'1' * 100_000}"):
        assert parse_release_branch(name) is None
    assert time.perf_counter() - start < 1.0
