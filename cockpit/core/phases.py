"""Release phases, derived (never stored) from the milestone due date, today and what exists in git, so everyone
who opens the cockpit sees the same phase."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from cockpit.core.branches import release_branch_name
from cockpit.core.config import Schedule
from cockpit.core.lines import DRIVER, DRIVER_BUILD, LIBS, TagInfo
from cockpit.core.versions import VersionError, core_version, parse_version


class Phase(StrEnum):
    PLANNING = "planning"
    PREPARATION = "preparation"
    CODE_FREEZE = "code-freeze"
    RELEASE_BRANCH = "release-branch"
    THAW = "thaw"

    @property
    def title(self) -> str:
        return {
            "planning": "Planning",
            "preparation": "Preparation",
            "code-freeze": "Code freeze",
            "release-branch": "Release branch / RCs",
            "thaw": "Thaw / patches",
        }[self.value]


class Progress(NamedTuple):
    """What git says about one release: its branch, RC tags, final tag."""

    branch_exists: bool = False
    rc_tags: tuple[str, ...] = ()
    final_tag: str | None = None


class Timeline(NamedTuple):
    preparation: date
    code_freeze: date
    release_branch: date
    due: date


class PhaseStatus(NamedTuple):
    phase: Phase
    timeline: Timeline | None
    days_left: int | None  # until the due date; negative when overdue
    overdue: bool


def timeline(due: date, schedule: Schedule | None = None) -> Timeline:
    schedule = schedule or Schedule()
    return Timeline(
        preparation=_before(due, schedule.preparation_days),
        code_freeze=_before(due, schedule.freeze_days),
        release_branch=_before(due, schedule.branch_days),
        due=due,
    )


def _before(due: date, days: int) -> date:
    """`days` before `due`; the calendar's first day when that is before it (a due date in year 1, as a
    hand-written forge file may hold)."""
    try:
        return due - timedelta(days=days)
    except OverflowError:
        return date.min


def derive_phase(due: date | None, today: date, progress: Progress | None = None,
                 schedule: Schedule | None = None) -> PhaseStatus:
    """Git facts win over the calendar: a final tag means thaw, a release branch or an RC means the branch phase."""
    progress = progress or Progress()
    tl = timeline(due, schedule) if due else None
    days_left = (due - today).days if due else None
    if progress.final_tag:
        return PhaseStatus(Phase.THAW, tl, days_left, False)
    overdue = days_left is not None and days_left < 0
    if progress.branch_exists or progress.rc_tags:
        return PhaseStatus(Phase.RELEASE_BRANCH, tl, days_left, overdue)
    if tl is None:
        return PhaseStatus(Phase.PLANNING, None, None, False)
    if today >= tl.code_freeze:
        return PhaseStatus(Phase.CODE_FREEZE, tl, days_left, overdue)
    if today >= tl.preparation:
        return PhaseStatus(Phase.PREPARATION, tl, days_left, False)
    return PhaseStatus(Phase.PLANNING, tl, days_left, False)


def progress_for(title: str, tags: Sequence[TagInfo], branch_names: Iterable[str],
                 prefix: str = "release/") -> Progress:
    """What git shows of the release a milestone names (`0.26.0` or `10.1.0+driver`); nothing for other titles
    such as `next-driver`."""
    try:
        version = parse_version(title.removeprefix("v"))
    except VersionError:
        return Progress()
    target = core_version(version)
    line = DRIVER if version.build == DRIVER_BUILD else LIBS
    same = [t for t in tags if t.line == line and t.regular and core_version(t.version) == target]
    rcs = tuple(sorted((t.name for t in same if t.prerelease), key=lambda n: n))
    final = next((t.name for t in same if not t.prerelease), None)
    branch = line == LIBS and release_branch_name(target, prefix) in set(branch_names)
    return Progress(branch_exists=branch, rc_tags=rcs, final_tag=final)
