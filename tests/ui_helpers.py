"""Helpers for UI tests: the app built on a repository as the CLI builds it, at a pinned date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerCancelled

from cockpit.services.bundle import build_services
from cockpit.services.settings import UserConfig
from cockpit.ui.app import CockpitApp

TODAY = date(2026, 11, 25)


def make_app(path: Path, user: UserConfig | None = None) -> CockpitApp:
    services, cached = build_services(path, TODAY, env={}, user=user or UserConfig())
    return CockpitApp(services, cached)


async def settle(app: CockpitApp, pilot: Pilot) -> None:
    """Wait until every background load finished and its result is on screen."""
    quiet = 0
    for _ in range(100):  # workers start workers (refs, then graph and forge, then checks): wait for all
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive worker superseded by a newer one (a fetch's reload): normal
            continue
        await pilot.pause()
        done = getattr(app.screen, "completed", True)  # the dashboard mounts its other panes after its first frame
        quiet = quiet + 1 if done and all(w.is_finished for w in app.workers) and tables_measured(app) else 0
        if quiet >= 3:
            break


def tables_measured(app: CockpitApp) -> bool:
    """Every table has measured its rows: a DataTable sizes its columns on its next idle, which a loaded machine
    may not have reached when the workers are done (a screenshot then shows the previous rows' widths). A table
    still waiting is prompted to idle."""
    waiting = [t for t in app.screen.query(DataTable) if t._require_update_dimensions or t._updated_cells]
    for table in waiting:
        table.check_idle()
    return not waiting


def make_app_with_env(path: Path, env: dict[str, str]) -> CockpitApp:
    """The app with a forge found through the environment (a GitHub token), as for a real clone."""
    services, cached = build_services(path, TODAY, env=env, user=UserConfig())
    return CockpitApp(services, cached)


async def run_from_palette(app: CockpitApp, pilot: Pilot, search: str) -> None:
    """Open the command palette, type `search`, and run the first match once the palette lists it (its search
    runs in the background: a fixed pause loses the race on a loaded machine)."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.press(*search)
    for _ in range(100):
        await pilot.pause(0.05)
        if isinstance(app.screen, CommandPalette) and app.screen.query_one(CommandList).option_count:
            break
    await pilot.press("enter")
    for _ in range(100):
        await pilot.pause(0.05)
        if not isinstance(app.screen, CommandPalette):
            break
