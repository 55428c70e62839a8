"""Where the token may go: a committed .cockpit.toml can name the project, never the GitHub host or API URL the token
is sent to (only the user's config.toml or environment can), and the token travels over https only (plain http
only to this machine). Against the loopback emulator over real HTTP: a refused URL receives no request at all."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.services.bundle import open_git
from cockpit.services.dirs import config_dir
from cockpit.services.forge.factory import open_forge
from cockpit.services.forge.github import GitHubForge

from builders import FalcoRepo
from cli_helpers import cockpit
from github_emulator import GitHubEmulator

CANARY = "ghp_ENDPOINT_CANARY_0123456789abcdef"


@pytest.fixture
def emu() -> Iterator[GitHubEmulator]:
    with GitHubEmulator(token=CANARY) as emulator:
        emulator.add_milestone("0.3.0", due_on="2026-11-30")
        emulator.add_pull("fix: a", milestone="0.3.0", body="```release-note\nfix: a\n```\n")
        yield emulator


def commit_config(falco: FalcoRepo, text: str) -> None:
    (falco.path / ".cockpit.toml").write_text(text)
    subprocess.run(["git", "-C", str(falco.path), "add", ".cockpit.toml"], check=True)
    subprocess.run(["git", "-C", str(falco.path), "commit", "-qm", "project config"], check=True)


def user_config(text: str) -> Path:
    path = config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def forge_of(falco: FalcoRepo, **env: str):
    return open_forge(open_git(falco.path), {"GH_TOKEN": CANARY, **env})


@pytest.mark.security
def test_a_committed_api_url_never_receives_the_token(falco: FalcoRepo, emu: GitHubEmulator) -> None:
    commit_config(falco, f'[forge]\nrepository = "falcosecurity/libs"\napi_url = "{emu.base_url}"\n')
    choice = forge_of(falco)
    assert choice.forge is None
    assert choice.problem == (
        f".cockpit.toml [forge] api_url: a repository's committed config cannot choose where your GitHub token is "
        f"sent; set github_api_url in {config_dir() / 'config.toml'} or COCKPIT_GITHUB_API_URL (it names "
        f"{emu.base_url!r})")
    for args in (("status", "--json"), ("notes", "0.3.0"), ("candidates", "--branch", "release/0.2.x")):
        done = cockpit(falco.path, *args, token=CANARY)
        assert "Traceback" not in done.stderr and CANARY not in done.stdout + done.stderr
    assert emu.requests_count() == 0  # not one request, so the token went nowhere
    status = json.loads(cockpit(falco.path, "status", "--json", token=CANARY, check=True).stdout)
    assert status["tags"] and "cannot choose where your GitHub token is sent" in status["forge"]["problem"]


@pytest.mark.security
@pytest.mark.parametrize("where", ["env", "user config"])
def test_the_api_url_the_user_names_is_used(falco: FalcoRepo, emu: GitHubEmulator, monkeypatch: pytest.MonkeyPatch,
                                            where: str) -> None:
    commit_config(falco, f'[forge]\nrepository = "falcosecurity/libs"\napi_url = "{emu.base_url}/"\n')
    monkeypatch.setenv("GH_TOKEN", CANARY)
    if where == "env":
        monkeypatch.setenv("COCKPIT_GITHUB_API_URL", emu.base_url)
    else:
        user_config(f'github_api_url = "{emu.base_url}"\n')
    choice = open_forge(open_git(falco.path))  # the process environment, as the CLI runs
    assert choice.problem is None and isinstance(choice.forge, GitHubForge)
    done = cockpit(falco.path, "status", "--json", token=CANARY, check=True)
    assert [m["title"] for m in json.loads(done.stdout)["milestones"]] == ["0.3.0"]
    assert emu.requests_count() > 0 and CANARY not in done.stdout + done.stderr


@pytest.mark.security
def test_the_users_api_url_needs_no_committed_one(falco: FalcoRepo, emu: GitHubEmulator) -> None:
    commit_config(falco, '[forge]\nrepository = "falcosecurity/libs"\n')
    choice = forge_of(falco, COCKPIT_GITHUB_API_URL=emu.base_url)
    assert choice.problem is None
    assert [m.title for m in choice.forge.milestones()] == ["0.3.0"]


@pytest.mark.security
def test_a_committed_api_url_other_than_the_users_is_refused(falco: FalcoRepo, emu: GitHubEmulator) -> None:
    commit_config(falco, '[forge]\nrepository = "falcosecurity/libs"\napi_url = "https://evil.example/api/v3"\n')
    choice = forge_of(falco, COCKPIT_GITHUB_API_URL=emu.base_url)
    assert choice.forge is None and "[forge] api_url" in choice.problem and "evil.example" in choice.problem


@pytest.mark.security
@pytest.mark.parametrize("url", ["https://api.github.com", "https://API.github.com/"])
def test_the_public_api_may_be_committed(falco: FalcoRepo, url: str) -> None:
    commit_config(falco, f'[forge]\nrepository = "falcosecurity/libs"\napi_url = "{url}"\n')
    choice = forge_of(falco)
    assert choice.problem is None and isinstance(choice.forge, GitHubForge)
    assert choice.forge._gh.requester.base_url == "https://api.github.com"


@pytest.mark.security
def test_a_committed_host_needs_the_users_word(falco: FalcoRepo) -> None:
    commit_config(falco, '[forge]\nrepository = "falcosecurity/libs"\nhost = "ghe.evil.example"\n')
    refused = forge_of(falco, GH_ENTERPRISE_TOKEN=CANARY)
    assert refused.forge is None and refused.problem == (
        ".cockpit.toml [forge] host: a repository's committed config cannot choose where your GitHub token is sent; "
        f"set github_host in {config_dir() / 'config.toml'} or GH_HOST (it names 'ghe.evil.example')")
    allowed = forge_of(falco, GH_HOST="ghe.evil.example", GH_ENTERPRISE_TOKEN=CANARY)
    assert allowed.problem is None and allowed.forge._gh.requester.base_url == "https://ghe.evil.example/api/v3"
    user_config('github_host = "GHE.evil.example"\n')
    by_user = forge_of(falco, GH_ENTERPRISE_TOKEN=CANARY)
    assert by_user.problem is None and "(token from GH_ENTERPRISE_TOKEN)" in by_user.description


@pytest.mark.security
@pytest.mark.parametrize("url, ok", [
    ("http://example.com/api/v3", False),
    ("http://127.0.0.1.example.com/api/v3", False),
    ("http://10.0.0.1/api/v3", False),
    ("https://user:secret@ghe.example.com/api/v3", False),
    ("ftp://ghe.example.com/api/v3", False),
    ("https://ghe.example.com:notaport/api/v3", False),
    ("not a url", False),
    ("https://ghe.example.com/api/v3", True),
    ("http://127.0.0.1:8080/api/v3", True),
    ("http://[::1]:8080/api/v3", True),
    ("http://localhost/api/v3", True),
])
def test_the_token_travels_over_https_or_to_this_machine(falco: FalcoRepo, url: str, ok: bool) -> None:
    commit_config(falco, '[forge]\nrepository = "falcosecurity/libs"\n')
    choice = forge_of(falco, COCKPIT_GITHUB_API_URL=url)
    assert (choice.forge is not None) == ok, choice.problem
    if not ok:
        assert choice.problem.startswith(f"COCKPIT_GITHUB_API_URL: {url!r}") and "\n" not in choice.problem
    if url.startswith("http://example.com"):
        assert "over plain http" in choice.problem


@pytest.mark.security
def test_a_bad_user_config_is_the_forge_problem_not_a_crash(falco: FalcoRepo) -> None:
    commit_config(falco, '[forge]\nrepository = "falcosecurity/libs"\n')
    user_config("github_api_url = 3\n")
    choice = forge_of(falco)
    assert choice.forge is None and "github_api_url must be a string" in choice.problem


@pytest.mark.security
@pytest.mark.parametrize("repo", ["falcosecurity/test-infra/../../libs", "../x", "evil.example/o/r", "o/r?x=1",
                                  "o", "o/r#frag"])
def test_another_repositorys_name_cannot_aim_a_request_elsewhere(emu: GitHubEmulator, tmp_path: Path,
                                                                 repo: str) -> None:
    """[infra] repository of .cockpit.toml goes into the paths of requests that carry the token."""
    from cockpit.services.auth import RepoSlug, Token
    from cockpit.services.forge.base import ForgeError

    forge = GitHubForge(RepoSlug("github.com", "falcosecurity", "libs"), Token(CANARY, "GH_TOKEN"),
                        base_url=emu.base_url, retry=None, throttle=False)
    for call in (lambda: forge.repository(repo), lambda: forge.read_file(repo, "config/config.yaml"),
                 lambda: forge.branch_head(repo, "master"), lambda: forge.pulls_from(repo, "x"),
                 lambda: forge.create_pull("t", "b", "x", "master", repo)):
        with pytest.raises(ForgeError, match="is not owner/name"):
            call()
    assert emu.requests_count() == 0
