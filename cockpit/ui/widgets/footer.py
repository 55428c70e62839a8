"""The footer of every screen: Textual's, with the help key first.

The keys of a screen fill an 80-column row long before the app's own keys come; the help key is the one that says
all the others, so it leads the row and never falls off its end."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"


class CockpitFooter(Footer):
    def on_mount(self) -> None:
        """Mounted on a screen already running (the dashboard mounts it after its first frame), it lists the keys
        at once: Textual's footer waits for the screen's next change of bindings, which may never come."""
        self.bindings_changed(self.screen)

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())  # the cockpit's bindings have no groups: a flat row
        helps = [w for w in widgets if isinstance(w, FooterKey) and w.action == HELP_ACTION]
        yield from helps
        yield from (w for w in widgets if w not in helps)
