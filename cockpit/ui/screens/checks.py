"""Every check of a report, with the evidence and the fix hint of the highlighted one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from cockpit.core.checks import CheckResult
from cockpit.core.display import one_line
from cockpit.core.note_lint import pr_links
from cockpit.ui.format import check_mark, plain
from cockpit.ui.widgets.footer import CockpitFooter
from cockpit.workflows.reports.check import CheckReport


def render_detail(result: CheckResult) -> Text:
    text = Text()
    text.append(f"{result.id}", style="bold")
    text.append(f"  ({result.severity})\n", style="dim")
    text.append_text(plain(result.message))
    for line in result.evidence:
        text.append("\n  evidence: ", style="dim")
        text.append_text(plain(line))
    if result.fix_hint and not result.ok:
        text.append("\n  fix: ", style="bold cyan")
        text.append_text(plain(result.fix_hint))
    return text


class ChecksScreen(Screen[None]):
    CSS_PATH = "checks.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="cockpit.back"),
                Binding("f", "toggle_failed", "Failed only", id="cockpit.checks-failed-only"),
                Binding("j", "jump_to_prs", "Jump to PRs", id="cockpit.checks-jump-prs"),
                Binding("o", "open_pr", "Open PR", id="cockpit.checks-open-pr")]

    def __init__(self, report: CheckReport) -> None:
        super().__init__()
        self.report = report
        self.failed_only = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="checks-body"):
            yield Static(id="verdict")
            yield DataTable(id="check-table", cursor_type="row")
            yield Static(id="detail")
            yield DataTable(id="check-prs", cursor_type="row")
        yield CockpitFooter()

    def on_mount(self) -> None:
        r = self.report
        verdict = plain(one_line(f"Checks for {' + '.join(r.tags)} at {r.at} ({r.commit[:10]}): "))
        verdict.append("BLOCKED" if not r.ok else "OK", style="bold red" if not r.ok else "bold green")
        self.query_one("#verdict", Static).update(verdict)
        table = self.query_one(DataTable)
        table.add_columns("result", "check", "message")
        self.query_one("#check-prs", DataTable).add_columns("PR", "release-note problem")
        self.links: list[tuple[int, str]] = []
        self.fill()
        table.focus()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        rows = [r for r in self.report.results if not (self.failed_only and r.ok)]
        # failures first, errors before warnings: what blocks is what the user reads first
        rows.sort(key=lambda r: (r.ok, {"error": 0, "warning": 1, "info": 2}[r.severity]))
        self.rows = rows
        for n, r in enumerate(rows):
            table.add_row(check_mark(r), r.id, plain(r.message), key=str(n))
        table.check_idle()  # widths measured on its next idle (format.column_widths)
        if rows:
            self.show_detail(rows[0])

    def show_detail(self, result: CheckResult) -> None:
        """The check's evidence, and the PRs it names with their addresses (the release-note lint's) in a list of
        their own: `j` jumps into it, `o` (or enter there) opens the PR in the browser."""
        self.query_one("#detail", Static).update(render_detail(result))
        prs = self.query_one("#check-prs", DataTable)
        self.links = pr_links(result.evidence)
        prs.clear()
        for n, (number, _url) in enumerate(self.links):
            line = next((e for e in result.evidence if e.startswith(f"#{number} ")), "")
            prs.add_row(f"#{number}", plain(line.rsplit(" <", 1)[0].removeprefix(f"#{number} ")), key=str(n))
        prs.display = bool(self.links)
        prs.check_idle()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "check-table":
            return
        if event.row_key and event.row_key.value is not None:
            self.show_detail(self.rows[int(event.row_key.value)])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "check-prs":
            self.action_open_pr()
        elif self.links:
            self.action_jump_to_prs()

    def action_jump_to_prs(self) -> None:
        if self.links:
            self.query_one("#check-prs", DataTable).focus()
        else:
            self.notify("this check names no PR", severity="warning")

    def action_open_pr(self) -> None:
        prs = self.query_one("#check-prs", DataTable)
        if not self.links:
            self.notify("this check names no PR", severity="warning")
            return
        number, url = self.links[min(prs.cursor_row, len(self.links) - 1) if prs.has_focus else 0]
        self.app.open_url(url)
        self.notify(f"opened #{number} in the browser")

    def action_toggle_failed(self) -> None:
        self.failed_only = not self.failed_only
        self.fill()
