"""Plan a release: the milestone named after the libs version with its due date (the phases follow from it), and
the driver line's milestone (the generic `next-driver` renamed once its version is known). The versions are
suggested by `next`; they are checked again, for real, when they are tagged."""

from __future__ import annotations

from datetime import date

from cockpit.core.checks import CheckResult, check_increases, check_line_rules, check_semver, fail, ok
from cockpit.core.lines import DRIVER, LIBS, classify, releases
from cockpit.core.phases import timeline
from cockpit.core.plan import Plan, Step
from cockpit.services.forge.base import Forge, NotFound
from cockpit.services.git import GitService
from cockpit.workflows import reports
from cockpit.workflows.common import new_plan_id
from cockpit.workflows.milestones import create_step

GENERIC_DRIVER_MILESTONE = "next-driver"


def suggested(git: GitService) -> tuple[str, str]:
    """The next libs minor and the computed next driver version, after the newest release of each line, wherever
    it is tagged: `next` leaves out a release tagged on the default branch's head itself (the one it would be
    checking there), but a plan made right after that release must follow it."""
    infos = [classify(t.name) for t in git.refs().tags]
    newest = {line: found[0].name if (found := releases(infos, line)) else None for line in (LIBS, DRIVER)}
    nxt = reports.next_versions(git, since_libs=newest[LIBS], since_driver=newest[DRIVER])
    return nxt["libs"]["next_minor"], nxt["driver"]["next"]


def version_checks(git: GitService, line: str, text: str) -> list[CheckResult]:
    result, version = check_semver(text)
    if version is None:
        return [result]
    tags = tuple(classify(t.name) for t in git.refs().tags)
    return [result, *check_line_rules(line, version), check_increases(line, version, tags)]


def plan_new_release(git: GitService, forge: Forge, due: date, today: date, libs: str | None = None,
                     driver: str | None = None, with_driver: bool = True) -> Plan:
    libs_default, driver_default = suggested(git)
    libs = libs or libs_default
    driver = (driver or driver_default) if with_driver else None
    tl = timeline(due, git.config.schedule)
    checks: list[CheckResult] = version_checks(git, LIBS, libs)
    if driver:
        checks += version_checks(git, DRIVER, driver)
        if driver != driver_default:
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
    first = create_step(slug, libs, due)
    steps = [Step(first.id, first.title, first.kind, {**first.params, "description": description}, first.commands,
                  first.recovery)]
    if driver:
        driver_title = driver
        try:
            forge.milestone(GENERIC_DRIVER_MILESTONE)
            steps.append(Step("rename-driver", f"Rename milestone {GENERIC_DRIVER_MILESTONE} to {driver_title}",
                              "milestone.rename", {"from": GENERIC_DRIVER_MILESTONE, "to": driver_title},
                              (f"gh api --method PATCH repos/{slug}/milestones/<n> -f title={driver_title}",),
                              "resume to rename it"))
        except NotFound:
            made = create_step(slug, driver_title, due)
            steps.append(Step("create-driver-milestone", made.title, made.kind, made.params, made.commands,
                              made.recovery))
    note = (f"Phases: preparation {tl.preparation}, code freeze {tl.code_freeze}, release branch "
            f"~{tl.release_branch}, thaw (final tag) {tl.due}")
    title = f"Plan release {libs}" + (f" + {driver}" if driver else "") + f", due {due}"
    return Plan(new_plan_id("plan-release"), title, tuple(steps), tuple(checks), note)
