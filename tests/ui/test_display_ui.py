"""The TUI shows one-line forge and git text on one line and never lets a bidi control reorder the screen: a
milestone title carrying U+202E and a line break, and a PR title with a forged second line. What the terminal
would be sent (the rendered segments) holds none of them; the screen shows them as `\\u202e` and ␤."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.segment import Segment

from cockpit.core.display import one_line
from cockpit.demo import build_sandbox
from cockpit.services.forge.local import LocalForge
from cockpit.ui.app import CockpitApp
from cockpit.ui.dialogs.plan import PlanDialog
from cockpit.ui.screens.triage import TriageScreen
from cockpit.workflows.milestones import propose_move

from builders import planned
from ui_helpers import TODAY, make_app, settle

BIDI = "\u202e\u2066\u200f\u061c"
MILESTONE = "0.26.0 \u202eRLO\nFORGED-LINE milestone"
ITEM = "fix: a title\nFORGED-LINE item \u202e"


def segments(app: CockpitApp) -> Iterator[Segment]:
    for strip in app.screen._compositor.render_strips():
        yield from strip


def rendered_lines(app: CockpitApp) -> list[str]:
    """Each screen row as the terminal gets it: a line break of the data's own would start a row with FORGED."""
    return ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]


def assert_neutral(app: CockpitApp) -> str:
    text = "".join(s.text for s in segments(app))
    assert not any(c in text for c in BIDI), "a bidi control reached the terminal"
    assert not any(line.lstrip(" │┃").startswith("FORGED-LINE") for line in rendered_lines(app)), "a forged line"
    return text


@pytest.mark.security
async def test_bidi_and_line_breaks_in_titles_and_names_are_shown_not_obeyed(tmp_path: Path) -> None:
    sb = build_sandbox(tmp_path / "sandbox", TODAY)
    data = json.loads(sb.forge_file.read_text())
    for m in data["milestones"]:
        if m["title"] == "0.26.0":
            m["title"] = MILESTONE
    for i in data["items"]:
        if i.get("milestone") == "0.26.0":
            i["milestone"] = MILESTONE
            if i["kind"] == "pr" and i["state"] == "open":
                i["title"] = ITEM
    sb.forge_file.write_text(json.dumps(data))

    app = make_app(sb.clone)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await settle(app, pilot)
        text = assert_neutral(app)
        assert "\\u202eRLO␤FORGED-LINE milestone" in text  # the milestone pane, on one line
        await pilot.press("m")  # triage of the selected milestone: its items' titles
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen)
        text = assert_neutral(app)
        assert "fix: a title␤FORGED-LINE item \\u202e" in text


@pytest.mark.security
async def test_a_plan_built_from_forge_titles_shows_each_step_on_one_line(tmp_path: Path) -> None:
    """A milestone move's steps are titled with the items' titles: the plan dialog (and the CLI's preview) shows a
    title's line break as ␤, never as a line that looks like another step."""
    sb = build_sandbox(tmp_path / "sandbox", TODAY)
    data = json.loads(sb.forge_file.read_text())
    for i in data["items"]:
        if i.get("milestone") == "0.26.0" and i["kind"] == "pr" and i["state"] == "open":
            i["title"] = ITEM
    sb.forge_file.write_text(json.dumps(data))
    plan = planned(propose_move(LocalForge(sb.forge_file), "0.26.0", "0.27.0", unmerged_only=True))
    assert any(ITEM in step.title for step in plan.steps)
    preview = plan.preview()
    assert not any(line.startswith("FORGED-LINE") for line in preview.splitlines())
    assert one_line(ITEM) in preview

    app = make_app(sb.clone)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        app.push_screen(PlanDialog(plan))
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog)
        text = assert_neutral(app)
        assert "fix: a title␤FORGED-LINE item \\u202e" in text
