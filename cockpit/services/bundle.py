"""The Services the CLI builds once and injects into the app: screens take what they need from it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.services.dirs import state_dir
from cockpit.services.forge.base import Forge
from cockpit.services.forge.factory import open_forge
from cockpit.services.git import GitService
from cockpit.services.journal import Journal, journal_file
from cockpit.services.repository import open_git
from cockpit.services.settings import UserConfig, load_user_config

if TYPE_CHECKING:
    from cockpit.services.executor import Executor
    from cockpit.services.forge.cached import CachedForge


@dataclass
class Services:
    git: GitService
    forge: Forge | None
    forge_description: str
    forge_problem: str | None
    user: UserConfig
    today: date
    journal: Journal

    def executor(self) -> Executor:
        """The plan executor, with every step kind: loaded when a plan first runs, not when the TUI starts."""
        from cockpit.services.executor import Executor
        from cockpit.services.steps import StepContext

        return Executor(self.journal, StepContext(self.git, self.forge))


def build_services(repo: str | Path, today: date, env: Mapping[str, str] | None = None,
                   user: UserConfig | None = None) -> tuple[Services, CachedForge | None]:
    """Everything the app needs, built once before the screen is taken over (so failures are plain messages)."""
    git = open_git(repo)
    choice = open_forge(git, env)
    cache = getattr(choice.forge, "cache", None)
    if cache is not None:
        from cockpit.services.forge.cached import CachedForge
    cached = CachedForge(choice.forge, cache) if choice.forge is not None and cache is not None else None
    services = Services(git=git, forge=choice.forge, forge_description=choice.description,
                        forge_problem=choice.problem, user=user or load_user_config(), today=today,
                        journal=Journal(journal_file(state_dir(), git.root)))
    return services, cached
