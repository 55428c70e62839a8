"""Versioning checks: pure functions from facts to CheckResults.

Severity `error` blocks tagging and can never be overridden (the versioning rules allow no exceptions);
`warning` needs an explicit acknowledgement; `info` is shown. Every check explains itself: a message, the
evidence it looked at, and a hint that fixes it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import semver

from cockpit.core.branches import parse_release_branch, release_branch_name
from cockpit.core.config import ProjectConfig
from cockpit.core.driver_rule import driver_bump
from cockpit.core.lines import DRIVER, DRIVER_BUILD, LIBS, TagInfo, releases
from cockpit.core.version_files import VersionFiles, triggered
from cockpit.core.versions import VersionError, core_version, parse_version, rc_number

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class CheckResult:
    id: str
    severity: Severity
    ok: bool
    message: str
    evidence: tuple[str, ...] = ()
    fix_hint: str = ""

    @property
    def blocks(self) -> bool:
        return not self.ok and self.severity == "error"

    def as_dict(self) -> dict:
        return {"id": self.id, "severity": self.severity, "ok": self.ok, "message": self.message,
                "evidence": list(self.evidence), "fix_hint": self.fix_hint}


@dataclass(frozen=True)
class TargetState:
    """Where a tag would go and the state of the repository around it."""

    ref: str  # as the user named it
    commit: str
    branch: str | None  # the release branch the tag goes on; None when the target is not a release branch
    branch_local_head: str | None = None
    branch_remote_head: str | None = None
    branch_tags: tuple[TagInfo, ...] = ()  # tags already on that branch
    worktree_dirty: tuple[str, ...] = ()
    remote_tags: frozenset[str] | None = None  # None when the remote could not be read
    remote_error: str | None = None
    files: VersionFiles = field(default_factory=VersionFiles)
    default_branch: str = "master"


@dataclass(frozen=True)
class Baseline:
    """The previous release of a line and what changed between it and the target."""

    tag: TagInfo | None
    files: VersionFiles | None = None
    changed_paths: tuple[str, ...] = ()


def ok(id: str, severity: Severity, message: str, *evidence: str) -> CheckResult:
    return CheckResult(id, severity, True, message, tuple(evidence))


def fail(id: str, severity: Severity, message: str, fix: str, *evidence: str) -> CheckResult:
    return CheckResult(id, severity, False, message, tuple(evidence), fix)


def not_applicable(id: str, why: str) -> CheckResult:
    return CheckResult(id, "info", True, f"not applicable: {why}")


def previous_release(tags: Iterable[TagInfo], line: str, version: semver.Version) -> TagInfo | None:
    """The highest regular release of `line` below `version` (its core version for a pre-release)."""
    target = core_version(version)
    below = [t for t in releases(tuple(tags), line) if core_version(t.version) < target]
    return below[0] if below else None


# --- the version string itself -------------------------------------------------------------------------------

def check_semver(text: str) -> tuple[CheckResult, semver.Version | None]:
    try:
        version = parse_version(text)
    except VersionError as exc:
        return fail("semver.valid", "error", str(exc), "use MAJOR.MINOR.PATCH[-rcN][+driver], e.g. 0.26.0-rc1"), None
    return ok("semver.valid", "error", f"{text} is a valid SemVer 2.0 version"), version


def check_line_rules(line: str, version: semver.Version) -> list[CheckResult]:
    if line == LIBS:
        results = [
            ok("libs.major-zero", "error", "libs major is 0")
            if version.major == 0
            else fail("libs.major-zero", "error", f"libs major must be 0, {version} has major {version.major}",
                      "libs versions are 0.MINOR.PATCH (driver versions carry +driver)"),
            ok("libs.no-build-metadata", "error", "libs tags carry no build metadata")
            if version.build is None
            else fail("libs.no-build-metadata", "error", f"libs tag {version} carries build metadata "
                      f"{version.build!r}", "drop the '+...' part; only driver tags carry '+driver'"),
        ]
        return results
    return [
        ok("driver.major", "error", "driver major is >= 1")
        if version.major >= 1
        else fail("driver.major", "error", f"driver major must be >= 1, {version} has major {version.major}",
                  "driver versions start at 1.0.0+driver"),
        ok("driver.build-metadata", "error", "driver build metadata is exactly 'driver'")
        if version.build == DRIVER_BUILD
        else fail("driver.build-metadata", "error",
                  f"driver build metadata must be exactly 'driver', {version} has {version.build!r}",
                  f"tag {_driver_spelling(version)} (a pre-release goes before '+': 10.1.0-rc2+driver)"),
    ]


def _driver_spelling(version: semver.Version) -> semver.Version:
    """The driver tag the user most likely meant: `7.1.0+driver-rc1` -> `7.1.0-rc1+driver`."""
    build = version.build or ""
    for sep in ("-", "."):
        if build.startswith(DRIVER_BUILD + sep) and not version.prerelease:
            try:
                return version.replace(prerelease=build[len(DRIVER_BUILD) + 1:], build=DRIVER_BUILD)
            except ValueError:
                break
    return version.replace(build=DRIVER_BUILD)


# --- the tag among the existing ones ------------------------------------------------------------------------

def check_tag_absent(name: str, tags: Iterable[TagInfo], state: TargetState) -> CheckResult:
    local = {t.name for t in tags}
    if name in local:
        return fail("tag.absent", "error", f"tag {name} already exists locally",
                    "pick the next version (cockpit next), or delete the stray local tag yourself", f"local: {name}")
    if state.remote_tags is None:
        return fail("tag.absent", "warning", f"tag {name} is not local; the remote could not be read",
                    "check the remote is reachable (git ls-remote --tags origin)",
                    state.remote_error or "remote unknown")
    if name in state.remote_tags:
        return fail("tag.absent", "error", f"tag {name} already exists on the remote",
                    "git fetch --tags, then pick the next version", f"remote: {name}")
    return ok("tag.absent", "error", f"tag {name} exists neither locally nor on the remote")


def check_increases(line: str, version: semver.Version, tags: Iterable[TagInfo]) -> CheckResult:
    """Greater than the line's latest release (of its own M.m series for a patch) and skipping nothing."""
    rels = releases(tuple(tags), line)
    target = core_version(version)
    if not rels:
        return ok("version.increases", "error", f"first {line} release")
    if any(core_version(t.version) == target for t in rels):
        return fail("version.increases", "error", f"{target} is already released on the {line} line",
                    "use the next version (cockpit next)", f"released: {target}")
    same_series = [t for t in rels if (t.version.major, t.version.minor) == (target.major, target.minor)]
    if same_series:
        top = core_version(same_series[0].version)
        if target < top:
            return fail("version.increases", "error", f"{target} is lower than {top}, the latest "
                        f"{top.major}.{top.minor} release", f"use {top.bump_patch()}", f"latest: {same_series[0].name}")
        expected = top.bump_patch()
        if target != expected:
            return fail("version.increases", "warning", f"{top} -> {target} skips {expected}",
                        f"use {expected} unless skipping is intended", f"latest: {same_series[0].name}")
        return ok("version.increases", "error", f"{target} follows {top}", f"latest: {same_series[0].name}")
    latest = core_version(rels[0].version)
    if target < latest:
        return fail("version.increases", "error", f"{target} starts a series below the latest {line} release "
                    f"{latest}", f"use {latest.bump_minor()}", f"latest: {rels[0].name}")
    allowed = {latest.bump_minor(), latest.bump_major()}
    if target not in allowed:
        expected = latest.bump_minor()
        return fail("version.increases", "warning", f"{latest} -> {target} skips {expected}",
                    f"use {expected} unless skipping is intended", f"latest: {rels[0].name}")
    return ok("version.increases", "error", f"{target} follows {latest}", f"latest: {rels[0].name}")


def check_rc_sequence(line: str, version: semver.Version, tags: Iterable[TagInfo]) -> CheckResult:
    if not version.prerelease:
        return not_applicable("rc.sequence", "a final release")
    number = rc_number(version)
    if number is None:
        return fail("rc.sequence", "warning", f"pre-release {version.prerelease!r} is not -rcN",
                    "release candidates are tagged -rc1, -rc2, ...")
    target = core_version(version)
    tags = tuple(tags)
    if any(t.line == line and t.is_release and core_version(t.version) == target for t in tags):
        return fail("rc.sequence", "error", f"{target} is already released: no RC follows its final",
                    f"tag a patch release instead ({target.bump_patch()})")
    existing = sorted(t.rc for t in tags if t.line == line and t.regular and t.rc is not None
                      and core_version(t.version) == target)
    expected = (existing[-1] + 1) if existing else 1
    evidence = tuple(f"existing: rc{n}" for n in existing)
    if number != expected:
        dot = "." if version.prerelease.startswith("rc.") else ""  # keep the user's -rcN / -rc.N form
        return fail("rc.sequence", "error", f"rc{number} is out of sequence: the next RC of {target} is rc{expected}",
                    f"tag {version.replace(prerelease=f'rc{dot}{expected}')}", *evidence)
    return ok("rc.sequence", "error", f"rc{number} is the next RC of {target}", *evidence)


# --- where the tag goes ---------------------------------------------------------------------------------------

def check_branch(line: str, version: semver.Version, state: TargetState, prefix: str) -> list[CheckResult]:
    target = core_version(version)
    if state.branch is None:
        if line == LIBS:
            expected = release_branch_name(target, prefix)
            fix = (f"cut it first: git branch {expected} origin/{state.default_branch} && git push origin {expected}"
                   if target.patch == 0 else f"tag on {expected}")
        else:
            expected, fix = f"a {prefix}M.m.x branch", "tag on the libs release branch being released"
        msg = f"{state.ref} is not a release branch: {version} must be tagged on {expected}"
        return [fail("branch.placement", "error", msg, fix)]
    series = parse_release_branch(state.branch, prefix)
    results = []
    if line == LIBS:
        if series == (target.major, target.minor):
            results.append(ok("branch.name-matches", "error", f"{state.branch} matches {version}"))
        else:
            expected = release_branch_name(target, prefix)
            results.append(fail("branch.name-matches", "error", f"{state.branch} does not match {version}: "
                                f"it belongs on {expected}", f"tag on {expected}"))
    else:
        results.append(not_applicable("branch.name-matches", "driver tags go on the libs release branch"))
    earlier_finals = [t for t in state.branch_tags if t.line == line and t.is_release
                      and core_version(t.version) < target]
    if target.patch == 0 and earlier_finals:
        results.append(fail("branch.placement", "error", f"{state.branch} already carries {earlier_finals[0].name}: "
                            f"a new {'major' if target.minor == 0 else 'minor'} comes from a new branch",
                            f"cut {release_branch_name(target, prefix)} from the default branch"
                            if line == LIBS else "tag it on the new libs release branch",
                            *(t.name for t in earlier_finals[:5])))
    elif target.patch > 0:
        results.append(ok("branch.placement", "error", f"patch release {target} is tagged on {state.branch}"))
    else:
        results.append(ok("branch.placement", "error", f"{state.branch} is a new branch for {target}"))
    return results


def check_target_state(state: TargetState) -> list[CheckResult]:
    results = []
    if state.branch is not None:
        head = state.branch_local_head or state.branch_remote_head
        if state.commit == head:
            results.append(ok("tag.target-is-head", "error", f"the target is the head of {state.branch}",
                              f"head: {head}"))
        else:
            results.append(fail("tag.target-is-head", "error", f"the target {state.commit[:12]} is not the head of "
                                f"{state.branch} ({(head or '?')[:12]})", f"tag {state.branch} itself",
                                f"target: {state.commit}", f"head: {head}"))
        if state.branch_remote_head is None:
            results.append(fail("branch.pushed", "error", f"{state.branch} is not on the remote",
                                f"git push origin {state.branch}"))
        elif state.branch_local_head not in (None, state.branch_remote_head):
            results.append(fail("branch.pushed", "error", f"local {state.branch} differs from the remote",
                                f"git push origin {state.branch} (or pull, if the remote moved)",
                                f"local: {state.branch_local_head}", f"remote: {state.branch_remote_head}"))
        else:
            results.append(ok("branch.pushed", "error", f"{state.branch} is pushed (local == remote)"))
    if state.worktree_dirty:
        results.append(fail("worktree.clean", "error", f"the worktree has {len(state.worktree_dirty)} uncommitted "
                            "change(s)", "commit or stash them first", *state.worktree_dirty[:10]))
    else:
        results.append(ok("worktree.clean", "error", "the worktree is clean"))
    return results


# --- version files --------------------------------------------------------------------------------------------

def check_driver_files(version: semver.Version, state: TargetState, base: Baseline,
                       config: ProjectConfig) -> list[CheckResult]:
    if base.tag is None or base.files is None:
        return [not_applicable("driver.computed", "no earlier driver release to compare with")]
    missing = [f"{name} at {where}" for name, where, value in (
        (config.files.api_version, base.tag.name, base.files.api),
        (config.files.api_version, state.ref, state.files.api),
        (config.files.schema_version, base.tag.name, base.files.schema),
        (config.files.schema_version, state.ref, state.files.schema)) if value is None]
    if missing:
        return [fail("driver.computed", "error", "cannot compute the driver version: a version file is missing or "
                     "its first line is not X.Y.Z", "restore the file (its first line is X.Y.Z)", *missing)]
    computed = driver_bump(base.tag.version, base.files.api, state.files.api, base.files.schema, state.files.schema)
    evidence = (f"previous: {base.tag.name}",
                f"API_VERSION {base.files.api} -> {state.files.api} ({computed.api_change})",
                f"SCHEMA_VERSION {base.files.schema} -> {state.files.schema} ({computed.schema_change})")
    target = core_version(version)
    expected = core_version(computed.next)
    results = [
        ok("driver.computed", "error", f"{target} is the computed driver version ({computed.bump} bump)", *evidence)
        if target == expected
        else fail("driver.computed", "error", f"driver version {target} differs from the computed {expected} "
                  f"({computed.bump} bump since {base.tag.name})", f"tag {computed.next}", *evidence)
    ]
    for name, changed, patterns in (
        ("API_VERSION", computed.api_change, config.api_triggers),
        ("SCHEMA_VERSION", computed.schema_change, config.schema_triggers),
    ):
        check_id = f"driver.{name.split('_')[0].lower()}-bumped"
        hits = triggered(base.changed_paths, patterns)
        if hits and changed in ("none", "down"):
            results.append(fail(check_id, "warning", f"{name} is unchanged since {base.tag.name} although "
                                f"{len(hits)} file(s) that trigger it changed",
                                f"bump the first line of driver/{name} (major, minor or patch per the change) "
                                "and commit",
                                *hits[:8]))
        else:
            results.append(ok(check_id, "warning", f"{name}: {'bumped' if hits else 'no triggering change'}"))
    return results


def check_libs_files(state: TargetState, base: Baseline, config: ProjectConfig) -> list[CheckResult]:
    results = []
    header = config.files.plugin_header
    if base.tag is None or base.files is None:
        results.append(not_applicable("libs.plugin-api-bumped", "no earlier libs release to compare with"))
    else:
        changed = header in base.changed_paths
        same = base.files.plugin_api == state.files.plugin_api
        if changed and (state.files.plugin_api is None or base.files.plugin_api is None):
            results.append(fail("libs.plugin-api-bumped", "warning", f"{header} changed since {base.tag.name} but "
                                "its PLUGIN_API_VERSION_MAJOR/MINOR/PATCH macros cannot be read",
                                "restore the three #define PLUGIN_API_VERSION_* macros", f"changed: {header}"))
        elif changed and same:
            results.append(fail("libs.plugin-api-bumped", "warning", f"{header} changed since {base.tag.name} but "
                                f"the plugin API version is still {state.files.plugin_api}",
                                "bump the PLUGIN_API_VERSION_* macros (major, minor or patch per the change), commit",
                                f"changed: {header}"))
        else:
            results.append(ok("libs.plugin-api-bumped", "warning",
                              f"plugin API {base.files.plugin_api} -> {state.files.plugin_api}"
                              + ("" if changed else " (header unchanged)")))
    f = state.files
    for what, minimum, actual in (("API", f.scap_min_api, f.api), ("SCHEMA", f.scap_min_schema, f.schema)):
        check_id = f"libs.min-driver-{what.lower()}"
        if minimum is None or actual is None:
            results.append(not_applicable(check_id, f"minimum driver {what} version or {what}_VERSION not found"))
        elif minimum > actual:
            results.append(fail(check_id, "error", f"libscap needs driver {what} {minimum} but the driver files say "
                                f"{actual}", f"bump driver/{what}_VERSION or lower the minimum in "
                                f"{config.files.scap_header}", f"minimum: {minimum}", f"{what}_VERSION: {actual}"))
        else:
            results.append(ok(check_id, "error", f"libscap's minimum driver {what} {minimum} <= {actual}"))
    return results


# --- all of them --------------------------------------------------------------------------------------------

def check_release(line: str, text: str, tags: tuple[TagInfo, ...], state: TargetState, base: Baseline,
                  config: ProjectConfig) -> list[CheckResult]:
    """Every check for tagging `text` on `line` at the target."""
    if line not in (LIBS, DRIVER):
        return [fail("line.known", "error", f"unknown version line {line!r}", "use libs or driver")]
    semver_result, version = check_semver(text)
    results = [semver_result]
    if version is None:
        return results
    results += check_line_rules(line, version)
    results.append(check_tag_absent(text, tags, state))
    results.append(check_increases(line, version, tags))
    results.append(check_rc_sequence(line, version, tags))
    results += check_branch(line, version, state, config.release_branch_prefix)
    if line == DRIVER:
        results += check_driver_files(version, state, base, config)
    else:
        results += check_libs_files(state, base, config)
    return results


def summary(results: Iterable[CheckResult]) -> dict[str, int]:
    """Failed checks counted by severity."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for r in results:
        if not r.ok:
            counts[r.severity] += 1
    return counts
