"""The release-cycle rules next to the versioning checks of core.checks: a version file never goes down, a new libs
minor follows the highest series started, an RC changes something, a driver final goes where its RCs went, a libs
tag with driver changes brings its driver tag, and fix hints that name a version nobody has tagged yet. Pure
functions from facts to CheckResults, as in core.checks (whose helpers they use)."""

from __future__ import annotations

from collections.abc import Iterable

import semver

from cockpit.core.checks import Baseline, CheckResult, TargetState, fail, not_applicable, ok
from cockpit.core.lines import DRIVER, DRIVER_BUILD, LIBS, TagInfo, releases
from cockpit.core.versions import Triple, change_between, core_version, rc_number


def version_not_down(name: str, previous: str, before: Triple | None, now: Triple | None) -> CheckResult:
    """A version file lower than at the previous release: an error, whatever the line (nothing goes down)."""
    check_id = "files.not-down." + name.split("_")[0].split(" ")[0].lower()
    if change_between(before, now) == "down":
        return fail(check_id, "error", f"{name} went down since {previous}: {before} -> {now}",
                    f"restore {name} to {before} or higher (versions never go down)", f"{previous}: {before}",
                    f"now: {now}")
    shown = f"{before} -> {now}" if before is not None and now is not None else "not compared (absent)"
    return ok(check_id, "error", f"{name} did not go down since {previous}: {shown}")


def files_down_since(line: str, state: TargetState, base: Baseline) -> list[CheckResult]:
    """The version files of the line, compared with its previous release: none may go down."""
    if base.tag is None or base.files is None:
        return []
    if line == DRIVER:
        return [version_not_down("API_VERSION", base.tag.name, base.files.api, state.files.api),
                version_not_down("SCHEMA_VERSION", base.tag.name, base.files.schema, state.files.schema)]
    return [version_not_down("plugin API version", base.tag.name, base.files.plugin_api, state.files.plugin_api)]


def check_new_minor(version: semver.Version, tags: Iterable[TagInfo],
                    started: Iterable[tuple[int, int]]) -> CheckResult:
    """A new libs minor (a branch cut, a release planned) follows the highest series started, released or not:
    `started` holds the series of the release branches cut; a tag of a series starts it too. Skipping one warns."""
    target = core_version(version)
    seen = set(started) | {(t.version.major, t.version.minor) for t in tags if t.line == LIBS and t.regular}
    if not seen:
        return ok("version.new-minor", "warning", f"{target} starts the libs line")
    top = max(seen)
    shown = f"{top[0]}.{top[1]}"
    mine = (target.major, target.minor)
    if mine in seen:
        return fail("version.new-minor", "error", f"{target.major}.{target.minor} is started already (a release "
                    "branch or a tag of it exists)", f"plan or cut {top[0]}.{top[1] + 1}.0; patch an old release "
                    "with `cockpit branch hotfix`", f"highest series: {shown}")
    if mine < top:
        return fail("version.new-minor", "error", f"{target} is below {shown}, the highest libs series started",
                    f"use {top[0]}.{top[1] + 1}.0", f"highest series: {shown}")
    if mine not in ((top[0], top[1] + 1), (top[0] + 1, 0)):
        expected = f"{top[0]}.{top[1] + 1}.0"
        return fail("version.new-minor", "warning", f"{target} skips {expected}: {top[0]}.{top[1] + 1} was never "
                    "cut, tagged or released", f"use {expected} unless skipping is intended",
                    f"highest series: {shown}")
    return ok("version.new-minor", "warning", f"{target} follows {shown}", f"highest series: {shown}")


def check_rc_moves_on(line: str, version: semver.Version, on_commit: Iterable[TagInfo]) -> CheckResult:
    """An RC on the very commit of an earlier RC of the same release changes nothing a tester could see."""
    if rc_number(version) is None:
        return not_applicable("rc.new-commit", "not a release candidate")
    target = core_version(version)
    same = sorted(t.name for t in on_commit if t.line == line and t.regular and t.rc is not None
                  and core_version(t.version) == target and t.version != version)
    if same:
        return fail("rc.new-commit", "warning", f"{version} would go on the commit of {', '.join(same)}: nothing "
                    "changed since", "backport the fixes first (cockpit candidates), or test the RC there again",
                    *same)
    return ok("rc.new-commit", "warning", f"no earlier RC of {target} is on this commit")


def check_driver_final_where_rc(version: semver.Version, branch: str | None,
                                rcs: Iterable[tuple[str, bool]]) -> CheckResult:
    """A driver final goes on the branch that holds its RC (the RC that was tested): `rcs` are its RC tags, each
    with whether the target commit contains it."""
    if version.prerelease:
        return not_applicable("driver.final-where-rc", "a release candidate")
    rcs = sorted(rcs)
    if not rcs:
        return not_applicable("driver.final-where-rc", f"no RC of {core_version(version)} was tagged")
    held = [name for name, contained in rcs if contained]
    where = branch or "the target"
    if held:
        return ok("driver.final-where-rc", "error", f"{where} holds {held[-1]}", *held)
    return fail("driver.final-where-rc", "error", f"{where} does not hold the RCs of {core_version(version)}: a "
                "driver final goes on the branch its RC was tagged on", f"tag it on the branch that holds "
                f"{rcs[-1][0]}", *(name for name, _ in rcs))


def check_libs_brings_driver(libs: semver.Version, previous_driver: str | None, changed: Iterable[str],
                             driver_on_commit: Iterable[str], suggestion: str) -> CheckResult:
    """A libs release with driver changes since the last driver release ships a driver release with it."""
    if previous_driver is None:
        return not_applicable("libs.driver-tag", "no driver release yet")
    there = sorted(driver_on_commit)
    if there:
        return ok("libs.driver-tag", "warning", f"the commit carries driver tag {there[0]}")
    changed = sorted(changed)
    if not changed:
        return ok("libs.driver-tag", "warning", f"no driver file changed since {previous_driver}")
    return fail("libs.driver-tag", "warning", f"{len(changed)} driver file(s) changed since {previous_driver} and "
                f"no driver tag goes with {libs}", f"tag the driver with it: --driver {suggestion}", *changed[:8])


def with_prerelease(core: semver.Version, version: semver.Version, tags: Iterable[TagInfo], line: str) \
        -> semver.Version:
    """`core` carrying the pre-release part of `version`: an -rcN becomes the next RC of `core` not tagged yet (the
    user's -rcN / -rc.N form kept), any other pre-release is kept as it is."""
    build = DRIVER_BUILD if line == DRIVER else None
    if not version.prerelease:
        return semver.Version(core.major, core.minor, core.patch, build=build)
    if rc_number(version) is None:
        return semver.Version(core.major, core.minor, core.patch, version.prerelease, build)
    taken = [t.rc for t in tags
             if t.line == line and t.regular and t.rc is not None and core_version(t.version) == core]
    dot = "." if version.prerelease.startswith("rc.") else ""
    return semver.Version(core.major, core.minor, core.patch, f"rc{dot}{max(taken, default=0) + 1}", build)


def free_libs_version(version: semver.Version, tags: Iterable[TagInfo]) -> semver.Version:
    """The version to propose instead of a libs `version` that exists or is released: the next patch of its series
    not released yet, with the same kind of pre-release part."""
    tags = tuple(tags)
    target = core_version(version)
    series = [core_version(t.version) for t in releases(tags, LIBS)
              if (t.version.major, t.version.minor) == (target.major, target.minor)]
    core = max(series).bump_patch() if series and target <= max(series) else target
    return with_prerelease(core, version, tags, LIBS)


def hints_from_state(results: list[CheckResult], line: str, version: semver.Version, tags: Iterable[TagInfo],
                     driver_next: str | None) -> list[CheckResult]:
    """The fix hints of the checks that refuse a version which exists or is released already name the version to
    tag instead, from the state: for libs the next patch not released yet, for the driver what `next` computes;
    the pre-release part is kept (an RC hint names an RC)."""
    tags = tuple(tags)
    released = any(t.line == line and t.is_release and core_version(t.version) == core_version(version)
                   for t in tags)
    if line == LIBS:
        instead = free_libs_version(version, tags)
    elif driver_next:
        computed = core_version(semver.Version.parse(driver_next))
        instead = with_prerelease(computed, version, tags, DRIVER)
    else:
        return results
    fixed = []
    for r in results:
        refuses = (r.id in ("tag.absent", "version.increases") and r.severity == "error") \
            or (r.id == "rc.sequence" and released) or (r.id == "driver.computed" and line == DRIVER)
        if not r.ok and refuses and str(instead) != str(version):
            r = CheckResult(r.id, r.severity, r.ok, r.message, r.evidence, f"tag {instead}")
        fixed.append(r)
    return fixed
