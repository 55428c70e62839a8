"""Shared fixtures: a hermetic git environment and builders of real, falco-shaped repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.services.sandbox import Sandbox, build_sandbox

from builders import FalcoRepo, RepoBuilder
from hermetic import make_hermetic
from ui_helpers import TODAY


@pytest.fixture(autouse=True)
def hermetic_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config, no real XDG dirs, no tokens: every test sees the same world."""
    make_hermetic(monkeypatch, tmp_path_factory.mktemp("home"))


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    """An empty clone of a bare origin, on master."""
    return RepoBuilder.create(tmp_path)


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    """A fresh demo sandbox at the pinned date per test (about 0.4 s), so tests may change it."""
    return build_sandbox(tmp_path / "sandbox", TODAY)


@pytest.fixture
def falco(tmp_path: Path) -> FalcoRepo:
    """A small falco-shaped repository: two past releases of both lines and an upcoming one."""
    return FalcoRepo.build(tmp_path)


# --- the fault suite: every test that injects a fault, runnable alone with `pytest -m fault` ----------------------

FAULT_TESTS = (
    "crash",  # the process killed at a step boundary (COCKPIT_CRASH_AT), then resumed or aborted
    "killed",  # killed in the middle of a backport series
    "moved",  # the remote (or a branch) moved during a plan
    "disk_full",  # writes refused while writing the journal or the forge file
    "github_faults",  # 401, 403 primary and secondary, 429, 500, 502, dropped connection, timeout
    "offline",  # the forge gone: cached data with its age
    "gone",  # the repository disappears under the running app
    "forge_failure",  # the forge file breaks under the running app
    "without_push_access",  # GitHub silently ignoring a change
    "got_the_request_but_the_journal_did_not",  # a forge write applied, its journal record lost
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(word in item.name for word in FAULT_TESTS):
            item.add_marker(pytest.mark.fault)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """With `-m fault`: how many faults were injected and recovered from. A fault test passes only when nothing was
    lost (its assertions compare refs, files, forge state and journal with a clean run), so failures are losses."""
    if "fault" not in (terminalreporter.config.getoption("markexpr") or ""):
        return
    reports = [r for key in ("passed", "failed", "error") for r in terminalreporter.stats.get(key, [])
               if getattr(r, "when", "call") == "call" and "fault" in r.keywords]
    passed = sum(r.passed for r in reports)
    terminalreporter.write_line(f"fault suite: {len(reports)} faults injected, {passed} recovered, "
                                f"{len(reports) - passed} with data lost or not recovered")
