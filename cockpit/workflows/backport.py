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
    line_milestone,
    next_patch,
    pull_body,
    pull_title,
)
from cockpit.core.branches import parse_release_branch
from cockpit.core.candidates import pr_number
from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.forge_models import landing_pull
from cockpit.core.lines import LIBS, classify
from cockpit.core.notes import release_note_lines
from cockpit.core.plan import Plan, Step
from cockpit.errors import InputError
from cockpit.services.forge.base import Forge, ForgeError
from cockpit.services.git import GitService, RefSnapshot, UnknownRef
from cockpit.services.journal import Journal, PlanRecord
from cockpit.services.steps.registry import preview
from cockpit.workflows.backport_checks import (
    Selection,
    applied_checks,
    conflict_checks,
    local_checks,
    remote_checks,
    source_checks,
    thaw_checks,
)
from cockpit.workflows.common import new_plan_id, repo_state_checks
from cockpit.workflows.proposal import CANNOT_PROPOSE, Refusal

MODES = ("pr", "direct")
PLAN_PREFIX = "backport-"


def unfinished_backport(journal: Journal | None) -> PlanRecord | None:
    """The newest unfinished backport plan in the journal (another kind of plan may be unfinished too)."""
    if journal is None:
        return None
    return next((p for p in journal.plans() if p.unfinished and p.plan.id.startswith(PLAN_PREFIX)), None)


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


def propose_backport(git: GitService, forge: Forge | None, branch: str, shas: Sequence[str], mode: str = "pr",
                     journal: Journal | None = None) -> Plan | Refusal:
    """Pick `shas` onto `branch` in `mode` (pr or direct), with the checks above; refused for an unknown mode, a
    branch that is not a release branch on the remote, or a commit that does not resolve."""
    if mode not in MODES:
        return Refusal(f"unknown backport mode {mode!r} (pr or direct)")
    snap = git.refs()
    try:
        sel = select(git, branch, shas, snap)
    except CANNOT_PROPOSE as exc:
        return Refusal.of(exc)
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
