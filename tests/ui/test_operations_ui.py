"""Guided operations from the keyboard on the demo sandbox: the plan dialog, execution through the journal, the
refusal of a blocked plan, dry runs, and the offer to continue an unfinished plan on start."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.widgets import Button

from cockpit.demo import Sandbox
from cockpit.ui.dialogs.plan import PlanDialog
from cockpit.ui.dialogs.resume import ResumeDialog
from cockpit.ui.screens.dashboard import DashboardScreen

from cli_helpers import cockpit
from ui_helpers import make_app, settle


def origin_refs(sb: Sandbox) -> str:
    return subprocess.run(["git", "-C", str(sb.origin), "for-each-ref", "--format=%(refname)"], capture_output=True,
                          text=True, check=True).stdout


async def test_cut_then_tag_rc1_from_the_keyboard(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    told: list[str] = []  # notification titles as they are sent (on screen they expire after a few seconds)
    notify = app.notify
    app.notify = lambda message, **kw: (told.append(kw.get("title", "")), notify(message, **kw))[1]
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog) and app.screen.plan.title.startswith("Cut release/0.26.x")
        # code freeze: the open PRs still in 0.26.0 are listed, a warning to acknowledge before the cut
        assert [c.id for c in app.screen.plan.warnings] == ["branch.milestone-open-prs"]
        await pilot.click("#acknowledge")
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert "refs/heads/release/0.26.x" in origin_refs(sandbox)
        await pilot.press("t")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanDialog)
        assert dialog.plan.title == "Tag 0.26.0-rc1 + 9.1.0-rc1+driver on release/0.26.x"
        await pilot.press("x")
        await settle(app, pilot)
        refs = origin_refs(sandbox)
        assert "refs/tags/0.26.0-rc1" in refs and "refs/tags/9.1.0-rc1+driver" in refs
        assert told.count("Done") == 2  # the cut's and the tag's
        plans = app.services.journal.plans()
        assert [p.final for p in plans] == ["finished", "finished"]


async def test_a_blocked_plan_cannot_run_and_a_dry_run_changes_nothing(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    before = origin_refs(sandbox)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")  # tagging 0.26.0-rc1 before release/0.26.x is cut: refused
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanDialog) and dialog.plan.blocked
        assert dialog.query_one("#execute", Button).disabled
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PlanDialog)  # still there: nothing ran
        await pilot.press("escape")
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert any(n.title == "Dry run" for n in app._notifications)
    assert origin_refs(sandbox) == before
    assert app.services.journal.plans() == []


async def test_an_unfinished_plan_is_offered_on_start(sandbox: Sandbox) -> None:
    cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", check=True)
    killed = cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--yes", crash="tag-libs:done")
    assert killed.returncode == 75
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ResumeDialog)
        assert dialog.record.plan.title == "Tag 0.26.0-rc1 on release/0.26.x"
        assert "Push release/0.26.x, 0.26.0-rc1 to origin (atomic)" in dialog.choices["continue"]
        await pilot.press("c")
        await settle(app, pilot)
        assert "refs/tags/0.26.0-rc1" in origin_refs(sandbox)
        assert app.services.journal.unfinished() is None


@pytest.mark.fault
async def test_a_torn_journal_tail_is_said_and_the_plan_still_offered(sandbox: Sandbox) -> None:
    cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", check=True)
    assert cockpit(sandbox, "tag", "--libs", "0.26.0-rc1", "--yes", crash="tag-libs:done").returncode == 75
    app = make_app(sandbox.clone)
    journal = app.services.journal.path
    journal.write_bytes(journal.read_bytes() + b'{"plan": "x", "sta')  # a record cut short by a crash
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ResumeDialog)
        said = [n.message for n in app._notifications]
        assert any("the journal's last record is incomplete" in m for m in said), said


async def test_notes_edited_in_the_editor_become_a_draft_release(sandbox: Sandbox, tmp_path: Path,
                                                                 monkeypatch) -> None:
    import json

    from cockpit.ui.screens.notes import NotesScreen

    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nEdited by the release manager.\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    for args in (["branch", "cut", "--version", "0.26.0"], ["tag", "--libs", "0.26.0-rc1"]):
        cockpit(sandbox, *args, "--yes", check=True)
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NotesScreen) and app.screen.tag == "0.26.0-rc1"
        assert app.screen.body.startswith("## v0.26.0")
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen.body.endswith("Edited by the release manager.\n")
        await pilot.press("escape", "n")  # left and opened again: the edit is kept for the session
        await settle(app, pilot)
        assert isinstance(app.screen, NotesScreen) and app.screen.edited
        assert app.screen.body.count("Edited by the release manager.") == 1
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog)
        await pilot.press("x")
        await settle(app, pilot)
    release = json.loads(sandbox.forge_file.read_text())["releases"][0]
    assert release["tag"] == "0.26.0-rc1" and release["draft"] and release["prerelease"]
    assert release["body"].endswith("Edited by the release manager.\n")


async def test_tracking_issue_from_the_keyboard(sandbox: Sandbox) -> None:
    import json

    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog) and app.screen.plan.title == "Tracking issue for 0.26.0"
        await pilot.press("x")
        await settle(app, pilot)
    data = json.loads(sandbox.forge_file.read_text())
    assert any(i["title"] == "Release 0.26.0" for i in data["items"]) and len(data["comments"]) == 1


async def test_bump_from_the_keyboard_shows_the_diff_then_commits(sandbox: Sandbox) -> None:
    from textual.widgets import RadioButton

    from cockpit.ui.dialogs.bump import BumpDialog

    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, BumpDialog)
        app.screen.query_one("#target-schema", RadioButton).value = True
        app.screen.query_one("#part-patch", RadioButton).value = True
        await pilot.click("#plan")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanDialog)
        assert "+2.13.1" in dialog.plan.steps[0].detail and "-2.13.0" in dialog.plan.steps[0].detail
        await pilot.press("x")
        await settle(app, pilot)
    first = (sandbox.clone / "driver" / "SCHEMA_VERSION").read_text().splitlines()[0]
    subject = subprocess.run(["git", "-C", str(sandbox.clone), "log", "-1", "--format=%s"], capture_output=True,
                             text=True, check=True).stdout.strip()
    assert first == "2.13.1" and "SCHEMA_VERSION to 2.13.1" in subject


async def test_protection_request_from_the_keyboard(sandbox: Sandbox) -> None:
    import json

    cockpit(sandbox, "branch", "cut", "--version", "0.26.0", "--yes", check=True)
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("P")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog)
        assert app.screen.plan.title == "Request protection of release/0.26.x on falcosecurity/test-infra"
        await pilot.press("x")
        await settle(app, pilot)
    infra = json.loads(sandbox.forge_file.read_text())["repositories"]["falcosecurity/test-infra"]
    assert infra["pulls"] and '"release/0.26.x":' in infra["branches"]["cockpit/protect-release-0.26.x"]["files"][
        "config/config.yaml"]


async def test_triage_moves_open_features_out_of_the_frozen_milestone_and_undoes(sandbox: Sandbox) -> None:
    import json

    from cockpit.ui.screens.triage import TriageScreen

    def milestone_of() -> dict[int, str | None]:
        return {i["number"]: i["milestone"] for i in json.loads(sandbox.forge_file.read_text())["items"]}

    before = milestone_of()
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        triage = app.screen
        assert isinstance(triage, TriageScreen) and triage.target == "0.27.0"
        shown = triage.shown()
        assert shown and all(i.state == "open" and i.kind == "pr" for i in shown)  # code freeze: open features
        assert triage.orphans  # merged PRs without a milestone are flagged
        await pilot.press("a", "m")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog)
        await pilot.press("x")
        await settle(app, pilot)
        moved = {i.number for i in shown}
        assert all(milestone_of()[n] == "0.27.0" for n in moved)
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog)
        await pilot.press("x")
        await settle(app, pilot)
    assert milestone_of() == before


async def test_a_declined_move_returns_to_the_triage_with_its_marks(sandbox: Sandbox) -> None:
    import json

    from cockpit.ui.screens.triage import TriageScreen

    before = sandbox.forge_file.read_text()
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        await pilot.press("space", "space", "m")  # two marked, then the move
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        triage = app.screen
        assert isinstance(triage, TriageScreen) and len(triage.marked) == 2
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, TriageScreen)
    assert json.loads(sandbox.forge_file.read_text()) == json.loads(before)  # nothing moved


async def test_plan_a_release_from_the_keyboard(sandbox: Sandbox) -> None:
    import json

    from textual.widgets import Input

    from cockpit.ui.dialogs.plan_release import PlanReleaseDialog

    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("N")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PlanReleaseDialog)
        assert dialog.query_one("#libs", Input).value == "0.26.0"  # suggested by next
        assert dialog.query_one("#driver", Input).value == "9.1.0+driver"
        dialog.query_one("#libs", Input).value = "0.28.0"
        dialog.query_one("#due", Input).value = "2027-03-01"
        await pilot.click("#plan")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDialog) and "Phases: preparation 2027-02-01" in app.screen.plan.note
        assert app.screen.plan.warnings  # 0.25.1 -> 0.28.0 skips versions: acknowledge first
        await pilot.click("#acknowledge")
        await pilot.press("x")
        await settle(app, pilot)
    titles = {m["title"]: m for m in json.loads(sandbox.forge_file.read_text())["milestones"]}
    assert titles["0.28.0"]["due_on"].startswith("2027-03-01") and "9.1.0+driver" in titles
    assert "next-driver" not in titles
