"""The release panel for the selected milestone: phase timeline, next steps, and the checks summary."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from cockpit.core.burndown import Burndown
from cockpit.core.checks import summary
from cockpit.core.display import one_line
from cockpit.core.next_steps import NextStep
from cockpit.core.phases import Phase, PhaseStatus
from cockpit.ui.format import plain
from cockpit.workflows.reports.check import CheckReport
from cockpit.workflows.reports.milestones import MilestoneView

if TYPE_CHECKING:
    from cockpit.ui.widgets.burndown import BurndownPlot

ORDER = (Phase.PLANNING, Phase.PREPARATION, Phase.CODE_FREEZE, Phase.RELEASE_BRANCH, Phase.THAW)


def render_timeline(status: PhaseStatus, today: date) -> Text:
    tl = status.timeline
    when = {
        Phase.PLANNING: "",
        Phase.PREPARATION: f"from {tl.preparation:%Y-%m-%d}" if tl else "",
        Phase.CODE_FREEZE: f"from {tl.code_freeze:%Y-%m-%d}" if tl else "",
        Phase.RELEASE_BRANCH: f"~{tl.release_branch:%Y-%m-%d}" if tl else "",
        Phase.THAW: f"{tl.due:%Y-%m-%d} due: final tag" if tl else "final tag, then patches",
    }
    current = ORDER.index(status.phase)
    text = Text()
    for n, phase in enumerate(ORDER):
        if phase == Phase.PLANNING and current > 0:
            continue
        mark, style = ("✓", "green") if n < current else ("▶", "bold reverse") if n == current else ("·", "dim")
        text.append(f" {mark} ", style="green" if n < current else "bold" if n == current else "dim")
        text.append(f"{phase.title:<22}", style=style if n == current else ("" if n < current else "dim"))
        text.append(f" {when[phase]}", style="" if n <= current else "dim")
        if n == current:
            text.append(f"  ◀ today {today:%m-%d}", style="bold yellow")
        text.append("\n")
    return text


def render_steps(steps: list[NextStep]) -> Text:
    text = Text()
    for step in steps:
        text.append(" [x] " if step.done else " [ ] ", style="green" if step.done else "bold")
        text.append_text(plain(one_line(step.text), style="dim" if step.done else ""))
        if step.command and not step.done:
            text.append_text(plain(f"\n       $ {one_line(step.command)}", style="dim cyan"))
        text.append("\n")
    return text


class ChecksSummary(Static, can_focus=True):
    """Counts by severity; enter opens every check with its evidence and fix hint."""

    BINDINGS = [Binding("enter", "open_checks", "All checks", id="cockpit.open-checks")]

    class Open(Message):
        def __init__(self, report: CheckReport) -> None:
            super().__init__()
            self.report = report

    report: CheckReport | None = None

    def show(self, report: CheckReport | None, what: str) -> None:
        self.report = report
        if report is None:
            self.update(plain(one_line(f" No tag to check for {what}"), style="dim"))
            return
        counts = summary(report.results)
        passed = sum(r.ok for r in report.results)
        text = plain(one_line(f" {what}"), style="bold")
        text.append_text(plain(one_line(f" at {report.at}")))
        text.append("\n ")
        text.append(f"{counts['error']} error(s)", style="bold red" if counts["error"] else "green")
        text.append(" · ")
        text.append(f"{counts['warning']} warning(s)", style="yellow" if counts["warning"] else "green")
        text.append(f" · {passed} ok\n ")
        text.append("BLOCKED: tagging would be refused" if not report.ok else "ready to tag",
                    style="bold red" if not report.ok else "bold green")
        text.append("   (enter: every check)", style="dim")
        self.update(text)

    def action_open_checks(self) -> None:
        if self.report is not None:
            self.post_message(self.Open(self.report))


class ReleasePanel(VerticalScroll):
    BORDER_TITLE = "4 Release"
    plot: BurndownPlot | None = None

    def compose(self) -> ComposeResult:
        yield Static("Timeline", classes="section")
        yield Static(id="timeline")
        yield Static("Checks", classes="section")
        yield ChecksSummary(id="checks")
        yield Static("Next steps", classes="section")
        yield Static(id="steps")
        yield Static("Burndown", classes="section")
        yield Static(id="burndown-slot")  # the plot takes its place with the first chart
        yield Static(id="burndown-marks")

    def show_milestone(self, view: MilestoneView, today: date) -> None:
        self.border_title = plain(one_line(f"4 Release {view.milestone.title}"))  # a str border title is markup
        self.query_one("#timeline", Static).update(render_timeline(view.phase, today))

    def show_steps(self, steps: list[NextStep]) -> None:
        self.query_one("#steps", Static).update(render_steps(steps))

    def show_burndown(self, chart: Burndown, milestone: str) -> None:
        """The plot is made with the first chart: Plotext's import is a third of Textual's own, and the first paint
        of the dashboard should not wait for it."""
        from cockpit.ui.widgets.burndown import BurndownPlot, render_marks

        if self.plot is None:
            self.plot = BurndownPlot(id="burndown")
            self.query_one("#burndown-slot").remove()
            self.mount(self.plot, before="#burndown-marks")
        self.plot.show(chart, milestone)
        self.query_one("#burndown-marks", Static).update(render_marks(chart))

    def show_checks(self, report: CheckReport | None, what: str) -> None:
        self.query_one(ChecksSummary).show(report, what)

    def show_empty(self, reason: str) -> None:
        self.border_title = "4 Release"
        self.query_one("#timeline", Static).update(plain(reason, style="dim"))
