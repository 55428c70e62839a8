"""Offered on start when the journal holds an unfinished plan: what was done, and what continue and abort do."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cockpit.services.journal import PlanRecord
from cockpit.ui.format import plain, plain_line

STATE_STYLE = {"done": "green", "started": "yellow", "failed": "bold red", "planned": "dim"}


class ResumeDialog(ModalScreen[str | None]):
    """Returns "continue", "abort", or None (decide later: the plan stays in the journal)."""

    CSS_PATH = "plan.tcss"
    BINDINGS = [Binding("escape", "later", "Later", id="cockpit.resume-later"),
                Binding("c", "choose('continue')", "Continue", id="cockpit.resume-continue"),
                Binding("a", "choose('abort')", "Abort", id="cockpit.resume-abort")]

    def __init__(self, record: PlanRecord, choices: dict[str, str]) -> None:
        super().__init__()
        self.record = record
        self.choices = choices

    def compose(self) -> ComposeResult:
        r = self.record
        steps = Text()
        for step in r.plan.steps:
            state = r.state_of(step.id)
            steps.append(f"  {state:<8} ", style=STATE_STYLE.get(state, ""))
            steps.append_text(plain_line(step.title))
            if step.id in r.errors:
                steps.append_text(plain(f"\n           {r.errors[step.id]}", style="red"))
            steps.append("\n")
        with Vertical(id="plan-dialog"):
            yield Static(plain_line(f"Unfinished plan: {r.plan.title}", style="bold"), id="plan-title")
            yield Static(steps)
            yield Static(Text.assemble(("Continue", "bold"), f" will {self.choices['continue']}.\n",
                                       ("Abort", "bold"), f" will {self.choices['abort']}."))
            with Horizontal(id="plan-buttons"):
                yield Button("Continue (c)", id="continue", variant="primary")
                yield Button("Abort (a)", id="abort", variant="error")
                yield Button("Later (esc)", id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "later" else event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_later(self) -> None:
        self.dismiss(None)
