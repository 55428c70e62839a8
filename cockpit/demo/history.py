"""Replay the story in time order: master's commits, each release branch's backports, the tags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from cockpit.demo.changes import _Change
from cockpit.demo.content import _initial_tree
from cockpit.demo.people import _FR, _Person
from cockpit.demo.routine import _ERAS, _PATTERN, _Routine
from cockpit.demo.seed import _h
from cockpit.demo.story import _ALT, _BRANCHES, NEWEST_RELEASE_BRANCH, _specials
from cockpit.demo.tree import _Set, _Tree


@dataclass
class _Commit:
    mark: int
    branch: str
    parent: int | None
    author: _Person
    author_time: int
    commit_time: int
    message: str
    files: dict[str, bytes]
    picked_from: int | None = None  # master mark, for a `(cherry picked from commit ...)` trailer


@dataclass(frozen=True)
class _Tag:
    name: str
    mark: int
    annotated: bool
    stamp: int


class _History:
    """The story, replayed in time order: master's PRs (planned ones and routine ones), then on each release
    branch its RC tags, backports and finals. fastimport writes it into git; forge_data reads it for forge.json."""

    def __init__(self, today: date) -> None:
        self.base = int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp())
        self.master_commits: list[_Commit] = []
        self.branch_commits: list[_Commit] = []
        self.tags: list[_Tag] = []
        self.changes: list[_Change] = []
        self.planned: dict[str, _Change] = {}
        self.shipped_in: dict[str, str] = {}  # planned fix -> the libs release that shipped its backport
        self.finals: dict[str, int] = {}  # released version -> tag time
        self.forks: dict[str, int] = {}  # release branch -> fork time
        self.shas: dict[int, str] = {}  # mark -> commit id, once written
        self._mark = 0

    def at(self, day: float) -> int:
        """Unix time `day` days before today's midnight (UTC), to the minute."""
        return self.base - round(day * 1440) * 60

    def _new_mark(self) -> int:
        self._mark += 1
        return self._mark

    def replay(self) -> None:
        """Interleave the planned changes with routine ones by date, snapshot master at each fork, then replay
        each release branch on its snapshot (so a backport meets exactly the code the branch has)."""
        events: list[tuple[float, int, _Change | tuple[str, int]]] = [
            (day, n, change) for n, (day, change) in enumerate(_specials())]
        slot = 0
        for era, (start, end, count) in enumerate(_ERAS):
            step = (start - end) / count
            for i in range(count):
                jitter = (_h("jitter", era, i) % 600 - 300) / 1000 * step
                category = _PATTERN[slot % len(_PATTERN)]
                if era == len(_ERAS) - 1 and category == "fix":  # after the newest fork only planned fixes land
                    category = ("cleanup", "test", "update", "perf", "docs")[i % 5]
                events.append((start - (i + 0.5) * step + jitter, 1000 + slot, (category, slot)))
                slot += 1
        events.sort(key=lambda e: (-e[0], e[1]))
        tree = _initial_tree(datetime.fromtimestamp(self.at(270), UTC).year)
        routine = _Routine()
        forks = sorted(((day, name) for name, (day, _) in _BRANCHES.items()), reverse=True)
        snapshots: dict[str, tuple[_Tree, int]] = {}
        root = _Change("chore", None, "import the libs source tree", _FR, ())
        pr = 1187
        self._commit_master_root(root, tree, pr)
        for day, _, item in events:
            while forks and forks[0][0] > day:
                fork_day, name = forks.pop(0)
                snapshots[name] = (tree.copy(), self.master_commits[-1].mark)
                self.forks[name] = self.at(fork_day)
            change = routine.make(item[0], item[1], tree) if isinstance(item, tuple) else item
            pr += 1 + _h("pr-gap", pr) % 4
            self._commit_master(change, tree, day, pr)
        newest = self.forks[NEWEST_RELEASE_BRANCH]
        for kind, scope in (("chore", "deps"), ("ci", None)):  # routine PRs merged without a milestone
            first = next(c for c in self.changes if c.stamp > newest and c.kind == kind and c.scope == scope)
            first.no_milestone = True
        for name, (_, actions) in _BRANCHES.items():
            self._replay_branch(name, *snapshots[name], actions)

    def _commit_master(self, change: _Change, tree: _Tree, day: float, pr: int) -> None:
        """Land the PR by rebase: one commit per step on master, each with the tree after its ops (applied to
        `tree`), all committed at the merge time (a rebase merge writes them at once)."""
        change.pr, change.stamp = pr, self.at(day)
        review = (1 + _h("review", pr) % 70) * 3600
        marks = []
        steps = change.commits()
        for n, (subject, ops) in enumerate(steps):
            for op in ops:
                tree.apply(op)
            mark = self._new_mark()
            parent = self.master_commits[-1].mark if self.master_commits else None
            paths = sorted({op.path for op in ops})
            self.master_commits.append(_Commit(mark, "refs/heads/master", parent, change.author,
                                               change.stamp - review + (n - len(steps) + 1) * 600, change.stamp,
                                               change.message_of(subject), {p: tree.render(p) for p in paths}))
            marks.append(mark)
        change.marks, change.mark = tuple(marks), marks[-1]
        self.changes.append(change)
        if change.name:
            self.planned[change.name] = change

    def _commit_master_root(self, root: _Change, tree: _Tree, pr: int) -> None:
        """The import commit: every file of the initial tree."""
        root.pr, root.stamp = pr, self.at(270.0)
        root.mark = self._new_mark()
        root.marks = (root.mark,)
        self.master_commits.append(_Commit(root.mark, "refs/heads/master", None, root.author, root.stamp - 3600,
                                           root.stamp, root.message, {p: tree.render(p) for p in sorted(tree.files)}))
        self.changes.append(root)

    def _replay_branch(self, branch: str, tree: _Tree, head: int, actions: list[tuple[float, tuple]]) -> None:
        pending: list[str] = []
        for day, action in actions:
            if action[0] == "tag":
                for spelled in action[1]:
                    name = spelled.rstrip("^")
                    self.tags.append(_Tag(name, head, spelled.endswith("^"), self.at(day)))
                    if "-" not in name.split("+")[0] and name.partition("+")[2] in ("", "driver"):
                        self.finals[name] = self.at(day)
                        if "+" not in name:
                            self.shipped_in.update(dict.fromkeys(pending, name))
                            pending.clear()
                continue
            _, fix, mode = action
            change = self.planned[fix]
            ops = change.ops
            if mode == "adjusted":  # planned fixes are one _Set: the branch gets another text for that line
                op = ops[0]
                if not isinstance(op, _Set):
                    raise TypeError(f"{fix}: only a one-line fix can be backported adjusted")
                ops = (_Set(op.path, op.block, op.idx, "\t" + _ALT[fix]),)
            for op in ops:
                tree.apply(op)
            master = next(c for c in self.master_commits if c.mark == change.mark)
            commit = _Commit(self._new_mark(), f"refs/heads/{branch}", head, change.author, master.author_time,
                             self.at(day), change.message, {op.path: tree.render(op.path) for op in ops},
                             change.mark if mode == "x" else None)
            self.branch_commits.append(commit)
            head = commit.mark
            pending.append(fix)
