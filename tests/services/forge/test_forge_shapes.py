"""Every forge answer is checked for the shape the cockpit reads: a null title, a number that is text, two
milestones or items numbered alike are one ForgeError naming the object and the field (never a TypeError or
KeyError), and `cockpit status` still shows the git data with the forge problem. Odd titles ('/', '..', bidi
controls) work. GitHub's side runs against the loopback emulator made to answer wrongly over real HTTP; the local
side against a real forge file."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cockpit.services.auth import RepoSlug, Token
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.github import GitHubForge
from cockpit.services.forge.local import LocalForge

from builders import FalcoRepo
from cli_helpers import cockpit
from github_emulator import GitHubEmulator

TOKEN = "ghp_SHAPES_0123456789abcdef"
ODD = "release/0.26 ../x \u202e✓"


# --- the local forge file ---------------------------------------------------------------------------------------

def forge_file(path: Path, **extra: Any) -> Path:
    doc = {"schema": 1, "repository": {"owner": "falcosecurity", "name": "libs"},
           "milestones": [{"number": 1, "title": "0.26.0", "state": "open"},
                          {"number": 2, "title": "0.27.0", "state": "open"}],
           "items": [{"number": 1, "kind": "pr", "title": "fix: a", "state": "closed", "milestone": "0.26.0",
                      "merged_at": "2026-11-01T10:00:00Z"},
                     {"number": 2, "kind": "issue", "title": "bug", "state": "open", "milestone": "0.26.0"}]}
    doc.update(extra)
    path.write_text(json.dumps(doc))
    return path


def edited(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        forge_file(path)
        doc = json.loads(path.read_text())
        change(doc)
        path.write_text(json.dumps(doc))
        return path
    return make


def _set(doc: dict[str, Any], key: str, n: int, field: str, value: Any) -> None:
    doc[key][n][field] = value


LOCAL_CASES = [
    (edited(lambda d: _set(d, "milestones", 1, "number", 1)), r"two milestones are numbered 1$"),
    (edited(lambda d: _set(d, "items", 1, "number", 1)), r"two issues or pull requests are numbered 1$"),
    (edited(lambda d: _set(d, "milestones", 1, "title", "0.26.0")), r"two milestones are titled '0.26.0'$"),
    (edited(lambda d: _set(d, "items", 0, "title", None)), r"items\[0\]: 'title' must be text, not null$"),
    (edited(lambda d: _set(d, "milestones", 0, "title", None)), r"milestones\[0\]: 'title' must be text, not null$"),
    (edited(lambda d: _set(d, "milestones", 0, "number", "1")),
     r"milestones\[0\]: 'number' must be an integer, not text$"),
    (edited(lambda d: _set(d, "items", 0, "number", True)), r"items\[0\]: 'number' must be an integer, not true or"),
    (edited(lambda d: _set(d, "items", 0, "number", 1.5)), r"items\[0\]: 'number' must be an integer, not a fraction"),
    (edited(lambda d: _set(d, "items", 0, "labels", "kind/bug")), r"items\[0\]: 'labels' must be a list, not text"),
    (edited(lambda d: _set(d, "items", 0, "merged_at", "yesterday")), r"'merged_at' is not an ISO 8601 time"),
    (edited(lambda d: _set(d, "items", 0, "commits", "abc")), r"items\[0\]: 'commits' must be a list, not text"),
    (edited(lambda d: _set(d, "items", 0, "commits", ["--all"])),
     r"items\[0\]: 'commits' must be a list of full commit ids \(40 hex digits\)$"),
    (edited(lambda d: _set(d, "items", 0, "commits", ["ABCDEF" * 6 + "ABCD"])), r"'commits' must be a list of full"),
    (edited(lambda d: _set(d, "items", 0, "base", 3)), r"items\[0\]: 'base' must be text or null, not an integer"),
]


@pytest.mark.security
@pytest.mark.parametrize("make, message", LOCAL_CASES, ids=range(len(LOCAL_CASES)))
def test_a_malformed_forge_file_is_one_forge_error(tmp_path: Path, make: Callable[[Path], Path], message: str) -> None:
    path = make(tmp_path / "forge.json")
    with pytest.raises(ForgeError, match=message) as caught:
        LocalForge(path)
    assert str(caught.value).startswith(f"local forge file {path}: ") and "\n" not in str(caught.value)


@pytest.mark.security
def test_two_pulls_numbered_alike_in_another_repository(tmp_path: Path) -> None:
    pull = {"number": 1, "title": "t", "head": "a", "base": "master", "created_at": "2026-11-01T10:00:00Z"}
    other = {"default_branch": "master", "branches": {"master": {"commits": [{"sha": "0" * 40}], "files": {}}},
             "pulls": [pull, {**pull, "head": "b"}]}
    forge = LocalForge(forge_file(tmp_path / "forge.json", repositories={"falcosecurity/test-infra": other}))
    with pytest.raises(ForgeError, match=r"repository falcosecurity/test-infra: two pull requests are numbered 1$"):
        forge.pulls_from("falcosecurity/test-infra", "a")


def test_odd_milestone_titles_work_in_the_local_forge(tmp_path: Path) -> None:
    forge = LocalForge(forge_file(tmp_path / "forge.json"))
    forge.rename_milestone("0.26.0", ODD)
    assert forge.milestone(ODD).title == ODD
    assert [i.number for i in forge.milestone_items(ODD)] == [1, 2]
    issue = forge.create_issue("a/b/../c", "body", milestone=ODD)
    assert forge.item(issue.number).title == "a/b/../c"
    assert forge.move_items([2], "0.27.0")[0].moved


# --- GitHub, over real HTTP -------------------------------------------------------------------------------------

@pytest.fixture
def emu() -> Iterator[GitHubEmulator]:
    with GitHubEmulator(token=TOKEN) as emulator:  # not schema-validated: these answers are wrong on purpose
        emulator.add_milestone("0.26.0", due_on="2026-11-30")
        emulator.add_milestone("0.27.0")
        emulator.add_pull("fix: a", milestone="0.26.0", labels=["kind/bug"])
        emulator.add_issue("a bug", milestone="0.26.0")
        yield emulator


def github(emu: GitHubEmulator) -> GitHubForge:
    return GitHubForge(RepoSlug("github.com", "falcosecurity", "libs"), Token(TOKEN, "GH_TOKEN"),
                       base_url=emu.base_url, retry=None, throttle=False, timeout=5)


def answer(emu: GitHubEmulator, monkeypatch: pytest.MonkeyPatch, kind: str, change: Callable[[dict], None]) -> None:
    """The emulator sends its `kind` objects (milestone, issue, release, ...) changed by `change`."""
    renderer = emu.server.renderer
    original = getattr(renderer, kind)

    def wrong(*args: Any, **kwargs: Any) -> dict[str, Any]:
        data = original(*args, **kwargs)
        change(data)
        return data
    monkeypatch.setattr(renderer, kind, wrong)


def put(key: str, value: Any) -> Callable[[dict], None]:
    return lambda data: data.__setitem__(key, value)


def inner(key: str, field: str, value: Any) -> Callable[[dict], None]:
    return lambda data: data[key].__setitem__(field, value) if isinstance(data.get(key), dict) else None


GITHUB_CASES = [
    ("milestone", put("title", None), "milestones", r"milestone #1: 'title' must be text, not null"),
    ("milestone", put("number", "1"), "milestones", r"milestone \[0\] of the list: 'number' must be an integer"),
    ("milestone", put("number", 7), "milestones", r"two milestones numbered 7"),
    ("milestone", put("state", "gone"), "milestones", r"'state' must be one of open, closed"),
    ("milestone", put("due_on", 20261130), "milestones", r"'due_on' must be text or null, not an integer"),
    ("milestone", lambda d: d.pop("title"), "milestones", r"milestone #1 has no 'title'"),
    ("issue", put("title", None), "items", r"issue #\d: 'title' must be text, not null"),
    ("issue", put("number", 5), "items", r"two issues or pull requests numbered 5"),
    ("issue", put("number", None), "items", r"\[0\] of the list: 'number' must be an integer, not null"),
    ("issue", put("labels", [7]), "items", r"issue #\d label is not an object"),
    ("issue", put("user", "alice"), "items", r"'user' must be an object or null, not text"),
    ("issue", inner("user", "login", None), "items", r"issue #\d 'user': 'login' must be text, not null"),
    ("issue", inner("milestone", "title", 3), "items", r"issue #\d 'milestone': 'title' must be text, not an"),
    ("issue", put("pull_request", {"merged_at": "soon"}), "items", r"'merged_at' is not an ISO 8601 time"),
    ("issue", put("body", ["x"]), "item", r"issue #1: 'body' must be text or null, not a list"),
    ("full_repo", put("default_branch", None), "repository", r"'default_branch' must be text, not null"),
    ("full_repo", put("owner", None), "repository", r"'owner' must be an object, not null"),
    ("release", put("draft", "yes"), "release", r"'draft' must be true or false, not text"),
]
READS: dict[str, Callable[[GitHubForge], Any]] = {
    "milestones": lambda f: f.milestones("all"),
    "items": lambda f: f.milestone_items("0.26.0"),
    "item": lambda f: f.item(1),
    "repository": lambda f: f.repository(),
    "release": lambda f: f.release("0.26.0"),
}


@pytest.mark.security
@pytest.mark.parametrize("kind, change, read, message", GITHUB_CASES, ids=range(len(GITHUB_CASES)))
def test_a_malformed_github_answer_is_one_forge_error(emu: GitHubEmulator, monkeypatch: pytest.MonkeyPatch,
                                                      kind: str, change: Callable[[dict], None], read: str,
                                                      message: str) -> None:
    if read == "release":
        emu.add_commit("initial")
        emu.add_release("0.26.0")
    forge = github(emu)
    READS[read](forge)  # the answer as GitHub sends it reads fine
    answer(emu, monkeypatch, kind, change)
    with pytest.raises(ForgeError, match=message) as caught:
        READS[read](github(emu))
    assert str(caught.value).startswith("GitHub's answer for ") and "\n" not in str(caught.value)


@pytest.mark.security
@pytest.mark.parametrize("sha, message", [("--upload-pack=touch x", r"'--upload-pack=touch x' is not a full commit"),
                                          ("A" * 40, r"is not a full commit id"),
                                          (None, r"commit \[0\] of the list: 'sha' must be text, not null")])
def test_a_pull_commit_that_is_no_full_id_is_one_forge_error(emu: GitHubEmulator, monkeypatch: pytest.MonkeyPatch,
                                                             sha: Any, message: str) -> None:
    pr = emu.add_pull("fix: b", milestone="0.26.0", commits=["a" * 40, "b" * 40])
    assert github(emu).pull_commits(pr.number) == ["a" * 40, "b" * 40]
    answer(emu, monkeypatch, "commit", put("sha", sha))
    with pytest.raises(ForgeError, match=message):
        github(emu).pull_commits(pr.number)


def test_odd_titles_work_on_github(emu: GitHubEmulator) -> None:
    emu.add_milestone(ODD)
    emu.add_pull("a/b/../c", milestone=ODD)
    forge = github(emu)
    assert ODD in [m.title for m in forge.milestones()]
    assert [i.title for i in forge.milestone_items(ODD)] == ["a/b/../c"]


# --- status shows the git data and the forge problem -----------------------------------------------------------

def tags_of(falco: FalcoRepo) -> set[str]:
    return set(subprocess.run(["git", "-C", str(falco.path), "tag"], capture_output=True, text=True,
                              check=True).stdout.split())


@pytest.mark.security
@pytest.mark.parametrize("kind, change", [("milestone", put("title", None)), ("milestone", put("number", 7))],
                         ids=["null title", "duplicate milestone numbers"])
def test_status_shows_git_data_and_the_github_problem(falco: FalcoRepo, emu: GitHubEmulator,
                                                      monkeypatch: pytest.MonkeyPatch, kind: str,
                                                      change: Callable[[dict], None]) -> None:
    (falco.path / ".cockpit.toml").write_text('[forge]\nrepository = "falcosecurity/libs"\n')
    monkeypatch.setenv("COCKPIT_GITHUB_API_URL", emu.base_url)
    answer(emu, monkeypatch, kind, change)
    done = cockpit(falco.path, "status", "--json", token=TOKEN)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    status = json.loads(done.stdout)
    assert {t["name"] for t in status["tags"]} == tags_of(falco)
    assert status["forge"]["problem"].startswith("GitHub's answer for ")
    text = cockpit(falco.path, "status", token=TOKEN)
    assert text.returncode == 0 and "GitHub's answer for " in text.stdout + text.stderr


@pytest.mark.security
def test_notes_of_items_with_a_null_title_is_one_line(falco: FalcoRepo, emu: GitHubEmulator,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (falco.path / ".cockpit.toml").write_text('[forge]\nrepository = "falcosecurity/libs"\n')
    monkeypatch.setenv("COCKPIT_GITHUB_API_URL", emu.base_url)
    answer(emu, monkeypatch, "issue", put("title", None))
    done = cockpit(falco.path, "notes", "0.26.0", token=TOKEN)
    assert done.returncode == 2 and done.stderr.startswith("cockpit: GitHub's answer for items of milestone 0.26.0 "
                                                           "is malformed: issue #")
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.security
@pytest.mark.parametrize("change, problem", [
    (lambda d: _set(d, "milestones", 1, "number", 1), "two milestones are numbered 1"),
    (lambda d: _set(d, "items", 0, "title", None), "'title' must be text, not null"),
], ids=["duplicate milestone numbers", "null title"])
def test_status_shows_git_data_and_the_local_forge_problem(falco: FalcoRepo, tmp_path: Path,
                                                           change: Callable[[dict], None], problem: str) -> None:
    path = edited(change)(tmp_path / "forge.json")
    subprocess.run(["git", "-C", str(falco.path), "config", "cockpit.localForge", str(path)], check=True)
    done = cockpit(falco.path, "status", "--json")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    status = json.loads(done.stdout)
    assert {t["name"] for t in status["tags"]} == tags_of(falco)
    assert problem in status["forge"]["problem"]
