"""The coverage of a milestone: its merged PRs (rows) x the maintained release branches (columns), each cell applied,
partial, missing or conflict (core/coverage.py). On a cell, `p` opens the backport of that PR's missing commits to
that branch, `P` of every missing PR of the milestone to that branch: the backport screen with those commits marked,
planned at once (the plan dialog, then the picks with their conflict handling, as from the candidate browser)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from cockpit.core.coverage import Coverage
from cockpit.core.display import one_line
from cockpit.services.bundle import Services
from cockpit.ui.format import plain
from cockpit.ui.screens.backport import BackportScreen
from cockpit.ui.screens.base import WorkerScreen
from cockpit.workflows.reports.coverage import coverage

STYLE = {"applied": "green", "partial": "yellow", "missing": "dim", "conflict": "bold red"}


class CoverageScreen(WorkerScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="cockpit.coverage-back"),
        Binding("p", "backport_cell", "Backport PR to branch", id="cockpit.coverage-backport"),
        Binding("P", "backport_column", "Backport all missing to branch", id="cockpit.coverage-backport-all"),
        Binding("r", "refresh", "Refresh", id="cockpit.coverage-refresh"),
    ]

    def __init__(self, services: Services, milestone: str) -> None:
        super().__init__(services)
        self.milestone = milestone
        self.report: Coverage | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="coverage"):
            yield Static(id="coverage-summary")
            yield DataTable(id="coverage-table", cursor_type="cell")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = one_line(f"coverage of {self.milestone}")
        self.query_one(DataTable).loading = True
        self.load()

    def load(self) -> None:
        git, forge, title = self.services.git, self.services.forge, self.milestone
        if forge is None:
            self.query_one(DataTable).loading = False
            self.query_one("#coverage-summary", Static).update("no forge: the milestone's PRs are unknown")
            return

        def fetch() -> None:
            self.deliver(self.show, coverage(git, forge, title))

        self.run_blocking(fetch, name=f"Reading the coverage of {title}", group="coverage")

    def show(self, report: Coverage) -> None:
        self.report = report
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("PR", key="pr")
        for b in report.branches:
            table.add_column(plain(one_line(b)), key=b)
        table.add_column("title", key="title")
        for r in report.rows:
            cells = [Text(r.branches[b], style=STYLE[r.branches[b]]) for b in report.branches]
            table.add_row(f"#{r.number}", *cells, Text(one_line(r.title)), key=str(r.number))
        counts = {s: sum(r.branches[b] == s for r in report.rows for b in report.branches) for s in STYLE}
        summary = (f"{len(report.rows)} merged PR(s) of {one_line(self.milestone)}: "
                   + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
                   + " - on a branch's cell: p backports that PR, P every missing one")
        notes = "".join(f"\n{one_line(p)}" for p in report.problems[:3])
        self.query_one("#coverage-summary", Static).update(Text(summary + notes))
        table.loading = False
        if report.rows and report.branches:
            table.move_cursor(row=0, column=1)
        table.focus()

    def selected(self) -> tuple[int | None, str | None]:
        """(the PR of the highlighted row, the branch of the highlighted column: None off the branch columns)."""
        table = self.query_one(DataTable)
        if self.report is None or not table.row_count:
            return None, None
        keys = table.coordinate_to_cell_key(table.cursor_coordinate)
        number = int(keys.row_key.value) if keys.row_key.value else None
        branch = keys.column_key.value if keys.column_key.value in self.report.branches else None
        if branch is None and len(self.report.branches) == 1:
            branch = self.report.branches[0]
        return number, branch

    def action_backport_cell(self) -> None:
        number, branch = self.selected()
        self._backport(branch, [number] if number is not None else [])

    def action_backport_column(self) -> None:
        _, branch = self.selected()
        self._backport(branch, None)

    def _backport(self, branch: str | None, numbers: list[int] | None) -> None:
        if self.report is None:
            return
        if branch is None:
            self.notify("move to a branch's column first", severity="warning")
            return
        shas = self.report.to_backport(branch, numbers)
        if not shas:
            self.notify(f"nothing missing on {one_line(branch)}", title="Coverage")
            return
        self.app.push_screen(BackportScreen(self.services, branch, marked=shas, plan_now=True))

    def action_refresh(self) -> None:
        self.query_one(DataTable).loading = True
        self.load()

    def on_screen_resume(self) -> None:
        if self.report is not None:  # back from a backport: the statuses may have changed
            self.action_refresh()

    def action_back(self) -> None:
        self.app.pop_screen()
