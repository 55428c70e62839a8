"""The CI check of the commit to tag: red blocks unless overridden with a reason, pending warns, none is info."""

from __future__ import annotations

import pytest

from cockpit.core.checks import fail, ok
from cockpit.core.ci_gate import CI_CHECK, CiFacts, check_ci, refusal
from cockpit.core.forge_models import CheckRun, CombinedStatus

SHA = "a" * 40


def facts(state: str, total: int = 2, *runs: CheckRun) -> CiFacts:
    return CiFacts(SHA, CombinedStatus(SHA, state, total), runs)  # type: ignore[arg-type]


@pytest.mark.parametrize("state", ["failure", "error"])
def test_a_red_combined_status_blocks(state: str) -> None:
    result = check_ci(facts(state))
    assert (result.id, result.severity, result.ok, result.blocks) == (CI_CHECK, "error", False, True)
    assert "--ci-override" in result.fix_hint


def test_a_failing_run_is_named_even_when_the_statuses_are_green() -> None:
    runs = (CheckRun("build-modern-bpf", "completed", "failure", "https://ci/1"),
            CheckRun("unit", "completed", "success"), CheckRun("arm64", "completed", "timed_out"))
    result = check_ci(facts("success", 3, *runs))
    assert result.blocks
    assert "build-modern-bpf" in result.message and "arm64" in result.message and "unit" not in result.message
    assert "failing: build-modern-bpf: failure (https://ci/1)" in result.evidence


def test_an_override_turns_red_into_a_warning_that_carries_the_reason() -> None:
    result = check_ci(facts("failure"), override="flaky arm64 runner")
    assert (result.severity, result.ok, result.blocks) == ("warning", False, False)
    assert "flaky arm64 runner" in result.message and "override: flaky arm64 runner" in result.evidence


def test_pending_statuses_or_runs_warn() -> None:
    assert (check_ci(facts("pending")).severity, check_ci(facts("pending")).ok) == ("warning", False)
    running = check_ci(facts("success", 1, CheckRun("e2e", "in_progress", None)))
    assert running.severity == "warning" and not running.ok and "e2e" in running.message


def test_green_passes_and_no_ci_or_no_forge_is_info() -> None:
    green = check_ci(facts("success", 3, CheckRun("unit", "completed", "success"),
                           CheckRun("docs", "completed", "skipped")))
    assert (green.severity, green.ok) == ("error", True)
    none = check_ci(CiFacts(SHA, CombinedStatus(SHA, "unknown", 0)))
    assert (none.severity, none.ok) == ("info", True)
    no_forge = check_ci(CiFacts(SHA, no_forge=True, problem="no GitHub token"))
    assert (no_forge.severity, no_forge.ok) == ("info", True) and no_forge.evidence == ("no GitHub token",)


def test_an_unreadable_forge_warns_and_an_override_does_not_hide_it() -> None:
    result = check_ci(CiFacts(SHA, problem="GitHub answered 502"), override="whatever")
    assert (result.severity, result.ok) == ("warning", False) and "GitHub answered 502" in result.evidence


def test_hostile_run_names_are_shown_on_one_line() -> None:
    result = check_ci(facts("success", 1, CheckRun("evil\n\x1b[2Jrun", "completed", "failure")))
    assert all("\n" not in e and "\x1b" not in e for e in (result.message, *result.evidence))


def test_refusal_offers_the_override_only_when_ci_alone_blocks() -> None:
    red = check_ci(facts("failure"))
    assert "--ci-override" in refusal([red, ok("semver.valid", "error", "fine")])
    rule = fail("rc.sequence", "error", "out of sequence", "tag rc1")
    assert "--ci-override" not in refusal([red, rule]) and "no exceptions" in refusal([red, rule])
