"""The first cockpit screen, driven by a Pilot on a real repository."""

from __future__ import annotations

import shutil

from textual.widgets import DataTable

from cockpit.services.git import GitService
from cockpit.ui.app import CockpitApp

from builders import FalcoRepo


async def test_app_shows_branches_and_tags(falco: FalcoRepo) -> None:
    app = CockpitApp(GitService(falco.path))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        branches = app.query_one("#branches", DataTable)
        assert [branches.get_row_at(i)[0] for i in range(branches.row_count)] == ["release/0.2.x", "release/0.1.x"]
        tags = app.query_one("#tags", DataTable)
        names = {tags.get_row_at(i)[0] for i in range(tags.row_count)}
        assert {"0.2.0", "0.2.0-rc2", "1.1.0+driver"} <= names
        assert not branches.loading


async def test_refresh_picks_up_new_branches(falco: FalcoRepo) -> None:
    app = CockpitApp(GitService(falco.path))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        falco.b.git("branch", "release/0.3.x", "master")
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        branches = app.query_one("#branches", DataTable)
        assert branches.get_row_at(0)[0] == "release/0.3.x"


async def test_repository_gone_is_a_notification(falco: FalcoRepo) -> None:
    app = CockpitApp(GitService(falco.path))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        shutil.rmtree(falco.path / ".git")  # the repository disappears under the running app
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        notes = list(app._notifications)
        assert [n.title for n in notes] == ["Could not read the repository"]
        assert "\n" not in notes[0].message and "Traceback" not in notes[0].message
