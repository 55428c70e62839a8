"""A backport stopped on a conflict: the conflicted files, and the way on — edit them in $EDITOR, continue (after
`git add`), skip this commit, or abort the whole backport. Returns the choice; the screen behind does the work."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cockpit.ui.format import plain


class ConflictDialog(ModalScreen[str | None]):
    """Returns "edit", "continue", "skip", "abort", or None (later: git's cherry-pick stays in progress)."""

    CSS_PATH = "plan.tcss"
    BINDINGS = [Binding("escape", "choose('later')", "Later", id="cockpit.conflict-later"),
                Binding("e", "choose('edit')", "Edit", id="cockpit.conflict-edit"),
                Binding("c", "choose('continue')", "Continue", id="cockpit.conflict-continue"),
                Binding("s", "choose('skip')", "Skip", id="cockpit.conflict-skip"),
                Binding("a", "choose('abort')", "Abort", id="cockpit.conflict-abort")]

    def __init__(self, what: str, files: tuple[str, ...]) -> None:
        super().__init__()
        self.what, self.files = what, files

    def compose(self) -> ComposeResult:
        body = plain(f"{self.what}\n\n")
        body.append("Conflicted files:\n", style="bold")
        for path in self.files or ("(none left: resolved files are staged)",):
            body.append_text(plain(f"  {path}\n", style="red" if self.files else "dim"))
        body.append("\nResolve them (e opens each in $EDITOR), `git add` them, then continue. Plain git works too: "
                    "git cherry-pick --continue / --skip / --abort.", style="dim")
        with Vertical(id="plan-dialog"):
            yield Static(Text("The backport stopped on a conflict", style="bold red"), id="plan-title")
            yield Static(body)
            with Horizontal(id="plan-buttons"):
                yield Button("Edit (e)", id="edit")
                yield Button("Continue (c)", id="continue", variant="primary")
                yield Button("Skip (s)", id="skip")
                yield Button("Abort (a)", id="abort", variant="error")
                yield Button("Later (esc)", id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "later")

    def action_choose(self, choice: str) -> None:
        self.dismiss(None if choice == "later" else choice)
