"""Facts read from git, as frozen values: what the services return and the checks, phases and views consume."""

from __future__ import annotations

from typing import NamedTuple


class TagFact(NamedTuple):
    name: str
    commit: str  # the commit the tag points at (peeled for annotated tags)
    annotated: bool
    date: int = 0  # unix time of the tag (annotated) or of its commit


class BranchFact(NamedTuple):
    """A release branch as seen locally and on the remote; `head` is the local head when there is one."""

    name: str
    head: str
    local_head: str | None
    remote_head: str | None
    fork_point: str | None
    ahead: int  # commits on the branch and not on the default branch
    behind: int  # commits on the default branch and not on the branch
    tags: tuple[str, ...] = ()  # tags on the branch's own commits (fork point included), newest first
    sync: str = "synced"  # synced | unpushed | behind-remote | diverged | local-only | remote-only
    counted: bool = True  # False until fork point, ahead, behind and tags were read from the graph


class CommitFact(NamedTuple):
    sha: str
    subject: str
    author: str
    email: str
    date: int
    parents: tuple[str, ...] = ()
    body: str = ""

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1
