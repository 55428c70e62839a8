"""CI as a check before tagging: the combined status and the check runs of the commit to be tagged.

Failure or error blocks the tag (error severity). Unlike the versioning rules, a red CI can be overridden, but only
by an explicit reason (`tag --ci-override REASON`): the check then fails as a warning that carries the reason, and
the plan that is journaled carries the check. Pending CI is a warning; no forge or no CI reported is info."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.display import one_line
from cockpit.core.forge_models import CheckRun, CombinedStatus

CI_CHECK = "ci.status"
MAX_NAMED_RUNS = 8  # evidence lines naming runs; the message gives the count


@dataclass(frozen=True)
class CiFacts:
    """What the forge said about the CI of a commit, or why it could not say (`problem`; `no_forge` when there is
    no forge at all, which is not a failure of CI)."""

    commit: str
    status: CombinedStatus | None = None
    runs: tuple[CheckRun, ...] = ()
    problem: str | None = None
    no_forge: bool = False


def _run_line(run: CheckRun) -> str:
    state = run.conclusion if run.status == "completed" else run.status
    return f"{one_line(run.name)}: {state}" + (f" ({one_line(run.url)})" if run.url else "")


def check_ci(facts: CiFacts, override: str | None = None) -> CheckResult:
    """The CI check of the commit to be tagged; `override` (the user's reason) turns a red CI into a warning."""
    short = facts.commit[:10]
    if facts.no_forge:
        return ok(CI_CHECK, "info", f"not applicable: no forge to ask for the CI of {short}",
                  *((one_line(facts.problem),) if facts.problem else ()))
    if facts.problem is not None:
        return fail(CI_CHECK, "warning", f"the CI of {short} could not be read", "check the forge is reachable, "
                    "then refresh (r) or run `cockpit check` again", one_line(facts.problem))
    status = facts.status
    state = status.state if status else "unknown"
    total = status.total if status else 0
    failed = [r for r in facts.runs if r.failed]
    pending = [r for r in facts.runs if r.pending]
    evidence = [f"combined status: {state} ({total} status(es))", f"check runs: {len(facts.runs)}"]
    if state in ("failure", "error") or failed:
        named = ", ".join(one_line(r.name) for r in failed[:MAX_NAMED_RUNS]) or f"combined status {state}"
        evidence += [f"failing: {_run_line(r)}" for r in failed[:MAX_NAMED_RUNS]]
        message = f"CI failed on {short}: {named}" + (" ..." if len(failed) > MAX_NAMED_RUNS else "")
        if override is not None:
            return fail(CI_CHECK, "warning", f"{message} (overridden: {one_line(override)})",
                        "the override is journaled with the plan; fix CI before the next tag",
                        *evidence, f"override: {one_line(override)}")
        return fail(CI_CHECK, "error", message, "fix CI and re-run it, or tag anyway with an explicit reason: "
                    "cockpit tag --ci-override REASON", *evidence)
    if state == "pending" or pending:
        evidence += [f"running: {_run_line(r)}" for r in pending[:MAX_NAMED_RUNS]]
        return fail(CI_CHECK, "warning", f"CI is still running on {short}"
                    + (f": {', '.join(one_line(r.name) for r in pending[:MAX_NAMED_RUNS])}" if pending else ""),
                    "wait for CI to finish, then refresh (r)", *evidence)
    if state == "unknown" and not facts.runs:
        return ok(CI_CHECK, "info", f"no CI reported for {short}", *evidence)
    return ok(CI_CHECK, "error", f"CI passed on {short}", *evidence)


def refusal(checks: tuple[CheckResult, ...] | list[CheckResult]) -> str:
    """Why a plan is refused, in one line: a red CI alone can be overridden, the versioning rules never."""
    blocking = [c for c in checks if c.blocks]
    if blocking and all(c.id == CI_CHECK for c in blocking):
        return "refused: CI failed on the commit to tag (tag --ci-override REASON tags anyway; the reason is journaled)"
    return "refused: an error-severity check failed (the versioning rules allow no exceptions)"
