"""cockpit.core.driver_rule: the driver bump follows the biggest API / SCHEMA change since the last release."""

from __future__ import annotations

import pytest
import semver
from hypothesis import given
from hypothesis import strategies as st

from cockpit.core.driver_rule import DriverBump, driver_bump
from cockpit.core.versions import Triple

PREV = semver.Version.parse("7.0.0+driver")


@pytest.mark.parametrize(
    ("api", "schema", "bump", "expected"),
    [
        # API 8.x -> 9.x: major bump
        ((Triple(8, 0, 0), Triple(9, 0, 0)), (Triple(2, 0, 0), Triple(2, 0, 0)), "major", "8.0.0+driver"),
        # several API bumps between two releases (8.0.4 -> 9.0.0 -> 9.1.0 -> 10.0.0) are still one bump
        ((Triple(8, 0, 4), Triple(10, 0, 0)), (Triple(2, 0, 0), Triple(2, 0, 0)), "major", "8.0.0+driver"),
        # SCHEMA major alone is enough
        ((Triple(8, 0, 0), Triple(8, 0, 0)), (Triple(2, 15, 0), Triple(3, 0, 0)), "major", "8.0.0+driver"),
        # minor of either
        ((Triple(8, 0, 0), Triple(8, 1, 0)), (Triple(2, 15, 0), Triple(2, 15, 0)), "minor", "7.1.0+driver"),
        ((Triple(8, 0, 0), Triple(8, 0, 0)), (Triple(2, 15, 0), Triple(2, 16, 0)), "minor", "7.1.0+driver"),
        # the biggest of the two wins
        ((Triple(8, 0, 0), Triple(8, 0, 1)), (Triple(2, 15, 0), Triple(2, 16, 0)), "minor", "7.1.0+driver"),
        ((Triple(8, 0, 0), Triple(9, 0, 0)), (Triple(2, 15, 0), Triple(2, 15, 1)), "major", "8.0.0+driver"),
        # patch, or only other driver code changed
        ((Triple(8, 0, 0), Triple(8, 0, 1)), (Triple(2, 15, 0), Triple(2, 15, 0)), "patch", "7.0.1+driver"),
        ((Triple(8, 0, 0), Triple(8, 0, 0)), (Triple(2, 15, 0), Triple(2, 15, 0)), "patch", "7.0.1+driver"),
        # a version that went down, or a file that could not be read, counts as no change
        ((Triple(9, 0, 0), Triple(8, 0, 0)), (Triple(2, 15, 0), Triple(2, 15, 0)), "patch", "7.0.1+driver"),
        ((None, Triple(9, 0, 0)), (Triple(2, 15, 0), None), "patch", "7.0.1+driver"),
    ],
)
def test_driver_bump(api, schema, bump, expected):
    result = driver_bump(PREV, api[0], api[1], schema[0], schema[1])
    assert result.bump == bump
    assert str(result.next) == expected
    assert result.previous == PREV


def test_driver_bump_reports_each_change():
    result = driver_bump(semver.Version.parse("7.3.0+driver"), Triple(8, 0, 4), Triple(10, 0, 0),
                         Triple(2, 20, 0), Triple(2, 21, 0))
    assert result == DriverBump("major", "minor", "major", semver.Version.parse("7.3.0+driver"),
                                semver.Version.parse("8.0.0+driver"))


def test_driver_bump_from_a_prerelease_or_odd_previous_keeps_only_core_and_adds_driver():
    result = driver_bump(semver.Version.parse("7.1.0-rc1+driver-rc1"), Triple(8, 0, 0), Triple(8, 1, 0), None, None)
    assert str(result.next) == "7.2.0+driver"


@given(st.tuples(*[st.integers(0, 30)] * 3), st.tuples(*[st.integers(0, 30)] * 3),
       st.tuples(*[st.integers(0, 30)] * 3), st.tuples(*[st.integers(0, 30)] * 3),
       st.tuples(st.integers(1, 20), st.integers(0, 20), st.integers(0, 20)))
def test_driver_bump_always_increases_by_one_step(api_from, api_to, schema_from, schema_to, prev):
    previous = semver.Version(*prev, build="driver")
    result = driver_bump(previous, Triple(*api_from), Triple(*api_to), Triple(*schema_from), Triple(*schema_to))
    assert result.next.build == "driver"
    assert result.next > previous
    assert result.next == previous.replace(build=None).next_version(result.bump).replace(build="driver")
