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
    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())  # the cockpit's bindings have no groups: a flat row
        helps = [w for w in widgets if isinstance(w, FooterKey) and w.action == HELP_ACTION]
        yield from helps
        yield from (w for w in widgets if w not in helps)
