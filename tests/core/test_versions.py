"""cockpit.core.versions: SemVer parsing, RC numbers, X.Y.Z triples and how they changed."""

from __future__ import annotations

import pytest
import semver
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.versions import (
    Triple,
    VersionError,
    bump,
    change_between,
    core_version,
    is_version,
    parse_triple,
    parse_version,
    rc_number,
)

VERSIONISH = st.text(alphabet="0123456789.-+rcdivebuildxv ", max_size=30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.25.0", (0, 25, 0, None, None)),
        ("0.25.0-rc1", (0, 25, 0, "rc1", None)),
        ("10.1.0+driver", (10, 1, 0, None, "driver")),
        ("10.1.0-rc2+driver", (10, 1, 0, "rc2", "driver")),
        ("7.1.0+driver-rc1", (7, 1, 0, None, "driver-rc1")),
    ],
)
def test_parse_version_valid(text, expected):
    v = parse_version(text)
    assert (v.major, v.minor, v.patch, v.prerelease, v.build) == expected
    assert str(v) == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty version"),
        ("   ", "empty version"),
        (" 0.25.0", "surrounding whitespace"),
        ("0.25.0\n", "surrounding whitespace"),
        ("v0.25.0", "is not a SemVer 2.0 version"),
        ("0.25", "is not a SemVer 2.0 version"),
        ("01.2.3", "is not a SemVer 2.0 version"),
        ("1.2.3-", "is not a SemVer 2.0 version"),
        ("1.2.3+", "is not a SemVer 2.0 version"),
        ("foo", "is not a SemVer 2.0 version"),
    ],
)
def test_parse_version_invalid(text, reason):
    with pytest.raises(VersionError, match=reason):
        parse_version(text)


def test_parse_version_error_is_a_value_error_and_shortens_long_input():
    with pytest.raises(ValueError) as info:
        parse_version("x" * 100)
    assert isinstance(info.value, VersionError)
    assert "x" * 57 + "..." in str(info.value)
    assert "x" * 58 not in str(info.value)


def test_parse_version_rejects_non_strings():
    with pytest.raises(VersionError):
        parse_version(None)  # type: ignore[arg-type]


def test_is_version():
    assert is_version("0.26.0-rc1")
    assert not is_version("v1")
    assert not is_version("")


@pytest.mark.parametrize(
    ("text", "n"),
    [("0.26.0-rc1", 1), ("0.26.0-rc12", 12), ("0.26.0-rc.3", 3), ("10.1.0-rc2+driver", 2),
     ("0.26.0", None), ("0.26.0-alpha", None), ("0.26.0-rc1.1", None), ("0.26.0-rcx", None)],
)
def test_rc_number(text, n):
    assert rc_number(parse_version(text)) == n


def test_core_version_drops_prerelease_and_build():
    assert core_version(parse_version("10.1.0-rc2+driver")) == semver.Version(10, 1, 0)
    assert str(core_version(parse_version("0.26.0-rc2"))) == "0.26.0"


@pytest.mark.parametrize(
    ("part", "expected"), [("major", "1.0.0"), ("minor", "0.26.0"), ("patch", "0.25.5")]
)
def test_bump(part, expected):
    assert str(bump(parse_version("0.25.4"), part)) == expected


def test_triple_str_order_and_bumped():
    t = Triple(8, 0, 4)
    assert str(t) == "8.0.4"
    assert t.bumped("major") == Triple(9, 0, 0)
    assert t.bumped("minor") == Triple(8, 1, 0)
    assert t.bumped("patch") == Triple(8, 0, 5)
    assert Triple(8, 0, 4) < Triple(8, 1, 0) < Triple(9, 0, 0) < Triple(10, 0, 0)


@pytest.mark.parametrize(("text", "expected"), [("8.0.4", Triple(8, 0, 4)), ("  10.0.0 \n", Triple(10, 0, 0))])
def test_parse_triple(text, expected):
    assert parse_triple(text) == expected


@pytest.mark.parametrize("text", ["", "8.0", "8.0.4.1", "v8.0.4", "8.0.4-rc1", "a.b.c"])
def test_parse_triple_invalid(text):
    with pytest.raises(VersionError, match=r"is not an X\.Y\.Z version"):
        parse_triple(text)


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [
        (Triple(8, 0, 4), Triple(9, 0, 0), "major"),
        (Triple(8, 0, 4), Triple(10, 0, 0), "major"),
        (Triple(2, 10, 0), Triple(2, 11, 0), "minor"),
        (Triple(2, 10, 0), Triple(2, 10, 1), "patch"),
        (Triple(2, 10, 0), Triple(2, 10, 0), "none"),
        (Triple(9, 0, 0), Triple(8, 9, 9), "down"),
        (None, Triple(1, 0, 0), "none"),
        (Triple(1, 0, 0), None, "none"),
    ],
)
def test_change_between(old, new, change):
    assert change_between(old, new) == change


# --- properties -----------------------------------------------------------------------------------------------

@given(st.one_of(st.text(), VERSIONISH))
def test_parse_version_raises_only_version_error(text):
    try:
        v = parse_version(text)
    except VersionError:
        return
    assert isinstance(v, semver.Version)
    assert str(v) == text  # what parses is exactly the canonical SemVer text: the tag name round-trips


@given(st.one_of(st.text(), st.text(alphabet="0123456789. \t\n-", max_size=20)))
def test_parse_triple_raises_only_version_error(text):
    try:
        t = parse_triple(text)
    except VersionError:
        return
    assert isinstance(t, Triple)
    assert min(t.major, t.minor, t.patch) >= 0


@given(st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
       st.tuples(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)))
def test_change_between_is_consistent_with_order(a, b):
    old, new = Triple(*a), Triple(*b)
    change = change_between(old, new)
    if old == new:
        assert change == "none"
    elif new < old:
        assert change == "down"
    else:
        assert change in ("major", "minor", "patch")
        assert old.bumped(change) <= new


def test_precedence_orders_as_semver_compares() -> None:
    """The tuple key sorts exactly as semver's own comparison, pre-releases and build metadata included."""
    import functools
    import random

    import semver

    from cockpit.core.versions import precedence

    rng = random.Random(7)
    pres = [None, "rc1", "rc2", "rc10", "rc.1", "rc.2", "rc.10", "alpha", "alpha.1", "alpha.beta", "beta.2", "1", "2",
            "10", "rc1.x", "0.3.7", "x.7.z.92"]
    versions = [semver.Version(rng.randint(0, 2), rng.randint(0, 2), rng.randint(0, 2), rng.choice(pres),
                               rng.choice([None, "driver", "build.5"])) for _ in range(400)]
    by_semver = sorted(versions, key=functools.cmp_to_key(lambda a, b: a.compare(b)))
    by_key = sorted(versions, key=precedence)
    assert [str(v) for v in by_key] == [str(v) for v in by_semver]
