"""A forge with memory: reads paint from the last snapshot at once, refresh in the background, and fall back on
the snapshot (marked with its age) when the forge is offline or rate limited. Writes go straight through."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from cockpit.core.forge_models import Item, Milestone
from cockpit.services.forge.base import Forge, ForgeError
from cockpit.services.forge.codec import decode, encode

if TYPE_CHECKING:  # the cache (sqlite3) comes with a GitHub forge, never with a local one
    from cockpit.services.cache import ForgeCache

T = TypeVar("T")


@dataclass(frozen=True)
class Fresh(Generic[T]):
    """A value with where it came from: `online` (just read), or `cached` with its age and why."""

    value: T
    source: str  # "online" | "cached"
    age_seconds: float = 0.0
    problem: str | None = None  # why the cached copy is shown


class CachedForge:
    def __init__(self, forge: Forge, cache: ForgeCache, clock: Callable[[], float] = time.time):
        self.forge = forge
        self.cache = cache
        self._clock = clock

    def _read(self, key: str, fetch: Callable[[], list[T]], cls: type[T]) -> Fresh[list[T]]:
        try:
            value = fetch()
        except ForgeError as exc:
            snap = self.cache.snapshot(key)
            if snap is None:
                raise
            return Fresh([decode(cls, v) for v in snap.value], "cached", snap.age_seconds(self._clock()), str(exc))
        self.cache.store_snapshot(key, encode(value))
        return Fresh(value, "online")

    def cached(self, key: str, cls: type[T]) -> Fresh[list[T]] | None:
        """The last snapshot without touching the network: what the cockpit paints first."""
        snap = self.cache.snapshot(key)
        if snap is None:
            return None
        return Fresh([decode(cls, v) for v in snap.value], "cached", snap.age_seconds(self._clock()))

    def milestones(self) -> Fresh[list[Milestone]]:
        return self._read("milestones:open", lambda: self.forge.milestones("open"), Milestone)

    def cached_milestones(self) -> Fresh[list[Milestone]] | None:
        return self.cached("milestones:open", Milestone)

    def milestone_items(self, title: str) -> Fresh[list[Item]]:
        return self._read(f"items:{title}", lambda: self.forge.milestone_items(title), Item)

    def cached_milestone_items(self, title: str) -> Fresh[list[Item]] | None:
        return self.cached(f"items:{title}", Item)
