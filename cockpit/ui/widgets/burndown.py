"""The burndown of the selected milestone: its open and closed items day by day, the phase boundaries and the due
date as vertical lines, drawn by textual-plotext (Plotext inside a Textual widget, themed with the app)."""

from __future__ import annotations

from rich.text import Text
from textual_plotext import PlotextPlot

from cockpit.core.burndown import Burndown
from cockpit.core.display import one_line

MAX_TICKS = 5  # date labels under the plot; the marks' labels are in the legend under it (render_marks)
MARK_COLORS = {"due": "yellow", "today": "white", "preparation": "blue", "code freeze": "cyan",
               "release branch": "magenta"}


class BurndownPlot(PlotextPlot):
    DEFAULT_CSS = """
    BurndownPlot {
        height: 14;
        width: 1fr;
    }
    """

    def show(self, chart: Burndown, milestone: str) -> None:
        """Days are plotted by index (0 = the first day) and labelled by date: plotext's own date axis would
        parse the dates with the local time zone."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        title = one_line(f"{milestone} burndown")
        if chart.empty:
            plt.title(f"{title}: no items")
            self.refresh()
            return
        x = list(range(len(chart.days)))
        plt.plot(x, list(chart.open), label="open", color="red", marker="braille")
        plt.plot(x, list(chart.closed), label="closed", color="green", marker="braille")
        for label, day in chart.marks:
            plt.vline((day - chart.days[0]).days, MARK_COLORS.get(label, "blue"))
        today = (chart.today - chart.days[0]).days
        if 0 <= today < len(chart.days):
            plt.vline(today, MARK_COLORS["today"])
        step = max(1, len(x) // (MAX_TICKS - 1))
        ticks = x[::step]
        plt.xticks(ticks, [f"{chart.days[i]:%m-%d}" for i in ticks])
        plt.title(title)
        self.refresh()


def render_marks(chart: Burndown) -> Text:
    """The legend of the vertical lines: each phase boundary and the due date with its day, in its line's color."""
    text = Text()
    shown = list(chart.marks)
    if chart.days and chart.days[0] <= chart.today <= chart.days[-1]:
        shown.append(("today", chart.today))
    for n, (label, day) in enumerate(shown):
        if n:
            text.append(" · ", style="dim")
        text.append("│ ", style=MARK_COLORS.get(label, "blue"))
        text.append(f"{label} {day:%m-%d}")
    return text
