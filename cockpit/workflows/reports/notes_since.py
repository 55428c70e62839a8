"""`notes --since TAG`: the release notes of what a milestone gained between a tag and a later ref (by default the
head of that tag's release branch), for the announcement of the next RC or of the final release."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cockpit.core.branches import parse_release_branch, release_branch_name
from cockpit.core.note_lint import NoteProblem, lint_notes
from cockpit.core.notes import ReleaseNotes, build_notes
from cockpit.core.notes_range import linked_shas, prs_in_range
from cockpit.core.versions import VersionError, parse_version
from cockpit.services.forge.base import Forge
from cockpit.services.git import GitService
from cockpit.workflows.reports.serialise import notes_since_json


@dataclass(frozen=True, slots=True)
class NotesSince:
    """The notes of what a milestone gained in a range, with the range they cover (an announcement says it) and the
    lint of the blocks they came from."""

    notes: ReleaseNotes
    problems: list[NoteProblem]
    since: str
    until: str
    commits: int  # in since..until

    def as_json(self) -> dict:
        return notes_since_json(self)


def default_until(git: GitService, since: str) -> str:
    """The head of the release branch of the tag's series (release/0.26.x for 0.26.0-rc1), else the default
    branch."""
    snap = git.refs(tags=False)
    try:
        branch = release_branch_name(parse_version(since), git.config.release_branch_prefix)
    except VersionError:
        branch = None
    return branch if branch and snap.branch_head(branch) else git.default_branch(snap)


def notes_since(git: GitService, forge: Forge, milestone: str, since: str, until: str | None,
                released_on: date) -> NotesSince:
    """The notes of the milestone's merged PRs whose commits are in `since..until` (UnknownRef for a bad ref)."""
    until = until or default_until(git, since)
    snap = git.refs(tags=False)
    start, end = git.resolve(since), git.commit_of(until, snap)
    commits = git.commits(f"{start}..{end}", body=True)
    items = forge.milestone_items(milestone)
    originals = _originals(git, default_until(git, since), {c.sha for c in commits})
    asked = sorted({*linked_shas(commits), *originals.values()})
    associated = {sha: [p.number for p in pulls] for sha, pulls in forge.commit_pulls(asked).items()}
    associated |= {picked: associated[source] for picked, source in originals.items() if source in associated}
    landed = prs_in_range(commits, items, associated)
    chosen = [i for i in items if i.number in landed]
    heading = until if _is_version(until) else milestone
    return NotesSince(build_notes(heading, chosen, released_on), lint_notes(chosen), since, until, len(commits))


def _originals(git: GitService, branch: str, picked: set[str]) -> dict[str, str]:
    """Release-branch commit -> the default-branch commit it backports, for the commits of the range: a backport
    merged by rebase names its source nowhere (no `-x` trailer, no PR number), so it is matched as `candidates`
    matches it (trailer, patch-id, subject and author)."""
    if not parse_release_branch(branch, git.config.release_branch_prefix):
        return {}
    report = git.candidates(branch)
    return {c.applied_as: c.commit.sha for c in report.candidates if c.applied_as in picked}


def _is_version(text: str) -> bool:
    try:
        parse_version(text)
    except VersionError:
        return False
    return True
