"""Snapshots of the dashboard, the checks view and help on the demo sandbox (calendar pinned: stable SVGs).

Update after an intended UI change with: pytest tests/ui/test_snapshots.py -n 0 --snapshot-update"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from cockpit.demo import build_sandbox

from ui_helpers import TODAY, make_app, settle

SIZE = (140, 45)


def app_on_sandbox(tmp_path: Path):
    return make_app(build_sandbox(tmp_path / "sandbox", TODAY).clone)


def test_dashboard(snap_compare, tmp_path: Path) -> None:
    app = app_on_sandbox(tmp_path)

    async def ready(pilot: Pilot) -> None:
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_checks_view(snap_compare, tmp_path: Path) -> None:
    app = app_on_sandbox(tmp_path)

    async def open_checks(pilot: Pilot) -> None:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_checks)


def test_help(snap_compare, tmp_path: Path) -> None:
    app = app_on_sandbox(tmp_path)

    async def open_help(pilot: Pilot) -> None:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_help)


def test_plan_dialog(snap_compare, tmp_path: Path) -> None:
    app = app_on_sandbox(tmp_path)

    async def open_plan(pilot: Pilot) -> None:
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_plan)


def snapshot_after(snap_compare, tmp_path: Path, *keys: str, prepare=None) -> bool:
    """The app on a fresh sandbox after pressing `keys` (each followed by a settle)."""
    sandbox = build_sandbox(tmp_path / "sandbox", TODAY)
    if prepare is not None:
        prepare(sandbox)
    app = make_app(sandbox.clone)

    async def press(pilot: Pilot) -> None:
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)

    return snap_compare(app, terminal_size=SIZE, run_before=press)


def test_triage_screen(snap_compare, tmp_path: Path) -> None:
    assert snapshot_after(snap_compare, tmp_path, "m")


def test_backport_browser(snap_compare, tmp_path: Path) -> None:
    assert snapshot_after(snap_compare, tmp_path, "p")


def test_bump_dialog(snap_compare, tmp_path: Path) -> None:
    assert snapshot_after(snap_compare, tmp_path, "v")


def test_plan_release_dialog(snap_compare, tmp_path: Path) -> None:
    assert snapshot_after(snap_compare, tmp_path, "N")


def test_notes_screen(snap_compare, tmp_path: Path) -> None:
    assert snapshot_after(snap_compare, tmp_path, "n")


def test_conflict_dialog(snap_compare, tmp_path: Path) -> None:
    """The browser's backport of the sandbox's planned conflict, straight onto the branch."""
    sandbox = build_sandbox(tmp_path / "sandbox", TODAY)
    app = make_app(sandbox.clone)

    async def conflict(pilot: Pilot) -> None:
        from cockpit.demo import CONFLICTING_FIX

        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        screen = app.screen
        screen.marked = [c.sha for c in screen.commits if c.subject.startswith(CONFLICTING_FIX)]
        await pilot.press("d", "x")
        await settle(app, pilot)
        if app.screen.plan.warnings:
            app.screen.query_one("#acknowledge").value = True
        await pilot.press("x")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=conflict)


def test_resume_dialog(snap_compare, tmp_path: Path) -> None:
    import os
    import shutil
    import subprocess
    import sys

    cockpit = shutil.which("cockpit", path=str(Path(sys.executable).parent)) or "cockpit"

    def crash_mid_tag(sandbox) -> None:
        env = {**os.environ, "COCKPIT_TODAY": TODAY.isoformat()}
        subprocess.run([cockpit, "branch", "cut", "--version", "0.26.0", "--yes", "--repo", str(sandbox.clone)],
                       env=env, check=True, capture_output=True)
        subprocess.run([cockpit, "tag", "--libs", "0.26.0-rc1", "--yes", "--repo", str(sandbox.clone)],
                       env={**env, "COCKPIT_CRASH_AT": "tag-libs:done"}, capture_output=True)

    assert snapshot_after(snap_compare, tmp_path, prepare=crash_mid_tag)


SMALL = (80, 24)  # the smallest terminal the cockpit is made for


def test_dashboard_80x24(snap_compare, tmp_path: Path) -> None:
    app = app_on_sandbox(tmp_path)

    async def ready(pilot: Pilot) -> None:
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=ready)


def test_plan_dialog_80x24(snap_compare, tmp_path: Path) -> None:
    app = app_on_sandbox(tmp_path)

    async def open_plan(pilot: Pilot) -> None:
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=open_plan)


def test_burndown(snap_compare, tmp_path: Path) -> None:
    assert snapshot_after(snap_compare, tmp_path, "4", "end")
