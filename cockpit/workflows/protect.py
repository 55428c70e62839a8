"""The branch-protection request: once `release/M.m.x` is cut, a PR on the infra repository (`.cockpit.toml`
[infra]; falcosecurity/test-infra by default) adds it to the project's protected branches in the Prow config.

With push access the plan creates a branch there, writes the edited file on it and opens the PR, each step
idempotent and journaled. Without access (no forge, no token, a read-only token) nothing is planned: the exact
change is printed instead, as a unified diff plus the PR title and body to open by hand."""

from __future__ import annotations

import difflib
import shlex
from dataclasses import dataclass
from pathlib import Path

from cockpit.core.branches import parse_release_branch
from cockpit.core.checks import CheckResult, fail, ok
from cockpit.core.config import InfraRepo
from cockpit.core.infra_yaml import InfraYamlError, ProtectionEdit, add_protected_branch
from cockpit.core.plan import Plan, Step
from cockpit.errors import InputError
from cockpit.services.files import UnfitFile, read_regular_file
from cockpit.services.forge.base import AuthError, Forge, NotFound, PermissionDenied
from cockpit.services.git import GitService
from cockpit.services.steps.registry import preview
from cockpit.workflows.common import new_plan_id
from cockpit.workflows.proposal import Refusal

MAX_INFRA_FILE = 8 * 1024 * 1024  # test-infra's config.yaml is tens of KB; GitHub serves files up to 1 MB this way

HEAD_PREFIX = "cockpit/protect-"


def head_branch(branch: str) -> str:
    """The infra repository branch carrying the change: cockpit/protect-release-0.26.x."""
    return HEAD_PREFIX + branch.replace("/", "-")


@dataclass(frozen=True)
class InfraAccess:
    """What the forge allows on the infra repository; `problem` says why it cannot be written to."""

    forge: Forge | None
    readable: bool
    writable: bool
    base: str | None  # its default branch, when the forge could tell
    problem: str | None = None


@dataclass(frozen=True)
class ProtectRequest:
    infra: InfraRepo
    branch: str  # release/0.26.x
    before: str
    edit: ProtectionEdit
    source: str  # where `before` was read, for the user
    base: str | None  # the infra repository's default branch (None: unknown, read from a local copy)

    @property
    def head(self) -> str:
        return head_branch(self.branch)

    @property
    def project(self) -> str:
        return f"{self.infra.org}/{self.infra.repo}"

    @property
    def title(self) -> str:
        return f"update(config): protect {self.branch} of {self.project}"

    @property
    def body(self) -> str:
        return (f"Protect `{self.branch}` of {self.project}, its new release branch.\n\n"
                f"Adds under `{self.edit.path}` in `{self.infra.path}`:\n\n```yaml\n{self.edit.entry}```\n\n"
                f"Requested with the release cockpit: `cockpit protect --branch {self.branch}`.\n")

    def message(self, signoff: tuple[str, str] | None) -> str:
        trailer = f"\n\nSigned-off-by: {signoff[0]} <{signoff[1]}>" if signoff else ""
        return self.title + trailer

    def diff(self) -> str:
        path = self.infra.path
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True),
                                            self.edit.text.splitlines(keepends=True), f"a/{path}", f"b/{path}"))


def check_branch_name(git: GitService, branch: str) -> str:
    prefix = git.config.release_branch_prefix
    if parse_release_branch(branch, prefix) is None:
        raise InputError(f"{branch!r} is not a release branch: pass --branch {prefix}M.m.x")
    return branch


def infra_access(forge: Forge | None, forge_problem: str | None, infra: InfraRepo) -> InfraAccess:
    """Read-only GET of the infra repository: its default branch and whether this token may push there."""
    if forge is None:
        return InfraAccess(None, False, False, None, forge_problem or "no forge is configured")
    try:
        repo = forge.repository(infra.repository)
    except (AuthError, PermissionDenied, NotFound) as exc:
        return InfraAccess(forge, False, False, None, str(exc))
    if repo.can_push is False:
        return InfraAccess(forge, True, False, repo.default_branch, f"no push access to {infra.repository} with "
                                                                     "this token")
    return InfraAccess(forge, True, True, repo.default_branch)


def read_infra_file(access: InfraAccess, infra: InfraRepo, local_copy: Path | None) -> tuple[str, str]:
    """(text, where it was read): through the forge when it can read the repository, else the local copy."""
    if access.readable and access.forge is not None:
        try:
            found = access.forge.read_file(infra.repository, infra.path, access.base)
            return found.text, f"{infra.repository} {infra.path} at {access.base}"
        except (NotFound, PermissionDenied) as exc:
            if local_copy is None:
                raise InputError(f"{exc}: check [infra] in .cockpit.toml, or pass --infra-file PATH") from None
    if local_copy is None:
        raise InputError(f"cannot read {infra.path} of {infra.repository} ({access.problem}): pass --infra-file "
                         "PATH, a local copy of it")
    try:  # only a regular file of sane size: a path to /dev/zero or a fifo must not hang the command
        return read_regular_file(local_copy, MAX_INFRA_FILE).decode("utf-8"), str(local_copy)
    except UnfitFile as exc:
        raise InputError(f"cannot read {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {local_copy}: {getattr(exc, 'strerror', None) or exc}") from None


def build_request(infra: InfraRepo, branch: str, text: str, source: str, base: str | None) -> ProtectRequest:
    try:
        edit = add_protected_branch(text, infra.org, infra.repo, branch)
    except InfraYamlError as exc:
        raise InputError(f"{source}: {exc}") from None
    return ProtectRequest(infra, branch, text, edit, source, base)


def signoff(git: GitService) -> tuple[str, str] | None:
    """The committer identity `git commit -s` would sign off with (test-infra's DCO check needs one)."""
    ident = git.committer_ident()
    if ident is None:
        return None
    name, _, rest = ident.partition(" <")
    email = rest.split(">", 1)[0]
    return (name, email) if name and email else None


def branch_check(git: GitService, branch: str) -> CheckResult:
    """The release branch must be on the remote: protection is requested for a branch that was cut."""
    remote = git.config.remote
    on_remote = bool(git.ls_remote([f"refs/heads/{branch}"], remote))
    return (ok("protect.branch-exists", "error", f"{branch} exists on {remote}") if on_remote
            else fail("protect.branch-exists", "error", f"{branch} does not exist on {remote}",
                      "cut it first: cockpit branch cut --version M.m.0"))


def request_checks(req: ProtectRequest, author: tuple[str, str] | None) -> tuple[CheckResult, ...]:
    absent = (ok("protect.absent", "info", f"{req.branch} is not yet protected in {req.source}") if req.edit.changed
              else fail("protect.absent", "info", f"{req.branch} is already protected in {req.source}",
                        "nothing to do"))
    signed = (ok("protect.signoff", "warning", f"the commit is signed off by {author[0]} <{author[1]}>") if author
              else fail("protect.signoff", "warning", "no committer identity: the commit carries no Signed-off-by, "
                        "so the infra repository's DCO check will fail", "git config user.name / user.email"))
    return absent, signed


def plan_protect(req: ProtectRequest, found: tuple[CheckResult, ...], author: tuple[str, str] | None) -> Plan:
    repo, path, base, head = req.infra.repository, req.infra.path, req.base or "master", req.head
    message = req.message(author)
    branch = {"repo": repo, "name": head, "from": base}
    entry = {"repo": repo, "path": path, "branch": head, "org": req.infra.org, "project": req.infra.repo,
             "release_branch": req.branch, "message": message, "author": list(author) if author else None}
    pull = {"repo": repo, "head": head, "base": base, "title": req.title, "body": req.body}
    steps = (
        Step("branch", f"Create branch {head} on {repo} from {base}", "forge.branch", branch,
             preview("forge.branch", branch),
             "nothing is changed on the infra repository yet: fix access, then resume"),
        Step("file", f"Add {req.branch} to {path} on {head}", "forge.protect-entry", entry,
             preview("forge.protect-entry", entry), f"the branch {head} exists on {repo}: resume writes the file on it",
             detail=req.diff()),
        Step("pull", f"Open the PR {head} -> {base} on {repo}", "forge.pull", pull, preview("forge.pull", pull),
             f"the change is on {head} of {repo}: resume opens the PR, or open it by hand"),
    )
    return Plan(new_plan_id("protect"), f"Request protection of {req.branch} on {repo}", steps, found)


def manual_change(req: ProtectRequest, problem: str | None) -> str:
    """What to do by hand when the cockpit cannot open the PR: the diff, the PR title and body, the commands."""
    repo, path = req.infra.repository, req.infra.path
    body = "".join(f"    {line}\n" if line else "\n" for line in req.body.splitlines())
    return "\n".join([
        f"cannot open the PR on {repo} ({problem or 'no access'}): make the change by hand.",
        f"The change to {path} (read from {req.source}):",
        "",
        req.diff().rstrip("\n"),
        "",
        f"Then open a PR on {repo}" + (f" against {req.base}" if req.base else "") + ", from a fork if you cannot "
        "push there:",
        f"  title: {req.title}",
        "  body:",
        body.rstrip("\n"),
        "",
        f"  $ gh repo fork {repo} --clone && cd {repo.split('/', 1)[1]} && git switch -c {req.head}",
        f"  $ (edit {path} as above) && git commit -s -am {shlex.quote(req.title)}",
        f"  $ gh pr create --repo {repo} --title {shlex.quote(req.title)} --body-file <the body above>",
    ])


def propose_protection(git: GitService, forge: Forge | None, forge_problem: str | None, branch: str,
                       local_copy: Path | None = None) -> Plan | Refusal:
    """The plan of a protection request, or a refusal: nothing to do (protected already), the exact change to make
    by hand (no access to the infra repository), or a bad input (not a release branch, an unreadable file)."""
    infra = git.config.infra
    try:
        branch = check_branch_name(git, branch)
    except InputError as exc:
        return Refusal.of(exc)
    exists = branch_check(git, branch)
    if exists.blocks:
        return Plan(new_plan_id("protect"), f"Request protection of {branch}", (), (exists,))
    access = infra_access(forge, forge_problem, infra)
    try:
        text, source = read_infra_file(access, infra, local_copy)
        req = build_request(infra, branch, text, source, access.base)
    except InputError as exc:
        return Refusal.of(exc)
    if not req.edit.changed:
        return Refusal(f"nothing to do: {branch} is already protected in {req.source}", "nothing-to-do")
    if not access.writable:
        return Refusal(manual_change(req, access.problem), "manual")
    author = signoff(git)
    return plan_protect(req, (exists, *request_checks(req, author)), author)
