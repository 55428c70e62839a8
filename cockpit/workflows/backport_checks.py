"""The checks of a backport plan: where the commits come from, what the branch already has, the conflicts a trial
pick predicts, a thawed branch, and the state of the remote and the worktree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cockpit.core.backport import (
    Original,
    feature_reason,
    likely_conflicts,
)
from cockpit.core.branches import parse_release_branch
from cockpit.core.candidates import Candidate
from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.lines import LIBS, classify
from cockpit.services.git import GitService, RefSnapshot, RemoteUnavailable
from cockpit.services.git.trial_pick import TrialUnavailable, trial_series


@dataclass(frozen=True)
class Selection:
    """What the plan is built from: the release branch, its remote head, and the picks in topological order."""

    branch: str
    base: str  # the release branch's head on the remote (remote-tracking ref)
    default_branch: str
    fork_point: str
    picks: tuple[Original, ...]
    candidates: dict[str, Candidate]
    history: tuple[str, ...]  # fork_point..default head, oldest first (topological)
    outside: tuple[str, ...]  # requested commits that are not on the default branch since the fork point


def source_checks(git: GitService, sel: Selection) -> list[CheckResult]:
    results = []
    for sha in sel.outside:
        if git.is_ancestor(sha, sel.base):
            results.append(fail("backport.source", "error", f"{sha[:10]} is already in {sel.branch}'s history",
                                "drop it from the list", sha))
        else:
            results.append(fail("backport.source", "error", f"{sha[:10]} is not on {sel.default_branch} since the "
                                f"fork point {sel.fork_point[:10]}", "pick commits of the default branch", sha))
    if sel.picks and not sel.outside:
        results.append(ok("backport.source", "error", f"{len(sel.picks)} commit(s) of {sel.default_branch} since "
                          f"the fork point, picked oldest first"))
    return results


def applied_checks(sel: Selection, picks: tuple[Original, ...]) -> list[CheckResult]:
    results = []
    for o in picks:
        c = sel.candidates.get(o.sha)
        if c is not None and c.applied:
            results.append(fail("backport.applied", "warning", f"{o.sha[:10]} {o.subject} is already on "
                                f"{sel.branch} as {c.applied_as[:10] if c.applied_as else '?'} ({c.evidence})",
                                "drop it from the list (an empty pick is dropped anyway)", o.sha))
    return results


def changed_files(git: GitService, fork: str, picks: Sequence[Original]) -> dict[str, frozenset[str]]:
    """sha -> files it changed: the picks' own (a merge against its first parent), then, with one path-limited
    `git log` (fast on thousands of candidates), every commit of fork..last pick that touched one of them."""
    own = git.files_by_commit(*(o.sha for o in picks), exact=True)
    paths = sorted(frozenset().union(*own.values()))
    if not paths:
        return own
    limit = paths if len(paths) <= 2000 else []
    return {**git.files_by_commit(f"{fork}..{picks[-1].sha}", paths=limit), **own}


def conflict_checks(git: GitService, sel: Selection, picks: tuple[Original, ...]) -> list[CheckResult]:
    """A warning for each pick that would stop on a conflict when the series is tried on the release branch (see
    services/trial_pick.py), naming the earlier unported commits that changed the same files: backporting them
    first often avoids it."""
    try:
        conflicts = trial_series(git, sel.base, [o.sha for o in picks])
    except TrialUnavailable as exc:
        return [fail("backport.conflict", "warning", f"the series could not be tried on {sel.branch}: {exc}",
                     "a conflict still stops the backport, with the files named, for you to resolve or skip")]
    if not conflicts:
        return []
    files = changed_files(git, sel.fork_point, picks)
    unported = {sha for sha, c in sel.candidates.items() if not c.applied}
    upto = sel.history[:sel.history.index(picks[-1].sha) + 1]
    earlier = likely_conflicts([(s, files.get(s, frozenset())) for s in upto], [o.sha for o in picks], unported)
    subjects = {sha: c.commit.subject for sha, c in sel.candidates.items()}
    results = []
    for o in picks:
        if o.sha not in conflicts:
            continue
        conflicted = conflicts[o.sha]
        hits = [(s, [f for f in touched if f in conflicted]) for s, touched in earlier.get(o.sha, [])]
        hits = [(s, f) for s, f in hits if f]
        named = ", ".join(s[:10] + (f" (#{sel.candidates[s].pr})" if sel.candidates[s].pr else "")
                          for s, _ in hits[:3]) + (f" and {len(hits) - 3} more" if len(hits) > 3 else "")
        message = f"{o.sha[:10]} {o.subject}: picked in this series onto {sel.branch}, it conflicts in " \
                  f"{', '.join(conflicted)}"
        hint = "resolve it when the pick stops (the backport waits for you), or drop the commit"
        if hits:
            message += f"; unported {named} changed those files first"
            hint = "backport those first (add them to the list), or resolve it when the pick stops"
        else:
            message += " (the release branch changed the same lines its own way)"
        results.append(fail("backport.conflict", "warning", message, hint,
                            *(f"{s[:10]} {subjects.get(s, '')}: {', '.join(f)}" for s, f in hits[:10])))
    return results


def final_tag_on(git: GitService, snap: RefSnapshot, sel: Selection) -> str | None:
    """The final release tag of the branch's M.m reachable from its head: the branch is past thaw."""
    mm = parse_release_branch(sel.branch, git.config.release_branch_prefix)
    finals = []
    for tag in snap.tags:
        info = classify(tag.name)
        v = info.version
        if info.line == LIBS and v is not None and not info.prerelease and (v.major, v.minor) == mm:
            finals.append((v, tag))
    for _, tag in sorted(finals, key=lambda f: f[0], reverse=True):
        if git.is_ancestor(tag.commit, sel.base):
            return tag.name
    return None


def thaw_checks(git: GitService, snap: RefSnapshot, sel: Selection, picks: tuple[Original, ...]) -> list[CheckResult]:
    final = final_tag_on(git, snap, sel)
    if final is None:
        return [ok("backport.fixes-only", "warning", f"{sel.branch} is not released yet: features may still go in")]
    results = []
    for o in picks:
        reason = feature_reason(o)
        if reason:
            results.append(fail("backport.fixes-only", "warning", f"{o.sha[:10]} looks like a feature ({reason}), "
                                f"but {final} is released: only bug fixes go to {sel.branch}",
                                "drop it unless the maintainers agreed to the exception", o.sha))
    return results or [ok("backport.fixes-only", "warning", f"after {final} only fixes go in: no feature picked")]


def remote_checks(git: GitService, sel: Selection, mode: str, work: str) -> list[CheckResult]:
    """One `ls-remote`: the release branch did not move since the last fetch, and the backport branch is new."""
    remote = git.config.remote
    refs = [f"refs/heads/{sel.branch}"] + ([f"refs/heads/{work}"] if mode == "pr" else [])
    try:
        there = git.ls_remote(refs, remote)
    except RemoteUnavailable as exc:
        return [fail("backport.remote", "warning", str(exc), "check the network and access")]
    results = []
    head = there.get(refs[0])
    if head == sel.base:
        results.append(ok("backport.remote", "error", f"{remote}'s {sel.branch} is at {sel.base[:10]}"))
    else:
        results.append(fail("backport.remote", "error" if mode == "direct" else "warning",
                            f"{remote}'s {sel.branch} is at {head[:10] if head else 'nothing'}, not at the fetched "
                            f"{sel.base[:10]}", f"git fetch {remote}, then plan again"))
    if mode == "pr" and there.get(refs[1]):
        results.append(fail("backport.branch", "error", f"{work} already exists on {remote}",
                            "a backport of this series was already pushed: see its PR"))
    return results


def local_checks(git: GitService, snap: RefSnapshot, sel: Selection, mode: str, work: str) -> list[CheckResult]:
    have = snap.local_branches.get(work)
    if mode == "pr":
        return [fail("backport.branch", "error", f"{work} already exists locally", f"git branch -D {work} if it is "
                     "stray") if have else ok("backport.branch", "error", f"{work} is new")]
    if have is None or have == sel.base or git.is_ancestor(have, sel.base):
        return [ok("backport.branch", "error", f"the local {work} has nothing unpushed")]
    return [fail("backport.branch", "error", f"the local {work} has commits that are not on {git.config.remote}",
                 f"push or drop them first (git log {git.config.remote}/{work}..{work})")]
