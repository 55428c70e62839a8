"""GitHubForge's reach into another repository (the infra repository of the branch-protection request): read and
write a file through the contents API, read and create a branch through the git refs API, list and open PRs.

A mixin of GitHubForge: it sends through the forge's one `_send`/`_get` path, so errors map to the same
ForgeError classes (no push access -> PermissionDenied, missing file or branch -> NotFound, a stale file sha ->
Conflict)."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from cockpit.core.forge_models import FileAt, FileCommit, Item, Repository
from cockpit.services.auth import parse_slug
from cockpit.services.forge import github_shapes as shape
from cockpit.services.forge.base import ForgeError, NotFound


def url_path(path: str) -> str:
    """A repository path or branch name as URL path segments, each quoted whole: no `..` or empty step, no
    control character, so a name from a repository's config can never walk the request (and the token it
    carries) to another API endpoint."""
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") or any(ord(c) < 32 or ord(c) == 127 for c in p) for p in parts):
        raise ForgeError(f"{path[:80]!r} is not a path inside a repository")
    return "/".join(quote(p, safe="") for p in parts)

class GitHubRepoFiles:
    if TYPE_CHECKING:  # provided by GitHubForge
        _repo: str

        def _get(self, url: str, params: dict[str, Any] | None = None, what: str = "") -> Any: ...

        def _get_paged(self, url: str, params: dict[str, Any] | None = None, what: str = "",
                       paged: bool = True) -> Any: ...

        def _send(self, verb: str, url: str, params: dict[str, Any] | None = None, body: Any = None,
                  headers: dict[str, str] | None = None, what: str = "") -> tuple[int, dict[str, Any], Any]: ...

        @staticmethod
        def _item(i: dict[str, Any], what: str = "an issue") -> Item: ...

        def repository(self, repo: str | None = None) -> Repository: ...

    def _repo_path(self, repo: str | None) -> str:
        """The API path of `repo` (the project's when None). Another repository's name comes from .cockpit.toml
        ([infra] repository): it must be owner/name and nothing else, so no path step or query in it can aim a
        request that carries the token at anything but that repository."""
        if repo is None:
            return self._repo
        slug = parse_slug(repo)
        if slug is None:
            raise ForgeError(f"repository {repo!r} is not owner/name (check [infra] repository in .cockpit.toml)")
        return f"/repos/{slug.owner}/{slug.name}"

    @classmethod
    def _pull_item(cls, p: Any, what: str = "a pull request") -> Item:
        """A pull as an Item: the pulls endpoints carry `merged_at` at the top, the issues endpoint under
        `pull_request`, which is what marks an item as a PR."""
        p = shape.checked(p, {"merged_at": (shape.TEXT_OR_NULL, False)}, what, "the pull request")
        return cls._item({**p, "pull_request": {"merged_at": p.get("merged_at")}})

    def read_file(self, repo: str, path: str, ref: str | None = None) -> FileAt:
        where = f"{path} of {repo}" + (f" at {ref}" if ref else "")
        data = self._get(f"{self._repo_path(repo)}/contents/{url_path(path)}", {"ref": ref} if ref else None, where)
        if not isinstance(data, dict) or data.get("type") != "file":
            raise NotFound(f"{where}: not a file")
        shape.checked(data, shape.CONTENT, where, "the file")
        if data.get("encoding") != "base64":
            raise ForgeError(f"{where}: GitHub sent no content (encoding {data.get('encoding')!r}; larger than 1 MB?)")
        try:
            text = base64.b64decode(data.get("content") or "").decode("utf-8")
        except (binascii.Error, ValueError):
            raise ForgeError(f"{where}: not UTF-8 text") from None
        return FileAt(path, text, data["sha"])

    def branch_head(self, repo: str, branch: str) -> str | None:
        what = f"branch {branch} of {repo}"
        try:
            ref = shape.checked(self._get(f"{self._repo_path(repo)}/git/ref/heads/{url_path(branch)}", what=what),
                                shape.REF, what, "the ref")
        except NotFound:
            return None
        sha = shape.checked(ref["object"], shape.SHA, what, "the ref's object")["sha"]
        return sha if ref["ref"] == f"refs/heads/{branch}" else None

    def create_branch(self, repo: str, name: str, from_ref: str | None = None) -> str:
        source = from_ref or self.repository(repo).default_branch
        sha = self.branch_head(repo, source)
        if sha is None:
            raise NotFound(f"branch {source} of {repo}: not found")
        self._send("POST", f"{self._repo_path(repo)}/git/refs", body={"ref": f"refs/heads/{name}", "sha": sha},
                   what=f"creating branch {name} on {repo}")
        return sha

    def write_file(self, repo: str, path: str, text: str, message: str, branch: str, sha: str | None,
                   author: tuple[str, str] | None = None) -> FileCommit:
        body: dict[str, Any] = {"message": message, "content": base64.b64encode(text.encode()).decode(),
                                "branch": branch}
        if sha is not None:
            body["sha"] = sha
        if author is not None:
            body["author"] = body["committer"] = {"name": author[0], "email": author[1]}
        what = f"writing {path} on {branch} of {repo}"
        _, _, data = self._send("PUT", f"{self._repo_path(repo)}/contents/{url_path(path)}", body=body, what=what)
        data = shape.checked(data, shape.WRITTEN, what, "the answer")
        blob = shape.checked(data["content"], shape.SHA, what, "the file")["sha"]
        return FileCommit(path, blob, shape.checked(data["commit"], shape.SHA, what, "the commit")["sha"])

    def pulls_from(self, repo: str, head: str) -> list[Item]:
        owner = repo.split("/", 1)[0]
        what = f"pull requests from {head} on {repo}"
        pulls = self._get_paged(f"{self._repo_path(repo)}/pulls", {"head": f"{owner}:{head}", "state": "all",
                                                                   "per_page": 100}, what)
        return [self._pull_item(p, what) for p in pulls]
