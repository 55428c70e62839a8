"""Which forge a repository uses: the local forge file when one is configured (the demo sandbox sets
`git config cockpit.localForge`), else GitHub for the `origin` remote or `.cockpit.toml`'s repository."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cockpit.services.auth import RepoSlug, find_token, parse_remote_url, parse_slug
from cockpit.services.cache import ForgeCache, cache_file
from cockpit.services.forge.base import Forge, ForgeError
from cockpit.services.forge.local import LocalForge
from cockpit.services.git import GitCommandFailed, GitService
from cockpit.services.settings import cache_dir

LOCAL_FORGE_KEY = "cockpit.localForge"


@dataclass(frozen=True)
class ForgeChoice:
    """The forge to use, or why there is none (the cockpit then works on git data alone)."""

    forge: Forge | None
    description: str  # e.g. "GitHub falcosecurity/libs (token from GH_TOKEN)" or "local file ..."
    problem: str | None = None


def local_forge_path(git: GitService) -> Path | None:
    try:
        value = git.text("config", "--get", LOCAL_FORGE_KEY).strip()
    except GitCommandFailed:
        return None
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else git.root / path


def open_forge(git: GitService, env: Mapping[str, str] | None = None, slug: RepoSlug | None = None,
               base_url: str | None = None) -> ForgeChoice:
    env = os.environ if env is None else env
    local = local_forge_path(git)
    if local is not None:
        try:
            return ForgeChoice(LocalForge(local), f"local forge ({local.name})")
        except ForgeError as exc:
            return ForgeChoice(None, "local forge", str(exc))
    settings = git.config.forge
    if slug is None and settings.repository:
        slug = parse_slug(settings.repository, settings.host)
        if slug is None:
            return ForgeChoice(None, "no forge", f".cockpit.toml: [forge] repository {settings.repository!r} is "
                                                 "not owner/name")
    if slug is None:
        url = git.remote_url()
        slug = parse_remote_url(url) if url else None
    base_url = base_url or settings.api_url
    if slug is None:
        return ForgeChoice(None, "no forge", f"no GitHub repository: {git.config.remote!r} is not a GitHub URL")
    token = find_token(env, slug.host)
    if token is None:
        return ForgeChoice(None, f"GitHub {slug}", f"no GitHub token for {slug.host}: set GH_TOKEN or run "
                                                   "`gh auth login`")
    from cockpit.services.forge.github import GitHubForge  # PyGithub loads only when GitHub is used

    cache = ForgeCache(cache_file(cache_dir(), slug.host, slug.owner, slug.name))
    return ForgeChoice(GitHubForge(slug, token, base_url=base_url, cache=cache, throttle=not _loopback(base_url)),
                       f"GitHub {slug} (token from {token.source})")


def _loopback(url: str | None) -> bool:
    """An API on this machine is not GitHub: PyGithub's pauses (0.25 s a request, 1 s a write), which respect
    GitHub's secondary rate limits, would only slow it down."""
    host = urlsplit(url).hostname if url else None
    return host in ("localhost", "127.0.0.1", "::1")
