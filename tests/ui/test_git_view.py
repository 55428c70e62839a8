"""The dashboard's reads of the repository: started early by the launcher, taken once, and without `git status`
(the dashboard never shows the worktree's state, and on a large checkout it costs more than the refs)."""

from __future__ import annotations

import threading

from cockpit.demo import Sandbox
from cockpit.services.git import GitService
from cockpit.ui.git_view import EarlyRead, read_git
from cockpit.workflows.reports.status import Status, status


def test_the_dashboard_reads_no_worktree_state_and_the_cli_still_does(sandbox: Sandbox) -> None:
    (sandbox.clone / "README.md").write_text("changed\n")
    git = GitService(sandbox.clone)
    assert status(git).dirty == ("README.md",)
    read = read_git(git, divergence=True)
    assert read.dirty is None
    assert read.branches == status(git).branches  # the rest is the same answer
    assert read.default_head == git.resolve("refs/remotes/origin/master")


def test_an_early_read_is_taken_once(sandbox: Sandbox) -> None:
    git = GitService(sandbox.clone)
    early = EarlyRead(git)
    refs, graph = early.take(divergence=False), early.take(divergence=True)
    assert refs is not None and graph is not None
    assert early.take(divergence=False) is None and early.take(divergence=True) is None
    assert not refs.result().branches[0].counted  # refs only: the graph's answers come with the second
    assert graph.result().branches == read_git(git, divergence=True).branches


def test_what_waits_for_the_refs_gets_them_once_read(sandbox: Sandbox) -> None:
    git = GitService(sandbox.clone)
    early = EarlyRead(git)
    got: list[Status] = []
    done = threading.Event()
    early.when_refs_read(lambda read: (got.append(read), done.set()))
    assert done.wait(30) and got[0].branches == read_git(git, divergence=False).branches
