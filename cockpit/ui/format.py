"""Small text renderings shared by the panes: progress bars, day counts, markers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from cockpit.core.display import one_line, printable

if TYPE_CHECKING:
    from cockpit.core.checks import CheckResult

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def bar(done: int, total: int, width: int = 8) -> Text:
    """`━━━━━━━━ 60%`: the done share bright, the rest dim (as Textual's own progress bars draw it)."""
    share = done / total if total else 0.0
    filled = round(share * width)
    text = Text("━" * filled, style="bold green")
    text.append("━" * (width - filled), style="grey37")
    text.append(f" {share:4.0%}")
    return text


def days(days_left: int | None, overdue: bool) -> Text:
    if days_left is None:
        return Text("-", style="dim")
    if overdue:
        return Text(f"{-days_left}d late", style="bold red")
    if days_left == 0:
        return Text("today", style="bold yellow")
    return Text(f"{days_left}d", style="yellow" if days_left <= 7 else "")


def check_mark(result: CheckResult) -> Text:
    if result.ok:
        return Text("✓ ok", style="green")
    return Text(f"✗ {result.severity}", style=SEVERITY_STYLE[result.severity])


def plain(text: str, style: str = "") -> Text:
    """User and forge text, never interpreted as markup (a PR title cannot restyle the terminal) and with its
    control characters shown, not sent (see printable)."""
    return Text(printable(text), style=style)


def plain_line(text: str, style: str = "") -> Text:
    """`plain` for a one-line field (a title, a step, a command): its line breaks shown as ␤, so a forge title
    cannot add a line that looks like the dialog's own."""
    return Text(one_line(text), style=style)


def column_widths(labels: Sequence[str], rows: Iterable[Sequence[str | Text]]) -> list[int]:
    """Each column's width: its widest cell, or its label. A DataTable given them draws new rows at their width at
    once; left to measure them on its next idle, it keeps a row it drew before that idle at the old widths (its
    render cache does not know the widths), so a refill could show cells cut short until the next change."""
    widths = [cell_len(label) for label in labels]
    for row in rows:
        widths = [max(w, cell.cell_len if isinstance(cell, Text) else cell_len(cell))
                  for w, cell in zip(widths, row, strict=True)]
    return widths
