"""Every step kind that runs git previews exactly the commands it runs: a real plan step is executed on a real
temporary repository while the git service's process layer records each argv, and the step's previewed commands
(built by the kind from its params, as the workflows build them) equal the changing commands that ran."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

from cockpit.core.plan import Plan, Step
from cockpit.services.executor import Executor
from cockpit.services.git import GitService
from cockpit.services.journal import Journal
from cockpit.services.steps import StepContext
from cockpit.services.steps.files import blob_id, file_bytes
from cockpit.services.steps.registry import KINDS, preview

from builders import FalcoRepo

# git subcommands that change the repository or the remote; everything else a step runs is a read (rev-parse,
# ls-remote, symbolic-ref, log, hash-object without -w, diff ...) and is no part of what a plan shows
CHANGING = {"branch", "tag", "push", "switch", "merge", "commit", "cherry-pick", "update-ref", "reset"}


class RecordingGit(GitService):
    """The real git service, with every argv its process layer runs written down."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.ran: list[tuple[str, ...]] = []

    def run(self, *args: str, **kwargs: Any) -> str | bytes:  # type: ignore[override]
        self.ran.append(args)
        return super().run(*args, **kwargs)


def changing(ran: list[tuple[str, ...]]) -> list[str]:
    return [shlex.join(("git", *argv)) for argv in ran if argv and argv[0] in CHANGING and "--list" not in argv]


def run_step(falco: FalcoRepo, tmp_path: Path, kind: str, params: dict[str, Any]) -> tuple[Step, RecordingGit]:
    git = RecordingGit(falco.path)
    step = Step("s", kind, kind, params, preview(kind, params))
    record = Executor(Journal(tmp_path / "journal.jsonl"), StepContext(git)).execute(Plan("p", kind, (step,)))
    assert record.state_of("s") == "done"
    return step, git


def git_lines(step: Step) -> list[str]:
    return [c for c in step.commands if c.startswith("git ")]


def cases(falco: FalcoRepo) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """kind -> the plan steps run one after the other on one repository (earlier ones set the stage)."""
    s, head = falco.shas, falco.b.head("master")
    release = falco.b.head("release/0.2.x")
    start = {"branch": "release/0.2.x", "work": "backport/x", "base": release, "remote": "origin",
             "local_before": None, "original_branch": "master", "original_sha": head, "shas": [s["fix7"]]}
    pick = {"sha": s["fix7"], "subject": "fix(libsinsp): unported fix (#13)", "work": "backport/x", "base": release,
            "mainline": False}
    direct = {**start, "mode": "direct", "work": "release/0.2.x", "local_before": release}
    content = "libs next\n"
    bump = {"branch": "master", "parent": head, "path": "README.md", "content": content, "message": "bump README",
            "blob_before": falco.b.git("rev-parse", "master:README.md"),
            "blob_after": blob_id(GitService(falco.path), "README.md", file_bytes(content))}
    return {
        "git.branch": [("git.branch", {"name": "release/0.3.x", "sha": head})],
        "git.tag": [("git.tag", {"name": "0.3.0-rc1", "sha": head, "message": "libs release candidate 0.3.0-rc1"})],
        "git.push": [("git.branch", {"name": "release/0.3.x", "sha": head}),
                     ("git.push", {"remote": "origin", "refs": {"refs/heads/release/0.3.x": head}})],
        "git.upstream": [("git.branch", {"name": "release/0.3.x", "sha": head}),
                         ("git.push", {"remote": "origin", "refs": {"refs/heads/release/0.3.x": head}}),
                         ("git.upstream", {"name": "release/0.3.x", "remote": "origin"})],
        "git.commit_file": [("git.commit_file", bump)],
        "backport.start": [("backport.start", {**start, "mode": "pr"})],
        "backport.start/direct": [("backport.start", direct)],
        "backport.pick": [("backport.start", {**start, "mode": "pr"}), ("backport.pick", pick)],
        "backport.push": [("backport.start", {**start, "mode": "pr"}), ("backport.pick", pick),
                          ("backport.push", {"mode": "pr", "remote": "origin", "work": "backport/x", "base": release})],
        "backport.pull": [("backport.start", {**start, "mode": "pr"}),
                          ("backport.pull", {"branch": "release/0.2.x", "work": "backport/x", "base": release,
                                             "picks": []})],
        "backport.finish": [("backport.start", {**start, "mode": "pr"}),
                            ("backport.finish", {"work": "backport/x", "original_branch": "master",
                                                 "original_sha": head})],
    }


GIT_KINDS = sorted(k for k in KINDS if k.split(".")[0] in ("git", "backport"))
CASES = ["git.branch", "git.tag", "git.push", "git.upstream", "git.commit_file", "backport.start",
         "backport.start/direct", "backport.pick", "backport.push", "backport.pull", "backport.finish"]


def test_every_kind_that_runs_git_is_covered() -> None:
    assert {c.split("/")[0] for c in CASES} == set(GIT_KINDS)


@pytest.mark.parametrize("case", CASES)
def test_preview_is_the_argv_that_runs(falco: FalcoRepo, tmp_path: Path, case: str) -> None:
    steps = cases(falco)[case]
    for n, (kind, params) in enumerate(steps):
        step, git = run_step(falco, tmp_path / str(n), kind, params)
        assert git_lines(step) == changing(git.ran), kind
    assert steps[-1][0] == case.split("/")[0]


def test_forge_kinds_start_no_git() -> None:
    """The kinds left out above run no git at all: what they preview is forge (gh-style) text."""
    assert {k for k in KINDS if k not in GIT_KINDS} == {k for k in KINDS if k.startswith(("forge.", "milestone."))}
