"""The contract for another repository's files, branches and PRs (what the branch-protection request needs), run
against both forges: LocalForge's `repositories` section and GitHubForge over HTTP to the emulator. Without push
access both refuse writes with PermissionDenied; missing things are NotFound; a stale file sha is a Conflict."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.services.auth import RepoSlug, Token
from cockpit.services.cache import ForgeCache
from cockpit.services.forge.base import Conflict, Forge, ForgeError, NotFound, PermissionDenied
from cockpit.services.forge.github import GitHubForge
from cockpit.services.forge.local import LocalForge
from cockpit.services.forge.local_repos import local_repository

from github_emulator import GitHubEmulator, serve_validated
from worlds import World, local_file, seed_emulator

INFRA = "falcosecurity/test-infra"
CONFIG = "config/config.yaml"
FILES = {CONFIG: "branch-protection:\n  orgs: {}\n", "README.md": "# test-infra\n"}
READ_ONLY = "ghp_read_only_token"


def blob(text: str) -> str:
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's object id


def local_forge(tmp_path: Path, push: bool = True) -> LocalForge:
    path = local_file(World(), tmp_path / "forge.json")
    data = json.loads(path.read_text())
    data["repositories"] = {INFRA: local_repository(FILES, push=push)}
    path.write_text(json.dumps(data))
    return LocalForge(path)


def github_forge(emu: GitHubEmulator, tmp_path: Path, token: str) -> GitHubForge:
    return GitHubForge(RepoSlug("github.com", "falcosecurity", "libs"), Token(token, "GH_TOKEN"),
                       base_url=emu.base_url, cache=ForgeCache(tmp_path / "cache.sqlite3"), per_page=3, timeout=5,
                       retry=None, throttle=False)


def seeded(emu: GitHubEmulator) -> GitHubEmulator:
    seed_emulator(World(), emu)
    emu.add_repo(INFRA, files=FILES)
    emu.add_token(READ_ONLY, login="reader", push=["falcosecurity/libs"])
    return emu


@pytest.fixture(params=["local", "github"])
def forge(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Forge]:
    if request.param == "local":
        yield local_forge(tmp_path)
        return
    for emu in serve_validated():
        yield github_forge(seeded(emu), tmp_path, emu.token)


@pytest.fixture(params=["local", "github"])
def read_only(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Forge]:
    """A forge that may read the infra repository but not push to it."""
    if request.param == "local":
        yield local_forge(tmp_path, push=False)
        return
    for emu in serve_validated():
        yield github_forge(seeded(emu), tmp_path, READ_ONLY)


def test_other_repository(forge: Forge) -> None:
    repo = forge.repository(INFRA)
    assert (repo.slug, repo.default_branch, repo.can_push) == (INFRA, "master", True)
    assert forge.repository().slug == "falcosecurity/libs"
    with pytest.raises(NotFound):
        forge.repository("falcosecurity/no-such-repo")


def test_read_file(forge: Forge) -> None:
    found = forge.read_file(INFRA, CONFIG)
    assert (found.path, found.text, found.sha) == (CONFIG, FILES[CONFIG], blob(FILES[CONFIG]))
    assert forge.read_file(INFRA, CONFIG, "master") == found
    for missing in ((INFRA, "config/nope.yaml", None), (INFRA, CONFIG, "no-such-branch"),
                    ("falcosecurity/no-such-repo", CONFIG, None)):
        with pytest.raises(NotFound):
            forge.read_file(*missing)


def test_create_branch_from_the_default_head(forge: Forge) -> None:
    head = forge.branch_head(INFRA, "master")
    assert head and len(head) == 40
    assert forge.branch_head(INFRA, "cockpit/protect-release-0.26.x") is None
    assert forge.create_branch(INFRA, "cockpit/protect-release-0.26.x") == head
    assert forge.branch_head(INFRA, "cockpit/protect-release-0.26.x") == head
    with pytest.raises(Conflict):
        forge.create_branch(INFRA, "cockpit/protect-release-0.26.x")
    with pytest.raises(NotFound):
        forge.create_branch(INFRA, "other", "no-such-branch")


def test_write_file_on_a_branch(forge: Forge) -> None:
    forge.create_branch(INFRA, "work")
    before = forge.read_file(INFRA, CONFIG, "work")
    new = FILES[CONFIG] + "# protected\n"
    with pytest.raises(Conflict):  # an existing file is only replaced by naming its sha
        forge.write_file(INFRA, CONFIG, new, "edit", "work", None)
    with pytest.raises(Conflict):
        forge.write_file(INFRA, CONFIG, new, "edit", "work", blob("something else\n"))
    with pytest.raises(NotFound):
        forge.write_file(INFRA, CONFIG, new, "edit", "no-such-branch", before.sha)
    written = forge.write_file(INFRA, CONFIG, new, "update(config): x\n\nSigned-off-by: A <a@example.com>", "work",
                               before.sha, ("A", "a@example.com"))
    assert written.path == CONFIG and written.sha == blob(new) and len(written.commit) == 40
    assert forge.branch_head(INFRA, "work") == written.commit
    assert forge.read_file(INFRA, CONFIG, "work").text == new
    assert forge.read_file(INFRA, CONFIG).text == FILES[CONFIG]  # the default branch is untouched
    with pytest.raises(Conflict):  # the old sha is stale now
        forge.write_file(INFRA, CONFIG, new + "#\n", "again", "work", before.sha)


def test_open_a_pull_on_another_repository(forge: Forge) -> None:
    head = "cockpit/protect-release-0.26.x"
    forge.create_branch(INFRA, head)
    with pytest.raises(Conflict):  # no commits between the branches yet
        forge.create_pull("t", "b", head, "master", repo=INFRA)
    sha = forge.read_file(INFRA, CONFIG, head).sha
    forge.write_file(INFRA, CONFIG, FILES[CONFIG] + "#\n", "edit", head, sha)
    assert forge.pulls_from(INFRA, head) == []
    pr = forge.create_pull("update(config): protect", "the body", head, "master", repo=INFRA)
    assert pr.kind == "pr" and pr.state == "open" and not pr.merged and pr.title == "update(config): protect"
    assert pr.url.endswith(f"/{INFRA}/pull/{pr.number}") and pr.body == "the body"
    assert [p.number for p in forge.pulls_from(INFRA, head)] == [pr.number]
    assert forge.pulls_from(INFRA, "other-head") == []
    with pytest.raises(Conflict):  # one open PR per head and base
        forge.create_pull("again", "b", head, "master", repo=INFRA)
    with pytest.raises(Conflict):
        forge.create_pull("t", "b", "no-such-branch", "master", repo=INFRA)


@pytest.mark.fault
def test_without_push_access_reads_but_never_writes(read_only: Forge) -> None:
    repo = read_only.repository(INFRA)
    assert repo.can_push is False
    assert read_only.read_file(INFRA, CONFIG).text == FILES[CONFIG]
    with pytest.raises(PermissionDenied):
        read_only.create_branch(INFRA, "cockpit/protect-release-0.26.x")
    assert read_only.branch_head(INFRA, "cockpit/protect-release-0.26.x") is None
    with pytest.raises(PermissionDenied):
        read_only.write_file(INFRA, CONFIG, "x: 1\n", "edit", "master", blob(FILES[CONFIG]))
    assert read_only.read_file(INFRA, CONFIG).text == FILES[CONFIG]


# --- the emulator only: what went over the wire ----------------------------------------------------------------

@pytest.fixture
def emu() -> Iterator[GitHubEmulator]:
    for emulator in serve_validated():
        yield seeded(emulator)


@pytest.mark.fault
def test_github_403_without_push_access_is_one_line(emu: GitHubEmulator, tmp_path: Path) -> None:
    forge = github_forge(emu, tmp_path, READ_ONLY)
    with pytest.raises(PermissionDenied) as refused:
        forge.create_branch(INFRA, "cockpit/protect-release-0.26.x")
    message = str(refused.value)
    assert "Must have push access to repository" in message and "GH_TOKEN" in message
    assert READ_ONLY not in message and "\n" not in message
    assert emu.requests_count("POST", f"/repos/{INFRA}/git/refs", status=403) == 1
    assert emu.ref("cockpit/protect-release-0.26.x", repo=INFRA) is None
    with pytest.raises(PermissionDenied):
        forge.write_file(INFRA, CONFIG, "x: 1\n", "edit", "master", blob(FILES[CONFIG]))
    assert emu.requests_count("PUT", f"/repos/{INFRA}/contents/{CONFIG}", status=403) == 1
    assert emu.file(CONFIG, repo=INFRA) == FILES[CONFIG]


def test_github_write_sends_the_author_and_the_branch(emu: GitHubEmulator, tmp_path: Path) -> None:
    forge = github_forge(emu, tmp_path, emu.token)
    forge.create_branch(INFRA, "work")
    sha = forge.read_file(INFRA, CONFIG, "work").sha
    written = forge.write_file(INFRA, CONFIG, "a: 1\n", "update(config): a\n\nSigned-off-by: A <a@example.com>",
                               "work", sha, ("A", "a@example.com"))
    commit = emu.repo(INFRA).commits[written.commit]
    assert (commit.author_name, commit.author_email) == ("A", "a@example.com")
    assert commit.message.endswith("Signed-off-by: A <a@example.com>")
    assert emu.file(CONFIG, ref="work", repo=INFRA) == "a: 1\n" and emu.file(CONFIG, repo=INFRA) == FILES[CONFIG]


@pytest.mark.security
def test_a_path_never_walks_the_request_to_another_endpoint(tmp_path: Path) -> None:
    """`../` steps in a file path would reach, with the token, whatever endpoint they name (a PUT on
    .../collaborators/x adds a collaborator): refused before any request."""
    for emu in serve_validated():
        forge = github_forge(seeded(emu), tmp_path, emu.token)
        emu.clear_requests()
        for path in ("../../../victim/repo/collaborators/x", "a/./b", "a//b", "a/\nb"):
            with pytest.raises(ForgeError, match="not a path inside a repository"):
                forge.read_file(INFRA, path)
            with pytest.raises(ForgeError, match="not a path inside a repository"):
                forge.write_file(INFRA, path, "x", "m", "master", None)
        assert emu.requests == []
        assert forge.read_file(INFRA, CONFIG).path == CONFIG  # ordinary paths still work, '/' kept as it is
