"""LocalForge's other repositories (the infra repository of the branch-protection request), kept in the forge
file's `repositories` section so the demo and offline work can open that PR too:

    "repositories": {"falcosecurity/test-infra": {
        "default_branch": "master", "push": true,
        "branches": {"master": {"commits": [{"sha": ..., "message": ..., "author": ...}],
                                "files": {"config/config.yaml": "..."}}},
        "pulls": [{"number": 1, "title": ..., "body": ..., "head": ..., "base": ..., "state": "open", ...}]}}

It answers like GitHub does (the contract suite runs both): file shas are git blob ids, writing needs push access
(`"push": false` -> PermissionDenied), a stale sha is a Conflict, a PR needs commits between its branches."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cockpit.core.forge_models import FileAt, FileCommit, Item, Repository
from cockpit.services.forge.base import Conflict, ForgeError, NotFound, PermissionDenied


def blob_sha(text: str) -> str:
    """Git's blob id of the text, as GitHub reports a file's `sha`."""
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def commit_sha(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode(), usedforsecurity=False).hexdigest()


def local_repository(files: Mapping[str, str], default_branch: str = "master", push: bool = True) -> dict[str, Any]:
    """A `repositories` entry: one initial commit holding `files` on the default branch (for seeding)."""
    first = {"sha": commit_sha("initial", *sorted(f"{p}\0{blob_sha(t)}" for p, t in files.items())),
             "message": "Initial commit", "author": None}
    return {"default_branch": default_branch, "push": push,
            "branches": {default_branch: {"commits": [first], "files": dict(files)}}, "pulls": []}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_time(text: str | None) -> datetime | None:
    """A time of the file, in UTC as GitHub gives them: ISO 8601 with GitHub's `Z`, any offset, or none (taken as
    UTC, so every time compares with every other); None for null or an empty string. ValueError when it is no
    time, OverflowError when it is one UTC cannot hold (the first hours of year 1 east of Greenwich)."""
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


# The shape of the file's records, checked as they are read, so that a file edited by hand (or by anything else)
# that does not fit is one ForgeError naming the record, never a traceback or a wrongly typed value further on.
# key -> (the types allowed, required); NoneType among the types allows null; an absent optional key takes the
# default its reader gives it.
Shape = dict[str, tuple[tuple[type, ...], bool]]
TEXT, TEXT_OR_NULL, INT = (str,), (str, type(None)), (int,)
TIMES = ("due_on", "merged_at", "created_at", "updated_at")
STATES = {"state": ("open", "closed")}
_BRANCH: Shape = {"commits": ((list,), True), "files": ((dict,), True)}
_PULL: Shape = {"number": (INT, True), "title": (TEXT, True), "head": (TEXT, True), "base": (TEXT, True),
                "state": (TEXT, False), "author": (TEXT, False), "body": (TEXT_OR_NULL, False),
                "merged_at": (TEXT_OR_NULL, False), "created_at": (TEXT, True)}


_TYPE_NAMES = {str: "text", int: "an integer", bool: "true or false", float: "a fraction", list: "a list",
               dict: "an object", type(None): "null"}


def type_name(kind: type) -> str:
    """A JSON type as a user reads it ("text", "null"), for messages about a record of the wrong shape."""
    return _TYPE_NAMES.get(kind, kind.__name__)


def unique_numbers(records: list[dict[str, Any]], what: str) -> None:
    """ValueError when two records share a number: the cockpit keys issues, PRs and milestones by it."""
    seen: set[int] = set()
    for record in records:
        number = record["number"]
        if number in seen:
            raise ValueError(f"two {what} are numbered {number}")
        seen.add(number)


def check_record(record: Any, shape: Shape, where: str, choices: Mapping[str, tuple[str, ...]] = STATES) -> None:
    """Raise ValueError, in one line, when `record` does not fit `shape` (times must parse, `choices` restrict
    some keys' values)."""
    if not isinstance(record, dict):
        raise ValueError(f"{where} is not an object")
    for key, (allowed, required) in shape.items():
        if key not in record:
            if required:
                raise ValueError(f"{where} has no {key!r}")
            continue
        value = record[key]
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            raise ValueError(f"{where}: {key!r} must be {' or '.join(type_name(t) for t in allowed)}, not "
                             f"{type_name(type(value))}")
        if key in choices and value not in choices[key]:
            raise ValueError(f"{where}: {key!r} must be one of {', '.join(choices[key])}")
        if key in TIMES and value:
            try:
                file_time(value)
            except (ValueError, OverflowError):
                raise ValueError(f"{where}: {key!r} is not an ISO 8601 time") from None


def _check_other(r: dict[str, Any]) -> None:
    """A `repositories` entry: branches with at least one commit and text files, and well-formed PRs."""
    for name, branch in r["branches"].items():
        check_record(branch, _BRANCH, f"branch {name!r}")
        if not branch["commits"] or not all(isinstance(c, dict) and isinstance(c.get("sha"), str)
                                            for c in branch["commits"]):
            raise ValueError(f"branch {name!r}: 'commits' must be a non-empty list of objects with a 'sha'")
        if not all(isinstance(text, str) for text in branch["files"].values()):
            raise ValueError(f"branch {name!r}: 'files' must map paths to text")
    for n, pull in enumerate(r["pulls"]):
        check_record(pull, _PULL, f"pulls[{n}]")
    unique_numbers(r["pulls"], "pull requests")


class LocalRepoFiles:
    if TYPE_CHECKING:  # provided by LocalForge
        _now: Callable[[], datetime]

        def _load(self) -> dict[str, Any]: ...

        def _mutate(self, change: Any) -> Any: ...

    # --- the section ------------------------------------------------------------------------------------------

    @staticmethod
    def _other(data: dict[str, Any], repo: str) -> dict[str, Any]:
        repos = data.get("repositories") or {}
        if not isinstance(repos, dict):
            raise ForgeError("local forge file: 'repositories' must be an object")
        found = next((r for name, r in repos.items() if name.lower() == repo.lower()), None)
        if not isinstance(found, dict):
            raise NotFound(f"repository {repo}: not in the local forge file")
        found.setdefault("branches", {})
        found.setdefault("pulls", [])
        try:
            check_record(found, {"default_branch": (TEXT, False), "branches": ((dict,), True),
                                 "pulls": ((list,), True)}, "the entry")
            _check_other(found)
        except ValueError as exc:
            raise ForgeError(f"local forge file, repository {repo}: {exc}") from None
        return found

    @staticmethod
    def _require_push(r: dict[str, Any], repo: str) -> None:
        if not r.get("push", True):
            raise PermissionDenied(f"the local forge refused a write to {repo}: Must have push access to "
                                   "repository")

    @staticmethod
    def _branch(r: dict[str, Any], repo: str, name: str) -> dict[str, Any]:
        branch = r["branches"].get(name)
        if branch is None:
            head = next((b for b in r["branches"].values() if b["commits"][-1]["sha"] == name), None)
            if head is None:
                raise NotFound(f"{repo}: no branch or commit {name}")
            return head
        return branch

    @staticmethod
    def _pull_item(repo: str, p: dict[str, Any]) -> Item:
        return Item(number=int(p["number"]), kind="pr", title=p["title"], state=p.get("state", "open"),
                    author=p.get("author", ""), body=p.get("body") or "",
                    merged_at=file_time(p.get("merged_at")), created_at=file_time(p["created_at"]),
                    url=f"https://github.com/{repo}/pull/{p['number']}")

    # --- reads ------------------------------------------------------------------------------------------------

    def _other_repository(self, repo: str) -> Repository:
        r = self._other(self._load(), repo)
        owner, _, name = repo.partition("/")
        if not owner or not name:
            raise NotFound(f"repository {repo!r} is not owner/name")
        return Repository(owner, name, r.get("default_branch", "master"), f"https://github.com/{repo}",
                          bool(r.get("push", True)))

    def read_file(self, repo: str, path: str, ref: str | None = None) -> FileAt:
        r = self._other(self._load(), repo)
        branch = self._branch(r, repo, ref or r.get("default_branch", "master"))
        text = branch["files"].get(path)
        if text is None:
            raise NotFound(f"{path} of {repo}" + (f" at {ref}" if ref else "") + ": not found")
        return FileAt(path, text, blob_sha(text))

    def branch_head(self, repo: str, branch: str) -> str | None:
        found = self._other(self._load(), repo)["branches"].get(branch)
        return found["commits"][-1]["sha"] if found else None

    def pulls_from(self, repo: str, head: str) -> list[Item]:
        r = self._other(self._load(), repo)
        return [self._pull_item(repo, p) for p in reversed(r["pulls"]) if p["head"] == head]

    # --- writes -----------------------------------------------------------------------------------------------

    def create_branch(self, repo: str, name: str, from_ref: str | None = None) -> str:
        def change(data: dict[str, Any]) -> str:
            r = self._other(data, repo)
            self._require_push(r, repo)
            source = self._branch(r, repo, from_ref or r.get("default_branch", "master"))
            if name in r["branches"]:
                raise Conflict(f"{repo}: branch {name} already exists (Reference already exists)")
            r["branches"][name] = {"commits": list(source["commits"]), "files": dict(source["files"])}
            return source["commits"][-1]["sha"]
        return self._mutate(change)

    def write_file(self, repo: str, path: str, text: str, message: str, branch: str, sha: str | None,
                   author: tuple[str, str] | None = None) -> FileCommit:
        def change(data: dict[str, Any]) -> FileCommit:
            r = self._other(data, repo)
            self._require_push(r, repo)
            b = r["branches"].get(branch)
            if b is None:
                raise NotFound(f"{repo}: branch {branch} not found")
            existing = b["files"].get(path)
            if existing is not None and sha is None:
                raise Conflict(f"{path} exists on {branch} of {repo}: name the sha it replaces")
            if existing is not None and sha != blob_sha(existing):
                raise Conflict(f"{path} on {branch} of {repo} does not match {sha} (it changed meanwhile: re-read it)")
            new = blob_sha(text)
            commit = {"sha": commit_sha(b["commits"][-1]["sha"], path, new, message), "message": message,
                      "author": f"{author[0]} <{author[1]}>" if author else None}
            b["commits"].append(commit)
            b["files"][path] = text
            return FileCommit(path, new, commit["sha"])
        return self._mutate(change)

    def _open_pull(self, repo: str, title: str, body: str, head: str, base: str) -> Item:
        def change(data: dict[str, Any]) -> Item:
            r = self._other(data, repo)
            if base not in r["branches"] or head not in r["branches"]:
                raise Conflict(f"GitHub refused opening a PR from {head} on {repo}: Validation Failed (no branch "
                               f"{base if base not in r['branches'] else head})")
            base_commits = {c["sha"] for c in r["branches"][base]["commits"]}
            if all(c["sha"] in base_commits for c in r["branches"][head]["commits"]):
                raise Conflict(f"opening a PR from {head} on {repo}: No commits between {base} and {head}")
            if any(p["head"] == head and p["base"] == base and p.get("state") == "open" for p in r["pulls"]):
                raise Conflict(f"opening a PR from {head} on {repo}: A pull request already exists for {head}")
            p = {"number": max((int(p["number"]) for p in r["pulls"]), default=0) + 1, "title": title, "body": body,
                 "head": head, "base": base, "state": "open", "merged_at": None,
                 "author": data["repository"].get("user", "release-manager"), "created_at": _iso(self._now())}
            r["pulls"].append(p)
            return self._pull_item(repo, p)
        return self._mutate(change)
