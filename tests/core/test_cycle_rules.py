"""The release-cycle rules: pure functions from facts to checks, so each case is its facts and its verdict."""

from __future__ import annotations

import semver

from cockpit.core.checks import CheckResult, fail
from cockpit.core.cycle_rules import (
    check_driver_final_where_rc,
    check_libs_brings_driver,
    check_new_minor,
    check_rc_moves_on,
    free_libs_version,
    hints_from_state,
    version_not_down,
    with_prerelease,
)
from cockpit.core.lines import DRIVER, LIBS, classify
from cockpit.core.versions import Triple

V = semver.Version.parse
TAGS = tuple(classify(n) for n in ("0.24.0", "0.25.0-rc1", "0.25.0", "0.25.1", "0.26.0-rc1", "9.0.0+driver",
                                   "9.1.0-rc1+driver"))


def test_a_version_file_going_down_is_an_error_and_up_or_absent_is_not() -> None:
    down = version_not_down("API_VERSION", "9.0.0+driver", Triple(9, 1, 0), Triple(9, 0, 3))
    assert not down.ok and down.severity == "error" and down.id == "files.not-down.api"
    assert "9.1.0 -> 9.0.3" in down.message and "9.1.0" in down.fix_hint
    assert version_not_down("SCHEMA_VERSION", "x", Triple(2, 0, 0), Triple(2, 1, 0)).ok
    assert version_not_down("plugin API version", "x", None, Triple(3, 0, 0)).ok


def test_a_new_minor_follows_the_highest_series_started() -> None:
    assert check_new_minor(V("0.27.0"), TAGS, []).ok  # 0.26 has an RC: it is started
    skipped = check_new_minor(V("0.28.0"), TAGS, [])
    assert not skipped.ok and skipped.severity == "warning" and "0.27.0" in skipped.fix_hint
    assert check_new_minor(V("0.28.0"), TAGS, [(0, 27)]).ok  # 0.27's branch is cut
    again = check_new_minor(V("0.26.0"), TAGS, [])
    assert not again.ok and again.severity == "error"
    below = check_new_minor(V("0.24.0"), TAGS, [(0, 26)])
    assert not below.ok and below.severity == "error" and "0.27.0" in below.fix_hint
    assert check_new_minor(V("0.1.0"), (), []).ok


def test_an_rc_on_the_commit_of_an_earlier_rc_warns() -> None:
    on_commit = (classify("0.26.0-rc1"), classify("9.1.0-rc1+driver"))
    same = check_rc_moves_on(LIBS, V("0.26.0-rc2"), on_commit)
    assert not same.ok and same.severity == "warning" and same.evidence == ("0.26.0-rc1",)
    assert check_rc_moves_on(LIBS, V("0.26.0-rc2"), (classify("0.25.1"),)).ok
    assert check_rc_moves_on(LIBS, V("0.26.0"), on_commit).ok  # a final on its last RC is the rule, not a repeat
    assert not check_rc_moves_on(DRIVER, V("9.1.0-rc2+driver"), on_commit).ok


def test_a_driver_final_goes_on_the_branch_holding_its_rc() -> None:
    elsewhere = check_driver_final_where_rc(V("9.1.0+driver"), "release/0.25.x", [("9.1.0-rc1+driver", False)])
    assert not elsewhere.ok and elsewhere.severity == "error" and "9.1.0-rc1+driver" in elsewhere.fix_hint
    assert check_driver_final_where_rc(V("9.1.0+driver"), "release/0.26.x", [("9.1.0-rc1+driver", True)]).ok
    assert check_driver_final_where_rc(V("9.1.0+driver"), "release/0.26.x", []).ok  # no RC: nothing to follow
    assert check_driver_final_where_rc(V("9.1.0-rc2+driver"), None, [("9.1.0-rc1+driver", False)]).ok


def test_a_libs_tag_with_driver_changes_suggests_the_driver_tag() -> None:
    warned = check_libs_brings_driver(V("0.26.0-rc1"), "9.0.1+driver", ["driver/main.c"], [], "9.1.0-rc1+driver")
    assert not warned.ok and warned.severity == "warning" and warned.fix_hint.endswith("--driver 9.1.0-rc1+driver")
    assert check_libs_brings_driver(V("0.26.0"), "9.0.1+driver", ["driver/main.c"], ["9.1.0+driver"], "x").ok
    assert check_libs_brings_driver(V("0.25.2"), "9.0.1+driver", [], [], "9.0.2+driver").ok


def test_hints_never_name_an_existing_version_and_keep_the_prerelease() -> None:
    assert str(free_libs_version(V("0.25.0"), TAGS)) == "0.25.2"  # 0.25.1 exists
    assert str(free_libs_version(V("0.25.1-rc1"), TAGS)) == "0.25.2-rc1"
    assert str(free_libs_version(V("0.26.0-rc1"), TAGS)) == "0.26.0-rc2"  # rc1 is taken
    assert str(with_prerelease(V("9.1.0"), V("9.0.2-rc.3+driver"), TAGS, DRIVER)) == "9.1.0-rc.2+driver"
    assert str(with_prerelease(V("9.2.0"), V("0.26.0"), TAGS, DRIVER)) == "9.2.0+driver"
    refused: list[CheckResult] = [fail("tag.absent", "error", "exists", "pick the next version"),
                                  fail("worktree.clean", "error", "dirty", "commit first")]
    libs = hints_from_state(refused, LIBS, V("0.25.1"), TAGS, None)
    assert [r.fix_hint for r in libs] == ["tag 0.25.2", "commit first"]
    driver = hints_from_state([fail("driver.computed", "error", "differs", "tag 9.1.0+driver")], DRIVER,
                              V("9.0.2-rc1+driver"), TAGS, "9.1.0+driver")
    assert driver[0].fix_hint == "tag 9.1.0-rc2+driver"  # what next computes, as the next RC not tagged
