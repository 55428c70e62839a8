"""The dashboard on the demo sandbox, driven by a Pilot: panes, selection, refresh, errors, keys."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from textual.widgets import DataTable, Static

from cockpit.demo import Sandbox
from cockpit.services.settings import UserConfig
from cockpit.ui.screens.checks import ChecksScreen
from cockpit.ui.screens.dashboard import DashboardScreen
from cockpit.ui.screens.help import HelpScreen
from cockpit.ui.widgets.release import ChecksSummary, ReleasePanel

from ui_helpers import make_app, run_from_palette, settle


def column(table: DataTable, index: int = 0) -> list[str]:
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


async def test_panes_show_the_sandbox(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        branches = column(app.screen.query_one("#branches", DataTable))
        assert branches[0] == "master" and branches[1:] == ["release/0.25.x", "release/0.24.x", "release/0.23.x"]
        milestones = column(app.screen.query_one("#milestones", DataTable))
        assert milestones == ["0.26.0", "0.27.0", "next-driver"]  # soonest due first
        tags = column(app.screen.query_one("#tags", DataTable), 1)
        assert {"0.25.1", "0.25.0-rc1", "0.25.0-rc3", "9.0.1+driver", "8.1.0+driver-rc1"} <= set(tags)
        panel = app.screen.query_one(ReleasePanel)
        assert panel.border_title == "4 Release 0.26.0"
        timeline = str(panel.query_one("#timeline", Static).render())
        assert "▶ Code freeze" in timeline and "today 11-25" in timeline
        summary = app.screen.query_one(ChecksSummary)
        assert summary.report is not None and summary.report.tags == ("0.26.0-rc1", "9.1.0-rc1+driver")
        assert not summary.report.ok  # release/0.26.x is not cut yet
        assert "forge: local file" in app.sub_title


async def test_selecting_a_milestone_updates_the_release_panel(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "down")
        await settle(app, pilot)
        panel = app.screen.query_one(ReleasePanel)
        assert panel.border_title == "4 Release 0.27.0"
        assert "▶ Planning" in str(panel.query_one("#timeline", Static).render())
        assert app.screen.query_one(ChecksSummary).report.tags == ("0.27.0-rc1", "9.1.0-rc1+driver")


async def test_refresh_shows_a_new_release_branch(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        subprocess.run(["git", "-C", str(sandbox.clone), "branch", "release/0.26.x", "origin/master"], check=True)
        await pilot.press("r")
        await settle(app, pilot)
        branches = column(app.screen.query_one("#branches", DataTable))
        assert branches[1] == "release/0.26.x"
        timeline = str(app.screen.query_one("#timeline", Static).render())
        assert "▶ Release branch" in timeline  # the phase follows git


async def test_focus_is_on_branches_after_the_first_paint_and_stays_on_its_pane_across_a_refresh(
        sandbox: Sandbox) -> None:
    """A pane under its loading indicator cannot hold focus: the dashboard gives it back once the rows are in."""
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.screen.query_one("#branches")
        await pilot.press("3")
        await pilot.press("r")  # every table loads again: focus would fall to the release panel
        await settle(app, pilot)
        assert app.focused is app.screen.query_one("#tags")


@pytest.mark.parametrize("frames", [0, 1])
async def test_a_quit_in_the_first_frame_closes_the_app_cleanly(sandbox: Sandbox, frames: int) -> None:
    """ctrl+q before the rest of the dashboard is mounted: the screen closes meanwhile, nothing is mounted on it
    (a MountError's traceback was printed on the way out)."""
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        for _ in range(frames):
            await pilot.pause(0)
        await pilot.press("ctrl+q")
    assert app.return_code == 0  # run_test raises what a handler raised


async def test_checks_screen_lists_failures_first_with_hints(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecksScreen)
        table = app.screen.query_one(DataTable)
        assert column(table, 1)[0] == "branch.placement"
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "fix: cut it first" in detail
        await pilot.press("f")
        assert table.row_count == 2  # failed only
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_help_lists_bindings_and_user_keymap(sandbox: Sandbox) -> None:
    user = UserConfig(keymap=(("cockpit.refresh", "f5"),))
    app = make_app(sandbox.clone, user)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {row[2]: row[0] for row in app.screen.bindings_shown}
        assert rows["cockpit.refresh"] == "f5" and rows["cockpit.quit"] == "^q"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        subprocess.run(["git", "-C", str(sandbox.clone), "branch", "release/0.26.x", "origin/master"], check=True)
        await pilot.press("r")  # remapped away: nothing is re-read
        await settle(app, pilot)
        assert "release/0.26.x" not in column(app.screen.query_one("#branches", DataTable))
        await pilot.press("f5")
        await settle(app, pilot)
        assert "release/0.26.x" in column(app.screen.query_one("#branches", DataTable))


async def test_command_palette_runs_cockpit_actions(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await run_from_palette(app, pilot, "open all checks")
        await settle(app, pilot)
        assert isinstance(app.screen, ChecksScreen)


@pytest.mark.fault
async def test_forge_failure_is_a_notification_and_git_panes_stay(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        sandbox.forge_file.write_text("{ not json")
        await pilot.press("r")
        await settle(app, pilot)
        notes = list(app._notifications)
        assert [n.title for n in notes] == ["Reading milestones from the forge failed"]
        assert "unreadable" in notes[0].message and "\n" not in notes[0].message
        assert column(app.screen.query_one("#branches", DataTable))[1] == "release/0.25.x"


@pytest.mark.fault
async def test_repository_gone_is_a_notification(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        shutil.rmtree(sandbox.clone / ".git")
        await pilot.press("r")
        await settle(app, pilot)
        notes = list(app._notifications)
        assert [n.title for n in notes] == ["Reading the repository failed"]
        assert "Traceback" not in notes[0].message


async def test_no_forge_keeps_the_git_panes(sandbox: Sandbox) -> None:
    subprocess.run(["git", "-C", str(sandbox.clone), "config", "--unset", "cockpit.localForge"], check=True)
    app = make_app(sandbox.clone)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        milestones = app.screen.query_one("#milestones", DataTable)
        assert milestones.row_count == 0 and "not a GitHub URL" in milestones.border_subtitle
        assert column(app.screen.query_one("#branches", DataTable))[1] == "release/0.25.x"
        assert "forge: no forge" in app.sub_title


async def test_themes_from_user_config(sandbox: Sandbox) -> None:
    app = make_app(sandbox.clone, UserConfig(theme="textual-light"))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-light"
        await run_from_palette(app, pilot, "toggle light")
        assert app.theme == "textual-dark"
    app = make_app(sandbox.clone, UserConfig(theme="no-such-theme"))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-dark"
        assert any("unknown theme" in n.message for n in app._notifications)


def test_forge_file_is_plain_json(sandbox: Sandbox) -> None:
    assert json.loads(sandbox.forge_file.read_text())["schema"] == 1


async def test_github_forge_online_then_cached_with_rate_limit(tmp_path) -> None:
    """The dashboard on a repository whose forge is GitHub (the emulator): online with the rate limit in the
    header; then GitHub goes down and the milestones come from the cache, marked with their age."""
    from builders import FalcoRepo
    from github_emulator import Fault, serve_validated
    from ui_helpers import make_app_with_env

    falco = FalcoRepo.build(tmp_path / "repo")
    for emu in serve_validated(token="ghp_ui_token"):
        emu.add_milestone("0.3.0", due_on="2026-11-30")
        emu.add_pull("fix: a", milestone="0.3.0", body="```release-note\nfix: a\n```")
        emu.set_rate_limit(4321, limit=5000)
        (falco.path / ".cockpit.toml").write_text(
            '[forge]\nrepository = "falcosecurity/libs"\n')
        app = make_app_with_env(falco.path, {"GH_TOKEN": "ghp_ui_token", "COCKPIT_GITHUB_API_URL": emu.base_url})
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(app, pilot)
            assert column(app.screen.query_one("#milestones", DataTable)) == ["0.3.0"]
            assert "forge: online" in app.sub_title and "rate 43" in app.sub_title
            emu.fail_always(Fault.DROP)
            await pilot.press("r")
            await settle(app, pilot)
            milestones = app.screen.query_one("#milestones", DataTable)
            assert column(milestones) == ["0.3.0"] and "offline: cached" in str(milestones.border_subtitle)
            assert "forge: offline: cached just now" in app.sub_title
            assert any(n.title == "Showing cached forge data" for n in app._notifications)
            emu.faults.clear()
