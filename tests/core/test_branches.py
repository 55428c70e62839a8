"""cockpit.core.branches: `release/M.m.x` names."""

from __future__ import annotations

import re

import pytest
import semver
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.branches import irregular_reason, is_release_branch, parse_release_branch, release_branch_name


def test_release_branch_name_uses_major_minor_only():
    assert release_branch_name(semver.Version.parse("0.26.0-rc1")) == "release/0.26.x"
    assert release_branch_name(semver.Version.parse("0.25.4")) == "release/0.25.x"
    assert release_branch_name(semver.Version(0, 26, 0), prefix="rel-") == "rel-0.26.x"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("release/0.26.x", (0, 26)),
        ("release/10.1.x", (10, 1)),
        ("release/0.26.0", None),
        ("release/0.26", None),
        ("release/v0.26.x", None),
        ("release/foo-0.26.x", None),
        ("release/0.26.x/extra", None),
        ("master", None),
        ("0.26.x", None),
        ("releases/0.26.x", None),
        ("", None),
        ("release/0.26.x\n", None),  # no git ref carries a newline; `$` used to accept it
        ("release/\u0660.\u0662\u0666.x", None),  # Arabic-Indic digits are not M.m
    ],
)
def test_parse_release_branch(name, expected):
    assert parse_release_branch(name) == expected
    assert is_release_branch(name) is (expected is not None)


def test_parse_release_branch_custom_prefix():
    assert parse_release_branch("rel-0.3.x", prefix="rel-") == (0, 3)
    assert parse_release_branch("release/0.3.x", prefix="rel-") is None
    assert parse_release_branch("0.3.x", prefix="") == (0, 3)


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_name_round_trips(major, minor):
    name = release_branch_name(semver.Version(major, minor, 0))
    assert parse_release_branch(name) == (major, minor)


@given(st.one_of(st.text(), st.text(alphabet="release/0123456789.x-\n", max_size=24),
                 st.text(max_size=10).map(lambda s: "release/" + s)))
def test_parse_release_branch_never_raises(name):
    result = parse_release_branch(name)
    if result is None:
        assert not is_release_branch(name)
        return
    m = re.fullmatch(r"release/([0-9]+)\.([0-9]+)\.x", name)
    assert m is not None, name
    assert result == (int(m.group(1)), int(m.group(2)))


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("release/0.9.0", "names the release 0.9.0, not a series: a release branch is release/0.9.x"),
        ("release/0.10.0", "release/0.10.x"),
        ("release/v0.26.x", "does not match release/M.m.x"),
        ("release/0.26", "does not match release/M.m.x"),
    ],
)
def test_irregular_names_under_the_release_prefix_say_why(name, words):
    assert words in irregular_reason(name)


@pytest.mark.parametrize("name", ["release/0.26.x", "master", "feature/release/0.9.0", "releases/0.9.0"])
def test_regular_or_unrelated_branches_are_not_irregular(name):
    assert irregular_reason(name) is None
