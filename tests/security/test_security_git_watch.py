"""Watch every git command the cockpit really runs: a `git` wrapper first on PATH logs its argv (and working
directory) and hands over to the real git. The end-to-end flows run through the installed `cockpit` on the demo
sandbox: branch cut, RC tag, a direct backport stopped on its conflict then aborted, one then skipped, a backport
as a PR, the protection request, and plans killed at a step boundary then resumed or aborted.

Afterwards: every `git push` is `--atomic` and neither forced nor deleting; no command deletes a ref of the remote any
other way (nothing runs inside the bare origin, no send-pack); and origin's refs confirm it: no ref gone, every branch
moved fast-forward only, no tag moved."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from cockpit.demo import CONFLICTING_FIX, NEWEST_RELEASE_BRANCH, Sandbox, build_sandbox

from cli_helpers import COCKPIT
from hermetic import make_hermetic
from ui_helpers import TODAY

REAL_GIT = shutil.which("git")
FS, RS = "\x01:arg:\x01", "\x02:end:\x02\n"  # the log's separators (the cockpit's own formats use \x1f, \x1e)
FORCING = ("-f", "--force", "--force-with-lease", "--force-if-includes", "--delete", "-d", "--mirror", "--prune",
           "--prune-tags")
GLOBAL_WITH_VALUE = ("-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env")


def install_wrapper(bin_dir: Path, log: Path) -> None:
    """`bin_dir/git`: append PWD and argv to the log as one record, then exec the real git."""
    assert REAL_GIT, "git is not installed"
    bin_dir.mkdir()
    script = bin_dir / "git"
    script.write_text(
        "#!/bin/sh\n"
        f"record=$(printf '%s{FS}' \"$PWD\" \"$@\")\n"
        f"printf '%s{RS}' \"$record\" >> '{log}'\n"
        f"exec '{REAL_GIT}' \"$@\"\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


class Watched:
    """The sandbox, and the cockpit run with the wrapper first on PATH."""

    def __init__(self, root: Path) -> None:
        self.sandbox: Sandbox = build_sandbox(root / "sandbox", TODAY)  # built before the wrapper: not logged
        self.log = root / "git-commands.log"
        install_wrapper(root / "bin", self.log)
        self.env = {k: v for k, v in os.environ.items() if k not in ("GIT_PYTHON_GIT_EXECUTABLE", "COCKPIT_CRASH_AT")}
        self.env |= {"PATH": f"{root / 'bin'}{os.pathsep}{os.environ['PATH']}", "COCKPIT_TODAY": TODAY.isoformat()}

    def cockpit(self, *args: str, crash: str | None = None, code: int = 0) -> subprocess.CompletedProcess[str]:
        env = self.env | ({"COCKPIT_CRASH_AT": crash} if crash else {})
        done = subprocess.run([COCKPIT, *args, "--repo", str(self.sandbox.clone)], capture_output=True, text=True,
                              env=env, timeout=120, stdin=subprocess.DEVNULL)
        assert done.returncode == code, f"cockpit {' '.join(args)}: {done.returncode}\n{done.stdout}{done.stderr}"
        return done

    def commands(self) -> list[tuple[str, list[str]]]:
        """(working directory, argv after `git`) of every git the cockpit ran, oldest first."""
        records = self.log.read_text(encoding="utf-8", errors="replace").split(RS) if self.log.exists() else []
        found = []
        for record in records:
            if record:
                cwd, *argv = record.split(FS)[:-1]  # each field ends with FS
                found.append((cwd, argv))
        return found


def subcommand(argv: list[str]) -> tuple[str | None, list[str], str | None]:
    """(subcommand, its arguments, the repository given with -C / --git-dir) of a git argv."""
    where, n = None, 0
    while n < len(argv) and argv[n].startswith("-"):
        option = argv[n]
        if option in GLOBAL_WITH_VALUE:
            if option in ("-C", "--git-dir"):
                where = argv[n + 1]
            n += 2
        else:
            if option.startswith("--git-dir="):
                where = option.split("=", 1)[1]
            n += 1
    return (argv[n], argv[n + 1:], where) if n < len(argv) else (None, [], where)


def push_problems(args: list[str]) -> list[str]:
    """Why one `git push` is unsafe: not atomic, forced, or deleting (an option or a refspec)."""
    problems = [] if "--atomic" in args else ["not --atomic"]
    options = [a for a in args if a.startswith("-")]
    refspecs = [a for a in args if not a.startswith("-")][1:]  # after the remote
    problems += [f"option {o}" for o in options if o.split("=", 1)[0] in FORCING or o.startswith("--force")]
    problems += [f"forced refspec {r}" for r in refspecs if r.startswith("+")]
    problems += [f"deleting refspec {r}" for r in refspecs if r.startswith(":") or r.endswith(":")]
    return problems


def origin_refs(origin: Path) -> dict[str, str]:
    out = subprocess.run([REAL_GIT, "-C", str(origin), "for-each-ref", "--format=%(refname) %(objectname)"],
                         capture_output=True, text=True, check=True).stdout
    return {ref: sha for ref, sha in (line.split(" ", 1) for line in out.splitlines())}


def fast_forward(origin: Path, old: str, new: str) -> bool:
    return subprocess.run([REAL_GIT, "-C", str(origin), "merge-base", "--is-ancestor", old, new]).returncode == 0


def candidate(w: Watched, subject_start: str) -> str:
    done = w.cockpit("candidates", "--branch", NEWEST_RELEASE_BRANCH, "--json")
    return next(c["sha"] for c in json.loads(done.stdout)["commits"]
                if c["subject"].startswith(subject_start) and not c["applied"])


def run_every_flow(w: Watched) -> None:
    w.cockpit("branch", "cut", "--version", "0.26.0", "--yes")
    w.cockpit("tag", "--libs", "0.26.0-rc1", "--yes")
    # a direct backport stopped on its conflict, then aborted; again, then skipped
    conflicting = candidate(w, CONFLICTING_FIX)
    w.cockpit("backport", "--branch", NEWEST_RELEASE_BRANCH, "--direct", conflicting, "--yes", code=1)
    w.cockpit("backport", "--abort", "--yes")
    w.cockpit("backport", "--branch", NEWEST_RELEASE_BRANCH, "--direct", conflicting, "--yes", code=1)
    w.cockpit("backport", "--skip", "--yes")
    # a backport as a PR (its branch pushed, the PR opened on the local forge), killed before the push, resumed
    clean = candidate(w, "fix(libscap): close the proc dir handle")
    w.cockpit("backport", "--branch", NEWEST_RELEASE_BRANCH, "--pr", clean, "--yes", crash="push:started", code=75)
    w.cockpit("resume", "--yes")
    w.cockpit("protect", "--branch", "release/0.26.x", "--yes")
    # a tag killed before its push, resumed; another killed after tagging, aborted (its local tag removed)
    w.cockpit("tag", "--libs", "0.26.0-rc2", "--yes", crash="push:started", code=75)
    w.cockpit("resume", "--yes")
    w.cockpit("tag", "--libs", "0.26.0-rc3", "--yes", crash="tag-libs:done", code=75)
    w.cockpit("abort", "--yes")
    # a push that reached the remote, then aborted: what was pushed stays
    w.cockpit("tag", "--libs", "0.26.0", "--yes", crash="push:done", code=75)
    w.cockpit("abort", "--yes")


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Watched, dict[str, str], dict[str, str]]:
    """One run of every flow, shared by the assertions below (about 15 s)."""
    with pytest.MonkeyPatch.context() as mp:  # the autouse hermetic_env is function-scoped: the same, by hand
        make_hermetic(mp, tmp_path_factory.mktemp("watch-home"))
        w = Watched(tmp_path_factory.mktemp("watch"))
        before = origin_refs(w.sandbox.origin)
        run_every_flow(w)
        return w, before, origin_refs(w.sandbox.origin)


@pytest.mark.security
def test_gitpython_runs_git_through_path(watched: tuple[Watched, dict, dict]) -> None:
    """The wrapper saw the cockpit's own reads (GitPython's runner) and its writes: nothing bypasses PATH."""
    w, _, _ = watched
    seen = {subcommand(argv)[0] for _, argv in w.commands()}
    assert all(re.fullmatch(r"[a-z][a-z-]*", sub or "") for sub in seen), seen  # the log parses: git words only
    assert {"for-each-ref", "rev-list", "cherry-pick", "tag", "push", "update-ref"} <= seen, seen


@pytest.mark.security
def test_every_push_is_atomic_never_forced_never_deleting(watched: tuple[Watched, dict, dict]) -> None:
    w, _, _ = watched
    pushes = [args for _, argv in w.commands() for sub, args, _ in [subcommand(argv)] if sub == "push"]
    assert len(pushes) >= 5  # cut, rc1, the backport branch, rc2, the final (the crashed rc3 never pushed)
    unsafe = {" ".join(args): push_problems(args) for args in pushes if push_problems(args)}
    assert unsafe == {}


@pytest.mark.security
def test_no_command_touches_the_remote_but_a_push(watched: tuple[Watched, dict, dict]) -> None:
    """No ref of origin is deleted any other way: nothing runs inside the bare origin (update-ref -d, branch -D,
    tag -d there), no lower-level transport (send-pack, http-push, receive-pack) is used, `git remote` only reads,
    and no config write redirects pushes (a `remote.origin.push = +refs/...` would force every plain push)."""
    w, _, _ = watched
    origin = w.sandbox.origin.resolve()
    for cwd, argv in w.commands():
        sub, args, where = subcommand(argv)
        assert sub not in ("send-pack", "http-push", "receive-pack"), argv
        if sub == "remote":
            assert args[:1] in ([], ["-v"], ["get-url"], ["show"]), argv
        if sub == "config":
            keys = [a for a in args if not a.startswith("-")]
            writes = (len(keys) > 1 and not any(a.startswith("--get") for a in args)) or any(
                a in ("--unset", "--unset-all", "--add", "--replace-all", "--remove-section", "--rename-section")
                for a in args)
            assert not (writes and keys and keys[0].lower().startswith(("remote.", "url.", "push."))), argv
        repo = Path(cwd, where).resolve() if where else Path(cwd).resolve()
        assert repo != origin and origin not in repo.parents, f"git ran in origin: {argv}"


@pytest.mark.security
def test_origin_lost_nothing_and_moved_forward_only(watched: tuple[Watched, dict, dict]) -> None:
    w, before, after = watched
    assert set(before) <= set(after), f"deleted on origin: {set(before) - set(after)}"
    for ref, old in before.items():
        if ref.startswith("refs/tags/"):
            assert after[ref] == old, f"{ref} moved"
        else:
            assert fast_forward(w.sandbox.origin, old, after[ref]), f"{ref} was not moved fast-forward"
    new = set(after) - set(before)
    assert {"refs/heads/release/0.26.x", "refs/tags/0.26.0-rc1", "refs/tags/0.26.0-rc2", "refs/tags/0.26.0"} <= new
    assert "refs/tags/0.26.0-rc3" not in after  # aborted before its push
    assert any(ref.startswith("refs/heads/backport/") for ref in new)


@pytest.mark.security
def test_the_push_check_itself() -> None:
    assert push_problems(["--atomic", "--porcelain", "origin", "refs/heads/a:refs/heads/a"]) == []
    assert push_problems(["origin", "a:a"]) == ["not --atomic"]
    assert push_problems(["--atomic", "--force-with-lease=a", "origin", "a:a"]) == ["option --force-with-lease=a"]
    assert push_problems(["--atomic", "origin", "+a:a", ":b"]) == ["forced refspec +a:a", "deleting refspec :b"]
    assert push_problems(["--atomic", "-d", "origin", "a"]) == ["option -d"]
    assert subcommand(["-C", "/x", "-c", "a=b", "push", "--atomic"]) == ("push", ["--atomic"], "/x")

