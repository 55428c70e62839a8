"""A first cockpit screen: release branches and tags of the repository, loaded in a thread worker.

The full dashboard (milestones, phase timeline, next steps, checks) grows from this app."""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from cockpit.services.git import GitService
from cockpit.workflows import reports


class CockpitApp(App[None]):
    CSS_PATH = "cockpit.tcss"
    TITLE = "Release Cockpit"
    BINDINGS = [("r", "refresh", "Refresh"), ("ctrl+q", "quit", "Quit")]

    def __init__(self, git: GitService, today: date | None = None):
        super().__init__()
        self.git = git
        self.today = today or date.today()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="panes"):
            yield Static("Release branches", classes="pane-title")
            yield DataTable(id="branches", cursor_type="row")
            yield Static("Tags", classes="pane-title")
            yield DataTable(id="tags", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.git.root)
        self.query_one("#branches", DataTable).add_columns("branch", "head", "ahead", "behind", "sync", "tags")
        self.query_one("#tags", DataTable).add_columns("tag", "line", "pre-release", "commit", "irregular")
        self.action_refresh()

    def action_refresh(self) -> None:
        for table in self.query(DataTable):
            table.loading = True
        self.load_status()

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def load_status(self) -> reports.Status:
        return reports.status(self.git)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, reports.Status):
            self.show_status(event.worker.result)
        elif event.state == WorkerState.ERROR:
            for table in self.query(DataTable):
                table.loading = False
            message = " ".join(str(event.worker.error).split())
            self.notify(message, title="Could not read the repository", severity="error")

    def show_status(self, status: reports.Status) -> None:
        branches = self.query_one("#branches", DataTable)
        branches.clear()
        for b in status.branches:
            branches.add_row(b.name, b.head[:10], str(b.ahead), str(b.behind), b.sync, ", ".join(b.tags[:3]))
        tags = self.query_one("#tags", DataTable)
        tags.clear()
        for info, commit in status.tags:
            if info.version is None:
                continue
            tags.add_row(info.name, info.line or "-", "yes" if info.prerelease else "", commit[:10],
                         info.irregular or "")
        for table in (branches, tags):
            table.loading = False
