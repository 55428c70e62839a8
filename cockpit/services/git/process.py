"""The one place that starts git, rooted at the repository's top level (and, beside it, graph_walk.py: the read of
the whole commit graph, whose walks run concurrently and write to files).

Short commands run through `subprocess.run`; the long-lived processes a caller reads as they go (a streamed read, a
fetch's progress) run through GitPython, whose process wrapper kills git when the reader abandons it. GitPython is
imported on that first use only: its import (gitdb, smmap, and a `git version` probe) costs about half of what a
whole `cockpit status` costs on a small repository, and every command would pay it.

Callers above the git service never build an argv: they call named operations (`ls_remote`, `push_atomic`,
`create_tag`, ...), which put every value that comes from a repository, its config, the forge or the user after
`--end-of-options` or `--`."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from cockpit.services.git.errors import GitCommandFailed, GitNotInstalled, NotARepository

MAX_PATH_ARG = 4096  # the longest path the kernel takes: a longer --repo is refused before git is asked


class GitProcess:
    """Runs git in one repository. Each call starts its own process and nothing mutable is kept, so an instance is
    safe to share between worker threads."""

    def __init__(self, path: str | os.PathLike[str]):
        start = Path(path)
        if len(str(start)) > MAX_PATH_ARG:
            raise NotARepository(f"the repository path is {len(str(start))} characters long: not a directory")
        try:
            is_dir = start.is_dir()
        except OSError as exc:
            raise NotARepository(f"{str(start)[:200]}: {exc.strerror}") from None
        if not is_dir:
            raise NotARepository(f"{start} is not a directory")
        done = _run(["git", "rev-parse", "--show-toplevel"], start)
        if done.returncode:
            raise NotARepository(f"{start} is not inside a git repository (git init, or pass --repo PATH)")
        self.root = Path(done.stdout.decode(errors="surrogateescape").removesuffix("\n"))

    def git_dir(self) -> Path:
        """The repository's .git directory (where git records a merge, rebase or cherry-pick in progress)."""
        return Path(self.text("rev-parse", "--absolute-git-dir").strip())

    def objects_dir(self) -> Path:
        """The repository's object store (shared by all its worktrees)."""
        return Path(self.text("rev-parse", "--path-format=absolute", "--git-path", "objects").strip())

    def run(self, *args: str, stdin: bytes | None = None, raw: bool = False,
            env: dict[str, str] | None = None) -> str | bytes:
        """Run one git command in the repository and return its stdout (trailing newline kept); `env` adds
        variables for this command only (e.g. GIT_EDITOR=true so `cherry-pick --continue` never opens an editor)."""
        if stdin is None:
            done = _run(["git", *args], self.root, env=env)
        else:
            with tempfile.TemporaryFile() as fh:
                fh.write(stdin)
                fh.seek(0)
                done = _run(["git", *args], self.root, stdin=fh, env=env)
        if done.returncode:
            raise GitCommandFailed(args, done.stderr.decode(errors="replace").strip())
        return done.stdout if raw else done.stdout.decode(errors="surrogateescape")

    def text(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
        out = self.run(*args, stdin=stdin, env=env)
        assert isinstance(out, str)
        return out

    def data(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> bytes:
        out = self.run(*args, stdin=stdin, raw=True, env=env)
        assert isinstance(out, bytes)
        return out

    @contextmanager
    def stream(self, *args: str) -> Iterator[IO[bytes]]:
        """git's stdout as it is written, for reads too large to hold twice; a failure raises after the read."""
        git = _gitpython()
        proc = git.Git(str(self.root)).execute(["git", *args], as_process=True)
        failed = None
        try:
            yield proc.stdout
        finally:
            proc.stdout.close()
            stderr = proc.stderr.read() if proc.stderr else b""
            try:
                status = proc.wait()
            except git.GitCommandError as exc:  # GitPython's wait raises on a non-zero exit
                status = exc.status or 1
            if status:
                failed = GitCommandFailed(args, stderr.decode(errors="replace"))
        if failed:
            raise failed

    def run_with_progress(self, *args: str, on_line: Callable[[str], None], env: dict[str, str] | None = None) -> None:
        """Run a long git command (a fetch) whose stderr reports progress: `on_line` gets each line as git writes it
        (git redraws a progress line with a carriage return: each redraw counts as a line). GitCommandFailed with
        git's own reason when it exits non-zero."""
        git = _gitpython()
        proc = git.Git(str(self.root)).execute(["git", *args], as_process=True, env=env)
        seen: list[str] = []
        pending = b""
        try:
            while chunk := proc.stderr.read1(4096) if hasattr(proc.stderr, "read1") else proc.stderr.read(4096):
                pending += chunk
                *done, pending = re.split(rb"[\r\n]", pending)
                for raw in done:
                    line = raw.decode(errors="replace").strip()
                    if line:
                        seen.append(line)
                        on_line(line)
            if pending.strip():
                seen.append(pending.decode(errors="replace").strip())
                on_line(seen[-1])
        finally:
            proc.stdout.close()
            proc.stderr.close()
            try:
                status = proc.wait()
            except git.GitCommandError as exc:  # GitPython's wait raises on a non-zero exit
                status = exc.status or 1
        if status:
            raise GitCommandFailed(args, "\n".join(seen[-20:]))


def git_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every git runs in: ours, its messages in English (the cockpit reads some of them), plus
    `extra` for one command."""
    return {**os.environ, "LANGUAGE": "C", "LC_ALL": "C", **(extra or {})}


def _run(argv: list[str], cwd: Path, stdin: IO[bytes] | None = None, stdout: IO[bytes] | int = subprocess.PIPE,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """One git command to completion, its messages in English (the cockpit reads some of them), never waiting on a
    terminal for input; `env` adds variables for this command only."""
    try:
        return subprocess.run(argv, cwd=cwd, stdin=stdin if stdin is not None else subprocess.DEVNULL, stdout=stdout,
                              stderr=subprocess.PIPE, env=git_environment(env), check=False)
    except FileNotFoundError:
        raise GitNotInstalled() from None


def _gitpython() -> Any:
    """GitPython, imported on the first long-lived git process (see the module's docstring)."""
    import git

    return git
