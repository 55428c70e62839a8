"""Where the GitHub token may be sent. A repository's committed `.cockpit.toml` is data from whoever prepared the
repository: it may name the project's `owner/name`, but a GitHub host or an API URL other than the public GitHub
API is honoured only when the user says the same (their config.toml, or GH_HOST / COCKPIT_GITHUB_API_URL), so a
cloned repository can never redirect the user's token. Tokens travel over https only (plain http only to a
loopback address: the tests' emulator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cockpit.services.auth import GITHUB_COM, RepoSlug
from cockpit.services.settings import PROJECT_FILE, UserConfig

PUBLIC_API = "https://api.github.com"
API_URL_ENV, HOST_ENV = "COCKPIT_GITHUB_API_URL", "GH_HOST"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
_CANNOT = "a repository's committed config cannot choose where your GitHub token is sent"


@dataclass(frozen=True)
class UserChoice:
    """What the user (never the repository) says about the GitHub endpoint."""

    config_path: Path
    api_urls: tuple[tuple[str, str], ...] = ()  # (url, where it was set), first wins
    hosts: frozenset[str] = frozenset({GITHUB_COM})

    @classmethod
    def of(cls, env: Mapping[str, str], user: UserConfig, config_path: Path) -> UserChoice:
        urls = [(env.get(API_URL_ENV, "").strip(), API_URL_ENV),
                ((user.github_api_url or "").strip(), f"github_api_url in {config_path}")]
        hosts = {GITHUB_COM, env.get(HOST_ENV, "").strip().lower(), (user.github_host or "").strip().lower()}
        return cls(config_path, tuple((u, w) for u, w in urls if u), frozenset(h for h in hosts if h))


def _same(a: str, b: str) -> bool:
    """Two API URLs name the same endpoint (scheme and host are case-blind, a trailing slash does not count)."""
    def norm(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url.strip())
        return parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/")
    try:
        return norm(a) == norm(b)
    except ValueError:
        return False


def committed_host_problem(host: str, user: UserChoice) -> str | None:
    """Why the committed `[forge] host` cannot be used (None: github.com, or a host the user names too)."""
    if host.strip().lower() in user.hosts:
        return None
    return (f"{PROJECT_FILE} [forge] host: {_CANNOT}; set github_host in {user.config_path} or {HOST_ENV} "
            f"(it names {host!r})")


def api_base(slug: RepoSlug, committed: str | None, user: UserChoice) -> tuple[str | None, str | None]:
    """(the API URL to send the token to, or None with why not). The committed `[forge] api_url` counts only when
    it is the slug's own API or a URL the user names; else the user's URL, else the slug's own."""
    if committed is not None:
        if _same(committed, slug.api_url):
            return transport(slug.api_url, f"{PROJECT_FILE} [forge] api_url")
        trusted = next((where for url, where in user.api_urls if _same(url, committed)), None)
        if trusted is None:
            return None, (f"{PROJECT_FILE} [forge] api_url: {_CANNOT}; set github_api_url in {user.config_path} "
                          f"or {API_URL_ENV} (it names {committed!r})")
        return transport(committed.strip(), trusted)
    if user.api_urls:
        url, where = user.api_urls[0]
        return transport(url, where)
    return transport(slug.api_url, f"the API of {slug.host}")


def transport(url: str, where: str) -> tuple[str | None, str | None]:
    """(url, None) when the token may travel there: https, or plain http to this machine."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - a port that is no number raises ValueError here
    except ValueError:
        return None, f"{where}: {url!r} is not a URL"
    if not host or parts.scheme not in ("https", "http") or parts.username or parts.password:
        return None, f"{where}: {url!r} is not an https:// URL of an API"
    if parts.scheme == "http" and host not in LOOPBACK:
        return None, (f"{where}: {url!r} would send your GitHub token over plain http; use https (plain http only "
                      f"to {', '.join(LOOPBACK)})")
    return url.rstrip("/"), None


def is_loopback(url: str | None) -> bool:
    """An API on this machine is not GitHub (no rate-limit pauses needed)."""
    try:
        return url is not None and urlsplit(url).hostname in LOOPBACK
    except ValueError:
        return False
