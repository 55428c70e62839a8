"""The headless CLI's JSON contract (DESIGN.md, "Headless CLI contract"), written in one place.

Reports are typed models (the TUI and the workflows read their attributes); only here do they become the documents
scripts parse, key for key and in the order they have always come in (a script may compare the text). Changing a
key is changing the contract: tests/workflows/reports/test_serialise.py pins each document's shape. The model types
are imported for annotations only, so loading this module loads no report (and no report module imports another
through it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cockpit.core.checks import CheckResult
    from cockpit.core.coverage import Coverage, CoverageRow
    from cockpit.core.note_lint import NoteProblem
    from cockpit.core.notes import ReleaseNotes
    from cockpit.workflows.reports.candidates import CandidateRow, CandidatesReport
    from cockpit.workflows.reports.check import CheckReport
    from cockpit.workflows.reports.milestones import MilestoneView
    from cockpit.workflows.reports.next_versions import NextVersions, VersionChange
    from cockpit.workflows.reports.notes_since import NotesSince
    from cockpit.workflows.reports.status import Status

Document = dict[str, Any]


def _text(value: object) -> str | None:
    """A version (or any value) as the contract writes it: its text, or null when there is none."""
    return str(value) if value is not None else None


def checks_json(results: Iterable[CheckResult]) -> list[Document]:
    """Check rows: the same shape the journal keeps (CheckResult.as_dict), so a plan's checks and a report's read
    alike."""
    return [r.as_dict() for r in results]


# --- next ------------------------------------------------------------------------------------------------------------

def _change_json(c: VersionChange) -> Document:
    return {"from": c.before, "to": c.after, "change": c.change}


def next_versions_json(n: NextVersions) -> Document:
    """`cockpit next --json`."""
    d, lb = n.driver, n.libs
    driver = {"previous": d.previous, "api": _change_json(d.api), "schema": _change_json(d.schema), "bump": d.bump,
              "next": d.next}
    libs = {"previous": lb.previous,
            "plugin_api": _change_json(lb.plugin_api) | {"header_changed": lb.plugin_api.header_changed},
            "next_minor": lb.next_minor, "next_patch": lb.next_patch}
    return {"at": n.at, "commit": n.commit, "driver": driver, "libs": libs, "checks": checks_json(n.checks)}


# --- check -----------------------------------------------------------------------------------------------------------

def check_json(r: CheckReport) -> Document:
    """`cockpit check --json`."""
    return {"ok": r.ok, "at": r.at, "commit": r.commit, "branch": r.branch, "checks": checks_json(r.results)}


# --- candidates ------------------------------------------------------------------------------------------------------

def candidate_json(c: CandidateRow) -> Document:
    return {"sha": c.sha, "subject": c.subject, "author": c.author, "email": c.email, "date": c.date, "pr": c.pr,
            "pr_source": c.pr_source, "pr_title": c.pr_title, "milestone": c.milestone, "labels": list(c.labels),
            "applied": c.applied, "evidence": c.evidence, "applied_as": c.applied_as}


def candidates_json(c: CandidatesReport) -> Document:
    """`cockpit candidates --json`."""
    return {"branch": c.branch, "upstream": c.upstream, "fork_point": c.fork_point,
            "forge": {"ok": c.forge_ok, "problem": c.forge_problem},
            "commits": [candidate_json(x) for x in c.commits]}


# --- coverage --------------------------------------------------------------------------------------------------------

def coverage_row_json(r: CoverageRow) -> Document:
    """A PR's row: which commits, and its status per branch (the commits still missing stay out: the backport
    command line says them)."""
    return {"number": r.number, "title": r.title, "labels": list(r.labels), "commits": list(r.commits),
            "branches": dict(r.branches)}


def coverage_json(c: Coverage) -> Document:
    """`cockpit coverage --json` (its problems go to stderr, one note each)."""
    return {"milestone": c.milestone, "branches": list(c.branches), "prs": [coverage_row_json(r) for r in c.rows]}


# --- status ----------------------------------------------------------------------------------------------------------

def status_json(s: Status) -> Document:
    """The git side of `cockpit status --json`."""
    return {
        "repo": {"path": s.root, "remote_url": s.remote_url, "head_branch": s.head_branch,
                 "clean": None if s.dirty is None else not s.dirty},  # None: the worktree was not read
        "default_branch": s.default_branch,
        "versions": {"api_version": _text(s.versions.api), "schema_version": _text(s.versions.schema),
                     "plugin_api_version": _text(s.versions.plugin_api)},
        "tags": [{"name": info.name, "line": info.line, "version": _text(info.version),
                  "prerelease": info.prerelease, "commit": commit, "irregular": info.irregular}
                 for info, commit in s.tags],
        "release_branches": [{"name": b.name, "head": b.head, "fork_point": b.fork_point, "ahead": b.ahead,
                              "behind": b.behind, "tags": list(b.tags), "local_head": b.local_head,
                              "remote_head": b.remote_head, "sync": b.sync} for b in s.branches],
        "lines": {name: {"latest": line.latest, "latest_prerelease": line.latest_prerelease}
                  for name, line in s.line_summaries().items()},
        "fetched_at": s.fetched_at.isoformat(timespec="seconds") if s.fetched_at else None,
        "irregular_branches": [{"name": n, "reason": why} for n, why in s.irregular_branches],
    }


def milestone_json(v: MilestoneView) -> Document:
    """An open milestone with its phase, as `status` lists it."""
    m, p = v.milestone, v.phase
    return {"number": m.number, "title": m.title, "state": m.state,
            "due_on": m.due_on.isoformat() if m.due_on else None, "days_left": p.days_left,
            "phase": p.phase.value, "overdue": p.overdue, "open": m.open_items, "closed": m.closed_items,
            "release_branch": v.progress.branch_exists, "rc_tags": list(v.progress.rc_tags),
            "final_tag": v.progress.final_tag}


def status_document(s: Status, forge_description: str, forge_problem: str | None,
                    milestones: Iterable[MilestoneView]) -> Document:
    """`cockpit status --json`: the git side, then which forge answered (or why none did) and its open
    milestones."""
    return status_json(s) | {"forge": {"description": forge_description, "problem": forge_problem},
                             "milestones": [milestone_json(v) for v in milestones]}


# --- notes -----------------------------------------------------------------------------------------------------------

def notes_json(notes: ReleaseNotes, problems: Iterable[NoteProblem]) -> Document:
    """`cockpit notes MILESTONE --json` (and `--format json`): the notes, then the lint of their blocks."""
    return notes.as_json() | {"problems": [p.as_json() for p in problems]}


def notes_since_json(n: NotesSince) -> Document:
    """`cockpit notes MILESTONE --since TAG --json`: the notes of the range, the range, then the lint."""
    return n.notes.as_json() | {"since": n.since, "until": n.until, "commits": n.commits,
                                "problems": [p.as_json() for p in n.problems]}
