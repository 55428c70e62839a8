"""Bounded reads of files a repository or its config names: only a regular file, only up to a size that fits what
it is (a `.cockpit.toml` linked to /dev/zero, a fifo or gigabytes of JSON must not hang or eat memory); and whole
writes of the cockpit's own cache files."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cockpit.services.dirs import make_private_dir

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None  # type: ignore[assignment]


class UnfitFile(ValueError):
    """Not a regular file, or larger than its kind ever is; the message says which."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path` when it is a regular file of at most `limit` bytes (FileNotFoundError and other
    OSErrors pass through; UnfitFile otherwise). Opening never blocks: a fifo is refused, not waited on."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:  # checked on the descriptor, before a file object (which refuses a directory with an error naming the fd)
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        os.close(fd)
        raise
    if not regular:
        os.close(fd)
        raise UnfitFile(f"{path}: not a regular file")
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise UnfitFile(f"{path}: larger than {limit // 1024} KiB")
    return data


@contextmanager
def exclusive_lock(path: Path, mode: int, refused: Callable[[OSError], Exception]) -> Iterator[None]:
    """Hold an flock on the lock file `path` (created with `mode`) for the block: processes sharing the file take
    turns. A lock file opened for writing also works where flock is emulated with fcntl locks (NFS). When the
    file cannot be opened, `refused(error)` is raised; without fcntl (not POSIX) only this process is guarded."""
    if fcntl is None:
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, mode)
    except OSError as exc:
        raise refused(exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_private_json(path: Path, data: Any, *, prefix: str, compact: bool = False) -> None:
    """`data` as JSON in `path`, written whole and renamed into place (a reader never sees half of it), in folders
    made private (nobody else's to read or plant, whatever the umask); the OSError of a file that cannot be written
    passes to the caller, the temporary file removed."""
    make_private_dir(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":") if compact else None)  # escaped: surrogates read back
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
