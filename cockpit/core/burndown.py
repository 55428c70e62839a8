"""A milestone's burndown: how many of its items were open and how many closed on each day, from the day its first
item was opened to today (or the due date, when that is later), with the phase boundaries and the due date marked.

An item counts from its creation; it is closed from its merge (a PR), its close time when the forge gives one, else
its last update once closed (GitHub's issues endpoint updates an issue when it is closed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from cockpit.core.forge_models import Item
from cockpit.core.phases import Timeline

MAX_DAYS = 400  # a milestone open for years is drawn over its last 400 days


@dataclass(frozen=True)
class Burndown:
    days: tuple[date, ...]
    open: tuple[int, ...]
    closed: tuple[int, ...]
    marks: tuple[tuple[str, date], ...]  # (label, day): the phase boundaries and the due date, inside `days`
    today: date

    @property
    def empty(self) -> bool:
        return not self.days


def closed_on(item: Item) -> date | None:
    if item.merged_at is not None:
        return item.merged_at.date()
    if item.state != "closed":
        return None
    when = getattr(item, "closed_at", None) or item.updated_at or item.created_at
    return when.date() if when else None


def burndown(items: Iterable[Item], today: date, due: date | None = None,
             timeline: Timeline | None = None) -> Burndown:
    """The daily open/closed counts of `items`; an item with no creation time counts from the first day."""
    items = list(items)
    created = [i.created_at.date() for i in items if i.created_at is not None]
    if not items:
        return Burndown((), (), (), (), today)
    start = min(created) if created else today
    end = max(today, due or today)
    start = max(start, end - timedelta(days=MAX_DAYS))
    days = tuple(start + timedelta(days=n) for n in range((end - start).days + 1))
    spans = [(i.created_at.date() if i.created_at else start, closed_on(i)) for i in items]
    open_counts, closed_counts = [], []
    for day in days:
        closed = sum(1 for _, c in spans if c is not None and c <= day)
        existing = sum(1 for o, _ in spans if o <= day)
        closed_counts.append(closed)
        open_counts.append(existing - closed)
    marks: list[tuple[str, date]] = []
    if timeline is not None:
        marks += [("preparation", timeline.preparation), ("code freeze", timeline.code_freeze),
                  ("release branch", timeline.release_branch)]
    if due is not None:
        marks.append(("due", due))
    inside = tuple((label, d) for label, d in marks if start <= d <= end)
    return Burndown(days, tuple(open_counts), tuple(closed_counts), inside, today)
