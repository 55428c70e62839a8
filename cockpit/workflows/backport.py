"""Build the backport plan: the chosen default-branch commits, oldest first, cherry-picked with `-x` onto a backport
branch opened as a PR against the release branch (`pr`, the default: release branches are protected and merged by a
bot), or straight onto the release branch, pushed when the series completes (`direct`).

Checks: the repository is idle and clean, no other backport is unfinished, each commit is on the default branch and
not already in the release branch's history; warnings for commits already applied (with the evidence), for picks
that a trial of the series on the release branch shows in conflict (with the earlier unported commits that changed
those files), and, after thaw, for features."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from cockpit.core.backport import (
    Original,
    backport_branch_name,
    copied_labels,
    feature_reason,
    likely_conflicts,
    line_milestone,
    next_patch,
    pull_body,
    pull_title,
)
from cockpit.core.branches import parse_release_branch
from cockpit.core.candidates import Candidate, pr_number
from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.forge_models import landing_pull
from cockpit.core.lines import LIBS, classify
from cockpit.core.notes import release_note_lines
from cockpit.core.plan import Plan, Step
from cockpit.errors import InputError
from cockpit.services.forge.base import Forge, ForgeError
from cockpit.services.git import GitService, RefSnapshot, RemoteUnavailable, UnknownRef
from cockpit.services.git.trial_pick import TrialUnavailable, trial_series
from cockpit.services.journal import Journal, PlanRecord
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id, repo_state_checks

MODES = ("pr", "direct")
PLAN_PREFIX = "backport-"


def unfinished_backport(journal: Journal | None) -> PlanRecord | None:
    """The newest unfinished backport plan in the journal (another kind of plan may be unfinished too)."""
    if journal is None:
        return None
    return next((p for p in journal.plans() if p.unfinished and p.plan.id.startswith(PLAN_PREFIX)), None)


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


def select(git: GitService, branch: str, shas: Sequence[str], snap: RefSnapshot) -> Selection:
    """Resolve the requested commits and order them as the default branch has them (oldest first)."""
    if parse_release_branch(branch, git.config.release_branch_prefix) is None:
        raise InputError(f"{branch!r} is not a release branch ({git.config.release_branch_prefix}M.m.x)")
    if branch not in snap.remote_branches:
        raise UnknownRef(f"{branch} is not on {git.config.remote}: fetch it (or cut it first)")
    if not shas:
        raise InputError("nothing to backport: name one or more commits (SHA...)")
    wanted = list(dict.fromkeys(git.resolve(s) for s in shas))
    default = git.default_branch(snap)
    report = git.candidates(branch, snap=snap)
    history = git.commit_ids(f"{report.fork_point}..{git.branch_ref(default, snap)}", reverse=True)
    position = {sha: n for n, sha in enumerate(history)}
    inside = sorted((s for s in wanted if s in position), key=position.__getitem__)
    facts = {c.sha: c for c in git.commits(*inside, walk=False)} if inside else {}
    cands = {c.commit.sha: c for c in report.candidates}
    picks = tuple(Original(s, facts[s].subject, cands[s].pr if s in cands else pr_number(facts[s].subject),
                           facts[s].is_merge) for s in inside)
    return Selection(branch, snap.remote_branches[branch], default, report.fork_point, picks, cands, tuple(history),
                     tuple(s for s in wanted if s not in position))


def with_forge_prs(picks: tuple[Original, ...], forge: Forge, default_branch: str,
                   problems: list[str]) -> tuple[Original, ...]:
    """The picks whose subject and merge commit name no PR, linked to the PR the forge associates with them (a
    rebase-merged PR names its commits nowhere else)."""
    unlinked = [o.sha for o in picks if o.pr is None and not o.merge]
    if not unlinked:
        return picks
    try:
        answer = forge.commit_pulls(unlinked)
    except ForgeError as exc:
        problems.append(f"the PRs of {len(unlinked)} commit(s): {exc}")
        return picks
    out = []
    for o in picks:
        pull = landing_pull(answer.get(o.sha, ()), default_branch) if o.pr is None else None
        out.append(replace(o, pr=pull.number) if pull is not None else o)
    return tuple(out)


def with_forge_details(picks: tuple[Original, ...], forge: Forge | None,
                       default_branch: str | None = None) -> tuple[tuple[Original, ...], list[str]]:
    """Each pick with its PR's title, milestone, labels and release-note lines; problems as one-line notes."""
    if forge is None:
        return picks, []
    items, problems = {}, []
    if default_branch is not None:
        picks = with_forge_prs(picks, forge, default_branch, problems)
    for number in dict.fromkeys(o.pr for o in picks if o.pr is not None):
        try:
            items[number] = forge.item(number)
        except ForgeError as exc:
            problems.append(f"#{number}: {exc}")
    out = []
    for o in picks:
        item = items.get(o.pr) if o.pr is not None else None
        if item is None:
            out.append(o)
            continue
        notes = release_note_lines(item.body)
        out.append(Original(o.sha, o.subject, o.pr, o.merge, item.title, item.milestone, item.labels,
                            tuple(notes) if notes is not None else None))
    return tuple(out), problems


def plan_backport(git: GitService, forge: Forge | None, branch: str, shas: Sequence[str], mode: str = "pr",
                  journal: Journal | None = None) -> Plan:
    if mode not in MODES:
        raise InputError(f"unknown backport mode {mode!r} (pr or direct)")
    snap = git.refs()
    sel = select(git, branch, shas, snap)
    picks, forge_problems = with_forge_details(sel.picks, forge, sel.default_branch)
    remote = git.config.remote
    first = picks[0].sha if picks else sel.outside[0]
    work = backport_branch_name(branch, first) if mode == "pr" else branch
    original_branch = snap.head_branch
    original_sha = git.resolve("HEAD")

    checks = repo_state_checks(git)
    busy = unfinished_backport(journal)
    checks.append(fail("backport.unfinished", "error", f"another backport is unfinished: {busy.plan.title}",
                       "cockpit backport --continue, --skip or --abort first") if busy
                  else ok("backport.unfinished", "error", "no other backport is unfinished"))
    checks += source_checks(git, sel)
    checks += applied_checks(sel, picks)
    checks += conflict_checks(git, sel, picks)
    checks += thaw_checks(git, snap, sel, picks)
    checks += remote_checks(git, sel, mode, work)
    checks += local_checks(git, snap, sel, mode, work)
    if mode == "pr":
        checks.append(ok("forge.available", "error", "the forge can open the pull request") if forge is not None
                      else fail("forge.available", "error", "no forge to open the pull request",
                                "configure GitHub (GH_TOKEN or gh auth login), or use --direct"))
    if forge_problems:
        checks.append(fail("forge.details", "warning", "some PR details could not be read: the PR body lacks them",
                           "retry when the forge answers", *forge_problems))
    target = Target(None, False)
    if mode == "pr" and forge is not None:
        target, found = target_milestone(git, forge, snap, branch)
        checks.append(found)
    steps = backport_steps(sel, picks, mode, work, remote, snap.local_branches.get(work), original_branch,
                           original_sha, target)
    how = "as a pull request" if mode == "pr" else "directly"
    note = ("the release branch itself is not touched: the PR is merged by the bot (rebase)" if mode == "pr"
            else f"{branch} is pushed only when every pick is done; never forced")
    return Plan(new_plan_id("backport"), f"Backport {len(picks)} commit(s) to {branch} {how}", tuple(steps),
                tuple(checks), note)


@dataclass(frozen=True)
class Target:
    """The milestone the backport PR goes in (None: none), and whether the plan creates it."""

    milestone: str | None
    create: bool


def target_milestone(git: GitService, forge: Forge, snap: RefSnapshot, branch: str) -> tuple[Target, CheckResult]:
    """The release the branch ships next: the lowest open milestone titled M.m.p of the branch's line; when there is
    none, the next patch release (one above the line's highest final tag), which the plan creates."""
    line = parse_release_branch(branch, git.config.release_branch_prefix)
    assert line is not None  # select() refused anything else
    try:
        titles = [m.title for m in forge.milestones("open")]
    except ForgeError as exc:
        return Target(None, False), fail("backport.milestone", "warning", f"the milestones could not be read: {exc}",
                                         "set the PR's milestone by hand")
    chosen = line_milestone(titles, line)
    if chosen is not None:
        return Target(chosen, False), ok("backport.milestone", "warning", f"the PR goes in milestone {chosen}, the "
                                         f"next release of {branch}")
    finals = [info.version for info in (classify(t.name) for t in snap.tags)
              if info.line == LIBS and info.version is not None]
    title = next_patch(line, finals)
    try:
        forge.milestone(title)
        exists = True
    except ForgeError:  # NotFound: not there, so it is created; any other failure shows when the step runs
        exists = False
    if exists:
        return Target(None, False), fail("backport.milestone", "warning", f"no open milestone {line[0]}.{line[1]}.*: "
                                         f"{title} exists but is closed, so the PR gets no milestone",
                                         f"reopen {title} or create the next one, then set it on the PR")
    return Target(title, True), fail("backport.milestone", "warning", f"no open milestone {line[0]}.{line[1]}.* "
                                     f"exists: the plan creates {title}, the next release of {branch}, for the PR",
                                     "cancel and create the milestone you want first, if not that one")


def backport_steps(sel: Selection, picks: tuple[Original, ...], mode: str, work: str, remote: str,
                   local_before: str | None, original_branch: str | None, original_sha: str,
                   target: Target = Target(None, False)) -> list[Step]:
    base, branch = sel.base, sel.branch
    shas = [o.sha for o in picks]
    if mode == "pr":
        start_title = f"Create {work} at {branch}'s head {base[:10]} and check it out"
    elif local_before is None:
        start_title = f"Check out {work} (new, tracking {remote}/{work} at {base[:10]})"
    else:
        start_title = f"Check out {work} at {base[:10]}"

    def step(id_: str, title: str, kind: str, params: dict[str, Any], recovery: str = "", detail: str = "") -> Step:
        return Step(id_, title, kind, params, preview(kind, params), recovery, detail)

    steps = [step("start", start_title, "backport.start",
                  {"mode": mode, "branch": branch, "work": work, "base": base, "remote": remote,
                   "local_before": local_before, "original_branch": original_branch, "original_sha": original_sha,
                   "shas": shas}, "abort returns to where you were")]
    for n, o in enumerate(picks, 1):
        steps.append(step(f"pick-{n}", f"Pick {o.sha[:10]} {o.subject}", "backport.pick",
                          {"sha": o.sha, "subject": o.subject, "work": work, "base": base, "mainline": o.merge},
                          "resolve and git add, then cockpit backport --continue (or --skip / --abort)"))
    steps.append(step("push", f"Push {work} to {remote}", "backport.push",
                      {"mode": mode, "remote": remote, "work": work, "base": base},
                      "nothing was pushed (atomic, never forced): fix the cause, then cockpit backport --continue"))
    if mode == "pr":
        title = pull_title(branch, picks)
        steps.append(step("pull", f"Open the pull request {work} -> {branch}", "backport.pull",
                          {"branch": branch, "work": work, "base": base, "picks": [o.as_params() for o in picks]},
                          "the branch is pushed: continue retries, or open the PR by hand",
                          detail=f"title: {title}\n" + pull_body(branch, picks)))
        if target.create and target.milestone:
            steps.append(step("milestone", f"Create milestone {target.milestone}", "milestone.create",
                              {"title": target.milestone, "due": None,
                               "description": f"The next release of {branch}."}, "the PR is open: resume retries"))
        labels = list(copied_labels(picks))
        if target.milestone or labels:
            what = " and ".join(x for x in (f"milestone {target.milestone}" if target.milestone else "",
                                            f"labels {', '.join(labels)}" if labels else "") if x)
            steps.append(step("pull-details", f"Give the pull request {what}", "forge.pull-details",
                              {"head": work, "base": branch, "milestone": target.milestone, "labels": labels},
                              "the PR is open: resume retries, or set them by hand"))
    back = original_branch or original_sha[:10]
    steps.append(step("finish", f"Return to {back}", "backport.finish",
                      {"work": work, "original_branch": original_branch, "original_sha": original_sha}))
    return steps


# --- checks --------------------------------------------------------------------------------------------------------

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
