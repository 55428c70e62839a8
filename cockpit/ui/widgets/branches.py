"""The Branches pane: the default branch and every release branch, newest first; then the branches under the release
prefix that are no release branch (`release/0.9.0`), marked irregular with the reason."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from cockpit.core.display import one_line
from cockpit.ui.format import SYNC_MARK, plain
from cockpit.workflows.reports.status import Status


class BranchesTable(DataTable):
    BORDER_TITLE = "1 Branches"

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("branch", "head", "ahead", "behind", "latest tag", "state")
        self.loading = True

    def show(self, status: Status, default_head: str | None) -> None:
        self.clear()
        self.add_row(plain(one_line(status.default_branch), style="bold"), (default_head or "")[:10], "", "", "",
                     "default", key=status.default_branch)
        for b in status.branches:
            latest = b.tags[0] if b.tags else ""
            ahead, behind = (f"↑{b.ahead}", f"↓{b.behind}") if b.counted else ("…", "…")
            self.add_row(plain(one_line(b.name)), b.head[:10], ahead, behind, plain(one_line(latest)),  # never markup
                         Text(SYNC_MARK.get(b.sync, b.sync), style="yellow" if b.sync != "synced" else ""),
                         key=b.name)
        for name, reason in status.irregular_branches:  # shown, marked, never offered as a release branch
            self.add_row(plain(one_line(name), style="dim"), "", "", "", plain(one_line(reason.split(":")[0])),
                         Text("irregular", style="red"), key=f"irregular:{name}")
        odd = f", {len(status.irregular_branches)} irregular" if status.irregular_branches else ""
        self.border_subtitle = f"{len(status.branches)} release branches{odd}"
        self.loading = False
        self.check_idle()  # column widths follow the new rows (see TagsTable.show)
