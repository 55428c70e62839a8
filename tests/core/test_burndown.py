"""The burndown's daily counts: an item counts from its creation and is closed from its merge or close."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cockpit.core.burndown import burndown
from cockpit.core.forge_models import Item
from cockpit.core.phases import timeline


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 12, tzinfo=UTC)


def test_open_and_closed_per_day_with_the_marks_inside() -> None:
    items = [Item(1, "pr", "a", "closed", "x", merged_at=at(4), created_at=at(1)),
             Item(2, "issue", "b", "closed", "x", created_at=at(2), updated_at=at(5)),
             Item(3, "pr", "c", "open", "x", created_at=at(3)),
             Item(4, "pr", "d", "closed", "x", created_at=at(3), updated_at=at(4))]  # closed unmerged
    chart = burndown(items, date(2026, 11, 6), due=date(2026, 11, 8), timeline=timeline(date(2026, 11, 8)))
    assert chart.days[0] == date(2026, 11, 1) and chart.days[-1] == date(2026, 11, 8)
    assert chart.open == (1, 2, 4, 2, 1, 1, 1, 1)
    assert chart.closed == (0, 0, 0, 2, 3, 3, 3, 3)
    assert ("due", date(2026, 11, 8)) in chart.marks
    assert all(chart.days[0] <= d <= chart.days[-1] for _, d in chart.marks)


def test_no_items_is_an_empty_chart() -> None:
    assert burndown([], date(2026, 11, 6)).empty
