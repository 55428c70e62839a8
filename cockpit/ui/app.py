"""CockpitApp: the Textual application. It owns theme, keymap, the command palette, the header's forge state and
the one way notifications are shown (plain text); screens do the rest, their failures reported by the one
`Worker.StateChanged` handler of `screens/base.py`.

It opens on the dashboard, or, when the last session left its first screen (ui/last_session.py), on that screen
while a worker loads the cockpit and reads the repository (`Loading`): the dashboard replaces it then. This module
imports neither, so that first frame waits on nothing but Textual."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from cockpit.core.display import printable
from cockpit.ui.commands import CockpitCommands

if TYPE_CHECKING:
    from cockpit.core.forge_models import RateLimit
    from cockpit.services.bundle import Services
    from cockpit.services.forge.cached import CachedForge
    from cockpit.ui.git_view import EarlyRead
    from cockpit.ui.last_session import SessionFile
    from cockpit.ui.loading import Loaded, Loading

LIGHT, DARK = "textual-light", "textual-dark"


class CockpitApp(App[None]):
    # The dashboard's layout is read with the app's own CSS: the first screen (the start screen or the dashboard)
    # then finds it read, where loading it with the screen would parse every rule of the app again before its frame.
    CSS_PATH = ["app.tcss", "screens/dashboard.tcss"]
    TITLE = "Release Cockpit"
    COMMANDS = App.COMMANDS | {CockpitCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="cockpit.quit", priority=True),
        Binding("question_mark", "help", "Help", id="cockpit.help"),
    ]

    def __init__(self, services: Services | None = None, cached: CachedForge | None = None,
                 early: EarlyRead | None = None, *, loading: Loading | None = None,
                 session: SessionFile | None = None) -> None:
        """Either the `services` (and the first reads under way), or `loading` to build them after the first frame;
        `session` keeps the dashboard's first screen for the next start."""
        super().__init__()
        self.services = services
        self.cached = cached
        self.early = early
        self.start_from = loading
        self.session = session
        self.start_error: Exception | None = None  # what loading raised: the launcher reports it
        self.drawn = False  # the first frame is on the terminal
        self.forge_state = ""
        self.fetch_state = ""
        self.rate = ""

    def on_mount(self) -> None:
        if self.start_from is not None:
            from cockpit.ui.screens.start import StartScreen

            last = self.start_from.last
            if last.theme in self.available_themes:
                self.theme = last.theme
            self.sub_title = printable(last.title)
            self.push_screen(StartScreen(last))
        else:
            self.open_dashboard()

    def on_ready(self) -> None:
        """The first frame is on the terminal: the cockpit loads now (its imports would otherwise hold the
        interpreter while Textual draws that frame)."""
        self.drawn = True
        if self.start_from is not None and self.services is None:
            self.call_after_refresh(self.load_cockpit, self.start_from.load)
        first_frame_drawn = getattr(self.screen, "first_frame_drawn", None)
        if first_frame_drawn is not None:
            first_frame_drawn()

    @work(thread=True, name="Loading the cockpit")
    def load_cockpit(self, load: Callable[[], Loaded]) -> None:
        """The services, the first reads, and the dashboard's modules, away from the UI thread; the dashboard opens
        once the refs are read, so it draws them in its first frame. What loading raises ends the app as the
        launcher's error; a failure to open the dashboard is a crash (never a start screen left for good)."""
        try:
            loaded = load()
            import cockpit.ui.screens.dashboard  # noqa: F401  (its import is most of the cockpit's)

            loaded.early.wait_for_refs()
        except Exception as exc:  # the launcher's errors (bad config, no repository) end the app, said after
            self.call_from_thread(self.failed_start, exc)
            return
        self.call_from_thread(self.loaded, loaded)

    def loaded(self, loaded: Loaded) -> None:
        self.services, self.cached, self.early = loaded.services, loaded.cached, loaded.early
        self.leave_start()

    def leave_start(self) -> None:
        """The dashboard replaces the start screen once loaded, and once it is the screen shown: a screen opened on
        it meanwhile (help, the palette) is not closed under the user, and the start screen is left under nothing
        (its StartScreen calls this again when it is back)."""
        from cockpit.ui.screens.start import StartScreen

        if self.services is not None and isinstance(self.screen, StartScreen):
            self.open_dashboard(switch=True)

    def failed_start(self, error: Exception) -> None:
        self.start_error = error
        self.exit(return_code=2)

    def open_dashboard(self, switch: bool = False) -> None:
        from cockpit.ui.screens.dashboard import DashboardScreen

        assert self.services is not None
        user = self.services.user
        if user.theme in self.available_themes:
            self.theme = user.theme
        else:
            self.notify(f"unknown theme {user.theme!r}; using {DARK}", title="config.toml", severity="warning")
            self.theme = DARK
        if user.keymap:
            self.set_keymap(dict(user.keymap))
        self.sub_title = printable(self.services.git.root.name)
        dashboard = DashboardScreen(self.services, self.cached, self.set_forge_state, self.set_fetch_state,
                                    self.early, self.session)
        if switch:
            self.switch_screen(dashboard)
        else:
            self.push_screen(dashboard)

    def set_forge_state(self, state: str, rate: RateLimit | None = None) -> None:
        """The header: repository, last fetch, forge state (online / cached N min ago / offline), rate limit left."""
        self.forge_state = state
        if rate is not None:
            self.rate = f"  ·  rate {rate.remaining}/{rate.limit} (resets {rate.reset:%H:%M} UTC)"
        self._show_header()

    def set_fetch_state(self, state: str) -> None:
        """How old the local view of the remote is (`fetched 3 min ago`), or the fetch under way."""
        self.fetch_state = state
        self._show_header()

    def _show_header(self) -> None:
        if self.services is None:
            return
        fetch = f"  ·  {self.fetch_state}" if self.fetch_state else ""
        forge = f"  ·  forge: {self.forge_state}" if self.forge_state else ""
        self.sub_title = printable(f"{self.services.git.root.name}{fetch}{forge}{self.rate}")

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification is plain text, whoever asks (screens' `notify` come here with markup=True): messages
        carry PR titles, milestone titles and git's stderr, which must never be read as markup (a PR titled
        `[@click=app.quit]`) or reach the terminal as control sequences."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        from cockpit.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        seen: dict[str, tuple[str, str, str]] = {}
        for key, active in self.active_bindings.items():
            b = active.binding
            if b.description and b.id:
                seen.setdefault(b.id, (self.get_key_display(b) or key, b.description, b.id))
        self.push_screen(HelpScreen(sorted(seen.values(), key=lambda row: (len(row[0]) > 1, row[0]))))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK
