"""`cockpit protect --branch release/M.m.x` end to end: the branch-protection PR on the infra repository through
GitHub (the emulator) and the local forge, resumed after a crash at every step boundary, refused before anything
when the branch is not cut, and printed as a diff to apply by hand when the token may not push there. A dry run
sends GETs only and writes no journal; the journal holds forge ids, never the token."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.cli.ops import exit_code, run_and_report
from cockpit.cli.protect import close_if_refused
from cockpit.core.infra_yaml import add_protected_branch
from cockpit.demo import build_sandbox
from cockpit.services.auth import RepoSlug, Token
from cockpit.services.bundle import open_git
from cockpit.services.executor import Executor
from cockpit.services.forge.factory import open_forge
from cockpit.services.forge.github import GitHubForge
from cockpit.services.forge.local_repos import local_repository
from cockpit.services.journal import Journal
from cockpit.services.steps import StepContext
from cockpit.workflows import protect

from builders import FalcoRepo
from cli_helpers import cockpit as run_cockpit
from github_emulator import GitHubEmulator, serve_validated
from ui_helpers import TODAY

CANARY = "ghp_PROTECT_CANARY_0123456789abcdef"
READ_ONLY = "ghp_PROTECT_READER_0123456789abcdef"
INFRA, CONFIG_PATH = "falcosecurity/test-infra", "config/config.yaml"
CONFIG = (Path(__file__).resolve().parent.parent / "data" / "test-infra-config.yaml").read_text()
BRANCH, HEAD = "release/0.2.x", "cockpit/protect-release-0.2.x"
TITLE = "update(config): protect release/0.2.x of falcosecurity/libs"
EXPECTED = add_protected_branch(CONFIG, "falcosecurity", "libs", BRANCH).text


@pytest.fixture
def emu(falco: FalcoRepo, monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubEmulator]:
    for emulator in serve_validated(token=CANARY):
        emulator.add_repo(INFRA, files={CONFIG_PATH: CONFIG, "README.md": "# test-infra\n"})
        emulator.add_token(READ_ONLY, login="reader", push=["falcosecurity/libs"])
        (falco.path / ".cockpit.toml").write_text('[forge]\nrepository = "falcosecurity/libs"\n')
        monkeypatch.setenv("COCKPIT_GITHUB_API_URL", emulator.base_url)  # the user's: .cockpit.toml cannot name it
        yield emulator


def cockpit(repo: Path, *args: str, token: str | None = CANARY, crash: str | None = None,
            ) -> subprocess.CompletedProcess[str]:
    """The command with the emulator's token unless told otherwise."""
    return run_cockpit(repo, *args, token=token, crash=crash)


def journal_files() -> list[Path]:
    return list(Path(os.environ["XDG_STATE_HOME"]).rglob("*.jsonl"))


def pulls(emu: GitHubEmulator) -> list:
    return [i for i in emu.repo(INFRA).issues.values() if i.is_pull]


def writes(emu: GitHubEmulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emu.requests if r.method != "GET"]


def assert_requested(emu: GitHubEmulator) -> None:
    """The infra repository holds exactly what one clean run leaves: the branch one commit ahead with the edited
    file, and one open PR from it, whatever crashes and resumes happened on the way."""
    repo = emu.repo(INFRA)
    assert emu.file(CONFIG_PATH, ref=HEAD, repo=INFRA) == EXPECTED
    assert emu.file(CONFIG_PATH, repo=INFRA) == CONFIG  # master untouched
    head, master = repo.branches()[HEAD], repo.branches()["master"]
    assert repo.commits[head].parents == [master]  # one commit, never two writes
    commit = repo.commits[head]
    assert commit.message == f"{TITLE}\n\nSigned-off-by: Test Committer <committer@example.com>"
    assert (commit.author_name, commit.author_email) == ("Test Committer", "committer@example.com")
    [pr] = pulls(emu)
    assert (pr.title, pr.state, pr.pull.head_ref, pr.pull.base_ref) == (TITLE, "open", HEAD, "master")
    assert '```yaml\n"release/0.2.x":\n  protect: true\n```' in pr.body
    assert "branch-protection.orgs.falcosecurity.repos.libs.branches" in pr.body


# --- the plan in process, against the emulator ---------------------------------------------------------------

def test_the_plan_opens_the_pr_and_a_second_run_is_all_done(falco: FalcoRepo, emu: GitHubEmulator,
                                                            tmp_path: Path) -> None:
    git = open_git(falco.path)
    forge = GitHubForge(RepoSlug("github.com", "falcosecurity", "libs"), Token(CANARY, "GH_TOKEN"),
                        base_url=emu.base_url, retry=None, throttle=False)
    access = protect.infra_access(forge, None, git.config.infra)
    assert (access.readable, access.writable, access.base) == (True, True, "master")
    text, source = protect.read_infra_file(access, git.config.infra, None)
    req = protect.build_request(git.config.infra, BRANCH, text, source, access.base)
    author = protect.signoff(git)
    plan = protect.plan_protect(req, (protect.branch_check(git, BRANCH), *protect.request_checks(req, author)),
                                author)
    assert [s.kind for s in plan.steps] == ["forge.branch", "forge.protect-entry", "forge.pull"]
    assert '+            "release/0.2.x":\n' in plan.steps[1].detail and not plan.blocked
    journal = Journal(tmp_path / "journal.jsonl")
    record = Executor(journal, StepContext(git, forge)).execute(plan)
    assert record.final == "finished"
    assert_requested(emu)
    [pr] = pulls(emu)
    changes = record.changes
    assert changes["branch"] == {"repo": INFRA, "branch": HEAD, "head": emu.repo(INFRA).branches()["master"]}
    assert changes["file"]["file_sha"] == emu.repo(INFRA).commits[emu.ref(HEAD, repo=INFRA)].tree[CONFIG_PATH]
    assert changes["pull"]["pull"] == pr.number and changes["pull"]["url"].endswith(f"/pull/{pr.number}")
    # the same plan again: every step finds its work done, nothing is sent but reads
    emu.clear_requests()
    again = Executor(journal, StepContext(git, forge)).execute(protect.plan_protect(req, plan.checks, author))
    assert all(c.get("already") for c in again.changes.values())
    assert writes(emu) == []
    assert CANARY not in journal.path.read_text()


# --- the command, through GitHub ------------------------------------------------------------------------------

def test_protect_through_github(falco: FalcoRepo, emu: GitHubEmulator) -> None:
    done = cockpit(falco.path, "protect", "--branch", BRANCH, "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Plan: Request protection of {BRANCH} on {INFRA}" in done.stdout
    assert '+            "release/0.2.x":' in done.stdout  # the diff is part of the preview
    assert_requested(emu)
    assert done.stdout.rstrip().endswith(f"pull request: {emu.web_url}/{INFRA}/pull/{pulls(emu)[0].number}")
    assert writes(emu) == [f"POST /repos/{INFRA}/git/refs", f"PUT /repos/{INFRA}/contents/{CONFIG_PATH}",
                           f"POST /repos/{INFRA}/pulls"]
    plans = json.loads(cockpit(falco.path, "journal", "--json").stdout)
    assert plans[0]["state"] == "finished"
    steps = {s["id"]: s["changes"] for s in plans[0]["steps"]}
    assert steps["pull"]["pull"] == pulls(emu)[0].number and steps["branch"]["branch"] == HEAD
    assert all(CANARY not in f.read_text() for f in journal_files())
    # again: master still lacks the entry, so a plan is made, and each step finds its work done
    again = cockpit(falco.path, "protect", "--branch", BRANCH, "--yes")
    assert again.returncode == 0 and again.stdout.count("(already done)") == 3
    assert len(pulls(emu)) == 1


STEPS = [f"{step}:{state}" for step in ("branch", "file", "pull") for state in ("started", "done")]


@pytest.mark.fault
@pytest.mark.parametrize("crash", STEPS)
def test_crash_at_every_step_boundary_then_resume(falco: FalcoRepo, emu: GitHubEmulator, crash: str) -> None:
    killed = cockpit(falco.path, "protect", "--branch", BRANCH, "--yes", crash=crash)
    assert killed.returncode == 75, killed.stdout + killed.stderr
    assert json.loads(cockpit(falco.path, "journal", "--json").stdout)[0]["state"] == "unfinished"
    resumed = cockpit(falco.path, "resume", "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert_requested(emu)
    plans = json.loads(cockpit(falco.path, "journal", "--json").stdout)
    assert plans[0]["state"] == "finished" and all(s["state"] == "done" for s in plans[0]["steps"])


@pytest.mark.fault
@pytest.mark.parametrize("step", ["branch", "file", "pull"])
def test_resume_after_the_forge_got_the_request_but_the_journal_did_not(falco: FalcoRepo, emu: GitHubEmulator,
                                                                       step: str) -> None:
    """The process died between the forge's answer and the `done` record: the step finds its own work."""
    assert cockpit(falco.path, "protect", "--branch", BRANCH, "--yes", crash=f"{step}:started").returncode == 75
    master = emu.ref("master", repo=INFRA)
    if step == "branch":
        emu.add_branch(HEAD, repo=INFRA)
    elif step == "file":
        emu.add_commit(f"{TITLE}\n\nSigned-off-by: Test Committer <committer@example.com>", branch=HEAD,
                       files={CONFIG_PATH: EXPECTED}, author_name="Test Committer",
                       author_email="committer@example.com", repo=INFRA)
    else:
        emu.add_pull(TITLE, merged=False, head=HEAD, base="master", user="octocat", repo=INFRA,
                     body='```yaml\n"release/0.2.x":\n  protect: true\n```\n'
                          "branch-protection.orgs.falcosecurity.repos.libs.branches")
    resumed = cockpit(falco.path, "resume", "--yes")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "(already done)" in resumed.stdout
    assert emu.ref("master", repo=INFRA) == master
    assert_requested(emu)


def test_dry_run_sends_only_reads_and_writes_no_journal(falco: FalcoRepo, emu: GitHubEmulator) -> None:
    done = cockpit(falco.path, "protect", "--branch", BRANCH, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "dry run: nothing was changed" in done.stdout and '+            "release/0.2.x":' in done.stdout
    assert emu.requests and writes(emu) == []
    assert journal_files() == []
    assert HEAD not in emu.repo(INFRA).branches() and pulls(emu) == []


@pytest.mark.fault
def test_without_push_access_the_change_is_printed(falco: FalcoRepo, emu: GitHubEmulator) -> None:
    done = cockpit(falco.path, "protect", "--branch", BRANCH, "--yes", token=READ_ONLY)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(f"cannot open the PR on {INFRA} (no push access to {INFRA} with this token)")
    assert f"--- a/{CONFIG_PATH}\n+++ b/{CONFIG_PATH}\n" in out
    assert '+            "release/0.2.x":\n+              protect: true\n' in out
    assert f"title: {TITLE}" in out and "    Protect `release/0.2.x` of falcosecurity/libs" in out
    assert f"read from {INFRA} {CONFIG_PATH} at master" in out
    assert writes(emu) == [] and journal_files() == []
    assert READ_ONLY not in out + done.stderr


def test_without_a_token_a_local_copy_gives_the_diff(falco: FalcoRepo, emu: GitHubEmulator, tmp_path: Path) -> None:
    copy = tmp_path / "config.yaml"
    copy.write_text(CONFIG)
    done = cockpit(falco.path, "protect", "--branch", BRANCH, "--infra-file", str(copy), token=None)
    assert done.returncode == 0, done.stderr
    assert "no GitHub token for github.com" in done.stdout and f"(read from {copy})" in done.stdout
    assert '+            "release/0.2.x":\n' in done.stdout
    assert emu.requests == []
    missing = cockpit(falco.path, "protect", "--branch", BRANCH, token=None)
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "pass --infra-file PATH" in missing.stderr and missing.stdout == ""


def test_refused_before_the_branch_is_cut_and_nothing_to_do_once_protected(falco: FalcoRepo,
                                                                           emu: GitHubEmulator) -> None:
    done = cockpit(falco.path, "protect", "--branch", "release/0.3.x", "--yes")
    assert done.returncode == 1 and "release/0.3.x does not exist on origin" in done.stdout
    assert "cut it first" in done.stdout and emu.requests == []
    emu.add_commit("protect 0.2", files={CONFIG_PATH: EXPECTED}, repo=INFRA)
    done = cockpit(falco.path, "protect", "--branch", BRANCH, "--yes")
    assert done.returncode == 0 and done.stdout.startswith(f"nothing to do: {BRANCH} is already protected")
    assert writes(emu) == [] and journal_files() == []


@pytest.mark.parametrize("args", [("--branch", "main"), ("--branch", "release/0.2")])
def test_bad_input_is_one_line(falco: FalcoRepo, emu: GitHubEmulator, args: tuple[str, ...]) -> None:
    done = cockpit(falco.path, "protect", *args, "--yes")
    assert done.returncode == 2 and done.stderr.startswith("cockpit: ") and done.stderr.count("\n") == 1


def test_an_infra_file_that_is_not_yaml_is_one_line(falco: FalcoRepo, emu: GitHubEmulator) -> None:
    emu.add_commit("break it", files={CONFIG_PATH: "branch-protection: [\n"}, repo=INFRA)
    done = cockpit(falco.path, "protect", "--branch", BRANCH, "--yes")
    assert done.returncode == 2 and "not valid YAML" in done.stderr and done.stderr.count("\n") == 1
    assert writes(emu) == []


# --- the local forge (the demo sandbox) -----------------------------------------------------------------------

def sandbox_with_infra(tmp_path: Path, push: bool = True) -> Path:
    sb = build_sandbox(tmp_path / "sandbox", TODAY)
    data = json.loads(sb.forge_file.read_text())
    data["repositories"] = {INFRA: local_repository({CONFIG_PATH: CONFIG}, push=push)}
    sb.forge_file.write_text(json.dumps(data))
    cut = cockpit(sb.clone, "branch", "cut", "--version", "0.26.0", "--yes", token=None)
    assert cut.returncode == 0, cut.stdout + cut.stderr
    return sb.clone


def test_protect_on_the_local_forge(tmp_path: Path) -> None:
    clone = sandbox_with_infra(tmp_path)
    done = cockpit(clone, "protect", "--branch", "release/0.26.x", "--yes", token=None)
    assert done.returncode == 0, done.stdout + done.stderr
    infra = json.loads((tmp_path / "sandbox" / "forge.json").read_text())["repositories"][INFRA]
    head = "cockpit/protect-release-0.26.x"
    expected = add_protected_branch(CONFIG, "falcosecurity", "libs", "release/0.26.x").text
    assert infra["branches"][head]["files"][CONFIG_PATH] == expected
    assert infra["branches"]["master"]["files"][CONFIG_PATH] == CONFIG
    [pr] = infra["pulls"]
    assert (pr["head"], pr["base"], pr["state"]) == (head, "master", "open")
    assert pr["title"] == "update(config): protect release/0.26.x of falcosecurity/libs"


def test_a_write_refused_at_run_time_closes_the_plan_and_prints_the_change(tmp_path: Path) -> None:
    """Access looked fine when the plan was built (a token that reads as a pusher), the forge refused the write:
    the plan is aborted rather than left to resume in vain, and the change is what the user gets."""
    clone = sandbox_with_infra(tmp_path)
    git = open_git(clone)
    choice = open_forge(git)
    access = protect.infra_access(choice.forge, choice.problem, git.config.infra)
    text, source = protect.read_infra_file(access, git.config.infra, None)
    req = protect.build_request(git.config.infra, "release/0.26.x", text, source, access.base)
    plan = protect.plan_protect(req, protect.request_checks(req, None), None)
    forge_file = tmp_path / "sandbox" / "forge.json"
    data = json.loads(forge_file.read_text())
    data["repositories"][INFRA]["push"] = False  # taken away between the plan and its run
    forge_file.write_text(json.dumps(data))
    ran = run_and_report(argparse.Namespace(dry_run=False, yes=True), git, plan)
    assert ran.state == "stopped" and exit_code(ran) == 1
    reason = close_if_refused(git, ran)
    assert reason is not None and reason.startswith(f"no push access to {INFRA}")
    [record] = [p for p in Journal(next(iter(journal_files()))).plans() if p.plan.id == plan.id]
    assert record.final == "aborted"
    assert "+            \"release/0.26.x\":" in protect.manual_change(req, reason)


@pytest.mark.security
def test_an_infra_file_that_is_no_regular_file_is_refused_at_once(tmp_path: Path) -> None:
    """--infra-file naming /dev/zero, a fifo or a folder: one line, read no further (it hung on /dev/zero)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    access = protect.InfraAccess(None, False, False, None, "no forge is configured")
    for path in (Path("/dev/zero"), fifo, tmp_path):
        with pytest.raises(protect.InputError, match=f"^cannot read {path}: not a regular file$"):
            protect.read_infra_file(access, protect.InfraRepo(), path)
