"""Settings: the project's `.cockpit.toml` (committed by the project being released) and the user's config.toml
in the platformdirs config dir. Neither ever holds a secret."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from cockpit.core.config import ForgeSettings, InfraRepo, ProjectConfig, Schedule, VersionFilePaths
from cockpit.core.refnames import RefNameError, check_ref_name, check_remote_name
from cockpit.services.dirs import config_dir
from cockpit.services.files import UnfitFile, read_regular_file

PROJECT_FILE = ".cockpit.toml"
MAX_SETTINGS_BYTES = 256 * 1024  # a settings file is a few hundred bytes; more is not one
MAX_DAYS = 3650  # a schedule's days before the due date: more would put phases out of the calendar's range


class SettingsError(Exception):
    """A settings file that cannot be used, explained in one line."""


@dataclass(frozen=True)
class UserConfig:
    theme: str = "textual-dark"
    editor: str | None = None
    github_host: str | None = None  # a GitHub Enterprise host the token may go to (as GH_HOST)
    github_api_url: str | None = None  # the API the token goes to (as COCKPIT_GITHUB_API_URL); never .cockpit.toml's
    keymap: tuple[tuple[str, str], ...] = ()  # (binding id, keys)
    fetch_on_start: bool = True  # the TUI fetches from the remote in the background when it opens


def today() -> date:
    """Today, or COCKPIT_TODAY (YYYY-MM-DD) so demos, screenshots and tests can pin the calendar."""
    pinned = os.environ.get("COCKPIT_TODAY")
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError:
        raise SettingsError(f"COCKPIT_TODAY={pinned!r} is not a YYYY-MM-DD date") from None


def _read_toml(path: Path) -> dict[str, Any]:
    """A settings file as a table: only a regular file of sane size is read (a committed `.cockpit.toml` may be a
    link to /dev/zero, a fifo or 50 MB of text). The TOML parser loads only when there is a file to parse."""
    try:
        text = read_regular_file(path, MAX_SETTINGS_BYTES).decode()
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    except UnfitFile as exc:
        raise SettingsError(f"{exc}, not a settings file") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read ({exc.strerror})") from None
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from None
    except (ValueError, RecursionError):  # tomllib lets int()'s digit limit and deep nesting through
        raise SettingsError(f"{path}: not valid TOML (a number too long or arrays/tables nested too deep)") from None


def _section(cls: type, data: Any, where: str) -> Any:
    """Build a frozen dataclass from a TOML table, refusing unknown keys and wrong types."""
    if not isinstance(data, dict):
        raise SettingsError(f"{where} must be a table")
    known = {f.name: f for f in fields(cls)}
    values = {}
    defaults = cls()
    for key, value in data.items():
        if key not in known:
            raise SettingsError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
        default = getattr(defaults, key)
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SettingsError(f"{where}.{key} must be a list of strings")
            value = tuple(value)
        elif isinstance(default, (bool, int)):
            if type(value) is not type(default):
                raise SettingsError(f"{where}.{key} must be {type(default).__name__}")
            if type(value) is int and not 0 <= value <= MAX_DAYS:  # the only numbers are Schedule's day counts
                raise SettingsError(f"{where}.{key} must be between 0 and {MAX_DAYS} (days)")
        elif (default is None or isinstance(default, str)) and not isinstance(value, str):
            raise SettingsError(f"{where}.{key} must be a string")
        values[key] = value
    return replace(defaults, **values)


def load_project_config(repo_root: Path) -> ProjectConfig:
    """`.cockpit.toml` at the repository root; defaults (falcosecurity/libs) when absent."""
    path = repo_root / PROJECT_FILE
    data = _read_toml(path)
    where = PROJECT_FILE
    nested = {"files": VersionFilePaths, "schedule": Schedule, "infra": InfraRepo, "forge": ForgeSettings}
    top = {k: v for k, v in data.items() if k not in nested}
    config = _section(ProjectConfig, {k: v for k, v in top.items()}, where) if top else ProjectConfig()
    for key, cls in nested.items():
        if key in data:
            config = replace(config, **{key: _section(cls, data[key], f"{where} [{key}]")})
    _check_names(config, path)
    return config


def _check_names(config: ProjectConfig, path: Path) -> None:
    """Names and paths from a committed file reach git's argv: each must be a name git accepts, never an option."""
    try:
        check_remote_name(config.remote, f"{path}: remote")
        if config.default_branch is not None:
            check_ref_name(f"refs/heads/{config.default_branch}", f"{path}: default_branch")
            check_ref_name(config.default_branch, f"{path}: default_branch")
        check_ref_name(f"refs/heads/{config.release_branch_prefix}0.1.x", f"{path}: release_branch_prefix")
        check_ref_name(f"{config.release_branch_prefix}0.1.x", f"{path}: release_branch_prefix")  # no leading '-'
    except RefNameError as exc:
        raise SettingsError(str(exc)) from None
    paths = [("files", key, getattr(config.files, key))
             for key in ("api_version", "schema_version", "plugin_header", "scap_header", "legacy_plugin_header")]
    for table, key, value in [*paths, ("infra", "path", config.infra.path)]:
        if key == "legacy_plugin_header" and value == "":  # the one optional path: empty turns the fallback off
            continue
        if not _inside(value):
            raise SettingsError(f"{path}: [{table}] {key} {value[:80]!r} is not a relative path inside the repository")


def _inside(value: str) -> bool:
    """A plain repository-relative path: no leading `/` or `-`, no `.`, `..` or empty step, no step into git's own
    folder (`.git/config` is no version file, and a bump must never write there), no control character."""
    return bool(value) and not value.startswith("-") and not any(c < " " or c == "\x7f" for c in value) \
        and all(part not in ("", ".", "..") and part.lower() != ".git" for part in value.split("/"))


def load_user_config(path: Path | None = None) -> UserConfig:
    path = path or config_dir() / "config.toml"
    data = _read_toml(path)
    keymap = data.pop("keymap", {}) if isinstance(data, dict) else {}
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise SettingsError(f"{path} [keymap] must map binding ids to key strings")
    config = _section(UserConfig, data, str(path)) if data else UserConfig()
    return replace(config, keymap=tuple(sorted(keymap.items())))
