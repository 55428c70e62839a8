"""The dashboard and the remote: a fetch in the background on start (off in the user config) and on `f`, its age
in the header, a failure that warns and leaves the panes working, and irregular release branches marked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.widgets import DataTable

from cockpit.demo import Sandbox
from cockpit.services.settings import UserConfig

from ui_helpers import make_app, settle


def column(table: DataTable, index: int = 0) -> list[str]:
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


def push_from_another_clone(sandbox: Sandbox, tmp_path: Path, *refspecs: str, tag: str | None = None) -> None:
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(sandbox.origin), str(other)], check=True)
    if tag:
        subprocess.run(["git", "-C", other, "tag", tag, "origin/release/0.25.x"], check=True)
    subprocess.run(["git", "-C", other, "push", "-q", "origin", *refspecs], check=True)


async def test_fetch_on_start_brings_the_new_tag_and_an_irregular_branch(sandbox: Sandbox, tmp_path: Path) -> None:
    push_from_another_clone(sandbox, tmp_path, "0.25.2-rc1", "origin/master:refs/heads/release/0.9.0",
                            tag="0.25.2-rc1")
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert "fetched just now" in app.sub_title and "forge: local file" in app.sub_title
        assert "0.25.2-rc1" in column(app.screen.query_one("#tags", DataTable), 1)
        branches = app.screen.query_one("#branches", DataTable)
        rows = {str(branches.get_row_at(i)[0]): [str(c) for c in branches.get_row_at(i)]
                for i in range(branches.row_count)}
        assert rows["release/0.9.0"][-1] == "irregular" and "names the release 0.9.0" in rows["release/0.9.0"][4]
        assert "1 irregular" in str(branches.border_subtitle)
        branches.focus()
        branches.move_cursor(row=branches.row_count - 1)  # on the irregular row: never a release branch to act on
        await pilot.pause()
        assert app.screen._target_release_branch() == "release/0.25.x"


async def test_no_fetch_on_start_when_the_user_says_so_then_on_f(sandbox: Sandbox, tmp_path: Path) -> None:
    push_from_another_clone(sandbox, tmp_path, "0.25.2-rc1", tag="0.25.2-rc1")
    app = make_app(sandbox.clone, UserConfig(fetch_on_start=False))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert "never fetched" in app.sub_title
        assert "0.25.2-rc1" not in column(app.screen.query_one("#tags", DataTable), 1)
        await pilot.press("f")
        await settle(app, pilot)
        assert "fetched just now" in app.sub_title
        assert "0.25.2-rc1" in column(app.screen.query_one("#tags", DataTable), 1)


@pytest.mark.fault
async def test_offline_fetch_warns_and_the_panes_stay(sandbox: Sandbox) -> None:
    subprocess.run(["git", "-C", str(sandbox.clone), "remote", "set-url", "origin",
                    "https://bot:ghp_uiS3cret@127.0.0.1:9/falcosecurity/libs.git"], check=True)
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        notes = [n for n in app._notifications if n.title.startswith("Fetch failed")]
        assert len(notes) == 1 and "cannot fetch from origin" in notes[0].message
        assert "ghp_uiS3cret" not in notes[0].message + app.sub_title
        assert "fetch failed, never fetched" in app.sub_title
        assert column(app.screen.query_one("#branches", DataTable))[1] == "release/0.25.x"
        await pilot.press("f")  # asked again: still a warning, never a blocker
        await settle(app, pilot)
        assert len([n for n in app._notifications if n.title.startswith("Fetch failed")]) == 2


async def test_a_repository_without_the_remote_says_so_quietly(sandbox: Sandbox) -> None:
    subprocess.run(["git", "-C", str(sandbox.clone), "remote", "remove", "origin"], check=True)
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert "no remote" in app.sub_title
        assert not [n for n in app._notifications if n.title.startswith("Fetch failed")]
        await pilot.press("f")
        await settle(app, pilot)
        assert [n.message for n in app._notifications if n.title.startswith("Fetch failed")] == [
            "no remote named origin: nothing to fetch"]
        assert "no remote" in app.sub_title and "fetch failed" not in app.sub_title
