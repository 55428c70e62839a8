"""GitHubForge's commit -> PR association against the emulator: one GraphQL request per 100 commits (validated
against GitHub's schema), nothing asked twice once merged, the REST endpoint where GraphQL is off, and every failure a
ForgeError in one line."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.services.auth import RepoSlug, Token
from cockpit.services.cache import ForgeCache
from cockpit.services.forge.base import AuthError, ForgeError, Offline, RateLimited
from cockpit.services.forge.github import GitHubForge

from github_emulator import Fault, GitHubEmulator, serve_validated

CANARY = "ghp_CANARY_ASSOCIATION_0123456789"
GRAPHQL = "/api/graphql"


@pytest.fixture
def emu() -> Iterator[GitHubEmulator]:
    yield from serve_validated(token=CANARY)


def make(emu: GitHubEmulator, cache: Path, **kw: object) -> GitHubForge:
    settings = {"base_url": emu.base_url, "cache": ForgeCache(cache), "timeout": 10, "retry": None,
                "throttle": False}
    settings.update(kw)
    return GitHubForge(RepoSlug("github.com", "falcosecurity", "libs"), Token(CANARY, "GH_TOKEN"), **settings)


def sha(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()


def seed(emu: GitHubEmulator, prs: int, per_pr: int) -> dict[str, int]:
    """`prs` PRs rebase-merged with `per_pr` commits each, in milestone 0.26.0: commit -> PR number."""
    emu.add_milestone("0.26.0")
    found = {}
    for n in range(prs):
        commits = [sha(n, k) for k in range(per_pr)]
        pr = emu.add_pull(f"fix: number {n}", milestone="0.26.0", labels=("kind/bug",), user="alice",
                          commits=commits, body=f"fixes {n}")
        found.update(dict.fromkeys(commits, pr.number))
    return found


def test_graphql_asks_100_commits_per_request_and_caches_merged_answers(emu: GitHubEmulator,
                                                                        tmp_path: Path) -> None:
    landed = seed(emu, 50, 3)  # 150 commits
    unknown = sha("never pushed")
    forge = make(emu, tmp_path / "cache.sqlite3")
    found = forge.commit_pulls([*landed, unknown])
    assert {s: p[0].number for s, p in found.items()} == landed
    assert emu.requests_count("POST", GRAPHQL) == 2 and len(emu.requests) == 2  # 151 commits: 2 requests, no REST
    pull = found[next(iter(landed))][0]
    assert (pull.title, pull.author, pull.labels, pull.milestone, pull.merged, pull.base, pull.body) == (
        "fix: number 0", "alice", ("kind/bug",), "0.26.0", True, "master", "fixes 0")
    # a second look, even from a new forge on the same cache file: the merged answers cost nothing
    again = make(emu, tmp_path / "cache.sqlite3").commit_pulls(list(landed))
    assert again == {s: found[s] for s in landed} and len(emu.requests) == 2
    # the commit no PR landed is asked again (a PR may still land it)
    make(emu, tmp_path / "cache.sqlite3").commit_pulls([unknown])
    assert emu.requests_count("POST", GRAPHQL) == 3


def test_rest_endpoint_per_commit_where_graphql_is_off(emu: GitHubEmulator, tmp_path: Path) -> None:
    landed = seed(emu, 2, 2)
    open_pr = emu.add_pull("new: open", merged=False)
    forge = make(emu, tmp_path / "cache.sqlite3", graphql=False)
    found = forge.commit_pulls(list(landed))
    assert {s: p[0].number for s, p in found.items()} == landed and open_pr.number not in {*landed.values()}
    assert emu.requests_count("GET", prefix="/repos/falcosecurity/libs/commits/") == 4
    assert emu.requests_count("POST", GRAPHQL) == 0
    assert found[next(iter(landed))][0].milestone == "0.26.0"
    assert make(emu, tmp_path / "cache.sqlite3", graphql=False).commit_pulls(list(landed)) == found
    assert emu.requests_count("GET", prefix="/repos/falcosecurity/libs/commits/") == 4


@pytest.mark.fault
def test_graphql_rate_limit_is_rate_limited(emu: GitHubEmulator, tmp_path: Path) -> None:
    landed = seed(emu, 1, 2)
    emu.set_rate_limit(0, resource="graphql")
    with pytest.raises(RateLimited, match="GraphQL rate limit is used up"):
        make(emu, tmp_path / "cache.sqlite3").commit_pulls(list(landed))


@pytest.mark.fault
@pytest.mark.parametrize(("fault", "error", "words"), [
    (Fault.DROP, Offline, "cannot reach github.com"),
    (Fault.BAD_CREDENTIALS, AuthError, "bad credentials"),
    (Fault.RATE_LIMIT, RateLimited, "rate limit"),
    (Fault.SERVER_ERROR, ForgeError, "answered 500"),
])
def test_graphql_faults_are_forge_errors(emu: GitHubEmulator, tmp_path: Path, fault: Fault,
                                         error: type[Exception], words: str) -> None:
    landed = seed(emu, 1, 1)
    emu.fail_next(fault, path_prefix=GRAPHQL)
    with pytest.raises(error, match=words) as caught:
        make(emu, tmp_path / "cache.sqlite3").commit_pulls(list(landed))
    assert CANARY not in str(caught.value) and "\n" not in str(caught.value)


def test_graphql_errors_are_one_line(emu: GitHubEmulator, tmp_path: Path) -> None:
    """A PR the server cannot render (a null title in a non-null field) comes back as GitHub does it: HTTP 200 with
    an `errors` array; the cockpit says the forge refused, in one line."""
    landed = seed(emu, 1, 1)
    (commit,) = landed
    with emu.world.lock:
        emu.world.repo("falcosecurity/libs").issues[landed[commit]].title = None  # type: ignore[assignment]
    with pytest.raises(ForgeError, match="GraphQL API refused the PRs of 1 commit") as caught:
        make(emu, tmp_path / "cache.sqlite3").commit_pulls([commit])
    assert "\n" not in str(caught.value)
    emu.server.forget(violations=True)  # the emulator was made to fail that field on purpose


@pytest.mark.security
@pytest.mark.parametrize(("node", "field"), [
    ({"number": "7", "title": "t", "merged": True, "state": "MERGED", "baseRefName": "master"}, "number"),
    ({"number": 7, "title": None, "merged": True, "state": "MERGED", "baseRefName": "master"}, "title"),
    ({"number": 7, "title": "t", "merged": "yes", "state": "MERGED", "baseRefName": "master"}, "merged"),
    ({"number": 7, "title": "t", "merged": True, "state": "GONE", "baseRefName": "master"}, "state"),
    ({"number": 7, "title": "t", "merged": True, "state": "MERGED", "baseRefName": "master",
      "labels": {"nodes": [{"name": 3}]}}, "name"),
    ({"number": 7, "title": "t", "merged": True, "state": "MERGED", "baseRefName": "master",
      "milestone": {"title": ["0.26.0"]}}, "title"),
    ("a PR", "object"),
])
def test_hostile_associations_are_forge_errors(node: object, field: str) -> None:
    """Whatever answers in GitHub's place: a PR of the wrong shape is a ForgeError naming the field."""
    from cockpit.services.forge.github_pulls import _graphql_pull, _rest_pull

    with pytest.raises(ForgeError, match=f"malformed.*{field}"):
        _graphql_pull(node, "the PRs of 1 commit(s)", "commit 0123456789 PR [0]")
    with pytest.raises(ForgeError, match="malformed"):
        _rest_pull({"number": 7, "title": "t", "state": "closed", "base": "master"}, "the PRs", "PR [0]")
