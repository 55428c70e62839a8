"""The Tags pane: per line, the latest release and the RC tags of the release in progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from cockpit.workflows.reports import TagRow

KIND_STYLE = {"latest": "bold green", "rc": "", "irregular": "red"}


class TagsTable(DataTable):
    BORDER_TITLE = "3 Tags"

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("line", "tag", "commit", "branch", "note")
        self.loading = True

    def show(self, rows: list[TagRow]) -> None:
        self.clear()
        for r in rows:
            note = Text(r.note, style="red") if r.kind == "irregular" else Text(r.note, style="dim")
            self.add_row(r.line, Text(r.name, style=KIND_STYLE[r.kind]), r.commit[:10], r.branch or "-", note,
                         key=f"{r.kind}:{r.name}")
        self.loading = False
