"""Plan a release: the libs and driver versions (suggested by `next`) and the due date; the phase dates follow.
Returns the choices; the plan dialog that follows shows the checks and the milestones to create."""

from __future__ import annotations

from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class PlanReleaseDialog(ModalScreen[tuple[str, str, str] | None]):
    """Returns (libs version, driver version or "", due date YYYY-MM-DD)."""

    CSS_PATH = "plan.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cockpit.plan-release-cancel")]

    def __init__(self, libs: str, driver: str, today: date, preparation_days: int = 28) -> None:
        super().__init__()
        self.libs, self.driver = libs, driver
        self.due = (today + timedelta(days=preparation_days)).isoformat()

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-dialog"):
            yield Static("Plan a release", id="plan-title")
            yield Label("libs version (the milestone's title)")
            yield Input(self.libs, id="libs")
            yield Label("driver version (empty: a libs-only release)")
            yield Input(self.driver, id="driver")
            yield Label("due date, YYYY-MM-DD (the final tag; the phases count back from it)")
            yield Input(self.due, id="due")
            with Horizontal(id="plan-buttons"):
                yield Button("Plan it", id="plan", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "plan":
            self.submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        due = self.query_one("#due", Input).value.strip()
        try:
            date.fromisoformat(due)
        except ValueError:
            self.notify(f"{due!r} is not a YYYY-MM-DD date", severity="error")
            return
        self.dismiss((self.query_one("#libs", Input).value.strip(), self.query_one("#driver", Input).value.strip(),
                      due))

    def action_cancel(self) -> None:
        self.dismiss(None)
