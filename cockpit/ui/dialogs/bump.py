"""Choose what to bump: API_VERSION, SCHEMA_VERSION or the plugin API, and which part. Returns (target, part); the
plan dialog that follows shows the diff before anything is committed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, RadioButton, RadioSet, Static

TARGET_LABELS = {"api": "driver/API_VERSION", "schema": "driver/SCHEMA_VERSION", "plugin": "plugin API macros"}
PART_LABELS = {"major": "major: an incompatible change", "minor": "minor: a compatible feature",
               "patch": "patch: a compatible fix"}


class BumpDialog(ModalScreen[tuple[str, str] | None]):
    CSS_PATH = "plan.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cockpit.bump-cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-dialog"):
            yield Static("Bump a version file", id="plan-title")
            with Horizontal(id="bump-choices"):
                with RadioSet(id="target"):
                    for n, (key, label) in enumerate(TARGET_LABELS.items()):
                        yield RadioButton(label, value=n == 0, name=key, id=f"target-{key}")
                with RadioSet(id="part"):
                    for n, (key, label) in enumerate(PART_LABELS.items()):
                        yield RadioButton(label, value=n == 1, name=key, id=f"part-{key}")
            with Horizontal(id="plan-buttons"):
                yield Button("Plan it", id="plan", variant="primary")
                yield Button("Cancel (esc)", id="cancel")

    def chosen(self, set_id: str) -> str:
        button = self.query_one(f"#{set_id}", RadioSet).pressed_button
        return button.name if button is not None and button.name else ""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "plan":
            self.dismiss((self.chosen("target"), self.chosen("part")))
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
