"""The Branches pane: the default branch and every release branch, newest first; then the branches under the release
prefix that are no release branch (`release/0.9.0`), marked irregular with the reason. It draws `BranchRows`
(ui/branch_rows.py): a status's, or the last session's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import DataTable

from cockpit.core.display import one_line
from cockpit.ui.branch_rows import COLUMNS, NAME_STYLE, BranchRows, branch_rows, state_style
from cockpit.ui.format import plain

if TYPE_CHECKING:
    from cockpit.workflows.reports.status import Status



class BranchesTable(DataTable):
    BORDER_TITLE = "1 Branches"

    def on_mount(self) -> None:
        self.cursor_type = "row"
        if not self.columns:  # no rows yet (its screen may have drawn them before it was mounted)
            self.add_columns(*COLUMNS)
            self.loading = True

    def show(self, status: Status) -> BranchRows:
        shown = branch_rows(status)
        self.show_rows(shown)
        return shown

    def show_rows(self, shown: BranchRows) -> None:
        """Every value is text from git (or the cache of an earlier session): never markup (a DataTable reads a str
        cell as markup), its controls made visible."""
        if not self.columns:
            self.add_columns(*COLUMNS)
        self.clear()
        for r in shown.rows:
            self.add_row(plain(one_line(r.name), style=NAME_STYLE[r.kind]), *(plain(one_line(value)) for value in (
                r.head, r.ahead, r.behind, r.latest)), plain(one_line(r.state), style=state_style(r)), key=r.key)
        self.border_subtitle = plain(one_line(shown.subtitle))
        self.loading = False
        self.check_idle()  # widths measured on its next idle (format.column_widths)
