"""A text to read: e.g. the exact change to make by hand when the cockpit has no access to do it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cockpit.ui.format import plain


class TextDialog(ModalScreen[None]):
    CSS_PATH = "plan.tcss"
    BINDINGS = [Binding("escape", "close", "Close", id="cockpit.text-close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-dialog"):
            yield Static(plain(self.title_text, style="bold"), id="plan-title")
            with VerticalScroll(id="plan-body"):
                yield Static(plain(self.body))
            yield Static(Text("esc closes", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
