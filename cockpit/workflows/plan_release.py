"""Plan a release: the milestone named after the libs version with its due date (the phases follow from it), and
the driver line's milestone (the generic `next-driver` renamed once its version is known). The versions are
suggested by `next`; they are checked again, for real, when they are tagged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cockpit.core.branches import parse_release_branch, release_branch_name
from cockpit.core.checks import (
    CheckResult,
    check_increases,
    check_line_rules,
    check_semver,
    fail,
    not_applicable,
    ok,
)
from cockpit.core.cycle_rules import check_new_minor
from cockpit.core.forge_models import Milestone
from cockpit.core.lines import DRIVER, LIBS, classify, releases
from cockpit.core.phases import timeline
from cockpit.core.plan import Plan, Step
from cockpit.core.versions import VersionError, parse_version
from cockpit.services.forge.base import Forge, NotFound
from cockpit.services.git import GitService, RefSnapshot
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id
from cockpit.workflows.milestones import create_step
from cockpit.workflows.reports.next_versions import next_versions

GENERIC_DRIVER_MILESTONE = "next-driver"


@dataclass(frozen=True)
class InProgress:
    """The release cycle as git tells it: the highest libs series started (a release branch cut, or a tag of it),
    and whether that series is still unreleased (cut, RCs, no final yet)."""

    series: tuple[int, int] | None
    unreleased: bool


def libs_in_progress(git: GitService) -> InProgress:
    snap = git.refs()
    infos = [classify(t.name) for t in snap.tags]
    started = started_series(git, snap)
    started += [(t.version.major, t.version.minor) for t in infos if t.line == LIBS and t.regular]
    if not started:
        return InProgress(None, False)
    top = max(started)
    finals = {(t.version.major, t.version.minor) for t in releases(infos, LIBS) if t.version.patch == 0}
    return InProgress(top, top not in finals)


def suggested(git: GitService, forge: Forge | None = None) -> tuple[str, str]:
    """The libs minor and the driver version the next release to plan carries. The libs minor follows the highest
    series started (a cut branch or its RCs is a release in progress: the plan is for the one after it). The driver
    version is computed from the newest driver release, wherever it is tagged (`next` leaves out a release on the
    default branch's head itself, but a plan made right after it must follow it); when that version belongs to the
    release in progress (its milestone exists, or the libs release is cut and unreleased) the next driver's version
    is not known yet, and the plan uses the generic `next-driver` milestone."""
    infos = [classify(t.name) for t in git.refs().tags]
    newest = {line: found[0].name if (found := releases(infos, line)) else None for line in (LIBS, DRIVER)}
    nxt = next_versions(git, since_libs=newest[LIBS], since_driver=newest[DRIVER])
    libs, driver = nxt.libs.next_minor, nxt.driver.next
    progress = libs_in_progress(git)
    if progress.series is not None:
        after = f"{progress.series[0]}.{progress.series[1] + 1}.0"
        if parse_version(after) > parse_version(libs):
            libs = after
    if progress.unreleased or (forge is not None and _exists(forge, driver)):
        driver = GENERIC_DRIVER_MILESTONE
    return libs, driver


def _exists(forge: Forge, title: str) -> Milestone | None:
    try:
        return forge.milestone(title)
    except NotFound:
        return None


def version_checks(git: GitService, line: str, text: str) -> list[CheckResult]:
    result, version = check_semver(text)
    if version is None:
        return [result]
    snap = git.refs()
    tags = tuple(classify(t.name) for t in snap.tags)
    if line == LIBS and version.patch == 0 and not version.prerelease:  # a new minor follows the series started
        return [result, *check_line_rules(line, version), check_new_minor(version, tags, started_series(git, snap))]
    return [result, *check_line_rules(line, version), check_increases(line, version, tags)]


def started_series(git: GitService, snap: RefSnapshot) -> list[tuple[int, int]]:
    """The libs series whose release branch is cut (locally or on the remote)."""
    prefix = git.config.release_branch_prefix
    return [s for n in git.release_branch_names(snap) if (s := parse_release_branch(n, prefix))]


def propose_release_milestones(git: GitService, forge: Forge, due: date, today: date, libs: str | None = None,
                               driver: str | None = None, with_driver: bool = True) -> Plan:
    """The milestones of the next release (libs, and the driver line's unless `with_driver` is off) with the due
    date its phases follow from; versions default to `suggested`. Bad versions and dates are failing checks of the
    plan, so it always has one to show."""
    libs_default, driver_default = suggested(git, forge)
    libs = libs or libs_default
    driver = (driver or driver_default) if with_driver else None
    tl = timeline(due, git.config.schedule)
    checks: list[CheckResult] = version_checks(git, LIBS, libs)
    checks.append(_not_in_progress(git, libs))
    if driver and driver != GENERIC_DRIVER_MILESTONE:
        checks += version_checks(git, DRIVER, driver)
        if driver != driver_default and driver_default != GENERIC_DRIVER_MILESTONE:
            checks.append(fail("plan.driver-computed", "warning", f"the driver rule gives {driver_default} today, "
                               f"not {driver}", "the driver version is computed from API/SCHEMA changes: it is "
                               "checked again when tagged"))
    days = (due - today).days
    if days < 0:
        checks.append(fail("plan.due", "error", f"the due date {due} is in the past", "pick a future date"))
    elif today >= tl.code_freeze:
        checks.append(fail("plan.due", "warning", f"due in {days} day(s): the release starts in code freeze",
                           "preparation usually starts 4 weeks before"))
    else:
        checks.append(ok("plan.due", "error", f"due in {days} day(s)"))
    description = (f"Release {libs}" + (f" with driver {driver}" if driver else "") + f". Preparation from "
                   f"{tl.preparation}, code freeze from {tl.code_freeze}, release branch ~{tl.release_branch}, "
                   f"due {tl.due}.")
    slug = forge.repository().slug
    steps: list[Step] = []
    existing = _exists(forge, libs)
    if existing is not None:
        checks.append(_existing_due(existing, due))
    first = create_step(slug, libs, due, description)
    shown = first.title if existing is None else f"Milestone {libs} exists: kept (the journal records the due date)"
    steps.append(Step(first.id, shown, first.kind, first.params, first.commands, first.recovery))
    if driver:
        steps += _driver_steps(forge, slug, driver, due, checks)
    note = (f"Phases: preparation {tl.preparation}, code freeze {tl.code_freeze}, release branch "
            f"~{tl.release_branch}, thaw (final tag) {tl.due}")
    title = f"Plan release {libs}" + (f" + {driver}" if driver else "") + f", due {due}"
    return Plan(new_plan_id("plan-release"), title, tuple(steps), tuple(checks), note)


def _driver_steps(forge: Forge, slug: str, driver: str, due: date, checks: list[CheckResult]) -> list[Step]:
    """The driver line's milestone: an existing one is never made again; the generic `next-driver` is renamed once
    the version is known, or made when the version is not known yet (the driver of the release in progress)."""
    existing = _exists(forge, driver)
    if existing is not None:
        checks.append(ok("plan.driver-milestone", "warning", f"milestone {driver} exists already "
                         f"({existing.state}): it is kept as it is"))
        return []
    if driver != GENERIC_DRIVER_MILESTONE and _exists(forge, GENERIC_DRIVER_MILESTONE) is not None:
        rename = {"from": GENERIC_DRIVER_MILESTONE, "to": driver, "repo": slug}
        return [Step("rename-driver", f"Rename milestone {GENERIC_DRIVER_MILESTONE} to {driver}", "milestone.rename",
                     rename, preview("milestone.rename", rename), "resume to rename it")]
    made = create_step(slug, driver, due)
    return [Step("create-driver-milestone", made.title, made.kind, made.params, made.commands, made.recovery)]


def _existing_due(existing: Milestone, due: date) -> CheckResult:
    """Planning a release whose milestone exists: its due date is left as it is (the journal says so too)."""
    if existing.due_on == due:
        return ok("plan.milestone-due", "warning", f"milestone {existing.title} exists, due {due} already")
    shown = existing.due_on.isoformat() if existing.due_on else "no due date"
    return fail("plan.milestone-due", "warning", f"milestone {existing.title} exists ({shown}): the due date "
                f"{due} is not applied", f"edit the due date of {existing.title} on the forge if it should change",
                f"{existing.title}: {shown}")


def _not_in_progress(git: GitService, libs: str) -> CheckResult:
    """A libs minor whose branch is cut already is a release in progress: planning it again makes nothing new."""
    try:
        version = parse_version(libs)
    except VersionError:
        return not_applicable("plan.not-in-progress", "not a version")
    branch = release_branch_name(version, git.config.release_branch_prefix)
    snap = git.refs(tags=False)
    if version.patch == 0 and branch in (*snap.local_branches, *snap.remote_branches):
        nxt = version.bump_minor()
        return fail("plan.not-in-progress", "warning", f"{branch} is cut already: {libs} is in progress",
                    f"plan the release after it ({nxt}), or tag {libs}'s RCs and final on {branch}", branch)
    return ok("plan.not-in-progress", "warning", f"{libs} is not cut yet")
