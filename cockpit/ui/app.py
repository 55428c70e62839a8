"""CockpitApp: the Textual application. It owns theme, keymap, the command palette, the header's forge state and
the one way notifications are shown (plain text); screens do the rest, their failures reported by the one
`Worker.StateChanged` handler of `screens/base.py`."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from cockpit.core.display import printable
from cockpit.core.forge_models import RateLimit
from cockpit.services.bundle import Services
from cockpit.services.forge.cached import CachedForge
from cockpit.ui.commands import CockpitCommands
from cockpit.ui.git_view import EarlyRead
from cockpit.ui.screens.dashboard import DashboardScreen
from cockpit.ui.screens.help import HelpScreen

LIGHT, DARK = "textual-light", "textual-dark"


class CockpitApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "Release Cockpit"
    COMMANDS = App.COMMANDS | {CockpitCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="cockpit.quit", priority=True),
        Binding("question_mark", "help", "Help", id="cockpit.help"),
    ]

    def __init__(self, services: Services, cached: CachedForge | None = None, early: EarlyRead | None = None) -> None:
        super().__init__()
        self.services = services
        self.cached = cached
        self.early = early
        self.forge_state = ""
        self.fetch_state = ""
        self.rate = ""

    def on_mount(self) -> None:
        user = self.services.user
        if user.theme in self.available_themes:
            self.theme = user.theme
        else:
            self.notify(f"unknown theme {user.theme!r}; using {DARK}", title="config.toml", severity="warning")
            self.theme = DARK
        if user.keymap:
            self.set_keymap(dict(user.keymap))
        self.sub_title = printable(self.services.git.root.name)
        self.push_screen(DashboardScreen(self.services, self.cached, self.set_forge_state, self.set_fetch_state,
                                         self.early))

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
