"""The last session's first screen, kept in the user's cache dir (never in the repository): the theme, the
repository's name and the Branches pane's rows as the dashboard last showed them, or as `cockpit status` last read
them (the same rows: whichever front end read the repository last).

The next start in the same folder draws them at once, marked as the last session's, while the cockpit loads its
services and reads the repository; the rows read then replace them. Loading the cockpit costs more than Textual's
own start, and a release manager's branches rarely change between two sessions: the first frame does not wait.

The file is data from disk like any other: a corrupt, oversized or foreign (another folder's) file, or one of
another shape, is ignored, and the start reads the repository as if there were none. Its values are only ever shown,
as plain text (never markup, controls made visible), and never reach git. It is written whole and renamed into
place, so a reader never sees half of it. No Textual here: the launcher reads it before the UI is imported."""

from __future__ import annotations

import contextlib
import json
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from cockpit.services.dirs import cache_dir
from cockpit.services.files import UnfitFile, read_regular_file, write_private_json
from cockpit.ui.branch_rows import KINDS, BranchRow, BranchRows, branch_rows

if TYPE_CHECKING:
    from cockpit.workflows.reports.status import Status

FORMAT = 1
MAX_FILE = 512 * 1024  # a few hundred branch rows; more is not this file
MAX_ROWS = 1000
MAX_TEXT = 512  # one value of a row, the theme's or the repository's name


class LastSession(NamedTuple):
    theme: str
    title: str  # the header's: the repository's folder name
    branches: BranchRows


class SessionFile:
    """The last session's first screen of the repository opened from `folder` (as the command line named it: the
    start looks it up before git has said where the repository's root is)."""

    def __init__(self, folder: Path, directory: Path | None = None) -> None:
        self.folder = str(folder.resolve())
        name = f"{zlib.crc32(self.folder.encode('utf-8', 'surrogateescape')):08x}.json"
        self.path = (directory if directory is not None else cache_dir()) / "screen" / name

    def load(self) -> LastSession | None:
        """The stored screen, or None when there is none that can be used."""
        try:
            data = json.loads(read_regular_file(self.path, MAX_FILE))
            return self._session_of(data)
        except (OSError, UnfitFile, ValueError, KeyError, TypeError, AttributeError, RecursionError):  # nested deeper
            # than the decoder's recursion limit: a few kilobytes of brackets
            return None

    def _session_of(self, data: dict) -> LastSession | None:
        if data.get("format") != FORMAT or data.get("folder") != self.folder:
            return None  # another version's file, or another folder's that shares the name
        theme, title, subtitle, rows = data["theme"], data["title"], data["subtitle"], data["rows"]
        if not (isinstance(rows, list) and 0 < len(rows) <= MAX_ROWS):
            return None
        branch_rows = tuple(_row_of(row) for row in rows)
        return LastSession(_text(theme), _text(title), BranchRows(branch_rows, _text(subtitle)))

    def save(self, session: LastSession) -> None:
        """Write the screen whole and rename it into place; a failure (a full disk, a read-only cache) only means
        the next start reads the repository before it draws."""
        data = {"format": FORMAT, "folder": self.folder, "theme": session.theme, "title": session.title,
                "subtitle": session.branches.subtitle, "rows": [row._asdict() for row in session.branches.rows]}
        with contextlib.suppress(OSError):
            write_private_json(self.path, data, prefix=".screen-")


def keep_rows(session: SessionFile, theme: str, title: str, status: Status) -> None:
    """The rows of a read of the refs kept for the next start as soon as they are read, before the app has drawn them
    (the app may be closed in its first frame: the next start still opens on them)."""
    session.save(LastSession(theme, title, branch_rows(status)))


def keep_status(folder: Path, status: Status) -> None:
    """`cockpit status` has read the rows the dashboard draws first: kept for the TUI's next start in the same
    folder, so that one opens at once too, whichever front end read the repository last. A user config the TUI
    would refuse keeps nothing: the TUI says what is wrong with it."""
    from cockpit.services.settings import SettingsError, load_user_config  # not on the TUI's path to its first frame

    try:
        theme = load_user_config().theme
    except SettingsError:
        return
    keep_rows(SessionFile(folder), theme, Path(status.root).name, status)


def _text(value: object) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError("not a short text")
    return value


def _row_of(row: dict) -> BranchRow:
    kind, synced = row["kind"], row["synced"]
    if kind not in KINDS or not isinstance(synced, bool):
        raise ValueError("not a branch row")
    return BranchRow(kind, *(_text(row[key]) for key in ("name", "head", "ahead", "behind", "latest", "state")),
                     synced=synced)
