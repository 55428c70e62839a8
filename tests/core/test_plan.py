"""cockpit.core.plan: a plan is data; an error check blocks it for good, warnings are listed."""

from __future__ import annotations

from cockpit.core.checks import CheckResult
from cockpit.core.plan import Plan, Step

STEPS = (
    Step("tag", "Tag 0.26.0-rc1 on release/0.26.x", "git.tag", {"name": "0.26.0-rc1", "ref": "release/0.26.x"},
         ("git tag 0.26.0-rc1 release/0.26.x",), "delete the local tag: git tag -d 0.26.0-rc1"),
    Step("push", "Push the tag", "git.push", {"ref": "refs/tags/0.26.0-rc1"},
         ("git push origin refs/tags/0.26.0-rc1",)),
    Step("announce", "Comment on the tracking issue", "github.comment"),
)


def test_preview_lists_steps_and_commands():
    plan = Plan("tag-0.26.0-rc1", "Tag libs 0.26.0-rc1", STEPS)
    assert plan.preview() == (
        "Plan: Tag libs 0.26.0-rc1\n"
        "  1. Tag 0.26.0-rc1 on release/0.26.x\n"
        "       $ git tag 0.26.0-rc1 release/0.26.x\n"
        "  2. Push the tag\n"
        "       $ git push origin refs/tags/0.26.0-rc1\n"
        "  3. Comment on the tracking issue"
    )
    assert Plan("empty", "Nothing", ()).preview() == "Plan: Nothing"


def test_step_defaults():
    step = Step("x", "X", "noop")
    assert (step.params, step.commands, step.recovery) == ({}, (), "")
    assert Step("y", "Y", "noop").params is not step.params


def test_error_failure_blocks_warnings_are_listed():
    warn = CheckResult("version.increases", "warning", False, "0.25.0 -> 0.27.0 skips 0.26.0")
    err = CheckResult("tag.absent", "error", False, "tag 0.26.0-rc1 already exists locally")
    passed = CheckResult("worktree.clean", "error", True, "the worktree is clean")
    info = CheckResult("rc.sequence", "info", True, "not applicable: a final release")
    plan = Plan("p", "P", STEPS, (passed, warn, info))
    assert not plan.blocked
    assert plan.warnings == (warn,)
    blocked = Plan("p", "P", STEPS, (passed, warn, err))
    assert blocked.blocked
    assert blocked.warnings == (warn,)
    assert not Plan("p", "P", STEPS).blocked
    assert Plan("p", "P", STEPS).warnings == ()
