"""Read-side reports, one module per job: status, next versions, checks, backport candidates, the forge's milestone
views and release notes, the tags overview and the next tags to check. Each returns data that the CLI prints (as
JSON per the CLI contract, or text) and the TUI renders; both call these same functions, through this package."""

from cockpit.workflows.reports.candidates import CandidateRow, CandidatesReport, candidates
from cockpit.workflows.reports.check import CheckReport, check
from cockpit.workflows.reports.milestones import MilestoneView, milestone_views, milestone_views_of, release_notes
from cockpit.workflows.reports.next_versions import NextVersions, next_versions
from cockpit.workflows.reports.status import LINES, Status, classified_tags, status, version_text
from cockpit.workflows.reports.tags import (
    NextTags,
    TagRow,
    core_of,
    next_branch_tags,
    next_release_tags,
    next_tag,
    release_checks,
    tag_overview,
)

__all__ = [
    "LINES",
    "CandidateRow",
    "CandidatesReport",
    "CheckReport",
    "MilestoneView",
    "NextTags",
    "NextVersions",
    "Status",
    "TagRow",
    "candidates",
    "check",
    "classified_tags",
    "core_of",
    "milestone_views",
    "milestone_views_of",
    "next_branch_tags",
    "next_release_tags",
    "next_tag",
    "next_versions",
    "release_checks",
    "release_notes",
    "status",
    "tag_overview",
    "version_text",
]
