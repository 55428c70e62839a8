"""Opening a repository for a command: the git service with the project's `.cockpit.toml` and the user's graph
cache. Kept apart from bundle.py (the TUI's whole service set) so a read-only command imports no executor, steps
or forge code."""

from __future__ import annotations

from pathlib import Path

from cockpit.services.dirs import cache_dir
from cockpit.services.git import GitService
from cockpit.services.settings import load_project_config


def open_git(repo: str | Path) -> GitService:
    """The git service with the project's `.cockpit.toml` applied and the divergence cache in the user cache dir."""
    service = GitService(repo, graph_cache_dir=cache_dir())
    service.config = load_project_config(service.root)
    return service
