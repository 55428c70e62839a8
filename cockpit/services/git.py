"""The git service: bulk reads over GitPython's command runner.

Every read is one git process for all objects of a kind (one `for-each-ref` for all refs, one `rev-list` for the
whole graph, one `cat-file --batch` for all version files at a ref), never one Python object per commit or tag.
Each call starts its own git process and the service keeps no mutable state, so it is safe from worker threads."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import git

from cockpit.core.branches import is_release_branch, parse_release_branch
from cockpit.core.candidates import Candidate, match_candidates
from cockpit.core.config import ProjectConfig
from cockpit.core.facts import BranchFact, CommitFact, TagFact
from cockpit.core.graph import CommitGraph
from cockpit.core.lines import LIBS, classify
from cockpit.core.version_files import VersionFiles, read_version_files


class GitError(Exception):
    """A git problem explained in one line, fit to show a user."""


class NotARepository(GitError):
    pass


class UnknownRef(GitError):
    pass


class RemoteUnavailable(GitError):
    pass


class GitCommandFailed(GitError):
    """A git command exited non-zero; the message carries git's own last line of stderr."""

    def __init__(self, args: Sequence[str], stderr: str):
        self.stderr = stderr
        lines = [line.strip(" '") for line in stderr.strip().splitlines() if line.strip(" '")]
        fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
        reason = (fatal or lines or ["no message"])[0]
        words = list(args)
        while words[:1] == ["-c"]:  # `git -c key=value ... apply`: the command is `apply`
            words = words[2:]
        super().__init__(f"git {words[0] if words else ''} failed: {reason}")


_US, _RS = "\x1f", "\x1e"  # field and record separators in --format output
_COMMIT_FORMAT = _US.join(("%H", "%P", "%an", "%ae", "%at", "%s")) + _RS
_COMMIT_FORMAT_BODY = _US.join(("%H", "%P", "%an", "%ae", "%at", "%s", "%B")) + _RS


@dataclass(frozen=True)
class RefSnapshot:
    """All refs from one `git for-each-ref`."""

    local_branches: dict[str, str]
    remote_branches: dict[str, str]  # branches of the configured remote, without the remote prefix
    tags: tuple[TagFact, ...]
    remote_head_branch: str | None  # what <remote>/HEAD points to
    head_branch: str | None  # the checked-out branch, None when detached

    def branch_head(self, name: str) -> str | None:
        return self.remote_branches.get(name) or self.local_branches.get(name)


@dataclass(frozen=True)
class CandidateReport:
    branch: str
    upstream: str
    fork_point: str
    candidates: tuple[Candidate, ...]


class GitService:
    """Read access to one repository (writes come with the executor)."""

    def __init__(self, path: str | os.PathLike[str], config: ProjectConfig | None = None):
        self.config = config or ProjectConfig()
        start = Path(path)
        if not start.is_dir():
            raise NotARepository(f"{start} is not a directory")
        try:
            top = git.Git(str(start)).execute(["git", "rev-parse", "--show-toplevel"])
        except git.GitCommandError:
            raise NotARepository(f"{start} is not inside a git repository (git init, or pass --repo PATH)") from None
        self.root = Path(top)
        self._git = git.Git(str(self.root))

    def git_dir(self) -> Path:
        """The repository's .git directory (where git records a merge, rebase or cherry-pick in progress)."""
        return Path(self.text("rev-parse", "--absolute-git-dir").strip())

    # --- running git ------------------------------------------------------------------------------------------

    def run(self, *args: str, stdin: bytes | None = None, raw: bool = False,
            env: dict[str, str] | None = None) -> str | bytes:
        """Run one git command in the repository and return its stdout (trailing newline kept); `env` adds
        variables for this command only (e.g. GIT_EDITOR=true so `cherry-pick --continue` never opens an editor)."""
        cmd = ["git", *args]
        kwargs = {"stdout_as_string": not raw, "strip_newline_in_stdout": False, "env": env}
        try:
            if stdin is None:
                return self._git.execute(cmd, **kwargs)
            with tempfile.TemporaryFile() as fh:
                fh.write(stdin)
                fh.seek(0)
                return self._git.execute(cmd, istream=fh, **kwargs)
        except git.GitCommandError as exc:
            stderr = exc.stderr if isinstance(exc.stderr, str) else (exc.stderr or b"").decode(errors="replace")
            raise GitCommandFailed(args, stderr.removeprefix("\n  stderr: ").strip(" '\n")) from None

    def text(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
        return self.run(*args, stdin=stdin, env=env)  # type: ignore[return-value]

    # --- refs -------------------------------------------------------------------------------------------------

    def refs(self, tags: bool = True) -> RefSnapshot:
        """All refs in one `for-each-ref` (tags peeled); `tags=False` skips them for branch-only work."""
        fmt = _US.join(("%(refname)", "%(objectname)", "%(objecttype)", "%(*objectname)", "%(symref)",
                        "%(creatordate:unix)"))
        out = self.text("for-each-ref", f"--format={fmt}", "refs/heads", "refs/remotes",
                        *(["refs/tags"] if tags else []))
        remote_prefix = f"refs/remotes/{self.config.remote}/"
        local: dict[str, str] = {}
        remote: dict[str, str] = {}
        tags: list[TagFact] = []
        remote_head = None
        for line in out.splitlines():
            refname, obj, objtype, peeled, symref, date = line.split(_US)
            if refname.startswith("refs/heads/"):
                local[refname[11:]] = obj
            elif refname.startswith(remote_prefix):
                name = refname[len(remote_prefix):]
                if name == "HEAD":
                    remote_head = symref[len(remote_prefix):] if symref.startswith(remote_prefix) else None
                else:
                    remote[name] = obj
            elif refname.startswith("refs/tags/"):
                annotated = objtype == "tag"
                target = peeled if annotated and peeled else obj
                tags.append(TagFact(refname[10:], target, annotated, int(date or 0)))
        try:
            head_branch = self.text("symbolic-ref", "--quiet", "--short", "HEAD").strip() or None
        except GitCommandFailed:
            head_branch = None
        return RefSnapshot(local, remote, tuple(tags), remote_head, head_branch)

    def default_branch(self, snap: RefSnapshot | None = None) -> str:
        """The configured default branch, else what the remote's HEAD names, else master, else main."""
        if self.config.default_branch:
            return self.config.default_branch
        snap = snap or self.refs()
        if snap.remote_head_branch:
            return snap.remote_head_branch
        for name in ("master", "main"):
            if name in snap.remote_branches or name in snap.local_branches:
                return name
        if snap.head_branch:
            return snap.head_branch
        raise GitError("cannot tell the default branch: no master or main (set default_branch in .cockpit.toml)")

    def branch_ref(self, name: str, snap: RefSnapshot | None = None) -> str:
        """The ref to read a branch from: the remote-tracking one (the shared truth) when it exists."""
        snap = snap or self.refs()
        if name in snap.remote_branches:
            return f"refs/remotes/{self.config.remote}/{name}"
        if name in snap.local_branches:
            return f"refs/heads/{name}"
        raise UnknownRef(f"unknown branch {name!r} (neither local nor on {self.config.remote})")

    def resolve(self, ref: str) -> str:
        """The commit a ref names; UnknownRef with the ref in the message otherwise."""
        if not ref or ref.startswith("-") or "\0" in ref:
            raise UnknownRef(f"unknown ref {ref!r}")
        try:
            return self.text("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").strip()
        except GitCommandFailed:
            raise UnknownRef(f"unknown ref {ref!r}") from None

    def commit_of(self, ref: str, snap: RefSnapshot) -> str:
        """A branch name (local first, else the remote's, as users name branches only on origin) or any ref."""
        return snap.local_branches.get(ref) or snap.remote_branches.get(ref) or self.resolve(ref)

    def remote_url(self) -> str | None:
        try:
            return self.text("remote", "get-url", self.config.remote).strip() or None
        except GitCommandFailed:
            return None

    def remote_tags(self) -> frozenset[str]:
        """Tag names on the remote (a network call); RemoteUnavailable when it cannot be read."""
        if self.remote_url() is None:
            raise RemoteUnavailable(f"no remote named {self.config.remote!r}")
        try:
            out = self.text("ls-remote", "--tags", "--refs", self.config.remote)
        except GitCommandFailed as exc:
            raise RemoteUnavailable(f"cannot read {self.config.remote}: {exc}") from None
        return frozenset(line.split("\trefs/tags/", 1)[1] for line in out.splitlines() if "\trefs/tags/" in line)

    # --- the commit graph -------------------------------------------------------------------------------------

    def graph(self) -> dict[str, tuple[str, ...]]:
        """The whole commit graph in one read: sha -> parents, parsed while git still writes it (on a
        150k-commit repository the text alone is 12 MB; streaming keeps the parse off the critical path and
        interning every id once halves the memory)."""
        # A small pack window keeps git's own memory at ~70 MB instead of ~160 MB on a 150k-commit repository
        # (it maps the whole pack otherwise), at the same speed.
        cmd = ["git", "-c", "core.packedGitLimit=32m", "-c", "core.packedGitWindowSize=8m",
               "rev-list", "--parents", "--branches", "--remotes", "--tags"]
        proc = self._git.execute(cmd, as_process=True)
        try:
            parents = parse_rev_list_parents_stream(proc.stdout)
        finally:
            proc.stdout.close()
            stderr = proc.stderr.read() if proc.stderr else b""
            status = proc.wait() if hasattr(proc, "wait") else 0
        if status:
            raise GitCommandFailed(cmd[5:], stderr.decode(errors="replace"))
        return parents

    def release_branch_names(self, snap: RefSnapshot) -> list[str]:
        """Release branches (local or remote), newest version first."""
        prefix = self.config.release_branch_prefix
        names = {n for n in (*snap.local_branches, *snap.remote_branches) if is_release_branch(n, prefix)}
        return sorted(names, key=lambda n: parse_release_branch(n, prefix), reverse=True)

    def release_branch_heads(self, snap: RefSnapshot) -> list[BranchFact]:
        """Release branches from the refs alone (no graph read): what the cockpit paints first. Fork point,
        ahead, behind and tags follow from `release_branches`."""
        return [BranchFact(n, snap.local_branches.get(n) or snap.remote_branches[n], snap.local_branches.get(n),
                           snap.remote_branches.get(n), None, 0, 0, (),
                           self._sync(snap.local_branches.get(n), snap.remote_branches.get(n)), counted=False)
                for n in self.release_branch_names(snap)]

    def release_branches(self, snap: RefSnapshot | None = None) -> list[BranchFact]:
        """Every release branch (local or remote), newest version first, with divergence from the default branch."""
        snap = snap or self.refs()
        names = self.release_branch_names(snap)
        if not names:
            return []
        default = self.default_branch(snap)
        main_head = snap.branch_head(default)
        graph = CommitGraph(self.graph(), main_head)
        tags_by_commit: dict[str, list[TagFact]] = {}
        for tag in snap.tags:
            tags_by_commit.setdefault(tag.commit, []).append(tag)
        facts = []
        for name in names:
            local, remote = snap.local_branches.get(name), snap.remote_branches.get(name)
            head = local or remote
            div = graph.divergence(head)
            if div is None:
                fork, ahead, behind, own = self._divergence_by_walk(main_head, head)
            else:
                fork, ahead, behind, own = div.fork_point, div.ahead, div.behind, div.own
            on_branch = [t for c in (*own, fork) if c for t in tags_by_commit.get(c, ())]
            # newest first; at the same moment the libs tag first: the branch is named for its libs version
            on_branch.sort(key=lambda t: (t.date, classify(t.name).line == LIBS, t.name), reverse=True)
            facts.append(BranchFact(name, head, local, remote, fork, ahead, behind,
                                    tuple(t.name for t in on_branch), self._sync(local, remote)))
        return facts

    def _divergence_by_walk(self, main_head: str | None, head: str) -> tuple[str | None, int, int, frozenset[str]]:
        """Exact fallback for unusual shapes: git's own merge-base and counts for one branch."""
        if not main_head:
            return None, 0, 0, frozenset()
        fork = self.merge_base(main_head, head)
        behind, ahead = self.text("rev-list", "--left-right", "--count", f"{main_head}...{head}").split()
        own = self.text("rev-list", head, f"^{main_head}").split()
        return fork, int(ahead), int(behind), frozenset(own)

    def _sync(self, local: str | None, remote: str | None) -> str:
        if local is None:
            return "remote-only"
        if remote is None:
            return "local-only"
        if local == remote:
            return "synced"
        if self.is_ancestor(remote, local):
            return "unpushed"
        if self.is_ancestor(local, remote):
            return "behind-remote"
        return "diverged"

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        try:
            self.run("merge-base", "--is-ancestor", ancestor, descendant)
        except GitCommandFailed:
            return False
        return True

    def merge_base(self, a: str, b: str) -> str | None:
        try:
            return self.text("merge-base", a, b).strip() or None
        except GitCommandFailed:
            return None

    # --- files ------------------------------------------------------------------------------------------------

    def read_files(self, ref: str, paths: Sequence[str]) -> dict[str, tuple[str, str] | None]:
        """{path: (blob id, text)} for each path at `ref` (None where absent), in one `cat-file --batch`."""
        commit = self.resolve(ref)
        request = "".join(f"{commit}:{p}\n" for p in paths).encode()
        out: bytes = self.run("cat-file", "--batch", stdin=request, raw=True)  # type: ignore[assignment]
        result: dict[str, tuple[str, str] | None] = {}
        pos = 0
        for path in paths:
            eol = out.index(b"\n", pos)
            header = out[pos:eol].decode(errors="replace").split()
            pos = eol + 1
            if len(header) == 3 and header[1] == "blob":
                size = int(header[2])
                result[path] = (header[0], out[pos:pos + size].decode(errors="replace"))
                pos += size + 1
            else:
                result[path] = None
        return result

    def version_files(self, ref: str) -> VersionFiles:
        f = self.config.files
        paths = [f.api_version, f.schema_version, f.plugin_header, f.scap_header]
        found = self.read_files(ref, paths)
        header = found.get(f.plugin_header)
        return read_version_files({p: (v[1] if v else None) for p, v in found.items()}, f,
                                  header[0] if header else None)

    def changed_paths(self, a: str, b: str) -> list[str]:
        """Paths whose content differs between the trees of two refs."""
        out = self.text("diff", "--name-only", "-z", "--no-renames", self.resolve(a), self.resolve(b))
        return [p for p in out.split("\0") if p]

    def renamed_paths(self, a: str, b: str) -> set[str]:
        """Paths of `a` that `b` has under another name (git's rename detection between the two trees)."""
        out = self.text("diff", "--name-status", "-z", "-M", "--diff-filter=R", a, b, "--")
        fields = out.split("\0")
        return {fields[i + 1] for i in range(0, len(fields) - 2, 3) if fields[i].startswith("R")}

    def dirty_paths(self) -> list[str]:
        """Tracked files with uncommitted changes (staged or not)."""
        out = self.text("status", "--porcelain", "-z", "--untracked-files=no")
        return [entry[3:] for entry in out.split("\0") if len(entry) > 3]

    # --- commits and backport candidates ------------------------------------------------------------------------

    def commits(self, *revs: str, body: bool = False, topo: bool = True) -> list[CommitFact]:
        """Commits of a range, newest first, from one `git log`."""
        fmt = _COMMIT_FORMAT_BODY if body else _COMMIT_FORMAT
        args = ["log", f"--format={fmt}"]
        if topo:
            args.append("--topo-order")
        out = self.text(*args, *revs, "--")
        return [_commit(rec) for rec in out.split(_RS) if rec.strip()]

    def patch_ids(self, shas: Iterable[str]) -> dict[str, str]:
        """commit -> stable patch-id, for the given commits only."""
        shas = list(shas)
        if not shas:
            return {}
        patches: bytes = self.run("diff-tree", "--stdin", "-p", "--root", "--always",
                                  stdin=("\n".join(shas) + "\n").encode(), raw=True)  # type: ignore[assignment]
        ids: bytes = self.run("patch-id", "--stable", stdin=patches, raw=True)  # type: ignore[assignment]
        result = {}
        for line in ids.decode().splitlines():
            pid, sha = line.split()
            result[sha] = pid
        return result

    def candidates(self, branch: str, upstream: str | None = None,
                   snap: RefSnapshot | None = None) -> CandidateReport:
        """Default-branch commits since the fork point, each marked applied or not with its evidence."""
        snap = snap or self.refs(tags=False)
        upstream = upstream or self.default_branch(snap)
        up_ref = self.branch_ref(upstream, snap)
        rel_ref = self.branch_ref(branch, snap)
        fork = self.merge_base(up_ref, rel_ref)
        if fork is None:
            raise GitError(f"{branch} and {upstream} share no history")
        upstream_commits = self.commits(f"{fork}..{up_ref}")
        upstream_commits.reverse()
        release_side = self.commits(f"{fork}..{rel_ref}", body=True)
        patch_equal: dict[str, str] = {}
        if release_side and upstream_commits:
            cherry = self.text("cherry", rel_ref, up_ref, fork)
            equal = [line[2:].strip() for line in cherry.splitlines() if line.startswith("- ")]
            if equal:
                ids = self.patch_ids([*equal, *(c.sha for c in release_side if not c.is_merge)])
                by_id = {}
                for c in release_side:
                    if c.sha in ids:
                        by_id.setdefault(ids[c.sha], c.sha)
                patch_equal = {sha: by_id[ids[sha]] for sha in equal if ids.get(sha) in by_id}
        found = match_candidates(upstream_commits, release_side, patch_equal)
        return CandidateReport(branch, upstream, fork, tuple(found))


def _commit(record: str) -> CommitFact:
    fields = record.lstrip("\n").split(_US)
    sha, parents, name, email, date, subject = fields[:6]
    body = fields[6] if len(fields) > 6 else ""
    return CommitFact(sha, subject, name, email, int(date or 0), tuple(parents.split()), body)


def parse_rev_list_parents_stream(lines: Iterable[bytes]) -> dict[str, tuple[str, ...]]:
    """`sha parent1 parent2 ...` lines as they arrive; each id is one shared string."""
    seen: dict[str, str] = {}
    parents: dict[str, tuple[str, ...]] = {}
    for raw in lines:
        ids = raw.decode("ascii").split()
        if ids:
            ids = [seen.setdefault(i, i) for i in ids]
            parents[ids[0]] = tuple(ids[1:])
    return parents
