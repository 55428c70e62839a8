"""The release tracking issue's text: the phases with their dates, and a checklist whose boxes follow what git and
the journal say is done. Rendering it again after each step ticks the boxes."""

from __future__ import annotations

from cockpit.core.forge_models import Item
from cockpit.core.next_steps import NextStep
from cockpit.core.phases import Phase, PhaseStatus

MARKER = "<!-- release-cockpit: tracking issue; the checklist is updated by the cockpit -->"


def tracking_title(milestone: str) -> str:
    return f"Release {milestone}"


def is_tracking_issue(item: Item, milestone: str) -> bool:
    """The release's tracking issue: an issue the cockpit opened (its marker) or titled as it titles them. It stays
    with its release: moving a milestone's items never takes it along."""
    return item.kind == "issue" and (item.title == tracking_title(milestone) or MARKER in (item.body or ""))


def tracking_body(milestone: str, status: PhaseStatus, steps: list[NextStep]) -> str:
    tl = status.timeline
    rows = ["| phase | from |", "| --- | --- |"]
    if tl:
        rows += [f"| Preparation | {tl.preparation:%Y-%m-%d} |", f"| Code freeze | {tl.code_freeze:%Y-%m-%d} |",
                 f"| Release branch / RCs | ~{tl.release_branch:%Y-%m-%d} |",
                 f"| Thaw (final tag) | {tl.due:%Y-%m-%d} |"]
    else:
        rows.append("| (no due date on the milestone yet) | |")
    checklist = [f"- [{'x' if s.done else ' '}] {s.text}" for s in steps]
    return "\n".join([
        MARKER, "",
        f"This issue tracks the release of **{milestone}**. Current phase: **{status.phase.title}**.", "",
        *rows, "",
        "### Checklist", "", *checklist, "",
    ])


def announcement(milestone: str, phase: Phase, when: str) -> str:
    what = {
        Phase.PREPARATION: "Preparation has started: please triage the PRs of the milestone",
        Phase.CODE_FREEZE: "Code freeze has started: no new-feature PRs are merged until the release",
        Phase.RELEASE_BRANCH: "The release branch is cut: release candidates follow; fixes are backported",
        Phase.THAW: "The release is tagged: master is open again; only bug fixes go to the release branch",
        Phase.PLANNING: "The release is planned",
    }[phase]
    return f"**{milestone}** — {what} ({when})."
