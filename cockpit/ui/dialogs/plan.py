"""The plan dialog: every check that applies, the steps with their equivalent git commands, and the choice to run
it, dry-run it or cancel. Errors disable running (no override); warnings need an explicit acknowledgement."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from cockpit.core.ci_gate import CI_CHECK
from cockpit.core.plan import Plan
from cockpit.ui.format import check_mark, plain, plain_line

MAX_DIALOG_HEIGHT = 0.9  # of the screen, as #plan-dialog's max-height says
MAX_BODY_ROWS = 30
MIN_BODY_ROWS = 3


def render_checks(plan: Plan) -> Text:
    failed = [c for c in plan.checks if not c.ok]
    passed = [c for c in plan.checks if c.ok and c.severity != "info"]
    text = Text()
    for c in failed:
        text.append_text(check_mark(c))
        text.append(f"  {c.id}  ", style="bold")
        text.append_text(plain_line(c.message))
        if c.fix_hint:
            text.append("\n      fix: ", style="cyan")
            text.append_text(plain(c.fix_hint))
        text.append("\n")
    text.append(f"✓ {len(passed)} check(s) passed", style="green")
    if passed:
        text.append(": " + ", ".join(c.id for c in passed), style="dim")
    return text


def render_steps(plan: Plan) -> Text:
    text = Text()
    for n, step in enumerate(plan.steps, 1):
        text.append(f"{n}. ", style="bold")
        text.append_text(plain_line(step.title))
        for command in step.commands:
            text.append("\n   $ ", style="dim")
            text.append_text(plain_line(command, style="dim cyan"))
        for line in step.detail.splitlines():  # e.g. the unified diff of a file edit
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else "dim"
            text.append("\n   ")
            text.append_text(plain(line, style=style))
        text.append("\n")
    if plan.note:
        text.append_text(plain(plan.note, style="italic"))
    return text


def verdict_text(plan: Plan) -> str:
    if all(c.id == CI_CHECK for c in plan.checks if c.blocks):
        return ("Refused: CI failed on the commit to tag. Fix CI, or tag from the command line with "
                "`cockpit tag --ci-override REASON` (the reason is journaled).")
    return ("Refused: an error-severity check failed. The versioning rules allow no exceptions; fix the cause and "
            "try again.")


class PlanDialog(ModalScreen[str | None]):
    """Returns "execute", "dry-run", or None (cancelled)."""

    CSS_PATH = "plan.tcss"
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="cockpit.dialog-cancel"),
                Binding("d", "dry_run", "Dry run", id="cockpit.dialog-dry-run"),
                Binding("x", "execute", "Execute", id="cockpit.dialog-execute")]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="plan-dialog"):
            yield Static(plain_line(plan.title, style="bold"), id="plan-title")
            with VerticalScroll(id="plan-body"):
                yield Static("Checks", classes="section")
                yield Static(render_checks(plan), id="plan-checks")
                yield Static("Plan", classes="section")
                yield Static(render_steps(plan), id="plan-steps")
            if plan.blocked:
                yield Static(Text(verdict_text(plan), style="bold red"), id="plan-verdict")
            elif plan.warnings:
                yield Checkbox(f"I acknowledge {len(plan.warnings)} warning(s)", id="acknowledge")
            with Horizontal(id="plan-buttons"):
                yield Button("Execute (x)", id="execute", variant="warning",
                             disabled=plan.blocked or bool(plan.warnings))
                yield Button("Dry run (d)", id="dry-run")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.call_after_refresh(self.fit_body)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_body)

    def fit_body(self) -> None:
        """The body scrolls in what the screen leaves once the title, the verdict and the buttons are placed, so the
        buttons stay on screen however long the checks and steps are (an 80x24 terminal included)."""
        dialog, body = self.query_one("#plan-dialog"), self.query_one("#plan-body")
        others = sum(w.outer_size.height + w.styles.margin.top + w.styles.margin.bottom
                     for w in dialog.children if w is not body)
        frame = dialog.styles.border.spacing.height + dialog.styles.padding.height
        room = int(self.size.height * MAX_DIALOG_HEIGHT) - frame - others
        body.styles.max_height = max(MIN_BODY_ROWS, min(MAX_BODY_ROWS, room))

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#execute", Button).disabled = self.plan.blocked or not event.value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "execute":
            self.action_execute()
        elif event.button.id == "dry-run":
            self.action_dry_run()
        else:
            self.dismiss(None)

    def action_execute(self) -> None:
        if not self.query_one("#execute", Button).disabled:
            self.dismiss("execute")

    def action_dry_run(self) -> None:
        self.dismiss("dry-run")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
