#!/usr/bin/env python3
"""Benchmark the cockpit against its floor: the bare git commands (and Python imports) the same work needs.

    python bench/bench.py [--sizes falco,kubernetes] [--runs 5] [--workdir DIR] [--out FILE] [--cockpit PATH]

Synthetic falco-shaped repositories are generated with `git fast-import` (fixed dates and authors, so the same
parameters always give the same commit ids) and cached under the work dir, keyed by their parameters. Each
measurement is the median wall time of `--runs` runs after one warm-up; the script reports ratios and never
asserts a timing. The clones have no commit-graph file (a plain `git clone` writes none), so every graph read is
the honest walk. Standard library only, plus the installed `cockpit` command; the forge measurement (requests of the
commit -> PR association) also needs the project's test extra, for the loopback GitHub emulator in tests/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

import startup  # bench/startup.py and bench/measuring.py, beside this script
from measuring import BenchError, measure, run_ms

GENERATOR_VERSION = 1  # bump when the generated history changes, so cached repositories are rebuilt
HERE = Path(__file__).resolve().parent
T0 = 1_500_000_000  # fixed clock: the first master commit
STEP = 12_000  # seconds between master commits
DEVS = 60
SOURCE_DIRS = (
    "userspace/libsinsp", "userspace/libsinsp/parsers", "userspace/libsinsp/filter", "userspace/libscap",
    "userspace/libscap/engine/kmod", "userspace/libscap/engine/bpf", "userspace/libscap/engine/modern_bpf",
    "userspace/libscap/linux", "userspace/libpman/src", "userspace/plugin", "driver", "driver/bpf",
    "driver/modern_bpf/programs/attached", "test/libsinsp_e2e", "test/drivers/test_suites", "cmake/modules",
)
TOPICS = ("fix(userspace/libsinsp)", "new(driver)", "chore(userspace/libscap)", "fix(driver/modern_bpf)",
          "update(userspace/libpman)", "cleanup(test)", "build(cmake)", "docs")

# The git commands cockpit/services/git.py runs, mirrored for the floors (keep in step with that module).
US, RS = "\x1f", "\x1e"
REF_FORMAT = US.join(("%(refname)", "%(objectname)", "%(objecttype)", "%(*objectname)", "%(symref)",
                      "%(creatordate:unix)"))
COMMIT_FORMAT = US.join(("%H", "%P", "%an", "%ae", "%at", "%s")) + RS
COMMIT_FORMAT_BODY = US.join(("%H", "%P", "%an", "%ae", "%at", "%s", "%B")) + RS
# The floor's interpreter imports only the third-party packages the work needs: the cockpit's own import time is
# part of what is measured, never of the floor.
IMPORTS = "import git, semver, platformdirs"
TARGETS = {"status": 1.2, "status_warm": 0.5, "status_incremental": 0.6, "candidates": 1.2}


def git_env() -> dict[str, str]:
    """The environment for every git and cockpit process: no user or system config, no inherited repository."""
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")
    return env


ENV = git_env()


# --- sizes -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Size:
    """The parameters of one synthetic repository (they are also its cache key)."""

    name: str
    commits: int  # on master
    branches: int  # release branches release/0.1.x ... release/0.N.x
    files: int  # source files master touches (one per commit, round robin)
    patches: int  # patch releases 0.N.1 ... per release branch, two backports each
    divergence: int  # the newest release branch forks this many commits before master's head
    newest_backports: int  # backports on the newest release branch (the candidates scenario)
    local_branches: int = 3  # the newest release branches also get a local branch in the clone

    @property
    def key(self) -> str:
        digest = hashlib.sha1(json.dumps([GENERATOR_VERSION, asdict(self)]).encode()).hexdigest()[:10]
        return f"{self.name}-{self.commits}c-{self.branches}b-{digest}"

    @property
    def newest_branch(self) -> str:
        return release_branch(self.branches - 1)


SIZES = {
    "tiny": Size("tiny", commits=400, branches=3, files=120, patches=1, divergence=150, newest_backports=6),
    "falco": Size("falco", commits=11_000, branches=20, files=3_000, patches=3, divergence=5_000,
                  newest_backports=20),
    "kubernetes": Size("kubernetes", commits=150_000, branches=100, files=5_000, patches=16, divergence=5_000,
                       newest_backports=20),
}


def release_branch(index: int) -> str:
    return f"release/0.{index + 1}.x"


# --- the generated history -----------------------------------------------------------------------------------------
# Master commit i (0 = the initial import) has mark i + 1; everything about it is a function of i, so release
# branches can replay a master commit's exact patch (a rebase-style backport) without remembering the history.

def author(i: int) -> bytes:
    k = (i * 7) % DEVS
    return b"Dev %d <dev%d@example.com>" % (k, k)


def source_path(n: int) -> str:
    return f"{SOURCE_DIRS[n % len(SOURCE_DIRS)]}/src{n:05d}.c"


def source_text(path: str, rev: str) -> bytes:
    """Several lines, so a patch carries context and patch-ids are the realistic kind."""
    return f"/* {path} */\n#include \"config.h\"\n\nint rev(void) {{ return {rev}; }}\n".encode()


def bump_kind(i: int) -> str | None:
    """Which version file master commit i bumps, if any."""
    if i == 0:
        return None
    for kind, every in (("api-major", 4999), ("api-minor", 997), ("plugin", 1511), ("schema", 211)):
        if i % every == 0:
            return kind
    return None


def master_change(i: int, files: int) -> tuple[str, bytes]:
    """The source change of a non-bump master commit: file i % files gets revision i."""
    path = source_path(i % files)
    return path, source_text(path, str(i))


def master_subject(i: int, kind: str | None) -> str:
    pr = 100 + i
    if kind:
        what = {"api-major": "API_VERSION major", "api-minor": "API_VERSION minor", "schema": "SCHEMA_VERSION",
                "plugin": "plugin API"}[kind]
        return f"update(driver): bump {what} ({i}) (#{pr})"
    return f"{TOPICS[i % len(TOPICS)]}: change number {i} (#{pr})"


@dataclass
class Versions:
    """The version files on master as the history advances."""

    api: list[int] = field(default_factory=lambda: [1, 0, 0])
    schema: list[int] = field(default_factory=lambda: [2, 0, 0])
    plugin: list[int] = field(default_factory=lambda: [3, 0, 0])

    def bump(self, kind: str) -> None:
        if kind == "api-major":
            self.api = [self.api[0] + 1, 0, 0]
        elif kind == "api-minor":
            self.api = [self.api[0], self.api[1] + 1, 0]
        elif kind == "schema":
            self.schema = [self.schema[0], self.schema[1] + 1, 0]
        else:
            self.plugin = [self.plugin[0], self.plugin[1] + 1, 0]

    def files(self) -> list[tuple[str, bytes]]:
        api, schema, plugin = (".".join(map(str, v)) for v in (self.api, self.schema, self.plugin))
        header = ("#pragma once\n#include <stdint.h>\n\n#define PLUGIN_API_VERSION_MAJOR {}\n"
                  "#define PLUGIN_API_VERSION_MINOR {}\n#define PLUGIN_API_VERSION_PATCH {}\n").format(*self.plugin)
        scap = (f"#pragma once\n#define SCAP_MINIMUM_DRIVER_API_VERSION PPM_API_VERSION({self.api[0]}, 0, 0)\n"
                f"#define SCAP_MINIMUM_DRIVER_SCHEMA_VERSION PPM_API_VERSION({self.schema[0]}, 0, 0)\n")
        return [("driver/API_VERSION", f"{api}\n".encode()),
                ("driver/SCHEMA_VERSION", f"{schema}\n# only the first line counts\n".encode()),
                ("userspace/plugin/plugin_api.h", f"{header}\n/* plugin API {plugin} */\n".encode()),
                ("userspace/libscap/scap.h", scap.encode())]


class FastImport:
    """A `git fast-import` process fed through its stdin; marks count up from `first_mark`."""

    def __init__(self, repo: Path, marks: Path, first_mark: int = 1, import_marks: bool = False):
        cmd = ["git", "fast-import", "--quiet", f"--export-marks={marks}"]
        if import_marks:
            cmd.append(f"--import-marks={marks}")
        self.proc = subprocess.Popen(cmd, cwd=repo, env=ENV, stdin=subprocess.PIPE)
        self.out: BinaryIO = self.proc.stdin  # type: ignore[assignment]
        self.mark = first_mark - 1

    def commit(self, ref: str, subject: str, changes: Sequence[tuple[str, bytes]], parent: int | None,
               who: bytes, when: int, trailer: str = "") -> int:
        self.mark += 1
        message = f"{subject}\n\nSigned-off-by: {who.decode()}\n{trailer}".encode()
        parts = [b"commit %s\nmark :%d\n" % (ref.encode(), self.mark),
                 b"author %s %d +0000\n" % (who, when),
                 b"committer GitHub <noreply@github.com> %d +0000\n" % (when + 60),
                 b"data %d\n%s\n" % (len(message), message)]
        if parent is not None:
            parts.append(b"from :%d\n" % parent)
        for path, content in changes:
            parts.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(content), content))
        self.out.write(b"".join(parts) + b"\n")
        return self.mark

    def tag(self, name: str, mark: int, when: int, annotated: bool) -> None:
        if annotated:
            message = f"release {name}\n".encode()
            self.out.write(b"tag %s\nfrom :%d\ntagger Release Bot <bot@example.com> %d +0000\ndata %d\n%s\n"
                           % (name.encode(), mark, when, len(message), message))
        else:
            self.out.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), mark))

    def close(self) -> None:
        self.out.close()
        if self.proc.wait() != 0:
            raise BenchError("git fast-import failed")


def write_master(fi: FastImport, size: Size) -> None:
    """Master: an initial import of every file, then one commit per change, version bumps now and then."""
    versions = Versions()
    initial = [(source_path(n), source_text(source_path(n), "0")) for n in range(size.files)]
    initial += [("README.md", b"# libs\n"), ("CMakeLists.txt", b"cmake_minimum_required(VERSION 3.12)\n")]
    parent = fi.commit("refs/heads/master", "initial import (#1)", [*initial, *versions.files()], None, author(0), T0)
    for i in range(1, size.commits):
        kind = bump_kind(i)
        if kind:
            versions.bump(kind)
            changes = versions.files()
        else:
            changes = [master_change(i, size.files)]
        parent = fi.commit("refs/heads/master", master_subject(i, kind), changes, parent, author(i), T0 + i * STEP)


def fork_points(size: Size) -> list[int]:
    """Master commit index each release branch forks at: evenly spaced, the newest `divergence` before the head."""
    newest = size.commits - 1 - size.divergence
    first = newest // size.branches
    if size.branches == 1:
        return [newest]
    return [first + b * (newest - first) // (size.branches - 1) for b in range(size.branches)]


def backport_sources(size: Size, fork: int, count: int) -> list[int]:
    """Master commits after `fork` to backport, spread over the window in which their file was last changed
    before the fork, so the backport's patch (context included) equals the master commit's."""
    window = min(size.files - 1, size.commits - 1 - fork)
    picks: list[int] = []
    for j in range(count):
        i = fork + 1 + (j * window) // count
        while bump_kind(i) or (picks and i <= picks[-1]):
            i += 1
        if i >= fork + window + 1:
            break
        picks.append(i)
    return picks


def tag_schedule(backports: int, patches: int) -> dict[int, str]:
    """Tags by number of backports applied: rc2 after one, the final after two, a patch after every two more."""
    tags = {1: "-rc2", 2: ""}
    for k in range(1, patches + 1):
        if 2 + 2 * k <= backports:
            tags[2 + 2 * k] = f".{k}"
    return tags


def api_major(i: int) -> int:
    """API_VERSION's major at master commit i (it starts at 1 and every "api-major" bump adds one)."""
    return 1 + i // 4999


def write_release_branch(fi: FastImport, size: Size, index: int, fork: int, shas: dict[int, str],
                         driver: list[int]) -> None:
    """One release branch: rc1 on the fork point, backports (most rebase-style, some `-x`, some adapted by hand),
    rc2, the final and patch tags; a driver release (`driver` is the last one, [major, minor]) on every other
    branch."""
    ref = f"refs/heads/{release_branch(index)}"
    minor = index + 1
    count = size.newest_backports if index == size.branches - 1 else 2 + 2 * size.patches
    schedule = tag_schedule(count, size.patches)
    fi.tag(release_tag(minor, "-rc1"), fork + 1, T0 + fork * STEP + 600, annotated=False)
    parent = fork + 1
    for n, i in enumerate(backport_sources(size, fork, count), start=1):
        path, content = master_change(i, size.files)
        trailer = ""
        if n % 3 == 1:  # cherry-picked with -x
            trailer = f"(cherry picked from commit {shas[i + 1]})\n"
        elif n % 7 == 5:  # resolved by hand: same subject and author, a different patch
            content = source_text(path, f"{i} /* adapted for 0.{minor} */")
        when = T0 + i * STEP + 3600
        parent = fi.commit(ref, master_subject(i, None), [(path, content)], parent, author(i), when, trailer)
        suffix = schedule.get(n)
        if suffix is None:
            continue
        fi.tag(release_tag(minor, suffix), parent, when + 600, annotated=not suffix.startswith("-"))
        if suffix == "" and index % 2 == 0:
            major = api_major(fork)
            driver[:] = [major, driver[1] + 1 if driver[0] == major else 0]
            fi.tag(f"{driver[0]}.{driver[1]}.0+driver", parent, when + 900, annotated=True)


def release_tag(minor: int, suffix: str) -> str:
    """0.N.0-rc2 for "-rc2", 0.N.0 for "", 0.N.k for ".k"."""
    return f"0.{minor}{suffix}" if suffix.startswith(".") else f"0.{minor}.0{suffix}"


# --- building and caching ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Repo:
    """A generated repository: a bare origin and a clone of it."""

    size: Size
    root: Path
    generation_s: float  # how long building it took (when it was built, possibly by an earlier run)
    reused: bool

    @property
    def origin(self) -> Path:
        return self.root / "origin.git"

    @property
    def clone(self) -> Path:
        return self.root / "clone"


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env={**ENV, **(env or {})}, capture_output=True, text=True)
    if done.returncode != 0:
        raise BenchError(f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}")
    return done.stdout


def read_marks(path: Path) -> dict[int, str]:
    marks = {}
    for line in path.read_text().splitlines():
        mark, sha = line.split()
        marks[int(mark[1:])] = sha
    return marks


def build(size: Size, root: Path) -> None:
    """Generate origin.git in two fast-import passes (master, then the branches, whose `-x` trailers need
    master's commit ids), then clone it and create local branches for the newest release branches."""
    origin, marks = root / "origin.git", root / "marks"
    git("init", "-q", "--bare", "-b", "master", str(origin), cwd=root)
    fi = FastImport(origin, marks)
    write_master(fi, size)
    fi.close()
    shas = read_marks(marks)
    fi = FastImport(origin, marks, first_mark=len(shas) + 1, import_marks=True)
    driver = [0, 0]
    for index, fork in enumerate(fork_points(size)):
        write_release_branch(fi, size, index, fork, shas, driver)
    fi.close()
    marks.unlink()
    git("clone", "-q", str(origin), "clone", cwd=root)
    clone = root / "clone"
    for index in range(max(0, size.branches - size.local_branches), size.branches):
        name = release_branch(index)
        git("branch", "-q", "--track", name, f"origin/{name}", cwd=clone)


def prepare(size: Size, workdir: Path) -> Repo:
    """The repository for `size`: reused from the work dir when built before, else built (atomically, so an
    interrupted build is never mistaken for a finished one)."""
    root = workdir / size.key
    meta = root / "meta.json"
    if meta.is_file():
        return Repo(size, root, json.loads(meta.read_text())["generation_s"], reused=True)
    workdir.mkdir(parents=True, exist_ok=True)
    partial = workdir / f"{size.key}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    start = time.perf_counter()
    try:
        build(size, partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    elapsed = time.perf_counter() - start
    (partial / "meta.json").write_text(json.dumps({"size": asdict(size), "generation_s": elapsed}, indent=2))
    shutil.rmtree(root, ignore_errors=True)
    partial.rename(root)
    git("remote", "set-url", "origin", str(root / "origin.git"), cwd=root / "clone")  # it named the partial dir
    return Repo(size, root, elapsed, reused=False)


def describe(repo: Repo) -> dict[str, int]:
    """What was actually generated, counted by git."""
    clone = repo.clone
    tags = git("for-each-ref", "--format=%(refname)", "refs/tags", cwd=clone).split()
    branches = git("for-each-ref", "--format=%(refname)", "refs/remotes/origin/release/", cwd=clone).split()
    return {
        "master_commits": int(git("rev-list", "--count", "origin/master", cwd=clone)),
        "all_commits": int(git("rev-list", "--count", "--all", cwd=clone)),
        "tags": len(tags),
        "release_branches": len(branches),
        "files": len(git("ls-files", cwd=clone).splitlines()),
        "divergence": int(git("rev-list", "--count", f"origin/{repo.size.newest_branch}..origin/master",
                              cwd=clone)),
    }


# --- measuring -----------------------------------------------------------------------------------------------------

def sequence_ms(cmds: Sequence[Sequence[str]], cwd: Path) -> float:
    """Commands run back to back: their total wall time."""
    return sum(run_ms(cmd, cwd, ENV) for cmd in cmds)


def peak_rss_mb(cmd: Sequence[str], cwd: Path) -> float:
    """Peak resident set size of one run (what `/usr/bin/time -f %M` reports)."""
    proc = subprocess.Popen(list(cmd), cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait for it again
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(cmd)} exited {proc.returncode}")
    return usage.ru_maxrss / 1024


def repeat(subject: Callable[[], float], runs: int) -> list[float]:
    subject()  # warm-up
    return [subject() for _ in range(runs)]


def cockpit_python(cockpit: Path) -> str:
    """The interpreter a console script runs with (its shebang), so the import floor uses the same one."""
    try:
        with cockpit.open("rb") as fh:
            first = fh.readline().decode(errors="replace")
    except OSError:
        return sys.executable
    if first.startswith("#!") and "python" in first:
        return first[2:].split()[0]
    return sys.executable


@dataclass(frozen=True)
class Bench:
    cockpit: Path
    python: str
    runs: int

    def cockpit_cmd(self, *args: str, repo: Path) -> list[str]:
        return [str(self.cockpit), *args, "--json", "--repo", str(repo)]

    def checked_json(self, cmd: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> dict:
        done = subprocess.run(list(cmd), cwd=cwd, env=env or ENV, capture_output=True, text=True)
        if done.returncode != 0:
            raise BenchError(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
        return json.loads(done.stdout)

    def status(self, repo: Repo) -> dict:
        """`cockpit status` against imports + one for-each-ref + one read of the whole commit graph: cold (an
        empty user cache dir), warm (nothing changed since the last run) and after one new commit on the default
        branch (the graph cache carried forward over it); each answer checked against a cold run's."""
        clone = repo.clone
        cmd = self.cockpit_cmd("status", repo=clone)
        cache = Path(tempfile.mkdtemp(prefix="cockpit-bench-cache-"))
        env = {**ENV, "XDG_CACHE_HOME": str(cache)}
        out = self.checked_json(cmd, clone, env)
        if len(out["release_branches"]) != repo.size.branches:
            raise BenchError(f"status lists {len(out['release_branches'])} release branches, "
                             f"expected {repo.size.branches}")
        floor = [[self.python, "-c", IMPORTS],
                 ["git", "for-each-ref", f"--format={REF_FORMAT}", "refs/heads", "refs/remotes", "refs/tags"],
                 ["git", "rev-list", "--parents", "--branches", "--remotes", "--tags"]]

        def cold() -> float:
            shutil.rmtree(cache, ignore_errors=True)
            return run_ms(cmd, clone, env)

        main_ref = "refs/remotes/origin/master"
        original = git("rev-parse", main_ref, cwd=clone).strip()

        def one_new_commit() -> float:
            tip = git("rev-parse", main_ref, cwd=clone).strip()
            when = f"{int(git('log', '-1', '--format=%ct', tip, cwd=clone)) + 60} +0000"  # a minute after its parent,
            # as a commit landing on master is: the generated history's dates run decades ahead of today's clock,
            # and a commit dated before its parent sends git's walk with `^old` through the whole history
            new = git("-c", "user.name=Bench", "-c", "user.email=bench@example.com", "commit-tree", "-p", tip,
                      "-m", "bench: one more", f"{tip}^{{tree}}", cwd=clone,
                      env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}).strip()
            git("update-ref", main_ref, new, cwd=clone)
            return run_ms(cmd, clone, env)

        try:
            cold_samples = measure(cold, lambda: sequence_ms(floor, clone), self.runs)
            warm_samples = measure(lambda: run_ms(cmd, clone, env), lambda: sequence_ms(floor, clone), self.runs)
            incremental = measure(one_new_commit, lambda: sequence_ms(floor, clone), self.runs)
            carried = self.checked_json(cmd, clone, env)
            shutil.rmtree(cache, ignore_errors=True)
            if carried != self.checked_json(cmd, clone, env):
                raise BenchError("status carried forward by the graph cache differs from a cold run's")
        finally:
            git("update-ref", main_ref, original, cwd=clone)
            shutil.rmtree(cache, ignore_errors=True)
        return {**cold_samples.summary(TARGETS["status"]), "peak_rss_mb": round(peak_rss_mb(cmd, clone), 1),
                "warm": warm_samples.summary(TARGETS["status_warm"]),
                "incremental": incremental.summary(TARGETS["status_incremental"])}

    def candidates(self, repo: Repo) -> dict:
        """`cockpit candidates` on the newest branch against imports + the git commands it runs (merge-base,
        the two `git log`s, `git cherry`), as in cockpit/services/git.py `candidates()`."""
        clone, branch = repo.clone, repo.size.newest_branch
        cmd = self.cockpit_cmd("candidates", "--branch", branch, repo=clone)
        out = self.checked_json(cmd, clone)
        up, rel = "refs/remotes/origin/master", f"refs/remotes/origin/{branch}"
        fork = git("merge-base", up, rel, cwd=clone).strip()
        if out["fork_point"] != fork:
            raise BenchError(f"candidates reports fork point {out['fork_point']}, git says {fork}")
        floor = [[self.python, "-c", IMPORTS],
                 ["git", "merge-base", up, rel],
                 ["git", "log", f"--format={COMMIT_FORMAT}", "--topo-order", f"{fork}..{up}", "--"],
                 ["git", "log", f"--format={COMMIT_FORMAT_BODY}", "--topo-order", f"{fork}..{rel}", "--"],
                 ["git", "cherry", rel, up, fork]]
        samples = measure(lambda: run_ms(cmd, clone, ENV), lambda: sequence_ms(floor, clone), self.runs)
        applied = sum(c["applied"] for c in out["commits"])
        return {**samples.summary(TARGETS["candidates"]), "branch": branch, "commits": len(out["commits"]),
                "applied": applied}

    def forge(self, repo: Repo) -> dict:
        """The requests `cockpit candidates` sends to GitHub (the loopback emulator of tests/, GraphQL validated
        against GitHub's schema) to link every candidate to its PR: cold (empty cache) and warm (a second run). Each
        candidate is made rebase-merged: a PR per three commits, landing them; the budget is one request per 100
        commits cold, none warm."""
        try:
            sys.path.insert(0, str(HERE.parent / "tests"))
            from github_emulator import GitHubEmulator  # type: ignore[import-not-found]
        except ImportError as exc:
            return {"skipped": f"the GitHub emulator needs the test extra ({exc})"}
        finally:
            sys.path.pop(0)
        clone, branch = repo.clone, repo.size.newest_branch
        up, rel = "refs/remotes/origin/master", f"refs/remotes/origin/{branch}"
        fork = git("merge-base", up, rel, cwd=clone).strip()
        shas = git("rev-list", "--reverse", "--no-merges", f"{fork}..{up}", cwd=clone).split()
        config = clone / ".cockpit.toml"
        with GitHubEmulator(token="ghp_bench_token") as emu, tempfile.TemporaryDirectory() as cache:
            for start in range(0, len(shas), 3):
                emu.add_pull(f"fix: PR {start // 3}", commits=shas[start:start + 3])
            env = {**ENV, "GH_TOKEN": emu.token, "COCKPIT_GITHUB_API_URL": emu.base_url, "XDG_CACHE_HOME": cache}
            config.write_text(f'[forge]\nrepository = "falcosecurity/libs"\napi_url = "{emu.base_url}"\n')
            try:
                counts, graphql = [], []
                for _ in ("cold", "warm"):
                    before = len(emu.requests)
                    cmd = self.cockpit_cmd("candidates", "--branch", branch, repo=clone)
                    done = subprocess.run(cmd, cwd=clone, env=env, capture_output=True, text=True)
                    if done.returncode != 0:
                        raise BenchError(f"candidates with the emulator exited {done.returncode}: {done.stderr}")
                    out = json.loads(done.stdout)
                    counts.append(len(emu.requests) - before)
                    graphql.append(emu.requests_count("POST", "/api/graphql"))
            finally:
                config.unlink(missing_ok=True)
        linked = sum(c["pr"] is not None for c in out["commits"])
        return {"commits": len(shas), "linked": linked, "cold_requests": counts[0], "warm_requests": counts[1],
                "graphql_cold": graphql[0], "budget_cold": -(-len(shas) // 100), "forge_ok": out["forge"]["ok"]}

    def first_paint(self, repo: Repo) -> dict:
        """The TUI's time to first paint with git data (release branches on screen) and to complete branch data
        (ahead/behind from the graph), from process start: bench/first_paint.py runs the real app headless."""
        cmd = [self.python, str(HERE / "first_paint.py"), str(repo.clone)]

        def once() -> tuple[float, float]:
            start = time.time()
            done = subprocess.run(cmd, cwd=repo.clone, env=ENV, capture_output=True, text=True)
            if done.returncode != 0:
                raise BenchError(f"first_paint.py exited {done.returncode}: {done.stderr.strip()[-300:]}")
            moments = json.loads(done.stdout)
            return (moments["first_paint"] - start) * 1000, (moments["complete"] - start) * 1000

        once()  # warm-up
        runs = [once() for _ in range(self.runs)]
        paint, complete = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        return {"ms": round(paint, 1), "complete_ms": round(complete, 1), "samples_ms": [round(r[0], 1) for r in runs]}

    def naive(self, repo: Repo, status_ms: float) -> dict:
        """The naive way: one `rev-list --left-right --count master...release/X` walk per release branch; beside
        it the bound of any status written in Python: the bare interpreter starting, then one read of the graph.
        Where the naive way is cheap (few, short branches) that bound alone is less than 10x faster than it."""
        clone = repo.clone
        names = git("for-each-ref", "--format=%(refname:lstrip=3)", "refs/remotes/origin/release/",
                    cwd=clone).split()
        cmds = [["git", "rev-list", "--left-right", "--count", f"origin/master...origin/{n}"] for n in names]
        totals = repeat(lambda: sequence_ms(cmds, clone), self.runs)
        bound = [[self.python, "-S", "-c", "pass"], ["git", "rev-list", "--parents", "--branches", "--remotes",
                                                     "--tags"]]
        bounds = repeat(lambda: sequence_ms(bound, clone), self.runs)
        ms, bound_ms = statistics.median(totals), statistics.median(bounds)
        return {"ms": round(ms, 1), "branches": len(names), "speedup": round(ms / status_ms, 2),
                "bound_ms": round(bound_ms, 1), "bound_speedup": round(ms / bound_ms, 2),
                "samples_ms": [round(x, 1) for x in totals]}


def bench_size(bench: Bench, size: Size, workdir: Path, log: Callable[[str], None]) -> dict:
    log(f"[{size.name}] preparing the repository ...")
    repo = prepare(size, workdir)
    how = "reused" if repo.reused else "generated"
    log(f"[{size.name}] {how} {repo.root} (generation {repo.generation_s:.1f} s)")
    shape = describe(repo)
    log(f"[{size.name}] {shape}")
    log(f"[{size.name}] measuring status ...")
    status = bench.status(repo)
    log(f"[{size.name}] measuring candidates ...")
    candidates = bench.candidates(repo)
    log(f"[{size.name}] measuring the naive way ...")
    naive = bench.naive(repo, status["ms"])
    log(f"[{size.name}] measuring the TUI's first paint ...")
    paint = bench.first_paint(repo)
    paint["terminal"] = startup.tui_paint(bench.cockpit, bench.python, repo.clone, bench.runs, ENV,
                                          startup.PAINT_TARGETS.get(size.name, startup.PAINT_TARGETS["falco"]))
    log(f"[{size.name}] counting the forge's requests of candidates ...")
    forge = bench.forge(repo)
    return {"repo": str(repo.clone), "generation": {"seconds": round(repo.generation_s, 1), "reused": repo.reused},
            "shape": shape, "status": status, "candidates": candidates, "naive": naive, "first_paint": paint,
            "forge": forge}


# --- reporting -----------------------------------------------------------------------------------------------------

def ratio_row(name: str, key: str, m: dict, note: str) -> str:
    if "skipped" in m:
        return f"{name:<11} {key:<11} skipped: {m['skipped']}"
    verdict = "ok" if m["ratio"] <= m["target"] else "OVER"
    return (f"{name:<11} {key:<11} {m['ms']:>10.1f} {m['floor_ms']:>10.1f} {m['ratio']:>6.2f}x  "
            f"{'<=' + str(m['target']) + 'x ' + verdict:<11} {note}")


def paint_rows(name: str, paint: dict) -> list[str]:
    if "skipped" in paint:
        return [ratio_row(name, "tui term", paint, "")]
    return [ratio_row(name, "tui first", paint["first_start"], "first rows in tmux vs a minimal Textual app, "
                      "first start in the folder"),
            ratio_row(name, "tui next", paint["next_start"], "the same, next start (the last session's screen)")]


def table(results: dict[str, dict], common: dict[str, dict]) -> str:
    """The start-up rows, one row per size and measurement, then the generation times."""
    head = f"{'size':<11} {'measure':<11} {'ms':>10} {'floor ms':>10} {'ratio':>7}  {'target':<11} note"
    rows = [head, "-" * (len(head) + 30),
            ratio_row("-", "--version", common["version"], "cockpit --version vs python -c pass"),
            ratio_row("demo", "status", common["demo"]["status"], "status --json on the demo sandbox, cache warm"),
            *paint_rows("demo", common["demo"]["tui"])]
    for name, r in results.items():
        measures = {"status": r["status"], "warm": r["status"]["warm"], "+1 commit": r["status"]["incremental"],
                    "candidates": r["candidates"]}
        for key, m in measures.items():
            verdict = "ok" if m["ratio"] <= m["target"] else "OVER"
            note = {"status": f"cold (empty cache); peak RSS {m.get('peak_rss_mb')} MB",
                    "warm": "status again, nothing changed (graph cache)",
                    "+1 commit": "status after one new master commit (graph cache carried forward)",
                    "candidates": f"{m.get('branch')}: {m.get('commits')} commits, {m.get('applied')} applied"}[key]
            rows.append(f"{name:<11} {key:<11} {m['ms']:>10.1f} {m['floor_ms']:>10.1f} {m['ratio']:>6.2f}x  "
                        f"{'<=' + str(m['target']) + 'x ' + verdict:<11} {note}")
        n = r["naive"]
        rows.append(f"{name:<11} {'naive':<11} {n['ms']:>10.1f} {'':>10} {'':>7}  {'':<11} "
                    f"{n['branches']} rev-list walks; speed-up of status {n['speedup']:.2f}x (>=10x "
                    + ("ok" if n["speedup"] >= 10 else "missed") + f"; python start + one graph read alone: "
                    f"{n['bound_ms']:.0f} ms, {n['bound_speedup']:.2f}x)")
        p = r["first_paint"]
        rows.append(f"{name:<11} {'tui paint':<11} {p['ms']:>10.1f} {'':>10} {'':>7}  {'':<11} "
                    f"headless; branches with ahead/behind after {p['complete_ms']:.0f} ms")
        rows += paint_rows(name, p["terminal"])
        f = r["forge"]
        if "skipped" in f:
            rows.append(f"{name:<11} {'forge':<11} skipped: {f['skipped']}")
        else:
            verdict = "ok" if f["cold_requests"] <= f["budget_cold"] and f["warm_requests"] == 0 else "OVER"
            rows.append(f"{name:<11} {'forge':<11} {f['cold_requests']:>10} {'':>10} {'':>7}  "
                        f"{'<=' + str(f['budget_cold']) + ' ' + verdict:<11} requests to link {f['linked']} of "
                        f"{f['commits']} commits to their PRs cold ({f['graphql_cold']} "
                        f"GraphQL), {f['warm_requests']} warm")
    rows.append("")
    for name, r in results.items():
        g, shape = r["generation"], r["shape"]
        when = "reused from the cache, built earlier in" if g["reused"] else "generated in"
        rows.append(f"{name:<11} {when} {g['seconds']:.1f} s: {shape['master_commits']} master commits, "
                    f"{shape['all_commits']} in all, {shape['tags']} tags, {shape['release_branches']} release "
                    f"branches, {shape['files']} files; newest branch {shape['divergence']} behind master")
    return "\n".join(rows)


def environment() -> dict[str, str]:
    return {"git": git("--version", cwd=HERE).strip(), "python": platform.python_version(),
            "platform": platform.platform(), "cpus": str(os.cpu_count())}


# --- command line --------------------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    default_cockpit = Path(sys.executable).parent / "cockpit"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="falco", help=f"comma-separated, of {', '.join(SIZES)} (default: falco)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per measurement, after one warm-up")
    ap.add_argument("--workdir", type=Path, default=HERE / ".repos", help="where generated repositories are cached")
    ap.add_argument("--out", type=Path, help="write the results as JSON here")
    ap.add_argument("--cockpit", type=Path, default=default_cockpit, help="the cockpit command to measure")
    args = ap.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in args.sizes if s not in SIZES]
    if unknown or not args.sizes:
        ap.error(f"unknown size(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SIZES)}")
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if not args.cockpit.is_file():
        ap.error(f"no cockpit command at {args.cockpit} (pass --cockpit PATH)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    bench = Bench(args.cockpit.resolve(), cockpit_python(args.cockpit), args.runs)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    try:
        log("measuring start-up: --version, and the demo sandbox ...")
        common = {"version": startup.version(bench.cockpit, bench.python, args.runs),
                  "demo": startup.demo(bench.cockpit, bench.python, args.runs, ENV)}
        results = {name: bench_size(bench, SIZES[name], args.workdir.resolve(), log) for name in args.sizes}
    except (BenchError, RuntimeError, subprocess.CalledProcessError) as exc:
        log(f"bench: {exc}")
        return 1
    print(table(results, common))
    if args.out:
        report = {"environment": environment(), "date": time.strftime("%Y-%m-%d"), "runs": args.runs,
                  "cockpit": str(bench.cockpit), "startup": common, "sizes": results}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
