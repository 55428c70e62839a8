"""cockpit.core.lines: every tag is libs, driver, irregular (with a reason) or no version at all."""

from __future__ import annotations

import pytest
import semver
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.lines import (
    DRIVER,
    LIBS,
    TagInfo,
    classify,
    parse_for_line,
    prereleases,
    releases,
    series,
    tag_name,
)
from cockpit.core.versions import VersionError, parse_version


@pytest.mark.parametrize(
    ("name", "line", "prerelease", "rc"),
    [
        ("0.25.0", LIBS, False, None),
        ("0.25.0-rc1", LIBS, True, 1),
        ("10.1.0+driver", DRIVER, False, None),
        ("10.1.0-rc2+driver", DRIVER, True, 2),
    ],
)
def test_regular_tags(name, line, prerelease, rc):
    info = classify(name)
    assert info.name == name
    assert info.line == line
    assert info.irregular is None
    assert info.regular
    assert info.prerelease is prerelease
    assert info.rc == rc
    assert info.is_release is (not prerelease)
    assert str(info.version) == name


def test_driver_build_metadata_with_rc_is_irregular_release_not_rc():
    info = classify("7.1.0+driver-rc1")
    assert info.line == DRIVER
    assert info.version == parse_version("7.1.0+driver-rc1")
    assert not info.prerelease  # it is a release with build metadata `driver-rc1`, not a release candidate
    assert info.rc is None
    assert not info.regular
    assert not info.is_release
    assert "'driver-rc1' is not exactly 'driver'" in info.irregular
    assert "7.1.0-rc1+driver" in info.irregular  # the hint shows where the pre-release belongs


@pytest.mark.parametrize("name", ["foo", "v1", "", "0.25", "release/0.25.x", "vfoo", "latest"])
def test_not_a_version(name):
    info = classify(name)
    assert info == TagInfo(name, None, None, None)
    assert not info.regular
    assert not info.is_release
    assert not info.prerelease
    assert info.rc is None


def test_major_one_without_driver_is_irregular_and_of_no_line():
    info = classify("1.0.0")
    assert info.line is None
    assert info.version == semver.Version(1, 0, 0)
    assert "neither a libs (major 0) nor a driver tag" in info.irregular
    assert not info.regular


@pytest.mark.parametrize(("name", "line"), [("v0.25.0", LIBS), ("V0.25.0", LIBS), ("v10.1.0+driver", DRIVER)])
def test_leading_v_is_irregular_but_keeps_its_line(name, line):
    info = classify(name)
    assert info.name == name
    assert info.line == line
    assert info.version == parse_version(name[1:])
    assert info.irregular == "tags carry the bare version, without a leading 'v'"
    assert not info.regular


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("0.25.0+driver", DRIVER, "driver major must be >= 1"),
        ("10.1.0+driver.1", DRIVER, "'driver.1' is not exactly 'driver'"),
        ("10.1.0+drivers", DRIVER, "'drivers' is not exactly 'driver'"),
        ("0.25.0+build.7", LIBS, "build metadata 'build.7' on a tag of no known line"),
        ("2.0.0+foo", None, "build metadata 'foo' on a tag of no known line"),
    ],
)
def test_other_irregular_tags(name, line, reason):
    info = classify(name)
    assert info.line == line
    assert reason in info.irregular
    assert not info.regular


def test_releases_and_prereleases_filter_and_sort():
    tags = [classify(n) for n in (
        "0.24.2", "0.25.0-rc1", "0.25.0", "0.25.1", "v0.26.0", "0.26.0-rc1", "0.26.0-rc2",
        "8.0.0+driver", "9.0.0-rc1+driver", "9.0.0+driver", "7.1.0+driver-rc1", "foo", "1.0.0",
    )]
    assert [t.name for t in releases(tags, LIBS)] == ["0.25.1", "0.25.0", "0.24.2"]
    assert [t.name for t in releases(tuple(tags), DRIVER)] == ["9.0.0+driver", "8.0.0+driver"]
    assert [t.name for t in prereleases(tags, LIBS)] == ["0.26.0-rc2", "0.26.0-rc1", "0.25.0-rc1"]
    assert [t.name for t in prereleases(tags, DRIVER)] == ["9.0.0-rc1+driver"]
    assert releases([], LIBS) == []


def test_parse_for_line():
    assert parse_for_line(LIBS, "0.26.0") == semver.Version(0, 26, 0)
    # rule violations are left to the checks, only non-SemVer input raises
    assert parse_for_line(LIBS, "1.0.0+driver") == semver.Version(1, 0, 0, build="driver")
    with pytest.raises(VersionError, match="unknown version line 'kernel'"):
        parse_for_line("kernel", "0.26.0")
    with pytest.raises(VersionError):
        parse_for_line(DRIVER, "10.1")


def test_tag_name_and_series():
    assert tag_name(DRIVER, parse_version("10.1.0-rc2+driver")) == "10.1.0-rc2+driver"
    assert tag_name(LIBS, parse_version("0.26.0")) == "0.26.0"
    assert series(parse_version("0.26.3-rc1")) == (0, 26)


# --- properties -----------------------------------------------------------------------------------------------

TAGGISH = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.-+vVrcdriveabx", max_size=30),
    st.builds(lambda a, b, c, pre, build: f"{a}.{b}.{c}{pre}{build}",
              st.integers(0, 20), st.integers(0, 30), st.integers(0, 9),
              st.sampled_from(["", "-rc1", "-rc.2", "-alpha", "-rc1.1"]),
              st.sampled_from(["", "+driver", "+driver-rc1", "+build.5", "+"])),
)


@given(TAGGISH)
def test_classify_never_raises_and_is_coherent(name):
    info = classify(name)
    assert isinstance(info, TagInfo)
    assert info.name == name
    if info.version is None:
        assert info.line is None and info.irregular is None
        assert not is_version_like(name)
    if info.regular:
        assert info.line in (LIBS, DRIVER)
        assert str(info.version) == name
        assert (info.line == LIBS) == (info.version.major == 0 and info.version.build is None)
        assert (info.line == DRIVER) == (info.version.major >= 1 and info.version.build == "driver")


def is_version_like(name: str) -> bool:
    for candidate in (name, name[1:] if name[:1] in ("v", "V") else None):
        if candidate is None:
            continue
        try:
            parse_version(candidate)
        except VersionError:
            continue
        return True
    return False
