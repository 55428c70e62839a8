"""The emulator's world: repositories with their git objects, milestones, issues/PRs, releases, users and tokens.

Plain data plus the few operations GitHub derives from it (milestone counts, ref resolution, ancestry). Nothing here
knows about HTTP or JSON: handlers mutate the world under `World.lock`, renderers turn it into GitHub's objects.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def blob_sha(data: bytes) -> str:
    """Git's own blob id, so a file's `sha` is what `git hash-object` would print."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def fake_sha(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()


@dataclass
class User:
    login: str
    id: int
    type: str = "User"  # or "Organization"
    name: str | None = None
    email: str | None = None
    created_at: datetime = field(default_factory=utcnow)


@dataclass
class Token:
    """A credential: whose it is, the OAuth scopes GitHub reports for it, and where it may push."""

    value: str
    login: str
    scopes: tuple[str, ...] = ("repo",)
    push: bool | frozenset[str] = True  # True: every repository; a set: those "owner/name" only (lower case)

    def can_push(self, full_name: str) -> bool:
        if isinstance(self.push, bool):
            return self.push
        return full_name.lower() in self.push


@dataclass
class Label:
    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass
class Milestone:
    id: int
    number: int
    title: str
    creator: str
    description: str | None = None
    state: str = "open"
    due_on: datetime | None = None
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    closed_at: datetime | None = None


@dataclass
class PullInfo:
    """What makes an issue a pull request."""

    id: int
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    draft: bool = False
    merged_at: datetime | None = None
    merge_commit_sha: str | None = None
    merged_by: str | None = None
    maintainer_can_modify: bool = False
    commits: int = 1
    landed: list[str] = field(default_factory=list)  # full ids of the commits a merge put on the base branch
    additions: int = 1
    deletions: int = 0
    changed_files: int = 1


@dataclass
class Comment:
    id: int
    issue_number: int
    user: str
    body: str
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)


@dataclass
class Issue:
    """An issue, or a pull request when `pull` is set: GitHub numbers both from one sequence."""

    id: int
    number: int
    title: str
    user: str
    body: str | None = None
    state: str = "open"
    state_reason: str | None = None
    labels: list[str] = field(default_factory=list)
    milestone: int | None = None
    assignees: list[str] = field(default_factory=list)
    locked: bool = False
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    closed_at: datetime | None = None
    closed_by: str | None = None
    comments: list[Comment] = field(default_factory=list)
    pull: PullInfo | None = None

    @property
    def is_pull(self) -> bool:
        return self.pull is not None

    @property
    def merged(self) -> bool:
        return self.pull is not None and self.pull.merged_at is not None


@dataclass
class Release:
    id: int
    tag_name: str
    target_commitish: str
    author: str
    name: str | None = None
    body: str | None = None
    draft: bool = False
    prerelease: bool = False
    created_at: datetime = field(default_factory=utcnow)
    published_at: datetime | None = None


@dataclass
class Commit:
    sha: str
    message: str
    parents: list[str]
    tree: dict[str, str]  # path -> blob sha
    author_name: str = "Test Author"
    author_email: str = "author@example.com"
    author_login: str | None = None  # the GitHub account, when the email maps to one
    date: datetime = field(default_factory=utcnow)

    @property
    def tree_sha(self) -> str:
        return fake_sha("tree", *sorted(self.tree.items()))


@dataclass
class Protection:
    """Branch protection, as far as the cockpit reads it."""

    contexts: list[str] = field(default_factory=list)
    strict: bool = True
    required_approving_review_count: int | None = 1
    dismiss_stale_reviews: bool = False
    require_code_owner_reviews: bool = False
    enforce_admins: bool = False
    required_linear_history: bool = False
    allow_force_pushes: bool = False
    allow_deletions: bool = False
    required_signatures: bool = False


@dataclass
class Status:
    id: int
    state: str  # error | failure | pending | success
    context: str
    description: str | None = None
    target_url: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)


@dataclass
class CheckRun:
    """A check run of a GitHub App on a commit (what Actions reports beside commit statuses)."""

    id: int
    name: str
    status: str  # queued | in_progress | completed
    conclusion: str | None  # success | failure | neutral | cancelled | skipped | timed_out | action_required
    started_at: datetime = field(default_factory=utcnow)
    completed_at: datetime | None = None


@dataclass
class Repo:
    id: int
    owner: str
    name: str
    default_branch: str
    description: str | None = None
    private: bool = False
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    pushed_at: datetime = field(default_factory=utcnow)
    labels: dict[str, Label] = field(default_factory=dict)  # lower-case name -> label
    milestones: dict[int, Milestone] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    releases: list[Release] = field(default_factory=list)
    latest_release_id: int | None = None
    refs: dict[str, str] = field(default_factory=dict)  # "refs/heads/master" -> commit sha
    commits: dict[str, Commit] = field(default_factory=dict)
    blobs: dict[str, bytes] = field(default_factory=dict)
    protections: dict[str, Protection] = field(default_factory=dict)
    statuses: dict[str, list[Status]] = field(default_factory=dict)  # commit sha -> statuses, oldest first
    check_runs: dict[str, list[CheckRun]] = field(default_factory=dict)  # commit sha -> runs, oldest first
    next_number: int = 1
    next_milestone_number: int = 1

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def branches(self) -> dict[str, str]:
        prefix = "refs/heads/"
        return {ref[len(prefix):]: sha for ref, sha in self.refs.items() if ref.startswith(prefix)}

    def resolve(self, ref: str) -> str | None:
        """The commit a branch, tag, full ref or (abbreviated) sha names, as GitHub resolves `{ref}` parameters."""
        for candidate in (ref, f"refs/heads/{ref}", f"refs/tags/{ref}", f"refs/{ref}"):
            if candidate in self.refs:
                return self.refs[candidate]
        if len(ref) >= 7 and all(c in "0123456789abcdef" for c in ref.lower()):
            matches = [sha for sha in self.commits if sha.startswith(ref.lower())]
            if len(matches) == 1:
                return matches[0]
        return None

    def ancestors(self, sha: str) -> list[str]:
        """`sha` and every commit reachable from it, nearest first."""
        seen: list[str] = []
        queue = [sha]
        while queue:
            current = queue.pop(0)
            if current in seen or current not in self.commits:
                continue
            seen.append(current)
            queue.extend(self.commits[current].parents)
        return seen

    def milestone_counts(self, number: int) -> tuple[int, int]:
        """(open, closed) items in a milestone: GitHub derives them, they are never stored."""
        items = [i for i in self.issues.values() if i.milestone == number]
        return sum(i.state == "open" for i in items), sum(i.state == "closed" for i in items)

    def milestone_by_title(self, title: str) -> Milestone | None:
        return next((m for m in self.milestones.values() if m.title == title), None)

    def take_number(self) -> int:
        number = self.next_number
        self.next_number += 1
        return number


class World:
    """Everything the emulator knows, behind one re-entrant lock (the HTTP server is multi-threaded)."""

    def __init__(self, clock: Callable[[], datetime] = utcnow) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.users: dict[str, User] = {}
        self.tokens: dict[str, Token] = {}
        self.repos: dict[str, Repo] = {}
        self._next_id = 1000
        self._next_user_id = 1

    def now(self) -> datetime:
        return self.clock().replace(microsecond=0)

    def next_id(self) -> int:
        with self.lock:
            self._next_id += 1
            return self._next_id

    def user(self, login: str, *, type: str = "User") -> User:
        """The account `login`, created on first mention (GitHub knows everyone)."""
        with self.lock:
            key = login.lower()
            if key not in self.users:
                self.users[key] = User(login=login, id=self._next_user_id, type=type, created_at=self.now())
                self._next_user_id += 1
            return self.users[key]

    def repo(self, full_name: str) -> Repo | None:
        return self.repos.get(full_name.lower())

    def label(self, repo: Repo, name: str) -> Label:
        """The repository's label `name`; GitHub creates unknown labels when they are put on an issue."""
        key = name.lower()
        if key not in repo.labels:
            repo.labels[key] = Label(id=self.next_id(), name=name)
        return repo.labels[key]

    def commit(
        self,
        repo: Repo,
        message: str,
        *,
        parents: Iterable[str] = (),
        files: dict[str, str | bytes | None] | None = None,
        author_name: str = "Test Author",
        author_email: str = "author@example.com",
        author_login: str | None = None,
        date: datetime | None = None,
    ) -> Commit:
        """A new commit whose tree is the first parent's with `files` applied (None deletes a file)."""
        parents = list(parents)
        tree = dict(repo.commits[parents[0]].tree) if parents else {}
        for path, content in (files or {}).items():
            if content is None:
                tree.pop(path, None)
                continue
            data = content.encode() if isinstance(content, str) else content
            sha = blob_sha(data)
            repo.blobs[sha] = data
            tree[path] = sha
        when = date or self.now()
        sha = fake_sha(repo.full_name, message, parents, sorted(tree.items()), when.isoformat(), self.next_id())
        commit = Commit(sha, message, parents, tree, author_name, author_email, author_login, when)
        repo.commits[sha] = commit
        repo.pushed_at = when
        return commit

    def pushers(self, repo: Repo) -> set[str]:
        """Logins holding a token that can push to `repo` (GitHub calls them collaborators)."""
        return {t.login.lower() for t in self.tokens.values() if t.can_push(repo.full_name)}
