"""cockpit.core.phases: the phase follows the calendar until git says otherwise."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cockpit.core.config import Schedule
from cockpit.core.phases import Phase, PhaseStatus, Progress, Timeline, derive_phase, timeline

DUE = date(2025, 6, 30)


def days_before(n: int) -> date:
    return DUE - timedelta(days=n)


def test_timeline_defaults():
    assert timeline(DUE) == Timeline(preparation=date(2025, 6, 2), code_freeze=date(2025, 6, 23),
                                     release_branch=date(2025, 6, 25), due=DUE)


def test_timeline_custom_schedule():
    tl = timeline(DUE, Schedule(preparation_days=14, freeze_days=3, branch_days=2))
    assert (tl.preparation, tl.code_freeze, tl.release_branch) == (date(2025, 6, 16), date(2025, 6, 27),
                                                                   date(2025, 6, 28))


@pytest.mark.parametrize(
    ("before", "phase", "overdue"),
    [
        (60, Phase.PLANNING, False),
        (29, Phase.PLANNING, False),
        (28, Phase.PREPARATION, False),  # D-28
        (8, Phase.PREPARATION, False),
        (7, Phase.CODE_FREEZE, False),  # D-7
        (5, Phase.CODE_FREEZE, False),  # the branch date alone does not make a branch
        (0, Phase.CODE_FREEZE, False),
        (-1, Phase.CODE_FREEZE, True),
        (-30, Phase.CODE_FREEZE, True),
    ],
)
def test_calendar(before, phase, overdue):
    status = derive_phase(DUE, days_before(before))
    assert status == PhaseStatus(phase, timeline(DUE), before, overdue)


def test_no_due_date_is_planning():
    assert derive_phase(None, DUE) == PhaseStatus(Phase.PLANNING, None, None, False)


def test_release_branch_wins_over_calendar():
    status = derive_phase(DUE, days_before(20), Progress(branch_exists=True))
    assert status.phase is Phase.RELEASE_BRANCH
    assert status.days_left == 20 and not status.overdue
    assert derive_phase(DUE, days_before(40), Progress(rc_tags=("0.26.0-rc1",))).phase is Phase.RELEASE_BRANCH
    assert derive_phase(None, DUE, Progress(branch_exists=True)) == PhaseStatus(Phase.RELEASE_BRANCH, None, None,
                                                                                False)


def test_release_branch_can_be_overdue():
    status = derive_phase(DUE, days_before(-3), Progress(branch_exists=True, rc_tags=("0.26.0-rc1",)))
    assert status.phase is Phase.RELEASE_BRANCH
    assert status.overdue and status.days_left == -3


def test_final_tag_means_thaw_and_never_overdue():
    for before in (40, 3, -10):
        status = derive_phase(DUE, days_before(before), Progress(True, ("0.26.0-rc1",), "0.26.0"))
        assert status.phase is Phase.THAW
        assert not status.overdue
        assert status.days_left == before
    assert derive_phase(None, DUE, Progress(final_tag="0.26.0")).phase is Phase.THAW


def test_custom_schedule_moves_the_boundaries():
    schedule = Schedule(preparation_days=14, freeze_days=3)
    assert derive_phase(DUE, days_before(15), schedule=schedule).phase is Phase.PLANNING
    assert derive_phase(DUE, days_before(14), schedule=schedule).phase is Phase.PREPARATION
    assert derive_phase(DUE, days_before(4), schedule=schedule).phase is Phase.PREPARATION
    assert derive_phase(DUE, days_before(3), schedule=schedule).phase is Phase.CODE_FREEZE


def test_phase_values_and_titles():
    assert [p.value for p in Phase] == ["planning", "preparation", "code-freeze", "release-branch", "thaw"]
    assert Phase("code-freeze") is Phase.CODE_FREEZE
    assert Phase.CODE_FREEZE == "code-freeze"
    assert [p.title for p in Phase] == ["Planning", "Preparation", "Code freeze", "Release branch / RCs",
                                        "Thaw / patches"]


def test_progress_for_milestone_titles() -> None:
    from cockpit.core.lines import classify
    from cockpit.core.phases import progress_for

    tags = [classify(n) for n in ("0.26.0-rc1", "0.26.0-rc2", "0.25.0", "10.1.0-rc1+driver", "10.1.0+driver")]
    libs = progress_for("0.26.0", tags, ["release/0.26.x", "release/0.25.x"])
    assert libs.branch_exists and libs.rc_tags == ("0.26.0-rc1", "0.26.0-rc2") and libs.final_tag is None
    assert progress_for("0.25.0", tags, []).final_tag == "0.25.0"
    driver = progress_for("10.1.0+driver", tags, ["release/10.1.x"])
    assert driver.final_tag == "10.1.0+driver" and not driver.branch_exists
    assert progress_for("next-driver", tags, []) == progress_for("", tags, [])
    assert progress_for("0.27.0", tags, ["release/0.26.x"]).branch_exists is False
