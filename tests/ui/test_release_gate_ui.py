"""The forge's checks, the burndown and the 80x24 layout in the real app on the demo sandbox, driven by a Pilot: a
red CI is named in the checks view and refuses the tag dialog; the release-note lint's PRs are jumped to and opened
in the browser; the selected milestone's burndown is drawn; at 80x24 the panes stack and the plan dialog keeps its
buttons on screen."""

from __future__ import annotations

import json
import re
import subprocess
import webbrowser
from pathlib import Path

import pytest
from textual.widgets import Button, DataTable, Static

from cockpit.demo import Sandbox
from cockpit.ui.dialogs.plan import PlanDialog
from cockpit.ui.screens.checks import ChecksScreen
from cockpit.ui.widgets.burndown import BurndownPlot
from cockpit.ui.widgets.release import ChecksSummary

from ui_helpers import make_app, settle


def master_head(sb: Sandbox) -> str:
    return subprocess.run(["git", "-C", str(sb.clone), "rev-parse", "master"], capture_output=True, text=True,
                          check=True).stdout.strip()


def edit_forge(sb: Sandbox, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(sb.forge_file.read_text())
    change(data)
    sb.forge_file.write_text(json.dumps(data))


def on_screen(widget) -> bool:  # type: ignore[no-untyped-def]
    """The whole widget is inside the screen's region."""
    region, screen = widget.region, widget.screen.region
    return bool(region.area) and screen.contains_region(region)


async def test_red_ci_is_named_in_the_checks_view_and_refuses_the_tag(sandbox: Sandbox) -> None:
    head = master_head(sandbox)
    edit_forge(sandbox, lambda d: d.setdefault("statuses", {}).update({head: {"state": "failure", "total": 2, "runs": [
        {"name": "build-modern-bpf", "status": "completed", "conclusion": "failure"}]}}))
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        report = app.screen.query_one(ChecksSummary).report
        assert report is not None
        ci = next(r for r in report.results if r.id == "ci.status")
        assert ci.blocks and "build-modern-bpf" in ci.message
        await pilot.press("t")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanDialog) and dialog.plan.blocked
        assert dialog.query_one("#execute", Button).disabled
        assert "ci.status" in str(dialog.query_one("#plan-checks").render())


async def test_the_lint_jumps_to_each_pr_and_opens_it_in_the_browser(sandbox: Sandbox, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    stripped: list[int] = []

    def strip(d: dict) -> None:
        for item in d["items"]:
            if item.get("milestone") == "0.26.0" and item.get("merged_at") and len(stripped) < 2:
                item["body"] = re.sub(r"```release-note.*?```", "", item["body"], flags=re.S)
                stripped.append(item["number"])
    edit_forge(sandbox, strip)
    opened = tmp_path / "opened.txt"
    monkeypatch.setenv("BROWSER", f"sh -c 'echo \"$0\" >> {opened}' %s")  # webbrowser runs it with the address
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # read BROWSER afresh
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ChecksScreen)
        row = next(n for n, r in enumerate(screen.rows) if r.id == "notes.release-note")
        screen.query_one("#check-table", DataTable).move_cursor(row=row)
        await pilot.pause()
        prs = screen.query_one("#check-prs", DataTable)
        assert prs.display and [str(prs.get_row_at(i)[0]) for i in range(prs.row_count)] == \
            [f"#{n}" for n in sorted(stripped)]
        await pilot.press("j")
        assert prs.has_focus
        await pilot.press("down", "o")
        await pilot.pause(0.5)
        for _ in range(20):
            if opened.exists():
                break
            await pilot.pause(0.2)
        assert opened.read_text().split() == [f"https://github.com/falcosecurity/libs/pull/{max(stripped)}"]


async def test_the_selected_milestone_has_a_burndown(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("4", "end")
        await settle(app, pilot)
        drawn = app.screen.query_one(BurndownPlot).render().plain
        assert "0.26.0 burndown" in drawn and "open" in drawn and "closed" in drawn
        legend = str(app.screen.query_one("#burndown-marks", Static).render())
        assert "code freeze 11-23" in legend and "due 11-30" in legend and "today 11-25" in legend


async def test_at_80x24_the_panes_stack_and_the_plan_dialog_keeps_its_buttons(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        for key, pane in (("1", "#branches"), ("2", "#milestones"), ("3", "#tags"), ("4", "#release")):
            await pilot.press(key)
            await settle(app, pilot)
            widget = screen.query_one(pane)
            assert widget.region.width == 80 - 2  # the whole width, stacked (the grid's scrollbar beside it)
            assert widget.region.y >= 1 and widget.region.y + 3 < 24 - 1  # its key brought it into view
        footer = "".join(str(k.render()) for k in screen.query("FooterKey")[:1])
        assert "Help" in footer  # the help key leads the footer
        await pilot.press("b")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanDialog)
        for button in ("#execute", "#dry-run", "#cancel"):
            assert on_screen(dialog.query_one(button, Button)), button
        body = dialog.query_one("#plan-body")
        assert body.max_scroll_y > 0  # the body is longer than what is left: it scrolls
