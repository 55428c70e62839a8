"""The first screen when the last session left one (ui/last_session.py): the dashboard's Branches pane with the rows
it last showed, marked as such, while the app loads the cockpit and reads the repository in the background; the
dashboard replaces it then.

Light on purpose: the rows are one text laid out in the pane's columns, not a DataTable (whose styles and cells cost
more to set up than the rest of the frame), and nothing here reads or plans."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.screen import Screen
from textual.widgets import Header, Static

from cockpit.core.display import one_line
from cockpit.ui.branch_rows import COLUMNS, NAME_STYLE, BranchRows, state_style
from cockpit.ui.last_session import LastSession

LAYOUT_CSS = "dashboard.tcss"  # the dashboard's: the pane sits where the dashboard draws it
BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]


def rows_text(shown: BranchRows, most: int) -> Text:
    """The header and the first `most` rows in the pane's columns, styled as the pane styles them (a cell padded by
    one space each side, as a DataTable pads it); every value is plain text: never markup, its controls made
    visible."""
    lines = [(COLUMNS, ("bold",) * len(COLUMNS))]
    lines += [((r.name, r.head, r.ahead, r.behind, r.latest, r.state), (NAME_STYLE[r.kind], "", "", "", "",
                                                                        state_style(r))) for r in shown.rows[:most]]
    cells = [[one_line(value) for value in values] for values, _ in lines]
    widths = [max(cell_len(value) for value in column) for column in zip(*cells, strict=True)]
    text = Text()
    for line, (_, styles) in zip(cells, lines, strict=True):
        for value, width, style in zip(line, widths, styles, strict=True):
            text.append(f" {value}{' ' * (width - cell_len(value))} ", style=style)
        text.append("\n")
    text.rstrip()
    return text


class StartScreen(Screen[None]):
    CSS_PATH = LAYOUT_CSS
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS

    def __init__(self, last: LastSession) -> None:
        super().__init__()
        self.last = last

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="dashboard"):
            rows = Static(rows_text(self.last.branches, self.app.size.height), id="branches")  # no more fit
            rows.styles.text_wrap, rows.styles.text_overflow = "nowrap", "clip"  # cut at the edge, as the table
            rows.border_title = "1 Branches"
            rows.border_subtitle = Text(one_line(f"{self.last.branches.subtitle} · as last shown, reading…"))
            yield rows

    def on_screen_resume(self) -> None:
        """Back from a screen opened on it (help, the palette): the dashboard, when loaded meanwhile, replaces it."""
        leave_start = getattr(self.app, "leave_start", None)
        if leave_start is not None:
            leave_start()
