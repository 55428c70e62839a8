"""The tags overview per line, and the next tags (RC or final) to check for a milestone or a branch."""

from __future__ import annotations

from dataclasses import dataclass

import semver

from cockpit.core.branches import parse_release_branch, release_branch_name
from cockpit.core.lines import DRIVER, LIBS, TagInfo, classify, prereleases, releases
from cockpit.core.versions import VersionError, parse_version
from cockpit.services.git import GitService
from cockpit.workflows.reports.check import CheckReport, check
from cockpit.workflows.reports.next_versions import next_versions
from cockpit.workflows.reports.status import LINES, Status


@dataclass(frozen=True, slots=True)
class TagRow:
    """One row of the dashboard's tags panel: a line's latest release, an RC of the release in progress, or an
    irregular tag with why it can never be a release."""

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


@dataclass(frozen=True, slots=True)
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
    computed = parse_version(next_versions(git, at=at).driver.next)
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
    previous = nxt.driver.previous
    if previous and any(p.startswith(git.config.driver_path_prefix) for p in git.changed_paths(previous, head)):
        driver = nxt.driver.next
    return NextTags(libs, driver, branch)
