"""Bounded reads of files a repository or its config names: only a regular file, only up to a size that fits what
it is (a `.cockpit.toml` linked to /dev/zero, a fifo or gigabytes of JSON must not hang or eat memory)."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnfitFile(ValueError):
    """Not a regular file, or larger than its kind ever is; the message says which."""


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path` when it is a regular file of at most `limit` bytes (FileNotFoundError and other
    OSErrors pass through; UnfitFile otherwise). Opening never blocks: a fifo is refused, not waited on."""
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise UnfitFile(f"{path}: not a regular file")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise UnfitFile(f"{path}: larger than {limit // 1024} KiB")
    return data
