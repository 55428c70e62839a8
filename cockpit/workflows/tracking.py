"""The release tracking issue: open it (phases, dates, checklist), keep its checklist ticked as the release moves
on, and announce each phase as a comment."""

from __future__ import annotations

from datetime import date

from cockpit.core.checks import ok
from cockpit.core.next_steps import next_steps
from cockpit.core.plan import Plan, Step
from cockpit.core.tracking import announcement, tracking_body, tracking_title
from cockpit.errors import InputError
from cockpit.services.forge.base import Forge, NotFound
from cockpit.services.git import GitService
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id
from cockpit.workflows.proposal import Refusal
from cockpit.workflows.reports.milestones import milestone_views
from cockpit.workflows.reports.status import status as status_report


def propose_tracking_issue(git: GitService, forge: Forge, milestone: str, today: date,
                           announce: bool = False) -> Plan | Refusal:
    """Open or update the tracking issue of an open milestone (and announce its phase); refused for an unknown
    milestone (the forge's answer names the open ones) or a closed one."""
    status = status_report(git, divergence=False)
    view = next((v for v in milestone_views(forge, status, today, git.config.schedule)
                 if v.milestone.title == milestone), None)
    if view is None:
        try:
            forge.milestone(milestone)
        except NotFound as exc:
            return Refusal.of(exc)
        return Refusal.of(InputError(f"milestone {milestone} is closed: its tracking issue is done"))
    items = forge.milestone_items(milestone)
    steps_list = next_steps(milestone, view.phase, view.progress, items, git.config.release_branch_prefix)
    title = tracking_title(milestone)
    body = tracking_body(milestone, view.phase, steps_list)
    existing = next((i for i in items if i.kind == "issue" and i.title == title), None)
    params = {"milestone": milestone, "title": title, "body": body, "labels": ["release"],
              "issue": existing.number if existing else None}
    steps = [Step("issue", f"{'Update' if existing else 'Open'} the tracking issue {title!r}"
                  + (f" (#{existing.number})" if existing else ""), "forge.issue", params,
                  preview("forge.issue", params), "nothing was changed on the forge: resume")]
    if announce:
        said = {"milestone": milestone, "title": title,
                "body": announcement(milestone, view.phase.phase, today.isoformat())}
        steps.append(Step("announce", f"Announce {view.phase.phase.title} on {title!r}", "forge.announce", said,
                          preview("forge.announce", said), "resume to post the announcement"))
    checks = (ok("tracking.phase", "info", f"{milestone} is in {view.phase.phase.title}"),)
    return Plan(new_plan_id("tracking"), f"Tracking issue for {milestone}", tuple(steps), checks)
