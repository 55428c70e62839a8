"""Seeding the emulator's world from tests: repositories, git history, milestones, issues, PRs and the rest.

Every helper takes `repo="owner/name"` (default: the emulator's main repository) and returns the live world object,
so tests can both arrange a scenario and read back what the client changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from .state import (
    CheckRun,
    Comment,
    Issue,
    Label,
    Milestone,
    Protection,
    PullInfo,
    Release,
    Repo,
    Status,
    Token,
    User,
    World,
    fake_sha,
)


def _commit_at(repo: Repo, ref: str) -> str:
    """The commit `ref` names in `repo` now; a seeding mistake (an unknown ref) is a KeyError."""
    sha = repo.resolve(ref)
    if sha is None:
        raise KeyError(f"unknown ref {ref}")
    return sha


def to_utc(value: date | datetime | str | None) -> datetime | None:
    """A seeding time (ISO string, date or datetime) as an aware UTC datetime, to the second."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


class Seeding:
    """Seeding and read-back helpers; mixed into GitHubEmulator."""

    world: World
    repo_name: str

    # ---- accounts ----------------------------------------------------------------------------------------------
    def add_user(self, login: str, *, name: str | None = None, email: str | None = None, type: str = "User") -> User:
        with self.world.lock:
            user = self.world.user(login, type=type)
            user.name, user.email = name, email
            return user

    def add_token(
        self, value: str, *, login: str, scopes: Iterable[str] = ("repo",), push: bool | Iterable[str] = True
    ) -> Token:
        """Register a credential. `push`: True (every repository), False, or the "owner/name"s it may push to."""
        allowed = push if isinstance(push, bool) else frozenset(name.lower() for name in push)
        with self.world.lock:
            self.world.user(login)
            token = Token(value, login, tuple(scopes), allowed)
            self.world.tokens[value] = token
            return token

    # ---- repositories and git ----------------------------------------------------------------------------------
    def add_repo(
        self, full_name: str, *, default_branch: str = "master", private: bool = False,
        description: str | None = None, files: dict[str, str] | None = None,
    ) -> Repo:
        """A repository with one initial commit on its default branch."""
        owner, name = full_name.split("/", 1)
        with self.world.lock:
            if owner.lower() not in self.world.users:  # an unknown owner is an organisation, like falcosecurity
                self.world.user(owner, type="Organization")
            now = self.world.now()
            repo = Repo(self.world.next_id(), owner, name, default_branch, description, private, now, now, now)
            self.world.repos[full_name.lower()] = repo
            initial = self.world.commit(repo, "Initial commit", files=files or {"README.md": f"# {name}\n"})
            repo.refs[f"refs/heads/{default_branch}"] = initial.sha
            return repo

    def repo(self, full_name: str | None = None) -> Repo:
        found = self.world.repo(full_name or self.repo_name)
        if found is None:
            raise KeyError(f"no repository {full_name}")
        return found

    def add_commit(
        self, message: str, *, branch: str | None = None, files: dict[str, str | None] | None = None,
        parents: Iterable[str] | None = None, author_login: str | None = None, author_name: str = "Test Author",
        author_email: str = "author@example.com", when: date | datetime | str | None = None, repo: str | None = None,
    ) -> str:
        """A commit on `branch` (default: the default branch, which moves to it); returns its sha."""
        r = self.repo(repo)
        with self.world.lock:
            branch = branch or r.default_branch
            head = r.branches().get(branch)
            parent_list = list(parents) if parents is not None else ([head] if head else [])
            commit = self.world.commit(r, message, parents=parent_list, files=dict(files or {}),
                                       author_name=author_name, author_email=author_email,
                                       author_login=author_login, date=to_utc(when))
            r.refs[f"refs/heads/{branch}"] = commit.sha
            return commit.sha

    def add_file(self, path: str, text: str, *, branch: str | None = None, message: str | None = None,
                 repo: str | None = None) -> str:
        return self.add_commit(message or f"Add {path}", branch=branch, files={path: text}, repo=repo)

    def add_branch(self, name: str, *, from_ref: str | None = None, repo: str | None = None) -> str:
        r = self.repo(repo)
        with self.world.lock:
            sha = r.resolve(from_ref or r.default_branch)
            if sha is None:
                raise KeyError(f"unknown ref {from_ref}")
            r.refs[f"refs/heads/{name}"] = sha
            return sha

    def add_tag(self, name: str, *, ref: str | None = None, repo: str | None = None) -> str:
        r = self.repo(repo)
        with self.world.lock:
            sha = r.resolve(ref or r.default_branch)
            if sha is None:
                raise KeyError(f"unknown ref {ref}")
            r.refs[f"refs/tags/{name}"] = sha
            return sha

    def ref(self, name: str, *, repo: str | None = None) -> str | None:
        """The sha a branch, tag or full ref points at (None when absent)."""
        with self.world.lock:
            return self.repo(repo).resolve(name)

    def file(self, path: str, *, ref: str | None = None, repo: str | None = None) -> str | None:
        """A file's text at `ref` (default branch by default), None when absent."""
        r = self.repo(repo)
        with self.world.lock:
            sha = r.resolve(ref or r.default_branch)
            blob = r.commits[sha].tree.get(path) if sha else None
            return None if blob is None else r.blobs[blob].decode()

    def set_protection(self, branch: str, *, contexts: Iterable[str] = (), repo: str | None = None,
                       **settings: Any) -> Protection:
        """Protect `branch`; `settings` are Protection fields (strict, required_approving_review_count, ...)."""
        r = self.repo(repo)
        with self.world.lock:
            protection = Protection(contexts=list(contexts), **settings)
            r.protections[branch] = protection
            return protection

    def remove_protection(self, branch: str, *, repo: str | None = None) -> None:
        with self.world.lock:
            self.repo(repo).protections.pop(branch, None)

    def set_status(self, ref: str, state: str, *, context: str = "ci", description: str | None = None,
                   target_url: str | None = None, repo: str | None = None) -> Status:
        """Report a commit status on what `ref` points at now (error | failure | pending | success)."""
        r = self.repo(repo)
        with self.world.lock:
            sha = _commit_at(r, ref)
            now = self.world.now()
            status = Status(self.world.next_id(), state, context, description, target_url, now, now)
            r.statuses.setdefault(sha, []).append(status)
            return status

    def add_check_run(self, ref: str, name: str, *, status: str = "completed", conclusion: str | None = "success",
                      repo: str | None = None) -> CheckRun:
        """A check run on what `ref` points at now; `conclusion` is None until the run completes."""
        r = self.repo(repo)
        with self.world.lock:
            sha = _commit_at(r, ref)
            now = self.world.now()
            done = status == "completed"
            run = CheckRun(self.world.next_id(), name, status, conclusion if done else None, now, now if done else None)
            r.check_runs.setdefault(sha, []).append(run)
            return run

    # ---- labels, milestones, issues, pull requests -------------------------------------------------------------
    def add_label(self, name: str, *, color: str = "ededed", description: str | None = None,
                  repo: str | None = None) -> Label:
        r = self.repo(repo)
        with self.world.lock:
            label = self.world.label(r, name)
            label.color, label.description = color, description
            return label

    def add_milestone(
        self, title: str, *, state: str = "open", description: str | None = None,
        due_on: date | datetime | str | None = None, creator: str | None = None,
        created_at: date | datetime | str | None = None, closed_at: date | datetime | str | None = None,
        repo: str | None = None,
    ) -> Milestone:
        r = self.repo(repo)
        with self.world.lock:
            now = self.world.now()
            created = to_utc(created_at) or now
            milestone = Milestone(
                id=self.world.next_id(), number=r.next_milestone_number, title=title,
                creator=creator or r.owner, description=description, state=state, due_on=to_utc(due_on),
                created_at=created, updated_at=created,
                closed_at=(to_utc(closed_at) or now) if state == "closed" else None,
            )
            r.next_milestone_number += 1
            r.milestones[milestone.number] = milestone
            return milestone

    def milestone(self, ref: str | int, *, repo: str | None = None) -> Milestone:
        """A milestone by number or title."""
        r = self.repo(repo)
        with self.world.lock:
            found = r.milestones.get(ref) if isinstance(ref, int) else r.milestone_by_title(ref)
            if found is None:
                raise KeyError(f"no milestone {ref!r}")
            return found

    def issue(self, number: int, *, repo: str | None = None) -> Issue:
        with self.world.lock:
            return self.repo(repo).issues[number]

    def _milestone_number(self, ref: str | int | Milestone | None, repo: str | None) -> int | None:
        if ref is None:
            return None
        return ref.number if isinstance(ref, Milestone) else self.milestone(ref, repo=repo).number

    def add_issue(
        self, title: str, *, body: str | None = None, milestone: str | int | Milestone | None = None,
        labels: Iterable[str] = (), state: str = "open", user: str = "contributor", assignees: Iterable[str] = (),
        created_at: date | datetime | str | None = None, updated_at: date | datetime | str | None = None,
        closed_at: date | datetime | str | None = None, repo: str | None = None,
    ) -> Issue:
        return self._add_item(title, body=body, milestone=milestone, labels=labels, state=state, user=user,
                              assignees=assignees, created_at=created_at, updated_at=updated_at,
                              closed_at=closed_at, repo=repo, pull=False)

    def _add_item(
        self, title: str, *, body: str | None, milestone: str | int | Milestone | None, labels: Iterable[str],
        state: str, user: str, assignees: Iterable[str], created_at: date | datetime | str | None,
        updated_at: date | datetime | str | None, closed_at: date | datetime | str | None, repo: str | None,
        pull: bool,
    ) -> Issue:
        """An issue, or the issue half of a pull request: both take the next number of the repository."""
        r = self.repo(repo)
        with self.world.lock:
            now = self.world.now()
            created = to_utc(created_at) or now
            closed = (to_utc(closed_at) or created) if state == "closed" else None
            issue = Issue(
                id=self.world.next_id(), number=r.take_number(), title=title, user=user, body=body, state=state,
                state_reason="completed" if state == "closed" and not pull else None,
                labels=[self.world.label(r, name).name for name in labels],
                milestone=self._milestone_number(milestone, repo), assignees=list(assignees),
                created_at=created, updated_at=to_utc(updated_at) or closed or created, closed_at=closed,
                closed_by=r.owner if closed else None,
            )
            self.world.user(user)
            r.issues[issue.number] = issue
            return issue

    def add_pull(
        self, title: str, *, merged: bool = True, milestone: str | int | Milestone | None = None,
        labels: Iterable[str] = (), user: str = "contributor", body: str | None = None, base: str | None = None,
        head: str | None = None, state: str | None = None, draft: bool = False, merged_by: str | None = None,
        created_at: date | datetime | str | None = None, merged_at: date | datetime | str | None = None,
        merge_commit_sha: str | None = None, commits: Iterable[str] = (), repo: str | None = None,
    ) -> Issue:
        """A pull request (an issue with `pull`): merged and closed by default, open with `merged=False`.

        `commits` are the full ids the PR landed on its base (a rebase merge lands each of its commits; the last is
        its `merge_commit_sha` unless one is given).
        """
        r = self.repo(repo)
        state = state or ("closed" if merged else "open")
        with self.world.lock:
            when = to_utc(merged_at) or to_utc(created_at) or self.world.now()
            issue = self._add_item(title, body=body, milestone=milestone, labels=labels, state=state, user=user,
                                   assignees=(), created_at=created_at, updated_at=None,
                                   closed_at=when if state == "closed" else None, repo=repo, pull=True)
            base = base or r.default_branch
            head = head or f"{user}/pr-{issue.number}"
            landed = list(commits)
            if landed and merge_commit_sha is None and merged:
                merge_commit_sha = landed[-1]
            issue.pull = PullInfo(
                id=self.world.next_id(), head_ref=head, head_sha=r.resolve(head) or fake_sha("head", issue.number),
                base_ref=base, base_sha=r.resolve(base) or fake_sha("base", issue.number), draft=draft,
                merged_at=when if merged else None,
                merge_commit_sha=merge_commit_sha or (fake_sha("merge", r.full_name, issue.number) if merged else None),
                merged_by=(merged_by or r.owner) if merged else None,
                commits=max(len(landed), 1), landed=landed,
            )
            return issue

    def add_comment(self, number: int, body: str, *, user: str = "contributor", repo: str | None = None) -> Comment:
        r = self.repo(repo)
        with self.world.lock:
            now = self.world.now()
            comment = Comment(self.world.next_id(), number, user, body, now, now)
            r.issues[number].comments.append(comment)
            return comment

    def add_release(
        self, tag: str, *, name: str | None = None, body: str | None = None, draft: bool = False,
        prerelease: bool = False, target: str | None = None, latest: bool = True, author: str | None = None,
        repo: str | None = None,
    ) -> Release:
        """A release; a published one also gets its tag (at `target`, default branch by default) if missing."""
        r = self.repo(repo)
        with self.world.lock:
            now = self.world.now()
            release = Release(self.world.next_id(), tag, target or r.default_branch, author or r.owner,
                              name or tag, body, draft, prerelease, now, None if draft else now)
            r.releases.append(release)
            if not draft:
                sha = r.resolve(release.target_commitish)
                if sha is not None:
                    r.refs.setdefault(f"refs/tags/{tag}", sha)
                if latest and not prerelease:
                    r.latest_release_id = release.id
            return release

    def release(self, tag: str, *, repo: str | None = None) -> Release:
        with self.world.lock:
            return next(rel for rel in self.repo(repo).releases if rel.tag_name == tag)
