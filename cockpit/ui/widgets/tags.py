"""The Tags pane: per line, the latest release and the RC tags of the release in progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from cockpit.core.display import one_line
from cockpit.ui.format import column_widths, plain
from cockpit.workflows.reports.tags import TagRow

KIND_STYLE = {"latest": "bold green", "rc": "", "irregular": "red"}
COLUMNS = ("line", "tag", "commit", "branch", "note")


def note_cell(row: TagRow) -> Text:
    return Text("irregular", style="red") if row.kind == "irregular" else plain(one_line(row.note), style="dim")


class TagsTable(DataTable):
    BORDER_TITLE = "3 Tags"

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns(*COLUMNS)
        self.tag_rows: dict[str, TagRow] = {}
        self.loading = True

    def show(self, rows: list[TagRow]) -> None:
        self.tag_rows = {f"{r.kind}:{r.name}": r for r in rows}
        cells = {key: (r.line, plain(one_line(r.name), style=KIND_STYLE[r.kind]), r.commit[:8],
                       plain(one_line(r.branch or "-")), note_cell(r)) for key, r in self.tag_rows.items()}
        self.clear(columns=True)  # the columns at the new rows' widths (format.column_widths says why)
        for label, width in zip(COLUMNS, column_widths(COLUMNS, cells.values()), strict=True):
            self.add_column(label, width=width)
        for key, values in cells.items():
            self.add_row(*values, key=key)
        self.loading = False

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The full note of the highlighted tag (an irregular tag's reason is long) under the pane."""
        row = self.tag_rows.get(event.row_key.value) if event.row_key else None
        self.border_subtitle = plain(one_line(f"{row.name}: {row.note}")) if row else ""
