"""`?`: what the cockpit shows and every key, read from the live bindings (user keymaps included)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

GUIDE = (
    "The cockpit walks you through a falco-style release: Preparation (triage the milestone), Code freeze "
    "(no features, double-check versioning), Release branch (cut release/M.m.x, tag RCs, backport fixes), "
    "Thaw (tag the final; only bug fixes afterwards). Panes: 1 Branches, 2 Milestones, 3 Tags, 4 Release "
    "(timeline, checks, next steps, burndown). Select a milestone to see its release. Every versioning check "
    "is shown before anything is tagged; errors can never be overridden (a red CI only from the command line: "
    "cockpit tag --ci-override REASON, journaled)."
)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close", id="cockpit.close-help")]

    def __init__(self, bindings: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.bindings_shown = bindings

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True)
        table.add_column("key", style="bold cyan", no_wrap=True)
        table.add_column("action")
        table.add_column("id", style="dim")
        for key, description, binding_id in self.bindings_shown:
            table.add_row(Text(key), Text(description), Text(binding_id))  # keys come from the user's keymap
        with VerticalScroll(id="help"):
            yield Static(Text("Release Cockpit — help", style="bold"))
            yield Static(Text(GUIDE))
            yield Static(table)
            yield Static(Text("Remap any key in config.toml:  [keymap]  \"cockpit.refresh\" = \"f5\"   ·   "
                              "ctrl+p opens the command palette   ·   escape closes this", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
