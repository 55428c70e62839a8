"""Snapshots of the dashboard, the checks view and help on the demo sandbox (calendar pinned: stable SVGs).

Update after an intended UI change with: pytest tests/ui/test_snapshots.py -n 0 --snapshot-update"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from cockpit.services.sandbox import build_sandbox

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
