"""The Milestones pane: open milestones with due date, days left, phase and closed/open progress (GitHub's own
counts: issues and PRs, a PR closed without merging counted as closed)."""

from __future__ import annotations

from datetime import date

from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from cockpit.core.display import one_line
from cockpit.ui.format import bar, days, plain
from cockpit.workflows.reports.milestones import MilestoneView


class MilestonesTable(DataTable):
    BORDER_TITLE = "2 Milestones"
    BINDINGS = [Binding("C", "coverage", "Coverage", id="cockpit.milestone-coverage")]

    class Selected(Message):
        def __init__(self, view: MilestoneView) -> None:
            super().__init__()
            self.view = view

    class CoverageRequested(Message):
        """Which release branches the highlighted milestone's merged PRs reached: the dashboard opens the screen."""

        def __init__(self, title: str) -> None:
            super().__init__()
            self.title = title

    def action_coverage(self) -> None:
        title = self.selected_title()
        if title is not None:
            self.post_message(self.CoverageRequested(title))

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("milestone", "due", "left", "phase", "closed/open", "progress")
        self.views: dict[str, MilestoneView] = {}
        self.loading = True

    def show(self, views: list[MilestoneView], today: date, note: str = "") -> None:
        selected = self.selected_title()
        self.clear()
        views = list({v.milestone.title: v for v in reversed(views)}.values())[::-1]  # a title once: it is the key
        self.views = {v.milestone.title: v for v in views}
        for v in views:
            m = v.milestone
            total = m.open_items + m.closed_items
            due = m.due_on.strftime("%m-%d" if m.due_on.year == today.year else "%Y-%m") if m.due_on else "-"
            self.add_row(plain(one_line(m.title)), due,
                         days(v.phase.days_left, v.phase.overdue), v.phase.phase.title,
                         f"{m.closed_items}/{m.open_items}", bar(m.closed_items, total, 6), key=m.title)
        self.border_subtitle = plain(one_line(note))  # a str border title is markup
        self.loading = False
        self.check_idle()  # widths measured on its next idle (format.column_widths)
        if selected in self.views:
            self.move_cursor(row=self.get_row_index(selected))
        if views:
            self.post_message(self.Selected(self.views[self.selected_title() or views[0].milestone.title]))

    def show_unavailable(self, reason: str) -> None:
        self.clear()
        self.border_subtitle = plain(one_line(reason))
        self.loading = False

    def selected_title(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value if key else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        view = self.views.get(event.row_key.value) if event.row_key else None
        if view is not None:
            self.post_message(self.Selected(view))
