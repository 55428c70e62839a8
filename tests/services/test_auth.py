"""Token discovery order and repository identification from remotes."""

from __future__ import annotations

import pytest

from cockpit.services.auth import RepoSlug, find_token, parse_remote_url, parse_slug


@pytest.mark.parametrize(("url", "slug"), [
    ("https://github.com/falcosecurity/libs.git", ("github.com", "falcosecurity", "libs")),
    ("https://github.com/falcosecurity/libs", ("github.com", "falcosecurity", "libs")),
    ("https://user@github.com/falcosecurity/libs/", ("github.com", "falcosecurity", "libs")),
    ("git@github.com:falcosecurity/libs.git", ("github.com", "falcosecurity", "libs")),
    ("ssh://git@github.com/falcosecurity/libs.git", ("github.com", "falcosecurity", "libs")),
    ("ssh://git@ghe.example.com:2222/team/libs.git", ("ghe.example.com", "team", "libs")),
    ("git@GHE.example.com:team/libs", ("ghe.example.com", "team", "libs")),
])
def test_parse_remote_url(url: str, slug: tuple[str, str, str]) -> None:
    assert parse_remote_url(url) == RepoSlug(*slug)


@pytest.mark.parametrize("url", ["/srv/git/libs.git", "./origin.git", "file:///srv/libs.git", "not a url", ""])
def test_parse_remote_url_rejects_paths(url: str) -> None:
    assert parse_remote_url(url) is None


def test_api_urls() -> None:
    assert RepoSlug("github.com", "o", "r").api_url == "https://api.github.com"
    assert RepoSlug("ghe.example.com", "o", "r").api_url == "https://ghe.example.com/api/v3"


def test_parse_slug() -> None:
    assert parse_slug("falcosecurity/libs") == RepoSlug("github.com", "falcosecurity", "libs")
    assert parse_slug("a/b/c") is None and parse_slug("bad slug/x") is None


def test_token_order() -> None:
    env = {"GH_TOKEN": "t1", "GITHUB_TOKEN": "t2"}
    token = find_token(env, use_gh=False, use_keyring=False)
    assert token and token.value == "t1" and token.source == "GH_TOKEN"
    token = find_token({"GITHUB_TOKEN": "t2"}, use_gh=False, use_keyring=False)
    assert token and token.source == "GITHUB_TOKEN"
    assert find_token({}, use_gh=False, use_keyring=False) is None
    assert find_token({"GH_TOKEN": "  "}, use_gh=False, use_keyring=False) is None


def test_enterprise_tokens_need_gh_host() -> None:
    env = {"GH_TOKEN": "public", "GH_ENTERPRISE_TOKEN": "ent", "GH_HOST": "ghe.example.com"}
    token = find_token(env, host="ghe.example.com", use_gh=False, use_keyring=False)
    assert token and token.value == "ent" and token.source == "GH_ENTERPRISE_TOKEN"
    env = {"GITHUB_ENTERPRISE_TOKEN": "ent2", "GH_HOST": "ghe.example.com"}
    assert find_token(env, host="ghe.example.com", use_gh=False, use_keyring=False).source == \
        "GITHUB_ENTERPRISE_TOKEN"
    # a github.com token is never sent to another host
    assert find_token({"GH_TOKEN": "public"}, host="ghe.example.com", use_gh=False, use_keyring=False) is None


def test_token_never_shows_its_value() -> None:
    token = find_token({"GH_TOKEN": "ghp_canary_0123456789"}, use_gh=False, use_keyring=False)
    assert "canary" not in repr(token) and "canary" not in str(token)


def test_gh_cli_token(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    gh = tmp_path / "gh"
    gh.write_text('#!/bin/sh\n[ "$1 $2 $3 $4" = "auth token --hostname github.com" ] && echo from-gh-cli\n')
    gh.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    token = find_token({}, use_keyring=False)
    assert token and token.value == "from-gh-cli" and token.source == "gh auth token"
