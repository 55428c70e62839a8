"""The project's release conventions. Defaults reproduce falcosecurity/libs, so that repository needs no file;
`.cockpit.toml` (read by services.settings) overrides any of them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class VersionFilePaths:
    api_version: str = "driver/API_VERSION"
    schema_version: str = "driver/SCHEMA_VERSION"
    plugin_header: str = "userspace/plugin/plugin_api.h"
    # where the plugin API version lived before libs 0.9.0: read when plugin_header is absent at a ref
    legacy_plugin_header: str = "userspace/libscap/plugin_info.h"
    plugin_macro_prefix: str = "PLUGIN_API_VERSION_"
    scap_header: str = "userspace/libscap/scap.h"
    scap_min_api_macro: str = "SCAP_MINIMUM_DRIVER_API_VERSION"
    scap_min_schema_macro: str = "SCAP_MINIMUM_DRIVER_SCHEMA_VERSION"


# Paths whose change demands an API_VERSION / SCHEMA_VERSION bump (the project's CI triggers).
DEFAULT_API_TRIGGERS = (
    "userspace/libscap/engine/bpf/**",
    "userspace/libscap/engine/modern_bpf/**",
    "userspace/libscap/engine/kmod/**",
    "driver/ppm_events_public.h",
    "driver/modern_bpf/maps/maps.h",
)
DEFAULT_SCHEMA_TRIGGERS = (
    "driver/ppm_fillers.c",
    "driver/bpf/fillers.h",
    "driver/event_table.c",
    "driver/ppm_events_public.h",
    "driver/event_stats.h",
    "driver/syscall_*",
)


@dataclass(frozen=True)
class Schedule:
    """Days before the milestone due date at which each phase starts."""

    preparation_days: int = 28
    freeze_days: int = 7
    branch_days: int = 5


@dataclass(frozen=True)
class InfraRepo:
    """Where branch protection is requested (a PR on the infra repository)."""

    repository: str = "falcosecurity/test-infra"
    path: str = "config/config.yaml"
    org: str = "falcosecurity"
    repo: str = "libs"


@dataclass(frozen=True)
class ForgeSettings:
    """Where the project lives on GitHub when `origin` does not say (or says it differently)."""

    repository: str | None = None  # "owner/name"
    host: str = "github.com"
    api_url: str | None = None  # default: https://api.github.com, or https://HOST/api/v3 for Enterprise


@dataclass(frozen=True)
class ProjectConfig:
    default_branch: str | None = None  # None: origin/HEAD, else master, else main
    remote: str = "origin"
    release_branch_prefix: str = "release/"
    driver_path_prefix: str = "driver/"
    files: VersionFilePaths = field(default_factory=VersionFilePaths)
    api_triggers: tuple[str, ...] = DEFAULT_API_TRIGGERS
    schema_triggers: tuple[str, ...] = DEFAULT_SCHEMA_TRIGGERS
    schedule: Schedule = field(default_factory=Schedule)
    infra: InfraRepo = field(default_factory=InfraRepo)
    forge: ForgeSettings = field(default_factory=ForgeSettings)
