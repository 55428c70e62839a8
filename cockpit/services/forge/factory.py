"""Which forge a repository uses: the local forge file when one is configured (the demo sandbox sets
`git config cockpit.localForge`), else GitHub for the `origin` remote or `.cockpit.toml`'s repository."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from cockpit.services.forge.base import Forge, ForgeError

if TYPE_CHECKING:
    from cockpit.services.auth import RepoSlug
    from cockpit.services.git import GitService
    from cockpit.services.settings import UserConfig

LOCAL_FORGE_KEY = "cockpit.localForge"


class ForgeChoice(NamedTuple):
    """The forge to use, or why there is none (the cockpit then works on git data alone)."""

    forge: Forge | None
    description: str  # e.g. "GitHub falcosecurity/libs (token from GH_TOKEN)" or "local file ..."
    problem: str | None = None


def local_forge_path(git: GitService) -> Path | None:
    value = git.config_value(LOCAL_FORGE_KEY)
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else git.root / path


def open_forge(git: GitService, env: Mapping[str, str] | None = None, slug: RepoSlug | None = None,
               base_url: str | None = None, user: UserConfig | None = None) -> ForgeChoice:
    """The forge of the repository, or why there is none. `base_url` (from code, never from a repository) wins
    over every setting; otherwise the token goes only where the user's config or environment allows
    (endpoint.py)."""
    env = os.environ if env is None else env
    local = local_forge_path(git)
    if local is not None:
        from cockpit.services.forge.local import LocalForge

        try:
            return ForgeChoice(LocalForge(local), f"local forge ({local.name})")
        except ForgeError as exc:
            return ForgeChoice(None, "local forge", str(exc))
    return _github(git, env, slug, base_url, user)


def _github(git: GitService, env: Mapping[str, str], slug: RepoSlug | None, base_url: str | None,
            user: UserConfig | None) -> ForgeChoice:
    """GitHub, with the modules only it needs (the token search, the HTTP cache, PyGithub) loaded here."""
    from cockpit.services.auth import find_token, parse_remote_url, parse_slug
    from cockpit.services.cache import ForgeCache, cache_file
    from cockpit.services.dirs import cache_dir, config_dir
    from cockpit.services.forge.endpoint import UserChoice, api_base, committed_host_problem, is_loopback, transport
    from cockpit.services.settings import PROJECT_FILE, SettingsError, load_user_config

    config_path = config_dir() / "config.toml"
    try:
        user = user or load_user_config(config_path)
    except SettingsError as exc:
        return ForgeChoice(None, "no forge", str(exc))
    trusted = UserChoice.of(env, user, config_path)
    settings = git.config.forge
    if slug is None and settings.repository:
        problem = committed_host_problem(settings.host, trusted)
        slug = parse_slug(settings.repository, settings.host.strip().lower())
        if problem or slug is None:
            return ForgeChoice(None, "no forge", problem or f"{PROJECT_FILE}: [forge] repository "
                                                            f"{settings.repository!r} is not owner/name")
    if slug is None:
        url = git.remote_url()
        slug = parse_remote_url(url) if url else None
    if slug is None:
        return ForgeChoice(None, "no forge", f"no GitHub repository: {git.config.remote!r} is not a GitHub URL")
    base_url, problem = transport(base_url, "base_url") if base_url else api_base(slug, settings.api_url, trusted)
    if base_url is None:
        return ForgeChoice(None, f"GitHub {slug}", problem)
    token = find_token(env, slug.host, user_host=user.github_host)
    if token is None:
        return ForgeChoice(None, f"GitHub {slug}", f"no GitHub token for {slug.host}: set GH_TOKEN or run "
                                                   "`gh auth login`")
    from cockpit.services.forge.github import GitHubForge  # PyGithub loads only when GitHub is used

    cache = ForgeCache(cache_file(cache_dir(), slug.host, slug.owner, slug.name))
    return ForgeChoice(GitHubForge(slug, token, base_url=base_url, cache=cache, throttle=not is_loopback(base_url)),
                       f"GitHub {slug} (token from {token.source})")
