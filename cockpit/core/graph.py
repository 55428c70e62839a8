"""Divergence of many branches from one read of the commit graph.

Asking git once per release branch (`rev-list --left-right --count master...release/X`) costs one full walk
per branch: 33 s for 100 branches on a 150k-commit repository. Instead the graph is read once, the default
branch's ancestors are counted cumulatively along its first-parent chain, and each branch then only walks its
own commits until it meets that set."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import NamedTuple, TypeVar


class Divergence(NamedTuple):
    fork_point: str | None
    ahead: int
    behind: int
    own: frozenset[str]  # commits on the branch and not on the main line


Id = TypeVar("Id", str, bytes)


def own_commits(head: Id, main: Container[Id], parents: Callable[[Id], Iterable[Id]]) -> tuple[set[Id], set[Id]]:
    """The commits reachable from `head` without passing through the main line (its own), and the main-line
    commits the walk met (where it joins: the fork point is the newest of them)."""
    own: set[Id] = set()
    boundary: set[Id] = set()
    stack = [head]
    while stack:
        c = stack.pop()
        if c in own or c in boundary:
            continue
        if c in main:
            boundary.add(c)
            continue
        own.add(c)
        stack.extend(parents(c))
    return own, boundary


def parse_parents(lines: Iterable[bytes]) -> dict[str, tuple[str, ...]]:
    """`git rev-list --parents` lines (`sha parent1 parent2 ...`) -> each commit's parents; each id is one shared
    string, which halves the memory of a large graph."""
    seen: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    for raw in lines:
        ids = raw.decode("ascii").split()
        if ids:
            ids = [seen.setdefault(i, i) for i in ids]
            parents[ids[0]] = tuple(ids[1:])
    return parents


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
        own, boundary = own_commits(head, self._main, lambda c: self._parents.get(c, ()))
        if not boundary:
            return Divergence(None, len(own), self.main_size, frozenset(own))
        if any(b not in self._chain_count for b in boundary):
            return None
        fork = max(boundary, key=self._chain_count.__getitem__)
        return Divergence(fork, len(own), self.main_size - self._chain_count[fork], frozenset(own))



class RevListIndex:
    """`git rev-list --parents` output kept as bytes, one entry per commit line: no Python object per parent and
    no decoding until a commit is looked at. On a 150k-commit repository this is a split and one dict, where
    parsing every line into tuples of strings cost as much as git's own walk.

    It can be built while git is still writing (`feed` each piece, then `close`): indexing and the walk of the
    followed head's first-parent chain then run beside git's walk instead of after it, so what is left once git
    exits is the last piece. The answers are the same as from the whole output at once, in any line order."""

    def __init__(self, data: bytes = b"", follow: bytes | None = None):
        """`data`: the whole output (the index is then complete); none: feed it piece by piece, then close.
        `follow`: a head whose first-parent chain is walked as the lines arrive (see `first_parent_chain`)."""
        self.id_length = 0
        self._lines: dict[bytes, bytes] = {}
        self._partial = b""
        self._closed = False
        self._following = _ChainWalk(follow) if follow is not None else None
        if data:
            self.feed(data)
            self.close()

    def feed(self, piece: bytes) -> None:
        """Index the complete lines of `piece` (a line cut at its end waits for the next piece)."""
        data = self._partial + piece if self._partial else piece
        end = data.rfind(b"\n")
        if end < 0:
            self._partial = data
            return
        self._partial = data[end + 1:]
        self._index(data[:end].split(b"\n"))

    def close(self) -> None:
        """The output is complete: the last line (without its newline, if git left it so) is indexed and the
        followed chain walked to its end."""
        if self._partial:
            self._index([self._partial])
            self._partial = b""
        self._closed = True
        if self._following is not None:
            self._following.advance(self._lines, self.id_length, final=True)

    def _index(self, lines: list[bytes]) -> None:
        if not self.id_length:
            first = next((line for line in lines if line), b"")
            self.id_length = first.find(b" ") if b" " in first else len(first)
        table = self._lines
        table.update(zip(map(itemgetter(slice(self.id_length)), lines), lines, strict=True))  # line[:k] -> line
        table.pop(b"", None)  # an empty line is no commit
        if self._following is not None:
            self._following.advance(table, self.id_length, final=False)

    def __contains__(self, commit: bytes) -> bool:
        return commit in self._lines

    def parents(self, commit: bytes) -> list[bytes]:
        line = self._lines.get(commit)
        return line[self.id_length + 1:].split() if line else []

    def first_parent_chain(self, head: bytes) -> dict[bytes, int] | None:
        """Each commit of `head`'s first-parent chain -> its distance from `head`; None when a merge is on the
        chain (then the main line is more than its chain, and CommitGraph counts it). A commit whose line is
        absent ends the chain, as a root does."""
        following = self._following
        if following is not None and following.head == head and self._closed:
            return following.result()
        walk = _ChainWalk(head)
        walk.advance(self._lines, self.id_length, final=True)
        return walk.result()

    def divergence(self, chain: dict[bytes, int], head: bytes) -> Divergence:
        """`CommitGraph.divergence` on a main line that is its first-parent chain: the branch's own commits are
        walked, the rest is a lookup (behind = the fork point's distance from the main head)."""
        own, boundary = own_commits(head, chain, self.parents)
        mine = frozenset(c.decode("ascii") for c in own)
        if not boundary:
            return Divergence(None, len(own), len(chain), mine)
        fork = min(boundary, key=chain.__getitem__)
        return Divergence(fork.decode("ascii"), len(own), chain[fork], mine)

    def parents_map(self) -> dict[str, tuple[str, ...]]:
        """Every commit -> its parents, for CommitGraph (a main line with merges)."""
        return parse_parents(self._lines.values())


class _ChainWalk:
    """A walk down one head's first-parent chain that goes as far as the lines indexed so far allow and resumes
    when more arrive; it stops at a merge (no linear chain) or, once the output is complete, at a root. The chain
    is kept as a list and made a dict once, at the end: per commit the walk is one lookup, one slice and one
    append, the least Python there is for the one loop that visits every commit of the main line."""

    def __init__(self, head: bytes):
        self.head = head
        self.order: list[bytes] = []
        self.chain: dict[bytes, int] = {}  # made from `order` a piece at a time
        self.merged = False
        self._next: bytes | None = head

    def advance(self, lines: Mapping[bytes, bytes], k: int, final: bool) -> None:
        cur = self._next
        if cur is None:
            return
        order, get, start = self.order, lines.get, k + 1
        # no chain has more commits than there are lines, plus a root whose line is absent: the bound ends a cycle
        # (git never prints one; the input is data all the same)
        for _ in range(len(lines) + 1 - len(order)):
            line = get(cur)
            if line is None:
                if final:
                    order.append(cur)  # absent from the output: the chain ends there, as at a root
                    cur = None
                break  # else not read yet: resumed with the next piece
            order.append(cur)
            cur = line[start:]
            if len(cur) > k:  # a second parent
                self.merged = True
                cur = None
                break
            if not cur:  # a root
                cur = None
                break
        else:
            cur = None
        self._next = cur
        chain, done = self.chain, len(self.chain)
        chain.update(zip(order[done:], range(done, len(order)), strict=True))
        if len(chain) < len(order):  # a commit twice: a cycle (never from git), each keeps its first place
            self.chain = dict(zip(reversed(order), range(len(order) - 1, -1, -1), strict=True))
            self._next = None

    def result(self) -> dict[bytes, int] | None:
        """Each commit of the chain -> its distance from the head; None when a merge is on it."""
        return None if self.merged else self.chain
