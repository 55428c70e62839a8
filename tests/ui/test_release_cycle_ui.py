"""The release cycle from the keyboard on the demo sandbox: triage moves items to the next minor milestone, not to
a patch milestone due sooner, and `C` closes a released milestone through the plan dialog."""

from __future__ import annotations

import json
from datetime import date, timedelta

from cockpit.demo import Sandbox
from cockpit.ui.dialogs.plan import PlanDialog
from cockpit.ui.screens.triage import TriageScreen

from ui_helpers import make_app, settle


def edit_forge(sb: Sandbox, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(sb.forge_file.read_text())
    change(data)
    sb.forge_file.write_text(json.dumps(data))


async def test_triage_targets_the_next_minor_not_a_patch_due_sooner(sandbox: Sandbox) -> None:
    def add_patch(data: dict) -> None:
        due = next(m for m in data["milestones"] if m["title"] == "0.26.0")["due_on"][:10]
        sooner = (date.fromisoformat(due) + timedelta(days=1)).isoformat() + "T00:00:00Z"
        data["milestones"].append({"number": max(m["number"] for m in data["milestones"]) + 1, "title": "0.25.2",
                                   "state": "open", "due_on": sooner, "description": ""})
    edit_forge(sandbox, add_patch)
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen)
        assert app.screen.milestone == "0.26.0" and app.screen.target == "0.27.0"


async def test_close_a_released_milestone_from_the_keyboard(sandbox: Sandbox) -> None:
    def reopen(data: dict) -> None:
        for m in data["milestones"]:
            if m["title"] == "0.25.1":
                m["state"], m["closed_at"] = "open", None
    edit_forge(sandbox, reopen)
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.screen.view is not None and app.screen.view.milestone.title == "0.25.1"  # soonest due first
        await pilot.press("X")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog) and app.screen.plan.title == "Close milestone 0.25.1"
        assert not [c for c in app.screen.plan.checks if not c.ok]  # released, nothing open
        await pilot.press("x")
        await settle(app, pilot)
    closed = next(m for m in json.loads(sandbox.forge_file.read_text())["milestones"] if m["title"] == "0.25.1")
    assert closed["state"] == "closed"
