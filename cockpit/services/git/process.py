"""The one place that starts git: GitPython's command runner rooted at the repository's top level (and, beside it,
graph_walk.py: the read of the whole commit graph, whose walks run concurrently and write to files).

Callers above the git service never build an argv: they call named operations (`ls_remote`, `push_atomic`,
`create_tag`, ...), which put every value that comes from a repository, its config, the forge or the user after
`--end-of-options` or `--`."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import git

from cockpit.services.git.errors import GitCommandFailed, NotARepository

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
        try:
            top = git.Git(str(start)).execute(["git", "rev-parse", "--show-toplevel"])
        except git.GitCommandError:
            raise NotARepository(f"{start} is not inside a git repository (git init, or pass --repo PATH)") from None
        self.root = Path(top)
        self._git = git.Git(str(self.root))

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
        cmd = ["git", *args]
        kwargs = {"stdout_as_string": not raw, "strip_newline_in_stdout": False, "env": env}
        try:
            if stdin is None:
                return self._git.execute(cmd, **kwargs)
            with tempfile.TemporaryFile() as fh:
                fh.write(stdin)
                fh.seek(0)
                return self._git.execute(cmd, istream=fh, **kwargs)
        except git.GitCommandError as exc:
            stderr = exc.stderr if isinstance(exc.stderr, str) else (exc.stderr or b"").decode(errors="replace")
            raise GitCommandFailed(args, stderr.removeprefix("\n  stderr: ").strip(" '\n")) from None

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
        proc = self._git.execute(["git", *args], as_process=True)
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
        proc = self._git.execute(["git", *args], as_process=True, env=env)
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
