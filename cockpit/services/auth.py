"""Where the GitHub token and repository come from. The token is returned to the caller and never logged,
cached, journaled, written or shown: only its source ("GH_TOKEN", "gh auth token", ...) is ever displayed."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field

GITHUB_COM = "github.com"


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    source: str

    def __str__(self) -> str:
        return f"<token from {self.source}>"


@dataclass(frozen=True)
class RepoSlug:
    host: str
    owner: str
    name: str

    @property
    def api_url(self) -> str:
        """REST base URL: api.github.com, or GitHub Enterprise's https://HOST/api/v3."""
        return "https://api.github.com" if self.host == GITHUB_COM else f"https://{self.host}/api/v3"

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}"


_URL_FORMS = (
    re.compile(r"^(?:https?|git|ssh)://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/(?P<owner>[^/]+)/(?P<name>[^/]+?)"
               r"(?:\.git)?/?$"),
    re.compile(r"^(?:[^@/]+@)?(?P<host>[^/:]+):(?P<owner>[^/]+)/(?P<name>[^/]+?)(?:\.git)?/?$"),  # scp-like ssh
)


def parse_remote_url(url: str) -> RepoSlug | None:
    """owner/name from an `origin` URL in https or ssh form; None for local paths and other shapes."""
    url = url.strip()
    if url.startswith(("/", ".", "file:")):
        return None
    for form in _URL_FORMS:
        m = form.match(url)
        if m:
            host, owner, name = m.group("host", "owner", "name")
            ok = re.fullmatch(r"[A-Za-z0-9.-]+", host) and _is_name(owner) and _is_name(name)
            return RepoSlug(host.lower(), owner, name) if ok else None
    return None


def parse_slug(text: str, host: str = GITHUB_COM) -> RepoSlug | None:
    """`owner/name` as written in .cockpit.toml."""
    parts = text.strip().split("/")
    if len(parts) == 2 and all(_is_name(p) for p in parts):
        return RepoSlug(host, parts[0], parts[1])
    return None


def _is_name(part: str) -> bool:
    """What GitHub allows in an owner or a repository name. The parts go into API URLs and cache file names,
    where a space, a line break, `?`, `@` or a `..` step would change what they point at."""
    return re.fullmatch(r"[A-Za-z0-9_.-]+", part) is not None and part not in (".", "..")


def find_token(env: Mapping[str, str], host: str = GITHUB_COM, use_gh: bool = True,
               use_keyring: bool = True, user_host: str | None = None) -> Token | None:
    """GH_TOKEN, GITHUB_TOKEN (Enterprise: GH_ENTERPRISE_TOKEN, GITHUB_ENTERPRISE_TOKEN when GH_HOST, or
    `user_host`, the user config's github_host, names the host), then `gh auth token`, then the keyring."""
    names = ("GH_TOKEN", "GITHUB_TOKEN")
    if host != GITHUB_COM:
        named = {env.get("GH_HOST", "").strip().lower(), (user_host or "").strip().lower()}
        names = ("GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN") if host in named else ()
    for name in names:
        if env.get(name, "").strip():
            return Token(env[name].strip(), name)
    if use_gh:
        token = _gh_token(host)
        if token:
            return Token(token, "gh auth token")
    if use_keyring:
        token = _keyring_token(host)
        if token:
            return Token(token, "keyring")
    return None


def _gh_token(host: str) -> str | None:
    gh = shutil.which("gh")
    if not gh:
        return None
    try:
        done = subprocess.run([gh, "auth", "token", "--hostname", host], capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    token = done.stdout.strip()
    return token if done.returncode == 0 and token else None


def _keyring_token(host: str) -> str | None:
    try:
        import keyring  # optional: used only when the user installed it
    except ImportError:
        return None
    try:
        return keyring.get_password(f"gh:{host}", "") or keyring.get_password("release-cockpit", host)
    except Exception:  # any keyring backend failure means "no token there"
        return None
