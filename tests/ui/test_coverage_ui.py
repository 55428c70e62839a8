"""The coverage screen on the demo sandbox, from the keyboard: C on the milestone pane, the milestone's merged PRs
against the maintained branches, then p on a missing cell plans that PR's backport and, confirmed, opens the PR
with its milestone and labels."""

from __future__ import annotations

import json

from textual.widgets import DataTable

from cockpit.core.coverage import Coverage
from cockpit.demo import CLEAN_FIXES, CONFLICTING_FIX, NEWEST_RELEASE_BRANCH, Sandbox
from cockpit.ui.dialogs.plan import PlanDialog
from cockpit.ui.screens.backport import BackportScreen
from cockpit.ui.screens.coverage import CoverageScreen
from cockpit.ui.widgets.milestones import MilestonesTable

from ui_helpers import make_app, settle


async def open_coverage(app, pilot, title: str) -> CoverageScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("2")
    pane = app.screen.query_one(MilestonesTable)
    pane.move_cursor(row=pane.get_row_index(title))
    await pilot.press("C")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, CoverageScreen) and screen.milestone == title
    return screen


def row_of(report: Coverage, title: str) -> int:
    return next(n for n, r in enumerate(report.rows) if r.title == title)


async def test_coverage_screen_then_backport_a_missing_pr(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_coverage(app, pilot, "0.26.0")
        report = screen.report
        assert report is not None and report.branches == (NEWEST_RELEASE_BRANCH, "release/0.24.x")
        table = screen.query_one(DataTable)
        assert table.row_count == len(report.rows) == 40
        conflicting = row_of(report, CONFLICTING_FIX)
        assert str(table.get_cell_at((conflicting, 1))) == "conflict"
        clean = row_of(report, CLEAN_FIXES[0])
        assert str(table.get_cell_at((clean, 1))) == "missing"
        table.move_cursor(row=clean, column=1)
        await pilot.press("p")  # that PR to that branch: the backport screen, its commits marked, planned at once
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanDialog) and dialog.plan.title == (
            f"Backport 1 commit(s) to {NEWEST_RELEASE_BRANCH} as a pull request")
        picks = [s.params["sha"] for s in dialog.plan.steps if s.kind == "backport.pick"]
        assert picks == list(report.rows[clean].commits)
        assert [s.kind for s in dialog.plan.steps][-3:] == ["milestone.create", "forge.pull-details",
                                                            "backport.finish"]
        if dialog.plan.warnings:
            dialog.query_one("#acknowledge").value = True
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, BackportScreen)
        await pilot.press("escape")  # back on the coverage screen, read again
        await settle(app, pilot)
        assert isinstance(app.screen, CoverageScreen)
        app.screen.query_one(DataTable).move_cursor(row=0, column=0)
        await pilot.press("p")  # off the branch columns: nothing to do but say so
        assert any("move to a branch's column" in str(n.message) for n in app._notifications)
    forge = json.loads(sandbox.forge_file.read_text())
    opened = [i for i in forge["items"] if i.get("base") == NEWEST_RELEASE_BRANCH and i.get("state") == "open"]
    assert len(opened) == 1
    source = next(i for i in forge["items"] if i["number"] == report.rows[clean].number)
    assert opened[0]["milestone"] == "0.25.2" and opened[0]["labels"] == source["labels"]
    assert f"#{source['number']} " in opened[0]["body"]
