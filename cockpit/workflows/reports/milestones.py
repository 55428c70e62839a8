"""Forge-side reports: open milestones with their derived phase, and release notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cockpit.core.config import Schedule
from cockpit.core.forge_models import Milestone
from cockpit.core.notes import ReleaseNotes, build_notes
from cockpit.core.phases import PhaseStatus, Progress, derive_phase, progress_for
from cockpit.services.forge.base import Forge
from cockpit.workflows.reports.status import Status


@dataclass(frozen=True)
class MilestoneView:
    milestone: Milestone
    phase: PhaseStatus
    progress: Progress

    def as_json(self) -> dict:
        m, p = self.milestone, self.phase
        return {"number": m.number, "title": m.title, "state": m.state,
                "due_on": m.due_on.isoformat() if m.due_on else None, "days_left": p.days_left,
                "phase": p.phase.value, "overdue": p.overdue, "open": m.open_items, "closed": m.closed_items,
                "release_branch": self.progress.branch_exists, "rc_tags": list(self.progress.rc_tags),
                "final_tag": self.progress.final_tag}


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


def release_notes(forge: Forge, milestone: str, released_on: date) -> ReleaseNotes:
    """Notes for a milestone from its merged PRs (an unknown milestone is a NotFound naming the open ones)."""
    return build_notes(milestone, forge.milestone_items(milestone), released_on)
