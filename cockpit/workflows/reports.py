"""Read-side reports: status, next versions, checks, backport candidates. Each returns plain data that the CLI
prints (as JSON per the CLI contract, or text) and the TUI renders; both call these same functions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import semver

from cockpit.core.branches import parse_release_branch, release_branch_name
from cockpit.core.checks import (
    Baseline,
    CheckResult,
    TargetState,
    check_release,
    check_target_state,
    previous_release,
)
from cockpit.core.config import Schedule
from cockpit.core.driver_rule import driver_bump
from cockpit.core.facts import BranchFact
from cockpit.core.forge_models import Milestone
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify, prereleases, releases
from cockpit.core.notes import ReleaseNotes, build_notes
from cockpit.core.phases import PhaseStatus, Progress, derive_phase, progress_for
from cockpit.core.version_files import VersionFiles
from cockpit.core.versions import VersionError, change_between, parse_version
from cockpit.errors import InputError
from cockpit.services.forge.base import Forge
from cockpit.services.git import GitService, RefSnapshot, RemoteUnavailable, UnknownRef

LINES = (LIBS, DRIVER)


def _triple(t: object) -> str | None:
    return str(t) if t is not None else None


def _sort_key(info: TagInfo) -> tuple:
    if info.version is None:
        return (2, info.line or "", semver.Version(0), info.name)
    return (0 if info.line else 1, info.line or "", info.version, info.name)


def classified_tags(snap: RefSnapshot) -> list[tuple[TagInfo, str | None]]:
    """(classification, commit) for every tag, lines first, highest version first; a tag on a tree or a blob last,
    irregular and on no line (it can never be a release), with no commit."""
    pairs: list[tuple[TagInfo, str | None]] = [(classify(t.name), t.commit) for t in snap.tags]
    pairs.sort(key=lambda p: _sort_key(p[0]), reverse=True)
    pairs.sort(key=lambda p: (p[0].version is None, p[0].line is None))
    pairs += [(TagInfo(name, None, None, f"points at a {kind}, not a commit: never a release"), None)
              for name, kind in snap.non_commit_tags]
    return pairs


@dataclass(frozen=True)
class Status:
    root: str
    remote_url: str | None
    head_branch: str | None
    default_branch: str
    dirty: tuple[str, ...]
    versions: VersionFiles
    tags: tuple[tuple[TagInfo, str | None], ...]
    branches: tuple[BranchFact, ...]

    def line_summary(self, line: str) -> dict:
        infos = [t for t, _ in self.tags]
        rel, pre = releases(infos, line), prereleases(infos, line)
        return {"latest": rel[0].name if rel else None, "latest_prerelease": pre[0].name if pre else None}

    def as_json(self) -> dict:
        return {
            "repo": {"path": self.root, "remote_url": self.remote_url, "head_branch": self.head_branch,
                     "clean": not self.dirty},
            "default_branch": self.default_branch,
            "versions": {"api_version": _triple(self.versions.api), "schema_version": _triple(self.versions.schema),
                         "plugin_api_version": _triple(self.versions.plugin_api)},
            "tags": [{"name": info.name, "line": info.line, "version": str(info.version) if info.version else None,
                      "prerelease": info.prerelease, "commit": commit, "irregular": info.irregular}
                     for info, commit in self.tags],
            "release_branches": [{"name": b.name, "head": b.head, "fork_point": b.fork_point, "ahead": b.ahead,
                                  "behind": b.behind, "tags": list(b.tags), "local_head": b.local_head,
                                  "remote_head": b.remote_head, "sync": b.sync} for b in self.branches],
            "lines": {line: self.line_summary(line) for line in LINES},
        }


def status(git: GitService, divergence: bool = True) -> Status:
    """Everything `cockpit status` shows. `divergence=False` skips the one read of the whole commit graph (fork
    points, ahead/behind, tags per branch): the cockpit paints that first and fills the rest in after."""
    snap = git.refs()
    default = git.default_branch(snap)
    head = git.branch_ref(default, snap)
    with ThreadPoolExecutor(max_workers=2) as pool:  # git status and the version files run beside the graph read
        dirty = pool.submit(git.dirty_paths)
        versions = pool.submit(git.version_files, head)
        branches = git.release_branches(snap) if divergence else git.release_branch_heads(snap)
        tags = classified_tags(snap)
    return Status(
        root=str(git.root), remote_url=git.remote_url_display(), head_branch=snap.head_branch, default_branch=default,
        dirty=tuple(dirty.result()), versions=versions.result(), tags=tuple(tags), branches=tuple(branches),
    )


# --- next --------------------------------------------------------------------------------------------------------

def _previous(line: str, infos: list[TagInfo], since: str | None, snap: RefSnapshot, at_commit: str) -> TagInfo | None:
    if since is not None:
        info = classify(since)
        if since not in {t.name for t in snap.tags}:
            raise InputError(f"no tag {since!r} in the repository")
        if info.line != line or not info.regular:
            raise InputError(f"{since!r} is not a regular {line} tag")
        return info
    on_ref = {t.name for t in snap.tags if t.commit == at_commit}
    found = [t for t in releases(infos, line) if t.name not in on_ref]
    return found[0] if found else None


def next_versions(git: GitService, at: str | None = None, since_libs: str | None = None,
                  since_driver: str | None = None) -> dict:
    """The versions a release cut at `at` should carry, per the driver rule and the libs line."""
    snap = git.refs()
    shown = at or git.default_branch(snap)
    at_commit = git.commit_of(at, snap) if at else git.resolve(git.branch_ref(shown, snap))
    infos = [classify(t.name) for t in snap.tags]
    files_at = git.version_files(at_commit)

    prev_driver = _previous(DRIVER, infos, since_driver, snap, at_commit)
    if prev_driver:
        before = git.version_files(prev_driver.name)
        bump = driver_bump(prev_driver.version, before.api, files_at.api, before.schema, files_at.schema)
        driver = {"previous": prev_driver.name,
                  "api": {"from": _triple(before.api), "to": _triple(files_at.api), "change": bump.api_change},
                  "schema": {"from": _triple(before.schema), "to": _triple(files_at.schema),
                             "change": bump.schema_change},
                  "bump": bump.bump, "next": str(bump.next)}
    else:
        driver = {"previous": None, "api": {"from": None, "to": _triple(files_at.api), "change": "none"},
                  "schema": {"from": None, "to": _triple(files_at.schema), "change": "none"},
                  "bump": None, "next": "1.0.0+driver"}

    prev_libs = _previous(LIBS, infos, since_libs, snap, at_commit)
    if prev_libs:
        before = git.version_files(prev_libs.name)
        v = prev_libs.version
        libs = {"previous": prev_libs.name,
                "plugin_api": {"from": _triple(before.plugin_api), "to": _triple(files_at.plugin_api),
                               "change": change_between(before.plugin_api, files_at.plugin_api),
                               "header_changed": before.plugin_header_blob != files_at.plugin_header_blob},
                "next_minor": str(v.bump_minor()), "next_patch": str(v.bump_patch())}
    else:
        libs = {"previous": None,
                "plugin_api": {"from": None, "to": _triple(files_at.plugin_api), "change": "none",
                               "header_changed": False},
                "next_minor": "0.1.0", "next_patch": None}
    return {"at": shown, "commit": at_commit, "driver": driver, "libs": libs}


# --- check -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckReport:
    at: str
    commit: str
    branch: str | None
    results: tuple[CheckResult, ...]
    tags: tuple[str, ...] = ()  # the tags that were checked

    @property
    def ok(self) -> bool:
        return not any(r.blocks for r in self.results)

    def as_json(self) -> dict:
        return {"ok": self.ok, "at": self.at, "commit": self.commit, "branch": self.branch,
                "checks": [r.as_dict() for r in self.results]}


def _default_target(git: GitService, snap: RefSnapshot, libs: str | None) -> str:
    """Where a tag would go: the libs version's release branch when it exists, else the checked-out release
    branch, else the default branch (the checks then say the branch must be cut first)."""
    if libs:
        try:
            name = release_branch_name(parse_version(libs), git.config.release_branch_prefix)
        except VersionError:
            name = None
        if name and snap.branch_head(name):
            return name
    if snap.head_branch and parse_release_branch(snap.head_branch, git.config.release_branch_prefix):
        return snap.head_branch
    return git.default_branch(snap)


def _target_branch(git: GitService, snap: RefSnapshot, at: str, commit: str) -> str | None:
    prefix = git.config.release_branch_prefix
    name = at.removeprefix("refs/heads/").removeprefix(f"refs/remotes/{git.config.remote}/")
    name = name.removeprefix(f"{git.config.remote}/")
    if parse_release_branch(name, prefix) and snap.branch_head(name):
        return name
    heads = {n for n, sha in (*snap.local_branches.items(), *snap.remote_branches.items())
             if sha == commit and parse_release_branch(n, prefix)}
    return heads.pop() if len(heads) == 1 else None


def check(git: GitService, libs: str | None = None, driver: str | None = None, at: str | None = None) -> CheckReport:
    """Every versioning check for tagging `libs` and/or `driver` at `at`."""
    if libs is None and driver is None:
        raise InputError("nothing to check: pass --libs VERSION and/or --driver VERSION")
    snap = git.refs()
    at = at or _default_target(git, snap, libs)
    commit = git.commit_of(at, snap)
    branch = _target_branch(git, snap, at, commit)
    tags = tuple(classify(t.name) for t in snap.tags)
    branch_tags: tuple[TagInfo, ...] = ()
    if branch:
        fact = next((b for b in git.release_branches(snap) if b.name == branch), None)
        branch_tags = tuple(classify(n) for n in fact.tags) if fact else ()
    try:
        remote_tags, remote_error = git.remote_tags(), None
    except RemoteUnavailable as exc:
        remote_tags, remote_error = None, str(exc)
    state = TargetState(
        ref=at, commit=commit, branch=branch, branch_local_head=snap.local_branches.get(branch or ""),
        branch_remote_head=snap.remote_branches.get(branch or ""), branch_tags=branch_tags,
        worktree_dirty=tuple(git.dirty_paths()), remote_tags=remote_tags, remote_error=remote_error,
        files=git.version_files(commit), default_branch=git.default_branch(snap),
    )
    results: list[CheckResult] = []
    for line, text in ((LIBS, libs), (DRIVER, driver)):
        if text is None:
            continue
        results += check_release(line, text, tags, state, _baseline(git, tags, line, text, commit), git.config)
    results += check_target_state(state)
    return CheckReport(at, commit, branch, tuple(results), tuple(t for t in (libs, driver) if t is not None))


def _baseline(git: GitService, tags: tuple[TagInfo, ...], line: str, text: str, commit: str) -> Baseline:
    try:
        version = parse_version(text)
    except VersionError:
        return Baseline(None)
    prev = previous_release(tags, line, version)
    if prev is None:
        return Baseline(None)
    return Baseline(prev, git.version_files(prev.name), tuple(git.changed_paths(prev.name, commit)))


# --- candidates --------------------------------------------------------------------------------------------------

def candidates(git: GitService, branch: str, prs: set[int] | None = None) -> dict:
    """Backport candidates; `prs` keeps only the commits of those pull requests (a milestone's)."""
    snap = git.refs(tags=False)
    if not snap.branch_head(branch):
        raise UnknownRef(f"unknown branch {branch!r} (neither local nor on {git.config.remote})")
    report = git.candidates(branch, snap=snap)
    return {
        "branch": report.branch,
        "upstream": report.upstream,
        "fork_point": report.fork_point,
        "commits": [{"sha": c.commit.sha, "subject": c.commit.subject, "author": c.commit.author,
                     "email": c.commit.email, "date": c.commit.date, "pr": c.pr, "applied": c.applied,
                     "evidence": c.evidence, "applied_as": c.applied_as}
                    for c in report.candidates if prs is None or c.pr in prs],
    }


# --- forge: milestones and release notes -------------------------------------------------------------------------

@dataclass(frozen=True)
class MilestoneView:
    milestone: Milestone
    phase: PhaseStatus
    progress: Progress

    def as_json(self) -> dict:
        m, p = self.milestone, self.phase
        return {"number": m.number, "title": m.title, "state": m.state,
                "due_on": m.due_on.isoformat() if m.due_on else None, "days_left": p.days_left,
                "phase": p.phase.value, "overdue": p.overdue, "open": m.open_items, "closed": m.closed_items,
                "release_branch": self.progress.branch_exists, "rc_tags": list(self.progress.rc_tags),
                "final_tag": self.progress.final_tag}


def milestone_views(forge: Forge, status: Status, today: date, schedule: Schedule) -> list[MilestoneView]:
    """Open milestones, soonest due first, each with its phase derived from the calendar and git."""
    return milestone_views_of(forge.milestones("open"), status, today, schedule)


def milestone_views_of(milestones: list[Milestone], status: Status, today: date,
                       schedule: Schedule) -> list[MilestoneView]:
    infos = [t for t, _ in status.tags]
    names = [b.name for b in status.branches]
    views = []
    for m in milestones:
        progress = progress_for(m.title, infos, names)
        views.append(MilestoneView(m, derive_phase(m.due_on, today, progress, schedule), progress))
    return views


def release_notes(forge: Forge, milestone: str, released_on: date) -> ReleaseNotes:
    """Notes for a milestone from its merged PRs (an unknown milestone is a NotFound naming the open ones)."""
    return build_notes(milestone, forge.milestone_items(milestone), released_on)


# --- the tags overview and the next tags to check -------------------------------------------------------------------

@dataclass(frozen=True)
class TagRow:
    line: str
    kind: str  # "latest" | "rc" | "irregular"
    name: str
    commit: str
    branch: str | None
    note: str = ""


def tag_overview(status: Status) -> list[TagRow]:
    """Per line: the latest release, then the RCs of the release in progress (or of the latest release when
    none is in progress), then the irregular tags with their reason."""
    branch_of: dict[str, str] = {}
    for b in reversed(status.branches):  # the newest branch wins for a tag on a shared fork point
        for name in b.tags:
            branch_of[name] = b.name
    rows: list[TagRow] = []
    infos = [t for t, _ in status.tags]
    commit_of = {t.name: c for t, c in status.tags}
    for line in LINES:
        rel = releases(infos, line)
        latest = rel[0] if rel else None
        if latest:
            rows.append(TagRow(line, "latest", latest.name, commit_of[latest.name], branch_of.get(latest.name),
                               "latest"))
        pre = prereleases(infos, line)
        target = core_of(pre[0]) if pre else None  # the newest release that had RCs
        in_progress = target is not None and (latest is None or target > core_of(latest))
        rcs = sorted((t for t in pre if core_of(t) == target), key=lambda t: t.version)
        note = "in progress" if in_progress else f"rc of {target}"
        rows += [TagRow(line, "rc", t.name, commit_of[t.name], branch_of.get(t.name), note) for t in rcs]
    rows += [TagRow(info.line or "-", "irregular", info.name, commit or "", branch_of.get(info.name), info.irregular)
             for info, commit in status.tags if info.irregular]
    return rows


def core_of(info: TagInfo) -> semver.Version:
    v = info.version
    return semver.Version(v.major, v.minor, v.patch)


def next_tag(tags: list[TagInfo], line: str, version: semver.Version) -> str | None:
    """The next tag of a release: its next RC, or None when the final is already tagged."""
    target = semver.Version(version.major, version.minor, version.patch)
    same = [t for t in tags if t.line == line and t.regular and core_of(t) == target]
    if any(not t.prerelease for t in same):
        return None
    n = max((t.rc or 0 for t in same), default=0) + 1
    suffix = "+driver" if line == DRIVER else ""
    return f"{target}-rc{n}{suffix}"


@dataclass(frozen=True)
class NextTags:
    """The tags the next tagging of a milestone's release would create, and where."""

    libs: str | None
    driver: str | None
    at: str | None  # the release branch when it exists

    @property
    def any(self) -> bool:
        return bool(self.libs or self.driver)


def next_release_tags(git: GitService, milestone: str, final: bool = False) -> NextTags | None:
    """For a milestone naming a release (`0.26.0` or `10.1.0+driver`): its next RC (or its final), with the
    computed driver version's next RC (or final) riding along a libs release; None for other titles."""
    try:
        version = parse_version(milestone.removeprefix("v"))
    except VersionError:
        return None
    snap = git.refs()
    infos = [classify(t.name) for t in snap.tags]
    names = {t.name for t in infos}

    def wanted(line: str, v: semver.Version) -> str | None:
        if final:
            text = str(semver.Version(v.major, v.minor, v.patch, build="driver" if line == DRIVER else None))
            return None if text in names else text
        return next_tag(infos, line, v)

    if version.build == "driver":
        return NextTags(None, wanted(DRIVER, version), None)
    branch = release_branch_name(version, git.config.release_branch_prefix)
    at = branch if snap.branch_head(branch) else None
    computed = parse_version(next_versions(git, at=at)["driver"]["next"])
    return NextTags(wanted(LIBS, version), wanted(DRIVER, computed), at)


def release_checks(git: GitService, milestone: str) -> CheckReport | None:
    """The checks for the next tag of the release a milestone names (see next_release_tags)."""
    tags = next_release_tags(git, milestone)
    if tags is None or not tags.any:
        return None
    if tags.libs is None and not milestone.endswith("+driver"):
        return None  # the libs release is final already
    return check(git, libs=tags.libs, driver=tags.driver, at=tags.at)


def next_branch_tags(git: GitService, branch: str) -> NextTags | None:
    """What to tag next on a release branch: the next RC of M.m.0 before its final, else the next patch release;
    the driver rides along only when driver code changed since the previous driver release (the driver rule)."""
    series = parse_release_branch(branch, git.config.release_branch_prefix)
    if series is None:
        return None
    base = f"{series[0]}.{series[1]}.0"
    tags = next_release_tags(git, base)
    if tags is not None and tags.libs is not None:
        return tags  # no final yet: the next RC
    snap = git.refs()
    infos = [classify(t.name) for t in snap.tags]
    finals = [t for t in releases(infos, LIBS) if (t.version.major, t.version.minor) == series]
    libs = str(finals[0].version.bump_patch()) if finals else base
    head = git.commit_of(branch, snap)
    reachable = [classify(n) for n in git.tags_merged_into(head)]
    on_branch = releases(reachable, DRIVER)  # an older line's patch follows its own previous driver release
    nxt = next_versions(git, at=branch, since_driver=on_branch[0].name if on_branch else None)
    driver = None
    previous = nxt["driver"]["previous"]
    if previous and any(p.startswith(git.config.driver_path_prefix) for p in git.changed_paths(previous, head)):
        driver = nxt["driver"]["next"]
    return NextTags(libs, driver, branch)
