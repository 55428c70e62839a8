"""The git service: bulk reads over one git process each (process.py starts them).

Every read is one git process for all objects of a kind (one `for-each-ref` for all refs, one read of the whole
graph (`rev-list`, split in two walks on two cores), one `cat-file --batch` for all version files at a ref), never
one Python object per commit or tag.
Each call starts its own git process and the service keeps no mutable state, so it is safe from worker threads."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from cockpit.core.branches import irregular_reason, is_release_branch, parse_release_branch
from cockpit.core.config import ProjectConfig
from cockpit.core.facts import BranchFact, CommitFact, TagFact
from cockpit.core.lines import LIBS, classify
from cockpit.core.version_files import VersionFiles, read_version_files
from cockpit.services.git.errors import GitCommandFailed, GitError, UnknownRef
from cockpit.services.git.graph import GraphReads
from cockpit.services.git.graph_cache import GraphCache
from cockpit.services.git.objects import MAX_READ_FILE, ObjectReads
from cockpit.services.git.remote import RemoteOps
from cockpit.services.git.writes import RefWrites

if TYPE_CHECKING:
    from cockpit.core.candidates import Candidate

# NUL separates fields and (with -z) records: the one character no ref name, author or commit message can hold
_COMMIT_FIELDS = ("%H", "%P", "%an", "%ae", "%at", "%s")
_REF_FIELDS = ("%(refname)", "%(objectname)", "%(objecttype)", "%(*objectname)", "%(*objecttype)", "%(symref)",
               "%(creatordate:unix)")


class RefSnapshot(NamedTuple):
    """All refs from one `git for-each-ref`."""

    local_branches: dict[str, str]
    remote_branches: dict[str, str]  # branches of the configured remote, without the remote prefix
    tags: tuple[TagFact, ...]  # tags on commits only: a tag on a tree or a blob is never a release
    remote_head_branch: str | None  # what <remote>/HEAD points to
    head_branch: str | None  # the checked-out branch, None when detached
    non_commit_tags: tuple[tuple[str, str], ...] = ()  # (name, object type) of tags on trees and blobs

    def branch_head(self, name: str) -> str | None:
        return self.remote_branches.get(name) or self.local_branches.get(name)


class CandidateReport(NamedTuple):
    branch: str
    upstream: str
    fork_point: str
    candidates: tuple[Candidate, ...]


class GitService(GraphReads, RemoteOps, ObjectReads, RefWrites):
    """Read access to one repository, and the named operations of the mixins (remote, writes)."""

    def __init__(self, path: str | os.PathLike[str], config: ProjectConfig | None = None,
                 graph_cache_dir: Path | None = None):
        """`graph_cache_dir`: where the divergence of release branches is kept between runs (the user's cache
        dir; None: computed every time)."""
        self.config = config or ProjectConfig()
        super().__init__(path)
        self.graph_cache = GraphCache(graph_cache_dir, self.root) if graph_cache_dir is not None else None

    @property
    def remote_name(self) -> str:  # type: ignore[override]
        return self.config.remote

    # --- refs -------------------------------------------------------------------------------------------------

    def refs(self, tags: bool = True) -> RefSnapshot:
        """All refs in one `for-each-ref` (tags peeled); `tags=False` skips them for branch-only work."""
        out = self.text("for-each-ref", f"--format={'%00'.join(_REF_FIELDS)}", "refs/heads", "refs/remotes",
                        *(["refs/tags"] if tags else []))
        remote_prefix = f"refs/remotes/{self.config.remote}/"
        local: dict[str, str] = {}
        remote: dict[str, str] = {}
        tag_facts: list[TagFact] = []
        odd: list[tuple[str, str]] = []
        remote_head = None
        for line in out.splitlines():
            fields = line.split("\0")
            if len(fields) != len(_REF_FIELDS):
                continue  # not a line of ours: nothing a ref name can hold splits it
            refname, obj, objtype, peeled, peeled_type, symref, date = fields
            if objtype != "commit" and not refname.startswith("refs/tags/"):
                continue  # a branch made to point at a blob or a tree (update-ref allows it) is no branch
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
                target, target_type = (peeled, peeled_type) if annotated and peeled else (obj, objtype)
                if target_type == "commit":
                    tag_facts.append(TagFact(refname[10:], target, annotated, int(date or 0)))
                else:
                    odd.append((refname[10:], target_type or "unknown object"))
        try:
            head_branch = self.text("symbolic-ref", "--quiet", "--short", "HEAD").strip() or None
        except GitCommandFailed:
            head_branch = None
        return RefSnapshot(local, remote, tuple(tag_facts), remote_head, head_branch, tuple(odd))

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

    # --- the commit graph -------------------------------------------------------------------------------------

    def release_branch_names(self, snap: RefSnapshot) -> list[str]:
        """Release branches (local or remote), newest version first."""
        prefix = self.config.release_branch_prefix
        names = {n for n in (*snap.local_branches, *snap.remote_branches) if is_release_branch(n, prefix)}
        return sorted(names, key=lambda n: parse_release_branch(n, prefix), reverse=True)

    def irregular_release_branches(self, snap: RefSnapshot) -> list[tuple[str, str]]:
        """(name, reason) of each branch (local or remote) under the release prefix that is no `release/M.m.x`
        (libs has release/0.9.0): listed for the user, never taken for a release branch, never dropped silently."""
        prefix = self.config.release_branch_prefix
        found = {n: irregular_reason(n, prefix) for n in (*snap.local_branches, *snap.remote_branches)}
        return sorted((n, why) for n, why in found.items() if why)

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
        main_head = snap.branch_head(self.default_branch(snap))
        heads = {n: snap.local_branches.get(n) or snap.remote_branches[n] for n in names}
        divergences = self._divergences(main_head, heads, ((t.date, t.commit) for t in snap.tags))
        tags_by_commit: dict[str, list[TagFact]] = {}
        for tag in snap.tags:
            tags_by_commit.setdefault(tag.commit, []).append(tag)
        facts = []
        for name in names:
            local, remote = snap.local_branches.get(name), snap.remote_branches.get(name)
            div = divergences[name]
            on_branch = [t for c in (*div.own, div.fork_point) if c for t in tags_by_commit.get(c, ())]
            # newest first; at the same moment the libs tag first (the branch is named for its libs version), and a
            # final before an RC on the same commit (the final is the latest)
            on_branch.sort(key=_newest_tag_first, reverse=True)
            facts.append(BranchFact(name, div.head, local, remote, div.fork_point, div.ahead, div.behind,
                                    tuple(t.name for t in on_branch), self._sync(local, remote)))
        return facts

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

    # --- files ------------------------------------------------------------------------------------------------

    def read_files(self, ref: str, paths: Sequence[str]) -> dict[str, tuple[str, str] | None]:
        """{path: (blob id, text)} for each path at `ref` (None where absent, not a file, or larger than a version
        file ever is), from one `cat-file --batch-check` (what each path is, and its size) and one `--batch` of
        the small blobs alone, so a huge blob is never read; a path git cannot take on one line is not asked."""
        commit = self.resolve(ref)
        asked = [p for p in paths if p and not any(c in p for c in "\n\r\0")]
        result: dict[str, tuple[str, str] | None] = dict.fromkeys(paths)
        if not asked:
            return result
        request = "".join(f"{commit}:{p}\n" for p in asked).encode()
        kinds = self.text("cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)", stdin=request)
        small: dict[str, str] = {}
        for path, line in zip(asked, kinds.splitlines(), strict=True):
            words = line.split(" ")
            if len(words) == 3 and words[1] == "blob" and words[2].isdigit() and int(words[2]) <= MAX_READ_FILE:
                small[path] = words[0]
        if not small:
            return result
        out = self.data("cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in small.values()).encode())
        pos = 0
        for path, oid in small.items():
            eol = out.index(b"\n", pos)
            size = int(out[pos:eol].split(b" ")[2])
            result[path] = (oid, out[eol + 1:eol + 1 + size].decode(errors="replace"))
            pos = eol + 1 + size + 1
        return result

    def version_files(self, ref: str) -> VersionFiles:
        f = self.config.files
        paths = [f.api_version, f.schema_version, f.plugin_header, f.scap_header, f.legacy_plugin_header]
        found = self.read_files(ref, paths)
        header = found.get(f.plugin_header)
        if header is None and f.legacy_plugin_header:  # before libs 0.9.0 the plugin API version lived there
            header = found.get(f.legacy_plugin_header)
            found[f.plugin_header] = header
        return read_version_files({p: (v[1] if v else None) for p, v in found.items()}, f,
                                  header[0] if header else None)

    def changed_paths(self, a: str, b: str) -> list[str]:
        """Paths whose content differs between the trees of two refs."""
        out = self.text("diff", "--name-only", "-z", "--no-renames", "--end-of-options", self.resolve(a),
                         self.resolve(b), "--")
        return [p for p in out.split("\0") if p]

    def renamed_paths(self, a: str, b: str) -> set[str]:
        """Paths of `a` that `b` has under another name (git's rename detection between the two trees)."""
        out = self.text("diff", "--name-status", "-z", "-M", "--diff-filter=R", "--end-of-options", a, b, "--")
        fields = out.split("\0")
        return {fields[i + 1] for i in range(0, len(fields) - 2, 3) if fields[i].startswith("R")}

    def dirty_paths(self) -> list[str]:
        """Tracked files with uncommitted changes (staged or not). Without optional locks: `git status` otherwise
        rewrites a stale index to refresh its stat data, and a check or a dry run writes nothing."""
        out = self.text("status", "--porcelain", "-z", "--untracked-files=no", env={"GIT_OPTIONAL_LOCKS": "0"})
        return [entry[3:] for entry in out.split("\0") if len(entry) > 3]

    # --- commits and backport candidates ------------------------------------------------------------------------

    def commits(self, *revs: str, body: bool = False, topo: bool = True, walk: bool = True) -> list[CommitFact]:
        """Commits of a range, newest first, from one `git log`; `walk=False` lists exactly the given commits,
        in the order given."""
        fields = (*_COMMIT_FIELDS, "%B") if body else _COMMIT_FIELDS
        args = ["log", "-z", f"--format={'%x00'.join(fields)}"]
        if not walk:
            args.append("--no-walk=unsorted")
        elif topo:
            args.append("--topo-order")
        out = self.text(*args, "--end-of-options", *revs, "--")
        return [_commit(rec) for rec in nul_records(out, len(fields))]

    def files_by_commit(self, *revs: str, exact: bool = False, paths: Sequence[str] | None = None,
                        ) -> dict[str, frozenset[str]]:
        """sha -> the paths it changed (no rename detection), from one `git log`. `exact` lists just the given
        commits (a merge against its first parent); `paths` limits the walk to commits touching them (literal
        paths, never patterns), with full history."""
        options = ["--no-walk=unsorted", "-m", "--first-parent"] if exact else []
        if paths is not None:
            options.append("--full-history")
        out = self.text("--literal-pathspecs", "log", "-z", "--format=%x00%H", "--name-only", "--no-renames",
                        *options, "--end-of-options", *revs, "--", *(paths or ()))
        files: dict[str, frozenset[str]] = {}
        words = out.split("\0")
        i = 0
        while i < len(words):  # "" then the sha opens a record (a path is never empty); its paths follow
            if words[i] == "" and i + 1 < len(words) and words[i + 1]:
                sha, i = words[i + 1], i + 2
                changed = []
                while i < len(words) and words[i]:
                    changed.append(words[i].removeprefix("\n") if not changed else words[i])
                    i += 1
                files[sha] = files.get(sha, frozenset()) | frozenset(changed)
            else:
                i += 1
        return files

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
            cherry = self.text("cherry", "--end-of-options", rel_ref, up_ref, fork)
            equal = [line[2:].strip() for line in cherry.splitlines() if line.startswith("- ")]
            if equal:
                ids = self.patch_ids([*equal, *(c.sha for c in release_side if not c.is_merge)])
                by_id = {}
                for c in release_side:
                    if c.sha in ids:
                        by_id.setdefault(ids[c.sha], c.sha)
                patch_equal = {sha: by_id[ids[sha]] for sha in equal if ids.get(sha) in by_id}
        from cockpit.core.candidates import match_candidates  # backports only: not on every status

        found = match_candidates(upstream_commits, release_side, patch_equal)
        return CandidateReport(branch, upstream, fork, tuple(found))


def _newest_tag_first(tag: TagFact) -> tuple[int, bool, bool, str]:
    """The order of a branch's tags (reversed): date, the libs line, a final, the name; one classify per tag (on
    the 150k-commit repository its 1,600 branch tags are sorted once the graph is read, on the critical path)."""
    info = classify(tag.name)
    return tag.date, info.line == LIBS, not info.prerelease, tag.name


def nul_records(out: str, width: int) -> list[list[str]]:
    """`git log -z` output whose format joins `width` fields with NUL: one list of fields per commit."""
    words = out.split("\0")
    if words and words[-1] == "":
        words.pop()  # the terminator after the last record
    return [words[i:i + width] for i in range(0, len(words) - width + 1, width)]


def _commit(fields: list[str]) -> CommitFact:
    sha, parents, name, email, date, subject = fields[:6]
    body = fields[6] if len(fields) > 6 else ""
    return CommitFact(sha, subject, name, email, int(date or 0), tuple(parents.split()), body)
