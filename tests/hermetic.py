"""The world every test sees: no user or system git config, no real XDG dirs, no tokens, fixed git identities."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UNSET = ("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_HOST", "COCKPIT_TODAY",
         "COCKPIT_CRASH_AT", "COCKPIT_GITHUB_API_URL", "GIT_DIR", "GIT_WORK_TREE")


def make_hermetic(mp: pytest.MonkeyPatch, home: Path) -> None:
    """Point HOME and the XDG dirs into `home` and clear what could reach outside (for function- and module-scoped
    fixtures alike: the caller owns `mp`)."""
    mp.setenv("HOME", str(home))
    mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
    mp.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        mp.setenv(var, str(home / var.lower()))
    for var in UNSET:
        mp.delenv(var, raising=False)
    for who in ("AUTHOR", "COMMITTER"):
        mp.setenv(f"GIT_{who}_NAME", f"Test {who.title()}")
        mp.setenv(f"GIT_{who}_EMAIL", f"{who.lower()}@example.com")
