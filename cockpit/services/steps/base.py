"""What every step kind shares: the context it runs in (the git service, the forge), the one error a step raises,
and the description of a kind (`StepKind`: what it runs, what it previews, what `abort` undoes). Every step is
idempotent: re-running a finished step changes nothing (a tag that exists at the intended commit counts as done; at
another commit it is an error), so a resumed plan simply runs again from its first unfinished step. Nothing here
ever force-pushes or deletes a remote ref."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cockpit.services.forge.base import Forge
from cockpit.services.git import GitError, GitService


class StepError(Exception):
    """A step that cannot be done, in one line that says why and what to do."""


@dataclass
class StepContext:
    git: GitService
    forge: Forge | None = None

    def require_forge(self, without: str) -> Forge:
        """The forge, or a StepError saying what it is needed for and what to do (`without`)."""
        if self.forge is None:
            raise StepError(without)
        return self.forge


Params = dict[str, Any]
Runner = Callable[[StepContext, Params], dict[str, Any]]
Preview = Callable[[Params], tuple[str, ...]]
# What `abort` does for a step kind that needs more than removing refs (e.g. a backport: git's own cherry-pick
# aborted, the user's branch checked out again): called for each started step, newest first, with the step's
# params and its journaled changes (None when it never finished); returns what it undid, for the user.
Undoer = Callable[[StepContext, Params, dict[str, Any] | None], list[str]]


def no_preview(_params: Params) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class ForgeRequest:
    """A write a forge-side step sends, described once: the step's `run` takes what it sends to the forge adapter
    from it, and its `preview` renders it as the equivalent `gh` command, so the two cannot drift. `method` and
    `path` are GitHub's REST call (`path` under `repos/{repo}/`; `<n>` stands for a number the forge only tells
    when the step runs); `fields` are the values the call carries (a milestone by its title: the adapter sends
    the milestone's number)."""

    repo: str
    method: str
    path: str
    fields: Mapping[str, Any] = field(default_factory=dict)


Requests = Callable[[Params], tuple[ForgeRequest, ...]]
# the project's own repository, in a request whose step leaves it to the forge (or was journaled before steps named
# it): the forge adapter knows it; only a preview shows this
THE_PROJECT = "OWNER/REPO"


def shown(*argvs: Iterable[str]) -> tuple[str, ...]:
    """git argvs (as the git service runs them, without `git`) as shell text for a plan's preview."""
    return tuple(shlex.join(("git", *argv)) for argv in argvs)


@dataclass(frozen=True)
class StepKind:
    """One kind of plan step: `run` does it (idempotently); `preview` renders, from the same params, the commands it
    runs, for the plan's preview (git argv as the git service builds them; for a forge-side kind, its `requests`,
    the writes it sends when the forge lacks what it makes); `undo` (with `undo_describe`, the offer made on
    start) is what `abort` does beyond removing the local refs a plan created."""

    name: str
    run: Runner
    preview: Preview = no_preview
    undo: Undoer | None = None
    undo_describe: str = ""
    requests: Requests | None = None


def local_ref(git: GitService, ref: str) -> str | None:
    return git.ref_commit(ref)


def remote_refs(git: GitService, remote: str, refs: list[str]) -> dict[str, str]:
    """ref -> commit on the remote (tags peeled), for the given refs only; a StepError when it cannot be read."""
    try:
        return git.ls_remote(refs, remote)
    except GitError as exc:
        raise StepError(str(exc)) from None
