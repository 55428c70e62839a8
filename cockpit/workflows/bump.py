"""Bump driver/API_VERSION, SCHEMA_VERSION or the plugin API version: edit the file at HEAD and commit it on the
checked-out branch. Nothing is pushed: a bump goes through review like any other change, so the plan stops at the
local commit and says so."""

from __future__ import annotations

from cockpit.core.bumps import PARTS, TARGETS, BumpEdit, BumpError, Target, bump_text, commit_message, target_path
from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.plan import Plan, Step
from cockpit.core.versions import Part
from cockpit.services.git import GitService
from cockpit.services.steps.files import blob_at, blob_id, file_bytes
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id, repo_state_checks
from cockpit.workflows.proposal import Refusal

LABELS = {"api": "API_VERSION", "schema": "SCHEMA_VERSION", "plugin": "the plugin API version"}
NO_PUSH = "Not pushed: a bump goes through review like any change; push the branch and open a pull request."


def read_at(git: GitService, commit: str, path: str) -> tuple[str, str] | None:
    """(blob id, text) of `path` at `commit`, decoded so that every byte survives (surrogateescape)."""
    blob = blob_at(git, commit, path)
    if blob is None:
        return None
    raw = git.blob_bytes(blob)
    return blob, raw.decode("utf-8", "surrogateescape")


def propose_bump(git: GitService, target: str, part: str) -> Plan | Refusal:
    """The checks and the one commit step of a bump; blocked (no step) when the file cannot be bumped; refused for
    an unknown target or part."""
    if target not in TARGETS or part not in PARTS:
        return Refusal(f"bump {target} --part {part}: expected {'|'.join(TARGETS)} and --part {'|'.join(PARTS)}")
    tgt: Target = target  # type: ignore[assignment]
    prt: Part = part  # type: ignore[assignment]
    path = target_path(tgt, git.config.files)
    branch = git.refs(tags=False).head_branch
    head = git.resolve("HEAD")
    checks: list[CheckResult] = [*repo_state_checks(git), ok("branch.attached", "error", f"HEAD is on {branch}")
                                 if branch else fail("branch.attached", "error", "HEAD is detached",
                                                     "check out the branch the bump belongs on (e.g. master)")]
    found = read_at(git, head, path)
    edit: BumpEdit | None = None
    if found is None:
        checks.append(fail("bump.file-exists", "error", f"{path} does not exist at HEAD ({head[:10]})",
                           "set the path under [files] in .cockpit.toml, or check out the right branch"))
    else:
        checks.append(ok("bump.file-exists", "error", f"{path} exists at HEAD"))
        try:
            edit = bump_text(tgt, found[1], prt, git.config.files)
            checks.append(ok("bump.readable", "error", f"{LABELS[tgt]} is {edit.old}"))
        except BumpError as exc:
            checks.append(fail("bump.readable", "error", str(exc), "fix the file by hand, then bump again"))
    if edit is None or found is None or branch is None:
        return Plan(new_plan_id(f"bump-{tgt}"), f"Bump {LABELS[tgt]} ({part})", (), tuple(checks), NO_PUSH)
    message = commit_message(edit)
    params = {"branch": branch, "parent": head, "path": path, "content": edit.new_text, "blob_before": found[0],
              "blob_after": blob_id(git, path, file_bytes(edit.new_text)), "message": message}
    step = Step("commit", f"Commit {path} ({edit.old} -> {edit.new}) on {branch}", "git.commit_file", params,
                preview("git.commit_file", params),
                f"{branch} is untouched until the commit: resume retries it; if the branch moved, abort and bump again",
                edit.diff())
    title = f"Bump {LABELS[tgt]} {edit.old} -> {edit.new} ({part}) on {branch}"
    return Plan(new_plan_id(f"bump-{tgt}"), title, (step,), tuple(checks), NO_PUSH)
