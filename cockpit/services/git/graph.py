"""The commit graph's answers for release branches: divergence from the main line (fork point, ahead, behind,
own commits), from the graph cache when the refs allow and otherwise from one read of the graph they stand on
(every commit reachable from the main line and the release branches: graph_walk.py), and the ancestry questions
git answers itself (is-ancestor, merge-base)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence

from cockpit.core.graph import CommitGraph, RevListIndex, parse_parents
from cockpit.services.git.errors import GitCommandFailed, GitError
from cockpit.services.git.graph_cache import BranchDivergence, GraphCache, GraphState
from cockpit.services.git.graph_walk import GraphWalk
from cockpit.services.git.process import GitProcess

# A small pack window keeps git's own memory at ~70 MB instead of ~160 MB on a 150k-commit repository (it maps the
# whole pack otherwise), at the same speed.
_WALK = ("-c", "core.packedGitLimit=32m", "-c", "core.packedGitWindowSize=8m", "rev-list", "--parents")
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?\Z")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def history_cut(tags: Iterable[tuple[int, str]]) -> list[str]:
    """The commits of the older half of the tags (by date), where the graph read is cut in two: about as many
    commits lie below them as above in a project that tags along its history. Any choice gives the same graph;
    this one only balances the two walks."""
    ordered = sorted(tags)
    return sorted({commit for _, commit in ordered[:len(ordered) // 2]})


class GraphReads(GitProcess):
    """Divergence and ancestry; `graph_cache` is set by the service (None: computed every time)."""

    graph_cache: GraphCache | None = None

    def graph(self, tips: Sequence[str], cut: Sequence[str] = (), follow: str | None = None) -> RevListIndex:
        """Every commit reachable from `tips` (and from `cut`), each with its parents, indexed by commit without
        parsing every line; read while git walks, in two walks on two cores when `cut` (older commits, see
        `history_cut`) is given. `follow`: the main head, whose first-parent chain is walked as its lines
        arrive."""
        ids = [*tips, *cut]
        if not all(_OBJECT_ID.match(i) for i in ids):
            raise GitError("the commit graph is read from object ids only")
        # disjoint parts; together, all of both
        parts = [[*tips, *(f"^{c}" for c in cut)], list(cut)] if cut and _cores() > 1 else [ids]
        with GraphWalk(self.root, _WALK, parts) as walk:
            return walk.index(follow.encode("ascii") if follow else None)

    def _divergences(self, main_head: str | None, heads: dict[str, str],
                     tags: Iterable[tuple[int, str]] = ()) -> dict[str, BranchDivergence]:
        """Each branch against the main line: from the graph cache when the refs allow (see graph_cache.py),
        else from one read of the graph (cut at the older `tags`: (date, commit)); the cache then holds the
        answer for the next run."""
        cache = self.graph_cache
        stored = cache.load() if cache is not None else None
        found = self._advanced(stored, main_head, heads) if stored is not None else None
        if found is None:
            found = self._divergences_from_graph(main_head, heads, history_cut(tags))
        if cache is not None and (stored is None or stored.main != main_head or stored.branches != found):
            cache.save(GraphState(main_head, found))
        return found

    def _divergences_from_graph(self, main_head: str | None, heads: dict[str, str],
                                cut: Sequence[str] = ()) -> dict[str, BranchDivergence]:
        tips = sorted({*heads.values(), *([main_head] if main_head else [])})
        index = self.graph(tips, cut, main_head)
        chain = index.first_parent_chain(main_head.encode("ascii")) if main_head else None
        if chain is not None:  # a main line without merges (rebase-merged projects): lookups, no counting
            found = {}
            for name, head in heads.items():
                d = index.divergence(chain, head.encode("ascii"))
                found[name] = BranchDivergence(head, d.fork_point, d.ahead, d.behind, d.own)
            return found
        graph = CommitGraph(index.parents_map(), main_head)
        found = {}
        for name, head in heads.items():
            div = graph.divergence(head)
            if div is None:
                fork, ahead, behind, own = self._divergence_by_walk(main_head, head)
                found[name] = BranchDivergence(head, fork, ahead, behind, own, walked=True)
            else:
                found[name] = BranchDivergence(head, div.fork_point, div.ahead, div.behind, div.own)
        return found

    def _advanced(self, stored: GraphState, main_head: str | None,
                  heads: dict[str, str]) -> dict[str, BranchDivergence] | None:
        """The stored divergences carried forward over commits added since, walking only those; None when a ref
        moved in a way that needs the whole graph again (rewritten, new branch, a new fork from the main line)."""
        new_main: dict[str, tuple[str, ...]] = {}
        if stored.main != main_head:
            if stored.main is None or main_head is None:
                return None
            new_main = self.parents_between(main_head, stored.main)
            tip: str | None = main_head
            while tip in new_main:  # the old head must be on the new head's first-parent chain
                parents = new_main[tip]
                tip = parents[0] if parents else None
            if tip != stored.main:
                return None
        found = {}
        for name, head in heads.items():
            old = stored.branches.get(name)
            if old is None or (old.walked and (new_main or old.head != head)):
                return None
            own, ahead = old.own, old.ahead
            if head != old.head:
                added = self.parents_between(head, old.head, *([main_head] if main_head else []))
                outside = {p for ps in added.values() for p in ps if p not in added}
                if old.head not in outside or not outside <= old.own | {old.head}:
                    return None  # not a fast-forward of the branch alone: its fork may have moved
                own, ahead = own | added.keys(), ahead + len(added)
            if not own.isdisjoint(new_main):
                return None  # the branch was merged into the main line
            found[name] = BranchDivergence(head, old.fork_point, ahead, old.behind + len(new_main), own, old.walked)
        return found

    def parents_between(self, tip: str, *excluded: str) -> dict[str, tuple[str, ...]]:
        """The commits reachable from `tip` and from none of `excluded`, each with its parents: a walk of what
        was added since, not of the history."""
        with self.stream("rev-list", "--parents", "--end-of-options", tip, *(f"^{e}" for e in excluded), "--") as out:
            return parse_parents(out)

    def _divergence_by_walk(self, main_head: str | None, head: str) -> tuple[str | None, int, int, frozenset[str]]:
        """Exact fallback for unusual shapes: git's own merge-base and counts for one branch."""
        if not main_head:
            return None, 0, 0, frozenset()
        fork = self.merge_base(main_head, head)
        behind, ahead = self.text("rev-list", "--left-right", "--count", "--end-of-options",
                                  f"{main_head}...{head}", "--").split()
        own = self.text("rev-list", "--end-of-options", head, f"^{main_head}", "--").split()
        return fork, int(ahead), int(behind), frozenset(own)

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        try:
            self.run("merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant)
        except GitCommandFailed:
            return False
        return True

    def merge_base(self, a: str, b: str) -> str | None:
        try:
            return self.text("merge-base", "--end-of-options", a, b).strip() or None
        except GitCommandFailed:
            return None
