"""Shared fixtures: a hermetic git environment and builders of real, falco-shaped repositories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builders import FalcoRepo, RepoBuilder


@pytest.fixture(autouse=True)
def hermetic_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config, no real XDG dirs, no tokens: every test sees the same world."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in ("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GH_HOST",
                "COCKPIT_TODAY", "GIT_DIR", "GIT_WORK_TREE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Author")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "author@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Committer")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "committer@example.com")


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    """An empty clone of a bare origin, on master."""
    return RepoBuilder.create(tmp_path)


@pytest.fixture
def falco(tmp_path: Path) -> FalcoRepo:
    """A small falco-shaped repository: two past releases of both lines and an upcoming one."""
    return FalcoRepo.build(tmp_path)
