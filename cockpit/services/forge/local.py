"""LocalForge: the forge's data in one JSON file, for the demo sandbox and when no GitHub is configured.

It behaves like GitHubForge (the same contract tests run against both). Every change rewrites the file
atomically (temp file + fsync + rename), so a crash never leaves it half-written."""

from __future__ import annotations

import json
import os
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cockpit.core.forge_models import (
    BranchProtection,
    CheckRun,
    CombinedStatus,
    CommitPull,
    Item,
    Milestone,
    MoveOutcome,
    RateLimit,
    Release,
    Repository,
)
from cockpit.services.files import exclusive_lock, read_regular_file
from cockpit.services.forge.base import Conflict, ForgeError, NotFound, newest_merged_first, unknown_milestone
from cockpit.services.forge.local_repos import (
    LocalRepoFiles,
    file_time,
)
from cockpit.services.forge.local_shapes import check_forge_file

SCHEMA = 1
MAX_FORGE_FILE = 64 * 1024 * 1024  # thousands of items with their bodies are a few MB: far more is no forge file
_dt = file_time


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextmanager
def _file_lock(forge_file: Path) -> Iterator[None]:
    """An exclusive flock on `.<name>.lock` beside the forge file, released on exit (or when the process dies).
    The forge file itself is replaced on each write, so it cannot carry the lock; a lock file opened for writing
    also works where flock is emulated with fcntl locks (NFS)."""
    lock = forge_file.with_name(f".{forge_file.name}.lock")
    with exclusive_lock(lock, 0o666,
                        lambda exc: ForgeError(f"cannot lock the local forge file: {lock}: {exc.strerror}")):
        yield


class LocalForge(LocalRepoFiles):
    def __init__(self, path: str | os.PathLike[str], clock: Any = None):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._now = clock or (lambda: datetime.now(UTC))
        self._checked: bytes | None = None  # the file's content the last time its records were all checked
        if not self.path.exists():
            raise ForgeError(f"local forge file {self.path} does not exist")
        self._load()  # fail early on a corrupt file

    # --- the file ---------------------------------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        """The file as it is now (another process may have written it since), its records checked again only when
        its content changed: the same bytes have the same records."""
        try:
            raw = read_regular_file(self.path, MAX_FORGE_FILE)
            data = json.loads(raw.decode("utf-8"))
        except (OSError, ValueError, RecursionError) as exc:  # ValueError: not UTF-8, not JSON, an int too long
            raise ForgeError(f"local forge file {self.path} is unreadable: {exc}") from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("repository"), dict):
            raise ForgeError(f"local forge file {self.path} is not a cockpit forge file (schema {SCHEMA})")
        for key in ("milestones", "items", "releases", "comments"):
            data.setdefault(key, [])
            if not isinstance(data[key], list):
                raise ForgeError(f"local forge file {self.path}: {key!r} must be a list")
        if raw != self._checked:
            try:
                check_forge_file(data)
            except ValueError as exc:
                raise ForgeError(f"local forge file {self.path}: {exc}") from None
            self._checked = raw
        return data

    def _save(self, data: dict[str, Any]) -> None:
        """Temp file + rename beside the real file: a symlinked forge file (one shared by several clones) has its
        target rewritten and stays a link."""
        target = Path(os.path.realpath(self.path))
        try:  # the rewrite keeps the file's mode: a shared forge file stays shared, a private one private
            mode = stat.S_IMODE(target.stat().st_mode)
        except OSError:
            mode = 0o644
        fd, tmp = tempfile.mkstemp(prefix=".forge-", suffix=".json", dir=target.parent)
        try:
            os.fchmod(fd, mode)  # mkstemp's file is 0600
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, sort_keys=False)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # --- conversions ------------------------------------------------------------------------------------------

    def _repo_url(self, data: dict[str, Any]) -> str:
        repo = data["repository"]
        return repo.get("html_url") or f"https://github.com/{repo['owner']}/{repo['name']}"

    def _milestone(self, data: dict[str, Any], m: dict[str, Any]) -> Milestone:
        items = [i for i in data["items"] if i.get("milestone") == m["title"]]
        open_count = sum(i.get("state") == "open" for i in items)
        due = _dt(m.get("due_on"))
        return Milestone(int(m["number"]), m["title"], m.get("state", "open"), due.date() if due else None,
                         m.get("description") or "", open_count, len(items) - open_count,
                         f"{self._repo_url(data)}/milestone/{m['number']}")

    def _item(self, data: dict[str, Any], i: dict[str, Any]) -> Item:
        kind = "pr" if i.get("kind") == "pr" else "issue"
        base = self._repo_url(data)
        host = base.rsplit("/", 2)[0]
        return Item(
            number=int(i["number"]), kind=kind, title=i.get("title", ""), state=i.get("state", "open"),
            author=i.get("author", ""), labels=tuple(i.get("labels", ())), body=i.get("body") or "",
            milestone=i.get("milestone"), merged_at=_dt(i.get("merged_at")) if kind == "pr" else None,
            created_at=_dt(i.get("created_at")), updated_at=_dt(i.get("updated_at")),
            url=f"{base}/{'pull' if kind == 'pr' else 'issues'}/{i['number']}",
            author_url=f"{host}/{i.get('author', '')}", merge_commit_sha=i.get("merge_commit_sha"),
        )

    def _find_milestone(self, data: dict[str, Any], title: str) -> dict[str, Any]:
        for m in data["milestones"]:
            if m["title"] == title:
                return m
        raise unknown_milestone(title, [m["title"] for m in data["milestones"] if m.get("state", "open") == "open"])

    def _find_item(self, data: dict[str, Any], number: int) -> dict[str, Any]:
        for i in data["items"]:
            if int(i["number"]) == number:
                return i
        raise NotFound(f"no issue or pull request #{number}")

    def _next_number(self, data: dict[str, Any], key: str) -> int:
        return max((int(x["number"]) for x in data[key]), default=0) + 1

    # --- reads ------------------------------------------------------------------------------------------------

    def _is_other(self, data: dict[str, Any], repo: str | None) -> bool:
        r = data["repository"]
        return repo is not None and repo.lower() != f"{r['owner']}/{r['name']}".lower()

    def repository(self, repo: str | None = None) -> Repository:
        data = self._load()
        if self._is_other(data, repo):
            return self._other_repository(str(repo))
        r = data["repository"]
        return Repository(r["owner"], r["name"], r.get("default_branch", "master"), self._repo_url(data), True)

    def milestones(self, state: str = "open") -> list[Milestone]:
        data = self._load()
        found = [self._milestone(data, m) for m in data["milestones"]
                 if state == "all" or m.get("state", "open") == state]  # no state: open, as _milestone says
        return sorted(found, key=lambda m: (m.due_on is None, m.due_on or date.max, m.number))

    def milestone(self, title: str) -> Milestone:
        data = self._load()
        return self._milestone(data, self._find_milestone(data, title))

    def milestone_items(self, title: str) -> list[Item]:
        data = self._load()
        self._find_milestone(data, title)
        return [self._item(data, i) for i in data["items"] if i.get("milestone") == title]

    def merged_without_milestone(self, since: date | None = None) -> list[Item]:
        """Merged PRs nobody put in a milestone: no release's notes would list them."""
        data = self._load()
        return newest_merged_first([self._item(data, i) for i in data["items"]
                                    if i.get("kind") == "pr" and not i.get("milestone") and i.get("merged_at")], since)

    def item(self, number: int) -> Item:
        data = self._load()
        return self._item(data, self._find_item(data, number))

    def pull_commits(self, number: int) -> list[str]:
        """The commits the PR landed on its base, as the file lists them ("commits"); [] when it lists none."""
        i = self._find_item(self._load(), number)
        if i.get("kind") != "pr":
            raise NotFound(f"#{number} is an issue, not a pull request")
        return list(i.get("commits") or ())

    def pulls_from(self, repo: str, head: str) -> list[Item]:
        """PRs from `head`, newest first: on another repository of the file, or on the project itself."""
        data = self._load()
        if self._is_other(data, repo):
            return super().pulls_from(repo, head)
        return [self._item(data, i) for i in reversed(data["items"])
                if i.get("kind") == "pr" and i.get("head") == head]

    def commit_pulls(self, shas: Sequence[str]) -> dict[str, tuple[CommitPull, ...]]:
        """The PRs whose `"commits"` (what they landed on their base) or `merge_commit_sha` name each commit."""
        data = self._load()
        wanted = set(shas)
        found: dict[str, list[CommitPull]] = {}
        default = data["repository"].get("default_branch", "master")
        for i in data["items"]:
            if i.get("kind") != "pr":
                continue
            landed = dict.fromkeys([*i.get("commits", ()), *([i["merge_commit_sha"]] if i.get("merge_commit_sha")
                                                               else [])])
            hits = [sha for sha in landed if sha in wanted]
            if not hits:
                continue
            merged = bool(i.get("merged_at")) or i.get("merged") is True
            pull = CommitPull(int(i["number"]), i.get("title", ""), i.get("author", ""), tuple(i.get("labels", ())),
                              i.get("milestone"), i.get("body") or "", merged, i.get("base") or default,
                              "open" if i.get("state", "open") == "open" else "closed")
            for sha in hits:
                found.setdefault(sha, []).append(pull)
        return {sha: tuple(sorted(pulls, key=lambda p: p.number)) for sha, pulls in found.items()}

    def release(self, tag: str) -> Release | None:
        for r in self._load()["releases"]:
            if r["tag"] == tag:
                return Release(r["tag"], r["name"], r["body"], r["draft"], r["prerelease"], r.get("url", ""),
                               int(r.get("id", 0)))
        return None

    def branch_protection(self, branch: str) -> BranchProtection:
        protected = self._load().get("protected_branches", {})
        rule = protected.get(branch)
        return BranchProtection(branch, rule is not None, (rule or {}).get("required_reviews"))

    def combined_status(self, ref: str) -> CombinedStatus:
        status = self._load().get("statuses", {}).get(ref)
        return CombinedStatus(ref, status["state"], status.get("total", 0)) if status \
            else CombinedStatus(ref, "unknown", 0)

    def check_runs(self, ref: str) -> list[CheckRun]:
        """The `runs` of the ref's `statuses` entry (checked when the file is read), by name."""
        status = self._load().get("statuses", {}).get(ref) or {}
        runs = [CheckRun(r["name"], r["status"], r.get("conclusion"), r.get("url", "")) for r in status.get("runs", ())]
        return sorted(runs, key=lambda r: r.name)

    def rate_limit(self) -> RateLimit | None:
        return None  # a file has no rate limit

    # --- writes -----------------------------------------------------------------------------------------------

    def _mutate(self, change: Any) -> Any:
        """Read, change, write, with no other writer in between: threads of this process (a lock) and other
        cockpit processes, e.g. clones sharing one forge file through a link (a lock file beside it)."""
        with self._lock, _file_lock(Path(os.path.realpath(self.path))):
            data = self._load()
            result = change(data)
            self._save(data)
            return result

    def create_milestone(self, title: str, due_on: date | None = None, description: str = "") -> Milestone:
        def change(data: dict[str, Any]) -> Milestone:
            if any(m["title"] == title for m in data["milestones"]):
                raise Conflict(f"milestone {title!r} already exists")
            m = {"number": self._next_number(data, "milestones"), "title": title, "state": "open",
                 "description": description, "due_on": f"{due_on.isoformat()}T00:00:00Z" if due_on else None,
                 "created_at": _iso(self._now()), "closed_at": None}
            data["milestones"].append(m)
            return self._milestone(data, m)
        return self._mutate(change)

    def rename_milestone(self, title: str, new_title: str) -> Milestone:
        def change(data: dict[str, Any]) -> Milestone:
            m = self._find_milestone(data, title)
            if any(o["title"] == new_title for o in data["milestones"] if o is not m):
                raise Conflict(f"milestone {new_title!r} already exists")
            m["title"] = new_title
            for i in data["items"]:
                if i.get("milestone") == title:
                    i["milestone"] = new_title
            return self._milestone(data, m)
        return self._mutate(change)

    def close_milestone(self, title: str) -> Milestone:
        def change(data: dict[str, Any]) -> Milestone:
            m = self._find_milestone(data, title)
            m["state"], m["closed_at"] = "closed", _iso(self._now())
            return self._milestone(data, m)
        return self._mutate(change)

    def move_items(self, numbers: Sequence[int], to_title: str | None) -> list[MoveOutcome]:
        def change(data: dict[str, Any]) -> list[MoveOutcome]:
            if to_title is not None:
                self._find_milestone(data, to_title)
            items = [self._find_item(data, n) for n in numbers]  # all exist before anything moves
            for i in items:
                i["milestone"], i["updated_at"] = to_title, _iso(self._now())
            return [MoveOutcome(int(i["number"]), True, to_title) for i in items]
        return self._mutate(change)

    def create_issue(self, title: str, body: str, milestone: str | None = None,
                     labels: Sequence[str] = ()) -> Item:
        return self._new_item("issue", title, body, milestone, labels, {})

    def create_pull(self, title: str, body: str, head: str, base: str, repo: str | None = None) -> Item:
        if self._is_other(self._load(), repo):
            return self._open_pull(str(repo), title, body, head, base)
        return self._new_item("pr", title, body, None, (), {"head": head, "base": base, "merged_at": None})

    def _new_item(self, kind: str, title: str, body: str, milestone: str | None, labels: Sequence[str],
                  extra: dict[str, Any]) -> Item:
        def change(data: dict[str, Any]) -> Item:
            if milestone is not None:
                self._find_milestone(data, milestone)
            now = _iso(self._now())
            i = {"number": self._next_number(data, "items"), "kind": kind, "title": title, "state": "open",
                 "merged": False, "milestone": milestone, "labels": list(labels),
                 "author": data["repository"].get("user", "release-manager"), "body": body,
                 "created_at": now, "updated_at": now, **extra}
            data["items"].append(i)
            return self._item(data, i)
        return self._mutate(change)

    def comment(self, number: int, body: str) -> str:
        def change(data: dict[str, Any]) -> str:
            self._find_item(data, number)
            cid = len(data["comments"]) + 1
            data["comments"].append({"id": cid, "item": number, "body": body, "created_at": _iso(self._now())})
            return f"{self._repo_url(data)}/issues/{number}#issuecomment-{cid}"
        return self._mutate(change)

    def add_labels(self, number: int, labels: Sequence[str]) -> tuple[str, ...]:
        def change(data: dict[str, Any]) -> tuple[str, ...]:
            i = self._find_item(data, number)
            have = list(i.get("labels", ()))
            added = [name for name in dict.fromkeys(labels) if name.lower() not in {h.lower() for h in have}]
            if added:
                i["labels"], i["updated_at"] = have + added, _iso(self._now())
            return tuple(i["labels"]) if added else tuple(have)
        return self._mutate(change)

    def edit_body(self, number: int, body: str) -> Item:
        def change(data: dict[str, Any]) -> Item:
            i = self._find_item(data, number)
            i["body"], i["updated_at"] = body, _iso(self._now())
            return self._item(data, i)
        return self._mutate(change)

    def create_release(self, tag: str, name: str, body: str, draft: bool, prerelease: bool,
                       make_latest: bool) -> Release:
        def change(data: dict[str, Any]) -> Release:
            if any(r["tag"] == tag for r in data["releases"]):
                raise Conflict(f"a release for tag {tag} already exists")
            rid = len(data["releases"]) + 1
            r = {"id": rid, "tag": tag, "name": name, "body": body, "draft": draft, "prerelease": prerelease,
                 "make_latest": make_latest, "url": f"{self._repo_url(data)}/releases/tag/{tag}",
                 "created_at": _iso(self._now())}
            data["releases"].append(r)
            return Release(tag, name, body, draft, prerelease, r["url"], rid)
        return self._mutate(change)
