"""The token canary: a recognisable GitHub token in GH_TOKEN, the forge pointed at the loopback GitHub emulator, and
every command that talks to GitHub run through the installed `cockpit` (status, notes, the GitHub release, the
tracking issue, a milestone move, the protection request, a backport as a PR, and calls GitHub answers with bad
credentials), plus the TUI on the same repository.

The token must reach GitHub (the emulator accepts only it) and nothing else: not stdout or stderr, not any file
under the XDG state, cache, config and data dirs, not the repository (.git/config, every file under .git, the
working tree, every git object of the clone and of origin), not a git command line, not the screen, and not one
byte the emulator recorded (bodies, paths, query strings and headers; it drops only the Authorization header)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.demo import NEWEST_RELEASE_BRANCH, Sandbox, build_sandbox

from cli_helpers import COCKPIT
from github_emulator import Fault, GitHubEmulator, serve_validated
from ui_helpers import TODAY, make_app_with_env, settle

REAL_GIT = shutil.which("git")
CANARY = "ghp_CANARY0SECURITY0REVIEW0a1b2c3d4e5f6g7h8"
INFRA, CONFIG_PATH = "falcosecurity/test-infra", "config/config.yaml"
INFRA_CONFIG = (Path(__file__).resolve().parents[1] / "data" / "test-infra-config.yaml").read_text()
XDG = ("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")


class World:
    """The demo sandbox's clone configured for the emulator, and the cockpit run with the canary token."""

    def __init__(self, root: Path, emu: GitHubEmulator) -> None:
        self.emu = emu
        self.sandbox: Sandbox = build_sandbox(root / "sandbox", TODAY)
        self.clone = self.sandbox.clone
        subprocess.run([REAL_GIT, "-C", str(self.clone), "config", "--unset", "cockpit.localForge"], check=True)
        (self.clone / ".git" / "info" / "exclude").write_text(".cockpit.toml\n")  # keep the worktree clean
        (self.clone / ".cockpit.toml").write_text(
            '[forge]\nrepository = "falcosecurity/libs"\n')
        self.log = root / "git-argv.log"
        bin_dir = root / "bin"  # a git that logs its command line: the token must never be on one
        bin_dir.mkdir()
        (bin_dir / "git").write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{self.log}'\nexec '{REAL_GIT}' \"$@\"\n")
        (bin_dir / "git").chmod(0o755)
        self.env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "COCKPIT_CRASH_AT")}
        self.env |= {"GH_TOKEN": CANARY, "COCKPIT_TODAY": TODAY.isoformat(),
                     "COCKPIT_GITHUB_API_URL": emu.base_url,  # the user's choice: .cockpit.toml cannot name it
                     "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        self.outputs: list[str] = []

    def cockpit(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([COCKPIT, *args, "--repo", str(self.clone)], capture_output=True, text=True,
                              env=self.env, timeout=120, stdin=subprocess.DEVNULL)
        self.outputs += [done.stdout, done.stderr]
        assert done.returncode == code, f"cockpit {' '.join(args)}: {done.returncode}\n{done.stdout}{done.stderr}"
        return done


def seed(emu: GitHubEmulator) -> None:
    emu.add_milestone("0.26.0", due_on="2026-11-30")
    emu.add_milestone("0.27.0", due_on="2027-02-28")
    emu.add_pull("fix(libsinsp): a crash", milestone="0.26.0", user="alice", labels=["kind/bug"],
                 body="Fixes it.\n\n```release-note\nfix(libsinsp): a crash\n```\n")
    emu.add_pull("new(driver): clone3", milestone="0.26.0", user="bob", labels=["kind/feature"],
                 body="```release-note\nnew(driver): clone3\n```\n")
    emu.add_pull("update: still in review", milestone="0.26.0", merged=False, user="carol")
    emu.add_issue("a bug to triage", milestone="0.26.0")
    emu.add_repo(INFRA, files={CONFIG_PATH: INFRA_CONFIG, "README.md": "# test-infra\n"})


def screen_text(app: object) -> str:
    """What the terminal shows, as plain lines (from the SVG screenshot: its text spans, unescaped)."""
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    lines: dict[int, str] = {}
    for line, text in re.findall(r'<text [^>]*clip-path="url\(#[\w-]+-line-(\d+)\)">(.*?)</text>', svg, re.S):
        lines[int(line)] = lines.get(int(line), "") + html.unescape(text).replace("\xa0", " ")
    return "\n".join(lines[n] for n in sorted(lines))


def files_under(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.exists():
            yield from (p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def git_objects(repo: Path) -> bytes:
    """Every object of a repository, uncompressed (packed or loose): a token committed or pushed shows here."""
    return subprocess.run([REAL_GIT, "-C", str(repo), "cat-file", "--batch-all-objects", "--batch"],
                          capture_output=True, check=True).stdout


def leaks(w: World) -> list[str]:
    """Every place the canary was found (empty: none)."""
    token = CANARY.encode()
    found = [f"output {n}" for n, text in enumerate(w.outputs) if CANARY in text]
    xdg = [Path(os.environ[var]) for var in XDG]
    found += [str(f) for f in files_under(*xdg, w.sandbox.root) if token in f.read_bytes()]
    found += [f"objects of {repo.name}" for repo in (w.clone, w.sandbox.origin) if token in git_objects(repo)]
    found += ["a git command line"] if w.log.exists() and CANARY in w.log.read_text() else []
    for r in w.emu.requests:
        recorded = json.dumps([r.method, r.path, r.query, r.headers, r.body], default=str)
        if CANARY in recorded:
            found.append(f"the emulator's record of {r.method} {r.path}")
    return found


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    for emu in serve_validated(token=CANARY):
        seed(emu)
        yield World(tmp_path, emu)


@pytest.mark.security
def test_the_token_reaches_github_and_nothing_else(world: World) -> None:
    w, emu = world, world.emu
    status = json.loads(w.cockpit("status", "--json").stdout)
    assert status["forge"]["description"] == "GitHub falcosecurity/libs (token from GH_TOKEN)"
    w.cockpit("status")
    notes = w.cockpit("notes", "0.26.0", "--date", "2026-11-30").stdout
    assert "fix(libsinsp): a crash" in notes
    w.cockpit("branch", "cut", "--version", "0.26.0", "--yes")
    w.cockpit("tag", "--libs", "0.26.0-rc1", "--yes")
    w.cockpit("release", "--tag", "0.26.0-rc1", "--yes")
    w.cockpit("tracking-issue", "--milestone", "0.26.0", "--announce", "--yes")
    w.cockpit("milestone", "move", "--from", "0.26.0", "--to", "0.27.0", "--unmerged-only", "--yes")
    w.cockpit("protect", "--branch", "release/0.26.x", "--yes")
    # a backport as a PR: the emulator learns of the pushed branch as GitHub would, then the PR is opened
    fix = next(c for c in json.loads(w.cockpit("candidates", "--branch", NEWEST_RELEASE_BRANCH, "--json").stdout)
               ["commits"] if c["subject"].startswith("fix(libscap): close the proc dir handle"))
    emu.add_branch(NEWEST_RELEASE_BRANCH)
    emu.add_commit("the pushed pick", branch=f"backport/{NEWEST_RELEASE_BRANCH}/{fix['sha'][:8]}",
                   parents=[emu.ref(NEWEST_RELEASE_BRANCH)])
    w.cockpit("backport", "--branch", NEWEST_RELEASE_BRANCH, "--pr", fix["sha"], "--yes")
    w.cockpit("journal")
    w.cockpit("journal", "--json")
    # the token did its work: every write GitHub got was authenticated and accepted
    writes = [r for r in emu.requests if r.method != "GET"]
    assert {f"{r.method} {r.path}" for r in writes} >= {
        "POST /repos/falcosecurity/libs/releases", "POST /repos/falcosecurity/libs/issues",
        f"POST /repos/{INFRA}/pulls", "POST /repos/falcosecurity/libs/pulls"}
    assert all(r.status is not None and r.status < 400 for r in writes), [(r.path, r.status) for r in writes]
    # GitHub refuses the token: the errors name the problem, never the token
    emu.fail_always(Fault.BAD_CREDENTIALS)
    failed = w.cockpit("notes", "0.26.0", code=2)
    assert "bad credentials" in failed.stderr and "Traceback" not in failed.stderr
    assert "bad credentials" in json.loads(w.cockpit("status", "--json").stdout)["forge"]["problem"]
    w.cockpit("release", "--tag", "0.26.0-rc1", "--publish", "--yes", code=2)
    w.cockpit("tracking-issue", "--milestone", "0.26.0", "--yes", code=2)
    assert any(files_under(Path(os.environ["XDG_STATE_HOME"])))  # the journal and the cache were written, and
    assert any(files_under(Path(os.environ["XDG_CACHE_HOME"])))  # are searched below
    assert leaks(w) == []


@pytest.mark.security
async def test_the_tui_never_shows_the_token(world: World) -> None:
    w, emu = world, world.emu
    app = make_app_with_env(w.clone, {"GH_TOKEN": CANARY, "COCKPIT_GITHUB_API_URL": emu.base_url})
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(app, pilot)
        assert "0.26.0" in screen_text(app)  # the milestones came from the emulator, with the token
        emu.fail_always(Fault.BAD_CREDENTIALS)
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.pause(0.2)  # the notification's toast is mounted
        shown = screen_text(app)  # the screen with its notifications
        assert "GitHub rejected the token from GH_TOKEN" in shown and CANARY not in shown
    assert leaks(w) == []


@pytest.mark.security
def test_the_check_finds_a_leak(world: World) -> None:
    """The leak check itself: a token in any of the watched places is found."""
    w = world
    (Path(os.environ["XDG_CACHE_HOME"]) / "x.txt").parent.mkdir(parents=True, exist_ok=True)
    (Path(os.environ["XDG_CACHE_HOME"]) / "x.txt").write_text(f"token={CANARY}")
    subprocess.run([REAL_GIT, "-C", str(w.clone), "config", "cockpit.leak", CANARY], check=True)
    w.outputs.append(f"Authorization: token {CANARY}")
    found = leaks(w)
    assert any("x.txt" in f for f in found) and any(f.endswith("config") for f in found) and "output 0" in found
