"""Forge-side reports: open milestones with their derived phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cockpit.core.config import Schedule
from cockpit.core.forge_models import Milestone
from cockpit.core.phases import PhaseStatus, Progress, derive_phase, progress_for
from cockpit.services.forge.base import Forge
from cockpit.workflows.reports.serialise import milestone_json
from cockpit.workflows.reports.status import Status


@dataclass(frozen=True, slots=True)
class MilestoneView:
    """An open milestone with where its release stands: the phase the calendar and git give it, and the branch and
    tags already made (the dashboard's milestone list and `status`)."""

    milestone: Milestone
    phase: PhaseStatus
    progress: Progress

    def as_json(self) -> dict:
        return milestone_json(self)


def milestone_views(forge: Forge, status: Status, today: date, schedule: Schedule) -> list[MilestoneView]:
    """Open milestones, soonest due first, each with its phase derived from the calendar and git."""
    return milestone_views_of(forge.milestones("open"), status, today, schedule)


def milestone_views_of(milestones: list[Milestone], status: Status, today: date,
                       schedule: Schedule) -> list[MilestoneView]:
    infos = [t for t, _ in status.tags]
    names = [b.name for b in status.branches]
    views = []
    for m in milestones:
        progress = progress_for(m.title, infos, names)
        views.append(MilestoneView(m, derive_phase(m.due_on, today, progress, schedule), progress))
    return views

