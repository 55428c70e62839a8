"""What the dashboard reads from git, and that read started early: the launcher begins it before Textual is
imported, so git walks the refs (and the commit graph) on the other core while the interpreter loads the UI, and the
first rows are ready when the screen is. No Textual here: the launcher imports this before the UI."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from cockpit.services.git import GitService
from cockpit.workflows.reports.status import Status
from cockpit.workflows.reports.status import status as status_report


def read_git(git: GitService, divergence: bool) -> Status:
    """`divergence=False`: refs only (branches and tags paint at once); True: with the commit graph's answers.
    The worktree's state is not read: the dashboard does not show it, and on a large checkout it costs more than
    the refs."""
    return status_report(git, divergence, worktree=False)


class EarlyRead:
    """The dashboard's first two reads (refs, then the graph) running in a thread of their own from the launch on;
    the dashboard takes each once, and reads afresh after that."""

    def __init__(self, git: GitService) -> None:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cockpit-early-read")
        self.refs: Future[Status] | None = pool.submit(read_git, git, False)
        self.graph: Future[Status] | None = pool.submit(read_git, git, True)
        pool.shutdown(wait=False)

    def when_refs_read(self, then: Callable[[Status], None]) -> None:
        """`then(status)` in the reading thread once the refs are read (not when the read failed: its taker says so)."""
        refs = self.refs
        if refs is not None:
            refs.add_done_callback(lambda done: then(done.result()) if done.exception() is None else None)

    def wait_for_refs(self) -> None:
        """Block (a worker's thread) until the refs' read is done, failed or not: its failure is its taker's."""
        if self.refs is not None:
            wait([self.refs])

    def take_done(self) -> Status | None:
        """The refs' early read when it is done and did not fail (taken then); else None, and `take` still has it."""
        refs = self.refs
        if refs is None or not refs.done() or refs.exception() is not None:
            return None
        self.refs = None
        return refs.result()

    def take(self, divergence: bool) -> Future[Status] | None:
        """The early read of that kind, once (None after: a refresh must read the repository as it is then)."""
        if divergence:
            found, self.graph = self.graph, None
        else:
            found, self.refs = self.refs, None
        return found
