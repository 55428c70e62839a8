"""Bounded reads: only regular files, only up to their kind's size."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cockpit.services.files import UnfitFile, read_regular_file
from cockpit.services.forge.base import ForgeError
from cockpit.services.forge.local import LocalForge

pytestmark = pytest.mark.security


def test_regular_files_up_to_the_limit_are_read(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_regular_file(path, 10) == b"x" * 10
    with pytest.raises(UnfitFile, match="larger than"):
        read_regular_file(path, 9)
    with pytest.raises(FileNotFoundError):
        read_regular_file(tmp_path / "missing", 10)


def test_devices_fifos_and_folders_are_refused_without_waiting(tmp_path: Path) -> None:
    link = tmp_path / "zero"
    link.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (link, fifo, tmp_path):  # a folder too: said as such, not as an error naming a file descriptor
        with pytest.raises(UnfitFile, match=f"^{path}: not a regular file$"):
            read_regular_file(path, 1024)


def test_a_local_forge_file_linked_to_a_device_is_a_forge_error(tmp_path: Path) -> None:
    forge = tmp_path / "forge.json"
    forge.symlink_to("/dev/zero")
    with pytest.raises(ForgeError, match="not a regular file"):
        LocalForge(forge)
