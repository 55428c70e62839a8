"""The Tags pane: per line, the latest release and the RC tags of the release in progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from cockpit.core.display import one_line
from cockpit.ui.format import plain
from cockpit.workflows.reports.tags import TagRow

KIND_STYLE = {"latest": "bold green", "rc": "", "irregular": "red"}


class TagsTable(DataTable):
    BORDER_TITLE = "3 Tags"

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("line", "tag", "commit", "branch", "note")
        self.tag_rows: dict[str, TagRow] = {}
        self.loading = True

    def show(self, rows: list[TagRow]) -> None:
        self.clear()
        self.tag_rows = {f"{r.kind}:{r.name}": r for r in rows}
        for key, r in self.tag_rows.items():
            note = Text("irregular", style="red") if r.kind == "irregular" else plain(one_line(r.note), style="dim")
            self.add_row(r.line, plain(one_line(r.name), style=KIND_STYLE[r.kind]), r.commit[:8],
                         plain(one_line(r.branch or "-")), note,
                         key=key)
        self.loading = False
        # New rows get their column widths on the table's next idle: prompt it, or a refill that no other message
        # follows keeps the previous rows' widths (cells cut short).
        self.check_idle()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The full note of the highlighted tag (an irregular tag's reason is long) under the pane."""
        row = self.tag_rows.get(event.row_key.value) if event.row_key else None
        self.border_subtitle = plain(one_line(f"{row.name}: {row.note}")) if row else ""
