"""Shared fixtures: a hermetic git environment and builders of real, falco-shaped repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.demo import Sandbox, build_sandbox

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


# --- the fault suite: every test marked `@pytest.mark.fault`, runnable alone with `pytest -m fault` -----------------

def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each fault test's count of injected faults rides on its report (reports cross from xdist workers, markers do
    not): `@pytest.mark.fault(faults=N)` for a test that injects several (a crash then resume, a crash then abort),
    else one."""
    for item in items:
        marker = item.get_closest_marker("fault")
        if marker is not None:
            item.user_properties.append(("faults", int(marker.kwargs.get("faults", 1))))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """With `-m fault`: how many faults were injected and recovered from, counted from the markers (a parametrized
    test injects one per case; `faults=N` says a case injects N). A fault test passes only when nothing was lost
    (its assertions compare refs, files, forge state and journal with a clean run), so a failure is a loss."""
    if "fault" not in (terminalreporter.config.getoption("markexpr") or ""):
        return
    reports = [r for key in ("passed", "failed", "error") for r in terminalreporter.stats.get(key, [])
               if getattr(r, "when", "call") == "call"]
    counted = [(r, dict(r.user_properties).get("faults", 0)) for r in reports]
    total = sum(n for _, n in counted)
    recovered = sum(n for r, n in counted if r.passed)
    tests = sum(1 for _, n in counted if n)
    terminalreporter.write_line(f"fault suite: {total} faults injected, {recovered} recovered, "
                                f"{total - recovered} with data lost or not recovered ({tests} tests)")
