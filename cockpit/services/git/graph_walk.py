"""The one read of the commit graph, split across cores and indexed while git is still walking.

Without a commit-graph file, git parses every commit object of the walk (inflating it from the pack): on a
150k-commit repository that is a second of one core, and then as much Python again to index the output. Here:
- the history is cut in two at old tags: one `rev-list --parents` walks what is reachable from the old tags,
  another what is reachable from the tips and not from them (`^tag`: it stops where it meets the old part). The
  two outputs are disjoint and their union is every commit reachable from the tips or the tags, whatever the
  tags chosen (they only balance the halves), so the index is the same as from one walk, in half the time on two
  cores;
- each git writes to an unlinked temporary file (from a pipe, every few KiB it writes would wake the reader; to a
  file it never waits for us) and the reader takes what has been written so far, piece by piece, into one
  RevListIndex that also walks the main line's first-parent chain as its lines arrive: indexing runs beside
  the walks, and what is left once git exits is its last piece.

A file's offset is shared with git's stdout, so it is read with pread (which leaves the offset alone), never with
read. A walk nobody reads is stopped when closed or dropped, so no git outlives the command that started it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path

from cockpit.core.graph import RevListIndex
from cockpit.services.git.errors import GitCommandFailed
from cockpit.services.git.process import git_environment

POLL = 0.005  # seconds between looks while no git has written anything new (they are still walking)


class _Part:
    """One running `git <args>`, its revisions on stdin, its stdout in a file read as it grows."""

    def __init__(self, root: Path, args: Sequence[str], revisions: Sequence[str]):
        self.args = tuple(args)
        self.pos = 0
        self.partial = b""
        # the files live as long as the walk (closed by `close`, or when it is dropped): no `with` can hold them
        self.out = tempfile.TemporaryFile()  # noqa: SIM115
        self.err = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            with tempfile.TemporaryFile() as stdin:
                stdin.write("".join(f"{r}\n" for r in revisions).encode("ascii"))
                stdin.seek(0)
                self.proc = subprocess.Popen(["git", *self.args], cwd=root, stdin=stdin, stdout=self.out,
                                             stderr=self.err, env=git_environment())
        except BaseException:
            self.out.close()
            self.err.close()
            raise

    def take(self) -> bytes:
        """The complete lines git wrote since the last look (a line still being written waits)."""
        fd = self.out.fileno()
        size = os.fstat(fd).st_size - self.pos
        if size <= 0:
            return b""
        piece = os.pread(fd, size, self.pos)
        self.pos += len(piece)
        data = self.partial + piece if self.partial else piece
        end = data.rfind(b"\n") + 1
        self.partial = data[end:]
        return data[:end]

    def failure(self) -> GitCommandFailed | None:
        if not self.proc.returncode:
            return None
        self.err.seek(0)
        return GitCommandFailed(self.args, self.err.read().decode(errors="replace").strip())


class GraphWalk:
    """Concurrent `rev-list --parents` walks (`options` before `--stdin`, one list of revisions each) whose outputs
    together are the graph; `index` reads them as they grow, once."""

    def __init__(self, root: Path, options: Sequence[str], revisions: Sequence[Sequence[str]]):
        self._parts: list[_Part] = []
        try:
            for revs in revisions:
                self._parts.append(_Part(root, (*options, "--stdin"), revs))
        except BaseException:
            _stop(*self._parts)
            raise
        self._stop = weakref.finalize(self, _stop, *self._parts)
        self._read = False

    def index(self, follow: bytes | None = None) -> RevListIndex:
        """Every part's output in one index, read while git writes it; `follow`: a head whose first-parent chain
        is walked on the way. GitCommandFailed (git's own reason) when a git fails."""
        if self._read:
            raise RuntimeError("a graph walk is read once, and never once closed")
        self._read = True
        index = RevListIndex(follow=follow)
        running = list(self._parts)
        try:
            while running:
                for part in list(running):
                    exited = part.proc.poll() is not None  # before the last look: nothing is written after it
                    if lines := part.take():
                        index.feed(lines)
                    if exited:
                        if failed := part.failure():
                            raise failed
                        if part.partial:  # a last line without its newline
                            index.feed(part.partial + b"\n")
                        running.remove(part)
                if running:
                    with contextlib.suppress(subprocess.TimeoutExpired):  # back as soon as that git exits
                        running[0].proc.wait(timeout=POLL)
        finally:
            self.close()
        index.close()
        return index

    @property
    def returncodes(self) -> list[int | None]:
        """Each git's exit status, None while it is still walking (negative: stopped by that signal)."""
        return [part.proc.poll() for part in self._parts]

    def close(self) -> None:
        """Stop the gits still walking (nobody will read them) and drop the files."""
        self._read = True
        self._stop()

    def __enter__(self) -> GraphWalk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stop(*parts: _Part) -> None:
    for part in parts:
        if part.proc.poll() is None:
            part.proc.kill()
            part.proc.wait()
        for fh in (part.out, part.err):
            fh.close()
