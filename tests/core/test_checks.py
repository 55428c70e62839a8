"""cockpit.core.checks: each check fails and passes on real values; check_release end to end; fuzzing."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.core.checks import (
    Baseline,
    CheckResult,
    TargetState,
    check_branch,
    check_driver_files,
    check_increases,
    check_libs_files,
    check_line_rules,
    check_rc_sequence,
    check_release,
    check_semver,
    check_tag_absent,
    check_target_state,
    previous_release,
    summary,
)
from cockpit.core.config import ProjectConfig
from cockpit.core.lines import DRIVER, LIBS, classify
from cockpit.core.plan import Plan
from cockpit.core.version_files import VersionFiles
from cockpit.core.versions import Triple, parse_version

CONFIG = ProjectConfig()
HEAD = "a" * 40
OTHER = "b" * 40
PLUGIN_H = "userspace/plugin/plugin_api.h"


def tags(*names: str):
    return tuple(classify(n) for n in names)


def state(branch: str | None = "release/0.26.x", **kw) -> TargetState:
    values = {"ref": branch or "master", "commit": HEAD, "branch": branch, "branch_local_head": HEAD,
              "branch_remote_head": HEAD, "remote_tags": frozenset()}
    values.update(kw)
    return TargetState(**values)


def one(results, check_id: str) -> CheckResult:
    found = [r for r in results if r.id == check_id]
    assert len(found) == 1, (check_id, results)
    return found[0]


def v(text: str):
    return parse_version(text)


def failed(r: CheckResult, severity: str = "error") -> bool:
    return not r.ok and r.severity == severity


# --- CheckResult ------------------------------------------------------------------------------------------------

def test_check_result_blocks_and_as_dict():
    err = CheckResult("x", "error", False, "m", ("e1",), "h")
    assert err.blocks
    assert not CheckResult("x", "warning", False, "m").blocks
    assert not CheckResult("x", "error", True, "m").blocks
    assert err.as_dict() == {"id": "x", "severity": "error", "ok": False, "message": "m", "evidence": ["e1"],
                             "fix_hint": "h"}


def test_summary_counts_failures_by_severity():
    results = [CheckResult("a", "error", False, ""), CheckResult("b", "error", True, ""),
               CheckResult("c", "warning", False, ""), CheckResult("d", "warning", False, ""),
               CheckResult("e", "info", True, "")]
    assert summary(results) == {"error": 1, "warning": 2, "info": 0}
    assert summary([]) == {"error": 0, "warning": 0, "info": 0}


# --- semver.valid and the line rules ------------------------------------------------------------------------

def test_semver_valid():
    result, version = check_semver("0.26.0-rc1")
    assert result.ok and result.id == "semver.valid"
    assert version == v("0.26.0-rc1")
    result, version = check_semver("v0.26.0")
    assert failed(result) and version is None
    assert "is not a SemVer 2.0 version" in result.message
    assert "0.26.0-rc1" in result.fix_hint


def test_libs_major_zero():
    r = one(check_line_rules(LIBS, v("1.2.0")), "libs.major-zero")
    assert failed(r)
    assert r.message == "libs major must be 0, 1.2.0 has major 1"
    assert r.fix_hint == "libs versions are 0.MINOR.PATCH (driver versions carry +driver)"
    assert one(check_line_rules(LIBS, v("0.26.0")), "libs.major-zero").ok


def test_libs_no_build_metadata():
    r = one(check_line_rules(LIBS, v("0.26.0+driver")), "libs.no-build-metadata")
    assert failed(r)
    assert "'driver'" in r.message
    assert one(check_line_rules(LIBS, v("0.26.0-rc1")), "libs.no-build-metadata").ok


def test_driver_major():
    r = one(check_line_rules(DRIVER, v("0.9.0+driver")), "driver.major")
    assert failed(r)
    assert "major 0" in r.message
    assert one(check_line_rules(DRIVER, v("10.1.0+driver")), "driver.major").ok


@pytest.mark.parametrize(("text", "fix"), [("7.1.0+driver-rc1", "tag 7.1.0-rc1+driver"),
                                           ("10.1.0", "tag 10.1.0+driver")])
def test_driver_build_metadata_fails(text, fix):
    r = one(check_line_rules(DRIVER, v(text)), "driver.build-metadata")
    assert failed(r)
    assert r.fix_hint.startswith(fix + " ")


def test_driver_build_metadata_passes_for_rc_and_release():
    assert one(check_line_rules(DRIVER, v("10.1.0-rc2+driver")), "driver.build-metadata").ok
    assert all(r.ok for r in check_line_rules(DRIVER, v("10.1.0+driver")))


# --- tag.absent ----------------------------------------------------------------------------------------------

def test_tag_absent_local():
    r = check_tag_absent("0.26.0-rc1", tags("0.26.0-rc1"), state())
    assert failed(r) and "already exists locally" in r.message
    assert r.evidence == ("local: 0.26.0-rc1",)


def test_tag_absent_remote():
    r = check_tag_absent("0.26.0-rc1", tags("0.25.0"), state(remote_tags=frozenset({"0.25.0", "0.26.0-rc1"})))
    assert failed(r) and "already exists on the remote" in r.message


def test_tag_absent_remote_unreadable_is_a_warning():
    r = check_tag_absent("0.26.0-rc1", (), state(remote_tags=None, remote_error="ssh: connect to host: timeout"))
    assert failed(r, "warning")
    assert r.evidence == ("ssh: connect to host: timeout",)
    r = check_tag_absent("0.26.0-rc1", (), state(remote_tags=None))
    assert r.evidence == ("remote unknown",)
    # a local tag is an error even when the remote cannot be read
    assert failed(check_tag_absent("0.26.0-rc1", tags("0.26.0-rc1"), state(remote_tags=None)))


def test_tag_absent_passes():
    assert check_tag_absent("0.26.0-rc1", tags("0.25.0"), state(remote_tags=frozenset({"0.25.0"}))).ok


# --- version.increases ---------------------------------------------------------------------------------------

LIBS_HISTORY = tags("0.24.0", "0.24.1", "0.24.2", "0.25.0-rc1", "0.25.0", "0.25.1", "10.1.0+driver", "foo", "v0.99.0")


def test_increases_already_released():
    r = check_increases(LIBS, v("0.25.1"), LIBS_HISTORY)
    assert failed(r) and r.message == "0.25.1 is already released on the libs line"
    # an RC of a released version is caught too (its core version is released)
    assert failed(check_increases(LIBS, v("0.25.0-rc2"), LIBS_HISTORY))


def test_increases_lower_than_its_series():
    history = tags("0.25.0", "0.25.3")
    r = check_increases(LIBS, v("0.25.2"), history)
    assert failed(r)
    assert r.message == "0.25.2 is lower than 0.25.3, the latest 0.25 release"
    assert r.fix_hint == "use 0.25.4"


def test_increases_new_series_lower_than_latest():
    r = check_increases(LIBS, v("0.23.0"), LIBS_HISTORY)
    assert failed(r)
    assert r.message == "0.23.0 starts a series below the latest libs release 0.25.1"
    assert r.fix_hint == "use 0.26.0"


def test_increases_skipping_a_minor_warns():
    r = check_increases(LIBS, v("0.27.0"), tags("0.25.0"))
    assert failed(r, "warning")
    assert r.message == "0.25.0 -> 0.27.0 skips 0.26.0"


def test_increases_skipping_a_patch_warns():
    r = check_increases(LIBS, v("0.25.3"), tags("0.25.0", "0.25.1"))
    assert failed(r, "warning")
    assert r.message == "0.25.1 -> 0.25.3 skips 0.25.2"


@pytest.mark.parametrize("text", ["0.26.0", "0.26.0-rc1", "0.25.2", "0.24.3", "1.0.0"])
def test_increases_passes(text):
    assert check_increases(LIBS, v(text), LIBS_HISTORY).ok


def test_increases_first_release_ignores_other_lines_and_irregular_tags():
    r = check_increases(LIBS, v("0.1.0"), tags("10.1.0+driver", "v0.5.0", "0.3.0+x", "foo"))
    assert r.ok and r.message == "first libs release"
    r = check_increases(DRIVER, v("1.0.0+driver"), tags("0.25.0", "7.1.0+driver-rc1"))
    assert r.ok and r.message == "first driver release"


def test_increases_on_the_driver_line():
    history = tags("8.0.0+driver", "8.1.0+driver", "9.0.0-rc1+driver")
    assert check_increases(DRIVER, v("9.0.0+driver"), history).ok
    assert check_increases(DRIVER, v("8.1.1+driver"), history).ok
    assert failed(check_increases(DRIVER, v("8.1.0+driver"), history))
    assert failed(check_increases(DRIVER, v("11.0.0+driver"), history), "warning")


# --- rc.sequence -----------------------------------------------------------------------------------------------

def test_rc_first_is_rc1():
    r = check_rc_sequence(LIBS, v("0.26.0-rc1"), tags("0.25.0", "0.25.0-rc1", "0.25.0-rc2"))
    assert r.ok and r.message == "rc1 is the next RC of 0.26.0"
    assert failed(check_rc_sequence(LIBS, v("0.26.0-rc2"), tags("0.25.0")))


def test_rc3_after_rc1_fails():
    r = check_rc_sequence(LIBS, v("0.26.0-rc3"), tags("0.26.0-rc1"))
    assert failed(r)
    assert r.message == "rc3 is out of sequence: the next RC of 0.26.0 is rc2"
    assert r.fix_hint == "tag 0.26.0-rc2"
    assert r.evidence == ("existing: rc1",)


def test_rc_dotted_form_gets_a_correct_hint():
    r = check_rc_sequence(LIBS, v("0.26.0-rc.3"), tags("0.26.0-rc.1"))
    assert failed(r)
    assert r.fix_hint == "tag 0.26.0-rc.2"
    # the old hint replaced the text `rc<N>`, which is absent from `rc.3` / `rc03`, and repeated the bad tag
    assert check_rc_sequence(LIBS, v("0.26.0-rc03"), tags("0.26.0-rc1")).fix_hint == "tag 0.26.0-rc2"
    r = check_rc_sequence(DRIVER, v("10.1.0-rc3+driver"), tags("10.1.0-rc1+driver"))
    assert r.fix_hint == "tag 10.1.0-rc2+driver"


def test_rc_after_rc2_passes_and_driver_rcs_count():
    assert check_rc_sequence(LIBS, v("0.26.0-rc3"), tags("0.26.0-rc1", "0.26.0-rc2")).ok
    r = check_rc_sequence(DRIVER, v("10.1.0-rc3+driver"), tags("10.1.0-rc1+driver", "10.1.0-rc2+driver"))
    assert r.ok
    # libs RCs do not count for the driver line, and irregular `+driver-rc1` tags are no RCs
    r = check_rc_sequence(DRIVER, v("7.1.0-rc1+driver"), tags("7.1.0-rc1", "7.1.0+driver-rc1"))
    assert r.ok


def test_rc_after_final_fails():
    r = check_rc_sequence(LIBS, v("0.25.0-rc3"), tags("0.25.0-rc1", "0.25.0-rc2", "0.25.0"))
    assert failed(r)
    assert r.message == "0.25.0 is already released: no RC follows its final"
    assert r.fix_hint == "tag a patch release instead (0.25.1)"


def test_non_rc_prerelease_warns():
    r = check_rc_sequence(LIBS, v("0.26.0-alpha.1"), ())
    assert failed(r, "warning")
    assert "'alpha.1' is not -rcN" in r.message


def test_rc_sequence_not_applicable_to_finals():
    r = check_rc_sequence(LIBS, v("0.26.0"), tags("0.26.0-rc1"))
    assert r.ok and r.severity == "info" and r.message.startswith("not applicable")


# --- branch.name-matches / branch.placement -----------------------------------------------------------------

def test_branch_name_matches():
    results = check_branch(LIBS, v("0.26.0-rc1"), state("release/0.26.x"), "release/")
    assert one(results, "branch.name-matches").ok
    r = one(check_branch(LIBS, v("0.26.0-rc1"), state("release/0.25.x"), "release/"), "branch.name-matches")
    assert failed(r)
    assert r.message == "release/0.25.x does not match 0.26.0-rc1: it belongs on release/0.26.x"
    assert r.fix_hint == "tag on release/0.26.x"


def test_branch_name_not_applicable_to_driver_tags():
    r = one(check_branch(DRIVER, v("10.1.0+driver"), state("release/0.26.x"), "release/"), "branch.name-matches")
    assert r.ok and r.severity == "info"


def test_patch_on_its_branch_is_placed_well():
    s = state("release/0.25.x", branch_tags=tags("0.25.0", "0.25.1"))
    r = one(check_branch(LIBS, v("0.25.2"), s, "release/"), "branch.placement")
    assert r.ok and r.message == "patch release 0.25.2 is tagged on release/0.25.x"


def test_new_minor_on_a_fresh_branch_is_placed_well():
    s = state("release/0.26.x", branch_tags=tags("0.26.0-rc1", "0.25.0-rc1"))  # no earlier final
    assert one(check_branch(LIBS, v("0.26.0"), s, "release/"), "branch.placement").ok


def test_new_minor_on_a_branch_with_an_earlier_final_fails():
    s = state("release/0.25.x", branch_tags=tags("0.25.1", "0.25.0", "0.25.0-rc1"))
    r = one(check_branch(LIBS, v("0.26.0"), s, "release/"), "branch.placement")
    assert failed(r)
    assert r.message == "release/0.25.x already carries 0.25.1: a new minor comes from a new branch"
    assert r.fix_hint == "cut release/0.26.x from the default branch"
    assert r.evidence == ("0.25.1", "0.25.0")


def test_new_driver_major_on_a_branch_with_an_earlier_driver_final_fails():
    s = state("release/0.20.x", branch_tags=tags("0.20.0", "8.0.0+driver"))
    r = one(check_branch(DRIVER, v("9.0.0+driver"), s, "release/"), "branch.placement")
    assert failed(r)
    assert "a new major comes from a new branch" in r.message
    assert r.fix_hint == "tag it on the new libs release branch"


@pytest.mark.parametrize(
    ("line", "text", "fix"),
    [
        (LIBS, "0.26.0-rc1", "cut it first: git branch release/0.26.x origin/master && git push origin release/0.26.x"),
        (LIBS, "0.25.2", "tag on release/0.25.x"),
        (DRIVER, "10.1.0+driver", "tag on the libs release branch being released"),
    ],
)
def test_not_a_release_branch_fails(line, text, fix):
    results = check_branch(line, v(text), state(None, ref="master"), "release/")
    assert [r.id for r in results] == ["branch.placement"]
    assert failed(results[0])
    assert results[0].message.startswith(f"master is not a release branch: {text} must be tagged on ")
    assert results[0].fix_hint == fix


# --- tag.target-is-head / branch.pushed / worktree.clean -------------------------------------------------

def test_target_is_head():
    assert one(check_target_state(state()), "tag.target-is-head").ok
    r = one(check_target_state(state(commit=OTHER)), "tag.target-is-head")
    assert failed(r)
    assert r.message == f"the target {OTHER[:12]} is not the head of release/0.26.x ({HEAD[:12]})"
    # without a local branch the remote head is the head
    assert one(check_target_state(state(branch_local_head=None)), "tag.target-is-head").ok


def test_branch_pushed():
    r = one(check_target_state(state(branch_remote_head=None)), "branch.pushed")
    assert failed(r) and r.message == "release/0.26.x is not on the remote"
    assert r.fix_hint == "git push origin release/0.26.x"
    r = one(check_target_state(state(branch_remote_head=OTHER)), "branch.pushed")
    assert failed(r) and r.message == "local release/0.26.x differs from the remote"
    assert r.evidence == (f"local: {HEAD}", f"remote: {OTHER}")
    assert one(check_target_state(state()), "branch.pushed").ok
    assert one(check_target_state(state(branch_local_head=None)), "branch.pushed").ok


def test_worktree_clean():
    r = one(check_target_state(state(worktree_dirty=("M driver/API_VERSION", "?? notes.txt"))), "worktree.clean")
    assert failed(r)
    assert r.message == "the worktree has 2 uncommitted change(s)"
    assert r.evidence == ("M driver/API_VERSION", "?? notes.txt")
    assert one(check_target_state(state()), "worktree.clean").ok


def test_target_state_without_branch_only_checks_worktree():
    assert [r.id for r in check_target_state(state(None))] == ["worktree.clean"]


# --- driver.computed and the bump warnings -----------------------------------------------------------------

def driver_case(prev: str, api: tuple[Triple, Triple], schema: tuple[Triple, Triple], changed=()):
    base = Baseline(classify(prev), VersionFiles(api=api[0], schema=schema[0]), tuple(changed))
    return state("release/0.20.x", files=VersionFiles(api=api[1], schema=schema[1])), base


def test_driver_computed_major_for_api_8_to_9():
    s, base = driver_case("7.0.0+driver", (Triple(8, 0, 0), Triple(9, 0, 0)), (Triple(2, 0, 0), Triple(2, 0, 0)))
    r = one(check_driver_files(v("8.0.0+driver"), s, base, CONFIG), "driver.computed")
    assert r.ok and r.message == "8.0.0 is the computed driver version (major bump)"
    assert r.evidence == ("previous: 7.0.0+driver", "API_VERSION 8.0.0 -> 9.0.0 (major)",
                          "SCHEMA_VERSION 2.0.0 -> 2.0.0 (none)")
    r = one(check_driver_files(v("7.1.0+driver"), s, base, CONFIG), "driver.computed")
    assert failed(r)
    assert r.message == "driver version 7.1.0 differs from the computed 8.0.0 (major bump since 7.0.0+driver)"
    assert r.fix_hint == "tag 8.0.0+driver"


def test_driver_computed_several_api_bumps_are_one_bump():
    s, base = driver_case("8.0.0+driver", (Triple(8, 0, 4), Triple(10, 0, 0)), (Triple(2, 0, 0), Triple(2, 0, 0)))
    assert one(check_driver_files(v("9.0.0+driver"), s, base, CONFIG), "driver.computed").ok
    assert failed(one(check_driver_files(v("10.0.0+driver"), s, base, CONFIG), "driver.computed"))


def test_driver_computed_minor_and_patch_and_rc():
    s, base = driver_case("9.0.0+driver", (Triple(10, 0, 0), Triple(10, 0, 0)), (Triple(2, 20, 0), Triple(2, 21, 0)))
    assert one(check_driver_files(v("9.1.0-rc1+driver"), s, base, CONFIG), "driver.computed").ok
    assert failed(one(check_driver_files(v("9.0.1+driver"), s, base, CONFIG), "driver.computed"))
    s, base = driver_case("9.1.0+driver", (Triple(10, 0, 0), Triple(10, 0, 0)), (Triple(2, 21, 0), Triple(2, 21, 0)))
    assert one(check_driver_files(v("9.1.1+driver"), s, base, CONFIG), "driver.computed").ok


def test_driver_computed_not_applicable_without_previous_release():
    results = check_driver_files(v("1.0.0+driver"), state(), Baseline(None), CONFIG)
    assert [(r.id, r.ok, r.severity) for r in results] == [("driver.computed", True, "info")]


def test_api_bump_missing_warns_for_kmod_engine_change():
    changed = ("userspace/libscap/engine/kmod/scap_kmod.c", "README.md")
    s, base = driver_case("9.0.0+driver", (Triple(10, 0, 0), Triple(10, 0, 0)),
                          (Triple(2, 20, 0), Triple(2, 20, 0)), changed)
    results = check_driver_files(v("9.0.1+driver"), s, base, CONFIG)
    r = one(results, "driver.api-bumped")
    assert failed(r, "warning")
    assert r.message == "API_VERSION is unchanged since 9.0.0+driver although 1 file(s) that trigger it changed"
    assert r.evidence == ("userspace/libscap/engine/kmod/scap_kmod.c",)
    assert r.fix_hint.startswith("bump the first line of driver/API_VERSION")
    assert one(results, "driver.schema-bumped").ok


def test_schema_bump_missing_warns_for_syscall_table_change():
    changed = ("driver/syscall_table64.c", "driver/syscall_compat_x86_64.h", "driver/main.c")
    s, base = driver_case("9.0.0+driver", (Triple(10, 0, 0), Triple(10, 0, 0)),
                          (Triple(2, 20, 0), Triple(2, 20, 0)), changed)
    results = check_driver_files(v("9.0.1+driver"), s, base, CONFIG)
    r = one(results, "driver.schema-bumped")
    assert failed(r, "warning")
    assert r.evidence == ("driver/syscall_table64.c", "driver/syscall_compat_x86_64.h")
    assert r.fix_hint.startswith("bump the first line of driver/SCHEMA_VERSION")
    assert one(results, "driver.api-bumped").ok


def test_version_went_down_still_warns():
    s, base = driver_case("9.0.0+driver", (Triple(10, 1, 0), Triple(10, 0, 0)),
                          (Triple(2, 20, 0), Triple(2, 20, 0)), ("driver/modern_bpf/maps/maps.h",))
    assert failed(one(check_driver_files(v("9.0.1+driver"), s, base, CONFIG), "driver.api-bumped"), "warning")


def test_bump_warnings_pass_when_bumped_or_not_triggered():
    changed = ("driver/ppm_events_public.h",)  # triggers both
    s, base = driver_case("9.0.0+driver", (Triple(10, 0, 0), Triple(10, 1, 0)),
                          (Triple(2, 20, 0), Triple(2, 20, 1)), changed)
    results = check_driver_files(v("9.1.0+driver"), s, base, CONFIG)
    assert all(r.ok for r in results)
    assert one(results, "driver.api-bumped").message == "API_VERSION: bumped"
    s, base = driver_case("9.0.0+driver", (Triple(10, 0, 0), Triple(10, 0, 0)),
                          (Triple(2, 20, 0), Triple(2, 20, 0)), ("driver/main.c",))
    results = check_driver_files(v("9.0.1+driver"), s, base, CONFIG)
    assert all(r.ok for r in results)
    assert one(results, "driver.schema-bumped").message == "SCHEMA_VERSION: no triggering change"


def test_bump_warnings_follow_configured_triggers():
    config = ProjectConfig(api_triggers=("kernel/**",), schema_triggers=())
    s, base = driver_case("1.0.0+driver", (Triple(1, 0, 0), Triple(1, 0, 0)), (Triple(1, 0, 0), Triple(1, 0, 0)),
                          ("kernel/x.c", "driver/syscall_table64.c"))
    results = check_driver_files(v("1.0.1+driver"), s, base, config)
    assert failed(one(results, "driver.api-bumped"), "warning")
    assert one(results, "driver.schema-bumped").ok


# --- libs version files --------------------------------------------------------------------------------------

def libs_case(plugin_from, plugin_to, changed=(), min_api=None, api=None, min_schema=None, schema=None):
    base = Baseline(classify("0.25.0"), VersionFiles(plugin_api=plugin_from), tuple(changed))
    files = VersionFiles(plugin_api=plugin_to, api=api, schema=schema, scap_min_api=min_api,
                         scap_min_schema=min_schema)
    return state(files=files), base


def test_plugin_api_not_bumped_warns():
    s, base = libs_case(Triple(3, 9, 0), Triple(3, 9, 0), (PLUGIN_H,))
    r = one(check_libs_files(s, base, CONFIG), "libs.plugin-api-bumped")
    assert failed(r, "warning")
    assert r.message == f"{PLUGIN_H} changed since 0.25.0 but the plugin API version is still 3.9.0"


def test_plugin_api_bumped_or_untouched_passes():
    s, base = libs_case(Triple(3, 9, 0), Triple(3, 10, 0), (PLUGIN_H,))
    r = one(check_libs_files(s, base, CONFIG), "libs.plugin-api-bumped")
    assert r.ok and r.message == "plugin API 3.9.0 -> 3.10.0"
    s, base = libs_case(Triple(3, 9, 0), Triple(3, 9, 0), ("userspace/libsinsp/sinsp.cpp",))
    r = one(check_libs_files(s, base, CONFIG), "libs.plugin-api-bumped")
    assert r.ok and r.message.endswith("(header unchanged)")


def test_plugin_api_not_applicable_without_previous_release():
    r = one(check_libs_files(state(), Baseline(None), CONFIG), "libs.plugin-api-bumped")
    assert r.ok and r.severity == "info"


def test_min_driver_api_and_schema_above_the_driver_files_fail():
    s, base = libs_case(None, None, min_api=Triple(10, 0, 0), api=Triple(9, 1, 0),
                        min_schema=Triple(3, 0, 0), schema=Triple(2, 20, 0))
    results = check_libs_files(s, base, CONFIG)
    r = one(results, "libs.min-driver-api")
    assert failed(r)
    assert r.message == "libscap needs driver API 10.0.0 but the driver files say 9.1.0"
    assert r.evidence == ("minimum: 10.0.0", "API_VERSION: 9.1.0")
    assert "userspace/libscap/scap.h" in r.fix_hint
    assert failed(one(results, "libs.min-driver-schema"))


def test_min_driver_versions_pass_and_missing_is_not_applicable():
    s, base = libs_case(None, None, min_api=Triple(9, 0, 0), api=Triple(9, 0, 0),
                        min_schema=Triple(2, 0, 0), schema=Triple(2, 20, 0))
    results = check_libs_files(s, base, CONFIG)
    assert one(results, "libs.min-driver-api").ok
    assert one(results, "libs.min-driver-schema").ok
    s, base = libs_case(None, None, min_api=Triple(9, 0, 0))
    r = one(check_libs_files(s, base, CONFIG), "libs.min-driver-api")
    assert r.ok and r.severity == "info"


# --- previous_release ----------------------------------------------------------------------------------------

def test_previous_release():
    history = tags("0.24.0", "0.25.0", "0.25.1", "0.26.0-rc1", "9.0.0+driver", "v0.30.0")
    assert previous_release(history, LIBS, v("0.26.0-rc2")).name == "0.25.1"
    assert previous_release(history, LIBS, v("0.25.1")).name == "0.25.0"
    assert previous_release(history, DRIVER, v("10.0.0+driver")).name == "9.0.0+driver"
    assert previous_release(history, DRIVER, v("9.0.0+driver")) is None
    assert previous_release((), LIBS, v("0.1.0")) is None


# --- check_release end to end --------------------------------------------------------------------------------

HISTORY = tags(
    "0.24.0-rc1", "0.24.0", "0.24.1", "0.24.2", "0.25.0-rc1", "0.25.0-rc2", "0.25.0", "0.25.1", "0.25.2",
    "8.0.0+driver", "8.0.1+driver", "9.0.0+driver", "7.1.0+driver-rc1", "foo", "v1",
)


def test_good_libs_rc1_on_a_fresh_release_branch():
    s = TargetState(
        ref="release/0.26.x", commit=HEAD, branch="release/0.26.x", branch_local_head=HEAD,
        branch_remote_head=HEAD, branch_tags=(), remote_tags=frozenset(t.name for t in HISTORY),
        files=VersionFiles(api=Triple(9, 1, 0), schema=Triple(3, 5, 0), plugin_api=Triple(3, 10, 0),
                           scap_min_api=Triple(9, 0, 0), scap_min_schema=Triple(3, 0, 0)),
    )
    base = Baseline(previous_release(HISTORY, LIBS, v("0.26.0-rc1")), VersionFiles(plugin_api=Triple(3, 9, 0)),
                    (PLUGIN_H, "userspace/libsinsp/sinsp.cpp"))
    assert base.tag.name == "0.25.2"
    results = check_release(LIBS, "0.26.0-rc1", HISTORY, s, base, CONFIG)
    assert [r.id for r in results] == [
        "semver.valid", "libs.major-zero", "libs.no-build-metadata", "tag.absent", "version.increases",
        "rc.sequence", "branch.name-matches", "branch.placement", "libs.plugin-api-bumped",
        "libs.min-driver-api", "libs.min-driver-schema",
    ]
    assert all(isinstance(r, CheckResult) for r in results)
    assert summary(results) == {"error": 0, "warning": 0, "info": 0}
    assert not Plan("tag", "Tag 0.26.0-rc1", (), tuple(results)).blocked


def test_driver_release_with_a_wrong_version_blocks():
    s = TargetState(
        ref="release/0.26.x", commit=HEAD, branch="release/0.26.x", branch_local_head=HEAD,
        branch_remote_head=HEAD, branch_tags=tags("0.26.0-rc1"), remote_tags=frozenset(),
        files=VersionFiles(api=Triple(10, 0, 0), schema=Triple(3, 5, 0)),
    )
    base = Baseline(classify("9.0.0+driver"), VersionFiles(api=Triple(9, 1, 0), schema=Triple(3, 5, 0)),
                    ("driver/ppm_events_public.h", "userspace/libscap/engine/kmod/scap_kmod.c"))
    results = check_release(DRIVER, "9.1.0+driver", HISTORY, s, base, CONFIG)
    assert [r.id for r in results if r.blocks] == ["driver.computed"]
    computed = one(results, "driver.computed")
    assert computed.fix_hint == "tag 10.0.0+driver"
    # SCHEMA_VERSION did not move although ppm_events_public.h changed: warned, not blocked
    assert [r.id for r in results if not r.ok and r.severity == "warning"] == ["driver.schema-bumped"]
    assert Plan("tag", "Tag 9.1.0+driver", (), tuple(results)).blocked
    # the computed version passes every check
    fixed = check_release(DRIVER, "10.0.0+driver", HISTORY, s, base, CONFIG)
    assert not [r for r in fixed if r.blocks]


def test_check_release_stops_at_an_invalid_version():
    results = check_release(LIBS, "0.26", HISTORY, state(), Baseline(None), CONFIG)
    assert [(r.id, r.ok) for r in results] == [("semver.valid", False)]


def test_check_release_flags_irregular_driver_tag_text():
    results = check_release(DRIVER, "10.1.0+driver-rc1", HISTORY, state(), Baseline(None), CONFIG)
    assert failed(one(results, "driver.build-metadata"))
    assert one(results, "rc.sequence").severity == "info"  # a release with odd metadata, not an RC


# --- properties -----------------------------------------------------------------------------------------------

VERSION_TEXT = st.builds(
    lambda a, b, c, pre, build: f"{a}.{b}.{c}{pre}{build}",
    st.integers(0, 12), st.integers(0, 30), st.integers(0, 5),
    st.sampled_from(["", "", "-rc1", "-rc2", "-rc.3", "-alpha", "-rc1.1", "-0"]),
    st.sampled_from(["", "", "+driver", "+driver", "+driver-rc1", "+build.5"]),
)
TEXT = st.one_of(st.text(), st.text(alphabet="0123456789.-+abcdeirvx", max_size=30), VERSION_TEXT)
TRIPLE = st.one_of(st.none(), st.builds(Triple, st.integers(0, 12), st.integers(0, 30), st.integers(0, 5)))
PATHS = st.lists(st.sampled_from([
    "driver/API_VERSION", "driver/syscall_table64.c", "userspace/libscap/engine/kmod/scap_kmod.c",
    "driver/ppm_events_public.h", PLUGIN_H, "README.md",
]), max_size=4).map(tuple)


@st.composite
def scenarios(draw):
    line = draw(st.sampled_from([LIBS, DRIVER]))
    text = draw(TEXT)
    history = tuple(classify(n) for n in draw(st.lists(st.one_of(VERSION_TEXT, TEXT), max_size=8)))
    branch = draw(st.sampled_from([None, "release/0.26.x", "release/0.25.x", "master"]))
    files = VersionFiles(api=draw(TRIPLE), schema=draw(TRIPLE), plugin_api=draw(TRIPLE),
                         scap_min_api=draw(TRIPLE), scap_min_schema=draw(TRIPLE))
    target = TargetState(
        ref=branch or "HEAD", commit=HEAD, branch=branch,
        branch_local_head=draw(st.sampled_from([None, HEAD, OTHER])),
        branch_remote_head=draw(st.sampled_from([None, HEAD, OTHER])),
        branch_tags=tuple(draw(st.lists(st.sampled_from(history), max_size=4))) if history else (),
        worktree_dirty=tuple(draw(st.lists(st.sampled_from(["M a", "?? b"]), max_size=2))),
        remote_tags=draw(st.one_of(st.none(), st.just(frozenset()), st.just(frozenset(t.name for t in history)))),
        files=files,
    )
    base_tag = draw(st.one_of(st.none(), VERSION_TEXT.map(classify).filter(lambda t: t.version is not None)))
    base = Baseline(base_tag, draw(st.one_of(st.none(), st.builds(VersionFiles, api=TRIPLE, schema=TRIPLE,
                                                                 plugin_api=TRIPLE))), draw(PATHS))
    return line, text, history, target, base


def run_scenario(scenario):
    line, text, history, target, base = scenario
    results = check_release(line, text, history, target, base, CONFIG)
    assert isinstance(results, list) and results
    assert all(isinstance(r, CheckResult) for r in results)
    assert results[0].id == "semver.valid"
    assert all(r.severity in ("error", "warning", "info") for r in results)
    assert all(r.ok or r.fix_hint for r in results), [r for r in results if not r.ok and not r.fix_hint]
    assert len({r.id for r in results}) == len(results)
    summary(results)
    return results


@given(st.sampled_from([LIBS, DRIVER]), TEXT)
def test_check_release_never_raises_on_any_text(line, text):
    target = TargetState(ref="release/0.26.x", commit=HEAD, branch="release/0.26.x", branch_local_head=HEAD,
                         branch_remote_head=HEAD, remote_tags=frozenset())
    results = check_release(line, text, HISTORY, target, Baseline(None), CONFIG)
    assert all(isinstance(r, CheckResult) for r in results)
    assert results[0].ok == (len(results) > 1)


@given(scenarios())
def test_check_release_never_raises_on_any_scenario(scenario):
    run_scenario(scenario)


_LONG = os.environ.get("COCKPIT_LONG_FUZZ", "")
LONG_EXAMPLES = int(_LONG) if _LONG.isdigit() and int(_LONG) > 1 else 10_000


@pytest.mark.skipif(not _LONG, reason="set COCKPIT_LONG_FUZZ=1 (or a number of examples) for the long fuzz run")
@settings(max_examples=LONG_EXAMPLES, deadline=None)
@given(scenarios())
def test_check_release_long_fuzz(scenario):
    run_scenario(scenario)
