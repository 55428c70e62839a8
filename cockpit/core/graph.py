"""Divergence of many branches from one read of the commit graph.

Asking git once per release branch (`rev-list --left-right --count master...release/X`) costs one full walk
per branch: 33 s for 100 branches on a 150k-commit repository. Instead the graph is read once, the default
branch's ancestors are counted cumulatively along its first-parent chain, and each branch then only walks its
own commits until it meets that set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Divergence:
    fork_point: str | None
    ahead: int
    behind: int
    own: frozenset[str]  # commits on the branch and not on the main line


class CommitGraph:
    """Ancestry facts for one main line (the default branch head) over a parents map."""

    def __init__(self, parents: Mapping[str, Sequence[str]], main_head: str | None):
        self._parents = parents
        self._main: set[str] = set()
        self._chain_count: dict[str, int] = {}  # first-parent chain commit -> number of its ancestors (itself incl.)
        if main_head:
            self._index(main_head)

    def _index(self, head: str) -> None:
        chain = []
        cur: str | None = head
        while cur is not None:
            chain.append(cur)
            ps = self._parents.get(cur, ())
            cur = ps[0] if ps else None
        seen = self._main
        parents = self._parents
        for commit in reversed(chain):  # oldest first: each chain commit adds itself and its merged-in side
            seen.add(commit)
            side = parents.get(commit, ())[1:]
            if side:
                stack = list(side)
                while stack:
                    c = stack.pop()
                    if c not in seen:
                        seen.add(c)
                        stack.extend(parents.get(c, ()))
            self._chain_count[commit] = len(seen)

    @property
    def main_size(self) -> int:
        return len(self._main)

    def on_main(self, commit: str) -> bool:
        return commit in self._main

    def divergence(self, head: str) -> Divergence | None:
        """Fork point, ahead and behind of `head` against the main line; None when the shape needs a git walk
        (the branch meets the main line off its first-parent chain, e.g. it forked from a merged topic)."""
        own: set[str] = set()
        boundary: set[str] = set()
        stack = [head]
        while stack:
            c = stack.pop()
            if c in own or c in boundary:
                continue
            if c in self._main:
                boundary.add(c)
                continue
            own.add(c)
            stack.extend(self._parents.get(c, ()))
        if not boundary:
            return Divergence(None, len(own), self.main_size, frozenset(own))
        if any(b not in self._chain_count for b in boundary):
            return None
        fork = max(boundary, key=self._chain_count.__getitem__)
        return Divergence(fork, len(own), self.main_size - self._chain_count[fork], frozenset(own))

