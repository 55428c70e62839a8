"""The checks of a tag that ask the forge, beside the versioning checks git alone answers: the CI of the commit to
be tagged (core/ci_gate.py) and the release-note lint of the milestone being released (core/note_lint.py).

A forge that fails never hides the versioning checks: the CI check then says it could not read CI (a warning), and
the lint says it could not read the milestone (info)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from cockpit.core.checks import CheckResult
from cockpit.core.ci_gate import CiFacts, check_ci
from cockpit.core.note_lint import NoteProblem, check_notes, lint_notes
from cockpit.core.notes import ReleaseNotes, build_notes
from cockpit.core.versions import VersionError, core_version, parse_version
from cockpit.services.forge.base import Forge, ForgeError
from cockpit.workflows.reports.check import CheckReport


def ci_facts(forge: Forge | None, commit: str, branch: str | None = None, problem: str | None = None) -> CiFacts:
    """The combined status and check runs of `commit`. A forge that keys statuses by branch (the local forge
    file may) is asked for the branch too when the commit has none, the commit being that branch's head."""
    if forge is None:
        return CiFacts(commit, problem=problem, no_forge=True)
    try:
        status, runs = forge.combined_status(commit), forge.check_runs(commit)
        if status.state == "unknown" and not runs and branch:
            status, runs = forge.combined_status(branch), forge.check_runs(branch)
    except ForgeError as exc:
        return CiFacts(commit, problem=str(exc))
    return CiFacts(commit, status, tuple(runs))


def milestone_of(report: CheckReport) -> str | None:
    """The milestone a checked tag releases: the libs version's core (`0.26.0-rc1` -> `0.26.0`), else the driver's
    (`9.0.0+driver`)."""
    for text in report.tags:
        try:
            version = parse_version(text)
        except VersionError:
            continue
        core = str(core_version(version))
        return f"{core}+driver" if version.build else core
    return None


def note_check(forge: Forge | None, milestone: str | None) -> CheckResult:
    if forge is None or milestone is None:
        return check_notes(milestone or "?", None, 0, "no forge" if forge is None else "no version to release")
    try:
        items = forge.milestone_items(milestone)
    except ForgeError as exc:
        return check_notes(milestone, None, 0, str(exc))
    return check_notes(milestone, lint_notes(items), sum(1 for i in items if i.kind == "pr" and i.merged))


def forge_checks(report: CheckReport, forge: Forge | None, forge_problem: str | None = None,
                 ci_override: str | None = None) -> tuple[CheckResult, ...]:
    """The CI check of the report's commit and the release-note lint of the milestone it releases."""
    ci = check_ci(ci_facts(forge, report.commit, report.branch, forge_problem), ci_override)
    return ci, note_check(forge, milestone_of(report))


def with_forge_checks(report: CheckReport, forge: Forge | None, forge_problem: str | None = None,
                      ci_override: str | None = None) -> CheckReport:
    """The report with the forge's checks after the versioning checks."""
    return replace(report, results=report.results + forge_checks(report, forge, forge_problem, ci_override))


def linted_notes(forge: Forge, milestone: str, released_on: date) -> tuple[ReleaseNotes, list[NoteProblem]]:
    """The release notes of a milestone and the lint of the blocks they were built from, from one read."""
    items = forge.milestone_items(milestone)
    return build_notes(milestone, items, released_on), lint_notes(items)
