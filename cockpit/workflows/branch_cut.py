"""Cut the release branch `release/M.m.x` from the default branch head (or a chosen commit) and push it."""

from __future__ import annotations

from cockpit.core.branches import release_branch_name
from cockpit.core.checks import CheckResult, check_line_rules, fail, not_applicable, ok
from cockpit.core.cycle_rules import check_new_minor
from cockpit.core.display import one_line
from cockpit.core.lines import LIBS, classify
from cockpit.core.plan import Plan, Step
from cockpit.core.versions import VersionError, parse_version
from cockpit.errors import InputError
from cockpit.services.forge.base import Forge, ForgeError, NotFound
from cockpit.services.git import GitService, UnknownRef
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id, repo_state_checks
from cockpit.workflows.plan_release import started_series
from cockpit.workflows.proposal import Refusal


def propose_branch_cut(git: GitService, version: str, from_ref: str | None = None,
                       forge: Forge | None = None) -> Plan | Refusal:
    """The cut of `release/M.m.x` for `version` (M.m.0) from `from_ref` (default: the default branch head), with
    its checks; refused when the version does not parse or the ref names no commit."""
    try:
        v = parse_version(version)
    except VersionError as exc:
        return Refusal.of(InputError(str(exc)))
    name = release_branch_name(v, git.config.release_branch_prefix)
    snap = git.refs(tags=False)
    default = git.default_branch(snap)
    default_ref = git.branch_ref(default, snap)
    source = from_ref or default_ref
    try:
        sha = git.resolve(source)
    except UnknownRef as exc:
        return Refusal.of(exc)
    remote = git.config.remote
    checks: list[CheckResult] = [
        ok("branch.version", "error", f"{version} names {name}") if v.patch == 0 and not v.prerelease
        else fail("branch.version", "error", f"a release branch is cut for a new minor: {version} is not M.m.0",
                  f"use --version {v.major}.{v.minor}.0"),
        fail("branch.absent-local", "error", f"{name} already exists locally", f"git branch -d {name} if it is "
             "stray; a release branch is cut once") if name in snap.local_branches
        else ok("branch.absent-local", "error", f"{name} does not exist locally"),
    ]
    checks.append(fail("branch.absent-remote", "error", f"{name} already exists on {remote}",
                       "fetch it instead: it is cut once") if _on_remote(git, remote, name)
                  else ok("branch.absent-remote", "error", f"{name} does not exist on {remote}"))
    on_default = git.is_ancestor(sha, default_ref)
    checks.append(ok("branch.from-default", "error", f"{source} ({sha[:10]}) is on {default}") if on_default
                  else fail("branch.from-default", "error", f"{source} is not on {default}",
                            f"cut from {default} or one of its commits"))
    if not v.prerelease and v.patch == 0:  # the line's rules: libs major 0, and the minor after the last started
        checks += check_line_rules(LIBS, v)
        checks.append(check_new_minor(v, [classify(t.name) for t in git.refs().tags], started_series(git, snap)))
    if forge is not None:
        checks.append(open_prs_check(forge, str(v)))
    checks += repo_state_checks(git)
    steps = _create_and_push(name, sha, remote, sha[:10])
    shown = from_ref or f"{default} ({sha[:10]})"
    return Plan(new_plan_id("branch-cut"), f"Cut {name} from {shown}", steps, tuple(checks))


def open_prs_check(forge: Forge, title: str) -> CheckResult:
    """Open PRs still in the release's milestone when its branch is cut: each one is merged first, or moves to the
    next milestone (`milestone move --unmerged-only`); listed, so the release manager sees which."""
    try:
        items = forge.milestone_items(title)
    except NotFound:
        return not_applicable("branch.milestone-open-prs", f"no milestone {title}")
    except ForgeError as exc:
        return fail("branch.milestone-open-prs", "warning", f"the items of milestone {title} could not be read",
                    "check the forge, then plan again", one_line(str(exc)))
    open_prs = sorted((i for i in items if i.kind == "pr" and i.state == "open"), key=lambda i: i.number)
    if not open_prs:
        return ok("branch.milestone-open-prs", "warning", f"no open PR left in milestone {title}")
    return fail("branch.milestone-open-prs", "warning", f"{len(open_prs)} open PR(s) still in milestone {title}",
                f"merge them first, or move them on: cockpit milestone move --from {title} --to NEXT --unmerged-only",
                *(one_line(f"#{i.number} {i.title}") for i in open_prs[:20]))


def propose_hotfix_branch(git: GitService, tag: str) -> Plan | Refusal:
    """A hotfix on a line whose release branch is gone (or never existed): `release/M.m.x` from a final release
    tag, pushed, so fixes can be picked onto it and the next patch tagged there."""
    info = classify(tag)
    if info.version is None or info.line != LIBS or not info.is_release:
        return Refusal(f"{tag!r} is not a final libs release tag (e.g. 0.24.2)")
    name = release_branch_name(info.version, git.config.release_branch_prefix)
    snap = git.refs()
    tagged = next((t for t in snap.tags if t.name == tag), None)
    if tagged is None:  # unknown, or on a tree, a blob or another tag: status never counts it a release either
        return Refusal(f"{tag!r} is not a release tag on a commit here (see cockpit status)")
    sha = tagged.commit
    remote = git.config.remote
    on_remote = _on_remote(git, remote, name)
    checks = [
        fail("branch.absent-local", "error", f"{name} already exists locally", f"use {name} for the hotfix")
        if name in snap.local_branches else ok("branch.absent-local", "error", f"{name} does not exist locally"),
        fail("branch.absent-remote", "error", f"{name} already exists on {remote}",
             f"use it: git fetch {remote} {name}") if on_remote
        else ok("branch.absent-remote", "error", f"{name} does not exist on {remote}"),
        *repo_state_checks(git),
    ]
    steps = _create_and_push(name, sha, remote, f"{tag} ({sha[:10]})")
    note = (f"Then pick the fixes (cockpit backport --branch {name} --direct SHA...) and tag the next patch "
            f"(cockpit tag --libs {info.version.bump_patch()} --branch {name}).")
    return Plan(new_plan_id("hotfix-branch"), f"Hotfix branch {name} from {tag}", steps, tuple(checks), note)


def _on_remote(git: GitService, remote: str, name: str) -> bool:
    """Whether the remote has the branch already (asked of the remote itself: a stale fetch would not know)."""
    return bool(git.ls_remote([f"refs/heads/{name}"], remote))


def _create_and_push(name: str, sha: str, remote: str, shown_at: str) -> tuple[Step, Step, Step]:
    """The steps of a new release branch: created locally at `sha`, pushed atomically, then set to follow the
    remote's branch (its upstream), as a branch checked out from the remote would."""
    branch = {"name": name, "sha": sha}
    push = {"remote": remote, "refs": {f"refs/heads/{name}": sha}}
    track = {"name": name, "remote": remote}
    return (
        Step("branch", f"Create {name} at {shown_at}", "git.branch", branch, preview("git.branch", branch),
             "the branch is local only: abort removes it"),
        Step("push", f"Push {name} to {remote}", "git.push", push, preview("git.push", push),
             "nothing was pushed: check access to the remote, then resume"),
        Step("upstream", f"Track {remote}/{name}", "git.upstream", track, preview("git.upstream", track),
             f"the branch is pushed; only its upstream is missing: git branch --set-upstream-to={remote}/{name} "
             f"{name}"),
    )
