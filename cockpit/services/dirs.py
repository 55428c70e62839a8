"""The user's folders for the cockpit (platformdirs): data (the demo sandbox), cache (graph, forge, the last
session's first screen), state (the journal) and config. Apart from settings.py so the TUI's first frame can find
its cache without loading the settings' validation."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "release-cockpit"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def make_private_dir(path: Path) -> None:
    """Create `path` and every missing parent with mode 0700 whatever the umask, as the XDG base directory spec
    asks: the journal and the cache are nobody else's to read, replace or plant (a planted journal is a plan that
    `resume` would run). Folders that already exist are left as they are."""
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another process: theirs
            continue
        folder.chmod(0o700)  # mkdir's mode went through the umask
