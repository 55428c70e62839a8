"""The backport candidate browser on the demo sandbox, from the keyboard: marking and filters, a series with a
conflict (continue after resolving, skip, abort), a PR by default, and the next tag offered afterwards."""

from __future__ import annotations

import subprocess

from textual.widgets import DataTable, Input, Static

from cockpit.demo import CLEAN_FIXES, CONFLICTING_FIX, Sandbox
from cockpit.ui.dialogs.conflict import ConflictDialog
from cockpit.ui.dialogs.plan import PlanDialog
from cockpit.ui.screens.backport import BackportScreen

from ui_helpers import make_app, settle


def git(sb: Sandbox, *args: str) -> str:
    return subprocess.run(["git", "-C", str(sb.clone), *args], capture_output=True, text=True, check=True).stdout


async def open_browser(app, pilot) -> BackportScreen:
    await settle(app, pilot)
    await pilot.press("p")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, BackportScreen) and screen.branch == "release/0.25.x"
    return screen


def mark(screen: BackportScreen, subjects: list[str]) -> None:
    for c in screen.commits:
        if c.subject in subjects:
            screen.marked.append(c.sha)
    assert len(screen.marked) == len(subjects)
    screen.fill()


async def test_browser_lists_filters_and_marks(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_browser(app, pilot)
        table = screen.query_one(DataTable)
        missing = [c for c in screen.commits if not c.applied]
        subjects = [c.subject for c in missing]
        assert table.row_count == len(missing)
        assert set(subjects) >= {*CLEAN_FIXES, CONFLICTING_FIX}
        # rebase-merged: each PR is linked by the forge's association, with its milestone and labels in the row
        assert {c.pr_source for c in screen.commits} == {"forge"} and all(c.pr for c in screen.commits)
        first = table.get_row_at(0)
        assert str(first[2]) == f"#{missing[0].pr} forge" and str(first[6]) == missing[0].milestone
        assert missing[0].labels and str(first[7]).startswith(missing[0].labels[0])
        await settle(app, pilot)
        pr_line = str(screen.query_one("#diff", Static).render()).splitlines()[0]
        assert pr_line == f"PR #{missing[0].pr} {missing[0].pr_title}  (linked by forge)"
        await pilot.press("o")  # every candidate, the applied ones dimmed with their evidence
        assert table.row_count == len(screen.commits) > len(missing)
        assert {c.evidence for c in screen.commits if c.applied} >= {"patch-id", "subject+author"}
        await pilot.press("slash")
        screen.query_one(Input).value = "path:threadinfo"
        await pilot.press("enter")
        assert table.row_count == len(screen.shown())
        assert any(c.subject.startswith(CONFLICTING_FIX) for c in screen.shown())
        await pilot.press("o")  # only missing again: applied commits cannot be marked
        assert all(not c.applied for c in screen.shown())
        await pilot.press("space")
        assert len(screen.marked) == 1
        await pilot.press("space")  # the cursor moved on: marks the next one
        await pilot.press("escape")


async def test_three_fixes_direct_with_a_conflict_resolved_then_tag_next(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    before = git(sandbox, "rev-parse", "origin/release/0.25.x").strip()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_browser(app, pilot)
        mark(screen, [CLEAN_FIXES[0], CONFLICTING_FIX, CLEAN_FIXES[1]])
        await pilot.press("d", "x")  # straight onto the branch
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog) and "release/0.25.x" in app.screen.plan.title
        app.screen.query_one("#acknowledge").value = True if app.screen.plan.warnings else None
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog) and dialog.files
        # the release manager resolves the conflict (here: takes the fix as master has it) and stages it
        for path in dialog.files:
            git(sandbox, "checkout", "--theirs", "--", path)
            git(sandbox, "add", "--", path)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, BackportScreen)
        assert any(n.title == "Backport done" for n in app._notifications)
        log = git(sandbox, "log", "--format=%B", f"{before}..origin/release/0.25.x")
        assert log.count("(cherry picked from commit") == 3
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog) and app.screen.plan.title.startswith("Tag 0.25.2")
        await pilot.press("x")
        await settle(app, pilot)
    assert "0.25.2" in git(sandbox, "ls-remote", "--tags", "origin")
    assert git(sandbox, "status", "--porcelain") == ""


async def test_conflict_skip_and_abort(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    before = git(sandbox, "rev-parse", "origin/release/0.25.x").strip()
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_browser(app, pilot)
        mark(screen, [CONFLICTING_FIX, CLEAN_FIXES[2]])
        await pilot.press("x")  # a PR by default
        await settle(app, pilot)
        if app.screen.plan.warnings:
            app.screen.query_one("#acknowledge").value = True
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("a")  # abort: everything as before, nothing pushed
        await settle(app, pilot)
    assert git(sandbox, "rev-parse", "origin/release/0.25.x").strip() == before
    assert git(sandbox, "status", "--porcelain") == "" and git(sandbox, "branch", "--show-current").strip() == "master"
    assert "backport/" not in git(sandbox, "branch", "--list")


async def test_add_the_earlier_commits_that_touch_the_same_files(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_browser(app, pilot)
        newest_missing = [c for c in screen.commits if not c.applied][-1]
        screen.marked.append(newest_missing.sha)
        await pilot.press("A")
        files = screen.paths[newest_missing.sha]
        earlier = [c.sha for c in screen.commits[:-1]
                   if not c.applied and files & screen.paths.get(c.sha, frozenset())]
        assert sorted(screen.marked) == sorted([newest_missing.sha, *earlier])


async def test_a_backport_stopped_in_an_earlier_session_offers_its_choices_on_start(sandbox: Sandbox) -> None:
    import os
    import shutil
    import sys
    from pathlib import Path

    cockpit = shutil.which("cockpit", path=str(Path(sys.executable).parent)) or "cockpit"
    sha = next(line.split()[0] for line in git(sandbox, "log", "--format=%H %s", "origin/master").splitlines()
               if line.split(" ", 1)[1].startswith(CONFLICTING_FIX))
    before = git(sandbox, "rev-parse", "origin/release/0.25.x").strip()
    stopped = subprocess.run([cockpit, "backport", "--branch", "release/0.25.x", "--direct", sha, "--yes", "--repo",
                              str(sandbox.clone)], capture_output=True, text=True,
                             env={**os.environ, "COCKPIT_TODAY": "2026-11-25"})
    assert stopped.returncode == 1  # the conflict: git's own cherry-pick in progress
    app = make_app(sandbox.clone)
    async with app.run_test(size=(160, 45)) as pilot:
        for _ in range(3):
            await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog) and app.screen.files
        await pilot.press("s")  # skip the conflicting commit: nothing else to pick
        await settle(app, pilot)
    assert git(sandbox, "rev-parse", "origin/release/0.25.x").strip() == before
    assert git(sandbox, "status", "--porcelain") == ""
    assert not (sandbox.clone / ".git" / "CHERRY_PICK_HEAD").exists()
