"""Tag an RC or the final release of either or both lines on the release branch head, then push branch and tags
atomically. Every versioning check runs first: an error refuses, a warning needs an acknowledgement."""

from __future__ import annotations

from cockpit.core.display import one_line
from cockpit.core.lines import DRIVER, LIBS, classify
from cockpit.core.plan import Plan, Step
from cockpit.core.versions import VersionError, parse_version
from cockpit.services.forge.base import Forge
from cockpit.services.git import GitService
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id, repo_state_checks
from cockpit.workflows.proposal import CANNOT_PROPOSE, Refusal
from cockpit.workflows.reports.check import check as check_report
from cockpit.workflows.reports.release_gate import with_forge_checks


def propose_tag(git: GitService, libs: str | None = None, driver: str | None = None,
                branch: str | None = None, *, forge: Forge | None = None, forge_problem: str | None = None,
                ci_override: str | None = None) -> Plan | Refusal:
    """`forge` adds the CI and release-note checks; `ci_override` (the user's reason, journaled with the plan)
    lets a red CI pass as a warning. Refused with nothing to tag, or a branch or ref that names no commit here."""
    if libs is None and driver is None:
        return Refusal("nothing to tag: pass --libs VERSION and/or --driver VERSION")
    if ci_override is not None and not ci_override.strip():
        return Refusal("--ci-override needs a reason")
    try:
        checked = check_report(git, libs=libs, driver=driver, at=branch)
    except CANNOT_PROPOSE as exc:
        return Refusal.of(exc)
    report = with_forge_checks(checked, forge, forge_problem, ci_override)
    sha, ref_note = report.commit, report.branch or report.at
    remote = git.config.remote
    steps: list[Step] = []
    refs: dict[str, str] = {}
    if report.branch is not None and git.ref_commit(f"refs/heads/{report.branch}") is not None:
        refs[f"refs/heads/{report.branch}"] = sha  # a branch only the remote has is its head: only the tags go
    for line, text in ((LIBS, libs), (DRIVER, driver)):
        if text is None:
            continue
        kind = "release candidate" if _prerelease(text) else "release"
        message = f"{line} {kind} {text}"
        tag = {"name": text, "sha": sha, "message": message}
        steps.append(Step(f"tag-{line}", f"Tag {text} at {sha[:10]} ({ref_note})", "git.tag", tag,
                          preview("git.tag", tag), "the tag is local only: abort removes it"))
        refs[f"refs/tags/{text}"] = sha
    push = {"remote": remote, "refs": refs}
    steps.append(Step("push", f"Push {', '.join(r.split('/', 2)[2] for r in refs)} to {remote} (atomic)",
                      "git.push", push, preview("git.push", push),
                      "nothing was pushed (atomic): fix the cause, then resume"))
    checks = report.results + tuple(c for c in repo_state_checks(git) if c.id == "repo.idle")
    title = "Tag " + " + ".join(t for t in (libs, driver) if t) + f" on {ref_note}"
    note = f"CI override: {one_line(ci_override)}" if ci_override is not None else ""
    return Plan(new_plan_id("tag"), title, tuple(steps), checks, note)


def _prerelease(text: str) -> bool:
    try:
        return bool(parse_version(text).prerelease)
    except VersionError:
        return classify(text).prerelease
