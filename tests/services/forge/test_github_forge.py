"""GitHubForge against the emulator: request counts, conditional refreshes, GitHub's silent ignores, and every
fault turned into one line a user understands. The token never appears anywhere."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.services.auth import RepoSlug, Token
from cockpit.services.cache import ForgeCache
from cockpit.services.forge.base import (
    AuthError,
    ForgeError,
    ForgeTimeout,
    NotFound,
    Offline,
    PermissionDenied,
    RateLimited,
)
from cockpit.services.forge.github import GitHubForge

from github_emulator import Fault, GitHubEmulator, serve_validated

CANARY = "ghp_CANARY0123456789abcdefCANARY"


@pytest.fixture
def emu() -> Iterator[GitHubEmulator]:
    yield from serve_validated(token=CANARY, slow_seconds=2.0)


def make(emu: GitHubEmulator, tmp_path: Path, token: str = CANARY, **kw: object) -> GitHubForge:
    settings = {"base_url": emu.base_url, "cache": ForgeCache(tmp_path / "cache.sqlite3"), "timeout": 1,
                "retry": None, "throttle": False}
    settings.update(kw)
    return GitHubForge(RepoSlug("github.com", "falcosecurity", "libs"), Token(token, "GH_TOKEN"), **settings)


def seed_milestone(emu: GitHubEmulator, n: int) -> None:
    emu.add_milestone("0.26.0", due_on="2026-11-30")
    for i in range(n):
        emu.add_pull(f"fix: change {i}", merged=i % 3 != 0, milestone="0.26.0", labels=["kind/bug"],
                     body="```release-note\nfix: change\n```")


@pytest.mark.parametrize("n", [0, 99, 100, 101, 300])
def test_github_milestone_items_cost_pages_plus_one(emu: GitHubEmulator, tmp_path: Path, n: int) -> None:
    seed_milestone(emu, n)
    emu.clear_requests()
    items = make(emu, tmp_path).milestone_items("0.26.0")
    assert len(items) == n
    assert emu.requests_count() == max(1, math.ceil(n / 100)) + 1
    assert emu.requests_count(prefix="/repos/falcosecurity/libs/pulls") == 0  # never one request per PR


def test_github_warm_refresh_is_conditional_and_free(emu: GitHubEmulator, tmp_path: Path) -> None:
    seed_milestone(emu, 300)
    forge = make(emu, tmp_path)
    cold = forge.milestone_items("0.26.0")
    remaining = emu.rate_limit().remaining
    emu.clear_requests()
    warm = forge.milestone_items("0.26.0")
    assert warm == cold
    assert emu.requests_count() == 4 and emu.requests_count(status=304) == 4
    assert all("if-none-match" in {k.lower() for k in r.headers} for r in emu.requests)
    assert emu.rate_limit().remaining == remaining  # 304s are not charged


def test_github_refresh_after_a_change_reads_the_change(emu: GitHubEmulator, tmp_path: Path) -> None:
    seed_milestone(emu, 5)
    forge = make(emu, tmp_path)
    forge.milestone_items("0.26.0")
    emu.add_pull("fix: a late one", milestone="0.26.0")
    assert len(forge.milestone_items("0.26.0")) == 6


@pytest.mark.fault
def test_github_move_without_push_access_is_reported(tmp_path: Path) -> None:
    for emu in serve_validated(token=CANARY, push=False):
        emu.add_milestone("0.26.0")
        emu.add_milestone("0.27.0")
        pr = emu.add_pull("new: a feature", merged=False, milestone="0.26.0")
        outcome = make(emu, tmp_path).move_items([pr.number], "0.27.0")[0]
        assert not outcome.moved and outcome.milestone == "0.26.0"
        assert "GitHub ignored the change" in outcome.reason and "no push access" in outcome.reason


@pytest.mark.fault
def test_github_write_without_push_access_is_permission_denied(tmp_path: Path) -> None:
    for emu in serve_validated(token=CANARY, push=False):
        with pytest.raises(PermissionDenied, match="lacks permission"):
            make(emu, tmp_path).create_milestone("0.28.0")


@pytest.mark.fault
@pytest.mark.parametrize(("fault", "error", "words"), [
    (Fault.BAD_CREDENTIALS, AuthError, "rejected the token from GH_TOKEN"),
    (Fault.RATE_LIMIT, RateLimited, "rate limit used up until"),
    (Fault.SECONDARY_RATE_LIMIT, RateLimited, "secondary rate limit"),
    (Fault.TOO_MANY_REQUESTS, RateLimited, "retry in 60 s"),
    (Fault.TOO_MANY_REQUESTS_BARE, RateLimited, "wait a minute"),
    (Fault.SERVER_ERROR, ForgeError, "answered 500"),
    (Fault.BAD_GATEWAY, ForgeError, "answered 502"),
    (Fault.DROP, Offline, "cannot reach github.com"),
    (Fault.SLOW, ForgeTimeout, "did not answer within 1 s"),
])
def test_github_faults_are_one_clear_line(emu: GitHubEmulator, tmp_path: Path, fault: Fault,
                                          error: type[ForgeError], words: str) -> None:
    emu.add_milestone("0.26.0")
    emu.fail_next(fault)
    with pytest.raises(error) as caught:
        make(emu, tmp_path).milestones()
    message = str(caught.value)
    assert words in message and "\n" not in message and CANARY not in message
    if fault == Fault.RATE_LIMIT:
        assert caught.value.reset is not None


def test_github_unknown_repository(emu: GitHubEmulator, tmp_path: Path) -> None:
    forge = GitHubForge(RepoSlug("github.com", "falcosecurity", "nope"), Token(CANARY, "GH_TOKEN"),
                        base_url=emu.base_url, retry=None, throttle=False, timeout=2)
    with pytest.raises(NotFound, match=r"repository falcosecurity/nope: not found on github\.com"):
        forge.repository()


def test_github_server_errors_are_retried_for_reads(emu: GitHubEmulator, tmp_path: Path) -> None:
    emu.add_milestone("0.26.0")
    emu.fail_next(Fault.BAD_GATEWAY, count=2)
    assert [m.title for m in make(emu, tmp_path, retry="default").milestones()] == ["0.26.0"]


def test_github_rate_limit_reads_the_budget(emu: GitHubEmulator, tmp_path: Path) -> None:
    emu.set_rate_limit(1234, limit=5000)
    limit = make(emu, tmp_path).rate_limit()
    assert (limit.limit, limit.remaining) == (5000, 1234)


def test_github_token_never_leaks(emu: GitHubEmulator, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    seed_milestone(emu, 7)
    forge = make(emu, tmp_path)
    forge.milestone_items("0.26.0")
    forge.create_issue("Release 0.26.0", "tracking")
    emu.fail_next(Fault.BAD_CREDENTIALS)
    with pytest.raises(AuthError) as caught:
        forge.milestones()
    assert CANARY not in repr(caught.value) and CANARY not in str(caught.value.__cause__)
    assert CANARY not in caplog.text
    out = capsys.readouterr()
    assert CANARY not in out.out + out.err
    forge.cache.close()
    assert CANARY.encode() not in (tmp_path / "cache.sqlite3").read_bytes()
    assert CANARY not in repr(forge.__dict__)
