"""What the list screens (triage, backport) share: the `/` text filter, and a keyed table redrawn in place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from rich.console import RenderableType
from textual.screen import Screen
from textual.widgets import DataTable, Input

ResultT = TypeVar("ResultT")


class FilteredListScreen(Screen[ResultT]):
    """A screen with one Input (the filter) and one DataTable, redrawn through `fill()`."""

    text = ""

    def fill(self) -> None:
        raise NotImplementedError

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.text = event.value.strip()
        self.fill()
        self.query_one(DataTable).focus()


def refill(table: DataTable, rows: Iterable[tuple[str, Sequence[RenderableType]]]) -> int:
    """Replace every row (key, cells) and keep the cursor on the same line, or the last one: marking or filtering
    never throws the user back to the top. Returns how many rows are shown."""
    row = table.cursor_row
    table.clear()
    count = 0
    keys: set[str] = set()
    for key, cells in rows:
        if key in keys:  # a forge answer is checked for duplicate numbers; a row twice must still not crash
            continue
        keys.add(key)
        table.add_row(*cells, key=key)
        count += 1
    table.check_idle()  # widths measured on its next idle (format.column_widths)
    if count:
        table.move_cursor(row=min(row, count - 1))
    return count


def cursor_key(table: DataTable) -> str | None:
    """The key of the row under the cursor (None on an empty table)."""
    if not table.row_count:
        return None
    key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
    return key.value if key else None
