"""A start on the last session's screen: its rows are on screen before the cockpit is loaded, laid out as the
dashboard's pane lays them out; the dashboard replaces them with the repository's once loaded, and keeps them for
the next start. A failure to load ends the app with the launcher's error."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable, Static

from cockpit.demo import Sandbox
from cockpit.errors import InputError
from cockpit.services.bundle import build_services
from cockpit.services.settings import UserConfig
from cockpit.ui.app import CockpitApp
from cockpit.ui.branch_rows import BranchRow, BranchRows, branch_rows
from cockpit.ui.git_view import EarlyRead
from cockpit.ui.last_session import LastSession, SessionFile
from cockpit.ui.loading import Loaded, Loading
from cockpit.ui.screens.dashboard import DashboardScreen
from cockpit.ui.screens.start import StartScreen
from cockpit.workflows.reports.status import status

from ui_helpers import TODAY, settle

STALE = BranchRows((BranchRow("default", "master", "0000000000", state="default"),
                    BranchRow("release", "release/0.24.x", "1111111111", "↑6", "↓115", "0.24.1", "", True)),
                   "1 release branches")


def loader(path: Path, gate: threading.Event | None = None):
    def load() -> Loaded:
        if gate is not None:
            assert gate.wait(30)
        services, cached = build_services(path, TODAY, env={}, user=UserConfig())
        return Loaded(services, cached, EarlyRead(services.git))
    return load


def lines(widget: Widget) -> list[str]:
    """The text the widget draws inside its border, line by line."""
    outer, inner = widget.region, widget.content_region
    left, top = inner.x - outer.x, inner.y - outer.y
    strips = widget.render_lines(Region(0, 0, outer.width, outer.height))[top:top + inner.height]
    return [text for strip in strips if (text := strip.crop(left, left + inner.width).text.rstrip())]


async def test_the_last_sessions_rows_are_drawn_before_the_cockpit_loads(sandbox: Sandbox, tmp_path: Path) -> None:
    gate = threading.Event()
    session = SessionFile(sandbox.clone, tmp_path / "cache")
    app = CockpitApp(loading=Loading(LastSession("textual-light", "libs", STALE), loader(sandbox.clone, gate)),
                     session=session)
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen) and app.services is None
        assert app.theme == "textual-light" and app.sub_title == "libs"
        pane = app.screen.query_one("#branches", Static)
        assert "as last shown, reading" in str(pane.border_subtitle)
        assert [line.split()[0] for line in lines(pane)] == ["branch", "master", "release/0.24.x"]
        gate.set()
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one("#branches", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [
            "master", "release/0.25.x", "release/0.24.x", "release/0.23.x"]
        assert app.theme == "textual-dark"  # the user's config, once loaded
    kept = session.load()
    assert kept is not None and kept.branches.rows[1].name == "release/0.25.x"
    assert kept.branches.rows[1].ahead.startswith("↑")  # the graph's answers kept too


@pytest.mark.parametrize("size", [(160, 45), (120, 35), (80, 24)])
async def test_the_start_screen_lays_the_rows_out_as_the_pane_does(sandbox: Sandbox, tmp_path: Path,
                                                                   size: tuple[int, int]) -> None:
    """Wide enough for every column or not: a row the pane is too narrow for is cut off at its edge, as the table
    cuts it, not wrapped onto the next line."""
    services, _ = build_services(sandbox.clone, TODAY, env={}, user=UserConfig())
    git = services.git
    shown = branch_rows(status(git, worktree=False))
    gate = threading.Event()
    app = CockpitApp(loading=Loading(LastSession("textual-dark", "libs", shown), loader(sandbox.clone, gate)))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        start = lines(app.screen.query_one("#branches", Static))
        gate.set()
        await settle(app, pilot)
        assert lines(app.screen.query_one("#branches", DataTable)) == start


async def test_what_the_file_says_is_shown_as_text(sandbox: Sandbox, tmp_path: Path) -> None:
    hostile = BranchRows((BranchRow("default", "[@click=app.quit]master", "\x1b[2J", state="[b]x[/b]"),),
                         "\x1b]0;t [b]odd")
    gate = threading.Event()
    app = CockpitApp(loading=Loading(LastSession("no-such-theme", "\x1b[31mlibs", hostile),
                                     loader(sandbox.clone, gate)))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one("#branches", Static)
        drawn = "\n".join(lines(pane))
        assert "[@click=app.quit]master" in drawn and "␛[2J" in drawn and "[b]x[/b]" in drawn
        assert "\x1b" not in drawn + str(pane.border_subtitle) + app.sub_title
        assert "\\[b]odd" in str(pane.border_subtitle)  # kept as text: its markup is the brackets escaped
        assert app.theme == "textual-dark"  # an unknown theme is not applied
        gate.set()


@pytest.mark.parametrize("key", ["question_mark", "ctrl+p"])
async def test_a_screen_opened_on_the_start_screen_stays_until_closed(sandbox: Sandbox, tmp_path: Path,
                                                                    key: str) -> None:
    """Help or the palette opened while the cockpit loads: the dashboard replaces the start screen once it is closed,
    not the screen the user is reading (which left the start screen under the dashboard for the session)."""
    gate = threading.Event()
    app = CockpitApp(loading=Loading(LastSession("textual-light", "libs", STALE), loader(sandbox.clone, gate)))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        opened = type(app.screen)
        gate.set()
        await settle(app, pilot)
        assert type(app.screen) is opened and app.services is not None
        await pilot.press("escape")
        await settle(app, pilot)
        assert [type(screen) for screen in app.screen_stack[1:]] == [DashboardScreen]
        assert app.screen.query_one("#branches", DataTable).row_count == 4


async def test_a_failure_to_load_ends_the_app_with_the_error(sandbox: Sandbox, tmp_path: Path) -> None:
    def load() -> Loaded:
        raise InputError("not a git repository: /nowhere")

    app = CockpitApp(loading=Loading(LastSession("textual-dark", "libs", STALE), load))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert isinstance(app.start_error, InputError) and app.return_code == 2


async def test_the_first_screens_css_is_read_with_the_apps(sandbox: Sandbox, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the start screen nor the dashboard parses the app's stylesheet again when it is pushed: the layout
    they share is read with the app's CSS, and a second parse of every rule would stand before the first frame."""
    from textual.css.stylesheet import Stylesheet

    reparsed: list[str] = []
    reparse = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda sheet: (reparsed.append(type(app.screen).__name__),
                                                               reparse(sheet))[1])
    gate = threading.Event()
    app = CockpitApp(loading=Loading(LastSession("textual-dark", "libs", STALE), loader(sandbox.clone, gate)))
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        gate.set()
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
    assert reparsed == []
