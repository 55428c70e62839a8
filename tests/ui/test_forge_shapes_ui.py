"""The TUI with forge data of an unexpected shape: a malformed forge file leaves the git panes and says why; a row
key seen twice never raises DuplicateKey; the notes of a milestone whose title holds '/' open in the editor."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from cockpit.core.forge_models import Item
from cockpit.demo import Sandbox
from cockpit.ui.screens.notes import NotesScreen
from cockpit.ui.screens.triage import TriageScreen
from cockpit.ui.widgets.branches import BranchesTable
from cockpit.ui.widgets.milestones import MilestonesTable

from ui_helpers import make_app, settle


@pytest.mark.security
async def test_duplicate_milestone_numbers_leave_the_git_panes(sandbox: Sandbox) -> None:
    doc = json.loads(sandbox.forge_file.read_text())
    doc["milestones"][1]["number"] = doc["milestones"][0]["number"]
    sandbox.forge_file.write_text(json.dumps(doc))
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.services.forge is None and "two milestones are numbered" in app.services.forge_problem
        assert app.screen.query_one(BranchesTable).row_count > 1  # the git data is there
        assert "two milestones are numbered" in str(app.screen.query_one(MilestonesTable).border_subtitle)


@pytest.mark.security
async def test_an_item_twice_in_the_triage_is_one_row(sandbox: Sandbox) -> None:
    items = [Item(7, "pr", "fix: a", "open", "alice"), Item(7, "pr", "fix: a, again", "open", "bob"),
             Item(8, "issue", "a bug", "open", "carol")]
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        app.push_screen(TriageScreen("0.26.0", "0.27.0", items, [], date(2026, 11, 25)))
        await settle(app, pilot)
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("o")  # redrawn: still no DuplicateKey
        await settle(app, pilot)
        assert app.screen.query_one("#triage-table").row_count == 2


@pytest.mark.security
@pytest.mark.parametrize("title", ["release/0.26.0", "../../0.26.0", "a\x00b", "x" * 400, "/"])
async def test_notes_of_a_milestone_whose_title_holds_a_slash_open_in_the_editor(
        sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, title: str) -> None:
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf "\\nEdited.\\n" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        app.push_screen(NotesScreen(title, None, "## notes\n"))
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, NotesScreen) and app.screen.body == "## notes\n\nEdited.\n"
