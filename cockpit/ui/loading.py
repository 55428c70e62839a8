"""How the app gets what the dashboard needs: at once (the launcher built it) or after the first frame (`Loading`:
the last session's screen shows meanwhile). No Textual here: the launcher starts git's reads before importing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cockpit.services.bundle import Services
    from cockpit.services.forge.cached import CachedForge
    from cockpit.ui.git_view import EarlyRead
    from cockpit.ui.last_session import LastSession


@dataclass(frozen=True)
class Loaded:
    """The services and git's first reads of the repository, under way in a thread of their own."""

    services: Services
    cached: CachedForge | None
    early: EarlyRead


@dataclass(frozen=True)
class Loading:
    """A start on the last session's screen: `load` builds the rest in a worker (it raises the launcher's errors)."""

    last: LastSession
    load: Callable[[], Loaded]
