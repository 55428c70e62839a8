"""The divergence of every release branch, kept between runs in the user's cache dir (never in the repository).

Reading the whole commit graph is most of what `status` costs on a large repository (150k commits: about a
second of git and as much of Python). What it yields per branch — fork point, ahead, behind, the branch's own
commits — only changes when the refs do, so it is stored with the ref tips it was computed from and reused:
- nothing moved: no graph read at all;
- the default branch moved forward (its old head on the new head's first-parent chain) or a release branch did
  (its old head an ancestor of the new one, no new fork from the main line): only the new commits are walked;
- anything else (a rewritten or force-moved branch, a new branch, a branch merged back): computed again from
  the whole graph. The answer is the same as a cold run's in every case (tests/services/git/test_graph_cache.py).

The file is data from disk like any other: a corrupt, foreign (another repository's) or oversized file is ignored
and rebuilt, never trusted; it is written whole and renamed into place, so readers never see half of it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import NamedTuple

from cockpit.services.files import UnfitFile, read_regular_file, write_private_json

FORMAT = 1
MAX_CACHE_FILE = 64 * 1024 * 1024
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")


class BranchDivergence(NamedTuple):
    """One release branch against the main line, as `CommitGraph.divergence` (or git's walk) computed it."""

    head: str
    fork_point: str | None
    ahead: int
    behind: int
    own: frozenset[str]  # commits on the branch and not on the main line
    walked: bool = False  # computed by git's own walk (a shape the graph index does not cover)


class GraphState(NamedTuple):
    """Every release branch's divergence from the main line whose head is `main`."""

    main: str | None
    branches: dict[str, BranchDivergence]


class GraphCache:
    """One JSON file per repository, named by a hash of its path."""

    def __init__(self, directory: Path, repository: Path):
        self.repository = str(repository.resolve())
        digest = hashlib.sha256(self.repository.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        self.path = directory / "graph" / f"{digest}.json"

    def load(self) -> GraphState | None:
        """The stored state, or None when there is none that can be trusted."""
        try:
            data = json.loads(read_regular_file(self.path, MAX_CACHE_FILE))
        except (OSError, UnfitFile, ValueError):
            return None
        try:
            return self._state_of(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def _state_of(self, data: dict) -> GraphState | None:
        if data.get("format") != FORMAT or data.get("repository") != self.repository:
            return None
        main = data["main"]
        if main is not None and not _OBJECT_ID.match(main):
            return None
        branches: dict[str, BranchDivergence] = {}
        for name, b in data["branches"].items():
            own = frozenset(b["own"])
            ids = [b["head"], *own] + ([b["fork_point"]] if b["fork_point"] is not None else [])
            counts = (b["ahead"], b["behind"])
            if not (isinstance(name, str) and all(isinstance(i, str) and _OBJECT_ID.match(i) for i in ids)
                    and all(type(n) is int and n >= 0 for n in counts) and len(own) == b["ahead"]
                    and type(b["walked"]) is bool):
                return None
            branches[name] = BranchDivergence(b["head"], b["fork_point"], b["ahead"], b["behind"], own, b["walked"])
        return GraphState(main, branches)

    def save(self, state: GraphState) -> None:
        """Store `state`; a cache that cannot be written is only a slower next run, never an error."""
        data = {"format": FORMAT, "repository": self.repository, "main": state.main,
                "branches": {name: {"head": b.head, "fork_point": b.fork_point, "ahead": b.ahead,
                                    "behind": b.behind, "own": sorted(b.own), "walked": b.walked}
                             for name, b in state.branches.items()}}
        with contextlib.suppress(OSError):
            write_private_json(self.path, data, prefix=".graph-", compact=True)
